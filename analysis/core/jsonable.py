"""Plain JSON values from what pandas and numpy hand back: one conversion for the CLI, the store and the audit log."""

from __future__ import annotations

import math


def to_jsonable(obj):
    """Plain JSON types: numpy scalars to Python numbers, NaN/inf/NA to ``None``, dates to ISO text.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"a": np.float64("nan"), "b": [np.int64(3), 2.5]})
    {'a': None, 'b': [3, 2.5]}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if hasattr(obj, "item") and not hasattr(obj, "__len__"):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    import pandas as pd  # here: plain values (what the CLI prints most) never need it

    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)
