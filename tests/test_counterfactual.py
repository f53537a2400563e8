"""Counterfactual without new links: CO2 avoided and implied abatement cost, computed by hand.

Two nodes, two hours, ``time.annualise: false`` (weights 1 h; "per year" = the two hours, and
a link's yearly cost falls on them in full); simplex solves; tolerance rel 1e-6.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import silkgrid
from silkgrid.analysis import co2_avoided, counterfactual_scenario
from silkgrid.cli import app

REL, ABS = 1e-6, 1e-6


def approx(v):
    return pytest.approx(v, rel=REL, abs=ABS)


def simplex(sc):
    return silkgrid.solve(sc, options={"method": "simplex"})


def domestic() -> dict:
    """A (KZ): free wind 100 MW, load 20 MW.  B (RO): coal 100 MW at 50 EUR/MWh, 1 t/MWh, load 50 MW.
    Link A -> B extendable from 0 MW at 10 EUR/MW/yr, efficiency 0.8.

    Without the link: coal 50 MW x 2 h = 100 MWh -> 100 t, 5,000 EUR.
    With it: each MW sent saves 0.8 x 50 x 2 = 80 EUR > 10, so 62.5 MW carry B's 50 MW
    (A's surplus is 80 MW): cost 625 EUR, 0 t.
    Avoided 100 t; cost difference 625 - 5,000 = -4,375 EUR; abatement cost -43.75 EUR/t.
    """
    return {
        "name": "domestic", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "RO"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "coal", "co2_t_per_mwh_th": 1.0}],
        "technologies": [{"id": "onwind", "carrier": "wind"}, {"id": "steam", "carrier": "coal"}],
        "generators": [{"id": "wind_A", "node": "A", "technology": "onwind", "capacity_mw": 100},
                       {"id": "coal_B", "node": "B", "technology": "steam", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 50}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 20}, {"id": "dB", "node": "B", "demand_mw": 50}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "extendable": True, "efficiency": 0.8,
                   "annualised_cost_eur_per_mw_yr": 10}],
    }


def exporting() -> dict:
    """A (KZ): free wind 100 MW, gas 100 MW at 20 EUR/MWh and 0.5 t/MWh, load 60 MW.
    B (RO): EU market at 100 EUR/MWh, no load.  Link A -> B extendable from 0 up to 100 MW at
    10 EUR/MW/yr, lossless.

    Without the link: wind serves the load; 0 t, cost 0, no exports.
    With it: each MW earns 100 x 2 - 10 > 0 -> 100 MW, sent every hour; A needs 160 MW: gas
    60 MW x 2 h = 120 MWh -> 60 t, 2,400 EUR; link 1,000 EUR; revenue 200 MWh x 100 = 20,000 EUR
    -> cost -16,600 EUR.  CO2 avoided in the region: 0 - 60 = -60 t (the wind is exported,
    gas serves the load) -> no abatement cost.  With a displaced factor of 0.5 t/MWh on the
    200 MWh exported: +100 t -> 40 t avoided, -16,600 / 40 = -415 EUR/t.
    """
    return {
        "name": "exporting", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "RO"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "gas", "co2_t_per_mwh_th": 0.5}],
        "technologies": [{"id": "onwind", "carrier": "wind"}, {"id": "ccgt", "carrier": "gas"}],
        "generators": [{"id": "wind_A", "node": "A", "technology": "onwind", "capacity_mw": 100},
                       {"id": "gas_A", "node": "A", "technology": "ccgt", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 20}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 60}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "extendable": True, "max_capacity_mw": 100,
                   "annualised_cost_eur_per_mw_yr": 10}],
        "markets": [{"id": "RO_market", "node": "B", "price_eur_per_mwh": 100, "export_capacity_mw": 1000}],
    }


def test_counterfactual_scenario_fixes_new_link_capacity():
    d = domestic()
    d["links"][0].update({"capacity_mw": 5, "min_capacity_mw": 30})
    d["links"].append({"id": "old", "from_node": "B", "to_node": "A", "capacity_mw": 7})
    sc = silkgrid.load_scenario(d)
    cf = counterfactual_scenario(sc)
    ab = {ln.id: ln for ln in cf.links}["AB"]
    assert (ab.max_capacity_mw, ab.min_capacity_mw, ab.capacity_mw) == (5, 5, 5)
    assert {ln.id: ln for ln in cf.links}["old"] == sc.links[1]
    assert sc.links[0].max_capacity_mw is None and sc.links[0].min_capacity_mw == 30  # input untouched
    res = simplex(cf)
    assert res.tables["links"].set_index("id").loc["AB", "new_mw"] == approx(0)
    # only the named links
    d["links"].append({"id": "AB2", "from_node": "A", "to_node": "B", "extendable": True})
    sc = silkgrid.load_scenario(d)
    cf = {ln.id: ln for ln in counterfactual_scenario(sc, links=["AB2", "old"]).links}
    assert cf["AB"].max_capacity_mw is None and cf["AB2"].max_capacity_mw == 0
    with pytest.raises(silkgrid.SilkGridError, match="unknown link"):
        counterfactual_scenario(sc, links=["nope"])
    out = co2_avoided(sc, simplex, links=["AB2"])
    assert out["links_fixed"] == ["AB2"]


def test_co2_avoided_domestic_case():
    out = co2_avoided(silkgrid.load_scenario(domestic()), simplex)
    assert out["status_with"] == out["status_without"] == "optimal"
    assert out["links_fixed"] == ["AB"]
    assert out["emissions_with_t"] == approx(0)
    assert out["emissions_without_t"] == approx(100)
    assert out["co2_avoided_in_region_t"] == approx(100)
    assert out["eu_displaced_t"] is None
    assert out["co2_avoided_t"] == approx(100)
    assert out["cost_with_eur"] == approx(625)
    assert out["cost_without_eur"] == approx(5000)
    assert out["cost_difference_eur"] == approx(-4375)
    assert out["abatement_cost_eur_per_t"] == approx(-43.75)
    assert out["notes"] == []


def test_co2_avoided_takes_the_scenario_from_the_result():
    res = simplex(silkgrid.load_scenario(domestic()))
    out = co2_avoided(solve_fn=simplex, result=res)  # no scenario: result.scenario
    assert out["links_fixed"] == ["AB"] and out["co2_avoided_t"] == approx(100)
    assert out["cost_difference_eur"] == approx(-4375)


def test_co2_avoided_negative_with_exports_and_displaced_factor():
    sc = silkgrid.load_scenario(exporting())
    calls = []

    def solve_fn(s):
        calls.append(s.name)
        return simplex(s)

    base = simplex(sc)
    out = co2_avoided(sc, solve_fn, result=base)
    assert calls == ["exporting (no new links)"]  # the given result is not solved again
    assert out["emissions_with_t"] == approx(60)
    assert out["emissions_without_t"] == approx(0)
    assert out["co2_avoided_in_region_t"] == approx(-60)
    assert out["co2_avoided_t"] == approx(-60)
    assert out["net_exports_with_mwh"] == approx(200)
    assert out["net_exports_without_mwh"] == approx(0)
    assert out["cost_difference_eur"] == approx(-16600)
    assert out["abatement_cost_eur_per_t"] is None
    assert any("no CO2 is avoided" in n for n in out["notes"])
    assert any("EU-side displaced emissions are not counted" in n for n in out["notes"])
    assert out["co2_avoided_t_is"] == "co2_avoided_in_region_t only (EU side not counted)"

    out = co2_avoided(sc, simplex, result=base, eu_displaced_factor_t_per_mwh=0.5)
    assert out["eu_displaced_t"] == approx(100)
    assert out["co2_avoided_t"] == approx(40)
    assert out["abatement_cost_eur_per_t"] == approx(-415)
    # restricting the markets counted: none -> nothing displaced
    out = co2_avoided(sc, simplex, result=base, eu_displaced_factor_t_per_mwh=0.5, markets=[])
    assert out["eu_displaced_t"] == approx(0)
    with pytest.raises(silkgrid.SilkGridError, match="unknown market"):
        co2_avoided(sc, simplex, result=base, eu_displaced_factor_t_per_mwh=0.5, markets=["XX"])


def test_co2_avoided_infeasible_counterfactual():
    """Without the link B's load cannot be met (no shedding allowed): figures stay None."""
    d = domestic()
    d["generators"] = d["generators"][:1]
    d["unserved_energy"] = {"allowed": False}
    out = co2_avoided(silkgrid.load_scenario(d), simplex)
    assert out["status_with"] == "optimal" and out["status_without"] != "optimal"
    assert out["co2_avoided_t"] is None and out["abatement_cost_eur_per_t"] is None
    assert "without new links is not optimal" in out["notes"][0]


def test_cli_run_counterfactual(tmp_path):
    import yaml

    path = tmp_path / "domestic.yaml"
    path.write_text(yaml.safe_dump(domestic(), sort_keys=False))
    out = tmp_path / "res"
    r = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["run", str(path), "--out", str(out), "--method", "simplex", "--counterfactual"])
    assert r.exit_code == 0, r.output
    assert "Counterfactual: no new corridor links" in r.output and "Links held at existing capacity" in r.output
    assert "Implied abatement cost" in r.output and "-43.75 EUR/t" in r.output
    cf = json.loads((out / "counterfactual.json").read_text())
    assert cf["co2_avoided_t"] == approx(100)
    assert cf["abatement_cost_eur_per_t"] == approx(-43.75)
    metrics = json.loads((out / "metrics.json").read_text())  # the answers carry the CO2-avoided figures
    assert metrics["co2_avoided"]["co2_avoided_in_region_t"] == approx(100)
    assert metrics["co2_avoided"]["eu_displaced_t"] is None
    assert (out / "summary.json").is_file()
    # the factor needs --counterfactual
    r = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "x"), "--eu-displaced-factor", "0.5"])
    assert r.exit_code == 2 and "--eu-displaced-factor" in r.output


