"""Exports: CSV and Excel read back with no cell that would run as a formula (OWASP CSV injection),
numbers kept as numbers; the chart workbook inside the deck too (the deck itself: test_deck.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from analysis.report.deck import Deck, to_pptx_bytes
from analysis.report.exports import to_csv_bytes, to_excel_bytes
from analysis.report.safe import neutralise

# The characters that make a spreadsheet read a cell as a formula, written here from the OWASP
# guidance on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection): "=", "+",
# "-", "@", tab (0x09) and carriage return (0x0D); and their full-width forms (U+FF1D, U+FF0B,
# U+FF0D, U+FF20), which spreadsheet applications fold to the ASCII signs. Deliberately not taken
# from analysis.report.safe: removing a character there must break these tests.
OWASP_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PAYLOAD = "cmd|' /C calc'!A0"

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=x", "\r=x", "  =HYPERLINK(\"http://x\")",
           "\n=x", "＝1+1", "=", "-", "Medan Baru", "", "a=b", "<img src=x onerror=alert(1)>"]
# What each HOSTILE cell must become, written out by hand: a quote before every cell a spreadsheet
# would run (also after leading spaces or a line break), everything else as it was.
SAFE = ["'=1+1", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1:A2)", "'\t=x", "'\r=x", "'  =HYPERLINK(\"http://x\")",
        "'\n=x", "'＝1+1", "'=", "'-", "Medan Baru", "", "a=b", "<img src=x onerror=alert(1)>"]


def _dangerous(text: str) -> bool:
    """Would a spreadsheet run this text cell as a formula (OWASP's list, after leading blanks)?"""
    return bool(text) and (text[0] in OWASP_TRIGGERS or text.lstrip()[:1] in OWASP_TRIGGERS)


@pytest.fixture
def hostile_frame():
    n = len(HOSTILE)
    return pd.DataFrame({
        "nama": HOSTILE,
        "delta": np.linspace(-5, 5, n),
        "n": np.arange(n, dtype="int64") - 3,
        "tanggal": pd.date_range("2025-01-01", periods=n, freq="D"),
        "flags": [["few_nonzero", "=evil"]] + [[]] * (n - 1),
        "lolos": [True, False] * (n // 2) + [True] * (n % 2),
        "=header": ["x"] * n,
    })


@pytest.mark.parametrize("text, safe", list(zip(HOSTILE, SAFE)))
def test_neutralise(text, safe):
    assert neutralise(text) == safe
    assert not _dangerous(neutralise(text))


@pytest.mark.parametrize("trigger", OWASP_TRIGGERS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_owasp_trigger_is_neutralised_on_every_export_path(trigger):
    """CSV, Excel and the workbook inside a PowerPoint chart: a cell starting with any trigger of
    OWASP's list reads back with the quote in front."""
    cell = trigger + PAYLOAD
    # CSV
    rows = list(csv.reader(io.StringIO(to_csv_bytes(pd.DataFrame({"program": [cell]})).decode("utf-8-sig"),
                                       newline="")))
    assert rows[1] == ["'" + cell]
    # Excel (a carriage return is stored as the OOXML escape _x000D_)
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"T": pd.DataFrame({"program": [cell]})})))["T"]
    assert ws["A2"].value.replace("_x000D_", "\r") == "'" + cell and ws["A2"].data_type == "s"
    # PowerPoint: the chart's categories live in a workbook embedded in the deck
    ranking = pd.DataFrame({"program": [cell, "Latsar"], "n": [40, 40], "mean_delta": [2.0, 3.0],
                            "ci_low": [1.0, 2.0], "ci_high": [3.0, 4.0], "p_adjusted": [0.01, 0.01]})
    prs = Presentation(io.BytesIO(to_pptx_bytes(Deck("Uji", ranking=ranking))))
    chart = next(sh.chart for sh in prs.slides[2].shapes if sh.has_chart)
    embedded = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    texts = [c.value.replace("_x000D_", "\r") for ws in embedded.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    # the category is the program's name with its estimate ("name  ·  +2.0 [1.0; 3.0]")
    assert any(text.startswith("'" + trigger) for text in texts)
    assert not any(text.startswith(trigger) for text in texts)
    assert all(c.data_type != "f" for ws in embedded.worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, np.float64(-1.0), None, True])
def test_neutralise_leaves_non_text_alone(value):
    assert neutralise(value) is value


# --- CSV -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep, decimal", [(",", "."), (";", ",")])
def test_csv_read_back_has_no_formula_and_numbers_stay_numbers(hostile_frame, sep, decimal):
    data = to_csv_bytes(hostile_frame, sep=sep)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))
    header, body = rows[0], rows[1:]
    assert header == ["nama", "delta", "n", "tanggal", "flags", "lolos", "'=header"]
    assert len(body) == len(HOSTILE)
    text_cols = [0, 3, 4, 5, 6]
    for row in body:
        for j in text_cols:
            assert not _dangerous(row[j]), row[j]
    assert [r[0] for r in body] == SAFE
    # numbers are written as numbers, negatives unquoted, in the chosen decimal mark
    assert body[0][1] == "-5" + decimal + "0" and body[0][2] == "-3"
    assert float(body[0][1].replace(",", ".")) == -5.0
    assert body[0][3] == "2025-01-01"
    assert body[0][4] == "few_nonzero; =evil"  # joined list; starts with a letter so safe


