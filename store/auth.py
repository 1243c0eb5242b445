"""Who may come in, and what each may do: roles, sign-in modes, accounts, sessions (issue 5).

Roles, from least to most: ``viewer`` (pimpinan: published results only, NIP masked, no row-level
download) < ``analyst`` (upload, validate, map columns, publish, download) < ``admin`` (users, audit
log, archive). A page declares the least role it needs and checks it with :func:`require_role`.

Sign-in modes, from ``EVALUASI_AUTH_MODE`` (:func:`auth_mode`):

``none`` (default)
    No sign-in, everyone is admin (:func:`anonymous_admin`) — but only while the server listens on
    loopback: the app calls :func:`loopback_only_ok` with Streamlit's ``server.address`` and shows
    nothing but an explanation otherwise.
``local``
    Accounts in the store, passwords hashed with argon2id (argon2-cffi's RFC 9106 defaults).
    :func:`authenticate` allows five failed attempts, then locks the account for 15 minutes;
    :func:`create_session` issues a token that expires after ``EVALUASI_SESSION_HOURS`` (default 8).
``oidc``
    Streamlit's ``st.login`` signs people in; :func:`oidc_user` turns the identity provider's claims
    into a user whose role comes from ``EVALUASI_OIDC_ROLES`` (:func:`parse_role_rules`), or from an
    account of the same e-mail in the store when an admin made one.

Every sign-in, failed sign-in, lock and account change is written to the audit log
(:mod:`store.audit`). This module never imports streamlit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import re
import secrets
import socket
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Mapping

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from store import audit
from analysis.core.errors import AnalysisError
from analysis.core.roles import ROLES, has_role, require_role, role_rank  # noqa: F401  (accounts carry a role)

if TYPE_CHECKING:  # pragma: no cover
    from store.datasets import Store

MODES = ("none", "local", "oidc")
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
DEFAULT_SESSION_HOURS = 8.0
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,253}$")

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(255), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("email", String(255), nullable=True),
    Column("password_hash", String(255), nullable=True),  # None: signs in through OIDC only
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("last_login_at", DateTime, nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),  # the token itself is never stored
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
_dummy: dict = {}


@dataclass(frozen=True)
class User:
    """A signed-in person.

    Attributes
    ----------
    username : str
        Account name (lower case); the e-mail address for OIDC users.
    role : str
        ``viewer``, ``analyst`` or ``admin``.
    source : str
        ``local``, ``oidc`` or ``none`` (the loopback-only mode).
    email, display_name : str, optional

    Examples
    --------
    >>> User("budi", "analyst").can("viewer"), User("budi", "analyst").can("admin")
    (True, False)
    """

    username: str
    role: str
    source: str = "local"
    email: str | None = None
    display_name: str | None = None

    def can(self, needed: str) -> bool:
        """Whether this user's role is at least ``needed``.

        Examples
        --------
        >>> User("a", "admin").can("analyst")
        True
        """
        return has_role(self.role, needed)


# --------------------------------------------------------------------------- roles and modes


def auth_mode(value: str | None = None) -> str:
    """The sign-in mode: ``value`` or ``EVALUASI_AUTH_MODE`` (default ``none``), checked.

    Examples
    --------
    >>> auth_mode("LOCAL")
    'local'
    >>> auth_mode("ldap")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: EVALUASI_AUTH_MODE must be none, local or oidc, got 'ldap'.
    """
    if value is None:
        from analysis.core.config import get_settings

        value = get_settings().auth_mode
    mode = (value or "none").strip().lower()
    if mode not in MODES:
        raise AnalysisError(
            "bad_auth_mode",
            f"EVALUASI_AUTH_MODE harus none, local atau oidc, bukan {value!r}.",
            f"EVALUASI_AUTH_MODE must be none, local or oidc, got {value!r}.",
        )
    return mode


def anonymous_admin() -> User:
    """The user of mode ``none``: everyone is admin (only allowed on a loopback server).

    Examples
    --------
    >>> anonymous_admin()
    User(username='lokal', role='admin', source='none', email=None, display_name=None)
    """
    return User("lokal", "admin", source="none")


def loopback_only_ok(server_address: str | None) -> bool:
    """Whether a server bound to ``server_address`` is reachable from this machine only.

    Mode ``none`` lets everyone in as admin, so the app serves in that mode only when this is true.
    Pass Streamlit's ``server.address`` option (``st.get_option("server.address")``): empty or
    ``None`` means every interface, hence False. A host name counts only when every address it
    resolves to is a loopback address.

    Examples
    --------
    >>> [loopback_only_ok(a) for a in ("127.0.0.1", "::1", "[::1]", "localhost", "127.1.2.3")]
    [True, True, True, True, True]
    >>> [loopback_only_ok(a) for a in (None, "", "0.0.0.0", "::", "10.0.0.5", "192.168.1.2")]
    [False, False, False, False, False, False]
    """
    if server_address is None:
        return False
    host = str(server_address).strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if host.lower() == "localhost":
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0].split("%")[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def loopback_host_header(host: str | None) -> bool:
    """Whether an HTTP ``Host`` header names this machine *literally* (``localhost``, a loopback IP).

    Mode ``none`` must also refuse requests that reach the loopback server under another name: a
    site that rebinds its own domain to 127.0.0.1 (DNS rebinding), or a reverse proxy. No name is
    resolved here — resolution is exactly what rebinding subverts. No header (no HTTP request, as
    in tests) is allowed.

    Examples
    --------
    >>> [loopback_host_header(h) for h in (None, "127.0.0.1:8501", "localhost", "[::1]:8501", "LOCALHOST:80")]
    [True, True, True, True, True]
    >>> [loopback_host_header(h) for h in ("attacker-rebind.test:8501", "10.0.0.5", "", "dashboard.medan.go.id")]
    [False, False, False, False]
    """
    if host is None:
        return True
    name = str(host).strip()
    if name.startswith("["):
        name = name[1:name.find("]")] if "]" in name else name[1:]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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


# --------------------------------------------------------------------------- accounts


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


def _not_found(username: str) -> AnalysisError:
    return AnalysisError(
        "no_such_user",
        f"Tidak ada akun {username!r}.",
        f"There is no account {username!r}.",
    )


def _row_to_user(row: Any, source: str = "local") -> User:
    return User(row.username, row.role, source=source, email=row.email)


def add_user(
    store: Store,
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
    store : store.datasets.Store
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
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
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
    _tables(store)
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
                created_at=audit.utcnow(),
                created_by=audit.actor_name(actor),
            )
        )
        audit.record(conn, actor, "user_add", target=name, detail={"role": role, "password": hashed is not None})
    return User(name, role, email=(email or "").strip().lower() or None)


def get_user(store: Store, username: str) -> User | None:
    """The account ``username`` (active or not), or None.

    Examples
    --------
    >>> from store.datasets import Store
    >>> get_user(Store("sqlite://"), "nobody") is None
    True
    """
    _tables(store)
    with store.transaction(write=False) as conn:
        row = conn.execute(select(users).where(users.c.username == str(username).strip().lower())).first()
    return None if row is None else _row_to_user(row)


def _change(store: Store, username: str, values: dict, action: str, actor: Any, detail: dict | None) -> None:
    name = str(username or "").strip().lower()
    _tables(store)
    with store.transaction() as conn:
        row = conn.execute(select(users).where(users.c.username == name).with_for_update()).first()
        if row is None:
            raise _not_found(name)
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
        if values.get("disabled") or "role" in values or "password_hash" in values:
            conn.execute(delete(sessions).where(sessions.c.user_id == row.id))  # sign out everywhere
        extra = dict(detail or {})
        if "role" in values:
            extra["from"] = row.role
        audit.record(conn, actor, action, target=name, detail=extra or None)


def set_role(store: Store, username: str, role: str, *, actor: Any = "system") -> None:
    """Give ``username`` another role (audited as ``role_change``; open sessions end).

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> set_role(store, "budi", "analyst")
    >>> get_user(store, "budi").role
    'analyst'
    """
    role = _check_role(role)
    _change(store, username, {"role": role}, "role_change", actor, {"to": role})


def disable_user(store: Store, username: str, *, actor: Any = "system") -> None:
    """Stop ``username`` from signing in (the account and its history stay); open sessions end.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "budi", "viewer", "rahasia-panjang-sekali")
    >>> disable_user(store, "budi")
    >>> authenticate(store, "budi", "rahasia-panjang-sekali")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: This account is disabled. Contact an administrator.
    """
    _change(store, username, {"disabled": True}, "user_disable", actor, None)


def enable_user(store: Store, username: str, *, actor: Any = "system") -> None:
    """Let a disabled account sign in again.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> disable_user(store, "budi"); enable_user(store, "budi")
    >>> list_users(store)["disabled"].tolist()
    [False]
    """
    _change(store, username, {"disabled": False}, "user_enable", actor, None)


def set_password(store: Store, username: str, password: str, *, actor: Any = "system") -> None:
    """Set a new password (argon2id); clears a lock; open sessions end.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
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


