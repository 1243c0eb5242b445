"""Citizen satisfaction before and after a development program, in the units whose staff took part.

The survey rounds are compared as independent samples (different respondents answer each round):

- the IKM (PermenPANRB 14/2017) of the trained units, and of units without trained staff, in the
  round before the program and the round after it;
- per element, the change of the NRR, the Mann–Whitney U test (:mod:`analysis.stats.ranks`) with
  Holm-adjusted p-values (:mod:`analysis.stats.multiplicity`) and the share of each answer level;
- per element, an ordinal logit of the answers on the round, adjusted for unit
  (:mod:`analysis.stats.ordinal`);
- the difference in differences of the respondents' scores against units without trained staff
  (Angrist & Pischke (2014), *Mastering 'Metrics*, ch. 5), with standard errors clustered by unit
  (:mod:`analysis.stats.did`; with few units the result says so: Cameron & Miller (2015),
  "A Practitioner's Guide to Cluster-Robust Inference", Journal of Human Resources 50(2)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.groups import participants
from analysis.core.periods import DEFAULT_PERIOD, PERIODS, check_period, period_bounds, period_labels
from analysis.stats.did import MIN_CLUSTERS, difference_in_differences
from analysis.stats.multiplicity import adjust_p
from analysis.stats.ordinal import ordinal_logit
from analysis.stats.ranks import mann_whitney
from analysis.voice.ikm import ELEMENT_NAMES, ELEMENTS, answers_of, ikm_table, normalise_unit

#: Below this many units (clusters) the difference in differences gets no standard error at all:
#: a cluster-robust one is not computed, and an ordinary one would pretend that the respondents of
#: one unit are independent. From 4 up to :data:`analysis.stats.did.MIN_CLUSTERS` units the result
#: carries the ``few_clusters`` flag.
MIN_CLUSTERS_FOR_SE = 4
#: An element with fewer answers than this in a round raises ``small_round``.
SMALL_ROUND = 30


@dataclass
class BeforeAfter:
    """The result of :func:`before_after` (all frames tidy, snake_case).

    ``units`` are the trained units that appear in the survey (the ones the comparison counts);
    ``units_not_surveyed`` the trained units the survey does not hold.

    ``flags``: ``no_comparison_units``, ``comparison_round_empty``, ``few_clusters`` (fewer than
    :data:`analysis.stats.did.MIN_CLUSTERS` units in the difference in differences; below
    :data:`MIN_CLUSTERS_FOR_SE` no standard error at all), ``small_round`` (an element with fewer
    than :data:`SMALL_ROUND` answers in a round), ``ordinal_separation`` (an element whose answers
    after all lie at or above those before, or the reverse: no finite odds ratio) and
    ``ordinal_fit_warning``.

    Examples
    --------
    >>> fb = pd.DataFrame({"tanggal": pd.to_datetime(["2025-02-01", "2025-08-01"] * 2),
    ...                    "unit_layanan": ["A", "A", "B", "B"],
    ...                    **{u: [3.0, 4.0, 3.0, 3.0] for u in ELEMENTS}})
    >>> r = before_after(fb, units=["A"], start="2025-05-01", end="2025-05-02")
    >>> r.ikm_change, float(r.did["did"].iloc[0]), r.flags
    (25.0, 25.0, ['few_clusters', 'small_round', 'ordinal_separation'])
    """

    program: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    before_window: tuple[pd.Timestamp, pd.Timestamp]
    after_window: tuple[pd.Timestamp, pd.Timestamp]
    units: list[str]
    comparison_units: list[str]
    summary: pd.DataFrame
    elements: pd.DataFrame
    ordinal: pd.DataFrame
    did: pd.DataFrame | None
    flags: list[str] = field(default_factory=list)
    units_not_surveyed: list[str] = field(default_factory=list)

    @property
    def ikm_change(self) -> float:
        """Change in the trained units' IKM (after − before, unrounded)."""
        s = self.summary.set_index(["group", "round"])["ikm_value"]
        return float(s[("trained", "after")] - s[("trained", "before")])

    def to_dict(self) -> dict:
        """Plain dict (frames as lists of records) for JSON output."""
        return {
            "program": self.program,
            "start": self.start, "end": self.end,
            "before_window": list(self.before_window), "after_window": list(self.after_window),
            "units": self.units, "units_not_surveyed": self.units_not_surveyed,
            "comparison_units": self.comparison_units,
            "ikm_change": self.ikm_change,
            "summary": self.summary.to_dict("records"),
            "elements": self.elements.to_dict("records"),
            "ordinal": self.ordinal.to_dict("records"),
            "did": None if self.did is None else self.did.to_dict("records")[0],
            "flags": self.flags,
        }


