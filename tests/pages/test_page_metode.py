"""The Tentang metode page: the explanations for a pimpinan, their numbers read from the code, roles,
language. (Each page drawing nothing when run by itself: tests/test_pages_security.py.)"""

from __future__ import annotations

import pytest

from analysis.stats.power import n_required
from apptest_helpers import make_app, run_page, set_lang, texts

PAGE = "pages/metode.py"
SECTIONS_ID = ["Empat tingkat evaluasi (Kirkpatrick)", "Perubahan dan ketidakpastiannya", "Apa arti setiap uji",
               "Bagaimana uji utama dipilih", "Mengapa sebelum–sesudah saja bisa menyesatkan",
               "Sampel kecil: “data terlalu sedikit” bukan “tidak ada efek”", "Siapa dihitung, dan dari data mana",
               "Banyak perbandingan sekaligus",
               "Indeks Kepuasan Masyarakat (IKM)", "Hak 20 JP per tahun", "Predikat kinerja (SKP)",
               "Rekomendasi tindak lanjut: aturan bawaan"]


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_metode_as_each_role(tmp_path, monkeypatch, role):
    at = run_page(make_app(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception
    assert at.title[0].value == "Tentang metode"
    assert [s.value for s in at.main.subheader] == SECTIONS_ID
    body = texts(at)
    # the numbers come from the code that applies them
    assert "sedikitnya 30 pasangan" in body and "p ≥ 0,05" in body  # the primary-test rule
    assert f"{n_required(0.5)} pasangan" in body  # power for d_z = 0.5
    assert "kurang dari 6 selisih bukan nol" in body and "kurang dari 10 pasangan lengkap" in body
    assert "apa pun nilai p-nya" in body  # one rule: too little data whatever the p-value
    assert "CR1" in body and "G − 1 derajat bebas" in body and "`did_df`" in body  # the DiD's df, said
    assert "bila kurang dari 10, satu atau dua orang" in body
    assert "Sekali per orang" in body and "Baris ganda yang bertentangan" in body  # counting
    assert "tidak ada halaman, angka, unduhan atau slide yang memakai data contoh" in body  # provenance
    assert "populasinya belum diketahui" in body and "kurang dari 30 responden" in body
    assert "1 JP = 45 menit" in body
    assert "regresi ke rata-rata" in body.lower() and "selisih-dalam-selisih" in body
    assert r"\mathrm{IKM} = 25" in at.get("latex")[0].value
    # the default follow-up rules, their numbers from the code (analysis.followup.recommend, stats.power)
    assert "Kurang dari 10 pasangan" in body and "d_z = 1,00" in body
    assert "−0,2 sampai 0,2" in body and "mulai 97 pasangan" in body
    assert "sedikitnya 34 pasangan" in body
    grades = at.table[0].value
    assert grades.iloc[:, 0].tolist() == ["A", "B", "C", "D"]
    assert grades.iloc[:, 1].tolist() == ["88,31 ke atas", "76,61 sampai di bawah 88,31",
                                          "65,00 sampai di bawah 76,61", "di bawah 65,00"]


def test_metode_in_english_with_another_jp_target(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALUASI_JP_TARGET", "24")
    at = run_page(make_app(tmp_path, monkeypatch, "viewer"), PAGE)
    set_lang(at, "en")
    assert not at.exception
    assert at.title[0].value == "About the method"
    assert "The right to 24 JP a year" in [s.value for s in at.main.subheader]
    body = texts(at)
    assert "at least **24 learning hours (JP)" in body
    assert "Regression to the mean" in body and "difference in differences" in body.lower()
    assert at.table[0].value.iloc[0].tolist() == ["A", "88.31 and above", "Very good"]
