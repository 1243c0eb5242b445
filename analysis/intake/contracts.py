"""The data contracts: one pandera ``DataFrameModel`` per kind of input.

Each contract is declared below as a class in pandera's model syntax; :data:`MODELS` makes the
pandera ``DataFrameModel`` of a kind on first use. Reading the declarations needs no pandera, so
the upload worker — which checks the rows with :func:`row_failures` — never imports it (its
import costs as much as pandas'), and they need no pandas either: the upload worker finds the header
before it imports pandas (:mod:`analysis.intake.opening`). The models are the single source for the column names, what each column means (``description=``,
Indonesian; ``metadata["en"]``, English), the header aliases real exports use
(``metadata["aliases"]``), how a cell is parsed (``metadata["parse"]``), and the allowed values.
The Excel templates (``analysis.intake.templates``), the README's column tables and the validator's
messages are all generated from them.

Parse kinds (see ``analysis.intake.normalise``): ``text``, ``lower`` (lower-case category text),
``nip``, ``number``, ``answer`` (an SKM answer 1–4 or its label), ``date``, ``kecamatan``, ``performance`` (a number or an SKP predikat,
PermenPANRB 6/2022 or PP 46/2011), ``kelompok``, ``kegiatan``, ``sex``, and for appraisals ``periode``
(a period as written), ``rating`` and ``predikat`` (PermenPANRB 6/2022), ``potensi``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from functools import cache, lru_cache

from analysis.core.kinds import KIND_LABELS, KINDS  # noqa: F401  (the contracts are per kind)

if TYPE_CHECKING:  # the declarations' annotations, read by pandera when MODELS makes a model
    import pandas as pd
    from pandera.typing import Series

# The nine SKM elements (unsur) of PermenPANRB 14/2017.
UNSUR = {
    "u1": ("Persyaratan", "Requirements"),
    "u2": ("Sistem, Mekanisme dan Prosedur", "System, mechanism and procedure"),
    "u3": ("Waktu Penyelesaian", "Completion time"),
    "u4": ("Biaya/Tarif", "Cost/tariff"),
    "u5": ("Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    "u6": ("Kompetensi Pelaksana", "Staff competence"),
    "u7": ("Perilaku Pelaksana", "Staff behaviour"),
    "u8": ("Sarana dan Prasarana", "Facilities"),
    "u9": ("Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
}


@dataclass(frozen=True)
class Declared:
    """A contract field as declared (what :func:`F` returns); :data:`MODELS` turns it into a
    ``pandera.Field``. ``checks`` are pandera's keyword checks (``ge=0``, ``isin=[…]``)."""

    description: str
    en: str
    parse: str
    aliases: tuple[str, ...]
    required: bool
    checks: dict = field(default_factory=dict)

    @property
    def nullable(self) -> bool:
        return not self.required

    @property
    def metadata(self) -> dict:
        return {"en": self.en, "parse": self.parse, "aliases": self.aliases}

    def to_pandera(self):
        """The ``pandera.Field`` of this declaration."""
        import pandera.pandas as pa

        return pa.Field(nullable=self.nullable, required=self.required, description=self.description,
                        metadata=self.metadata, **self.checks)


def F(description: str, en: str, *, parse: str = "text", aliases: tuple[str, ...] = (),
      required: bool = True, **checks) -> Declared:
    """A contract field: ``required`` means the column must exist and no cell may be empty.

    Examples
    --------
    >>> f = F("Nilai.", "Score.", parse="number", aliases=("Nilai",), required=False, ge=0)
    >>> f.metadata["parse"], f.nullable, f.to_pandera().checks[0].name
    ('number', True, 'greater_than_or_equal_to')
    """
    return Declared(description, en, parse, tuple(aliases), required, dict(checks))


def _kecamatan_field(description: str, en: str) -> Declared:
    # Names are normalised to the official list (data/kecamatan_medan.csv; Kepmendagri 300.2.2-2138/2025).
    return F(description, en, parse="kecamatan",
             aliases=("Kecamatan", "Kec", "Kec.", "Wilayah", "District", "Nama Kecamatan"))


class _Contract:
    """A contract as declared: each annotated attribute is a field (:func:`F`), in order."""

    class Config:
        strict = False  # bookkeeping columns (_row, _sheet) ride along
        coerce = False  # normalise.py converts; pandera only checks


