"""Citizen satisfaction: the SKM index (IKM) of PermenPANRB 14/2017, its grade, sample adequacy, and
the change in the index around a development program.

Everything here follows DOMAIN.md §5:

- NRR per element = sum of that element's answers / respondents who answered that element;
- IKM = 25 × Σ NRR_i / 9, never rounding the 1/9 weight or the NRRs on the way;
- the IKM is *reported* with two decimals and the grade is read from that reported value.

**Rounding rule.** The index of a group is computed exactly, as a rational number
(:class:`fractions.Fraction` of the integer answer sums and counts), and rounded **half-up** to two
decimals (:data:`decimal.ROUND_HALF_UP`) from that exact value. So floating-point noise can never
move a unit across a band: a data set whose exact index is 76.605 reports 76.61 (B), although
adding the NRRs as floats gives 76.60499999999999. :func:`reported_ikm` applied to a float rounds
its shortest decimal representation (``repr``) half-up, so ``76.61`` stays ``76.61``.

The before/after comparison (:func:`before_after`) follows DOMAIN.md §6: Mann–Whitney U per
element with the share of each answer level, an ordinal logit (statsmodels ``OrderedModel``)
adjusted for unit, and difference in differences against units without trained staff.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.errors import AnalysisError
from analysis.core.periods import DEFAULT_PERIOD, PERIODS, check_period, period_bounds, period_labels
from analysis.intake.contracts import UNSUR
from analysis.stats.ordinal import ordinal_logit
from analysis.stats.ranks import mann_whitney

#: The nine SKM elements (unsur), DOMAIN.md §5.
ELEMENTS: tuple[str, ...] = tuple(f"u{i}" for i in range(1, 10))

#: Element names in Indonesian and English (DOMAIN.md §5), from the feedback contract.
ELEMENT_NAMES: dict[str, tuple[str, str]] = UNSUR

#: Grade thresholds on the reported 25–100 value (DOMAIN.md §5): below 65.00 D, below 76.61 C,
#: below 88.31 B, otherwise A.
GRADE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("65.00"), "D"),
    (Decimal("76.61"), "C"),
    (Decimal("88.31"), "B"),
)
GRADE_LABELS: dict[str, dict[str, str]] = {
    "id": {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"},
    "en": {"A": "Very good", "B": "Good", "C": "Poor", "D": "Very poor"},
}

#: Krejcie–Morgan constants (DOMAIN.md §5).
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

#: Cluster-robust standard errors of the difference in differences need units (clusters): below
#: MIN_CLUSTERS none is computed; below FEW_CLUSTERS the result carries the "few_clusters" flag
#: (DOMAIN.md §6: with few clusters, say so).
MIN_CLUSTERS = 4
FEW_CLUSTERS = 20

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


def grade(value) -> str:
    """The IKM grade (A, B, C, D) read from the reported two-decimal value (DOMAIN.md §5).

    Below 65.00 D; below 76.61 C; below 88.31 B; otherwise A. ``value`` is first rounded as
    :func:`reported_ikm` does, so exactly 65.00 is C and 64.995 reports as 65.00, also C.

    Examples
    --------
    >>> [grade(v) for v in (64.99, 65.00, 76.60, 76.61, 88.30, 88.31, 100)]
    ['D', 'C', 'C', 'B', 'B', 'A', 'A']
    """
    rep = reported_ikm(value)
    for upper, letter in GRADE_BANDS:
        if rep < upper:
            return letter
    return "A"


def grade_label(letter: str, lang: str = "id") -> str:
    """The grade's name: ``"A"`` → ``"Sangat Baik"`` (``lang="en"``: ``"Very good"``).

    Examples
    --------
    >>> grade_label("C"), grade_label("C", lang="en")
    ('Kurang Baik', 'Poor')
    """
    try:
        return GRADE_LABELS["en" if lang == "en" else "id"][letter]
    except KeyError:
        raise ValueError(f"letter must be one of A, B, C, D, got {letter!r}") from None


# --------------------------------------------------------------------------------------------
# NRR and IKM
# --------------------------------------------------------------------------------------------

def _check_answers(df: pd.DataFrame, elements: Iterable[str] = ELEMENTS) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in elements if c not in df.columns]
    if missing:
        raise ValueError(f"df must have the columns u1…u9, missing {missing}")
    answers = df[list(elements)].apply(pd.to_numeric, errors="coerce").astype("float64")
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


def ikm_ci(answers: pd.DataFrame, alpha: float = 0.05) -> tuple[float, float]:
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
) -> pd.DataFrame:
    """NRR per element, IKM, grade and weakest element per group (or overall).

    Parameters
    ----------
    df : DataFrame
        Canonical feedback rows: ``u1``…``u9`` (1–4, NaN when skipped) and the grouping columns.
        A respondent who answered none of the nine elements is not counted.
    by : str or list of str, optional
        Grouping columns, e.g. ``"unit_layanan"``, ``"kecamatan"`` or ``"periode"``. None: overall.
    period : {"month", "quarter", "semester", "year"}, optional
        Adds (or sets the granularity of) a ``periode`` column made from ``tanggal``
        (``"2025-03"``, ``"2025-Q1"``, ``"2025-S1"``, ``"2025"``); ``by="periode"`` alone uses
        quarters. Rows without a date form a group whose ``periode`` is missing.
    population : int, dict, Series or DataFrame, optional
        Service users per group, looked up by the group's value in the first grouping column that
        matches (e.g. ``{"Puskesmas A": 1200}``, or a frame with ``unit_layanan`` and ``populasi``);
        names are compared after case folding and collapsing spaces.
    default_population : int, optional
        Population for groups that ``population`` does not name.
    lang : {"id", "en"}
        Language of ``label``.

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, ``n`` (respondents), ``n_u1``…``n_u9`` (who
        answered each element), ``nrr_u1``…``nrr_u9``, ``ikm_value`` (unrounded), ``ikm`` (the
        reported two-decimal value), ``ikm_ci_low`` and ``ikm_ci_high`` (its 95% confidence interval,
        :func:`ikm_ci`), ``grade``, ``label``, ``weakest_element`` (lowest NRR; the
        first in U1…U9 order on a tie), ``population``, ``sample_target`` (Krejcie–Morgan),
        ``sample_short`` (n below target), ``incomplete`` (an element nobody answered: no IKM) and
        ``flags`` (the names of the true ones among those two, joined by ``"; "``; missing when none).

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
    """
    answers = _check_answers(df)
    df, keys = _group_keys(df, by, period)
    answered = answers.notna().any(axis=1)
    work = pd.concat([df.loc[answered, keys], answers.loc[answered]], axis=1)
    pop_map = _population_map(population, keys)
    if keys:
        grouped = work.groupby(keys, dropna=False, sort=True)
        sums = grouped[list(ELEMENTS)].sum(min_count=0)
        counts = grouped[list(ELEMENTS)].count()
        n = grouped.size()
        gid = grouped.ngroup().to_numpy()  # numbered in the sorted order of sums.index
        order = np.argsort(gid, kind="stable")
        cuts = np.cumsum(np.bincount(gid, minlength=len(sums)))[:-1]
        block = work[list(ELEMENTS)]
        groups_rows = [block.iloc[ix] for ix in np.split(order, cuts)]
    else:
        sums = work[list(ELEMENTS)].sum().to_frame().T
        counts = work[list(ELEMENTS)].count().to_frame().T
        n = pd.Series([len(work)])
        groups_rows = [work[list(ELEMENTS)]]
    rows = []
    for i, idx in enumerate(sums.index):
        key_values = dict(zip(keys, idx if isinstance(idx, tuple) else (idx,))) if keys else {}
        s = sums.iloc[i].to_numpy(dtype=float)
        c = counts.iloc[i].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            nrr = np.where(c > 0, s / np.where(c > 0, c, 1), np.nan)
        exact = _exact_ikm(s, c)
        row = dict(key_values)
        row["n"] = int(n.iloc[i])
        row.update({f"n_{u}": int(c[j]) for j, u in enumerate(ELEMENTS)})
        row.update({f"nrr_{u}": float(nrr[j]) for j, u in enumerate(ELEMENTS)})
        if exact is None:
            row.update(ikm_value=np.nan, ikm=np.nan, ikm_ci_low=np.nan, ikm_ci_high=np.nan, grade=None, label=None)
        else:
            rep = reported_ikm(exact)
            letter = grade(rep)
            lo, hi = ikm_ci(groups_rows[i])
            row.update(ikm_value=float(exact), ikm=float(rep), ikm_ci_low=lo, ikm_ci_high=hi, grade=letter,
                       label=grade_label(letter, lang))
        row["weakest_element"] = ELEMENTS[int(np.nanargmin(nrr))] if np.isfinite(nrr).any() else None
        pop = _population_lookup(pop_map, default_population, key_values)
        row["population"] = pop
        target = krejcie_morgan(pop) if pop is not None else None
        row["sample_target"] = target
        row["sample_short"] = bool(target is not None and row["n"] < target)
        row["incomplete"] = exact is None
        row["flags"] = "; ".join(f for f in ("sample_short", "incomplete") if row[f]) or None
        rows.append(row)
    columns = (keys + ["n"] + [f"n_{u}" for u in ELEMENTS] + [f"nrr_{u}" for u in ELEMENTS]
               + ["ikm_value", "ikm", "ikm_ci_low", "ikm_ci_high", "grade", "label", "weakest_element", "population",
                  "sample_target", "sample_short", "incomplete", "flags"])
    out = pd.DataFrame(rows, columns=columns)
    for col in ("population", "sample_target"):
        out[col] = out[col].astype("Int64")
    for col in ("grade", "label", "weakest_element", "flags"):
        out[col] = out[col].astype("str")
    return out


def nrr(df: pd.DataFrame) -> pd.Series:
    """NRR per element: sum of the answers / respondents who answered that element.

    Examples
    --------
    >>> df = pd.DataFrame({u: [4.0, 2.0, float("nan")] for u in ELEMENTS})
    >>> float(nrr(df)["u1"])
    3.0
    """
    answers = _check_answers(df)
    return (answers.sum() / answers.count()).rename("nrr")


# --------------------------------------------------------------------------------------------
# Before vs after a program
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


@dataclass
class BeforeAfter:
    """The result of :func:`before_after` (all frames tidy, snake_case).

    ``flags``: ``no_comparison_units``, ``comparison_round_empty``, ``few_clusters`` (fewer than
    :data:`FEW_CLUSTERS` units in the difference in differences; below :data:`MIN_CLUSTERS` no
    standard error at all), ``small_round`` (an element with fewer than 30 answers in a round),
    ``ordinal_separation`` (an element whose answers after all lie at or above those before, or
    the reverse: no finite odds ratio) and ``ordinal_fit_warning``.

    Examples
    --------
    >>> fb = pd.DataFrame({"tanggal": pd.to_datetime(["2025-02-01", "2025-08-01"] * 2),
    ...                    "unit_layanan": ["A", "A", "B", "B"],
    ...                    **{u: [3.0, 4.0, 3.0, 3.0] for u in ELEMENTS}})
    >>> r = before_after(fb, units=["A"], start="2025-05-01", end="2025-05-02")
    >>> r.ikm_change, float(r.did["did"].iloc[0]), r.flags
    (25.0, 25.0, ['few_clusters', 'small_round', 'ordinal_separation'])
    """

    program: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    before_window: tuple[pd.Timestamp, pd.Timestamp]
    after_window: tuple[pd.Timestamp, pd.Timestamp]
    units: list[str]
    comparison_units: list[str]
    summary: pd.DataFrame
    elements: pd.DataFrame
    ordinal: pd.DataFrame
    did: pd.DataFrame | None
    flags: list[str] = field(default_factory=list)

    @property
    def ikm_change(self) -> float:
        """Change in the trained units' IKM (after − before, unrounded)."""
        s = self.summary.set_index(["group", "round"])["ikm_value"]
        return float(s[("trained", "after")] - s[("trained", "before")])

    def to_dict(self) -> dict:
        """Plain dict (frames as lists of records) for JSON output."""
        return {
            "program": self.program,
            "start": self.start, "end": self.end,
            "before_window": list(self.before_window), "after_window": list(self.after_window),
            "units": self.units, "comparison_units": self.comparison_units,
            "ikm_change": self.ikm_change,
            "summary": self.summary.to_dict("records"),
            "elements": self.elements.to_dict("records"),
            "ordinal": self.ordinal.to_dict("records"),
            "did": None if self.did is None else self.did.to_dict("records")[0],
            "flags": self.flags,
        }


