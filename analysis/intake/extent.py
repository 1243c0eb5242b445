"""How far a worksheet really reaches, read the way the reading library will read it.

calamine (behind ``fastexcel``) builds a dense grid from the first to the last cell that holds a
value, so one value at ``XFD1048576`` asks for 17 billion cells and aborts the process. Before a
sheet is loaded, :func:`sheet_extent` finds the last row and column that calamine would place a
cell in, following calamine's own rules (``calamine/src/xlsx/cells_reader.rs``,
``XlsxCellReader::next_cell``):

- elements are matched by local name (``c``, ``x:c`` …), inside ``sheetData``;
- a ``row`` with ``r`` moves to that row; the end of a ``row`` moves to the next one and back to
  column A; a ``row`` without ``r`` continues from the previous one;
- a ``c`` with ``r`` lands there (letters in either case, then digits); one without ``r`` lands in
  the next column of the current row;
- a cell without a ``v`` or ``is`` child is empty (``read_value``), and calamine skips it.

Two ways to read it, one exact and one quick, never contradicting each other:

**Read as XML** (:func:`parse_extent`): ``expat`` streams the part — a real XML parser, so attribute
quoting (``r='XFD1048576'``), white space around ``=``, character references, namespace prefixes and
cells without ``r`` are all read as XML defines them. It costs one to two seconds per million cells.

**The canonical form** (:func:`canonical_extent`): Excel, LibreOffice, openpyxl and xlsxwriter all
write every cell as ``<c r="A1"…`` — ``r`` first, after one space, in double quotes. Whether a part
is written entirely that way can be *proved* by counting fixed byte strings over all its bytes:
every ``<c`` followed by white space, ``/`` or ``>`` must be ``<c r="`` and letters and digits;
there must be exactly as many ``␣r="`` as ``<c r="`` and ``<row r="`` together (so no cell has a
second ``r``); no ``r`` attribute may be written any other way (a tab or line break before it,
white space around ``=``, single quotes); and no element may be named ``…:c``. Text, comments or
CDATA that look like markup are counted like markup, which can only make the check fail. Then a
cell's position is the text between ``<c r="`` and the next ``"``. Empty cells count too, so the
result can only overstate. A part that fails a check, or whose overstated extent is too large, is
read as XML. The quick path is three to five times faster; a property test checks that it never
reports less than the parse.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Callable
from xml.parsers import expat

from analysis.core.errors import AnalysisError

#: Excel's own limits (ECMA-376 Part 1, §18.3.1.73 ``row`` and §18.3.1.4 ``c``).
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
#: The most cells (rows × columns, blanks included) a sheet may span: calamine holds about 32 bytes
#: a cell (~0.8 GB at most), a CSV row list about as much.
MAX_CELLS = 25_000_000

_CHUNK = 1 << 23


@dataclass(frozen=True)
class Extent:
    """The last row and column (1-based) that may hold a cell with content; 0 for an empty sheet.
    ``canonical`` tells that the part was proved to be in the canonical form (not compared).

    Examples
    --------
    >>> Extent(10, 3).cells
    30
    """

    rows: int
    columns: int
    canonical: bool = field(default=False, compare=False, repr=False)

    @property
    def cells(self) -> int:
        """The size of the grid from A1 to the last row and column."""
        return self.rows * self.columns


def reference(text: str | bytes) -> tuple[int, int | None]:
    """A cell or row reference as calamine reads it: ``(row, column)``, 1-based; the column is None
    when the text holds no letters. Letters may be upper or lower case.

    Examples
    --------
    >>> reference("XFD1048576"), reference("aa10"), reference(b"7")
    ((1048576, 16384), (10, 27), (7, None))
    >>> reference("A 1")
    Traceback (most recent call last):
    ...
    ValueError: a reference is letters then digits, got 'A 1'
    """
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    col, i, n = 0, 0, len(text)
    while i < n and "A" <= text[i].upper() <= "Z":
        col = col * 26 + ord(text[i].upper()) - 64
        i += 1
    digits = text[i:]
    if not digits or not (digits.isascii() and digits.isdigit()) or int(digits) < 1:
        raise ValueError(f"a reference is letters then digits, got {text!r}")
    return int(digits), (col or None)


# --------------------------------------------------------------------------- read as XML


class _Implicit(Exception):
    """A row or cell without ``r``: parse again, following end tags too."""


class _Walk:
    """The parser state: where the next cell lands, and the furthest cell with content so far.

    With ``follow_ends`` False only start tags are handled (every row and cell has ``r`` then, so
    end tags change nothing); a ``v`` or ``is`` after a cell marks it as holding something. Without
    end tags one outside the cell marks it too, which can only overstate.
    """

    def __init__(self, follow_ends: bool) -> None:
        self.follow_ends = follow_ends
        self.in_data = False
        self.row = 1          # the current row (1-based)
        self.col = 1          # the column the next cell without ``r`` lands in
        self.pending: tuple[int, int] | None = None  # the last cell, until a child shows content
        self.max_row = 0
        self.max_col = 0

    def start(self, name: str, attrs: dict) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "v" or local == "is":  # calamine's only values (cells_reader.rs, read_value)
            if self.pending is not None:
                row, col = self.pending
                if row > self.max_row:
                    self.max_row = row
                if col > self.max_col:
                    self.max_col = col
                self.pending = None
        elif local == "c":
            if self.in_data:
                self._cell(attrs.get("r"))
        elif local == "row":
            if self.in_data:
                self._row(attrs.get("r"))
        elif local == "sheetData":
            self.in_data = True

    def _row(self, r: str | None) -> None:
        self.pending = None
        if r is not None:
            self.row = reference(r)[0]
        elif not self.follow_ends:
            raise _Implicit

    def _cell(self, r: str | None) -> None:
        if r is not None:
            row, col = reference(r)
            if col is None:
                raise ValueError(f"a cell reference needs a column, got {r!r}")
            self.pending = (row, col)
            self.col = col + 1
        elif not self.follow_ends:
            raise _Implicit
        else:
            self.pending = (self.row, self.col)
            self.col += 1

    def end(self, name: str) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "c":
            self.pending = None
        elif local == "row" and self.in_data:
            self.row += 1
            self.col = 1
            self.pending = None
        elif local == "sheetData":
            self.in_data = False


def _parse(fh: IO[bytes], follow_ends: bool) -> Extent:
    walk = _Walk(follow_ends)
    parser = expat.ParserCreate()
    parser.StartElementHandler = walk.start
    if follow_ends:
        parser.EndElementHandler = walk.end
    while True:
        chunk = fh.read(_CHUNK)
        parser.Parse(chunk, not chunk)
        if not chunk:
            return Extent(walk.max_row, walk.max_col)


def parse_extent(open_part: Callable[[], IO[bytes]]) -> Extent:
    """The extent of a worksheet part, read as XML with ``expat``: exact for calamine's rules.

    Parameters
    ----------
    open_part : callable
        Returns a fresh binary file object of the sheet XML each time it is called (it is called a
        second time when the sheet has rows or cells without ``r``).

    Raises
    ------
    AnalysisError
        ``corrupt_file`` when the part is not well-formed XML or holds a reference calamine
        cannot read.

    Examples
    --------
    >>> import io
    >>> xml = (b"<worksheet><sheetData><row r='2'><c r = 'B2'><v>1</v></c></row>"
    ...        b"<row><c/><c><v>2</v></c></row></sheetData></worksheet>")
    >>> parse_extent(lambda: io.BytesIO(xml))
    Extent(rows=3, columns=2)
    """
    for follow_ends in (False, True):
        try:
            with open_part() as fh:
                return _parse(fh, follow_ends)
        except _Implicit:
            continue
        except (expat.ExpatError, ValueError) as exc:
            raise AnalysisError(
                "corrupt_file",
                f"Lembar kerja rusak dan tidak dapat dibaca ({exc}). Buka dan simpan ulang di Excel.",
                f"A worksheet is damaged and cannot be read ({exc}). Open and save it again in Excel.",
            ) from None
    raise AssertionError("unreachable: the second parse follows end tags")  # pragma: no cover


# --------------------------------------------------------------------------- the canonical form

_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml(?:[^?>]|\?(?!>))*\?>")
_UTF8 = re.compile(rb"""encoding\s*=\s*["'](utf-?8|us-ascii)["']""", re.IGNORECASE)
# Each search below finds something the byte counts cannot vouch for (then the part is parsed):
_PREFIXED_C = re.compile(rb":c[\s/>]")  # an element x:c (or that text: parsing costs only time)
_R_WRITTEN_OTHERWISE = re.compile(rb"r(?:(?<=[\t\r\n]r)\s*=|\s+=|=[\s'])")  # tab/line break before r, spaces, '
# Every cell but the near ones (one letter, up to five digits): in one pass, the reference of those
# written <c r="…" (group 1) and anything else that follows "<c " or "<c" (group 2: not canonical).
_NOT_NEAR = re.compile(rb'<c(?: r="(?![A-Za-z][0-9]{1,5}")([^"]*)"|([\t\r\n/>]| (?!r=")))')
_FAR_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_NARROW = re.compile(rb'<c r="([A-Za-z])[0-9]')
_SHORT_ROWS = 99_999  # the largest row number of five digits


def _chunks(fh: IO[bytes]):
    """The part in pieces cut just before a ``<``, so no tag is split between two pieces."""
    tail = b""
    while True:
        chunk = fh.read(_CHUNK)
        buf = tail + chunk
        if not chunk:
            if buf:
                yield buf
            return
        cut = buf.rfind(b"<")
        if cut <= 0:  # one tag or text longer than a piece: read on, never split a token
            tail = buf
            continue
        yield buf[:cut]
        tail = buf[cut:]


def _ascii_compatible(first: bytes) -> tuple[bool, bytes]:
    """Whether the byte patterns apply (UTF-8 or ASCII), and the first piece without its XML declaration."""
    declaration = _DECLARATION.match(first)
    if declaration is None:
        return (b"\x00" not in first[:4] and first[:2] not in (b"\xff\xfe", b"\xfe\xff")), first
    text = declaration.group(0)
    return (b"encoding" not in text or _UTF8.search(text) is not None), first[declaration.end():]


class _Counts:
    """What the canonical-form check counts over the pieces of a part."""

    def __init__(self) -> None:
        self.cells = self.rows_with_r = self.r_attrs = 0
        self.wide: set[bytes] = set()
        self.long_rows: set[bytes] = set()

    def add(self, piece: bytes) -> bool:
        """Count one piece; False when it holds something only a parse can read."""
        if _PREFIXED_C.search(piece) or _R_WRITTEN_OTHERWISE.search(piece):
            return False
        for ref, other in set(_NOT_NEAR.findall(piece)):
            parts = None if other else _FAR_REF.fullmatch(ref)
            if parts is None:  # a cell written otherwise, or a reference that is not letters and digits
                return False
            letters, digits = parts.groups()
            if len(letters) > 1:
                self.wide.add(letters.upper())
            if len(digits) > 5:
                self.long_rows.add(digits)
        self.cells += piece.count(b'<c r="')
        self.rows_with_r += piece.count(b'<row r="')
        self.r_attrs += piece.count(b' r="')
        return True


def canonical_extent(open_part: Callable[[], IO[bytes]], max_cells: int | None = None) -> Extent | None:
    """An extent no smaller than the true one, for a part written in the canonical form; None for
    any other part (then :func:`parse_extent` reads it).

    Row numbers of up to five digits are bounded by 99,999 and single-letter columns by Z; longer
    row numbers and wider columns are read exactly. When that bound exceeds ``max_cells`` the part
    is read once more for its last single-letter column. Empty cells count.

    Examples
    --------
    >>> import io
    >>> xml = b'<sheetData><row r="1"><c r="C1"><v>1</v></c><c r="AB123456"/></row></sheetData>'
    >>> canonical_extent(lambda: io.BytesIO(xml))
    Extent(rows=123456, columns=28)
    >>> xml = b"<sheetData><row r='1'><c r='XFD1048576'><v>1</v></c></row></sheetData>"
    >>> canonical_extent(lambda: io.BytesIO(xml)) is None
    True
    """
    counts = _Counts()
    with open_part() as fh:
        for i, piece in enumerate(_chunks(fh)):
            if i == 0:
                usable, piece = _ascii_compatible(piece)
                if not usable:
                    return None
            if not counts.add(piece):
                return None
    if counts.r_attrs != counts.cells + counts.rows_with_r:  # a second r somewhere, or r on another element
        return None
    if not counts.cells:
        return Extent(0, 0)
    rows = max([_SHORT_ROWS] + [int(r) for r in counts.long_rows])
    columns = max((reference(c + b"1")[1] for c in counts.wide), default=0)
    if not columns:  # single letters only: Z, or the last one when Z is too much
        columns = 26
        if max_cells is not None and rows * columns > max_cells:
            letters: set[bytes] = set()
            with open_part() as fh:
                for piece in _chunks(fh):
                    letters.update(_NARROW.findall(piece))
            columns = max(reference(c + b"1")[1] for c in letters)
    return Extent(rows, columns)


def sheet_extent(zf: zipfile.ZipFile, part: str, max_cells: int) -> Extent:
    """The extent of worksheet ``part`` of the open workbook ``zf``: the canonical form's quick
    bound when it is within ``max_cells``, else the exact parse.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("s.xml", "<sheetData><row r='1'><c r='XFD1048576'><v>1</v></c></row></sheetData>")
    >>> sheet_extent(zipfile.ZipFile(buf), "s.xml", 25_000_000)
    Extent(rows=1048576, columns=16384)
    """
    quick = canonical_extent(lambda: zf.open(part), max_cells)
    if quick is not None and quick.cells <= max_cells:
        return Extent(quick.rows, quick.columns, canonical=True)
    exact = parse_extent(lambda: zf.open(part))
    return Extent(exact.rows, exact.columns, canonical=quick is not None)
