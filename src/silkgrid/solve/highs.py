"""Solve a :class:`~silkgrid.model.lp.LinearProgram` with HiGHS (highspy)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions

_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration_limit",
}


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

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


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
    h.setOptionValue("output_flag", bool(options.log))
    h.setOptionValue("solver", options.method)
    h.setOptionValue("run_crossover", "on" if options.crossover else "off")
    h.setOptionValue("presolve", "on" if options.presolve else "off")
    if options.time_limit_s is not None:
        h.setOptionValue("time_limit", float(options.time_limit_s))
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("primal_feasibility_tolerance", options.primal_feasibility_tolerance)
    h.setOptionValue("dual_feasibility_tolerance", options.dual_feasibility_tolerance)
    h.setOptionValue("ipm_optimality_tolerance", options.ipm_optimality_tolerance)


def to_highs_lp(lp: LinearProgram) -> highspy.HighsLp:
    cost, clo, cup, rlo, rup = lp.arrays()
    a = lp.matrix()
    model = highspy.HighsLp()
    model.num_col_ = lp.n_cols
    model.num_row_ = lp.n_rows
    model.col_cost_ = cost
    model.col_lower_ = clo
    model.col_upper_ = cup
    model.row_lower_ = rlo
    model.row_upper_ = rup
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = a.indptr.astype(np.int32)
    model.a_matrix_.index_ = a.indices.astype(np.int32)
    model.a_matrix_.value_ = a.data
    model.offset_ = 0.0
    return model


def solve_lp(lp: LinearProgram, options: SolverOptions | None = None) -> LPSolution:
    """Solve; never raises for solver outcomes (the status says what happened)."""
    options = options or SolverOptions()
    h = new_highs()
    configure(h, options)
    h.passModel(to_highs_lp(lp))
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
