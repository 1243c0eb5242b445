"""Cached wrappers for the citizen-voice page: IKM, before/after, engagement, comments.

Thin: each function calls one ``analysis`` function on the rows of one or more
:class:`ui.scope.Scope` and caches its result, keyed on the scopes (source and filter values,
``ui.scope.cached``) and the other arguments. So a filter change that comes back to an earlier
view redraws from the cache, and a newly published version (a new source) recomputes.

The theme keyword dictionary is the shipped ``data/tema_saran.csv`` until an administrator saves an
edit, which is stored in the database as a new version (``store.themes``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.core.periods import period_labels
from analysis.voice import before_after as ba
from analysis.voice import engagement
from analysis.voice import ikm
from analysis.voice import themes
from analysis.voice.before_after import BeforeAfter
from store import themes as theme_store
from ui import data, session
from ui.scope import HASH_FUNCS, Scope, cached


# --------------------------------------------------------------------------- IKM


@cached(max_entries=64)
def ikm_table(feedback: Scope, by: str | None, default_population: int | None, lang: str,
              period: str | None = None, population: tuple = ()) -> pd.DataFrame:
    """``analysis.voice.ikm.ikm_table`` of the scope's feedback; ``population`` as ``(name, users)`` pairs."""
    return ikm.ikm_table(feedback.rows, by=by, period=period, population=dict(population) or None,
                         default_population=default_population, lang=lang)


#: The training columns the before/after reads: who took part, in which unit, when.
BEFORE_AFTER_TRAINING = ("program", "kelompok", "unit_kerja", "tanggal_mulai", "tanggal_selesai")


@cached(max_entries=32)
def before_after(feedback: Scope, training: Scope, program: str | None, lang: str) -> BeforeAfter:
    """``analysis.voice.before_after.before_after`` for one program, or for every program together
    (``None``). Raises ``AnalysisError`` (not cached) when it cannot be computed."""
    return ba.before_after(feedback.rows, training=training.select(BEFORE_AFTER_TRAINING), program=program,
                           all_programs=program is None, lang=lang)


@cached(max_entries=32)
def unit_change(feedback: Scope, units: tuple[str, ...], before: tuple, after: tuple, lang: str) -> pd.DataFrame:
    """``analysis.voice.before_after.unit_change``: IKM of each unit in the before and the after round."""
    return ba.unit_change(feedback.rows, units, before, after, lang=lang)


# --------------------------------------------------------------------------- the values to choose from


@cached(max_entries=32)
def options(feedback: Scope) -> dict[str, list[str]]:
    """The values found in the scope's feedback, sorted, for the pickers: ``unit_layanan``,
    ``kecamatan`` and ``periode`` (the quarters of ``tanggal``)."""
    rows = feedback.select(["unit_layanan", "kecamatan", "tanggal"])

    def distinct(values) -> list[str]:
        return sorted(pd.Series(values).dropna().astype(str).unique().tolist())

    return {"unit_layanan": distinct(rows["unit_layanan"]) if "unit_layanan" in rows else [],
            "kecamatan": distinct(rows["kecamatan"]) if "kecamatan" in rows else [],
            "periode": distinct(period_labels(rows["tanggal"])) if "tanggal" in rows else []}


# --------------------------------------------------------------------------- engagement


@cached(max_entries=32)
def engagement_table(events: Scope, feedback: Scope, by: str, period: str,
                     lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``analysis.voice.engagement.engagement_table`` and its (descriptive) association."""
    table = engagement.engagement_table(events.rows, feedback.rows, by=by, period=period, lang=lang)
    return table, engagement.engagement_association(table, by=by)


# --------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class CommentSearch:
    """What the reader asked of the comments: words, and the values chosen per column (empty = all)."""

    text: str | None = None
    unit: tuple[str, ...] = ()
    kecamatan: tuple[str, ...] = ()
    periode: tuple[str, ...] = ()
    grade: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()


@cached(max_entries=8)
def _load_themes(version: int) -> pd.DataFrame:
    return themes.parse_themes(theme_store.current_themes(data.store()).frame)


def theme_dictionary() -> tuple[pd.DataFrame, str]:
    """The keyword dictionary in force (stored in the database) and a stamp that changes with each edit."""
    version = theme_store.theme_version(data.store())
    return _load_themes(version), str(version)


def themes_edited() -> bool:
    """Whether an administrator's edit is in force (rather than the shipped dictionary)."""
    return theme_store.current_themes(data.store()).edited


def save_themes(frame: pd.DataFrame) -> pd.DataFrame:
    """Save the administrator's edited dictionary as a new version in the database, audited."""
    clean = themes.themes_frame(zip(frame["tema"].tolist(), frame["kata_kunci"].tolist()), source="admin")
    theme_store.save_themes(data.store(), clean, _actor())
    return clean


def reset_themes() -> None:
    """Go back to the shipped dictionary (a new version; the edits stay in the history), audited."""
    theme_store.reset_themes(data.store(), _actor())


def _actor() -> str:
    u = session.user()
    return getattr(u, "username", None) or "-"


@st.cache_data(show_spinner=False, max_entries=8, ttl=dt.timedelta(minutes=30), hash_funcs=HASH_FUNCS)
def comments(feedback: Scope, search: CommentSearch, themes_stamp: str, lang: str) -> pd.DataFrame:
    """``analysis.voice.themes.search_comments`` with the dictionary in use (``themes_stamp`` names it).

    The one wrapper whose result is rows (the comments found, for the table and the download): few
    entries, kept half an hour."""
    dictionary, _ = theme_dictionary()
    return themes.search_comments(feedback.rows, text=search.text or None, unit=list(search.unit) or None,
                                  kecamatan=list(search.kecamatan) or None, periode=list(search.periode) or None,
                                  grade=list(search.grade) or None, theme=list(search.theme) or None,
                                  themes=dictionary, lang=lang)


@cached(max_entries=64)
def theme_counts(feedback: Scope, search: CommentSearch, themes_stamp: str, lang: str) -> pd.DataFrame:
    """``analysis.voice.themes.theme_counts`` of the comments :func:`comments` finds."""
    dictionary, _ = theme_dictionary()
    return themes.theme_counts(comments(feedback, search, themes_stamp, lang), themes=dictionary)
