"""Kecamatan: a schematic map of the 21 districts coloured by effect size, a program × kecamatan heat
map marked by adjusted significance (a click sets the kecamatan filter), and the district's ranking.
An administrator may upload a boundaries GeoJSON (kept in the session, parsed as data, never run)
to draw filled areas instead of dots."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis.core.districts import load_districts
from analysis.core.errors import AnalysisError
from analysis.report.charts import maps
from analysis.report.charts.maps import MAX_GEOJSON_BYTES, parse_geojson
from ui import data, filters, look, scope
from ui import evidence_cache as ec
from ui.mentoring import kecamatan_layer as mentoring_layer
from ui.session import can, integer, lang, md_escape, measure_label, num, require, tr

MAP_KEY = "kecamatan_map"
HEATMAP_KEY = "kecamatan_heatmap"
GEOJSON = "kecamatan_geojson"  # session_state: {"name", "data" (bytes), "matched", "unmatched"}
GEOJSON_ERROR = "kecamatan_geojson_error"
GEOJSON_FILE = "kecamatan_geojson_file"

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"

STRINGS = {
    "title": {"id": "Kecamatan", "en": "Districts"},
    "scope": {"id": "Periode: {periode} · Program: {program} · Ukuran: {measure}",
              "en": "Period: {periode} · Program: {program} · Measure: {measure}"},
    "all": {"id": "semua", "en": "all"},
    "no_rows": {"id": "Tidak ada data pelatihan untuk filter ini. Ubah periode atau program di panel samping, "
                      "atau terbitkan dataset di halaman Data.",
                "en": "No training data for these filters. Change the period or program in the sidebar, or "
                      "publish a dataset on the Data page."},
    "chosen": {"id": "Kecamatan terpilih: {name}", "en": "Selected district: {name}"},
    "clear": {"id": "Tampilkan semua kecamatan", "en": "Show all districts"},
    "map.value": {"id": "Besar efek d_z (sebelum–sesudah)", "en": "Effect size d_z (before/after)"},
    "map.caption": {
        "id": "Setiap segi enam satu kecamatan, kira-kira di letaknya. Warna dan angka = besar efek sebelum–sesudah "
              "(ukuran efek d_z; biru = naik, merah = turun; 0,2 kecil, 0,5 sedang, 0,8 besar). Segi enam pudar "
              "bergaris putus-putus ungu bertanda “•” = data terlalu sedikit untuk menyimpulkan; abu-abu = tanpa "
              "data. Klik sebuah kecamatan untuk memilihnya.",
        "en": "Each hexagon is one district, roughly in its place. Colour and number = the before/after size of the "
              "effect (effect size d_z; blue = up, red = down; 0.2 small, 0.5 medium, 0.8 large). Faded hexagons "
              "with a dashed purple outline marked “•” = too little data to conclude; grey = no data. Click a "
              "district to select it."},
    "map.caption.geojson": {
        "id": "Batas wilayah dari berkas “{name}” yang diunggah administrator.",
        "en": "Boundaries from the file “{name}” uploaded by an administrator."},
    "heatmap.caption": {
        "id": "Setiap sel = satu program di satu kecamatan; warna = ukuran efek d_z sebelum–sesudah. "
              "“*” = signifikan setelah koreksi Holm untuk semua sel; sel pudar bertanda “•” = data terlalu "
              "sedikit untuk menyimpulkan (kurang dari 10 pasangan atau 6 selisih bukan nol), apa pun nilai "
              "p-nya, bukan “tidak ada efek”; sel kosong = tidak ada peserta. Klik sel untuk memilih kecamatannya.",
        "en": "Each cell = one program in one district; colour = the before/after effect size d_z. “*” = "
              "significant after the Holm correction over all cells; faded cells marked “•” = too little data "
              "to conclude (fewer than 10 pairs or 6 non-zero differences), whatever the p-value, not “no "
              "effect”; empty cells = no participants. Click a cell to select its district."},
    "design.note": {
        "id": "Peta dan peta panas memakai perbandingan sebelum–sesudah, yang cenderung melebih-lebihkan efek; "
              "perkiraan terhadap kelompok pembanding (DiD) ada di halaman Program.",
        "en": "The map and heat map use before/after comparisons, which tend to overstate effects; estimates "
              "against the comparison group (DiD) are on the Program page."},
    "ranking.all": {"id": "Peringkat kecamatan", "en": "District ranking"},
    "ranking.all.caption": {
        "id": "Kecamatan diurutkan menurut ukuran efek d_z, dengan 95% CI; p dikoreksi Holm antar-kecamatan. "
              "“Data terlalu sedikit” berarti belum dapat disimpulkan, bukan “tidak ada efek”.",
        "en": "Districts ordered by the effect size d_z, with 95% CIs; p-values Holm-adjusted across districts. "
              "“Too little data” means no conclusion yet, not “no effect”."},
    "ranking.one": {"id": "Program di {name}", "en": "Programs in {name}"},
    "ranking.one.caption": {
        "id": "Program di kecamatan ini diurutkan menurut ukuran efek d_z, dengan 95% CI; p dikoreksi Holm "
              "antar-program. {position}",
        "en": "Programs in this district ordered by the effect size d_z, with 95% CIs; p-values Holm-adjusted "
              "across programs. {position}"},
    "position": {"id": "Di antara {total} kecamatan dengan data, kecamatan ini berada di peringkat {rank} "
                       "menurut d_z keseluruhan ({dz}).",
                 "en": "Among the {total} districts with data, this district ranks {rank} by overall d_z ({dz})."},
    "no_district_rows": {"id": "Tidak ada peserta di kecamatan ini untuk filter yang dipilih.",
                         "en": "No participants in this district under the chosen filters."},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.program": {"id": "Program", "en": "Program"},
    "geo.header": {"id": "Batas wilayah (GeoJSON)", "en": "Boundaries (GeoJSON)"},
    "geo.help": {
        "id": "Unggah GeoJSON FeatureCollection berisi poligon kecamatan; fitur dicocokkan dengan kode "
              "(12.71.17) atau nama kecamatan di propertinya. Berkas hanya dibaca sebagai data dan disimpan "
              "selama sesi ini. Maksimum {mb} MB.",
        "en": "Upload a GeoJSON FeatureCollection of district polygons; features are matched by the kode "
              "(12.71.17) or the district name in their properties. The file is only read as data and kept for "
              "this session. At most {mb} MB."},
    "geo.upload": {"id": "Berkas batas wilayah", "en": "Boundaries file"},
    "geo.ok": {"id": "{k} dari 21 kecamatan dicocokkan dengan batas wilayah.",
               "en": "{k} of 21 districts matched to boundaries."},
    "geo.unmatched": {"id": "Fitur yang tidak cocok dengan kecamatan mana pun (diabaikan):",
                      "en": "Features that matched no district (ignored):"},
    "geo.remove": {"id": "Hapus batas wilayah", "en": "Remove boundaries"},
    "geo.feature": {"id": "fitur", "en": "feature"},
}


def _on_select(key: str) -> None:
    """A click on the map or the heat map: select that kecamatan (``customdata[0]`` of the map,
    ``customdata[1]`` of a heat-map cell)."""
    name = ec.selected_key(st.session_state.get(key), index=1 if key == HEATMAP_KEY else 0)
    if name:
        filters.set_value("kecamatan", name)


def render() -> None:
    require(MIN_ROLE)
    language = lang()
    st.title(tr(STRINGS, "title"))
    sc = scope.current("training", use_kecamatan=False)
    measure = filters.current()["ukuran"]
    data.banner(sc.source)
    if not data.require(sc.source):
        return
    everything = tr(STRINGS, "all")
    st.caption(tr(STRINGS, "scope", periode=md_escape(sc.periode or everything),
                  program=md_escape(sc.program or everything), measure=measure_label(measure)))
    chosen = filters.current()["kecamatan"]
    if chosen:
        left, right = st.columns([3, 1])
        left.markdown(tr(STRINGS, "chosen", name=f"**{md_escape(chosen)}**"))
        right.button(tr(STRINGS, "clear"), on_click=filters.set_value, args=("kecamatan", None),
                     key="kecamatan_clear")
    if not ec.headline(sc)["rows"]:
        st.warning(tr(STRINGS, "no_rows"))
        _geojson_admin()
        return
    try:
        by_kec = ec.summary(sc, measure, "kecamatan")
        cells = ec.summary(sc, measure, "program,kecamatan")
    except AnalysisError as err:
        st.error(err.message(language))
        return
    by_kec = by_kec[by_kec["kecamatan"].notna()]
    cells = cells[cells["kecamatan"].notna() & cells["program"].notna()]

    geo = st.session_state.get(GEOJSON)
    fig = maps.kecamatan_map(by_kec, "effect_size_dz", language, value_label=tr(STRINGS, "map.value"),
                             geojson=geo["data"] if geo else None, diverging=True)
    st.plotly_chart(fig, width="stretch", theme=None, on_select=lambda: _on_select(MAP_KEY),
                    selection_mode="points", key=MAP_KEY)
    caption = tr(STRINGS, "map.caption")
    if geo:
        caption += " " + tr(STRINGS, "map.caption.geojson", name=md_escape(geo["name"]))
    st.caption(caption)

    districts = load_districts().table["kecamatan"].tolist()
    order = [d for d in districts if d in set(cells["kecamatan"])]
    fig = maps.effect_heatmap(cells, language, kecamatan_order=order or None)
    st.plotly_chart(fig, width="stretch", theme=None, on_select=lambda: _on_select(HEATMAP_KEY),
                    selection_mode="points", key=HEATMAP_KEY)
    st.caption(tr(STRINGS, "heatmap.caption"))
    st.caption(tr(STRINGS, "design.note"))

    if chosen:
        _district(replace(sc, kecamatan=chosen), measure, by_kec)
    else:
        st.subheader(tr(STRINGS, "ranking.all"))
        st.dataframe(ec.ranking_table(by_kec, "kecamatan", language, key_label=tr(STRINGS, "col.kecamatan"),
                                      value="effect_size_dz"), width="stretch", hide_index=True)
        st.caption(tr(STRINGS, "ranking.all.caption"))
    mentoring_layer(chosen)
    _geojson_admin()


def _district(district: scope.Scope, measure: str, by_kec: pd.DataFrame) -> None:
    """The programs in one district (``district``: the page's scope narrowed to it) and its rank."""
    chosen = district.kecamatan
    st.subheader(tr(STRINGS, "ranking.one", name=md_escape(chosen)))
    if not ec.headline(district)["rows"]:
        st.info(tr(STRINGS, "no_district_rows"))
        return
    try:
        programs = ec.summary(district, measure, "program")
    except AnalysisError as err:
        st.error(err.message(lang()))
        return
    programs = programs[programs["program"].notna()]
    st.dataframe(ec.ranking_table(programs, "program", lang(), key_label=tr(STRINGS, "col.program"),
                                  value="effect_size_dz"), width="stretch", hide_index=True)
    ranked = by_kec.assign(_dz=by_kec["effect_size_dz"].astype(float)).dropna(subset=["_dz"])
    ranked = ranked.sort_values("_dz", ascending=False, kind="stable").reset_index(drop=True)
    hit = ranked.index[ranked["kecamatan"] == chosen]
    position = (tr(STRINGS, "position", total=integer(len(ranked)), rank=integer(hit[0] + 1),
                   dz=num(ranked.loc[hit[0], "_dz"], 2)) if len(hit) else "")
    st.caption(tr(STRINGS, "ranking.one.caption", position=position))


def _on_geojson() -> None:
    """The uploader's callback (before the page redraws, so the map shows the new boundaries at once):
    parse the file as data and keep it in the session, or keep the error to show."""
    upload = st.session_state.get(GEOJSON_FILE)
    if upload is None:
        st.session_state.pop(GEOJSON, None)
        st.session_state.pop(GEOJSON_ERROR, None)
        return
    raw = upload.getvalue()
    try:
        shapes, unmatched = parse_geojson(raw)
    except AnalysisError as err:
        st.session_state.pop(GEOJSON, None)
        st.session_state[GEOJSON_ERROR] = err
        return
    st.session_state.pop(GEOJSON_ERROR, None)
    st.session_state[GEOJSON] = {"name": upload.name, "data": raw, "matched": len(shapes), "unmatched": unmatched}


def _remove_geojson() -> None:
    st.session_state.pop(GEOJSON, None)
    st.session_state.pop(GEOJSON_ERROR, None)


def _geojson_admin() -> None:
    """Administrators: upload, check and keep (in the session) a boundaries GeoJSON."""
    if not can("admin"):
        return
    with st.expander(tr(STRINGS, "geo.header"), expanded=bool(st.session_state.get(GEOJSON_ERROR))):
        st.caption(tr(STRINGS, "geo.help", mb=integer(MAX_GEOJSON_BYTES // 2**20)))
        st.file_uploader(tr(STRINGS, "geo.upload"), type=["geojson", "json"], key=GEOJSON_FILE,
                         max_upload_size=MAX_GEOJSON_BYTES // 2**20, on_change=_on_geojson)
        look.uploader_texts(GEOJSON_FILE, MAX_GEOJSON_BYTES // 2**20, ["geojson", "json"])
        error = st.session_state.get(GEOJSON_ERROR)
        if error is not None:
            st.error(error.message(lang()))
        geo = st.session_state.get(GEOJSON)
        if geo:
            st.success(tr(STRINGS, "geo.ok", k=integer(geo["matched"])))
            if geo["unmatched"]:
                st.warning(tr(STRINGS, "geo.unmatched"))
                st.dataframe(pd.DataFrame({tr(STRINGS, "geo.feature"): geo["unmatched"]}, dtype="str"),
                             hide_index=True)
            st.button(tr(STRINGS, "geo.remove"), on_click=_remove_geojson, key="kecamatan_geojson_remove")
