"""The four Kirkpatrick levels of each program, read from the evidence the product already computes.

Every level of a program is a plain dict (JSON-ready) with at least ``estimate``, ``ci_low``,
``ci_high``, ``p_adjusted``, ``n``, ``design``, ``flags``, ``status`` and ``unit``, or ``None`` when
the program has no data for it — a level without data is never a failure:

- **L1 reaction** (:func:`reaction_levels`): the mean of ``kepuasan_peserta`` (1–5) with its
  t-interval, ``n`` and ``share_high``, the share answering 4 or 5; descriptive, untested;
- **L2 learning** (:func:`learning_levels`): ``nilai_pre`` → ``nilai_post`` through
  :func:`analysis.evidence.engine.paired_summary` by program; the change in points, the
  standardised ``effect`` (d_z) with its CI, the primary test's p adjusted across programs;
- **L3 behaviour** (:func:`behaviour_levels`): the same on the performance pair, difference in
  differences where comparison staff exist. It takes the *person-level before/after frame*;
  :func:`skp_pairs` builds it from the training file's SKP columns today, and an appraisal join
  (one row per person and program with ``kinerja_sebelum`` and ``kinerja_sesudah``) plugs in in its
  place;
- **L4 results** (:func:`results_levels`): the IKM of the service units whose staff took part,
  before against after the program, as a difference in differences against units without trained
  staff where they were surveyed (:func:`analysis.voice.before_after.before_after`), p adjusted
  across programs.

Under a difference in differences the standardised effect is the DiD divided by the participants'
standard deviation of change (that SD taken as known), so that one negligible band applies to both
designs (docs/method.md §20).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.errors import AnalysisError
from analysis.core.groups import participants
from analysis.core.significance import ALPHA, as_flags, effect_status
from analysis.evidence.engine import SMALL_N, estimate_frame, paired_summary
from analysis.evidence.groups import BEFORE_AFTER, DID
from analysis.stats.multiplicity import adjust_p
from analysis.voice.before_after import BeforeAfter, survey
from analysis.voice.programs import Ask, before_after_many, every_program

LEVELS = ("reaction", "learning", "behaviour", "results")
DESCRIPTIVE = "descriptive"
#: ``kepuasan_peserta`` at or above this (of 5) counts as satisfied.
HIGH_REACTION = 4
#: The columns of the person-level before/after frame :func:`behaviour_levels` reads.
PAIR_COLUMNS = ("nip", "program", "kelompok", "kecamatan", "unit_kerja", "tanggal_mulai",
                "kinerja_sebelum", "kinerja_sesudah")


def _num(x) -> float | None:
    """A finite float, or None."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def program_names(training: pd.DataFrame) -> list[str]:
    """The programs with participants, sorted.

    Examples
    --------
    >>> program_names(pd.DataFrame({"program": ["B", "A", None], "kelompok": ["peserta"] * 2 + ["pembanding"]}))
    ['A', 'B']
    """
    if "program" not in training:
        raise AnalysisError("missing_columns", "Data pelatihan tidak punya kolom program.",
                            "The training data have no program column.")
    return sorted(participants(training, ["program"])["program"].dropna().astype(str).unique().tolist())


def participant_counts(training: pd.DataFrame) -> dict[str, int]:
    """Distinct participants (by NIP; rows without one count once each) per program.

    Examples
    --------
    >>> participant_counts(pd.DataFrame({"program": ["A", "A", "A"], "nip": ["1", "1", None]}))
    {'A': 2}
    """
    people = participants(training, ["program", "nip"])
    people = people[people["program"].notna()]
    if "nip" not in people:
        return people.groupby("program").size().astype(int).to_dict()
    with_nip = people[people["nip"].notna()].drop_duplicates(["program", "nip"])
    counts = with_nip.groupby("program").size().add(people[people["nip"].isna()].groupby("program").size(),
                                                    fill_value=0)
    return {str(k): int(v) for k, v in counts.items()}


# --------------------------------------------------------------------------- L1 reaction


