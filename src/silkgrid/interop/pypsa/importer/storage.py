"""Import of PyPSA storage units (power-sized, ``max_hours``) and stores (energy-sized)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.interop.pypsa.importer.context import ImportContext

_SU_FIX = "use constant p_max_pu = -p_min_pu (charging and discharging share the power capacity)"


def storage_units(imp: ImportContext) -> tuple[list[dict], list[dict]]:
    """SilkGrid storage with ``max_hours`` and their technologies (EUR/MW/yr)."""
    comp = "StorageUnit"
    su = imp.active(comp)
    names = su.index
    if names.empty:
        return [], []
    col = {
        "pmax": imp.static_only(comp, "p_max_pu", names, _SU_FIX),
        "pmin": imp.static_only(comp, "p_min_pu", names, _SU_FIX),
        "mc": imp.nonneg_static(comp, "marginal_cost", names, "use a constant marginal cost"),
        "eff_s": imp.efficiency(comp, "efficiency_store", names),
        "eff_d": imp.efficiency(comp, "efficiency_dispatch", names),
        "loss": imp.standing_loss(comp, names),
        "inflow": imp.dense(comp, "inflow", names),
        "cost": imp.costs(comp, names),
    }
    out, techs = [], []
    for el, row in su.iterrows():
        unit, tech = _storage_unit(imp, el, row, col)
        out.append(unit)
        techs.append(tech)
    return out, techs


def _storage_unit(imp: ImportContext, el: Any, row: pd.Series, col: dict) -> tuple[dict, dict]:
    """One storage unit and its technology; ``col`` holds the checked per-element columns."""
    comp = "StorageUnit"
    sid = imp.ids.make("storage", el, (comp, str(el)))
    c = float(col["pmax"][el])
    lo = float(col["pmin"][el])
    can_charge = lo != 0.0  # p_min_pu = 0: a reservoir that cannot pump
    if not (math.isfinite(c) and c > 0) or lo not in (-c, 0.0):
        raise imp.err(f"p_min_pu {lo:g} / p_max_pu {c:g} cannot be represented; "
                      "SilkGrid storage charges and discharges up to the same power", comp, el,
                      "p_min_pu", _SU_FIX)
    mh = float(row["max_hours"])
    if not (math.isfinite(mh) and mh > 0):
        raise imp.err(f"max_hours {mh:g} is not positive", comp, el, "max_hours",
                      "use a positive max_hours")
    flow = col["inflow"][el].to_numpy(dtype=float)
    if not np.all(np.isfinite(flow)) or flow.min() < 0:
        raise imp.err("inflow must be non-negative and finite", comp, el, "inflow",
                      "correct the inflow")
    cap = imp.capacity(comp, el, row, "p_nom", scale=c)
    cyclic = bool(row["cyclic_state_of_charge"])
    loss = float(col["loss"][el])
    initial = 0.0 if cyclic else _initial_state(imp, comp, el, row, "state_of_charge_initial", loss)
    cid = imp.carrier_id(row.get("carrier", ""))
    tid = imp.ids.make("technologies", f"su.{sid}")
    tech = {"id": tid, "carrier": cid,
            "annualised_cost_eur_per_mw_yr": float(col["cost"][el]) / c,
            "energy_annualised_cost_eur_per_mwh_yr": 0.0,
            "name": f"PyPSA StorageUnit {el}"}
    unit = {"id": sid, "node": imp.node(comp, el, row["bus"]), "technology": tid,
            "power_capacity_mw": cap["existing"], "extendable_power": cap["extendable"],
            "min_power_capacity_mw": cap["min"], "max_power_capacity_mw": cap["max"],
            "max_hours": mh / c,
            "efficiency_charge": float(col["eff_s"][el]), "efficiency_discharge": float(col["eff_d"][el]),
            "standing_loss_per_hour": loss, "cyclic": cyclic,
            "initial_state_mwh": initial, "inflow_mw": imp.profile(flow), "spillage": True,
            "can_charge": can_charge, "variable_cost_eur_per_mwh": float(col["mc"][el])}
    return unit, tech


def stores(imp: ImportContext) -> tuple[list[dict], list[dict]]:
    """SilkGrid storage with ``unlimited_power``, sized in energy (MWh, EUR/MWh/yr)."""
    comp = "Store"
    st = imp.active(comp)
    names = st.index
    if names.empty:
        return [], []
    loss = imp.standing_loss(comp, names)
    cost = imp.costs(comp, names)
    out, techs = [], []
    for el, row in st.iterrows():
        sid = imp.ids.make("storage", el, (comp, str(el)))
        cap = imp.capacity(comp, el, row, "e_nom")
        cyclic = bool(row["e_cyclic"])
        initial = 0.0 if cyclic else _initial_state(imp, comp, el, row, "e_initial", float(loss[el]))
        cid = imp.carrier_id(row.get("carrier", ""))
        tid = imp.ids.make("technologies", f"store.{sid}")
        techs.append({"id": tid, "carrier": cid, "annualised_cost_eur_per_mw_yr": 0.0,
                      "energy_annualised_cost_eur_per_mwh_yr": float(cost[el]),
                      "name": f"PyPSA Store {el}"})
        out.append({"id": sid, "node": imp.node(comp, el, row["bus"]), "technology": tid,
                    "unlimited_power": True,
                    "energy_capacity_mwh": cap["existing"], "extendable_energy": cap["extendable"],
                    "min_energy_capacity_mwh": cap["min"], "max_energy_capacity_mwh": cap["max"],
                    "standing_loss_per_hour": float(loss[el]), "cyclic": cyclic,
                    "initial_state_mwh": initial})
    return out, techs


def _initial_state(imp: ImportContext, comp: str, el: Any, row: pd.Series, attr: str,
                   loss: float) -> float:
    """SilkGrid's initial state (MWh) of a non-cyclic storage from PyPSA's ``attr``.

    PyPSA: soc[0] = soc_initial + ...; SilkGrid applies the first snapshot's standing loss to
    the initial state: soc[0] = (1 - loss)^d0 initial + ...  Records the storage for
    :func:`check_storage_emissions`.
    """
    v = float(row[attr])
    if not math.isfinite(v) or v < 0:
        raise imp.err(f"{attr} {v:g} is negative", comp, el, attr, "use a non-negative value")
    initial = v / (1.0 - loss) ** float(imp.d[0])
    imp.noncyclic_storage_carriers.append((comp, el, str(row.get("carrier", ""))))
    return initial


def check_storage_emissions(imp: ImportContext, co2_cap: float | None) -> None:
    """With a CO2 cap, non-cyclic storage must not use an emitting carrier (PyPSA counts it)."""
    if co2_cap is None:
        return
    for comp, el, carrier in imp.noncyclic_storage_carriers:
        if imp.carrier_co2.get(carrier, 0.0) != 0:
            raise imp.err(f"PyPSA counts the emissions of non-cyclic storage with carrier '{carrier}' "
                          "(co2_emissions != 0) in the CO2 constraint; SilkGrid storage does not emit",
                          comp, el, "carrier",
                          "make the storage cyclic or give it a carrier without emissions")
