"""Invariants of the paired statistics (analysis/stats/paired.py), on random data (hypothesis).

Scores are drawn on a half-point grid (0, 0.5, …, 100) and shifted by whole points, as real test
scores are: then every difference is exact in floating point, so "the same data" really is the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from strategies import SETTINGS, samples

import analysis.stats.paired as ev_stats
from analysis.stats.paired import paired_stats



SIGN_FLIP = ["mean_delta", "median_delta", "t_statistic", "effect_size_dz", "effect_size_gz", "rank_biserial"]
SAME = ["n", "n_incomplete", "sd_delta", "df", "t_p_value", "wilcoxon_p_value", "sign_test_p_value", "n_nonzero",
        "n_no_change", "shapiro_statistic", "shapiro_p_value", "n_extreme"]


@SETTINGS
@given(samples(), st.booleans())
def test_swapping_before_and_after_flips_signs_and_keeps_p(data, dense):
    before, after, groups = data
    old = ev_stats.DENSE_CELLS
    ev_stats.DENSE_CELLS = old if dense else 0
    try:
        fwd = paired_stats(before, after, groups, 4)
        rev = paired_stats(after, before, groups, 4)
    finally:
        ev_stats.DENSE_CELLS = old
    assert_allclose(rev[SIGN_FLIP].to_numpy(float), -fwd[SIGN_FLIP].to_numpy(float), rtol=1e-12, atol=1e-12)
    assert_allclose(rev[SAME].to_numpy(float), fwd[SAME].to_numpy(float), rtol=1e-9)
    assert_allclose(rev[["ci_low", "ci_high"]].to_numpy(float), -fwd[["ci_high", "ci_low"]].to_numpy(float), rtol=1e-12)
    assert_allclose(rev[["dz_ci_low", "dz_ci_high"]].to_numpy(float), -fwd[["dz_ci_high", "dz_ci_low"]].to_numpy(float),
                    rtol=1e-6, atol=1e-9)
    assert (rev["n_increase"] == fwd["n_decrease"]).all()
    s = fwd["n_nonzero"] * (fwd["n_nonzero"] + 1) / 2
    assert_allclose(rev["wilcoxon_statistic"], np.where(fwd["n"] > 0, s - fwd["wilcoxon_statistic"], np.nan))
    assert (rev["wilcoxon_method"].fillna("") == fwd["wilcoxon_method"].fillna("")).all()


@SETTINGS
@given(samples(), st.integers(-50, 50))
def test_adding_a_constant_changes_only_the_means(data, shift):
    before, after, groups = data
    base = paired_stats(before, after, groups, 4)
    moved = paired_stats(before + shift, after + shift, groups, 4)
    means = ["mean_before", "mean_after"]
    assert_allclose(moved[means].to_numpy(float), base[means].to_numpy(float) + shift, rtol=1e-12, atol=1e-9)
    pd.testing.assert_frame_equal(moved.drop(columns=means), base.drop(columns=means))


@SETTINGS
@given(samples(min_size=1))
def test_groups_together_equal_groups_one_at_a_time(data):
    before, after, groups = data
    together = paired_stats(before, after, groups, 4)
    for g in range(4):
        alone = paired_stats(before[groups == g], after[groups == g])
        pd.testing.assert_frame_equal(together.iloc[[g]].reset_index(drop=True), alone)
