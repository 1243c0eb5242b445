"""Shared helpers for the benchmarks: timing as the median of repeats, and printing ratios.

Every figure is printed as a ratio against a baseline measured in the same process, because these
machines are noisy: absolute seconds vary from run to run, ratios much less.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, seconds: float, baseline_name: str, baseline: float, goal: str = "") -> float:
    ratio = seconds / baseline if baseline else float("inf")
    print(f"{name:<48} {seconds:8.3f} s   ratio vs {baseline_name}: {ratio:6.2f}   {goal}")
    return ratio
