"""Mentoring: did senior–junior mentoring work? Coverage (pairs, sessions, the share of junior staff
mentored, mentor load, JP), the effect on the mentees' appraisals against matched non-mentees
overall and per kecamatan, the dose (sessions), and the mentors' shrunk effects — per mentor with
NIP and name for analysts and up, masked for viewers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.significance import as_flags, flag_text, status_label
from analysis.report.charts import evidence as evidence_charts
from analysis.report.charts import mentoring as charts
from ui import data, scope
from ui import mentoring as mc
from ui.session import integer, lang, num, pct, pval, require, tr

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"
LAG_KEY = "mentoring_lag"

STRINGS = {
    "title": {"id": "Mentoring", "en": "Mentoring"},
    "intro": {
        "id": "Pasangan mentor (pegawai senior) dan mentee (pegawai junior) di kecamatan: seberapa luas "
              "jangkauannya, dan apakah penilaian kinerja mentee membaik lebih dari pegawai serupa yang tidak "
              "dibimbing.",
        "en": "Mentor (senior) and mentee (junior) pairs in the districts: how far mentoring reached, and whether "
              "the mentees' appraisals improved more than those of similar staff who were not mentored."},
    "no_pairs": {"id": "Tidak ada pasangan mentoring untuk periode ini. Ubah periode di panel samping, atau "
                        "terbitkan data mentoring di halaman Data.",
                 "en": "No mentoring pairs for this period. Change the period in the sidebar, or publish mentoring "
                       "data on the Data page."},
    "no_appraisal": {"id": "Belum ada data penilaian kinerja (SKP / e-Kinerja): efek mentoring tidak dapat "
                            "dihitung. Terbitkan ekspor penilaian kinerja di halaman Data.",
                     "en": "No appraisal data (SKP / e-Kinerja) yet: the effect of mentoring cannot be estimated. "
                           "Publish an appraisal export on the Data page."},
    "lag": {"id": "Jeda sebelum periode 'sesudah' (bulan)", "en": "Lag before the 'after' period (months)"},
    "lag.help": {"id": "Periode penilaian 'sesudah' adalah periode pertama yang dimulai sekurang-kurangnya sekian "
                       "bulan setelah mentoring selesai.",
                 "en": "The 'after' appraisal period is the first one starting at least this many months after the "
                       "mentoring ended."},
    "h.coverage": {"id": "Jangkauan", "en": "Coverage"},
    "m.pairs": {"id": "Pasangan", "en": "Pairs"},
    "m.mentors": {"id": "Mentor", "en": "Mentors"},
    "m.mentees": {"id": "Mentee", "en": "Mentees"},
    "m.load": {"id": "Mentee per mentor", "en": "Mentees per mentor"},
    "m.load.delta": {"id": "paling banyak {max}", "en": "at most {max}"},
    "m.sessions": {"id": "Sesi per pasangan", "en": "Sessions per pair"},
    "m.junior": {"id": "Pegawai junior dibimbing", "en": "Junior staff mentored"},
    "m.junior.help": {"id": "Mentee di antara pegawai dengan masa kerja di bawah {years} tahun (dari TMT CPNS pada "
                            "NIP) dalam data penilaian kinerja.",
                      "en": "Mentees among staff with fewer than {years} years of service (from the TMT CPNS in the "
                            "NIP) in the appraisal data."},
    "coverage.caption": {"id": "Per kecamatan dan triwulan mulai mentoring.",
                         "en": "Per district and the quarter the mentoring started."},
    "h.jp": {"id": "Jam pelajaran (JP)", "en": "Learning hours (JP)"},
    "jp.text": {
        "id": "Mentoring adalah pengembangan kompetensi nonklasikal (PP 17/2020; PerLAN 10/2018). Belum ada aturan "
              "nasional berapa JP satu sesi: JP yang tercatat di berkas dipakai, selain itu {per} JP per sesi "
              "(pengaturan EVALUASI_MENTORING_JP_PER_SESSION). Mentor tidak diberi JP. Total JP mentee: {total}. "
              "Mentee yang mencapai {target} JP setahun: {without} dari pelatihan saja, {with_m} dengan mentoring.",
        "en": "Mentoring is non-classical competency development (PP 17/2020; PerLAN 10/2018). No national rule says "
              "how many JP a session earns: JP recorded in the file are used, otherwise {per} JP a session (the "
              "setting EVALUASI_MENTORING_JP_PER_SESSION). Mentors are not credited. Mentees' JP in total: {total}. "
              "Mentees reaching {target} JP in the year: {without} from training alone, {with_m} with mentoring."},
    "h.effect": {"id": "Efek pada penilaian kinerja", "en": "Effect on the appraisals"},
    "m.effect": {"id": "Efek keseluruhan", "en": "Overall effect"},
    "m.effect.help": {"id": "Perubahan mentee dikurangi perubahan pegawai pembanding yang cocok (selisih-dalam-"
                             "selisih).",
                      "en": "The mentees' change minus that of matched non-mentees (difference in differences)."},
    "m.p": {"id": "p", "en": "p"},
    "m.comparison": {"id": "Pembanding yang cocok", "en": "Matched comparison"},
    "scale.nilai": {"id": "nilai SKP (poin)", "en": "SKP score (points)"},
    "scale.predikat_rank": {"id": "peringkat predikat (1 = Sangat Kurang … 5 = Sangat Baik)",
                            "en": "predikat rank (1 = Sangat Kurang … 5 = Sangat Baik)"},
    "effect.caption": {
        "id": "Skala: {scale}. Pembanding: pegawai yang tidak dibimbing (mentor tidak termasuk), dicocokkan menurut "
              "periode penilaian, {on} dan penilaian awal; {matched} dari {mentees} mentee punya pembanding. Galat "
              "baku dikelompokkan menurut kecamatan. Bacaan: {reading}.",
        "en": "Scale: {scale}. Comparison: staff who were not mentored (mentors excluded), matched on the appraisal "
              "periods, {on} and the baseline appraisal; {matched} of {mentees} mentees have a comparison. Standard "
              "errors are clustered by kecamatan. Reading: {reading}."},
    "on.kecamatan": {"id": "kecamatan", "en": "kecamatan"},
    "on.unit_type": {"id": "jenis unit kerja", "en": "unit type"},
    "on.none": {"id": "(tanpa tempat kerja)", "en": "(no workplace)"},
    "join": {"id": "Mentee tanpa periode penilaian yang cocok (dilaporkan, tidak ditebak): tanpa data {no_appraisal}, "
                   "tanpa periode sebelum {no_before}, mentoring belum selesai {no_end_date}, tanpa periode sesudah "
                   "{no_after}, tanpa nilai {no_value}.",
             "en": "Mentees without a matching appraisal period (reported, not guessed): no data {no_appraisal}, no "
                   "period before {no_before}, mentoring not ended {no_end_date}, no period after {no_after}, no "
                   "value {no_value}."},
    "forest.title": {"id": "Efek mentoring per kecamatan", "en": "Effect of mentoring per district"},
    "forest.caption": {
        "id": "Titik = efek dengan 95% CI; p dikoreksi Holm antar-kecamatan. Titik berongga = data terlalu sedikit "
              "untuk menyimpulkan (bukan “tidak ada efek”). Satu kecamatan = satu klaster, jadi galat bakunya dihitung "
              "per pegawai dan ditandai “klaster sedikit”.",
        "en": "Dots = the effect with its 95% CI; p-values Holm-adjusted across districts. Hollow dots = too little "
              "data to conclude (not “no effect”). One district is one cluster, so its standard error is computed "
              "per person and flagged “few clusters”."},
    "h.dose": {"id": "Dosis: lebih banyak sesi, lebih besar perubahan?", "en": "Dose: more sessions, more change?"},
    "m.slope": {"id": "Perubahan per sesi", "en": "Change per session"},
    "m.split": {"id": "≥ {k} sesi dibanding kurang", "en": "≥ {k} sessions vs fewer"},
    "h.mentors": {"id": "Mentor", "en": "Mentors"},
    "mentors.caption": {
        "id": "Rata-rata perubahan mentee tiap mentor (di atas pembanding), disusutkan ke rata-rata semua mentor "
              "dengan Bayes empiris: mentor dengan satu mentee yang kebetulan melonjak tidak langsung menjadi yang "
              "teratas. Garis = 95% interval.",
        "en": "Each mentor's mentees' mean change (beyond the comparison), shrunk toward the mean of all mentors by "
              "empirical Bayes: a mentor with one mentee who happened to leap is not ranked first. Bars = 95% "
              "intervals."},
    "mentors.viewer": {"id": "Nama dan NIP mentor disamarkan; tabel per mentor hanya untuk analis.",
                       "en": "Mentors' names and NIPs are masked; per-mentor tables are for analysts."},
    "mentors.none": {"id": "Belum ada perkiraan per mentor (perlu mentee dengan periode sebelum dan sesudah).",
                     "en": "No per-mentor estimates yet (they need mentees with a period before and after)."},
}


def render() -> None:
    require(MIN_ROLE)
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    pairs, appraisals = mc.pair_scope(), mc.appraisal_scope()
    data.banner(pairs.source)
    if pairs.empty:
        st.warning(tr(STRINGS, "no_pairs"))
        return
    data.banner(appraisals.source)
    if appraisals.empty:
        st.warning(tr(STRINGS, "no_appraisal"))
        return
    lag = int(st.number_input(tr(STRINGS, "lag"), min_value=0, max_value=24, value=0, step=1, key=LAG_KEY,
                              help=tr(STRINGS, "lag.help")))
    try:
        result = mc.evaluation(pairs, appraisals, lag)
        table = mc.summary(pairs, appraisals, lag)
    except AnalysisError as err:
        st.error(err.message(lang()))
        return
    _coverage(result)
    _jp(result, pairs)
    _effect(result, table)
    _dose(result, mc.changes(pairs, appraisals, lag))
    _mentors(result, appraisals)


def _coverage(result: dict) -> None:
    from analysis.mentoring.coverage import JUNIOR_YEARS

    c = result["coverage"]
    st.subheader(tr(STRINGS, "h.coverage"))
    cols = st.columns(5)
    cols[0].metric(tr(STRINGS, "m.pairs"), integer(c["pairs"]))
    cols[1].metric(tr(STRINGS, "m.mentors"), integer(c["mentors"]))
    cols[2].metric(tr(STRINGS, "m.mentees"), integer(c["mentees"]))
    load = c["mentees_per_mentor"]
    cols[3].metric(tr(STRINGS, "m.load"), num(load["mean"], 1),
                   delta=tr(STRINGS, "m.load.delta", max=integer(load["max"])), delta_color="off", delta_arrow="off")
    share = c.get("junior_share_mentored")
    cols[4].metric(tr(STRINGS, "m.junior"), pct(share) if share is not None else "–",
                   help=tr(STRINGS, "m.junior.help", years=integer(JUNIOR_YEARS)))
    rows = pd.DataFrame(c["by_kecamatan"])
    if not rows.empty:
        labels = {"kecamatan": mc.translate("col.kecamatan", lang()), "periode": mc.translate("col.periode", lang()),
                  "pairs": tr(STRINGS, "m.pairs"), "mentors": tr(STRINGS, "m.mentors"),
                  "mentees": tr(STRINGS, "m.mentees"), "sessions_per_pair": tr(STRINGS, "m.sessions"),
                  "junior_share_mentored": tr(STRINGS, "m.junior")}
        shown = rows[list(labels)].copy()
        shown["sessions_per_pair"] = shown["sessions_per_pair"].map(lambda v: num(v, 1))
        shown["junior_share_mentored"] = shown["junior_share_mentored"].map(
            lambda v: pct(v) if v is not None and not pd.isna(v) else "–")
        st.dataframe(shown.rename(columns=labels).astype("str"), width="stretch", hide_index=True)
        st.caption(tr(STRINGS, "coverage.caption"))


def _jp(result: dict, pairs) -> None:
    jp = result["coverage"]["jp"]
    st.subheader(tr(STRINGS, "h.jp"))
    share = mc.jp_training(pairs, scope.current("training", use_program=False, use_kecamatan=False))
    st.markdown(tr(STRINGS, "jp.text", per=num(jp["per_session"], 1), total=integer(jp["mentee_jp_total"]),
                   target=integer(jp["target"]), without=_pct(share["share_training_only"]),
                   with_m=_pct(share["share_with_mentoring"])))


def _pct(v) -> str:
    return pct(v) if v is not None else "–"


def _effect(result: dict, table: pd.DataFrame) -> None:
    o = result["overall"]
    appraisal = result["coverage"]["appraisal"]
    st.subheader(tr(STRINGS, "h.effect"))
    quiet = {"delta_color": "off", "delta_arrow": "off"}
    cols = st.columns(3)
    cols[0].metric(tr(STRINGS, "m.effect"), num(o["estimate"], 2),
                   delta=f"95% CI {num(o['ci_low'], 2)} – {num(o['ci_high'], 2)}", help=tr(STRINGS, "m.effect.help"),
                   **quiet)
    cols[1].metric(tr(STRINGS, "m.p"), pval(o["p_value"]))
    cols[2].metric(tr(STRINGS, "m.comparison"), integer(o["comparison"]))
    overall = table[table["level"] == "overall"].iloc[0]
    matching = appraisal["matching"]
    st.caption(tr(STRINGS, "effect.caption", scale=tr(STRINGS, f"scale.{o['scale']}"),
                  on=tr(STRINGS, f"on.{matching['on']}"), matched=integer(matching["participants_matched"]),
                  mentees=integer(matching["participants"]),
                  reading=status_label(overall["status"], lang()) + _flags_text(o["flags"])))
    missing = {k: integer(v) for k, v in appraisal["join"].items()}
    if sum(v for k, v in appraisal["join"].items() if k != "ok"):
        st.caption(tr(STRINGS, "join", **{k: v for k, v in missing.items() if k != "ok"}))
    per = table[table["level"] == "kecamatan"].rename(columns={"mentees": "n", "estimate": "mean_delta"})
    if not per.empty:
        fig = evidence_charts.forest_plot(per, lang(), overall={"mean_delta": o["estimate"], "ci_low": o["ci_low"],
                                                                "ci_high": o["ci_high"]},
                                          title=tr(STRINGS, "forest.title"), decimals=2)
        st.plotly_chart(fig, width="stretch", theme=None, key="mentoring_forest")
        st.caption(tr(STRINGS, "forest.caption"))
        st.dataframe(mc.kecamatan_table(table, lang()), width="stretch", hide_index=True)


def _flags_text(flags) -> str:
    text = flag_text(as_flags(flags), lang())
    return f" ({text})" if text else ""


def _dose(result: dict, changes: pd.DataFrame) -> None:
    d = result["dose"]
    st.subheader(tr(STRINGS, "h.dose"))
    cols = st.columns(2)
    cols[0].metric(tr(STRINGS, "m.slope"), num(d.get("slope"), 3),
                   delta=f"95% CI {num(d.get('ci_low'), 3)} – {num(d.get('ci_high'), 3)} · {pval(d.get('p_value'))}",
                   delta_color="off", delta_arrow="off")
    if d.get("threshold") is not None and d.get("at_least") and d.get("fewer"):
        a, f = d["at_least"], d["fewer"]
        cols[1].metric(tr(STRINGS, "m.split", k=num(d["threshold"], 0)), num(a["mean_change"], 2),
                       delta=f"{num(f['mean_change'], 2)} (n = {integer(a['n'])} / {integer(f['n'])})",
                       delta_color="off", delta_arrow="off")
    slope, intercept = d.get("slope"), None
    if slope is not None and not changes.empty:
        intercept = float(changes["change"].mean() - slope * pd.to_numeric(changes["jumlah_sesi"]).mean())
    st.plotly_chart(charts.dose_chart(changes, lang(), slope=slope, intercept=intercept), width="stretch", theme=None,
                    key="mentoring_dose")


def _mentors(result: dict, appraisals) -> None:
    st.subheader(tr(STRINGS, "h.mentors"))
    if not result["mentors"]:
        st.info(tr(STRINGS, "mentors.none"))
        return
    analyst = mc.may_see_people()
    frame = mc.mentor_frame(result["mentors"], mc.names(appraisals), masked=not analyst)
    overall = pd.to_numeric(frame["shrunk_change"], errors="coerce")
    fig = charts.mentor_effects_chart(frame, lang(), overall=float(overall.mean()) if overall.notna().any() else None)
    st.plotly_chart(fig, width="stretch", theme=None, key="mentoring_mentors")
    st.caption(tr(STRINGS, "mentors.caption"))
    if not analyst:
        st.caption(tr(STRINGS, "mentors.viewer"))
        return
    st.dataframe(_mentor_table(frame), width="stretch", hide_index=True)


def _mentor_table(frame: pd.DataFrame) -> pd.DataFrame:
    language = lang()
    rows = []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        rows.append({
            "#": str(i),
            mc.translate("col.nip", language): str(r["mentor_nip"]),
            mc.translate("col.name", language): "" if r["nama_mentor"] is None or pd.isna(r["nama_mentor"])
            else str(r["nama_mentor"]),
            mc.translate("col.mentees", language): integer(r["mentees"]),
            mc.translate("col.raw", language): num(r["mean_change"], 2),
            mc.translate("col.shrunk", language): (f"{num(r['shrunk_change'], 2)} [{num(r['ci_low'], 2)}; "
                                                   f"{num(r['ci_high'], 2)}]"),
        })
    return pd.DataFrame(rows, dtype="str")
