"""The app shell (app.py, ui/auth_gate.py): sign-in in mode local, lockout, sign-out, language.

The pages themselves are tested in tests/test_page_*.py; the role matrix in test_pages_security.py.
"""

from __future__ import annotations

from store import accounts, sessions
from store.datasets import Store
from apptest_helpers import make_app, texts

PASSWORD = "kata-sandi-yang-panjang"


def _local_app(tmp_path, monkeypatch, role="analyst"):
    at = make_app(tmp_path, monkeypatch)  # fresh data folder
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "local")
    store = Store()
    try:
        accounts.add_user(store, "budi", role, PASSWORD)
    finally:
        store.close()
    return at


def _sign_in(at, name, password):
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    at.button[0].click()
    at.run()


def test_local_mode_asks_for_a_password_and_shows_nothing_else(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    at.run()
    assert not at.exception
    assert "Masuk ke Evaluasi Pembinaan ASN" in texts(at)
    assert not at.get("plotly_chart") and not at.dataframe  # no data before sign-in


def test_wrong_then_right_password(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    at.run()
    _sign_in(at, "budi", "salah")
    assert not at.exception
    assert any("salah" in e.value.lower() for e in at.error)
    _sign_in(at, "budi", PASSWORD)
    assert not at.exception
    assert "Masuk sebagai budi (analyst)" in texts(at)
    assert at.session_state["auth_token"]


def test_five_failures_lock_the_account(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    at.run()
    for _ in range(5):
        _sign_in(at, "budi", "salah")
    _sign_in(at, "budi", PASSWORD)  # even the right password is refused while locked
    assert not at.exception
    assert "auth_token" not in at.session_state
    assert any("15" in e.value for e in at.error)


def test_sign_out_ends_the_session(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    at.run()
    _sign_in(at, "budi", PASSWORD)
    token = at.session_state["auth_token"]
    next(b for b in at.button if b.label == "Keluar").click()
    at.run()
    assert not at.exception
    assert "Masuk ke Evaluasi Pembinaan ASN" in texts(at)
    store = Store()
    try:
        assert sessions.session_user(store, token) is None
    finally:
        store.close()


def test_language_switch_and_default(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    at.run()
    assert "Pemerintah Kota Medan" in texts(at)
    at.session_state["lang_choice"] = "en"
    at.run()
    assert not at.exception
    assert "Medan City Government" in texts(at)
    assert at.session_state["lang"] == "en"


def test_filters_work_after_switching_to_english(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, lang="en")
    at.run()
    at.selectbox(key="filter_kecamatan__en").set_value("Medan Baru")  # the filter's widget in English
    at.run()
    assert not at.exception
    assert at.query_params["kecamatan"] in (["Medan Baru"], "Medan Baru")  # the filter is in the URL


def test_mode_none_refuses_a_request_for_another_host_name(tmp_path, monkeypatch):
    # DNS rebinding: a site points its own name at 127.0.0.1; its pages then reach the loopback
    # server under that name. Mode none must answer only requests that name this machine.
    import streamlit as st

    at = make_app(tmp_path, monkeypatch)
    monkeypatch.setattr(type(st.context), "headers", property(lambda self: {"Host": "attacker-rebind.test:8501"}))
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "attacker" in at.error[0].value
    assert not at.title and not at.metric and not at.dataframe
