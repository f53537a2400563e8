"""Minimum renewable share by country: renewable generation in the country >= share x its demand.

LP block: ``min_renewable_share`` (one row per country, yearly GWh: sum of renewable output x
weight >= share x sum of the country's demand x weight).  The rows span the horizon.
"""

from __future__ import annotations

import numpy as np

from silkgrid.model.components.base import Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView, gen_country
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``min_res_share``: country -> share of its yearly demand (0..1)."""
    return dict(min_res_share=dict(sc.policies.min_renewable_share))


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """One yearly row per country (GWh/yr)."""
    a = ctx.arrays
    res = list(a.min_res_share.items())
    if not res:
        return
    p = lp.variables["gen_p"]
    countries = gen_country(a)
    load_country = np.array([a.node_country[n] for n in a.load_node], dtype=object)
    demand_gwh = (a.load_demand * ctx.w[None, :]).sum(axis=1)
    lower = np.array([s * demand_gwh[load_country == c].sum() for c, s in res])
    rows = lp.add_constraints("min_renewable_share", len(res), lower=lower)
    for r, (country, _) in zip(rows, res):  # one row per country, vectorised over hours
        g = np.flatnonzero((countries == country) & a.gen_renewable)
        lp.add_terms(r, p[g], np.broadcast_to(ctx.w[None, :], p[g].shape))


def extract(view: SolutionView) -> Extracted:
    """Nothing of its own (renewable output is in the generators table)."""
    return Extracted()


def _describe(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    country, share = list(a.min_res_share.items())[where[0]]
    return (f"the minimum renewable share for {country} of {share:.0%} cannot be reached with the "
            f"renewable capacity that may be built: it falls short by {np.abs(violation).sum() * 1e3:,.0f} MWh/yr")


DIAGNOSIS = {"min_renewable_share": Diagnosis(_describe, relax=0)}
