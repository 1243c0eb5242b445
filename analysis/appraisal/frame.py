"""The person-level before/after table the evidence engine reads, built from the appraisal join.

One row per participant event whose join succeeded (``kelompok = peserta``) and one per matched
non-participant (``kelompok = pembanding``), with the appraisal before and after in the engine's
performance columns (``kinerja_sebelum`` → ``kinerja_sesudah``) and the matching weight in
``bobot_pembanding`` (``analysis.evidence.groups.WEIGHT``). A non-participant is everyone in the
appraisal data who is not among the events' people (nor in ``exclude``), measured in the same two
periods as the participants of their stratum.

Matching (coarsened exact, :mod:`analysis.appraisal.matching`) runs separately within each group of
``group_fields`` (e.g. per program, so that each program's comparison group has that program's
participants' strata); the comparison rows of a group carry the group's values, so the engine
matches them to it. A participant in a stratum without any non-participant is left out of the
estimate and counted; a group without any matched non-participant keeps all its participants (the
engine then reports before/after only). A non-participant compared in two period pairs is two
observations; their ``nip`` then carries the pair (``…#2025-Q1>2025-Q3``), so that the engine, which
keeps one row per person, keeps both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.join import join_periods, join_summary
from analysis.appraisal.matching import NILAI_BIN, cem_weights, coarsen_baseline
from analysis.appraisal.table import NILAI, appraisal_table

#: Where participants and non-participants are matched: ``auto`` takes the kecamatan when the
#: appraisal data have it, else the unit type, else the baseline only.
MATCH_ON = ("auto", "kecamatan", "unit_type", "none")
#: Columns the engine reads (besides those the events carry).
BEFORE, AFTER = "kinerja_sebelum", "kinerja_sesudah"
COMPARISON_CHANGE = "perubahan_pembanding"


def _location(table: pd.DataFrame, match_on: str) -> str | None:
    if match_on not in MATCH_ON:
        raise ValueError(f"match_on must be one of {', '.join(MATCH_ON)}, got {match_on!r}")
    if match_on == "auto":
        for col in ("kecamatan", "unit_type"):
            if table[col].notna().any():
                return col
        return None
    return None if match_on == "none" else match_on


def _participants(events: pd.DataFrame, joined: pd.DataFrame, table: pd.DataFrame, scale: str,
                  location: str | None) -> pd.DataFrame:
    """Joined events with their values, period pair, location (from the appraisal) and baseline level."""
    ok = joined["status"].eq("ok").to_numpy()
    part = events.loc[ok].copy()
    part["nip"] = part["nip"].astype("str")
    part[BEFORE] = joined.loc[ok, "before_value"].to_numpy(dtype=float)
    part[AFTER] = joined.loc[ok, "after_value"].to_numpy(dtype=float)
    part["periode_sebelum"] = joined.loc[ok, "before_label"].astype("str").to_numpy()
    part["periode_sesudah"] = joined.loc[ok, "after_label"].astype("str").to_numpy()
    at_before = table.set_index(["nip", "label"])
    keys = list(zip(part["nip"], part["periode_sebelum"]))
    if location:
        part["_loc"] = at_before[location].reindex(keys).astype("str").to_numpy()
    else:
        part["_loc"] = "all"
    part["_base"] = coarsen_baseline(part[BEFORE], scale).to_numpy()
    part["_pair"] = part["periode_sebelum"] + ">" + part["periode_sesudah"]
    part["treated"] = True
    return part


def _candidates(table: pd.DataFrame, pairs: list[tuple[str, str]], people: set, scale: str,
                location: str | None) -> pd.DataFrame:
    """Every non-participant appraised in both periods of a pair, once per pair."""
    others = table.loc[~table["nip"].isin(people)]
    wide = others.pivot(index="nip", columns="label", values="value")
    info = others.set_index(["nip", "label"])
    parts = []
    for before, after in pairs:
        if before not in wide or after not in wide:
            continue
        both = wide[[before, after]].dropna()
        if both.empty:
            continue
        nips = both.index.astype("str")
        keys = list(zip(nips, [before] * len(nips)))
        rows = pd.DataFrame({
            "nip": nips, BEFORE: both[before].to_numpy(dtype=float), AFTER: both[after].to_numpy(dtype=float),
            "periode_sebelum": before, "periode_sesudah": after,
            "nama": info["nama"].reindex(keys).to_numpy(),
            "kecamatan": info["kecamatan"].reindex(keys).to_numpy(),
            "unit_kerja": info["unit_kerja"].reindex(keys).to_numpy(),
        })
        rows["_loc"] = info[location].reindex(keys).astype("str").to_numpy() if location else "all"
        parts.append(rows)
    if not parts:
        return pd.DataFrame(columns=["nip", BEFORE, AFTER, "periode_sebelum", "periode_sesudah", "nama", "kecamatan",
                                     "unit_kerja", "_loc", "_base", "_pair", "treated"])
    out = pd.concat(parts, ignore_index=True)
    out["_base"] = coarsen_baseline(out[BEFORE], scale).to_numpy()
    out["_pair"] = out["periode_sebelum"] + ">" + out["periode_sesudah"]
    out["treated"] = False
    return out


def _match_group(part: pd.DataFrame, cands: pd.DataFrame, values: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Coarsened exact matching of one group's participants; its matched comparison rows carry the
    group's values. Without any match the group's participants are all kept (before/after)."""
    pool = cands.loc[cands["_pair"].isin(set(part["_pair"]))]
    people = pd.concat([part[["_pair", "_loc", "_base", "treated"]], pool[["_pair", "_loc", "_base", "treated"]]],
                       ignore_index=True)
    weighted, info = cem_weights(people, ["_pair", "_loc", "_base"])
    n = len(part)
    t_w, c_w = weighted.iloc[:n], weighted.iloc[n:]
    comp = pool.loc[c_w["matched"].to_numpy()].copy()
    comp["bobot_pembanding"] = c_w.loc[c_w["matched"], "weight"].to_numpy()
    comp["stratum"] = c_w.loc[c_w["matched"], "stratum"].to_numpy()
    for field, value in values.items():
        comp[field] = value
    kept = part.copy()
    kept["stratum"] = t_w["stratum"].to_numpy()
    if info["comparison_matched"]:
        kept = kept.loc[t_w["matched"].to_numpy()]
    return kept, comp, info


