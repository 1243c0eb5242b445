"""How an estimate reads: significant increase, significant decrease, no evidence, or too little data.

One rule for every chart, table, slide and plain-language reading, decided from the evidence
engine's flags (``analysis.evidence.engine``) and the adjusted p-value, in this order:

1. no estimate could be computed: *no estimate*;
2. the group carries a "too little data" flag (:data:`TOO_LITTLE_FLAGS`: no complete pair, fewer
   than 10 pairs, or fewer than 6 non-zero before/after differences): *too little data to
   conclude*, whatever its p-value — drawn hollow or faded, never in full colour, never read as
   "no effect";
3. adjusted p < 5% (two-sided) and a non-zero change: *increase* or *decrease*;
4. otherwise: *no evidence of change*.

Why a significant p-value does not rescue a flagged group: with fewer than six non-zero
differences an exact Wilcoxon signed-rank test cannot reach p < 0.05 at all (the smallest possible
p is 2/2^5 = 0.0625), while a paired t-test on five pairs can — so whether such a group "is
significant" would depend on which test the rule happened to pick, not on the evidence.
``underpowered`` (the group could not detect a medium effect) is a caveat the reading states, not a
reason to withhold a conclusion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core.i18n import t, t_or

ALPHA = 0.05
#: Fewer complete pairs than this: ``small_n``, too little data to conclude.
MIN_PAIRS = 10
#: Fewer non-zero before/after differences than this: ``too_few_nonzero``, too little data to
#: conclude (an exact two-sided Wilcoxon signed-rank test on 5 cannot reach p < 0.05).
MIN_NONZERO = 6

#: The evidence engine's flags that mean "too little data to conclude" (``few_nonzero`` is the older
#: spelling of ``too_few_nonzero``). A flagged group reads so whatever its p-value.
TOO_LITTLE_FLAGS = frozenset({"no_pairs", "too_few_nonzero", "few_nonzero", "small_n", "small_comparison"})


def as_flags(value) -> list[str]:
    """A ``flags`` cell as a list of codes: list, tuple, array, ``"a, b"`` text or missing.

    Examples
    --------
    >>> as_flags(["small_n"]), as_flags("few_nonzero, ceiling"), as_flags(float("nan"))
    (['small_n'], ['few_nonzero', 'ceiling'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return [str(v) for v in value if v is not None and str(v) != ""]
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [str(value)]


def flag_text(flags: Sequence[str], lang: str = "id") -> str:
    """Flags in words, joined with ``"; "``.

    Examples
    --------
    >>> flag_text(["small_n", "odd_code"], "en")
    'few complete pairs; odd_code'
    """
    return "; ".join(t_or(f"flag.{f}", f, lang) for f in flags)


def to_float(x) -> float:
    """``float(x)``, or NaN for missing or non-numeric values.

    Examples
    --------
    >>> to_float("2.5"), to_float(None), to_float(pd.NA)
    (2.5, nan, nan)
    """
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def is_underpowered(flags: Sequence[str], n=None, min_n: int | None = None) -> bool:
    """True when the flags say "too little data" (:data:`TOO_LITTLE_FLAGS`) or ``n`` is below
    ``min_n`` (for tables without the engine's flags, such as IKM units).

    Examples
    --------
    >>> is_underpowered(["few_nonzero"]), is_underpowered(["underpowered"]), is_underpowered([], n=3, min_n=6)
    (True, False, True)
    """
    if any(f in TOO_LITTLE_FLAGS for f in flags):
        return True
    n = to_float(n)
    return min_n is not None and not math.isnan(n) and n < min_n


def effect_status(mean_delta, p_adjusted, flags: Sequence[str] = (), n=None,
                  min_n: int | None = None, alpha: float = ALPHA) -> str:
    """How an estimate reads: ``increase``, ``decrease``, ``not_significant``, ``underpowered``
    (too little data to conclude: never "no effect") or ``no_estimate``.

    The rule of this module's docstring: a group flagged with too little data
    (:data:`TOO_LITTLE_FLAGS`, or ``n`` below ``min_n``) reads ``underpowered`` even when its
    adjusted p-value is below ``alpha`` (docs/method.md §13).

    Examples
    --------
    >>> effect_status(8.2, 0.001), effect_status(-3.0, 0.01), effect_status(0.5, 0.6)
    ('increase', 'decrease', 'not_significant')
    >>> effect_status(4.0, 0.25, ["few_nonzero"]), effect_status(float("nan"), None)
    ('underpowered', 'no_estimate')
    >>> effect_status(6.0, 0.001, ["small_n"]), effect_status(0.5, 0.6, ["underpowered"])
    ('underpowered', 'not_significant')
    """
    d, p = to_float(mean_delta), to_float(p_adjusted)
    if math.isnan(d):
        return "no_estimate"
    if is_underpowered(flags, n, min_n):
        return "underpowered"
    if not math.isnan(p) and p < alpha and d != 0:
        return "increase" if d > 0 else "decrease"
    return "not_significant"


def status_label(status: str, lang: str = "id") -> str:
    """The words for a status.

    Examples
    --------
    >>> status_label("underpowered", "en")
    'Too little data to conclude'
    """
    return t(f"status.{status}", lang)
