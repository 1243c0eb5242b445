"""Warming the intake up in the upload workers' fork server (:mod:`analysis.intake.worker`).

Each upload is read in a process forked from that server, which starts with whatever the server
had in memory. Imports alone leave much to do at a process's first read — the district table,
the pandera schemas, compiled patterns, the readers' first calls — about a quarter of a second of
every upload. The server imports this module once, and importing it reads the bundled sample
workbooks, so every worker starts warm.
"""

from __future__ import annotations

from analysis.core.config import ROOT
from analysis.core.errors import AnalysisError

SAMPLES = ROOT / "data" / "sample"


def warm_up() -> int:
    """Read each bundled sample workbook through the intake; return how many were read.

    Examples
    --------
    >>> warm_up() >= 1
    True
    """
    from analysis.intake.pipeline import read_file

    done = 0
    for path in sorted(SAMPLES.glob("*.xlsx")):
        try:
            read_file(path)
            done += 1
        except AnalysisError:  # a deployment without the samples, or an edited one: nothing to warm
            continue
    return done


warm_up()
