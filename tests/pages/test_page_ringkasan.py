"""The Ringkasan (overview) page: headline figures, ranking, drill-down, downloads, roles, language;
and the shared helpers of ``ui.evidence_cache`` it relies on."""

from __future__ import annotations

import doctest
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

import ui.evidence_cache as ec
from analysis.evidence.engine import estimate_frame, paired_summary
from store.audit import read_audit
from store.datasets import Store
from apptest_helpers import (HOSTILE, click_chart, make_app, plotly_specs, publish, run_page, sample_rows, set_lang,
                             texts, training_frame)
from pages import ringkasan
from ui.session import md_escape

PAGE = "pages/ringkasan.py"


def _metric_labels(at) -> list[str]:
    return [m.label for m in at.metric]


def _verdict_rows(at) -> dict[str, list[str]]:
    """The verdict table's rows: level → [answer badge, programs behind it, design]."""
    table = next(m.value for m in at.markdown if m.value.startswith("| Tingkat |") or m.value.startswith("| Level |"))
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {r[0].strip("*"): r[1:] for r in rows}


@pytest.mark.parametrize("programs, gain, expected", [
    ({"A": 40, "B": 40}, 6.0, ":blue-badge[Terbukti naik]"),      # both rise about 6 points (SD of change 4)
    ({"A": 40, "B": 40}, -6.0, ":red-badge[Turun]"),              # both fall about 6 points
    ({"A": 40, "B": 40}, 0.0, ":gray-badge[Belum terbukti]"),     # no change: neither is significant
    ({"A": 5, "B": 6}, 6.0, ":violet-badge[Data belum cukup]"),   # fewer than 10 pairs each
])
def test_the_verdict_reaches_each_state(tmp_path, monkeypatch, programs, gain, expected):
    at = make_app(tmp_path, monkeypatch, "viewer")
    publish("training", training_frame(programs, gain=gain, seed=3), name="Uji")
    at = run_page(at, PAGE)
    assert not at.exception
    verdict = _verdict_rows(at)
    assert verdict["Pengetahuan (L2)"][0] == expected
    n = len(programs)
    assert verdict["Pengetahuan (L2)"][1].endswith(f"dari {n} program")
    assert verdict["Pengetahuan (L2)"][2] == f"{n} sebelum–sesudah saja"  # no comparison group in these files
    # no SKM published beside it: nothing to say about citizens
    assert verdict["Kepuasan warga (L4)"] == [":violet-badge[Data belum cukup]", "belum ada program dengan data", "–"]


