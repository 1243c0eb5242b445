"""Multiplicity adjustments (analysis/stats/multiplicity.py): Benjamini & Hochberg's (1995) published
example, and the same numbers as statsmodels and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from analysis.stats.multiplicity import adjust_p

# Benjamini & Hochberg (1995), section 4: the 15 p-values of their example (at 0.05 BH rejects 4, Holm 3).
BH_P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
        0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]


def test_benjamini_hochberg_1995_rejections():
    # B&H 1995 §4: at q = 0.05 the step-up procedure rejects the 4 smallest; Holm (Bonferroni-type)
    # rejects 3.
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
