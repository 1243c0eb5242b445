"""The follow-up scorecard in the app: cached levels, the rules in force, the decision record, and
the scorecard row the Program page draws.

The four levels of every program are computed once per scope (:func:`level_table`, keyed on the
training and SKM scopes through ``ui.scope.cached``) and the rules applied on each run (fast), so an
administrator's edit of the rules shows at once without recomputing the statistics. The rules in
force are the version saved in the database under ``followup`` (:mod:`store.rulesets`) or, until
then, the shipped ``analysis/followup/default_rules.toml``. p-values are adjusted across every
program of the period and kecamatan shown, whatever the program filter, so a program's row reads
the same on the Tindak Lanjut page and on its Program page. L3 comes from the appraisal data (the
``kinerja`` kind: the periods before and after each program, against matched non-participants)
whenever any is shown, else from the training file's SKP columns; :func:`behaviour_caption` says which.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.i18n import translate
from analysis.evidence.groups import WEIGHT
from analysis.followup import recommend
from analysis.followup.decisions import decision_in_force, effective_decisions, since_text, snapshot
from analysis.followup.scorecard import LevelTable, Scorecard, apply_rules, compute_levels
from analysis.followup.table import level_text, scorecard_table
from analysis.rules.engine import RuleSet, rule_table
from store import decisions as decision_store
from ui import data, filters, scope
from ui.rulebook import RuleBook, RulesInForce
from ui.scope import Scope, cached
from ui.session import lang, local_time, md_escape, user

RULE_SET = recommend.RULE_SET
LEVEL_NAMES = ("reaction", "learning", "behaviour", "results")

STRINGS = {
    "row.title": {"id": "Tindak lanjut: {label}", "en": "Follow-up: {label}"},
    "row.rule": {"id": "aturan {rule}", "en": "rule {rule}"},
    "level.reaction": {"id": "L1 Reaksi", "en": "L1 Reaction"},
    "level.learning": {"id": "L2 Pembelajaran", "en": "L2 Learning"},
    "level.behaviour": {"id": "L3 Perilaku (kinerja)", "en": "L3 Behaviour (performance)"},
    "level.results": {"id": "L4 Hasil (IKM unit)", "en": "L4 Results (unit IKM)"},
    "row.none": {"id": "Belum ada keputusan rapat yang tercatat untuk program ini.",
                 "en": "No meeting decision recorded for this program yet."},
    "row.history": {"id": "Catatan keputusan ({n})", "en": "Decision record ({n})"},
    "row.entry": {"id": "#{id} · {date} · {decision} · {period} · {who}: {reasons}",
                  "en": "#{id} · {date} · {decision} · {period} · {who}: {reasons}"},
    "row.corrects": {"id": " (mengoreksi #{id})", "en": " (corrects #{id})"},
    "row.corrected": {"id": " — dikoreksi", "en": " — corrected"},
    "row.more": {"id": "Rincian, aturan dan pencatatan keputusan: halaman Tindak Lanjut.",
                 "en": "Details, rules and recording a decision: the Follow-up page."},
    "behaviour.source": {"id": "L3 (perilaku): {design}.", "en": "L3 (behaviour): {design}."},
    "row.failed": {"id": "Kartu skor tidak dapat dihitung: {message}", "en": "The scorecard cannot be computed: {message}"},
    "col.id": {"id": "No.", "en": "No."},
    "col.subject": {"id": "Program", "en": "Program"},
    "col.period": {"id": "Periode", "en": "Period"},
    "col.decision": {"id": "Keputusan", "en": "Decision"},
    "col.reasons": {"id": "Alasan", "en": "Reasons"},
    "col.decided_on": {"id": "Tanggal rapat", "en": "Meeting date"},
    "col.recorded_by": {"id": "Dicatat oleh", "en": "Recorded by"},
    "col.recorded_at": {"id": "Waktu catat (WIB)", "en": "Recorded (WIB)"},
    "col.recommendation": {"id": "Rekomendasi saat itu", "en": "Recommendation then"},
    "col.rule": {"id": "Aturan", "en": "Rule"},
    "col.corrects": {"id": "Mengoreksi", "en": "Corrects"},
    "rules.col.no": {"id": "No.", "en": "No."},
    "rules.col.id": {"id": "Aturan", "en": "Rule"},
    "rules.col.recommendation": {"id": "Rekomendasi", "en": "Recommendation"},
    "rules.col.when": {"id": "Syarat (semua)", "en": "Conditions (all)"},
    "rules.col.reason": {"id": "Alasan", "en": "Reasons"},
    "sheet.scorecard": {"id": "Kartu skor", "en": "Scorecard"},
    "sheet.rules": {"id": "Aturan", "en": "Rules"},
    "sheet.decisions": {"id": "Keputusan", "en": "Decisions"},
}





def _t(key: str, **values) -> str:
    return translate(STRINGS, key, lang(), **values)


# --------------------------------------------------------------------------- scopes and levels


def training_scope() -> Scope:
    """The training rows of the sidebar's period and kecamatan, every program (module docstring)."""
    return scope.current("training", use_program=False)