def unlock_user(store: Store, username: str, *, actor: Any = "system") -> None:
    """Lift a lock left by failed sign-ins before its 15 minutes are over.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> unlock_user(store, "budi")
    >>> list_users(store)["locked"].tolist()
    [False]
    """
    _change(store, username, {"failed_attempts": 0, "locked_until": None}, "user_unlock", actor, None)


def list_users(store: Store) -> pd.DataFrame:
    """All accounts (never their hashes), for ``users list`` and the admin page.

    Returns
    -------
    pandas.DataFrame
        ``username, role, email, has_password, disabled, locked, failed_attempts, locked_until,
        created_at, created_by, last_login_at`` (times in UTC).

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "budi", "viewer")
    >>> list_users(store)[["username", "role", "has_password", "disabled", "locked"]].to_dict("records")
    [{'username': 'budi', 'role': 'viewer', 'has_password': False, 'disabled': False, 'locked': False}]
    """
    _tables(store)
    now = _now()
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


def count_admins(store: Store) -> int:
    """How many active admin accounts exist (the CLI warns before the last one goes).

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> _ = add_user(store, "root", "admin")
    >>> count_admins(store)
    1
    """
    _tables(store)
    with store.transaction(write=False) as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(users).where(users.c.role == "admin", users.c.disabled.is_(False))
            ).scalar_one()
        )


