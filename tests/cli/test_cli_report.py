"""``python -m analysis report``: the meeting deck and workbook written without a browser, from the
sample files and from a small file, in both languages; exit 2 with the error object for an
unreadable file or mentoring without appraisals."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from pptx import Presentation

from analysis.cli import main
from analysis.report.pptx_parts import outside_shapes
from apptest_helpers import training_frame
from conftest import ROOT

SAMPLE = ROOT / "data" / "sample"


def test_the_deck_from_every_sample_file(tmp_path, capsys):
    out = tmp_path / "rapat.pptx"
    code = main(["report", str(SAMPLE / "rekap_pelatihan_2025.xlsx"), "--feedback", str(SAMPLE / "skm_2025.xlsx"),
                 "--mentoring", str(SAMPLE / "mentoring_2025.xlsx"), "--appraisal", str(SAMPLE / "kinerja_2025.xlsx"),
                 "--format", "pptx", "-o", str(out), "--json"])
    assert code == 0
    info = json.loads(capsys.readouterr().out)
    prs = Presentation(io.BytesIO(out.read_bytes()))
    assert info == {"output": str(out), "format": "pptx", "slides": len(prs.slides)}
    titles = [s.shapes.title.text for s in prs.slides]
    assert any(t.startswith("Penilaian mentee") for t in titles) and titles[-1].startswith("Rekomendasi:")
    sub = prs.slides[0].placeholders[1].text
    assert "rekap_pelatihan_2025.xlsx (SHA-256 " in sub and "skm_2025.xlsx" in sub
    assert "DATA SINTETIS" in "\n".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert outside_shapes(prs) == []
    # --appraisal gives the scorecard's L3 from the appraisal join, as `followup --appraisal` does
    notes = prs.slides[-1].notes_slide.notes_text_frame.text
    assert "L3: " in notes and "penilaian kinerja" in notes.split("L3: ")[1].splitlines()[0].lower()


def test_the_workbook_in_english_from_a_small_file(tmp_path, capsys):
    training = tmp_path / "pelatihan.xlsx"
    training_frame({"Literasi Data": 30, "Pelayanan Prima": 12}).drop(columns=["_row", "_sheet"]).to_excel(
        training, index=False)
    out = tmp_path / "hasil.xlsx"
    assert main(["report", str(training), "--format", "xlsx", "-o", str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().out == f"Written: {out} (7 sheets)\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["About", "Summary", "Scorecard", "Programs - knowledge", "Programs - performance",
                             "Districts", "Full data"]
    texts = [c.value for row in wb["About"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("SYNTHETIC" in t for t in texts)  # a user's file, not the sample
    assert any(t.startswith("training: pelatihan.xlsx (SHA-256 ") for t in texts)


def test_rows_only_with_the_flag(tmp_path):
    training = tmp_path / "pelatihan.xlsx"
    frame = training_frame({"A": 12}).drop(columns=["_row", "_sheet"])
    frame.to_excel(training, index=False)
    out = tmp_path / "hasil.xlsx"
    main(["report", str(training), "--format", "xlsx", "-o", str(out)])
    assert "Data peserta" not in openpyxl.load_workbook(out).sheetnames
    main(["report", str(training), "--format", "xlsx", "-o", str(out), "--rows"])
    assert "Data peserta" in openpyxl.load_workbook(out).sheetnames


def test_mentoring_needs_appraisals_and_a_missing_file_is_exit_2(tmp_path, capsys):
    out = tmp_path / "x.pptx"
    code = main(["report", str(SAMPLE / "rekap_pelatihan_2025.xlsx"), "--mentoring", str(SAMPLE / "mentoring_2025.xlsx"),
                 "--format", "pptx", "-o", str(out), "--json"])
    assert code == 2 and json.loads(capsys.readouterr().out)["error"]["code"] == "appraisal_required"
    assert main(["report", str(tmp_path / "tidak-ada.xlsx"), "--format", "xlsx", "-o", str(out), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file_not_found"
    assert not out.exists()


def test_runs_as_a_command(tmp_path):
    out = tmp_path / "rapat.xlsx"
    done = subprocess.run([sys.executable, "-m", "analysis", "report", str(SAMPLE / "rekap_pelatihan_2025.xlsx"),
                           "--format", "xlsx", "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Ditulis: ") and out.stat().st_size > 10_000
