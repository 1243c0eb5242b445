"""Who is using the app: sign-in by the configured mode.

- ``none``: everyone is administrator, served only while the server listens on loopback;
- ``local``: accounts in the store (argon2 hashes, throttled failures, expiring sessions kept in an
  HttpOnly cookie, ``ui.routes``);
- ``oidc``: Streamlit's ``st.login`` with an ``[auth]`` block in ``secrets.toml``; roles from
  ``EVALUASI_OIDC_ROLES`` or an account named by the e-mail address.

:func:`identify` draws nothing: ``app.py`` calls it before ``st.navigation`` and builds the
navigation from its answer — the pages of the user's role, or, for every path, the sign-in page
(:func:`sign_in_page`) or a page that names a problem (:func:`problem_page`). Nothing interactive
comes before the navigation, so every widget keeps one identity from the first run on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from analysis.core import i18n
from analysis.core.errors import AnalysisError
from store import accounts, audit, auth, oidc, sessions
from store.auth import User
from ui import data
from ui.routes import ADOPT, CLEAR, COOKIE
from ui.session import lang, md_escape, t

TOKEN = "auth_token"
HANDOFF = "auth_handoff"  # a hand-off code waiting to be posted for the cookie
CLEAR_COOKIE = "auth_clear_cookie"
_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gate:
    """The answer of :func:`identify`: a user, or no user yet, or a problem to show instead.

    ``sign_out`` offers a sign-out button beside the problem (an OIDC identity without a role).
    """

    user: User | None = None
    problem: AnalysisError | None = None
    sign_out: bool = False


def database_unavailable() -> AnalysisError:
    """The message when the database cannot be reached (details go to the server log only).

    Examples
    --------
    >>> database_unavailable().code
    'database_unavailable'
    """
    return AnalysisError(
        "database_unavailable",
        "Basis data sedang tidak dapat dihubungi. Coba lagi sebentar lagi; bila berlanjut, hubungi "
        "administrator server.",
        "The database cannot be reached right now. Try again shortly; if it goes on, contact the server "
        "administrator.",
    )


def internal_error() -> AnalysisError:
    """The message for anything else that stops the app before its pages (logged with its traceback).

    Examples
    --------
    >>> internal_error().code
    'internal_error'
    """
    return AnalysisError(
        "internal_error",
        "Aplikasi tidak dapat dimulai karena kesalahan di server. Rinciannya tercatat di log server; "
        "hubungi administrator server.",
        "The app could not start because of an error on the server. The details are in the server log; "
        "contact the server administrator.",
    )


def contained(step):
    """``(step(), None)``, or ``(None, problem)`` for what can go wrong before the navigation exists:
    a configuration error (its own code), a database that is down (``database_unavailable``),
    anything else (``internal_error``). The details go to the server log, never to the page."""
    try:
        return step(), None
    except AnalysisError as err:
        return None, err
    except SQLAlchemyError:
        _LOG.exception("the database cannot be reached")
        return None, database_unavailable()
    except Exception:  # noqa: BLE001 - the page must still come up guarded; the log keeps the traceback
        _LOG.exception("the app failed before its navigation")
        return None, internal_error()


def run_contained(navigation) -> None:
    """Run the page (``navigation``, or anything with ``run()`` such as ``ui.presentation``); a database
    lost while it draws gives the coded message, not a traceback."""
    try:
        navigation.run()
    except SQLAlchemyError:
        _LOG.exception("the database was lost while a page was drawn")
        problem = database_unavailable()
        st.error(t("ui.problem", message=problem.message(lang()), code=problem.code))


def identify() -> Gate:
    """Who is signed in, drawing nothing (see the module text)."""
    mode = auth.auth_mode()
    if mode == "none":
        gate = _loopback_admin()
        if gate.problem is None:
            _open_store()
        return gate
    _open_store()  # a database that is down is said before anyone types a password
    if mode == "local":
        return Gate(user=_local_user())
    return _oidc_user()


def _open_store() -> None:
    """Open the store (once per process); a data folder that cannot be made or opened is a
    database that is down, like a server that does not answer."""
    try:
        data.store()
    except OSError:
        _LOG.exception("the database cannot be opened")
        raise database_unavailable() from None


def _loopback_admin() -> Gate:
    address = st.get_option("server.address")
    host = st.context.headers.get("Host") if st.context.headers is not None else None
    if not auth.loopback_only_ok(address):
        return Gate(problem=_not_loopback(address or "0.0.0.0"))
    if not auth.loopback_host_header(host):  # a rebound domain or a proxy in front of loopback
        return Gate(problem=_not_loopback(host))
    return Gate(user=auth.anonymous_admin())


def _not_loopback(address: str | None) -> AnalysisError:
    # the Host header is the requester's text: problem_page escapes the whole message
    return AnalysisError("not_loopback", i18n.t("ui.not_loopback", "id", address=address),
                         i18n.t("ui.not_loopback", "en", address=address))


def _local_user() -> User | None:
    """The user of this session's token, or of the cookie's (a reload, another tab)."""
    cookie = st.context.cookies.get(COOKIE) if st.context.cookies is not None else None
    cookie = cookie if isinstance(cookie, str) else None
    for token in dict.fromkeys((st.session_state.get(TOKEN), cookie)):
        user = sessions.session_user(data.store(), token) if token else None
        if user is not None:
            st.session_state[TOKEN] = token
            return user
    st.session_state.pop(TOKEN, None)
    return None


def _oidc_user() -> Gate:
    if not st.user.get("is_logged_in", False):  # absent until Streamlit's [auth] has run
        return Gate()
    email = str(st.user.get("email", "")).lower()
    cached = st.session_state.get("user")
    try:
        if cached is not None and cached.source == "oidc" and cached.email == email:
            # Every run re-reads the account, so a disabled account or a changed role takes
            # effect in open tabs too (sign-in itself is audited once, by oidc_user).
            return Gate(user=oidc.refresh_oidc_user(data.store(), cached))
        return Gate(user=oidc.oidc_user(data.store(), st.user.to_dict()))
    except AnalysisError as err:
        st.session_state.pop("user", None)
        return Gate(problem=err, sign_out=True)


# --------------------------------------------------------------------------- pages of the gate


def sign_in_page() -> None:
    """The page every path shows until someone signs in; after the sign-in the same path opens
    the page it names, with the filters its link carries."""
    _clear_cookie_once()
    st.title(t("ui.sign_in_title"))
    if auth.auth_mode() == "oidc":
        st.button(t("ui.sign_in_oidc"), on_click=st.login, type="primary")
        return
    with st.form("sign_in"):
        name = st.text_input(t("ui.username"))
        password = st.text_input(t("ui.password"), type="password")
        submitted = st.form_submit_button(t("ui.sign_in"), type="primary")
    if submitted:
        try:
            user = accounts.authenticate(data.store(), name, password, address=client_address())
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        token = sessions.create_session(data.store(), user)
        st.session_state[TOKEN] = token
        st.session_state[HANDOFF] = sessions.create_handoff(data.store(), token)
        st.rerun()


def client_address() -> str | None:
    """The client's address as the server sees it (``st.context.ip_address``: the peer, or the
    right-most untrusted ``X-Forwarded-For`` entry from a trusted proxy — uvicorn trusts only
    loopback unless ``FORWARDED_ALLOW_IPS`` says otherwise); None when unknown or on loopback."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def problem_page(gate: Gate) -> None:
    """The page every path shows when the app cannot serve: the message and its code, nothing else."""
    st.error(t("ui.problem", message=md_escape(gate.problem.message(lang())), code=gate.problem.code))
    if gate.sign_out:
        st.button(t("ui.sign_out"), on_click=st.logout)


