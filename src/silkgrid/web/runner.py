"""The child-process side of a ``silkgrid serve`` run: one :func:`silkgrid.workflows.run` call (or
:func:`silkgrid.workflows.run_pathway` for a pathway).

:func:`run_in_child` is the target of the process :class:`~silkgrid.web.jobs.JobQueue` starts
for each run.  It caps the process's address space (``RLIMIT_AS``, bytes), runs the workflow
and reports over a one-way pipe, as ``(kind, payload)`` tuples:

* ``("stage", name)`` as each workflow stage starts ("load", "build", "solve", ...);
* ``("iteration", {"iteration": k, "gap": g})`` per decomposition iteration (relative gap);
* ``("done", {"directory": str, "accepted": bool, "verdict": str, "time_limited": bool})``;
* ``("error", message)`` for a run that raised (the message is shown to the user).

Killing the process at any point leaves no half-written result: the workflow writes into a
staging folder that replaces the output only when complete.
"""

from __future__ import annotations

import math
import os
import re
import resource
import subprocess
import sys
import traceback

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.workflows import PathwayRunSpec, RunSpec, plan_verdict, run_pathway
from silkgrid.workflows import run as run_workflow

__all__ = ["limit_memory", "run_in_child", "watch_server"]

#: Error texts of allocations refused by the address-space cap outside Python's MemoryError.
_NO_MEMORY = re.compile(r"failed to map segment|cannot allocate memory|bad_alloc|out of memory", re.I)


#: Scheduling niceness of a run's process (and the solver processes it starts): a solve yields the
#: CPU to the dashboard's server and to the user's browser on a machine with few cores.
RUN_NICENESS = 10


def _out_of_memory(max_bytes: int | None) -> str:
    gib = f"{max_bytes / 2**30:.3g} GiB" if max_bytes else "the available memory"
    return (f"out of memory: the run needed more than the server's per-run memory limit ({gib}); "
            "use a coarser resolution or a shorter period, or raise the limit")


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space at ``max_bytes`` (soft limit; the hard one only if lower)."""
    if not max_bytes:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and hard < max_bytes:
        max_bytes = hard
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))


#: The watchdog: a separate tiny process (a thread would starve while a solver holds the GIL) that
#: kills the run's process group soon after the server process is gone.
_WATCHDOG = """
import os, signal, sys, time
server, group, every = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
while True:
    time.sleep(every)
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        sys.exit(0)  # the run ended
    try:
        os.kill(server, 0)
    except ProcessLookupError:
        os.killpg(group, signal.SIGKILL)
        sys.exit(0)
    except PermissionError:
        pass
"""


def watch_server(server_pid: int, every_s: float = 1.0) -> subprocess.Popen:
    """Make this process lead its own process group (its solver workers join it) and start a
    watchdog process that kills the group soon after the server process ``server_pid`` is gone
    (killed, crashed, or stopped without cancelling its runs): no orphan keeps solving.  The
    staging folder of the unfinished run is cleaned at the next write to its path."""
    if os.getpgid(0) != os.getpid():
        os.setpgid(0, 0)
    return subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(server_pid), str(os.getpid()), str(every_s)],
                            start_new_session=True, stdin=subprocess.DEVNULL)


def _iteration(it: dict) -> dict:
    """The progress of one decomposition iteration as sent to the server (bounds in EUR/yr: the
    solver reports M EUR/yr)."""
    def num(key: str, scale: float = 1.0) -> float | None:
        v = it.get(key)
        return float(v) * scale if isinstance(v, (int, float)) and math.isfinite(v) else None
    return {"iteration": int(it.get("iteration", 0)), "gap": num("gap"), "seconds": num("seconds"),
            "target_gap": num("target_gap"), "lower_eur": num("lower", 1e6), "upper_eur": num("upper", 1e6)}


def run_in_child(spec: RunSpec | PathwayRunSpec, scenario, conn, max_bytes: int | None,
                 server_pid: int | None = None) -> None:
    """Run ``spec`` on the pre-validated ``scenario`` (a :class:`PathwayRunSpec`: the pathway through
    :func:`silkgrid.workflows.run_pathway`, accepted when optimal) and report on ``conn`` (see the
    module doc); with ``server_pid`` the run ends when that process is gone (:func:`watch_server`)."""
    if server_pid is not None:
        watch_server(server_pid)
    try:  # a solve takes every core it can: below the server and the browser, so that pages stay fast
        os.nice(RUN_NICENESS)
    except OSError:
        pass

    def send(kind: str, payload) -> None:
        try:
            conn.send((kind, payload))
        except (BrokenPipeError, OSError):  # the server went away: nobody to tell
            pass

    try:
        limit_memory(max_bytes)
        if isinstance(spec, PathwayRunSpec):
            outcome = run_pathway(spec, progress=lambda stage: send("stage", stage))
            accepted = outcome.result.optimal
            verdict = "optimal" if accepted else f"{outcome.result.status}: {outcome.result.message}"
        else:
            outcome = run_workflow(
                spec, scenario=scenario, progress=lambda stage: send("stage", stage),
                on_iteration=lambda it: send("iteration", _iteration(it)))
            accepted, verdict = plan_verdict(outcome.result)
        status = str(getattr(outcome.result, "status", ""))
        send("done", {"directory": str(outcome.directory) if outcome.directory else "",
                      "accepted": accepted, "verdict": verdict,
                      "time_limited": "time" in status.lower() and "limit" in status.lower()})
    except MemoryError:
        send("error", _out_of_memory(max_bytes))
    except ScenarioError as exc:
        send("error", exc.message)
    except SilkGridError as exc:
        send("error", getattr(exc, "message", str(exc)))
    except Exception as exc:  # noqa: BLE001 - shown to the user; the traceback goes to the server log
        traceback.print_exc()
        if max_bytes and _NO_MEMORY.search(str(exc)):  # a failed mmap under the cap (e.g. loading a library)
            send("error", _out_of_memory(max_bytes))
        else:
            send("error", f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()
