"""The PowerPoint deck an evaluation meeting takes away, built with python-pptx.

Charts are NATIVE PowerPoint charts (editable, data embedded), not images: no browser is needed.
Slides: title, headline figures, program ranking (bar chart with 95% CI error bars), results per
kecamatan (table, continued over slides when long), IKM per unit (bar chart coloured by grade),
method and caveats. Text comes from :mod:`analysis.core.i18n`, numbers from :mod:`analysis.core.fmt`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis.report.charts.base import GRADE_COLOURS, STATUS_COLOURS
from analysis.core.significance import (
    TOO_LITTLE_FLAGS,
    as_flags,
    effect_status,
    flag_text,
    status_label,
    to_float,
)
from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.i18n import t, t_or
from analysis.report.safe import neutralise
from analysis.voice.ikm import grade, grade_label

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
# Pale fills keep black labels readable on the bar and beside it; the outline carries the status
# colour; "too little data" is hollow and dashed, as in the dashboard's ranking.
STATUS_TINTS = {"increase": "#B3D4EA", "decrease": "#F2C6A8", "not_significant": "#E0E0E0",
                "underpowered": "#FFFFFF", "no_estimate": "#FFFFFF"}
# Flags about method, the same for every row: the method slide covers them, the table does not repeat them.
_QUIET_FLAGS = frozenset({"non_normal", "incomplete_pairs", "no_comparison", "comparison_not_used", "underpowered"})
HEADLINE_KEYS = ("participants", "programs", "jp_total", "share_significant", "ikm_now", "ikm_change")


@dataclass
class Deck:
    """What the deck shows; the page fills it from the frames it already has.

    Parameters
    ----------
    title : str
        Title slide heading, e.g. "Evaluasi Pembinaan ASN — Triwulan I 2025".
    subtitle : str
        Second line (period, filters, dataset version).
    headline : mapping
        Headline numbers by key: ``participants``, ``programs``, ``jp_total``,
        ``share_significant`` (0–1), ``ikm_now``, ``ikm_change``; other keys are shown with the key
        as label (a text value is shown as is).
    ranking : DataFrame, optional
        ``program, n, mean_delta, ci_low, ci_high, p_adjusted`` (+ ``flags``), as for
        :func:`analysis.report.charts.evidence.program_ranking`.
    kecamatan : DataFrame, optional
        The same columns with ``kecamatan`` instead of ``program``.
    ikm : DataFrame, optional
        ``unit_layanan`` or ``kecamatan``, ``ikm`` (+ ``grade``, ``n``).
    notes : sequence of str
        Extra caveats for the method slide (design used, correction, data notes).
    measure : str
        What the change measures, e.g. "Nilai post-test − pre-test (poin)".
    synthetic : bool
        Mark every slide "DATA SINTETIS".
    generated : date, optional
        Date on the title slide (default today).
    sources : sequence of str
        The datasets (name and version) the figures come from, one line each; named on the title
        slide and under the headline figures.

    Examples
    --------
    >>> deck = Deck("Evaluasi Pembinaan ASN 2025", headline={"participants": 3012, "ikm_now": 81.2},
    ...             sources=["pelatihan: Rekap 2025, versi 2 (terbit 03-02-2026)"])
    >>> deck.synthetic, sorted(deck.headline), len(deck.sources)
    (False, ['ikm_now', 'participants'], 1)
    """

    title: str
    subtitle: str = ""
    headline: Mapping[str, object] = field(default_factory=dict)
    ranking: pd.DataFrame | None = None
    kecamatan: pd.DataFrame | None = None
    ikm: pd.DataFrame | None = None
    notes: Sequence[str] = ()
    measure: str = ""
    synthetic: bool = False
    generated: dt.date | None = None
    sources: Sequence[str] = ()


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _spreadsheet_safe(text) -> str:
    # python-pptx writes chart categories into the embedded workbook with xlsxwriter's write(),
    # which turns text starting with "=" into a formula: neutralise like the other exports.
    return neutralise(str(text))


def _textbox(slide, left, top, width, height, text: str, size: int = 18, bold: bool = False,
             colour: str | None = None, align=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour:
            run.font.color.rgb = _rgb(colour)
        if align is not None:
            p.alignment = align
    return box


def _slide(prs, title: str, deck: Deck, lang: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0)
    shape.text = title
    for p in shape.text_frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(32)
            r.font.bold = True
    if deck.synthetic:
        _synthetic_tag(slide, lang)
    return slide


def _synthetic_tag(slide, lang: str) -> None:
    box = _textbox(slide, Inches(10.3), Inches(6.95), Inches(2.8), Inches(0.45),
                   t("common.synthetic", lang), size=14, bold=True, colour="#FFFFFF",
                   align=PP_ALIGN.CENTER)
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb("#D55E00")


def _no_data(slide, lang: str) -> None:
    _textbox(slide, Inches(0.5), Inches(3.2), Inches(12.3), Inches(1.0), t("common.no_data", lang),
             size=28, colour="#8C8C8C", align=PP_ALIGN.CENTER)


def _headline_value(key: str, value, lang: str) -> str:
    if isinstance(value, str):
        return value
    v = to_float(value)
    if key in ("participants", "programs", "jp_total"):
        return fmt_int(v, lang)
    if key == "share_significant":
        return fmt_pct(v, 0, lang)
    if key == "ikm_now":
        letter = grade(v)
        return fmt_number(v, 2, lang) + (f" ({letter})" if letter else "")
    if key == "ikm_change":
        text = fmt_number(v, 2, lang)
        return ("+" + text) if math.isfinite(v) and round(v, 2) > 0 else text
    return fmt_number(v, 1, lang)


def _add_headline(prs, deck: Deck, lang: str) -> None:
    slide = _slide(prs, t("deck.headline.title", lang), deck, lang)
    items = list(deck.headline.items())
    if not items:
        _no_data(slide, lang)
        return
    cols = 3
    w, h = Inches(3.9), Inches(2.4)
    for i, (key, value) in enumerate(items[:9]):
        left = Inches(0.5) + (i % cols) * (w + Inches(0.3))
        top = Inches(1.6) + (i // cols) * (h + Inches(0.2))
        box = slide.shapes.add_textbox(left, top, w, h)
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb("#EAF2FA")
        tf = box.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        run = p.add_run()
        run.text = _headline_value(key, value, lang)
        run.font.size = Pt(44)
        run.font.bold = True
        run.font.color.rgb = _rgb("#0072B2")
        p2 = tf.add_paragraph()
        run2 = p2.add_run()
        run2.text = t_or(f"headline.{key}", str(key), lang)
        run2.font.size = Pt(20)
    if deck.sources:
        _textbox(slide, Inches(0.5), Inches(6.55), Inches(9.7), Inches(0.8),
                 t("deck.sources", lang, sources="; ".join(map(str, deck.sources))), size=12, colour="#444444")


def _error_bars(series, plus: Sequence[float], minus: Sequence[float]) -> None:
    """Custom error bars (95% CI) on a bar series: ``c:errBars`` before ``c:cat`` (CT_BarSer)."""
    c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"

    def el(tag, parent=None, **attrs):
        node = etree.SubElement(parent, f"{{{c}}}{tag}") if parent is not None else etree.Element(f"{{{c}}}{tag}")
        for k, v in attrs.items():
            node.set(k, str(v))
        return node

    err = el("errBars")
    el("errBarType", err, val="both")
    el("errValType", err, val="cust")
    el("noEndCap", err, val="0")
    for tag, values in (("plus", plus), ("minus", minus)):
        holder = el(tag, err)
        lit = el("numLit", holder)
        fc = el("formatCode", lit)
        fc.text = "General"
        el("ptCount", lit, val=len(values))
        for i, v in enumerate(values):
            if v is None or not math.isfinite(v):
                continue
            pt = el("pt", lit, idx=i)
            vv = el("v", pt)
            vv.text = repr(float(v))
    sppr = el("spPr", err)
    ln = etree.SubElement(sppr, f"{{{a}}}ln", w="28575")
    fill = etree.SubElement(ln, f"{{{a}}}solidFill")
    etree.SubElement(fill, f"{{{a}}}srgbClr", val="000000")
    ser = series._element
    cat = ser.find(qn("c:cat"))
    if cat is not None:
        cat.addprevious(err)
    else:
        ser.find(qn("c:val")).addprevious(err)


def _bar_chart(slide, categories, values, colours, labels, series_name: str, *, top=Inches(1.4),
               height=Inches(5.4), value_min=None, value_max=None, plus=None, minus=None,
               outlines=None, dashed=None):
    data = CategoryChartData()
    data.categories = [_spreadsheet_safe(c) for c in categories]
    data.add_series(series_name, [v if v is not None and math.isfinite(v) else None for v in values])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), top, Inches(12.3),
                                   height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.font.size = Pt(14)
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.invert_if_negative = False
    for i, (colour, label) in enumerate(zip(colours, labels)):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)
        if outlines is not None:
            point.format.line.color.rgb = _rgb(outlines[i])
            point.format.line.width = Pt(2.25)
            if dashed is not None and dashed[i]:
                point.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        dl = point.data_label
        dl.position = XL_LABEL_POSITION.OUTSIDE_END if plus is None else XL_LABEL_POSITION.INSIDE_BASE
        dl.text_frame.text = label
        for p in dl.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(13)
                r.font.bold = True
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.tick_labels.font.size = Pt(14)
    if value_min is not None:
        axis.minimum_scale = value_min
    if value_max is not None:
        axis.maximum_scale = value_max
    chart.category_axis.tick_labels.font.size = Pt(14)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # clear of negative bars
    if plus is not None:
        _error_bars(series, plus, minus)
    return chart


def _estimate_label(r: Mapping, status: str, lang: str) -> str:
    text = (f"{fmt_number(r['mean_delta'], 1, lang)} [{fmt_number(r['ci_low'], 1, lang)}; "
            f"{fmt_number(r['ci_high'], 1, lang)}]")
    if status == "underpowered":
        text += f" — {t('common.small_n', lang)} (n = {fmt_int(r['n'], lang)})"
    return text


def _add_ranking(prs, deck: Deck, lang: str, max_programs: int) -> None:
    slide = _slide(prs, t("deck.ranking.title", lang), deck, lang)
    df = deck.ranking
    if df is None or len(df) == 0:
        _no_data(slide, lang)
        return
    missing = [c for c in ("program", "n", "mean_delta", "ci_low", "ci_high", "p_adjusted") if c not in df.columns]
    if missing:
        raise ValueError(f"deck.ranking is missing columns {missing}")
    df = df.assign(mean_delta=pd.to_numeric(df["mean_delta"], errors="coerce").astype(float))
    estimable = df[df["mean_delta"].notna()].sort_values("mean_delta", ascending=False, kind="stable")
    dropped = df[df["mean_delta"].isna()]
    shown = estimable.head(max_programs).iloc[::-1]  # PowerPoint draws the first category at the bottom
    notes = []
    if len(estimable) > len(shown):
        notes.append(t("common.showing_of", lang, shown=fmt_int(len(shown), lang),
                       total=fmt_int(len(estimable), lang)))
    if len(dropped):
        notes.append(f"{t('status.no_estimate', lang)}: " + ", ".join(map(str, dropped["program"])))
    if len(shown):
        recs = shown.to_dict("records")
        status = [effect_status(r["mean_delta"], r["p_adjusted"], as_flags(r.get("flags")), r["n"]) for r in recs]
        plus = [to_float(r["ci_high"]) - r["mean_delta"] for r in recs]
        minus = [r["mean_delta"] - to_float(r["ci_low"]) for r in recs]
        _bar_chart(slide, [r["program"] for r in recs], [r["mean_delta"] for r in recs],
                   [STATUS_TINTS[s] for s in status],
                   [_estimate_label(r, s, lang) for r, s in zip(recs, status)],
                   t("deck.ranking.series", lang), height=Inches(4.9),
                   outlines=[STATUS_COLOURS[s] for s in status],
                   dashed=[s == "underpowered" for s in status],
                   plus=[max(0.0, v) if math.isfinite(v) else None for v in plus],
                   minus=[max(0.0, v) if math.isfinite(v) else None for v in minus])
    box = _textbox(slide, Inches(0.5), Inches(6.2), Inches(9.7), Inches(1.1),
                   "\n".join(([deck.measure] if deck.measure else []) + notes), size=13)
    p = box.text_frame.add_paragraph()  # legend: one coloured square per status
    for s in ("increase", "decrease", "not_significant", "underpowered"):
        mark = p.add_run()
        mark.text = "□ " if s == "underpowered" else "■ "
        mark.font.size = Pt(16)
        mark.font.color.rgb = _rgb(STATUS_COLOURS[s])
        words = p.add_run()
        words.text = status_label(s, lang) + "    "
        words.font.size = Pt(13)


def _table_rows(df: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    for r in df.to_dict("records"):
        flags = as_flags(r.get("flags"))
        st = effect_status(r["mean_delta"], r["p_adjusted"], flags, r["n"])
        note = status_label(st, lang)
        extra = [f for f in flags if f not in TOO_LITTLE_FLAGS and f not in _QUIET_FLAGS]
        if extra:
            note += "; " + flag_text(extra, lang)
        rows.append([str(r["kecamatan"]), fmt_int(r["n"], lang), fmt_number(r["mean_delta"], 1, lang),
                     f"{fmt_number(r['ci_low'], 1, lang)} – {fmt_number(r['ci_high'], 1, lang)}",
                     fmt_p(r["p_adjusted"], lang), note])
    return rows


def _add_kecamatan(prs, deck: Deck, lang: str, rows_per_slide: int) -> None:
    title = t("deck.kecamatan.title", lang)
    df = deck.kecamatan
    if df is None or len(df) == 0:
        _no_data(_slide(prs, title, deck, lang), lang)
        return
    missing = [c for c in ("kecamatan", "n", "mean_delta", "ci_low", "ci_high", "p_adjusted") if c not in df.columns]
    if missing:
        raise ValueError(f"deck.kecamatan is missing columns {missing}")
    df = df.sort_values("kecamatan", kind="stable")
    rows = _table_rows(df, lang)
    header = [t("col.kecamatan", lang), t("col.n", lang), t("col.mean_delta", lang), t("col.ci", lang),
              t("col.p_adjusted", lang), t("col.note", lang)]
    widths = [Inches(2.6), Inches(0.9), Inches(1.9), Inches(2.1), Inches(1.7), Inches(3.1)]
    for start in range(0, len(rows), rows_per_slide):
        chunk = rows[start:start + rows_per_slide]
        slide = _slide(prs, title + (f" {t('deck.continued', lang)}" if start else ""), deck, lang)
        shape = slide.shapes.add_table(len(chunk) + 1, len(header), Inches(0.5), Inches(1.4),
                                       Emu(sum(widths)), Inches(0.38) * (len(chunk) + 1))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = w
        for i, line in enumerate([header] + chunk):
            for j, value in enumerate(line):
                cell = table.cell(i, j)
                cell.text = value
                for p in cell.text_frame.paragraphs:
                    if j in (1, 2, 3, 4):
                        p.alignment = PP_ALIGN.RIGHT
                    for r in p.runs:
                        r.font.size = Pt(14 if i == 0 else 13)
                        r.font.bold = i == 0


def _add_ikm(prs, deck: Deck, lang: str, max_units: int) -> None:
    slide = _slide(prs, t("deck.ikm.title", lang), deck, lang)
    df = deck.ikm
    if df is None or len(df) == 0:
        _no_data(slide, lang)
        return
    by = next((c for c in ("unit_layanan", "kecamatan") if c in df.columns), None)
    if by is None or "ikm" not in df.columns:
        raise ValueError(f"deck.ikm needs 'unit_layanan' or 'kecamatan' and 'ikm', has {list(df.columns)}")
    df = df.assign(ikm=pd.to_numeric(df["ikm"], errors="coerce").astype(float))
    df = df[df["ikm"].notna()].sort_values("ikm", ascending=False, kind="stable")
    shown = df.head(max_units).iloc[::-1]
    recs = shown.to_dict("records")
    grades = [str(r["grade"]) if isinstance(r.get("grade"), str) else grade(r["ikm"]) for r in recs]
    labels = [f"{fmt_number(r['ikm'], 2, lang)} ({grade_label(g, lang, with_letter=True)})"
              + (f", n = {fmt_int(r['n'], lang)}" if "n" in r else "") for r, g in zip(recs, grades)]
    if recs:
        _bar_chart(slide, [r[by] for r in recs], [r["ikm"] for r in recs],
                   [GRADE_COLOURS.get(g, "#8C8C8C") for g in grades], labels, "IKM",
                   height=Inches(4.9), value_min=25, value_max=100)
    lines = [t("method.ikm", lang)]
    if len(df) > len(shown):
        lines.append(t("common.showing_of", lang, shown=fmt_int(len(shown), lang), total=fmt_int(len(df), lang)))
    _textbox(slide, Inches(0.5), Inches(6.3), Inches(9.7), Inches(1.0), "\n".join(lines), size=13)


def _add_method(prs, deck: Deck, lang: str) -> None:
    slide = _slide(prs, t("deck.method.title", lang), deck, lang)
    bullets = [t(k, lang) for k in ("method.before_after", "method.regression", "method.multiple",
                                    "method.small_n", "method.ikm")]
    bullets += [str(n) for n in deck.notes]
    if deck.synthetic:
        bullets.append(t("export.cover.synthetic_note", lang))
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.4))
    tf = box.text_frame
    tf.word_wrap = True
    for i, text in enumerate(bullets):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = "• " + text
        run.font.size = Pt(18)
        p.space_after = Pt(10)


def to_pptx_bytes(deck: Deck, lang: str = "id", *, max_programs: int = 15, rows_per_slide: int = 12,
                  max_units: int = 15) -> bytes:
    """The meeting deck as ``.pptx`` bytes.

    Parameters
    ----------
    deck : Deck
        Frames and strings to show.
    lang : {"id", "en"}
    max_programs, max_units : int
        Bars on the ranking and IKM charts (the largest first; the slide says how many are shown).
    rows_per_slide : int
        Table rows per kecamatan slide; longer tables continue on the next slide.

    Returns
    -------
    bytes
        Slides in order: title, headline figures, program ranking (native bar chart with 95% CI
        error bars), per-kecamatan table (one or more), IKM (native bar chart), method and caveats.

    Examples
    --------
    >>> from pptx import Presentation
    >>> ranking = pd.DataFrame({"program": ["Latsar", "PKA"], "n": [40, 4], "mean_delta": [8.2, 3.0],
    ...     "ci_low": [6.9, -2.0], "ci_high": [9.5, 8.0], "p_adjusted": [0.0001, 0.6],
    ...     "flags": [[], ["few_nonzero"]]})
    >>> data = to_pptx_bytes(Deck("Evaluasi 2025", headline={"participants": 1234}, ranking=ranking),
    ...                      lang="en")
    >>> prs = Presentation(io.BytesIO(data))
    >>> len(prs.slides)
    6
    >>> chart = next(s.chart for s in prs.slides[2].shapes if s.has_chart)
    >>> list(chart.plots[0].categories), list(chart.series[0].values)
    (['PKA', 'Latsar'], [3.0, 8.2])
    """
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    if not isinstance(deck, Deck):
        raise ValueError(f"deck must be an analysis.report.deck.Deck, got {type(deck).__name__}")
    for name, value in (("max_programs", max_programs), ("rows_per_slide", rows_per_slide),
                        ("max_units", max_units)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, sub = slide.shapes.title, slide.placeholders[1]
    for shape, top, height in ((title, Inches(2.0), Inches(1.6)), (sub, Inches(3.8), Inches(1.6))):
        shape.left, shape.top, shape.width, shape.height = Inches(0.8), top, Inches(11.7), height
    title.text = deck.title
    generated = deck.generated or dt.date.today()
    date_text = (f"{generated.day:02d}/{generated.month:02d}/{generated.year}" if lang == "id"
                 else generated.isoformat())
    sources = t("deck.sources", lang, sources="; ".join(map(str, deck.sources))) if deck.sources else ""
    sub.text = "\n".join([s for s in (deck.subtitle, sources, t("deck.generated", lang, date=date_text)) if s])
    if deck.synthetic:
        _synthetic_tag(slide, lang)
    _add_headline(prs, deck, lang)
    _add_ranking(prs, deck, lang, max_programs)
    _add_kecamatan(prs, deck, lang, rows_per_slide)
    _add_ikm(prs, deck, lang, max_units)
    _add_method(prs, deck, lang)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


__all__ = ["Deck", "to_pptx_bytes", "HEADLINE_KEYS"]
