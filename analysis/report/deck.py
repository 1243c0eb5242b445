"""The PowerPoint deck an evaluation meeting takes away, built with python-pptx.

Charts are NATIVE PowerPoint charts (editable, data embedded), not images: no browser is needed.
Every slide title is a takeaway — a sentence with its number (:mod:`analysis.report.takeaways`) —
and every slide carries speaker notes with the plain reading and the caveats. Slides, in order:

1. title: the period and filters, the data sources with their dataset versions, the product
   version and the date;
2. the verdict per Kirkpatrick level (:mod:`analysis.followup.verdict`);
3. the headline figures;
4. the programs ranked, for knowledge **and** job performance whatever measure the page shows (a
   native bar chart with 95% CI error bars; long lists continue on the next slide);
5. the results per kecamatan (a table, continued over slides);
6. the IKM of every service unit, worst first (continued over slides, so no grade-C unit is
   hidden);
7. mentoring (the effect against matched non-mentees, per kecamatan), when evaluated;
8. method and caveats;
9. the follow-up recommendations per program, last.

Every shape lies inside its slide (:func:`analysis.report.pptx_parts.outside_shapes`); text is never
below 14 pt. Text comes from :mod:`analysis.core.i18n`, numbers from :mod:`analysis.core.fmt`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from analysis import __version__
from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.i18n import t, t_or, translate
from analysis.core.significance import (
    TOO_LITTLE_FLAGS,
    as_flags,
    effect_status,
    flag_text,
    status_label,
    to_float,
)
from analysis.followup.recommend import recommendation_label
from analysis.followup.scorecard import Scorecard
from analysis.followup.table import sorted_cards
from analysis.followup.verdict import (
    Verdict,
    counts_text,
    design_text,
    level_label,
    measure_text,
    program_reading,
    verdict_label,
)
from analysis.report import takeaways
from analysis.report.charts.base import GRADE_COLOURS, STATUS_COLOURS
from analysis.report.pptx_parts import (
    BODY_BOTTOM,
    BODY_TOP,
    NOTE_BOX,
    SLIDE_H,
    SLIDE_W,
    bar_chart,
    chunks,
    lines_needed,
    new_slide,
    no_data,
    rgb,
    rows_that_fit,
    synthetic_tag,
    table,
    textbox,
)
from analysis.voice.ikm import grade, grade_label

# Pale fills keep black labels readable on the bar and beside it; the outline carries the status
# colour; "too little data" is hollow and dashed, as in the dashboard's ranking.
STATUS_TINTS = {"increase": "#B3D4EA", "decrease": "#F2C6A8", "not_significant": "#E0E0E0",
                "underpowered": "#FFFFFF", "no_estimate": "#FFFFFF"}
VERDICT_TINTS = {"naik": "#B3D4EA", "turun": "#F2C6A8", "belum_terbukti": "#E0E0E0", "data_belum_cukup": "#F3DCEA"}
# Flags about method, the same for every row: the method slide covers them, the table does not repeat them.
_QUIET_FLAGS = frozenset({"non_normal", "incomplete_pairs", "no_comparison", "comparison_not_used", "underpowered"})
HEADLINE_KEYS = ("participants", "programs", "jp_total", "share_significant", "ikm_now", "ikm_change")
READING_MARKS = {"increase": "▲", "decrease": "▼", "not_significant": "●", "too_little": "○", None: "–"}

STRINGS = {
    "version": {"id": "Evaluasi Pembinaan ASN versi {version}", "en": "ASN Development Evaluation version {version}"},
    "continued": {"id": "{title} (lanjutan {i}/{n})", "en": "{title} (continued {i}/{n})"},
    "col.level": {"id": "Tingkat", "en": "Level"},
    "col.verdict": {"id": "Jawaban", "en": "Answer"},
    "col.programs": {"id": "Program di baliknya", "en": "Programs behind it"},
    "col.design": {"id": "Desain", "en": "Design"},
    "col.recommendation": {"id": "Rekomendasi", "en": "Recommendation"},
    "col.mentees": {"id": "Mentee", "en": "Mentees"},
    "reading.increase": {"id": "naik", "en": "gain"},
    "reading.decrease": {"id": "turun", "en": "decline"},
    "reading.not_significant": {"id": "belum terbukti", "en": "not proven"},
    "reading.too_little": {"id": "data belum cukup", "en": "too little data"},
    "reading.none": {"id": "tidak ada data", "en": "no data"},
    "notes.verdict": {
        "id": "Cara membaca: setiap baris menjawab satu pertanyaan — apakah pengetahuan, kinerja, kepuasan warga dan "
              "reaksi peserta naik? 'Terbukti naik' bila setidaknya separuh program yang dapat disimpulkan naik "
              "signifikan (setelah koreksi untuk banyak program); 'Data belum cukup' bila kebanyakan program datanya "
              "terlalu sedikit. Desain dengan kelompok pembanding (selisih-dalam-selisih) lebih jujur daripada "
              "sebelum–sesudah saja.",
        "en": "How to read: each row answers one question — did knowledge, job performance, citizen satisfaction "
              "and participant reaction rise? 'Proven gain' when at least half of the programs that can be decided "
              "rose significantly (after correcting for many programs); 'Not enough data' when most programs have "
              "too little data. A design with a comparison group (difference in differences) is more honest than "
              "before/after alone."},
    "notes.headline": {
        "id": "Angka untuk filter yang dipilih. Persentase program yang naik dihitung pada ukuran yang dipilih, "
              "dengan desain terkuat per program (selisih-dalam-selisih bila ada kelompok pembanding).",
        "en": "Figures for the chosen filters. The share of programs with a gain counts the chosen measure, with "
              "each program's strongest design (difference in differences where a comparison group exists)."},
    "notes.ranking": {
        "id": "Cara membaca: setiap batang satu program — perubahan rata-rata dengan garis 95% CI; angka di batang "
              "adalah perkiraan dan rentangnya. Batang biru naik signifikan, jingga kemerahan turun signifikan, "
              "abu-abu belum terbukti berubah, batang putih bergaris putus-putus ungu: data terlalu sedikit untuk "
              "menyimpulkan (bukan 'tidak ada efek').",
        "en": "How to read: each bar is one program — the mean change with its 95% CI line; the label gives the "
              "estimate and its range. Blue = significant gain, vermillion = significant decline, grey = no proven "
              "change, white with a dashed purple outline = too little data to conclude (not 'no effect')."},
    "notes.small": {"id": "Data terlalu sedikit: {names}.", "en": "Too little data: {names}."},
    "notes.kecamatan": {
        "id": "Perubahan per kecamatan dengan 95% CI; nilai p dikoreksi Holm antar-kecamatan. Kecamatan dengan data "
              "terlalu sedikit belum dapat disimpulkan.",
        "en": "Change per district with 95% CIs; p-values Holm-adjusted across districts. Districts with too little "
              "data cannot be concluded yet."},
    "notes.ikm": {
        "id": "Semua unit layanan, yang terendah lebih dulu. Unit bermutu C (Kurang Baik) atau D (Tidak Baik) perlu "
              "perhatian; unit dengan kurang dari 30 responden (⚠) belum kuat.",
        "en": "Every service unit, the lowest first. Units graded C (poor) or D (very poor) need attention; units "
              "with fewer than 30 respondents (⚠) are not yet firm."},
    "notes.mentoring": {
        "id": "Efek = perubahan penilaian kinerja mentee dikurangi perubahan pegawai pembanding yang cocok "
              "(selisih-dalam-selisih, galat baku per kecamatan). {coverage}",
        "en": "Effect = the mentees' appraisal change minus that of matched non-mentees (difference in "
              "differences, standard errors clustered by district). {coverage}"},
    "mentoring.coverage": {"id": "{pairs} pasangan, {mentors} mentor, {mentees} mentee.",
                           "en": "{pairs} pairs, {mentors} mentors, {mentees} mentees."},
    "mentoring.series": {"id": "Efek mentoring", "en": "Mentoring effect"},
    "notes.method": {"id": "Catatan ini berlaku untuk semua slide sebelumnya.",
                     "en": "These caveats apply to every slide before."},
    "notes.followup": {"id": "Alasan tiap rekomendasi (aturan yang berlaku):", "en": "Why each recommendation (the rule that fired):"},
}


@dataclass
class Deck:
    """What the deck shows; the page (or ``python -m analysis report``) fills it from the frames it
    already has (:func:`analysis.report.meeting.meeting_deck`).

    Parameters
    ----------
    title : str
        Title slide heading, e.g. "Evaluasi Pembinaan ASN — 2025".
    subtitle : str
        Second line (period and filters).
    headline : mapping
        Headline numbers by key: ``participants``, ``programs``, ``jp_total``,
        ``share_significant`` (0–1), ``ikm_now``, ``ikm_change``; other keys are shown with the key
        as label (a text value is shown as is).
    ranking : DataFrame, optional
        ``program, n, mean_delta, ci_low, ci_high, p_adjusted`` (+ ``flags``) of the measure
        ``measure`` names; used when ``rankings`` is empty.
    kecamatan : DataFrame, optional
        The same columns with ``kecamatan`` instead of ``program``.
    ikm : DataFrame, optional
        ``unit_layanan`` or ``kecamatan``, ``ikm`` (+ ``grade``, ``n``, ``flags``).
    notes : sequence of str
        Extra caveats for the method slide (design used, correction, data notes).
    measure : str
        What the change of ``ranking`` and ``kecamatan`` measures, e.g. "Nilai post-test − pre-test (poin)".
    synthetic : bool
        Mark every slide "DATA SINTETIS".
    generated : date, optional
        Date on the title slide (default today).
    sources : sequence of str
        The datasets (name and version) the figures come from, one line each; named on the title
        slide and under the headline figures.
    rankings : mapping, optional
        Measure code (``knowledge``, ``performance``) → its programs, one ranking slide each.
    measure_labels : mapping, optional
        Measure code → what its change measures (the chart's series name and note).
    verdicts : sequence of Verdict
        The verdict per level (:func:`analysis.followup.verdict.level_verdicts`).
    mentoring : DataFrame, optional
        :func:`analysis.mentoring.summary.mentoring_summary`.
    scorecard : Scorecard, optional
        The follow-up recommendations, the last slide.
    jp : mapping, optional
        ``share`` and ``target`` of the 20 JP rule, for the headline's title.
    headline_labels : mapping, optional
        Headline key → its label, where the shared one is not precise enough (the share of
        programs with a gain names its measure).

    Examples
    --------
    >>> deck = Deck("Evaluasi Pembinaan ASN 2025", headline={"participants": 3012, "ikm_now": 81.2},
    ...             sources=["pelatihan: Rekap 2025, versi 2 (terbit 03-02-2026)"])
    >>> deck.synthetic, sorted(deck.headline), len(deck.sources)
    (False, ['ikm_now', 'participants'], 1)
    """

    title: str
    subtitle: str = ""
    headline: Mapping[str, object] = field(default_factory=dict)
    ranking: pd.DataFrame | None = None
    kecamatan: pd.DataFrame | None = None
    ikm: pd.DataFrame | None = None
    notes: Sequence[str] = ()
    measure: str = ""
    synthetic: bool = False
    generated: dt.date | None = None
    sources: Sequence[str] = ()
    rankings: Mapping[str, pd.DataFrame | None] = field(default_factory=dict)
    measure_labels: Mapping[str, str] = field(default_factory=dict)
    verdicts: Sequence[Verdict] = ()
    mentoring: pd.DataFrame | None = None
    scorecard: Scorecard | None = None
    jp: Mapping[str, object] | None = None
    headline_labels: Mapping[str, str] = field(default_factory=dict)
    decimals: Mapping[str, int] = field(default_factory=dict)


def _tr(key: str, lang: str, **values) -> str:
    return translate(STRINGS, key, lang, **values)


def _titles(title: str, n: int, lang: str) -> list[str]:
    """``title`` for each of ``n`` slides, the later ones marked as continued."""
    return [title if i == 0 else _tr("continued", lang, title=title, i=i + 1, n=n) for i in range(n)]


# --------------------------------------------------------------------------- title, verdict, headline


def _add_title(prs, deck: Deck, lang: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, sub = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(1.4), Inches(11.7), Inches(1.6)
    sub.left, sub.top, sub.width, sub.height = Inches(0.8), Inches(3.2), Inches(11.7), Inches(3.5)
    title.text = deck.title
    generated = deck.generated or dt.date.today()
    date_text = (f"{generated.day:02d}/{generated.month:02d}/{generated.year}" if lang == "id"
                 else generated.isoformat())
    lines = [deck.subtitle] + [t("deck.sources", lang, sources=s) for s in deck.sources]
    lines.append(f"{_tr('version', lang, version=__version__)} · {t('deck.generated', lang, date=date_text)}")
    sub.text = "\n".join(line for line in lines if line)
    sub.text_frame.word_wrap = True
    sub.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for p in sub.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(18)
    if deck.synthetic:
        synthetic_tag(slide, lang)


def _add_verdict(prs, deck: Deck, lang: str) -> None:
    verdicts = list(deck.verdicts)
    notes = "\n".join([_tr("notes.verdict", lang)] + [f"{level_label(v.level, lang)}: {verdict_label(v, lang)} — "
                                                      f"{counts_text(v, lang)}; {measure_text(v.level, lang)}"
                                                      for v in verdicts])
    slide = new_slide(prs, takeaways.verdict_takeaway(verdicts, lang), deck.synthetic, lang, notes)
    header = [_tr(f"col.{k}", lang) for k in ("level", "verdict", "programs", "design")]
    rows = [[level_label(v.level, lang), verdict_label(v, lang), counts_text(v, lang), design_text(v, lang) or "–"]
            for v in verdicts]
    fills = [[None, VERDICT_TINTS.get(v.verdict), None, None] for v in verdicts]
    table(slide, header, rows, [Inches(2.9), Inches(2.3), Inches(4.5), Inches(2.6)], row_height=Inches(0.95),
          size=16, fills=fills)


def headline_text(key: str, value, lang: str = "id") -> str:
    """A headline figure as shown: counts whole, shares in percent, the IKM with its grade.

    Examples
    --------
    >>> headline_text("share_significant", 0.9167), headline_text("ikm_now", 83.774), headline_text("jp_total", 64072.0)
    ('92%', '83,77 (B)', '64.072')
    """
    if isinstance(value, str):
        return value
    v = to_float(value)
    if key in ("participants", "programs", "jp_total"):
        return fmt_int(v, lang)
    if key in ("share_significant", "jp_target_share"):
        return fmt_pct(v, 0, lang)
    if key == "ikm_now":
        letter = grade(v)
        return fmt_number(v, 2, lang) + (f" ({letter})" if letter else "")
    if key == "ikm_change":
        text = fmt_number(v, 2, lang)
        return ("+" + text) if math.isfinite(v) and round(v, 2) > 0 else text
    return fmt_number(v, 1, lang)


def _add_headline(prs, deck: Deck, lang: str) -> None:
    jp = deck.jp or {}
    title = (takeaways.headline_takeaway(deck.headline, lang, jp_share=jp.get("share"), jp_target=jp.get("target"))
             if "participants" in deck.headline else t("deck.headline.title", lang))
    slide = new_slide(prs, title, deck.synthetic, lang, _tr("notes.headline", lang))
    items = list(deck.headline.items())[:9]
    if not items:
        no_data(slide, lang)
        return
    cols, gap = 3, Inches(0.2)
    rows = math.ceil(len(items) / cols)
    w = Inches(3.9)
    h = int((BODY_BOTTOM - BODY_TOP - gap * (rows - 1)) / rows)
    big = 40 if h >= Inches(1.9) else 28
    for i, (key, value) in enumerate(items):
        box = slide.shapes.add_textbox(Inches(0.5) + (i % cols) * (w + Inches(0.3)), BODY_TOP + (i // cols) * (h + gap),
                                       w, h)
        box.fill.solid()
        box.fill.fore_color.rgb = rgb("#EAF2FA")
        tf = box.text_frame
        tf.word_wrap = True
        run = tf.paragraphs[0].add_run()
        run.text = headline_text(key, value, lang)
        run.font.size, run.font.bold = Pt(big), True
        run.font.color.rgb = rgb("#0B3C5D")
        run2 = tf.add_paragraph().add_run()
        run2.text = deck.headline_labels.get(key) or t_or(f"headline.{key}", str(key), lang)
        run2.font.size = Pt(16 if big < 40 else 18)
    if deck.sources:
        textbox(slide, *NOTE_BOX, t("deck.sources", lang, sources="; ".join(map(str, deck.sources))), size=14,
                colour="#444444", shrink=True)


# --------------------------------------------------------------------------- estimates: programs, kecamatan


#: Between a bar's name and its numbers in the category label.
SEP = "  ·  "


def _short(name, width: int = 34) -> str:
    text = str(name)
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _estimate_label(r: Mapping, status: str, lang: str, key: str = "program", decimals: int = 1) -> str:
    """The bar's category label: its name, the estimate and its 95% CI (and "too little data")."""
    d = to_float(r["mean_delta"])
    text = fmt_number(d, decimals, lang)
    text = ("+" + text if math.isfinite(d) and round(d, decimals) > 0 else text) + (
        f" [{fmt_number(r['ci_low'], decimals, lang)}; {fmt_number(r['ci_high'], decimals, lang)}]")
    if status == "underpowered":
        text += f" — {t('common.small_n', lang)} (n = {fmt_int(r['n'], lang)})"
    return f"{_short(r[key])}{SEP}{text}"


def _check(df: pd.DataFrame, key: str, name: str) -> None:
    missing = [c for c in (key, "n", "mean_delta", "ci_low", "ci_high", "p_adjusted") if c not in df.columns]
    if missing:
        raise ValueError(f"deck.{name} is missing columns {missing}")


def _estimate_bars(slide, recs: list[dict], series: str, lang: str, key: str = "program",
                   decimals: int = 1) -> None:
    status = [effect_status(r["mean_delta"], r["p_adjusted"], as_flags(r.get("flags")), r["n"]) for r in recs]
    plus = [to_float(r["ci_high"]) - r["mean_delta"] for r in recs]
    minus = [r["mean_delta"] - to_float(r["ci_low"]) for r in recs]
    ends = [v for r in recs for v in (to_float(r["ci_low"]), to_float(r["ci_high"]), to_float(r["mean_delta"]))
            if math.isfinite(v)]
    low, high = min([0.0, *ends]), max([0.0, *ends])
    pad = 0.05 * (high - low or 1.0)
    bar_chart(slide, [_estimate_label(r, s, lang, key, decimals) for r, s in zip(recs, status)],
              [r["mean_delta"] for r in recs], [STATUS_TINTS[s] for s in status], series,
              value_min=low - pad if low < 0 else 0.0, value_max=high + pad,
              outlines=[STATUS_COLOURS[s] for s in status], dashed=[s == "underpowered" for s in status],
              plus=[max(0.0, v) if math.isfinite(v) else None for v in plus],
              minus=[max(0.0, v) if math.isfinite(v) else None for v in minus])


def _legend(box, lang: str) -> None:
    p = box.text_frame.add_paragraph()  # one coloured square per status
    for s in ("increase", "decrease", "not_significant", "underpowered"):
        mark = p.add_run()
        mark.text = "□ " if s == "underpowered" else "■ "
        mark.font.size = Pt(16)
        mark.font.color.rgb = rgb(STATUS_COLOURS[s])
        words = p.add_run()
        words.text = status_label(s, lang) + "    "
        words.font.size = Pt(14)


def _add_ranking(prs, deck: Deck, lang: str, measure: str, df: pd.DataFrame | None, label: str,
                 per_slide: int) -> None:
    title = takeaways.ranking_takeaway(df, measure, lang)
    if df is None or len(df) == 0:
        no_data(new_slide(prs, title, deck.synthetic, lang, _tr("notes.ranking", lang)), lang)
        return
    _check(df, "program", "ranking")
    df = df.assign(mean_delta=pd.to_numeric(df["mean_delta"], errors="coerce").astype(float))
    estimable = df[df["mean_delta"].notna()].sort_values("mean_delta", ascending=False, kind="stable")
    dropped = df[df["mean_delta"].isna()]
    recs = estimable.to_dict("records")
    small = [str(r["program"]) for r in recs
             if effect_status(r["mean_delta"], r["p_adjusted"], as_flags(r.get("flags")), r["n"]) == "underpowered"]
    notes = _tr("notes.ranking", lang) + "\n" + "\n".join(deck.notes)
    if small:
        notes += "\n" + _tr("notes.small", lang, names=", ".join(small))
    pieces = chunks(recs, per_slide)
    for piece, slide_title in zip(pieces, _titles(title, len(pieces), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, notes)
        if piece:
            _estimate_bars(slide, piece[::-1], t("deck.ranking.series", lang), lang,  # the first bar is drawn lowest
                           decimals=deck.decimals.get(measure, 1))
        lines = [label] if label else []
        if len(dropped):
            lines.append(f"{t('status.no_estimate', lang)}: " + ", ".join(map(str, dropped["program"])))
        _legend(textbox(slide, *NOTE_BOX, "\n".join(lines), size=14), lang)


def _table_rows(df: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    for r in df.to_dict("records"):
        flags = as_flags(r.get("flags"))
        status = effect_status(r["mean_delta"], r["p_adjusted"], flags, r["n"])
        note = status_label(status, lang)
        extra = [f for f in flags if f not in TOO_LITTLE_FLAGS and f not in _QUIET_FLAGS]
        if extra:
            note += "; " + flag_text(extra, lang)
        rows.append([str(r["kecamatan"]), fmt_int(r["n"], lang), fmt_number(r["mean_delta"], 1, lang),
                     f"{fmt_number(r['ci_low'], 1, lang)} – {fmt_number(r['ci_high'], 1, lang)}",
                     fmt_p(r["p_adjusted"], lang), note])
    return rows


def _add_kecamatan(prs, deck: Deck, lang: str, rows_per_slide: int) -> None:
    df = deck.kecamatan
    title = takeaways.kecamatan_takeaway(df, lang)
    if df is None or len(df) == 0:
        no_data(new_slide(prs, title, deck.synthetic, lang, _tr("notes.kecamatan", lang)), lang)
        return
    _check(df, "kecamatan", "kecamatan")
    rows = _table_rows(df.sort_values("kecamatan", kind="stable"), lang)
    header = [t("col.kecamatan", lang), t("col.n", lang), t("col.mean_delta", lang), t("col.ci", lang),
              t("col.p_adjusted", lang), t("col.note", lang)]
    widths = [Inches(2.6), Inches(0.9), Inches(1.9), Inches(2.1), Inches(1.6), Inches(3.2)]
    notes = _tr("notes.kecamatan", lang) + (f"\n{deck.measure}" if deck.measure else "")
    per_slide = min(rows_per_slide, rows_that_fit(Inches(0.42)))
    pieces = chunks(rows, per_slide)
    for piece, slide_title in zip(pieces, _titles(title, len(pieces), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, notes)
        table(slide, header, piece, widths, right=(1, 2, 3, 4))


# --------------------------------------------------------------------------- citizens, mentoring


def _add_ikm(prs, deck: Deck, lang: str, per_slide: int) -> None:
    df = deck.ikm
    by = None if df is None else next((c for c in ("unit_layanan", "kecamatan") if c in df.columns), None)
    title = takeaways.ikm_takeaway(df, lang, by=by or "unit_layanan")
    if df is None or len(df) == 0:
        no_data(new_slide(prs, title, deck.synthetic, lang, _tr("notes.ikm", lang)), lang)
        return
    if by is None or "ikm" not in df.columns:
        raise ValueError(f"deck.ikm needs 'unit_layanan' or 'kecamatan' and 'ikm', has {list(df.columns)}")
    df = df.assign(ikm=pd.to_numeric(df["ikm"], errors="coerce").astype(float))
    worst_first = df[df["ikm"].notna()].sort_values("ikm", ascending=True, kind="stable").to_dict("records")
    pieces = chunks(worst_first, per_slide)
    for piece, slide_title in zip(pieces, _titles(title, len(pieces), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, _tr("notes.ikm", lang))
        recs = piece[::-1]  # the first category is drawn lowest: the worst unit on top
        grades = [str(r["grade"]) if isinstance(r.get("grade"), str) else grade(r["ikm"]) for r in recs]
        labels = [f"{_short(r[by])}{SEP}{fmt_number(r['ikm'], 2, lang)} ({g})"
                  + (" ⚠" if {"small_sample", "sample_short"} & set(as_flags(r.get("flags"))) else "")
                  for r, g in zip(recs, grades)]
        if recs:
            bar_chart(slide, labels, [r["ikm"] for r in recs], [GRADE_COLOURS.get(g, "#8C8C8C") for g in grades],
                      "IKM", value_min=25, value_max=100, outlines=["#444444"] * len(recs))
        textbox(slide, *NOTE_BOX, t("method.ikm", lang) + "\n" + "   ".join(
            f"{letter} {grade_label(letter, lang)}" for letter in "ABCD"), size=14)


def _add_mentoring(prs, deck: Deck, lang: str, per_slide: int) -> None:
    summary = deck.mentoring
    title = takeaways.mentoring_takeaway(summary, lang)
    if title is None:
        return
    overall = summary[summary["level"] == "overall"].iloc[0].to_dict()
    coverage = _tr("mentoring.coverage", lang, pairs=fmt_int(overall.get("pairs"), lang),
                   mentors=fmt_int(overall.get("mentors"), lang), mentees=fmt_int(overall.get("mentees_mentored"), lang))
    notes = _tr("notes.mentoring", lang, coverage=coverage)
    kec = summary[(summary["level"] == "kecamatan") & pd.to_numeric(summary["estimate"], errors="coerce").notna()]
    recs = [{"kecamatan": r["kecamatan"], "n": r["mentees"], "mean_delta": float(r["estimate"]),
             "ci_low": r["ci_low"], "ci_high": r["ci_high"], "p_adjusted": r["p_adjusted"], "flags": r["flags"]}
            for r in kec.sort_values("estimate", ascending=False, kind="stable").to_dict("records")]
    pieces = chunks(recs, per_slide)
    for piece, slide_title in zip(pieces, _titles(title, len(pieces), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, notes)
        if piece:
            _estimate_bars(slide, piece[::-1], _tr("mentoring.series", lang), lang, key="kecamatan", decimals=2)
        else:
            no_data(slide, lang)
        _legend(textbox(slide, *NOTE_BOX, coverage, size=14), lang)


# --------------------------------------------------------------------------- method, recommendations


def _add_method(prs, deck: Deck, lang: str) -> None:
    bullets = [t(k, lang) for k in ("method.before_after", "method.regression", "method.multiple",
                                    "method.small_n", "method.ikm")]
    bullets += [str(n) for n in deck.notes]
    if deck.synthetic:
        bullets.append(t("export.cover.synthetic_note", lang))
    title = takeaways.method_takeaway(len(bullets), lang)
    pages, page = [], []
    for text in bullets:  # 16 pt over 12": about 105 characters a line, 13 lines a slide
        if page and lines_needed(page + [text], 105) > 13:
            pages.append(page)
            page = []
        page.append(text)
    pages.append(page)
    for page, slide_title in zip(pages, _titles(title, len(pages), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, _tr("notes.method", lang))
        box = textbox(slide, Inches(0.6), BODY_TOP, Inches(12.1), SLIDE_H - BODY_TOP - Inches(0.6),
                      "\n".join("• " + b for b in page), size=16, shrink=True)
        for p in box.text_frame.paragraphs:
            p.space_after = Pt(8)


def _reading_cell(level: str, value, lang: str) -> str:
    reading = program_reading(level, value)
    word = _tr(f"reading.{reading}" if reading else "reading.none", lang)
    return f"{READING_MARKS[reading]} {word}"


def _add_followup(prs, deck: Deck, lang: str) -> None:
    card = deck.scorecard
    if card is None:
        return
    cards = sorted_cards(card)
    design = card.behaviour.get("design_en" if lang == "en" else "design_id", "")
    notes = "\n".join([_tr("notes.followup", lang)] + ([f"L3: {design}"] if design else []) + [
        f"{c.program}: {recommendation_label(c.recommendation, lang, icon=False)} ({c.rule}) — {c.match.reason(lang)}"
        for c in cards])
    header = [t("col.program", lang), _tr("col.recommendation", lang)] + [
        level_label(level, lang) for level in ("reaction", "learning", "behaviour", "results")]
    rows = [[c.program, recommendation_label(c.recommendation, lang, icon=False)] + [
        _reading_cell(level, c.levels.get(level), lang) for level in ("reaction", "learning", "behaviour", "results")]
        for c in cards]
    widths = [Inches(3.3), Inches(2.4), Inches(1.65), Inches(1.65), Inches(1.65), Inches(1.65)]
    title = takeaways.followup_takeaway(card, lang)
    row_height = Inches(0.52)  # a long program name takes two lines
    pieces = chunks(rows, rows_that_fit(row_height, bottom=SLIDE_H - Inches(0.6)))
    for piece, slide_title in zip(pieces, _titles(title, len(pieces), lang)):
        slide = new_slide(prs, slide_title, deck.synthetic, lang, notes)
        if piece:
            table(slide, header, piece, widths, row_height=row_height)
        else:
            no_data(slide, lang)


def _rankings(deck: Deck) -> list[tuple[str, pd.DataFrame | None, str]]:
    if deck.rankings:
        return [(m, df, deck.measure_labels.get(m, "")) for m, df in deck.rankings.items()]
    return [("knowledge", deck.ranking, deck.measure)]


def to_pptx_bytes(deck: Deck, lang: str = "id", *, max_programs: int = 12, rows_per_slide: int = 10,
                  max_units: int = 12) -> bytes:
    """The meeting deck as ``.pptx`` bytes (slides in the order of the module docstring).

    Parameters
    ----------
    deck : Deck
        Frames and strings to show.
    lang : {"id", "en"}
    max_programs, max_units : int
        Bars per ranking, mentoring or IKM slide; longer lists continue on the next slide.
    rows_per_slide : int
        Table rows per kecamatan slide; longer tables continue on the next slide.

    Returns
    -------
    bytes

    Examples
    --------
    >>> from pptx import Presentation
    >>> ranking = pd.DataFrame({"program": ["Latsar", "PKA"], "n": [40, 4], "mean_delta": [8.2, 3.0],
    ...     "ci_low": [6.9, -2.0], "ci_high": [9.5, 8.0], "p_adjusted": [0.0001, 0.6],
    ...     "flags": [[], ["few_nonzero"]]})
    >>> data = to_pptx_bytes(Deck("Evaluasi 2025", headline={"participants": 1234, "programs": 2},
    ...                           ranking=ranking), lang="en")
    >>> prs = Presentation(io.BytesIO(data))
    >>> [s.shapes.title.text for s in prs.slides][1:3]
    ['1,234 participants in 2 programs', '1 of 2 programs proven to raise post-test scores; highest Latsar (+8.2)']
    >>> chart = next(s.chart for s in prs.slides[2].shapes if s.has_chart)
    >>> list(chart.plots[0].categories)
    ['PKA  ·  +3.0 [-2.0; 8.0] — too little data (n = 4)', 'Latsar  ·  +8.2 [6.9; 9.5]']
    >>> list(chart.series[0].values)
    [3.0, 8.2]
    """
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    if not isinstance(deck, Deck):
        raise ValueError(f"deck must be an analysis.report.deck.Deck, got {type(deck).__name__}")
    for name, value in (("max_programs", max_programs), ("rows_per_slide", rows_per_slide),
                        ("max_units", max_units)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _add_title(prs, deck, lang)
    if deck.verdicts:
        _add_verdict(prs, deck, lang)
    _add_headline(prs, deck, lang)
    for measure, frame, label in _rankings(deck):
        _add_ranking(prs, deck, lang, measure, frame, label, max_programs)
    _add_kecamatan(prs, deck, lang, rows_per_slide)
    _add_ikm(prs, deck, lang, max_units)
    _add_mentoring(prs, deck, lang, min(max_programs, 10))
    _add_method(prs, deck, lang)
    _add_followup(prs, deck, lang)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


__all__ = ["Deck", "to_pptx_bytes", "HEADLINE_KEYS"]