# --------------------------------------------------------------------------- sign-in (local)


def _now() -> datetime:
    """Current naive UTC time; tests replace it to move the clock."""
    return audit.utcnow()


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


def _disabled() -> AnalysisError:
    return AnalysisError(
        "disabled",
        "Akun ini dinonaktifkan. Hubungi administrator.",
        "This account is disabled. Contact an administrator.",
    )


def authenticate(store: Store, username: str, password: str) -> User:
    """Check a username and password; return the user or raise ``AnalysisError``.

    The password is checked with argon2 before anything is written, so a slow hash does not hold
    the database's write lock. Codes: ``bad_credentials`` (unknown account or wrong password — the
    two are not told apart, and an unknown account costs the same time), ``locked`` (five failed
    attempts in a row lock the account for 15 minutes; while locked even the right password is
    refused), ``disabled`` (right password, disabled account). Every outcome is audited.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
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
    _tables(store)
    with store.transaction(write=False) as conn:
        row = conn.execute(select(users).where(users.c.username == name)).first()
    now = _now()
    if row is None:
        _verify(None, password)  # same cost as a real check
        # not the typed text: a password typed into the name box must not land in the log
        audit.log_event(store, "-", "sign_in_failed", ok=False, detail={
            "reason": "unknown_user", "name_sha256": hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]})
        raise _bad_credentials()
    if row.locked_until is not None and row.locked_until > now:
        audit.log_event(store, name, "sign_in_failed", ok=False, target=name, detail={"reason": "locked"})
        raise _locked(row.locked_until, now)
    good = _verify(row.password_hash, password)
    with store.transaction() as conn:
        current = conn.execute(select(users).where(users.c.id == row.id).with_for_update()).first()
        if current.locked_until is not None and current.locked_until > now:
            # locked by a concurrent attempt while the hash was being checked
            audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": "locked"})
            error: AnalysisError | None = _locked(current.locked_until, now)
        elif good and current.disabled:
            audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": "disabled"})
            error = _disabled()
        elif good:
            values: dict = {"failed_attempts": 0, "locked_until": None, "last_login_at": now}
            if _hasher.check_needs_rehash(current.password_hash):
                values["password_hash"] = _hasher.hash(password)
            conn.execute(update(users).where(users.c.id == row.id).values(**values))
            audit.record(conn, name, "sign_in", target=name)
            return _row_to_user(current)
        else:
            expired = current.locked_until is not None  # an old lock that has run out
            failed = (0 if expired else int(current.failed_attempts or 0)) + 1
            values = {"failed_attempts": failed, "locked_until": None}
            reason = "no_password" if current.password_hash is None else "wrong_password"
            audit.record(conn, name, "sign_in_failed", ok=False, target=name, detail={"reason": reason, "attempt": failed})
            if failed >= MAX_FAILED_ATTEMPTS:
                until = now + timedelta(minutes=LOCK_MINUTES)
                values = {"failed_attempts": 0, "locked_until": until}
                audit.record(conn, name, "account_locked", ok=False, target=name, detail={"until": until})
                error = _locked(until, now)
            else:
                error = _bad_credentials()
            conn.execute(update(users).where(users.c.id == row.id).values(**values))
    raise error


# --------------------------------------------------------------------------- sessions


def _token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def create_session(store: Store, user: User, *, hours: float | None = None) -> str:
    """Start a session for a signed-in local user; return its secret token.

    Only the token's SHA-256 is stored. The session ends after ``hours`` (default
    :func:`session_hours`), when the user signs out, is disabled, or gets another role or password.
    Expired sessions are swept here.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
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
    now = _now()
    _tables(store)
    with store.transaction() as conn:
        row = conn.execute(select(users.c.id).where(users.c.username == user.username)).first()
        if row is None:
            raise _not_found(user.username)
        conn.execute(delete(sessions).where(sessions.c.expires_at <= now))
        conn.execute(
            insert(sessions).values(token_sha256=_token_hash(token), user_id=row.id, created_at=now, expires_at=now + ttl)
        )
    return token


