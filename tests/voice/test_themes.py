"""Comments: keyword dictionary, theme tags, counts, search and filters, and the viewer's view."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import AnalysisError
from analysis.voice.ikm import ELEMENTS
from analysis.voice.themes import (
    NO_THEME,
    PROFILE_COLUMNS,
    THEMES_CSV,
    comment_themes,
    comments_for_viewer,
    keyword_pattern,
    load_themes,
    mask_contacts,
    normalise_text,
    parse_themes,
    search_comments,
    tag_comments,
    theme_counts,
    themes_frame,
)

REQUIRED = {"waktu pelayanan", "biaya", "sikap petugas", "prosedur", "sarana", "informasi"}


def themes_of(text: str, themes=None) -> list[str]:
    return comment_themes(pd.Series([text]), themes)["tema"].tolist()


# --------------------------------------------------------------------------------------------
# The dictionary
# --------------------------------------------------------------------------------------------

def test_default_dictionary_has_the_required_themes():
    t = load_themes()
    assert REQUIRED <= set(t["tema"])
    assert len(set(t["tema"])) >= 8
    assert not t.duplicated().any()
    assert (t.groupby("tema").size() >= 5).all()
    for kw in t["kata_kunci"]:  # every keyword compiles and matches itself
        assert re.search(keyword_pattern(kw), normalise_text(kw.rstrip("*")))


def test_dictionary_file_is_plain_csv():
    raw = pd.read_csv(THEMES_CSV, dtype=str)
    assert list(raw.columns) == ["tema", "kata_kunci"]


def test_load_accepts_english_headers_and_semicolons(tmp_path):
    f = tmp_path / "themes.csv"
    f.write_text("Theme;Keyword\nBiaya;Tarif\nbiaya; tarif \n;kosong\nSarana;\nSarana;Kursi Roda\n", encoding="utf-8")
    t = load_themes(f)
    assert t.to_dict("records") == [{"tema": "biaya", "kata_kunci": "tarif"},
                                    {"tema": "sarana", "kata_kunci": "kursi roda"}]


@pytest.mark.parametrize("content", ["tema,kata\nbiaya,tarif\n", "tema,kata_kunci\n", ""])
def test_load_refuses_unusable_files(tmp_path, content):
    f = tmp_path / "themes.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError) as err:
        load_themes(f)
    assert err.value.code == "themes_unreadable"


def test_parse_reads_a_frame_from_the_database_or_an_editor():
    # what store.themes returns, and what the admin's editor gives: text cells, maybe blank or repeated
    frame = pd.DataFrame({"tema": ["Biaya", "biaya", "Sarana", ""], "kata_kunci": ["Pungli ", "pungli", "AC", "x"]})
    assert parse_themes(frame).to_dict("records") == [{"tema": "biaya", "kata_kunci": "pungli"},
                                                      {"tema": "sarana", "kata_kunci": "ac"}]
    english = pd.DataFrame({"THEME": ["Biaya"], "Keyword": ["antri*"]})
    assert parse_themes(english).to_dict("records") == [{"tema": "biaya", "kata_kunci": "antri*"}]


@pytest.mark.parametrize("frame", [pd.DataFrame({"tema": ["biaya"]}), pd.DataFrame({"tema": [], "kata_kunci": []})])
def test_parse_refuses_frames_without_keywords(frame):
    with pytest.raises(AnalysisError) as err:
        parse_themes(frame, source="kamus admin")
    assert err.value.code == "themes_unreadable" and "kamus admin" in err.value.message("en")


def test_parse_refuses_what_is_no_frame():
    with pytest.raises(ValueError, match="frame must be a pandas DataFrame, got list"):
        parse_themes([("biaya", "tarif")])


def test_the_default_dictionary_is_the_shipped_file_whatever_the_data_folder_holds(tmp_path, monkeypatch):
    # an edited copy in the data folder (where edits were once written) is no longer read: edits live
    # in the database (store.themes), and this module reads no storage of its own
    (tmp_path / "tema_saran.csv").write_text("tema,kata_kunci\nlokal,lokal\n", encoding="utf-8")
    monkeypatch.setenv("EVALUASI_DATA_DIR", str(tmp_path))
    assert len(load_themes()) == len(pd.read_csv(THEMES_CSV)) and "lokal" not in set(load_themes()["tema"])


def test_load_refuses_missing_file(tmp_path):
    with pytest.raises(AnalysisError) as err:
        load_themes(tmp_path / "none.csv")
    assert err.value.code == "themes_unreadable"


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Antriannya lama sekali", ["waktu pelayanan"]),
        ("Harus MENUNGGU 3 jam!", ["waktu pelayanan"]),
        ("Petugasnya judes dan kasar", ["sikap petugas"]),
        ("Pembayaran retribusi terlalu mahal", ["biaya"]),
        ("Prosedurnya berbelit-belit, persyaratan tidak jelas", ["prosedur", "informasi"]),
        ("WC kotor, ruang tunggu sempit", ["sarana"]),
        ("Petugas sibuk dengan HP saat melayani", ["sikap petugas"]),
        ("Masih ada pungutan di luar ketentuan", ["integritas"]),
        ("Tidak ada penjelasan dari petugas", ["informasi"]),
        ("Ada pungli di loket", ["integritas"]),
        ("Aplikasinya sering error", ["layanan digital"]),
        ("Terima kasih", ["apresiasi"]),
        ("Oke saja", []),
        ("", []),
    ],
)
def test_default_themes(text, expected):
    assert themes_of(text) == expected


@pytest.mark.parametrize(
    "keyword, text, hit",
    [
        ("bayar", "pembayarannya", True),        # prefix + suffix
        ("tunggu", "menunggu", True),           # nasal assimilation t → n
        ("sapa", "tidak menyapa", True),         # s → ny
        ("pungut", "memungut biaya", True),      # p → m
        ("tunggu", "tungku", False),
        ("lama", "selama ini baik", False),      # se- is not a prefix here
        ("lama", "kelamaan", True),
        ("jam", "jaman dulu", False),            # short keywords: whole word only
        ("ac", "acara", False),
        ("ac", "AC mati", True),
        ("antri*", "antrean antrinya", True),
        ("antri*", "mengantri", True),
        ("ruang tunggu", "ruang   tunggunya panas", True),
        ("ruang tunggu", "ruang kerja tunggu", False),
        ("résumé", "RESUME", True),              # accent- and case-insensitive both ways
        ("resume", "Résumé", True),
    ],
)
def test_keyword_matching(keyword, text, hit):
    themes = themes_frame([("x", keyword)])
    assert themes_of(text, themes) == (["x"] if hit else [])


def test_keyword_pattern_refuses_empty():
    with pytest.raises(ValueError, match="keyword must hold"):
        keyword_pattern("--")


def test_normalise_text():
    assert normalise_text("Ça  VA?\tÉtÉ—ok") == "ca va ete ok"
    s = normalise_text(pd.Series(["A-b", None]))
    assert s.iloc[0] == "a b" and pd.isna(s.iloc[1])


def test_tag_comments_order_and_missing():
    df = pd.DataFrame({"saran": ["Biaya mahal, antri lama", None, "ok"]}, index=[10, 11, 12])
    out = tag_comments(df)
    assert out.loc[10, "tema"] == "waktu pelayanan; biaya"  # dictionary order
    assert pd.isna(out.loc[11, "tema"]) and pd.isna(out.loc[12, "tema"])
    with pytest.raises(ValueError, match="'komentar'"):
        tag_comments(df, column="komentar")


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------

def test_theme_counts():
    df = pd.DataFrame({"saran": ["Antri lama", "Biaya mahal dan lama", "Oke", None, "  "]})
    t = theme_counts(df).set_index("tema")
    assert t.loc["waktu pelayanan", "n"] == 2 and t.loc["biaya", "n"] == 1
    assert t.loc[NO_THEME, "n"] == 1 and t.loc["sarana", "n"] == 0
    assert t.loc["waktu pelayanan", "share"] == pytest.approx(2 / 3)  # of 3 non-empty comments
    assert list(t.index)[-1] == NO_THEME


def test_theme_counts_by_unit():
    df = pd.DataFrame({"unit_layanan": ["A", "A", "B"], "saran": ["Antri lama", "Toilet kotor", "Lama"]})
    t = theme_counts(df, by="unit_layanan").set_index(["unit_layanan", "tema"])
    assert t.loc[("A", "waktu pelayanan"), "n"] == 1 and t.loc[("A", "sarana"), "share"] == 0.5
    assert t.loc[("B", "waktu pelayanan"), "share"] == 1.0 and t.loc[("B", "sarana"), "n"] == 0
    with pytest.raises(ValueError, match="lacks"):
        theme_counts(df, by="kecamatan")


def test_theme_counts_of_no_comment():
    t = theme_counts(pd.DataFrame({"saran": [None, ""]}))
    assert (t["n"] == 0).all() and t["share"].isna().all()


# --------------------------------------------------------------------------------------------
# Search and filters
# --------------------------------------------------------------------------------------------

@pytest.fixture
def feedback() -> pd.DataFrame:
    rows = [
        ("2025-01-05", "Puskesmas A", "Medan Baru", "Antrian terlalu LAMA", [3] * 9),
        ("2025-02-05", "puskesmas  a", "Medan Baru", "Petugas ramah, café bersih", [4] * 9),
        ("2025-05-05", "Dukcapil", "Medan Kota", "Antri lama di loket, hubungi 0812 3456 7890", [2] * 9),
        ("2025-05-06", "Dukcapil", "Medan Kota", None, [2] * 9),
        ("2025-08-01", "Dukcapil", "Medan Kota", "Sudah lebih cepat", [4] * 9),
    ]
    df = pd.DataFrame({
        "tanggal": pd.to_datetime([r[0] for r in rows]),
        "unit_layanan": [r[1] for r in rows],
        "kecamatan": [r[2] for r in rows],
        "kode_kecamatan": ["12.71.17", "12.71.17", "12.71.01", "12.71.01", "12.71.01"],
        "jenis_layanan": ["KIA", "KIA", "KTP", "KTP", "KK"],
        "saran": [r[3] for r in rows],
        **{u: [float(r[4][i]) for r in rows] for i, u in enumerate(ELEMENTS)},
        "jenis_kelamin": ["L", "P", "P", "L", "L"],
        "usia": [31.0, 45.0, 22.0, 60.0, 38.0],
        "pendidikan": ["SMA", "S1", "SMA", "SD", "S2"],
        "pekerjaan": ["Wiraswasta", "PNS", "Pelajar", "Petani", "Swasta"],
        "_row": [5, 6, 7, 8, 9],
        "_sheet": ["SKM"] * 5,
    })
    return df


def test_search_text_case_and_accent_insensitive(feedback):
    assert search_comments(feedback, text="ANTRI").index.tolist() == [0, 2]
    assert search_comments(feedback, text="cafe").index.tolist() == [1]
    assert search_comments(feedback, text="Café").index.tolist() == [1]
    assert search_comments(feedback, text="tidak ada").empty


def test_search_without_filters_returns_every_comment(feedback):
    out = search_comments(feedback)
    assert out.index.tolist() == [0, 1, 2, 4]  # the empty comment is not listed
    assert {"periode", "tema", "grade", "label"} <= set(out.columns)


def test_filter_by_unit_normalised(feedback):
    assert search_comments(feedback, unit="PUSKESMAS A").index.tolist() == [0, 1]
    assert search_comments(feedback, unit=["dukcapil", "x"]).index.tolist() == [2, 4]


def test_filter_by_kecamatan_and_period(feedback):
    assert search_comments(feedback, kecamatan="medan kota").index.tolist() == [2, 4]
    assert search_comments(feedback, periode="2025-Q2").index.tolist() == [2]
    assert search_comments(feedback, periode=["2025-01", "2025-08"], period="month").index.tolist() == [0, 4]


def test_filter_by_grade_of_the_unit(feedback):
    # Puskesmas A: answers 3 and 4 → 87.50 B. Dukcapil: 2, 2, 4 → 66.67 C over the year,
    # but 2, 2 → 50.00 D in 2025-Q2 alone.
    out = search_comments(feedback)
    assert dict(zip(out["unit_layanan"], out["grade"])) == {"Puskesmas A": "B", "puskesmas  a": "B", "Dukcapil": "C"}
    assert search_comments(feedback, grade="C").index.tolist() == [2, 4]
    assert search_comments(feedback, grade=["b"]).index.tolist() == [0, 1]
    q2 = search_comments(feedback, periode="2025-Q2")
    assert q2["grade"].tolist() == ["D"]


def test_filter_by_theme(feedback):
    assert search_comments(feedback, theme="waktu pelayanan").index.tolist() == [0, 2, 4]
    assert search_comments(feedback, theme=["sarana"]).index.tolist() == [1]
    assert search_comments(feedback, theme=NO_THEME).empty


def test_filters_combine(feedback):
    out = search_comments(feedback, text="lama", kecamatan="Medan Kota", theme="waktu pelayanan", grade="C")
    assert out.index.tolist() == [2]


# --------------------------------------------------------------------------------------------
# The viewer's view
# --------------------------------------------------------------------------------------------

def test_viewer_sees_comments_without_profile(feedback):
    feedback["catatan_petugas"] = "internal"  # an unknown column is not shown either (allowlist)
    out = comments_for_viewer(search_comments(feedback))
    assert not set(PROFILE_COLUMNS) & set(out.columns)
    assert not {"_row", "_sheet", "catatan_petugas"} & set(out.columns)
    assert {"saran", "unit_layanan", "tema", "grade", "periode"} <= set(out.columns)
    assert len(out) == 4
    assert out.loc[2, "saran"] == "Antri lama di loket, hubungi [disamarkan]"
    kept = comments_for_viewer(feedback, hide_contacts=False)
    assert "0812 3456 7890" in kept.loc[2, "saran"] and "usia" not in kept.columns


@pytest.mark.parametrize(
    "text, masked",
    [
        ("WA 0812-3456-7890", "WA [disamarkan]"),
        ("email: budi.s@medan.go.id.", "email: [disamarkan]."),
        ("NIK 1271011203850001 ok", "NIK [disamarkan] ok"),
        ("NIP 19850312 201001 1 003", "NIP [disamarkan]"),
        ("Menunggu 3 jam, tahun 2025, loket 12", "Menunggu 3 jam, tahun 2025, loket 12"),
        (None, None),
    ],
)
def test_mask_contacts(text, masked):
    assert mask_contacts(text) == masked


def test_comments_for_viewer_needs_saran():
    with pytest.raises(ValueError, match="saran"):
        comments_for_viewer(pd.DataFrame({"usia": [30]}))


def test_search_on_sample_workbook():
    from pathlib import Path

    f = Path(__file__).resolve().parents[2] / "data" / "sample" / "skm_2025.xlsx"
    if not f.exists():
        pytest.skip("sample workbook not generated")
    from analysis.intake.pipeline import read_file

    fb = read_file(f, kind="feedback").accepted
    counts = theme_counts(fb)
    with_text = fb["saran"].notna() & fb["saran"].astype("str").str.strip().ne("")
    assert counts["n"].sum() >= with_text.sum()
    # most comments get a theme from the default dictionary
    assert counts.set_index("tema").loc[NO_THEME, "share"] < 0.5
    assert not np.isnan(counts["share"]).any()


def test_repeated_index_labels_are_handled_by_position():
    df = pd.DataFrame({"unit_layanan": ["A", "B", "B"], "saran": ["Antri lama", "Toilet kotor", "Oke"]},
                      index=[5, 5, 6])
    assert tag_comments(df)["tema"].tolist()[:2] == ["waktu pelayanan", "sarana"]
    assert comment_themes(df["saran"])["index"].tolist() == [5, 5]
    t = theme_counts(df, by="unit_layanan").set_index(["unit_layanan", "tema"])
    assert t.loc[("A", "waktu pelayanan"), "n"] == 1 and t.loc[("A", "sarana"), "n"] == 0
    assert t.loc[("B", "sarana"), "n"] == 1 and t.loc[("B", NO_THEME), "n"] == 1
