"""Solver back-ends, the decomposition and :func:`solve_scenario` (scenario in, solved LP out)."""

from silkgrid.solve.api import SolvedModel, solve_scenario
from silkgrid.solve.lp import solve_lp
from silkgrid.solve.solution import LPSolution

__all__ = ["LPSolution", "SolvedModel", "solve_lp", "solve_scenario"]
