"""The appraisal join (analysis/appraisal): the last period ending on or before the start, the first
period starting on or after the end (plus a lag), missing periods reported and never guessed, one
kind of period, one scale, and coarsened exact matching. Every expected value is worked out by hand
from the calendar and the rules in the module docstrings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.appraisal.frame import before_after_frame
from analysis.appraisal.join import JOIN_STATUSES, join_periods, join_summary
from analysis.appraisal.matching import cem_weights, coarsen_baseline
from analysis.appraisal.table import appraisal_table, unit_type

PREDIKAT = pd.CategoricalDtype(["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"],
                               ordered=True)


def ts(text):
    return pd.Timestamp(text)


def quarters(nip: str, values: list[float], year: int = 2025, **extra) -> pd.DataFrame:
    return pd.DataFrame({"nip": nip, "periode": [f"{year}-Q{q}" for q in range(1, len(values) + 1)],
                         "nilai": values, **extra})


def event(nip="1", start="2025-04-14", end="2025-05-30") -> pd.DataFrame:
    return pd.DataFrame({"nip": [nip], "start": [ts(start)], "end": [ts(end) if end else pd.NaT]})


@pytest.fixture
def table():
    t, _ = appraisal_table(quarters("1", [80.0, 81.0, 84.0, 85.0]))
    return t


# ----------------------------------------------------------------------------- the choice of periods


@pytest.mark.parametrize("start, end, before, after", [
    # starts mid-Q2: Q1 ended 31 March, the last before; ends 30 May: Q3 (1 July) is the first after
    ("2025-04-14", "2025-05-30", "2025-Q1", "2025-Q3"),
    # starts the day after Q1 ended and ends the day before Q3 starts
    ("2025-04-01", "2025-06-30", "2025-Q1", "2025-Q3"),
    # starts on the last day of Q1: Q1 ends "on or before the start"
    ("2025-03-31", "2025-06-30", "2025-Q1", "2025-Q3"),
    # ends on 1 July, the first day of Q3: Q3 starts "on or after the end"
    ("2025-04-01", "2025-07-01", "2025-Q1", "2025-Q3"),
    # ends on 2 July: Q3 started before the end, so Q4 is the first after
    ("2025-04-01", "2025-07-02", "2025-Q1", "2025-Q4"),
    # starts 1 July: Q2 (ending 30 June) is the last before
    ("2025-07-01", "2025-08-15", "2025-Q2", "2025-Q4"),
])
def test_last_period_before_and_first_after(table, start, end, before, after):
    j = join_periods(event(start=start, end=end), table).iloc[0]
    assert (j["before_label"], j["after_label"], j["status"]) == (before, after, "ok")
    values = {"2025-Q1": 80.0, "2025-Q2": 81.0, "2025-Q3": 84.0, "2025-Q4": 85.0}
    assert (j["before_value"], j["after_value"]) == (values[before], values[after])


def test_lag_by_hand(table):
    # program ends 31 May 2025; the first quarter starting on or after 31 May + lag:
    # lag 0 -> 31 May: Q3 (1 Jul); lag 1 -> 30 Jun: Q3; lag 2 -> 31 Jul: Q4 (1 Oct); lag 4 -> 30 Sep: Q4;
    # lag 5 -> 31 Oct: none in the data
    got = {lag: join_periods(event(end="2025-05-31"), table, lag_months=lag).iloc[0] for lag in (0, 1, 2, 4, 5)}
    assert {k: v["after_label"] for k, v in got.items() if v["status"] == "ok"} == {
        0: "2025-Q3", 1: "2025-Q3", 2: "2025-Q4", 4: "2025-Q4"}
    assert got[5]["status"] == "no_after" and pd.isna(got[5]["after_value"])


def test_missing_periods_are_reported_not_guessed(table):
    events = pd.DataFrame({
        "nip": ["9", "1", "1", "1"],
        "start": [ts("2025-04-14"), ts("2025-02-03"), ts("2025-04-14"), ts("2025-11-03")],
        "end": [ts("2025-05-30"), ts("2025-02-07"), pd.NaT, ts("2025-11-07")],
    }, index=[10, 11, 12, 13])
    j = join_periods(events, table)
    # no appraisal at all; Q1 has not ended by 3 February; the mentoring has not ended; nothing after Q4
    assert j["status"].tolist() == ["no_appraisal", "no_before", "no_end_date", "no_after"]
    assert j.index.tolist() == [10, 11, 12, 13]
    assert j[["before_value", "after_value"]].isna().all().all()
    assert join_summary(j) == {"ok": 0, "no_appraisal": 1, "no_before": 1, "no_end_date": 1, "no_after": 1,
                               "no_value": 0}
    assert set(join_summary(j)) == set(JOIN_STATUSES)


def test_a_period_without_a_value_is_reported():
    rows = pd.DataFrame({"nip": ["1", "1", "2"], "periode": ["2025-Q1", "2025-Q3", "2025-Q1"],
                         "predikat_kinerja": pd.Series(["Baik", None, "Baik"], dtype=PREDIKAT)})
    t, info = appraisal_table(rows)
    assert info["scale"] == "predikat_rank"
    assert join_periods(event(), t)["status"].tolist() == ["no_value"]


def test_lag_must_be_whole_months(table):
    with pytest.raises(ValueError, match="lag_months must be a whole number of months"):
        join_periods(event(), table, lag_months=1.5)
    with pytest.raises(ValueError, match="events must have the columns nip, start and end"):
        join_periods(event().drop(columns="end"), table)


# ----------------------------------------------------------------------------- the appraisal table


def test_one_kind_of_period_is_kept_and_the_rest_counted():
    rows = pd.concat([quarters("1", [80.0, 82.0]), pd.DataFrame({"nip": ["1"], "periode": ["2024"], "nilai": [79.0]})])
    t, info = appraisal_table(rows)
    assert t["label"].tolist() == ["2025-Q1", "2025-Q2"]
    assert (info["period_kind"], info["rows_other_kind"]) == ("quarter", 1)
    t, info = appraisal_table(rows, period_kind="year")
    assert t["label"].tolist() == ["2024"] and info["rows_other_kind"] == 2


def test_nilai_is_used_only_when_every_row_has_it():
    rows = pd.DataFrame({"nip": ["1", "1"], "periode": ["2025-S1", "2025-S2"], "nilai": [80.0, np.nan],
                         "predikat_kinerja": pd.Series(["Baik", "Sangat Baik"], dtype=PREDIKAT)})
    t, info = appraisal_table(rows)
    assert info["scale"] == "predikat_rank" and t["value"].tolist() == [4.0, 5.0]  # Baik = 4, Sangat Baik = 5
    t, info = appraisal_table(rows.assign(nilai=[80.0, 90.0]))
    assert info["scale"] == "nilai" and t["value"].tolist() == [80.0, 90.0]


def test_end_dates_start_the_day_after_the_previous_end():
    rows = pd.DataFrame({"nip": ["1", "1", "1"], "periode": ["2025-03-31", "2025-06-30", "2025-12-31"],
                         "nilai": [80.0, 81.0, 84.0]})
    t, info = appraisal_table(rows)
    assert info["period_kind"] == "end"
    assert t["start"].isna().tolist() == [True, False, False]
    assert t["start"].iloc[1:].tolist() == [ts("2025-04-01"), ts("2025-07-01")]
    # a program from May to June: before = the period ending 31 March; after = the one starting 1 July
    j = join_periods(event(start="2025-05-05", end="2025-06-20"), t).iloc[0]
    assert (j["before_label"], j["after_label"]) == ("2025-03-31", "2025-12-31")


def test_unit_types():
    names = ["Kantor Camat Medan Kota", "Puskesmas Padang Bulan", "UPT Puskesmas Sering", "RSUD dr. Pirngadi",
             "Kantor Lurah Titi Rantai", "Dinas Kesehatan", "Badan Perencanaan Pembangunan Daerah",
             "Sekretariat Daerah", "Inspektorat", "SD Negeri 060800", "Koperasi Pegawai"]
    assert unit_type(pd.Series(names)).tolist() == [
        "kecamatan", "puskesmas", "puskesmas", "rumah_sakit", "kelurahan", "dinas", "badan", "sekretariat",
        "inspektorat", "sekolah", "lainnya"]


# ----------------------------------------------------------------------------- matching


def test_coarsened_exact_matching_weights_by_hand():
    people = pd.DataFrame({
        "treated": [True, True, True, False, False, False, False, False],
        "kec": ["A", "A", "B", "A", "B", "B", "B", None],
        "base": ["4", "4", "4", "4", "4", "4", "3", "4"],
    })
    out, info = cem_weights(people, ["kec", "base"])
    # stratum A|4: 2 participants, 1 non-participant -> weight 2/1; B|4: 1 and 2 -> 1/2 each;
    # B|3 has no participant and the row without a kecamatan matches nothing -> 0
    assert out["weight"].tolist() == [1.0, 1.0, 1.0, 2.0, 0.5, 0.5, 0.0, 0.0]
    assert out["matched"].tolist() == [True] * 6 + [False, False]
    assert info == {"participants": 3, "participants_matched": 3, "comparison": 5, "comparison_matched": 3,
                    "strata": 2, "strata_matched": 2}


def test_baseline_coarsening():
    assert coarsen_baseline([59.9, 60.0, 64.99, 100.0, 120.0], "nilai").tolist() == ["55", "60", "60", "100", "120"]
    assert coarsen_baseline([1.0, 5.0, np.nan], "predikat_rank").tolist()[:2] == ["1", "5"]


def _workforce() -> pd.DataFrame:
    """Two kecamatan, quarterly nilai: participants 1-3, non-participants 4-9 (9 in another kecamatan)."""
    people = {
        "1": ("A", [80.0, 80, 86, 86]), "2": ("A", [82.0, 82, 85, 85]), "3": ("B", [90.0, 90, 93, 93]),
        "4": ("A", [81.0, 81, 82, 82]), "5": ("A", [84.0, 84, 84, 84]), "6": ("A", [70.0, 70, 71, 71]),
        "7": ("B", [91.0, 91, 92, 92]), "8": ("B", [94.0, 94, 94, 94]), "9": ("C", [80.0, 80, 81, 81]),
    }
    return pd.concat([quarters(nip, vals, kecamatan=kec) for nip, (kec, vals) in people.items()], ignore_index=True)


def test_before_after_frame_matches_within_kecamatan_and_baseline():
    events = pd.DataFrame({"nip": ["1", "2", "3"], "start": [ts("2025-04-07")] * 3, "end": [ts("2025-05-30")] * 3,
                           "program": ["Latsar"] * 3})
    frame, info = before_after_frame(events, _workforce(), group_fields=("program",))
    # strata (Q1>Q3, kecamatan, baseline bin of 5): 1 and 2 in A|80 with 4 (81) only -- 5 (84) is in
    # A|80 too: bins are 80-84.99 -> {4, 5} serve {1, 2}, weights 2/2 = 1 each; 6 (70) is alone in A|70;
    # 3 (90) in B|90 with 7 (91), weight 1; 8 (94) in B|90 as well -> weights 1/2 each; 9 is in C
    comp = frame[frame["kelompok"] == "pembanding"].set_index("nip")
    assert sorted(comp.index) == ["4", "5", "7", "8"]
    assert comp["bobot_pembanding"].to_dict() == {"4": 1.0, "5": 1.0, "7": 0.5, "8": 0.5}
    part = frame[frame["kelompok"] == "peserta"].set_index("nip")
    # matched comparison change: A|80: (1·1 + 1·0) / 2 = 0.5; B|90: (0.5·1 + 0.5·0) / 1 = 0.5
    assert part["perubahan_pembanding"].to_dict() == {"1": 0.5, "2": 0.5, "3": 0.5}
    assert (part["kinerja_sesudah"] - part["kinerja_sebelum"]).to_dict() == {"1": 6.0, "2": 3.0, "3": 3.0}
    assert info["matching"]["on"] == "kecamatan" and info["matching"]["comparison_people_matched"] == 4
    assert info["join"]["ok"] == 3 and info["participants_left_out"] == 0
    assert (comp["program"] == "Latsar").all()  # the comparison rows carry the group's value


def test_unmatched_participants_are_left_out_and_counted():
    events = pd.DataFrame({"nip": ["1", "3"], "start": [ts("2025-04-07")] * 2, "end": [ts("2025-05-30")] * 2})
    rows = _workforce()
    rows = rows[~rows["nip"].isin(["7", "8"])]  # nobody left to compare with participant 3 (B|90)
    frame, info = before_after_frame(events, rows)
    assert frame.loc[frame["kelompok"] == "peserta", "nip"].tolist() == ["1"]
    assert info["participants_left_out"] == 1 and info["matching"]["participants_matched"] == 1


def test_without_any_comparison_the_participants_stay_for_a_before_after():
    events = pd.DataFrame({"nip": ["1"], "start": [ts("2025-04-07")], "end": [ts("2025-05-30")]})
    rows = _workforce()
    frame, info = before_after_frame(events, rows[rows["nip"] == "1"])
    assert frame["kelompok"].tolist() == ["peserta"] and info["participants_left_out"] == 0
    assert info["matching"]["comparison_matched"] == 0


def test_match_on_is_checked():
    with pytest.raises(ValueError, match="match_on must be one of"):
        before_after_frame(event(), _workforce(), match_on="opd")


def test_a_non_participant_in_two_period_pairs_counts_in_both():
    from analysis.evidence.engine import evaluate

    # participant 1 ends in May (after = Q3), participant 2 in August (after = Q4); non-participant 4 is
    # appraised in every quarter, so it serves both pairs: two observations
    rows = pd.concat([quarters("1", [80.0, 80, 86, 86]), quarters("2", [80.0, 80, 80, 84]),
                      quarters("4", [81.0, 81, 82, 83])], ignore_index=True).assign(kecamatan="A")
    events = pd.DataFrame({"nip": ["1", "2"], "start": [ts("2025-04-07"), ts("2025-04-07")],
                           "end": [ts("2025-05-30"), ts("2025-08-29")]})
    frame, _ = before_after_frame(events, rows)
    comp = frame[frame["kelompok"] == "pembanding"]
    assert sorted(comp["nip"]) == ["4#2025-Q1>2025-Q3", "4#2025-Q1>2025-Q4"]
    out = evaluate(frame, "performance")["overall"]
    # by hand: participants change 6 and 4 (mean 5); the comparison 1 (Q1>Q3) and 2 (Q1>Q4), weight 1 each
    assert out["n_comparison"] == 2 and out["did"] == pytest.approx(5 - 1.5)
