"""A process beside the upload worker that reads the sheets' XML while the worker does the rest.

Before calamine may load a sheet, the intake reads the sheet's XML once to learn how far it reaches
(:mod:`analysis.intake.extent`), and for some text columns it reads it again to learn which cells
were numbers (:mod:`analysis.intake.celltypes`). Both passes need only the standard library, and
neither needs what the worker does meanwhile: importing pandas and the contracts, finding the
header, loading the sheet with calamine. So the worker forks this side process first
(:meth:`Sidecar.start`): it reads the extent of every worksheet in turn, then answers the worker's
requests for numeric cells, while the worker works on the other core. Calamine's batch is used
only once the sheet's extent is known (loaded meanwhile by :mod:`analysis.intake.early`), and the
worker computes anything itself when the side process is gone.

The side process is forked from the worker after the worker's limits are set, so it runs under the
same limits, at a lower priority (:data:`NICE`), and it dies with the worker
(``PR_SET_PDEATHSIG``). Only a process that runs one thread forks it (Linux).
"""

from __future__ import annotations

import array
import io
import os
import signal
import threading
import zipfile
from multiprocessing.connection import Connection, Pipe

from analysis.core.errors import AnalysisError
from analysis.intake.celltypes import numeric_rows
from analysis.intake.extent import MAX_CELLS, Extent, sheet_extent
from analysis.intake.xlsx import check_xml_part, worksheets

_ZIP_MAGIC = b"PK\x03\x04"
_GONE = object()
#: How much lower the side process's priority is than the worker's: what it reads is needed only
#: once the sheet has loaded, so on a busy machine the worker and its loader go first (the worker
#: waits idle for an answer it needs, and then the side process has the core).
NICE = 10


def die_with_parent() -> None:
    """Ask Linux to kill this process when the worker that forked it ends (``prctl(PR_SET_PDEATHSIG)``).

    Examples
    --------
    >>> pid = os.fork()
    >>> if pid == 0:  # a child: it would now end with this process
    ...     die_with_parent()
    ...     os._exit(0)
    >>> os.waitpid(pid, 0)[1]
    0
    """
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        pass


def _error(err: AnalysisError) -> tuple:
    return ("error", err.code, err.message_id, err.message_en, err.details)


def _extent(zf: zipfile.ZipFile, part: str, max_cells: int):
    """A part's extent, the error the intake would raise for it, or None (the worker reads it then)."""
    try:
        check_xml_part(zf, part)
        return sheet_extent(zf, part, max_cells)
    except AnalysisError as err:
        return _error(err)
    except Exception:  # a broken zip member: the worker reports it as it always has
        return None


def _numeric(zf: zipfile.ZipFile, part: str, header_row0: int, columns: list[int], canonical: bool):
    try:
        found = numeric_rows(lambda: zf.open(part), header_row0, columns, canonical=canonical)
    except AnalysisError as err:
        return _error(err)
    except Exception:
        return None
    return {c: array.array("q", rows).tobytes() for c, rows in found.items()}


