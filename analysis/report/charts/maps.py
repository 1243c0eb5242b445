"""Where: a schematic map of the kecamatan and a program × kecamatan heat map of effect sizes.

The map is a tile map: one equal hexagon per district of the district table (Kemendagri codes,
Kepmendagri 300.2.2-2138/2025; another table through ``EVALUASI_DISTRICTS``) in roughly its place
(:mod:`analysis.report.charts.tiles`), each with its name and value printed inside, no latitude or
longitude axes, the colour bar below the map (so a phone keeps the map's width) — it works
offline and reads on a projector. An administrator may supply a boundaries GeoJSON
FeatureCollection; its features are matched to districts by a property holding the kode
(``12.71.17`` or ``127117``) or the name, and drawn as filled areas instead.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go

from analysis.report.charts.base import (
    DIVERGING,
    GREY,
    LIGHT_GREY,
    PURPLE,
    SEQUENTIAL,
    TEXT_MUTED,
    base_figure,
    check_lang,
    empty_figure,
    esc,
    floats,
    is_empty,
    require_columns,
)
from analysis.core.significance import ALPHA, as_flags, effect_status, flag_text, is_underpowered, to_float
from analysis.core import districts
from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number, fmt_p
from analysis.core.i18n import t
from analysis.report.charts.tiles import hexagon, tile_layout

MAX_GEOJSON_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_POINTS = 500_000
SIGNIFICANT_MARK = "*"
SMALL_MARK = "•"
#: Opacity of places and cells with too little data to conclude: their colour is shown faded, never
#: at full strength (the one rule of analysis.core.significance).
FADED = 0.35


def load_districts(path: str | Path | None = None) -> pd.DataFrame:
    """The district table (``kode, kecamatan, lat, lon``), by default the configured one.

    Examples
    --------
    >>> d = load_districts()
    >>> len(d), d.loc[d["kecamatan"] == "Medan Baru", "kode"].item()
    (21, '12.71.17')
    """
    df = districts.load_districts(path).table
    require_columns(df, ["kode", "kecamatan", "lat", "lon"], name=str(path or "districts"))
    return df.copy()


def _name_key(text) -> str:
    s = str(text).casefold().replace("-", " ").replace("_", " ")
    s = re.sub(r"^\s*(kecamatan|kec\.?)\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _short_name(name) -> str:
    """Map label: the name without the city prefix (``Medan Baru`` → ``Baru``); the hover keeps it."""
    text = str(name)
    return text[6:] if text.startswith("Medan ") and len(text) > 6 else text


def _district_lookup(districts: pd.DataFrame) -> dict[str, str]:
    """Text (kode with/without dots, name, name without the city prefix) → kode."""
    lookup: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    for kode, name in zip(districts["kode"], districts["kecamatan"]):
        lookup[kode.strip()] = kode
        lookup[kode.replace(".", "").strip()] = kode
        key = _name_key(name)
        lookup[key] = kode
        short.setdefault(key.split(" ", 1)[-1], []).append(kode)
    for key, kodes in short.items():
        if len(kodes) == 1:
            lookup.setdefault(key, kodes[0])
    return lookup


def _match(value, lookup: Mapping[str, str]) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return lookup.get(text) or lookup.get(_name_key(text))


def _rings(geometry) -> list[np.ndarray]:
    if not isinstance(geometry, Mapping):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    out = []
    for poly in polygons or []:
        if not isinstance(poly, list) or not poly:
            continue
        try:
            ring = np.asarray(poly[0], dtype=float)  # outer ring only; holes are not drawn
        except (TypeError, ValueError):
            raise AnalysisError(
                "geojson_invalid", "Koordinat GeoJSON tidak berupa angka.",
                "The GeoJSON coordinates are not numbers.") from None
        if ring.ndim == 2 and ring.shape[1] >= 2 and len(ring) >= 3:
            out.append(ring[:, :2])
    return out


def parse_geojson(data, districts: pd.DataFrame | None = None) -> tuple[dict[str, list[np.ndarray]], list[str]]:
    """Match the features of a boundaries GeoJSON to districts.

    Parameters
    ----------
    data : bytes, str or dict
        A GeoJSON FeatureCollection of Polygon/MultiPolygon features whose properties carry the
        district's kode or name.
    districts : DataFrame, optional
        The district table (default :func:`load_districts`).

    Returns
    -------
    (dict, list)
        ``{kode: [ring, …]}`` (outer rings as ``(k, 2)`` lon/lat arrays) and the labels of the
        features that matched no district.

    Raises
    ------
    AnalysisError
        ``geojson_invalid`` (not JSON, not a FeatureCollection) or ``geojson_too_large``.

    Examples
    --------
    >>> square = [[[98.65, 3.56], [98.66, 3.56], [98.66, 3.57], [98.65, 3.56]]]
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"nama": "Kec. Medan Baru"},
    ...      "geometry": {"type": "Polygon", "coordinates": square}},
    ...     {"type": "Feature", "properties": {"nama": "Atlantis"},
    ...      "geometry": {"type": "Polygon", "coordinates": square}}]}
    >>> shapes, unmatched = parse_geojson(fc)
    >>> list(shapes), unmatched
    (['12.71.17'], ['Atlantis'])
    """
    if isinstance(data, (bytes, bytearray, str)):
        if len(data) > MAX_GEOJSON_BYTES:
            raise AnalysisError(
                "geojson_too_large",
                f"Berkas GeoJSON lebih dari {MAX_GEOJSON_BYTES // 2**20} MB; sederhanakan batasnya.",
                f"The GeoJSON file exceeds {MAX_GEOJSON_BYTES // 2**20} MB; simplify the boundaries.")
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise AnalysisError("geojson_invalid", "Berkas batas wilayah bukan JSON yang sah.",
                                "The boundaries file is not valid JSON.") from None
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise AnalysisError("geojson_invalid",
                            "Berkas batas wilayah harus GeoJSON FeatureCollection.",
                            "The boundaries file must be a GeoJSON FeatureCollection.")
    districts = load_districts() if districts is None else districts
    lookup = _district_lookup(districts)
    shapes: dict[str, list[np.ndarray]] = {}
    unmatched: list[str] = []
    points = 0
    for i, feature in enumerate(data["features"]):
        if not isinstance(feature, Mapping):
            continue
        props = feature.get("properties") or {}
        props = props if isinstance(props, Mapping) else {}
        kode = next((k for k in (_match(v, lookup) for v in props.values()) if k), None)
        rings = _rings(feature.get("geometry"))
        points += sum(len(r) for r in rings)
        if points > MAX_GEOJSON_POINTS:
            raise AnalysisError(
                "geojson_too_large",
                f"GeoJSON memuat lebih dari {MAX_GEOJSON_POINTS:,} titik; sederhanakan batasnya."
                .replace(",", "."),
                f"The GeoJSON holds more than {MAX_GEOJSON_POINTS:,} points; simplify the boundaries.")
        if kode is None:
            label = next((str(v) for v in props.values() if isinstance(v, str)), f"#{i + 1}")
            unmatched.append(label)
        elif rings:
            shapes.setdefault(kode, []).extend(rings)
    return shapes, unmatched


def _join_values(df: pd.DataFrame | None, value_col: str, districts: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    out = districts.copy()
    out["_value"] = math.nan
    out["_n"] = math.nan
    out["_flags"] = [[] for _ in range(len(out))]
    out["_has"] = False
    if is_empty(df):
        return out, []
    key_col = "kode_kecamatan" if "kode_kecamatan" in df.columns else "kecamatan"
    require_columns(df, [key_col, value_col])
    lookup = _district_lookup(districts)
    pos = {k: i for i, k in enumerate(out["kode"])}
    unmatched = []
    for rec in df.to_dict("records"):
        kode = _match(rec[key_col], lookup)
        if kode is None:
            unmatched.append(str(rec[key_col]))
            continue
        i = pos[kode]
        out.at[i, "_value"] = to_float(rec[value_col])
        out.at[i, "_n"] = to_float(rec.get("n"))
        out.at[i, "_flags"] = as_flags(rec.get("flags"))
        out.at[i, "_has"] = True
    return out, unmatched


def _colour_scale(values: pd.Series, diverging: bool | None) -> tuple[float, float, list]:
    """``(cmin, cmax, colourscale)``: red–blue centred on 0 when ``diverging`` (by default when the
    values have both signs), else Cividis from the smallest to the largest value."""
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if diverging is None:
        diverging = lo < 0 < hi
    if diverging:
        m = max(abs(lo), abs(hi)) or 1.0
        return -m, m, DIVERGING
    return lo, (hi if hi > lo else lo + 1.0), SEQUENTIAL


def _hover_text(r: Mapping, value_label: str, decimals: int, lang: str) -> str:
    """A district's hover: name and kode, then its value, n and flags, or "no data"."""
    lines = [f"<b>{esc(r['kecamatan'])}</b> ({r['kode']})"]
    if not r["_has"] or not math.isfinite(r["_value"]):
        lines.append(t("chart.map.no_data", lang))
    else:
        lines.append(f"{esc(value_label)}: {fmt_number(r['_value'], decimals, lang)}")
        if math.isfinite(r["_n"]):
            lines.append(f"n = {fmt_int(r['_n'], lang)}")
        if r["_flags"]:
            lines.append("⚠ " + esc(flag_text(r["_flags"], lang)))
    return "<br>".join(lines)


