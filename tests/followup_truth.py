"""A training file and an SKM file with a known truth, for the follow-up scorecard tests.

Five programs, each built so that its recommendation under the default rules is known before any
code runs (the changes are exact patterns, not random draws, so every mean is known):

| program | participants | knowledge change | performance change | citizens (IKM) | truth |
|---|---|---|---|---|---|
| ``Kuat`` (strong) | 120 | +10 ± 3 | +4 ± 2 against +1 for comparison staff | units rise, comparison units flat | ``kembangkan`` |
| ``Nol`` (null, many) | 400 | exactly 0 (±3 alternating) | exactly the comparison staff's +1 | not surveyed | ``hentikan`` (precise null) |
| ``Kecil`` (tiny) | 5 | +12 | +3 | not surveyed | ``data_belum_cukup`` |
| ``Rugi`` (harmful) | 60 | −6 ± 2 | the comparison staff's +1 | not surveyed | ``hentikan`` (harm) |
| ``Tahu`` (learns, works the same) | 60 | +8 ± 3 | the comparison staff's +1, ±5 by kecamatan | not surveyed | ``perbaiki`` |

300 comparison staff (``kelompok = pembanding``, no program) change their performance by +1 ± 0.5.
Everyone is spread over the 21 kecamatan of Kota Medan in turn, so the difference in differences is
clustered on 21 districts; ``Tahu``'s performance pattern has three values and 21 is a multiple of
three, so each kecamatan holds one value only: the clusters differ, the CI is wide, and the null is
not precise (performance "not significant" with enough pairs, not "negligible").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.districts import load_districts
from analysis.voice.ikm import ELEMENTS

START, END = pd.Timestamp("2025-04-07"), pd.Timestamp("2025-04-11")

#: program → (participants, knowledge pattern, performance pattern); a pattern's values repeat
#: over the participants, and every count is a multiple of its pattern's length, so the mean of
#: the changes is exactly the mean of the pattern.
PROGRAMS = {
    "Kuat": (120, [13.0, 7.0, 10.0, 10.0], [6.0, 2.0, 4.0, 4.0]),
    "Nol": (400, [3.0, -3.0], [3.0, -1.0]),
    "Kecil": (5, [12.0], [3.0]),
    "Rugi": (60, [-8.0, -4.0, -6.0, -6.0], [1.5, 0.5]),
    "Tahu": (60, [11.0, 5.0, 8.0, 8.0], [6.0, -4.0, 1.0]),
}
TRUTH = {"Kuat": ("kembangkan", "scale_up"), "Nol": ("hentikan", "precise_null"),
         "Kecil": ("data_belum_cukup", "too_few_pairs"), "Rugi": ("hentikan", "harm_learning"),
         "Tahu": ("perbaiki", "learning_not_behaviour")}
COMPARISON = 300
COMPARISON_PATTERN = [1.5, 0.5]
KUAT_UNITS = [f"Puskesmas Kuat {i}" for i in range(1, 5)]
OTHER_UNITS = [f"Puskesmas Lain {i}" for i in range(1, 5)]


def _districts() -> tuple[list[str], dict[str, str]]:
    table = load_districts().table
    return table["kecamatan"].tolist(), dict(zip(table["kecamatan"], table["kode"]))


def known_truth_training() -> pd.DataFrame:
    """The training file in canonical columns (participants of the five programs, then comparison staff)."""
    names, codes = _districts()
    rows, i = [], 0
    for program, (n, know, perf) in PROGRAMS.items():
        for j in range(n):
            kec = names[i % len(names)]
            pre = 55.0 + (j % 9)
            before = 78.0 + (j % 5)
            rows.append({
                "nip": f"19850312201001{1 + i % 2}{i % 999 + 1:03d}", "nama": f"Peserta {i + 1}",
                "unit_kerja": KUAT_UNITS[j % 4] if program == "Kuat" else f"Kantor {program}",
                "kecamatan": kec, "kode_kecamatan": codes[kec], "program": program, "jenis_program": "pelatihan",
                "kelompok": "peserta", "tanggal_mulai": START, "tanggal_selesai": END, "jp": 24.0,
                "nilai_pre": pre, "nilai_post": pre + know[j % len(know)],
                "kinerja_sebelum": before, "kinerja_sesudah": before + perf[j % len(perf)],
                "kepuasan_peserta": 4.0 + (j % 2),
            })
            i += 1
    for j in range(COMPARISON):
        kec = names[i % len(names)]
        before = 78.0 + (j % 5)
        rows.append({
            "nip": f"19800101200501{1 + i % 2}{i % 999 + 1:03d}", "nama": f"Pembanding {j + 1}", "unit_kerja": "Kantor Pembanding",
            "kecamatan": kec, "kode_kecamatan": codes[kec], "program": None, "jenis_program": None,
            "kelompok": "pembanding", "tanggal_mulai": pd.NaT, "tanggal_selesai": pd.NaT, "jp": np.nan,
            "nilai_pre": np.nan, "nilai_post": np.nan,
            "kinerja_sebelum": before, "kinerja_sesudah": before + COMPARISON_PATTERN[j % 2],
            "kepuasan_peserta": np.nan,
        })
        i += 1
    df = pd.DataFrame(rows)
    for col in ("nip", "nama", "unit_kerja", "kecamatan", "kode_kecamatan", "program", "jenis_program", "kelompok"):
        df[col] = df[col].astype("str")
    return df


#: unit → (answers before, answers after); each respondent gives one answer to all nine elements.
SURVEY = {
    "Puskesmas Kuat 1": ([3, 3, 2, 3, 3, 2, 3, 3], [4, 4, 3, 4, 4, 3, 4, 4]),
    "Puskesmas Kuat 2": ([2, 3, 2, 3, 3, 2, 3, 2], [4, 3, 3, 4, 4, 3, 4, 3]),
    "Puskesmas Kuat 3": ([3, 3, 3, 3, 3, 2, 3, 3], [4, 4, 4, 4, 3, 3, 4, 4]),
    "Puskesmas Kuat 4": ([3, 2, 2, 3, 3, 2, 3, 3], [3, 4, 3, 4, 4, 3, 4, 3]),
    "Puskesmas Lain 1": ([3, 3, 3, 2, 3, 3, 3, 3], [3, 3, 3, 3, 2, 3, 3, 3]),
    "Puskesmas Lain 2": ([3, 2, 3, 2, 3, 3, 3, 3], [3, 3, 3, 2, 2, 3, 3, 3]),
    "Puskesmas Lain 3": ([3, 3, 3, 3, 3, 3, 4, 3], [3, 3, 4, 3, 3, 3, 3, 3]),
    "Puskesmas Lain 4": ([2, 3, 3, 2, 3, 3, 3, 3], [3, 3, 2, 3, 3, 3, 2, 3]),
}


def known_truth_feedback() -> pd.DataFrame:
    """The SKM file: the strong program's four units and four units without trained staff, eight
    respondents each in 2025-Q1 (before) and 2025-Q3 (after)."""
    parts = []
    for unit, (before, after) in SURVEY.items():
        for day, answers in (("2025-02-12", before), ("2025-08-12", after)):
            parts.append(pd.DataFrame({"tanggal": pd.Timestamp(day), "unit_layanan": unit,
                                       "kecamatan": "Medan Baru",
                                       **{u: [float(a) for a in answers] for u in ELEMENTS}}))
    df = pd.concat(parts, ignore_index=True)
    df["unit_layanan"] = df["unit_layanan"].astype("str")
    df["kecamatan"] = df["kecamatan"].astype("str")
    return df
