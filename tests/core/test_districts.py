"""District table and matcher (analysis/core/districts.py; codes of Kepmendagri 300.2.2-2138/2025)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.districts import Districts, district_key, load_districts

# Kepmendagri 300.2.2-2138/2025, copied by hand: the codes are NOT alphabetical and must come from the table.
KEPMENDAGRI_TABLE = {
    "12.71.01": "Medan Kota", "12.71.02": "Medan Sunggal", "12.71.03": "Medan Helvetia",
    "12.71.04": "Medan Denai", "12.71.05": "Medan Barat", "12.71.06": "Medan Deli",
    "12.71.07": "Medan Tuntungan", "12.71.08": "Medan Belawan", "12.71.09": "Medan Amplas",
    "12.71.10": "Medan Area", "12.71.11": "Medan Johor", "12.71.12": "Medan Marelan",
    "12.71.13": "Medan Labuhan", "12.71.14": "Medan Tembung", "12.71.15": "Medan Maimun",
    "12.71.16": "Medan Polonia", "12.71.17": "Medan Baru", "12.71.18": "Medan Perjuangan",
    "12.71.19": "Medan Petisah", "12.71.20": "Medan Timur", "12.71.21": "Medan Selayang",
}


@pytest.fixture(scope="module")
def medan() -> Districts:
    return load_districts()


def test_table_is_the_domain_table(medan):
    table = medan.table
    assert len(table) == 21
    assert dict(zip(table["kode"], table["kecamatan"])) == KEPMENDAGRI_TABLE
    coords = medan.coordinates()
    assert list(coords.columns) == ["kode", "kecamatan", "lat", "lon"]
    assert coords["lat"].between(3.4, 3.9).all() and coords["lon"].between(98.5, 98.8).all()


@pytest.mark.parametrize("written", [
    "Kec. Medan Baru", "KECAMATAN MEDAN BARU", "medan baru ", "Medan-Baru", "Baru", "Medan Baru",
    "Kec Medan Baru", "kec.medan baru", "  MEDAN   BARU", "Medan_Baru", "12.71.17", "Kecamatan Baru",
])
def test_medan_baru_written_many_ways(medan, written):
    m = medan.match(written)
    assert (m.status, m.name, m.kode) == ("ok", "Medan Baru", "12.71.17")


@pytest.mark.parametrize("kode,name", sorted(KEPMENDAGRI_TABLE.items()))
def test_every_official_name_and_short_form_matches(medan, kode, name):
    for written in (name, name.upper(), name.split(" ", 1)[1], f"Kec. {name}"):
        m = medan.match(written)
        assert (m.status, m.name, m.kode) == ("ok", name, kode), written


@pytest.mark.parametrize("written", ["Medan", "medan", "Kecamatan Medan", "Kec. Medan", "MEDAN"])
def test_city_name_alone_is_ambiguous(medan, written):
    m = medan.match(written)
    assert m.status == "ambiguous" and m.name is None and m.kode is None
    assert len(m.candidates) == 21


@pytest.mark.parametrize("written,nearest", [
    ("Medan Raya", None), ("Medan Sungal", "Medan Sunggal"), ("Medan Tembong", "Medan Tembung"),
    ("Medan Timur Laut", "Medan Timur"), ("Jakarta Selatan", None), ("Medan Baru Kota", None),
])
def test_unknown_names_carry_nearest_candidates(medan, written, nearest):
    m = medan.match(written)
    assert m.status == "unknown" and m.name is None
    assert m.candidates, "an unknown name must come with the closest names"
    assert all(c in KEPMENDAGRI_TABLE.values() for c in m.candidates)
    if nearest:
        assert m.candidates[0] == nearest


@pytest.mark.parametrize("written", ["", "   ", "-", "Kecamatan"])
def test_empty_like_names_are_unknown(medan, written):
    assert medan.match(written).status == "unknown"


@pytest.mark.parametrize("text,key", [
    ("Kec. Medan-Baru ", "medanbaru"), ("KECAMATAN MEDAN BARU", "medanbaru"), ("Kec.Medan Kota", "medankota"),
    ("Kecamatan", ""), ("Kecil", "kecil"), ("kecamatan kec", "kec"),
])
def test_district_key(text, key):
    assert district_key(text) == key


def test_another_city_table_works():
    binjai = Districts(pd.DataFrame({"kode": ["12.75.01", "12.75.02", "12.75.03"],
                                     "kecamatan": ["Binjai Kota", "Binjai Utara", "Binjai Timur"]}))
    assert binjai.match("Kec. Binjai Utara").kode == "12.75.02"
    assert binjai.match("Timur").name == "Binjai Timur"
    assert binjai.match("Binjai").status == "ambiguous"
    assert binjai.match("Medan Baru").status == "unknown"


def test_table_without_a_shared_prefix():
    d = Districts(pd.DataFrame({"kode": ["1", "2"], "kecamatan": ["Alpha", "Beta Raya"]}))
    assert d.match("ALPHA").name == "Alpha"
    assert d.match("Beta Raya").kode == "2"
    assert d.match("Gamma").status == "unknown"


def test_custom_table_from_csv(tmp_path):
    path = tmp_path / "kec.csv"
    path.write_text("kode,kecamatan,lat,lon\n01.02.03,Kota Lama,1.0,2.0\n01.02.10,Kota Baru,1.1,2.1\n")
    d = load_districts(path)
    assert d.match("kec. kota baru").kode == "01.02.10"  # the code keeps its text form, not a number
    assert d.match("Lama").name == "Kota Lama"


def test_table_needs_kode_and_kecamatan():
    with pytest.raises(ValueError, match="kode"):
        Districts(pd.DataFrame({"name": ["A"]}))
