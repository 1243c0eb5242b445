"""Filters set once and kept across pages: period, program, kecamatan, measure.

They live in ``st.session_state`` and are written to the URL (``st.query_params``), so a link
opens the same view. Values not present in the current data fall back to "all". The rows they
select are a :class:`ui.scope.Scope` (``ui.scope.current``).
"""

from __future__ import annotations

import streamlit as st

from analysis.core.kinds import DATE_COLUMNS
from analysis.core.periods import period_options
from analysis.evidence.engine import MEASURES as MEASURE_COLUMNS
from ui import data
from ui.session import measure_label, t

ALL = "__all__"
KEYS = ("periode", "program", "kecamatan", "ukuran")
MEASURES = tuple(MEASURE_COLUMNS)


def _state(key: str) -> str:
    return f"filter_{key}"


def init() -> None:
    """On a session's first run, take the filters from the URL."""
    for key in KEYS:
        if _state(key) not in st.session_state:
            default = MEASURES[0] if key == "ukuran" else ALL
            st.session_state[_state(key)] = st.query_params.get(key, default)


def current() -> dict[str, str | None]:
    """The active filters; ``None`` where all values are selected."""
    out = {}
    for key in KEYS:
        value = st.session_state.get(_state(key), ALL)
        out[key] = None if value == ALL else value
    if out["ukuran"] not in MEASURES:
        out["ukuran"] = MEASURES[0]
    return out


def set_value(key: str, value: str | None) -> None:
    """Set one filter (e.g. from a click on a chart) and mirror it in the URL."""
    st.session_state[_state(key)] = ALL if value is None else str(value)
    sync_url()


def sync_url() -> None:
    params = {k: v for k, v in current().items() if v is not None}
    for key in KEYS:
        if key not in params and key in st.query_params:
            del st.query_params[key]
    st.query_params.update(params)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=data.HASH_FUNCS)
def choices(src: data.Source) -> tuple[list[str], list[str]]:
    """The periods (years, then quarters, newest first) and the programs in the rows of ``src``."""
    rows = data.rows(src)
    date_col = DATE_COLUMNS[src.kind]
    periods = period_options(rows[date_col]) if date_col in rows else []
    programs = sorted(rows["program"].dropna().unique().tolist()) if "program" in rows else []
    return periods, programs


def sidebar(training: data.Source, kecamatan_names: list[str]) -> None:
    """Draw the filter widgets in the sidebar (options from the training data in use)."""
    st.sidebar.subheader(t("filter.title"))
    periods, programs = choices(training)
    periods, programs = [ALL] + periods, [ALL] + programs
    districts = [ALL] + list(kecamatan_names)
    # Labels are bound now, in this run's language: a format_func that looked them up later would
    # answer in whatever language the session had switched to by then.
    all_label = t("filter.all")
    for key, options in (("periode", periods), ("program", programs), ("kecamatan", districts)):
        if st.session_state.get(_state(key)) not in options:
            st.session_state[_state(key)] = ALL
        st.sidebar.selectbox(t(f"filter.{'period' if key == 'periode' else key}"), options, key=_state(key),
                             format_func=lambda v, a=all_label: a if v == ALL else v, on_change=sync_url)
    if st.session_state.get(_state("ukuran")) not in MEASURES:
        st.session_state[_state("ukuran")] = MEASURES[0]
    measure_labels = {m: measure_label(m) for m in MEASURES}
    st.sidebar.radio(t("filter.measure"), MEASURES, key=_state("ukuran"),
                     format_func=measure_labels.get, on_change=sync_url)
