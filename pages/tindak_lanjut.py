"""Tindak Lanjut (follow-up): each program's Kirkpatrick scorecard and the recommendation the rules
give, with the reasons; the meeting's decision recorded beside it (analysts and administrators);
the rules themselves, which administrators edit. A click on a row opens the program."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.followup.recommend import RECOMMENDATIONS, recommendation_label
from analysis.followup.table import SORTS, scorecard_table
from analysis.report import exports
from analysis.rules.engine import condition_text
from ui import data, filters, registry, rulebook
from ui import evidence_cache as ec
from ui import followup as fu
from ui.session import can, integer, lang, md_escape, require, tr, user

#: The least role that may open this page; ui.registry reads it from here. Recording a decision
#: needs an analyst, editing the rules an administrator.
MIN_ROLE = "viewer"
RECORD_ROLE = "analyst"

TABLE_KEY = "tindak_lanjut_table"
GOTO = "_tindak_lanjut_goto_program"
ROWS = "_tindak_lanjut_rows"
FLASH = "_tindak_lanjut_flash"

STRINGS = {
    "title": {"id": "Tindak Lanjut", "en": "Follow-up"},
    "intro": {
        "id": "Untuk setiap program: empat tingkat Kirkpatrick dari bukti yang sudah dihitung, rekomendasi menurut "
              "aturan (dengan alasannya), dan keputusan rapat evaluasi.",
        "en": "For every program: the four Kirkpatrick levels from the evidence already computed, the recommendation "
              "the rules give (with its reasons), and the evaluation meeting's decision."},
    "scope": {"id": "Periode: {periode} · Kecamatan: {kecamatan} · nilai p dikoreksi Holm antar-program.",
              "en": "Period: {periode} · District: {kecamatan} · p-values Holm-adjusted across programs."},
    "all": {"id": "semua", "en": "all"},
    "no_programs": {"id": "Tidak ada program dengan peserta untuk filter ini.",
                    "en": "No program has participants under these filters."},
    "sort": {"id": "Urutkan menurut", "en": "Sort by"},
    "sort.recommendation": {"id": "rekomendasi (yang perlu tindakan dulu)", "en": "recommendation (action first)"},
    "sort.program": {"id": "nama program", "en": "program name"},
    "sort.participants": {"id": "jumlah peserta", "en": "participants"},
    "legend": {
        "id": "▲ naik signifikan · ▼ turun signifikan · ● tidak berubah signifikan · ○ data terlalu sedikit untuk "
              "menyimpulkan (bukan “tidak ada efek”) · – tidak ada data (bukan kegagalan). Angka: perkiraan [95% CI], "
              "p terkoreksi, n. L2: ukuran efek d_z; L3: poin SKP atau tingkat predikat, DiD bila ada kelompok "
              "pembanding (sumbernya disebut di bawah tabel); L4: poin IKM. "
              "Klik sebuah baris untuk membuka programnya.",
        "en": "▲ significant increase · ▼ significant decrease · ● no significant change · ○ too little data to "
              "conclude (not “no effect”) · – no data (not a failure). Numbers: estimate [95% CI], adjusted p, n. "
              "L2: effect size d_z; L3: SKP points or predikat levels, DiD where a comparison group exists (its "
              "source is named under the table); L4: IKM points. Click a row to open its program."},
    "program_filter": {"id": "Hanya program {program} (filter panel samping).",
                       "en": "Only program {program} (the sidebar filter)."},
    "details.header": {"id": "Mengapa, dan keputusan rapat", "en": "Why, and the meeting's decision"},
    "details.pick": {"id": "Program", "en": "Program"},
    "details.rule": {"id": "Aturan yang berlaku: **{rule}** (no. {no}) → {label}.",
                     "en": "Rule that fired: **{rule}** (no. {no}) → {label}."},
    "details.conditions": {"id": "Syarat yang terpenuhi (nilai program dalam kurung): {text}",
                           "en": "Conditions that held (the program's value in brackets): {text}"},
    "details.fallback": {"id": "Tidak ada aturan sebelumnya yang terpenuhi: aturan penutup berlaku.",
                         "en": "No earlier rule held: the closing rule applies."},
    "form.header": {"id": "Catat keputusan rapat", "en": "Record the meeting's decision"},
    "form.decision": {"id": "Keputusan", "en": "Decision"},
    "form.reasons": {"id": "Alasan (wajib)", "en": "Reasons (required)"},
    "form.date": {"id": "Tanggal rapat", "en": "Meeting date"},
    "form.corrects": {"id": "Mengoreksi catatan sebelumnya", "en": "Corrects an earlier record"},
    "form.no_correction": {"id": "— bukan koreksi —", "en": "— not a correction —"},
    "form.submit": {"id": "Simpan keputusan", "en": "Save the decision"},
    "form.note": {"id": "Catatan keputusan tidak dapat diubah atau dihapus; kekeliruan diperbaiki dengan catatan "
                         "koreksi baru. Setiap catatan masuk log audit.",
                  "en": "A decision record cannot be changed or deleted; a mistake is fixed by a new correcting "
                        "record. Every record goes into the audit log."},
    "form.saved": {"id": "Keputusan untuk {program} tersimpan (#{id}).", "en": "Decision for {program} saved (#{id})."},
    "viewer.note": {"id": "Keputusan rapat dicatat oleh analis atau administrator.",
                    "en": "Meeting decisions are recorded by an analyst or administrator."},
    "log.header": {"id": "Catatan keputusan", "en": "Decision record"},
    "log.none": {"id": "Belum ada keputusan yang tercatat.", "en": "No decision recorded yet."},
    "download.xlsx": {"id": "Unduh kartu skor dan keputusan (Excel)", "en": "Download scorecard and decisions (Excel)"},
    "download.csv": {"id": "Unduh catatan keputusan (CSV)", "en": "Download the decision record (CSV)"},
    "xlsx.title": {"id": "Tindak lanjut program — {periode}", "en": "Program follow-up — {periode}"},
    "rules.header": {"id": "Aturan rekomendasi", "en": "Recommendation rules"},
    "rules.source.default": {"id": "Aturan bawaan (analysis/followup/default_rules.toml); dijelaskan di halaman "
                                   "Tentang metode.",
                             "en": "The shipped rules (analysis/followup/default_rules.toml), explained on the "
                                   "About the method page."},
    "rules.order": {"id": "Aturan dibaca berurutan; aturan pertama yang semua syaratnya terpenuhi menentukan.",
                    "en": "Rules are read in order; the first whose conditions all hold decides."},
}


def _program_page() -> st.Page:
    spec = next(p for p in registry.PAGES if p.module == "pages.program")
    return st.Page(spec.load().render, url_path=spec.url_path)


def _on_select() -> None:
    """A click on a row: set the program filter and open the Program page on the next run."""
    state = st.session_state.get(TABLE_KEY)
    rows = (state or {}).get("selection", {}).get("rows") or []
    programs = st.session_state.get(ROWS) or []
    if rows and rows[0] < len(programs):
        filters.set_value("program", programs[rows[0]])
        st.session_state[GOTO] = True


def _flash(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def render() -> None:
    require(MIN_ROLE)
    if st.session_state.pop(GOTO, False):
        st.switch_page(_program_page(), query_params={k: v for k, v in filters.current().items() if v})
    language = lang()
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    training = fu.training_scope()
    data.banner(training.source)
    every = tr(STRINGS, "all")
    st.caption(tr(STRINGS, "scope", periode=md_escape(training.periode or every),
                  kecamatan=md_escape(training.kecamatan or every)))
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    try:
        card, rules = fu.current_scorecard()
    except AnalysisError as err:
        st.error(md_escape(err.message(language)))
        return
    if rules.problem:
        st.warning(md_escape(rules.problem))
    if not card.programs:
        st.warning(tr(STRINGS, "no_programs"))
    else:
        records = fu.decisions()
        _table(card, records)
        _details(card, rules, records)
        _log(card, rules, records)
    _rules(rules)


def _counts(card) -> None:
    counts = {code: sum(p.recommendation == code for p in card.programs) for code in RECOMMENDATIONS}
    for column, (code, n) in zip(st.columns(len(counts)), counts.items()):
        column.metric(recommendation_label(code, lang()), integer(n))


def _table(card, records: pd.DataFrame) -> None:
    _counts(card)
    sort = st.selectbox(tr(STRINGS, "sort"), SORTS, key="tindak_lanjut_sort",
                        format_func={s: tr(STRINGS, f"sort.{s}") for s in SORTS}.get)
    periode = filters.current()["periode"]
    table = scorecard_table(card, lang(), decisions=records, period=periode, sort=sort)
    chosen = filters.current()["program"]
    if chosen and chosen in table.iloc[:, 0].tolist():
        st.caption(tr(STRINGS, "program_filter", program=md_escape(chosen)))
        table = table[table.iloc[:, 0] == chosen].reset_index(drop=True)
    st.session_state[ROWS] = table.iloc[:, 0].tolist()
    st.dataframe(table, key=TABLE_KEY, on_select=_on_select, selection_mode="single-row", hide_index=True,
                 width="stretch")
    st.caption(tr(STRINGS, "legend"))
    source = fu.behaviour_caption(card, lang())
    if source:
        st.caption(md_escape(source))


def _details(card, rules, records: pd.DataFrame) -> None:
    st.subheader(tr(STRINGS, "details.header"))
    names = [p.program for p in card.programs]
    chosen = filters.current()["program"]
    program = st.selectbox(tr(STRINGS, "details.pick"), names, key="tindak_lanjut_program",
                           index=names.index(chosen) if chosen in names else 0)
    found = card.card(program)
    position = next(i for i, r in enumerate(rules.rules.rules, start=1) if r.id == found.rule)
    st.markdown(tr(STRINGS, "details.rule", rule=md_escape(found.rule), no=position,
                   label=recommendation_label(found.recommendation, lang())))
    st.markdown(md_escape(found.match.reason(lang())))
    if found.match.checks:
        held = "; ".join(condition_text(c, rules.rules.schema, v, lang=lang(), with_value=True)
                         for c, v in found.match.checks)
        st.caption(tr(STRINGS, "details.conditions", text=md_escape(held)))
    else:
        st.caption(tr(STRINGS, "details.fallback"))
    if can(RECORD_ROLE):
        _form(card, rules, found, records)
    else:
        st.caption(tr(STRINGS, "viewer.note"))


def _form(card, rules, found, records: pd.DataFrame) -> None:
    st.markdown(f"**{tr(STRINGS, 'form.header')}**")
    mine = records[records["subject"] == found.program] if not records.empty else records
    earlier = [None] + [int(i) for i in mine["id"].tolist()[::-1]]
    codes = list(RECOMMENDATIONS)
    with st.form(f"tindak_lanjut_form_{found.program}", clear_on_submit=True):
        decision = st.selectbox(tr(STRINGS, "form.decision"), codes, index=codes.index(found.recommendation),
                                format_func=lambda c: recommendation_label(c, lang()))
        reasons = st.text_area(tr(STRINGS, "form.reasons"), max_chars=4000)
        decided_on = st.date_input(tr(STRINGS, "form.date"), value=dt.date.today(), format="DD/MM/YYYY",
                                   max_value=dt.date.today() + dt.timedelta(days=1))
        corrects = st.selectbox(tr(STRINGS, "form.corrects"), earlier,
                                format_func=lambda i: tr(STRINGS, "form.no_correction") if i is None else f"#{i}")
        submitted = st.form_submit_button(tr(STRINGS, "form.submit"), type="primary")
    st.caption(tr(STRINGS, "form.note"))
    if submitted:
        try:
            new_id = fu.record_decision(card, found.program, decision, reasons, decided_on, rules, corrects)
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        _flash(tr(STRINGS, "form.saved", program=md_escape(found.program), id=new_id))


def _log(card, rules, records: pd.DataFrame) -> None:
    st.subheader(tr(STRINGS, "log.header"))
    language = lang()
    view = fu.decisions_view(records, language)
    if records.empty:
        st.caption(tr(STRINGS, "log.none"))
    else:
        st.dataframe(view, hide_index=True, width="stretch", key="tindak_lanjut_log")
    periode = filters.current()["periode"]
    sheets = fu.export_sheets(card, rules.rules, records, language, periode)
    source = fu.training_scope().source
    title = tr(STRINGS, "xlsx.title", periode=periode or tr(STRINGS, "all"))
    detail = {"source": source.label, "periode": periode, "kecamatan": filters.current()["kecamatan"],
              "what": "followup", "rules_version": rules.version}
    stamp = dt.date.today().strftime("%Y%m%d")
    cols = st.columns(2)
    cols[0].download_button(
        tr(STRINGS, "download.xlsx"),
        data=ec.export_job(lambda: exports.to_excel_bytes(sheets, language, title=title, synthetic=source.is_sample),
                           data.store(), user(), fmt="xlsx", page="tindak_lanjut", row_level=False,
                           version_id=source.version_id, detail=detail),
        file_name=f"tindak_lanjut_{stamp}.xlsx", on_click="ignore", key="tindak_lanjut_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table_view:")
    cols[1].download_button(
        tr(STRINGS, "download.csv"),
        data=ec.export_job(lambda: exports.to_csv_bytes(view, sep=";"), data.store(), user(), fmt="csv",
                           page="tindak_lanjut", row_level=False, version_id=source.version_id,
                           detail={**detail, "what": "followup_decisions"}),
        file_name=f"keputusan_tindak_lanjut_{stamp}.csv", on_click="ignore", key="tindak_lanjut_csv",
        mime="text/csv", icon=":material/download:")


def _rules(rules) -> None:
    rulebook.rules_section(fu.RULES, rules, fu.rules_frame(rules.rules, lang()), key="tindak_lanjut",
                           header=tr(STRINGS, "rules.header"), shipped=tr(STRINGS, "rules.source.default"),
                           order=tr(STRINGS, "rules.order"), flash=_flash)
