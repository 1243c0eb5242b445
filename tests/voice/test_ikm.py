"""IKM (PermenPANRB 14/2017, analysis/voice/ikm.py): hand-computed indices, grade edges,
Krejcie–Morgan, the confidence interval and the headline."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.voice.ikm as ikm
from analysis.voice.ikm import (
    ELEMENTS,
    grade,
    grade_label,
    ikm_headline,
    ikm_from_nrr,
    ikm_table,
    krejcie_morgan,
    nrr,
    reported_ikm,
)

def uniform(values, **cols) -> pd.DataFrame:
    """One respondent per value, giving that answer to all nine elements."""
    return pd.DataFrame({**cols, **{u: [float(v) for v in values] for u in ELEMENTS}})


def with_total(n: int, total: int) -> pd.DataFrame:
    """n respondents × 9 elements whose answers add up to ``total``: every answer 3, then answers
    raised to 4 (or lowered to 2) one cell at a time, row by row. Every element is answered by all
    n respondents, so IKM = 25 × Σ NRR / 9 = 25 × total / (9 n)."""
    grid = np.full((n, 9), 3.0)
    diff = total - 27 * n
    flat = grid.reshape(-1)
    step = 1.0 if diff > 0 else -1.0
    if abs(diff) > flat.size:
        raise ValueError("total out of reach")
    flat[: abs(diff)] += step
    out = pd.DataFrame(grid, columns=list(ELEMENTS))
    assert out.to_numpy().sum() == total
    return out


def overall(df: pd.DataFrame) -> dict:
    return ikm_table(df).iloc[0].to_dict()


# --------------------------------------------------------------------------------------------
# The index, hand-computed
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, ikm, letter", [(1, 25.00, "D"), (2, 50.00, "D"), (3, 75.00, "C"), (4, 100.00, "A")])
@pytest.mark.parametrize("n", [1, 2, 7])
def test_uniform_answers(answer, ikm, letter, n):
    # All answers a: NRR_i = a, IKM = 25 × 9a / 9 = 25a.
    r = overall(uniform([answer] * n))
    assert r["ikm"] == ikm and r["grade"] == letter and r["n"] == n
    assert r["label"] == grade_label(letter)


@pytest.mark.parametrize(
    "n, total, reported, letter",
    [
        (5, 117, "65.00", "C"),   # 25 × 117 / 45 = 65 exactly: Σ NRR = 23.4
        (38, 889, "64.99", "D"),  # 25 × 889 / 342 = 64.9853…
        (19, 524, "76.61", "B"),  # 25 × 524 / 171 = 76.6082…
        (26, 717, "76.60", "C"),  # 25 × 717 / 234 = 76.6026…
        (24, 763, "88.31", "A"),  # 25 × 763 / 216 = 88.3102…
        (19, 604, "88.30", "B"),  # 25 × 604 / 171 = 88.3041…
    ],
)
def test_grade_edges_on_real_answer_sets(n, total, reported, letter):
    r = overall(with_total(n, total))
    assert Decimal(str(r["ikm"])) == Decimal(reported)
    assert r["grade"] == letter
    assert r["ikm_value"] == pytest.approx(25 * total / (9 * n), rel=1e-15)


@pytest.mark.parametrize(
    "value, letter",
    [(64.99, "D"), (65.00, "C"), (76.60, "C"), (76.61, "B"), (88.30, "B"), (88.31, "A"),
     ("65,00", "C"), (Decimal("76.61"), "B"), (Fraction(6499, 100), "D"), (25, "D"), (100, "A"),
     (64.995, "C"), (64.994999, "D"),
     (64.999999, "C"),  # reported as 65,00: C, not D (PermenPANRB 14/2017 reads the reported value)
     (None, None), (float("nan"), None), (np.float64("nan"), None)],  # no index, no grade
)
def test_grade_from_reported_value(value, letter):
    assert grade(value) == letter


@pytest.mark.parametrize("letter, lang, with_letter, expected", [
    ("A", "id", False, "Sangat Baik"), ("B", "id", False, "Baik"), ("C", "id", False, "Kurang Baik"),
    ("D", "id", False, "Tidak Baik"), ("A", "en", False, "Very good"), ("D", "en", False, "Very poor"),
    ("B", "id", True, "B Baik"), ("D", "en", True, "D Very poor"),
    (None, "id", True, "–"), (float("nan"), "en", False, "–"), ("", "id", True, "–"),
    ("E", "id", True, "E"),  # a letter outside A–D is shown as given
])
def test_grade_label(letter, lang, with_letter, expected):
    assert grade_label(letter, lang, with_letter=with_letter) == expected


def test_exact_65_is_c_not_d():
    # Σ NRR = 23.4 (NRR 2.6 on every element): float arithmetic gives 64.99999…/65.00000…1 depending
    # on the order of operations; the exact rational is 65 and the grade is C.
    r = overall(uniform([3, 3, 3, 2, 2]))
    assert r["nrr_u1"] == pytest.approx(2.6)
    assert r["ikm"] == 65.00 and r["grade"] == "C"


def test_half_hundredth_rounds_up_from_the_exact_value():
    # 625 respondents answer U1–U8 (element totals below, 15 283 together); only 8 answer U9
    # (total 25). Σ NRR = 15283/625 + 25/8 = 27.5778, IKM = 25 × 27.5778 / 9 = 76.605 exactly,
    # reported 76.61 (half-up) → B. Adding the NRRs as floats lands just below the half.
    totals = [2228, 668, 2399, 2110, 2268, 1287, 1987, 2336]
    assert sum(totals) == 15283
    cols = {}
    for u, tot in zip(ELEMENTS[:8], totals):
        # answers 1–4 adding up to tot over 625 respondents: as many 4s as fit, then the rest
        base, extra = divmod(tot - 625, 3)
        col = np.ones(625)
        col[:base] = 4.0
        col[base] += extra
        assert col.sum() == tot and col.max() <= 4
        cols[u] = col
    u9 = np.full(625, np.nan)
    u9[:8] = [4, 4, 3, 3, 3, 3, 3, 2]
    cols["u9"] = u9
    df = pd.DataFrame(cols)
    naive = 25 * sum(df[u].sum() / df[u].count() for u in ELEMENTS) / 9
    assert naive < 76.605 and round(naive, 2) == 76.60  # the trap the exact computation avoids
    r = overall(df)
    assert r["ikm"] == 76.61 and r["grade"] == "B"
    assert reported_ikm(Fraction(15321, 200)) == Decimal("76.61")


def test_rounding_the_weight_to_0111_would_change_results():
    # The 65.00 data set: Σ NRR = 23.4. With the 1/9 weight rounded to 0.111 the index would be
    # 25 × 23.4 × 0.111 = 64.935 → 64.94, grade D. The code must give 65.00, C.
    df = uniform([3, 3, 3, 2, 2])
    r = overall(df)
    sum_nrr = sum(r[f"nrr_{u}"] for u in ELEMENTS)
    rounded_weight = reported_ikm(25 * sum_nrr * 0.111)
    assert rounded_weight == Decimal("64.94") and grade(rounded_weight) == "D"
    assert r["ikm"] == 65.00 and r["grade"] == "C"
    # and all answers 3: 74.93 with the rounded weight, 75.00 without
    assert reported_ikm(25 * 27 * 0.111) == Decimal("74.93")
    assert overall(uniform([3]))["ikm"] == 75.00


def test_skipped_elements_divide_by_those_who_answered():
    # Respondent 1 answers all 4; respondent 2 skips U1 and answers 2 elsewhere; respondent 3
    # answers only U1 (= 1) and skips the rest.
    df = pd.DataFrame([[4.0] * 9, [np.nan] + [2.0] * 8, [1.0] + [np.nan] * 8], columns=list(ELEMENTS))
    r = overall(df)
    # NRR_U1 = (4 + 1) / 2 = 2.5; NRR_U2..U9 = (4 + 2) / 2 = 3.0
    assert r["nrr_u1"] == 2.5 and all(r[f"nrr_{u}"] == 3.0 for u in ELEMENTS[1:])
    assert r["n"] == 3 and r["n_u1"] == 2 and r["n_u2"] == 2
    # IKM = 25 × (2.5 + 8 × 3) / 9 = 73.6111… → 73.61, C
    assert r["ikm"] == 73.61 and r["grade"] == "C"
    assert r["weakest_element"] == "u1"
    # counting a skip as 0 (dividing by 3) would give a different index
    assert reported_ikm(25 * (5 / 3 + 8 * 6 / 3) / 9) != Decimal("73.61")


def test_respondent_without_any_answer_is_not_counted():
    df = pd.concat([uniform([3, 4]), pd.DataFrame([[np.nan] * 9], columns=list(ELEMENTS))], ignore_index=True)
    r = overall(df)
    assert r["n"] == 2 and r["ikm"] == 87.50


def test_element_nobody_answered_gives_no_index():
    df = uniform([3, 4])
    df["u4"] = np.nan
    r = overall(df)
    assert np.isnan(r["ikm"]) and r["incomplete"] and "incomplete" in r["flags"]
    assert pd.isna(r["grade"])
    assert r["weakest_element"] in ELEMENTS  # still named from the answered elements


@pytest.mark.parametrize("bad", [0.0, 5.0, -1.0])
def test_answers_outside_1_to_4_are_refused(bad):
    df = uniform([3, 3])
    df.loc[1, "u7"] = bad
    with pytest.raises(ValueError, match="u7 answers must be between 1 and 4"):
        ikm_table(df)


def test_missing_element_column_is_refused():
    with pytest.raises(ValueError, match="missing \\['u9'\\]"):
        ikm_table(uniform([3]).drop(columns="u9"))


def test_empty_frame_gives_incomplete_overall():
    r = overall(uniform([]))
    assert r["n"] == 0 and np.isnan(r["ikm"]) and r["incomplete"]


def test_a_unit_whose_respondents_left_everything_blank_still_appears():
    # Unit C's two respondents answered no element: the unit is not dropped, it is flagged.
    df = pd.concat([uniform([3, 4], unit_layanan=["A", "A"]),
                    pd.DataFrame({"unit_layanan": ["C", "C"], **{u: [np.nan, np.nan] for u in ELEMENTS}})],
                   ignore_index=True)
    t = ikm_table(df, by="unit_layanan").set_index("unit_layanan")
    assert list(t.index) == ["A", "C"]
    assert t.loc["C", "n"] == 0 and np.isnan(t.loc["C", "ikm"]) and t.loc["C", "no_answers"]
    assert t.loc["C", "flags"] == "small_sample; no_answers"
    assert not t.loc["A", "no_answers"] and t.loc["A", "n"] == 2


@pytest.mark.parametrize("n, small", [(29, True), (30, False)])
def test_fewer_than_30_respondents_is_small_sample_without_a_population(n, small):
    t = ikm_table(uniform([3] * n, unit_layanan=["A"] * n), by="unit_layanan").iloc[0]
    assert pd.isna(t["population"]) and pd.isna(t["sample_target"]) and not t["sample_short"]
    assert bool(t["small_sample"]) is small
    assert (t["flags"] == "small_sample") is small


def test_weakest_element_and_tie_goes_to_first():
    df = uniform([3, 3])
    df["u5"] = [2.0, 2.0]
    df["u8"] = [2.0, 2.0]
    assert overall(df)["weakest_element"] == "u5"


def test_nrr_and_ikm_from_nrr_agree():
    df = with_total(10, 280)
    n = nrr(df)
    assert ikm_from_nrr(n.to_dict()) == pytest.approx(overall(df)["ikm_value"], rel=1e-14)
    with pytest.raises(ValueError, match="9 values"):
        ikm_from_nrr([3.0] * 8)


# --------------------------------------------------------------------------------------------
# Groups and periods
# --------------------------------------------------------------------------------------------

@pytest.fixture
def survey() -> pd.DataFrame:
    return pd.concat([
        uniform([4, 4], unit_layanan="Puskesmas A", kecamatan="Medan Baru",
                tanggal=pd.to_datetime(["2025-01-15", "2025-02-20"])),
        uniform([2, 3, 3], unit_layanan="Puskesmas B", kecamatan="Medan Baru",
                tanggal=pd.to_datetime(["2025-04-02", "2025-07-09", "2025-12-31"])),
        uniform([3], unit_layanan="Dukcapil", kecamatan="Medan Kota", tanggal=pd.to_datetime(["2024-06-30"])),
    ], ignore_index=True)


def test_by_unit(survey):
    t = ikm_table(survey, by="unit_layanan").set_index("unit_layanan")
    assert t.loc["Puskesmas A", "ikm"] == 100.00 and t.loc["Puskesmas A", "grade"] == "A"
    # (2 + 3 + 3) / 3 = 2.6667 → 66.67, C
    assert t.loc["Puskesmas B", "ikm"] == 66.67 and t.loc["Puskesmas B", "grade"] == "C"
    assert t.loc["Dukcapil", "n"] == 1


def test_by_kecamatan(survey):
    t = ikm_table(survey, by="kecamatan").set_index("kecamatan")
    # Medan Baru: (4 + 4 + 2 + 3 + 3) / 5 = 3.2 → 80.00
    assert t.loc["Medan Baru", "ikm"] == 80.00 and t.loc["Medan Baru", "n"] == 5


@pytest.mark.parametrize(
    "period, expected",
    [
        ("month", {"2024-06": 75.0, "2025-01": 100.0, "2025-02": 100.0, "2025-04": 50.0, "2025-07": 75.0,
                   "2025-12": 75.0}),
        ("quarter", {"2024-Q2": 75.0, "2025-Q1": 100.0, "2025-Q2": 50.0, "2025-Q3": 75.0, "2025-Q4": 75.0}),
        ("semester", {"2024-S1": 75.0, "2025-S1": 83.33, "2025-S2": 75.0}),
        ("year", {"2024": 75.0, "2025": 80.0}),
    ],
)
def test_by_period(survey, period, expected):
    t = ikm_table(survey, by="periode", period=period)
    assert dict(zip(t["periode"], t["ikm"])) == expected
    assert list(t["periode"]) == sorted(expected)  # chronological


def test_unit_and_period_together(survey):
    t = ikm_table(survey, by="unit_layanan", period="year")
    assert list(t.columns[:2]) == ["unit_layanan", "periode"]
    assert len(t) == 3


def test_missing_dates_form_their_own_group(survey):
    survey.loc[0, "tanggal"] = pd.NaT
    t = ikm_table(survey, by="periode", period="year")
    assert t["periode"].isna().sum() == 1 and t["n"].sum() == len(survey)


# --------------------------------------------------------------------------------------------
# Krejcie–Morgan
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("population, size", [(1, 1), (10, 10), (100, 80), (1_000, 278), (10_000, 370),
                                              (1_000_000, 384), (100.0, 80), ("1000", 278)])
def test_krejcie_morgan(population, size):
    # Krejcie & Morgan (1970), table 1: N=100→80, 1,000→278, 10,000→370, 1,000,000→384
    assert krejcie_morgan(population) == size


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "banyak", None])
def test_krejcie_morgan_refuses(bad):
    with pytest.raises(ValueError, match="population must be a whole number"):
        krejcie_morgan(bad)


def test_sample_target_per_unit_and_default(survey):
    t = ikm_table(survey, by="unit_layanan", population={"Puskesmas A": 100}, default_population=10)
    t = t.set_index("unit_layanan")
    assert t.loc["Puskesmas A", "sample_target"] == 80 and t.loc["Puskesmas A", "sample_short"]
    assert t.loc["Puskesmas A", "flags"] == "sample_short; small_sample"
    assert t.loc["Dukcapil", "sample_target"] == 10
    frame = pd.DataFrame({"unit_layanan": ["Puskesmas B"], "populasi": [3]})
    t2 = ikm_table(survey, by="unit_layanan", population=frame).set_index("unit_layanan")
    assert t2.loc["Puskesmas B", "sample_target"] == 3 and not t2.loc["Puskesmas B", "sample_short"]
    assert pd.isna(t2.loc["Dukcapil", "sample_target"]) and not t2.loc["Dukcapil", "sample_short"]


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

answers = st.lists(
    st.lists(st.one_of(st.sampled_from([1.0, 2.0, 3.0, 4.0]), st.just(np.nan)), min_size=9, max_size=9),
    min_size=1, max_size=40,
)


def _frame(rows, units):
    df = pd.DataFrame(rows, columns=list(ELEMENTS))
    df["unit_layanan"] = [units[i % len(units)] for i in range(len(df))]
    return df


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answers, seed=st.integers(0, 2**32 - 1))
def test_permuting_respondents_changes_nothing(rows, seed):
    df = _frame(rows, ["A", "B", "C"])
    shuffled = df.sample(frac=1, random_state=np.random.RandomState(seed)).reset_index(drop=True)
    for by in (None, "unit_layanan"):
        pd.testing.assert_frame_equal(ikm_table(df, by=by), ikm_table(shuffled, by=by))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answers)
def test_duplicating_every_respondent_changes_no_nrr_or_ikm(rows):
    df = _frame(rows, ["A", "B"])
    t1 = ikm_table(df, by="unit_layanan")
    t2 = ikm_table(pd.concat([df, df], ignore_index=True), by="unit_layanan")
    cols = [f"nrr_{u}" for u in ELEMENTS] + ["ikm_value", "ikm", "grade", "weakest_element"]
    pd.testing.assert_frame_equal(t1[cols], t2[cols])
    assert (t2["n"] == 2 * t1["n"]).all()


def test_population_names_compared_like_unit_names(survey):
    t = ikm_table(survey, by="unit_layanan", population={"  PUSKESMAS   a": 1_000}).set_index("unit_layanan")
    assert t.loc["Puskesmas A", "sample_target"] == 278
    with pytest.raises(ValueError, match="population frame must have"):
        ikm_table(survey, by="unit_layanan", population=pd.DataFrame({"unit": ["A"], "populasi": [3]}))


def test_existing_periode_column_is_used_when_no_period_is_given(survey):
    survey["periode"] = ["gelombang 1"] * 3 + ["gelombang 2"] * 3
    t = ikm_table(survey, by="periode")
    assert t["periode"].tolist() == ["gelombang 1", "gelombang 2"]


def test_repeated_index_labels():
    df = uniform([3, 4, 2], unit_layanan=["A", "A", "B"])
    df.index = [7, 7, 8]
    df.loc[8, "u1"] = np.nan
    t = ikm_table(df, by="unit_layanan").set_index("unit_layanan")
    assert t.loc["A", "ikm"] == 87.50 and t.loc["B", "n_u1"] == 0 and t.loc["B", "incomplete"]


def test_ikm_ci_equals_the_t_interval_of_respondent_scores_without_skips():
    from scipy import stats as st
    rng = np.random.default_rng(3)
    a = pd.DataFrame(rng.integers(1, 5, size=(40, 9)).astype(float), columns=list(ikm.ELEMENTS))
    r = 25 * a.mean(axis=1)
    expected = st.t.interval(0.95, len(r) - 1, r.mean(), r.std(ddof=1) / np.sqrt(len(r)))
    np.testing.assert_allclose(ikm.ikm_ci(a), expected, rtol=1e-12)


def test_ikm_ci_covers_the_true_index_about_95_percent_with_skipped_elements():
    # Population: element answers with different means and a shared respondent effect; 10% skipped.
    rng = np.random.default_rng(11)
    probs = np.array([[0.05, 0.15, 0.5, 0.3], [0.1, 0.3, 0.4, 0.2], [0.02, 0.1, 0.48, 0.4]])
    means = np.array([p @ np.arange(1, 5) for p in probs])
    true_ikm = 25 / 9 * sum(means[i % 3] for i in range(9))
    covered, runs = 0, 400
    for _ in range(runs):
        answers = np.column_stack([rng.choice(np.arange(1, 5), size=60, p=probs[i % 3]) for i in range(9)]).astype(float)
        answers[rng.random(answers.shape) < 0.10] = np.nan
        lo, hi = ikm.ikm_ci(pd.DataFrame(answers, columns=list(ikm.ELEMENTS)))
        covered += lo <= true_ikm <= hi
    assert 0.91 <= covered / runs <= 0.985


def test_ikm_table_reports_the_ci_around_the_index():
    df = pd.DataFrame({"unit_layanan": ["A"] * 5 + ["B"], **{u: [3.0, 4.0, 3.0, 2.0, 4.0, 3.0] for u in ikm.ELEMENTS}})
    t = ikm.ikm_table(df, by="unit_layanan")
    a, b = t.iloc[0], t.iloc[1]
    assert a["ikm_ci_low"] < a["ikm_value"] < a["ikm_ci_high"]
    assert np.isnan(b["ikm_ci_low"]) and np.isnan(b["ikm_ci_high"])  # one respondent: no interval


@pytest.mark.parametrize("periode, now, previous", [
    (None, "2025-Q4", "2025-Q2"), ("2025", "2025-Q4", "2025-Q2"), ("2025-Q2", "2025-Q2", "2025-Q1"),
    ("2025-Q1", "2025-Q1", None), ("2024", None, None), ("2025-S1", "2025-Q2", "2025-Q1"),
])
def test_ikm_headline(periode, now, previous):
    # 2025-Q3 has no index and the undated row no period: neither is ever "now" or "previous"
    table = pd.DataFrame({"periode": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", None],
                          "n": [100, 90, 5, 120, 3], "ikm": [80.0, 82.5, np.nan, 84.25, 70.0],
                          "grade": ["B", "B", "nan", "B", "C"]})
    h = ikm_headline(table, periode)
    assert (h["periode"], h["previous_periode"]) == (now, previous)
    if now and previous:
        assert h["change"] == pytest.approx(h["now"] - h["previous"])
    else:
        assert np.isnan(h["change"])


def test_ikm_table_without_the_interval_leaves_only_the_interval_out():
    """``interval=False`` (for callers that never show it) changes nothing but the interval columns;
    text answers are read as numbers whether or not the columns are floats already."""
    df = pd.DataFrame({"unit_layanan": ["A", "A", "A", "B", "B"],
                       **{u: [3.0, 4.0, 2.0, 1.0, 4.0] for u in ELEMENTS}})
    df.loc[2, "u5"] = np.nan
    full = ikm.ikm_table(df, by="unit_layanan")
    lean = ikm.ikm_table(df, by="unit_layanan", interval=False)
    assert lean[["ikm_ci_low", "ikm_ci_high"]].isna().all().all()
    assert full[["ikm_ci_low", "ikm_ci_high"]].notna().all().all()
    rest = [c for c in full.columns if not c.startswith("ikm_ci")]
    pd.testing.assert_frame_equal(lean[rest], full[rest])
    as_text = df.astype({u: "str" for u in ELEMENTS}).replace({"nan": None})
    pd.testing.assert_frame_equal(ikm.ikm_table(as_text, by="unit_layanan")[rest], full[rest])
