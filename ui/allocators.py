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
resident set after the round from 450–480 MB to 360 MB.

A column of a million rows is an 8 MB block, and a view's computation makes and frees hundreds of
them. glibc serves a block above its mmap threshold with pages of its own and hands them back when
the block is freed; but each time such a block is freed it raises the threshold to that block's
size (up to 32 MB: "dynamic mmap threshold", the glibc manual's ``glibc.malloc.mmap_threshold``), so
after the first view every column-sized block comes from the arenas, and what the sessions free
there stays with the process, scattered between live blocks. ``mallopt(M_MMAP_THRESHOLD, 1 MiB)``
fixes the threshold (which also turns the raising off): every block of 1 MiB or more is mapped on
its own and returned when freed. Measured with five sessions on 1M rows: the high-water mark above
the baseline fell from 4.2 to 2.6 times the frame; on 100k rows, from 3.8 to 1.9 times (blocks
under 1 MiB stay in the arenas, where small blocks are served fastest; 256 KiB saved no more).
The price is fresh pages for every large block: at 1M rows one session's filter change took 0.57 s
against 0.38 s with glibc's own threshold; at 100k rows, where a column is 0.8 MB, nothing changes.

An operator's own ``MALLOC_ARENA_MAX``, ``MALLOC_MMAP_THRESHOLD_`` (or ``GLIBC_TUNABLES``) or
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

#: ``mallopt``'s parameter numbers (glibc ``malloc.h``): the arena cap, the mmap threshold.
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
#: Arenas the process may use.
ARENAS = 2
#: Blocks of this many bytes or more get pages of their own, returned to the kernel when freed.
MMAP_THRESHOLD = 1 << 20

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
    """Cap glibc's arenas, fix its mmap threshold and send Arrow's allocations to the system
    allocator (see the module text), unless the environment says otherwise."""
    for param, value, variable, tunable in ((M_ARENA_MAX, ARENAS, "MALLOC_ARENA_MAX", "arena_max"),
                                           (M_MMAP_THRESHOLD, MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_",
                                            "mmap_threshold")):
        if variable in os.environ or f"glibc.malloc.{tunable}" in os.environ.get("GLIBC_TUNABLES", ""):
            continue
        try:
            ctypes.CDLL("libc.so.6").mallopt(param, value)
        except (OSError, AttributeError):  # not glibc: its own allocator, left as it is
            pass
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
