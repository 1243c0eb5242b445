"""Evidence engine (issue 3): paired tests against R's published output, the API, edge cases, CLI."""

from __future__ import annotations

import inspect
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import optimize, special, stats

import analysis.evidence.engine as ev
import analysis.stats.did as ev_did
import analysis.evidence.groups as ev_groups
import analysis.stats.power as ev_power
import analysis.stats.paired as ev_stats
import analysis.evidence.text as ev_text
from analysis.core.errors import AnalysisError
from analysis.evidence.engine import evaluate, paired_summary, shift_table
from analysis.stats.paired import adjust_p, hedges_j, paired_stats, primary_test

# R's `sleep` data: extra sleep (hours) of 10 patients on drug 1 (group 1) and drug 2 (group 2).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Hollander & Wolfe (1973), p. 29f., depression scale at the first (x) and second (y) visit, from ?wilcox.test.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
# Benjamini & Hochberg (1995), section 4: the 15 p-values of their example (DOMAIN.md §6).
BH_P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
        0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]


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


def test_benjamini_hochberg_1995_rejections():
    # B&H 1995 §4: at q = 0.05 the step-up procedure rejects the 4 smallest; Holm (Bonferroni-type)
    # rejects 3 (DOMAIN.md §6).
    # > p.adjust(p, "BH")[1:5]   0.00150 0.00300 0.00950 0.03562 0.06030
    # > p.adjust(p, "holm")[1:4] 0.0015 0.0056 0.0247 0.1140
    bh, holm = adjust_p(BH_P, "bh"), adjust_p(BH_P, "holm")
    assert (bh <= 0.05).sum() == 4
    assert (holm <= 0.05).sum() == 3
    assert_allclose(bh[:5], [0.0015, 0.0030, 0.0095, 0.035625, 0.0603], rtol=1e-9)
    assert_allclose(holm[:4], [0.0015, 0.0056, 0.0247, 0.114], rtol=1e-9)


@pytest.mark.parametrize("method", ["holm", "bh"])
def test_adjust_p_equals_statsmodels_and_scipy(method):
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(1).uniform(0, 0.2, 40) ** 2
    p[[3, 7]] = p[5]  # ties
    expected = multipletests(p, method="holm")[1] if method == "holm" else stats.false_discovery_control(p)
    assert_allclose(adjust_p(p, method), expected, rtol=1e-12)
    if method == "bh":
        assert_allclose(adjust_p(p, method), multipletests(p, method="fdr_bh")[1], rtol=1e-12)


def test_adjust_p_keeps_nan_out_of_the_family():
    assert_allclose(adjust_p([0.01, np.nan, 0.04, 0.03], "holm"), [0.03, np.nan, 0.06, 0.06])
    assert_allclose(adjust_p([0.01, np.nan], "none"), [0.01, np.nan])
    with pytest.raises(ValueError, match="method must be one of"):
        adjust_p([0.1], "bonferroni")


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
        if d.size >= 3:
            assert_allclose(row.shapiro_p_value, stats.shapiro(d).pvalue, rtol=1e-9)


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


def test_evaluate_overall_equals_the_ungrouped_evaluation():
    df = with_comparison(150, seed=12)
    grouped = evaluate(df, "knowledge", by="program")["overall"]
    alone = evaluate(df, "knowledge")["groups"][0]
    for key, value in alone.items():
        if isinstance(value, float):
            assert_allclose(grouped[key], value, rtol=1e-12, err_msg=key)
        else:
            assert grouped[key] == value, key


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


# ---------------------------------------------------------------- power

@pytest.mark.parametrize("n", [3, 5, 8, 20, 34, 100, 2000])
def test_min_detectable_dz_agrees_with_statsmodels(n):
    from statsmodels.stats.power import TTestPower

    mde = ev_power.min_detectable_dz([n])[0]
    # statsmodels' solver stops at a looser tolerance; the power at our answer is 80% to 1e-10
    assert_allclose(TTestPower().power(mde, n, 0.05), 0.8, rtol=1e-10)
    assert_allclose(mde, TTestPower().solve_power(effect_size=None, nobs=n, alpha=0.05, power=0.8), rtol=1e-4)


