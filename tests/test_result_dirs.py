"""Complete-or-absent result directories (issue #16, item 3).

A result directory appears only when everything requested is written; a SIGKILL at any point
leaves the previous complete directory or the new complete one; one writer per path (lock);
staging folders of killed writers are cleaned; disk-full and permission errors name their cause.
The example data set is solved once (module fixture); child processes reuse that result through
a pickle, so each kill costs a Python start-up, not a solve.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import pickle
import signal
import subprocess
import sys
import shutil
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import silkgrid.results.staging as staging
from silkgrid.cli import app
from silkgrid.results import OutputBusyError, ResultWriteError
from silkgrid.results.staging import clean_stale, output_lock, staged_dir
from silkgrid.workflows import OutputWriteError, RunSpec, run

wr = importlib.import_module("silkgrid.workflows.run")  # the module; the package exports the function

#: What a complete directory of a run with metrics and report holds.
COMPLETE = ("summary.json", "network.json", "generators.parquet", "metrics.json", "metrics", "report.html",
            "figures")


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The example scenario solved once: (outcome, pickle of (scenario, result), complete "old" directory)."""
    outcome = run(RunSpec(scenario="example", metrics=False))
    assert outcome.result.optimal
    pkl = tmp_path_factory.mktemp("pickled") / "solved.pkl"
    pkl.write_bytes(pickle.dumps((outcome.result.scenario, outcome.result)))
    old = tmp_path_factory.mktemp("template") / "old"
    proc = _child(pkl, old, pause_at="never", label="old")
    assert proc.wait(timeout=120) == 0
    return outcome, pkl, old


@pytest.fixture
def no_solve(solved, monkeypatch):
    """``run`` reuses the solved result instead of solving again (the write stage is under test)."""
    monkeypatch.setattr(wr, "solve", lambda *a, **k: solved[0].result)


def _child(pkl: Path, out: Path, *, pause_at: str, report: bool = True, label: str = "new") -> subprocess.Popen:
    """A child that runs the write stage of ``run`` on the pickled result and blocks at ``pause_at``.

    ``pause_at``: a stage name of the workflow ("write", "metrics", "report", "commit"), "parquet"
    (inside the second table file written into the staging folder), "swapped" (right after the
    swap, before ``run`` returns) or "never".  The child prints each point as it reaches it.
    """
    code = textwrap.dedent(f"""
        import pickle, sys, time
        import pandas as pd
        import importlib
        wr = importlib.import_module("silkgrid.workflows.run")
        import silkgrid.results.staging as st
        sc, result = pickle.loads(open({str(pkl)!r}, "rb").read())
        result.scenario_name = {label!r}
        wr.solve = lambda *a, **k: result
        def point(name):
            print(name, flush=True)
            if name == {pause_at!r}:
                time.sleep(600)
        real_parquet, calls = pd.DataFrame.to_parquet, []
        def slow_parquet(self, *a, **k):
            calls.append(1)
            if len(calls) == 2:
                point("parquet")
            return real_parquet(self, *a, **k)
        pd.DataFrame.to_parquet = slow_parquet
        real_swap = st.swap_in
        def swap(tmp, path):
            real_swap(tmp, path)
            if str(path) == {str(out)!r}:  # the result directory (the report's figures/ swaps too)
                point("swapped")
        st.swap_in = swap
        wr.run(wr.RunSpec(scenario="example", out={str(out)!r}, report={report!r}), scenario=sc, progress=point)
        point("returned")
    """)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, point: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if line.strip() == point:
            return
        assert time.monotonic() < deadline, f"child did not reach {point}"
    raise AssertionError(f"child ended (rc {proc.wait()}) before {point}")


