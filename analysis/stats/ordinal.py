"""Ordinal logit (proportional odds) of answers on a 1–4 scale, adjusted for unit.

McCullagh (1980), "Regression models for ordinal data", Journal of the Royal Statistical Society B
42(2): 109–142. Fitted with statsmodels' ``OrderedModel(distr="logit")``, the same likelihood as
R's ``MASS::polr`` (Venables & Ripley 2002, *Modern Applied Statistics with S*, 4th ed., §7.3).
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.significance import ALPHA


def ordinal_logit(answers, after, units=None) -> dict:
    """Ordinal logit (proportional odds) of 1–4 answers on an after-indicator, adjusted for unit.

    statsmodels ``OrderedModel(distr="logit")``, the same likelihood as R's ``MASS::polr``.

    Parameters
    ----------
    answers : array-like of float
        The answers, 1–4 (NaN rows are dropped).
    after : array-like of bool
        True for the round after the program.
    units : array-like, optional
        Unit of each answer; entered as fixed effects (dummies) when there are two or more.

    Returns
    -------
    dict
        ``log_odds``, ``odds_ratio`` (> 1: answers shifted upwards after), ``ci_low``, ``ci_high``
        (95 % Wald, on the odds ratio), ``p_value``, ``n``, ``converged`` and ``note`` (why no
        estimate, or a warning).

    Examples
    --------
    >>> r = ordinal_logit([1, 2, 2, 3, 3, 4, 2, 3, 3, 4, 4, 4], [0] * 6 + [1] * 6)
    >>> round(r["log_odds"], 3), r["converged"]
    (1.683, True)
    """
    y = pd.to_numeric(pd.Series(answers), errors="coerce").reset_index(drop=True)
    a = pd.Series(after).astype(bool).reset_index(drop=True)
    u = pd.Series(units).reset_index(drop=True) if units is not None else pd.Series([None] * len(y))
    if not (len(y) == len(a) == len(u)):
        raise ValueError(f"answers, after and units must have the same length, got {len(y)}, {len(a)}, {len(u)}")
    keep = y.notna()
    y, a, u = y[keep].reset_index(drop=True), a[keep].reset_index(drop=True), u[keep].reset_index(drop=True)
    out = {"log_odds": np.nan, "odds_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "p_value": np.nan, "n": int(len(y)), "converged": False, "note": None}
    if y.nunique() < 2:
        out["note"] = "one_answer_level"
        return out
    if a.nunique() < 2:
        out["note"] = "one_round_only"
        return out
    if y[a].min() >= y[~a].max() or y[~a].min() >= y[a].max():
        # Every answer of one round at or above every answer of the other: (quasi-)separation, the
        # maximum-likelihood odds ratio is infinite (or zero).
        out["note"] = "separation"
        return out
    # The likelihood only depends on (answer, round, unit): fit on those cells with their counts.
    cells = (pd.DataFrame({"y": y, "after": a.astype(float), "unit": u.astype("str").fillna("")})
             .groupby(["y", "after", "unit"], sort=True).size().rename("w").reset_index())
    exog = cells[["after"]]
    if cells["unit"].nunique() > 1:
        dummies = pd.get_dummies(cells["unit"], prefix="unit", drop_first=True, dtype=float)
        exog = pd.concat([exog, dummies], axis=1)
    exog = exog.loc[:, exog.nunique() > 1]
    levels = sorted(cells["y"].unique())
    endog = pd.Series(pd.Categorical(cells["y"], categories=levels, ordered=True))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = _cell_ordered_logit_class()(endog, exog, distr="logit")
            model.freq_weights = cells["w"].to_numpy(float)
            res = model.fit(method="bfgs", disp=False, maxiter=300, gtol=1e-7)
        except (np.linalg.LinAlgError, ValueError) as err:
            out["note"] = f"fit_failed: {err}"
            return out
    coef = float(res.params["after"])
    se = float(res.bse["after"])
    retvals = res.mle_retvals
    # BFGS warnflag 2 is "precision loss": the numerical gradient is already at its noise floor.
    converged = bool(retvals.get("converged", False)) or (
        retvals.get("warnflag") == 2 and float(np.max(np.abs(retvals.get("gopt", [np.inf])))) < 1e-4)
    note = None
    if not np.isfinite(se) or abs(coef) > 10:
        note = "separation"  # answers in one round all above those in the other: estimate unbounded
    elif not converged or any("singular" in str(w.message).lower() for w in caught):
        note = "fit_warning"
    z = stats.norm.ppf(1 - ALPHA / 2)
    out.update(log_odds=coef, odds_ratio=math.exp(coef) if abs(coef) < 700 else np.inf,
               ci_low=math.exp(coef - z * se) if np.isfinite(se) and abs(coef - z * se) < 700 else np.nan,
               ci_high=math.exp(coef + z * se) if np.isfinite(se) and abs(coef + z * se) < 700 else np.nan,
               p_value=float(res.pvalues["after"]), converged=converged, note=note)
    return out


@functools.cache
def _cell_ordered_logit_class():
    # Built on first use: importing statsmodels is slow, and the IKM command imports this module.
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class CellOrderedLogit(OrderedModel):
        """``OrderedModel(distr="logit")`` on aggregated cells: each row's log-likelihood times its
        count (frequency weights), and the logistic cdf/pdf from ``expit`` instead of the much slower
        generic ``scipy.stats.logistic``. Same likelihood, so the same estimates and Hessian."""

        freq_weights: np.ndarray

        def cdf(self, x):
            return expit(x)

        def pdf(self, x):
            e = expit(x)
            return e * (1 - e)

        def loglikeobs(self, params):
            return self.freq_weights * super().loglikeobs(params)

    return CellOrderedLogit
