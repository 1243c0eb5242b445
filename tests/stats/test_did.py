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


@pytest.fixture
def matched() -> pd.DataFrame:
    """Six participants and six matched comparison people (weights as coarsened exact matching gives
    them), before and after, in four kecamatan."""
    return pd.DataFrame({
        "nip": list(range(12)) * 2,
        "kec": ["A", "A", "B", "B", "C", "C", "D", "D", "A", "B", "C", "D"] * 2,
        "treated": ([True] * 6 + [False] * 6) * 2,
        "post": [False] * 12 + [True] * 12,
        "y": [3, 4, 3, 2, 4, 3, 3, 4, 2, 3, 3, 4, 4, 5, 4, 4, 5, 3, 3, 4, 3, 3, 4, 4],
        "w": [1, 1, 1, 1, 1, 1, 0.5, 1.5, 2, 1, 0.75, 1.25] * 2,
    })


def test_weighted_did_by_hand_and_against_statsmodels_wls(matched):
    out = difference_in_differences(matched, "y", "treated", "post", cluster="kec", weight="w").iloc[0]
    # By hand: participants (25 - 19) / 6 = 1; comparison weighted means 21.75 / 7 before and
    # 24.5 / 7 after, a change of 2.75 / 7; DiD = 1 - 2.75 / 7 = 0.607142857...
    assert_allclose(out["did"], 1 - 2.75 / 7, rtol=1e-12)
    # statsmodels 0.15.0, printed:
    # >>> fit = smf.wls("y ~ treated * post", df, weights=df["w"]).fit(cov_type="cluster",
    # ...     cov_kwds={"groups": pd.factorize(df["kec"])[0]}, use_t=True)
    # >>> fit.params[TERM], fit.bse[TERM], fit.pvalues[TERM], fit.conf_int().loc[TERM].tolist(), fit.df_resid_inference
    # (0.6071428571428592, 0.5055584748766293, 0.3159484908354573, [-1.001769843333136, 2.216055557618854], 3)
    assert_allclose(out["se"], 0.5055584748766293, rtol=1e-10)
    assert_allclose(out["p_value"], 0.3159484908354573, rtol=1e-9)
    assert_allclose([out["ci_low"], out["ci_high"]], [-1.001769843333136, 2.216055557618854], rtol=1e-10)
    assert out["df"] == 3 and out["n_clusters"] == 4 and out["few_clusters"]


def test_weighted_cluster_se_equals_statsmodels_wls_per_group():
    df = long_panel(5)
    df["w"] = np.where(df["treated"], 1.0, np.random.default_rng(5).uniform(0.2, 3.0, len(df)))
    out = difference_in_differences(df, "y", "treated", "post", cluster="kec", by="g", weight="w")
    for _, row in out.iterrows():
        sub = df[df["g"] == row["g"]]
        fit = smf.wls("y ~ treated * post", sub, weights=sub["w"]).fit(
            cov_type="cluster", cov_kwds={"groups": sub["kec"].to_numpy()}, use_t=True)
        assert_allclose([row["did"], row["se"], row["p_value"]], [fit.params[TERM], fit.bse[TERM], fit.pvalues[TERM]],
                        rtol=1e-9)


def test_unit_weights_change_nothing_and_bad_weights_are_refused(matched):
    plain = difference_in_differences(matched, "y", "treated", "post", cluster="kec")
    ones = difference_in_differences(matched.assign(w=1.0), "y", "treated", "post", cluster="kec", weight="w")
    assert_allclose(plain[["did", "se", "p_value"]].to_numpy(), ones[["did", "se", "p_value"]].to_numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="weight must hold one positive number per observation"):
        did_arrays([0] * 4, 1, [1, 1, 0, 0], [0, 1, 0, 1], [1.0, 2, 3, 4], weight=[1, 1, 0, 1])
    # a row without a positive weight is left out, like a missing outcome
    dropped = difference_in_differences(matched.assign(w=matched["w"].where(matched["nip"] != 6, 0.0)),
                                        "y", "treated", "post", cluster="kec", weight="w")
    assert dropped["n_obs"].iloc[0] == 22
