"""``python -m analysis evaluate``: JSON and text output, and its errors."""

from __future__ import annotations

import json

import numpy as np

def _training_csv(path, rejected: int = 1):
    lines = ["NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Kelompok;Tanggal Mulai;JP;Pre Test;Post Test"]
    rng = np.random.default_rng(0)
    for i in range(24):
        pre = 55 + i % 20
        program = "Literasi Data" if i % 2 else "Pelayanan Prima"
        lines.append(f"198503122010011{i + 1:03d};Pegawai {i};Dinas Kominfo;Medan Baru;{program};Peserta;"
                     f"12/03/2025;20;{pre};{pre + 3 + int(rng.integers(0, 8))}")
    for i in range(rejected):
        lines.append(f"19850312201001102{i};Salah {i};Dinas Kominfo;Medan Baru;Literasi Data;Peserta;"
                     "12/03/2025;20;150;90")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_evaluate_json(tmp_path, capsys):
    from analysis.cli import main
    from analysis.intake.pipeline import read_file

    path = _training_csv(tmp_path / "rekap.csv")
    res = read_file(path)
    assert main(["evaluate", str(path), "--json", "--by", "program", "--correction", "bh"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_used"] == len(res.accepted) and out["rows_rejected"] == len(res.rejected) >= 1
    assert out["measure"] == "knowledge" and out["correction"] == "bh"
    assert {g["program"] for g in out["groups"]} == {"Literasi Data", "Pelayanan Prima"}
    assert out["overall"]["n"] == len(res.accepted) == 24


def test_cli_evaluate_text_and_errors(tmp_path, capsys):
    from analysis.cli import main

    path = _training_csv(tmp_path / "rekap.csv")
    assert main(["evaluate", str(path), "--by", "program", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Rows used" in text and "Post-test scores" in text
    assert main(["evaluate", str(path), "--by", "nip", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "invalid_by"
