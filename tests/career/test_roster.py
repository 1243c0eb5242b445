"""The JP roster (analysis/career/roster.py) against a hand-built roster: everyone appraised is
counted, zero JP included; mentoring JP for the mentee only, once; the per-unit and per-kecamatan
shares and the JP distribution by hand (tests/career/roster_case.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.career.roster import (choose_year, development, jp_result, jp_table, roster_share, staff,
                                   target_summary)
from analysis.core.errors import AnalysisError
from roster_case import A, B, C, D, E, F, G, EXPECTED_JP, appraisals, mentoring, other, training


@pytest.fixture(scope="module")
def result():
    return jp_result(appraisals(), training(), mentoring(), other(), target=20.0, per_session=2.0)


def test_every_appraised_pns_is_counted_with_zero_jp_included(result):
    assert result["year"] == 2025 and result["target"] == 20.0
    got = {e["nip"]: (e["jp"], e["meets_target"]) for e in result["employees"]}
    assert got == {nip: (jp, jp >= 20) for nip, jp in EXPECTED_JP.items()}
    assert got[C] == (0.0, False)  # no development at all: still on the roster
    assert result["overall"]["employees"] == 5 and result["overall"]["meeting_target"] == 2
    assert result["overall"]["share"] == pytest.approx(2 / 5)
    assert result["not_pns"] == 1 and E not in got  # a PPPK number: listed, not counted
    assert result["counting"]["development_not_on_roster"] == 1  # G trained but is not appraised


def test_mentoring_jp_only_where_the_rule_says(result):
    c = result["counting"]
    # two pairs: A credited 3 sessions × 2 JP = 6, F the 5 JP recorded (not 4 × 2); mentors nothing
    assert c["mentoring"] == {"activities": 2, "jp": 11.0} and c["mentor_credited"] is False
    # training 2025: A 16 (A's mentoring-type row left out), B 8, D 24 (no pair: kept), E 30, G 20
    assert c["training"] == {"activities": 5, "jp": 98.0}
    assert c["jp_lain"] == {"activities": 1, "jp": 10.0}
    no_credit = jp_result(appraisals(), training(), mentoring(), other(), per_session=0.0)
    assert {e["nip"]: e["jp"] for e in no_credit["employees"]}[A] == 16.0  # 0 JP per session: A falls short
    no_pairs = jp_result(appraisals(), training(), None, other())
    assert {e["nip"]: e["jp"] for e in no_pairs["employees"]}[A] == 32.0  # without the pairs, the training row counts


def test_per_unit_and_per_kecamatan(result):
    units = {u["unit_kerja"]: u for u in result["units"]}
    # Dinas Sosial: A 22, B 18 (E is PPPK); Kantor Camat: C 0, D 24; Puskesmas: F 5
    assert (units["Dinas Sosial"]["employees"], units["Dinas Sosial"]["meeting_target"]) == (2, 1)
    assert units["Dinas Sosial"]["kecamatan"] == "Medan Helvetia"
    assert units["Kantor Camat Medan Baru"]["share"] == 0.5 and units["Kantor Camat Medan Baru"]["jp_0"] == 1
    assert units["Kantor Camat Medan Baru"]["jp_median"] == 12.0
    assert units["Puskesmas Padang Bulan"]["jp_below_half"] == 1
    kec = {k["kecamatan"]: k for k in result["kecamatan"]}
    assert (kec["Medan Baru"]["employees"], kec["Medan Baru"]["meeting_target"]) == (3, 1)
    assert kec["Medan Baru"]["share"] == pytest.approx(1 / 3)


def test_the_distribution_by_hand(result):
    o = result["overall"]
    # JP 0, 5, 18, 22, 24: mean 69 / 5; R's quantile type 7: Q1 at position 1 → 5, median 18, Q3 at 3 → 22
    assert o["jp_mean"] == pytest.approx(13.8) and (o["jp_q1"], o["jp_median"], o["jp_q3"]) == (5.0, 18.0, 22.0)
    assert o["jp_max"] == 24.0
    # bins of the 20 JP target: 0 | below 10 | below 20 | below 40 | 40 or more
    assert [o[k] for k in ("jp_0", "jp_below_half", "jp_below_target", "jp_below_double", "jp_double_or_more")] == [
        1, 1, 1, 2, 0]


def test_the_year_comes_from_the_appraisal_data():
    rows = appraisals()
    with pytest.raises(AnalysisError) as err:
        choose_year(rows, 2024)
    assert err.value.code == "no_roster_year" and "2025" in err.value.message("en")
    with pytest.raises(AnalysisError) as err:
        choose_year(rows.assign(periode="?"))
    assert err.value.code == "no_roster"
    # a year with appraisals counts that year's JP only: D's 40 JP of 2024
    early = pd.concat([rows, pd.DataFrame({"nip": [D], "nama": ["Dedi Siregar"], "periode": ["2024"],
                                           "predikat_kinerja": ["Baik"]})])
    r = jp_result(early, training(), mentoring(), other(), year=2024)
    assert r["employees"] == [{"nip": D, "jp": 40.0, "meets_target": True}]


def test_staff_takes_the_latest_period_and_the_pns_layout():
    s = staff(appraisals()).set_index("nip")
    assert s.loc[A, "periode"] == "2025-Q4" and bool(s.loc[A, "pns"]) and not bool(s.loc[E, "pns"])
    assert s.loc[A, "tmt_year"] == 2010 and s.loc[A, "unit_type"] == "dinas"


def test_jp_table_and_summary_directly():
    acts = development(training(), mentoring(), other(), per_session=2.0)
    assert set(acts["source"]) == {"training", "mentoring", "jp_lain"}
    assert B not in set(acts.loc[acts["source"] == "mentoring", "nip"])  # the mentor: no mentoring JP
    table = jp_table(staff(appraisals(), 2025), acts, 2025, 20.0).set_index("nip")
    assert (table.loc[A, "jp_training"], table.loc[A, "jp_mentoring"]) == (16.0, 6.0)
    assert pd.isna(table.loc[E, "meets_target"])
    with pytest.raises(ValueError, match="target"):
        jp_table(staff(appraisals()), acts, 2025, 0.0)
    assert target_summary(table.reset_index(), 20.0)["employees"].tolist() == [5]


def test_roster_share_is_the_headline_over_everyone_appraised():
    """The Ringkasan headline when appraisals list the employees: the same hand-built roster."""
    got = roster_share(appraisals(), training(), mentoring(), other(), target=20.0, per_session=2.0)
    # five PNS appraised in 2025 (A 22, B 18, C 0, D 24, F 5 JP): A and D reach 20; E (PPPK) and G
    # (trained, not appraised) are not counted
    assert got == {"pns": 5, "reached": 2, "share": pytest.approx(2 / 5), "years": [2025]}
    # Medan Baru: three of them, one reaching 20 (as the per-kecamatan row above)
    kec = roster_share(appraisals(), training(), mentoring(), other(), kecamatan="Medan Baru")
    assert (kec["pns"], kec["reached"]) == (3, 1)
    assert roster_share(appraisals(), training(), mentoring(), other(), periode="2025-Q3")["pns"] == 5
    assert roster_share(appraisals(), training(), periode="2023")["pns"] == 0
