"""Run a sweep on Dask: content-addressed, resumable runs into one directory and its catalog.

``DIR/sweep.yaml`` (the sweep as given), ``DIR/runs/KEY/`` (one ordinary result directory per run,
written complete-or-absent by :func:`silkgrid.workflows.run`, plus ``sweep_record.json``: what the
catalog holds of it) and ``DIR/catalog.duckdb`` (:mod:`silkgrid.workflows.catalog`).

A run's KEY is a content hash of what determines its result: the resolved scenario (every number,
every hourly profile: so the data and the weather are in it), the solve options, SilkGrid's version
and a digest of its source code, and the sweep's seed for sampled points.  The same point in two
sweeps, or after a restart, has the same key; a run whose ``sweep_record.json`` exists is finished
and is not run again, so a sweep stopped by Ctrl-C, a crash or a lost worker resumes where it stopped
with the same command.  Each run is one Dask task keyed by its KEY: the scheduler reruns it
elsewhere when its worker dies, ``retries`` more times when it raises, and a run that still fails
is recorded as ``failed`` with its error while the sweep goes on.

Default cluster: an embedded ``LocalCluster`` (worker processes, one thread each, as many as
cores); ``scheduler``: the address of an existing one (its workers need SilkGrid installed and the
output directory on a shared file system).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from silkgrid.core.files import write_text_atomic
from silkgrid.core.jsonsafe import clean
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.serialise import to_plain
from silkgrid.solve.api import resolve_options
from silkgrid.workflows.catalog import Catalog
from silkgrid.workflows.sweep_spec import SweepPlan

__all__ = ["SweepOutcome", "SweepProgress", "code_digest", "run_key", "run_point", "run_sweep", "sweep_status",
           "RECORD_FILE"]

RECORD_FILE = "sweep_record.json"
#: Corridor links whose sizes the catalog has as columns (ids of the ``corridor`` data set).
_DECISION_LINKS = {"caspian_mw": "caspian_hvdc", "black_sea_mw": "black_sea_hvdc"}


#: The layers whose code decides a run's numbers (report, workflows, web and cli only present them).
_RESULT_LAYERS = ("core", "profiles", "data", "scenario", "model", "solve", "results", "analysis")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 (16 hex digits) of the sources and packaged data of the layers that decide a run's
    numbers (:data:`_RESULT_LAYERS`): a change there gives new run keys."""
    root = Path(str(resources.files("silkgrid")))
    h = hashlib.sha256()
    files = [p for layer in _RESULT_LAYERS for p in (root / layer).rglob("*")]
    for p in sorted(files):
        if p.suffix in (".py", ".csv", ".yaml", ".json", ".geojson") and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def run_key(sc: Scenario, solver: dict[str, Any], seed: int | None = None) -> str:
    """Content hash (20 hex digits) of a run: the resolved scenario with its profiles, the resolved
    solve options, SilkGrid's version and code digest, and ``seed`` (sampled points)."""
    from silkgrid import __version__  # noqa: PLC0415 - the package root imports the workflows

    plain, profiles = to_plain(sc)
    plain.pop("name", None)  # a label, not an input
    plain.pop("description", None)
    h = hashlib.sha256()
    opts = resolve_options(sc, solver).model_dump(mode="json")
    head = {"scenario": plain, "solver": opts, "version": __version__, "code": code_digest(), "seed": seed}
    h.update(json.dumps(clean(head), sort_keys=True, default=str).encode())
    for k in sorted(profiles):
        h.update(k.encode())
        h.update(np.ascontiguousarray(profiles[k], dtype=float).tobytes())
    return h.hexdigest()[:20]


