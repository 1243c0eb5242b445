"""Reading the decisions recorded in evaluation meetings (kept by :mod:`store.decisions`).

A record is never changed: a correction is a new record naming the one it corrects (``corrects``),
which then no longer counts (:func:`effective_decisions`). A decision concerns the evaluation
period it was taken for (``period``; when none was chosen, the quarter of its date). The scorecard
of a period shows the decision taken for that period, or else the latest one taken for an earlier
period, with what has changed since (:func:`decision_in_force`, :func:`since_text`).
"""

from __future__ import annotations

import json
import math

import pandas as pd

from analysis.core.fmt import fmt_number
from analysis.core.periods import period_bounds, period_labels
from analysis.followup.recommend import recommendation_label

#: The columns of a decision record as :func:`store.decisions.list_decisions` returns them.
COLUMNS = ["id", "rule_set", "subject", "period", "decision", "reasons", "decided_on", "recorded_at",
           "recorded_by", "recommendation", "rule", "rules_version", "corrects", "snapshot"]

#: What :func:`snapshot` keeps of a program's card, and how a change is written.
_TRACKED = (("reaction", "estimate", "L1", 2), ("learning", "effect", "L2 d_z", 2),
            ("behaviour", "estimate", "L3", 2), ("results", "estimate", "L4 IKM", 2))


def _value(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def effective_decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """The records no later record corrects.

    Examples
    --------
    >>> d = pd.DataFrame({"id": [1, 2, 3], "corrects": [None, 1, None]})
    >>> effective_decisions(d)["id"].tolist()
    [2, 3]
    """
    if decisions.empty:
        return decisions
    corrected = set(pd.to_numeric(decisions["corrects"], errors="coerce").dropna().astype(int))
    return decisions[~decisions["id"].astype(int).isin(corrected)]


def decision_period(record: dict) -> str:
    """The period a decision concerns: its ``period``, else the quarter of ``decided_on``.

    Examples
    --------
    >>> decision_period({"period": None, "decided_on": pd.Timestamp("2025-05-14")})
    '2025-Q2'
    """
    period = record.get("period")
    if isinstance(period, str) and period.strip():
        return period.strip()
    return str(period_labels(pd.Series([pd.Timestamp(record["decided_on"])]), "quarter").iloc[0])


def _start(label: str) -> pd.Timestamp:
    try:
        return period_bounds(label)[0]
    except ValueError:
        return pd.Timestamp.max


def decision_in_force(decisions: pd.DataFrame, program: str, period: str | None = None) -> tuple[dict, str] | None:
    """The decision to show beside ``program``'s scorecard for ``period``, and how it relates:
    ``"this_period"`` (taken for this period), ``"earlier"`` (the latest taken for an earlier
    period) or ``"latest"`` (no period chosen: the latest of all). None when there is none.

    Examples
    --------
    >>> d = pd.DataFrame({"id": [1, 2], "subject": ["A", "A"], "period": ["2025-Q1", "2025-Q2"],
    ...     "decided_on": pd.to_datetime(["2025-04-10", "2025-07-08"]), "corrects": [None, None],
    ...     "decision": ["perbaiki", "lanjutkan"]})
    >>> rec, how = decision_in_force(d, "A", "2025-Q3")
    >>> rec["decision"], how
    ('lanjutkan', 'earlier')
    >>> rec, how = decision_in_force(d, "A", "2025-Q2")
    >>> rec["id"], how
    (2, 'this_period')
    >>> decision_in_force(d, "A", "2025-Q1")[0]["id"], decision_in_force(d, "B") is None
    (1, True)
    """
    if decisions is None or decisions.empty:
        return None
    rows = effective_decisions(decisions)
    rows = rows[rows["subject"] == program]
    if rows.empty:
        return None
    records = sorted(rows.to_dict("records"), key=lambda r: (pd.Timestamp(r["decided_on"]), int(r["id"])))
    if not period:
        return records[-1], "latest"
    same = [r for r in records if decision_period(r) == period]
    if same:
        return same[-1], "this_period"
    earlier = [r for r in records if _start(decision_period(r)) < _start(period)]
    return (earlier[-1], "earlier") if earlier else None


def snapshot(levels: dict, recommendation: str, rule: str) -> dict:
    """What a decision record keeps of the scorecard it was taken on, to say later what changed.

    Examples
    --------
    >>> snapshot({"learning": {"effect": 0.41}, "behaviour": None}, "lanjutkan", "gain_learning")
    {'recommendation': 'lanjutkan', 'rule': 'gain_learning', 'reaction.estimate': None, 'learning.effect': 0.41, 'behaviour.estimate': None, 'results.estimate': None}
    """
    out: dict = {"recommendation": recommendation, "rule": rule}
    for level, key, _, _ in _TRACKED:
        out[f"{level}.{key}"] = _value((levels.get(level) or {}).get(key))
    return out


def since_text(record: dict, relation: str, levels: dict, recommendation: str, lang: str = "id") -> str:
    """The line beside a scorecard row: the decision, when and by whom, and — for an earlier
    decision — what has changed since (the recommendation now, and each level recorded then).

    ``record["snapshot"]`` is the :func:`snapshot` taken with the decision (a dict or its JSON).

    Examples
    --------
    >>> rec = {"decision": "perbaiki", "period": "2025-Q2", "decided_on": pd.Timestamp("2025-07-03"),
    ...        "recorded_by": "ani", "snapshot": {"learning.effect": 0.12, "behaviour.estimate": None}}
    >>> since_text(rec, "earlier", {"learning": {"effect": 0.45}}, "lanjutkan", "en")
    'Decided: 🔧 Revise, for 2025-Q2 (ani, 03-07-2025). Since then: recommendation now ✅ Continue; L2 d_z 0.12 → 0.45.'
    """
    en = lang == "en"
    when = pd.Timestamp(record["decided_on"]).strftime("%d-%m-%Y")
    head = (f"{'Decided' if en else 'Diputuskan'}: {recommendation_label(record['decision'], lang)}, "
            f"{'for' if en else 'untuk'} {decision_period(record)} ({record.get('recorded_by') or '–'}, {when}).")
    if relation == "this_period":
        return head
    snap = record.get("snapshot")
    if isinstance(snap, str):
        try:
            snap = json.loads(snap)
        except ValueError:
            snap = None
    snap = snap if isinstance(snap, dict) else {}  # none kept (a missing value is NaN in a frame)
    changes = [f"{'recommendation now' if en else 'rekomendasi kini'} {recommendation_label(recommendation, lang)}"]
    for level, key, label, decimals in _TRACKED:
        old, new = _value(snap.get(f"{level}.{key}")), _value((levels.get(level) or {}).get(key))
        if old is not None and new is not None:
            changes.append(f"{label} {fmt_number(old, decimals, lang)} → {fmt_number(new, decimals, lang)}")
    return f"{head} {'Since then' if en else 'Sejak itu'}: {'; '.join(changes)}."