def reaction_levels(training: pd.DataFrame) -> dict[str, dict | None]:
    """L1 per program: mean ``kepuasan_peserta`` with its 95% t-interval, ``n`` and ``share_high``
    (answers of 4 or 5). Descriptive: no test, ``p_adjusted`` None.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 4, "kepuasan_peserta": [4.0, 5.0, 3.0, 4.0]})
    >>> r = reaction_levels(df)["A"]
    >>> r["estimate"], r["n"], r["share_high"], round(r["ci_low"], 4), r["flags"]
    (4.0, 4, 0.75, 2.7008, ['small_n'])
    """
    names = program_names(training)
    if "kepuasan_peserta" not in training:
        return {p: None for p in names}
    people = participants(training, ["program", "kepuasan_peserta"])
    score = pd.to_numeric(people["kepuasan_peserta"], errors="coerce")
    out = {}
    for program in names:
        x = score[(people["program"] == program).to_numpy()].dropna().to_numpy(float)
        n = x.size
        if n == 0:
            out[program] = None
            continue
        mean = float(x.mean())
        half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
        out[program] = {
            "estimate": mean, "ci_low": _num(mean - half), "ci_high": _num(mean + half), "p_adjusted": None,
            "n": int(n), "design": DESCRIPTIVE, "flags": ["small_n"] if n < SMALL_N else [],
            "status": DESCRIPTIVE, "unit": "scale_1_5", "share_high": float((x >= HIGH_REACTION).mean()),
        }
    return out


# --------------------------------------------------------------------------- L2 and L3


def _standardised(row: dict) -> tuple[float | None, float | None, float | None]:
    """The standardised effect and its CI: d_z before/after; DiD / SD of the participants' change."""
    if row["estimate_design"] == DID:
        sd = _num(row.get("sd_delta"))
        if not sd:
            return None, None, None
        return tuple(_num(row[c]) / sd if _num(row[c]) is not None else None
                     for c in ("mean_delta", "ci_low", "ci_high"))
    return _num(row.get("effect_size_dz")), _num(row.get("dz_ci_low")), _num(row.get("dz_ci_high"))


def paired_levels(frame: pd.DataFrame, measure: str, correction: str = "holm") -> dict[str, dict | None]:
    """L2 (``measure="knowledge"``) or L3 (``"performance"``) per program from the evidence engine.

    ``estimate``, ``ci_low``, ``ci_high`` and ``p_adjusted`` are those a reader sees elsewhere (the
    difference in differences where the engine used the comparison group, else the before/after
    change: :func:`analysis.evidence.engine.estimate_frame`), in points (``unit="points"``) or
    rating levels for an ordered predikat (``"levels"``, no standardised effect). ``effect``,
    ``effect_ci_low``, ``effect_ci_high``: the standardised effect (module docstring); ``mde``: the
    smallest d_z the pairs detect with 80% power; ``status``: as the charts read it
    (:func:`analysis.core.significance.effect_status`).

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 6 + ["B"] * 6,
    ...     "nilai_pre": [60, 62, 70, 55, 65, 58, 70, 72, 68, 75, 71, 69],
    ...     "nilai_post": [72, 70, 79, 66, 74, 71, 71, 70, 69, 76, 70, 71]})
    >>> a = paired_levels(df, "knowledge")["A"]
    >>> a["n"], round(a["estimate"], 4), a["design"], a["status"], round(a["effect"], 3)
    (6, 10.3333, 'before_after', 'underpowered', 5.255)

    (Changes 12, 8, 9, 11, 9, 13: mean 10.333, SD 1.966, d_z = 10.333 / 1.966 = 5.255.)
    """
    names = program_names(frame)
    summary = estimate_frame(paired_summary(frame, measure, by="program", correction=correction))
    summary = summary.rename(columns={"estimate": "estimate_design"})
    ordinal = measure == "performance" and isinstance(frame["kinerja_sebelum"].dtype, pd.CategoricalDtype)
    out: dict[str, dict | None] = {p: None for p in names}
    for row in summary.to_dict("records"):
        program = row.get("program")
        if program is None or (isinstance(program, float) and math.isnan(program)) or program not in out:
            continue
        n = int(_num(row["n"]) or 0)
        if n == 0:
            continue
        flags = as_flags(row.get("flags"))
        effect, lo, hi = (None, None, None) if ordinal else _standardised(row)
        out[program] = {
            "estimate": _num(row["mean_delta"]), "ci_low": _num(row["ci_low"]), "ci_high": _num(row["ci_high"]),
            "p_adjusted": _num(row["p_adjusted"]), "n": n, "design": row["estimate_design"], "flags": flags,
            "status": effect_status(row["mean_delta"], row["p_adjusted"], flags),
            "unit": "levels" if ordinal else "points",
            "effect": effect, "effect_ci_low": lo, "effect_ci_high": hi, "mde": _num(row.get("mde_dz")),
            "primary_test": row.get("primary_test"), "n_comparison": int(_num(row.get("n_comparison")) or 0),
        }
    return out


