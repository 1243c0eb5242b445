"""Finding the header (analysis/intake/header.py): title rows, two-row headers, numbering columns,
the row limit of the scan, the kind of data, several sheets, hidden sheets and mapped headers.

Row numbers are the 1-based Excel rows of the layout the builder wrote (``Sheet.header_row()``).
"""

from __future__ import annotations

import pytest

from analysis.core.errors import AnalysisError
from analysis.intake.contracts import KINDS, alias_index, fields, header_key
from analysis.intake.header import MIN_MATCHED, find_header
from analysis.intake.pipeline import read_file, read_upload
from analysis.intake.reader import SCAN_ROWS, open_book
from builders import NIPS, Sheet, export_sheet, write, xlsx_bytes
from test_contracts import REQUIRED_ALIAS_CASES

EXCEL_FORMATS = ("xlsx", "xlsx_openpyxl", "xls", "ods")


def read(tmp_path, fmt, sheets, **kw):
    return read_file(write(tmp_path, fmt, sheets), **kw)


def issues(res, code=None, severity=None) -> list[dict]:
    return [i for i in res.issues if (code is None or i["code"] == code)
            and (severity is None or i["severity"] == severity)]


def col(sheet: Sheet, header: str) -> int:
    return sheet.header.index(header)


def book_of(text: str):
    return open_book(text.encode(), "data.csv", max_bytes=10**6, max_unpacked=10**7)


# ============================================================================ find_header itself

TRAINING_HEADER = "No;NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test"
TRAINING_ROW = "1;198503122010011003;Ani;Dinas Kominfo;Medan Baru;Literasi Data;12/03/2025;20;60;80"


def test_header_under_a_title_with_a_numbering_column():
    kind, (h,), skipped = find_header(book_of(f"REKAP DIKLAT 2025\n\n{TRAINING_HEADER}\n{TRAINING_ROW}\n"))
    assert (kind, h.header_row, h.row0, h.top0, skipped) == ("training", 3, 2, None, [])
    assert h.numbering == [0] and h.unknown == [] and h.duplicates == {}
    assert [h.mapped[j] for j in sorted(h.mapped)] == [
        "nip", "nama", "unit_kerja", "kecamatan", "program", "tanggal_mulai", "jp", "nilai_pre", "nilai_post"]


def test_header_over_two_rows():
    # "Nilai" merged above "Pre" and "Post": the cell holds its text in its first column only
    top = "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Nilai;"
    sub = ";;;;;;;Pre;Post"
    kind, (h,), _ = find_header(book_of(f"{top}\n{sub}\n{TRAINING_ROW[2:]}\n"))
    assert kind == "training" and (h.top0, h.row0, h.header_row) == (0, 1, 1)
    assert (h.mapped[7], h.mapped[8]) == ("nilai_pre", "nilai_post")


def test_same_field_twice_is_a_duplicate_column():
    _, (h,), _ = find_header(book_of(f"{TRAINING_HEADER};N.I.P.\n{TRAINING_ROW};1\n"))
    assert h.duplicates == {10: "nip"}


def test_mapping_keys_name_a_field_the_aliases_do_not_know():
    text = TRAINING_HEADER.replace("Nama Pelatihan", "Judul Bimtek")
    with pytest.raises(AnalysisError) as err:
        find_header(book_of(f"{text}\n{TRAINING_ROW}\n"))
    assert err.value.code == "missing_columns" and err.value.details["missing"] == ["program"]
    _, (h,), _ = find_header(book_of(f"{text}\n{TRAINING_ROW}\n"), mapping_keys={header_key("Judul Bimtek"): "program"})
    assert h.mapped[5] == "program"


def test_a_header_names_at_least_three_fields():
    assert MIN_MATCHED == 3
    with pytest.raises(AnalysisError) as err:
        find_header(book_of("NIP;Nama;Golongan\n1;Ani;III/a\n"))
    assert err.value.code == "unrecognised_columns"
    assert err.value.details["headers"] == ["NIP", "Nama", "Golongan"]


def test_messages_name_the_rows_scanned():
    assert SCAN_ROWS == 30
    with pytest.raises(AnalysisError) as err:
        find_header(book_of("Warna;Rasa\nmerah;manis\n"))
    assert "first 30 rows" in err.value.message("en") and "30 baris pertama" in err.value.message("id")
    with pytest.raises(AnalysisError) as err:
        find_header(book_of("hanya satu sel\n"))
    assert err.value.code == "no_header" and "first 30 rows" in err.value.message("en")


def test_a_sheet_asked_for_must_exist():
    with pytest.raises(AnalysisError) as err:
        find_header(book_of(f"{TRAINING_HEADER}\n{TRAINING_ROW}\n"), sheet="Rekap")
    assert err.value.code == "sheet_not_found" and "data.csv" in err.value.message("en")


