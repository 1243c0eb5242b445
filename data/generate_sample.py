"""Write the bundled synthetic sample workbooks (DATA SINTETIS / SYNTHETIC) under ``data/sample/``.

Run ``python data/generate_sample.py [OUT_DIR]``: the same seeds and a fixed creation date make
every run write byte-identical files, so the committed workbooks can be checked against a fresh
generation (``tests/test_sample_data.py``).

The four program workbooks and the other-development one (``jp_lain``) look like exports from
Indonesian local government (docs/domain.md §9): an instructions sheet "Petunjuk" first, then the
data sheet with two title rows, a blank row, the header row (row 4), a "No" column, data rows and a
closing totals row. The fifth, the quarterly
appraisals (``kinerja_2025.xlsx``), looks like BKN e-Kinerja's "Rekap Penilaian" export: one sheet
per quarter with three title lines (agency, unit, "Periode Triwulan I Tahun 2025"), a blank line,
and the header on row 5 (``No | NIP | Nama | Jabatan | Rating Hasil Kinerja | Rating Perilaku
Kerja | Predikat Kinerja Periodik``, plus the unit and kecamatan an analyst adds). Kecamatan are written in the
messy ways real exports use, NIPs are 18-digit text with a valid structure
(Perka BKN 22/2007 layout), dates are real Excel date cells.

Ground truth built in (the tests check it after the intake has read the files):

- knowledge (pre/post test): every program has a real gain of varied size except
  :data:`NO_EFFECT_PROGRAM` (none); :data:`DISTRICT_PROGRAM` gains only in
  :data:`DISTRICT_EFFECT_KECAMATAN`;
- performance (SKP 0-120): everybody, participants or not, drifts up by :data:`SKP_TREND`
  (a secular trend); participants gain a little more, so the difference-in-differences against
  the "Pembanding" group is smaller than the participants' naive before/after change;
- citizen satisfaction (SKM): service units whose staff took part improve more between the round
  before the programs (Feb-Mar 2025) and the round after (Oct-Nov 2025) than units whose staff did
  not; baseline IKM mostly grade B, some C, a few A;
- other competency development (``jp_lain_2025.xlsx``: seminars, webinars, e-learning taken alone,
  technical guidance elsewhere) for about a third of the ASN, a few in late 2024, so some reach
  the yearly 20 JP only with it and the comparison group is not all at zero; the quarter-IV
  appraisal sheet carries a ``Potensi`` column (the year's potential assessment, as an analyst adds
  it: a level, or a score 0-100 for some; empty for those not yet assessed) for the talent box;
- :data:`BAD_ROW_KINDS`: five deliberately bad rows in the training workbook, listed (with their
  Excel row numbers) on its Petunjuk sheet and in the manifest :func:`main` returns;
- appraisals (e-Kinerja predikat per quarter of 2025, the same ASN): mentoring raises the mentees'
  ratings only in :data:`MENTORING_EFFECT_KECAMATAN`, more with more sessions and more with some
  mentors than others; everybody drifts up a little; other programs raise their participants'
  ratings a little once they ended; about 1% of person-quarters are missing.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import ndtr

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the layout and the places live beside this script
    sys.path.insert(0, str(HERE))

from sample_places import (  # noqa: E402
    EVENT_NOTES, GENERIC_PRAISE, JENIS_LAYANAN, OTHER_DEVELOPMENT, PEKERJAAN, PENDIDIKAN, SARAN, districts,
    messy_kecamatan, make_nips, person_name, units_of_medan,
)
# the layout names are also read through this module by the tests that check the sample
from sample_workbooks import (  # noqa: E402, F401
    APPRAISAL_QUARTERS, EVENTS_HEADERS, FEEDBACK_HEADERS, FILES, HEADER_ROW, JP_LAIN_HEADERS, KINERJA_HEADERS,
    LABEL, MENTORING_HEADERS, POTENSI_HEADER, SHEETS, TRAINING_HEADERS, YEAR, write_events, write_feedback,
    write_jp_lain, write_kinerja, write_mentoring, write_training,
)

SAMPLE_DIR = HERE / "sample"

SEED = 20250417
N_PARTICIPANTS = 2400  # ASN who took at least one program
N_COMPARISON = 600  # ASN who took none ("Pembanding")
SKP_TREND = 2.0  # SKP points everybody gains between the two appraisals
SKP_SELECTION = -1.0  # participants start this much lower than non-participants


@dataclass(frozen=True)
class Program:
    """One 2025 program and the truth built into its scores."""

    name: str
    jenis: str
    jp: int
    n: int  # participant rows
    batches: int
    pre_mean: float
    gain: float  # true mean knowledge gain (post - pre), test points
    sd_delta: float
    perf_gain: float  # true SKP gain on top of the secular trend
    satisfaction: float  # mean Kepuasan Peserta, 1-5


PROGRAMS: tuple[Program, ...] = (
    Program("Pemanfaatan TI dalam Pelayanan Publik", "Pelatihan", 32, 330, 3, 58, 11.0, 8, 1.5, 4.3),
    Program("Pelayanan Prima", "Pelatihan", 24, 320, 3, 76, 7.0, 7, 1.2, 4.4),
    Program("Manajemen Pengaduan", "Workshop", 16, 260, 2, 60, 12.0, 7, 1.0, 4.0),
    Program("Literasi Data", "E-Learning", 20, 300, 2, 55, 6.0, 9, 0.8, 3.8),
    Program("Mentoring Senior-Junior Kecamatan", "Mentoring", 24, 300, 1, 62, 5.0, 6, 2.0, 4.5),
    Program("Tata Naskah Dinas Elektronik", "E-Learning", 8, 280, 2, 52, 14.0, 9, 0.5, 4.1),
    Program("Etika dan Budaya Kerja BerAKHLAK", "Workshop", 12, 220, 2, 71, 0.0, 7, 0.0, 4.2),
    Program("Keterbukaan Informasi Publik", "Workshop", 16, 180, 1, 64, 3.0, 7, 0.3, 3.9),
    Program("Penyusunan SKP dan Manajemen Kinerja", "Pelatihan", 24, 240, 2, 57, 8.0, 8, 1.8, 4.0),
    Program("Komunikasi Publik dan Media Sosial", "Pelatihan", 20, 200, 2, 60, 9.0, 8, 0.7, 4.3),
    Program("Kepemimpinan Pengawas", "Pelatihan", 40, 150, 1, 66, 6.0, 6, 1.5, 4.2),
    Program("Pengadaan Barang/Jasa Pemerintah", "Pelatihan", 32, 120, 1, 54, 10.0, 9, 0.6, 3.7),
)
NO_EFFECT_PROGRAM = "Etika dan Budaya Kerja BerAKHLAK"
DISTRICT_PROGRAM = "Manajemen Pengaduan"
DISTRICT_EFFECT_KECAMATAN = (
    "Medan Baru", "Medan Sunggal", "Medan Helvetia", "Medan Johor", "Medan Tembung",
    "Medan Selayang", "Medan Petisah",
)
MENTORING_PROGRAM = "Mentoring Senior-Junior Kecamatan"
# The appraisal truth (e-Kinerja predikat per quarter): mentoring raises the mentees' ratings in these
# kecamatan only, more with more sessions (dose) and more with some mentors than others; elsewhere it
# does nothing. Other programs raise their participants' ratings a little once they have ended.
MENTORING_EFFECT_KECAMATAN = (
    "Medan Baru", "Medan Sunggal", "Medan Helvetia", "Medan Johor", "Medan Tembung", "Medan Petisah",
    "Medan Denai", "Medan Timur",
)
MENTORING_EFFECT = 2.2  # latent rating points at the median of 7 sessions, in the kecamatan above
LEADERSHIP_PROGRAM = "Kepemimpinan Pengawas"

# The deliberately bad training rows, named by the issue code the intake reports for each.
BAD_ROW_KINDS = (
    "unknown_kecamatan",  # Kecamatan "Medan Raya"
    "nip_as_number",  # NIP stored as a number (15 significant digits left)
    "out_of_range",  # Nilai Post Test 120
    "invalid_date",  # Tanggal Mulai "31/04/2025", a day April does not have
    "duplicate_row",  # the same participant and program a second time
)

# --------------------------------------------------------------------------- the model


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _round1(x: float) -> float:
    return float(np.round(x, 1))


def _batches(rng: np.random.Generator, prog: Program) -> list[tuple[dt.date, dt.date]]:
    """Start and end of each batch (angkatan); every program ends before 30 September."""
    out = []
    if prog.jenis == "Mentoring":
        return [(dt.date(YEAR, 6, 2), dt.date(YEAR, 8, 29))]
    for b in range(prog.batches):
        # spread batches from mid-April to early September, a Monday each
        lo = dt.date(YEAR, 4, 14).toordinal() + b * 140 // prog.batches
        start = dt.date.fromordinal(lo + 7 * int(rng.integers(0, 3)))
        start -= dt.timedelta(days=start.weekday())
        if prog.jenis == "E-Learning":
            end = start + dt.timedelta(days=int(rng.choice([18, 25, 32])))
        else:
            end = start + dt.timedelta(days=max(1, -(-prog.jp // 8)) - 1)
        out.append((start, _weekday_on_or_after(end)))
    return out


def build_roster(rng: np.random.Generator) -> dict:
    """The ASN, their units and which programs each took."""
    units = units_of_medan()
    n = N_PARTICIPANTS + N_COMPARISON
    nips, genders, tmt_years = make_nips(rng, n)
    names = [person_name(rng, int(g)) for g in genders]

    trainable = [u for u in units if u["trained"]]
    w = np.array([u["weight"] for u in trainable])
    part_units = rng.choice(len(trainable), size=N_PARTICIPANTS, p=w / w.sum())
    w_cmp = np.array([u["weight"] * (4.0 if not u["trained"] else 1.0) for u in units])
    cmp_units = rng.choice(len(units), size=N_COMPARISON, p=w_cmp / w_cmp.sum())
    unit_of = [trainable[i] for i in part_units] + [units[i] for i in cmp_units]

    base = rng.normal(80.0, 6.0, n)
    base[:N_PARTICIPANTS] += SKP_SELECTION
    asn = [
        {"nip": nips[i], "nama": names[i], "unit": unit_of[i]["name"],
         "kecamatan": unit_of[i]["kecamatan"], "tmt": int(tmt_years[i]),
         "participant": i < N_PARTICIPANTS, "skp_base": float(base[i])}
        for i in range(n)
    ]

    # programs: mentees are juniors, leadership participants seniors, the rest anyone
    members: dict[str, list[int]] = {p.name: [] for p in PROGRAMS}
    part_idx = np.arange(N_PARTICIPANTS)
    juniors = [i for i in part_idx if asn[i]["tmt"] >= 2014]
    mentees = [int(i) for i in rng.choice(juniors, size=_prog(MENTORING_PROGRAM).n, replace=False)]
    members[MENTORING_PROGRAM] = mentees
    mentee_set = set(mentees)
    seniors = [i for i in part_idx if asn[i]["tmt"] <= 2010 and i not in mentee_set]
    members[LEADERSHIP_PROGRAM] = [int(i) for i in rng.choice(
        seniors, size=_prog(LEADERSHIP_PROGRAM).n, replace=False)]
    assigned = set(members[MENTORING_PROGRAM]) | set(members[LEADERSHIP_PROGRAM])
    others = [p for p in PROGRAMS if p.name not in (MENTORING_PROGRAM, LEADERSHIP_PROGRAM)]
    slots = np.concatenate([np.full(p.n, k) for k, p in enumerate(others)])
    rng.shuffle(slots)
    free = [int(i) for i in rng.permutation([i for i in part_idx if i not in assigned])]
    for person, k in zip(free, slots):  # everybody takes at least one program
        members[others[int(k)].name].append(person)
    for k, p in enumerate(others):  # the remaining places go to people taking a second one
        need = p.n - len(members[p.name])
        taken = set(members[p.name])
        pool = [i for i in part_idx if i not in taken]
        members[p.name].extend(int(i) for i in rng.choice(pool, size=need, replace=False))

    # mentors: seniors of the mentee's kecamatan, two to four mentees each
    mentors_by_kec: dict[str, list[int]] = {}
    for i in part_idx:
        if asn[i]["tmt"] <= 2012 and i not in mentee_set:
            mentors_by_kec.setdefault(asn[i]["kecamatan"], []).append(int(i))
    pairs = []
    for kec in sorted({asn[i]["kecamatan"] for i in mentees}):
        group = [i for i in mentees if asn[i]["kecamatan"] == kec]
        n_mentors = max(1, -(-len(group) // 3))
        chosen = [int(i) for i in rng.choice(mentors_by_kec[kec], size=n_mentors, replace=False)]
        for j, mentee in enumerate(group):
            pairs.append((chosen[j % n_mentors], mentee))
    return {"units": units, "asn": asn, "members": members, "pairs": pairs}


def _prog(name: str) -> Program:
    return next(p for p in PROGRAMS if p.name == name)


# --------------------------------------------------------------------------- training rows


def _score_cell(rng: np.random.Generator, value: float, p_missing: float, p_text: float):
    """A score as exports hold it: a number, sometimes ``-``/empty, sometimes text ``78,5``."""
    u = rng.random()
    if u < p_missing / 2:
        return "-"
    if u < p_missing:
        return None
    if u < p_missing + p_text:
        return f"{value:.1f}".replace(".", ",")
    return value


def build_training(rng: np.random.Generator, roster: dict) -> tuple[list[list], list[dict]]:
    """Rows of the REKAP sheet (cells in header order, ``No`` filled later) and the bad rows."""
    asn = roster["asn"]
    skp_gain = np.zeros(len(asn))
    for p in PROGRAMS:
        for i in roster["members"][p.name]:
            gain = p.perf_gain
            if p.name == DISTRICT_PROGRAM and asn[i]["kecamatan"] not in DISTRICT_EFFECT_KECAMATAN:
                gain = 0.0
            skp_gain[i] += gain
    skp_before = np.array([a["skp_base"] for a in asn]) + rng.normal(0, 2.5, len(asn))
    skp_after = (np.array([a["skp_base"] for a in asn]) + SKP_TREND + skp_gain
                 + rng.normal(0, 2.5, len(asn)))
    skp_before = np.clip(np.round(skp_before, 1), 0, 120)
    skp_after = np.clip(np.round(skp_after, 1), 0, 120)
    skp_missing_before = rng.random(len(asn)) < 0.01
    skp_missing_after = rng.random(len(asn)) < 0.015
    mentoring_jp = {mentee: None for _, mentee in roster["pairs"]}
    roster["sessions"] = {}
    for _, mentee in roster["pairs"]:
        sessions = int(rng.integers(4, 11))
        roster["sessions"][mentee] = sessions
        mentoring_jp[mentee] = 4 * sessions

    def skp_cell(i: int, after: bool):
        if (skp_missing_after if after else skp_missing_before)[i]:
            return "-" if rng.random() < 0.5 else None
        return float((skp_after if after else skp_before)[i])

    rows: list[dict] = []
    for p in PROGRAMS:
        batches = _batches(rng, p)
        members = roster["members"][p.name]
        batch_of = rng.integers(0, len(batches), size=len(members))
        pre = np.clip(rng.normal(p.pre_mean, 10.0, len(members)), 0, 100)
        gain = np.full(len(members), p.gain)
        if p.name == DISTRICT_PROGRAM:
            inside = np.array([asn[i]["kecamatan"] in DISTRICT_EFFECT_KECAMATAN for i in members])
            gain = np.where(inside, p.gain, 0.0)
        post = np.clip(pre + gain + rng.normal(0, p.sd_delta, len(members)), 0, 100)
        sat = np.clip(rng.normal(p.satisfaction, 0.45, len(members)), 1, 5)
        for k, i in enumerate(members):
            a = asn[i]
            start, end = batches[int(batch_of[k])]
            roster.setdefault("programs_of", {}).setdefault(i, []).append((p.name, end))
            jp = mentoring_jp[i] if p.name == MENTORING_PROGRAM else p.jp
            nip = a["nip"]
            if rng.random() < 0.06:  # exports often space the NIP's parts
                nip = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
            rows.append({
                "sort": (PROGRAMS.index(p), int(batch_of[k]), a["kecamatan"], a["unit"], a["nama"]),
                "clean": True,
                "cells": [
                    None, nip, a["nama"], a["unit"], messy_kecamatan(rng, a["kecamatan"]),
                    p.name, p.jenis, "Peserta", start, end, float(jp),
                    _score_cell(rng, _round1(pre[k]), 0.012, 0.01),
                    _score_cell(rng, _round1(post[k]), 0.012, 0.01),
                    skp_cell(i, False), skp_cell(i, True),
                    None if rng.random() < 0.03 else _round1(sat[k]),
                ],
            })
    rows.sort(key=lambda r: r["sort"])
    comparison = []
    for i in range(N_PARTICIPANTS, len(asn)):
        a = asn[i]
        nip = a["nip"]
        if rng.random() < 0.06:
            nip = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        comparison.append({
            "sort": (a["kecamatan"], a["unit"], a["nama"]),
            "clean": True,
            "cells": [None, nip, a["nama"], a["unit"], messy_kecamatan(rng, a["kecamatan"]),
                      None, None, "Pembanding", None, None, None, None, None,
                      skp_cell(i, False), skp_cell(i, True), None],
        })
    comparison.sort(key=lambda r: r["sort"])

    # a row is "clean" (fit to carry one deliberate fault) when every cell is well formed
    for r in rows:
        c = r["cells"]
        r["clean"] = (all(isinstance(c[j], float) for j in (10, 11, 12, 13, 14, 15))
                      and " " not in c[1] and c[4] == _official(c[4]))

    bad: list[dict] = []
    n = len(rows)
    for kind, frac in zip(BAD_ROW_KINDS, (0.07, 0.23, 0.41, 0.62, 0.80)):
        k = int(frac * n)
        while not rows[k]["clean"] or any(rows[k]["cells"][1] == b["nip"] for b in bad):
            k += 1
        r = rows[k]
        c = r["cells"]
        entry = {"code": kind, "nip": c[1]}
        if kind == "unknown_kecamatan":
            c[4] = "Medan Raya"
            entry.update(column="Kecamatan", value="Medan Raya")
        elif kind == "nip_as_number":
            c[1] = float(f"{int(c[1]):.15g}")
            entry.update(column="NIP", value=c[1])
        elif kind == "out_of_range":
            c[12] = 120.0
            entry.update(column="Nilai Post Test", value=120.0)
        elif kind == "invalid_date":
            c[8] = "31/04/2025"
            entry.update(column="Tanggal Mulai", value="31/04/2025")
        else:  # the same participant and program again, a few rows further down
            copy = {"sort": r["sort"], "clean": False, "cells": list(c), "duplicate_of": id(r)}
            rows.insert(k + 12, copy)
            r = copy
            entry.update(column="NIP", value=c[1])
        r["bad"] = entry
        r["clean"] = False
        bad.append(entry)

    ordered = rows + comparison
    first = HEADER_ROW + 1
    ids = {id(r): first + j for j, r in enumerate(ordered)}
    for j, r in enumerate(ordered):
        r["cells"][0] = j + 1
        if "bad" in r:
            r["bad"]["row"] = first + j
            if "duplicate_of" in r:
                r["bad"]["duplicate_of_row"] = ids[r["duplicate_of"]]
    bad.sort(key=lambda b: b["row"])
    return [r["cells"] for r in ordered], bad


def _official(name: str, _names: set[str] = set()) -> str:
    """``name`` when it is written exactly as in the district table, else ``""``."""
    if not _names:
        _names.update(d["kecamatan"] for d in districts())
    return name if name in _names else ""


# --------------------------------------------------------------------------- SKM rows


def _calibration(sd: float) -> tuple[np.ndarray, np.ndarray]:
    """Latent mean -> expected 1-4 answer when answers are the rounded, clipped latent."""
    mu = np.linspace(-1.0, 6.0, 2801)
    cuts = np.array([1.5, 2.5, 3.5])
    cdf = ndtr((cuts[None, :] - mu[:, None]) / sd)
    expected = 1 + (1 - cdf).sum(axis=1)
    return expected, mu


ELEMENT_OFFSET = np.array([0.05, -0.05, -0.20, 0.25, 0.05, 0.02, 0.00, -0.15, -0.10])
TRAINED_GAIN = np.array([0.10, 0.10, 0.20, 0.05, 0.10, 0.30, 0.30, 0.05, 0.20])  # 1-4 scale
UNTRAINED_GAIN = np.full(9, 0.04)


def build_feedback(rng: np.random.Generator, roster: dict) -> tuple[list[list], dict]:
    """Rows of the SKM sheet and each unit's designed baseline IKM."""
    surveyed = [u for u in roster["units"] if u["skm"]]
    trained_names = {roster["asn"][i]["unit"] for p in PROGRAMS for i in roster["members"][p.name]}
    n_units = len(surveyed)
    grade_plan = np.array(["A"] * 4 + ["C"] * 8 + ["B"] * (n_units - 12))
    rng.shuffle(grade_plan)
    sd_resp, sd_item = 0.30, 0.50
    expected, mu_grid = _calibration(float(np.hypot(sd_resp, sd_item)))
    rows, design = [], {}
    for u, grade in zip(surveyed, grade_plan):
        lo, hi = {"A": (88.6, 91.5), "B": (77.5, 85.5), "C": (70.0, 75.5)}[str(grade)]
        ikm0 = float(rng.uniform(lo, hi))
        design[u["name"]] = {"ikm_before": ikm0, "trained": u["name"] in trained_names}
        target0 = ikm0 / 25 + ELEMENT_OFFSET - ELEMENT_OFFSET.mean() + rng.normal(0, 0.04, 9)
        gain = TRAINED_GAIN if u["name"] in trained_names else UNTRAINED_GAIN
        layanan = JENIS_LAYANAN.get(u["type"]) or JENIS_LAYANAN[u["name"]]
        for rnd, (first_day, last_day) in enumerate(
                ((dt.date(YEAR, 2, 3), dt.date(YEAR, 3, 14)),
                 (dt.date(YEAR, 10, 1), dt.date(YEAR, 11, 14)))):
            target = np.clip(target0 + (gain + rng.normal(0, 0.03, 9) if rnd else 0.0), 1.05, 3.95)
            latent = np.interp(target, expected, mu_grid)
            n = int(rng.integers(60, 151))
            start = first_day.toordinal() + int(rng.integers(0, 14))
            days = sorted(_weekday_on_or_after(dt.date.fromordinal(start + int(d)))
                          for d in rng.integers(0, 21, n))
            days = [min(d, last_day) for d in days]
            y = latent[None, :] + rng.normal(0, sd_resp, (n, 1)) + rng.normal(0, sd_item, (n, 9))
            answers = np.clip(np.rint(y), 1, 4)
            skip = rng.random(n) < 0.04
            skip_col = np.where(rng.random(n) < 0.6, 8, rng.integers(0, 9, n))
            for r in range(n):
                u_cells: list = [float(x) for x in answers[r]]
                if skip[r]:
                    u_cells[int(skip_col[r])] = None
                age = int(np.clip(np.rint(rng.normal(38, 13)), 17, 75))
                job = str(rng.choice(PEKERJAAN, p=[0.12, 0.22, 0.2, 0.12, 0.18, 0.08, 0.08]))
                if age < 23 and rng.random() < 0.7:
                    job = "Pelajar/Mahasiswa"
                rows.append([
                    None, days[r], u["name"], messy_kecamatan(rng, u["kecamatan"]),
                    str(rng.choice(layanan)), *u_cells,
                    "L" if rng.random() < 0.47 else "P", float(age),
                    str(rng.choice(PENDIDIKAN, p=[0.05, 0.1, 0.45, 0.12, 0.24, 0.04])), job,
                    _saran(rng, float(np.nanmean(answers[r]))),
                ])
    for j, row in enumerate(rows):
        row[0] = j + 1
    return rows, design


