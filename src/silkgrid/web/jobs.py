"""Server-side state of ``silkgrid serve``: the result registry and the background run queue.

Results are addressed by an opaque id from :class:`Registry`, never by a client-supplied path:
the registry only holds directories given on the command line or written by its own runs.
"""

from __future__ import annotations

import itertools
import json
import queue
import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.report.panels import scenario_note
from silkgrid.results import Result
from silkgrid.workflows import RunSpec, plan_verdict
from silkgrid.workflows import run as run_workflow

__all__ = ["Registry", "ResultEntry", "Job", "JobQueue"]


@dataclass
class ResultEntry:
    id: str
    path: Path
    label: str
    origin: str  # "given" or "run"
    _result: Result | None = field(default=None, repr=False)
    _summary: dict | None = field(default=None, repr=False)

    def data(self) -> Result:
        """The result (:meth:`Result.from_dir`), read once and cached (results directories do not change)."""
        if self._result is None:
            self._result = Result.from_dir(self.path)
        return self._result

    def summary(self) -> dict:
        """``data().summary``, computed once (the results list asks for it on every refresh)."""
        if self._summary is None:
            self._summary = self.data().summary
        return self._summary

    def scenario(self):
        """(the scenario the result solved or None, and where the cost data comes from or why
        there is none) for the cost and CBAM panels."""
        result = self.data()
        return result.scenario, scenario_note(result)


class Registry:
    """Result directories known to the server, by id (``r1``, ``r2``, ...)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, ResultEntry] = {}
        self._ids = itertools.count(1)

    def add(self, path: Path, *, label: str | None = None, origin: str = "given") -> ResultEntry:
        path = Path(path).resolve()
        if not (path / "summary.json").is_file():
            raise SilkGridError(f"'{path}' is not a SilkGrid results directory (no summary.json)")
        with self._lock:
            rid = f"r{next(self._ids)}"
            entry = ResultEntry(rid, path, label or path.name, origin)
            self._items[rid] = entry
        return entry

    def get(self, rid: str) -> ResultEntry | None:
        with self._lock:
            return self._items.get(rid)

    def all(self) -> list[ResultEntry]:
        with self._lock:
            return list(self._items.values())


@dataclass
class Job:
    id: str
    knobs: dict
    label: str
    scenario: Any = field(repr=False, default=None)
    spec: dict = field(repr=False, default_factory=dict)
    """The scenario dict that was validated (written to ``web_run.json`` for reproducibility)."""
    state: str = "queued"  # queued | running | done | failed
    verdict: str = ""
    """What the plan is: "optimal", or "feasible plan (...), proven within G of the optimum"."""
    stage: str = ""
    error: str = ""
    result_id: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "label": self.label, "state": self.state, "stage": self.stage,
                "error": self.error, "verdict": self.verdict, "result_id": self.result_id,
                "knobs": self.knobs}


_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


class JobQueue:
    """Runs queued scenarios one after another in a single daemon worker thread.

    Each run goes through :func:`silkgrid.workflows.run` like a CLI run (result directory plus
    corridor metrics) into ``runs_dir/<job id>-<label>``; a run with a plan (optimal, or
    feasible with its proven gap) is added to the registry, labelled as such.
    """

    def __init__(self, registry: Registry, runs_dir: Path, *, max_jobs: int = 200) -> None:
        self.registry = registry
        self.runs_dir = Path(runs_dir)
        self.max_jobs = max_jobs
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="silkgrid-web-worker", daemon=True)
        self._thread.start()

    def submit(self, scenario, knobs: dict, label: str, spec: dict | None = None) -> Job:
        with self._lock:
            pending = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if pending >= 20:
                raise OverflowError("20 runs are already waiting; wait for some to finish")
            if len(self._jobs) >= self.max_jobs:  # forget the oldest finished jobs
                for jid in [j.id for j in self._jobs.values() if j.state in ("done", "failed")][:50]:
                    self._jobs.pop(jid)
            job = Job(f"j{next(self._ids)}", knobs, label, scenario, spec or {})
            self._jobs[job.id] = job
        self._queue.put(job)
        return job

    def get(self, jid: str) -> Job | None:
        with self._lock:
            return self._jobs.get(jid)

    def all(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def stop(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._run(job)
            except Exception as exc:  # noqa: BLE001 - shown to the user on the page
                job.state = "failed"
                job.error = exc.message if isinstance(exc, ScenarioError) else f"{type(exc).__name__}: {exc}"
                job.stage = "failed"
                if not isinstance(exc, ScenarioError):
                    traceback.print_exc()
            finally:
                job.finished = time.time()
                job.scenario = None  # free the memory

    def _run(self, job: Job) -> None:
        """One run through :func:`silkgrid.workflows.run`, the CLI's workflow and plan-acceptance rule."""
        job.state = "running"
        out = self.runs_dir / f"{job.id}-{_SLUG.sub('_', job.label)[:60]}"
        # web_run.json goes into the staged directory: the result appears complete or not at all
        record = json.dumps({"knobs": job.knobs, "scenario": job.spec}, indent=1, default=str) + "\n"
        spec = RunSpec(scenario=job.spec, out=str(out), extra_files={"web_run.json": record})
        outcome = run_workflow(spec, scenario=job.scenario, progress=lambda stage: setattr(job, "stage", stage))
        written = outcome.directory
        accepted, job.verdict = plan_verdict(outcome.result)
        if not accepted:
            job.state = "failed"
            job.error = job.verdict
            return
        entry = self.registry.add(written, label=f"{job.id}: {job.label}", origin="run")
        job.result_id = entry.id
        job.stage = "done"
        job.state = "done"