# --------------------------------------------------------------------------------------------
# The program: its units and dates
# --------------------------------------------------------------------------------------------

def program_units_and_dates(training: pd.DataFrame, program: str | None = None, *, all_programs: bool = False,
                            ) -> tuple[list[str], pd.Timestamp, pd.Timestamp]:
    """Units whose staff took part in ``program`` (or in any program) and its first and last day.

    The participants are the rows :func:`analysis.core.groups.participants` keeps (``kelompok``
    is not ``pembanding``); their ``unit_kerja`` names are compared as :func:`normalise_unit`
    writes them. The program starts at the earliest ``tanggal_mulai`` and ends at the latest
    ``tanggal_selesai``; a row without an end date ends on its start date.

    Parameters
    ----------
    training : DataFrame
        Canonical training rows (``program``, ``unit_kerja``, ``tanggal_mulai``, optionally
        ``tanggal_selesai`` and ``kelompok``).
    program : str, optional
        The program; may be left out when the participants took part in one program only.
    all_programs : bool
        Every participant of every program together: the units of all of them, from the first
        start to the last end (``program`` is then ignored).

    Returns
    -------
    (list of str, Timestamp, Timestamp)
        The sorted unit names, the first day and the last day.

    Examples
    --------
    >>> tr = pd.DataFrame({"program": ["Pelayanan Prima"] * 2 + ["Literasi Data"],
    ...     "kelompok": ["peserta", "Peserta", "peserta"],
    ...     "unit_kerja": ["Puskesmas A", "puskesmas  a", "Dinas Sosial"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-14", "2025-06-02"]),
    ...     "tanggal_selesai": pd.to_datetime(["2025-04-11", "2025-04-18", None])})
    >>> units, start, end = program_units_and_dates(tr, "Pelayanan Prima")
    >>> units, str(start.date()), str(end.date())
    (['puskesmas a'], '2025-04-07', '2025-04-18')
    >>> units, start, end = program_units_and_dates(tr, all_programs=True)
    >>> units, str(start.date()), str(end.date())
    (['dinas sosial', 'puskesmas a'], '2025-04-07', '2025-06-02')
    """
    need = {"program", "unit_kerja", "tanggal_mulai"}
    if not need <= set(training.columns):
        raise ValueError(f"training must have the columns {sorted(need)}, got {list(training.columns)}")
    rows = participants(training, ("program", "unit_kerja", "tanggal_mulai", "tanggal_selesai"))
    if all_programs:
        if rows.empty:
            raise AnalysisError("no_participants", "Data pelatihan tidak memuat peserta program.",
                                "The training data hold no program participants.")
        name = None
    else:
        name = _one_program(rows, program)
        rows = rows[rows["program"].astype("str") == name]
        if rows.empty:
            raise AnalysisError("unknown_program", f"Program '{name}' tidak ada di data pelatihan.",
                                f"Program '{name}' is not in the training data.")
    units, start, end = _units_and_dates(rows)
    if start is None:
        raise _without_dates(name)
    return units, start, end


def _units_and_dates(rows: pd.DataFrame) -> tuple[list[str], pd.Timestamp | None, pd.Timestamp | None]:
    """The participant ``rows``' units (normalised, sorted), first day and last day (None without a start)."""
    units = sorted({u for u in map(normalise_unit, rows["unit_kerja"].unique()) if u})  # once per distinct name
    starts, ends = _starts_and_ends(rows)
    start = starts.min()
    if pd.isna(start):
        return units, None, None
    return units, pd.Timestamp(start).normalize(), pd.Timestamp(ends.max()).normalize()


