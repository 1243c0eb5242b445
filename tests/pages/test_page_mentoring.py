"""The Mentoring page (pages/mentoring.py) per role, with viewers' masking; the mentoring layer of the
Kecamatan page; and the sample's mentoring truth recovered on the page."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ui.data import sample_path
from apptest_helpers import make_app, plotly_specs, publish, run_page, sample_rows, set_lang, texts
from generate_sample_truth import helped_kecamatan
from pages import mentoring

PAGE = "pages/mentoring.py"
NIP_18 = re.compile(r"(?<!\d)\d{18}(?!\d)")
NIP_MASKED = re.compile(r"\d{6}\*{8}\d{4}")
NAME_MASKED = re.compile(r"\b[A-Z]\*\*\* [A-Z]\*\*\*")


def _everything(at) -> str:
    parts = [texts(at)]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += plotly_specs(at)
    return "\n".join(parts)


def _table(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_mentoring_page_per_role(tmp_path, monkeypatch, role):
    at = run_page(make_app(tmp_path, monkeypatch, role), PAGE)
    assert not at.exception
    assert at.title[0].value == "Mentoring"
    headers = [s.value for s in at.main.subheader]
    assert headers == ["Jangkauan", "Jam pelajaran (JP)", "Efek pada penilaian kinerja",
                       "Dosis: lebih banyak sesi, lebih besar perubahan?", "Mentor"]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Pasangan"], metrics["Mentee"]) == ("300", "300")  # the sample's pairs
    assert len(plotly_specs(at)) == 3  # forest per kecamatan, dose, mentors
    mentors = sample_rows("mentoring")["mentor_nip"].astype(str)
    names = sample_rows("kinerja").drop_duplicates("nip").set_index("nip")["nama"]
    mentor_names = {names[n].split(",")[0] for n in mentors if n in names.index}
    shown = _everything(at)
    leaked_nips = set(NIP_18.findall(shown)) & set(mentors)
    leaked_names = {n for n in mentor_names if n in shown}
    if role == "viewer":
        assert not leaked_nips and not leaked_names
        assert NAME_MASKED.search(plotly_specs(at)[2])  # the mentors, as initials
        assert not any("NIP mentor" in d.value.columns for d in at.dataframe)  # no per-mentor table
        assert "Nama dan NIP mentor disamarkan" in texts(at)
    else:  # analyst, or admin in mode none
        table = _table(at, "NIP mentor")
        assert set(table["NIP mentor"]) <= set(mentors) and len(table) >= 100
        assert leaked_nips and leaked_names  # what masks them for viewers is the role


def test_the_page_recovers_the_samples_mentoring_truth(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch, "viewer"), PAGE)
    table = _table(at, "Efek [95% CI]")
    assert len(table) == 21
    reading = dict(zip(table["Kecamatan"], table["Arti"]))
    helped = set(helped_kecamatan())
    increase = {k for k, r in reading.items() if r == "Naik signifikan"}
    assert increase <= helped  # never where mentoring does nothing
    assert len(increase) >= len(helped) - 3  # and in most kecamatan where it helps (Holm-adjusted)
    low = {k: float(v.split("[")[1].split(";")[0].replace(",", ".")) for k, v in zip(table["Kecamatan"],
                                                                                      table["Efek [95% CI]"])}
    assert all(low[k] <= 0 for k in reading if k not in helped)  # no interval above zero outside them
    assert sum(low[k] > 0 for k in helped) >= len(helped) - 1
    forest = plotly_specs(at)[0]
    assert all(k in forest for k in helped)


def test_mentoring_page_in_english_and_with_a_lag(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch, "analyst"), PAGE)
    before = int(re.search(r"tanpa periode sesudah (\d+)", texts(at)).group(1))
    at.session_state[mentoring.LAG_KEY] = 2
    at.run()
    assert not at.exception
    # two months more: a mentoring that ended after 31 July no longer reaches the fourth quarter
    after = int(re.search(r"tanpa periode sesudah (\d+)", texts(at)).group(1))
    assert after > before + 50
    at.session_state[mentoring.LAG_KEY] = 0
    set_lang(at, "en")
    assert not at.exception
    assert [s.value for s in at.main.subheader][2] == "Effect on the appraisals"
    assert "Effect [95% CI]" in _table(at, "Effect [95% CI]").columns


def test_mentees_without_appraisals_are_reported_not_guessed(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "analyst")
    pairs = sample_rows("mentoring").head(6).copy()
    pairs["mentee_nip"] = [f"19950101202001{1 + i % 2}{i:03d}" for i in range(6)]  # nobody in the appraisals
    publish("mentoring", pairs, name="Uji")
    # once anything is published no kind falls back to the sample: the appraisals are published too
    publish("kinerja", sample_path("kinerja"), name="e-Kinerja 2025")
    at = run_page(at, PAGE)
    assert not at.exception
    assert "tanpa data 6" in texts(at)
    assert at.metric[0].value == "6"


def test_kecamatan_page_has_the_mentoring_layer(tmp_path, monkeypatch):
    at = run_page(make_app(tmp_path, monkeypatch, "viewer"), "pages/kecamatan.py")
    assert not at.exception
    assert "Mentoring senior–junior" in [s.value for s in at.subheader]
    layer = _table(at, "Efek [95% CI]")
    assert len(layer) == 21 and "DATA SINTETIS" in texts(at)
    at.session_state["filter_kecamatan"] = "Medan Johor"
    at.run()
    assert not at.exception
    layer = _table(at, "Efek [95% CI]")
    assert layer["Kecamatan"].tolist() == ["Medan Johor"]
    assert layer["Arti"].tolist() == ["Naik signifikan"]  # Medan Johor is one where mentoring helps


def test_ui_helpers_mask_and_format():
    from ui.mentoring import kecamatan_table, mentor_frame

    m = [{"mentor": "197501012000031002", "mentees": 3, "mean_change": 1.0, "shrunk_change": 0.8, "ci_low": 0.2,
          "ci_high": 1.4}]
    who = {"197501012000031002": "Budi Santoso, S.Kom."}
    assert mentor_frame(m, who, masked=True)[["mentor_nip", "label"]].values.tolist() == [
        ["197501********1002", "B*** S***"]]
    assert mentor_frame(m, who, masked=False)["label"].tolist() == ["Budi Santoso, S.Kom."]
    t = pd.DataFrame([{"level": "kecamatan", "kecamatan": "Medan Baru", "pairs": 10, "mentees_mentored": 10,
                       "sessions_per_pair": 6.5, "junior_share_mentored": None, "estimate": None, "ci_low": None,
                       "ci_high": None, "p_adjusted": None, "status": "no_estimate", "flags": "no_pairs"}])
    row = kecamatan_table(t, "id").iloc[0]
    assert (row["Pegawai junior dibimbing"], row["Efek [95% CI]"]) == ("–", "–")


def test_published_appraisals_are_read_back_from_the_store(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "analyst")
    publish("kinerja", sample_path("kinerja"), name="e-Kinerja 2025")
    publish("mentoring", sample_path("mentoring"), name="Mentoring 2025")
    at = run_page(at, PAGE)
    assert not at.exception
    assert "Kinerja 2025" in texts(at)  # the published version (its name, Markdown-escaped), not the sample
    assert "penilaian kinerja yang nyata" not in texts(at)  # no sample banner for the appraisals
    assert {m.label: m.value for m in at.metric}["Pegawai junior dibimbing"] == "25%"