def _add_areas(fig: go.Figure, joined: pd.DataFrame, shapes: Mapping[str, list[np.ndarray]],
               colours: tuple[float, float, list], hover) -> None:
    """One filled area per district with boundaries, in its value's colour (light grey without)."""
    cmin, cmax, scale = colours
    for r in joined.to_dict("records"):
        rings = shapes.get(r["kode"])
        if not rings:
            continue
        xs, ys = [], []
        for ring in rings:
            xs += floats(ring[:, 0]) + [None]
            ys += floats(ring[:, 1]) + [None]
        if r["_has"] and math.isfinite(r["_value"]):
            frac = (r["_value"] - cmin) / (cmax - cmin) if cmax > cmin else 0.5
            colour = pcolors.sample_colorscale(scale, [min(1.0, max(0.0, frac))])[0]
        else:
            colour = LIGHT_GREY
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour,
                                 line=dict(color="white", width=1.5), hoveron="fills",
                                 text=hover(r), hoverinfo="text", showlegend=False,
                                 name=str(r["kode"]), uid=f"area_{r['kode']}"))


def _value_text(value: float, decimals: int, lang: str, signed: bool) -> str:
    text = fmt_number(value, decimals, lang)
    return ("+" + text) if signed and math.isfinite(value) and round(value, decimals) > 0 else text


