"""Helpers that write workbooks shaped like real exports (docs/domain.md §9) for the intake tests.

A :class:`Sheet` is a list of rows (Python values: ``str``, ``int``/``float``, ``datetime.date``/
``datetime.datetime`` or ``None``) with optional title rows above the header, a closing totals row
and a signature block below it. :func:`write` turns a list of sheets into ``.xlsx`` (xlsxwriter with
shared strings as Excel writes them, or openpyxl with inline strings; merged title, NIP columns
formatted as text, hidden sheets), ``.xls`` (xlwt), ``.ods`` (odfpy via
``DataFrame.to_excel(engine="odf")``; no hidden sheets) or ``.csv`` (``,`` or ``;``; UTF-8, UTF-8
with BOM, or cp1252).

The last helpers damage a good .xlsx for the hostile-file tests: DOCTYPE injection, zip bombs
(honest or lying about their size), stray cells far outside the table.

The row numbers the intake must report are the 1-based Excel rows: :meth:`Sheet.header_row` and
:meth:`Sheet.data_row` compute them from the layout, so a test never counts by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

# A valid PNS NIP per row (Perka BKN 22/2007 layout): birth date, TMT CPNS, sex, serial.
NIPS = [
    "198503122010011003", "198601012011012004", "197904152005011002", "199002202015032001",
    "198812312012121005", "197512012000031006", "199307072019022007", "198004042006041008",
    "198709092013011009", "199111112017012010", "198202022008011011", "197707072002122012",
]

KECAMATAN = ["Medan Baru", "Medan Sunggal", "Medan Kota", "Medan Johor", "Medan Deli", "Medan Area"]

# One realistic header per kind (Indonesian, as exports write them) and a row builder for it.
HEADERS = {
    "training": ["No", "NIP", "Nama Pegawai", "OPD", "Kecamatan", "Nama Pelatihan", "Jenis Program",
                 "Tanggal Mulai", "Tanggal Selesai", "JP", "Pre Test", "Post Test", "Kinerja Sebelum",
                 "Kinerja Sesudah", "Kepuasan Peserta"],
    "feedback": ["No", "Tanggal", "Unit Layanan", "Kecamatan", "Jenis Layanan", "U1", "U2", "U3", "U4", "U5",
                 "U6", "U7", "U8", "U9", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Kritik dan Saran"],
    "mentoring": ["No", "NIP Mentor", "NIP Mentee", "Kecamatan", "Tanggal Mulai", "Tanggal Selesai",
                  "Jumlah Sesi", "JP"],
    "events": ["No", "Jenis Kegiatan", "Tanggal", "Kecamatan", "Unit Layanan", "Jumlah Peserta",
               "Jumlah Masukan", "Catatan"],
    # BKN e-Kinerja's "Rekap Penilaian" columns, with the unit, kecamatan, period and score an analyst adds
    "kinerja": ["No", "NIP", "Nama", "Jabatan", "Unit Kerja", "Kecamatan", "Periode", "Rating Hasil Kinerja",
                "Rating Perilaku Kerja", "Predikat Kinerja Periodik", "Nilai SKP", "Potensi"],
    # other competency development the personnel office records (seminars, webinars, e-learning …)
    "jp_lain": ["No", "NIP", "Nama", "Nama Kegiatan", "Bentuk Pengembangan", "Penyelenggara", "Tanggal Mulai",
                "Tanggal Selesai", "JP", "Nomor Sertifikat"],
}

TITLES = {
    "training": "REKAPITULASI PESERTA DIKLAT PEMERINTAH KOTA MEDAN TAHUN 2025",
    "feedback": "REKAPITULASI SURVEI KEPUASAN MASYARAKAT TAHUN 2025",
    "mentoring": "DAFTAR PASANGAN MENTORING TAHUN 2025",
    "events": "REKAP FORUM WARGA DAN OPEN HOUSE 2025",
    "kinerja": "REKAP PENILAIAN KINERJA PEGAWAI PEMERINTAH KOTA MEDAN",
    "jp_lain": "REKAP PENGEMBANGAN KOMPETENSI LAIN ASN 2025",
}
# (rating hasil kerja, rating perilaku kerja, predikat) as PermenPANRB 6/2022's matrix combines them
KINERJA_RATINGS = [("Sesuai ekspektasi", "Sesuai ekspektasi", "Baik"),
                   ("Di atas ekspektasi", "Di atas ekspektasi", "Sangat Baik"),
                   ("Di bawah ekspektasi", "Sesuai ekspektasi", "Butuh Perbaikan"),
                   ("Di atas ekspektasi", "Sesuai ekspektasi", "Baik")]


def valid_row(kind: str, i: int) -> list:
    """Row ``i`` (0-based) of a valid record of ``kind``, in the order of ``HEADERS[kind]``."""
    k = KECAMATAN[i % len(KECAMATAN)]
    start = dt.date(2025, 3, 1) + dt.timedelta(days=7 * (i % 20))
    if kind == "training":
        return [i + 1, NIPS[i % len(NIPS)], f"Pegawai {i + 1}", "Dinas Kominfo", k,
                f"Program {i // len(NIPS) + 1}", "Pelatihan", start, start + dt.timedelta(days=2),
                20 + i % 5, 50 + i % 30, 70 + i % 25, 80 + i % 10, 85 + i % 10, 3 + i % 3]
    if kind == "feedback":
        answers = [1 + (i + u) % 4 for u in range(9)]
        return [i + 1, start, f"Kantor Camat {k}", k, "KTP elektronik", *answers,
                "L" if i % 2 else "P", 20 + i % 50, "S1", "Wiraswasta", "Antrean perlu dipercepat" if i % 3 else None]
    if kind == "mentoring":
        return [i + 1, NIPS[i % len(NIPS)], NIPS[(i + 1) % len(NIPS)], k, start,
                start + dt.timedelta(days=60), 4 + i % 6, 8 + i % 4]
    if kind == "events":
        return [i + 1, "Forum Warga" if i % 2 else "Open House", start, k, f"Kantor Camat {k}",
                30 + i, 5 + i % 7, "Dihadiri lurah"]
    if kind == "kinerja":
        hasil, perilaku, predikat = KINERJA_RATINGS[i % len(KINERJA_RATINGS)]
        return [i + 1, NIPS[i % len(NIPS)], f"Pegawai {i + 1}", "Pengadministrasi Umum", f"Kantor Camat {k}", k,
                f"2025-Q{1 + (i // len(NIPS)) % 4}", hasil, perilaku, predikat, 80 + i % 15,
                ("rendah", "menengah", "tinggi")[i % 3]]
    if kind == "jp_lain":
        return [i + 1, NIPS[i % len(NIPS)], f"Pegawai {i + 1}", f"Webinar {i + 1}", "Webinar",
                "LAN RI", start, start, 2 + i % 4, f"SRT-{i + 1:04d}"]
    raise ValueError(f"kind must be training, feedback, mentoring, events, kinerja or jp_lain, got {kind!r}")


@dataclass
class Sheet:
    """One worksheet: ``titles`` above ``header``, ``rows`` of data, then optional ``total`` and
    ``footer`` rows. ``blank_after_title`` empty rows separate title and header."""

    name: str
    header: list
    rows: list[list]
    titles: list[str] = field(default_factory=list)
    blank_after_title: int = 1
    total: list | None = None
    footer: list[list] = field(default_factory=list)
    hidden: bool = False
    text_columns: tuple[str, ...] = ("NIP", "NIP Mentor", "NIP Mentee")

    def header_row(self) -> int:
        """1-based Excel row of the header."""
        return len(self.titles) + (self.blank_after_title if self.titles else 0) + 1

    def data_row(self, i: int) -> int:
        """1-based Excel row of data row ``i`` (0-based index into ``rows``)."""
        return self.header_row() + 1 + i

    def total_row(self) -> int:
        return self.header_row() + 1 + len(self.rows)

    def grid(self) -> list[list]:
        """Every row of the sheet from A1, as lists of cell values."""
        out: list[list] = [[t] for t in self.titles]
        if self.titles:
            out += [[] for _ in range(self.blank_after_title)]
        out.append(list(self.header))
        out += [list(r) for r in self.rows]
        if self.total is not None:
            out.append(list(self.total))
            out += [list(r) for r in self.footer]
        return out


def export_sheet(kind: str, n: int = 5, *, name: str = "REKAP", titles: bool = True, total: bool = False,
                 footer: bool = False, start: int = 0) -> Sheet:
    """A sheet of ``n`` valid rows of ``kind`` laid out like a real export."""
    header = list(HEADERS[kind])
    rows = [valid_row(kind, start + i) for i in range(n)]
    sheet = Sheet(name, header, rows, titles=[TITLES[kind], "Sumber: BKPSDM Kota Medan"] if titles else [])
    if total:
        tot = [None] * len(header)
        tot[0] = "JUMLAH"
        jp = header.index("JP") if "JP" in header else None
        if jp is not None:
            tot[jp] = sum(r[jp] for r in rows if isinstance(r[jp], (int, float)))
        sheet.total = tot
    if footer:
        sheet.footer = [[], [None, None, None, "Medan, 31 Desember 2025"], [None, None, None, "Kepala BKPSDM"],
                        [], [None, None, None, "Drs. Nama Pejabat"], [None, None, None, "NIP. 19700101 199503 1 001"]]
    return sheet


# --------------------------------------------------------------------------------------------- writers

def write_xlsx(path: Path, sheets: list[Sheet], *, merge_title: bool = True, engine: str = "xlsxwriter") -> Path:
    """Write an .xlsx: the title merged across the table, NIP columns formatted as text, dates as
    date cells. ``engine="xlsxwriter"`` writes shared strings as Excel does; ``"openpyxl"`` writes
    inline strings (another real-world variant)."""
    if engine == "openpyxl":
        return _write_xlsx_openpyxl(path, sheets, merge_title)
    if engine != "xlsxwriter":
        raise ValueError(f"engine must be 'xlsxwriter' or 'openpyxl', got {engine!r}")
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    text_fmt = wb.add_format({"num_format": "@"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    title_fmt = wb.add_format({"bold": True, "align": "center"})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        text_cols = {j for j, h in enumerate(sheet.header) if h in sheet.text_columns}
        for r, row in enumerate(sheet.grid()):
            if merge_title and r < len(sheet.titles):
                ws.merge_range(r, 0, r, max(1, len(sheet.header) - 1), row[0], title_fmt)
                continue
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime(value.year, value.month, value.day)
                    ws.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, text_fmt if c in text_cols else None)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                else:
                    ws.write_number(r, c, value)
        if sheet.hidden:
            ws.hide()
    if all(s.hidden for s in sheets):
        raise ValueError("at least one sheet must be visible")
    wb.close()
    return Path(path)


def _write_xlsx_openpyxl(path: Path, sheets: list[Sheet], merge_title: bool) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        if sheet.hidden:
            ws.sheet_state = "hidden"
        text_cols = {j for j, h in enumerate(sheet.header) if h in sheet.text_columns}
        for r, row in enumerate(sheet.grid(), start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if (c - 1) in text_cols and isinstance(value, str):
                    cell.number_format = "@"
                elif isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "DD/MM/YYYY"
        if merge_title and sheet.titles:
            for r in range(1, len(sheet.titles) + 1):
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(2, len(sheet.header)))
    wb.save(path)
    return Path(path)


def write_xls(path: Path, sheets: list[Sheet]) -> Path:
    """Write a legacy ``.xls`` (BIFF8) with xlwt: dates as date cells, the title merged."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name)
        if sheet.hidden:
            ws.visibility = 1
        grid = sheet.grid()
        for r, row in enumerate(grid):
            if r < len(sheet.titles) and row and row[0] is not None:
                ws.write_merge(r, r, 0, max(1, len(sheet.header) - 1), row[0])
                continue
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime(value.year, value.month, value.day)
                    ws.write(r, c, value, date_style)
                else:
                    ws.write(r, c, value)
    wb.save(str(path))
    return Path(path)


