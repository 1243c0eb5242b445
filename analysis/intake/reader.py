"""Reading spreadsheet files into cells, safely and fast.

- ``.xlsx``/``.xlsm``/``.xls``/``.xlsb``/``.ods`` are read by ``fastexcel`` (Rust, calamine) to Arrow;
  ``.csv`` (``,`` or ``;``) by pandas as text.
- For ``.xlsx``/``.xlsm`` the first rows of every sheet are scanned by streaming the sheet's XML
  (so finding the header costs milliseconds, not a second read), after checking that the zip does
  not expand past the configured limit (zip bomb) and that no XML part declares a DOCTYPE (entity
  expansion).
- A numeric cell is already a number (converting it again would mangle its decimals): fastexcel
  turns numbers in a text column into text, so for such columns the intake asks ``numeric_cells``
  which cells were numbers.
- In the upload worker, a side process reads the sheets' XML (extent, numeric cells) while the
  worker does the rest (:mod:`analysis.intake.sidecar`); when the worker is ready to load a sheet
  before its extent is known, a forked loader loads it meanwhile (:mod:`analysis.intake.early`).

Everything a user can cause raises ``AnalysisError`` with a distinct code.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import iterparse, ParseError

import fastexcel

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number
from analysis.intake.celltypes import numeric_rows
from analysis.intake.early import EarlyLoad
from analysis.intake.extent import EXCEL_COLUMNS, MAX_CELLS, reference, sheet_extent
from analysis.intake.xlsx import NS as _NS, check_xml_part, safe_xml, worksheets

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

# fastexcel logs a warning for every all-empty column ("falling back to string"): expected here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)

SCAN_ROWS = 30
#: The most sheets a workbook may have: each sheet read costs tens of milliseconds, and a workbook of
#: thousands of small sheets would keep a worker busy for minutes (exports hold one per program,
#: unit or kecamatan: tens).
MAX_SHEETS = 100
SPREADSHEET_EXT = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUPPORTED_EXT = SPREADSHEET_EXT + (".csv", ".txt")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def col_letter(index: int) -> str:
    """0-based column index → Excel letters.

    Examples
    --------
    >>> col_letter(0), col_letter(25), col_letter(26), col_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """Excel letters → 0-based column index.

    Examples
    --------
    >>> col_index("A"), col_index("AA")
    (0, 26)
    """
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass
class SheetScan:
    """The first rows of a sheet as text: ``rows[i][j]`` is row ``i`` (0-based from A1), column ``j``
    (0-based from column A); ``None`` for an empty cell."""

    name: str
    index: int
    rows: list[list[str | None]]
    visible: bool = True