def _saran(rng: np.random.Generator, mean_answer: float) -> str | None:
    if rng.random() < 0.58:
        return None
    if mean_answer >= 3.4 and rng.random() < 0.4:
        return str(rng.choice(GENERIC_PRAISE))
    themes = list(SARAN)
    picks = rng.choice(len(themes), size=1 + int(rng.random() < 0.3), replace=False)
    negative = rng.random() < np.clip((3.6 - mean_answer) / 1.6, 0.1, 0.95)
    parts = [str(rng.choice(SARAN[themes[int(k)]][0 if negative else 1])) for k in picks]
    return " ".join(parts)


# --------------------------------------------------------------------------- mentoring, events


def build_mentoring(rng: np.random.Generator, roster: dict) -> list[list]:
    asn = roster["asn"]
    start, end = _batches(rng, _prog(MENTORING_PROGRAM))[0]
    rows = []
    for mentor, mentee in sorted(roster["pairs"], key=lambda p: (asn[p[1]]["kecamatan"],
                                                                 asn[p[0]]["nama"], p)):
        sessions = roster["sessions"][mentee]
        last = _weekday_on_or_after(start + dt.timedelta(days=7 * (sessions + 1)
                                                         + int(rng.integers(0, 5))))
        roster.setdefault("mentoring_end", {})[mentee] = min(last, end)
        rows.append([
            None, asn[mentor]["nip"], asn[mentee]["nip"],
            messy_kecamatan(rng, asn[mentee]["kecamatan"]),
            start + dt.timedelta(days=int(rng.integers(0, 5))), min(last, end),
            float(sessions), None if rng.random() < 0.05 else float(4 * sessions),
        ])
    for j, row in enumerate(rows):
        row[0] = j + 1
    return rows


