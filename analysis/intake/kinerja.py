"""What an appraisal upload (``kinerja``) needs beyond the cell parsers: its period from the sheet's
title, its predikat from the two ratings, and at least one appraisal on every row.

The PermenPANRB 6/2022 matrix combines the *rating hasil kerja* and the *rating perilaku kerja* into
the *predikat kinerja* (docs/domain.md §6). e-Kinerja's "Rekap Penilaian" export carries the two
ratings and the predikat on every row, and the period only in a title line ("Periode Bulanan 6
Tahun 2026"); other sheets carry a period column, the predikat alone, or a legacy numeric score.
:func:`complete` runs on each sheet the intake reads, after the cells are parsed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import period_in_text
from analysis.intake import messages
from analysis.intake.normalise import PREDIKAT_2022, RATINGS

_BELOW, _AS, _ABOVE = RATINGS
#: PermenPANRB 6/2022, Lampiran: (rating hasil kerja, rating perilaku kerja) → predikat kinerja.
#: Read from secondary reproductions of the Lampiran's figure; docs/domain.md §6 says how sure we are.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    (_ABOVE, _ABOVE): "Sangat Baik",
    (_ABOVE, _AS): "Baik",
    (_ABOVE, _BELOW): "Kurang/Misconduct",
    (_AS, _ABOVE): "Baik",
    (_AS, _AS): "Baik",
    (_AS, _BELOW): "Kurang/Misconduct",
    (_BELOW, _ABOVE): "Butuh Perbaikan",
    (_BELOW, _AS): "Butuh Perbaikan",
    (_BELOW, _BELOW): "Sangat Kurang",
}
#: The fields that hold an appraisal; a row must fill one of them (or both ratings).
APPRAISAL_FIELDS = ("rating_hasil_kerja", "rating_perilaku_kerja", "predikat_kinerja", "nilai")


def predikat_from_ratings(hasil: pd.Series, perilaku: pd.Series) -> pd.Series:
    """The predikat the PermenPANRB 6/2022 matrix gives for two ratings; missing where either is.

    Examples
    --------
    >>> hasil = pd.Series(["Di atas ekspektasi", "Sesuai ekspektasi", "Di bawah ekspektasi", None])
    >>> perilaku = pd.Series(["Di atas ekspektasi", "Di atas ekspektasi", "Sesuai ekspektasi", "Sesuai ekspektasi"])
    >>> predikat_from_ratings(hasil, perilaku).tolist()
    ['Sangat Baik', 'Baik', 'Butuh Perbaikan', nan]
    """
    h = hasil.astype(object).to_numpy()
    p = perilaku.astype(object).to_numpy()
    out = [PREDIKAT_MATRIX.get((a, b)) if isinstance(a, str) and isinstance(b, str) else None for a, b in zip(h, p)]
    return pd.Series(pd.Categorical(out, categories=PREDIKAT_2022, ordered=True), index=hasil.index)


def title_period(rows: list[list], above: int) -> tuple[str, int] | None:
    """The period a title line names among the first ``above`` rows of a sheet (``rows[i][j]`` as
    the intake scans them), with its 1-based row; None when no line names one.

    Examples
    --------
    >>> title_period([["3013 - Kementerian Ketenagakerjaan"], ["Subbagian Tata Usaha"],
    ...               ["Periode Bulanan 6 Tahun 2026"], [None]], 4)
    ('2026-06', 3)
    >>> title_period([["REKAP PENILAIAN"]], 1) is None
    True
    """
    for i, row in enumerate(rows[:above]):
        for cell in row or []:
            label = period_in_text(cell) if isinstance(cell, str) else None
            if label:
                return label, i + 1
    return None


def complete(frame: pd.DataFrame, header, issues: list) -> None:
    """Fill and check one sheet's parsed appraisal rows in place.

    - an empty ``periode`` takes the period of the sheet's title (``period_from_title``, info), or
      is an error (``missing_period``) when the title names none;
    - an empty ``predikat_kinerja`` is derived from both ratings (``predikat_derived``, info), and a
      predikat that disagrees with them is a warning (``predikat_mismatch``; the written one is kept);
    - a row with neither a predikat nor a ``nilai`` is an error (``no_appraisal``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from analysis.intake.normalise import predikat, rating
    >>> frame = pd.DataFrame({"periode": pd.Series([None, "2025-Q2"], dtype="str"),
    ...     "rating_hasil_kerja": rating(pd.Series(["Diatas Ekspektasi", None])).values,
    ...     "rating_perilaku_kerja": rating(pd.Series(["Sesuai Ekspektasi", None])).values,
    ...     "predikat_kinerja": predikat(pd.Series([None, None])).values,
    ...     "nilai": [np.nan, np.nan], "_row": [5, 6], "_sheet": ["Rekap", "Rekap"]})
    >>> scan = SimpleNamespace(name="Rekap", rows=[["Periode Triwulan I Tahun 2025"], [None], [None]])
    >>> header = SimpleNamespace(scan=scan, row0=3, top0=None, header_row=4, columns={0: "Periode"},
    ...                          mapped={0: "periode"})
    >>> found = []
    >>> complete(frame, header, found)
    >>> frame["periode"].tolist(), frame["predikat_kinerja"].tolist()[0]
    (['2025-Q1', '2025-Q2'], 'Baik')
    >>> [(i["row"], i["code"]) for i in found]
    [(1, 'period_from_title'), (4, 'predikat_derived'), (6, 'no_appraisal')]
    """
    _as_categories(frame)
    colname = {f: header.columns[j] for j, f in header.mapped.items()}
    sheet = header.scan.name
    errored = {(i["row"], i["field"]) for i in issues if i["severity"] == "error" and i["sheet"] == sheet}
    rows = frame["_row"].to_numpy()

    def add(code, positions, fld, values=None, details=None):
        for n, idx in enumerate(positions):
            issues.append(messages.issue(
                code, row=int(rows[idx]), sheet=sheet, column=colname.get(fld), field=fld,
                value=None if values is None else values[n], detail=None if details is None else details[n]))

    _period(frame, header, rows, errored, issues, add)
    _predikat(frame, header, rows, errored, issues, add)
    bad_cell = np.array([any((int(r), f) in errored for f in APPRAISAL_FIELDS) for r in rows], dtype=bool)
    none = frame["predikat_kinerja"].isna().to_numpy() & frame["nilai"].isna().to_numpy() & ~bad_cell
    add("no_appraisal", np.flatnonzero(none), "predikat_kinerja")


def _as_categories(frame: pd.DataFrame) -> None:
    """Ratings and predikat as their ordered Categoricals also when the sheet has no such column
    (the intake leaves a missing column as empty text), so every sheet and file agrees."""
    for col, scale in (("rating_hasil_kerja", RATINGS), ("rating_perilaku_kerja", RATINGS),
                       ("predikat_kinerja", PREDIKAT_2022)):
        if not isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = pd.Categorical(frame[col].astype(object).where(frame[col].notna(), None),
                                        categories=scale, ordered=True)


def _period(frame, header, rows, errored, issues, add) -> None:
    """Empty periods from the title (one info), or ``missing_period`` per row."""
    invalid = np.array([(int(r), "periode") in errored for r in rows], dtype=bool)
    empty = frame["periode"].isna().to_numpy() & ~invalid
    if not empty.any():
        return
    above = header.top0 if header.top0 is not None else header.row0
    found = title_period(header.scan.rows, above)
    if found is None:
        add("missing_period", np.flatnonzero(empty), "periode")
        return
    label, title_row = found
    frame.loc[frame.index[empty], "periode"] = label
    issues.append(messages.issue("period_from_title", row=title_row, sheet=header.scan.name, column=None,
                                 field="periode", value=label, detail=str(title_row)))


def _predikat(frame, header, rows, errored, issues, add) -> None:
    """The matrix's predikat where the cell is empty; a warning where the written one disagrees."""
    derived = predikat_from_ratings(frame["rating_hasil_kerja"], frame["rating_perilaku_kerja"])
    written = frame["predikat_kinerja"]
    fill = (written.isna() & derived.notna()).to_numpy()
    if fill.any():
        frame.loc[frame.index[fill], "predikat_kinerja"] = derived[fill].to_numpy()
        issues.append(messages.issue("predikat_derived", row=header.header_row, sheet=header.scan.name,
                                     column=None, field="predikat_kinerja", value=None, detail=str(int(fill.sum()))))
    both = (written.notna() & derived.notna()).to_numpy()
    differ = np.flatnonzero(both & (written.astype(object).to_numpy() != derived.astype(object).to_numpy()))
    add("predikat_mismatch", differ, "predikat_kinerja",
        values=written.astype(object).to_numpy()[differ].tolist(),
        details=derived.astype(object).to_numpy()[differ].tolist())