def test_power_edge_cases():
    assert np.isnan(ev_power.min_detectable_dz([0, 1])).all()
    assert ev_power.n_required(0.5) == 34
    with pytest.raises(ValueError, match="dz must be a positive"):
        ev_power.n_required(0.0)
    with pytest.raises(ValueError, match="power must lie"):
        ev_power.min_detectable_dz([10], power=1.0)


# ---------------------------------------------------------------- the DataFrame API

def training(rows: int = 40, seed: int = 0, **extra) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pre = np.round(rng.normal(60, 8, rows))
    df = pd.DataFrame({
        "program": pd.Series(rng.choice(["Latsar", "Pelayanan Prima"], rows), dtype="str"),
        "kecamatan": pd.Series(rng.choice(["Medan Baru", "Medan Kota", "Medan Johor"], rows), dtype="str"),
        "unit_kerja": pd.Series(rng.choice(["Dinas Kominfo", "Bappeda"], rows), dtype="str"),
        "kelompok": pd.Series(["peserta"] * rows, dtype="str"),
        "tanggal_mulai": pd.Timestamp("2025-01-10") + pd.to_timedelta(rng.integers(0, 200, rows), unit="D"),
        "nilai_pre": pre,
        "nilai_post": np.clip(pre + np.round(rng.normal(6, 5, rows)), 0, 100),
        "kinerja_sebelum": np.round(rng.normal(80, 5, rows)),
        "kinerja_sesudah": np.round(rng.normal(82, 5, rows)),
    })
    return df.assign(**extra)


def test_paired_summary_columns_and_groups():
    df = training(60)
    out = paired_summary(df, "knowledge", by=("program", "kecamatan"))
    assert list(out.columns[:2]) == ["program", "kecamatan"]
    assert len(out) == df.groupby(["program", "kecamatan"]).ngroups
    for col in ("n", "mean_before", "mean_after", "mean_delta", "sd_delta", "ci_low", "ci_high", "t_statistic",
                "df", "t_p_value", "wilcoxon_statistic", "wilcoxon_p_value", "rank_biserial", "shapiro_p_value",
                "effect_size_dz", "dz_ci_low", "dz_ci_high", "effect_size_gz", "primary_test", "p_value",
                "p_adjusted", "mde_dz", "design", "did", "flags", "summary_id", "summary_en"):
        assert col in out.columns, col
    assert all(c == c.lower() and c.isidentifier() for c in out.columns)
    assert out["n"].sum() == len(df)
    assert (out["p_adjusted"] >= out["p_value"] - 1e-15).all()


def test_period_groups_by_quarter():
    df = training(30)
    df.loc[0, "tanggal_mulai"] = pd.NaT
    out = paired_summary(df, "knowledge", by="period")
    expected = pd.PeriodIndex(df["tanggal_mulai"].dropna(), freq="Q").astype(str).str.replace("Q", "-Q", regex=False)
    assert out["period"].dropna().tolist() == sorted(set(expected))
    assert out["period"].isna().iloc[-1]  # the row without a date, last


def test_dates_of_any_resolution():
    df = training(20)
    df["tanggal_mulai"] = df["tanggal_mulai"].astype("datetime64[s]")
    assert paired_summary(df, "knowledge", by="period")["period"].str.match(r"^2025-Q[1-4]$").all()


def test_missing_values_in_grouping_field_form_their_own_group():
    df = training(20)
    df.loc[:3, "program"] = None
    out = paired_summary(df, "knowledge", by="program")
    assert out["program"].isna().sum() == 1 and out["program"].isna().iloc[-1]
    assert out.loc[out["program"].isna(), "n"].iloc[0] == 4


