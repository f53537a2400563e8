"""Turn the sourced corridor tables into a scenario for any year 2030..2060.

The tables live in ``src/silkgrid/data/corridor/`` (see ``docs/data.md``); every number in
them names a source (:mod:`silkgrid.data.provenance`).  This module only *combines* them:

* technology costs for the chosen year, brought to one currency year
  (``currency_base_year``, ``inflation_rate`` in ``parameters.csv``);
* the existing fleet (:mod:`silkgrid.data.fleet`): committed projects from their commissioning
  year, announced ones only on request, retirements; thermal units with seasonal availability
  (maintenance + forced outages) and a heat-led CHP must-run in the heating season;
* demand per node from national totals, sourced projections and zonal shares;
* candidate generators and batteries at every domestic node, offshore wind at ``AZ_OFF``, each
  with a finite potential (:mod:`silkgrid.data.limits`) and its country's cost of capital
  (:mod:`silkgrid.data.finance`); onshore-wind capex scaled to regional project costs;
* ``policies.build_limits``: achieved build rates per country and technology group from a base
  year to the scenario year, less the named pipeline (:mod:`silkgrid.data.limits`);
* links with lengths from the tables or from the node anchors (great circle ×
  ``line_length_factor``), losses ``0.98 × 0.977^(L/1000)`` for DC, and costs from
  technology-data, the Black Sea cable calibrated to its published project cost
  (:mod:`silkgrid.data.links`);
* EU (and Turkish) markets with hourly prices whose annual mean equals the sourced
  day-ahead mean (:mod:`silkgrid.data.markets`);
* the ``corridor:`` section (export path, EU nodes and markets, the web form's capacity
  knobs, CBAM default factors) from ``meta.yaml`` and ``emission_factors.csv``
  (:mod:`silkgrid.data.corridor_meta`);
* hourly profiles from :func:`silkgrid.profiles.corridor_profiles` (or a DataFrame given by
  the caller) with the columns ``onwind_<node>``, ``solar_fixed_<node>``,
  ``solar_tracking_<node>``, ``offwind_<node>``, ``demand_<node>`` and ``inflow_<node>``.

The result is a plain scenario dict (profiles as numpy arrays) for
:func:`silkgrid.load_scenario`::

    from silkgrid.data.build import build_corridor_scenario
    sc = silkgrid.load_scenario(build_corridor_scenario(2030, weather_year=1))
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.core.costs import annuity_factor
from silkgrid.data.corridor_meta import corridor_section
from silkgrid.data.fleet import existing_units, thermal_profiles
from silkgrid.data.links import great_circle_km, hvdc_efficiency, link_table
from silkgrid.data.finance import FINANCE_CASES, generator_rate, link_rate, regional_capex_factor
from silkgrid.data.limits import OFFSHORE_TECHS, build_limit_policies, potential_table
from silkgrid.data.markets import market_depth_steps, market_prices
from silkgrid.data.tables import (YEARS, CorridorDataError, _check_year, _Money, _nodes, _tables, parameters,
                                  technology_values)

__all__ = ["CorridorDataError", "YEARS", "annual_demand_twh", "build_corridor_scenario", "existing_units",
           "great_circle_km", "hvdc_efficiency", "link_table", "market_prices", "node_demand_mwh", "node_peak_mw",
           "node_records", "parameters", "required_profile_columns", "technology_values", "write_corridor_scenario"]


RENEWABLE_PROFILE = {"onwind": "onwind", "solar_fixed": "solar_fixed", "solar_tracking": "solar_tracking",
                     "offwind": "offwind", "offwind_float": "offwind"}
GENERATOR_TECHS = ("onwind", "solar_fixed", "solar_tracking", "ccgt", "ocgt")  # candidates at a domestic node


# ----------------------------------------------------------------------------------------
# nodes, demand, hydro
# ----------------------------------------------------------------------------------------
def annual_demand_twh(area: str, year: int, dataset: str | Path = "corridor") -> float:
    """National (or area) demand in ``year``: linear between sourced points, then ``demand_growth_rate``."""
    df = _tables(dataset)["demand"]
    pts = df[(df["area"] == area) & (df["parameter"] == "annual_demand")].sort_values("year")
    if pts.empty:
        raise CorridorDataError(f"no annual demand for '{area}' in demand.csv")
    years, values = pts["year"].to_numpy(float), pts["value"].to_numpy(float)
    if year <= years[-1]:
        return float(np.interp(year, years, values))
    growth = parameters(dataset)["demand_growth_rate"]
    return float(values[-1] * (1.0 + growth) ** (year - years[-1]))


def _zone_share(node: str, country: str, domestic_in_country: int, dataset: str | Path) -> float:
    df = _tables(dataset)["demand"]
    row = df[(df["area"] == node) & (df["parameter"] == "zone_share")]
    if not row.empty:
        return float(row["value"].iloc[0])
    if domestic_in_country == 1:
        return 1.0
    raise CorridorDataError(f"node '{node}' shares country {country} with other nodes but has no zone_share")


def node_demand_mwh(year: int = 2030, dataset: str | Path = "corridor") -> dict[str, float]:
    """Annual demand of every domestic node in ``year``. [MWh]"""
    nodes = _nodes(dataset)
    dom = nodes[nodes["role"] == "domestic"]
    counts = dom["country"].value_counts()
    return {n.id: annual_demand_twh(n.country, year, dataset) * 1e6
            * _zone_share(n.id, n.country, int(counts[n.country]), dataset) for n in dom.itertuples()}


def node_peak_mw(year: int = 2030, dataset: str | Path = "corridor") -> dict[str, float]:
    """Node peaks where a node-level peak is sourced, grown with the node's demand. [MW]"""
    df = _tables(dataset)["demand"]
    nodes = _nodes(dataset)
    out = {}
    for r in df[df["parameter"] == "peak"].itertuples():
        if r.area not in nodes.index or nodes.loc[r.area, "role"] != "domestic":
            continue  # national peaks of multi-node countries are reference values only
        country = nodes.loc[r.area, "country"]
        ratio = annual_demand_twh(country, year, dataset) / annual_demand_twh(country, int(r.year), dataset)
        out[str(r.area)] = float(r.value) * ratio
    return out


