"""Paired before/after statistics, vectorised across groups (the engine behind ``analysis.evidence.engine``).

Every statistic is computed for all groups at once from flat arrays (``np.bincount`` over group
codes, one sort by |difference|), so 252 program × kecamatan cells cost about as much as one.
Each test reproduces the R function a reviewer would check it against (R's ``stats`` package):

- paired t: ``t.test(after, before, paired = TRUE)``;
- Wilcoxon signed rank: ``wilcox.test(after, before, paired = TRUE)`` — V is the sum of the ranks
  of the positive differences, zero differences are dropped, the p-value is exact when fewer than
  50 non-zero differences remain and there are no ties and no zeros, otherwise the normal
  approximation with tie correction and continuity correction;
- Shapiro–Wilk on the differences: ``shapiro.test(after - before)`` (3 ≤ n ≤ 5000);
- sign test: ``binom.test(n_increase, n_increase + n_decrease)``.

The delta is always after − before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis.core.significance import ALPHA

#: R's ``wilcox.test`` uses the exact distribution when fewer than this many non-zero differences remain.
EXACT_WILCOXON_BELOW = 50
#: ``shapiro.test`` accepts 3 to 5000 values.
SHAPIRO_MIN_N, SHAPIRO_MAX_N = 3, 5000
#: Primary-test rule (see README, "How the primary test is chosen").
T_TEST_MIN_N = 30
PRIMARY_RULE = (
    "numeric scores: paired t-test when n >= 30 or the Shapiro-Wilk test on the differences gives "
    "p >= 0.05, otherwise Wilcoxon signed-rank; ordered predikat: always Wilcoxon signed-rank on the "
    "ordered ranks"
)
#: Tukey's far-out fences: a difference beyond Q1 - 3 IQR or Q3 + 3 IQR is "extreme".
EXTREME_IQR = 3.0

_EPS = np.finfo(float).eps
# scipy's shapiro without its nan-policy wrapper (about 0.1 ms a call, most of the cost for 250 groups);
# the groups reaching it are already NaN-free and 1-d.
_shapiro = getattr(stats.shapiro, "__wrapped__", stats.shapiro)


@lru_cache(maxsize=1)
def _signrank_cumcounts() -> np.ndarray:
    """``table[n, v]`` = number of subsets of {1..n} whose sum is ≤ v, for n < 50.

    Counts stay below 2**49, so float64 holds them exactly and tail sums are exact too.
    """
    nmax = EXACT_WILCOXON_BELOW - 1
    smax = nmax * (nmax + 1) // 2
    counts = np.zeros(smax + 1)
    counts[0] = 1.0
    table = np.empty((nmax + 1, smax + 1))
    table[0] = np.cumsum(counts)
    for n in range(1, nmax + 1):
        shifted = np.zeros_like(counts)
        shifted[n:] = counts[:-n]
        counts = counts + shifted
        table[n] = np.cumsum(counts)
    return table


def _order_within_groups(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Indices that sort by group code, then by value (both stable)."""
    order = np.argsort(values, kind="stable")
    if n_groups > 1:
        keys = codes[order]
        if n_groups <= np.iinfo(np.int16).max:
            keys = keys.astype(np.int16)  # numpy radix-sorts 16-bit keys
        order = order[np.argsort(keys, kind="stable")]
    return order


def _nct_ncp(df: np.ndarray, p: float, t: np.ndarray) -> np.ndarray:
    """Noncentrality ``nc`` with ``P(T_df(nc) <= t) = p``: cdflib's inverse, polished by secant steps."""
    nc = special.nctdtrinc(df, p, t)
    resid = special.nctdtr(df, nc, t) - p
    for _ in range(2):  # cdflib's root is good to ~1e-7 in p; one Newton step usually brings it to ~1e-13
        todo = np.flatnonzero(np.abs(resid) > 1e-13)
        if todo.size == 0:
            break
        dfi, nci, ti = df[todo], nc[todo], t[todo]
        h = 1e-5 * np.maximum(1.0, np.abs(nci))
        slope = (special.nctdtr(dfi, nci + h, ti) - special.nctdtr(dfi, nci - h, ti)) / (2 * h)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = nci - resid[todo] / slope
        new_resid = special.nctdtr(dfi, step, ti) - p
        better = np.isfinite(step) & np.isfinite(new_resid) & (np.abs(new_resid) < np.abs(resid[todo]))
        nc[todo[better]] = step[better]
        resid[todo[better]] = new_resid[better]
    return nc


