"""Who took part: the participant / comparison split, and the one row filter built on it.

A training row belongs to the comparison group (non-participants, for the difference in
differences) when its ``kelompok`` reads ``pembanding``, in any case and with any surrounding
spaces; every other row — ``peserta``, an empty cell, or a file without the column — is a
participant. Comparison rows serve every program, so a program filter keeps them, and a comparison
row without a date serves every period. Every page, the evidence engine, the citizen-voice
before/after and the exports decide with these functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core.periods import in_period

COMPARISON = "pembanding"
PARTICIPANT = "peserta"


def comparison_mask(frame: pd.DataFrame) -> np.ndarray:
    """Boolean array: True for the comparison-group rows of ``frame``.

    Each distinct ``kelompok`` text is normalised once, so the cost does not grow with repeats.

    Examples
    --------
    >>> df = pd.DataFrame({"kelompok": ["peserta", " Pembanding ", None, "PEMBANDING"]})
    >>> comparison_mask(df).tolist()
    [False, True, False, True]
    >>> comparison_mask(pd.DataFrame({"nip": ["1"]})).tolist()
    [False]
    """
    if "kelompok" not in frame:
        return np.zeros(len(frame), dtype=bool)
    codes, uniques = pd.factorize(frame["kelompok"], use_na_sentinel=True)
    is_comparison = np.array([str(u).strip().lower() == COMPARISON for u in uniques] + [False], dtype=bool)
    return is_comparison[codes]


def participant_mask(frame: pd.DataFrame) -> np.ndarray:
    """Boolean array: True for the participant rows (everything that is not comparison).

    Examples
    --------
    >>> participant_mask(pd.DataFrame({"kelompok": ["peserta", "pembanding", None]})).tolist()
    [True, False, True]
    """
    return ~comparison_mask(frame)


def participants(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The participant rows of ``frame``: every column, or only ``columns`` (those ``frame`` has),
    so that a caller reading a few columns of many rows copies only those.

    Examples
    --------
    >>> df = pd.DataFrame({"nip": ["a", "b"], "kelompok": ["pembanding", "peserta"], "jp": [2.0, 3.0]})
    >>> participants(df)["nip"].tolist(), participants(df, ["nip", "unit_kerja"]).columns.tolist()
    (['b'], ['nip'])
    """
    if columns is None:
        return frame.loc[participant_mask(frame)]
    return frame.loc[participant_mask(frame), [c for c in dict.fromkeys(columns) if c in frame.columns]]


def select_mask(rows: pd.DataFrame, date_col: str | None = None, *, periode: str | None = None,
                program: str | None = None, kecamatan: str | None = None) -> np.ndarray | None:
    """Boolean array of the rows inside a period, program and kecamatan (``None`` = all of that
    dimension), or ``None`` when every row is inside: the rule of :func:`select_rows`, which applies it.

    Reads only ``date_col``, ``kelompok``, ``program`` and ``kecamatan``, so a caller holding many
    rows can pass just those columns and take the rows it needs with the mask.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A", "B", None], "kelompok": ["peserta", "peserta", "pembanding"]})
    >>> select_mask(df, program="A").tolist(), select_mask(df) is None
    ([True, False, True], True)
    """
    mask = np.ones(len(rows), dtype=bool)
    comparison = None
    if periode and date_col and date_col in rows:
        comparison = comparison_mask(rows)
        mask = in_period(rows[date_col], periode).to_numpy() | (comparison & rows[date_col].isna().to_numpy())
    if program and "program" in rows:
        comparison = comparison_mask(rows) if comparison is None else comparison
        mask &= rows["program"].eq(program).fillna(False).to_numpy() | comparison
    if kecamatan and "kecamatan" in rows:
        mask &= rows["kecamatan"].eq(kecamatan).fillna(False).to_numpy()
    return None if mask.all() else mask


def select_rows(rows: pd.DataFrame, date_col: str | None = None, *, periode: str | None = None,
                program: str | None = None, kecamatan: str | None = None) -> pd.DataFrame:
    """The rows inside a period, program and kecamatan (``None`` = all of that dimension).

    Comparison rows stay whatever the program, since they compare with every program; a comparison
    row without a date stays whatever the period.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "program": ["A", "B", None, None],
    ...     "kelompok": ["peserta", "peserta", "pembanding", "pembanding"],
    ...     "kecamatan": ["Medan Baru"] * 4,
    ...     "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-02-01", "2025-02-01", None])})
    >>> select_rows(df, "tanggal_mulai", periode="2025-Q1", program="A").index.tolist()
    [0, 2, 3]
    >>> select_rows(df, "tanggal_mulai", periode="2024").index.tolist()
    [3]
    """
    mask = select_mask(rows, date_col, periode=periode, program=program, kecamatan=kecamatan)
    return rows if mask is None else rows.loc[mask]
