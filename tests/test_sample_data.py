"""The bundled synthetic sample: reproducible, shaped like real exports, and holding its truth.

The layout tests read the workbooks with python-calamine directly; the tests marked ``intake`` go
through ``analysis.intake.pipeline.read_file`` and check that exactly the deliberate bad rows are rejected
and that the ground truth built into the generator survives the intake.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "data" / "generate_sample.py"
KINDS = ("training", "feedback", "mentoring", "events")
HAS_INTAKE = importlib.util.find_spec("analysis.intake.pipeline") is not None
needs_intake = pytest.mark.skipif(
    not HAS_INTAKE, reason="analysis.intake.pipeline is not importable; sample read-back skipped")


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_sample"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def fresh(gen, tmp_path_factory):
    """One generation into a temporary folder: the manifest ``main`` returns."""
    return gen.main(tmp_path_factory.mktemp("sample_a"))


@pytest.fixture(scope="module")
def sheets(gen, fresh):
    """kind -> {"petunjuk": rows, "data": rows} as python-calamine reads the cells."""
    out = {}
    for kind in KINDS:
        wb = CalamineWorkbook.from_path(str(fresh["files"][kind]))
        out[kind] = {
            "names": wb.sheet_names,
            "petunjuk": wb.get_sheet_by_name("Petunjuk").to_python(skip_empty_area=False),
            "data": wb.get_sheet_by_name(gen.SHEETS[kind]).to_python(skip_empty_area=False),
        }
    return out


def _headers(gen, kind):
    return {"training": gen.TRAINING_HEADERS, "feedback": gen.FEEDBACK_HEADERS,
            "mentoring": gen.MENTORING_HEADERS, "events": gen.EVENTS_HEADERS}[kind]


def _body(gen, sheets, kind):
    """Data rows below the header, the totals row excluded, as a DataFrame with the file's headers."""
    rows = sheets[kind]["data"][gen.HEADER_ROW:-1]
    return pd.DataFrame(rows, columns=list(_headers(gen, kind)), dtype=object)


# --------------------------------------------------------------------------- reproducible


def test_generation_is_byte_identical(gen, fresh, tmp_path):
    again = gen.main(tmp_path)
    for kind in (*KINDS, "kinerja", "jp_lain"):
        assert again["files"][kind].read_bytes() == fresh["files"][kind].read_bytes(), kind
    assert again["bad_rows"] == fresh["bad_rows"]


@pytest.mark.parametrize("kind", (*KINDS, "kinerja", "jp_lain"))
def test_committed_workbook_equals_fresh_generation(gen, fresh, kind):
    committed = gen.SAMPLE_DIR / gen.FILES[kind]
    assert committed.exists(), f"{committed} missing: run python data/generate_sample.py"
    assert committed.read_bytes() == fresh["files"][kind].read_bytes(), (
        f"{committed.name} differs from a fresh generation: run python data/generate_sample.py")


@pytest.mark.parametrize("kind", (*KINDS, "kinerja", "jp_lain"))
def test_workbook_is_small(fresh, kind):
    assert fresh["files"][kind].stat().st_size < 1_000_000


# --------------------------------------------------------------------------- shaped like exports


@pytest.mark.parametrize("kind", KINDS)
def test_layout_of_an_export(gen, fresh, sheets, kind):
    s = sheets[kind]
    assert s["names"] == ["Petunjuk", gen.SHEETS[kind]]
    petunjuk = " ".join(str(v) for row in s["petunjuk"] for v in row)
    assert gen.LABEL in petunjuk
    data = s["data"]
    titles = [data[0][0], data[1][0]]
    assert "DATA SINTETIS" in titles[0] and gen.LABEL in titles[1]
    assert all(v == "" for v in data[2]), "row 3 is blank"
    assert tuple(data[gen.HEADER_ROW - 1]) == _headers(gen, kind)
    assert data[-1][0] == ("RATA-RATA" if kind == "feedback" else "JUMLAH")
    body = data[gen.HEADER_ROW:-1]
    assert len(body) == fresh["rows"][kind]
    assert [row[0] for row in body] == [float(i) for i in range(1, len(body) + 1)]  # "No"


def test_training_totals_row_sums_jp(gen, sheets):
    body = _body(gen, sheets, "training")
    jp = sum(v for v in body["JP"] if isinstance(v, float))
    assert sheets["training"]["data"][-1][10] == pytest.approx(jp)


