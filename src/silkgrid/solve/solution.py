"""The outcome of one LP solve, whatever the back-end (LP units)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


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
