"""Two independent samples of ordered answers (e.g. the same survey question before and after a
program, answered by different respondents): the Mann–Whitney U test as R computes it.

Mann & Whitney (1947), "On a test of whether one of two random variables is stochastically larger
than the other", Annals of Mathematical Statistics 18(1): 50–60; R's ``wilcox.test(x, y)`` rules
for when the p-value is exact and how ties and the continuity correction enter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: R's ``wilcox.test`` is exact when both samples have fewer than this many values and there are no ties.
EXACT_BELOW = 50


def mann_whitney(after, before) -> dict:
    """Two-sided Mann–Whitney U as R's ``wilcox.test(after, before)`` computes it.

    Exact when both samples have fewer than 50 values and there are no ties; otherwise the normal
    approximation with tie correction and continuity correction (R's defaults).

    Returns
    -------
    dict
        ``u_statistic`` (R's W: the U of ``after``), ``p_value``, ``method`` (``"exact"`` or
        ``"normal"``), ``rank_biserial`` (2U/(n₁n₂) − 1: positive when answers rose), ``n_after``,
        ``n_before``. NaN where a sample is empty or every answer is the same.

    Examples
    --------
    >>> r = mann_whitney([4, 4, 3, 4, 3], [2, 3, 3, 2, 2])
    >>> r["u_statistic"], round(r["p_value"], 4), r["method"]
    (23.0, 0.0269, 'normal')
    """
    x = np.asarray(pd.to_numeric(pd.Series(after), errors="coerce").dropna(), dtype=float)
    y = np.asarray(pd.to_numeric(pd.Series(before), errors="coerce").dropna(), dtype=float)
    out = {"u_statistic": np.nan, "p_value": np.nan, "method": None, "rank_biserial": np.nan,
           "n_after": len(x), "n_before": len(y)}
    if len(x) == 0 or len(y) == 0:
        return out
    pooled = np.concatenate([x, y])
    ties = len(np.unique(pooled)) < len(pooled)
    exact = len(x) < EXACT_BELOW and len(y) < EXACT_BELOW and not ties
    if len(np.unique(pooled)) == 1:
        u = len(x) * len(y) / 2
        out.update(u_statistic=float(u), rank_biserial=0.0, method="normal")
        return out  # R: p-value NA (zero variance)
    res = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True,
                             method="exact" if exact else "asymptotic")
    u = float(res.statistic)
    out.update(u_statistic=u, p_value=float(res.pvalue), method="exact" if exact else "normal",
               rank_biserial=2 * u / (len(x) * len(y)) - 1)
    return out
