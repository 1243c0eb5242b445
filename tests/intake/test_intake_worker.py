"""Untrusted files are read in a worker process with limits (analysis/intake/worker.py).

The hostile file here is real: an OpenDocument spreadsheet of 1.5 KB whose one row, repeated
99,990 times, holds one value repeated over 1,000 columns. calamine (fastexcel 0.21) expands it to
a grid of 100 million cells and aborts the process when the allocation fails — exit status 134,
whatever caught exceptions around it. In a worker, only the worker dies.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from analysis.cli import main as cli_main
from analysis.core.errors import AnalysisError
from analysis.intake import worker
from analysis.intake.pipeline import read_file as read_here
from analysis.intake.reader import MAX_SHEETS
from builders import export_sheet, many_sheets, repeated_ods, xlsx_bytes
from conftest import ROOT

MB = 1024 * 1024
SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
SMALL = worker.Limits(memory_bytes=768 * MB, cpu_seconds=30, wall_seconds=60)

pytestmark = pytest.mark.skipif(not worker.supported(), reason="worker processes need Linux (fork server, /proc)")


def test_the_worker_reads_what_the_intake_reads():
    here, there = read_here(SAMPLE), worker.read_file(SAMPLE)
    assert (there.kind, there.rows_read, there.rows_rejected) == (here.kind, here.rows_read, here.rows_rejected)
    pd.testing.assert_frame_equal(there.accepted, here.accepted)
    assert there.issues == here.issues and there.source_bytes == SAMPLE.read_bytes()


def test_the_repeated_ods_kills_a_process_that_reads_it(tmp_path):
    """Without the worker: the reader aborts the process that called it (the server, in the app)."""
    path = tmp_path / "ulang.ods"
    path.write_bytes(repeated_ods(tmp_path))
    child = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
             "resource.setrlimit(resource.RLIMIT_CORE, (0, 0));"
             "from analysis.intake.pipeline import read_file\n"
             "try:\n    read_file(sys.argv[1])\nexcept Exception as e:\n    print('caught', e)")
    proc = subprocess.run([sys.executable, "-c", child, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGABRT, (proc.returncode, proc.stdout, proc.stderr[-300:])
    assert "caught" not in proc.stdout  # no Python handler ever saw it


def test_in_a_worker_the_same_file_gets_one_coded_message(tmp_path):
    data = repeated_ods(tmp_path)
    assert len(data) < 4096
    start = time.perf_counter()
    with pytest.raises(AnalysisError) as err:
        worker.read_upload(data, "ulang.ods", limits=SMALL)
    assert err.value.code == "file_too_complex"
    assert "ulang.ods" in err.value.message("en") and err.value.message("id") != err.value.message("en")
    assert time.perf_counter() - start < 60
    assert worker.read_file(SAMPLE).rows_read > 0  # and the next file is read as usual


def test_the_command_line_exits_2_with_the_code_not_134(tmp_path, capsys, monkeypatch):
    path = tmp_path / "ulang.ods"
    path.write_bytes(repeated_ods(tmp_path))
    monkeypatch.setenv("EVALUASI_INTAKE_MEMORY_MB", "768")
    assert cli_main(["validate", str(path), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file_too_complex"


def test_a_workbook_of_two_thousand_sheets_is_refused_at_once():
    data = many_sheets(2_000)
    start = time.perf_counter()
    with pytest.raises(AnalysisError) as err:
        worker.read_upload(data, "banyak.xlsx")
    assert err.value.code == "too_many_sheets" and "2,000 sheets" in err.value.message("en")
    assert time.perf_counter() - start < 15


def test_cpu_time_is_capped():
    """The most sheets allowed, read under a CPU limit of one second: stopped, with the code."""
    data = xlsx_bytes([export_sheet("training", 5, name=f"S{i}") for i in range(MAX_SHEETS)])
    with pytest.raises(AnalysisError) as err:
        worker.read_upload(data, "lambat.xlsx", limits=worker.Limits(0, 1, 120))
    assert err.value.code == "file_too_complex" and err.value.details["why"] == "CPU time"


def test_wall_time_is_capped():
    start = time.perf_counter()
    with pytest.raises(AnalysisError) as err:
        worker.run(time.sleep, 30, limits=worker.Limits(0, 0, 1.0), name="tidur")
    assert err.value.code == "file_too_complex" and err.value.details["why"] == "time"
    assert time.perf_counter() - start < 10


def test_an_abort_in_the_worker_is_reported_and_survived():
    with pytest.raises(AnalysisError) as err:
        worker.run(os.abort, limits=SMALL, name="x.xlsx")
    assert err.value.code == "file_too_complex" and err.value.details["why"] == "the reader stopped"


def test_running_out_of_memory_in_python_is_reported():
    with pytest.raises(AnalysisError) as err:
        worker.run(bytearray, 2 * 1024 * MB, limits=worker.Limits(256 * MB, 30, 60), name="x.xlsx")
    assert err.value.code == "file_too_complex" and err.value.details["why"] == "memory"


def test_a_bug_in_the_worker_is_not_disguised():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        worker.run(divmod, 1, 0, limits=SMALL)


def test_a_caller_without_a_main_guard_can_use_the_worker(tmp_path):
    """multiprocessing runs the caller's main module again in each child; the worker must not (the
    main module is the streamlit launcher in the app)."""
    script = tmp_path / "ohne_guard.py"
    script.write_text("from analysis.intake import worker\n"
                      "print(worker.run(divmod, 7, 2, limits=worker.Limits(0, 10, 30)))\n")
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-800:]
    assert proc.stdout.strip().splitlines() == ["(3, 1)"]


def test_python_m_analysis_forks_its_worker_and_exits_2(tmp_path):
    """The real command line (its worker forked from itself): the code, exit status 2, not 134."""
    path = tmp_path / "ulang.ods"
    path.write_bytes(repeated_ods(tmp_path))
    env = {**os.environ, "EVALUASI_INTAKE_MEMORY_MB": "768", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "analysis", "validate", str(path), "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    assert json.loads(proc.stdout)["error"]["code"] == "file_too_complex"
    ok = subprocess.run([sys.executable, "-m", "analysis", "validate", str(SAMPLE), "--json"], cwd=ROOT, env=env,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["rows_read"] > 0


def test_workers_start_warm_whatever_the_current_folder(tmp_path):
    """The fork server imports the intake and reads the samples once, even when the process runs
    elsewhere than the repository (CPython 3.11's fork server ignores the caller's sys.path)."""
    script = tmp_path / "anderswo.py"
    script.write_text("from analysis.intake import worker\n"
                      "print(worker.run(worker.warm, limits=worker.Limits(0, 30, 60)))\n")
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-800:]
    assert proc.stdout.strip().splitlines() == ["True"]
