"""Reading recorded decisions (analysis/followup/decisions.py): corrections replace what they
correct, the decision shown is the one of this period or the latest of an earlier one, and what
changed since is written in both languages."""

from __future__ import annotations

import json

import pandas as pd

from analysis.followup.decisions import decision_in_force, decision_period, effective_decisions, since_text, snapshot


def records() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 2, 3, 4],
        "subject": ["A", "A", "A", "B"],
        "period": ["2025-Q1", None, "2025-Q1", "2025-Q2"],
        "decision": ["perbaiki", "lanjutkan", "hentikan", "kembangkan"],
        "decided_on": pd.to_datetime(["2025-04-10", "2025-05-20", "2025-04-12", "2025-07-01"]),
        "recorded_by": ["ani", "budi", "ani", "citra"],
        "corrects": [None, None, 1, None],  # record 3 corrects record 1
        "snapshot": [None, None, json.dumps({"learning.effect": 0.2, "behaviour.estimate": -1.5}), None],
    })


def test_a_correction_replaces_the_record_it_corrects():
    assert effective_decisions(records())["id"].tolist() == [2, 3, 4]


def test_the_period_of_a_decision():
    rows = records().to_dict("records")
    assert decision_period(rows[0]) == "2025-Q1"
    assert decision_period(rows[1]) == "2025-Q2"  # no period chosen: the quarter of 20 May 2025


def test_which_decision_a_scorecard_shows():
    d = records()
    rec, how = decision_in_force(d, "A", "2025-Q1")
    assert (rec["id"], how) == (3, "this_period")  # the correction, not the corrected record 1
    rec, how = decision_in_force(d, "A", "2025-Q3")
    assert (rec["id"], how) == (2, "earlier")  # latest decision for a period before 2025-Q3
    rec, how = decision_in_force(d, "A", "2025-Q2")
    assert (rec["id"], how) == (2, "this_period")
    assert decision_in_force(d, "A", "2024-Q4") is None  # nothing decided before
    assert decision_in_force(d, "A")[0]["id"] == 2  # all periods: the latest by date
    assert decision_in_force(d, "C", "2025-Q3") is None
    assert decision_in_force(d.iloc[:0], "A") is None


def test_what_changed_since():
    rec = records().to_dict("records")[2]
    levels = {"learning": {"effect": 0.65}, "behaviour": {"estimate": 2.25}, "results": None}
    assert since_text(rec, "earlier", levels, "lanjutkan", "id") == (
        "Diputuskan: ⛔ Hentikan, untuk 2025-Q1 (ani, 12-04-2025). Sejak itu: rekomendasi kini ✅ Lanjutkan; "
        "L2 d_z 0,20 → 0,65; L3 -1,50 → 2,25.")
    assert since_text(rec, "this_period", levels, "lanjutkan", "en") == (
        "Decided: ⛔ Stop, for 2025-Q1 (ani, 12-04-2025).")


def test_snapshot_keeps_the_numbers_a_later_meeting_compares():
    snap = snapshot({"reaction": {"estimate": 4.2}, "learning": {"effect": float("nan")}, "results": None},
                    "perbaiki", "no_gain_learning")
    assert snap == {"recommendation": "perbaiki", "rule": "no_gain_learning", "reaction.estimate": 4.2,
                    "learning.effect": None, "behaviour.estimate": None, "results.estimate": None}
    json.dumps(snap, allow_nan=False)
