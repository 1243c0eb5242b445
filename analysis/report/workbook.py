"""The meeting's Excel workbook, in the reader's language.

Sheets, in order: a first sheet that explains every other sheet (with the sources, the date and
the synthetic-data label); the verdict per level and the headline figures; the follow-up scorecard;
the programs on knowledge and on job performance, the kecamatan and the service units' IKM — each
with readable headers in Indonesian (English with ``lang="en"``), values rounded for reading, the
plain reading of each row and a native Excel bar chart (95% CI as error bars); the mentoring
evaluation; then one data sheet with every table at full precision under its technical column
names, and, for analysts, the training rows.

Text goes through the formula guard of :mod:`analysis.report.safe` (the cell writer of
:mod:`analysis.report.exports`); numbers stay numbers.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd
import xlsxwriter

from analysis.core.fmt import fmt_p
from analysis.core.i18n import t, t_or, translate
from analysis.core.significance import as_flags, effect_status, flag_text, status_label, to_float
from analysis.followup.table import scorecard_table
from analysis.followup.verdict import counts_text, design_text, level_label, measure_text, verdict_label
from analysis.report.deck import headline_text
from analysis.report.exports import _flat_columns, _Formats, _sheet_names, _text, _write_cell, _write_frame
from analysis.report.meeting import Meeting

STRINGS = {
    "sheet.about": {"id": "Petunjuk", "en": "About"},
    "sheet.summary": {"id": "Ringkasan", "en": "Summary"},
    "sheet.scorecard": {"id": "Kartu skor", "en": "Scorecard"},
    "sheet.knowledge": {"id": "Program - pengetahuan", "en": "Programs - knowledge"},
    "sheet.performance": {"id": "Program - kinerja", "en": "Programs - performance"},
    "sheet.kecamatan": {"id": "Kecamatan", "en": "Districts"},
    "sheet.ikm": {"id": "IKM unit", "en": "IKM units"},
    "sheet.mentoring": {"id": "Mentoring", "en": "Mentoring"},
    "sheet.data": {"id": "Data lengkap", "en": "Full data"},
    "sheet.rows": {"id": "Data peserta", "en": "Participant rows"},
    "about.summary": {"id": "Jawaban per tingkat Kirkpatrick (naik? berapa program? desain apa?) dan angka utama.",
                      "en": "The answer per Kirkpatrick level (a gain? how many programs? which design?) and the "
                            "headline figures."},
    "about.scorecard": {"id": "Kartu skor tiap program: empat tingkat, rekomendasi tindak lanjut dan alasannya.",
                        "en": "Each program's scorecard: four levels, the follow-up recommendation and why."},
    "about.knowledge": {"id": "Program menurut perubahan nilai tes (pre → post), dengan 95% CI, arti dan grafik.",
                        "en": "Programs by their change in test scores (pre → post), with 95% CIs, reading and chart."},
    "about.performance": {"id": "Program menurut perubahan nilai kinerja (SKP), dengan 95% CI, arti dan grafik.",
                          "en": "Programs by their change in performance (SKP), with 95% CIs, reading and chart."},
    "about.kecamatan": {"id": "Perubahan per kecamatan pada ukuran yang dipilih, dengan 95% CI dan arti.",
                        "en": "The change per district on the chosen measure, with 95% CIs and reading."},
    "about.ikm": {"id": "IKM setiap unit layanan (PermenPANRB 14/2017), yang terendah lebih dulu, dengan grafik.",
                  "en": "The IKM of every service unit (PermenPANRB 14/2017), the lowest first, with a chart."},
    "about.mentoring": {"id": "Efek mentoring senior–junior dibanding pegawai pembanding, per kecamatan.",
                        "en": "The effect of senior–junior mentoring against matched non-mentees, per district."},
    "about.data": {"id": "Semua tabel di atas dengan presisi penuh dan nama kolom teknis, untuk analisis lanjut.",
                   "en": "Every table above at full precision with technical column names, for further analysis."},
    "about.rows": {"id": "Baris data pelatihan sesuai filter (NIP dan nama lengkap: jaga kerahasiaannya).",
                   "en": "The training rows under the filters (full NIP and names: keep them confidential)."},
    "about.sheet": {"id": "Lembar", "en": "Sheet"},
    "about.what": {"id": "Isinya", "en": "What it holds"},
    "about.sources": {"id": "Sumber data", "en": "Data sources"},
    "about.rounding": {"id": "Angka di lembar tampilan dibulatkan; nilai lengkap ada di lembar “{sheet}”.",
                       "en": "Numbers on the display sheets are rounded; the full values are on the “{sheet}” sheet."},
    "col.level": {"id": "Tingkat", "en": "Level"},
    "col.verdict": {"id": "Jawaban", "en": "Answer"},
    "col.programs": {"id": "Program di baliknya", "en": "Programs behind it"},
    "col.design": {"id": "Desain", "en": "Design"},
    "col.measure": {"id": "Yang diukur", "en": "What is measured"},
    "col.indicator": {"id": "Indikator", "en": "Indicator"},
    "col.value": {"id": "Nilai", "en": "Value"},
    "col.program": {"id": "Program", "en": "Program"},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.n": {"id": "Pasangan lengkap", "en": "Complete pairs"},
    "col.change": {"id": "Perubahan", "en": "Change"},
    "col.ci_low": {"id": "95% CI bawah", "en": "95% CI low"},
    "col.ci_high": {"id": "95% CI atas", "en": "95% CI high"},
    "col.p": {"id": "p terkoreksi", "en": "Adjusted p"},
    "col.reading": {"id": "Arti", "en": "Reading"},
    "col.notes": {"id": "Catatan", "en": "Notes"},
    "col.unit": {"id": "Unit layanan", "en": "Service unit"},
    "col.respondents": {"id": "Responden", "en": "Respondents"},
    "col.ikm": {"id": "IKM", "en": "IKM"},
    "col.grade": {"id": "Mutu", "en": "Grade"},
    "col.weakest": {"id": "Unsur terlemah", "en": "Weakest element"},
    "col.mentees": {"id": "Mentee", "en": "Mentees"},
    "col.comparison": {"id": "Pembanding", "en": "Comparison"},
    "col.pairs": {"id": "Pasangan mentoring", "en": "Mentoring pairs"},
    "col.effect": {"id": "Efek", "en": "Effect"},
    "level.overall": {"id": "Semua kecamatan", "en": "All districts"},
    "design.difference_in_differences": {"id": "dengan kelompok pembanding (DiD)", "en": "against a comparison (DiD)"},
    "design.before_after": {"id": "sebelum–sesudah saja", "en": "before/after only"},
    "chart.title": {"id": "{what}: perubahan dengan 95% CI", "en": "{what}: change with 95% CI"},
    "chart.ikm": {"id": "IKM per unit layanan", "en": "IKM per service unit"},
    "helper": {"id": "(grafik)", "en": "(chart)"},
}
_HIDDEN = ("_plus", "_minus")


def _tr(key: str, lang: str, **values) -> str:
    return translate(STRINGS, key, lang, **values)


def _round(x, decimals: int):
    v = to_float(x)
    return round(v, decimals) if math.isfinite(v) else None


def _reading(r: dict, lang: str) -> tuple[str, str]:
    flags = as_flags(r.get("flags"))
    status = effect_status(r.get("mean_delta"), r.get("p_adjusted"), flags, r.get("n"))
    return status_label(status, lang), flag_text(flags, lang)


def estimate_sheet(df: pd.DataFrame, key: str, lang: str, decimals: int = 1) -> pd.DataFrame:
    """An estimate frame as people read it: headers in ``lang``, values rounded to ``decimals``, the
    adjusted p in words, the design and the reading (the one rule of
    :mod:`analysis.core.significance`); the error-bar helpers ``_plus``/``_minus`` last.

    Examples
    --------
    >>> e = pd.DataFrame({"program": ["A"], "n": [40], "mean_delta": [8.2345], "ci_low": [6.91], "ci_high": [9.55],
    ...                   "p_adjusted": [0.00004], "estimate": ["before_after"], "flags": [[]]})
    >>> estimate_sheet(e, "program", "id").iloc[0, :7].astype(str).tolist()
    ['A', '40', '8.2', '6.9', '9.6', '< 0,001', 'sebelum–sesudah saja']
    """
    rows = []
    for r in df.to_dict("records"):
        reading, notes = _reading(r, lang)
        d, lo, hi = (_round(r.get(c), decimals) for c in ("mean_delta", "ci_low", "ci_high"))
        design = r.get("estimate") or r.get("design")
        rows.append({
            _tr(f"col.{key}", lang): r.get(key), _tr("col.n", lang): int(to_float(r.get("n")) or 0),
            _tr("col.change", lang): d, _tr("col.ci_low", lang): lo, _tr("col.ci_high", lang): hi,
            _tr("col.p", lang): fmt_p(r.get("p_adjusted"), lang).removeprefix("p = ").removeprefix("p "),
            _tr("col.design", lang): _tr(f"design.{design}", lang) if f"design.{design}" in STRINGS else "–",
            _tr("col.reading", lang): reading, _tr("col.notes", lang): notes,
            "_plus": None if d is None or hi is None else max(0.0, hi - d),
            "_minus": None if d is None or lo is None else max(0.0, d - lo)})
    return pd.DataFrame(rows)


def ikm_sheet(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The service units' IKM, the lowest first: unit, respondents, IKM and its 95% CI (two
    decimals), grade, weakest element, notes.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_layanan": ["RSUD", "Puskesmas"], "n": [300, 80], "ikm": [78.3, 64.99],
    ...                   "ikm_ci_low": [77.012, 63.5], "ikm_ci_high": [79.6, 66.48], "grade": ["B", "D"]})
    >>> ikm_sheet(u, "en").iloc[0, :5].astype(str).tolist()
    ['Puskesmas', '80', '64.99', '63.5', '66.48']
    """
    df = units.assign(_ikm=pd.to_numeric(units["ikm"], errors="coerce")).sort_values("_ikm", kind="stable")
    return pd.DataFrame({
        _tr("col.unit", lang): df["unit_layanan"],
        _tr("col.respondents", lang): df["n"].astype("Int64") if "n" in df else None,
        _tr("col.ikm", lang): df["_ikm"].round(2),
        _tr("col.ci_low", lang): pd.to_numeric(df.get("ikm_ci_low"), errors="coerce").round(2),
        _tr("col.ci_high", lang): pd.to_numeric(df.get("ikm_ci_high"), errors="coerce").round(2),
        _tr("col.grade", lang): df["grade"] if "grade" in df else None,
        _tr("col.weakest", lang): [t_or(f"element.{e}", "–", lang) if isinstance(e, str) else "–"
                                   for e in df.get("weakest_element", [None] * len(df))],
        _tr("col.notes", lang): [flag_text(as_flags(f), lang) for f in df.get("flags", [None] * len(df))],
    }).reset_index(drop=True)


