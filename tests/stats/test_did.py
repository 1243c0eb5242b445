"""Difference-in-differences on long data: Angrist & Pischke's published numbers, and the standard
errors of statsmodels' OLS with cluster-robust (CR1) and HC1 covariance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

from analysis.stats.did import MIN_CLUSTERS, did_arrays, difference_in_differences

TERM = "treated[T.True]:post[T.True]"


@pytest.fixture
def banks() -> pd.DataFrame:
    # Angrist & Pischke, Mastering 'Metrics (2015), ch. 5, table 5.1 / figure 5.2: banks in business
    # in Mississippi's Atlanta-Fed 6th district (easy money, treated) and St. Louis-Fed 8th district.
    years = list(range(1929, 1935))
    df = pd.DataFrame({
        "district": [6] * 6 + [8] * 6,
        "year": years * 2,
        "banks": [141, 135, 121, 113, 102, 102, 169, 165, 132, 120, 111, 109],
    })
    return df.assign(treated=df["district"] == 6, post=df["year"] >= 1931)


def test_angrist_pischke_1930_to_1931(banks):
    # Mastering 'Metrics p. 188: (121 - 135) - (132 - 165) = -14 - (-33) = 19 banks
    two_years = banks[banks["year"].isin([1930, 1931])]
    out = difference_in_differences(two_years, "banks", "treated", "post")
    assert_allclose(out["did"], 19.0)
    assert np.isnan(out["se"]).all()  # four observations, four parameters: no residual variance


def test_angrist_pischke_pooled(banks):
    # Mastering 'Metrics ch. 5, pooled: 1929-30 against 1931-34, (109.5 - 138) - (118 - 167) = 20.5
    out = difference_in_differences(banks, "banks", "treated", "post").iloc[0]
    assert_allclose(out["did"], 20.5)
    assert_allclose([out["mean_treated_before"], out["mean_treated_after"]], [138.0, 109.5])
    assert_allclose([out["mean_comparison_before"], out["mean_comparison_after"]], [167.0, 118.0])
    fit = smf.ols("banks ~ treated * post", banks).fit(cov_type="HC1", use_t=True)
    assert_allclose(out["did"], fit.params[TERM])
    assert_allclose(out["se"], fit.bse[TERM], rtol=1e-10)
    assert out["cluster_by"] == "observation"


def long_panel(seed: int = 0, groups: int = 3, clusters: int = 9, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "g": rng.integers(0, groups, n),
        "kec": rng.integers(0, clusters, n),
        "treated": rng.random(n) < 0.5,
        "post": rng.random(n) < 0.5,
    })
    df["y"] = rng.normal(size=n) + 0.7 * df["treated"] * df["post"] + 0.4 * df["kec"]
    return df


def test_cluster_robust_se_equals_statsmodels_per_group():
    df = long_panel()
    out = difference_in_differences(df, "y", "treated", "post", cluster="kec", by="g")
    assert len(out) == 3
    for _, row in out.iterrows():
        sub = df[df["g"] == row["g"]]
        fit = smf.ols("y ~ treated * post", sub).fit(
            cov_type="cluster", cov_kwds={"groups": sub["kec"].to_numpy()}, use_t=True)
        assert_allclose(row["did"], fit.params[TERM], rtol=1e-12)
        assert_allclose(row["se"], fit.bse[TERM], rtol=1e-10)
        assert_allclose(row["p_value"], fit.pvalues[TERM], rtol=1e-9)
        assert_allclose([row["ci_low"], row["ci_high"]], fit.conf_int().loc[TERM], rtol=1e-10)
        assert row["df"] == fit.df_resid_inference == 8
        assert row["few_clusters"] == (9 < MIN_CLUSTERS)


def test_hc1_when_no_cluster_equals_statsmodels():
    df = long_panel(1)
    out = difference_in_differences(df, "y", "treated", "post", by=["g"])
    for _, row in out.iterrows():
        fit = smf.ols("y ~ treated * post", df[df["g"] == row["g"]]).fit(cov_type="HC1", use_t=True)
        assert_allclose([row["se"], row["p_value"]], [fit.bse[TERM], fit.pvalues[TERM]], rtol=1e-9)


def test_single_cluster_falls_back_to_the_unit():
    rng = np.random.default_rng(2)
    people = 80
    wide = pd.DataFrame({"nip": np.arange(people), "treated": np.arange(people) < 40,
                         "pre": rng.normal(60, 5, people)})
    wide["postscore"] = wide["pre"] + 3 + 2 * wide["treated"] + rng.normal(0, 2, people)
    long = pd.concat([wide.assign(y=wide["pre"], post=False), wide.assign(y=wide["postscore"], post=True)])
    long["kec"] = "Medan Baru"
    out = difference_in_differences(long, "y", "treated", "post", cluster="kec", unit="nip").iloc[0]
    fit = smf.ols("y ~ treated * post", long).fit(cov_type="cluster", cov_kwds={"groups": long["nip"].to_numpy()},
                                                   use_t=True)
    assert out["cluster_by"] == "nip" and out["few_clusters"]
    assert_allclose([out["did"], out["se"]], [fit.params[TERM], fit.bse[TERM]], rtol=1e-10)
    assert out["n_clusters"] == people


def test_missing_cells_and_outcomes():
    df = pd.DataFrame({"y": [1.0, 2.0, np.nan, 4.0], "treated": [True, True, False, False],
                       "post": [False, True, False, True]})
    out = difference_in_differences(df, "y", "treated", "post")
    assert np.isnan(out["did"]).all()  # the comparison arm has no "before" observation left
    assert out["n_comparison_before"].iloc[0] == 0


def test_did_arrays_groups_equal_separate_calls():
    df = long_panel(3, groups=4)
    key = df["g"].to_numpy()
    together = did_arrays(key, 4, df["treated"], df["post"], df["y"], cluster=df["kec"].to_numpy())
    for g in range(4):
        sub = df[df["g"] == g]
        alone = did_arrays(np.zeros(len(sub), int), 1, sub["treated"], sub["post"], sub["y"],
                           cluster=sub["kec"].to_numpy())
        for field in ("did", "se", "p_value", "n_clusters"):
            assert_allclose(together[field][g], alone[field][0], rtol=1e-10)


def test_argument_errors(banks):
    with pytest.raises(ValueError, match="outcome must name a column"):
        difference_in_differences(banks, "deposits", "treated", "post")
    with pytest.raises(ValueError, match="cluster must name a column"):
        difference_in_differences(banks, "banks", "treated", "post", cluster="state")
    with pytest.raises(ValueError, match="alpha must lie"):
        difference_in_differences(banks, "banks", "treated", "post", alpha=1.5)
