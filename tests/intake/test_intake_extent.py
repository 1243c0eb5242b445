"""How far a sheet reaches, read as XML is read; and the cell count of a CSV (reader.py, extent.py).

A stray cell far away makes calamine allocate a dense grid up to it: XFD1048576 is 17 billion
cells, and the process aborts ("memory allocation of 549755813888 bytes failed"). These files are
written every way XML allows — single quotes, spaces around ``=``, a tab, lower-case letters, a
namespace prefix, a character reference, cells and rows without ``r`` — and each is read in a child
process capped at 2 GB of address space, so a guard that misses one fails the test instead of
taking pytest down.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analysis.cli import main as cli_main
from analysis.core.errors import AnalysisError
from analysis.intake.extent import Extent, canonical_extent, parse_extent, reference
from analysis.intake.pipeline import read_upload
from builders import export_sheet, with_sheet_xml, xlsx_bytes
from capped import read_capped

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _good() -> bytes:
    return xlsx_bytes(export_sheet("training", 5))


def _append(rows: bytes):
    """An edit for ``with_sheet_xml``: ``rows`` written at the end of ``sheetData``."""
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


VALUE = b"<v>1</v>"
# name → the rows appended after the five good data rows
FAR = {
    "single_quotes": b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces_around_equals": b'<row r = "1048576"><c r = "XFD1048576" ><v>1</v></c></row>',
    "tab_before_r": b'<row r="1048576"><c\tr="XFD1048576"><v>1</v></c></row>',
    "lower_case_letters": b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    "namespace_prefix": b'<row r="1048576"><x:c xmlns:x="' + MAIN_NS + b'" r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "character_reference": b'<row r="1048576"><c r="&#88;FD1048576"><v>1</v></c></row>',
    # calamine puts a cell without r in the next column of the current row (cells_reader.rs)
    "cells_without_r_after_a_far_row": b'<row r="1048576">' + (b"<c>" + VALUE + b"</c>") * 100 + b"</row>",
    "rows_and_cells_without_r": b'<row r="1048575"/><row>' + (b"<c>" + VALUE + b"</c>") * 100 + b"</row>",
}

@pytest.mark.parametrize("name", sorted(FAR))
def test_a_far_cell_written_any_way_xml_allows_is_refused(name, tmp_path):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(with_sheet_xml(_good(), _append(FAR[name])))
    out = read_capped(path)
    assert out.get("code") == "sheet_too_large", out
    assert "1,048,57" in out["message"]  # the row it reaches, for the user to find with Ctrl+End


def test_a_second_r_attribute_is_not_read_as_the_first(tmp_path):
    """calamine keeps the last of two r attributes; XML forbids two. Refused as damaged, not read."""
    path = tmp_path / "twice.xlsx"
    path.write_bytes(with_sheet_xml(_good(), _append(b'<row r="9"><c r="A9" r="XFD1048576"><v>1</v></c></row>')))
    assert read_capped(path).get("code") == "corrupt_file"


@pytest.mark.parametrize("rows", [
    b'<row r="1048576"><c r="XFD1048576" s="1"/></row>',  # formatting only: calamine skips empty cells
    b'<!-- <row r="1048576"><c r="XFD1048576"><v>1</v></c></row> -->',  # markup inside a comment
])
def test_what_holds_no_value_far_away_does_not_refuse_the_file(rows, tmp_path):
    path = tmp_path / "formatted.xlsx"
    path.write_bytes(with_sheet_xml(_good(), _append(rows)))
    assert read_capped(path) == {"rows_read": 5}


def test_a_far_cell_in_the_header_rows_is_refused_not_allocated(tmp_path):
    """The header scan of the first 30 rows places cells itself: a column past XFD must not become
    a row of billions of cells there either."""
    path = tmp_path / "scan.xlsx"
    path.write_bytes(with_sheet_xml(_good(), lambda xml: xml.replace(
        b'<row r="1" spans="1:15">', b'<row r="1" spans="1:15"><c r="ZZZZZZZ1"><v>1</v></c>', 1)))
    assert read_capped(path).get("code") in ("corrupt_file", "sheet_too_large")


# ---------------------------------------------------------------------------- the two readings agree


@st.composite
def _sheets(draw):
    """A sheet as rows of cells, each row or cell with or without ``r``, in random XML spellings; with
    the extent calamine gives it, worked out here from the placements (ECMA-376 references,
    calamine's cells_reader.rs for the implicit ones)."""
    quote = draw(st.sampled_from(['"', "'"]))
    eq = draw(st.sampled_from(["=", " = ", "\t=", "="]))
    prefix = draw(st.sampled_from(["", "", "x:"]))
    lower = draw(st.booleans())
    parts, row_now, max_row, max_col = [], 1, 0, 0
    for _ in range(draw(st.integers(0, 6))):
        row_r = draw(st.one_of(st.none(), st.integers(1, 1_048_576)))
        if row_r is not None:
            row_now = row_r
        attr = "" if row_r is None else f" r{eq}{quote}{row_r}{quote}"
        cells, col_next = [], 1
        for _ in range(draw(st.integers(0, 5))):
            explicit = draw(st.one_of(st.none(), st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384))))
            row, col = explicit if explicit is not None else (row_now, col_next)
            col_next = col + 1
            has_value = draw(st.booleans())
            if has_value:
                max_row, max_col = max(max_row, row), max(max_col, col)
            ref = ""
            if explicit is not None:
                letters = _letters(col)
                ref = f" r{eq}{quote}{letters.lower() if lower else letters}{row}{quote}"
            style = draw(st.sampled_from(["", ' s="1"']))
            body = f"<{prefix}v>1</{prefix}v>" if has_value else ""
            cells.append(f"<{prefix}c{style}{ref}>{body}</{prefix}c>")
        parts.append(f"<{prefix}row{attr}>{''.join(cells)}</{prefix}row>")
        row_now += 1
    xmlns = f' xmlns:x="{MAIN_NS.decode()}"' if prefix else ""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS.decode()}"{xmlns}><{prefix}sheetData>'
    xml += "".join(parts) + f"</{prefix}sheetData></worksheet>"
    return xml.encode(), Extent(max_row, max_col)


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@hsettings(max_examples=300, deadline=None)
@given(_sheets())
def test_the_parse_finds_the_extent_and_the_quick_path_never_understates_it(sheet):
    xml, expected = sheet
    assert parse_extent(lambda: io.BytesIO(xml)) == expected
    quick = canonical_extent(lambda: io.BytesIO(xml))
    assert quick is None or (quick.rows >= expected.rows and quick.columns >= expected.columns)