def corridor_case() -> dict:
    """A (KZ): free wind 100 MW, load 20.  A2 (KZ): coal 100 MW at 50 EUR/MWh, 1 t/MWh, load 50;
    domestic reinforcement ``dom`` A -> A2 extendable (<= 100 MW, 10 EUR/MW/yr).  Cross-border
    cable ``X`` A -> B (RO, EU) extendable (<= 30 MW, 10 EUR/MW/yr); B -> H (HU, EU) existing
    10 MW.  Markets: RO at 100, HU at 110 EUR/MWh.  All lossless, 2 h.

    With the links: wind 100 = 20 (A) + 50 (dom, coal off) + 30 (X): 10 on to HU, 20 sold in RO.
    Counterfactual without X only: dom still built, coal still off, 30 MW of wind curtailed.
    In region: 0 t either way -> 0 avoided (fixing dom too would have run coal: 100 t).
    EU side: RO 40 MWh x 0.489 = 19.56 t, HU 20 MWh x 0.296 = 5.92 t -> 25.48 t, reported
    apart from the region.  Cost: with 500 + 300 - (20 x 100 + 10 x 110) x 2 = -5,400 EUR;
    without 500 -> difference -5,900 EUR; -5,900 / 25.48 = -231.55 EUR/t on the sum.
    """
    return {
        "name": "corridor-case", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "A2", "country": "KZ"}, {"id": "B", "country": "RO"},
                  {"id": "H", "country": "HU"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "coal", "co2_t_per_mwh_th": 1.0}],
        "technologies": [{"id": "onwind", "carrier": "wind"}, {"id": "steam", "carrier": "coal"}],
        "generators": [{"id": "wind_A", "node": "A", "technology": "onwind", "capacity_mw": 100},
                       {"id": "coal_A2", "node": "A2", "technology": "steam", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 50}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 20}, {"id": "dA2", "node": "A2", "demand_mw": 50}],
        "links": [{"id": "dom", "from_node": "A", "to_node": "A2", "extendable": True, "max_capacity_mw": 100,
                   "annualised_cost_eur_per_mw_yr": 10},
                  {"id": "X", "from_node": "A", "to_node": "B", "extendable": True, "max_capacity_mw": 30,
                   "annualised_cost_eur_per_mw_yr": 10},
                  {"id": "BH", "from_node": "B", "to_node": "H", "capacity_mw": 10}],
        "markets": [{"id": "RO_market", "node": "B", "price_eur_per_mwh": 100, "export_capacity_mw": 1000},
                    {"id": "HU_market", "node": "H", "price_eur_per_mwh": 110, "export_capacity_mw": 1000}],
        "corridor": {"eu_nodes": ["B", "H"], "eu_markets": ["RO_market", "HU_market"],
                     "counterfactual_links": ["X", "not_built_yet"],
                     "eu_displaced_factors": {"RO": {"t_per_mwh": 0.489, "assumption": False, "source": "RO OM"},
                                              "HU": {"t_per_mwh": 0.296, "assumption": False, "source": "HU OM"}}},
    }


