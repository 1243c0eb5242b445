"""The appraisal before and after each program or mentoring pair.

For an event (a participant's program, a mentee's mentoring) from ``start`` to ``end``:

- *before* is the person's last appraisal period **ending on or before the start**;
- *after* is the person's first period **starting on or after the end**, plus a lag of whole months
  (``lag_months``: time for a change to show in the work).

Nothing is guessed: an event whose person has no appraisal, no period before, no end date (an
ongoing mentoring), no period after, or no value in a found period gets a status saying so, and its
values stay empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The status of an event's join, in the order they are checked.
JOIN_STATUSES = ("ok", "no_appraisal", "no_before", "no_end_date", "no_after", "no_value")


def _as_ns(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values), errors="coerce").astype("datetime64[ns]")


def _check_events(events: pd.DataFrame, lag_months: int) -> None:
    missing = [c for c in ("nip", "start", "end") if c not in events]
    if missing:
        raise ValueError(f"events must have the columns nip, start and end, missing {missing}")
    if not (isinstance(lag_months, (int, np.integer)) and not isinstance(lag_months, bool) and 0 <= lag_months <= 60):
        raise ValueError(f"lag_months must be a whole number of months from 0 to 60, got {lag_months!r}")


def _nearest(left: pd.DataFrame, key: str, table: pd.DataFrame, on: str, direction: str, prefix: str) -> pd.DataFrame:
    """For each left row, the table row of the same person nearest in ``direction`` (merge_asof)."""
    fields = ["label", "start", "end", "value"]
    right = table.loc[table[on].notna(), ["nip", *fields]].copy()
    right["_on"] = _as_ns(right[on]).to_numpy()
    right = right.rename(columns={f: prefix + f for f in fields}).sort_values("_on", kind="stable")
    usable = left.loc[left[key].notna(), ["nip", key]].sort_values(key, kind="stable")
    found = pd.merge_asof(usable, right, left_on=key, right_on="_on", by="nip",
                          direction=direction, allow_exact_matches=True)
    found.index = usable.index
    return found[[prefix + f for f in fields]].reindex(left.index)


def join_periods(events: pd.DataFrame, table: pd.DataFrame, lag_months: int = 0) -> pd.DataFrame:
    """The period before and after each event, with its value, and the join's status.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event: ``nip``, ``start`` and ``end`` (dates; ``end`` missing = not ended).
    table : pandas.DataFrame
        :func:`analysis.appraisal.table.appraisal_table`'s table.
    lag_months : int
        Whole months after the end before the *after* period may start (0–60).

    Returns
    -------
    pandas.DataFrame
        On the index of ``events``: ``before_label``, ``before_start``, ``before_end``,
        ``before_value``, ``after_label``, ``after_start``, ``after_end``, ``after_value`` and
        ``status`` (one of :data:`JOIN_STATUSES`).

    Examples
    --------
    >>> from analysis.appraisal.table import appraisal_table
    >>> rows = pd.DataFrame({"nip": ["1"] * 4, "periode": ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"],
    ...                      "nilai": [80.0, 81, 84, 85]})
    >>> table, _ = appraisal_table(rows)
    >>> events = pd.DataFrame({"nip": ["1", "1", "2"], "start": pd.to_datetime(["2025-04-14"] * 3),
    ...                        "end": pd.to_datetime(["2025-05-30", "2025-05-30", "2025-05-30"])})
    >>> j = join_periods(events.iloc[:1], table)
    >>> j[["before_label", "after_label", "before_value", "after_value", "status"]].values.tolist()
    [['2025-Q1', '2025-Q3', 80.0, 84.0, 'ok']]
    >>> join_periods(events.iloc[:1], table, lag_months=3)[["after_label"]].values.tolist()
    [['2025-Q4']]
    >>> join_periods(events.iloc[2:], table)["status"].tolist()
    ['no_appraisal']
    """
    _check_events(events, lag_months)
    left = pd.DataFrame({"nip": events["nip"].astype("str").to_numpy(),
                         "start": _as_ns(events["start"]).to_numpy(),
                         "threshold": (_as_ns(events["end"]) + pd.DateOffset(months=lag_months)).to_numpy()},
                        index=events.index)
    table = table.assign(nip=table["nip"].astype("str"))
    before = _nearest(left, "start", table, "end", "backward", "before_")
    after = _nearest(left, "threshold", table, "start", "forward", "after_")
    out = pd.concat([before, after], axis=1)
    known = left["nip"].isin(set(table["nip"])).to_numpy()
    checks = [
        ("no_appraisal", ~known),
        ("no_before", out["before_label"].isna().to_numpy()),
        ("no_end_date", left["threshold"].isna().to_numpy()),
        ("no_after", out["after_label"].isna().to_numpy()),
        ("no_value", ~(np.isfinite(out["before_value"].to_numpy(dtype=float))
                       & np.isfinite(out["after_value"].to_numpy(dtype=float)))),
    ]
    status = np.full(len(out), "ok", dtype=object)
    for name, mask in reversed(checks):
        status = np.where(mask, name, status)
    out["status"] = pd.Series(status, index=out.index, dtype="str")
    for side in ("before", "after"):
        gone = out["status"].ne("ok").to_numpy()
        out.loc[gone, f"{side}_value"] = np.nan
    return out


def join_summary(joined: pd.DataFrame) -> dict[str, int]:
    """How many events got each status (every status named, zeros included).

    Examples
    --------
    >>> join_summary(pd.DataFrame({"status": ["ok", "ok", "no_after"]}))
    {'ok': 2, 'no_appraisal': 0, 'no_before': 0, 'no_end_date': 0, 'no_after': 1, 'no_value': 0}
    """
    counts = joined["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in JOIN_STATUSES}