def session_user(store: Store, token: str | None) -> User | None:
    """The user a session token belongs to, or None when it is unknown, expired, or the account is
    disabled. The role is read afresh, so a role change applies at once.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> session_user(store, "no-such-token") is None
    True
    """
    if not token:
        return None
    _tables(store)
    query = (
        select(users, sessions.c.expires_at)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_sha256 == _token_hash(token))
    )
    with store.transaction(write=False) as conn:
        row = conn.execute(query).first()
    if row is None or row.expires_at <= _now() or row.disabled:
        return None
    return _row_to_user(row)


def end_session(store: Store, token: str | None) -> None:
    """Sign out: forget the session (audited as ``sign_out`` when it existed).

    Examples
    --------
    >>> from store.datasets import Store
    >>> end_session(Store("sqlite://"), "no-such-token")  # unknown tokens are ignored
    """
    if not token:
        return
    _tables(store)
    with store.transaction() as conn:
        row = conn.execute(
            select(users.c.username)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_sha256 == _token_hash(token))
        ).first()
        conn.execute(delete(sessions).where(sessions.c.token_sha256 == _token_hash(token)))
        if row is not None:
            audit.record(conn, row.username, "sign_out", target=row.username)


# --------------------------------------------------------------------------- OIDC


@dataclass(frozen=True)
class RoleRule:
    """One pattern of ``EVALUASI_OIDC_ROLES`` and the role it grants.

    Examples
    --------
    >>> rule = RoleRule("analyst", "@.medan.go.id")
    >>> rule.matches("eve@dinkes.medan.go.id"), rule.matches("eve@medan.go.id"), rule.specificity
    (True, False, (1, 13))
    """

    role: str
    pattern: str

    @property
    def specificity(self) -> tuple[int, int]:
        """Exact address > ``@domain`` > ``@.domain`` (longer first) > ``*``.

        Examples
        --------
        >>> RoleRule("viewer", "*").specificity < RoleRule("admin", "a@b.id").specificity
        True
        """
        if self.pattern == "*":
            return (0, 0)
        if self.pattern.startswith("@."):
            return (1, len(self.pattern))
        if self.pattern.startswith("@"):
            return (2, len(self.pattern))
        return (3, len(self.pattern))

    def matches(self, email: str) -> bool:
        """Whether ``email`` (lower case) falls under this pattern.

        Examples
        --------
        >>> RoleRule("analyst", "@bappeda.medan.go.id").matches("bob@bappeda.medan.go.id")
        True
        """
        if self.pattern == "*":
            return True
        domain = email.rpartition("@")[2]
        if self.pattern.startswith("@."):
            return domain.endswith(self.pattern[1:])
        if self.pattern.startswith("@"):
            return domain == self.pattern[1:]
        return email == self.pattern


