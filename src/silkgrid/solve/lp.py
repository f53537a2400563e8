"""One LP solve, whatever the back-end: :func:`solve_lp` and its outcome, :class:`LPSolution`.

``options.algorithm`` picks the back-end: ``clarabel`` is Clarabel's interior point with a
direct sparse factorisation (:mod:`silkgrid.solve.clarabel_lp`); ``ipm``, ``simplex``,
``pdlp`` and ``choose`` are HiGHS's algorithms (:mod:`silkgrid.solve.highs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions


@dataclass
class LPSolution:
    """Outcome of one LP solve (LP units)."""

    status: str
    """'optimal', 'infeasible', 'infeasible_or_unbounded', 'unbounded', 'time_limit',
    'iteration_limit' or 'numerical_trouble'."""
    solver_status: str
    objective: float | None
    x: np.ndarray | None
    row_dual: np.ndarray | None
    seconds: float
    iterations: dict = field(default_factory=dict)
    feasible: bool = False
    """``x`` is a feasible solution although optimality is not proven (the decomposed method's
    best point when it stops at a time or iteration limit)."""

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def has_plan(self) -> bool:
        """``x`` is a solution worth reporting: optimal, or feasible with a proven gap."""
        return self.x is not None and (self.optimal or self.feasible)


def solve_lp(lp: LinearProgram, options: SolverOptions | None = None) -> LPSolution:
    """Solve ``lp`` with the back-end ``options.algorithm`` names; never raises for solver
    outcomes (the status says what happened)."""
    options = options or SolverOptions()
    if options.algorithm == "clarabel":
        from silkgrid.solve.clarabel_lp import solve_lp_clarabel
        return solve_lp_clarabel(lp, options)
    from silkgrid.solve.highs import solve_lp_highs
    return solve_lp_highs(lp, options)
