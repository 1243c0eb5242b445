"""Roles: ``viewer`` (a policy leader reading results) < ``analyst`` (uploads and publishes) < ``admin``.

Who may do what is decided by rank alone, here, for the pages, the store and the exports.
"""

from __future__ import annotations

from typing import Any

from analysis.core.errors import AnalysisError

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")


def role_rank(role: str) -> int:
    """Position of ``role`` in ``viewer < analyst < admin``.

    Examples
    --------
    >>> [role_rank(r) for r in ROLES]
    [0, 1, 2]
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return ROLES.index(role)


def has_role(user_or_role: Any, needed: str) -> bool:
    """Whether a user (or a role name) is at least ``needed``; ``None`` (nobody) never is.

    Examples
    --------
    >>> has_role("admin", "analyst"), has_role("viewer", "analyst"), has_role(None, "viewer")
    (True, False, False)
    """
    if user_or_role is None:
        return False
    role = getattr(user_or_role, "role", user_or_role)
    return role_rank(role) >= role_rank(needed)


def require_role(user: Any, needed: str) -> None:
    """Raise ``AnalysisError("forbidden")`` unless ``user`` holds at least role ``needed``.

    Examples
    --------
    >>> require_role("admin", "analyst")
    >>> require_role("viewer", "analyst")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: Only analyst or admin may do this; you are signed in as viewer.
    """
    if has_role(user, needed):
        return
    have = getattr(user, "role", user) or "-"
    allowed = " atau ".join(ROLES[role_rank(needed):])
    allowed_en = " or ".join(ROLES[role_rank(needed):])
    raise AnalysisError(
        "forbidden",
        f"Hanya {allowed} yang boleh melakukan ini; Anda masuk sebagai {have}.",
        f"Only {allowed_en} may do this; you are signed in as {have}.",
    )
