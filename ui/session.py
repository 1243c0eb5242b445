"""Per-session state: language and the text shortcuts in it, the signed-in user, role checks for pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from analysis.core import fmt
from analysis.core import i18n
from analysis.core.roles import has_role


def lang() -> str:
    """``"id"`` (default) or ``"en"``, kept per session."""
    return st.session_state.get("lang", "id")


def t(key: str, **values) -> str:
    """A string of the shared table (``analysis.core.i18n.STRINGS``) in the session's language."""
    return i18n.t(key, lang(), **values)


def tr(table: Mapping[str, Mapping[str, str]], key: str, **values) -> str:
    """A string of a page's own table in the session's language (``analysis.core.i18n.translate``)."""
    return i18n.translate(table, key, lang(), **values)


def measure_label(measure: str, *, change: bool = False, ordinal: bool = False) -> str:
    """``analysis.core.i18n.measure_label`` in the session's language."""
    return i18n.measure_label(measure, lang(), change=change, ordinal=ordinal)


def num(x, decimals: int = 1) -> str:
    return fmt.fmt_number(x, decimals, lang())


def integer(x) -> str:
    return fmt.fmt_int(x, lang())


def pct(x, decimals: int = 0) -> str:
    return fmt.fmt_pct(x, decimals, lang())


def pval(p) -> str:
    return fmt.fmt_p(p, lang())


#: Medan keeps Western Indonesian Time (WIB, UTC+7); the store keeps UTC.
LOCAL_TZ = "Asia/Jakarta"


def local_time(value) -> str:
    """A UTC time (naive or aware) as WIB, ``dd-mm-yyyy HH:MM``; empty when missing.

    Examples
    --------
    >>> local_time(pd.Timestamp("2025-03-01 17:30")), local_time(None)
    ('02-03-2025 00:30', '')
    """
    if value is None or pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    return ts.tz_convert(LOCAL_TZ).strftime("%d-%m-%Y %H:%M")


def user():
    """The signed-in ``store.auth.User`` (set by ``ui.auth_gate``), or None."""
    return st.session_state.get("user")


def can(role: str) -> bool:
    return has_role(user(), role)


def require(role: str) -> None:
    """A page's own check, in ``render()``: stop unless the user holds at least ``role``.

    ``app.py`` already leaves pages out of the navigation that a user may not see; this second
    check keeps a page closed even when it is reached another way.
    """
    if not can(role):
        st.error(t("ui.forbidden"))
        st.stop()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md_escape(text: Any) -> str:
    """User text made literal inside Markdown: every Markdown/HTML sign backslash-escaped, so
    ``<img src=x onerror=alert(1)>`` or ``**x**`` shows as typed.

    Examples
    --------
    >>> md_escape("<img src=x onerror=alert(1)>")
    '\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\>'
    >>> md_escape(None)
    ''
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))
