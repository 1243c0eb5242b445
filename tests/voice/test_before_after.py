"""The IKM before and after a program (analysis/voice/before_after.py): the difference in
differences against R's cluster-robust regression, the per-element tests, and how the trained units,
the comparison units and the survey rounds are found."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.core.errors import AnalysisError
from analysis.stats.ranks import mann_whitney
from analysis.voice.before_after import before_after, program_units_and_dates, unit_change
from analysis.voice.ikm import ELEMENTS


def uniform(values, **cols) -> pd.DataFrame:
    """One respondent per value, giving that answer to all nine elements."""
    return pd.DataFrame({**cols, **{u: [float(v) for v in values] for u in ELEMENTS}})



DID_SCORES = {  # unit: (answers before, answers after); each respondent gives one answer to all nine
    "T1": ([2, 3, 3, 2, 3], [3, 4, 3, 4, 3]),
    "T2": ([3, 3, 2, 3], [3, 4, 4, 3]),
    "T3": ([2, 2, 3, 3, 3, 2], [3, 3, 4, 3, 3, 4]),
    "C1": ([3, 3, 3, 2], [3, 3, 3, 3]),
    "C2": ([2, 3, 3, 3, 4], [3, 3, 3, 3, 4]),
    "C3": ([3, 2, 3], [3, 3, 2]),
}


def did_feedback() -> pd.DataFrame:
    parts = []
    for unit, (b, a) in DID_SCORES.items():
        parts.append(uniform(b, unit_layanan=unit, tanggal=pd.Timestamp("2025-02-10")))
        parts.append(uniform(a, unit_layanan=unit, tanggal=pd.Timestamp("2025-08-10")))
    return pd.concat(parts, ignore_index=True)


def test_difference_in_differences_matches_r_cluster_robust():
    # R 4.2.2, sandwich 3.0-2, lmtest (d: one row per respondent, score = 25 × answer):
    # fit <- lm(score ~ treated * after, data = d)
    # V <- vcovCL(fit, cluster = ~unit, type = "HC1")
    # coeftest(fit, vcov. = V, df = 5)
    #                 Estimate Std. Error  t value   Pr(>|t|)
    # treated:after 15.8333333  1.5587358 10.15780 0.00015857
    # coefci(fit, vcov. = V, df = 5)
    # treated:after  11.8264753060 19.840191361
    r = before_after(did_feedback(), units=["t1", "T2", " t3 "], start="2025-04-01", end="2025-04-30")
    d = r.did.iloc[0]
    assert_allclose(d["did"], 15.8333333333, rtol=1e-9)  # no skipped element: IKM DiD = regression
    assert_allclose(d["estimate"], 15.8333333333, rtol=1e-9)
    assert_allclose(d["se"], 1.5587358, rtol=1e-6)
    assert_allclose(d["p_value"], 0.00015857, rtol=1e-4)
    assert_allclose([d["ci_low"], d["ci_high"]], [11.8264753060, 19.840191361], rtol=1e-8)
    assert d["n_clusters"] == 6 and d["few_clusters"] and "few_clusters" in r.flags
    assert r.comparison_units == ["c1", "c2", "c3"]
    # hand check: trained 2.6 → 3.4 (× 25: 65 → 85), comparison 2.8333 → 3.0 (70.83 → 75)
    s = r.summary.set_index(["group", "round"])
    assert s.loc[("trained", "before"), "ikm"] == 65.00 and s.loc[("trained", "after"), "ikm"] == 85.00
    assert_allclose(r.ikm_change, 20.0)


def test_before_after_elements_and_shares():
    r = before_after(did_feedback(), units=["T1", "T2", "T3"], start="2025-04-01", end="2025-04-30")
    el = r.elements.set_index("element")
    assert list(el.index) == list(ELEMENTS)
    # every element got the same answers: 15 trained respondents per round
    b = [2, 3, 3, 2, 3, 3, 3, 2, 3, 2, 2, 3, 3, 3, 2]
    a = [3, 4, 3, 4, 3, 3, 4, 4, 3, 3, 3, 4, 3, 3, 4]
    ref = mann_whitney(a, b)
    assert_allclose(el["p_value"], ref["p_value"])
    assert_allclose(el.loc["u1", "share_2_before"], 6 / 15)
    assert_allclose(el.loc["u1", "share_4_after"], 6 / 15)
    shares_b = el[[f"share_{k}_before" for k in (1, 2, 3, 4)]].sum(axis=1)
    assert_allclose(shares_b, 1.0)
    assert_allclose(el["change"], (sum(a) - sum(b)) / 15)
    assert (el["p_holm"] >= el["p_value"]).all()
    # before ≤ 3 ≤ after for every trained respondent: quasi-separation, no finite odds ratio
    assert r.ordinal["note"].eq("separation").all() and r.ordinal["odds_ratio"].isna().all()
    assert "ordinal_separation" in r.flags and "ordinal_fit_warning" not in r.flags


def test_before_after_from_training_matches_units_by_normalised_name():
    fb = did_feedback()
    training = pd.DataFrame({
        "program": ["Pelayanan Prima", "Pelayanan Prima", "Pelayanan Prima", "Lain", "Pelayanan Prima"],
        "kelompok": ["peserta", "peserta", "peserta", "peserta", "pembanding"],
        "unit_kerja": ["t1 ", "T2", "  T3", "C3", "C1"],
        "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-07", "2025-05-05", "2025-04-07", None]),
        "tanggal_selesai": pd.to_datetime(["2025-04-11", "2025-04-11", "2025-05-09", "2025-04-11", None]),
    })
    r = before_after(fb, training=training, program="Pelayanan Prima")
    assert r.units == ["t1", "t2", "t3"]
    # C3 had staff in another program, so it is no comparison; C1 only had a pembanding row
    assert r.comparison_units == ["c1", "c2"]
    assert r.start == pd.Timestamp("2025-04-07") and r.end == pd.Timestamp("2025-05-09")
    assert r.before_window == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-31"))
    assert r.after_window == (pd.Timestamp("2025-07-01"), pd.Timestamp("2025-09-30"))
    units, start, end = program_units_and_dates(training, "Pelayanan Prima")
    assert units == r.units and r.units_not_surveyed == []
    with pytest.raises(AnalysisError) as err:
        before_after(fb, training=training)  # two programs: which one?
    assert err.value.code == "program_required"


def test_trained_units_are_counted_only_where_the_survey_holds_them():
    # A fourth trained unit (Dinas Sosial) was never surveyed: it is named apart, not counted.
    fb = did_feedback()
    training = pd.DataFrame({
        "program": ["Pelayanan Prima"] * 4, "kelompok": ["peserta"] * 4,
        "unit_kerja": ["t1", "t2", "t3", "Dinas Sosial"],
        "tanggal_mulai": pd.to_datetime(["2025-04-07"] * 4), "tanggal_selesai": pd.to_datetime(["2025-04-11"] * 4),
    })
    r = before_after(fb, training=training, program="Pelayanan Prima")
    assert r.units == ["t1", "t2", "t3"] and r.units_not_surveyed == ["dinas sosial"]
    assert r.to_dict()["units_not_surveyed"] == ["dinas sosial"]


def test_before_after_explicit_rounds_and_errors():
    fb = did_feedback()
    r = before_after(fb, units=["T1"], before="2025-Q1", after=("2025-08-01", "2025-08-31"))
    assert r.summary["periode"].tolist()[:2] == ["2025-Q1", "2025-08"]
    r = before_after(fb, units=["T1"], before=("2025-01-15", "2025-02-28"), after="2025-S2")
    assert r.summary["periode"].tolist()[:2] == ["2025-01-15/2025-02-28", "2025-S2"]
    assert r.did is not None and r.did["n_clusters"].iloc[0] == 6
    with pytest.raises(AnalysisError) as err:
        before_after(fb, units=["Puskesmas Z"], start="2025-04-01", end="2025-04-30")
    assert err.value.code == "no_trained_units_in_survey"
    with pytest.raises(AnalysisError) as err:
        before_after(fb, units=["T1"], start="2025-01-01", end="2025-04-30")
    assert err.value.code == "no_round_before"
    with pytest.raises(AnalysisError) as err:
        before_after(fb, units=["T1"], start="2025-04-01", end="2025-09-30")
    assert err.value.code == "no_round_after"
    with pytest.raises(ValueError, match="units must name"):
        before_after(fb, start="2025-04-01")


def test_before_after_without_comparison_units():
    fb = did_feedback()
    fb = fb[fb["unit_layanan"].str.startswith("T")]
    r = before_after(fb, units=["T1", "T2", "T3"], start="2025-04-01", end="2025-04-30")
    assert r.did is None and "no_comparison_units" in r.flags
    assert set(r.summary["group"]) == {"trained"}
    d = r.to_dict()
    assert d["did"] is None and len(d["elements"]) == 9


TRAINING = pd.DataFrame({
    "program": ["Pelayanan Prima", "Pelayanan Prima", "Literasi Data", "Literasi Data", None],
    "kelompok": ["peserta", None, " Peserta", "peserta", "pembanding"],  # an empty kelompok is a participant
    "unit_kerja": ["t1 ", "T2", "T3", "T3", "C1"],
    "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-07", "2025-05-05", "2025-05-12", None]),
    "tanggal_selesai": pd.to_datetime(["2025-04-11", "2025-04-11", "2025-05-09", None, None]),
})


def test_program_units_and_dates_of_one_program_and_of_all():
    assert program_units_and_dates(TRAINING, "Pelayanan Prima") == (
        ["t1", "t2"], pd.Timestamp("2025-04-07"), pd.Timestamp("2025-04-11"))
    # the last row of Literasi Data has no end date: it ends on its start, 12 May, after the 9 May end
    assert program_units_and_dates(TRAINING, "Literasi Data") == (
        ["t3"], pd.Timestamp("2025-05-05"), pd.Timestamp("2025-05-12"))
    assert program_units_and_dates(TRAINING, all_programs=True) == (
        ["t1", "t2", "t3"], pd.Timestamp("2025-04-07"), pd.Timestamp("2025-05-12"))


def test_program_units_and_dates_errors():
    with pytest.raises(AnalysisError) as err:
        program_units_and_dates(TRAINING)
    assert err.value.code == "program_required"
    with pytest.raises(AnalysisError) as err:
        program_units_and_dates(TRAINING, "Manajemen ASN")
    assert err.value.code == "unknown_program"
    with pytest.raises(AnalysisError) as err:
        program_units_and_dates(TRAINING[TRAINING["kelompok"].eq("pembanding")], all_programs=True)
    assert err.value.code == "no_participants"
    undated = TRAINING.assign(tanggal_mulai=pd.NaT, tanggal_selesai=pd.NaT)
    with pytest.raises(AnalysisError) as err:
        program_units_and_dates(undated, "Pelayanan Prima")
    assert err.value.code == "program_without_dates"
    with pytest.raises(ValueError, match="training must have the columns"):
        program_units_and_dates(TRAINING.drop(columns="unit_kerja"), "Pelayanan Prima")


def test_a_file_without_kelompok_is_all_participants():
    only = TRAINING.drop(columns="kelompok").iloc[:2]
    assert program_units_and_dates(only, "Pelayanan Prima")[0] == ["t1", "t2"]


def test_every_program_together_equals_its_units_and_span():
    fb = did_feedback()
    together = before_after(fb, training=TRAINING, all_programs=True)
    by_hand = before_after(fb, training=TRAINING, units=["T1", "T2", "T3"], start="2025-04-07", end="2025-05-12")
    assert together.program is None and together.units == ["t1", "t2", "t3"]
    assert (together.start, together.end) == (pd.Timestamp("2025-04-07"), pd.Timestamp("2025-05-12"))
    # C1 only had a comparison row: it stays a comparison unit
    assert together.comparison_units == by_hand.comparison_units == ["c1", "c2", "c3"]
    pd.testing.assert_frame_equal(together.summary, by_hand.summary)
    pd.testing.assert_frame_equal(together.did, by_hand.did)


def test_unit_change_per_unit():
    fb = did_feedback()
    got = unit_change(fb, ["t1", "c3"], ("2025-01-01", "2025-03-31"), ("2025-07-01", "2025-09-30"))
    # T1: before 2, 3, 3, 2, 3 → mean 2.6 → 65.00; after 3, 4, 3, 4, 3 → 3.4 → 85.00
    # C3: before 3, 2, 3 → 8/3 → 66.67; after 3, 3, 2 → 66.67
    assert got.to_dict("records") == [
        {"unit_layanan": "C3", "ikm_before": 66.67, "n_before": 3, "ikm_after": 66.67, "n_after": 3},
        {"unit_layanan": "T1", "ikm_before": 65.0, "n_before": 5, "ikm_after": 85.0, "n_after": 5},
    ]
    assert unit_change(fb, ["t1"], ("2024-01-01", "2024-03-31"), ("2025-07-01", "2025-09-30")).empty


def test_without_the_ordinal_fits_the_rest_is_unchanged():
    # The scorecard skips the nine ordinal fits; the IKM, the elements and the DiD are the same.
    full = before_after(did_feedback(), units=["t1", "T2", " t3 "], start="2025-04-01", end="2025-04-30")
    quick = before_after(did_feedback(), units=["t1", "T2", " t3 "], start="2025-04-01", end="2025-04-30",
                         ordinal=False)
    assert quick.ordinal.empty and len(full.ordinal) == 9
    pd.testing.assert_frame_equal(quick.summary, full.summary)
    pd.testing.assert_frame_equal(quick.elements, full.elements)
    pd.testing.assert_frame_equal(quick.did, full.did)
    assert_allclose(quick.did["estimate"].iloc[0], 15.8333333, rtol=1e-7)  # R's value above
    assert quick.flags == [f for f in full.flags if not f.startswith("ordinal_")]


def test_a_prepared_survey_and_no_element_tests_give_the_same_ikm_and_did():
    """``before_after(survey(fb), tests=False)`` — what the scorecard asks for every program — gives
    the same summary, difference in differences and flags as the full call; ``elements`` keeps the
    answer counts, which ``small_round`` reads."""
    from analysis.voice.before_after import survey

    fb = did_feedback()
    args = dict(units=["t1", "T2", " t3 "], start="2025-04-01", end="2025-04-30")
    full = before_after(fb, **args)
    lean = before_after(survey(fb), ordinal=False, tests=False, **args)
    pd.testing.assert_frame_equal(lean.summary, full.summary)
    pd.testing.assert_frame_equal(lean.did, full.did)
    assert lean.flags == [f for f in full.flags if not f.startswith("ordinal")]
    assert lean.elements.columns.tolist() == ["element", "n_before", "n_after"]
    assert lean.elements[["n_before", "n_after"]].to_numpy().tolist() == \
        full.elements[["n_before", "n_after"]].to_numpy().tolist()
    assert_allclose(lean.did["did"].iloc[0], 15.8333333333, rtol=1e-9)  # R, as above
