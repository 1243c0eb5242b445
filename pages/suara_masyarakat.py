"""Suara Masyarakat (citizen voice): the IKM per unit and kecamatan with grades, the nine elements
(PermenPANRB 14/2017, Lampiran), before vs after the programs, the trend beside forums and
open-house days, and the comments.

Draws nothing at import: ``app.py`` calls :func:`render`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.i18n import t_or
from analysis.core.significance import as_flags, flag_text
from analysis.report import exports
from analysis.report.charts import ikm as charts_ikm
from analysis.voice import ikm
from analysis.voice.themes import NO_THEME, PROFILE_COLUMNS, comments_for_viewer
from ui import data, filters, look, scope
from ui import voice_cache as vc
from ui.evidence_cache import export_job, selected_key
from ui.evidence_cache import programs as program_names
from ui.session import can, integer, lang, md_escape, num, pval, require, t, tr, user
from ui.upload import fixed_labels

MIN_ROLE = "viewer"
ALL = "__all__"  # "every unit" / "every program" in a selectbox (None would show as no choice)
MAX_ROWS_SHOWN = 1000
SMALL_ROUND = 30
CHART_IKM = "suara_ikm_chart"
CHART_THEMES = "suara_theme_chart"

STRINGS = {
    "title": {"id": "Suara Masyarakat", "en": "Citizen Voice"},
    "intro": {"id": "Indeks Kepuasan Masyarakat (IKM) dari Survei Kepuasan Masyarakat menurut PermenPANRB "
                    "14/2017, perubahannya di sekitar program pengembangan ASN, dan saran warga.",
              "en": "The Community Satisfaction Index (IKM) from the citizen satisfaction survey (PermenPANRB "
                    "14/2017), its change around the staff-development programs, and citizens' comments."},
    "no_data": {"id": "Belum ada data survei untuk filter ini. Pilih periode atau kecamatan lain di samping.",
                "en": "No survey data for these filters. Choose another period or district in the sidebar."},
    "tab.ikm": {"id": "IKM dan unsur", "en": "IKM and elements"},
    "tab.before_after": {"id": "Sebelum dan sesudah program", "en": "Before and after the programs"},
    "tab.trend": {"id": "Tren dan kegiatan warga", "en": "Trend and community events"},
    "tab.comments": {"id": "Saran warga", "en": "Citizens' comments"},
    "by": {"id": "Tampilkan per", "en": "Show per"},
    "by.unit_layanan": {"id": "Unit layanan", "en": "Service unit"},
    "by.kecamatan": {"id": "Kecamatan", "en": "District"},
    "population": {"id": "Populasi pengguna layanan per unit (untuk target sampel)",
                   "en": "Service users per unit (for the sample target)"},
    "population.help": {"id": "Jumlah warga yang dilayani dalam periode survei, bila diketahui. Dipakai untuk "
                               "ukuran sampel Krejcie–Morgan; 0 = tidak diketahui (target sampel tidak diperiksa). "
                               "Isi per unit di bawah bila berbeda.",
                        "en": "Citizens served in the survey period, when known. Used for the Krejcie–Morgan "
                              "sample size; 0 = unknown (the sample target is not checked). Enter per unit below "
                              "where it differs."},
    "population.per_unit": {"id": "Populasi per unit (opsional)", "en": "Population per unit (optional)"},
    "population.col_unit": {"id": "Unit / kecamatan", "en": "Unit / district"},
    "population.col_n": {"id": "Populasi", "en": "Population"},
    "m.ikm": {"id": "IKM keseluruhan", "en": "Overall IKM"},
    "m.grade": {"id": "Mutu pelayanan", "en": "Service grade"},
    "m.respondents": {"id": "Responden", "en": "Respondents"},
    "m.short": {"id": "Unit di bawah target sampel", "en": "Units below the sample target"},
    "m.short.help": {"id": "Dihitung hanya untuk unit yang populasinya diisi: {checked} dari {total} unit.",
                     "en": "Counted only for units whose population was entered: {checked} of {total} units."},
    "m.short.unknown": {"id": "populasi belum diisi", "en": "population unknown"},
    "m.short.unknown.help": {
        "id": "Populasi pengguna layanan belum diisi, jadi target sampel Krejcie–Morgan tidak diperiksa. Isi "
              "populasi di atas (semua unit atau per unit) untuk memeriksanya.",
        "en": "No service-user population was entered, so the Krejcie–Morgan sample target is not checked. "
              "Enter the population above (for every unit or per unit) to check it."},
    "m.small": {"id": "{k} dari {total} unit punya kurang dari 30 responden: IKM-nya belum kuat.",
                "en": "{k} of {total} units have fewer than 30 respondents: their IKM is not yet firm."},
    "cap.bars": {"id": "Setiap batang adalah IKM satu {what} pada skala 25–100. Warnanya menunjukkan mutu "
                       "(A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik); garis titik-titik adalah batas mutu "
                       "65,00 · 76,61 · 88,31. Batang bergaris dengan tanda ⚠ punya kurang dari 30 responden atau "
                       "responden di bawah target sampel (bila populasinya diisi), jadi angkanya belum kuat. Klik "
                       "batang untuk melihat unsur dan saran {what} itu.",
                 "en": "Each bar is the IKM of one {what} on the 25–100 scale. The colour is the grade (A Very "
                       "good, B Good, C Poor, D Very poor); dotted lines are the grade bounds 65.00 · 76.61 · "
                       "88.31. Hatched bars marked ⚠ have fewer than 30 respondents, or fewer than the sample target "
                       "(where a population was entered), so their number is not yet firm. Click a bar to see that "
                       "{what}'s elements and comments."},
    "what.unit_layanan": {"id": "unit layanan", "en": "service unit"},
    "what.kecamatan": {"id": "kecamatan", "en": "district"},
    "t.ikm": {"id": "IKM", "en": "IKM"},
    "t.grade": {"id": "Mutu", "en": "Grade"},
    "t.n": {"id": "Responden", "en": "Respondents"},
    "t.weakest": {"id": "Unsur terlemah", "en": "Weakest element"},
    "t.target": {"id": "Target sampel", "en": "Sample target"},
    "t.note": {"id": "Catatan", "en": "Note"},
    "elements.for": {"id": "Unsur untuk", "en": "Elements for"},
    "elements.all": {"id": "Semua (keseluruhan)", "en": "All (overall)"},
    "cap.elements": {"id": "Nilai rata-rata (NRR, skala 1–4) tiap unsur pelayanan. Unsur berwarna merah paling "
                            "rendah: di situlah perbaikan sebaiknya dimulai.",
                     "en": "Mean score (NRR, 1–4 scale) of each service element. The red element is the lowest: "
                           "that is where improvement should start."},
    "program": {"id": "Program", "en": "Program"},
    "program.all": {"id": "Semua program (gabungan)", "en": "All programs (combined)"},
    "ba.scope": {"id": "Putaran survei dipilih dari tanggal program: putaran terakhir sebelum program mulai dan "
                        "putaran pertama sesudah program selesai. Filter periode tidak berlaku di bagian ini; "
                        "filter kecamatan berlaku.",
                 "en": "Survey rounds follow the program's dates: the last round before it started and the first "
                       "after it ended. The period filter does not apply here; the district filter does."},
    "ba.cannot": {"id": "Perbandingan sebelum–sesudah belum dapat dihitung: {message}",
                  "en": "The before/after comparison cannot be computed: {message}"},
    "ba.cannot.next": {"id": "Pilih program lain, hapus filter kecamatan, atau unggah survei yang mencakup "
                              "putaran sebelum dan sesudah program.",
                       "en": "Choose another program, clear the district filter, or upload a survey that covers "
                             "a round before and after the program."},
    "ba.before": {"id": "IKM sebelum ({period})", "en": "IKM before ({period})"},
    "ba.after": {"id": "IKM sesudah ({period})", "en": "IKM after ({period})"},
    "ba.change": {"id": "Perubahan unit peserta", "en": "Change, trained units"},
    "ba.did": {"id": "Selisih terhadap pembanding (DiD)", "en": "Against the comparison (DiD)"},
    "ba.did_ci": {"id": "95% CI {low} s.d. {high}; {p}", "en": "95% CI {low} to {high}; {p}"},
    "ba.did_none": {"id": "tanpa CI (unit terlalu sedikit)", "en": "no CI (too few units)"},
    "ba.units": {"id": "{n} unit peserta yang disurvei ({r1} dan {r2} responden); {m} unit pembanding.",
                 "en": "{n} trained units in the survey ({r1} and {r2} respondents); {m} comparison units."},
    "ba.not_surveyed": {"id": "{k} unit kerja peserta tidak ada di data survei dan tidak dihitung: {names}.",
                        "en": "{k} of the participants' work units are not in the survey data and are not "
                              "counted: {names}."},
    "events.missing": {"id": "Belum ada data forum warga atau open house yang diterbitkan: tren tanpa tanda "
                              "kegiatan.",
                       "en": "No community forum or open-house data has been published: the trend has no event "
                             "marks."},
    "ba.read": {"id": "Cara membaca: perubahan IKM unit yang pegawainya ikut program bisa juga disebabkan hal "
                       "lain (musim, kebijakan baru). Selisih terhadap unit pembanding (difference in differences, "
                       "DiD) mengurangi pengaruh itu; 95% CI menunjukkan ketidakpastiannya — bila mencakup 0, "
                       "belum terbukti ada perubahan.",
                "en": "How to read: the change in the IKM of units whose staff took part may have other causes "
                      "(season, new policies). The difference against comparison units (difference in "
                      "differences, DiD) removes some of that; the 95% CI shows its uncertainty — when it "
                      "includes 0 there is no evidence of change yet."},
    "flag.no_comparison_units": {"id": "Tidak ada unit tanpa peserta sebagai pembanding: perubahan ini bisa "
                                        "berasal dari tren umum, bukan dari program.",
                                 "en": "No unit without participants to compare with: this change may be a "
                                       "general trend, not the program."},
    "flag.comparison_round_empty": {"id": "Unit pembanding tidak disurvei pada salah satu putaran: DiD tidak "
                                           "dihitung.",
                                    "en": "The comparison units were not surveyed in one of the rounds: no DiD."},
    "flag.few_clusters": {"id": "Unit (klaster) sedikit: CI dari DiD kurang dapat diandalkan.",
                          "en": "Few units (clusters): the DiD's CI is less reliable."},
    "flag.small_round": {"id": "Sebagian unsur punya kurang dari 30 jawaban pada satu putaran: data terlalu "
                                "sedikit untuk menyimpulkan unsur itu (bukan berarti tidak berubah).",
                         "en": "Some elements have fewer than 30 answers in a round: too little data to conclude "
                               "about them (which does not mean no change)."},
    "flag.ordinal_fit_warning": {"id": "Model logit ordinal tidak stabil untuk sebagian unsur; lihat kolom catatan.",
                                 "en": "The ordinal logit was unstable for some elements; see the note column."},
    "cap.dumbbell": {"id": "Setiap baris satu unit peserta: lingkaran kosong = IKM sebelum, titik penuh = sesudah "
                            "(biru naik, merah turun).",
                     "en": "Each row is one trained unit: hollow circle = IKM before, filled dot = after (blue up, "
                           "red down)."},
    "el.title": {"id": "Per unsur (unit peserta)", "en": "Per element (trained units)"},
    "el.caption": {"id": "Uji Mann–Whitney per unsur dengan p terkoreksi Holm; rasio odds > 1 dari logit ordinal "
                          "(disesuaikan per unit) berarti jawaban bergeser naik. ‘data terlalu sedikit’ = kurang dari 30 jawaban.",
                   "en": "Mann–Whitney test per element with Holm-adjusted p; an odds ratio > 1 from the ordinal "
                         "logit (adjusted for unit) means answers moved up. ‘too little data’ = fewer than 30 answers."},
    "el.element": {"id": "Unsur", "en": "Element"},
    "el.nrr_before": {"id": "NRR sebelum", "en": "NRR before"},
    "el.nrr_after": {"id": "NRR sesudah", "en": "NRR after"},
    "el.change": {"id": "Perubahan", "en": "Change"},
    "el.p": {"id": "p (Holm)", "en": "p (Holm)"},
    "el.r": {"id": "Korelasi rank-biserial", "en": "Rank-biserial r"},
    "el.or": {"id": "Rasio odds (95% CI)", "en": "Odds ratio (95% CI)"},
    "el.n": {"id": "n sebelum / sesudah", "en": "n before / after"},
    "el.note": {"id": "Catatan", "en": "Note"},
    "granularity": {"id": "Periode tren", "en": "Trend period"},
    "g.month": {"id": "Bulanan", "en": "Monthly"},
    "g.quarter": {"id": "Triwulan", "en": "Quarterly"},
    "g.semester": {"id": "Semester", "en": "Half-yearly"},
    "cap.trend": {"id": "Garis = IKM per periode. Garis putus-putus tegak = forum warga dan open house pada "
                         "tanggalnya. Filter periode tidak berlaku di tren; filter kecamatan berlaku.",
                  "en": "Line = IKM per period. Dashed vertical lines = citizen forums and open-house days on "
                        "their dates. The period filter does not apply to the trend; the district filter does."},
    "eng.title": {"id": "Kegiatan dan IKM per kecamatan", "en": "Events and IKM per district"},
    "eng.assoc": {"id": "Kaitan jumlah kegiatan dengan perubahan IKM periode berikutnya: ρ Spearman = {rho} "
                         "({p}; {n} pasangan kecamatan–periode). Hanya deskriptif: kecamatan yang sering mengadakan "
                         "forum bisa berbeda dalam hal lain.",
                  "en": "Association of the number of events with the next period's IKM change: Spearman ρ = "
                        "{rho} ({p}; {n} district–period pairs). Descriptive only: districts that hold more forums "
                        "may differ in other ways."},
    "eng.assoc_none": {"id": "Terlalu sedikit pasangan kecamatan–periode untuk melihat kaitan kegiatan dengan IKM.",
                       "en": "Too few district–period pairs to look at how events relate to the IKM."},
    "eng.periode": {"id": "Periode", "en": "Period"},
    "eng.events": {"id": "Kegiatan", "en": "Events"},
    "eng.participants": {"id": "Peserta kegiatan", "en": "Event participants"},
    "eng.suggestions": {"id": "Masukan", "en": "Suggestions"},
    "eng.respondents": {"id": "Responden SKM", "en": "SKM respondents"},
    "eng.change": {"id": "Perubahan IKM", "en": "IKM change"},
    "c.search": {"id": "Cari kata dalam saran", "en": "Search the comments"},
    "c.unit": {"id": "Unit layanan", "en": "Service unit"},
    "c.kecamatan": {"id": "Kecamatan", "en": "District"},
    "c.periode": {"id": "Triwulan", "en": "Quarter"},
    "c.grade": {"id": "Mutu unit", "en": "Unit grade"},
    "c.theme": {"id": "Tema", "en": "Theme"},
    "c.found": {"id": "{n} saran cocok.", "en": "{n} comments match."},
    "c.none": {"id": "Tidak ada saran yang cocok. Longgarkan pencarian atau filter.",
               "en": "No comment matches. Loosen the search or the filters."},
    "cap.themes": {"id": "Berapa saran menyebut setiap tema (satu saran bisa masuk beberapa tema; ‘lainnya’ = tanpa "
                          "tema). Tema menunjukkan pokok bahasan, bukan pujian atau keluhan. Klik batang untuk "
                          "menyaring saran.",
                   "en": "How many comments mention each theme (a comment may count under several; ‘lainnya’ = "
                         "no theme). A theme says what a comment is about, not whether it praises or complains. "
                         "Click a bar to filter the comments."},
    "c.viewer_note": {"id": "Profil responden (usia, jenis kelamin, pendidikan, pekerjaan) tidak ditampilkan per "
                             "baris; nomor telepon dan e-mail dalam saran disamarkan.",
                      "en": "Respondents' profiles (age, sex, education, occupation) are not shown row by row; "
                            "phone numbers and e-mail addresses in comments are masked."},
    "c.download": {"id": "Unduh saran (CSV)", "en": "Download comments (CSV)"},
    "c.col.tanggal": {"id": "Tanggal", "en": "Date"},
    "c.col.periode": {"id": "Periode", "en": "Period"},
    "c.col.unit_layanan": {"id": "Unit layanan", "en": "Service unit"},
    "c.col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "c.col.jenis_layanan": {"id": "Layanan", "en": "Service"},
    "c.col.saran": {"id": "Saran", "en": "Comment"},
    "c.col.tema": {"id": "Tema", "en": "Themes"},
    "c.col.grade": {"id": "Mutu unit", "en": "Unit grade"},
    "c.col.jenis_kelamin": {"id": "Jenis kelamin", "en": "Sex"},
    "c.col.usia": {"id": "Usia", "en": "Age"},
    "c.col.pendidikan": {"id": "Pendidikan", "en": "Education"},
    "c.col.pekerjaan": {"id": "Pekerjaan", "en": "Occupation"},
}


# --------------------------------------------------------------------------- helpers


def _kecamatan_only(kind: str) -> scope.Scope:
    """The rows of ``kind`` under the sidebar's kecamatan filter alone (the trend and the
    before/after span periods by nature)."""
    return scope.current(kind, use_period=False, use_program=False)


def _on_ikm_click(by: str) -> None:
    label = selected_key(st.session_state.get(CHART_IKM))
    if label is None:
        return
    if by == "kecamatan":
        filters.set_value("kecamatan", label)
    else:
        st.session_state["suara_unit"] = label
        st.session_state["suara_c_unit"] = [label]


def _on_theme_click() -> None:
    label = selected_key(st.session_state.get(CHART_THEMES))
    if label is not None:
        st.session_state["suara_c_theme"] = [label]


def _grade_text(letter) -> str:
    return ikm.grade_label(letter if isinstance(letter, str) and letter not in ("", "nan") else None, lang(), with_letter=True)


def _element_name(code) -> str:
    return t_or(f"element.{code}", str(code), lang()) if isinstance(code, str) else "–"


def _flag_words(flags) -> str:
    return flag_text(as_flags(flags), lang())


# --------------------------------------------------------------------------- IKM tab


def _population_pairs(table_units: list[str]) -> tuple:
    # the same units give the same starting table, so the editor keeps the reader's entries
    frame = pd.DataFrame({"unit": table_units, "populasi": [None] * len(table_units)}, dtype=object)
    with st.expander(tr(STRINGS, "population.per_unit")):
        out = st.data_editor(
            frame, key="suara_population_table", hide_index=True, disabled=["unit"], width="stretch",
            column_config={"unit": st.column_config.TextColumn(tr(STRINGS, "population.col_unit")),
                           "populasi": st.column_config.NumberColumn(tr(STRINGS, "population.col_n"),
                                                                     min_value=1, step=1)})
    pairs = []
    for unit, pop in zip(out["unit"], out["populasi"]):
        try:
            value = int(pop)
        except (TypeError, ValueError):
            continue
        if value > 0:
            pairs.append((str(unit), value))
    return tuple(pairs)


def _ikm_tab(sc: scope.Scope) -> None:
    choices = ["unit_layanan", "kecamatan"]
    by = st.segmented_control(tr(STRINGS, "by"), choices, key="suara_by", default="unit_layanan",
                              format_func=fixed_labels(choices, lambda b: tr(STRINGS, f"by.{b}"))) or "unit_layanan"
    default_pop = st.number_input(tr(STRINGS, "population"), min_value=0, value=0, step=100,
                                  key="suara_population", help=tr(STRINGS, "population.help"))
    units = vc.options(sc)[by]
    pairs = _population_pairs(units)
    overall = vc.ikm_table(sc, None, None, lang())
    table = vc.ikm_table(sc, by, int(default_pop) or None, lang(), population=pairs)
    row = overall.iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    ci = f"95% CI {num(row['ikm_ci_low'], 2)} – {num(row['ikm_ci_high'], 2)}"
    c1.metric(tr(STRINGS, "m.ikm"), num(row["ikm"], 2), delta=ci, delta_color="off", delta_arrow="off")
    c2.metric(tr(STRINGS, "m.grade"), _grade_text(row["grade"]))
    c3.metric(tr(STRINGS, "m.respondents"), integer(row["n"]))
    _sample_tile(c4, table)
    fig = charts_ikm.ikm_bars(table, lang(), by=by)
    st.plotly_chart(fig, width="stretch", key=CHART_IKM, on_select=lambda: _on_ikm_click(by),
                    selection_mode="points")
    st.caption(tr(STRINGS, "cap.bars", what=tr(STRINGS, f"what.{by}")))
    view = pd.DataFrame({
        tr(STRINGS, f"by.{by}"): table[by].astype("str"),
        tr(STRINGS, "t.ikm"): table["ikm"].map(lambda v: num(v, 2)),
        tr(STRINGS, "t.grade"): table["grade"].map(_grade_text),
        tr(STRINGS, "t.n"): table["n"].map(integer),
        tr(STRINGS, "t.target"): table["sample_target"].map(lambda v: "" if pd.isna(v) else integer(v)),
        tr(STRINGS, "t.weakest"): table["weakest_element"].map(_element_name),
        tr(STRINGS, "t.note"): table["flags"].map(_flag_words),
    })
    st.dataframe(view, hide_index=True, width="stretch")
    st.caption(ikm.KM_NOTE[lang()])

    options = [ALL] + table[by].astype("str").tolist()
    if st.session_state.get("suara_unit") not in options:
        st.session_state["suara_unit"] = ALL
    chosen = st.selectbox(tr(STRINGS, "elements.for"), options, key="suara_unit",
                          format_func=fixed_labels(options, lambda v: tr(STRINGS, "elements.all") if v == ALL else v))
    source = overall.iloc[0] if chosen == ALL else table[table[by].astype("str") == chosen].iloc[0]
    nrr = {u: float(source[f"nrr_{u}"]) for u in ikm.ELEMENTS}
    st.plotly_chart(charts_ikm.ikm_elements(nrr, lang()), width="stretch", key="suara_elements_chart")
    st.caption(tr(STRINGS, "cap.elements"))


def _sample_tile(col, table: pd.DataFrame) -> None:
    """Units below the Krejcie–Morgan target, among the units whose population was entered only;
    "population unknown" when none was; and how many units have fewer than 30 respondents."""
    checked = table["sample_target"].notna()
    if checked.any():
        short = int(table.loc[checked, "sample_short"].sum())
        col.metric(tr(STRINGS, "m.short"), f"{integer(short)} / {integer(int(checked.sum()))}",
                   help=tr(STRINGS, "m.short.help", checked=integer(int(checked.sum())), total=integer(len(table))))
    else:
        col.metric(tr(STRINGS, "m.short"), tr(STRINGS, "m.short.unknown"), help=tr(STRINGS, "m.short.unknown.help"))
    small = int(table["small_sample"].sum())
    if small:
        st.caption(tr(STRINGS, "m.small", k=integer(small), total=integer(len(table))))


# --------------------------------------------------------------------------- before / after tab


def _before_after_tab() -> None:
    training = scope.whole("training")
    if not data.require(training.source):
        return
    programs = program_names(training)
    options = [ALL] + programs
    wanted = filters.current()["program"]
    if st.session_state.get("suara_program_filter", ALL) != (wanted or ALL) or "suara_program" not in st.session_state:
        # the sidebar's program filter changed (or first visit): follow it
        st.session_state["suara_program_filter"] = wanted or ALL
        st.session_state["suara_program"] = wanted if wanted in options else ALL
    elif st.session_state["suara_program"] not in options:
        st.session_state["suara_program"] = ALL
    choice = st.selectbox(tr(STRINGS, "program"), options, key="suara_program",
                          format_func=fixed_labels(options, lambda p: tr(STRINGS, "program.all") if p == ALL else p))
    program = None if choice == ALL else choice
    st.caption(tr(STRINGS, "ba.scope"))
    fb = _kecamatan_only("feedback")
    try:
        with st.spinner():
            res = vc.before_after(fb, training, program, lang())
    except AnalysisError as err:
        st.warning(tr(STRINGS, "ba.cannot", message=md_escape(err.message(lang()))) + " "
                   + tr(STRINGS, "ba.cannot.next"))
        return
    s = res.summary.set_index(["group", "round"])
    tb, ta = s.loc[("trained", "before")], s.loc[("trained", "after")]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr(STRINGS, "ba.before", period=tb["periode"]), num(tb["ikm"], 2), help=_grade_text(tb["grade"]))
    c2.metric(tr(STRINGS, "ba.after", period=ta["periode"]), num(ta["ikm"], 2), help=_grade_text(ta["grade"]))
    c3.metric(tr(STRINGS, "ba.change"), _signed(res.ikm_change))
    if res.did is not None:
        d = res.did.iloc[0]
        ci = (tr(STRINGS, "ba.did_ci", low=_signed(d["ci_low"]), high=_signed(d["ci_high"]), p=pval(d["p_value"]))
              if pd.notna(d["ci_low"]) else tr(STRINGS, "ba.did_none"))
        c4.metric(tr(STRINGS, "ba.did"), _signed(d["did"]))
        c4.caption(ci)
    st.caption(tr(STRINGS, "ba.units", n=integer(len(res.units)), r1=integer(tb["n"]), r2=integer(ta["n"]),
                  m=integer(len(res.comparison_units))))
    if res.units_not_surveyed:
        st.caption(tr(STRINGS, "ba.not_surveyed", k=integer(len(res.units_not_surveyed)),
                      names=md_escape(", ".join(res.units_not_surveyed[:10]))))
    for flag in res.flags:
        if f"flag.{flag}" in STRINGS:
            st.warning(tr(STRINGS, f"flag.{flag}"))
    st.info(tr(STRINGS, "ba.read"))
    per_unit = vc.unit_change(fb, tuple(res.units), tuple(res.before_window), tuple(res.after_window), lang())
    st.plotly_chart(charts_ikm.ikm_dumbbell(per_unit, lang()), width="stretch", key="suara_dumbbell")
    st.caption(tr(STRINGS, "cap.dumbbell"))
    st.subheader(tr(STRINGS, "el.title"))
    st.dataframe(_elements_view(res), hide_index=True, width="stretch")
    st.caption(tr(STRINGS, "el.caption"))


def _signed(x) -> str:
    if x is None or pd.isna(x):
        return "–"
    return ("+" if float(x) > 0 else "") + num(x, 2)


def _elements_view(res) -> pd.DataFrame:
    el = res.elements.merge(res.ordinal[["element", "odds_ratio", "ci_low", "ci_high", "note"]], on="element",
                            how="left")
    small = el[["n_before", "n_after"]].min(axis=1) < SMALL_ROUND

    def odds(r) -> str:
        if pd.isna(r["odds_ratio"]):
            return "–"
        ci = (f" ({num(r['ci_low'], 2)}–{num(r['ci_high'], 2)})" if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"])
              else "")
        return num(r["odds_ratio"], 2) + ci

    notes = []
    for is_small, note in zip(small, el["note"]):
        parts = [t("common.small_n")] if is_small else []
        if isinstance(note, str) and note:
            parts.append(note)
        notes.append("; ".join(parts))
    return pd.DataFrame({
        tr(STRINGS, "el.element"): el["element"].map(_element_name),
        tr(STRINGS, "el.nrr_before"): el["nrr_before"].map(lambda v: num(v, 2)),
        tr(STRINGS, "el.nrr_after"): el["nrr_after"].map(lambda v: num(v, 2)),
        tr(STRINGS, "el.change"): el["change"].map(_signed),
        tr(STRINGS, "el.p"): el["p_holm"].map(pval),
        tr(STRINGS, "el.r"): el["rank_biserial"].map(lambda v: num(v, 2)),
        tr(STRINGS, "el.or"): [odds(r) for r in el.to_dict("records")],
        tr(STRINGS, "el.n"): [f"{integer(a)} / {integer(b)}" for a, b in zip(el["n_before"], el["n_after"])],
        tr(STRINGS, "el.note"): notes,
    })


# --------------------------------------------------------------------------- trend tab


def _trend_tab() -> None:
    events = _kecamatan_only("events")
    if events.source.missing:
        st.caption(tr(STRINGS, "events.missing"))
    feedback = _kecamatan_only("feedback")
    ev = events.rows
    grains = ["month", "quarter", "semester"]
    granularity = st.segmented_control(tr(STRINGS, "granularity"), grains, default="quarter", key="suara_granularity",
                                       format_func=fixed_labels(grains, lambda g: tr(STRINGS, f"g.{g}"))) or "quarter"
    trend = vc.ikm_table(feedback, "periode", None, lang(), period=granularity)
    trend = trend[trend["periode"].notna() & trend["periode"].ne("nan")]
    st.plotly_chart(charts_ikm.ikm_trend(trend, lang(), events=ev), width="stretch", key="suara_trend")
    st.caption(tr(STRINGS, "cap.trend"))
    if ev.empty:
        return
    st.subheader(tr(STRINGS, "eng.title"))
    table, assoc = vc.engagement_table(events, feedback, "kecamatan", granularity, lang())
    a = assoc.iloc[0]
    if pd.notna(a["rho"]):
        st.caption(tr(STRINGS, "eng.assoc", rho=num(a["rho"], 2), p=pval(a["p_value"]), n=integer(a["n"])))
    else:
        st.caption(tr(STRINGS, "eng.assoc_none"))
    view = pd.DataFrame({
        tr(STRINGS, "by.kecamatan"): table["kecamatan"].astype("str"),
        tr(STRINGS, "eng.periode"): table["periode"].astype("str"),
        tr(STRINGS, "eng.events"): table["events"].map(integer),
        tr(STRINGS, "eng.participants"): table["participants"].map(integer),
        tr(STRINGS, "eng.suggestions"): table["suggestions"].map(integer),
        tr(STRINGS, "eng.respondents"): table["respondents"].map(integer),
        tr(STRINGS, "t.ikm"): table["ikm"].map(lambda v: num(v, 2)),
        tr(STRINGS, "eng.change"): table["ikm_change"].map(_signed),
    })
    st.dataframe(view, hide_index=True, width="stretch")


# --------------------------------------------------------------------------- comments tab


def _keep_valid(key: str, options: list[str]) -> None:
    chosen = st.session_state.get(key)
    if chosen:
        st.session_state[key] = [c for c in chosen if c in options]


def _comments_tab(sc: scope.Scope) -> None:
    dictionary, stamp = vc.theme_dictionary()
    found_values = vc.options(sc)
    choices = {
        "suara_c_unit": found_values["unit_layanan"],
        "suara_c_kecamatan": found_values["kecamatan"],
        "suara_c_periode": found_values["periode"],
        "suara_c_grade": ["A", "B", "C", "D"],
        "suara_c_theme": list(dict.fromkeys(dictionary["tema"])) + [NO_THEME],
    }
    for k, opts in choices.items():
        _keep_valid(k, opts)
    text = st.text_input(tr(STRINGS, "c.search"), key="suara_c_text", max_chars=200)
    c1, c2, c3 = st.columns(3)
    choose = look.choose_placeholder()  # Streamlit's own placeholder is English
    unit = c1.multiselect(tr(STRINGS, "c.unit"), choices["suara_c_unit"], key="suara_c_unit", placeholder=choose)
    kec = c2.multiselect(tr(STRINGS, "c.kecamatan"), choices["suara_c_kecamatan"], key="suara_c_kecamatan",
                         placeholder=choose)
    per = c3.multiselect(tr(STRINGS, "c.periode"), choices["suara_c_periode"], key="suara_c_periode",
                         placeholder=choose)
    c4, c5 = st.columns(2)
    grade = c4.multiselect(tr(STRINGS, "c.grade"), choices["suara_c_grade"], key="suara_c_grade", placeholder=choose,
                           format_func=fixed_labels(choices["suara_c_grade"],
                                                    lambda g: ikm.grade_label(g, lang(), with_letter=True)))
    theme = c5.multiselect(tr(STRINGS, "c.theme"), choices["suara_c_theme"], key="suara_c_theme", placeholder=choose)
    search = vc.CommentSearch(text.strip() or None, tuple(unit), tuple(kec), tuple(per), tuple(grade), tuple(theme))
    found = vc.comments(sc, search, stamp, lang())
    counts = vc.theme_counts(sc, search, stamp, lang())
    st.plotly_chart(charts_ikm.theme_counts(counts[counts["n"] > 0], lang()), width="stretch", key=CHART_THEMES,
                    on_select=_on_theme_click, selection_mode="points")
    st.caption(tr(STRINGS, "cap.themes"))
    if found.empty:
        st.info(tr(STRINGS, "c.none"))
        return
    st.caption(tr(STRINGS, "c.found", n=integer(len(found))))
    analyst = can("analyst")
    shown = _comments_view(found, analyst)
    if len(shown) > MAX_ROWS_SHOWN:
        st.caption(t("common.showing_of", shown=integer(MAX_ROWS_SHOWN), total=integer(len(shown))))
    st.dataframe(shown.head(MAX_ROWS_SHOWN), hide_index=True, width="stretch",
                 column_config={tr(STRINGS, "c.col.saran"): st.column_config.TextColumn(width="large")})
    if not analyst:
        st.caption(tr(STRINGS, "c.viewer_note"))
        return
    st.download_button(tr(STRINGS, "c.download"), file_name="saran_warga.csv", mime="text/csv",
                       key="suara_c_download", on_click="ignore",
                       data=export_job(lambda: exports.to_csv_bytes(shown, sep=";"), data.store(), user(), fmt="csv",
                                       page="suara_masyarakat", row_level=True, version_id=sc.source.version_id,
                                       detail={"what": "comments", "rows": len(shown)}))


def _comments_view(found: pd.DataFrame, analyst: bool) -> pd.DataFrame:
    """The comments as this role may see them; viewers never get the respondent profile."""
    if analyst:
        cols = ["tanggal", "periode", "unit_layanan", "kecamatan", "jenis_layanan", "saran", "tema", "grade",
                *PROFILE_COLUMNS]
        frame = found[[c for c in cols if c in found]]
    else:
        frame = comments_for_viewer(found)
        frame = frame[[c for c in frame.columns
                       if not (c.startswith("u") and c[1:].isdigit()) and c not in ("label", "kode_kecamatan")]]
    frame = frame.copy()
    if "tanggal" in frame:
        frame["tanggal"] = pd.to_datetime(frame["tanggal"], errors="coerce").dt.strftime("%d-%m-%Y")
    if "usia" in frame:
        frame["usia"] = frame["usia"].map(lambda v: "" if pd.isna(v) else integer(v))
    return frame.rename(columns={c: tr(STRINGS, f"c.col.{c}") for c in frame.columns if f"c.col.{c}" in STRINGS})


# --------------------------------------------------------------------------- page


def render() -> None:
    """Draw the citizen-voice page (every signed-in role)."""
    require(MIN_ROLE)
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    sc = scope.current("feedback", use_program=False)
    data.banner(sc.source)
    if not data.require(sc.source):
        return
    labels = [tr(STRINGS, k) for k in ("tab.ikm", "tab.before_after", "tab.trend", "tab.comments")]
    tabs = st.tabs(labels, key="suara_tab", on_change="rerun")
    with tabs[0]:
        if tabs[0].open is not False:
            if sc.empty:
                st.info(tr(STRINGS, "no_data"))
            else:
                _ikm_tab(sc)
    with tabs[1]:
        if tabs[1].open:
            _before_after_tab()
    with tabs[2]:
        if tabs[2].open:
            _trend_tab()
    with tabs[3]:
        if tabs[3].open:
            if sc.empty:
                st.info(tr(STRINGS, "no_data"))
            else:
                _comments_tab(sc)
