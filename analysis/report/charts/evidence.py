"""Figures for the dashboard: pure functions, tidy frames in, ``plotly.graph_objects.Figure`` out.

Every function takes ``lang="id"`` (titles and labels from :mod:`analysis.core.i18n`, numbers in hover
texts from :mod:`analysis.core.fmt`), draws a "no data" figure for empty input instead of raising, and
raises ``ValueError`` naming the argument when a required column is missing. Points that a page can
drill into carry their key (program, kecamatan, unit) in ``customdata[0]``, for
``st.plotly_chart(fig, on_select="rerun")``; pass ``theme=None`` there to keep this palette.

This module holds the evidence figures (ranking, before/after, deltas, forest); the map and heat map
live in :mod:`analysis.report.charts.maps`, the citizen-voice figures in :mod:`analysis.report.charts.ikm`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.report.charts.base import (
    BLACK,
    BLUE,
    GREY,
    LIGHT_GREY,
    LINE_WIDTH,
    MARKER_SIZE,
    NEUTRAL,
    STATUS_COLOURS,
    TEXT_MUTED,
    VERMILLION,
    base_figure,
    check_lang,
    empty_figure,
    esc,
    floats,
    is_empty,
    require_columns,
)
from analysis.core.significance import as_flags, effect_status, flag_text, to_float, status_label
from analysis.core.fmt import fmt_int, fmt_number, fmt_p
from analysis.core.i18n import t

__all__ = ["program_ranking", "paired_before_after", "delta_histogram", "forest_plot"]

ESTIMATE_COLUMNS = ["n", "mean_delta", "ci_low", "ci_high", "p_adjusted"]
_SYMBOLS = {"increase": "circle", "decrease": "diamond", "not_significant": "circle",
            "underpowered": "circle-open"}
_STATUS_ORDER = ["increase", "decrease", "not_significant", "underpowered"]
#: Height of one row of a ranking or forest plot: its name above, the dot with its CI, the printed
#: estimate below.
ROW_HEIGHT = 88
#: Row names longer than this wrap onto a second line.
LABEL_WIDTH = 44


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """A row label broken with ``<br>`` between words so that no line is much longer than ``width``.

    Examples
    --------
    >>> wrap_label("Pelatihan Kepemimpinan Administrator Angkatan II", 26)
    'Pelatihan Kepemimpinan<br>Administrator Angkatan II'
    >>> wrap_label("Latsar")
    'Latsar'
    """
    lines, line = [], ""
    for word in str(text).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


def estimate_text(row: Mapping, decimals: int, lang: str) -> str:
    """The estimate and its 95% CI as printed beside a dot: ``+8,2 [6,9; 9,5]``.

    Examples
    --------
    >>> estimate_text({"mean_delta": 8.24, "ci_low": 6.9, "ci_high": 9.5}, 1, "id")
    '+8,2 [6,9; 9,5]'
    >>> estimate_text({"mean_delta": -0.5, "ci_low": float("nan"), "ci_high": None}, 1, "en")
    '-0.5'
    """
    d = to_float(row.get("mean_delta"))
    text = fmt_number(d, decimals, lang)
    if math.isfinite(d) and round(d, decimals) > 0:
        text = "+" + text
    lo, hi = to_float(row.get("ci_low")), to_float(row.get("ci_high"))
    if math.isfinite(lo) and math.isfinite(hi):
        text += f" [{fmt_number(lo, decimals, lang)}; {fmt_number(hi, decimals, lang)}]"
    return text


def _ci_text(lo, hi, decimals: int, lang: str) -> str:
    return f"{t('common.ci95', lang)} {fmt_number(lo, decimals, lang)} – {fmt_number(hi, decimals, lang)}"


def _estimate_hover(row: Mapping, label: str, status: str, decimals: int, lang: str) -> str:
    lines = [f"<b>{label}</b>", status_label(status, lang),  # label: escaped where the rows were labelled
             f"n = {fmt_int(row.get('n'), lang)}",
             f"{t('col.mean_delta', lang)}: {fmt_number(row.get('mean_delta'), decimals, lang)} "
             f"({_ci_text(row.get('ci_low'), row.get('ci_high'), decimals, lang)})",
             f"{t('common.p_adjusted', lang)}: {fmt_p(row.get('p_adjusted'), lang)}"]
    if "effect_size_dz" in row:
        lines.append(f"d_z = {fmt_number(row.get('effect_size_dz'), 2, lang)}")
    flags = as_flags(row.get("flags"))
    if flags:
        lines.append("⚠ " + esc(flag_text(flags, lang)))
    return "<br>".join(lines)


def _with_status(df: pd.DataFrame, labels: pd.Series, lang: str, min_n: int | None) -> pd.DataFrame:
    """``df`` with each group's ``_status``, its row ``_label`` (wrapped) and the ``_note`` printed
    after its estimate: a group with too little data says so there."""
    df = df.reset_index(drop=True)
    status = [effect_status(r["mean_delta"], r["p_adjusted"], as_flags(r.get("flags")), r["n"], min_n)
              for r in df.to_dict("records")]
    small = t("common.small_n", lang)
    return df.assign(_status=status, _label=[wrap_label(lab) for lab in labels.to_numpy()], _note=[
        "" if st != "underpowered" else f" · {small}" if "(n = " in lab else f" · {small} (n = {fmt_int(n, lang)})"
        for lab, st, n in zip(labels.to_numpy(), status, df["n"])])


def _text_sides(d: pd.Series, x_range: tuple[float, float]) -> list[str]:
    """Where each estimate's text goes under its dot: toward the middle near either end of the axis,
    so that no text runs off the plot."""
    lo, hi = x_range
    span = hi - lo if hi > lo else 1.0
    return ["bottom right" if (v - lo) / span < 0.3 else "bottom left" if (v - lo) / span > 0.7 else "bottom center"
            for v in d.fillna(lo)]


def _add_status_trace(fig: go.Figure, part: pd.DataFrame, status: str, key: str, x_range: tuple[float, float],
                      decimals: int, lang: str) -> None:
    """The groups of one status: dots with CI whiskers, or for "no estimate" a text at ``x_left``."""
    hover = [_estimate_hover(r, r["_label"], status, decimals, lang) for r in part.to_dict("records")]
    custom = [[r[key], status] for r in part.to_dict("records")]
    if status == "no_estimate":
        fig.add_trace(go.Scatter(
            x=[x_range[0]] * len(part), y=list(part["_label"]), mode="text", name=status_label(status, lang),
            text=[f"{status_label(status, lang)} (n = {fmt_int(n, lang)})" for n in part["n"]],
            textposition="middle right", textfont=dict(color=TEXT_MUTED), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", customdata=custom))
        return
    d = part["mean_delta"].astype(float)
    colour = STATUS_COLOURS[status]
    fig.add_trace(go.Scatter(
        x=floats(d), y=list(part["_label"]), name=status_label(status, lang),
        mode="markers+text", text=[estimate_text(r, decimals, lang) + r["_note"] for r in part.to_dict("records")],
        textposition=_text_sides(d, x_range), textfont=dict(size=15, color="#222222"), cliponaxis=False,
        marker=dict(symbol=_SYMBOLS[status], size=MARKER_SIZE + 4, color=colour,
                    line=dict(width=LINE_WIDTH, color=colour)),
        error_x=dict(type="data", symmetric=False,
                     array=floats((part["ci_high"].astype(float) - d).clip(lower=0)),
                     arrayminus=floats((d - part["ci_low"].astype(float)).clip(lower=0)),
                     color=colour, thickness=LINE_WIDTH, width=6),
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", customdata=custom))


def _estimate_figure(df: pd.DataFrame, key: str, labels: pd.Series, title: str, x_title: str,
                     lang: str, decimals: int, min_n: int | None,
                     band: tuple[float, float] | None = None) -> go.Figure:
    """Dots with CI whiskers, one row per group, coloured and shaped by status; the group's name above
    its row across the whole width (so a phone's narrow screen keeps the plot), the estimate and its
    CI printed under each dot (readable without hovering); ``band`` shades a reference interval
    (drawn first: ``layout.shapes[0]``)."""
    df = _with_status(df, labels, lang, min_n)
    fig = base_figure(title, lang, height=max(380, ROW_HEIGHT * len(df) + 200))
    finite = pd.concat([df["mean_delta"], df["ci_low"], df["ci_high"]]).astype(float)
    finite = finite[np.isfinite(finite)]
    x_range = (min(0.0, float(finite.min())) if len(finite) else 0.0,
               max(0.0, float(finite.max())) if len(finite) else 1.0)
    for status in _STATUS_ORDER + ["no_estimate"]:
        part = df[df["_status"] == status]
        if not part.empty:
            _add_status_trace(fig, part, status, key, x_range, decimals, lang)
    if band is not None:
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=LIGHT_GREY, opacity=0.5, line_width=0,
                      layer="below")
    fig.add_vline(x=0, line=dict(color=BLACK, width=2, dash="dash"))
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["_label"]), title=None, showticklabels=False)
    fig.update_xaxes(title=dict(text=wrap_label(x_title, 48)))
    names = [dict(text=label, x=0, xref="paper", xanchor="left", y=label, yref="y", yanchor="bottom", yshift=13,
                  showarrow=False, align="left", font=dict(size=16, color="#222222"), bgcolor="rgba(255,255,255,0.85)")
             for label in df["_label"]]
    # at once: add_annotation copies every earlier annotation each time (19 ms against 2 ms for 12 rows)
    fig.update_layout(annotations=list(fig.layout.annotations) + names, margin=dict(l=10))
    return fig


def _order_by_estimate(df: pd.DataFrame) -> pd.DataFrame:
    """Ascending by mean change, missing first: plotly draws the first category at the bottom."""
    return df.sort_values("mean_delta", ascending=True, na_position="first", kind="stable")


def program_ranking(df: pd.DataFrame, lang: str = "id", *, title: str | None = None,
                    x_title: str | None = None, decimals: int = 1,
                    min_n: int | None = None) -> go.Figure:
    """Programs ranked by mean change, each with its 95% CI; small groups hollow and labelled.

    Parameters
    ----------
    df : DataFrame
        One row per program: ``program, n, mean_delta, ci_low, ci_high, p_adjusted`` and
        optionally ``effect_size_dz`` and ``flags`` (a list or comma-separated codes, as
        ``analysis.evidence.engine.paired_summary`` writes them; ``too_few_nonzero``, ``small_n``,
        ``underpowered``, ``no_pairs`` mean "too little data").
    lang : {"id", "en"}
    title, x_title : str, optional
        Override the default title and axis label (e.g. to name the measure).
    decimals : int
        Decimals of the change in hover texts.
    min_n : int, optional
        Also treat groups with fewer pairs than this as too small, besides the flags.

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per status (significant increase, decrease, no evidence, too little data);
        ``customdata[i] = [program, status]``.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["Latsar", "PKA"], "n": [40, 4],
    ...     "mean_delta": [8.2, 3.0], "ci_low": [6.9, -2.0], "ci_high": [9.5, 8.0],
    ...     "p_adjusted": [0.0001, 0.6], "flags": [[], ["few_nonzero"]]})
    >>> fig = program_ranking(df, lang="en")
    >>> [tr.name for tr in fig.data]
    ['Significant increase', 'Too little data to conclude']
    >>> fig.data[1].marker.symbol, fig.data[1].customdata[0][0]
    ('circle-open', 'PKA')
    """
    check_lang(lang)
    title = title or t("chart.ranking.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    require_columns(df, ["program", *ESTIMATE_COLUMNS])
    df = _order_by_estimate(df)
    labels = df["program"].map(esc)
    return _estimate_figure(df, "program", labels, title, x_title or t("chart.ranking.xaxis", lang),
                            lang, decimals, min_n)


def _overall_values(overall) -> tuple[float, float, float]:
    if overall is None:
        return math.nan, math.nan, math.nan
    if isinstance(overall, (int, float, np.number)):
        return float(overall), math.nan, math.nan
    if isinstance(overall, (Mapping, pd.Series)):
        return tuple(to_float(overall.get(k)) for k in ("mean_delta", "ci_low", "ci_high"))
    raise ValueError(f"overall must be a number, a mapping or a Series, got {type(overall).__name__}")


def forest_plot(df: pd.DataFrame, lang: str = "id", *, overall=None, title: str | None = None,
                x_title: str | None = None, sort: str = "estimate", decimals: int = 1,
                min_n: int | None = None, label_col: str = "kecamatan") -> go.Figure:
    """Forest plot of the change per kecamatan with 95% CIs and the overall estimate as a reference.

    Parameters
    ----------
    df : DataFrame
        One row per district: ``kecamatan, n, mean_delta, ci_low, ci_high, p_adjusted`` and
        optionally ``flags``, ``effect_size_dz``.
    overall : float, mapping or Series, optional
        The overall estimate (``mean_delta`` and optionally ``ci_low``, ``ci_high``): a solid line,
        with its CI as a shaded band.
    sort : {"estimate", "name", "none"}
        Row order: by estimate (largest at the top), alphabetical, or as given.
    label_col : str
        The grouping column (``"kecamatan"`` by default; ``"program"`` or ``"unit_kerja"`` work too).

    Returns
    -------
    plotly.graph_objects.Figure
        ``customdata[i] = [kecamatan, status]``; row labels carry ``n``.

    Examples
    --------
    >>> df = pd.DataFrame({"kecamatan": ["Medan Baru", "Medan Kota"], "n": [8, 3],
    ...     "mean_delta": [8.2, 1.0], "ci_low": [6.9, -9.0], "ci_high": [9.5, 11.0],
    ...     "p_adjusted": [0.001, 0.8], "flags": [[], ["small_n"]]})
    >>> fig = forest_plot(df, overall={"mean_delta": 6.0, "ci_low": 4.0, "ci_high": 8.0})
    >>> list(fig.data[0].y), fig.layout.shapes[0].x0
    (['Medan Baru (n = 8)'], 4.0)
    """
    check_lang(lang)
    title = title or t("chart.forest.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    require_columns(df, [label_col, *ESTIMATE_COLUMNS])
    if sort == "estimate":
        df = _order_by_estimate(df)
    elif sort == "name":
        df = df.sort_values(label_col, ascending=False, kind="stable")
    elif sort != "none":
        raise ValueError(f"sort must be 'estimate', 'name' or 'none', got {sort!r}")
    labels = pd.Series([f"{esc(k)} (n = {fmt_int(n, lang)})" for k, n in zip(df[label_col], df["n"])],
                       index=df.index)
    mean, lo, hi = _overall_values(overall)
    band = None if math.isnan(lo) or math.isnan(hi) else (lo, hi)
    fig = _estimate_figure(df, label_col, labels, title, x_title or t("chart.ranking.xaxis", lang),
                           lang, decimals, min_n, band)
    if not math.isnan(mean):
        fig.add_vline(x=mean, line=dict(color=BLUE, width=LINE_WIDTH),
                      annotation_text=t("chart.forest.overall", lang,
                                        value=fmt_number(mean, decimals, lang)),
                      annotation_position="top right", annotation_font=dict(color=BLUE))
    return fig


def _pairs(df, before_col: str, after_col: str) -> pd.DataFrame:
    require_columns(df, [before_col, after_col])
    out = df.copy()
    out["_before"] = pd.to_numeric(out[before_col], errors="coerce").astype(float)
    out["_after"] = pd.to_numeric(out[after_col], errors="coerce").astype(float)
    return out[np.isfinite(out["_before"]) & np.isfinite(out["_after"])]


def paired_before_after(df: pd.DataFrame, lang: str = "id", *, before_col: str = "before",
                        after_col: str = "after", before_label: str | None = None,
                        after_label: str | None = None, title: str | None = None,
                        y_title: str | None = None, max_participants: int = 300,
                        decimals: int = 1, seed: int = 0) -> go.Figure:
    """Slope chart: each participant's score before and after, joined by a line; the mean in black.

    Parameters
    ----------
    df : DataFrame
        ``before, after`` (numbers; incomplete pairs are left out) and optionally ``nama`` / ``nip``
        for the hover text, already masked by the caller for the user's role.
    before_label, after_label : str, optional
        Axis labels of the two moments (default "Sebelum"/"Sesudah"; e.g. "Pre-test").
    max_participants : int
        Above this many pairs a fixed random sample (``seed``) is drawn, and the figure says so;
        the mean line always uses every pair.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces "up", "down", "unchanged" (segments separated by ``None``) and the mean.

    Examples
    --------
    >>> df = pd.DataFrame({"before": [60, 70, 80], "after": [75, 65, 80]})
    >>> fig = paired_before_after(df, lang="en")
    >>> [(tr.name, list(tr.y)) for tr in fig.data]
    [('Up', [60.0, 75.0, None]), ('Down', [70.0, 65.0, None]), ('Unchanged', [80.0, 80.0, None]), ('Mean', [70.0, 73.33333333333333])]
    """
    check_lang(lang)
    title = title or t("chart.paired.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    pairs = _pairs(df, before_col, after_col)
    if pairs.empty:
        return empty_figure(title, lang)
    if max_participants < 1:
        raise ValueError(f"max_participants must be at least 1, got {max_participants}")
    labels = (before_label or t("common.before", lang), after_label or t("common.after", lang))
    shown = _sample_rows(pairs, max_participants, seed)
    fig = base_figure(title, lang, height=560)
    _add_participant_lines(fig, shown, labels, decimals, lang)
    _add_mean_line(fig, pairs, labels, decimals, lang)
    if len(pairs) > len(shown):
        fig.add_annotation(text=t("common.showing_of", lang, shown=fmt_int(len(shown), lang),
                                  total=fmt_int(len(pairs), lang)),
                           x=1, y=1.06, xref="paper", yref="paper", xanchor="right",
                           showarrow=False, font=dict(color=TEXT_MUTED))
    fig.update_xaxes(categoryorder="array", categoryarray=list(labels), title=None)
    fig.update_yaxes(title=dict(text=y_title or t("chart.paired.yaxis", lang)))
    return fig


def _sample_rows(rows: pd.DataFrame, at_most: int, seed: int) -> pd.DataFrame:
    """``rows``, or a fixed random sample (``seed``) of ``at_most`` of them, in their order."""
    if len(rows) <= at_most:
        return rows
    rng = np.random.default_rng(seed)
    return rows.iloc[np.sort(rng.choice(len(rows), size=at_most, replace=False))]


def _who(rows: pd.DataFrame) -> pd.Series:
    """Each row's name (else NIP) for the hover, HTML-escaped; empty text when neither is given."""
    for col in ("nama", "nip"):
        if col in rows.columns:
            return rows[col].astype("string").fillna("").map(esc)
    return pd.Series([""] * len(rows), index=rows.index)


