"""The data contracts (analysis/contracts.py): fields, aliases, required cells and ranges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from analysis.intake import normalise
from analysis.intake.contracts import (
    DERIVED, KINDS, MODELS, UNSUR, alias_index, canonical_columns, fields, header_key,
    header_keys, row_failures,
)

# The headers real exports use, which the alias table must hold at least (field, kind, header).
REQUIRED_ALIASES = {
    ("training", "nip"): ["NIP", "NIP Pegawai", "NIP Peserta"],
    ("training", "nama"): ["Nama", "Nama Pegawai", "Nama Peserta", "Nama ASN"],
    ("training", "unit_kerja"): ["Unit Kerja", "OPD", "Perangkat Daerah", "Instansi", "Satuan Kerja"],
    ("training", "kecamatan"): ["Kecamatan", "Kec", "Wilayah", "District"],
    ("training", "program"): ["Program", "Nama Program", "Pelatihan", "Nama Pelatihan", "Diklat", "Nama Diklat",
                              "Kegiatan"],
    ("training", "tanggal_mulai"): ["Tanggal Mulai", "Tgl Mulai", "Tanggal Pelaksanaan", "Start Date"],
    ("training", "jp"): ["JP", "Jumlah JP", "Jam Pelajaran"],
    ("training", "nilai_pre"): ["Nilai Pre Test", "Pre Test", "Pretest", "Nilai Awal"],
    ("training", "nilai_post"): ["Nilai Post Test", "Post Test", "Posttest", "Nilai Akhir"],
    ("training", "kinerja_sebelum"): ["Kinerja Sebelum", "Nilai Kinerja Sebelum", "Nilai SKP Sebelum",
                                      "Predikat Sebelum"],
    ("training", "kinerja_sesudah"): ["Kinerja Sesudah", "Kinerja Setelah", "Nilai Kinerja Sesudah",
                                      "Nilai SKP Sesudah", "Predikat Sesudah"],
    ("feedback", "unit_layanan"): ["Unit Layanan", "Unit Pelayanan", "Nama Unit"],
    ("feedback", "saran"): ["Saran", "Kritik dan Saran", "Masukan"],
    ("feedback", "kecamatan"): ["Kecamatan", "Kec", "Wilayah", "District"],
    # BKN e-Kinerja "Rekap Penilaian" export (a real monthly sample, 2026): No | NIP | Nama | Jabatan |
    # Rating Hasil Kinerja | Rating Perilaku Kerja | Predikat Kinerja Periodik.
    ("kinerja", "nip"): ["NIP"],
    ("kinerja", "nama"): ["Nama"],
    ("kinerja", "jabatan"): ["Jabatan"],
    ("kinerja", "rating_hasil_kerja"): ["Rating Hasil Kinerja", "Rating Hasil Kerja"],
    ("kinerja", "rating_perilaku_kerja"): ["Rating Perilaku Kerja"],
    ("kinerja", "predikat_kinerja"): ["Predikat Kinerja Periodik", "Predikat Kinerja"],
    ("kinerja", "nilai"): ["Nilai SKP"],
    ("jp_lain", "nip"): ["NIP"],
    ("jp_lain", "kegiatan"): ["Nama Kegiatan", "Kegiatan"],
    ("jp_lain", "tanggal_mulai"): ["Tanggal Mulai", "Tanggal"],
    ("jp_lain", "jp"): ["JP", "Jumlah JP", "Jam Pelajaran"],
}
# PermenPANRB 14/2017: the nine SKM element names, written out independently of contracts.UNSUR.
UNSUR_NAMES = ["Persyaratan", "Sistem, Mekanisme dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
               "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
               "Sarana dan Prasarana", "Penanganan Pengaduan, Saran dan Masukan"]
for _n, _name in enumerate(UNSUR_NAMES, start=1):
    REQUIRED_ALIASES[("feedback", f"u{_n}")] = [f"U{_n}", _name]

REQUIRED_ALIAS_CASES = [(kind, fld, alias) for (kind, fld), aliases in REQUIRED_ALIASES.items() for alias in aliases]
ALL_ALIAS_CASES = [(kind, spec.name, alias) for kind in KINDS for spec in fields(kind)
                   for alias in (spec.name, *spec.aliases)]

# Which fields each kind has, and which may be left out, as the product was specified.
EXPECTED_FIELDS = {
    "training": ["nip", "nama", "unit_kerja", "kecamatan", "program", "jenis_program", "tanggal_mulai",
                 "tanggal_selesai", "jp", "nilai_pre", "nilai_post", "kinerja_sebelum", "kinerja_sesudah",
                 "kepuasan_peserta"],
    "feedback": ["tanggal", "unit_layanan", "kecamatan", "jenis_layanan", *[f"u{i}" for i in range(1, 10)],
                 "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"],
    "mentoring": ["mentor_nip", "mentee_nip", "kecamatan", "tanggal_mulai", "tanggal_selesai", "jumlah_sesi", "jp"],
    "events": ["jenis_kegiatan", "tanggal", "kecamatan", "unit_layanan", "jumlah_peserta", "jumlah_masukan",
               "catatan"],
    "kinerja": ["nip", "nama", "unit_kerja", "kecamatan", "periode", "rating_hasil_kerja", "rating_perilaku_kerja",
                "predikat_kinerja", "nilai", "potensi"],
    "jp_lain": ["nip", "nama", "kegiatan", "bentuk", "penyelenggara", "tanggal_mulai", "tanggal_selesai", "jp",
                "sertifikat"],
}
ISSUE_OPTIONAL = {
    "training": {"jenis_program", "tanggal_selesai", "nilai_pre", "nilai_post", "kinerja_sebelum",
                 "kinerja_sesudah", "kepuasan_peserta"},
    "feedback": {"jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"},
    "mentoring": {"jp"},
    "events": {"jumlah_masukan", "catatan"},
    # e-Kinerja's export has no unit or kecamatan column and writes the period in a title line; a row
    # needs one of the appraisal columns, which the intake checks row by row (no_appraisal).
    "kinerja": {"jabatan", "unit_kerja", "kecamatan", "periode", "rating_hasil_kerja", "rating_perilaku_kerja",
                "predikat_kinerja", "nilai", "potensi"},
    "jp_lain": {"nama", "bentuk", "penyelenggara", "tanggal_selesai", "sertifikat"},
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_expected_field_is_in_the_contract(kind):
    names = [f.name for f in fields(kind)]
    missing = [f for f in EXPECTED_FIELDS[kind] if f not in names]
    assert not missing, f"{kind}: expected fields missing from the contract: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_optional_fields_are_not_required(kind):
    required = {f.name for f in fields(kind) if f.required}
    assert not (required & ISSUE_OPTIONAL[kind]), f"{kind}: optional fields marked required"


@pytest.mark.parametrize("kind", KINDS)
def test_kecamatan_and_identity_fields_are_required(kind):
    required = {f.name for f in fields(kind) if f.required}
    # e-Kinerja exports hold no kecamatan column; other development is a person's, placed by the appraisal data
    assert ("kecamatan" in required) is (kind not in ("kinerja", "jp_lain"))
    core = {"training": {"nip", "nama", "unit_kerja"}, "feedback": {"tanggal", "unit_layanan"},
            "mentoring": {"mentor_nip", "mentee_nip", "tanggal_mulai", "jumlah_sesi"},
            "events": {"jenis_kegiatan", "tanggal", "unit_layanan", "jumlah_peserta"},
            "kinerja": {"nip", "nama"}, "jp_lain": {"nip", "kegiatan", "tanggal_mulai", "jp"}}[kind]
    assert core <= required


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_is_documented_in_both_languages(kind):
    for spec in fields(kind):
        assert spec.description and len(spec.description) > 5, spec.name
        assert spec.en and len(spec.en) > 5, spec.name
        assert spec.description != spec.en, f"{spec.name}: the Indonesian description is the English one"
        assert spec.aliases, f"{spec.name} has no header alias"


@pytest.mark.parametrize("kind", KINDS)
def test_every_parse_kind_has_a_normaliser(kind):
    for spec in fields(kind):
        assert spec.parse in normalise.PARSERS or spec.parse == "kecamatan", (spec.name, spec.parse)


@pytest.mark.parametrize("kind", KINDS)
def test_field_names_are_snake_case_identifiers(kind):
    for name in canonical_columns(kind):
        assert name.isidentifier() and name == name.lower(), name


def test_fields_of_unknown_kind_names_the_value():
    with pytest.raises(ValueError, match="'pelatihan'"):
        fields("pelatihan")


@pytest.mark.parametrize("kind,fld,alias", REQUIRED_ALIAS_CASES)
def test_required_alias_maps_to_its_field(kind, fld, alias):
    assert alias_index(kind).get(header_key(alias)) == fld


@pytest.mark.parametrize("kind,fld,alias", ALL_ALIAS_CASES)
def test_every_contract_alias_maps_to_its_own_field(kind, fld, alias):
    # setdefault in alias_index would silently give a shared alias to the first field
    assert alias_index(kind)[header_key(alias)] == fld


@pytest.mark.parametrize("written", [
    "nilai pre test", "NILAI PRE TEST", "  Nilai   Pre Test  ", "Nilai Pre-Test", "Nilai_Pre_Test", "Nilai Pre Test:",
    "Nilai.Pre.Test", "Nilai Pre Test\n", "Nilai Pre Test (0-100)", "Nilai Pre Test [skor]",
])
def test_header_comparison_ignores_case_spaces_and_punctuation(written):
    aliases = alias_index("training")
    assert next(aliases[k] for k in header_keys(written) if k in aliases) == "nilai_pre"


@pytest.mark.parametrize("a,b,same", [
    ("Kec.", "kec", True), ("U 1", "u1", True), ("Kritik & Saran", "kritik saran", True),
    ("Nilai Awal", "Nilai Akhir", False), ("JP", "J.P.", True), ("", "-", True),
])
def test_header_key(a, b, same):
    assert (header_key(a) == header_key(b)) is same


@pytest.mark.parametrize("kind", KINDS)
def test_canonical_columns_put_the_district_code_after_kecamatan(kind):
    cols = canonical_columns(kind)
    if kind == "jp_lain":  # a person's other development: no kecamatan, no code
        assert "kecamatan" not in cols and "kode_kecamatan" not in cols
        return
    i = cols.index("kecamatan")
    assert cols[i + 1] == DERIVED["kecamatan"] == "kode_kecamatan"
    assert [c for c in cols if c != "kode_kecamatan"] == [f.name for f in fields(kind)]


def test_unsur_names_are_domain_names():
    assert [UNSUR[f"u{i}"][0] for i in range(1, 10)] == UNSUR_NAMES


# ---------------------------------------------------------------------------- pandera checks


def _training_frame(n: int = 2, **override) -> pd.DataFrame:
    base = {
        "nip": ["198503122010011003", "198601012011012004"][:n],
        "nama": ["Ani", "Budi"][:n], "unit_kerja": ["Dinas Kominfo"] * n, "kecamatan": ["Medan Baru"] * n,
        "program": ["Literasi Data"] * n, "jenis_program": ["pelatihan"] * n, "kelompok": ["peserta"] * n,
        "tanggal_mulai": pd.to_datetime(["2025-03-12"] * n), "tanggal_selesai": pd.to_datetime(["2025-03-14"] * n),
        "jp": [20.0] * n, "nilai_pre": [60.0] * n, "nilai_post": [80.0] * n,
        "kinerja_sebelum": [80.0] * n, "kinerja_sesudah": [85.0] * n, "kepuasan_peserta": [4.0] * n,
    }
    base.update(override)
    return pd.DataFrame(base).astype({c: "str" for c in ("nip", "nama", "unit_kerja", "kecamatan", "program",
                                                           "jenis_program", "kelompok")})


def _failures(kind: str, frame: pd.DataFrame) -> set[tuple[str, int]]:
    try:
        MODELS[kind].to_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        return {(c, int(i)) for c, i in zip(fc["column"], fc["index"]) if i is not None and not pd.isna(i)}
    return set()


def test_valid_training_frame_passes():
    assert _failures("training", _training_frame()) == set()


@pytest.mark.parametrize("field,bad,good", [
    ("nilai_pre", 100.5, 100.0), ("nilai_post", -1.0, 0.0), ("kepuasan_peserta", 0.0, 1.0),
    ("kepuasan_peserta", 5.5, 5.0), ("jp", 0.0, 0.5),
])
def test_training_ranges(field, bad, good):
    frame = _training_frame(**{field: [good, bad]})
    assert _failures("training", frame) == {(field, 1)}


@pytest.mark.parametrize("field", ["nip", "nama", "unit_kerja", "kecamatan"])
def test_training_required_cells(field):
    values = _training_frame()[field].tolist()
    values[0] = None
    frame = _training_frame(**{field: pd.Series(values, dtype="str")})
    assert (field, 0) in _failures("training", frame)


def test_training_optional_scores_may_be_empty():
    frame = _training_frame(nilai_pre=[np.nan, 50.0], kinerja_sesudah=[np.nan, np.nan], kepuasan_peserta=[np.nan] * 2)
    assert _failures("training", frame) == set()


def test_kelompok_allows_only_peserta_and_pembanding():
    frame = _training_frame(kelompok=pd.Series(["pembanding", "kontrol"], dtype="str"))
    assert _failures("training", frame) == {("kelompok", 1)}


@pytest.mark.parametrize("answer,ok", [(1.0, True), (4.0, True), (np.nan, True), (0.0, False), (5.0, False),
                                       (2.5, False)])
def test_skm_answers_are_1_to_4(answer, ok):
    frame = pd.DataFrame({
        "tanggal": pd.to_datetime(["2025-03-12"]), "unit_layanan": pd.Series(["Kantor Camat"], dtype="str"),
        "kecamatan": pd.Series(["Medan Baru"], dtype="str"),
        **{f"u{i}": [3.0] for i in range(1, 10)},
    })
    frame["u5"] = [answer]
    assert (_failures("feedback", frame) == set()) is ok


# ---------------------------------------------------------------------------- the vectorised checks


def _pandera_order(kind: str, frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """The reference: pandera's own lazy validation, failure cases in the order it reports them."""
    try:
        MODELS[kind].to_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return [(int(r.index), r.column, str(r.check)) for r in exc.failure_cases.itertuples(index=False)
                if r.index is not None and not pd.isna(r.index)]
    return []


