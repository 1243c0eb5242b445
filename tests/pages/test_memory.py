"""The dashboard's memory across reruns: the published rows are held once per process, and a rerun
whose view did not change leaves no frame in a reference cycle (which only the cyclic collector
would free, so memory would climb between collections)."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from apptest_helpers import make_app, publish, run_page, sample_rows

from ui import data

PAGES = ["pages/ringkasan.py", "pages/program.py", "pages/kecamatan.py", "pages/suara_masyarakat.py"]


def _frames_in_cycles(run) -> list[int]:
    """Run ``run()`` with the cyclic collector off, then collect: the lengths of the pandas frames
    and series it would have had to free."""
    gc.collect()
    gc.disable()
    try:
        run()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = [len(o) for o in gc.garbage if isinstance(o, (pd.DataFrame, pd.Series))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found


@pytest.mark.parametrize("page", PAGES)
def test_an_unchanged_rerun_leaves_no_frame_in_a_cycle(tmp_path, monkeypatch, page):
    at = make_app(tmp_path, monkeypatch)
    publish("training", sample_rows("training"))
    run_page(at, page)
    at.run()  # the view is drawn and cached
    assert not at.exception

    def rerun_twice():
        at.run()
        at.run()

    # AppTest's stand-in runtime is a Mock, a cycle, and it keeps the download buttons' callables (in
    # a server they go with the session's next run): what they hold must be aggregates (the
    # Ringkasan's estimates, a row per program), never the rows, which are taken only when a file is
    # asked for. The sample has over 3,000 rows.
    published = len(sample_rows("training"))
    assert published > 3000
    assert [n for n in _frames_in_cycles(rerun_twice) if n >= 100] == []
    assert not at.exception


def test_the_published_rows_are_held_once_whatever_the_pages_visited(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    publish("training", sample_rows("training"))
    for page in PAGES:
        run_page(at, page)
    training = [key for kind, key in data._holder().keys() if kind == "training"]
    assert len(training) == 1  # one version held, never a copy per page, scope or session


@pytest.mark.parametrize("page", ["pages/tindak_lanjut.py", "pages/mentoring.py", "pages/karier.py",
                                  "pages/pengembangan.py"])
def test_the_other_pages_leave_no_copy_of_the_rows_in_a_cycle_either(tmp_path, monkeypatch, page):
    at = make_app(tmp_path, monkeypatch)  # nothing published: every kind from the bundled sample
    run_page(at, page)
    at.run()
    assert not at.exception

    def rerun_twice():
        at.run()
        at.run()

    # The development plan's download keeps the plan (a row per employee: 1,899 in the sample, whose
    # appraisal file has 11,894 rows and training file 3,496) under AppTest's Mock runtime; no copy of
    # a kind's rows may be held so.
    assert [n for n in _frames_in_cycles(rerun_twice) if n >= len(sample_rows("training"))] == []
    assert not at.exception


def test_every_streamlit_cache_is_bounded():
    """Each ``st.cache_data``/``st.cache_resource`` in the app names ``max_entries`` or ``ttl``."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    unbounded = []
    for path in [root / "app.py", *sorted((root / "ui").glob("*.py")), *sorted((root / "pages").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        for found in re.finditer(r"st\.cache_(?:data|resource)\b(\([^)]*\))?", text):
            line = text[:found.start()].rsplit("\n", 1)[-1]
            if "`" in line or line.lstrip().startswith("#"):  # named in a docstring or comment
                continue
            args = found.group(1) or ""
            if ".clear" in text[found.end():found.end() + 6]:
                continue
            if "max_entries" not in args and "ttl" not in args:
                unbounded.append(f"{path.name}: {found.group(0)}")
    assert unbounded == []


def _pool_in_fresh_process(**env: str) -> str:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    clean = {k: v for k, v in os.environ.items() if k not in ("ARROW_DEFAULT_MEMORY_POOL", "MALLOC_ARENA_MAX")}
    code = ("import gc; from ui.allocators import prepare_process; prepare_process(); prepare_process(); "
            "import pyarrow as pa; print(pa.default_memory_pool().backend_name, gc.get_freeze_count() > 1000)")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env={**clean, **env}, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_the_server_allocates_arrow_memory_from_the_system_allocator():
    """The server's Arrow buffers come from ``malloc`` (freed blocks go back, whichever session's
    thread freed them), unless the operator chose a pool."""
    assert _pool_in_fresh_process() == "system True"  # and the objects of the start-up frozen
    assert _pool_in_fresh_process(ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc True"


_FREED_COLUMN = """
import numpy as np
{prepare}
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
big = np.ones(2 << 20)  # 16 MiB: freed, it raises glibc's dynamic mmap threshold to its size
del big
column = np.ones(1 << 20)  # 8 MiB, a million-row column, every page touched
before = rss()
del column
print(before - rss() > (6 << 20))
"""


@pytest.mark.parametrize("prepare, handed_back", [
    ("from ui.allocators import prepare_process; prepare_process()", "True"),
    ("", "False"),  # glibc's own behaviour: the freed column stays with the process
])
def test_a_freed_column_goes_back_to_the_kernel(prepare, handed_back):
    """With the threshold fixed at 1 MiB, a freed column-sized block leaves the resident set at
    once, even after a larger block has been freed (which would raise glibc's own threshold)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    done = subprocess.run([sys.executable, "-c", _FREED_COLUMN.format(prepare=prepare)], cwd=root, env=clean,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == handed_back


def test_app_bounds_the_allocators_before_any_session():
    """``app.py`` sets the allocators up at import, before ``main`` (a server imports it once)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "app.py").read_text(encoding="utf-8")
    assert text.index("prepare_process()") < text.index("def main(")
