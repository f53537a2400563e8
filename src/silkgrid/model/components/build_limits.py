"""Build limits: new capacity of a technology group in a country (or set of nodes) at most a cap, MW.

LP block: ``build_limit`` (one row per limit, no time tag: the sum of new capacity of the covered
extendable generators (``gen_new``) and storage power (``sto_power_new``) <= cap, GW).  The rows
hold capacities only, so the decomposed method keeps them in its master problem.  Typical use:
an achieved yearly build rate x the years from a base year to the scenario year, less the named
pipeline (``docs/data.md``).  The dual is the value of one more MW of the limit, EUR/MW/yr.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import COST, GW_TO_MW, MW
from silkgrid.model.components.base import Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def _covered(lim, node_ids: list[str], node_country: list[str], element_nodes: np.ndarray,
             technologies: list[str]) -> np.ndarray:
    """Indices of the elements (at ``element_nodes`` with ``technologies``) that a limit covers."""
    nodes = set(lim.nodes) if lim.nodes else {n for n, c in zip(node_ids, node_country) if c == lim.country}
    at = np.array([node_ids[n] in nodes for n in element_nodes], dtype=bool)
    tech = np.isin(np.asarray(technologies, dtype=object), list(lim.technologies))
    return np.flatnonzero(at & tech)


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``build_limit_*``: ids, caps (GW), and per limit the covered generator and storage indices."""
    lims = sc.policies.build_limits
    node_ids = [n.id for n in sc.nodes]
    countries = [n.country for n in sc.nodes]
    g_nodes = inp.nodes([g.node for g in sc.generators])
    s_nodes = inp.nodes([s.node for s in sc.storage])
    return dict(
        build_limit_ids=[lim.id for lim in lims],
        build_limit_cap=np.array([lim.max_new_mw for lim in lims], dtype=float) * MW,
        build_limit_gens=[_covered(lim, node_ids, countries, g_nodes, [g.technology for g in sc.generators])
                          for lim in lims],
        build_limit_storage=[_covered(lim, node_ids, countries, s_nodes, [s.technology for s in sc.storage])
                             for lim in lims],
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """One row per limit over the new-capacity columns it covers (GW)."""
    a = ctx.arrays
    if not a.build_limit_ids:
        return
    g_new, s_new = lp.variables["gen_new"], lp.variables["sto_power_new"]
    g_ext = a.gen_cap.extendable
    s_ext = a.sto_power.extendable & ~a.sto_unlimited_power
    rows = lp.add_constraints("build_limit", len(a.build_limit_ids), upper=a.build_limit_cap)
    for r, g, s in zip(rows, a.build_limit_gens, a.build_limit_storage):  # one row per limit
        g, s = g[g_ext[g]], s[s_ext[s]]
        if g.size:
            lp.add_terms(r, g_new[g], 1.0)
        if s.size:
            lp.add_terms(r, s_new[s], 1.0)


def extract(view: SolutionView) -> Extracted:
    """Table ``build_limits``: cap and new capacity built under it (MW), whether it binds, and its
    shadow price (EUR/MW/yr; NaN when the solver gave no duals)."""
    a, v = view.arrays, view.values
    if not a.build_limit_ids:
        return Extracted()
    built = np.array([v["gen_new"][g].sum() + v["sto_power_new"][s].sum()
                      for g, s in zip(a.build_limit_gens, a.build_limit_storage)])
    dual = view.row_dual
    cons = view.lp.constraints
    shadow = (np.full(len(a.build_limit_ids), np.nan) if dual is None or "build_limit" not in cons
              else np.maximum(-dual[cons["build_limit"]], 0.0) / COST)
    cap = a.build_limit_cap
    table = pd.DataFrame({
        "id": a.build_limit_ids, "max_new_mw": cap * GW_TO_MW, "built_new_mw": built * GW_TO_MW,
        "binding": built >= cap * (1 - 1e-6) - 1e-7, "shadow_price_eur_per_mw_yr": shadow})
    return Extracted(tables={"build_limits": table})


def _describe(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    lid = a.build_limit_ids[where[0]]
    return (f"the build limit '{lid}' of {a.build_limit_cap[where[0]] * GW_TO_MW:,.0f} MW is below what the "
            f"covered elements' min_capacity_mw requires: it falls short by {np.abs(violation).sum() * GW_TO_MW:,.0f} MW")


DIAGNOSIS = {"build_limit": Diagnosis(_describe, relax=0)}
