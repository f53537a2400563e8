"""Scenario in, solved LP out: :func:`solve_scenario` builds the LP, picks the method and solves.

The solution stays in LP units here; :mod:`silkgrid.results` turns it into a ``Result``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from silkgrid.model.build import BuiltModel, build_model
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.benders import IterationHook
from silkgrid.solve.decomposed import build_aggregated, solve_decomposed
from silkgrid.solve.diagnose import plain_message
from silkgrid.solve.deadline import solve_within
from silkgrid.solve.lp import solve_lp
from silkgrid.solve.solution import LPSolution

#: Called with a stage name ("build", "solve", "results") as each stage starts.
ProgressHook = Callable[[str], None]


#: ``method: auto`` solves LPs up to this many variables in one piece, larger ones decomposed.
#: Measured on the corridor (2 cores, docs/performance.md), monolithic Clarabel against
#: decomposed: 1 hourly week (29k variables) 1.5 s against 1.7 s, 2 weeks (57k) 4.2 s against
#: 4.5 s, the 12-hour year (123k) 13.4 s against 10.8 s.  Below the threshold the exact optimum
#: costs no more than a 0.1 % proof.
AUTO_MONOLITHIC_MAX_VARIABLES = 100_000


def choose_method(opts: SolverOptions, n_variables: int) -> str:
    """The method ``opts.method`` stands for, for an LP of ``n_variables`` columns."""
    if opts.method != "auto":
        return opts.method
    return "monolithic" if n_variables <= AUTO_MONOLITHIC_MAX_VARIABLES else "decomposed"


@dataclass
class SolvedModel:
    """A scenario's LP, built and solved (LP units), with the facts ``summary.json`` reports."""

    scenario: Scenario
    built: BuiltModel
    solution: LPSolution
    message: str
    """Plain-language outcome (why it is not optimal, where it is not)."""
    solver: dict
    """Method, algorithm, times, problem size, iterations and the proven bounds (EUR)."""


def resolve_options(sc: Scenario, options: SolverOptions | dict | None) -> SolverOptions:
    """The scenario's ``solver`` section with ``options`` (an object, or a dict of fields) over it."""
    if isinstance(options, SolverOptions):
        return options
    if options:
        return SolverOptions.model_validate({**sc.solver.model_dump(), **options})
    return sc.solver


def solve_scenario(sc: Scenario, *, options: SolverOptions | dict | None = None,
                   progress: ProgressHook | None = None,
                   on_iteration: IterationHook | None = None) -> SolvedModel:
    """Build and solve a loaded scenario by the method ``options`` (over ``sc.solver``) chooses.

    A non-optimal outcome does not raise: ``solution.status`` and ``message`` say what happened.
    ``progress`` is called with "build", "solve" and "results" as each stage starts;
    ``on_iteration`` receives the bounds of each iteration of the decomposed method.
    """
    opts = resolve_options(sc, options)
    step = progress or (lambda stage: None)
    step("build")
    if opts.method == "aggregated":  # the hourly LP is never needed
        built, method = build_aggregated(sc, opts.segments), "aggregated"
    else:
        built = build_model(sc)
        method = choose_method(opts, built.lp.n_cols)
    step("solve")
    t0 = time.perf_counter()
    facts: dict = {}
    if method == "decomposed":
        sol, facts = solve_decomposed(sc, built, opts, on_iteration=on_iteration)
    else:
        sol = solve_within(built.lp, opts, solve_lp)  # a time limit holds even inside a factorisation
    seconds = time.perf_counter() - t0
    message = plain_message(sol, built, opts)
    if method == "decomposed" and sol.status != "optimal" and sol.x is not None:
        message = f"The decomposed solve stopped early: {sol.solver_status}."
    step("results")
    solver = {
        "status": sol.solver_status,
        "method": method,
        "algorithm": "benders (dual simplex windows)" if method == "decomposed" else opts.algorithm,
        "crossover": opts.crossover if method != "decomposed" and opts.algorithm != "clarabel" else None,
        "build_seconds": built.build_seconds,
        "solve_seconds": sol.seconds,
        "seconds": seconds,
        "variables": built.lp.n_cols,
        "constraints": built.lp.n_rows,
        "nonzeros": built.lp.n_nonzeros,
        "iterations": sol.iterations,
        **_bounds(method, sol, opts, facts),
    }
    if method == "decomposed":
        solver["decomposition"] = {k: v for k, v in facts.items()
                                   if k not in ("gap", "lower_bound_eur", "upper_bound_eur")}
    if method == "aggregated":
        solver["segments"] = opts.segments
        solver["approximate"] = ("time-segmented LP: no bound on the hourly optimum; "
                                 "see docs/aggregation.md for its measured error")
    return SolvedModel(scenario=sc, built=built, solution=sol, message=message, solver=solver)


def _bounds(method: str, sol: LPSolution, opts: SolverOptions, facts: dict) -> dict:
    """gap / lower_bound / upper_bound (EUR, objective without constants) for summary.json."""
    if method == "decomposed":
        return {"gap": facts.get("gap"), "lower_bound": facts.get("lower_bound_eur"),
                "upper_bound": facts.get("upper_bound_eur")}
    if method == "aggregated" or not sol.optimal or sol.objective is None:
        return {"gap": None, "lower_bound": None, "upper_bound": None}
    # an optimal LP: vertex methods prove optimality within their tolerances; interior point
    # without crossover stops at a relative primal-dual gap below its tolerance
    vertex = opts.algorithm == "simplex" or (opts.crossover and opts.algorithm == "ipm")
    gap = 0.0 if vertex else opts.ipm_optimality_tolerance
    obj = sol.objective * 1e6
    return {"gap": gap, "lower_bound": obj - gap * abs(obj), "upper_bound": obj}
