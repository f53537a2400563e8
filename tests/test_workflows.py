"""The run workflow (silkgrid.workflows): one function under the CLI and the web, picklable specs."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import silkgrid
from silkgrid.core.errors import ScenarioError
from silkgrid.workflows import OutputPathError, RunSpec, plan_verdict, run

WEEK = {"extends": "example", "name": "week", "time": {"subset": {"start": "2030-07-01", "end": "2030-07-07"}}}


def test_spec_is_frozen_and_picklable():
    spec = RunSpec(WEEK, out="x", resolution="3h", solver={"method": "monolithic"}, label="a")
    assert pickle.loads(pickle.dumps(spec)) == spec
    with pytest.raises(AttributeError):
        spec.out = "y"


def test_run_writes_what_the_spec_asks(tmp_path):
    out = tmp_path / "res"
    stages = []
    outcome = run(RunSpec(WEEK, out=str(out), resolution="3h", label="wf", report=True), progress=stages.append)
    assert outcome.accepted and outcome.verdict == "optimal"
    assert outcome.result.scenario_name == "week (wf)" and outcome.result.scenario.time.resolution == "3h"
    assert outcome.directory == out.resolve() and outcome.report == out.resolve() / "report.html"
    assert json.loads((out / "metrics.json").read_text()) == json.loads(json.dumps(outcome.answers))
    assert {"load", "build", "solve", "write", "metrics", "report"} <= set(stages)
    back = silkgrid.Result.from_dir(out)
    assert back.summary == outcome.result.summary
    assert pickle.loads(pickle.dumps(outcome)).result.objective == outcome.result.objective


def test_runs_map_over_an_executor():
    """A batch is ``executor.map(run, specs)``: results come back in order, nothing written."""
    specs = [RunSpec(WEEK, resolution=r, solver={"method": "monolithic"}) for r in ("6h", "12h")]
    with ThreadPoolExecutor(max_workers=1) as ex:
        outcomes = list(ex.map(run, specs))
    assert [o.result.scenario.time.resolution for o in outcomes] == ["6h", "12h"]
    assert all(o.directory is None and o.accepted for o in outcomes)


def test_bad_input_is_raised_not_written(tmp_path):
    with pytest.raises(ScenarioError):
        run(RunSpec({**WEEK, "discount_rate": -1}, out=str(tmp_path / "bad")))
    assert not (tmp_path / "bad").exists()
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "s.yaml").write_text("extends: example\n")
    with pytest.raises(OutputPathError):
        run(RunSpec(str(inside / "s.yaml"), out=str(inside)))


def _result(status: str, tables: bool, gap: float | None) -> silkgrid.Result:
    return silkgrid.Result(scenario_name="s", status=status, message="Stopped at the time limit.", objective=1.0,
                           objective_constant=0.0, snapshots=pd.DatetimeIndex([]), weights=[],
                           tables={"generators": pd.DataFrame()} if tables else {}, solver={"gap": gap})


def test_one_plan_acceptance_rule():
    assert plan_verdict(_result("optimal", True, 0.0)) == (True, "optimal")
    ok, label = plan_verdict(_result("time_limit", True, 0.0042))
    assert ok and label == "feasible plan (time_limit), proven within 0.42% of the optimum"
    ok, label = plan_verdict(_result("time_limit", False, None))
    assert not ok and label == "not optimal (time_limit): Stopped at the time limit."
