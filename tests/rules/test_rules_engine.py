"""The rules engine (analysis/rules/engine.py) with the follow-up schema and its default rules:
each default rule fires on a case built for it, the order of the rules decides, a condition on a
missing value does not hold, and a bad rule file is refused with the rule and the field named."""

from __future__ import annotations

import pytest

from analysis.core.errors import AnalysisError
from analysis.followup.recommend import DEFAULT_RULES, SCHEMA, default_rules, facts_of, parse_followup_rules
from analysis.rules.engine import Condition, Fact, Schema, condition_text, evaluate, parse_rules, rule_table

BAND = 0.2  # the negligible band of the default rules (Cohen 1988: "small")


def level(status: str, n: int, **values) -> dict:
    """A level as analysis.followup.levels writes it (only what a case needs)."""
    return {"status": status, "n": n, "design": values.pop("design", "before_after"), "flags": [], **values}


def narrow(estimate: float = 0.0, half: float = 0.1) -> dict:
    """A standardised effect whose 95% CI is estimate ± half."""
    return {"effect": estimate, "effect_ci_low": estimate - half, "effect_ci_high": estimate + half}


WIDE = narrow(0.1, 0.4)  # a CI reaching outside the band: not a precise null

# One case per default rule: the levels a program would have for exactly that rule to fire first.
CASES = {
    "too_few_pairs": {"learning": level("increase", 8, **WIDE), "behaviour": level("underpowered", 6, **WIDE)},
    "harm_behaviour": {"learning": level("increase", 50, **WIDE),
                       "behaviour": level("decrease", 40, design="difference_in_differences", estimate=-2.0,
                                          ci_low=-3.0, ci_high=-1.0, p_adjusted=0.001, **narrow(-0.5, 0.2))},
    "harm_learning": {"learning": level("decrease", 60, **narrow(-0.6, 0.2)), "behaviour": None},
    "precise_null": {"learning": level("not_significant", 400, **narrow(0.0, 0.1)),
                     "behaviour": level("not_significant", 400, **narrow(0.05, 0.1))},
    "negligible_behaviour": {"learning": level("increase", 200, **narrow(0.8, 0.15)),
                             "behaviour": level("not_significant", 300, **narrow(0.0, 0.12))},
    "scale_up": {"learning": level("increase", 100, **narrow(0.9, 0.2)),
                 "behaviour": level("increase", 100, design="difference_in_differences", **narrow(0.6, 0.3)),
                 "results": level("not_significant", 800, design="difference_in_differences", estimate=0.8,
                                  n_units=12)},
    "gain_behaviour": {"learning": None,
                       "behaviour": level("increase", 100, design="before_after", **narrow(0.6, 0.3)),
                       "results": level("not_significant", 800, estimate=1.0, design="difference_in_differences")},
    "learning_not_behaviour": {"learning": level("increase", 100, **narrow(0.9, 0.2)),
                               "behaviour": level("not_significant", 60, **narrow(0.1, 0.45))},
    "gain_learning": {"learning": level("increase", 40, **narrow(0.9, 0.3)),
                      "behaviour": level("underpowered", 20, **narrow(0.3, 0.6))},
    "negligible_learning": {"learning": level("not_significant", 300, **narrow(0.02, 0.12)), "behaviour": None},
    "no_gain_behaviour": {"learning": level("underpowered", 12, **narrow(0.4, 0.6)),
                          "behaviour": level("not_significant", 80, **narrow(0.1, 0.3))},
    "no_gain_learning": {"learning": level("not_significant", 60, **narrow(0.1, 0.26)), "behaviour": None},
    "not_enough_evidence": {"learning": level("underpowered", 20, **narrow(0.3, 0.5)),
                            "behaviour": level("underpowered", 25, **narrow(0.2, 0.45))},
}


def test_every_default_rule_has_a_case_and_the_cases_cover_all_five_recommendations():
    rules = default_rules()
    assert [r.id for r in rules.rules] == list(CASES)  # the order written in default_rules.toml
    assert {r.outcome for r in rules.rules} == {"lanjutkan", "kembangkan", "perbaiki", "hentikan", "data_belum_cukup"}
    assert rules.source == "default"
    assert parse_followup_rules(DEFAULT_RULES.read_text(encoding="utf-8")).rules == rules.rules


