"""The app shell (app.py, ui/auth_gate.py): sign-in in mode local, throttled failures, the session
cookie, links that survive the sign-in, sign-out, language, and the guarded navigation when the
configuration is wrong or the database is down.

The pages themselves are tested in tests/test_page_*.py; the role matrix in test_pages_security.py;
what only a real browser shows (the cookie's round trip, the first click of a fresh server) in
tests/browser/.
"""

from __future__ import annotations

import socket
import tomllib

import streamlit as st

from store import accounts, sessions
from store.datasets import Store
from apptest_helpers import ROOT, make_app, page_hash, texts

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


def test_failures_make_the_form_wait_with_the_same_words_for_any_name(tmp_path, monkeypatch):
    """No lock, and nothing that tells an existing account from an unknown name."""
    def story(name):
        at = _local_app(tmp_path, monkeypatch) if name == "budi" else make_app(tmp_path, monkeypatch)
        monkeypatch.setenv("EVALUASI_AUTH_MODE", "local")
        at.run()
        shown = []
        for password in ["salah"] * 4 + [PASSWORD]:  # the 4th failure starts a wait; the right password waits too
            _sign_in(at, name, password)
            assert not at.exception
            shown.append([e.value for e in at.error])
        assert "auth_token" not in at.session_state
        return shown

    existing, unknown = story("budi"), story("tidak-ada-akun")
    assert existing == unknown
    assert existing[-1] == ["Terlalu banyak percobaan masuk yang gagal\\. Coba lagi dalam 2 detik\\."]
    assert all("terkunci" not in " ".join(e).lower() for e in existing)


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


def test_a_session_cookie_signs_a_new_tab_in(tmp_path, monkeypatch):
    """A reload or a new tab is a new Streamlit session; the HttpOnly cookie carries the sign-in."""
    at = _local_app(tmp_path, monkeypatch)
    store = Store()
    try:
        token = sessions.create_session(store, accounts.get_user(store, "budi"))
    finally:
        store.close()
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: {"evaluasi_sesi": token}))
    at.run()
    assert not at.exception
    assert "Masuk sebagai budi (analyst)" in texts(at)
    next(b for b in at.button if b.label == "Keluar").click()  # sign-out ends it for every tab
    at.run()
    assert "Masuk ke Evaluasi Pembinaan ASN" in texts(at)
    assert at.get("iframe")  # the page posts to /api/session/clear to delete the cookie


def test_an_ended_session_in_the_cookie_is_worth_nothing(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: {"evaluasi_sesi": "nicht-gueltig"}))
    at.run()
    assert "Masuk ke Evaluasi Pembinaan ASN" in texts(at) and "auth_token" not in at.session_state


def test_after_sign_in_a_link_opens_its_page_with_its_filters(tmp_path, monkeypatch):
    at = _local_app(tmp_path, monkeypatch)
    at.query_params["kecamatan"] = "Medan Baru"
    at.query_params["ukuran"] = "performance"
    at.run()
    at._page_hash = page_hash(at, "pages/program.py")  # the link named /evaluasi-program?…
    at.run()
    assert "Masuk ke Evaluasi Pembinaan ASN" in texts(at)  # every path asks for the sign-in first
    _sign_in(at, "budi", PASSWORD)
    assert not at.exception
    assert [t.value for t in at.main.title] == ["Program"]
    assert at.session_state["filter_kecamatan"] == "Medan Baru" and at.session_state["filter_ukuran"] == "performance"
    assert at.get("iframe")  # once, the page fetches its session cookie


def test_a_configuration_error_still_reaches_a_guarded_navigation(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "locl")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "EVALUASI\\_AUTH\\_MODE harus none, local atau oidc, bukan 'locl'\\. (kode: bad_auth_mode)"]
    names = {info["page_name"] for info in at._registered_pages.values()}
    assert names == {"Evaluasi Pembinaan ASN"}  # no page name leaks, whatever the path
    assert len(at._registered_pages) >= 7 and not at.title and not at.dataframe


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_database_that_is_down_gives_a_coded_message_and_no_details(tmp_path, monkeypatch):
    for mode in ("local", "none"):
        at = make_app(tmp_path, monkeypatch)
        port = _closed_port()
        monkeypatch.setenv("DATABASE_URL", f"postgresql://evaluasi:rahasia@127.0.0.1:{port}/evaluasi")
        monkeypatch.setenv("EVALUASI_AUTH_MODE", mode)
        at.run()
        assert not at.exception
        drawn = texts(at)
        assert "database_unavailable" in drawn and "Basis data sedang tidak dapat dihubungi" in drawn
        for detail in (str(port), "127", "evaluasi:", "rahasia", "psycopg", "Traceback", str(ROOT)):
            assert detail not in drawn, detail
        assert {info["page_name"] for info in at._registered_pages.values()} == {"Evaluasi Pembinaan ASN"}


def test_visitors_never_see_error_details_or_the_developer_menu():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["showErrorLinks"] is False
    assert config["client"]["toolbarMode"] == "viewer"


def test_oidc_mode_offers_its_button_on_every_path_before_sign_in(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "oidc")
    at.run()
    at._page_hash = page_hash(at, "pages/admin.py")
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Masuk dengan akun instansi"]
    assert {info["page_name"] for info in at._registered_pages.values()} == {"Evaluasi Pembinaan ASN"}


def test_a_data_folder_that_cannot_be_made_is_a_database_that_is_down(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    monkeypatch.setenv("EVALUASI_DATA_DIR", str(blocker / "var"))
    at.run()
    assert not at.exception
    drawn = texts(at)
    assert "database_unavailable" in drawn and "bukan-folder" not in drawn


def test_without_sign_in_the_sidebar_names_no_user(tmp_path, monkeypatch):
    """Sign-in off (``EVALUASI_AUTH_MODE=none``): nobody signed in, so the sidebar says the mode —
    not "Masuk sebagai lokal (admin)", a user nobody is — and offers no sign-out."""
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "none")
    at = make_app(tmp_path, monkeypatch)
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Mode lokal tanpa masuk" in shown
    assert "Masuk sebagai" not in shown and "lokal (admin)" not in shown
    assert not any(b.label == "Keluar" for b in at.button)
