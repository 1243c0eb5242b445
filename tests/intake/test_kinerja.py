"""Appraisal uploads (``kinerja``): e-Kinerja's real export shape, the period from the title, the
PermenPANRB 6/2022 predikat from the two ratings, and the row-level errors with Excel row numbers.

The export below copies the layout of a real BKN e-Kinerja "Rekap Penilaian" file (monthly, 2026):
three title lines (agency, unit, "Periode Bulanan 6 Tahun 2026"), a blank line, then
``No | NIP | Nama | Jabatan | Rating Hasil Kinerja | Rating Perilaku Kerja | Predikat Kinerja Periodik``
with values spelled "Diatas Ekspektasi". Every expected row number is computed from the layout
(``Sheet.data_row``), never counted by hand.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.cli import main as cli_main
from analysis.intake import normalise
from analysis.intake.kinerja import PREDIKAT_MATRIX, predikat_from_ratings
from analysis.intake.pipeline import read_upload
from builders import NIPS, Sheet, write, xlsx_bytes

EKINERJA_HEADER = ["No", "NIP", "Nama", "Jabatan", "Rating Hasil Kinerja", "Rating Perilaku Kerja",
                   "Predikat Kinerja Periodik"]
EKINERJA_TITLES = ["1275 - Pemerintah Kota Medan", "Kantor Camat Medan Baru", "Periode Bulanan 6 Tahun 2026"]


def ekinerja(rows: list[list], titles=EKINERJA_TITLES, name="Rekap Penilaian") -> Sheet:
    return Sheet(name, list(EKINERJA_HEADER), rows, titles=list(titles))


def row(i: int, hasil: str | None, perilaku: str | None, predikat: str | None) -> list:
    return [i + 1, NIPS[i], f"Pegawai {i + 1}", "Arsiparis Terampil", hasil, perilaku, predikat]


def codes(res, severity=None) -> list[tuple[int, str]]:
    return [(i["row"], i["code"]) for i in res.issues if severity is None or i["severity"] == severity]


# ----------------------------------------------------------------------------- the real export's shape


def test_ekinerja_export_is_read_with_its_period_from_the_title():
    sheet = ekinerja([row(0, "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"),
                      row(1, "Diatas Ekspektasi", "Diatas Ekspektasi", "Sangat Baik"),
                      row(2, "Dibawah Ekspektasi", "Sesuai Ekspektasi", "Butuh Perbaikan")])
    res = read_upload(xlsx_bytes(sheet), "Rekap Penilaian (45).xlsx")
    assert res.kind == "kinerja" and res.header_row == sheet.header_row() == 5
    assert res.rows_accepted == 3 and not codes(res, "error") and not codes(res, "warning")
    got = res.accepted
    assert got["periode"].tolist() == ["2026-06"] * 3  # "Bulanan 6 Tahun 2026" = June 2026
    assert got["rating_hasil_kerja"].tolist() == ["Sesuai ekspektasi", "Di atas ekspektasi", "Di bawah ekspektasi"]
    assert got["predikat_kinerja"].tolist() == ["Baik", "Sangat Baik", "Butuh Perbaikan"]
    assert got["jabatan"].tolist() == ["Arsiparis Terampil"] * 3
    assert got["kecamatan"].isna().all() and got["unit_kerja"].isna().all()  # the export has neither
    assert codes(res, "info") == [(3, "period_from_title")]  # the title line, Excel row 3


def test_one_sheet_per_month_each_with_its_own_title():
    may = ekinerja([row(0, "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik")], name="Mei",
                   titles=["1275 - Pemerintah Kota Medan", "Dinas Kominfo", "Periode Bulanan 5 Tahun 2026"])
    june = ekinerja([row(0, "Diatas Ekspektasi", "Diatas Ekspektasi", "Sangat Baik")], name="Juni")
    res = read_upload(xlsx_bytes([may, june]), "rekap.xlsx")
    assert res.sheets == ["Mei", "Juni"]
    assert res.accepted["periode"].tolist() == ["2026-05", "2026-06"]
    assert not codes(res, "error")  # the same NIP in two months is no duplicate


# ----------------------------------------------------------------------------- the predikat matrix


# PermenPANRB 6/2022, Lampiran (docs/domain.md §6), written out here by row (hasil kerja) and column
# (perilaku kerja), independently of analysis.intake.kinerja.PREDIKAT_MATRIX.
MATRIX = {
    "Di atas ekspektasi": {"Di bawah ekspektasi": "Kurang/Misconduct", "Sesuai ekspektasi": "Baik",
                           "Di atas ekspektasi": "Sangat Baik"},
    "Sesuai ekspektasi": {"Di bawah ekspektasi": "Kurang/Misconduct", "Sesuai ekspektasi": "Baik",
                          "Di atas ekspektasi": "Baik"},
    "Di bawah ekspektasi": {"Di bawah ekspektasi": "Sangat Kurang", "Sesuai ekspektasi": "Butuh Perbaikan",
                            "Di atas ekspektasi": "Butuh Perbaikan"},
}
CELLS = [(h, p, want) for h, by in MATRIX.items() for p, want in by.items()]


def test_matrix_has_the_nine_cells_of_the_regulation():
    assert PREDIKAT_MATRIX == {(h, p): want for h, p, want in CELLS}
    got = predikat_from_ratings(pd.Series([c[0] for c in CELLS]), pd.Series([c[1] for c in CELLS]))
    assert got.tolist() == [c[2] for c in CELLS]


def test_empty_predikat_is_derived_and_a_disagreeing_one_is_flagged():
    rows = [row(i, h.replace("Di a", "Dia").replace("Di b", "Dib"), p, None) for i, (h, p, _) in enumerate(CELLS)]
    rows.append(row(9, "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Sangat Baik"))  # the matrix gives Baik
    sheet = ekinerja(rows)
    res = read_upload(xlsx_bytes(sheet), "rekap.xlsx")
    assert res.rows_accepted == 10
    assert res.accepted["predikat_kinerja"].tolist()[:9] == [c[2] for c in CELLS]
    assert res.accepted["predikat_kinerja"].iloc[9] == "Sangat Baik"  # kept as written
    derived = next(i for i in res.issues if i["code"] == "predikat_derived")
    assert "on 9 rows" in derived["message_en"] and derived["row"] == sheet.header_row()
    mismatch = [i for i in res.issues if i["code"] == "predikat_mismatch"]
    assert [(i["row"], i["severity"], i["value"]) for i in mismatch] == [(sheet.data_row(9), "warning", "Sangat Baik")]
    assert "the PermenPANRB 6/2022 matrix gives 'Baik'" in mismatch[0]["message_en"]
    assert "Predikat Kinerja Periodik" == mismatch[0]["column"]


# ----------------------------------------------------------------------------- row-level errors


def test_rows_without_an_appraisal_or_period_are_rejected_with_their_rows(tmp_path):
    header = ["No", "NIP", "Nama", "Periode", "Predikat Kinerja", "Nilai SKP", "Potensi"]
    rows = [[1, NIPS[0], "A", "Triwulan II 2025", "Baik", None, "tinggi"],
            [2, NIPS[1], "B", "Semester I 2025", None, None, None],       # no appraisal at all
            [3, NIPS[2], "C", None, "Baik", None, None],                  # no period, no title
            [4, NIPS[3], "D", "minggu lalu", "Baik", None, None],         # unreadable period
            [5, NIPS[4], "E", "2025", None, 130, None],                   # score above 120
            [6, NIPS[5], "F", "30/06/2025", None, 88.5, "luar biasa"],    # end date; potensi unreadable
            [7, NIPS[0], "A", "2025-Q2", "Sangat Baik", None, None]]      # A again in the same quarter
    sheet = Sheet("Data", header, rows, titles=["REKAP PENILAIAN KINERJA 2025"])
    res = read_upload(xlsx_bytes(sheet), "kinerja.xlsx", kind="kinerja")
    r = sheet.data_row
    assert codes(res, "error") == [(r(1), "no_appraisal"), (r(2), "missing_period"), (r(3), "invalid_period"),
                                   (r(4), "out_of_range"), (r(6), "duplicate_row")]
    assert codes(res, "warning") == [(r(5), "invalid_category")]
    assert res.accepted["_row"].tolist() == [r(0), r(5)]
    assert res.accepted["periode"].tolist() == ["2025-Q2", "2025-06-30"]
    assert res.accepted["potensi"].tolist()[0] == "tinggi" and pd.isna(res.accepted["potensi"].iloc[1])
    assert res.accepted["nilai"].tolist()[1] == 88.5
    dup = next(i for i in res.issues if i["code"] == "duplicate_row")
    assert f"repeats row {r(0)}" in dup["message_en"]
    bad = {i["row"]: i for i in res.issues if i["severity"] == "error"}
    assert bad[r(3)]["column"] == "Periode" and bad[r(3)]["value"] == "minggu lalu"
    assert "Triwulan II 2025" in bad[r(3)]["message_id"]  # says how to write a period


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv_semicolon_cp1252"])
def test_periods_in_many_spellings_in_each_format(tmp_path, fmt):
    spellings = {"2025": "2025", "2025-S1": "2025-S1", "Semester II 2025": "2025-S2", "Triwulan II 2025": "2025-Q2",
                 "TW 4 2025": "2025-Q4", "Juni 2025": "2025-06", "Agt 2025": "2025-08", "31/12/2025": "2025-12-31"}
    header = ["No", "NIP", "Nama", "Periode", "Predikat Kinerja"]
    rows = [[i + 1, NIPS[i], f"P{i}", text, "Baik"] for i, text in enumerate(spellings)]
    res = read_upload(write(tmp_path, fmt, Sheet("Data", header, rows)).read_bytes(),
                      f"kinerja.{'csv' if fmt.startswith('csv') else fmt}")
    assert res.kind == "kinerja" and not codes(res, "error")
    assert res.accepted["periode"].tolist() == list(spellings.values())


# ----------------------------------------------------------------------------- the cell parsers


@pytest.mark.parametrize("written, want", [
    ("Diatas Ekspektasi", "Di atas ekspektasi"), ("DI ATAS EKSPEKTASI", "Di atas ekspektasi"),
    ("Sesuai Ekspektasi", "Sesuai ekspektasi"), ("Dibawah Ekspektasi", "Di bawah ekspektasi"),
    ("di bawah ekspektasi", "Di bawah ekspektasi"),
])
def test_rating_spellings(written, want):
    assert normalise.rating(pd.Series([written])).values.tolist() == [want]


@pytest.mark.parametrize("written, want", [
    ("Sangat Baik", "Sangat Baik"), ("BAIK", "Baik"), ("Butuh Perbaikan", "Butuh Perbaikan"),
    ("Perlu Perbaikan", "Butuh Perbaikan"), ("Kurang", "Kurang/Misconduct"), ("Kurang / Misconduct", "Kurang/Misconduct"),
    ("Sangat Kurang", "Sangat Kurang"),
])
def test_predikat_spellings(written, want):
    parsed = normalise.predikat(pd.Series([written]))
    assert parsed.values.tolist() == [want] and parsed.code.tolist() == [None]


def test_parsers_are_idempotent():
    for parser, cells in ((normalise.rating, ["Diatas Ekspektasi", None]), (normalise.predikat, ["Baik", "Kurang"]),
                          (normalise.periode, ["Triwulan I 2025", "30/06/2025"]), (normalise.potensi, ["Tinggi", "70"])):
        once = parser(pd.Series(cells, dtype="str")).values
        again = parser(once.astype(object) if isinstance(once.dtype, pd.CategoricalDtype) else once).values
        assert once.astype(object).tolist() == again.astype(object).tolist(), parser.__name__


# ----------------------------------------------------------------------------- the command line


def test_validate_kind_kinerja_json(tmp_path, capsys):
    sheet = ekinerja([row(0, "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"), row(1, None, None, None)])
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(xlsx_bytes(sheet))
    assert cli_main(["validate", str(path), "--kind", "kinerja", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "kinerja" and report["header_row"] == 5
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (2, 1, 1)
    assert report["columns"]["Predikat Kinerja Periodik"] == "predikat_kinerja"
    errors = [(i["row"], i["code"], i["column"]) for i in report["issues"] if i["severity"] == "error"]
    assert errors == [(sheet.data_row(1), "no_appraisal", "Predikat Kinerja Periodik")]
