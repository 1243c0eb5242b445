"""How an estimate reads: significant increase, significant decrease, no evidence, or too little data.

One rule for every chart, table, slide and plain-language reading. The significance level is 5%
(two-sided), applied to p-values already adjusted for the number of groups shown together. A
non-significant result in a group flagged as having too little data reads "too little data to
conclude", never "no effect": with fewer than six non-zero before/after differences an exact
two-sided Wilcoxon signed-rank test cannot reach p < 0.05 whatever the data (the smallest possible
p is 2/2^5 = 0.0625).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core.i18n import t, t_or

ALPHA = 0.05

# Flags meaning "too little data to conclude", as analysis.evidence.engine writes them (an exact
# two-sided Wilcoxon test on fewer than 6 non-zero pairs can never reach p < 0.05; "underpowered":
# the smallest detectable effect exceeds the target). Shown hollow and labelled, never as "no effect".
UNDERPOWERED_FLAGS = frozenset({"no_pairs", "too_few_nonzero", "few_nonzero", "small_n", "underpowered"})


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
    """True when the flags say "too little data" or ``n`` is below ``min_n``.

    Examples
    --------
    >>> is_underpowered(["few_nonzero"]), is_underpowered([], n=3, min_n=6), is_underpowered([], 10, 6)
    (True, True, False)
    """
    if any(f in UNDERPOWERED_FLAGS for f in flags):
        return True
    n = to_float(n)
    return min_n is not None and not math.isnan(n) and n < min_n


def effect_status(mean_delta, p_adjusted, flags: Sequence[str] = (), n=None,
                  min_n: int | None = None, alpha: float = ALPHA) -> str:
    """How an estimate reads: ``increase``, ``decrease``, ``not_significant``, ``underpowered``
    (flagged small: never "no effect") or ``no_estimate``.

    A significant result stays significant even when flagged small; a non-significant one in a small
    group is "too little data", not "no change" (docs/method.md §13).

    Examples
    --------
    >>> effect_status(8.2, 0.001), effect_status(-3.0, 0.01), effect_status(0.5, 0.6)
    ('increase', 'decrease', 'not_significant')
    >>> effect_status(4.0, 0.25, ["few_nonzero"]), effect_status(float("nan"), None)
    ('underpowered', 'no_estimate')
    """
    d, p = to_float(mean_delta), to_float(p_adjusted)
    if math.isnan(d):
        return "no_estimate"
    if not math.isnan(p) and p < alpha and d != 0:
        return "increase" if d > 0 else "decrease"
    if is_underpowered(flags, n, min_n):
        return "underpowered"
    return "not_significant"


def status_label(status: str, lang: str = "id") -> str:
    """The words for a status.

    Examples
    --------
    >>> status_label("underpowered", "en")
    'Too little data to conclude'
    """
    return t(f"status.{status}", lang)
