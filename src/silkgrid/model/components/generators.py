"""Generators: capacity (existing + new, GW), hourly output (GW), must-run floors and ramp limits.

LP blocks, in order: ``gen_new`` (new capacity, GW; cost MEUR/GW/yr), ``gen_p`` (output, GW;
cost = marginal cost incl. the CO2 price, MEUR/GWh, x weight), ``gen_max`` / ``gen_min`` (output
within availability x capacity, above min_output x capacity, for extendable units; fixed units
get these as column bounds), ``gen_ramp_up`` / ``gen_ramp_down`` (change between snapshots at
most ramp limit x duration x capacity).  Emissions: kt CO2 per GWh of electricity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.costs import element_rate, power_cost_per_mw_yr
from silkgrid.core.units import COST, GW_TO_MW, MW
from silkgrid.model.components.base import (CAPACITY_FLOOR_GW, Arrays, BuildContext, Diagnosis, Extracted, Inputs,
                                            SolutionView, capacity, clean, limit_by_capacity, new_capacity,
                                            retire_idle_capacity, retire_noise_capacity)
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``gen_*`` fields: capacities in GW, marginal cost in MEUR/GWh (incl. CO2 price),
    emissions in kt/GWh_el, availability and min output per unit of capacity (G, T)."""
    gens = sc.generators
    techs, carriers = sc.technology_map(), sc.carrier_map()
    g_tech = [techs[g.technology] for g in gens]
    g_car = [carriers[t.carrier] for t in g_tech]
    g_costs = [power_cost_per_mw_yr(t, element_rate(g, sc.discount_rate)) for g, t in zip(gens, g_tech)]
    co2_el = np.array([c.co2_t_per_mwh_th / t.efficiency for c, t in zip(g_car, g_tech)])
    marg = np.array([
        (g.variable_cost_eur_per_mwh if g.variable_cost_eur_per_mwh is not None else
         t.variable_om_eur_per_mwh + c.fuel_cost_eur_per_mwh_th / t.efficiency)
        for g, t, c in zip(gens, g_tech, g_car)]) + co2_el * sc.policies.co2_price_eur_per_t
    return dict(
        gen_ids=[g.id for g in gens],
        gen_node=inp.nodes([g.node for g in gens]),
        gen_carrier=[t.carrier for t in g_tech],
        gen_technology=[g.technology for g in gens],
        gen_cap=capacity([g.capacity_mw for g in gens], [g.extendable for g in gens],
                         [g.min_capacity_mw for g in gens], [g.max_capacity_mw for g in gens],
                         [c[0] for c in g_costs], [c[1] for c in g_costs], MW),
        gen_marginal=marg * COST,
        gen_co2=co2_el,
        gen_renewable=np.array([c.renewable for c in g_car], dtype=bool),
        gen_avail=clean(inp.hourly([g.availability for g in gens], 1.0)),
        gen_min=clean(inp.hourly([g.min_output for g in gens], 1.0)),
        gen_ramp_up=np.array([np.nan if g.ramp_limit_up_per_hour is None else g.ramp_limit_up_per_hour
                              for g in gens]),
        gen_ramp_down=np.array([np.nan if g.ramp_limit_down_per_hour is None else g.ramp_limit_down_per_hour
                                for g in gens]),
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Capacity, output, must-run and ramp blocks; output enters the balance of its node."""
    a = ctx.arrays
    G, T = len(a.gen_ids), ctx.T
    cap = a.gen_cap
    new, ext = new_capacity(lp, "gen_new", cap, a.gen_ids)
    exist = cap.existing[:, None]
    lower = np.where(ext[:, None], 0.0, a.gen_min * exist)
    upper = np.where(ext[:, None], np.inf, a.gen_avail * exist)
    p = lp.add_variables("gen_p", (G, T), lower=lower, upper=upper,
                         cost=a.gen_marginal[:, None] * ctx.w[None, :], time=ctx.t)
    e = np.flatnonzero(ext)
    limit_by_capacity(lp, "gen_max", p, new, cap.existing, e, a.gen_avail)
    must_run = e[(a.gen_min[e] > 0).any(axis=1)] if e.size else e
    limit_by_capacity(lp, "gen_min", p, new, cap.existing, must_run, a.gen_min, lower=True)
    lp.add_terms(ctx.balance[a.gen_node], p, 1.0)
    if T > 1:
        for direction, limit in (("up", a.gen_ramp_up), ("down", a.gen_ramp_down)):
            g = np.flatnonzero(~np.isnan(limit))
            if g.size == 0:
                continue
            r = limit[g][:, None] * ctx.d[None, 1:]
            rows = lp.add_constraints(f"gen_ramp_{direction}", (g.size, T - 1),
                                      upper=r * cap.existing[g, None], time=ctx.t[:, 1:])
            sign = 1.0 if direction == "up" else -1.0
            lp.add_terms(rows, p[g, 1:], sign)
            lp.add_terms(rows, p[g, :-1], -sign)
            lp.add_terms(rows, new[g][:, None], -r)
    lp.objective_constant += float(cap.existing @ cap.cost_existing)


def curtailment(view: SolutionView) -> np.ndarray:
    """Renewable output left unused, GW (G, T): availability x total capacity - output."""
    a, v = view.arrays, view.values
    total = a.gen_cap.existing + v["gen_new"]
    avail = a.gen_avail * total[:, None]
    return np.where(a.gen_renewable[:, None], np.maximum(avail - v["gen_p"], 0.0), 0.0)


def polish(values: dict[str, np.ndarray], a) -> dict[str, int]:
    """Candidate generators below 1 kW are not built and produce nothing; new capacity that produces
    nothing in any snapshot is not built (in place); the counts."""
    dead = retire_noise_capacity(values["gen_new"], a.gen_cap.existing, values["gen_p"])
    return {"generators_not_built": dead,
            "idle_generators_not_built": retire_idle_capacity(values["gen_new"], a.gen_cap, values["gen_p"])}


def extract(view: SolutionView) -> Extracted:
    """Table ``generators`` (MW, MWh/yr, t/yr) and hourly ``generation_mw``, ``curtailment_mw``."""
    a, v, w = view.arrays, view.values, view.w
    gc = a.gen_cap
    g_total = gc.existing + v["gen_new"]
    p = v["gen_p"]
    curt = curtailment(view)
    gen_mwh = view.energy(p)
    table = pd.DataFrame({
        "id": a.gen_ids, "node": view.node_names(a.gen_node), "country": [a.node_country[n] for n in a.gen_node],
        "technology": a.gen_technology, "carrier": a.gen_carrier,
        "existing_mw": gc.existing * GW_TO_MW, "new_mw": v["gen_new"] * GW_TO_MW, "total_mw": g_total * GW_TO_MW,
        "generation_mwh": gen_mwh, "curtailment_mwh": view.energy(curt),
        "emissions_t": gen_mwh * a.gen_co2,
        "capacity_factor": np.divide(gen_mwh, g_total * GW_TO_MW * w.sum(),
                                     out=np.zeros(len(a.gen_ids)), where=g_total > CAPACITY_FLOOR_GW),
    })
    return Extracted(tables={"generators": table},
                     hourly={"generation_mw": view.wide(p, a.gen_ids), "curtailment_mw": view.wide(curt, a.gen_ids)})


def _describe_min(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    return "a must-run (min_output) requirement cannot be absorbed by demand, storage or exports"


DIAGNOSIS = {"gen_min": Diagnosis(_describe_min, relax=3)}