def _add_participant_lines(fig: go.Figure, shown: pd.DataFrame, labels: tuple[str, str], decimals: int,
                           lang: str) -> None:
    """One trace per direction (up, down, unchanged): a before→after segment per participant."""
    b_lab, a_lab = labels
    width = 2.5 if len(shown) <= 40 else 1.2
    opacity = 0.9 if len(shown) <= 40 else 0.45
    delta = shown["_after"] - shown["_before"]
    who = _who(shown)
    for key, mask, colour in (("up", delta > 0, BLUE), ("down", delta < 0, VERMILLION), ("same", delta == 0, GREY)):
        part = shown[mask]
        if part.empty:
            continue
        xs, ys, hover = [], [], []
        for b, a, name in zip(part["_before"], part["_after"], who[mask]):
            text = (f"{name + '<br>' if name else ''}{b_lab}: {fmt_number(b, decimals, lang)}"
                    f"<br>{a_lab}: {fmt_number(a, decimals, lang)}"
                    f"<br>{t('common.change', lang)}: {fmt_number(a - b, decimals, lang)}")
            xs += [b_lab, a_lab, None]
            ys += [float(b), float(a), None]
            hover += [text, text, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=t(f"chart.paired.{key}", lang),
                                 line=dict(color=colour, width=width), opacity=opacity,
                                 marker=dict(size=8, color=colour), hovertext=hover,
                                 hovertemplate="%{hovertext}<extra></extra>"))