def _hydro_split(units: pd.DataFrame, dataset: str | Path) -> tuple[dict[str, float], dict[str, float]]:
    """(node → annual inflow energy [MWh], reservoir id → energy capacity [MWh])."""
    nodes = _nodes(dataset)
    hydro = _tables(dataset)["hydro"].set_index("country")
    h = units[units["technology"].isin(["hydro_reservoir", "ror"])].copy()
    h["country"] = h["node"].map(nodes["country"])
    inflow: dict[str, float] = {}
    energy: dict[str, float] = {}
    for country, grp in h.groupby("country"):
        if country not in hydro.index:
            raise CorridorDataError(f"hydro plants in {country} but no row in hydro.csv")
        annual_mwh = float(hydro.loc[country, "annual_generation_gwh"]) * 1e3
        total_cap = grp["capacity_mw"].sum()
        for node, ng in grp.groupby("node"):
            inflow[str(node)] = annual_mwh * ng["capacity_mw"].sum() / total_cap
        res = grp[grp["technology"] == "hydro_reservoir"]
        storable = float(hydro.loc[country, "storable_share"]) * annual_mwh
        for r in res.itertuples():
            energy[str(r.id)] = storable * r.capacity_mw / res["capacity_mw"].sum()
    return inflow, energy


def node_records(year: int = 2030, dataset: str | Path = "corridor", *,
                 include_committed: bool = True, include_announced: bool = False) -> list[dict[str, Any]]:
    """Node dicts for :func:`silkgrid.profiles.corridor_profiles` (anchors, technologies, energies)."""
    nodes = _nodes(dataset)
    demand = node_demand_mwh(year, dataset)
    peaks = node_peak_mw(year, dataset)
    inflow, _ = _hydro_split(existing_units(year, dataset, include_committed=include_committed,
                                            include_announced=include_announced), dataset)
    out = []
    for n in nodes.itertuples():
        rec: dict[str, Any] = {"id": n.id, "name": n.name, "country": n.country, "lat": float(n.lat),
                               "lon": float(n.lon)}
        for what in ("wind", "solar"):  # resource site when it differs from the anchor substation
            lat, lon = getattr(n, f"{what}_lat"), getattr(n, f"{what}_lon")
            if not (pd.isna(lat) or pd.isna(lon)):
                rec[f"{what}_lat"], rec[f"{what}_lon"] = float(lat), float(lon)
        site_class = getattr(n, "wind_site_class", None)
        if isinstance(site_class, str) and site_class:
            rec["wind"] = {"site_class": site_class}  # a named class of silkgrid.profiles.wind
        if n.role == "offshore":
            rec["offshore"] = True
            rec["technologies"] = ["offwind"]
        elif n.role == "domestic":
            rec["offshore"] = False
            rec["technologies"] = ["onwind", "solar_fixed", "solar_tracking"]
        else:
            rec["offshore"] = False
            rec["technologies"] = []
        if n.id in demand:
            rec["annual_demand_mwh"] = demand[n.id]
            if n.id in peaks:
                rec["peak_demand_mw"] = peaks[n.id]
        if n.id in inflow:
            rec["hydro_inflow_mwh"] = inflow[n.id]
        out.append(rec)
    return out


