"""The development plan (*Rencana Pengembangan*): per employee a priority and suggestions with reasons.

The suggestions are rules written as data, evaluated by the generic engine (:mod:`analysis.rules`):
``default_plan_rules.toml`` beside this module as shipped, or the version an administrator saved
(:mod:`store.rulesets`, under the name :data:`RULE_SET`), checked against :data:`SCHEMA` before it
is used or saved. Unlike the follow-up rules, **every** rule that holds gives a suggestion
(:func:`analysis.rules.engine.evaluate_all`); each rule carries its ``priority`` (tinggi, sedang,
rendah), and an employee's priority is the highest of their suggestions (none without a suggestion).

A suggestion of :data:`PROGRAM_SUGGESTION` names programs: those the follow-up rules in force
recommend to continue or expand (``lanjutkan``, ``kembangkan``) **for employees of the same unit
type** — the follow-up scorecard computed on the participants of that unit type (L2 and L3; L3 from
the appraisal join where appraisals are given) — ordered by recommendation, then by the lower 95%
bound of the standardised effect on performance (L3), then on learning (L2); programs the employee
already attended are left out. Where no program of the unit type has such evidence, the city-wide
scorecard's are named and the suggestion says so (``programs_scope = "all"``). Why each default rule
is what it is: docs/method.md §21.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.appraisal.table import unit_type
from analysis.career import talent
from analysis.career.mentors import mentee_outcomes, mentor_summary
from analysis.career.roster import choose_year, development, jp_table, staff
from analysis.core.groups import participants
from analysis.followup.recommend import default_rules as default_followup_rules
from analysis.followup.scorecard import apply_rules, compute_levels
from analysis.intake.normalise import PREDIKAT_2022, RATINGS
from analysis.rules.engine import Fact, RuleSet, Schema, evaluate_all, parse_rules, read_rules

#: The name the plan's rule set is stored under.
RULE_SET = "rencana_pengembangan"
#: The rules shipped with the product.
DEFAULT_PLAN_RULES = Path(__file__).with_name("default_plan_rules.toml")
DEFAULT_SOURCE = "default"
#: Priority → (Indonesian, English, weight): an employee's priority is the heaviest of their suggestions.
PRIORITIES: dict[str, tuple[str, str, int]] = {"tinggi": ("Tinggi", "High", 3), "sedang": ("Sedang", "Medium", 2),
                                               "rendah": ("Rendah", "Low", 1)}
#: Suggestion → (Indonesian, English).
SUGGESTIONS: dict[str, tuple[str, str]] = {
    "prioritas_pengembangan": ("Prioritaskan pengembangan kompetensi", "Prioritise competency development"),
    "ikuti_program": ("Ikuti program pengembangan", "Take a development program"),
    "bimbingan_kinerja": ("Bimbingan atau konseling kinerja", "Performance guidance or counselling"),
    "kandidat_mentor": ("Calon mentor", "Mentor candidate"),
    "kelompok_suksesi": ("Kelompok rencana suksesi", "Succession pool"),
    "lengkapi_data": ("Lengkapi data penilaian", "Complete the appraisal data"),
}
#: The suggestion to which the programs with the best evidence are added.
PROGRAM_SUGGESTION = "ikuti_program"
#: How many programs such a suggestion names.
TOP_PROGRAMS = 3
#: The follow-up recommendations that count as good evidence for a program, best first.
GOOD_EVIDENCE = ("kembangkan", "lanjutkan")
ALL_UNITS = "*"

_AXIS_WORDS = {k: v for k, v in talent.KINERJA_WORDS.items()}
SCHEMA = Schema(
    name=RULE_SET,
    facts=(
        Fact("year", "number", style="plain"), Fact("pns", "bool"),
        Fact("jp", "number", decimals=0), Fact("jp_target", "number", decimals=0),
        Fact("jp_short", "number", decimals=0), Fact("meets_target", "bool"),
        Fact("jp_training", "number", decimals=0), Fact("jp_mentoring", "number", decimals=0),
        Fact("jp_lain", "number", decimals=0),
        Fact("predikat", "text", tuple(PREDIKAT_2022)), Fact("predikat_rank", "number", style="int"),
        Fact("rating_hasil_kerja", "text", tuple(RATINGS)), Fact("rating_perilaku_kerja", "text", tuple(RATINGS)),
        Fact("kinerja_axis", "text", talent.KINERJA_LEVELS, labels=_AXIS_WORDS),
        Fact("potensi_level", "text", talent.POTENSI_LEVELS, labels=talent.POTENSI_WORDS),
        Fact("talent_box", "number", style="int"),
        Fact("developed_last_12_months", "bool"), Fact("months_since_development", "number", style="int"),
        Fact("is_mentee", "bool"), Fact("is_mentor", "bool"), Fact("mentees", "number", style="int"),
        Fact("mentees_measured", "number", style="int"), Fact("mentees_improved", "number", style="int"),
        Fact("mentees_improved_share", "number", style="pct"), Fact("mentee_change", "number"),
        Fact("years_of_service", "number", style="int"), Fact("unit_type", "text"),
        Fact("programs_available", "number", style="int"),
    ),
    outcome_key="suggestion",
    outcomes=tuple(SUGGESTIONS),
    require_fallback=False,
    extras=(("priority", tuple(PRIORITIES)),),
)


def parse_plan_rules(text: str, source: str = "") -> RuleSet:
    """A development-plan rule set from TOML text, checked against :data:`SCHEMA`.

    Examples
    --------
    >>> rules = parse_plan_rules(DEFAULT_PLAN_RULES.read_text(encoding="utf-8"), "default")
    >>> [r.id for r in rules.rules][:3]
    ['kinerja_rendah_tanpa_pengembangan', 'kinerja_rendah', 'jp_kurang']
    """
    return parse_rules(text, SCHEMA, source)


def default_plan_rules() -> RuleSet:
    """The shipped rules (``default_plan_rules.toml``), with the source ``"default"``.

    Examples
    --------
    >>> [r.extra("priority") for r in default_plan_rules().rules][:3]
    ['tinggi', 'sedang', 'sedang']
    """
    return parse_rules(DEFAULT_PLAN_RULES.read_text(encoding="utf-8"), SCHEMA, DEFAULT_SOURCE)


def load_plan_rules(path: str | Path | None = None) -> RuleSet:
    """The rules of a TOML file, or the shipped ones when ``path`` is None.

    Examples
    --------
    >>> load_plan_rules().source
    'default'
    """
    return default_plan_rules() if path is None else read_rules(path, SCHEMA)


# --------------------------------------------------------------------------- the best evidence per unit type


def _ranked(card, unit: str) -> list[dict]:
    """The programs of a scorecard with good evidence, best first."""
    rows = []
    for c in card.programs:
        if c.recommendation not in GOOD_EVIDENCE:
            continue
        b, lv = c.levels.get("behaviour") or {}, c.levels.get("learning") or {}
        rows.append({"unit_type": unit, "program": c.program, "recommendation": c.recommendation, "rule": c.rule,
                     "behaviour_effect_ci_low": b.get("effect_ci_low"), "learning_effect_ci_low": lv.get("effect_ci_low"),
                     "n_participants": c.n_participants})

    def key(r):
        low = [-(v if v is not None and math.isfinite(v) else -math.inf)
               for v in (r["behaviour_effect_ci_low"], r["learning_effect_ci_low"])]
        return GOOD_EVIDENCE.index(r["recommendation"]), *low, r["program"]

    rows.sort(key=key)
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def _card(training: pd.DataFrame, appraisals: pd.DataFrame | None, rules: RuleSet, others: set[str]):
    """The follow-up scorecard of ``training``'s participants (L4 left out); with appraisals, the
    participants of other unit types (``others``) never serve as their comparison."""
    kinerja = None
    if appraisals is not None and len(appraisals):
        kinerja = appraisals[~appraisals["nip"].astype("str").isin(others)]
    return apply_rules(compute_levels(training, None, appraisals=kinerja), rules)


def best_programs(training: pd.DataFrame, appraisals: pd.DataFrame | None = None,
                  followup_rules: RuleSet | None = None) -> pd.DataFrame:
    """The programs with good evidence per unit type of their participants, and city-wide (``*``).

    Returns
    -------
    pandas.DataFrame
        ``unit_type`` (``*`` for every unit), ``rank``, ``program``, ``recommendation``, ``rule``,
        ``behaviour_effect_ci_low``, ``learning_effect_ci_low``, ``n_participants`` (module
        docstring: which programs and in which order).

    Examples
    --------
    >>> n = 40
    >>> rows = pd.DataFrame({"nip": [f"{i:018d}" for i in range(n)], "program": ["A"] * n,
    ...     "unit_kerja": ["Kantor Camat Medan Baru"] * n, "kelompok": ["peserta"] * n,
    ...     "nilai_pre": [60.0 + i % 7 for i in range(n)], "nilai_post": [66.0 + i % 5 for i in range(n)]})
    >>> best_programs(rows)[["unit_type", "rank", "program", "recommendation"]].values.tolist()
    [['*', 1, 'A', 'lanjutkan'], ['kecamatan', 1, 'A', 'lanjutkan']]
    """
    rules = followup_rules or default_followup_rules()
    columns = ["unit_type", "rank", "program", "recommendation", "rule", "behaviour_effect_ci_low",
               "learning_effect_ci_low", "n_participants"]
    if training is None or training.empty or "program" not in training or "unit_kerja" not in training:
        return pd.DataFrame(columns=columns)
    people = participants(training, ["program"])
    people = people[people["program"].notna()]
    if people.empty:
        return pd.DataFrame(columns=columns)
    types = unit_type(training["unit_kerja"])
    comparison = ~training.index.isin(people.index)
    rows = _ranked(_card(training, appraisals, rules, set()), ALL_UNITS)
    nips = training["nip"].astype("str") if "nip" in training else pd.Series("", index=training.index)
    for kind in sorted(types[people.index].dropna().unique()):
        mine = (types == kind).to_numpy()
        subset = training[mine & (types.notna().to_numpy())]
        others = set(nips[~mine & ~comparison]) - set(nips[mine])
        rows += _ranked(_card(subset, appraisals, rules, others), kind)
    return pd.DataFrame(rows, columns=columns)


def ranked_programs(evidence: pd.DataFrame) -> dict[str, list[str]]:
    """Unit type (``*`` for every unit) → its programs with good evidence, best first.

    Examples
    --------
    >>> ranked_programs(pd.DataFrame({"unit_type": ["*", "*", "puskesmas"], "rank": [2, 1, 1],
    ...                               "program": ["B", "A", "B"]}))
    {'*': ['A', 'B'], 'puskesmas': ['B']}
    """
    if evidence.empty:
        return {}
    ordered = evidence.sort_values(["unit_type", "rank"], kind="stable")
    return {str(k): list(g["program"]) for k, g in ordered.groupby("unit_type", sort=True)}


def programs_for(ranked: dict[str, list[str]], kind: str | None, attended: set[str],
                 top: int = TOP_PROGRAMS) -> tuple[list[str], str | None]:
    """The programs to name for an employee of unit type ``kind`` who attended ``attended``: the
    unit type's best (:func:`ranked_programs`), else the city-wide best (module docstring); and
    which list they come from (``unit_type``, ``all``, or None when there is none).

    Examples
    --------
    >>> ranked = {"*": ["A", "B"], "puskesmas": ["B"]}
    >>> programs_for(ranked, "puskesmas", set()), programs_for(ranked, "puskesmas", {"B"})
    ((['B'], 'unit_type'), (['A'], 'all'))
    >>> programs_for(ranked, "dinas", set()), programs_for(ranked, "dinas", {"A", "B"})
    ((['A', 'B'], 'all'), ([], None))
    """
    for scope, unit in (("unit_type", kind), ("all", ALL_UNITS)):
        names = [p for p in ranked.get(unit, []) if p not in attended] if unit is not None else []
        if names:
            return names[:top], scope
    return [], None


# --------------------------------------------------------------------------- facts per employee


def _months_between(earlier: pd.Timestamp, later: pd.Timestamp) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return int(months - (1 if later.day < earlier.day else 0))


def _last_development(activities: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, pd.Timestamp]:
    """Each person's latest development (its end, or its start without one) on or before ``as_of``."""
    done = activities[activities["start"] <= as_of]
    when = done["end"].where(done["end"].notna() & (done["end"] <= as_of), done["start"])
    return when.groupby(done["nip"]).max().to_dict()


