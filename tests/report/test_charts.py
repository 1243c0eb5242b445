"""Figures: they return plotly figures, carry the right numbers, switch language, mark small groups,
escape user text, and draw "no data" instead of raising on empty input."""

from __future__ import annotations

import json
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.report.charts import evidence as charts
from analysis.report.charts import ikm as ikm_charts
from analysis.report.charts import maps
from analysis.report.charts.base import COLOUR_MEANINGS, GRADE_COLOURS, PURPLE, STATUS_COLOURS
from analysis.core.significance import effect_status
from analysis.voice.ikm import GRADE_BANDS
from analysis.core.errors import AnalysisError

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def ranking():
    return pd.DataFrame({
        "program": ["Latsar", "PKA", "PKP", "K3", "SIMPEG"],
        "n": [40, 30, 4, 25, 1],
        "mean_delta": [8.2, 3.0, 6.0, -2.5, np.nan],
        "ci_low": [6.9, 1.0, -4.0, -4.0, np.nan],
        "ci_high": [9.5, 5.0, 16.0, -1.0, np.nan],
        "p_adjusted": [0.0001, 0.3, 0.5, 0.02, np.nan],
        "effect_size_dz": [1.2, 0.3, 0.6, -0.4, np.nan],
        "flags": [[], ["ceiling"], ["few_nonzero"], [], ["small_n"]],
    })


@pytest.fixture
def kec():
    return pd.DataFrame({
        "kecamatan": ["Medan Baru", "Medan Kota", "Medan Johor"],
        "n": [20, 3, 15],
        "mean_delta": [5.0, 1.0, -2.0],
        "ci_low": [3.0, -8.0, -3.5],
        "ci_high": [7.0, 10.0, -0.5],
        "p_adjusted": [0.001, 0.8, 0.04],
        "flags": [[], ["small_n"], []],
    })


def _trace(fig, name):
    found = [tr for tr in fig.data if tr.name == name]
    assert found, f"no trace named {name!r} in {[tr.name for tr in fig.data]}"
    return found[0]


def _has_no_data(fig, lang="id"):
    text = {"id": "Tidak ada data", "en": "No data"}[lang]
    return any(a.text == text for a in fig.layout.annotations)


# --- empty input and language --------------------------------------------------------------------

EMPTY_CALLS = {
    "program_ranking": lambda df, lang: charts.program_ranking(df, lang),
    "forest_plot": lambda df, lang: charts.forest_plot(df, lang),
    "paired_before_after": lambda df, lang: charts.paired_before_after(df, lang),
    "delta_histogram": lambda df, lang: charts.delta_histogram(df, lang),
    "effect_heatmap": lambda df, lang: maps.effect_heatmap(df, lang),
    "kecamatan_map": lambda df, lang: maps.kecamatan_map(df, "ikm", lang),
    "ikm_bars": lambda df, lang: ikm_charts.ikm_bars(df, lang),
    "ikm_elements": lambda df, lang: ikm_charts.ikm_elements(df, lang),
    "ikm_dumbbell": lambda df, lang: ikm_charts.ikm_dumbbell(df, lang),
    "ikm_trend": lambda df, lang: ikm_charts.ikm_trend(df, lang),
    "theme_counts": lambda df, lang: ikm_charts.theme_counts(df, lang),
}


