"""Empirical Bayes shrinkage of group means: a group measured on few people is pulled toward the
overall mean, so that one lucky person does not rank a group first.

The model is the normal–normal one (Morris 1983, "Parametric empirical Bayes inference: theory and
applications", JASA 78(381)): group j's observed mean ȳⱼ ~ N(θⱼ, vⱼ) with vⱼ = σ²/nⱼ, and the true
means θⱼ ~ N(μ, τ²). σ² is the pooled within-group variance; τ² the between-group variance,
estimated by the method of moments of DerSimonian & Laird (1986, Controlled Clinical Trials 7(3)):

    wⱼ = 1/vⱼ,  μ̂_FE = Σ wⱼ ȳⱼ / Σ wⱼ,  Q = Σ wⱼ (ȳⱼ − μ̂_FE)²,
    τ̂² = max(0, (Q − (J − 1)) / (Σ wⱼ − Σ wⱼ² / Σ wⱼ)).

Then μ̂ = Σ w*ⱼ ȳⱼ / Σ w*ⱼ with w*ⱼ = 1/(vⱼ + τ̂²), the shrinkage factor Bⱼ = vⱼ/(vⱼ + τ̂²), the
estimate θ̂ⱼ = μ̂ + (1 − Bⱼ)(ȳⱼ − μ̂) and its variance (1 − Bⱼ) vⱼ + Bⱼ² / Σ w*ⱼ (the second term
carries the uncertainty of μ̂, Morris 1983 §4); the interval is normal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from analysis.core.significance import ALPHA


def shrink_means(means, variances, alpha: float = ALPHA) -> dict:
    """Shrink group means with known sampling variances toward their overall mean.

    Parameters
    ----------
    means, variances : array of float
        Each group's observed mean ȳⱼ and its sampling variance vⱼ (> 0).
    alpha : float
        1 − confidence level of the intervals.

    Returns
    -------
    dict
        ``mu`` (the overall mean μ̂), ``tau2`` (τ̂²), and arrays ``factor`` (Bⱼ, 0 = kept as
        observed, 1 = pulled all the way to μ̂), ``shrunk`` (θ̂ⱼ), ``se``, ``ci_low``, ``ci_high``.

    Examples
    --------
    Two groups measured precisely and one noisy group far away: the noisy one moves most.

    >>> r = shrink_means([3.0, 1.0, 5.0], [0.5, 0.25, 1.0])
    >>> round(r["tau2"], 6), [round(float(b), 4) for b in r["factor"]]
    (3.214286, [0.1346, 0.0722, 0.2373])
    """
    y = np.asarray(means, dtype=float)
    v = np.asarray(variances, dtype=float)
    if y.shape != v.shape or y.ndim != 1 or y.size == 0:
        raise ValueError(f"means and variances must be 1-d arrays of the same length, got {y.shape} and {v.shape}")
    if not (np.isfinite(v) & (v > 0)).all() or not np.isfinite(y).all():
        raise ValueError(f"variances must be positive and means finite, got {v!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    w = 1 / v
    mu_fe = (w * y).sum() / w.sum()
    q = (w * (y - mu_fe) ** 2).sum()
    c = w.sum() - (w ** 2).sum() / w.sum()
    tau2 = max(0.0, (q - (y.size - 1)) / c) if c > 0 else 0.0
    w_star = 1 / (v + tau2)
    mu = (w_star * y).sum() / w_star.sum()
    factor = v / (v + tau2)
    shrunk = mu + (1 - factor) * (y - mu)
    se = np.sqrt((1 - factor) * v + factor ** 2 / w_star.sum())
    z = special.ndtri(1 - alpha / 2)
    return {"mu": float(mu), "tau2": float(tau2), "factor": factor, "shrunk": shrunk, "se": se,
            "ci_low": shrunk - z * se, "ci_high": shrunk + z * se}


def shrink_groups(values, groups, alpha: float = ALPHA) -> pd.DataFrame:
    """Each group's mean of ``values``, shrunk by :func:`shrink_means` with the pooled within-group
    variance σ² = Σ (yᵢ − ȳⱼ)² / (N − J) and vⱼ = σ²/nⱼ.

    Returns
    -------
    pandas.DataFrame
        One row per group (in order of first appearance): ``group``, ``n``, ``mean``, ``shrunk``,
        ``factor``, ``se``, ``ci_low``, ``ci_high``; with attributes ``mu``, ``tau2`` and
        ``sigma2``. Without within-group variation (every group a single value, or all values
        equal within groups) nothing can be shrunk: the shrunk columns are missing.

    Examples
    --------
    >>> out = shrink_groups([2, 4, 0, 2, 1, 1, 5], ["a", "a", "b", "b", "b", "b", "c"])
    >>> out[["group", "n", "mean"]].values.tolist()
    [['a', 2, 3.0], ['b', 4, 1.0], ['c', 1, 5.0]]
    >>> out.attrs["sigma2"], [round(float(x), 3) for x in out["shrunk"]]
    (1.0, [2.983, 1.135, 4.495])
    """
    y = np.asarray(values, dtype=float)
    g = pd.Series(groups)
    if y.shape[0] != len(g):
        raise ValueError(f"values and groups must have the same length, got {y.shape[0]} and {len(g)}")
    ok = np.isfinite(y) & g.notna().to_numpy()
    codes, names = pd.factorize(g[ok])
    y = y[ok]
    n = np.bincount(codes, minlength=len(names)).astype(float)
    means = np.bincount(codes, weights=y, minlength=len(names)) / n
    dof = y.size - len(names)
    sigma2 = float(((y - means[codes]) ** 2).sum() / dof) if dof > 0 else np.nan
    out = pd.DataFrame({"group": names, "n": n.astype(int), "mean": means})
    cols = ("shrunk", "factor", "se", "ci_low", "ci_high")
    if not (np.isfinite(sigma2) and sigma2 > 0):
        for col in cols:
            out[col] = np.nan
        out.attrs.update(mu=np.nan, tau2=np.nan, sigma2=sigma2)
        return out
    r = shrink_means(means, sigma2 / n, alpha)
    for col in cols:
        out[col] = r[col]
    out.attrs.update(mu=r["mu"], tau2=r["tau2"], sigma2=sigma2)
    return out