@dataclass
class Book:
    """An opened file: its sheets' first rows, and a way to load a sheet's data."""

    filename: str
    data: bytes
    fmt: str  # "excel" or "csv"
    scans: list[SheetScan]
    _reader: object = None
    _csv: pd.DataFrame | None = None
    sheet_parts: dict = field(default_factory=dict)  # xlsx: sheet index → XML part name
    max_cells: int = MAX_CELLS
    sidecar: object = None  # analysis.intake.sidecar.Sidecar: the sheets' XML read beside the worker
    _extents: dict = field(default_factory=dict)  # xlsx: XML part name → Extent
    _early: dict = field(default_factory=dict)  # (sheet, header row, columns) → EarlyLoad started ahead

    def load(self, sheet: SheetScan, header_row0: int, columns: list[int]) -> pd.DataFrame:
        """Data below ``header_row0`` (0-based from A1) for the given 0-based column indices.

        Returns a frame whose columns are the column indices (typed as the file stores them:
        float64 for numbers, datetime64 for dates, str for text) plus ``_row`` (1-based Excel row).
        """
        import pandas as pd

        if self.fmt == "csv":
            frame = self._csv.iloc[header_row0 + 1:, columns].copy()
            frame.columns = columns
            frame["_row"] = range(header_row0 + 2, header_row0 + 2 + len(frame))
            return frame.reset_index(drop=True)
        load = self._loader(sheet, header_row0, columns)
        early = self._early.pop((sheet.index, header_row0, tuple(columns)), None) or self._start_early(sheet, load)
        frame = _arrow_to_pandas(self._load_checked(sheet, load, early))
        frame.columns = [int(c) for c in frame.columns]
        for c in columns:  # a column with no cell at all below the header
            if c not in frame.columns:
                frame[c] = pd.Series([None] * len(frame), dtype="str")
        frame = frame[columns]
        frame["_row"] = range(header_row0 + 2, header_row0 + 2 + len(frame))
        return frame

    def _loader(self, sheet: SheetScan, header_row0: int, columns: list[int]):
        """What loads the cells of ``columns`` below ``header_row0`` with calamine, as Arrow."""
        letters = ",".join(col_letter(c) for c in columns)
        names = [str(c) for c in columns]

        def load():
            try:
                return self._reader.load_sheet(
                    sheet.index, header_row=None, skip_rows=header_row0 + 1,
                    use_columns=letters, column_names=names, dtype_coercion="coerce",
                    schema_sample_rows=None,  # guess types from every row: a late text cell must not be nulled
                ).to_arrow()
            except Exception as exc:  # calamine reports a broken sheet part lazily
                raise _read_error(exc, self.filename) from None

        return load

    def start_loading(self, sheet: SheetScan, header_row0: int, columns: list[int]) -> None:
        """Start loading what :meth:`load` will be asked for, now, in a forked loader, when the side
        process has not read the sheet's extent yet (:mod:`analysis.intake.early`):
        :func:`analysis.intake.opening.open_upload` calls it as soon as it has found the header, so
        that the upload worker imports pandas while the sheet loads."""
        if self.fmt == "csv":
            return
        key = (sheet.index, header_row0, tuple(columns))
        if key not in self._early:
            early = self._start_early(sheet, self._loader(sheet, header_row0, columns))
            if early is not None:
                self._early[key] = early

    def stop_loading(self) -> None:
        """Stop the loaders started for loads that were never asked for (the read failed first)."""
        while self._early:
            self._early.popitem()[1].cancel()

    def _start_early(self, sheet: SheetScan, load) -> EarlyLoad | None:
        """A loader running ``load`` while the side process still reads the sheet's extent; None
        when the extent has come (or there is no side process)."""
        part = self.sheet_parts.get(sheet.index)
        if self.sidecar is None or part is None or self.sidecar.ready(part):
            return None
        return EarlyLoad.start(load)

    def _load_checked(self, sheet: SheetScan, load, early: EarlyLoad | None):
        """``load()`` once the sheet's extent is known to be within bounds; ``early``'s batch when a
        loader ran it meanwhile (used only once the extent is accepted)."""
        try:
            self._check_extent(sheet)
        except BaseException:
            if early is not None:
                early.cancel()
            raise
        batch = early.result() if early is not None else None
        return batch if batch is not None else load()

    def _check_extent(self, sheet: SheetScan) -> None:
        """Refuse a sheet whose cells span more than ``max_cells`` before calamine allocates them
        (calamine builds a dense grid up to the last cell with a value: one stray value in
        XFD1048576 would need billions of cells). The extent is read as XML is read
        (:mod:`analysis.intake.extent`), by the side process when there is one."""
        part = self.sheet_parts.get(sheet.index)
        if part is None:
            return
        found = self.sidecar.extent(part, self.max_cells) if self.sidecar is not None else None
        if found is None:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                found = sheet_extent(zf, part, self.max_cells)
        self._extents[part] = found
        if found.cells > self.max_cells:
            raise sheet_too_large(sheet.name, found.rows, found.columns)

    def prefetch_numeric(self, sheet: SheetScan, header_row0: int, columns: list[int]) -> None:
        """Ask the side process, if there is one, for :meth:`numeric_cells` now, so that it reads
        them while calamine loads the sheet."""
        part = self.sheet_parts.get(sheet.index)
        if self.sidecar is not None and part is not None and columns:
            self.sidecar.ask_numeric(part, header_row0, columns)

    def numeric_cells(self, sheet: SheetScan, header_row0: int, columns: list[int]) -> dict[int, np.ndarray]:
        """For text-typed columns: per column, the Excel row numbers whose cell was a number.

        fastexcel turns the numbers of a column that also holds text into text. For .xlsx the sheet
        XML says each cell's type (:mod:`analysis.intake.celltypes`); other formats are loaded
        again as booleans, which keeps exactly the numeric cells.
        """
        import numpy as np

        if self.fmt == "csv" or not columns:
            return {c: np.array([], dtype=np.int64) for c in columns}
        part = self.sheet_parts.get(sheet.index)
        if part is not None:
            found = self.sidecar.numeric(part, header_row0, columns) if self.sidecar is not None else None
            if found is None:
                canonical = getattr(self._extents.get(part), "canonical", False)
                with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                    rows = numeric_rows(lambda: zf.open(part), header_row0, columns, canonical=canonical)
                found = {c: np.asarray(v, dtype=np.int64) for c, v in rows.items()}
            return found
        letters = ",".join(col_letter(c) for c in columns)
        names = [str(c) for c in columns]
        loaded = self._reader.load_sheet(
            sheet.index, header_row=None, skip_rows=header_row0 + 1, use_columns=letters,
            column_names=names, dtypes={n: "boolean" for n in names}, schema_sample_rows=None,
        )
        table = loaded.to_arrow()
        out = {}
        for c in columns:
            valid = table.column(str(c)).is_valid().to_numpy(zero_copy_only=False) \
                if str(c) in table.column_names else np.zeros(0, dtype=bool)
            out[c] = np.flatnonzero(valid) + header_row0 + 2
        return out