class Training(_Contract):
    """Satu baris per peserta per program (Kirkpatrick L1–L3)."""

    nip: Series[str] = F(
        "NIP pegawai, 18 digit (tulis sebagai teks, boleh dengan spasi).",
        "Civil-servant id (NIP), 18 digits, written as text.",
        parse="nip", aliases=("NIP", "NIP Pegawai", "NIP Peserta", "NIP ASN", "NIP/NIPPPK", "NIPPPK"))
    nama: Series[str] = F(
        "Nama lengkap pegawai.", "Full name.",
        aliases=("Nama", "Nama Pegawai", "Nama Peserta", "Nama ASN", "Nama Lengkap"))
    unit_kerja: Series[str] = F(
        "Unit kerja / perangkat daerah tempat pegawai bertugas.", "Work unit / agency.",
        aliases=("Unit Kerja", "OPD", "Perangkat Daerah", "Instansi", "Satuan Kerja", "Satker",
                 "Unit Organisasi", "SKPD"))
    kecamatan: Series[str] = _kecamatan_field(
        "Kecamatan tempat unit kerja (nama resmi atau bentuk umum, mis. 'Kec. Medan Baru').",
        "District of the work unit (official or common spelling).")
    program: Series[str] = F(
        "Nama program/pelatihan. Boleh kosong untuk kelompok pembanding.",
        "Program name. May be empty for comparison-group rows.",
        required=False,
        aliases=("Program", "Nama Program", "Pelatihan", "Nama Pelatihan", "Diklat", "Nama Diklat",
                 "Kegiatan", "Nama Kegiatan", "Jenis Diklat"))
    jenis_program: Series[str] = F(
        "Jenis program: pelatihan, workshop, mentoring, e-learning, dst.",
        "Program type: training, workshop, mentoring, e-learning, …",
        parse="lower", required=False,
        aliases=("Jenis Program", "Jenis Pelatihan", "Bentuk Pelatihan", "Jenis Kegiatan", "Metode"))
    kelompok: Series[str] = F(
        "'Peserta' (ikut program) atau 'Pembanding' (tidak ikut; kelompok pembanding). Kosong = peserta.",
        "'Peserta' (took part) or 'Pembanding' (comparison group). Empty = participant.",
        parse="kelompok", required=False, isin=["peserta", "pembanding"],
        aliases=("Kelompok", "Status Peserta", "Grup", "Group", "Status Kepesertaan"))
    tanggal_mulai: Series[pd.Timestamp] = F(
        "Tanggal mulai program (tanggal Excel, 12/03/2025 atau 12 Maret 2025). Wajib untuk peserta.",
        "Start date (Excel date, day-first text or Indonesian month name). Required for participants.",
        parse="date", required=False,
        aliases=("Tanggal Mulai", "Tgl Mulai", "Tanggal Pelaksanaan", "Tgl Pelaksanaan", "Start Date",
                 "Tanggal", "Tanggal Kegiatan", "Waktu Pelaksanaan"))
    tanggal_selesai: Series[pd.Timestamp] = F(
        "Tanggal selesai program (opsional).", "End date (optional).",
        parse="date", required=False,
        aliases=("Tanggal Selesai", "Tgl Selesai", "Tanggal Akhir", "End Date", "Sampai Tanggal"))
    jp: Series[float] = F(
        "Jam pelajaran (1 JP = 45 menit). Wajib untuk peserta.",
        "Learning hours (1 JP = 45 minutes). Required for participants.",
        parse="number", required=False, gt=0, le=1000,
        aliases=("JP", "Jumlah JP", "Jam Pelajaran", "Jumlah Jam Pelajaran", "Total JP"))
    nilai_pre: Series[float] = F(
        "Nilai pre-test 0–100 (Kirkpatrick L2).", "Pre-test score 0–100 (Kirkpatrick L2).",
        parse="number", required=False, ge=0, le=100,
        aliases=("Nilai Pre Test", "Pre Test", "Pretest", "Nilai Awal", "Nilai Pre-Test", "Pre-Test",
                 "Nilai Pretest", "Nilai Pre", "Skor Pre Test", "Skor Pretest", "Skor Awal", "Pre Test Score",
                 "Nilai Tes Awal", "Tes Awal"))
    nilai_post: Series[float] = F(
        "Nilai post-test 0–100 (Kirkpatrick L2).", "Post-test score 0–100 (Kirkpatrick L2).",
        parse="number", required=False, ge=0, le=100,
        aliases=("Nilai Post Test", "Post Test", "Posttest", "Nilai Akhir", "Nilai Post-Test",
                 "Post-Test", "Nilai Posttest", "Nilai Post", "Skor Post Test", "Skor Posttest", "Skor Akhir",
                 "Post Test Score", "Nilai Tes Akhir", "Tes Akhir"))
    kinerja_sebelum: Series[Any] = F(
        "Kinerja sebelum program: nilai 0–120 (SKP lama) atau predikat SKP (Sangat Baik … Sangat Kurang).",
        "Performance before: a 0–120 score or an SKP predikat.",
        parse="performance", required=False,
        aliases=("Kinerja Sebelum", "Nilai Kinerja Sebelum", "Nilai SKP Sebelum", "Predikat Sebelum",
                 "SKP Sebelum", "Predikat Kinerja Sebelum", "Capaian Kinerja Sebelum", "Predikat SKP Sebelum"))
    kinerja_sesudah: Series[Any] = F(
        "Kinerja sesudah program: nilai 0–120 atau predikat SKP.",
        "Performance after: a 0–120 score or an SKP predikat.",
        parse="performance", required=False,
        aliases=("Kinerja Sesudah", "Kinerja Setelah", "Nilai Kinerja Sesudah", "Nilai SKP Sesudah",
                 "Predikat Sesudah", "SKP Sesudah", "Nilai Kinerja Setelah", "Nilai SKP Setelah",
                 "Predikat Setelah", "Predikat Kinerja Sesudah", "Capaian Kinerja Sesudah", "Predikat SKP Sesudah"))
    kepuasan_peserta: Series[float] = F(
        "Kepuasan peserta terhadap program, 1–5 (Kirkpatrick L1).",
        "Participant satisfaction 1–5 (Kirkpatrick L1).",
        parse="number", required=False, ge=1, le=5,
        aliases=("Kepuasan Peserta", "Kepuasan", "Nilai Kepuasan", "Skor Kepuasan", "Evaluasi Reaksi"))


