"""The yearly JP right of every PNS: at least 20 JP of competency development a year
(PP 11/2017 as amended by PP 17/2020; PerLAN 10/2018), 1 JP = 45 minutes; the target is the
``EVALUASI_JP_TARGET`` setting."""

from __future__ import annotations

import pandas as pd

from analysis.core.periods import period_bounds
from analysis.intake.normalise import nip_structure_mask


def jp_target_share(rows: pd.DataFrame, target: float, periode: str | None = None) -> dict:
    """Share of PNS whose JP in a calendar year reach ``target`` (PP 17/2020: 20 JP a year).

    Counts every recorded activity of the person in that year (all programs), over the years the
    period names (a quarter counts its whole year; None: every year in the data). A PNS is a row
    whose NIP has the layout of a PNS NIP (BKN; PP 11/2017): 18 digits = birth date, TMT CPNS year
    and month, sex (1/2), serial (:func:`analysis.intake.normalise.nip_structure_mask`). A PPPK
    number is also 18 digits but carries no CPNS month (e.g. ``…2021 21 1 001``), so it is not
    counted; comparison rows without JP count as 0 JP. Only people in the data
    are counted: staff with no record at all are not visible here.

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
    empty = {"pns": 0, "reached": 0, "share": float("nan"), "years": []}
    if rows.empty or "nip" not in rows or "tanggal_mulai" not in rows:
        return empty
    nip = rows["nip"].astype("str").str.replace(r"\s+", "", regex=True)
    year = pd.to_datetime(rows["tanggal_mulai"], errors="coerce").dt.year
    if periode:
        year_wanted = period_bounds(periode)[0].year
        keep = year.eq(year_wanted).fillna(False)
    else:
        keep = year.notna()
    keep &= pd.Series(nip_structure_mask(nip), index=rows.index)
    if not keep.any():
        return empty
    jp = pd.to_numeric(rows.get("jp", pd.Series(0.0, index=rows.index)), errors="coerce").fillna(0.0)
    per = pd.DataFrame({"nip": nip[keep], "year": year[keep].astype(int), "jp": jp[keep]})
    totals = per.groupby(["nip", "year"], sort=False)["jp"].sum()
    reached = int((totals >= target).sum())
    return {"pns": int(len(totals)), "reached": reached, "share": reached / len(totals),
            "years": sorted(per["year"].unique().tolist())}
