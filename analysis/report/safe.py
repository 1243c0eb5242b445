"""Formula safety for every export: text a spreadsheet would run as a formula is neutralised.

A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (also after leading
spaces, or in full-width form) is prefixed with a single quote, as the OWASP guidance on CSV
injection says (https://owasp.org/www-community/attacks/CSV_Injection). Numbers stay numbers.
The workbook, the CSV files and the PowerPoint deck (whose charts embed a workbook) all call this
one function.
"""

from __future__ import annotations

FORMULA_TRIGGERS = frozenset({"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"})


def neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP CSV injection).

    Parameters
    ----------
    text : str
        A text cell. Non-text values are returned unchanged (numbers stay numbers).

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-2+3"), neutralise("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', "'-2+3", "'@SUM(A1)")
    >>> neutralise("  =1+1"), neutralise("Medan Baru"), neutralise(-5)
    ("'  =1+1", 'Medan Baru', -5)
    """
    if not isinstance(text, str) or not text:
        return text
    if text[0] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text
