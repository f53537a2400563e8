"""Sweeps on a real dask.distributed LocalCluster (2 worker processes, one thread each): results equal
the same runs made one by one; a lost worker, a killed sweep and a failing run lose nothing.

Worker processes re-import this module when they unpickle nothing from it; keep it free of
module-level side effects (the cluster lives in a fixture)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkgrid.cli import app
from silkgrid.workflows import RunSpec, run
from silkgrid.results.staging import output_lock
from silkgrid.workflows.catalog import Catalog, query
from silkgrid.workflows.sweep_run import RECORD_FILE, code_digest, run_key, run_sweep, sweep_status
from silkgrid.workflows.sweep_spec import load_sweep

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sweep-example.yaml"


def plan_of(*rates: float, resolution: str = "24h"):
    return load_sweep({"name": "t", "base": "example", "resolution": resolution,
                       "axes": [{"path": "discount_rate", "values": list(rates)}]})


def records(directory: Path) -> list[Path]:
    return sorted((directory / "runs").glob(f"*/{RECORD_FILE}"))


@pytest.fixture(scope="module")
def client():
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Port .* is already in use")  # another test's cluster
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=40)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture
def healthy(client):
    """The cluster with both workers up (a test before may have killed one: its nanny restarts it)."""
    client.wait_for_workers(2, timeout=60)
    return client


def test_sweep_equals_runs_made_one_by_one(healthy, tmp_path):
    plan = plan_of(0.03, 0.07, 0.11)
    outcome = run_sweep(plan, tmp_path, client=healthy)
    assert outcome.progress.done == 3 and outcome.progress.failed == 0 and len(outcome.ran) == 3
    rows = query(tmp_path, "SELECT key, point, status, objective_eur, axis_discount_rate FROM plan_runs "
                           "ORDER BY point")
    assert rows["point"].tolist() == [0, 1, 2]
    assert rows["key"].tolist() == outcome.keys and rows["key"].is_unique
    assert rows["axis_discount_rate"].tolist() == [0.03, 0.07, 0.11]
    assert set(rows["status"]) == {"optimal"}
    objectives = rows["objective_eur"].tolist()
    assert objectives[0] < objectives[1] < objectives[2]  # capital costs more at a higher rate
    for point, got in zip(plan.points, objectives):
        alone = run(RunSpec(scenario=point.scenario, solver={"workers": 1, **plan.spec.solver}, metrics=False))
        # the same LP (same scenario, same options: the key is its hash) and the same deterministic
        # solver: only the process differs, so the objective agrees to float rounding
        assert got == pytest.approx(alone.result.summary["objective_eur"], rel=1e-9)


def test_lost_worker_reruns_its_run(healthy, tmp_path):
    plan = plan_of(0.03, 0.04, 0.05, 0.06, 0.07, 0.08)
    pids = healthy.run(os.getpid)  # worker address -> pid
    assert len(pids) == 2
    killed: list[int] = []

    def kill_one_after_first_run() -> None:
        deadline = time.monotonic() + 60
        while not records(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        pid = next(iter(pids.values()))
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_one_after_first_run, daemon=True)
    killer.start()
    outcome = run_sweep(plan, tmp_path, client=healthy, retries=0)
    killer.join(5)
    assert killed, "no worker was killed"
    assert outcome.progress.failed == 0 and outcome.progress.done == 6
    rows = query(tmp_path, "SELECT key, status FROM runs")
    assert len(rows) == 6 and rows["key"].is_unique and set(rows["key"]) == set(outcome.keys)
    assert set(rows["status"]) == {"optimal"}
    assert len(records(tmp_path)) == 6
    assert killed[0] not in healthy.run(os.getpid).values()  # the process really died (a new one took over)


def test_killed_sweep_resumes_with_only_the_missing_runs(healthy, tmp_path):
    sweep_file = tmp_path / "s.yaml"
    sweep_file.write_text("name: resume\nbase: example\nresolution: 24h\n"
                          "axes:\n  - {path: discount_rate, values: [0.03, 0.05, 0.07, 0.09]}\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "silkgrid", "sweep", str(sweep_file), "--out", str(out),
                             "--workers", "1", "-q"], start_new_session=True, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not records(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its scheduler and its worker: a crash
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the sweep ended before it was killed"
    k = len(records(out))
    assert 1 <= k < 4
    # keys hash the code too, and this process computed its digest minutes ago: read the tree again,
    # as the sweep just killed did (a source edit in between would rightly rerun everything)
    code_digest.cache_clear()
    outcome = run_sweep(load_sweep(sweep_file), out, client=healthy)
    assert outcome.progress.skipped == k
    assert len(outcome.ran) == 4 - k and outcome.progress.done == 4 - k
    rows = query(out, "SELECT key, status FROM plan_runs")
    assert len(rows) == 4 and rows["key"].is_unique and set(rows["status"]) == {"optimal"}
    # a third call runs nothing
    again = run_sweep(load_sweep(sweep_file), out, client=healthy)
    assert again.ran == [] and again.progress.skipped == 4
    assert sweep_status(out) == {"directory": str(out), "planned": 4, "by_status": {"optimal": 4}, "not_run": 0}


def test_failing_run_is_recorded_and_the_rest_finish(healthy, tmp_path):
    sweep_file = tmp_path / "s.yaml"
    sweep_file.write_text("name: fail\nbase: example\nresolution: 24h\n"
                          "axes:\n  - {path: discount_rate, values: [0.04, 0.06, 0.08]}\n")
    plan = load_sweep(sweep_file)
    out = tmp_path / "out"
    # a real failure: another process (this one) holds the lock of point 1's result directory, so
    # the worker's run of it fails at once (OutputBusyError), as a second run into a busy path does
    bad = run_key(plan.scenarios[1], {"workers": 1, **plan.spec.solver})
    out.mkdir()
    Catalog(out).close()  # a sweep directory: the CLI writes into no other non-empty one (the lock's folder)
    with output_lock(out / "runs" / bad):
        res = CliRunner(env={"COLUMNS": "200"}).invoke(
            app, ["sweep", str(sweep_file), "--out", str(out), "--scheduler", healthy.scheduler.address, "-q",
                  "--retries", "0"])
    assert res.exit_code == 1, res.output
    assert "2 run" in res.output and "1 failed" in res.output
    rows = query(out, "SELECT key, point, status, error FROM plan_runs ORDER BY point")
    assert rows["point"].tolist() == [0, 1, 2]
    assert rows["status"].tolist() == ["optimal", "failed", "optimal"]
    assert rows["key"][1] == bad and "OutputWriteError: another SilkGrid run" in rows["error"][1]
    assert rows["error"].isna().tolist() == [True, False, True]
    assert sweep_status(out)["by_status"] == {"failed": 1, "optimal": 2}
    # a failed run is not finished: once the lock is free, running again runs only it
    again = run_sweep(plan, out, client=healthy)
    assert again.ran == [bad] and again.progress.skipped == 2
    assert sweep_status(out)["by_status"] == {"optimal": 3}


def test_example_sweep(healthy, tmp_path):
    plan = load_sweep(EXAMPLE)
    assert 4 <= len(plan.points) <= 8
    outcome = run_sweep(plan, tmp_path, client=healthy, sweep_text=EXAMPLE.read_text())
    assert outcome.progress.done == len(plan.points) and outcome.progress.failed == 0
    assert (tmp_path / "sweep.yaml").read_text() == EXAMPLE.read_text()
    rows = query(tmp_path, "SELECT r.axis_links_caspian_cable_capex_eur_per_mw_km AS f, "
                           "r.axis_policies_co2_price_eur_per_t AS co2, r.status, r.system_cost_eur, l.capacity_mw "
                           "FROM plan_runs r JOIN links l USING (key) WHERE l.link = 'caspian_cable' ORDER BY point")
    assert len(rows) == len(plan.points) and set(rows["status"]) == {"optimal"}
    for co2, grp in rows.groupby("co2"):
        grp = grp.sort_values("f")
        # a dearer cable never costs the system less, nor gets built bigger (1e-6: solver tolerance)
        assert grp["system_cost_eur"].is_monotonic_increasing, co2
        assert (grp["capacity_mw"].diff().dropna() <= 1e-6 * grp["capacity_mw"].max() + 1e-6).all(), co2
    rec = json.loads(next(iter(records(tmp_path))).read_text())
    assert rec["status"] == "optimal" and rec["code_digest"]
