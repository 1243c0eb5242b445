"""Reading an untrusted file in a worker process, with limits on memory, CPU time and wall time.

The guards of the intake refuse what they can recognise (zip bombs, entity declarations, far cells,
too many cells); a reader library can still be made to do something nobody foresaw with a crafted
file — abort the process on a failed allocation, allocate without end, spin for a minute. So the
app and the command line read every uploaded file here: :func:`read_upload` and :func:`read_file`
run :func:`analysis.intake.pipeline.read_upload` in a child process whose address space
(``RLIMIT_AS``) and CPU time (``RLIMIT_CPU``) are capped, and which is killed after a wall-clock
timeout. Whatever happens to the child, the caller — the Streamlit server with everybody's
sessions, or the command line — lives on, and the uploader gets one coded message,
``file_too_complex``. The limits come from :class:`analysis.core.config.Settings`
(``EVALUASI_INTAKE_MEMORY_MB``, ``EVALUASI_INTAKE_CPU_SECONDS``, ``EVALUASI_INTAKE_SECONDS``).

Children are forked from a ``multiprocessing`` fork server that has imported the intake and read
the sample workbooks once (:mod:`analysis.intake.warm`), so a read costs a fork and the pickling of
its result rather than a new interpreter and cold caches (the intake benchmark measures it); the
command line forks its one worker straight from itself (:func:`fork_here`) before it imports the
intake, and ``validate`` gets back only the report (:func:`report_file`), so the command line
itself never imports pandas. Each worker forks a side process under the same limits that reads the
sheets' XML (extent, numeric cells) while the worker imports, finds the header and loads
(:mod:`analysis.intake.sidecar`), and a loader when a sheet is ready to load before its extent is
known (:mod:`analysis.intake.early`). At most all cores but one read at once per process; others wait
their turn. Linux only (``resource``, ``/proc``); elsewhere the read runs in the calling process.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from analysis.core.config import ROOT, Settings, get_settings
from analysis.core.errors import AnalysisError

_LOG = logging.getLogger(__name__)
_PRELOAD = ["analysis.intake.pipeline", "analysis.intake.warm"]
_START = threading.Lock()
_STARTED = False
_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))
_FORK_HERE = False


@dataclass(frozen=True)
class Limits:
    """What one read may use: address space beyond what the worker starts with, CPU seconds, and
    wall-clock seconds (``0`` turns a limit off).

    Examples
    --------
    >>> Limits.from_settings(get_settings()).memory_bytes >= 1024 * 1024 * 1024
    True
    """

    memory_bytes: int
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits a deployment set (``EVALUASI_INTAKE_*``, see :mod:`analysis.core.config`).

        Examples
        --------
        >>> import dataclasses
        >>> Limits.from_settings(dataclasses.replace(get_settings(), intake_memory_mb=512)).memory_bytes
        536870912
        """
        return cls(int(settings.intake_memory_mb) * 1024 * 1024, int(settings.intake_cpu_seconds),
                   float(settings.intake_seconds))


def too_complex(filename: str, why: str) -> AnalysisError:
    """The one message an uploader gets when reading the file overran a limit or killed the reader.

    Examples
    --------
    >>> too_complex("rekap.xlsx", "memory").code
    'file_too_complex'
    """
    return AnalysisError(
        "file_too_complex",
        f"Berkas '{filename}' terlalu rumit untuk dibaca dengan aman dan dihentikan ({why}). Salin hanya tabel "
        "datanya ke buku kerja baru (tempel sebagai nilai), simpan sebagai .xlsx, lalu unggah lagi.",
        f"The file '{filename}' is too complex to read safely and reading it was stopped ({why}). Copy just the "
        "data table to a new workbook (paste as values), save it as .xlsx and upload again.",
        details={"why": why},
    )


def supported() -> bool:
    """Whether reads can be isolated here (Linux: ``fork``, ``resource`` and ``/proc``).

    Examples
    --------
    >>> isinstance(supported(), bool)
    True
    """
    return popen_forkserver is not None and Path("/proc/self/statm").exists()