def learning_levels(training: pd.DataFrame, correction: str = "holm") -> dict[str, dict | None]:
    """L2 per program (:func:`paired_levels` of the pre/post test); every level None when the file
    has no test scores.

    Examples
    --------
    >>> learning_levels(pd.DataFrame({"program": ["A"], "nilai_post": [70.0]}))
    {'A': None}
    """
    if not {"nilai_pre", "nilai_post"} <= set(training.columns):
        return {p: None for p in program_names(training)}
    return paired_levels(training, "knowledge", correction)


def skp_pairs(training: pd.DataFrame) -> pd.DataFrame:
    """The person-level before/after frame of job performance, from the training file's SKP columns
    (``kinerja_sebelum``, ``kinerja_sesudah``): participants with their program, comparison staff
    without one, and the fields the design needs (:data:`PAIR_COLUMNS` that exist).

    :func:`behaviour_levels` reads this frame; an appraisal join that yields the same columns (one
    row per person and program; comparison staff with ``kelompok = "pembanding"``) replaces it.

    Examples
    --------
    >>> df = pd.DataFrame({"nip": ["1", "2"], "program": ["A", None], "kelompok": ["peserta", "pembanding"],
    ...                    "nilai_pre": [50.0, None], "kinerja_sebelum": [80.0, 75], "kinerja_sesudah": [84.0, 76]})
    >>> skp_pairs(df).columns.tolist()
    ['nip', 'program', 'kelompok', 'kinerja_sebelum', 'kinerja_sesudah']
    """
    if not {"kinerja_sebelum", "kinerja_sesudah"} <= set(training.columns):
        return training.iloc[:0][[c for c in PAIR_COLUMNS if c in training.columns]]
    return training[[c for c in PAIR_COLUMNS if c in training.columns]]


def behaviour_levels(pairs: pd.DataFrame, programs: list[str] | None = None,
                     correction: str = "holm") -> dict[str, dict | None]:
    """L3 per program from a person-level before/after frame of job performance (the seam).

    Parameters
    ----------
    pairs : pandas.DataFrame
        One row per person and program: ``program`` (empty for comparison staff), ``kelompok``
        (``pembanding`` for comparison staff), ``nip``, ``kinerja_sebelum``, ``kinerja_sesudah``
        (numbers, or an ordered predikat), and ``kecamatan`` to cluster the DiD — :func:`skp_pairs`
        today, an appraisal join later.
    programs : list of str, optional
        Programs to report (default: those in ``pairs``); one without pairs gets None.
    correction : {"holm", "bh", "none"}

    Examples
    --------
    Ten participants gain 5 points on average, ten comparison staff 1 point: the DiD is 4.

    >>> before = [80.0, 82, 78, 81, 79, 80, 83, 77, 81, 79]
    >>> pairs = pd.DataFrame({"nip": [str(i) for i in range(20)], "program": ["A"] * 10 + [None] * 10,
    ...     "kelompok": ["peserta"] * 10 + ["pembanding"] * 10, "kecamatan": ["K1", "K2"] * 10,
    ...     "kinerja_sebelum": before * 2,
    ...     "kinerja_sesudah": [b + d for b, d in zip(before * 2, [5, 6, 4, 5, 6, 4, 5, 6, 4, 5,
    ...                                                              1, 1, 0, 2, 1, 1, 0, 2, 1, 1])]})
    >>> b = behaviour_levels(pairs, ["A", "B"])
    >>> b["A"]["design"], round(b["A"]["estimate"], 9), b["B"]
    ('difference_in_differences', 4.0, None)
    """
    names = program_names(pairs) if programs is None else list(programs)
    out: dict[str, dict | None] = {p: None for p in names}
    has = {"kinerja_sebelum", "kinerja_sesudah"} <= set(pairs.columns)
    if not has or not participants(pairs, ["program"])["program"].notna().any():
        return out
    found = paired_levels(pairs, "performance", correction)
    out.update({p: v for p, v in found.items() if p in out})
    return out