def hedges_j(df) -> np.ndarray:
    """Hedges' exact small-sample correction ``J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2))``.

    ``g_z = J(n − 1) · d_z``; undefined (NaN) below 2 degrees of freedom.

    Examples
    --------
    >>> [round(float(x), 4) for x in hedges_j([9, 29])]
    [0.9139, 0.9739]
    """
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = df >= 2
    d = df[ok]
    out[ok] = np.exp(special.gammaln(d / 2) - special.gammaln((d - 1) / 2)) / np.sqrt(d / 2)
    return out


#: Rank by counting instead of sorting when (groups × distinct |differences|) stays below this.
DENSE_CELLS = 2_000_000


class _Ordered:
    """The non-zero differences of every group in ascending order of |d|, and all of them in
    ascending order of d — what ranks, quartiles and Shapiro–Wilk need.

    Two interchangeable strategies with identical results: scores are usually whole or half points,
    so the differences take few distinct values and a (group × value) histogram replaces the sort
    (``_Dense``); otherwise one stable sort by group, then |d| (``_Sorted``).
    """

    @staticmethod
    def build(cz: np.ndarray, dnz: np.ndarray, n: np.ndarray, n_neg: np.ndarray, G: int) -> "_Ordered":
        absd = np.abs(dnz)
        inverse, values = pd.factorize(absd, sort=False)
        if G * (2 * len(values) + 1) <= DENSE_CELLS:
            return _Dense(cz, dnz, absd, inverse, np.asarray(values, dtype=float), n, G)
        return _Sorted(cz, dnz, absd, n, n_neg, G)


class _Sorted(_Ordered):
    def __init__(self, cz, dnz, absd, n, n_neg, G):
        order = _order_within_groups(absd, cz, G)
        self.cs, self.abs_s, self.pos_s = cz[order], absd[order], dnz[order] > 0
        self.G, self.n = G, n
        m = self.cs.size
        n_nz = np.bincount(cz, minlength=G)
        self.starts = np.concatenate(([0], np.cumsum(n_nz)[:-1])).astype(np.intp)
        # all differences in ascending order per group, without a second sort: within a group
        # sorted by |d| the negatives come out in descending d and the positives ascending
        self.total_starts = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.intp)
        cs, pos_s = self.cs, self.pos_s
        is_neg = ~pos_s
        neg_before = np.cumsum(is_neg, dtype=np.intp) - is_neg  # negatives before each position
        pos_before = np.cumsum(pos_s, dtype=np.intp) - pos_s
        start_of = self.starts[cs]
        n_zero = (n - n_nz).astype(np.intp)
        n_neg = n_neg.astype(np.intp)
        place = np.where(is_neg, n_neg[cs] - 1 - (neg_before - neg_before[start_of]),
                         n_neg[cs] + n_zero[cs] + (pos_before - pos_before[start_of]))
        self.d_sorted = np.zeros(int(n.sum()))
        if m:
            self.d_sorted[self.total_starts[cs] + place] = dnz[order]

    def rank_sums(self):
        cs, abs_s, m, G = self.cs, self.abs_s, self.cs.size, self.G
        new_block = np.ones(m, dtype=bool)
        if m > 1:
            new_block[1:] = (cs[1:] != cs[:-1]) | (abs_s[1:] != abs_s[:-1])
        block_start = np.flatnonzero(new_block)
        block_size = np.diff(np.append(block_start, m)).astype(float)
        first_rank = block_start - self.starts[cs[block_start]] + 1.0
        ranks = (first_rank + (block_size - 1) / 2)[np.cumsum(new_block, dtype=np.intp) - 1]
        V = np.bincount(cs, weights=ranks * self.pos_s, minlength=G)
        ties = np.bincount(cs[block_start], weights=block_size**3 - block_size, minlength=G)
        return V, ties

    def order_stat(self, groups, j):
        return self.d_sorted[self.total_starts[groups] + j]

    def sample(self, g):
        s = self.total_starts[g]
        return self.d_sorted[s:s + int(self.n[g])]

    def count_outside(self, lo, hi, c, d):
        far = (d < lo[c]) | (d > hi[c])
        return np.bincount(c[far], minlength=self.G).astype(float)


