"""``python -m analysis followup``: the JSON contract on files with a known truth, the text output,
``--rules``, ``--correction``, and exit 2 with the error object for an unreadable file or an invalid
rules file (naming the rule and the field)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.cli import main
from analysis.followup.recommend import DEFAULT_RULES
from conftest import ROOT
from followup_truth import TRUTH, known_truth_feedback, known_truth_training

LEVEL_KEYS = {"estimate", "ci_low", "ci_high", "p_adjusted", "n", "design", "flags"}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("followup")
    training, feedback = folder / "pelatihan.xlsx", folder / "skm.xlsx"
    known_truth_training().to_excel(training, index=False)
    known_truth_feedback().to_excel(feedback, index=False)
    return training, feedback


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main(["followup", *map(str, argv), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_json_contract(files, capsys):
    training, feedback = files
    code, out = run_json(capsys, training, "--feedback", feedback)
    assert code == 0
    assert set(out) == {"rules", "behaviour", "programs"}
    assert out["behaviour"]["source"] == "skp_columns"  # no --appraisal: L3 from the SKP columns
    assert set(out["rules"]) == {"source", "rules"} and out["rules"]["source"] == "default"
    assert [r["id"] for r in out["rules"]["rules"]][:2] == ["too_few_pairs", "harm_behaviour"]
    assert set(out["rules"]["rules"][0]) >= {"id", "recommendation", "when", "reason_id", "reason_en"}
    assert {p["program"]: (p["recommendation"], p["rule"]) for p in out["programs"]} == TRUTH
    for p in out["programs"]:
        assert set(p) == {"program", "n_participants", "levels", "recommendation", "rule", "reasons_id",
                          "reasons_en"}
        assert set(p["levels"]) == {"reaction", "learning", "behaviour", "results"}
        for level in p["levels"].values():
            assert level is None or LEVEL_KEYS <= set(level)
        assert p["reasons_id"] and p["reasons_en"]
    kuat = next(p for p in out["programs"] if p["program"] == "Kuat")
    assert kuat["n_participants"] == 120
    assert kuat["levels"]["behaviour"]["design"] == "difference_in_differences"
    assert kuat["levels"]["results"]["estimate"] == pytest.approx(23.4375)  # hand: tests/followup
    nol = next(p for p in out["programs"] if p["program"] == "Nol")
    assert nol["levels"]["results"] is None  # its units were not surveyed: no data, not a failure


def test_without_feedback_l4_is_null(files, capsys):
    code, out = run_json(capsys, files[0])
    assert code == 0
    assert all(p["levels"]["results"] is None for p in out["programs"])
    # Without L4 the strong program cannot be "expand": its behaviour gain is "continue".
    assert {p["program"]: p["rule"] for p in out["programs"]}["Kuat"] == "gain_behaviour"


def test_a_rules_file_and_a_correction(files, capsys, tmp_path):
    custom = tmp_path / "aturan.toml"
    custom.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace(
        'id = "scale_up"\nrecommendation = "kembangkan"', 'id = "scale_up"\nrecommendation = "lanjutkan"'),
        encoding="utf-8")
    code, out = run_json(capsys, files[0], "--feedback", files[1], "--rules", custom, "--correction", "none")
    assert code == 0 and out["rules"]["source"] == str(custom)
    kuat = next(p for p in out["programs"] if p["program"] == "Kuat")
    assert (kuat["rule"], kuat["recommendation"]) == ("scale_up", "lanjutkan")


def test_text_output_in_english(files, capsys):
    assert main(["followup", str(files[0]), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Rules: default (13)")
    assert "Nol — ⛔ Stop (rule precise_null), 400 participants" in text
    assert "  L4 – no data (no SKM data)" in text


def test_an_unreadable_file_exits_2_with_the_error_object(capsys, tmp_path):
    code, out = run_json(capsys, tmp_path / "tidak-ada.xlsx")
    assert code == 2
    assert out == {"error": {"code": "file_not_found", "message": f"Berkas '{tmp_path / 'tidak-ada.xlsx'}' "
                                                                   "tidak ditemukan."}}
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    code, out = run_json(capsys, broken)
    assert code == 2 and set(out) == {"error"} and set(out["error"]) == {"code", "message"}


def test_an_invalid_rules_file_exits_2_naming_the_rule_and_the_field(files, capsys, tmp_path):
    bad = tmp_path / "aturan.toml"
    bad.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace(
        '{ fact = "behaviour.design", eq = "difference_in_differences" }',
        '{ fact = "behaviour.desain", eq = "difference_in_differences" }'), encoding="utf-8")
    code = main(["followup", str(files[0]), "--rules", str(bad), "--json", "--lang", "en"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and out["error"]["code"] == "invalid_rules"
    assert "rule 'scale_up' (no. 6), field 'when[3].fact'" in out["error"]["message"]
    assert "behaviour.desain" in out["error"]["message"]
    code, out = run_json(capsys, files[0], "--rules", tmp_path / "tidak-ada.toml")
    assert code == 2 and out["error"]["code"] == "rules_unreadable"


def test_the_real_entry_point(files):
    done = subprocess.run([sys.executable, "-m", "analysis", "followup", str(files[0].parent / "nope.xlsx"), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "file_not_found"


def test_appraisal_export_gives_l3(tmp_path, capsys):
    """``--appraisal``: L3 from the appraisal join. Twelve participants change by 2, 4, 3, 3 (mean 3),
    eight non-participants in the same kecamatan and baseline by 1, 0, 0.5, 0.5 (mean 0.5): DiD 2.5."""
    nips = [f"1985031220100110{i:02d}" for i in range(12)]
    training = pd.DataFrame({"nip": nips, "nama": [f"Peserta {i}" for i in range(12)],
                             "unit_kerja": "Kantor Camat Medan Baru", "kecamatan": "Medan Baru", "program": "A",
                             "tanggal_mulai": "07/04/2025", "tanggal_selesai": "11/04/2025", "jp": 24})
    people = list(zip(nips, [2.0, 4.0, 3.0, 3.0] * 3))
    people += [(f"1980010120050110{i:02d}", c) for i, c in enumerate([1.0, 0.0, 0.5, 0.5] * 2)]
    rows = [{"nip": nip, "nama": "X", "periode": period, "kecamatan": "Medan Baru", "nilai": 80.0 + change * k}
            for nip, change in people for k, period in ((0, "Triwulan I 2025"), (1, "Triwulan III 2025"))]
    training.to_excel(tmp_path / "pelatihan.xlsx", index=False)
    pd.DataFrame(rows).to_excel(tmp_path / "kinerja.xlsx", index=False)
    code, out = run_json(capsys, tmp_path / "pelatihan.xlsx", "--appraisal", tmp_path / "kinerja.xlsx")
    assert code == 0
    assert out["behaviour"]["source"] == "appraisal" and out["behaviour"]["scale"] == "nilai"
    a = out["programs"][0]["levels"]["behaviour"]
    assert a["design"] == "difference_in_differences" and a["estimate"] == pytest.approx(2.5, abs=1e-9)
    assert a["source"] == "appraisal"
