"""The three roles and their order (analysis/core/roles.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from analysis.core import roles
from analysis.core.errors import AnalysisError


@pytest.mark.parametrize(
    "role, needed, expected",
    [
        ("viewer", "viewer", True), ("viewer", "analyst", False), ("viewer", "admin", False),
        ("analyst", "viewer", True), ("analyst", "analyst", True), ("analyst", "admin", False),
        ("admin", "viewer", True), ("admin", "analyst", True), ("admin", "admin", True),
        (None, "viewer", False),
    ],
)
def test_role_order(role, needed, expected):
    user = SimpleNamespace(username="x", role=role) if role else None
    assert roles.has_role(role, needed) is expected
    assert roles.has_role(user, needed) is expected
    if expected:
        roles.require_role(user, needed)
    else:
        with pytest.raises(AnalysisError) as err:
            roles.require_role(user, needed)
        assert err.value.code == "forbidden"


def test_unknown_role_is_a_value_error():
    with pytest.raises(ValueError, match="role must be one of viewer, analyst, admin, got 'boss'"):
        roles.role_rank("boss")
