"""Solve a :class:`~silkgrid.model.lp.LinearProgram` with HiGHS (highspy): simplex, IPX, PDLP."""

from __future__ import annotations

import time

import highspy
import numpy as np
import scipy.sparse as sp

from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import LP_ALGORITHMS, SolverOptions
from silkgrid.solve.solution import LPSolution

_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration_limit",
}


_BANNER_SHOWN = False


def new_highs() -> highspy.Highs:
    """A HiGHS instance; the copyright banner HiGHS prints once per process is kept off stdout."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
    import os
    import sys
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SHOWN = True
    return h


def configure(h: highspy.Highs, options: SolverOptions) -> None:
    """Set HiGHS's options from ``options`` (whose algorithm must be one of HiGHS's)."""
    if options.algorithm not in LP_ALGORITHMS:
        raise ValueError(f"algorithm {options.algorithm!r} is not a HiGHS algorithm ({', '.join(LP_ALGORITHMS)})")
    h.setOptionValue("output_flag", bool(options.log))
    h.setOptionValue("solver", options.algorithm)
    h.setOptionValue("run_crossover", "on" if options.crossover else "off")
    h.setOptionValue("simplex_strategy", {"dual": 1, "primal": 4}[options.simplex_strategy])
    h.setOptionValue("presolve", "on" if options.presolve else "off")
    if options.time_limit_s is not None:
        h.setOptionValue("time_limit", float(options.time_limit_s))
    if options.threads:
        # HiGHS sizes one global thread pool per process on first use; a later run with a
        # different thread count fails (model status "Not Set") unless the pool is reset.
        highspy.Highs.resetGlobalScheduler(True)
        h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("primal_feasibility_tolerance", options.primal_feasibility_tolerance)
    h.setOptionValue("dual_feasibility_tolerance", options.dual_feasibility_tolerance)
    h.setOptionValue("ipm_optimality_tolerance", options.ipm_optimality_tolerance)


def pass_arrays(h: highspy.Highs, a: sp.csc_matrix, cost: np.ndarray, col_lower: np.ndarray,
                col_upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray) -> None:
    """Hand a minimisation LP to HiGHS in one call (the array overload copies in bulk)."""
    n_rows, n_cols = a.shape
    status = h.passModel(
        n_cols, n_rows, int(a.nnz), int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
        np.ascontiguousarray(cost, dtype=float), np.ascontiguousarray(col_lower, dtype=float),
        np.ascontiguousarray(col_upper, dtype=float), np.ascontiguousarray(row_lower, dtype=float),
        np.ascontiguousarray(row_upper, dtype=float), a.indptr.astype(np.int32), a.indices.astype(np.int32),
        np.ascontiguousarray(a.data, dtype=float), np.zeros(n_cols, dtype=np.int32))
    if status == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS rejected the LP (inconsistent bounds or matrix); this is a bug in SilkGrid")


def pass_lp(h: highspy.Highs, lp: LinearProgram) -> None:
    cost, clo, cup, rlo, rup = lp.arrays()
    pass_arrays(h, lp.matrix(), cost, clo, cup, rlo, rup)


def solve_lp_highs(lp: LinearProgram, options: SolverOptions) -> LPSolution:
    """Solve with HiGHS; never raises for solver outcomes (the status says what happened)."""
    h = new_highs()
    configure(h, options)
    pass_lp(h, lp)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    ms = h.getModelStatus()
    status = _STATUS.get(ms, "numerical_trouble")
    info = h.getInfo()
    iterations = {"ipm": int(info.ipm_iteration_count), "simplex": int(info.simplex_iteration_count),
                  "crossover": int(info.crossover_iteration_count), "pdlp": int(info.pdlp_iteration_count)}
    x = dual = obj = None
    if status in ("optimal", "time_limit", "iteration_limit") and info.primal_solution_status >= 1:
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        dual = np.asarray(sol.row_dual, dtype=float) if sol.dual_valid else None
        obj = float(info.objective_function_value)
    return LPSolution(status=status, solver_status=h.modelStatusToString(ms), objective=obj, x=x,
                      row_dual=dual, seconds=seconds, iterations=iterations)
