"""From the intake's training table to the arrays the evidence engine works on.

:func:`prepare` reads the measure (numbers, or an ordered SKP predikat as ranks 1..k), marks the
comparison rows (:func:`analysis.core.groups.comparison_mask`) and factorizes every grouping field once;
:func:`group_rows` forms the groups of participant rows; :func:`match_comparisons` pairs comparison
rows with the groups they compare against; :func:`comparison_did` runs the long-data
difference-in-differences engine (``analysis.stats.did``) on participants and their comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.groups import comparison_mask
from analysis.core.periods import period_labels
from analysis.stats.did import did_arrays

#: before and after columns of each measure (Kirkpatrick's levels 2, learning, and 3, behaviour:
#: Kirkpatrick & Kirkpatrick (2006), Evaluating Training Programs, 3rd ed.).
MEASURES = {
    "knowledge": ("nilai_pre", "nilai_post"),
    "performance": ("kinerja_sebelum", "kinerja_sesudah"),
}
#: Top of each numeric scale for the ceiling flag: test scores are 0–100; the PP 46/2011 SKP scale
#: is nominally 0–100 (a score may exceed 100, which counts as at the top).
CEILING = {"knowledge": 100.0, "performance": 100.0}
#: The two designs of an estimate: the change of the participants alone (before/after), or that
#: change minus the comparison group's (difference in differences; Angrist & Pischke (2014),
#: Mastering 'Metrics, ch. 5).
BEFORE_AFTER = "before_after"
DID = "difference_in_differences"
DESIGNS = (BEFORE_AFTER, DID)
#: Columns a result can be grouped by; ``period`` is the quarter of ``tanggal_mulai`` ("2025-Q1").
BY_FIELDS = ("program", "jenis_program", "kecamatan", "unit_kerja", "period")
#: Fields a comparison row may leave empty, meaning "compares with every value" (a non-participant
#: has no program, program type or start date).
WILDCARD_FIELDS = ("program", "jenis_program", "period")
#: Optional column: the weight of each comparison row in the difference in differences (a matched
#: comparison group's weights, e.g. coarsened exact matching); a row without one weighs 1.
WEIGHT = "bobot_pembanding"


def normalise_by(by) -> tuple[str, ...]:
    """The grouping as a tuple of field names: accepts ``None``, ``"program,kecamatan"`` or a sequence.

    Examples
    --------
    >>> normalise_by("program, kecamatan")
    ('program', 'kecamatan')
    >>> normalise_by(None)
    ()
    """
    if by is None:
        return ()
    if isinstance(by, str):
        by = [part.strip() for part in by.split(",") if part.strip()]
    out: list[str] = []
    for field in by:
        if field not in BY_FIELDS:
            raise ValueError(f"by must name fields among {BY_FIELDS}, got {field!r}")
        if field not in out:
            out.append(field)
    return tuple(out)


@dataclass
class Prepared:
    """The measure as arrays, the comparison mask and the grouping fields' codes (one per row of ``df``)."""

    measure: str
    scale: str  # "numeric" | "ordinal"
    categories: list | None
    ceiling: float
    levels: dict  # field -> (code per row, sorted distinct values with a missing value last)
    before: np.ndarray
    after: np.ndarray
    comparison: np.ndarray  # bool per row
    cluster: np.ndarray | None  # kecamatan code per row
    weight: np.ndarray | None = None  # comparison rows' weight in the DiD (WEIGHT); None: all 1


def _column_values(col: pd.Series, name: str) -> np.ndarray:
    if not (pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)):
        raise AnalysisError(
            "measure_not_numeric",
            f"Kolom {name} harus berisi angka atau predikat berjenjang, bukan {col.dtype}.",
            f"Column {name} must hold numbers or ordered ratings, not {col.dtype}.",
        )
    return col.to_numpy(dtype=float, na_value=np.nan)


