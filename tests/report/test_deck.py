"""The meeting deck: takeaway titles with their numbers, every shape inside its slide, the slides
each kind of data brings, every IKM unit worst first, speaker notes, and the title slide's sources,
version and date. Read back with python-pptx."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from analysis import __version__
from analysis.followup.scorecard import LevelTable, apply_rules
from analysis.followup.verdict import Verdict
from analysis.report.deck import Deck, to_pptx_bytes
from analysis.report.meeting import gather, meeting_deck
from analysis.report.pptx_parts import outside_shapes
from apptest_helpers import sample_rows

KECAMATAN = [f"Medan {k}" for k in ("Amplas", "Area", "Barat", "Baru", "Belawan", "Deli", "Denai", "Helvetia",
                                    "Johor", "Kota", "Labuhan", "Maimun", "Marelan", "Perjuangan", "Petisah",
                                    "Polonia", "Selayang", "Sunggal", "Tembung", "Timur", "Tuntungan")]


@pytest.fixture
def deck():
    ranking = pd.DataFrame({
        "program": ["Latsar", "PKA", "PKP", "=cmd|' /C calc'!A0", "SIMPEG"],
        "n": [40, 30, 4, 25, 1], "mean_delta": [8.2, 3.0, 6.0, -2.5, np.nan],
        "ci_low": [6.9, 1.0, -4.0, -4.0, np.nan], "ci_high": [9.5, 5.0, 16.0, -1.0, np.nan],
        "p_adjusted": [0.0001, 0.3, 0.5, 0.02, np.nan],
        "flags": [[], ["ceiling"], ["few_nonzero"], [], ["small_n"]]})
    kec = pd.DataFrame({"kecamatan": KECAMATAN, "n": np.arange(21) + 2, "mean_delta": np.linspace(-1, 9, 21)})
    kec["ci_low"], kec["ci_high"] = kec.mean_delta - 2, kec.mean_delta + 2
    kec["p_adjusted"] = np.linspace(0.5, 0.001, 21)
    kec["flags"] = [["small_n"] if n < 6 else [] for n in kec.n]
    ikm = pd.DataFrame({"unit_layanan": ["RSUD", "Dukcapil", "Puskesmas"], "ikm": [78.3, 90.12, 64.99],
                        "n": [300, 400, 80]})
    return Deck(title="Evaluasi Pembinaan ASN 2025", subtitle="Triwulan I", ranking=ranking, kecamatan=kec,
                ikm=ikm, headline={"participants": 3012, "programs": 5, "jp_total": 45210.0,
                                   "share_significant": 0.4, "ikm_now": 81.234, "ikm_change": 2.5},
                notes=["Desain: sebelum–sesudah."], measure="Post-test − pre-test", synthetic=True,
                generated=dt.date(2025, 12, 1), sources=["pelatihan: Rekap 2025, versi 3 (terbit 01-12-2025)"])


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [c.text for row in shape.table.rows for c in row.cells]
    return out


def _titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def _chart(slide):
    return next(s.chart for s in slide.shapes if s.has_chart)


@pytest.fixture(scope="module")
def sample_meeting():
    """The bundled sample with every kind of data: training, SKM, mentoring with appraisals."""
    return gather(sample_rows("training"), sample_rows("feedback"), mentoring_pairs=sample_rows("mentoring"),
                  appraisal=sample_rows("kinerja"), periode="2025", synthetic=True,
                  sources={"training": "pelatihan: contoh", "feedback": "SKM: contoh"},
                  generated=dt.date(2026, 2, 3))


@pytest.fixture(scope="module")
def sample_deck(sample_meeting):
    return _open(meeting_deck(sample_meeting, "id"))


# --- what the deck holds -------------------------------------------------------------------------

def test_slides_in_order_with_takeaway_titles(deck):
    prs = _open(to_pptx_bytes(deck, lang="id"))
    assert _titles(prs) == [
        "Evaluasi Pembinaan ASN 2025",
        "3.012 peserta dalam 5 program",
        # Latsar (p 0.0001) is the one significant gain of the four estimable programs; PKP's p would
        # not count either way (few non-zero differences), K3 fell
        "1 dari 4 program terbukti menaikkan nilai post-test; tertinggi Latsar (+8,2)",
        # 21 districts: the first four have fewer than 6 pairs (small n); of the other 17 those with
        # p_adjusted < 0.05 and a positive change: linspace(0.5, 0.001, 21)[i] < 0.05 from i = 19 on,
        # and their changes (8.5, 9.0) are positive -> 2
        "Naik signifikan di 2 dari 21 kecamatan; 4 kecamatan datanya belum cukup",
        "Naik signifikan di 2 dari 21 kecamatan; 4 kecamatan datanya belum cukup (lanjutan 2/3)",
        "Naik signifikan di 2 dari 21 kecamatan; 4 kecamatan datanya belum cukup (lanjutan 3/3)",
        "1 dari 3 unit layanan bermutu C atau D; terendah Puskesmas (64,99)",
        "7 hal yang perlu diingat saat membaca angka-angka ini"]
    assert all("DATA SINTETIS" in _texts(s) for s in prs.slides)


def test_title_slide_names_the_sources_the_version_and_the_date(deck):
    sub = _open(to_pptx_bytes(deck, lang="id")).slides[0].placeholders[1].text
    assert "Sumber data: pelatihan: Rekap 2025, versi 3 (terbit 01-12-2025)" in sub
    assert f"versi {__version__}" in sub and "Dibuat 01/12/2025" in sub and "Triwulan I" in sub


def test_every_title_after_the_first_carries_a_number(sample_deck):
    titles = _titles(sample_deck)[1:]
    assert len(titles) >= 10
    assert all(re.search(r"\d", title) for title in titles), [t for t in titles if not re.search(r"\d", t)]


def test_the_sample_deck_covers_every_level_mentoring_and_ends_with_the_recommendations(sample_deck):
    titles = _titles(sample_deck)
    assert titles[1].startswith("Pengetahuan: terbukti naik di ")  # the verdict first
    assert titles[2].startswith("2.398 peserta dalam 12 program")
    # knowledge and job performance, whatever measure the meeting chose (here: knowledge)
    assert any(t.endswith("menaikkan nilai post-test") for t in titles)
    assert any(t.endswith("menaikkan nilai kinerja") for t in titles)
    assert any("unit layanan bermutu" in t for t in titles)
    assert any(t.startswith("Penilaian mentee") for t in titles)
    assert titles[-1].startswith("Rekomendasi: ")
    table = next(s.table for s in sample_deck.slides[-1].shapes if s.has_table)
    assert [c.text for c in table.rows[0].cells] == ["Program", "Rekomendasi", "Reaksi peserta (L1)",
                                                      "Pengetahuan (L2)", "Kinerja (L3)", "Kepuasan warga (L4)"]


def test_nothing_lies_outside_its_slide(sample_deck, deck):
    """Before, the seventh headline box ended at 9.2 inches on a 7.5-inch slide."""
    assert outside_shapes(sample_deck) == []
    assert outside_shapes(_open(to_pptx_bytes(deck))) == []
    many = Deck("x", headline={f"k{i}": i * 1000.5 for i in range(9)},
                notes=["Sebuah catatan yang panjang sekali tentang desain dan data. " * 3] * 8)
    prs = _open(to_pptx_bytes(many))
    assert outside_shapes(prs) == []
    boxes = [s for s in prs.slides[1].shapes if s.has_text_frame and s.shape_type == 17 and s.text_frame.text[:1].isdigit()]
    assert len(boxes) == 9 and max(s.top + s.height for s in boxes) <= Emu(int(7.5 * 914400))


def test_the_checker_finds_a_shape_off_the_slide():
    prs = _open(to_pptx_bytes(Deck("x")))
    slide = prs.slides[1]
    slide.shapes.add_textbox(Emu(914400), Emu(6 * 914400), Emu(914400), Emu(3 * 914400))  # ends at 9 inches
    assert outside_shapes(prs) == [(2, slide.shapes[-1].name)]


def test_every_slide_has_speaker_notes_with_the_reading_and_caveats(sample_deck):
    slides = list(sample_deck.slides)[1:]
    notes = [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in slides]
    assert all(notes), [i for i, n in enumerate(notes, start=2) if not n]
    ranking = next(n for s, n in zip(slides, notes) if s.shapes.title.text.endswith("nilai post-test"))
    assert "Cara membaca" in ranking and "Holm" in ranking  # the plain reading and the caveats
    last = notes[-1]
    assert last.startswith("Alasan tiap rekomendasi") and "Literasi Data: Kembangkan" in last


# --- charts and tables ---------------------------------------------------------------------------

def test_ranking_is_a_native_chart_with_ci_error_bars_and_the_numbers_beside_each_bar(deck):
    slide = _open(to_pptx_bytes(deck, lang="en")).slides[2]
    chart = _chart(slide)
    assert list(chart.plots[0].categories) == [
        "'=cmd|' /C calc'!A0  ·  -2.5 [-4.0; -1.0]", "PKA  ·  +3.0 [1.0; 5.0]",
        "PKP  ·  +6.0 [-4.0; 16.0] — too little data (n = 4)", "Latsar  ·  +8.2 [6.9; 9.5]"]
    assert list(chart.series[0].values) == [-2.5, 3.0, 6.0, 8.2]
    ser = chart.series[0]._element
    err = ser.find(qn("c:errBars"))
    plus = [float(v.text) for v in err.find(qn("c:plus")).iter(qn("c:v"))]
    minus = [float(v.text) for v in err.find(qn("c:minus")).iter(qn("c:v"))]
    np.testing.assert_allclose(plus, [1.5, 2.0, 10.0, 1.3])  # ci_high - mean: -1-(-2.5), 5-3, 16-6, 9.5-8.2
    np.testing.assert_allclose(minus, [1.5, 2.0, 10.0, 1.3])
    assert [c.tag for c in ser].index(qn("c:errBars")) < [c.tag for c in ser].index(qn("c:cat"))
    assert chart.category_axis._element.find(qn("c:tickLblSkip")).get("val") == "1"  # every bar labelled
    texts = "\n".join(_texts(slide))
    assert "Cannot be estimated: SIMPEG" in texts and "Post-test − pre-test" in texts


def test_long_rankings_continue_on_balanced_slides(deck):
    prs = _open(to_pptx_bytes(deck, lang="id", max_programs=2))
    charts = [_chart(s) for s in prs.slides if any(sh.has_chart for sh in s.shapes)]
    assert [len(list(c.plots[0].categories)) for c in charts[:2]] == [2, 2]
    assert _titles(prs)[3].endswith("(lanjutan 2/2)")


def test_kecamatan_table_continues_over_balanced_slides(deck):
    prs = _open(to_pptx_bytes(deck, lang="en", rows_per_slide=10))
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert [len(tb.rows) for tb in tables] == [8, 8, 8]  # 21 rows as 7 + 7 + 7, each under a header
    assert [c.text for c in tables[0].rows[0].cells] == ["District", "n", "Mean change", "95% CI", "Adjusted p",
                                                          "Note"]
    first = [c.text for c in tables[0].rows[1].cells]
    assert first[:4] == ["Medan Amplas", "2", "-1.0", "-3.0 – 1.0"]
    assert first[5] == "Too little data to conclude"


def test_every_ikm_unit_shows_worst_first_over_as_many_slides_as_needed():
    """40 units, 12 a slide at most: four slides of ten, the lowest first; every C and D unit shown
    (before, the slide showed the top 15 and hid them all)."""
    ikm = pd.DataFrame({"unit_layanan": [f"Unit {i:02d}" for i in range(40)],
                        "ikm": [60.0 + i for i in range(40)], "n": [100] * 40})
    prs = _open(to_pptx_bytes(Deck("x", ikm=ikm), lang="id", max_units=12))
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("17 dari 40 unit")]
    # grades: IKM 60–64 is D (below 65.00), 65–76 is C (below 76.61): 5 + 12 = 17 units C or D
    assert len(slides) == 4
    shown = []
    for slide in slides:
        chart = _chart(slide)
        values = list(chart.series[0].values)[::-1]  # drawn bottom-up: top of the slide first
        shown += values
        assert len(values) == 10
    assert shown == [60.0 + i for i in range(40)]  # all of them, the lowest first
    first = list(_chart(slides[0]).plots[0].categories)[::-1]
    assert first[0] == "Unit 00  ·  60,00 (D)" and first[5] == "Unit 05  ·  65,00 (C)"
    assert _chart(slides[0]).value_axis.minimum_scale == 25 and _chart(slides[0]).value_axis.maximum_scale == 100


def test_headline_numbers_are_formatted(deck):
    texts = "\n".join(_texts(_open(to_pptx_bytes(deck, lang="id")).slides[1]))
    for expected in ("3.012", "45.210", "40%", "81,23 (B)", "+2,50", "Peserta", "IKM saat ini"):
        assert expected in texts
    texts_en = "\n".join(_texts(_open(to_pptx_bytes(deck, lang="en")).slides[1]))
    assert "3,012" in texts_en and "Participants" in texts_en


def test_verdict_slide_and_recommendations_from_a_scorecard():
    verdicts = [Verdict("learning", "naik", 12, {"increase": 8, "not_significant": 4},
                        {"difference_in_differences": 3, "before_after": 9}),
                Verdict("behaviour", "data_belum_cukup", 2, {"too_little": 2}, {"before_after": 2}),
                Verdict("results", "data_belum_cukup", 0), Verdict("reaction", "naik", 12, {"increase": 12})]
    card = apply_rules(LevelTable(("A", "B"), {"A": 40, "B": 4},
                                  {"A": {"learning": {"status": "increase", "n": 40, "design": "before_after"}},
                                   "B": {}}))
    prs = _open(to_pptx_bytes(Deck("x", verdicts=verdicts, scorecard=card), lang="id"))
    titles = _titles(prs)
    assert titles[1] == "Pengetahuan: terbukti naik di 8 dari 12 program; kinerja: data belum cukup (naik di 0 dari 2)"
    rows = [[c.text for c in r.cells] for r in next(s.table for s in prs.slides[1].shapes if s.has_table).rows]
    assert rows[1] == ["Pengetahuan (L2)", "Terbukti naik", "8 naik signifikan · 4 belum terbukti berubah dari 12 program",
                       "3 dengan kelompok pembanding, 9 sebelum–sesudah saja"]
    assert rows[3][2] == "belum ada program dengan data"
    assert rows[4][1] == "Terbukti puas"
    # A: 40 pairs with a gain in knowledge passes too_few_pairs (needs < 10 on both) and meets
    # gain_learning (continue); B has no data at all: not enough data. Action first: B, then A.
    assert titles[-1] == "Rekomendasi: 1 program dilanjutkan, 1 menunggu data"
    last = [[c.text for c in r.cells] for r in next(s.table for s in prs.slides[-1].shapes if s.has_table).rows]
    assert last[1][:4] == ["B", "Data belum cukup", "– tidak ada data", "– tidak ada data"]
    assert last[2][:4] == ["A", "Lanjutkan", "– tidak ada data", "▲ naik"]


def test_empty_deck_says_no_data():
    prs = _open(to_pptx_bytes(Deck(title="Kosong"), lang="en"))
    assert len(prs.slides) == 6  # title, headline, ranking, districts, IKM, method
    for slide in list(prs.slides)[1:5]:
        assert "No data" in _texts(slide)
    assert not any(s.has_chart for slide in prs.slides for s in slide.shapes)
    assert not any("SYNTHETIC DATA" in _texts(s) for s in prs.slides)
    assert outside_shapes(prs) == []


@pytest.mark.parametrize("kwargs, match", [
    ({"lang": "fr"}, "lang"), ({"max_programs": 0}, "max_programs"), ({"rows_per_slide": 0}, "rows_per_slide"),
])
def test_deck_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_pptx_bytes(Deck(title="x"), **kwargs)
    with pytest.raises(ValueError, match="deck must be"):
        to_pptx_bytes({"title": "x"})


def test_deck_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"deck.ranking is missing columns \['ci_low'\]"):
        to_pptx_bytes(Deck(title="x", ranking=pd.DataFrame({"program": ["a"], "n": [1], "mean_delta": [1.0],
                                                            "ci_high": [2.0], "p_adjusted": [0.5]})))