def _unsur_field(key: str) -> Declared:
    name_id, name_en = UNSUR[key]
    n = key[1:]
    return F(f"Unsur {n} — {name_id}: jawaban 1–4 (1 Tidak Baik … 4 Sangat Baik). Kosong = tidak dijawab.",
             f"Element {n} — {name_en}: answer 1–4. Empty = not answered.",
             parse="answer", required=False, isin=[1.0, 2.0, 3.0, 4.0],
             aliases=(f"U{n}", f"Unsur {n}", f"U {n}", f"Unsur{n}", f"U{n} {name_id}", name_id,
                      f"Unsur {n} {name_id}"))


class Feedback(_Contract):
    """Satu baris per responden SKM (PermenPANRB 14/2017)."""

    tanggal: Series[pd.Timestamp] = F(
        "Tanggal survei.", "Survey date.", parse="date",
        aliases=("Tanggal", "Tgl", "Tanggal Survei", "Tanggal Pengisian", "Waktu", "Date", "Timestamp",
                 "Stempel waktu", "Cap waktu", "Waktu Pengisian"))
    unit_layanan: Series[str] = F(
        "Unit layanan yang dinilai.", "Service unit rated.",
        aliases=("Unit Layanan", "Unit Pelayanan", "Nama Unit", "Unit", "Nama Unit Layanan",
                 "Unit Penyelenggara Pelayanan", "UPP"))
    kecamatan: Series[str] = _kecamatan_field("Kecamatan unit layanan.", "District of the service unit.")
    jenis_layanan: Series[str] = F(
        "Jenis layanan yang diterima responden (opsional).", "Service received (optional).",
        required=False, aliases=("Jenis Layanan", "Layanan", "Jenis Pelayanan", "Nama Layanan"))
    u1: Series[float] = _unsur_field("u1")
    u2: Series[float] = _unsur_field("u2")
    u3: Series[float] = _unsur_field("u3")
    u4: Series[float] = _unsur_field("u4")
    u5: Series[float] = _unsur_field("u5")
    u6: Series[float] = _unsur_field("u6")
    u7: Series[float] = _unsur_field("u7")
    u8: Series[float] = _unsur_field("u8")
    u9: Series[float] = _unsur_field("u9")
    jenis_kelamin: Series[str] = F(
        "Jenis kelamin responden: L atau P (opsional).", "Respondent sex: L or P (optional).",
        parse="sex", required=False, aliases=("Jenis Kelamin", "JK", "L/P", "Gender", "Kelamin"))
    usia: Series[float] = F(
        "Usia responden dalam tahun (opsional).", "Respondent age in years (optional).",
        parse="number", required=False, ge=10, le=110, aliases=("Usia", "Umur", "Age", "Usia (Tahun)"))
    pendidikan: Series[str] = F(
        "Pendidikan terakhir responden (opsional).", "Respondent education (optional).",
        required=False, aliases=("Pendidikan", "Pendidikan Terakhir", "Education"))
    pekerjaan: Series[str] = F(
        "Pekerjaan responden (opsional).", "Respondent occupation (optional).",
        required=False, aliases=("Pekerjaan", "Pekerjaan Utama", "Occupation"))
    saran: Series[str] = F(
        "Kritik, saran atau masukan (teks bebas, opsional).", "Suggestion or complaint (free text).",
        required=False, aliases=("Saran", "Kritik dan Saran", "Masukan", "Kritik/Saran", "Saran dan Masukan",
                                 "Komentar", "Kritik & Saran"))


