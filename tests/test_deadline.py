"""A monolithic solve's time limit holds even when the solver cannot be interrupted
(silkgrid.solve.deadline)."""

from __future__ import annotations

import time

import pytest

import silkgrid
from silkgrid.core.errors import SilkGridError
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.deadline import grace_s, solve_within
from silkgrid.solve.lp import solve_lp

ONE_WEEK = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-07"}}}


@pytest.fixture(scope="module")
def built():
    from silkgrid.model import build_model

    return build_model(silkgrid.load_scenario(ONE_WEEK))


def _stuck(lp, options):
    time.sleep(60)  # stands for a factorisation that never checks the clock


def _fails(lp, options):
    raise ValueError("bad numbers")


def test_a_stuck_solver_is_stopped_within_the_stated_tolerance(built):
    opts = SolverOptions(time_limit_s=0.5)
    t0 = time.perf_counter()
    sol = solve_within(built.lp, opts, _stuck)
    elapsed = time.perf_counter() - t0
    # 0.5 s limit + 2.01 s tolerance; 1 s more for forking and killing on a loaded 2-core machine
    assert elapsed < 0.5 + grace_s(0.5) + 1.0
    assert elapsed >= 0.5
    assert sol.status == "time_limit" and sol.x is None and not sol.has_plan
    assert "stopped by SilkGrid" in sol.solver_status


def test_within_the_limit_the_answer_is_the_solvers(built):
    direct = solve_lp(built.lp, SolverOptions())
    limited = solve_within(built.lp, SolverOptions(time_limit_s=120), solve_lp)
    assert limited.status == direct.status == "optimal"
    assert limited.objective == pytest.approx(direct.objective, rel=1e-12)  # the same solver, same LP
    assert limited.x.shape == direct.x.shape


def test_an_error_in_the_solver_is_raised_here(built):
    with pytest.raises(ValueError, match="bad numbers"):
        solve_within(built.lp, SolverOptions(time_limit_s=30), _fails)


def test_a_solver_process_that_dies_is_reported(built):
    import os
    import signal

    def dies(lp, options):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(SilkGridError, match="exit code -9"):
        solve_within(built.lp, SolverOptions(time_limit_s=30), dies)


def test_no_time_limit_runs_in_this_process(built):
    calls = []
    solve_within(built.lp, SolverOptions(), lambda lp, o: calls.append(os_pid()))
    assert calls == [os_pid()]


def os_pid() -> int:
    import os

    return os.getpid()
