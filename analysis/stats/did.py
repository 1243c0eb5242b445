"""Difference-in-differences on long data, with cluster-robust standard errors, for many groups at once.

Before/after alone overstates effects (regression to the mean, selection). Where
non-participants were measured too, the honest estimate is the difference-in-differences

    (treated after − treated before) − (comparison after − comparison before),

the interaction coefficient of the saturated OLS model ``y ~ treated * post``. Its standard error is
clustered (statsmodels ``cov_type="cluster"``: CR1 with the factor G/(G−1)·(N−1)/(N−K), K = 4, and
t inference on G − 1 degrees of freedom). Because the model is saturated, the coefficient is a
contrast of the four cell means and each observation's score contribution is
``w_cell · residual / n_cell``; summing those per cluster gives exactly statsmodels' sandwich, for
every group in one pass (``tests/stats/test_did.py`` checks it against statsmodels).

With fewer than 2 clusters a cluster-robust SE does not exist; the unit column (the person
measured before and after) is used instead, or each observation (HC1) when there is none.

Observation weights (a matched comparison group's weights, e.g. coarsened exact matching: Iacus,
King & Porro 2012, Political Analysis 20(1)) make it the weighted least squares of the same model
(statsmodels ``WLS``): the cell means are weighted, each contribution is
``w_cell · weight · residual / Σ weight in the cell``, and the small-sample factor still counts
observations, as statsmodels does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

from analysis.core.significance import ALPHA
from analysis.stats.paired import group_codes

#: Below this many clusters cluster-robust inference is unreliable (Cameron & Miller 2015,
#: "A Practitioner's Guide to Cluster-Robust Inference", J. Human Resources 50(2)); say so.
MIN_CLUSTERS = 20
_K = 4  # parameters of y ~ treated * post
# cell order: 0 comparison-before, 1 comparison-after, 2 treated-before, 3 treated-after
_W = np.array([1.0, -1.0, -1.0, 1.0])


def did_arrays(key, n_keys: int, treated, post, y, cluster=None, unit=None,
               alpha: float = ALPHA, weight=None) -> dict[str, np.ndarray]:
    """Difference-in-differences per key from flat arrays (the engine of :func:`difference_in_differences`).

    Parameters
    ----------
    key : array of int
        Group code 0..n_keys−1 of each observation.
    n_keys : int
        Number of groups.
    treated, post : array of bool
        Treated (participant) arm and after-period indicators.
    y : array of float
        Outcome, NaN-free.
    cluster, unit : array of int, optional
        Cluster codes, and the unit (person) codes used when a group has fewer than 2 clusters.
    weight : array of float, optional
        Positive observation weights (weighted least squares); every observation weighs 1 when omitted.

    Returns
    -------
    dict of numpy.ndarray
        ``did``, ``se``, ``df``, ``t_statistic``, ``p_value``, ``ci_low``, ``ci_high``,
        ``n_clusters``, ``cluster_level`` (0 = cluster, 1 = unit, 2 = observation), ``n_obs``, and
        ``mean_<arm>_<period>`` / ``n_<arm>_<period>`` for the four cells.

    Examples
    --------
    >>> r = did_arrays([0] * 4, 1, [1, 1, 0, 0], [0, 1, 0, 1], [135.0, 121, 165, 132])
    >>> float(r["did"][0])
    19.0
    >>> w = did_arrays([0] * 6, 1, [1, 1, 0, 0, 0, 0], [0, 1, 0, 1, 0, 1], [10.0, 14, 10, 11, 20, 25],
    ...                weight=[1, 1, 3, 3, 1, 1])
    >>> float(w["did"][0])  # comparison change (3·1 + 1·5) / 4 = 2, treated change 4
    2.0
    """
    key = np.asarray(key, dtype=np.intp)
    y = np.asarray(y, dtype=float)
    cell = 2 * np.asarray(treated, dtype=np.intp) + np.asarray(post, dtype=np.intp)
    if weight is not None:
        weight = np.asarray(weight, dtype=float)
        if weight.shape != y.shape or not (np.isfinite(weight) & (weight > 0)).all():
            raise ValueError(f"weight must hold one positive number per observation, got {weight!r}")
    counts, means, did, psi = _cells(key, n_keys, cell, y, weight)
    n_obs = counts.sum(axis=1)
    var, g, level = _clustered_variance(key, n_keys, psi, n_obs, cluster, unit)
    out = {"did": did, **_inference(did, var, g, level, n_obs, alpha), "n_clusters": g, "cluster_level": level,
           "n_obs": n_obs}
    for j, name in enumerate(("comparison_before", "comparison_after", "treated_before", "treated_after")):
        out[f"mean_{name}"] = means[:, j]
        out[f"n_{name}"] = counts[:, j]
    return out


def _cells(key, n_keys, cell, y, weight=None):
    """Counts and (weighted) means of the four cells per key, the DiD (NaN where a cell is empty) and
    each observation's contribution to it, ``w_cell · weight · residual / Σ weight in the cell``."""
    kc = key * 4 + cell
    counts = np.bincount(kc, minlength=4 * n_keys).astype(float).reshape(n_keys, 4)
    mass = counts if weight is None else np.bincount(kc, weights=weight, minlength=4 * n_keys).reshape(n_keys, 4)
    wy = y if weight is None else weight * y
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.bincount(kc, weights=wy, minlength=4 * n_keys).reshape(n_keys, 4) / mass
        estimable = (counts > 0).all(axis=1)
        did = np.where(estimable, (means * _W).sum(axis=1), np.nan)
        resid = y - means.ravel()[kc]
        psi = _W[cell] * resid / mass.ravel()[kc]
        if weight is not None:
            psi = psi * weight
    return counts, means, did, psi


