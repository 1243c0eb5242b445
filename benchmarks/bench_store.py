"""Store speed: publish a 100k-row dataset; load a published 500k-row dataset.

    python benchmarks/bench_store.py                 # SQLite in a temporary folder
    python benchmarks/bench_store.py --engine all    # and PostgreSQL (TEST_DATABASE_URL, else a
                                                     # throwaway cluster as tests/pg.py makes one)

Prints one line per measure and a JSON summary. The load is timed against ``pd.read_parquet`` of
the same frame from a file, in the same process, median of ``--repeat`` alternating runs; the run
fails (exit 1) when that ratio exceeds 1.5.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store.datasets import Store  # noqa: E402

LIMIT = 1.5
PREDIKAT = pd.CategoricalDtype(
    ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"], ordered=True
)


def training_frame(n: int, seed: int = 5) -> pd.DataFrame:
    """A synthetic accepted-rows frame of the training contract with ``n`` rows."""
    rng = np.random.default_rng(seed)
    districts = pd.read_csv(ROOT / "data" / "kecamatan_medan.csv", dtype=str)
    pick = rng.integers(0, len(districts), n)
    birth = pd.Timestamp("1970-01-01") + pd.to_timedelta(rng.integers(0, 12000, n), unit="D")
    nip = (birth.strftime("%Y%m%d") + pd.Series(rng.integers(200001, 202412, n)).astype(str).str[:6].values
           + pd.Series(rng.integers(1, 3, n)).astype(str).values
           + pd.Series(rng.integers(1, 999, n)).astype(str).str.zfill(3).values)
    start = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 330, n), unit="D")
    pre = rng.normal(62, 10, n).clip(0, 100).round(1)
    return pd.DataFrame(
        {
            "nip": pd.Series(nip, dtype="str"),
            "nama": pd.Series([f"Pegawai {i}" for i in range(n)], dtype="str"),
            "unit_kerja": pd.Series(rng.choice([f"Dinas {i}" for i in range(40)], n), dtype="str"),
            "kecamatan": pd.Series(districts["kecamatan"].to_numpy()[pick], dtype="str"),
            "kode_kecamatan": pd.Series(districts["kode"].to_numpy()[pick], dtype="str"),
            "program": pd.Series(rng.choice([f"Program {i}" for i in range(12)], n), dtype="str"),
            "jenis_program": pd.Series(rng.choice(["pelatihan", "coaching", "e-learning"], n), dtype="str"),
            "kelompok": pd.Series(rng.choice(["peserta", "pembanding"], n, p=[0.8, 0.2]), dtype="str"),
            "tanggal_mulai": pd.Series(start).astype("datetime64[us]"),
            "tanggal_selesai": pd.Series(start + pd.Timedelta(days=4)).astype("datetime64[us]"),
            "jp": rng.choice([20.0, 24.0, 40.0], n),
            "nilai_pre": pre,
            "nilai_post": (pre + rng.normal(6, 8, n)).clip(0, 100).round(1),
            "kinerja_sebelum": pd.Categorical.from_codes(rng.integers(0, 5, n), dtype=PREDIKAT),
            "kinerja_sesudah": pd.Categorical.from_codes(rng.integers(0, 5, n), dtype=PREDIKAT),
            "kepuasan_peserta": rng.integers(1, 6, n).astype(float),
            "_row": np.arange(5, n + 5, dtype="int64"),
            "_sheet": pd.Series(["REKAP"] * n, dtype="str"),
        }
    )


def upload(frame: pd.DataFrame, tag: str) -> SimpleNamespace:
    source = f"synthetic workbook {tag} {len(frame)}".encode() * 1000
    return SimpleNamespace(
        kind="training", accepted=frame, rejected=frame.head(0), report=lambda lang="id": {"rows_read": len(frame)},
        source_name=f"{tag}.xlsx", source_bytes=source, sha256=hashlib.sha256(source).hexdigest(),
        rows_read=len(frame),
    )


def run(url: str, label: str, publish_rows: int, load_rows: int, repeat: int, work: Path) -> dict:
    store = Store(url)
    publish_frame = training_frame(publish_rows, seed=1)
    started = time.perf_counter()
    store.save_upload(upload(publish_frame, "publish"), name="Bench publish", period="2025", uploader="bench",
                      publish=True)
    publish_s = time.perf_counter() - started

    frame = training_frame(load_rows, seed=2)
    version = store.save_upload(upload(frame, "load"), name="Bench load", period="2025", uploader="bench",
                                publish=True)
    path = work / f"{label}.parquet"
    frame.to_parquet(path)
    loaded = store.load_rows(version)
    pd.testing.assert_frame_equal(loaded, frame)  # same frame, same dtypes
    store_times, parquet_times = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        store.load_rows(version)
        store_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        pd.read_parquet(path)
        parquet_times.append(time.perf_counter() - t)
    store.close()
    result = {
        "engine": label,
        "publish_rows": publish_rows,
        "publish_s": round(publish_s, 3),
        "load_rows": load_rows,
        "load_store_s": round(statistics.median(store_times), 4),
        "load_read_parquet_s": round(statistics.median(parquet_times), 4),
        "parquet_mb": round(path.stat().st_size / 1e6, 1),
    }
    result["ratio"] = round(result["load_store_s"] / result["load_read_parquet_s"], 2)
    print(f"[{label}] publish {publish_rows:,} rows: {publish_s:.2f} s")
    print(f"[{label}] load {load_rows:,} rows: store {result['load_store_s']:.3f} s vs pd.read_parquet "
          f"{result['load_read_parquet_s']:.3f} s → ratio {result['ratio']:.2f} (limit {LIMIT})")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "all"), default="sqlite")
    parser.add_argument("--publish-rows", type=int, default=100_000)
    parser.add_argument("--load-rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        work = Path(tmp)
        if args.engine in ("sqlite", "all"):
            results.append(run(f"sqlite:///{work / 'bench.sqlite3'}", "sqlite", args.publish_rows, args.load_rows,
                               args.repeat, work))
        if args.engine in ("postgresql", "all"):
            import pg

            base = pg.server_url()
            if base is None:
                print(f"[postgresql] skipped: {pg.SKIP_REASON}")
            else:
                with pg.fresh_url(base) as url:
                    results.append(run(url, "postgresql", args.publish_rows, args.load_rows, args.repeat, work))
    print(json.dumps({"limit": LIMIT, "results": results}))
    return 0 if all(r["ratio"] <= LIMIT for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
