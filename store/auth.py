"""Who may come in: the signed-in :class:`User` and the sign-in modes.

Roles, from least to most (:mod:`analysis.core.roles`): ``viewer`` (pimpinan: published results
only, NIP masked, no row-level download) < ``analyst`` (upload, validate, map columns, publish,
download) < ``admin`` (users, audit log, archive). A page declares the least role it needs and
checks it with :func:`analysis.core.roles.require_role`.

Sign-in modes, from ``EVALUASI_AUTH_MODE`` (:func:`auth_mode`):

``none`` (default)
    No sign-in, everyone is admin (:func:`anonymous_admin`) — but only while the server listens on
    loopback: the app calls :func:`loopback_only_ok` with Streamlit's ``server.address`` and
    :func:`loopback_host_header` with each request's ``Host``, and shows nothing but an
    explanation otherwise.
``local``
    Accounts in the database (:mod:`store.accounts`: argon2id passwords; failed attempts make the
    next ones wait, :mod:`store.throttle`) and sessions that expire (:mod:`store.sessions`).
``oidc``
    Streamlit's ``st.login`` signs people in; :mod:`store.oidc` turns the identity provider's
    claims into a user whose role comes from ``EVALUASI_OIDC_ROLES`` or from an account an admin
    made.

This module reads no database and never imports streamlit.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

from analysis.core.errors import AnalysisError
from analysis.core.roles import has_role

MODES = ("none", "local", "oidc")


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

    @classmethod
    def from_row(cls, row: Any, source: str = "local") -> User:
        """The user of an account row (``username``, ``role``, ``email`` of :data:`store.schema.users`).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> User.from_row(SimpleNamespace(username="budi", role="viewer", email=None))
        User(username='budi', role='viewer', source='local', email=None, display_name=None)
        """
        return cls(row.username, row.role, source=source, email=row.email)


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
