"""Ordinal logit (analysis/stats/ordinal.py) against R's ``MASS::polr``."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from analysis.stats.ordinal import ordinal_logit


ORD_COUNTS = {  # unit: (before counts of answers 1..4, after counts)
    "A": ([2, 5, 10, 3], [1, 3, 9, 7]),
    "B": ([4, 8, 6, 2], [2, 6, 8, 4]),
    "C": ([1, 3, 8, 8], [0, 2, 8, 10]),
}


def _ord_rows():
    y, a, u = [], [], []
    for unit, (b, af) in ORD_COUNTS.items():
        for flag, counts in ((0, b), (1, af)):
            for level, k in zip((1, 2, 3, 4), counts):
                y += [level] * k
                a += [flag] * k
                u += [unit] * k
    return y, a, u


def test_ordinal_logit_adjusted_for_unit_matches_r_polr():
    # R 4.2.2, MASS 7.3-58.2 (rows expanded from ORD_COUNTS; tight tolerance so that polr reaches
    # the optimum rather than stopping at its default reltol):
    # m <- polr(y ~ after + unit, data = rows, method = "logistic", Hess = TRUE,
    #           control = list(reltol = 1e-14, maxit = 10000))
    # summary(m)$coefficients
    #               Value   Std. Error      t value
    # after  0.7489937777 0.3449411289  2.171366981
    # unitB -0.8726457251 0.4195782840 -2.079816231
    # unitC  0.8430883742 0.4236616670  1.990003911
    y, a, u = _ord_rows()
    r = ordinal_logit(y, a, u)
    assert r["converged"] and r["note"] is None and r["n"] == len(y)
    assert_allclose(r["log_odds"], 0.7489937777, rtol=1e-5)
    assert_allclose(np.log(r["odds_ratio"]), 0.7489937777, rtol=1e-5)
    se = (np.log(r["ci_high"]) - np.log(r["ci_low"])) / (2 * 1.959963984540054)
    assert_allclose(se, 0.3449411289, rtol=1e-4)


def test_ordinal_logit_without_units_matches_r_polr():
    # R 4.2.2:
    # y <- factor(c(1, 2, 2, 3, 3, 4, 2, 3, 3, 4, 4, 4), ordered = TRUE); a <- c(rep(0,6), rep(1,6))
    # summary(polr(y ~ a, method = "logistic", Hess = TRUE))$coefficients
    #              Value   Std. Error       t value
    # a    1.68280072293 1.1508840159  1.4621809840
    r = ordinal_logit([1, 2, 2, 3, 3, 4, 2, 3, 3, 4, 4, 4], [0] * 6 + [1] * 6)
    assert_allclose(r["log_odds"], 1.68280072293, rtol=1e-4)


@pytest.mark.parametrize(
    "y, a, note",
    [([3, 3, 3, 3], [0, 0, 1, 1], "one_answer_level"),
     ([1, 2, 3, 4], [1, 1, 1, 1], "one_round_only"),
     ([1, 1, 2, 2, 3, 3, 4, 4], [0, 0, 0, 0, 1, 1, 1, 1], "separation")],
)
def test_ordinal_logit_degenerate(y, a, note):
    r = ordinal_logit(y, a)
    assert r["note"] == note