def one_pair_per_person(df: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """Performance (SKP) is a person's yearly value, written again on every program row of that
    person: keep one row per NIP (and group, and participant/comparison side), so nobody counts
    twice in a test. Rows without an NIP are kept as they are.

    Examples
    --------
    >>> df = pd.DataFrame({"nip": ["1", "1", "2"], "program": ["A", "B", "A"],
    ...                    "kinerja_sebelum": [80.0, 80, 70], "kinerja_sesudah": [85.0, 85, 72]})
    >>> len(one_pair_per_person(df, ())), len(one_pair_per_person(df, ("program",)))
    (2, 3)
    """
    if "nip" not in df.columns:
        return df
    keys = [c for c in ("nip", *by) if c in df.columns and c != "period"]
    work = df[keys].copy()
    work["_comparison"] = comparison_mask(df)
    if "period" in by and "tanggal_mulai" in df.columns:
        work["_q"] = period_labels(df["tanggal_mulai"], "quarter")
    repeat = work.duplicated(keep="first") & df["nip"].notna()
    return df.loc[~repeat.to_numpy()] if repeat.any() else df


def prepare(df: pd.DataFrame, measure: str, by: tuple[str, ...]) -> Prepared:
    """Check the table and turn it into arrays: before/after, comparison mask, field codes.

    An ordered predikat becomes its rank (1 = lowest category). Raises ``AnalysisError`` for data
    problems a user can fix (a missing column, text where numbers belong, two rating scales).

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A", "B", None], "kelompok": ["peserta", "peserta", "pembanding"],
    ...                    "nilai_pre": [60.0, 70, 65], "nilai_post": [70.0, 72, 66]})
    >>> prep = prepare(df, "knowledge", ("program",))
    >>> prep.scale, prep.comparison.tolist(), prep.levels["program"][0].tolist()
    ('numeric', [False, False, True], [0, 1, 2])
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {tuple(MEASURES)}, got {measure!r}")
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    before_col, after_col = MEASURES[measure]
    missing = [c for c in (before_col, after_col) if c not in df.columns]
    for field in by:
        if field == "period":
            if "period" not in df.columns and "tanggal_mulai" not in df.columns:
                missing.append("tanggal_mulai")
        elif field not in df.columns:
            missing.append(field)
    if missing:
        cols = ", ".join(missing)
        raise AnalysisError(
            "missing_columns",
            f"Data tidak punya kolom {cols}, yang dibutuhkan untuk analisis ini.",
            f"The data have no column {cols}, which this analysis needs.",
        )
    if measure == "performance":
        df = one_pair_per_person(df, by)
    b, a = df[before_col], df[after_col]
    b_cat = isinstance(b.dtype, pd.CategoricalDtype)
    a_cat = isinstance(a.dtype, pd.CategoricalDtype)
    categories = None
    if b_cat or a_cat:
        same = b_cat and a_cat and list(b.cat.categories) == list(a.cat.categories)
        if not (same and b.cat.ordered and a.cat.ordered):
            raise AnalysisError(
                "mixed_scales",
                f"{before_col} dan {after_col} harus memakai skala predikat berjenjang yang sama.",
                f"{before_col} and {after_col} must use the same ordered rating scale.",
            )
        categories = list(b.cat.categories)
        codes_b = b.cat.codes.to_numpy()
        codes_a = a.cat.codes.to_numpy()
        before = np.where(codes_b >= 0, codes_b + 1.0, np.nan)
        after = np.where(codes_a >= 0, codes_a + 1.0, np.nan)
        scale, ceiling = "ordinal", float(len(categories))
    else:
        before = _column_values(b, before_col)
        after = _column_values(a, after_col)
        scale, ceiling = "numeric", CEILING[measure]

    levels = {}
    for field in set(by) | ({"kecamatan"} & set(df.columns)):
        values = period_labels(df["tanggal_mulai"], "quarter") if field == "period" and "period" not in df.columns else df[field]
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
        levels[field] = (codes.astype(np.intp, copy=False), uniques)

    comparison = comparison_mask(df)
    cluster = levels["kecamatan"][0] if "kecamatan" in levels else None
    weight = None
    if WEIGHT in df.columns:
        weight = pd.to_numeric(df[WEIGHT], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        weight = np.where(np.isfinite(weight) & (weight > 0), weight, 1.0)
    return Prepared(measure, scale, categories, ceiling, levels, before, after, comparison, cluster, weight)


@dataclass
class Groups:
    """Groups of participant rows: a code per row, the table of grouping values, their mixed-radix codes."""

    key: np.ndarray  # group of each participant row
    table: pd.DataFrame  # the grouping values of each group
    combos: np.ndarray  # sorted mixed-radix code of each group
    strides: dict  # field -> stride in the mixed-radix code


def group_rows(prep: Prepared, by: tuple[str, ...], rows: np.ndarray) -> Groups:
    """Groups formed by the participant ``rows``: sorted by the ``by`` values, missing values last.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["B", "A", "B"], "nilai_pre": [1.0, 2, 3], "nilai_post": [2.0, 2, 5]})
    >>> g = group_rows(prepare(df, "knowledge", ("program",)), ("program",), np.arange(3))
    >>> g.key.tolist(), g.table["program"].tolist()
    ([1, 0, 1], ['A', 'B'])
    """
    if not by:
        return Groups(np.zeros(rows.size, dtype=np.intp), pd.DataFrame(index=range(1)), np.zeros(1, np.int64), {})
    sizes = [len(prep.levels[f][1]) for f in by]
    strides, step = {}, 1
    for field, size in zip(reversed(by), reversed(sizes)):
        strides[field] = step
        step *= size
    combined = np.zeros(rows.size, dtype=np.int64)
    for field in by:
        combined += prep.levels[field][0][rows] * strides[field]
    if step <= max(4 * rows.size, 1_000_000):
        combos = np.flatnonzero(np.bincount(combined, minlength=step))
        lookup = np.zeros(step, dtype=np.intp)
        lookup[combos] = np.arange(combos.size)
        key = lookup[combined]
    else:
        combos, key = np.unique(combined, return_inverse=True)
    table = pd.DataFrame({f: prep.levels[f][1].take((combos // strides[f]) % size) for f, size in zip(by, sizes)})
    return Groups(key.astype(np.intp, copy=False).ravel(), table, combos.astype(np.int64), strides)


def match_comparisons(prep: Prepared, groups: Groups, by: tuple[str, ...],
                      rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair comparison ``rows`` with the groups they compare against: (row, group) edges, both in
    ``rows``' integer type (the caller picks one that holds the group codes too).

    Same values on every ``by`` field, except that a comparison row without a program, program type
    or start date (period) compares with every value of that field.

    Examples
    --------
    >>> df = pd.DataFrame({"program": ["A", "B", "A", None],
    ...                    "kelompok": ["peserta", "peserta", "pembanding", "pembanding"],
    ...                    "nilai_pre": [1.0, 2, 3, 4], "nilai_post": [2.0, 2, 5, 4]})
    >>> prep = prepare(df, "knowledge", ("program",))
    >>> groups = group_rows(prep, ("program",), np.array([0, 1]))
    >>> [a.tolist() for a in match_comparisons(prep, groups, ("program",), np.array([2, 3]))]
    [[2, 3, 3], [0, 0, 1]]
    """
    if not by:
        return rows, np.zeros(rows.size, dtype=rows.dtype)
    if groups.combos.size == 0:
        return rows[:0], np.zeros(0, dtype=rows.dtype)
    combined = np.zeros(rows.size, dtype=np.int64)
    for field in by:
        combined += prep.levels[field][0][rows] * groups.strides[field]

    def find(codes):
        at = np.minimum(np.searchsorted(groups.combos, codes), groups.combos.size - 1)
        return at, groups.combos[at] == codes

    # A comparison row without a program (or program type, or date: no period) compares with every
    # value of that field: expand it over the field's levels, one field at a time.
    for field in by:
        if field not in WILDCARD_FIELDS:
            continue
        na = np.flatnonzero(pd.isna(prep.levels[field][1]))
        if not na.size:
            continue
        level = prep.levels[field][0][rows]
        wild = level == na[0]
        if not wild.any():
            continue
        stride = groups.strides[field]
        steps = np.arange(len(prep.levels[field][1]), dtype=np.int64) * stride
        base = combined[wild] - level[wild] * stride
        rows = np.concatenate([rows[~wild], np.repeat(rows[wild], steps.size)])
        combined = np.concatenate([combined[~wild], (base[:, None] + steps[None, :]).ravel()])
    at, hit = find(combined)
    return rows[hit], at[hit].astype(rows.dtype)


