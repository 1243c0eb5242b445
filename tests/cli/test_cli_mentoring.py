"""``python -m analysis mentoring`` and ``evaluate --appraisal``: the JSON contract, the join, the
lag, the scale, the errors — on small files whose answer is worked out by hand, and on the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
EFFECT_KEYS = {"mentees", "comparison", "design", "scale", "estimate", "se", "df", "ci_low", "ci_high", "p_value",
               "flags"}


def nip(i: int) -> str:
    """A PNS NIP (Perka BKN 22/2007 layout): born 15 January 199x, first appointed March 2015."""
    return f"199{i % 10}0115" + "201503" + "1" + f"{i + 1:03d}"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """Eight mentees (four in Medan Baru, four in Medan Kota) and eight non-mentees, nilai in Q1 and Q4.

    Medan Baru: mentees 80 -> 86 (+6), non-mentees 80 -> 81 (+1); Medan Kota: mentees 82 -> 86 (+4),
    non-mentees 82 -> 83 (+1). One stratum per kecamatan (baseline bin 80-84.99), so by hand:
    DiD Medan Baru = 6 - 1 = 5, Medan Kota = 4 - 1 = 3, overall = (4·6 + 4·4)/8 - 1 = 4.
    """
    kinerja = ["NIP;Nama;Unit Kerja;Kecamatan;Periode;Nilai SKP"]
    for i in range(16):
        kec = "Medan Baru" if i % 2 == 0 else "Medan Kota"
        mentee = i < 8
        before = 80 if kec == "Medan Baru" else 82
        gain = (6 if kec == "Medan Baru" else 4) if mentee else 1
        unit = f"Kantor Camat {kec}"
        kinerja.append(f"{nip(i)};P{i};{unit};{kec};Triwulan I 2025;{before}")
        kinerja.append(f"{nip(i)};P{i};{unit};{kec};Triwulan IV 2025;{before + gain}")
    mentors = ["197501012000031002", "197601012001031003"]
    pairs = ["NIP Mentor;NIP Mentee;Kecamatan;Tanggal Mulai;Tanggal Selesai;Jumlah Sesi;JP"]
    for i in range(8):
        kec = "Medan Baru" if i % 2 == 0 else "Medan Kota"
        pairs.append(f"{mentors[i % 2]};{nip(i)};{kec};02/06/2025;29/08/2025;{4 + i};")
    k, m = tmp_path / "kinerja.csv", tmp_path / "mentoring.csv"
    k.write_text("\n".join(kinerja) + "\n", encoding="utf-8")
    m.write_text("\n".join(pairs) + "\n", encoding="utf-8")
    return m, k


def run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_mentoring_json_contract_and_hand_computed_did(tmp_path, capsys):
    m, k = _files(tmp_path)
    out = run_json(capsys, "mentoring", str(m), "--appraisal", str(k))
    assert set(out) == {"overall", "kecamatan", "dose", "mentors", "coverage"}
    assert set(out["overall"]) == EFFECT_KEYS
    assert all(set(r) == EFFECT_KEYS | {"kecamatan"} for r in out["kecamatan"])
    assert all(set(r) == {"mentor", "mentees", "mean_change", "shrunk_change", "ci_low", "ci_high"}
               for r in out["mentors"])
    o = out["overall"]
    assert (o["mentees"], o["comparison"], o["design"], o["scale"]) == (8, 8, "difference_in_differences", "nilai")
    assert o["estimate"] == pytest.approx(4.0, abs=1e-12)
    per = {r["kecamatan"]: r["estimate"] for r in out["kecamatan"]}
    assert per == pytest.approx({"Medan Baru": 5.0, "Medan Kota": 3.0}, abs=1e-12)
    assert o["df"] == 1 and "few_clusters" in o["flags"]  # two kecamatan: G - 1 = 1
    c = out["coverage"]
    assert (c["pairs"], c["mentors"], c["mentees"]) == (8, 2, 8)
    # JP: no pair records JP; sessions 4..11 at the default 2 JP a session = 2 · 60 = 120
    assert c["jp"]["mentee_jp_total"] == 120.0 and c["jp"]["per_session"] == 2.0
    assert c["appraisal"]["join"]["ok"] == 8 and c["appraisal"]["lag_months"] == 0


def test_lag_that_leaves_no_period_after_reports_it(tmp_path, capsys):
    m, k = _files(tmp_path)
    # mentoring ends 29 August; + 2 months = 29 October, after Q4 began (1 October): no period after
    out = run_json(capsys, "mentoring", str(m), "--appraisal", str(k), "--lag-months", "2")
    assert out["coverage"]["appraisal"]["join"]["no_after"] == 8
    assert out["overall"]["mentees"] == 0 and "no_pairs" in out["overall"]["flags"]
    assert out["kecamatan"] == []


def test_mentoring_errors(tmp_path, capsys):
    m, k = _files(tmp_path)
    assert main(["mentoring", str(m), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "appraisal_required"
    assert main(["mentoring", str(m), "--appraisal", str(k), "--lag-months", "-1", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_lag"
    assert main(["mentoring", str(k), "--appraisal", str(k), "--json"]) == 2  # not a mentoring file
    assert json.loads(capsys.readouterr().out)["error"]["code"] in ("missing_columns", "unrecognised_columns")


def test_mentoring_text(tmp_path, capsys):
    m, k = _files(tmp_path)
    assert main(["mentoring", str(m), "--appraisal", str(k), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Mentoring: 8 pairs, 2 mentors, 8 mentees")
    assert "Medan Baru" in text and "Dose:" in text


def test_evaluate_with_appraisal_uses_the_join(tmp_path, capsys):
    _, k = _files(tmp_path)
    training = ["NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;Tanggal Selesai;JP"]
    for i in range(8):  # the mentees of _files, here as participants of one program
        kec = "Medan Baru" if i % 2 == 0 else "Medan Kota"
        training.append(f"{nip(i)};P{i};Kantor Camat {kec};{kec};Literasi Data;02/06/2025;29/08/2025;20")
    t = tmp_path / "rekap.csv"
    t.write_text("\n".join(training) + "\n", encoding="utf-8")
    out = run_json(capsys, "evaluate", str(t), "--appraisal", str(k), "--measure", "performance", "--by", "program")
    assert out["design"] == "difference_in_differences" and out["measure"] == "performance"
    assert out["appraisal"]["scale"] == "nilai" and out["appraisal"]["join"]["ok"] == 8
    assert out["groups"][0]["program"] == "Literasi Data"
    assert out["overall"]["did"] == pytest.approx(4.0, abs=1e-12)  # as the mentoring case, by hand
    assert out["overall"]["n"] == 8 and out["overall"]["n_comparison"] == 8
    assert "appraisal" in out["did"]["comparison"]
    assert main(["evaluate", str(t), "--appraisal", str(k), "--json"]) == 2  # knowledge has no appraisal
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "appraisal_needs_performance"


# ----------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_result():
    import io
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["mentoring", str(SAMPLE / "mentoring_2025.xlsx"), "--appraisal", str(SAMPLE / "kinerja_2025.xlsx"),
                     "--json"]) == 0
    return json.loads(buf.getvalue())


def test_sample_mentoring_truth_is_recovered_by_the_cli(sample_result):
    from generate_sample_truth import helped_kecamatan

    helped = helped_kecamatan()
    out = sample_result
    assert out["overall"]["scale"] == "predikat_rank"  # e-Kinerja has no numeric score
    per = {r["kecamatan"]: r for r in out["kecamatan"]}
    assert len(per) == 21
    yes = [per[k] for k in helped]
    no = [r for k, r in per.items() if k not in helped]
    # where mentoring helps: an estimate above zero with its whole interval above zero, nearly everywhere
    assert sum(r["ci_low"] > 0 for r in yes) >= len(yes) - 1
    # where it does not: no interval lies above zero
    assert not [r["kecamatan"] for r in no if r["ci_low"] > 0]
    assert min(r["estimate"] for r in yes) > 0
    mean_yes = sum(r["estimate"] for r in yes) / len(yes)
    mean_no = sum(r["estimate"] for r in no) / len(no)
    assert mean_yes - mean_no > 0.5
    # the dose: more sessions, more change
    assert out["dose"]["slope"] > 0 and out["dose"]["ci_low"] > 0
    assert out["dose"]["at_least"]["mean_change"] > out["dose"]["fewer"]["mean_change"]
    # clusters: 21 kecamatan overall, so not few; each kecamatan alone is
    assert "few_clusters" not in out["overall"]["flags"] and out["overall"]["df"] == 20
    assert all("few_clusters" in r["flags"] for r in per.values())