class Mentoring(_Contract):
    """Satu baris per pasangan mentor–mentee."""

    mentor_nip: Series[str] = F(
        "NIP mentor (pegawai senior), 18 digit sebagai teks.", "Mentor's NIP.",
        parse="nip", aliases=("NIP Mentor", "Mentor NIP", "NIP Pembimbing", "NIP Senior"))
    mentee_nip: Series[str] = F(
        "NIP mentee (pegawai junior), 18 digit sebagai teks.", "Mentee's NIP.",
        parse="nip", aliases=("NIP Mentee", "Mentee NIP", "NIP Peserta", "NIP Junior", "NIP Yang Dibimbing"))
    kecamatan: Series[str] = _kecamatan_field("Kecamatan tempat mentoring.", "District of the mentoring.")
    tanggal_mulai: Series[pd.Timestamp] = F(
        "Tanggal mulai mentoring.", "Start date.", parse="date",
        aliases=("Tanggal Mulai", "Tgl Mulai", "Start Date", "Mulai"))
    tanggal_selesai: Series[pd.Timestamp] = F(
        "Tanggal selesai mentoring (kosong bila masih berjalan).", "End date (empty while ongoing).",
        parse="date", required=False, aliases=("Tanggal Selesai", "Tgl Selesai", "End Date", "Selesai"))
    jumlah_sesi: Series[float] = F(
        "Jumlah sesi mentoring yang terlaksana.", "Number of sessions held.",
        parse="number", ge=0, le=1000, aliases=("Jumlah Sesi", "Sesi", "Jumlah Pertemuan", "Banyak Sesi"))
    jp: Series[float] = F(
        "Jam pelajaran yang diakui (opsional; 1 JP = 45 menit).", "Recognised learning hours (optional).",
        parse="number", required=False, ge=0, le=1000, aliases=("JP", "Jumlah JP", "Jam Pelajaran"))


class Events(_Contract):
    """Satu baris per forum warga atau open house."""

    jenis_kegiatan: Series[str] = F(
        "Jenis kegiatan: Forum (forum warga, konsultasi publik) atau Open House.",
        "Event type: forum or open house.",
        parse="kegiatan", aliases=("Jenis Kegiatan", "Kegiatan", "Jenis", "Tipe Kegiatan", "Nama Kegiatan"))
    tanggal: Series[pd.Timestamp] = F(
        "Tanggal kegiatan.", "Event date.", parse="date",
        aliases=("Tanggal", "Tgl", "Tanggal Kegiatan", "Tanggal Pelaksanaan", "Date"))
    kecamatan: Series[str] = _kecamatan_field("Kecamatan tempat kegiatan.", "District of the event.")
    unit_layanan: Series[str] = F(
        "Unit layanan penyelenggara.", "Organising service unit.",
        aliases=("Unit Layanan", "Unit Pelayanan", "Nama Unit", "Unit", "Penyelenggara"))
    jumlah_peserta: Series[float] = F(
        "Jumlah warga yang hadir.", "Number of attendees.",
        parse="number", ge=0, le=1_000_000, aliases=("Jumlah Peserta", "Peserta", "Jumlah Hadir", "Jumlah Warga"))
    jumlah_masukan: Series[float] = F(
        "Jumlah masukan/usulan yang diterima (opsional).", "Number of suggestions received (optional).",
        parse="number", required=False, ge=0, le=1_000_000,
        aliases=("Jumlah Masukan", "Masukan", "Jumlah Usulan", "Jumlah Saran"))
    catatan: Series[str] = F(
        "Catatan (opsional).", "Notes (optional).", required=False,
        aliases=("Catatan", "Keterangan", "Ket", "Notes"))


