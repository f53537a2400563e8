"""The pathway report (``silkgrid.report.pathway_page``): figures equal to the tables, links, errors,
and drawing in headless chromium.

The pathway is solvable by hand: two nodes, A (KZ) and B (UZ); one snapshot of 1 h a year
(``annualise: false``), three periods of 10 years, no discounting.  A has an existing 200 MW gas
plant (50 EUR/MWh, 0.5 t CO2/MWh) and a 100 MW load; B has a 50 MW load and may build PV
(1,000 EUR/MW/yr, lifetime 20, renewable); link A -> B may be built at 100 EUR/MW/yr (lifetime 40).
KZ's CO2 is capped at 50 t/yr in 2040 and 2050; A's load is 120 MW in 2050.

* 2030: gas serves both loads (150 MWh, 75 t); 50 MW of link (5,000 EUR/yr) beats 50 MW of PV.
* 2040: gas may make 100 MWh: 50 MW of PV at B (lives 2040-2050).  Yearly cost 5,000 (gas) +
  5,000 (link) + 50,000 (PV) = 60,000 EUR.
* 2050: A needs 20 MWh more: 20 MW more PV, sent over the link.  5,000 + 5,000 + 70,000 = 80,000 EUR.

Present value 10 x (12,500 + 60,000 + 80,000) = 1,525,000 EUR.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import silkgrid
from silkgrid.core.errors import SilkGridError
from silkgrid.report.plotting import plotly_bundle
from silkgrid.report.pathway_page import (build_pathway_html, load_pathway_dir, renewable_share,
                                          system_cost_by_period, write_pathway_report)

ROOT = Path(__file__).resolve().parents[1]
#: Figures are rounded to 3 decimals of their unit (MW, t, k EUR here): half of that is the tolerance.
TOL = 5e-4
_FIG = re.compile(r'<script type="application/json" id="(fig-[^"]+)-json">(.*?)</script>', re.S)


def hand_pathway() -> dict:
    sc = {"name": "hand-pathway-report", "discount_rate": 0.0, "time": {"hours": 1, "annualise": False},
          "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "UZ"}],
          "carriers": [{"id": "gas", "co2_t_per_mwh_th": 0.5}, {"id": "sun", "renewable": True}],
          "technologies": [{"id": "ccgt", "carrier": "gas", "lifetime_years": 40},
                           {"id": "pv", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 1000, "lifetime_years": 20}],
          "generators": [{"id": "gas_A", "node": "A", "technology": "ccgt", "capacity_mw": 200,
                          "variable_cost_eur_per_mwh": 50},
                         {"id": "pv_B", "node": "B", "technology": "pv", "extendable": True,
                          "variable_cost_eur_per_mwh": 0}],
          "links": [{"id": "ab", "from_node": "A", "to_node": "B", "extendable": True,
                     "annualised_cost_eur_per_mw_yr": 100}],
          "loads": [{"id": "dA", "node": "A", "demand_mw": 100}, {"id": "dB", "node": "B", "demand_mw": 50}],
          "solver": {"method": "monolithic", "algorithm": "simplex"}}
    cap = {"co2_cap_t_by_country": {"KZ": 50}}
    return {"pathway": {"periods": [2030, 2040, 2050], "years": [10, 10, 10]}, "scenario": sc,
            "overrides": {2040: {"policies": cap},
                          2050: {"policies": {**cap, "min_renewable_share": {"UZ": 0.5}},
                                 "loads": [{"id": "dA", "demand_mw": 120}]}}}


@pytest.fixture(scope="module")
def pathway_dir(tmp_path_factory):
    res = silkgrid.solve_pathway(hand_pathway())
    assert res.optimal, res.message
    assert res.objective_pv_eur == pytest.approx(1_525_000.0, rel=1e-7)  # the case is the one described
    return res.to_dir(tmp_path_factory.mktemp("pathway-report") / "pw")


@pytest.fixture(scope="module")
def report(pathway_dir):
    return write_pathway_report(pathway_dir)


@pytest.fixture(scope="module")
def figs(report) -> dict[str, dict]:
    return {fid: json.loads(text) for fid, text in _FIG.findall(report.read_text())}


def trace(fig: dict, name: str) -> dict:
    found = [t for t in fig["data"] if t.get("name") == name]
    assert len(found) == 1, [t.get("name") for t in fig["data"]]
    return found[0]


def ytitle(fig: dict) -> str:
    return fig["layout"]["yaxis"]["title"]["text"]


def test_page_is_offline_and_has_every_chart(report, figs):
    full = report.read_text()
    assert report.name == "report.html"
    assert plotly_bundle() in full  # inline: the page works offline
    text = full.replace(plotly_bundle(), "")  # the bundle's own code names addresses it never loads here
    assert sorted(figs) == ["fig-pw-built", "fig-pw-capacity", "fig-pw-emissions", "fig-pw-investment",
                            "fig-pw-links", "fig-pw-renewables", "fig-pw-system-cost"]
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.I)
    assert "http" not in text  # no address at all outside the bundle
    types = {t["type"] for f in figs.values() for t in f["data"]}
    assert types <= {"bar", "scatter"}, types  # SVG traces only (no scattergl / scattergeo)
    assert '"-0.0' not in text and ">-0<" not in text


def test_headline(report, pathway_dir):
    text = report.read_text()
    s = json.loads((pathway_dir / "pathway.json").read_text())
    assert "1.52 M EUR" in text or "1.53 M EUR" in text  # 1,525,000 EUR present value
    assert "<th>Foresight</th><td style='text-align:left'>perfect</td>" in text
    assert "Periods</th><td style='text-align:left'>2030, 2040, 2050<" in text
    rows = re.findall(r"<tr><td>(20\d\d)</td><td>([\d.]+)</td><td>(\w+)</td>" + "<td>([^<]+)</td>" * 5, text)
    # period, weight, status, cost/yr, emissions/yr, demand/yr, new generation and storage MW, new links MW
    assert rows == [("2030", "10.00", "optimal", "12.5 k EUR", "75.0 t CO2", "150 MWh", "0", "50"),
                    ("2040", "10.00", "optimal", "60.0 k EUR", "50.0 t CO2", "150 MWh", "50", "0"),
                    ("2050", "10.00", "optimal", "80.0 k EUR", "50.0 t CO2", "170 MWh", "20", "0")]
    assert [p["total_cost_eur_per_yr"] for p in s["by_period"]] == pytest.approx([12_500, 60_000, 80_000])


def test_capacity_charts_equal_the_tables(figs, pathway_dir):
    cap, built = figs["fig-pw-capacity"], figs["fig-pw-built"]
    assert ytitle(cap) == "MW" and ytitle(built) == "MW"  # 270 MW at most: MW, not GW
    assert trace(cap, "ccgt")["x"] == ["2030", "2040", "2050"]
    assert trace(cap, "ccgt")["y"] == pytest.approx([200, 200, 200], abs=TOL)
    assert trace(cap, "pv")["y"] == pytest.approx([0, 50, 70], abs=TOL)  # 2040 vintage + 2050 vintage
    for k, year in enumerate((2030, 2040, 2050)):  # ... which is what each period's generators table says
        g = silkgrid.Result.from_dir(pathway_dir / f"period-{year}").tables["generators"].set_index("id")
        assert trace(cap, "pv")["y"][k] == pytest.approx(g.loc["pv_B", "total_mw"], abs=TOL)
    assert [t["name"] for t in built["data"]] == ["pv"]
    assert trace(built, "pv")["y"] == pytest.approx([0, 50, 20], abs=TOL)


def test_emissions_with_country_caps(figs):
    em = figs["fig-pw-emissions"]
    assert ytitle(em) == "t CO2/yr" and em["layout"]["xaxis"]["type"] == "multicategory"
    gas = trace(em, "ccgt")
    assert gas["x"] == [["2030", "2030", "2040", "2040", "2050", "2050"], ["KZ", "UZ"] * 3]
    assert gas["y"] == pytest.approx([75, 0, 50, 0, 50, 0], abs=TOL)  # 150, 100, 100 MWh x 0.5 t/MWh
    caps = trace(em, "CO2 cap")
    assert caps["x"] == [["2040", "2050"], ["KZ", "KZ"]] and caps["y"] == pytest.approx([50, 50])


def test_investment_and_system_cost(figs, pathway_dir):
    inv = figs["fig-pw-investment"]
    assert ytitle(inv) == "k EUR/yr"
    assert trace(inv, "generation")["y"] == pytest.approx([0, 50, 20], abs=TOL)  # 50 / 20 MW x 1,000 EUR/MW/yr
    assert trace(inv, "transmission")["y"] == pytest.approx([5, 0, 0], abs=TOL)  # 50 MW x 100 EUR/MW/yr
    cost = figs["fig-pw-system-cost"]
    assert trace(cost, "total")["y"] == pytest.approx([12.5, 60, 80], abs=TOL)
    assert trace(cost, "new capacity alive (annuities)")["y"] == pytest.approx([5, 55, 75], abs=TOL)
    assert trace(cost, "operation and existing capacity")["y"] == pytest.approx([7.5, 5, 5], abs=TOL)  # gas
    sc = system_cost_by_period(load_pathway_dir(pathway_dir))
    assert (sc["new_capacity_eur"] + sc["other_eur"]).to_numpy() == pytest.approx(sc["total_eur"].to_numpy())


def test_link_vintages(report, figs):
    text = report.read_text()
    assert ("<tr><td>ab</td><td>A → B</td><td>2030</td><td>50</td><td>2050</td><td>2070</td></tr>") in text
    assert trace(figs["fig-pw-links"], "ab")["y"] == pytest.approx([50, 0, 0], abs=TOL)


def test_renewable_share_and_target(figs, pathway_dir):
    ren = figs["fig-pw-renewables"]
    assert trace(ren, "UZ")["y"] == pytest.approx([0, 100, 140], abs=0.05)  # 0, 50, 70 MWh of PV / 50 MWh
    assert trace(ren, "KZ")["y"] == pytest.approx([0, 0, 0], abs=0.05)
    assert trace(ren, "UZ target")["y"] == [None, None, 50.0]
    rs = renewable_share(load_pathway_dir(pathway_dir)).set_index(["period", "country"])
    assert rs.loc[(2050, "UZ"), "demand_mwh"] == pytest.approx(50.0)
    assert rs.loc[(2050, "KZ"), "demand_mwh"] == pytest.approx(120.0)


def test_links_to_period_reports_and_tables(pathway_dir, tmp_path):
    d = tmp_path / "pw"
    shutil.copytree(pathway_dir, d)
    (d / "period-2040" / "report.html").write_text("<html></html>")
    out = write_pathway_report(d, tmp_path / "elsewhere" / "pathway.html")
    text = out.read_text().replace(plotly_bundle(), "")
    hrefs = re.findall(r"href='([^']+)'", text)
    assert "../pw/period-2040/report.html" in hrefs and "../pw/vintages.parquet" in hrefs
    assert all((out.parent / h).exists() for h in hrefs), hrefs  # every relative link resolves
    assert "silkgrid report" in text  # the periods without a report say how to write one


def test_a_pathway_stopped_midway_reports_what_was_solved(pathway_dir, tmp_path):
    """A myopic pathway whose 2050 step failed: pathway.json says so and period-2050/ is absent."""
    d = tmp_path / "pw"
    shutil.copytree(pathway_dir, d)
    shutil.rmtree(d / "period-2050")
    s = json.loads((d / "pathway.json").read_text())
    s.update(status="infeasible", message="Period 2050: infeasible", by_period=s["by_period"][:2])
    (d / "pathway.json").write_text(json.dumps(s))
    text = build_pathway_html(d)
    assert "id='pathway-warning'" in text and "Period 2050: infeasible" in text
    assert "<tr><td>2050</td><td>n/a</td><td>not solved</td>" in text
    figs = {fid: json.loads(t) for fid, t in _FIG.findall(text)}
    assert trace(figs["fig-pw-capacity"], "pv")["x"] == ["2030", "2040"]
    assert trace(figs["fig-pw-capacity"], "pv")["y"] == pytest.approx([0, 50], abs=TOL)
    assert trace(figs["fig-pw-capacity"], "ccgt")["y"] == pytest.approx([200, 200], abs=TOL)


def test_not_a_pathway_directory(pathway_dir, tmp_path):
    with pytest.raises(SilkGridError, match="not a SilkGrid pathway directory.*single result"):
        build_pathway_html(pathway_dir / "period-2030")
    with pytest.raises(SilkGridError, match="no pathway.json"):
        write_pathway_report(tmp_path)
    (tmp_path / "pathway.json").write_text(json.dumps({"periods": [2030], "status": "infeasible",
                                                       "message": "Period 2030: infeasible"}))
    with pytest.raises(SilkGridError, match="no period of the pathway .* has a plan"):
        build_pathway_html(tmp_path)
    assert not (tmp_path / "report.html").exists()


def test_pathway_report_in_chromium(report):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from playwright import sync_api  # a test dependency: not skipped when chromium is there

    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"network request {r.url}")
                if not r.url.startswith(("file:", "data:", "about:")) else None)
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("div.plot:not(.js-plotly-plot)", state="detached", timeout=60_000)
        assert page.locator("div.plot").count() == page.locator("div.plot:has(.main-svg)").count() == 7
        assert page.locator("#fig-pw-capacity .barlayer .point").count() == 6  # (ccgt, pv) x 3 periods
        # the two-level axis draws both levels: periods and countries
        ticks = page.eval_on_selector_all("#fig-pw-emissions .xaxislayer-above text",
                                          "ts => ts.map(t => t.textContent)")
        assert {"2030", "2040", "2050", "KZ", "UZ"} <= set(ticks), ticks
        assert page.locator("#fig-pw-emissions .scatterlayer .point").count() == 2  # the two caps
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "pathway_report.png"), full_page=True)
        browser.close()
    assert errors == []