NIP_RE = re.compile(r"^(\d{8}) ?(\d{6}) ?([12]) ?(\d{3})$")


def _valid_nip(text: str) -> bool:
    m = NIP_RE.match(text)
    if not m:
        return False
    birth = dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    tmt_year, tmt_month = int(m.group(2)[:4]), int(m.group(2)[4:])
    return 1 <= tmt_month <= 12 and birth.year + 18 <= tmt_year <= 2025


def test_nip_is_structurally_valid_text(gen, fresh, sheets):
    body = _body(gen, sheets, "training")
    as_number = {b["row"] for b in fresh["bad_rows"] if b["code"] == "nip_as_number"}
    for excel_row, nip in zip(range(gen.HEADER_ROW + 1, gen.HEADER_ROW + 1 + len(body)), body["NIP"]):
        if excel_row in as_number:
            assert isinstance(nip, float) and nip > 1e17
        else:
            assert isinstance(nip, str) and _valid_nip(nip), (excel_row, nip)
    digits = body["NIP"].map(lambda v: v.replace(" ", "") if isinstance(v, str) else None)
    assert body["NIP"].map(lambda v: isinstance(v, str) and " " in v).sum() > 50  # spaced exports
    pembanding = body[body["Kelompok"] == "Pembanding"]
    assert 550 <= len(pembanding) <= 650
    assert (pembanding["Nama Pelatihan"] == "").all() and (pembanding["JP"] == "").all()
    people = set(digits.dropna()) | {b["nip"] for b in fresh["bad_rows"]}
    assert len(people) == gen.N_PARTICIPANTS + gen.N_COMPARISON


@pytest.mark.parametrize("kind, columns", [
    ("training", ("Tanggal Mulai", "Tanggal Selesai")),
    ("feedback", ("Tanggal",)),
    ("mentoring", ("Tanggal Mulai", "Tanggal Selesai")),
    ("events", ("Tanggal",)),
])
def test_dates_are_date_cells(gen, fresh, sheets, kind, columns):
    body = _body(gen, sheets, kind)
    if kind == "training":
        body = body[body["Kelompok"] == "Peserta"]
    for col in columns:
        text = body[col][body[col].map(lambda v: not isinstance(v, dt.date))]
        expected = ["31/04/2025"] if (kind, col) == ("training", "Tanggal Mulai") else []
        assert text.tolist() == expected
        years = {v.year for v in body[col] if isinstance(v, dt.date)}
        assert years == {2025}


@pytest.mark.parametrize("kind", KINDS)
def test_kecamatan_written_the_messy_ways(gen, sheets, kind):
    written = set(_body(gen, sheets, kind)["Kecamatan"])
    districts = [r["kecamatan"] for r in csv.DictReader(open(ROOT / "data" / "kecamatan_medan.csv"))]
    if kind in ("training", "feedback"):
        assert set(districts) <= written
    styles = {
        "Kec.": any(v.startswith("Kec. Medan ") for v in written),
        "KECAMATAN": any(v.startswith("KECAMATAN MEDAN ") for v in written),
        "lower+space": any(v.endswith(" ") and v == v.lower() for v in written),
        "hyphen": any(v.startswith("Medan-") for v in written),
    }
    assert all(styles.values()), styles
    if kind in ("training", "feedback"):
        assert {"Baru", "Sunggal"} <= written


def test_petunjuk_lists_the_bad_rows(gen, fresh, sheets):
    bad = fresh["bad_rows"]
    assert [b["code"] for b in sorted(bad, key=lambda b: gen.BAD_ROW_KINDS.index(b["code"]))] == list(
        gen.BAD_ROW_KINDS)
    text = "\n".join(str(row[0]) for row in sheets["training"]["petunjuk"])
    data = sheets["training"]["data"]
    col = {h: j for j, h in enumerate(gen.TRAINING_HEADERS)}
    for b in bad:
        assert f"Baris {b['row']}:" in text
        assert data[b["row"] - 1][col[b["column"]]] == b["value"]
    dup = next(b for b in bad if b["code"] == "duplicate_row")
    assert data[dup["row"] - 1][1:] == data[dup["duplicate_of_row"] - 1][1:]