def required_profile_columns(year: int = 2030, dataset: str | Path = "corridor", *,
                             include_committed: bool = True, include_announced: bool = False) -> list[str]:
    """Profile columns the builder reads (the same set :func:`corridor_profiles` produces)."""
    cols = []
    for rec in node_records(year, dataset, include_committed=include_committed, include_announced=include_announced):
        cols += [f"{t}_{rec['id']}" for t in rec["technologies"]]
        if "annual_demand_mwh" in rec:
            cols.append(f"demand_{rec['id']}")
        if "hydro_inflow_mwh" in rec:
            cols.append(f"inflow_{rec['id']}")
    return cols


# ----------------------------------------------------------------------------------------
# profiles
# ----------------------------------------------------------------------------------------
def _get_profiles(profiles: pd.DataFrame | None, records: list[dict], weather_year: int, year: int,
                  required: list[str]) -> pd.DataFrame:
    if profiles is None:
        from silkgrid.profiles import corridor_profiles  # pvlib and windpowerlib load only when profiles are computed
        profiles = corridor_profiles(records, weather_year, year=year)
    missing = [c for c in required if c not in profiles.columns]
    if missing:
        raise CorridorDataError(f"the profiles lack {len(missing)} column(s): {', '.join(missing[:12])}"
                                + (" ..." if len(missing) > 12 else ""))
    frame = profiles[required].apply(pd.to_numeric, errors="coerce")
    if not np.isfinite(frame.to_numpy(dtype=float)).all():
        raise CorridorDataError("the profiles hold missing or non-finite values")
    if (frame.to_numpy() < 0).any():
        raise CorridorDataError("the profiles hold negative values")
    cf_cols = [c for c in required if not c.startswith(("demand_", "inflow_"))]
    if cf_cols and frame[cf_cols].to_numpy().max() > 1 + 1e-9:
        raise CorridorDataError("capacity-factor columns exceed 1")
    return frame


def _time_index(profiles: pd.DataFrame, year: int) -> pd.DatetimeIndex:
    if isinstance(profiles.index, pd.DatetimeIndex):
        idx = profiles.index
        return idx.tz_convert("UTC").tz_localize(None) if idx.tz is not None else idx
    return pd.date_range(f"{year}-01-01", periods=len(profiles), freq="h")


def _scaled(series: np.ndarray, total: float) -> np.ndarray:
    s = float(series.sum())
    if s <= 0:
        raise CorridorDataError("a demand or inflow profile sums to zero")
    return series * (total / s)


