"""Performance evidence (Kirkpatrick L3) from an appraisal export instead of the training file's
``kinerja_sebelum``/``kinerja_sesudah`` columns.

Each participant row of the training file is an event from ``tanggal_mulai`` to ``tanggal_selesai``
(a row without an end date ends the day it starts, and is counted); the appraisal join
(:mod:`analysis.appraisal`) gives the period before and after it, and the matched non-participants of
the appraisal data form the comparison group. The evidence engine then evaluates that person-level
table as it evaluates any performance columns: the difference in differences where a comparison
was matched, with standard errors clustered by kecamatan.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.appraisal.frame import before_after_frame
from analysis.core.groups import participants
from analysis.core.periods import period_bounds, period_labels
from analysis.evidence.engine import evaluate
from analysis.evidence.groups import WILDCARD_FIELDS, normalise_by
from analysis.stats.did import MIN_CLUSTERS

#: Training columns an event carries into the engine's table.
CARRIED = ("nip", "nama", "unit_kerja", "kecamatan", "program", "jenis_program", "tanggal_mulai")


def training_events(training: pd.DataFrame, by: Sequence[str] = ()) -> tuple[pd.DataFrame, int]:
    """The participant rows as events (``nip``, ``start``, ``end`` and the carried columns; a
    ``period`` column when grouping by it), and how many took their start as their end.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "2"], "program": ["A", "A"], "kelompok": ["peserta", "pembanding"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07", None]), "tanggal_selesai": pd.to_datetime([None, None])})
    >>> events, from_start = training_events(rows, ("period",))
    >>> events[["nip", "period"]].values.tolist(), from_start
    ([['1', '2025-Q2']], 1)
    """
    part = participants(training, [*CARRIED, "tanggal_selesai"])
    part = part[part["tanggal_mulai"].notna()] if "tanggal_mulai" in part else part.iloc[:0]
    end = part["tanggal_selesai"] if "tanggal_selesai" in part else pd.Series(pd.NaT, index=part.index)
    events = part[[c for c in CARRIED if c in part]].copy()
    events["start"] = part["tanggal_mulai"]
    events["end"] = end.fillna(part["tanggal_mulai"])
    if "period" in by:
        events["period"] = period_labels(part["tanggal_mulai"], "quarter")
    return events.reset_index(drop=True), int(end.isna().sum())


def appraisal_pairs(training: pd.DataFrame, appraisals: pd.DataFrame, by: str | Sequence[str] | None = ("program",),
                    *, lag_months: int = 0, match_on: str = "auto") -> tuple[pd.DataFrame, dict]:
    """The person-level before/after table of job performance from the appraisal join: one row per
    participant and group of ``by`` whose join succeeded, and the matched non-participants of the
    appraisal data carrying the group's values (:func:`analysis.appraisal.frame.before_after_frame`).

    This is what :func:`evaluate_with_appraisals` evaluates, and what the follow-up scorecard's L3
    reads (``analysis.followup.scorecard.compute_levels(..., appraisals=...)``).

    Returns
    -------
    (pandas.DataFrame, dict)
        The frame (``nip``, ``kelompok``, ``kinerja_sebelum``, ``kinerja_sesudah``,
        ``bobot_pembanding`` … and the groups' fields), and the join's and the matching's counts
        (:func:`~analysis.appraisal.frame.before_after_frame`) with ``events_end_from_start``.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "1", "2", "2"], "periode": ["2025-Q1", "2025-Q3"] * 2,
    ...                      "kecamatan": ["Medan Baru"] * 4, "nilai": [80.0, 86, 81, 82]})
    >>> training = pd.DataFrame({"nip": ["1"], "program": ["Latsar"], "kecamatan": ["Medan Baru"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07"]), "tanggal_selesai": pd.to_datetime(["2025-05-09"])})
    >>> frame, info = appraisal_pairs(training, rows)
    >>> frame[["nip", "program", "kelompok", "kinerja_sebelum", "kinerja_sesudah"]].values.tolist()
    [['1', 'Latsar', 'peserta', 80.0, 86.0], ['2', 'Latsar', 'pembanding', 81.0, 82.0]]
    >>> info["scale"], info["join"]["ok"], info["events_end_from_start"]
    ('nilai', 1, 0)
    """
    by = normalise_by(by)
    events, from_start = training_events(training, by)
    # the engine keeps one row per person and group: so does the matching
    events = events.drop_duplicates([c for c in ("nip", *by) if c in events], keep="first")
    group_fields = [f for f in by if f in WILDCARD_FIELDS]
    exclude = set(participants(training, ["nip"])["nip"].dropna().astype("str")) if "nip" in training else set()
    frame, info = before_after_frame(events, appraisals, lag_months=lag_months, group_fields=group_fields,
                                     match_on=match_on, exclude=exclude)
    if "period" in by:  # a comparison row's start is its period's first day, so it stays in that period
        comparison = frame["kelompok"].eq("pembanding") & frame["period"].notna()
        frame.loc[comparison, "tanggal_mulai"] = [period_bounds(p)[0] for p in frame.loc[comparison, "period"]]
        frame = frame.drop(columns="period")
    info = {**info, "group_fields": group_fields, "events_end_from_start": from_start}
    return frame, info


def evaluate_with_appraisals(training: pd.DataFrame, appraisals: pd.DataFrame, by: str | Sequence[str] | None = (),
                             correction: str = "holm", *, lag_months: int = 0, match_on: str = "auto",
                             min_clusters: int = MIN_CLUSTERS) -> dict:
    """The engine's ``evaluate`` of the performance measure, on the appraisal join.

    Parameters
    ----------
    training : pandas.DataFrame
        Accepted ``training`` rows (the participants' programs and dates).
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows of the whole workforce.
    by, correction, min_clusters
        As :func:`analysis.evidence.engine.evaluate`.
    lag_months : int
        Months after a program's end before the *after* period may start.
    match_on : {"auto", "kecamatan", "unit_type", "none"}
        Where a non-participant must work to be matched.

    Returns
    -------
    dict
        :func:`analysis.evidence.engine.evaluate`'s dict (``measure = "performance"``), its ``did``
        saying how the comparison group was formed, and ``appraisal``: the scale (``nilai`` or
        ``predikat_rank``), the period kind, the lag, the join's statuses, the matching's counts, and
        ``events_end_from_start``.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "1", "2", "2"], "periode": ["2025-Q1", "2025-Q3"] * 2,
    ...                      "kecamatan": ["Medan Baru"] * 4, "nilai": [80.0, 86, 81, 82]})
    >>> training = pd.DataFrame({"nip": ["1"], "program": ["Latsar"], "kecamatan": ["Medan Baru"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07"]), "tanggal_selesai": pd.to_datetime(["2025-05-09"])})
    >>> out = evaluate_with_appraisals(training, rows, by="program")
    >>> out["design"], out["overall"]["did"], out["appraisal"]["scale"], out["appraisal"]["join"]["ok"]
    ('difference_in_differences', 5.0, 'nilai', 1)
    """
    by = normalise_by(by)
    frame, info = appraisal_pairs(training, appraisals, by, lag_months=lag_months, match_on=match_on)
    group_fields = info["group_fields"]
    result = evaluate(frame, "performance", by=by, correction=correction, min_clusters=min_clusters)
    result["did"]["comparison"] = "non-participants in the appraisal data, coarsened exact matching"
    result["did"]["matching"] = (f"same appraisal periods, {info['matching']['on']} and baseline "
                                 f"({info['matching']['baseline']}); weighted within each "
                                 f"{'/'.join(group_fields) or 'analysis'}")
    result["appraisal"] = {**{k: info[k] for k in ("scale", "period_kind", "lag_months", "join", "matching",
                                                   "participants_left_out")},
                           "events_end_from_start": info["events_end_from_start"]}
    return result
