"""The mentoring evaluation for the pages: cached calls of ``analysis.mentoring``, the per-mentor
table and labels (masked for viewers), and the Kecamatan page's mentoring layer.

The pairs are the mentoring data under the sidebar's period filter (every kecamatan: the effect is
estimated per kecamatan); the appraisals are the whole appraisal data (the periods around the
mentoring and the non-mentees to compare with lie outside any filter).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core.config import get_settings
from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.significance import as_flags, flag_text, status_label
from analysis.mentoring.coverage import jp_with_training
from analysis.mentoring.effect import adjusted_changes, mentoring_frame
from analysis.mentoring.summary import evaluate_mentoring, mentoring_summary
from store.privacy import mask_name, mask_nip
from ui import scope
from ui.scope import Scope, cached
from ui.session import can, lang, tr

STRINGS = {
    "layer.title": {"id": "Mentoring senior–junior", "en": "Senior–junior mentoring"},
    "layer.none": {"id": "Belum ada data mentoring atau penilaian kinerja untuk lapisan ini.",
                   "en": "No mentoring or appraisal data for this layer yet."},
    "layer.caption": {
        "id": "Efek = perubahan penilaian kinerja mentee dikurangi perubahan pegawai pembanding yang cocok (kecamatan "
              "dan penilaian awal yang sama), dengan 95% CI; p dikoreksi Holm antar-kecamatan. Rincian di halaman "
              "Mentoring.",
        "en": "Effect = the mentees' appraisal change minus that of matched non-mentees (same kecamatan and baseline "
              "appraisal), with 95% CIs; p-values Holm-adjusted across districts. Details on the Mentoring page."},
    "layer.sample": {"id": "DATA SINTETIS: contoh bawaan, bukan data pegawai sebenarnya.",
                     "en": "SYNTHETIC DATA: the bundled sample, not real staff."},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.pairs": {"id": "Pasangan", "en": "Pairs"},
    "col.mentors": {"id": "Mentor", "en": "Mentors"},
    "col.mentees": {"id": "Mentee", "en": "Mentees"},
    "col.sessions": {"id": "Sesi per pasangan", "en": "Sessions per pair"},
    "col.junior": {"id": "Pegawai junior dibimbing", "en": "Junior staff mentored"},
    "col.effect": {"id": "Efek [95% CI]", "en": "Effect [95% CI]"},
    "col.p": {"id": "p terkoreksi", "en": "Adjusted p"},
    "col.reading": {"id": "Arti", "en": "Reading"},
    "col.notes": {"id": "Catatan", "en": "Notes"},
    "col.nip": {"id": "NIP mentor", "en": "Mentor's NIP"},
    "col.name": {"id": "Nama mentor", "en": "Mentor's name"},
    "col.raw": {"id": "Rata-rata perubahan mentee", "en": "Mentees' mean change"},
    "col.shrunk": {"id": "Perkiraan disusutkan [95% interval]", "en": "Shrunk estimate [95% interval]"},
    "col.periode": {"id": "Periode", "en": "Period"},
}


# --------------------------------------------------------------------------- the scopes and cached calls


def pair_scope() -> Scope:
    """The mentoring pairs under the sidebar's period filter, every kecamatan."""
    return scope.current("mentoring", use_program=False, use_kecamatan=False)


def appraisal_scope() -> Scope:
    """Every appraisal row."""
    return scope.whole("kinerja")


@cached(max_entries=16)
def evaluation(pairs: Scope, appraisals: Scope, lag_months: int) -> dict:
    """``analysis.mentoring.summary.evaluate_mentoring`` of the two scopes."""
    return evaluate_mentoring(pairs.rows, appraisals.rows, lag_months=lag_months)


@cached(max_entries=16)
def summary(pairs: Scope, appraisals: Scope, lag_months: int) -> pd.DataFrame:
    """The evaluation as ``analysis.mentoring.summary.mentoring_summary``'s tidy table."""
    return mentoring_summary(evaluation(pairs, appraisals, lag_months))


@cached(max_entries=16)
def changes(pairs: Scope, appraisals: Scope, lag_months: int) -> pd.DataFrame:
    """Each mentee's change beyond the matched comparison, with sessions (the dose chart's points)."""
    frame, _ = mentoring_frame(pairs.rows, appraisals.rows, lag_months=lag_months)
    return adjusted_changes(frame)[["kecamatan", "jumlah_sesi", "change"]]


#: The training columns the JP share with mentoring reads.
JP_TRAINING_COLUMNS = ("nip", "jp", "jenis_program", "kelompok", "tanggal_mulai")


@cached(max_entries=16)
def jp_training(pairs: Scope, training: Scope) -> dict:
    """The mentees' share reaching the yearly JP target with training alone and with mentoring."""
    settings = get_settings()
    return jp_with_training(pairs.rows, training.select(JP_TRAINING_COLUMNS), settings.mentoring_jp_per_session,
                            settings.jp_target)


@cached(max_entries=8)
def names(appraisals: Scope) -> dict:
    """NIP → name, from the appraisal data."""
    rows = appraisals.rows
    if "nama" not in rows:
        return {}
    known = rows.dropna(subset=["nip", "nama"]).drop_duplicates("nip", keep="last")
    return dict(zip(known["nip"].astype(str), known["nama"].astype(str)))