def _sandwich(key, n_keys, psi, n_obs, codes, rows=None):
    """CR1 variance of the DiD per key, clustering the rows by ``codes``, and the clusters per key."""
    c = np.asarray(codes, dtype=np.intp)
    k, w = key, psi
    if rows is not None:
        k, c, w = k[rows], c[rows], w[rows]
    width = int(c.max()) + 1 if c.size else 1
    owner_of = np.full(width, -1, dtype=np.intp)
    owner_of[c] = k
    if np.array_equal(owner_of[c], k):  # every cluster lies within one key (e.g. a person)
        per = np.bincount(c, weights=w, minlength=width)
        present = np.flatnonzero(owner_of >= 0)
        per, owner = per[present], owner_of[present]
    elif n_keys * width <= 4_000_000:
        flat = k * width + c
        per = np.bincount(flat, weights=w, minlength=n_keys * width)
        present = np.flatnonzero(np.bincount(flat, minlength=n_keys * width))
        per, owner = per[present], present // width
    else:
        inverse, pairs = pd.factorize(k.astype(np.int64) * width + c)
        per, owner = np.bincount(inverse, weights=w, minlength=pairs.size), pairs // width
    meat = np.bincount(owner, weights=per * per, minlength=n_keys)
    g = np.bincount(owner, minlength=n_keys).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = g / (g - 1) * (n_obs - 1) / (n_obs - _K)
        var = np.where((g >= 2) & (n_obs > _K), meat * factor, np.nan)
    return var, g


def _clustered_variance(key, n_keys, psi, n_obs, cluster, unit):
    """The variance clustered by ``cluster``; for keys with fewer than 2 clusters, by ``unit``, or
    by observation (HC1) without one. Returns the variance, the clusters and the level used
    (0 = cluster, 1 = unit, 2 = observation)."""
    level = np.zeros(n_keys, dtype=np.intp)
    if cluster is not None:
        var, g = _sandwich(key, n_keys, psi, n_obs, cluster)
    else:
        var, g = np.full(n_keys, np.nan), np.zeros(n_keys)
    fallback = g < 2
    if fallback.any():
        rows = None if fallback.all() else np.flatnonzero(fallback[key])
        if cluster is not None and unit is not None:
            v2, g2 = _sandwich(key, n_keys, psi, n_obs, unit, rows)
            level[fallback] = 1
        else:  # HC1: every observation its own cluster
            v2, g2 = _sandwich(key, n_keys, psi, n_obs, np.arange(psi.size), rows)
            level[fallback] = 2
        var = np.where(fallback, v2, var)
        g = np.where(fallback, g2, g)
    return var, g, level


def _inference(did, var, g, level, n_obs, alpha) -> dict[str, np.ndarray]:
    """Standard error, t, p and the interval: t on G − 1 degrees of freedom with clusters, on
    N − K for HC1 (one observation per cluster), as statsmodels does."""
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(var)
        df = np.where(level == 2, n_obs - _K, g - 1)
        df = np.where(df >= 1, df, np.nan)
        t = did / se
        p = 2 * special.stdtr(df, -np.abs(t))
        half = special.stdtrit(df, 1 - alpha / 2) * se
    return {"se": se, "df": df, "t_statistic": t, "p_value": p, "ci_low": did - half, "ci_high": did + half}