def _labels(joined: pd.DataFrame, has: pd.Series, small: pd.Series, decimals: int, lang: str,
            signed: bool) -> pd.Series:
    """Each tile's text: the short name and the value (a change with its sign; ``•`` marks too
    little data, ``–`` no data)."""
    out = []
    for name, value, ok, few in zip(joined["kecamatan"], joined["_value"], has, small):
        value_text = _value_text(value, decimals, lang, signed) + (" •" if few else "") if ok else "–"
        out.append(f"<b>{esc(_short_name(name))}</b><br>{value_text}")
    return pd.Series(out, index=joined.index)


def _tile_colour(r: Mapping, colours: tuple[float, float, list]) -> str:
    cmin, cmax, scale = colours
    if not (r["_has"] and math.isfinite(r["_value"])):
        return LIGHT_GREY
    frac = (r["_value"] - cmin) / (cmax - cmin) if cmax > cmin else 0.5
    return pcolors.sample_colorscale(scale, [min(1.0, max(0.0, frac))])[0]


def _add_tiles(fig: go.Figure, joined: pd.DataFrame, small: pd.Series, colours: tuple[float, float, list],
               hover) -> None:
    """One filled hexagon per district (``uid = tile_<kode>``): its value's colour, faded with a
    dashed purple outline when the data are too few, light grey without data."""
    for r, few in zip(joined.to_dict("records"), small):
        xs, ys = hexagon(r["tile_x"], r["tile_y"])
        line = dict(color=PURPLE, width=3, dash="dash") if few else dict(color="white", width=2)
        fill = _tile_colour(r, colours)
        if few:  # the colour faded, the dashed outline at full strength
            fill = "rgba({}, {}, {}, {})".format(*pcolors.hex_to_rgb(fill) if fill.startswith("#")
                                                 else pcolors.unlabel_rgb(fill), FADED)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, line=line, hoveron="fills", text=hover(r),
                                 hoverinfo="text", showlegend=False, name=str(r["kode"]),
                                 uid=f"tile_{r['kode']}"))