def build_events(rng: np.random.Generator, roster: dict) -> list[list]:
    units = [u for u in roster["units"] if u["skm"]]
    camat = [u for u in units if u["type"] == "camat"]
    others = [u for u in units if u["type"] != "camat"]
    events = []
    for u in camat:  # two or three forums per kecamatan
        for _ in range(2 + int(rng.random() < 0.4)):
            events.append(("Forum Warga", u))
    for k in rng.choice(len(others), size=80 - len(events), replace=True):
        events.append(("Open House", others[int(k)]))
    rows = []
    for jenis, u in events:
        day = _weekday_on_or_after(dt.date(YEAR, 1, 13) + dt.timedelta(days=int(rng.integers(0, 330))))
        peserta = int(rng.integers(30, 151) if jenis == "Forum Warga" else rng.integers(50, 301))
        masukan = None if rng.random() < 0.1 else float(int(rng.integers(0, 36)))
        note = None if rng.random() < 0.4 else str(rng.choice(EVENT_NOTES[jenis]))
        rows.append([None, jenis, day, messy_kecamatan(rng, u["kecamatan"]), u["name"],
                     float(peserta), masukan, note])
    rows.sort(key=lambda r: (r[2], r[4]))
    for j, row in enumerate(rows):
        row[0] = j + 1
    return rows


