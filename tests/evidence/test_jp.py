"""The yearly JP share (analysis/evidence/jp.py): PP 17/2020's 20 JP a year per PNS, counted by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.evidence.jp import jp_share_of, jp_target_share, jp_target_years

NIP = "198503122010011003"


@pytest.mark.parametrize("rows, expected", [
    (pd.DataFrame(columns=["nip", "jp", "tanggal_mulai"]), (0, 0)),
    (pd.DataFrame({"nip": [NIP], "jp": [20.0], "tanggal_mulai": pd.to_datetime(["2025-05-01"])}),
     (1, 1)),  # exactly the target counts
    (pd.DataFrame({"nip": [NIP], "jp": [19.5], "tanggal_mulai": pd.to_datetime(["2025-05-01"])}),
     (1, 0)),
    (pd.DataFrame({"nip": ["1985 0312 2010011003", NIP], "jp": [10.0, 10.0],
                   "tanggal_mulai": pd.to_datetime(["2025-01-01", "2025-12-01"])}), (1, 1)),  # same person
    (pd.DataFrame({"nip": [NIP] * 2, "jp": [15.0, 15.0],
                   "tanggal_mulai": pd.to_datetime(["2024-06-01", "2025-06-01"])}), (2, 0)),  # per year
    (pd.DataFrame({"nip": [NIP, "PPPK-77"], "jp": [np.nan, 30.0],
                   "tanggal_mulai": pd.to_datetime(["2025-06-01", "2025-06-01"])}), (1, 0)),  # NaN JP = 0; PPPK out
])
def test_jp_target_share(rows, expected):
    """Each case counted by hand: person-years of PNS, and those reaching 20 JP."""
    r = jp_target_share(rows, 20.0)
    assert (r["pns"], r["reached"]) == expected
    assert np.isnan(r["share"]) if r["pns"] == 0 else r["share"] == pytest.approx(expected[1] / expected[0])


@pytest.mark.parametrize("periode, reached, years", [
    ("2025-Q3", 0, [2025]),  # a quarter counts its whole year
    ("2025Q1", 0, [2025]),
    ("2025-S2", 0, [2025]),
    ("2024", 1, [2024]),
    (None, 1, [2024, 2025]),
])
def test_jp_target_share_follows_the_period_year(periode, reached, years):
    rows = pd.DataFrame({"nip": [NIP] * 2, "jp": [25.0, 5.0],
                         "tanggal_mulai": pd.to_datetime(["2024-06-01", "2025-02-01"])})
    r = jp_target_share(rows, 20, periode)
    assert (r["reached"], r["years"]) == (reached, years)


def test_an_eighteen_digit_pppk_number_is_not_counted_as_pns():
    # A PPPK employee number is 18 digits too, but digits 13-14 are not a CPNS month (BKN's PPPK
    # numbers carry "21" there) — so only the PNS NIP counts, whatever the PPPK person's JP.
    rows = pd.DataFrame({"nip": [NIP, "199001012021211001", "198503122010131003"], "jp": [25.0, 40.0, 30.0],
                         "tanggal_mulai": pd.to_datetime(["2025-06-01"] * 3)})
    r = jp_target_share(rows, 20.0)
    assert (r["pns"], r["reached"]) == (1, 1)


def test_every_kind_of_white_space_in_a_nip_is_ignored():
    # Python's str.isspace white space (tab, no-break space U+00A0, ideographic space U+3000, the
    # file separator U+001C) inside a NIP: the same person, so 12 + 10 JP = 22 ≥ 20 in 2025.
    rows = pd.DataFrame({"nip": ["1985\t0312 2010011003", "198503122010\u00a0011003", "19850312\u30002010011003",
                                 "\u001c198503122010011003"], "jp": [12.0, 10.0, 0.0, 0.0],
                         "tanggal_mulai": pd.to_datetime(["2025-01-01", "2025-05-01", "2025-07-01", "2025-09-01"])})
    r = jp_target_share(rows, 20.0)
    assert (r["pns"], r["reached"]) == (1, 1)


def test_jp_per_year_and_the_share_of_a_period_from_it():
    # by hand: A 2024 = 25 JP (reached), 2025 = 5; B 2025 = 12 + 8 = 20 (reached); C (PPPK number,
    # digits 13-14 = "21") not counted; D 2025 = no JP recorded (0)
    rows = pd.DataFrame({"nip": [NIP, NIP, "199001012015022001", "199001012015022001", "199001012021211001",
                                 "198001012005011002"],
                         "jp": [25.0, 5.0, 12.0, 8.0, 40.0, np.nan],
                         "tanggal_mulai": pd.to_datetime(["2024-06-01", "2025-02-01", "2025-03-01", "2025-09-01",
                                                          "2025-03-01", "2025-04-01"])})
    years = jp_target_years(rows, 20.0)
    assert years.to_dict("records") == [{"year": 2024, "pns": 1, "reached": 1}, {"year": 2025, "pns": 3, "reached": 1}]
    assert jp_share_of(years, "2025-Q1") == {"pns": 3, "reached": 1, "share": 1 / 3, "years": [2025]}
    assert jp_share_of(years) == {"pns": 4, "reached": 2, "share": 0.5, "years": [2024, 2025]}
