"""The IKM before and after of many programs at once: what the follow-up scorecard asks for every
program of every view (its L4).

:func:`before_after_many` gives, for each program, what
:func:`analysis.voice.before_after.before_after` gives with ``ordinal=False, tests=False`` — the
same comparison, found the same way (:func:`analysis.voice.before_after._plan`) and summarised by
the same code — but it computes the IKM of every program's cells in one ``ikm_table`` call and the
difference in differences of every program in one ``difference_in_differences`` call (grouped by
program: each program's estimate and clustered standard error are its own), instead of one call of
each per program.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.groups import participants
from analysis.core.periods import DEFAULT_PERIOD, check_period, period_labels
from analysis.stats.did import difference_in_differences
from analysis.voice.before_after import (
    NO_FITS, BeforeAfter, Survey, _cells, _did, _did_frame, _plan, _result, _starts_and_ends, _summary,
    _trained_counts, _without_did,
)
from analysis.voice.ikm import ELEMENTS, ikm_table, normalise_unit


#: The training columns :func:`every_program` reads.
EVERY_PROGRAM_COLUMNS = ("program", "unit_kerja", "tanggal_mulai", "tanggal_selesai", "kelompok")


def every_program(training: pd.DataFrame) -> tuple[dict[str, tuple[list[str], pd.Timestamp | None,
                                                                   pd.Timestamp | None]], set[str]]:
    """:func:`analysis.voice.before_after.program_units_and_dates` of every program at once (the
    start and end are None for a program without a start date), and the units of every participant:
    what :func:`before_after_many` takes as each program's ``units``, ``start``, ``end`` and, less
    those, ``comparison_units``.

    Examples
    --------
    >>> tr = pd.DataFrame({"program": ["A", "A", "B"], "unit_kerja": ["Unit 1", "unit  1", "Unit 2"],
    ...                    "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-14", None])})
    >>> found, trained = every_program(tr)
    >>> found["A"][0], str(found["A"][2].date()), found["B"], sorted(trained)
    (['unit 1'], '2025-04-14', (['unit 2'], None, None), ['unit 1', 'unit 2'])
    """
    rows = participants(training, EVERY_PROGRAM_COLUMNS)
    key = rows["program"].astype("str")
    starts, ends = _starts_and_ends(rows)
    # Aggregates per program, not a copy of each program's rows: the first day, the last day, and
    # each distinct (program, unit) pair, its unit normalised once per distinct name.
    days = pd.DataFrame({"start": starts, "end": ends}).groupby(key, sort=False, observed=True).agg(
        start=("start", "min"), end=("end", "max"))
    names = {u: normalise_unit(u) for u in rows["unit_kerja"].dropna().unique()}
    pairs = pd.DataFrame({"program": key, "unit": rows["unit_kerja"]}).dropna().drop_duplicates()
    units: dict[str, set[str]] = {}
    for name, unit in zip(pairs["program"].tolist(), pairs["unit"].tolist()):
        if names[unit]:
            units.setdefault(name, set()).add(names[unit])
    found = {}
    for name, start, end in zip(days.index.tolist(), days["start"].tolist(), days["end"].tolist()):
        program_units = sorted(units.get(name, ()))
        found[str(name)] = (program_units, None, None) if pd.isna(start) else \
            (program_units, pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize())
    trained = {u for u in names.values() if u}
    return found, trained


@dataclass(frozen=True)
class Ask:
    """One program's question: its units, first and last day, and the comparison units."""

    units: Iterable[str]
    start: object
    end: object
    comparison_units: Iterable[str]


