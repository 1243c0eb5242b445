"""Which cells were numbers, read as XML is read (analysis/intake/celltypes.py).

The reference is calamine itself through ``python-calamine``, which hands back each cell with its
type (a float for a number, a str for text): for every way XML allows a cell to be written, the
rows the intake calls numeric are the rows calamine reads as numbers.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import python_calamine

from analysis.intake.celltypes import numeric_rows
from analysis.intake.extent import canonical_extent
from analysis.intake.pipeline import read_upload
from builders import export_sheet, rewrite_zip, with_sheet_xml, xlsx_bytes

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# Rows 2–4 of columns A and B; shared string 0 is "teks". Row 1 is the header.
HEAD = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row>'
VARIANTS = {
    "excel_form": '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>5</v></c></row>'
                  '<row r="3"><c r="A3"><v>198503122010011000</v></c><c r="B3" t="str"><v>7</v></c></row>',
    "single_quotes": "<row r='2'><c r='A2' t='s'><v>0</v></c><c r='B2' t='n'><v>5</v></c></row>"
                     "<row r='3'><c r='A3' s='0'><v>1</v></c><c r='B3' t='s'><v>0</v></c></row>",
    "spaces_around_equals": '<row r="2"><c r="A2" t = "s"><v>0</v></c><c r="B2" t ="n"><v>5</v></c></row>',
    "greater_than_inside_a_value": '<row r="2"><c r="A2" foo="a>b" t="s"><v>0</v></c>'
                                   '<c r="B2" foo="x>y"><v>5</v></c></row>',
    "attributes_in_another_order": '<row r="2"><c t="s" r="A2"><v>0</v></c><c s="0" r="B2"><v>5</v></c></row>',
    "lower_case_references": '<row r="2"><c r="a2" t="s"><v>0</v></c><c r="b2"><v>5</v></c></row>',
    "cells_without_r": '<row r="2"><c t="s"><v>0</v></c><c><v>5</v></c></row><row><c><v>3</v></c></row>',
    "cell_in_a_comment": '<row r="2"><c r="A2" t="s"><v>0</v></c><!-- <c r="B2"><v>5</v></c> --></row>'
                         '<row r="3"><c r="B3"><v>9</v></c></row>',
    "namespace_prefix": f'<x:row xmlns:x="{MAIN_NS}" r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c>'
                        '<x:c r="B2"><x:v>5</x:v></x:c></x:row>',
}


def _workbook(rows: str) -> bytes:
    base = xlsx_bytes(export_sheet("events", 1))
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}">'
             f"<sheetData>{HEAD}{rows}</sheetData></worksheet>").encode()
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1">'
               "<si><t>teks</t></si></sst>").encode()
    return rewrite_zip(base, {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings})


def _calamine_numbers(data: bytes) -> dict[int, list[int]]:
    """Per column (0-based), the Excel rows below row 1 that calamine reads as numbers."""
    grid = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(
        skip_empty_area=False)
    out: dict[int, list[int]] = {0: [], 1: []}
    for r, row in enumerate(grid[1:], start=2):
        for c in (0, 1):
            if c < len(row) and isinstance(row[c], (int, float)) and not isinstance(row[c], bool):
                out[c].append(r)
    return out


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_numeric_cells_are_the_cells_calamine_reads_as_numbers(name):
    data = _workbook(VARIANTS[name])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        open_part = lambda: zf.open("xl/worksheets/sheet1.xml")  # noqa: E731
        canonical = canonical_extent(open_part) is not None
        assert numeric_rows(open_part, 0, [0, 1], canonical=canonical) == _calamine_numbers(data)
        assert numeric_rows(open_part, 0, [0, 1], canonical=False) == _calamine_numbers(data)  # the parse


def test_the_quick_path_takes_excels_form_and_leaves_the_rest_to_the_parse():
    for name, canonical in (("excel_form", True), ("single_quotes", False), ("cells_without_r", False)):
        with zipfile.ZipFile(io.BytesIO(_workbook(VARIANTS[name]))) as zf:
            assert (canonical_extent(lambda: zf.open("xl/worksheets/sheet1.xml")) is not None) is canonical


def test_an_nip_stored_as_a_number_is_found_however_its_tag_is_written(tmp_path):
    """Through the whole intake: a NIP cell Excel stored as a number (t absent) is ``nip_as_number``
    whatever the quoting, a text NIP beside it is accepted."""
    good = xlsx_bytes(export_sheet("training", 3))
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    nip_column = "B"
    assert f'<c r="{nip_column}5"' in xml
    for quote in ('"', "'"):
        def edit(sheet: bytes, q=quote) -> bytes:
            text = sheet.decode()
            start = text.index(f'<c r="{nip_column}5"')
            end = text.index("</c>", start) + len("</c>")
            cell = f"<c r={q}{nip_column}5{q} s={q}0{q}><v>198503122010011000</v></c>"
            return (text[:start] + cell + text[end:]).encode()

        res = read_upload(with_sheet_xml(good, edit), "rekap.xlsx")
        codes = {(i["row"], i["code"]) for i in res.issues if i["severity"] == "error"}
        assert (5, "nip_as_number") in codes, (quote, codes)
        assert res.rows_accepted == 2
