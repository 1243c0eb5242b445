"""The participant / comparison split and the row filter (analysis/core/groups.py). Expected rows are
written out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.groups import (
    COMPARISON,
    PARTICIPANT,
    comparison_mask,
    participant_mask,
    participants,
    select_rows,
)


def test_the_two_words():
    assert (COMPARISON, PARTICIPANT) == ("pembanding", "peserta")


@pytest.mark.parametrize("kelompok, comparison", [
    ("pembanding", True),
    ("Pembanding", True),
    ("PEMBANDING", True),
    ("  pembanding  ", True),
    ("\tPembanding\n", True),
    ("peserta", False),
    ("Peserta", False),
    ("", False),  # an empty cell is a participant
    ("   ", False),
    (None, False),
    (np.nan, False),
    ("kelompok pembanding", False),  # only the intake turns other wordings into "pembanding"
])
def test_comparison_mask_reads_kelompok_in_any_case_and_spacing(kelompok, comparison):
    frame = pd.DataFrame({"kelompok": pd.Series([kelompok], dtype="object")})
    assert comparison_mask(frame).tolist() == [comparison]
    assert participant_mask(frame).tolist() == [not comparison]


def test_masks_of_a_str_column_with_repeats():
    kelompok = pd.Series(["peserta", "pembanding", None, "peserta", " PEMBANDING"], dtype="str")
    frame = pd.DataFrame({"kelompok": kelompok})
    assert comparison_mask(frame).tolist() == [False, True, False, False, True]
    assert participant_mask(frame).tolist() == [True, False, True, True, False]


def test_a_file_without_kelompok_is_all_participants():
    frame = pd.DataFrame({"nip": ["1", "2", "3"]})
    assert comparison_mask(frame).tolist() == [False, False, False]
    assert participant_mask(frame).tolist() == [True, True, True]
    assert participants(frame)["nip"].tolist() == ["1", "2", "3"]


def test_masks_of_an_empty_frame():
    assert comparison_mask(pd.DataFrame({"kelompok": pd.Series([], dtype="str")})).tolist() == []
    assert participant_mask(pd.DataFrame()).tolist() == []


def test_participants_keeps_the_index():
    frame = pd.DataFrame({"nip": ["a", "b", "c"], "kelompok": ["Pembanding", None, "peserta"]}, index=[7, 8, 9])
    assert participants(frame).index.tolist() == [8, 9]


@pytest.fixture
def rows() -> pd.DataFrame:
    return pd.DataFrame({
        "program": ["A", "B", None, "A", None],
        "kelompok": ["peserta", "peserta", "pembanding", " Pembanding", "pembanding"],
        "kecamatan": ["Medan Baru", "Medan Baru", "Medan Baru", "Medan Kota", "Medan Kota"],
        "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-05-01", "2025-02-10", "2025-08-01", None]),
    })


def test_no_filter_returns_the_rows_themselves(rows):
    assert select_rows(rows, "tanggal_mulai") is rows


def test_period_filter_keeps_undated_comparison_rows(rows):
    # row 4 is a comparison row without a date: it serves every period
    assert select_rows(rows, "tanggal_mulai", periode="2025-Q1").index.tolist() == [0, 2, 4]
    assert select_rows(rows, "tanggal_mulai", periode="2025-Q3").index.tolist() == [3, 4]
    assert select_rows(rows, "tanggal_mulai", periode="2025").index.tolist() == [0, 1, 2, 3, 4]
    assert select_rows(rows, "tanggal_mulai", periode="2024").index.tolist() == [4]


def test_an_undated_participant_row_is_in_no_period():
    df = pd.DataFrame({"kelompok": ["peserta", None], "tanggal_mulai": pd.to_datetime([None, None])})
    assert select_rows(df, "tanggal_mulai", periode="2025").index.tolist() == []


def test_program_filter_keeps_every_comparison_row(rows):
    assert select_rows(rows, program="A").index.tolist() == [0, 2, 3, 4]
    assert select_rows(rows, program="B").index.tolist() == [1, 2, 3, 4]


def test_kecamatan_filter_applies_to_comparison_rows_too(rows):
    assert select_rows(rows, kecamatan="Medan Kota").index.tolist() == [3, 4]


def test_filters_together(rows):
    got = select_rows(rows, "tanggal_mulai", periode="2025-Q1", program="A", kecamatan="Medan Baru")
    assert got.index.tolist() == [0, 2]


def test_a_period_without_a_date_column_filters_nothing(rows):
    assert select_rows(rows, None, periode="2025-Q1").index.tolist() == [0, 1, 2, 3, 4]
    assert select_rows(rows, "tanggal", periode="2025-Q1").index.tolist() == [0, 1, 2, 3, 4]


def test_program_filter_of_a_file_without_kelompok_keeps_that_program_only():
    df = pd.DataFrame({"program": ["A", "B", None]})
    assert select_rows(df, program="A").index.tolist() == [0]
