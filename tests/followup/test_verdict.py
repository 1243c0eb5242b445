"""The verdict per Kirkpatrick level: each state reached, the counts and designs behind it, L1
against the middle of the scale, and a verdict computed from real levels (the evidence engine's
strongest design per program)."""

from __future__ import annotations

import pytest

from analysis.followup.scorecard import compute_levels
from analysis.followup.verdict import (
    counts_text,
    design_text,
    level_verdicts,
    program_reading,
    verdict_label,
    verdict_of,
)
from apptest_helpers import training_frame


def _level(status, n=40, design="before_after"):
    return {"status": status, "n": n, "design": design}


@pytest.mark.parametrize("statuses, expected", [
    (["increase"] * 8 + ["not_significant"] * 4, "naik"),           # 8 of 12 decided rose
    (["increase"] * 2 + ["not_significant"] * 2, "naik"),           # half of the decided is enough
    (["increase"] * 1 + ["not_significant"] * 11, "belum_terbukti"),
    (["decrease"] * 3 + ["not_significant"] * 2, "turun"),
    (["increase", "decrease"], "belum_terbukti"),                  # a tie proves nothing
    (["underpowered"] * 5, "data_belum_cukup"),                     # nothing decided
    (["not_significant"] + ["underpowered"] * 4, "data_belum_cukup"),  # most cannot be decided
    (["increase"] * 3 + ["underpowered"] * 9, "naik"),              # proven where decidable; the count says 3
    ([], "data_belum_cukup"),
])
def test_each_verdict_state(statuses, expected):
    levels = {f"P{i}": {"learning": _level(s)} for i, s in enumerate(statuses)}
    v = level_verdicts(levels)[0]
    assert v.level == "learning" and v.verdict == expected and v.programs == len(statuses)


def test_counts_and_designs_are_said_in_words():
    levels = {"A": {"behaviour": _level("increase", design="difference_in_differences")},
              "B": {"behaviour": _level("increase")}, "C": {"behaviour": _level("underpowered", n=5)},
              "D": {"behaviour": None}}
    v = level_verdicts(levels)[1]
    assert (v.verdict, v.programs, v.counts) == ("naik", 3, {"increase": 2, "decrease": 0, "not_significant": 0,
                                                              "too_little": 1})
    assert counts_text(v) == "2 naik signifikan · 1 data belum cukup dari 3 program"
    assert design_text(v, "en") == "1 against a comparison group, 2 before/after only"
    assert verdict_label(v, "en") == "Proven gain"


def test_reaction_is_read_against_the_middle_of_the_scale():
    # means with 95% CIs: 4.2 [4.0; 4.4] above 3; 2.1 [1.8; 2.4] below; 3.1 [2.8; 3.4] around it
    assert program_reading("reaction", {"ci_low": 4.0, "ci_high": 4.4, "n": 30}) == "increase"
    assert program_reading("reaction", {"ci_low": 1.8, "ci_high": 2.4, "n": 30}) == "decrease"
    assert program_reading("reaction", {"ci_low": 2.8, "ci_high": 3.4, "n": 30}) == "not_significant"
    assert program_reading("reaction", {"ci_low": 4.0, "ci_high": 4.4, "n": 9}) == "too_little"
    v = level_verdicts({"A": {"reaction": {"ci_low": 4.0, "ci_high": 4.4, "n": 30, "design": "descriptive"}}})[3]
    assert (v.level, v.verdict, verdict_label(v)) == ("reaction", "naik", "Terbukti puas")


def test_an_untested_change_counts_as_too_little_data():
    """L4 without units to compare with is a before/after change without a test ("descriptive")."""
    assert program_reading("results", {"status": "descriptive", "design": "before_after"}) == "too_little"
    assert program_reading("results", {"status": "no_estimate"}) is None


def test_verdict_of_known_levels_uses_the_comparison_group():
    """Two programs of 40 gain about 6 points on the test; 40 comparison staff gain about 2 on
    performance as the participants gain 3: the performance design is the difference in
    differences for both programs."""
    rows = training_frame({"A": 40, "B": 40}, comparison=40, gain=6.0)
    table = compute_levels(rows)
    v = {x.level: x for x in level_verdicts(table.levels)}
    assert v["learning"].verdict == "naik" and v["learning"].counts["increase"] == 2
    assert v["behaviour"].designs == {"difference_in_differences": 2}
    assert v["results"].programs == 0 and v["results"].verdict == "data_belum_cukup"


def test_bad_level_is_named():
    with pytest.raises(ValueError, match="level must be one of"):
        program_reading("attitude", {})
    assert verdict_of({"increase": 1}) == "naik"
