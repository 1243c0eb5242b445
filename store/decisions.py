"""Decisions recorded in evaluation meetings: append-only, audited, kept across restarts.

In the meeting an analyst or administrator records what was decided for a subject (a program) under
a rule set (``followup``): the decision, free-text reasons, the date, who, and what the rules
recommended at the time (recommendation, rule, rules version, and a snapshot of the scorecard's
numbers so that the next meeting can see what has changed). A record is never changed or deleted —
the database itself refuses it (:mod:`store.schema`) — and a correction is a new record naming the
one it corrects. Each record is audited as ``decision_record`` in the same transaction.

Reading the records (which one is in force, what changed since) is
:mod:`analysis.followup.decisions`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import insert, select

from analysis.core.errors import AnalysisError
from analysis.core.jsonable import to_jsonable
from store import audit, db
from store.schema import MAX_RULE_SET_NAME, MAX_SUBJECT, decisions

if TYPE_CHECKING:  # pragma: no cover
    from store.db import Database

#: Longest reasons accepted (characters).
MAX_REASONS = 4000
COLUMNS = ["id", "rule_set", "subject", "period", "decision", "reasons", "decided_on", "recorded_at",
           "recorded_by", "recommendation", "rule", "rules_version", "corrects", "snapshot"]


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"{name} must be non-empty text, got {value!r}")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise ValueError(f"{name} must hold at most {limit} characters, got {len(value)}")
    return value


def _day(value: Any) -> dt.date:
    """``decided_on`` as a date; refused when missing, unreadable or later than tomorrow (UTC)."""
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise AnalysisError("decision_date_required", "Tanggal keputusan wajib diisi.",
                            "The date of the decision is required.")
    day = day.date()
    if day > db.utcnow().date() + dt.timedelta(days=1):
        raise AnalysisError("decision_in_future", f"Tanggal keputusan {day:%d-%m-%Y} belum terjadi.",
                            f"The decision date {day:%d-%m-%Y} is in the future.")
    return day


def record_decision(
    store: Database,
    *,
    rule_set: str,
    subject: str,
    decision: str,
    reasons: str,
    decided_on: Any,
    actor: Any,
    period: str | None = None,
    recommendation: str | None = None,
    rule: str | None = None,
    rules_version: int | None = None,
    corrects: int | None = None,
    snapshot: Mapping | None = None,
    allowed: Collection[str] | None = None,
) -> int:
    """Record one decision (append-only) and its ``decision_record`` audit entry; return its id.

    Parameters
    ----------
    store : store.db.Database
    rule_set : str
        The mechanism the decision belongs to, e.g. ``"followup"``.
    subject : str
        What was decided about, e.g. the program's name.
    decision : str
        The decision, one of ``allowed`` when given (the rule set's outcomes).
    reasons : str
        Why, in the meeting's words (required).
    decided_on : date-like
        The day of the meeting; not later than tomorrow.
    actor : str or User
        Who records it; a user object must be at least an analyst.
    period : str, optional
        The evaluation period the decision concerns (``"2025-Q2"``).
    recommendation, rule, rules_version : optional
        What the rules recommended when it was decided, which rule fired, which version of the rules.
    corrects : int, optional
        The id of the record this one corrects (same rule set and subject).
    snapshot : mapping, optional
        The scorecard's numbers when it was decided (stored as JSON).
    allowed : collection of str, optional
        The decisions permitted.

    Raises
    ------
    AnalysisError
        ``decision_reasons_required``, ``invalid_decision``, ``decision_date_required``,
        ``decision_in_future``, ``unknown_decision`` (``corrects`` names no record of this subject),
        ``forbidden`` (a viewer).

    Examples
    --------
    >>> from store.audit import read_audit
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> first = record_decision(store, rule_set="followup", subject="Literasi Data", decision="perbaiki",
    ...                         reasons="Materi diperbarui.", decided_on="2025-07-03", actor="ani")
    >>> fixed = record_decision(store, rule_set="followup", subject="Literasi Data", decision="lanjutkan",
    ...                         reasons="Salah ketik.", decided_on="2025-07-03", actor="ani", corrects=first)
    >>> list_decisions(store, "followup")[["id", "decision", "corrects"]].to_dict("records")
    [{'id': 1, 'decision': 'perbaiki', 'corrects': None}, {'id': 2, 'decision': 'lanjutkan', 'corrects': 1}]
    >>> read_audit(store)["action"].tolist()
    ['decision_record', 'decision_record']
    """
    who = audit.acting(actor, "analyst")
    rule_set = _text(rule_set, "rule_set", MAX_RULE_SET_NAME)
    subject = _text(subject, "subject", MAX_SUBJECT)
    decision = _text(decision, "decision", 40)
    if allowed is not None and decision not in allowed:
        raise AnalysisError("invalid_decision", f"Keputusan harus salah satu dari {', '.join(allowed)}.",
                            f"The decision must be one of {', '.join(allowed)}.")
    if not isinstance(reasons, str) or not reasons.strip():
        raise AnalysisError("decision_reasons_required", "Tuliskan alasan keputusan rapat.",
                            "Write the meeting's reasons for the decision.")
    if len(reasons.strip()) > MAX_REASONS:
        raise AnalysisError("decision_reasons_too_long", f"Alasan paling panjang {MAX_REASONS} karakter.",
                            f"Reasons hold at most {MAX_REASONS} characters.")
    day = _day(decided_on)
    row = {
        "rule_set": rule_set, "subject": subject, "period": _text(period, "period", 20, required=False),
        "decision": decision, "reasons": reasons.strip(), "decided_on": day, "recorded_at": db.utcnow(),
        "recorded_by": who, "recommendation": _text(recommendation, "recommendation", 40, required=False),
        "rule": _text(rule, "rule", MAX_RULE_SET_NAME, required=False),
        "rules_version": None if rules_version is None else int(rules_version),
        "corrects": None if corrects is None else int(corrects),
        "snapshot": None if snapshot is None else json.dumps(to_jsonable(dict(snapshot)), ensure_ascii=False,
                                                             allow_nan=False),
    }
    with store.transaction() as conn:
        if row["corrects"] is not None:
            found = conn.execute(select(decisions.c.id).where(
                (decisions.c.id == row["corrects"]) & (decisions.c.rule_set == rule_set)
                & (decisions.c.subject == subject))).first()
            if found is None:
                raise AnalysisError("unknown_decision", f"Catatan keputusan #{row['corrects']} untuk {subject} tidak ada.",
                                    f"There is no decision record #{row['corrects']} for {subject}.")
        new_id = int(conn.execute(insert(decisions).values(**row).returning(decisions.c.id)).scalar_one())
        audit.record(conn, who, "decision_record", target=subject, detail={
            "id": new_id, "rule_set": rule_set, "decision": decision, "period": row["period"],
            "decided_on": day.isoformat(), "recommendation": row["recommendation"], "rule": row["rule"],
            "corrects": row["corrects"]})
    return new_id


def list_decisions(store: Database, rule_set: str, *, subject: str | None = None) -> pd.DataFrame:
    """Every decision of ``rule_set`` (and ``subject``), oldest first, corrections included.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: ``decided_on`` and ``recorded_at`` as datetimes (``recorded_at`` UTC),
        ``corrects`` and ``rules_version`` as nullable integers, ``snapshot`` as JSON text.

    Examples
    --------
    >>> from store.db import Database
    >>> list_decisions(Database("sqlite://"), "followup").columns.tolist() == COLUMNS
    True
    """
    query = select(*(decisions.c[name] for name in COLUMNS)).where(decisions.c.rule_set == rule_set)
    if subject is not None:
        query = query.where(decisions.c.subject == subject)
    with store.transaction(write=False) as conn:
        rows = conn.execute(query.order_by(decisions.c.id)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    frame["id"] = frame["id"].astype("int64")
    for name in ("rules_version", "corrects"):
        frame[name] = frame[name].astype("Int64")
    frame["decided_on"] = pd.to_datetime(frame["decided_on"])
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], utc=True)
    for name in ("rule_set", "subject", "period", "decision", "reasons", "recorded_by", "recommendation", "rule",
                 "snapshot"):
        frame[name] = frame[name].astype("str")
    return frame
