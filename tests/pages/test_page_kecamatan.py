"""The Kecamatan page: map, heat map, ranking, drill-down by filter, the administrator's GeoJSON."""

from __future__ import annotations

import json

import pytest

from apptest_helpers import (HOSTILE, click_chart, make_app, plotly_specs, publish, run_page, set_lang, texts,
                             training_frame)
from pages import kecamatan

PAGE = "pages/kecamatan.py"
SQUARE = [[[98.65, 3.56], [98.66, 3.56], [98.66, 3.57], [98.65, 3.56]]]


def _geojson(*names: str) -> bytes:
    features = [{"type": "Feature", "properties": {"nama": name},
                 "geometry": {"type": "Polygon", "coordinates": SQUARE}} for name in names]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_kecamatan_as_each_role(tmp_path, monkeypatch, role):
    at = run_page(make_app(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception
    assert at.title[0].value == "Kecamatan"
    specs = plotly_specs(at)
    assert len(specs) == 2
    assert '"scaleanchor":"x"' in specs[0].replace(" ", "")  # the schematic map on equal axes
    assert '"type":"heatmap"' in specs[1].replace(" ", "")
    ranking = at.dataframe[0].value
    assert at.subheader[0].value == "Peringkat kecamatan"
    assert len(ranking) == 21 and ranking.iloc[0]["#"] == "1"
    assert {"Kecamatan", "Perubahan [95% CI]", "Besar efek (d_z) [95% CI]", "Peluang kebetulan (p terkoreksi)",
            "Arti"} <= set(ranking.columns)
    has_uploader = len(at.file_uploader) == 1
    assert has_uploader is (role is None)  # mode none = admin; viewers and analysts get no upload


def test_kecamatan_selected_district_and_english(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    at = run_page(at, PAGE)
    at.session_state["filter_kecamatan"] = "Medan Baru"
    at.run()
    assert not at.exception
    assert "Kecamatan terpilih: **Medan Baru**" in texts(at)
    assert at.subheader[0].value == "Program di Medan Baru"
    programs = at.dataframe[0].value
    assert programs.columns[1] == "Program" and len(programs) >= 5
    assert "kecamatan ini berada di peringkat" in texts(at)
    # the map still shows every district although one is selected
    assert plotly_specs(at)[0].count("Medan") >= 21
    at.button(key="kecamatan_clear").click().run()
    assert at.session_state["filter_kecamatan"] == "__all__"
    assert at.subheader[0].value == "Peringkat kecamatan"
    at.session_state["filter_kecamatan"] = "Medan Baru"
    set_lang(at, "en")
    assert not at.exception
    assert at.subheader[0].value == "Programs in Medan Baru"
    assert "this district ranks" in texts(at)


@pytest.mark.parametrize("key, customdata, district", [
    (kecamatan.MAP_KEY, ["Medan Kota", "12.71.01"], "Medan Kota"),  # the map: customdata[0]
    (kecamatan.HEATMAP_KEY, ["Literasi Data", "Medan Area"], "Medan Area"),  # a heat-map cell: customdata[1]
])
def test_kecamatan_click_callback_sets_the_filter(tmp_path, monkeypatch, key, customdata, district):
    """A click on the map or the heat map (the chart's own on_select callback) selects that district."""
    at = run_page(make_app(tmp_path, monkeypatch), PAGE)
    click_chart(at, key, customdata)
    assert not at.exception
    assert at.session_state["filter_kecamatan"] == district
    assert f"Kecamatan terpilih: **{district}**" in texts(at)
    assert at.query_params.get("kecamatan") in (district, [district])


def test_little_data_is_faded_and_labelled_by_the_engine_flags_only(tmp_path, monkeypatch):
    # Two districts with 14 participants each and one with 4: only the one with 4 is "too little data" on
    # the map and faded in the heat map; 14 pairs are enough to conclude (not every district is
    # "small" because it could not detect a medium effect).
    at = make_app(tmp_path, monkeypatch)
    rows = training_frame({"Literasi Data": 32}, kecamatan=("Medan Baru", "Medan Kota") * 7 + ("Medan Johor",) * 2)
    publish("training", rows, name="Uji 2025")
    at = run_page(at, PAGE)
    assert not at.exception
    districts = rows.groupby("kecamatan").size().to_dict()
    assert districts == {"Medan Baru": 14, "Medan Johor": 4, "Medan Kota": 14}
    spec = json.loads(plotly_specs(at)[0])
    small = next(tr for tr in spec["data"] if tr.get("name") == "data terlalu sedikit")
    assert small["customdata"] == [["Medan Johor", "12.71.11"]]
    johor_tile = next(tr for tr in spec["data"] if tr.get("name") == "12.71.11")  # a tile is named by its kode
    assert johor_tile["fillcolor"].endswith(", 0.35)") and johor_tile["line"]["dash"] == "dash"  # faded
    baru_tile = next(tr for tr in spec["data"] if tr.get("name") == "12.71.17")
    assert not baru_tile["fillcolor"].startswith("rgba(")  # 14 pairs: full colour
    conclusive, faded = json.loads(plotly_specs(at)[1])["data"]  # full colour first, then the faded cells
    assert faded["opacity"] < 0.5 and conclusive.get("opacity", 1) == 1
    columns = conclusive["x"]
    johor = columns.index("Medan Johor")
    assert faded["z"][0][johor] is not None and conclusive["z"][0][johor] is None
    assert all(conclusive["z"][0][j] is not None for j, name in enumerate(columns) if name != "Medan Johor")


def test_kecamatan_admin_geojson(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch, "admin"), PAGE)
    at.file_uploader[0].upload("batas.geojson", _geojson("Kec. Medan Baru", "Medan Kota", HOSTILE),
                               "application/geo+json").run()
    assert not at.exception
    assert any("2 dari 21 kecamatan" in s.value for s in at.success)
    unmatched = at.dataframe[-1].value
    assert unmatched.iloc[:, 0].tolist() == [HOSTILE]  # shown as data, not markup
    spec = plotly_specs(at)[0].replace(" ", "")
    assert spec.count('"fill":"toself"') == 2  # the two matched districts drawn as areas, no tiles
    assert "batas\\.geojson" in texts(at)  # the file name, Markdown-escaped, in the map caption
    # a file that is not GeoJSON: a message, and the boundaries are dropped
    at.file_uploader[0].upload("rusak.geojson", b"{not json", "application/geo+json").run()
    assert not at.exception
    assert any("bukan JSON yang sah" in e.value for e in at.error)
    shapes = [tr for tr in json.loads(plotly_specs(at)[0])["data"] if tr.get("fill") == "toself"]
    assert len(shapes) == 21 and all(len(tr["x"]) == 7 for tr in shapes)  # back to one hexagon per district


def test_kecamatan_small_cells_are_marked(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    publish("training", training_frame({"Besar": 60, "Kecil": 3}, kecamatan=("Medan Baru", "Medan Kota")), name="Uji")
    at = run_page(at, PAGE)
    assert not at.exception
    heat = json.loads(plotly_specs(at)[1])["data"][0]
    marks = dict(zip(heat["y"], heat["text"]))
    assert all("•" in m for m in marks["Kecil"] if m)  # small cells: "too little data", never blank
    ranking = at.dataframe[0].value
    assert len(ranking) == 2
