"""Intake of a 100k-row training workbook (read + map + normalise + validate) against a bare
Rust-backed read of the same file, in the same process and as whole processes.

Goal: at most 2.0 × the bare read, and at least 10 × faster than ``pd.read_excel(engine="openpyxl")``
on the same file. The app and the command line read uploads in a worker process with limits
(``analysis.intake.worker``); its cost over the same read in this process is measured too, with
the worker's fork server already started (it starts once per server process).

Whole processes, as a user meets them: ``python -m analysis validate FILE --json`` (start-up, the
worker process with its limits, the extent check, the report) against a fresh interpreter that
imports ``fastexcel`` and reads the same sheet to Arrow (goal ≤ 2.0) and one that runs
``pd.read_excel(engine="openpyxl")`` (goal ≥ 10 × faster); ``python -m analysis validate --help``
against ``python -c "import pandas"`` (goal ≤ 1.5).

    python benchmarks/bench_intake.py [--rows 100000] [--skip-openpyxl]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys

import numpy as np

from common import ROOT, WORK, report, timed

HEADERS = ["No", "NIP", "Nama Pegawai", "Unit Kerja", "Kecamatan", "Nama Pelatihan", "Jenis Program",
           "Tanggal Mulai", "Tanggal Selesai", "JP", "Nilai Pre Test", "Nilai Post Test", "Nilai SKP Sebelum",
           "Nilai SKP Sesudah", "Kepuasan Peserta"]
KEC = ["Kec. Medan Baru", "MEDAN SUNGGAL", "medan johor ", "Medan-Area", "Tembung", "Kecamatan Medan Kota",
       "Medan Selayang", "Medan Helvetia"]


def make_workbook(path, rows: int, seed: int = 7) -> None:
    """A training export shaped like the real ones: title rows, header at row 4, a JUMLAH row."""
    import xlsxwriter

    rng = np.random.default_rng(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    ws = wb.add_worksheet("REKAP")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write(0, 0, "REKAPITULASI PESERTA PELATIHAN ASN PEMERINTAH KOTA MEDAN TAHUN 2025 (DATA SINTETIS)")
    ws.write(1, 0, "Benchmark")
    ws.write_row(3, 0, HEADERS)
    pre = np.round(rng.uniform(30, 90, rows), 1)
    post = np.round(np.clip(pre + rng.normal(8, 6, rows), 0, 100), 1)
    skp0 = rng.integers(60, 110, rows)
    start = dt.datetime(2025, 1, 6)
    for i in range(rows):
        r = 4 + i
        k = i // 1000  # unique NIP per row: k picks birth date and TMT, i % 1000 the serial
        year = 1965 + k % 35
        birth = f"{year:04d}{1 + k % 12:02d}{1 + k % 28:02d}"
        nip = f"{birth} {year + 20 + k % 5:04d}{1 + (k // 24) % 12:02d} {1 + k % 2} {i % 1000:03d}"
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, nip)
        ws.write_string(r, 2, f"Pegawai {i}")
        ws.write_string(r, 3, f"Dinas {i % 40}")
        ws.write_string(r, 4, KEC[i % len(KEC)])
        ws.write_string(r, 5, f"Program {i % 12}")
        ws.write_string(r, 6, "pelatihan")
        ws.write_datetime(r, 7, start + dt.timedelta(days=i % 300), date_fmt)
        ws.write_datetime(r, 8, start + dt.timedelta(days=i % 300 + 3), date_fmt)
        ws.write_number(r, 9, 8 * (1 + i % 5))
        if i % 50 == 0:  # a few text cells in Indonesian notation, as real exports have
            ws.write_string(r, 10, f"{pre[i]:.1f}".replace(".", ","))
        else:
            ws.write_number(r, 10, pre[i])
        ws.write_number(r, 11, post[i])
        ws.write_number(r, 12, int(skp0[i]))
        ws.write_number(r, 13, int(skp0[i] + rng.integers(-3, 8)))
        ws.write_number(r, 14, int(1 + i % 5))
    ws.write_string(4 + rows, 0, "JUMLAH")
    wb.close()


def alternated(first, second, repeat: int = 5) -> tuple[float, float]:
    """Median wall times of ``first`` and ``second`` called in turn, so that a busy machine slows
    both alike."""
    import statistics
    import time

    times: tuple[list, list] = ([], [])
    for _ in range(repeat):
        for fn, out in zip((first, second), times):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def whole_process(code: str | None = None, argv: list[str] | None = None):
    """A callable that runs a fresh interpreter on ``-c CODE`` (or with ``ARGV``) from the
    repository root, its output discarded, and fails when the process fails."""
    cmd = [sys.executable, "-c", code] if code is not None else [sys.executable, *argv]

    def run() -> None:
        done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {done.stderr.decode()[-400:]}")
    return run


def whole_processes(path, rows: int, skip_openpyxl: bool) -> None:
    """The command line's start-up and ``validate`` as whole processes, each against its baseline
    run in turn with it (medians of 5)."""
    fastexcel_bare = whole_process(
        f"import fastexcel; fastexcel.read_excel({str(path)!r}).load_sheet('REKAP', header_row=3).to_arrow()")
    validate = whole_process(argv=["-m", "analysis", "validate", str(path), "--json"])
    t_validate, t_fx = alternated(validate, fastexcel_bare)
    print(f"Whole processes ({rows:,} rows):")
    report("python: import fastexcel, read to Arrow", t_fx, "fastexcel", t_fx)
    report("python -m analysis validate FILE --json", t_validate, "fastexcel", t_fx, "goal ≤ 2.0")
    t_help, t_pandas = alternated(whole_process(argv=["-m", "analysis", "validate", "--help"]),
                                  whole_process("import pandas"))
    report("python -c 'import pandas'", t_pandas, "pandas", t_pandas)
    report("python -m analysis validate --help", t_help, "pandas", t_pandas, "goal ≤ 1.5")
    if not skip_openpyxl:
        t_opx = timed(whole_process(f"import pandas as pd; pd.read_excel({str(path)!r}, engine='openpyxl', header=3)"),
                      repeat=1)
        ratio = report("python: pd.read_excel(engine='openpyxl')", t_opx, "validate", t_validate, "goal ≥ 10")
        print(f"validate (whole process) is {ratio:.1f}× faster than openpyxl (whole process)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-openpyxl", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10k rows, no openpyxl run")
    parser.add_argument("--whole-only", action="store_true", help="only the whole-process figures")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.skip_openpyxl = 10_000, True

    import fastexcel
    import pandas as pd
    import python_calamine

    from analysis.intake import worker
    from analysis.intake.pipeline import read_file

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"training_{args.rows}.xlsx"
    if not path.exists():
        make_workbook(path, args.rows)

    def calamine_bare():
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("REKAP").to_python()

    def fastexcel_bare():
        fastexcel.read_excel(str(path)).load_sheet("REKAP", header_row=3).to_arrow()

    def ours():
        res = read_file(path)
        assert res.rows_read == args.rows, res.rows_read

    def in_worker():
        res = worker.read_file(path)
        assert res.rows_read == args.rows, res.rows_read

    if args.whole_only:
        whole_processes(path, args.rows, args.skip_openpyxl)
        return
    ours()  # warm up imports and the district table
    in_worker()  # start the fork server
    t_cal = timed(calamine_bare)
    t_fx = timed(fastexcel_bare)
    t_ours, t_worker = alternated(ours, in_worker)
    print(f"Intake benchmark: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    report("bare python-calamine read (baseline)", t_cal, "calamine", t_cal)
    report("bare fastexcel read to Arrow", t_fx, "calamine", t_cal)
    report("intake: read+map+normalise+validate", t_ours, "calamine", t_cal, "goal ≤ 2.0")
    report("intake vs bare fastexcel read", t_ours, "fastexcel", t_fx)
    report("intake in a worker process", t_worker, "calamine", t_cal, "goal ≤ 2.0")
    report("intake in a worker vs in this process", t_worker, "intake", t_ours, "the worker's cost")
    report("intake in a worker vs bare fastexcel read", t_worker, "fastexcel", t_fx)
    if not args.skip_openpyxl:
        t_opx = timed(lambda: pd.read_excel(path, engine="openpyxl", header=3), repeat=1)
        ratio = report("pd.read_excel(engine='openpyxl')", t_opx, "intake", t_ours, "goal ≥ 10")
        print(f"intake is {ratio:.1f}× faster than openpyxl")
    whole_processes(path, args.rows, args.skip_openpyxl)


if __name__ == "__main__":
    main()
