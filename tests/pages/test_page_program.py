"""The Program page: one program's charts, reading, design, tests table; roles, masking, language,
ordinal ratings, small groups and hostile program names."""

from __future__ import annotations

import pytest

from apptest_helpers import (HOSTILE, make_app, plotly_specs, publish, run_page, sample_rows, set_lang, texts,
                             training_frame)
from ui.session import md_escape

PAGE = "pages/program.py"
FIRST = "Etika dan Budaya Kerja BerAKHLAK"  # alphabetically first program of the sample


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_program_as_each_role(tmp_path, monkeypatch, role):
    at = run_page(make_app(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception
    assert at.title[0].value == "Program"
    assert at.selectbox(key="program_pick").value == FIRST  # filter "all": the page asks for one
    assert at.header[0].value == md_escape(FIRST)
    # plain words first; the technical names (d_z, uji t, Wilcoxon) in the help
    assert [m.label for m in at.metric] == ["Pasangan lengkap", "Perubahan rata-rata", "Besar efek", "Peluang kebetulan"]
    assert "d_z" in at.metric[2].help and "uji t berpasangan" in at.metric[3].help and "Wilcoxon" in at.metric[3].help
    assert at.metric[1].delta.startswith("95% CI ")  # every estimate with its uncertainty
    assert len(at.get("plotly_chart")) == 3  # before/after, deltas, forest
    assert len(at.dataframe) == 1  # the full tests table
    table = at.dataframe[0].value
    assert table.iloc[0, 0] == "Seluruh program" and len(table) == 1 + 21  # overall + every kecamatan
    for column in ("uji utama", "peluang kebetulan (p terkoreksi)", "besar efek 95% CI bawah",
                   "efek terkecil terdeteksi (d_z, power 80%)", "desain"):
        assert column in table.columns
    # knowledge has no comparison scores in the sample: the before/after warning is shown
    assert any("sebelum–sesudah saja" in w.value for w in at.warning)
    paired = plotly_specs(at)[0]
    full_name = sample_rows()["nama"].loc[lambda s: sample_rows()["program"] == FIRST].iloc[0]
    assert (full_name in paired) is (role != "viewer")  # viewers see masked names only


def test_program_from_filter_with_comparison_group_and_english(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    at.session_state["filter_program"] = "Literasi Data"
    at.session_state["filter_ukuran"] = "performance"
    at = run_page(at, PAGE)
    assert not at.exception
    assert at.header[0].value == "Literasi Data"
    assert "Program dipilih dari filter" in texts(at)
    assert [m.label for m in at.metric][2] == "Kenaikan di atas pembanding"
    assert "Selisih-dalam-selisih (difference in differences, DiD)" in at.metric[2].help
    assert any("selisih-dalam-selisih" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert table.loc[0, "desain"] == "selisih-dalam-selisih (DiD)"
    set_lang(at, "en")
    assert not at.exception
    assert [m.label for m in at.metric][2] == "Gain beyond the comparison"
    assert any("difference in differences" in s.value for s in at.success)
    assert at.dataframe[0].value.iloc[0, 0] == "Whole program"
    assert "Against" in at.info[0].value  # the engine's English reading


def test_program_ordinal_ratings_show_the_shift_table(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "analyst")
    publish("training", training_frame({"Pelayanan Prima": 40}, comparison=10, ordinal=True), name="Predikat")
    at.session_state["filter_ukuran"] = "performance"
    at = run_page(at, PAGE)
    assert not at.exception
    assert "Tabel pergeseran predikat" in texts(at)
    shift = at.dataframe[0].value
    assert list(shift.columns) == ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]
    assert int(shift.to_numpy().sum()) == 40
    assert any("predikat berjenjang" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 2  # level changes and forest; no slope chart of ranks


def test_program_small_group_is_too_little_data(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    rows = training_frame({"Kecil": 4})
    rows["nilai_post"] = rows["nilai_pre"] + [1.0, -1.0, 2.0, 0.0]
    publish("training", rows, name="Kecil")
    at = run_page(at, PAGE)
    assert not at.exception
    assert any("data terlalu sedikit untuk menyimpulkan" in w.value for w in at.warning)
    assert "Data terlalu sedikit untuk menyimpulkan" in plotly_specs(at)[2]  # the forest plot's legend


def test_program_hostile_name_stays_text(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    publish("training", training_frame({HOSTILE: 12}), name="Uji")
    at = run_page(at, PAGE)
    assert not at.exception
    assert at.selectbox(key="program_pick").value == HOSTILE  # a widget option: shown as plain text
    assert at.header[0].value == md_escape(HOSTILE)
    assert all(not el.allow_html for el in at.get("markdown"))
    assert all(HOSTILE not in el.value for el in at.get("markdown"))
