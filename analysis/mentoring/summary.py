"""The mentoring evaluation as one result: what ``python -m analysis mentoring --json`` prints, the
Mentoring page shows, and — as a tidy table — a slide or an export reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.table import appraisal_table
from analysis.core.config import get_settings
from analysis.core.significance import effect_status
from analysis.mentoring.coverage import coverage, jp_summary
from analysis.mentoring.effect import (
    EFFECT_FIELDS,
    adjusted_changes,
    dose,
    effects,
    mentor_effects,
    mentoring_frame,
)
from analysis.stats.did import MIN_CLUSTERS
from analysis.stats.multiplicity import adjust_p

#: Columns of :func:`mentoring_summary`, in order.
SUMMARY_COLUMNS = ("level", "kecamatan", "pairs", "mentors", "mentees_mentored", "sessions_per_pair",
                   "junior_share_mentored", "mentees", "comparison", "design", "scale", "estimate", "se", "df",
                   "ci_low", "ci_high", "p_value", "p_adjusted", "status", "flags")


def evaluate_mentoring(pairs: pd.DataFrame, appraisals: pd.DataFrame, *, lag_months: int = 0,
                       match_on: str = "auto", jp_per_session: float | None = None, jp_target: float | None = None,
                       min_clusters: int = MIN_CLUSTERS) -> dict:
    """Coverage, effect (overall and per kecamatan), dose, mentors and JP of the mentoring pairs.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Accepted ``mentoring`` rows.
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows of the whole workforce (mentees, mentors and everyone else).
    lag_months : int
        Months after a mentoring ends before the *after* appraisal period may start.
    match_on : {"auto", "kecamatan", "unit_type", "none"}
        Where a non-mentee must work to be matched.
    jp_per_session, jp_target : float, optional
        JP per session where a pair records none, and the yearly target; by default the settings
        ``EVALUASI_MENTORING_JP_PER_SESSION`` and ``EVALUASI_JP_TARGET``.
    min_clusters : int
        Fewer kecamatan than this behind a standard error raise ``few_clusters``.

    Returns
    -------
    dict
        ``overall`` (:data:`analysis.mentoring.effect.EFFECT_FIELDS`), ``kecamatan`` (the same
        fields and ``kecamatan``, one per kecamatan), ``dose``, ``mentors`` (``mentor``,
        ``mentees``, ``mean_change``, ``shrunk_change``, ``ci_low``, ``ci_high``), ``coverage``
        (:func:`analysis.mentoring.coverage.coverage` with ``jp`` and ``appraisal``: the join's
        and the matching's counts, the lag, the period kind and the scale).

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["199505052020012004"] * 2 + ["199606062021011005"] * 2,
    ...     "periode": ["2025-Q1", "2025-Q4"] * 2, "kecamatan": ["Medan Baru"] * 4, "nilai": [80.0, 86, 81, 82]})
    >>> pairs = pd.DataFrame({"mentor_nip": ["197501012000031002"], "mentee_nip": ["199505052020012004"],
    ...     "kecamatan": ["Medan Baru"], "jumlah_sesi": [6.0], "jp": [np.nan],
    ...     "tanggal_mulai": pd.to_datetime(["2025-06-02"]), "tanggal_selesai": pd.to_datetime(["2025-08-29"])})
    >>> r = evaluate_mentoring(pairs, rows)
    >>> r["overall"]["design"], r["overall"]["estimate"], r["overall"]["scale"]
    ('difference_in_differences', 5.0, 'nilai')
    >>> r["coverage"]["junior_share_mentored"], r["coverage"]["jp"]["mentee_jp_total"]
    (0.5, 12.0)
    """
    settings = get_settings()
    per_session = settings.mentoring_jp_per_session if jp_per_session is None else jp_per_session
    target = settings.jp_target if jp_target is None else jp_target
    frame, info = mentoring_frame(pairs, appraisals, lag_months=lag_months, match_on=match_on)
    overall, per_kecamatan = effects(frame, info, min_clusters=min_clusters)
    changes = adjusted_changes(frame)
    table, _ = appraisal_table(appraisals)
    cover = coverage(pairs, table)
    cover["jp"] = jp_summary(pairs, per_session, target)
    cover["appraisal"] = {key: info[key] for key in ("lag_months", "period_kind", "scale", "join", "matching",
                                                    "participants_left_out")}
    return {"overall": overall, "kecamatan": per_kecamatan, "dose": dose(changes),
            "mentors": mentor_effects(changes), "coverage": cover}


def mentoring_summary(result: dict) -> pd.DataFrame:
    """The evaluation as a tidy table: one row for all kecamatan together (``level = "overall"``)
    and one per kecamatan, with its coverage and its effect; p-values Holm-adjusted across the
    kecamatan, the reading (``status``) as everywhere in the product.

    Examples
    --------
    >>> res = {"overall": {"mentees": 30, "comparison": 90, "design": "difference_in_differences",
    ...        "scale": "predikat_rank", "estimate": 0.4, "se": 0.1, "df": 20, "ci_low": 0.2, "ci_high": 0.6,
    ...        "p_value": 0.001, "flags": []},
    ...     "kecamatan": [{"kecamatan": "Medan Baru", "mentees": 30, "comparison": 90,
    ...        "design": "difference_in_differences", "scale": "predikat_rank", "estimate": 0.4, "se": 0.1,
    ...        "df": 29, "ci_low": 0.2, "ci_high": 0.6, "p_value": 0.001, "flags": ["few_clusters"]}],
    ...     "coverage": {"pairs": 30, "mentors": 10, "mentees": 30, "sessions_per_pair": {"mean": 6.5},
    ...        "junior_share_mentored": 0.2, "by_kecamatan": [{"kecamatan": "Medan Baru", "pairs": 30,
    ...        "mentors": 10, "mentees": 30, "sessions_per_pair": 6.5, "junior_share_mentored": 0.2}]}}
    >>> t = mentoring_summary(res)
    >>> t[["level", "kecamatan", "pairs", "estimate", "status"]].values.tolist()
    [['overall', nan, 30, 0.4, 'increase'], ['kecamatan', 'Medan Baru', 30, 0.4, 'increase']]
    """
    cover = result["coverage"]
    per_kec = pd.DataFrame(cover.get("by_kecamatan") or [])
    if len(per_kec):
        per_kec = per_kec.groupby("kecamatan", sort=True).agg(
            pairs=("pairs", "sum"), mentors=("mentors", "sum"), mentees_mentored=("mentees", "sum"),
            sessions_per_pair=("sessions_per_pair", "mean"), junior_share_mentored=("junior_share_mentored", "mean"))
    kec_p = np.array([r["p_value"] if r["p_value"] is not None else np.nan for r in result["kecamatan"]], dtype=float)
    adjusted = adjust_p(kec_p, "holm") if kec_p.size else kec_p
    rows = [_summary_row("overall", None, result["overall"], result["overall"]["p_value"], {
        "pairs": cover["pairs"], "mentors": cover["mentors"], "mentees_mentored": cover["mentees"],
        "sessions_per_pair": (cover.get("sessions_per_pair") or {}).get("mean"),
        "junior_share_mentored": cover.get("junior_share_mentored")})]
    for rec, p_adj in zip(result["kecamatan"], adjusted):
        kec = rec["kecamatan"]
        here = per_kec.loc[kec].to_dict() if len(per_kec) and kec in per_kec.index else {}
        rows.append(_summary_row("kecamatan", kec, rec, p_adj, here))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _summary_row(level: str, kecamatan, rec: dict, p_adjusted, cover: dict) -> dict:
    flags = list(rec.get("flags") or [])
    p_adj = None if p_adjusted is None or (isinstance(p_adjusted, float) and np.isnan(p_adjusted)) else p_adjusted
    row = {"level": level, "kecamatan": kecamatan, **{k: cover.get(k) for k in (
        "pairs", "mentors", "mentees_mentored", "sessions_per_pair", "junior_share_mentored")},
        **{k: rec.get(k) for k in EFFECT_FIELDS if k != "flags"}, "p_adjusted": p_adj,
        "status": effect_status(rec.get("estimate"), p_adj, flags, rec.get("mentees")), "flags": ",".join(flags)}
    for k in ("pairs", "mentors", "mentees_mentored"):
        if row[k] is not None and not pd.isna(row[k]):
            row[k] = int(row[k])
    return row
