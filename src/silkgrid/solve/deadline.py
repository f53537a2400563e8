"""A time limit that holds for a monolithic LP solve, whichever solver runs it.

Solvers check their time limit between iterations, and some steps cannot be interrupted at all:
Clarabel factorises the KKT system of the hourly corridor year (1.7 M variables) before its first
iteration, so a 5 s limit stopped it after 76 s; Ctrl-C waits as long.  With a time limit,
:func:`solve_within` runs the solve in a forked child process (the LP is shared copy-on-write, not
copied) and waits for it at most ``time_limit_s`` + :func:`grace_s`; a child still running then is
killed and the outcome is ``time_limit`` with no plan (what a solver reports at its own limit for an
LP).  The solver's own limit stays set, so a solver that stops in time reports as usual.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from typing import Callable

from silkgrid.core.errors import SilkGridError
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.solution import LPSolution

__all__ = ["solve_within", "grace_s", "GRACE_S", "GRACE_SHARE"]

#: Fixed part of the tolerance past the time limit, s: the solver's own check and the hand-back of
#: the solution (about 0.2 s for the hourly corridor's 1.7 M values).
GRACE_S = 2.0
#: Share of the time limit added to the tolerance.
GRACE_SHARE = 0.02


def grace_s(time_limit_s: float) -> float:
    """Seconds a solve may run past ``time_limit_s`` before its process is killed."""
    return GRACE_S + GRACE_SHARE * time_limit_s


def _child(conn, solve: Callable[[LinearProgram, SolverOptions], LPSolution], lp, options) -> None:
    try:
        conn.send(("ok", solve(lp, options)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it there
        conn.send(("error", exc))
    finally:
        conn.close()


def solve_within(lp: LinearProgram, options: SolverOptions,
                 solve: Callable[[LinearProgram, SolverOptions], LPSolution]) -> LPSolution:
    """``solve(lp, options)``, stopped within :func:`grace_s` of ``options.time_limit_s``.

    Without a time limit, where processes cannot be forked, or inside a daemonic process (a
    dashboard run, which its server kills at its own time limit), ``solve`` runs here.  An exception
    in the child is raised again here; Ctrl-C (or any exception) here kills the child.
    """
    limit = options.time_limit_s
    if (limit is None or "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon):  # a dashboard run: its process is killed at its limit
        return solve(lp, options)
    lp.matrix()  # assemble once here, so the child shares it instead of building its own
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, solve, lp, options), name="silkgrid-solve", daemon=True)
    proc.start()
    send.close()
    try:
        if receive.poll(max(limit + grace_s(limit) - (time.perf_counter() - t0), 0.0)):
            kind, payload = receive.recv()
            proc.join()
            if kind == "error":
                raise payload
            return payload
        name = "Clarabel" if options.algorithm == "clarabel" else "HiGHS"
        return LPSolution(status="time_limit", objective=None, x=None, row_dual=None,
                          seconds=time.perf_counter() - t0,
                          solver_status=f"{name}: still running at the time limit of {limit:g} s "
                                        f"(+{grace_s(limit):.1f} s): stopped by SilkGrid")
    except EOFError:  # the child died without an answer (killed, out of memory)
        proc.join(timeout=10)
        raise SilkGridError(f"the solver's process ended without an answer (exit code {proc.exitcode}; "
                            "-9 is a kill, often for lack of memory): try a coarser time.resolution or "
                            "method: decomposed") from None
    finally:
        if proc.is_alive():
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.join(timeout=10)
        receive.close()
