"""Karier: the yearly 20 JP for every employee of the appraisal export (employees without any
development counted), per unit kerja and kecamatan with the JP distribution, and the talent box of
PermenPANRB 3/2020 per unit where potensi is supplied. Aggregates only: no person is named here;
each employee's record and the development plan are on the Pengembangan page (analysts)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.career import talent
from analysis.career.roster import BINS
from analysis.core.config import get_settings
from analysis.core.errors import AnalysisError
from ui import career as cr
from ui import data, filters
from ui.session import can, integer, lang, md_escape, num, pct, require, tr

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"
YEAR_KEY = "karier_year"

STRINGS = {
    "title": {"id": "Karier dan JP", "en": "Careers and JP"},
    "intro": {
        "id": "Setiap PNS berhak atas pengembangan kompetensi sedikitnya {target} JP setahun (PP 11/2017 sebagaimana "
              "diubah PP 17/2020). Daftar pegawai diambil dari ekspor penilaian kinerja, jadi pegawai yang tidak "
              "pernah mengikuti pengembangan apa pun ikut dihitung (0 JP). JP = pelatihan + mentoring (mentee) + "
              "pengembangan lain, menurut tahun tanggal mulai.",
        "en": "Every PNS has a right to at least {target} JP of competency development a year (PP 11/2017 as amended "
              "by PP 17/2020). The list of employees comes from the appraisal export, so staff who never had any "
              "development are counted (0 JP). JP = training + mentoring (as mentee) + other development, by the "
              "year of the start date."},
    "no_appraisal": {"id": "Belum ada data penilaian kinerja: daftar seluruh pegawai tidak tersedia.",
                     "en": "No appraisal data yet: there is no list of all employees."},
    "year": {"id": "Tahun", "en": "Year"},
    "scope": {"id": "Filter periode dan program di panel samping tidak berlaku di sini (JP dihitung per tahun, semua "
                    "program). Kecamatan: {kecamatan}.",
              "en": "The sidebar's period and program filters do not apply here (JP count per year, every program). "
                    "District: {kecamatan}."},
    "all": {"id": "semua", "en": "all"},
    "m.employees": {"id": "PNS dalam daftar", "en": "PNS on the roster"},
    "m.meeting": {"id": "Mencapai {target} JP", "en": "Reaching {target} JP"},
    "m.share": {"id": "Persentase", "en": "Share"},
    "m.zero": {"id": "Tanpa pengembangan", "en": "Without any development"},
    "m.median": {"id": "Median JP", "en": "Median JP"},
    "counting": {
        "id": "Dihitung: pelatihan {training} JP ({n_training} kegiatan), mentoring {mentoring} JP (mentee; {per} JP "
              "per sesi bila berkas tidak mencatat JP; mentor tidak diberi JP), lainnya {other} JP. {not_pns} pegawai "
              "bukan PNS (mis. PPPK) tidak dihitung; {off} orang punya pengembangan tetapi tidak ada dalam penilaian "
              "kinerja tahun ini.",
        "en": "Counted: training {training} JP ({n_training} activities), mentoring {mentoring} JP (mentees; {per} JP a "
              "session where the file records none; mentors not credited), other {other} JP. {not_pns} non-PNS "
              "employees (e.g. PPPK) are not counted; {off} people had development but are not in this year's "
              "appraisals."},
    "h.units": {"id": "Per unit kerja", "en": "Per work unit"},
    "h.kecamatan": {"id": "Per kecamatan", "en": "Per district"},
    "h.distribution": {"id": "Sebaran JP", "en": "JP distribution"},
    "col.unit_kerja": {"id": "Unit kerja", "en": "Work unit"},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.employees": {"id": "PNS", "en": "PNS"},
    "col.meeting_target": {"id": "Mencapai target", "en": "Reaching the target"},
    "col.share": {"id": "Persentase", "en": "Share"},
    "col.jp_median": {"id": "Median JP", "en": "Median JP"},
    "col.jp_q": {"id": "Kuartil 1–3", "en": "Quartiles 1–3"},
    "col.jp_0": {"id": "0 JP", "en": "0 JP"},
    "bin": {"id": "JP setahun", "en": "JP in the year"},
    "count": {"id": "PNS", "en": "PNS"},
    "bin.jp_0": {"id": "0", "en": "0"},
    "bin.jp_below_half": {"id": "di atas 0, di bawah {half}", "en": "above 0, below {half}"},
    "bin.jp_below_target": {"id": "{half} sampai di bawah {target}", "en": "{half} to below {target}"},
    "bin.jp_below_double": {"id": "{target} sampai di bawah {double}", "en": "{target} to below {double}"},
    "bin.jp_double_or_more": {"id": "{double} atau lebih", "en": "{double} or more"},
    "h.talent": {"id": "Kotak manajemen talenta", "en": "Talent box"},
    "talent.intro": {
        "id": "Kinerja (dari predikat periode terakhir tahun ini) × potensial (kolom Potensi penilaian kinerja), "
              "kotak 1–9 menurut PermenPANRB 3/2020 sebagaimana diubah PermenPANRB 20/2025. {placed} PNS ditempatkan; "
              "{without} tanpa data potensi.",
        "en": "Performance (from this year's latest predikat) × potential (the appraisal export's Potensi column), "
              "boxes 1–9 after PermenPANRB 3/2020 as amended by PermenPANRB 20/2025. {placed} employees placed; "
              "{without} without a potential."},
    "talent.none": {
        "id": "Data penilaian kinerja tidak memuat potensi pegawai: kotak talenta tidak dapat disusun. Tambahkan kolom "
              "Potensi (rendah, menengah, tinggi, atau skor 0–100) pada ekspor penilaian kinerja.",
        "en": "The appraisal data hold no potential: the talent box cannot be drawn. Add a Potensi column (rendah, "
              "menengah, tinggi, or a score 0–100) to the appraisal export."},
    "talent.caveat": {
        "id": "Penomoran kotak dan tindakannya diambil dari bahan KemenPANRB dan penerapan umum, bukan dari Lampiran "
              "peraturan itu sendiri; pemetaan predikat ke sumbu kinerja dan pita skor potensi adalah ketentuan produk "
              "ini. Instansi wajib mencocokkannya dengan teks peraturan sebelum dipakai (docs/domain.md §8).",
        "en": "The box numbering and its actions come from KemenPANRB material and common implementations, not from the "
              "regulation's Lampiran itself; the mapping of predikat onto the performance axis and the potential-score "
              "bands are the product's. An agency must check them against the regulation's text before use "
              "(docs/domain.md §8)."},
    "talent.by": {"id": "Hitung per", "en": "Count per"},
    "talent.boxes": {"id": "Arti setiap kotak", "en": "What each box means"},
    "col.box": {"id": "Kotak", "en": "Box"},
    "col.kinerja": {"id": "Kinerja", "en": "Performance"},
    "col.potensial": {"id": "Potensial", "en": "Potential"},
    "col.meaning": {"id": "Arti", "en": "Meaning"},
    "col.action": {"id": "Tindakan", "en": "Action"},
    "col.total": {"id": "Jumlah", "en": "Total"},
    "more": {"id": "Rekam pengembangan setiap pegawai dan Rencana Pengembangan: halaman Pengembangan (analis).",
             "en": "Each employee's development record and the development plan: the Development page (analysts)."},
}


def render() -> None:
    require(MIN_ROLE)
    target = get_settings().jp_target
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro", target=num(target, 0)))
    s = cr.scopes()
    if not data.require(s["appraisals"].source):
        return
    data.banner(s["appraisals"].source)
    if s["appraisals"].rows.empty:
        st.warning(tr(STRINGS, "no_appraisal"))
        return
    years = cr.years(s["appraisals"])
    if not years:
        st.warning(tr(STRINGS, "no_appraisal"))
        return
    year = st.selectbox(tr(STRINGS, "year"), years[::-1], key=YEAR_KEY)
    kecamatan = filters.current()["kecamatan"]
    st.caption(tr(STRINGS, "scope", kecamatan=md_escape(kecamatan or tr(STRINGS, "all"))))
    try:
        result = cr.roster(s["appraisals"], s["training"], s["mentoring"], s["other"], int(year))
    except AnalysisError as err:
        st.error(md_escape(err.message(lang())))
        return
    st.caption(data.sources_caption(*(v.source for v in s.values() if not v.source.missing)))
    _headline(result, kecamatan)
    _tables(result, kecamatan)
    _talent(s, int(year), kecamatan)
    if can("analyst"):
        st.caption(tr(STRINGS, "more"))


def _headline(result: dict, kecamatan: str | None) -> None:
    o = result["overall"]
    if kecamatan:
        o = next((k for k in result["kecamatan"] if k["kecamatan"] == kecamatan), None) or {
            "employees": 0, "meeting_target": 0, "share": None, "jp_0": 0, "jp_median": None}
    target = num(result["target"], 0)
    cols = st.columns(5)
    cols[0].metric(tr(STRINGS, "m.employees"), integer(o["employees"]))
    cols[1].metric(tr(STRINGS, "m.meeting", target=target), integer(o["meeting_target"]))
    cols[2].metric(tr(STRINGS, "m.share"), pct(o["share"]) if o["share"] is not None else "–")
    cols[3].metric(tr(STRINGS, "m.zero"), integer(o["jp_0"]))
    cols[4].metric(tr(STRINGS, "m.median"), num(o["jp_median"], 0) if o["jp_median"] is not None else "–")
    c = result["counting"]
    st.caption(tr(STRINGS, "counting", training=num(c["training"]["jp"], 0), n_training=integer(c["training"]["activities"]),
                  mentoring=num(c["mentoring"]["jp"], 0), per=num(c["mentoring_jp_per_session"], 0),
                  other=num(c["jp_lain"]["jp"], 0), not_pns=integer(result["not_pns"]),
                  off=integer(c["development_not_on_roster"])))
    st.subheader(tr(STRINGS, "h.distribution"))
    st.dataframe(distribution_table(o, result["target"], lang()), hide_index=True, width="stretch",
                 key="karier_distribution")


def distribution_table(summary: dict, target: float, language: str) -> pd.DataFrame:
    """The JP bins of a summary (``analysis.career.roster.target_summary``) as a small table."""
    from analysis.core.fmt import fmt_number
    from analysis.core.i18n import translate

    words = {"half": fmt_number(target / 2, 0, language), "target": fmt_number(target, 0, language),
             "double": fmt_number(2 * target, 0, language)}
    return pd.DataFrame({translate(STRINGS, "bin", language): [translate(STRINGS, f"bin.{b}", language, **words)
                                                               for b in BINS],
                         translate(STRINGS, "count", language): [int(summary.get(b) or 0) for b in BINS]})


def _summary_frame(rows: list[dict], by: str) -> pd.DataFrame:
    out = []
    for r in rows:
        item = {tr(STRINGS, f"col.{by}"): r[by]}
        if by == "unit_kerja":
            item[tr(STRINGS, "col.kecamatan")] = r.get("kecamatan") or "–"
        item.update({
            tr(STRINGS, "col.employees"): integer(r["employees"]),
            tr(STRINGS, "col.meeting_target"): integer(r["meeting_target"]),
            tr(STRINGS, "col.share"): pct(r["share"]) if r["share"] is not None else "–",
            tr(STRINGS, "col.jp_median"): num(r["jp_median"], 0),
            tr(STRINGS, "col.jp_q"): f"{num(r['jp_q1'], 0)}–{num(r['jp_q3'], 0)}",
            tr(STRINGS, "col.jp_0"): integer(r["jp_0"]),
        })
        out.append(item)
    return pd.DataFrame(out, dtype="str")


def _tables(result: dict, kecamatan: str | None) -> None:
    units = [u for u in result["units"] if not kecamatan or u.get("kecamatan") == kecamatan]
    st.subheader(tr(STRINGS, "h.units"))
    st.dataframe(_summary_frame(units, "unit_kerja"), hide_index=True, width="stretch", key="karier_units")
    st.subheader(tr(STRINGS, "h.kecamatan"))
    st.dataframe(_summary_frame(result["kecamatan"], "kecamatan"), hide_index=True, width="stretch",
                 key="karier_kecamatan")


def _talent(s: dict, year: int, kecamatan: str | None) -> None:
    st.subheader(tr(STRINGS, "h.talent"))
    counts = cr.talent_counts(s["appraisals"], year)
    if not counts["available"]:
        st.info(tr(STRINGS, "talent.none"))
        return
    st.caption(tr(STRINGS, "talent.intro", placed=integer(counts["placed"]), without=integer(counts["without_potensi"])))
    by = st.radio(tr(STRINGS, "talent.by"), ("unit_kerja", "kecamatan"), horizontal=True, key="karier_talent_by",
                  format_func=lambda c: tr(STRINGS, f"col.{c}"))
    table = counts["table"] if by == "unit_kerja" else counts["kecamatan"]
    if kecamatan and by == "kecamatan":
        table = table[table["kecamatan"] == kecamatan]
    shown = table.rename(columns={by: tr(STRINGS, f"col.{by}"), "total": tr(STRINGS, "col.total"),
                                  **{f"box_{b}": f"{tr(STRINGS, 'col.box')} {b}" for b in range(1, 10)}})
    st.dataframe(shown, hide_index=True, width="stretch", key="karier_talent")
    with st.expander(tr(STRINGS, "talent.boxes")):
        boxes = talent.box_table(lang()).rename(columns={c: tr(STRINGS, f"col.{c}") for c in
                                                         ("box", "kinerja", "potensial", "meaning", "action")})
        st.dataframe(boxes, hide_index=True, width="stretch", key="karier_boxes")
    st.caption(tr(STRINGS, "talent.caveat"))