@pytest.mark.parametrize("name", sorted(EMPTY_CALLS))
@pytest.mark.parametrize("empty", [None, pd.DataFrame()], ids=["none", "no_rows"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_empty_input_gives_a_no_data_figure(name, empty, lang):
    fig = EMPTY_CALLS[name](empty, lang)
    assert isinstance(fig, go.Figure)
    assert _has_no_data(fig, lang)
    json.loads(fig.to_json())


@pytest.mark.parametrize("name", sorted(EMPTY_CALLS))
def test_unknown_language_is_a_value_error(name):
    with pytest.raises(ValueError, match="lang"):
        EMPTY_CALLS[name](None, "fr")


def test_rows_with_only_missing_values_are_no_data():
    pairs = pd.DataFrame({"before": [np.nan, 50.0], "after": [60.0, np.nan]})
    assert _has_no_data(charts.paired_before_after(pairs))
    assert _has_no_data(charts.delta_histogram(pairs))
    assert _has_no_data(ikm_charts.ikm_elements({"u1": np.nan}))


# --- program ranking -----------------------------------------------------------------------------

def test_ranking_traces_hold_estimates_and_cis(ranking):
    fig = charts.program_ranking(ranking, lang="en")
    up = _trace(fig, "Significant increase")
    assert list(up.y) == ["Latsar"]
    assert up.x == (8.2,)
    np.testing.assert_allclose(up.error_x.array, [9.5 - 8.2])
    np.testing.assert_allclose(up.error_x.arrayminus, [8.2 - 6.9])
    down = _trace(fig, "Significant decrease")
    assert down.x == (-2.5,) and down.customdata[0][0] == "K3"
    assert _trace(fig, "No evidence of change").customdata[0][0] == "PKA"


def test_ranking_marks_small_groups_hollow_and_labelled_not_as_no_effect(ranking):
    fig = charts.program_ranking(ranking, lang="id")
    small = _trace(fig, "Data terlalu sedikit untuk menyimpulkan")
    assert small.marker.symbol == "circle-open"
    assert small.marker.color == PURPLE  # purple means "too little data" and nothing else
    assert small.customdata[0][0] == "PKP" and small.customdata[0][1] == "underpowered"
    assert list(small.y) == ["PKP"]
    # the text printed under the dot says so, beside the estimate and its CI (6.0, CI -4.0 to 16.0)
    assert list(small.text) == ["+6,0 [-4,0; 16,0] · data terlalu sedikit (n = 4)"]
    assert "PKP" not in _trace(fig, "Belum terbukti berubah").y


def test_ranking_prints_every_estimate_with_its_ci_and_names_each_row_above_it(ranking):
    fig = charts.program_ranking(ranking, lang="en")
    up = _trace(fig, "Significant increase")
    assert list(up.text) == ["+8.2 [6.9; 9.5]"] and up.mode == "markers+text"
    assert fig.layout.yaxis.showticklabels is False  # names above the rows, across the whole width
    names = [a.text for a in fig.layout.annotations]
    assert names == list(fig.layout.yaxis.categoryarray)
    assert all(a.font.size >= 14 for a in fig.layout.annotations) and up.textfont.size >= 14


def test_ranking_unestimable_group_is_text_only(ranking):
    fig = charts.program_ranking(ranking, lang="en")
    none = _trace(fig, "Cannot be estimated")
    assert none.mode == "text" and list(none.y) == ["SIMPEG"]


def test_ranking_order_puts_the_largest_on_top(ranking):
    fig = charts.program_ranking(ranking)
    assert list(fig.layout.yaxis.categoryarray) == ["SIMPEG", "K3", "PKA", "PKP", "Latsar"]
    assert fig.layout.shapes[0].x0 == 0  # the no-change line


def test_ranking_labels_switch_with_language(ranking):
    id_fig, en_fig = charts.program_ranking(ranking, "id"), charts.program_ranking(ranking, "en")
    assert id_fig.layout.title.text == "Program menurut perubahan rata-rata"
    assert en_fig.layout.title.text == "Programs ranked by mean change"
    assert id_fig.layout.xaxis.title.text != en_fig.layout.xaxis.title.text
    assert (id_fig.layout.separators, en_fig.layout.separators) == (",.", ".,")  # axis numbers
    hover_id = _trace(id_fig, "Naik signifikan").hovertext[0]
    hover_en = _trace(en_fig, "Significant increase").hovertext[0]
    assert "8,2 (95% CI 6,9 – 9,5)" in hover_id
    assert "peluang kebetulan (p terkoreksi): p < 0,001" in hover_id  # the plain words first
    assert "8.2 (95% CI 6.9 – 9.5)" in hover_en


def test_ranking_escapes_user_text_but_keeps_the_key(ranking):
    ranking.loc[0, "program"] = XSS
    fig = charts.program_ranking(ranking)
    up = fig.data[0]
    assert up.y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert up.customdata[0][0] == XSS
    assert "<img" not in up.hovertext[0]


def test_ranking_missing_column_names_it(ranking):
    with pytest.raises(ValueError, match=r"missing columns \['ci_low'\]"):
        charts.program_ranking(ranking.drop(columns="ci_low"))


@pytest.mark.parametrize("rows", [1, 2])
def test_ranking_with_one_or_two_rows(ranking, rows):
    fig = charts.program_ranking(ranking.head(rows))
    assert sum(len(tr.y) for tr in fig.data) == rows


def test_ranking_min_n_marks_small_groups_without_flags(ranking):
    # below min_n every group is "too little data", the significant K3 (p = 0.02, n = 25) too
    fig = charts.program_ranking(ranking.assign(flags=[[]] * 5), lang="en", min_n=35)
    small = _trace(fig, "Too little data to conclude")
    assert sorted(small.y) == ["K3", "PKA", "PKP"]
    assert sorted(t.split(" · ")[1] for t in small.text) == [
        "too little data (n = 25)", "too little data (n = 30)", "too little data (n = 4)"]


@pytest.mark.parametrize("mean, p, flags, n, expected", [
    (5.0, 0.01, [], 30, "increase"),
    (5.0, 0.01, ["few_nonzero"], 5, "underpowered"),  # too little data, whatever the p-value
    (5.0, 0.01, ["small_n"], 8, "underpowered"),
    (5.0, 0.01, ["underpowered"], 20, "increase"),  # "could not detect a medium effect" is a caveat only
    (5.0, 0.3, ["few_nonzero"], 5, "underpowered"),
    (0.0, 0.0, [], 30, "not_significant"),
    (-1.0, 0.049, [], 30, "decrease"),
    (1.0, 0.05, [], 30, "not_significant"),
    (np.nan, 0.01, [], 1, "no_estimate"),
    (1.0, np.nan, [], 2, "not_significant"),
])
def test_effect_status(mean, p, flags, n, expected):
    assert effect_status(mean, p, flags, n) == expected


# --- forest plot ---------------------------------------------------------------------------------

def test_forest_plot_with_overall_reference(kec):
    fig = charts.forest_plot(kec, lang="en", overall={"mean_delta": 2.5, "ci_low": 1.0, "ci_high": 4.0})
    shapes = fig.layout.shapes
    assert (shapes[0].x0, shapes[0].x1) == (1.0, 4.0)  # the overall CI band
    assert shapes[-1].x0 == 2.5  # the overall line
    assert any(a.text == "overall 2.5" for a in fig.layout.annotations)
    labels = [y for tr in fig.data for y in tr.y]
    assert "Medan Baru (n = 20)" in labels
    small = _trace(fig, "Too little data to conclude")
    assert small.customdata[0][0] == "Medan Kota" and small.marker.symbol == "circle-open"


@pytest.mark.parametrize("overall", [None, 2.0, pd.Series({"mean_delta": 2.0})])
def test_forest_plot_overall_forms(kec, overall):
    fig = charts.forest_plot(kec, overall=overall)
    xs = [s.x0 for s in fig.layout.shapes]
    assert xs == ([0] if overall is None else [0, 2.0])


def test_forest_plot_sort_by_name_and_bad_sort(kec):
    fig = charts.forest_plot(kec, sort="name")
    assert [c.split(" (")[0] for c in fig.layout.yaxis.categoryarray] == [
        "Medan Kota", "Medan Johor", "Medan Baru"]
    with pytest.raises(ValueError, match="sort must be"):
        charts.forest_plot(kec, sort="random")


# --- before/after and deltas ---------------------------------------------------------------------

def test_paired_chart_segments_and_mean():
    df = pd.DataFrame({"before": [60, 70, 80, np.nan], "after": [75, 65, 80, 90],
                       "nama": ["Ani", XSS, "Citra", "Dedi"]})
    fig = charts.paired_before_after(df, lang="en", before_label="Pre-test", after_label="Post-test")
    assert _trace(fig, "Up").y == (60.0, 75.0, None)
    assert _trace(fig, "Down").x == ("Pre-test", "Post-test", None)
    mean = _trace(fig, "Mean")
    np.testing.assert_allclose(mean.y, [70.0, 220 / 3])
    assert "&lt;img" in _trace(fig, "Down").hovertext[0]
    assert "<img" not in _trace(fig, "Down").hovertext[0]


def test_paired_chart_samples_many_participants_but_means_use_all():
    rng = np.random.default_rng(0)
    b = rng.normal(60, 10, 1000)
    df = pd.DataFrame({"before": b, "after": b + 5})
    fig = charts.paired_before_after(df, max_participants=50)
    drawn = sum(tr.y.count(None) for tr in fig.data if tr.name != "Rata-rata")
    assert drawn == 50
    np.testing.assert_allclose(_trace(fig, "Rata-rata").y, [b.mean(), b.mean() + 5])
    assert any(a.text == "Menampilkan 50 dari 1.000" for a in fig.layout.annotations)


def test_paired_chart_all_unchanged():
    fig = charts.paired_before_after(pd.DataFrame({"before": [70, 70], "after": [70, 70]}), "en")
    assert [tr.name for tr in fig.data] == ["Unchanged", "Mean"]


def test_delta_histogram_counts_and_lines():
    d = pd.DataFrame({"before": [50, 60, 70, 80, 90], "after": [55, 61, 70, 88, 95]})
    fig = charts.delta_histogram(d, lang="en")
    bars = fig.data[0]
    assert sum(bars.y) == 5
    assert dict(zip(bars.x, bars.y))[5.0] == 2
    zero, mean = fig.layout.shapes
    assert zero.x0 == 0 and mean.x0 == pytest.approx(19 / 5)
    assert any(a.text == "mean 3.8" for a in fig.layout.annotations)


@pytest.mark.parametrize("values, n_bars", [
    ([3.0], 1),  # one participant
    ([2.0, 2.0, 2.0], 1),  # all ties
    ([0.25, 0.5, 0.75, 1.5], None),  # fractional: numpy's rule
])
def test_delta_histogram_edge_cases(values, n_bars):
    fig = charts.delta_histogram(pd.Series(values))
    assert sum(fig.data[0].y) == len(values)
    if n_bars is not None:
        assert len(fig.data[0].x) == n_bars


def test_delta_histogram_bins_argument():
    fig = charts.delta_histogram(pd.DataFrame({"delta": np.arange(100.0)}), bins=5)
    assert list(fig.data[0].y) == [20] * 5
    with pytest.raises(ValueError, match="bins must be at least 1"):
        charts.delta_histogram(pd.DataFrame({"delta": [1.0, 2.0]}), bins=0)


# --- map -----------------------------------------------------------------------------------------

def _points(fig) -> list:
    return [tr for tr in fig.data if not tr.uid.startswith(("tile_", "area_"))]


def test_map_draws_every_district_once_as_a_tile_and_marks_missing_and_small():
    df = pd.DataFrame({"kecamatan": ["Medan Baru", "Kec. Medan Kota", "Sunggal"], "ikm": [82.0, 70.0, 75.0],
                       "n": [300, 10, 200]})
    fig = maps.kecamatan_map(df, "ikm", min_n=30)
    tiles = [tr for tr in fig.data if tr.uid.startswith("tile_")]
    assert len(tiles) == 21 and all(tr.fill == "toself" and len(tr.x) == 7 for tr in tiles)
    # every tile in its own cell: no two districts share a centre
    centres = {(round(sum(tr.x[:6]) / 6, 6), round(sum(tr.y[:6]) / 6, 6)) for tr in tiles}
    assert len(centres) == 21
    by_uid = {tr.uid: tr for tr in _points(fig)}
    assert sum(len(tr.x) for tr in by_uid.values()) == 21
    assert sorted(c[0] for c in by_uid["data"].customdata) == ["Medan Baru", "Medan Sunggal"]
    assert by_uid["small"].customdata[0][0] == "Medan Kota"
    assert by_uid["small"].text[0] == "<b>Kota</b><br>70,00 •"  # name and value printed in the tile
    kota = next(tr for tr in tiles if tr.uid == "tile_12.71.01")
    assert kota.line.color == PURPLE and kota.line.dash == "dash"  # too little data: the one colour for it
    assert kota.fillcolor.startswith("rgba(") and kota.fillcolor.endswith(", 0.35)")  # faded
    assert len(by_uid["no_data"].x) == 18
    assert next(tr for tr in tiles if tr.uid == "tile_12.71.06").fillcolor == "#D9D9D9"  # Medan Deli: no data
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    # no latitude/longitude axes; the colour bar lies below the map, not beside it
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    bar = fig.layout.coloraxis.colorbar
    assert bar.orientation == "h" and bar.y < 0
    baru = [c[0] for c in by_uid["data"].customdata].index("Medan Baru")
    assert by_uid["data"].marker.color[baru] == 82.0


def test_map_tiles_keep_the_rough_geography():
    """North stays north and west stays west: Medan Belawan (the harbour, far north) has the highest
    tile, Medan Tuntungan and Medan Johor (south) the lowest; Medan Sunggal (west) lies left of
    Medan Tembung (east)."""
    fig = maps.kecamatan_map(None, "ikm")
    centre = {tr.uid[5:]: (sum(tr.x[:6]) / 6, sum(tr.y[:6]) / 6) for tr in fig.data if tr.uid.startswith("tile_")}
    ys = sorted(centre, key=lambda k: centre[k][1])
    assert ys[-1] == "12.71.08"  # Belawan
    assert set(ys[:3]) >= {"12.71.07"} and centre["12.71.11"][1] < centre["12.71.17"][1]  # Tuntungan, Johor < Baru
    assert centre["12.71.02"][0] < centre["12.71.14"][0]  # Sunggal west of Tembung


def test_map_joins_on_kode_and_reports_unmatched():
    df = pd.DataFrame({"kode_kecamatan": ["12.71.17", "99.99.99"], "effect_size_dz": [0.5, 1.0]})
    fig = maps.kecamatan_map(df, "effect_size_dz", lang="en")
    assert fig.layout.meta["unmatched"] == ["99.99.99"]
    assert len(next(tr for tr in _points(fig) if tr.uid == "data").x) == 1


@pytest.mark.parametrize("values, diverging", [([-0.5, 1.0], True), ([70.0, 90.0], False)])
def test_map_colour_scale(values, diverging):
    df = pd.DataFrame({"kecamatan": ["Medan Baru", "Medan Kota"], "v": values})
    ca = maps.kecamatan_map(df, "v").layout.coloraxis
    if diverging:
        assert (ca.cmin, ca.cmax) == (-1.0, 1.0)
    else:
        assert (ca.cmin, ca.cmax) == (70.0, 90.0)


def test_map_without_data_still_draws_the_districts():
    fig = maps.kecamatan_map(None, "ikm", lang="en")
    assert _has_no_data(fig, "en")
    assert len(_points(fig)[0].x) == 21


def _square(x, y, d=0.01):
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def test_map_with_geojson_areas():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"KODE": "12.71.17"},
         "geometry": {"type": "Polygon", "coordinates": _square(98.65, 3.56)}},
        {"type": "Feature", "properties": {"name": "MEDAN-KOTA"},
         "geometry": {"type": "MultiPolygon", "coordinates": [_square(98.69, 3.56), _square(98.7, 3.57)]}},
        {"type": "Feature", "properties": {"name": "Gotham"},
         "geometry": {"type": "Polygon", "coordinates": _square(98.0, 3.0)}},
    ]}
    df = pd.DataFrame({"kecamatan": ["Medan Baru"], "ikm": [80.0]})
    fig = maps.kecamatan_map(df, "ikm", geojson=json.dumps(fc).encode())
    areas = [tr for tr in fig.data if tr.uid.startswith("area_")]
    assert sorted(tr.uid for tr in areas) == ["area_12.71.01", "area_12.71.17"]
    kota = next(tr for tr in areas if tr.uid == "area_12.71.01")
    assert kota.x.count(None) == 2 and kota.fill == "toself"
    assert kota.fillcolor == "#D9D9D9"  # no data there
    shapes, unmatched = maps.parse_geojson(fc)
    assert unmatched == ["Gotham"]


