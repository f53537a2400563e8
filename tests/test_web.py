"""Web dashboard (``silkgrid serve``): HTTP safety checks and real-browser tests (Debian chromium)."""

from __future__ import annotations

import http.client
import json
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import silkgrid  # noqa: E402
from silkgrid.core.errors import ScenarioError  # noqa: E402
from silkgrid.web import create_app  # noqa: E402
from web_server import free_port as _free_port, start  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ONE_WEEK = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-07"}}}
EXAMPLE_LINKS = {"caspian": "caspian_cable", "black_sea": "black_sea_cable"}
EXAMPLE_PATH = ["caspian_cable", "AZ_GE_500kV", "black_sea_cable"]


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    res = silkgrid.solve(silkgrid.load_scenario(ONE_WEEK))
    assert res.optimal
    return res.to_dir(tmp_path_factory.mktemp("web") / "base-week")


def _start(app):
    """Serve ``app`` on a free loopback port in a thread; returns (port, stop function)."""
    return start(app)


@pytest.fixture(scope="module")
def server(base_dir, tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    app = create_app([base_dir], runs_dir=runs, base_scenario=ONE_WEEK, links=EXAMPLE_LINKS, cbam_path=EXAMPLE_PATH)
    port, stop = _start(app)
    yield {"url": f"http://127.0.0.1:{port}", "port": port, "app": app, "runs": runs}
    stop()


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
        conn.request("POST", "/api/runs", body=json.dumps(body), headers={
            "Content-Type": "application/json", "X-SilkGrid-Token": server["app"].state.token})
        r = conn.getresponse()
        assert r.status == 400
        assert expect in json.loads(r.read())["error"]
        conn.close()


def test_token_required_when_set(base_dir, tmp_path):
    app = create_app([base_dir], runs_dir=tmp_path, base_scenario=ONE_WEEK, token="s3cret-token-1234567")
    port, stop = _start(app)
    try:
        def get(path, headers=None):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            r.read()
            conn.close()
            return r
        assert get("/").status == 401
        assert get("/results/r1", {"X-SilkGrid-Token": "wrong"}).status == 401
        r = get("/?token=s3cret-token-1234567")
        cookie = r.getheader("set-cookie")
        assert r.status == 200 and cookie.startswith("silkgrid_token=") and "HttpOnly" in cookie
        assert get("/results/r1", {"Cookie": cookie.split(";")[0]}).status == 200  # the link's cookie
        assert get("/results/r1", {"X-SilkGrid-Token": "s3cret-token-1234567"}).status == 200
    finally:
        stop()


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


#: Page position (px) of the map point whose customdata is [kind, id] (Plotly's own axis mapping).
_POINT_JS = """([kind, id]) => {
  const gd = document.getElementById('fig-map');
  gd.scrollIntoView();
  for (const t of gd.data) {
    const k = (t.customdata || []).findIndex((c) => c[0] === kind && c[1] === id);
    if (k < 0) continue;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
    return [r.left + xa._offset + xa.l2p(t.x[k]), r.top + ya._offset + ya.l2p(t.y[k])];
  }
  return null;
}"""


def _click_map(page, kind: str, eid: str) -> None:
    """Hover the map point [kind, eid] until Plotly's hover label names it, click, and wait for the
    details box to name it.  Plotly's click reports the point last hovered, which lags the mouse on a
    loaded machine, and reads a second click within 300 ms as a double-click: up to three tries."""
    header = f"#details h3:has-text('{'Node' if kind == 'node' else 'Link'} {eid}')"
    for attempt in range(3):
        xy = page.evaluate(_POINT_JS, [kind, eid])
        page.mouse.move(xy[0] - 3, xy[1] - 3)
        page.mouse.move(*xy)
        page.wait_for_selector(f"#fig-map .hoverlayer .hovertext:has-text('{eid}')", timeout=10_000)
        page.mouse.click(*xy)
        try:
            page.wait_for_selector(header, timeout=8_000)
            return
        except Exception:  # noqa: BLE001 - retried; the last failure is raised below
            page.wait_for_timeout(400)
    page.wait_for_selector(header, timeout=1_000)


def test_result_view_in_browser(server, browser, base_dir):
    problems: list[str] = []
    page = _page(browser, problems)
    net = json.loads((base_dir / "network.json").read_text())
    page.goto(server["url"] + "/")
    page.click("#results-table a")
    page.wait_for_selector("#fig-map .main-svg")
    # the page draws its charts one by one after showing it: wait for all (no layout shift under the mouse)
    page.wait_for_selector("div.plot:not(.js-plotly-plot)", state="detached", timeout=60_000)
    # Plotly map: one marker per node; click a node and a link arrow for their details
    _click_map(page, "node", "AZ")
    assert "ccgt" in page.inner_text("#details")
    moving = [ln["id"] for ln in net["links"]]
    sizes = page.evaluate("() => { const t = document.getElementById('fig-map').data.find((t) => "
                          "(t.customdata || []).some((c) => c[0] === 'link')); return t.customdata.map((c, i) => "
                          "[c[1], Array.isArray(t.marker.size) ? t.marker.size[i] : t.marker.size]); }")
    link = next(i for i, size in sizes if size and size > 0 and i in moving)
    _click_map(page, "link", link)
    assert "utilisation" in page.inner_text("#details")
    # the whole-year dispatch of the first node is fetched when it scrolls into view; then AZ
    page.locator("#fig-dispatch").scroll_into_view_if_needed()
    page.wait_for_selector("#fig-dispatch .main-svg")
    assert "Dispatch: KZ_W" in page.text_content("#fig-dispatch .gtitle")
    page.select_option("#dispatch-form select[name=node]", "AZ")
    page.wait_for_selector("#fig-dispatch .gtitle:text-is('Dispatch: AZ')")
    for sid in ("capacity", "balances", "prices", "curtailment", "exports", "cbam", "costs", "downloads",
                "provenance"):
        assert page.locator(f"section#{sid}").count() == 1
    assert page.locator("div.plot").count() == page.locator("div.plot:has(.main-svg)").count()
    # downloads: a table as CSV, through the page's own link
    with page.expect_download() as dl:
        page.click("#downloads a[href$='/generators.csv']")
    text = Path(dl.value.path()).read_text()
    assert text.splitlines()[0].startswith("id,node,") and "KZ_W" in text
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
    assert json.loads((run_dir / "web_run.json").read_text())["knobs"]["co2_price"] == 200
    # compare the two
    page.check("#results-table input[value=r1]")
    page.check("#results-table input[value=r2]")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#compare-table")
    text = page.inner_text("#compare-table")
    assert "Total system cost" in text and "Emissions" in text and "Δ" in text
    # comparison charts: headline small multiples, capacity, side-by-side maps, all drawn by Plotly
    page.wait_for_selector("#fig-cmp-maps .main-svg")
    assert page.locator("#compare-out div.plot:has(.main-svg)").count() >= 3
    _shot(page, "run_compare")
    page.close()
    # the refused submission (HTTP 400) is the only thing chromium logs
    assert problems == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]