def _record(outcome, key: str, point: int, values: dict, seconds: float, path: Path) -> dict[str, Any]:
    """What the catalog keeps of a finished run."""
    from silkgrid import __version__  # noqa: PLC0415

    r = outcome.result
    s = r.summary
    solver = s.get("solver") or {}
    links = r.tables.get("links")
    m = outcome.answers or {}
    eu = (m.get("eu_deliveries") or {}).get("delivered_twh")
    dc = (m.get("delivered_cost") or {}).get("delivered_cost_eur_per_mwh")
    cbam = (m.get("cbam") or {}).get("matched_share")
    caps = {} if links is None else {str(i): (float(t), float(n)) for i, t, n in
                                     zip(links["id"], links["total_mw"], links["new_mw"])}
    rec = {"key": key, "point": point, "values": values, "status": s.get("status"), "accepted": outcome.accepted,
           "error": None if outcome.accepted else s.get("message"), "objective_eur": s.get("objective_eur"),
           "gap": solver.get("gap"), "seconds": seconds, "solve_seconds": solver.get("solve_seconds"),
           "finished": time.strftime("%Y-%m-%d %H:%M:%S"), "worker": socket.gethostname() + f":{os.getpid()}",
           "silkgrid_version": __version__, "code_digest": code_digest(), "path": str(path),
           "system_cost_eur": s.get("total_cost_eur"), "emissions_t": s.get("emissions_t"),
           "eu_delivered_twh": eu, "delivered_cost_eur_per_mwh": dc, "cbam_matched_share": cbam,
           "unserved_energy_mwh": s.get("unserved_energy_mwh"), "links": caps}
    for col, link in _DECISION_LINKS.items():
        rec[col] = caps[link][0] if link in caps else None
    return clean(rec)


def run_point(task: dict[str, Any]) -> dict[str, Any]:
    """Run one sweep point (on a Dask worker): solve, write ``task['out']`` and its record; return
    the record.  ``task``: key, point, values, scenario (a scenario dict), solver, out."""
    from silkgrid.workflows.run import RunSpec, run  # noqa: PLC0415 - the worker imports it once

    t0 = time.perf_counter()
    out = Path(task["out"])
    outcome = run(RunSpec(scenario=task["scenario"], out=str(out), solver=task["solver"], metrics=True))
    rec = _record(outcome, task["key"], task["point"], task["values"], time.perf_counter() - t0, out)
    write_text_atomic(out / RECORD_FILE, json.dumps(rec, indent=1) + "\n")
    return rec


@dataclass
class SweepProgress:
    """Counts while a sweep runs (passed to the progress hook after each change)."""

    total: int
    skipped: int = 0
    done: int = 0
    failed: int = 0
    running: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def finished(self) -> int:
        return self.skipped + self.done + self.failed

    def eta_s(self) -> float | None:
        """Seconds left at the pace of the runs made so far (None before the first)."""
        made = self.done + self.failed
        if not made:
            return None
        left = self.total - self.finished
        return (time.perf_counter() - self.started) / made * left


@dataclass
class SweepOutcome:
    directory: Path
    progress: SweepProgress
    keys: list[str]
    """The run key of every point (in point order)."""
    ran: list[str]
    """Keys run by this call (finished or failed), in the order they ended."""


def _failure(task: dict, exc: BaseException) -> dict[str, Any]:
    return clean({"key": task["key"], "point": task["point"], "values": task["values"], "status": "failed",
                  "accepted": False, "error": f"{type(exc).__name__}: {exc}"[:2000], "path": task["out"],
                  "finished": time.strftime("%Y-%m-%d %H:%M:%S"), "code_digest": code_digest()})


def _tasks(plan: SweepPlan, out: Path) -> list[dict[str, Any]]:
    solver = {"workers": 1, **plan.spec.solver}  # the sweep's parallelism is one run per worker
    tasks = []
    for p, sc in zip(plan.points, plan.scenarios):
        key = run_key(sc, solver, plan.spec.seed if p.sampled else None)
        tasks.append({"key": key, "point": p.index, "values": p.values, "scenario": p.scenario, "solver": solver,
                      "out": str(out / "runs" / key)})
    return tasks