def test_the_verdict_names_the_comparison_design(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    publish("training", training_frame({"A": 40, "B": 40}, comparison=40, seed=3), name="Uji")
    at = run_page(at, PAGE)
    # performance pairs exist for the 40 comparison staff: both programs are measured against them
    assert _verdict_rows(at)["Kinerja (L3)"][2] == "2 dengan kelompok pembanding"


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_ringkasan_as_each_role(tmp_path, monkeypatch, role):
    at = run_page(make_app(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception
    assert at.title[0].value == "Ringkasan"
    assert _metric_labels(at) == ["Peserta", "Program", "JP terlaksana", "PNS mencapai 20 JP",
                                  "Program naik signifikan (nilai tes)", "IKM 2025-Q4"]  # the measure it counts
    values = {m.label: m.value for m in at.metric}
    # the sample: 2,398 distinct participants in 12 programs, shown in Indonesian format
    assert values["Peserta"] == "2.398" and values["Program"] == "12"
    assert values["IKM 2025-Q4"] == "83,77 (B)"
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("download_button")) == 2
    assert any("DATA SINTETIS" in w.value for w in at.warning)  # the sample is labelled
    caption = "lembar data per peserta" if role != "viewer" else "tanpa data per pegawai"
    assert caption in texts(at)
    # the answer first: the verdict per level, with the programs and the design behind it
    assert "Apakah program berhasil?" in texts(at)
    verdict = _verdict_rows(at)
    assert list(verdict) == ["Pengetahuan (L2)", "Kinerja (L3)", "Kepuasan warga (L4)", "Reaksi peserta (L1)"]
    assert verdict["Pengetahuan (L2)"][0] == ":blue-badge[Terbukti naik]"
    assert verdict["Pengetahuan (L2)"][1].endswith("dari 12 program")
    assert any(b.key == "present_open" for b in at.button)  # the presentation starts here


def test_ringkasan_in_english(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch), PAGE)
    set_lang(at, "en")
    assert not at.exception
    assert at.title[0].value == "Overview"
    values = {m.label: m.value for m in at.metric}
    assert values["Participants"] == "2,398"
    assert "Programs with a significant gain (test scores)" in values
    assert "Click a dot to open the program's details." in texts(at)
    assert '"Post-test − pre-test score (points)"' in plotly_specs(at)[0]
    assert _verdict_rows(at)["Knowledge (L2)"][0] == ":blue-badge[Proven gain]"


def test_ringkasan_click_opens_program_page_and_leaves_the_overview_as_it_was(tmp_path, monkeypatch):
    """A click on a dot (the chart's own on_select callback) opens that program's page; the sidebar's
    filters do not change, so back on the overview every program is still there."""
    at = run_page(make_app(tmp_path, monkeypatch), PAGE)
    at.session_state["filter_periode"] = "2025"
    at.run()
    programs_before = {m.label: m.value for m in at.metric}["Program"]
    click_chart(at, ringkasan.CHART_KEY, ["Literasi Data", "increase"])
    assert not at.exception
    assert at.title[0].value == "Program"
    assert at.header[0].value == "Literasi Data"
    assert at.session_state["filter_program"] == "__all__"  # the global filter is untouched
    assert at.query_params.get("pilih") in ("Literasi Data", ["Literasi Data"])  # the link reopens the view
    assert at.query_params.get("periode") in ("2025", ["2025"]) and "program" not in at.query_params
    run_page(at, PAGE)  # back
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Program"] == programs_before == "12"


def test_active_filters_show_as_chips_with_one_reset(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    at.session_state["filter_periode"] = "2025"
    at.session_state["filter_kecamatan"] = "Medan Baru"
    run_page(at, PAGE)
    chips = [m.value for m in at.markdown if "badge[" in m.value and not m.value.startswith("|")]  # not the verdict
    assert chips == [":blue-badge[Periode: 2025] :blue-badge[Kecamatan: Medan Baru]"]
    next(b for b in at.button if b.key == "filter_reset").click()
    at.run()
    assert not at.exception
    assert at.session_state["filter_periode"] == at.session_state["filter_kecamatan"] == "__all__"
    assert not [m.value for m in at.markdown if "badge[" in m.value and not m.value.startswith("|")]
    assert "kecamatan" not in at.query_params and "periode" not in at.query_params


def test_ringkasan_published_data_hostile_names_and_small_groups(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    rows = training_frame({HOSTILE: 40, "Kecil": 4})
    small = rows["program"] == "Kecil"
    rows.loc[small, "nilai_post"] = rows.loc[small, "nilai_pre"] + [1.0, -1.0, 2.0, 0.0]
    publish("training", rows, name="Uji 2025")
    at = run_page(at, PAGE)
    assert not at.exception
    assert not any("DATA SINTETIS" in w.value for w in at.warning)  # a published dataset, not the sample
    assert all(not el.allow_html for el in at.get("markdown"))
    spec = plotly_specs(at)[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in spec and HOSTILE not in spec
    # a group too small to conclude is named as such, never as "no effect"
    assert "Data terlalu sedikit untuk menyimpulkan: Kecil." in texts(at)
    assert "Data terlalu sedikit untuk menyimpulkan" in spec


def test_ringkasan_no_rows_for_filter(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    rows = training_frame({"A": 12}, comparison=4)
    comparison = rows["kelompok"] == "pembanding"
    rows["tanggal_mulai"] = pd.to_datetime(np.where(comparison, "2025-06-02", "2025-02-03"))
    publish("training", rows, name="Uji")
    at.session_state["filter_periode"] = "2025-Q2"  # only the comparison group was assessed then
    at = run_page(at, PAGE)
    assert not at.exception
    assert "Tidak ada data pelatihan untuk filter ini" in texts(at)


# ------------------------------------------------------------------ the meeting files


def _builds(at, monkeypatch) -> dict:
    """Run the page with the download jobs captured; returns ``{"pptx": build, "xlsx": build}``."""
    builds = {}

    def record(build, store, user, *, fmt, **kwargs):
        builds[fmt] = build
        return build

    monkeypatch.setattr(ec, "export_job", record)
    run_page(at, PAGE)
    assert not at.exception
    return builds


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_excel_export_rows_only_for_analysts(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role)
    builds = _builds(at, monkeypatch)
    wb = openpyxl.load_workbook(io.BytesIO(builds["xlsx"]()))
    assert wb.sheetnames[:4] == ["Petunjuk", "Ringkasan", "Kartu skor", "Program - pengetahuan"]
    assert ("Data peserta" in wb.sheetnames) is (role == "analyst")
    program = wb["Program - pengetahuan"]
    assert program.max_row == 13  # 12 programs + header
    nips = set(sample_rows("training")["nip"].dropna())
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert bool(cells & nips) is (role == "analyst")  # no NIP anywhere in the aggregate workbook


def test_pptx_export_covers_every_level_and_ends_with_the_recommendations(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    at.session_state["filter_ukuran"] = "performance"  # the deck still ranks knowledge too
    builds = _builds(at, monkeypatch)
    prs = Presentation(io.BytesIO(builds["pptx"]()))
    titles = [s.shapes.title.text for s in prs.slides]
    assert any(t.endswith("menaikkan nilai post-test") for t in titles)
    assert any(t.endswith("menaikkan nilai kinerja") for t in titles)
    assert any(t.startswith("Penilaian mentee") for t in titles)  # the sample's mentoring
    assert titles[-1].startswith("Rekomendasi:")
    chart = next(s.chart for s in prs.slides[3].shapes if s.has_chart)
    assert len(list(chart.plots[0].categories)) == 12


def test_export_job_writes_the_audit_log(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    job = ec.export_job(lambda: b"PK\x03\x04", store, "budi", fmt="xlsx", page="ringkasan", row_level=False,
                        version_id=7, detail={"periode": "2025"})
    assert read_audit(store).empty  # nothing logged until the file is actually built
    assert job() == b"PK\x03\x04"
    log = read_audit(store)
    assert log[["actor", "action", "version_id"]].to_dict("records") == [
        {"actor": "budi", "action": "export", "version_id": 7}]
    assert '"row_level": false' in log["detail"].iloc[0] and '"periode": "2025"' in log["detail"].iloc[0]


# ------------------------------------------------------------------ ui.evidence_cache helpers


def test_evidence_cache_docstring_examples():
    result = doctest.testmod(ec, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10 and result.failed == 0


@pytest.mark.parametrize("text", [HOSTILE, "**tebal** [tautan](http://x) :red[merah] `kode` $x$ # judul"])
def test_md_escape_leaves_no_markdown(text):
    out = md_escape(text)
    unescaped = [ch for i, ch in enumerate(out) if ch in "<>*[]()`$#:" and (i == 0 or out[i - 1] != "\\")]
    assert unescaped == []
    assert out.replace("\\", "") == text


def test_estimate_frame_keeps_before_after_without_comparison():
    summary = paired_summary(training_frame({"A": 12}), "knowledge", by="program")
    est = estimate_frame(summary)
    assert est["estimate"].tolist() == ["before_after"]
    assert est["mean_delta"].tolist() == summary["mean_delta"].tolist()


def test_estimate_frame_uses_did_with_a_comparison_group():
    summary = paired_summary(training_frame({"A": 30}, comparison=30), "performance", by="program")
    est = estimate_frame(summary)
    assert est["estimate"].tolist() == ["difference_in_differences"]
    np.testing.assert_allclose(est[["mean_delta", "ci_low", "ci_high", "p_adjusted"]].to_numpy(dtype=float),
                               summary[["did", "did_ci_low", "did_ci_high", "did_p_adjusted"]].to_numpy(dtype=float))
    assert est["ba_mean_delta"].tolist() == summary["mean_delta"].tolist()
    assert est["effect_size_dz"].isna().all()


# ------------------------------------------------------------------ where a number comes from


def test_once_real_data_is_published_nothing_comes_from_the_sample(tmp_path, monkeypatch):
    """Training published, no SKM survey: the IKM tile, the citizen-voice page, the deck and the
    workbook must not fall back to the bundled SKM sample (83,77 B); each says what is missing."""
    at = make_app(tmp_path, monkeypatch)  # mode none: an administrator, who may upload
    publish("training", training_frame({"Literasi Data": 40, "Pelayanan Prima": 30}), name="Rekap Uji 2025")
    builds = {}

    def record(build, store, user, *, fmt, **kwargs):
        builds[fmt] = build
        return build

    monkeypatch.setattr(ec, "export_job", record)
    at = run_page(at, PAGE)
    assert not at.exception
    assert not any("DATA SINTETIS" in w.value for w in at.warning)
    values = {m.label: m.value for m in at.metric}
    assert values["IKM"] == "–" and "83,77 (B)" not in values.values()
    assert any("Belum ada data SKM yang diterbitkan" in i.value for i in at.info)
    links = at.get("page_link")
    assert [link.proto.page for link in links] == ["kelola-data"]  # the Data page, for an analyst or admin
    sources = next(c.value for c in at.caption if c.value.startswith("Sumber angka")).replace("\\", "")
    assert "Rekap Uji 2025, versi 1" in sources and "SKM: belum ada data yang diterbitkan" in sources

    wb = openpyxl.load_workbook(io.BytesIO(builds["xlsx"]()))
    assert "IKM unit" not in wb.sheetnames  # no IKM from the sample
    about = [c.value for row in wb["Petunjuk"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Rekap Uji 2025, versi 1" in v for v in about)
    assert "SKM: belum ada data yang diterbitkan" in about
    assert "DATA SINTETIS" not in about
    prs = Presentation(io.BytesIO(builds["pptx"]()))
    text = "\n".join(sh.text_frame.text for slide in prs.slides for sh in slide.shapes if sh.has_text_frame)
    assert "Rekap Uji 2025, versi 1" in text and "DATA SINTETIS" not in text
    assert "83,77" not in text

    run_page(at, "pages/suara_masyarakat.py")
    assert not at.exception
    assert not at.get("plotly_chart") and not at.metric  # nothing drawn from the sample
    assert any("Belum ada data SKM yang diterbitkan" in i.value for i in at.info)


def test_a_viewer_gets_the_empty_state_without_a_link_to_the_data_page(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer")
    publish("feedback", sample_rows("feedback"), name="SKM Uji")
    at = run_page(at, PAGE)
    assert not at.exception
    assert any("Belum ada data pelatihan yang diterbitkan" in i.value for i in at.info)
    assert not at.get("page_link") and not at.metric and not at.get("plotly_chart")


def test_the_sample_is_named_as_the_source_while_nothing_is_published(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch), PAGE)
    sources = next(c.value for c in at.caption if c.value.startswith("Sumber angka")).replace("\\", "")
    assert sources == "Sumber angka — pelatihan: contoh bawaan (DATA SINTETIS); SKM: contoh bawaan (DATA SINTETIS)."


def test_the_jp_headline_counts_everyone_the_appraisals_list(tmp_path, monkeypatch):
    """With appraisals published, "PNS mencapai 20 JP" is over the whole roster, not the training file's
    people: tests/career/roster_case.py has A 22, B 18, C 0 (no development at all), D 24, F 5 JP in
    2025 — 2 of 5 PNS — while only four of them appear in the training rows."""
    from roster_case import appraisals, mentoring, other, training

    at = make_app(tmp_path, monkeypatch, "analyst")
    publish("kinerja", appraisals(), name="Penilaian 2025")
    publish("training", training(), name="Rekap 2025")
    publish("mentoring", mentoring(), name="Mentoring 2025")
    publish("jp_lain", other(), name="Lain 2025")
    at = run_page(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    tile = next(m for m in at.metric if m.label == "PNS mencapai 20 JP")
    assert tile.value == "40%"
    assert "2 dari 5 PNS-tahun" in str(tile.proto.delta)
    assert "0 JP" in tile.help  # the help says who is counted
