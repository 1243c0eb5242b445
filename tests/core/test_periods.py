"""Periods (analysis/core/periods.py): labels, first and last days, the period filter and its
choices. Every expected value below is written out by hand from the calendar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.periods import (
    DEFAULT_PERIOD,
    PERIODS,
    check_period,
    in_period,
    period_bounds,
    period_labels,
    period_options,
    period_start,
    period_in_text,
    read_period,
    read_periods,
)

# Dates on both sides of every month, quarter and semester boundary of the year, and a missing one.
EDGES = ["2024-12-31", "2025-01-01", "2025-03-31", "2025-04-01", "2025-06-30", "2025-07-01",
         "2025-09-30", "2025-10-01", None]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.mark.parametrize("period, expected", [
    ("month", ["2024-12", "2025-01", "2025-03", "2025-04", "2025-06", "2025-07", "2025-09", "2025-10"]),
    ("quarter", ["2024-Q4", "2025-Q1", "2025-Q1", "2025-Q2", "2025-Q2", "2025-Q3", "2025-Q3", "2025-Q4"]),
    ("semester", ["2024-S2", "2025-S1", "2025-S1", "2025-S1", "2025-S1", "2025-S2", "2025-S2", "2025-S2"]),
    ("year", ["2024", "2025", "2025", "2025", "2025", "2025", "2025", "2025"]),
])
def test_labels_on_both_sides_of_every_boundary(period, expected):
    labels = period_labels(pd.Series(pd.to_datetime(EDGES)), period)
    assert labels.iloc[:-1].tolist() == expected
    assert pd.isna(labels.iloc[-1])  # the missing date has no period


def test_labels_keep_the_index_and_read_any_date_resolution():
    dates = pd.Series(pd.to_datetime(["2025-06-30 23:59:59", "2025-07-01 00:00:00"]).as_unit("s"), index=[10, 20])
    labels = period_labels(dates, "semester")
    assert labels.index.tolist() == [10, 20]
    assert labels.tolist() == ["2025-S1", "2025-S2"]


def test_labels_of_text_dates_and_unreadable_dates():
    labels = period_labels(pd.Series(["2025-02-14", "bukan tanggal", None]), "quarter")
    assert labels.iloc[0] == "2025-Q1"
    assert labels.iloc[1:].isna().all()


def test_labels_of_no_dates_at_all():
    assert period_labels(pd.Series([], dtype="datetime64[ns]"), "month").tolist() == []
    assert period_labels(pd.Series([pd.NaT, pd.NaT]), "year").isna().all()


def test_labels_sort_chronologically_as_text():
    dates = pd.Series(pd.to_datetime(["2025-11-01", "2024-02-01", "2025-02-01"]))
    assert sorted(period_labels(dates, "month")) == ["2024-02", "2025-02", "2025-11"]


def test_the_default_period_is_the_quarter():
    assert DEFAULT_PERIOD == "quarter"
    assert period_labels(pd.Series(pd.to_datetime(["2025-05-05"]))).tolist() == ["2025-Q2"]


def test_check_period():
    assert PERIODS == ("month", "quarter", "semester", "year")
    assert [check_period(p) for p in PERIODS] == list(PERIODS)
    with pytest.raises(ValueError, match="period must be one of month, quarter, semester, year, got 'week'"):
        check_period("week")
    with pytest.raises(ValueError, match="period must be one of"):
        period_labels(pd.Series(pd.to_datetime(["2025-01-01"])), "week")


@pytest.mark.parametrize("label, first, last", [
    ("2025-S1", "2025-01-01", "2025-06-30"),
    ("2025-S2", "2025-07-01", "2025-12-31"),
    ("2025S2", "2025-07-01", "2025-12-31"),
    ("2025-Q1", "2025-01-01", "2025-03-31"),
    ("2025Q2", "2025-04-01", "2025-06-30"),
    ("2025-q4", "2025-10-01", "2025-12-31"),  # lower case
    (" 2025-Q3 ", "2025-07-01", "2025-09-30"),  # surrounding spaces
    ("2024-02", "2024-02-01", "2024-02-29"),  # leap year
    ("2025-2", "2025-02-01", "2025-02-28"),
    ("2025-12", "2025-12-01", "2025-12-31"),
    ("2025", "2025-01-01", "2025-12-31"),
])
def test_bounds(label, first, last):
    assert period_bounds(label) == (ts(first), ts(last))


@pytest.mark.parametrize("label", ["2025-S3", "2025-Q5", "2025-13", "2025-00", "Q1", "", "triwulan 1"])
def test_bounds_refuse_what_is_not_a_period(label):
    with pytest.raises(ValueError, match="label must look like 2025-03, 2025-Q1, 2025-S1 or 2025"):
        period_bounds(label)


def test_bounds_are_the_first_and_last_day_of_each_label():
    dates = pd.Series(pd.to_datetime(["2025-05-17"]))
    expected = {"month": ("2025-05-01", "2025-05-31"), "quarter": ("2025-04-01", "2025-06-30"),
                "semester": ("2025-01-01", "2025-06-30"), "year": ("2025-01-01", "2025-12-31")}
    for period, (first, last) in expected.items():
        assert period_bounds(period_labels(dates, period).iloc[0]) == (ts(first), ts(last))


def test_start_of_labels_periods_and_dates():
    got = period_start(pd.Series(["2025-03", "2025Q4", "2025-S1", pd.Period("2024-07", "M")]))
    assert list(got) == [ts(s) for s in ("2025-03-01", "2025-10-01", "2025-01-01", "2024-07-01")]
    with pytest.raises(ValueError, match="periode has a value that is not a period"):
        period_start(pd.Series(["kemarin"]))


def test_start_of_missing_labels_is_missing():
    got = period_start(pd.Series(["2025-S2", None, np.nan]))
    assert got.iloc[0] == ts("2025-07-01")
    assert got.iloc[1:].isna().all()


def test_start_of_datetimes_and_period_dtype():
    dates = pd.Series(pd.to_datetime(["2025-03-15", "2025-08-02"]))
    assert period_start(dates).tolist() == dates.tolist()  # dates are their own start
    quarters = pd.Series(pd.PeriodIndex(["2025Q1", "2025Q3"], freq="Q"))
    assert period_start(quarters).tolist() == [ts("2025-01-01"), ts("2025-07-01")]


def test_start_names_the_column_in_its_error():
    with pytest.raises(ValueError, match="triwulan has a value"):
        period_start(pd.Series(["Q9"]), name="triwulan")


def test_in_period_includes_the_whole_last_day():
    dates = pd.Series(pd.to_datetime(["2024-12-31 23:00", "2025-01-01 00:00", "2025-03-31 23:59", "2025-04-01 00:00",
                                      None]))
    assert in_period(dates, "2025-Q1").tolist() == [False, True, True, False, False]
    assert in_period(dates, "2025-S1").tolist() == [False, True, True, True, False]
    assert in_period(dates, "2024").tolist() == [True, False, False, False, False]


def test_in_period_without_a_period_keeps_everything_even_missing_dates():
    dates = pd.Series(pd.to_datetime(["2025-01-01", None]))
    assert in_period(dates, None).tolist() == [True, True]
    assert in_period(dates, "").tolist() == [True, True]


def test_period_options_newest_first_years_then_quarters():
    dates = pd.Series(pd.to_datetime(["2024-11-02", "2025-02-01", "2025-02-20", "2025-07-01", None]))
    assert period_options(dates) == ["2025", "2024", "2025-Q3", "2025-Q1", "2024-Q4"]
    assert period_options(pd.Series([pd.NaT])) == []


# --------------------------------------------------------------------------- appraisal periods as written


@pytest.mark.parametrize("written, label, kind, first, last", [
    ("2025", "2025", "year", "2025-01-01", "2025-12-31"),
    ("Tahunan 2025", "2025", "year", "2025-01-01", "2025-12-31"),
    ("Periode Penilaian Tahun 2024", "2024", "year", "2024-01-01", "2024-12-31"),
    ("2025-S1", "2025-S1", "semester", "2025-01-01", "2025-06-30"),
    ("2025 S2", "2025-S2", "semester", "2025-07-01", "2025-12-31"),
    ("Semester I 2025", "2025-S1", "semester", "2025-01-01", "2025-06-30"),
    ("SEMESTER II TAHUN 2025", "2025-S2", "semester", "2025-07-01", "2025-12-31"),
    ("Semester 2 2025", "2025-S2", "semester", "2025-07-01", "2025-12-31"),
    ("S1-2025", "2025-S1", "semester", "2025-01-01", "2025-06-30"),
    ("Triwulan II 2025", "2025-Q2", "quarter", "2025-04-01", "2025-06-30"),
    ("triwulan iv tahun 2024", "2024-Q4", "quarter", "2024-10-01", "2024-12-31"),
    ("TW 3 2025", "2025-Q3", "quarter", "2025-07-01", "2025-09-30"),
    ("Kuartal 1 2025", "2025-Q1", "quarter", "2025-01-01", "2025-03-31"),
    ("2025-Q4", "2025-Q4", "quarter", "2025-10-01", "2025-12-31"),
    ("Q2 2025", "2025-Q2", "quarter", "2025-04-01", "2025-06-30"),
    ("2024-02", "2024-02", "month", "2024-02-01", "2024-02-29"),  # leap year
    ("02/2025", "2025-02", "month", "2025-02-01", "2025-02-28"),
    ("Juni 2025", "2025-06", "month", "2025-06-01", "2025-06-30"),
    ("Pebruari 2024", "2024-02", "month", "2024-02-01", "2024-02-29"),  # the old spelling
    ("Agt-2025", "2025-08", "month", "2025-08-01", "2025-08-31"),
    ("Bulan Nopember Tahun 2025", "2025-11", "month", "2025-11-01", "2025-11-30"),
    ("Periode Bulanan 6 Tahun 2026", "2026-06", "month", "2026-06-01", "2026-06-30"),  # e-Kinerja's title
    ("December 2025", "2025-12", "month", "2025-12-01", "2025-12-31"),
])
def test_read_period_spellings(written, label, kind, first, last):
    assert read_period(written) == (label, kind, ts(first), ts(last))


@pytest.mark.parametrize("value", [pd.Timestamp("2025-06-30"), pd.Timestamp("2025-06-30 17:45"),
                                   "2025-06-30", np.datetime64("2025-06-30")])
def test_read_period_of_an_end_date_has_no_first_day(value):
    label, kind, start, end = read_period(value)
    assert (label, kind, end) == ("2025-06-30", "end", ts("2025-06-30"))
    assert start is pd.NaT


def test_read_period_of_numbers_and_of_its_own_labels():
    assert read_period(2025)[0] == "2025" and read_period(2025.0)[0] == "2025"
    for written in ("Semester II 2025", "Triwulan I 2025", "Juni 2025", "2025", "2025-06-30"):
        label = read_period(written)[0]
        assert read_period(label)[0] == label  # a label reads as itself


@pytest.mark.parametrize("value", ["Triwulan V 2025", "Semester 3 2025", "2025-13", "Juni", "minggu lalu", "",
                                   "2025-02-30", "Periode", None])
def test_read_period_refuses_what_is_not_a_period(value):
    with pytest.raises(ValueError, match="value must name a period"):
        read_period(value)


def test_read_periods_vectorised_keeps_the_index_and_blanks_the_unreadable():
    out = read_periods(pd.Series(["Triwulan I 2025", None, "soon", "Triwulan I 2025"], index=[7, 8, 9, 10]))
    assert out.index.tolist() == [7, 8, 9, 10]
    assert out["label"].tolist()[0] == out["label"].tolist()[3] == "2025-Q1"
    assert out["label"].iloc[1:3].isna().all() and out["end"].iloc[1:3].isna().all()
    assert out["end"].iloc[0] == ts("2025-03-31")


@pytest.mark.parametrize("title, label", [
    ("Periode Bulanan 6 Tahun 2026", "2026-06"),
    ("REKAP PENILAIAN KINERJA PERIODE SEMESTER I TAHUN 2025 (DATA SINTETIS)", "2025-S1"),
    ("Periode: Triwulan III 2025", "2025-Q3"),
    ("Periode Tahunan 2025", "2025"),
    ("Rekapitulasi Tahun 2025", None),  # no "periode": a report's year is not an appraisal period
    ("Periode penilaian belum ditetapkan", None),
])
def test_period_in_a_title_line(title, label):
    assert period_in_text(title) == label