# ----------------------------------------------------------------------------------------
# the scenario
# ----------------------------------------------------------------------------------------
def build_corridor_scenario(year: int = 2030, weather_year: int = 1, resolution: str = "1h", *,
                            profiles: pd.DataFrame | None = None, discount_rate: float | None = None,
                            co2_price: float | None = None, include_committed: bool = True,
                            include_announced: bool = False,
                            respect_earliest_year: bool = True, market_price_year: int | None = None,
                            harmonise_currency: bool = True, name: str | None = None,
                            finance: str = "central", grant_share: float | None = None, build_limits: bool = True,
                            weather_years: Sequence[int] | None = None,
                            dataset: str | Path = "corridor") -> dict[str, Any]:
    """Scenario dict of the corridor for ``year`` (any year 2030..2060; technology data linear
    between 2030, 2040 and 2050, held at 2050 after it).

    Parameters
    ----------
    year : model year: technology costs, demand level, committed projects, calendar of the time axis
    weather_year : integer seed of the synthetic weather of :func:`silkgrid.profiles.corridor_profiles`
    resolution : snapshot length, e.g. ``"1h"`` or ``"3h"``
    profiles : hourly profiles with the columns of :func:`required_profile_columns`
        (capacity factors [-], demand and inflow [MW]); None computes them with
        :func:`silkgrid.profiles.corridor_profiles`. Demand and inflow columns are rescaled
        to the tables' annual energies.
    discount_rate : one rate for every candidate and the scenario (a uniform-rate sensitivity: it
        replaces the cost-of-capital table); default: each candidate's rate from ``finance``
        and ``parameters.csv``'s 0.071 as the scenario's fallback.
    co2_price : EUR/t inside the corridor; default ``corridor_co2_price`` (0)
    include_committed : add committed / under-construction projects online by ``year``
    include_announced : also add announced (not firm) pipeline projects online by ``year``
    respect_earliest_year : drop candidate links whose ``earliest_year`` is later than ``year``
        (default True: e.g. no Black Sea cable before 2032)
    market_price_year : data year of the EU prices (2023, 2024 or 2025; default 2024)
    harmonise_currency : bring all money to EUR of ``currency_base_year`` (default True)
    finance : cost-of-capital case of the candidates, ``low``, ``central`` or ``high``
        (``cost_of_capital.csv`` per country and asset class, :mod:`silkgrid.data.finance`)
    grant_share : share of the sea cables' investment paid by grants, 0..1; default
        ``sea_cable_grant_share`` (0; the Black Sea project expects 30-50 %, up to 75 %)
    build_limits : add ``policies.build_limits`` from ``build_rates.csv`` (:mod:`silkgrid.data.limits`)
    weather_years : several weather seeds one after the other (replaces ``weather_year``): the time
        axis holds K x 8,760 h (``time.years`` labels them), so one design serves every year

    Returns
    -------
    dict accepted by :func:`silkgrid.load_scenario` (series as numpy arrays).
    """
    year = _check_year(year)
    params = parameters(dataset)
    tables = _tables(dataset)
    money = _Money(params, harmonise_currency)
    tech = technology_values(year, dataset, harmonise_currency=harmonise_currency)
    nodes = _nodes(dataset)
    fleet = {"include_committed": include_committed, "include_announced": include_announced}
    units = existing_units(year, dataset, **fleet)
    records = node_records(year, dataset, **fleet)
    required = required_profile_columns(year, dataset, **fleet)
    if weather_years:
        if profiles is not None:
            raise CorridorDataError("weather_years computes the profiles of each year; do not pass profiles too")
        seeds = [int(w) for w in weather_years]
        if len(set(seeds)) != len(seeds) or min(seeds) < 1:
            raise CorridorDataError(f"weather_years must be distinct whole numbers >= 1, got {list(weather_years)}")
        prof = pd.concat([_get_profiles(None, records, w, year, required) for w in seeds], ignore_index=True)
    else:
        prof = _get_profiles(profiles, records, weather_year, year, required)
    index = _time_index(prof, year)
    col = {c: prof[c].to_numpy(dtype=float) for c in required}
    rate = float(discount_rate if discount_rate is not None else params["discount_rate"])
    uniform = None if discount_rate is None else rate  # one rate everywhere replaces the table
    if finance not in FINANCE_CASES:
        raise CorridorDataError(f"finance case '{finance}' is unknown; choose one of {', '.join(FINANCE_CASES)}")
    grant_share = params["sea_cable_grant_share"] if grant_share is None else grant_share
    if isinstance(grant_share, bool) or not 0.0 <= float(grant_share) <= 1.0:
        raise CorridorDataError(f"grant_share must be a fraction between 0 and 1, got {grant_share!r}")

    # --- carriers and technologies --------------------------------------------------------
    carriers = [
        {"id": "gas", "co2_t_per_mwh_th": tech["gas"]["CO2 intensity"],
         "fuel_cost_eur_per_mwh_th": tech["gas"]["fuel"], "name": "natural gas"},
        {"id": "coal", "co2_t_per_mwh_th": tech["coal"]["CO2 intensity"],
         "fuel_cost_eur_per_mwh_th": tech["coal"]["fuel"], "name": "hard coal"},
        {"id": "wind", "renewable": True}, {"id": "solar", "renewable": True},
        {"id": "hydro", "renewable": True}, {"id": "electricity"},
    ]

    def gen_tech(tid: str, carrier: str, src: str, *, efficiency: bool = False) -> dict:
        t = tech[src]
        # regional capex (capex_calibration.csv); fixed O&M stays at technology-data's EUR/kW/yr
        factor = regional_capex_factor(src, dataset) if src in ("onwind", "solar_fixed", "solar_tracking") else 1.0
        out = {"id": tid, "carrier": carrier, "capex_eur_per_kw": t.get("investment", 0.0) * factor,
               "fixed_om_eur_per_kw_yr": t.get("FOM", 0.0) / 100.0 * t.get("investment", 0.0),
               "variable_om_eur_per_mwh": t.get("VOM", 0.0), "lifetime_years": t.get("lifetime", 25.0)}
        if efficiency:
            out["efficiency"] = t["efficiency"]
        return out

    inv, sto = tech["battery_inverter"], tech["battery_storage"]
    # one lifetime per technology in the schema: the inverter (10 yr) is priced as the
    # capex with the same annuity over the storage lifetime
    af = annuity_factor(rate, inv["lifetime"]) / annuity_factor(rate, sto["lifetime"])
    technologies = [
        gen_tech("onwind", "wind", "onwind"), gen_tech("offwind", "wind", "offwind"),
        gen_tech("offwind_float", "wind", "offwind_float"),
        gen_tech("solar_fixed", "solar", "solar_fixed"), gen_tech("solar_tracking", "solar", "solar_tracking"),
        gen_tech("ccgt", "gas", "ccgt", efficiency=True), gen_tech("ocgt", "gas", "ocgt", efficiency=True),
        {"id": "coal_existing", "carrier": "coal", "efficiency": tech["coal_existing"]["efficiency"]},
        {"id": "gas_existing", "carrier": "gas", "efficiency": tech["gas_existing"]["efficiency"]},
        {"id": "battery", "carrier": "electricity", "capex_eur_per_kw": inv["investment"] * af,
         "fixed_om_eur_per_kw_yr": inv["FOM"] / 100.0 * inv["investment"],
         "energy_capex_eur_per_kwh": sto["investment"], "lifetime_years": sto["lifetime"]},
        {"id": "hydro_reservoir", "carrier": "hydro"}, {"id": "ror", "carrier": "hydro"},
    ]

    # --- existing generators and storage ----------------------------------------------------
    inflow_mwh, reservoir_mwh = _hydro_split(units, dataset)
    hydro_cap = units[units["technology"].isin(["hydro_reservoir", "ror"])].groupby("node")["capacity_mw"].sum()
    inflow = {n: _scaled(col[f"inflow_{n}"], e * len(index) / 8760.0) for n, e in inflow_mwh.items()}
    thermal = thermal_profiles(units, index, dataset)  # availability and CHP must-run per unit of capacity
    costs = tables["country_costs"]
    overrides = {(r.country, r.technology): float(r.value) * money(r.currency_year)
                 for r in costs[costs["parameter"] == "variable_cost"].itertuples()}
    generators: list[dict] = []
    storage: list[dict] = []
    battery_existing: dict[str, list[float]] = {}
    hours = params["battery_existing_hours"]
    for u in units.itertuples():
        country = nodes.loc[u.node, "country"]
        if u.technology == "battery":
            p_e = battery_existing.setdefault(u.node, [0.0, 0.0])
            p_e[0] += u.capacity_mw
            p_e[1] += u.energy_mwh if not pd.isna(u.energy_mwh) else hours * u.capacity_mw
            continue
        if u.technology == "hydro_reservoir":
            storage.append({"id": u.id, "node": u.node, "technology": "hydro_reservoir",
                            "power_capacity_mw": u.capacity_mw, "energy_capacity_mwh": reservoir_mwh[u.id],
                            "can_charge": False,
                            "efficiency_discharge": 1.0,
                            "inflow_mw": inflow[u.node] * (u.capacity_mw / hydro_cap[u.node])})
            continue
        g: dict[str, Any] = {"id": u.id, "node": u.node, "technology": u.technology, "capacity_mw": u.capacity_mw}
        if u.technology in RENEWABLE_PROFILE:
            g["availability"] = col[f"{RENEWABLE_PROFILE[u.technology]}_{u.node}"]
        elif u.technology == "ror":
            g["availability"] = np.minimum(inflow[u.node] / hydro_cap[u.node], 1.0)
        elif u.id in thermal:
            g["availability"], g["min_output"] = thermal[u.id]
        if (country, u.technology) in overrides:
            g["variable_cost_eur_per_mwh"] = overrides[(country, u.technology)]
        generators.append(g)

    # --- candidates: finite potentials (potentials.csv, silkgrid.data.limits), own cost of capital ---
    potentials = potential_table(dataset).set_index(["node", "technology"])["max_capacity_mw"]
    for n in nodes.itertuples():
        if n.role not in ("domestic", "offshore"):
            continue
        for t in (GENERATOR_TECHS if n.role == "domestic" else OFFSHORE_TECHS):
            existing = units[(units["node"] == n.id) & (units["technology"] == t)]["capacity_mw"].sum()
            room = float(potentials[(n.id, t)]) - float(existing)
            if room <= 0:
                continue
            g = {"id": f"{n.id}_{t}_new", "node": n.id, "technology": t, "extendable": True,
                 "max_capacity_mw": room,
                 "discount_rate": uniform if uniform is not None else generator_rate(n.id, t, finance, dataset)}
            if t in RENEWABLE_PROFILE:
                g["availability"] = col[f"{RENEWABLE_PROFILE[t]}_{n.id}"]
            generators.append(g)
        if n.role == "domestic":
            p, e = battery_existing.get(n.id, [0.0, 0.0])
            b = {"id": f"{n.id}_battery", "node": n.id, "technology": "battery",
                 "power_capacity_mw": p, "energy_capacity_mwh": e,
                 "efficiency_charge": inv["efficiency"], "efficiency_discharge": inv["efficiency"]}
            if potentials[(n.id, "battery")] > p:
                b.update({"extendable_power": True, "extendable_energy": True,
                          "max_power_capacity_mw": float(potentials[(n.id, "battery")]),
                          "discount_rate": uniform if uniform is not None
                          else generator_rate(n.id, "battery", finance, dataset)})
            storage.append(b)

    # --- links, loads, markets -----------------------------------------------------------------
    links = []
    for r in link_table(year, dataset, harmonise_currency=harmonise_currency,
                        respect_earliest_year=respect_earliest_year).to_dict("records"):
        ln: dict[str, Any] = {"id": r["id"], "from_node": r["from_node"], "to_node": r["to_node"],
                              "length_km": round(float(r["length_km"]), 3), "efficiency": float(r["efficiency"])}
        if r["status"] == "existing":
            ln["capacity_mw"] = float(r["capacity_mw"])
        else:
            if pd.isna(r["max_capacity_mw"]):
                raise CorridorDataError(f"links.csv [{r['id']}]: a candidate link needs a finite max_capacity_mw")
            ln.update({"extendable": True, "capex_eur_per_mw": float(r["capex_eur_per_mw"]),
                       "capex_eur_per_mw_km": float(r["capex_eur_per_mw_km"]),
                       "fixed_om_pct_per_yr": float(r["fixed_om_pct_per_yr"]),
                       "lifetime_years": float(r["lifetime_years"]), "max_capacity_mw": float(r["max_capacity_mw"]),
                       "discount_rate": uniform if uniform is not None
                       else link_rate(r["from_node"], r["to_node"], r["kind"], finance, dataset)})
            if r["kind"] == "hvdc_submarine" and grant_share:
                ln["grant_share"] = float(grant_share)
        links.append(ln)
    demand = node_demand_mwh(year, dataset)
    loads = [{"id": f"{n}_load", "node": n, "demand_mw": _scaled(col[f"demand_{n}"], e * len(index) / 8760.0)}
             for n, e in demand.items()]
    prices = market_prices(index, dataset, price_year=market_price_year, harmonise_currency=harmonise_currency)
    depth = market_depth_steps(dataset)
    markets = [{"id": f"{m.node}_market", "node": m.node, "price_eur_per_mwh": prices[m.node],
                "export_capacity_mw": float(m.capacity_export_mw), "import_capacity_mw": float(m.capacity_import_mw),
                "depth_steps": depth.get(str(m.node), [])}
               for m in tables["markets"].itertuples()]
    policies: dict[str, Any] = {"co2_price_eur_per_t": float(co2_price if co2_price is not None
                                                             else params["corridor_co2_price"])}
    if build_limits:  # achieved build rates x years, less the named pipeline (silkgrid.data.limits)
        candidate_techs = ({g["technology"] for g in generators if g.get("extendable")}
                           | {s["technology"] for s in storage if s.get("extendable_power")})
        policies["build_limits"] = build_limit_policies(year, units, candidate_techs, dataset)

    node_list = [{"id": n.id, "name": n.name, "country": n.country, "lat": float(n.lat), "lon": float(n.lon)}
                 for n in nodes.itertuples()]
    base = int(params["currency_base_year"])
    weather = ("profiles supplied by the caller" if profiles is not None else
               f"synthetic weather, seeds weather_years={','.join(map(str, weather_years))} one after the other, "
               "one design for all (silkgrid.profiles; not historical years)" if weather_years else
               f"synthetic weather, seed weather_year={weather_year} (silkgrid.profiles; not a historical year)")
    return {
        "name": name or f"corridor-{year}",
        "description": (f"Central Asia - Caspian - Black Sea corridor, {year}: sourced data set 'corridor' "
                        f"(every number cited, see 'silkgrid info corridor --sources'); money in EUR-"
                        f"{base if harmonise_currency else 'as published'}; {weather}."),
        "weather": weather,
        "discount_rate": rate,
        "time": {"start": index[0].strftime("%Y-%m-%d %H:%M"), "hours": int(len(index)),
                 "resolution": resolution, "annualise": True,
                 **({"years": [int(w) for w in weather_years]} if weather_years else {})},
        "nodes": node_list, "carriers": carriers, "technologies": technologies,
        "generators": generators, "storage": storage, "links": links, "loads": loads, "markets": markets,
        "policies": policies,
        # export path, EU nodes and markets, web knobs, CBAM default factors (meta.yaml + emission_factors.csv)
        "corridor": corridor_section(dataset),
    }


def write_corridor_scenario(directory: str | Path, **kwargs: Any) -> Path:
    """Write the scenario as ``scenario.yaml`` + ``profiles.csv`` (column references) into ``directory``.

    Keyword arguments go to :func:`build_corridor_scenario`. Returns the YAML path.
    """
    import yaml

    scenario = build_corridor_scenario(**kwargs)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    columns: dict[str, np.ndarray] = {}
    for section in ("generators", "storage", "loads", "markets"):
        for elem in scenario[section]:
            for key, value in list(elem.items()):
                if isinstance(value, np.ndarray):
                    name = f"{elem['id']}.{key}"
                    columns[name] = value
                    elem[key] = f"profiles.csv#{name}"
    pd.DataFrame(columns).to_csv(out / "profiles.csv", index=False, float_format="%.6g")
    path = out / "scenario.yaml"
    path.write_text(yaml.safe_dump(_plain(scenario), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
