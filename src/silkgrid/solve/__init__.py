"""Solver back-ends and the end-to-end ``solve``."""

from silkgrid.solve.api import solve
from silkgrid.solve.lp import LPSolution, solve_lp

__all__ = ["LPSolution", "solve", "solve_lp"]
