"""National scale: a synthetic training dataset the size of Indonesia's civil service, validated,
published and evaluated ``--by program,kecamatan``, at several sizes.

    python benchmarks/bench_national.py                       # 430k, 2.15M and 4.3M rows, SQLite
    python benchmarks/bench_national.py --engine all          # and PostgreSQL (as tests/pg.py starts one)
    python benchmarks/bench_national.py --rows 430000 --quick

The data: 38 provinces, each with its own kecamatan (60 per province, 2,280 in all, in a district
table written for the run and set as ``EVALUASI_DISTRICTS``) and its own programs (10 per province)
beside 5 national ones, so ``--by program,kecamatan`` makes about 34,000 groups. Each province sends
one CSV file, as a province's upload would be; everything is written to a temporary folder and
removed afterwards (never committed).

Stages, each size in a fresh process so that its peak memory is its own:

1. **validate**: each province's file through the upload worker (``analysis.intake.worker``:
   a process with limits, the intake, the rows sent back), one file after another;
2. **publish**: the accepted rows of every province as one dataset version, stored and published
   (``store.datasets.Store.save_upload(..., publish=True)``), on SQLite and, with
   ``--engine all``, PostgreSQL;
3. **load**: the published version read back (``Store.load_rows``), as the dashboard reads it,
   once the validated rows are freed;
4. **evaluate**: ``analysis.evidence.engine.evaluate(rows, by=("program", "kecamatan"))`` on the
   rows as loaded.

Printed per size: seconds per stage, microseconds per row (flat when time grows linearly), and peak
RSS of the benchmark process (``getrusage``) and of it and its workers together (sampled from
``/proc`` every 0.1 s). Goal: ≤ 4 GB at 4.3M rows.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PROVINCES = [
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo",
    "Sulawesi Barat", "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah",
    "Papua Pegunungan", "Papua Barat Daya",
]
KECAMATAN_PER_PROVINCE = 60
PROGRAMS_PER_PROVINCE = 10
NATIONAL_PROGRAMS = ["Latsar CPNS", "Pelatihan Kepemimpinan Administrator", "Pelatihan Kepemimpinan Pengawas",
                     "Literasi Digital ASN", "Pelayanan Publik Prima"]
HEADERS = ["NIP", "Nama Pegawai", "Unit Kerja", "Kecamatan", "Nama Pelatihan", "Jenis Program", "Kelompok",
           "Tanggal Mulai", "Tanggal Selesai", "JP", "Nilai Pre Test", "Nilai Post Test", "Nilai SKP Sebelum",
           "Nilai SKP Sesudah", "Kepuasan Peserta"]
GOAL_BYTES = 4 * 1024**3


# ----------------------------------------------------------------------------- the data


def write_districts(path: Path) -> None:
    """The national district table of the run: 60 kecamatan per province, names unique nationally."""
    lines = ["kode,kecamatan,lat,lon"]
    for p, prov in enumerate(PROVINCES, start=11):
        for k in range(1, KECAMATAN_PER_PROVINCE + 1):
            lines.append(f"{p}.{1 + (k - 1) // 10:02d}.{k:02d},{prov} {k:03d},{-5 + p / 10:.4f},{100 + k / 10:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _nips(index: np.ndarray) -> np.ndarray:
    """Valid, distinct 18-digit NIPs (birth date, TMT, sex, serial) for global row numbers."""
    k = index // 999
    year = 1965 + k % 35
    birth = year * 10_000 + (1 + k % 12) * 100 + (1 + k % 28)
    tmt = (year + 20 + k % 5) * 100 + (1 + (k // 24) % 12)
    number = (birth.astype(np.int64) * 10**10 + tmt.astype(np.int64) * 10**4
              + (1 + k % 2) * 1000 + 1 + index % 999)
    return number.astype(str)


def province_frame(p: int, start: int, n: int, seed: int):
    """``n`` rows of province ``p``'s training export (its header names), rows numbered from ``start``."""
    import pandas as pd

    rng = np.random.default_rng(seed + p)
    prov = PROVINCES[p]
    index = np.arange(start, start + n)
    programs = np.array([f"{prov} Program {j + 1}" for j in range(PROGRAMS_PER_PROVINCE)] + NATIONAL_PROGRAMS)
    kec = np.array([f"{prov} {k:03d}" for k in range(1, KECAMATAN_PER_PROVINCE + 1)])
    pre = np.round(rng.uniform(30, 90, n), 1)
    post = np.round(np.clip(pre + rng.normal(8, 6, n), 0, 100), 1)
    skp0 = rng.integers(60, 110, n)
    day = pd.Timestamp("2025-01-06") + pd.to_timedelta(index % 300, unit="D")
    return pd.DataFrame({
        "NIP": _nips(index),
        "Nama Pegawai": np.char.add("Pegawai ", index.astype(str)),
        "Unit Kerja": np.char.add(f"{prov} Dinas ", (index % 40).astype(str)),
        "Kecamatan": kec[rng.integers(0, len(kec), n)],
        "Nama Pelatihan": programs[rng.integers(0, len(programs), n)],
        "Jenis Program": "pelatihan",
        "Kelompok": np.where(rng.random(n) < 0.8, "peserta", "pembanding"),
        "Tanggal Mulai": day.strftime("%d/%m/%Y"),
        "Tanggal Selesai": (day + pd.Timedelta(days=3)).strftime("%d/%m/%Y"),
        "JP": 8 * (1 + index % 5),
        "Nilai Pre Test": pre,
        "Nilai Post Test": post,
        "Nilai SKP Sebelum": skp0,
        "Nilai SKP Sesudah": skp0 + rng.integers(-3, 8, n),
        "Kepuasan Peserta": 1 + index % 5,
    }, columns=HEADERS)