def test_csv_missing_values_are_empty_and_index_is_kept():
    df = pd.DataFrame({"x": [1.0, np.nan], "s": pd.array(["a", None], dtype="string"),
                       "d": [pd.Timestamp("2025-01-01 08:30"), pd.NaT]}, index=pd.Index(["p", "q"], name="program"))
    rows = list(csv.reader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows == [["program", "x", "s", "d"], ["p", "1.0", "a", "2025-01-01T08:30:00"], ["q", "", "", ""]]


@pytest.mark.parametrize("n", [0, 1, 2])
def test_csv_small_frames(n):
    df = pd.DataFrame({"a": ["=x"] * n, "b": list(range(n))})
    lines = to_csv_bytes(df).decode("utf-8-sig").splitlines()
    assert lines[0] == '"a","b"' and len(lines) == n + 1


def test_csv_cell_stays_whole_when_opened_with_the_other_separator():
    # A ";" file opened by an English-locale Excel splits at ","; a quoted field does not split,
    # so "Bagus,=cmd|..." can never become a cell of its own that starts with "=".
    import csv
    import io
    df = pd.DataFrame({"saran": ["Bagus,=cmd|' /C calc'!A0", "-2+3"], "n": [1, 2]})
    text = to_csv_bytes(df, sep=";").decode("utf-8-sig")
    for delimiter in (";", ","):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in row), row


@pytest.mark.parametrize("kwargs, match", [
    ({"sep": ":"}, "sep must be"), ({"decimal": ";"}, "decimal must be"),
    ({"sep": ";", "decimal": ";"}, "decimal must be"), ({"sep": ",", "decimal": ","}, "must differ"),
])
def test_csv_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_csv_bytes(pd.DataFrame({"a": [1]}), **kwargs)


# --- Excel ---------------------------------------------------------------------------------------

def _all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_excel_read_back_has_no_formula(hostile_frame):
    data = to_excel_bytes({"Data": hostile_frame, "=Sheet": hostile_frame.head(2)}, synthetic=True,
                          notes=["=notes are user text too"], generated=dt.date(2025, 3, 1))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for cell in _all_cells(wb):
        assert cell.data_type != "f", (cell.parent.title, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not _dangerous(cell.value), (cell.parent.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ["nama", "delta", "n", "tanggal", "flags", "lolos", "'=header"]
    # xlsxwriter stores a carriage return as the OOXML escape _x000D_, which Excel decodes
    got = [(ws.cell(row=i + 2, column=1).value or "").replace("_x000D_", "\r") for i in range(len(HOSTILE))]
    assert got == SAFE
    assert ws["B2"].value == -5 and ws["B2"].data_type == "n"  # negative numbers stay numbers
    assert ws["C2"].value == -3
    assert ws["D2"].value == dt.datetime(2025, 1, 1) and ws["D2"].number_format == "yyyy-mm-dd"
    assert ws["E2"].value == "few_nonzero; =evil"
    assert ws["F2"].value is True
    assert ws.freeze_panes == "A2"


def test_excel_cover_sheet(hostile_frame):
    data = to_excel_bytes({"Program": hostile_frame}, lang="en", synthetic=True, title="Evaluation 2025",
                          generated=dt.date(2025, 3, 1))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Cover", "Program"]
    values = [c.value for c in _all_cells(wb) if c.parent.title == "Cover" and c.value is not None]
    assert values[0] == "Evaluation 2025"
    assert dt.datetime(2025, 3, 1) in values
    assert "SYNTHETIC DATA" in values
    assert "Program" in values and len(HOSTILE) in values  # contents: sheet and its rows
    plain = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"Program": hostile_frame})))
    cover = [c.value for c in _all_cells(plain) if c.parent.title == "Sampul"]
    assert "DATA SINTETIS" not in cover and "Evaluasi Pembinaan ASN — Pemerintah Kota Medan" in cover


def test_excel_sheet_names_are_made_valid_and_unique():
    df = pd.DataFrame({"a": [1]})
    names = {"Program / Kecamatan [2025]: hasil*?": df, "x" * 40: df, "X" * 40: df, "sampul": df, "": df}
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes(names)))
    got = wb.sheetnames
    assert got[0] == "Sampul"
    assert len(set(n.casefold() for n in got)) == len(got) == 6
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in got)


def test_excel_column_widths_follow_content():
    df = pd.DataFrame({"short": [1], "a_long_text_column": ["x" * 40], "huge": ["y" * 500]})
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"T": df})))["T"]
    widths = {k: ws.column_dimensions[k].width for k in "ABC"}
    assert widths["A"] < widths["B"] and 40 <= widths["B"] <= 45
    assert 60 <= widths["C"] < 62  # capped at 60 characters (xlsxwriter adds cell padding)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_excel_small_frames_and_index(n):
    df = pd.DataFrame({"v": np.arange(n, dtype=float) - 1}, index=pd.Index([f"p{i}" for i in range(n)], name="program"))
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"T": df})))["T"]
    assert [c.value for c in ws[1]] == ["program", "v"]
    assert ws.max_row == n + 1


def test_excel_missing_inf_and_timezones():
    stamps = [pd.Timestamp("2025-01-01 10:00"), pd.NaT, pd.Timestamp("2025-01-02")]
    df = pd.DataFrame({"x": [np.nan, np.inf, -np.inf], "t": pd.DatetimeIndex(stamps).tz_localize("Asia/Jakarta"),
                       "o": [pd.NA, None, 1.5]})
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"T": df})))["T"]
    assert ws["A2"].value is None and ws["A3"].value == "inf" and ws["A4"].value == "'-inf"
    assert ws["B2"].value == dt.datetime(2025, 1, 1, 10, 0) and ws["B3"].value is None
    assert ws["C4"].value == 1.5


def test_excel_bad_arguments():
    with pytest.raises(ValueError, match="lang"):
        to_excel_bytes({}, lang="fr")
    with pytest.raises(ValueError, match="sheets must be a mapping"):
        to_excel_bytes([pd.DataFrame()])
