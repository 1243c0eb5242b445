"""The intake (analysis/intake/pipeline.py) on workbooks shaped like real exports: title rows,
numbering columns, totals rows, Indonesian numbers and dates, several sheets, legacy formats.

Every row number asserted here is the 1-based Excel row, computed from the layout the builder wrote
(``Sheet.header_row()``, ``Sheet.data_row(i)``), never counted by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from analysis.intake.contracts import KINDS, alias_index, canonical_columns, fields, header_key
from analysis.core.errors import AnalysisError
from analysis.intake.pipeline import read_file, read_upload
from builders import FORMATS, Sheet, csv_text, export_sheet, write, xlsx_bytes

EXCEL_FORMATS = ("xlsx", "xlsx_openpyxl", "xls", "ods")
KODE = {"Medan Baru": "12.71.17", "Medan Sunggal": "12.71.02", "Medan Kota": "12.71.01", "Medan Johor": "12.71.11",
        "Medan Deli": "12.71.06", "Medan Area": "12.71.10"}


def read(tmp_path, fmt, sheets, **kw):
    return read_file(write(tmp_path, fmt, sheets), **kw)


def issues(res, code=None, severity=None) -> list[dict]:
    return [i for i in res.issues if (code is None or i["code"] == code)
            and (severity is None or i["severity"] == severity)]


def col(sheet: Sheet, header: str) -> int:
    return sheet.header.index(header)


def expected_value(kind: str, field: str, value):
    """What the intake must make of a cell the builder wrote (valid rows only)."""
    spec = {f.name: f for f in fields(kind)}[field]
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Timestamp(value)
    if spec.parse in ("number", "performance"):
        return float(value)
    if spec.parse == "lower":
        return value.lower()
    if spec.parse == "kegiatan":
        return {"Forum Warga": "forum", "Open House": "open_house"}[value]
    return value


def assert_values(kind: str, sheet: Sheet, accepted: pd.DataFrame) -> None:
    index = alias_index(kind)
    for j, header in enumerate(sheet.header):
        field = index.get(header_key(header))
        if field is None:
            continue
        got = accepted[field].tolist()
        want = [expected_value(kind, field, row[j]) for row in sheet.rows]
        for g, w in zip(got, want):
            if w is None:
                assert pd.isna(g), (field, g)
            else:
                assert g == w, (field, g, w)
    if "Kecamatan" not in sheet.header:  # other development is a person's: no kecamatan column
        assert "kode_kecamatan" not in accepted
        return
    kec = sheet.header.index("Kecamatan")
    assert accepted["kode_kecamatan"].tolist() == [KODE[r[kec]] for r in sheet.rows]


# ============================================================================ kinds × formats


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_in_each_format(tmp_path, kind, fmt):
    sheet = export_sheet(kind, 4, total=True, footer=True)
    res = read(tmp_path, fmt, sheet)
    assert res.kind == kind
    assert res.header_row == sheet.header_row() == 4
    assert (res.rows_read, res.rows_accepted, res.rows_rejected) == (4, 4, 0)
    assert res.accepted["_row"].tolist() == [sheet.data_row(i) for i in range(4)]
    assert list(res.accepted.columns) == canonical_columns(kind) + ["_row", "_sheet"]
    assert_values(kind, sheet, res.accepted)
    assert [i["row"] for i in issues(res, "totals_row")] == [sheet.total_row()]
    assert [i["row"] for i in issues(res, "footer_rows")] == [sheet.total_row() + 2]
    assert not issues(res, severity="error") and not issues(res, severity="warning")


@pytest.mark.parametrize("kind", KINDS)
def test_accepted_dtypes(tmp_path, kind):
    res = read(tmp_path, "xlsx", export_sheet(kind, 3))
    for spec in fields(kind):
        dtype = res.accepted[spec.name].dtype
        if spec.parse in ("number", "answer"):
            assert dtype == "float64", spec.name
        elif spec.parse == "date":
            assert dtype.kind == "M", spec.name
        elif spec.parse in ("rating", "predikat"):  # PermenPANRB 6/2022's ordered categories
            assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered, spec.name
        elif spec.parse != "performance":
            assert dtype == "str", spec.name
    assert res.accepted["_row"].dtype.kind == "i"


def test_file_not_found(tmp_path):
    with pytest.raises(AnalysisError) as err:
        read_file(tmp_path / "tidak_ada.xlsx")
    assert err.value.code == "file_not_found"


# ============================================================================ real-export shapes


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv_comma"])
def test_blank_rows_numbering_column_and_repeated_header(tmp_path, fmt):
    sheet = export_sheet("training", 5, total=True)
    width = len(sheet.header)
    sheet.rows[3:3] = [[None] * width, [None] * width, [99] + [None] * (width - 1), list(sheet.header)]
    sheet.rows[-1][col(sheet, "Kecamatan")] = "Medan Raya"
    res = read(tmp_path, fmt, sheet)
    data_idx = [0, 1, 2, 7, 8]
    assert res.rows_read == 5
    assert sorted(res.accepted["_row"].tolist() + res.rejected["_row"].tolist()) == [sheet.data_row(i)
                                                                                    for i in data_idx]
    assert [i["row"] for i in issues(res, "unknown_kecamatan")] == [sheet.data_row(8)]
    assert [i["row"] for i in issues(res, "numbered_blank_rows")] == [sheet.data_row(5)]
    assert [i["row"] for i in issues(res, "repeated_header")] == [sheet.data_row(6)]
    assert "No" not in res.unknown_columns and "No" not in res.columns


@pytest.mark.parametrize("label,column", [
    ("JUMLAH", "No"), ("TOTAL", "No"), ("Rata-rata", "No"), ("RATA-RATA", "No"), ("Jumlah :", "No"),
    ("Total Keseluruhan", "No"), ("Jumlah", "Nama Pegawai"), ("Grand Total", "NIP"),
])
def test_closing_totals_row_is_information(label, column):
    sheet = export_sheet("training", 4, total=True)
    sheet.total[0] = None
    sheet.total[col(sheet, column)] = label
    res = read_upload(xlsx_bytes(sheet), "a.xlsx")
    assert res.rows_read == 4 and res.rows_rejected == 0
    (info,) = issues(res, "totals_row")
    assert info["severity"] == "info" and info["row"] == sheet.total_row()


def test_signature_block_below_totals(tmp_path):
    sheet = export_sheet("feedback", 3, total=True, footer=True)
    sheet.total[0] = "RATA-RATA"
    res = read(tmp_path, "xlsx", sheet)
    (footer,) = issues(res, "footer_rows")
    assert footer["severity"] == "info" and footer["row"] == sheet.total_row() + 2
    assert res.rows_read == 3 and res.rows_rejected == 0


def test_subtotals_between_groups_lose_no_rows():
    sheet = export_sheet("training", 6, total=True)
    subtotal = list(sheet.total)
    sheet.rows.insert(3, subtotal)  # group 1 (3 rows), JUMLAH, group 2 (3 rows), JUMLAH
    res = read_upload(xlsx_bytes(sheet), "a.xlsx")
    assert res.rows_read == 6


# ============================================================================ normalisation in context


@pytest.mark.parametrize("fmt", EXCEL_FORMATS)
def test_numeric_cells_stay_numbers_beside_decimal_comma_text(tmp_path, fmt):
    sheet = export_sheet("training", 5)
    pre = col(sheet, "Pre Test")
    for i, v in enumerate([90.25, "85,5", 85.125, "70", "1.234,5"]):
        sheet.rows[i][pre] = v
    res = read(tmp_path, fmt, sheet)
    got = dict(zip(res.accepted["_row"], res.accepted["nilai_pre"]))
    assert got == {sheet.data_row(0): 90.25, sheet.data_row(1): 85.5, sheet.data_row(2): 85.125,
                   sheet.data_row(3): 70.0}
    (err,) = issues(res, severity="error")
    assert (err["row"], err["code"], err["field"]) == (sheet.data_row(4), "out_of_range", "nilai_pre")


def test_out_of_range_value_is_plain_text():
    sheet = export_sheet("training", 2)
    sheet.rows[0][col(sheet, "Pre Test")] = 100.5
    (err,) = issues(read_upload(xlsx_bytes(sheet), "a.xlsx"), "out_of_range")
    assert err["value"] in ("100.5", "100,5")


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv_semicolon_cp1252"])
def test_dash_and_empty_are_missing(tmp_path, fmt):
    sheet = export_sheet("training", 3)
    sheet.rows[0][col(sheet, "Post Test")] = "-"
    sheet.rows[1][col(sheet, "Post Test")] = None
    sheet.rows[2][col(sheet, "Jenis Program")] = "-"
    res = read(tmp_path, fmt, sheet)
    assert res.rows_accepted == 3
    assert res.accepted["nilai_post"].isna().tolist() == [True, True, False]
    assert pd.isna(res.accepted["jenis_program"].iloc[2])
    warned = [(i["row"], i["field"], i["column"]) for i in issues(res, "missing_score")]
    assert warned == [(sheet.data_row(0), "nilai_post", "Post Test"), (sheet.data_row(1), "nilai_post", "Post Test")]
    assert all(i["severity"] == "warning" for i in issues(res, "missing_score"))


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx_openpyxl", "xls", "ods"])
def test_dates_as_cells_serials_and_text(tmp_path, fmt):
    sheet = export_sheet("training", 6)
    tm, ts_ = col(sheet, "Tanggal Mulai"), col(sheet, "Tanggal Selesai")
    written = [dt.date(2025, 3, 12), 45728, "12/03/2025", "12 Maret 2025", "5 Agt 2024", "03/12/2025"]
    expected = ["2025-03-12", "2025-03-12", "2025-03-12", "2025-03-12", "2024-08-05", "2025-12-03"]
    for i, v in enumerate(written):
        sheet.rows[i][tm] = v
        sheet.rows[i][ts_] = None
    res = read(tmp_path, fmt, sheet)
    assert res.rows_rejected == 0
    assert res.accepted["tanggal_mulai"].tolist() == [pd.Timestamp(e) for e in expected]


def test_dates_in_csv_text(tmp_path):
    sheet = export_sheet("events", 4)
    t = col(sheet, "Tanggal")
    for i, v in enumerate(["12/03/2025", "12 Maret 2025", "5 Agt 2024", "45728"]):
        sheet.rows[i][t] = v
    res = read(tmp_path, "csv_comma", sheet)
    assert res.accepted["tanggal"].tolist() == [pd.Timestamp(x) for x in
                                               ("2025-03-12", "2025-03-12", "2024-08-05", "2025-03-12")]


@pytest.mark.parametrize("fmt", ["xlsx", "csv_comma_bom"])
def test_kecamatan_written_like_exports(tmp_path, fmt):
    written = ["Kec. Medan Baru", "KECAMATAN MEDAN BARU", "medan baru ", "Medan-Baru", "Baru", "Sunggal"]
    sheet = export_sheet("events", len(written))
    for i, v in enumerate(written):
        sheet.rows[i][col(sheet, "Kecamatan")] = v
    res = read(tmp_path, fmt, sheet)
    assert res.accepted["kecamatan"].tolist() == ["Medan Baru"] * 5 + ["Medan Sunggal"]
    assert res.accepted["kode_kecamatan"].tolist() == ["12.71.17"] * 5 + ["12.71.02"]


def test_unknown_and_ambiguous_kecamatan_name_the_nearest(tmp_path):
    sheet = export_sheet("training", 3)
    sheet.header[col(sheet, "Kecamatan")] = "Kec."
    sheet.rows[0][col(sheet, "Kec.")] = "Medan Raya"
    sheet.rows[1][col(sheet, "Kec.")] = "Medan"
    res = read(tmp_path, "xlsx", sheet)
    unknown, = issues(res, "unknown_kecamatan")
    ambiguous, = issues(res, "ambiguous_kecamatan")
    assert (unknown["row"], unknown["column"], unknown["field"], unknown["value"]) == (
        sheet.data_row(0), "Kec.", "kecamatan", "Medan Raya")
    assert "Medan Area" in unknown["message_id"] and "Medan Area" in unknown["message_en"]
    assert ambiguous["row"] == sheet.data_row(1) and "Medan Kota" in ambiguous["message_en"]
    assert res.rows_rejected == 2


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx_openpyxl", "xls", "ods"])
def test_nip_number_cell_is_rejected_with_advice(tmp_path, fmt):
    sheet = export_sheet("training", 3)
    sheet.rows[1][col(sheet, "NIP")] = 198601012011012004  # Excel keeps 15 digits: ...2011012000
    res = read(tmp_path, fmt, sheet)
    (err,) = issues(res, severity="error")
    assert (err["row"], err["code"], err["column"], err["field"]) == (sheet.data_row(1), "nip_as_number", "NIP", "nip")
    assert "Teks" in err["message_id"] and "Text" in err["message_en"]
    assert res.rejected["_row"].tolist() == [sheet.data_row(1)]


def test_whole_nip_column_of_numbers(tmp_path):
    sheet = export_sheet("mentoring", 2)
    for r in sheet.rows:
        r[col(sheet, "NIP Mentor")] = float(r[col(sheet, "NIP Mentor")])
    res = read(tmp_path, "xlsx", sheet)
    assert [i["code"] for i in issues(res, severity="error")] == ["nip_as_number"] * 2
    assert res.rows_accepted == 0


@pytest.mark.parametrize("fmt", ["csv_comma", "csv_semicolon_cp1252", "xlsx"])
def test_nip_in_scientific_text_and_with_spaces(tmp_path, fmt):
    sheet = export_sheet("training", 3)
    sheet.rows[0][col(sheet, "NIP")] = "19850312 201001 1 003"
    sheet.rows[1][col(sheet, "NIP")] = "1.98601012011012E+17"
    sheet.rows[2][col(sheet, "NIP")] = "1985031220100"  # 13 digits: a PPPK-like number, kept with a warning
    res = read(tmp_path, fmt, sheet)
    assert res.accepted["nip"].tolist() == ["198503122010011003", "1985031220100"]
    (err,) = issues(res, severity="error")
    assert (err["code"], err["row"], err["value"]) == ("nip_as_number", sheet.data_row(1), "1.98601012011012E+17")
    assert "Teks" in err["message_id"] and "Text" in err["message_en"]
    (warn,) = issues(res, "nip_structure")
    assert warn["severity"] == "warning" and warn["row"] == sheet.data_row(2)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv_comma"])
def test_predikat_2022_to_ordered_category(tmp_path, fmt):
    sheet = export_sheet("training", 4)
    pairs = [("Baik", "Sangat Baik"), ("Butuh Perbaikan", "Baik"), ("Kurang/Misconduct", "Baik"),
             ("SANGAT KURANG", "butuh perbaikan")]
    for i, (a, b) in enumerate(pairs):
        sheet.rows[i][col(sheet, "Kinerja Sebelum")] = a
        sheet.rows[i][col(sheet, "Kinerja Sesudah")] = b
    res = read(tmp_path, fmt, sheet)
    before, after = res.accepted["kinerja_sebelum"], res.accepted["kinerja_sesudah"]
    for s in (before, after):
        assert isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered
        assert list(s.cat.categories) == ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik",
                                          "Sangat Baik"]
    assert before.tolist() == ["Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
    assert (after.cat.codes > before.cat.codes).all()
    assert not issues(res, "performance_scale_differs")


def test_predikat_pp46_scale(tmp_path):
    sheet = export_sheet("training", 3)
    for i, (a, b) in enumerate([("Cukup", "Baik"), ("Buruk", "Kurang"), ("Baik", "Cukup")]):
        sheet.rows[i][col(sheet, "Kinerja Sebelum")] = a
        sheet.rows[i][col(sheet, "Kinerja Sesudah")] = b
    res = read(tmp_path, "xlsx", sheet)
    assert list(res.accepted["kinerja_sebelum"].cat.categories) == ["Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik"]
    assert res.accepted["kinerja_sesudah"].tolist() == ["Baik", "Kurang", "Cukup"]
    assert not issues(res, "performance_scale_differs")


def test_predikat_scale_is_decided_for_both_columns():
    sheet = export_sheet("training", 3)
    for i, (a, b) in enumerate([("Cukup", "Baik"), ("Baik", "Sangat Baik"), ("Cukup", "Baik")]):
        sheet.rows[i][col(sheet, "Kinerja Sebelum")] = a
        sheet.rows[i][col(sheet, "Kinerja Sesudah")] = b
    res = read_upload(xlsx_bytes(sheet), "a.xlsx")
    assert list(res.accepted["kinerja_sesudah"].cat.categories) == list(res.accepted["kinerja_sebelum"].cat.categories)
    assert not issues(res, "performance_scale_differs")


def test_number_beside_predikat_is_mixed_scale(tmp_path):
    sheet = export_sheet("training", 4)
    for i, v in enumerate(["Baik", "Sangat Baik", 85, "Baik"]):
        sheet.rows[i][col(sheet, "Kinerja Sebelum")] = v
    res = read(tmp_path, "xlsx", sheet)
    (err,) = issues(res, severity="error")
    assert (err["code"], err["row"], err["value"]) == ("mixed_scale", sheet.data_row(2), "85")


def test_numbers_before_and_predikat_after_warn(tmp_path):
    sheet = export_sheet("training", 3)
    for r in sheet.rows:
        r[col(sheet, "Kinerja Sesudah")] = "Baik"
    res = read(tmp_path, "xlsx", sheet)
    assert res.rows_accepted == 3
    (w,) = issues(res, "performance_scale_differs")
    assert w["severity"] == "warning"


# ============================================================================ row-level rejections


def _set(header, value):
    def mutate(sheet: Sheet):
        sheet.rows[1][col(sheet, header)] = value
    return mutate


REJECTIONS = [
    # kind, mutation, code, field, column as written, value as reported
    ("training", _set("Kecamatan", "Medan Raya"), "unknown_kecamatan", "kecamatan", "Kecamatan", "Medan Raya"),
    ("training", _set("Kecamatan", "Medan"), "ambiguous_kecamatan", "kecamatan", "Kecamatan", "Medan"),
    ("training", _set("Pre Test", 101), "out_of_range", "nilai_pre", "Pre Test", "101"),
    ("training", _set("Post Test", "-5"), "out_of_range", "nilai_post", "Post Test", "-5"),
    ("training", _set("Kinerja Sesudah", 130), "out_of_range", "kinerja_sesudah", "Kinerja Sesudah", "130"),
    ("training", _set("NIP", 198601012011012004), "nip_as_number", "nip", "NIP", None),
    ("training", _set("NIP", "19860101201101200X"), "invalid_nip", "nip", "NIP", "19860101201101200X"),
    ("training", _set("Tanggal Mulai", "31/02/2025"), "invalid_date", "tanggal_mulai", "Tanggal Mulai", "31/02/2025"),
    ("training", _set("Tanggal Selesai", dt.date(2025, 1, 2)), "date_order", "tanggal_selesai", "Tanggal Selesai",
     "2025-01-02"),
    ("training", _set("Nama Pegawai", None), "missing_value", "nama", "Nama Pegawai", None),
    ("training", _set("Kecamatan", "-"), "missing_value", "kecamatan", "Kecamatan", None),
    ("training", _set("JP", None), "missing_value", "jp", "JP", None),
    ("training", _set("Nama Pelatihan", None), "missing_value", "program", "Nama Pelatihan", None),
    ("training", _set("JP", "dua puluh"), "invalid_number", "jp", "JP", "dua puluh"),
    ("feedback", _set("U3", 5), "out_of_range", "u3", "U3", "5"),
    ("feedback", _set("U9", 0), "out_of_range", "u9", "U9", "0"),
    ("feedback", _set("Tanggal", None), "missing_value", "tanggal", "Tanggal", None),
    ("mentoring", _set("NIP Mentee", 198601012011012004), "nip_as_number", "mentee_nip", "NIP Mentee", None),
    ("mentoring", _set("Tanggal Selesai", dt.date(2024, 1, 1)), "date_order", "tanggal_selesai", "Tanggal Selesai",
     "2024-01-01"),
    ("events", _set("Jumlah Peserta", -1), "out_of_range", "jumlah_peserta", "Jumlah Peserta", "-1"),
    ("events", _set("Unit Layanan", "  "), "missing_value", "unit_layanan", "Unit Layanan", None),
]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("kind,mutate,code,field,column,value", REJECTIONS,
                         ids=[f"{r[0]}-{r[2]}-{r[3]}" for r in REJECTIONS])
def test_row_rejected_with_row_column_field_value_code(tmp_path, fmt, kind, mutate, code, field, column, value):
    sheet = export_sheet(kind, 3, total=True)
    mutate(sheet)
    res = read(tmp_path, fmt, sheet)
    errors = issues(res, severity="error")
    assert len(errors) == 1, errors
    err = errors[0]
    assert (err["row"], err["code"], err["field"], err["column"]) == (sheet.data_row(1), code, field, column)
    if value is not None:
        assert err["value"] == value
    assert err["sheet"] == "REKAP" and err["message_id"] and err["message_en"]
    assert res.rows_read == 3 and res.rows_rejected == 1
    assert res.rejected["_row"].tolist() == [sheet.data_row(1)]
    assert res.accepted["_row"].tolist() == [sheet.data_row(0), sheet.data_row(2)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv_comma"])
def test_duplicate_participant_program_rejects_the_later_copy(tmp_path, fmt):
    sheet = export_sheet("training", 4)
    sheet.rows[3] = list(sheet.rows[1])
    sheet.rows[3][0] = 4
    res = read(tmp_path, fmt, sheet)
    (err,) = issues(res, severity="error")
    assert (err["code"], err["row"], err["field"]) == ("duplicate_row", sheet.data_row(3), "nip")
    assert str(sheet.data_row(1)) in err["message_en"]
    assert res.accepted["_row"].tolist() == [sheet.data_row(i) for i in range(3)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv_comma"])
def test_conflicting_duplicate_is_reported_and_the_person_left_out_of_that_measure(tmp_path, fmt):
    # Rows 2 and 4 of the data: same NIP, program and quarter, but the pre/post test differs
    # (the builder wrote 51 → 71 on data row 1; data row 3 says 60 → 90). Performance is the same.
    sheet = export_sheet("training", 4)
    sheet.rows[3] = list(sheet.rows[1])
    sheet.rows[3][0] = 4
    sheet.rows[3][col(sheet, "Pre Test")] = 60
    sheet.rows[3][col(sheet, "Post Test")] = 90
    res = read(tmp_path, fmt, sheet)
    conflicts = issues(res, "conflicting_duplicate")
    assert [(i["row"], i["severity"], i["value"], i["column"]) for i in conflicts] == [
        (sheet.data_row(1), "warning", "51 → 71", "Pre Test / Post Test"),
        (sheet.data_row(3), "error", "60 → 90", "Pre Test / Post Test")]
    later = conflicts[1]
    assert f"{sheet.data_row(1)}: 51 → 71" in later["message_en"] and "60 → 90" in later["message_en"]
    assert issues(res, "duplicate_row") == []
    assert res.accepted["_row"].tolist() == [sheet.data_row(i) for i in range(3)]  # the later copy is out
    kept = res.accepted.set_index("_row").loc[sheet.data_row(1)]
    assert pd.isna(kept["nilai_pre"]) and pd.isna(kept["nilai_post"])  # left out of the knowledge measure
    assert kept["kinerja_sebelum"] == 81 and kept["kinerja_sesudah"] == 86  # equal values stay
    assert kept["jp"] == 21  # and the row still counts for participation and JP


def test_same_program_in_another_quarter_is_not_a_duplicate():
    sheet = export_sheet("training", 2)
    sheet.rows[1] = list(sheet.rows[0])
    sheet.rows[1][0] = 2
    sheet.rows[1][col(sheet, "Tanggal Mulai")] = dt.date(2025, 9, 1)  # the same program again, months later
    sheet.rows[1][col(sheet, "Tanggal Selesai")] = dt.date(2025, 9, 3)
    assert read_upload(xlsx_bytes(sheet), "a.xlsx").rows_rejected == 0


def test_same_person_in_two_programs_is_not_a_duplicate():
    sheet = export_sheet("training", 2)
    sheet.rows[1][col(sheet, "NIP")] = sheet.rows[0][col(sheet, "NIP")]
    sheet.rows[1][col(sheet, "Nama Pelatihan")] = "Program Lain"
    assert read_upload(xlsx_bytes(sheet), "a.xlsx").rows_rejected == 0


def test_duplicate_across_sheets_names_the_first_sheet(tmp_path):
    a = export_sheet("training", 2, name="Januari")
    b = export_sheet("training", 2, name="Februari")  # the same two rows again
    res = read(tmp_path, "xlsx", [a, b])
    dups = issues(res, "duplicate_row")
    assert [(i["sheet"], i["row"]) for i in dups] == [("Februari", b.data_row(0)), ("Februari", b.data_row(1))]
    assert "Januari" in dups[0]["message_en"]
    assert res.rows_accepted == 2 and res.rows_rejected == 2


@pytest.mark.parametrize("empty", ["Pre Test", "Post Test", "Kinerja Sebelum", "Kinerja Sesudah"])
def test_row_with_one_missing_score_is_kept_with_a_warning(tmp_path, empty):
    sheet = export_sheet("training", 3)
    sheet.rows[2][col(sheet, empty)] = None
    res = read(tmp_path, "xlsx", sheet)
    assert res.rows_accepted == 3 and res.rows_rejected == 0
    (w,) = issues(res, "missing_score")
    assert (w["row"], w["column"], w["severity"]) == (sheet.data_row(2), empty, "warning")
    assert res.accepted["jp"].iloc[2] == sheet.rows[2][col(sheet, "JP")]  # still counts for JP


def test_row_with_both_scores_missing_has_no_pair_warning(tmp_path):
    sheet = export_sheet("training", 2)
    sheet.rows[0][col(sheet, "Pre Test")] = sheet.rows[0][col(sheet, "Post Test")] = None
    res = read(tmp_path, "xlsx", sheet)
    assert res.rows_accepted == 2 and not issues(res, "missing_score")


@pytest.mark.parametrize("fmt", ["xlsx", "csv_semicolon_cp1252"])
def test_comparison_group_may_leave_program_and_jp_empty(tmp_path, fmt):
    sheet = export_sheet("training", 4)
    sheet.header.append("Kelompok")
    for r in sheet.rows:
        r.append("Peserta")
    for i in (2, 3):
        sheet.rows[i][-1] = "Pembanding"
        for h in ("Nama Pelatihan", "JP", "Tanggal Mulai", "Tanggal Selesai", "Jenis Program", "Kepuasan Peserta"):
            sheet.rows[i][col(sheet, h)] = None
    sheet.rows[1][col(sheet, "JP")] = None  # a participant without JP is an error
    res = read(tmp_path, fmt, sheet)
    assert res.accepted["kelompok"].tolist() == ["peserta", "pembanding", "pembanding"]
    assert res.accepted["program"].isna().tolist() == [False, True, True]
    (err,) = issues(res, severity="error")
    assert (err["code"], err["field"], err["row"]) == ("missing_value", "jp", sheet.data_row(1))


# ============================================================================ nothing is lost


def _messy(kind: str = "training") -> Sheet:
    sheet = export_sheet(kind, 8, total=True, footer=True)
    if kind == "training":
        sheet.rows[1][col(sheet, "Kecamatan")] = "Medan Raya"
        sheet.rows[3][col(sheet, "Pre Test")] = "1.234,5"
        sheet.rows[4][col(sheet, "Post Test")] = None
        sheet.rows[5][col(sheet, "Tanggal Mulai")] = "31/02/2025"
        sheet.rows[6][col(sheet, "NIP")] = "12345"
        sheet.rows[7] = list(sheet.rows[0])
    return sheet


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_is_lost(tmp_path, fmt):
    sheet = _messy()
    path = write(tmp_path, fmt, sheet)
    res = read_file(path)
    data = path.read_bytes()
    assert res.source_bytes == data
    assert res.sha256 == hashlib.sha256(data).hexdigest()
    assert res.source_name == path.name
    assert res.rows_read == 8
    assert res.rows_accepted + res.rows_rejected == res.rows_read
    assert sorted(res.accepted["_row"].tolist() + res.rejected["_row"].tolist()) == [sheet.data_row(i)
                                                                                    for i in range(8)]
    rejected_rows = {sheet.data_row(i) for i in (1, 3, 5, 7)}
    assert set(res.rejected["_row"]) == rejected_rows
    assert {i["row"] for i in issues(res, severity="error")} == rejected_rows
    warned = {i["row"] for i in issues(res, severity="warning")}
    assert warned == {sheet.data_row(4), sheet.data_row(6)} and warned <= set(res.accepted["_row"])


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv_comma"])
def test_rejected_rows_are_kept_as_written(tmp_path, fmt):
    sheet = _messy()
    res = read(tmp_path, fmt, sheet)
    assert list(res.rejected.columns) == sheet.header + ["_row", "_sheet", "_reasons"]
    by_row = res.rejected.set_index("_row")
    assert by_row.loc[sheet.data_row(1), "Kecamatan"] == "Medan Raya"
    assert by_row.loc[sheet.data_row(3), "Pre Test"] == "1.234,5"
    assert by_row.loc[sheet.data_row(5), "Tanggal Mulai"] == "31/02/2025"
    assert by_row.loc[sheet.data_row(1), "Nama Pegawai"] == sheet.rows[1][col(sheet, "Nama Pegawai")]
    assert (by_row["_sheet"] == res.sheets[0]).all()
    for row, reasons in by_row["_reasons"].items():
        messages = [i["message_id"] for i in issues(res, severity="error") if i["row"] == row]
        assert messages and all(m in reasons for m in messages)


def test_accepted_holds_no_rejected_row_and_report_counts(tmp_path):
    res = read(tmp_path, "xlsx", _messy())
    assert not set(res.accepted["_row"]) & set(res.rejected["_row"])
    report = res.report()
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (8, 4, 4)
    assert report["header_row"] == 4 and report["kind"] == "training" and report["sheet"] == "REKAP"
    assert len(report["issues"]) == len(res.issues)
    assert res.counts() == {s: len(issues(res, severity=s)) for s in ("error", "warning", "info")}
    by_lang = {lang: {i["code"]: i["message"] for i in res.report(lang)["issues"]} for lang in ("id", "en")}
    assert by_lang["id"]["unknown_kecamatan"].startswith("Kecamatan 'Medan Raya' tidak dikenal")
    assert by_lang["en"]["unknown_kecamatan"].startswith("District 'Medan Raya' is not known")


def test_issue_rows_are_excel_rows_in_csv_with_quoted_newlines(tmp_path):
    sheet = export_sheet("feedback", 3)
    sheet.rows[0][col(sheet, "Kritik dan Saran")] = "Antrean lama;\nparkir sempit, perlu diperbaiki"
    sheet.rows[2][col(sheet, "Kecamatan")] = "Medan Raya"
    res = read(tmp_path, "csv_semicolon_cp1252", sheet)
    assert res.accepted["saran"].iloc[0] == "Antrean lama; parkir sempit, perlu diperbaiki"
    (err,) = issues(res, severity="error")
    assert err["row"] == sheet.data_row(2)


def test_cp1252_and_utf8_text_survive(tmp_path):
    sheet = export_sheet("events", 2)
    sheet.rows[0][col(sheet, "Catatan")] = "Dihadiri Camat – café ‘Ucok’"
    for fmt in ("csv_semicolon_cp1252", "csv_comma_bom", "xlsx"):
        res = read(tmp_path, fmt, sheet)
        assert res.accepted["catatan"].iloc[0] == "Dihadiri Camat – café ‘Ucok’", fmt


def test_csv_saved_with_an_xlsx_name_is_read():
    data = csv_text(export_sheet("mentoring", 2), sep=";").encode("utf-8")
    res = read_upload(data, "unduhan_portal.xlsx")
    assert res.kind == "mentoring" and res.rows_accepted == 2


# ============================================================================ property: valid frames pass

_NAMES = st.lists(st.sampled_from(["Ani", "Budi", "Siti", "Rahmat", "Dewi", "Putri", "Hendra", "Lestari",
                                   "Nasution", "Siregar", "Br. Ginting", "O'Neil", "Tambunan"]),
                  min_size=2, max_size=3).map(" ".join)


@st.composite
def _nip(draw) -> str:
    born = draw(st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2000, 12, 28)))
    tmt_year = draw(st.integers(born.year + 18, 2024))
    return (f"{born:%Y%m%d}{tmt_year:04d}{draw(st.integers(1, 12)):02d}{draw(st.sampled_from('12'))}"
            f"{draw(st.integers(1, 999)):03d}")


_score = st.one_of(st.none(), st.integers(0, 10000).map(lambda x: x / 100))
_row = st.fixed_dictionaries({
    "nip": _nip(), "nama": _NAMES, "unit_kerja": st.sampled_from(["Dinas Kominfo", "BKPSDM", "Kantor Camat"]),
    "kecamatan": st.sampled_from(sorted(KODE)), "program": st.sampled_from(["Literasi Data", "Pelayanan Prima"]),
    "mulai": st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
    "hari": st.integers(0, 30), "jp": st.integers(1, 400).map(lambda x: x / 2),
    "pre": _score, "post": _score, "kepuasan": st.one_of(st.none(), st.integers(1, 5).map(float)),
})
_frames = st.lists(_row, min_size=1, max_size=12, unique_by=lambda r: (r["nip"], r["program"]))
_HEADER = ["NIP", "Nama Peserta", "Unit Kerja", "Kecamatan", "Nama Diklat", "Tgl Mulai", "Tgl Selesai", "JP",
           "Pretest", "Posttest", "Kepuasan Peserta"]


def _as_sheet(rows: list[dict], text_numbers: bool) -> Sheet:
    def num(x):
        if x is None or not text_numbers:
            return x
        return (f"{x:.2f}".rstrip("0").rstrip(".")).replace(".", ",")
    body = [[r["nip"], r["nama"], r["unit_kerja"], r["kecamatan"], r["program"], r["mulai"],
             r["mulai"] + dt.timedelta(days=r["hari"]), num(r["jp"]), num(r["pre"]), num(r["post"]),
             num(r["kepuasan"])] for r in rows]
    return Sheet("DATA", _HEADER, body, titles=["REKAP DIKLAT"])


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames, st.sampled_from(["xlsx", "csv"]))
def test_valid_frames_are_accepted_whole_and_round_trip(rows, fmt):
    sheet = _as_sheet(rows, text_numbers=(fmt == "csv"))
    data = xlsx_bytes(sheet) if fmt == "xlsx" else csv_text(sheet, sep=";").encode("cp1252")
    res = read_upload(data, f"rekap.{fmt}")
    assert res.kind == "training"
    assert (res.rows_read, res.rows_rejected) == (len(rows), 0), res.issues
    acc = res.accepted
    assert acc["nip"].tolist() == [r["nip"] for r in rows]
    assert acc["nama"].tolist() == [r["nama"] for r in rows]
    assert acc["kode_kecamatan"].tolist() == [KODE[r["kecamatan"]] for r in rows]
    assert acc["tanggal_mulai"].tolist() == [pd.Timestamp(r["mulai"]) for r in rows]
    np.testing.assert_allclose(acc["jp"].to_numpy(), [r["jp"] for r in rows])
    for field, key in (("nilai_pre", "pre"), ("nilai_post", "post"), ("kepuasan_peserta", "kepuasan")):
        want = np.array([np.nan if r[key] is None else r[key] for r in rows], dtype=float)
        np.testing.assert_allclose(acc[field].to_numpy(), want, rtol=0, atol=1e-9)
    assert acc["_row"].tolist() == [sheet.data_row(i) for i in range(len(rows))]


@pytest.mark.parametrize("fmt", ["xlsx", "csv_comma"])
def test_unreadable_side_detail_is_a_warning_and_the_row_is_kept(tmp_path, fmt):
    # kepuasan_peserta (and a respondent's age, sex, education, occupation) is a side detail: an
    # unreadable value must not throw away the row's scores
    sheet = export_sheet("training", 3)
    sheet.rows[1][col(sheet, "Kepuasan Peserta")] = 6
    res = read(tmp_path, fmt, sheet)
    assert res.rows_rejected == 0 and not issues(res, severity="error")
    warning = next(i for i in issues(res, severity="warning") if i["field"] == "kepuasan_peserta")
    assert warning["code"] == "out_of_range" and warning["row"] == sheet.data_row(1)
    assert "Baris tetap dipakai" in warning["message_id"]
    assert pd.isna(res.accepted.loc[res.accepted["_row"] == sheet.data_row(1), "kepuasan_peserta"]).all()


def test_skm_processing_sheet_footer_is_not_data(tmp_path):
    # The PermenPANRB processing sheet closes with summary rows labelled in the first column.
    import datetime as dt
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PENGOLAHAN SKM"])
    ws.append(["No. Resp", "Tanggal", "Unit Layanan", "Kecamatan"] + [f"U{i}" for i in range(1, 10)])
    for i in range(5):
        ws.append([i + 1, dt.datetime(2025, 3, 1 + i), "Puskesmas A", "Medan Baru"] + [3] * 9)
    for label in ("Σ Nilai/Unsur", "NRR/Unsur", "NRR tertimbang/unsur", "*) Jumlah NRR IKM tertimbang",
                  "**) IKM Unit pelayanan"):
        ws.append([label, None, None, None] + [3] * 9)
    path = tmp_path / "olah.xlsx"
    wb.save(path)
    res = read_file(path)
    assert res.rows_read == 5 and res.rows_rejected == 0 and res.unknown_columns == []
    assert [i["row"] for i in res.issues if i["code"] == "totals_row"] == [8, 9, 10, 11, 12]


def test_a_duplicate_of_a_rejected_row_is_kept(tmp_path):
    # The first copy has an unknown kecamatan (rejected); the second, valid copy is not a duplicate
    # of anything accepted, so it stays.
    sheet = export_sheet("training", 3)
    sheet.rows[2] = list(sheet.rows[1])
    sheet.rows[2][0] = 3
    sheet.rows[1][col(sheet, "Kecamatan")] = "Medan Raya"
    res = read(tmp_path, "xlsx", sheet)
    assert [i["code"] for i in issues(res, severity="error")] == ["unknown_kecamatan"]
    assert sheet.data_row(2) in res.accepted["_row"].tolist()
