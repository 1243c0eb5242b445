"""The first stage of reading an upload, without pandas: the file opened and checked, the kind of
data and the header found, and the loading of the first data sheet started.

:func:`analysis.intake.pipeline.read_upload` is this stage (:func:`open_upload`) followed by the
rest (:func:`analysis.intake.pipeline.build`: load, normalise, validate). They are two functions so
that the upload worker (:mod:`analysis.intake.worker`) can have the sheet loading in a forked loader
(:mod:`analysis.intake.early`) as soon as it has found the header, and import pandas for the rest
while it loads. For an ``.xlsx`` file nothing here imports pandas, numpy or pyarrow (a test checks
it); a CSV is read with pandas here, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core.config import Settings, get_settings
from analysis.core.errors import AnalysisError
from analysis.intake.contracts import KINDS, fields, header_key
from analysis.intake.header import Header, find_header
from analysis.intake.reader import Book, open_book


@dataclass
class Opened:
    """An upload opened by :func:`open_upload`: the book, the kind of data, the header of every
    sheet that holds it, the sheets skipped with the required fields each lacks, and the mapping
    (header key → canonical field)."""

    book: Book
    kind: str
    headers: list[Header]
    skipped: list[tuple[Header, list[str]]]
    mapping_keys: dict[str, str]


def open_upload(data: bytes, filename: str, kind: str | None = None, sheet: str | None = None,
                mapping: dict[str, str] | None = None, settings: Settings | None = None, *,
                sidecar=None) -> Opened:
    """Open and check ``data``, find its kind and header, and (beside a side process that has not
    read the sheet's extent yet) start loading the first sheet that holds the data. The parameters
    are :func:`analysis.intake.pipeline.read_upload`'s.

    Examples
    --------
    >>> opened = open_upload(b"Jenis Kegiatan;Tanggal;Kecamatan;Unit Layanan;Jumlah Peserta\\n"
    ...                      b"Forum;12/03/2025;Medan Baru;Kantor Camat;40\\n", "kegiatan.csv")
    >>> opened.kind, opened.headers[0].header_row
    ('events', 1)
    """
    settings = settings or get_settings()
    if kind is not None and kind not in KINDS:
        raise AnalysisError("bad_kind", f"Jenis data harus salah satu dari {', '.join(KINDS)}; diberikan '{kind}'.",
                            f"kind must be one of {', '.join(KINDS)}, got '{kind}'.")
    mapping_keys = check_mapping(mapping or {})
    book = open_book(data, filename, max_bytes=settings.max_upload_bytes, max_unpacked=settings.max_unpacked_bytes)
    book.sidecar = sidecar
    found_kind, headers, skipped = find_header(book, kind, sheet, mapping_keys)
    first = headers[0]
    book.start_loading(first.scan, first.row0, sorted(first.columns))  # what build() loads first
    return Opened(book, found_kind, headers, skipped, mapping_keys)


def check_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """A user's mapping (header as written → canonical field) as header key → field; refused
    (``bad_mapping``) when it names a field that no contract has.

    Examples
    --------
    >>> check_mapping({"Nama Diklat": "program"})
    {'namadiklat': 'program'}
    """
    all_fields = {f.name for k in KINDS for f in fields(k)}
    out = {}
    for header, fld in mapping.items():
        if fld not in all_fields:
            raise AnalysisError(
                "bad_mapping",
                f"Pemetaan '{header}={fld}': '{fld}' bukan nama kolom baku. Pilihan: {', '.join(sorted(all_fields))}.",
                f"Mapping '{header}={fld}': '{fld}' is not a canonical field. Choices: {', '.join(sorted(all_fields))}.")
        out[header_key(header)] = fld
    return out
