"""Presentation mode (``?present=1`` and the overview's button): one finding per screen under its
takeaway title, stepped through with the buttons, the filters and the sources in the footer, and
back to the app; the shared look (``ui.look``)."""

from __future__ import annotations

import re

import pytest

from apptest_helpers import make_app, publish, run_page, texts, training_frame
from ui import findings, look

PAGE = "pages/ringkasan.py"


def _present(tmp_path, monkeypatch, role=None):
    at = make_app(tmp_path, monkeypatch, role)
    at.query_params["present"] = "1"
    return at


def _title(at) -> str:
    """The finding's title as shown (the Markdown escapes of ``md_escape`` removed)."""
    return at.title[0].value.replace("\\", "")


def _step(at, key: str):
    next(b for b in at.button if b.key == key).click()
    return at.run()


def test_the_sample_meeting_step_by_step(tmp_path, monkeypatch):
    at = _present(tmp_path, monkeypatch).run()
    assert not at.exception
    titles = [_title(at)]
    assert next(b for b in at.button if b.key == "present_prev").disabled
    for _ in range(10):
        button = next(b for b in at.button if b.key == "present_next")
        if button.disabled:
            break
        _step(at, "present_next")
        assert not at.exception
        titles.append(_title(at))
    # the verdict, the ranking, the chosen program (the largest gain: Tata Naskah Dinas Elektronik),
    # the kecamatan view, citizen satisfaction, mentoring, the follow-up recommendations
    assert len(titles) == 7, titles
    assert titles[0].startswith("Pengetahuan: terbukti naik di ")
    assert titles[1].startswith("11 dari 12 program terbukti menaikkan nilai post-test")
    assert titles[2].startswith("Tata Naskah Dinas Elektronik")
    assert "kecamatan" in titles[3] and "unit layanan bermutu" in titles[4]
    assert titles[5].startswith("Penilaian mentee") and titles[6].startswith("Rekomendasi")
    assert all(re.search(r"\d", t) for t in titles)  # every title carries its number
    footer = texts(at).replace("\\", "")
    assert "Filter: periode semua · program semua · kecamatan semua" in footer
    assert "Sumber angka — pelatihan: contoh bawaan (DATA SINTETIS)" in footer
    assert "Temuan 7 dari 7" in footer
    _step(at, "present_prev")
    assert _title(at) == titles[5]


def test_projector_style_without_sidebar_and_keys(tmp_path, monkeypatch):
    at = _present(tmp_path, monkeypatch, "viewer").run()
    styles = "\n".join(el.proto.body for el in at.get("html"))
    assert 'section[data-testid="stSidebar"]' in styles and "display: none" in styles
    keys = {b.key: b.proto.shortcut for b in at.button if b.key and b.key.startswith("present_")}
    assert keys == {"present_prev": "left", "present_next": "right", "present_close": "escape"}
    assert not at.get("download_button")  # the overview's page is not drawn behind it


def test_leaving_and_entering_by_the_button(tmp_path, monkeypatch):
    at = _present(tmp_path, monkeypatch).run()
    _step(at, "present_next")
    _step(at, "present_close")
    assert not at.exception
    assert "present" not in at.query_params
    assert _title(at) == "Ringkasan"
    _step(at, "present_open")
    assert not at.exception
    assert at.query_params.get("present") in ("1", ["1"])
    assert _title(at).startswith("Pengetahuan: terbukti naik di ")  # from the first finding again


def test_a_small_file_shows_only_what_it_allows(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    publish("training", training_frame({"A": 40, "B": 30}), name="Uji")
    at.query_params["present"] = "1"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    titles = [_title(at)]
    while not next(b for b in at.button if b.key == "present_next").disabled:
        _step(at, "present_next")
        titles.append(_title(at))
    # no SKM, no mentoring published: verdict, ranking, program, districts, recommendations
    assert len(titles) == 5
    assert titles[1].startswith("2 of 2 programs proven to raise post-test scores")


def test_verdict_markdown_and_caption_contrast():
    assert findings.VERDICT_BADGES == {"naik": "blue", "turun": "red", "belum_terbukti": "gray",
                                       "data_belum_cukup": "violet"}
    # WCAG 2.1 AA: at least 4.5:1 for text; Streamlit's faded caption grey (#83858C on white) was 3.7:1
    assert look.contrast_ratio(look.CAPTION_COLOUR) >= 4.5
    assert look.contrast_ratio("#83858C") < 4.5
    assert look.contrast_ratio(look.CAPTION_COLOUR, "#F0F2F6") >= 4.5  # the sidebar's background


@pytest.mark.parametrize("lang, words", [("id", ["Pilih berkas", "Maks. 50 MB per berkas"]),
                                         ("en", ["Choose files", "Up to 50 MB per file"])])
def test_uploader_texts_in_the_session_language(lang, words):
    css = look.uploader_style("data_files", 50, ["xlsx"], lang)
    assert all(w in css for w in words) and ".st-key-data_files" in css
