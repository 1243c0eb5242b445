"""The side process that reads the sheets' XML beside the upload worker (analysis/intake/sidecar.py).

What it answers must be what the worker would have computed itself, its errors must reach the
uploader as the same coded messages, the worker must do the work itself when it is gone, and it
must never outlive the worker.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile

import pytest

from analysis.core.errors import AnalysisError
from analysis.intake import worker
from analysis.intake.celltypes import numeric_rows
from analysis.intake.extent import sheet_extent
from analysis.intake.pipeline import read_upload
from analysis.intake.sidecar import Sidecar
from builders import export_sheet, stray_cell, with_sheet_xml, xlsx_bytes
from conftest import ROOT

pytestmark = pytest.mark.skipif(not worker.supported(), reason="the side process needs Linux (fork, prctl)")

SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
PART = "xl/worksheets/sheet1.xml"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:  # a zombie is gone for our purpose
        return fh.read().split()[2] != "Z"


def test_it_answers_what_the_worker_would_compute():
    data = SAMPLE.read_bytes()
    car = Sidecar.start(data)
    assert car is not None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            here = sheet_extent(zf, PART, 25_000_000)
            cells = numeric_rows(lambda: zf.open(PART), 3, [1, 10, 11], canonical=here.canonical)
        assert car.extent(PART, 25_000_000) == here
        got = car.numeric(PART, 3, [1, 10, 11])
        assert {c: v.tolist() for c, v in got.items()} == cells
    finally:
        car.close()
    assert not _alive(car.pid)


def test_the_intake_with_it_equals_the_intake_without_it():
    data = SAMPLE.read_bytes()
    car = Sidecar.start(data)
    try:
        beside = read_upload(data, SAMPLE.name, sidecar=car)
    finally:
        car.close()
    alone = read_upload(data, SAMPLE.name)
    assert beside.issues == alone.issues
    assert beside.accepted.equals(alone.accepted)


def test_its_errors_are_the_uploaders_messages():
    data = with_sheet_xml(xlsx_bytes(export_sheet("training", 5)), stray_cell("XFD1048576"))
    car = Sidecar.start(data)
    try:
        with pytest.raises(AnalysisError) as err:
            read_upload(data, "jauh.xlsx", sidecar=car)
    finally:
        car.close()
    assert err.value.code == "sheet_too_large"


def test_when_it_is_gone_the_worker_reads_the_xml_itself():
    data = SAMPLE.read_bytes()
    car = Sidecar.start(data)
    os.kill(car.pid, 9)
    os.waitpid(car.pid, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        here = sheet_extent(zf, PART, 25_000_000)
    assert car.extent(PART, 25_000_000) in (None, here)  # None, unless it was sent before the kill
    assert car.numeric(PART, 3, [1]) is None  # asked after the kill: nobody answers
    res = read_upload(data, SAMPLE.name, sidecar=car)  # computed in this process instead
    car.close()
    assert res.rows_read == read_upload(data, SAMPLE.name).rows_read


def test_it_is_not_started_where_forking_is_unsafe_or_useless():
    assert Sidecar.start(b"Nama;Usia\nAni;30\n") is None  # a CSV: no XML to read
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Sidecar.start(SAMPLE.read_bytes()) is None  # a second thread: no fork
    finally:
        stop.set()
        other.join()


def test_it_dies_with_the_worker(tmp_path):
    """A worker killed mid-read (out of time, by the caller) takes its side process with it."""
    file = tmp_path / "besar.xlsx"
    file.write_bytes(xlsx_bytes(export_sheet("training", 20_000)))
    code = ("import os, sys\n"
            "from analysis.intake.sidecar import Sidecar\n"
            "car = Sidecar.start(open(sys.argv[1], 'rb').read())\n"
            "print(car.pid, flush=True)\n"
            "os.kill(os.getpid(), 9)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(file)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    pid = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_it_runs_at_a_lower_priority_than_the_worker():
    """What it reads is needed once the sheet has loaded: on a busy machine the worker goes first."""
    from analysis.intake.sidecar import NICE

    car = Sidecar.start(SAMPLE.read_bytes())
    try:
        assert car.extent(PART, 25_000_000) is not None  # it has answered: its priority is set
        with open(f"/proc/{car.pid}/stat") as fh:
            nice = int(fh.read().rsplit(")", 1)[1].split()[16])  # field 19 of stat: nice
        assert nice == min(19, os.nice(0) + NICE)
    finally:
        car.close()