@pytest.mark.parametrize("rule_id", list(CASES))
def test_each_default_rule_fires_on_its_case(rule_id):
    levels = CASES[rule_id]
    match = evaluate(default_rules(), facts_of(100, levels))
    assert match.rule.id == rule_id
    assert match.reason_id and match.reason_en
    assert "{" not in match.reason_id and "{" not in match.reason_en  # every placeholder filled


def test_reasons_name_the_numbers_that_decided():
    m = evaluate(default_rules(), facts_of(10, CASES["too_few_pairs"]))
    assert m.reason_id.startswith("Pasangan sebelum–sesudah terlalu sedikit untuk memutuskan: pengetahuan (L2) 8, "
                                  "kinerja (L3) 6")
    assert "knowledge (L2) 8, performance (L3) 6" in m.reason_en
    m = evaluate(default_rules(), facts_of(400, CASES["precise_null"]))
    # learning CI 0.0 ± 0.1 and behaviour 0.05 ± 0.1, written with two decimals in each language
    assert "-0,10 s.d. 0,10 (n = 400)" in m.reason_id and "-0,05 s.d. 0,15" in m.reason_id
    assert "-0.10 to 0.10 (n = 400)" in m.reason_en
    m = evaluate(default_rules(), facts_of(40, CASES["harm_behaviour"]))
    assert "p terkoreksi 0,0010" in m.reason_id and "desain sebelum–sesudah" not in m.reason_id
    assert "design difference in differences" in m.reason_en
    checks = {c.fact: v for c, v in m.checks}
    assert checks == {"behaviour.status": "decrease", "behaviour.n": 40}


def test_a_level_without_data_is_no_data_not_a_failure():
    f = facts_of(30, {"learning": level("increase", 30, **narrow(0.9, 0.3))})
    assert f["behaviour.status"] == "no_data" and f["behaviour.n"] == 0 and f["behaviour.design"] == "none"
    assert f["results.estimate"] is None and f["reaction.flags"] == []
    m = evaluate(default_rules(), f)
    assert m.rule.id == "gain_learning"  # no L3 data: judged on L2, not marked as a behaviour failure
    assert "Kinerja (L3) belum dapat dinilai: tidak ada data (n = 0)." in m.reason_id


def test_order_matters_the_first_matching_rule_wins():
    # A program with a significant L2 gain on 8 pairs: "too few pairs" before "gain" ...
    levels = {"learning": level("increase", 8, **WIDE), "behaviour": None}
    assert evaluate(default_rules(), facts_of(8, levels)).rule.id == "too_few_pairs"
    # ... and the same rules with the two swapped give "continue".
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    blocks = text.split("[[rules]]")
    head, rules = blocks[0], blocks[1:]
    ids = [b.split('id = "')[1].split('"')[0] for b in rules]
    relaxed = [b.replace('{ fact = "learning.n", ge = 10 },', "") if ids[i] == "gain_learning" else b
               for i, b in enumerate(rules)]
    gain = relaxed.pop(ids.index("gain_learning"))
    swapped = head + "[[rules]]" + "[[rules]]".join([gain] + relaxed)
    m = evaluate(parse_followup_rules(swapped, "swapped"), facts_of(8, levels))
    assert (m.rule.id, m.outcome) == ("gain_learning", "lanjutkan")


def test_a_condition_on_a_missing_value_does_not_hold_except_missing():
    assert not Condition("x", "lt", 10).holds(None)
    assert not Condition("x", "ne", 10).holds(float("nan"))
    assert Condition("x", "missing", True).holds(None) and not Condition("x", "missing", True).holds(3)
    assert Condition("x", "missing", False).holds(0)
    assert Condition("f", "contains", "small_n").holds(["small_n"])
    assert Condition("f", "not_contains", "small_n").holds(None)
    assert Condition("s", "in", ("a", "b")).holds("b") and Condition("s", "not_in", ("a", "b")).holds("c")
    assert Condition("x", "ge", -0.2).holds(-0.2) and not Condition("x", "gt", -0.2).holds(-0.2)


# --------------------------------------------------------------------------- bad rule files

