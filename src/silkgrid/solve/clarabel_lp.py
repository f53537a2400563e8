"""Solve a :class:`~silkgrid.model.lp.LinearProgram` with Clarabel's interior point method.

Clarabel (Apache-2.0, https://clarabel.org) factorises each Newton system directly (sparse
LDL^T), where HiGHS's IPX solves it iteratively with a basis preconditioner.  On corridor LPs
with storage and capacity expansion the direct method converges in a steady 45-95 iterations
where IPX stalls: the 876-segment aggregated year (148k variables) takes 22 s against IPX's
76-131 s, and the hourly year (1.48 million variables) solves monolithically in 7.4 minutes,
which IPX and HiPO did not finish (docs/performance.md).

Clarabel's standard form is ``min c'x  s.t.  A x + s = b,  s in K``.  Rows and column bounds
map to it as

==============================  =======================  ==========
equality row, fixed column      ``a x + s = r``          ``s = 0``
upper bound (row or column)     ``a x + s = u``          ``s >= 0``
lower bound (row or column)     ``-a x + s = -l``        ``s >= 0``
==============================  =======================  ==========

and the dual ``z`` of each conic row gives the row dual in HiGHS's convention (d objective /
d row bound): ``-z`` on equality and upper-bound rows, ``+z`` on lower-bound rows, summed
where a ranged row has both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.solution import LPSolution


@dataclass
class ConicLP:
    """An LP in Clarabel's form (zero-cone rows first, then nonnegative-cone rows)."""

    matrix: sp.csc_matrix
    rhs: np.ndarray
    cost: np.ndarray
    n_zero: int  #: equality rows (zero cone)
    n_nonneg: int  #: inequality rows (nonnegative cone)
    row_of: np.ndarray  #: original row of each conic row (-1: a column bound)
    dual_sign: np.ndarray  #: original row dual = dual_sign * z (0 for column bounds)

    def row_duals(self, z: np.ndarray, n_rows: int) -> np.ndarray:
        """Row duals of the original LP (HiGHS convention) from Clarabel's ``z``."""
        own = self.row_of >= 0
        return np.bincount(self.row_of[own], weights=(self.dual_sign * z)[own], minlength=n_rows)


def conic_form(a: sp.spmatrix, cost: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
               row_lower: np.ndarray, row_upper: np.ndarray) -> ConicLP:
    """``row_lower <= a x <= row_upper, col_lower <= x <= col_upper`` in Clarabel's form."""
    a = sp.csr_matrix(a)
    n_rows, n_cols = a.shape
    eq = np.isfinite(row_lower) & (row_lower == row_upper)
    fix = np.isfinite(col_lower) & (col_lower == col_upper)
    r_eq = np.flatnonzero(eq)
    r_up = np.flatnonzero(np.isfinite(row_upper) & ~eq)
    r_lo = np.flatnonzero(np.isfinite(row_lower) & ~eq)
    c_fix = np.flatnonzero(fix)
    c_up = np.flatnonzero(np.isfinite(col_upper) & ~fix)
    c_lo = np.flatnonzero(np.isfinite(col_lower) & ~fix)
    eye = sp.identity(n_cols, format="csr")
    matrix = sp.vstack([a[r_eq], eye[c_fix], a[r_up], -a[r_lo], eye[c_up], -eye[c_lo]], format="csc")
    rhs = np.concatenate([row_lower[r_eq], col_lower[c_fix], row_upper[r_up], -row_lower[r_lo],
                          col_upper[c_up], -col_lower[c_lo]])
    none = np.full(c_fix.size + c_up.size + c_lo.size, -1)
    row_of = np.concatenate([r_eq, none[:c_fix.size], r_up, r_lo, none[c_fix.size:]])
    dual_sign = np.concatenate([-np.ones(r_eq.size), np.zeros(c_fix.size), -np.ones(r_up.size),
                                np.ones(r_lo.size), np.zeros(c_up.size + c_lo.size)])
    return ConicLP(matrix=matrix, rhs=rhs, cost=np.asarray(cost, float), n_zero=r_eq.size + c_fix.size,
                   n_nonneg=r_up.size + r_lo.size + c_up.size + c_lo.size, row_of=row_of, dual_sign=dual_sign)


