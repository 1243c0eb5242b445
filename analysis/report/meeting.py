"""What an evaluation meeting takes away, gathered once: the frames behind the deck and the workbook.

:func:`gather` computes, from canonical rows, everything the meeting material shows — the programs
ranked on knowledge **and** job performance (each program with its strongest design:
:func:`analysis.evidence.engine.estimate_frame`), the results per kecamatan on the chosen measure,
the IKM of every service unit and now, the scorecard with its recommendations and the verdict per
Kirkpatrick level, the mentoring evaluation, the headline figures — into one :class:`Meeting`.
:func:`meeting_deck` and :func:`analysis.report.workbook.meeting_workbook` turn it into files.
The Ringkasan page builds one from the rows it shows (passing the scorecard and the mentoring
summary it already has); ``python -m analysis report`` builds one from files, without a browser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.career.roster import roster_share
from analysis.core.config import get_settings
from analysis.core.errors import AnalysisError
from analysis.core.groups import participants
from analysis.core.i18n import measure_label, translate
from analysis.evidence.engine import DID, MEASURES, estimate_frame, paired_summary, significant_gain_share
from analysis.evidence.jp import jp_target_share
from analysis.followup.scorecard import Scorecard, scorecard
from analysis.followup.verdict import Verdict, level_verdicts
from analysis.mentoring.summary import evaluate_mentoring, mentoring_summary
from analysis.report.deck import Deck, to_pptx_bytes
from analysis.voice.ikm import ikm_headline, ikm_table

STRINGS = {
    "title": {"id": "Evaluasi Pembinaan ASN — {periode}", "en": "ASN Development Evaluation — {periode}"},
    "periode.all": {"id": "semua periode", "en": "all periods"},
    "all": {"id": "semua", "en": "all"},
    "scope": {"id": "Periode: {periode} · Program: {program} · Kecamatan: {kecamatan} · Ukuran: {measure}",
              "en": "Period: {periode} · Program: {program} · District: {kecamatan} · Measure: {measure}"},
    "note.correction": {"id": "Nilai p dikoreksi dengan metode Holm atas semua program yang ditampilkan.",
                        "en": "p-values are Holm-adjusted across all programs shown."},
    "design.did": {
        "id": "Untuk {k} dari {total} program ada kelompok pembanding (non-peserta): di sana perkiraannya adalah "
              "selisih-dalam-selisih, yaitu kenaikan peserta dikurangi kenaikan non-peserta — lebih jujur daripada "
              "sebelum–sesudah saja.",
        "en": "For {k} of {total} programs a comparison group (non-participants) exists: there the estimate is the "
              "difference in differences, the participants' gain minus the non-participants' — more honest than "
              "before/after alone."},
    "design.ba": {
        "id": "Tanpa kelompok pembanding, perbandingan sebelum–sesudah cenderung melebih-lebihkan efek "
              "(regresi ke rata-rata, seleksi peserta).",
        "en": "Without a comparison group, before/after comparisons tend to overstate effects (regression "
              "to the mean, selection of participants)."},
    "share.label": {"id": "Program naik signifikan — {measure}", "en": "Programs with a significant gain — {measure}"},
    "jp.label": {"id": "PNS mencapai {target} JP", "en": "PNS reaching {target} JP"},
}


@dataclass
class Meeting:
    """Everything the meeting's deck and workbook show (:func:`gather` fills it).

    ``rankings`` maps a measure (``knowledge``, ``performance``) to its programs (an estimate
    frame, or None without data for it); ``kecamatan`` holds the chosen ``measure`` per district;
    ``sources`` maps what a figure rests on to its dataset and version.
    """

    title: str
    subtitle: str
    measure: str
    headline: dict
    headline_labels: dict
    rankings: dict[str, pd.DataFrame | None]
    measure_labels: dict[str, str]
    kecamatan: pd.DataFrame | None
    ikm_units: pd.DataFrame | None
    verdicts: list[Verdict]
    scorecard: Scorecard | None
    mentoring: pd.DataFrame | None
    rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False
    generated: dt.date | None = None
    sources: dict[str, str] = field(default_factory=dict)
    jp: dict = field(default_factory=dict)
    decimals: dict[str, int] = field(default_factory=dict)  # per measure: 2 for rating levels, else 1


def _tr(key: str, lang: str, **values) -> str:
    return translate(STRINGS, key, lang, **values)


def _ordinal(rows: pd.DataFrame, measure: str) -> bool:
    before, _ = MEASURES[measure]
    return before in rows and isinstance(rows[before].dtype, pd.CategoricalDtype)


def estimates_by(rows: pd.DataFrame, measure: str, by: str) -> pd.DataFrame | None:
    """The groups of ``by`` on ``measure`` with their strongest design, or None when the rows cannot
    give that measure (no such columns, no pairs).

    Examples
    --------
    >>> rows = pd.DataFrame({"program": ["A"] * 12, "nilai_pre": [60.0 + i for i in range(12)],
    ...                      "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> estimates_by(rows, "knowledge", "program")[["program", "estimate"]].values.tolist()
    [['A', 'before_after']]
    >>> estimates_by(rows, "performance", "program") is None
    True
    """
    before, after = MEASURES[measure]
    if before not in rows or after not in rows or by not in rows:
        return None
    try:
        frame = estimate_frame(paired_summary(rows, measure, by=by))
    except AnalysisError:
        return None
    frame = frame[frame[by].notna()]
    if frame.empty or not pd.to_numeric(frame["n"], errors="coerce").fillna(0).gt(0).any():
        return None
    return frame.reset_index(drop=True)


def _mentoring(pairs: pd.DataFrame | None, appraisal: pd.DataFrame | None) -> pd.DataFrame | None:
    if pairs is None or appraisal is None or pairs.empty or appraisal.empty:
        return None
    try:
        return mentoring_summary(evaluate_mentoring(pairs, appraisal))
    except AnalysisError:
        return None


def _notes(estimates: pd.DataFrame | None, lang: str) -> list[str]:
    k = 0 if estimates is None else int((estimates["estimate"] == DID).sum())
    total = 0 if estimates is None else len(estimates)
    design = _tr("design.did", lang, k=k, total=total) if k else _tr("design.ba", lang)
    return [_tr("note.correction", lang), design]


def gather(training: pd.DataFrame, feedback: pd.DataFrame | None = None, *, measure: str = "knowledge",
           lang: str = "id", periode: str | None = None, program: str | None = None, kecamatan: str | None = None,
           card: Scorecard | None = None, mentoring: pd.DataFrame | None = None,
           mentoring_pairs: pd.DataFrame | None = None, appraisal: pd.DataFrame | None = None,
           jp_rows: pd.DataFrame | None = None, jp_other: pd.DataFrame | None = None, jp_target: float = 20,
           synthetic: bool = False, sources: dict[str, str] | None = None,
           generated: dt.date | None = None) -> Meeting:
    """The meeting material of ``training`` (already filtered by the caller) and ``feedback``.

    Parameters
    ----------
    training : DataFrame
        Canonical training rows (participants and comparison staff) of the view.
    feedback : DataFrame, optional
        Canonical SKM rows (every period: the IKM now and its change are read from them).
    measure : {"knowledge", "performance"}
        The measure of the headline share and the kecamatan slides (both measures get a ranking).
    periode, program, kecamatan : str, optional
        The filters, named on the title slide and the cover (None: all).
    card : Scorecard, optional
        The follow-up scorecard (default: computed from ``training`` and ``feedback`` under the
        shipped rules).
    mentoring : DataFrame, optional
        :func:`analysis.mentoring.summary.mentoring_summary` (default: evaluated from
        ``mentoring_pairs`` and ``appraisal`` when both are given).
    jp_rows : DataFrame, optional
        The rows the 20 JP share counts (default ``training``: every program of the people). With
        ``appraisal``, the share is over everyone appraised (those with no development count with
        0 JP: :func:`analysis.career.roster.roster_share`), counting these rows, the mentees'
        sessions of ``mentoring_pairs`` and ``jp_other``; without, over the PNS in these rows.
    jp_other : DataFrame, optional
        Other development (``jp_lain`` rows) counted toward the 20 JP with ``appraisal``.
    sources : dict, optional
        What the figures rest on → dataset and version, in words.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": [f"1985031220100110{i:02d}" for i in range(12)], "program": ["A"] * 12,
    ...     "jp": [24.0] * 12, "tanggal_mulai": pd.to_datetime(["2025-03-03"] * 12),
    ...     "nilai_pre": [60.0 + i for i in range(12)], "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> m = gather(rows, periode="2025")
    >>> m.title, m.headline["participants"], list(m.rankings), m.rankings["performance"] is None
    ('Evaluasi Pembinaan ASN — 2025', 12, ['knowledge', 'performance'], True)
    >>> [v.verdict for v in m.verdicts][:2], m.headline["share_significant"]
    (['naik', 'data_belum_cukup'], 1.0)
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {tuple(MEASURES)}, got {measure!r}")
    everything = _tr("all", lang)
    periode_text = periode or _tr("periode.all", lang)
    labels = {m: measure_label(m, lang, change=True, ordinal=_ordinal(training, m)) for m in MEASURES}
    rankings = {m: estimates_by(training, m, "program") for m in MEASURES}
    if card is None and "program" in training:
        card = scorecard(training, feedback)
    by_period = ikm_table(feedback, by="periode", period="quarter", lang=lang) \
        if feedback is not None and not feedback.empty else None
    ikm = ikm_headline(by_period, periode)
    people = participants(training, ["nip", "program", "jp"])
    chosen = rankings[measure]
    gains, total = significant_gain_share(chosen) if chosen is not None else (0, 0)
    jp = _jp_share(training if jp_rows is None else jp_rows, appraisal, mentoring_pairs, jp_other, jp_target,
                   periode, kecamatan)
    headline = {"participants": people["nip"].nunique() if "nip" in people else len(people),
                "programs": people["program"].nunique() if "program" in people else 0,
                "jp_total": float(pd.to_numeric(people["jp"], errors="coerce").sum()) if "jp" in people else None,
                "share_significant": gains / total if total else float("nan"),
                "jp_target_share": jp["share"], "ikm_now": ikm["now"], "ikm_change": ikm["change"]}
    headline_labels = {"share_significant": _tr("share.label", lang, measure=labels[measure]),
                       "jp_target_share": _tr("jp.label", lang, target=f"{jp_target:g}")}
    return Meeting(
        title=_tr("title", lang, periode=periode_text),
        subtitle=_tr("scope", lang, periode=periode_text, program=program or everything,
                     kecamatan=kecamatan or everything, measure=labels[measure]),
        measure=measure, headline=headline, headline_labels=headline_labels, rankings=rankings,
        measure_labels=labels, kecamatan=estimates_by(training, measure, "kecamatan"),
        ikm_units=ikm_table(feedback, by="unit_layanan", lang=lang) if by_period is not None else None,
        verdicts=level_verdicts({c.program: c.levels for c in card.programs}) if card is not None else [],
        scorecard=card, mentoring=mentoring if mentoring is not None else _mentoring(mentoring_pairs, appraisal),
        rows=training, notes=_notes(chosen, lang), synthetic=synthetic, generated=generated or dt.date.today(),
        sources=dict(sources or {}), jp={"share": jp["share"], "target": jp_target, "reached": jp["reached"],
                                         "pns": jp["pns"]},
        decimals={m: 2 if _ordinal(training, m) else 1 for m in MEASURES})


def _jp_share(rows: pd.DataFrame, appraisal: pd.DataFrame | None, pairs: pd.DataFrame | None,
              other: pd.DataFrame | None, target: float, periode: str | None, kecamatan: str | None) -> dict:
    """The 20 JP headline: over the appraisal roster when there is one, else over the PNS in ``rows``."""
    if appraisal is None or appraisal.empty:
        return jp_target_share(rows, target, periode)
    return roster_share(appraisal, rows, pairs, other, periode=periode, kecamatan=kecamatan, target=target,
                        per_session=get_settings().mentoring_jp_per_session)


def meeting_deck(m: Meeting, lang: str = "id") -> bytes:
    """The meeting's deck (:mod:`analysis.report.deck`): aggregates only, whoever asks.

    Examples
    --------
    >>> import io
    >>> from pptx import Presentation
    >>> rows = pd.DataFrame({"program": ["A"] * 12, "nilai_pre": [60.0 + i for i in range(12)],
    ...                      "nilai_post": [66.0 + i + i % 3 for i in range(12)]})
    >>> prs = Presentation(io.BytesIO(meeting_deck(gather(rows, lang="en"), "en")))
    >>> prs.slides[1].shapes.title.text
    'Knowledge: a proven gain in 1 of 1 programs; job performance: no program with data yet (0 programs)'
    """
    deck = Deck(m.title, m.subtitle, headline=m.headline, headline_labels=m.headline_labels,
                kecamatan=m.kecamatan, ikm=m.ikm_units, notes=m.notes, measure=m.measure_labels[m.measure],
                synthetic=m.synthetic, generated=m.generated, sources=list(m.sources.values()),
                rankings=m.rankings, measure_labels=m.measure_labels, verdicts=m.verdicts, mentoring=m.mentoring,
                scorecard=m.scorecard, jp=m.jp, decimals=m.decimals)
    return to_pptx_bytes(deck, lang)


__all__ = ["Meeting", "gather", "estimates_by", "meeting_deck"]