def _add_points(fig: go.Figure, part: pd.DataFrame, hover, *, uid: str, name: str, xy: tuple[str, str],
                dark: pd.Series) -> None:
    """The districts' names and values at their tile centres (or centroids, over boundaries) — the
    points a click selects, ``customdata[i] = [kecamatan, kode]``; the colour bar hangs on the
    ``data`` trace. Nothing when ``part`` is empty."""
    if part.empty:
        return
    marker = dict(size=30, opacity=0.01, color=floats(part["_value"]) if uid == "data" else GREY)
    if uid == "data":
        marker["coloraxis"] = "coloraxis"
    fig.add_trace(go.Scatter(
        x=floats(part[xy[0]]), y=floats(part[xy[1]]), mode="markers+text", text=list(part["_label"]),
        textposition="middle center", cliponaxis=False,
        textfont=dict(size=15, color=["white" if d else ("#222222" if uid != "no_data" else TEXT_MUTED)
                                      for d in dark.loc[part.index]]),
        marker=marker, name=name, uid=uid, hovertext=[hover(r) for r in part.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=[[k, c] for k, c in zip(part["kecamatan"], part["kode"])]))


def _dark_tiles(joined: pd.DataFrame, has: pd.Series, small: pd.Series, colours) -> pd.Series:
    """Tiles dark enough that their text is printed in white (the ends of the colour scale)."""
    cmin, cmax, _ = colours
    frac = (joined["_value"] - cmin) / (cmax - cmin) if cmax > cmin else joined["_value"] * 0 + 0.5
    return has & ~small & ((frac < 0.2) | (frac > 0.8))


def _finish_map(fig: go.Figure, lang: str, any_data: bool, geo: bool) -> None:
    """No axes (a schematic map has no coordinates to read), equal aspect, the note above, and
    "no data" across an empty map."""
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1)
    fig.add_annotation(text=t("chart.map.note.geo" if geo else "chart.map.note", lang), x=0, y=1.0, xref="paper",
                       yref="paper", yanchor="bottom", showarrow=False, xanchor="left",
                       font=dict(size=14, color=TEXT_MUTED))
    if not any_data:
        fig.add_annotation(text=t("common.no_data", lang), x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False, font=dict(size=28, color=TEXT_MUTED),
                           bgcolor="rgba(255,255,255,0.8)")


def kecamatan_map(df: pd.DataFrame | None, value_col: str, lang: str = "id", *,
                  districts: pd.DataFrame | None = None, geojson=None, title: str | None = None,
                  value_label: str | None = None, decimals: int = 2, min_n: int | None = None,
                  diverging: bool | None = None) -> go.Figure:
    """Tile map of the kecamatan coloured by a value, name and value printed in each tile; too
    little data faded and marked, no data grey.

    Parameters
    ----------
    df : DataFrame or None
        One row per district: ``kode_kecamatan`` or ``kecamatan`` (official name; ``Kec. …`` and
        the name without "Medan" are matched too), ``value_col`` and optionally ``n``, ``flags``.
    value_col : str
        Column to colour by, e.g. ``"effect_size_dz"`` or ``"ikm"``.
    districts : DataFrame, optional
        The district table (default :func:`load_districts`).
    geojson : bytes, str or dict, optional
        Boundaries FeatureCollection: districts are drawn as filled areas (see :func:`parse_geojson`)
        instead of tiles.
    min_n : int, optional
        Districts with fewer than this ``n`` (besides those the evidence engine flags with too little
        data to conclude) are drawn faded with a dashed purple outline and marked "•".
    diverging : bool, optional
        Red–blue scale centred on 0 (default when the values have both signs), else Cividis.

    Returns
    -------
    plotly.graph_objects.Figure
        One hexagon per district (``tile_<kode>``; with a GeoJSON, ``area_<kode>`` areas instead),
        then the text traces ``data``, ``small`` (too little data) and ``no_data``, each with
        ``customdata[i] = [kecamatan, kode]``; the colour bar lies below the map.
        ``layout.meta["unmatched"]`` lists rows of ``df`` that matched no district.

    Examples
    --------
    >>> df = pd.DataFrame({"kecamatan": ["Medan Baru", "Medan Kota"], "ikm": [82.5, 70.1],
    ...                    "n": [300, 12]})
    >>> fig = kecamatan_map(df, "ikm", min_n=30)
    >>> [(tr.uid, len(tr.x)) for tr in fig.data if not tr.uid.startswith("tile_")]
    [('data', 1), ('small', 1), ('no_data', 19)]
    >>> fig.layout.xaxis.visible, fig.layout.coloraxis.colorbar.orientation
    (False, 'h')
    """
    check_lang(lang)
    districts = load_districts() if districts is None else districts
    require_columns(districts, ["kode", "kecamatan", "lat", "lon"], name="districts")
    joined, unmatched = _join_values(df, value_col, districts)
    joined = tile_layout(joined)
    value_label = value_label or value_col
    has = joined["_has"] & np.isfinite(joined["_value"])
    small = has & np.array([is_underpowered(f, n, min_n) for f, n in zip(joined["_flags"], joined["_n"])],
                           dtype=bool)
    colours = _colour_scale(joined.loc[has, "_value"], diverging)
    rows = int(joined["tile_row"].max()) + 1 if len(joined) else 1
    fig = base_figure(title or t("chart.map.title", lang), lang, height=max(520, 118 * rows + 260))
    fig.update_layout(coloraxis=dict(colorscale=colours[2], cmin=colours[0], cmax=colours[1],
                                     colorbar=dict(title=dict(text=esc(value_label), side="top"), thickness=18,
                                                   orientation="h", x=0.5, xanchor="center", y=-0.02,
                                                   yanchor="top", len=1.0)),  # the title, centred, fits a phone
                      margin=dict(l=10, r=10, t=90, b=110), meta={"unmatched": unmatched})

    def hover(r) -> str:
        return _hover_text(r, value_label, decimals, lang)

    xy = ("tile_x", "tile_y")
    if geojson is not None:
        _add_areas(fig, joined, parse_geojson(geojson, districts)[0], colours, hover)
        xy = ("lon", "lat")
    else:
        _add_tiles(fig, joined, small, colours, hover)
    joined = joined.assign(_label=_labels(joined, has, small, decimals, lang, colours[2] == DIVERGING))
    dark = _dark_tiles(joined, has, small, colours) if geojson is None else has & False
    _add_points(fig, joined[has & ~small], hover, uid="data", name=esc(value_label), xy=xy, dark=dark)
    _add_points(fig, joined[small], hover, uid="small", name=t("common.small_n", lang), xy=xy, dark=dark)
    _add_points(fig, joined[~has], hover, uid="no_data", name=t("chart.map.no_data", lang), xy=xy, dark=dark)
    fig.update_layout(showlegend=False)
    _finish_map(fig, lang, bool(has.any()), geojson is not None)
    return fig


