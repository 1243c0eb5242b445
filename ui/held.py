"""The rows of a data source, held once per server process and shared by every session and scope.

A :class:`HeldRows` keeps one frame per source (a published version, or the sample): read-only,
its columns read from the store on first use (the rows are stored as Parquet, which is columnar),
so a server that only ever draws the overview never holds the names or the unit of work. Callers
get shallow copies: with pandas' copy-on-write, a shallow copy shares the data and a caller that
changes its copy changes only its copy, never the frame held here.

It also keeps, per filter combination, which rows are in scope (a boolean mask computed once by
``analysis.core.groups.select_mask``, the one row filter), so a scope's rows are taken without
filtering the whole frame again, and its count is known without taking them.

:class:`Holder` is the process's set of held sources, at most :data:`KEEP_PER_KIND` per kind of
data (the newest used): publishing a new version lets the previous one go once no session asks for
it any more, so the memory held stays about one frame per kind.

No Streamlit here: ``ui.data`` owns the one :class:`Holder` of the process (``st.cache_resource``)
and tells it how to load a source.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

import numpy as np
import pandas as pd

from analysis.core.groups import select_mask

#: Sources held per kind of data: the one in use and the one before (a session still running on it).
KEEP_PER_KIND = 2
#: Filter combinations whose masks are kept per source (one byte per row each).
KEEP_MASKS = 16
#: The columns the row filter reads besides the date column.
FILTER_COLUMNS = ("kelompok", "program", "kecamatan")

#: ``load(columns)``: the source's rows with ``columns`` (``None`` = every column); names the
#: source does not have are left out.
Loader = Callable[[list[str] | None], pd.DataFrame]


class HeldRows:
    """The rows of one source: the columns loaded so far, and the masks of the filters used.

    Parameters
    ----------
    load : callable
        ``load(columns)`` → the rows with those columns (every column when ``None``).
    date_col : str or None
        The column a period filter reads.
    columnar : bool
        Whether ``load`` reads only the columns asked (a published version); else the first use
        loads every column (the sample, small and read whole from its workbook).

    Examples
    --------
    >>> full = pd.DataFrame({"program": ["A", "B", "A"], "nilai_pre": [60.0, 70.0, 80.0]})
    >>> asked = []
    >>> held = HeldRows(lambda cols: asked.append(cols) or (full if cols is None else full[[c for c in cols
    ...                                                                                   if c in full]]), None)
    >>> held.frame(["nilai_pre", "bobot"]).columns.tolist(), held.frame(["nilai_pre"]).shape, asked
    (['nilai_pre'], (3, 1), [['nilai_pre', 'bobot']])
    >>> held.select(None, "A", None, ["nilai_pre"])["nilai_pre"].tolist(), held.count(None, "A", None)
    ([60.0, 80.0], 2)
    """

    def __init__(self, load: Loader, date_col: str | None, columnar: bool = True):
        self._load = load
        self._date_col = date_col
        self._columnar = columnar
        self._lock = threading.Lock()
        self._frame: pd.DataFrame | None = None
        self._asked: set[str] = set()  # every column asked for (held, or absent from the source)
        self._order: list[str] | None = None  # every column of the source, in stored order, once all are held
        self._masks: OrderedDict = OrderedDict()

    # ------------------------------------------------------------------ columns

    def frame(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Every row, with ``columns`` (those the source has, in the order asked; every column when
        ``None``), as a new frame sharing the held data."""
        with self._lock:
            held = self._columns(columns)
        if columns is None:
            return held[self._order]
        return held[[c for c in dict.fromkeys(columns) if c in held.columns]]

    def _columns(self, columns: Sequence[str] | None) -> pd.DataFrame:
        """The held frame with at least ``columns`` loaded (under the lock)."""
        if self._order is not None:
            return self._frame
        if columns is None or not self._columnar:
            self._frame = self._load(None)
            self._order = list(self._frame.columns)
            return self._frame
        missing = [c for c in dict.fromkeys(columns) if c not in self._asked]
        if missing or self._frame is None:
            loaded = self._load(missing)
            self._asked.update(missing)
            if self._frame is None:
                self._frame = loaded
            elif loaded.shape[1]:
                self._frame = pd.concat([self._frame, loaded], axis=1)
        return self._frame

    def nbytes(self) -> int:
        """Bytes of the columns held (``memory_usage(deep=True)``)."""
        with self._lock:
            frame = self._frame
        return 0 if frame is None else int(frame.memory_usage(deep=True).sum())

    def dtype(self, column: str):
        """The dtype of ``column`` (None when the source has no such column), without taking rows."""
        frame = self.frame([column])
        return frame[column].dtype if column in frame else None

    # ------------------------------------------------------------------ scopes

    def mask(self, periode: str | None, program: str | None, kecamatan: str | None) -> np.ndarray | None:
        """The rows inside the filters (``select_mask``), ``None`` when every row is inside (no filter,
        or a filter every row passes: no copy is taken); computed once per combination (the last
        :data:`KEEP_MASKS` are kept)."""
        if not (periode or program or kecamatan):
            return None
        key = (periode, program, kecamatan)
        with self._lock:
            if key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
        columns = [c for c in (self._date_col, *FILTER_COLUMNS) if c]
        found = select_mask(self.frame(columns), self._date_col, periode=periode, program=program,
                            kecamatan=kecamatan)
        if found is not None:
            found.flags.writeable = False  # shared by every caller
        with self._lock:
            self._masks[key] = found
            while len(self._masks) > KEEP_MASKS:
                self._masks.popitem(last=False)
        return found

    def select(self, periode: str | None, program: str | None, kecamatan: str | None,
               columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows inside the filters with ``columns`` (every column when ``None``): a copy of the
        rows in scope only, or the held rows themselves (shared) when every row is in scope."""
        frame = self.frame(columns)
        mask = self.mask(periode, program, kecamatan)
        return frame if mask is None else frame.loc[mask]

    def count(self, periode: str | None, program: str | None, kecamatan: str | None) -> int:
        """How many rows are inside the filters, without taking them."""
        mask = self.mask(periode, program, kecamatan)
        return len(self.frame([])) if mask is None else int(np.count_nonzero(mask))


class Holder:
    """The sources held by the process: at most :data:`KEEP_PER_KIND` per kind, the most recently
    used kept.

    Examples
    --------
    >>> holder = Holder()
    >>> made = lambda: HeldRows(lambda cols: pd.DataFrame({"a": [1]}), None)
    >>> first = holder.get("training", 1, made)
    >>> holder.get("training", 1, made) is first
    True
    >>> _ = holder.get("training", 2, made), holder.get("training", 3, made)
    >>> holder.keys()
    [('training', 2), ('training', 3)]
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._kinds: dict[str, OrderedDict] = {}

    def get(self, kind: str, key: Hashable, make: Callable[[], HeldRows]) -> HeldRows:
        """The held rows of ``(kind, key)``, made by ``make()`` on first use."""
        with self._lock:
            held = self._kinds.setdefault(kind, OrderedDict())
            if key in held:
                held.move_to_end(key)
                return held[key]
            made = held[key] = make()
            while len(held) > KEEP_PER_KIND:
                held.popitem(last=False)
            return made

    def keys(self) -> list[tuple]:
        """``(kind, key)`` of every source held, least recently used first within a kind."""
        with self._lock:
            return [(kind, key) for kind, held in self._kinds.items() for key in held]

    def nbytes(self) -> int:
        """Bytes of every column held (``memory_usage(deep=True)``)."""
        with self._lock:
            every = [h for held in self._kinds.values() for h in held.values()]
        return sum(h.nbytes() for h in every)
