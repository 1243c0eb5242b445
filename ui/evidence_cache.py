"""The evidence pages' data: cached evidence-engine calls, the small figures the pages show, and the
helpers the pages share.

Thin. Each cached wrapper calls one ``analysis`` function on the rows of a :class:`ui.scope.Scope`
and is keyed on the scope (its source and filter values, ``ui.scope.cached``) and the other
arguments — never on the rows or a hand-built key. Each takes only the columns its function reads
(:meth:`ui.scope.Scope.select`), and returns a small aggregate (a row per group, a few numbers), never
a copy of the rows: a rerun whose filters did not change does no work on the rows at all.

Besides the wrappers, a few small pure helpers the pages share (no Streamlit inside, tested in
``tests/pages``): :func:`selected_key` (a chart click), :func:`export_job` (an audited download),
:func:`results_table` and :func:`ranking_table` (the evidence engine's fields as text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.groups import participants
from analysis.core.significance import as_flags, effect_status, flag_text, status_label
from analysis.evidence import engine as evidence
from analysis.evidence.groups import WEIGHT
from analysis.evidence.jp import jp_share_of, jp_target_years
from analysis.report.charts import evidence as charts
from analysis.voice import ikm
from store.audit import log_event
from store.privacy import mask_frame
from ui.scope import Scope, cached

#: What the evidence engine reads besides the measure and the grouping fields: the comparison
#: group, the DiD's clusters, one pair per person (performance), the program, the period, the
#: comparison weights.
EVIDENCE_COLUMNS = ("kelompok", "kecamatan", "nip", "program", "tanggal_mulai", WEIGHT)
#: What the headline figures read.
HEADLINE_COLUMNS = ("kelompok", "nip", "program", "jp")
#: What the 20 JP share reads (``analysis.evidence.jp.jp_target_years``).
JP_COLUMNS = ("nip", "tanggal_mulai", "jp")


def evidence_columns(measure: str, by: str | None = None) -> list[str]:
    """The columns ``paired_summary``/``evaluate``/``shift_table`` read for ``measure`` and ``by``.

    Examples
    --------
    >>> evidence_columns("knowledge", "unit_kerja,period")
    ['nilai_pre', 'nilai_post', 'kelompok', 'kecamatan', 'nip', 'program', 'tanggal_mulai', 'bobot_pembanding', 'unit_kerja']
    """
    fields = ["tanggal_mulai" if f == "period" else f for f in evidence.normalise_by(by)]
    return list(dict.fromkeys([*evidence.MEASURES[measure], *EVIDENCE_COLUMNS, *fields]))


def is_ordinal(scope: Scope, measure: str) -> bool:
    """Whether ``measure`` is held as ordered predikat (SKP ratings) rather than numbers (read from
    the source's dtype, without taking rows)."""
    before, _ = evidence.MEASURES[measure]
    return isinstance(scope.dtype(before), pd.CategoricalDtype)


# --------------------------------------------------------------------------- cached engine calls


@cached(max_entries=128)
def summary(scope: Scope, measure: str, by: str | None, correction: str = "holm") -> pd.DataFrame:
    """``analysis.evidence.engine.paired_summary`` of the scope's rows. ``AnalysisError`` is not cached."""
    return evidence.paired_summary(scope.select(evidence_columns(measure, by)), measure, by=by, correction=correction)


@cached(max_entries=64)
def evaluation(scope: Scope, measure: str, by: str | None, correction: str = "holm") -> dict:
    """``analysis.evidence.engine.evaluate`` (groups, overall, design, power) of the scope's rows."""
    return evidence.evaluate(scope.select(evidence_columns(measure, by)), measure, by=by, correction=correction)


@cached(max_entries=64)
def shift(scope: Scope, measure: str) -> pd.DataFrame:
    """``analysis.evidence.engine.shift_table`` (before × after counts of an ordered predikat)."""
    return evidence.shift_table(scope.select(evidence_columns(measure)), measure)


@cached(max_entries=32)
def ikm_by_period(scope: Scope, lang: str) -> pd.DataFrame:
    """``analysis.voice.ikm.ikm_table`` per quarter of the scope's feedback rows."""
    return ikm.ikm_table(scope.rows, by="periode", period="quarter", lang=lang)


# --------------------------------------------------------------------------- small figures of a scope


@cached(max_entries=64)
def headline(scope: Scope) -> dict:
    """The participant rows of the scope, the distinct staff among them (by NIP), their programs and
    the JP they took: ``{"rows", "participants", "programs", "jp_total"}``."""
    people = participants(scope.select(HEADLINE_COLUMNS))
    return {
        "rows": len(people),
        "participants": int(people["nip"].nunique()) if "nip" in people else len(people),
        "programs": int(people["program"].nunique()) if "program" in people else 0,
        "jp_total": float(pd.to_numeric(people["jp"], errors="coerce").sum()) if "jp" in people else float("nan"),
    }


@cached(max_entries=32)
def jp_years(scope: Scope, target: float) -> pd.DataFrame:
    """``analysis.evidence.jp.jp_target_years`` of the scope's rows (a row per year)."""
    return jp_target_years(scope.select(JP_COLUMNS), target)


def jp_share(scope: Scope, target: float, periode: str | None) -> dict:
    """``analysis.evidence.jp.jp_target_share`` of the scope's rows for the year(s) of ``periode``,
    from the per-year counts computed once per scope (:func:`jp_years`)."""
    return jp_share_of(jp_years(scope, target), periode)


@dataclass(frozen=True)
class PairLabels:
    """The words of the Program page's two charts of every participant, in the reader's language."""

    before: str
    after: str
    y_title: str
    x_title: str


@cached(max_entries=32)
def pair_figures(scope: Scope, measure: str, lang: str, masked: bool,
                 labels: PairLabels) -> tuple[go.Figure | None, go.Figure]:
    """The charts of every participant in the scope (``analysis.report.charts.evidence``): each
    one's before and after (``None`` for ordered predikat) and the distribution of the changes. NIP
    and names masked (``store.privacy.mask_frame``) when ``masked``. Figures, not rows: the chart
    of lines draws a fixed sample of the participants, the histogram counts per bin."""
    before_col, after_col = evidence.MEASURES[measure]
    people = participants(scope.select([before_col, after_col, "nama", "nip", "kelompok"]))
    if masked:
        people = mask_frame(people)
    if isinstance(people[before_col].dtype, pd.CategoricalDtype):
        codes = pd.DataFrame({"before": people[before_col].cat.codes.where(lambda c: c >= 0),
                              "after": people[after_col].cat.codes.where(lambda c: c >= 0)})
        return None, charts.delta_histogram(codes, lang, x_title=labels.x_title)
    pairs = people.rename(columns={before_col: "before", after_col: "after"})
    keep = [c for c in ("before", "after", "nama", "nip") if c in pairs]
    paired = charts.paired_before_after(pairs[keep], lang, before_label=labels.before, after_label=labels.after,
                                        y_title=labels.y_title)
    return paired, charts.delta_histogram(pairs[["before", "after"]], lang, x_title=labels.x_title)


@cached(max_entries=32)
def programs(scope: Scope) -> list[str]:
    """The programs that have participants in the scope, sorted."""
    people = participants(scope.select(["kelompok", "program"]))
    return sorted(people["program"].dropna().astype(str).unique().tolist()) if "program" in people else []


# --------------------------------------------------------------------------- pure helpers


def selected_key(state, index: int = 0) -> str | None:
    """The drill-down key of the first selected point of a plotly chart's state
    (``customdata[index]``, as ``analysis.report.charts.evidence`` sets it), or None.

    Examples
    --------
    >>> selected_key({"selection": {"points": [{"customdata": ["Latsar", "increase"]}]}})
    'Latsar'
    >>> selected_key({"selection": {"points": [{"customdata": ["A", "Medan Baru"]}]}}, index=1)
    'Medan Baru'
    >>> selected_key(None), selected_key({"selection": {"points": []}})
    (None, None)
    """
    if not state:
        return None
    selection = state.get("selection") if hasattr(state, "get") else None
    for point in (selection or {}).get("points") or []:
        custom = point.get("customdata")
        if isinstance(custom, str) and index == 0 and custom:
            return custom
        if isinstance(custom, (list, tuple)) and len(custom) > index and custom[index] not in (None, ""):
            return str(custom[index])
    return None


def export_job(build: Callable[[], bytes], store, user, *, fmt: str, page: str, row_level: bool,
               version_id: int | None, detail: Mapping[str, Any] | None = None) -> Callable[[], bytes]:
    """A no-argument callable for ``st.download_button(data=...)``: builds the file when the user
    clicks, and writes the ``export`` entry of the audit log before handing it over.

    Examples
    --------
    >>> from store.datasets import Store
    >>> from store.audit import read_audit
    >>> store = Store("sqlite://")
    >>> job = export_job(lambda: b"xlsx", store, "budi", fmt="xlsx", page="ringkasan", row_level=False,
    ...                  version_id=None)
    >>> job()
    b'xlsx'
    >>> read_audit(store)[["actor", "action"]].to_dict("records")
    [{'actor': 'budi', 'action': 'export'}]
    """
    info = {"format": fmt, "page": page, "row_level": bool(row_level), **(detail or {})}

    def job() -> bytes:
        payload = build()
        log_event(store, user, "export", version_id=version_id, detail={**info, "bytes": len(payload)})
        return payload

    return job


# --------------------------------------------------------------------------- the tests table

#: Labels of the evidence engine's fields, for the full tests table (unknown fields keep their name).
FIELD_LABELS = {
    "n": ("n pasangan", "n pairs"),
    "n_incomplete": ("tanpa pasangan lengkap", "incomplete pairs"),
    "mean_before": ("rata-rata sebelum", "mean before"),
    "mean_after": ("rata-rata sesudah", "mean after"),
    "mean_delta": ("perubahan rata-rata", "mean change"),
    "median_delta": ("median perubahan", "median change"),
    "sd_delta": ("SD perubahan", "SD of change"),
    "ci_low": ("95% CI bawah", "95% CI low"),
    "ci_high": ("95% CI atas", "95% CI high"),
    "t_statistic": ("t", "t"),
    "df": ("df", "df"),
    "t_p_value": ("p uji rata-rata (uji t)", "p of the test of means (t-test)"),
    "wilcoxon_statistic": ("V Wilcoxon", "Wilcoxon V"),
    "wilcoxon_p_value": ("p uji peringkat (Wilcoxon)", "p of the rank test (Wilcoxon)"),
    "wilcoxon_method": ("metode Wilcoxon", "Wilcoxon method"),
    "n_nonzero": ("selisih bukan nol", "non-zero differences"),
    "rank_biserial": ("korelasi rank-biserial", "rank-biserial correlation"),
    "sign_test_p_value": ("p uji tanda", "sign test p"),
    "n_increase": ("naik", "up"),
    "n_no_change": ("tetap", "unchanged"),
    "n_decrease": ("turun", "down"),
    "shapiro_statistic": ("W Shapiro–Wilk", "Shapiro–Wilk W"),
    "shapiro_p_value": ("p Shapiro–Wilk", "Shapiro–Wilk p"),
    "effect_size_dz": ("besar efek (d_z)", "effect size (d_z)"),
    "dz_ci_low": ("besar efek 95% CI bawah", "effect size 95% CI low"),
    "dz_ci_high": ("besar efek 95% CI atas", "effect size 95% CI high"),
    "effect_size_gz": ("g_z (Hedges)", "g_z (Hedges)"),
    "n_extreme": ("selisih ekstrem", "extreme differences"),
    "ceiling_share": ("porsi di batas atas", "share at the ceiling"),
    "mde_dz": ("efek terkecil terdeteksi (d_z, power 80%)", "minimum detectable d_z (80% power)"),
    "primary_test": ("uji utama", "primary test"),
    "p_value": ("p uji utama", "primary p"),
    "p_adjusted": ("peluang kebetulan (p terkoreksi)", "chance of a fluke (adjusted p)"),
    "design": ("desain", "design"),
    "n_comparison": ("n pembanding", "n comparison"),
    "did": ("kenaikan di atas pembanding (DiD)", "gain beyond the comparison (DiD)"),
    "did_se": ("SE DiD", "DiD SE"),
    "did_ci_low": ("DiD 95% CI bawah", "DiD 95% CI low"),
    "did_ci_high": ("DiD 95% CI atas", "DiD 95% CI high"),
    "did_p_value": ("p DiD", "DiD p"),
    "did_p_adjusted": ("p DiD terkoreksi", "DiD adjusted p"),
    "did_n_clusters": ("klaster DiD", "DiD clusters"),
    "did_cluster_by": ("klaster menurut", "clustered by"),
    "flags": ("catatan", "notes"),
}
_VALUE_WORDS = {
    "t": ("uji rata-rata (uji t berpasangan)", "test of means (paired t-test)"),
    "wilcoxon": ("uji peringkat (Wilcoxon signed-rank)", "test of ranks (Wilcoxon signed-rank)"),
    "before_after": ("sebelum–sesudah", "before/after"),
    "difference_in_differences": ("selisih-dalam-selisih (DiD)", "difference in differences (DiD)"),
    "exact": ("eksak", "exact"),
    "normal": ("aproksimasi normal", "normal approximation"),
}
_COUNT_FIELDS = {"n", "n_incomplete", "df", "n_nonzero", "n_increase", "n_no_change", "n_decrease",
                 "n_extreme", "n_comparison", "did_n_clusters"}
_SKIP_FIELDS = {"summary_id", "summary_en", "shift_table"}


def _format_value(field: str, value, lang: str) -> str:
    if field == "flags":
        return flag_text(as_flags(value), lang)
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, str):
        words = _VALUE_WORDS.get(value)
        return words[0 if lang == "id" else 1] if words else value
    if isinstance(value, (bool, np.bool_)):
        return ("ya" if lang == "id" else "yes") if value else ("tidak" if lang == "id" else "no")
    if "p_value" in field or "p_adjusted" in field:
        return fmt_p(value, lang).removeprefix("p = ").removeprefix("p ")
    if field in _COUNT_FIELDS:
        return fmt_int(value, lang)
    if field == "ceiling_share":
        return fmt_pct(value, 0, lang)
    if field in ("t_statistic", "shapiro_statistic", "rank_biserial") or "dz" in field or "gz" in field:
        return fmt_number(value, 3 if field == "shapiro_statistic" else 2, lang)
    return fmt_number(value, 2, lang)