def _assert_complete_or_previous(out: Path, previous: str | None) -> str:
    """``out`` is absent (when there was no previous result) or complete; return whose it is."""
    if not out.exists():
        assert previous is None, "the previous result vanished"
        return "absent"
    names = {p.name for p in out.iterdir()}
    missing = [n for n in COMPLETE if n not in names]
    assert not missing, f"{out} is incomplete, lacks {missing}"
    who = json.loads((out / "summary.json").read_text())["scenario"]
    assert who in ("new", previous)
    return who


@pytest.mark.parametrize("previous, points", [
    ("old", ("write", "parquet", "metrics", "report", "commit", "swapped", "returned")),
    (None, ("parquet", "commit", "swapped"))])
def test_sigkill_at_any_point_leaves_old_or_new_complete(solved, tmp_path, previous, points):
    _, pkl, template = solved
    out = tmp_path / "res"
    seen = {}
    for point in points:
        if previous is not None:  # a complete previous result
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(template, out)
        proc = _child(pkl, out, pause_at=point)
        _wait_for(proc, point)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen[point] = _assert_complete_or_previous(out, previous)
    before = previous or "absent"
    assert seen == {p: "new" if p in ("swapped", "returned") else before for p in points}
    # a writer killed before its swap leaves its staging folder behind; the next write cleans it
    proc = _child(pkl, out, pause_at="commit")
    _wait_for(proc, "commit")
    proc.kill()
    proc.wait(timeout=30)
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".res.tmp-")]
    proc = _child(pkl, out, pause_at="never", report=False)
    assert proc.wait(timeout=120) == 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".res.") and p.name != ".res.lock"]
    assert leftovers == []


def test_summary_only_appears_with_metrics(solved, tmp_path):
    """The bug of issue #16: metrics and report were written after the swap."""
    _, pkl, _ = solved
    out = tmp_path / "res"
    proc = _child(pkl, out, pause_at="metrics", report=False)
    _wait_for(proc, "metrics")
    assert not out.exists()  # summary.json and tables are written, but only in the staging folder
    staged = [p for p in tmp_path.iterdir() if p.name.startswith(".res.tmp-")]
    assert len(staged) == 1 and (staged[0] / "summary.json").is_file()
    proc.kill()
    proc.wait(timeout=30)


