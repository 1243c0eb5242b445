"""The scorecard as people read it: one row per program, icons and numbers, in either language.

:func:`scorecard_table` is the one display frame of the scorecard, for the Tindak Lanjut page, the
meeting deck's recommendations slide and the workbook's scorecard sheet; :func:`level_text` writes
one level's cell (also used on the Program page).
"""

from __future__ import annotations

import pandas as pd

from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.i18n import translate
from analysis.followup.decisions import decision_in_force, since_text
from analysis.followup.recommend import RECOMMENDATIONS, recommendation_label
from analysis.followup.scorecard import ProgramCard, Scorecard

#: The icon of each status in a level's cell (hollow: too little data, as in the charts).
STATUS_ICONS = {"increase": "▲", "decrease": "▼", "not_significant": "●", "underpowered": "○",
                "no_estimate": "·", "descriptive": ""}
SORTS = ("recommendation", "program", "participants")

STRINGS = {
    "col.program": {"id": "Program", "en": "Program"},
    "col.participants": {"id": "Peserta", "en": "Participants"},
    "col.recommendation": {"id": "Rekomendasi", "en": "Recommendation"},
    "col.reaction": {"id": "L1 Reaksi", "en": "L1 Reaction"},
    "col.learning": {"id": "L2 Pembelajaran", "en": "L2 Learning"},
    "col.behaviour": {"id": "L3 Perilaku", "en": "L3 Behaviour"},
    "col.results": {"id": "L4 Hasil (IKM)", "en": "L4 Results (IKM)"},
    "col.rule": {"id": "Aturan", "en": "Rule"},
    "col.reasons": {"id": "Alasan", "en": "Reasons"},
    "col.decision": {"id": "Keputusan rapat", "en": "Meeting decision"},
    "no_data": {"id": "– tidak ada data", "en": "– no data"},
    "ba": {"id": "sebelum–sesudah", "en": "before/after"},
    "did": {"id": "DiD", "en": "DiD"},
    "units": {"id": "{n} unit", "en": "{n} units"},
    "levels": {"id": "tingkat", "en": "levels"},
    "source.appraisal": {"id": "penilaian kinerja", "en": "appraisals"},
    "none": {"id": "–", "en": "–"},
    "why.no_feedback": {"id": "tidak ada data SKM", "en": "no SKM data"},
    "why.no_trained_units_in_survey": {"id": "unit peserta tidak disurvei", "en": "participants' units not surveyed"},
    "why.no_round_before": {"id": "tidak ada survei sebelum program", "en": "no survey before the program"},
    "why.no_round_after": {"id": "belum ada survei sesudah program", "en": "no survey after the program yet"},
    "why.empty_round": {"id": "putaran survei kosong", "en": "an empty survey round"},
    "why.program_without_dates": {"id": "program tanpa tanggal", "en": "the program has no dates"},
    "why.missing_columns": {"id": "kolom data tidak lengkap", "en": "columns missing"},
    "why.no_units": {"id": "unit kerja peserta tidak diisi", "en": "participants' work units not filled in"},
}


def _signed(x, decimals: int, lang: str) -> str:
    text = fmt_number(x, decimals, lang)
    return text if text.startswith(("-", "–")) else f"+{text}"


def _ci(lo, hi, decimals: int, lang: str) -> str:
    return f"[{fmt_number(lo, decimals, lang)}; {fmt_number(hi, decimals, lang)}]"


def _p(p, lang: str) -> str:
    return fmt_p(p, lang).replace("p = ", "p ")


