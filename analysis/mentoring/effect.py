"""The effect of mentoring on the mentees' appraisals, its dose, and each mentor's share.

- **Effect**: each mentee's appraisal in the period before the mentoring and the first after it
  (:mod:`analysis.appraisal.join`), against non-mentees matched on kecamatan (or unit type) and
  baseline appraisal (:mod:`analysis.appraisal.matching`), through the evidence engine's difference
  in differences (standard errors clustered by kecamatan, ``few_clusters`` below 20 clusters),
  overall and per kecamatan. Mentors do not serve as comparison.
- **Dose**: each mentee's change beyond their matched comparison's change in the same stratum,
  against ``jumlah_sesi``: the slope with a CI clustered by kecamatan, and the mean for at least
  the median number of sessions against fewer.
- **Mentors**: the mean of a mentor's mentees' changes beyond the comparison, shrunk toward the
  overall mean by empirical Bayes (:mod:`analysis.stats.shrinkage`), so a mentor with one lucky
  mentee is not ranked first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.frame import AFTER, BEFORE, COMPARISON_CHANGE, before_after_frame
from analysis.evidence.engine import DID, evaluate
from analysis.stats.did import MIN_CLUSTERS
from analysis.stats.shrinkage import shrink_groups
from analysis.stats.slope import dose_slope

#: The fields of one effect estimate, as ``python -m analysis mentoring --json`` prints them.
EFFECT_FIELDS = ("mentees", "comparison", "design", "scale", "estimate", "se", "df", "ci_low", "ci_high",
                 "p_value", "flags")


def mentee_events(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per mentee: the first start and last end of their pairs (no end while one pair is
    ongoing), the pair's kecamatan, sessions summed, and their mentors.

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentor_nip": ["m1", "m2", "m1"], "mentee_nip": ["a", "a", "b"],
    ...     "kecamatan": ["Medan Baru"] * 3, "jumlah_sesi": [4.0, 2.0, 6.0],
    ...     "tanggal_mulai": pd.to_datetime(["2025-06-02", "2025-07-01", "2025-06-02"]),
    ...     "tanggal_selesai": pd.to_datetime(["2025-08-29", "2025-09-30", None])})
    >>> ev = mentee_events(pairs)
    >>> ev[["nip", "jumlah_sesi", "mentors"]].values.tolist()
    [['a', 6.0, ['m1', 'm2']], ['b', 6.0, ['m1']]]
    >>> ev["end"].isna().tolist()
    [False, True]
    """
    work = pairs.assign(_open=pairs["tanggal_selesai"].isna())
    grouped = work.groupby("mentee_nip", sort=True)
    out = pd.DataFrame({
        "nip": grouped.size().index.astype("str"),
        "start": grouped["tanggal_mulai"].min().to_numpy(),
        "end": grouped["tanggal_selesai"].max().where(~grouped["_open"].any()).to_numpy(),
        "kecamatan": grouped["kecamatan"].first().astype("str").to_numpy(),
        "jumlah_sesi": grouped["jumlah_sesi"].sum(min_count=1).to_numpy(dtype=float),
        "mentors": grouped["mentor_nip"].agg(lambda s: sorted(set(s))).to_numpy(),
    })
    return out


def mentoring_frame(pairs: pd.DataFrame, appraisals: pd.DataFrame, lag_months: int = 0,
                    match_on: str = "auto") -> tuple[pd.DataFrame, dict]:
    """Mentees and matched non-mentees before and after (the evidence engine's input).

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["a", "a", "n", "n"], "periode": ["2025-Q1", "2025-Q4"] * 2,
    ...                      "kecamatan": ["Medan Baru"] * 4, "nilai": [80.0, 86, 81, 82]})
    >>> pairs = pd.DataFrame({"mentor_nip": ["m"], "mentee_nip": ["a"], "kecamatan": ["Medan Baru"],
    ...     "jumlah_sesi": [6.0], "tanggal_mulai": pd.to_datetime(["2025-06-02"]),
    ...     "tanggal_selesai": pd.to_datetime(["2025-08-29"])})
    >>> frame, info = mentoring_frame(pairs, rows)
    >>> frame[["nip", "kelompok", "kinerja_sebelum", "kinerja_sesudah"]].values.tolist()
    [['a', 'peserta', 80.0, 86.0], ['n', 'pembanding', 81.0, 82.0]]
    """
    events = mentee_events(pairs)
    mentors = set(pairs["mentor_nip"].astype("str"))
    return before_after_frame(events, appraisals, lag_months=lag_months, match_on=match_on, exclude=mentors)


