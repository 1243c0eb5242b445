"""``python -m analysis ikm``: the report, JSON and text output, populations, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.voice.ikm import ELEMENTS, grade, krejcie_morgan
from conftest import ROOT


def uniform(values, **cols) -> pd.DataFrame:
    """One respondent per value, giving that answer to all nine elements."""
    return pd.DataFrame({**cols, **{u: [float(v) for v in values] for u in ELEMENTS}})



def test_build_report_shape():
    from analysis.cli.ikm import build_report

    df = uniform([3, 4, 2], unit_layanan=["A", "A", "B"], kecamatan=["Medan Baru"] * 3,
                 kode_kecamatan=["12.71.17"] * 3, tanggal=pd.to_datetime(["2025-01-05", "2025-04-05", "2025-04-06"]))
    r = build_report(df, default_population=100)
    g = r["groups"][0]
    assert set(g) == {"unit_layanan", "n", "nrr", "ikm", "ci_low", "ci_high", "grade", "label", "weakest_element",
                      "population", "sample_target", "flags"}
    assert g["ci_low"] < g["ikm"] < g["ci_high"]
    # unit A: answers 3 and 4 → NRR 3.5 each, IKM 25 × 3.5 = 87.5; Krejcie–Morgan for N = 100 is 80
    assert g["unit_layanan"] == "A" and g["ikm"] == 87.5 and g["sample_target"] == 80
    assert g["population"] == 100 and g["flags"] == ["sample_short", "small_sample"]
    assert set(g["nrr"]) == set(ELEMENTS)
    assert r["overall"]["n"] == 3 and r["overall"]["sample_target"] == krejcie_morgan(200)
    k = build_report(df, by="kecamatan")["groups"][0]
    assert k["kecamatan"] == "Medan Baru" and k["kode_kecamatan"] == "12.71.17"
    p = build_report(df, by="periode", period="quarter")
    assert [x["periode"] for x in p["groups"]] == ["2025-Q1", "2025-Q2"]
    assert p["overall"]["sample_target"] is None
    # without a population the target is not checked, and the report says so
    plain = build_report(df)["groups"][0]
    assert plain["population"] is None and plain["sample_target"] is None and plain["flags"] == ["small_sample"]
    assert any("not checked" in note for note in build_report(df, lang="en")["notes"])
    assert len(r["notes"]) == 1  # every group had a population
    up = build_report(df, by="unit_layanan", period="month", lang="en")
    # unit × month: A in 2025-01 and 2025-04, B in 2025-04, each with the unit and period named
    assert [(x["unit_layanan"], x["periode"], x["n"]) for x in up["groups"]] == [
        ("A", "2025-01", 1), ("A", "2025-04", 1), ("B", "2025-04", 1)]
    assert up["overall"]["label"] == "Poor"


def _write_feedback_csv(path: Path) -> None:
    df = uniform([3, 4, 2, 3], unit_layanan=["Puskesmas A", "Puskesmas A", "Dukcapil", "Dukcapil"],
                 kecamatan=["Medan Baru", "medan baru", "Kec. Medan Kota", "Medan Kota"],
                 tanggal=["05/02/2025", "06/02/2025", "10/08/2025", "11/08/2025"])
    df["jenis_layanan"] = "KTP"
    df["saran"] = ["Antri lama", "", "Petugas ramah", None]
    df.to_csv(path, sep=";", index=False)


def test_cli_json(tmp_path, capsys):
    pytest.importorskip("analysis.intake.pipeline")
    from analysis.cli import main

    f = tmp_path / "skm.csv"
    _write_feedback_csv(f)
    assert main(["ikm", str(f), "--by", "kecamatan", "--population", "1000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    groups = {g["kecamatan"]: g for g in out["groups"]}
    assert groups["Medan Baru"]["ikm"] == 87.5 and groups["Medan Baru"]["grade"] == "B"
    assert groups["Medan Kota"]["ikm"] == 62.5 and groups["Medan Kota"]["label"] == "Tidak Baik"
    assert groups["Medan Baru"]["sample_target"] == 278  # Krejcie & Morgan (1970), Table 1: N = 1000 → 278
    assert groups["Medan Baru"]["flags"] == ["sample_short", "small_sample"]  # 2 respondents
    assert out["overall"]["ikm"] == 75.0 and out["overall"]["n"] == 4
    assert out["notes"]


def test_cli_text_and_period(tmp_path, capsys):
    pytest.importorskip("analysis.intake.pipeline")
    from analysis.cli import main

    f = tmp_path / "skm.csv"
    _write_feedback_csv(f)
    assert main(["ikm", str(f), "--by", "periode", "--period", "semester"]) == 0
    text = capsys.readouterr().out
    assert "2025-S1" in text and "2025-S2" in text and "87,50" in text and "Keseluruhan" in text
    assert main(["ikm", str(f), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Overall" in text and "87.50" in text


def test_cli_missing_file_is_an_expected_error(tmp_path, capsys):
    pytest.importorskip("analysis.intake.pipeline")
    from analysis.cli import main

    assert main(["ikm", str(tmp_path / "nope.xlsx"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "file_not_found"


@pytest.mark.skipif(not (ROOT / "data" / "sample" / "skm_2025.xlsx").exists(), reason="sample workbook not generated")
def test_cli_on_the_sample_workbook(capsys):
    from analysis.cli import main

    assert main(["ikm", str(ROOT / "data" / "sample" / "skm_2025.xlsx"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_accepted"] > 1000 and len(out["groups"]) > 10
    for g in out["groups"]:
        assert g["grade"] == grade(g["ikm"]) and 25 <= g["ikm"] <= 100


def test_cli_populations_file(tmp_path, capsys):
    pytest.importorskip("analysis.intake.pipeline")
    from analysis.cli import main

    f = tmp_path / "skm.csv"
    _write_feedback_csv(f)
    pop = tmp_path / "populasi.csv"
    pop.write_text("unit_layanan;populasi\npuskesmas a;1.200\nDukcapil;2\n", encoding="utf-8")
    assert main(["ikm", str(f), "--populations", str(pop), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    groups = {g["unit_layanan"]: g for g in out["groups"]}
    assert groups["Puskesmas A"]["sample_target"] == krejcie_morgan(1200)
    assert groups["Dukcapil"]["sample_target"] == 2 and groups["Dukcapil"]["flags"] == ["small_sample"]
    assert out["overall"]["sample_target"] == krejcie_morgan(1202)
    pop.write_text("unit_layanan;populasi\nDukcapil;banyak\n", encoding="utf-8")
    assert main(["ikm", str(f), "--populations", str(pop), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "populations_unreadable"


def test_cli_unit_whose_respondents_answered_nothing_is_listed_and_flagged(tmp_path, capsys):
    from analysis.cli import main

    f = tmp_path / "skm.csv"
    f.write_text("Tanggal;Unit Layanan;Kecamatan;U1;U2;U3;U4;U5;U6;U7;U8;U9\n"
                 "05/02/2025;Puskesmas A;Medan Baru;3;3;3;3;3;3;3;3;3\n"
                 "05/02/2025;Puskesmas B;Medan Baru;;;;;;;;;\n", encoding="utf-8")
    assert main(["ikm", str(f), "--json"]) == 0
    groups = {g["unit_layanan"]: g for g in json.loads(capsys.readouterr().out)["groups"]}
    assert groups["Puskesmas B"]["n"] == 0 and groups["Puskesmas B"]["ikm"] is None
    assert groups["Puskesmas B"]["flags"] == ["small_sample", "no_answers"]
    assert groups["Puskesmas A"]["ikm"] == 75.0  # 25 × 3