_PATTERN = re.compile(r"^(\*|@\.?[a-z0-9-]+(\.[a-z0-9-]+)*|[^@\s;:,]+@[a-z0-9-]+(\.[a-z0-9-]+)+)$")


def parse_role_rules(text: str | None) -> list[RoleRule]:
    """Read the e-mail → role mapping of mode ``oidc`` (``EVALUASI_OIDC_ROLES``).

    The text is a list of ``ROLE:PATTERN[,PATTERN…]`` entries separated by ``;`` or new lines.
    A pattern is

    - ``alice@medan.go.id`` — that address;
    - ``@bappeda.medan.go.id`` — any address at exactly that domain;
    - ``@.medan.go.id`` — any address at a sub-domain of ``medan.go.id`` (not ``medan.go.id``
      itself: list ``@medan.go.id`` too for that);
    - ``*`` — anyone the identity provider vouches for.

    The most specific pattern that matches wins (an address over a domain, a domain over its
    sub-domains, a longer sub-domain over a shorter one, anything over ``*``), whatever the order
    of the entries. Case does not matter. Listing one pattern under two roles is an error. An
    address no pattern matches gets no access.

    Examples
    --------
    >>> rules = parse_role_rules("admin:alice@medan.go.id;analyst:@bappeda.medan.go.id;viewer:*")
    >>> [(r.role, r.pattern) for r in rules]
    [('admin', 'alice@medan.go.id'), ('analyst', '@bappeda.medan.go.id'), ('viewer', '*')]
    >>> parse_role_rules("boss:*")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: EVALUASI_OIDC_ROLES: the role must be one of viewer, analyst, admin, got 'boss' (entry 'boss:*').
    """
    rules: list[RoleRule] = []
    seen: dict[str, str] = {}
    for entry in re.split(r"[;\n]", text or ""):
        entry = entry.strip()
        if not entry:
            continue
        role, sep, patterns = entry.partition(":")
        role = role.strip().lower()
        if not sep or role not in ROLES:
            raise AnalysisError(
                "bad_oidc_roles",
                f"EVALUASI_OIDC_ROLES: peran harus salah satu dari {', '.join(ROLES)}, bukan {role!r} "
                f"(entri {entry!r}).",
                f"EVALUASI_OIDC_ROLES: the role must be one of {', '.join(ROLES)}, got {role!r} (entry {entry!r}).",
            )
        for pattern in patterns.split(","):
            pattern = pattern.strip().lower()
            if not pattern:
                continue
            if not _PATTERN.match(pattern):
                raise AnalysisError(
                    "bad_oidc_roles",
                    f"EVALUASI_OIDC_ROLES: pola {pattern!r} tidak dikenal; pakai alamat, @domain, "
                    "@.domain atau *.",
                    f"EVALUASI_OIDC_ROLES: unknown pattern {pattern!r}; use an address, @domain, @.domain or *.",
                )
            if pattern in seen and seen[pattern] != role:
                raise AnalysisError(
                    "bad_oidc_roles",
                    f"EVALUASI_OIDC_ROLES: {pattern!r} tercantum untuk {seen[pattern]} dan {role}.",
                    f"EVALUASI_OIDC_ROLES: {pattern!r} is listed under both {seen[pattern]} and {role}.",
                )
            if pattern not in seen:
                seen[pattern] = role
                rules.append(RoleRule(role, pattern))
    return rules


def role_for_email(email: str | None, rules: list[RoleRule]) -> str | None:
    """The role the most specific matching rule grants ``email``, or None.

    Examples
    --------
    >>> rules = parse_role_rules(
    ...     "admin:alice@medan.go.id; analyst:@bappeda.medan.go.id; viewer:@.medan.go.id,@medan.go.id")
    >>> [role_for_email(e, rules) for e in
    ...  ("Alice@Medan.go.id", "bob@bappeda.medan.go.id", "eve@dinkes.medan.go.id", "x@gmail.com")]
    ['admin', 'analyst', 'viewer', None]
    """
    email = str(email or "").strip().lower()
    if "@" not in email:
        return None
    matching = [r for r in rules if r.matches(email)]
    if not matching:
        return None
    return max(matching, key=lambda r: r.specificity).role


