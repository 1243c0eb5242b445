"""Filters set once and kept across pages: period, program, kecamatan, measure.

They live in ``st.session_state`` and are written to the URL (``st.query_params``), so a link
opens the same view. Values not present in the current data fall back to "all".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.session import t

ALL = "__all__"
KEYS = ("periode", "program", "kecamatan", "ukuran")
MEASURES = ("knowledge", "performance")


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


def period_options(dates: pd.Series) -> list[str]:
    """Years and quarters present in the data, newest first: ``2025``, ``2025-Q4``, …"""
    d = pd.to_datetime(dates, errors="coerce").dropna()
    years = sorted({str(y) for y in d.dt.year}, reverse=True)
    quarters = sorted({f"{y}-Q{q}" for y, q in zip(d.dt.year, d.dt.quarter)}, reverse=True)
    return years + quarters


def in_period(dates: pd.Series, period: str | None) -> pd.Series:
    """Mask of the dates inside ``period`` (``"2025"`` or ``"2025-Q3"``); all True for None."""
    if not period:
        return pd.Series(True, index=dates.index)
    d = pd.to_datetime(dates, errors="coerce")
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return ((d.dt.year == int(year)) & (d.dt.quarter == int(quarter))).fillna(False)
    return (d.dt.year == int(period)).fillna(False)


def apply(frame: pd.DataFrame, date_col: str, *, program: bool = True) -> pd.DataFrame:
    """Rows of ``frame`` inside the active period, program and kecamatan filters.

    Comparison-group rows (training ``kelompok == "pembanding"``) are kept whatever the program
    filter says, since they serve as the comparison for every program.
    """
    f = current()
    mask = in_period(frame[date_col], f["periode"]) if date_col in frame else pd.Series(True, index=frame.index)
    if date_col in frame and "kelompok" in frame:
        mask |= frame["kelompok"].eq("pembanding") & frame[date_col].isna()
    if program and f["program"] and "program" in frame:
        keep = frame["program"].eq(f["program"])
        if "kelompok" in frame:
            keep |= frame["kelompok"].eq("pembanding")
        mask &= keep
    if f["kecamatan"] and "kecamatan" in frame:
        mask &= frame["kecamatan"].eq(f["kecamatan"])
    return frame.loc[mask.fillna(False).to_numpy()]


def sidebar(training: pd.DataFrame, kecamatan_names: list[str]) -> None:
    """Draw the filter widgets in the sidebar (options from the data in use)."""
    st.sidebar.subheader(t("filter.title"))
    periods = [ALL] + period_options(training.get("tanggal_mulai", pd.Series(dtype="datetime64[us]")))
    programs = [ALL] + sorted(training["program"].dropna().unique().tolist()) if "program" in training else [ALL]
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
    measure_labels = {m: t(f"measure.{m}") for m in MEASURES}
    st.sidebar.radio(t("filter.measure"), MEASURES, key=_state("ukuran"),
                     format_func=measure_labels.get, on_change=sync_url)