def results_table(records: list[dict], lang: str = "id", key_label: str | None = None) -> pd.DataFrame:
    """Every field the evidence engine returns per group, as text in the reader's locale: one row
    per group, the fields as columns with readable headers (unknown fields keep their name).

    Parameters
    ----------
    records : list of dict
        ``evaluate(...)["groups"]`` (and/or ``["overall"]``); a ``_label`` key names the row.
    key_label : str, optional
        Header of the first column (the ``_label`` values).

    Examples
    --------
    >>> t = results_table([{"_label": "Semua", "n": 8, "p_adjusted": 0.0004, "primary_test": "t",
    ...                   "flags": ["small_n"], "summary_id": "…"}], "id", key_label="Kecamatan")
    >>> t.columns.tolist()
    ['Kecamatan', 'n pasangan', 'peluang kebetulan (p terkoreksi)', 'uji utama', 'catatan']
    >>> t.iloc[0].tolist()
    ['Semua', '8', '< 0,001', 'uji rata-rata (uji t berpasangan)', 'jumlah pasangan kecil']
    """
    i = 0 if lang == "id" else 1
    rows = []
    for rec in records:
        row = {}
        if "_label" in rec:
            row[key_label or "group"] = str(rec["_label"])
        for field, value in rec.items():
            if field in _SKIP_FIELDS or field.startswith("_"):
                continue
            label = FIELD_LABELS.get(field, (field, field))[i]
            row[label] = _format_value(field, value, lang)
        rows.append(row)
    return pd.DataFrame(rows, dtype="str") if rows else pd.DataFrame()