class _Dense(_Ordered):
    def __init__(self, cz, dnz, absd, inverse, values, n, G):
        U = len(values)
        order = np.argsort(values)
        rank_of = np.empty(U, dtype=np.intp)
        rank_of[order] = np.arange(U)
        vidx = rank_of[inverse]
        cell = cz * U + vidx
        count = np.bincount(cell, minlength=G * U).reshape(G, U).astype(float)
        count_pos = np.bincount(cell[dnz > 0], minlength=G * U).reshape(G, U).astype(float)
        self._setup(values[order], count, count_pos, n)

    def _setup(self, values, count, count_pos, n):
        self.values, self.count, self.count_pos, self.n = values, count, count_pos, n
        self.G, self.U = count.shape
        U = self.U
        # signed axis: -values (descending), 0, +values (ascending)
        self.axis = np.concatenate((-values[::-1], [0.0], values))
        hist = np.empty((self.G, 2 * U + 1))
        hist[:, :U] = (count - count_pos)[:, ::-1]
        hist[:, U] = n - count.sum(axis=1)
        hist[:, U + 1:] = count_pos
        self.hist = hist
        self.total_starts = np.concatenate(([0], np.cumsum(n)[:-1]))
        self.flat_cum = (np.cumsum(hist, axis=1) + self.total_starts[:, None]).ravel()

    def total(self) -> "_Dense":
        """All groups as one: the histograms summed."""
        whole = object.__new__(_Dense)
        whole._setup(self.values, self.count.sum(axis=0, keepdims=True), self.count_pos.sum(axis=0, keepdims=True),
                     np.array([self.n.sum()]))
        return whole

    def rank_sums(self):
        cnt = self.count
        cum = np.cumsum(cnt, axis=1)
        avg_rank = cum - (cnt - 1) / 2  # mean rank of a block of ties
        V = (self.count_pos * avg_rank).sum(axis=1)
        ties = (cnt**3 - cnt).sum(axis=1)
        return V, ties

    def order_stat(self, groups, j):
        A = 2 * self.U + 1
        idx = np.searchsorted(self.flat_cum, self.total_starts[groups] + j, side="right")
        return self.axis[idx - groups * A]

    def sample(self, g):
        return np.repeat(self.axis, self.hist[g].astype(np.intp))

    def count_outside(self, lo, hi, c, d):
        with np.errstate(invalid="ignore"):
            far = (self.axis[None, :] < lo[:, None]) | (self.axis[None, :] > hi[:, None])
        return (far * self.hist).sum(axis=1)