# --------------------------------------------------------------------------- appraisals (e-Kinerja)

RATING_WORDS = ("Dibawah Ekspektasi", "Sesuai Ekspektasi", "Diatas Ekspektasi")  # as e-Kinerja writes them
# PermenPANRB 6/2022, Lampiran: (rating hasil kerja, rating perilaku kerja), 0 below .. 2 above -> predikat
PREDIKAT_OF = {
    (2, 2): "Sangat Baik", (2, 1): "Baik", (2, 0): "Kurang/Misconduct",
    (1, 2): "Baik", (1, 1): "Baik", (1, 0): "Kurang/Misconduct",
    (0, 2): "Butuh Perbaikan", (0, 1): "Butuh Perbaikan", (0, 0): "Sangat Kurang",
}
JABATAN_JUNIOR = ("Pengadministrasi Umum", "Pengelola Data", "Analis Kebijakan Ahli Pertama", "Pranata Komputer Terampil")
JABATAN_SENIOR = ("Kepala Seksi", "Kepala Subbagian", "Analis Kebijakan Ahli Muda", "Sekretaris Camat")


def build_jp_lain(rng: np.random.Generator, roster: dict) -> list[list]:
    """Other development for about a third of the ASN: one to three activities each, mostly in
    2025, some in November-December 2024 (they count for that year's JP, not 2025's)."""
    asn = roster["asn"]
    rows = []
    for i in range(len(asn)):
        if rng.random() >= (0.36 if asn[i]["participant"] else 0.25):
            continue
        for _ in range(1 + int(rng.random() < 0.35) + int(rng.random() < 0.1)):
            name, form, organiser, jp = OTHER_DEVELOPMENT[int(rng.integers(0, len(OTHER_DEVELOPMENT)))]
            if rng.random() < 0.06:
                start = dt.date(YEAR - 1, 11, 3) + dt.timedelta(days=int(rng.integers(0, 50)))
            else:
                start = dt.date(YEAR, 1, 13) + dt.timedelta(days=int(rng.integers(0, 320)))
            start = _weekday_on_or_after(start)
            days = {"magang": 20, "kursus": 30, "bimtek": 3, "e-learning": 14}.get(form, 0)
            rows.append([None, asn[i]["nip"], asn[i]["nama"], name, form.title() if form != "e-learning" else "E-Learning",
                         organiser, start, _weekday_on_or_after(start + dt.timedelta(days=days)), float(jp),
                         f"SRT/{start:%Y}/{int(rng.integers(1000, 10000))}"])
    rows.sort(key=lambda r: (r[6], r[1]))
    for j, row in enumerate(rows):
        row[0] = j + 1
    return rows