def _record(rec: dict, scale: str, extra_flags: list[str]) -> dict:
    """One group of the engine's ``evaluate`` as the fields of :data:`EFFECT_FIELDS`."""
    did = rec.get("design") == DID
    n = rec.get("n") or 0
    if did:
        g = rec.get("did_n_clusters")
        estimate, se, df = rec.get("did"), rec.get("did_se"), (g - 1 if g else None)
        low, high, p = rec.get("did_ci_low"), rec.get("did_ci_high"), rec.get("did_p_value")
    else:
        sd = rec.get("sd_delta")
        estimate, df = rec.get("mean_delta"), (n - 1 if n > 1 else None)
        se = sd / np.sqrt(n) if sd is not None and n > 1 else None
        low, high, p = rec.get("ci_low"), rec.get("ci_high"), rec.get("t_p_value")
    return {"mentees": int(n), "comparison": int(rec.get("n_comparison") or 0), "design": rec.get("design"),
            "scale": scale, "estimate": estimate, "se": se, "df": df, "ci_low": low, "ci_high": high,
            "p_value": p, "flags": list(rec.get("flags") or []) + extra_flags}


def _extra_flags(info: dict) -> list[str]:
    flags = []
    if info["participants_left_out"]:
        flags.append("unmatched_participants")
    if sum(v for k, v in info["join"].items() if k != "ok"):
        flags.append("missing_periods")
    return flags


def effects(frame: pd.DataFrame, info: dict, min_clusters: int = MIN_CLUSTERS) -> tuple[dict, list[dict]]:
    """The effect overall and per kecamatan, in the fields of :data:`EFFECT_FIELDS`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n = 40
    >>> frame = pd.DataFrame({"nip": [str(i) for i in range(2 * n)], "kecamatan": ["A", "B"] * n,
    ...     "kelompok": ["peserta"] * n + ["pembanding"] * n,
    ...     "kinerja_sebelum": rng.normal(80, 3, 2 * n).round(), "bobot_pembanding": [np.nan] * n + [1.0] * n})
    >>> frame["kinerja_sesudah"] = frame["kinerja_sebelum"] + np.r_[np.full(n, 3.0), np.full(n, 1.0)]
    >>> info = {"scale": "nilai", "participants_left_out": 0, "join": {"ok": n}}
    >>> overall, per = effects(frame, info)
    >>> overall["design"], round(overall["estimate"], 6), [r["kecamatan"] for r in per]
    ('difference_in_differences', 2.0, ['A', 'B'])
    """
    extra = _extra_flags(info)
    if not (frame["kelompok"] == "peserta").any():
        empty = {k: None for k in EFFECT_FIELDS}
        empty.update(mentees=0, comparison=0, scale=info["scale"], flags=["no_pairs", *extra])
        return empty, []
    result = evaluate(frame, "performance", by="kecamatan", min_clusters=min_clusters)
    overall = _record(result["overall"], info["scale"], extra)
    per = [{"kecamatan": g["kecamatan"], **_record(g, info["scale"], [])} for g in result["groups"]
           if g.get("kecamatan") is not None]
    return overall, per


