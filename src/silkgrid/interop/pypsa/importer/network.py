"""Import of carriers, buses and global constraints (the CO2 cap)."""

from __future__ import annotations

import math

import numpy as np

from silkgrid.interop.pypsa.importer.context import ImportContext


def read_carriers(imp: ImportContext) -> dict[str, float]:
    """``co2_emissions`` (t CO2/MWh_th, non-negative) by PyPSA carrier name."""
    cars = imp.n.components["Carrier"].static
    co2: dict[str, float] = {}
    for cname, row in cars.iterrows():
        value = float(row.get("co2_emissions", 0.0))
        if not math.isfinite(value) or value < 0:
            raise imp.err(f"co2_emissions {value:g} t/MWh cannot be represented (SilkGrid emission "
                          "factors are non-negative)", "Carrier", cname, "co2_emissions",
                          "use a non-negative emission factor")
        co2[str(cname)] = value
    return co2


def nodes(imp: ImportContext) -> list[dict]:
    """SilkGrid nodes from buses (``country`` or ``"XX"``; ``x``/``y`` as lon/lat); fills
    ``imp.bus_id``."""
    buses = imp.n.components["Bus"].static
    if buses.empty:
        raise imp.err("the network has no buses", "Bus", fix="add at least one bus")
    out = []
    imp.bus_id = {}
    for bname, row in buses.iterrows():
        sid = imp.ids.make("nodes", bname, ("Bus", str(bname)))
        imp.bus_id[str(bname)] = sid
        country = row.get("country", None)
        country = str(country) if isinstance(country, str) and country.strip() else "XX"
        node = {"id": sid, "name": str(bname), "country": country}
        x, y = float(row.get("x", 0.0) or 0.0), float(row.get("y", 0.0) or 0.0)
        if (x, y) != (0.0, 0.0) and -180 <= x <= 180 and -90 <= y <= 90:
            node["lon"], node["lat"] = x, y
        out.append(node)
    return out


def global_constraints(imp: ImportContext) -> float | None:
    """The system CO2 cap in t (smallest ``primary_energy`` constraint), or None."""
    gcs = imp.n.components["GlobalConstraint"].static
    cap = None
    for gname, row in gcs.iterrows():
        const = _co2_cap(imp, gname, row)
        cap = const if cap is None else min(cap, const)
    imp.has_co2_cap = cap is not None and any(v != 0 for v in imp.carrier_co2.values())
    if imp.has_co2_cap and not np.allclose(imp.w_gen, imp.w, rtol=1e-12, atol=0):
        raise imp.err("snapshot weightings 'generators' differ from 'objective'; the CO2 cap would "
                      "count emissions with other weights than costs", "Network",
                      attribute="snapshot_weightings.generators",
                      fix="use the same generators and objective weightings")
    return cap


def _co2_cap(imp: ImportContext, gname, row) -> float:
    """The cap in t of one GlobalConstraint, which must be a ``primary_energy`` CO2 cap."""
    if row["type"] != "primary_energy":
        raise imp.err(f"GlobalConstraint type '{row['type']}' is not supported (only "
                      "'primary_energy' on 'co2_emissions')", "GlobalConstraint", gname, "type",
                      "remove the constraint")
    if row["carrier_attribute"] != "co2_emissions":
        raise imp.err(f"primary_energy on carrier attribute '{row['carrier_attribute']}' is not "
                      "supported (only 'co2_emissions')", "GlobalConstraint", gname,
                      "carrier_attribute", "remove the constraint")
    if row["sense"] != "<=":
        raise imp.err(f"sense '{row['sense']}' is not supported (a CO2 cap is '<=')",
                      "GlobalConstraint", gname, "sense", "use sense '<='")
    ip = row.get("investment_period", np.nan)
    if ip is not None and not (isinstance(ip, float) and math.isnan(ip)):
        raise imp.err("investment_period is set", "GlobalConstraint", gname, "investment_period",
                      "leave it empty")
    const = float(row["constant"])
    if not math.isfinite(const) or const < 0:
        raise imp.err(f"the cap {const:g} t is negative or not finite", "GlobalConstraint", gname,
                      "constant", "use a non-negative cap")
    return const