# ============================================================================ through the intake


@pytest.mark.parametrize("kind", KINDS)
def test_kind_detected_from_required_columns_only(kind):
    # training rows of participants need their program, date and JP; an appraisal row its period (no title
    # here names one) and an appraisal
    needed = {"training": ("program", "tanggal_mulai", "jp"), "kinerja": ("periode", "predikat_kinerja")}.get(kind, ())
    required = [f for f in fields(kind) if f.required or f.name in needed]
    full = export_sheet(kind, 2, titles=False)
    index = alias_index(kind)
    keep = [j for j, h in enumerate(full.header) if index.get(header_key(h)) in {f.name for f in required}]
    sheet = Sheet("Data", [full.header[j] for j in keep], [[r[j] for j in keep] for r in full.rows])
    res = read_upload(xlsx_bytes(sheet), "data.xlsx")
    assert res.kind == kind and res.rows_accepted == 2 and res.header_row == 1


def test_kind_given_explicitly_must_fit(tmp_path):
    path = write(tmp_path, "xlsx", export_sheet("events", 2))
    assert read_file(path, kind="events").kind == "events"
    with pytest.raises(AnalysisError) as err:
        read_file(path, kind="mentoring")
    assert err.value.code in ("missing_columns", "unrecognised_columns")
    with pytest.raises(AnalysisError) as err:
        read_file(path, kind="pelatihan")
    assert err.value.code == "bad_kind"