def level_text(name: str, level: dict | None, lang: str = "id", why: str | None = None) -> str:
    """One level of one program in a few characters: status icon, estimate, CI, adjusted p, n.

    Examples
    --------
    >>> level_text("learning", {"status": "increase", "effect": 0.85, "effect_ci_low": 0.71,
    ...     "effect_ci_high": 0.98, "p_adjusted": 0.0001, "n": 217, "design": "before_after"})
    '▲ d_z 0,85 [0,71; 0,98] · p < 0,001 · n 217'
    >>> level_text("behaviour", {"status": "increase", "estimate": 1.58, "ci_low": 0.85, "ci_high": 2.31,
    ...     "p_adjusted": 0.001, "n": 149, "design": "difference_in_differences"}, "en")
    '▲ DiD +1.58 [0.85; 2.31] · p 0.0010 · n 149'
    >>> level_text("behaviour", {"status": "not_significant", "estimate": 0.1, "ci_low": -0.1, "ci_high": 0.3,
    ...     "p_adjusted": 0.4, "n": 30, "design": "difference_in_differences", "unit": "levels",
    ...     "source": "appraisal"}, "en")
    '● DiD +0.10 levels [-0.10; 0.30] · p 0.400 · n 30 · appraisals'
    >>> level_text("results", None, "en", why="no_round_before")
    '– no data (no survey before the program)'
    """
    if level is None:
        text = translate(STRINGS, "no_data", lang)
        return f"{text} ({translate(STRINGS, 'why.' + why, lang)})" if why and f"why.{why}" in STRINGS else text
    icon = STATUS_ICONS.get(level.get("status"), "")
    design = translate(STRINGS, "did" if level.get("design") == "difference_in_differences" else "ba", lang)
    n = fmt_int(level.get("n"), lang)
    if name == "reaction":
        return (f"{fmt_number(level.get('estimate'), 2, lang)} / 5 {_ci(level.get('ci_low'), level.get('ci_high'), 2, lang)}"
                f" · {fmt_pct(level.get('share_high'), 0, lang)} ≥ 4 · n {n}")
    if name == "results":
        units = translate(STRINGS, "units", lang, n=fmt_int(level.get("n_units"), lang))
        ci = f" {_ci(level.get('ci_low'), level.get('ci_high'), 2, lang)}" if level.get("ci_low") is not None else ""
        p = f" · {_p(level.get('p_adjusted'), lang)}" if level.get("p_adjusted") is not None else ""
        return f"{icon} {design} {_signed(level.get('estimate'), 2, lang)}{ci}{p} · {units}".strip()
    tail = f" · {_p(level.get('p_adjusted'), lang)} · n {n}"
    if name == "learning" and level.get("effect") is not None:
        did = f" · {design}" if level.get("design") == "difference_in_differences" else ""
        return (f"{icon} d_z {fmt_number(level['effect'], 2, lang)} "
                f"{_ci(level.get('effect_ci_low'), level.get('effect_ci_high'), 2, lang)}{tail}{did}").strip()
    unit = f" {translate(STRINGS, 'levels', lang)}" if level.get("unit") == "levels" else ""
    source = f" · {translate(STRINGS, 'source.appraisal', lang)}" if level.get("source") == "appraisal" else ""
    return (f"{icon} {design} {_signed(level.get('estimate'), 2, lang)}{unit} "
            f"{_ci(level.get('ci_low'), level.get('ci_high'), 2, lang)}{tail}{source}").strip()


def _row(card: ProgramCard, lang: str, decisions: pd.DataFrame | None, period: str | None) -> dict:
    def col(key: str) -> str:
        return translate(STRINGS, f"col.{key}", lang)

    row = {
        col("program"): card.program,
        col("participants"): fmt_int(card.n_participants, lang),
        col("recommendation"): recommendation_label(card.recommendation, lang),
    }
    for name in ("reaction", "learning", "behaviour", "results"):
        row[col(name)] = level_text(name, card.levels.get(name), lang, card.missing.get(name))
    row[col("rule")] = card.rule
    row[col("reasons")] = card.match.reason(lang)
    if decisions is not None:
        found = decision_in_force(decisions, card.program, period)
        row[col("decision")] = (since_text(found[0], found[1], card.levels, card.recommendation, lang)
                                if found else translate(STRINGS, "none", lang))
    return row


def sorted_cards(card: Scorecard, sort: str = "recommendation") -> list[ProgramCard]:
    """The programs in reading order: by recommendation (stop and revise first, then not enough
    data, continue, expand), by program name, or by participants (most first).

    Examples
    --------
    >>> sorted_cards(Scorecard((), None))
    []
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, got {sort!r}")
    order = {code: i for i, code in enumerate(RECOMMENDATIONS)}
    if sort == "program":
        return sorted(card.programs, key=lambda c: c.program)
    if sort == "participants":
        return sorted(card.programs, key=lambda c: (-c.n_participants, c.program))
    return sorted(card.programs, key=lambda c: (order.get(c.recommendation, len(order)), c.program))


def scorecard_table(card: Scorecard, lang: str = "id", *, decisions: pd.DataFrame | None = None,
                    period: str | None = None, sort: str = "recommendation") -> pd.DataFrame:
    """The scorecard as a display-ready table (text cells, headers in ``lang``), one row per program.

    Parameters
    ----------
    card : Scorecard
    lang : {"id", "en"}
    decisions : pandas.DataFrame, optional
        Recorded decisions (:func:`store.decisions.list_decisions`); adds the column of the decision
        in force for ``period`` with what changed since (:func:`analysis.followup.decisions.since_text`).
    period : str, optional
        The period the scorecard shows (``"2025-Q3"``), to find the decision of this or an earlier period.
    sort : {"recommendation", "program", "participants"}

    Returns
    -------
    pandas.DataFrame
        Program, participants, recommendation (icon and word), L1–L4 (icon, estimate, 95% CI,
        adjusted p, n), rule, reasons and, with ``decisions``, the meeting's decision.

    Examples
    --------
    >>> from analysis.followup.scorecard import LevelTable, apply_rules
    >>> t = LevelTable(("A",), {"A": 4}, {"A": {"learning": {"status": "increase", "n": 4}}})
    >>> table = scorecard_table(apply_rules(t), "en")
    >>> table.columns.tolist()[:4], table.iloc[0]["Recommendation"]
    (['Program', 'Participants', 'Recommendation', 'L1 Reaction'], '⏳ Not enough data')
    """
    rows = [_row(c, lang, decisions, period) for c in sorted_cards(card, sort)]
    columns = [translate(STRINGS, f"col.{k}", lang) for k in
               ("program", "participants", "recommendation", "reaction", "learning", "behaviour", "results",
                "rule", "reasons")]
    if decisions is not None:
        columns.append(translate(STRINGS, "col.decision", lang))
    return pd.DataFrame(rows, columns=columns, dtype="str")