def _holder(out: Path) -> subprocess.Popen:
    """A child process that holds the lock of ``out`` until killed."""
    code = (f"import time; from silkgrid.results.staging import output_lock\n"
            f"with output_lock({str(out)!r}):\n    print('locked', flush=True); time.sleep(600)\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_second_writer_fails_fast_naming_the_pid(solved, tmp_path):
    outcome = solved[0]
    out = tmp_path / "res"
    holder = _holder(out)
    try:
        _wait_for(holder, "locked")
        t0 = time.monotonic()
        with pytest.raises(OutputWriteError, match=f"process {holder.pid}") as info:
            run(RunSpec(scenario="example", out=str(out)))
        assert info.value.busy
        assert time.monotonic() - t0 < 5, "the lock is taken before the solve, so a busy path fails at once"
        with pytest.raises(OutputBusyError):
            outcome.result.to_dir(out)
        cli = CliRunner().invoke(app, ["run", "example", "--out", str(out), "-q"])
        assert cli.exit_code == 2
        assert f"process {holder.pid}" in cli.output and "Another run is busy" in cli.output
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait(timeout=30)
    outcome.result.to_dir(out)  # the lock dies with its process
    assert (out / "summary.json").is_file()


def test_lock_is_reentrant_per_thread_and_exclusive_across_threads(tmp_path):
    import threading
    out = tmp_path / "res"
    errors = []
    with output_lock(out), output_lock(out):  # same thread: re-entrant
        t = threading.Thread(target=lambda: _try_lock(out, errors))
        t.start()
        t.join()
    assert len(errors) == 1 and isinstance(errors[0], OutputBusyError)
    with output_lock(out):  # released after the outer block
        pass


def _try_lock(out, errors):
    try:
        with output_lock(out):
            pass
    except OutputBusyError as exc:
        errors.append(exc)


def test_stale_staging_folders_are_cleaned_but_not_others(tmp_path):
    out = tmp_path / "res"
    stale = [tmp_path / ".res.tmp-123-0123abcd", tmp_path / ".res.old-77", tmp_path / ".res.k2j_x9zq"]
    for p in stale:
        p.mkdir()
        (p / "summary.json").write_text("{}")
    keep = [tmp_path / ".res.b.tmp-1-0123abcd", tmp_path / ".results.tmp-1-0123abcd", tmp_path / "res.tmp-1-0123abcd",
            tmp_path / ".res.notes12"]  # another target's staging, a user's folders
    for p in keep:
        p.mkdir()
    (keep[-1] / "mine.txt").write_text("x")  # legacy-looking name, but not a result: kept
    with staged_dir(out) as tmp:
        (tmp / "summary.json").write_text("{}")
    assert all(not p.exists() for p in stale)
    assert all(p.exists() for p in keep)
    # a kill between the two renames of the fallback swap: the previous result is restored
    (tmp_path / "other.old").mkdir()
    out.rename(tmp_path / ".res.old-99")
    with output_lock(out):
        clean_stale(out)
    assert (out / "summary.json").is_file()


def test_fallback_swap_without_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    out = tmp_path / "res"
    for text in ("1", "2"):
        with staged_dir(out) as tmp:
            (tmp / "summary.json").write_text(text)
    assert (out / "summary.json").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # no staging folder, no lock file


@pytest.mark.parametrize("code, says", [(errno.ENOSPC, "the disk is full while writing"),
                                        (errno.EACCES, "no permission to write"),
                                        (errno.EPERM, "no permission to write"),
                                        (errno.EROFS, "read-only")])
def test_write_errors_name_the_cause_and_leave_nothing(solved, no_solve, tmp_path, monkeypatch, code, says):
    outcome = solved[0]
    out = tmp_path / "res"
    outcome.result.to_dir(out)
    before = sorted(p.name for p in out.iterdir())
    import pandas as pd
    calls = []

    def failing(self, path, *a, **k):  # fails at the third table: some files are already written
        calls.append(path)
        if len(calls) == 3:
            raise OSError(code, os.strerror(code), str(path))
        return real(self, path, *a, **k)

    real = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(ResultWriteError, match=says):
        outcome.result.to_dir(out)
    calls.clear()
    with pytest.raises(OutputWriteError, match=says) as info:
        run(RunSpec(scenario="example", out=str(out)), scenario=outcome.result.scenario)
    assert not info.value.busy
    assert sorted(p.name for p in out.iterdir()) == before  # the previous result is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".res.tmp")] == []


def test_cli_disk_full_says_so_exit_2(no_solve, tmp_path, monkeypatch):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", "x.parquet")

    import pandas as pd
    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    out = tmp_path / "res"
    cli = CliRunner().invoke(app, ["run", "example", "--out", str(out), "-q"])
    assert cli.exit_code == 2, cli.output
    text = " ".join(cli.output.split())
    assert "the disk is full while writing" in text and "check permissions" not in text
    assert not out.exists()


def test_extra_files_go_in_before_the_swap(solved, no_solve, tmp_path):
    outcome = solved[0]
    out = tmp_path / "res"
    run(RunSpec(scenario="example", out=str(out), extra_files={"web_run.json": "{}\n"}, metrics=False),
        scenario=outcome.result.scenario)
    assert (out / "web_run.json").read_text() == "{}\n"


def test_bad_input_leaves_no_lock_and_no_folders(tmp_path):
    from silkgrid.core.errors import ScenarioError
    out = tmp_path / "new" / "deep" / "res"
    with pytest.raises(ScenarioError):  # the lock is taken before the scenario loads ...
        run(RunSpec({"extends": "example", "discount_rate": -1}, out=str(out)))
    assert list(tmp_path.iterdir()) == []  # ... and its lock file and the folders made for it go again