GOOD = """
rule_set = "followup"

[[rules]]
id = "harm"
recommendation = "hentikan"
when = [{ fact = "learning.status", eq = "decrease" }, { fact = "learning.n", ge = 10 }]
reason_id = "Turun: {learning.estimate}."
reason_en = "Fell: {learning.estimate}."

[[rules]]
id = "rest"
recommendation = "data_belum_cukup"
when = []
reason_id = "Belum cukup."
reason_en = "Not enough."
"""


def refusal(text: str) -> AnalysisError:
    with pytest.raises(AnalysisError) as err:
        parse_followup_rules(text, "test")
    assert err.value.code == "invalid_rules"
    return err.value


def test_the_good_file_parses():
    rules = parse_followup_rules(GOOD, "test")
    assert [r.id for r in rules.rules] == ["harm", "rest"]
    assert rules.to_dict()["rules"][0] == {
        "id": "harm", "recommendation": "hentikan",
        "when": [{"fact": "learning.status", "eq": "decrease"}, {"fact": "learning.n", "ge": 10}],
        "reason_id": "Turun: {learning.estimate}.", "reason_en": "Fell: {learning.estimate}."}


@pytest.mark.parametrize("old, new, rule, index, field, words", [
    ('fact = "learning.n"', 'fact = "learning.pairs"', "harm", 1, "when[2].fact", "unknown fact 'learning.pairs'; did you mean: "),
    ('ge = 10', 'ge = "ten"', "harm", 1, "when[2].ge", "a number"),
    ('eq = "decrease"', 'eq = "down"', "harm", 1, "when[1].eq", "an allowed value"),
    ('eq = "decrease"', 'lt = 3', "harm", 1, "when[1].lt", "does not apply"),
    ('recommendation = "hentikan"', 'recommendation = "stop"', "harm", 1, "recommendation", "must be one of hentikan"),
    ('reason_en = "Fell: {learning.estimate}."', 'reason_en = ""', "harm", 1, "reason_en", "no recommendation without"),
    ('{learning.estimate}."\n\n', '{learning.effectsize}."\n\n', "harm", 1, "reason_en", "learning.effect"),
    ('id = "rest"', 'id = "harm"', "harm", 2, "id", "used by another rule"),
    ('id = "harm"', 'id = "Harm Rule"', "Harm Rule", 1, "id", "lower-case"),
    ('when = [{ fact', 'whenn = [{ fact', "harm", 1, "whenn", "unknown key"),
    ('{ fact = "learning.n", ge = 10 }', '{ fact = "learning.n" }', "harm", 1, "when[2]", "no operator"),
])
def test_a_bad_rule_names_the_rule_and_the_field(old, new, rule, index, field, words):
    assert old in GOOD
    err = refusal(GOOD.replace(old, new, 1))
    assert (err.details["rule"], err.details["index"], err.details["field"]) == (rule, index, field)
    assert f"rule '{rule}' (no. {index}), field '{field}'" in err.message("en")
    assert f"aturan '{rule}' (no. {index}), isian '{field}'" in err.message("id")
    assert words in err.message("en")


def test_the_fallback_must_come_last_and_exist():
    no_fallback = GOOD.replace('when = []', 'when = [{ fact = "learning.n", lt = 10 }]')
    err = refusal(no_fallback)
    assert (err.details["rule"], err.details["field"]) == ("rest", "when")
    assert "the last rule must have no conditions" in err.message("en")
    early = GOOD.replace('when = [{ fact = "learning.status", eq = "decrease" }, { fact = "learning.n", ge = 10 }]',
                         "when = []")
    err = refusal(early)
    assert (err.details["rule"], err.details["field"]) == ("harm", "when")
    assert "could never fire" in err.message("en")


def test_top_level_problems_and_toml_syntax():
    assert refusal(GOOD.replace('rule_set = "followup"', 'rule_set = "rencana_pengembangan"')).details["field"] == "rule_set"
    assert refusal(GOOD.replace('rule_set = "followup"', 'ruleset = "followup"')).details["field"] == "ruleset"
    assert refusal('rule_set = "followup"').details["field"] == "rules"
    err = refusal(GOOD.replace('id = "rest"', 'id = "rest'))  # an unterminated string
    assert "not valid TOML" in err.message("en") and "line 12" in err.message("en")