class Kinerja(_Contract):
    """Satu baris per pegawai per periode penilaian (SKP / e-Kinerja; PermenPANRB 6/2022).

    e-Kinerja's "Rekap Penilaian" export writes the period in a title line above the table
    ("Periode Bulanan 6 Tahun 2026") and holds neither unit nor kecamatan columns: ``periode`` is read
    from the title where the column is missing or empty (``analysis.intake.kinerja``), and the unit
    and kecamatan are optional. A row needs an appraisal: the predikat, both ratings (the predikat
    is then derived by the PermenPANRB 6/2022 matrix), or a legacy numeric ``nilai``.
    """

    nip: Series[str] = F(
        "NIP pegawai, 18 digit (tulis sebagai teks).", "Civil-servant id (NIP), 18 digits, written as text.",
        parse="nip", aliases=("NIP", "NIP Pegawai", "NIP ASN", "NIP/NIPPPK", "NIPPPK", "NIP Baru"))
    nama: Series[str] = F(
        "Nama lengkap pegawai.", "Full name.",
        aliases=("Nama", "Nama Pegawai", "Nama ASN", "Nama Lengkap"))
    jabatan: Series[str] = F(
        "Jabatan pegawai (opsional).", "Position (optional).",
        required=False, aliases=("Jabatan", "Nama Jabatan", "Jabatan Pegawai"))
    unit_kerja: Series[str] = F(
        "Unit kerja / perangkat daerah (opsional; dipakai untuk mencocokkan kelompok pembanding menurut jenis unit).",
        "Work unit / agency (optional; used to match the comparison group by unit type).",
        required=False,
        aliases=("Unit Kerja", "OPD", "Perangkat Daerah", "Satuan Kerja", "Satker", "Unit Organisasi", "SKPD"))
    kecamatan: Series[str] = F(
        "Kecamatan tempat unit kerja (opsional; dipakai untuk mencocokkan kelompok pembanding).",
        "District of the work unit (optional; used to match the comparison group).",
        parse="kecamatan", required=False,
        aliases=("Kecamatan", "Kec", "Kec.", "Wilayah", "District", "Nama Kecamatan"))
    periode: Series[str] = F(
        "Periode penilaian: 2025, 2025-S1, Semester I 2025, Triwulan II 2025, Juni 2025, atau tanggal akhir "
        "periode. Boleh kosong bila judul lembar menyebut periodenya (mis. 'Periode Bulanan 6 Tahun 2026').",
        "Appraisal period: 2025, 2025-S1, Semester I 2025, Triwulan II 2025, Juni 2025, or the period's last "
        "day. May be empty when the sheet's title names it (e.g. 'Periode Bulanan 6 Tahun 2026').",
        parse="periode", required=False,
        aliases=("Periode", "Periode Penilaian", "Periode SKP", "Periode Kinerja", "Masa Penilaian",
                 "Tahun Penilaian", "Tahun"))
    rating_hasil_kerja: Series[Any] = F(
        "Rating hasil kerja: Di bawah ekspektasi, Sesuai ekspektasi atau Di atas ekspektasi (PermenPANRB 6/2022).",
        "Rating of work results: below, as or above expectation (PermenPANRB 6/2022).",
        parse="rating", required=False,
        aliases=("Rating Hasil Kerja", "Rating Hasil Kinerja", "Hasil Kerja", "Rating Hasil", "Hasil Kinerja"))
    rating_perilaku_kerja: Series[Any] = F(
        "Rating perilaku kerja: Di bawah ekspektasi, Sesuai ekspektasi atau Di atas ekspektasi (PermenPANRB 6/2022).",
        "Rating of work behaviour: below, as or above expectation (PermenPANRB 6/2022).",
        parse="rating", required=False,
        aliases=("Rating Perilaku Kerja", "Perilaku Kerja", "Rating Perilaku", "Rating Hasil Perilaku"))
    predikat_kinerja: Series[Any] = F(
        "Predikat kinerja: Sangat Baik, Baik, Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang. Bila kosong, "
        "diturunkan dari kedua rating (matriks PermenPANRB 6/2022).",
        "Performance predikat (Sangat Baik … Sangat Kurang); derived from the two ratings when empty "
        "(PermenPANRB 6/2022 matrix).",
        parse="predikat", required=False,
        aliases=("Predikat Kinerja", "Predikat Kinerja Periodik", "Predikat Kinerja Tahunan", "Predikat",
                 "Predikat Kinerja Pegawai", "Predikat SKP"))
    nilai: Series[float] = F(
        "Nilai SKP lama 0–120 (PP 46/2011), bila ada (opsional).",
        "Legacy numeric SKP score 0–120 (PP 46/2011), where available (optional).",
        parse="number", required=False, ge=0, le=120,
        aliases=("Nilai SKP", "Nilai Kinerja", "Nilai Prestasi Kerja", "Capaian SKP",
                 "Nilai Capaian Kinerja"))
    potensi: Series[str] = F(
        "Potensi pegawai: rendah, menengah, tinggi, atau skor penilaian potensi 0–100 (opsional).",
        "Potential: rendah, menengah, tinggi, or an assessment score 0–100 (optional).",
        parse="potensi", required=False,
        aliases=("Potensi", "Potensial", "Nilai Potensi", "Kategori Potensi", "Hasil Penilaian Potensi"))