def _comparison_change(kept: pd.DataFrame, comp: pd.DataFrame, group_fields: list[str]) -> np.ndarray:
    """Each participant's matched comparison change: the weighted mean change of the non-participants
    in the same group and stratum (NaN without any)."""
    if comp.empty:
        return np.full(len(kept), np.nan)
    change = comp[AFTER] - comp[BEFORE]
    keys = [*group_fields, "stratum"]
    sums = (comp.assign(_wc=change * comp["bobot_pembanding"]).groupby(keys, dropna=False)[["_wc", "bobot_pembanding"]]
            .sum())
    mean = (sums["_wc"] / sums["bobot_pembanding"])
    return mean.reindex(pd.MultiIndex.from_frame(kept[keys]) if len(keys) > 1 else kept[keys[0]]).to_numpy(dtype=float)


def before_after_frame(events: pd.DataFrame, appraisals: pd.DataFrame, *, lag_months: int = 0,
                       group_fields=(), match_on: str = "auto", period_kind: str | None = None,
                       exclude=()) -> tuple[pd.DataFrame, dict]:
    """Participants and their matched comparison group, before and after, for the evidence engine.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per participant event: ``nip``, ``start``, ``end`` and any columns to carry along
        (``program``, ``kecamatan``, ``tanggal_mulai``, ``jumlah_sesi`` …).
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows.
    lag_months : int
        Months after the end before the *after* period may start.
    group_fields : sequence of str
        Event columns to match within (e.g. ``("program",)``); the comparison rows copy their values.
    match_on : {"auto", "kecamatan", "unit_type", "none"}
        Where a non-participant must work to match (with the period pair and the coarsened baseline).
    period_kind : str, optional
        The kind of appraisal period to use (:func:`analysis.appraisal.table.appraisal_table`).
    exclude : iterable of str
        NIPs that may not serve as comparison (e.g. people in another program).

    Returns
    -------
    (pandas.DataFrame, dict)
        The frame: the events' columns, ``nip``, ``kelompok``, ``kinerja_sebelum``,
        ``kinerja_sesudah``, ``periode_sebelum``, ``periode_sesudah``, ``bobot_pembanding`` (NaN for
        participants), ``stratum`` and ``perubahan_pembanding`` (the matched comparison's change in
        the participant's stratum). The dict: ``lag_months``, ``period_kind``, ``scale``, ``table``
        (the appraisal table's counts), ``join`` (events per join status), ``matching`` (``on``,
        ``baseline``, counts of participants and comparison people matched), and
        ``participants_left_out`` (joined but unmatched).

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "1", "2", "2", "3", "3"], "periode": ["2025-Q1", "2025-Q3"] * 3,
    ...                      "kecamatan": ["Medan Baru"] * 6, "nilai": [80.0, 86, 81, 82, 84, 84]})
    >>> events = pd.DataFrame({"nip": ["1"], "start": pd.to_datetime(["2025-04-07"]),
    ...                        "end": pd.to_datetime(["2025-05-09"]), "program": ["Latsar"]})
    >>> frame, info = before_after_frame(events, rows)
    >>> frame[["nip", "kelompok", "kinerja_sebelum", "kinerja_sesudah", "bobot_pembanding"]].values.tolist()
    [['1', 'peserta', 80.0, 86.0, nan], ['2', 'pembanding', 81.0, 82.0, 0.5], ['3', 'pembanding', 84.0, 84.0, 0.5]]
    >>> info["scale"], info["matching"]["participants_matched"], float(frame["perubahan_pembanding"].iloc[0])
    ('nilai', 1, 0.5)
    """
    table, tinfo = appraisal_table(appraisals, period_kind)
    joined = join_periods(events, table, lag_months)
    location = _location(table, match_on)
    part = _participants(events, joined, table, tinfo["scale"], location)
    people = set(events["nip"].astype("str")) | {str(x) for x in exclude}
    pairs = sorted(set(zip(part["periode_sebelum"], part["periode_sesudah"])))
    cands = _candidates(table, pairs, people, tinfo["scale"], location)
    group_fields = [f for f in group_fields if f in part]
    kept_parts, comp_parts = [], []
    totals = {"participants": 0, "participants_matched": 0, "comparison_matched": 0, "strata": 0, "strata_matched": 0}
    grouped = part.groupby(group_fields, dropna=False, sort=True) if group_fields else [((), part)]
    for key, sub in grouped:
        key = key if isinstance(key, tuple) else (key,)
        kept, comp, info = _match_group(sub, cands, dict(zip(group_fields, key)))
        kept_parts.append(kept)
        comp_parts.append(comp)
        for k in totals:
            totals[k] += info[k]
    kept = pd.concat(kept_parts, ignore_index=True) if kept_parts else part.assign(stratum=pd.NA)
    comp = pd.concat(comp_parts, ignore_index=True) if comp_parts else cands.iloc[:0]
    kept[COMPARISON_CHANGE] = _comparison_change(kept, comp, group_fields)
    frame = _assemble(kept, comp, events)
    info = {
        "lag_months": int(lag_months), "period_kind": tinfo["period_kind"], "scale": tinfo["scale"],
        "table": {k: tinfo[k] for k in ("rows", "rows_other_kind", "rows_unreadable", "rows_repeated", "people")},
        "join": join_summary(joined),
        "matching": {"on": location or "none",
                     "baseline": f"nilai in bins of {NILAI_BIN:g}" if tinfo["scale"] == NILAI else "predikat rank, exact",
                     "comparison_pool": int(cands["nip"].nunique()) if len(cands) else 0,
                     "comparison_people_matched": int(comp["nip"].nunique()) if len(comp) else 0, **totals},
        "participants_left_out": int(len(part) - len(kept)),
    }
    return frame, info


