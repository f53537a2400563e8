"""Solve the LP of a pathway's periods (all of them, or the view of one foresight step): the stacked
LP of :mod:`silkgrid.model.pathway`.

``method: monolithic`` solves it as one LP (:func:`~silkgrid.solve.lp.solve_lp`, within the time
limit of :mod:`silkgrid.solve.deadline`).  ``method: decomposed`` runs the single-year Benders
decomposition on it unchanged: each period's snapshots carry time tags of their own, so the time
partition (:mod:`silkgrid.solve.partition`) makes every (period x window) an operational subproblem,
solved in parallel by the executor; the master holds every period's capacities, the vintages and
their linking rows, the build limits and each period's yearly budgets (CO2 caps, renewable shares);
the proven gap is as for one year.  ``auto`` picks decomposed above the single-year threshold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from silkgrid.core.errors import SilkGridError
from silkgrid.model.build import build_model
from silkgrid.model.pathway import CAPACITY_BLOCKS, PathwayModel, build_pathway
from silkgrid.model.vintage_costs import Horizon
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.benders import IterationHook, benders
from silkgrid.solve.deadline import solve_within
from silkgrid.solve.decomposed import (DEFAULT_TIME_LIMIT_S, build_aggregated, decomposition_lp,
                                      default_workers, eur_or_none, expand_to, warm_start_segments)
from silkgrid.solve.dask_executor import choose_executor
from silkgrid.solve.partition import partition, window_ids
from silkgrid.solve.api import choose_method
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
            for name, _, _ in CAPACITY_BLOCKS:
                own[block.lp.variables[name]] = 0.0  # paid by the vintages below
            year = m.periods[k]
            alive = m.vintages[(m.vintages["build_period"] <= year) & (m.vintages["last_period"] >= year)]
            obj = float(own @ x) + float((alive["cost_per_yr"].to_numpy() * sol.x[alive["column"].to_numpy()]).sum())
        if sol.row_dual is not None:
            dual = sol.row_dual[r0:r0 + block.lp.n_rows] / w
        return LPSolution(status=sol.status, solver_status=sol.solver_status, objective=obj, x=x, row_dual=dual,
                          seconds=sol.seconds, iterations=sol.iterations, feasible=sol.feasible)


def solve_pathway_lp(scenarios: list[Scenario], periods: list[int], weights: np.ndarray,
                     options: SolverOptions | None = None, inherited=None,
                     on_iteration: IterationHook | None = None, horizon: Horizon | None = None) -> SolvedPathway:
    """Build and solve the pathway LP of ``periods`` with foresight over all of them, by
    ``options.method`` (see the module doc); ``inherited``: vintages built before them, fixed
    (:func:`~silkgrid.model.pathway.build_pathway`); ``horizon``: how vintages are charged (default:
    annuities while alive)."""
    opts = options or scenarios[0].solver
    blocks = [build_model(sc) for sc in scenarios]
    method = choose_method(opts, sum(b.lp.n_cols for b in blocks))
    if method == "aggregated":
        raise SilkGridError("a pathway is solved monolithically or decomposed (method: aggregated is not "
                            "available for pathways); choose method: monolithic or decomposed")
    t0 = time.perf_counter()
    facts: dict = {}
    if method == "decomposed":
        model, sol, facts = _decomposed(scenarios, periods, weights, blocks, opts, inherited, on_iteration, horizon)
    else:
        method = "monolithic"
        model = build_pathway(scenarios, periods, weights, inherited, blocks=blocks, horizon=horizon)
        sol = solve_within(model.lp, opts, solve_lp)
    # the diagnosis of an infeasible pathway names the first period's blocks (one period's LP as a guide)
    message = plain_message(sol, model.blocks[0], opts) if sol.status != "optimal" else "Optimal solution found."
    if method == "decomposed" and sol.status != "optimal" and sol.x is not None:
        message = f"The decomposed solve stopped early: {sol.solver_status}."
    solver = {"status": sol.solver_status, "method": f"pathway (perfect foresight, {method})",
              "algorithm": "benders (dual simplex windows)" if method == "decomposed" else opts.algorithm,
              "build_seconds": model.build_seconds, "solve_seconds": sol.seconds,
              "seconds": time.perf_counter() - t0, "variables": model.lp.n_cols, "constraints": model.lp.n_rows,
              "nonzeros": model.lp.n_nonzeros, "iterations": sol.iterations, "periods": list(periods),
              "period_weights": [float(w) for w in weights], **facts}
    return SolvedPathway(scenarios=list(scenarios), model=model, solution=sol, message=message, solver=solver)


def _decomposed(scenarios, periods, weights, blocks, opts: SolverOptions, inherited, on_iteration, horizon):
    """Benders over (period x window) subproblems of the stacked LP (no warm start yet)."""
    t0 = time.perf_counter()
    limit = opts.time_limit_s if opts.time_limit_s is not None else DEFAULT_TIME_LIMIT_S
    wins, lps, first = [], [], 0
    for b in blocks:
        w = window_ids(b.arrays.snapshots.first_hour, opts.window_hours)
        lps.append(decomposition_lp(b, w))
        wins.append(w + first)
        first += int(w.max()) + 1
    model = build_pathway(scenarios, periods, weights, inherited, blocks=blocks, lps=lps, horizon=horizon)
    part = partition(model.lp, np.concatenate(wins))
    workers = min(opts.workers or default_workers(), len(part.windows))
    ex = choose_executor(workers, opts.dask_scheduler)
    warm: dict = {}
    try:
        ex.start(part.windows)
        z0 = _warm_start(scenarios, periods, weights, inherited, blocks, wins, model, part, opts, t0, limit, warm,
                         horizon)
        res = benders(part, ex, gap=opts.gap, time_limit=max(1.0, limit - (time.perf_counter() - t0)),
                      max_iterations=opts.max_iterations, z_start=z0, on_iteration=on_iteration)
    except RuntimeError as exc:  # the master LP failed numerically: an outcome, not a crash
        sol = LPSolution(status="numerical_trouble", solver_status=f"{exc} (decomposed pathway; solve it with "
                         "method: monolithic)", objective=None, x=None, row_dual=None,
                         seconds=time.perf_counter() - t0, iterations={})
        return model, sol, {"decomposition": {"windows": len(part.windows), "error": str(exc), **(
            {"warm_start": warm} if warm else {})}}
    finally:
        ex.close()
    status = res.status if res.status in ("optimal", "time_limit", "iteration_limit") else "numerical_trouble"
    sol = LPSolution(status=status, solver_status=res.message,
                     objective=None if res.x is None else res.upper_bound, x=res.x, row_dual=res.row_dual,
                     seconds=time.perf_counter() - t0, iterations={"benders": res.iterations},
                     feasible=res.x is not None)
    facts = {"gap": res.gap, "lower_bound": eur_or_none(res.lower_bound), "upper_bound": eur_or_none(res.upper_bound),
             "decomposition": {"windows": len(part.windows), "window_hours": opts.window_hours, "workers": workers,
                               "master_variables": part.n_z, "iterations": res.iterations,
                               "subproblem_seconds": res.window_seconds, "master_seconds": res.master_seconds,
                               **({"warm_start": warm} if warm else {})}}
    return model, sol, facts


def _warm_start(scenarios, periods, weights, inherited, blocks, wins, model, part, opts, t0, limit, facts, horizon):
    """The first master point: the pathway on time segments (one per ``warm_start_segments`` share of
    each period's snapshots, ending at every window boundary) solved as one LP, expanded to every
    snapshot.  None when the options turn it off or it does not finish within its share of the limit."""
    if not opts.warm_start:
        return None
    tw = time.perf_counter()
    agg = [build_aggregated(sc, warm_start_segments(opts, len(b.arrays.snapshots)),
                            breaks=np.flatnonzero(np.diff(w)) + 1) for sc, b, w in zip(scenarios, blocks, wins)]
    coarse = build_pathway(scenarios, periods, weights, inherited, blocks=agg, horizon=horizon)
    sub = opts.model_copy(update={"time_limit_s": max(1.0, 0.5 * (limit - (time.perf_counter() - t0))),
                                  "algorithm": opts.warm_start_algorithm, "threads": 1})
    sol = solve_within(coarse.lp, sub, solve_lp)
    facts.update({"segments": [len(a.arrays.snapshots) for a in agg], "algorithm": opts.warm_start_algorithm,
                  "status": sol.status, "seconds": time.perf_counter() - tw})
    if sol.x is None or sol.status == "time_limit":
        return None
    x = np.concatenate([expand_to(a, sol.x[c0:c0 + a.lp.n_cols], b)
                        for a, b, (c0, _) in zip(agg, blocks, coarse.offsets)]
                       + [sol.x[coarse.offsets[-1][0] + agg[-1].lp.n_cols:]])  # the vintage columns
    return part.z_from_x(x, lp=model.lp)
