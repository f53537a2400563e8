"""Web dashboard (``silkgrid serve``): HTTP safety checks and real-browser tests (Debian chromium)."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import silkgrid  # noqa: E402
from silkgrid.errors import ScenarioError  # noqa: E402
from silkgrid.web import create_app, make_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ONE_WEEK = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-07"}}}
EXAMPLE_LINKS = {"caspian": "caspian_cable", "black_sea": "black_sea_cable"}
EXAMPLE_PATH = ["caspian_cable", "AZ_GE_500kV", "black_sea_cable"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    res = silkgrid.solve(silkgrid.load_scenario(ONE_WEEK))
    assert res.optimal
    return res.to_dir(tmp_path_factory.mktemp("web") / "base-week")


@pytest.fixture(scope="module")
def server(base_dir, tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    app = create_app([base_dir], runs_dir=runs, base_scenario=ONE_WEEK, links=EXAMPLE_LINKS, cbam_path=EXAMPLE_PATH)
    port = _free_port()
    srv = make_server(app, "127.0.0.1", port)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started
    yield {"url": f"http://127.0.0.1:{port}", "port": port, "app": app, "runs": runs}
    srv.should_exit = True
    th.join(timeout=10)
    app.state.jobs.stop()


def _raw_get(port: int, path: str) -> tuple[int, str]:
    """GET with the path sent verbatim (no client-side normalisation of '..')."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read().decode(errors="replace")
    conn.close()
    return r.status, body


# ---------------------------------------------------------------------------------------- HTTP
def test_paths_outside_registry_are_refused(server):
    for path in ["/results/../../etc/passwd", "/results/..%2f..%2fetc%2fpasswd", "/results/r999",
                 "/results/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/../app.py", "/static/..%2fapp.py",
                 "/api/results/r1/node/..%2f..%2fetc%2fpasswd", "/api/results/r999/node/AZ",
                 f"/results/{ROOT}", "/compare?ids=r1,../../etc"]:
        status, body = _raw_get(server["port"], path)
        assert status in (400, 404), (path, status)
        assert "root:" not in body and "import" not in body, path
    assert _raw_get(server["port"], "/results/r1")[0] == 200


