"""Helpers shared by import and export: the lazy PyPSA import, ids and value comparison."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

#: SilkGrid LP units (GW, MEUR/GWh, MEUR/GW/yr) -> PyPSA units (MW, EUR/MWh, EUR/MW/yr).
K = 1e3

_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def load_pypsa():
    """Import PyPSA (an optional dependency) on first use."""
    try:
        import pypsa
    except ImportError as exc:  # pragma: no cover - pypsa is an optional dependency
        raise ImportError("silkgrid.interop.pypsa needs PyPSA: pip install pypsa") from exc
    return pypsa


class Ids:
    """SilkGrid ids from PyPSA names: invalid characters become '_', clashes get a suffix."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}
        self.map: dict[tuple[str, str], str] = {}

    def make(self, namespace: str, name: Any, key: tuple[str, str] | None = None) -> str:
        """A fresh id in ``namespace``; recorded under ``key`` in :attr:`map` if given."""
        base = _ID_BAD.sub("_", str(name))[:90] or "_"
        used = self.used.setdefault(namespace, set())
        sid, k = base, 1
        while sid in used:
            k += 1
            sid = f"{base}-{k}"
        used.add(sid)
        if key is not None:
            self.map[key] = sid
        return sid


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3`` ... if taken; the result is added to ``taken``."""
    out, k = name, 1
    while out in taken:
        k += 1
        out = f"{name}-{k}"
    taken.add(out)
    return out


def fmt(v: Any) -> str:
    """A value for an error message (floats in ``%g``)."""
    if isinstance(v, (float, np.floating)):
        return f"{float(v):g}"
    return repr(v)


def equals_default(values: pd.Series, default: Any) -> pd.Series:
    """Element-wise: does the value equal PyPSA's default (NaN == NaN, '' == NaN)?"""
    if isinstance(default, str):
        v = values.astype(object)
        return v.isna() | (v.astype(str) == default)
    if isinstance(default, (bool, np.bool_)):
        return values.fillna(default).astype(bool) == bool(default)
    try:
        d = float(default)
    except (TypeError, ValueError):
        return values.isna() | (values == default)
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if math.isnan(d):
        return v.isna()
    return v == d
