"""The meeting workbook read back: the first sheet explains every sheet, headers in the reader's
language, rounded display values with the full precision kept in the data sheet, native charts,
the scorecard sheet, no row-level data unless asked for."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis.report.meeting import gather
from analysis.report.workbook import meeting_workbook
from apptest_helpers import sample_rows, training_frame


@pytest.fixture(scope="module")
def meeting():
    return gather(sample_rows("training"), sample_rows("feedback"), mentoring_pairs=sample_rows("mentoring"),
                  appraisal=sample_rows("kinerja"), periode="2025", synthetic=True,
                  sources={"training": "pelatihan: contoh"}, generated=dt.date(2026, 2, 3))


@pytest.fixture(scope="module")
def books(meeting):
    return {lang: meeting_workbook(meeting, lang) for lang in ("id", "en")}


def _wb(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_in_the_readers_language_with_an_explanation_first(books):
    id_wb, en_wb = _wb(books["id"]), _wb(books["en"])
    assert id_wb.sheetnames == ["Petunjuk", "Ringkasan", "Kartu skor", "Program - pengetahuan", "Program - kinerja",
                                "Kecamatan", "IKM unit", "Mentoring", "Data lengkap"]
    assert en_wb.sheetnames == ["About", "Summary", "Scorecard", "Programs - knowledge", "Programs - performance",
                                "Districts", "IKM units", "Mentoring", "Full data"]
    about = id_wb["Petunjuk"]
    explained = {row[0].value: row[1].value for row in about.iter_rows() if row[0].value in id_wb.sheetnames}
    assert set(explained) == set(id_wb.sheetnames) - {"Petunjuk"}  # every other sheet, with what it holds
    assert all(isinstance(v, str) and len(v) > 20 for v in explained.values())
    texts = [c.value for row in about.iter_rows() for c in row if isinstance(c.value, str)]
    assert "DATA SINTETIS" in texts and "pelatihan: contoh" in texts


def test_display_headers_are_words_not_codes(books):
    ws = _wb(books["id"])["Program - pengetahuan"]
    header = [c.value for c in ws[1]]
    assert header[:9] == ["Program", "Pasangan lengkap", "Perubahan", "95% CI bawah", "95% CI atas",
                          "p terkoreksi", "Desain", "Arti", "Catatan"]
    en = [c.value for c in _wb(books["en"])["Programs - knowledge"][1]]
    assert en[:4] == ["Program", "Complete pairs", "Change", "95% CI low"]
    assert not {"mean_delta", "ci_low", "p_adjusted"} & set(header)


def test_display_values_are_rounded_and_the_data_sheet_keeps_full_precision(books, meeting):
    wb = _wb(books["id"])
    display = wb["Program - pengetahuan"]
    shown = {r[0].value: r[2].value for r in display.iter_rows(min_row=2)}
    full = meeting.rankings["knowledge"].set_index("program")["mean_delta"].astype(float)
    for program, value in shown.items():
        assert value == round(full[program], 1)  # one decimal on display …
    data = wb["Data lengkap"]
    rows = list(data.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Program - pengetahuan")
    header = rows[start + 1]
    col = header.index("mean_delta")
    kept = {r[0]: r[col] for r in rows[start + 2:start + 2 + len(full)]}
    for program, value in kept.items():
        assert value == pytest.approx(full[program], rel=0, abs=1e-12)  # … every digit in the data sheet
    assert any(value != round(value, 1) for value in kept.values())
    # the number format shows what was rounded to
    assert display.cell(2, 3).number_format == "0.0"


def test_display_sheets_order_and_read(books):
    wb = _wb(books["id"])
    knowledge = [r for r in wb["Program - pengetahuan"].iter_rows(min_row=2, values_only=True)]
    changes = [r[2] for r in knowledge]
    assert changes == sorted(changes, reverse=True)  # the largest change first
    assert {r[7] for r in knowledge} <= {"Naik signifikan", "Turun signifikan", "Belum terbukti berubah",
                                          "Data terlalu sedikit untuk menyimpulkan"}
    ikm = [r for r in wb["IKM unit"].iter_rows(min_row=2, values_only=True)]
    values = [r[2] for r in ikm]
    assert values == sorted(values) and len(ikm) == 40  # every unit, the lowest first
    assert all(v == round(v, 2) for v in values)


def test_native_excel_charts_with_ci_error_bars(books):
    with zipfile.ZipFile(io.BytesIO(books["id"])) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode("utf-8") for n in charts]
    assert len(charts) == 4  # knowledge, performance, kecamatan, IKM
    assert sum("<c:errBars>" in x for x in xml) == 3  # the estimates carry their 95% CI
    assert all("<c:barChart>" in x for x in xml)
    wb = _wb(books["id"])
    assert len(wb["Program - pengetahuan"]._charts) == 1 and len(wb["IKM unit"]._charts) == 1


def test_scorecard_sheet(books):
    ws = _wb(books["en"])["Scorecard"]
    assert [c.value for c in ws[1]][:4] == ["Program", "Participants", "Recommendation", "L1 Reaction"]
    assert ws.max_row == 13  # twelve programs


def test_row_level_data_only_when_asked(meeting):
    nips = set(meeting.rows["nip"].dropna())
    for row_level in (False, True):
        wb = _wb(meeting_workbook(meeting, "id", row_level=row_level))
        cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
        assert bool(cells & nips) is row_level
        assert ("Data peserta" in wb.sheetnames) is row_level


def test_a_small_training_file_alone_gives_a_small_workbook():
    m = gather(training_frame({"A": 12, "B": 30}, comparison=20), lang="en")
    wb = _wb(meeting_workbook(m, "en"))
    assert wb.sheetnames == ["About", "Summary", "Scorecard", "Programs - knowledge", "Programs - performance",
                             "Districts", "Full data"]
    design = {r[0]: r[6] for r in wb["Programs - performance"].iter_rows(min_row=2, values_only=True)}
    # 20 comparison staff with performance pairs: the difference in differences is used for both
    assert set(design.values()) == {"against a comparison (DiD)"}
    summary = [r for r in wb["Summary"].iter_rows(values_only=True)]
    assert summary[0][:2] == ("Level", "Answer") and summary[1][0] == "Knowledge (L2)"
    assert np.isfinite(m.headline["share_significant"])
