"""Program: one program's evidence — before/after per participant, the distribution of changes, the
effect per kecamatan with CIs and small-n flags, the plain reading, the full tests table and the
design used (before/after, or difference in differences against the comparison group)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.significance import ALPHA, MIN_NONZERO, MIN_PAIRS, TOO_LITTLE_FLAGS, as_flags, flag_text
from analysis.evidence import engine as evidence
from analysis.evidence.engine import estimate_frame
from analysis.report.charts import evidence as charts
from analysis.stats.paired import T_TEST_MIN_N
from ui import data, filters, scope
from ui import evidence_cache as ec
from ui.followup import scorecard_row
from ui.session import can, integer, lang, md_escape, num, pval, require, tr

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"

STRINGS = {
    "title": {"id": "Program", "en": "Program"},
    "pick": {"id": "Pilih program", "en": "Choose a program"},
    "pick.help": {"id": "Filter program di panel samping berisi “Semua”: pilih satu program di sini (filter "
                         "lain tidak berubah).",
                  "en": "The sidebar's program filter says “All”: choose one program here (the other filters "
                        "stay as they are)."},
    "from_filter": {"id": "Program dipilih dari filter di panel samping; ubah di sana untuk program lain.",
                    "en": "Program chosen by the sidebar filter; change it there for another program."},
    "no_programs": {"id": "Tidak ada program dengan peserta untuk filter ini. Ubah periode atau kecamatan, atau "
                          "terbitkan dataset pelatihan di halaman Data.",
                    "en": "No program has participants under these filters. Change the period or district, or "
                          "publish a training dataset on the Data page."},
    "m.n": {"id": "Pasangan lengkap", "en": "Complete pairs"},
    "m.n.help": {"id": "Peserta yang punya nilai sebelum dan sesudah.",
                 "en": "Participants with both a before and an after value."},
    "m.change": {"id": "Perubahan rata-rata", "en": "Mean change"},
    "m.dz": {"id": "Besar efek", "en": "Size of the effect"},
    "m.dz.help": {"id": "Ukuran efek d_z (Cohen): perubahan rata-rata dibagi simpangan baku perubahan — 0,2 kecil, "
                        "0,5 sedang, 0,8 besar.",
                  "en": "Effect size d_z (Cohen): the mean change divided by the SD of the changes — 0.2 small, "
                        "0.5 medium, 0.8 large."},
    "m.did": {"id": "Kenaikan di atas pembanding", "en": "Gain beyond the comparison"},
    "m.did.help": {"id": "Selisih-dalam-selisih (difference in differences, DiD): kenaikan peserta dikurangi kenaikan "
                         "kelompok pembanding (non-peserta).",
                   "en": "Difference in differences (DiD): participants' gain minus the comparison group's "
                         "(non-participants') gain."},
    "m.p": {"id": "Peluang kebetulan", "en": "Chance of a fluke"},
    "m.p.help": {"id": "Nilai p dari uji yang dipilih menurut aturan di bawah tabel uji — uji rata-rata (uji t "
                       "berpasangan) atau uji peringkat (uji Wilcoxon signed-rank): peluang melihat perubahan "
                       "sebesar ini bila program sebenarnya tidak berpengaruh; p < 0,05 = signifikan.",
                 "en": "The p-value of the test chosen by the rule below the tests table — a test of means (paired "
                       "t-test) or of ranks (Wilcoxon signed-rank test): the chance of a change this large if the "
                       "program had no effect; p < 0.05 = significant."},
    "reading": {"id": "Bacaan", "en": "Reading"},
    "design.header": {"id": "Desain evaluasi", "en": "Evaluation design"},
    "design.did": {
        "id": "Desain: **selisih-dalam-selisih** terhadap {n_comp} pegawai pembanding (non-peserta). "
              "Perkiraan ini memperhitungkan perubahan yang juga terjadi tanpa program (regresi ke rata-rata, "
              "tren umum), sehingga lebih jujur daripada sebelum–sesudah saja. Galat baku dikelompokkan menurut "
              "{cluster_by} ({clusters} klaster).",
        "en": "Design: **difference in differences** against {n_comp} comparison staff (non-participants). "
              "It removes the change that also happens without the program (regression to the mean, general "
              "trends), so it is more honest than before/after alone. Standard errors are clustered by "
              "{cluster_by} ({clusters} clusters)."},
    "design.ba": {
        "id": "Desain: **sebelum–sesudah saja**, tanpa kelompok pembanding. Perbandingan ini cenderung "
              "melebih-lebihkan efek: peserta yang nilainya rendah saat pre-test cenderung naik dengan sendirinya "
              "(regresi ke rata-rata), dan peserta yang dipilih mungkin memang sedang berkembang (seleksi). "
              "Sertakan data non-peserta (kelompok “pembanding”) agar efeknya dapat diukur lebih jujur.",
        "en": "Design: **before/after only**, without a comparison group. This tends to overstate effects: "
              "participants who scored low at the pre-test tend to rise anyway (regression to the mean), and "
              "those selected may already be improving (selection). Include non-participants' data (group "
              "“pembanding”) to measure the effect more honestly."},
    "design.ordinal": {
        "id": "Nilai kinerja berupa predikat berjenjang: diuji dengan uji Wilcoxon pada urutan predikat, dan "
              "ditampilkan sebagai tabel pergeseran. Kelompok pembanding tidak dapat dipakai (DiD butuh skor angka).",
        "en": "Performance is an ordered rating: tested with the Wilcoxon test on the rating order and shown as a "
              "shift table. The comparison group cannot be used (DiD needs numeric scores)."},
    "few_clusters": {"id": "Sedikit klaster: galat baku DiD kurang dapat diandalkan; tafsirkan dengan hati-hati.",
                     "en": "Few clusters: the DiD standard errors are less reliable; interpret with care."},
    "flags": {"id": "Catatan data: {text}.", "en": "Data notes: {text}."},
    "small": {"id": "Kelompok ini kecil: **data terlalu sedikit untuk menyimpulkan** (apa pun nilai p-nya), "
                    "bukan “tidak ada efek”.",
              "en": "This group is small: **too little data to conclude** (whatever its p-value), not "
                    "“no effect”."},
    "paired.caption": {
        "id": "Setiap garis adalah satu peserta, dari nilai sebelum (kiri) ke sesudah (kanan): biru naik, merah "
              "turun, abu-abu tetap. Garis hitam tebal = rata-rata semua peserta.{masked}",
        "en": "Each line is one participant, from the score before (left) to after (right): blue up, red down, "
              "grey unchanged. The thick black line is the mean of all participants.{masked}"},
    "masked": {"id": " Nama disamarkan untuk peran Anda.", "en": " Names are masked for your role."},
    "delta.caption": {
        "id": "Berapa peserta naik atau turun sebanyak berapa: batang di kanan garis putus-putus (nol) adalah "
              "kenaikan. Garis merah = perubahan rata-rata.",
        "en": "How many participants rose or fell by how much: bars right of the dashed line (zero) are gains. "
              "The red line is the mean change."},
    "shift.header": {"id": "Tabel pergeseran predikat", "en": "Rating shift table"},
    "shift.caption": {
        "id": "Baris = predikat sebelum, kolom = predikat sesudah; angka = jumlah pegawai. Di atas diagonal = "
              "predikat naik, di bawah = turun.",
        "en": "Rows = rating before, columns = rating after; numbers = staff. Above the diagonal = rating up, "
              "below = down."},
    "forest.caption": {
        "id": "Perubahan per kecamatan dengan 95% CI (DiD bila ada pembanding di kecamatan itu); garis biru = "
              "keseluruhan program dengan pitanya. Titik berongga berlabel “n kecil” = data terlalu sedikit "
              "untuk menyimpulkan, bukan “tidak ada efek”. Nilai p dikoreksi Holm antar-kecamatan.",
        "en": "Change per district with 95% CIs (DiD where that district has a comparison group); the blue line "
              "is the whole program with its band. Hollow dots labelled “small n” = too little data to conclude, "
              "not “no effect”. p-values are Holm-adjusted across districts."},
    "tests.header": {"id": "Tabel uji lengkap", "en": "Full tests table"},
    "tests.caption": {
        "id": "Semua yang dihitung mesin evidens, per kecamatan dan untuk seluruh program (baris pertama). "
              "Uji utama dipilih otomatis: {rule} Nilai p dikoreksi dengan metode Holm.",
        "en": "Everything the evidence engine computes, per district and for the whole program (first row). "
              "The primary test is chosen automatically: {rule} p-values are Holm-adjusted."},
    "rule.numeric": {
        "id": "untuk skor angka, uji t berpasangan bila n ≥ {tmin} atau selisihnya tidak menyimpang dari normal "
              "(Shapiro–Wilk p ≥ {alpha}); selain itu uji Wilcoxon signed-rank.",
        "en": "for numeric scores, the paired t-test when n ≥ {tmin} or the differences do not depart from "
              "normal (Shapiro–Wilk p ≥ {alpha}); otherwise the Wilcoxon signed-rank test."},
    "rule.ordinal": {"id": "untuk predikat berjenjang selalu uji Wilcoxon signed-rank pada urutan predikat.",
                     "en": "for ordered ratings, always the Wilcoxon signed-rank test on the rating order."},
    "power": {
        "id": "Power: untuk mendeteksi efek sedang (d_z = {target}) dengan power 80% pada α = 0,05 dibutuhkan "
              "{n_req} pasangan; dengan {n} pasangan program ini dapat mendeteksi efek sekecil d_z = {mde}. "
              "Kelompok dengan kurang dari {small} pasangan atau kurang dari {nz} selisih bukan nol dibaca “data "
              "terlalu sedikit untuk menyimpulkan”, apa pun nilai p-nya.",
        "en": "Power: detecting a medium effect (d_z = {target}) with 80% power at α = 0.05 needs {n_req} pairs; "
              "with {n} pairs this program can detect effects as small as d_z = {mde}. A group with fewer than "
              "{small} pairs or fewer than {nz} non-zero differences reads “too little data to conclude”, "
              "whatever its p-value."},
    "overall": {"id": "Seluruh program", "en": "Whole program"},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "before": {"id": "Sebelum", "en": "Before"},
    "after": {"id": "Sesudah", "en": "After"},
    "pre": {"id": "Pre-test", "en": "Pre-test"},
    "post": {"id": "Post-test", "en": "Post-test"},
    "y.knowledge": {"id": "Nilai tes (0–100)", "en": "Test score (0–100)"},
    "y.performance": {"id": "Nilai kinerja", "en": "Performance score"},
    "x.change": {"id": "Perubahan (sesudah − sebelum)", "en": "Change (after − before)"},
    "x.levels": {"id": "Perubahan predikat (tingkat)", "en": "Rating change (levels)"},
}


PICK = "program_pick"


def _on_pick() -> None:
    filters.open_program(st.session_state[PICK])


def _choose_program(programs: list[str], chosen: str | None) -> str:
    """The sidebar's program when it names one; else the page's own choice (a click on the overview,
    the ``pilih`` link parameter, or this selectbox), kept across pages and in the URL."""
    if chosen in programs:
        st.caption(tr(STRINGS, "from_filter"))
        return chosen
    own = st.session_state.get(filters.PROGRAM_CHOICE)
    st.session_state[PICK] = own if own in programs else programs[0]
    program = st.selectbox(tr(STRINGS, "pick"), programs, key=PICK, help=tr(STRINGS, "pick.help"),
                           on_change=_on_pick)
    filters.open_program(program)
    if st.query_params.get(filters.PROGRAM_PARAM) != program:
        st.query_params[filters.PROGRAM_PARAM] = program
    return program


def render() -> None:
    require(MIN_ROLE)
    language = lang()
    st.title(tr(STRINGS, "title"))
    base = scope.current("training", use_program=False)
    data.banner(base.source)
    if not data.require(base.source):
        return
    programs = ec.programs(base)
    if not programs:
        st.warning(tr(STRINGS, "no_programs"))
        return
    program = _choose_program(programs, filters.current()["program"])
    st.header(md_escape(program))
    scorecard_row(program)  # the program's follow-up scorecard row and meeting decision (ui/followup.py)

    sc = scope.current("training", program=program)
    measure = filters.current()["ukuran"]
    ordinal = ec.is_ordinal(sc, measure)
    try:
        ev = ec.evaluation(sc, measure, "kecamatan")
    except AnalysisError as err:
        st.error(err.message(language))
        return
    overall = ev["overall"]
    _headline(overall, ordinal)
    _design(overall, ordinal)
    _charts(measure, ordinal, sc)
    _forest(ev, overall, ordinal)
    _tests(ev, overall, ordinal)


def _ci(low, high, decimals: int) -> str:
    return f"95% CI {num(low, decimals)} – {num(high, decimals)}"


def _headline(overall: dict, ordinal: bool) -> None:
    d = 2 if ordinal else 1  # rating levels need the second decimal
    quiet = {"delta_color": "off", "delta_arrow": "off"}
    cols = st.columns(4)
    cols[0].metric(tr(STRINGS, "m.n"), integer(overall["n"]), help=tr(STRINGS, "m.n.help"))
    cols[1].metric(tr(STRINGS, "m.change"), num(overall["mean_delta"], d),
                   delta=_ci(overall["ci_low"], overall["ci_high"], d), **quiet)
    if overall.get("design") == evidence.DID:
        cols[2].metric(tr(STRINGS, "m.did"), num(overall["did"], d),
                       delta=_ci(overall["did_ci_low"], overall["did_ci_high"], d), help=tr(STRINGS, "m.did.help"),
                       **quiet)
    else:
        cols[2].metric(tr(STRINGS, "m.dz"), num(overall["effect_size_dz"], 2),
                       delta=_ci(overall["dz_ci_low"], overall["dz_ci_high"], 2), help=tr(STRINGS, "m.dz.help"),
                       **quiet)
    test = ec.results_table([{"primary_test": overall.get("primary_test")}], lang()).iloc[0, 0]
    cols[3].metric(tr(STRINGS, "m.p"), pval(overall.get("p_value")), delta=test, help=tr(STRINGS, "m.p.help"),
                   **quiet)
    st.subheader(tr(STRINGS, "reading"))
    st.info(md_escape(overall.get(f"summary_{lang()}") or ""))


def _design(overall: dict, ordinal: bool) -> None:
    st.subheader(tr(STRINGS, "design.header"))
    flags = as_flags(overall.get("flags"))
    if ordinal:
        st.info(tr(STRINGS, "design.ordinal"))
    elif overall.get("design") == evidence.DID:
        cluster_by = overall.get("did_cluster_by") or "–"
        if lang() == "id":
            cluster_by = {"kecamatan": "kecamatan", "person": "pegawai", "observation": "observasi"}.get(
                cluster_by, cluster_by)
        st.success(tr(STRINGS, "design.did", n_comp=integer(overall.get("n_comparison")), cluster_by=cluster_by,
                      clusters=integer(overall.get("did_n_clusters"))))
        if "few_clusters" in flags:
            st.warning(tr(STRINGS, "few_clusters"))
    else:
        st.warning(tr(STRINGS, "design.ba"))
    if TOO_LITTLE_FLAGS & set(flags):
        st.warning(tr(STRINGS, "small"))
    quiet = [f for f in flags if f not in ("few_clusters",)]
    if quiet:
        st.caption(tr(STRINGS, "flags", text=md_escape(flag_text(quiet, lang()))))


def _charts(measure: str, ordinal: bool, sc: scope.Scope) -> None:
    language = lang()
    knowledge = measure == "knowledge"
    labels = ec.PairLabels(before=tr(STRINGS, "pre" if knowledge else "before"),
                           after=tr(STRINGS, "post" if knowledge else "after"), y_title=tr(STRINGS, f"y.{measure}"),
                           x_title=tr(STRINGS, "x.levels" if ordinal else "x.change"))
    paired, delta = ec.pair_figures(sc, measure, language, not can("analyst"), labels)
    if ordinal:
        st.subheader(tr(STRINGS, "shift.header"))
        table = ec.shift(sc, measure)
        pivot = table.pivot_table(index="before", columns="after", values="count", aggfunc="sum",
                                  observed=False, sort=False)
        pivot.index.name = tr(STRINGS, "before")
        pivot.columns.name = tr(STRINGS, "after")
        st.dataframe(pivot, width="stretch")
        st.caption(tr(STRINGS, "shift.caption"))
        st.plotly_chart(delta, width="stretch", theme=None, key="program_delta")
        st.caption(tr(STRINGS, "delta.caption"))
        return
    left, right = st.columns(2)
    with left:
        st.plotly_chart(paired, width="stretch", theme=None, key="program_paired")
        masked = "" if can("analyst") else tr(STRINGS, "masked")
        st.caption(tr(STRINGS, "paired.caption", masked=masked))
    with right:
        st.plotly_chart(delta, width="stretch", theme=None, key="program_delta")
        st.caption(tr(STRINGS, "delta.caption"))


def _kecamatan_frame(ev: dict) -> pd.DataFrame:
    groups = pd.DataFrame(ev["groups"])
    if groups.empty or "kecamatan" not in groups:
        return groups
    groups = groups[groups["kecamatan"].notna()]
    return estimate_frame(groups)


def _forest(ev: dict, overall: dict, ordinal: bool) -> None:
    groups = _kecamatan_frame(ev)
    whole = estimate_frame(pd.DataFrame([overall])).iloc[0]
    fig = charts.forest_plot(groups, lang(), overall=whole, decimals=2 if ordinal else 1)
    st.plotly_chart(fig, width="stretch", theme=None, key="program_forest")
    st.caption(tr(STRINGS, "forest.caption"))


def _tests(ev: dict, overall: dict, ordinal: bool) -> None:
    st.subheader(tr(STRINGS, "tests.header"))
    label = tr(STRINGS, "col.kecamatan")
    records = [{"_label": tr(STRINGS, "overall"), **overall}]
    records += [{"_label": g.get("kecamatan") or "–", **{k: v for k, v in g.items() if k != "kecamatan"}}
                for g in ev["groups"]]
    st.dataframe(ec.results_table(records, lang(), key_label=label), width="stretch", hide_index=True)
    rule = tr(STRINGS, "rule.ordinal") if ordinal else tr(STRINGS, "rule.numeric", tmin=T_TEST_MIN_N,
                                                              alpha=num(ALPHA, 2))
    st.caption(tr(STRINGS, "tests.caption", rule=rule))
    power = ev["power"]
    st.caption(tr(STRINGS, "power", target=num(power["target_dz"], 1), n_req=integer(power["n_required"]),
                  n=integer(overall["n"]), mde=num(overall.get("mde_dz"), 2), nz=MIN_NONZERO, small=MIN_PAIRS))
