"""Numbers and p-values as people read them: Indonesian (``1.234,5``) by default, English on request."""

from __future__ import annotations

import math

LANGS = ("id", "en")


def _missing(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or bool(x != x)
    except (TypeError, ValueError):
        return False


def fmt_number(x, decimals: int = 1, lang: str = "id") -> str:
    """Format a number with grouping, in the reader's locale.

    Examples
    --------
    >>> fmt_number(1234.5, 1)
    '1.234,5'
    >>> fmt_number(1234.5, 1, lang="en")
    '1,234.5'
    >>> fmt_number(float("nan"))
    '–'
    """
    if _missing(x):
        return "–"
    text = f"{float(x):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_int(x, lang: str = "id") -> str:
    """Whole number with grouping.

    Examples
    --------
    >>> fmt_int(3012)
    '3.012'
    """
    return fmt_number(x, 0, lang)


def fmt_pct(share, decimals: int = 0, lang: str = "id") -> str:
    """A share 0–1 as a percentage.

    Examples
    --------
    >>> fmt_pct(0.4567, 1)
    '45,7%'
    """
    if _missing(share):
        return "–"
    return fmt_number(100 * float(share), decimals, lang) + "%"


def fmt_p(p, lang: str = "id") -> str:
    """A p-value as a reader should see it: ``p < 0,001`` below a thousandth, else three decimals
    (four below 0.01).

    Examples
    --------
    >>> fmt_p(0.0000123)
    'p < 0,001'
    >>> fmt_p(0.04321, lang="en")
    'p = 0.043'
    """
    if _missing(p):
        return "p = –"
    p = float(p)
    if p < 0.001:
        return "p < " + fmt_number(0.001, 3, lang)
    return "p = " + fmt_number(p, 4 if p < 0.01 else 3, lang)
