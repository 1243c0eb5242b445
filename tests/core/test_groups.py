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


# --------------------------------------------------------------------------- a ten-row training file

def _training() -> pd.DataFrame:
    """Six participants of programs A and B (Medan Baru, Medan Kota) and four comparison rows, one undated."""
    return pd.DataFrame({
        "nip": [f"p{i}" for i in range(6)] + [f"c{i}" for i in range(4)],
        "program": ["A", "A", "A", "B", "B", "B", None, None, None, None],
        "kelompok": ["peserta"] * 6 + ["pembanding", " Pembanding", "PEMBANDING ", "pembanding"],
        "kecamatan": ["Medan Baru", "Medan Kota"] * 5,
        "tanggal_mulai": pd.to_datetime(["2025-03-03"] * 9 + [None]),
    })


def test_select_rows_keeps_the_comparison_group_for_every_program():
    rows = _training()
    part = select_rows(rows, "tanggal_mulai", periode="2025-Q1", program="A")
    assert part["nip"].tolist() == ["p0", "p1", "p2", "c0", "c1", "c2", "c3"]  # by hand: A's three + all four


def test_select_rows_keeps_only_undated_comparison_rows_outside_the_period():
    q2 = select_rows(_training(), "tanggal_mulai", periode="2025-Q2")
    assert q2["nip"].tolist() == ["c3"]


def test_select_rows_by_kecamatan_and_without_filters():
    rows = _training()
    assert select_rows(rows, kecamatan="Medan Kota")["nip"].tolist() == ["p1", "p3", "p5", "c1", "c3"]
    assert select_rows(rows, "tanggal_mulai") is rows  # nothing to filter: the same frame


def test_participants_and_comparison_ignore_case_and_spaces():
    rows = _training()
    assert comparison_mask(rows).tolist() == [False] * 6 + [True] * 4
    assert participants(rows)["nip"].tolist() == ["p0", "p1", "p2", "p3", "p4", "p5"]
    assert participants(rows.drop(columns="kelompok")).equals(rows.drop(columns="kelompok"))
