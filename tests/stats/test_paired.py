"""Paired before/after tests (analysis/stats/paired.py) against R's published output and scipy,
group by group, with edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special, stats

import analysis.stats.paired as ev_stats
from analysis.stats.paired import hedges_j, paired_stats, primary_test

# R's `sleep` data: extra sleep (hours) of 10 patients on drug 1 (group 1) and drug 2 (group 2).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Hollander & Wolfe (1973), p. 29f., depression scale at the first (x) and second (y) visit, from ?wilcox.test.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]

@pytest.fixture(scope="module")
def sleep() -> pd.Series:
    return paired_stats(SLEEP_1, SLEEP_2).iloc[0]


# ---------------------------------------------------------------- published reference outputs

def test_sleep_paired_t_equals_r(sleep):
    # > with(sleep, t.test(extra[group == 2], extra[group == 1], paired = TRUE))
    #         Paired t-test
    # t = 4.0621, df = 9, p-value = 0.002833
    # 95 percent confidence interval:
    #  0.7001142 2.4598858
    # sample estimates:
    # mean difference
    #            1.58
    assert_allclose(sleep.t_statistic, 4.0621, rtol=1e-4)
    assert sleep.df == 9
    assert_allclose(sleep.t_p_value, 0.002833, rtol=1e-3)
    assert_allclose([sleep.ci_low, sleep.ci_high], [0.7001142, 2.4598858], rtol=1e-6)
    assert_allclose(sleep.mean_delta, 1.58, rtol=1e-12)


def test_sleep_wilcoxon_equals_r_normal_approximation_with_correction(sleep):
    # > with(sleep, wilcox.test(extra[group == 2], extra[group == 1], paired = TRUE))
    #         Wilcoxon signed rank test with continuity correction
    # V = 45, p-value = 0.009091
    # Warning messages: cannot compute exact p-value with ties; ... with zeroes
    assert sleep.wilcoxon_statistic == 45
    assert_allclose(sleep.wilcoxon_p_value, 0.009091, rtol=1e-3)
    assert sleep.wilcoxon_method == "normal"
    assert sleep.n_nonzero == 9 and sleep.n_no_change == 1


def test_sleep_shapiro_on_differences_equals_r(sleep):
    # > with(sleep, shapiro.test(extra[group == 2] - extra[group == 1]))
    #         Shapiro-Wilk normality test
    # W = 0.82987, p-value = 0.03334
    assert_allclose(sleep.shapiro_statistic, 0.82987, rtol=1e-5)
    assert_allclose(sleep.shapiro_p_value, 0.03334, rtol=1e-3)


def test_hollander_wolfe_exact_wilcoxon_equals_r():
    # > x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
    # > y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
    # > wilcox.test(x, y, paired = TRUE, alternative = "greater")
    #         Wilcoxon signed rank exact test
    # V = 40, p-value = 0.01953
    # > wilcox.test(x, y, paired = TRUE)
    # V = 40, p-value = 0.03906
    r = paired_stats(HW_Y, HW_X).iloc[0]  # before = y, after = x: delta = x - y
    assert r.wilcoxon_statistic == 40
    assert r.wilcoxon_method == "exact"
    assert_allclose(r.wilcoxon_p_value, 0.03906, rtol=1e-3)
    assert_allclose(r.wilcoxon_p_value / 2, 0.01953, rtol=1e-3)  # the one-sided p of the symmetric null
    assert_allclose(r.wilcoxon_p_value, 20 / 512, rtol=1e-12)  # exactly: 10 of 512 sign patterns give V >= 40


def test_dz_interval_inverts_the_noncentral_t(sleep):
    # The CI of d_z: noncentrality limits of the observed t (MBESS::conf.limits.nct / effectsize),
    # divided by sqrt(n); checked against an independent root-finder on scipy's nct.
    n, t = 10, sleep.t_statistic
    lo = optimize.brentq(lambda nc: stats.nct.cdf(t, n - 1, nc) - 0.975, -10, 10, xtol=1e-13)
    hi = optimize.brentq(lambda nc: stats.nct.cdf(t, n - 1, nc) - 0.025, -10, 20, xtol=1e-13)
    assert_allclose(sleep.effect_size_dz, 1.58 / np.std(np.subtract(SLEEP_2, SLEEP_1), ddof=1), rtol=1e-12)
    assert_allclose([sleep.dz_ci_low, sleep.dz_ci_high], [lo / np.sqrt(n), hi / np.sqrt(n)], rtol=1e-8)
    assert_allclose([sleep.dz_ci_low, sleep.dz_ci_high], [0.41, 2.12], atol=0.005)


def test_hedges_correction():
    df = np.array([2.0, 9, 29, 200])
    exact = special.gamma(df / 2) / (np.sqrt(df / 2) * special.gamma((df - 1) / 2))
    assert_allclose(hedges_j(df), exact, rtol=1e-12)
    assert_allclose(hedges_j(df[1:]), 1 - 3 / (4 * df[1:] - 1), rtol=2e-3)  # Hedges' approximation
    assert np.isnan(hedges_j([1.0, 0.0])).all()


def test_sign_test_equals_binom_test(sleep):
    # > binom.test(9, 9)$p.value
    # [1] 0.00390625
    assert_allclose(sleep.sign_test_p_value, 0.00390625, rtol=1e-12)


def test_rank_biserial_is_matched_pairs_definition():
    before = np.array([10.0, 12, 9, 14, 11, 13, 8])
    after = np.array([12.0, 11, 13, 18, 11, 16, 9])
    d = after - before
    nz = d[d != 0]
    ranks = stats.rankdata(np.abs(nz))
    expected = (ranks[nz > 0].sum() - ranks[nz < 0].sum()) / ranks.sum()
    assert_allclose(paired_stats(before, after).rank_biserial.iloc[0], expected, rtol=1e-12)


# ---------------------------------------------------------------- against scipy, per group

def _scipy_group(before, after):
    d = after - before
    nz = d[d != 0]
    exact = nz.size < 50 and nz.size == d.size and np.unique(np.abs(nz)).size == nz.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="exact" if exact else "approx")
    return stats.ttest_rel(after, before), w, exact


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("dense", [True, False], ids=["count-ranks", "sort-ranks"])
def test_every_group_equals_scipy(seed, dense, monkeypatch):
    if not dense:
        monkeypatch.setattr(ev_stats, "DENSE_CELLS", 0)
    rng = np.random.default_rng(seed)
    sizes = rng.integers(0, 60, 40)
    codes = np.repeat(np.arange(40), sizes)
    rng.shuffle(codes)
    before = np.round(rng.normal(60, 10, codes.size))
    noise = rng.normal(3, 5, codes.size)
    after = before + np.where(rng.random(codes.size) < 0.5, np.round(noise), noise)
    after[rng.random(codes.size) < 0.05] = np.nan
    res = paired_stats(before, after, codes, 40, ceiling=70)
    for g in range(40):
        ok = (codes == g) & ~np.isnan(after)
        b, a = before[ok], after[ok]
        row = res.iloc[g]
        assert row.n == ok.sum()
        if b.size < 2 or np.all(a == b):
            continue
        t, w, exact = _scipy_group(b, a)
        assert_allclose([row.t_statistic, row.t_p_value], [t.statistic, t.pvalue], rtol=1e-9)
        assert_allclose([row.ci_low, row.ci_high], list(t.confidence_interval()), rtol=1e-9)
        assert_allclose(row.wilcoxon_p_value, w.pvalue, rtol=1e-9)
        assert row.wilcoxon_method == ("exact" if exact else "normal")
        d = a - b
        assert row.wilcoxon_statistic == stats.rankdata(np.abs(d[d != 0]))[d[d != 0] > 0].sum()
        q1, med, q3 = np.quantile(d, [0.25, 0.5, 0.75])
        assert_allclose(row.median_delta, med)
        far = ((d < q1 - 3 * (q3 - q1)) | (d > q3 + 3 * (q3 - q1))).sum() if q3 > q1 else 0
        assert row.n_extreme == far
        assert_allclose(row.ceiling_share, np.mean((b >= 70) | (a >= 70)))
        if d.size >= 3:  # three values: R's exact p, which SciPy's port reaches up to rounding (~1e-15)
            assert_allclose(row.shapiro_p_value, stats.shapiro(d).pvalue, rtol=1e-9, atol=1e-14 if d.size == 3 else 0)


def test_count_ranks_and_sort_ranks_agree(monkeypatch):
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 25, 3000)
    before = np.round(rng.normal(60, 10, 3000) * 2) / 2
    after = before + np.round(rng.normal(2, 4, 3000) * 2) / 2
    dense = paired_stats(before, after, codes, 25)
    monkeypatch.setattr(ev_stats, "DENSE_CELLS", 0)
    pd.testing.assert_frame_equal(dense, paired_stats(before, after, codes, 25), rtol=1e-12)


@pytest.mark.parametrize("dense", [True, False], ids=["count-ranks", "sort-ranks"])
def test_total_row_is_exactly_the_ungrouped_result(dense, monkeypatch):
    if not dense:
        monkeypatch.setattr(ev_stats, "DENSE_CELLS", 0)
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 6, 400)
    before = np.round(rng.normal(60, 9, 400))
    after = before + np.round(rng.normal(2, 4, 400))
    after[::13] = np.nan
    both = paired_stats(before, after, codes, 6, ceiling=70, total=True)
    pd.testing.assert_frame_equal(both.iloc[:6], paired_stats(before, after, codes, 6, ceiling=70), check_exact=True)
    pd.testing.assert_frame_equal(both.iloc[[6]].reset_index(drop=True), paired_stats(before, after, ceiling=70),
                                  check_exact=True)


# ---------------------------------------------------------------- edge cases

@pytest.mark.parametrize(
    "before, after, n, defined",
    [
        ([], [], 0, set()),
        ([50.0], [60.0], 1, {"mean_delta", "wilcoxon_p_value"}),
        ([50.0, 55], [60.0, 70], 2, {"mean_delta", "t_p_value", "wilcoxon_p_value", "effect_size_dz"}),
        ([50.0, np.nan, 55], [60.0, 70, np.nan], 1, {"mean_delta", "wilcoxon_p_value"}),
        ([50.0, 60, 70], [50.0, 60, 70], 3, {"mean_delta"}),  # identical: no test can run
        ([50.0, 60, 70], [55.0, 65, 75], 3, {"mean_delta", "wilcoxon_p_value"}),  # constant differences
    ],
    ids=["0 rows", "1 pair", "2 pairs", "NaN", "identical", "all ties"],
)
def test_small_and_degenerate_inputs(before, after, n, defined):
    row = paired_stats(before, after).iloc[0]
    assert row.n == n
    for col in ("mean_delta", "t_p_value", "wilcoxon_p_value", "effect_size_dz", "shapiro_p_value"):
        assert np.isfinite(row[col]) == (col in defined), col


def test_shapiro_on_three_values_with_a_tie_equals_r():
    # > shapiro.test(c(0, 4, 4))
    #   W = 0.75, p-value = 0
    # (swilk.c, n = 3: p = 6/pi * (asin(sqrt(W)) - pi/3), floored at 0; W = 3/4 is its minimum)
    row = paired_stats([0.0, 0.0, 0.0], [0.0, 4.0, 4.0]).iloc[0]
    assert_allclose(row.shapiro_statistic, 0.75, rtol=1e-12)
    assert row.shapiro_p_value == 0.0
    # > shapiro.test(c(0, 1, 3))
    #   W = 0.96429, p-value = 0.6369  (by hand: 6/pi * (asin(sqrt(27/28)) - pi/3) = 0.636887)
    row = paired_stats([0.0, 0.0, 0.0], [0.0, 1.0, 3.0]).iloc[0]
    assert_allclose([row.shapiro_statistic, row.shapiro_p_value], [27 / 28, 0.636887], rtol=1e-5)


@pytest.mark.parametrize("change", [5.0, 0.0])
def test_equal_differences_have_no_t_interval(change):
    # Every participant changed by the same amount: the standard deviation of the changes is 0, so
    # there is no t distribution to take an interval from (R stops with "data are essentially
    # constant" for a non-zero change and prints the degenerate interval 0 to 0 for no change).
    row = paired_stats([50.0, 60, 70, 80], [50.0 + change, 60 + change, 70 + change, 80 + change]).iloc[0]
    assert row.sd_delta == 0 and row.mean_delta == change
    assert np.isnan(row.ci_low) and np.isnan(row.ci_high) and np.isnan(row.t_p_value)


def test_identical_scores_give_r_like_results():
    row = paired_stats([50.0, 60, 70], [50.0, 60, 70]).iloc[0]
    # R: wilcox.test(c(50, 60, 70), c(50, 60, 70), paired = TRUE) gives V = 0, p-value = NA
    assert row.wilcoxon_statistic == 0 and np.isnan(row.wilcoxon_p_value)
    assert row.n_no_change == 3


def test_paired_stats_rejects_bad_arguments():
    with pytest.raises(ValueError, match="same length"):
        paired_stats([1.0, 2], [1.0])
    with pytest.raises(ValueError, match="groups must have one code per pair"):
        paired_stats([1.0, 2], [1.0, 3], groups=[0])
    with pytest.raises(ValueError, match="non-negative integer codes"):
        paired_stats([1.0, 2], [1.0, 3], groups=[0, -1])
    with pytest.raises(ValueError, match="n_groups must exceed"):
        paired_stats([1.0, 2], [1.0, 3], groups=[0, 3], n_groups=2)


@pytest.mark.parametrize(
    "n, shapiro_p, t_p, ordinal, expected",
    [
        (30, 0.001, 0.2, False, "t"),  # large n: t whatever the shape
        (29, 0.001, 0.2, False, "wilcoxon"),
        (29, 0.05, 0.2, False, "t"),  # normality not rejected
        (2, np.nan, 0.2, False, "wilcoxon"),  # no normality check possible
        (40, 0.5, np.nan, False, "wilcoxon"),  # t undefined (constant differences)
        (100, 0.9, 0.01, True, "wilcoxon"),  # ordinal: always Wilcoxon
    ],
)
def test_primary_test_rule(n, shapiro_p, t_p, ordinal, expected):
    assert primary_test([n], [shapiro_p], [t_p], ordinal).tolist() == [expected]


def test_a_t_of_rounding_noise_gets_no_dz_interval_and_does_not_hang():
    # By hand: differences 8 and 8 + 1e-12 → mean ≈ 8, sd = 1e-12/√2, se = sd/√2 = 5e-13, so
    # t = 8 / 5e-13 = 1.6e13 (R's "essentially constant" rule, se < 10·eps·|mean| ≈ 1.8e-14, does
    # not apply: R's t.test reports t = 1.6e+13). Inverting the noncentral t at such a t takes
    # minutes in cdflib; the interval is left NaN instead.
    import time

    start = time.perf_counter()
    r = paired_stats([50.0, 60.0], [58.0, 68.0 + 1e-12]).iloc[0]
    assert time.perf_counter() - start < 5
    assert_allclose(r.t_statistic, 1.6e13, rtol=0.01)
    assert np.isnan(r.dz_ci_low) and np.isnan(r.dz_ci_high)
