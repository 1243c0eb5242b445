"""``python -m analysis jp`` and ``python -m analysis plan``: the JSON contracts on the hand-built
roster (tests/roster_case.py), the text output, ``--rules``, and exit 2 naming the rule and the
field for a bad rules file."""

from __future__ import annotations

import json

import pytest

from analysis.career.plan import DEFAULT_PLAN_RULES
from analysis.cli import main
from roster_case import A, B, C, D, E, F, EXPECTED_JP, write_files


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_files(tmp_path_factory.mktemp("roster"))


def _args(files, *extra) -> list[str]:
    return ["--appraisal", str(files["appraisal"]), "--training", str(files["training"]), "--mentoring",
            str(files["mentoring"]), "--jp-lain", str(files["jp_lain"]), *extra]


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main([*map(str, argv), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_jp_json_contract(files, capsys):
    code, out = run_json(capsys, "jp", *_args(files))
    assert code == 0
    assert {"year", "target", "overall", "units", "employees"} <= set(out)
    assert out["year"] == 2025 and out["target"] == 20.0
    assert {"employees", "meeting_target", "share"} <= set(out["overall"])
    assert (out["overall"]["employees"], out["overall"]["meeting_target"]) == (5, 2)
    assert out["overall"]["share"] == pytest.approx(0.4)
    assert all(set(e) == {"nip", "jp", "meets_target"} for e in out["employees"])
    assert {e["nip"]: e["jp"] for e in out["employees"]} == EXPECTED_JP  # NIPs in full in the CLI
    assert E not in {e["nip"] for e in out["employees"]} and out["not_pns"] == 1
    units = {u["unit_kerja"]: u for u in out["units"]}
    assert units["Dinas Sosial"]["meeting_target"] == 1 and units["Dinas Sosial"]["employees"] == 2


def test_jp_year_and_text(files, capsys):
    code, out = run_json(capsys, "jp", *_args(files, "--year", "2024"))
    assert code == 2 and out["error"]["code"] == "no_roster_year"
    assert main(["jp", *_args(files), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == "2025: 2 of 5 PNS reach 20 JP (40%); median 18 JP; 1 without any development"


def test_jp_needs_the_appraisal_export(files, capsys):
    with pytest.raises(SystemExit):
        main(["jp", "--training", str(files["training"])])


def test_plan_json_contract(files, capsys):
    code, out = run_json(capsys, "plan", *_args(files))
    assert code == 0 and out["rules"]["source"] == "default" and out["year"] == 2025
    people = {e["nip"]: e for e in out["employees"]}
    assert set(people) == {A, B, C, D, E, F}
    for e in out["employees"]:
        assert {"nip", "priority", "suggestions"} <= set(e)
        for s in e["suggestions"]:
            assert {"rule", "reason_id", "reason_en"} <= set(s)
            assert ("programs" in s) == (s["suggestion"] == "ikuti_program")
    # every appraisal is Baik: only the JP rule speaks, for the PNS under 20 JP (B, C, F)
    assert {n for n, e in people.items() if e["suggestions"]} == {B, C, F}
    assert people[C]["priority"] == "sedang" and people[C]["suggestions"][0]["rule"] == "jp_kurang"
    assert people[A]["priority"] is None and people[E]["suggestions"] == []  # E: PPPK, not a PNS right


def test_plan_with_another_rules_file(files, capsys, tmp_path):
    custom = tmp_path / "rencana.toml"
    custom.write_text(DEFAULT_PLAN_RULES.read_text(encoding="utf-8").replace(
        'id = "jp_kurang"\nsuggestion = "ikuti_program"\npriority = "sedang"',
        'id = "jp_kurang"\nsuggestion = "ikuti_program"\npriority = "tinggi"'), encoding="utf-8")
    code, out = run_json(capsys, "plan", *_args(files, "--rules", str(custom), "--facts"))
    assert code == 0 and out["rules"]["source"] == str(custom)
    c = next(e for e in out["employees"] if e["nip"] == C)
    assert c["priority"] == "tinggi" and c["facts"]["jp"] == 0.0


def test_plan_with_a_bad_rules_file_exits_2_naming_rule_and_field(files, capsys, tmp_path):
    bad = tmp_path / "rusak.toml"
    bad.write_text(DEFAULT_PLAN_RULES.read_text(encoding="utf-8").replace('priority = "sedang"', 'priority = "segera"', 1),
                   encoding="utf-8")
    code, out = run_json(capsys, "plan", *_args(files, "--rules", str(bad)))
    assert code == 2 and out["error"]["code"] == "invalid_rules"
    assert "kinerja_rendah" in out["error"]["message"] and "priority" in out["error"]["message"]


def test_plan_text(files, capsys):
    assert main(["plan", *_args(files), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Development plan 2025 (rules: default): 3 of 6 employees with a suggestion")
    assert f"[sedang] {C}" in text
