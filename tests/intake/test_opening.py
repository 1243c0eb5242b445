"""The first stage of the intake (analysis/intake/opening.py): an .xlsx opened and its header found
without pandas, so the upload worker can start loading the sheet while it imports pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analysis.intake import worker
from analysis.intake.opening import open_upload
from analysis.intake.pipeline import build, read_upload
from conftest import ROOT
from test_early import _Slow

SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"

_CHILD = r"""
import json, sys
from analysis.intake.opening import open_upload
opened = open_upload(open(sys.argv[1], "rb").read(), "rekap.xlsx")
print(json.dumps({"kind": opened.kind, "row": opened.headers[0].header_row,
                  "imported": sorted(m for m in ("pandas", "numpy", "pyarrow") if m in sys.modules)}))
"""


def test_an_xlsx_is_opened_and_its_header_found_without_pandas():
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(SAMPLE)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-800:]
    assert json.loads(proc.stdout) == {"kind": "training", "row": 4, "imported": []}


def test_opening_then_building_is_reading():
    data = SAMPLE.read_bytes()
    both = build(open_upload(data, SAMPLE.name))
    once = read_upload(data, SAMPLE.name)
    assert both.issues == once.issues
    assert both.accepted.equals(once.accepted)


@pytest.mark.skipif(not worker.supported(), reason="the loader needs Linux (fork)")
def test_a_loader_started_for_a_load_never_asked_for_is_stopped():
    data = SAMPLE.read_bytes()
    car = _Slow.start(data)
    try:
        opened = open_upload(data, SAMPLE.name, sidecar=car)
        (early,) = opened.book._early.values()
        opened.book.stop_loading()
        assert not opened.book._early
        with pytest.raises(ChildProcessError):
            os.waitpid(early.pid, os.WNOHANG)  # reaped: no longer this process's child
    finally:
        car.close()
