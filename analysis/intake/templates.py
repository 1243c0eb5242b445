"""Excel templates and column tables, generated from the contracts (``analysis.intake.contracts``).

The template's header row, its explanation sheet, the README's column tables and the validator's
field names all come from the same pandera models, so they cannot drift apart.
"""

from __future__ import annotations

import io

import xlsxwriter

from analysis.intake.contracts import KIND_LABELS, KINDS, fields

EXAMPLES = {
    "nip": "19850312 201001 1 003", "mentor_nip": "19750101 200003 1 002",
    "mentee_nip": "19950505 202001 2 004", "nama": "Ani Lestari", "unit_kerja": "Kantor Camat Medan Baru",
    "kecamatan": "Medan Baru", "program": "Pemanfaatan TI dalam Pelayanan Publik", "jenis_program": "pelatihan",
    "kelompok": "Peserta", "tanggal_mulai": "12/03/2025", "tanggal_selesai": "14/03/2025", "jp": "24",
    "nilai_pre": "62,5", "nilai_post": "81", "kinerja_sebelum": "Baik", "kinerja_sesudah": "Sangat Baik",
    "kepuasan_peserta": "4", "tanggal": "12 Maret 2025", "unit_layanan": "Kantor Camat Medan Baru",
    "jenis_layanan": "KTP elektronik", "jenis_kelamin": "P", "usia": "34", "pendidikan": "S1",
    "pekerjaan": "Wiraswasta", "saran": "Antrean perlu dipercepat", "jumlah_sesi": "6",
    "jenis_kegiatan": "Forum Warga", "jumlah_peserta": "45", "jumlah_masukan": "12",
    "catatan": "Dihadiri lurah se-kecamatan",
    "jabatan": "Pengadministrasi Umum", "periode": "Semester I 2025", "rating_hasil_kerja": "Di atas ekspektasi",
    "rating_perilaku_kerja": "Sesuai ekspektasi", "predikat_kinerja": "Baik", "potensi": "menengah",
    "kegiatan": "Webinar Keterbukaan Informasi Publik", "bentuk": "webinar",
    "penyelenggara": "Komisi Informasi Provinsi Sumatera Utara", "sertifikat": "KI-2025/0412",
}
for _k in range(1, 10):
    EXAMPLES[f"u{_k}"] = "3"


def header_text(spec) -> str:
    """The header a template uses for a field: its first alias (what exports most often write).

    Examples
    --------
    >>> from analysis.intake.contracts import fields
    >>> header_text(fields("training")[0])
    'NIP'
    """
    return spec.aliases[0] if spec.aliases else spec.name


def _required_label(kind: str, spec, lang: str) -> str:
    if spec.required:
        return "wajib" if lang == "id" else "required"
    if kind == "training" and spec.name in ("program", "tanggal_mulai", "jp"):
        return "wajib untuk peserta" if lang == "id" else "required for participants"
    return "opsional" if lang == "id" else "optional"


def template_bytes(kind: str) -> bytes:
    """An .xlsx template for ``kind``: sheet ``Data`` (header + example row, NIP columns as text)
    and sheet ``Petunjuk`` explaining each column in Indonesian.

    Examples
    --------
    >>> from analysis.intake.pipeline import read_upload
    >>> res = read_upload(template_bytes("events"), "templat.xlsx")
    >>> res.kind, res.rows_read, res.rows_accepted
    ('events', 1, 1)
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    data = wb.add_worksheet("Data")
    specs = fields(kind)
    for j, spec in enumerate(specs):
        data.write_string(0, j, header_text(spec), head)
        fmt = text if spec.parse in ("nip", "text", "kecamatan", "lower", "periode") else None
        data.set_column(j, j, max(14, len(header_text(spec)) + 4), fmt)
        data.write_string(1, j, EXAMPLES.get(spec.name, ""), fmt)
    data.freeze_panes(1, 0)
    info = wb.add_worksheet("Petunjuk")
    info.write_string(0, 0, f"Templat: {KIND_LABELS[kind]['id']}", wb.add_format({"bold": True, "font_size": 14}))
    info.write_string(1, 0, "Isi satu baris per data mulai baris 2 lembar 'Data'. Baris contoh boleh dihapus. "
                            "Tulis NIP sebagai teks (18 digit), angka desimal dengan koma (85,5), tanggal sebagai "
                            "tanggal Excel atau 12/03/2025.")
    for j, title in enumerate(("Judul kolom", "Nama baku", "Keterangan", "Wajib?", "Judul lain yang dikenali")):
        info.write_string(3, j, title, head)
    for i, spec in enumerate(specs, start=4):
        info.write_string(i, 0, header_text(spec))
        info.write_string(i, 1, spec.name)
        info.write_string(i, 2, spec.description, wrap)
        info.write_string(i, 3, _required_label(kind, spec, "id"))
        info.write_string(i, 4, ", ".join(spec.aliases[1:]), wrap)
    info.set_column(0, 1, 22)
    info.set_column(2, 2, 70)
    info.set_column(3, 3, 20)
    info.set_column(4, 4, 50)
    wb.close()
    return buf.getvalue()


def columns_markdown(kind: str, lang: str = "id") -> str:
    """The column table of a kind as Markdown (for the README and the app's help).

    Examples
    --------
    >>> print(columns_markdown("mentoring", "en").splitlines()[2])
    | `mentor_nip` | NIP Mentor | required | Mentor's NIP. |
    """
    en = lang == "en"
    head = ("| field | header in template | | meaning |" if en else "| kolom baku | judul di templat | | arti |")
    lines = [head, "|---|---|---|---|"]
    for spec in fields(kind):
        lines.append(f"| `{spec.name}` | {header_text(spec)} | {_required_label(kind, spec, lang)} | "
                     f"{spec.en if en else spec.description} |")
    return "\n".join(lines)