def ranking_table(estimates: pd.DataFrame, key_col: str, lang: str = "id", *, key_label: str | None = None,
                  value: str = "mean_delta", min_n: int | None = None) -> pd.DataFrame:
    """Groups ranked by ``value`` (largest first) as a readable table: rank, group, n, the estimate
    with its 95% CI, d_z with its CI, adjusted p, what it means (the status of
    ``analysis.core.significance.effect_status``, from the engine's flags) and the notes.

    Examples
    --------
    >>> est = pd.DataFrame({"kecamatan": ["Medan Baru", "Medan Kota"], "n": [40, 4], "mean_delta": [5.0, 9.0],
    ...     "ci_low": [3.0, -8.0], "ci_high": [7.0, 26.0], "p_adjusted": [0.001, 0.5],
    ...     "effect_size_dz": [0.8, 0.4], "dz_ci_low": [0.4, -0.6], "dz_ci_high": [1.2, 1.4],
    ...     "flags": ["", "small_n"]})
    >>> t = ranking_table(est, "kecamatan", "en", value="effect_size_dz")
    >>> t.iloc[:, :4].to_dict("records")[0]
    {'#': '1', 'kecamatan': 'Medan Baru', 'n': '40', 'Change [95% CI]': '5.0 [3.0; 7.0]'}
    >>> t["Reading"].tolist()
    ['Significant increase', 'Too little data to conclude']
    """
    en = lang == "en"
    labels = {"change": "Change [95% CI]" if en else "Perubahan [95% CI]",
              "dz": "Effect size (d_z) [95% CI]" if en else "Besar efek (d_z) [95% CI]",
              "p": "Chance of a fluke (adjusted p)" if en else "Peluang kebetulan (p terkoreksi)",
              "status": "Reading" if en else "Arti", "notes": "Notes" if en else "Catatan"}
    if estimates is None or estimates.empty:
        return pd.DataFrame(columns=["#", key_label or key_col, "n", *labels.values()], dtype="str")
    df = estimates.assign(_v=estimates[value].astype(float)).sort_values(
        "_v", ascending=False, na_position="last", kind="stable")
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        flags = as_flags(r.get("flags"))
        status = effect_status(r.get("mean_delta"), r.get("p_adjusted"), flags, r.get("n"), min_n)
        has_dz = np.isfinite(float(r.get("effect_size_dz", np.nan)))
        dz = (f"{fmt_number(r.get('effect_size_dz'), 2, lang)} [{fmt_number(r.get('dz_ci_low'), 2, lang)}; "
              f"{fmt_number(r.get('dz_ci_high'), 2, lang)}]") if has_dz else "–"
        rows.append({
            "#": str(i),
            key_label or key_col: str(r[key_col]),
            "n": fmt_int(r.get("n"), lang),
            labels["change"]: f"{fmt_number(r.get('mean_delta'), 1, lang)} [{fmt_number(r.get('ci_low'), 1, lang)}; "
                              f"{fmt_number(r.get('ci_high'), 1, lang)}]",
            labels["dz"]: dz,
            labels["p"]: _format_value("p_adjusted", r.get("p_adjusted"), lang),
            labels["status"]: status_label(status, lang),
            labels["notes"]: flag_text(flags, lang),
        })
    return pd.DataFrame(rows, dtype="str")