def _post(path: str, body: dict) -> None:
    """A same-origin JSON post from the page (an invisible frame), for the cookie routes."""
    st.iframe(f"""<script>fetch({json.dumps(path)}, {{method: "POST", credentials: "same-origin",
        headers: {{"Content-Type": "application/json"}}, body: {json.dumps(json.dumps(body))}}});</script>""",
              height=1)


def hand_off_cookie() -> None:
    """After a sign-in, once: let the page fetch the HttpOnly session cookie (``ui.routes``)."""
    code = st.session_state.pop(HANDOFF, None)
    if code:
        with st.sidebar:
            _post(ADOPT, {"code": code})


def _clear_cookie_once() -> None:
    if st.session_state.pop(CLEAR_COOKIE, False):
        _post(CLEAR, {})


def sign_out_button(user: User) -> None:
    """The sidebar's who-am-I line and, where sign-in is on, a sign-out button; without sign-in, the
    line that says so (nobody signed in, so no name to show)."""
    if user.source == "none":
        st.caption(t("ui.none_mode"))
        return
    st.caption(t("ui.signed_in_as", name=md_escape(user.display_name or user.username), role=user.role))
    if user.source == "local":
        st.button(t("ui.sign_out"), on_click=_local_sign_out)
    elif user.source == "oidc":
        st.button(t("ui.sign_out"), on_click=_oidc_sign_out, args=(user,))


def _local_sign_out() -> None:
    sessions.end_session(data.store(), st.session_state.pop(TOKEN, None))
    st.session_state.pop("user", None)
    st.session_state[CLEAR_COOKIE] = True


def _oidc_sign_out(user) -> None:
    audit.log_event(data.store(), user.username, "sign_out", target=user.username, detail={"source": "oidc"})
    st.session_state.pop("user", None)
    st.logout()
