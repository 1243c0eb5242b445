"""The Karier page (pages/karier.py): the JP roster of a hand-built workforce as every role sees it —
aggregates only, no NIP or name —, the talent box from the sample's potensi, and "no potensi"
said as such."""

from __future__ import annotations

import re

import pytest

from apptest_helpers import make_app, publish, run_page, texts
from roster_case import A, appraisals, mentoring, other, training

PAGE = "pages/karier.py"
NIP_18 = re.compile(r"(?<!\d)\d{18}(?!\d)")


def _published(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role)
    publish("kinerja", appraisals(), name="Penilaian 2025")
    publish("training", training(), name="Rekap 2025")
    publish("mentoring", mentoring(), name="Mentoring 2025")
    publish("jp_lain", other(), name="Lain 2025")
    return at


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_the_roster_counts_everyone_and_names_nobody(tmp_path, monkeypatch, role):
    at = run_page(_published(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    # tests/roster_case.py: A 22, B 18, C 0, D 24, F 5 JP (E is PPPK, not counted)
    assert metrics == {"PNS dalam daftar": "5", "Mencapai 20 JP": "2", "Persentase": "40%",
                       "Tanpa pengembangan": "1", "Median JP": "18"}
    units = next(d.value for d in at.dataframe if "Unit kerja" in d.value.columns).set_index("Unit kerja")
    assert units.loc["Dinas Sosial", ["PNS", "Mencapai target", "Persentase"]].tolist() == ["2", "1", "50%"]
    bins = next(d.value for d in at.dataframe if "JP setahun" in d.value.columns)
    assert bins["PNS"].tolist() == [1, 1, 1, 2, 0]
    shown = texts(at) + "\n".join(d.value.to_csv() for d in at.dataframe)
    assert not NIP_18.search(shown) and "Ani Lestari" not in shown  # aggregates only
    assert "tidak dapat disusun" in texts(at)  # the roster case holds no potensi
    assert ("halaman Pengembangan" in texts(at)) is (role == "analyst")


def test_the_kecamatan_filter_narrows_the_headline(tmp_path, monkeypatch):
    at = _published(tmp_path, monkeypatch, "viewer")
    at.session_state["filter_kecamatan"] = "Medan Baru"
    run_page(at, PAGE)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["PNS dalam daftar"], metrics["Mencapai 20 JP"]) == ("3", "1")  # C 0, D 24, F 5


def test_the_sample_shows_the_talent_box(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch, "viewer"), PAGE)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Kotak 9" in d.value.columns)
    assert {f"Kotak {b}" for b in range(1, 10)} <= set(table.columns) and table["Jumlah"].sum() > 1000
    boxes = next(d.value for d in at.dataframe if "Arti" in d.value.columns)
    assert boxes.iloc[0].tolist()[:3] == [9, "di atas ekspektasi", "tinggi"]
    assert "Instansi wajib mencocokkannya dengan teks peraturan" in texts(at)
    assert A not in texts(at)
