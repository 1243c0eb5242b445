"""Row-level validation messages: what is wrong and what to do, in Indonesian and English.

Every issue the intake reports is built here, so each code has one wording. A message names the
column as the user wrote it and the value found.
"""

from __future__ import annotations

# code → (severity, Indonesian, English). Placeholders: {column}, {value}, {detail}.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "unknown_kecamatan": (
        "error",
        "Kecamatan '{value}' tidak dikenal.{near_id} Tulis nama kecamatan sesuai daftar resmi.",
        "District '{value}' is not known.{near_en} Write the name as in the official list."),
    "ambiguous_kecamatan": (
        "error",
        "Kecamatan '{value}' bisa berarti beberapa kecamatan ({detail}). Tulis nama lengkapnya.",
        "District '{value}' could mean several districts ({detail}). Write the full name."),
    "nip_as_number": (
        "error",
        "NIP '{value}' tersimpan sebagai angka, sehingga Excel sudah membuang digit terakhirnya. "
        "Format kolom {column} sebagai Teks di aplikasi sumber, ekspor ulang, lalu unggah lagi.",
        "NIP '{value}' is stored as a number, so Excel has already dropped its last digits. Format column "
        "{column} as Text in the source application, export again and upload."),
    "invalid_nip": (
        "error",
        "NIP '{value}' memuat karakter selain angka. NIP terdiri dari 18 digit.",
        "NIP '{value}' holds characters other than digits. An NIP has 18 digits."),
    "nip_structure": (
        "warning",
        "NIP '{value}' tidak mengikuti susunan NIP PNS (18 digit: tanggal lahir, TMT CPNS, jenis kelamin, "
        "nomor urut). Baris tetap diterima (nomor PPPK bisa berbeda); periksa bila ini PNS.",
        "NIP '{value}' does not follow the PNS layout (18 digits: birth date, TMT CPNS, sex, serial). The row "
        "is kept (PPPK numbers may differ); check it if this is a PNS."),
    "nip_truncated": (
        "warning",
        "NIP '{value}' berakhir dengan 000, padahal nomor urut NIP dimulai dari 001: kemungkinan NIP ini pernah "
        "tersimpan sebagai angka dan digit terakhirnya hilang. Baris tetap diterima; cocokkan dengan data "
        "kepegawaian, dan bila perlu format kolom {column} sebagai Teks lalu ekspor ulang.",
        "NIP '{value}' ends in 000, while NIP serials start at 001: it was probably stored as a number once "
        "and lost its last digits. The row is kept; check it against the personnel records and, if needed, "
        "format column {column} as Text and export again."),
    "invalid_number": (
        "error",
        "'{value}' di kolom {column} bukan angka. Tulis angka seperti 85 atau 85,5.",
        "'{value}' in column {column} is not a number. Write a number such as 85 or 85,5."),
    "invalid_date": (
        "error",
        "'{value}' di kolom {column} bukan tanggal yang dapat dibaca. Gunakan format tanggal Excel, "
        "12/03/2025 (hari/bulan/tahun) atau 12 Maret 2025.",
        "'{value}' in column {column} is not a readable date. Use an Excel date, 12/03/2025 (day/month/year) "
        "or 12 Maret 2025."),
    "date_order": (
        "error",
        "Tanggal selesai {value} lebih awal dari tanggal mulai {detail}. Periksa kedua tanggal.",
        "End date {value} is before start date {detail}. Check both dates."),
    "out_of_range": (
        "error",
        "Nilai {value} di kolom {column} di luar rentang yang diizinkan ({detail}). Perbaiki nilainya.",
        "Value {value} in column {column} is outside the allowed range ({detail}). Correct it."),
    "missing_value": (
        "error",
        "Kolom {column} wajib diisi pada baris ini.",
        "Column {column} must be filled in on this row."),
    "mixed_scale": (
        "error",
        "'{value}' di kolom {column} memakai skala lain dari isi kolom lainnya (angka dan predikat SKP tercampur). "
        "Gunakan satu skala per kolom.",
        "'{value}' in column {column} uses another scale than the rest of the column (numbers and SKP predikat "
        "mixed). Use one scale per column."),
    "invalid_category": (
        "error",
        "'{value}' di kolom {column} bukan pilihan yang dikenal.{choices_id}",
        "'{value}' in column {column} is not a known choice.{choices_en}"),
    "invalid_sex": (
        "warning",
        "'{value}' di kolom {column} bukan L/P; jawaban responden tetap dipakai, profilnya dikosongkan.",
        "'{value}' in column {column} is not L/P; the answers are kept, the profile field is left empty."),
    "duplicate_row": (
        "error",
        "Baris ini sama dengan baris {detail} (peserta dan program yang sama). Hapus salah satunya.",
        "This row repeats row {detail} (same participant and program). Remove one of them."),
    "conflicting_duplicate": (
        "error",
        "NIP, program dan triwulan yang sama dengan baris {detail}, tetapi nilai {column} berbeda: {value} di "
        "baris ini. Tidak jelas mana yang benar, jadi orang ini tidak dihitung pada ukuran ini sampai berkas "
        "diperbaiki. Hapus baris yang salah, lalu unggah lagi.",
        "Same NIP, program and quarter as row {detail}, but {column} differs: {value} on this row. It is not "
        "clear which is right, so this person is left out of this measure until the file is corrected. Remove "
        "the wrong row and upload again."),
    "missing_score": (
        "warning",
        "Kolom {column} kosong sedangkan pasangannya terisi. Baris tetap dihitung untuk partisipasi dan JP, "
        "tetapi tidak masuk analisis sebelum–sesudah ukuran ini.",
        "Column {column} is empty while its pair is filled in. The row still counts for participation and JP "
        "but is left out of this measure's before/after analysis."),
    "performance_scale_differs": (
        "warning",
        "Kinerja sebelum dan sesudah memakai skala berbeda (angka vs predikat, atau predikat lama vs 2022); "
        "keduanya tidak dapat dibandingkan. Gunakan skala yang sama.",
        "Performance before and after use different scales (numbers vs predikat, or old vs 2022 predikat); "
        "they cannot be compared. Use one scale."),
    "invalid_period": (
        "error",
        "'{value}' di kolom {column} bukan periode penilaian yang dapat dibaca. Tulis mis. 2025, 2025-S1, "
        "Semester I 2025, Triwulan II 2025, Juni 2025, atau tanggal akhir periode (30/06/2025).",
        "'{value}' in column {column} is not a readable appraisal period. Write e.g. 2025, 2025-S1, Semester I 2025, "
        "Triwulan II 2025, Juni 2025, or the period's last day (30/06/2025)."),
    "missing_period": (
        "error",
        "Periode penilaian baris ini tidak diketahui: kolom periode kosong dan judul lembar tidak menyebut periode "
        "(mis. 'Periode Triwulan I Tahun 2025'). Isi kolom Periode.",
        "The appraisal period of this row is unknown: the period column is empty and the sheet's title names "
        "none (e.g. 'Periode Triwulan I Tahun 2025'). Fill in the Periode column."),
    "no_appraisal": (
        "error",
        "Baris ini tidak berisi penilaian kinerja: isi predikat kinerja, kedua rating (hasil kerja dan perilaku "
        "kerja), atau nilai SKP.",
        "This row holds no appraisal: fill in the predikat, both ratings (results and behaviour), or the SKP "
        "score."),
    "predikat_mismatch": (
        "warning",
        "Predikat '{value}' tidak sesuai dengan kedua rating pada baris ini (matriks PermenPANRB 6/2022 memberi "
        "'{detail}'). Predikat yang tertulis tetap dipakai; periksa baris ini.",
        "Predikat '{value}' does not follow from the two ratings on this row (the PermenPANRB 6/2022 matrix gives "
        "'{detail}'). The predikat as written is used; check this row."),
    "predikat_derived": (
        "info",
        "Predikat kinerja diturunkan dari kedua rating dengan matriks PermenPANRB 6/2022 pada {detail} baris yang "
        "predikatnya kosong.",
        "The predikat was derived from the two ratings with the PermenPANRB 6/2022 matrix on {detail} rows whose "
        "predikat was empty."),
    "period_from_title": (
        "info",
        "Periode penilaian '{value}' dibaca dari judul lembar (baris {detail}) untuk baris yang kolom periodenya "
        "kosong.",
        "The appraisal period '{value}' was read from the sheet's title (row {detail}) for rows whose period "
        "column is empty."),
    "unknown_column": (
        "info",
        "Judul kolom '{column}' tidak dikenal dan diabaikan. Bila isinya diperlukan, petakan ke kolom baku.",
        "Header '{column}' is not known and was ignored. Map it to a field if its content is needed."),
    "duplicate_column": (
        "warning",
        "Kolom '{column}' berisi data yang sama jenisnya dengan kolom '{detail}'; hanya '{detail}' yang dipakai.",
        "Column '{column}' holds the same field as column '{detail}'; only '{detail}' is used."),
    "totals_row": (
        "info",
        "Baris jumlah/total dikenali dan tidak dihitung sebagai data.",
        "A totals row was recognised and not counted as data."),
    "footer_rows": (
        "info",
        "Baris {detail} di bawah baris jumlah (mis. tanda tangan) tidak dibaca sebagai data.",
        "Rows {detail} below the totals row (e.g. signatures) were not read as data."),
    "numbered_blank_rows": (
        "info",
        "Baris {detail} hanya berisi nomor urut tanpa data dan dilewati.",
        "Rows {detail} hold only a running number and no data; they were skipped."),
    "sheet_skipped": (
        "warning",
        "Lembar ini tampak berisi data yang sama, tetapi tidak punya kolom wajib ({detail}); lembar ini "
        "tidak dibaca. Tambahkan kolomnya, atau baca lembar ini sendiri dengan pemetaan (--sheet, --map).",
        "This sheet looks like the same data but lacks required columns ({detail}); it was not read. Add "
        "them, or read this sheet on its own with a mapping (--sheet, --map)."),
    "repeated_header": (
        "info",
        "Baris judul kolom yang berulang dilewati.",
        "A repeated header row was skipped."),
}


def issue(code: str, *, row: int | None, sheet: str | None, column: str | None, field: str | None,
          value: str | None, detail: str | None = None, severity: str | None = None) -> dict:
    """One issue record, with both languages' messages.

    Examples
    --------
    >>> i = issue("unknown_kecamatan", row=30, sheet="REKAP", column="Kec.", field="kecamatan",
    ...           value="Medan Raya", detail="Medan Barat")
    >>> i["severity"], i["message_en"]
    ('error', "District 'Medan Raya' is not known. Nearest: Medan Barat. Write the name as in the official list.")
    """
    default, text_id, text_en = TEMPLATES[code]
    fill = {
        "column": column or "", "value": value if value is not None else "", "detail": detail or "",
        "near_id": f" Yang paling mirip: {detail}." if detail else "",
        "near_en": f" Nearest: {detail}." if detail else "",
        "choices_id": f" Pilihan: {detail}." if detail else "",
        "choices_en": f" Choices: {detail}." if detail else "",
    }
    return {
        "row": row, "sheet": sheet, "column": column, "field": field, "value": value,
        "severity": severity or default, "code": code,
        "message_id": text_id.format(**fill), "message_en": text_en.format(**fill),
    }
