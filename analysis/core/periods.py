"""Periods: one way to name a month, quarter, semester or year, to find its days, and to filter by it.

Labels are text that sorts chronologically: ``"2025-03"`` (month), ``"2025-Q1"`` (quarter),
``"2025-S1"`` (semester: January–June) and ``"2025"`` (year). Everything that groups or filters
by period — the evidence engine's ``period`` grouping, the IKM per period, the trend charts and the
sidebar's period filter — calls these functions.

Appraisal periods arrive as people write them (``Triwulan II 2025``, ``Semester 1 Tahun 2025``,
``Juni 2025``, e-Kinerja's ``Periode Bulanan 6 Tahun 2026``, or only the day the period ended):
:func:`read_period` turns each into its label and its first and last day; :func:`period_in_text`
finds one inside a title line.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

PERIODS: tuple[str, ...] = ("month", "quarter", "semester", "year")
DEFAULT_PERIOD = "quarter"

#: Indonesian month names, their short forms and old spellings (docs/domain.md §9), and the English
#: names exports from English-language Excel carry.
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agst": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "aug": 8, "october": 10, "oct": 10, "december": 12, "dec": 12,
}

_SEMESTER = re.compile(r"^(\d{4})\s*-?\s*S([12])$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def check_period(period: str) -> str:
    """``period`` if it is one of :data:`PERIODS`, else ``ValueError`` naming the choices.

    Examples
    --------
    >>> check_period("semester")
    'semester'
    >>> check_period("week")
    Traceback (most recent call last):
    ...
    ValueError: period must be one of month, quarter, semester, year, got 'week'
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    return period


def period_labels(dates, period: str = DEFAULT_PERIOD) -> pd.Series:
    """The period of each date as a label; missing dates give a missing label.

    Computed once per distinct period, so a million rows cost a few array operations.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2025-03-31", "2025-07-01", None]))
    >>> [period_labels(d, p).tolist() for p in ("month", "quarter", "semester", "year")]
    [['2025-03', '2025-07', nan], ['2025-Q1', '2025-Q3', nan], ['2025-S1', '2025-S2', nan], ['2025', '2025', nan]]
    """
    check_period(period)
    d = pd.to_datetime(pd.Series(dates), errors="coerce")
    year = d.dt.year.to_numpy(dtype=float, na_value=np.nan)
    month = d.dt.month.to_numpy(dtype=float, na_value=np.nan)
    per_year = {"month": 12, "quarter": 4, "semester": 2, "year": 1}[period]
    key = year * per_year + (month - 1) // (12 // per_year)
    codes, uniques = pd.factorize(key)

    def label(k: float) -> str:
        y, i = divmod(int(k), per_year)
        return {"month": f"{y}-{i + 1:02d}", "quarter": f"{y}-Q{i + 1}", "semester": f"{y}-S{i + 1}",
                "year": f"{y}"}[period]

    labels = np.array([label(k) for k in uniques] + [np.nan], dtype=object)
    return pd.Series(labels[codes], index=d.index, dtype="str")