@pytest.mark.parametrize("bad, code", [
    (b"not json", "geojson_invalid"),
    (b"[" * 100_000, "geojson_invalid"),  # nesting deeper than the parser's recursion limit
    ({"type": "Feature"}, "geojson_invalid"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"k": "12.71.17"},
      "geometry": {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4]]]}}]}, "geojson_invalid"),
])
def test_bad_geojson_is_an_analysis_error(bad, code):
    with pytest.raises(AnalysisError) as err:
        maps.parse_geojson(bad)
    assert err.value.code == code


def test_geojson_over_the_byte_limit_is_refused_before_parsing(monkeypatch):
    import analysis.report.charts.maps as cm

    monkeypatch.setattr(cm, "MAX_GEOJSON_BYTES", 100)
    with pytest.raises(AnalysisError) as err:
        maps.parse_geojson(b" " * 101)
    assert err.value.code == "geojson_too_large"


def test_huge_geojson_is_refused(monkeypatch):
    import analysis.report.charts.maps as cm

    monkeypatch.setattr(cm, "MAX_GEOJSON_POINTS", 8)
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"k": "12.71.17"},
         "geometry": {"type": "Polygon", "coordinates": _square(98.65, 3.56)}}] * 2}
    with pytest.raises(AnalysisError) as err:
        maps.parse_geojson(fc)
    assert err.value.code == "geojson_too_large"


