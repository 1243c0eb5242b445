"""Periods: one way to name a month, quarter, semester or year, to find its days, and to filter by it.

Labels are text that sorts chronologically: ``"2025-03"`` (month), ``"2025-Q1"`` (quarter),
``"2025-S1"`` (semester: January–June) and ``"2025"`` (year). Everything that groups or filters
by period — the evidence engine's ``period`` grouping, the IKM per period, the trend charts and the
sidebar's period filter — calls these functions.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

PERIODS: tuple[str, ...] = ("month", "quarter", "semester", "year")
DEFAULT_PERIOD = "quarter"

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
    text = str(label).strip().upper()
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
        raise ValueError(f"label must look like 2025-03, 2025-Q1, 2025-S1 or 2025, got {label!r}")
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