def test_correction_options_change_only_adjusted_p():
    df = training(80)
    holm = paired_summary(df, "knowledge", by="kecamatan", correction="holm")
    bh = paired_summary(df, "knowledge", by="kecamatan", correction="bh")
    none = paired_summary(df, "knowledge", by="kecamatan", correction="none")
    assert_allclose(none["p_adjusted"], none["p_value"])
    assert_allclose(holm["p_adjusted"], adjust_p(holm["p_value"], "holm"))
    assert_allclose(bh["p_adjusted"], adjust_p(bh["p_value"], "bh"))
    assert "koreksi Holm" in holm["summary_id"].iloc[0]
    assert "Benjamini" in bh["summary_en"].iloc[0]


def test_flags():
    df = training(12)
    df.loc[:, "nilai_post"] = df["nilai_pre"]
    df.loc[:2, "nilai_post"] = df.loc[:2, "nilai_pre"] + 5  # 3 non-zero differences
    df.loc[5, "nilai_pre"] = np.nan
    df.loc[6:9, ["nilai_pre", "nilai_post"]] = 100.0
    row = paired_summary(df, "knowledge").iloc[0]
    flags = row["flags"].split(",")
    for flag in ("too_few_nonzero", "incomplete_pairs", "ceiling", "underpowered"):
        assert flag in flags
    assert set(flags) <= set(ev.FLAGS)
    assert "Data terlalu sedikit" in row["summary_id"] and "Too little data" in row["summary_en"]


def test_extreme_and_non_normal_flags():
    rng = np.random.default_rng(4)
    pre = np.round(rng.normal(60, 5, 25))
    post = pre + np.round(rng.normal(5, 1, 25))
    post[0] = pre[0] + 40
    row = paired_summary(pd.DataFrame({"nilai_pre": pre, "nilai_post": post}), "knowledge").iloc[0]
    assert {"extreme_differences", "non_normal"} <= set(row["flags"].split(","))
    assert row["primary_test"] == "wilcoxon"
    assert "selisih ekstrem" in row["summary_id"]


@pytest.mark.parametrize("rows", [0, 1, 2])
def test_evaluate_tiny_inputs(rows):
    out = evaluate(training(rows), "knowledge", by="program")
    assert len(out["groups"]) == len({*training(rows)["program"]})
    assert out["overall"]["n"] == rows
    json.dumps(out, allow_nan=False)  # JSON-ready: NaN became None
    assert out["overall"]["summary_id"] and out["overall"]["summary_en"]


def test_evaluate_shape_matches_the_issue():
    out = evaluate(training(50), "knowledge", by=["kecamatan"])
    for key in ("measure", "correction", "design", "groups", "overall", "power", "primary_rule"):
        assert key in out
    g = out["groups"][0]
    for key in ("kecamatan", "n", "mean_before", "mean_after", "mean_delta", "sd_delta", "ci_low", "ci_high",
                "t_statistic", "df", "t_p_value", "wilcoxon_statistic", "wilcoxon_p_value", "rank_biserial",
                "shapiro_p_value", "effect_size_dz", "dz_ci_low", "dz_ci_high", "primary_test", "p_value",
                "p_adjusted", "flags", "summary_id", "summary_en"):
        assert key in g, key
    assert isinstance(g["n"], int) and isinstance(g["df"], int) and isinstance(g["flags"], list)
    assert g["primary_test"] in ("t", "wilcoxon")
    assert out["design"] == "before_after" and out["power"]["n_required"] == 34


def test_plain_language_cases():
    up = paired_summary(training(40), "knowledge").iloc[0]
    assert up["summary_id"].startswith("Nilai post-test naik rata-rata")
    assert "Tanpa kelompok pembanding" in up["summary_id"]
    df = training(40)
    df["nilai_post"] = df["nilai_pre"] - 8 + np.random.default_rng(2).normal(0, 2, 40).round()
    down = paired_summary(df, "knowledge").iloc[0]
    assert "turun" in down["summary_id"] and "fell" in down["summary_en"]
    df["nilai_post"] = df["nilai_pre"] + np.tile([-3.0, 3, -2, 2, 1, -1, 4, -4], 5)
    flat = paired_summary(df, "knowledge").iloc[0]
    assert "tidak ada bukti perubahan" in flat["summary_id"]
    assert "d_z ≥" in flat["summary_id"] and "80% power" in flat["summary_en"]
    assert ev_text.summarise({"n": 0}, lang="id").startswith("Tidak ada pasangan nilai pre-test")