def effect_heatmap(df: pd.DataFrame, lang: str = "id", *, title: str | None = None,
                   min_n: int | None = None, zmax: float | None = None, alpha: float = ALPHA,
                   kecamatan_order: list[str] | None = None,
                   program_order: list[str] | None = None) -> go.Figure:
    """Heat map program × kecamatan of effect sizes d_z, read by the one rule of
    :func:`analysis.core.significance.effect_status`: a cell with too little data to conclude is
    faded and marked "•" (whatever its p-value), a significant cell after correction is marked "*".

    Parameters
    ----------
    df : DataFrame
        One row per program × kecamatan: ``program, kecamatan, effect_size_dz, p_adjusted, n`` and
        optionally ``flags`` (the evidence engine's). Duplicate pairs are an error.
    min_n : int, optional
        Also treat cells with fewer pairs than this as too little data (for tables without the
        engine's flags).
    zmax : float, optional
        Colour range ±zmax (default: largest |d_z|, kept within 0.5–2 so a single huge cell does not
        wash out the rest; the hover shows the exact value).
    kecamatan_order, program_order : list of str, optional
        Column and row order (default: districts alphabetical, programs by mean d_z, largest on top).

    Returns
    -------
    plotly.graph_objects.Figure
        Two heatmap traces on the same grid: ``conclusive`` (full colour) and ``too_little``
        (opacity :data:`FADED`), each with ``z`` only in its own cells; ``z`` rows follow ``y``
        (programs bottom to top), ``text`` holds the marks, ``customdata[i][j] = [program, kecamatan]``.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A", "A", "B"], "kecamatan": ["Medan Baru", "Medan Kota", "Medan Baru"],
    ...     "effect_size_dz": [0.9, 0.1, -0.4], "p_adjusted": [0.01, 0.7, 0.3], "n": [30, 4, 25],
    ...     "flags": [[], ["small_n"], []]})
    >>> full, faded = effect_heatmap(df).data
    >>> list(full.y), list(full.x), [list(r) for r in full.z], [list(r) for r in faded.z]
    (['B', 'A'], ['Medan Baru', 'Medan Kota'], [[-0.4, None], [0.9, None]], [[None, None], [None, 0.1]])
    >>> [list(r) for r in full.text], [list(r) for r in faded.text], faded.opacity
    ([['', ''], ['*', '']], [['', ''], ['', '•']], 0.35)
    """
    check_lang(lang)
    title = title or t("chart.heatmap.title", lang)
    if is_empty(df):
        return empty_figure(title, lang)
    require_columns(df, ["program", "kecamatan", "effect_size_dz", "p_adjusted", "n"])
    dup = df.duplicated(["program", "kecamatan"])
    if dup.any():
        first = df.loc[dup, ["program", "kecamatan"]].iloc[0].tolist()
        raise ValueError(f"df has duplicate program × kecamatan rows, e.g. {first}")
    dz = df["effect_size_dz"].astype(float)
    programs = program_order or list(
        df.assign(_dz=dz).groupby("program", sort=True)["_dz"].mean()
        .sort_values(ascending=True, na_position="first", kind="stable").index)
    kecs = kecamatan_order or sorted(df["kecamatan"].astype(str).unique())
    z, small, text, hover, custom = _heatmap_grid(df, programs, kecs, min_n, alpha, lang)
    finite = dz[np.isfinite(dz)].abs()
    zmax = zmax or (min(2.0, max(0.5, float(finite.max()))) if len(finite) else 1.0)
    fig = base_figure(title, lang, height=max(420, 44 * len(programs) + 300))
    for uid, keep, opacity in (("conclusive", False, 1.0), ("too_little", True, FADED)):
        fig.add_trace(go.Heatmap(
            z=[[v if s == keep else None for v, s in zip(zr, sr)] for zr, sr in zip(z, small)],
            text=[[m if s == keep else "" for m, s in zip(mr, sr)] for mr, sr in zip(text, small)],
            x=[esc(k) for k in kecs], y=[esc(p) for p in programs], uid=uid, opacity=opacity,
            texttemplate="%{text}", textfont=dict(size=24), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", customdata=custom,
            colorscale=DIVERGING, zmid=0, zmin=-zmax, zmax=zmax, xgap=2, ygap=2, showscale=not keep,
            colorbar=dict(title=dict(text="d_z"), thickness=24)))
    fig.update_xaxes(tickangle=-45, showgrid=False, title=None)
    fig.update_yaxes(showgrid=False, title=None)
    fig.add_annotation(text=t("chart.heatmap.legend", lang), x=0, y=1.0, xref="paper",
                       yref="paper", yanchor="bottom", showarrow=False, xanchor="left",
                       font=dict(size=15, color=TEXT_MUTED))
    fig.update_layout(plot_bgcolor=LIGHT_GREY)
    return fig