def mentoring_sheet(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The mentoring summary as people read it: all districts first, then each district.

    Examples
    --------
    >>> s = pd.DataFrame({"level": ["overall"], "kecamatan": [None], "pairs": [30], "mentees": [30],
    ...     "comparison": [90], "estimate": [0.4], "ci_low": [0.2], "ci_high": [0.6], "p_adjusted": [0.001],
    ...     "status": ["increase"], "flags": [""]})
    >>> mentoring_sheet(s, "en").iloc[0, :4].astype(str).tolist()
    ['All districts', '30', '30', '90']
    """
    rows = []
    for r in summary.to_dict("records"):
        rows.append({
            _tr("col.kecamatan", lang): _tr("level.overall", lang) if r["level"] == "overall" else r["kecamatan"],
            _tr("col.pairs", lang): r.get("pairs"), _tr("col.mentees", lang): r.get("mentees"),
            _tr("col.comparison", lang): r.get("comparison"), _tr("col.effect", lang): _round(r.get("estimate"), 2),
            _tr("col.ci_low", lang): _round(r.get("ci_low"), 2), _tr("col.ci_high", lang): _round(r.get("ci_high"), 2),
            _tr("col.p", lang): fmt_p(r.get("p_adjusted"), lang).removeprefix("p = ").removeprefix("p "),
            _tr("col.reading", lang): status_label(r.get("status") or "no_estimate", lang),
            _tr("col.notes", lang): flag_text(as_flags(r.get("flags")), lang)})
    return pd.DataFrame(rows)


def summary_sheet(m: Meeting, lang: str) -> pd.DataFrame:
    """The verdict per level, then the headline figures (as numbers).

    Examples
    --------
    >>> from analysis.report.meeting import gather
    >>> rows = pd.DataFrame({"program": ["A"] * 12, "nilai_pre": [60.0 + i for i in range(12)],
    ...                      "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> sheet = summary_sheet(gather(rows), "id")
    >>> sheet.iloc[0, :2].tolist(), sheet.iloc[-4, :2].tolist()
    (['Pengetahuan (L2)', 'Terbukti naik'], ['Program naik signifikan — Nilai post-test − pre-test (poin)', '100%'])
    """
    rows = [{_tr("col.level", lang): level_label(v.level, lang), _tr("col.verdict", lang): verdict_label(v, lang),
             _tr("col.programs", lang): counts_text(v, lang), _tr("col.design", lang): design_text(v, lang) or "–",
             _tr("col.measure", lang): measure_text(v.level, lang)} for v in m.verdicts]
    rows.append({})
    for key, value in m.headline.items():
        label = m.headline_labels.get(key) or t_or(f"headline.{key}", key, lang)
        rows.append({_tr("col.level", lang): label, _tr("col.verdict", lang): headline_text(key, value, lang)})
    return pd.DataFrame(rows)


def _data_blocks(m: Meeting, lang: str) -> list[tuple[str, pd.DataFrame]]:
    headline = pd.DataFrame({"key": list(m.headline), "value": [to_float(v) for v in m.headline.values()]})
    blocks = [(_tr("sheet.summary", lang), headline)] + [(f"{_tr('sheet.' + k, lang)}", df) for k, df in m.rankings.items() if df is not None]
    if m.kecamatan is not None:
        blocks.append((_tr("sheet.kecamatan", lang), m.kecamatan))
    if m.ikm_units is not None:
        blocks.append((_tr("sheet.ikm", lang), m.ikm_units))
    if m.mentoring is not None:
        blocks.append((_tr("sheet.mentoring", lang), m.mentoring))
    return blocks


def _write_display(wb, ws, df: pd.DataFrame, fm: _Formats, number_format: str) -> None:
    """A display table: readable headers, numbers with ``number_format``, the helper columns hidden."""
    shown = [c for c in df.columns if c not in _HIDDEN]
    fmt = wb.add_format({"num_format": number_format})
    for c, name in enumerate(df.columns):
        ws.write_string(0, c, _text(_tr("helper", "id") if name in _HIDDEN else name), fm.header)
        width = len(str(name))
        for r, v in enumerate(df[name].tolist(), start=1):
            if isinstance(v, float) and math.isfinite(v):
                ws.write_number(r, c, v, fmt)
                w = 8
            else:
                w = _write_cell(ws, r, c, v, fm)
            width = max(width, w)
        ws.set_column(c, c, min(max(width + 2, 8), 60), None, {"hidden": name in _HIDDEN})
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(df), 1), len(shown) - 1)


def _bar_chart(wb, ws, sheet: str, df: pd.DataFrame, value_col: int, title: str, *, errors: bool,
               value_range: tuple[float, float] | None = None) -> None:
    """A native bar chart of column ``value_col`` by the first column, beside the table."""
    n = len(df)
    if not n:
        return
    chart = wb.add_chart({"type": "bar"})
    series = {"name": title, "categories": [sheet, 1, 0, n, 0], "values": [sheet, 1, value_col, n, value_col],
              "fill": {"color": "#B3D4EA"}, "border": {"color": "#0072B2"},
              "data_labels": {"value": True, "num_format": "0.0" if errors else "0.00"}}
    if errors:
        plus, minus = (list(df.columns).index(h) for h in _HIDDEN)
        series["x_error_bars"] = {"type": "custom", "plus_values": [sheet, 1, plus, n, plus],
                                  "minus_values": [sheet, 1, minus, n, minus]}
    chart.add_series(series)
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True})  # the first row on top, as in the table
    chart.set_x_axis({"min": value_range[0], "max": value_range[1]} if value_range else {})
    chart.show_hidden_data()
    chart.set_size({"width": 760, "height": max(320, 24 * n + 120)})
    ws.insert_chart(1, len(df.columns) + 1, chart)


def _write_data(ws, blocks: Sequence[tuple[str, pd.DataFrame]], fm: _Formats) -> None:
    """Every table at full precision, one block under another, each under its name."""
    row = 0
    for name, df in blocks:
        ws.write_string(row, 0, _text(name), fm.title)
        row += 1
        df = _flat_columns(df)
        for c, col in enumerate(df.columns):
            ws.write_string(row, c, _text(col), fm.header)
            for r, v in enumerate(df[col].tolist(), start=row + 1):
                _write_cell(ws, r, c, v, fm)
        row += len(df) + 2


def _about(ws, fm: _Formats, m: Meeting, lang: str, contents: list[tuple[str, str]]) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, _text(m.title), fm.title)
    ws.write_string(1, 0, _text(m.subtitle))
    ws.write_string(2, 0, t("export.cover.generated", lang))
    ws.write_datetime(2, 1, pd.Timestamp(m.generated).to_pydatetime(), fm.date)
    row = 4
    if m.synthetic:
        ws.write_string(row, 0, t("common.synthetic", lang), fm.synthetic)
        ws.write_string(row, 1, t("export.cover.synthetic_note", lang))
        row += 2
    for line in m.sources.values():
        ws.write_string(row, 0, _tr("about.sources", lang), fm.bold)
        ws.write_string(row, 1, _text(line))
        row += 1
    row += 1
    ws.write_string(row, 0, _tr("about.sheet", lang), fm.header)
    ws.write_string(row, 1, _tr("about.what", lang), fm.header)
    for name, what in contents:
        row += 1
        ws.write_string(row, 0, _text(name))
        ws.write_string(row, 1, _text(what))
    row += 2
    ws.write_string(row, 0, _tr("about.rounding", lang, sheet=_tr("sheet.data", lang)), fm.note)
    ws.write_string(row + 1, 0, t("export.cover.formula_note", lang), fm.note)


def meeting_workbook(m: Meeting, lang: str = "id", row_level: bool = False) -> bytes:
    """The meeting's workbook (sheets in the order of the module docstring); the training rows only
    with ``row_level`` (analysts and administrators).

    Examples
    --------
    >>> import openpyxl
    >>> from analysis.report.meeting import gather
    >>> rows = pd.DataFrame({"program": ["A"] * 12, "nilai_pre": [60.0 + i for i in range(12)],
    ...                      "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> wb = openpyxl.load_workbook(io.BytesIO(meeting_workbook(gather(rows), "en")))
    >>> wb.sheetnames
    ['About', 'Summary', 'Scorecard', 'Programs - knowledge', 'Full data']
    >>> [c.value for c in wb["Programs - knowledge"][1]][:4]
    ['Program', 'Complete pairs', 'Change', '95% CI low']
    """
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    planned: list[tuple[str, str, pd.DataFrame | None]] = [("summary", "summary", summary_sheet(m, lang))]
    if m.scorecard is not None:
        planned.append(("scorecard", "scorecard", scorecard_table(m.scorecard, lang)))
    for measure, df in m.rankings.items():
        if df is not None:
            decimals = m.decimals.get(measure, 1)
            planned.append((measure, measure, estimate_sheet(df.sort_values("mean_delta", ascending=False,
                                                                            kind="stable"), "program", lang, decimals)))
    if m.kecamatan is not None:
        planned.append(("kecamatan", "kecamatan", estimate_sheet(m.kecamatan, "kecamatan", lang,
                                                                 m.decimals.get(m.measure, 1))))
    if m.ikm_units is not None:
        planned.append(("ikm", "ikm", ikm_sheet(m.ikm_units, lang)))
    if m.mentoring is not None:
        planned.append(("mentoring", "mentoring", mentoring_sheet(m.mentoring, lang)))
    planned.append(("data", "data", None))
    if row_level:
        planned.append(("rows", "rows", m.rows.drop(columns=["_sheet"], errors="ignore")))
    about = _tr("sheet.about", lang)
    names = _sheet_names([_tr(f"sheet.{key}", lang) for key, _, _ in planned], about)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    fm = _Formats(wb)
    _about(wb.add_worksheet(about), fm, m, lang,
           [(name, _tr(f"about.{what}", lang)) for name, (_, what, _) in zip(names, planned)])
    for name, (key, _, df) in zip(names, planned):
        ws = wb.add_worksheet(name)
        if key == "data":
            _write_data(ws, _data_blocks(m, lang), fm)
        elif key in ("knowledge", "performance", "kecamatan"):
            decimals = m.decimals.get(m.measure if key == "kecamatan" else key, 1)
            _write_display(wb, ws, df, fm, "0." + "0" * decimals)
            what = _tr(f"sheet.{key}", lang)
            _bar_chart(wb, ws, name, df, 2, _tr("chart.title", lang, what=what), errors=True)
        elif key == "ikm":
            _write_display(wb, ws, df, fm, "0.00")
            _bar_chart(wb, ws, name, df, 2, _tr("chart.ikm", lang), errors=False, value_range=(25, 100))
        else:
            _write_frame(ws, _flat_columns(df), fm)
    wb.close()
    return buf.getvalue()


__all__ = ["meeting_workbook", "estimate_sheet", "ikm_sheet", "mentoring_sheet", "summary_sheet"]