def test_knowledge_and_performance_measures():
    df = training(30)
    perf = evaluate(df, "performance")
    know = evaluate(df, "knowledge")
    assert_allclose(perf["overall"]["mean_delta"], (df["kinerja_sesudah"] - df["kinerja_sebelum"]).mean())
    assert_allclose(know["overall"]["mean_delta"], (df["nilai_post"] - df["nilai_pre"]).mean())
    assert perf["overall"]["summary_id"].startswith("Nilai kinerja")


def test_errors():
    df = training(10)
    with pytest.raises(ValueError, match="measure must be one of"):
        paired_summary(df, "satisfaction")
    with pytest.raises(ValueError, match="by must name fields"):
        paired_summary(df, by="nip")
    with pytest.raises(ValueError, match="correction must be one of"):
        paired_summary(df, correction="bonferroni")
    with pytest.raises(ValueError, match="min_clusters must be"):
        paired_summary(df, min_clusters=1)
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.drop(columns="nilai_post"))
    assert err.value.code == "missing_columns" and "nilai_post" in err.value.message("en")
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.assign(nilai_pre=df["nilai_pre"].astype(str)))
    assert err.value.code == "measure_not_numeric"


# ---------------------------------------------------------------- ordered predikat

SCALE_2022 = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def predikat(before: list, after: list, **extra) -> pd.DataFrame:
    cat = pd.CategoricalDtype(SCALE_2022, ordered=True)
    return pd.DataFrame({"kinerja_sebelum": pd.Series(before, dtype=cat),
                         "kinerja_sesudah": pd.Series(after, dtype=cat), **extra})


def test_ordinal_predikat_uses_wilcoxon_on_ranks():
    before = ["Baik"] * 8 + ["Butuh Perbaikan"] * 6 + ["Sangat Baik"] * 2 + [None]
    after = ["Sangat Baik"] * 6 + ["Baik"] * 2 + ["Baik"] * 5 + ["Butuh Perbaikan"] + ["Sangat Baik"] * 2 + ["Baik"]
    df = predikat(before, after)
    out = evaluate(df, "performance")
    o = out["overall"]
    assert out["scale"] == "ordinal" and out["categories"] == SCALE_2022
    assert o["primary_test"] == "wilcoxon" and o["n"] == 16
    codes_b = df["kinerja_sebelum"].cat.codes.to_numpy()[:16] + 1.0
    codes_a = df["kinerja_sesudah"].cat.codes.to_numpy()[:16] + 1.0
    assert_allclose(o["p_value"], _scipy_group(codes_b, codes_a)[1].pvalue, rtol=1e-12)
    assert (o["n_increase"], o["n_no_change"], o["n_decrease"]) == (11, 5, 0)
    assert o["summary_id"].startswith("Predikat kinerja membaik pada 11 dari 16 pegawai")
    assert np.array(o["shift_table"]).sum() == 16
    assert o["shift_table"][3][4] == 6  # Baik -> Sangat Baik
    assert "ceiling" in o["flags"]  # 2 of 16 start at Sangat Baik, 8 end there


def test_shift_table_tidy_and_complete():
    df = predikat(["Baik", "Baik", "Sangat Kurang"], ["Sangat Baik", "Baik", "Baik"], program=["A", "B", "A"])
    t = shift_table(df, by="program")
    assert list(t.columns) == ["program", "before", "after", "count"]
    assert len(t) == 2 * 25 and t["count"].sum() == 3
    assert t.query("program == 'A' and before == 'Sangat Kurang' and after == 'Baik'")["count"].item() == 1
    with pytest.raises(AnalysisError, match="ordered ratings|predikat"):
        shift_table(training(5), "knowledge")


