"""One plan, several weather years: each year's own operation and the spread across years.

A scenario whose ``time.years`` labels K consecutive blocks of equal length (e.g. the corridor data set
with ``weather_years: [1, 2, 3]``: three synthetic weather years, 8,760 h each) is solved as one design
serving all of them (capacities shared, operation per hour; each year weighs 1/K).  :func:`by_year`
splits the hourly result back into its years, each scaled to a full year of its own: demand, unserved
energy, curtailment, emissions, EU market sales and the demand-weighted mean price; :func:`spread`
gives the minimum, mean, maximum and standard deviation across the years, so that the worst year is
reported and not only the mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario

__all__ = ["by_year", "spread", "year_of_snapshot"]


def year_of_snapshot(result: Result, scenario: Scenario) -> np.ndarray:
    """Index (0..K-1) into ``scenario.time.years`` of every snapshot of ``result``."""
    t = scenario.time
    k = len(t.years or [])
    if k < 2:
        return np.zeros(len(result.weights), dtype=int)
    idx = pd.DatetimeIndex(result.hourly["demand_mw"].index)
    offset = (idx - pd.Timestamp(t.start)) / pd.Timedelta(hours=1)
    return np.minimum((np.asarray(offset, dtype=float) // (t.hours / k)).astype(int), k - 1)


def by_year(result: Result, scenario: Scenario) -> pd.DataFrame:
    """One row per labelled year (index: the label): each year's figures as a full year of its own."""
    years = list(scenario.time.years or [])
    k = max(len(years), 1)
    block = year_of_snapshot(result, scenario)
    w = np.asarray(result.weights, dtype=float) * k  # each block then sums to one year
    h = result.hourly

    def per_year(values: np.ndarray) -> np.ndarray:
        return np.bincount(block, weights=w * values, minlength=k)

    def total(name: str) -> np.ndarray:
        frame = h.get(name)
        return np.zeros(len(w)) if frame is None or frame.shape[1] == 0 else frame.to_numpy(dtype=float).sum(axis=1)

    demand = total("demand_mw")
    gen = h["generation_mw"]
    g = result.tables["generators"].set_index("id")
    factor = (g["emissions_t"] / g["generation_mwh"].where(g["generation_mwh"] > 0)).fillna(0.0)
    emis = gen.to_numpy(dtype=float) @ factor.reindex(gen.columns).fillna(0.0).to_numpy()
    eu = set(getattr(getattr(scenario, "corridor", None), "eu_nodes", None) or [])
    markets = [m.id for m in scenario.markets if m.node in eu]
    sales = h.get("market_sales_mw")
    eu_sales = (np.clip(sales[[c for c in markets if c in sales.columns]].to_numpy(dtype=float), 0, None).sum(axis=1)
                if sales is not None and markets else np.zeros(len(w)))
    price = h["price_eur_per_mwh"]
    dem = h["demand_mw"].reindex(columns=price.columns, fill_value=0.0).to_numpy(dtype=float)
    paid = per_year((price.to_numpy(dtype=float) * dem).sum(axis=1))
    d = per_year(demand)
    out = pd.DataFrame({
        "demand_twh": d / 1e6, "unserved_energy_mwh": per_year(total("unserved_mw")),
        "curtailment_twh": per_year(total("curtailment_mw")) / 1e6, "emissions_mt": per_year(emis) / 1e6,
        "eu_market_sales_twh": per_year(eu_sales) / 1e6,
        "mean_price_eur_per_mwh": np.divide(paid, d, out=np.full(k, np.nan), where=d > 0)},
        index=pd.Index(years or [0], name="year"))
    return out


def spread(table: pd.DataFrame) -> pd.DataFrame:
    """Minimum, mean, maximum and standard deviation (population) of every column across the years,
    and the year of the minimum and of the maximum."""
    return pd.DataFrame({"min": table.min(), "mean": table.mean(), "max": table.max(), "std": table.std(ddof=0),
                         "year_of_min": table.idxmin(), "year_of_max": table.idxmax()})