@contextlib.contextmanager
def _client(workers: int | None, scheduler: str | None):
    from distributed import Client, LocalCluster  # noqa: PLC0415 - only sweeps need Dask
    import dask  # noqa: PLC0415

    if scheduler:
        client = Client(scheduler, timeout="20s")
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    # worker processes that may start processes of their own (a decomposed solve's window pool)
    with dask.config.set({"distributed.worker.daemon": False, "distributed.logging.distributed": "error"}), \
            warnings.catch_warnings():
        # no dashboard; the scheduler's HTTP routes take another port when 8787 is taken (say nothing)
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=40)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def run_sweep(plan: SweepPlan, out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
              client=None, retries: int = 1, sweep_text: str | None = None,
              progress: Callable[[SweepProgress], None] | None = None) -> SweepOutcome:
    """Run every point of ``plan`` not yet finished in ``out`` (see the module doc) and return the
    counts.  ``client``: a ``distributed.Client`` to use (else one is made: ``scheduler`` or a local
    cluster of ``workers`` processes).  ``sweep_text``: the sweep file's text, kept as
    ``DIR/sweep.yaml``."""
    out = Path(out).expanduser().resolve()
    (out / "runs").mkdir(parents=True, exist_ok=True)
    if sweep_text is not None:
        write_text_atomic(out / "sweep.yaml", sweep_text)
    tasks = _tasks(plan, out)
    first = plan.points[0].values if plan.points else {}
    cat = Catalog(out, axes={p: first.get(p) for p in plan.axis_paths})
    state = SweepProgress(total=len(tasks))
    todo = []
    try:
        cat.plan([(t["key"], t["point"], t["values"]) for t in tasks])
        have = cat.keys("finished")
        for t in tasks:
            rec_file = Path(t["out"]) / RECORD_FILE
            if rec_file.is_file():
                if t["key"] not in have:  # finished after the catalog last saw it (e.g. killed client)
                    cat.record(json.loads(rec_file.read_text()))
                state.skipped += 1
            else:
                todo.append(t)
        ran: list[str] = []
        if progress:
            progress(state)
        if todo:
            ran = _execute(todo, cat, state, progress, client, workers, scheduler, retries)
    finally:
        cat.close()
    return SweepOutcome(directory=out, progress=state, keys=[t["key"] for t in tasks], ran=ran)


def _execute(todo, cat: Catalog, state: SweepProgress, progress, client, workers, scheduler, retries) -> list[str]:
    from distributed import as_completed  # noqa: PLC0415

    ran: list[str] = []
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(_client(workers, scheduler))
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        by_key = {t["key"]: t for t in todo}
        futures = [client.submit(run_point, t, key=f"silkgrid-run-{t['key']}", retries=retries, pure=False)
                   for t in todo]
        state.running = min(n_workers, len(futures))
        if progress:
            progress(state)
        try:
            for fut in as_completed(futures):
                task = by_key[fut.key.removeprefix("silkgrid-run-")]
                try:
                    rec = fut.result()
                    state.done += 1
                except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the sweep goes on
                    rec = _failure(task, exc)
                    state.failed += 1
                cat.record(rec)
                ran.append(task["key"])
                state.running = min(n_workers, len(todo) - len(ran))
                if progress:
                    progress(state)
        except BaseException:
            client.cancel(futures)
            raise
    return ran


def sweep_status(directory: str | Path) -> dict[str, Any]:
    """Counts of a sweep directory's runs by status, and the points still to run."""
    from silkgrid.workflows.catalog import query  # noqa: PLC0415

    d = Path(directory)
    by = query(d, "SELECT status, count(*) AS n FROM runs WHERE key IN (SELECT key FROM planned) "
                  "GROUP BY status ORDER BY status")
    planned = int(query(d, "SELECT count(*) AS n FROM planned")["n"].iloc[0])
    counts = {str(k): int(v) for k, v in zip(by["status"], by["n"])}
    missing = planned - sum(counts.values())
    return {"directory": str(d), "planned": planned, "by_status": counts, "not_run": missing}
