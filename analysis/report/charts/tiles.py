"""A tile map's grid: one equal hexagon per district, each in roughly its place.

A district map drawn from centroids crowds the small inner districts and stretches the outer ones;
an equal hexagon per district gives each the same room for its name and its value, which reads on
a projector and on a phone alike. The place of each tile comes from the district table's
coordinates (``lat``, ``lon``): both are spread half by rank and half by distance, so the crowded
centre opens up while the outer districts stay outside, then every district gets the free cell of a
pointy-top hexagon grid nearest to that spread position (an optimal assignment: no two districts
share a cell, the total squared displacement is the smallest possible). No coordinates are shown:
the map is schematic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

#: Vertical distance between the centres of two rows of pointy-top hexagons one unit wide.
ROW_STEP = math.sqrt(3) / 2
#: Cells in the grid per district: room for the assignment to keep each tile near its place.
SLACK = 1.3


def _spread(values: np.ndarray) -> np.ndarray:
    """0–1: half the rank, half the min–max scaled value."""
    n = len(values)
    if n == 1:
        return np.array([0.5])
    rank = pd.Series(values).rank(method="average").to_numpy(float) - 1
    span = float(values.max() - values.min())
    scaled = (values - values.min()) / span if span > 0 else np.full(n, 0.5)
    return 0.5 * rank / (n - 1) + 0.5 * scaled


def _grid_shape(n: int, aspect: float) -> tuple[int, int]:
    """(rows, columns) with about ``SLACK × n`` cells and rows/columns near ``aspect`` (kept within
    0.6–1.3, so that the map fits a landscape screen)."""
    aspect = min(1.3, max(0.6, aspect))
    cells = max(n, math.ceil(SLACK * n))
    columns = max(1, round(math.sqrt(cells / (aspect * ROW_STEP))))
    rows = max(1, math.ceil(cells / columns))
    return rows, columns


def tile_layout(districts: pd.DataFrame) -> pd.DataFrame:
    """Each district's hexagon: ``tile_row``, ``tile_col`` and its centre ``tile_x``, ``tile_y``
    (hexagons one unit wide; odd rows shifted half a unit right; north up).

    Parameters
    ----------
    districts : DataFrame
        ``kecamatan``, ``lat``, ``lon`` (the district table).

    Returns
    -------
    DataFrame
        ``districts`` with the four tile columns, in the same order.

    Examples
    --------
    >>> d = pd.DataFrame({"kecamatan": ["Utara", "Tengah", "Selatan"], "lat": [3.7, 3.6, 3.5],
    ...                   "lon": [98.6, 98.6, 98.6]})
    >>> t = tile_layout(d)
    >>> t["tile_y"].is_monotonic_decreasing, bool(t[["tile_row", "tile_col"]].duplicated().any())
    (True, False)
    """
    if not len(districts):
        return districts.assign(tile_row=pd.Series(dtype=int), tile_col=pd.Series(dtype=int),
                                tile_x=pd.Series(dtype=float), tile_y=pd.Series(dtype=float))
    lat = districts["lat"].astype(float).to_numpy()
    lon = districts["lon"].astype(float).to_numpy()
    x, y = _spread(lon), _spread(lat)
    lat_span, lon_span = float(np.ptp(lat)), float(np.ptp(lon) * math.cos(math.radians(float(lat.mean()))))
    rows, columns = _grid_shape(len(districts), lat_span / lon_span if lon_span > 0 else 1.0)
    cell_row, cell_col = np.divmod(np.arange(rows * columns), columns)
    cell_x = cell_col + 0.5 * (cell_row % 2)
    cell_y = cell_row * ROW_STEP
    want_x = x * (columns - 0.5)
    want_y = y * (rows - 1) * ROW_STEP
    cost = (want_x[:, None] - cell_x[None, :]) ** 2 + (want_y[:, None] - cell_y[None, :]) ** 2
    _, chosen = linear_sum_assignment(cost)
    return districts.assign(tile_row=cell_row[chosen].astype(int), tile_col=cell_col[chosen].astype(int),
                            tile_x=cell_x[chosen].astype(float), tile_y=cell_y[chosen].astype(float))


def hexagon(x: float, y: float, scale: float = 0.94) -> tuple[list[float], list[float]]:
    """The closed outline of the pointy-top hexagon centred at (``x``, ``y``), one unit wide times
    ``scale`` (below 1 leaves a gap between neighbours).

    Examples
    --------
    >>> xs, ys = hexagon(0.0, 0.0, scale=1.0)
    >>> len(xs), round(max(xs) - min(xs), 6), round(xs[0] - xs[-1], 9) == 0
    (7, 1.0, True)
    """
    r = scale / math.sqrt(3)
    angles = [math.radians(90 + 60 * k) for k in range(7)]
    return [x + r * math.cos(a) for a in angles], [y + r * math.sin(a) for a in angles]


__all__ = ["tile_layout", "hexagon"]