def build_potensi(rng: np.random.Generator, roster: dict) -> dict[str, object]:
    """NIP → the year's potential assessment: ``rendah`` / ``menengah`` / ``tinggi`` (or, for a
    quarter, a score 0-100), loosely tied to the baseline appraisal; about a quarter not assessed."""
    out: dict[str, object] = {}
    for a in roster["asn"]:
        if rng.random() < 0.25:
            continue
        latent = (a["skp_base"] - 80.0) / 6.0 * 0.6 + rng.normal(0, 0.8)
        if rng.random() < 0.25:
            out[a["nip"]] = float(np.clip(np.round(68 + 12 * latent, 1), 30, 99))
        else:
            out[a["nip"]] = "tinggi" if latent > 0.7 else ("rendah" if latent < -0.7 else "menengah")
    return out


def _rating(latent: np.ndarray) -> np.ndarray:
    """A latent rating as 0 (di bawah), 1 (sesuai) or 2 (di atas ekspektasi)."""
    return np.where(latent > 1.0, 2, np.where(latent < -1.4, 0, 1))


def _appraisal_effects(roster: dict, mentor_quality: dict) -> np.ndarray:
    """Latent rating points each person gains in each quarter: the programs that ended before the
    quarter started, and mentoring in :data:`MENTORING_EFFECT_KECAMATAN` (dose: sessions / 7; mentor)."""
    asn = roster["asn"]
    gains = {p.name: p.perf_gain / 4 for p in PROGRAMS}
    mentor_of = {mentee: mentor for mentor, mentee in roster["pairs"]}
    effect = np.zeros((len(asn), len(APPRAISAL_QUARTERS)))
    for q_index, q in enumerate(APPRAISAL_QUARTERS):
        first_day = dt.date(YEAR, 3 * q - 2, 1)
        for i, programs in roster.get("programs_of", {}).items():
            for name, end in programs:
                local = name != DISTRICT_PROGRAM or asn[i]["kecamatan"] in DISTRICT_EFFECT_KECAMATAN
                if name != MENTORING_PROGRAM and end < first_day and local:
                    effect[i, q_index] += gains[name]
        for mentee, end in roster["mentoring_end"].items():
            if end < first_day and asn[mentee]["kecamatan"] in MENTORING_EFFECT_KECAMATAN:
                dose = roster["sessions"][mentee] / 7
                effect[mentee, q_index] += MENTORING_EFFECT * dose * mentor_quality[mentor_of[mentee]]
    return effect


