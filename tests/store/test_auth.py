"""Sign-in modes: ``EVALUASI_AUTH_MODE``, the loopback rule of mode ``none``, the signed-in user
(store/auth.py)."""

from __future__ import annotations

import pytest

from store import auth
from store.auth import User
from store_fixtures import code_of  # noqa: F401  (fixtures)


@pytest.mark.parametrize("value, expected", [(None, "none"), ("", "none"), ("none", "none"), (" Local ", "local"),
                                             ("OIDC", "oidc")])
def test_auth_mode(monkeypatch, value, expected):
    monkeypatch.delenv("EVALUASI_AUTH_MODE", raising=False)
    if value is None:
        assert auth.auth_mode() == expected
    else:
        monkeypatch.setenv("EVALUASI_AUTH_MODE", value)
        assert auth.auth_mode() == expected


def test_bad_auth_mode(monkeypatch, code_of):
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "ldap")
    assert code_of(auth.auth_mode) == "bad_auth_mode"


@pytest.mark.parametrize(
    "address, ok",
    [
        ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
        (" 127.0.0.1 ", True), ("LOCALHOST", True),
        (None, False), ("", False), ("0.0.0.0", False), ("::", False), ("[::]", False), ("10.1.2.3", False),
        ("192.168.0.10", False), ("8.8.8.8", False), ("no-such-host.invalid", False), ("::ffff:10.0.0.1", False),
    ],
)
def test_loopback_only_ok(address, ok):
    assert auth.loopback_only_ok(address) is ok


def test_anonymous_admin_is_admin():
    user = auth.anonymous_admin()
    assert user.can("admin") and user.source == "none"


@pytest.mark.parametrize(
    "host, ok",
    [(None, True), ("127.0.0.1:8501", True), ("localhost", True), ("[::1]:8501", True), ("LOCALHOST:80", True),
     ("127.9.9.9", True), ("attacker-rebind.test:8501", False), ("10.0.0.5", False), ("", False),
     ("dashboard.medan.go.id", False), ("localhost.attacker.test", False)],
)
def test_loopback_host_header(host, ok):
    assert auth.loopback_host_header(host) is ok


def test_user_from_row():
    from types import SimpleNamespace

    row = SimpleNamespace(username="budi", role="analyst", email="budi@medan.go.id", password_hash="secret")
    assert auth.User.from_row(row, source="oidc") == User("budi", "analyst", source="oidc", email="budi@medan.go.id")
