"""Who is using the app: sign-in by the configured mode (issue 5).

- ``none``: everyone is administrator, served only while the server listens on loopback;
- ``local``: accounts in the store (argon2 hashes, lockout, expiring sessions);
- ``oidc``: Streamlit's ``st.login`` with an ``[auth]`` block in ``secrets.toml``; roles from
  ``EVALUASI_OIDC_ROLES`` or an account named by the e-mail address.
"""

from __future__ import annotations

import streamlit as st

from analysis import auth
from analysis.errors import AnalysisError
from ui import data
from ui.session import lang, t

TOKEN = "auth_token"


def sign_in():
    """Return the signed-in user, or draw the sign-in screen and stop the run."""
    mode = auth.auth_mode()
    if mode == "none":
        address = st.get_option("server.address")
        if not auth.loopback_only_ok(address):
            st.error(t("ui.not_loopback", address=address or "0.0.0.0"))
            st.stop()
        user = auth.anonymous_admin()
    elif mode == "local":
        user = auth.session_user(data.store(), st.session_state.get(TOKEN))
        if user is None:
            _local_form()
            st.stop()
    else:
        user = _oidc()
    st.session_state["user"] = user
    return user


def _local_form() -> None:
    st.title(t("ui.sign_in_title"))
    with st.form("sign_in"):
        name = st.text_input(t("ui.username"))
        password = st.text_input(t("ui.password"), type="password")
        submitted = st.form_submit_button(t("ui.sign_in"), type="primary")
    if submitted:
        try:
            user = auth.authenticate(data.store(), name, password)
        except AnalysisError as err:
            st.error(err.message(lang()))
            return
        st.session_state[TOKEN] = auth.create_session(data.store(), user)
        st.rerun()


def _oidc():
    if not st.user.is_logged_in:
        st.title(t("ui.sign_in_title"))
        st.button(t("ui.sign_in_oidc"), on_click=st.login, type="primary")
        st.stop()
    cached = st.session_state.get("user")
    if cached is not None and cached.source == "oidc" and cached.email == str(st.user.get("email", "")).lower():
        return cached
    try:
        return auth.oidc_user(data.store(), st.user.to_dict())
    except AnalysisError as err:
        st.error(err.message(lang()))
        st.button(t("ui.sign_out"), on_click=st.logout)
        st.stop()


def sign_out_button(user) -> None:
    """The sidebar's who-am-I line and, where sign-in is on, a sign-out button."""
    st.caption(t("ui.signed_in_as", name=user.display_name or user.username, role=user.role))
    if user.source == "local" and st.button(t("ui.sign_out")):
        auth.end_session(data.store(), st.session_state.pop(TOKEN, None))
        st.session_state.pop("user", None)
        st.rerun()
    elif user.source == "oidc":
        st.button(t("ui.sign_out"), on_click=st.logout)
    elif user.source == "none":
        st.caption(t("ui.none_mode"))
