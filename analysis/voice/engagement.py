"""Community engagement: forums and open-house days beside the IKM of the same place and period.

Counts events, their participants and the suggestions they collected per kecamatan (or service unit)
and period, and puts next to them the survey respondents, the IKM (PermenPANRB 14/2017) and its change
from the previous period of the same place. The association between engagement and the next
change in the IKM is descriptive: places that hold more forums may differ in other ways.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.periods import DEFAULT_PERIOD, check_period, period_labels
from analysis.voice.ikm import ikm_table

BY_CHOICES = ("kecamatan", "unit_layanan")


def _check_by(by: str) -> str:
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    return by


def event_counts(
    events: pd.DataFrame,
    by: str = "kecamatan",
    period: str = DEFAULT_PERIOD,
    kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Events, participants and suggestions collected, per place and period.

    Parameters
    ----------
    events : DataFrame
        Canonical events rows (``jenis_kegiatan``, ``tanggal``, ``kecamatan``, ``unit_layanan``,
        ``jumlah_peserta``, ``jumlah_masukan``).
    by : {"kecamatan", "unit_layanan"}
        The place.
    period : {"month", "quarter", "semester", "year"}
        Period granularity (labels as in :func:`analysis.core.periods.period_labels`).
    kinds : list of str, optional
        Only these ``jenis_kegiatan`` (e.g. ``["forum", "open_house"]``); all when None.

    Returns
    -------
    DataFrame
        ``<by>``, ``periode``, ``events``, ``events_forum``, ``events_open_house``,
        ``events_other``, ``participants`` and ``suggestions`` (sum of ``jumlah_masukan``; missing
        when no event of the group recorded it).

    Examples
    --------
    >>> ev = pd.DataFrame({"jenis_kegiatan": ["forum", "open_house", "forum"],
    ...     "tanggal": pd.to_datetime(["2025-01-15", "2025-02-20", "2025-04-02"]),
    ...     "kecamatan": ["Medan Baru"] * 3, "unit_layanan": ["Kantor Camat"] * 3,
    ...     "jumlah_peserta": [40.0, 120.0, 35.0], "jumlah_masukan": [12.0, None, 9.0]})
    >>> event_counts(ev)[["kecamatan", "periode", "events", "participants", "suggestions"]]
        kecamatan  periode  events  participants  suggestions
    0  Medan Baru  2025-Q1       2         160.0         12.0
    1  Medan Baru  2025-Q2       1          35.0          9.0
    """
    _check_by(by)
    check_period(period)
    need = {"jenis_kegiatan", "tanggal", by, "jumlah_peserta"}
    if not need <= set(events.columns):
        raise ValueError(f"events must have the columns {sorted(need)}, got {list(events.columns)}")
    ev = events
    kind = ev["jenis_kegiatan"].astype("str").str.strip().str.lower()
    if kinds is not None:
        wanted = {str(k).strip().lower() for k in kinds}
        ev, kind = ev[kind.isin(wanted)], kind[kind.isin(wanted)]
    masukan = ev["jumlah_masukan"] if "jumlah_masukan" in ev.columns else pd.Series(np.nan, index=ev.index)
    work = pd.DataFrame({
        by: ev[by],
        "periode": period_labels(ev["tanggal"], period),
        "forum": (kind == "forum").astype(int),
        "open_house": (kind == "open_house").astype(int),
        "other": (~kind.isin(["forum", "open_house"])).astype(int),
        "participants": pd.to_numeric(ev["jumlah_peserta"], errors="coerce"),
        "suggestions": pd.to_numeric(masukan, errors="coerce"),
    })
    g = work.groupby([by, "periode"], dropna=False, sort=True)
    out = pd.DataFrame({
        "events": g.size(),
        "events_forum": g["forum"].sum(),
        "events_open_house": g["open_house"].sum(),
        "events_other": g["other"].sum(),
        "participants": g["participants"].sum(min_count=1),
        "suggestions": g["suggestions"].sum(min_count=1),
    }).reset_index()
    for col in ("events", "events_forum", "events_open_house", "events_other"):
        out[col] = out[col].astype("int64")
    return out


