"""Empirical Bayes shrinkage (analysis/stats/shrinkage.py) against a hand computation, and the dose
slope (analysis/stats/slope.py) against statsmodels' OLS with cluster-robust and HC1 errors."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

from analysis.stats.shrinkage import shrink_groups, shrink_means
from analysis.stats.slope import dose_slope

# Three mentors: a's mentees changed by 2 and 4, b's by 0, 2, 1, 1, c's single mentee by 5.
VALUES = [2, 4, 0, 2, 1, 1, 5]
GROUPS = ["a", "a", "b", "b", "b", "b", "c"]


def test_shrinkage_by_hand():
    # By hand, exactly (fractions):
    # means 3, 1, 5; within sums of squares 2 + 2 + 0 over N - J = 7 - 3 = 4: sigma^2 = 1;
    # v = sigma^2 / n = 1/2, 1/4, 1; w = 1/v = 2, 4, 1; mu_FE = (6 + 4 + 5) / 7 = 15/7;
    # Q = 2(6/7)^2 + 4(8/7)^2 + (20/7)^2 = 728/49; C = 7 - 21/7 = 4;
    # tau^2 = (Q - 2) / C = (630/49) / 4 = 45/14.
    tau2 = Fraction(45, 14)
    v = [Fraction(1, 2), Fraction(1, 4), Fraction(1)]
    means = [3, 1, 5]
    w_star = [1 / (vj + tau2) for vj in v]
    mu = sum(w * m for w, m in zip(w_star, means)) / sum(w_star)          # 2.870792...
    factor = [vj / (vj + tau2) for vj in v]                                # 7/52, 7/97, 14/59
    shrunk = [mu + (1 - b) * (m - mu) for b, m in zip(factor, means)]
    var = [(1 - b) * vj + b * b / sum(w_star) for b, vj in zip(factor, v)]
    assert factor == [Fraction(7, 52), Fraction(7, 97), Fraction(14, 59)]
    out = shrink_groups(VALUES, GROUPS)
    assert out["group"].tolist() == ["a", "b", "c"] and out["n"].tolist() == [2, 4, 1]
    assert out.attrs["sigma2"] == 1.0
    assert_allclose(out.attrs["tau2"], float(tau2), rtol=1e-12)
    assert_allclose(out.attrs["mu"], float(mu), rtol=1e-12)
    assert_allclose(out["factor"], [float(b) for b in factor], rtol=1e-12)
    assert_allclose(out["shrunk"], [float(s) for s in shrunk], rtol=1e-12)   # 2.9826, 1.1350, 4.4948
    assert_allclose(out["se"], [float(x) ** 0.5 for x in var], rtol=1e-12)
    assert_allclose(out["ci_high"] - out["shrunk"], 1.959963984540054 * out["se"], rtol=1e-12)


def test_one_lucky_mentee_does_not_rank_a_mentor_first():
    # mentor "lucky": one mentee who gained 3 ranks; mentor "steady": eight mentees who gained 2 on
    # average; five more mentors with five mentees each around 1; mentees of one mentor differ by
    # about one rank
    values = [3.0] + [1, 3, 2, 2, 2, 1, 3, 2] + [0, 1, 2, 0, 2] + [1, 0, 2, 1, 1] + [0, 2, 1, 0, 2] + [
        2, 1, 0, 1, 1] + [1, 2, 0, 2, 0]
    groups = ["lucky"] + ["steady"] * 8 + [f"m{k}" for k in range(1, 6) for _ in range(5)]
    out = shrink_groups(values, groups).set_index("group")
    assert out.loc["lucky", "mean"] > out.loc["steady", "mean"]        # raw means rank the lucky one first
    assert out.loc["lucky", "shrunk"] < out.loc["steady", "shrunk"]    # shrunk, the steady mentor leads
    assert out.loc["lucky", "factor"] > out.loc["steady", "factor"]
    assert out.loc["lucky", "ci_high"] - out.loc["lucky", "ci_low"] > out.loc["steady", "ci_high"] - out.loc["steady", "ci_low"]


def test_no_between_group_spread_shrinks_everything_to_the_mean():
    r = shrink_means([1.0, 1.1, 0.9], [1.0, 1.0, 1.0])  # Q < J - 1: tau^2 = 0
    assert r["tau2"] == 0 and np.allclose(r["factor"], 1) and np.allclose(r["shrunk"], r["mu"])


def test_shrinkage_without_within_group_spread_is_missing_and_bad_input_refused():
    out = shrink_groups([1.0, 2.0, 3.0], ["a", "b", "c"])  # single mentees: no sigma^2
    assert out["shrunk"].isna().all() and np.isnan(out.attrs["sigma2"])
    with pytest.raises(ValueError, match="variances must be positive"):
        shrink_means([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="values and groups must have the same length"):
        shrink_groups([1.0], ["a", "b"])


@pytest.fixture
def dose() -> pd.DataFrame:
    # twelve mentees: sessions held and their appraisal change beyond their matched comparison
    return pd.DataFrame({"sesi": [4, 5, 6, 8, 10, 4, 7, 9, 5, 6, 8, 10],
                         "d": [0, 0, 1, 1, 1, -1, 0, 1, 0, 1, 1, 2],
                         "kec": ["A", "A", "A", "B", "B", "B", "C", "C", "C", "D", "D", "D"]})


def test_dose_slope_equals_statsmodels_cluster_and_hc1(dose):
    r = dose_slope(dose["sesi"], dose["d"], dose["kec"])
    # statsmodels 0.15.0, printed:
    # >>> fit = smf.ols("d ~ sesi", df).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["kec"])[0]},
    # ...                                   use_t=True)
    # >>> fit.params["sesi"], fit.bse["sesi"], fit.pvalues["sesi"], fit.conf_int().loc["sesi"].tolist(), fit.df_resid_inference
    # (0.2935483870967742, 0.04149531517272012, 0.005808150336570291, [0.1614917746387681, 0.42560499955478037], 3)
    assert_allclose(r["slope"], 0.2935483870967742, rtol=1e-12)
    assert_allclose(r["se"], 0.04149531517272012, rtol=1e-10)
    assert_allclose(r["p_value"], 0.005808150336570291, rtol=1e-9)
    assert_allclose([r["ci_low"], r["ci_high"]], [0.1614917746387681, 0.42560499955478037], rtol=1e-10)
    assert r["df"] == 3 and r["n_clusters"] == 4 and r["n"] == 12
    # >>> fit = smf.ols("d ~ sesi", df).fit(cov_type="HC1", use_t=True); fit.bse["sesi"], fit.pvalues["sesi"]
    # (0.07006545711660994, 0.0018590467517584804)
    hc1 = dose_slope(dose["sesi"], dose["d"])
    assert_allclose([hc1["se"], hc1["p_value"]], [0.07006545711660994, 0.0018590467517584804], rtol=1e-9)
    assert hc1["df"] == 10


def test_dose_slope_on_random_data_equals_statsmodels():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.integers(2, 12, 200).astype(float), "kec": rng.integers(0, 15, 200)})
    df["y"] = 0.1 * df["x"] + rng.normal(0, 1, 200) + 0.3 * df["kec"] % 2
    fit = smf.ols("y ~ x", df).fit(cov_type="cluster", cov_kwds={"groups": df["kec"].to_numpy()}, use_t=True)
    r = dose_slope(df["x"], df["y"], df["kec"])
    assert_allclose([r["slope"], r["se"], r["p_value"]], [fit.params["x"], fit.bse["x"], fit.pvalues["x"]], rtol=1e-9)


def test_dose_slope_undefined_cases():
    assert np.isnan(dose_slope([5, 5, 5], [1, 2, 3])["slope"])         # no spread in the dose
    assert np.isnan(dose_slope([1, 2], [1, 2])["se"])                    # two pairs: no residual
    one = dose_slope([1, 2, 3, 4], [1, 2, 2, 4], cluster=["A"] * 4)    # one cluster: no clustered SE
    assert np.isfinite(one["slope"]) and np.isnan(one["se"])
