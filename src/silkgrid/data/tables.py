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

#: Years with technology data (the data points; years in between are interpolated linearly).
YEARS = (2030, 2040, 2050)
#: First and last scenario year the builder accepts.  After the last data point (2050) technology
#: values are held at it (assumption: the technology data project no further; pathways to
#: Kazakhstan's neutrality year 2060 need the years up to it).
YEAR_RANGE = (YEARS[0], 2060)


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
    """``year`` as an int if it is a whole year in :data:`YEAR_RANGE`, else a :class:`CorridorDataError`."""
    lo, hi = YEAR_RANGE
    if isinstance(year, bool) or not isinstance(year, (int, float)) or int(year) != year or not lo <= year <= hi:
        raise CorridorDataError(f"year {year!r} is outside the technology data; choose a whole year from {lo} to "
                                f"{hi} (data points {', '.join(map(str, YEARS))}, linear in between, held at {YEARS[-1]} after "
                                "it)")
    return int(year)


def technology_values(year: int = 2030, dataset: str | Path = "corridor", *,
                      harmonise_currency: bool = True) -> dict[str, dict[str, float]]:
    """Technology → parameter → value for ``year``, money in EUR of the base currency year.

    Parameters are as in technology-data (``investment``, ``FOM`` in %/yr, ``VOM``,
    ``efficiency``, ``lifetime``, ``fuel``, ``CO2 intensity``), units as in
    ``technologies.csv``.  Between the data years (:data:`YEARS`) every value is linear in the
    year, after each row is brought to the base currency year (2035 = the mean of 2030 and 2040).
    """
    year = min(_check_year(year), YEARS[-1])  # held at the last data point after it
    money = _Money(parameters(dataset), harmonise_currency)
    df = _tables(dataset)["technologies"]
    lower = max(y for y in YEARS if y <= year)
    upper = min(y for y in YEARS if y >= year)
    weight = 0.0 if upper == lower else (year - lower) / (upper - lower)
    points: dict[int, dict[tuple[str, str], float]] = {}
    for y in {lower, upper}:
        vals = points.setdefault(y, {})
        for r in df[df["year"] == y].itertuples():
            value = float(r.value)
            if r.parameter in ("investment", "VOM", "fuel"):
                value *= money(r.currency_year)
            vals[(str(r.technology), str(r.parameter))] = value
    missing = sorted(set(points[lower]) ^ set(points[upper]))
    if missing:
        raise CorridorDataError(f"technologies.csv: {missing[0][0]} {missing[0][1]} has a value in only one of "
                                f"{lower} and {upper}; cannot interpolate {year}")
    out: dict[str, dict[str, float]] = {}
    for key, a in points[lower].items():
        out.setdefault(key[0], {})[key[1]] = a + weight * (points[upper][key] - a)
    return out



def _nodes(dataset: str | Path) -> pd.DataFrame:
    return _tables(dataset)["nodes"].set_index("id", drop=False)