def paired_stats(before, after, groups=None, n_groups: int | None = None, *, ceiling: float | None = None,
                 total: bool = False) -> pd.DataFrame:
    """Every paired before/after statistic for each group, computed for all groups at once.

    Parameters
    ----------
    before, after : array-like of float
        Scores before and after, one pair per element; a pair with a NaN is left out (counted in
        ``n_incomplete``).
    groups : array-like of int, optional
        Group code 0..n_groups−1 for each pair; all pairs form one group when omitted.
    n_groups : int, optional
        Number of groups (default ``max(groups) + 1``); groups without pairs get ``n = 0``.
    ceiling : float, optional
        Top of the scale; ``ceiling_share`` is the share of pairs with before or after at or above it.
    total : bool
        Append one more row (index ``n_groups``): all pairs together, exactly as a call without
        ``groups`` would give it, reusing the groups' rank counts.

    Returns
    -------
    pandas.DataFrame
        One row per group code (the index), with ``n``, ``n_incomplete``, ``mean_before``,
        ``mean_after``, ``mean_delta``, ``median_delta``, ``sd_delta``, ``ci_low``, ``ci_high``
        (95% CI of the mean delta), ``t_statistic``, ``df``, ``t_p_value``, ``wilcoxon_statistic``
        (V), ``wilcoxon_p_value``, ``wilcoxon_method`` (``"exact"`` or ``"normal"``, the latter
        with continuity correction), ``n_nonzero``, ``rank_biserial``, ``sign_test_p_value``,
        ``n_increase``, ``n_no_change``, ``n_decrease``, ``shapiro_statistic``,
        ``shapiro_p_value``, ``effect_size_dz``, ``dz_ci_low``, ``dz_ci_high`` (95%, noncentral t;
        NaN when |t| > 10⁴),
        ``effect_size_gz`` (Hedges), ``n_extreme`` and ``ceiling_share``. NaN where undefined.

    Examples
    --------
    R's ``sleep`` data: ``t.test(extra ~ group)`` paired gives t = 4.0621, df = 9, p = 0.002833.

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = paired_stats(g1, g2).iloc[0]
    >>> round(float(r.t_statistic), 4), int(r.df), round(float(r.t_p_value), 6), float(r.wilcoxon_statistic)
    (4.0621, 9, 0.002833, 45.0)
    >>> paired_stats([1, 2, 3, 4], [2, 3, 5, 4], groups=[0, 0, 1, 1])[["n", "mean_delta"]]
         n  mean_delta
    0  2.0         1.0
    1  2.0         1.0
    """
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    if before.ndim != 1 or before.shape != after.shape:
        raise ValueError(f"before and after must be 1-d and the same length, got {before.shape} and {after.shape}")
    if groups is None:
        codes = np.zeros(before.shape, dtype=np.intp)
        n_groups = 1 if n_groups is None else int(n_groups)
    else:
        codes = np.asarray(groups)
        if codes.shape != before.shape:
            raise ValueError(f"groups must have one code per pair ({before.shape[0]}), got shape {codes.shape}")
        if codes.size and (not np.issubdtype(codes.dtype, np.integer) or codes.min() < 0):
            raise ValueError("groups must be non-negative integer codes")
        codes = codes.astype(np.intp, copy=False)
        top = int(codes.max()) + 1 if codes.size else 0
        n_groups = top if n_groups is None else int(n_groups)
        if n_groups < top:
            raise ValueError(f"n_groups must exceed the largest group code {top - 1}, got {n_groups}")
    ok = ~(np.isnan(before) | np.isnan(after))
    rows = np.bincount(codes, minlength=n_groups).astype(float)
    c, b, a = codes[ok], before[ok], after[ok]
    d = a - b
    out, ordered = _compute(c, b, a, d, n_groups, rows, ceiling)
    if total:
        whole = ordered.total() if isinstance(ordered, _Dense) else None
        everyone = np.zeros(c.size, dtype=np.intp)
        extra, _ = _compute(everyone, b, a, d, 1, np.array([float(codes.size)]), ceiling, whole)
        out = pd.concat([out, extra], ignore_index=True)
    return out


def _compute(c, b, a, d, G, rows, ceiling, ordered=None):
    """The statistics of complete pairs ``b``, ``a`` (differences ``d``) in groups ``c``: the paired
    t-test, then the signed-rank and sign tests, the quartiles, Shapiro–Wilk and the effect sizes."""
    n = _count(c, G)
    out: dict[str, np.ndarray] = {"n": n, "n_incomplete": rows - n}
    out.update(_t_test(c, b, a, d, n, G))
    pos, neg = d > 0, d < 0
    n_pos, n_neg = _count(c[pos], G), _count(c[neg], G)
    nz = pos | neg
    if ordered is None:
        ordered = _Ordered.build(c[nz], d[nz], n, n_neg, G)
    out.update(_signed_rank_tests(ordered, n, n_pos, n_neg, G))
    out["median_delta"], out["n_extreme"] = _median_and_extremes(ordered, n, c, d, G)
    out["shapiro_statistic"], out["shapiro_p_value"] = _shapiro_per_group(ordered, n, G)
    out["dz_ci_low"], out["dz_ci_high"] = _dz_interval(out["t_statistic"], out["df"], n, G)
    out["effect_size_gz"] = out["effect_size_dz"] * hedges_j(out["df"])
    out["ceiling_share"] = _ceiling_share(c, b, a, n, G, ceiling)
    return pd.DataFrame({name: out[name] for name in _COLUMNS}), ordered


#: The columns of :func:`paired_stats`, in order.
_COLUMNS = (
    "n", "n_incomplete", "mean_before", "mean_after", "mean_delta", "median_delta", "sd_delta", "ci_low",
    "ci_high", "t_statistic", "df", "t_p_value", "wilcoxon_statistic", "wilcoxon_p_value", "wilcoxon_method",
    "n_nonzero", "rank_biserial", "sign_test_p_value", "n_increase", "n_no_change", "n_decrease",
    "shapiro_statistic", "shapiro_p_value", "effect_size_dz", "dz_ci_low", "dz_ci_high", "effect_size_gz",
    "n_extreme", "ceiling_share",
)