class JpLain(_Contract):
    """Satu baris per kegiatan pengembangan kompetensi lain per pegawai: seminar, webinar, e-learning
    mandiri, magang, bimbingan teknis di luar program kota (PerLAN 10/2018: klasikal dan nonklasikal).
    Jam pelajarannya dijumlahkan dengan pelatihan dan mentoring terhadap target JP tahunan."""

    nip: Series[str] = F(
        "NIP pegawai, 18 digit (tulis sebagai teks).", "Civil-servant id (NIP), 18 digits, written as text.",
        parse="nip", aliases=("NIP", "NIP Pegawai", "NIP ASN", "NIP/NIPPPK", "NIPPPK", "NIP Peserta"))
    nama: Series[str] = F(
        "Nama lengkap pegawai (opsional).", "Full name (optional).",
        required=False, aliases=("Nama", "Nama Pegawai", "Nama ASN", "Nama Lengkap", "Nama Peserta"))
    kegiatan: Series[str] = F(
        "Nama kegiatan pengembangan kompetensi (mis. 'Webinar Keterbukaan Informasi').",
        "Name of the development activity.",
        aliases=("Nama Kegiatan Pengembangan", "Kegiatan Pengembangan", "Nama Kegiatan", "Kegiatan",
                 "Judul Kegiatan", "Nama Pengembangan Kompetensi", "Pengembangan Kompetensi"))
    bentuk: Series[str] = F(
        "Bentuk pengembangan: seminar, webinar, e-learning, magang, bimtek, kursus, dst. (opsional).",
        "Form of development: seminar, webinar, e-learning, internship, technical guidance … (optional).",
        parse="lower", required=False,
        aliases=("Bentuk Pengembangan", "Jenis Pengembangan", "Bentuk", "Jalur", "Bentuk Kegiatan"))
    penyelenggara: Series[str] = F(
        "Penyelenggara kegiatan (opsional).", "Organiser (optional).",
        required=False, aliases=("Penyelenggara", "Instansi Penyelenggara", "Lembaga Penyelenggara", "Lembaga"))
    tanggal_mulai: Series[pd.Timestamp] = F(
        "Tanggal mulai kegiatan; tahunnya menentukan tahun JP dihitung.",
        "Start date; its year is the year the JP count towards.",
        parse="date", aliases=("Tanggal Mulai", "Tgl Mulai", "Tanggal", "Tanggal Kegiatan", "Tanggal Pelaksanaan"))
    tanggal_selesai: Series[pd.Timestamp] = F(
        "Tanggal selesai (opsional).", "End date (optional).",
        parse="date", required=False, aliases=("Tanggal Selesai", "Tgl Selesai", "Tanggal Akhir", "Sampai Tanggal"))
    jp: Series[float] = F(
        "Jam pelajaran yang diakui (1 JP = 45 menit).", "Recognised learning hours (1 JP = 45 minutes).",
        parse="number", gt=0, le=1000, aliases=("JP", "Jumlah JP", "Jam Pelajaran", "Total JP", "JP Diakui"))
    sertifikat: Series[str] = F(
        "Nomor sertifikat atau bukti lain (opsional).", "Certificate number or other evidence (optional).",
        required=False, aliases=("Nomor Sertifikat", "No Sertifikat", "Sertifikat", "Bukti"))


CONTRACTS: dict[str, type[_Contract]] = {
    "training": Training, "feedback": Feedback, "mentoring": Mentoring, "events": Events, "kinerja": Kinerja,
    "jp_lain": JpLain,
}


