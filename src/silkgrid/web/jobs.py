"""Server-side state of ``silkgrid serve``: the result registry and the background run queue.

Results are addressed by an opaque id from :class:`Registry`, never by a client-supplied path:
the registry only holds directories given on the command line or written by its own runs.
"""

from __future__ import annotations

import itertools
import json
import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkgrid.core.files import write_text_atomic
from silkgrid.core.errors import SilkGridError
from silkgrid.report.trade_panels import scenario_note
from silkgrid.results import Result
from silkgrid.solve.eta import GapTrend
from silkgrid.web.runner import run_in_child
from silkgrid.workflows import PathwayRunSpec, RunSpec

__all__ = ["Registry", "ResultEntry", "PathwayEntry", "SweepEntry", "Job", "JobQueue", "FINAL"]

_log = logging.getLogger(__name__)


@dataclass
class ResultEntry:
    id: str
    path: Path
    label: str
    origin: str  # "given" or "run"
    _result: Result | None = field(default=None, repr=False)
    _summary: dict | None = field(default=None, repr=False)
    #: Rendered HTML of the result page's sections (:mod:`silkgrid.web.views`), filled once.
    sections: dict[str, str] = field(default_factory=dict, repr=False)
    render_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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


@dataclass
class PathwayEntry:
    """A pathway directory (``pathway.json``); each solved ``period-YYYY`` is also a result entry."""

    id: str
    path: Path
    label: str
    origin: str
    summary: dict
    period_ids: dict[int, str]
    """``{period: result id}`` of the periods registered as results."""
    page: str = field(default="", repr=False)
    """Rendered HTML of the pathway page, filled once (:mod:`silkgrid.web.pathway_views`)."""
    render_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


