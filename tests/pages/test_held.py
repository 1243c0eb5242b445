"""The rows held once per process (ui/held.py): columns read once on first use, which rows a
filter keeps worked out once per combination, at most two sources per kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ui import held as held_module
from ui.held import HeldRows, Holder

FULL = pd.DataFrame({
    "program": ["A", "B", "A", None],
    "kelompok": ["peserta", "peserta", "peserta", "pembanding"],
    "kecamatan": ["Medan Baru", "Medan Baru", "Medan Kota", "Medan Baru"],
    "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-05-01", "2025-08-01", None]),
    "nilai_pre": [60.0, 70.0, 80.0, 50.0],
})


def _held(asked: list):
    def load(columns):
        asked.append(columns)
        return FULL if columns is None else FULL[[c for c in columns if c in FULL]]

    return HeldRows(load, "tanggal_mulai")


def test_each_column_is_read_once_and_callers_get_their_own_frame():
    asked = []
    rows = _held(asked)
    first = rows.frame(["nilai_pre", "absent"])
    rows.frame(["nilai_pre"])
    rows.frame(["program", "nilai_pre"])
    assert asked == [["nilai_pre", "absent"], ["program"]]  # nothing read twice, an absent name not asked again
    first.loc[0, "nilai_pre"] = -1.0  # a caller's change stays in its copy
    assert rows.frame(["nilai_pre"])["nilai_pre"].tolist() == [60.0, 70.0, 80.0, 50.0]
    assert rows.frame(None).columns.tolist() == FULL.columns.tolist()


@pytest.mark.parametrize("filters, expected", [
    ((None, "A", None), [0, 2, 3]),            # program A, and the comparison row (no program)
    (("2025-Q2", None, None), [1, 3]),         # May; the comparison row without a date stays
    ((None, None, "Medan Kota"), [2]),
    (("2025", "B", "Medan Baru"), [1, 3]),
])
def test_select_keeps_the_rows_of_the_filters(filters, expected):
    rows = _held([])
    assert rows.select(*filters, ["nilai_pre"]).index.tolist() == expected
    assert rows.count(*filters) == len(expected)


def test_every_row_in_scope_is_the_held_frame_and_masks_are_bounded(monkeypatch):
    monkeypatch.setattr(held_module, "KEEP_MASKS", 2)
    rows = _held([])
    assert rows.mask(None, None, None) is None and rows.count(None, None, None) == 4
    kept = rows.mask(None, "A", None)
    assert not kept.flags.writeable
    assert rows.mask(None, "A", None) is kept  # the same combination is not worked out again
    rows.mask(None, "B", None)
    rows.mask(None, None, "Medan Kota")
    assert rows.mask(None, "A", None) is not kept  # the oldest of three went
    np.testing.assert_array_equal(rows.mask(None, "A", None), kept)


def test_a_filter_every_row_passes_takes_no_copy():
    rows = _held([])
    # 2025 holds every dated row, and the comparison row without a date stays: every row is in scope
    assert rows.mask("2025", None, None) is None and rows.count("2025", None, None) == 4
    held = rows.frame(["nilai_pre"])["nilai_pre"].to_numpy()
    assert np.shares_memory(rows.select("2025", None, None, ["nilai_pre"])["nilai_pre"].to_numpy(), held)
    assert not np.shares_memory(rows.select("2025-Q2", None, None, ["nilai_pre"])["nilai_pre"].to_numpy(), held)


def test_the_holder_keeps_two_sources_per_kind():
    holder = Holder()
    made = []

    def make():
        made.append(1)
        return _held([])

    first = holder.get("training", 1, make)
    assert holder.get("training", 1, make) is first and len(made) == 1
    holder.get("feedback", 1, make)
    holder.get("training", 2, make)
    holder.get("training", 3, make)
    assert holder.keys() == [("training", 2), ("training", 3), ("feedback", 1)]
    assert holder.nbytes() == 0  # nothing read yet
    holder.get("training", 3, make).frame(["nilai_pre"])
    assert holder.nbytes() >= 4 * 8  # at least the four float64 values now held