def build_kinerja(rng: np.random.Generator, roster: dict) -> dict[int, list[list]]:
    """The quarterly e-Kinerja rows of every ASN (participants and the comparison group): cells in
    :data:`KINERJA_HEADERS` order per quarter."""
    asn = roster["asn"]
    n = len(asn)
    mentors = sorted({mentor for mentor, _ in roster["pairs"]})
    mentor_quality = dict(zip(mentors, np.clip(rng.normal(1.0, 0.25, len(mentors)), 0.4, 1.6)))
    effect = _appraisal_effects(roster, mentor_quality)
    z = (np.array([a["skp_base"] for a in asn]) - 80.0) / 6.0
    junior = np.array([a["tmt"] >= 2014 for a in asn])
    jabatan = [str(rng.choice(JABATAN_JUNIOR if junior[i] else JABATAN_SENIOR)) for i in range(n)]
    order = sorted(range(n), key=lambda i: (asn[i]["kecamatan"], asn[i]["unit"], asn[i]["nama"]))
    sheets = {}
    for q_index, q in enumerate(APPRAISAL_QUARTERS):
        trend = 0.1 * q_index
        hasil = _rating(z + trend + effect[:, q_index] + rng.normal(0, 0.6, n))
        perilaku = _rating(0.7 * z + effect[:, q_index] + rng.normal(0, 0.6, n))
        absent = rng.random(n) < 0.01  # not appraised this quarter (leave, transfer): missing, not guessed
        blank = rng.random(n) < 0.005  # predikat left empty: the intake derives it from the two ratings
        rows = []
        for i in order:
            if absent[i]:
                continue
            a = asn[i]
            predikat = None if blank[i] else PREDIKAT_OF[(int(hasil[i]), int(perilaku[i]))]
            rows.append([None, a["nip"], a["nama"], jabatan[i], RATING_WORDS[hasil[i]], RATING_WORDS[perilaku[i]],
                         predikat, a["unit"], messy_kecamatan(rng, a["kecamatan"])])
        for j, row in enumerate(rows):
            row[0] = j + 1
        sheets[q] = rows
    return sheets