#: Clarabel's statuses as SilkGrid's LP statuses.  "AlmostSolved" (only the reduced tolerances
#: met) is not reported as optimal; its point is still returned.
_STATUS = {"Solved": "optimal", "AlmostSolved": "numerical_trouble", "PrimalInfeasible": "infeasible",
           "AlmostPrimalInfeasible": "infeasible", "DualInfeasible": "unbounded",
           "AlmostDualInfeasible": "unbounded", "MaxIterations": "iteration_limit", "MaxTime": "time_limit"}


#: Absolute duality-gap tolerance, MEUR (1 micro-euro): the relative ``ipm_optimality_tolerance`` decides.
ABSOLUTE_GAP_MEUR = 1e-12

#: Objectives (MEUR) below which the costs are rescaled and the LP solved again (see below).
MIN_OBJECTIVE = 1.0


def solve_lp_clarabel(lp: LinearProgram, options: SolverOptions) -> LPSolution:
    """Solve with Clarabel; never raises for solver outcomes (the status says what happened).

    Uses ``ipm_optimality_tolerance`` as the relative duality-gap tolerance, the
    smaller feasibility tolerance, ``threads`` (0: Clarabel's choice), ``time_limit_s``,
    ``clarabel_linear_solver`` and ``log``; presolve and crossover options are HiGHS's and do not apply.
    """
    import clarabel

    t0 = time.perf_counter()
    cost, clo, cup, rlo, rup = lp.arrays()
    conic = conic_form(lp.matrix(), cost, clo, cup, rlo, rup)
    settings = clarabel.DefaultSettings()
    settings.verbose = bool(options.log)
    settings.tol_gap_rel = float(options.ipm_optimality_tolerance)
    # Clarabel stops at the absolute *or* the relative gap: the absolute one is kept out of the way
    settings.tol_gap_abs = ABSOLUTE_GAP_MEUR
    settings.tol_feas = float(min(options.primal_feasibility_tolerance, options.dual_feasibility_tolerance))
    settings.max_threads = int(options.threads)
    settings.direct_solve_method = options.clarabel_linear_solver
    if options.time_limit_s is not None:
        settings.time_limit = float(options.time_limit_s)
    cones = [c for c, size in zip([clarabel.ZeroConeT(conic.n_zero), clarabel.NonnegativeConeT(conic.n_nonneg)],
                                  (conic.n_zero, conic.n_nonneg)) if size]
    p = sp.csc_matrix((lp.n_cols, lp.n_cols))

    def run(scale: float):
        return clarabel.DefaultSolver(p, conic.cost * scale, conic.matrix, conic.rhs, cones, settings).solve()

    scale = 1.0
    sol = run(scale)
    if str(sol.status) == "Solved" and 0.0 < abs(sol.obj_val) < MIN_OBJECTIVE:
        # Clarabel's relative gap is taken against max(1, |objective|): below 1 it acts as an
        # absolute one (a 7,500 EUR = 0.0075 MEUR case stopped 2e-6 short), so such a small LP
        # is solved again with its costs scaled to an objective of about 1
        scale = 1.0 / abs(sol.obj_val)
        sol = run(scale)
    seconds = time.perf_counter() - t0
    name = str(sol.status)
    status = _STATUS.get(name, "numerical_trouble")
    x = dual = obj = None
    if name in ("Solved", "AlmostSolved"):
        x = np.asarray(sol.x, dtype=float)
        dual = conic.row_duals(np.asarray(sol.z, dtype=float), lp.n_rows) / scale
        obj = float(sol.obj_val) / scale
    return LPSolution(status=status, solver_status=f"Clarabel: {name}", objective=obj, x=x, row_dual=dual,
                      seconds=seconds, iterations={"ipm": int(sol.iterations)})