@dataclass
class SweepEntry:
    """A sweep directory (``catalog.duckdb``); its finished runs become result entries when first
    opened (:mod:`silkgrid.web.sweep_views`)."""

    id: str
    path: Path
    label: str
    origin: str
    run_ids: dict[str, str] = field(default_factory=dict)
    """``{run key: result id}`` of the runs registered as results so far."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class Registry:
    """Result directories known to the server, by id (``r1``, ``r2``, ...); pathways ``p1``, ``p2``, ...;
    sweeps ``s1``, ``s2``, ..."""

    def __init__(self, on_add=None) -> None:
        """``on_add(entry)`` is called after each :meth:`add` (the dashboard renders the new result's
        page in the background, so that its first view is fast)."""
        self._lock = threading.Lock()
        self._items: dict[str, ResultEntry] = {}
        self._pathways: dict[str, PathwayEntry] = {}
        self._ids = itertools.count(1)
        self._pathway_ids = itertools.count(1)
        self._sweeps: dict[str, SweepEntry] = {}
        self._sweep_ids = itertools.count(1)
        self.on_add = on_add

    def add(self, path: Path, *, label: str | None = None, origin: str = "given") -> ResultEntry:
        path = Path(path).resolve()
        if not (path / "summary.json").is_file():
            raise SilkGridError(f"'{path}' is not a SilkGrid results directory (no summary.json)")
        with self._lock:
            rid = f"r{next(self._ids)}"
            entry = ResultEntry(rid, path, label or path.name, origin)
            self._items[rid] = entry
        if self.on_add is not None:
            self.on_add(entry)
        return entry

    def get(self, rid: str) -> ResultEntry | None:
        with self._lock:
            return self._items.get(rid)

    def add_pathway(self, path: Path, *, label: str | None = None, origin: str = "given") -> PathwayEntry:
        """Register a pathway directory and each of its solved periods (``period-YYYY`` with a
        ``summary.json``) as a result labelled ``<label> YYYY``, so result view, downloads and
        compare work on it.  Raises :class:`SilkGridError` for a directory without ``pathway.json``."""
        path = Path(path).resolve()
        try:
            summary = json.loads((path / "pathway.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SilkGridError(f"'{path}' is not a readable SilkGrid pathway directory (pathway.json: {exc})") from None
        if not isinstance(summary, dict):
            raise SilkGridError(f"'{path / 'pathway.json'}' is not a JSON object")
        label = label or path.name
        periods = {}
        for year in summary.get("periods") or []:
            pdir = path / f"period-{int(year)}"
            if (pdir / "summary.json").is_file():
                periods[int(year)] = self.add(pdir, label=f"{label} {int(year)}", origin="pathway").id
        with self._lock:
            pid = f"p{next(self._pathway_ids)}"
            entry = PathwayEntry(pid, path, label, origin, summary, periods)
            self._pathways[pid] = entry
        return entry

    def get_pathway(self, pid: str) -> PathwayEntry | None:
        with self._lock:
            return self._pathways.get(pid)

    def pathways(self) -> list[PathwayEntry]:
        with self._lock:
            return list(self._pathways.values())

    def add_sweep(self, path: Path, *, label: str | None = None, origin: str = "given") -> SweepEntry:
        """Register a sweep directory (one with ``catalog.duckdb``); its runs are added lazily."""
        path = Path(path).resolve()
        if not (path / "catalog.duckdb").is_file():
            raise SilkGridError(f"'{path}' is not a SilkGrid sweep directory (no catalog.duckdb)")
        with self._lock:
            sid = f"s{next(self._sweep_ids)}"
            entry = SweepEntry(sid, path, label or path.name, origin)
            self._sweeps[sid] = entry
        return entry

    def get_sweep(self, sid: str) -> SweepEntry | None:
        with self._lock:
            return self._sweeps.get(sid)

    def sweeps(self) -> list[SweepEntry]:
        with self._lock:
            return list(self._sweeps.values())

    def add_any(self, path: Path, **kw) -> ResultEntry | PathwayEntry | SweepEntry:
        """:meth:`add_pathway` for a directory with ``pathway.json``, :meth:`add_sweep` for one with
        ``catalog.duckdb``, else :meth:`add`."""
        if (Path(path) / "catalog.duckdb").is_file():
            return self.add_sweep(path, **kw)
        return self.add_pathway(path, **kw) if (Path(path) / "pathway.json").is_file() else self.add(path, **kw)

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
    kind: str = "scenario"
    """"scenario" or "pathway" (then ``pathway`` is a packaged name or a pathway dict)."""
    pathway: Any = field(repr=False, default=None)
    pathway_id: str | None = None
    state: str = "queued"
    """queued | running | done | failed | cancelled | timed_out | interrupted (see :data:`FINAL`)."""
    verdict: str = ""
    """What the plan is: "optimal", or "feasible plan (...), proven within G of the optimum"."""
    stage: str = ""
    error: str = ""
    result_id: str | None = None
    result_dir: str = ""
    """Name of the run's results directory inside ``runs_dir`` (empty until done)."""
    time_limit_s: float | None = None
    """Wall-clock limit of this run, s (the solver's ``time_limit_s``; the process is killed later)."""
    iteration: int | None = None
    gap: float | None = None
    """Relative optimality gap of the last decomposition iteration (a fraction), if any."""
    lower_bound: float | None = None
    upper_bound: float | None = None
    """Proven bounds of the last decomposition iteration, EUR/yr (of the optimised part)."""
    eta_s: float | None = None
    """Estimated seconds left of the solve (:class:`~silkgrid.solve.eta.GapTrend`), None: no estimate."""
    trend: Any = field(default=None, repr=False)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel_requested: bool = field(default=False, repr=False)

    @property
    def elapsed_s(self) -> float | None:
        """Seconds the run has been running (or ran), None while queued."""
        if self.started is None:
            return None
        return round((self.finished or time.time()) - self.started, 2)

    def record(self) -> dict:
        """The persistent fields (``jobs.json``)."""
        return {"id": self.id, "kind": self.kind, "label": self.label, "knobs": self.knobs, "state": self.state,
                "stage": self.stage, "verdict": self.verdict, "error": self.error,
                "result_dir": self.result_dir, "time_limit_s": self.time_limit_s,
                "iteration": self.iteration, "gap": self.gap, "lower_bound": self.lower_bound,
                "upper_bound": self.upper_bound, "eta_s": self.eta_s, "created": self.created,
                "started": self.started, "finished": self.finished}

    def as_json(self) -> dict:
        return {**self.record(), "result_id": self.result_id, "pathway_id": self.pathway_id,
                "elapsed_s": self.elapsed_s,
                "cancelling": self.cancel_requested and self.state not in FINAL}


