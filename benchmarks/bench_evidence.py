"""Evidence engine speed: every field for 500k rows in 252 program × kecamatan groups, against a
per-group scipy loop of paired t-test + Wilcoxon in the same process. Goal: ratio < 1.0.

    python benchmarks/bench_evidence.py            # 500,000 rows (the issue's size)
    python benchmarks/bench_evidence.py --rows 50000

The data: 12 programs × 21 kecamatan, integer test scores (so many ties, as in real files), 1% of
post-test scores missing, 10% comparison rows (half of them without a program, so they compare with
every program) — the full path including difference-in-differences, Shapiro–Wilk, d_z intervals,
power, flags and both plain-language readings.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from common import ROOT, report, timed
from scipy import stats

from analysis.evidence.engine import evaluate, paired_summary

BY = ("program", "kecamatan")


def make_data(rows: int, seed: int = 2025) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kecamatan = pd.read_csv(ROOT / "data" / "kecamatan_medan.csv")["kecamatan"].to_numpy()
    programs = np.array([f"Program {i + 1:02d}" for i in range(12)], dtype=object)
    comparison = rng.random(rows) < 0.10
    program = programs[rng.integers(0, len(programs), rows)]
    program = np.where(comparison & (rng.random(rows) < 0.5), None, program)
    pre = np.clip(np.round(rng.normal(65, 12, rows)), 0, 100)
    gain = np.where(comparison, 1.0, 6.0) + rng.normal(0, 8, rows)
    post = np.clip(np.round(pre + gain), 0, 100)
    post[rng.random(rows) < 0.01] = np.nan
    return pd.DataFrame({
        "program": pd.Series(program, dtype="str"),
        "kecamatan": pd.Series(kecamatan[rng.integers(0, len(kecamatan), rows)], dtype="str"),
        "kelompok": pd.Series(np.where(comparison, "pembanding", "peserta"), dtype="str"),
        "tanggal_mulai": pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 360, rows), unit="D"),
        "nilai_pre": pre,
        "nilai_post": post,
    })


def _scipy_pair(before, after) -> None:
    ok = ~(np.isnan(before) | np.isnan(after))
    before, after = before[ok], after[ok]
    if before.size >= 2:
        stats.ttest_rel(after, before)
        stats.wilcoxon(after - before, zero_method="wilcox", correction=True, method="approx")


def scipy_loop(df: pd.DataFrame, overall: bool = False) -> None:
    """The baseline: per participant group, scipy's paired t-test and Wilcoxon (R's method, chosen
    explicitly; with about 1,800 pairs a group the normal approximation is R's choice too)."""
    part = df[df["kelompok"] != "pembanding"]
    for _, g in part.groupby(list(BY), sort=True, dropna=False):
        _scipy_pair(g["nilai_pre"].to_numpy(), g["nilai_post"].to_numpy())
    if overall:
        _scipy_pair(part["nilai_pre"].to_numpy(), part["nilai_post"].to_numpy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    df = make_data(args.rows)
    result = evaluate(df, "knowledge", by=BY)
    n_groups = len(result["groups"])
    print(f"{args.rows:,} rows, {n_groups} groups, design {result['design']}, "
          f"{sum(g['design'] == 'difference_in_differences' for g in result['groups'])} groups with DiD")
    base = timed(lambda: scipy_loop(df), args.repeat)
    summary = timed(lambda: paired_summary(df, "knowledge", by=BY), args.repeat)
    base_all = timed(lambda: scipy_loop(df, overall=True), args.repeat)
    full = timed(lambda: evaluate(df, "knowledge", by=BY), args.repeat)
    report("baseline: scipy t-test + Wilcoxon per group", base, "baseline", base)
    ratio = report("paired_summary: every field, 252 groups", summary, "baseline", base, "goal < 1.0")
    report("baseline + the same for all rows together", base_all, "baseline + all", base_all)
    report("evaluate: every field, groups + all rows", full, "baseline + all", base_all, "goal < 1.0")
    print(f"ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