def _declared(kind: str) -> list[tuple[str, str, Declared]]:
    """A contract's fields in order: name, annotation (as written) and declaration."""
    contract = CONTRACTS[kind]
    return [(name, annotation, contract.__dict__[name]) for name, annotation in contract.__annotations__.items()]


def _pandera_model(kind: str):
    """The pandera ``DataFrameModel`` of a declared contract."""
    import pandas as pd
    import pandera.pandas as pa
    from pandera.typing import Series

    contract = CONTRACTS[kind]
    names = {"Series": Series, "pd": pd, "Any": Any, "str": str, "float": float}
    namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": contract.__name__,
                                 "__doc__": contract.__doc__, "Config": contract.Config, "__annotations__": {}}
    for name, annotation, declared in _declared(kind):
        namespace["__annotations__"][name] = eval(annotation, names) if isinstance(annotation, str) else annotation
        namespace[name] = declared.to_pandera()
    return type(contract.__name__, (pa.DataFrameModel,), namespace)


class _Models(Mapping):
    """kind → pandera ``DataFrameModel``, each made (and pandera imported) on first use."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def __getitem__(self, kind: str):
        if kind not in CONTRACTS:
            raise KeyError(kind)
        if kind not in self._made:
            self._made[kind] = _pandera_model(kind)
        return self._made[kind]

    def __iter__(self):
        return iter(CONTRACTS)

    def __len__(self) -> int:
        return len(CONTRACTS)


#: kind → the pandera model of its contract (``MODELS["training"].to_schema()``).
MODELS: Mapping = _Models()

# Columns added by the intake beside the contract's: the district code (Kepmendagri
# 300.2.2-2138/2025) next to every kecamatan, and where each row came from.
DERIVED = {"kecamatan": "kode_kecamatan"}
BOOKKEEPING = ("_row", "_sheet")
#: Training fields a participant's row must fill; a comparison-group row may leave them empty (a
#: non-participant has no program, start date or JP).
PARTICIPANT_FIELDS = ("program", "tanggal_mulai", "jp")
#: Optional fields that weigh like required ones when the header finder decides which kind a sheet
#: holds: an appraisal export requires only the NIP and the name (its period and unit often stand in
#: title lines), so without its appraisal columns an appraisal sheet with a unit and a kecamatan
#: column would look like training data with its program columns missing.
IDENTIFYING: dict[str, tuple[str, ...]] = {
    "kinerja": ("periode", "rating_hasil_kerja", "rating_perilaku_kerja", "predikat_kinerja", "nilai"),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    description: str
    en: str
    parse: str
    aliases: tuple[str, ...]
    required: bool
    checks: tuple  # (pandera check name, value, pandera's text) per check; None as name: not evaluated here


# pandera's keyword checks that row_failures evaluates itself: keyword → pandera's check name
_KEYWORDS = {"gt": "greater_than", "ge": "greater_than_or_equal_to", "lt": "less_than",
             "le": "less_than_or_equal_to", "isin": "isin"}


def _checks(declared: dict) -> tuple:
    """A field's keyword checks as ``(name, value, text)``, named and written as pandera names them
    (``greater_than_or_equal_to(0)``, ``isin(['peserta', 'pembanding'])``)."""
    out = []
    for keyword, value in declared.items():
        name = _KEYWORDS.get(keyword)
        value = list(value) if keyword == "isin" else value
        out.append((name, value, f"{name}({value!r})" if name else keyword))
    return tuple(out)


@cache
def fields(kind: str) -> tuple[FieldSpec, ...]:
    """The fields of a kind, in contract order.

    Examples
    --------
    >>> [f.name for f in fields("mentoring")][:3]
    ['mentor_nip', 'mentee_nip', 'kecamatan']
    >>> fields("training")[0].required
    True
    """
    if kind not in CONTRACTS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return tuple(
        FieldSpec(name, d.description, d.en, d.parse, d.aliases, d.required, _checks(d.checks))
        for name, _, d in _declared(kind)
    )


@lru_cache(maxsize=8192)
def header_key(text) -> str:
    """How headers are compared: case, spaces and punctuation ignored.

    Examples
    --------
    >>> header_key(" Nilai Pre-Test ") == header_key("nilai pretest")
    True
    >>> header_key("Tanggal (Selesai)")
    'tanggalselesai'
    """
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


@lru_cache(maxsize=8192)
def header_keys(text) -> tuple[str, ...]:
    """The keys to try for a header, in order: the whole text, then without its bracketed parts
    (units and notes: "Usia (tahun)", "JP [jam]").

    Examples
    --------
    >>> header_keys("Usia (tahun)")
    ('usiatahun', 'usia')
    >>> header_keys("NIP")
    ('nip',)
    """
    full = header_key(text)
    bare = header_key(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text)))
    return (full, bare) if bare and bare != full else (full,)


@cache
def alias_index(kind: str) -> dict[str, str]:
    """Header key → canonical field for one kind (field names themselves are aliases too).

    Examples
    --------
    >>> alias_index("training")[header_key("OPD")]
    'unit_kerja'
    """
    out: dict[str, str] = {}
    for spec in fields(kind):
        for alias in (spec.name, *spec.aliases):
            out.setdefault(header_key(alias), spec.name)
    return out


def canonical_columns(kind: str) -> list[str]:
    """Columns of an accepted frame: the contract's plus derived district codes.

    Examples
    --------
    >>> canonical_columns("events")[:4]
    ['jenis_kegiatan', 'tanggal', 'kecamatan', 'kode_kecamatan']
    """
    cols: list[str] = []
    for spec in fields(kind):
        cols.append(spec.name)
        if spec.name in DERIVED:
            cols.append(DERIVED[spec.name])
    return cols


_COMPARISONS = {"greater_than": (operator.gt, "min_value"), "greater_than_or_equal_to": (operator.ge, "min_value"),
                "less_than": (operator.lt, "max_value"), "less_than_or_equal_to": (operator.le, "max_value")}


@cache
def _row_checks(kind: str) -> tuple | None:
    """Per field: its name, whether it may be empty, and its checks as ``(name, value, text)``;
    None when a check is of a kind :func:`row_failures` does not evaluate itself."""
    plan = []
    for spec in fields(kind):
        if any(name is None for name, _, _ in spec.checks):
            return None
        plan.append((spec.name, not spec.required, spec.checks))
    return tuple(plan)


def row_failures(kind: str, frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """The cells of ``frame`` that break the contract of ``kind``: ``(position, field, check)`` with
    ``check`` as pandera names it (``not_nullable``, ``greater_than_or_equal_to(0)``,
    ``isin([1.0, 2.0, 3.0, 4.0])`` …), in the order pandera's lazy validation reports them (field by
    field in contract order, the empty cells first, then each check; rows in order).

    The checks the contracts use — required cells, comparisons, allowed values; an empty cell passes
    every check but "required" — are evaluated here with vectorised comparisons, which spares each
    upload worker pandera's validation machinery (its import alone takes a third of a second). A
    contract that declares another kind of check is validated by pandera itself. Whole-column
    failures (a column missing, a dtype) are left out: they say nothing about a row.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"jumlah_sesi": [3.0, -1.0, None], "jp": [2.0, 2.0, 2000.0]})
    >>> row_failures("mentoring", frame)
    [(2, 'jumlah_sesi', 'not_nullable'), (1, 'jumlah_sesi', 'greater_than_or_equal_to(0)'), \
(2, 'jp', 'less_than_or_equal_to(1000)')]
    """
    import numpy as np

    plan = _row_checks(kind)
    if plan is None:
        return _pandera_failures(kind, frame)
    out: list[tuple[int, str, str]] = []
    for name, nullable, checks in plan:
        if name not in frame.columns:
            continue
        col = frame[name]
        empty = col.isna().to_numpy()
        if not nullable:
            out.extend((int(i), name, "not_nullable") for i in np.flatnonzero(empty))
        for check, value, text in checks:
            try:
                if check == "isin":
                    passed = col.isin(value).to_numpy()
                else:
                    passed = _COMPARISONS[check][0](col, value).fillna(False).to_numpy(dtype=bool)
            except TypeError:  # a column not of the contract's type: pandera says what it says
                return _pandera_failures(kind, frame)
            out.extend((int(i), name, text) for i in np.flatnonzero(~passed & ~empty))
    return out


def _pandera_failures(kind: str, frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """:func:`row_failures` by pandera's lazy validation."""
    import pandas as pd
    import pandera.pandas as pa

    try:
        MODELS[kind].to_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return [(int(rec.index), rec.column, str(rec.check)) for rec in exc.failure_cases.itertuples(index=False)
                if rec.index is not None and not pd.isna(rec.index) and rec.column in frame.columns]
    return []