def engagement_table(
    events: pd.DataFrame,
    feedback: pd.DataFrame,
    by: str = "kecamatan",
    period: str = DEFAULT_PERIOD,
    kinds: list[str] | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """Engagement per place and period beside the IKM of the same place and period.

    Every place–period that has events or survey answers gets a row (an outer join), so a period
    without events still shows its IKM and vice versa.

    Returns
    -------
    DataFrame
        ``<by>``, ``periode``, the columns of :func:`event_counts` (0 events where none were held),
        ``respondents``, ``ikm``, ``grade``, ``ikm_change`` (the reported IKM minus that of the
        previous period of the same place with an IKM) and ``events_cumulative``.

    Examples
    --------
    >>> ev = pd.DataFrame({"jenis_kegiatan": ["forum"], "tanggal": pd.to_datetime(["2025-04-10"]),
    ...     "kecamatan": ["Medan Baru"], "unit_layanan": ["Kantor Camat"],
    ...     "jumlah_peserta": [50.0], "jumlah_masukan": [7.0]})
    >>> fb = pd.DataFrame({"tanggal": pd.to_datetime(["2025-02-01", "2025-05-01"]),
    ...     "kecamatan": ["Medan Baru"] * 2, "unit_layanan": ["Kantor Camat"] * 2,
    ...     **{f"u{i}": [3.0, 4.0] for i in range(1, 10)}})
    >>> engagement_table(ev, fb)[["kecamatan", "periode", "events", "respondents", "ikm", "ikm_change"]]
        kecamatan  periode  events  respondents    ikm  ikm_change
    0  Medan Baru  2025-Q1       0            1   75.0         NaN
    1  Medan Baru  2025-Q2       1            1  100.0        25.0
    """
    _check_by(by)
    counts = event_counts(events, by=by, period=period, kinds=kinds)
    if by not in feedback.columns:
        raise ValueError(f"feedback must have a {by} column")
    ikm = ikm_table(feedback, by=by, period=period, lang=lang)
    ikm = ikm[[by, "periode", "n", "ikm", "grade"]].rename(columns={"n": "respondents"})
    out = counts.merge(ikm, on=[by, "periode"], how="outer", sort=False)
    out = out.sort_values([by, "periode"], na_position="last", kind="stable").reset_index(drop=True)
    for col in ("events", "events_forum", "events_open_house", "events_other", "respondents"):
        out[col] = out[col].fillna(0).astype("int64")
    prev = out.dropna(subset=["ikm"]).groupby(by, dropna=False)["ikm"].shift(1)
    out["ikm_change"] = (out["ikm"] - prev).reindex(out.index)
    out["ikm_change"] = out["ikm_change"].round(2)  # difference of two reported values
    out["events_cumulative"] = out.groupby(by, dropna=False)["events"].cumsum().astype("int64")
    return out


def engagement_association(table: pd.DataFrame, by: str = "kecamatan") -> pd.DataFrame:
    """Spearman correlation between a period's events and the IKM change to the next period.

    Descriptive only: places that hold more forums may differ in other ways, and without a
    comparison group an association is not an effect.

    Parameters
    ----------
    table : DataFrame
        The result of :func:`engagement_table`.
    by : {"kecamatan", "unit_layanan"}
        The place column of ``table``.

    Returns
    -------
    DataFrame
        One row: ``n`` (place–periods with a next IKM), ``rho``, ``p_value``.

    Examples
    --------
    >>> t = pd.DataFrame({"kecamatan": ["A"] * 4 + ["B"] * 4, "periode": ["1", "2", "3", "4"] * 2,
    ...                   "events": [0, 2, 1, 3, 1, 0, 2, 0],
    ...                   "ikm": [70.0, 71.0, 75.0, 76.0, 80.0, 81.0, 80.0, 83.0]})
    >>> r = engagement_association(t)
    >>> int(r["n"].iloc[0]), round(float(r["rho"].iloc[0]), 3)
    (6, 0.889)
    """
    _check_by(by)
    t = table.dropna(subset=["ikm"]).sort_values([by, "periode"], kind="stable")
    nxt = t.groupby(by, dropna=False)["ikm"].shift(-1)
    pair = pd.DataFrame({"events": t["events"], "next_change": nxt - t["ikm"]}).dropna()
    rho = p = np.nan
    if len(pair) >= 3 and pair["events"].nunique() > 1 and pair["next_change"].nunique() > 1:
        res = stats.spearmanr(pair["events"], pair["next_change"])
        rho, p = float(res.statistic), float(res.pvalue)
    return pd.DataFrame([{"n": int(len(pair)), "rho": rho, "p_value": p}])
