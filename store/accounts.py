"""Accounts of sign-in mode ``local`` and the password check that signs them in.

An account has a lower-case name, a role (:data:`analysis.core.roles.ROLES`), an optional e-mail
address and an optional password, hashed with argon2id (argon2-cffi's RFC 9106 low-memory
profile). An account without a password signs in through OIDC only, where it overrides the
e-mail rules (:mod:`store.oidc`). :func:`authenticate` allows five failed attempts, then locks
the account for 15 minutes. Accounts are never deleted: an admin disables them. Every change, every
sign-in and every failed one is written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, insert, select, update

from analysis.core.errors import AnalysisError
from analysis.core.roles import ROLES
from store import audit, db
from store.auth import User
from store.schema import sessions, users

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import Connection

    from store.db import Database

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,253}$")

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
_dummy: dict = {}


def normalise_username(username: str) -> str:
    """Lower-case, trimmed account name; refuses names that could confuse (spaces, markup).

    Examples
    --------
    >>> normalise_username("  Budi.Santoso ")
    'budi.santoso'
    >>> normalise_username("<b>x</b>")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: A username has 2–254 characters: letters, digits and . _ @ + - (starting with a letter or digit); got '<b>x</b>'.
    """
    name = str(username or "").strip().lower()
    if not _USERNAME.match(name):
        raise AnalysisError(
            "bad_username",
            "Nama pengguna terdiri atas 2–254 karakter: huruf, angka dan . _ @ + - (diawali huruf "
            f"atau angka); diterima {username!r}.",
            "A username has 2–254 characters: letters, digits and . _ @ + - (starting with a letter "
            f"or digit); got {username!r}.",
        )
    return name


def _check_role(role: str) -> str:
    role = str(role or "").strip().lower()
    if role not in ROLES:
        raise AnalysisError(
            "bad_role",
            f"Peran harus salah satu dari {', '.join(ROLES)}, bukan {role!r}.",
            f"The role must be one of {', '.join(ROLES)}, got {role!r}.",
        )
    return role


def _check_password(password: str) -> str:
    if not isinstance(password, str) or not (MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH):
        raise AnalysisError(
            "weak_password",
            f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter (paling banyak {MAX_PASSWORD_LENGTH}).",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters (at most {MAX_PASSWORD_LENGTH}).",
        )
    return password


def no_such_user(username: str) -> AnalysisError:
    """The error for an account that does not exist (code ``no_such_user``).

    Examples
    --------
    >>> no_such_user("budi").code
    'no_such_user'
    """
    return AnalysisError(
        "no_such_user",
        f"Tidak ada akun {username!r}.",
        f"There is no account {username!r}.",
    )


def add_user(
    store: Database,
    username: str,
    role: str,
    password: str | None = None,
    *,
    email: str | None = None,
    actor: Any = "system",
) -> User:
    """Create an account.

    Parameters
    ----------
    store : store.db.Database
    username : str
        Account name (stored lower case). For an OIDC user, the e-mail address.
    role : str
        ``viewer``, ``analyst`` or ``admin``.
    password : str, optional
        At least 10 characters; hashed with argon2id. None makes an account that can only sign in
        through OIDC (its role and disabled flag then override ``EVALUASI_OIDC_ROLES``).
    email : str, optional
    actor : str or User
        Who made it, for the audit log.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> add_user(store, "Admin", "admin", "rahasia-panjang-sekali")
    User(username='admin', role='admin', source='local', email=None, display_name=None)
    >>> add_user(store, "admin", "viewer")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The account 'admin' already exists.
    """
    name = normalise_username(username)
    role = _check_role(role)
    hashed = None if password is None else _hasher.hash(_check_password(password))
    with store.transaction() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == name)).first() is not None:
            raise AnalysisError(
                "user_exists", f"Akun {name!r} sudah ada.", f"The account {name!r} already exists."
            )
        conn.execute(
            insert(users).values(
                username=name,
                role=role,
                email=(email or "").strip().lower() or None,
                password_hash=hashed,
                disabled=False,
                failed_attempts=0,
                created_at=db.utcnow(),
                created_by=audit.actor_name(actor),
            )
        )
        audit.record(conn, actor, "user_add", target=name, detail={"role": role, "password": hashed is not None})
    return User(name, role, email=(email or "").strip().lower() or None)


def get_user(store: Database, username: str) -> User | None:
    """The account ``username`` (active or not), or None.

    Examples
    --------
    >>> from store.db import Database
    >>> get_user(Database("sqlite://"), "nobody") is None
    True
    """
    row = find_account(store, str(username).strip().lower())
    return None if row is None else User.from_row(row)


def _change(store: Database, username: str, values: dict, action: str, actor: Any, detail: dict | None) -> None:
    name = str(username or "").strip().lower()
    with store.transaction() as conn:
        row = conn.execute(select(users).where(users.c.username == name).with_for_update()).first()
        if row is None:
            raise no_such_user(name)
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
        if values.get("disabled") or "role" in values or "password_hash" in values:
            conn.execute(delete(sessions).where(sessions.c.user_id == row.id))  # sign out everywhere
        extra = dict(detail or {})
        if "role" in values:
            extra["from"] = row.role
        audit.record(conn, actor, action, target=name, detail=extra or None)


def set_role(store: Database, username: str, role: str, *, actor: Any = "system") -> None:
    """Give ``username`` another role (audited as ``role_change``; open sessions end).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> set_role(store, "budi", "analyst")
    >>> get_user(store, "budi").role
    'analyst'
    """
    role = _check_role(role)
    _change(store, username, {"role": role}, "role_change", actor, {"to": role})


def disable_user(store: Database, username: str, *, actor: Any = "system") -> None:
    """Stop ``username`` from signing in (the account and its history stay); open sessions end.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer", "rahasia-panjang-sekali")
    >>> disable_user(store, "budi")
    >>> authenticate(store, "budi", "rahasia-panjang-sekali")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: This account is disabled. Contact an administrator.
    """
    _change(store, username, {"disabled": True}, "user_disable", actor, None)


def enable_user(store: Database, username: str, *, actor: Any = "system") -> None:
    """Let a disabled account sign in again.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> disable_user(store, "budi"); enable_user(store, "budi")
    >>> list_users(store)["disabled"].tolist()
    [False]
    """
    _change(store, username, {"disabled": False}, "user_enable", actor, None)


def set_password(store: Database, username: str, password: str, *, actor: Any = "system") -> None:
    """Set a new password (argon2id); clears a lock; open sessions end.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> set_password(store, "budi", "rahasia-panjang-sekali")
    >>> authenticate(store, "budi", "rahasia-panjang-sekali").username
    'budi'
    """
    hashed = _hasher.hash(_check_password(password))
    _change(
        store,
        username,
        {"password_hash": hashed, "failed_attempts": 0, "locked_until": None},
        "password_change",
        actor,
        None,
    )


def unlock_user(store: Database, username: str, *, actor: Any = "system") -> None:
    """Lift a lock left by failed sign-ins before its 15 minutes are over.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> unlock_user(store, "budi")
    >>> list_users(store)["locked"].tolist()
    [False]
    """
    _change(store, username, {"failed_attempts": 0, "locked_until": None}, "user_unlock", actor, None)


def list_users(store: Database) -> pd.DataFrame:
    """All accounts (never their hashes), for ``users list`` and the admin page.

    Returns
    -------
    pandas.DataFrame
        ``username, role, email, has_password, disabled, locked, failed_attempts, locked_until,
        created_at, created_by, last_login_at`` (times in UTC).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> list_users(store)[["username", "role", "has_password", "disabled", "locked"]].to_dict("records")
    [{'username': 'budi', 'role': 'viewer', 'has_password': False, 'disabled': False, 'locked': False}]
    """
    now = db.utcnow()
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    records = [
        {
            "username": r.username,
            "role": r.role,
            "email": r.email,
            "has_password": r.password_hash is not None,
            "disabled": bool(r.disabled),
            "locked": r.locked_until is not None and r.locked_until > now,
            "failed_attempts": int(r.failed_attempts or 0),
            "locked_until": r.locked_until,
            "created_at": r.created_at,
            "created_by": r.created_by,
            "last_login_at": r.last_login_at,
        }
        for r in rows
    ]
    columns = ["username", "role", "email", "has_password", "disabled", "locked", "failed_attempts",
               "locked_until", "created_at", "created_by", "last_login_at"]
    frame = pd.DataFrame(records, columns=columns)
    for name in ("locked_until", "created_at", "last_login_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("has_password", "disabled", "locked"):
        frame[name] = frame[name].astype(bool)
    frame["failed_attempts"] = frame["failed_attempts"].astype("int64")
    return frame


def count_admins(store: Database) -> int:
    """How many active admin accounts exist (the CLI warns before the last one goes).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "root", "admin")
    >>> count_admins(store)
    1
    """
    with store.transaction(write=False) as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(users).where(users.c.role == "admin", users.c.disabled.is_(False))
            ).scalar_one()
        )


# --------------------------------------------------------------------------- sign-in (local)


def _dummy_hash() -> str:
    """A hash with the current parameters, checked for unknown accounts so they cost the same time."""
    key = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if key not in _dummy:
        _dummy[key] = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy[key]


def _verify(hashed: str | None, password: str) -> bool:
    try:
        return _hasher.verify(hashed or _dummy_hash(), password) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _bad_credentials() -> AnalysisError:
    return AnalysisError(
        "bad_credentials",
        "Nama pengguna atau kata sandi salah.",
        "Wrong username or password.",
    )


def _locked(until: datetime, now: datetime) -> AnalysisError:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return AnalysisError(
        "locked",
        f"Akun terkunci karena {MAX_FAILED_ATTEMPTS} kali gagal masuk. Coba lagi dalam {minutes} menit "
        "atau minta administrator membukanya.",
        f"The account is locked after {MAX_FAILED_ATTEMPTS} failed sign-ins. Try again in {minutes} "
        "minutes or ask an administrator to unlock it.",
    )


def account_disabled() -> AnalysisError:
    """The error for a disabled account that tries to sign in (code ``disabled``).

    Examples
    --------
    >>> account_disabled().message("en")
    'This account is disabled. Contact an administrator.'
    """
    return AnalysisError(
        "disabled",
        "Akun ini dinonaktifkan. Hubungi administrator.",
        "This account is disabled. Contact an administrator.",
    )


def find_account(store: Database, username: str) -> Any:
    """The row of account ``username`` (exactly as stored: lower case), with its disabled flag,
    lock and hash, or None. For the sign-in modules; pages use :func:`get_user`.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> find_account(store, "budi").disabled, find_account(store, "ani")
    (False, None)
    """
    with store.transaction(write=False) as conn:
        return conn.execute(select(users).where(users.c.username == username)).first()


def authenticate(store: Database, username: str, password: str) -> User:
    """Check a username and password; return the user or raise ``AnalysisError``.

    The password is checked with argon2 before anything is written, so a slow hash does not hold
    the database's write lock. Codes: ``bad_credentials`` (unknown account or wrong password — the
    two are not told apart, and an unknown account costs the same time), ``locked`` (five failed
    attempts in a row lock the account for 15 minutes; while locked even the right password is
    refused), ``disabled`` (right password, disabled account). Every outcome is audited.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "analyst", "rahasia-panjang-sekali")
    >>> authenticate(store, "Budi", "rahasia-panjang-sekali").role
    'analyst'
    >>> authenticate(store, "budi", "salah")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: Wrong username or password.
    """
    name = str(username or "").strip().lower()[:255]
    password = password if isinstance(password, str) else ""
    row = find_account(store, name)
    now = db.utcnow()
    _refuse_unknown_or_locked(store, row, name, password, now)
    good = _verify(row.password_hash, password)  # slow: outside the write transaction
    with store.transaction() as conn:
        current = conn.execute(select(users).where(users.c.id == row.id).with_for_update()).first()
        if current.locked_until is not None and current.locked_until > now:
            # locked by a concurrent attempt while the hash was being checked
            audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": "locked"})
            error = _locked(current.locked_until, now)
        elif good and current.disabled:
            audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": "disabled"})
            error = account_disabled()
        elif good:
            _signed_in(conn, current, password, now)
            return User.from_row(current)
        else:
            error = _count_failure(conn, current, now)
    raise error


def _refuse_unknown_or_locked(store: Database, row: Any, name: str, password: str, now: datetime) -> None:
    """Raise (audited) for an unknown account — after a dummy check of the same cost — or one
    that is locked; return for an account whose password is worth checking."""
    if row is None:
        _verify(None, password)  # same cost as a real check
        # not the typed text: a password typed into the name box must not land in the log
        audit.log_event(store, "-", "sign_in_failed", ok=False, detail={
            "reason": "unknown_user", "name_sha256": hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]})
        raise _bad_credentials()
    if row.locked_until is not None and row.locked_until > now:
        audit.log_event(store, name, "sign_in_failed", ok=False, target=name, detail={"reason": "locked"})
        raise _locked(row.locked_until, now)


def _signed_in(conn: Connection, row: Any, password: str, now: datetime) -> None:
    """Record a good sign-in: the failure count cleared, the time kept, a hash made with older
    parameters replaced."""
    values: dict = {"failed_attempts": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = _hasher.hash(password)
    conn.execute(update(users).where(users.c.id == row.id).values(**values))
    audit.record(conn, row.username, "sign_in", target=row.username)


def _count_failure(conn: Connection, row: Any, now: datetime) -> AnalysisError:
    """Count a wrong password (a fresh count after an old lock ran out); the fifth in a row locks
    the account. Returns the error to raise."""
    name = row.username
    expired = row.locked_until is not None  # an old lock that has run out
    failed = (0 if expired else int(row.failed_attempts or 0)) + 1
    values: dict = {"failed_attempts": failed, "locked_until": None}
    reason = "no_password" if row.password_hash is None else "wrong_password"
    audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": reason, "attempt": failed})
    error = _bad_credentials()
    if failed >= MAX_FAILED_ATTEMPTS:
        until = now + timedelta(minutes=LOCK_MINUTES)
        values = {"failed_attempts": 0, "locked_until": until}
        audit.record(conn, name, "account_locked", ok=False, target=name, detail={"until": until})
        error = _locked(until, now)
    conn.execute(update(users).where(users.c.id == row.id).values(**values))
    return error