def _heatmap_cell(r: Mapping | None, prog: str, kec: str, min_n: int | None, alpha: float,
                  lang: str) -> tuple[float | None, bool, str, str]:
    """One cell's colour value, whether it has too little data, its mark ("*" significant, "•" too
    little data, else none) and its hover text (which names the status)."""
    if r is None:
        return None, False, "", f"<b>{esc(prog)}</b><br>{esc(kec)}<br>{t('common.no_data', lang)}"
    v = to_float(r["effect_size_dz"])
    p = to_float(r["p_adjusted"])
    flags = as_flags(r.get("flags"))
    status = effect_status(v, p, flags, r["n"], min_n, alpha)
    small = is_underpowered(flags, r["n"], min_n)
    mark = SMALL_MARK if small else SIGNIFICANT_MARK if status in ("increase", "decrease") else ""
    lines = [f"<b>{esc(prog)}</b>", esc(kec), f"n = {fmt_int(r['n'], lang)}",
             f"d_z = {fmt_number(v, 2, lang)}",
             f"{t('common.p_adjusted', lang)}: {fmt_p(p, lang)}"]
    if status != "no_estimate":
        lines.append(t(f"status.{status}", lang))
    if flags:
        lines.append("⚠ " + esc(flag_text(flags, lang)))
    return (v if math.isfinite(v) else None), small, mark, "<br>".join(lines)


def _heatmap_grid(df: pd.DataFrame, programs: list, kecs: list, min_n: int | None, alpha: float,
                  lang: str) -> tuple[list, list, list, list, list]:
    """The heat map's ``z``, too-little-data mask, ``text``, ``hovertext`` and ``customdata``: one
    row per program."""
    cell = {(r["program"], r["kecamatan"]): r for r in df.to_dict("records")}
    z, small, text, hover, custom = [], [], [], [], []
    for prog in programs:
        cells = [_heatmap_cell(cell.get((prog, kec)), prog, kec, min_n, alpha, lang) for kec in kecs]
        z.append([c[0] for c in cells])
        small.append([c[1] for c in cells])
        text.append([c[2] for c in cells])
        hover.append([c[3] for c in cells])
        custom.append([[prog, kec] for kec in kecs])
    return z, small, text, hover, custom


__all__ = ["load_districts", "parse_geojson", "kecamatan_map", "effect_heatmap"]
