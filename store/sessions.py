"""Sessions of sign-in mode ``local``: a secret token per sign-in that expires.

:func:`create_session` issues a token after :func:`store.accounts.authenticate`; only its SHA-256
is stored. A session ends after ``EVALUASI_SESSION_HOURS`` (:func:`session_hours`, default 8),
when its user signs out (:func:`end_session`), or when an admin disables the account or changes
its role or password (:mod:`store.accounts` deletes its sessions then).

The browser keeps the token in an HttpOnly cookie, so a reload or a new tab stays signed in. The
page itself never holds the token: after a sign-in the app makes a single-use code that expires
within a minute (:func:`create_handoff`), the page posts the code to the server's own route, and
the route exchanges it for the token (:func:`redeem_handoff`) and sets the cookie. The database
keeps the code's SHA-256 and the token sealed with a key stream derived from the code (BLAKE2b keyed
by the code), so neither a database reader nor the route can recover a token without the code.
Sessions and codes live in the database: every app server honours the same sign-ins.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from analysis.core.errors import AnalysisError
from store import audit, db
from store.accounts import no_such_user
from store.auth import User
from store.schema import session_handoffs, sessions, users

if TYPE_CHECKING:  # pragma: no cover
    from store.db import Database

DEFAULT_SESSION_HOURS = 8.0
#: How long a hand-off code stays valid.
HANDOFF_SECONDS = 60


def session_hours() -> float:
    """How long a session lasts: ``EVALUASI_SESSION_HOURS`` (default 8).

    Examples
    --------
    >>> session_hours() > 0
    True
    """
    raw = os.environ.get("EVALUASI_SESSION_HOURS", str(DEFAULT_SESSION_HOURS))
    try:
        hours = float(raw)
    except ValueError:
        hours = float("nan")
    if not hours > 0:
        raise AnalysisError(
            "bad_setting",
            f"EVALUASI_SESSION_HOURS harus angka jam lebih dari 0, bukan {raw!r}.",
            f"EVALUASI_SESSION_HOURS must be a number of hours above 0, got {raw!r}.",
        )
    return hours


def _token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def create_session(store: Database, user: User, *, hours: float | None = None) -> str:
    """Start a session for a signed-in local user; return its secret token.

    Only the token's SHA-256 is stored. The session ends after ``hours`` (default
    :func:`session_hours`), when the user signs out, is disabled, or gets another role or password.
    Expired sessions are swept here.

    Examples
    --------
    >>> from store.accounts import add_user
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> user = add_user(store, "budi", "viewer")
    >>> token = create_session(store, user)
    >>> session_user(store, token).username
    'budi'
    >>> end_session(store, token)
    >>> session_user(store, token) is None
    True
    """
    ttl = timedelta(hours=session_hours() if hours is None else float(hours))
    if ttl <= timedelta(0):
        raise ValueError(f"hours must be above 0, got {hours}")
    token = secrets.token_urlsafe(32)
    now = db.utcnow()
    with store.transaction() as conn:
        row = conn.execute(select(users.c.id).where(users.c.username == user.username)).first()
        if row is None:
            raise no_such_user(user.username)
        conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
        conn.execute(
            insert(sessions).values(token_sha256=_token_hash(token), user_id=row.id, created_at=now, expires_at=now + ttl)
        )
    return token


def session_user(store: Database, token: str | None) -> User | None:
    """The user a session token belongs to, or None when it is unknown, expired, or the account is
    disabled. The role is read afresh, so a role change applies at once.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> session_user(store, "no-such-token") is None
    True
    """
    if not token:
        return None
    query = (
        select(users, sessions.c.expires_at)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_sha256 == _token_hash(token))
    )
    with store.transaction(write=False) as conn:
        row = conn.execute(query).first()
    if row is None or row.expires_at <= db.utcnow() or row.disabled:
        return None
    return User.from_row(row)


def end_session(store: Database, token: str | None) -> None:
    """Sign out: forget the session (audited as ``sign_out`` when it existed).

    Examples
    --------
    >>> from store.db import Database
    >>> end_session(Database("sqlite://"), "no-such-token")  # unknown tokens are ignored
    """
    if not token:
        return
    with store.transaction() as conn:
        row = conn.execute(
            select(users.c.username)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_sha256 == _token_hash(token))
        ).first()
        conn.execute(delete(sessions).where(sessions.c.token_sha256 == _token_hash(token)))
        if row is not None:
            audit.record(conn, row.username, "sign_out", target=row.username)


def _key_stream(code: str, length: int) -> bytes:
    if length > 64:
        raise ValueError(f"a sealed token has at most 64 bytes, got {length}")
    return hashlib.blake2b(code.encode("utf-8"), digest_size=64, person=b"evaluasi-handoff").digest()[:length]


def create_handoff(store: Database, token: str, *, seconds: float = HANDOFF_SECONDS) -> str:
    """A single-use code that :func:`redeem_handoff` exchanges for ``token`` within ``seconds``.

    Examples
    --------
    >>> from store.accounts import add_user
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> token = create_session(store, add_user(store, "budi", "viewer"))
    >>> code = create_handoff(store, token)
    >>> redeem_handoff(store, code)[0] == token
    True
    >>> redeem_handoff(store, code) is None  # used up
    True
    """
    raw = str(token).encode("utf-8")
    code = secrets.token_urlsafe(32)
    sealed = bytes(a ^ b for a, b in zip(raw, _key_stream(code, len(raw)))).hex()
    now = db.utcnow()
    with store.transaction() as conn:
        conn.execute(delete(session_handoffs).where(session_handoffs.c.expires_at <= now))
        conn.execute(insert(session_handoffs).values(code_sha256=_token_hash(code), sealed_token=sealed,
                                                     expires_at=now + timedelta(seconds=seconds)))
    return code


def redeem_handoff(store: Database, code: str | None) -> tuple[str, timedelta] | None:
    """The token a hand-off code stands for and how long its session still lasts, once; None for an
    unknown, used or expired code, or a session that has ended meanwhile.

    Examples
    --------
    >>> from store.db import Database
    >>> redeem_handoff(Database("sqlite://"), "no-such-code") is None
    True
    """
    if not code or len(code) > 200:
        return None
    now = db.utcnow()
    with store.transaction() as conn:
        row = conn.execute(select(session_handoffs).where(session_handoffs.c.code_sha256 == _token_hash(code))
                           .with_for_update()).first()
        if row is None:
            return None
        conn.execute(delete(session_handoffs).where(session_handoffs.c.code_sha256 == row.code_sha256))
        if row.expires_at <= now:
            return None
        sealed = bytes.fromhex(row.sealed_token)
        token = bytes(a ^ b for a, b in zip(sealed, _key_stream(code, len(sealed)))).decode("utf-8", "replace")
        session = conn.execute(select(sessions.c.expires_at).where(sessions.c.token_sha256 == _token_hash(token)))
        expires = session.scalar()
    if expires is None or expires <= now:
        return None
    return token, expires - now
