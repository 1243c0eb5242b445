"""Sessions of mode ``local`` on SQLite and PostgreSQL: expiry, the token never stored, sign-out,
and account changes that end them (store/sessions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import accounts, sessions
from store.audit import read_audit
from store.schema import session_handoffs as handoffs_table, sessions as sessions_table
from store_fixtures import cheap_hasher, clock, code_of, db_url, store  # noqa: F401  (fixtures)

PASSWORD = "rahasia-panjang-sekali"


def test_sessions_expire(store, clock, monkeypatch):
    monkeypatch.setenv("EVALUASI_SESSION_HOURS", "2")
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user)
    assert len(token) >= 40
    with store.transaction(write=False) as conn:
        assert token not in str(conn.execute(sessions_table.select()).all())  # only its hash is kept
    assert sessions.session_user(store, token) == user
    clock.now += timedelta(hours=1, minutes=59)
    assert sessions.session_user(store, token) == user
    clock.now += timedelta(minutes=2)
    assert sessions.session_user(store, token) is None
    sessions.create_session(store, user)  # sweeps the expired one
    with store.transaction(write=False) as conn:
        assert len(conn.execute(sessions_table.select()).all()) == 1


@pytest.mark.parametrize("change", ["role", "disable", "password"])
def test_account_changes_end_sessions(store, change):
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user)
    if change == "role":
        accounts.set_role(store, "budi", "viewer")
    elif change == "disable":
        accounts.disable_user(store, "budi")
    else:
        accounts.set_password(store, "budi", "kata-sandi-baru-sekali")
    assert sessions.session_user(store, token) is None


@pytest.mark.parametrize("token", [None, "", "tidak-ada"])
def test_unknown_sessions(store, token):
    assert sessions.session_user(store, token) is None
    sessions.end_session(store, token)


def test_sign_out_is_audited(store):
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user)
    sessions.end_session(store, token)
    assert sessions.session_user(store, token) is None
    assert read_audit(store, action="sign_out")["actor"].tolist() == ["budi"]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan"])
def test_bad_session_hours(monkeypatch, value, code_of):
    monkeypatch.setenv("EVALUASI_SESSION_HOURS", value)
    assert code_of(sessions.session_hours) == "bad_setting"


# --------------------------------------------------------------------------- the cookie hand-off


def test_a_hand_off_code_works_once_within_a_minute(store, clock):
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user, hours=8)
    first, second, late = (sessions.create_handoff(store, token) for _ in range(3))
    assert sessions.redeem_handoff(store, first) == (token, timedelta(hours=8))
    assert sessions.redeem_handoff(store, first) is None  # single use
    clock.now += timedelta(seconds=30)
    assert sessions.redeem_handoff(store, second) == (token, timedelta(hours=8) - timedelta(seconds=30))
    clock.now += timedelta(seconds=31)
    assert sessions.redeem_handoff(store, late) is None  # older than a minute


def test_a_hand_off_stores_neither_the_code_nor_the_token(store):
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user)
    code = sessions.create_handoff(store, token)
    with store.transaction(write=False) as conn:
        stored = str(conn.execute(handoffs_table.select()).all())
    assert token not in stored and code not in stored and token.encode().hex() not in stored


def test_a_hand_off_of_an_ended_session_gives_nothing(store):
    user = accounts.add_user(store, "budi", "analyst", PASSWORD)
    token = sessions.create_session(store, user)
    code = sessions.create_handoff(store, token)
    sessions.end_session(store, token)
    assert sessions.redeem_handoff(store, code) is None
    for bad in (None, "", "x" * 500, "tidak-ada"):
        assert sessions.redeem_handoff(store, bad) is None
