"""The development plan (analysis/career/plan.py): each default rule fires on a case built for it,
every rule that holds gives a suggestion and the priority is the highest of them; the programs
named are those with good evidence for the employee's unit type; a bad rule file is refused with
the rule and the field named."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.career.plan import (
    DEFAULT_PLAN_RULES,
    SCHEMA,
    best_programs,
    default_plan_rules,
    development_plan,
    employee_facts,
    parse_plan_rules,
    plan_table,
    priority_counts,
    programs_for,
    ranked_programs,
)
from analysis.core.errors import AnalysisError
from analysis.intake.normalise import PREDIKAT_2022
from analysis.rules.engine import evaluate_all

AS_OF = pd.Timestamp("2025-12-31")


def nip(i: int, tmt: int = 2015) -> str:
    """A PNS NIP (Perka BKN 22/2007 layout): born 15 January 1990, first appointed March ``tmt``."""
    return f"19900115{tmt}031{i:03d}"


def facts(**changes) -> dict:
    """The facts of an employee who triggers nothing: Baik, 24 JP, developed recently, no mentees."""
    row = {"pns": True, "jp": 24.0, "jp_training": 24.0, "jp_mentoring": 0.0, "jp_lain": 0.0, "meets_target": True,
           "predikat": "Baik", "predikat_rank": 4.0, "kinerja_axis": "sesuai", "tmt_year": 2015.0,
           "unit_type": "puskesmas"}
    base = employee_facts(row, year=2025, target=20.0, last=pd.Timestamp("2025-10-10"), as_of=AS_OF, mentor=None,
                          is_mentee=False, programs_available=1)
    return {**base, **changes}


# One case per default rule: the facts for which exactly that rule holds.
CASES = {
    "kinerja_rendah_tanpa_pengembangan": facts(predikat="Butuh Perbaikan", predikat_rank=3.0, kinerja_axis="di_bawah",
                                               developed_last_12_months=False, months_since_development=13),
    "kinerja_rendah": facts(predikat="Kurang/Misconduct", predikat_rank=2.0, kinerja_axis="di_bawah"),
    "jp_kurang": facts(jp=12.0, jp_short=8.0, meets_target=False),
    "kandidat_mentor": facts(predikat="Sangat Baik", predikat_rank=5.0, kinerja_axis="di_atas", is_mentor=True,
                             mentees=3, mentees_measured=2, mentees_improved=1, mentees_improved_share=0.5,
                             mentee_change=0.25),
    "kelompok_suksesi": facts(talent_box=8.0, potensi_level="tinggi"),
    "tanpa_predikat": facts(predikat=None, predikat_rank=None, kinerja_axis=None),
}


def test_every_default_rule_has_a_case():
    assert [r.id for r in default_plan_rules().rules] == list(CASES)


@pytest.mark.parametrize("rule", list(CASES))
def test_each_default_rule_fires_on_its_case(rule):
    fired = evaluate_all(default_plan_rules(), CASES[rule])
    assert [m.rule.id for m in fired] == [rule]
    assert fired[0].reason_id and fired[0].reason_en and "{" not in fired[0].reason_en


def test_nothing_fires_for_an_employee_who_needs_nothing():
    assert evaluate_all(default_plan_rules(), facts()) == []


@pytest.mark.parametrize(("changes", "quiet"), [
    ({"predikat": "Butuh Perbaikan", "predikat_rank": 3.0, "developed_last_12_months": True}, "kinerja_rendah_tanpa_pengembangan"),
    ({"predikat": "Baik", "predikat_rank": 4.0, "developed_last_12_months": False}, "kinerja_rendah_tanpa_pengembangan"),
    ({"meets_target": None, "pns": False, "jp": 0.0}, "jp_kurang"),  # PPPK: the 20 JP is a PNS right
    ({"kinerja_axis": "di_atas", "mentees_measured": 2, "mentees_improved_share": 0.4}, "kandidat_mentor"),
    ({"kinerja_axis": "sesuai", "mentees_measured": 2, "mentees_improved_share": 1.0}, "kandidat_mentor"),
    ({"talent_box": 6.0}, "kelompok_suksesi"),
])
def test_rules_stay_quiet_just_outside_their_case(changes, quiet):
    assert quiet not in [m.rule.id for m in evaluate_all(default_plan_rules(), facts(**changes))]


# --------------------------------------------------------------------------- end to end


def _case():
    """Employees of one puskesmas in 2025 (quarterly appraisals) and the programs around them.

    P: Butuh Perbaikan, last development Nov 2024 (13 months before 31 Dec 2025), 0 JP in 2025.
    Q: Butuh Perbaikan, trained Oct 2025 (24 JP).  S: Sangat Baik, potensi tinggi (box 9), 30 JP.
    M: Sangat Baik, 20 JP of other development, mentor of m1 and m2 (Apr–Jun 2025), who rise from Baik
    (Q1) to Sangat Baik (Q3) while the non-mentees n1 and n2 stay Baik: both improved beyond the comparison.
    Programs for puskesmas staff (12 others each): P1 gains 10 ± 1 points (good evidence), P2 none.
    """
    unit, kec = "Puskesmas Padang Bulan", "Medan Baru"
    P, Q, S, M, m1, m2, n1, n2 = (nip(i) for i in range(1, 9))
    final = {P: "Butuh Perbaikan", Q: "Butuh Perbaikan", S: "Sangat Baik", M: "Sangat Baik", m1: "Baik", m2: "Baik",
             n1: "Baik", n2: "Baik"}
    q3 = {m1: "Sangat Baik", m2: "Sangat Baik"}
    rows = []
    for person, last in final.items():
        for period in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
            predikat = last if period == "2025-Q4" else (q3.get(person, "Baik") if period == "2025-Q3" else "Baik")
            rows.append({"nip": person, "nama": f"Pegawai {person[-3:]}", "unit_kerja": unit, "kecamatan": kec,
                         "periode": period, "predikat_kinerja": predikat,
                         "potensi": "tinggi" if person == S else None})
    appraisals = pd.DataFrame(rows)
    # as the intake reads it: the PermenPANRB 6/2022 predikat as an ordered category
    appraisals["predikat_kinerja"] = pd.Categorical(appraisals["predikat_kinerja"], categories=PREDIKAT_2022,
                                                    ordered=True)
    training = [{"nip": P, "program": "Lama", "tanggal_mulai": "2024-11-04", "tanggal_selesai": "2024-11-07", "jp": 16.0},
                {"nip": Q, "program": "P2", "tanggal_mulai": "2025-10-06", "tanggal_selesai": "2025-10-10", "jp": 24.0},
                {"nip": S, "program": "P1", "tanggal_mulai": "2025-03-03", "tanggal_selesai": "2025-03-07", "jp": 30.0}]
    for i in range(12):
        training.append({"nip": nip(100 + i), "program": "P1", "tanggal_mulai": "2025-03-03",
                         "tanggal_selesai": "2025-03-07", "jp": 30.0, "nilai_pre": 60.0 + i % 4,
                         "nilai_post": 70.0 + i % 4 + (1 if i % 2 else -1)})
        training.append({"nip": nip(200 + i), "program": "P2", "tanggal_mulai": "2025-03-03",
                         "tanggal_selesai": "2025-03-07", "jp": 30.0, "nilai_pre": 60.0 + i % 4,
                         "nilai_post": 60.0 + i % 4 + (3 if i % 2 else -3)})
    training = pd.DataFrame(training).assign(unit_kerja=unit, kecamatan=kec, kelompok="peserta")
    for col in ("tanggal_mulai", "tanggal_selesai"):
        training[col] = pd.to_datetime(training[col])
    mentoring = pd.DataFrame({"mentor_nip": [M, M], "mentee_nip": [m1, m2], "kecamatan": [kec, kec],
                              "tanggal_mulai": pd.to_datetime(["2025-04-07"] * 2),
                              "tanggal_selesai": pd.to_datetime(["2025-06-27"] * 2),
                              "jumlah_sesi": [6.0, 6.0], "jp": [None, None]})
    other = pd.DataFrame({"nip": [M], "kegiatan": ["Webinar"], "tanggal_mulai": pd.to_datetime(["2025-05-05"]),
                          "jp": [20.0]})
    return appraisals, training, mentoring, other, dict(P=P, Q=Q, S=S, M=M, m1=m1, n1=n1)


@pytest.fixture(scope="module")
def plan():
    appraisals, training, mentoring, other, _ = _case()
    return development_plan(appraisals, training, mentoring, other, target=20.0, per_session=2.0)


def _by(plan, nip_):
    return next(e for e in plan.employees if e["nip"] == nip_)


def test_the_plan_of_each_employee(plan):
    who = _case()[-1]
    assert plan.year == 2025 and plan.as_of == AS_OF
    p = _by(plan, who["P"])
    assert [s["rule"] for s in p["suggestions"]] == ["kinerja_rendah_tanpa_pengembangan", "jp_kurang"]
    assert p["priority"] == "tinggi" and p["facts"]["months_since_development"] == 13
    program = p["suggestions"][1]
    assert program["programs"] == ["P1"] and program["programs_scope"] == "unit_type"  # P2 has no good evidence
    q = _by(plan, who["Q"])
    assert [s["rule"] for s in q["suggestions"]] == ["kinerja_rendah"] and q["priority"] == "sedang"
    assert q["facts"]["months_since_development"] == 2
    s = _by(plan, who["S"])
    assert s["facts"]["talent_box"] == 9.0 and [x["rule"] for x in s["suggestions"]] == ["kelompok_suksesi"]
    m = _by(plan, who["M"])
    assert (m["facts"]["mentees_measured"], m["facts"]["mentees_improved"]) == (2, 2)
    assert m["facts"]["mentee_change"] == pytest.approx(1.0)  # rank 4 → 5, comparison 4 → 4
    assert [x["rule"] for x in m["suggestions"]] == ["kandidat_mentor"] and m["priority"] == "rendah"
    n1 = _by(plan, who["n1"])  # Baik, 0 JP: only the JP rule
    assert [x["rule"] for x in n1["suggestions"]] == ["jp_kurang"]
    assert _by(plan, who["m1"])["facts"]["jp_mentoring"] == 12.0  # 6 sessions × 2 JP


def test_the_json_and_the_tables(plan):
    out = plan.to_dict()
    assert set(out) == {"year", "target", "as_of", "rules", "talent", "employees"}
    e = out["employees"][0]
    assert set(e) == {"nip", "nama", "unit_kerja", "kecamatan", "unit_type", "priority", "suggestions"}
    for person in out["employees"]:
        for s in person["suggestions"]:
            assert {"rule", "suggestion", "priority", "reason_id", "reason_en"} <= set(s)
            assert ("programs" in s) == (s["suggestion"] == "ikuti_program")
    table = plan_table(plan, "en")
    assert table["priority"].iloc[0] == "High"  # highest priority first
    counts = priority_counts(plan).iloc[0]
    assert (counts["tinggi"], counts["sedang"], counts["rendah"], counts["total"]) == (1, 5, 2, 8)  # P; Q, m1, m2, n1, n2; S, M
    assert plan.talent["available"] and plan.talent["placed"] == 1


def test_best_programs_per_unit_type():
    _, training, *_ = _case()
    ev = best_programs(training)
    assert ev.loc[ev["unit_type"] == "puskesmas", "program"].tolist() == ["P1"]
    assert ev.loc[ev["unit_type"] == "*", "program"].tolist() == ["P1"]
    assert programs_for(ranked_programs(ev), "puskesmas", {"P1"}) == ([], None)  # attended: nothing left to name
    assert best_programs(training.iloc[:0]).empty


# --------------------------------------------------------------------------- the rule file


@pytest.mark.parametrize(("edit", "rule", "field"), [
    (('suggestion = "ikuti_program"', 'suggestion = "pelatihan"'), "jp_kurang", "suggestion"),
    (('priority = "tinggi"\n', ''), "kinerja_rendah_tanpa_pengembangan", "priority"),
    (('{ fact = "meets_target", eq = false }', '{ fact = "meets_targets", eq = false }'), "jp_kurang", "when[1].fact"),
    (('{ fact = "talent_box", in = [7, 8, 9] }', '{ fact = "talent_box", in = ["tinggi"] }'), "kelompok_suksesi",
     "when[1].in"),
])
def test_a_bad_rule_file_names_the_rule_and_the_field(edit, rule, field):
    text = DEFAULT_PLAN_RULES.read_text(encoding="utf-8").replace(*edit, 1)
    with pytest.raises(AnalysisError) as err:
        parse_plan_rules(text)
    assert err.value.code == "invalid_rules"
    assert (err.value.details["rule"], err.value.details["field"]) == (rule, field)


def test_the_schema_is_the_plans():
    assert SCHEMA.name == "rencana_pengembangan" and not SCHEMA.require_fallback
    with pytest.raises(AnalysisError):
        parse_plan_rules(DEFAULT_PLAN_RULES.read_text(encoding="utf-8").replace(
            'rule_set = "rencana_pengembangan"', 'rule_set = "followup"'))
