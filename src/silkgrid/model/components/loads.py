"""Loads: hourly demand (GW, in the right-hand side of the nodal balance) and unserved energy.

LP block: ``unserved`` (GW, at most the demand; cost = value of lost load, MEUR/GWh, x weight)
for loads that may be shed (``unserved_energy.allowed``).
"""

from __future__ import annotations

import numpy as np

from silkgrid.core.units import COST, MW
from silkgrid.model.components.base import BuildContext, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``load_*`` fields: demand (L, T) in GW, value of lost load in MEUR/GWh (nan: no shedding)."""
    ue = sc.unserved_energy
    voll = np.array([
        (ld.value_of_lost_load_eur_per_mwh if ld.value_of_lost_load_eur_per_mwh is not None
         else ue.value_of_lost_load_eur_per_mwh) * COST if ue.allowed else np.nan
        for ld in sc.loads])
    return dict(
        load_ids=[ld.id for ld in sc.loads],
        load_node=inp.nodes([ld.node for ld in sc.loads]),
        load_demand=inp.hourly([ld.demand_mw for ld in sc.loads], MW),
        load_voll=voll,
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Unserved energy (load shedding) at the value of lost load; demand sits in the balance rhs."""
    a = ctx.arrays
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    u = lp.add_variables("unserved", (shed.size, ctx.T), upper=a.load_demand[shed],
                         cost=a.load_voll[shed, None] * ctx.w[None, :], time=ctx.t)
    lp.add_terms(ctx.balance[a.load_node[shed]], u, 1.0)


def extract(view: SolutionView) -> Extracted:
    """Per node: ``demand_mwh`` and ``unserved_mwh`` columns of the nodes table, hourly
    ``unserved_mw`` and ``demand_mw``."""
    a = view.arrays
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    unserved = np.zeros_like(a.load_demand)
    unserved[shed] = view.values["unserved"]
    node_unserved = np.zeros_like(view.node_demand)
    np.add.at(node_unserved, a.load_node, unserved)
    return Extracted(
        node_columns={"demand_mwh": view.energy(view.node_demand), "unserved_mwh": view.energy(node_unserved)},
        hourly={"unserved_mw": view.wide(node_unserved, a.node_ids),
                "demand_mw": view.wide(view.node_demand, a.node_ids)})


#: Unmet demand is reported on the balance rows (``base.BALANCE_DIAGNOSIS``).
DIAGNOSIS: dict = {}