def write_ods(path: Path, sheets: list[Sheet]) -> Path:
    """Write an OpenDocument spreadsheet through pandas and odfpy."""
    with pd.ExcelWriter(path, engine="odf") as writer:
        for sheet in sheets:
            grid = sheet.grid()
            width = max(len(r) for r in grid)
            frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in grid], dtype=object)
            frame.to_excel(writer, sheet_name=sheet.name, header=False, index=False)
    return Path(path)


def csv_text(sheet: Sheet, sep: str = ";") -> str:
    """The sheet as CSV text; dates written day first (``12/03/2025``) as exports do."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for row in sheet.grid():
        w.writerow(["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, (dt.date, dt.datetime))
                                          else str(v)) for v in row])
    return buf.getvalue()


def write_csv(path: Path, sheet: Sheet, *, sep: str = ";", encoding: str = "utf-8-sig") -> Path:
    Path(path).write_bytes(csv_text(sheet, sep).encode(encoding))
    return Path(path)


FORMATS = ("xlsx", "xlsx_openpyxl", "xls", "ods", "csv_comma", "csv_semicolon_cp1252", "csv_comma_bom")


def write(path_dir: Path, fmt: str, sheets: list[Sheet] | Sheet, stem: str = "ekspor") -> Path:
    """Write ``sheets`` in format ``fmt`` (one of :data:`FORMATS`) into ``path_dir``; CSV takes one sheet."""
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    path_dir = Path(path_dir)
    if fmt == "xlsx":
        return write_xlsx(path_dir / f"{stem}.xlsx", sheets)
    if fmt == "xlsx_openpyxl":
        return write_xlsx(path_dir / f"{stem}.xlsx", sheets, engine="openpyxl")
    if fmt == "xls":
        return write_xls(path_dir / f"{stem}.xls", sheets)
    if fmt == "ods":
        return write_ods(path_dir / f"{stem}.ods", sheets)
    if fmt == "csv_comma":
        return write_csv(path_dir / f"{stem}.csv", sheets[0], sep=",", encoding="utf-8")
    if fmt == "csv_comma_bom":
        return write_csv(path_dir / f"{stem}.csv", sheets[0], sep=",", encoding="utf-8-sig")
    if fmt == "csv_semicolon_cp1252":
        return write_csv(path_dir / f"{stem}.csv", sheets[0], sep=";", encoding="cp1252")
    raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")


def xlsx_bytes(sheets: list[Sheet] | Sheet, **kw) -> bytes:
    """The bytes of an .xlsx written by :func:`write_xlsx`."""
    import tempfile

    if isinstance(sheets, Sheet):
        sheets = [sheets]
    with tempfile.TemporaryDirectory() as d:
        return write_xlsx(Path(d) / "x.xlsx", sheets, **kw).read_bytes()


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """Insert ``doctype`` after the XML declaration (or at the start when there is none)."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