def test_bad_host_header_and_body_limits(server):
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=10)
    conn.request("GET", "/", headers={"Host": "attacker.example"})  # DNS rebinding
    assert conn.getresponse().status == 400
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=10)
    conn.request("POST", "/api/runs", body=b"x" * 100_000, headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 413
    conn.close()


def test_run_validation_is_the_cli_message(server):
    with pytest.raises(ScenarioError) as info:
        silkgrid.load_scenario({**ONE_WEEK, "discount_rate": 2.0})  # JSON numbers arrive as floats
    for body, expect in [({"discount_rate": 2}, info.value.message),
                         ({"co2_price": "lots"}, "co2_price"), ({"rm": "-rf"}, "rm")]:
        conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=10)
        conn.request("POST", "/api/runs", body=json.dumps(body), headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 400
        assert expect in json.loads(r.read())["error"]
        conn.close()


def test_token_required_when_set(base_dir, tmp_path):
    from fastapi.testclient import TestClient

    app = create_app([base_dir], runs_dir=tmp_path, base_scenario=ONE_WEEK, token="s3cret-token-1234567")
    c = TestClient(app, base_url="http://127.0.0.1")
    assert c.get("/").status_code == 401
    assert c.get("/", headers={"X-SilkGrid-Token": "wrong"}).status_code == 401
    r = c.get("/?token=s3cret-token-1234567")
    assert r.status_code == 200 and "silkgrid_token" in r.headers["set-cookie"]
    assert c.get("/results/r1").status_code == 200  # the cookie from the link with the token
    app.state.jobs.stop()


def test_serve_public_host_needs_token():
    from typer.testing import CliRunner

    from silkgrid.cli import app

    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 2
    assert "not a loopback address" in r.output and "--token" in r.output
    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--token", "short"])
    assert r.exit_code == 2 and "16 characters" in r.output
    r = CliRunner().invoke(app, ["serve", "/nonexistent/results", "--port", str(_free_port())])
    assert r.exit_code == 2 and "summary.json" in r.output


# ---------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser checks skipped")
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


def _page(browser, problems: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: problems.append(f"request to {r.url}")
            if not r.url.startswith(("http://127.0.0.1:", "data:", "about:")) else None)
    return page


def _shot(page, name):
    art = ROOT / "test-artifacts"
    art.mkdir(exist_ok=True)
    page.screenshot(path=str(art / f"web_{name}.png"), full_page=True)


def test_result_view_in_browser(server, browser, base_dir):
    problems: list[str] = []
    page = _page(browser, problems)
    net = json.loads((base_dir / "network.json").read_text())
    page.goto(server["url"] + "/")
    page.click("#results-table a")
    page.wait_for_selector("#map-svg")
    assert page.locator("#map-svg circle.node").count() == len(net["nodes"])
    assert page.locator("#map-svg path.link").count() == len(net["links"])
    page.click("#map-svg circle.node[data-id='AZ']")
    page.wait_for_selector("#details h3:has-text('Node AZ')")
    assert "ccgt" in page.inner_text("#details")
    page.click("#map-svg path.link[data-id='caspian_cable']", force=True)
    page.wait_for_selector("#details h3:has-text('Link caspian_cable')")
    assert "utilisation" in page.inner_text("#details")
    assert page.locator("#dispatch-panel svg.dispatch").count() == 1
    assert "KZ_W" in page.text_content("#dispatch-panel svg.dispatch")
    page.select_option("#dispatch-form select[name=node]", "AZ")
    page.wait_for_selector("#dispatch-panel svg.storage")  # AZ has a battery (KZ_W has no storage)
    assert page.text_content("#dispatch-panel svg.dispatch text[font-weight=bold]") == "AZ"
    for sid in ("capacity", "prices", "exports", "cbam", "costs", "provenance"):
        assert page.locator(f"section#{sid}").count() == 1
    _shot(page, "result")
    page.close()
    assert problems == []


def test_run_form_and_compare_in_browser(server, browser):
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(server["url"] + "/")
    # invalid input: the loader's message is shown, no job starts
    page.fill("#run-form input[name=discount_rate]", "2")
    page.click("#run-form button[type=submit]")
    page.wait_for_selector("#run-error:not([hidden])")
    assert "discount_rate" in page.inner_text("#run-error") and "less than or equal to 1" in page.inner_text("#run-error")
    assert page.locator("#jobs li").count() == 0
    # a valid run with a CO2 price of 200 EUR/t
    page.fill("#run-form input[name=discount_rate]", "0.071")
    page.fill("#run-form input[name=co2_price]", "200")
    page.fill("#run-form input[name=label]", "co2-200")
    page.click("#run-form button[type=submit]")
    page.wait_for_selector("#jobs li.done", timeout=30_000)
    page.wait_for_selector("#results-table tr[data-result='r2']")
    assert page.locator("#results-table tr[data-result]").count() == 2
    assert not page.is_visible("#run-error")
    rows = {e["id"]: e for e in json.loads(_raw_get(server["port"], "/api/results")[1])}
    base, run = rows["r1"], rows["r2"]
    assert run["co2_price_eur_per_t"] == 200
    assert run["emissions_t"] < base["emissions_t"] and run["total_cost_eur"] > base["total_cost_eur"]
    run_dir = server["app"].state.registry.get("r2").path
    assert run_dir.parent == Path(server["runs"]).resolve()
    assert (run_dir / "summary.json").is_file() and (run_dir / "metrics.json").is_file()
    # compare the two
    page.check("#results-table input[value=r1]")
    page.check("#results-table input[value=r2]")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#compare-table")
    text = page.inner_text("#compare-table")
    assert "Total system cost" in text and "Emissions" in text and "Δ" in text
    _shot(page, "run_compare")
    page.close()
    # the refused submission (HTTP 400) is the only thing chromium logs
    assert problems == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