# --------------------------------------------------------------------------- writing


def _training_truth() -> list[str]:
    """The truth built into the training workbook, as its Petunjuk sheet states it."""
    return [
        f"  - Semua pelatihan menaikkan nilai post-test dengan besar berbeda, kecuali "
        f"'{NO_EFFECT_PROGRAM}' (tanpa efek).",
        f"  - '{DISTRICT_PROGRAM}' hanya berefek di: {', '.join(DISTRICT_EFFECT_KECAMATAN)}.",
        f"  - Nilai SKP semua ASN naik sekitar {SKP_TREND:g} poin (tren umum); peserta naik sedikit "
        "lebih banyak, jadi selisih-dalam-selisih (difference-in-differences) terhadap Pembanding "
        "lebih kecil dari kenaikan sebelum-sesudah peserta.",
    ]


def _kinerja_truth() -> list[str]:
    """The truth built into the appraisal workbook, as its Petunjuk sheet states it."""
    return [
        f"  - Mentoring menaikkan rating mentee hanya di: {', '.join(MENTORING_EFFECT_KECAMATAN)}; "
        "di kecamatan lain tidak berefek.",
        "  - Di kecamatan tersebut efeknya makin besar dengan makin banyak sesi, dan berbeda antar-mentor.",
        "  - Semua pegawai sedikit membaik dari triwulan ke triwulan (tren umum); pelatihan lain menaikkan "
        "rating pesertanya sedikit setelah pelatihan selesai.",
    ]


