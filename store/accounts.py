"""Accounts of sign-in mode ``local`` and the password check that signs them in.

An account has a lower-case name, a role (:data:`analysis.core.roles.ROLES`), an optional e-mail
address and an optional password, hashed with argon2id (argon2-cffi's RFC 9106 low-memory
profile). An account without a password signs in through OIDC only, where it overrides the
e-mail rules (:mod:`store.oidc`). :func:`authenticate` never locks an account: failed attempts
make the next ones wait, per account, per client address and per both (:mod:`store.throttle`,
NIST SP 800-63B §5.2.2), and an unknown name is answered exactly as a wrong password is. Accounts
are never deleted: an admin disables them. Every change, every sign-in and every failed one is
written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, insert, select, update

from analysis.core.errors import AnalysisError
from analysis.core.roles import ROLES
from store import audit, db, throttle
from store.auth import User
from store.schema import sessions, users

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import Connection

    from store.db import Database

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
        if values:
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
    """Set a new password (argon2id); lifts the account's sign-in waits; open sessions end.

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
    _change(store, username, {"password_hash": hashed}, "password_change", actor, None)
    throttle.clear(store, account=str(username or "").strip().lower(), actor=actor)


def unlock_user(store: Database, username: str, *, actor: Any = "system") -> None:
    """Lift the waits failed sign-ins put on ``username`` (from anywhere and from each address);
    audited as ``user_unlock``. The way in for an administrator kept waiting by someone else's
    attempts: another administrator on the Administrasi page, or ``python -m analysis users unlock``.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer", "rahasia-panjang-sekali")
    >>> with store.transaction() as conn:  # seven failures from seven addresses
    ...     for i in range(7):
    ...         _ = throttle.record_failure(conn, "budi", f"10.0.0.{i}", "budi", db.utcnow())
    >>> list_users(store)["waiting"].tolist()
    [True]
    >>> unlock_user(store, "budi")
    >>> list_users(store)["waiting"].tolist()
    [False]
    """
    name = str(username or "").strip().lower()
    _change(store, name, {}, "user_unlock", actor, None)
    throttle.clear(store, account=name, actor=actor)


def list_users(store: Database) -> pd.DataFrame:
    """All accounts (never their hashes), for ``users list`` and the admin page.

    Returns
    -------
    pandas.DataFrame
        ``username, role, email, has_password, disabled, failed_attempts, waiting, waiting_until,
        created_at, created_by, last_login_at`` (times in UTC): ``failed_attempts`` counts the
        failed sign-ins in a row from anywhere, ``waiting`` says whether they hold the next attempt
        back (:mod:`store.throttle`).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> list_users(store)[["username", "role", "has_password", "disabled", "waiting"]].to_dict("records")
    [{'username': 'budi', 'role': 'viewer', 'has_password': False, 'disabled': False, 'waiting': False}]
    """
    waits = throttle.account_waits(store)
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
    records = [
        {
            "username": r.username,
            "role": r.role,
            "email": r.email,
            "has_password": r.password_hash is not None,
            "disabled": bool(r.disabled),
            "failed_attempts": waits.get(r.username, (0, None))[0],
            "waiting": waits.get(r.username, (0, None))[1] is not None,
            "waiting_until": waits.get(r.username, (0, None))[1],
            "created_at": r.created_at,
            "created_by": r.created_by,
            "last_login_at": r.last_login_at,
        }
        for r in rows
    ]
    columns = ["username", "role", "email", "has_password", "disabled", "failed_attempts", "waiting",
               "waiting_until", "created_at", "created_by", "last_login_at"]
    frame = pd.DataFrame(records, columns=columns)
    for name in ("waiting_until", "created_at", "last_login_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("has_password", "disabled", "waiting"):
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


def too_many_attempts(seconds: float) -> AnalysisError:
    """The error for an attempt made while failed ones hold sign-ins back (code ``throttled``):
    the same for every name, whether an account has it or not.

    Examples
    --------
    >>> too_many_attempts(4.2).message("en")
    'Too many failed sign-ins. Try again in 5 seconds.'
    >>> too_many_attempts(600).message("id")
    'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 10 menit.'
    """
    if seconds < 120:
        n = max(1, math.ceil(seconds))
        when_id, when_en = f"{n} detik", f"{n} second{'s' if n != 1 else ''}"
    else:
        n = math.ceil(seconds / 60)
        when_id, when_en = f"{n} menit", f"{n} minutes"
    return AnalysisError(
        "throttled",
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {when_id}.",
        f"Too many failed sign-ins. Try again in {when_en}.",
        details={"seconds": seconds},
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


def authenticate(store: Database, username: str, password: str, *, address: str | None = None) -> User:
    """Check a username and password; return the user or raise ``AnalysisError``.

    Parameters
    ----------
    store : store.db.Database
    username, password : str
        As typed.
    address : str, optional
        The client's address (the app passes ``st.context.ip_address``; None when unknown), for
        the per-address waits.

    Codes: ``bad_credentials`` (an unknown account or a wrong password: the same message, the same
    password-hash check, the same writes), ``throttled`` (earlier failures hold this attempt back:
    refused without checking the password, again the same for every name — :mod:`store.throttle`),
    ``disabled`` (right password, disabled account). The password is checked with argon2 before
    anything is written, so a slow hash does not hold the database's write lock. Every checked
    attempt is audited with the address.

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
    wait = throttle.wait_seconds(store, name, address)
    if wait > 0:
        throttle.count_refusal(store, name, address)
        raise too_many_attempts(wait)
    row = find_account(store, name)
    good = _verify(row.password_hash if row is not None else None, password)  # slow: outside the transaction
    now = db.utcnow()
    with store.transaction() as conn:
        current = None if row is None else \
            conn.execute(select(users).where(users.c.id == row.id).with_for_update()).first()
        if current is not None and good and current.disabled:
            audit.record(conn, name, "sign_in_failed", ok=False, target=name,
                         detail={"reason": "disabled", "address": address})
            error = account_disabled()
        elif current is not None and good:
            throttle.record_success(conn, name, address, now)
            _signed_in(conn, current, password, now, address)
            return User.from_row(current)
        else:
            _count_failure(conn, current, name, address, now)
            error = _bad_credentials()
    raise error


def _signed_in(conn: Connection, row: Any, password: str, now: datetime, address: str | None) -> None:
    """Record a good sign-in: the time kept, a hash made with older parameters replaced."""
    values: dict = {"last_login_at": now}
    if _hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = _hasher.hash(password)
    conn.execute(update(users).where(users.c.id == row.id).values(**values))
    audit.record(conn, row.username, "sign_in", target=row.username, detail={"address": address})


def _count_failure(conn: Connection, row: Any, name: str, address: str | None, now: datetime) -> None:
    """Audit a failed sign-in and count it for the waits. A name no account has is logged by a hash
    prefix only: a password typed into the name box must not land in the log."""
    if row is None:
        label = "?" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        audit.record(conn, "-", "sign_in_failed", ok=False, detail={
            "reason": "unknown_user", "name_sha256": label[1:], "address": address})
    else:
        label = name
        reason = "no_password" if row.password_hash is None else "wrong_password"
        audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": reason, "address": address})
    for wait in throttle.record_failure(conn, name, address, label, now):
        audit.record(conn, "-" if row is None else name, "sign_in_throttled", ok=False,
                     target=None if row is None else name,
                     detail={**wait, "account": label, "address": address})