def _count(codes: np.ndarray, G: int, w: np.ndarray | None = None) -> np.ndarray:
    """Per-group count (or sum of ``w``) as floats."""
    return np.bincount(codes, weights=w, minlength=G).astype(float)


def _t_test(c, b, a, d, n, G) -> dict[str, np.ndarray]:
    """Means, the paired t-test (R's ``t.test(after, before, paired = TRUE)``) and d_z per group."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_d = _count(c, G, d) / n
        dev = d - mean_d[c]
        var = _count(c, G, dev * dev) / (n - 1)
        var[n < 2] = np.nan
        sd = np.sqrt(var)
        se = sd / np.sqrt(n)
        df = np.where(n >= 2, n - 1, np.nan)
        # R's t.test stops with "data are essentially constant" here: no t, p or CI. Differences
        # that are all equal (zero included: sd = 0) have no t distribution to draw an interval from
        # either; R would print the degenerate interval 0 to 0, the product reports none.
        constant = (se < 10 * _EPS * np.abs(mean_d)) | (sd == 0)
        t = np.where(constant, np.nan, mean_d / se)
        half = special.stdtrit(df, 1 - ALPHA / 2) * se
        return {
            "mean_before": _count(c, G, b) / n,
            "mean_after": _count(c, G, a) / n,
            "mean_delta": mean_d,
            "sd_delta": sd,
            "ci_low": np.where(constant, np.nan, mean_d - half),
            "ci_high": np.where(constant, np.nan, mean_d + half),
            "t_statistic": t,
            "df": df,
            "t_p_value": 2 * special.stdtr(df, -np.abs(t)),
            "effect_size_dz": np.where(constant | (sd == 0), np.nan, mean_d / sd),
        }


def _signed_rank_tests(ordered: "_Ordered", n, n_pos, n_neg, G) -> dict[str, np.ndarray]:
    """Wilcoxon signed rank by R's rules (exact below 50 non-zero differences without ties or
    zeros, else normal with tie and continuity corrections), rank-biserial r and the sign test."""
    n_nz = n_pos + n_neg
    V, ties = ordered.rank_sums()
    has_zero = (n - n_nz) > 0
    exact = (n_nz > 0) & (n_nz < EXACT_WILCOXON_BELOW) & (ties == 0) & ~has_zero
    w_p = np.full(G, np.nan)
    if exact.any():
        w_p[exact] = _exact_signrank_p(n_nz[exact], V[exact])
    approx = (n_nz > 0) & ~exact
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = V - n_nz * (n_nz + 1) / 4
        sigma = np.sqrt(n_nz * (n_nz + 1) * (2 * n_nz + 1) / 24 - ties / 48)
        z = (z0 - np.sign(z0) * 0.5) / sigma
        w_p[approx] = (2 * special.ndtr(-np.abs(z)))[approx]
        s_total = n_nz * (n_nz + 1) / 2
        rank_biserial = np.where(n_nz > 0, 2 * V / s_total - 1, np.nan)
    k = np.minimum(n_pos, n_neg)
    with np.errstate(invalid="ignore"):
        tail = special.bdtr(k.astype(np.int64), n_nz.astype(np.int64), 0.5)
        sign_p = np.where(n_nz > 0, np.minimum(1.0, 2 * tail), np.nan)
    return {
        "wilcoxon_statistic": np.where(n > 0, V, np.nan),
        "wilcoxon_p_value": w_p,
        "wilcoxon_method": pd.array(np.where(exact, "exact", np.where(approx, "normal", None)), dtype="str"),
        "n_nonzero": n_nz,
        "rank_biserial": rank_biserial,
        "sign_test_p_value": sign_p,
        "n_increase": n_pos,
        "n_no_change": n - n_nz,
        "n_decrease": n_neg,
    }


def _exact_signrank_p(n_nz: np.ndarray, V: np.ndarray) -> np.ndarray:
    """Two-sided exact p of the signed-rank statistic ``V`` with ``n_nz`` untied non-zero differences."""
    table = _signrank_cumcounts()
    nn = n_nz.astype(np.intp)
    vv = np.rint(V).astype(np.intp)
    total = 2.0 ** nn
    lower = table[nn, vv] / total
    upper = (total - table[nn, np.maximum(vv - 1, 0)]) / total
    upper = np.where(vv == 0, 1.0, upper)
    return np.minimum(1.0, 2 * np.where(vv > nn * (nn + 1) / 4, upper, lower))


def _median_and_extremes(ordered: "_Ordered", n, c, d, G) -> tuple[np.ndarray, np.ndarray]:
    """Median difference (R's default quantile, type 7) and the count of Tukey's far-out
    differences (beyond Q1 − 3 IQR or Q3 + 3 IQR) per group."""

    def quantile(q: float) -> np.ndarray:
        res = np.full(G, np.nan)
        has = np.flatnonzero(n > 0)
        h = (n[has] - 1) * q
        lo = np.floor(h).astype(np.intp)
        hi = np.minimum(lo + 1, n[has].astype(np.intp) - 1)
        x_lo, x_hi = ordered.order_stat(has, lo), ordered.order_stat(has, hi)
        res[has] = x_lo + (h - lo) * (x_hi - x_lo)
        return res

    q1, med, q3 = quantile(0.25), quantile(0.5), quantile(0.75)
    iqr = q3 - q1
    with np.errstate(invalid="ignore"):
        spread = iqr > 0
        n_extreme = ordered.count_outside(np.where(spread, q1 - EXTREME_IQR * iqr, -np.inf),
                                          np.where(spread, q3 + EXTREME_IQR * iqr, np.inf), c, d)
    return med, n_extreme


#: R's swilk.c for n = 3, where the p-value is exact: p = (6/π)(asin(√W) − asin(√(3/4))),
#: floored at 0, with R's own constants (6/π and π/3 as written in swilk.c).
_SW3_PI6, _SW3_STQR = 1.90985931710274, 1.04719755119660


def shapiro_n3_p(w) -> np.ndarray:
    """The exact Shapiro–Wilk p-value for three values, as R's ``shapiro.test`` computes it.

    With three values W lies between 3/4 (two values tied) and 1, and R's swilk.c gives the exact
    p = (6/π)(asin(√W) − π/3), floored at 0. SciPy's port of the same routine returns a rounding
    residue (about 8e-16) at W = 3/4, where R prints 0.

    Examples
    --------
    R: ``shapiro.test(c(0, 4, 4))`` gives W = 0.75, p-value = 0.

    >>> float(shapiro_n3_p(0.75)), round(float(shapiro_n3_p(0.9)), 4)
    (0.0, 0.3855)
    """
    w = np.asarray(w, dtype=float)
    return np.maximum(_SW3_PI6 * (np.arcsin(np.sqrt(np.clip(w, 0.0, 1.0))) - _SW3_STQR), 0.0)


def _shapiro_per_group(ordered: "_Ordered", n, G) -> tuple[np.ndarray, np.ndarray]:
    """Shapiro–Wilk W and p of the differences per group (the same Fortran swilk as R's shapiro.test;
    for three values the exact p of R's swilk.c, :func:`shapiro_n3_p`)."""
    sw_w = np.full(G, np.nan)
    sw_p = np.full(G, np.nan)
    for g in np.flatnonzero((n >= SHAPIRO_MIN_N) & (n <= SHAPIRO_MAX_N)):
        x = ordered.sample(g)
        if x[-1] - x[0] < 1e-10:  # R: "all 'x' values are identical"
            continue
        res = _shapiro(x)
        sw_w[g] = res.statistic
        sw_p[g] = shapiro_n3_p(res.statistic) if x.size == 3 else res.pvalue
    return sw_w, sw_p


#: Beyond this |t| the d_z interval is left NaN: inverting the noncentral t there (cdflib's
#: ``nctdtrinc``) takes from a tenth of a second (|t| = 10⁵) to minutes (|t| ≥ 10⁶) per group, and
#: such a t comes from differences that are equal but for rounding (two pairs, 8.0 and 8.0 + 1e-12).
DZ_INTERVAL_MAX_T = 1e4


def _dz_interval(t, df, n, G) -> tuple[np.ndarray, np.ndarray]:
    """95% interval of d_z from the noncentral t distribution (NaN beyond |t| = ``DZ_INTERVAL_MAX_T``)."""
    dz_low = np.full(G, np.nan)
    dz_high = np.full(G, np.nan)
    fin = np.isfinite(t) & (n >= 2) & (np.abs(t) <= DZ_INTERVAL_MAX_T)
    if fin.any():
        sq = np.sqrt(n[fin])
        dz_low[fin] = _nct_ncp(df[fin], 1 - ALPHA / 2, t[fin]) / sq
        dz_high[fin] = _nct_ncp(df[fin], ALPHA / 2, t[fin]) / sq
    return dz_low, dz_high


def _ceiling_share(c, b, a, n, G, ceiling) -> np.ndarray:
    """Share of pairs with the before or the after score at or above ``ceiling`` (NaN without one)."""
    if ceiling is None:
        return np.full(G, np.nan)
    top = (b >= ceiling) | (a >= ceiling)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _count(c[top], G) / n


def group_codes(frame: pd.DataFrame, cols: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer code of each row's combination of ``cols``, and the table of combinations.

    Combinations are sorted column by column, a missing value is a value of its own (sorted last),
    and only combinations that occur get a code. Without ``cols`` every row is group 0.

    Examples
    --------
    >>> frame = pd.DataFrame({"program": ["B", "A", "B", None], "kecamatan": ["X", "Y", "X", "Y"]})
    >>> codes, table = group_codes(frame, ["program", "kecamatan"])
    >>> codes.tolist()
    [1, 0, 1, 2]
    >>> table.to_dict("list")
    {'program': ['A', 'B', nan], 'kecamatan': ['Y', 'X', 'Y']}
    """
    cols = list(cols)
    if not cols:
        return np.zeros(len(frame), dtype=np.intp), pd.DataFrame(index=range(1))
    combined = np.zeros(len(frame), dtype=np.int64)
    levels = []
    for col in cols:
        codes, uniques = pd.factorize(frame[col], sort=True, use_na_sentinel=False)
        combined = combined * len(uniques) + codes
        levels.append(uniques)
    sizes = [len(u) for u in levels]
    if int(np.prod(sizes, dtype=float)) <= max(4 * len(frame), 1_000_000):
        present = np.flatnonzero(np.bincount(combined, minlength=int(np.prod(sizes))))
        lookup = np.zeros(int(np.prod(sizes)), dtype=np.intp)
        lookup[present] = np.arange(present.size)
        inverse = lookup[combined]
    else:
        present, inverse = np.unique(combined, return_inverse=True)
    table = {}
    rest = present
    for col, uniques, size in zip(reversed(cols), reversed(levels), reversed(sizes)):
        table[col] = uniques.take(rest % size)
        rest = rest // size
    return inverse.astype(np.intp).ravel(), pd.DataFrame({col: table[col] for col in cols})


def primary_test(n, shapiro_p, t_p, ordinal: bool = False) -> np.ndarray:
    """Name the primary test per group by the rule in :data:`PRIMARY_RULE`.

    Numeric scores: the paired t-test when it is defined and either n ≥ 30 (the mean difference is
    then close to normal whatever the scores look like) or Shapiro–Wilk does not reject normality of
    the differences (p ≥ 0.05); otherwise the Wilcoxon signed-rank test. Ordered predikat: always
    Wilcoxon on the ordered ranks (differences of category codes have no interval meaning).

    Examples
    --------
    >>> primary_test([40, 12, 12, 2], [0.001, 0.30, 0.01, float("nan")], [0.01, 0.2, 0.2, 0.5]).tolist()
    ['t', 't', 'wilcoxon', 'wilcoxon']
    >>> primary_test([40], [0.5], [0.01], ordinal=True).tolist()
    ['wilcoxon']
    """
    n = np.asarray(n, dtype=float)
    shapiro_p = np.asarray(shapiro_p, dtype=float)
    t_p = np.asarray(t_p, dtype=float)
    if ordinal:
        return np.full(n.shape, "wilcoxon", dtype=object)
    with np.errstate(invalid="ignore"):
        use_t = np.isfinite(t_p) & ((n >= T_TEST_MIN_N) | (shapiro_p >= ALPHA))
    return np.where(use_t, "t", "wilcoxon").astype(object)
