"""Excel templates and column tables generated from the contracts (analysis/templates.py)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from analysis.cli import main as cli_main
from analysis.intake.contracts import KINDS, fields
from analysis.intake.pipeline import read_upload
from analysis.intake.templates import columns_markdown, header_text, template_bytes
from builders import NIPS


@pytest.fixture(scope="module", params=KINDS)
def template(request):
    return request.param, template_bytes(request.param)


def test_template_reads_back_through_the_intake(template):
    kind, data = template
    res = read_upload(data, f"templat_{kind}.xlsx")
    assert res.kind == kind and res.sheets == ["Data"] and res.header_row == 1
    assert (res.rows_read, res.rows_accepted) == (1, 1)
    assert not [i for i in res.issues if i["severity"] != "info"]
    assert res.columns == {header_text(f): f.name for f in fields(kind)}
    assert not res.unknown_columns


def test_template_header_row_follows_the_contract(template):
    kind, data = template
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Data", "Petunjuk"]
    header = [c.value for c in wb["Data"][1]]
    assert header == [header_text(f) for f in fields(kind)]
    assert all(h == f.aliases[0] for h, f in zip(header, fields(kind)))


def test_instructions_sheet_explains_every_column(template):
    kind, data = template
    ws = openpyxl.load_workbook(io.BytesIO(data))["Petunjuk"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    table = {r[1]: r for r in rows if r[1] in {f.name for f in fields(kind)}}
    assert set(table) == {f.name for f in fields(kind)}
    for spec in fields(kind):
        header, name, description, required, others = table[spec.name]
        assert header == header_text(spec) and description == spec.description
        assert required in ("wajib", "opsional", "wajib untuk peserta")
        assert (required == "wajib") is spec.required
        for alias in spec.aliases[1:]:
            assert alias in (others or "")


def _column_formats(data: bytes) -> dict[int, str]:
    """1-based column → number format of the whole column (``<col style=…>`` of sheet ``Data``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    codes = {int(i): c for i, c in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)}
    codes[49] = "@"
    xfs = re.findall(r"<xf [^>]*?numFmtId=\"(\d+)\"", re.search(r"<cellXfs.*?</cellXfs>", styles, re.S).group(0))
    out = {}
    for lo, hi, style in re.findall(r'<col min="(\d+)" max="(\d+)"[^>]*?style="(\d+)"', sheet):
        for j in range(int(lo), int(hi) + 1):
            out[j] = codes.get(int(xfs[int(style)]), "General")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_nip_and_text_columns_are_formatted_as_text(kind):
    data = template_bytes(kind)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    formats = _column_formats(data)
    for j, spec in enumerate(fields(kind), start=1):
        if spec.parse in ("nip", "kecamatan"):
            assert ws.cell(row=2, column=j).number_format == "@", spec.name
            assert formats.get(j) == "@", f"column {spec.name} is not formatted as text for new rows"


def test_filled_in_template_is_accepted():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("training")))
    ws = wb["Data"]
    names = [c.value for c in ws[1]]
    for i, nip in enumerate(NIPS[:4]):
        row = {"NIP": nip, "Nama": f"Pegawai {i}", "Unit Kerja": "BKPSDM", "Kecamatan": "Kec. Medan Johor",
               "Program": "Literasi Data", "Tanggal Mulai": "1 Juli 2025", "JP": 16, "Nilai Pre Test": "70,5",
               "Nilai Post Test": 88}
        ws.append([row.get(h) for h in names])
    buf = io.BytesIO()
    wb.save(buf)
    res = read_upload(buf.getvalue(), "isian.xlsx")
    assert (res.rows_read, res.rows_accepted) == (5, 5)
    assert res.accepted["nip"].tolist()[1:] == NIPS[:4]
    assert res.accepted["kecamatan"].tolist()[1:] == ["Medan Johor"] * 4
    assert res.accepted["nilai_pre"].tolist()[1:] == [70.5] * 4


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_columns_markdown_has_a_row_per_field(kind, lang):
    lines = columns_markdown(kind, lang).splitlines()
    assert lines[1] == "|---|---|---|---|"
    body = lines[2:]
    assert len(body) == len(fields(kind))
    for line, spec in zip(body, fields(kind)):
        assert line.startswith(f"| `{spec.name}` | {header_text(spec)} | ")
        assert (spec.en if lang == "en" else spec.description) in line


def test_template_of_unknown_kind():
    with pytest.raises(ValueError, match="'survei'"):
        template_bytes("survei")


def test_template_and_columns_commands(tmp_path, capsys):
    out = tmp_path / "templat.xlsx"
    assert cli_main(["template", "feedback", "--out", str(out)]) == 0
    assert read_upload(out.read_bytes(), out.name).kind == "feedback"
    assert cli_main(["columns", "events", "--lang", "en"]) == 0
    assert capsys.readouterr().out == columns_markdown("events", "en") + "\n"
