"""Ringkasan (overview): the headline figures for the filtered period, the programs ranked by effect
with their CIs (a click opens the Program page), and the downloads for evaluation meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysis.core.config import get_settings
from analysis.core.errors import AnalysisError
from analysis.core.i18n import translate
from analysis.core.significance import as_flags, effect_status
from analysis.evidence import engine as evidence
from analysis.evidence.engine import estimate_frame, significant_gain_share
from analysis.report.charts import evidence as charts
from analysis.report.deck import Deck, to_pptx_bytes
from analysis.report.exports import to_excel_bytes
from analysis.voice.ikm import ikm_headline, ikm_table
from ui import data, filters, registry, scope
from ui import evidence_cache as ec
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
    "m.jp_target.delta": {"id": "{reached} dari {pns} PNS-tahun", "en": "{reached} of {pns} PNS-years"},
    "m.gain": {"id": "Program naik signifikan", "en": "Programs with a significant gain"},
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
    "deck.title": {"id": "Evaluasi Pembinaan ASN — {periode}", "en": "ASN Development Evaluation — {periode}"},
    "periode.all": {"id": "semua periode", "en": "all periods"},
    "sheet.headline": {"id": "Angka utama", "en": "Headline"},
    "sheet.program": {"id": "Program", "en": "Programs"},
    "sheet.kecamatan": {"id": "Kecamatan", "en": "Districts"},
    "sheet.ikm": {"id": "IKM unit", "en": "IKM units"},
    "sheet.rows": {"id": "Data peserta", "en": "Participant rows"},
    "col.indicator": {"id": "indikator", "en": "indicator"},
    "source.training": {"id": "sumber data pelatihan", "en": "training data source"},
    "source.feedback": {"id": "sumber data SKM (IKM)", "en": "SKM data source (IKM)"},
    "col.value": {"id": "nilai", "en": "value"},
    "note.correction": {"id": "Nilai p dikoreksi dengan metode Holm atas semua program yang ditampilkan.",
                        "en": "p-values are Holm-adjusted across all programs shown."},
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
    st.title(tr(STRINGS, "title"))
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

    try:
        summary = ec.summary(sc, measure, "program")
    except AnalysisError as err:
        st.error(err.message(lang()))
        summary = None
    estimates = estimate_frame(summary) if summary is not None else None
    target = get_settings().jp_target
    # every program and every period: the period's whole year counts (PP 17/2020: JP a year)
    jp = ec.jp_share(scope.current("training", use_program=False, use_period=False), target, sc.periode)
    fb = scope.current("feedback", use_program=False, use_period=False)
    ikm_rows = ec.ikm_by_period(fb, lang()) if not fb.empty else None
    ikm = ikm_headline(ikm_rows, sc.periode)
    gains, total = significant_gain_share(estimates) if estimates is not None else (0, 0)

    headline = _metrics(people, jp, target, gains, total, ikm, measure_text)
    st.caption(data.sources_caption(sc.source, fb.source))
    data.require(fb.source)  # no SKM published beside real training data: say what to upload
    _ranking(estimates, measure_text, ordinal)
    _downloads(sc, measure, estimates, headline, jp, target, measure_text, fb)


def _metrics(people: dict, jp: dict, target: float, gains: int, total: int, ikm: dict,
             measure_text: str) -> dict:
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
                   delta_color="off", delta_arrow="off", help=tr(STRINGS, "m.jp_target.help", target=target_text))
    cols[1].metric(tr(STRINGS, "m.gain"), pct(share),
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
    return {"participants": n_people, "programs": n_programs, "jp_total": jp_total,
            "share_significant": share, "ikm_now": ikm["now"], "ikm_change": ikm["change"]}


def _ranking(estimates: pd.DataFrame | None, measure_text: str, ordinal: bool) -> None:
    st.subheader(tr(STRINGS, "ranking.header"))
    if estimates is None:
        return
    fig = charts.program_ranking(estimates, lang(), x_title=tr(STRINGS, "ranking.x.did", measure=measure_text),
                                 decimals=2 if ordinal else 1)
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


@dataclass
class Meeting:
    """What the meeting files hold: the filtered rows and the results the page already computed.

    Built by the page; :func:`build_pptx` and :func:`build_xlsx` turn it into files without Streamlit.
    """

    title: str
    subtitle: str
    headline: dict
    estimates: pd.DataFrame | None
    rows: pd.DataFrame
    feedback: pd.DataFrame
    measure: str
    measure_text: str
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False
    generated: dt.date | None = None
    sources: dict[str, str] = field(default_factory=dict)  # what the figures rest on → dataset and version


def _by_kecamatan(m: Meeting) -> pd.DataFrame | None:
    try:
        return estimate_frame(evidence.paired_summary(m.rows, m.measure, by="kecamatan"))
    except AnalysisError:
        return None


def _ikm_units(m: Meeting, language: str) -> pd.DataFrame | None:
    return None if m.feedback.empty else ikm_table(m.feedback, by="unit_layanan", lang=language)


def build_pptx(m: Meeting, language: str) -> bytes:
    """The meeting deck: headline figures, the ranking, results per kecamatan, IKM per unit, method.
    Aggregates only, whoever asks."""
    ranking = None if m.estimates is None else m.estimates.assign(flags=m.estimates["flags"].map(as_flags))
    kec = _by_kecamatan(m)
    if kec is not None:
        kec = kec.assign(flags=kec["flags"].map(as_flags))
    deck = Deck(m.title, m.subtitle, headline=m.headline, ranking=ranking, kecamatan=kec,
                ikm=_ikm_units(m, language), notes=m.notes, measure=m.measure_text, synthetic=m.synthetic,
                generated=m.generated, sources=list(m.sources.values()))
    return to_pptx_bytes(deck, language)


def build_xlsx(m: Meeting, language: str, row_level: bool) -> bytes:
    """The results workbook: headline, programs, kecamatan and IKM sheets; with ``row_level`` (analyst
    and admin only) also the filtered training rows as stored, NIP and names included."""
    head = pd.DataFrame({translate(STRINGS, "col.indicator", language): list(m.headline) + list(m.sources),
                         translate(STRINGS, "col.value", language): [_cell(v) for v in m.headline.values()]
                         + list(m.sources.values())})
    sheets = {translate(STRINGS, "sheet.headline", language): head}
    if m.estimates is not None:
        sheets[translate(STRINGS, "sheet.program", language)] = m.estimates
    kec = _by_kecamatan(m)
    if kec is not None:
        sheets[translate(STRINGS, "sheet.kecamatan", language)] = kec
    units = _ikm_units(m, language)
    if units is not None:
        sheets[translate(STRINGS, "sheet.ikm", language)] = units
    if row_level:
        sheets[translate(STRINGS, "sheet.rows", language)] = m.rows.drop(columns=["_sheet"], errors="ignore")
    return to_excel_bytes(sheets, language, title=m.title, synthetic=m.synthetic,
                          notes=[m.subtitle, *m.sources.values(), *m.notes], generated=m.generated)


def _downloads(sc: scope.Scope, measure: str, estimates, headline: dict, jp: dict, target: float,
               measure_text: str, fb: scope.Scope) -> None:
    st.subheader(tr(STRINGS, "downloads.header"))
    row_level = can("analyst")
    st.caption(tr(STRINGS, "downloads.caption.analyst" if row_level else "downloads.caption.viewer"))
    language = lang()
    periode = sc.periode or tr(STRINGS, "periode.all")
    everything = tr(STRINGS, "all")
    subtitle = tr(STRINGS, "scope", periode=periode, program=sc.program or everything,
                  kecamatan=sc.kecamatan or everything, measure=measure_text)
    n_did = 0 if estimates is None else int((estimates["estimate"] == evidence.DID).sum())
    notes = [tr(STRINGS, "note.correction"),
             tr(STRINGS, "design.did", k=integer(n_did), total=integer(len(estimates))) if n_did
             else tr(STRINGS, "design.ba")]
    fields = dict(
        title=tr(STRINGS, "deck.title", periode=periode), subtitle=subtitle,
        headline={**headline, tr(STRINGS, "m.jp_target", target=integer(target)): pct(jp["share"])},
        estimates=estimates, measure=measure, measure_text=measure_text,
        notes=notes, synthetic=sc.source.is_sample, generated=dt.date.today(),
        sources={tr(STRINGS, "source.training"): sc.source.describe(language),
                 tr(STRINGS, "source.feedback"): fb.source.describe(language)})

    def meeting() -> Meeting:  # the rows are taken when a file is asked for, not on every run
        return Meeting(rows=sc.select(), feedback=fb.select(), **fields)

    store, who = data.store(), user()
    detail = {"source": sc.source.label, "feedback_source": fb.source.label, "periode": sc.periode,
              "program": sc.program, "kecamatan": sc.kecamatan, "measure": measure}
    stamp = fields["generated"].strftime("%Y%m%d")
    cols = st.columns(2)
    cols[0].download_button(
        tr(STRINGS, "download.pptx"),
        data=ec.export_job(lambda: build_pptx(meeting(), language), store, who, fmt="pptx", page="ringkasan",
                           row_level=False, version_id=sc.source.version_id, detail=detail),
        file_name=f"evaluasi_asn_{stamp}.pptx", on_click="ignore", key="ringkasan_pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", icon=":material/slideshow:")
    cols[1].download_button(
        tr(STRINGS, "download.xlsx"),
        data=ec.export_job(lambda: build_xlsx(meeting(), language, row_level), store, who, fmt="xlsx",
                           page="ringkasan", row_level=row_level, version_id=sc.source.version_id, detail=detail),
        file_name=f"evaluasi_asn_{stamp}.xlsx", on_click="ignore", key="ringkasan_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table_view:")


def _cell(value):
    if isinstance(value, str):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
