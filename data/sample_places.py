"""Medan's places and people for the synthetic sample (``data/generate_sample.py``).

The kecamatan come from ``kecamatan_medan.csv``; kelurahan, puskesmas and agencies are a plausible
selection per kecamatan; names mix common Indonesian given names with Batak and Mandailing marga;
the "other development" activities are the kinds of seminar, webinar, e-learning and technical guidance
an ASN takes outside the city's programs; NIPs follow the Perka BKN 22/2007 layout (birth date, TMT year and month, gender, serial).
Nothing here is a real person.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

DISTRICTS_CSV = Path(__file__).resolve().parent / "kecamatan_medan.csv"

# (activity, form, organiser, JP)
OTHER_DEVELOPMENT = (
    ("Webinar Keterbukaan Informasi Publik", "webinar", "Komisi Informasi Provinsi Sumatera Utara", 3),
    ("Seminar Pelayanan Publik Inklusif", "seminar", "Ombudsman RI Perwakilan Sumatera Utara", 4),
    ("E-Learning Literasi Digital ASN", "e-learning", "Kementerian Komunikasi dan Digital", 16),
    ("Bimbingan Teknis Penyusunan SKP", "bimtek", "BKN Kantor Regional VI Medan", 24),
    ("Kursus Bahasa Inggris untuk Pelayanan", "kursus", "UPT Bahasa Universitas Sumatera Utara", 32),
    ("Magang Pelayanan Terpadu", "magang", "Dinas PMPTSP Provinsi Sumatera Utara", 40),
    ("Webinar Manajemen Risiko Pemerintah Daerah", "webinar", "BPKP Perwakilan Sumatera Utara", 2),
    ("E-Learning Anti Korupsi", "e-learning", "Komisi Pemberantasan Korupsi", 8),
)

# Kecamatan whose second word alone ("Baru", "Sunggal") is unmistakable in an export.
SHORT_FORM_OK = {
    "Medan Sunggal", "Medan Helvetia", "Medan Tuntungan", "Medan Belawan", "Medan Amplas",
    "Medan Johor", "Medan Marelan", "Medan Labuhan", "Medan Tembung", "Medan Polonia",
    "Medan Baru", "Medan Petisah", "Medan Selayang", "Medan Perjuangan",
}

KELURAHAN = {
    "Medan Kota": ("Teladan Barat", "Pasar Merah Timur", "Sei Rengas I"),
    "Medan Sunggal": ("Sunggal", "Tanjung Rejo", "Lalang"),
    "Medan Helvetia": ("Helvetia", "Dwikora", "Tanjung Gusta"),
    "Medan Denai": ("Tegal Sari Mandala I", "Binjai", "Medan Tenggara"),
    "Medan Barat": ("Glugur Kota", "Kesawan", "Silalas"),
    "Medan Deli": ("Titi Papan", "Tanjung Mulia", "Mabar"),
    "Medan Tuntungan": ("Simpang Selayang", "Lau Cih", "Namo Gajah"),
    "Medan Belawan": ("Belawan I", "Bagan Deli", "Belawan Bahari"),
    "Medan Amplas": ("Harjosari I", "Timbang Deli", "Sitirejo II"),
    "Medan Area": ("Kota Matsum I", "Sukaramai I", "Tegal Sari I"),
    "Medan Johor": ("Gedung Johor", "Kwala Bekala", "Pangkalan Mansyur"),
    "Medan Marelan": ("Terjun", "Rengas Pulau", "Labuhan Deli"),
    "Medan Labuhan": ("Martubung", "Besar", "Nelayan Indah"),
    "Medan Tembung": ("Bantan", "Sidorejo", "Indra Kasih"),
    "Medan Maimun": ("Kampung Baru", "Aur", "Hamdan"),
    "Medan Polonia": ("Polonia", "Anggrung", "Madras Hulu"),
    "Medan Baru": ("Padang Bulan", "Titi Rantai", "Merdeka"),
    "Medan Perjuangan": ("Sei Kera Hulu", "Sidorame Timur", "Pahlawan"),
    "Medan Petisah": ("Sei Putih Barat", "Petisah Tengah", "Sekip"),
    "Medan Timur": ("Glugur Darat I", "Gaharu", "Pulo Brayan Darat I"),
    "Medan Selayang": ("Tanjung Sari", "PB Selayang I", "Asam Kumbang"),
}
PUSKESMAS = {  # (name, surveyed in the SKM)
    "Medan Kota": ("Puskesmas Teladan", True),
    "Medan Sunggal": ("Puskesmas Sunggal", True),
    "Medan Helvetia": ("Puskesmas Helvetia", True),
    "Medan Denai": ("Puskesmas Medan Denai", False),
    "Medan Barat": ("Puskesmas Glugur Kota", True),
    "Medan Deli": ("Puskesmas Titi Papan", True),
    "Medan Tuntungan": ("Puskesmas Tuntungan", False),
    "Medan Belawan": ("Puskesmas Belawan", True),
    "Medan Amplas": ("Puskesmas Amplas", False),
    "Medan Area": ("Puskesmas Kota Matsum", True),
    "Medan Johor": ("Puskesmas Medan Johor", True),
    "Medan Marelan": ("Puskesmas Terjun", False),
    "Medan Labuhan": ("Puskesmas Martubung", True),
    "Medan Tembung": ("Puskesmas Sering", True),
    "Medan Maimun": ("Puskesmas Kampung Baru", False),
    "Medan Polonia": ("Puskesmas Polonia", False),
    "Medan Baru": ("Puskesmas Padang Bulan", True),
    "Medan Perjuangan": ("Puskesmas Sentosa Baru", True),
    "Medan Petisah": ("Puskesmas Rantang", True),
    "Medan Timur": ("Puskesmas Glugur Darat", True),
    "Medan Selayang": ("Puskesmas PB Selayang II", False),
}
AGENCIES = (  # (name, kecamatan, surveyed in the SKM, staff weight)
    ("Dinas Kependudukan dan Pencatatan Sipil", "Medan Maimun", True, 3.0),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Medan Petisah", True, 2.5),
    ("RSUD dr. Pirngadi", "Medan Timur", True, 4.0),
    ("Dinas Perhubungan", "Medan Amplas", True, 2.0),
    ("Dinas Sosial", "Medan Helvetia", True, 1.5),
    ("Sekretariat Daerah", "Medan Barat", False, 2.5),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Medan Polonia", False, 1.5),
    ("Badan Perencanaan Pembangunan Daerah", "Medan Kota", False, 1.2),
    ("Dinas Pendidikan", "Medan Area", False, 2.5),
    ("Dinas Kesehatan", "Medan Denai", False, 2.0),
    ("Dinas Komunikasi dan Informatika", "Medan Johor", False, 1.2),
    ("Inspektorat", "Medan Selayang", False, 1.0),
)
# Surveyed units whose staff take no program (their staff appear only as "Pembanding").
UNTRAINED_UNITS = (
    "Kantor Camat Medan Kota", "Kantor Camat Medan Deli", "Kantor Camat Medan Belawan",
    "Kantor Camat Medan Area", "Kantor Camat Medan Labuhan", "Kantor Camat Medan Maimun",
    "Kantor Camat Medan Polonia", "Puskesmas Sunggal", "Puskesmas Glugur Kota",
    "Puskesmas Sentosa Baru", "Puskesmas Rantang", "Puskesmas Glugur Darat",
    "Dinas Perhubungan", "Dinas Sosial",
)
JENIS_LAYANAN = {
    "camat": ("Surat Keterangan", "Rekomendasi Izin", "Legalisasi Dokumen", "Dispensasi Nikah",
              "Surat Keterangan Ahli Waris"),
    "puskesmas": ("Poli Umum", "Poli Gigi", "KIA/KB", "Imunisasi", "Laboratorium"),
    "Dinas Kependudukan dan Pencatatan Sipil": ("KTP-el", "Kartu Keluarga", "Akta Kelahiran",
                                                "Pindah Datang", "Akta Kematian"),
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": ("Persetujuan Bangunan Gedung",
                                                               "Perizinan Berusaha", "Izin Reklame"),
    "RSUD dr. Pirngadi": ("Rawat Jalan", "Instalasi Gawat Darurat", "Farmasi", "Rawat Inap"),
    "Dinas Perhubungan": ("Uji KIR", "Izin Trayek", "Parkir"),
    "Dinas Sosial": ("Bantuan Sosial", "Data Terpadu Kesejahteraan Sosial", "Rehabilitasi Sosial"),
}

FIRST_M = (
    "Ahmad", "Muhammad", "Budi", "Rizky", "Andi", "Fajar", "Hendra", "Dedi", "Irwan", "Agus",
    "Yusuf", "Ridwan", "Fauzi", "Hamdani", "Sahat", "Marihot", "Togar", "Parlindungan", "Bonar",
    "Rudi", "Sutrisno", "Bambang", "Hasan", "Zulkifli", "Syahrial", "Arief", "Dimas", "Teguh",
    "Wahyu", "Erwin", "Benny", "Johannes", "Daniel", "Samuel", "Antonius", "Frans", "Hotman",
    "Indra", "Rahmat", "Surya",
)
FIRST_F = (
    "Siti", "Nur", "Rina", "Dewi", "Sri", "Fitri", "Yuni", "Ratna", "Indah", "Maya", "Novita",
    "Putri", "Rahmawati", "Aisyah", "Fatimah", "Nurhayati", "Lina", "Debora", "Maria",
    "Rosmawati", "Tiurma", "Romauli", "Herlina", "Evi", "Yanti", "Juliana", "Melati", "Ayu",
    "Dina", "Wulan", "Sarah", "Elisabeth", "Agustina", "Mariani", "Lestari", "Khairani",
)
GIVEN_2_M = ("Pratama", "Saputra", "Hidayat", "Syahputra", "Ramadhan", "Kurniawan", "Setiawan",
             "Rahman", "Hakim", "Santoso")
GIVEN_2_F = ("Lestari", "Wahyuni", "Handayani", "Permata", "Sari", "Utami", "Rahmadani",
             "Anggraini", "Safitri", "Puspita")
MARGA = (
    "Siregar", "Nasution", "Lubis", "Harahap", "Hasibuan", "Simanjuntak", "Sitompul", "Sinaga",
    "Hutagalung", "Pardede", "Situmorang", "Tarigan", "Ginting", "Sembiring", "Purba", "Saragih",
    "Damanik", "Pane", "Rangkuti", "Daulay", "Manurung", "Panjaitan", "Simatupang", "Silalahi",
    "Sihombing", "Napitupulu", "Pasaribu", "Tambunan", "Marpaung", "Sitepu", "Batubara", "Matondang",
)
GELAR = ("S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.Pd.", "S.Kep.", "A.Md.", "S.STP", "M.Si.",
         "S.K.M.", "S.Ak.", "S.T.", "M.M.")

SARAN = {  # (negative, positive) remarks per theme
    "waktu pelayanan": (
        ("Waktu tunggu terlalu lama, mohon dipercepat.", "Antrean panjang di pagi hari.",
         "Loket buka terlambat dari jadwal."),
        ("Pelayanan cepat, selesai di hari yang sama.", "Prosesnya lebih cepat dari perkiraan."),
    ),
    "biaya": (
        ("Mohon informasi biaya dipasang jelas di loket.", "Masih ada pungutan di luar ketentuan."),
        ("Pelayanan gratis sesuai ketentuan, terima kasih.",),
    ),
    "sikap petugas": (
        ("Petugas kurang ramah saat menjelaskan.", "Petugas sering tidak ada di meja layanan.",
         "Petugas sibuk dengan HP saat melayani."),
        ("Petugas ramah dan sopan.", "Petugas sabar menjelaskan persyaratan."),
    ),
    "prosedur": (
        ("Persyaratan berubah-ubah, mohon diseragamkan.", "Prosedur terlalu berbelit."),
        ("Alur pelayanan sudah jelas.", "Pendaftaran online memudahkan."),
    ),
    "sarana": (
        ("Ruang tunggu panas, perlu tambahan kipas.", "Toilet kurang bersih.",
         "Tempat parkir sempit.", "Kursi ruang tunggu kurang."),
        ("Ruang tunggu nyaman dan bersih.",),
    ),
    "informasi": (
        ("Informasi jadwal layanan tidak jelas.", "Mohon nomor WhatsApp pengaduan diaktifkan.",
         "Papan informasi persyaratan tidak ada."),
        ("Informasi persyaratan lengkap di papan pengumuman.",
         "Pengaduan lewat WhatsApp cepat ditanggapi."),
    ),
}
GENERIC_PRAISE = ("Sudah baik, pertahankan.", "Tingkatkan terus pelayanannya.", "Mantap.",
                  "Terima kasih atas pelayanannya.")
PEKERJAAN = ("PNS/TNI/Polri", "Pegawai Swasta", "Wiraswasta", "Pelajar/Mahasiswa",
             "Ibu Rumah Tangga", "Buruh", "Lainnya")
PENDIDIKAN = ("SD", "SMP", "SMA", "D3", "S1", "S2")
EVENT_NOTES = {
    "Forum Warga": (
        "Warga mengusulkan perbaikan drainase lingkungan.",
        "Masukan tentang jam layanan kantor camat.",
        "Sosialisasi layanan administrasi kependudukan daring.",
        "Keluhan antrean pengurusan surat keterangan.",
        "Usulan kanal pengaduan melalui WhatsApp.",
    ),
    "Open House": (
        "Kunjungan warga ke ruang pelayanan dan simulasi alur layanan.",
        "Pemeriksaan kesehatan gratis dan konsultasi.",
        "Perkenalan layanan antrean daring.",
        "Penjelasan persyaratan dan biaya layanan.",
    ),
}


def districts() -> list[dict]:
    with DISTRICTS_CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def messy_kecamatan(rng: np.random.Generator, name: str) -> str:
    """``name`` written the way exports write it."""
    short = name.split(" ", 1)[1]
    u = rng.random()
    if u < 0.55:
        return name
    if u < 0.65:
        return f"Kec. {name}"
    if u < 0.75:
        return f"KECAMATAN {name.upper()}"
    if u < 0.85:
        return f"{name.lower()} "
    if u < 0.93:
        return name.replace(" ", "-")
    return short if name in SHORT_FORM_OK else name


def units_of_medan() -> list[dict]:
    units = []
    for d in districts():
        kec = d["kecamatan"]
        units.append({"name": f"Kantor Camat {kec}", "kecamatan": kec, "type": "camat",
                      "skm": True, "weight": 1.4})
        name, surveyed = PUSKESMAS[kec]
        units.append({"name": name, "kecamatan": kec, "type": "puskesmas", "skm": surveyed,
                      "weight": 1.3})
        for kel in KELURAHAN[kec]:
            units.append({"name": f"Kantor Lurah {kel}", "kecamatan": kec, "type": "lurah",
                          "skm": False, "weight": 0.35})
    for name, kec, surveyed, weight in AGENCIES:
        units.append({"name": name, "kecamatan": kec, "type": "agency", "skm": surveyed,
                      "weight": weight})
    for u in units:
        u["trained"] = u["name"] not in UNTRAINED_UNITS
    return units


def make_nips(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``n`` distinct structurally valid PNS NIPs, with gender (1/2) and TMT year (Perka BKN 22/2007 layout)."""
    seen: set[str] = set()
    nips, genders, tmt_years = [], [], []
    start = dt.date(1966, 1, 1).toordinal()
    span = dt.date(1999, 12, 31).toordinal() - start
    while len(nips) < n:
        birth = dt.date.fromordinal(start + int(rng.integers(0, span + 1)))
        tmt_year = min(2024, max(1988, birth.year + int(rng.integers(22, 36))))
        tmt_month = int(rng.choice([1, 2, 3, 4, 12]))
        gender = int(rng.integers(1, 3))
        serial = int(rng.integers(1, 1000))
        nip = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{gender}{serial:03d}"
        if nip in seen:
            continue
        seen.add(nip)
        nips.append(nip)
        genders.append(gender)
        tmt_years.append(tmt_year)
    return nips, np.array(genders), np.array(tmt_years)


def person_name(rng: np.random.Generator, gender: int) -> str:
    first = rng.choice(FIRST_M if gender == 1 else FIRST_F)
    given = GIVEN_2_M if gender == 1 else GIVEN_2_F
    u = rng.random()
    if u < 0.6:
        name = f"{first} {rng.choice(MARGA)}"
    elif u < 0.9:
        name = f"{first} {rng.choice(given)}"
    else:
        name = f"{first} {rng.choice(given)} {rng.choice(MARGA)}"
    if rng.random() < 0.55:
        name = f"{name}, {rng.choice(GELAR)}"
    return str(name)
