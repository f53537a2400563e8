"""Scenario in, :class:`~silkgrid.results.Result` out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from silkgrid.model.build import build_model
from silkgrid.results import Result, extract, network_info
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.diagnose import plain_message
from silkgrid.solve.highs import solve_lp

#: Called with a stage name ("build", "solve", "results") as each stage starts.
ProgressHook = Callable[[str], None]


def solve(scenario: Scenario | str | Path | dict, *, options: SolverOptions | dict | None = None,
          progress: ProgressHook | None = None) -> Result:
    """Build and solve a scenario.

    ``options`` (a :class:`SolverOptions` or a dict of its fields) override the scenario's
    ``solver`` section.  A non-optimal outcome returns a Result whose ``status`` and
    ``message`` say what happened; it does not raise.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    opts = sc.solver
    if isinstance(options, SolverOptions):
        opts = options
    elif options:
        opts = SolverOptions.model_validate({**sc.solver.model_dump(), **options})
    step = progress or (lambda stage: None)
    step("build")
    built = build_model(sc)
    step("solve")
    sol = solve_lp(built.lp, opts)
    message = plain_message(sol, built, opts)
    step("results")
    solver = {
        "status": sol.solver_status,
        "method": opts.method,
        "crossover": opts.crossover,
        "build_seconds": built.build_seconds,
        "solve_seconds": sol.seconds,
        "variables": built.lp.n_cols,
        "constraints": built.lp.n_rows,
        "nonzeros": built.lp.n_nonzeros,
        "iterations": sol.iterations,
    }
    res = extract(sc.name, built, sol, message, solver, weather=sc.weather)
    res.network = network_info(sc)
    return res