def _add_mean_line(fig: go.Figure, pairs: pd.DataFrame, labels: tuple[str, str], decimals: int, lang: str) -> None:
    """The mean before and after over every pair (not only those drawn), thick and black."""
    b_lab, a_lab = labels
    mb, ma = float(pairs["_before"].mean()), float(pairs["_after"].mean())
    mean_text = (f"<b>{t('common.mean', lang)}</b> (n = {fmt_int(len(pairs), lang)})<br>"
                 f"{b_lab}: {fmt_number(mb, decimals, lang)}<br>{a_lab}: {fmt_number(ma, decimals, lang)}")
    fig.add_trace(go.Scatter(x=[b_lab, a_lab], y=[mb, ma], mode="lines+markers",
                             name=t("common.mean", lang), line=dict(color=BLACK, width=LINE_WIDTH + 3),
                             marker=dict(size=MARKER_SIZE + 6, color=BLACK, symbol="square"),
                             hovertext=[mean_text, mean_text],
                             hovertemplate="%{hovertext}<extra></extra>"))


def _bin_edges(d: np.ndarray, bins: int | None) -> np.ndarray:
    lo, hi = float(d.min()), float(d.max())
    if bins is not None:
        if bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}")
        if lo == hi:
            return np.array([lo - 0.5, hi + 0.5])
        return np.linspace(lo, hi, bins + 1)
    if np.all(d == np.round(d)) and hi - lo <= 60:
        return np.arange(lo - 0.5, hi + 1.0, 1.0)  # one bar per whole value
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5])
    edges = np.histogram_bin_edges(d, bins="auto")
    return edges if len(edges) <= 41 else np.linspace(lo, hi, 41)