def appraisal_scope() -> Scope:
    """Every appraisal row (the periods around each program and the non-participants lie outside any filter)."""
    return scope.whole("kinerja")


def feedback_scope() -> Scope:
    """The SKM rows for L4: every period (the rounds lie around each program), the sidebar's kecamatan."""
    return scope.current("feedback", use_period=False, use_program=False)


#: The training columns the four levels read (every column but the names and where a row was read).
LEVEL_COLUMNS = ("nip", "program", "jenis_program", "kelompok", "kecamatan", "unit_kerja", "tanggal_mulai",
                 "tanggal_selesai", "jp", "nilai_pre", "nilai_post", "kinerja_sebelum", "kinerja_sesudah",
                 "kepuasan_peserta", WEIGHT)


@cached(max_entries=16)
def level_table(training: Scope, feedback: Scope, appraisals: Scope | None = None,
                correction: str = "holm") -> LevelTable:
    """``analysis.followup.scorecard.compute_levels`` of the scopes' rows (the slow part); L3 from
    the appraisal rows when there are any."""
    fb = feedback.rows
    kinerja = None if appraisals is None or appraisals.empty else appraisals.rows
    return compute_levels(training.select(LEVEL_COLUMNS), None if fb.empty else fb, correction=correction,
                          appraisals=kinerja)


#: The follow-up rules as an administrator edits them (``ui.rulebook``).
RULES = RuleBook(RULE_SET, recommend.parse_followup_rules, recommend.default_rules, recommend.DEFAULT_RULES)


def rules_in_force() -> RulesInForce:
    """The follow-up rules saved in the database, or the shipped ones."""
    return RULES.in_force()


def current_scorecard() -> tuple[Scorecard, RulesInForce]:
    """The scorecard of the sidebar's period and kecamatan under the rules in force."""
    rules = rules_in_force()
    return apply_rules(level_table(training_scope(), feedback_scope(), appraisal_scope()), rules.rules), rules


def behaviour_caption(card: Scorecard, language: str) -> str:
    """Where L3 comes from and its design, in words (``analysis.followup.scorecard.BEHAVIOUR_DESIGNS``)."""
    design = card.behaviour.get("design_en" if language == "en" else "design_id", "")
    return _t("behaviour.source", design=design) if design else ""


# --------------------------------------------------------------------------- decisions


def decisions() -> pd.DataFrame:
    """Every recorded follow-up decision (small: read on each run, never cached)."""
    return decision_store.list_decisions(data.store(), RULE_SET)


def record_decision(card: Scorecard, program: str, decision: str, reasons: str, decided_on: dt.date,
                    rules: RulesInForce, corrects: int | None = None) -> int:
    """Record the meeting's decision for ``program`` beside the recommendation shown (audited)."""
    found = card.card(program)
    return decision_store.record_decision(
        data.store(), rule_set=RULE_SET, subject=program, decision=decision, reasons=reasons,
        decided_on=decided_on, actor=user(), period=filters.current()["periode"],
        recommendation=found.recommendation if found else None, rule=found.rule if found else None,
        rules_version=rules.version,
        snapshot=snapshot(found.levels, found.recommendation, found.rule) if found else None,
        corrects=corrects, allowed=tuple(recommend.RECOMMENDATIONS))


