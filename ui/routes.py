"""The app's own HTTP routes, beside Streamlit's: the session cookie of sign-in mode ``local``.

Streamlit gives a script no way to set a cookie; its ``st.App`` takes extra Starlette routes
(``app.py``). After a sign-in the page posts a single-use code (:func:`store.sessions.create_handoff`)
to ``POST /api/session/adopt``, which answers with the session token in a cookie the page's
scripts cannot read (``HttpOnly``), sent to this site only (``SameSite=Strict``; ``Secure`` over
HTTPS), expiring with the session. Every later connection — a reload, a new tab — presents it
(``st.context.cookies``), and ``ui.auth_gate`` checks it against the sessions table, so an ended or
expired session is worth nothing whatever the browser still holds. ``POST /api/session/clear``
deletes the cookie at sign-out. Both answer only same-origin JSON posts: a form on another site can
neither plant a session (login CSRF) nor send JSON without a CORS preflight, which is refused.

No ``st.*`` call here: the module is imported once per server process, before any session.
"""

from __future__ import annotations

import json
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from store import sessions

#: The cookie's name.
COOKIE = "evaluasi_sesi"
ADOPT = "/api/session/adopt"
CLEAR = "/api/session/clear"

_DB_LOCK = threading.Lock()
_DB: list = []


def _database():
    """One database handle for the routes of this process (the pages have their own, ``ui.data``)."""
    with _DB_LOCK:
        if not _DB:
            from store.db import Database

            _DB.append(Database())
        return _DB[0]


def same_origin(headers, url_scheme: str) -> bool:
    """Whether a request comes from a page of this site: its ``Origin`` names this host, and the
    browser does not call it cross-site (``Sec-Fetch-Site``).

    Examples
    --------
    >>> same_origin({"origin": "http://127.0.0.1:8501", "host": "127.0.0.1:8501"}, "http")
    True
    >>> same_origin({"origin": "https://jahat.example", "host": "127.0.0.1:8501"}, "http")
    False
    >>> same_origin({"host": "127.0.0.1:8501"}, "http")  # no Origin: not a page's fetch
    False
    """
    origin, host = headers.get("origin"), headers.get("host")
    if not origin or not host or headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    scheme, _, rest = origin.partition("://")
    return rest == host and scheme in ("http", "https")


def _refused() -> Response:
    return Response(status_code=403, headers={"Cache-Control": "no-store"})


async def adopt(request: Request) -> Response:
    """Exchange a hand-off code for the HttpOnly session cookie."""
    if not same_origin(request.headers, request.url.scheme) or \
            request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _refused()
    try:
        code = (json.loads(await request.body() or b"{}") or {}).get("code")
    except (ValueError, AttributeError):
        return _refused()
    found = await run_in_threadpool(sessions.redeem_handoff, _database(), code if isinstance(code, str) else None)
    if found is None:
        return _refused()
    token, left = found
    response = JSONResponse({"ok": True}, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE, token, max_age=max(1, int(left.total_seconds())), path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


async def clear(request: Request) -> Response:
    """Delete the session cookie (the session itself was ended by the sign-out)."""
    if not same_origin(request.headers, request.url.scheme):
        return _refused()
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


ROUTES = [Route(ADOPT, adopt, methods=["POST"]), Route(CLEAR, clear, methods=["POST"])]