def sheet_too_large(sheet: str, rows: int, columns: int) -> AnalysisError:
    """The error for a sheet whose cells reach too far (code ``sheet_too_large``).

    Examples
    --------
    >>> sheet_too_large("REKAP", 1_048_576, 16_384).message("en")[:48]
    "Sheet 'REKAP' spans to row 1,048,576 and column "
    """
    last = col_letter(min(columns, 100_000) - 1) if columns else "A"
    return AnalysisError(
        "sheet_too_large",
        f"Lembar '{sheet}' terbentang sampai baris {fmt_int(rows)} dan kolom {last}. Hapus isi/format di luar "
        "tabel data (Ctrl+End menunjukkan sel terakhir), simpan, lalu unggah lagi.",
        f"Sheet '{sheet}' spans to row {fmt_int(rows, 'en')} and column {last}. Clear the cells and formatting "
        "outside the data table (Ctrl+End shows the last cell), save and upload again.",
    )


def _arrow_to_pandas(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    cols = {}
    for name, col in zip(table.schema.names, table.columns):
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            cols[name] = pd.Series(col, dtype="str")  # Arrow-backed: the strings are not copied
        elif pa.types.is_timestamp(t) or pa.types.is_date(t):
            cols[name] = pd.Series(col.to_pandas())
        elif pa.types.is_duration(t):
            cols[name] = pd.Series(col.to_pandas()).astype("str")
        elif pa.types.is_boolean(t):
            cols[name] = pd.Series(col.to_pandas(), dtype="object")
        elif pa.types.is_null(t):
            cols[name] = pd.Series([None] * len(col), dtype="str")
        else:
            cols[name] = pd.Series(col.to_numpy(zero_copy_only=False), dtype="float64")
    return pd.DataFrame(cols)


def _ext(filename: str) -> str:
    m = re.search(r"\.[A-Za-z0-9]+$", filename or "")
    return m.group(0).lower() if m else ""


def open_book(data: bytes, filename: str, *, max_bytes: int, max_unpacked: int, max_cells: int = MAX_CELLS) -> Book:
    """Open ``data`` (the file's bytes) as a spreadsheet, checking it on the way: at most
    ``max_bytes`` of file, ``max_unpacked`` unzipped, ``max_cells`` cells in a sheet's grid.

    Examples
    --------
    >>> book = open_book(b"Nama;Usia\\nAni;30\\n", "x.csv", max_bytes=10**6, max_unpacked=10**7)
    >>> book.scans[0].rows[:2]
    [['Nama', 'Usia'], ['Ani', '30']]
    """
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data or not data.strip():
        raise AnalysisError("empty_file", "Berkas kosong (0 byte atau hanya spasi). Unggah ekspor yang berisi data.",
                            "The file is empty. Upload an export that holds data.")
    ext = _ext(filename)
    head = data[:8]
    if head.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data[:1_000_000] or \
                b"EncryptedPackage" in data[:1_000_000]:
            raise _protected()
        book = _open_excel(data, filename)
        book.max_cells = max_cells
        return book
    if head.startswith(_ZIP_MAGIC):
        book = _open_zip(data, filename, max_unpacked)
        book.max_cells = max_cells
        return book
    if ext in SPREADSHEET_EXT:
        if _looks_like_text(data) and ext in (".xlsx", ".xls"):
            # A CSV or HTML table saved with a spreadsheet extension (common from web portals).
            if data.lstrip()[:1] == b"<":
                raise _not_spreadsheet(filename)
            return _open_csv(data, filename, max_cells)
        raise _not_spreadsheet(filename)
    if ext in (".csv", ".txt") or _looks_like_text(data):
        return _open_csv(data, filename, max_cells)
    raise _not_spreadsheet(filename)


def too_large(size: int, limit: int) -> AnalysisError:
    """The error for a file above the configured upload limit.

    Examples
    --------
    >>> too_large(60_000_000, 50 * 1024 * 1024).code
    'file_too_large'
    """
    return AnalysisError(
        "file_too_large",
        f"Berkas berukuran {fmt_number(size / 1e6)} MB, melebihi batas {fmt_int(limit / 1e6)} MB. "
        "Bagi berkas per tahun atau per program, atau minta administrator menaikkan batas.",
        f"The file is {fmt_number(size / 1e6, 1, 'en')} MB, above the {fmt_int(limit / 1e6, 'en')} MB limit. "
        "Split it by year or program, or ask an administrator to raise the limit.",
    )


def _protected() -> AnalysisError:
    return AnalysisError(
        "password_protected",
        "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandi (File › Info › Protect "
        "Workbook › Encrypt with Password, kosongkan), simpan, lalu unggah lagi.",
        "The workbook is password-protected. Open it in Excel, remove the password, save and upload again.",
    )


def _not_spreadsheet(filename: str) -> AnalysisError:
    return AnalysisError(
        "not_a_spreadsheet",
        f"'{filename}' bukan lembar kerja yang dapat dibaca. Format yang didukung: .xlsx, .xlsm, .xls, "
        ".ods dan .csv. Simpan ulang dari Excel sebagai 'Excel Workbook (.xlsx)'.",
        f"'{filename}' is not a readable spreadsheet. Supported: .xlsx, .xlsm, .xls, .ods and .csv. "
        "Save it again from Excel as 'Excel Workbook (.xlsx)'.",
    )


def _corrupt(filename: str, detail: str = "") -> AnalysisError:
    return AnalysisError(
        "corrupt_file",
        f"Berkas '{filename}' rusak atau terpotong dan tidak dapat dibaca{(' (' + detail + ')') if detail else ''}. "
        "Ekspor ulang dari aplikasi sumber atau buka dan simpan ulang di Excel.",
        f"The file '{filename}' is damaged or truncated and cannot be read{(' (' + detail + ')') if detail else ''}. "
        "Export it again, or open and re-save it in Excel.",
    )


def _read_error(exc: Exception, filename: str) -> AnalysisError:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return _protected()
    return _corrupt(filename, type(exc).__name__)


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return all(b >= 9 for b in sample)


def _open_excel(data: bytes, filename: str, scans: list[SheetScan] | None = None) -> Book:
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:
        raise _read_error(exc, filename) from None
    if scans is None:
        scans = []
        try:
            names = reader.sheet_names
            _check_sheet_count(len(names), filename)
            for i, name in enumerate(names):
                sheet = reader.load_sheet(i, header_row=None, skip_rows=0, n_rows=SCAN_ROWS, dtypes="string")
                table = sheet.to_arrow()
                offset = sheet.available_columns()[0].absolute_index if table.num_columns else 0
                rows: list[list[str | None]] = [[None] * (offset + table.num_columns) for _ in range(table.num_rows)]
                for j, col in enumerate(table.columns):
                    for r, v in enumerate(col.to_pylist()):
                        rows[r][offset + j] = v if v not in ("",) else None
                scans.append(SheetScan(name, i, rows, sheet.visible == "visible"))
        except AnalysisError:
            raise
        except Exception as exc:
            raise _read_error(exc, filename) from None
    return Book(filename, data, "excel", scans, _reader=reader)


def _check_sheet_count(count: int, filename: str) -> None:
    if count > MAX_SHEETS:
        raise AnalysisError(
            "too_many_sheets",
            f"Buku kerja '{filename}' memuat {fmt_int(count)} lembar; paling banyak {MAX_SHEETS} dibaca sekaligus. "
            "Bagi buku kerja itu, atau salin lembar data ke buku kerja baru.",
            f"The workbook '{filename}' has {fmt_int(count, 'en')} sheets; at most {MAX_SHEETS} are read at once. "
            "Split it, or copy the data sheets to a new workbook.",
        )


def _open_zip(data: bytes, filename: str, max_unpacked: int) -> Book:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise _corrupt(filename, "zip") from None
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        raise AnalysisError(
            "too_large_unpacked",
            f"Isi berkas mengembang menjadi {fmt_int(total / 1e6)} MB saat dibuka, melebihi batas "
            f"{fmt_int(max_unpacked / 1e6)} MB. Berkas seperti ini tidak diproses (kemungkinan 'zip bomb' atau "
            "lembar dengan jutaan baris kosong). Salin hanya tabel datanya ke buku kerja baru.",
            f"The file expands to {fmt_int(total / 1e6, 'en')} MB when unpacked, above the "
            f"{fmt_int(max_unpacked / 1e6, 'en')} MB "
            "limit (a zip bomb, or a sheet of millions of empty rows). Copy just the data table to a new workbook.",
        )
    names = {i.filename for i in infos}
    try:
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                check_xml_part(zf, info.filename)
    except AnalysisError:
        raise
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise _corrupt(filename, "zip") from None
    if "content.xml" in names and "mimetype" in names:  # OpenDocument
        return _open_excel(data, filename)
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            return _open_excel(data, filename)
        raise _not_spreadsheet(filename)
    try:
        scans, parts = _scan_xlsx(zf, filename)
    except AnalysisError:
        raise
    except (ParseError, KeyError, zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise _corrupt(filename, type(exc).__name__) from None
    book = _open_excel(data, filename, scans)
    book.sheet_parts = parts
    return book


def _scan_xlsx(zf: zipfile.ZipFile, filename: str) -> tuple[list[SheetScan], dict[int, str]]:
    names = set(zf.namelist())
    sheets = worksheets(zf)
    _check_sheet_count(len(sheets), filename)
    shared_needed: set[int] = set()
    raw_scans = []
    for index, (name, path, state) in enumerate(sheets):
        cells: dict[tuple[int, int], tuple[str, str | None]] = {}
        if path and path in names:
            with safe_xml(zf, path) as fh:
                cells = _scan_sheet(fh, shared_needed)
        raw_scans.append((name, index, state, cells))
    shared = _shared_strings(zf, shared_needed) if shared_needed and "xl/sharedStrings.xml" in names else {}
    scans = []
    for name, index, state, cells in raw_scans:
        nrows = max((r for r, _ in cells), default=-1) + 1
        ncols = max((c for _, c in cells), default=-1) + 1
        rows: list[list[str | None]] = [[None] * ncols for _ in range(nrows)]
        for (r, c), (t, v) in cells.items():
            if v is None:
                continue
            if t == "s":
                v = shared.get(int(v))
            rows[r][c] = v if v not in ("",) else None
        scans.append(SheetScan(name, index, rows, state == "visible"))
    parts = {index: path for index, (name, path, state) in enumerate(sheets) if path in names}
    return scans, parts


def _scan_sheet(fh, shared_needed: set[int]) -> dict:
    """The cells of the first :data:`SCAN_ROWS` rows: ``{(row, column): (type, value)}``, 0-based.
    A cell without ``r`` takes the next column, as calamine places it."""
    cells = {}
    row_idx, next_col, ended = 0, 0, False  # a cell before any row lands in row 1, as in calamine
    for event, el in iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == _NS + "row":
                r = el.get("r")
                row_idx = reference(r)[0] - 1 if r else row_idx + ended
                next_col = 0
                if row_idx >= SCAN_ROWS:
                    break
            continue
        if tag == _NS + "c":
            ref = el.get("r")
            col = next_col if not ref else (reference(ref)[1] or 0) - 1
            if not 0 <= col < EXCEL_COLUMNS:
                raise ValueError(f"a cell reference must name a column A to XFD, got {ref!r}")
            next_col = col + 1
            t = el.get("t", "n")
            if t == "inlineStr":
                value = "".join(x.text or "" for x in el.iter(_NS + "t"))
            else:
                v = el.find(_NS + "v")
                value = v.text if v is not None else None
                if t == "s" and value is not None:
                    shared_needed.add(int(value))
            cells[(row_idx, col)] = (t, value)
            el.clear()
        elif tag == _NS + "row":
            ended = True
            el.clear()
    return cells


def _shared_strings(zf: zipfile.ZipFile, needed: set[int]) -> dict[int, str]:
    out = {}
    last = max(needed)
    i = 0
    with safe_xml(zf, "xl/sharedStrings.xml") as fh:
        for _, el in iterparse(fh):
            if el.tag == _NS + "si":
                if i in needed:
                    out[i] = "".join(x.text or "" for x in el.iter(_NS + "t"))
                el.clear()
                i += 1
                if i > last:
                    break
    return out


def _csv_rows(text: str, delimiter: str, filename: str, max_cells: int) -> tuple[list[list[str]], int]:
    """The rows of a CSV text and the widest row's length, refusing (``too_many_cells``) as soon as
    rows × widest row — the cells of the table built from them — exceeds ``max_cells``.

    One line of 20,000 separators followed by 20,000 short lines is 60 KB, yet as a table it is
    400 million cells; the count stops it after the first few hundred rows.

    Examples
    --------
    >>> _csv_rows("a;b\\n1;2;3\\n", ";", "x.csv", 100)
    ([['a', 'b'], ['1', '2', '3']], 3)
    >>> _csv_rows(";" * 99 + "\\n1\\n", ";", "x.csv", 150)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The file 'x.csv' has a row of 100 columns (row 1): 2 rows like it make more than 150 cells. Check the separator and remove stray separators, or split the file.
    """
    rows: list[list[str]] = []
    width, widest = 0, 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row)
            if len(row) > width:
                width, widest = len(row), len(rows)
            if len(rows) * width > max_cells:
                raise _too_many_cells(filename, len(rows), width, widest, max_cells)
    except csv.Error:
        raise _corrupt(filename, "csv") from None
    return rows, width


def _too_many_cells(filename: str, rows: int, width: int, widest: int, max_cells: int) -> AnalysisError:
    return AnalysisError(
        "too_many_cells",
        f"Berkas '{filename}' memuat baris dengan {fmt_int(width)} kolom (baris {fmt_int(widest)}): {fmt_int(rows)} "
        f"baris seperti itu sudah lebih dari {fmt_int(max_cells)} sel. Periksa pemisah kolom dan hapus pemisah "
        "yang berlebih, atau bagi berkasnya.",
        f"The file '{filename}' has a row of {fmt_int(width, 'en')} columns (row {fmt_int(widest, 'en')}): "
        f"{fmt_int(rows, 'en')} rows like it make more than {fmt_int(max_cells, 'en')} cells. Check the separator "
        "and remove stray separators, or split the file.",
    )


def _csv_frame(rows: list[list[str]], width: int) -> pd.DataFrame:
    """The rows as a frame of ``width`` text columns, short rows padded and an empty cell missing;
    built column by column through Arrow (a national province's 100k rows in a fifth of the time
    of a frame built from the row lists).

    Examples
    --------
    >>> frame = _csv_frame([["a", "b"], ["1"], ["", "c"]], 2)
    >>> frame[0].tolist(), frame[1].isna().tolist(), str(frame[1].dtype)
    (['a', '1', nan], [False, True, False], 'str')
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if not rows:
        return pd.DataFrame([], dtype="str")
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    cols = {}
    for i, values in enumerate(zip(*rows)):
        arr = pa.array(values, type=pa.string())
        cols[i] = pd.Series(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr), dtype="str")
    return pd.DataFrame(cols, index=pd.RangeIndex(len(rows)))


def _open_csv(data: bytes, filename: str, max_cells: int = MAX_CELLS) -> Book:
    # Excel's "Unicode Text" export is UTF-16 with a byte-order mark (and tabs between fields)
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _not_spreadsheet(filename)
    sample = "\n".join(text.splitlines()[:SCAN_ROWS])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    rows, width = _csv_rows(text, delimiter, filename, max_cells)
    frame = _csv_frame(rows, width)
    scan_rows = [[(v if isinstance(v, str) else None) for v in row] for row in frame.head(SCAN_ROWS).itertuples(index=False)]
    book = Book(filename, data, "csv", [SheetScan(filename.rsplit("/", 1)[-1], 0, scan_rows)])
    book._csv = frame.astype("str") if len(frame) else frame
    return book
