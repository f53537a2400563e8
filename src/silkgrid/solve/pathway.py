"""Solve the LP of a pathway's periods (all of them, or the view of one foresight step): the stacked
LP of :mod:`silkgrid.model.pathway`, solved monolithically (:func:`~silkgrid.solve.lp.solve_lp`,
within the time limit of :mod:`silkgrid.solve.deadline`).  The decomposition over (period x window)
subproblems is the next step of issue #17 (docs/pathways.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from silkgrid.model.pathway import PathwayModel, build_pathway
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.deadline import solve_within
from silkgrid.solve.diagnose import plain_message
from silkgrid.solve.lp import solve_lp
from silkgrid.solve.solution import LPSolution

__all__ = ["SolvedPathway", "solve_pathway_lp"]


@dataclass
class SolvedPathway:
    """A pathway's LP, built and solved (LP units: GW, GWh, present MEUR)."""

    scenarios: list[Scenario]
    model: PathwayModel
    solution: LPSolution
    message: str
    solver: dict

    def period_solution(self, k: int) -> LPSolution:
        """The solution of period ``k``'s own block in its own units: yearly costs (duals divided by
        the period's weight, so prices are EUR/MWh of that period), and its yearly objective under
        the vintage costs (operation + the yearly cost of every vintage alive in it), MEUR/yr."""
        m, sol = self.model, self.solution
        block = m.blocks[k]
        c0, r0 = m.offsets[k]
        w = float(m.weights[k])
        x = dual = obj = None
        if sol.x is not None:
            x = sol.x[c0:c0 + block.lp.n_cols]
            own = block.lp._cat(block.lp.col_cost).copy()
            for name in ("gen_new", "link_new", "sto_power_new", "sto_energy_new"):
                own[block.lp.variables[name]] = 0.0  # paid by the vintages below
            year = m.periods[k]
            alive = m.vintages[(m.vintages["build_period"] <= year) & (m.vintages["last_period"] >= year)]
            obj = float(own @ x) + float((alive["cost_per_yr"].to_numpy() * sol.x[alive["column"].to_numpy()]).sum())
        if sol.row_dual is not None:
            dual = sol.row_dual[r0:r0 + block.lp.n_rows] / w
        return LPSolution(status=sol.status, solver_status=sol.solver_status, objective=obj, x=x, row_dual=dual,
                          seconds=sol.seconds, iterations=sol.iterations, feasible=sol.feasible)


def solve_pathway_lp(scenarios: list[Scenario], periods: list[int], weights: np.ndarray,
                     options: SolverOptions | None = None, inherited=None) -> SolvedPathway:
    """Build and solve the pathway LP of ``periods`` monolithically, with foresight over all of them;
    ``inherited``: vintages built before them, fixed (:func:`~silkgrid.model.pathway.build_pathway`)."""
    opts = options or scenarios[0].solver
    model = build_pathway(scenarios, periods, weights, inherited)
    t0 = time.perf_counter()
    sol = solve_within(model.lp, opts, solve_lp)
    # the diagnosis of an infeasible pathway names the first period's blocks (one period's LP as a guide)
    message = plain_message(sol, model.blocks[0], opts) if sol.status != "optimal" else "Optimal solution found."
    solver = {"status": sol.solver_status, "method": "pathway (perfect foresight, monolithic)",
              "algorithm": opts.algorithm, "build_seconds": model.build_seconds, "solve_seconds": sol.seconds,
              "seconds": time.perf_counter() - t0, "variables": model.lp.n_cols, "constraints": model.lp.n_rows,
              "nonzeros": model.lp.n_nonzeros, "iterations": sol.iterations, "periods": list(periods),
              "period_weights": [float(w) for w in weights]}
    return SolvedPathway(scenarios=list(scenarios), model=model, solution=sol, message=message, solver=solver)
