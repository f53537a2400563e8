"""Storage: power (GW) and energy (GWh) capacity, charge, discharge, state of charge, spillage.

LP blocks, in order: ``sto_power_new`` (GW), ``sto_energy_new`` (GWh), ``sto_charge`` /
``sto_discharge`` (GW), ``sto_soc`` (GWh), capacity rows for extendable units
(``sto_charge_max``, ``sto_discharge_max``, ``sto_energy_max``, ``sto_energy_max_hours``),
``sto_soc_balance`` (``soc[t] = keep[t] soc[t-1] + d (eta_c ch - dis / eta_d + inflow -
spill)``; cyclic, or from ``initial_state_mwh``) and ``sto_spill`` (GW, at most the inflow).
With ``max_hours`` the energy cost rides on the power capacity (MEUR/GW/yr).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.costs import element_rate, energy_cost_per_mwh_yr, power_cost_per_mw_yr
from silkgrid.core.units import COST, GW_TO_MW, MW
from silkgrid.model.components.base import (Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView,
                                            capacity, first_snapshot, limit_by_capacity, new_capacity)
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``sto_*`` fields: power in GW, energy in GWh, inflow (S, T) in GW, costs in MEUR."""
    sto = sc.storage
    techs = sc.technology_map()
    s_tech = [techs[s.technology] for s in sto]
    rates = [element_rate(s, sc.discount_rate) for s in sto]
    p_costs = [power_cost_per_mw_yr(t, r) for t, r in zip(s_tech, rates)]
    e_costs = [energy_cost_per_mwh_yr(t, r) for t, r in zip(s_tech, rates)]
    mh = np.array([np.nan if s.max_hours is None else s.max_hours for s in sto])
    # with a fixed ratio the energy cost rides on power capacity
    p_new = np.array([p[0] + (0 if np.isnan(h) else h * e[0]) for p, e, h in zip(p_costs, e_costs, mh)])
    p_old = np.array([p[1] + (0 if np.isnan(h) else h * e[1]) for p, e, h in zip(p_costs, e_costs, mh)])
    return dict(
        sto_ids=[s.id for s in sto],
        sto_node=inp.nodes([s.node for s in sto]),
        sto_technology=[s.technology for s in sto],
        sto_carrier=[t.carrier for t in s_tech],
        sto_power=capacity([s.power_capacity_mw for s in sto], [s.extendable_power for s in sto],
                           [s.min_power_capacity_mw for s in sto], [s.max_power_capacity_mw for s in sto],
                           p_new, p_old, MW),
        sto_energy=capacity([s.energy_capacity_mwh for s in sto], [s.extendable_energy for s in sto],
                            [s.min_energy_capacity_mwh for s in sto], [s.max_energy_capacity_mwh for s in sto],
                            [0.0 if not np.isnan(h) else e[0] for e, h in zip(e_costs, mh)],
                            [0.0 if not np.isnan(h) else e[1] for e, h in zip(e_costs, mh)], MW),
        sto_max_hours=mh,
        sto_unlimited_power=np.array([s.unlimited_power for s in sto], dtype=bool),
        sto_can_charge=np.array([s.can_charge for s in sto], dtype=bool),
        sto_eff_charge=np.array([s.efficiency_charge for s in sto]),
        sto_eff_discharge=np.array([s.efficiency_discharge for s in sto]),
        sto_standing_loss=np.array([s.standing_loss_per_hour for s in sto]),
        sto_cyclic=np.array([s.cyclic for s in sto], dtype=bool),
        sto_initial=np.array([s.initial_state_mwh for s in sto]) * MW,
        sto_inflow=inp.hourly([s.inflow_mw for s in sto], MW),
        sto_spill=np.array([s.spillage for s in sto], dtype=bool),
        sto_marginal=np.array([
            (s.variable_cost_eur_per_mwh if s.variable_cost_eur_per_mwh is not None
             else t.variable_om_eur_per_mwh) for s, t in zip(sto, s_tech)]) * COST,
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Capacity, charge/discharge/state blocks and the state-of-charge balance (GWh)."""
    a = ctx.arrays
    S, T = len(a.sto_ids), ctx.T
    P, E = a.sto_power, a.sto_energy
    unl = a.sto_unlimited_power
    has_mh = ~np.isnan(a.sto_max_hours)
    mh = np.nan_to_num(a.sto_max_hours)
    p_new, p_ext = new_capacity(lp, "sto_power_new", P, a.sto_ids)
    e_new, e_ext = new_capacity(lp, "sto_energy_new", E, a.sto_ids)
    p_ext &= ~unl
    e_ext &= ~has_mh
    p_hi = np.where(p_ext | unl, np.inf, P.existing)[:, None]
    e_fixed_hi = np.where(has_mh, mh * P.existing, E.existing)
    e_hi = np.where(e_ext | (has_mh & p_ext), np.inf, e_fixed_hi)[:, None]
    ch = lp.add_variables("sto_charge", (S, T), upper=np.where(a.sto_can_charge[:, None], p_hi, 0.0),
                          time=ctx.t)
    dis = lp.add_variables("sto_discharge", (S, T), upper=p_hi,
                           cost=a.sto_marginal[:, None] * ctx.w[None, :], time=ctx.t)
    soc = lp.add_variables("sto_soc", (S, T), upper=e_hi, time=ctx.t)
    sel = np.flatnonzero(p_ext)
    limit_by_capacity(lp, "sto_charge_max", ch, p_new, P.existing, sel)
    limit_by_capacity(lp, "sto_discharge_max", dis, p_new, P.existing, sel)
    limit_by_capacity(lp, "sto_energy_max", soc, e_new, E.existing, np.flatnonzero(e_ext))
    mh_sel = np.flatnonzero(has_mh & p_ext)
    limit_by_capacity(lp, "sto_energy_max_hours", soc, p_new, P.existing, mh_sel, mh[:, None])

    # state of charge: soc[t] = keep[t] soc[t-1] + d (eta_c ch - dis / eta_d + inflow - spill)
    d = ctx.d[None, :]
    keep = (1.0 - a.sto_standing_loss[:, None]) ** d
    inflow = a.sto_inflow * d
    rhs = inflow.copy()
    rhs[:, 0] += np.where(a.sto_cyclic, 0.0, keep[:, 0] * a.sto_initial)
    rows = lp.add_constraints("sto_soc_balance", (S, T), lower=rhs, upper=rhs, time=ctx.t)
    lp.add_terms(rows, soc, 1.0)
    lp.add_terms(rows[:, 1:], soc[:, :-1], -keep[:, 1:])
    cyc = np.flatnonzero(a.sto_cyclic)
    lp.add_terms(rows[cyc, 0], soc[cyc, -1], -keep[cyc, 0])
    lp.add_terms(rows, ch, -d * a.sto_eff_charge[:, None])
    lp.add_terms(rows, dis, d / a.sto_eff_discharge[:, None])
    spill_sel = np.flatnonzero(a.sto_spill & (a.sto_inflow > 0).any(axis=1)) if S else np.zeros(0, int)
    spill = lp.add_variables("sto_spill", (spill_sel.size, T), upper=a.sto_inflow[spill_sel], time=ctx.t)  # spill <= inflow
    lp.add_terms(rows[spill_sel], spill, d)
    lp.add_terms(ctx.balance[a.sto_node], dis, 1.0)
    lp.add_terms(ctx.balance[a.sto_node], ch, -1.0)
    lp.objective_constant += float(P.existing @ P.cost_existing + E.existing @ E.cost_existing)


def extract(view: SolutionView) -> Extracted:
    """Table ``storage`` (MW, MWh) and hourly ``storage_charge_mw``, ``storage_discharge_mw``,
    ``storage_energy_mwh``."""
    a, v = view.arrays, view.values
    sp, se = a.sto_power, a.sto_energy
    p_total = sp.existing + v["sto_power_new"]
    mh = a.sto_max_hours
    e_total = np.where(np.isnan(mh), se.existing + v["sto_energy_new"], np.nan_to_num(mh) * p_total)
    ch, dis, soc = v["sto_charge"], v["sto_discharge"], v["sto_soc"]
    table = pd.DataFrame({
        "id": a.sto_ids, "node": view.node_names(a.sto_node), "technology": a.sto_technology,
        "carrier": a.sto_carrier,
        "power_existing_mw": sp.existing * GW_TO_MW, "power_new_mw": v["sto_power_new"] * GW_TO_MW,
        "power_total_mw": np.where(a.sto_unlimited_power, np.inf, p_total * GW_TO_MW),
        "energy_existing_mwh": np.where(np.isnan(mh), se.existing, np.nan_to_num(mh) * sp.existing) * GW_TO_MW,
        "energy_new_mwh": (e_total - np.where(np.isnan(mh), se.existing,
                                              np.nan_to_num(mh) * sp.existing)) * GW_TO_MW,
        "energy_total_mwh": e_total * GW_TO_MW,
        "charged_mwh": view.energy(ch), "discharged_mwh": view.energy(dis),
    })
    return Extracted(tables={"storage": table}, hourly={
        "storage_charge_mw": view.wide(ch, a.sto_ids),
        "storage_discharge_mw": view.wide(dis, a.sto_ids),
        "storage_energy_mwh": view.wide(soc, a.sto_ids),
    })


def _describe_soc(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    return (f"the state of charge of storage '{a.sto_ids[where[0]]}' cannot follow its balance (first at "
            f"{first_snapshot(where, a)}): check initial_state_mwh, inflow and energy capacity")


DIAGNOSIS = {"sto_soc_balance": Diagnosis(_describe_soc, relax=2)}