# --- heat map ------------------------------------------------------------------------------------

def test_heatmap_cells_marks_and_keys():
    df = pd.DataFrame({
        "program": ["A", "A", "B", "B"], "kecamatan": ["Medan Baru", "Medan Kota", "Medan Baru", "Medan Kota"],
        "effect_size_dz": [0.9, 0.1, -0.4, np.nan], "p_adjusted": [0.01, 0.7, 0.03, np.nan],
        "n": [30, 4, 25, 2], "flags": [[], [], ["few_nonzero"], []]})
    h, faded = maps.effect_heatmap(df, lang="en", min_n=6).data
    assert list(h.y) == ["B", "A"] and list(h.x) == ["Medan Baru", "Medan Kota"]
    # B × Medan Baru is significant but flagged few_nonzero, A × Medan Kota has n = 4 < min_n:
    # both are too little data — faded, marked "•", never in full colour
    assert [list(r) for r in h.z] == [[None, None], [0.9, None]]
    assert [list(r) for r in faded.z] == [[-0.4, None], [None, 0.1]]
    assert [list(r) for r in h.text] == [["", ""], ["*", ""]]
    assert [list(r) for r in faded.text] == [["•", "•"], ["", "•"]]  # B × Medan Kota: n = 2, no d_z
    assert h.opacity == 1 and faded.opacity < 0.5 and faded.showscale is False
    assert "Too little data to conclude" in faded.hovertext[0][0]
    assert list(h.customdata[1][0]) == ["A", "Medan Baru"] and list(faded.customdata[0][0]) == ["B", "Medan Baru"]
    assert h.zmid == 0 and h.zmax == pytest.approx(0.9) and h.zmin == pytest.approx(-0.9)
    assert (faded.zmin, faded.zmax) == (h.zmin, h.zmax)  # the same colours, only fainter


