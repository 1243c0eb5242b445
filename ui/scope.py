"""What a view shows — a data source and the shared filters applied to it — and the cache keyed on it.

A :class:`Scope` is a small, frozen record: the :class:`ui.data.Source` (which published version,
or the sample) and the period, program and kecamatan that select its rows (``None`` = all). Its
rows are taken on use from the frame the process holds once (``ui.data.held``): which rows are in
scope is worked out once per filter combination (``analysis.core.groups.select_mask``), and
:meth:`Scope.select` takes only the columns a computation reads. The cached wrappers in
``ui.evidence_cache`` and ``ui.voice_cache`` take scopes as arguments: :func:`cached` hashes a scope
by :meth:`Scope.cache_key` (``hash_funcs``), never by its rows, so no caller builds a key by hand, a
filter change that comes back to an earlier view redraws from the cache, and a newly published
version (a new source) computes afresh while every other entry stays.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

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

    def select(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows in scope with ``columns`` (those the source has; every column when ``None``),
        comparison rows as ``select_rows`` keeps them. Taken on each call: for a computation that is
        cached, not for every run."""
        return data.held(self.source).select(self.periode, self.program, self.kecamatan, columns)

    @functools.cached_property
    def rows(self) -> pd.DataFrame:
        """Every column of the rows in scope, taken once per scope object."""
        return self.select()

    @property
    def size(self) -> int:
        """How many rows are in scope (comparison rows included), without taking them."""
        return data.held(self.source).count(self.periode, self.program, self.kecamatan)

    @property
    def empty(self) -> bool:
        """Whether no row is in scope."""
        return self.size == 0

    def dtype(self, column: str):
        """The dtype of ``column`` in the source (None when it has no such column)."""
        return data.held(self.source).dtype(column)


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
