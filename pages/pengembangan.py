"""Pengembangan (analysts and administrators): each employee's development record — found by NIP
or name, every view audited — and the development plan (Rencana Pengembangan) from the rules in
force, with its workbook for the personnel office; administrators edit the plan rules. A viewer
sees none of it: the page is not in their menu, and its render() refuses them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.career import plan as plans
from analysis.career import talent
from analysis.career.record import find_employees
from analysis.core.errors import AnalysisError
from analysis.report import exports
from ui import career as cr
from ui import data, filters, look, rulebook
from ui import evidence_cache as ec
from ui.session import integer, lang, md_escape, num, require, tr, user

#: The least role that may open this page (personal data); ui.registry reads it from here. Editing
#: the plan rules needs an administrator.
MIN_ROLE = "analyst"
PAGE = "pengembangan"
SEEN = "_pengembangan_record_seen"
FLASH = "_pengembangan_flash"

STRINGS = {
    "title": {"id": "Pengembangan Pegawai", "en": "Employee development"},
    "intro": {"id": "Rekam pengembangan setiap pegawai dan Rencana Pengembangan dari aturan yang dapat diubah. Data "
                    "pribadi: hanya analis dan administrator; setiap pembukaan rekam pegawai dicatat di log audit.",
              "en": "Each employee's development record and the development plan from editable rules. Personal data: "
                    "analysts and administrators only; every record opened is written to the audit log."},
    "year": {"id": "Tahun", "en": "Year"},
    "tab.record": {"id": "Rekam pengembangan", "en": "Development record"},
    "tab.plan": {"id": "Rencana Pengembangan", "en": "Development plan"},
    "search": {"id": "Cari pegawai (NIP atau nama)", "en": "Find an employee (NIP or name)"},
    "search.help": {"id": "Sedikitnya 4 angka NIP, atau kata dari nama.", "en": "At least 4 digits of the NIP, or words of the name."},
    "search.none": {"id": "Tidak ada pegawai yang cocok.", "en": "No employee matches."},
    "pick": {"id": "Pegawai", "en": "Employee"},
    "who": {"id": "**{nama}** · NIP {nip} · {jabatan} · {unit} ({kecamatan}) · periode terakhir {periode}: {predikat}",
            "en": "**{nama}** · NIP {nip} · {jabatan} · {unit} ({kecamatan}) · latest period {periode}: {predikat}"},
    "who.talent": {"id": "Kotak talenta {box}: {meaning}.", "en": "Talent box {box}: {meaning}."},
    "who.missing": {"id": "NIP ini tidak ada dalam data penilaian kinerja.", "en": "This NIP is not in the appraisal data."},
    "audited": {"id": "Pembukaan rekam ini tercatat di log audit.", "en": "Opening this record was written to the audit log."},
    "h.plan_one": {"id": "Saran rencana pengembangan ({year})", "en": "Development plan suggestions ({year})"},
    "plan_one.none": {"id": "Tidak ada saran untuk pegawai ini.", "en": "No suggestion for this employee."},
    "plan_one.off": {"id": "Pegawai ini tidak dinilai pada {year}: tidak ada dalam rencana tahun itu.",
                     "en": "This employee is not appraised in {year}: not in that year's plan."},
    "h.jp": {"id": "JP per tahun (target {target})", "en": "JP per year (target {target})"},
    "h.trajectory": {"id": "Penilaian kinerja per periode", "en": "Appraisal per period"},
    "h.programs": {"id": "Program yang diikuti", "en": "Programs attended"},
    "h.mentee": {"id": "Mentoring sebagai mentee", "en": "Mentoring as mentee"},
    "h.mentor": {"id": "Mentoring sebagai mentor, dengan hasil mentee", "en": "Mentoring as mentor, with the mentees' outcomes"},
    "mentor.caption": {"id": "Perubahan = penilaian periode sesudah − sebelum mentoring; di atas pembanding = dikurangi "
                              "perubahan pegawai serupa yang tidak dibimbing (skala predikat 1–5 atau nilai).",
                       "en": "Change = the appraisal after − before the mentoring; beyond the comparison = minus the change "
                             "of similar staff who were not mentored (predikat scale 1–5, or the score)."},
    "h.other": {"id": "Pengembangan kompetensi lain", "en": "Other competency development"},
    "none": {"id": "Tidak ada.", "en": "None."},
    "plan.scope": {"id": "Rencana {year}, keadaan per {as_of}: {n} dari {total} pegawai dengan saran. Target {target} JP.",
                   "en": "Plan {year}, as of {as_of}: {n} of {total} employees with a suggestion. Target {target} JP."},
    "m.tinggi": {"id": "Prioritas tinggi", "en": "High priority"},
    "m.sedang": {"id": "Prioritas sedang", "en": "Medium priority"},
    "m.rendah": {"id": "Prioritas rendah", "en": "Low priority"},
    "m.none": {"id": "Tanpa saran", "en": "No suggestion"},
    "filter.priority": {"id": "Prioritas", "en": "Priority"},
    "filter.unit": {"id": "Unit kerja", "en": "Work unit"},
    "filter.all": {"id": "semua", "en": "all"},
    "h.per_unit": {"id": "Prioritas per unit kerja", "en": "Priorities per work unit"},
    "h.evidence": {"id": "Program dengan bukti terbaik per jenis unit", "en": "Programs with the best evidence per unit type"},
    "evidence.caption": {
        "id": "Program yang direkomendasikan dilanjutkan atau dikembangkan oleh aturan tindak lanjut bila kartu skor "
              "dihitung hanya untuk peserta dari jenis unit itu (L2 dan L3), diurutkan menurut rekomendasi lalu batas "
              "bawah efek kinerja dan pengetahuan. Tanpa program seperti itu, daftar seluruh kota dipakai.",
        "en": "Programs the follow-up rules recommend to continue or expand when the scorecard is computed on the "
              "participants of that unit type only (L2 and L3), ordered by recommendation, then by the lower bound "
              "of the effect on performance and on learning. Where there is none, the city-wide list is used."},
    "download.xlsx": {"id": "Unduh Rencana Pengembangan (Excel)", "en": "Download the development plan (Excel)"},
    "download.csv": {"id": "Unduh rencana (CSV)", "en": "Download the plan (CSV)"},
    "h.rules": {"id": "Aturan rencana pengembangan", "en": "Development plan rules"},
    "rules.order": {"id": "Setiap aturan yang semua syaratnya terpenuhi memberi satu saran; prioritas pegawai = "
                           "prioritas tertinggi sarannya.",
                    "en": "Every rule whose conditions all hold gives one suggestion; an employee's priority is the "
                          "highest of their suggestions."},
    "rules.source.default": {"id": "Aturan bawaan (analysis/career/default_plan_rules.toml).",
                             "en": "The shipped rules (analysis/career/default_plan_rules.toml)."},
    "col.program": {"id": "Program", "en": "Program"},
    "col.jenis_program": {"id": "Jenis", "en": "Type"},
    "col.tanggal_mulai": {"id": "Mulai", "en": "Start"},
    "col.tanggal_selesai": {"id": "Selesai", "en": "End"},
    "col.jp": {"id": "JP", "en": "JP"},
    "col.nilai_pre": {"id": "Pre-test", "en": "Pre-test"},
    "col.nilai_post": {"id": "Post-test", "en": "Post-test"},
    "col.kepuasan_peserta": {"id": "Kepuasan", "en": "Satisfaction"},
    "col.year": {"id": "Tahun", "en": "Year"},
    "col.jp_training": {"id": "Pelatihan", "en": "Training"},
    "col.jp_mentoring": {"id": "Mentoring", "en": "Mentoring"},
    "col.jp_lain": {"id": "Lainnya", "en": "Other"},
    "col.target": {"id": "Target", "en": "Target"},
    "col.meets_target": {"id": "Tercapai", "en": "Met"},
    "col.periode": {"id": "Periode", "en": "Period"},
    "col.period_end": {"id": "Akhir periode", "en": "Period end"},
    "col.predikat": {"id": "Predikat", "en": "Predikat"},
    "col.predikat_rank": {"id": "Peringkat (1–5)", "en": "Rank (1–5)"},
    "col.rating_hasil_kerja": {"id": "Hasil kerja", "en": "Work results"},
    "col.rating_perilaku_kerja": {"id": "Perilaku kerja", "en": "Work behaviour"},
    "col.nilai": {"id": "Nilai SKP", "en": "SKP score"},
    "col.mentor_nip": {"id": "NIP mentor", "en": "Mentor's NIP"},
    "col.nama_mentor": {"id": "Mentor", "en": "Mentor"},
    "col.jumlah_sesi": {"id": "Sesi", "en": "Sessions"},
    "col.mentee_nip": {"id": "NIP mentee", "en": "Mentee's NIP"},
    "col.nama_mentee": {"id": "Mentee", "en": "Mentee"},
    "col.start": {"id": "Mulai", "en": "Start"},
    "col.end": {"id": "Selesai", "en": "End"},
    "col.periode_sebelum": {"id": "Periode sebelum", "en": "Period before"},
    "col.periode_sesudah": {"id": "Periode sesudah", "en": "Period after"},
    "col.sebelum": {"id": "Sebelum", "en": "Before"},
    "col.sesudah": {"id": "Sesudah", "en": "After"},
    "col.change": {"id": "Perubahan", "en": "Change"},
    "col.change_beyond_comparison": {"id": "Di atas pembanding", "en": "Beyond the comparison"},
    "col.kegiatan": {"id": "Kegiatan", "en": "Activity"},
    "col.bentuk": {"id": "Bentuk", "en": "Form"},
    "col.penyelenggara": {"id": "Penyelenggara", "en": "Organiser"},
    "col.sertifikat": {"id": "Sertifikat", "en": "Certificate"},
}


def _flash(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def _show(frame: pd.DataFrame, key: str) -> None:
    if frame is None or frame.empty:
        st.caption(tr(STRINGS, "none"))
        return
    shown = frame.rename(columns={c: tr(STRINGS, f"col.{c}") for c in frame.columns if f"col.{c}" in STRINGS})
    st.dataframe(shown, hide_index=True, width="stretch", key=key)


def render() -> None:
    require(MIN_ROLE)
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    s = cr.scopes()
    if not data.require(s["appraisals"].source):
        return
    data.banner(s["appraisals"].source)
    years = cr.years(s["appraisals"]) if not s["appraisals"].empty else []
    if not years:
        st.warning(md_escape(tr(STRINGS, "who.missing")))
        return
    year = int(st.selectbox(tr(STRINGS, "year"), years[::-1], key="pengembangan_year"))
    record_tab, plan_tab = st.tabs([tr(STRINGS, "tab.record"), tr(STRINGS, "tab.plan")])
    with record_tab:
        _record(s, year)
    with plan_tab:
        _plan(year, s)


# --------------------------------------------------------------------------- the record


def _record(s: dict, year: int) -> None:
    query = st.text_input(tr(STRINGS, "search"), key="pengembangan_query", help=tr(STRINGS, "search.help"))
    if not query.strip():
        return
    found = find_employees(cr.people(s["appraisals"]), query)
    if found.empty:
        st.info(tr(STRINGS, "search.none"))
        return
    labels = {str(r["nip"]): f"{r['nip']} — {r['nama']} — {r['unit_kerja']}" for r in found.to_dict("records")}
    nip = st.selectbox(tr(STRINGS, "pick"), list(labels), format_func=labels.get, key="pengembangan_pick")
    if nip is None:
        return
    rec = cr.record(nip)
    if st.session_state.get(SEEN) != nip:  # one audit entry per record opened, not per rerun
        cr.log_record_view(nip, PAGE)
        st.session_state[SEEN] = nip
    st.caption(tr(STRINGS, "audited"))
    _identity(rec)
    _suggestions(nip, year)
    target = rec["jp"]["target"].iloc[0] if len(rec["jp"]) else None
    st.subheader(tr(STRINGS, "h.jp", target=num(target, 0) if target is not None else "–"))
    _show(rec["jp"].drop(columns=["target"]), "pengembangan_jp")
    st.subheader(tr(STRINGS, "h.trajectory"))
    if len(rec["trajectory"]) and rec["trajectory"]["predikat_rank"].notna().any():
        st.plotly_chart(cr.trajectory_figure(rec["trajectory"], lang()), key="pengembangan_trajectory")
    _show(rec["trajectory"], "pengembangan_trajectory_table")
    st.subheader(tr(STRINGS, "h.programs"))
    _show(rec["programs"], "pengembangan_programs")
    st.subheader(tr(STRINGS, "h.mentee"))
    _show(rec["mentee"], "pengembangan_mentee")
    st.subheader(tr(STRINGS, "h.mentor"))
    _show(rec["mentor"], "pengembangan_mentor")
    if len(rec["mentor"]):
        st.caption(tr(STRINGS, "mentor.caption"))
    st.subheader(tr(STRINGS, "h.other"))
    _show(rec["other"], "pengembangan_other")


def _identity(rec: dict) -> None:
    e = rec["employee"]
    if e is None:
        st.warning(tr(STRINGS, "who.missing"))
        return
    st.markdown(tr(STRINGS, "who", nama=md_escape(e.get("nama")), nip=md_escape(e.get("nip")),
                   jabatan=md_escape(e.get("jabatan") or "–"), unit=md_escape(e.get("unit_kerja") or "–"),
                   kecamatan=md_escape(e.get("kecamatan") or "–"), periode=md_escape(e.get("periode")),
                   predikat=md_escape(e.get("predikat") or "–")))
    placed = talent.place(pd.DataFrame([e]))
    box = placed["talent_box"].iloc[0]
    if pd.notna(box):
        entry = next(v for v in talent.TALENT_BOXES.values() if v["box"] == int(box))
        st.caption(tr(STRINGS, "who.talent", box=int(box),
                      meaning=entry["meaning_en" if lang() == "en" else "meaning_id"]))


def _suggestions(nip: str, year: int) -> None:
    st.subheader(tr(STRINGS, "h.plan_one", year=year))
    try:
        plan, _ = cr.current_plan(year)
    except AnalysisError as err:
        st.error(md_escape(err.message(lang())))
        return
    mine = next((e for e in plan.employees if e["nip"] == nip), None)
    if mine is None:
        st.caption(tr(STRINGS, "plan_one.off", year=year))
        return
    if not mine["suggestions"]:
        st.caption(tr(STRINGS, "plan_one.none"))
        return
    i = 1 if lang() == "en" else 0
    for sug in mine["suggestions"]:
        programs = f" → {', '.join(sug['programs'])}" if sug.get("programs") else ""
        st.markdown(f"- **{md_escape(plans.SUGGESTIONS[sug['suggestion']][i])}** "
                    f"({md_escape(plans.PRIORITIES[sug['priority']][i])}): "
                    f"{md_escape(sug['reason_en' if i else 'reason_id'])}{md_escape(programs)}")


# --------------------------------------------------------------------------- the plan


def _plan(year: int, s: dict) -> None:
    try:
        plan, rules = cr.current_plan(year)
    except AnalysisError as err:
        st.error(md_escape(err.message(lang())))
        return
    if rules.problem:
        st.warning(md_escape(rules.problem))
    language = lang()
    counts = {p: sum(e["priority"] == p for e in plan.employees) for p in plans.PRIORITIES}
    counts["none"] = sum(e["priority"] is None for e in plan.employees)
    st.caption(tr(STRINGS, "plan.scope", year=year, as_of=plan.as_of.strftime("%d-%m-%Y"),
                  n=integer(len(plan.employees) - counts["none"]), total=integer(len(plan.employees)),
                  target=num(plan.target, 0)))
    for column, (key, n) in zip(st.columns(4), counts.items()):
        column.metric(tr(STRINGS, f"m.{key}"), integer(n))
    frames = cr.plan_frames(plan, rules.rules, language, user())
    _plan_table(plan, frames, language)
    st.subheader(tr(STRINGS, "h.per_unit"))
    st.dataframe(frames["per_unit"], hide_index=True, width="stretch", key="pengembangan_per_unit")
    with st.expander(tr(STRINGS, "h.evidence")):
        st.caption(tr(STRINGS, "evidence.caption"))
        st.dataframe(frames["evidence"], hide_index=True, width="stretch", key="pengembangan_evidence")
    _downloads(plan, rules, frames, s, language)
    _rules(rules)


def _plan_table(plan, frames: dict, language: str) -> None:
    table = frames["plan"]
    i = 1 if language == "en" else 0
    priority_col, unit_col = table.columns[4], table.columns[2]
    words = [v[i] for v in plans.PRIORITIES.values()]
    c1, c2 = st.columns(2)
    chosen = c1.multiselect(tr(STRINGS, "filter.priority"), words, default=words[:2], key="pengembangan_priority",
                            placeholder=look.choose_placeholder())
    kecamatan = filters.current()["kecamatan"]
    units = sorted({e["unit_kerja"] for e in plan.employees if e["unit_kerja"] and (not kecamatan or
                                                                                    e["kecamatan"] == kecamatan)})
    all_word = tr(STRINGS, "filter.all")
    unit = c2.selectbox(tr(STRINGS, "filter.unit"), [all_word, *units], key="pengembangan_unit")
    shown = table[table[priority_col].isin(chosen)] if chosen else table
    if kecamatan:
        shown = shown[shown[table.columns[3]] == kecamatan]
    if unit != all_word:
        shown = shown[shown[unit_col] == unit]
    st.dataframe(shown, hide_index=True, width="stretch", key="pengembangan_plan")


def _downloads(plan, rules, frames: dict, s: dict, language: str) -> None:
    source = s["appraisals"].source
    synthetic = any(v.source.is_sample for v in s.values())
    detail = {"source": source.label, "what": "development_plan", "year": plan.year, "rules_version": rules.version}
    stamp = dt.date.today().strftime("%Y%m%d")
    cols = st.columns(2)
    cols[0].download_button(
        tr(STRINGS, "download.xlsx"),
        data=ec.export_job(lambda: cr.plan_workbook(plan, rules.rules, language, user(), synthetic=synthetic),
                           data.store(), user(), fmt="xlsx", page=PAGE, row_level=True, version_id=source.version_id,
                           detail=detail),
        file_name=f"rencana_pengembangan_{plan.year}_{stamp}.xlsx", on_click="ignore", key="pengembangan_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/table_view:")
    cols[1].download_button(
        tr(STRINGS, "download.csv"),
        data=ec.export_job(lambda: exports.to_csv_bytes(frames["plan"], sep=";"), data.store(), user(), fmt="csv",
                           page=PAGE, row_level=True, version_id=source.version_id, detail=detail),
        file_name=f"rencana_pengembangan_{plan.year}_{stamp}.csv", on_click="ignore", key="pengembangan_csv",
        mime="text/csv", icon=":material/download:")


def _rules(rules) -> None:
    rulebook.rules_section(cr.RULES, rules, cr.rules_frame(rules.rules, lang()), key="pengembangan",
                           header=tr(STRINGS, "h.rules"), shipped=tr(STRINGS, "rules.source.default"),
                           order=tr(STRINGS, "rules.order"), flash=_flash)
