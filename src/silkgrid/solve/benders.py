"""Benders decomposition over time windows, with proven lower and upper bounds.

The master holds the linking variables ``z`` of a :class:`~silkgrid.solve.partition.Partition`
(capacities, storage levels at window boundaries, policy budgets) and one cost estimate
``theta_w`` per window (multi-cut).  Each iteration:

1. solve every window at the current point (warm-started dual simplex, in parallel through
   an :class:`~silkgrid.solve.executor.Executor`).  With no elastic slack active, their
   costs plus the master cost of the point are an **upper bound**; each window's
   fixing-row duals ``g_w`` give a cut ``theta_w >= Q_w(z_hat) + g_w (z - z_hat)``;
2. solve the master LP (MEUR): its optimum is a **lower bound**;
3. the next point is the **level-set projection** of the best point: the point nearest to it
   (L1 distance, each variable in its own scale) whose cut model costs at most
   ``lower + LEVEL_FRACTION * (upper - lower)``, and no more than a growing fraction of
   ``|upper|`` below the upper bound (an LP).  Measured on the corridor, this takes the
   hourly year from a stalled 10 % gap to 0.1 % in about 24 iterations.  Until a feasible point
   is known, the next point is the master solved within a trust region around the point of
   least penalised cost (the master's own answer when there is none); if the projection LP
   fails, the master is solved within a trust region around the best point (the box doubles
   after a step that achieved at least a tenth of the predicted decrease and halves otherwise).

The master LPs hold ``z - origin`` (origin: ``z_start``), so that cut right-hand sides stay of
the size of the windows' costs (see :class:`_Master`).

Points are evaluated a little inside their bounds (a window's cost has a kink at a bound,
where the duals can be any subgradient) except every third iteration.  It stops when
``(upper - lower) / |upper| <= gap``, at the time limit or the iteration limit, and returns
the full-LP solution at the best point (primal and duals assembled from the windows), so
results extraction does not know it was decomposed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import scipy.sparse as sp

from silkgrid.solve.executor import Executor, WindowResult
from silkgrid.solve.highs import new_highs, pass_arrays
from silkgrid.solve.partition import Partition

#: Called after every iteration with {"iteration", "lower", "upper", "gap", "seconds", "radius",
#: "max_slack", "master_lower", "value", "repaired"} (LP units, MEUR).  "repaired":
#: the point counted as feasible through :func:`repair_budgets`.
IterationHook = Callable[[dict], None]

#: theta bound used when a window's cost has no finite lower bound from the column bounds.
_THETA_FLOOR = -1e9


@dataclass
class BendersResult:
    status: str  #: "optimal" (gap reached), "time_limit", "iteration_limit" or "failed"
    message: str
    x: np.ndarray | None  #: full-LP primal at the best point
    row_dual: np.ndarray | None  #: full-LP duals at the best point (windows; master rows from the master)
    lower_bound: float  #: MEUR, without the objective constant
    upper_bound: float
    iterations: int
    seconds: float
    history: list[dict] = field(default_factory=list)
    window_seconds: float = 0.0  #: summed subproblem solve time (all workers)
    master_seconds: float = 0.0
    z: np.ndarray | None = None  #: the best master point (e.g. to start a related run from)

    @property
    def gap(self) -> float | None:
        """Proven relative gap, or None when no finite pair of bounds exists."""
        if not (np.isfinite(self.lower_bound) and np.isfinite(self.upper_bound)):
            return None
        return max(0.0, relative_gap(self.lower_bound, self.upper_bound))


def relative_gap(lower: float, upper: float) -> float:
    """(upper - lower) / |upper|; inf while there is no upper bound."""
    return (upper - lower) / max(abs(upper), 1e-9) if np.isfinite(upper) else np.inf


#: Trust region: half-width as a multiple of each variable's scale (start, smallest, largest).
#: The floor matters most: on 4 corridor weeks it took 843 iterations at 0.01, 178 at 0.1, 122
#: at 0.3 and 251 at 1.0 to prove 0.1 % (a small box starves the master of distant cuts).
TRUST_START, TRUST_MIN, TRUST_MAX = 0.5, 0.2, 8.0


def _trust_scale(part: Partition) -> np.ndarray:
    """Typical size of each master variable: its range where finite and small, else 1 (GW, GWh, kt)."""
    span = part.z_upper - part.z_lower
    return np.where(np.isfinite(span) & (span > 0), np.minimum(span, np.maximum(1.0, 0.25 * span)), 1.0)


#: Level-set stabilisation: the next point is the projection of the best point onto the set
#: where the master's cut model costs at most lower + LEVEL_FRACTION * (upper - lower).
#: Measured on the hourly corridor year with the objective trust region below: 24, 23-25 and 27
#: iterations at 0.5, 0.6 and 0.7 (before the storage reachability rows and the trust region:
#: 34, 30 and 34 at 0.5, 0.7 and 0.85; docs/performance.md).
LEVEL_FRACTION = 0.6

#: ... and never more than ``step_cap * |upper|`` below the upper bound: a trust region on the
#: objective.  It starts at LEVEL_STEP_START and grows by LEVEL_STEP_GROWTH after every serious
#: step.  From a warm start the first levels would otherwise ask for 10-100 % less than the
#: warm-start cost and the points land far off, where the windows re-solve slowly and the
#: centre does not move; measured on the hourly corridor year (moving-bound windows, storage
#: reachability rows): 29 iterations without the cap, 24-25 with it at 0.5-1 %; without a warm
#: start 68 iterations without it, 66-69 with it growing by 1.5-2 (129 with a fixed 0.5 %).
LEVEL_STEP_START = 0.005
LEVEL_STEP_GROWTH = 1.5


#: Elastic slack (LP units: GW, GWh, kt) below which a window counts as feasible at a point.
#: Per window: summed over the 53 windows of the corridor year, round-off (HiGHS's feasibility
#: tolerance is 1e-7 on its scaled model) alone reached 1.03e-6 at a feasible point, and a
#: total of 1e-6 rejected every point for 235 iterations.
SLACK_TOLERANCE = 1e-6

#: Every that many iterations the master's point is evaluated as it is, bounds included.
EXACT_EVERY = 3

#: Master points are evaluated at least this far inside their bounds (GW, GWh, kt: 1 MW, 1 MWh).
INTERIOR_MARGIN = 1e-3


def repair_budgets(part: Partition, z: np.ndarray,
                   results: list[WindowResult]) -> tuple[np.ndarray, float] | None:
    """A slack-free master point and its cost from windows whose only slack is on budgets.

    A window that exceeds its share of a horizon-wide policy row (a CO2 budget, say) buys
    elastic slack on that budget's fixing row; its hourly solution is still feasible for
    every row of its own.  If the shares the windows really used (``WindowResult.used``)
    satisfy the master rows -- they still add up within the original limit -- the assembled
    solution is feasible for the full LP, so the point with those shares as budgets, costed
    without penalties, is an upper bound.  Returns ``(z', value)``, or None when any slack sits on a
    linking variable (storage level, capacity, ramp start) or the used budgets break a
    master row or bound.  Capacities and storage levels are never changed.
    """
    n_link = part.linking_cols.size
    z_new = np.array(z, dtype=float)
    for r in results:
        w = part.windows[r.index]
        pinned = w.master_index[:w.n_fixing]
        shift = r.used - z[pinned]
        budget = pinned >= n_link
        if np.abs(shift[~budget]).sum() > SLACK_TOLERANCE:
            return None
        z_new[pinned[budget]] = r.used[budget]
    tol = SLACK_TOLERANCE * np.maximum(1.0, np.abs(z_new))
    if np.any(z_new < part.z_lower - tol) or np.any(z_new > part.z_upper + tol):
        return None
    activity = part.master_matrix @ z_new
    row_tol = SLACK_TOLERANCE * np.maximum(1.0, np.abs(activity))
    if np.any(activity < part.master_row_lower - row_tol) or np.any(activity > part.master_row_upper + row_tol):
        return None
    return z_new, float(part.z_cost @ z_new) + sum(r.operating for r in results)


def _violated_rows(part: Partition, z: np.ndarray) -> np.ndarray:
    """Indices of the master rows ``z`` breaks by more than :data:`SLACK_TOLERANCE`."""
    activity = part.master_matrix @ z
    tol = SLACK_TOLERANCE * np.maximum(1.0, np.abs(activity))
    return np.flatnonzero((activity < part.master_row_lower - tol) | (activity > part.master_row_upper + tol))


def _shift_inside(part: Partition, z: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """``z`` moved inside ``[lower, upper]``, except the variables of master rows the move would break
    (e.g. a build limit reached by one candidate: the others stay at 0, not at the margin)."""
    z_in = np.clip(z, lower, upper)
    for _ in range(5):  # reverting columns can, rarely, move another row: a few rounds settle it
        bad = _violated_rows(part, z_in)
        if not bad.size:
            return z_in
        cols = np.unique(part.master_matrix[bad].nonzero()[1])
        z_in[cols] = z[cols]
    return z_in if not _violated_rows(part, z_in).size else z


def _at_bounds(part: Partition, z: np.ndarray) -> np.ndarray:
    """``z`` with values within :data:`INTERIOR_MARGIN` of a bound put on it (undoes the interior shift)."""
    near_lo = np.isfinite(part.z_lower) & (z - part.z_lower <= INTERIOR_MARGIN * (1 + 1e-9))
    near_hi = np.isfinite(part.z_upper) & (part.z_upper - z <= INTERIOR_MARGIN * (1 + 1e-9))
    return np.where(near_lo, part.z_lower, np.where(near_hi, part.z_upper, z))


def _interior(lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds shrunk by :data:`INTERIOR_MARGIN` (to the midpoint where the range is narrower)."""
    margin = np.minimum(INTERIOR_MARGIN, np.where(np.isfinite(upper - lower), (upper - lower) / 2, np.inf))
    return lower + margin, upper - margin


class _Master:
    """The master LP, kept in one HiGHS instance (dual simplex re-solves after adding cuts)."""

    def __init__(self, part: Partition, theta_lower: np.ndarray, origin: np.ndarray | None = None):
        self.n_z, self.n_w = part.n_z, len(part.windows)
        # the LPs hold y = z - origin: a cut's right-hand side Q_w - g_w (z_hat - origin) then stays
        # of the size of a window's cost near the origin, instead of the difference of two numbers
        # of size g_w z_hat (a budget of 10^4 GWh times a penalty slope of 10^3 MEUR/GWh: 10^7)
        # that HiGHS's absolute 1e-7 tolerances cannot resolve (the master ended 'Unknown')
        self.origin = np.zeros(self.n_z) if origin is None else np.asarray(origin, dtype=float).copy()
        self.origin_cost = float(part.z_cost @ self.origin)
        m = part.master_matrix
        shift = m @ self.origin
        row_lo, row_hi = part.master_row_lower - shift, part.master_row_upper - shift
        y_lo, y_hi = part.z_lower - self.origin, part.z_upper - self.origin
        h = new_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("solver", "simplex")
        mat = sp.hstack([m, sp.csr_matrix((m.shape[0], self.n_w))]).tocsc()
        pass_arrays(h, mat, np.concatenate([part.z_cost, np.ones(self.n_w)]),
                    np.concatenate([y_lo, theta_lower]),
                    np.concatenate([y_hi, np.full(self.n_w, np.inf)]), row_lo, row_hi)
        self.h = h
        self.z_lower, self.z_upper = part.z_lower, part.z_upper
        self.n_master_rows = m.shape[0]  #: rows before the first cut
        # the level-set projection, an LP over (z, theta, d+, d-) with the same rows and cuts,
        # one level row (master cost <= level) and z - d+ + d- = centre; its L1 objective
        # sum((d+ + d-) / scale) is set per projection
        q = new_highs()
        q.setOptionValue("output_flag", False)
        q.setOptionValue("solver", "simplex")
        n, nw = self.n_z, self.n_w
        eye = sp.identity(n, format="csr")
        rows = sp.vstack([
            sp.hstack([mat, sp.csr_matrix((m.shape[0], 2 * n))]),
            sp.hstack([sp.csr_matrix(np.concatenate([part.z_cost, np.ones(nw)])[None, :]), sp.csr_matrix((1, 2 * n))]),
            sp.hstack([eye, sp.csr_matrix((n, nw)), -eye, eye]),
        ]).tocsc()
        pass_arrays(q, rows, np.zeros(nw + 3 * n),
                    np.concatenate([y_lo, theta_lower, np.zeros(2 * n)]),
                    np.concatenate([y_hi, np.full(nw + 2 * n, np.inf)]),
                    np.concatenate([row_lo, [-np.inf], np.zeros(n)]),
                    np.concatenate([row_hi, [np.inf], np.zeros(n)]))
        self.q = q
        self.level_row = m.shape[0]

    def add_cuts(self, results: list[WindowResult], part: Partition, z_hat: np.ndarray) -> None:
        """theta_w - g_w z_K >= Q_w - g_w z_hat_K for every window (g: fixing-row duals,
        MEUR per unit of z; Q_w: window cost incl. penalties, MEUR), to the master and the
        projection LP."""
        starts, index, value, lower = [0], [], [], []
        for r in results:
            k, g = part.windows[r.index].master_index, r.gradient
            nz = g != 0
            index.append(np.concatenate([k[nz], [self.n_z + r.index]]))
            value.append(np.concatenate([-g[nz], [1.0]]))
            lower.append(r.objective - float(g @ (z_hat[k] - self.origin[k])))
            starts.append(starts[-1] + index[-1].size)
        n = len(results)
        if n == 0:
            return
        rows = (n, np.array(lower), np.full(n, np.inf), int(starts[-1]), np.array(starts[:-1], dtype=np.int32),
                np.concatenate(index).astype(np.int32), np.concatenate(value))
        self.h.addRows(*rows)
        self.q.addRows(*rows)

    def project(self, centre: np.ndarray, scale: np.ndarray, level: float) -> np.ndarray | None:
        """The point nearest ``centre`` (L1 distance, each variable divided by ``scale``) whose
        cut model costs at most ``level``; None if the LP does not solve (the caller then
        falls back to the trust region)."""
        n, nw = self.n_z, self.n_w
        cols = np.arange(nw + n, nw + 3 * n, dtype=np.int32)
        self.q.changeColsCost(2 * n, cols, np.tile(1.0 / scale, 2))
        link = np.arange(self.level_row + 1, self.level_row + 1 + n, dtype=np.int32)
        self.q.changeRowsBounds(n, link, centre - self.origin, centre - self.origin)
        self.q.changeRowBounds(self.level_row, -np.inf, level - self.origin_cost)
        if _run_master(self.q) != highspy.HighsModelStatus.kOptimal:
            return None
        y = np.asarray(self.q.getSolution().col_value[:self.n_z])
        return np.clip(y + self.origin, self.z_lower, self.z_upper)

    def solve(self, box: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        """Solve (within ``box`` = (lower, upper) on z, else the natural bounds): (z, theta, value, row duals)."""
        lo, hi = box if box is not None else (self.z_lower, self.z_upper)
        idx = np.arange(self.n_z, dtype=np.int32)
        self.h.changeColsBounds(self.n_z, idx, lo - self.origin, hi - self.origin)
        status = _run_master(self.h)
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the Benders master LP ended '{self.h.modelStatusToString(status)}'")
        sol = self.h.getSolution()
        x = np.asarray(sol.col_value)
        row_dual = np.asarray(sol.row_dual)
        return (x[:self.n_z] + self.origin, x[self.n_z:self.n_z + self.n_w].copy(),
                float(self.h.getInfo().objective_function_value) + self.origin_cost,
                row_dual[:self.n_master_rows].copy())


def _run_master(h) -> highspy.HighsModelStatus:
    """Re-solve from the current basis; if that ends other than optimal (a basis gone singular after
    many cuts), once more from scratch.  Returns the model status."""
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        h.clearSolver()
        h.run()
        status = h.getModelStatus()
    return status


def benders(part: Partition, executor: Executor, *, gap: float = 1e-3, time_limit: float | None = None,
            max_iterations: int = 1000, z_start: np.ndarray | None = None,
            on_iteration: IterationHook | None = None) -> BendersResult:
    """Solve the partitioned LP to a relative ``gap``; see the module docstring.

    ``executor`` must already hold the windows (``executor.start(part.windows)``).
    ``z_start`` (e.g. from a time-aggregated solve; LP units: GW, GWh, kt) is the first point
    evaluated; without it the master's first answer is used.  ``time_limit`` in s.
    """
    t0 = time.perf_counter()
    deadline = np.inf if time_limit is None else t0 + time_limit
    theta_lower = np.array([w.cost_lower_bound if np.isfinite(w.cost_lower_bound) else _THETA_FLOOR
                            for w in part.windows])
    master = _Master(part, theta_lower, origin=None if z_start is None else
                     np.clip(np.asarray(z_start, float), part.z_lower, part.z_upper))
    history: list[dict] = []
    window_seconds = master_seconds = 0.0
    upper, lower = np.inf, -np.inf
    z_best = None
    z_pen, pen_value = None, np.inf  #: before a feasible point: the least penalised point and its cost
    master_dual = np.zeros(part.master_matrix.shape[0])
    scale = _trust_scale(part)
    radius = TRUST_START
    step_cap = LEVEL_STEP_START

    def evaluate(z: np.ndarray) -> tuple[list[WindowResult], float, float]:
        nonlocal window_seconds
        res = executor.evaluate(z)
        bad = [r for r in res if not r.optimal]
        if bad:
            raise RuntimeError(f"window {bad[0].index} subproblem ended '{bad[0].status}'")
        window_seconds += sum(r.seconds for r in res)
        value = float(part.z_cost @ z) + sum(r.cost for r in res)
        return res, value, max((r.slack for r in res), default=0.0)  # largest window slack

    def solve_master(box: tuple[np.ndarray, np.ndarray] | None):
        nonlocal master_seconds
        tm = time.perf_counter()
        out = master.solve(box)
        master_seconds += time.perf_counter() - tm
        return out

    if z_start is None:
        z_point, _, lower, master_dual = solve_master(None)
    else:
        z_point = np.clip(np.asarray(z_start, float), part.z_lower, part.z_upper)
    predicted = -np.inf  #: the trust-region master's value at the point being evaluated
    status, message = "iteration_limit", "the iteration limit was reached before the requested gap"
    lo_in, hi_in = _interior(part.z_lower, part.z_upper)
    for iteration in range(max_iterations + 1):
        # most points are evaluated strictly inside the bounds: at a bound the windows' cost
        # has a kink and the duals pick an arbitrary (often penalty-sized) subgradient, a weak
        # cut; every EXACT_EVERY iterations the master's point is taken as it is (it may be optimal)
        exact_point = iteration % EXACT_EVERY == EXACT_EVERY - 1
        z_eval = np.clip(z_point, part.z_lower, part.z_upper)
        if not exact_point:
            z_eval = _shift_inside(part, z_eval, lo_in, hi_in)
        results, value, max_slack = evaluate(z_eval)
        master.add_cuts(results, part, z_eval)
        z_plan, feasible, was_repaired = z_eval, max_slack <= SLACK_TOLERANCE, False
        if not feasible:
            # slack on policy budgets alone is a feasible plan when the shares the windows
            # used still add up within the original limits (see repair_budgets)
            repaired = repair_budgets(part, z_eval, results)
            if repaired is not None:
                (z_plan, value), feasible, was_repaired = repaired, True, True
        improved = feasible and value < upper
        if z_best is None and not feasible:
            # no feasible point yet: the trust region follows the point of least penalised cost
            # (the warm start at first) and grows while that cost falls
            if z_pen is not None:
                radius = min(TRUST_MAX, 2.0 * radius) if value < pen_value else max(TRUST_MIN, 0.5 * radius)
            if value < pen_value:
                pen_value, z_pen = value, z_eval.copy()
        elif z_best is not None:
            # a serious step (at least a tenth of the predicted decrease) may grow the trust
            # region; anything less shrinks it (the centre still moves to any better point)
            serious = improved and value < upper - 0.1 * max(upper - predicted, 0.0)
            radius = min(TRUST_MAX, 2.0 * radius) if serious else max(TRUST_MIN, 0.5 * radius)
            if serious:
                step_cap *= LEVEL_STEP_GROWTH
        if improved:
            upper, z_best = value, z_plan.copy()
            executor.keep()  # its window solutions are the plan, unless a better point follows
        # lower bound: the master without trust region
        _, _, master_lower, master_dual = solve_master(None)
        lower = max(lower, master_lower)
        # next point: the level-set projection of the best point; if that LP fails, the master
        # within the trust region around the best point; before any feasible point, the master
        z_level = None
        if z_best is not None:
            around = np.maximum(scale, np.abs(z_best))  # each variable's scale at the best point
        if z_best is not None and np.isfinite(lower):
            tm = time.perf_counter()
            level = lower + LEVEL_FRACTION * (upper - lower)
            level = max(level, upper - step_cap * abs(upper))
            z_level = master.project(z_best, around, level)
            master_seconds += time.perf_counter() - tm
        if z_level is not None:
            z_next, predicted = z_level, level
        elif z_best is not None:
            width = radius * around
            box = (np.maximum(part.z_lower, z_best - width), np.minimum(part.z_upper, z_best + width))
            z_next, _, predicted, _ = solve_master(box)
        elif z_pen is not None:
            # before any feasible point, a master answer far from every evaluated point asks the
            # windows for budgets (a window's renewable GWh) that many of them cannot meet (on the
            # corridor pathway: 10^4-10^5 GWh of slack for over 15 iterations); within a box around
            # the least penalised point they move a step at a time
            width = radius * np.maximum(scale, np.abs(z_pen))
            box = (np.maximum(part.z_lower, z_pen - width), np.minimum(part.z_upper, z_pen + width))
            z_next, _, predicted, _ = solve_master(box)
        else:
            z_next, _, predicted, _ = solve_master(None)
        cur_gap = relative_gap(lower, upper)
        history.append({"iteration": iteration, "lower": lower, "upper": upper, "gap": cur_gap,
                        "seconds": time.perf_counter() - t0, "radius": radius, "max_slack": max_slack,
                        "master_lower": master_lower, "value": value,
                        "repaired": was_repaired})
        if on_iteration:
            on_iteration({**history[-1], "target_gap": gap})
        if cur_gap <= gap:
            status, message = "optimal", f"proven relative gap {cur_gap:.2e} <= {gap:g}"
            break
        if time.perf_counter() >= deadline:
            status, message = "time_limit", f"the time limit was reached at a proven gap of {cur_gap:.2%}"
            break
        if iteration == max_iterations:
            break
        z_point = z_next

    seconds = time.perf_counter() - t0
    if z_best is None:
        return BendersResult("failed", "no master point was feasible for every window (elastic slack "
                             "stayed active); the windows cannot meet the linking values", None, None,
                             lower, upper, len(history), seconds, history, window_seconds, master_seconds)
    # the best point may carry the interior shift (1 MW of every unused candidate): evaluate it on
    # its bounds once more and keep that plan when it is feasible and no worse than the gap allows
    z_snap = _at_bounds(part, z_best)
    if not np.array_equal(z_snap, z_best) and not _violated_rows(part, z_snap).size:
        results, value, max_slack = evaluate(z_snap)
        allowed = upper if status != "optimal" else max(upper, lower + gap * abs(upper))
        if max_slack <= SLACK_TOLERANCE and value <= allowed:
            upper, z_best = value, z_snap
            executor.keep()
    final = executor.kept()  # the window solutions at z_best, whose costs make up the upper bound
    x = np.zeros(part.n_cols)
    x[part.linking_cols] = z_best[:part.linking_cols.size]
    row_dual = np.zeros(part.n_rows)
    row_dual[part.master_rows] = master_dual
    for res in final:
        w = part.windows[res.index]
        x[w.own_cols] = res.x
        own = w.own_rows >= 0
        row_dual[w.own_rows[own]] = res.row_dual[own]
        row_dual[w.bound_rows] = res.bound_dual
    return BendersResult(status, message, x, row_dual, lower, upper, len(history), seconds, history,
                         window_seconds, master_seconds, z_best)
