"""One employee's development record: who they are, what development they had, how their appraisals
went, their JP per year against the target, and their plan.

Personal data: a record is for analysts and administrators only (the pages check the role and
audit every view); nothing here masks or logs — that is the caller's duty.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.career.mentors import mentee_outcomes
from analysis.career.roster import SOURCES, development, staff
from analysis.core.periods import read_periods
from analysis.intake.normalise import PREDIKAT_2022
from analysis.mentoring.coverage import pair_jp

PROGRAM_COLUMNS = ("program", "jenis_program", "tanggal_mulai", "tanggal_selesai", "jp", "nilai_pre", "nilai_post",
                   "kepuasan_peserta")
TRAJECTORY_COLUMNS = ("periode", "period_end", "predikat", "predikat_rank", "rating_hasil_kerja",
                      "rating_perilaku_kerja", "nilai")


def find_employees(people: pd.DataFrame, query: str, limit: int = 20) -> pd.DataFrame:
    """Employees whose NIP holds the digits of ``query`` (at least four, spaces ignored) or whose
    name holds every word of it (case ignored); at most ``limit``, sorted by name.

    Examples
    --------
    >>> people = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001"], "nama": ["Ani Lestari", "Budi"]})
    >>> find_employees(people, "1985 0312")["nama"].tolist(), find_employees(people, "lestari ani")["nip"].tolist()
    (['Ani Lestari'], ['198503122010011003'])
    >>> find_employees(people, "12").empty, find_employees(people, " ").empty
    (True, True)
    """
    if not isinstance(query, str):
        raise ValueError(f"query must be text, got {type(query).__name__}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    text = query.strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if not text:
        return people.iloc[:0]
    if digits.isdigit():
        if len(digits) < 4:
            return people.iloc[:0]
        hit = people["nip"].astype("str").str.contains(digits, regex=False, na=False)
    else:
        names = people["nama"].astype("str").str.lower() if "nama" in people else pd.Series("", index=people.index)
        hit = pd.Series(True, index=people.index)
        for word in text.lower().split():
            hit &= names.str.contains(word, regex=False, na=False)
    found = people[hit.to_numpy()]
    order = found["nama"].astype("str") if "nama" in found else found["nip"].astype("str")
    return found.loc[order.sort_values(kind="stable").index].head(limit)


def trajectory(appraisals: pd.DataFrame, nip: str) -> pd.DataFrame:
    """The employee's appraisal per period, in time order: :data:`TRAJECTORY_COLUMNS` (the predikat's
    rank 1 = Sangat Kurang … 5 = Sangat Baik; ``nilai`` where the export has one).

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["1", "1", "2"], "periode": ["2025-Q2", "2025-Q1", "2025-Q1"],
    ...                      "predikat_kinerja": ["Sangat Baik", "Baik", "Baik"]})
    >>> trajectory(rows, "1")[["periode", "predikat", "predikat_rank"]].values.tolist()
    [['2025-Q1', 'Baik', 4.0], ['2025-Q2', 'Sangat Baik', 5.0]]
    """
    mine = appraisals[appraisals["nip"].astype("str") == str(nip)]
    periods = read_periods(mine["periode"]) if "periode" in mine else pd.DataFrame(index=mine.index)
    out = pd.DataFrame({"periode": periods.get("label"), "period_end": periods.get("end")}, index=mine.index)
    for column, source in (("predikat", "predikat_kinerja"), ("rating_hasil_kerja", "rating_hasil_kerja"),
                           ("rating_perilaku_kerja", "rating_perilaku_kerja")):
        out[column] = mine[source].astype("object").where(mine[source].notna()).astype("str") if source in mine \
            else pd.Series(pd.NA, index=mine.index, dtype="str")
    out["predikat_rank"] = out["predikat"].map({p: float(i) for i, p in enumerate(PREDIKAT_2022, start=1)}).astype(float)
    out["nilai"] = pd.to_numeric(mine["nilai"], errors="coerce") if "nilai" in mine else float("nan")
    return out.sort_values("period_end", kind="stable")[list(TRAJECTORY_COLUMNS)].reset_index(drop=True)


def jp_by_year(activities: pd.DataFrame, nip: str, target: float) -> pd.DataFrame:
    """The employee's JP per calendar year by source, the total and whether it meets ``target``.

    Examples
    --------
    >>> acts = pd.DataFrame({"nip": ["1", "1", "1"], "source": ["training", "jp_lain", "training"],
    ...                      "year": [2024, 2024, 2025], "jp": [12.0, 10.0, 8.0]})
    >>> jp_by_year(acts, "1", 20.0)[["year", "jp_training", "jp_lain", "jp", "meets_target"]].values.tolist()
    [[2024, 12.0, 10.0, 22.0, True], [2025, 8.0, 0.0, 8.0, False]]
    """
    mine = activities[activities["nip"].astype("str") == str(nip)]
    sums = mine.pivot_table(index="year", columns="source", values="jp", aggfunc="sum", fill_value=0.0)
    out = pd.DataFrame({"year": sums.index.astype("int64")})
    for source in SOURCES:
        column = "jp_lain" if source == "jp_lain" else f"jp_{source}"
        out[column] = sums[source].to_numpy(dtype=float) if source in sums else 0.0
    out["jp"] = out["jp_training"] + out["jp_mentoring"] + out["jp_lain"]
    out["target"] = float(target)
    out["meets_target"] = out["jp"] >= target
    return out


def _programs(training: pd.DataFrame | None, nip: str) -> pd.DataFrame:
    if training is None or training.empty:
        return pd.DataFrame(columns=list(PROGRAM_COLUMNS))
    mine = training[(training["nip"].astype("str") == nip) & training["program"].notna()] if "program" in training \
        else training.iloc[:0]
    if "kelompok" in mine:
        mine = mine[mine["kelompok"].ne("pembanding").fillna(True)]
    out = mine.reindex(columns=list(PROGRAM_COLUMNS))
    return out.sort_values("tanggal_mulai", kind="stable").reset_index(drop=True)


def _as_mentee(mentoring: pd.DataFrame | None, nip: str, names: dict, per_session: float) -> pd.DataFrame:
    columns = ["mentor_nip", "nama_mentor", "tanggal_mulai", "tanggal_selesai", "jumlah_sesi", "jp"]
    if mentoring is None or mentoring.empty:
        return pd.DataFrame(columns=columns)
    mine = mentoring[mentoring["mentee_nip"].astype("str") == nip]
    out = pd.DataFrame({"mentor_nip": mine["mentor_nip"].astype("str"),
                        "nama_mentor": mine["mentor_nip"].astype("str").map(names).astype("str"),
                        "tanggal_mulai": mine["tanggal_mulai"],
                        "tanggal_selesai": mine.get("tanggal_selesai", pd.Series(pd.NaT, index=mine.index)),
                        "jumlah_sesi": mine["jumlah_sesi"], "jp": pair_jp(mine, per_session)})
    return out.sort_values("tanggal_mulai", kind="stable").reset_index(drop=True)


def _as_mentor(outcomes: pd.DataFrame, nip: str, names: dict) -> pd.DataFrame:
    mine = outcomes[outcomes["mentors"].map(lambda m: nip in (m or []))].drop(columns=["mentors"])
    mine.insert(1, "nama_mentee", mine["mentee_nip"].astype("str").map(names).astype("str"))
    return mine.reset_index(drop=True)


def employee_record(nip: str, appraisals: pd.DataFrame, training: pd.DataFrame | None = None,
                    mentoring: pd.DataFrame | None = None, other: pd.DataFrame | None = None, *,
                    target: float = 20.0, per_session: float = 2.0, outcomes: pd.DataFrame | None = None,
                    lag_months: int = 0) -> dict:
    """Everything the product knows of one employee's development.

    Parameters
    ----------
    nip : str
    appraisals, training, mentoring, other : pandas.DataFrame
        Accepted ``kinerja``, ``training``, ``mentoring`` and ``jp_lain`` rows.
    target, per_session : float
        ``EVALUASI_JP_TARGET`` and ``EVALUASI_MENTORING_JP_PER_SESSION``.
    outcomes : pandas.DataFrame, optional
        :func:`analysis.career.mentors.mentee_outcomes` of all pairs (computed when not given; pass it
        when showing several records).

    Returns
    -------
    dict
        ``employee`` (the latest appraisal's identity, place, predikat, potensi; None when the
        appraisal data do not hold the NIP), ``programs`` (participant rows: dates, JP, pre/post,
        satisfaction), ``mentee`` (pairs as mentee, with the JP credited), ``mentor`` (mentees with
        their appraisal before and after and the change beyond the matched comparison), ``other``
        (``jp_lain`` rows), ``trajectory`` (per period) and ``jp`` (per year against the target).

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003"] * 2, "nama": ["Ani"] * 2,
    ...     "periode": ["2025-Q1", "2025-Q3"], "predikat_kinerja": ["Baik", "Sangat Baik"]})
    >>> training = pd.DataFrame({"nip": ["198503122010011003"], "program": ["Latsar"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07"]), "jp": [24.0], "nilai_pre": [60.0], "nilai_post": [75.0]})
    >>> r = employee_record("198503122010011003", kinerja, training)
    >>> r["employee"]["nama"], r["programs"]["program"].tolist(), r["trajectory"]["predikat"].tolist()
    ('Ani', ['Latsar'], ['Baik', 'Sangat Baik'])
    >>> r["jp"][["year", "jp", "meets_target"]].values.tolist()
    [[2025, 24.0, True]]
    """
    nip = str(nip)
    people = staff(appraisals) if len(appraisals) else pd.DataFrame(columns=["nip", "nama"])
    me = people[people["nip"] == nip]
    names = dict(zip(people["nip"].astype("str"), people["nama"].astype("str")))
    acts = development(training, mentoring, other, per_session=per_session)
    if outcomes is None:
        has_pairs = mentoring is not None and len(mentoring) > 0
        outcomes = mentee_outcomes(mentoring, appraisals, lag_months) if has_pairs else pd.DataFrame(
            columns=["mentee_nip", "mentors"])
    mine_other = other[other["nip"].astype("str") == nip] if other is not None and len(other) else pd.DataFrame()
    return {
        "employee": None if me.empty else me.iloc[0].to_dict(),
        "programs": _programs(training, nip),
        "mentee": _as_mentee(mentoring, nip, names, per_session),
        "mentor": _as_mentor(outcomes, nip, names) if len(outcomes) else pd.DataFrame(),
        "other": mine_other.reindex(columns=["kegiatan", "bentuk", "penyelenggara", "tanggal_mulai", "tanggal_selesai",
                                             "jp", "sertifikat"]).reset_index(drop=True),
        "trajectory": trajectory(appraisals, nip),
        "jp": jp_by_year(acts, nip, target),
    }
