"""JSON-safe plain data: what ``summary.json``, ``metrics.json`` and the web API write."""

from __future__ import annotations

import math

import numpy as np


def clean(obj):
    """numpy scalars to Python, NaN and infinity to ``None``, tuples to lists, keys to str."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
