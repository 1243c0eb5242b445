"""The follow-up scorecard (analysis/followup): a file with a known truth gets the expected
recommendations; each level's numbers against hand computations; a level without data says so; L3
takes a person-level frame (the seam for an appraisal join); the display table."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis.followup.levels import behaviour_levels, reaction_levels, skp_pairs
from analysis.followup.scorecard import compute_levels, scorecard
from analysis.followup.table import level_text, scorecard_table
from analysis.core.jsonable import to_jsonable
from apptest_helpers import training_frame
from followup_truth import PROGRAMS, SURVEY, TRUTH, known_truth_feedback, known_truth_training


@pytest.fixture(scope="module")
def card():
    return scorecard(known_truth_training(), known_truth_feedback())


def test_the_known_truth_gets_the_expected_recommendations(card):
    got = {p.program: (p.recommendation, p.rule) for p in card.programs}
    assert got == TRUTH
    for p in card.programs:
        assert p.match.reason_id and p.match.reason_en  # never a recommendation without its reasons


def test_participants_are_counted_once_each(card):
    assert {p.program: p.n_participants for p in card.programs} == {k: v[0] for k, v in PROGRAMS.items()}


def test_learning_against_hand_computations(card):
    kuat = card.card("Kuat").levels["learning"]
    # Changes 13, 7, 10, 10 repeated 30 times: mean 10; squared deviations 9 + 9 + 0 + 0 = 18 per four,
    # 540 in all; SD = sqrt(540 / 119) = 2.130214; d_z = 10 / 2.130214 = 4.694364.
    assert kuat["estimate"] == pytest.approx(10.0, abs=1e-12)
    assert kuat["effect"] == pytest.approx(10 / math.sqrt(540 / 119), rel=1e-9)
    assert kuat["design"] == "before_after" and kuat["status"] == "increase" and kuat["n"] == 120
    nol = card.card("Nol").levels["learning"]
    # ±3 alternating: mean exactly 0; the noncentral-t CI of d_z is symmetric, about ±1.966/√400.
    assert nol["estimate"] == pytest.approx(0.0, abs=1e-12) and nol["effect"] == pytest.approx(0.0, abs=1e-12)
    assert nol["effect_ci_high"] == pytest.approx(-nol["effect_ci_low"], rel=1e-9)
    assert 0.09 < nol["effect_ci_high"] < 0.2  # inside the negligible band: a precise null


def test_behaviour_is_a_difference_in_differences_against_the_comparison_staff(card):
    kuat = card.card("Kuat").levels["behaviour"]
    # Participants change 6, 2, 4, 4 (mean 4), comparison staff 1.5, 0.5 (mean 1): DiD = 4 − 1 = 3.
    # Standardised by the participants' SD of change, sqrt(240 / 119) = 1.420143: 3 / 1.420143 = 2.112463.
    assert kuat["design"] == "difference_in_differences" and kuat["n"] == 120 and kuat["n_comparison"] == 300
    assert kuat["estimate"] == pytest.approx(3.0, abs=1e-12)
    assert kuat["effect"] == pytest.approx(3 / math.sqrt(240 / 119), rel=1e-9)
    assert kuat["effect_ci_low"] == pytest.approx(kuat["ci_low"] / math.sqrt(240 / 119), rel=1e-9)
    tahu = card.card("Tahu").levels["behaviour"]
    assert tahu["estimate"] == pytest.approx(0.0, abs=1e-12) and tahu["status"] == "not_significant"
    assert tahu["effect_ci_high"] > 0.2  # clusters differ: not a precise null
    assert "underpowered" not in tahu["flags"]  # 60 pairs detect d_z 0.5 with 80% power (34 needed)


def test_results_are_the_ikm_difference_in_differences_of_the_trained_units(card):
    kuat = card.card("Kuat").levels["results"]

    def ikm(units, round_):  # 25 × the mean answer: every respondent gives one answer to all nine elements
        answers = [a for u in units for a in SURVEY[u][round_]]
        return 25 * sum(answers) / len(answers)

    trained = [u for u in SURVEY if "Kuat" in u]
    others = [u for u in SURVEY if "Lain" in u]
    # Hand: trained 86/32 → 116/32 answers (2.6875 → 3.625), others 92/32 → 92/32: DiD = 0.9375 × 25 = 23.4375.
    did = (ikm(trained, 1) - ikm(trained, 0)) - (ikm(others, 1) - ikm(others, 0))
    assert did == 23.4375
    assert kuat["estimate"] == pytest.approx(did, rel=1e-12)
    assert kuat["design"] == "difference_in_differences" and kuat["n_units"] == 4
    assert kuat["ci_low"] < did < kuat["ci_high"] and "few_clusters" in kuat["flags"]
    assert kuat["ikm_before"] == pytest.approx(ikm(trained, 0)) and kuat["ikm_after"] == pytest.approx(ikm(trained, 1))
    nol = card.card("Nol")
    assert nol.levels["results"] is None and nol.missing["results"] == "no_trained_units_in_survey"


def test_reaction_mean_interval_and_share():
    levels = reaction_levels(known_truth_training())
    kuat = levels["Kuat"]
    # 4 and 5 alternating, 120 answers: mean 4.5, SD sqrt(30 / 119) = 0.502096; R: qt(0.975, 119) = 1.980100;
    # half-width 1.980100 × 0.502096 / sqrt(120) = 0.090757.
    assert kuat["estimate"] == 4.5 and kuat["n"] == 120 and kuat["share_high"] == 1.0
    assert kuat["ci_high"] - 4.5 == pytest.approx(0.090757, abs=2e-6)
    assert kuat["p_adjusted"] is None and kuat["design"] == "descriptive" and kuat["flags"] == []
    assert levels["Kecil"]["flags"] == ["small_n"]


def test_levels_without_data_are_null_not_failures():
    rows = training_frame({"Pelayanan Prima": 20}).drop(columns=["kinerja_sebelum", "kinerja_sesudah",
                                                                  "kepuasan_peserta"])
    table = compute_levels(rows)
    lv = table.levels["Pelayanan Prima"]
    assert lv["reaction"] is None and lv["behaviour"] is None and lv["results"] is None
    assert table.missing["Pelayanan Prima"] == {"results": "no_feedback"}
    assert lv["learning"]["n"] == 20
    out = scorecard(rows).to_dict()["programs"][0]
    assert out["levels"]["behaviour"] is None and out["levels"]["results"] is None
    assert level_text("behaviour", None, "id") == "– tidak ada data"


def test_behaviour_takes_a_person_level_frame(card):
    # The seam for an appraisal join: any frame with the pair columns replaces the SKP columns.
    training = known_truth_training()
    appraisal = skp_pairs(training).copy()
    kuat = (appraisal["program"] == "Kuat").to_numpy()
    appraisal.loc[kuat, "kinerja_sesudah"] = appraisal.loc[kuat, "kinerja_sebelum"] + 1.0  # as the comparison staff
    appraisal = appraisal[kuat | (appraisal["kelompok"] == "pembanding").to_numpy()]
    joined = scorecard(training, known_truth_feedback(), behaviour_pairs=appraisal)
    assert joined.card("Kuat").levels["behaviour"]["estimate"] == pytest.approx(0.0, abs=1e-12)
    assert joined.card("Nol").levels["behaviour"] is None  # not in the joined frame: no L3 data
    assert joined.card("Kuat").recommendation != "kembangkan"
    assert behaviour_levels(appraisal.iloc[:0], ["Kuat"]) == {"Kuat": None}


def test_ordered_predikat_has_no_standardised_effect():
    rows = training_frame({"Pelayanan Prima": 40}, comparison=10, ordinal=True)
    lv = compute_levels(rows).levels["Pelayanan Prima"]["behaviour"]
    assert lv["unit"] == "levels" and lv["effect"] is None and lv["design"] == "before_after"
    assert "comparison_not_used" in lv["flags"]


def test_the_json_of_a_program(card):
    out = to_jsonable(card.to_dict())
    json.dumps(out, allow_nan=False)
    assert set(out) == {"rules", "behaviour", "programs"} and set(out["rules"]) == {"source", "rules"}
    assert out["behaviour"]["source"] == "skp_columns"  # no appraisal export given: the SKP columns
    p = out["programs"][0]
    assert set(p) == {"program", "n_participants", "levels", "recommendation", "rule", "reasons_id", "reasons_en"}
    assert set(p["levels"]) == {"reaction", "learning", "behaviour", "results"}
    for level in p["levels"].values():
        if level is not None:
            assert {"estimate", "ci_low", "ci_high", "p_adjusted", "n", "design", "flags"} <= set(level)


def test_the_display_table(card):
    table = scorecard_table(card, "en")
    assert table.columns.tolist() == ["Program", "Participants", "Recommendation", "L1 Reaction", "L2 Learning",
                                      "L3 Behaviour", "L4 Results (IKM)", "Rule", "Reasons"]
    # sorted by recommendation: stop first, then revise, not enough data, continue, expand
    assert table["Program"].tolist() == ["Nol", "Rugi", "Tahu", "Kecil", "Kuat"]
    kuat = table.set_index("Program").loc["Kuat"]
    assert kuat["Recommendation"] == "⏫ Expand"
    assert kuat["L3 Behaviour"].startswith("▲ DiD +3.00 [")
    assert kuat["L4 Results (IKM)"].startswith("▲ DiD +23.44 [") and kuat["L4 Results (IKM)"].endswith("4 units")
    assert table.set_index("Program").loc["Nol", "L4 Results (IKM)"] == "– no data (participants' units not surveyed)"
    assert scorecard_table(card, "id", sort="program")["Program"].tolist() == sorted(PROGRAMS)
    decisions = pd.DataFrame({"id": [1], "subject": ["Kuat"], "period": ["2025-Q1"], "decision": ["lanjutkan"],
                              "decided_on": [pd.Timestamp("2025-04-20")], "recorded_by": ["ani"], "corrects": [None],
                              "snapshot": [json.dumps({"behaviour.estimate": 1.0})]})
    with_decision = scorecard_table(card, "en", decisions=decisions, period="2025-Q2").set_index("Program")
    assert with_decision.loc["Kuat", "Meeting decision"] == (
        "Decided: ✅ Continue, for 2025-Q1 (ani, 20-04-2025). Since then: recommendation now ⏫ Expand; "
        "L3 1.00 → 3.00.")
    assert with_decision.loc["Nol", "Meeting decision"] == "–"


def test_unknown_correction_is_refused():
    with pytest.raises(ValueError, match="correction"):
        compute_levels(known_truth_training(), correction="bonferroni")


def test_the_numbers_the_method_page_gives():
    from analysis.evidence.engine import SMALL_N, paired_summary
    from analysis.followup.recommend import DEFAULT_RULES, MIN_PAIRS, NEGLIGIBLE
    from analysis.stats.power import min_detectable_dz, precise_null_pairs

    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert MIN_PAIRS == SMALL_N and f"lt = {MIN_PAIRS} }}" in text and f"ge = {MIN_PAIRS} }}" in text
    assert text.count(f"ge = -{NEGLIGIBLE} }}") == 4 and text.count(f"le = {NEGLIGIBLE} }}") == 4
    # SciPy reference, the 95% CI of d_z at t = 0 by inverting the noncentral t:
    # brentq(lambda lam: nct.cdf(0, n - 1, lam) - 0.025, 0, 10) / sqrt(n)
    # n = 96: 0.2000380, n = 97: 0.1990042 — so a precise null needs at least 97 pairs.
    assert precise_null_pairs(NEGLIGIBLE) == 97
    for n, half in ((96, 0.2000380), (97, 0.1990042)):
        changes = [1.0, -1.0] * (n // 2) + [0.0] * (n % 2)  # mean change exactly zero
        df = pd.DataFrame({"nilai_pre": [50.0] * n, "nilai_post": [50.0 + c for c in changes]})
        row = paired_summary(df, "knowledge").iloc[0]
        assert row["dz_ci_high"] == pytest.approx(half, abs=1e-6) and row["dz_ci_low"] == pytest.approx(-half, abs=1e-6)
    # statsmodels TTestPower().solve_power(nobs=10, alpha=0.05, power=0.8) = 0.9960: with 10 pairs only
    # effects near d_z = 1 can be seen.
    assert float(min_detectable_dz(10)) == pytest.approx(0.9960, abs=1e-4)


def test_a_program_without_work_units_has_no_results_level():
    training = known_truth_training()
    training.loc[training["program"] == "Kuat", "unit_kerja"] = None
    table = compute_levels(training, known_truth_feedback())
    assert table.levels["Kuat"]["results"] is None and table.missing["Kuat"]["results"] == "no_units"


# --------------------------------------------------------------------------- L3 from the appraisal export


def _appraisal_case():
    """Twelve participants of program A (7–11 April 2025) and eight non-participants, all in one
    kecamatan with the same baseline (80, one coarsened stratum): Q1 2025 before, Q3 after."""
    part_change = [2.0, 4.0, 3.0, 3.0] * 3  # mean 3
    other_change = [1.0, 0.0, 0.5, 0.5] * 2  # mean 0.5
    training = pd.DataFrame({
        "nip": [f"1985031220100110{i:02d}" for i in range(12)], "program": ["A"] * 12, "kelompok": ["peserta"] * 12,
        "kecamatan": ["Medan Baru"] * 12, "unit_kerja": ["Kantor Camat Medan Baru"] * 12,
        "tanggal_mulai": pd.to_datetime(["2025-04-07"] * 12), "tanggal_selesai": pd.to_datetime(["2025-04-11"] * 12),
        "jp": [24.0] * 12, "nilai_pre": [60.0] * 12, "nilai_post": [70.0] * 12})
    people = [(n, c) for n, c in zip(training["nip"], part_change)]
    people += [(f"1980010120050110{i:02d}", c) for i, c in enumerate(other_change)]
    rows = []
    for nip, change in people:
        rows.append({"nip": nip, "periode": "2025-Q1", "kecamatan": "Medan Baru", "nilai": 80.0})
        rows.append({"nip": nip, "periode": "2025-Q3", "kecamatan": "Medan Baru", "nilai": 80.0 + change})
    return training, pd.DataFrame(rows)


def test_behaviour_from_the_appraisal_join_when_appraisals_are_given():
    training, appraisals = _appraisal_case()
    table = compute_levels(training, appraisals=appraisals)
    a = table.levels["A"]["behaviour"]
    # Participants change 3 on average, the eight matched non-participants 0.5 (one stratum, equal
    # weights 12/8 each): the difference in differences is 3 − 0.5 = 2.5, labelled as the appraisal join.
    assert a["design"] == "difference_in_differences" and a["estimate"] == pytest.approx(2.5, abs=1e-12)
    assert a["n"] == 12 and a["source"] == "appraisal"
    assert table.behaviour["source"] == "appraisal" and table.behaviour["scale"] == "nilai"
    assert table.behaviour["join"]["ok"] == 12 and "difference in differences" in table.behaviour["design_en"]
    # the training file's SKP columns are absent: without the appraisals L3 has no data
    assert compute_levels(training).levels["A"]["behaviour"] is None
    # no appraisal rows: the SKP columns, as before
    assert compute_levels(training, appraisals=appraisals.iloc[:0]).behaviour["source"] == "skp_columns"


def test_behaviour_pairs_and_appraisals_are_not_both_given():
    training, appraisals = _appraisal_case()
    with pytest.raises(ValueError, match="behaviour_pairs and appraisals"):
        compute_levels(training, behaviour_pairs=skp_pairs(training), appraisals=appraisals)
