"""Who is using the app: sign-in by the configured mode.

- ``none``: everyone is administrator, served only while the server listens on loopback;
- ``local``: accounts in the store (argon2 hashes, lockout, expiring sessions);
- ``oidc``: Streamlit's ``st.login`` with an ``[auth]`` block in ``secrets.toml``; roles from
  ``EVALUASI_OIDC_ROLES`` or an account named by the e-mail address.
"""

from __future__ import annotations

import streamlit as st

from store import audit
from store import accounts, auth, oidc, sessions
from analysis.core.errors import AnalysisError
from ui import data
from ui.session import lang, md_escape, t

TOKEN = "auth_token"


def sign_in():
    """Return the signed-in user, or draw the sign-in screen and stop the run."""
    mode = auth.auth_mode()
    if mode == "none":
        address = st.get_option("server.address")
        host = st.context.headers.get("Host") if st.context.headers is not None else None
        if not auth.loopback_only_ok(address):
            _refuse(address or "0.0.0.0")
        if not auth.loopback_host_header(host):  # a rebound domain or a proxy in front of loopback
            _refuse(md_escape(host))  # the Host header is the requester's text
        user = auth.anonymous_admin()
    elif mode == "local":
        user = sessions.session_user(data.store(), st.session_state.get(TOKEN))
        if user is None:
            _local_form()
            _stop()
    else:
        user = _oidc()
    st.session_state["user"] = user
    return user


def _stop() -> None:
    """End the run before the real navigation exists. Registering an empty, hidden navigation
    first keeps Streamlit's legacy pages/ runner from listing the page files beside the form."""
    st.navigation([st.Page(lambda: None, title=t("ui.sign_in"), url_path="masuk")], position="hidden")
    st.stop()


def _refuse(address: str) -> None:
    st.error(t("ui.not_loopback", address=address))
    _stop()


def _local_form() -> None:
    st.title(t("ui.sign_in_title"))
    with st.form("sign_in"):
        name = st.text_input(t("ui.username"))
        password = st.text_input(t("ui.password"), type="password")
        submitted = st.form_submit_button(t("ui.sign_in"), type="primary")
    if submitted:
        try:
            user = accounts.authenticate(data.store(), name, password)
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        st.session_state[TOKEN] = sessions.create_session(data.store(), user)
        st.rerun()


def _oidc():
    if not st.user.is_logged_in:
        st.title(t("ui.sign_in_title"))
        st.button(t("ui.sign_in_oidc"), on_click=st.login, type="primary")
        _stop()
    email = str(st.user.get("email", "")).lower()
    cached = st.session_state.get("user")
    try:
        if cached is not None and cached.source == "oidc" and cached.email == email:
            # Every run re-reads the account, so a disabled account or a changed role takes
            # effect in open tabs too (sign-in itself is audited once, by oidc_user).
            return oidc.refresh_oidc_user(data.store(), cached)
        return oidc.oidc_user(data.store(), st.user.to_dict())
    except AnalysisError as err:
        st.session_state.pop("user", None)
        st.error(md_escape(err.message(lang())))
        st.button(t("ui.sign_out"), on_click=st.logout)
        _stop()


def sign_out_button(user) -> None:
    """The sidebar's who-am-I line and, where sign-in is on, a sign-out button."""
    st.caption(t("ui.signed_in_as", name=md_escape(user.display_name or user.username), role=user.role))
    if user.source == "local" and st.button(t("ui.sign_out")):
        sessions.end_session(data.store(), st.session_state.pop(TOKEN, None))
        st.session_state.pop("user", None)
        st.rerun()
    elif user.source == "oidc":
        st.button(t("ui.sign_out"), on_click=_oidc_sign_out, args=(user,))
    elif user.source == "none":
        st.caption(t("ui.none_mode"))


def _oidc_sign_out(user) -> None:
    audit.log_event(data.store(), user.username, "sign_out", target=user.username, detail={"source": "oidc"})
    st.session_state.pop("user", None)
    st.logout()
