"""Citizen voice figures: IKM per unit or district with grades, the nine elements, before vs after,
the trend with engagement events, and comment theme counts (PermenPANRB 14/2017). Grades and their
names come from :mod:`analysis.voice.ikm`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.report.charts.base import (
    BLACK,
    BLUE,
    GRADE_COLOURS,
    GREEN,
    GREY,
    LINE_WIDTH,
    MARKER_SIZE,
    ORANGE,
    LIGHT_GREY,
    NEUTRAL,
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
from analysis.core.significance import as_flags, flag_text, to_float
from analysis.core.fmt import fmt_int, fmt_number
from analysis.core.i18n import t, t_or
from analysis.core.periods import period_start
from analysis.voice.ikm import ELEMENTS, GRADE_BANDS, grade, grade_label

IKM_RANGE = (25.0, 100.0)
NRR_RANGE = (1.0, 4.0)
EVENT_COLOURS = {"forum": ORANGE, "open_house": GREEN}
SAMPLE_FLAGS = frozenset({"sample_short", "small_sample"})


def _by_column(df: pd.DataFrame, by: str | None) -> str:
    if by is not None:
        require_columns(df, [by])
        return by
    for col in ("unit_layanan", "kecamatan"):
        if col in df.columns:
            return col
    raise ValueError(f"df needs a 'unit_layanan' or 'kecamatan' column (or pass by=), has {list(df.columns)}")


def _band_lines(fig: go.Figure, lang: str, axis: str = "x", scale: float = 1.0) -> None:
    """A dotted line where each better grade starts (65,00 C, 76,61 B, 88,31 A)."""
    better = [letter for _, letter in GRADE_BANDS[1:]] + ["A"]
    for letter, (upper, _) in zip(better, GRADE_BANDS):
        threshold = float(upper)
        v = threshold / scale
        label = f"{letter} ≥ {fmt_number(threshold, 2, lang)}" if scale == 1 else letter
        common = dict(line=dict(color=GREY, width=2, dash="dot"), annotation_text=label,
                      annotation_font=dict(size=14, color=TEXT_MUTED))
        if axis == "x":
            fig.add_vline(x=v, annotation_position="top", **common)
        else:
            fig.add_hline(y=v, annotation_position="top left", **common)


def ikm_bars(df: pd.DataFrame, lang: str = "id", *, by: str | None = None,
             title: str | None = None) -> go.Figure:
    """IKM per service unit or kecamatan as bars coloured by grade, with the band thresholds
    65,00 / 76,61 / 88,31 drawn.

    Parameters
    ----------
    df : DataFrame
        One row per unit: ``unit_layanan`` or ``kecamatan``, ``ikm`` (25–100), and optionally
        ``grade`` (computed from ``ikm`` when absent), ``n`` respondents, ``flags`` (units flagged
        ``sample_short`` or ``small_sample`` are hatched and marked ⚠).
    by : str, optional
        The label column (default ``unit_layanan``, else ``kecamatan``).

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per grade present (legend "A Sangat Baik" …); ``customdata[i] = [label, grade]``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["Disdukcapil", "RSUD", "Puskesmas"],
    ...                    "ikm": [90.12, 65.0, 64.99], "n": [400, 120, 80]})
    >>> fig = ikm_bars(df, lang="en")
    >>> [(tr.name, list(tr.x)) for tr in fig.data]
    [('A Very good', [90.12]), ('C Poor', [65.0]), ('D Very poor', [64.99])]
    """
    check_lang(lang)
    if is_empty(df):
        return empty_figure(title or t("chart.ikm.title.unit_layanan", lang), lang)
    by = _by_column(df, by)
    title = title or t_or(f"chart.ikm.title.{by}", "IKM", lang)
    require_columns(df, [by, "ikm"])
    df = df.copy()
    df["ikm"] = pd.to_numeric(df["ikm"], errors="coerce").astype(float)
    computed = df["ikm"].map(grade)
    df["_grade"] = df["grade"].where(df["grade"].notna(), computed) if "grade" in df.columns else computed
    df = df.sort_values("ikm", ascending=True, na_position="first", kind="stable")
    order = [esc(v) for v in df[by]]
    fig = base_figure(title, lang, height=max(380, 40 * len(df) + 200))
    for letter in ["A", "B", "C", "D"] + sorted(set(map(str, df["_grade"].dropna())) - set("ABCD")):
        part = df[df["_grade"].astype("string") == letter]
        if part.empty:
            continue
        recs = part.to_dict("records")
        short = [bool(SAMPLE_FLAGS & set(as_flags(r.get("flags")))) for r in recs]
        hover = []
        for r in recs:
            lines = [f"<b>{esc(r[by])}</b>", f"IKM {fmt_number(r['ikm'], 2, lang)} ({grade_label(letter, lang, with_letter=True)})"]
            if "n" in r:
                lines.append(f"n = {fmt_int(r['n'], lang)} {t('common.respondents', lang)}")
            if as_flags(r.get("flags")):
                lines.append("⚠ " + esc(flag_text(as_flags(r.get("flags")), lang)))
            hover.append("<br>".join(lines))
        fig.add_trace(go.Bar(
            x=floats(part["ikm"]), y=[esc(v) for v in part[by]], orientation="h", name=grade_label(letter, lang, with_letter=True),
            marker=dict(color=GRADE_COLOURS.get(letter, GREY), line=dict(color=BLACK, width=1),
                        pattern=dict(shape=["/" if s else "" for s in short], fgcolor=BLACK,
                                     fillmode="overlay")),
            text=[f"{fmt_number(v, 2, lang)} ({letter}){' ⚠' if s else ''}"
                  for v, s in zip(part["ikm"], short)],
            textposition="outside", cliponaxis=False, hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=[[r[by], letter] for r in recs]))
    _band_lines(fig, lang)
    fig.update_xaxes(range=[IKM_RANGE[0], IKM_RANGE[1] + 8], title=dict(text=t("chart.ikm.axis", lang)))
    fig.update_yaxes(categoryorder="array", categoryarray=order, title=None)
    fig.update_layout(barmode="overlay", bargap=0.25)
    return fig


def _nrr_values(nrr) -> dict[str, float]:
    if isinstance(nrr, pd.DataFrame):
        key = next((c for c in ("element", "unsur") if c in nrr.columns), None)
        if key is not None:
            require_columns(nrr, [key, "nrr"], name="nrr")
            items = zip(nrr[key], nrr["nrr"])
        elif len(nrr) == 1:
            items = nrr.iloc[0].items()
        else:
            raise ValueError("nrr must have 'element' (or 'unsur') and 'nrr' columns, or be one row "
                             f"with u1…u9 columns; got columns {list(nrr.columns)}")
    elif isinstance(nrr, (Mapping, pd.Series)):
        items = nrr.items()
    else:
        raise ValueError(f"nrr must be a mapping, Series or DataFrame, got {type(nrr).__name__}")
    out = {}
    for k, v in items:
        key = str(k).strip().lower()
        key = re.sub(r"^(nrr_|unsur_?)", "", key)
        if key in ELEMENTS:
            out[key] = to_float(v)
    return out


def ikm_elements(nrr, lang: str = "id", *, title: str | None = None) -> go.Figure:
    """The nine elements' mean scores (NRR, 1–4) as bars, the lowest highlighted.

    Parameters
    ----------
    nrr : mapping, Series or DataFrame
        ``{"u1": 3.2, …}`` (the ``"nrr"`` object of ``python -m analysis ikm --json``), a frame with
        ``element``/``unsur`` and ``nrr`` columns, or one row with ``u1``…``u9`` columns.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace, U1 at the top; ``customdata[i] = [element]``. Grade thresholds divided by 25
        (2,60 / 3,06 / 3,53) are drawn for reference.

    Examples
    --------
    >>> fig = ikm_elements({f"u{i}": 3.0 + i / 20 for i in range(1, 10)}, lang="en")
    >>> fig.data[0].y[0], fig.data[0].x[0], fig.data[0].marker.color[0]
    ('U1 Requirements', 3.05, '#D55E00')
    """
    check_lang(lang)
    title = title or t("chart.elements.title", lang)
    empty = nrr is None or (isinstance(nrr, (pd.DataFrame, pd.Series)) and len(nrr) == 0)
    values = {} if empty else _nrr_values(nrr)
    if not values or not any(math.isfinite(v) for v in values.values()):
        return empty_figure(title, lang)
    keys = list(ELEMENTS)
    xs = [values.get(k, math.nan) for k in keys]
    finite = [v for v in xs if math.isfinite(v)]
    low = min(finite)
    colours = [VERMILLION if math.isfinite(v) and v == low else LIGHT_GREY for v in xs]
    labels = [t(f"element.{k}", lang) for k in keys]
    weakest = [c == VERMILLION for c in colours]
    text = [fmt_number(v, 2, lang) + (f" ← {t('chart.elements.lowest', lang)}" if w else "")
            for v, w in zip(xs, weakest)]
    fig = base_figure(title, lang, height=560)
    fig.add_trace(go.Bar(x=[v if math.isfinite(v) else None for v in xs], y=labels, orientation="h",
                         marker=dict(color=colours, line=dict(color=BLACK, width=1)), text=text,
                         textposition="outside", cliponaxis=False, showlegend=False,
                         hovertext=[f"<b>{lab}</b><br>NRR {fmt_number(v, 3, lang)}"
                                    + (f"<br>{t('chart.elements.weakest', lang)}" if w else "")
                                    for lab, v, w in zip(labels, xs, weakest)],
                         hovertemplate="%{hovertext}<extra></extra>", customdata=[[k] for k in keys]))
    _band_lines(fig, lang, scale=25.0)
    fig.update_xaxes(range=[NRR_RANGE[0], NRR_RANGE[1] + 0.6], title=dict(text=t("chart.elements.axis", lang)))
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    return fig


def ikm_dumbbell(df: pd.DataFrame, lang: str = "id", *, by: str | None = None,
                 before_col: str = "ikm_before", after_col: str = "ikm_after",
                 title: str | None = None) -> go.Figure:
    """IKM before vs after the programs per unit: a hollow dot (before) joined to a filled dot
    (after), blue when it rose, vermillion when it fell.

    Parameters
    ----------
    df : DataFrame
        ``unit_layanan`` or ``kecamatan``, ``ikm_before``, ``ikm_after`` (column names adjustable)
        and optionally ``n_before``, ``n_after``.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: the connecting segments, "before", "after: up" and "after: down" (each
        ``customdata[i] = [label]``).

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["RSUD", "Kantor Camat"], "ikm_before": [70.0, 80.0],
    ...                    "ikm_after": [78.5, 79.0]})
    >>> fig = ikm_dumbbell(df, lang="en")
    >>> [tr.name for tr in fig.data], list(fig.data[2].x), list(fig.data[3].x)
    (['Change', 'Before', 'After: up', 'After: down'], [78.5], [79.0])
    """
    check_lang(lang)
    title = title or t("chart.dumbbell.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    by = _by_column(df, by)
    require_columns(df, [by, before_col, after_col])
    df = df.copy()
    df["_b"] = pd.to_numeric(df[before_col], errors="coerce").astype(float)
    df["_a"] = pd.to_numeric(df[after_col], errors="coerce").astype(float)
    df = df.sort_values("_a", ascending=True, na_position="first", kind="stable")
    labels = [esc(v) for v in df[by]]
    hover = []
    for r in df.to_dict("records"):
        lines = [f"<b>{esc(r[by])}</b>",
                 f"{t('common.before', lang)}: {fmt_number(r['_b'], 2, lang)} ({grade_label(grade(r['_b']), lang, with_letter=True)})"
                 + (f", n = {fmt_int(r['n_before'], lang)}" if "n_before" in r else ""),
                 f"{t('common.after', lang)}: {fmt_number(r['_a'], 2, lang)} ({grade_label(grade(r['_a']), lang, with_letter=True)})"
                 + (f", n = {fmt_int(r['n_after'], lang)}" if "n_after" in r else ""),
                 f"{t('common.change', lang)}: {fmt_number(r['_a'] - r['_b'], 2, lang)}"]
        hover.append("<br>".join(lines))
    xs, ys = [], []
    for b, a, lab in zip(df["_b"], df["_a"], labels):
        xs += [b if math.isfinite(b) else None, a if math.isfinite(a) else None, None]
        ys += [lab, lab, None]
    fig = base_figure(title, lang, height=max(380, 44 * len(df) + 200))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=GREY, width=LINE_WIDTH + 2),
                             name=t("common.change", lang), hoverinfo="skip", showlegend=False))
    up = (df["_a"] >= df["_b"]).to_numpy()
    custom = np.array([[v] for v in df[by]], dtype=object)
    fig.add_trace(go.Scatter(x=floats(df["_b"]), y=labels, mode="markers", name=t("common.before", lang),
                             marker=dict(symbol="circle-open", size=MARKER_SIZE + 2, color=GREY,
                                         line=dict(width=LINE_WIDTH)),
                             hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", customdata=custom))
    labels_arr = np.array(labels, dtype=object)
    hover_arr = np.array(hover, dtype=object)
    for key, mask, colour in (("up", up, BLUE), ("down", ~up, VERMILLION)):
        if not mask.any():
            continue
        fig.add_trace(go.Scatter(x=floats(df["_a"][mask]), y=list(labels_arr[mask]), mode="markers",
                                 name=t(f"chart.dumbbell.after_{key}", lang),
                                 marker=dict(size=MARKER_SIZE + 4, color=colour, line=dict(color=BLACK, width=1)),
                                 hovertext=list(hover_arr[mask]), hovertemplate="%{hovertext}<extra></extra>",
                                 customdata=custom[mask].tolist()))
    _band_lines(fig, lang)
    fig.update_xaxes(title=dict(text=t("chart.ikm.axis", lang)))
    fig.update_yaxes(categoryorder="array", categoryarray=labels, title=None)
    return fig


def _fmt_date(d, lang: str) -> str:
    d = pd.Timestamp(d)
    return d.strftime("%d/%m/%Y") if lang == "id" else d.strftime("%Y-%m-%d")


def ikm_trend(df: pd.DataFrame, lang: str = "id", *, events: pd.DataFrame | None = None,
              period_col: str = "periode", group_col: str | None = None,
              title: str | None = None) -> go.Figure:
    """IKM over periods (one line per group), with community events as vertical markers.

    Parameters
    ----------
    df : DataFrame
        ``periode`` (dates, pandas Periods, or text like ``2025-03``/``2025Q1``/``2025-S1``), ``ikm``,
        optionally a group column (``group_col``: ``unit_layanan`` or ``kecamatan``) and ``n``.
    events : DataFrame, optional
        Engagement events: ``tanggal``, ``jenis_kegiatan`` (``forum``, ``open_house``, …) and
        optionally ``jumlah_peserta``, ``kecamatan``, ``unit_layanan``. One dashed vertical line per
        event, one trace per kind.

    Returns
    -------
    plotly.graph_objects.Figure
        IKM line traces (x = period start), then event traces on a hidden 0–1 axis ``y2``.

    Examples
    --------
    >>> trend = pd.DataFrame({"periode": ["2025Q1", "2025Q2", "2025Q3"], "ikm": [74.0, 77.5, 80.25]})
    >>> ev = pd.DataFrame({"tanggal": pd.to_datetime(["2025-05-10"]), "jenis_kegiatan": ["forum"],
    ...                    "jumlah_peserta": [45]})
    >>> fig = ikm_trend(trend, events=ev, lang="en")
    >>> list(fig.data[0].y), fig.data[1].name, fig.data[1].yaxis
    ([74.0, 77.5, 80.25], 'Citizen forum', 'y2')
    """
    check_lang(lang)
    title = title or t("chart.trend.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    require_columns(df, [period_col, "ikm"] + ([group_col] if group_col else []))
    df = df.copy()
    df["_x"] = period_start(df[period_col], period_col)
    df["_y"] = pd.to_numeric(df["ikm"], errors="coerce").astype(float)
    df = df.sort_values("_x", kind="stable")
    fig = base_figure(title, lang, height=520)
    groups = [(None, df)] if group_col is None else list(df.groupby(group_col, sort=True))
    for key, part in groups:
        name = t("chart.trend.overall", lang) if key is None else esc(key)
        hover = []
        for r in part.to_dict("records"):
            line = (f"<b>{name}</b><br>{esc(r[period_col])}<br>IKM {fmt_number(r['_y'], 2, lang)} "
                    f"({grade_label(grade(r['_y']), lang, with_letter=True)})")
            if "n" in r:
                line += f"<br>n = {fmt_int(r['n'], lang)} {t('common.respondents', lang)}"
            hover.append(line)
        fig.add_trace(go.Scatter(x=list(part["_x"]), y=floats(part["_y"]), mode="lines+markers", name=name,
                                 line=dict(width=LINE_WIDTH + (1 if key is None else 0)),
                                 marker=dict(size=MARKER_SIZE - 2), hovertext=hover,
                                 hovertemplate="%{hovertext}<extra></extra>",
                                 customdata=[[key] for _ in range(len(part))]))
    if not is_empty(events):
        require_columns(events, ["tanggal", "jenis_kegiatan"], name="events")
        ev = events.copy()
        ev["_d"] = pd.to_datetime(ev["tanggal"], errors="coerce")
        ev = ev[ev["_d"].notna()].sort_values("_d", kind="stable")
        kinds = ev["jenis_kegiatan"].astype("string").fillna("").str.strip().str.lower()
        for i, kind in enumerate(sorted(kinds.unique())):
            part = ev[kinds == kind]
            label = t_or(f"event.{kind}", kind.replace("_", " ").capitalize() or "–", lang)
            xs, ys, hover = [], [], []
            for r in part.to_dict("records"):
                people = fmt_int(r.get("jumlah_peserta"), lang)
                text = t("chart.trend.event_hover", lang, kind=esc(label), date=_fmt_date(r["_d"], lang),
                         people=people)
                place = r.get("kecamatan") if isinstance(r.get("kecamatan"), str) else r.get("unit_layanan")
                if isinstance(place, str) and place:
                    text += f"<br>{esc(place)}"
                xs += [r["_d"], r["_d"], None]
                ys += [0, 1, None]
                hover += [text, text, None]
            colour = EVENT_COLOURS.get(kind, NEUTRAL)  # orange and green mean the two known kinds only
            fig.add_trace(go.Scatter(x=xs, y=ys, yaxis="y2", mode="lines+markers", name=label,
                                     line=dict(color=colour, width=2, dash="dash"),
                                     marker=dict(symbol="triangle-down", size=[0, 16, 0] * len(part),
                                                 color=colour),
                                     hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
        fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1.02], visible=False, fixedrange=True))
    _band_lines(fig, lang, axis="y")
    # month names in plotly are English: Indonesian axes show month/year numbers instead
    fig.update_xaxes(title=dict(text=t("chart.trend.xaxis", lang)),
                     tickformat="%m/%Y" if lang == "id" else "%b %Y")
    fig.update_layout(yaxis=dict(title=dict(text=t("chart.ikm.axis", lang))))
    return fig


def theme_counts(df: pd.DataFrame, lang: str = "id", *, label_col: str | None = None,
                 count_col: str | None = None, title: str | None = None,
                 top: int | None = None) -> go.Figure:
    """How many comments mention each theme, as horizontal bars (largest on top).

    Parameters
    ----------
    df : DataFrame
        A label column (``tema``, ``theme`` or ``label``) and a count (``n``, ``jumlah`` or ``count``).
    top : int, optional
        Keep only the ``top`` largest themes.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace; ``customdata[i] = [theme]``.

    Examples
    --------
    >>> fig = theme_counts(pd.DataFrame({"tema": ["biaya", "waktu pelayanan"], "n": [3, 12]}))
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['biaya', 'waktu pelayanan'], [3.0, 12.0])
    """
    check_lang(lang)
    title = title or t("chart.themes.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    label_col = label_col or next((c for c in ("tema", "theme", "label") if c in df.columns), None)
    count_col = count_col or next((c for c in ("n", "jumlah", "count") if c in df.columns), None)
    if label_col is None or count_col is None:
        raise ValueError(f"df needs a theme column (tema/theme/label) and a count column "
                         f"(n/jumlah/count), has {list(df.columns)}")
    require_columns(df, [label_col, count_col])
    df = df.sort_values(count_col, ascending=False, kind="stable")
    if top is not None:
        df = df.head(top)
    df = df.iloc[::-1]
    counts = pd.to_numeric(df[count_col], errors="coerce")
    fig = base_figure(title, lang, height=max(360, 40 * len(df) + 180))
    fig.add_trace(go.Bar(x=floats(counts), y=[esc(v) for v in df[label_col]], orientation="h",
                         marker=dict(color=NEUTRAL), text=[fmt_int(c, lang) for c in counts],
                         textposition="outside", cliponaxis=False, showlegend=False,
                         hovertext=[f"<b>{esc(v)}</b><br>{fmt_int(c, lang)}" for v, c in zip(df[label_col], counts)],
                         hovertemplate="%{hovertext}<extra></extra>",
                         customdata=[[v] for v in df[label_col]]))
    fig.update_xaxes(title=dict(text=t("chart.themes.axis", lang)), rangemode="tozero")
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=[esc(v) for v in df[label_col]])
    return fig


__all__ = ["ikm_bars", "ikm_elements", "ikm_dumbbell", "ikm_trend", "theme_counts"]
