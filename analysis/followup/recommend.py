"""The recommendation per program: the facts the rules read, their schema, the default rules.

The five recommendations (:data:`RECOMMENDATIONS`): ``lanjutkan`` (continue), ``kembangkan``
(expand), ``perbaiki`` (revise), ``hentikan`` (stop), ``data_belum_cukup`` (not enough data to
decide). The rules that choose one are data: ``default_rules.toml`` beside this module as shipped
(why each default is what it is: docs/method.md §20), or the version an administrator saved
(:mod:`store.rulesets`, under the name :data:`RULE_SET`). :data:`SCHEMA` lists the facts a rule may
name — per level (``reaction``, ``learning``, ``behaviour``, ``results``) its ``status``, ``n``,
``estimate``, ``ci_low``, ``ci_high``, ``p_adjusted``, ``design`` and ``flags``; the standardised
``effect`` with its CI and ``mde`` for learning and behaviour; ``share_high`` for reaction;
``n_units`` for results; and ``n_participants``. A level without data has ``status = "no_data"``,
``n = 0``, ``design = "none"`` and no numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.followup.levels import LEVELS
from analysis.rules.engine import Fact, Match, RuleSet, Schema, evaluate, parse_rules, read_rules

#: The name the follow-up rule set is stored under.
RULE_SET = "followup"
#: The numbers of the default rules (``default_rules.toml`` writes them out; a test checks they agree):
#: fewer pairs than this on both L2 and L3 decide nothing (the evidence engine's ``small_n``) …
MIN_PAIRS = 10
#: … and a standardised effect whose 95% CI lies within ±0.2 — Cohen's (1988) "small" — is negligible.
NEGLIGIBLE = 0.2
#: The rules shipped with the product.
DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")

#: Recommendation → (Indonesian, English) words and an icon, in the order a meeting reads them
#: (what needs action first).
RECOMMENDATIONS: dict[str, tuple[str, str, str]] = {
    "hentikan": ("Hentikan", "Stop", "⛔"),
    "perbaiki": ("Perbaiki", "Revise", "🔧"),
    "data_belum_cukup": ("Data belum cukup", "Not enough data", "⏳"),
    "lanjutkan": ("Lanjutkan", "Continue", "✅"),
    "kembangkan": ("Kembangkan", "Expand", "⏫"),
}

STATUS_WORDS = {
    "increase": ("naik signifikan", "significant increase"),
    "decrease": ("turun signifikan", "significant decrease"),
    "not_significant": ("tidak berubah signifikan", "no significant change"),
    "underpowered": ("data terlalu sedikit untuk menyimpulkan", "too little data to conclude"),
    "no_estimate": ("tanpa perkiraan", "no estimate"),
    "descriptive": ("deskriptif, tanpa uji", "descriptive, untested"),
    "no_data": ("tidak ada data", "no data"),
}
DESIGN_WORDS = {
    "before_after": ("sebelum–sesudah", "before/after"),
    "difference_in_differences": ("selisih-dalam-selisih", "difference in differences"),
    "descriptive": ("deskriptif", "descriptive"),
    "none": ("tidak ada data", "no data"),
}
NO_DATA = "no_data"


def _level_facts(level: str) -> list[Fact]:
    facts = [
        Fact(f"{level}.status", "text", tuple(STATUS_WORDS), labels=STATUS_WORDS),
        Fact(f"{level}.n", "number", style="int"),
        Fact(f"{level}.estimate", "number"),
        Fact(f"{level}.ci_low", "number"),
        Fact(f"{level}.ci_high", "number"),
        Fact(f"{level}.p_adjusted", "number", style="p"),
        Fact(f"{level}.design", "text", tuple(DESIGN_WORDS), labels=DESIGN_WORDS),
        Fact(f"{level}.flags", "list"),
    ]
    if level in ("learning", "behaviour"):
        facts += [Fact(f"{level}.effect", "number"), Fact(f"{level}.effect_ci_low", "number"),
                  Fact(f"{level}.effect_ci_high", "number"), Fact(f"{level}.mde", "number")]
    if level == "reaction":
        facts.append(Fact("reaction.share_high", "number", style="pct"))
    if level == "results":
        facts.append(Fact("results.n_units", "number", style="int"))
    return facts


#: What the follow-up rules may name, and the outcomes they may give.
SCHEMA = Schema(
    name=RULE_SET,
    facts=(Fact("n_participants", "number", style="int"), *(f for lv in LEVELS for f in _level_facts(lv))),
    outcome_key="recommendation",
    outcomes=tuple(RECOMMENDATIONS),
)


def parse_followup_rules(text: str, source: str = "") -> RuleSet:
    """A follow-up rule set from TOML text, checked against :data:`SCHEMA`.

    Examples
    --------
    >>> rules = parse_followup_rules(DEFAULT_RULES.read_text(encoding="utf-8"), "default")
    >>> rules.rules[0].id, rules.rules[-1].when
    ('too_few_pairs', ())
    """
    return parse_rules(text, SCHEMA, source)


#: The ``source`` of the shipped rules.
DEFAULT_SOURCE = "default"


def default_rules() -> RuleSet:
    """The shipped rules (``default_rules.toml``), with the source ``"default"``.

    Examples
    --------
    >>> rules = default_rules()
    >>> rules.source, [r.outcome for r in rules.rules][:3]
    ('default', ['data_belum_cukup', 'hentikan', 'hentikan'])
    """
    return parse_rules(DEFAULT_RULES.read_text(encoding="utf-8"), SCHEMA, DEFAULT_SOURCE)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The rules of a TOML file, or the shipped ones when ``path`` is None.

    Examples
    --------
    >>> load_rules().source
    'default'
    """
    return default_rules() if path is None else read_rules(path, SCHEMA)


