"""The career pages' data: the JP roster, the talent box, the development plan and each employee's
record, cached on the data scopes; the plan rules in force (stored under their own name in
``store.rulesets``, or the shipped ``analysis/career/default_plan_rules.toml``); the audited view of
a record; the plan workbook, masked for viewers.

Every kind is read whole (``ui.scope.whole``): JP count per calendar year and the appraisal export is
the list of all employees, so the sidebar's period and program filters do not apply; the pages
apply the kecamatan filter to what they show.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.career import plan as plans
from analysis.career import talent
from analysis.career.mentors import mentee_outcomes
from analysis.career.record import employee_record
from analysis.career.roster import appraisal_years, jp_result, roster_share, staff
from analysis.core.config import get_settings
from analysis.core.i18n import translate
from analysis.core.roles import has_role
from analysis.followup.recommend import parse_followup_rules
from analysis.intake.normalise import PREDIKAT_2022
from analysis.report import exports
from analysis.rules.engine import rule_table
from store import audit
from store.privacy import for_role
from ui import data, scope
from ui import followup as fu
from ui.rulebook import RuleBook, RulesInForce
from ui.scope import Scope, cached
from ui.session import lang, user

RULE_SET = plans.RULE_SET

STRINGS = {
    "col.no": {"id": "No.", "en": "No."},
    "col.id": {"id": "Aturan", "en": "Rule"},
    "col.when": {"id": "Syarat (semua)", "en": "Conditions (all)"},
    "col.nip": {"id": "NIP", "en": "NIP"},
    "col.nama": {"id": "Nama", "en": "Name"},
    "col.unit_kerja": {"id": "Unit kerja", "en": "Work unit"},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.priority": {"id": "Prioritas pegawai", "en": "Employee's priority"},
    "col.suggestion": {"id": "Saran", "en": "Suggestion"},
    "col.suggestion_priority": {"id": "Prioritas saran", "en": "Suggestion's priority"},
    "col.reason": {"id": "Alasan", "en": "Reason"},
    "col.programs": {"id": "Program yang disarankan", "en": "Programs suggested"},
    "col.rule": {"id": "Aturan", "en": "Rule"},
    "col.tinggi": {"id": "Tinggi", "en": "High"},
    "col.sedang": {"id": "Sedang", "en": "Medium"},
    "col.rendah": {"id": "Rendah", "en": "Low"},
    "col.none": {"id": "Tanpa saran", "en": "No suggestion"},
    "col.total": {"id": "Jumlah", "en": "Total"},
    "col.unit_type": {"id": "Jenis unit", "en": "Unit type"},
    "col.rank": {"id": "Urutan", "en": "Rank"},
    "col.program": {"id": "Program", "en": "Program"},
    "col.recommendation": {"id": "Rekomendasi tindak lanjut", "en": "Follow-up recommendation"},
    "col.behaviour_effect_ci_low": {"id": "Batas bawah efek L3", "en": "L3 effect, lower bound"},
    "col.learning_effect_ci_low": {"id": "Batas bawah efek L2", "en": "L2 effect, lower bound"},
    "col.n_participants": {"id": "Peserta", "en": "Participants"},
    "all_units": {"id": "semua unit", "en": "every unit"},
    "note.rules": {"id": "Aturan: {source}; target {target} JP per tahun; keadaan per {as_of}.",
                   "en": "Rules: {source}; target {target} JP a year; as of {as_of}."},
    "note.masked": {"id": "NIP dan nama disamarkan untuk peran viewer.", "en": "NIP and names masked for the viewer role."},
    "traj.title": {"id": "Predikat kinerja per periode", "en": "Performance predikat per period"},
}


def _t(key: str, language: str | None = None, **values) -> str:
    return translate(STRINGS, key, language or lang(), **values)


# --------------------------------------------------------------------------- scopes and cached results


def scopes() -> dict[str, Scope]:
    """Every row of the four kinds the career pages read."""
    return {"appraisals": scope.whole("kinerja"), "training": scope.whole("training"),
            "mentoring": scope.whole("mentoring"), "other": scope.whole("jp_lain")}


def rows_or_none(s: Scope, columns: tuple[str, ...] | None = None) -> pd.DataFrame | None:
    """A scope's rows (only ``columns``, when given), or None for a missing source or no rows."""
    return None if s.empty else s.select(columns)


