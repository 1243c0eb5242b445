"""What a view shows — a data source and the shared filters applied to it — and the cache keyed on it.

A :class:`Scope` is a small, frozen record: the :class:`ui.data.Source` (which published version,
or the sample) and the period, program and kecamatan that select its rows (``None`` = all). Its
rows are read on first use (``analysis.core.groups.select_rows``), not when it is made. The cached
wrappers in ``ui.evidence_cache`` and ``ui.voice_cache`` take scopes as arguments: :func:`cached`
hashes a scope by :meth:`Scope.cache_key` (``hash_funcs``), never by its rows, so no caller builds
a key by hand, a filter change that comes back to an earlier view redraws from the cache, and a
newly published version (a new source) computes afresh while every other entry stays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.core.groups import select_rows
from analysis.core.kinds import DATE_COLUMNS
from ui import data, filters


@dataclass(frozen=True)
class Scope:
    """The rows of ``source`` inside ``periode``, ``program`` and ``kecamatan`` (``None`` = all)."""

    source: data.Source
    periode: str | None = None
    program: str | None = None
    kecamatan: str | None = None

    def cache_key(self) -> tuple:
        """The source's identity and the filter values, for ``st.cache_data(hash_funcs=...)``."""
        return (self.source.cache_key(), self.periode, self.program, self.kecamatan)

    @functools.cached_property
    def rows(self) -> pd.DataFrame:
        """The rows in scope, read once per scope object (comparison rows as ``select_rows`` keeps them)."""
        return select_rows(data.rows(self.source), DATE_COLUMNS[self.source.kind], periode=self.periode,
                           program=self.program, kecamatan=self.kecamatan)


#: For ``st.cache_data``: scopes and sources are hashed by their identity, not their rows.
HASH_FUNCS = {**data.HASH_FUNCS, Scope: Scope.cache_key}


def cached(max_entries: int):
    """``st.cache_data`` for the wrappers of ``analysis`` calls: bounded to ``max_entries`` results,
    without a spinner, with :class:`Scope` and :class:`ui.data.Source` arguments hashed by identity."""
    return st.cache_data(show_spinner=False, max_entries=max_entries, hash_funcs=HASH_FUNCS)


def whole(kind: str) -> Scope:
    """Every row of ``kind`` (this run's source, no filter)."""
    return Scope(data.source(kind))


def current(kind: str = "training", *, use_period: bool = True, use_program: bool = True,
            use_kecamatan: bool = True, program: str | None = None) -> Scope:
    """The rows of ``kind`` under the sidebar's filters (``ui.filters.current()``).

    ``use_period=False`` / ``use_program=False`` / ``use_kecamatan=False`` ignore that filter (a
    map needs every district); ``program`` overrides the program filter (the Program page's own
    choice).
    """
    f = filters.current()
    return Scope(data.source(kind),
                 periode=f["periode"] if use_period else None,
                 program=program if program is not None else (f["program"] if use_program else None),
                 kecamatan=f["kecamatan"] if use_kecamatan else None)
