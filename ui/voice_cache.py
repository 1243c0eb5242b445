"""Cached wrappers for the citizen-voice page: IKM, before/after, engagement, comments.

Thin: each function calls one ``analysis`` function and caches its result with ``st.cache_data``.
The frames are passed with a leading underscore (not hashed); the cache key is the ``key``
argument — the data sources' ``Source.key`` plus the filters that shaped the frame (see
:func:`scope_key`) — and the other arguments. So a filter change that comes back to an earlier
view redraws from the cache, and a newly published version (a new ``Source.key``) recomputes.

The theme keyword dictionary lives in ``data/tema_saran.csv``; an administrator's edited copy is
kept in the data folder (``EVALUASI_DATA_DIR/tema_saran.csv``) and wins when present.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.voice import engagement
from analysis.voice import ikm
from analysis.voice import themes
from ui import data, session
from ui.evidence_cache import scope_key  # noqa: F401  (one cache-key rule for every page)


# --------------------------------------------------------------------------- IKM


@st.cache_data(show_spinner=False, max_entries=64)
def ikm_table(key: str, _feedback: pd.DataFrame, by: str | None, default_population: int | None,
              lang: str, period: str | None = None, population: tuple = ()) -> pd.DataFrame:
    """``analysis.voice.ikm.ikm_table`` of the filtered feedback; ``population`` as ``(name, users)`` pairs."""
    return ikm.ikm_table(_feedback, by=by, period=period, population=dict(population) or None,
                         default_population=default_population, lang=lang)


@st.cache_data(show_spinner=False, max_entries=32)
def before_after(key: str, _feedback: pd.DataFrame, _training: pd.DataFrame, program: str | None,
                 lang: str) -> ikm.BeforeAfter:
    """``analysis.voice.ikm.before_after`` for one program, or for every program together (``None``):
    then the trained units are all participants' units and the program span runs from the first
    start to the last end. Raises ``AnalysisError`` (not cached) when it cannot be computed."""
    if program is not None:
        return ikm.before_after(_feedback, training=_training, program=program, lang=lang)
    peserta = _training[_training["kelompok"].astype("str").str.lower() == "peserta"]
    units = sorted({u for u in peserta["unit_kerja"].map(ikm.normalise_unit) if u})
    start = pd.to_datetime(peserta["tanggal_mulai"], errors="coerce").min()
    ends = pd.to_datetime(peserta.get("tanggal_selesai", peserta["tanggal_mulai"]), errors="coerce")
    end = ends.max() if ends.notna().any() else start
    if not units or pd.isna(start):
        # the same message as a single program without participants
        return ikm.before_after(_feedback, training=_training, program=program, lang=lang)
    return ikm.before_after(_feedback, training=_training, units=units, start=start, end=end, lang=lang)


@st.cache_data(show_spinner=False, max_entries=32)
def unit_change(key: str, _feedback: pd.DataFrame, units: tuple[str, ...], before: tuple, after: tuple,
                lang: str) -> pd.DataFrame:
    """``analysis.voice.ikm.unit_change``: IKM of each unit in the before and the after round."""
    return ikm.unit_change(_feedback, units, before, after, lang=lang)


# --------------------------------------------------------------------------- engagement


@st.cache_data(show_spinner=False, max_entries=32)
def engagement_table(key: str, _events: pd.DataFrame, _feedback: pd.DataFrame, by: str, period: str,
                     lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``analysis.voice.engagement.engagement_table`` and its (descriptive) association."""
    table = engagement.engagement_table(_events, _feedback, by=by, period=period, lang=lang)
    return table, engagement.engagement_association(table, by=by)


# --------------------------------------------------------------------------- comments


def _themes_stamp() -> str:
    path = themes.themes_in_use()
    stat = path.stat()
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


@st.cache_data(show_spinner=False, max_entries=8)
def _load_themes(stamp: str) -> pd.DataFrame:
    return themes.load_themes(stamp.rsplit(":", 2)[0])


def theme_dictionary() -> tuple[pd.DataFrame, str]:
    """The keyword dictionary in use and a stamp that changes whenever it is edited."""
    stamp = _themes_stamp()
    return _load_themes(stamp), stamp


def save_themes(frame: pd.DataFrame) -> pd.DataFrame:
    """Write the administrator's edited dictionary (``analysis.voice.themes.save_themes``), audited."""
    clean = themes.save_themes(frame, data.store(), _actor())
    _load_themes.clear()
    return clean


def reset_themes() -> None:
    """Go back to the bundled dictionary (the edited copy is removed), audited."""
    themes.reset_themes(data.store(), _actor())
    _load_themes.clear()


def _actor() -> str:
    u = session.user()
    return getattr(u, "username", None) or "-"


@st.cache_data(show_spinner=False, max_entries=64)
def comments(key: str, _feedback: pd.DataFrame, text: str | None, unit: tuple | None, kecamatan: tuple | None,
             periode: tuple | None, grade: tuple | None, theme: tuple | None, themes_stamp: str,
             lang: str) -> pd.DataFrame:
    """``analysis.voice.themes.search_comments`` with the dictionary in use."""
    dictionary, _ = theme_dictionary()
    return themes.search_comments(_feedback, text=text or None, unit=list(unit) if unit else None,
                                  kecamatan=list(kecamatan) if kecamatan else None,
                                  periode=list(periode) if periode else None,
                                  grade=list(grade) if grade else None,
                                  theme=list(theme) if theme else None, themes=dictionary, lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def theme_counts(key: str, _found: pd.DataFrame, themes_stamp: str) -> pd.DataFrame:
    """``analysis.voice.themes.theme_counts`` of the comments found."""
    dictionary, _ = theme_dictionary()
    return themes.theme_counts(_found, themes=dictionary)
