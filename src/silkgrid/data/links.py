"""Links of a data set for a model year: lengths, losses and investment costs.

Lengths come from the tables or from the node anchors (great circle × ``line_length_factor``);
losses are ``static × per_1000km^(L/1000)`` for DC and ``ac_efficiency_per_1000km^(L/1000)`` for
AC; costs come from technology-data, a submarine cable with a published project cost calibrated
to it (``docs/data.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from silkgrid.data.tables import CorridorDataError, _check_year, _Money, _nodes, _tables, parameters, technology_values

DC_KINDS = frozenset({"hvdc_submarine", "hvdc_overhead", "b2b", "offshore_dc"})
AC_KINDS = frozenset({"ac"})
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance. [km]"""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def hvdc_efficiency(length_km: float, params: Mapping[str, float]) -> float:
    """PyPSA-Eur DC link efficiency ``static × per_1000km^(L/1000)``."""
    return params["hvdc_efficiency_static"] * params["hvdc_efficiency_per_1000km"] ** (length_km / 1000.0)


def link_table(year: int = 2030, dataset: str | Path = "corridor", *, harmonise_currency: bool = True,
               respect_earliest_year: bool = False) -> pd.DataFrame:
    """Links for ``year`` with length, efficiency and (for candidates) costs.

    Added columns: ``length_km`` (filled from anchors where blank), ``length_method``,
    ``efficiency``, ``capex_eur_per_mw``, ``capex_eur_per_mw_km``, ``fixed_om_pct_per_yr``,
    ``lifetime_years`` (money in EUR of the base currency year).
    """
    year = _check_year(year)
    params = parameters(dataset)
    money = _Money(params, harmonise_currency)
    tech = technology_values(year, dataset, harmonise_currency=harmonise_currency)
    tech2030 = technology_values(2030, dataset, harmonise_currency=harmonise_currency)
    nodes = _nodes(dataset)
    df = _tables(dataset)["links"]
    if respect_earliest_year:
        df = df[df["earliest_year"].isna() | (df["earliest_year"] <= year)]
    rows = []
    for r in df.to_dict("records"):
        a, b = nodes.loc[r["from_node"]], nodes.loc[r["to_node"]]
        if pd.isna(r["length_km"]):
            r["length_km"] = great_circle_km(a.lat, a.lon, b.lat, b.lon) * params["line_length_factor"]
            r["length_method"] = "great circle x line_length_factor"
        else:
            r["length_method"] = "table"
        L = float(r["length_km"])
        if r["kind"] in DC_KINDS:
            r["efficiency"] = hvdc_efficiency(L, params)
        elif r["kind"] in AC_KINDS:
            r["efficiency"] = params["ac_efficiency_per_1000km"] ** (L / 1000.0)
        else:
            raise CorridorDataError(f"link '{r['id']}': unknown kind '{r['kind']}'")
        station, per_km, station_fom, line_fom, lifetime = _link_cost_parts(r["kind"], tech)
        if r["kind"] == "hvdc_submarine" and not pd.isna(r.get("project_cost_eur")):
            # calibrate the cable so that the project (converters + cable) costs what was published
            total_per_mw = float(r["project_cost_eur"]) * money(r["project_currency_year"]) \
                / float(r["project_capacity_mw"])
            conv_2030 = tech2030["hvdc_inverter_pair"]["investment"] * 1e3
            cable_2030 = (total_per_mw - conv_2030) / L
            if cable_2030 <= 0:
                raise CorridorDataError(f"link '{r['id']}': project cost below the converter cost")
            per_km = cable_2030 * tech["hvdc_submarine"]["investment"] / tech2030["hvdc_submarine"]["investment"]
            r["cost_method"] = "calibrated to project cost"
        else:
            r["cost_method"] = "technology-data unit costs"
        invest = station + per_km * L
        r["capex_eur_per_mw"] = station
        r["capex_eur_per_mw_km"] = per_km
        r["fixed_om_pct_per_yr"] = (station_fom * station + line_fom * per_km * L) / invest if invest else 0.0
        r["lifetime_years"] = lifetime
        rows.append(r)
    return pd.DataFrame(rows)


def _link_cost_parts(kind: str, tech: Mapping[str, Mapping[str, float]]) -> tuple[float, float, float, float, float]:
    """(station EUR/MW, line EUR/MW/km, station FOM %, line FOM %, lifetime years)."""
    inv = tech["hvdc_inverter_pair"]
    if kind == "hvdc_submarine":
        line = tech["hvdc_submarine"]
        return inv["investment"] * 1e3, line["investment"], inv["FOM"], line["FOM"], line["lifetime"]
    if kind == "hvdc_overhead":
        line = tech["hvdc_overhead"]
        return inv["investment"] * 1e3, line["investment"], inv["FOM"], line["FOM"], line["lifetime"]
    if kind == "b2b":
        return inv["investment"] * 1e3, 0.0, inv["FOM"], 0.0, inv["lifetime"]
    if kind == "ac":
        line = tech["hvac_overhead"]
        return 0.0, line["investment"], 0.0, line["FOM"], line["lifetime"]
    if kind == "offshore_dc":
        st, line = tech["offwind_dc_station"], tech["offwind_dc_connection_submarine"]
        return st["investment"] * 1e3, line["investment"], st["FOM"], line["FOM"], line["lifetime"]
    raise CorridorDataError(f"unknown link kind '{kind}'")
