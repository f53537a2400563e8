"""Access to the tables of a packaged data set (cached), its parameters and money conversion.

Shared by the corridor builder (:mod:`silkgrid.data.build`), the link and market tables
(:mod:`silkgrid.data.links`, :mod:`silkgrid.data.markets`) and the corridor facts
(:mod:`silkgrid.data.corridor_meta`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.data.provenance import dataset_dir, load_tables

#: Years with technology data.
YEARS = (2030, 2040, 2050)


class CorridorDataError(SilkGridError, ValueError):
    """The corridor tables or the profiles given to the builder are inconsistent."""


@lru_cache(maxsize=4)
def _tables_cached(folder: str) -> dict[str, pd.DataFrame]:
    return load_tables(Path(folder))


def _tables(dataset: str | Path) -> dict[str, pd.DataFrame]:
    return {k: v.copy() for k, v in _tables_cached(str(dataset_dir(dataset))).items()}


def parameters(dataset: str | Path = "corridor") -> dict[str, float]:
    """``parameters.csv`` as name → value."""
    df = _tables(dataset)["parameters"]
    return {str(r.parameter): float(r.value) for r in df.itertuples()}


class _Money:
    """Converts a value of a currency year to EUR of the base year at a constant inflation rate."""

    def __init__(self, params: Mapping[str, float], harmonise: bool) -> None:
        self.base = int(params["currency_base_year"])
        self.rate = float(params["inflation_rate"])
        self.harmonise = harmonise

    def __call__(self, currency_year: float | None) -> float:
        if not self.harmonise or currency_year is None or pd.isna(currency_year):
            return 1.0
        return (1.0 + self.rate) ** (self.base - float(currency_year))


def _check_year(year: int) -> int:
    if year not in YEARS:
        raise CorridorDataError(f"year {year} has no technology data; choose one of {', '.join(map(str, YEARS))}")
    return int(year)


def technology_values(year: int = 2030, dataset: str | Path = "corridor", *,
                      harmonise_currency: bool = True) -> dict[str, dict[str, float]]:
    """Technology → parameter → value for ``year``, money in EUR of the base currency year.

    Parameters are as in technology-data (``investment``, ``FOM`` in %/yr, ``VOM``,
    ``efficiency``, ``lifetime``, ``fuel``, ``CO2 intensity``), units as in
    ``technologies.csv``.
    """
    year = _check_year(year)
    money = _Money(parameters(dataset), harmonise_currency)
    df = _tables(dataset)["technologies"]
    df = df[df["year"] == year]
    out: dict[str, dict[str, float]] = {}
    for r in df.itertuples():
        value = float(r.value)
        if r.parameter in ("investment", "VOM", "fuel"):
            value *= money(r.currency_year)
        out.setdefault(str(r.technology), {})[str(r.parameter)] = value
    return out



def _nodes(dataset: str | Path) -> pd.DataFrame:
    return _tables(dataset)["nodes"].set_index("id", drop=False)