def test_heatmap_missing_cell_and_duplicates():
    df = pd.DataFrame({"program": ["A", "B"], "kecamatan": ["Medan Baru", "Medan Kota"],
                       "effect_size_dz": [3.5, 0.2], "p_adjusted": [0.001, 0.5], "n": [40, 40]})
    h = maps.effect_heatmap(df).data[0]
    assert h.zmax == 2.0  # colour range capped; hover keeps the value
    assert sum(v is None for row in h.z for v in row) == 2
    with pytest.raises(ValueError, match="duplicate program × kecamatan"):
        maps.effect_heatmap(pd.concat([df, df]))


# --- IKM -----------------------------------------------------------------------------------------

def test_ikm_bars_grades_colours_and_thresholds():
    df = pd.DataFrame({"unit_layanan": ["RSUD", "Dukcapil", "Puskesmas"], "ikm": [65.0, 90.12, 64.99],
                       "n": [100, 400, 50], "flags": [[], [], ["sample_short"]]})
    fig = ikm_charts.ikm_bars(df, lang="id")
    assert fig.layout.title.text == "IKM per unit layanan"
    assert [(tr.name, tr.x) for tr in fig.data] == [
        ("A Sangat Baik", (90.12,)), ("C Kurang Baik", (65.0,)), ("D Tidak Baik", (64.99,))]
    assert fig.data[0].marker.color == "#0072B2"
    assert [s.x0 for s in fig.layout.shapes] == [float(t) for t, _ in GRADE_BANDS] == [65.0, 76.61, 88.31]
    assert fig.data[2].marker.pattern.shape == ("/",) and fig.data[2].text[0].endswith("⚠")
    assert fig.data[1].text[0] == "65,00 (C)"
    assert list(fig.layout.yaxis.categoryarray) == ["Puskesmas", "RSUD", "Dukcapil"]


