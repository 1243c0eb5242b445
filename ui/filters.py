"""Filters set once and kept across pages and languages: period, program, kecamatan, measure.

Each filter's value is a language-independent key (``ALL`` = every value, a period label, a
program or kecamatan name, a measure code) kept in ``st.session_state[filter_<key>]``. The widget
that shows it has a key of its own per language (``filter_<key>__id``, ``filter_<key>__en``):
Streamlit sends a selectbox's or radio's value back as its *label*, so a widget whose labels change
with the language ("Semua" → "All") would come back with a label that is no option any more — the
value would turn into the text "Semua" or be lost. A new widget per language, seeded from the
stored value, never sees the other language's labels.

The values are written to the URL (``st.query_params``) on every run, together with ``lang``, so a
link opens the same view and moving between pages keeps the query string. Values not present in
the current data fall back to "all". :func:`chips` shows the active filters with one reset action.
The rows they select are a :class:`ui.scope.Scope` (``ui.scope.current``).
"""

from __future__ import annotations

import streamlit as st

from analysis.core.kinds import DATE_COLUMNS
from analysis.core.periods import period_options
from analysis.evidence.engine import MEASURES as MEASURE_COLUMNS
from ui import data
from ui.session import lang, md_escape, measure_label, t

ALL = "__all__"
KEYS = ("periode", "program", "kecamatan", "ukuran")
#: The filters that narrow the rows (the measure only chooses what is measured).
NARROWING = ("periode", "program", "kecamatan")
MEASURES = tuple(MEASURE_COLUMNS)
LANG_PARAM = "lang"
#: The Program page's own choice of program (when the sidebar says "all"), kept across pages and
#: written to the URL as ``pilih``: a click on the overview opens a program without filtering.
PROGRAM_CHOICE = "program_page_choice"
PROGRAM_PARAM = "pilih"


def _state(key: str) -> str:
    return f"filter_{key}"


def widget_key(key: str, language: str | None = None) -> str:
    """The key of the widget that shows filter ``key`` in ``language`` (default: the session's)."""
    return f"{_state(key)}__{language or lang()}"


def init() -> None:
    """On a session's first run, take the filters (and the Program page's choice) from the URL."""
    for key in KEYS:
        if _state(key) not in st.session_state:
            default = MEASURES[0] if key == "ukuran" else ALL
            st.session_state[_state(key)] = st.query_params.get(key, default)
    if PROGRAM_CHOICE not in st.session_state and st.query_params.get(PROGRAM_PARAM):
        st.session_state[PROGRAM_CHOICE] = st.query_params.get(PROGRAM_PARAM)


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


def reset() -> None:
    """Every narrowing filter back to "all" (the measure stays), in the URL too."""
    for key in NARROWING:
        st.session_state[_state(key)] = ALL
    sync_url()


def url_params() -> dict[str, str]:
    """What the URL holds for this view: the active filters and the language."""
    params = {k: v for k, v in current().items() if v is not None}
    params[LANG_PARAM] = lang()
    return params


def sync_url() -> None:
    """Write the filters and the language to the URL (called on every run, so a page change, which
    starts from a bare URL, gets them back)."""
    params = url_params()
    for key in (*KEYS, LANG_PARAM):
        if key not in params and key in st.query_params:
            del st.query_params[key]
    changed = {k: v for k, v in params.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)


def open_program(program: str) -> None:
    """Choose ``program`` on the Program page without touching the sidebar's program filter."""
    st.session_state[PROGRAM_CHOICE] = str(program)


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs=data.HASH_FUNCS)
def choices(src: data.Source) -> tuple[list[str], list[str]]:
    """The periods (years, then quarters, newest first) and the programs in the rows of ``src``."""
    date_col = DATE_COLUMNS[src.kind]
    rows = data.rows(src, [c for c in (date_col, "program") if c])
    periods = period_options(rows[date_col]) if date_col in rows and len(rows) else []
    programs = sorted(rows["program"].dropna().unique().tolist()) if "program" in rows else []
    return periods, programs


def _on_change(key: str) -> None:
    """A widget changed: keep its value as the filter's (language-independent) value."""
    st.session_state[_state(key)] = st.session_state[widget_key(key)]
    sync_url()


def _seed(key: str, options: list[str], default: str) -> str:
    """The stored value of ``key`` if it is among ``options`` (else ``default``), given to this
    language's widget before it is drawn."""
    value = st.session_state.get(_state(key))
    if value not in options:
        value = default
    st.session_state[_state(key)] = value
    st.session_state[widget_key(key)] = value
    return value


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
        _seed(key, options, ALL)
        st.sidebar.selectbox(t(f"filter.{'period' if key == 'periode' else key}"), options, key=widget_key(key),
                             format_func=lambda v, a=all_label: a if v == ALL else v, on_change=_on_change,
                             args=(key,))
    _seed("ukuran", list(MEASURES), MEASURES[0])
    measure_labels = {m: measure_label(m) for m in MEASURES}
    st.sidebar.radio(t("filter.measure"), MEASURES, key=widget_key("ukuran"), format_func=measure_labels.get,
                     on_change=_on_change, args=("ukuran",))


def chips() -> None:
    """The active narrowing filters as chips above the page, with one action that resets them all;
    nothing when every filter says "all"."""
    active = {k: v for k, v in current().items() if k in NARROWING and v is not None}
    if not active:
        return
    names = {"periode": t("filter.period"), "program": t("filter.program"), "kecamatan": t("filter.kecamatan")}
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(" ".join(f":blue-badge[{md_escape(names[k])}: {md_escape(v)}]" for k, v in active.items()))
    right.button(t("filter.reset"), key="filter_reset", on_click=reset, icon=":material/filter_alt_off:",
                 width="stretch")
