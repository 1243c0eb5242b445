"""What an evaluation meeting takes away as tables: an Excel workbook and CSV files.

Every text cell goes through :func:`analysis.report.safe.neutralise` (OWASP CSV injection).
Numbers are written as numbers, so a negative number is never turned into text. The workbook is
written with ``write_string`` for all text, never ``write``, so xlsxwriter does not turn ``=…``
into a formula either. The deck is :mod:`analysis.report.deck`.
"""

from __future__ import annotations

import csv

import datetime as dt
import decimal
import io
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xlsxwriter

from analysis.core.errors import AnalysisError
from analysis.core.i18n import t
from analysis.report.safe import neutralise

EXCEL_MAX_ROWS = 1_048_576
MAX_COL_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, (np.floating, np.datetime64, np.timedelta64)):
        return bool(np.isnan(v))
    return False


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating, decimal.Decimal)) \
        and not isinstance(v, (bool, np.bool_))


def _text(v) -> str:
    """Any non-number value as neutralised text (lists joined with ``"; "``)."""
    if isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
        v = "; ".join("" if _is_missing(x) else str(x) for x in v)
    return neutralise(str(v))


def _flat_columns(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame, got {type(df).__name__}")
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    if isinstance(df.columns, pd.MultiIndex):
        df = df.copy()
        df.columns = [" / ".join(str(p) for p in c if str(p) != "") for c in df.columns]
    return df


def _csv_cell(v, decimal_sep: str):
    if _is_missing(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if _is_number(v):
        x = float(v) if not isinstance(v, (int, np.integer)) else int(v)
        text = repr(x) if isinstance(x, float) else str(x)
        if isinstance(x, float) and not math.isfinite(x):
            return text  # 'inf', '-inf': a number, as Python writes it
        return text.replace(".", decimal_sep) if decimal_sep != "." else text
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return pd.Timestamp(v).isoformat() if _has_time(v) else pd.Timestamp(v).date().isoformat()
    return _text(v)


def _has_time(v) -> bool:
    ts = pd.Timestamp(v)
    return bool(ts.hour or ts.minute or ts.second or ts.microsecond or ts.nanosecond)


def to_csv_bytes(df: pd.DataFrame, sep: str = ",", decimal: str | None = None) -> bytes:
    """A frame as CSV: UTF-8 with BOM (so Excel reads the accents), every field quoted, formula
    cells neutralised.

    Parameters
    ----------
    df : DataFrame
        Any frame; a non-default index is written as columns. Lists (e.g. ``flags``) are joined
        with ``"; "``; missing values are empty.
    sep : {",", ";"}
        Field separator; ``";"`` is what Excel expects in an Indonesian locale.
    decimal : {".", ","}, optional
        Decimal mark of numbers; by default ``","`` when ``sep=";"``, else ``"."``.

    Returns
    -------
    bytes

    Examples
    --------
    >>> df = pd.DataFrame({"nama": ["=1+1", "Budi"], "delta": [-2.5, 3.0]})
    >>> for line in to_csv_bytes(df, sep=";").decode("utf-8-sig").splitlines():
    ...     print(line)
    "nama";"delta"
    "'=1+1";"-2,5"
    "Budi";"3,0"
    """
    if sep not in (",", ";", "\t", "|"):
        raise ValueError(f"sep must be ',', ';', tab or '|', got {sep!r}")
    decimal = decimal or ("," if sep == ";" else ".")
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', got {decimal!r}")
    if decimal == sep:
        raise ValueError(f"decimal and sep must differ, got {decimal!r} for both")
    df = _flat_columns(df)
    out = pd.DataFrame({i: [_csv_cell(v, decimal) for v in df[c].tolist()]
                        for i, c in enumerate(df.columns)}, dtype=object)
    out.columns = [_text(c) for c in df.columns]
    # Every field quoted: opened with another list separator (an English-locale Excel reading a ";"
    # file), "Bagus,=cmd|..." must stay one cell, not split into a live formula.
    text = out.to_csv(sep=sep, index=False, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    return text.encode("utf-8-sig")


def _sheet_names(names: Sequence[str], reserved: str) -> list[str]:
    used = {reserved.casefold(), "history"}
    out = []
    for i, name in enumerate(names):
        base = _BAD_SHEET_CHARS.sub(" ", str(name)).strip().strip("'")[:31] or f"Sheet{i + 1}"
        candidate, k = base, 2
        while candidate.casefold() in used:
            suffix = f" ({k})"
            candidate = base[: 31 - len(suffix)] + suffix
            k += 1
        used.add(candidate.casefold())
        out.append(candidate)
    return out


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1,
                                     "text_wrap": True, "valign": "top"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.title = wb.add_format({"bold": True, "font_size": 18})
        self.synthetic = wb.add_format({"bold": True, "font_size": 16, "font_color": "#FFFFFF",
                                        "bg_color": "#D55E00"})
        self.bold = wb.add_format({"bold": True})
        self.note = wb.add_format({"italic": True, "font_color": "#555555"})


def _naive(v) -> dt.datetime:
    ts = pd.Timestamp(v)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.to_pydatetime()


def _write_cell(ws, r: int, c: int, v, fm: _Formats) -> int:
    """Write one value; returns its display width in characters."""
    if _is_missing(v):
        return 0
    if isinstance(v, (bool, np.bool_)):
        ws.write_boolean(r, c, bool(v))
        return 5
    if _is_number(v):
        x = float(v)
        if math.isfinite(x):
            ws.write_number(r, c, x)
            return min(len(f"{x:.6g}"), 15)
        text = _text(repr(x))
        ws.write_string(r, c, text)
        return len(text)
    if isinstance(v, (pd.Timestamp, dt.datetime, np.datetime64)) or (
            isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
        d = _naive(v)
        timed = _has_time(d)
        ws.write_datetime(r, c, d, fm.datetime if timed else fm.date)
        return 16 if timed else 10
    text = _text(v)
    ws.write_string(r, c, text)
    return max((len(line) for line in text.splitlines()), default=0)


def _write_frame(ws, df: pd.DataFrame, fm: _Formats) -> None:
    if len(df) + 1 > EXCEL_MAX_ROWS:
        raise AnalysisError(
            "export_too_large",
            f"Tabel terlalu besar untuk Excel ({len(df):,} baris; maksimum {EXCEL_MAX_ROWS - 1:,}); "
            "unduh sebagai CSV.".replace(",", "."),
            f"The table is too large for Excel ({len(df):,} rows; at most {EXCEL_MAX_ROWS - 1:,}); "
            "download it as CSV.")
    for c, name in enumerate(df.columns):
        header = _text(name)
        ws.write_string(0, c, header, fm.header)
        width = len(header)
        for r, v in enumerate(df.iloc[:, c].tolist(), start=1):
            w = _write_cell(ws, r, c, v, fm)
            if w > width:
                width = w
        ws.set_column(c, c, min(max(width + 2, 8), MAX_COL_WIDTH))
    ws.freeze_panes(1, 0)
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)


def _write_cover_heading(ws, fm: _Formats, lang: str, title: str | None, generated, synthetic: bool,
                         notes: Sequence[str]) -> int:
    """The cover's title, date, synthetic-data label and notes; returns the next free row."""
    ws.set_column(0, 0, 48)
    ws.set_column(1, 1, 14)
    row = 0
    ws.write_string(row, 0, _text(title or t("export.title", lang)), fm.title)
    row += 1
    ws.write_string(row, 0, t("export.cover.generated", lang))
    ws.write_datetime(row, 1, _naive(generated), fm.date)
    row += 2
    if synthetic:
        ws.write_string(row, 0, t("common.synthetic", lang), fm.synthetic)
        row += 1
        ws.write_string(row, 0, t("export.cover.synthetic_note", lang))
        row += 2
    for line in notes:
        ws.write_string(row, 0, _text(line))
        row += 1
    return row + 1 if notes else row


def _write_cover_contents(ws, fm: _Formats, lang: str, row: int, names: Sequence[str], counts: Sequence[int]) -> None:
    """From ``row``: the table of contents (sheet, rows) and the note on neutralised formulas."""
    ws.write_string(row, 0, t("export.cover.contents", lang), fm.bold)
    row += 1
    ws.write_string(row, 0, t("export.cover.sheet_col", lang), fm.header)
    ws.write_string(row, 1, t("export.cover.rows_col", lang), fm.header)
    for name, count in zip(names, counts):
        row += 1
        ws.write_string(row, 0, _text(name))
        ws.write_number(row, 1, count)
    row += 2
    ws.write_string(row, 0, t("export.cover.formula_note", lang), fm.note)


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame], lang: str = "id", *,
                   title: str | None = None, synthetic: bool = False,
                   generated: dt.date | dt.datetime | None = None,
                   notes: Sequence[str] = ()) -> bytes:
    """A workbook: a cover sheet, then one sheet per frame, formula cells neutralised.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name → frame (names are made valid for Excel: at most 31 characters, no ``[]:*?/\\``,
        unique). A non-default index is written as columns; lists are joined with ``"; "``.
    lang : {"id", "en"}
        Language of the cover sheet.
    title : str, optional
        Cover title (default: the product's name).
    synthetic : bool
        Label the cover "DATA SINTETIS" / "SYNTHETIC DATA" with an explanation.
    generated : date or datetime, optional
        Date shown on the cover (default: today).
    notes : sequence of str
        Extra lines for the cover (filters, period, dataset version …).

    Returns
    -------
    bytes
        The ``.xlsx`` file.

    Examples
    --------
    >>> import openpyxl
    >>> data = to_excel_bytes({"Program": pd.DataFrame({"program": ["=cmd|' /C calc'!A0"],
    ...                        "mean_delta": [-1.5]})}, generated=dt.date(2025, 3, 1))
    >>> wb = openpyxl.load_workbook(io.BytesIO(data))
    >>> wb.sheetnames, wb["Program"]["A2"].value, wb["Program"]["B2"].value
    (['Sampul', 'Program'], "'=cmd|' /C calc'!A0", -1.5)
    """
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    if not isinstance(sheets, Mapping):
        raise ValueError(f"sheets must be a mapping of sheet name to DataFrame, got {type(sheets).__name__}")
    cover_name = t("export.cover.sheet", lang)
    names = _sheet_names(list(sheets), cover_name)
    frames = [_flat_columns(df) for df in sheets.values()]
    generated = generated or dt.date.today()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    fm = _Formats(wb)
    cover = wb.add_worksheet(cover_name)
    row = _write_cover_heading(cover, fm, lang, title, generated, synthetic, notes)
    _write_cover_contents(cover, fm, lang, row, names, [len(df) for df in frames])
    for name, df in zip(names, frames):
        _write_frame(wb.add_worksheet(name), df, fm)
    wb.close()
    return buf.getvalue()



def development_plan_workbook(plan: pd.DataFrame, lang: str = "id", *, per_unit: pd.DataFrame | None = None,
                              evidence: pd.DataFrame | None = None, rules: pd.DataFrame | None = None,
                              title: str | None = None, synthetic: bool = False,
                              generated: dt.date | dt.datetime | None = None, notes: Sequence[str] = ()) -> bytes:
    """The personnel office's workbook of the development plan (*Rencana Pengembangan*): a cover,
    the plan (one row per employee and suggestion), the priorities per unit, the programs with the
    best evidence per unit type and the rules that made the plan — through :func:`to_excel_bytes`,
    so every text cell is formula-safe.

    The frames arrive as the reader should see them: the caller translates the headers and masks
    NIP and names for a viewer (``store.privacy.for_role``) before calling; this function only
    arranges and writes.

    Examples
    --------
    >>> import openpyxl
    >>> plan = pd.DataFrame({"NIP": ["198503********1003"], "Alasan": ["=HYPERLINK(\\"x\\")"], "JP": [8.0]})
    >>> wb = openpyxl.load_workbook(io.BytesIO(development_plan_workbook(plan, "en", generated=dt.date(2025, 12, 31))))
    >>> wb.sheetnames, wb["Development plan"]["B2"].value, wb["Development plan"]["C2"].value
    (['Cover', 'Development plan'], '\\'=HYPERLINK("x")', 8)
    """
    names = {"id": ("Rencana Pengembangan", "Prioritas per unit", "Bukti program", "Aturan",
                    "Rencana Pengembangan Pegawai"),
             "en": ("Development plan", "Priorities per unit", "Program evidence", "Rules",
                    "Employee development plan")}
    if lang not in names:
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    plan_name, unit_name, evidence_name, rules_name, default_title = names[lang]
    sheets = {plan_name: plan}
    for name, frame in ((unit_name, per_unit), (evidence_name, evidence), (rules_name, rules)):
        if frame is not None:
            sheets[name] = frame
    return to_excel_bytes(sheets, lang, title=title or default_title, synthetic=synthetic, generated=generated,
                          notes=notes)
