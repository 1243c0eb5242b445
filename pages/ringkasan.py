"""Ringkasan (overview): the answer first — the verdict per Kirkpatrick level — then the programs
ranked by effect with their CIs (a click opens the Program page), the headline figures for the
filtered period, the downloads for evaluation meetings and the presentation mode. At 1366×768 the
verdict and the ranking start above the fold."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.core.config import get_settings
from analysis.core.errors import AnalysisError
from analysis.core.significance import as_flags, effect_status
from analysis.evidence import engine as evidence
from analysis.evidence.engine import estimate_frame, significant_gain_share
from analysis.report.meeting import gather, meeting_deck
from analysis.report.workbook import meeting_workbook
from analysis.voice.ikm import ikm_headline
from ui import career, data, filters, findings, followup, presentation, registry, scope
from ui import evidence_cache as ec
from ui import mentoring as mc
from ui.session import can, integer, lang, md_escape, measure_label, num, pct, require, tr, user

CHART_KEY = "ringkasan_ranking"
GOTO = "_ringkasan_goto_program"

#: The least role that may open this page; ui.registry reads it from here.
MIN_ROLE = "viewer"

STRINGS = {
    "title": {"id": "Ringkasan", "en": "Overview"},
    "scope": {"id": "Periode: {periode} · Program: {program} · Kecamatan: {kecamatan} · Ukuran: {measure}",
              "en": "Period: {periode} · Program: {program} · District: {kecamatan} · Measure: {measure}"},
    "all": {"id": "semua", "en": "all"},
    "no_rows": {"id": "Tidak ada data pelatihan untuk filter ini. Ubah periode, program atau kecamatan di "
                      "panel samping, atau terbitkan dataset di halaman Data.",
                "en": "No training data for these filters. Change the period, program or district in the "
                      "sidebar, or publish a dataset on the Data page."},
    "m.participants": {"id": "Peserta", "en": "Participants"},
    "m.participants.help": {"id": "Pegawai berbeda (menurut NIP) yang mengikuti program pada filter ini.",
                            "en": "Distinct staff (by NIP) who took part in a program under these filters."},
    "m.programs": {"id": "Program", "en": "Programs"},
    "m.jp": {"id": "JP terlaksana", "en": "JP delivered"},
    "m.jp.help": {"id": "Jumlah jam pelajaran peserta (1 JP = 45 menit).",
                  "en": "Sum of participants' learning hours (1 JP = 45 minutes)."},
    "m.jp_target": {"id": "PNS mencapai {target} JP", "en": "PNS reaching {target} JP"},
    "m.jp_target.help": {
        "id": "Setiap PNS berhak atas paling sedikit {target} JP pengembangan kompetensi per tahun (PP 17/2020). "
              "Dihitung per PNS per tahun kalender dari semua program yang tercatat; pegawai yang sama sekali "
              "tidak tercatat di data tidak terlihat di sini.",
        "en": "Every PNS has a right to at least {target} JP of competency development a year (PP 17/2020). "
              "Counted per PNS per calendar year over every recorded program; staff absent from the data "
              "cannot be seen here."},
    "m.jp_target.help.roster": {
        "id": "Setiap PNS berhak atas paling sedikit {target} JP pengembangan kompetensi per tahun (PP 17/2020). "
              "Dihitung per PNS per tahun kalender atas semua PNS pada data penilaian kinerja: pelatihan, mentoring "
              "sebagai mentee dan pengembangan lain; PNS tanpa pengembangan sama sekali dihitung dengan 0 JP.",
        "en": "Every PNS has a right to at least {target} JP of competency development a year (PP 17/2020). "
              "Counted per PNS per calendar year over every PNS in the appraisal data: training, mentoring as a "
              "mentee and other development; a PNS with no development at all counts with 0 JP."},
    "m.jp_target.delta": {"id": "{reached} dari {pns} PNS-tahun", "en": "{reached} of {pns} PNS-years"},
    "m.gain": {"id": "Program naik signifikan ({measure})", "en": "Programs with a significant gain ({measure})"},
    "gain.knowledge": {"id": "nilai tes", "en": "test scores"},
    "gain.performance": {"id": "kinerja", "en": "performance"},
    "m.gain.delta": {"id": "{gains} dari {total} program", "en": "{gains} of {total} programs"},
    "m.gain.help": {
        "id": "Program yang nilainya naik dan tetap signifikan setelah koreksi Holm untuk banyak program. "
              "Bila ada kelompok pembanding, yang diuji adalah selisih-dalam-selisih (DiD).",
        "en": "Programs whose scores rose and stay significant after the Holm correction for many programs. "
              "Where a comparison group exists, the difference in differences (DiD) is tested."},
    "m.ikm": {"id": "IKM {periode}", "en": "IKM {periode}"},
    "m.ikm.none": {"id": "IKM", "en": "IKM"},
    "m.ikm.help": {
        "id": "Indeks Kepuasan Masyarakat (skala 25–100) dari survei SKM triwulan terakhir pada filter ini, "
              "dengan mutunya; perubahan dibanding triwulan survei sebelumnya ({previous}).",
        "en": "Community Satisfaction Index (25–100) from the latest survey quarter under these filters, "
              "with its grade; the change is against the previous survey quarter ({previous})."},
    "ikm.caption": {
        "id": "IKM {periode}: {ikm} (95% CI {ci}; mutu {grade}, {n} responden). {change_text} Uji sebelum–sesudah "
              "program dengan unit pembanding ada di halaman Suara Masyarakat.",
        "en": "IKM {periode}: {ikm} (95% CI {ci}; grade {grade}, {n} respondents). {change_text} The tested before/after "
              "comparison with comparison units is on the Citizen Voice page."},
    "ikm.change_text": {"id": "Sebelumnya {previous_periode}: {previous} ({previous_n} responden).",
                        "en": "Before, {previous_periode}: {previous} ({previous_n} respondents)."},
    "ikm.none": {"id": "Belum ada data survei SKM untuk filter ini.",
                 "en": "No SKM survey data for these filters yet."},
    "metrics.caption": {
        "id": "Angka untuk filter di panel samping. Kenaikan signifikan dihitung pada ukuran "
              "“{measure}”; persentase PNS mencapai {target} JP dihitung atas semua program pada "
              "tahun {years}.",
        "en": "Figures for the filters in the sidebar. Significant gains are on the measure "
              "“{measure}”; the share of PNS reaching {target} JP counts every program in {years}."},
    "ranking.header": {"id": "Program menurut efeknya", "en": "Programs ranked by effect"},
    "ranking.x.did": {"id": "{measure}: perubahan, DiD bila ada pembanding (95% CI)",
                      "en": "{measure}: change, DiD where a comparison exists (95% CI)"},
    "ranking.caption": {
        "id": "Setiap titik adalah satu program: perubahan rata-rata (sesudah − sebelum) dengan garis 95% CI; "
              "makin ke kanan makin besar kenaikannya. Biru = naik signifikan setelah koreksi untuk banyak "
              "program, merah = turun signifikan, abu-abu = belum terbukti berubah, titik berongga = data "
              "terlalu sedikit untuk menyimpulkan (bukan berarti tidak ada efek). {design} Klik sebuah titik "
              "untuk membuka rincian program.",
        "en": "Each dot is one program: the mean change (after − before) with its 95% CI line; further right "
              "means a larger gain. Blue = significant gain after correcting for many programs, red = "
              "significant drop, grey = no evidence of change, hollow = too little data to conclude (not "
              "“no effect”). {design} Click a dot to open the program's details."},
    "design.did": {
        "id": "Untuk {k} dari {total} program ada kelompok pembanding (non-peserta): di sana titiknya adalah "
              "selisih-dalam-selisih, yaitu kenaikan peserta dikurangi kenaikan non-peserta — perkiraan yang "
              "lebih jujur daripada sebelum–sesudah saja.",
        "en": "For {k} of {total} programs a comparison group (non-participants) exists: there the dot is the "
              "difference in differences, the participants' gain minus the non-participants' — a more honest "
              "estimate than before/after alone."},
    "design.ba": {
        "id": "Tanpa kelompok pembanding, perbandingan sebelum–sesudah cenderung melebih-lebihkan efek "
              "(regresi ke rata-rata, seleksi peserta).",
        "en": "Without a comparison group, before/after comparisons tend to overstate effects (regression "
              "to the mean, selection of participants)."},
    "small": {"id": "Data terlalu sedikit untuk menyimpulkan: {names}.",
              "en": "Too little data to conclude: {names}."},
    "downloads.header": {"id": "Bahan rapat evaluasi", "en": "For the evaluation meeting"},
    "downloads.caption.viewer": {
        "id": "Berkas berisi hasil agregat (tanpa data per pegawai). Setiap unduhan dicatat di log audit.",
        "en": "The files hold aggregate results (no per-person rows). Every download is recorded in the "
              "audit log."},
    "downloads.caption.analyst": {
        "id": "Excel memuat hasil agregat dan lembar data per peserta (NIP dan nama lengkap: jaga kerahasiaannya). "
              "Setiap unduhan dicatat di log audit.",
        "en": "The Excel file holds the aggregate results and a per-participant sheet (full NIP and names: keep "
              "it confidential). Every download is recorded in the audit log."},
    "download.pptx": {"id": "Unduh presentasi (PowerPoint)", "en": "Download slides (PowerPoint)"},
    "download.xlsx": {"id": "Unduh hasil (Excel)", "en": "Download results (Excel)"},
    "source.training": {"id": "sumber data pelatihan", "en": "training data source"},
    "source.feedback": {"id": "sumber data SKM (IKM)", "en": "SKM data source (IKM)"},
    "source.mentoring": {"id": "sumber data mentoring", "en": "mentoring data source"},
    "source.kinerja": {"id": "sumber data penilaian kinerja", "en": "appraisal data source"},
}


def _program_page() -> st.Page:
    spec = next(p for p in registry.PAGES if p.module == "pages.program")
    return st.Page(spec.load().render, url_path=spec.url_path)


def _on_select() -> None:
    """A click on a program: open the Program page on that program on the next run. The sidebar's
    filters are left as they are, so going back finds the overview as it was."""
    program = ec.selected_key(st.session_state.get(CHART_KEY))
    if program:
        filters.open_program(program)
        st.session_state[GOTO] = program


def _scope_caption(sc: scope.Scope, measure_text: str) -> None:
    everything = tr(STRINGS, "all")
    st.caption(tr(STRINGS, "scope", periode=md_escape(sc.periode or everything),
                  program=md_escape(sc.program or everything),
                  kecamatan=md_escape(sc.kecamatan or everything), measure=md_escape(measure_text)))


def render() -> None:
    require(MIN_ROLE)
    chosen = st.session_state.pop(GOTO, None)
    if chosen:
        st.switch_page(_program_page(), query_params={**filters.url_params(), filters.PROGRAM_PARAM: chosen})
    head, side = st.columns([4, 1], vertical_alignment="bottom")
    head.title(tr(STRINGS, "title"))
    with side:
        presentation.open_button()
    sc = scope.current("training")
    measure = filters.current()["ukuran"]
    data.banner(sc.source)
    if not data.require(sc.source):
        return
    ordinal = ec.is_ordinal(sc, measure)
    measure_text = measure_label(measure, change=True, ordinal=ordinal)
    _scope_caption(sc, measure_text)
    people = ec.headline(sc)
    if not people["rows"]:
        st.warning(tr(STRINGS, "no_rows"))
        return

    findings.draw_verdicts(findings.current_verdicts())  # the answer first
    try:
        summary = ec.summary(sc, measure, "program")
    except AnalysisError as err:
        st.error(err.message(lang()))
        summary = None
    estimates = estimate_frame(summary) if summary is not None else None
    _ranking(estimates, measure, measure_text, ordinal)

    target = get_settings().jp_target
    # every program, and the period's whole year (PP 17/2020: JP a year); over everyone the appraisals
    # list when there are any (no development at all counts as 0 JP), else the PNS of the training rows
    jp = career.jp_share(sc.periode, sc.kecamatan)
    on_roster = jp is not None
    if jp is None:
        jp = ec.jp_share(scope.current("training", use_program=False, use_period=False), target, sc.periode)
    fb = scope.current("feedback", use_program=False, use_period=False)
    ikm_rows = ec.ikm_by_period(fb, lang()) if not fb.empty else None
    ikm = ikm_headline(ikm_rows, sc.periode)
    gains, total = significant_gain_share(estimates) if estimates is not None else (0, 0)
    _metrics(people, jp, on_roster, target, gains, total, ikm, measure, measure_text)
    st.caption(data.sources_caption(sc.source, fb.source))
    data.require(fb.source)  # no SKM published beside real training data: say what to upload
    _downloads(sc, measure, fb)


def _metrics(people: dict, jp: dict, on_roster: bool, target: float, gains: int, total: int, ikm: dict,
             measure: str, measure_text: str) -> None:
    n_people, n_programs, jp_total = people["participants"], people["programs"], people["jp_total"]
    share = gains / total if total else float("nan")
    target_text = integer(target)
    cols = st.columns(3)
    cols[0].metric(tr(STRINGS, "m.participants"), integer(n_people), help=tr(STRINGS, "m.participants.help"))
    cols[1].metric(tr(STRINGS, "m.programs"), integer(n_programs))
    cols[2].metric(tr(STRINGS, "m.jp"), integer(jp_total), help=tr(STRINGS, "m.jp.help"))
    cols = st.columns(3)
    cols[0].metric(tr(STRINGS, "m.jp_target", target=target_text), pct(jp["share"]),
                   delta=tr(STRINGS, "m.jp_target.delta", reached=integer(jp["reached"]), pns=integer(jp["pns"])),
                   delta_color="off", delta_arrow="off", help=tr(STRINGS, "m.jp_target.help.roster" if on_roster else "m.jp_target.help",
                           target=target_text))
    cols[1].metric(tr(STRINGS, "m.gain", measure=tr(STRINGS, f"gain.{measure}")), pct(share),
                   delta=tr(STRINGS, "m.gain.delta", gains=integer(gains), total=integer(total)),
                   delta_color="off", delta_arrow="off", help=tr(STRINGS, "m.gain.help"))
    if ikm["periode"]:
        change = ikm["change"]
        delta = None if pd.isna(change) else (("+" if change > 0 else "") + num(change, 2))
        cols[2].metric(tr(STRINGS, "m.ikm", periode=ikm["periode"]),
                       f"{num(ikm['now'], 2)} ({ikm['grade']})", delta=delta,
                       help=tr(STRINGS, "m.ikm.help", previous=ikm["previous_periode"] or "–"))
    else:
        cols[2].metric(tr(STRINGS, "m.ikm.none"), "–")
    years = ", ".join(str(y) for y in jp["years"]) or "–"
    st.caption(tr(STRINGS, "metrics.caption", measure=md_escape(measure_text), target=target_text,
                  years=years))
    if ikm["periode"]:
        change_text = (tr(STRINGS, "ikm.change_text", previous_periode=ikm["previous_periode"],
                          previous=num(ikm["previous"], 2), previous_n=integer(ikm["previous_n"]))
                       if ikm["previous_periode"] else "")
        ci = f"{num(ikm['ci_low'], 2)}–{num(ikm['ci_high'], 2)}"
        st.caption(tr(STRINGS, "ikm.caption", periode=ikm["periode"], ikm=num(ikm["now"], 2), grade=ikm["grade"],
                      n=integer(ikm["n"]), change_text=change_text, ci=ci))
    else:
        st.caption(tr(STRINGS, "ikm.none"))


def _ranking(estimates: pd.DataFrame | None, measure: str, measure_text: str, ordinal: bool) -> None:
    st.subheader(tr(STRINGS, "ranking.header"))
    if estimates is None:
        return
    fig = findings.ranking_figure(estimates, measure, ordinal)
    st.plotly_chart(fig, width="stretch", theme=None, on_select=_on_select, selection_mode="points",
                    key=CHART_KEY)
    k = int((estimates["estimate"] == evidence.DID).sum())
    design = (tr(STRINGS, "design.did", k=integer(k), total=integer(len(estimates))) if k
              else tr(STRINGS, "design.ba"))
    st.caption(tr(STRINGS, "ranking.caption", design=design))
    small = [r["program"] for r in estimates.to_dict("records")
             if effect_status(r["mean_delta"], r["p_adjusted"], as_flags(r.get("flags"))) == "underpowered"]
    if small:
        st.caption(tr(STRINGS, "small", names=", ".join(md_escape(s) for s in small)))


def _downloads(sc: scope.Scope, measure: str, fb: scope.Scope) -> None:
    """The meeting deck and workbook (``analysis.report.meeting``), built when clicked, audited."""
    st.subheader(tr(STRINGS, "downloads.header"))
    row_level = can("analyst")
    st.caption(tr(STRINGS, "downloads.caption.analyst" if row_level else "downloads.caption.viewer"))
    language = lang()
    try:
        card, _ = followup.current_scorecard()
    except AnalysisError:
        card = None
    pairs, appraisals = mc.pair_scope(), mc.appraisal_scope()
    sources = {tr(STRINGS, f"source.{kind}"): data.source(kind).describe(language)
               for kind in ("training", "feedback", "mentoring", "kinerja")}
    jp_scope = scope.current("training", use_program=False)
    other = career.scopes()["other"]
    settings = get_settings()

    def meeting():  # pure analysis; the rows are taken when a file is asked for, not on every run
        feedback = fb.select()
        return gather(sc.select(), None if feedback.empty else feedback, measure=measure, lang=language,
                      periode=sc.periode, program=sc.program, kecamatan=sc.kecamatan, card=card,
                      mentoring_pairs=pairs.select(), appraisal=appraisals.select(), jp_rows=jp_scope.select(),
                      jp_other=None if other.empty else other.select(),
                      jp_target=settings.jp_target, synthetic=sc.source.is_sample, sources=sources,
                      generated=dt.date.today())

    store, who = data.store(), user()
    detail = {"source": sc.source.label, "feedback_source": fb.source.label, "periode": sc.periode,
              "program": sc.program, "kecamatan": sc.kecamatan, "measure": measure}
    stamp = dt.date.today().strftime("%Y%m%d")
    cols = st.columns(2)
    cols[0].download_button(
        tr(STRINGS, "download.pptx"),
        data=ec.export_job(lambda: meeting_deck(meeting(), language), store, who, fmt="pptx", page="ringkasan",
                           row_level=False, version_id=sc.source.version_id, detail=detail),
        file_name=f"evaluasi_asn_{stamp}.pptx", on_click="ignore", key="ringkasan_pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", icon=":material/slideshow:")
    cols[1].download_button(
        tr(STRINGS, "download.xlsx"),
        data=ec.export_job(lambda: meeting_workbook(meeting(), language, row_level), store, who, fmt="xlsx",
                           page="ringkasan", row_level=row_level, version_id=sc.source.version_id, detail=detail),
        file_name=f"evaluasi_asn_{stamp}.xlsx", on_click="ignore", key="ringkasan_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table_view:")
