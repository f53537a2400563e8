"""Calibration inputs and validation figures of the corridor data set, for ``silkgrid info --validate``.

Two kinds of comparison, never mixed:

* **calibration** — a published statistic the data set uses as an *input*; the comparison shows
  that the input reproduces it (e.g. the yearly available / installed ratio of the Kazakh
  thermal fleet, the zonal split of Kazakh demand);
* **validation** — a published *outcome* no input was fitted to; the data set can only bound it
  (e.g. the Kazakh coal fleet's 63.4 % capacity factor of 2020 lies between the CHP must-run and
  the availability of the fleet); the solved value is in a result's ``generators`` table.

The published numbers come from ``fleet_statistics.csv`` and ``kz_oblast_demand.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.data.build import node_demand_mwh
from silkgrid.data.fleet import existing_units, thermal_profiles
from silkgrid.data.tables import CorridorDataError, _tables

__all__ = ["demand_geography", "thermal_fleet_checks"]

HOURS_PER_YEAR = 8760.0


def _statistic(metric: str, year: float | None = None, dataset: str | Path = "corridor") -> tuple[float, str]:
    df = _tables(dataset)["fleet_statistics"]
    sel = df[(df["country"] == "KZ") & (df["metric"] == metric)]
    if year is not None:
        sel = sel[sel["year"] == year]
    if len(sel) != 1:
        raise CorridorDataError(f"fleet_statistics.csv needs one KZ row '{metric}'" + (f" for {year}" if year else ""))
    return float(sel["value"].iloc[0]), str(sel["source_id"].iloc[0])


def _year_index(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")


def thermal_fleet_checks(year: int = 2030, dataset: str | Path = "corridor") -> pd.DataFrame:
    """The Kazakh thermal fleet of ``year`` against the published figures.

    Columns: ``item``, ``kind`` (``calibration`` / ``validation``), ``published`` (share),
    ``model`` (share; NaN where only bounds exist), ``model_low`` / ``model_high`` (shares),
    ``source`` (source ids), ``note``. Capacity-weighted yearly means over an hourly index.
    """
    units = existing_units(year, dataset)
    kz = units[units["node"].str.startswith("KZ")]
    index = _year_index(year)
    prof = thermal_profiles(kz, index, dataset)
    thermal = kz[kz["id"].isin(list(prof))]
    cap = thermal.set_index("id")["capacity_mw"]
    avail = {i: float(np.mean(a)) for i, (a, _) in prof.items()}
    must = {i: float(np.mean(m)) for i, (_, m) in prof.items()}
    installed, src_i = _statistic("installed_capacity", 2024, dataset)
    available, _ = _statistic("available_capacity", 2024, dataset)
    chp, src_c = _statistic("coal_chp_capacity", None, dataset)
    cond, _ = _statistic("coal_condensing_capacity", None, dataset)
    gen, src_g = _statistic("coal_generation", 2020, dataset)
    coal_mw, _ = _statistic("coal_capacity", 2020, dataset)
    coal = thermal[thermal["technology"] == "coal_existing"].set_index("id")
    coal_cap = coal["capacity_mw"]
    weighted = (lambda d, c: float(sum(d[i] * c[i] for i in c.index) / c.sum()) if c.sum() > 0 else np.nan)
    chp_model = float((coal["chp_share"].fillna(0.0) * coal_cap).sum() / coal_cap.sum()) if len(coal) else np.nan
    rows = [
        {"item": "KZ thermal availability (available / installed, yearly mean)", "kind": "calibration",
         "published": available / installed, "model": weighted(avail, cap), "model_low": np.nan,
         "model_high": np.nan, "source": src_i,
         "note": f"{available:,.1f} / {installed:,.1f} MW on 1 Jan 2024 (whole fleet); thermal_fleet.csv"},
        {"item": "KZ coal capacity in CHP plants", "kind": "calibration", "published": chp / (chp + cond),
         "model": chp_model, "model_low": np.nan, "model_high": np.nan, "source": src_c,
         "note": f"{chp:,.0f} CHP / {chp + cond:,.0f} MW listed; the Almaty CHPs now burn gas (gas_existing)"},
        {"item": "KZ coal fleet capacity factor (2020)", "kind": "validation",
         "published": gen * 1e3 / (coal_mw * HOURS_PER_YEAR),
         "model": np.nan, "model_low": weighted(must, coal_cap), "model_high": weighted(avail, coal_cap),
         "source": src_g,
         "note": (f"{gen:,.0f} GWh / {coal_mw:,.0f} MW (KEGOC); the data set bounds it between the CHP must-run "
                  f"and the availability of {year}; the solved value is capacity_factor of technology "
                  "coal_existing, country KZ, in a result's generators table")},
    ]
    return pd.DataFrame(rows)


def demand_geography(year: int = 2030, dataset: str | Path = "corridor") -> pd.DataFrame:
    """Kazakh zonal demand: oblast statistics vs the zone shares of ``demand.csv`` (a calibration input).

    Columns: ``zone``, ``kind``, ``published`` (share of the oblast consumption), ``input``
    (``demand.csv`` zone_share), ``model_twh`` (the node's demand in ``year``), ``source``.
    """
    oblasts = _tables(dataset)["kz_oblast_demand"]
    by_zone = oblasts.groupby("zone")["consumption_gwh"].sum()
    demand = _tables(dataset)["demand"]
    shares = demand[demand["parameter"] == "zone_share"].set_index("area")["value"]
    node_mwh = node_demand_mwh(year, dataset)
    sources = ";".join(sorted(set(";".join(oblasts["source_id"]).split(";")), key=lambda s: (s == "assumption", s)))
    return pd.DataFrame([{"zone": z, "kind": "calibration", "published": float(by_zone[z] / by_zone.sum()),
                          "input": float(shares.get(z, np.nan)), "model_twh": node_mwh.get(z, np.nan) / 1e6,
                          "source": sources} for z in by_zone.index])
