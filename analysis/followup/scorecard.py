"""The scorecard: each program's four levels, its recommendation and the reasons, in one object.

:func:`compute_levels` does the statistics (the slow part: the IKM before/after of every program);
:func:`apply_rules` adds the recommendation (fast, so the app caches the first and reruns the
second when an administrator edits the rules); :func:`scorecard` does both. :meth:`Scorecard.to_dict`
is what ``python -m analysis followup --json`` prints.

L3 (behaviour) comes from the appraisal export when one is given (``appraisals``): each participant's
appraisal period before and after the program, against matched non-participants of the same export
(:func:`analysis.evidence.appraisal.appraisal_pairs`, docs/method.md §18); otherwise from the
training file's SKP columns. :attr:`LevelTable.behaviour` says which (``source``), and with the
appraisals the scale, the join and the matching.
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
from analysis.evidence.appraisal import appraisal_pairs
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
    #: Where L3 comes from: ``{"source": "appraisal" | "skp_columns" | "given", …}`` (module docstring).
    behaviour: dict = field(default_factory=lambda: {"source": SKP_COLUMNS})


#: The sources of L3: the appraisal join, the training file's SKP columns, a frame the caller gave.
APPRAISAL, SKP_COLUMNS, GIVEN = "appraisal", "skp_columns", "given"
#: How each source's design is described (the JSON's ``behaviour.design``, the pages' caption).
BEHAVIOUR_DESIGNS = {
    APPRAISAL: ("penilaian kinerja (e-Kinerja/SKP) periode sebelum dan sesudah program; selisih-dalam-selisih "
                "terhadap pegawai bukan peserta yang dicocokkan (periode, lokasi, penilaian awal)",
                "appraisal periods before and after the program; difference in differences against matched "
                "non-participants (periods, location, baseline appraisal)"),
    SKP_COLUMNS: ("kolom SKP berkas pelatihan (kinerja sebelum/sesudah); selisih-dalam-selisih bila ada baris "
                  "pembanding", "the training file's SKP columns (performance before/after); difference in "
                  "differences where comparison rows exist"),
    GIVEN: ("tabel sebelum–sesudah yang diberikan", "the before/after table given"),
}


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
    behaviour: dict = field(default_factory=lambda: {"source": SKP_COLUMNS})

    def to_dict(self) -> dict:
        """``{"rules": {"source", "rules"}, "behaviour": {"source", "design_id", "design_en", …},
        "programs": [...]}``."""
        return {"rules": self.rules.to_dict(), "behaviour": self.behaviour,
                "programs": [p.to_dict() for p in self.programs]}

    def card(self, program: str) -> ProgramCard | None:
        """The card of ``program``, or None."""
        return next((p for p in self.programs if p.program == program), None)


def _behaviour_pairs(training: pd.DataFrame, given: pd.DataFrame | None, appraisals: pd.DataFrame | None,
                     lag_months: int) -> tuple[pd.DataFrame, dict]:
    """L3's person-level before/after frame and where it comes from (module docstring)."""
    if given is not None and appraisals is not None:
        raise ValueError("behaviour_pairs and appraisals must not both be given, got both")
    if given is not None:
        source, info = GIVEN, {}
    elif appraisals is not None and len(appraisals) and "tanggal_mulai" in training:
        given, joined = appraisal_pairs(training, appraisals, ("program",), lag_months=lag_months)
        source = APPRAISAL
        info = {k: joined[k] for k in ("scale", "period_kind", "lag_months", "join", "matching",
                                       "participants_left_out", "events_end_from_start")}
    else:
        given, source, info = skp_pairs(training), SKP_COLUMNS, {}
    design_id, design_en = BEHAVIOUR_DESIGNS[source]
    return given, {"source": source, "design_id": design_id, "design_en": design_en, **info}


def _mark_behaviour(levels: dict[str, dict | None], info: dict) -> None:
    """Label each L3 level with its source; on the predikat-rank scale the unit is rating levels."""
    for level in levels.values():
        if level is None:
            continue
        level["source"] = info["source"]
        if info.get("scale") == "predikat_rank":
            level["unit"] = "levels"


def compute_levels(training: pd.DataFrame, feedback: pd.DataFrame | None = None, *, correction: str = "holm",
                   behaviour_pairs: pd.DataFrame | None = None, appraisals: pd.DataFrame | None = None,
                   lag_months: int = 0) -> LevelTable:
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
        (:func:`analysis.followup.levels.behaviour_levels`); default: the appraisal join when
        ``appraisals`` are given, else the training file's SKP columns
        (:func:`analysis.followup.levels.skp_pairs`).
    appraisals : pandas.DataFrame, optional
        Accepted ``kinerja`` rows of the whole workforce: L3 from the appraisal join
        (:func:`analysis.evidence.appraisal.appraisal_pairs`); empty: the SKP columns.
    lag_months : int
        With ``appraisals``: months after a program's end before the *after* period may start.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 12, "nip": [str(i) for i in range(12)],
    ...     "nilai_pre": [60.0 + i for i in range(12)], "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> t = compute_levels(df)
    >>> t.programs, t.levels["A"]["learning"]["n"], t.levels["A"]["behaviour"], t.missing["A"]["results"]
    (('A',), 12, None, 'no_feedback')
    >>> t.behaviour["source"]
    'skp_columns'
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    names = program_names(training)
    pairs, behaviour = _behaviour_pairs(training, behaviour_pairs, appraisals, lag_months)
    l1 = reaction_levels(training)
    l2 = learning_levels(training, correction)
    l3 = behaviour_levels(pairs, names, correction)
    _mark_behaviour(l3, behaviour)
    l4, why4 = results_levels(training, feedback, names, correction)
    counts = participant_counts(training)
    levels = {p: {"reaction": l1.get(p), "learning": l2.get(p), "behaviour": l3.get(p), "results": l4.get(p)}
              for p in names}
    missing = {p: {"results": why4[p]} if p in why4 else {} for p in names}
    return LevelTable(tuple(names), {p: int(counts.get(p, 0)) for p in names}, levels, missing, correction,
                      behaviour)


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
    return Scorecard(cards, rules, table.correction, table.behaviour)


def scorecard(training: pd.DataFrame, feedback: pd.DataFrame | None = None, *, rules: RuleSet | None = None,
              correction: str = "holm", behaviour_pairs: pd.DataFrame | None = None,
              appraisals: pd.DataFrame | None = None, lag_months: int = 0) -> Scorecard:
    """:func:`compute_levels` (L3 from ``appraisals`` when given), then :func:`apply_rules`.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A"] * 40, "nip": [str(i) for i in range(40)],
    ...     "nilai_pre": [60.0 + i % 7 for i in range(40)], "nilai_post": [66.0 + i % 5 for i in range(40)]})
    >>> out = scorecard(df).to_dict()
    >>> out["programs"][0]["recommendation"], out["programs"][0]["rule"]
    ('lanjutkan', 'gain_learning')
    """
    return apply_rules(compute_levels(training, feedback, correction=correction, behaviour_pairs=behaviour_pairs,
                                      appraisals=appraisals, lag_months=lag_months), rules)
