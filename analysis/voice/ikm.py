"""Citizen satisfaction: the SKM index (IKM) of PermenPANRB 14/2017, its grade and sample adequacy.

The rules are those of the regulation's Lampiran:

- NRR per element = sum of that element's answers / respondents who answered that element;
- IKM = 25 × Σ NRR_i / 9, never rounding the 1/9 weight or the NRRs on the way;
- the IKM is *reported* with two decimals and the grade is read from that reported value.

**Rounding rule.** The index of a group is computed exactly, as a rational number
(:class:`fractions.Fraction` of the integer answer sums and counts), and rounded **half-up** to two
decimals (:data:`decimal.ROUND_HALF_UP`) from that exact value. So floating-point noise can never
move a unit across a band: a data set whose exact index is 76.605 reports 76.61 (B), although
adding the NRRs as floats gives 76.60499999999999. :func:`reported_ikm` applied to a float rounds
its shortest decimal representation (``repr``) half-up, so ``76.61`` stays ``76.61``.

The change of the index around a development program is in :mod:`analysis.voice.before_after`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.periods import DEFAULT_PERIOD, check_period, in_period, period_labels, period_start
from analysis.core.significance import ALPHA
from analysis.intake.contracts import UNSUR

#: The nine SKM elements (unsur) of PermenPANRB 14/2017.
ELEMENTS: tuple[str, ...] = tuple(f"u{i}" for i in range(1, 10))

#: Element names in Indonesian and English (PermenPANRB 14/2017), from the feedback contract.
ELEMENT_NAMES: dict[str, tuple[str, str]] = UNSUR

#: Grade thresholds on the reported 25–100 value (PermenPANRB 14/2017, the conversion table of the
#: Lampiran): below 65.00 D, below 76.61 C, below 88.31 B, otherwise A.
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("65.00"), "D"),
    (Decimal("76.61"), "C"),
    (Decimal("88.31"), "B"),
)
GRADE_LABELS: dict[str, dict[str, str]] = {
    "id": {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"},
    "en": {"A": "Very good", "B": "Good", "C": "Poor", "D": "Very poor"},
}

#: Krejcie & Morgan (1970), "Determining sample size for research activities", Educational and
#: Psychological Measurement 30(3): 607–610 — the sample table PermenPANRB 14/2017 allows.
KM_CHI2 = 3.841
KM_P = 0.5
KM_D = 0.05
KM_NOTE = {
    "id": ("Ukuran sampel Krejcie–Morgan (χ² = 3,841; P = 0,5; d = 0,05) dibuat untuk menaksir "
           "proporsi, bukan rata-rata skala 1–4; anggap sebagai batas minimum yang lazim, bukan "
           "jaminan ketelitian IKM."),
    "en": ("The Krejcie–Morgan sample size (χ² = 3.841, P = 0.5, d = 0.05) was made for estimating "
           "a proportion, not the mean of a 1–4 scale; read it as the customary minimum, not as a "
           "guarantee of the IKM's precision."),
}

#: Fewer respondents than this in a group: ``small_sample`` — the IKM is not yet firm, whether or not
#: the unit's population (and so a Krejcie–Morgan target) is known. 30 is the customary floor below
#: which a mean of 1–4 answers is too unsteady to rank units by (the same floor the before/after
#: comparison uses for a round, ``analysis.voice.before_after.SMALL_ROUND``).
SMALL_SAMPLE = 30

_HUNDREDTH = Decimal("0.01")


# --------------------------------------------------------------------------------------------
# Rounding and grades
# --------------------------------------------------------------------------------------------

def _to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"value must be a number, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return Decimal(int(value))
    if isinstance(value, (float, np.floating)):
        return Decimal(repr(float(value)))  # shortest representation: 76.61 stays 76.61
    if isinstance(value, str):
        return Decimal(value.strip().replace(",", "."))
    raise ValueError(f"value must be a number, got {value!r}")


def reported_ikm(value) -> Decimal:
    """The IKM as reported: two decimals, rounded half-up.

    Parameters
    ----------
    value : Fraction, Decimal, float, int or str
        An index on the 25–100 scale. A ``Fraction`` is rounded exactly; a float is rounded from its
        shortest decimal representation (``repr``).

    Returns
    -------
    Decimal
        The value with exactly two decimals.

    Examples
    --------
    >>> from fractions import Fraction
    >>> reported_ikm(Fraction(525, 8))        # exactly 65.625: half-up, not half-even
    Decimal('65.63')
    >>> round(65.625, 2)                      # what Python's round() would report
    65.62
    >>> reported_ikm(76.61), reported_ikm("64,995")
    (Decimal('76.61'), Decimal('65.00'))
    """
    if isinstance(value, Fraction):
        # Exact integer arithmetic: |value| × 100 = q + r/den; half-up rounds away from zero at r/den = 1/2.
        sign = -1 if value < 0 else 1
        q, r = divmod(abs(value.numerator) * 100, value.denominator)
        if 2 * r >= value.denominator:
            q += 1
        return Decimal(sign * q).scaleb(-2)
    dec = _to_decimal(value)
    if not dec.is_finite():
        raise ValueError(f"value must be finite, got {value!r}")
    return dec.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def grade(value) -> str | None:
    """The IKM grade (A, B, C, D) read from the reported two-decimal value (PermenPANRB 14/2017).

    Below 65.00 D; below 76.61 C; below 88.31 B; otherwise A. ``value`` is first rounded as
    :func:`reported_ikm` does, so exactly 65.00 is C and 64.995 reports as 65.00, also C. A missing
    value (``None``, NaN) has no grade: ``None``.

    Examples
    --------
    >>> [grade(v) for v in (64.99, 65.00, 76.60, 76.61, 88.30, 88.31, 100)]
    ['D', 'C', 'C', 'B', 'B', 'A', 'A']
    >>> grade(64.995), grade(float("nan"))
    ('C', None)
    """
    if _missing(value):
        return None
    rep = reported_ikm(value)
    for upper, letter in GRADE_BANDS:
        if rep < upper:
            return letter
    return "A"


def grade_label(letter, lang: str = "id", *, with_letter: bool = False) -> str:
    """The grade's name: ``"A"`` → ``"Sangat Baik"`` (``lang="en"``: ``"Very good"``).

    With ``with_letter`` the letter comes first (``"A Sangat Baik"``), as legends and tooltips show
    it. A missing grade (``None``, NaN, empty) reads ``"–"``; a letter outside A–D is shown as given.

    Examples
    --------
    >>> grade_label("C"), grade_label("C", lang="en"), grade_label("B", with_letter=True)
    ('Kurang Baik', 'Poor', 'B Baik')
    >>> grade_label(None), grade_label("E", with_letter=True)
    ('–', 'E')
    """
    if _missing(letter) or str(letter).strip() == "":
        return "–"
    text = str(letter).strip()
    name = GRADE_LABELS["en" if lang == "en" else "id"].get(text)
    if name is None:
        return text
    return f"{text} {name}" if with_letter else name


def _missing(value) -> bool:
    """None, NaN, NA or NaT."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # array-likes are not one missing value
        return False