def comparison_did(prep: Prepared, part: np.ndarray, groups: Groups, by: tuple[str, ...]) -> dict | None:
    """Participants against matched comparison rows, through the long-data DiD engine (one person
    = two observations, before and after, clustered by kecamatan; comparison rows weighted by
    :data:`WEIGHT` when the table has it); ``None`` without comparisons.

    Examples
    --------
    >>> df = pd.DataFrame({"kelompok": ["peserta"] * 3 + ["pembanding"] * 3,
    ...                    "nilai_pre": [60.0, 62, 58, 61, 59, 60], "nilai_post": [70.0, 71, 66, 63, 61, 62]})
    >>> prep = prepare(df, "knowledge", ())
    >>> part = np.flatnonzero(~prep.comparison)
    >>> float(comparison_did(prep, part, group_rows(prep, (), part), ())["did"][0])
    7.0
    """
    complete = np.isfinite(prep.before) & np.isfinite(prep.after)
    comp_rows = np.flatnonzero(prep.comparison & complete)
    if comp_rows.size == 0 or prep.scale != "numeric":
        return None
    ok = complete[part]
    n_keys = len(groups.table)
    # A comparison row without a program is matched to every program, so the edges can be many
    # times the rows: held as 32-bit row numbers and group codes where they fit (the same values).
    compact = np.int32 if max(prep.before.size, n_keys) < 2**31 else np.intp
    c_rows, c_key = match_comparisons(prep, groups, by, comp_rows.astype(compact))
    rows = np.concatenate([part[ok].astype(compact), c_rows])
    keys = np.concatenate([groups.key[ok].astype(compact), c_key])
    del c_rows, c_key
    n_treated = int(ok.sum())
    batches = _key_batches(keys, n_keys, DID_BATCH_ROWS)
    if len(batches) == 1:
        return _did_of(prep, rows, keys, np.arange(rows.size) < n_treated, n_keys)
    # each group's rows in their order (a stable sort): the same sums as in one go; a radix sort
    # when the codes fit in 16 bits
    order = np.argsort(keys.astype(np.uint16) if n_keys <= 2**16 else keys, kind="stable")
    is_treated = order < n_treated
    rows = rows[order]
    keys = keys[order]
    del order
    starts = np.searchsorted(keys, [lo for lo, _ in batches] + [n_keys])
    found: dict[str, np.ndarray] = {}
    for (lo, hi), a, b in zip(batches, starts[:-1], starts[1:]):
        for name, values in _did_of(prep, rows[a:b], keys[a:b], is_treated[a:b], n_keys).items():
            found.setdefault(name, values)[lo:hi] = values[lo:hi]
    return found