def test_mixed_scales_are_refused():
    df = predikat(["Baik"], ["Baik"])
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.assign(kinerja_sesudah=[90.0]), "performance")
    assert err.value.code == "mixed_scales"
    old = pd.CategoricalDtype(["Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik"], ordered=True)
    with pytest.raises(AnalysisError):
        paired_summary(df.assign(kinerja_sesudah=pd.Series(["Baik"], dtype=old)), "performance")


# ---------------------------------------------------------------- comparison group (design)

def with_comparison(rows: int = 120, seed: int = 3, effect: float = 4.0) -> pd.DataFrame:
    df = training(rows, seed)
    rng = np.random.default_rng(seed + 100)
    comp = rng.random(rows) < 0.4
    df["kelompok"] = pd.Series(np.where(comp, "pembanding", "peserta"), dtype="str")
    df.loc[comp & (rng.random(rows) < 0.5), "program"] = None
    gain = np.where(comp, 2.0, 2.0 + effect) + rng.normal(0, 3, rows).round()
    df["nilai_post"] = df["nilai_pre"] + gain
    return df


def test_difference_in_differences_design_named_and_estimated():
    df = with_comparison()
    out = evaluate(df, "knowledge", by="program")
    assert out["design"] == "difference_in_differences"
    part = df[df["kelompok"] == "peserta"]
    comp = df[df["kelompok"] == "pembanding"]
    delta = lambda f: (f["nilai_post"] - f["nilai_pre"]).mean()  # noqa: E731
    assert_allclose(out["overall"]["did"], delta(part) - delta(comp), rtol=1e-12)
    for g in out["groups"]:
        matched = comp[(comp["program"] == g["program"]) | comp["program"].isna()]
        assert g["design"] == "difference_in_differences"
        assert g["n_comparison"] == len(matched)
        assert_allclose(g["did"], delta(part[part["program"] == g["program"]]) - delta(matched), rtol=1e-12)
        assert g["did_cluster_by"] == "kecamatan"
        assert "few_clusters" in g["flags"]  # 3 kecamatan
        assert "difference-in-differences" in g["summary_en"] and "only 3" in g["summary_en"]
    assert out["overall"]["did_n_clusters"] == 3


def test_difference_in_differences_matches_statsmodels_cluster_se():
    import statsmodels.formula.api as smf

    df = with_comparison(300, seed=9)
    df["kecamatan"] = pd.Series(np.random.default_rng(1).choice([f"K{i}" for i in range(8)], len(df)), dtype="str")
    out = evaluate(df, "knowledge")["overall"]
    long = pd.concat([
        df.assign(y=df["nilai_pre"], post=0),
        df.assign(y=df["nilai_post"], post=1),
    ]).assign(treated=lambda f: (f["kelompok"] == "peserta").astype(int))
    fit = smf.ols("y ~ treated * post", long).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(long["kecamatan"])[0]}, use_t=True)
    assert_allclose(out["did"], fit.params["treated:post"], rtol=1e-10)
    assert_allclose(out["did_se"], fit.bse["treated:post"], rtol=1e-10)
    assert_allclose(out["did_p_value"], fit.pvalues["treated:post"], rtol=1e-8)
    assert_allclose([out["did_ci_low"], out["did_ci_high"]], fit.conf_int().loc["treated:post"], rtol=1e-10)


def test_single_kecamatan_groups_cluster_by_person():
    df = with_comparison(200, seed=5)
    out = paired_summary(df, "knowledge", by="kecamatan")
    assert (out["did_cluster_by"] == "person").all()
    assert out["flags"].str.contains("few_clusters").all()
    assert out["summary_id"].str.contains("per pegawai").all()


def test_groups_without_comparison_stay_before_after():
    df = with_comparison(120, seed=6)
    df.loc[df["kelompok"] == "pembanding", "program"] = "Latsar"
    out = paired_summary(df, "knowledge", by="program").set_index("program")
    assert out.loc["Latsar", "design"] == "difference_in_differences"
    assert out.loc["Pelayanan Prima", "design"] == "before_after"
    assert "no_comparison" in out.loc["Pelayanan Prima", "flags"]