def test_co2_avoided_corridor_links_only_and_eu_side_apart():
    out = co2_avoided(silkgrid.load_scenario(corridor_case()), simplex)
    assert out["links_fixed"] == ["X"]  # the domestic reinforcement stays free
    assert "not_built_yet not in this scenario" in out["counterfactual"]
    assert out["co2_avoided_in_region_t"] == approx(0)
    ro, hu = out["eu_side_by_country"]["RO"], out["eu_side_by_country"]["HU"]
    assert (ro["additional_mwh"], ro["factor_t_per_mwh"], ro["displaced_t"]) == (approx(40), 0.489, approx(19.56))
    assert (hu["additional_mwh"], hu["factor_t_per_mwh"], hu["displaced_t"]) == (approx(20), 0.296, approx(5.92))
    assert ro["factor_source"] == "RO OM"
    assert out["eu_displaced_t"] == approx(25.48)
    assert out["co2_avoided_t"] == approx(25.48)
    assert out["co2_avoided_t_is"] == "sum of co2_avoided_in_region_t and eu_displaced_t"
    assert out["cost_difference_eur"] == approx(-5900)
    assert out["abatement_cost_eur_per_t"] == approx(-5900 / 25.48)
    assert out["abatement_cost_in_region_eur_per_t"] is None
    # one factor for every EU country overrides the scenario's
    out = co2_avoided(silkgrid.load_scenario(corridor_case()), simplex, eu_displaced_factor_t_per_mwh=1.0)
    assert out["eu_displaced_t"] == approx(60)
    # fixing every extendable link (the old definition) also removes the domestic feeder: coal runs
    out = co2_avoided(silkgrid.load_scenario(corridor_case()), simplex, links=["X", "dom"])
    assert out["co2_avoided_in_region_t"] == approx(100)
