"""The decomposed and aggregated solve methods (see ``docs/performance.md``).

* :func:`solve_aggregated`: one LP over time segments (``silkgrid.model.aggregate``); fast,
  approximate, no bound.
* :func:`solve_decomposed`: Benders decomposition over time windows
  (:mod:`silkgrid.solve.partition`, :mod:`silkgrid.solve.benders`), optionally started from
  the aggregated solution, to a proven relative gap.  Returns the full-horizon solution in
  the same form as a monolithic solve.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from silkgrid.model.aggregate import segment_snapshots
from silkgrid.model.arrays import build_arrays
from silkgrid.model.build import BuiltModel, build_model
from silkgrid.model.implied import add_storage_reachability
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario, SolverOptions
from silkgrid.solve.benders import BendersResult, IterationHook, benders
from silkgrid.solve.dask_executor import choose_executor
from silkgrid.solve.executor import Executor
from silkgrid.solve.lp import solve_lp
from silkgrid.solve.solution import LPSolution
from silkgrid.solve.partition import Partition, partition, window_ids

MEUR = 1e6

#: Called with a stage name ("warm start", "decomposed solve") as each one starts.
StageHook = Callable[[str], None]


def default_workers() -> int:
    """Worker processes for window subproblems: one per CPU core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def build_aggregated(sc: Scenario, segments: int, breaks: np.ndarray | None = None) -> BuiltModel:
    """The scenario's LP over ``segments`` time segments (plus any forced ``breaks``)."""
    return build_model(build_arrays(sc, snapshots=segment_snapshots(sc, segments, breaks=breaks)))


def solve_aggregated(sc: Scenario, opts: SolverOptions,
                     breaks: np.ndarray | None = None) -> tuple[BuiltModel, LPSolution]:
    """:func:`build_aggregated` with ``opts.segments``, solved with ``opts``."""
    built = build_aggregated(sc, opts.segments, breaks)
    return built, solve_lp(built.lp, opts)


def expand_to(coarse: BuiltModel, x_coarse: np.ndarray, fine: BuiltModel) -> np.ndarray:
    """A full-LP point for ``fine`` from a solution on coarser snapshots of the same network.

    Capacities carry over; time-indexed variables take the value of the coarse snapshot
    that covers each fine one; storage levels are interpolated between coarse snapshot ends.
    """
    cs, fs = coarse.arrays.snapshots, fine.arrays.snapshots
    cover = np.clip(np.searchsorted(cs.first_hour, fs.first_hour, side="right") - 1, 0, len(cs) - 1)
    c_end = cs.first_hour + cs.duration_h
    f_end = fs.first_hour + fs.duration_h
    x = np.zeros(fine.lp.n_cols)
    for name, idx in fine.lp.variables.items():
        src = coarse.lp.variables.get(name)
        if src is None or src.size == 0:
            continue
        vals = x_coarse[src]
        if idx.ndim == 2 and src.ndim == 2 and src.shape[1] == len(cs):
            if name == "sto_soc":
                vals = np.stack([np.interp(f_end, c_end, row) for row in vals]) if len(vals) else vals
            else:
                vals = vals[:, cover]
        if vals.shape == idx.shape:
            x[idx] = vals
    return x


#: Warm start: segments per modelled time step when ``warm_start_segments`` is unset.  Measured
#: (docs/performance.md): the hourly corridor year was fastest at 876 segments (300 and 600 gave
#: worse starts); the synthetic 8 x 2,190 h case took 23.8 s at 110 segments, 24.5 s at 219,
#: 36.9 s at 438 and 103 s at 876, where the warm start alone took 95 s.
WARM_START_SEGMENT_SHARE = 0.1


def warm_start_segments(opts: SolverOptions, n_steps: int) -> int:
    """Segments of the decomposed method's warm start for a horizon of ``n_steps`` time steps."""
    if opts.warm_start_segments is not None:
        return opts.warm_start_segments
    return max(1, round(WARM_START_SEGMENT_SHARE * n_steps))


def decomposition_lp(built: BuiltModel, snapshot_window: np.ndarray) -> LinearProgram:
    """The LP the decomposed method partitions: ``built.lp`` plus the storage levels each window
    can reach (:func:`~silkgrid.model.implied.add_storage_reachability`), rows every hourly
    solution meets that become master rows.  The original rows keep their indices."""
    lp = built.lp.copy()
    add_storage_reachability(lp, built.arrays, snapshot_window)
    return lp


def preparation_point(part: Partition) -> np.ndarray:
    """The master point the windows are first solved at while the warm start runs: every
    variable at its lower bound (existing capacities, no new ones, empty storage), or at zero
    where it has none.  Measured on corridor windows: the warm-start point is then re-solved
    in 54 % of the simplex time of a cold solve."""
    return np.clip(np.where(np.isfinite(part.z_lower), part.z_lower, 0.0), part.z_lower, part.z_upper)