def _assemble(kept: pd.DataFrame, comp: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Participants then comparison rows, in the events' columns plus the engine's."""
    kept = kept.assign(kelompok="peserta", bobot_pembanding=np.nan)
    comp = comp.assign(kelompok="pembanding")
    twice = comp["nip"].duplicated(keep=False).to_numpy()
    if twice.any():  # one person compared in two period pairs: two observations, which the engine keeps
        comp.loc[twice, "nip"] = (comp.loc[twice, "nip"].astype(str) + "#" + comp.loc[twice, "periode_sebelum"]
                                  + ">" + comp.loc[twice, "periode_sesudah"])
    columns = list(dict.fromkeys([*events.columns, "nip", "nama", "kecamatan", "unit_kerja", "kelompok", BEFORE, AFTER,
                                  "periode_sebelum", "periode_sesudah", "bobot_pembanding", "stratum",
                                  COMPARISON_CHANGE]))
    frame = pd.concat([kept.reindex(columns=columns), comp.reindex(columns=columns)], ignore_index=True)
    for col in ("nip", "kelompok", "periode_sebelum", "periode_sesudah", "stratum"):
        frame[col] = frame[col].astype("str")
    for col in ("nama", "kecamatan", "unit_kerja"):
        if col in frame and not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype("str")
    return frame.drop(columns=[c for c in ("start", "end") if c in frame and c not in ("tanggal_mulai",)])