#: States a job does not leave.
FINAL = ("done", "failed", "cancelled", "timed_out", "interrupted")
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")
_CTX = multiprocessing.get_context("forkserver")
_CTX.set_forkserver_preload(["silkgrid.web.runner"])  # heavy imports once, not per run


class JobQueue:
    """Runs queued scenarios one after another, each in its own child process.

    A daemon worker thread takes the next job and starts :func:`silkgrid.web.runner.run_in_child`
    in a fresh process (forkserver context) with the solver's ``time_limit_s`` set and its
    address space capped at ``memory_gib`` GiB.  The thread follows the child's stage and gap
    messages, and kills it on :meth:`cancel` (state "cancelled") or when it outlives its limit
    by ``grace_s`` seconds (state "timed_out").  Results go to ``runs_dir/<job id>-<label>``; a
    run with a plan is added to the registry.  Job records are kept in ``runs_dir/jobs.json``
    (replaced atomically on every state change) and reloaded by the next server on the same
    ``runs_dir``: runs that were queued or running then come back as "interrupted".
    """

    def __init__(self, registry: Registry, runs_dir: Path, *, max_jobs: int = 200,
                 time_limit_s: float = 900.0, grace_s: float = 30.0, memory_gib: float | None = 8.0) -> None:
        if time_limit_s <= 0 or grace_s < 0 or (memory_gib is not None and memory_gib <= 0):
            raise SilkGridError("run limits must be positive: time_limit_s > 0 s, grace_s >= 0 s, "
                                "memory_gib > 0 GiB (or None for no memory cap)")
        self.registry = registry
        self.runs_dir = Path(runs_dir).resolve()
        self.max_jobs = max_jobs
        self.time_limit_s, self.grace_s, self.memory_gib = float(time_limit_s), float(grace_s), memory_gib
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        self._proc = None
        self._stopping = False
        self._load()
        start = max((int(j[1:]) for j in self._jobs if j[1:].isdigit()), default=0) + 1
        self._ids = itertools.count(start)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="silkgrid-web-worker", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ public API
    def submit(self, scenario, knobs: dict, label: str, spec: dict | None = None, *,
               time_limit_s: float | None = None, pathway=None) -> Job:
        """Queue a run; ``time_limit_s`` (s) may only lower the server's limit.  With ``pathway`` (a
        packaged pathway name or a validated pathway dict; ``scenario`` None) the run is a pathway
        (:func:`silkgrid.workflows.run_pathway`; ``knobs`` may give ``resolution`` and ``foresight``)."""
        if time_limit_s is not None and not time_limit_s > 0:
            raise SilkGridError(f"time_limit_s {time_limit_s}: give a positive number of seconds")
        limit = self.time_limit_s if time_limit_s is None else min(float(time_limit_s), self.time_limit_s)
        with self._lock:
            pending = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if pending >= 20:
                raise OverflowError("20 runs are already waiting; wait for some to finish")
            if len(self._jobs) >= self.max_jobs:  # forget the oldest finished jobs
                for jid in [j.id for j in self._jobs.values() if j.state in FINAL][:50]:
                    self._jobs.pop(jid)
            job = Job(f"j{next(self._ids)}", knobs, label, scenario, spec or {}, time_limit_s=limit,
                      kind="scenario" if pathway is None else "pathway", pathway=pathway)
            self._jobs[job.id] = job
        self._save()
        self._queue.put(job)
        return job

    def get(self, jid: str) -> Job | None:
        with self._lock:
            return self._jobs.get(jid)

    def all(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def cancel(self, jid: str) -> Job | None:
        """Cancel a queued or running job (a running one's process is killed); None if unknown.

        A job that already ended is returned unchanged."""
        with self._lock:
            job = self._jobs.get(jid)
            if job is None or job.state in FINAL:
                return job
            job.cancel_requested = True
            if job.state == "queued":
                self._finish(job, "cancelled", "cancelled before it started")
        if job.state == "cancelled":
            self._save()
        return job

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker; a running child is killed and its job marked "interrupted"."""
        self._stopping = True
        self._queue.put(None)
        proc = self._proc
        if proc is not None and proc.is_alive():
            _kill(proc)
        self._thread.join(timeout)

    # ------------------------------------------------------------------ persistence
    @property
    def store(self) -> Path:
        return self.runs_dir / "jobs.json"

    def _save(self) -> None:
        """Write all job records to ``jobs.json`` atomically (temp file in the same folder + rename)."""
        with self._lock:
            records = [j.record() for j in self._jobs.values()]
        text = json.dumps({"version": 1, "jobs": records}, indent=1, default=str) + "\n"
        with self._save_lock:
            try:
                self.runs_dir.mkdir(parents=True, exist_ok=True)
                write_text_atomic(self.store, text, fsync=True)
            except OSError as exc:  # the runs still work; the list is lost at restart
                _log.warning("could not write %s: %s", self.store, exc)

    def _load(self) -> None:
        """Reload ``jobs.json``: unfinished jobs become "interrupted", done ones relink their result."""
        if not self.store.is_file():
            return
        try:
            records = json.loads(self.store.read_text(encoding="utf-8"))["jobs"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.warning("ignoring unreadable %s: %s", self.store, exc)
            return
        names = set(Job.__dataclass_fields__) - {"scenario", "spec", "result_id", "pathway", "pathway_id",
                                                 "cancel_requested"}
        for rec in records:
            try:
                job = Job(**{k: v for k, v in rec.items() if k in names})
            except TypeError:
                continue
            if job.state not in FINAL:
                job.state, job.stage = "interrupted", "interrupted"
                job.error = "the server stopped before this run finished; start it again"
                job.finished = job.finished or time.time()
            elif job.state == "done" and job.result_dir and Path(job.result_dir).name == job.result_dir:
                try:
                    self._register(job, self.runs_dir / job.result_dir)
                except SilkGridError:
                    job.error = f"its results directory '{job.result_dir}' is gone"
            self._jobs[job.id] = job
        self._save()

    # ------------------------------------------------------------------ worker
    def _finish(self, job: Job, state: str, error: str = "") -> None:
        job.state, job.stage = state, state
        if error:
            job.error = error
        job.finished = time.time()
        job.scenario = None  # free the memory

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if job.state in FINAL:  # cancelled while queued
                continue
            try:
                self._run(job)
            except Exception as exc:  # noqa: BLE001 - shown to the user on the page
                traceback.print_exc()
                self._finish(job, "failed", f"{type(exc).__name__}: {exc}")
            finally:
                self._proc = None
                job.scenario = None
                self._save()

    def _register(self, job: Job, directory: Path) -> None:
        """Add a finished run's directory to the registry (a pathway with its periods)."""
        entry = self.registry.add_any(directory, label=f"{job.id}: {job.label}", origin="run")
        if isinstance(entry, PathwayEntry):
            job.pathway_id = entry.id
        else:
            job.result_id = entry.id

    def _run(self, job: Job) -> None:
        """One run in a child process; follows its messages until it ends, is cancelled or times out."""
        out = self.runs_dir / f"{job.id}-{_SLUG.sub('_', job.label)[:60]}"
        if job.kind == "pathway":
            spec = PathwayRunSpec(pathway=job.pathway, out=str(out), resolution=job.knobs.get("resolution"),
                                  foresight=job.knobs.get("foresight"), solver={"time_limit_s": job.time_limit_s})
        else:  # web_run.json goes into the staged directory: the result appears complete or not at all
            record = json.dumps({"knobs": job.knobs, "scenario": job.spec, "time_limit_s": job.time_limit_s},
                                indent=1, default=str) + "\n"
            spec = RunSpec(scenario=job.spec, out=str(out), solver={"time_limit_s": job.time_limit_s},
                           extra_files={"web_run.json": record})
        max_bytes = int(self.memory_gib * 2**30) if self.memory_gib else None
        recv, send = _CTX.Pipe(duplex=False)
        proc = _CTX.Process(target=run_in_child, args=(spec, job.scenario, send, max_bytes, os.getpid()),
                            name=f"silkgrid-run-{job.id}", daemon=True)
        job.state, job.stage, job.started = "running", "starting", time.time()
        self._save()
        proc.start()
        self._proc = proc
        send.close()  # the child holds the writing end now
        deadline = time.monotonic() + job.time_limit_s + self.grace_s
        final = None
        try:
            while final is None:
                if recv.poll(0.1):
                    try:
                        final = self._message(job, recv.recv())
                        continue
                    except (EOFError, OSError):  # the child ended without a final word
                        if not (job.cancel_requested or self._stopping):
                            break  # (a killed child: cancelled or interrupted below)
                if job.cancel_requested or self._stopping:
                    _kill(proc)
                    if self._stopping:
                        self._finish(job, "interrupted", "the server stopped before this run finished; "
                                                         "start it again")
                    else:
                        self._finish(job, "cancelled", "cancelled while running")
                    return
                if time.monotonic() > deadline:
                    _kill(proc)
                    self._finish(job, "timed_out", f"the run took longer than its time limit of "
                                                   f"{job.time_limit_s:g} s (plus {self.grace_s:g} s grace) "
                                                   "and was stopped; no result was written")
                    return
                if not proc.is_alive() and not recv.poll(0):
                    break
        finally:
            recv.close()
        proc.join(5)
        if final is None:
            code = proc.exitcode
            self._finish(job, "failed", f"the run process ended without a result (exit code {code}); "
                                        f"it may have run out of memory (limit {self.memory_gib} GiB)")
            return
        kind, payload = final
        if kind == "error":
            self._finish(job, "failed", str(payload))
            return
        job.verdict = payload["verdict"]
        if not payload["accepted"]:
            self._finish(job, "timed_out" if payload["time_limited"] else "failed", job.verdict)
            return
        self._register(job, Path(payload["directory"]))
        job.result_dir = Path(payload["directory"]).name
        self._finish(job, "done")

    @staticmethod
    def _message(job: Job, msg) -> tuple | None:
        """Apply one child message to ``job``; return it if it is the final one."""
        kind, payload = msg
        if kind == "stage":
            job.stage = str(payload)
        elif kind == "iteration":
            job.iteration, job.gap = payload.get("iteration"), payload.get("gap")
            job.lower_bound, job.upper_bound = payload.get("lower_eur"), payload.get("upper_eur")
            if job.trend is None:
                job.trend = GapTrend(time_limit_s=job.time_limit_s)
            job.trend.add(payload.get("seconds", float("nan")), job.gap, payload.get("target_gap"))
            job.eta_s = job.trend.eta_s()
        elif kind in ("done", "error"):
            return msg
        return None


def _kill(proc) -> None:
    """Terminate the run's process group (the child leads one: its solver workers too) with SIGTERM,
    then SIGKILL if the child is still alive after 3 s."""
    for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 3)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):  # no group (not started, or already gone)
            proc.terminate() if sig == signal.SIGTERM else proc.kill()
        proc.join(wait)
        if not proc.is_alive():
            return