#: Time limit of the decomposed method when the options set none, s.  At the limit the method
#: returns the best feasible plan it has found, with its proven gap; without a limit a hard case
#: (the hourly corridor year) would run for hours.
DEFAULT_TIME_LIMIT_S = 600.0


def solve_decomposed(sc: Scenario, built: BuiltModel, opts: SolverOptions, *,
                     executor: Executor | None = None, on_iteration: IterationHook | None = None,
                     on_stage: StageHook | None = None) -> tuple[LPSolution, dict]:
    """Benders over windows of ``opts.window_hours``; returns the solution and solver facts."""
    t0 = time.perf_counter()
    stage = on_stage or (lambda name: None)
    limit = opts.time_limit_s if opts.time_limit_s is not None else DEFAULT_TIME_LIMIT_S
    a = built.arrays
    windows = window_ids(a.snapshots.first_hour, opts.window_hours)
    lp = decomposition_lp(built, windows)
    part = partition(lp, windows)
    workers = min(opts.workers or default_workers(), len(part.windows))
    ex = executor or choose_executor(workers, opts.dask_scheduler)
    facts: dict = {"windows": len(part.windows), "window_hours": opts.window_hours,
                   "workers": getattr(ex, "workers", workers), "master_variables": part.n_z,
                   "time_limit_s": limit}
    try:
        z0 = None
        segments = warm_start_segments(opts, len(a.snapshots))
        warm = opts.warm_start and segments < len(a.snapshots)
        # the workers build their HiGHS models while the warm start solves, and solve each window
        # once at the existing system: the first pass at the warm start is then a warm re-solve
        ex.start(part.windows, prepare=preparation_point(part) if warm else None)
        if warm:
            stage("warm start")
            tw = time.perf_counter()
            # segments end at every window boundary: the storage levels handed to the windows
            # are then levels the aggregated solution reaches, not interpolations.  One thread:
            # the other cores prepare the windows (and Clarabel gains little from a second one)
            # the warm start shares the run's time limit: a short limit leaves it unfinished (its
            # point is then not used) rather than running it to the end before the limit is checked
            agg, agg_sol = solve_aggregated(sc, opts.model_copy(update={
                "time_limit_s": max(1.0, limit - (time.perf_counter() - t0)), "segments": segments,
                "algorithm": opts.warm_start_algorithm, "threads": 1}),
                breaks=np.flatnonzero(np.diff(windows)) + 1)
            if agg_sol.x is not None and agg_sol.status != "time_limit":  # near the optimum is enough
                z0 = part.z_from_x(expand_to(agg, agg_sol.x, built), lp=lp)
            facts["warm_start"] = {"segments": segments, "algorithm": opts.warm_start_algorithm,
                                   "seconds": time.perf_counter() - tw, "status": agg_sol.status,
                                   "objective_eur": None if agg_sol.objective is None else agg_sol.objective * MEUR}
        stage("decomposed solve")
        left = max(1.0, limit - (time.perf_counter() - t0))
        res: BendersResult = benders(part, ex, gap=opts.gap, time_limit=left, z_start=z0,
                                     max_iterations=opts.max_iterations,
                                     on_iteration=on_iteration)
    finally:
        ex.close()
    status = res.status if res.status in ("optimal", "time_limit", "iteration_limit") else "numerical_trouble"
    row_dual = None if res.row_dual is None else res.row_dual[:built.lp.n_rows]  # without the added rows
    sol = LPSolution(status=status, solver_status=res.message,
                     objective=None if res.x is None else res.upper_bound, x=res.x, row_dual=row_dual,
                     seconds=time.perf_counter() - t0, iterations={"benders": res.iterations},
                     feasible=res.x is not None)  # benders returns x only at a slack-free point
    facts.update({
        "gap": res.gap, "lower_bound_eur": eur_or_none(res.lower_bound),
        "upper_bound_eur": eur_or_none(res.upper_bound),
        "iterations": res.iterations, "subproblem_seconds": res.window_seconds,
        "master_seconds": res.master_seconds,
        "history": [{"iteration": h["iteration"], "seconds": round(h["seconds"], 3),
                     "lower_bound_eur": eur_or_none(h["lower"]), "upper_bound_eur": eur_or_none(h["upper"]),
                     "gap": h["gap"] if np.isfinite(h["gap"]) else None} for h in res.history],
    })
    return sol, facts


def eur_or_none(meur: float) -> float | None:
    """MEUR (LP units) as EUR; None for a non-finite value (no bound yet)."""
    return float(meur) * MEUR if np.isfinite(meur) else None
