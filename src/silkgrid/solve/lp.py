"""One LP solve, whatever the back-end: :func:`solve_lp` and its outcome, :class:`~silkgrid.solve.solution.LPSolution`.

``options.algorithm`` picks the back-end: ``clarabel`` is Clarabel's interior point with a
direct sparse factorisation (:mod:`silkgrid.solve.clarabel_lp`); ``ipm``, ``simplex``,
``pdlp`` and ``choose`` are HiGHS's algorithms (:mod:`silkgrid.solve.highs`).
"""

from __future__ import annotations

from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.clarabel_lp import solve_lp_clarabel
from silkgrid.solve.highs import solve_lp_highs
from silkgrid.solve.solution import LPSolution


def solve_lp(lp: LinearProgram, options: SolverOptions | None = None) -> LPSolution:
    """Solve ``lp`` with the back-end ``options.algorithm`` names; never raises for solver
    outcomes (the status says what happened)."""
    options = options or SolverOptions()
    if options.algorithm == "clarabel":
        return solve_lp_clarabel(lp, options)
    return solve_lp_highs(lp, options)