def training_rows(s: Scope) -> pd.DataFrame | None:
    """The training columns the career functions read (those of the follow-up levels), or None."""
    return rows_or_none(s, fu.LEVEL_COLUMNS)


@cached(max_entries=8)
def years(appraisals: Scope) -> list[int]:
    """The years in which the appraisal periods end (the roster's years)."""
    return appraisal_years(appraisals.rows)


@cached(max_entries=16)
def roster(appraisals: Scope, training: Scope, mentoring: Scope, other: Scope, year: int) -> dict:
    """``analysis.career.roster.jp_result`` of the scopes for ``year`` under the settings' target."""
    settings = get_settings()
    return jp_result(appraisals.rows, training_rows(training), rows_or_none(mentoring), rows_or_none(other), year=year,
                     target=settings.jp_target, per_session=settings.mentoring_jp_per_session)


@cached(max_entries=32)
def _roster_share(appraisals: Scope, training: Scope, mentoring: Scope, other: Scope, periode: str | None,
                  kecamatan: str | None) -> dict:
    settings = get_settings()
    return roster_share(appraisals.rows, training_rows(training), rows_or_none(mentoring), rows_or_none(other),
                        periode=periode, kecamatan=kecamatan, target=settings.jp_target,
                        per_session=settings.mentoring_jp_per_session)


def jp_share(periode: str | None, kecamatan: str | None) -> dict | None:
    """The 20 JP headline over everyone appraised (``analysis.career.roster.roster_share``) for the
    period's year and the kecamatan; None when no appraisal data lists the employees."""
    s = scopes()
    if s["appraisals"].empty:
        return None
    return _roster_share(s["appraisals"], s["training"], s["mentoring"], s["other"], periode, kecamatan)


@cached(max_entries=16)
def talent_counts(appraisals: Scope, year: int) -> dict:
    """The talent box per unit kerja and per kecamatan for ``year`` (``analysis.career.talent``)."""
    placed = talent.place(staff(appraisals.rows, year))
    by_unit = talent.box_counts(placed, "unit_kerja")
    return {**by_unit, "kecamatan": talent.box_counts(placed, "kecamatan")["table"]}


@cached(max_entries=8)
def people(appraisals: Scope) -> pd.DataFrame:
    """Every employee of the appraisal data (latest period), for the record's search."""
    return staff(appraisals.rows)


@cached(max_entries=8)
def outcomes(mentoring: Scope, appraisals: Scope) -> pd.DataFrame:
    """What became of every mentee (``analysis.career.mentors.mentee_outcomes``)."""
    pairs = rows_or_none(mentoring)
    if pairs is None:
        return pd.DataFrame(columns=["mentee_nip", "mentors"])
    return mentee_outcomes(pairs, appraisals.rows)


@cached(max_entries=8)
def _plan(appraisals: Scope, training: Scope, mentoring: Scope, other: Scope, year: int, rules_text: str,
          rules_source: str, followup_text: str, followup_source: str) -> plans.Plan:
    settings = get_settings()
    return plans.development_plan(
        appraisals.rows, training_rows(training), rows_or_none(mentoring), rows_or_none(other), year=year,
        target=settings.jp_target, per_session=settings.mentoring_jp_per_session,
        rules=plans.parse_plan_rules(rules_text, rules_source),
        followup_rules=parse_followup_rules(followup_text, followup_source))


def current_plan(year: int) -> tuple[plans.Plan, RulesInForce]:
    """The plan of ``year`` under the plan rules and the follow-up rules in force."""
    rules = rules_in_force()
    followup = fu.rules_in_force().rules
    s = scopes()
    return _plan(s["appraisals"], s["training"], s["mentoring"], s["other"], int(year), rules.rules.text,
                 rules.rules.source, followup.text, followup.source), rules


def record(nip: str) -> dict:
    """One employee's record (``analysis.career.record.employee_record``) from every kind's rows."""
    s = scopes()
    return _record(s["appraisals"], s["training"], s["mentoring"], s["other"], str(nip))