def test_skm_units_are_training_units(gen, sheets):
    training_units = set(_body(gen, sheets, "training")["Unit Kerja"])
    skm = _body(gen, sheets, "feedback")
    units = set(skm["Unit Layanan"])
    assert 35 <= len(units) <= 45
    assert units <= training_units  # every surveyed unit has staff in the training file
    per_round = skm.groupby([skm["Unit Layanan"], skm["Tanggal"].map(lambda d: d.month < 6)]).size()
    assert per_round.min() >= 60 and per_round.max() <= 150 and len(per_round) == 2 * len(units)
    answers = skm[[f"U{i}" for i in range(1, 10)]].to_numpy().ravel()
    assert set(answers) <= {1.0, 2.0, 3.0, 4.0, ""} and (answers == "").sum() > 0


# --------------------------------------------------------------------------- through the intake


@pytest.fixture(scope="module")
def read(fresh):
    if not HAS_INTAKE:
        pytest.skip("analysis.intake.pipeline is not importable")
    from analysis.intake.pipeline import read_file

    return {kind: read_file(fresh["files"][kind]) for kind in KINDS}


@needs_intake
@pytest.mark.parametrize("kind", KINDS)
def test_intake_reads_kind_and_rows(gen, fresh, read, kind):
    res = read[kind]
    assert res.kind == kind
    assert res.sheet == gen.SHEETS[kind]
    assert res.header_row == gen.HEADER_ROW
    assert res.rows_read == fresh["rows"][kind]
    assert [i["code"] for i in res.issues if i["severity"] == "info"] == ["totals_row"]


@needs_intake
@pytest.mark.parametrize("kind", KINDS)
def test_rejected_rows_are_exactly_the_deliberate_ones(fresh, read, kind):
    res = read[kind]
    expected = {b["row"]: b["code"] for b in fresh["bad_rows"]} if kind == "training" else {}
    assert sorted(res.rejected["_row"]) == sorted(expected)
    errors = {(i["row"], i["code"]) for i in res.issues if i["severity"] == "error"}
    assert errors == set(expected.items())
    assert len(res.accepted) == fresh["rows"][kind] - len(expected)


@pytest.fixture(scope="module")
def training(read):
    return read["training"].accepted


def _delta_stats(d: pd.Series) -> tuple[int, float, float]:
    d = d.dropna()
    return len(d), float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


@needs_intake
def test_every_program_but_one_raises_knowledge(gen, training):
    peserta = training[training["kelompok"] == "peserta"]
    assert peserta["program"].nunique() == len(gen.PROGRAMS)
    for p in gen.PROGRAMS:
        rows = peserta[peserta["program"] == p.name]
        n, mean, se = _delta_stats(rows["nilai_post"] - rows["nilai_pre"])
        if p.name == gen.NO_EFFECT_PROGRAM:
            assert abs(mean) < 2.5 * se, (p.name, mean, se)  # within noise of zero
        elif p.name != gen.DISTRICT_PROGRAM:
            assert mean - 3 * se > 0, (p.name, mean, se)
            assert abs(mean - p.gain) < 2.0, (p.name, mean, p.gain)


@needs_intake
def test_district_program_gains_only_in_its_kecamatan(gen, training):
    rows = training[training["program"] == gen.DISTRICT_PROGRAM]
    inside = rows["kecamatan"].isin(gen.DISTRICT_EFFECT_KECAMATAN)
    n_in, mean_in, se_in = _delta_stats((rows["nilai_post"] - rows["nilai_pre"])[inside])
    n_out, mean_out, se_out = _delta_stats((rows["nilai_post"] - rows["nilai_pre"])[~inside])
    assert n_in >= 50 and n_out >= 100
    assert mean_in - 3 * se_in > 8
    assert abs(mean_out) < 2.5 * se_out


@needs_intake
def test_comparison_group_makes_did_smaller_than_naive(gen, training):
    person = training.drop_duplicates("nip")
    delta = person["kinerja_sesudah"] - person["kinerja_sebelum"]
    _, naive, _ = _delta_stats(delta[person["kelompok"] == "peserta"])
    _, trend, se = _delta_stats(delta[person["kelompok"] == "pembanding"])
    assert abs(trend - gen.SKP_TREND) < 3 * se
    did = naive - trend
    assert 0.5 < did < naive