def adjusted_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Each mentee's change beyond their matched comparison's change (the raw change where no
    comparison was matched at all), with their sessions, kecamatan and mentors.

    Examples
    --------
    >>> f = pd.DataFrame({"nip": ["a", "n"], "kelompok": ["peserta", "pembanding"], "kecamatan": ["A", "A"],
    ...     "kinerja_sebelum": [3.0, 3.0], "kinerja_sesudah": [5.0, 4.0], "perubahan_pembanding": [1.0, np.nan],
    ...     "jumlah_sesi": [6.0, np.nan], "mentors": [["m"], None]})
    >>> adjusted_changes(f)[["nip", "change"]].values.tolist()
    [['a', 1.0]]
    """
    part = frame[frame["kelompok"] == "peserta"]
    raw = part[AFTER] - part[BEFORE]
    has_comparison = (frame["kelompok"] == "pembanding").any()
    change = raw - part[COMPARISON_CHANGE] if has_comparison else raw
    out = pd.DataFrame({"nip": part["nip"].to_numpy(), "kecamatan": part["kecamatan"].to_numpy(),
                        "jumlah_sesi": part.get("jumlah_sesi", pd.Series(np.nan, index=part.index)).to_numpy(),
                        "mentors": part.get("mentors", pd.Series([[]] * len(part), index=part.index)).to_numpy(),
                        "change": change.to_numpy(dtype=float)})
    out.attrs["adjusted"] = bool(has_comparison)
    return out[np.isfinite(out["change"].to_numpy())].reset_index(drop=True)


def dose(changes: pd.DataFrame) -> dict:
    """Does the change grow with the sessions? The slope per session (CI clustered by kecamatan),
    and the mean change for at least the median number of sessions against fewer.

    Examples
    --------
    >>> ch = pd.DataFrame({"jumlah_sesi": [4, 6, 8, 10, 4, 6, 8, 10.0], "change": [0, 0, 1, 1, 0, 1, 1, 2.0],
    ...                    "kecamatan": ["A"] * 4 + ["B"] * 4})
    >>> d = dose(ch)
    >>> d["slope"], d["threshold"], d["at_least"], d["fewer"]
    (0.25, 7.0, {'n': 4, 'mean_change': 1.25}, {'n': 4, 'mean_change': 0.25})
    """
    x = pd.to_numeric(changes["jumlah_sesi"], errors="coerce")
    r = dose_slope(x, changes["change"], cluster=changes["kecamatan"])
    k = float(x.median()) if x.notna().any() else None
    out = {"measure": "change beyond the matched comparison" if changes.attrs.get("adjusted", True)
           else "change (no comparison matched)",
           **{key: r[key] for key in ("slope", "se", "df", "ci_low", "ci_high", "p_value", "n", "n_clusters")},
           "threshold": k}
    for name, mask in (("at_least", x >= k), ("fewer", x < k)) if k is not None else ():
        sub = changes.loc[mask.fillna(False).to_numpy(), "change"]
        out[name] = {"n": int(len(sub)), "mean_change": float(sub.mean()) if len(sub) else None}
    return out


def mentor_effects(changes: pd.DataFrame) -> list[dict]:
    """Each mentor's mentees' mean change and its empirical Bayes estimate, highest estimate first
    (a mentee with two mentors counts for both).

    Examples
    --------
    >>> ch = pd.DataFrame({"change": [2.0, 4, 0, 2, 1, 1, 5], "mentors": [["a"], ["a"], ["b"], ["b"], ["b"], ["b"],
    ...                                                              ["c"]]})
    >>> [(m["mentor"], m["mentees"], round(m["shrunk_change"], 3)) for m in mentor_effects(ch)]
    [('c', 1, 4.495), ('a', 2, 2.983), ('b', 4, 1.135)]
    """
    long = changes[["change", "mentors"]].explode("mentors").dropna(subset=["mentors"])
    if long.empty:
        return []
    shrunk = shrink_groups(long["change"].to_numpy(dtype=float), long["mentors"].astype("str"))
    shrunk = shrunk.sort_values(["shrunk", "mean"], ascending=False, na_position="last", kind="stable")
    return [{"mentor": r["group"], "mentees": int(r["n"]), "mean_change": float(r["mean"]),
             "shrunk_change": None if pd.isna(r["shrunk"]) else float(r["shrunk"]),
             "ci_low": None if pd.isna(r["ci_low"]) else float(r["ci_low"]),
             "ci_high": None if pd.isna(r["ci_high"]) else float(r["ci_high"])}
            for r in shrunk.to_dict("records")]