def _num(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def employee_facts(row: dict, *, year: int, target: float, last: pd.Timestamp | None, as_of: pd.Timestamp,
                   mentor: dict | None, is_mentee: bool, programs_available: int) -> dict[str, Any]:
    """The facts of :data:`SCHEMA` for one employee (a row of the JP table with the talent placement).

    Examples
    --------
    >>> row = {"pns": True, "jp": 8.0, "jp_training": 8.0, "jp_mentoring": 0.0, "jp_lain": 0.0,
    ...        "meets_target": False, "predikat": "Butuh Perbaikan", "predikat_rank": 3.0,
    ...        "kinerja_axis": "di_bawah", "tmt_year": 2015.0, "unit_type": "kecamatan"}
    >>> f = employee_facts(row, year=2025, target=20.0, last=pd.Timestamp("2024-06-30"),
    ...                    as_of=pd.Timestamp("2025-12-31"), mentor=None, is_mentee=False, programs_available=2)
    >>> f["jp_short"], f["developed_last_12_months"], f["months_since_development"], f["years_of_service"]
    (12.0, False, 18, 10)
    """
    jp = float(row.get("jp") or 0.0)
    meets = row.get("meets_target")
    recent = None if last is None else bool(last > as_of - pd.DateOffset(months=12))
    mentor = mentor or {}
    tmt = _num(row.get("tmt_year"))

    def text(key):
        v = row.get(key)
        return v if isinstance(v, str) and v else None

    return {
        "year": int(year), "pns": bool(row.get("pns")), "jp": jp, "jp_target": float(target),
        "jp_short": max(float(target) - jp, 0.0), "meets_target": None if meets is None or meets is pd.NA else bool(meets),
        "jp_training": float(row.get("jp_training") or 0.0), "jp_mentoring": float(row.get("jp_mentoring") or 0.0),
        "jp_lain": float(row.get("jp_lain") or 0.0),
        "predikat": text("predikat"), "predikat_rank": _num(row.get("predikat_rank")),
        "rating_hasil_kerja": text("rating_hasil_kerja"), "rating_perilaku_kerja": text("rating_perilaku_kerja"),
        "kinerja_axis": text("kinerja_axis"), "potensi_level": text("potensi_level"),
        "talent_box": _num(row.get("talent_box")),
        "developed_last_12_months": bool(recent) if recent is not None else False,
        "months_since_development": None if last is None else _months_between(last, as_of),
        "is_mentee": bool(is_mentee), "is_mentor": bool(mentor), "mentees": int(mentor.get("mentees") or 0),
        "mentees_measured": int(mentor.get("mentees_measured") or 0),
        "mentees_improved": int(mentor.get("mentees_improved") or 0),
        "mentees_improved_share": _num(mentor.get("improved_share")), "mentee_change": _num(mentor.get("mean_change")),
        "years_of_service": None if tmt is None else int(year - tmt), "unit_type": text("unit_type"),
        "programs_available": int(programs_available),
    }


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    """The development plan of a year: per employee the facts, the suggestions and the priority."""

    year: int
    target: float
    as_of: pd.Timestamp
    rules: RuleSet
    employees: tuple[dict, ...]
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    talent: dict = field(default_factory=dict)

    def to_dict(self, *, with_facts: bool = False) -> dict:
        """``{"year", "target", "as_of", "rules", "talent", "employees": [{"nip", "nama", "unit_kerja",
        "kecamatan", "unit_type", "priority", "suggestions": [{"rule", "suggestion", "priority",
        "reason_id", "reason_en", "programs"?, "programs_scope"?}]}]}`` (what ``python -m analysis
        plan --json`` prints)."""
        people = []
        for e in self.employees:
            item = {k: e[k] for k in ("nip", "nama", "unit_kerja", "kecamatan", "unit_type", "priority", "suggestions")}
            if with_facts:
                item["facts"] = e["facts"]
            people.append(item)
        return {"year": self.year, "target": self.target, "as_of": self.as_of.date().isoformat(),
                "rules": self.rules.to_dict(), "talent": {k: v for k, v in self.talent.items() if k != "table"},
                "employees": people}


def _suggestions(rules: RuleSet, facts: dict, programs: list[str], scope: str | None) -> list[dict]:
    out = []
    for m in evaluate_all(rules, facts):
        item = {"rule": m.rule.id, "suggestion": m.outcome, "priority": m.rule.extra("priority"),
                "reason_id": m.reason_id, "reason_en": m.reason_en}
        if m.outcome == PROGRAM_SUGGESTION:
            item["programs"] = list(programs)
            item["programs_scope"] = scope
        out.append(item)
    return out


def priority_of(suggestions: list[dict]) -> str | None:
    """The highest priority among the suggestions (:data:`PRIORITIES`), None without any.

    Examples
    --------
    >>> priority_of([{"priority": "rendah"}, {"priority": "sedang"}]), priority_of([])
    ('sedang', None)
    """
    found = [s["priority"] for s in suggestions if s.get("priority") in PRIORITIES]
    return max(found, key=lambda p: PRIORITIES[p][2]) if found else None


def development_plan(appraisals: pd.DataFrame, training: pd.DataFrame | None = None,
                     mentoring: pd.DataFrame | None = None, other: pd.DataFrame | None = None, *,
                     year: int | None = None, target: float = 20.0, per_session: float = 2.0,
                     rules: RuleSet | None = None, followup_rules: RuleSet | None = None,
                     lag_months: int = 0) -> Plan:
    """The development plan of every employee appraised in ``year`` (default: the latest year).

    Parameters
    ----------
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows: the employees, their predikat and potensi.
    training, mentoring, other : pandas.DataFrame, optional
        Accepted ``training``, ``mentoring`` and ``jp_lain`` rows.
    year : int, optional
    target, per_session : float
        ``EVALUASI_JP_TARGET`` and ``EVALUASI_MENTORING_JP_PER_SESSION``.
    rules : RuleSet, optional
        The plan rules (default: the shipped ones).
    followup_rules : RuleSet, optional
        The follow-up rules that judge the programs' evidence (default: the shipped ones).
    lag_months : int
        Months after a mentoring's end before its mentees' *after* period may start.

    Returns
    -------
    Plan
        ``as_of`` is the end of the latest appraisal period of the year: "the last 12 months" end there.

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001"], "periode": ["2025"] * 2,
    ...                         "predikat_kinerja": ["Butuh Perbaikan", "Baik"]})
    >>> plan = development_plan(kinerja)
    >>> [(e["nip"][-4:], e["priority"], [s["rule"] for s in e["suggestions"]]) for e in plan.employees]
    [('1003', 'tinggi', ['kinerja_rendah_tanpa_pengembangan', 'jp_kurang']), ('2001', 'sedang', ['jp_kurang'])]
    """
    rules = rules or default_plan_rules()
    year = choose_year(appraisals, year)
    people = staff(appraisals, year)
    acts = development(training, mentoring, other, per_session=per_session)
    table = talent.place(jp_table(people, acts, year, target))
    as_of = pd.Timestamp(people["period_end"].max())
    last = _last_development(acts, as_of)
    has_pairs = mentoring is not None and len(mentoring) > 0
    mentors = {}
    if has_pairs:
        summary = mentor_summary(mentee_outcomes(mentoring, appraisals, lag_months))
        mentors = {r["mentor_nip"]: r for r in summary.to_dict("records")}
    mentees = set(mentoring["mentee_nip"].astype("str")) if has_pairs else set()
    evidence = best_programs(training, appraisals, followup_rules) if training is not None else best_programs(None)
    ranked = ranked_programs(evidence)
    attended = acts[acts["source"] == "training"].groupby("nip")["name"].agg(set).to_dict()
    employees = []
    for row in table.to_dict("records"):
        nip = str(row["nip"])
        programs, scope = programs_for(ranked, row.get("unit_type"), attended.get(nip, set()))
        facts = employee_facts(row, year=year, target=target, last=last.get(nip), as_of=as_of, mentor=mentors.get(nip),
                               is_mentee=nip in mentees, programs_available=len(programs))
        suggestions = _suggestions(rules, facts, programs, scope)
        employees.append({"nip": nip, "nama": row.get("nama"), "unit_kerja": row.get("unit_kerja"),
                          "kecamatan": row.get("kecamatan"), "unit_type": row.get("unit_type"),
                          "priority": priority_of(suggestions), "suggestions": suggestions, "facts": facts})
    counts = talent.box_counts(table)
    return Plan(int(year), float(target), as_of, rules, tuple(employees), evidence, counts)


def plan_table(plan: Plan, lang: str = "id") -> pd.DataFrame:
    """One row per employee and suggestion (employees without any left out), highest priority
    first, in the reader's language: the display and the workbook's main sheet.

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003"], "nama": ["Ani"], "periode": ["2025"],
    ...                         "predikat_kinerja": ["Baik"]})
    >>> plan_table(development_plan(kinerja), "en")[["nip", "priority", "suggestion", "rule"]].values.tolist()
    [['198503122010011003', 'Medium', 'Take a development program', 'jp_kurang']]
    """
    i = 1 if lang == "en" else 0
    rows = []
    for e in plan.employees:
        for s in e["suggestions"]:
            rows.append({"nip": e["nip"], "nama": e["nama"], "unit_kerja": e["unit_kerja"], "kecamatan": e["kecamatan"],
                         "_weight": PRIORITIES[e["priority"]][2], "priority": PRIORITIES[e["priority"]][i],
                         "suggestion": SUGGESTIONS.get(s["suggestion"], (s["suggestion"],) * 2)[i],
                         "suggestion_priority": PRIORITIES[s["priority"]][i],
                         "reason": s["reason_en" if lang == "en" else "reason_id"],
                         "programs": "; ".join(s.get("programs") or []), "rule": s["rule"]})
    columns = ["nip", "nama", "unit_kerja", "kecamatan", "priority", "suggestion", "suggestion_priority", "reason",
               "programs", "rule"]
    if not rows:
        return pd.DataFrame(columns=columns, dtype="str")
    frame = pd.DataFrame(rows).sort_values(["_weight", "unit_kerja", "nip"], ascending=[False, True, True],
                                           kind="stable")
    return frame[columns].reset_index(drop=True)


def priority_counts(plan: Plan, by: str = "unit_kerja") -> pd.DataFrame:
    """How many employees have each priority, per ``by`` (``unit_kerja`` or ``kecamatan``).

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001"], "periode": ["2025"] * 2,
    ...     "unit_kerja": ["Dinas Sosial"] * 2, "predikat_kinerja": ["Butuh Perbaikan", "Baik"]})
    >>> priority_counts(development_plan(kinerja)).values.tolist()
    [['Dinas Sosial', 1, 1, 0, 0, 2]]
    """
    frame = pd.DataFrame([{by: e.get(by), "priority": e["priority"] or "none"} for e in plan.employees])
    columns = [*PRIORITIES, "none"]
    if frame.empty:
        return pd.DataFrame(columns=[by, *columns, "total"])
    table = pd.crosstab(frame[by].fillna("–"), frame["priority"]).reindex(columns=columns, fill_value=0)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().astype({c: "int64" for c in [*columns, "total"]})

