"""The structure of a PNS NIP (Perka BKN 22/2007): 18 digits = birth date YYYYMMDD, TMT CPNS
YYYYMM, sex (1/2) and a 3-digit serial, checked without reading each value as a Python string.
A PPPK number is also 18 digits but carries no CPNS month (e.g. ``…2021 21 1 001``), so it fails
the check: that is how the 20 JP share, a PNS duty, tells PNS apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def nip_structure_mask(nips: pd.Series) -> np.ndarray:
    """Vectorised :func:`nip_structure_ok` over a series of digit strings.

    Examples
    --------
    >>> nip_structure_mask(pd.Series(["198503122010011003", "198502302010011003", "12345", None])).tolist()
    [True, False, False, False]
    """
    return nip_structure(pa.array(nips.astype("str").array))


def as_numpy(mask) -> np.ndarray:
    """A boolean Arrow array (nulls false) as numpy.

    Examples
    --------
    >>> as_numpy(pa.array([True, None, False])).tolist()
    [True, False, False]
    """
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def nip_structure(nips) -> np.ndarray:
    """:func:`nip_structure_mask` over an Arrow string array: the 18-digit values are read as one
    block of bytes, never as Python strings.

    Examples
    --------
    >>> nip_structure(pa.array(["198503122010011003", "199001012021211001", None])).tolist()
    [True, False, False]
    """
    eighteen = as_numpy(pc.and_(pc.equal(pc.binary_length(nips), 18), pc.ascii_is_decimal(nips)))
    ok = np.zeros(len(nips), dtype=bool)
    if not eighteen.any():
        return ok
    block = pc.filter(nips, pa.array(eighteen))
    block = (pa.concat_arrays(block.chunks) if isinstance(block, pa.ChunkedArray) else block).cast(pa.large_string())
    offsets = np.frombuffer(block.buffers()[1], dtype=np.int64)[block.offset:block.offset + len(block) + 1]
    data = np.frombuffer(block.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    b = data.reshape(-1, 18).astype(np.int64) - 48
    y = b[:, 0] * 1000 + b[:, 1] * 100 + b[:, 2] * 10 + b[:, 3]
    m, d = b[:, 4] * 10 + b[:, 5], b[:, 6] * 10 + b[:, 7]
    ty = b[:, 8] * 1000 + b[:, 9] * 100 + b[:, 10] * 10 + b[:, 11]
    tm, sex = b[:, 12] * 10 + b[:, 13], b[:, 14]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    dim = _DAYS[np.clip(m, 1, 12) - 1] + ((m == 2) & leap)
    good = ((y >= 1930) & (y <= 2015) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)
            & (ty >= 1950) & (ty <= 2050) & (tm >= 1) & (tm <= 12) & ((sex == 1) | (sex == 2)) & (ty >= y + 15))
    ok[eighteen] = good
    return ok


def nip_structure_ok(nip: str) -> bool:
    """A PNS NIP: 18 digits = birth date YYYYMMDD + TMT CPNS YYYYMM + sex (1/2) + 3-digit serial.

    Examples
    --------
    >>> nip_structure_ok("198503122010011003"), nip_structure_ok("198513122010011003")
    (True, False)
    """
    return bool(nip_structure_mask(pd.Series([nip], dtype=object))[0])
