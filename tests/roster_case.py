"""A hand-built roster with a known JP count per employee (shared by the roster and CLI tests).

| who | NIP | unit | development in 2025 | JP 2025 | meets 20? |
|---|---|---|---|---|---|
| A | 198503122010011003 | Dinas Sosial | training 16; a training row of the type mentoring (16) that is the same mentoring as the pair below, left out; mentee of B for 3 sessions, no JP recorded: 3 × 2 = 6 | 22 | yes |
| B | 199001012015022001 | Dinas Sosial | training 8, other development 10; mentor of A: no JP for mentoring | 18 | no |
| C | 197904152005011002 | Kantor Camat Medan Baru | none at all | 0 | no (counted) |
| D | 199002202015032001 | Kantor Camat Medan Baru | a training row of the type mentoring, 24 (no mentoring pair: it counts); 40 JP in 2024 (another year) | 24 | yes |
| F | 198812312012121005 | Puskesmas Padang Bulan | comparison row of the training file (no JP); mentee of A, 4 sessions, 5 JP recorded (kept over 4 × 2) | 5 | no |
| E | 199001012021211001 | Dinas Sosial | training 30 — a PPPK number (no CPNS month): listed, not counted | 30 | – |
| G | 198709092013011009 | not appraised | training 20 | – | – |

PNS counted: A, B, C, D, F = 5; meeting the target: A and D = 2; share 0.4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

A, B, C, D, E, F, G = ("198503122010011003", "199001012015022001", "197904152005011002", "199002202015032001",
                       "199001012021211001", "198812312012121005", "198709092013011009")
UNITS = {A: ("Dinas Sosial", "Medan Helvetia"), B: ("Dinas Sosial", "Medan Helvetia"),
         C: ("Kantor Camat Medan Baru", "Medan Baru"), D: ("Kantor Camat Medan Baru", "Medan Baru"),
         E: ("Dinas Sosial", "Medan Helvetia"), F: ("Puskesmas Padang Bulan", "Medan Baru")}
NAMES = {A: "Ani Lestari", B: "Budi Santoso", C: "Citra Dewi", D: "Dedi Siregar", E: "Eka Putri", F: "Fajar Lubis"}
EXPECTED_JP = {A: 22.0, B: 18.0, C: 0.0, D: 24.0, F: 5.0}


def appraisals() -> pd.DataFrame:
    rows = []
    for nip, (unit, kec) in UNITS.items():
        for period, predikat in (("2025-Q2", "Baik"), ("2025-Q4", "Baik")):
            rows.append({"nip": nip, "nama": NAMES[nip], "unit_kerja": unit, "kecamatan": kec, "periode": period,
                         "predikat_kinerja": predikat})
    return pd.DataFrame(rows)


def training() -> pd.DataFrame:
    def row(nip, program, jenis, start, jp, kelompok="peserta"):
        return {"nip": nip, "program": program, "jenis_program": jenis, "kelompok": kelompok,
                "unit_kerja": UNITS.get(nip, ("Dinas Kominfo", "Medan Johor"))[0],
                "tanggal_mulai": pd.Timestamp(start) if start else pd.NaT, "jp": jp}
    return pd.DataFrame([
        row(A, "Pelayanan Prima", "pelatihan", "2025-03-03", 16.0),
        row(A, "Mentoring Kecamatan", "mentoring", "2025-06-02", 16.0),
        row(B, "Literasi Data", "e-learning", "2025-05-05", 8.0),
        row(D, "Mentoring Kecamatan", "mentoring", "2025-06-02", 24.0),
        row(D, "Kepemimpinan Pengawas", "pelatihan", "2024-09-02", 40.0),
        row(F, None, None, None, np.nan, kelompok="pembanding"),
        row(E, "Pelayanan Prima", "pelatihan", "2025-03-03", 30.0),
        row(G, "Pelayanan Prima", "pelatihan", "2025-03-03", 20.0),
    ])


def mentoring() -> pd.DataFrame:
    return pd.DataFrame({"mentor_nip": [B, A], "mentee_nip": [A, F], "kecamatan": ["Medan Helvetia", "Medan Baru"],
                         "tanggal_mulai": pd.to_datetime(["2025-06-02", "2025-07-07"]),
                         "tanggal_selesai": pd.to_datetime(["2025-08-29", "2025-09-26"]),
                         "jumlah_sesi": [3.0, 4.0], "jp": [np.nan, 5.0]})


def other() -> pd.DataFrame:
    return pd.DataFrame({"nip": [B], "kegiatan": ["Webinar Keterbukaan Informasi"], "bentuk": ["webinar"],
                         "tanggal_mulai": pd.to_datetime(["2025-10-01"]), "jp": [10.0]})


def write_files(folder) -> dict:
    """The four frames as workbooks the intake reads (the columns every kind requires filled in)."""
    t = training()
    t["nama"] = t["nip"].map(NAMES).fillna("Gita")
    t["kecamatan"] = t["nip"].map(lambda n: UNITS.get(n, ("", "Medan Johor"))[1])
    m = mentoring()
    o = other()
    paths = {"appraisal": folder / "kinerja.xlsx", "training": folder / "pelatihan.xlsx",
             "mentoring": folder / "mentoring.xlsx", "jp_lain": folder / "jp_lain.xlsx"}
    appraisals().to_excel(paths["appraisal"], index=False)
    t.to_excel(paths["training"], index=False)
    m.to_excel(paths["mentoring"], index=False)
    o.to_excel(paths["jp_lain"], index=False)
    return paths
