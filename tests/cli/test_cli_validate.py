"""``python -m analysis validate`` (analysis/cli_validate.py): JSON shape, exit codes, languages.

A few cases run the real command in a subprocess (what users and CI run); the rest call
``analysis.cli.main`` in-process, which is the same code path without the interpreter start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.cli import main as cli_main
from analysis.cli.validate import parse_maps, render_text
from analysis.core.errors import AnalysisError
from builders import export_sheet, write
from conftest import ROOT

# The keys of the README's --json example
REPORT_KEYS = {"kind", "sheet", "header_row", "rows_read", "rows_accepted", "rows_rejected", "issues"}
ISSUE_KEYS = {"row", "column", "field", "value", "severity", "code", "message"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "validate", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def rekap(tmp_path):
    """A training export: title rows, header on row 4, one unknown kecamatan on row 6, a totals row."""
    sheet = export_sheet("training", 3, total=True)
    sheet.header[sheet.header.index("Kecamatan")] = "Kec."
    sheet.rows[1][sheet.header.index("Kec.")] = "Medan Raya"
    return write(tmp_path, "xlsx", sheet, stem="rekap_diklat"), sheet


def test_json_report_shape_and_exit_0_with_rejected_rows(rekap):
    path, sheet = rekap
    proc = run(str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, "--json prints one JSON object"
    report = json.loads(lines[0])
    assert REPORT_KEYS <= set(report)
    assert (report["kind"], report["sheet"], report["header_row"]) == ("training", "REKAP", sheet.header_row())
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (3, 2, 1)
    assert all(type(report[k]) is int for k in ("header_row", "rows_read", "rows_accepted", "rows_rejected"))
    for issue in report["issues"]:
        assert ISSUE_KEYS <= set(issue)
        assert issue["severity"] in ("error", "warning", "info")
        assert issue["row"] is None or type(issue["row"]) is int
        assert issue["value"] is None or isinstance(issue["value"], str)
    err = [i for i in report["issues"] if i["severity"] == "error"]
    assert [(i["row"], i["column"], i["field"], i["value"], i["code"]) for i in err] == [
        (sheet.data_row(1), "Kec.", "kecamatan", "Medan Raya", "unknown_kecamatan")]
    assert err[0]["message"].startswith("Kecamatan 'Medan Raya' tidak dikenal")
    totals = [i for i in report["issues"] if i["code"] == "totals_row"]
    assert [(i["row"], i["severity"]) for i in totals] == [(sheet.total_row(), "info")]


def test_unreadable_file_exits_2_with_an_error_object(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    proc = run(str(path), "--json")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"error"} and set(out["error"]) == {"code", "message"}
    assert out["error"]["code"] == "corrupt_file" and "rusak.xlsx" in out["error"]["message"]


def test_text_report_is_indonesian_by_default(rekap):
    path, sheet = rekap
    proc = run(str(path))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "Jenis data:" in text and "Baris dibaca 3, diterima 2, ditolak 1" in text
    assert f"baris judul {sheet.header_row()}" in text
    assert "GALAT" in text and "Kecamatan 'Medan Raya' tidak dikenal" in text
    assert f"baris {sheet.data_row(1)} [Kec.] unknown_kecamatan" in text
    assert "District" not in text


def test_text_report_in_english(rekap, capsys):
    path, sheet = rekap
    assert cli_main(["validate", str(path), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Kind: Training records (training)" in text and "Rows read 3, accepted 2, rejected 1" in text
    assert f"row {sheet.data_row(1)} [Kec.] unknown_kecamatan: District 'Medan Raya' is not known" in text
    assert "tidak dikenal" not in text


def test_json_in_english(rekap, capsys):
    path, _ = rekap
    assert cli_main(["validate", str(path), "--json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    (err,) = [i for i in report["issues"] if i["severity"] == "error"]
    assert err["message"].startswith("District 'Medan Raya' is not known")


@pytest.mark.parametrize("lang,prefix", [("id", "Galat [empty_file]: "), ("en", "Error [empty_file]: ")])
def test_error_as_text_goes_to_stderr(tmp_path, capsys, lang, prefix):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert cli_main(["validate", str(path), "--lang", lang]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(prefix)


def test_map_sheet_and_kind_options(tmp_path, capsys):
    a = export_sheet("training", 2, name="Program A")
    b = export_sheet("training", 3, name="Program B", start=2)
    for s in (a, b):
        s.header[s.header.index("Nama Pelatihan")] = "Judul Bimtek"
    path = write(tmp_path, "xlsx", [a, b])
    assert cli_main(["validate", str(path), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "missing_columns"
    assert cli_main(["validate", str(path), "--json", "--map", "Judul Bimtek=program", "--sheet", "Program B",
                     "--kind", "training"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["sheet"], report["rows_read"], report["rows_rejected"]) == ("Program B", 3, 0)


def test_bad_map_and_missing_file_are_errors(tmp_path, capsys):
    path = write(tmp_path, "xlsx", export_sheet("events", 2))
    assert cli_main(["validate", str(path), "--json", "--map", "Judul tanpa sama dengan"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_mapping"
    assert cli_main(["validate", str(tmp_path / "tidak_ada.xlsx"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file_not_found"


def test_unknown_kind_is_refused_by_argparse(tmp_path, capsys):
    path = write(tmp_path, "xlsx", export_sheet("events", 2))
    with pytest.raises(SystemExit) as exit_:
        cli_main(["validate", str(path), "--kind", "pelatihan"])
    assert exit_.value.code == 2


@pytest.mark.parametrize("items,expected", [
    (None, {}), ([], {}), (["Nama Diklat Fungsional=program"], {"Nama Diklat Fungsional": "program"}),
    ([" A = nip ", "B=nama"], {"A": "nip", "B": "nama"}), (["Nilai (=100)=nilai_pre"], {"Nilai (=100)": "nilai_pre"}),
])
def test_parse_maps(items, expected):
    assert parse_maps(items) == expected


@pytest.mark.parametrize("item", ["program", "=program", "Judul=", " = "])
def test_parse_maps_rejects(item):
    with pytest.raises(AnalysisError) as err:
        parse_maps([item])
    assert err.value.code == "bad_mapping"


def test_render_text_names_the_sheet_when_several():
    report = {"file": "x.xlsx", "kind": "events", "sheet": "Jan, Feb", "header_row": 3, "rows_read": 2,
              "rows_accepted": 1, "rows_rejected": 1,
              "issues": [{"row": 5, "sheet": "Feb", "column": "Kecamatan", "field": "kecamatan", "value": "X",
                          "severity": "error", "code": "unknown_kecamatan", "message": "Kecamatan 'X' tidak dikenal."}]}
    text = render_text(report)
    assert "Feb!baris 5 [Kecamatan] unknown_kecamatan: Kecamatan 'X' tidak dikenal." in text
    assert text.endswith("\n")
