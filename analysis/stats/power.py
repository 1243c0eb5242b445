"""Power of the paired t-test: what a group could detect, and how many participants a target needs.

So that "no significant change" can be read as "too little data" when that is what it is: a group
of 8 participants can only detect a change of about d_z = 1.16 with 80% power, a group of 34 one of
d_z = 0.5. Both functions agree with statsmodels' ``TTestPower`` (two-sided, α = 0.05); the smallest
detectable effect is solved for all groups at once so that 250 groups cost one call.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

from analysis.core.significance import ALPHA

POWER = 0.8
#: Default target effect for "participants needed": Cohen's medium effect.
TARGET_DZ = 0.5


def _check(alpha: float, power: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    if not 0 < power < 1:
        raise ValueError(f"power must lie strictly between 0 and 1, got {power}")


def min_detectable_dz(n, alpha: float = ALPHA, power: float = POWER) -> np.ndarray:
    """Smallest d_z a two-sided paired t-test on ``n`` pairs detects with the given power.

    Solves ``P(T > t_crit) + P(T < −t_crit) = power`` for the noncentrality ``d_z · √n`` of a
    t distribution with ``n − 1`` degrees of freedom (the equation statsmodels'
    ``TTestPower.solve_power`` solves one group at a time).

    Parameters
    ----------
    n : array-like
        Number of complete pairs per group; below 2 the result is NaN.
    alpha, power : float
        Two-sided significance level and target power.

    Returns
    -------
    numpy.ndarray
        Minimum detectable d_z, same shape as ``n``.

    Examples
    --------
    >>> min_detectable_dz([8, 34, 1]).round(3).tolist()
    [1.156, 0.495, nan]
    """
    _check(alpha, power)
    n = np.asarray(n, dtype=float)
    out = np.full(n.shape, np.nan)
    ok = np.isfinite(n) & (n >= 2)
    if not ok.any():
        return out
    sizes, inverse = np.unique(n[ok], return_inverse=True)
    df = sizes - 1
    t_crit = special.stdtrit(df, 1 - alpha / 2)

    def achieved(ncp, i):
        # Boost returns NaN far in the lower tail, where the probability is negligible
        lower = np.nan_to_num(special.nctdtr(df[i], ncp, -t_crit[i]), nan=0.0)
        return 1 - special.nctdtr(df[i], ncp, t_crit[i]) + lower

    # start from the upper rejection region alone, then Newton steps on the full two-sided power;
    # each group on its own path, so a group's answer does not depend on the others
    everyone = np.arange(df.size)
    ncp = special.nctdtrinc(df, 1 - power, t_crit)
    resid = achieved(ncp, everyone) - power
    for _ in range(3):
        todo = np.flatnonzero(np.abs(resid) > 1e-13)
        if todo.size == 0:
            break
        x = ncp[todo]
        h = 1e-5 * np.maximum(1.0, x)
        slope = (achieved(x + h, todo) - achieved(x - h, todo)) / (2 * h)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - resid[todo] / slope
        new_resid = achieved(step, todo) - power
        better = np.isfinite(step) & (np.abs(new_resid) < np.abs(resid[todo]))
        ncp[todo[better]] = step[better]
        resid[todo[better]] = new_resid[better]
    out[ok] = (ncp / np.sqrt(sizes))[inverse]
    return out


@lru_cache(maxsize=64)
def n_required(dz: float = TARGET_DZ, alpha: float = ALPHA, power: float = POWER) -> int:
    """Complete pairs needed to detect an effect ``dz`` with a two-sided paired t-test.

    statsmodels ``TTestPower().solve_power``, rounded up to whole participants.

    Examples
    --------
    >>> n_required(0.5), n_required(0.8), n_required(0.2)
    (34, 15, 199)
    """
    _check(alpha, power)
    if not (np.isfinite(dz) and dz > 0):
        raise ValueError(f"dz must be a positive effect size, got {dz}")
    from statsmodels.stats.power import TTestPower

    nobs = TTestPower().solve_power(effect_size=dz, nobs=None, alpha=alpha, power=power, alternative="two-sided")
    return int(np.ceil(float(np.squeeze(nobs)) - 1e-9))


@lru_cache(maxsize=16)
def precise_null_pairs(band: float = 0.2, alpha: float = ALPHA) -> int:
    """The fewest pairs whose (1 − α) CI of d_z, for an observed change of exactly zero, lies inside
    ``(−band, band)``: the least data that can show a *precise null* (no effect as large as ``band``).

    At t = 0 the noncentral-t interval of d_z (Cumming & Finch 2001) is ±λ/√n with
    P(T_{n−1}(λ) ≤ 0) = α/2, close to ±1.96/√n; any observed change other than zero needs more.

    Examples
    --------
    >>> precise_null_pairs(0.2), precise_null_pairs(0.1)
    (97, 385)
    """
    if not (np.isfinite(band) and band > 0):
        raise ValueError(f"band must be a positive effect size, got {band}")
    _check(alpha, POWER)
    n = np.arange(3, 200_001, dtype=float)
    half = special.nctdtrinc(n - 1, alpha / 2, np.zeros_like(n)) / np.sqrt(n)
    inside = np.flatnonzero(half < band)
    if inside.size == 0:
        raise ValueError(f"band must be wide enough for 200,000 pairs, got {band}")
    return int(n[inside[0]])
