"""Who was mentored, by whom, how much, and the JP it earns.

*Junior staff* are the people in the appraisal data whose NIP shows a first appointment (TMT CPNS,
digits 9–12 of the NIP; Perka BKN 22/2007) less than :data:`JUNIOR_YEARS` years before the
mentoring year; numbers without the PNS layout (PPPK) are not counted. The product's own rule,
not a regulation: docs/domain.md §4.

JP: a pair's ``jp`` as recorded, else its sessions × ``EVALUASI_MENTORING_JP_PER_SESSION``. No
national rule fixes the JP of a mentoring session (coaching and mentoring are non-classical
competency development: PP 17/2020; PerLAN 10/2018); the mentor is not credited.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.periods import DEFAULT_PERIOD, period_labels
from analysis.intake.nips import nip_structure_mask

#: Fewer years than this since the first appointment make a junior (the product's own threshold).
JUNIOR_YEARS = 10


def _describe(values: pd.Series) -> dict:
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {"mean": float(v.mean()), "median": float(v.median()), "min": float(v.min()), "max": float(v.max())}


def tmt_year(nips: pd.Series) -> pd.Series:
    """The year of first appointment (TMT CPNS) in a PNS NIP; missing for other numbers.

    Examples
    --------
    >>> tmt_year(pd.Series(["199505052020012004", "12345", None])).tolist()
    [2020.0, nan, nan]
    """
    s = pd.Series(nips).astype("str")
    ok = nip_structure_mask(s)
    years = pd.to_numeric(s.str.slice(8, 12), errors="coerce")
    return years.where(ok)


def workforce(table: pd.DataFrame) -> pd.DataFrame:
    """One row per person of the appraisal table, with the kecamatan of their latest period.

    Examples
    --------
    >>> t = pd.DataFrame({"nip": ["1", "1", "2"], "end": pd.to_datetime(["2025-03-31", "2025-06-30", "2025-06-30"]),
    ...                   "kecamatan": ["Medan Baru", "Medan Kota", None]})
    >>> workforce(t)[["nip", "kecamatan"]].values.tolist()
    [['1', 'Medan Kota'], ['2', nan]]
    """
    latest = table.sort_values(["nip", "end"], kind="stable").drop_duplicates("nip", keep="last")
    return latest[["nip", "kecamatan"]].reset_index(drop=True)


def pair_jp(pairs: pd.DataFrame, per_session: float) -> pd.Series:
    """Each pair's JP for the mentee: ``jp`` as recorded, else ``jumlah_sesi × per_session``.

    Examples
    --------
    >>> pair_jp(pd.DataFrame({"jp": [24.0, np.nan], "jumlah_sesi": [6.0, 5.0]}), 2.0).tolist()
    [24.0, 10.0]
    """
    if not (np.isfinite(per_session) and per_session >= 0):
        raise ValueError(f"per_session (EVALUASI_MENTORING_JP_PER_SESSION) must be 0 or more, got {per_session!r}")
    recorded = pd.to_numeric(pairs["jp"], errors="coerce") if "jp" in pairs else pd.Series(np.nan, index=pairs.index)
    sessions = pd.to_numeric(pairs["jumlah_sesi"], errors="coerce")
    return recorded.fillna(sessions * per_session)


def jp_summary(pairs: pd.DataFrame, per_session: float, target: float) -> dict:
    """The JP mentoring earns the mentees: how it was counted, the total, and the share of
    mentee-years whose mentoring JP alone reach ``target``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_nip": ["a", "b"], "jp": [24.0, np.nan], "jumlah_sesi": [6.0, 5.0],
    ...                       "tanggal_mulai": pd.to_datetime(["2025-06-02", "2025-06-02"])})
    >>> r = jp_summary(pairs, 2.0, 20.0)
    >>> r["pairs_recorded"], r["pairs_from_sessions"], r["mentee_jp_total"], r["share_reaching_target"]
    (1, 1, 34.0, 0.5)
    """
    jp = pair_jp(pairs, per_session)
    recorded = int(pd.to_numeric(pairs.get("jp", pd.Series(dtype=float)), errors="coerce").notna().sum())
    year = pd.to_datetime(pairs["tanggal_mulai"], errors="coerce").dt.year
    per_year = pd.DataFrame({"nip": pairs["mentee_nip"], "year": year, "jp": jp}).groupby(["nip", "year"])["jp"].sum()
    return {
        "per_session": float(per_session), "pairs_recorded": recorded, "pairs_from_sessions": int(len(pairs) - recorded),
        "mentee_jp_total": float(jp.sum()), "mentee_years": int(len(per_year)), "target": float(target),
        "share_reaching_target": float((per_year >= target).mean()) if len(per_year) else None,
        "mentor_credited": False,
    }


def mentoring_jp_rows(pairs: pd.DataFrame, per_session: float) -> pd.DataFrame:
    """The mentees' mentoring JP as rows ``analysis.evidence.jp.jp_target_share`` reads together with
    training rows (``nip``, ``jp``, ``tanggal_mulai``).

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_nip": ["a"], "jp": [np.nan], "jumlah_sesi": [4.0],
    ...                       "tanggal_mulai": pd.to_datetime(["2025-06-02"])})
    >>> mentoring_jp_rows(pairs, 2.0).values.tolist()
    [['a', 8.0, Timestamp('2025-06-02 00:00:00')]]
    """
    return pd.DataFrame({"nip": pairs["mentee_nip"].to_numpy(), "jp": pair_jp(pairs, per_session).to_numpy(),
                         "tanggal_mulai": pd.to_datetime(pairs["tanggal_mulai"]).to_numpy()})


def jp_with_training(pairs: pd.DataFrame, training: pd.DataFrame, per_session: float, target: float) -> dict:
    """Per mentee and calendar year: the share reaching ``target`` JP with their training alone, and
    with their mentoring JP added (PP 17/2020: at least 20 JP a year). Training rows of the
    program type ``mentoring`` are the same mentoring written into the training file: they are left
    out, so the mentoring counts once.

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentee_nip": ["a", "b"], "jp": [np.nan, np.nan], "jumlah_sesi": [6.0, 2.0],
    ...                       "tanggal_mulai": pd.to_datetime(["2025-06-02"] * 2)})
    >>> training = pd.DataFrame({"nip": ["a", "b", "c", "a"], "jp": [12.0, 24.0, 40.0, 12.0],
    ...     "jenis_program": ["pelatihan", "pelatihan", "pelatihan", "mentoring"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-03-03"] * 4)})
    >>> jp_with_training(pairs, training, 2.0, 20.0)
    {'mentee_years': 2, 'share_training_only': 0.5, 'share_with_mentoring': 1.0}
    """
    rows = mentoring_jp_rows(pairs, per_session)
    rows["year"] = pd.to_datetime(rows["tanggal_mulai"]).dt.year
    mentoring = rows.groupby(["nip", "year"])["jp"].sum()
    same = training["jenis_program"].eq("mentoring").fillna(False) if "jenis_program" in training else False
    t = training.loc[training["nip"].isin(set(rows["nip"])) & ~same, ["nip", "jp", "tanggal_mulai"]].copy()
    t["year"] = pd.to_datetime(t["tanggal_mulai"], errors="coerce").dt.year
    trained = pd.to_numeric(t["jp"], errors="coerce").fillna(0).groupby([t["nip"], t["year"]]).sum()
    trained = trained.reindex(mentoring.index, fill_value=0.0)
    if mentoring.empty:
        return {"mentee_years": 0, "share_training_only": None, "share_with_mentoring": None}
    return {"mentee_years": int(len(mentoring)), "share_training_only": float((trained >= target).mean()),
            "share_with_mentoring": float((trained + mentoring >= target).mean())}


def _junior_staff(staff: pd.DataFrame, year: int) -> pd.DataFrame:
    tmt = tmt_year(staff["nip"])
    return staff.loc[(year - tmt < JUNIOR_YEARS).fillna(False).to_numpy()]


def coverage(pairs: pd.DataFrame, table: pd.DataFrame | None = None, period: str = DEFAULT_PERIOD) -> dict:
    """How far mentoring reached: overall and per kecamatan and period.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Accepted ``mentoring`` rows.
    table : pandas.DataFrame, optional
        The appraisal table (:func:`analysis.appraisal.table.appraisal_table`): the workforce whose
        junior staff the share of mentored juniors is counted against.
    period : {"month", "quarter", "semester", "year"}
        The period of ``tanggal_mulai`` rows are counted in.

    Returns
    -------
    dict
        ``pairs``, ``mentors``, ``mentees``, ``sessions_per_pair`` (mean, median, min, max),
        ``mentees_per_mentor`` (mean, median, min, max), ``junior_staff``, ``junior_mentored``,
        ``junior_share_mentored`` (None without appraisal data), ``by_kecamatan`` (one dict per
        kecamatan and period: ``kecamatan``, ``periode``, ``pairs``, ``mentors``, ``mentees``,
        ``sessions_per_pair``, ``junior_staff``, ``junior_share_mentored``).

    Examples
    --------
    >>> pairs = pd.DataFrame({"mentor_nip": ["m1", "m1", "m2"], "mentee_nip": ["a", "b", "c"],
    ...     "kecamatan": ["Medan Baru"] * 3, "jumlah_sesi": [4.0, 6.0, 8.0],
    ...     "tanggal_mulai": pd.to_datetime(["2025-06-02"] * 3)})
    >>> c = coverage(pairs)
    >>> c["pairs"], c["mentors"], c["mentees"], c["sessions_per_pair"]["mean"], c["mentees_per_mentor"]["max"]
    (3, 2, 3, 6.0, 2.0)
    >>> c["by_kecamatan"][0]["periode"], c["junior_share_mentored"] is None
    ('2025-Q2', True)
    """
    starts = pd.to_datetime(pairs["tanggal_mulai"], errors="coerce")
    work = pairs.assign(periode=period_labels(starts, period).to_numpy(), _year=starts.dt.year.to_numpy())
    load = work.groupby("mentor_nip")["mentee_nip"].nunique()
    out = {"pairs": int(len(work)), "mentors": int(work["mentor_nip"].nunique()),
           "mentees": int(work["mentee_nip"].nunique()), "sessions_per_pair": _describe(work["jumlah_sesi"]),
           "mentees_per_mentor": _describe(load), "junior_staff": None, "junior_mentored": None,
           "junior_share_mentored": None}
    staff = workforce(table) if table is not None and len(table) else None
    year = int(work["_year"].max()) if work["_year"].notna().any() else None
    juniors = _junior_staff(staff, year) if staff is not None and year is not None else None
    if juniors is not None:
        mentored = juniors["nip"].isin(set(work["mentee_nip"]))
        out.update(junior_staff=int(len(juniors)), junior_mentored=int(mentored.sum()),
                   junior_share_mentored=float(mentored.mean()) if len(juniors) else None)
    rows = []
    for (kec, per), sub in work.groupby(["kecamatan", "periode"], sort=True):
        row = {"kecamatan": kec, "periode": per, "pairs": int(len(sub)), "mentors": int(sub["mentor_nip"].nunique()),
               "mentees": int(sub["mentee_nip"].nunique()),
               "sessions_per_pair": float(pd.to_numeric(sub["jumlah_sesi"], errors="coerce").mean()),
               "junior_staff": None, "junior_share_mentored": None}
        if juniors is not None and juniors["kecamatan"].notna().any():
            here = juniors[juniors["kecamatan"] == kec]
            row["junior_staff"] = int(len(here))
            row["junior_share_mentored"] = float(here["nip"].isin(set(sub["mentee_nip"])).mean()) if len(here) else None
        rows.append(row)
    out["by_kecamatan"] = rows
    return out