def _window(spec, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(spec, str):
        return period_bounds(spec)
    try:
        lo, hi = spec
        lo, hi = pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize()
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a period label such as '2025-Q1' or a (start, end) pair, got {spec!r}") from None
    if hi < lo:
        raise ValueError(f"{name} must end on or after its start, got {spec!r}")
    return lo, hi


def program_units_and_dates(training: pd.DataFrame, program: str | None = None,
                            ) -> tuple[list[str], pd.Timestamp, pd.Timestamp]:
    """Units whose staff took part in ``program`` (normalised ``unit_kerja`` of ``peserta`` rows)
    and the program's first start and last end date.

    Examples
    --------
    >>> tr = pd.DataFrame({"program": ["Pelayanan Prima"] * 2, "kelompok": ["peserta"] * 2,
    ...     "unit_kerja": ["Puskesmas A", "puskesmas  a"],
    ...     "tanggal_mulai": pd.to_datetime(["2025-04-07", "2025-04-14"]),
    ...     "tanggal_selesai": pd.to_datetime(["2025-04-11", "2025-04-18"])})
    >>> units, start, end = program_units_and_dates(tr)
    >>> units, str(start.date()), str(end.date())
    (['puskesmas a'], '2025-04-07', '2025-04-18')
    """
    need = {"program", "kelompok", "unit_kerja", "tanggal_mulai"}
    if not need <= set(training.columns):
        raise ValueError(f"training must have the columns {sorted(need)}, got {list(training.columns)}")
    peserta = training[training["kelompok"].astype("str").str.lower() == "peserta"]
    programs = sorted(peserta["program"].dropna().astype(str).unique())
    if program is None:
        if len(programs) != 1:
            raise AnalysisError(
                "program_required",
                f"Pilih satu program; data memuat {len(programs)} program: {', '.join(programs[:10])}.",
                f"Choose one program; the data hold {len(programs)}: {', '.join(programs[:10])}.",
            )
        program = programs[0]
    rows = peserta[peserta["program"].astype("str") == program]
    if rows.empty:
        raise AnalysisError("unknown_program", f"Program '{program}' tidak ada di data pelatihan.",
                            f"Program '{program}' is not in the training data.")
    units = sorted({u for u in rows["unit_kerja"].map(normalise_unit) if u})
    start = pd.to_datetime(rows["tanggal_mulai"]).min()
    ends = pd.to_datetime(rows["tanggal_selesai"]) if "tanggal_selesai" in rows else pd.Series(dtype="datetime64[ns]")
    end = ends.max() if ends.notna().any() else pd.to_datetime(rows["tanggal_mulai"]).max()
    if pd.isna(start):
        raise AnalysisError("program_without_dates", f"Program '{program}' tidak memiliki tanggal mulai.",
                            f"Program '{program}' has no start date.")
    return units, pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()


def _respondent_score(answers: pd.DataFrame) -> pd.Series:
    # 25 × the respondent's mean answer: the respondent's own index on the 25–100 scale. Its group
    # mean equals the IKM when nobody skipped an element.
    return 25 * answers.mean(axis=1)


def _did_regression(frame: pd.DataFrame) -> dict:
    import statsmodels.api as sm

    y = frame["score"].to_numpy(float)
    t = frame["treated"].to_numpy(float)
    a = frame["after"].to_numpy(float)
    X = np.column_stack([np.ones_like(y), t, a, t * a])
    groups = pd.factorize(frame["unit"])[0]
    n_clusters = int(len(np.unique(groups)))
    out = {"estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
           "n": int(len(y)), "n_clusters": n_clusters}
    if np.linalg.matrix_rank(X) < 4:
        return out
    model = sm.OLS(y, X)
    if n_clusters < MIN_CLUSTERS:
        # Too few units for a cluster-robust standard error; an ordinary one would pretend the
        # respondents of one unit are independent. Point estimate only.
        out["estimate"] = float(model.fit().params[3])
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    ci = res.conf_int()[3]
    out.update(estimate=float(res.params[3]), se=float(res.bse[3]), ci_low=float(ci[0]),
               ci_high=float(ci[1]), p_value=float(res.pvalues[3]))
    return out


def before_after(
    feedback: pd.DataFrame,
    *,
    training: pd.DataFrame | None = None,
    program: str | None = None,
    units: Iterable[str] | None = None,
    comparison_units: Iterable[str] | None = None,
    start=None,
    end=None,
    before=None,
    after=None,
    period: str = DEFAULT_PERIOD,
    lang: str = "id",
) -> BeforeAfter:
    """IKM before vs after a program for the units whose staff took part.

    The trained units are the feedback ``unit_layanan`` values that equal, after case folding and
    collapsing spaces (:func:`normalise_unit`), the ``unit_kerja`` of the program's participants
    (``kelompok == "peserta"``) — or the ``units`` given. The *before* round is the last survey
    period (``period``) that ended before the program started, the *after* round the first that
    began after it ended (periods in which those units have answers), unless ``before``/``after``
    are given. Comparison units: ``comparison_units`` if given; else, with ``training``, the
    surveyed units with no participant in any program; else every other surveyed unit.

    Parameters
    ----------
    feedback : DataFrame
        Canonical feedback rows (``tanggal``, ``unit_layanan``, ``u1``…``u9``).
    training : DataFrame, optional
        Canonical training rows, to find the program's units and dates.
    program : str, optional
        The program (needed when ``training`` holds several).
    units, comparison_units : iterable of str, optional
        Unit names, matched like ``unit_kerja``; override what ``training`` gives.
    start, end : date-like, optional
        Program start and end; override ``training``.
    before, after : str or (start, end), optional
        The survey rounds as a period label (``"2025-Q1"``) or a date range (inclusive).
    period : {"month", "quarter", "semester", "year"}
        What a survey round is when the rounds are found from the program's dates.

    Returns
    -------
    BeforeAfter
        ``summary`` (IKM per group × round), ``elements`` (NRR change, Mann–Whitney U with Holm-
        adjusted p, share of each answer level), ``ordinal`` (odds ratio after vs before per
        element, adjusted for unit), ``did`` (difference in differences, or None) and ``flags``.

    Examples
    --------
    Four respondents per unit and round; each gives one answer to all nine elements.

    >>> def survey(unit, day, answers):
    ...     return pd.DataFrame({"tanggal": pd.Timestamp(day), "unit_layanan": unit,
    ...                          **{u: [float(a) for a in answers] for u in ELEMENTS}})
    >>> fb = pd.concat([survey("Puskesmas A", "2025-02-10", [3, 3, 2, 3]),
    ...                 survey("Puskesmas A", "2025-08-10", [4, 3, 4, 4]),
    ...                 survey("Puskesmas B", "2025-02-10", [3, 3, 3, 3]),
    ...                 survey("Puskesmas B", "2025-08-10", [3, 3, 3, 4])])
    >>> r = before_after(fb, units=["puskesmas a"], start="2025-04-07", end="2025-04-18")
    >>> r.summary[["group", "round", "periode", "n", "ikm", "grade"]]
            group   round  periode  n    ikm grade
    0     trained  before  2025-Q1  4  68.75     C
    1     trained   after  2025-Q3  4  93.75     A
    2  comparison  before  2025-Q1  4  75.00     C
    3  comparison   after  2025-Q3  4  81.25     B
    >>> float(r.did["did"].iloc[0])       # (93.75 − 68.75) − (81.25 − 75.00)
    18.75
    """
    check_period(period)
    feedback = feedback.reset_index(drop=True)
    answers_all = _check_answers(feedback)
    for col in ("tanggal", "unit_layanan"):
        if col not in feedback.columns:
            raise ValueError(f"feedback must have a {col} column")
    prog_start = prog_end = None
    prog_units: list[str] = []
    all_trained: set[str] = set()
    if training is not None:
        if units is None or (start is None and before is None):
            prog_units, prog_start, prog_end = program_units_and_dates(training, program)
        peserta = training[training["kelompok"].astype("str").str.lower() == "peserta"]
        all_trained = {u for u in peserta["unit_kerja"].map(normalise_unit) if u}
    if units is not None:
        prog_units = sorted({u for u in map(normalise_unit, units) if u})
    if start is not None:
        prog_start = pd.Timestamp(start).normalize()
    if end is not None:
        prog_end = pd.Timestamp(end).normalize()
    elif prog_end is None and prog_start is not None:
        prog_end = prog_start
    if not prog_units:
        raise ValueError("units must name at least one unit, or training and program must be given")

    fb = feedback.assign(_unit=feedback["unit_layanan"].map(normalise_unit),
                         _date=pd.to_datetime(feedback["tanggal"], errors="coerce"))
    is_treated = fb["_unit"].isin(prog_units)
    if not is_treated.any():
        raise AnalysisError(
            "no_trained_units_in_survey",
            "Tidak ada unit layanan di data survei yang sama dengan unit kerja peserta program "
            f"({', '.join(prog_units[:5])}). Periksa penulisan nama unit.",
            "No service unit in the survey matches the participants' work units "
            f"({', '.join(prog_units[:5])}). Check how the unit names are written.",
        )
    if comparison_units is not None:
        comp = {u for u in map(normalise_unit, comparison_units) if u} - set(prog_units)
    elif training is not None:
        comp = set(fb["_unit"].dropna()) - all_trained - set(prog_units)
    else:
        comp = set(fb["_unit"].dropna()) - set(prog_units)
    is_comp = fb["_unit"].isin(comp)

    flags: list[str] = []
    labels = period_labels(fb["_date"], period)
    if before is not None:
        w_before = _window(before, "before")
    else:
        if prog_start is None:
            raise ValueError("start (or training with dates, or before/after) must be given")
        cand = sorted(set(labels[is_treated].dropna()))
        prior = [lab for lab in cand if period_bounds(lab)[1] < prog_start]
        if not prior:
            raise AnalysisError("no_round_before", "Tidak ada putaran survei unit peserta sebelum program dimulai.",
                                "No survey round of the trained units before the program started.")
        w_before = period_bounds(prior[-1])
    if after is not None:
        w_after = _window(after, "after")
    else:
        if prog_end is None:
            raise ValueError("end (or training with dates, or before/after) must be given")
        cand = sorted(set(labels[is_treated].dropna()))
        later = [lab for lab in cand if period_bounds(lab)[0] > prog_end]
        if not later:
            raise AnalysisError("no_round_after", "Tidak ada putaran survei unit peserta setelah program selesai.",
                                "No survey round of the trained units after the program ended.")
        w_after = period_bounds(later[0])
    if w_before[1] >= w_after[0]:
        raise ValueError(f"before must end before after starts, got {w_before} and {w_after}")

    in_before = fb["_date"].between(*w_before)
    in_after = fb["_date"].between(*w_after)
    answered = answers_all.notna().any(axis=1)

    def label_of(w):
        # The period label when the window is exactly one period (the round's own kind first),
        # else the ISO interval "start/end".
        for kind in (period,) + PERIODS:
            lab = period_labels(pd.Series([w[0]]), kind).iloc[0]
            if period_bounds(lab) == w:
                return lab
        return f"{w[0].date()}/{w[1].date()}"

    summary_rows = []
    groups = [("trained", is_treated)] + ([("comparison", is_comp)] if is_comp.any() else [])
    for gname, gmask in groups:
        for rname, rmask, w in (("before", in_before, w_before), ("after", in_after, w_after)):
            sub = fb[gmask & rmask & answered]
            t = ikm_table(sub, lang=lang).iloc[0].to_dict() if len(sub) else None
            row = {"group": gname, "round": rname, "periode": label_of(w),
                   "window_start": w[0], "window_end": w[1],
                   "n_units": int(sub["_unit"].nunique()), "n": len(sub)}
            for u in ELEMENTS:
                row[f"nrr_{u}"] = t[f"nrr_{u}"] if t else np.nan
            row.update(ikm_value=t["ikm_value"] if t else np.nan, ikm=t["ikm"] if t else np.nan,
                       grade=t["grade"] if t else None, label=t["label"] if t else None)
            summary_rows.append(row)
    summary = pd.DataFrame(summary_rows)
    trained = summary[summary["group"] == "trained"].set_index("round")
    if trained.loc["before", "n"] == 0 or trained.loc["after", "n"] == 0:
        raise AnalysisError("empty_round", "Putaran sebelum atau sesudah tidak memiliki responden dari unit peserta.",
                            "The before or the after round has no respondents from the trained units.")

    # Per element: change, Mann–Whitney U, shares of each answer level (trained units).
    tb = fb[is_treated & in_before]
    ta = fb[is_treated & in_after]
    el_rows = []
    for u in ELEMENTS:
        xb = answers_all.loc[tb.index, u].dropna()
        xa = answers_all.loc[ta.index, u].dropna()
        mw = mann_whitney(xa, xb)
        row = {"element": u, "name": ELEMENT_NAMES[u][1 if lang == "en" else 0],
               "n_before": len(xb), "n_after": len(xa),
               "nrr_before": xb.mean() if len(xb) else np.nan,
               "nrr_after": xa.mean() if len(xa) else np.nan}
        row["change"] = row["nrr_after"] - row["nrr_before"]
        row.update(u_statistic=mw["u_statistic"], p_value=mw["p_value"], method=mw["method"],
                   rank_biserial=mw["rank_biserial"])
        for lvl in (1, 2, 3, 4):
            row[f"share_{lvl}_before"] = float((xb == lvl).mean()) if len(xb) else np.nan
        for lvl in (1, 2, 3, 4):
            row[f"share_{lvl}_after"] = float((xa == lvl).mean()) if len(xa) else np.nan
        el_rows.append(row)
    elements = pd.DataFrame(el_rows)
    elements.insert(elements.columns.get_loc("p_value") + 1, "p_holm", _holm(elements["p_value"]))

    # Ordinal logit per element, adjusted for unit.
    both = pd.concat([tb.assign(_after=False), ta.assign(_after=True)])
    ord_rows = []
    for u in ELEMENTS:
        r = ordinal_logit(answers_all.loc[both.index, u].to_numpy(), both["_after"].to_numpy(),
                          both["_unit"].to_numpy())
        r["n_units"] = int(both.loc[answers_all.loc[both.index, u].notna().to_numpy(), "_unit"].nunique())
        ord_rows.append({"element": u, **r})
    ordinal = pd.DataFrame(ord_rows)

    # Difference in differences against units without trained staff.
    did = None
    if is_comp.any():
        comp_rows = summary[summary["group"] == "comparison"].set_index("round")
        if comp_rows.loc["before", "n"] and comp_rows.loc["after", "n"]:
            frame = fb[(is_treated | is_comp) & (in_before | in_after) & answered]
            reg = _did_regression(pd.DataFrame({
                "score": _respondent_score(answers_all.loc[frame.index]),
                "treated": is_treated[frame.index].astype(float),
                "after": in_after[frame.index].astype(float),
                "unit": frame["_unit"],
            }))
            ch_t = trained.loc["after", "ikm_value"] - trained.loc["before", "ikm_value"]
            ch_c = comp_rows.loc["after", "ikm_value"] - comp_rows.loc["before", "ikm_value"]
            did = pd.DataFrame([{
                "ikm_trained_before": trained.loc["before", "ikm_value"],
                "ikm_trained_after": trained.loc["after", "ikm_value"],
                "ikm_comparison_before": comp_rows.loc["before", "ikm_value"],
                "ikm_comparison_after": comp_rows.loc["after", "ikm_value"],
                "change_trained": ch_t, "change_comparison": ch_c, "did": ch_t - ch_c, **reg,
                "few_clusters": reg["n_clusters"] < FEW_CLUSTERS,
            }])
            if reg["n_clusters"] < FEW_CLUSTERS:
                flags.append("few_clusters")
        else:
            flags.append("comparison_round_empty")
    else:
        flags.append("no_comparison_units")
    if (elements[["n_before", "n_after"]].min(axis=1) < 30).any():
        flags.append("small_round")
    if ordinal["note"].eq("separation").any():
        flags.append("ordinal_separation")
    if ordinal["note"].fillna("").str.startswith("fit_").any():
        flags.append("ordinal_fit_warning")
    return BeforeAfter(program=program, start=prog_start, end=prog_end, before_window=w_before,
                       after_window=w_after, units=prog_units, comparison_units=sorted(comp),
                       summary=summary, elements=elements, ordinal=ordinal, did=did, flags=flags)


def _holm(p: pd.Series) -> pd.Series:
    """Holm-adjusted p-values; NaN stay NaN and are not counted."""
    from statsmodels.stats.multitest import multipletests

    out = pd.Series(np.nan, index=p.index)
    ok = p.notna()
    if ok.any():
        out[ok] = multipletests(p[ok].to_numpy(float), method="holm")[1]
    return out


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
        inside = t["periode"].astype("str").str.startswith(str(periode)) if "-Q" not in str(periode) \
            else t["periode"].astype("str").eq(str(periode))
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


def unit_change(feedback: pd.DataFrame, units, before: tuple, after: tuple, lang: str = "id") -> pd.DataFrame:
    """IKM of each unit in the round before and the round after a program (the dumbbell chart):
    ``unit_layanan, ikm_before, n_before, ikm_after, n_after`` for the units surveyed in both.

    ``units`` are names as :func:`normalise_unit` writes them; ``before`` and ``after`` are
    ``(first day, last day)`` of each round.

    Examples
    --------
    >>> fb = pd.DataFrame({"unit_layanan": ["Puskesmas A"] * 4, "tanggal": pd.to_datetime(
    ...     ["2025-02-01", "2025-02-02", "2025-10-01", "2025-10-02"]),
    ...     **{u: [3.0, 3.0, 4.0, 4.0] for u in ELEMENTS}})
    >>> unit_change(fb, [normalise_unit("Puskesmas A")], ("2025-01-01", "2025-03-31"),
    ...             ("2025-10-01", "2025-12-31")).to_dict("records")
    [{'unit_layanan': 'Puskesmas A', 'ikm_before': 75.0, 'n_before': 2, 'ikm_after': 100.0, 'n_after': 2}]
    """
    columns = ["unit_layanan", "ikm_before", "n_before", "ikm_after", "n_after"]
    fb = feedback.assign(_unit=feedback["unit_layanan"].map(normalise_unit),
                         _date=pd.to_datetime(feedback["tanggal"], errors="coerce"))
    fb = fb[fb["_unit"].isin(set(units))]
    sides = {}
    for name, (lo, hi) in (("before", before), ("after", after)):
        part = fb[fb["_date"].between(pd.Timestamp(lo), pd.Timestamp(hi))]
        if part.empty:
            return pd.DataFrame(columns=columns)
        table = ikm_table(part, by="_unit", lang=lang)
        sides[name] = table[["_unit", "ikm", "n"]].rename(columns={"ikm": f"ikm_{name}", "n": f"n_{name}"})
    both = sides["before"].merge(sides["after"], on="_unit", how="inner")
    names = fb.groupby("_unit")["unit_layanan"].agg(lambda s: s.mode().iloc[0])
    both.insert(0, "unit_layanan", both["_unit"].map(names).astype("str"))
    return both.drop(columns="_unit").reset_index(drop=True)[columns]