def facts_of(n_participants: int, levels: dict[str, dict | None]) -> dict[str, Any]:
    """The facts of one program for the rules: every fact of :data:`SCHEMA`.

    Examples
    --------
    >>> f = facts_of(12, {"learning": {"status": "increase", "n": 12, "estimate": 5.0, "flags": ["small_n"]}})
    >>> f["learning.status"], f["learning.n"], f["learning.ci_low"], f["behaviour.status"], f["behaviour.n"]
    ('increase', 12, None, 'no_data', 0)
    """
    out: dict[str, Any] = {"n_participants": n_participants}
    for fact in SCHEMA.facts:
        if fact.name == "n_participants":
            continue
        level, key = fact.name.split(".", 1)
        value = (levels.get(level) or None)
        if value is None:
            out[fact.name] = {"status": NO_DATA, "n": 0, "design": "none", "flags": []}.get(key)
        else:
            out[fact.name] = list(value.get("flags") or []) if key == "flags" else value.get(key)
    return out


def recommend(rules: RuleSet, n_participants: int, levels: dict[str, dict | None]) -> Match:
    """The first rule that holds for a program, with its reasons.

    Examples
    --------
    >>> m = recommend(default_rules(), 3, {"learning": {"status": "increase", "n": 3}})
    >>> m.rule.id, m.outcome
    ('too_few_pairs', 'data_belum_cukup')
    """
    match = evaluate(rules, facts_of(n_participants, levels))
    if match is None:  # parse_rules guarantees a last rule without conditions
        raise ValueError(f"rules must end with a rule without conditions, got {[r.id for r in rules.rules]}")
    return match


def recommendation_label(code: str, lang: str = "id", *, icon: bool = True) -> str:
    """The words for a recommendation, with its icon.

    Examples
    --------
    >>> recommendation_label("perbaiki"), recommendation_label("kembangkan", "en", icon=False)
    ('🔧 Perbaiki', 'Expand')
    """
    words = RECOMMENDATIONS.get(code)
    if words is None:
        return str(code)
    text = words[1 if lang == "en" else 0]
    return f"{words[2]} {text}" if icon else text