def test_the_engine_is_generic():
    # Another decision, other facts and outcomes: the engine does not know about programs.
    schema = Schema("development_plan", (Fact("box", "number", style="int"), Fact("potensi", "text", ("rendah", "tinggi"))),
                    "action", ("promosi", "pelatihan"))
    rules = parse_rules("""
[[rules]]
id = "high_box"
action = "promosi"
when = [{ fact = "box", ge = 7 }, { fact = "potensi", eq = "tinggi" }]
reason_id = "Kotak {box}, potensi {potensi}."
reason_en = "Box {box}, potential {potensi}."
[[rules]]
id = "others"
action = "pelatihan"
reason_id = "Lainnya."
reason_en = "Others."
""", schema, "test")
    assert evaluate(rules, {"box": 9, "potensi": "tinggi"}).reason_en == "Box 9, potential tinggi."
    assert evaluate(rules, {"box": 9, "potensi": "rendah"}).outcome == "pelatihan"
    with pytest.raises(ValueError, match="unknown"):
        evaluate(rules, {"kotak": 9})
    assert rule_table(rules, "en")[0] == {"no": "1", "id": "high_box", "action": "promosi",
                                          "when": "box ≥ 9 and potensi = tinggi".replace("9", "7"),
                                          "reason": "Box {box}, potential {potensi}."}


def test_condition_text_in_both_languages():
    assert condition_text(Condition("learning.effect_ci_low", "ge", -0.2), SCHEMA) == "learning.effect_ci_low ≥ -0,2"
    assert condition_text(Condition("learning.n", "lt", 10), SCHEMA, 8, lang="en", with_value=True) == "learning.n < 10 (8)"
    assert condition_text(Condition("behaviour.status", "in", ("no_data", "underpowered")), SCHEMA) == \
        "behaviour.status ∈ [no_data, underpowered]"


# --------------------------------------------------------------------------- every match, and further keys


PLAN_LIKE = Schema("demo_plan", (Fact("jp", "number", style="int"), Fact("low", "bool")), "suggestion",
                   ("program", "priority_case"), require_fallback=False,
                   extras=(("priority", ("tinggi", "sedang", "rendah")),))
TWO_RULES = '''
[[rules]]
id = "short"
suggestion = "program"
priority = "sedang"
when = [{ fact = "jp", lt = 20 }]
reason_id = "JP {jp}."
reason_en = "JP {jp}."

[[rules]]
id = "low"
suggestion = "priority_case"
priority = "tinggi"
when = [{ fact = "low", eq = true }]
reason_id = "Rendah."
reason_en = "Low."
'''


def test_evaluate_all_returns_every_rule_that_holds_in_order():
    from analysis.rules.engine import evaluate_all

    rules = parse_rules(TWO_RULES, PLAN_LIKE)
    assert [m.rule.id for m in evaluate_all(rules, {"jp": 8, "low": True})] == ["short", "low"]
    assert [m.rule.id for m in evaluate_all(rules, {"jp": 30, "low": True})] == ["low"]
    assert evaluate_all(rules, {"jp": 30, "low": False}) == []
    assert evaluate(rules, {"jp": 8, "low": True}).rule.id == "short"  # first match: unchanged
    # without require_fallback the last rule may have conditions and nothing need hold
    assert [r.extra("priority") for r in rules.rules] == ["sedang", "tinggi"]
    assert rules.to_dict()["rules"][1]["priority"] == "tinggi"
    assert rule_table(rules, "en")[0]["priority"] == "sedang"


@pytest.mark.parametrize(("edit", "field", "words"), [
    (('priority = "sedang"\n', ''), "priority", "must be one of tinggi, sedang, rendah, found None"),
    (('priority = "sedang"', 'priority = "urgent"'), "priority", "found 'urgent'"),
])
def test_a_further_key_is_required_and_checked(edit, field, words):
    with pytest.raises(AnalysisError) as err:
        parse_rules(TWO_RULES.replace(*edit, 1), PLAN_LIKE)
    assert err.value.details["rule"] == "short" and err.value.details["field"] == field
    assert words in err.value.message("en")
