"""How the dashboard server's process allocates and collects memory, set once before its sessions run.

A Streamlit server runs each session's script in a thread of its own, and two allocators keep
memory per thread:

- glibc's ``malloc`` gives a thread that finds the other arenas busy an arena of its own (up to
  eight per core), and what is freed in one arena serves only the threads that use it: with
  several sessions computing at once, each holds on to its own freed blocks. ``mallopt(M_ARENA_MAX,
  2)`` caps the arenas (the glibc manual, "Memory Allocation Tunables", ``glibc.malloc.arena_max``).
- Arrow's default pool in the Linux wheels (mimalloc) also keeps freed pages in heaps per thread;
  the system pool (``malloc``) hands large blocks back to the kernel when they are freed.

Measured with five sessions opening new views at once on 100k published training rows, under
``AppTest`` in one process: the server's high-water mark fell from 570 MB to 440–460 MB, and its
resident set after the round from 450–480 MB to 360 MB. An operator's own ``MALLOC_ARENA_MAX`` or
``ARROW_DEFAULT_MEMORY_POOL`` wins.

Python's cyclic garbage collector walks every tracked object on a full collection: with Streamlit,
pandas, plotly and scipy loaded that is a pause of about 0.1 s that lands in some session's rerun.
:func:`prepare_process` moves what exists when the server starts (the modules and their objects,
which live as long as the process) out of its reach with ``gc.freeze()`` (the CPython documentation
of ``gc.freeze``); what the sessions make is collected as before.
"""

from __future__ import annotations

import ctypes
import gc
import os

#: ``mallopt``'s parameter number for the arena cap (glibc ``malloc.h``: ``M_ARENA_MAX``).
M_ARENA_MAX = -8
#: Arenas the process may use.
ARENAS = 2

_done = False


def prepare_process() -> None:
    """:func:`bound_allocators`, then ``gc.freeze()`` of what the process holds now (see the module
    text); once per process. Tested in a fresh process (``tests/pages/test_memory.py``)."""
    global _done
    if _done:
        return
    _done = True
    bound_allocators()
    gc.collect()  # what is garbage now is not frozen with the rest
    gc.freeze()


def bound_allocators() -> None:
    """Cap glibc's arenas and send Arrow's allocations to the system allocator (see the module
    text), unless the environment says otherwise."""
    if "MALLOC_ARENA_MAX" not in os.environ:
        try:
            ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, ARENAS)
        except (OSError, AttributeError):  # not glibc: its own allocator, left as it is
            pass
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