def write_provinces(folder: Path, rows: int, seed: int = 11) -> list[Path]:
    """One CSV per province, ``rows`` in all (split evenly), written to ``folder``."""
    sizes = np.full(len(PROVINCES), rows // len(PROVINCES))
    sizes[: rows % len(PROVINCES)] += 1
    paths, start = [], 0
    for p, n in enumerate(sizes):
        path = folder / f"pelatihan_{p + 11:02d}.csv"
        province_frame(p, start, int(n), seed).to_csv(path, index=False)
        paths.append(path)
        start += int(n)
    return paths


# ----------------------------------------------------------------------------- one size


class PeakMemory:
    """Samples, every 0.1 s in a thread, the resident memory of this process and of all its
    descendants (the upload workers, forked by the fork server, and their side processes) from
    ``/proc``; keeps the peak of the sum and the peak of this process alone (``getrusage``)."""

    def __init__(self) -> None:
        self.peak_total = 0
        self.peak_stage = 0
        self.stages: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _status(pid: str) -> tuple[int, int]:
        ppid = rss = 0
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("PPid:"):
                    ppid = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
        return ppid, rss

    def sample(self) -> int:
        parent, rss = {}, {}
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    parent[int(pid)], rss[int(pid)] = self._status(pid)
                except OSError:
                    continue
        mine, total = {os.getpid()}, 0
        for pid in sorted(parent):  # a child's pid may be below its parent's: walk up instead
            p, seen = pid, 0
            while p and p not in mine and seen < 64:
                p, seen = parent.get(p, 0), seen + 1
            if p in mine:
                mine.add(pid)
        total = sum(rss.get(pid, 0) for pid in mine)
        self.peak_total = max(self.peak_total, total)
        self.peak_stage = max(self.peak_stage, total)
        return total

    def stage(self, name: str) -> None:
        """Note the peak since the previous stage ended as ``name``'s."""
        self.stages[name] = max(self.peak_stage, self.sample())
        self.peak_stage = 0

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.sample()

    def result(self) -> dict:
        return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "all": self.peak_total,
                "stages": self.stages}


def one_size(rows: int, urls: dict[str, str], folder: Path) -> dict:
    """Every stage at ``rows`` rows, in this process; the timings and the peak memory."""
    with PeakMemory() as memory:
        out = _stages(rows, urls, folder, memory)
    return {**out, "peak_rss": memory.result()}


def _stages(rows: int, urls: dict[str, str], folder: Path, memory: PeakMemory) -> dict:
    from analysis.evidence.engine import evaluate
    from analysis.intake import worker
    from store.datasets import Store

    times: dict[str, float] = {}
    t = time.perf_counter()
    paths = write_provinces(folder, rows)
    times["generate (not the product)"] = time.perf_counter() - t
    memory.stage("generate (not the product)")

    t = time.perf_counter()
    accepted, rejected, read, issues = _validate(paths, worker)
    times["validate (worker, per province)"] = time.perf_counter() - t
    memory.stage("validate (worker, per province)")
    upload = _upload(folder, paths, accepted, rejected, read, issues)
    n_accepted = len(accepted)
    del accepted, rejected  # the upload holds them until it is stored
    version = {}
    for engine, url in urls.items():
        store = Store(url)
        t = time.perf_counter()
        version[engine] = store.save_upload(upload, name="Pelatihan nasional", period="2025", uploader="bench",
                                            publish=True)
        times[f"publish ({engine})"] = time.perf_counter() - t
        memory.stage(f"publish ({engine})")
        store.close()
    del upload
    _give_back()
    loaded = None
    for engine, url in urls.items():  # as the dashboard reads it: the published version from the store
        loaded = None
        store = Store(url)
        t = time.perf_counter()
        loaded = store.load_rows(version[engine])
        times[f"load ({engine})"] = time.perf_counter() - t
        memory.stage(f"load ({engine})")
        store.close()
        assert len(loaded) == n_accepted, (len(loaded), n_accepted)
    t = time.perf_counter()
    out = evaluate(loaded, by=("program", "kecamatan"))
    times["evaluate --by program,kecamatan"] = time.perf_counter() - t
    memory.stage("evaluate --by program,kecamatan")
    return {"rows": rows, "rows_accepted": n_accepted, "rows_rejected": read - n_accepted, "issues": issues,
            "groups": len(out["groups"]), "seconds": times}