_TEXT = st.one_of(st.none(), st.sampled_from(["peserta", "pembanding", "kontrol", "Ani", ""]))
_NUMBER = st.one_of(st.none(), st.sampled_from([-5.0, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 4.0, 5.0, 5.5, 99.0, 100.0,
                                                100.5, 110.0, 120.5, 1000.0, 1000.5, 2e6]))
_DATE = st.one_of(st.none(), st.just(pd.Timestamp("2025-03-12")))


@st.composite
def _frames(draw):
    kind = draw(st.sampled_from(KINDS))
    n = draw(st.integers(1, 6))
    frame = {}
    for spec in fields(kind):
        if spec.parse in ("performance", "rating", "predikat"):
            continue  # Categorical or number, no checks of their own: the pipeline checks them
        if spec.parse in ("number", "answer"):
            frame[spec.name] = pd.Series(draw(st.lists(_NUMBER, min_size=n, max_size=n)), dtype="float64")
        elif spec.parse == "date":
            frame[spec.name] = pd.Series(draw(st.lists(_DATE, min_size=n, max_size=n)), dtype="datetime64[us]")
        else:
            frame[spec.name] = pd.Series(draw(st.lists(_TEXT, min_size=n, max_size=n)), dtype="str")
    return kind, pd.DataFrame(frame)