def rewrite_zip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None,
                compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Copy an .xlsx's zip, replacing or adding members (for hostile files)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def zip_bomb(data: bytes, member: str, size: int, filler: bytes = b" ") -> bytes:
    """Copy an .xlsx and pad ``member`` (an XML part) with ``size`` bytes of ``filler`` before its
    closing tag, streaming, so building a large bomb needs little memory."""
    out = io.BytesIO()
    chunk = filler * (1 << 20)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename != member:
                dst.writestr(info.filename, body)
                continue
            cut = body.rindex(b"</")
            with dst.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(body[:cut])
                left = size
                while left > 0:
                    fh.write(chunk[:left])
                    left -= len(chunk)
                fh.write(body[cut:])
    return out.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``member`` (local header and central
    directory) without touching its content: a zip that lies about how far it expands."""
    import struct

    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", buf, info.header_offset + 22, size)
    at = buf.find(b"PK\x01\x02")
    while at >= 0:
        n = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46:at + 46 + n]).decode() == member:
            struct.pack_into("<I", buf, at + 24, size)
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def with_sheet_xml(data: bytes, edit: Callable[[bytes], bytes], member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Copy an .xlsx with ``edit(xml_bytes) -> xml_bytes`` applied to one sheet part."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(member)
    return rewrite_zip(data, {member: edit(xml)})


def stray_cell(ref: str, value: bytes = b"<v>1</v>", attrs: bytes = b"") -> Callable[[bytes], bytes]:
    """An ``edit`` for :func:`with_sheet_xml` that appends one cell far away, e.g. ``XFD1048576``.
    ``attrs`` go BEFORE ``r=`` (hostile files need not follow Excel's attribute order)."""
    import re

    row = int(re.sub(r"[A-Z]", "", ref))

    def edit(xml: bytes) -> bytes:
        cell = b"<c " + attrs + b'r="' + ref.encode() + b'">' + value + b"</c>"
        return xml.replace(b"</sheetData>", b'<row r="%d">' % row + cell + b"</row></sheetData>")
    return edit


def repeated_ods(tmp_path: Path, rows: int = 99_990, columns: int = 1_000) -> bytes:
    """A valid .ods whose second row is one numeric cell repeated ``columns`` times, the row
    repeated ``rows`` times (OpenDocument 1.2 Part 1, §9.1.3 ``table:number-rows-repeated`` and
    §9.1.4 ``table:number-columns-repeated``)."""
    base = write_ods(tmp_path / "base.ods", [export_sheet("events", 1, titles=False)]).read_bytes()
    repeated = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
                f'table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
                '<text:p>1</text:p></table:table-cell></table:table-row>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            member = zin.read(info.filename)
            if info.filename == "content.xml":
                member = member.replace(b"</table:table>", repeated + b"</table:table>", 1)
            zout.writestr(info, member)
    return out.getvalue()


def many_sheets(count: int) -> bytes:
    """A minimal .xlsx (ECMA-376 Part 1 §12.3.23 worksheet parts) with ``count`` one-cell sheets."""
    out = io.BytesIO()
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(count))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel_ns}><sheets>{sheets}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(count))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i in range(count):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>'
                       '<row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>')
    return out.getvalue()
