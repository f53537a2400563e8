"""Run window subproblems: in this process, or in a pool of worker processes.

An executor owns the window subproblems for the whole decomposed solve: ``start`` hands
them out once (each worker keeps its HiGHS instances, so every later solve is warm-started
from the previous basis, and may solve them once at a preparation point while the caller
computes its first point), ``evaluate`` solves all of them at a master point, ``keep``
marks the last evaluation as the plan and ``kept`` returns its full solutions.  A
distributed engine (e.g. Dask actors on other machines) plugs in by implementing the same
methods (:class:`Executor`).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from silkgrid.solve.highs import new_highs, pass_arrays
from silkgrid.solve.partition import WindowProblem


@dataclass
class WindowResult:
    """A window subproblem solved at one master point (LP units)."""

    index: int
    status: str  #: HiGHS model status text ("Optimal" when solved)
    objective: float  #: cost of the window incl. slack penalties, MEUR (the value cuts are built on)
    gradient: np.ndarray  #: d objective / d z for the master variables the window uses
    slack: float  #: total elastic slack (0 when the master point is feasible for the window)
    iterations: int
    seconds: float
    cost: float = np.nan  #: cost of the window's own columns (no penalties), MEUR: its upper-bound share
    x: np.ndarray | None = None  #: own columns (kept solutions only)
    row_dual: np.ndarray | None = None  #: own rows (kept solutions only)
    bound_dual: np.ndarray | None = None  #: duals of the rows the moving bounds replace (kept solutions only)
    used: np.ndarray | None = None
    """Value each pinned master variable (the first ``n_fixing`` of ``master_index``) took in
    the window (LP units): its copy, which is the pinned value unless elastic slack moved it;
    for a policy budget, the share the window's own terms actually take (at most the copy
    under a ``<=`` row, at least it under ``>=``)."""
    operating: float = np.nan  #: cost of the own columns alone (no penalties), MEUR

    @property
    def optimal(self) -> bool:
        return self.status == "Optimal"


def _window_highs(threads: int | None):
    """A quiet dual-simplex HiGHS instance for window LPs (bound and cost changes keep a basis)."""
    h = new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 1)
    if threads:  # only in a fresh worker process: HiGHS sizes one thread pool per process
        h.setOptionValue("threads", int(threads))
    return h


def _run(h) -> str:
    """Run from the current basis; if that does not end optimal, once more from scratch with
    presolve.  Returns the model status text."""
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        h.clearSolver()
        h.setOptionValue("presolve", "on")
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
    h.setOptionValue("presolve", "off")  # later re-solves start from this basis
    return status


class WindowSolver:
    """HiGHS instances for a set of window subproblems, re-solved warm at each master point."""

    def __init__(self, problems: list[WindowProblem], *, threads: int | None = None):
        self.problems = problems
        self.highs = []
        self._pinned: list[np.ndarray | None] = [None] * len(problems)
        self._last: list[WindowResult | None] = [None] * len(problems)  #: with the solution arrays
        self._kept: list[WindowResult | None] = [None] * len(problems)
        for p in problems:
            h = _window_highs(threads)
            pass_arrays(h, p.matrix, p.cost, p.col_lower, p.col_upper, p.row_lower, p.row_upper)
            self.highs.append(h)

    def solve(self, z: np.ndarray) -> list[WindowResult]:
        """Every window at master point ``z`` (results without the solution arrays)."""
        return [self._solve_one(k, z) for k in range(len(self.problems))]

    def keep(self) -> None:
        """The solutions of the last :meth:`solve` become the ones :meth:`kept` returns."""
        self._kept = list(self._last)

    def kept(self) -> list[WindowResult]:
        """The kept solutions, with ``x``, ``row_dual`` and ``bound_dual``."""
        if any(r is None for r in self._kept):
            raise RuntimeError("no evaluation was kept")
        return list(self._kept)

    def _solve_one(self, k: int, z: np.ndarray) -> WindowResult:
        p, h = self.problems[k], self.highs[k]
        pinned = z[p.master_index]
        t0 = time.perf_counter()
        if self._pinned[k] is None or not np.array_equal(pinned, self._pinned[k]):
            rows = p.fixing_rows.astype(np.int32)
            h.changeRowsBounds(rows.size, rows, pinned[:p.n_fixing], pinned[:p.n_fixing])
            if p.bound_cols.size:
                lower, upper = p.bounds_at(pinned)
                h.changeColsBounds(p.bound_cols.size, p.bound_cols.astype(np.int32), lower, upper)
            _run(h)
            self._pinned[k] = pinned.copy()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        if status != "Optimal":
            return WindowResult(p.index, status, np.nan, np.zeros(pinned.size), np.nan,
                                int(info.simplex_iteration_count), time.perf_counter() - t0)
        sol = h.getSolution()  # lists: np.fromiter reads them 3x faster than np.asarray
        n_col, n_row = p.matrix.shape[1], p.matrix.shape[0]
        col = np.fromiter(sol.col_value, dtype=float, count=n_col)
        dual = np.fromiter(sol.row_dual, dtype=float, count=n_row)
        col_dual = np.fromiter(sol.col_dual, dtype=float, count=n_col)
        # slacks may come back a hair below zero (within the feasibility tolerance); times the
        # penalty that would lower the objective, so the upper-bound share is the own cost
        # plus the penalty of the positive slack only
        slack = np.maximum(col[p.slack_cols], 0.0)
        operating = float(p.cost[:p.n_own_cols] @ col[:p.n_own_cols])
        res = WindowResult(
            index=p.index, status=status, objective=float(info.objective_function_value),
            gradient=p.gradient(dual[p.fixing_rows], col_dual), slack=float(slack.sum()),
            iterations=int(info.simplex_iteration_count), seconds=time.perf_counter() - t0,
            cost=operating + float(p.cost[p.slack_cols] @ slack),
            used=_used_values(p, col, sol), operating=operating)
        # the arrays are fresh copies of HiGHS's solution: kept by reference, sent only on request
        self._last[k] = dataclasses.replace(res, x=col[:p.n_own_cols], row_dual=dual[:p.n_own_rows],
                                            bound_dual=p.bound_duals(col_dual) / p.bound_coef)
        return res


def _used_values(p: WindowProblem, col: np.ndarray, sol) -> np.ndarray:
    """:attr:`WindowResult.used` from a window solution (HiGHS's ``getSolution()``)."""
    used = col[p.n_own_cols:p.n_own_cols + p.n_fixing].copy()
    parts = p.budget_part_rows
    if parts.size:  # a part's row value + its copy = the window's own share
        rows = np.fromiter(sol.row_value, dtype=float, count=p.matrix.shape[0])
        used[p.n_fixing - parts.size:] += rows[parts]
    return used


class Executor(Protocol):
    """Where window subproblems run."""

    workers: int

    def start(self, problems: list[WindowProblem], prepare: np.ndarray | None = None) -> None:
        """Take the subproblems (once, before any ``evaluate``); with ``prepare`` (a master
        point), solve each one there once, so that the first ``evaluate`` starts warm.  May
        return before that work is done."""

    def evaluate(self, z: np.ndarray) -> list[WindowResult]:
        """Solve every window at master point ``z``; results in window order, without the
        solution arrays."""

    def keep(self) -> None:
        """Keep the solutions of the last ``evaluate`` (the best point so far)."""

    def kept(self) -> list[WindowResult]:
        """The kept solutions with ``x``, ``row_dual`` and ``bound_dual``, in window order."""

    def close(self) -> None:
        """Release workers."""


class SerialExecutor:
    """All windows in this process, one after the other."""

    workers = 1

    def __init__(self) -> None:
        self._solver: WindowSolver | None = None

    def start(self, problems: list[WindowProblem], prepare: np.ndarray | None = None) -> None:
        self._solver = WindowSolver(problems)
        if prepare is not None:
            self._solver.solve(prepare)

    def evaluate(self, z: np.ndarray) -> list[WindowResult]:
        return self._solver.solve(z)

    def keep(self) -> None:
        self._solver.keep()

    def kept(self) -> list[WindowResult]:
        return self._solver.kept()

    def close(self) -> None:
        self._solver = None


#: Niceness of the thread that prepares a worker's windows: the caller computes the first master
#: point (the decomposed method's warm start) meanwhile, on the same cores, and it comes first.
PREPARE_NICENESS = 10


def _prepare_niced(solver: WindowSolver, z: np.ndarray) -> None:
    """``solver.solve(z)`` in a thread of lower priority (niceness is per thread on Linux and
    can only be raised without privileges, so the worker's own thread keeps its priority)."""
    def run() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PREPARE_NICENESS)
        except (AttributeError, OSError):  # not Linux, or not permitted: prepare at normal priority
            pass
        solver.solve(z)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _worker_main(inbox: Connection, outbox: Connection) -> None:
    """Worker process: build the windows it is given, then solve on request."""
    solver = None
    while True:
        msg = inbox.recv()
        try:
            if msg[0] == "start":
                solver = WindowSolver(msg[1], threads=1)  # one worker process per core
                if msg[2] is not None:
                    _prepare_niced(solver, msg[2])
                outbox.send(("ok", None))
            elif msg[0] == "solve":
                outbox.send(("ok", solver.solve(msg[1])))
            elif msg[0] == "keep":
                solver.keep()
                outbox.send(("ok", None))
            elif msg[0] == "kept":
                outbox.send(("ok", solver.kept()))
            else:  # "stop"
                outbox.send(("ok", None))
                return
        except Exception:  # noqa: BLE001 - reported to the parent, which raises
            outbox.send(("error", traceback.format_exc()))


