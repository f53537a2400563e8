"""Benders windows on a Dask cluster (issue #18, item 5): the executor protocol over Dask actors.

A real ``distributed.LocalCluster`` (2 worker processes) solves the windows of the packaged example's
decomposed solve; the result must be the one the local process pool gives.
"""

from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed")

import dask  # noqa: E402

import silkgrid  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with dask.config.set({"distributed.worker.daemon": False}):
        cl = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=40)
    yield cl
    cl.close()


def test_windows_on_a_dask_cluster_give_the_local_result(cluster):
    """Same windows, same HiGHS, same master: the Benders iterations are the same sequence whichever
    process solves a window, so the objective and the iteration count agree exactly (1e-12 relative
    leaves room only for the order of a floating-point sum)."""
    sc = load_scenario("example")
    opts = {"method": "decomposed", "window_hours": 168}
    on_dask = silkgrid.solve(sc, options={**opts, "dask_scheduler": cluster.scheduler_address})
    local = silkgrid.solve(sc, options={**opts, "workers": 2})
    assert on_dask.optimal and local.optimal
    assert on_dask.objective == pytest.approx(local.objective, rel=1e-12)
    d, loc = on_dask.summary["solver"]["decomposition"], local.summary["solver"]["decomposition"]
    assert d["workers"] == 2 and d["iterations"] == loc["iterations"]
    assert on_dask.summary["solver"]["gap"] <= 1e-3


def test_a_dask_executor_spreads_windows_over_the_workers(cluster):
    """One actor per worker, each holding a round-robin share of the windows (the example's year in
    weekly windows: 53, split 27 + 26); results come back in window order."""
    import numpy as np

    from silkgrid.model.build import build_model
    from silkgrid.solve.dask_executor import DaskExecutor
    from silkgrid.solve.decomposed import decomposition_lp
    from silkgrid.solve.partition import partition, window_ids

    sc = load_scenario("example")
    built = build_model(sc)
    w = window_ids(built.arrays.snapshots.first_hour, 168)
    part = partition(decomposition_lp(built, w), w)
    assert len(part.windows) == 53
    with distributed.Client(cluster) as client:
        ex = DaskExecutor(client)
        ex.start(part.windows)
        try:
            held = client.run(lambda dask_worker: sorted(len(a.solver.problems)
                                                         for a in dask_worker.state.actors.values()))
            assert sorted(n for v in held.values() for n in v) == [26, 27]
            res = ex.evaluate(np.zeros(part.n_z))  # no new capacity: existing plant and unserved energy
            assert [r.index for r in res] == list(range(53))
            assert all(r.optimal and np.isfinite(r.objective) for r in res)
        finally:
            ex.close()
