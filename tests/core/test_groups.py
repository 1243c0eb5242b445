"""The participant/comparison split and the row filter every page uses (``analysis.core.groups``)."""

from __future__ import annotations

import pandas as pd

from analysis.core.groups import comparison_mask, participants, select_rows


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