def delta_histogram(df, lang: str = "id", *, before_col: str = "before", after_col: str = "after",
                    bins: int | None = None, title: str | None = None, x_title: str | None = None,
                    decimals: int = 1) -> go.Figure:
    """Distribution of the change per participant, with the mean and zero marked.

    Parameters
    ----------
    df : DataFrame or Series
        A frame with ``delta``, or with ``before`` and ``after`` (delta = after − before), or a
        Series of deltas. Missing values are left out.
    bins : int, optional
        Number of equal bins; by default one bar per whole value when the changes are whole numbers
        spanning at most 60, else numpy's "auto" rule (at most 40 bins).

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace (``x`` bin centres, ``y`` counts); the mean and zero as vertical lines
        (``layout.shapes``), labelled.

    Examples
    --------
    >>> fig = delta_histogram(pd.DataFrame({"delta": [1, 2, 2, -1]}), lang="en")
    >>> list(fig.data[0].x), list(fig.data[0].y)
    ([-1.0, 0.0, 1.0, 2.0], [1, 0, 1, 2])
    >>> [s.x0 for s in fig.layout.shapes]
    [0, 1.0]
    """
    check_lang(lang)
    title = title or t("chart.delta.title", lang)
    if isinstance(df, pd.Series):
        d = pd.to_numeric(df, errors="coerce")
    elif is_empty(df):
        return empty_figure(title, lang)
    elif "delta" in df.columns:
        d = pd.to_numeric(df["delta"], errors="coerce")
    else:
        pairs = _pairs(df, before_col, after_col)
        d = pairs["_after"] - pairs["_before"]
    d = d.astype(float).to_numpy()
    d = d[np.isfinite(d)]
    if d.size == 0:
        return empty_figure(title, lang)
    edges = _bin_edges(d, bins)
    counts, edges = np.histogram(d, bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    widths = np.diff(edges)
    unit = t("common.participants", lang)
    hover = [f"{t('chart.delta.bin', lang, low=fmt_number(lo, decimals, lang), high=fmt_number(hi, decimals, lang))}"
             f": {fmt_int(c, lang)} {unit}" for lo, hi, c in zip(edges[:-1], edges[1:], counts)]
    fig = base_figure(title, lang, height=460)
    fig.add_trace(go.Bar(x=floats(centres), y=[int(c) for c in counts], width=floats(widths * 0.95), name=t("chart.delta.yaxis", lang),
                         marker=dict(color=LIGHT_GREY, line=dict(color=NEUTRAL, width=1.5)), hovertext=hover,
                         hovertemplate="%{hovertext}<extra></extra>", showlegend=False))
    mean = float(d.mean())
    # each label on the far side of its line, so the two never overlap when the mean is near zero
    zero_side, mean_side = ("top left", "top right") if mean >= 0 else ("top right", "top left")
    fig.add_vline(x=0, line=dict(color=BLACK, width=2, dash="dash"),
                  annotation_text=t("chart.delta.zero", lang), annotation_position=zero_side)
    fig.add_vline(x=mean, line=dict(color=VERMILLION, width=LINE_WIDTH + 1),
                  annotation_text=t("chart.delta.mean", lang, value=fmt_number(mean, decimals, lang)),
                  annotation_position=mean_side, annotation_font=dict(color=VERMILLION))
    fig.update_layout(bargap=0.02)
    fig.update_xaxes(title=dict(text=x_title or t("chart.delta.xaxis", lang)))
    fig.update_yaxes(title=dict(text=t("chart.delta.yaxis", lang)), rangemode="tozero")
    return fig

