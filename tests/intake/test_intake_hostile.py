"""Files the intake cannot or must not read: each gets its own error code, never a traceback.

The cases that could exhaust memory if a guard regressed (a stray cell at XFD1048576, a sheet of a
million rows) run in a child process whose address space is capped with ``resource.setrlimit``.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from analysis.cli import main as cli_main
from analysis.core.errors import AnalysisError
from analysis.intake.pipeline import read_file, read_upload
from builders import (
    Sheet, csv_text, declare_size, export_sheet, rewrite_zip, stray_cell, with_doctype, with_sheet_xml,
    write_ods, write_xls, xlsx_bytes, zip_bomb,
)
from capped import read_capped

MB = 1024 * 1024


def _good() -> bytes:
    return xlsx_bytes(export_sheet("training", 5))


def _encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_good())).encrypt("rahasia123", out)
    return out.getvalue()


def _header_only() -> bytes:
    return xlsx_bytes(export_sheet("training", 0))


def _header_and_total() -> bytes:
    return xlsx_bytes(export_sheet("training", 0, total=True))


def _missing_columns() -> bytes:
    sheet = export_sheet("training", 3)
    for h in ("JP", "Kecamatan"):
        j = sheet.header.index(h)
        sheet.header.pop(j)
        for r in sheet.rows:
            r.pop(j)
    return xlsx_bytes(sheet)


def _unsafe(member: str, doctype: bytes = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'):
    def make() -> bytes:
        good = _good()
        with zipfile.ZipFile(io.BytesIO(good)) as z:
            xml = z.read(member)
        return rewrite_zip(good, {member: with_doctype(xml, doctype)})
    return make


# name → (make bytes, filename, expected code)
CORPUS = {
    "truncated_zip": (lambda: _good()[: len(_good()) // 2], "rekap.xlsx", "corrupt_file"),
    "zip_missing_its_end": (lambda: _good()[:-60], "rekap.xlsx", "corrupt_file"),
    "broken_sheet_xml": (lambda: rewrite_zip(_good(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
                         "rekap.xlsx", "corrupt_file"),
    "png_named_xlsx": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "rekap.xlsx",
                       "not_a_spreadsheet"),
    "html_named_xls": (lambda: b"<html><body><table><tr><td>NIP</td><td>Nama</td></tr></table></body></html>",
                       "rekap.xls", "not_a_spreadsheet"),
    "docx_named_xlsx": (lambda: _docx(), "rekap.xlsx", "not_a_spreadsheet"),
    "password_protected": (_encrypted, "rahasia.xlsx", "password_protected"),
    "zero_bytes": (lambda: b"", "rekap.xlsx", "empty_file"),
    "only_white_space": (lambda: b" \r\n\t\n", "rekap.csv", "empty_file"),
    "workbook_with_empty_sheet": (lambda: xlsx_bytes(Sheet("Sheet1", [], [], titles=[])), "kosong.xlsx",
                                  "empty_file"),
    "header_only": (_header_only, "rekap.xlsx", "header_only"),
    "header_and_totals_only": (_header_and_total, "rekap.xlsx", "header_only"),
    "header_only_csv": (lambda: csv_text(export_sheet("events", 0)).encode(), "rekap.csv", "header_only"),
    "no_header_only_titles": (lambda: xlsx_bytes(Sheet("S", ["REKAPITULASI 2025"], [["Tahun 2025"], ["Halaman 1"]])),
                              "rekap.xlsx", "no_header"),
    "unrelated_columns": (lambda: xlsx_bytes(Sheet("Stok", ["Produk", "Harga", "Stok", "Gudang"],
                                                   [["Beras", 12000, 40, "A"], ["Gula", 15000, 10, "B"]])),
                          "stok.xlsx", "unrecognised_columns"),
    "unrelated_columns_csv": (lambda: b"Produk;Harga;Stok\nBeras;12000;40\n", "stok.csv", "unrecognised_columns"),
    "missing_required_columns": (_missing_columns, "rekap.xlsx", "missing_columns"),
    "doctype_in_shared_strings": (_unsafe("xl/sharedStrings.xml"), "rekap.xlsx", "unsafe_xml"),
    "external_entity_in_sheet": (_unsafe("xl/worksheets/sheet1.xml",
                                         b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
                                 "rekap.xlsx", "unsafe_xml"),
    "doctype_in_workbook": (_unsafe("xl/workbook.xml"), "rekap.xlsx", "unsafe_xml"),
}


def _docx() -> bytes:

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_gets_its_code(name, settings):
    make, filename, code = CORPUS[name]
    with pytest.raises(AnalysisError) as err:
        read_upload(make(), filename, settings=settings)
    assert err.value.code == code
    assert err.value.message("id") and err.value.message("en")
    assert err.value.message("id") != err.value.message("en")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_through_the_cli_exits_2_with_an_error_object(name, tmp_path, monkeypatch, capsys):
    make, filename, code = CORPUS[name]
    path = tmp_path / filename
    path.write_bytes(make())
    monkeypatch.setenv("EVALUASI_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("EVALUASI_MAX_UNPACKED_MB", "16")
    assert cli_main(["validate", str(path), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"error"} and set(out["error"]) == {"code", "message"}
    assert out["error"]["code"] == code and out["error"]["message"]


def test_the_corpus_covers_every_unreadable_file_code():
    # Corrupt, not a spreadsheet, password-protected, empty, header only, no recognisable header,
    # unrelated columns, (missing columns), unsafe XML; the size limits are tested below.
    assert {code for _, _, code in CORPUS.values()} == {
        "corrupt_file", "not_a_spreadsheet", "password_protected", "empty_file", "header_only", "no_header",
        "unrecognised_columns", "missing_columns", "unsafe_xml"}


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_truncated_legacy_and_opendocument_files(tmp_path, fmt):
    writer = write_xls if fmt == "xls" else write_ods
    data = writer(tmp_path / f"x.{fmt}", [export_sheet("training", 5)]).read_bytes()
    with pytest.raises(AnalysisError) as err:
        read_upload(data[: len(data) // 2], f"rekap.{fmt}")
    assert err.value.code == "corrupt_file"


def test_prose_text_named_xlsx(settings):
    with pytest.raises(AnalysisError) as err:
        read_upload(b"Laporan kegiatan bulan Maret.\nTerlampir daftar hadir.\n", "laporan.xlsx", settings=settings)
    assert err.value.code in ("not_a_spreadsheet", "no_header")


@pytest.mark.parametrize("data", [b"NIP;Nama\x81;Kecamatan\n1;2;3\n", bytes(range(256)) * 8])
def test_undecodable_bytes_named_csv(data, settings):
    with pytest.raises(AnalysisError) as err:
        read_upload(data, "rekap.csv", settings=settings)
    assert err.value.code in ("not_a_spreadsheet", "corrupt_file")


# ---------------------------------------------------------------------------- limits


def test_file_larger_than_the_limit(settings, tmp_path):
    data = _good() + b"\0" * (settings.max_upload_bytes + 1)
    with pytest.raises(AnalysisError) as err:
        read_upload(data, "rekap.xlsx", settings=settings)
    assert err.value.code == "file_too_large"
    path = tmp_path / "besar.xlsx"
    path.write_bytes(data)
    with pytest.raises(AnalysisError) as err:
        read_file(path, settings=settings)
    assert err.value.code == "file_too_large" and "MB" in err.value.message("en")


def test_too_many_rows(settings):
    import dataclasses

    small = dataclasses.replace(settings, max_rows=3)
    with pytest.raises(AnalysisError) as err:
        read_upload(xlsx_bytes(export_sheet("events", 5)), "a.xlsx", settings=small)
    assert err.value.code == "too_many_rows"
    assert read_upload(xlsx_bytes(export_sheet("events", 3)), "a.xlsx", settings=small).rows_read == 3


def test_zip_bomb_is_refused_quickly_in_bounded_memory(settings):
    assert settings.max_unpacked_bytes == 16 * MB
    bomb = zip_bomb(_good(), "xl/worksheets/sheet1.xml", 64 * MB)
    assert len(bomb) < 200_000  # small on disk, 64 MB unpacked
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(AnalysisError) as err:
            read_upload(bomb, "rekap.xlsx", settings=settings)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code == "too_large_unpacked"
    assert elapsed < 1.0
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB while refusing a 64 MB bomb"


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_zip_that_lies_about_its_size_is_refused(settings, member):
    good = _good()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        honest = z.getinfo(member).file_size
    liar = declare_size(zip_bomb(good, member, 32 * MB), member, honest)
    tracemalloc.start()
    try:
        with pytest.raises(AnalysisError) as err:
            read_upload(liar, "rekap.xlsx", settings=settings)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code in ("corrupt_file", "too_large_unpacked")
    assert peak < 8 * MB


def test_doctype_behind_a_long_comment():
    good = _good()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        xml = z.read("xl/sharedStrings.xml")
    doctype = b"<!--" + b" " * 4000 + b'--><!DOCTYPE x [<!ENTITY a "aaaa">]>'
    with pytest.raises(AnalysisError) as err:
        read_upload(rewrite_zip(good, {"xl/sharedStrings.xml": with_doctype(xml, doctype)}), "rekap.xlsx")
    assert err.value.code == "unsafe_xml"


def test_doctype_in_styles():
    with pytest.raises(AnalysisError) as err:
        read_upload(_unsafe("xl/styles.xml")(), "rekap.xlsx")
    assert err.value.code == "unsafe_xml"


def test_million_empty_row_elements_read_fine():
    """A sheet whose XML lists every row down to 1,048,576 without values (formatting only)."""
    def edit(xml: bytes) -> bytes:
        rows = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % i for i in range(20, 1_048_577))
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")
    data = with_sheet_xml(_good(), edit)
    start = time.perf_counter()
    res = read_upload(data, "rekap.xlsx")
    assert res.rows_read == 5 and res.rows_rejected == 0
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------------------- in a capped child process

def test_stray_cell_at_xfd1048576_is_refused(tmp_path):
    path = tmp_path / "stray.xlsx"
    path.write_bytes(with_sheet_xml(_good(), stray_cell("XFD1048576")))
    out = read_capped(path, 2048)
    assert out["code"] == "sheet_too_large" and "XFD" in out["message"]


@pytest.mark.parametrize("ref", ["CW1048576", "ZZ99999"])  # a 2-letter column; a row below 100000
def test_stray_cell_in_a_two_letter_column_is_refused(tmp_path, ref):
    path = tmp_path / "stray_cw.xlsx"
    path.write_bytes(with_sheet_xml(_good(), stray_cell(ref)))
    assert read_capped(path, 2048).get("code") == "sheet_too_large"


def test_stray_cell_with_attributes_in_another_order_is_refused(tmp_path):
    path = tmp_path / "stray_attr.xlsx"
    path.write_bytes(with_sheet_xml(_good(), stray_cell("XFD1048576", attrs=b's="0" ')))
    assert read_capped(path, 2048).get("code") == "sheet_too_large"


@pytest.mark.slow
def test_value_in_the_last_row_of_column_a(tmp_path):
    """One value at A1048576: a million-row sheet. Read (1 GB for calamine's grid) or refused; no crash."""
    path = tmp_path / "last_row.xlsx"
    path.write_bytes(with_sheet_xml(_good(), stray_cell("A1048576")))
    start = time.perf_counter()
    out = read_capped(path, 4096)
    assert out.get("rows_read") == 5 or out.get("code") in ("sheet_too_large", "too_many_rows")
    assert time.perf_counter() - start < 60
