"""Hypothesis strategies shared by the property tests of the paired statistics and the evidence engine."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

half_points = st.integers(0, 200).map(lambda k: k / 2)
pair = st.tuples(half_points, half_points, st.integers(0, 3), st.booleans())


@st.composite
def samples(draw, min_size=0, max_size=40):
    rows = draw(st.lists(pair, min_size=min_size, max_size=max_size))
    before = np.array([r[0] for r in rows], dtype=float)
    after = np.array([r[1] for r in rows], dtype=float)
    groups = np.array([r[2] for r in rows], dtype=np.intp)
    missing = np.array([r[3] for r in rows], dtype=bool) & (np.arange(len(rows)) % 5 == 0)
    after[missing] = np.nan
    # a few exact ties and zero differences, as real score sheets have
    if len(rows) > 4 and draw(st.booleans()):
        after[:3] = before[:3]
    return before, after, groups
