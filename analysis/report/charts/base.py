"""What every figure shares: one colour-blind-safe palette, a projector-sized layout, the "no data"
figure, and the rule that reads an estimate as increase / decrease / no evidence / too little data.

The palette is Okabe & Ito's (2008), safe for the common colour-vision deficiencies; status is never
shown by colour alone (hollow markers, labels, letters on bars), and each colour means one thing
everywhere (:data:`COLOUR_MEANINGS`). Text that came from a user's file is
HTML-escaped before plotly renders it, so a name such as ``<img src=x onerror=…>`` shows as text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from analysis.core.i18n import t
from analysis.core.significance import to_float

# Okabe–Ito
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
#: Neutral bars and dots that carry no judgement (counts, a mentor's estimate): dark grey, no hue.
NEUTRAL = "#595959"
#: Text that is secondary but must stay readable: 7:1 on white (WCAG AA asks 4.5:1).
TEXT_MUTED = "#595959"
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK]

#: One meaning per colour across the product — charts, deck and workbook. Good news (a significant
#: increase, grade A) is blue and bad news (a significant decrease, grade D) vermillion; grade B is
#: sky, grade C yellow; grey is "no proven change" or "no data"; reddish purple, and only it, is
#: "too little data to conclude" (always hollow, dashed or faded as well, never colour alone);
#: orange and green are the two kinds of community event. Tested in ``tests/report``.
COLOUR_MEANINGS = {
    BLUE: "good", VERMILLION: "bad", SKY: "grade_b", YELLOW: "grade_c", GREY: "no_change",
    PURPLE: "too_little", ORANGE: "forum", GREEN: "open_house", NEUTRAL: "neutral", BLACK: "reference",
}

STATUS_COLOURS = {
    "increase": BLUE,
    "decrease": VERMILLION,
    "not_significant": GREY,
    "underpowered": PURPLE,
    "no_estimate": GREY,
}
GRADE_COLOURS = {"A": BLUE, "B": SKY, "C": YELLOW, "D": VERMILLION}
# ColorBrewer RdBu is colour-blind safe; centred on 0 (red = decrease, blue = increase).
DIVERGING = "RdBu"
SEQUENTIAL = "Cividis"

FONT_SIZE = 18
TITLE_SIZE = 24
LINE_WIDTH = 3
MARKER_SIZE = 14

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family="Arial, Helvetica, sans-serif", size=FONT_SIZE, color="#222222"),
        title=dict(font=dict(size=TITLE_SIZE), x=0.0, xanchor="left"),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(size=FONT_SIZE - 2)),
        legend=dict(font=dict(size=FONT_SIZE - 2), orientation="h", x=0.0, y=0.0,
                    xanchor="left", yanchor="bottom", yref="container"),
        margin=dict(l=20, r=30, t=80, b=160),
        xaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#999999", linecolor="#444444",
                   automargin=True, title=dict(font=dict(size=FONT_SIZE))),
        yaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#999999", linecolor="#444444",
                   automargin=True, title=dict(font=dict(size=FONT_SIZE))),
    )
)


def esc(text) -> str:
    """User text made safe for plotly's pseudo-HTML (``<`` shows as ``<``, never as a tag).

    Examples
    --------
    >>> esc("<b>A & B</b>")
    '&lt;b&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape("" if text is None else str(text), quote=False)


def base_figure(title: str, lang: str = "id", height: int | None = None) -> go.Figure:
    """An empty figure with the shared template, a title, and axis numbers in the reader's locale
    (``separators``: ``2,5`` and ``1.000`` in Indonesian, ``2.5`` and ``1,000`` in English).

    Examples
    --------
    >>> fig = base_figure("Judul")
    >>> fig.layout.title.text, fig.layout.separators
    ('Judul', ',.')
    """
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title=dict(text=title), separators=",." if lang == "id" else ".,")
    if height:
        fig.update_layout(height=int(height))
    return fig


def empty_figure(title: str, lang: str = "id") -> go.Figure:
    """A figure that says "no data" instead of drawing nothing or raising.

    Examples
    --------
    >>> empty_figure("IKM", "en").layout.annotations[0].text
    'No data'
    """
    fig = base_figure(title, lang, height=360)
    fig.add_annotation(text=t("common.no_data", lang), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=TITLE_SIZE, color=TEXT_MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def require_columns(df: pd.DataFrame, columns: Iterable[str], name: str = "df") -> None:
    """Raise ``ValueError`` naming the argument and the missing columns.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: df is missing columns ['b'] (has ['a'])
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} is missing columns {missing} (has {list(df.columns)})")


def floats(values) -> list[float | None]:
    """Plain Python floats for a trace, ``None`` (a gap) where missing or infinite.

    Examples
    --------
    >>> floats(pd.Series([1, None, 2.5]))
    [1.0, None, 2.5]
    """
    out = []
    for v in values:
        x = to_float(v)
        out.append(x if math.isfinite(x) else None)
    return out


def is_empty(df) -> bool:
    """True for ``None`` or a frame without rows.

    Examples
    --------
    >>> is_empty(None), is_empty(pd.DataFrame()), is_empty(pd.DataFrame({"a": [1]}))
    (True, True, False)
    """
    return df is None or len(df) == 0


def check_lang(lang: str) -> None:
    """``ValueError`` unless ``lang`` is ``"id"`` or ``"en"``.

    Examples
    --------
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be 'id' or 'en', got 'fr'
    """
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