def test_ikm_bars_uses_given_grade_and_kecamatan():
    df = pd.DataFrame({"kecamatan": ["Medan Baru"], "ikm": [80.0], "grade": ["B"]})
    fig = ikm_charts.ikm_bars(df, lang="en")
    assert fig.layout.title.text == "IKM per district" and fig.data[0].name == "B Good"
    with pytest.raises(ValueError, match="unit_layanan"):
        ikm_charts.ikm_bars(pd.DataFrame({"x": [1], "ikm": [70.0]}))


@pytest.mark.parametrize("nrr", [
    {f"u{i}": 3.0 + i / 100 for i in range(1, 10)},
    pd.DataFrame({"element": [f"U{i}" for i in range(1, 10)], "nrr": [3.0 + i / 100 for i in range(1, 10)]}),
    pd.DataFrame([{f"nrr_u{i}": 3.0 + i / 100 for i in range(1, 10)}]),
], ids=["mapping", "long", "wide"])
def test_ikm_elements_inputs(nrr):
    fig = ikm_charts.ikm_elements(nrr, lang="en")
    bar = fig.data[0]
    assert bar.y[0] == "U1 Requirements" and bar.y[8].startswith("U9 Handling")
    np.testing.assert_allclose(bar.x, [3.0 + i / 100 for i in range(1, 10)])
    # the weakest element in the colour of bad news; the others neutral (sky would read as grade B)
    assert bar.marker.color[0] == "#D55E00" and bar.marker.color[1] == "#D9D9D9"
    assert bar.text[0].endswith("lowest")


