"""HTML report (``silkgrid report``): content, offline-ness, and rendering in headless chromium."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import silkgrid
from silkgrid.core.errors import SilkGridError
from silkgrid.report import write_report
from silkgrid.results import Result

ROOT = Path(__file__).resolve().parents[1]
ONE_WEEK = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-07"}}}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    sc = silkgrid.load_scenario(ONE_WEEK)
    res = silkgrid.solve(sc)
    assert res.optimal
    out = res.to_dir(tmp_path_factory.mktemp("report") / "example-week")
    return sc, res, out


@pytest.fixture(scope="module")
def report(solved):
    _, _, out = solved
    return write_report(out)  # the directory carries the scenario it solved


def test_network_json_and_result_round_trip(solved):
    sc, res, out = solved
    net = json.loads((out / "network.json").read_text())
    assert [n["id"] for n in net["nodes"]] == ["KZ_W", "AZ", "GE", "RO"]
    assert net["nodes"][1] == {"id": "AZ", "name": "Azerbaijan (Baku)", "country": "AZ", "lat": 40.41, "lon": 49.87}
    assert {ln["id"]: (ln["from_node"], ln["to_node"]) for ln in net["links"]}["black_sea_cable"] == ("GE", "RO")
    assert len(net["weights_h"]) == len(res.snapshots)
    back = Result.from_dir(out)
    assert back.scenario_name == "example" and back.summary == res.summary
    assert set(back.tables) >= {"generators", "storage", "links", "nodes", "markets"}
    assert "weights_h" not in back.network
    assert back.weights.sum() == pytest.approx(res.weights.sum())
    demand = back.hourly["demand_mw"]
    assert list(demand.columns) == ["KZ_W", "AZ", "GE", "RO"]
    assert (demand * back.weights[:, None]).sum().sum() == pytest.approx(res.summary["demand_mwh"])


def _figure(text: str, fid: str) -> dict:
    """The JSON of figure ``fid`` embedded in a page."""
    m = re.search(rf'<script type="application/json" id="{fid}-json">(.*?)</script>', text, re.S)
    assert m, f"no figure {fid}"
    return json.loads(m.group(1).replace("<\\/", "</"))


def test_report_is_self_contained(solved, report):
    from silkgrid.report.plotting import plotly_bundle

    full = report.read_text()
    assert report == solved[2] / "report.html"
    assert plotly_bundle() in full  # the Plotly bundle is inline: the page works offline
    text = full.replace(plotly_bundle(), "")  # the bundle's own code names web addresses it never loads here
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*['\"]?(https?:)?//", text, re.I)
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", text, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)
    assert "http" not in text  # the example's texts hold no address either
    for section in ("map", "capacity", "dispatch", "balances", "prices", "curtailment", "exports", "cbam", "costs",
                    "downloads", "provenance"):
        assert f'<section id="{section}">' in text
    for fid in ("fig-map", "fig-capacity", "fig-dispatch", "fig-sankey", "fig-mix", "fig-emissions", "fig-prices",
                "fig-capture", "fig-rents", "fig-exports", "fig-costs"):
        fig = _figure(text, fid)
        assert fig["data"] and "layout" in fig
    assert "Hourly matched share:" in text  # CBAM of what lands in RO, by traced origin
    assert "Origin traced by proportional sharing" in text
    # the January week lands nothing in RO (the Black Sea cable is idle): the panel says so
    assert "Delivered cost: nothing lands in the EU nodes" in text
    assert "synthetic illustrative profiles" in text and "silkgrid info corridor --sources" in text
    # downloads: every table of the directory, linked relative to the page
    assert "<a href='generators.parquet' download>Parquet</a>" in text
    figs = sorted(p.name for p in (solved[2] / "figures").glob("*.png"))
    assert figs == ["capacity_mix.png", "costs.png", "dispatch_week1.png", "map.png", "price_duration.png"]


def test_dispatch_figure_closes_the_balance(solved):
    """Each node's dispatch: supply layers - use layers = demand in every hour (imports/exports are
    the node's net exchange), to the 0.1 MW the chart rounds to; the figure opens at the asked week."""
    import numpy as np
    import pandas as pd

    from silkgrid.report.charts import node_balance
    from silkgrid.report.panels import dispatch_panel

    res = Result.from_dir(solved[2])
    for node in ("KZ_W", "AZ", "GE"):
        supply, use, demand = node_balance(res, node)
        gap = supply.sum(axis=1) - use.sum(axis=1) - demand
        assert float(np.abs(gap).max()) < 1e-6 * max(float(demand.max()), 1.0)
    fig = _figure(dispatch_panel(res, 1, nodes=["GE"]), "fig-dispatch")
    names = [t["name"] for t in fig["data"]]
    assert "demand" in names and "GE_hydro state of charge" in names  # GE's reservoir (AZ builds no battery)
    assert not any("AZ_battery" in n for n in names)
    soc = next(t for t in fig["data"] if t["name"].endswith("state of charge"))
    assert soc["yaxis"] == "y2" and soc.get("xaxis", "x") == "x"  # one shared time axis
    step_h = (res.snapshots[1] - res.snapshots[0]) / pd.Timedelta(hours=1)  # the example: 3 h snapshots
    assert fig["data"][0]["dx"] == step_h * 3_600_000 and fig["data"][0]["x0"] == "2030-01-01 00:00"


