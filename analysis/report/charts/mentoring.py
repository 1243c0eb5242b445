"""Figures of the mentoring evaluation: each mentor's shrunk effect, and the change by sessions.

Tidy frames in, ``plotly.graph_objects.Figure`` out, as in :mod:`analysis.report.charts.evidence`;
labels are HTML-escaped (:func:`analysis.report.charts.base.esc`), so a page passes masked NIPs or
names for a viewer and nothing in a label is read as markup.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.core.fmt import fmt_int, fmt_number
from analysis.core.i18n import t
from analysis.report.charts.base import (
    BLACK,
    NEUTRAL,
    GREY,
    LINE_WIDTH,
    MARKER_SIZE,
    base_figure,
    check_lang,
    empty_figure,
    esc,
    floats,
    is_empty,
    require_columns,
)

__all__ = ["mentor_effects_chart", "dose_chart"]


def mentor_effects_chart(df: pd.DataFrame, lang: str = "id", *, overall: float | None = None,
                         label_col: str = "label", title: str | None = None, at_most: int = 40) -> go.Figure:
    """Mentors ranked by their shrunk estimate with its 95% interval, the raw mean of their mentees
    beside it (grey), and the overall mean as a line.

    Parameters
    ----------
    df : DataFrame
        ``label_col`` (the mentor's label: a name, or a masked NIP for a viewer), ``mentees``,
        ``mean_change``, ``shrunk_change``, ``ci_low``, ``ci_high``.
    overall : float, optional
        The overall mean the estimates are shrunk toward.
    at_most : int
        Show the first ``at_most`` mentors by shrunk estimate (the chart stays readable).

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["<b>Ani</b>", "Budi"], "mentees": [1, 8], "mean_change": [3.0, 2.0],
    ...                    "shrunk_change": [1.6, 1.7], "ci_low": [0.8, 1.2], "ci_high": [2.4, 2.2]})
    >>> fig = mentor_effects_chart(df, "en", overall=1.3)
    >>> list(fig.data[0].y)
    ['&lt;b&gt;Ani&lt;/b&gt; (n = 1)', 'Budi (n = 8)']
    """
    check_lang(lang)
    title = title or t("chart.mentors.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    require_columns(df, [label_col, "mentees", "mean_change", "shrunk_change", "ci_low", "ci_high"])
    shown = df.dropna(subset=["shrunk_change"]).sort_values("shrunk_change", ascending=False, kind="stable")
    shown = shown.head(at_most).iloc[::-1]  # plotly draws the first category at the bottom
    if shown.empty:
        return empty_figure(title, lang)
    labels = [f"{esc(k)} (n = {fmt_int(n, lang)})" for k, n in zip(shown[label_col], shown["mentees"])]
    est, lo, hi = (np.asarray(floats(shown[c]), dtype=float) for c in ("shrunk_change", "ci_low", "ci_high"))
    fig = base_figure(title, lang, height=max(420, 28 * len(shown) + 220))
    fig.add_trace(go.Scatter(
        x=est, y=labels, mode="markers", name=t("chart.mentors.shrunk", lang),
        marker=dict(color=NEUTRAL, size=MARKER_SIZE),
        error_x=dict(type="data", symmetric=False, array=hi - est, arrayminus=est - lo, color=NEUTRAL,
                     thickness=2),
        hovertext=[f"{lab}<br>{fmt_number(e, 2, lang)} [{fmt_number(a, 2, lang)}; {fmt_number(b, 2, lang)}]"
                   for lab, e, a, b in zip(labels, est, lo, hi)], hoverinfo="text"))
    fig.add_trace(go.Scatter(
        x=floats(shown["mean_change"]), y=labels, mode="markers", name=t("chart.mentors.raw", lang),
        marker=dict(color=GREY, size=MARKER_SIZE * 0.6, symbol="x"), hoverinfo="skip"))
    if overall is not None and np.isfinite(overall):
        fig.add_vline(x=overall, line=dict(color=GREY, width=LINE_WIDTH, dash="dash"),
                      annotation_text=t("chart.mentors.overall", lang, value=fmt_number(overall, 2, lang)))
    fig.update_layout(xaxis_title=t("chart.mentors.xaxis", lang), legend=dict(orientation="h", y=-0.2))
    return fig


def dose_chart(changes: pd.DataFrame, lang: str = "id", *, slope: float | None = None,
               intercept: float | None = None, title: str | None = None) -> go.Figure:
    """Each mentee's change beyond the comparison against their sessions (slightly spread so equal
    values stay visible), with the fitted line.

    Examples
    --------
    >>> ch = pd.DataFrame({"jumlah_sesi": [4.0, 6, 8, 10], "change": [0.0, 0, 1, 1]})
    >>> fig = dose_chart(ch, "en", slope=0.2, intercept=-0.9)
    >>> [tr.mode for tr in fig.data], [float(v) for v in fig.data[1].x]
    (['markers', 'lines'], [4.0, 10.0])
    """
    check_lang(lang)
    title = title or t("chart.dose.title", lang)
    if is_empty(changes):
        return empty_figure(title, lang)
    require_columns(changes, ["jumlah_sesi", "change"])
    x = pd.to_numeric(changes["jumlah_sesi"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(changes["change"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return empty_figure(title, lang)
    spread = (np.arange(ok.sum()) % 7 - 3) * 0.04  # a fixed jitter: the same picture every run
    fig = base_figure(title, lang)
    fig.add_trace(go.Scatter(x=x[ok] + spread, y=y[ok] + spread / 2, mode="markers", name=t("chart.dose.mentee", lang),
                             marker=dict(color=NEUTRAL, size=MARKER_SIZE * 0.6, opacity=0.5), hoverinfo="skip"))
    if slope is not None and intercept is not None and np.isfinite(slope) and np.isfinite(intercept):
        xs = np.array([x[ok].min(), x[ok].max()])
        fig.add_trace(go.Scatter(x=xs, y=intercept + slope * xs, mode="lines",
                                 name=t("chart.dose.slope", lang, value=fmt_number(slope, 3, lang)),
                                 line=dict(color=BLACK, width=LINE_WIDTH)))
    fig.update_layout(xaxis_title=t("chart.dose.xaxis", lang), yaxis_title=t("chart.dose.yaxis", lang),
                      legend=dict(orientation="h", y=-0.2))
    return fig