def test_ikm_elements_indonesian_names_and_missing_element():
    fig = ikm_charts.ikm_elements({"u1": 3.5, "u3": 2.9})
    bar = fig.data[0]
    assert bar.y[2] == "U3 Waktu Penyelesaian" and bar.x[1] is None
    with pytest.raises(ValueError, match="nrr must be"):
        ikm_charts.ikm_elements([3.0, 3.1])


def test_ikm_dumbbell_values_and_direction():
    df = pd.DataFrame({"unit_layanan": ["A", "B"], "ikm_before": [70.0, 80.0], "ikm_after": [78.5, 79.0]})
    fig = ikm_charts.ikm_dumbbell(df, lang="id")
    assert _trace(fig, "Sebelum").x == (70.0, 80.0)
    assert _trace(fig, "Sesudah: naik").x == (78.5,) and _trace(fig, "Sesudah: naik").marker.color == "#0072B2"
    assert _trace(fig, "Sesudah: turun").customdata[0][0] == "B"


def test_ikm_trend_groups_and_events():
    trend = pd.DataFrame({"periode": ["2025-01", "2025-02", "2025-01", "2025-02"], "ikm": [70.0, 72.0, 80.0, 81.0],
                          "unit_layanan": ["RSUD", "RSUD", "Dukcapil", "Dukcapil"]})
    ev = pd.DataFrame({"tanggal": pd.to_datetime(["2025-01-15", "2025-01-20", "2025-02-02"]),
                       "jenis_kegiatan": ["forum", "open_house", "Forum"], "jumlah_peserta": [40, 100, 35],
                       "kecamatan": ["Medan Baru", XSS, "Medan Kota"]})
    fig = ikm_charts.ikm_trend(trend, events=ev, group_col="unit_layanan", lang="id")
    assert [tr.name for tr in fig.data] == ["Dukcapil", "RSUD", "Forum warga", "Open house"]
    assert fig.data[1].y == (70.0, 72.0)
    assert fig.data[1].x[0] == pd.Timestamp("2025-01-01")
    forum = fig.data[2]
    assert forum.yaxis == "y2" and forum.y == (0, 1, None, 0, 1, None)
    assert forum.hovertext[0].startswith("Forum warga, 15/01/2025: 40 peserta")
    assert "<img" not in fig.data[3].hovertext[0]
    assert fig.layout.yaxis2.overlaying == "y"