def test_report_from_the_directory_alone(solved, tmp_path):
    """The result directory carries the scenario it solved: no scenario is needed to report it."""
    _, _, out = solved
    text = write_report(out, out=tmp_path / "r.html", figures=False).read_text()
    assert "Cost breakdown not computed" not in text and "Hourly matched share:" in text


def test_report_without_a_stored_scenario_says_why(solved, tmp_path):
    """A directory written before results carried their scenario: the panels that need it say why."""
    import shutil

    old = tmp_path / "old"
    shutil.copytree(solved[2], old)
    (old / "scenario.json").unlink()
    (old / "scenario_profiles.parquet").unlink()
    text = write_report(old, figures=False).read_text()
    assert "CBAM matching not computed: the result directory holds no scenario.json" in text
    assert "Cost breakdown not computed" in text


def test_panels_take_a_result(solved):
    """The public panels draw from a Result alone (the web dashboard uses them one by one)."""
    from dataclasses import replace

    from silkgrid.report import panels, trade_panels

    res = Result.from_dir(solved[2])
    one = panels.dispatch_panel(res, 1, nodes=["AZ"])
    assert one.count('class="plot"') == 1 and "Dispatch: AZ" in one
    assert list(panels.capacity_by_node(res).index) == ["KZ_W", "AZ", "GE"]  # RO: a market, no plant
    assert panels.n_weeks(res) == 1 and len(panels.week_slice(res, 1)) == len(res.snapshots)
    assert trade_panels.cost_table(res) is not None and 'id="fig-costs"' in trade_panels.cost_panel(res)
    old = replace(res, scenario=None)
    assert trade_panels.cost_table(old) is None
    assert "Cost breakdown not computed: the result directory holds no scenario.json" in trade_panels.cost_panel(old)
    assert "CBAM matching not computed: the result directory holds no scenario.json" in trade_panels.cbam_panel(old)
    assert "Delivered cost not computed: the result directory holds no scenario.json" in trade_panels.export_panel(old)


def test_provenance_names_the_solver(solved, report):
    """The Solver row shows the method and algorithm that ran (not always "HiGHS")."""
    from dataclasses import replace

    from silkgrid.report import panels

    solver = solved[1].solver
    assert (solver["method"], solver["algorithm"]) == ("monolithic", "clarabel")  # the default solver
    text = report.read_text()
    assert "<td style='text-align:left'>Clarabel (interior point), monolithic, " in text
    assert "HiGHS" not in text
    res = Result.from_dir(solved[2])
    for algorithm, name in (("ipm", "HiGHS interior point"), ("simplex", "HiGHS simplex")):
        other = replace(res, solver={**res.solver, "algorithm": algorithm, "solve_seconds": 1.0})
        assert f"{name}, monolithic, 1.0 s" in panels.provenance_panel(other)
    dec = replace(res, solver={**res.solver, "method": "decomposed", "algorithm": "benders (dual simplex windows)",
                               "gap": 0.0009, "solve_seconds": 12.34,
                               "decomposition": {"warm_start": {"algorithm": "clarabel", "segments": 876}}})
    assert ("decomposed (Benders): HiGHS dual simplex windows, Clarabel (interior point) warm start on 876 "
            "segments, 12.3 s, proven gap 0.09 %") in panels.provenance_panel(dec)