def _starts_and_ends(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's first and last day; a row without an end date ends on its start date."""
    starts = pd.to_datetime(rows["tanggal_mulai"], errors="coerce")
    ends = pd.to_datetime(rows["tanggal_selesai"], errors="coerce").fillna(starts) if "tanggal_selesai" in rows \
        else starts
    return starts, ends


def _without_dates(name: str | None) -> AnalysisError:
    shown_id, shown_en = (f"Program '{name}'", f"Program '{name}'") if name else ("Program", "The programs")
    return AnalysisError("program_without_dates", f"{shown_id} tidak memiliki tanggal mulai.",
                         f"{shown_en} {'has' if name else 'have'} no start date.")


def _one_program(rows: pd.DataFrame, program: str | None) -> str:
    """``program``, or the only program of the participant ``rows``."""
    if program is not None:
        return program
    programs = sorted(rows["program"].dropna().astype(str).unique())
    if len(programs) != 1:
        raise AnalysisError(
            "program_required",
            f"Pilih satu program; data memuat {len(programs)} program: {', '.join(programs[:10])}.",
            f"Choose one program; the data hold {len(programs)}: {', '.join(programs[:10])}.",
        )
    return programs[0]


@dataclass
class _Program:
    """Who was trained and when: the trained units, the program's dates, every trained unit."""

    units: list[str]
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    all_trained: set[str]


@dataclass(frozen=True)
class Survey:
    """Feedback rows read once for :func:`before_after` (its first argument may be one): the rows
    with ``_unit`` (:func:`normalise_unit`) and ``_date``, the nine answers, and who answered any.
    Asking about several programs, prepare it once with :func:`survey`."""

    rows: pd.DataFrame
    answers: pd.DataFrame
    answered: pd.Series

    @cached_property
    def present(self) -> np.ndarray:
        """Whether each respondent answered each element (one column per element)."""
        return self.answers.notna().to_numpy()

    @property
    def units(self) -> set[str]:
        """Every surveyed unit (normalised)."""
        return set(self.rows["_unit"].dropna().unique())


def survey(feedback: pd.DataFrame) -> Survey:
    """The :class:`Survey` of canonical feedback rows (``tanggal``, ``unit_layanan``, ``u1``…``u9``).

    Examples
    --------
    >>> s = survey(pd.DataFrame({"tanggal": ["2025-02-01"], "unit_layanan": [" Unit  A"],
    ...                          **{u: [3] for u in ELEMENTS}}))
    >>> s.units, s.answers["u1"].tolist(), s.answered.tolist()
    ({'unit a'}, [3.0], [True])
    """
    feedback = feedback.reset_index(drop=True)
    answers = answers_of(feedback)
    for col in ("tanggal", "unit_layanan"):
        if col not in feedback.columns:
            raise ValueError(f"feedback must have a {col} column")
    rows = feedback.assign(_unit=feedback["unit_layanan"].map(normalise_unit),
                           _date=pd.to_datetime(feedback["tanggal"], errors="coerce"))
    return Survey(rows, answers, answers.notna().any(axis=1))


def _program(training, program, units, start, end, before, all_programs) -> _Program:
    """The trained units and the program's dates, from ``training`` unless given."""
    prog_start = prog_end = None
    prog_units: list[str] = []
    all_trained: set[str] = set()
    if training is not None:
        if units is None or (start is None and before is None):
            prog_units, prog_start, prog_end = program_units_and_dates(training, program, all_programs=all_programs)
        trained_units = participants(training, ["unit_kerja"])["unit_kerja"].unique()
        all_trained = {u for u in map(normalise_unit, trained_units) if u}
    if units is not None:
        prog_units = sorted({u for u in map(normalise_unit, units) if u})
    if start is not None:
        prog_start = pd.Timestamp(start).normalize()
    if end is not None:
        prog_end = pd.Timestamp(end).normalize()
    elif prog_end is None and prog_start is not None:
        prog_end = prog_start
    if not prog_units:
        raise ValueError("units must name at least one unit, or training and program must be given")
    return _Program(prog_units, prog_start, prog_end, all_trained)


# --------------------------------------------------------------------------------------------
# The survey: trained and comparison units, the rounds
# --------------------------------------------------------------------------------------------

def _trained_and_comparison(fb: pd.DataFrame, prog: _Program, comparison_units,
                            training) -> tuple[pd.Series, pd.Series, set[str]]:
    """Masks of the respondents of trained and of comparison units, and the comparison units.

    Comparison units: ``comparison_units`` if given; else, with ``training``, the surveyed units
    with no participant in any program; else every other surveyed unit.
    """
    is_treated = fb["_unit"].isin(prog.units)
    if not is_treated.any():
        raise AnalysisError(
            "no_trained_units_in_survey",
            "Tidak ada unit layanan di data survei yang sama dengan unit kerja peserta program "
            f"({', '.join(prog.units[:5])}). Periksa penulisan nama unit.",
            "No service unit in the survey matches the participants' work units "
            f"({', '.join(prog.units[:5])}). Check how the unit names are written.",
        )
    if comparison_units is not None:
        comp = {u for u in map(normalise_unit, comparison_units) if u} - set(prog.units)
    elif training is not None:
        comp = set(fb["_unit"].dropna().unique()) - prog.all_trained - set(prog.units)
    else:
        comp = set(fb["_unit"].dropna().unique()) - set(prog.units)
    return is_treated, fb["_unit"].isin(comp), comp


def _window(spec, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A survey round given as a period label or a ``(first day, last day)`` pair."""
    if isinstance(spec, str):
        return period_bounds(spec)
    try:
        lo, hi = spec
        lo, hi = pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a period label such as '2025-Q1' or a (start, end) pair, got {spec!r}") from None
    if hi < lo:
        raise ValueError(f"{name} must end on or after its start, got {spec!r}")
    return lo, hi


def _rounds(labels: pd.Series, is_treated: pd.Series, prog: _Program, before, after,
            ) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """The before and after windows: as given, or the last period (``labels``: each respondent's)
    with answers of the trained units that ended before the program started and the first that
    began after it ended."""
    surveyed = sorted(set(labels[is_treated].dropna().unique()))
    if before is not None:
        w_before = _window(before, "before")
    else:
        if prog.start is None:
            raise ValueError("start (or training with dates, or before/after) must be given")
        prior = [lab for lab in surveyed if period_bounds(lab)[1] < prog.start]
        if not prior:
            raise AnalysisError("no_round_before", "Tidak ada putaran survei unit peserta sebelum program dimulai.",
                                "No survey round of the trained units before the program started.")
        w_before = period_bounds(prior[-1])
    if after is not None:
        w_after = _window(after, "after")
    else:
        if prog.end is None:
            raise ValueError("end (or training with dates, or before/after) must be given")
        later = [lab for lab in surveyed if period_bounds(lab)[0] > prog.end]
        if not later:
            raise AnalysisError("no_round_after", "Tidak ada putaran survei unit peserta setelah program selesai.",
                                "No survey round of the trained units after the program ended.")
        w_after = period_bounds(later[0])
    if w_before[1] >= w_after[0]:
        raise ValueError(f"before must end before after starts, got {w_before} and {w_after}")
    return w_before, w_after


@lru_cache(maxsize=256)
def _round_label(window: tuple[pd.Timestamp, pd.Timestamp], period: str) -> str:
    """The period label when the window is exactly one period (the round's own kind first), else
    the ISO interval ``start/end``."""
    for kind in (period,) + PERIODS:
        lab = period_labels(pd.Series([window[0]]), kind).iloc[0]
        if period_bounds(lab) == window:
            return lab
    return f"{window[0].date()}/{window[1].date()}"


# --------------------------------------------------------------------------------------------
# The comparisons
# --------------------------------------------------------------------------------------------

@dataclass
class _Plan:
    """One comparison as the survey allows it, before any statistic: the program, the respondents
    of trained and of comparison units, and the two rounds."""

    prog: _Program
    is_treated: pd.Series
    is_comp: pd.Series
    comp: set[str]
    w_before: tuple[pd.Timestamp, pd.Timestamp]
    w_after: tuple[pd.Timestamp, pd.Timestamp]
    in_before: pd.Series
    in_after: pd.Series

    @property
    def groups(self) -> list[tuple[str, pd.Series]]:
        return [("trained", self.is_treated)] + ([("comparison", self.is_comp)] if self.is_comp.any() else [])

    @property
    def rounds(self) -> list[tuple[str, pd.Series, tuple]]:
        return [("before", self.in_before, self.w_before), ("after", self.in_after, self.w_after)]


def _plan(fb: pd.DataFrame, labels: pd.Series, training, program, units, comparison_units, start, end, before,
          after, all_programs: bool) -> _Plan:
    """Who is compared with whom, and in which rounds (``labels``: each respondent's survey period);
    ``AnalysisError`` when the survey cannot tell."""
    prog = _program(training, program, units, start, end, before, all_programs)
    treated, compared, comp = _trained_and_comparison(fb, prog, comparison_units, training)
    w_before, w_after = _rounds(labels, treated, prog, before, after)
    return _Plan(prog, treated, compared, comp, w_before, w_after,
                 fb["_date"].between(*w_before), fb["_date"].between(*w_after))


def _cells(plan: _Plan, answered: pd.Series) -> np.ndarray:
    """Each respondent's cell, ``"group|round"`` (None outside them, or without an answer)."""
    cell = np.full(len(answered), None, dtype=object)
    for gname, gmask in plan.groups:  # the groups are disjoint, and so are the rounds
        for rname, rmask, _ in plan.rounds:
            cell[(gmask & rmask & answered).to_numpy()] = f"{gname}|{rname}"
    return cell


def _cell_answers(fb: pd.DataFrame, cell: np.ndarray) -> pd.DataFrame:
    """The answers of the respondents in a cell, and the cell (``_cell``): what ``ikm_table`` reads."""
    kept = cell != None  # noqa: E711 - elementwise
    return fb.loc[kept, list(ELEMENTS)].assign(_cell=cell[kept])


def _summary(fb: pd.DataFrame, plan: _Plan, cell: np.ndarray, table: Mapping[str, dict], period: str) -> pd.DataFrame:
    """The IKM of each group (trained, comparison) in each round, from ``table``: the ``ikm_table``
    row of each cell that holds anyone, by cell."""
    units = fb["_unit"].to_numpy(dtype=object)
    rows = []
    for gname, _ in plan.groups:
        for rname, _, w in plan.rounds:
            key = f"{gname}|{rname}"
            t = table.get(key)
            row = {"group": gname, "round": rname, "periode": _round_label(w, period),
                   "window_start": w[0], "window_end": w[1],
                   "n_units": len({u for u in units[cell == key] if isinstance(u, str)}), "n": int(t["n"]) if t else 0}
            for u in ELEMENTS:
                row[f"nrr_{u}"] = t[f"nrr_{u}"] if t else np.nan
            row.update(ikm_value=t["ikm_value"] if t else np.nan, ikm=t["ikm"] if t else np.nan,
                       grade=t["grade"] if t else None, label=t["label"] if t else None)
            rows.append(row)
    if rows[0]["n"] == 0 or rows[1]["n"] == 0:  # the trained units' before and after rounds
        raise AnalysisError("empty_round", "Putaran sebelum atau sesudah tidak memiliki responden dari unit peserta.",
                            "The before or the after round has no respondents from the trained units.")
    return pd.DataFrame(rows)


def _elements(answers: pd.DataFrame, before_rows: pd.Index, after_rows: pd.Index, lang: str) -> pd.DataFrame:
    """Per element: the change of the mean answer, Mann–Whitney U with Holm-adjusted p, and the
    share of each answer level in each round (trained units)."""
    rows = []
    for u in ELEMENTS:
        xb = answers.loc[before_rows, u].dropna()
        xa = answers.loc[after_rows, u].dropna()
        mw = mann_whitney(xa, xb)
        row = {"element": u, "name": ELEMENT_NAMES[u][1 if lang == "en" else 0],
               "n_before": len(xb), "n_after": len(xa),
               "nrr_before": xb.mean() if len(xb) else np.nan,
               "nrr_after": xa.mean() if len(xa) else np.nan}
        row["change"] = row["nrr_after"] - row["nrr_before"]
        row.update(u_statistic=mw["u_statistic"], p_value=mw["p_value"], method=mw["method"],
                   rank_biserial=mw["rank_biserial"])
        for lvl in (1, 2, 3, 4):
            row[f"share_{lvl}_before"] = float((xb == lvl).mean()) if len(xb) else np.nan
        for lvl in (1, 2, 3, 4):
            row[f"share_{lvl}_after"] = float((xa == lvl).mean()) if len(xa) else np.nan
        rows.append(row)
    elements = pd.DataFrame(rows)
    elements.insert(elements.columns.get_loc("p_value") + 1, "p_holm",
                    adjust_p(elements["p_value"].to_numpy(float), "holm"))
    return elements


def answer_counts(before: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """Per element, how many answered it before and after (``before``, ``after``: whether each
    respondent of the round answered each element, one column per element): ``elements`` when no
    test was asked for.

    Examples
    --------
    >>> answer_counts(np.ones((2, 9), dtype=bool), np.zeros((0, 9), dtype=bool)).head(2).to_dict("records")
    [{'element': 'u1', 'n_before': 2, 'n_after': 0}, {'element': 'u2', 'n_before': 2, 'n_after': 0}]
    """
    return pd.DataFrame({"element": list(ELEMENTS), "n_before": before.sum(axis=0, dtype=np.int64),
                         "n_after": after.sum(axis=0, dtype=np.int64)})


def _trained_counts(prepared: Survey, plan: _Plan) -> pd.DataFrame:
    """:func:`answer_counts` of the trained units' respondents in the two rounds: ``elements``
    without tests."""
    return answer_counts(prepared.present[(plan.is_treated & plan.in_before).to_numpy()],
                         prepared.present[(plan.is_treated & plan.in_after).to_numpy()])


def _ordinal(answers: pd.DataFrame, both: pd.DataFrame) -> pd.DataFrame:
    """Per element: the ordinal logit of the answers on the round, adjusted for unit."""
    rows = []
    for u in ELEMENTS:
        y = answers.loc[both.index, u]
        r = ordinal_logit(y.to_numpy(), both["_after"].to_numpy(), both["_unit"].to_numpy())
        r["n_units"] = int(both.loc[y.notna().to_numpy(), "_unit"].nunique())
        rows.append({"element": u, **r})
    return pd.DataFrame(rows)


def _respondent_score(answers: pd.DataFrame) -> pd.Series:
    """25 × the respondent's mean answer: the respondent's own index on the 25–100 scale. Its group
    mean equals the IKM when nobody skipped an element."""
    return 25 * answers.mean(axis=1)


def _did_frame(fb: pd.DataFrame, answers: pd.DataFrame, plan: _Plan, answered: pd.Series) -> pd.DataFrame:
    """The respondents of both groups in both rounds for the regression: ``score``
    (:func:`_respondent_score`), ``treated``, ``after`` and ``unit``."""
    frame = fb[(plan.is_treated | plan.is_comp) & (plan.in_before | plan.in_after) & answered]
    return pd.DataFrame({
        "score": _respondent_score(answers.loc[frame.index]),
        "treated": plan.is_treated[frame.index],
        "after": plan.in_after[frame.index],
        "unit": frame["_unit"],
    })


def _without_did(plan: _Plan, summary: pd.DataFrame) -> str | None:
    """Why there is no difference in differences (its flag), or None."""
    if not plan.is_comp.any():
        return "no_comparison_units"
    if not summary.loc[summary["group"] == "comparison", "n"].all():
        return "comparison_round_empty"
    return None


def _did(frame: pd.DataFrame, res: pd.Series, summary: pd.DataFrame) -> pd.DataFrame:
    """The IKM changes of both groups, their difference, and ``res``: the regression of ``frame``
    (a ``difference_in_differences`` row, clustered by unit; below :data:`MIN_CLUSTERS_FOR_SE` units
    only the point estimate)."""
    reg = {"estimate": float(res["did"]), "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
           "n": int(len(frame)), "n_clusters": int(frame["unit"].nunique())}
    if reg["n_clusters"] >= MIN_CLUSTERS_FOR_SE and np.isfinite(reg["estimate"]):
        reg.update(se=float(res["se"]), ci_low=float(res["ci_low"]), ci_high=float(res["ci_high"]),
                   p_value=float(res["p_value"]))
    ikm = summary.set_index(["group", "round"])["ikm_value"]
    ch_t = ikm[("trained", "after")] - ikm[("trained", "before")]
    ch_c = ikm[("comparison", "after")] - ikm[("comparison", "before")]
    return pd.DataFrame([{
        "ikm_trained_before": ikm[("trained", "before")],
        "ikm_trained_after": ikm[("trained", "after")],
        "ikm_comparison_before": ikm[("comparison", "before")],
        "ikm_comparison_after": ikm[("comparison", "after")],
        "change_trained": ch_t, "change_comparison": ch_c, "did": ch_t - ch_c, **reg,
        "few_clusters": reg["n_clusters"] < MIN_CLUSTERS,
    }])


def _result(program, fb: pd.DataFrame, plan: _Plan, summary: pd.DataFrame, elements: pd.DataFrame,
            fits: pd.DataFrame, did: pd.DataFrame | None, flags: list[str]) -> BeforeAfter:
    """The :class:`BeforeAfter` of a comparison: ``flags`` so far, then ``few_clusters`` and the
    quality flags."""
    if did is not None and did["few_clusters"].iloc[0]:
        flags = flags + ["few_clusters"]
    flags = flags + _quality_flags(elements, fits)
    surveyed = sorted({u for u in fb["_unit"].to_numpy(dtype=object)[plan.is_treated.to_numpy()] if isinstance(u, str)})
    return BeforeAfter(program=program, start=plan.prog.start, end=plan.prog.end, before_window=plan.w_before,
                       after_window=plan.w_after, units=surveyed, comparison_units=sorted(plan.comp),
                       summary=summary, elements=elements, ordinal=fits, did=did, flags=flags,
                       units_not_surveyed=sorted(set(plan.prog.units) - set(surveyed)))


#: ``ordinal`` when no fit was asked for.
NO_FITS = pd.DataFrame({"element": pd.Series(dtype="str"), "note": pd.Series(dtype="str")})


def _quality_flags(elements: pd.DataFrame, ordinal: pd.DataFrame) -> list[str]:
    """Small rounds and ordinal fits without a finite or trusted estimate."""
    flags = []
    if (np.minimum(elements["n_before"].to_numpy(), elements["n_after"].to_numpy()) < SMALL_ROUND).any():
        flags.append("small_round")
    if ordinal.empty:  # no fit asked for
        return flags
    if ordinal["note"].eq("separation").any():
        flags.append("ordinal_separation")
    if ordinal["note"].fillna("").str.startswith("fit_").any():
        flags.append("ordinal_fit_warning")
    return flags


def before_after(
    feedback: pd.DataFrame | Survey,
    *,
    training: pd.DataFrame | None = None,
    program: str | None = None,
    all_programs: bool = False,
    units: Iterable[str] | None = None,
    comparison_units: Iterable[str] | None = None,
    start=None,
    end=None,
    before=None,
    after=None,
    period: str = DEFAULT_PERIOD,
    lang: str = "id",
    ordinal: bool = True,
    tests: bool = True,
) -> BeforeAfter:
    """IKM before vs after a program for the units whose staff took part.

    The trained units are the feedback ``unit_layanan`` values that equal, after case folding and
    collapsing spaces (:func:`normalise_unit`), the ``unit_kerja`` of the program's participants
    (:func:`program_units_and_dates`) — or the ``units`` given. The *before* round is the last
    survey period (``period``) that ended before the program started, the *after* round the first
    that began after it ended (periods in which those units have answers), unless
    ``before``/``after`` are given. Comparison units: ``comparison_units`` if given; else, with
    ``training``, the surveyed units with no participant in any program; else every other surveyed
    unit.

    Parameters
    ----------
    feedback : DataFrame or Survey
        Canonical feedback rows (``tanggal``, ``unit_layanan``, ``u1``…``u9``), or their
        :func:`survey` when several programs are asked about.
    training : DataFrame, optional
        Canonical training rows, to find the program's units and dates.
    program : str, optional
        The program (needed when ``training`` holds several).
    all_programs : bool
        Every program together: the units of all participants, from the first start to the last end.
    units, comparison_units : iterable of str, optional
        Unit names, matched like ``unit_kerja``; override what ``training`` gives.
    start, end : date-like, optional
        Program start and end; override ``training``.
    before, after : str or (start, end), optional
        The survey rounds as a period label (``"2025-Q1"``) or a date range (inclusive).
    period : {"month", "quarter", "semester", "year"}
        What a survey round is when the rounds are found from the program's dates.
    ordinal : bool
        Fit the ordinal logit per element (nine maximum-likelihood fits, most of the time taken).
        ``False`` leaves ``ordinal`` empty, for callers that need the IKM and its difference in
        differences only (the follow-up scorecard, for every program at once).
    tests : bool
        Test each element (Mann–Whitney U, answer shares). ``False`` leaves ``elements`` with the
        answer counts only (``element``, ``n_before``, ``n_after``: what ``small_round`` reads).

    Returns
    -------
    BeforeAfter
        ``summary`` (IKM per group × round), ``elements`` (NRR change, Mann–Whitney U with Holm-
        adjusted p, share of each answer level), ``ordinal`` (odds ratio after vs before per
        element, adjusted for unit), ``did`` (difference in differences, or None) and ``flags``.

    Examples
    --------
    Four respondents per unit and round; each gives one answer to all nine elements.

    >>> def survey(unit, day, answers):
    ...     return pd.DataFrame({"tanggal": pd.Timestamp(day), "unit_layanan": unit,
    ...                          **{u: [float(a) for a in answers] for u in ELEMENTS}})
    >>> fb = pd.concat([survey("Puskesmas A", "2025-02-10", [3, 3, 2, 3]),
    ...                 survey("Puskesmas A", "2025-08-10", [4, 3, 4, 4]),
    ...                 survey("Puskesmas B", "2025-02-10", [3, 3, 3, 3]),
    ...                 survey("Puskesmas B", "2025-08-10", [3, 3, 3, 4])])
    >>> r = before_after(fb, units=["puskesmas a"], start="2025-04-07", end="2025-04-18")
    >>> r.summary[["group", "round", "periode", "n", "ikm", "grade"]]
            group   round  periode  n    ikm grade
    0     trained  before  2025-Q1  4  68.75     C
    1     trained   after  2025-Q3  4  93.75     A
    2  comparison  before  2025-Q1  4  75.00     C
    3  comparison   after  2025-Q3  4  81.25     B
    >>> float(r.did["did"].iloc[0])       # (93.75 − 68.75) − (81.25 − 75.00)
    18.75
    """
    check_period(period)
    prepared = feedback if isinstance(feedback, Survey) else survey(feedback)
    fb, answers, answered = prepared.rows, prepared.answers, prepared.answered
    plan = _plan(fb, period_labels(fb["_date"], period), training, program, units, comparison_units, start, end,
                 before, after, all_programs)
    cell = _cells(plan, answered)
    cells = _cell_answers(fb, cell)
    table = ikm_table(cells, by="_cell", lang=lang, interval=False).set_index("_cell").to_dict("index") \
        if len(cells) else {}
    summary = _summary(fb, plan, cell, table, period)
    trained_before, trained_after = fb[plan.is_treated & plan.in_before], fb[plan.is_treated & plan.in_after]
    elements = _elements(answers, trained_before.index, trained_after.index, lang) if tests \
        else _trained_counts(prepared, plan)
    if ordinal:
        fits = _ordinal(answers, pd.concat([trained_before.assign(_after=False), trained_after.assign(_after=True)]))
    else:
        fits = NO_FITS.copy()
    why_not = _without_did(plan, summary)
    did = None
    if why_not is None:
        frame = _did_frame(fb, answers, plan, answered)
        did = _did(frame, difference_in_differences(frame, "score", "treated", "after", cluster="unit").iloc[0],
                   summary)
    return _result(program, fb, plan, summary, elements, fits, did, [why_not] if why_not else [])


def unit_change(feedback: pd.DataFrame, units, before: tuple, after: tuple, lang: str = "id") -> pd.DataFrame:
    """IKM of each unit in the round before and the round after a program (the dumbbell chart):
    ``unit_layanan, ikm_before, n_before, ikm_after, n_after`` for the units surveyed in both.

    ``units`` are names as :func:`normalise_unit` writes them; ``before`` and ``after`` are
    ``(first day, last day)`` of each round.

    Examples
    --------
    >>> fb = pd.DataFrame({"unit_layanan": ["Puskesmas A"] * 4, "tanggal": pd.to_datetime(
    ...     ["2025-02-01", "2025-02-02", "2025-10-01", "2025-10-02"]),
    ...     **{u: [3.0, 3.0, 4.0, 4.0] for u in ELEMENTS}})
    >>> unit_change(fb, [normalise_unit("Puskesmas A")], ("2025-01-01", "2025-03-31"),
    ...             ("2025-10-01", "2025-12-31")).to_dict("records")
    [{'unit_layanan': 'Puskesmas A', 'ikm_before': 75.0, 'n_before': 2, 'ikm_after': 100.0, 'n_after': 2}]
    """
    columns = ["unit_layanan", "ikm_before", "n_before", "ikm_after", "n_after"]
    fb = feedback.assign(_unit=feedback["unit_layanan"].map(normalise_unit),
                         _date=pd.to_datetime(feedback["tanggal"], errors="coerce"))
    fb = fb[fb["_unit"].isin(set(units))]
    sides = {}
    for name, (lo, hi) in (("before", before), ("after", after)):
        part = fb[fb["_date"].between(pd.Timestamp(lo), pd.Timestamp(hi))]
        if part.empty:
            return pd.DataFrame(columns=columns)
        table = ikm_table(part, by="_unit", lang=lang)
        sides[name] = table[["_unit", "ikm", "n"]].rename(columns={"ikm": f"ikm_{name}", "n": f"n_{name}"})
    both = sides["before"].merge(sides["after"], on="_unit", how="inner")
    names = fb.groupby("_unit")["unit_layanan"].agg(lambda s: s.mode().iloc[0])
    both.insert(0, "unit_layanan", both["_unit"].map(names).astype("str"))
    return both.drop(columns="_unit").reset_index(drop=True)[columns]
