"""An LP solution (LP units) -> a :class:`~silkgrid.results.result.Result` (user units).

Each model component contributes its element and hourly tables
(``extract`` in :mod:`silkgrid.model.components`); this module adds the shared parts: the
objective (EUR/yr), nodal prices (EUR/MWh, from the balance rows' duals) and the nodes table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import MEUR_TO_EUR
from silkgrid.model import components
from silkgrid.model.components.base import CAPACITY_FLOOR_GW, SolutionView, snap
from silkgrid.results.result import Result, network_info
from silkgrid.solve.api import SolvedModel

__all__ = ["CAPACITY_FLOOR_GW", "extract"]


def polish(values: dict[str, np.ndarray], a) -> dict[str, int]:
    """Remove solver noise from the solution before it becomes tables, in place; what was done.

    Each component that has a ``polish(values, arrays)`` (markets net same-snapshot trades;
    generators and links drop candidates below 1 kW and their dispatch) runs first; then every
    value below 0.1 kW (:data:`~silkgrid.model.components.base.SNAP_GW`) becomes exactly zero.
    The objective is the solver's; the changes lie within the result checker's tolerance.
    """
    facts: dict[str, int] = {}
    for component in components.COMPONENTS:
        if hasattr(component, "polish"):
            facts.update(component.polish(values, a))
    facts["values_below_0.1_kW_zeroed"] = snap(values)
    return facts


def extract(solved: SolvedModel) -> Result:
    """Turn a solved LP into a :class:`Result` in user units, carrying its scenario."""
    built, sol, sc = solved.built, solved.solution, solved.scenario
    a, lp = built.arrays, built.lp
    w = a.snapshots.weight
    res = Result(scenario_name=sc.name, status=sol.status, message=solved.message,
                 objective=None if sol.objective is None else sol.objective * MEUR_TO_EUR,
                 objective_constant=lp.objective_constant * MEUR_TO_EUR, snapshots=a.snapshots.index,
                 weights=w, co2_price_eur_per_t=a.co2_price * 1e3, solver=solved.solver,
                 weather=sc.weather, network=network_info(sc), scenario=sc)
    if not sol.has_plan:
        return res
    values = {k: sol.x[idx].copy() for k, idx in lp.variables.items()}
    res.solver = {**res.solver, "polished": polish(values, a)}
    view = SolutionView(arrays=a, lp=lp, values=values, row_dual=sol.row_dual)
    node_columns: dict[str, np.ndarray] = {}
    for component in components.COMPONENTS:
        part = component.extract(view)
        res.tables.update(part.tables)
        res.hourly.update(part.hourly)
        node_columns.update(part.node_columns)
        for name, value in part.attributes.items():
            setattr(res, name, value)

    # nodal prices, EUR/MWh: balance duals (MEUR/GW per snapshot) over the snapshot's weight
    price = None
    if sol.row_dual is not None:
        price = sol.row_dual[lp.constraints["balance"]] * 1e3 / w[None, :]
        res.hourly["price_eur_per_mwh"] = view.wide(price, a.node_ids, scale=1.0)
    N, nd = len(a.node_ids), view.node_demand
    res.tables["nodes"] = pd.DataFrame({
        "id": a.node_ids, "country": a.node_country, **node_columns,
        "mean_price_eur_per_mwh": price.mean(axis=1) if price is not None else np.nan,
        "load_weighted_price_eur_per_mwh": (
            np.divide((price * nd * w).sum(axis=1), (nd * w).sum(axis=1), out=np.full(N, np.nan),
                      where=(nd * w).sum(axis=1) > 0) if price is not None else np.nan),
    })
    return res