# ---------------------------------------------------------------------------------------- queue
def _post_run(port: int, body: dict, token: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/runs", body=json.dumps(body),
                 headers={"Content-Type": "application/json", "X-SilkGrid-Token": token})
    r = conn.getresponse()
    out = json.loads(r.read())
    conn.close()
    assert r.status == 202, out
    return out


def test_several_queued_runs(server):
    """Runs started while others wait are all solved, one after another, and all get a result id."""
    jobs = [_post_run(server["port"], {"label": f"q{k}", "co2_price": 50 * k, "caspian_mw": 300 + k},
                      server["app"].state.token)
            for k in range(3)]
    assert jobs[-1]["state"] == "queued"
    deadline = time.time() + 40
    states = {}
    while time.time() < deadline:
        states = {j["id"]: json.loads(_raw_get(server["port"], f"/api/jobs/{j['id']}")[1]) for j in jobs}
        if all(s["state"] in ("done", "failed") for s in states.values()):
            break
        time.sleep(0.2)
    assert [s["state"] for s in states.values()] == ["done"] * 3, states
    ids = {s["result_id"] for s in states.values()}
    listed = {e["id"]: e for e in json.loads(_raw_get(server["port"], "/api/results")[1])}
    assert ids <= set(listed) and len(ids) == 3
    caps = [json.loads((server["app"].state.registry.get(s["result_id"]).path / "summary.json").read_text())
            ["link_capacity_mw"]["caspian_cable"] for s in states.values()]
    assert caps == pytest.approx([300, 301, 302])  # the fixed cable capacity was applied


def test_failed_run_reports_its_error(tmp_path):
    """A run that raises ends as 'failed' with its error (shown on the page by app.js), no result."""
    from silkgrid.web.jobs import JobQueue, Registry

    q = JobQueue(Registry(), tmp_path)
    bad = silkgrid.load_scenario(ONE_WEEK)
    object.__setattr__(bad, "time", None)  # the model builder cannot make snapshots of this
    job = q.submit(bad, {}, "broken")
    for _ in range(100):
        if job.state in ("done", "failed"):
            break
        time.sleep(0.1)
    q.stop()
    assert job.state == "failed" and job.error and job.result_id is None
    assert job.as_json()["error"] == job.error