@hsettings(max_examples=200, deadline=None)
@given(_frames())
def test_the_vectorised_checks_find_what_pandera_finds_in_its_order(case):
    kind, frame = case
    assert row_failures(kind, frame) == _pandera_order(kind, frame)


def test_the_vectorised_checks_on_a_known_frame():
    # by hand: row 1 has no NIP (required), a pre-test of 100.5 (> 100) and kelompok "kontrol" (not allowed);
    # row 0 a JP of 0 (must be > 0)
    frame = _training_frame(nip=pd.Series(["198503122010011003", None], dtype="str"), nilai_pre=[60.0, 100.5],
                            kelompok=pd.Series(["peserta", "kontrol"], dtype="str"), jp=[0.0, 20.0])
    assert row_failures("training", frame) == [
        (1, "nip", "not_nullable"), (1, "kelompok", "isin(['peserta', 'pembanding'])"), (0, "jp", "greater_than(0)"),
        (1, "nilai_pre", "less_than_or_equal_to(100)"),
    ]


def test_the_vectorised_checks_on_other_development():
    # by hand (jp_lain contract: nip, kegiatan, tanggal_mulai, jp required; 0 < jp ≤ 1000): row 0 no
    # kegiatan; row 1 a JP of 0; row 2 no start date and a JP of 1000.5; row 3 passes (optional cells empty)
    frame = pd.DataFrame({
        "nip": pd.Series(["198503122010011003"] * 4, dtype="str"),
        "nama": pd.Series([None, "Ani", None, None], dtype="str"),
        "kegiatan": pd.Series([None, "Webinar", "Seminar", "Magang"], dtype="str"),
        "tanggal_mulai": pd.to_datetime(["2025-03-12", "2025-04-01", None, "2025-05-02"]),
        "jp": [2.0, 0.0, 1000.5, 1000.0],
    })
    assert row_failures("jp_lain", frame) == [
        (0, "kegiatan", "not_nullable"), (2, "tanggal_mulai", "not_nullable"), (1, "jp", "greater_than(0)"),
        (2, "jp", "less_than_or_equal_to(1000)"),
    ]
