"""Sign-in mode ``oidc``: an identity provider's claims become a :class:`store.auth.User`.

Streamlit's ``st.login`` signs people in; :func:`oidc_user` gives the address a role, from an
account an admin made for it (:mod:`store.accounts`) or else from ``EVALUASI_OIDC_ROLES``
(:func:`parse_role_rules`, :func:`role_for_email`). Every sign-in and refused one is audited.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping

from analysis.core.errors import AnalysisError
from analysis.core.roles import ROLES
from store import audit
from store.accounts import account_disabled, find_account
from store.auth import User

if TYPE_CHECKING:  # pragma: no cover
    from store.db import Database


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


def oidc_user(store: Database, claims: Mapping[str, Any], rules: list[RoleRule] | None = None) -> User:
    """Turn an identity provider's claims (Streamlit's ``st.user``) into a user, audited.

    The role comes from an account in the store whose username is the e-mail address, when an
    admin made one (its disabled flag is honoured too), else from ``rules`` (default: parsed from
    ``EVALUASI_OIDC_ROLES``). A role from the rules needs the provider to vouch for the address
    (``email_verified`` true): some providers let users set an unverified ``email`` claim, which a
    domain rule must not trust. Raises ``AnalysisError`` with code ``no_email``, ``email_unverified``,
    ``no_role`` or ``disabled``. Call it once per sign-in; :func:`refresh_oidc_user` on later runs.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
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

    account = find_account(store, email)
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


def refresh_oidc_user(store: Database, user: User, rules: list[RoleRule] | None = None) -> User:
    """An OIDC user on a later run of the same session: the account is read again, so a disabled
    account is refused and a changed role applies in open tabs too (not audited: no new sign-in).

    Examples
    --------
    >>> from store.accounts import add_user, disable_user
    >>> from store.db import Database
    >>> store = Database("sqlite://")
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
    role = _oidc_role(user.username, find_account(store, user.username), rules)
    return user if role == user.role else replace(user, role=role)


def _oidc_role(email: str, account, rules: list[RoleRule] | None) -> str:
    if account is not None:
        if account.disabled:
            raise account_disabled()
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