def test_comparison_without_knowledge_scores_is_not_a_design():
    df = with_comparison(60, seed=7)
    df.loc[df["kelompok"] == "pembanding", ["nilai_pre", "nilai_post"]] = np.nan
    out = evaluate(df, "knowledge", by="program")
    assert out["design"] == "before_after"
    assert all("no_comparison" not in g["flags"] for g in out["groups"])


# ---------------------------------------------------------------- CLI

def _training_csv(path, rejected: int = 1):
    lines = ["NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Kelompok;Tanggal Mulai;JP;Pre Test;Post Test"]
    rng = np.random.default_rng(0)
    for i in range(24):
        pre = 55 + i % 20
        program = "Literasi Data" if i % 2 else "Pelayanan Prima"
        lines.append(f"1985031220100110{i % 10:02d};Pegawai {i};Dinas Kominfo;Medan Baru;{program};Peserta;"
                     f"12/03/2025;20;{pre};{pre + 3 + int(rng.integers(0, 8))}")
    for i in range(rejected):
        lines.append(f"19850312201001102{i};Salah {i};Dinas Kominfo;Medan Baru;Literasi Data;Peserta;"
                     "12/03/2025;20;150;90")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_evaluate_json(tmp_path, capsys):
    from analysis.cli import main
    from analysis.intake.pipeline import read_file

    path = _training_csv(tmp_path / "rekap.csv")
    res = read_file(path)
    assert main(["evaluate", str(path), "--json", "--by", "program", "--correction", "bh"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_used"] == len(res.accepted) and out["rows_rejected"] == len(res.rejected) >= 1
    assert out["measure"] == "knowledge" and out["correction"] == "bh"
    assert {g["program"] for g in out["groups"]} == {"Literasi Data", "Pelayanan Prima"}
    assert out["overall"]["n"] == len(res.accepted)


def test_cli_evaluate_text_and_errors(tmp_path, capsys):
    from analysis.cli import main

    path = _training_csv(tmp_path / "rekap.csv")
    assert main(["evaluate", str(path), "--by", "program", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Rows used" in text and "Post-test scores" in text
    assert main(["evaluate", str(path), "--by", "nip", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "invalid_by"


# ---------------------------------------------------------------- documentation

MODULES = [ev, ev_stats, ev_did, ev_power, ev_text, ev_groups]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_function_has_an_example(module):
    public = [
        obj for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__
    ]
    assert public
    missing = [f.__name__ for f in public if "Examples\n" not in (f.__doc__ or "") or ">>>" not in f.__doc__]
    assert not missing, f"public functions without an Examples section: {missing}"


def test_comparison_rows_without_dates_compare_with_every_period():
    # Non-participants have no program and no start date; grouped by period, each quarter's
    # participants are still compared with them (difference in differences), not left before/after.
    df = pd.DataFrame({
        "kelompok": ["peserta"] * 4 + ["pembanding"] * 2,
        "program": ["A"] * 4 + [None] * 2,
        "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-02-03", "2025-08-01", "2025-08-04", None, None]),
        "kinerja_sebelum": [70.0, 72.0, 68.0, 71.0, 70.0, 69.0],
        "kinerja_sesudah": [78.0, 79.0, 75.0, 77.0, 71.0, 70.0],
    })
    out = evaluate(df, measure="performance", by=("period",))
    designs = {g["period"]: (g["design"], g["did"]) for g in out["groups"]}
    # comparison change is +1: Q1 participants gain 7.5 → DiD 6.5; Q3 gain 6.5 → DiD 5.5
    assert designs["2025-Q1"][0] == designs["2025-Q3"][0] == "difference_in_differences"
    assert designs["2025-Q1"][1] == pytest.approx(6.5) and designs["2025-Q3"][1] == pytest.approx(5.5)
