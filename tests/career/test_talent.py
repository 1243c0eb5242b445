"""The talent box (analysis/career/talent.py): every cell of the 3 × 3 box table-tested against the
numbering written out here from the sources (docs/domain.md §8), the predikat → kinerja axis and the
potensi score bands, the counts per unit, and "no potensi" said as such."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.career.talent import (
    TALENT_BOX_CONFIDENCE,
    TALENT_BOX_SOURCE,
    TALENT_BOXES,
    box_counts,
    box_table,
    kinerja_axis,
    place,
    potensi_level,
    talent_box,
)

# KemenPANRB's talent-mapping slide (Asdep Manajemen Talenta), rows of kinerja from above expectation
# down, columns of potensial from low to high:   4 7 9 / 2 5 8 / 1 3 6
GRID = {"di_atas": (4, 7, 9), "sesuai": (2, 5, 8), "di_bawah": (1, 3, 6)}
CASES = [(k, p, boxes[j]) for k, boxes in GRID.items() for j, p in enumerate(("rendah", "menengah", "tinggi"))]


@pytest.mark.parametrize(("kinerja", "potensi", "box"), CASES)
def test_every_cell_of_the_box(kinerja, potensi, box):
    assert talent_box(pd.Series([kinerja]), pd.Series([potensi])).tolist() == [float(box)]
    entry = TALENT_BOXES[(kinerja, potensi)]
    assert entry["box"] == box
    # the regulation's descriptive wording: "Kinerja <…> ekspektasi dan potensial <…>"
    assert entry["meaning_id"].startswith("Kinerja ") and f"dan potensial {potensi}" in entry["meaning_id"]
    assert entry["action_id"] and entry["action_en"]


def test_the_table_has_nine_distinct_boxes_and_names_its_source():
    assert sorted(v["box"] for v in TALENT_BOXES.values()) == list(range(1, 10))
    assert "PermenPANRB 3/2020" in TALENT_BOX_SOURCE and "20/2025" in TALENT_BOX_SOURCE
    assert set(TALENT_BOX_CONFIDENCE) == {"axes", "numbering", "orientation", "actions"}
    assert TALENT_BOXES[("di_atas", "tinggi")]["meaning_id"] == "Kinerja di atas ekspektasi dan potensial tinggi"
    assert "suksesi" in TALENT_BOXES[("di_atas", "tinggi")]["action_id"]
    assert box_table()["box"].tolist() == [9, 8, 7, 6, 5, 4, 3, 2, 1]


@pytest.mark.parametrize(("predikat", "axis"), [
    ("Sangat Baik", "di_atas"), ("Baik", "sesuai"), ("Butuh Perbaikan", "di_bawah"),
    ("Kurang/Misconduct", "di_bawah"), ("Sangat Kurang", "di_bawah"), (None, None), ("Cukup", None),
])
def test_predikat_onto_the_kinerja_axis(predikat, axis):
    got = kinerja_axis(pd.Series([predikat])).iloc[0]
    assert (pd.isna(got) if axis is None else got == axis)


@pytest.mark.parametrize(("value", "level"), [
    ("tinggi", "tinggi"), ("menengah", "menengah"), ("rendah", "rendah"),
    ("100.0", "tinggi"), ("80.0", "tinggi"), ("79.9", "menengah"), ("60.0", "menengah"), ("59.9", "rendah"),
    ("0.0", "rendah"), ("101.0", None), (None, None), ("bagus", None),
])
def test_potensi_levels(value, level):
    got = potensi_level(pd.Series([value])).iloc[0]
    assert (pd.isna(got) if level is None else got == level)


def test_counts_per_box_per_unit():
    staff = pd.DataFrame({
        "nip": list("abcdef"), "unit_kerja": ["U1", "U1", "U1", "U2", "U2", "U2"],
        "predikat": ["Sangat Baik", "Sangat Baik", "Butuh Perbaikan", "Baik", None, "Baik"],
        "potensi": ["tinggi", "85", "rendah", "menengah", "tinggi", None]})
    counts = box_counts(place(staff))
    # a, b: box 9; c: box 1; d: box 5; e: potensi but no predikat; f: no potensi
    assert counts["available"] and counts["placed"] == 4
    assert counts["without_potensi"] == 1 and counts["without_kinerja"] == 1
    table = counts["table"].set_index("unit_kerja")
    assert table.loc["U1", ["box_1", "box_9", "total"]].tolist() == [1, 2, 3]
    assert table.loc["U2", ["box_5", "total"]].tolist() == [1, 1]


def test_without_potensi_the_box_says_so():
    counts = box_counts(place(pd.DataFrame({"nip": ["a"], "unit_kerja": ["U"], "predikat": ["Baik"]})))
    assert counts["available"] is False and counts["placed"] == 0 and counts["table"].empty