def test_the_quick_path_takes_the_form_excel_writes():
    with zipfile.ZipFile(io.BytesIO(_good())) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert canonical_extent(lambda: io.BytesIO(xml)) == Extent(99_999, 26)  # bounded, not parsed
    assert parse_extent(lambda: io.BytesIO(xml)) == Extent(9, 15)  # A1 … O9 hold values


def test_references_are_read_as_calamine_reads_them():
    # ECMA-376 Part 1 §18.17.2.3: A = column 1 … XFD = column 16384; calamine also takes lower case
    assert reference("A1") == (1, 1) and reference("XFD1048576") == (1_048_576, 16_384)
    assert reference("xfd1048576") == (1_048_576, 16_384) and reference("AA10") == (10, 27)
    for bad in ("A0", "1A", "A-1", "", "A"):
        with pytest.raises(ValueError):
            reference(bad)


# ---------------------------------------------------------------------------- CSV cell count


def _wide_then_tall() -> bytes:
    """One line of 20,000 separators, then 20,000 one-character lines: 60 KB, 400 million cells as a table."""
    return b";" * 20_000 + b"\n" + b"x\n" * 20_000


def test_a_csv_whose_table_would_be_too_many_cells_is_refused_in_bounded_memory(settings):
    data = _wide_then_tall()
    assert len(data) == 60_001
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(AnalysisError) as err:
            read_upload(data, "rekap.csv", settings=settings)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code == "too_many_cells"
    assert "20,001 columns" in err.value.message("en") and "(row 1)" in err.value.message("en")
    assert elapsed < 5 and peak < 64 * 1024 * 1024, (elapsed, peak / 2 ** 20)


def test_the_csv_cell_count_through_the_cli(tmp_path, capsys):
    path = tmp_path / "lebar.csv"
    path.write_bytes(_wide_then_tall())
    assert cli_main(["validate", str(path), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "too_many_cells"


def test_an_ordinary_csv_is_not_counted_out(settings):
    header = "Jenis Kegiatan;Tanggal;Kecamatan;Unit Layanan;Jumlah Peserta\n"
    rows = "".join(f"Forum;12/03/2025;Medan Baru;Kantor Camat;{i}\n" for i in range(1, 2001))
    assert read_upload((header + rows).encode(), "kegiatan.csv", settings=settings).rows_read == 2000