def test_bad_week(solved, tmp_path):
    with pytest.raises(SilkGridError, match="outside the modelled horizon"):
        write_report(solved[2], out=tmp_path / "r.html", week=3, figures=False)


def test_cli_report(solved, tmp_path):
    from typer.testing import CliRunner

    from silkgrid.cli import app

    _, _, out = solved
    r = CliRunner().invoke(app, ["report", str(out), "--out", str(tmp_path / "x.html"), "--week", "1"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "x.html").is_file()
    r = CliRunner().invoke(app, ["report", str(tmp_path / "nothing")])
    assert r.exit_code == 2


def test_report_in_chromium(solved, report):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from playwright import sync_api  # a test dependency: not skipped when chromium is there

    _, _, out = solved
    net = json.loads((out / "network.json").read_text())
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"network request {r.url}")
                if not r.url.startswith(("file:", "data:", "about:")) else None)
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("#fig-map .main-svg")
        # charts are drawn one by one after the page shows (the map first): wait for all
        page.wait_for_selector("div.plot:not(.js-plotly-plot)", state="detached", timeout=60_000)
        assert page.locator("div.plot").count() == page.locator("div.plot:has(.main-svg)").count() >= 11
        # the map's time slider: the year's mean, then each day; moving it redraws the arrows
        slider = page.locator("#fig-map + .timeslider input[type=range]")
        assert slider.get_attribute("max") == "7"  # the year's mean + 7 days
        assert page.inner_text("#fig-map + .timeslider span") == "mean net flow, year (mean)"
        slider.fill("3")
        assert page.inner_text("#fig-map + .timeslider span") == "mean net flow, Jan 03"
        assert page.locator("#fig-dispatch .scatterlayer .trace").count() > 3
        assert page.locator("#fig-capacity .barlayer .point").count() > 0
        assert page.locator("#fig-prices .scatterlayer .trace").count() == len(net["nodes"])
        assert page.locator("#fig-sankey .sankey-node").count() > 4
        box = page.locator("#fig-map").bounding_box()
        assert box and box["width"] > 400 and box["height"] > 300
        # hover shows values: move over the middle of the dispatch chart
        page.locator("#fig-dispatch").scroll_into_view_if_needed()
        dbox = page.locator("#fig-dispatch .nsewdrag").first.bounding_box()
        page.mouse.move(dbox["x"] + dbox["width"] / 2, dbox["y"] + dbox["height"] / 2)
        page.mouse.move(dbox["x"] + dbox["width"] / 2 + 5, dbox["y"] + dbox["height"] / 2)
        page.wait_for_function("document.querySelector('#fig-dispatch .hoverlayer').children.length > 0",
                               timeout=5000)
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "report.png"), full_page=True)
        browser.close()
    assert errors == []


def test_run_with_report_flag_and_reload(tmp_path):
    """``run --report`` writes the report; ``report DIR`` later reads the solved scenario from DIR."""
    from typer.testing import CliRunner

    from silkgrid.cli import app

    scen = tmp_path / "week.yaml"
    scen.write_text("extends: example\nname: example-summer\n"
                    "time: {subset: {start: '2030-07-01', end: '2030-07-07'}}\n")
    out = tmp_path / "res"
    r = CliRunner().invoke(app, ["run", str(scen), "--out", str(out), "--report", "--quiet"])
    assert r.exit_code == 0, r.output
    assert (out / "report.html").is_file() and (out / "figures" / "map.png").is_file()
    (out / "report.html").unlink()
    r = CliRunner().invoke(app, ["report", str(out), "--week", "1"])
    assert r.exit_code == 0, r.output
    text = (out / "report.html").read_text()
    assert "Cost breakdown not computed" not in text and "cost data from the scenario &#x27;example-summer&#x27; as solved" in text
    assert "Hourly matched share:" in text