def _give_back() -> None:
    """Return freed memory to the system (Python's, Arrow's pool, glibc's heap), so that the next
    stage's peak is its own and not the previous stage's leftovers."""
    import ctypes

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _validate(paths: list[Path], worker):
    """Each province's file through the upload worker, one after another; only the rows are kept
    (not each result's copy of the file's bytes)."""
    import pandas as pd

    accepted, rejected, read, issues = [], [], 0, 0
    for path in paths:
        result = worker.read_file(path, kind="training")
        accepted.append(result.accepted)
        rejected.append(result.rejected)
        read += result.rows_read
        issues += len(result.issues)
        del result
    return (pd.concat(accepted, ignore_index=True), pd.concat(rejected, ignore_index=True), read, issues)


def _upload(folder: Path, paths: list[Path], accepted, rejected, read: int, issues: int) -> SimpleNamespace:
    """What the store is given: the rows, and as the version's source file the province files zipped."""
    archive = folder / "nasional.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in paths:
            zf.write(path, path.name)
            path.unlink()
    source = archive.read_bytes()
    archive.unlink()
    report = {"kind": "training", "rows_read": read, "rows_accepted": len(accepted),
              "rows_rejected": len(rejected), "issues": issues}
    return SimpleNamespace(kind="training", accepted=accepted, rejected=rejected, source_name="pelatihan_nasional.zip",
                           source_bytes=source, rows_read=read, sheet=f"{len(paths)} provinsi", header_row=1,
                           report=lambda lang="id": report)


# ----------------------------------------------------------------------------- the runs


def _child(rows: int, engines: str, base_pg: str | None) -> dict:
    """Run :func:`one_size` in a fresh interpreter, with the run's district table and limits."""
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        folder = Path(tmp)
        write_districts(folder / "districts.csv")
        env = dict(os.environ, EVALUASI_DISTRICTS=str(folder / "districts.csv"), EVALUASI_DATA_DIR=str(folder),
                   EVALUASI_MAX_UPLOAD_MB="200", EVALUASI_MAX_ROWS="1048576")
        code = (f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                f"import bench_national as b; from pathlib import Path; "
                f"print('RESULT ' + json.dumps(b.one_size({rows}, {json.dumps(_urls(engines, folder, base_pg))}, "
                f"Path({str(folder)!r}))))")
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        line = next(s for s in done.stdout.splitlines() if s.startswith("RESULT "))
        return json.loads(line[len("RESULT "):])


def _urls(engines: str, folder: Path, base_pg: str | None) -> dict[str, str]:
    urls = {}
    if engines in ("sqlite", "all"):
        urls["sqlite"] = f"sqlite:///{folder / 'nasional.sqlite3'}"
    if engines in ("postgresql", "all") and base_pg:
        urls["postgresql"] = base_pg
    return urls


def _print(result: dict) -> None:
    rows = result["rows"]
    print(f"\n{rows:,} rows ({result['rows_accepted']:,} accepted, {result['rows_rejected']:,} rejected, "
          f"{result['groups']:,} program × kecamatan groups)")
    for stage, seconds in result["seconds"].items():
        print(f"  {stage:<40} {seconds:8.2f} s   {seconds / rows * 1e6:7.2f} µs/row")
    rss = result["peak_rss"]
    goal = "  (goal ≤ 4 GB at 4.3M rows)" if rows >= 4_000_000 else ""
    print(f"  peak RSS: benchmark process {rss['self'] / 1024**3:.2f} GB; with its workers, summed "
          f"{rss['all'] / 1024**3:.2f} GB{goal}")
    print("  peak RSS (summed) per stage: " + ", ".join(f"{k.split(' ')[0]} {v / 1024**3:.2f}"
                                                      for k, v in rss.get("stages", {}).items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="430000,2150000,4300000", help="sizes, comma-separated")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "all"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="43k and 86k rows (a smoke run)")
    args = parser.parse_args(argv)
    sizes = [43_000, 86_000] if args.quick else [int(s) for s in args.rows.split(",")]
    base_pg = None
    if args.engine in ("postgresql", "all"):
        import pg

        base_pg = pg.server_url()
        if base_pg is None:
            print(f"[postgresql] skipped: {pg.SKIP_REASON}")
    results = []
    for rows in sizes:
        if base_pg:
            import pg

            with pg.fresh_url(base_pg) as url:
                result = _child(rows, args.engine, url)
        else:
            result = _child(rows, args.engine, None)
        _print(result)
        results.append(result)
    big = [r for r in results if r["rows"] >= 4_000_000]
    print(json.dumps({"results": results}))
    return 0 if all(max(r["peak_rss"]["self"], r["peak_rss"]["all"]) <= GOAL_BYTES for r in big) else 1


if __name__ == "__main__":
    sys.exit(main())
