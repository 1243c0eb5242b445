"""The leader's answer to "did it work?": one verdict per Kirkpatrick level over all programs.

Each program's level is read first (:func:`program_reading`), by the one rule of
:mod:`analysis.core.significance` where the level is tested — L2 knowledge and L3 job performance
(the difference in differences wherever a comparison group exists, else before/after:
:func:`analysis.evidence.engine.estimate_frame` through :mod:`analysis.followup.levels`), L4 the
IKM of the participants' units (a difference in differences against untrained units where they were
surveyed) — and for L1 reaction, which has no "before", from the 95% CI of the mean satisfaction
against the middle of the 1–5 scale (3): wholly above it reads as positive, wholly below as
negative. A level that could not be tested (L4 without comparison units, L1 or any level with
fewer than 10 answers or pairs) counts as *too little data*.

The programs' readings then give the level's verdict (:func:`verdict_of`), in this order:

1. no program could be decided (every one has too little data, or none has data): **Data belum
   cukup** (``data_belum_cukup``);
2. programs with a significant increase are at least half of those decided and outnumber the
   decreases: **Terbukti naik** (``naik``);
3. programs with a significant decrease are at least half of those decided and outnumber the
   increases: **Turun** (``turun``);
4. more programs have too little data than could be decided: **Data belum cukup**;
5. otherwise: **Belum terbukti** (``belum_terbukti``).

Every verdict carries the counts behind it and the designs used, so "Terbukti naik" never hides
that it rests on, say, 5 of 12 programs measured before/after only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.core.fmt import fmt_int
from analysis.core.i18n import translate
from analysis.core.significance import MIN_PAIRS, as_flags, to_float
from analysis.evidence.groups import BEFORE_AFTER, DID

#: The verdicts, from the best news to the worst.
VERDICTS = ("naik", "belum_terbukti", "data_belum_cukup", "turun")
#: The levels in the order the overview reads them: knowledge, job performance, citizens, reaction.
LEVEL_ORDER = ("learning", "behaviour", "results", "reaction")
#: L1 reaction: the middle of the 1–5 satisfaction scale.
NEUTRAL_REACTION = 3.0
READINGS = ("increase", "decrease", "not_significant", "too_little")

STRINGS = {
    "level.learning": {"id": "Pengetahuan (L2)", "en": "Knowledge (L2)"},
    "level.behaviour": {"id": "Kinerja (L3)", "en": "Job performance (L3)"},
    "level.results": {"id": "Kepuasan warga (L4)", "en": "Citizen satisfaction (L4)"},
    "level.reaction": {"id": "Reaksi peserta (L1)", "en": "Participant reaction (L1)"},
    "measure.learning": {"id": "nilai pre-test → post-test", "en": "pre-test → post-test score"},
    "measure.behaviour": {"id": "nilai kinerja (SKP) sebelum → sesudah", "en": "performance (SKP) before → after"},
    "measure.results": {"id": "IKM unit layanan peserta", "en": "IKM of the participants' service units"},
    "measure.reaction": {"id": "kepuasan peserta (1–5) dibanding nilai tengah 3",
                         "en": "participants' satisfaction (1–5) against the midpoint 3"},
    "verdict.naik": {"id": "Terbukti naik", "en": "Proven gain"},
    "verdict.belum_terbukti": {"id": "Belum terbukti", "en": "Not proven"},
    "verdict.data_belum_cukup": {"id": "Data belum cukup", "en": "Not enough data"},
    "verdict.turun": {"id": "Turun", "en": "Decline"},
    "verdict.reaction.naik": {"id": "Terbukti puas", "en": "Proven satisfied"},
    "verdict.reaction.turun": {"id": "Tidak puas", "en": "Dissatisfied"},
    "count.increase": {"id": "{k} naik signifikan", "en": "{k} with a significant gain"},
    "count.decrease": {"id": "{k} turun signifikan", "en": "{k} with a significant decline"},
    "count.not_significant": {"id": "{k} belum terbukti berubah", "en": "{k} without proven change"},
    "count.too_little": {"id": "{k} data belum cukup", "en": "{k} with too little data"},
    "count.reaction.increase": {"id": "{k} puas (95% CI di atas 3)", "en": "{k} satisfied (95% CI above 3)"},
    "count.reaction.decrease": {"id": "{k} tidak puas (95% CI di bawah 3)", "en": "{k} dissatisfied (95% CI below 3)"},
    "count.reaction.not_significant": {"id": "{k} belum jelas", "en": "{k} unclear"},
    "of": {"id": "dari {n} program", "en": "of {n} programs"},
    "none": {"id": "belum ada program dengan data", "en": "no program has data yet"},
    "design.did": {"id": "{k} dengan kelompok pembanding", "en": "{k} against a comparison group"},
    "design.ba": {"id": "{k} sebelum–sesudah saja", "en": "{k} before/after only"},
    "design.descriptive": {"id": "{k} tanpa uji (deskriptif)", "en": "{k} untested (descriptive)"},
    "design.label": {"id": "Desain", "en": "Design"},
}


def _tr(key: str, lang: str, **values) -> str:
    return translate(STRINGS, key, lang, **values)


def program_reading(level: str, value: Mapping | None) -> str | None:
    """How one program's level reads: ``increase``, ``decrease``, ``not_significant`` or
    ``too_little`` (module docstring); None when the program has no data for the level.

    Parameters
    ----------
    level : {"reaction", "learning", "behaviour", "results"}
    value : mapping or None
        The level as :mod:`analysis.followup.levels` writes it.

    Examples
    --------
    >>> program_reading("learning", {"status": "increase", "n": 40})
    'increase'
    >>> program_reading("learning", {"status": "underpowered", "n": 6}), program_reading("results", None)
    ('too_little', None)
    >>> program_reading("reaction", {"estimate": 4.2, "ci_low": 4.0, "ci_high": 4.4, "n": 30, "flags": []})
    'increase'
    >>> program_reading("reaction", {"estimate": 4.5, "ci_low": 2.9, "ci_high": 6.1, "n": 4, "flags": ["small_n"]})
    'too_little'
    """
    if level not in LEVEL_ORDER:
        raise ValueError(f"level must be one of {LEVEL_ORDER}, got {level!r}")
    if value is None:
        return None
    if level == "reaction":
        return _reaction_reading(value)
    status = value.get("status")
    if status in ("increase", "decrease", "not_significant"):
        return status
    if status == "no_estimate":
        return None
    return "too_little"  # underpowered, or an untested ("descriptive") change


def _reaction_reading(value: Mapping) -> str:
    n, lo, hi = to_float(value.get("n")), to_float(value.get("ci_low")), to_float(value.get("ci_high"))
    if "small_n" in as_flags(value.get("flags")) or not n >= MIN_PAIRS or lo != lo or hi != hi:
        return "too_little"
    if lo > NEUTRAL_REACTION:
        return "increase"
    if hi < NEUTRAL_REACTION:
        return "decrease"
    return "not_significant"


def verdict_of(counts: Mapping[str, int]) -> str:
    """The level's verdict from its programs' readings (the order of the module docstring).

    Examples
    --------
    >>> verdict_of({"increase": 8, "not_significant": 3, "too_little": 1})
    'naik'
    >>> verdict_of({"increase": 1, "not_significant": 11}), verdict_of({"decrease": 2, "not_significant": 1})
    ('belum_terbukti', 'turun')
    >>> verdict_of({"too_little": 5}), verdict_of({"not_significant": 1, "too_little": 4}), verdict_of({})
    ('data_belum_cukup', 'data_belum_cukup', 'data_belum_cukup')
    """
    up, down = int(counts.get("increase", 0)), int(counts.get("decrease", 0))
    decided = up + down + int(counts.get("not_significant", 0))
    if decided == 0:
        return "data_belum_cukup"
    if 2 * up >= decided and up > down:
        return "naik"
    if 2 * down >= decided and down > up:
        return "turun"
    if int(counts.get("too_little", 0)) > decided:
        return "data_belum_cukup"
    return "belum_terbukti"


@dataclass(frozen=True)
class Verdict:
    """One level's verdict: the word, the programs with data, their readings and designs."""

    level: str
    verdict: str
    programs: int
    counts: dict[str, int] = field(default_factory=dict)
    designs: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The verdict as JSON-ready data."""
        return {"level": self.level, "verdict": self.verdict, "programs": self.programs,
                "counts": dict(self.counts), "designs": dict(self.designs)}


def level_verdicts(levels: Mapping[str, Mapping[str, Mapping | None]]) -> list[Verdict]:
    """One :class:`Verdict` per level (:data:`LEVEL_ORDER`), from every program's levels.

    Parameters
    ----------
    levels : mapping
        ``levels[program][level]`` as :class:`analysis.followup.scorecard.LevelTable` holds it.

    Examples
    --------
    >>> levels = {"A": {"learning": {"status": "increase", "n": 40, "design": "difference_in_differences"}},
    ...           "B": {"learning": {"status": "increase", "n": 30, "design": "before_after"}},
    ...           "C": {"learning": {"status": "underpowered", "n": 5, "design": "before_after"}}}
    >>> v = level_verdicts(levels)[0]
    >>> v.level, v.verdict, v.programs, v.counts["increase"], v.designs
    ('learning', 'naik', 3, 2, {'difference_in_differences': 1, 'before_after': 2})
    >>> level_verdicts(levels)[1].verdict
    'data_belum_cukup'
    """
    out = []
    for level in LEVEL_ORDER:
        counts = dict.fromkeys(READINGS, 0)
        designs: dict[str, int] = {}
        for program_levels in levels.values():
            value = (program_levels or {}).get(level)
            reading = program_reading(level, value)
            if reading is None:
                continue
            counts[reading] += 1
            design = value.get("design") or ("descriptive" if level == "reaction" else BEFORE_AFTER)
            designs[design] = designs.get(design, 0) + 1
        out.append(Verdict(level, verdict_of(counts), sum(counts.values()), counts, designs))
    return out


def verdict_label(v: Verdict, lang: str = "id") -> str:
    """The verdict in words (L1 reaction: satisfied / dissatisfied instead of gain / decline).

    Examples
    --------
    >>> verdict_label(Verdict("learning", "naik", 12)), verdict_label(Verdict("reaction", "naik", 3), "en")
    ('Terbukti naik', 'Proven satisfied')
    """
    key = f"verdict.reaction.{v.verdict}" if v.level == "reaction" else f"verdict.{v.verdict}"
    return _tr(key if key in STRINGS else f"verdict.{v.verdict}", lang)


def level_label(level: str, lang: str = "id") -> str:
    """The level's plain name with its Kirkpatrick number, e.g. ``Pengetahuan (L2)``.

    Examples
    --------
    >>> level_label("results", "en")
    'Citizen satisfaction (L4)'
    """
    return _tr(f"level.{level}", lang)


def measure_text(level: str, lang: str = "id") -> str:
    """What the level counts, e.g. ``nilai pre-test → post-test``.

    Examples
    --------
    >>> measure_text("behaviour")
    'nilai kinerja (SKP) sebelum → sesudah'
    """
    return _tr(f"measure.{level}", lang)


def counts_text(v: Verdict, lang: str = "id") -> str:
    """The programs behind a verdict: ``8 naik signifikan · 3 belum terbukti berubah dari 12 program``.

    Examples
    --------
    >>> counts_text(Verdict("learning", "naik", 12, {"increase": 8, "not_significant": 3, "too_little": 1}))
    '8 naik signifikan · 3 belum terbukti berubah · 1 data belum cukup dari 12 program'
    >>> counts_text(Verdict("results", "data_belum_cukup", 0), "en")
    'no program has data yet'
    """
    if not v.programs:
        return _tr("none", lang)
    parts = []
    for reading in READINGS:
        k = int(v.counts.get(reading, 0))
        if not k:
            continue
        key = f"count.reaction.{reading}" if v.level == "reaction" and reading != "too_little" else f"count.{reading}"
        parts.append(_tr(key, lang, k=fmt_int(k, lang)))
    return " · ".join(parts) + " " + _tr("of", lang, n=fmt_int(v.programs, lang))


def design_text(v: Verdict, lang: str = "id") -> str:
    """The designs behind a verdict: ``3 dengan kelompok pembanding, 9 sebelum–sesudah saja``.

    Examples
    --------
    >>> design_text(Verdict("learning", "naik", 12, designs={"difference_in_differences": 3, "before_after": 9}))
    '3 dengan kelompok pembanding, 9 sebelum–sesudah saja'
    """
    keys = {DID: "design.did", BEFORE_AFTER: "design.ba", "descriptive": "design.descriptive"}
    return ", ".join(_tr(keys[d], lang, k=fmt_int(k, lang)) for d, k in v.designs.items() if d in keys and k)


__all__ = ["VERDICTS", "LEVEL_ORDER", "Verdict", "level_verdicts", "program_reading", "verdict_of",
           "verdict_label", "level_label", "measure_text", "counts_text", "design_text"]
