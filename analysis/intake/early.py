"""Loading a sheet in a child process while the side process still reads how far the sheet reaches.

calamine may load a sheet only once its extent is known to be within bounds
(:mod:`analysis.intake.extent`): one stray value at ``XFD1048576`` makes it ask for hundreds of
gigabytes and abort the process that asked. On a large sheet the side process
(:mod:`analysis.intake.sidecar`) is still reading the extent when the worker is ready to load, and
the worker would wait for it. Instead the worker forks a loader (:meth:`EarlyLoad.start`) that
loads the sheet with calamine and sends the Arrow record batch back over a pipe (Arrow IPC), while
the worker itself waits for the extent. Then:

- the extent is refused (too large, a zip bomb, an entity declaration): the loader is killed unread
  (:meth:`EarlyLoad.cancel`) and the uploader gets the extent's message, as without the loader;
- the extent is accepted: the worker takes the loader's batch (:meth:`EarlyLoad.result`);
- the loader failed (an error, an abort on a failed allocation): :meth:`EarlyLoad.result` gives
  None and the worker loads the sheet itself, exactly as it would have without the loader.

So the outcome of every file is the one it would have been without the loader; only the time
differs. The upload worker starts the loader of a sheet as soon as it has found the header, before
it imports pandas (:mod:`analysis.intake.opening`). The loader is forked from the worker, so it runs under the worker's address-space limit
(with its own CPU time; the caller's wall-clock limit covers both), and it dies with the worker
(``PR_SET_PDEATHSIG``). It writes nothing to the worker's standard error: a file that makes calamine
abort is refused by the extent check, or read again by the worker. Only a process that runs one
thread forks it (Linux).
"""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
from typing import TYPE_CHECKING, Callable

from analysis.intake.sidecar import die_with_parent

if TYPE_CHECKING:
    import pyarrow as pa


class EarlyLoad:
    """A loader process and the read end of its pipe (see the module text).

    Examples
    --------
    >>> import pyarrow as pa
    >>> early = EarlyLoad.start(lambda: pa.record_batch({"a": [1.0, 2.0]}))
    >>> early.result().column(0).to_pylist()
    [1.0, 2.0]
    >>> EarlyLoad.start(lambda: 1 / 0).result() is None  # it failed: the caller loads the sheet itself
    True
    """

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd

    @classmethod
    def start(cls, load: Callable[[], pa.RecordBatch]) -> EarlyLoad | None:
        """Fork a loader that runs ``load()`` and sends back its batch; None off Linux or in a
        process that runs more than one thread (forking it would not be safe)."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        read_fd, write_fd = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the loader (coverage does not follow forks)
            status = 1
            try:
                os.close(read_fd)
                die_with_parent()
                faulthandler.disable()  # an abort's report is not the worker's to print
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
                if os.getppid() == parent:  # else the worker ended before the request took effect
                    import pyarrow as pa  # here, not in the worker, which may not need it yet

                    batch = load()
                    with os.fdopen(write_fd, "wb") as sink, pa.ipc.new_stream(sink, batch.schema) as out:
                        out.write_batch(batch)
                    status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> pa.RecordBatch | None:
        """The loader's batch, once it has sent it; None when it failed."""
        import pyarrow as pa

        try:
            with os.fdopen(self.fd, "rb") as source:
                batches = list(pa.ipc.open_stream(source))
        except (OSError, pa.ArrowException):  # it died before or while sending
            batches = []
        _, status = os.waitpid(self.pid, 0)
        return batches[0] if status == 0 and len(batches) == 1 else None

    def cancel(self) -> None:
        """Stop the loader, whatever it was doing, and reap it."""
        os.close(self.fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
