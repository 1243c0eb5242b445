"""The yearly JP share (analysis/evidence/jp.py): PP 17/2020's 20 JP a year per PNS, counted by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.evidence.jp import jp_target_share

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
