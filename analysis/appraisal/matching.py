"""Coarsened exact matching of non-participants to participants (Iacus, King & Porro 2012, "Causal
inference without balance checking: coarsened exact matching", Political Analysis 20(1)).

Everyone is placed in a stratum by exact values of the matching variables — the pair of appraisal
periods, the kecamatan or unit type, and the baseline appraisal coarsened into a few levels. A
stratum with at least one participant and one non-participant is *matched*; the others are left
out and counted. Within a matched stratum each participant weighs 1 and each non-participant
n_participants / n_nonparticipants, so the comparison group has the participants' distribution
over the strata (the weights of one stratum add up to its participants).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.appraisal.table import NILAI

#: Width of the bins a numeric ``nilai`` baseline is coarsened into (0–4.99, 5–9.99, …); a predikat
#: rank is matched exactly (five levels).
NILAI_BIN = 5.0


def coarsen_baseline(values, scale: str) -> pd.Series:
    """The baseline appraisal as a matching level: ``nilai`` in bins of :data:`NILAI_BIN` points
    (labelled by their lower bound), a predikat rank as it is.

    Examples
    --------
    >>> coarsen_baseline([82.5, 84.9, 85.0, None], "nilai").tolist()
    ['80', '80', '85', nan]
    >>> coarsen_baseline([4.0, 5.0], "predikat_rank").tolist()
    ['4', '5']
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce")
    level = np.floor(v / NILAI_BIN) * NILAI_BIN if scale == NILAI else v
    return level.map(lambda x: f"{x:g}", na_action="ignore").astype("str")


def cem_weights(people: pd.DataFrame, strata: list[str], treated: str = "treated") -> tuple[pd.DataFrame, dict]:
    """Match ``people`` (participants where ``treated`` is True) exactly on the ``strata`` columns.

    Parameters
    ----------
    people : pandas.DataFrame
        One row per person (or person and group), with the strata columns; a missing value in a
        strata column leaves the row unmatched.
    strata : list of str
        The matching variables, already coarsened.
    treated : str
        Boolean column: a participant.

    Returns
    -------
    (pandas.DataFrame, dict)
        ``people`` with ``stratum`` (text key), ``matched`` and ``weight`` (0 when unmatched); and
        ``participants``, ``participants_matched``, ``comparison``, ``comparison_matched``,
        ``strata`` (with a participant), ``strata_matched``.

    Examples
    --------
    >>> people = pd.DataFrame({"treated": [True, True, True, False, False, False, False],
    ...                        "kec": ["A", "A", "B", "A", "B", "B", "C"], "base": ["4"] * 7})
    >>> out, info = cem_weights(people, ["kec", "base"])
    >>> out["weight"].tolist()
    [1.0, 1.0, 1.0, 2.0, 0.5, 0.5, 0.0]
    >>> info["participants_matched"], info["comparison_matched"]
    (3, 3)
    """
    missing = [c for c in [treated, *strata] if c not in people]
    if missing:
        raise ValueError(f"people must have the columns {[treated, *strata]}, missing {missing}")
    out = people.copy()
    is_t = out[treated].astype(bool).to_numpy()
    complete = out[strata].notna().all(axis=1).to_numpy() if strata else np.ones(len(out), dtype=bool)
    if strata:
        key = out[strata[0]].astype("str").fillna("")
        for col in strata[1:]:
            key = key + "|" + out[col].astype("str").fillna("")
    else:
        key = pd.Series("all", index=out.index)
    out["stratum"] = key.where(complete, None).astype("str")
    codes, _ = pd.factorize(out["stratum"])
    size = int(codes.max()) + 1 if codes.size else 0
    n_t = np.bincount(codes[codes >= 0], weights=is_t[codes >= 0].astype(float), minlength=size)
    n_c = np.bincount(codes[codes >= 0], weights=(~is_t[codes >= 0]).astype(float), minlength=size)
    good = (n_t > 0) & (n_c > 0)
    matched = (codes >= 0) & good[np.maximum(codes, 0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(good, n_t / n_c, 0.0)
    out["matched"] = matched
    out["weight"] = np.where(matched, np.where(is_t, 1.0, ratio[np.maximum(codes, 0)]), 0.0)
    info = {"participants": int(is_t.sum()), "participants_matched": int((is_t & matched).sum()),
            "comparison": int((~is_t).sum()), "comparison_matched": int((~is_t & matched).sum()),
            "strata": int((n_t > 0).sum()), "strata_matched": int(good.sum())}
    return out, info
