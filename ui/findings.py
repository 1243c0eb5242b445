"""The findings the overview opens with and the presentation mode shows one per screen: the verdict
per Kirkpatrick level, the program ranking, a chosen program, the kecamatan view, the citizens'
IKM, mentoring and the follow-up recommendations — each computed once per scope through the
cached wrappers (``ui.evidence_cache``, ``ui.voice_cache``, ``ui.followup``, ``ui.mentoring``)
and each with its takeaway sentence (``analysis.report.takeaways``).

A :class:`Finding` is a title (a sentence with its number) and a function that draws the finding's
figure or table; :func:`all_findings` lists those the data allow, in the order a meeting reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.i18n import translate
from analysis.evidence.engine import estimate_frame
from analysis.followup.table import scorecard_table
from analysis.followup.verdict import (
    Verdict,
    counts_text,
    design_text,
    level_label,
    level_verdicts,
    verdict_label,
)
from analysis.report import takeaways
from analysis.report.charts import evidence as charts
from analysis.report.charts import ikm as ikm_charts
from analysis.report.charts import maps
from ui import data, filters, followup, scope
from ui import evidence_cache as ec
from ui import mentoring as mc
from ui import voice_cache as vc
from ui.session import lang, md_escape, measure_label, tr

#: The badge colour of each verdict: the product's meaning of blue, red, grey and violet.
VERDICT_BADGES = {"naik": "blue", "turun": "red", "belum_terbukti": "gray", "data_belum_cukup": "violet"}

STRINGS = {
    "verdict.header": {"id": "Apakah program berhasil?", "en": "Did the programs work?"},
    "verdict.help": {
        "id": "Satu jawaban per tingkat Kirkpatrick, dari semua program pada periode dan kecamatan yang dipilih. "
              "**Terbukti naik**: setidaknya separuh program yang dapat disimpulkan naik signifikan (setelah koreksi "
              "Holm untuk banyak program, “p terkoreksi” < 0,05). **Turun**: separuhnya turun signifikan. **Data "
              "belum cukup**: kebanyakan program punya kurang dari 10 pasangan. Selain itu **Belum terbukti**. Tiap "
              "program diukur dengan desain terkuatnya: dengan kelompok pembanding (selisih-dalam-selisih, "
              "*difference in differences*, DiD) bila ada, selain itu sebelum–sesudah. Reaksi peserta (L1): "
              "rentang kepercayaan 95% rata-rata kepuasan (1–5) di atas nilai tengah 3.",
        "en": "One answer per Kirkpatrick level, from every program in the chosen period and district. **Proven "
              "gain**: at least half of the programs that can be decided rose significantly (after the Holm "
              "correction for many programs, adjusted p < 0.05). **Decline**: half of them fell significantly. **Not "
              "enough data**: most programs have fewer than 10 pairs. Otherwise **Not proven**. Each program counts "
              "with its strongest design: against a comparison group (difference in differences, DiD) where one "
              "exists, else before/after. Participant reaction (L1): the 95% confidence interval of mean "
              "satisfaction (1–5) above the midpoint 3."},
    "col.level": {"id": "Tingkat", "en": "Level"},
    "col.verdict": {"id": "Jawaban", "en": "Answer"},
    "col.programs": {"id": "Program di baliknya", "en": "Programs behind it"},
    "col.design": {"id": "Diukur dengan", "en": "Measured with"},
    "none": {"id": "Belum ada data untuk menjawab.", "en": "No data to answer yet."},
    "filters": {"id": "Filter: periode {periode} · program {program} · kecamatan {kecamatan} · ukuran {measure}",
                "en": "Filters: period {periode} · program {program} · district {kecamatan} · measure {measure}"},
    "all": {"id": "semua", "en": "all"},
    "map.value": {"id": "Besar efek (d_z)", "en": "Effect size (d_z)"},
    "mentoring.x": {"id": "Perubahan mentee di atas pembanding (95% CI)",
                    "en": "Mentees' change beyond the comparison (95% CI)"},
}


@dataclass(frozen=True)
class Finding:
    """One finding: its key, its takeaway title (a sentence with its number) and how to draw it."""

    key: str
    title: str
    draw: Callable[[bool], None]  # draw(large): large = projector type sizes


def _tr(key: str, **values) -> str:
    return translate(STRINGS, key, lang(), **values)


# --------------------------------------------------------------------------- the verdict


def current_verdicts() -> list[Verdict]:
    """The verdict per level for the sidebar's period and kecamatan (every program), from the
    follow-up's cached levels (the scorecard's: L3 from the appraisals when there are any); none
    when they cannot be computed."""
    try:
        table = followup.level_table(followup.training_scope(), followup.feedback_scope(), followup.appraisal_scope())
    except AnalysisError:
        return []
    return level_verdicts(table.levels)


def verdict_markdown(verdicts: list[Verdict], language: str) -> str:
    """The verdicts as a Markdown table: level, the answer as a coloured badge, the programs behind
    it and the designs. Pure (tested in ``tests/pages``).

    Examples
    --------
    >>> v = [Verdict("learning", "naik", 12, {"increase": 8, "not_significant": 4}, {"before_after": 12})]
    >>> print(verdict_markdown(v, "id").splitlines()[2])
    | **Pengetahuan (L2)** | :blue-badge[Terbukti naik] | 8 naik signifikan · 4 belum terbukti berubah dari 12 program | 12 sebelum–sesudah saja |
    """
    header = [translate(STRINGS, f"col.{k}", language) for k in ("level", "verdict", "programs", "design")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for v in verdicts:
        badge = f":{VERDICT_BADGES[v.verdict]}-badge[{verdict_label(v, language)}]"
        lines.append(f"| **{level_label(v.level, language)}** | {badge} | {counts_text(v, language)} | "
                     f"{design_text(v, language) or '–'} |")
    return "\n".join(lines)


def draw_verdicts(verdicts: list[Verdict], large: bool = False) -> None:
    """The verdict block: a header with the rule in its help, then one row per level."""
    if large:
        st.markdown(verdict_markdown(verdicts, lang()) if verdicts else _tr("none"))
        return
    with st.container(border=True, key="verdict"):  # compact cells by ui.look's style
        st.markdown(f"**{_tr('verdict.header')}**", help=_tr("verdict.help"))
        st.markdown(verdict_markdown(verdicts, lang()) if verdicts else _tr("none"))


# --------------------------------------------------------------------------- shared pieces


def program_estimates(sc: scope.Scope, measure: str) -> pd.DataFrame | None:
    """The programs of ``sc`` on ``measure`` with their strongest design, or None."""
    try:
        return estimate_frame(ec.summary(sc, measure, "program"))
    except AnalysisError:
        return None


def ranking_figure(estimates: pd.DataFrame, measure: str, ordinal: bool, title: str = ""):
    """The program ranking (dots with 95% CIs, the numbers printed), titled by the page."""
    x_title = measure_label(measure, change=True, ordinal=ordinal)
    fig = charts.program_ranking(estimates, lang(), title=title or " ", x_title=x_title, decimals=2 if ordinal else 1)
    if not title:
        fig.update_layout(title=None, margin=dict(t=10))  # the page's header names it
    return fig


def filters_text() -> str:
    """The active filters in words, for a footer."""
    f, everything = filters.current(), _tr("all")
    return _tr("filters", periode=f["periode"] or everything, program=f["program"] or everything,
               kecamatan=f["kecamatan"] or everything, measure=measure_label(f["ukuran"]))


def _projector(fig, large: bool):
    if large:
        fig.update_layout(font=dict(size=22), title=None, margin=dict(t=30))
    return fig


# --------------------------------------------------------------------------- the findings


def _verdict_finding() -> Finding | None:
    verdicts = current_verdicts()
    if not verdicts:
        return None
    return Finding("verdict", takeaways.verdict_takeaway(verdicts, lang()), lambda large: draw_verdicts(verdicts, large))


def _ranking_finding(sc: scope.Scope, measure: str) -> Finding | None:
    estimates = program_estimates(sc, measure)
    if estimates is None or estimates.empty:
        return None
    ordinal = ec.is_ordinal(sc, measure)

    def draw(large: bool) -> None:
        st.plotly_chart(_projector(ranking_figure(estimates, measure, ordinal), large), width="stretch", theme=None,
                        key=f"finding_ranking_{large}")

    return Finding("ranking", takeaways.ranking_takeaway(estimates, measure, lang(), decimals=2 if ordinal else 1), draw)


def chosen_program(estimates: pd.DataFrame | None) -> str | None:
    """The program to show: the sidebar's, else the Program page's choice, else the largest gain."""
    chosen = filters.current()["program"] or st.session_state.get(filters.PROGRAM_CHOICE)
    if estimates is None or estimates.empty:
        return chosen
    names = set(estimates["program"].astype(str))
    if chosen in names:
        return chosen
    d = pd.to_numeric(estimates["mean_delta"], errors="coerce")
    return None if d.isna().all() else str(estimates.loc[d.idxmax(), "program"])


def _program_finding(measure: str) -> Finding | None:
    base = scope.current("training", use_program=False)
    program = chosen_program(program_estimates(base, measure))
    if program is None:
        return None
    sc = scope.current("training", program=program)
    ordinal = ec.is_ordinal(sc, measure)
    try:
        ev = ec.evaluation(sc, measure, "kecamatan")
    except AnalysisError:
        return None
    overall = estimate_frame(pd.DataFrame([ev["overall"]])).iloc[0].to_dict()
    groups = pd.DataFrame(ev["groups"])
    groups = estimate_frame(groups[groups["kecamatan"].notna()]) if "kecamatan" in groups else groups

    def draw(large: bool) -> None:
        st.info(md_escape(ev["overall"].get(f"summary_{lang()}") or ""))
        fig = charts.forest_plot(groups, lang(), overall=overall, decimals=2 if ordinal else 1)
        st.plotly_chart(_projector(fig, large), width="stretch", theme=None, key=f"finding_program_{large}")

    title = takeaways.program_takeaway({**overall, "program": program}, measure, lang(), decimals=2 if ordinal else 1)
    return Finding("program", title, draw)


def _kecamatan_finding(measure: str) -> Finding | None:
    sc = scope.current("training", use_kecamatan=False)
    if not ec.headline(sc)["rows"]:
        return None
    try:
        by_kec = ec.summary(sc, measure, "kecamatan")
    except AnalysisError:
        return None
    by_kec = estimate_frame(by_kec[by_kec["kecamatan"].notna()])

    def draw(large: bool) -> None:
        fig = maps.kecamatan_map(by_kec, "effect_size_dz", lang(), value_label=_tr("map.value"), diverging=True)
        st.plotly_chart(_projector(fig, large), width="stretch", theme=None, key=f"finding_map_{large}")

    return Finding("kecamatan", takeaways.kecamatan_takeaway(by_kec, lang()), draw)


def _ikm_finding() -> Finding | None:
    fb = scope.current("feedback", use_program=False)
    if fb.source.missing or fb.empty:
        return None
    units = vc.ikm_table(fb, "unit_layanan", None, lang())

    def draw(large: bool) -> None:
        fig = ikm_charts.ikm_bars(units, lang(), by="unit_layanan")
        st.plotly_chart(_projector(fig, large), width="stretch", theme=None, key=f"finding_ikm_{large}")

    return Finding("ikm", takeaways.ikm_takeaway(units, lang()), draw)


def _mentoring_finding() -> Finding | None:
    pairs, appraisals = mc.pair_scope(), mc.appraisal_scope()
    if pairs.empty or appraisals.empty:
        return None
    try:
        summary = mc.summary(pairs, appraisals, 0)
    except AnalysisError:
        return None
    title = takeaways.mentoring_takeaway(summary, lang())
    if title is None:
        return None
    kec = summary[summary["level"] == "kecamatan"].rename(columns={"estimate": "mean_delta", "mentees": "n"})
    overall = summary[summary["level"] == "overall"].rename(columns={"estimate": "mean_delta"}).iloc[0]

    def draw(large: bool) -> None:
        fig = charts.forest_plot(kec, lang(), overall=overall, decimals=2, x_title=_tr("mentoring.x"))
        st.plotly_chart(_projector(fig, large), width="stretch", theme=None, key=f"finding_mentoring_{large}")

    return Finding("mentoring", title, draw)


def _followup_finding() -> Finding | None:
    try:
        card, _ = followup.current_scorecard()
    except AnalysisError:
        return None
    if not card.programs:
        return None
    table = scorecard_table(card, lang())

    def draw(large: bool) -> None:
        st.dataframe(table.iloc[:, :7], hide_index=True, width="stretch")

    return Finding("followup", takeaways.followup_takeaway(card, lang()), draw)


def all_findings() -> list[Finding]:
    """The findings the data allow, in meeting order: verdict, ranking, the chosen program, the
    kecamatan view, citizen satisfaction, mentoring, the follow-up recommendations."""
    training = scope.current("training")
    if training.source.missing:
        return []
    measure = filters.current()["ukuran"]
    found = [_verdict_finding(), _ranking_finding(training, measure), _program_finding(measure),
             _kecamatan_finding(measure), _ikm_finding(), _mentoring_finding(), _followup_finding()]
    return [f for f in found if f is not None]


def sources_line() -> str:
    """The data sources behind the findings, in one line."""
    return data.sources_caption(*(data.source(kind) for kind in ("training", "feedback", "mentoring", "kinerja")))
