"""The audit log: who did what, when, to which dataset.

Every sign-in (and failed one, and every wait failed ones start), upload, publication, archive,
restore, export, role change, account change, edit of the theme dictionary or of a rule set,
decision recorded, view of an employee's development record (``record_view``, the NIP as target)
and purge adds one row. Rows are only ever appended: nothing in the application updates or deletes
them, and a purge of a dataset keeps the entries that mention it.

The table (:data:`store.schema.audit_log`) lives in the same database as everything else. The
store's own modules write their entries with :func:`record` inside their own transaction, so an
action and its entry commit or roll back together; other callers (exports, the sign-in page) use
:func:`log_event`. The admin page reads the log with :func:`read_audit`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import insert, select

from analysis.core import roles
from store import db
from store.schema import audit_log

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import Connection

    from store.db import Database

#: The actions the application records; :func:`record` refuses any other word.
ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "account_locked",  # written before sign-ins were throttled instead of locked
    "sign_in_throttled",
    "throttle_clear",
    "upload",
    "upload_duplicate",
    "publish",
    "archive",
    "restore",
    "export",
    "themes_edit",
    "rules_edit",
    "decision_record",
    "record_view",
    "purge",
    "user_add",
    "role_change",
    "user_disable",
    "user_enable",
    "password_change",
    "user_unlock",
)

COLUMNS = ["id", "at", "actor", "action", "ok", "dataset_id", "version_id", "target", "detail"]


def actor_name(actor: Any) -> str:
    """The name recorded for ``actor``: a user object's ``username`` or the text itself.

    Examples
    --------
    >>> actor_name("cli:root")
    'cli:root'
    >>> from types import SimpleNamespace
    >>> actor_name(SimpleNamespace(username="budi", role="analyst"))
    'budi'
    """
    name = getattr(actor, "username", actor)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"actor must be a user or a non-empty name, got {actor!r}")
    return name.strip()[:255]


def acting(user: Any, needed: str) -> str:
    """The name to record for ``user`` of an action that needs role ``needed``.

    A user object (the app passes its :class:`store.auth.User`) must hold that role; a plain name
    is trusted (the CLI, whose user can open the database anyway, and scripts).

    Examples
    --------
    >>> from store.auth import User
    >>> acting("cli:root", "admin"), acting(User("budi", "admin"), "analyst")
    ('cli:root', 'budi')
    >>> acting(User("ani", "viewer"), "analyst")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: Only analyst or admin may do this; you are signed in as viewer.
    """
    if hasattr(user, "role"):
        roles.require_role(user, needed)
    return actor_name(user)


def record(
    conn: Connection,
    actor: Any,
    action: str,
    *,
    ok: bool = True,
    dataset_id: int | None = None,
    version_id: int | None = None,
    target: str | None = None,
    detail: dict | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry inside the caller's transaction ``conn``.

    Parameters
    ----------
    conn : sqlalchemy.engine.Connection
        An open connection inside a transaction; the entry commits with it.
    actor : str or user
        Who acted (a user object's ``username`` is used).
    action : str
        One of :data:`ACTIONS`.
    ok : bool
        False for refused attempts (a failed sign-in).
    dataset_id, version_id : int, optional
        The dataset concerned.
    target : str, optional
        The account concerned (role changes, failed sign-ins).
    detail : dict, optional
        Anything else worth keeping, stored as JSON.

    Examples
    --------
    >>> from store.db import Database
    >>> database = Database("sqlite://")
    >>> with database.transaction() as conn:
    ...     record(conn, "budi", "export", version_id=3, detail={"format": "xlsx"})
    >>> with database.transaction(write=False) as conn:
    ...     conn.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    [('export', '{"format": "xlsx"}')]
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    from analysis.core.jsonable import to_jsonable

    conn.execute(
        insert(audit_log).values(
            at=at or db.utcnow(),
            actor=actor_name(actor),
            action=action,
            ok=bool(ok),
            dataset_id=None if dataset_id is None else int(dataset_id),
            version_id=None if version_id is None else int(version_id),
            target=None if target is None else str(target)[:255],
            detail=None if detail is None else json.dumps(to_jsonable(detail), ensure_ascii=False),
        )
    )


def log_event(store: Database, actor: Any, action: str, **kwargs: Any) -> None:
    """Append one entry in a transaction of its own (for actions outside the store, e.g. exports).

    Takes the same keyword arguments as :func:`record`.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> log_event(store, "budi", "export", version_id=1, detail={"format": "csv"})
    >>> read_audit(store)[["actor", "action", "version_id"]].to_dict("records")
    [{'actor': 'budi', 'action': 'export', 'version_id': 1}]
    """
    with store.transaction() as conn:
        record(conn, actor, action, **kwargs)


def read_audit(
    store: Database,
    *,
    limit: int | None = 1000,
    action: str | list[str] | None = None,
    actor: str | None = None,
    dataset_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> pd.DataFrame:
    """The audit log as a tidy frame, newest first, for the admin page and ``python -m analysis audit``.

    Parameters
    ----------
    store : store.db.Database
        The database (a :class:`store.datasets.Store` is one).
    limit : int or None
        At most this many entries (None: all).
    action : str or list of str, optional
        Only these actions.
    actor : str, optional
        Only this actor.
    dataset_id : int, optional
        Only entries about this dataset.
    since, until : datetime, optional
        Time window (naive values are taken as UTC).

    Returns
    -------
    pandas.DataFrame
        Columns ``id, at`` (UTC), ``actor, action, ok, dataset_id, version_id, target, detail``
        (``detail`` is JSON text).

    Examples
    --------
    >>> from store.db import Database
    >>> read_audit(Database("sqlite://")).columns.tolist()
    ['id', 'at', 'actor', 'action', 'ok', 'dataset_id', 'version_id', 'target', 'detail']
    """
    query = select(*(audit_log.c[name] for name in COLUMNS)).order_by(audit_log.c.id.desc())
    if action is not None:
        actions = [action] if isinstance(action, str) else list(action)
        query = query.where(audit_log.c.action.in_(actions))
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    if dataset_id is not None:
        query = query.where(audit_log.c.dataset_id == int(dataset_id))
    if since is not None:
        query = query.where(audit_log.c.at >= _naive_utc(since))
    if until is not None:
        query = query.where(audit_log.c.at < _naive_utc(until))
    if limit is not None:
        if int(limit) < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        query = query.limit(int(limit))
    with store.transaction(write=False) as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    frame["id"] = frame["id"].astype("int64")
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    frame["ok"] = frame["ok"].astype(bool)
    for name in ("dataset_id", "version_id"):
        frame[name] = frame[name].astype("Int64")
    for name in ("actor", "action", "target", "detail"):
        frame[name] = frame[name].astype("str")
    return frame


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
