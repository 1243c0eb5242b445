"""Finding the data: which sheets hold it, on which row the column titles stand, and which contract
field each column is.

Exports put title rows above the header ("REKAPITULASI PESERTA DIKLAT … TAHUN 2025"), write a
header over two rows (a merged "Nilai" above "Pre Test" and "Post Test"), number their rows in a
"No" column and hold one sheet per program or kecamatan. :func:`find_header` reads the first
:data:`analysis.intake.reader.SCAN_ROWS` rows of every sheet, for every kind of data (or the one
asked for), and keeps the row whose titles name the most contract fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.core.errors import AnalysisError
from analysis.intake.contracts import IDENTIFYING, KINDS, PARTICIPANT_FIELDS, alias_index, fields, header_keys
from analysis.intake.reader import SCAN_ROWS, Book, SheetScan

#: A header row names at least this many contract fields.
MIN_MATCHED = 3
#: Titles of a row-numbering column ("No", "Nomor urut", …): neither data nor an unknown column.
NUMBERING = {"no", "nomor", "nourut", "nmr", "num", "number", "noresp", "noresponden", "nomorresponden"}


@dataclass
class Header:
    """The header of one sheet: where it is and what each of its columns is."""

    scan: SheetScan | None
    row0: int                      # 0-based from A1: the (last) header row; data start below it
    columns: dict[int, str]        # column index → header text as written
    mapped: dict[int, str]         # column index → canonical field
    duplicates: dict[int, str]     # column index → field another column already maps
    unknown: list[int]
    numbering: list[int]
    top0: int | None = None        # first header row when the header spans two rows

    @property
    def header_row(self) -> int:
        """1-based row where the header starts, as Excel shows it."""
        return (self.top0 if self.top0 is not None else self.row0) + 1


@dataclass
class _Seen:
    """What the scan saw besides headers, for the message when it finds none."""

    any_text: bool = False
    widest: list[str] = field(default_factory=list)  # the row with the most filled cells


def find_header(book: Book, kind: str | None = None, sheet: str | None = None,
                mapping_keys: dict[str, str] | None = None) -> tuple[str, list[Header], list[tuple[Header, list[str]]]]:
    """The kind of data, the header of every sheet that holds it, and the sheets skipped.

    Parameters
    ----------
    book : Book
        The workbook, as :func:`analysis.intake.reader.open_book` opened it.
    kind : {"training", "feedback", "mentoring", "events", "kinerja", "jp_lain"}, optional
        Look for this kind only; every kind when None.
    sheet : str, optional
        Look on this sheet only; by default on every visible sheet.
    mapping_keys : dict, optional
        Header key (:func:`analysis.intake.contracts.header_key`) → canonical field, for headers the
        alias table does not know.

    Returns
    -------
    (str, list of Header, list of (Header, list of str))
        The kind; the headers of the sheets read, in sheet order (the best first sheet among them);
        the sheets of that kind left out, with the required fields each lacks.

    Raises
    ------
    AnalysisError
        ``sheet_not_found``, ``empty_file``, ``unrecognised_columns``, ``no_header`` or
        ``missing_columns``.

    Examples
    --------
    >>> from analysis.intake.reader import open_book
    >>> csv = ("REKAP PELATIHAN 2025\\n"
    ...        "No;NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test;Paraf\\n"
    ...        "1;198503122010011003;Ani;Dinas Kominfo;Medan Baru;Literasi Data;12/03/2025;20;60;80;x\\n")
    >>> book = open_book(csv.encode(), "rekap.csv", max_bytes=10**6, max_unpacked=10**7)
    >>> kind, headers, skipped = find_header(book)
    >>> kind, headers[0].header_row, [headers[0].columns[j] for j in headers[0].unknown], skipped
    ('training', 2, ['Paraf'], [])
    """
    mapping_keys = mapping_keys or {}
    scans = _scans(book, sheet)
    best, seen = _best_headers(scans, [kind] if kind else list(KINDS), mapping_keys)
    ranked = sorted(best.items(), key=lambda kv: (kv[1][0][0] >= MIN_MATCHED, kv[1][0][1], kv[1][0]), reverse=True)
    if not ranked or ranked[0][1][0][0] < MIN_MATCHED:
        raise _no_header(seen)
    (found_kind, _), (_, top) = ranked[0]
    required = [f.name for f in fields(found_kind) if f.required]
    if found_kind == "training":
        required += list(PARTICIPANT_FIELDS)
    _check_required(top, required, found_kind)
    chosen, skipped = _same_kind_sheets(ranked, top, found_kind, required, every_sheet=sheet is None)
    return found_kind, chosen, skipped


def _scans(book: Book, sheet: str | None) -> list[SheetScan]:
    """The sheet asked for, or every visible sheet (every sheet when all are hidden)."""
    if sheet is None:
        return [s for s in book.scans if s.visible] or book.scans
    scans = [s for s in book.scans if s.name == sheet]
    if not scans:
        names = ", ".join(s.name for s in book.scans)
        raise AnalysisError("sheet_not_found", f"Lembar '{sheet}' tidak ada. Lembar yang ada: {names}.",
                            f"Sheet '{sheet}' not found. Sheets: {names}.")
    return scans


def _best_headers(scans: list[SheetScan], kinds: list[str], mapping_keys: dict[str, str]) -> tuple[dict, _Seen]:
    """The best header candidate per (kind, sheet), as ``(score, header)``: every row with two or
    more filled cells, read as a header alone and together with the row below it."""
    best: dict[tuple[str, int], tuple] = {}
    seen = _Seen()
    for scan in scans:
        for r, row in enumerate(scan.rows):
            texts = [c for c in row if c is not None and str(c).strip()]
            seen.any_text = seen.any_text or bool(texts)
            if len(texts) > len(seen.widest):
                seen.widest = [str(t).strip() for t in texts]
            if len(texts) < 2:
                continue
            below = scan.rows[r + 1] if r + 1 < len(scan.rows) else None
            for k in kinds:
                for cand in _candidates(scan, r, row, below, k, mapping_keys):
                    sc = _score(cand, k)
                    key = (k, scan.index)
                    if key not in best or sc > best[key][0]:
                        best[key] = (sc, cand)
    return best, seen


def _candidates(scan: SheetScan, r: int, row: list, below: list | None, kind: str,
                mapping_keys: dict[str, str]) -> list[Header]:
    """Row ``r`` as a one-row header, and (when there is a row below) as the top of a two-row one."""
    h = _map_row(row, kind, mapping_keys)
    h.scan, h.row0 = scan, r
    if below is None:
        return [h]
    two = _map_row(_two_row_header(row, below, kind, mapping_keys), kind, mapping_keys)
    two.scan, two.row0, two.top0 = scan, r + 1, r
    return [h, two]


def _map_row(row: list, kind: str, mapping_keys: dict[str, str]) -> Header:
    """Each filled cell of ``row`` as a header: the field it maps to, a duplicate, numbering or unknown."""
    aliases = alias_index(kind)
    kind_fields = {f.name for f in fields(kind)}
    columns, mapped, dup, unknown, numbering = {}, {}, {}, [], []
    for j, cell in enumerate(row):
        if cell is None or not str(cell).strip():
            continue
        text = re.sub(r"\s+", " ", str(cell)).strip()
        columns[j] = text
        fld = None
        for key in header_keys(text):  # the whole header first, then without bracketed notes
            fld = mapping_keys.get(key) if mapping_keys.get(key) in kind_fields else aliases.get(key)
            if fld is not None:
                break
        if fld is None:
            (numbering if header_keys(text)[-1] in NUMBERING else unknown).append(j)
        elif fld in mapped.values():
            dup[j] = fld
        else:
            mapped[j] = fld
    return Header(None, 0, columns, mapped, dup, unknown, numbering)


def _two_row_header(top: list, sub: list, kind: str, mapping_keys: dict[str, str]) -> list:
    """A header written over two rows (a merged "Nilai" above "Pre Test" and "Post Test"): per
    column the text that maps to a field — "parent sub", the lower cell alone, or the upper one."""
    aliases = alias_index(kind)
    out, parent = [], None
    for j in range(max(len(top), len(sub))):
        upper = top[j] if j < len(top) and top[j] is not None and str(top[j]).strip() else None
        lower = sub[j] if j < len(sub) and sub[j] is not None and str(sub[j]).strip() else None
        parent = upper or parent  # a merged cell holds its text in the first column only
        options = ([f"{parent} {lower}"] if lower and parent else []) + ([lower] if lower else []) + (
            [upper] if upper else [])
        chosen = next((o for o in options if any(k in mapping_keys or k in aliases for k in header_keys(o))),
                      options[0] if options else None)
        out.append(chosen)
    return out


def _score(h: Header, kind: str) -> tuple:
    """Fields named, required (and identifying, :data:`analysis.intake.contracts.IDENTIFYING`) fields
    named, fewest unknown titles: the larger, the better."""
    required = {f.name for f in fields(kind) if f.required} | set(IDENTIFYING.get(kind, ()))
    got = set(h.mapped.values())
    return (len(got), len(got & required), -len(h.unknown))


def _no_header(seen: _Seen) -> AnalysisError:
    """Why no header was found: nothing at all, titles that name no field, or no row of titles."""
    if not seen.any_text:
        return AnalysisError("empty_file", "Buku kerja tidak berisi data apa pun.",
                             "The workbook holds no data at all.")
    if len(seen.widest) >= 2:
        shown = ", ".join(seen.widest[:12])
        return AnalysisError(
            "unrecognised_columns",
            f"Tidak ditemukan baris judul kolom yang dikenal dalam {SCAN_ROWS} baris pertama. Kolom yang terbaca: "
            f"{shown}. Pastikan berkas ini data pelatihan, SKM, mentoring, kegiatan, penilaian kinerja atau pengembangan "
            "kompetensi lain, gunakan templat, "
            "atau petakan judul kolom (--map \"Judul=kolom\").",
            f"No known header row in the first {SCAN_ROWS} rows. Columns seen: {shown}. Check that this is "
            "training, SKM, mentoring, event, appraisal or other-development data, use the template, or map the headers (--map \"Header=field\").",
            details={"headers": seen.widest})
    return AnalysisError("no_header",
                         f"Tidak ditemukan baris judul kolom dalam {SCAN_ROWS} baris pertama. Gunakan templat Excel.",
                         f"No header row found in the first {SCAN_ROWS} rows. Use the Excel template.")


def _check_required(top: Header, required: list[str], kind: str) -> None:
    """The best header must name every required field of its kind."""
    missing = [f for f in required if f not in top.mapped.values()]
    if not missing:
        return
    unknown = ", ".join(top.columns[j] for j in top.unknown) or "–"
    raise AnalysisError(
        "missing_columns",
        f"Kolom wajib tidak ditemukan pada lembar '{top.scan.name}' (baris judul {top.header_row}): "
        f"{', '.join(missing)}. Judul kolom yang tidak dikenal: {unknown}. Tambahkan kolomnya atau "
        "petakan judul yang ada (--map \"Judul=kolom\").",
        f"Required columns missing on sheet '{top.scan.name}' (header row {top.header_row}): "
        f"{', '.join(missing)}. Unknown headers: {unknown}. Add them or map a header (--map \"Header=field\").",
        details={"kind": kind, "missing": missing, "headers": [top.columns[j] for j in top.unknown]})


def _same_kind_sheets(ranked: list, top: Header, kind: str, required: list[str],
                      every_sheet: bool) -> tuple[list[Header], list[tuple[Header, list[str]]]]:
    """Further sheets of the same kind are read too (one per program or kecamatan), as long as they
    hold the required columns; an optional column one sheet lacks is empty for its rows. A sheet
    that looks like data but lacks a required column is reported, never dropped unseen."""
    chosen, skipped = [top], []
    if every_sheet:
        for (k, _), (sc, h) in ranked[1:]:
            if k != kind or sc[0] < MIN_MATCHED:
                continue
            lacking = [f for f in required if f not in h.mapped.values()]
            (skipped.append((h, lacking)) if lacking else chosen.append(h))
    chosen.sort(key=lambda h: h.scan.index)
    return chosen, skipped
