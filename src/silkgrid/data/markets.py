"""External markets of a data set: hourly prices (sourced monthly or annual means) and depth steps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.data.tables import CorridorDataError, _Money, _tables, parameters


def market_prices(index: pd.DatetimeIndex, dataset: str | Path = "corridor", *, price_year: int | None = None,
                  harmonise_currency: bool = True) -> dict[str, np.ndarray]:
    """Hourly prices of every market node on ``index`` (UTC hours). [EUR/MWh of the base year]

    ``monthly`` markets: the Ember monthly mean of the month times the diurnal factor
    ``1 − A cos(2π (h − 13) / 12)`` (clock hour ``h`` at UTC + ``price_shape_utc_offset_h``,
    the same for all markets; ``A`` = ``price_diurnal_amplitude``),
    rescaled so that the mean over the hours equals the unweighted mean of the 12 monthly
    values (the annual mean of the fact sheet).  ``annual`` markets: the annual price times
    the same diurnal factor.
    """
    params = parameters(dataset)
    money = _Money(params, harmonise_currency)
    tables = _tables(dataset)
    year = int(price_year if price_year is not None else params["market_price_year"])
    amp = params["price_diurnal_amplitude"]
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("UTC").tz_localize(None)
    monthly = tables["market_prices_monthly"]
    local = idx + pd.Timedelta(hours=float(params["price_shape_utc_offset_h"]))  # one clock for all markets
    hour = local.hour.to_numpy() + local.minute.to_numpy() / 60.0
    shape = 1.0 - amp * np.cos(2 * np.pi * (hour - 13.0) / 12.0)
    out = {}
    for m in tables["markets"].itertuples():
        if m.price_basis == "monthly":
            rows = monthly[(monthly["node"] == m.node) & (monthly["year"] == year)].sort_values("month")
            if len(rows) != 12:
                raise CorridorDataError(f"market {m.node}: no complete monthly prices for {year}")
            by_month = rows["price_eur_per_mwh"].to_numpy(float)
            target = float(by_month.mean())
            raw = by_month[local.month.to_numpy() - 1] * shape
            price = raw * (target / raw.mean()) * money(year)
        elif m.price_basis == "annual":
            value = float(m.price_annual)
            if str(m.price_unit).startswith("USD"):
                value /= params["usd_per_eur"]
            price = value * shape / shape.mean() * money(m.price_year)
        else:
            raise CorridorDataError(f"market {m.node}: unknown price_basis '{m.price_basis}'")
        out[str(m.node)] = price
    return out


def market_depth_steps(dataset: str | Path = "corridor") -> dict[str, list[dict[str, float]]]:
    """Price-quantity steps of every market node with rows in ``market_depth.csv`` (``Market.depth_steps``).

    Block size = ``share_of_average_load`` × the market's average load (its latest
    ``annual_demand`` in ``demand.csv`` / 8,760 h), MW; offsets in EUR/MWh, in step order.
    Capacity beyond the listed blocks trades at the last offset (the model's rule).
    """
    tables = _tables(dataset)
    depth = tables.get("market_depth")
    if depth is None or depth.empty:
        return {}
    demand = tables["demand"]
    out: dict[str, list[dict[str, float]]] = {}
    for node, rows in depth.sort_values(["node", "step"]).groupby("node"):
        pts = demand[(demand["area"] == node) & (demand["parameter"] == "annual_demand")].sort_values("year")
        if pts.empty:
            raise CorridorDataError(f"market_depth.csv: market {node} has no annual_demand in demand.csv")
        average_mw = float(pts["value"].iloc[-1]) * 1e6 / 8760.0
        offsets = rows["price_offset_eur_per_mwh"].to_numpy(float)
        if (np.diff(offsets) < 0).any():
            raise CorridorDataError(f"market_depth.csv: the offsets of market {node} decrease from one step to the next")
        out[str(node)] = [{"mw": float(s) * average_mw, "price_offset_eur_per_mwh": float(o)}
                          for s, o in zip(rows["share_of_average_load"], offsets)]
    return out