# --------------------------------------------------------------------------- pure helpers


def mentor_frame(mentors: list[dict], who: dict, masked: bool) -> pd.DataFrame:
    """The mentors of :func:`evaluation` with their names and a chart label; NIP and name masked
    (``store.privacy``) when ``masked``.

    Examples
    --------
    >>> m = [{"mentor": "197501012000031002", "mentees": 3, "mean_change": 1.0, "shrunk_change": 0.8,
    ...       "ci_low": 0.2, "ci_high": 1.4}]
    >>> f = mentor_frame(m, {"197501012000031002": "Budi Santoso, S.Kom."}, masked=True)
    >>> f[["mentor_nip", "nama_mentor", "label"]].values.tolist()
    [['197501********1002', 'B*** S***', 'B*** S***']]
    """
    frame = pd.DataFrame(mentors, columns=["mentor", "mentees", "mean_change", "shrunk_change", "ci_low", "ci_high"])
    frame = frame.rename(columns={"mentor": "mentor_nip"})
    frame["nama_mentor"] = frame["mentor_nip"].map(lambda n: who.get(str(n)))
    if masked:
        frame["mentor_nip"] = frame["mentor_nip"].map(mask_nip)
        frame["nama_mentor"] = frame["nama_mentor"].map(mask_name)
    frame["label"] = frame["nama_mentor"].where(frame["nama_mentor"].notna(), frame["mentor_nip"])
    return frame


def _effect_text(row, language: str) -> str:
    if row.get("estimate") is None or pd.isna(row.get("estimate")):
        return "–"
    return (f"{fmt_number(row['estimate'], 2, language)} [{fmt_number(row['ci_low'], 2, language)}; "
            f"{fmt_number(row['ci_high'], 2, language)}]")


def kecamatan_table(table: pd.DataFrame, language: str, kecamatan: str | None = None) -> pd.DataFrame:
    """The per-kecamatan rows of :func:`summary` as readable text (one kecamatan, or all).

    Examples
    --------
    >>> t = pd.DataFrame([{"level": "kecamatan", "kecamatan": "Medan Baru", "pairs": 10, "mentees_mentored": 10,
    ...     "sessions_per_pair": 6.5, "junior_share_mentored": 0.25, "estimate": 0.8, "ci_low": 0.4,
    ...     "ci_high": 1.2, "p_adjusted": 0.001, "status": "increase", "flags": "few_clusters"}])
    >>> kecamatan_table(t, "en").iloc[0].tolist()
    ['Medan Baru', '10', '10', '6.5', '25%', '0.80 [0.40; 1.20]', '0.0010', 'Significant increase', 'too few districts (clusters) for clustered standard errors']
    """
    rows = table[table["level"] == "kecamatan"]
    if kecamatan is not None:
        rows = rows[rows["kecamatan"] == kecamatan]

    def cell(key):
        return translate(key, language)

    out = []
    for r in rows.to_dict("records"):
        share = r.get("junior_share_mentored")
        out.append({
            cell("col.kecamatan"): str(r["kecamatan"]),
            cell("col.pairs"): fmt_int(r.get("pairs"), language),
            cell("col.mentees"): fmt_int(r.get("mentees_mentored"), language),
            cell("col.sessions"): fmt_number(r.get("sessions_per_pair"), 1, language),
            cell("col.junior"): fmt_pct(share, 0, language) if share is not None and not pd.isna(share) else "–",
            cell("col.effect"): _effect_text(r, language),
            cell("col.p"): fmt_p(r.get("p_adjusted"), language).removeprefix("p = ").removeprefix("p "),
            cell("col.reading"): status_label(r.get("status"), language),
            cell("col.notes"): flag_text(as_flags(r.get("flags")), language),
        })
    return pd.DataFrame(out, dtype="str")


def translate(key: str, language: str) -> str:
    """A string of this module's table in ``language`` (for the pure helpers).

    Examples
    --------
    >>> translate("col.pairs", "en")
    'Pairs'
    """
    from analysis.core.i18n import translate as _translate

    return _translate(STRINGS, key, language)


# --------------------------------------------------------------------------- the Kecamatan page's layer


def kecamatan_layer(kecamatan: str | None) -> None:
    """The mentoring layer of the Kecamatan page: coverage and effect per kecamatan (one when a
    kecamatan is chosen), from the same evaluation as the Mentoring page."""
    st.subheader(tr(STRINGS, "layer.title"))
    pairs, appraisals = pair_scope(), appraisal_scope()
    if pairs.empty or appraisals.empty:
        st.info(tr(STRINGS, "layer.none"))
        return
    try:
        table = summary(pairs, appraisals, 0)
    except AnalysisError as err:
        st.error(err.message(lang()))
        return
    st.dataframe(kecamatan_table(table, lang(), kecamatan), width="stretch", hide_index=True)
    caption = tr(STRINGS, "layer.caption")
    if pairs.source.is_sample or appraisals.source.is_sample:
        caption = tr(STRINGS, "layer.sample") + " " + caption
    st.caption(caption)


def may_see_people() -> bool:
    """Analysts and administrators see per-mentor tables with NIP and names; viewers do not."""
    return can("analyst")