def start() -> None:
    """Start the fork server now (it imports the intake in the background), so the first read
    does not wait for it. Reads start it themselves when needed.

    Examples
    --------
    >>> start()
    """
    global _STARTED
    if not supported():
        return
    with _START:
        if not _STARTED:
            forkserver.set_forkserver_preload(_PRELOAD)
            _STARTED = True
        # CPython 3.11's fork server ignores the sys.path it is given, and a failed preload import
        # passes silently (every worker would then import the intake itself): it finds this
        # package through PYTHONPATH instead, whatever the current folder.
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), saved) if p)
        try:
            forkserver.ensure_running()
        finally:
            if saved is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = saved


def warm() -> bool:
    """Whether this process holds the intake warmed up (:mod:`analysis.intake.warm`): true in a
    worker forked from the fork server.

    Examples
    --------
    >>> run(warm, limits=Limits(0, 10, 60))
    True
    """
    import sys

    return "analysis.intake.warm" in sys.modules


def fork_here(on: bool = True) -> None:
    """Fork workers straight from this process instead of from a fork server: for the command
    line, which reads one file and exits, so a fork server's own interpreter, imports and warm-up
    would only add to its time. Forking is safe only while this process runs one thread; a read
    made while others run still goes through the fork server.

    Examples
    --------
    >>> fork_here()
    >>> run(divmod, 7, 2, limits=Limits(256 * 1024 * 1024, 10, 30))
    (3, 1)
    >>> fork_here(False)
    """
    global _FORK_HERE
    _FORK_HERE = bool(on)


def _process_class(fn: Callable[..., Any]):
    """The worker's process class: forked here (after importing what ``fn`` needs, so the worker
    inherits it and the caller can unpickle the result), or by the fork server."""
    if _FORK_HERE and threading.active_count() == 1:
        if fn is _read:  # the caller unpickles an IntakeResult: import it once, before forking
            import analysis.intake.pipeline  # noqa: F401
        return multiprocessing.get_context("fork").Process
    start()
    return _Process


