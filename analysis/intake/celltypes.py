"""Which cells of a worksheet hold numbers, read from the sheet's XML as XML is read.

``fastexcel`` turns the numbers of a column that also holds text into text, and the intake must
know which cells were numbers (an 18-digit NIP that Excel stored as a number has lost its last
digits; ``1.234`` typed as text is 1234 in Indonesian notation). A cell is a number when its ``t``
attribute is absent or ``n`` (ECMA-376 Part 1, §18.18.11 ``ST_CellType``).

Two ways to read it, as for the sheet's extent (:mod:`analysis.intake.extent`):

- a part in the canonical form (:func:`analysis.intake.extent.canonical_extent` proved it: every
  cell written ``<c r="A1"…``) is read with a pattern over the cells' opening tags: the
  reference, then each attribute as XML writes one — either quote, white space around ``=``, a
  ``>`` inside a quoted value. An opening tag that does not read that way, or a comment, CDATA
  section or processing instruction (whose text could look like a cell), sends the part to
- the parse (``expat``), which places cells without ``r`` as calamine does.
"""

from __future__ import annotations

import re
from typing import IO, Callable
from xml.parsers import expat

from analysis.core.errors import AnalysisError
from analysis.intake.extent import _CHUNK, _DECLARATION, _chunks, reference

_ATTRS = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>"""
_T = re.compile(rb"""\st\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _letters(column: int) -> bytes:
    out = b""
    column += 1
    while column:
        column, rem = divmod(column - 1, 26)
        out = bytes([65 + rem]) + out
    return out


def _is_number(t: bytes | str | None) -> bool:
    return t is None or t in (b"n", "n")


class _Unreadable(Exception):
    """A cell tag the pattern cannot read: parse the part instead."""


def _quick(open_part: Callable[[], IO[bytes]], first_row: int, columns: list[int]) -> dict[int, list[int]]:
    by_letters = {_letters(c): c for c in columns}
    alternatives = b"|".join(sorted(by_letters, key=len, reverse=True))
    # the reference of a wanted column (either case), then the attributes, or nothing: unreadable
    cell = re.compile(rb'<c r="((?i:' + alternatives + rb'))([0-9]+)"(?:' + _ATTRS + rb")?")
    found: dict[int, list[int]] = {c: [] for c in columns}
    with open_part() as fh:
        for i, piece in enumerate(_chunks(fh)):
            if i == 0:
                declaration = _DECLARATION.match(piece)
                piece = piece[declaration.end():] if declaration else piece
            if b"<!" in piece or b"<?" in piece:  # a comment, CDATA or instruction may hold "<c r=…"
                raise _Unreadable
            for m in cell.finditer(piece):
                attrs = m.group(3)
                if attrs is None:
                    raise _Unreadable
                row = int(m.group(2))
                if row < first_row:
                    continue
                t = _T.search(attrs)
                if _is_number(None if t is None else (t.group(1) if t.group(1) is not None else t.group(2))):
                    found[by_letters[m.group(1).upper()]].append(row)
    return found


class _Cells:
    """The parser state: where the next cell lands (calamine's rules, as in ``extent._Walk``) and
    the numeric cells of the wanted columns."""

    def __init__(self, first_row: int, columns: list[int]) -> None:
        self.first_row = first_row
        self.wanted = {c + 1: c for c in columns}  # 1-based column → 0-based index
        self.found: dict[int, list[int]] = {c: [] for c in columns}
        self.in_data = False
        self.row, self.col = 1, 1

    def start(self, name: str, attrs: dict) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "c" and self.in_data:
            r = attrs.get("r")
            if r is not None:
                row, col = reference(r)
                if col is None:
                    raise ValueError(f"a cell reference needs a column, got {r!r}")
            else:
                row, col = self.row, self.col
            self.col = col + 1
            if col in self.wanted and row >= self.first_row and _is_number(attrs.get("t")):
                self.found[self.wanted[col]].append(row)
        elif local == "row" and self.in_data:
            r = attrs.get("r")
            if r is not None:
                self.row = reference(r)[0]
        elif local == "sheetData":
            self.in_data = True

    def end(self, name: str) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "row" and self.in_data:
            self.row += 1
            self.col = 1
        elif local == "sheetData":
            self.in_data = False


def _parse(open_part: Callable[[], IO[bytes]], first_row: int, columns: list[int]) -> dict[int, list[int]]:
    cells = _Cells(first_row, columns)
    parser = expat.ParserCreate()
    parser.StartElementHandler = cells.start
    parser.EndElementHandler = cells.end
    try:
        with open_part() as fh:
            while True:
                chunk = fh.read(_CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    return cells.found
    except (expat.ExpatError, ValueError) as exc:
        raise AnalysisError(
            "corrupt_file",
            f"Lembar kerja rusak dan tidak dapat dibaca ({exc}). Buka dan simpan ulang di Excel.",
            f"A worksheet is damaged and cannot be read ({exc}). Open and save it again in Excel.",
        ) from None


def numeric_rows(open_part: Callable[[], IO[bytes]], header_row0: int, columns: list[int],
                 canonical: bool = False) -> dict[int, list[int]]:
    """Per 0-based column, the 1-based Excel rows below the header whose cell is a number.

    Parameters
    ----------
    open_part : callable
        Returns a fresh binary file object of the sheet XML each time it is called.
    header_row0 : int
        The header's row, 0-based from A1: rows after it are read.
    columns : list of int
        0-based column indices.
    canonical : bool
        Whether the part is known to be in the canonical form (then the quick path reads it).

    Examples
    --------
    >>> import io
    >>> xml = (b'<sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1.5</v></c></row>'
    ...        b"<row r='3'><c r='A3' t = 'n'><v>7</v></c><c r='B3' t='str'><v>x</v></c></row></sheetData>")
    >>> numeric_rows(lambda: io.BytesIO(xml), 0, [0, 1])
    {0: [3], 1: [2]}
    >>> xml = b'<sheetData><row r="2"><c r="A2" s="1" x=">" t="s"><v>0</v></c><c r="B2"/></row></sheetData>'
    >>> numeric_rows(lambda: io.BytesIO(xml), 0, [0, 1], canonical=True)
    {0: [], 1: [2]}
    """
    if not columns:
        return {}
    first_row = header_row0 + 2
    if canonical:
        try:
            return _quick(open_part, first_row, columns)
        except _Unreadable:
            pass
    return _parse(open_part, first_row, columns)
