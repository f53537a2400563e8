"""Window subproblems on a Dask cluster: the executor protocol (:class:`~silkgrid.solve.executor.Executor`)
over Dask actors, so one decomposed solve spreads its windows over the workers of several machines.

Each worker gets one actor holding a fixed share of the windows (round robin, as the local process
pool) in a :class:`~silkgrid.solve.executor.WindowSolver`: its HiGHS instances stay on that worker
between master iterations, so every re-solve starts from the previous basis, and only the master
point goes out and the window results (objective, gradient, slack) come back each iteration.
Used when ``solver.dask_scheduler`` names a scheduler (``tcp://HOST:PORT``), or with a
``distributed.Client`` given directly.
"""

from __future__ import annotations

import numpy as np

from silkgrid.core.errors import SilkGridError
from silkgrid.solve.executor import Executor, WindowResult, WindowSolver, make_executor
from silkgrid.solve.partition import WindowProblem

__all__ = ["DaskExecutor", "WindowActor", "choose_executor"]


def choose_executor(workers: int, scheduler: str | None = None) -> Executor:
    """The workers of the Dask scheduler at ``scheduler`` when given, else the local executor of
    ``workers`` processes (:func:`~silkgrid.solve.executor.make_executor`)."""
    return DaskExecutor(scheduler=scheduler) if scheduler else make_executor(workers)


class WindowActor:
    """A worker's share of the windows (a Dask actor: it lives on one worker for the whole solve)."""

    def __init__(self, problems: list[WindowProblem], threads: int | None = 1):
        self.solver = WindowSolver(problems, threads=threads)

    def solve(self, z: np.ndarray) -> list[WindowResult]:
        return self.solver.solve(z)

    def keep(self) -> None:
        self.solver.keep()

    def kept(self) -> list[WindowResult]:
        return self.solver.kept()


class DaskExecutor:
    """Windows on the workers of a Dask cluster (one actor per worker; see the module doc)."""

    def __init__(self, client=None, *, scheduler: str | None = None, workers: int | None = None):
        """``client``: a ``distributed.Client``; else one is connected to ``scheduler``.  ``workers``:
        use at most this many of the cluster's workers (default: all)."""
        if client is None:
            from distributed import Client  # noqa: PLC0415 - only a Dask solve needs it

            try:
                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise SilkGridError(f"cannot reach the Dask scheduler at {scheduler}: {exc}. Fix: start it "
                                    "('dask scheduler', then 'dask worker ADDRESS' on each machine) or correct "
                                    "the address (tcp://HOST:PORT)") from None
            self._own = True
        else:
            self._own = False
        self.client = client
        names = sorted(client.scheduler_info().get("workers", {}))
        if not names:
            raise SilkGridError(f"the Dask cluster at {client.scheduler.address} has no workers. Fix: start "
                                "workers with 'dask worker ADDRESS' (SilkGrid installed on each)")
        self._names = names[:workers] if workers else names
        self.workers = len(self._names)
        self._actors: list = []
        self._prepared: list = []

    def start(self, problems: list[WindowProblem], prepare: np.ndarray | None = None) -> None:
        n = min(self.workers, max(1, len(problems)))
        shares = [[problems[i] for i in range(k, len(problems), n)] for k in range(n)]
        futures = [self.client.submit(WindowActor, share, actor=True, workers=[w], allow_other_workers=False,
                                      pure=False) for share, w in zip(shares, self._names)]
        self._actors = [f.result() for f in futures]
        self._prepared = [a.solve(prepare) for a in self._actors] if prepare is not None else []

    def _ready(self) -> None:
        for f in self._prepared:
            f.result()
        self._prepared = []

    def evaluate(self, z: np.ndarray) -> list[WindowResult]:
        self._ready()
        calls = [a.solve(z) for a in self._actors]
        return sorted((r for c in calls for r in c.result()), key=lambda r: r.index)

    def keep(self) -> None:
        self._ready()
        for c in [a.keep() for a in self._actors]:
            c.result()

    def kept(self) -> list[WindowResult]:
        calls = [a.kept() for a in self._actors]
        return sorted((r for c in calls for r in c.result()), key=lambda r: r.index)

    def close(self) -> None:
        self._actors, self._prepared = [], []
        if self._own:
            self.client.close()