@pytest.mark.parametrize("fmt", ["xlsx", "csv_semicolon_cp1252"])
@pytest.mark.parametrize("n_titles,blank", [(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (6, 1)])
def test_header_below_title_rows(tmp_path, fmt, n_titles, blank):
    sheet = export_sheet("training", 3)
    sheet.titles = [f"JUDUL BARIS {i + 1}" for i in range(n_titles)]
    sheet.blank_after_title = blank
    res = read(tmp_path, fmt, sheet)
    assert res.header_row == sheet.header_row() == (1 if not n_titles else n_titles + blank + 1)
    assert res.accepted["_row"].tolist() == [sheet.data_row(i) for i in range(3)]


def test_header_searched_in_the_first_30_rows():
    sheet = export_sheet("training", 2)
    sheet.titles, sheet.blank_after_title = ["Judul"] * 28, 1
    assert sheet.header_row() == 30
    assert read_upload(xlsx_bytes(sheet), "a.xlsx").header_row == 30
    sheet.titles = ["Judul"] * 29
    with pytest.raises(AnalysisError) as err:
        read_upload(xlsx_bytes(sheet), "a.xlsx")
    assert err.value.code in ("no_header", "unrecognised_columns")


@pytest.mark.parametrize("fmt", EXCEL_FORMATS)
def test_instructions_sheet_first(tmp_path, fmt):
    petunjuk = Sheet("Petunjuk", ["Judul kolom", "Nama baku", "Keterangan"],
                     [["NIP", "nip", "NIP pegawai, 18 digit"], ["Nama Pegawai", "nama", "Nama lengkap"],
                      ["Kecamatan", "kecamatan", "Nama kecamatan resmi"], ["JP", "jp", "Jam pelajaran"]],
                     titles=["PETUNJUK PENGISIAN"])
    data = export_sheet("training", 3, name="REKAP")
    res = read(tmp_path, fmt, [petunjuk, data])
    assert res.sheets == ["REKAP"] and res.rows_read == 3


@pytest.mark.parametrize("fmt", EXCEL_FORMATS)
def test_several_sheets_with_the_same_columns_read_as_one(tmp_path, fmt):
    a = export_sheet("training", 3, name="Program A")
    b = export_sheet("training", 4, name="Program B", start=3)
    b.titles = ["REKAP PROGRAM B"] * 4  # its header sits lower than sheet A's
    b.rows[2][col(b, "Kecamatan")] = "Medan Raya"
    other = Sheet("Ringkasan", ["OPD", "Jumlah Peserta"], [["Dinas Kominfo", 7]])
    res = read(tmp_path, fmt, [a, b, other])
    assert res.sheets == ["Program A", "Program B"] and res.sheet == "Program A, Program B"
    assert res.rows_read == 7 and res.rows_rejected == 1
    assert list(zip(res.accepted["_sheet"], res.accepted["_row"])) == (
        [("Program A", a.data_row(i)) for i in range(3)] + [("Program B", b.data_row(i)) for i in (0, 1, 3)])
    (err,) = issues(res, severity="error")
    assert (err["sheet"], err["row"], err["code"]) == ("Program B", b.data_row(2), "unknown_kecamatan")
    assert all(i["sheet"] in res.sheets for i in res.issues)


@pytest.mark.parametrize("fmt", EXCEL_FORMATS)
def test_sheet_selection(tmp_path, fmt):
    a = export_sheet("training", 3, name="Program A")
    b = export_sheet("training", 2, name="Program B", start=3)
    path = write(tmp_path, fmt, [a, b])
    res = read_file(path, sheet="Program B")
    assert res.sheets == ["Program B"] and res.rows_read == 2
    assert res.accepted["nip"].tolist() == [NIPS[3], NIPS[4]]
    with pytest.raises(AnalysisError) as err:
        read_file(path, sheet="Program C")
    assert err.value.code == "sheet_not_found" and "Program A" in err.value.message("en")


@pytest.mark.parametrize("fmt", ["xlsx", "xlsx_openpyxl", "xls"])
def test_hidden_sheet_is_skipped_unless_named(tmp_path, fmt):
    visible = export_sheet("training", 3, name="Aktif")
    hidden = export_sheet("training", 2, name="Lama", start=5)
    hidden.hidden = True
    path = write(tmp_path, fmt, [visible, hidden])
    assert read_file(path).sheets == ["Aktif"]
    res = read_file(path, sheet="Lama")
    assert res.sheets == ["Lama"] and res.accepted["nip"].tolist() == [NIPS[5], NIPS[6]]


def test_headers_differ_in_case_spaces_and_punctuation(tmp_path):
    sheet = export_sheet("training", 3)
    written = ["no.", " nip ", "NAMA  PEGAWAI", "O.P.D", "Kec.", "Nama_Pelatihan", "jenis program", "Tgl. Mulai",
               "TANGGAL SELESAI", "J P", "Pre-Test", "POST-TEST", "Kinerja - Sebelum", "kinerja sesudah:",
               "Kepuasan-Peserta"]
    sheet.header = written
    res = read(tmp_path, "xlsx", sheet)
    assert res.rows_accepted == 3 and not res.unknown_columns
    assert len(res.columns) == 14 and set(res.columns.values()) == {f.name for f in fields("training")} - {"kelompok"}
    assert res.columns["Kec."] == "kecamatan" and res.columns["Tgl. Mulai"] == "tanggal_mulai"


def test_unknown_headers_are_listed_and_can_be_mapped(tmp_path):
    sheet = export_sheet("training", 3)
    sheet.header = sheet.header + ["Golongan", "Keterangan Lain"]
    for r in sheet.rows:
        r += ["III/a", "-"]
    sheet.header[col(sheet, "Jenis Program")] = "Bentuk Kegiatan Diklat"
    path = write(tmp_path, "xlsx", sheet)
    res = read_file(path)
    unknown = [(i["column"], i["severity"], i["row"]) for i in issues(res, "unknown_column")]
    assert sorted(unknown) == [(h, "info", sheet.header_row())
                               for h in sorted(["Bentuk Kegiatan Diklat", "Golongan", "Keterangan Lain"])]
    assert sorted(res.unknown_columns) == sorted(["Bentuk Kegiatan Diklat", "Golongan", "Keterangan Lain"])
    assert res.accepted["jenis_program"].isna().all()
    mapped = read_file(path, mapping={"Bentuk Kegiatan Diklat": "jenis_program"})
    assert mapped.columns["Bentuk Kegiatan Diklat"] == "jenis_program"
    assert mapped.accepted["jenis_program"].tolist() == ["pelatihan"] * 3
    assert "Bentuk Kegiatan Diklat" not in mapped.unknown_columns


def test_mapping_supplies_a_missing_required_column(tmp_path):
    sheet = export_sheet("training", 3)
    sheet.header[col(sheet, "Nama Pelatihan")] = "Judul Bimtek"
    path = write(tmp_path, "xlsx", sheet)
    with pytest.raises(AnalysisError) as err:
        read_file(path)
    assert err.value.code == "missing_columns"
    assert "program" in err.value.message("en") and "Judul Bimtek" in err.value.message("en")
    res = read_file(path, mapping={"  judul bimtek ": "program"})  # compared like any header
    assert res.accepted["program"].tolist() == ["Program 1"] * 3


def test_mapping_to_an_unknown_field_is_refused(tmp_path):
    path = write(tmp_path, "xlsx", export_sheet("training", 2))
    with pytest.raises(AnalysisError) as err:
        read_file(path, mapping={"Golongan": "golongan"})
    assert err.value.code == "bad_mapping" and "golongan" in err.value.message("id")


@pytest.mark.parametrize("kind,field,alias", REQUIRED_ALIAS_CASES)
def test_required_alias_alone_as_a_header(kind, field, alias):
    sheet = export_sheet(kind, 3)
    index = alias_index(kind)
    j = next(j for j, h in enumerate(sheet.header) if index.get(header_key(h)) == field)
    sheet.header[j] = alias
    res = read_upload(xlsx_bytes(sheet), "ekspor.xlsx")
    assert res.kind == kind
    assert res.columns.get(alias) == field
    assert res.rows_accepted == 3
