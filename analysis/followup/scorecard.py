"""The scorecard: each program's four levels, its recommendation and the reasons, in one object.

:func:`compute_levels` does the statistics (the slow part: the IKM before/after of every program);
:func:`apply_rules` adds the recommendation (fast, so the app caches the first and reruns the
second when an administrator edits the rules); :func:`scorecard` does both. :meth:`Scorecard.to_dict`
is what ``python -m analysis followup --json`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.followup.levels import (
    LEVELS,
    behaviour_levels,
    learning_levels,
    participant_counts,
    program_names,
    reaction_levels,
    results_levels,
    skp_pairs,
)
from analysis.followup.recommend import default_rules, recommend
from analysis.rules.engine import Match, RuleSet
from analysis.stats.multiplicity import CORRECTIONS


@dataclass(frozen=True)
class LevelTable:
    """The four levels of every program (before any rule is applied).

    ``levels[program][level]`` is a dict (:mod:`analysis.followup.levels`) or None;
    ``missing[program][level]`` says why a level has no data where known (e.g. ``no_round_before``).
    """

    programs: tuple[str, ...]
    n_participants: dict[str, int]
    levels: dict[str, dict[str, dict | None]]
    missing: dict[str, dict[str, str]] = field(default_factory=dict)
    correction: str = "holm"


@dataclass(frozen=True)
class ProgramCard:
    """One program's row: its levels, the rule that fired and the reasons."""

    program: str
    n_participants: int
    levels: dict[str, dict | None]
    match: Match
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def recommendation(self) -> str:
        return self.match.outcome

    @property
    def rule(self) -> str:
        return self.match.rule.id

    def to_dict(self) -> dict:
        """The program's object in the JSON of ``python -m analysis followup``."""
        return {"program": self.program, "n_participants": self.n_participants,
                "levels": {name: self.levels.get(name) for name in LEVELS},
                "recommendation": self.recommendation, "rule": self.rule,
                "reasons_id": self.match.reason_id, "reasons_en": self.match.reason_en}


@dataclass(frozen=True)
class Scorecard:
    """Every program's card and the rules that made the recommendations."""

    programs: tuple[ProgramCard, ...]
    rules: RuleSet
    correction: str = "holm"

    def to_dict(self) -> dict:
        """``{"rules": {"source", "rules"}, "programs": [...]}``."""
        return {"rules": self.rules.to_dict(), "programs": [p.to_dict() for p in self.programs]}

    def card(self, program: str) -> ProgramCard | None:
        """The card of ``program``, or None."""
        return next((p for p in self.programs if p.program == program), None)


def compute_levels(training: pd.DataFrame, feedback: pd.DataFrame | None = None, *, correction: str = "holm",
                   behaviour_pairs: pd.DataFrame | None = None) -> LevelTable:
    """The four Kirkpatrick levels of every program with participants in ``training``.

    Parameters
    ----------
    training : pandas.DataFrame
        Canonical training rows (participants and comparison staff).
    feedback : pandas.DataFrame, optional
        Canonical SKM rows, for L4; without them L4 has no data.
    correction : {"holm", "bh", "none"}
        Adjustment of each level's p-values across the programs.
    behaviour_pairs : pandas.DataFrame, optional
        The person-level before/after frame of job performance for L3
        (:func:`analysis.followup.levels.behaviour_levels`); default: the training file's SKP
        columns (:func:`analysis.followup.levels.skp_pairs`).

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 12, "nip": [str(i) for i in range(12)],
    ...     "nilai_pre": [60.0 + i for i in range(12)], "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> t = compute_levels(df)
    >>> t.programs, t.levels["A"]["learning"]["n"], t.levels["A"]["behaviour"], t.missing["A"]["results"]
    (('A',), 12, None, 'no_feedback')
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    names = program_names(training)
    pairs = skp_pairs(training) if behaviour_pairs is None else behaviour_pairs
    l1 = reaction_levels(training)
    l2 = learning_levels(training, correction)
    l3 = behaviour_levels(pairs, names, correction)
    l4, why4 = results_levels(training, feedback, names, correction)
    counts = participant_counts(training)
    levels = {p: {"reaction": l1.get(p), "learning": l2.get(p), "behaviour": l3.get(p), "results": l4.get(p)}
              for p in names}
    missing = {p: {"results": why4[p]} if p in why4 else {} for p in names}
    return LevelTable(tuple(names), {p: int(counts.get(p, 0)) for p in names}, levels, missing, correction)


def apply_rules(table: LevelTable, rules: RuleSet | None = None) -> Scorecard:
    """The recommendation of every program of ``table`` under ``rules`` (default: the shipped ones).

    Examples
    --------
    >>> t = LevelTable(("A",), {"A": 4}, {"A": {"learning": {"status": "increase", "n": 4}}})
    >>> card = apply_rules(t).programs[0]
    >>> card.recommendation, card.rule
    ('data_belum_cukup', 'too_few_pairs')
    """
    rules = default_rules() if rules is None else rules
    cards = tuple(ProgramCard(p, table.n_participants.get(p, 0), table.levels[p],
                              recommend(rules, table.n_participants.get(p, 0), table.levels[p]),
                              table.missing.get(p, {}))
                  for p in table.programs)
    return Scorecard(cards, rules, table.correction)


def scorecard(training: pd.DataFrame, feedback: pd.DataFrame | None = None, *, rules: RuleSet | None = None,
              correction: str = "holm", behaviour_pairs: pd.DataFrame | None = None) -> Scorecard:
    """:func:`compute_levels`, then :func:`apply_rules`.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 40, "nip": [str(i) for i in range(40)],
    ...     "nilai_pre": [60.0 + i % 7 for i in range(40)], "nilai_post": [66.0 + i % 5 for i in range(40)]})
    >>> out = scorecard(df).to_dict()
    >>> out["programs"][0]["recommendation"], out["programs"][0]["rule"]
    ('lanjutkan', 'gain_learning')
    """
    return apply_rules(compute_levels(training, feedback, correction=correction, behaviour_pairs=behaviour_pairs),
                       rules)