def period_bounds(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a period label (``2025-03``, ``2025-Q1``, ``2025Q1``, ``2025-S1``, ``2025``).

    Examples
    --------
    >>> [str(x.date()) for x in period_bounds("2025-S2")]
    ['2025-07-01', '2025-12-31']
    >>> [str(x.date()) for x in period_bounds("2025-Q1")]
    ['2025-01-01', '2025-03-31']
    >>> period_bounds("Q1")
    Traceback (most recent call last):
    ...
    ValueError: label must look like 2025-03, 2025-Q1, 2025-S1 or 2025, got 'Q1'
    """
    found = _bounds(str(label).strip().upper())
    if found is None:
        raise ValueError(f"label must look like 2025-03, 2025-Q1, 2025-S1 or 2025, got {label!r}")
    return found


@lru_cache(maxsize=4096)
def _bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """:func:`period_bounds` of a label in upper case (None when it is not one): computed once per
    label, since every program of every view asks for the same few."""
    if m := _SEMESTER.match(text):
        start = pd.Timestamp(int(m.group(1)), 1 if m.group(2) == "1" else 7, 1)
        return start, start + pd.DateOffset(months=6) - pd.Timedelta(days=1)
    if m := _QUARTER.match(text):
        p = pd.Period(year=int(m.group(1)), quarter=int(m.group(2)), freq="Q")
    elif (m := _MONTH.match(text)) and 1 <= int(m.group(2)) <= 12:
        p = pd.Period(year=int(m.group(1)), month=int(m.group(2)), freq="M")
    elif m := _YEAR.match(text):
        p = pd.Period(year=int(m.group(1)), freq="Y")
    else:
        return None
    return p.start_time.normalize(), p.end_time.normalize()


def period_start(values, name: str = "periode") -> pd.Series:
    """Periods as their first day: datetimes as they are, pandas Periods, or labels.

    Examples
    --------
    >>> list(period_start(pd.Series(["2025Q2", "2025-S2", "2024"])).dt.strftime("%Y-%m-%d"))
    ['2025-04-01', '2025-07-01', '2024-01-01']
    >>> period_start(pd.Series(["soon"]))
    Traceback (most recent call last):
    ...
    ValueError: periode has a value that is not a period or date: 'soon'
    """
    s = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    if isinstance(s.dtype, pd.PeriodDtype):
        return s.dt.start_time
    codes, uniques = pd.factorize(s)

    def one(v):
        if isinstance(v, pd.Period):
            return v.start_time
        if isinstance(v, pd.Timestamp):
            return v
        try:
            return period_bounds(str(v))[0]
        except ValueError:
            raise ValueError(f"{name} has a value that is not a period or date: {v!r}") from None

    starts = pd.DatetimeIndex([one(v) for v in uniques] + [pd.NaT])
    return pd.Series(starts[codes], index=s.index)


def in_period(dates: pd.Series, label: str | None) -> pd.Series:
    """Mask of the dates inside the period ``label``; all True when ``label`` is ``None`` or empty.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2025-02-01", "2025-08-01", None]))
    >>> in_period(d, "2025-Q1").tolist(), in_period(d, "2025").tolist(), in_period(d, None).tolist()
    ([True, False, False], [True, True, False], [True, True, True])
    """
    if not label:
        return pd.Series(True, index=dates.index)
    start, end = period_bounds(label)
    d = pd.to_datetime(dates, errors="coerce")
    return ((d >= start) & (d < end + pd.Timedelta(days=1))).fillna(False)


def period_options(dates: pd.Series) -> list[str]:
    """The years and quarters present in ``dates``, newest first: ``2025``, ``2024``, ``2025-Q4``, …

    Examples
    --------
    >>> period_options(pd.Series(pd.to_datetime(["2024-11-02", "2025-02-01", None])))
    ['2025', '2024', '2025-Q1', '2024-Q4']
    """
    d = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    years = sorted(set(period_labels(d, "year")), reverse=True)
    quarters = sorted(set(period_labels(d, "quarter")), reverse=True)
    return years + quarters


# --------------------------------------------------------------------------- appraisal periods as written

#: The kinds of period :func:`read_period` returns, shortest first; ``end`` is a period known only by
#: the day it ended (its first day is unknown).
PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "semester", "year", "end")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4, "satu": 1, "dua": 2}
# Words that only frame the period ("Periode Penilaian Tahunan 2025", "Bulanan 6 Tahun 2026").
_FRAME = re.compile(r"\b(periode|penilaian|tahunan|tahun|bulanan|bulan|ke)\b")
_P_YEAR = re.compile(r"^(\d{4})$")
_P_SEM = (re.compile(r"^(\d{4})\s*-?\s*s([12])$"), re.compile(r"^s([12])\s*[-/]?\s*(\d{4})$"),
          re.compile(r"^(?:semester|smt|sem)\s*(ii|i|1|2|satu|dua)\s*[-/]?\s*(\d{4})$"))
_P_QUARTER = (re.compile(r"^(\d{4})\s*-?\s*q([1-4])$"), re.compile(r"^q([1-4])\s*[-/]?\s*(\d{4})$"),
              re.compile(r"^(?:triwulan|trw|tw|kuartal|quarter)\s*(iv|iii|ii|i|[1-4])\s*[-/]?\s*(\d{4})$"))
_P_MONTH = (re.compile(r"^(\d{4})-(\d{1,2})$"), re.compile(r"^(\d{1,2})\s*[-/ ]\s*(\d{4})$"),
            re.compile(r"^([a-z]+)\.?\s*[-/ ]?\s*(\d{4})$"))
_P_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _span(kind: str, year: int, index: int) -> tuple[str, str, pd.Timestamp, pd.Timestamp]:
    """Label, kind, first and last day of the ``index``-th month/quarter/semester (1-based) or the year."""
    months = {"month": 1, "quarter": 3, "semester": 6, "year": 12}[kind]
    start = pd.Timestamp(year, 1 + (index - 1) * months, 1)
    end = start + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    label = {"month": f"{year}-{index:02d}", "quarter": f"{year}-Q{index}", "semester": f"{year}-S{index}",
             "year": f"{year}"}[kind]
    return label, kind, start, end


def _cleaned(text: str) -> str:
    t = str(text).strip().lower().replace("\u00a0", " ")
    t = _FRAME.sub(" ", t)
    t = re.sub(r"[,:;()\[\]]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _read_text(t: str):
    if m := _P_YEAR.match(t):
        return _span("year", int(m.group(1)), 1)
    for i, pattern in enumerate(_P_SEM):
        if m := pattern.match(t):
            year, index = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            return _span("semester", int(year), _ROMAN[index])
    for i, pattern in enumerate(_P_QUARTER):
        if m := pattern.match(t):
            year, index = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            return _span("quarter", int(year), _ROMAN[index])
    if m := _P_DATE.match(t):
        try:
            end = pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return end.strftime("%Y-%m-%d"), "end", pd.NaT, end
    for i, pattern in enumerate(_P_MONTH):
        if m := pattern.match(t):
            year, month = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            number = MONTHS.get(month) if i == 2 else int(month)
            if number is not None and 1 <= number <= 12:
                return _span("month", int(year), number)
    return None


def read_period(value) -> tuple[str, str, pd.Timestamp, pd.Timestamp]:
    """An appraisal period as written, read into its label, kind, first and last day.

    Reads a year (``2025``, ``Tahunan 2025``), a semester (``2025-S1``, ``Semester I 2025``,
    ``Semester 1 Tahun 2025``), a quarter (``2025-Q2``, ``Triwulan II 2025``, ``TW 2 2025``), a
    month (``2025-06``, ``06/2025``, ``Juni 2025``, ``Jun-2025``, e-Kinerja's
    ``Periode Bulanan 6 Tahun 2026``), and an end date (a date, or ISO text ``2025-06-30``): a period
    known only by the day it ended, whose first day is ``NaT``. Case and the words *periode*,
    *penilaian*, *tahun*, *bulan* are ignored.

    Parameters
    ----------
    value : str, int, datetime or Timestamp

    Returns
    -------
    (label, kind, start, end)
        ``label`` in the form of :func:`period_labels` (``2025-06``, ``2025-Q2``, ``2025-S1``,
        ``2025``) or the ISO end date; ``kind`` one of :data:`PERIOD_KINDS`.

    Raises
    ------
    ValueError
        When ``value`` names no period.

    Examples
    --------
    >>> read_period("Triwulan II 2025")[:2], [str(d.date()) for d in read_period("Triwulan II 2025")[2:]]
    (('2025-Q2', 'quarter'), ['2025-04-01', '2025-06-30'])
    >>> read_period("Periode Bulanan 6 Tahun 2026")[:2], read_period("Semester 1 Tahun 2025")[0]
    (('2026-06', 'month'), '2025-S1')
    >>> read_period("Juni 2025")[0], read_period(2025)[0], read_period("2025-S2")[0]
    ('2025-06', '2025', '2025-S2')
    >>> label, kind, start, end = read_period(pd.Timestamp("2025-06-30"))
    >>> label, kind, start is pd.NaT, str(end.date())
    ('2025-06-30', 'end', True, '2025-06-30')
    >>> read_period("minggu lalu")
    Traceback (most recent call last):
    ...
    ValueError: value must name a period such as 2025, 2025-S1, Triwulan II 2025, Juni 2025 or an end date, got 'minggu lalu'
    """
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat"):
        end = pd.Timestamp(value).normalize()
        if pd.isna(end):
            raise ValueError(f"value must name a period, got {value!r}")
        return end.strftime("%Y-%m-%d"), "end", pd.NaT, end
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    found = _read_text(_cleaned(value)) if isinstance(value, str) else None
    if found is None:
        raise ValueError("value must name a period such as 2025, 2025-S1, Triwulan II 2025, Juni 2025 or an end "
                         f"date, got {value!r}")
    return found


def read_periods(values) -> pd.DataFrame:
    """:func:`read_period` of every value, computed once per distinct value; unreadable or missing
    values give missing cells (never an error).

    Returns
    -------
    pandas.DataFrame
        ``label`` (str), ``kind`` (str), ``start`` and ``end`` (datetime64), on the index of ``values``.

    Examples
    --------
    >>> out = read_periods(pd.Series(["2025-Q1", "Semester II 2025", None, "?"]))
    >>> out["label"].tolist(), out["end"].dt.strftime("%m-%d").tolist()
    (['2025-Q1', '2025-S2', nan, nan], ['03-31', '12-31', nan, nan])
    """
    s = pd.Series(values)
    codes, uniques = pd.factorize(s)
    found = []
    for v in uniques:
        try:
            found.append(read_period(v))
        except ValueError:
            found.append((None, None, pd.NaT, pd.NaT))
    found.append((None, None, pd.NaT, pd.NaT))
    labels, kinds, starts, ends = zip(*found)
    return pd.DataFrame({
        "label": pd.Series(np.array(labels, dtype=object)[codes], index=s.index, dtype="str"),
        "kind": pd.Series(np.array(kinds, dtype=object)[codes], index=s.index, dtype="str"),
        "start": pd.Series(pd.DatetimeIndex(starts)[codes], index=s.index),
        "end": pd.Series(pd.DatetimeIndex(ends)[codes], index=s.index),
    })


def period_in_text(text) -> str | None:
    """The label of the period a title line names after the word *periode*, or None.

    e-Kinerja's exports write the period in a title line above the table, e.g.
    ``Periode Bulanan 6 Tahun 2026``; a line without the word *periode* names none.

    Examples
    --------
    >>> period_in_text("Periode Bulanan 6 Tahun 2026")
    '2026-06'
    >>> period_in_text("REKAP PENILAIAN KINERJA PERIODE TRIWULAN I TAHUN 2025 (DATA SINTETIS)")
    '2025-Q1'
    >>> period_in_text("REKAPITULASI TAHUN 2025") is None
    True
    """
    if text is None or not isinstance(text, str):
        return None
    low = text.lower()
    at = low.find("periode")
    if at < 0:
        return None
    words = re.sub(r"[()\[\],:;]", " ", low[at + len("periode"):]).split()
    for n in range(min(len(words), 6), 0, -1):
        try:
            return read_period(" ".join(words[:n]))[0]
        except ValueError:
            continue
    return None