@cached(max_entries=32)
def _record(appraisals: Scope, training: Scope, mentoring: Scope, other: Scope, nip: str) -> dict:
    settings = get_settings()
    return employee_record(nip, appraisals.rows, training_rows(training), rows_or_none(mentoring),
                           rows_or_none(other), target=settings.jp_target,
                           per_session=settings.mentoring_jp_per_session, outcomes=outcomes(mentoring, appraisals))


def log_record_view(nip: str, page: str) -> None:
    """Write the ``record_view`` entry of the audit log: who opened whose record, on which page."""
    sources = {k: v.source.label for k, v in scopes().items()}
    audit.log_event(data.store(), user(), "record_view", target=str(nip), detail={"page": page, "sources": sources})


# --------------------------------------------------------------------------- the plan rules


#: The development-plan rules as an administrator edits them (``ui.rulebook``).
RULES = RuleBook(RULE_SET, plans.parse_plan_rules, plans.default_plan_rules, plans.DEFAULT_PLAN_RULES)


def rules_in_force() -> RulesInForce:
    """The plan rules saved in the database, or the shipped ones."""
    return RULES.in_force()


# --------------------------------------------------------------------------- display frames and the workbook


def _rename(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return frame.rename(columns={c: _t(f"col.{c}", language) for c in frame.columns if f"col.{c}" in STRINGS})


def plan_frames(plan: plans.Plan, rules, language: str, viewer) -> dict[str, pd.DataFrame]:
    """The plan's display frames — the plan, priorities per unit, program evidence, rules — with NIP
    and names masked for ``viewer`` unless they are an analyst or administrator (``store.privacy``)."""
    table = for_role(plans.plan_table(plan, language), viewer)
    per_unit = plans.priority_counts(plan)
    evidence = plan.evidence.copy()
    if not evidence.empty:
        evidence["unit_type"] = evidence["unit_type"].replace({plans.ALL_UNITS: _t("all_units", language)})
        evidence = evidence.drop(columns=["rule"])
    return {"plan": _rename(table, language), "per_unit": _rename(per_unit, language),
            "evidence": _rename(evidence, language), "rules": rules_frame(rules, language)}


def rules_frame(rules, language: str) -> pd.DataFrame:
    """The plan rules as a readable table: position, rule, suggestion, priority, conditions, reason."""
    i = 1 if language == "en" else 0
    rows = rule_table(rules, language)
    for row in rows:
        row["suggestion"] = plans.SUGGESTIONS.get(row["suggestion"], (row["suggestion"],) * 2)[i]
        row["priority"] = plans.PRIORITIES.get(row["priority"], (row["priority"],) * 2)[i]
    frame = pd.DataFrame(rows, columns=["no", "id", "suggestion", "priority", "when", "reason"], dtype="str")
    return _rename(frame, language)


def plan_workbook(plan: plans.Plan, rules, language: str, viewer, *, synthetic: bool) -> bytes:
    """The plan workbook for the personnel office (``analysis.report.exports.development_plan_workbook``),
    masked for a viewer; the caller audits the download."""
    frames = plan_frames(plan, rules, language, viewer)
    notes = [_t("note.rules", language, source=rules.source, target=f"{plan.target:g}",
                as_of=plan.as_of.strftime("%d-%m-%Y"))]
    role = getattr(viewer, "role", viewer)
    if role is None or not has_role(role, "analyst"):  # as store.privacy.for_role decides
        notes.append(_t("note.masked", language))
    return exports.development_plan_workbook(frames["plan"], language, per_unit=frames["per_unit"],
                                             evidence=frames["evidence"], rules=frames["rules"], synthetic=synthetic,
                                             notes=notes)


def trajectory_figure(traj: pd.DataFrame, language: str) -> go.Figure:
    """The appraisal per period as a line on the predikat scale (1 Sangat Kurang … 5 Sangat Baik)."""
    fig = go.Figure(go.Scatter(x=traj["periode"], y=traj["predikat_rank"], mode="lines+markers",
                               text=traj["predikat"], hovertemplate="%{x}: %{text}<extra></extra>",
                               line={"color": "#0072B2"}))
    fig.update_layout(title=_t("traj.title", language), height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      yaxis={"tickmode": "array", "tickvals": list(range(1, 6)), "ticktext": PREDIKAT_2022,
                             "range": [0.5, 5.5]}, xaxis={"type": "category"})
    return fig