def test_theme_counts_order_and_top():
    df = pd.DataFrame({"tema": ["biaya", "waktu pelayanan", "sikap petugas"], "n": [3, 12, 7]})
    fig = ikm_charts.theme_counts(df, top=2, lang="en")
    assert fig.data[0].y == ("sikap petugas", "waktu pelayanan") and fig.data[0].x == (7.0, 12.0)
    assert fig.layout.xaxis.title.text == "Comments"
    with pytest.raises(ValueError, match="theme column"):
        ikm_charts.theme_counts(pd.DataFrame({"a": [1]}))


def test_every_figure_serialises_to_json(ranking, kec):
    figs = [
        charts.program_ranking(ranking), charts.forest_plot(kec, overall=1.0),
        charts.paired_before_after(pd.DataFrame({"before": [1, 2], "after": [2, 2]})),
        maps.kecamatan_map(kec.assign(v=[1.0, 2.0, 3.0]), "v"),
        ikm_charts.ikm_elements({"u1": 3.0}),
    ]
    for fig in figs:
        spec = json.loads(fig.to_json())
        assert spec["layout"]["template"]["layout"]["font"]["size"] >= 16  # projector-sized
        assert "NaN" not in fig.to_json()


# --- with the real producers' output -------------------------------------------------------------

def test_ranking_reads_the_evidence_engine_output():
    evidence = pytest.importorskip("analysis.evidence.engine")
    df = pd.DataFrame({
        "program": ["A"] * 12 + ["B"] * 3,
        "nilai_pre": [60, 62, 70, 55, 65, 58, 61, 64, 66, 59, 63, 57, 70, 72, 68],
        "nilai_post": [72, 70, 79, 66, 74, 71, 70, 75, 77, 69, 74, 68, 75, 71, 69]})
    out = evidence.paired_summary(df, "knowledge", by="program")
    fig = charts.program_ranking(out, lang="en")
    by_program = {c[0]: c[1] for tr in fig.data for c in tr.customdata}
    assert by_program == {"A": "increase", "B": "underpowered"}  # B: 3 pairs, flags too_few_nonzero
    heat = maps.effect_heatmap(evidence.paired_summary(df.assign(kecamatan="Medan Baru"), "knowledge",
                                                         by="program,kecamatan"))
    conclusive, faded = heat.data
    assert [list(r) for r in conclusive.text] == [[""], ["*"]] and [list(r) for r in faded.text] == [["•"], [""]]


def test_ikm_charts_read_the_ikm_table_output():
    ikm = pytest.importorskip("analysis.voice.ikm")
    df = pd.DataFrame({"unit_layanan": ["A", "A", "B"], **{f"u{i}": [3.0, 4.0, 2.0] for i in range(1, 10)}})
    table = ikm.ikm_table(df, by="unit_layanan", default_population=100)
    fig = ikm_charts.ikm_bars(table, lang="en")
    assert [(tr.name, tr.x) for tr in fig.data] == [("B Good", (87.5,)), ("D Very poor", (50.0,))]
    assert all(tr.marker.pattern.shape == ("/",) for tr in fig.data)  # both short of 80 respondents
    elements = ikm_charts.ikm_elements(table.iloc[[0]])
    assert elements.data[0].x == (3.5,) * 9


# --- one meaning per colour -------------------------------------------------------------------------

def test_each_colour_means_one_thing_across_statuses_grades_and_events():
    """Before: orange meant a decrease (vermillion read as orange), too little data and grade C. Now
    blue is good news (a significant increase, grade A), vermillion bad news (a significant decrease,
    grade D), yellow grade C, purple too little data — and no colour serves two meanings."""
    from analysis.report.charts.ikm import EVENT_COLOURS

    meaning = {"increase": "good", "decrease": "bad", "not_significant": "no_change", "no_estimate": "no_change",
               "underpowered": "too_little", "A": "good", "B": "grade_b", "C": "grade_c", "D": "bad",
               "forum": "forum", "open_house": "open_house"}
    used = {**STATUS_COLOURS, **GRADE_COLOURS, **EVENT_COLOURS}
    for key, colour in used.items():
        assert COLOUR_MEANINGS[colour] == meaning[key], key
    assert len(set(COLOUR_MEANINGS.values())) == len(COLOUR_MEANINGS)
    assert GRADE_COLOURS["C"] not in (STATUS_COLOURS["underpowered"], STATUS_COLOURS["decrease"])
