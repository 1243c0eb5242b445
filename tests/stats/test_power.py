"""Power of the paired t-test (analysis/stats/power.py) against statsmodels' TTestPower."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import analysis.stats.power as ev_power

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