def run(fn: Callable[..., Any], *args: Any, limits: Limits, name: str = "", **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a worker process under ``limits``; its result, or the
    ``AnalysisError`` it raised, as if it had run here.

    ``fn`` and its arguments and result are pickled (``fn`` must be importable by name). A worker
    that dies, runs out of memory or CPU time, or outlives ``limits.wall_seconds`` raises
    ``file_too_complex`` naming ``name``; any other exception in the worker is a bug and raises
    ``RuntimeError`` with the worker's traceback.

    Examples
    --------
    >>> run(divmod, 7, 2, limits=Limits(256 * 1024 * 1024, 10, 30))
    (3, 1)
    """
    if not supported():  # pragma: no cover - not Linux: no isolation to offer
        return fn(*args, **kwargs)
    with _SLOTS:
        return _run_one(fn, args, kwargs, limits, name)


def _run_one(fn, args, kwargs, limits: Limits, name: str) -> Any:
    receive, send = multiprocessing.Pipe(duplex=False)
    child = _process_class(fn)(target=_child, args=(send, fn, args, kwargs, limits), daemon=True)
    child.start()
    send.close()
    message = None
    try:
        message, late = _wait(child, receive, limits.wall_seconds)
    finally:
        receive.close()
        if message is None:  # it died or ran late: stop it, and learn how it ended
            if child.is_alive():
                child.kill()
            child.join(5)
        else:  # it answered: its exit (freeing a gigabyte takes the kernel a moment) is reaped aside
            threading.Thread(target=child.join, name="intake-worker-reaper", daemon=True).start()
    if message is None:
        why = "time" if late else _death(child.exitcode)
        _LOG.warning("intake worker for %r stopped: %s (exit code %s)", name, why, child.exitcode)
        raise too_complex(name, why)
    status, payload = message
    if status == "ok":
        return payload
    if status == "error":
        code, message_id, message_en, details = payload
        raise AnalysisError(code, message_id, message_en, details)
    if status == "memory":
        raise too_complex(name, "memory")
    raise RuntimeError(f"the intake worker failed:\n{payload}")


def _wait(child, receive, wall_seconds: float) -> tuple[Any, bool]:
    """The worker's one message (None when it died first), and whether it ran out of time."""
    deadline = time.monotonic() + wall_seconds if wall_seconds else None
    while True:
        timeout = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
        if receive.poll(timeout):
            try:
                return receive.recv(), False
            except (EOFError, OSError):  # the pipe closed: the worker died before it answered
                return None, False
        if not child.is_alive():
            return (receive.recv() if receive.poll(0) else None), False
        if deadline is not None and time.monotonic() >= deadline:
            child.kill()
            return None, True


def _death(exitcode: int | None) -> str:
    """Why a worker that sent nothing stopped, in the words of the message."""
    if exitcode == -signal.SIGXCPU or exitcode == -signal.SIGKILL:
        return "CPU time"  # RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one
    return "the reader stopped"  # an abort (a failed allocation in a reader library), a crash


# --------------------------------------------------------------------------- starting a worker


try:  # POSIX: the fork server
    from multiprocessing import forkserver, popen_forkserver, process, reduction, spawn, util
    from multiprocessing.context import set_spawning_popen
except ImportError:  # pragma: no cover - Windows: reads run in the calling process
    popen_forkserver = None


if popen_forkserver is not None:

    class _Popen(popen_forkserver.Popen):
        """CPython 3.11's ``popen_forkserver.Popen._launch`` without re-running the main module.

        ``multiprocessing`` re-executes ``__main__`` in every child it starts this way, so that
        functions defined there can be unpickled; here ``__main__`` is the ``streamlit`` launcher or
        a test runner, and running it again would import Streamlit into every worker. The worker's
        body lives in this module: nothing from ``__main__`` is needed.
        """

        def _launch(self, process_obj):
            prep_data = spawn.get_preparation_data(process_obj._name)
            prep_data.pop("init_main_from_path", None)
            prep_data.pop("init_main_from_name", None)
            buf = io.BytesIO()
            set_spawning_popen(self)
            try:
                reduction.dump(prep_data, buf)
                reduction.dump(process_obj, buf)
            finally:
                set_spawning_popen(None)
            self.sentinel, w = forkserver.connect_to_new_process(self._fds)
            parent_w = os.dup(w)
            self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
            with open(w, "wb", closefd=True) as f:
                f.write(buf.getbuffer())
            self.pid = forkserver.read_signed(self.sentinel)

    class _Process(process.BaseProcess):
        """A process forked by the fork server (through :class:`_Popen`)."""

        _start_method = "forkserver"

        @staticmethod
        def _Popen(process_obj):
            return _Popen(process_obj)


# --------------------------------------------------------------------------- in the worker


def _address_space() -> int:
    """The bytes of address space this process holds now (``/proc/self/statm``, first field)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _apply(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file of gigabytes
    if limits.memory_bytes:
        cap = _address_space() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if limits.cpu_seconds:
        used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        soft = int(used) + limits.cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))


def _child(send, fn, args, kwargs, limits: Limits) -> None:
    """The worker's body: limits, the call, one message back — ``("ok", result)``,
    ``("error", (code, message_id, message_en, details))``, ``("memory", None)`` or
    ``("bug", traceback)``."""
    try:
        _apply(limits)
        message = ("ok", fn(*args, **kwargs))
    except AnalysisError as err:
        message = ("error", (err.code, err.message_id, err.message_en, err.details))
    except MemoryError:
        message = ("memory", None)
    except Exception:  # a bug: the caller raises it with this traceback
        message = ("bug", traceback.format_exc())
    try:
        send.send(message)
    except MemoryError:
        send.send(("memory", None))
    finally:
        send.close()


# --------------------------------------------------------------------------- the intake


def _read_here(data: bytes, filename: str, kind, sheet, mapping, settings: Settings):
    """The intake in this (worker) process, with the side process reading the sheets' XML beside
    it (:mod:`analysis.intake.sidecar`) — started before the intake is imported, where it is not yet
    — and the first sheet loading in a forked loader while pandas is imported."""
    from analysis.intake.sidecar import Sidecar

    sidecar = Sidecar.start(data)
    try:
        from analysis.intake.opening import open_upload  # no pandas: the header first, and the loading started

        opened = open_upload(data, filename, kind=kind, sheet=sheet, mapping=mapping, settings=settings,
                             sidecar=sidecar)
        from analysis.intake.pipeline import build  # pandas, imported while the sheet loads

        return build(opened, settings)
    finally:
        if sidecar is not None:
            sidecar.close()


def _read(data: bytes, filename: str, kind, sheet, mapping, settings: Settings):
    result = _read_here(data, filename, kind, sheet, mapping, settings)
    return replace(result, source_bytes=b"")  # the caller has them: not sent back


def _report(data: bytes, filename: str, kind, sheet, mapping, settings: Settings, lang: str) -> dict:
    from analysis.core.jsonable import to_jsonable

    return to_jsonable(_read_here(data, filename, kind, sheet, mapping, settings).report(lang))


def read_upload(data: bytes, filename: str, kind: str | None = None, sheet: str | None = None,
                mapping: dict[str, str] | None = None, settings: Settings | None = None,
                limits: Limits | None = None):
    """:func:`analysis.intake.pipeline.read_upload` in a worker process (see the module text).

    Examples
    --------
    >>> res = read_upload(b"Jenis Kegiatan;Tanggal;Kecamatan;Unit Layanan;Jumlah Peserta\\n"
    ...                   b"Forum;12/03/2025;Medan Baru;Kantor Camat;40\\n", "kegiatan.csv")
    >>> res.kind, res.rows_accepted, len(res.source_bytes)
    ('events', 1, 105)
    """
    settings = settings or get_settings()
    limits = limits or Limits.from_settings(settings)
    result = run(_read, data, filename, kind, sheet, mapping, settings, limits=limits, name=filename)
    return replace(result, source_bytes=data)


def _file_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of a file to read, refused before reading it when missing or too large."""
    if not path.is_file():
        raise AnalysisError("file_not_found", f"Berkas '{path}' tidak ditemukan.", f"File '{path}' not found.")
    size = path.stat().st_size
    if size > settings.max_upload_bytes:  # refuse before reading it into memory
        from analysis.intake.reader import too_large

        raise too_large(size, settings.max_upload_bytes)
    return path.read_bytes()


def read_file(path: str | Path, kind: str | None = None, sheet: str | None = None,
              mapping: dict[str, str] | None = None, settings: Settings | None = None,
              limits: Limits | None = None):
    """:func:`analysis.intake.pipeline.read_file` in a worker process: the file is checked and
    read here, parsed there.

    Examples
    --------
    >>> read_file("data/sample/mentoring_2025.xlsx").rows_rejected
    0
    """
    path = Path(path)
    settings = settings or get_settings()
    return read_upload(_file_bytes(path, settings), path.name, kind=kind, sheet=sheet, mapping=mapping,
                       settings=settings, limits=limits)


def report_file(path: str | Path, kind: str | None = None, sheet: str | None = None,
                mapping: dict[str, str] | None = None, settings: Settings | None = None,
                limits: Limits | None = None, lang: str = "id") -> dict:
    """The validation report of a file (``IntakeResult.report(lang)`` as plain JSON values), read in
    a worker process: what ``python -m analysis validate`` prints. Only the report comes back, so
    the caller never needs pandas or the intake.

    Examples
    --------
    >>> rep = report_file("data/sample/mentoring_2025.xlsx", lang="en")
    >>> rep["kind"], rep["rows_rejected"]
    ('mentoring', 0)
    """
    path = Path(path)
    settings = settings or get_settings()
    limits = limits or Limits.from_settings(settings)
    return run(_report, _file_bytes(path, settings), path.name, kind, sheet, mapping, settings, lang,
               limits=limits, name=path.name)
