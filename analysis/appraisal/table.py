"""The appraisal rows as periods per person: one kind of period, one scale, sorted in time.

An appraisal file may mix period lengths (a monthly e-Kinerja export and a yearly SKP); comparing a
month before a program with a year after it would compare different things, so the table keeps the
kind of period most rows have (or the one asked for) and says how many rows it left out. The value
is the legacy numeric ``nilai`` when every kept row has one, else the rank of the PermenPANRB
6/2022 predikat (1 = Sangat Kurang … 5 = Sangat Baik).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.core.periods import PERIOD_KINDS, read_periods

#: The two scales of an appraisal's value.
NILAI = "nilai"
PREDIKAT_RANK = "predikat_rank"
SCALES = (NILAI, PREDIKAT_RANK)

#: Unit types, matched on the unit's name in this order (the product's own grouping of Kota Medan's
#: units, not a regulation): a comparison person is matched to a participant of the same type.
UNIT_TYPES: tuple[tuple[str, str], ...] = (
    ("puskesmas", r"puskesmas"),
    ("rumah_sakit", r"\brsud\b|rumah sakit"),
    ("kecamatan", r"kantor camat|\bkecamatan\b|\bcamat\b"),
    ("kelurahan", r"kantor lurah|kelurahan|\blurah\b"),
    ("sekolah", r"\bsd\b|\bsmp\b|sekolah"),
    ("satpol_pp", r"satpol|polisi pamong"),
    ("sekretariat", r"sekretariat"),
    ("inspektorat", r"inspektorat"),
    ("dinas", r"\bdinas\b"),
    ("badan", r"\bbadan\b"),
    ("upt", r"\bupt\b|\buptd\b"),
    ("bagian", r"\bbagian\b"),
)
OTHER_UNIT = "lainnya"


def unit_type(names) -> pd.Series:
    """The type of each unit from its name (:data:`UNIT_TYPES`); missing names stay missing.

    Examples
    --------
    >>> unit_type(pd.Series(["Kantor Camat Medan Baru", "UPT Puskesmas Sunggal", "Dinas Sosial",
    ...                      "Kantor Lurah Sei Kera Hulu", "Koperasi", None])).tolist()
    ['kecamatan', 'puskesmas', 'dinas', 'kelurahan', 'lainnya', nan]
    """
    s = pd.Series(names)
    codes, uniques = pd.factorize(s)
    found = []
    for name in uniques:
        low = str(name).lower()
        found.append(next((kind for kind, pattern in UNIT_TYPES if re.search(pattern, low)), OTHER_UNIT))
    return pd.Series(np.array(found + [None], dtype=object)[codes], index=s.index, dtype="str")


def _choose_kind(kinds: pd.Series, period_kind: str | None) -> str | None:
    if period_kind is not None:
        if period_kind not in PERIOD_KINDS:
            raise ValueError(f"period_kind must be one of {', '.join(PERIOD_KINDS)}, got {period_kind!r}")
        return period_kind
    counts = kinds.value_counts()
    if counts.empty:
        return None
    best = counts.max()
    return next(k for k in PERIOD_KINDS if counts.get(k, 0) == best)


def _infer_starts(table: pd.DataFrame) -> pd.Series:
    """A period known by its end starts the day after the same person's previous period ended; a
    person's first such period has no known start."""
    previous = table.groupby("nip", sort=False)["end"].shift(1)
    return previous + pd.Timedelta(days=1)


def appraisal_table(appraisals: pd.DataFrame, period_kind: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The appraisal rows as periods per person, with one value on one scale.

    Parameters
    ----------
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows (``nip``, ``periode``, ``predikat_kinerja`` and/or ``nilai``;
        ``kecamatan``, ``unit_kerja``, ``nama`` when present).
    period_kind : {"month", "quarter", "semester", "year", "end"}, optional
        Keep periods of this kind; by default the kind most rows have.

    Returns
    -------
    (pandas.DataFrame, dict)
        The table — ``nip``, ``label``, ``start``, ``end``, ``value``, ``kecamatan``,
        ``unit_kerja``, ``unit_type``, ``nama`` — sorted by person and end; and ``period_kind``,
        ``scale`` (``nilai`` or ``predikat_rank``), ``rows``, ``rows_other_kind`` (left out),
        ``rows_unreadable`` (no period), ``rows_repeated`` (a person's period given twice: the
        first is kept), ``people``.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "1", "2", "2"],
    ...     "periode": ["2025-Q1", "2025-Q3", "2025-Q1", "2025"],
    ...     "predikat_kinerja": pd.Categorical(["Baik", "Sangat Baik", "Butuh Perbaikan", "Baik"],
    ...         categories=["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"],
    ...         ordered=True)})
    >>> table, info = appraisal_table(rows)
    >>> table[["nip", "label", "value"]].values.tolist()
    [['1', '2025-Q1', 4.0], ['1', '2025-Q3', 5.0], ['2', '2025-Q1', 3.0]]
    >>> info["period_kind"], info["scale"], info["rows_other_kind"]
    ('quarter', 'predikat_rank', 1)
    """
    if "nip" not in appraisals or "periode" not in appraisals:
        raise ValueError(f"appraisals must have the columns nip and periode, got {list(appraisals.columns)}")
    periods = read_periods(appraisals["periode"])
    kind = _choose_kind(periods["kind"].dropna(), period_kind)
    readable = periods["label"].notna().to_numpy()
    keep = readable & (periods["kind"] == kind).fillna(False).to_numpy()
    rows = appraisals.loc[keep]
    table = pd.DataFrame({
        "nip": rows["nip"].astype("str").to_numpy(),
        "label": periods.loc[keep, "label"].to_numpy(),
        "start": periods.loc[keep, "start"].to_numpy(),
        "end": periods.loc[keep, "end"].to_numpy(),
    })
    for col in ("kecamatan", "unit_kerja", "nama"):
        table[col] = rows[col].astype("str").to_numpy() if col in rows else pd.Series(pd.NA, index=table.index,
                                                                                       dtype="str")
    table["unit_type"] = unit_type(table["unit_kerja"]).to_numpy()
    nilai = pd.to_numeric(rows["nilai"], errors="coerce").to_numpy(dtype=float) if "nilai" in rows else np.full(
        len(rows), np.nan)
    scale = NILAI if len(rows) and np.isfinite(nilai).all() else PREDIKAT_RANK
    if scale == NILAI:
        table["value"] = nilai
    elif "predikat_kinerja" in rows and isinstance(rows["predikat_kinerja"].dtype, pd.CategoricalDtype):
        codes = rows["predikat_kinerja"].cat.codes.to_numpy()
        table["value"] = np.where(codes >= 0, codes + 1.0, np.nan)
    else:
        table["value"] = np.nan
    repeated = table.duplicated(["nip", "label"], keep="first").to_numpy()
    table = table.loc[~repeated].sort_values(["nip", "end"], kind="stable").reset_index(drop=True)
    if kind == "end":
        table["start"] = _infer_starts(table)
    info = {"period_kind": kind, "scale": scale, "rows": int(len(table)),
            "rows_other_kind": int((readable & ~keep).sum()), "rows_unreadable": int((~readable).sum()),
            "rows_repeated": int(repeated.sum()), "people": int(table["nip"].nunique())}
    return table, info
