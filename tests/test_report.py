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


def test_report_is_self_contained(solved, report):
    text = report.read_text()
    assert report == solved[2] / "report.html"
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*['\"]?(https?:)?//", text, re.I)
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", text, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)
    assert "http" not in text  # the example's texts hold no address either
    for section in ("map", "capacity", "dispatch", "prices", "exports", "cbam", "costs", "provenance"):
        assert f'<section id="{section}">' in text
    assert "Hourly matched share:" in text  # CBAM of what lands in RO, by traced origin
    assert "Origin traced by proportional sharing" in text
    # the January week lands nothing in RO (the Black Sea cable is idle): the panel says so
    assert "Delivered cost: nothing lands in the EU nodes" in text
    assert "synthetic illustrative profiles" in text and "silkgrid info corridor --sources" in text
    figs = sorted(p.name for p in (solved[2] / "figures").glob("*.png"))
    assert figs == ["capacity_mix.png", "costs.png", "dispatch_week1.png", "map.png", "price_duration.png"]


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

    from silkgrid.report import panels

    res = Result.from_dir(solved[2])
    one = panels.dispatch_panel(res, 1, nodes=["AZ"])
    assert one.count('class="chart dispatch"') == 1 and ">AZ</text>" in one
    assert 'class="chart storage"' in panels.storage_panel(res, "AZ", 1)  # AZ has a battery
    assert "No storage at KZ_W" in panels.storage_panel(res, "KZ_W", 1)
    assert list(panels.capacity_by_node(res).index) == ["KZ_W", "AZ", "GE"]  # RO: a market, no plant
    assert panels.n_weeks(res) == 1 and len(panels.week_slice(res, 1)) == len(res.snapshots)
    assert panels.cost_table(res) is not None and 'class="bar"' in panels.cost_panel(res)
    old = replace(res, scenario=None)
    assert panels.cost_table(old) is None
    assert "Cost breakdown not computed: the result directory holds no scenario.json" in panels.cost_panel(old)
    assert "CBAM matching not computed: the result directory holds no scenario.json" in panels.cbam_panel(old)
    assert "Delivered cost not computed: the result directory holds no scenario.json" in panels.export_panel(old)


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
        assert page.locator("#map-svg circle.node").count() == len(net["nodes"])
        assert page.locator("#map-svg path.link").count() == len(net["links"])
        assert page.locator("#map-svg path.country").count() > 10
        assert page.locator("#dispatch svg.dispatch").count() == len(net["nodes"])
        assert page.locator("#dispatch polygon.area").count() > 0
        assert page.locator("#prices svg polyline").count() == len(net["nodes"])
        assert page.locator("#capacity rect.bar").count() > 0
        assert page.locator("#costs rect.bar").count() > 0
        box = page.locator("#map-svg").bounding_box()
        assert box and box["width"] > 400 and box["height"] > 150
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
