"""A toy policy component for tests/test_component_registry.py: a yearly output budget per technology.

It is the worked example of docs/architecture.md, written exactly as a real component module
(arrays, add, extract, DIAGNOSIS) but kept out of the package: its budget comes from
:data:`BUDGETS_MWH` instead of a scenario field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import MW
from silkgrid.model.components.base import Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario

#: technology id -> yearly output budget, MWh/yr (set by the test)
BUDGETS_MWH: dict[str, float] = {}


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``output_budget_gwh``: technology -> GWh/yr (a field NetworkArrays does not declare)."""
    return {"output_budget_gwh": {tech: mwh * MW for tech, mwh in BUDGETS_MWH.items()}}


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """One yearly row per technology: sum of its generators' output x weight <= budget (GWh)."""
    a = ctx.arrays
    budgets = list(a.output_budget_gwh.items())
    if not budgets:
        return
    p = lp.variables["gen_p"]
    rows = lp.add_constraints("output_budget", len(budgets), upper=np.array([b for _, b in budgets]))
    tech = np.array(a.gen_technology, dtype=object)
    for r, (name, _) in zip(rows, budgets):
        g = np.flatnonzero(tech == name)
        lp.add_terms(r, p[g], np.broadcast_to(ctx.w[None, :], p[g].shape))


def extract(view: SolutionView) -> Extracted:
    """Table ``output_budgets``: budget (MWh/yr) and shadow price (EUR/MWh) per technology."""
    budgets = view.arrays.output_budget_gwh
    if not budgets or view.row_dual is None:
        return Extracted()
    duals = -view.row_dual[view.lp.constraints["output_budget"]] * 1e3  # MEUR/GWh -> EUR/MWh
    return Extracted(tables={"output_budgets": pd.DataFrame(
        {"technology": list(budgets), "budget_mwh": np.array(list(budgets.values())) / MW,
         "shadow_price_eur_per_mwh": duals})})


def _describe(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    tech = list(a.output_budget_gwh)[where[0]]
    return f"the output budget of {tech} cannot be kept: it is exceeded by {np.abs(violation).sum() / MW:,.0f} MWh/yr"


DIAGNOSIS = {"output_budget": Diagnosis(_describe, relax=0)}