# --------------------------------------------------------------------------------------------
# NRR and IKM
# --------------------------------------------------------------------------------------------

def answers_of(df: pd.DataFrame) -> pd.DataFrame:
    """The nine answers ``u1``…``u9`` of ``df`` as floats (NaN where skipped), checked to lie in 1–4.

    Examples
    --------
    >>> df = pd.DataFrame({u: ["3", None] for u in ELEMENTS})
    >>> answers_of(df)["u1"].tolist()
    [3.0, nan]
    >>> answers_of(df.assign(u4=[5, 1]))
    Traceback (most recent call last):
    ...
    ValueError: u4 answers must be between 1 and 4, got np.float64(5.0)
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in ELEMENTS if c not in df.columns]
    if missing:
        raise ValueError(f"df must have the columns u1…u9, missing {missing}")
    answers = df[list(ELEMENTS)]
    if not all(dtype == np.float64 for dtype in answers.dtypes):  # as published they are floats already
        answers = answers.apply(pd.to_numeric, errors="coerce").astype("float64")
    bad = answers.notna() & ((answers < 1) | (answers > 4))
    if bad.to_numpy().any():
        col = bad.any().idxmax()
        value = answers.loc[bad[col], col].iloc[0]
        raise ValueError(f"{col} answers must be between 1 and 4, got {value!r}")
    return answers


def _exact_ikm(sums: Iterable[float], counts: Iterable[float]) -> Fraction | None:
    """25 × Σ (S_i / n_i) / 9 as an exact fraction; ``None`` when an element has no answers."""
    total = Fraction(0)
    for s, n in zip(sums, counts):
        if not n:
            return None
        total += Fraction(float(s)) / int(n)  # sums of 1–4 answers are exact in float64
    return 25 * total / 9


def ikm_from_nrr(nrr: Mapping[str, float] | Iterable[float]) -> float:
    """IKM = 25 × Σ NRR_i / 9 from nine NRRs, unrounded (the 1/9 weight is never rounded).

    Examples
    --------
    >>> ikm_from_nrr([3.0] * 9)
    75.0
    >>> reported_ikm(25 * sum([3.0] * 9) * 0.111)  # a weight rounded to 0.111 would report 74.93
    Decimal('74.93')
    """
    values = list(nrr.values()) if isinstance(nrr, Mapping) else list(nrr)
    if len(values) != 9:
        raise ValueError(f"nrr must hold 9 values, got {len(values)}")
    return float(25 * math.fsum(values) / 9)


def _group_keys(df: pd.DataFrame, by, period: str | None) -> tuple[pd.DataFrame, list[str]]:
    if by is None:
        keys: list[str] = []
    elif isinstance(by, str):
        keys = [by]
    else:
        keys = list(by)
    if period is not None:
        check_period(period)
        if "periode" not in keys:
            keys.append("periode")
    if "periode" in keys and not (period is None and "periode" in df.columns):
        if "tanggal" not in df.columns:
            raise ValueError("df must have a tanggal column to group by periode")
        df = df.assign(periode=period_labels(df["tanggal"], period or DEFAULT_PERIOD))
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise ValueError(f"by names columns that df lacks: {missing}")
    return df, keys


def krejcie_morgan(population, chi2: float = KM_CHI2, p: float = KM_P, d: float = KM_D) -> int:
    """Krejcie–Morgan sample size s = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), rounded up.

    Computed exactly (the constants are read as the decimals they are written as), so a value that
    is a whole number is never pushed up by floating-point noise. The table was made for
    estimating a proportion (:data:`KM_NOTE`).

    Parameters
    ----------
    population : int
        N, the unit's service users in the survey period (at least 1).
    chi2, p, d : float
        χ² for one degree of freedom at 95 % (3.841), the assumed proportion (0.5) and the margin
        of error (0.05).

    Examples
    --------
    >>> [krejcie_morgan(n) for n in (100, 1_000, 10_000, 1_000_000)]
    [80, 278, 370, 384]
    """
    if isinstance(population, (bool, np.bool_)):
        raise ValueError(f"population must be a whole number of at least 1, got {population!r}")
    try:
        n = Fraction(str(population)) if not isinstance(population, (int, np.integer)) else Fraction(int(population))
    except (ValueError, TypeError):
        raise ValueError(f"population must be a whole number of at least 1, got {population!r}") from None
    if n.denominator != 1 or n < 1:
        raise ValueError(f"population must be a whole number of at least 1, got {population!r}")
    c, pp, dd = (Fraction(str(x)) for x in (chi2, p, d))
    if not (0 < pp < 1) or dd <= 0 or c <= 0:
        raise ValueError(f"chi2, p and d must be positive with 0 < p < 1, got {chi2!r}, {p!r}, {d!r}")
    s = c * n * pp * (1 - pp) / (dd * dd * (n - 1) + c * pp * (1 - pp))
    return int(-(-s.numerator // s.denominator))


def _population_lookup(population, default_population, key_values: dict) -> int | None:
    """The population that applies to one group: its unit's (or kecamatan's) entry, else the default."""
    if isinstance(population, (int, np.integer)) and not isinstance(population, bool):
        return int(population)
    if population is not None:
        for value in key_values.values():
            key = normalise_unit(value)
            if key in population:
                got = population[key]
                return None if got is None or pd.isna(got) else int(got)
    return None if default_population is None else int(default_population)


def _population_map(population, keys: list[str]):
    """Accept an int, a dict {name: N}, a Series indexed by name, or a frame (name column, N column)."""
    if population is None or isinstance(population, (int, np.integer)):
        return population
    if isinstance(population, Mapping):
        pairs = population.items()
    elif isinstance(population, pd.Series):
        pairs = population.items()
    elif isinstance(population, pd.DataFrame):
        name_cols = [c for c in population.columns if c in keys]
        num_cols = [c for c in population.columns if c in ("populasi", "population", "n", "N")]
        if len(name_cols) != 1 or len(num_cols) != 1:
            raise ValueError(
                "population frame must have one grouping column (e.g. unit_layanan) and one "
                f"'populasi' column, got {list(population.columns)}"
            )
        pairs = zip(population[name_cols[0]], population[num_cols[0]])
    else:
        raise ValueError(f"population must be an int, a dict, a Series or a DataFrame, got {type(population).__name__}")
    # Names compared like unit names (case folded, spaces collapsed): "PUSKESMAS  A" finds "Puskesmas A".
    return {normalise_unit(k): v for k, v in pairs if normalise_unit(k) is not None}


def ikm_ci(answers: pd.DataFrame, alpha: float = ALPHA) -> tuple[float, float]:
    """95% confidence interval of the IKM of one group of respondents (delta method).

    The IKM is 25/9 × the sum of the nine element means, so its variance is (25/9)² × the sum of
    the covariances of those means; with skipped elements each pair uses the respondents who
    answered both: Cov(mean_i, mean_j) = n_ij · cov_ij / (n_i · n_j). The interval uses Student's
    t with n − 1 degrees of freedom, clipped to the 25–100 scale. The survey is treated as a simple random sample of the unit's
    users (what PermenPANRB 14/2017 assumes); NaN when fewer than two respondents.

    Examples
    --------
    >>> a = pd.DataFrame({u: [3.0, 4.0, 3.0, 3.0, 4.0, 3.0, 3.0, 4.0] for u in ELEMENTS})
    >>> [round(x, 2) for x in ikm_ci(a)]
    [73.56, 95.19]
    >>> # the same as a t-interval of each respondent's 25 × mean answer when nobody skips
    >>> from scipy import stats
    >>> r = 25 * a.mean(axis=1)
    >>> [round(float(x), 2) for x in stats.t.interval(0.95, len(r) - 1, r.mean(), r.std() / len(r) ** 0.5)]
    [73.56, 95.19]
    """
    x = answers[list(ELEMENTS)].astype(float)
    answered = x.notna().to_numpy(dtype=float)
    n_i = answered.sum(axis=0)
    n = int(x.notna().any(axis=1).sum())
    if n < 2 or (n_i < 2).any():
        return float("nan"), float("nan")
    cov = x.cov().to_numpy()                    # pairwise-complete, ddof = 1
    n_ij = answered.T @ answered
    with np.errstate(invalid="ignore", divide="ignore"):
        cov_means = np.where(n_ij > 1, n_ij * np.nan_to_num(cov) / np.outer(n_i, n_i), 0.0)
    se = 25 / 9 * float(np.sqrt(max(cov_means.sum(), 0.0)))
    centre = 25 / 9 * float(np.nansum(x.mean().to_numpy()))
    half = float(stats.t.ppf(1 - alpha / 2, n - 1)) * se
    return max(centre - half, 25.0), min(centre + half, 100.0)  # the scale runs from 25 to 100


def ikm_table(
    df: pd.DataFrame,
    by: str | list[str] | None = None,
    period: str | None = None,
    population=None,
    default_population: int | None = None,
    lang: str = "id",
    interval: bool = True,
) -> pd.DataFrame:
    """NRR per element, IKM, grade and weakest element per group (or overall).

    Parameters
    ----------
    df : DataFrame
        Canonical feedback rows: ``u1``…``u9`` (1–4, NaN when skipped) and the grouping columns.
        A respondent who answered none of the nine elements is not counted; a group whose every
        respondent did so still gets a row (``n`` = 0, no IKM, flagged ``no_answers``).
    by : str or list of str, optional
        Grouping columns, e.g. ``"unit_layanan"``, ``"kecamatan"`` or ``"periode"``. None: overall.
    period : {"month", "quarter", "semester", "year"}, optional
        Adds (or sets the granularity of) a ``periode`` column made from ``tanggal``
        (``"2025-03"``, ``"2025-Q1"``, ``"2025-S1"``, ``"2025"``); ``by="periode"`` alone uses
        quarters. Rows without a date form a group whose ``periode`` is missing.
    population : int, dict, Series or DataFrame, optional
        Service users per group, looked up by the group's value in the first grouping column that
        matches (e.g. ``{"Puskesmas A": 1200}``, or a frame with ``unit_layanan`` and ``populasi``);
        names are compared after case folding and collapsing spaces. A group without a population
        has no sample target: the population is unknown, never assumed.
    default_population : int, optional
        Population for groups that ``population`` does not name (only when the user gave one).
    lang : {"id", "en"}
        Language of ``label``.
    interval : bool
        Compute ``ikm_ci_low``/``ikm_ci_high``; ``False`` leaves them NaN (for callers that do not
        show them, asking for many groups).

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, ``n`` (respondents), ``n_u1``…``n_u9`` (who
        answered each element), ``nrr_u1``…``nrr_u9``, ``ikm_value`` (unrounded), ``ikm`` (the
        reported two-decimal value), ``ikm_ci_low`` and ``ikm_ci_high`` (its 95% confidence interval,
        :func:`ikm_ci`), ``grade``, ``label``, ``weakest_element`` (lowest NRR; the
        first in U1…U9 order on a tie), ``population`` (missing when unknown), ``sample_target``
        (Krejcie–Morgan, only with a population), ``sample_short`` (n below target),
        ``small_sample`` (fewer than :data:`SMALL_SAMPLE` respondents, population known or not),
        ``no_answers`` (the group's respondents answered no element), ``incomplete`` (an element
        nobody answered: no IKM) and ``flags`` (the names of the true ones among those, joined by
        ``"; "``, ``incomplete`` left out when ``no_answers`` says it; missing when none).

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["A", "A", "B"],
    ...                    **{u: [3.0, 4.0, 2.0] for u in ELEMENTS}})
    >>> df.loc[1, "u3"] = float("nan")        # respondent 2 skipped U3
    >>> t = ikm_table(df, by="unit_layanan", default_population=100)
    >>> t[["unit_layanan", "n", "nrr_u1", "nrr_u3", "ikm", "grade", "weakest_element", "sample_target"]]
      unit_layanan  n  nrr_u1  nrr_u3    ikm grade weakest_element  sample_target
    0            A  2     3.5     3.0  86.11     B              u3             80
    1            B  1     2.0     2.0  50.00     D              u1             80
    >>> blank = pd.concat([df, pd.DataFrame({"unit_layanan": ["C"], **{u: [None] for u in ELEMENTS}})])
    >>> ikm_table(blank, by="unit_layanan")[["unit_layanan", "n", "ikm", "sample_target", "flags"]]
      unit_layanan  n    ikm  sample_target                     flags
    0            A  2  86.11           <NA>              small_sample
    1            B  1  50.00           <NA>              small_sample
    2            C  0    NaN           <NA>  small_sample; no_answers
    """
    answers = answers_of(df)
    df, keys = _group_keys(df, by, period)
    answered = answers.notna().any(axis=1)
    work = pd.concat([df[keys], answers, answered.rename("_answered")], axis=1)
    pop_map = _population_map(population, keys)
    sums, counts, n, groups_rows = _group_sums(work, keys, interval)
    sum_of, count_of, n_of = sums.to_numpy(dtype=float), counts.to_numpy(dtype=float), n.to_numpy()
    rows = []
    for i, idx in enumerate(sums.index):
        key_values = dict(zip(keys, idx if isinstance(idx, tuple) else (idx,))) if keys else {}
        row = dict(key_values)
        row["n"] = int(n_of[i])
        row.update(_index_of_group(sum_of[i], count_of[i], groups_rows[i] if interval else None, lang))
        row.update(_sample_of_group(row["n"], _population_lookup(pop_map, default_population, key_values)))
        row["no_answers"] = row["n"] == 0
        row["incomplete"] = bool(np.isnan(row["ikm_value"]))
        # no answers at all says more than "an element nobody answered": the flags name it alone
        row["flags"] = "; ".join(f for f in _FLAGS if row[f] and not (f == "incomplete" and row["no_answers"])) or None
        rows.append(row)
    columns = (keys + ["n"] + [f"n_{u}" for u in ELEMENTS] + [f"nrr_{u}" for u in ELEMENTS]
               + ["ikm_value", "ikm", "ikm_ci_low", "ikm_ci_high", "grade", "label", "weakest_element", "population",
                  "sample_target", "sample_short", "small_sample", "no_answers", "incomplete", "flags"])
    out = pd.DataFrame(rows, columns=columns)
    for col in ("population", "sample_target"):
        out[col] = out[col].astype("Int64")
    for col in ("grade", "label", "weakest_element", "flags"):
        out[col] = out[col].astype("str")
    return out


#: The flags of an IKM group, in the order ``flags`` lists them.
_FLAGS = ("sample_short", "small_sample", "no_answers", "incomplete")


def _group_sums(work: pd.DataFrame, keys: list[str], interval: bool = True):
    """Per group (sorted; missing keys form their own group, a group of blank respondents too): the
    answer sums and counts of each element, the respondents who answered something, and with
    ``interval`` the answers themselves (None without)."""
    if not keys:
        block = work[list(ELEMENTS)]
        return (block.sum().to_frame().T, block.count().to_frame().T, pd.Series([int(work["_answered"].sum())]),
                [block])
    grouped = work.groupby(keys, dropna=False, sort=True)
    sums = grouped[list(ELEMENTS)].sum(min_count=0)
    counts = grouped[list(ELEMENTS)].count()
    if not interval:
        return sums, counts, grouped["_answered"].sum(), None
    gid = grouped.ngroup().to_numpy()  # numbered in the sorted order of sums.index
    order = np.argsort(gid, kind="stable")
    cuts = np.cumsum(np.bincount(gid, minlength=len(sums)))[:-1]
    block = work[list(ELEMENTS)]
    return sums, counts, grouped["_answered"].sum(), [block.iloc[ix] for ix in np.split(order, cuts)]


def _index_of_group(s: np.ndarray, c: np.ndarray, answers: pd.DataFrame | None, lang: str) -> dict:
    """Counts, NRRs, the exact and reported IKM, its interval (NaN without ``answers``), grade and
    weakest element of one group."""
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(c > 0, s / np.where(c > 0, c, 1), np.nan)
    exact = _exact_ikm(s, c)
    row = {f"n_{u}": int(c[j]) for j, u in enumerate(ELEMENTS)}
    row.update({f"nrr_{u}": float(nrr[j]) for j, u in enumerate(ELEMENTS)})
    if exact is None:
        row.update(ikm_value=np.nan, ikm=np.nan, ikm_ci_low=np.nan, ikm_ci_high=np.nan, grade=None, label=None)
    else:
        rep = reported_ikm(exact)
        letter = grade(rep)
        lo, hi = ikm_ci(answers) if answers is not None else (np.nan, np.nan)
        row.update(ikm_value=float(exact), ikm=float(rep), ikm_ci_low=lo, ikm_ci_high=hi, grade=letter,
                   label=grade_label(letter, lang))
    row["weakest_element"] = ELEMENTS[int(np.nanargmin(nrr))] if np.isfinite(nrr).any() else None
    return row


def _sample_of_group(n: int, population: int | None) -> dict:
    """The population, its Krejcie–Morgan sample size, whether ``n`` respondents fall short of it,
    and whether they are fewer than :data:`SMALL_SAMPLE` (known population or not)."""
    target = krejcie_morgan(population) if population is not None else None
    return {"population": population, "sample_target": target,
            "sample_short": bool(target is not None and n < target), "small_sample": n < SMALL_SAMPLE}


def nrr(df: pd.DataFrame) -> pd.Series:
    """NRR per element: sum of the answers / respondents who answered that element.

    Examples
    --------
    >>> df = pd.DataFrame({u: [4.0, 2.0, float("nan")] for u in ELEMENTS})
    >>> float(nrr(df)["u1"])
    3.0
    """
    answers = answers_of(df)
    return (answers.sum() / answers.count()).rename("nrr")


# --------------------------------------------------------------------------------------------
# Unit names and the headline
# --------------------------------------------------------------------------------------------

def normalise_unit(name) -> str | None:
    """A unit name compared as text: case folded, surrounding and repeated spaces removed.

    Examples
    --------
    >>> normalise_unit("  Puskesmas   PADANG Bulan ") == normalise_unit("puskesmas padang bulan")
    True
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return None
    text = " ".join(str(name).split()).casefold()
    return text or None


