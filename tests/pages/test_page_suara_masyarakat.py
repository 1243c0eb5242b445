"""The Suara Masyarakat page: IKM with grades and sample flags, the nine elements,
before vs after the programs, the trend with engagement events, and the comments browser — as
viewer (no respondent profile, no row download), analyst and admin, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apptest_helpers import make_app, publish, run_page, set_lang, texts

from analysis.intake.pipeline import read_file
from ui import voice_cache

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/suara_masyarakat.py"
TABS = {"ba": "Sebelum dan sesudah program", "trend": "Tren dan kegiatan warga", "comments": "Saran warga"}
PROFILE_HEADERS = {"Jenis kelamin", "Usia", "Pendidikan", "Pekerjaan", "Sex", "Age", "Education", "Occupation"}


def _open_tab(at, name: str):
    at.session_state["suara_tab"] = TABS[name]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame_with(at, column: str):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with a {column!r} column: {[list(d.value.columns) for d in at.dataframe]}")


def test_viewer_sees_ikm_elements_and_every_tab(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="viewer")
    run_page(at, PAGE)
    assert not at.exception
    assert at.title[0].value == "Suara Masyarakat"
    assert any("DATA SINTETIS" in w.value for w in at.warning)  # the sample is labelled
    metrics = {m.label: m.value for m in at.metric}
    assert re.fullmatch(r"\d{2},\d{2}", metrics["IKM keseluruhan"])  # Indonesian decimal comma
    assert metrics["Mutu pelayanan"][0] in "ABCD"
    assert len(at.get("plotly_chart")) == 2  # IKM bars and the nine elements
    table = _frame_with(at, "Target sampel")
    assert {"Unit layanan", "IKM", "Mutu", "Responden", "Unsur terlemah", "Catatan"} <= set(table.columns)
    # no population entered: no sample target is made up, and the tile says the population is unknown
    assert (table["Target sampel"] == "").all() and not table["Catatan"].str.contains("Krejcie").any()
    assert metrics["Unit di bawah target sampel"] == "populasi belum diisi"
    assert "Krejcie–Morgan" in texts(at)
    at.number_input(key="suara_population").set_value(1000)
    at.run()
    table = _frame_with(at, "Target sampel")
    assert (table["Target sampel"] == "278").all()  # Krejcie & Morgan (1970), Table 1: N = 1000 → 278
    assert table["Catatan"].str.contains("Krejcie").any()
    short = int(table["Catatan"].str.contains("Krejcie").sum())
    assert {m.label: m.value for m in at.metric}["Unit di bawah target sampel"] == f"{short} / {len(table)}"

    _open_tab(at, "ba")
    labels = [m.label for m in at.metric]
    assert any(label.startswith("IKM sebelum") for label in labels)
    assert "Selisih terhadap pembanding (DiD)" in labels
    assert any("95% CI" in c.value for c in at.caption)  # the DiD's uncertainty
    assert "Unsur" in _frame_with(at, "p (Holm)").columns
    assert len(at.get("plotly_chart")) == 1

    _open_tab(at, "trend")
    assert len(at.get("plotly_chart")) == 1
    assert "Kegiatan" in _frame_with(at, "Responden SKM").columns
    assert any("Hanya deskriptif" in c.value or "Terlalu sedikit" in c.value for c in at.caption)

    _open_tab(at, "comments")
    shown = _frame_with(at, "Saran")
    assert not (PROFILE_HEADERS & set(shown.columns))  # no respondent profile row by row
    assert not shown["Saran"].str.contains(r"\d{8,}", regex=True).any()  # phone numbers masked
    assert not at.get("download_button")  # viewers get no row-level download
    assert any("Profil responden" in c.value for c in at.caption)


def test_analyst_comments_with_profile_search_and_download(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    _open_tab(at, "comments")
    shown = _frame_with(at, "Saran")
    assert {"Usia", "Pendidikan"} <= set(shown.columns)
    assert [d.label for d in at.get("download_button")] == ["Unduh saran (CSV)"]
    total = int(re.search(r"([\d.]+) saran cocok", texts(at)).group(1).replace(".", ""))

    at.text_input(key="suara_c_text").set_value("antre")
    at.run()
    assert not at.exception
    found = int(re.search(r"([\d.]+) saran cocok", texts(at)).group(1).replace(".", ""))
    assert 0 < found < total
    assert _frame_with(at, "Saran")["Saran"].str.lower().str.contains("antre").all()

    at.multiselect(key="suara_c_grade").set_value(["D"])
    at.text_input(key="suara_c_text").set_value("zzzz tidak ada")
    at.run()
    assert not at.exception
    assert any("Tidak ada saran yang cocok" in i.value for i in at.info)


def test_admin_edited_theme_dictionary_is_used(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)  # mode none: admin
    import pandas as pd

    voice_cache.save_themes(pd.DataFrame({"tema": ["antrean uji", "biaya"], "kata_kunci": ["antre*", "bayar"]}))
    run_page(at, PAGE)
    _open_tab(at, "comments")
    assert at.multiselect(key="suara_c_theme").options == ["antrean uji", "biaya", "lainnya"]
    tags = _frame_with(at, "Tema")["Tema"].dropna()
    assert tags.str.contains("antrean uji").any()


def test_before_after_cannot_be_computed_is_a_warning(tmp_path, monkeypatch):
    """One survey round only: no round after the program — a warning with what to do, no exception."""
    at = make_app(tmp_path, monkeypatch, role="analyst")
    survey = tmp_path / "skm.csv"
    survey.write_text(
        "Tanggal;Unit Layanan;Kecamatan;U1;U2;U3;U4;U5;U6;U7;U8;U9;Saran\n"
        + "".join(f"0{d}/02/2025;Puskesmas A;Medan Baru;3;3;{2 + d % 2};3;3;3;3;3;3;Antri lama\n" for d in range(1, 9)),
        encoding="utf-8")
    training = tmp_path / "latsar.csv"
    training.write_text(
        "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;Tanggal Selesai;JP;Pre Test;Post Test\n"
        "198503122010011003;Ani;Puskesmas A;Medan Baru;Pelayanan Prima;10/03/2025;14/03/2025;20;60;80\n"
        "198601012011012004;Budi;Puskesmas A;Medan Baru;Pelayanan Prima;10/03/2025;14/03/2025;20;55;70\n",
        encoding="utf-8")
    publish("feedback", survey)
    publish("training", training)
    run_page(at, PAGE)
    assert not at.exception
    assert not any("DATA SINTETIS" in w.value for w in at.warning)  # published data, not the sample
    assert {m.label: m.value for m in at.metric}["Responden"] == "8"
    _open_tab(at, "ba")
    warning = " ".join(w.value for w in at.warning)
    assert "belum dapat dihitung" in warning and "Pilih program lain" in warning


@pytest.mark.parametrize("role", [None, "admin"])
def test_language_switch(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role=role)
    run_page(at, PAGE)
    set_lang(at, "en")
    assert not at.exception
    assert at.title[0].value == "Citizen Voice"
    metrics = {m.label: m.value for m in at.metric}
    assert re.fullmatch(r"\d{2}\.\d{2}", metrics["Overall IKM"])  # English decimal point
    assert "Service unit" in _frame_with(at, "Sample target").columns


def test_sidebar_kecamatan_filter_narrows_every_tab(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="viewer")
    run_page(at, PAGE)
    everyone = int({m.label: m.value for m in at.metric}["Responden"].replace(".", ""))
    at.session_state["filter_kecamatan"] = "Medan Baru"
    at.run()
    assert not at.exception
    some = int({m.label: m.value for m in at.metric}["Responden"].replace(".", ""))
    assert 0 < some < everyone
    sample = read_file(ROOT / "data" / "sample" / "skm_2025.xlsx", kind="feedback").accepted
    units = set(sample.loc[sample["kecamatan"] == "Medan Baru", "unit_layanan"])
    assert set(_frame_with(at, "Target sampel")["Unit layanan"]) == units  # that district's units only
    for tab in ("ba", "trend", "comments"):
        _open_tab(at, tab)
    assert set(_frame_with(at, "Saran")["Kecamatan"]) == {"Medan Baru"}


def test_before_after_follows_the_sidebar_program(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    _open_tab(at, "ba")
    assert at.selectbox(key="suara_program").value == "__all__"
    at.session_state["filter_program"] = "Pelayanan Prima"
    at.run()
    assert not at.exception
    assert at.selectbox(key="suara_program").value == "Pelayanan Prima"
    assert any(label.startswith("IKM sesudah") for label in (m.label for m in at.metric))
