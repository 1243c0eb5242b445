"""The loader forked while the side process still reads a sheet's extent (analysis/intake/early.py).

What it sends back must be what the worker would have loaded; a loader that fails, aborts or is
cancelled must leave the worker with the outcome it would have had without it: the same data, the
same coded message, never a crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import fastexcel
import pytest

from analysis.intake import worker
from analysis.intake.early import EarlyLoad
from analysis.intake.pipeline import read_upload
from analysis.intake.sidecar import Sidecar
from builders import export_sheet, stray_cell, with_sheet_xml, xlsx_bytes
from conftest import ROOT

pytestmark = pytest.mark.skipif(not worker.supported(), reason="the loader needs Linux (fork, prctl)")

SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _load_sample():
    reader = fastexcel.read_excel(SAMPLE.read_bytes())
    return reader.load_sheet(0, header_row=None, skip_rows=4, dtype_coercion="coerce",
                             schema_sample_rows=None).to_arrow()


def test_it_sends_back_what_loading_here_gives():
    early = EarlyLoad.start(_load_sample)
    assert early is not None
    got = early.result()
    here = _load_sample()
    assert got.schema == here.schema
    assert got.equals(here)
    assert _gone(early.pid)


def test_a_loader_that_fails_or_dies_gives_nothing_and_the_caller_lives():
    def fail():
        raise ValueError("broken sheet")

    assert EarlyLoad.start(fail).result() is None
    assert EarlyLoad.start(os.abort).result() is None  # what calamine does when an allocation fails


def test_cancel_stops_it_at_once():
    early = EarlyLoad.start(lambda: time.sleep(60))
    started = time.monotonic()
    early.cancel()
    assert time.monotonic() - started < 5
    assert _gone(early.pid)


def test_it_is_not_started_beside_another_thread():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert EarlyLoad.start(_load_sample) is None
    finally:
        stop.set()
        other.join()


class _Slow(Sidecar):
    """A side process whose extents never come before the worker asks: every load goes early."""

    def ready(self, part: str) -> bool:
        return False


def test_the_intake_with_an_early_load_equals_the_intake_without_it(monkeypatch):
    from analysis.intake import reader

    started, start = [], EarlyLoad.start.__func__
    monkeypatch.setattr(reader.EarlyLoad, "start", classmethod(lambda cls, load: started.append(1) or start(cls, load)))
    data = SAMPLE.read_bytes()
    car = _Slow.start(data)
    assert isinstance(car, _Slow)
    try:
        early = read_upload(data, SAMPLE.name, sidecar=car)
    finally:
        car.close()
    assert started == [1]  # the sample has one sheet of data: loaded early
    alone = read_upload(data, SAMPLE.name)
    assert early.issues == alone.issues
    assert early.accepted.equals(alone.accepted)
    assert early.rejected.equals(alone.rejected)


_CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2048 * 1024 * 1024,) * 2)
sys.path.insert(0, sys.argv[2])
from test_early import _Slow
from analysis.core.errors import AnalysisError
from analysis.intake.pipeline import read_upload
data = open(sys.argv[1], "rb").read()
car = _Slow.start(data)
try:
    res = read_upload(data, "jauh.xlsx", sidecar=car)
    print(json.dumps({"rows_read": res.rows_read}))
except AnalysisError as err:
    print(json.dumps({"code": err.code}))
finally:
    car.close()
"""


def test_a_sheet_that_reaches_too_far_is_refused_with_its_message_even_when_loaded_early(tmp_path):
    """The loader may try to allocate the stray cell's grid and abort; the worker still waits for
    the extent and gives the uploader ``sheet_too_large``."""
    path = tmp_path / "jauh.xlsx"
    path.write_bytes(with_sheet_xml(xlsx_bytes(export_sheet("training", 5)), stray_cell("XFD1048576")))
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(ROOT / "tests" / "intake")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])})
    assert proc.returncode == 0, proc.stderr[-800:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"code": "sheet_too_large"}
