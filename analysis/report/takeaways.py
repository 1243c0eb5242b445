"""Takeaway titles: each finding as one sentence with its number, for the slides of the deck and the
screens of the presentation mode ("8 dari 12 program terbukti menaikkan nilai post-test", not
"Program menurut perubahan rata-rata").

Every function reads a result the product already computes — the evidence engine's estimate frame
(the strongest design per group: :func:`analysis.evidence.engine.estimate_frame`), the level
verdicts (:mod:`analysis.followup.verdict`), an IKM table, the mentoring summary, the scorecard —
and reads each estimate by the one rule of :mod:`analysis.core.significance`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.core.fmt import fmt_int, fmt_number, fmt_pct
from analysis.core.i18n import translate
from analysis.core.significance import as_flags, effect_status, to_float
from analysis.evidence.engine import significant_gain_share
from analysis.followup.scorecard import Scorecard
from analysis.followup.verdict import Verdict, verdict_label
from analysis.voice.ikm import grade

STRINGS = {
    "verdict": {"id": "{level}: {word} di {k} dari {n} program", "en": "{level}: {word} in {k} of {n} programs"},
    "verdict.none": {"id": "{level}: belum ada program dengan data (0 program)",
                     "en": "{level}: no program with data yet (0 programs)"},
    "plain.learning": {"id": "Pengetahuan", "en": "Knowledge"},
    "plain.behaviour": {"id": "kinerja", "en": "job performance"},
    "plain.results": {"id": "kepuasan warga", "en": "citizen satisfaction"},
    "plain.reaction": {"id": "reaksi peserta", "en": "participant reaction"},
    "word.naik": {"id": "terbukti naik", "en": "a proven gain"},
    "word.turun": {"id": "turun", "en": "a decline"},
    "k.naik": {"id": "naik", "en": "gain"},
    "measure.knowledge": {"id": "nilai post-test", "en": "post-test scores"},
    "measure.performance": {"id": "nilai kinerja", "en": "performance scores"},
    "ranking": {"id": "{k} dari {n} program terbukti menaikkan {measure}",
                "en": "{k} of {n} programs proven to raise {measure}"},
    "ranking.top": {"id": "; tertinggi {name} ({value})", "en": "; highest {name} ({value})"},
    "ranking.none": {"id": "Belum ada program yang dapat diukur untuk {measure} (0 program)",
                     "en": "No program can be measured on {measure} yet (0 programs)"},
    "kecamatan": {"id": "Naik signifikan di {k} dari {n} kecamatan", "en": "A significant gain in {k} of {n} districts"},
    "kecamatan.small": {"id": "; {s} kecamatan datanya belum cukup", "en": "; {s} with too little data"},
    "kecamatan.none": {"id": "Belum ada kecamatan dengan data (0 kecamatan)", "en": "No district has data yet (0 districts)"},
    "ikm.weak": {"id": "{k} dari {n} unit layanan bermutu C atau D; terendah {name} ({value})",
                 "en": "{k} of {n} service units graded C or D; lowest {name} ({value})"},
    "ikm.good": {"id": "Semua {n} unit layanan bermutu A atau B; terendah {name} ({value})",
                 "en": "All {n} service units graded A or B; lowest {name} ({value})"},
    "ikm.none": {"id": "Belum ada unit layanan dengan IKM (0 unit)", "en": "No service unit has an IKM yet (0 units)"},
    "mentoring.increase": {"id": "Penilaian mentee naik {value} {unit} lebih dari pegawai pembanding (95% CI {ci})",
                           "en": "Mentees' appraisals rose {value} {unit} more than the comparison's (95% CI {ci})"},
    "mentoring.decrease": {"id": "Penilaian mentee turun {value} {unit} dibanding pegawai pembanding (95% CI {ci})",
                           "en": "Mentees' appraisals fell {value} {unit} against the comparison (95% CI {ci})"},
    "mentoring.not_significant": {
        "id": "Efek mentoring belum terbukti: {value} {unit} (95% CI {ci}), {n} mentee",
        "en": "No proven mentoring effect: {value} {unit} (95% CI {ci}), {n} mentees"},
    "mentoring.underpowered": {"id": "Data mentoring belum cukup untuk menyimpulkan: {n} mentee",
                               "en": "Too little mentoring data to conclude: {n} mentees"},
    "mentoring.no_estimate": {"id": "Efek mentoring belum dapat dihitung ({n} mentee)",
                              "en": "No mentoring effect can be estimated yet ({n} mentees)"},
    "unit.nilai": {"id": "poin", "en": "points"},
    "unit.predikat_rank": {"id": "tingkat predikat", "en": "rating levels"},
    "followup": {"id": "Rekomendasi: {parts}", "en": "Recommendations: {parts}"},
    "followup.none": {"id": "Rekomendasi: belum ada program (0 program)", "en": "Recommendations: no program yet (0 programs)"},
    "rec.lanjutkan": {"id": "{k} program dilanjutkan", "en": "{k} to continue"},
    "rec.kembangkan": {"id": "{k} dikembangkan", "en": "{k} to expand"},
    "rec.perbaiki": {"id": "{k} diperbaiki", "en": "{k} to revise"},
    "rec.hentikan": {"id": "{k} dihentikan", "en": "{k} to stop"},
    "rec.data_belum_cukup": {"id": "{k} menunggu data", "en": "{k} awaiting data"},
    "program.increase": {"id": "{name}: {measure} naik {value} (95% CI {ci}), n = {n}",
                         "en": "{name}: {measure} rose {value} (95% CI {ci}), n = {n}"},
    "program.decrease": {"id": "{name}: {measure} turun {value} (95% CI {ci}), n = {n}",
                         "en": "{name}: {measure} fell {value} (95% CI {ci}), n = {n}"},
    "program.not_significant": {"id": "{name}: {measure} belum terbukti berubah, {value} (95% CI {ci}), n = {n}",
                                "en": "{name}: no proven change in {measure}, {value} (95% CI {ci}), n = {n}"},
    "program.underpowered": {"id": "{name}: data belum cukup untuk menyimpulkan (n = {n})",
                             "en": "{name}: too little data to conclude (n = {n})"},
    "program.no_estimate": {"id": "{name}: belum dapat dihitung (n = {n})", "en": "{name}: cannot be estimated (n = {n})"},
    "headline": {"id": "{people} peserta dalam {programs} program", "en": "{people} participants in {programs} programs"},
    "headline.jp": {"id": "; {share} PNS mencapai {target} JP", "en": "; {share} of PNS reach {target} JP"},
    "method": {"id": "{k} hal yang perlu diingat saat membaca angka-angka ini",
               "en": "{k} things to keep in mind when reading these figures"},
}

#: Reading order of the recommendations in a takeaway (what needs action last, as a meeting reads).
_REC_ORDER = ("lanjutkan", "kembangkan", "perbaiki", "hentikan", "data_belum_cukup")
#: A takeaway longer than this drops its optional tail (e.g. the highest program), so a slide title
#: stays on two lines.
MAX_LENGTH = 100


def _tr(key: str, lang: str, **values) -> str:
    return translate(STRINGS, key, lang, **values)


def _signed(x, decimals: int, lang: str) -> str:
    v = to_float(x)
    text = fmt_number(v, decimals, lang)
    return "+" + text if math.isfinite(v) and round(v, decimals) > 0 else text


def _ci(lo, hi, decimals: int, lang: str) -> str:
    return f"{fmt_number(lo, decimals, lang)} – {fmt_number(hi, decimals, lang)}"


def _statuses(df: pd.DataFrame) -> list[str]:
    return [effect_status(r.get("mean_delta"), r.get("p_adjusted"), as_flags(r.get("flags")), r.get("n"))
            for r in df.to_dict("records")]


def verdict_takeaway(verdicts: Sequence[Verdict], lang: str = "id") -> str:
    """The verdict slide's title: knowledge, and job performance after it, with their counts.

    Examples
    --------
    >>> v = [Verdict("learning", "naik", 12, {"increase": 8}), Verdict("behaviour", "belum_terbukti", 12,
    ...      {"increase": 2, "not_significant": 10})]
    >>> verdict_takeaway(v)
    'Pengetahuan: terbukti naik di 8 dari 12 program; kinerja: belum terbukti (naik di 2 dari 12)'
    """
    parts = []
    for v in verdicts[:2]:
        plain = _tr(f"plain.{v.level}", lang)
        plain = plain[:1].upper() + plain[1:] if not parts else plain
        if not v.programs:
            parts.append(_tr("verdict.none", lang, level=plain))
            continue
        k = int(v.counts.get("decrease" if v.verdict == "turun" else "increase", 0))
        if v.verdict in ("naik", "turun"):
            parts.append(_tr("verdict", lang, level=plain, word=_tr(f"word.{v.verdict}", lang), k=fmt_int(k, lang),
                             n=fmt_int(v.programs, lang)))
        else:
            word = verdict_label(v, lang).lower()
            of = "dari" if lang == "id" else "of"
            parts.append(f"{plain}: {word} ({_tr('k.naik', lang)} {'di ' if lang == 'id' else 'in '}"
                         f"{fmt_int(k, lang)} {of} {fmt_int(v.programs, lang)})")
    return "; ".join(parts)


def ranking_takeaway(estimates: pd.DataFrame | None, measure: str, lang: str = "id", *, decimals: int = 1) -> str:
    """How many programs are proven to raise the measure, out of those with an estimate (the
    difference in differences where a comparison exists), and the highest.

    Examples
    --------
    >>> est = pd.DataFrame({"program": ["A", "B", "C"], "n": [40, 30, 5], "mean_delta": [8.2, 0.4, 3.0],
    ...     "ci_low": [6.9, -1.0, -2.0], "ci_high": [9.5, 1.8, 8.0], "p_adjusted": [0.001, 0.5, 0.04],
    ...     "flags": [[], [], ["small_n"]]})
    >>> ranking_takeaway(est, "knowledge")
    '1 dari 3 program terbukti menaikkan nilai post-test; tertinggi A (+8,2)'
    """
    words = _tr(f"measure.{measure}", lang) if f"measure.{measure}" in STRINGS else measure
    if estimates is None or not len(estimates):
        return _tr("ranking.none", lang, measure=words)
    d = pd.to_numeric(estimates["mean_delta"], errors="coerce")
    with_estimate = estimates[d.notna()]
    if with_estimate.empty:
        return _tr("ranking.none", lang, measure=words)
    gains, total = significant_gain_share(with_estimate)
    text = _tr("ranking", lang, k=fmt_int(gains, lang), n=fmt_int(total, lang), measure=words)
    top = with_estimate.loc[pd.to_numeric(with_estimate["mean_delta"]).idxmax()]
    tail = _tr("ranking.top", lang, name=top["program"], value=_signed(top["mean_delta"], decimals, lang))
    return text + tail if len(text + tail) <= MAX_LENGTH else text


def kecamatan_takeaway(by_kecamatan: pd.DataFrame | None, lang: str = "id") -> str:
    """In how many districts the measure rose significantly, and how many have too little data.

    Examples
    --------
    >>> kec = pd.DataFrame({"kecamatan": ["A", "B", "C"], "n": [40, 30, 4], "mean_delta": [8.0, 0.1, 2.0],
    ...     "ci_low": [6.0, -1.0, -3.0], "ci_high": [10.0, 1.2, 7.0], "p_adjusted": [0.001, 0.8, 0.3],
    ...     "flags": [[], [], ["small_n"]]})
    >>> kecamatan_takeaway(kec, "en")
    'A significant gain in 1 of 3 districts; 1 with too little data'
    """
    if by_kecamatan is None or not len(by_kecamatan):
        return _tr("kecamatan.none", lang)
    status = _statuses(by_kecamatan)
    text = _tr("kecamatan", lang, k=fmt_int(status.count("increase"), lang), n=fmt_int(len(status), lang))
    small = status.count("underpowered")
    return text + (_tr("kecamatan.small", lang, s=fmt_int(small, lang)) if small else "")


def ikm_takeaway(units: pd.DataFrame | None, lang: str = "id", *, by: str = "unit_layanan") -> str:
    """How many service units are graded C or D (PermenPANRB 14/2017), and the lowest.

    Examples
    --------
    >>> u = pd.DataFrame({"unit_layanan": ["RSUD", "Dukcapil", "Puskesmas"], "ikm": [78.3, 90.12, 64.99]})
    >>> ikm_takeaway(u)
    '1 dari 3 unit layanan bermutu C atau D; terendah Puskesmas (64,99)'
    """
    if units is None or not len(units) or "ikm" not in units:
        return _tr("ikm.none", lang)
    ikm = pd.to_numeric(units["ikm"], errors="coerce")
    valid = units[ikm.notna()]
    if valid.empty:
        return _tr("ikm.none", lang)
    values = pd.to_numeric(valid["ikm"])
    weak = int(sum(grade(v) in ("C", "D") for v in values))
    low = valid.loc[values.idxmin()]
    name = low[by] if by in valid else low.iloc[0]
    key = "ikm.weak" if weak else "ikm.good"
    return _tr(key, lang, k=fmt_int(weak, lang), n=fmt_int(len(valid), lang), name=name,
               value=fmt_number(low["ikm"], 2, lang))


def mentoring_takeaway(summary: pd.DataFrame | None, lang: str = "id") -> str | None:
    """The mentoring effect overall (the difference in differences against matched non-mentees), or
    None without a mentoring evaluation (:func:`analysis.mentoring.summary.mentoring_summary`).

    Examples
    --------
    >>> s = pd.DataFrame({"level": ["overall"], "mentees": [30], "estimate": [0.4], "ci_low": [0.2],
    ...     "ci_high": [0.6], "status": ["increase"], "scale": ["predikat_rank"]})
    >>> mentoring_takeaway(s)
    'Penilaian mentee naik 0,40 tingkat predikat lebih dari pegawai pembanding (95% CI 0,20 – 0,60)'
    """
    if summary is None or not len(summary) or "level" not in summary:
        return None
    overall = summary[summary["level"] == "overall"]
    if overall.empty:
        return None
    r = overall.iloc[0].to_dict()
    status = r.get("status") if r.get("status") in ("increase", "decrease", "not_significant", "underpowered") \
        else "no_estimate"
    unit_key = f"unit.{r.get('scale')}"
    unit = _tr(unit_key, lang) if unit_key in STRINGS else ""
    value = to_float(r.get("estimate"))
    shown = fmt_number(abs(value), 2, lang) if status in ("increase", "decrease") else _signed(value, 2, lang)
    return " ".join(_tr(f"mentoring.{status}", lang, value=shown, unit=unit, n=fmt_int(r.get("mentees"), lang),
                        ci=_ci(r.get("ci_low"), r.get("ci_high"), 2, lang)).split())


def followup_takeaway(card: Scorecard | None, lang: str = "id") -> str:
    """The recommendations counted: ``Rekomendasi: 5 program dilanjutkan, 2 diperbaiki, 4 menunggu data``.

    Examples
    --------
    >>> from analysis.followup.scorecard import LevelTable, apply_rules
    >>> t = LevelTable(("A", "B"), {"A": 4, "B": 3}, {"A": {}, "B": {}})
    >>> followup_takeaway(apply_rules(t), "en")
    'Recommendations: 2 awaiting data'
    """
    if card is None or not card.programs:
        return _tr("followup.none", lang)
    counts = {code: sum(p.recommendation == code for p in card.programs) for code in _REC_ORDER}
    parts = [_tr(f"rec.{code}", lang, k=fmt_int(k, lang)) for code, k in counts.items() if k]
    return _tr("followup", lang, parts=", ".join(parts))


def program_takeaway(row: Mapping, measure: str, lang: str = "id", *, decimals: int = 1) -> str:
    """One program's result in a sentence (``row``: a row of an estimate frame).

    Examples
    --------
    >>> program_takeaway({"program": "Literasi Data", "n": 217, "mean_delta": 6.9, "ci_low": 6.0,
    ...                   "ci_high": 7.9, "p_adjusted": 0.0001}, "knowledge")
    'Literasi Data: nilai post-test naik 6,9 (95% CI 6,0 – 7,9), n = 217'
    """
    status = effect_status(row.get("mean_delta"), row.get("p_adjusted"), as_flags(row.get("flags")), row.get("n"))
    words = _tr(f"measure.{measure}", lang) if f"measure.{measure}" in STRINGS else measure
    d = to_float(row.get("mean_delta"))
    value = fmt_number(abs(d), decimals, lang) if status in ("increase", "decrease") else _signed(d, decimals, lang)
    return _tr(f"program.{status}", lang, name=row.get("program"), measure=words, value=value,
               ci=_ci(row.get("ci_low"), row.get("ci_high"), decimals, lang), n=fmt_int(row.get("n"), lang))


def headline_takeaway(headline: Mapping, lang: str = "id", *, jp_share=None, jp_target=None) -> str:
    """The headline slide's title: participants and programs, and the 20 JP share when known.

    Examples
    --------
    >>> headline_takeaway({"participants": 2398, "programs": 12}, jp_share=0.73, jp_target=20)
    '2.398 peserta dalam 12 program; 73% PNS mencapai 20 JP'
    """
    text = _tr("headline", lang, people=fmt_int(headline.get("participants"), lang),
               programs=fmt_int(headline.get("programs"), lang))
    share = to_float(jp_share)
    if math.isfinite(share) and jp_target is not None:
        text += _tr("headline.jp", lang, share=fmt_pct(share, 0, lang), target=fmt_int(jp_target, lang))
    return text


def method_takeaway(k: int, lang: str = "id") -> str:
    """The method slide's title, with the number of caveats.

    Examples
    --------
    >>> method_takeaway(6, "en")
    '6 things to keep in mind when reading these figures'
    """
    return _tr("method", lang, k=fmt_int(k, lang))


__all__ = ["verdict_takeaway", "ranking_takeaway", "kecamatan_takeaway", "ikm_takeaway", "mentoring_takeaway",
           "followup_takeaway", "program_takeaway", "headline_takeaway", "method_takeaway"]