@needs_intake
def test_training_is_normalised(gen, training):
    districts = {r["kecamatan"]: r["kode"] for r in csv.DictReader(open(ROOT / "data" / "kecamatan_medan.csv"))}
    assert set(training["kecamatan"]) == set(districts)
    assert (training["kecamatan"].map(districts) == training["kode_kecamatan"]).all()
    assert training["nip"].str.fullmatch(r"\d{18}").all()
    peserta = training[training["kelompok"] == "peserta"]
    assert peserta["jp"].between(8, 40).all()
    assert peserta["kepuasan_peserta"].dropna().between(1, 5).all()
    assert training.loc[training["kelompok"] == "pembanding", "program"].isna().all()


def _ikm(frame: pd.DataFrame) -> pd.Series:
    """PermenPANRB 14/2017: 25 × the mean of the nine NRRs, each over the respondents who answered."""
    nrr = frame.groupby(["unit_layanan", "putaran"])[[f"u{i}" for i in range(1, 10)]].mean()
    return (25 * nrr.mean(axis=1)).round(2)


def _grade(v: float) -> str:
    return "D" if v < 65 else "C" if v < 76.61 else "B" if v < 88.31 else "A"


@needs_intake
def test_trained_units_improve_more(read, fresh):
    skm = read["feedback"].accepted.copy()
    skm["putaran"] = np.where(skm["tanggal"].dt.month <= 3, "sebelum", "sesudah")
    assert set(skm["tanggal"].dt.month) == {2, 3, 10, 11}
    ikm = _ikm(skm).unstack()
    trained = set(read["training"].accepted.query("kelompok == 'peserta'")["unit_kerja"])
    assert trained & set(ikm.index) == set(fresh["units_trained"])
    change = ikm["sesudah"] - ikm["sebelum"]
    is_trained = change.index.isin(fresh["units_trained"])
    assert is_trained.sum() >= 20 and (~is_trained).sum() >= 10
    assert change[is_trained].mean() - change[~is_trained].mean() > 2.0
    grades = ikm["sebelum"].map(_grade).value_counts()
    assert grades.get("B", 0) > len(ikm) / 2 and grades.get("C", 0) >= 3 and 1 <= grades.get("A", 0) <= 6


@needs_intake
def test_mentoring_pairs_come_from_the_training_file(gen, read):
    pairs = read["mentoring"].accepted
    training = read["training"].accepted
    kec = dict(zip(training["nip"], training["kecamatan"]))
    mentees = set(training.loc[training["program"] == gen.MENTORING_PROGRAM, "nip"])
    assert 250 <= len(pairs) <= 350
    assert set(pairs["mentee_nip"]) <= mentees
    assert set(pairs["mentor_nip"]) <= set(kec)
    assert (pairs["mentor_nip"].map(kec) == pairs["kecamatan"]).all()
    assert (pairs["mentee_nip"].map(kec) == pairs["kecamatan"]).all()


@needs_intake
def test_events_are_forums_and_open_houses_of_surveyed_units(read):
    events = read["events"].accepted
    assert set(events["jenis_kegiatan"]) == {"forum", "open_house"}
    assert events["kecamatan"].nunique() == 21  # a forum at every Kantor Camat
    assert 70 <= len(events) <= 90
    assert set(events["unit_layanan"]) <= set(read["feedback"].accepted["unit_layanan"])
    assert events["tanggal"].dt.year.eq(2025).all()


# --------------------------------------------------------------------------- the appraisal workbook


@pytest.fixture(scope="module")
def kinerja_book(gen, fresh):
    wb = CalamineWorkbook.from_path(str(fresh["files"]["kinerja"]))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def test_appraisals_look_like_an_ekinerja_export(gen, kinerja_book):
    assert list(kinerja_book) == ["Petunjuk", "TW I", "TW II", "TW III", "TW IV"]
    assert gen.LABEL in " ".join(str(v) for row in kinerja_book["Petunjuk"] for v in row)
    # BKN e-Kinerja "Rekap Penilaian": agency, unit, period; a blank line; the header on row 5
    for q, name in enumerate(["TW I", "TW II", "TW III", "TW IV"], start=1):
        rows = kinerja_book[name]
        assert rows[0][0].startswith("1275 - Pemerintah Kota Medan") and "DATA SINTETIS" in rows[0][0]
        assert rows[2][0] == f"Periode Triwulan {['I', 'II', 'III', 'IV'][q - 1]} Tahun 2025"
        assert all(v == "" for v in rows[3])
        header = rows[4]
        assert header[:7] == ["No", "NIP", "Nama", "Jabatan", "Rating Hasil Kinerja", "Rating Perilaku Kerja",
                              "Predikat Kinerja Periodik"]
        body = rows[5:]
        assert {r[4] for r in body} <= {"Dibawah Ekspektasi", "Sesuai Ekspektasi", "Diatas Ekspektasi"}
        assert {r[6] for r in body} <= {"Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang",
                                        ""}
        assert all(isinstance(r[1], str) and len(r[1]) == 18 for r in body)


