"""The dashboard's pathway view: listing, the pathway page (figures equal to the tables), period
links, downloads, a bad id, and drawing in Debian chromium under the app's CSP.

The pathway is the hand-solvable one of ``tests/test_pathway_report.py`` (two nodes, one hour a
year, periods 2030/2040/2050): total capacity ccgt 200 MW in every period, PV 0 / 50 / 70 MW; link
``ab`` 50 MW built in 2030; present value 1,525,000 EUR.  It solves in well under a second.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

import silkgrid  # noqa: E402
from silkgrid.web import create_app  # noqa: E402
from web_server import get, serving  # noqa: E402
from test_pathway_report import hand_pathway  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: Figures are rounded to 3 decimals of their unit (MW here): half of that is the tolerance.
TOL = 5e-4
_FIG = re.compile(r'<script type="application/json" id="(fig-[^"]+)-json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-pathway-runs")
    res = silkgrid.solve_pathway(hand_pathway())
    assert res.optimal and res.objective_pv_eur == pytest.approx(1_525_000.0, rel=1e-7)
    res.to_dir(root / "hand-pw")  # written into the results root: the app finds it at start
    app = create_app([], runs_dir=root, base_scenario={"extends": "example"})
    with serving(app, dir=root / "hand-pw") as running:
        yield running


def _get(server, path: str) -> tuple[int, bytes, dict]:
    return get(server["port"], path)


def _figs(html: str) -> dict[str, dict]:
    return {fid: json.loads(text) for fid, text in _FIG.findall(html)}


def _trace(fig: dict, name: str) -> dict:
    found = [t for t in fig["data"] if t.get("name") == name]
    assert len(found) == 1, [t.get("name") for t in fig["data"]]
    return found[0]


def test_listing_shows_the_pathway(server):
    status, body, _ = _get(server, "/fragments/results")
    html = body.decode()
    assert status == 200 and "pathways-table" in html and "hand-pw" in html
    assert "2030, 2040, 2050" in html and "optimal" in html
    (p,) = json.loads(_get(server, "/api/pathways")[1])
    assert p["id"] == "p1" and p["periods"] == [2030, 2040, 2050]
    assert p["total_cost_pv_eur"] == pytest.approx(1_525_000.0, rel=1e-7)
    # each period is an ordinary result too (result view, downloads and compare work on it)
    results = {r["id"]: r for r in json.loads(_get(server, "/api/results")[1])}
    assert [results[rid]["label"] for rid in p["period_results"].values()] == [
        "hand-pw 2030", "hand-pw 2040", "hand-pw 2050"]


def test_pathway_page_figures_equal_the_tables(server):
    status, body, headers = _get(server, "/pathways/p1")
    html = body.decode()
    assert status == 200 and "script-src 'self'" in headers["content-security-policy"]
    assert "<script>" not in html  # no inline script (CSP); Plotly and plots.js are served files
    assert "/static/plotly.min.js" in html and "/static/plots.js" in html
    figs = _figs(html)
    cap = figs["fig-pw-capacity"]
    assert cap["layout"]["yaxis"]["title"]["text"] == "MW"
    assert _trace(cap, "ccgt")["y"] == pytest.approx([200, 200, 200], abs=TOL)
    assert _trace(cap, "pv")["y"] == pytest.approx([0, 50, 70], abs=TOL)
    assert _trace(figs["fig-pw-built"], "pv")["y"] == pytest.approx([0, 50, 20], abs=TOL)  # 20 MW more in 2050
    assert _trace(figs["fig-pw-links"], "ab")["y"] == pytest.approx([50, 0, 0], abs=TOL)
    # the vintages table behind the built figure
    v = pd.read_parquet(server["dir"] / "vintages.parquet")
    pv = v[v["id"] == "pv_B"].groupby("build_period")["built_mw"].sum()
    assert pv.get(2040) == pytest.approx(50, abs=0.05) and pv.get(2050) == pytest.approx(20, abs=0.05)


def test_period_link_opens_its_result_page(server):
    html = _get(server, "/pathways/p1")[1].decode()
    links = re.findall(r"<a href='(/results/r\d+)'>result page</a>", html)
    assert len(set(links)) == 3
    status, body, _ = _get(server, links[1])
    assert status == 200 and "hand-pathway-report" in body.decode()


def test_downloads(server):
    html = _get(server, "/pathways/p1")[1].decode()
    assert "/pathways/p1/download/vintages.parquet" in html and "/pathways/p1/download/capacity_by_period.csv" in html
    status, body, headers = _get(server, "/pathways/p1/download/vintages.parquet")
    assert status == 200 and "attachment" in headers["content-disposition"]
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(body)),
                                  pd.read_parquet(server["dir"] / "vintages.parquet"))
    status, body, _ = _get(server, "/pathways/p1/download/capacity_by_period.csv")
    csv = pd.read_csv(io.BytesIO(body))
    assert status == 200 and list(csv["period"].unique()) == [2030, 2040, 2050]


def test_bad_ids_are_404(server):
    for path in ["/pathways/p9", "/pathways/..%2f..%2fetc", "/pathways/p1/download/pathway.json",
                 "/pathways/p1/download/vintages.txt", "/pathways/p1/download/..%2fperiod-2030%2fsummary.parquet",
                 "/pathways/r1"]:
        assert _get(server, path)[0] == 404, path


# ---------------------------------------------------------------------------------------- browser
def test_pathway_page_draws_in_browser(server):
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
        page.click("#pathways-table a")
        page.wait_for_selector("#pw-capacity .main-svg")
        page.wait_for_selector("div.plot:not(.js-plotly-plot)", state="detached", timeout=60_000)
        n = page.locator("div.plot").count()
        assert n == 7 and page.locator("div.plot:has(.main-svg)").count() == n
        art = ROOT / "test-artifacts"
        art.mkdir(exist_ok=True)
        page.screenshot(path=str(art / "web_pathway.png"), full_page=True)
        assert problems == [], "pathway page"
        # a period link opens the period's ordinary result page, whose every chart draws too (a
        # one-hour result: its flows are below the Sankey's threshold, so the Sankey is left out with
        # a note, which once broke the charts after it)
        page.click("#pw-files a:text('result page')")
        page.wait_for_selector("#headline h2:text('hand-pathway-report')")
        # every chart ends drawn or with a warning (a failed fetch): wait for that, then require drawn
        page.wait_for_selector("div.plot:not(.js-plotly-plot):not(:has(p.warn))", state="detached",
                               timeout=120_000)
        warns = page.locator("div.plot p.warn").all_inner_texts()
        assert warns == [], warns
        assert page.locator("div.plot").count() == page.locator("div.plot:has(.main-svg)").count() > 0
        assert problems == [], "period result page"
        b.close()


# ---------------------------------------------------------------------------------------- runs
def _post(server, path: str, body) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=60)
    conn.request("POST", path, body=json.dumps(body), headers={
        "Content-Type": "application/json", "X-SilkGrid-Token": server["app"].state.token})
    r = conn.getresponse()
    out = json.loads(r.read())
    conn.close()
    return r.status, out


def test_pathway_run_requests_are_checked(server):
    for body, field in [({"pathway": "no-such-pathway"}, "not a packaged pathway"),
                        ({"pathway": "corridor-pathway", "resolution": "fast"}, "resolution"),
                        ({"pathway": "corridor-pathway", "foresight": "limited"}, "foresight"),
                        ({"pathway": "corridor-pathway", "rm": "-rf"}, "rm"), ([1], "JSON object")]:
        status, out = _post(server, "/api/runs/pathway", body)
        assert status == 400 and field in out["error"], out
    yaml_text = "pathway: {periods: [2030]}\nscenario: {extends: /etc/passwd}\n"
    status, out = _post(server, "/api/runs/upload", {"yaml": yaml_text})
    assert status == 400 and "not a packaged data set" in out["error"]
    assert server["app"].state.jobs.all() == []  # nothing was queued


def test_uploaded_pathway_runs_and_is_listed(server):
    import yaml

    text = yaml.safe_dump(json.loads(json.dumps(hand_pathway())))  # JSON round trip: no YAML aliases
    status, job = _post(server, "/api/runs/upload", {"yaml": text, "label": "hand up"})
    assert status == 202 and job["kind"] == "pathway", job
    for _ in range(600):  # the child solves three one-hour periods: a few seconds with its start-up
        job = json.loads(_get(server, f"/api/jobs/{job['id']}")[1])
        if job["state"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert job["state"] == "done" and job["verdict"] == "optimal", job
    pathways = {p["id"]: p for p in json.loads(_get(server, "/api/pathways")[1])}
    p = pathways[job["pathway_id"]]
    assert p["label"] == f"{job['id']}: hand up" and p["origin"] == "run"
    assert p["total_cost_pv_eur"] == pytest.approx(1_525_000.0, rel=1e-7)
    assert _get(server, f"/pathways/{p['id']}")[0] == 200
