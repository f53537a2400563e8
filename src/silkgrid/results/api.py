"""Scenario in, :class:`~silkgrid.results.result.Result` out: the Python API's ``solve``."""

from __future__ import annotations

from pathlib import Path

from silkgrid.results.extract import extract
from silkgrid.results.result import Result
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.api import ProgressHook, solve_scenario
from silkgrid.solve.benders import IterationHook


def solve(scenario: Scenario | str | Path | dict, *, options: SolverOptions | dict | None = None,
          progress: ProgressHook | None = None, on_iteration: IterationHook | None = None) -> Result:
    """Load (if needed), build and solve a scenario; the :class:`Result` carries the scenario.

    ``options`` (a :class:`SolverOptions` or a dict of its fields) override the scenario's
    ``solver`` section.  A non-optimal outcome returns a Result whose ``status`` and
    ``message`` say what happened; it does not raise.  ``on_iteration`` receives the bounds
    of each iteration of the decomposed method.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return extract(solve_scenario(sc, options=options, progress=progress, on_iteration=on_iteration))
