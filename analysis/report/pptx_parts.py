"""The building blocks of the meeting deck (python-pptx): the slide grid, text boxes, native bar
charts with 95% CI error bars, tables split over slides, speaker notes, and the check that every
shape lies inside its slide.

Everything is placed on one grid (:data:`SLIDE_W` × :data:`SLIDE_H`, 16:9): a takeaway title on top
(:data:`TITLE_BOX`), the finding in the body (:data:`BODY_TOP` to :data:`BODY_BOTTOM`), a short
note under it (:data:`NOTE_BOX`) and the synthetic-data tag at the bottom right. Text is never
smaller than 14 pt on a slide; long content continues on the next slide instead of running off it.
:mod:`analysis.report.deck` composes the slides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analysis.core.i18n import t
from analysis.report.charts.base import BLACK
from analysis.report.safe import neutralise

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
#: left, top, width, height of the title: two lines of 28 pt.
TITLE_BOX = (Inches(0.5), Inches(0.25), Inches(12.3), Inches(1.15))
BODY_TOP, BODY_BOTTOM = Inches(1.5), Inches(6.25)
NOTE_BOX = (Inches(0.5), Inches(6.3), Inches(9.6), Inches(1.05))
TAG_BOX = (Inches(10.3), Inches(6.95), Inches(2.8), Inches(0.45))
TITLE_PT = 28
MIN_PT = 14


def rgb(hex_colour: str) -> RGBColor:
    """``"#0072B2"`` as a python-pptx colour.

    Examples
    --------
    >>> str(rgb("#0072b2"))
    '0072B2'
    """
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def spreadsheet_safe(text) -> str:
    """Text for a chart category: python-pptx writes categories into the chart's embedded workbook
    with xlsxwriter's ``write()``, which would turn ``=…`` into a formula.

    Examples
    --------
    >>> spreadsheet_safe("=1+1")
    "'=1+1"
    """
    return neutralise(str(text))


def textbox(slide, left, top, width, height, text: str, size: int = 18, bold: bool = False,
            colour: str | None = None, align=None, shrink: bool = False):
    """A word-wrapped text box, one paragraph per line of ``text``; ``shrink`` lets PowerPoint
    shrink the text should it not fit.

    Examples
    --------
    >>> slide = _blank()
    >>> box = textbox(slide, Inches(1), Inches(1), Inches(4), Inches(1), "satu\\ndua", size=16)
    >>> [p.runs[0].font.size.pt for p in box.text_frame.paragraphs]
    [16.0, 16.0]
    """
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    if shrink:
        tf.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, line in enumerate(text.split("\n")):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour:
            run.font.color.rgb = rgb(colour)
        if align is not None:
            p.alignment = align
    return box


def new_slide(prs, title: str, synthetic: bool, lang: str, notes: str = ""):
    """A "Title Only" slide with the takeaway ``title`` (28 pt, left, two lines at most before it
    shrinks), the synthetic-data tag when ``synthetic`` and ``notes`` as speaker notes.

    Examples
    --------
    >>> prs = _presentation()
    >>> slide = new_slide(prs, "8 dari 12 program naik", True, "id", notes="Cara membaca …")
    >>> slide.shapes.title.text, slide.notes_slide.notes_text_frame.text, len(slide.shapes)
    ('8 dari 12 program naik', 'Cara membaca …', 2)
    """
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = TITLE_BOX
    shape.text = title
    shape.text_frame.word_wrap = True
    shape.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for p in shape.text_frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(TITLE_PT)
            r.font.bold = True
    if synthetic:
        synthetic_tag(slide, lang)
    if notes:
        speaker_notes(slide, notes)
    return slide


def synthetic_tag(slide, lang: str) -> None:
    """"DATA SINTETIS" in white on black at the bottom right (black: a label, not a finding).

    Examples
    --------
    >>> slide = _blank()
    >>> synthetic_tag(slide, "en")
    >>> slide.shapes[0].text_frame.text
    'SYNTHETIC DATA'
    """
    box = textbox(slide, *TAG_BOX, t("common.synthetic", lang), size=14, bold=True, colour="#FFFFFF",
                  align=PP_ALIGN.CENTER)
    box.fill.solid()
    box.fill.fore_color.rgb = rgb(BLACK)


def speaker_notes(slide, text: str) -> None:
    """The slide's speaker notes: the plain reading and the caveats, for whoever presents.

    Examples
    --------
    >>> slide = _blank()
    >>> speaker_notes(slide, "Bacaan: …")
    >>> slide.notes_slide.notes_text_frame.text
    'Bacaan: …'
    """
    slide.notes_slide.notes_text_frame.text = text


def no_data(slide, lang: str) -> None:
    """"No data" across the body.

    Examples
    --------
    >>> slide = _blank()
    >>> no_data(slide, "en")
    >>> slide.shapes[0].text_frame.text
    'No data'
    """
    textbox(slide, Inches(0.5), Inches(3.2), Inches(12.3), Inches(1.0), t("common.no_data", lang), size=28,
            colour="#595959", align=PP_ALIGN.CENTER)


def error_bars(series, plus: Sequence[float], minus: Sequence[float]) -> None:
    """Custom error bars (95% CI) on a bar series: ``c:errBars`` before ``c:cat`` (CT_BarSer).

    Examples
    --------
    >>> chart = bar_chart(_blank(), ["A"], [2.0], ["#D9D9D9"], "x")
    >>> error_bars(chart.plots[0].series[0], [0.5], [0.5])
    >>> chart.plots[0].series[0]._element.find(qn("c:errBars")) is not None
    True
    """
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


def bar_chart(slide, categories, values, colours, series_name: str, *, value_min=None, value_max=None,
              plus=None, minus=None, outlines=None, dashed=None):
    """A native horizontal bar chart in the body: one bar per category (the first at the bottom),
    each with its colour and outline, optionally with 95% CI error bars. The numbers belong in the
    category labels beside the bars (``"Latsar  ·  +8,2 [6,9; 9,5]"``): a data label on a thin bar
    overlaps its neighbours in some renderers, a category label never does.

    Examples
    --------
    >>> chart = bar_chart(_blank(), ["A", "B"], [2.0, 3.5], ["#D9D9D9"] * 2, "Perubahan")
    >>> list(chart.plots[0].categories), list(chart.series[0].values)
    (['A', 'B'], [2.0, 3.5])
    """
    data = CategoryChartData()
    data.categories = [spreadsheet_safe(c) for c in categories]
    data.add_series(series_name, [v if v is not None and math.isfinite(v) else None for v in values])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), BODY_TOP, Inches(12.3),
                                   BODY_BOTTOM - BODY_TOP, data)
    chart = frame.chart
    chart.has_legend = False
    chart.font.size = Pt(MIN_PT)
    plot = chart.plots[0]
    plot.gap_width = 50
    series = plot.series[0]
    series.invert_if_negative = False
    for i, colour in enumerate(colours):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(colour)
        if outlines is not None:
            point.format.line.color.rgb = rgb(outlines[i])
            point.format.line.width = Pt(2.25)
            if dashed is not None and dashed[i]:
                point.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.tick_labels.font.size = Pt(MIN_PT)
    if value_min is not None:
        axis.minimum_scale = value_min
    if value_max is not None:
        axis.maximum_scale = value_max
    chart.category_axis.tick_labels.font.size = Pt(MIN_PT)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # clear of negative bars
    _every_label(chart)
    if plus is not None:
        error_bars(series, plus, minus)
    return chart


def _every_label(chart) -> None:
    """Label every category (``c:tickLblSkip val=1``): a renderer left to choose skips some."""
    ax = chart.category_axis._element
    for old in ax.findall(qn("c:tickLblSkip")):
        ax.remove(old)
    skip = etree.SubElement(ax, qn("c:tickLblSkip"))
    skip.set("val", "1")
    after = ax.find(qn("c:tickMarkSkip"))
    after = after if after is not None else ax.find(qn("c:noMultiLvlLbl"))
    after = after if after is not None else ax.find(qn("c:extLst"))
    if after is not None:
        after.addprevious(skip)


def table(slide, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int], *,
          row_height=Inches(0.42), size: int = MIN_PT, right: Sequence[int] = (), fills=None):
    """A table in the body: a bold header row, ``rows`` of text, column ``widths`` (EMU), the columns
    in ``right`` right-aligned; ``fills[i][j]`` an optional cell colour.

    Examples
    --------
    >>> grid = table(_blank(), ["Program", "n"], [["A", "40"]], [Inches(4), Inches(1)], right=(1,))
    >>> [c.text for c in grid.rows[1].cells], len(grid.rows)
    (['A', '40'], 2)
    """
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.5), BODY_TOP, Emu(sum(widths)),
                                   row_height * (len(rows) + 1))
    grid = shape.table
    for j, w in enumerate(widths):
        grid.columns[j].width = w
    for i in range(len(rows) + 1):
        grid.rows[i].height = row_height
    for i, line in enumerate([list(header)] + [list(r) for r in rows]):
        for j, value in enumerate(line):
            cell = grid.cell(i, j)
            cell.text = str(value)
            if i and fills is not None and fills[i - 1][j]:
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(fills[i - 1][j])
            for p in cell.text_frame.paragraphs:
                if j in right:
                    p.alignment = PP_ALIGN.RIGHT
                for r in p.runs:
                    r.font.size = Pt(size)
                    r.font.bold = i == 0
    return grid


def rows_that_fit(row_height, header: bool = True, top=BODY_TOP, bottom=BODY_BOTTOM) -> int:
    """How many table rows of ``row_height`` fit between ``top`` and ``bottom`` (after a header).

    Examples
    --------
    >>> rows_that_fit(Inches(0.42))
    10
    """
    return max(1, int((bottom - top) // row_height) - (1 if header else 0))


def chunks(items: Sequence, size: int) -> list:
    """``items`` in as few consecutive pieces of at most ``size`` as possible, as even as possible
    (21 rows at 10 a slide: 7, 7, 7 — not 10, 10, 1); one empty piece for no items.

    Examples
    --------
    >>> chunks([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    >>> [len(c) for c in chunks(range(21), 10)], chunks([], 3)
    ([7, 7, 7], [[]])
    """
    items = list(items)
    if not items:
        return [[]]
    even = math.ceil(len(items) / math.ceil(len(items) / size))
    return [items[i:i + even] for i in range(0, len(items), even)]


def lines_needed(texts: Sequence[str], chars_per_line: int) -> int:
    """Lines a list of paragraphs takes when wrapped at ``chars_per_line`` characters.

    Examples
    --------
    >>> lines_needed(["a" * 150, "b"], 100)
    3
    """
    return sum(max(1, math.ceil(len(text) / chars_per_line)) for text in texts)


def outside_shapes(prs) -> list[tuple[int, str]]:
    """Every shape that does not lie wholly inside its slide, as (slide number, shape name).

    Examples
    --------
    >>> from pptx import Presentation
    >>> prs = Presentation()
    >>> prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    >>> slide = prs.slides.add_slide(prs.slide_layouts[6])
    >>> _ = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(2), Inches(2))
    >>> outside_shapes(prs)
    [(1, 'TextBox 1')]
    """
    out = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            left, top, width, height = (shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0)
            if shape.has_table:
                height = sum(row.height for row in shape.table.rows)
                width = sum(col.width for col in shape.table.columns)
            if left < 0 or top < 0 or left + width > prs.slide_width or top + height > prs.slide_height:
                out.append((number, shape.name))
    return out


def _presentation():
    """An empty 16:9 presentation (for the examples)."""
    from pptx import Presentation

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    return prs


def _blank():
    """A blank slide of a new presentation (for the examples)."""
    prs = _presentation()
    return prs.slides.add_slide(prs.slide_layouts[6])
