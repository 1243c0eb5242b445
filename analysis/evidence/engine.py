"""Evidence engine: did scores change after the training, by how much, and how sure can we be?

For a measure — ``knowledge`` (``nilai_pre`` → ``nilai_post``, Kirkpatrick L2) or ``performance``
(``kinerja_sebelum`` → ``kinerja_sesudah``, L3; numeric, or an ordered SKP predikat) — and a
grouping (none, or any of program, jenis_program, kecamatan, unit_kerja, period, combined), every
group gets the paired tests a statistician would check against R, effect sizes, power, flags, a
difference-in-differences estimate when the data hold a comparison group (``kelompok ==
"pembanding"``), and a plain-language reading in Indonesian and English.

- :func:`paired_summary` — the tidy DataFrame the dashboard charts from, one row per group;
- :func:`evaluate` — the JSON-ready dict the ``evaluate`` command prints (groups + overall);
- :func:`shift_table` — before × after counts for ordered predikat.

The statistics live in :mod:`analysis.stats` (``paired``: the paired tests, vectorised across
groups; ``did``: difference in differences; ``power``; ``multiplicity``), the plain readings in
:mod:`analysis.evidence.text`; reading the table into arrays and forming groups in
:mod:`analysis.evidence.groups`.
Participants and comparison rows are told apart by :func:`analysis.core.groups.comparison_mask`
(``kelompok`` reads ``pembanding``; an empty cell or a file without the column is a participant).
The delta is always after − before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.groups import comparison_mask
from analysis.stats.did import MIN_CLUSTERS
from analysis.evidence.groups import (
    BEFORE_AFTER,
    BY_FIELDS,
    CEILING,
    DESIGNS,
    DID,
    MEASURES,
    Prepared,
    comparison_did,
    group_rows,
    normalise_by,
    prepare,
)
from analysis.core.significance import ALPHA, MIN_PAIRS, as_flags, effect_status
from analysis.stats.multiplicity import CORRECTIONS, adjust_p
from analysis.stats.paired import PRIMARY_RULE, paired_stats, primary_test
from analysis.stats.power import POWER, TARGET_DZ, min_detectable_dz, n_required
from analysis.evidence.text import MIN_NONZERO, summarise

__all__ = [
    "BEFORE_AFTER", "BY_FIELDS", "CEILING", "CEILING_SHARE", "DESIGNS", "DID", "DID_CORRECTION", "FLAGS",
    "MEASURES", "MIN_DID_PAIRS", "SMALL_N", "evaluate", "normalise_by", "paired_summary", "shift_table",
]

#: Below this many pairs a group is flagged ``small_n`` (too little data to conclude).
SMALL_N = MIN_PAIRS
#: Ceiling effect when more than 15% are at the top of the scale (Terwee et al. 2007, J Clin Epidemiol 60:34).
CEILING_SHARE = 0.15
#: Complete comparison pairs a group needs for a difference in differences. The strongest design the
#: data allow is always the one reported; with fewer than ``SMALL_N`` comparison pairs the group is
#: flagged ``small_comparison``, which reads "too little data to conclude" (one or two comparison
#: people cannot establish an effect), never a silent fall-back to the weaker before/after design.
MIN_DID_PAIRS = 1
#: How the engine's DiD standard error is computed, as the JSON names it.
DID_CORRECTION = ("CR1: cluster-robust sandwich with the factor G/(G-1) * (N-1)/(N-K), K = 4; clustered by "
                  "kecamatan, or by person when a group lies in one kecamatan; t inference on G - 1 degrees "
                  "of freedom (did_df)")

#: Every flag a group can carry: code → (Indonesian, English) explanation, for legends and tooltips.
FLAGS = {
    "no_pairs": ("Tidak ada pasangan nilai sebelum–sesudah yang lengkap.", "No complete before/after pairs."),
    "too_few_nonzero": (
        f"Kurang dari {MIN_NONZERO} selisih bukan nol: data terlalu sedikit untuk menyimpulkan (uji Wilcoxon "
        "eksak bahkan tidak dapat mencapai p < 0,05).",
        f"Fewer than {MIN_NONZERO} non-zero differences: too little data to conclude (an exact Wilcoxon test "
        "cannot even reach p < 0.05).",
    ),
    "small_n": (
        f"Kurang dari {SMALL_N} pasangan: data terlalu sedikit untuk menyimpulkan.",
        f"Fewer than {SMALL_N} pairs: too little data to conclude.",
    ),
    "constant_differences": (
        "Semua selisih sama: uji t tidak terdefinisi.",
        "All differences are equal: the t-test is undefined.",
    ),
    "non_normal": (
        "Selisih tidak berdistribusi normal (Shapiro–Wilk p < 0,05).",
        "Differences are not normal (Shapiro–Wilk p < 0.05).",
    ),
    "ceiling": (
        f"Lebih dari {int(CEILING_SHARE * 100)}% pasangan di batas atas skala (efek plafon).",
        f"More than {int(CEILING_SHARE * 100)}% of pairs at the top of the scale (ceiling effect).",
    ),
    "extreme_differences": (
        "Ada selisih di luar Q1 − 3·IQR atau Q3 + 3·IQR; periksa datanya.",
        "Some differences lie beyond Q1 − 3·IQR or Q3 + 3·IQR; check the data.",
    ),
    "underpowered": (
        f"Terlalu sedikit pasangan untuk mendeteksi efek target (bawaan: efek sedang, d_z = {TARGET_DZ}) "
        "dengan power 80%.",
        f"Too few pairs to detect the target effect (default: medium, d_z = {TARGET_DZ}) with 80% power.",
    ),
    "incomplete_pairs": (
        "Sebagian baris tidak punya nilai sebelum atau sesudah.",
        "Some rows lack a before or after value.",
    ),
    "few_clusters": (
        f"Galat baku DiD dari kurang dari {MIN_CLUSTERS} kecamatan: tafsirkan dengan hati-hati.",
        f"DiD standard errors rest on fewer than {MIN_CLUSTERS} kecamatan: interpret with care.",
    ),
    "no_comparison": (
        "Data punya kelompok pembanding, tetapi tidak untuk kelompok ini: hanya desain sebelum–sesudah.",
        "The data hold a comparison group, but not for this group: before/after design only.",
    ),
    "small_comparison": (
        f"Kurang dari {SMALL_N} pasangan pembanding yang cocok: DiD belum cukup untuk menyimpulkan.",
        f"Fewer than {SMALL_N} matched comparison pairs: the DiD is too little data to conclude.",
    ),
    "comparison_not_used": (
        "Kelompok pembanding tidak dipakai untuk predikat berjenjang (DiD butuh skor numerik).",
        "The comparison group is not used for ordered ratings (DiD needs numeric scores).",
    ),
}

_INT_FIELDS = {
    "n", "n_incomplete", "df", "n_nonzero", "n_increase", "n_no_change", "n_decrease", "n_extreme",
    "n_comparison", "did_n_clusters", "did_df",
}


def _analyse(prep: Prepared, by: tuple[str, ...], correction: str, target_dz: float,
             min_clusters: int) -> pd.DataFrame:
    """One row per group of participants (one row of all participants when ``by`` is empty)."""
    part = np.flatnonzero(~prep.comparison)
    groups = group_rows(prep, by, part)
    G = len(groups.table)
    res = paired_stats(prep.before[part], prep.after[part], groups.key, G, ceiling=prep.ceiling)
    has_comparison = bool((prep.comparison & np.isfinite(prep.before) & np.isfinite(prep.after)).any())
    did = comparison_did(prep, part, groups, by) if has_comparison else None
    out = _finish(prep, res.reset_index(drop=True), did, has_comparison, correction, target_dz, min_clusters)
    return pd.concat([groups.table, out], axis=1) if by else out


def _finish(prep: Prepared, res: pd.DataFrame, did: dict | None, has_comparison: bool, correction: str,
            target_dz: float, min_clusters: int) -> pd.DataFrame:
    """Primary test, adjusted p, design, flags and readings for rows of ``paired_stats``."""
    n = res["n"].to_numpy()
    res["mde_dz"] = min_detectable_dz(n)
    res["primary_test"] = primary_test(n, res["shapiro_p_value"], res["t_p_value"], prep.scale == "ordinal")
    res["p_value"] = np.where(res["primary_test"] == "t", res["t_p_value"], res["wilcoxon_p_value"])
    res["p_adjusted"] = adjust_p(res["p_value"].to_numpy(), correction)
    few = _design(res, prep, did, correction, min_clusters)
    flags = _flags(res, prep, few, has_comparison, target_dz)
    n_tests = int(np.isfinite(res["p_value"].to_numpy()).sum())
    summary_id, summary_en = [], []
    for rec, fl in zip(res.to_dict("records"), flags):
        rec["flags"] = fl
        summary_id.append(summarise(rec, prep.measure, prep.scale, "id", correction, n_tests))
        summary_en.append(summarise(rec, prep.measure, prep.scale, "en", correction, n_tests))
    res["flags"] = [",".join(f) for f in flags]
    res["summary_id"] = summary_id
    res["summary_en"] = summary_en
    return res


def _design(res: pd.DataFrame, prep: Prepared, did: dict | None, correction: str, min_clusters: int) -> np.ndarray:
    """The design of each row and, where the comparison group is used, its DiD columns (added to
    ``res``); returns which rows rest on too few clusters."""
    G = len(res)
    if did is None:
        res["design"] = BEFORE_AFTER
        res["n_comparison"] = 0.0
        for col in ("did", "did_se", "did_ci_low", "did_ci_high", "did_p_value", "did_p_adjusted", "did_df",
                    "did_n_clusters"):
            res[col] = np.nan
        res["did_cluster_by"] = None
        return np.zeros(G, dtype=bool)
    n_comp = did["n_comparison_before"]
    use = (n_comp >= MIN_DID_PAIRS) & (res["n"].to_numpy() >= 1) & np.isfinite(did["did"])
    cluster_names = np.array(
        ["kecamatan" if prep.cluster is not None else "person", "person", "observation"], dtype=object
    )
    res["design"] = np.where(use, DID, BEFORE_AFTER).astype(object)
    res["n_comparison"] = n_comp
    res["did"] = np.where(use, did["did"], np.nan)
    for col in ("se", "ci_low", "ci_high", "p_value"):
        res[f"did_{col}"] = np.where(use, did[col], np.nan)
    res["did_p_adjusted"] = adjust_p(res["did_p_value"].to_numpy(), correction)
    res["did_df"] = np.where(use, did["df"], np.nan)
    res["did_n_clusters"] = np.where(use, did["n_clusters"], np.nan)
    res["did_cluster_by"] = np.where(use, cluster_names[did["cluster_level"]], None).astype(object)
    return use & ((did["cluster_level"] > 0) | (did["n_clusters"] < min_clusters))


def _flags(res: pd.DataFrame, prep: Prepared, few: np.ndarray, has_comparison: bool,
           target_dz: float) -> list[list[str]]:
    """The codes of :data:`FLAGS` that hold for each row, in the order of :data:`FLAGS`."""
    G = len(res)
    n = res["n"].to_numpy()
    n_nonzero = res["n_nonzero"].to_numpy()
    before_after = res["design"].to_numpy() == BEFORE_AFTER
    n_comparison = res["n_comparison"].to_numpy()
    with np.errstate(invalid="ignore"):
        flag_masks = {
            "no_pairs": n == 0,
            "too_few_nonzero": (n > 0) & (n_nonzero < MIN_NONZERO),
            "small_n": (n > 0) & (n < SMALL_N),
            "constant_differences": (n >= 2) & ~np.isfinite(res["t_statistic"].to_numpy()) & (n_nonzero > 0),
            "non_normal": (res["shapiro_p_value"].to_numpy() < ALPHA) & (prep.scale == "numeric"),
            "ceiling": res["ceiling_share"].to_numpy() > CEILING_SHARE,
            "extreme_differences": res["n_extreme"].to_numpy() > 0,
            "underpowered": res["mde_dz"].to_numpy() > target_dz,
            "incomplete_pairs": res["n_incomplete"].to_numpy() > 0,
            "few_clusters": few,
            "no_comparison": np.full(G, has_comparison and prep.scale == "numeric") & before_after
            & (n_comparison == 0),
            "small_comparison": ~before_after & (n_comparison < SMALL_N),
            "comparison_not_used": np.full(G, has_comparison and prep.scale == "ordinal"),
        }
    names = np.array(list(flag_masks), dtype=object)
    matrix = np.column_stack(list(flag_masks.values())) if G else np.zeros((0, len(names)), bool)
    return [list(names[row]) for row in matrix]


def _check_options(correction: str, target_dz: float, min_clusters: int) -> None:
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    if not (np.isfinite(target_dz) and target_dz > 0):
        raise ValueError(f"target_dz must be a positive effect size, got {target_dz}")
    if not (isinstance(min_clusters, (int, np.integer)) and min_clusters >= 2):
        raise ValueError(f"min_clusters must be an integer of at least 2, got {min_clusters!r}")


def paired_summary(
    df: pd.DataFrame,
    measure: str = "knowledge",
    by: str | Sequence[str] | None = (),
    correction: str = "holm",
    *,
    target_dz: float = TARGET_DZ,
    min_clusters: int = MIN_CLUSTERS,
) -> pd.DataFrame:
    """One row per group: every before/after statistic, the design, flags and the plain reading.

    Parameters
    ----------
    df : pandas.DataFrame
        Training data in the intake's canonical columns.
    measure : {"knowledge", "performance"}
        ``nilai_pre`` → ``nilai_post`` or ``kinerja_sebelum`` → ``kinerja_sesudah``.
    by : str or sequence of str
        Fields from :data:`BY_FIELDS` (``"program,kecamatan"`` works too); none for one group.
    correction : {"holm", "bh", "none"}
        Adjustment of the primary p-values across the groups shown together.
    target_dz : float
        The effect behind the ``underpowered`` flag.
    min_clusters : int
        Fewer kecamatan than this behind a DiD standard error raises ``few_clusters``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, the statistics of
        :func:`analysis.stats.paired.paired_stats` (``n``, ``mean_before``, ``mean_after``,
        ``mean_delta``, ``sd_delta``, ``ci_low``, ``ci_high``, ``t_statistic``, ``df``,
        ``t_p_value``, ``wilcoxon_statistic``, ``wilcoxon_p_value``, ``rank_biserial``,
        ``shapiro_p_value``, ``effect_size_dz``, ``dz_ci_low``, ``dz_ci_high``,
        ``effect_size_gz`` …), then ``mde_dz``, ``primary_test``, ``p_value``, ``p_adjusted``,
        ``design``, ``n_comparison``, ``did``, ``did_se``, ``did_ci_low``, ``did_ci_high``,
        ``did_p_value``, ``did_p_adjusted``, ``did_df`` (the t inference's degrees of freedom, G − 1),
        ``did_n_clusters``, ``did_cluster_by``, ``flags``
        (comma-separated codes of :data:`FLAGS`), ``summary_id`` and ``summary_en``. For
        ordered predikat the means are of the category ranks (1 = lowest).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "program": ["A"] * 6 + ["B"] * 6,
    ...     "nilai_pre": [60, 62, 70, 55, 65, 58, 70, 72, 68, 75, 71, 69],
    ...     "nilai_post": [72, 70, 79, 66, 74, 71, 71, 70, 69, 76, 70, 71]})
    >>> out = paired_summary(df, "knowledge", by="program")
    >>> out[["program", "n", "mean_delta", "primary_test"]]
      program    n  mean_delta primary_test
    0       A  6.0   10.333333            t
    1       B  6.0    0.333333            t
    >>> out["p_adjusted"].round(5).tolist()
    [0.0001, 0.61088]
    """
    by = normalise_by(by)
    _check_options(correction, target_dz, min_clusters)
    prep = prepare(df, measure, by)
    return _analyse(prep, by, correction, target_dz, min_clusters)


def _plain(value, field: str):
    """One value as plain JSON-ready Python: NaN/NA → None, counts as int."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if not np.isfinite(value):
            return None
        if field in _INT_FIELDS and value.is_integer():
            return int(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain values, converted column by column (fast for hundreds of groups)."""
    columns = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        if name == "flags":
            columns[name] = [[f for f in v.split(",") if f] for v in values]
        elif values.dtype.kind == "f":
            finite = np.isfinite(values)
            as_list = values.tolist()
            if name in _INT_FIELDS and np.all(values[finite] == np.round(values[finite])):
                as_list = values.astype(np.int64, copy=False).tolist() if finite.all() else [
                    int(x) if ok else None for x, ok in zip(as_list, finite)]
            elif not finite.all():
                as_list = [x if ok else None for x, ok in zip(as_list, finite)]
            columns[name] = as_list
        else:
            columns[name] = [_plain(v, name) for v in values]
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*columns.values())]


def _shift_counts(prep: Prepared, key: np.ndarray, part: np.ndarray, G: int) -> np.ndarray:
    k = len(prep.categories)
    b, a = prep.before[part], prep.after[part]
    ok = np.isfinite(b) & np.isfinite(a)
    flat = (key[ok] * k + (b[ok] - 1).astype(np.intp)) * k + (a[ok] - 1).astype(np.intp)
    return np.bincount(flat, minlength=G * k * k).reshape(G, k, k)


def shift_table(df: pd.DataFrame, measure: str = "performance", by: str | Sequence[str] | None = ()) -> pd.DataFrame:
    """Before × after counts of an ordered predikat, per group, as a tidy table.

    Parameters
    ----------
    df : pandas.DataFrame
        Training data whose ``measure`` columns are ordered Categoricals.
    measure : {"knowledge", "performance"}
    by : str or sequence of str
        Grouping fields, as in :func:`paired_summary`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``before``, ``after`` (category names) and ``count``, one row for every
        pair of categories (zeros included), participants only.

    Examples
    --------
    >>> scale = ["Butuh Perbaikan", "Baik", "Sangat Baik"]
    >>> cat = pd.CategoricalDtype(scale, ordered=True)
    >>> df = pd.DataFrame({"kinerja_sebelum": pd.Series(["Baik", "Baik", "Butuh Perbaikan"], dtype=cat),
    ...                    "kinerja_sesudah": pd.Series(["Sangat Baik", "Baik", "Baik"], dtype=cat)})
    >>> t = shift_table(df)
    >>> t[t["count"] > 0].values.tolist()
    [['Butuh Perbaikan', 'Baik', 1], ['Baik', 'Baik', 1], ['Baik', 'Sangat Baik', 1]]
    """
    by = normalise_by(by)
    prep = prepare(df, measure, by)
    if prep.scale != "ordinal":
        raise AnalysisError(
            "not_ordinal",
            "Tabel pergeseran hanya untuk predikat berjenjang (mis. Baik, Sangat Baik).",
            "A shift table needs ordered ratings (e.g. Baik, Sangat Baik).",
        )
    part = np.flatnonzero(~prep.comparison)
    groups = group_rows(prep, by, part)
    key, table = groups.key, groups.table
    G, k = len(table), len(prep.categories)
    counts = _shift_counts(prep, key, part, G)
    cats = np.array(prep.categories, dtype=object)
    out = pd.DataFrame({
        "before": np.tile(np.repeat(cats, k), G),
        "after": np.tile(cats, G * k),
        "count": counts.ravel().astype(np.int64),
    })
    if by:
        out = pd.concat([table.iloc[np.repeat(np.arange(G), k * k)].reset_index(drop=True), out], axis=1)
    return out


def evaluate(
    df: pd.DataFrame,
    measure: str = "knowledge",
    by: str | Sequence[str] | None = (),
    correction: str = "holm",
    *,
    target_dz: float = TARGET_DZ,
    min_clusters: int = MIN_CLUSTERS,
) -> dict:
    """Everything the ``evaluate`` command prints: each group, all rows together, power and design.

    Parameters are those of :func:`paired_summary`.

    Returns
    -------
    dict
        JSON-ready (plain numbers, ``None`` where undefined): ``measure``, ``scale``
        (``"numeric"``/``"ordinal"``), ``correction``, ``design`` (of the overall estimate:
        ``"before_after"`` or ``"difference_in_differences"``), ``primary_rule``, ``by``,
        ``rows``, ``rows_participant``, ``rows_comparison``, ``groups`` (one dict per group: its
        ``by`` fields under their names and every column of :func:`paired_summary`, ``flags`` as a
        list), ``overall`` (the same fields for all rows together), ``power`` (``alpha``,
        ``power``, ``target_dz``, ``n_required``), ``did`` (how the comparison was made) and, for
        ordered predikat, ``categories`` and a ``shift_table`` in each group (rows = before).

    Examples
    --------
    >>> df = pd.DataFrame({"nilai_pre": [50, 60, 55, 70, 65, 62, 58, 61, 64, 57, 66, 59],
    ...                    "nilai_post": [58, 66, 63, 79, 70, 71, 65, 70, 70, 66, 71, 68]})
    >>> out = evaluate(df)
    >>> out["design"], out["overall"]["n"], out["overall"]["primary_test"]
    ('before_after', 12, 'wilcoxon')
    >>> out["overall"]["summary_en"].split(";")[0]
    'Post-test scores rose by 7.5 points on average (95% CI 6.5–8.5) across 12 participants'
    """
    by = normalise_by(by)
    _check_options(correction, target_dz, min_clusters)
    prep = prepare(df, measure, by)
    groups = _analyse(prep, by, correction, target_dz, min_clusters)
    # The overall row is computed once, from the person-level data (one pair per person for
    # performance, whatever the grouping), so it never depends on ``by``.
    whole = prepare(df, measure, ()) if by else prep
    overall = groups if not by else _analyse(whole, (), correction, target_dz, min_clusters)
    complete_comparisons = (whole.comparison & np.isfinite(whole.before) & np.isfinite(whole.after)).sum()
    group_records = _records(groups)
    overall_record = _records(overall)[0]
    result = {
        "measure": measure,
        "scale": prep.scale,
        "correction": correction,
        "design": overall_record["design"],
        "primary_rule": PRIMARY_RULE,
        "by": list(by),
        "rows": int(len(df)),
        "rows_participant": int((~comparison_mask(df)).sum()),
        "rows_comparison": int(comparison_mask(df).sum()),
        "groups": group_records,
        "overall": overall_record,
        "power": {
            "alpha": ALPHA,
            "power": POWER,
            "target_dz": float(target_dz),
            "n_required": n_required(float(target_dz)),
        },
        "did": {
            "comparison": "kelompok == 'pembanding'",
            "matching": ("same values of the grouping fields; a comparison row without a program, program "
                         "type or start date compares with every value of that field"),
            "cluster": "kecamatan" if prep.cluster is not None else "person",
            "correction": "CR1",
            "correction_detail": DID_CORRECTION,
            "df": "G - 1 (clusters minus one), per group in did_df",
            "min_clusters": int(min_clusters),
            "min_comparison_pairs": int(MIN_DID_PAIRS),
            "rows_comparison_complete": int(complete_comparisons),
            "used": overall_record["design"] == DID,
        },
    }
    if prep.scale == "ordinal":
        part = np.flatnonzero(~prep.comparison)
        result["categories"] = list(prep.categories)
        groups = group_rows(prep, by, part)
        for rec, counts in zip(group_records, _shift_counts(prep, groups.key, part, len(groups.table))):
            rec["shift_table"] = counts.tolist()
        everyone = np.flatnonzero(~whole.comparison)
        overall_record["shift_table"] = _shift_counts(whole, np.zeros(everyone.size, np.intp), everyone, 1)[0].tolist()
    return result


_ESTIMATE = ["mean_delta", "ci_low", "ci_high", "p_value", "p_adjusted"]


def estimate_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """The estimate a reader should see per group: the difference in differences where the engine
    used the comparison group (``design == "difference_in_differences"``), else the before/after
    change — in the columns the charts read (``mean_delta``, ``ci_low``, ``ci_high``,
    ``p_adjusted``). The before/after values stay in ``ba_*`` columns, the design in ``estimate``.
    The before/after ``effect_size_dz`` is blanked where DiD replaced the estimate.

    Examples
    --------
    >>> s = pd.DataFrame({"program": ["A", "B"], "n": [30, 12], "mean_delta": [5.0, 2.0],
    ...     "ci_low": [4.0, -1.0], "ci_high": [6.0, 5.0], "p_value": [0.001, 0.2], "p_adjusted": [0.002, 0.2],
    ...     "effect_size_dz": [0.9, 0.3], "design": ["difference_in_differences", "before_after"],
    ...     "did": [1.5, np.nan], "did_ci_low": [0.5, np.nan], "did_ci_high": [2.5, np.nan],
    ...     "did_p_value": [0.01, np.nan], "did_p_adjusted": [0.02, np.nan]})
    >>> e = estimate_frame(s)
    >>> e[["estimate", "mean_delta", "ci_low", "p_adjusted", "ba_mean_delta"]].to_dict("records")[0]
    {'estimate': 'difference_in_differences', 'mean_delta': 1.5, 'ci_low': 0.5, 'p_adjusted': 0.02, 'ba_mean_delta': 5.0}
    """
    out = summary.copy()
    design = out["design"] if "design" in out else pd.Series(BEFORE_AFTER, index=out.index)
    use_did = design.eq(DID).fillna(False).to_numpy()
    for col in _ESTIMATE:
        if col not in out:
            continue
        out[f"ba_{col}"] = out[col]
        did_col = "did" if col == "mean_delta" else f"did_{col}"
        if did_col in out:
            out[col] = np.where(use_did, out[did_col].astype(float), out[col].astype(float))
    if "effect_size_dz" in out:
        out["effect_size_dz"] = np.where(use_did, np.nan, out["effect_size_dz"].astype(float))
    out["estimate"] = np.where(use_did, DID, BEFORE_AFTER)
    return out


def significant_gain_share(estimates: pd.DataFrame, alpha: float = ALPHA) -> tuple[int, int]:
    """(programs with a significant gain, programs with an estimate), each group read by the one rule
    of :func:`analysis.core.significance.effect_status`: a group flagged with too little data
    (``flags``) is not a gain whatever its p-value. Pass :func:`estimate_frame`'s output, so that
    each program counts with its strongest design (the difference in differences where a comparison
    exists).

    Examples
    --------
    >>> significant_gain_share(pd.DataFrame({"mean_delta": [2.0, -1.0, 3.0, np.nan, 4.0],
    ...                                      "p_adjusted": [0.01, 0.01, 0.3, np.nan, 0.02],
    ...                                      "flags": [[], [], [], [], ["small_n"]]}))
    (1, 4)
    """
    d = estimates["mean_delta"].astype(float)
    with_estimate = int(np.isfinite(d).sum())
    flags = estimates["flags"] if "flags" in estimates else pd.Series([()] * len(estimates), index=estimates.index)
    gains = sum(effect_status(m, p, as_flags(f), alpha=alpha) == "increase"
                for m, p, f in zip(d, estimates["p_adjusted"], flags))
    return int(gains), with_estimate