#: Rows (persons; two observations each) :func:`comparison_did` hands to the DiD engine at once. A
#: comparison row without a program is matched to every program, so the rows can be many times the
#: table's; the groups are taken in batches of about this many rows to keep memory bounded.
DID_BATCH_ROWS = 50_000


def _key_batches(keys: np.ndarray, n_keys: int, size: int) -> list[tuple[int, int]]:
    """Consecutive ranges of group codes ``[lo, hi)`` holding about ``size`` of ``keys`` each (a
    group is never split).

    Examples
    --------
    >>> _key_batches(np.array([0, 0, 1, 2, 2, 2, 3]), 4, 3)
    [(0, 2), (2, 3), (3, 4)]
    """
    counts = np.bincount(keys, minlength=n_keys)
    batch = (np.cumsum(counts) - counts) // max(size, 1)  # the batch each group starts in
    cuts = (np.flatnonzero(np.diff(batch)) + 1).tolist()
    return list(zip([0] + cuts, cuts + [n_keys]))


def _did_of(prep: Prepared, rows: np.ndarray, keys: np.ndarray, is_treated: np.ndarray, n_keys: int) -> dict:
    """:func:`analysis.stats.did.did_arrays` of ``rows`` (persons: before and after) in groups ``keys``."""
    R = rows.size
    unit = np.tile(np.arange(R), 2)  # the person; a comparison matched to two groups counts in each
    cluster = np.tile(prep.cluster[rows], 2) if prep.cluster is not None else unit
    return did_arrays(
        np.tile(keys, 2),
        n_keys,
        np.tile(is_treated, 2),
        np.repeat([False, True], R),
        np.concatenate([prep.before[rows], prep.after[rows]]),
        cluster=cluster,
        unit=unit if prep.cluster is not None else None,
        weight=None if prep.weight is None else np.tile(prep.weight[rows], 2),
    )