def oidc_user(store: Store, claims: Mapping[str, Any], rules: list[RoleRule] | None = None) -> User:
    """Turn an identity provider's claims (Streamlit's ``st.user``) into a user, audited.

    The role comes from an account in the store whose username is the e-mail address, when an
    admin made one (its disabled flag is honoured too), else from ``rules`` (default: parsed from
    ``EVALUASI_OIDC_ROLES``). A role from the rules needs the provider to vouch for the address
    (``email_verified`` true): some providers let users set an unverified ``email`` claim, which a
    domain rule must not trust. Raises ``AnalysisError`` with code ``no_email``, ``email_unverified``,
    ``no_role`` or ``disabled``. Call it once per sign-in; :func:`refresh_oidc_user` on later runs.

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> rules = parse_role_rules("analyst:@bappeda.medan.go.id")
    >>> oidc_user(store, {"email": "Bob@Bappeda.Medan.go.id", "email_verified": True, "name": "Bob"}, rules).role
    'analyst'
    >>> oidc_user(store, {"email": "bob@bappeda.medan.go.id"}, rules).role
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The identity provider has not verified bob@bappeda.medan.go.id.
    >>> oidc_user(store, {"email": "x@gmail.com", "email_verified": True}, rules)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: x@gmail.com has no role in this dashboard. Ask an administrator to add it to EVALUASI_OIDC_ROLES.
    """
    email = str(claims.get("email") or "").strip().lower()
    if not email or "@" not in email:
        audit.log_event(store, "-", "sign_in_failed", ok=False, detail={"reason": "no_email", "source": "oidc"})
        raise AnalysisError(
            "no_email",
            "Penyedia identitas tidak mengirim alamat e-mail; tambahkan scope 'email' di [auth].",
            "The identity provider sent no e-mail address; add the 'email' scope under [auth].",
        )

    def refuse(reason: str, error: AnalysisError) -> AnalysisError:
        audit.log_event(store, email, "sign_in_failed", ok=False, target=email, detail={"reason": reason, "source": "oidc"})
        return error

    account = _account(store, email)
    verified = claims.get("email_verified")
    if verified is False or (account is None and verified is not True):
        raise refuse("email_unverified", AnalysisError(
            "email_unverified",
            f"Alamat {email} belum diverifikasi oleh penyedia identitas.",
            f"The identity provider has not verified {email}.",
        ))
    try:
        role = _oidc_role(email, account, rules)
    except AnalysisError as err:
        raise refuse(err.code, err) from None
    audit.log_event(store, email, "sign_in", target=email, detail={"source": "oidc", "role": role})
    name = claims.get("name")
    return User(email, role, source="oidc", email=email, display_name=str(name) if name else None)


def refresh_oidc_user(store: Store, user: User, rules: list[RoleRule] | None = None) -> User:
    """An OIDC user on a later run of the same session: the account is read again, so a disabled
    account is refused and a changed role applies in open tabs too (not audited: no new sign-in).

    Examples
    --------
    >>> from store.datasets import Store
    >>> store = Store("sqlite://")
    >>> u = oidc_user(store, {"email": "a@medan.go.id", "email_verified": True}, parse_role_rules("viewer:*"))
    >>> _ = add_user(store, "a@medan.go.id", "analyst")
    >>> refresh_oidc_user(store, u, parse_role_rules("viewer:*")).role
    'analyst'
    >>> disable_user(store, "a@medan.go.id")
    >>> refresh_oidc_user(store, u)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: This account is disabled. Contact an administrator.
    """
    role = _oidc_role(user.username, _account(store, user.username), rules)
    return user if role == user.role else replace(user, role=role)


def _account(store: Store, username: str):
    _tables(store)
    with store.transaction(write=False) as conn:
        return conn.execute(select(users).where(users.c.username == username)).first()


def _oidc_role(email: str, account, rules: list[RoleRule] | None) -> str:
    if account is not None:
        if account.disabled:
            raise _disabled()
        return account.role
    if rules is None:
        rules = parse_role_rules(os.environ.get("EVALUASI_OIDC_ROLES", ""))
    role = role_for_email(email, rules)
    if role is None:
        raise AnalysisError(
            "no_role",
            f"{email} belum punya peran di dasbor ini. Minta administrator menambahkannya ke EVALUASI_OIDC_ROLES.",
            f"{email} has no role in this dashboard. Ask an administrator to add it to EVALUASI_OIDC_ROLES.",
        )
    return role


# --------------------------------------------------------------------------- schema


def _tables(store: Store) -> None:
    store.ensure_tables(metadata)