def before_after_many(survey: Survey, asks: Mapping[Hashable, Ask], period: str = DEFAULT_PERIOD,
                      lang: str = "id") -> dict[Hashable, BeforeAfter | AnalysisError]:
    """Per key of ``asks``, the :class:`~analysis.voice.before_after.BeforeAfter` that
    ``before_after(survey, units=…, start=…, end=…, comparison_units=…, period=period, lang=lang,
    ordinal=False, tests=False)`` returns, or the ``AnalysisError`` it raises.

    Examples
    --------
    >>> from analysis.voice.before_after import before_after, survey
    >>> from analysis.voice.ikm import ELEMENTS
    >>> fb = survey(pd.DataFrame({"tanggal": pd.to_datetime(["2025-02-01", "2025-08-01"] * 2),
    ...                           "unit_layanan": ["A", "A", "B", "B"], **{u: [3.0, 4.0, 3.0, 3.0] for u in ELEMENTS}}))
    >>> found = before_after_many(fb, {"p": Ask(["A"], "2025-05-01", "2025-05-02", ["B"]),
    ...                                "q": Ask(["C"], "2025-05-01", "2025-05-02", ["B"])})
    >>> found["p"].ikm_change, float(found["p"].did["did"].iloc[0]), found["q"].code
    (25.0, 25.0, 'no_trained_units_in_survey')
    """
    check_period(period)
    fb, answers, answered = survey.rows, survey.answers, survey.answered
    out: dict[Hashable, BeforeAfter | AnalysisError] = {}
    plans, cells = {}, {}
    labels = period_labels(fb["_date"], period)
    for key, ask in asks.items():
        try:
            plans[key] = _plan(fb, labels, None, None, ask.units, ask.comparison_units, ask.start, ask.end, None,
                               None, False)
        except AnalysisError as err:
            out[key] = err
            continue
        cells[key] = _cells(plans[key], answered)
    tables = _ikm_of_cells(fb, cells, lang)
    summaries, frames = {}, {}
    for key, plan in plans.items():
        try:
            summaries[key] = _summary(fb, plan, cells[key], tables[key], period)
        except AnalysisError as err:
            out[key] = err
            continue
        if _without_did(plan, summaries[key]) is None:
            frames[key] = _did_frame(fb, answers, plan, answered)
    regressions = _regressions(frames)
    for key, summary in summaries.items():
        plan = plans[key]
        elements = _trained_counts(survey, plan)
        why_not = _without_did(plan, summary)
        did = None if why_not else _did(frames[key], regressions[key], summary)
        out[key] = _result(None, fb, plan, summary, elements, NO_FITS.copy(), did, [why_not] if why_not else [])
    return {key: out[key] for key in asks}


def _ikm_of_cells(fb: pd.DataFrame, cells: dict, lang: str) -> dict[Hashable, dict[str, dict]]:
    """Per key, the ``ikm_table`` row of each of its cells that holds anyone, by cell, from one
    call over every key."""
    keys = list(cells)
    out: dict[Hashable, dict[str, dict]] = {key: {} for key in keys}
    at, key_of, cell_of = [], [], []
    for i, cell in enumerate(cells.values()):
        kept = np.flatnonzero(cell != None)  # noqa: E711 - elementwise
        at.append(kept)
        key_of.append(np.full(len(kept), i))
        cell_of.append(cell[kept])
    at = np.concatenate(at) if at else np.zeros(0, dtype=int)
    if not len(at):
        return out
    rows = fb[list(ELEMENTS)].iloc[at].reset_index(drop=True).assign(_key=np.concatenate(key_of),
                                                                    _cell=np.concatenate(cell_of))
    table = ikm_table(rows, by=["_key", "_cell"], lang=lang, interval=False)
    for row in table.to_dict("records"):
        out[keys[row.pop("_key")]][row.pop("_cell")] = row
    return out


def _regressions(frames: dict) -> dict:
    """Per key, the ``difference_in_differences`` row of its frame, from one call grouped by key."""
    if not frames:
        return {}
    keys = list(frames)
    long = pd.concat([f.assign(_key=i) for i, f in enumerate(frames.values())], ignore_index=True)
    table = difference_in_differences(long, "score", "treated", "after", cluster="unit", by=["_key"])
    return {keys[int(row["_key"])]: row for _, row in table.iterrows()}
