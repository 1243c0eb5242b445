"""What became of each mentor's mentees: their appraisal before and after the mentoring, beyond
the matched comparison (the mentoring evaluation's join and matching, docs/method.md §18–19).

A mentee's *change* is the appraisal of the first period after the mentoring minus the last one
before it; *beyond the comparison* subtracts the weighted mean change of the non-mentees matched to
them (same periods, kecamatan or unit type, and baseline), so the general drift of appraisals does
not count as improvement. A mentee *improved* when that change is above zero. A mentee without a
period before or after (or unmatched) has no change and is not counted as measured.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.frame import AFTER, BEFORE, COMPARISON_CHANGE
from analysis.core.errors import AnalysisError
from analysis.mentoring.effect import mentee_events, mentoring_frame

OUTCOME_COLUMNS = ("mentee_nip", "mentors", "start", "end", "jumlah_sesi", "periode_sebelum", "periode_sesudah",
                   "sebelum", "sesudah", "change", "change_beyond_comparison")


def mentee_outcomes(pairs: pd.DataFrame, appraisals: pd.DataFrame, lag_months: int = 0) -> pd.DataFrame:
    """One row per mentee: their mentors, the mentoring's first start and last end, sessions, the
    appraisal periods and values before and after, the change and the change beyond the matched
    comparison (missing where the join or the matching found none).

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["a", "a", "b", "b", "n", "n"], "periode": ["2025-Q1", "2025-Q4"] * 3,
    ...                      "kecamatan": ["Medan Baru"] * 6, "nilai": [80.0, 86, 80, 79, 80, 81]})
    >>> pairs = pd.DataFrame({"mentor_nip": ["m", "m"], "mentee_nip": ["a", "b"], "kecamatan": ["Medan Baru"] * 2,
    ...     "jumlah_sesi": [6.0, 4.0], "tanggal_mulai": pd.to_datetime(["2025-06-02"] * 2),
    ...     "tanggal_selesai": pd.to_datetime(["2025-08-29"] * 2)})
    >>> out = mentee_outcomes(pairs, rows)
    >>> out[["mentee_nip", "sebelum", "sesudah", "change", "change_beyond_comparison"]].values.tolist()
    [['a', 80.0, 86.0, 6.0, 5.0], ['b', 80.0, 79.0, -1.0, -2.0]]
    """
    events = mentee_events(pairs)
    base = pd.DataFrame({"mentee_nip": events["nip"].astype("str"), "mentors": events["mentors"],
                         "start": events["start"], "end": events["end"], "jumlah_sesi": events["jumlah_sesi"]})
    if appraisals is None or appraisals.empty:
        frame = pd.DataFrame(columns=["nip", "kelompok", BEFORE, AFTER, "periode_sebelum", "periode_sesudah",
                                      COMPARISON_CHANGE])
    else:
        try:
            frame, _ = mentoring_frame(pairs, appraisals, lag_months=lag_months)
        except (AnalysisError, ValueError):  # appraisals without readable periods: nothing measured
            frame = pd.DataFrame(columns=["nip", "kelompok", BEFORE, AFTER, "periode_sebelum", "periode_sesudah",
                                          COMPARISON_CHANGE])
    part = frame[frame["kelompok"] == "peserta"].set_index(frame.loc[frame["kelompok"] == "peserta", "nip"]
                                                           .astype("str"))
    has_comparison = bool((frame["kelompok"] == "pembanding").any())
    keys = base["mentee_nip"]
    base["periode_sebelum"] = part["periode_sebelum"].reindex(keys).astype("str").to_numpy()
    base["periode_sesudah"] = part["periode_sesudah"].reindex(keys).astype("str").to_numpy()
    base["sebelum"] = pd.to_numeric(part[BEFORE].reindex(keys), errors="coerce").to_numpy(dtype=float)
    base["sesudah"] = pd.to_numeric(part[AFTER].reindex(keys), errors="coerce").to_numpy(dtype=float)
    base["change"] = base["sesudah"] - base["sebelum"]
    comparison = pd.to_numeric(part[COMPARISON_CHANGE].reindex(keys), errors="coerce").to_numpy(dtype=float)
    base["change_beyond_comparison"] = base["change"] - comparison if has_comparison else np.nan
    return base[list(OUTCOME_COLUMNS)].reset_index(drop=True)


def mentor_summary(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per mentor: mentees, those measured (a change beyond the comparison), those improved (above
    zero), the improved share and the mean change beyond the comparison. A mentee with two mentors
    counts for both.

    Examples
    --------
    >>> out = pd.DataFrame({"mentee_nip": ["a", "b", "c"], "mentors": [["m"], ["m"], ["m", "k"]],
    ...                     "change_beyond_comparison": [1.0, -0.5, np.nan]})
    >>> mentor_summary(out).values.tolist()
    [['k', 1, 0, 0, nan, nan], ['m', 3, 2, 1, 0.5, 0.25]]
    """
    columns = ["mentor_nip", "mentees", "mentees_measured", "mentees_improved", "improved_share", "mean_change"]
    if outcomes.empty:
        return pd.DataFrame(columns=columns)
    long = outcomes[["mentee_nip", "mentors", "change_beyond_comparison"]].explode("mentors")
    long = long.dropna(subset=["mentors"])
    change = pd.to_numeric(long["change_beyond_comparison"], errors="coerce")
    grouped = long.assign(_measured=change.notna(), _improved=change > 0, _change=change).groupby("mentors", sort=True)
    out = pd.DataFrame({
        "mentor_nip": grouped.size().index.astype("str"),
        "mentees": grouped["mentee_nip"].nunique().to_numpy(),
        "mentees_measured": grouped["_measured"].sum().astype("int64").to_numpy(),
        "mentees_improved": grouped["_improved"].sum().astype("int64").to_numpy(),
        "mean_change": grouped["_change"].mean().to_numpy(dtype=float),
    })
    measured = out["mentees_measured"].to_numpy(dtype=float)
    out["improved_share"] = np.where(measured > 0, out["mentees_improved"] / np.where(measured > 0, measured, 1), np.nan)
    return out[columns]
