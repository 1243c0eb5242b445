"""The roster: every employee of the appraisal export, and the JP of their development per year.

The appraisal export (the ``kinerja`` kind) is the list of all employees; the training file, the
mentoring pairs and the optional ``jp_lain`` upload only list those who had development. So the
share meeting the yearly target counts **everyone appraised in the year**, with zero JP for those
who had none — unlike ``analysis.evidence.jp.jp_target_share``, which sees participants only.

How JP are counted (docs/domain.md §4):

- a year is the calendar year of the activity's start date (``tanggal_mulai``);
- **training**: each participant row's ``jp`` (comparison rows have none); a row of the program
  type ``mentoring`` is the same mentoring written into the training file and is left out for a
  person who is a mentee in the mentoring data of that year, so it counts once;
- **mentoring**: the mentee only, the pair's ``jp`` as recorded, else ``jumlah_sesi`` ×
  ``EVALUASI_MENTORING_JP_PER_SESSION`` (``analysis.mentoring.coverage.pair_jp``); the mentor is
  not credited (no rule seen gives mentors JP);
- **other development** (``jp_lain``): each row's ``jp``;
- the target is ``EVALUASI_JP_TARGET`` (default 20 JP: PP 11/2017 as amended by PP 17/2020;
  PerLAN 10/2018), a PNS right: employees whose number does not have the PNS layout (PPPK) are
  listed but not counted in the shares (PPPK development has its own rules: PP 49/2018,
  PerLAN 15/2020).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.table import unit_type
from analysis.core.errors import AnalysisError
from analysis.core.periods import period_bounds, read_periods
from analysis.intake.nips import nip_structure_mask
from analysis.intake.normalise import PREDIKAT_2022
from analysis.mentoring.coverage import pair_jp, tmt_year

#: The three sources of JP.
SOURCES = ("training", "mentoring", "jp_lain")
#: Columns of the development table (:func:`development`).
DEVELOPMENT_COLUMNS = ("nip", "source", "name", "jenis", "start", "end", "year", "jp")
#: JP distribution bins as fractions of the target: 0, below half, below the target, below twice, twice or more.
BIN_EDGES = (0.5, 1.0, 2.0)
BINS = ("jp_0", "jp_below_half", "jp_below_target", "jp_below_double", "jp_double_or_more")
STAFF_COLUMNS = ("nip", "nama", "jabatan", "unit_kerja", "kecamatan", "unit_type", "pns", "tmt_year", "periode",
                 "period_end", "predikat", "predikat_rank", "rating_hasil_kerja", "rating_perilaku_kerja", "potensi")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    return frame[column].astype("object").where(frame[column].notna()).astype("str")


def appraisal_years(appraisals: pd.DataFrame) -> list[int]:
    """The calendar years in which the appraisal periods end.

    Examples
    --------
    >>> appraisal_years(pd.DataFrame({"periode": ["2024", "2025-Q1", "?"]}))
    [2024, 2025]
    """
    if "periode" not in appraisals or appraisals.empty:
        return []
    ends = read_periods(appraisals["periode"])["end"]
    return sorted(int(y) for y in ends.dt.year.dropna().unique())


def choose_year(appraisals: pd.DataFrame, year: int | None = None) -> int:
    """``year`` when the appraisal data have a period ending in it; by default the latest such year.

    Raises
    ------
    AnalysisError
        ``no_roster`` when the appraisal data hold no readable period; ``no_roster_year`` when none
        ends in ``year`` (the message lists the years there are).

    Examples
    --------
    >>> rows = pd.DataFrame({"periode": ["2024", "2025-Q2"]})
    >>> choose_year(rows), choose_year(rows, 2024)
    (2025, 2024)
    >>> choose_year(rows, 2023)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The appraisal data have no period ending in 2023; years: 2024, 2025.
    """
    years = appraisal_years(appraisals)
    if not years:
        raise AnalysisError("no_roster", "Data penilaian kinerja tidak memuat periode yang terbaca: daftar pegawai "
                                         "tidak dapat disusun.",
                            "The appraisal data hold no readable period: the list of employees cannot be made.")
    if year is None:
        return years[-1]
    if int(year) not in years:
        shown = ", ".join(map(str, years))
        raise AnalysisError("no_roster_year", f"Data penilaian kinerja tidak memuat periode yang berakhir pada "
                                              f"{year}; tahun yang ada: {shown}.",
                            f"The appraisal data have no period ending in {year}; years: {shown}.")
    return int(year)


def staff(appraisals: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """One row per employee appraised (in ``year``: a period ending in it), from their latest period.

    Parameters
    ----------
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows.
    year : int, optional
        Only periods ending in this year; default every period.

    Returns
    -------
    pandas.DataFrame
        :data:`STAFF_COLUMNS`: the identity and place from the latest period that names them, the
        latest period's label, end, predikat (and its rank, 1 = Sangat Kurang … 5 = Sangat Baik) and
        ratings, the latest potensi given, ``pns`` (the NIP has the PNS layout) and ``tmt_year``
        (first appointment, from the NIP). Sorted by NIP.

    Examples
    --------
    >>> rows = pd.DataFrame({"nip": ["198503122010011003"] * 2 + ["199001012021211001"],
    ...     "nama": ["Ani", "Ani", "Budi"], "unit_kerja": ["Dinas Sosial", None, "Kantor Camat Medan Baru"],
    ...     "periode": ["2025-Q1", "2025-Q2", "2025-Q2"], "predikat_kinerja": ["Baik", "Sangat Baik", "Baik"],
    ...     "potensi": ["tinggi", None, None]})
    >>> s = staff(rows)
    >>> s[["nip", "unit_kerja", "periode", "predikat", "predikat_rank", "potensi", "pns"]].values.tolist()
    [['198503122010011003', 'Dinas Sosial', '2025-Q2', 'Sangat Baik', 5.0, 'tinggi', True], ['199001012021211001', 'Kantor Camat Medan Baru', '2025-Q2', 'Baik', 4.0, nan, False]]
    """
    periods = read_periods(appraisals["periode"]) if "periode" in appraisals else pd.DataFrame(
        {"label": pd.Series(pd.NA, index=appraisals.index, dtype="str"), "end": pd.NaT}, index=appraisals.index)
    rows = pd.DataFrame({"nip": appraisals["nip"].astype("str"), "periode": periods["label"], "period_end": periods["end"]},
                        index=appraisals.index)
    for column in ("nama", "jabatan", "unit_kerja", "kecamatan", "rating_hasil_kerja", "rating_perilaku_kerja",
                   "potensi"):
        rows[column] = _text(appraisals, column)
    rows["predikat"] = _text(appraisals, "predikat_kinerja")
    rows = rows[rows["period_end"].notna() & rows["nip"].notna()]
    if year is not None:
        rows = rows[rows["period_end"].dt.year == int(year)]
    rows = rows.sort_values(["nip", "period_end"], kind="stable")
    latest = rows.groupby("nip", sort=True).last()  # last non-missing value of each column per person
    last_row = rows.groupby("nip", sort=True).tail(1).set_index("nip")
    out = latest.reset_index()
    for column in ("periode", "period_end", "predikat", "rating_hasil_kerja", "rating_perilaku_kerja"):
        out[column] = last_row[column].reindex(out["nip"]).to_numpy()  # the latest period's own appraisal
    ranks = {p: float(i) for i, p in enumerate(PREDIKAT_2022, start=1)}
    out["predikat_rank"] = out["predikat"].map(ranks).astype(float)
    out["unit_type"] = unit_type(out["unit_kerja"]).to_numpy()
    out["pns"] = nip_structure_mask(out["nip"].astype("str"))
    out["tmt_year"] = tmt_year(out["nip"]).to_numpy()
    for column in ("nama", "jabatan", "unit_kerja", "kecamatan", "periode", "predikat", "rating_hasil_kerja",
                   "rating_perilaku_kerja", "potensi", "unit_type"):
        out[column] = out[column].astype("str")
    return out[list(STAFF_COLUMNS)].reset_index(drop=True)


def _training_rows(training: pd.DataFrame, mentee_years: set) -> pd.DataFrame:
    part = training
    if "kelompok" in part:
        part = part[part["kelompok"].ne("pembanding").fillna(True)]
    if "program" in part:
        part = part[part["program"].notna()]
    part = part[part["tanggal_mulai"].notna()] if "tanggal_mulai" in part else part.iloc[:0]
    start = pd.to_datetime(part["tanggal_mulai"])
    jenis = _text(part, "jenis_program")
    keys = list(zip(part["nip"].astype("str"), start.dt.year))
    same = jenis.eq("mentoring").fillna(False).to_numpy() & np.array([k in mentee_years for k in keys], dtype=bool)
    part, start, jenis = part[~same], start[~same], jenis[~same]
    return pd.DataFrame({
        "nip": part["nip"].astype("str").to_numpy(), "source": "training",
        "name": _text(part, "program").to_numpy(), "jenis": jenis.to_numpy(), "start": start.to_numpy(),
        "end": pd.to_datetime(part["tanggal_selesai"]).to_numpy() if "tanggal_selesai" in part else pd.NaT,
        "jp": pd.to_numeric(part.get("jp"), errors="coerce").to_numpy(dtype=float) if "jp" in part else np.nan,
    })


def _mentoring_rows(pairs: pd.DataFrame, per_session: float) -> pd.DataFrame:
    return pd.DataFrame({
        "nip": pairs["mentee_nip"].astype("str").to_numpy(), "source": "mentoring", "name": "Mentoring",
        "jenis": "mentoring", "start": pd.to_datetime(pairs["tanggal_mulai"]).to_numpy(),
        "end": pd.to_datetime(pairs["tanggal_selesai"]).to_numpy() if "tanggal_selesai" in pairs else pd.NaT,
        "jp": pair_jp(pairs, per_session).to_numpy(dtype=float),
    })


def _other_rows(other: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "nip": other["nip"].astype("str").to_numpy(), "source": "jp_lain", "name": _text(other, "kegiatan").to_numpy(),
        "jenis": _text(other, "bentuk").to_numpy(), "start": pd.to_datetime(other["tanggal_mulai"]).to_numpy(),
        "end": pd.to_datetime(other["tanggal_selesai"]).to_numpy() if "tanggal_selesai" in other else pd.NaT,
        "jp": pd.to_numeric(other["jp"], errors="coerce").to_numpy(dtype=float),
    })


def development(training: pd.DataFrame | None = None, mentoring: pd.DataFrame | None = None,
                other: pd.DataFrame | None = None, *, per_session: float = 2.0) -> pd.DataFrame:
    """Every development activity with its JP, one row per person and activity (module docstring
    says what counts).

    Parameters
    ----------
    training, mentoring, other : pandas.DataFrame, optional
        Accepted ``training``, ``mentoring`` and ``jp_lain`` rows.
    per_session : float
        JP a mentee is credited per session when a pair records none
        (``EVALUASI_MENTORING_JP_PER_SESSION``).

    Returns
    -------
    pandas.DataFrame
        :data:`DEVELOPMENT_COLUMNS`: ``source`` is ``training``, ``mentoring`` or ``jp_lain``;
        ``year`` the start's calendar year; ``jp`` missing counts as 0.

    Examples
    --------
    >>> training = pd.DataFrame({"nip": ["a", "a", "b"], "program": ["Latsar", "Mentoring", None],
    ...     "jenis_program": ["pelatihan", "mentoring", None], "kelompok": ["peserta", "peserta", "pembanding"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-03-03", "2025-06-02", None]), "jp": [12.0, 16.0, None]})
    >>> pairs = pd.DataFrame({"mentor_nip": ["m"], "mentee_nip": ["a"], "jumlah_sesi": [6.0], "jp": [None],
    ...     "tanggal_mulai": pd.to_datetime(["2025-06-02"])})
    >>> dev = development(training, pairs, per_session=2.0)
    >>> dev[["nip", "source", "name", "year", "jp"]].values.tolist()
    [['a', 'training', 'Latsar', 2025, 12.0], ['a', 'mentoring', 'Mentoring', 2025, 12.0]]

    The training row of the type mentoring is the same mentoring: it is left out, and the mentor
    ``m`` earns nothing.
    """
    has_pairs = mentoring is not None and len(mentoring) > 0
    mentee_years = set()
    if has_pairs:
        starts = pd.to_datetime(mentoring["tanggal_mulai"])
        mentee_years = set(zip(mentoring["mentee_nip"].astype("str"), starts.dt.year))
    parts = []
    if training is not None and len(training) and "nip" in training:
        parts.append(_training_rows(training, mentee_years))
    if has_pairs:
        parts.append(_mentoring_rows(mentoring, per_session))
    if other is not None and len(other):
        parts.append(_other_rows(other))
    parts = [p for p in parts if len(p)]
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype="str") for c in ("nip", "source", "name", "jenis")})
        out["start"] = pd.Series(dtype="datetime64[ns]")
        out["end"] = pd.Series(dtype="datetime64[ns]")
        out["year"] = pd.Series(dtype="int64")
        out["jp"] = pd.Series(dtype="float64")
        return out
    out = pd.concat(parts, ignore_index=True)
    out = out[out["nip"].notna() & pd.notna(out["start"])].copy()
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out["year"] = out["start"].dt.year.astype("int64")
    out["jp"] = out["jp"].fillna(0.0)
    for column in ("nip", "source", "name", "jenis"):
        out[column] = out[column].astype("str")
    return out.sort_values(["nip", "start", "source"], kind="stable")[list(DEVELOPMENT_COLUMNS)].reset_index(drop=True)


def jp_table(people: pd.DataFrame, activities: pd.DataFrame, year: int, target: float) -> pd.DataFrame:
    """Every employee of ``people`` (:func:`staff`) with their JP of ``year`` by source, the total,
    and whether it meets ``target``; an employee without any development has 0 JP.

    Returns
    -------
    pandas.DataFrame
        ``people``'s columns plus ``jp_training``, ``jp_mentoring``, ``jp_lain``, ``jp``,
        ``activities`` (count) and ``meets_target`` (missing for non-PNS, who are not counted).

    Examples
    --------
    >>> people = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001", "199001012021211001"],
    ...                        "pns": [True, True, False]})
    >>> acts = pd.DataFrame({"nip": ["198503122010011003"] * 2, "source": ["training", "jp_lain"],
    ...                      "year": [2025, 2025], "jp": [12.0, 8.0]})
    >>> t = jp_table(people, acts, 2025, 20.0)
    >>> t[["jp_training", "jp_lain", "jp", "meets_target"]].values.tolist()
    [[12.0, 8.0, 20.0, True], [0.0, 0.0, 0.0, False], [0.0, 0.0, 0.0, <NA>]]
    """
    if not np.isfinite(target) or target <= 0:
        raise ValueError(f"target (EVALUASI_JP_TARGET) must be a positive number, got {target!r}")
    this_year = activities[activities["year"] == int(year)]
    sums = this_year.pivot_table(index="nip", columns="source", values="jp", aggfunc="sum", fill_value=0.0)
    counts = this_year.groupby("nip").size()
    out = people.copy()
    nip = out["nip"].astype("str")
    for source in SOURCES:
        column = f"jp_{source}" if source != "jp_lain" else "jp_lain"
        values = sums[source] if source in sums else pd.Series(dtype=float)
        out[column] = values.reindex(nip).fillna(0.0).to_numpy(dtype=float)
    out["jp"] = out["jp_training"] + out["jp_mentoring"] + out["jp_lain"]
    out["activities"] = counts.reindex(nip).fillna(0).astype("int64").to_numpy()
    meets = pd.array(out["jp"].to_numpy() >= target, dtype="boolean")
    meets[~out["pns"].to_numpy(dtype=bool)] = pd.NA
    out["meets_target"] = meets
    return out


def _distribution(jp: pd.Series, target: float) -> dict:
    edges = [target * f for f in BIN_EDGES]
    x = jp.to_numpy(dtype=float)
    counts = [int((x == 0).sum()), int(((x > 0) & (x < edges[0])).sum()), int(((x >= edges[0]) & (x < edges[1])).sum()),
              int(((x >= edges[1]) & (x < edges[2])).sum()), int((x >= edges[2]).sum())]
    q = np.quantile(x, [0.25, 0.5, 0.75]) if len(x) else [np.nan] * 3
    return {"jp_mean": float(x.mean()) if len(x) else None, "jp_q1": float(q[0]) if len(x) else None,
            "jp_median": float(q[1]) if len(x) else None, "jp_q3": float(q[2]) if len(x) else None,
            "jp_max": float(x.max()) if len(x) else None, **dict(zip(BINS, counts))}


def target_summary(table: pd.DataFrame, target: float, by: str | None = None) -> pd.DataFrame:
    """PNS meeting the target and the JP distribution, overall (``by=None``) or per ``unit_kerja``
    or ``kecamatan``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``employees`` (PNS), ``meeting_target``, ``share``, ``jp_mean``,
        ``jp_q1``, ``jp_median``, ``jp_q3`` (R's default quantile, type 7), ``jp_max`` and the counts of
        :data:`BINS` (0 JP; below half the target; below the target; below twice; twice or more).
        Per unit kerja also its ``kecamatan`` (the most frequent one).

    Examples
    --------
    >>> t = pd.DataFrame({"unit_kerja": ["A", "A", "B"], "kecamatan": ["K", "K", "L"], "pns": [True] * 3,
    ...                   "jp": [0.0, 24.0, 12.0], "meets_target": [False, True, False]})
    >>> s = target_summary(t, 20.0, "unit_kerja")
    >>> s[["unit_kerja", "employees", "meeting_target", "share", "jp_0", "jp_below_double"]].values.tolist()
    [['A', 2, 1, 0.5, 1, 1], ['B', 1, 0, 0.0, 0, 0]]
    """
    pns = table[table["pns"].to_numpy(dtype=bool)]
    groups = [((), pns)] if by is None else pns.groupby(pns[by].fillna("–"), sort=True)
    rows = []
    for key, sub in groups:
        met = int(sub["meets_target"].fillna(False).astype(bool).sum())
        row = {} if by is None else {by: key}
        if by == "unit_kerja" and "kecamatan" in sub:
            mode = sub["kecamatan"].dropna().mode()
            row["kecamatan"] = mode.iloc[0] if len(mode) else None
        row.update(employees=int(len(sub)), meeting_target=met, share=met / len(sub) if len(sub) else None,
                   **_distribution(sub["jp"], target))
        rows.append(row)
    return pd.DataFrame(rows)


def jp_result(appraisals: pd.DataFrame, training: pd.DataFrame | None = None, mentoring: pd.DataFrame | None = None,
              other: pd.DataFrame | None = None, *, year: int | None = None, target: float = 20.0,
              per_session: float = 2.0) -> dict:
    """The JP roster of a year as ``python -m analysis jp --json`` prints it.

    Returns
    -------
    dict
        ``year``, ``target``, ``overall`` (``employees``, ``meeting_target``, ``share`` and the
        distribution of :func:`target_summary`), ``units`` (per unit kerja), ``kecamatan``,
        ``employees`` (``nip``, ``jp``, ``meets_target`` per PNS), ``not_pns`` (employees listed but
        not counted), ``counting`` (per source the activities and JP of the year, the mentoring JP
        per session, ``mentor_credited`` false, and ``development_not_on_roster``: people with
        development in the year who are not appraised in it).

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001"], "periode": ["2025"] * 2})
    >>> training = pd.DataFrame({"nip": ["198503122010011003"], "program": ["Latsar"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-03-03"]), "jp": [24.0]})
    >>> r = jp_result(kinerja, training)
    >>> r["year"], r["overall"]["employees"], r["overall"]["meeting_target"], r["overall"]["share"]
    (2025, 2, 1, 0.5)
    >>> r["employees"]
    [{'nip': '198503122010011003', 'jp': 24.0, 'meets_target': True}, {'nip': '199001012015022001', 'jp': 0.0, 'meets_target': False}]
    """
    year = choose_year(appraisals, year)
    people = staff(appraisals, year)
    acts = development(training, mentoring, other, per_session=per_session)
    table = jp_table(people, acts, year, target)
    overall = target_summary(table, target).iloc[0].to_dict()
    pns = table[table["pns"].to_numpy(dtype=bool)]
    this_year = acts[acts["year"] == year]
    counting = {source: {"activities": int((this_year["source"] == source).sum()),
                         "jp": float(this_year.loc[this_year["source"] == source, "jp"].sum())} for source in SOURCES}
    counting.update(mentoring_jp_per_session=float(per_session), mentor_credited=False,
                    development_not_on_roster=int(len(set(this_year["nip"]) - set(people["nip"]))))
    return {
        "year": int(year), "target": float(target),
        "overall": {"employees": int(overall["employees"]), "meeting_target": int(overall["meeting_target"]),
                    "share": overall["share"], **{k: (int(v) if k in BINS else v) for k, v in overall.items()
                                                  if k not in ("employees", "meeting_target", "share")}},
        "units": target_summary(table, target, "unit_kerja").to_dict("records"),
        "kecamatan": target_summary(table, target, "kecamatan").to_dict("records"),
        "employees": [{"nip": n, "jp": float(j), "meets_target": bool(m)}
                      for n, j, m in zip(pns["nip"], pns["jp"], pns["meets_target"])],
        "not_pns": int((~table["pns"].to_numpy(dtype=bool)).sum()),
        "counting": counting,
    }


def roster_share(appraisals: pd.DataFrame, training: pd.DataFrame | None = None,
                 mentoring: pd.DataFrame | None = None, other: pd.DataFrame | None = None, *,
                 periode: str | None = None, kecamatan: str | None = None, target: float = 20.0,
                 per_session: float = 2.0) -> dict:
    """The share of PNS reaching the yearly JP target over the appraisal roster: every PNS appraised
    in a year counts, those with no development at all with 0 JP (the yearly duty of at least 20 JP,
    PP 11/2017 as amended by PP 17/2020). The shape of :func:`analysis.evidence.jp.jp_target_share`
    (``pns`` counts PNS-years), so a headline can show either.

    Parameters
    ----------
    appraisals : pandas.DataFrame
        Accepted ``kinerja`` rows: the list of employees per year.
    training, mentoring, other : pandas.DataFrame, optional
        The development counted (:func:`development`).
    periode : str, optional
        Only the year this period lies in (a quarter counts its whole year); default every year of
        the roster.
    kecamatan : str, optional
        Only employees appraised in this kecamatan.

    Examples
    --------
    >>> kinerja = pd.DataFrame({"nip": ["198503122010011003", "199001012015022001"], "periode": ["2025"] * 2,
    ...                         "kecamatan": ["Medan Baru", "Medan Kota"]})
    >>> training = pd.DataFrame({"nip": ["198503122010011003"], "program": ["Latsar"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-03-03"]), "jp": [24.0]})
    >>> roster_share(kinerja, training)
    {'pns': 2, 'reached': 1, 'share': 0.5, 'years': [2025]}
    >>> roster_share(kinerja, training, kecamatan="Medan Kota")["share"], roster_share(kinerja, periode="2024")["pns"]
    (0.0, 0)
    """
    years = appraisal_years(appraisals)
    if periode:
        years = [y for y in years if y == period_bounds(periode)[0].year]
    activities = development(training, mentoring, other, per_session=per_session)
    pns = reached = 0
    for year in years:
        table = jp_table(staff(appraisals, year), activities, year, target)
        table = table[table["pns"].to_numpy(dtype=bool)]
        if kecamatan is not None:
            table = table[_text(table, "kecamatan") == kecamatan]
        pns += len(table)
        reached += int(table["meets_target"].fillna(False).astype(bool).sum())
    if not pns:
        return {"pns": 0, "reached": 0, "share": float("nan"), "years": []}
    return {"pns": pns, "reached": reached, "share": reached / pns, "years": years}
