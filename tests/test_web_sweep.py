"""The dashboard's sweep view: listing, the sweep page and its chart (numbers equal the catalog's),
run links, the CSV download, bad ids and names, and drawing in Debian chromium under the app's CSP.

The sweep is real: the packaged ``example`` data set at 24 h, the Caspian cable's capex (factors
0.5, 1.5) crossed with a CO2 price (0, 80 EUR/t): 4 runs on 2 worker processes.  Then one run's
directory is removed and the sweep run again while this process holds that directory's output lock:
the run fails (its output is busy) and is recorded as failed with its error.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("duckdb")
pytest.importorskip("distributed")

from silkgrid.web import create_app  # noqa: E402
from web_server import get, serving  # noqa: E402
from silkgrid.workflows.catalog import query  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CAPEX = "links.caspian_cable.capex_eur_per_mw_km"
CO2 = "policies.co2_price_eur_per_t"
SWEEP = {"name": "cable-capex-x-co2", "base": "example", "resolution": "24h",
         "axes": [{"path": CAPEX, "factors": [0.5, 1.5]}, {"path": CO2, "values": [0, 80]}]}
BROKEN_POINT = 3


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    from silkgrid.results.staging import output_lock
    from silkgrid.workflows.sweep_run import run_sweep
    from silkgrid.workflows.sweep_spec import load_sweep

    root = tmp_path_factory.mktemp("web-sweep-runs")
    out = root / "capex-sweep"  # inside the results root: the app finds it at start
    plan = load_sweep(SWEEP)
    first = run_sweep(plan, out, workers=2, sweep_text=json.dumps(SWEEP))
    assert first.progress.done == 4 and first.progress.failed == 0
    key = query(out, f"SELECT key FROM plan_runs WHERE point = {BROKEN_POINT}")["key"].iloc[0]
    shutil.rmtree(out / "runs" / key)
    with output_lock(out / "runs" / key):  # another writer holds the run's directory: the run fails
        second = run_sweep(plan, out, workers=2, retries=0)
    assert second.progress.failed == 1 and second.ran == [key]
    return out


@pytest.fixture(scope="module")
def server(sweep_dir):
    app = create_app([], runs_dir=sweep_dir.parent, base_scenario={"extends": "example"})
    with serving(app, dir=sweep_dir) as running:
        yield running


def _get(server, path: str) -> tuple[int, bytes, dict]:
    return get(server["port"], path)


def _catalog(server) -> pd.DataFrame:
    return query(server["dir"], "SELECT * FROM plan_runs ORDER BY point")


def test_listing_shows_the_sweep(server):
    html = _get(server, "/fragments/results")[1].decode()
    assert "sweeps-table" in html and "cable-capex-x-co2" in html and "/sweeps/s1" in html
    (s,) = json.loads(_get(server, "/api/sweeps")[1])
    assert s["id"] == "s1" and s["axes"] == [CAPEX, CO2]
    assert (s["points"], s["done"], s["failed"], s["not_run"]) == (4, 3, 1, 0)
    assert "sweeps-table" in _get(server, "/")[1].decode()


def test_sweep_page_lists_every_run(server):
    status, body, headers = _get(server, "/sweeps/s1")
    html = body.decode()
    assert status == 200 and "script-src 'self'" in headers["content-security-policy"]
    assert "<script>" not in html  # no inline script (CSP)
    assert "4 points" in html and "<b>3</b> done, <b>1</b> failed" in html
    cat = _catalog(server)
    rows = dict(re.findall(r"<tr data-key='([0-9a-f]+)'[^>]*>(.*?)</tr>", html, re.S))
    assert set(rows) == set(cat["key"])
    for r in cat.to_dict("records"):
        row = rows[r["key"]]
        assert f"<td>{r['point']}</td>" in row and f"<td>{r['status']}</td>" in row
        if r["status"] == "failed":
            assert r["error"].startswith("OutputWriteError: another SilkGrid run"), r["error"]
            assert "OutputWriteError: another SilkGrid run" in row  # the error is shown
            assert "class='warn'" in row and "result</a>" not in row
        else:
            assert f"/sweeps/s1/runs/{r['key']}" in row
    assert "Failed runs are left out of the chart" in html
    assert "data-src='/api/sweeps/s1/figure?y=" in html


def test_figure_equals_the_catalog(server):
    status, body, _ = _get(server, f"/api/sweeps/s1/figure?y=system_cost_eur&x={CAPEX}&colour={CO2}")
    assert status == 200
    fig = json.loads(body)
    cat = _catalog(server)
    ok = cat[cat["status"] != "failed"]
    assert len(fig["data"]) == 2  # one line per CO2 price
    drawn = 0
    for tr in fig["data"]:
        co2 = float(tr["name"].rsplit("= ", 1)[1])
        want = ok[ok[f"axis_{CO2.replace('.', '_')}"] == co2].sort_values("axis_links_caspian_cable_capex_eur_per_mw_km")
        assert tr["x"] == pytest.approx(want["axis_links_caspian_cable_capex_eur_per_mw_km"].tolist())
        assert tr["y"] == pytest.approx(want["system_cost_eur"].tolist(), rel=1e-12)
        drawn += len(tr["x"])
    assert drawn == 3 and "1 failed" in fig["layout"]["annotations"][0]["text"]
    # the Caspian cable's size against its capex, from the catalog's links table
    fig = json.loads(_get(server, f"/api/sweeps/s1/figure?y=link:caspian_cable&x={CAPEX}")[1])
    links = query(server["dir"], "SELECT key, capacity_mw FROM links WHERE link = 'caspian_cable'")
    want = ok.merge(links, on="key").sort_values("axis_links_caspian_cable_capex_eur_per_mw_km", kind="stable")
    (tr,) = fig["data"]
    pairs = sorted(zip(want["axis_links_caspian_cable_capex_eur_per_mw_km"], want["capacity_mw"]))
    assert sorted(zip(tr["x"], tr["y"])) == [(x, pytest.approx(y, rel=1e-12)) for x, y in pairs]
    assert tr["mode"] == "markers"  # two runs at each capex (the CO2 price varies): points, no line
    assert fig["layout"]["yaxis"]["title"]["text"] == "caspian_cable capacity, MW"
    # a factors axis is labelled as such: its values multiply the base's capex, they are not EUR/MW/km
    assert fig["layout"]["xaxis"]["title"]["text"] == f"{CAPEX} (factor on the base value)"


def test_run_link_opens_its_result_page(server):
    html = _get(server, "/sweeps/s1")[1].decode()
    link = re.findall(r"<a href='(/sweeps/s1/runs/[0-9a-f]+)'>result</a>", html)[0]
    status, _, headers = _get(server, link)
    assert status == 303 and re.fullmatch(r"/results/r\d+", headers["location"])
    assert _get(server, link)[2]["location"] == headers["location"]  # registered once
    status, body, _ = _get(server, headers["location"])
    assert status == 200 and "id='headline'" in body.decode()


def test_csv_equals_the_catalog(server):
    status, body, headers = _get(server, "/sweeps/s1/runs.csv")
    assert status == 200 and "attachment" in headers["content-disposition"]
    csv = pd.read_csv(io.BytesIO(body))
    cat = _catalog(server)
    assert list(csv.columns) == list(cat.columns) and len(csv) == len(cat) == 4
    for col in ("key", "status", "error"):
        assert csv[col].fillna("").tolist() == cat[col].fillna("").tolist()
    for col in ("point", "system_cost_eur", "objective_eur", "axis_policies_co2_price_eur_per_t"):
        assert csv[col].tolist() == pytest.approx(cat[col].tolist(), rel=1e-12, nan_ok=True)


def test_bad_ids_and_names(server):
    for path in ["/sweeps/s9", "/sweeps/p1", "/sweeps/s1/runs/zz", "/sweeps/s1/runs/0123456789abcdef0123",
                 "/sweeps/s1/runs/..%2f..%2fcatalog.duckdb", "/sweeps/s9/runs.csv", "/api/sweeps/s9/figure?y=gap&x=a"]:
        assert _get(server, path)[0] == 404, path
    broken = query(server["dir"], f"SELECT key FROM plan_runs WHERE point = {BROKEN_POINT}")["key"].iloc[0]
    assert _get(server, f"/sweeps/s1/runs/{broken}")[0] == 404  # the failed run has no result
    for q, word in [("y=no_such&x=" + CAPEX, "unknown metric"), ("y=system_cost_eur&x=discount_rate", "not an axis"),
                    (f"y=system_cost_eur&x={CAPEX}&colour=nope", "not an axis"), ("x=" + CAPEX, "unknown metric"),
                    (f"y=system_cost_eur&x={CAPEX}&colour={CAPEX}", "second axis"),
                    ("y=key&x=" + CAPEX, "unknown metric"), ("y=system_cost_eur", "not an axis")]:
        status, body, _ = _get(server, "/api/sweeps/s1/figure?" + q)
        assert status == 400 and word in body.decode(), q


# ---------------------------------------------------------------------------------------- browser
def test_sweep_page_draws_in_browser(server):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from playwright import sync_api

    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(server["url"] + "/")
        page.click("#sweeps-table a")
        page.wait_for_selector("#fig-sweep .main-svg", timeout=60_000)
        page.wait_for_selector("#fig-sweep .g-ytitle text:text('System cost, EUR/yr')")
        assert page.locator("#fig-sweep .scatterlayer .trace").count() == 2
        page.select_option("#sweep-chart select[name=y]", "link:caspian_cable")
        page.wait_for_selector("#fig-sweep .g-ytitle text:text('caspian_cable capacity, MW')", timeout=30_000)
        # one line (no legend), then one line per CO2 price again (a legend): waits by selector (CSP-safe)
        page.select_option("#sweep-chart select[name=colour]", "")
        page.wait_for_selector("#fig-sweep .legend", state="detached", timeout=30_000)
        assert page.locator("#fig-sweep .scatterlayer .trace").count() == 1
        page.select_option("#sweep-chart select[name=colour]", CO2)
        page.wait_for_selector("#fig-sweep .legend", timeout=30_000)
        assert page.locator("#fig-sweep .scatterlayer .trace").count() == 2
        art = ROOT / "test-artifacts"
        art.mkdir(exist_ok=True)
        page.screenshot(path=str(art / "web_sweep.png"), full_page=True)
        assert problems == [], "sweep page"
        page.click("#sweep-runs a:text('result')")
        page.wait_for_selector("#headline h2")
        assert problems == [], "run result page"
        b.close()
