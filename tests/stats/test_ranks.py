"""Mann–Whitney U (analysis/stats/ranks.py) against R's ``wilcox.test(x, y)``."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.stats.ranks import mann_whitney



def test_mann_whitney_likert_matches_r_small():
    # R 4.2.2: wilcox.test(c(4, 4, 3, 4, 3), c(2, 3, 3, 2, 2))
    #   Wilcoxon rank sum test with continuity correction
    #   W = 23, p-value = 0.02689
    r = mann_whitney([4, 4, 3, 4, 3], [2, 3, 3, 2, 2])
    assert r["u_statistic"] == 23 and r["method"] == "normal"
    assert_allclose(r["p_value"], 0.02689, rtol=2e-4)


def test_mann_whitney_likert_matches_r_large():
    # R 4.2.2:
    # before <- c(rep(1,3), rep(2,10), rep(3,25), rep(4,12))
    # after <- c(rep(1,1), rep(2,6), rep(3,24), rep(4,19))
    # wilcox.test(after, before)
    #   Wilcoxon rank sum test with continuity correction
    #   W = 1497.5, p-value = 0.06452058
    before = [1] * 3 + [2] * 10 + [3] * 25 + [4] * 12
    after = [1] * 1 + [2] * 6 + [3] * 24 + [4] * 19
    r = mann_whitney(after, before)
    assert r["u_statistic"] == 1497.5
    assert_allclose(r["p_value"], 0.06452058079, rtol=1e-8)
    assert_allclose(r["rank_biserial"], 2 * 1497.5 / 2500 - 1)
    # swapping the samples flips the effect's sign and keeps p
    s = mann_whitney(before, after)
    assert_allclose(s["p_value"], r["p_value"], rtol=1e-12)
    assert_allclose(s["rank_biserial"], -r["rank_biserial"])


def test_mann_whitney_exact_without_ties_matches_r():
    # R 4.2.2:
    # wilcox.test(c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
    #             c(1.15, 0.88, 0.90, 0.74, 1.21))
    #   Wilcoxon rank sum exact test
    #   W = 35, p-value = 0.2544123
    r = mann_whitney([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
                     [1.15, 0.88, 0.90, 0.74, 1.21])
    assert r["u_statistic"] == 35 and r["method"] == "exact"
    assert_allclose(r["p_value"], 0.2544123, rtol=1e-6)


@pytest.mark.parametrize("after, before", [([3, 3, 3], [3, 3]), ([], [1, 2]), ([4], [])])
def test_mann_whitney_degenerate(after, before):
    # R: wilcox.test(c(3,3,3), c(3,3)) → W = 3, p-value = NA
    r = mann_whitney(after, before)
    assert np.isnan(r["p_value"])
    if after and before:
        assert r["u_statistic"] == 3 and r["rank_biserial"] == 0
