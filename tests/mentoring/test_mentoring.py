"""The mentoring evaluation (analysis/mentoring): mentees as events, coverage and the junior share,
JP as a setting, the effect through the engine, the dose and the mentors — expected values by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.evidence.appraisal import evaluate_with_appraisals, training_events
from analysis.mentoring.coverage import JUNIOR_YEARS, coverage, jp_summary, jp_with_training, pair_jp, tmt_year
from analysis.mentoring.effect import adjusted_changes, dose, mentee_events, mentor_effects
from analysis.mentoring.summary import SUMMARY_COLUMNS, evaluate_mentoring, mentoring_summary


def nip(year_tmt: int, i: int) -> str:
    """A PNS NIP born 15 January 1990 (Perka BKN 22/2007 layout) first appointed in ``year_tmt``."""
    return f"19900115{year_tmt}031{i:03d}"


def pairs_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "mentor_nip": [nip(2005, 1), nip(2005, 1), nip(2006, 2)],
        "mentee_nip": [nip(2020, 10), nip(2021, 11), nip(2019, 12)],
        "kecamatan": ["Medan Baru", "Medan Baru", "Medan Kota"],
        "tanggal_mulai": pd.to_datetime(["2025-06-02", "2025-06-02", "2025-07-07"]),
        "tanggal_selesai": pd.to_datetime(["2025-08-29", "2025-08-29", None]),
        "jumlah_sesi": [6.0, 4.0, 8.0], "jp": [np.nan, 10.0, np.nan],
    })


def workforce() -> pd.DataFrame:
    people = [(nip(2020, 10), "Medan Baru"), (nip(2021, 11), "Medan Baru"), (nip(2019, 12), "Medan Kota"),
              (nip(2018, 13), "Medan Baru"), (nip(2005, 1), "Medan Baru"), (nip(2006, 2), "Medan Kota"),
              (nip(2010, 14), "Medan Kota")]
    return pd.DataFrame({"nip": [p for p, _ in people], "periode": ["2025-Q1"] * len(people),
                         "kecamatan": [k for _, k in people], "nilai": [80.0] * len(people)})


def test_tmt_year_and_junior_threshold():
    assert tmt_year(pd.Series([nip(2020, 1), nip(2005, 2), "123"])).tolist()[:2] == [2020.0, 2005.0]
    assert JUNIOR_YEARS == 10


def test_coverage_by_hand():
    c = coverage(pairs_frame(), workforce().assign(end=pd.Timestamp("2025-03-31")))
    assert (c["pairs"], c["mentors"], c["mentees"]) == (3, 2, 3)
    assert c["sessions_per_pair"] == {"mean": 6.0, "median": 6.0, "min": 4.0, "max": 8.0}
    assert c["mentees_per_mentor"]["max"] == 2.0
    # juniors in 2025: first appointed after 2015 -> 2020, 2021, 2019, 2018 (four); three are mentees
    assert (c["junior_staff"], c["junior_mentored"], c["junior_share_mentored"]) == (4, 3, 0.75)
    rows = {(r["kecamatan"], r["periode"]): r for r in c["by_kecamatan"]}
    assert set(rows) == {("Medan Baru", "2025-Q2"), ("Medan Kota", "2025-Q3")}
    assert rows[("Medan Baru", "2025-Q2")]["junior_share_mentored"] == pytest.approx(2 / 3)  # of 2020, 2021, 2018
    assert rows[("Medan Kota", "2025-Q3")]["junior_share_mentored"] == 1.0


def test_jp_from_the_file_else_the_setting():
    p = pairs_frame()
    assert pair_jp(p, 2.0).tolist() == [12.0, 10.0, 16.0]  # 6·2, as recorded, 8·2
    s = jp_summary(p, 2.0, 20.0)
    assert (s["pairs_recorded"], s["pairs_from_sessions"], s["mentee_jp_total"]) == (1, 2, 38.0)
    assert s["share_reaching_target"] == 0.0 and s["mentor_credited"] is False
    with pytest.raises(ValueError, match="EVALUASI_MENTORING_JP_PER_SESSION"):
        pair_jp(p, -1.0)


def test_jp_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("EVALUASI_MENTORING_JP_PER_SESSION", "3")
    result = evaluate_mentoring(pairs_frame(), workforce())
    assert result["coverage"]["jp"]["per_session"] == 3.0
    assert result["coverage"]["jp"]["mentee_jp_total"] == 6 * 3 + 10 + 8 * 3


def test_jp_with_training_counts_the_mentoring_once():
    training = pd.DataFrame({"nip": [nip(2020, 10), nip(2020, 10), nip(2021, 11)], "jp": [10.0, 12.0, 30.0],
                             "jenis_program": ["pelatihan", "mentoring", "pelatihan"],
                             "tanggal_mulai": pd.to_datetime(["2025-03-03"] * 3)})
    r = jp_with_training(pairs_frame(), training, 2.0, 20.0)
    # mentee 10: training 10 (+ the mentoring row, left out) -> with mentoring 10 + 12 = 22;
    # mentee 11: 30 already; mentee 12: 0 + 16
    assert r == {"mentee_years": 3, "share_training_only": pytest.approx(1 / 3),
                 "share_with_mentoring": pytest.approx(2 / 3)}


def test_mentee_events_and_an_ongoing_mentoring():
    ev = mentee_events(pairs_frame())
    assert ev["nip"].tolist() == sorted(pairs_frame()["mentee_nip"])
    ongoing = ev.set_index("nip").loc[nip(2019, 12)]
    assert pd.isna(ongoing["end"]) and ongoing["mentors"] == [nip(2006, 2)]


def test_dose_and_mentors_on_adjusted_changes():
    frame = pd.DataFrame({
        "nip": ["a", "b", "c", "d", "n"], "kelompok": ["peserta"] * 4 + ["pembanding"],
        "kecamatan": ["A", "A", "B", "B", "A"], "kinerja_sebelum": [3.0, 3, 3, 3, 3],
        "kinerja_sesudah": [5.0, 4, 4, 3, 4], "perubahan_pembanding": [1.0, 1, 0, 0, np.nan],
        "jumlah_sesi": [10.0, 4, 8, 4, np.nan], "mentors": [["m1"], ["m1"], ["m2"], ["m2"], None],
    })
    ch = adjusted_changes(frame)
    assert ch["change"].tolist() == [1.0, 0.0, 1.0, 0.0]  # (5-3)-1, (4-3)-1, (4-3)-0, (3-3)-0
    d = dose(ch)
    # by hand: sessions 10, 4, 8, 4 (mean 6.5) against changes 1, 0, 1, 0 (mean 0.5):
    # dx = 3.5, -2.5, 1.5, -2.5; dy = .5, -.5, .5, -.5; Sxy = 1.75 + 1.25 + 0.75 + 1.25 = 5; Sxx = 27
    assert d["slope"] == pytest.approx(5 / 27)
    assert d["threshold"] == 6.0 and d["at_least"] == {"n": 2, "mean_change": 1.0}
    m = {r["mentor"]: r for r in mentor_effects(ch)}
    assert m["m1"]["mean_change"] == 0.5 and m["m2"]["mentees"] == 2


def test_summary_frame_is_tidy():
    result = evaluate_mentoring(pairs_frame(), workforce())
    t = mentoring_summary(result)
    assert tuple(t.columns) == SUMMARY_COLUMNS
    assert t["level"].tolist()[0] == "overall"
    # every mentee was appraised only once (Q1): no period after, reported, no estimate
    assert result["coverage"]["appraisal"]["join"]["no_after"] == 2
    assert result["coverage"]["appraisal"]["join"]["no_end_date"] == 1
    assert result["overall"]["mentees"] == 0 and "missing_periods" in result["overall"]["flags"]


def test_training_events_take_the_start_as_a_missing_end():
    rows = pd.DataFrame({"nip": ["1", "2", "3"], "kelompok": ["peserta", "peserta", "pembanding"],
                         "program": ["A", "A", None],
                         "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-07", None]),
                         "tanggal_selesai": pd.to_datetime(["2025-04-09", None, None])})
    events, from_start = training_events(rows)
    assert events["nip"].tolist() == ["1", "2"] and from_start == 1
    assert events["end"].tolist() == [pd.Timestamp("2025-04-09"), pd.Timestamp("2025-04-07")]


def test_evaluate_with_appraisals_by_period_keeps_each_comparison_copy():
    people = {"1": [80.0, 86], "2": [80.0, 84], "9": [81.0, 82], "8": [82.0, 82]}
    rows = pd.DataFrame([{"nip": n, "periode": p, "kecamatan": "Medan Baru", "nilai": v}
                         for n, vals in people.items() for p, v in zip(["2025-Q1", "2025-Q4"], vals)])
    training = pd.DataFrame({"nip": ["1", "2"], "program": ["A", "B"], "kecamatan": ["Medan Baru"] * 2,
                             "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-05-05"]),
                             "tanggal_selesai": pd.to_datetime(["2025-04-30", "2025-05-30"])})
    out = evaluate_with_appraisals(training, rows, by="program")
    # each program's participant against the same two non-participants (weights 1/2 each):
    # comparison change (1 + 0) / 2 = 0.5; A: 6 - 0.5 = 5.5; B: 4 - 0.5 = 3.5
    assert [g["did"] for g in out["groups"]] == pytest.approx([5.5, 3.5])
    assert [g["n_comparison"] for g in out["groups"]] == [2, 2]
    by_period = evaluate_with_appraisals(training, rows, by="period")
    assert [g["period"] for g in by_period["groups"]] == ["2025-Q2"]
    assert by_period["groups"][0]["n_comparison"] == 2 and by_period["groups"][0]["did"] == pytest.approx(4.5)
