"""The yearly JP right of every PNS: at least 20 JP of competency development a year
(PP 11/2017 as amended by PP 17/2020; PerLAN 10/2018), 1 JP = 45 minutes; the target is the
``EVALUASI_JP_TARGET`` setting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.periods import period_bounds
from analysis.intake.nips import nip_structure_mask


def jp_target_share(rows: pd.DataFrame, target: float, periode: str | None = None) -> dict:
    """Share of PNS whose JP in a calendar year reach ``target`` (PP 17/2020: 20 JP a year).

    Counts every recorded activity of the person in that year (all programs), over the years the
    period names (a quarter counts its whole year; None: every year in the data). A PNS is a row
    whose NIP has the layout of a PNS NIP (BKN; PP 11/2017): 18 digits = birth date, TMT CPNS year
    and month, sex (1/2), serial (:func:`analysis.intake.nips.nip_structure_mask`). A PPPK
    number is also 18 digits but carries no CPNS month (e.g. ``…2021 21 1 001``), so it is not
    counted; comparison rows without JP count as 0 JP. Only people in the data
    are counted: staff with no record at all are not visible here.

    The same as :func:`jp_share_of` of :func:`jp_target_years`, which a caller showing several
    periods of the same rows computes once.

    Returns
    -------
    dict
        ``pns`` (person-years), ``reached``, ``share`` (NaN when no PNS), ``years``.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["198503122010011003"] * 2 + ["199001012015022001", "199001012021211001"],
    ...     "jp": [12.0, 10.0, 8.0, 40.0], "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-09-01",
    ...     "2025-03-01", "2025-03-01"])})
    >>> r = jp_target_share(rows, 20)  # the last NIP is a PPPK number (no CPNS month): not a PNS
    >>> r["pns"], r["reached"], r["share"], r["years"]
    (2, 1, 0.5, [2025])
    """
    return jp_share_of(jp_target_years(rows, target), periode)


def jp_target_years(rows: pd.DataFrame, target: float) -> pd.DataFrame:
    """Per calendar year: the PNS in ``rows`` (person-years, as :func:`jp_target_share` counts them)
    and how many of them reached ``target`` JP that year.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``pns``, ``reached`` (int), one row per year with a PNS, oldest first.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["198503122010011003", "198503122010011003", "199001012015022001"],
    ...     "jp": [12.0, 10.0, 24.0], "tanggal_mulai": pd.to_datetime(["2024-05-01", "2025-02-01", "2025-03-01"])})
    >>> jp_target_years(rows, 20).to_dict("records")
    [{'year': 2024, 'pns': 1, 'reached': 0}, {'year': 2025, 'pns': 2, 'reached': 1}]
    """
    out = pd.DataFrame({"year": pd.Series(dtype="int64"), "pns": pd.Series(dtype="int64"),
                        "reached": pd.Series(dtype="int64")})
    if rows.empty or "nip" not in rows or "tanggal_mulai" not in rows:
        return out
    year = pd.to_datetime(rows["tanggal_mulai"], errors="coerce").dt.year.to_numpy(dtype=float, na_value=np.nan)
    person, pns = _people(rows["nip"])
    keep = pns & ~np.isnan(year)
    if not keep.any():
        return out
    jp = pd.to_numeric(rows["jp"], errors="coerce").to_numpy(dtype=float, na_value=np.nan) if "jp" in rows \
        else np.zeros(len(rows))
    years, year_code = np.unique(year[keep].astype(np.int64), return_inverse=True)
    groups, group = np.unique(person[keep] * len(years) + year_code, return_inverse=True)
    totals = np.bincount(group, weights=np.nan_to_num(jp[keep], nan=0.0))
    group_year = groups % len(years)
    return pd.DataFrame({"year": years.astype("int64"),
                         "pns": np.bincount(group_year, minlength=len(years)).astype("int64"),
                         "reached": np.bincount(group_year, weights=totals >= target,
                                                minlength=len(years)).astype("int64")})


def jp_share_of(years: pd.DataFrame, periode: str | None = None) -> dict:
    """:func:`jp_target_share` from its per-year counts (:func:`jp_target_years`): the year the
    period lies in (a quarter counts its whole year), or every year (None).

    Examples
    --------
    >>> years = pd.DataFrame({"year": [2024, 2025], "pns": [1, 2], "reached": [0, 1]})
    >>> jp_share_of(years), jp_share_of(years, "2025-Q3")["share"], jp_share_of(years, "2023")["pns"]
    ({'pns': 3, 'reached': 1, 'share': 0.3333333333333333, 'years': [2024, 2025]}, 0.5, 0)
    """
    if periode:
        years = years[years["year"] == period_bounds(periode)[0].year]
    pns, reached = int(years["pns"].sum()), int(years["reached"].sum())
    if not pns:
        return {"pns": 0, "reached": 0, "share": float("nan"), "years": []}
    return {"pns": pns, "reached": reached, "share": reached / pns, "years": [int(y) for y in years["year"]]}


#: Python's ``\s`` (what ``str.isspace`` calls white space) written for RE2, pyarrow's engine.
SPACES = r"[\t-\r\x{1c}-\x{1f}\x{85}\pZ]+"


def _people(nips: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row: a code of the person (NIPs equal once white space is removed share a code; -1 when
    missing) and whether the NIP has the PNS layout. Each distinct text is read once."""
    codes, texts = pd.factorize(nips.astype("str"))
    clean = pd.Series(pc.replace_substring_regex(pa.array(np.asarray(texts, dtype=object), type=pa.string()),
                                                 SPACES, ""), dtype="str")
    is_pns = nip_structure_mask(clean)
    same, _ = pd.factorize(clean)
    present = codes >= 0
    person = np.where(present, same[np.where(present, codes, 0)], -1)
    return person, present & is_pns[np.where(present, codes, 0)]
