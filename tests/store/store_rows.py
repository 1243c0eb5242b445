"""Frames shaped like the intake's accepted rows, for the store tests (Parquet and dataset tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from store.uploads import sample_upload

PREDIKAT_2022 = pd.CategoricalDtype(
    ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"], ordered=True
)
PREDIKAT_2011 = pd.CategoricalDtype(["Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik"], ordered=True)


def training(n: int, seed: int = 0) -> pd.DataFrame:
    """A frame shaped like the intake's accepted training rows, every tricky dtype included."""
    rng = np.random.default_rng(seed)
    start = pd.Series(pd.Timestamp("2025-02-03") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"))
    return pd.DataFrame(
        {
            "nip": pd.Series([f"19850312201001{1000 + i:04d}" for i in range(n)], dtype="str"),
            "nama": pd.Series([f"Pegawai {i}" for i in range(n)], dtype="str"),
            "kecamatan": pd.Series(rng.choice(["Medan Baru", "Medan Johor"], n), dtype="str"),
            "program": pd.Series(rng.choice(["Latsar", "PKA", None], n), dtype="str"),
            "tanggal_mulai": start.astype("datetime64[s]"),
            "tanggal_selesai": (start + pd.Timedelta(days=3)).astype("datetime64[us]"),
            "jp": rng.choice([20.0, np.nan], n),
            "nilai_pre": rng.uniform(0, 100, n),
            "kinerja_sebelum": pd.Categorical.from_codes(rng.integers(-1, 5, n), dtype=PREDIKAT_2022),
            "kinerja_sesudah": pd.Categorical.from_codes(rng.integers(-1, 5, n), dtype=PREDIKAT_2011),
            "_row": np.arange(2, n + 2, dtype="int64"),
            "_sheet": pd.Series(["REKAP"] * n, dtype="str"),
        }
    )


def upload(frame=None, source: bytes = b"workbook-bytes", **kw):
    """A stand-in intake result (:func:`store.uploads.sample_upload`) holding ``frame`` (default
    five :func:`training` rows) read from a file of bytes ``source``."""
    return sample_upload(frame if frame is not None else training(5), source_bytes=source, **kw)