def test_appraisals_cover_the_same_asn_and_the_non_participants(gen, fresh, sheets, kinerja_book):
    training = _body(gen, sheets, "training")
    nips = {str(v).replace(" ", "") for v in training["NIP"] if isinstance(v, str)}
    nips |= {b["nip"].replace(" ", "") for b in fresh["bad_rows"]}  # the NIP stored as a number, as it was
    appraised = {r[1] for name in ("TW I", "TW II", "TW III", "TW IV") for r in kinerja_book[name][5:]}
    assert appraised <= nips
    pembanding = {str(v).replace(" ", "") for v in training.loc[training["Kelompok"] == "Pembanding", "NIP"]}
    assert len(pembanding & appraised) >= 0.98 * len(pembanding)
    mentoring = _body(gen, sheets, "mentoring")
    assert set(mentoring["NIP Mentee"]) <= appraised  # every mentee appraised at least once
    assert len(appraised) >= 0.99 * (gen.N_PARTICIPANTS + gen.N_COMPARISON)


@needs_intake
def test_appraisals_through_the_intake(fresh):
    from analysis.intake.pipeline import read_file

    res = read_file(fresh["files"]["kinerja"])
    assert res.kind == "kinerja" and res.sheets == ["TW I", "TW II", "TW III", "TW IV"] and res.header_row == 5
    assert res.rows_read == fresh["rows"]["kinerja"] and res.rows_rejected == 0
    assert sorted(res.accepted["periode"].unique()) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    codes = {i["code"] for i in res.issues}
    assert codes == {"period_from_title", "predikat_derived"}  # the period from each title; a few blank predikat
    assert res.accepted["predikat_kinerja"].notna().all()
    assert res.accepted["kecamatan"].notna().all()


# --------------------------------------------------------------------------- other development, potensi


def test_other_development_looks_like_an_export_and_reads_back(gen, fresh):
    wb = CalamineWorkbook.from_path(str(fresh["files"]["jp_lain"]))
    assert wb.sheet_names == ["Petunjuk", gen.SHEETS["jp_lain"]]
    data = wb.get_sheet_by_name(gen.SHEETS["jp_lain"]).to_python(skip_empty_area=False)
    assert tuple(data[gen.HEADER_ROW - 1]) == gen.JP_LAIN_HEADERS and data[-1][0] == "JUMLAH"
    body = data[gen.HEADER_ROW:-1]
    assert len(body) == fresh["rows"]["jp_lain"]
    years = {r[6].year for r in body}
    assert years == {2024, 2025}  # a few in late 2024: they count for that year
    if not HAS_INTAKE:
        pytest.skip("analysis.intake.pipeline is not importable")
    from analysis.intake.pipeline import read_file

    res = read_file(fresh["files"]["jp_lain"])
    assert res.kind == "jp_lain" and res.rows_rejected == 0 and res.rows_read == len(body)
    assert [i["code"] for i in res.issues] == ["totals_row"]


@needs_intake
def test_the_last_quarter_carries_potensi(gen, fresh, kinerja_book):
    header = kinerja_book["TW IV"][4]
    assert header[-1] == gen.POTENSI_HEADER and gen.POTENSI_HEADER not in kinerja_book["TW I"][4]
    from analysis.intake.pipeline import read_file

    res = read_file(fresh["files"]["kinerja"])
    q4 = res.accepted[res.accepted["periode"] == "2025-Q4"]
    assert res.accepted.loc[res.accepted["periode"] != "2025-Q4", "potensi"].isna().all()
    words = set(q4["potensi"].dropna()) & {"rendah", "menengah", "tinggi"}
    scores = pd.to_numeric(q4["potensi"], errors="coerce").dropna()
    assert words == {"rendah", "menengah", "tinggi"} and len(scores) > 100 and scores.between(0, 100).all()
    assert 0.6 < q4["potensi"].notna().mean() < 0.9  # about a quarter not assessed yet