def decisions_view(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The decision records as a readable table (newest first), for the page and the downloads."""
    if frame.empty:
        return pd.DataFrame(columns=[translate(STRINGS, f"col.{c}", language) for c in
                                     ("id", "subject", "period", "decision", "reasons", "decided_on",
                                      "recorded_by", "recorded_at", "recommendation", "rule", "corrects")])
    view = pd.DataFrame({
        "id": frame["id"].map(lambda v: f"#{v}"),
        "subject": frame["subject"],
        "period": frame["period"].fillna("–"),
        "decision": frame["decision"].map(lambda c: recommend.recommendation_label(c, language)),
        "reasons": frame["reasons"],
        "decided_on": frame["decided_on"].dt.strftime("%d-%m-%Y"),
        "recorded_by": frame["recorded_by"],
        "recorded_at": frame["recorded_at"].map(local_time),
        "recommendation": frame["recommendation"].map(
            lambda c: recommend.recommendation_label(c, language) if isinstance(c, str) else "–"),
        "rule": frame["rule"].fillna("–"),
        "corrects": frame["corrects"].map(lambda v: "" if pd.isna(v) else f"#{int(v)}"),
    }).iloc[::-1].reset_index(drop=True)
    return view.rename(columns={c: translate(STRINGS, f"col.{c}", language) for c in view.columns})


def rules_frame(rules: RuleSet, language: str) -> pd.DataFrame:
    """The rules as a readable table: position, rule, recommendation, conditions, reasons."""
    frame = pd.DataFrame(rule_table(rules, language), dtype="str")
    frame["recommendation"] = frame["recommendation"].map(lambda c: recommend.recommendation_label(c, language))
    return frame.rename(columns={c: translate(STRINGS, f"rules.col.{c}", language) for c in frame.columns})


def export_sheets(card: Scorecard, rules: RuleSet, records: pd.DataFrame, language: str,
                  period: str | None) -> dict[str, pd.DataFrame]:
    """The workbook of the Tindak Lanjut page: the scorecard (with the decision in force), the rules
    and the decision record — written by ``analysis.report.exports`` (formula-safe) and audited."""
    return {translate(STRINGS, "sheet.scorecard", language): scorecard_table(card, language, decisions=records,
                                                                            period=period),
            translate(STRINGS, "sheet.rules", language): rules_frame(rules, language),
            translate(STRINGS, "sheet.decisions", language): decisions_view(records, language)}


# --------------------------------------------------------------------------- the Program page's row


def scorecard_row(program: str) -> None:
    """Draw ``program``'s scorecard row: its recommendation and rule, the four levels, the reasons,
    the meeting's decision in force and the program's decision record. Text only (no metric, chart
    or table), so the Program page around it keeps its own elements."""
    language = lang()
    try:
        card, _ = current_scorecard()
    except AnalysisError as err:
        st.caption(_t("row.failed", message=md_escape(err.message(language))))
        return
    found = card.card(program)
    if found is None:
        return
    with st.container(border=True):
        label = recommend.recommendation_label(found.recommendation, language)
        st.markdown(f"**{md_escape(_t('row.title', label=label))}** · {md_escape(_t('row.rule', rule=found.rule))}")
        columns = st.columns(4)
        for column, name in zip(columns, LEVEL_NAMES):
            text = level_text(name, found.levels.get(name), language, found.missing.get(name))
            column.markdown(f"**{md_escape(_t('level.' + name))}**  \n{md_escape(text)}")
        st.caption(md_escape(found.match.reason(language)))
        _decision_lines(program, found, language)
        st.caption(_t("row.more"))


def _decision_lines(program: str, found, language: str) -> None:
    frame = decisions()
    mine = frame[frame["subject"] == program] if not frame.empty else frame
    in_force = decision_in_force(frame, program, filters.current()["periode"])
    if in_force:
        st.caption(md_escape(since_text(in_force[0], in_force[1], found.levels, found.recommendation, language)))
    else:
        st.caption(_t("row.none"))
    if mine.empty:
        return
    live = set(effective_decisions(mine)["id"].astype(int))
    with st.expander(_t("row.history", n=len(mine))):
        for rec in reversed(mine.to_dict("records")):
            line = _t("row.entry", id=rec["id"], date=pd.Timestamp(rec["decided_on"]).strftime("%d-%m-%Y"),
                      decision=recommend.recommendation_label(rec["decision"], language),
                      period=rec["period"] if isinstance(rec["period"], str) else "–",
                      who=rec["recorded_by"], reasons=rec["reasons"])
            if not pd.isna(rec["corrects"]):
                line += _t("row.corrects", id=int(rec["corrects"]))
            if int(rec["id"]) not in live:
                line += _t("row.corrected")
            st.markdown(md_escape(line))