# --------------------------------------------------------------------------- L4 results


def _results_one(ba: BeforeAfter) -> dict:
    """The L4 level of one program from its IKM before/after."""
    trained = {r["round"]: r for r in ba.summary.to_dict("records") if r["group"] == "trained"}
    before, after = trained["before"], trained["after"]
    base = {"ikm_before": _num(before["ikm_value"]), "ikm_after": _num(after["ikm_value"]),
            "n_units": int(before["n_units"]), "unit": "ikm_points", "flags": list(ba.flags)}
    if ba.did is None:  # the trained units' IKM change (BeforeAfter.ikm_change, from the rows above)
        return {**base, "estimate": _num(after["ikm_value"] - before["ikm_value"]), "ci_low": None, "ci_high": None,
                "p_value": None, "n": int(before["n"] + after["n"]), "design": BEFORE_AFTER}
    d = ba.did.iloc[0]
    return {**base, "estimate": _num(d["estimate"]), "ci_low": _num(d["ci_low"]), "ci_high": _num(d["ci_high"]),
            "p_value": _num(d["p_value"]), "n": int(d["n"]), "design": DID,
            "n_comparison_units": len(ba.comparison_units)}


def results_levels(training: pd.DataFrame, feedback: pd.DataFrame | None, programs: list[str] | None = None,
                   correction: str = "holm") -> tuple[dict[str, dict | None], dict[str, str]]:
    """L4 per program: the IKM change of the units whose staff took part, a difference in
    differences against units without trained staff where those were surveyed in both rounds
    (standard errors clustered by unit; none below four units), p adjusted across programs.

    Returns
    -------
    (dict, dict)
        The level per program (None without data), and for those without, why (an
        ``AnalysisError`` code such as ``no_trained_units_in_survey`` or ``no_round_before``, or
        ``no_feedback``).

    Examples
    --------
    >>> levels, why = results_levels(pd.DataFrame({"program": ["A"]}), None)
    >>> levels, why
    ({'A': None}, {'A': 'no_feedback'})
    """
    names = program_names(training) if programs is None else list(programs)
    need_fb = {"tanggal", "unit_layanan"}
    need_tr = {"program", "unit_kerja", "tanggal_mulai"}
    if feedback is None or feedback.empty or not need_fb <= set(feedback.columns):
        return {p: None for p in names}, {p: "no_feedback" for p in names}
    if not need_tr <= set(training.columns):
        return {p: None for p in names}, {p: "missing_columns" for p in names}
    fb = survey(feedback)
    inputs, trained = every_program(training)
    comparison = fb.units - trained  # surveyed units with no participant in any program
    asks, why = {}, {}
    for program in names:
        units, start, end = inputs.get(program, ([], None, None))
        if not units:
            why[program] = "no_units"  # nobody's work unit is known: no service unit to survey
        elif start is None:
            why[program] = "program_without_dates"
        else:
            asks[program] = Ask(units, start, end, comparison - set(units))
    found = before_after_many(fb, asks)
    levels: dict[str, dict | None] = {}
    for program in names:
        ba = found.get(program)
        if isinstance(ba, AnalysisError):
            why[program] = ba.code
        levels[program] = _results_one(ba) if isinstance(ba, BeforeAfter) else None
    _adjust_results(levels, correction)
    return levels, why


def _adjust_results(levels: dict[str, dict | None], correction: str) -> None:
    """Adjust the L4 p-values across programs; read each level's status from its adjusted p."""
    names = [p for p, lv in levels.items() if lv is not None]
    raw = np.array([np.nan if levels[p]["p_value"] is None else levels[p]["p_value"] for p in names], dtype=float)
    adjusted = adjust_p(raw, correction) if names else raw
    for program, p in zip(names, adjusted):
        level = levels[program]
        level["p_adjusted"] = _num(p)
        tested = level["p_adjusted"] is not None
        level["status"] = effect_status(level["estimate"], level["p_adjusted"], alpha=ALPHA) if tested else DESCRIPTIVE