def difference_in_differences(
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    cluster: str | None = None,
    by: Sequence[str] = (),
    unit: str | None = None,
    alpha: float = ALPHA,
    weight: str | None = None,
) -> pd.DataFrame:
    """Difference-in-differences of ``outcome`` per ``by`` group, from long data.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column; rows where it is missing are left out.
    treated, post : str
        Boolean columns: the row belongs to the treated (participant) arm; the row is after the
        intervention.
    cluster : str, optional
        Column to cluster standard errors by (e.g. ``"kecamatan"``); HC1 when omitted.
    by : sequence of str
        Columns defining separate estimates (one row each).
    unit : str, optional
        Column identifying the unit observed in both periods, the cluster used when a group has
        fewer than 2 clusters.
    alpha : float
        1 − confidence level of the interval.
    weight : str, optional
        Column of positive observation weights (weighted least squares, e.g. matching weights); rows
        whose weight is missing or not positive are left out.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``did``, ``se``, ``ci_low``, ``ci_high``, ``t_statistic``, ``df``,
        ``p_value``, ``n_obs``, ``n_clusters``, ``cluster_by`` (the column the SE is clustered by, or
        ``"observation"``), ``few_clusters``, and the four cell means and counts
        (``mean_treated_before`` …).

    Examples
    --------
    Angrist & Pischke (2014), *Mastering 'Metrics*, ch. 5: banks in business in the Atlanta
    Fed's 6th district (treated) and the St. Louis Fed's 8th, 1929–1934.

    >>> years = list(range(1929, 1935))
    >>> banks = pd.DataFrame({
    ...     "district": [6] * 6 + [8] * 6, "year": years * 2,
    ...     "banks": [141, 135, 121, 113, 102, 102, 169, 165, 132, 120, 111, 109]})
    >>> banks["treated"] = banks["district"] == 6
    >>> banks["post"] = banks["year"] >= 1931
    >>> pooled = difference_in_differences(banks, "banks", "treated", "post")
    >>> float(pooled["did"].iloc[0])
    20.5
    >>> one_year = banks[banks["year"].isin([1930, 1931])]
    >>> float(difference_in_differences(one_year, "banks", "treated", "post")["did"].iloc[0])
    19.0
    """
    by = [by] if isinstance(by, str) else list(by)
    named = [("outcome", outcome), ("treated", treated), ("post", post), ("cluster", cluster), ("unit", unit),
             ("weight", weight)]
    for name, col in named + [("by", b) for b in by]:
        if col is not None and col not in data.columns:
            raise ValueError(f"{name} must name a column of data, got {col!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    y = pd.to_numeric(data[outcome], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    t_col = data[treated]
    p_col = data[post]
    keep = np.isfinite(y) & t_col.notna().to_numpy() & p_col.notna().to_numpy()
    if weight is not None:
        keep &= pd.to_numeric(data[weight], errors="coerce").fillna(0).to_numpy(dtype=float) > 0
    frame = data.loc[keep]
    key, table = group_codes(frame, by)
    cl = None if cluster is None else pd.factorize(frame[cluster], use_na_sentinel=False)[0]
    un = None if unit is None else pd.factorize(frame[unit], use_na_sentinel=False)[0]
    res = did_arrays(
        key,
        len(table),
        frame[treated].to_numpy(dtype=bool),
        frame[post].to_numpy(dtype=bool),
        y[keep],
        cluster=cl,
        unit=un,
        alpha=alpha,
        weight=None if weight is None else frame[weight].to_numpy(dtype=float),
    )
    names = np.array([cluster or "observation", unit or "observation", "observation"], dtype=object)
    out = table.copy() if by else pd.DataFrame(index=range(len(table)))
    for col in ("did", "se", "ci_low", "ci_high", "t_statistic", "df", "p_value", "n_obs", "n_clusters"):
        out[col] = res[col]
    out["cluster_by"] = names[res["cluster_level"]]
    few = (res["cluster_level"] > 0) | (res["n_clusters"] < MIN_CLUSTERS)
    out["few_clusters"] = few if cluster is not None else False
    for arm in ("treated", "comparison"):
        for period in ("before", "after"):
            out[f"mean_{arm}_{period}"] = res[f"mean_{arm}_{period}"]
            out[f"n_{arm}_{period}"] = res[f"n_{arm}_{period}"]
    return out