#: Environment of worker processes: one thread for every BLAS / OpenMP pool.  Each worker is
#: one core's worth of work, and a numpy dot product of a window's 28k costs wakes OpenBLAS's
#: thread pool, whose threads then spin-wait on the other cores: measured on 2 cores, two
#: workers each solved a corridor window in 75-85 ms instead of 30 ms, and the hourly year's
#: Benders loop took 89 s instead of 49 s.
WORKER_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _worker_env() -> dict[str, str]:
    return {**os.environ, **WORKER_THREAD_ENV}


class _Sender(threading.Thread):
    """Sends one message on a connection in the background."""

    def __init__(self, conn: Connection, msg: tuple):
        super().__init__(daemon=True)
        self.conn, self.msg, self.error = conn, msg, None
        self.start()

    def run(self) -> None:
        try:
            self.conn.send(self.msg)
        except OSError as exc:  # a worker that died; reported when the caller next asks
            self.error = exc
        self.msg = None

    def join(self, raise_error: bool = True) -> None:  # type: ignore[override]
        super().join()
        if self.error is not None and raise_error:
            raise RuntimeError("a subproblem worker process ended unexpectedly") from self.error


class ProcessExecutor:
    """Windows spread over worker processes on this machine (round robin, fixed per worker).

    Each worker is a fresh interpreter (``python -m silkgrid.solve.worker``) talking over
    two pipes, so it works from any caller (scripts without a ``__main__`` guard, notebooks)
    and no HiGHS thread pool is forked.  Workers keep their windows' solver state between
    master iterations.
    """

    def __init__(self, workers: int = 2):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._send: list[Connection] = []
        self._recv: list[Connection] = []
        self._procs: list[subprocess.Popen] = []
        self._assignment: list[list[int]] = []
        self._senders: list[_Sender] = []
        self._starting = False
        for _ in range(workers):
            down_r, down_w = os.pipe()
            up_r, up_w = os.pipe()
            proc = subprocess.Popen([sys.executable, "-m", "silkgrid.solve.worker", str(down_r), str(up_w)],
                                    pass_fds=(down_r, up_w), stdin=subprocess.DEVNULL, env=_worker_env())
            os.close(down_r)
            os.close(up_w)
            self._send.append(Connection(down_w, readable=False))
            self._recv.append(Connection(up_r, writable=False))
            self._procs.append(proc)

    def _gather(self) -> list:
        out = []
        for conn in self._recv:
            try:
                kind, payload = conn.recv()
            except EOFError:
                raise RuntimeError("a subproblem worker process ended unexpectedly") from None
            if kind == "error":
                raise RuntimeError(f"a subproblem worker failed:\n{payload}")
            out.append(payload)
        return out

    def start(self, problems: list[WindowProblem], prepare: np.ndarray | None = None) -> None:
        """Hand out the windows from background threads and return at once: a worker reads them
        only once its interpreter has started (about a second of imports), and the caller's
        warm start need not wait for that."""
        n = self.workers
        self._assignment = [list(range(k, len(problems), n)) for k in range(n)]
        self._senders = [_Sender(conn, ("start", [problems[i] for i in idx], prepare))
                         for conn, idx in zip(self._send, self._assignment)]
        self._starting = True  # acknowledged at the first request: the caller may work meanwhile

    def _started(self) -> None:
        """Wait until every worker has its windows (and has prepared them)."""
        if self._starting:
            self._starting = False
            for sender in self._senders:
                sender.join()
            self._gather()

    def _ask(self, *msg) -> list:
        self._started()
        for conn in self._send:
            conn.send(msg)
        return self._gather()

    def evaluate(self, z: np.ndarray) -> list[WindowResult]:
        return sorted((r for chunk in self._ask("solve", z) for r in chunk), key=lambda r: r.index)

    def keep(self) -> None:
        self._ask("keep")

    def kept(self) -> list[WindowResult]:
        return sorted((r for chunk in self._ask("kept") for r in chunk), key=lambda r: r.index)

    def close(self) -> None:
        for sender in self._senders:
            sender.join(raise_error=False)
        for send, recv in zip(self._send, self._recv):
            try:
                if self._starting:
                    recv.recv()
                send.send(("stop",))
                recv.recv()
            except (OSError, EOFError):
                pass
            send.close()
            recv.close()
        for proc in self._procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._send, self._recv, self._procs, self._senders = [], [], [], []
        self._starting = False


def make_executor(workers: int) -> Executor:
    """Serial for one worker, a local process pool otherwise (a Dask cluster's workers:
    :func:`silkgrid.solve.dask_executor.choose_executor`)."""
    return SerialExecutor() if workers <= 1 else ProcessExecutor(workers)


__all__ = ["Executor", "ProcessExecutor", "SerialExecutor", "WindowResult", "WindowSolver",
           "make_executor"]