def ikm_headline(by_period: pd.DataFrame, periode: str | None = None) -> dict:
    """The IKM "now" and its change: the latest survey quarter inside ``periode`` (a year or a
    quarter; None: the latest in the data) and the quarter with an IKM before it.

    Returns
    -------
    dict
        ``now``, ``grade``, ``n``, ``periode`` (of now), ``previous``, ``previous_periode``,
        ``previous_n``, ``change`` (now − previous, from the reported two-decimal values); NaN /
        None where missing.

    Examples
    --------
    >>> t = pd.DataFrame({"periode": ["2025-Q1", "2025-Q4"], "n": [400, 420], "ikm": [80.74, 83.77],
    ...                   "grade": ["B", "B"]})
    >>> h = ikm_headline(t)
    >>> h["periode"], h["now"], h["previous_periode"], round(h["change"], 2)
    ('2025-Q4', 83.77, '2025-Q1', 3.03)
    >>> ikm_headline(t, "2025-Q2")["now"]
    nan
    """
    out = {"now": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "grade": None, "n": 0,
           "periode": None, "previous": float("nan"),
           "previous_periode": None, "previous_n": 0, "change": float("nan")}
    if by_period is None or by_period.empty:
        return out
    t = by_period[by_period["periode"].notna() & np.isfinite(by_period["ikm"].astype(float))]
    t = t.sort_values("periode")
    if periode:
        inside = in_period(period_start(t["periode"].astype("str")), periode)
        current = t[inside]
    else:
        current = t
    if current.empty:
        return out
    now = current.iloc[-1]
    out.update(now=float(now["ikm"]), grade=str(now["grade"]), n=int(now["n"]), periode=str(now["periode"]),
               ci_low=float(now.get("ikm_ci_low", float("nan"))), ci_high=float(now.get("ikm_ci_high", float("nan"))))
    before = t[t["periode"].astype("str") < str(now["periode"])]
    if not before.empty:
        prev = before.iloc[-1]
        out.update(previous=float(prev["ikm"]), previous_periode=str(prev["periode"]), previous_n=int(prev["n"]),
                   change=round(float(now["ikm"]) - float(prev["ikm"]), 2))
    return out