def main(out_dir: str | Path = SAMPLE_DIR) -> dict:
    """Write the six sample workbooks into ``out_dir`` and return what they hold.

    Returns
    -------
    dict
        ``files`` (kind -> Path), ``bad_rows`` (the deliberately bad rows of the training
        workbook: kind, Excel row, column, value), ``rows`` (kind -> data rows written, the
        totals row not counted) and ``units_trained`` / ``units_untrained`` (surveyed units
        whose staff did / did not take part).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(SEED).spawn(8)  # the first six as before: the earlier workbooks unchanged
    roster = build_roster(np.random.default_rng(seeds[0]))
    training, bad = build_training(np.random.default_rng(seeds[1]), roster)
    feedback, design = build_feedback(np.random.default_rng(seeds[2]), roster)
    mentoring = build_mentoring(np.random.default_rng(seeds[3]), roster)
    events = build_events(np.random.default_rng(seeds[4]), roster)
    kinerja = build_kinerja(np.random.default_rng(seeds[5]), roster)
    jp_lain = build_jp_lain(np.random.default_rng(seeds[6]), roster)
    potensi = build_potensi(np.random.default_rng(seeds[7]), roster)
    files = {kind: out / name for kind, name in FILES.items()}
    write_training(files["training"], training, bad, _training_truth())
    write_feedback(files["feedback"], feedback, design)
    write_mentoring(files["mentoring"], mentoring)
    write_events(files["events"], events)
    write_kinerja(files["kinerja"], kinerja, _kinerja_truth(), potensi)
    write_jp_lain(files["jp_lain"], jp_lain)
    return {
        "files": files,
        "bad_rows": bad,
        "rows": {"training": len(training), "feedback": len(feedback),
                 "mentoring": len(mentoring), "events": len(events),
                 "kinerja": sum(len(rows) for rows in kinerja.values()), "jp_lain": len(jp_lain)},
        "units_trained": sorted(k for k, d in design.items() if d["trained"]),
        "units_untrained": sorted(k for k, d in design.items() if not d["trained"]),
    }


if __name__ == "__main__":
    result = main(sys.argv[1] if len(sys.argv) > 1 else SAMPLE_DIR)
    for kind, path in result["files"].items():
        print(f"{kind:10s} {path}  ({result['rows'][kind]} rows, {path.stat().st_size:,} bytes)")
