"""How the synthetic sample workbooks are laid out (``data/generate_sample.py`` builds the rows).

Like exports from Indonesian local government: an instructions sheet "Petunjuk" first, then the data
sheet with two title rows, a blank row, the header row (row 4), a "No" column, data rows and a closing
totals row; the appraisals laid out like BKN e-Kinerja's "Rekap Penilaian" (one sheet per quarter, three
title lines, header on row 5). Fixed properties and creation date keep every run byte-identical.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

CREATED = dt.datetime(2025, 12, 31, 9, 0, 0)
YEAR = 2025
LABEL = "DATA SINTETIS / SYNTHETIC"

FILES = {
    "training": "rekap_pelatihan_2025.xlsx",
    "feedback": "skm_2025.xlsx",
    "mentoring": "mentoring_2025.xlsx",
    "events": "kegiatan_masyarakat_2025.xlsx",
    "kinerja": "kinerja_2025.xlsx",
    "jp_lain": "jp_lain_2025.xlsx",
}
SHEETS = {"training": "REKAP", "feedback": "SKM", "mentoring": "MENTORING", "events": "KEGIATAN",
          "jp_lain": "PENGEMBANGAN"}
APPRAISAL_QUARTERS = (1, 2, 3, 4)  # e-Kinerja periodic appraisals of 2025, one sheet per quarter
# The appraisal workbook has one sheet per quarter, laid out like BKN e-Kinerja's "Rekap Penilaian":
# three title lines (agency, unit, period), a blank line, the header on row 5.
KINERJA_SHEETS = {q: f"TW {('I', 'II', 'III', 'IV')[q - 1]}" for q in APPRAISAL_QUARTERS}
KINERJA_HEADER_ROW = 5
HEADER_ROW = 4  # 1-based Excel row of the header on every data sheet

TRAINING_HEADERS = (
    "No", "NIP", "Nama Pegawai", "Unit Kerja", "Kecamatan", "Nama Pelatihan", "Jenis Program",
    "Kelompok", "Tanggal Mulai", "Tanggal Selesai", "JP", "Nilai Pre Test", "Nilai Post Test",
    "Nilai SKP Sebelum", "Nilai SKP Sesudah", "Kepuasan Peserta",
)
FEEDBACK_HEADERS = (
    "No", "Tanggal", "Unit Layanan", "Kecamatan", "Jenis Layanan",
    "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9",
    "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Kritik dan Saran",
)
MENTORING_HEADERS = (
    "No", "NIP Mentor", "NIP Mentee", "Kecamatan", "Tanggal Mulai", "Tanggal Selesai",
    "Jumlah Sesi", "JP",
)
EVENTS_HEADERS = (
    "No", "Jenis Kegiatan", "Tanggal", "Kecamatan", "Unit Layanan", "Jumlah Peserta",
    "Jumlah Masukan", "Catatan",
)
# e-Kinerja's columns, then the unit and kecamatan an analyst adds from the personnel records
KINERJA_HEADERS = (
    "No", "NIP", "Nama", "Jabatan", "Rating Hasil Kinerja", "Rating Perilaku Kerja",
    "Predikat Kinerja Periodik", "Unit Kerja", "Kecamatan",
)
# the potential assessment an analyst adds to the year's last appraisal sheet (for the talent box)
POTENSI_HEADER = "Potensi"
JP_LAIN_HEADERS = (
    "No", "NIP", "Nama", "Nama Kegiatan", "Bentuk Pengembangan", "Penyelenggara", "Tanggal Mulai",
    "Tanggal Selesai", "JP", "Nomor Sertifikat",
)


def _workbook(path: Path) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({
        "title": f"{path.stem} ({LABEL})",
        "subject": "Evaluasi Pembinaan ASN - sample data",
        "author": "data/generate_sample.py",
        "company": "Pemerintah Kota Medan (contoh sintetis)",
        "comments": "DATA SINTETIS / SYNTHETIC: not real people.",
        "created": CREATED,
    })
    return wb


def _petunjuk(wb: xlsxwriter.Workbook, title: str, lines: list[str]) -> None:
    ws = wb.add_worksheet("Petunjuk")
    bold = wb.add_format({"bold": True, "font_size": 13})
    red = wb.add_format({"bold": True, "font_color": "#C00000"})
    ws.set_column(0, 0, 120)
    ws.write_string(0, 0, title, bold)
    ws.write_string(1, 0, f"{LABEL} — bukan data pegawai atau warga sebenarnya / not real people.", red)
    for j, line in enumerate(lines):
        if line:
            ws.write_string(3 + j, 0, line)


def _data_sheet(wb: xlsxwriter.Workbook, kind: str, titles: tuple[str, str],
                headers: tuple[str, ...], rows: list[list], widths: list[int],
                decimals: dict[int, str], totals: dict[int, float] | None = None,
                totals_label: str = "JUMLAH") -> None:
    ws = wb.add_worksheet(SHEETS[kind])
    last_col = len(headers) - 1
    f_title = wb.add_format({"bold": True, "font_size": 12, "align": "center"})
    f_sub = wb.add_format({"italic": True, "align": "center", "font_color": "#C00000"})
    f_head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True, "bg_color": "#D9E1F2"})
    f_text = wb.add_format({"border": 1})
    f_date = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
    f_tot = wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2"})
    f_num = {j: wb.add_format({"border": 1, "num_format": fmt}) for j, fmt in decimals.items()}
    tot_fmt = "0.00" if totals_label != "JUMLAH" else None
    f_tot_num = {j: wb.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2",
                                   "num_format": tot_fmt or fmt}) for j, fmt in decimals.items()}
    ws.merge_range(0, 0, 0, last_col, titles[0], f_title)
    ws.merge_range(1, 0, 1, last_col, titles[1], f_sub)
    hr = HEADER_ROW - 1
    ws.set_row(hr, 30)
    for j, h in enumerate(headers):
        ws.write_string(hr, j, h, f_head)
        ws.set_column(j, j, widths[j])
    for r, row in enumerate(rows, start=hr + 1):
        for j, v in enumerate(row):
            if v is None:
                ws.write_blank(r, j, None, f_text)
            elif isinstance(v, str):
                ws.write_string(r, j, v, f_text)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), f_date)
            else:
                ws.write_number(r, j, v, f_num.get(j, f_text))
    first, last = hr + 1, hr + len(rows)
    if totals is not None:
        tr = last + 1
        first_total = min(totals)
        ws.merge_range(tr, 0, tr, first_total - 1, totals_label, f_tot)
        for j in range(first_total, last_col + 1):
            if j in totals:
                col = xl_col_to_name(j)
                fn = "SUM" if totals_label == "JUMLAH" else "AVERAGE"
                ws.write_formula(tr, j, f"={fn}({col}{first + 1}:{col}{last + 1})",
                                 f_tot_num.get(j, f_tot), totals[j])
            else:
                ws.write_blank(tr, j, None, f_tot)
    ws.freeze_panes(hr + 1, 0)
    ws.autofilter(hr, 0, last, last_col)


def _total(rows: list[list], j: int) -> float:
    return float(sum(v for row in rows if isinstance((v := row[j]), (int, float))))


def _mean(rows: list[list], j: int) -> float:
    vals = [row[j] for row in rows if isinstance(row[j], (int, float))]
    return float(sum(vals) / len(vals))


def write_training(path: Path, rows: list[list], bad: list[dict], truth: list[str]) -> None:
    wb = _workbook(path)
    n_part = sum(1 for r in rows if r[7] == "Peserta")
    lines = [
        "Rekapitulasi peserta pelatihan/pengembangan kompetensi ASN tahun 2025, dibuat oleh "
        "data/generate_sample.py dengan seed tetap: menjalankannya lagi menghasilkan berkas yang sama.",
        f"Lembar {SHEETS['training']}: satu baris per peserta per pelatihan ({n_part} baris 'Peserta'), "
        f"ditambah {len(rows) - n_part} ASN 'Pembanding' yang tidak mengikuti pelatihan apa pun "
        "(Nama Pelatihan dan JP kosong; hanya Nilai SKP sebelum dan sesudah).",
        "Nilai SKP Sebelum = penilaian kinerja 2024, Nilai SKP Sesudah = penilaian kinerja 2025 (skala 0-120).",
        "Nama kecamatan sengaja ditulis beragam (Kec. Medan Baru, KECAMATAN MEDAN BARU, medan baru, "
        "Medan-Baru, Baru) seperti pada ekspor sebenarnya; sebagian NIP ditulis dengan spasi; "
        "nilai kosong ditulis '-' atau dibiarkan kosong.",
        "",
        "Baris yang sengaja salah, untuk mencoba laporan validasi (nomor baris Excel):",
    ]
    describe = {
        "unknown_kecamatan": "Kecamatan 'Medan Raya' tidak ada di Kota Medan",
        "nip_as_number": "NIP tersimpan sebagai angka (digit terakhir hilang)",
        "out_of_range": "Nilai Post Test 120 (di luar 0-100)",
        "invalid_date": "Tanggal Mulai '31/04/2025' bukan tanggal yang sah",
        "duplicate_row": "peserta dan pelatihan yang sama tercatat dua kali",
    }
    for b in bad:
        extra = f" (sama dengan baris {b['duplicate_of_row']})" if "duplicate_of_row" in b else ""
        lines.append(f"  - Baris {b['row']}: {describe[b['code']]}{extra}.")
    lines += ["", "Kebenaran yang dibangun ke dalam data sintetis ini (untuk memeriksa dasbor):", *truth]
    _petunjuk(wb, f"PETUNJUK — REKAPITULASI PESERTA PELATIHAN ASN 2025 ({LABEL})", lines)
    _data_sheet(
        wb, "training",
        ("REKAPITULASI PESERTA PELATIHAN ASN — PEMERINTAH KOTA MEDAN TAHUN 2025 (DATA SINTETIS)",
         f"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia — {LABEL}"),
        TRAINING_HEADERS, rows,
        [6, 24, 34, 40, 22, 38, 12, 12, 13, 13, 6, 9, 9, 10, 10, 10],
        {10: "0", 11: "0.0", 12: "0.0", 13: "0.0", 14: "0.0", 15: "0.0"},
        totals={10: _total(rows, 10)},
    )
    wb.close()


def write_feedback(path: Path, rows: list[list], design: dict) -> None:
    wb = _workbook(path)
    trained = sum(1 for d in design.values() if d["trained"])
    lines = [
        "Hasil Survei Kepuasan Masyarakat (SKM) 2025 menurut PermenPANRB 14/2017, dibuat oleh "
        "data/generate_sample.py dengan seed tetap.",
        f"Lembar {SHEETS['feedback']}: satu baris per responden; {len(design)} unit layanan, dua putaran: "
        "sebelum program pelatihan (Februari-Maret 2025) dan sesudahnya (Oktober-November 2025).",
        "U1-U9 = sembilan unsur pelayanan, jawaban 1 (tidak baik) sampai 4 (sangat baik); sel kosong "
        "berarti responden tidak menjawab unsur itu.",
        "U1 Persyaratan; U2 Sistem, Mekanisme dan Prosedur; U3 Waktu Penyelesaian; U4 Biaya/Tarif; "
        "U5 Produk Spesifikasi Jenis Pelayanan; U6 Kompetensi Pelaksana; U7 Perilaku Pelaksana; "
        "U8 Sarana dan Prasarana; U9 Penanganan Pengaduan, Saran dan Masukan.",
        "",
        "Kebenaran yang dibangun: unit yang pegawainya mengikuti pelatihan "
        f"({trained} unit; nama unitnya sama dengan Unit Kerja pada rekap pelatihan) membaik lebih "
        f"banyak daripada {len(design) - trained} unit yang pegawainya tidak ikut. "
        "IKM awal sebagian besar B, sebagian C, beberapa A.",
        "Jumlah responden per unit per putaran 60-150: sebagian di bawah ukuran sampel Krejcie-Morgan.",
    ]
    _petunjuk(wb, f"PETUNJUK — SURVEI KEPUASAN MASYARAKAT 2025 ({LABEL})", lines)
    _data_sheet(
        wb, "feedback",
        ("REKAPITULASI SURVEI KEPUASAN MASYARAKAT — PEMERINTAH KOTA MEDAN TAHUN 2025 (DATA SINTETIS)",
         f"Data responden per unit layanan — {LABEL}"),
        FEEDBACK_HEADERS, rows,
        [6, 12, 40, 22, 26, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 6, 10, 18, 50],
        {j: "0" for j in range(5, 14)} | {15: "0"},
        totals={j: _mean(rows, j) for j in range(5, 14)}, totals_label="RATA-RATA",
    )
    wb.close()


def write_mentoring(path: Path, rows: list[list]) -> None:
    wb = _workbook(path)
    per_mentor: dict[str, int] = {}
    for row in rows:
        per_mentor[row[1]] = per_mentor.get(row[1], 0) + 1
    lines = [
        "Pasangan mentor-mentee program 'Mentoring Senior-Junior Kecamatan' 2025, dibuat oleh "
        "data/generate_sample.py dengan seed tetap.",
        f"Lembar {SHEETS['mentoring']}: satu baris per pasangan ({len(rows)} pasangan, "
        f"{len(per_mentor)} mentor). NIP mentor dan mentee adalah ASN pada rekap pelatihan "
        "(rekap_pelatihan_2025.xlsx); mentor adalah ASN senior di kecamatan yang sama dan membimbing "
        f"{min(per_mentor.values())} sampai {max(per_mentor.values())} mentee.",
        "JP = 4 JP per sesi; sebagian JP belum diisi.",
    ]
    _petunjuk(wb, f"PETUNJUK — MENTORING SENIOR-JUNIOR 2025 ({LABEL})", lines)
    _data_sheet(
        wb, "mentoring",
        ("DAFTAR PASANGAN MENTORING SENIOR-JUNIOR KECAMATAN — PEMERINTAH KOTA MEDAN TAHUN 2025 "
         "(DATA SINTETIS)", f"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia — {LABEL}"),
        MENTORING_HEADERS, rows, [6, 24, 24, 22, 13, 13, 11, 6], {6: "0", 7: "0"},
        totals={6: _total(rows, 6), 7: _total(rows, 7)},
    )
    wb.close()


def write_events(path: Path, rows: list[list]) -> None:
    wb = _workbook(path)
    lines = [
        "Kegiatan pelibatan masyarakat 2025 (Forum Warga dan Open House unit layanan), dibuat oleh "
        "data/generate_sample.py dengan seed tetap.",
        f"Lembar {SHEETS['events']}: satu baris per kegiatan ({len(rows)} kegiatan). Unit Layanan sama "
        "dengan unit pada survei kepuasan masyarakat (skm_2025.xlsx).",
        "Jumlah Masukan kosong berarti belum direkap.",
    ]
    _petunjuk(wb, f"PETUNJUK — KEGIATAN PELIBATAN MASYARAKAT 2025 ({LABEL})", lines)
    _data_sheet(
        wb, "events",
        ("REKAPITULASI FORUM WARGA DAN OPEN HOUSE — PEMERINTAH KOTA MEDAN TAHUN 2025 (DATA SINTETIS)",
         f"Kegiatan pelibatan masyarakat per unit layanan — {LABEL}"),
        EVENTS_HEADERS, rows, [6, 14, 12, 22, 40, 10, 10, 50], {5: "0", 6: "0"},
        totals={5: _total(rows, 5), 6: _total(rows, 6)},
    )
    wb.close()


def write_jp_lain(path: Path, rows: list[list]) -> None:
    wb = _workbook(path)
    lines = [
        "Pengembangan kompetensi lain ASN Pemerintah Kota Medan (di luar program kota): seminar, webinar, "
        "e-learning mandiri, bimbingan teknis, kursus, magang; dibuat oleh data/generate_sample.py dengan seed tetap.",
        f"Lembar {SHEETS['jp_lain']}: satu baris per pegawai per kegiatan ({len(rows)} kegiatan). NIP sama dengan rekap "
        "pelatihan dan penilaian kinerja; JP yang diakui dijumlahkan dengan pelatihan dan mentoring terhadap target "
        "20 JP per tahun (tahun tanggal mulai).",
        "Sebagian kecil kegiatan berlangsung November-Desember 2024: JP-nya dihitung untuk tahun 2024.",
    ]
    _petunjuk(wb, f"PETUNJUK — PENGEMBANGAN KOMPETENSI LAIN 2025 ({LABEL})", lines)
    _data_sheet(
        wb, "jp_lain",
        ("REKAPITULASI PENGEMBANGAN KOMPETENSI LAIN ASN — PEMERINTAH KOTA MEDAN TAHUN 2025 (DATA SINTETIS)",
         f"Badan Kepegawaian dan Pengembangan Sumber Daya Manusia — {LABEL}"),
        JP_LAIN_HEADERS, rows, [6, 24, 34, 42, 18, 44, 13, 13, 6, 18], {8: "0"},
        totals={8: _total(rows, 8)},
    )
    wb.close()


def write_kinerja(path: Path, sheets: dict[int, list[list]], truth: list[str],
                  potensi: dict[str, object] | None = None) -> None:
    wb = _workbook(path)
    lines = [
        "Penilaian kinerja periodik (e-Kinerja) ASN Pemerintah Kota Medan per triwulan 2025, dibuat oleh "
        "data/generate_sample.py dengan seed tetap.",
        f"Satu lembar per triwulan ({', '.join(KINERJA_SHEETS.values())}), tersusun seperti ekspor \"Rekap Penilaian\" "
        "e-Kinerja BKN: tiga baris judul (instansi, unit, periode), baris kosong, lalu kolom No, NIP, Nama, Jabatan, "
        "Rating Hasil Kinerja, Rating Perilaku Kerja, Predikat Kinerja Periodik. Periode hanya tertulis di judul.",
        "Kolom Unit Kerja dan Kecamatan ditambahkan dari data kepegawaian (ekspor e-Kinerja tidak memuatnya); "
        "lembar TW IV juga memuat kolom Potensi (hasil penilaian potensi tahun ini: rendah, menengah, tinggi atau "
        "skor 0-100; kosong bila belum dinilai) untuk kotak manajemen talenta.",
        "Pegawai yang sama dengan rekap pelatihan dan pasangan mentoring, ditambah ASN 'Pembanding' yang tidak "
        "mengikuti program apa pun. Sekitar 1% pegawai tidak dinilai pada suatu triwulan; sebagian kecil predikat "
        "dikosongkan (diturunkan dari kedua rating dengan matriks PermenPANRB 6/2022).",
        "",
        "Kebenaran yang dibangun ke dalam data sintetis ini (untuk memeriksa dasbor):",
        *truth,
    ]
    _petunjuk(wb, f"PETUNJUK — PENILAIAN KINERJA PERIODIK 2025 ({LABEL})", lines)
    f_text = wb.add_format({})
    f_nip = wb.add_format({"num_format": "@"})
    f_head = wb.add_format({"bold": True, "border": 1, "bg_color": "#D9E1F2"})
    for q, rows in sheets.items():
        ws = wb.add_worksheet(KINERJA_SHEETS[q])
        ws.write_string(0, 0, "1275 - Pemerintah Kota Medan (DATA SINTETIS)")
        ws.write_string(1, 0, f"Semua unit kerja — {LABEL}")
        ws.write_string(2, 0, f"Periode Triwulan {('I', 'II', 'III', 'IV')[q - 1]} Tahun {YEAR}")
        hr = KINERJA_HEADER_ROW - 1
        with_potensi = potensi is not None and q == APPRAISAL_QUARTERS[-1]
        headers = KINERJA_HEADERS + ((POTENSI_HEADER,) if with_potensi else ())
        for j, h in enumerate(headers):
            ws.write_string(hr, j, h, f_head)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 21, f_nip)
        ws.set_column(2, 3, 32)
        ws.set_column(4, 6, 22)
        ws.set_column(7, 7, 40)
        ws.set_column(8, 8, 22)
        if with_potensi:
            ws.set_column(9, 9, 10)
            rows = [row + [potensi.get(row[1])] for row in rows]
        for r, row in enumerate(rows, start=hr + 1):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, j, v, f_nip if j == 1 else f_text)
                else:
                    ws.write_number(r, j, v)
        ws.freeze_panes(hr + 1, 0)
    wb.close()