def _serve(conn: Connection, data: bytes, max_cells: int) -> None:
    """The side process: every worksheet's extent, then the numeric cells asked for, until the
    worker closes its end."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = set(zf.namelist())
    try:
        parts = list(dict.fromkeys(path for _, path, _ in worksheets(zf) if path in names))
    except Exception:  # the worker refuses the workbook with the right message
        parts = []
    canonical: dict[str, bool] = {}

    def answer(request) -> None:
        _, part, header_row0, columns = request
        conn.send(("numeric", (part, header_row0, tuple(columns)),
                   _numeric(zf, part, header_row0, columns, canonical.get(part, False))))

    for part in parts:
        while conn.poll(0):
            answer(conn.recv())
        found = _extent(zf, part, max_cells)
        if isinstance(found, Extent):
            canonical[part] = found.canonical
        conn.send(("extent", part, found))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        answer(request)


class Sidecar:
    """The worker's end of the side process (see the module text).

    Examples
    --------
    >>> import io, xlsxwriter
    >>> buf = io.BytesIO()
    >>> wb = xlsxwriter.Workbook(buf); ws = wb.add_worksheet("REKAP")
    >>> _ = ws.write_column(0, 0, ["NIP", 198503122010011000, "198503122010011003"]); wb.close()
    >>> car = Sidecar.start(buf.getvalue())
    >>> car.extent("xl/worksheets/sheet1.xml", 25_000_000)  # the canonical form's bound: rows ≤ 99,999, A–Z
    Extent(rows=99999, columns=26)
    >>> {c: rows.tolist() for c, rows in car.numeric("xl/worksheets/sheet1.xml", 0, [0]).items()}
    {0: [2]}
    >>> car.close()
    """

    def __init__(self, pid: int, conn: Connection, max_cells: int) -> None:
        self.pid, self.conn, self.max_cells = pid, conn, max_cells
        self._extents: dict[str, object] = {}
        self._numeric: dict[tuple, object] = {}
        self._asked: set[tuple] = set()
        self._gone = False

    @classmethod
    def start(cls, data: bytes, max_cells: int = MAX_CELLS) -> Sidecar | None:
        """Fork the side process for an ``.xlsx``/``.xlsm`` file's bytes; None for other files, off
        Linux, or in a process that runs more than one thread (forking it would not be safe)."""
        if not data.startswith(_ZIP_MAGIC) or not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        here, there = Pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the side process (coverage does not follow forks)
            status = 1
            try:
                here.close()
                die_with_parent()
                os.nice(NICE)
                if os.getppid() == parent:  # else the worker ended before the request took effect
                    _serve(there, data, max_cells)
                    status = 0
            finally:
                os._exit(status)
        there.close()
        return cls(pid, here, max_cells)

    def _take(self) -> None:
        """Read one message and file it (or learn that the process has ended)."""
        try:
            kind, got_key, payload = self.conn.recv()
        except (EOFError, OSError):
            self._gone = True
            return
        (self._extents if kind == "extent" else self._numeric)[got_key] = payload

    def _receive(self, key_of, key) -> object:
        """Read messages until the answer for ``key`` has come (``_GONE`` when the process ended)."""
        store = self._extents if key_of == "extent" else self._numeric
        while key not in store and not self._gone:
            self._take()
        return store.get(key, _GONE)

    def ready(self, part: str) -> bool:
        """Whether the extent of worksheet ``part`` has come, without waiting for it."""
        try:
            while part not in self._extents and not self._gone and self.conn.poll(0):
                self._take()
        except OSError:
            self._gone = True
        return part in self._extents

    @staticmethod
    def _raise_if_error(payload) -> None:
        if isinstance(payload, tuple) and payload and payload[0] == "error":
            raise AnalysisError(*payload[1:])

    def extent(self, part: str, max_cells: int) -> Extent | None:
        """The extent of worksheet ``part`` as :func:`analysis.intake.extent.sheet_extent` gives it
        for ``max_cells``; raises the error reading it gave; None when the caller must read it itself."""
        if max_cells != self.max_cells:
            return None
        payload = self._receive("extent", part)
        if payload is _GONE or payload is None:
            return None
        self._raise_if_error(payload)
        return payload  # type: ignore[return-value]

    def ask_numeric(self, part: str, header_row0: int, columns: list[int]) -> None:
        """Ask now for the numeric cells of ``columns`` below ``header_row0`` (answered meanwhile)."""
        key = (part, header_row0, tuple(columns))
        if not columns or key in self._asked or self._gone:
            return
        try:
            self.conn.send(("numeric", part, header_row0, list(columns)))
            self._asked.add(key)
        except OSError:
            self._gone = True

    def numeric(self, part: str, header_row0: int, columns: list[int]):
        """Per column, the Excel rows whose cell is a number (int64 arrays), as
        :func:`analysis.intake.celltypes.numeric_rows` gives them; None when the caller must read
        them itself."""
        import numpy as np

        wanted = set(columns)
        key = next((k for k in self._asked if k[0] == part and k[1] == header_row0 and wanted <= set(k[2])), None)
        if key is None:
            key = (part, header_row0, tuple(columns))
            self.ask_numeric(part, header_row0, columns)
        payload = self._receive("numeric", key)
        if payload is _GONE or payload is None:
            return None
        self._raise_if_error(payload)
        return {c: np.frombuffer(payload[c], dtype=np.int64) for c in columns}  # type: ignore[index]

    def close(self) -> None:
        """End the side process (whatever it was doing) and reap it."""
        self.conn.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
