"""Scenario YAML upload (``POST /api/runs/upload`` with ``{"yaml", "label"}``) and ``silkgrid serve``'s run-limit
options (issue #16, item 2).  Runs use the ``example`` data set cut to one week (about 1 s to solve)."""

from __future__ import annotations

import http.client
import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from typer.testing import CliRunner  # noqa: E402

from silkgrid.cli import app as cli_app  # noqa: E402
from silkgrid.core.errors import ScenarioError  # noqa: E402
from silkgrid.web import create_app  # noqa: E402
from silkgrid.web.jobs import FINAL  # noqa: E402
from silkgrid.web.upload import MAX_YAML_BYTES, parse_upload  # noqa: E402
from tests.test_web import ONE_WEEK, _free_port, _start  # noqa: E402
from tests.test_web_runs import _req, _wait  # noqa: E402

WEEK_YAML = 'extends: example\ntime:\n  subset: {start: "2030-01-01", end: "2030-01-07"}\n'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = create_app([], runs_dir=tmp_path_factory.mktemp("upload") / "runs", base_scenario=ONE_WEEK)
    port, stop = _start(app)
    yield {"port": port, "app": app, "token": app.state.token}
    stop()


def test_valid_upload_runs_to_done(server):
    """``extends: example`` cut to one week is validated, queued (202) and solved to "done"."""
    port, token = server["port"], server["token"]
    status, job = _req(port, "POST", "/api/runs/upload", token, {"yaml": WEEK_YAML, "label": "my week",
                                                                      "time_limit_s": 120})
    assert status == 202, job
    assert job["label"] == "my week" and job["knobs"] == {"upload": "yaml"} and job["time_limit_s"] == 120
    done = _wait(lambda: _req(port, "GET", f"/api/runs/{job['id']}", token)[1],
                 lambda j: j["state"] in FINAL, timeout=120)
    assert done["state"] == "done", done
    status, results = _req(port, "GET", "/api/results", token)
    (entry,) = [r for r in results if r["id"] == done["result_id"]]
    assert entry["status"] == "optimal" and entry["scenario"] == "example (my week)"


@pytest.mark.parametrize("text, expect", [
    ("time: [1, 2", "not valid YAML (line 1"),                       # unclosed flow sequence
    ("extends: example\nfoo: 1\n", "unknown field 'foo'"),          # the loader's message, field and fix
    ("extends: example\ngenerators:\n  - {id: wind_KZ_W, capacity_factor: profiles.csv#KZ_W}\n",
     "at 'generators[0].capacity_factor': this refers to a CSV file"),
    ("extends: example\nloads:\n  - {id: x, profile: {file: p.csv, column: a}}\n", "at 'loads[0].profile'"),
    ("extends: ../scenario.yaml\n", "is not a packaged data set"),  # no reading files of the server
    ("a: &x 1\nb: *x\n", "aliases"),                                # no billion-laughs expansion
    ("extends: example\nname: a\nname: b\n", "the key 'name' appears twice"),
    ("- 1\n- 2\n", "does not hold a YAML mapping"),
    ("x: '" + "a" * (MAX_YAML_BYTES + 10) + "'\n", "more than the limit of 256 KiB"),
])
def test_bad_upload_is_400_with_the_message(server, text, expect):
    status, out = _req(server["port"], "POST", "/api/runs/upload", server["token"], {"yaml": text})
    assert status == 400, out
    assert expect in out["error"] and "Fix:" in out["error"]


@pytest.mark.parametrize("body, expect", [
    ({"yaml": WEEK_YAML, "year": 2030}, "unknown field 'year'"),
    ({"yaml": WEEK_YAML, "label": "a\nb"}, "at 'label'"),
    ({"yaml": 5}, "at 'yaml'"),
    ({"yaml": WEEK_YAML, "time_limit_s": -1}, "at 'time_limit_s'"),
    ([WEEK_YAML], "must be a JSON object"),
])
def test_bad_upload_request_fields(server, body, expect):
    status, out = _req(server["port"], "POST", "/api/runs/upload", server["token"], body)
    assert status == 400 and expect in out["error"], out


def test_upload_keeps_the_guard(server):
    """Without the token header 403; as a non-JSON body (a plain file post) 415; a body over 1 MiB
    413 (and over 16 KiB without the token: the larger limit is only for holders of the token)."""
    port = server["port"]
    for size, headers, expect in [(4 * MAX_YAML_BYTES + 1, {"X-SilkGrid-Token": server["token"]}, 413),
                                  (20_000, {}, 413)]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/api/runs/upload", body=b"x" * size, headers={"Content-Type": "application/json",
                                                                            **headers})
        assert conn.getresponse().status == expect
        conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/runs/upload", body=json.dumps({"yaml": WEEK_YAML}),
                 headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 403
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/runs/upload", body=WEEK_YAML,
                 headers={"Content-Type": "application/x-yaml", "X-SilkGrid-Token": server["token"]})
    assert conn.getresponse().status == 415
    conn.close()


def test_parse_upload_accepts_built_data_sets():
    """``extends`` may name a code-built data set (checked by the loader later), not only a file data set."""
    assert parse_upload("extends: corridor-2035\n")["extends"] == "corridor-2035"
    assert parse_upload("extends: {dataset: corridor, year: 2040}\n")["extends"]["year"] == 2040
    with pytest.raises(ScenarioError, match="not a packaged data set"):
        parse_upload("extends: /etc/passwd\n")


@pytest.mark.parametrize("args, expect", [
    (["--run-time-limit", "0"], "Invalid option --run-time-limit: 0 s is not a positive number"),
    (["--run-time-limit", "inf"], "Invalid option --run-time-limit"),
    (["--run-memory-gib", "-1"], "Invalid option --run-memory-gib: -1 GiB is not a memory size"),
])
def test_serve_rejects_bad_run_limits(args, expect):
    """Bad limits exit 2 with one paragraph, before anything binds (no server is started)."""
    res = CliRunner().invoke(cli_app, ["serve", *args])
    assert res.exit_code == 2
    assert expect in " ".join(res.output.split())


def test_serve_passes_run_limits(monkeypatch):
    """The options reach create_app (0 GiB: no cap); the server itself is replaced by a stub."""
    import silkgrid.cli.serve as serve

    seen = {}

    def fake_create_app(dirs, **kw):
        seen.update(kw)
        return object()

    class _Server:
        def run(self):
            seen["ran"] = True

    monkeypatch.setattr(serve, "create_app", fake_create_app)
    monkeypatch.setattr(serve, "make_server", lambda *a: _Server())
    res = CliRunner().invoke(cli_app, ["serve", "--port", str(_free_port()), "--run-time-limit", "60", "--run-memory-gib", "0"])
    assert res.exit_code == 0, res.output
    assert seen["run_time_limit_s"] == 60 and seen["run_memory_gib"] is None and seen["ran"]
