"""A straight-line slope with a cluster-robust standard error: does an outcome grow with a dose?

OLS of y on x with an intercept. The slope is b = Σ(xᵢ − x̄)(yᵢ − ȳ) / Sxx and observation i's
contribution to it is (xᵢ − x̄) eᵢ / Sxx (eᵢ its residual), so the cluster-robust variance is
c · Σ_g (Σ_{i∈g} (xᵢ − x̄) eᵢ)² / Sxx² with c = G/(G − 1) · (N − 1)/(N − 2) and t inference on
G − 1 degrees of freedom: statsmodels' OLS with ``cov_type="cluster"`` (CR1). Without clusters it
is HC1 (c = N/(N − 2), N − 2 degrees of freedom).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from analysis.core.significance import ALPHA


def dose_slope(x, y, cluster=None, alpha: float = ALPHA) -> dict:
    """The slope of ``y`` on ``x`` with its cluster-robust (CR1) or HC1 standard error.

    Parameters
    ----------
    x, y : array of float
        Dose and outcome; pairs with a missing value are left out.
    cluster : array, optional
        Cluster of each pair (e.g. kecamatan); HC1 when omitted.
    alpha : float
        1 − confidence level of the interval.

    Returns
    -------
    dict
        ``slope``, ``intercept``, ``se``, ``df``, ``t_statistic``, ``p_value``, ``ci_low``,
        ``ci_high``, ``n`` and ``n_clusters`` (NaN where undefined: fewer than 3 pairs, no spread
        in x, or fewer than 2 clusters).

    Examples
    --------
    >>> r = dose_slope([1, 2, 3, 4, 5, 6], [1.1, 1.9, 3.2, 3.9, 5.1, 5.8])
    >>> round(r["slope"], 4), r["n"], r["df"]
    (0.9657, 6, 4.0)
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-d arrays of the same length, got {x.shape} and {y.shape}")
    ok = np.isfinite(x) & np.isfinite(y)
    groups = None
    if cluster is not None:
        codes = pd.factorize(pd.Series(cluster), use_na_sentinel=False)[0]
        if codes.shape[0] != x.shape[0]:
            raise ValueError(f"cluster must have one value per pair, got {codes.shape[0]} for {x.shape[0]}")
        groups = codes[ok]
    x, y = x[ok], y[ok]
    n = x.size
    out = dict.fromkeys(("slope", "intercept", "se", "df", "t_statistic", "p_value", "ci_low", "ci_high"), np.nan)
    out.update(n=int(n), n_clusters=np.nan)
    dx = x - x.mean() if n else x
    sxx = float((dx ** 2).sum())
    if n < 3 or sxx <= 0:
        return out
    slope = float((dx * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean() - slope * x.mean())
    score = dx * (y - intercept - slope * x)
    if groups is None:
        g, meat, df = n, float((score ** 2).sum()), n - 2
        factor = n / (n - 2)
    else:
        per = np.bincount(groups, weights=score)
        g = int(np.unique(groups).size)
        meat, df = float((per ** 2).sum()), g - 1
        factor = g / (g - 1) * (n - 1) / (n - 2) if g >= 2 else np.nan
    out.update(slope=slope, intercept=intercept, n_clusters=float(g))
    if df < 1 or not np.isfinite(factor):
        return out
    se = float(np.sqrt(factor * meat) / sxx)
    t = slope / se if se > 0 else np.nan
    half = float(special.stdtrit(df, 1 - alpha / 2)) * se
    out.update(se=se, df=float(df), t_statistic=t, p_value=float(2 * special.stdtr(df, -abs(t))) if se > 0 else np.nan,
               ci_low=slope - half, ci_high=slope + half)
    return out
