"""CBAM hourly matching and certificate cost, against a 4-hour case computed on paper.

``time.annualise: false`` (weights 1 h), simplex solves; tolerance rel 1e-6, abs 1e-6.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import silkgrid
from silkgrid.analysis import (cbam_cost, cbam_origin_factors, hourly_matching, matching_shares, traced_cbam,
                               traced_matching)
from silkgrid.core.errors import SilkGridError
from silkgrid.data.corridor_meta import cbam_default_factors
from silkgrid.data.provenance import load_tables

REL, ABS = 1e-6, 1e-6


def approx(v):
    return pytest.approx(v, rel=REL, abs=ABS)


def four_hours() -> dict:
    """A (KZ) -> B (RO) over one link (100 MW, efficiency 0.9); EU market at B at 100 EUR/MWh.

    A: solar 150 MW (availability 1, 0.5, 0, 0.2), gas 200 MW at 10 EUR/MWh (no CO2 in the
    carrier), load 30 MW.  Every MWh sent earns 90 > 10, so the link carries 100 MW every hour:
    A needs 130 MW each hour.

    | hour (UTC)       | solar MW | gas MW | exported at B | solar x 0.9 | matched |
    |------------------|----------|--------|---------------|-------------|---------|
    | 2030-01-31 22:00 | 130      | 0      | 90            | 117         | 90      |
    | 2030-01-31 23:00 | 75       | 55     | 90            | 67.5        | 67.5    |
    | 2030-02-01 00:00 | 0        | 130    | 90            | 0           | 0       |
    | 2030-02-01 01:00 | 30       | 100    | 90            | 27          | 27      |

    Year: matched 184.5 of 360 MWh = 0.5125.  January: 157.5 / 180 = 0.875; February
    27 / 180 = 0.15.
    """
    return {
        "name": "cbam4", "time": {"start": "2030-01-31 22:00", "hours": 4, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "RO"}],
        "carriers": [{"id": "fuel"}, {"id": "sun", "renewable": True}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "pv", "carrier": "sun"}],
        "generators": [{"id": "solar", "node": "A", "technology": "pv", "capacity_mw": 150,
                        "availability": [1, 0.5, 0, 0.2]},
                       {"id": "gas", "node": "A", "technology": "thermal", "capacity_mw": 200,
                        "variable_cost_eur_per_mwh": 10}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 30}],
        "links": [{"id": "cable", "from_node": "A", "to_node": "B", "capacity_mw": 100, "efficiency": 0.9}],
        "markets": [{"id": "RO_market", "node": "B", "price_eur_per_mwh": 100, "export_capacity_mw": 1000}],
    }


@pytest.fixture(scope="module")
def solved():
    sc = silkgrid.load_scenario(four_hours())
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_hourly_matching_four_hours(solved):
    res, sc = solved
    h = hourly_matching(res, sc, ["cable"])
    assert h["exported_mwh"].tolist() == approx([90, 90, 90, 90])
    assert h["contracted_at_border_mwh"].tolist() == approx([117, 67.5, 0, 27])
    assert h["matched_mwh"].tolist() == approx([90, 67.5, 0, 27])
    assert h["matched_share"].tolist() == approx([1, 0.75, 0, 0.3])
    m = matching_shares(h).set_index("period")
    assert list(m.index) == ["2030-01", "2030-02", "year"]
    assert m.loc["2030-01", "matched_share"] == approx(0.875)
    assert m.loc["2030-02", "matched_share"] == approx(0.15)
    assert m.loc["year", "matched_mwh"] == approx(184.5)
    assert m.loc["year", "matched_share"] == approx(0.5125)


def test_cbam_cost_default_vs_matched(solved):
    """Default factor 0.8 t/MWh (given, flagged as an assumption), ETS 80 EUR/t.

    (a) default: 360 MWh x 0.8 = 288 t -> 23,040 EUR.
    (b) matched share at the solar's actual 0 t/MWh, the unmatched 175.5 MWh at the default:
        140.4 t -> 11,232 EUR.  Saving 147.6 t, 11,808 EUR, 32.8 EUR per exported MWh.
    """
    res, sc = solved
    out = cbam_cost(res, sc, ["cable"], ets_price_eur_per_t=80.0,
                    default_factors={"KZ": {"t_per_mwh": 0.8, "assumption": True, "source": "test value"}})
    assert out["origin_country"] == "KZ"
    assert out["contracted_generators"] == ["solar"]
    assert out["matched_share"] == approx(0.5125)
    assert out["actual_factor_t_per_mwh"] == approx(0)
    assert out["default_embedded_emissions_t"] == approx(288)
    assert out["default_certificate_cost_eur"] == approx(23040)
    assert out["matched_embedded_emissions_t"] == approx(140.4)
    assert out["matched_certificate_cost_eur"] == approx(11232)
    assert out["saving_t"] == approx(147.6)
    assert out["saving_eur"] == approx(11808)
    assert out["saving_eur_per_mwh"] == approx(32.8)
    assert out["default_factor_is_assumption"] and "assumption" in out["warnings"][0]


def test_cbam_contracting_gas_counts_its_actual_emissions(solved):
    """Contract the gas plant too: contracted output x 0.9 = 117, 117, 117, 117 >= 90, so
    every hour is matched (share 1).  Actual factor = emissions / generation of solar + gas
    = 0 (the test carrier has no CO2) -> (b) = 0 t; saving = the whole default 288 t."""
    res, sc = solved
    out = cbam_cost(res, sc, ["cable"], contracted=["solar", "gas"], ets_price_eur_per_t=80.0,
                    default_factors={"KZ": {"t_per_mwh": 0.8, "assumption": False}})
    assert out["matched_share"] == approx(1)
    assert out["saving_t"] == approx(288)
    assert out["warnings"] == []


def test_default_factors_are_flagged_and_errors(solved):
    """Without a corridor section the factors are the proxies of the corridor data set's sourced table."""
    res, sc = solved
    factors = cbam_default_factors("corridor")
    assert all(f["assumption"] for f in factors.values())
    table = load_tables("corridor")["emission_factors"]
    kz = table[(table["country"] == "KZ") & (table["metric"] == "ifi_operating_margin")].iloc[0]
    assert factors["KZ"]["t_per_mwh"] == kz["value"] / 1000 == 0.797
    assert kz["source_id"] in factors["KZ"]["source"]
    out = cbam_cost(res, sc, ["cable"])
    assert out["default_factor_t_per_mwh"] == factors["KZ"]["t_per_mwh"]
    assert out["ets_price_eur_per_t"] == 67.0 and out["warnings"]
    assert "no corridor.cbam_default_factors" in out["warnings"][-1]
    with pytest.raises(SilkGridError, match="no default CBAM emission factor"):
        cbam_cost(res, sc, ["cable"], origin_country="XX")
    with pytest.raises(SilkGridError, match="not in the scenario"):
        hourly_matching(res, sc, ["cable"], contracted=["nope"])
    # a generator at the landing node cannot be a contracted upstream producer
    d = four_hours()
    d["generators"].append({"id": "ro_wind", "node": "B", "technology": "pv", "capacity_mw": 1})
    with pytest.raises(SilkGridError, match="not an upstream node"):
        hourly_matching(res, silkgrid.load_scenario(d), ["cable"], contracted=["ro_wind"])


def test_corridor_section_gives_path_and_factors(solved):
    """The scenario's corridor section is the default path and the source of the default factor;
    a section without the origin country says there is no default factor."""
    solved_res, _ = solved
    d = four_hours()
    d["corridor"] = {"export_path": ["cable"],
                     "cbam_default_factors": {"KZ": {"t_per_mwh": 0.8, "assumption": False, "source": "test"}}}
    sc = silkgrid.load_scenario(d)
    res = copy.copy(solved_res)  # the same solution, carrying the scenario with the section
    res.scenario = sc
    out = cbam_cost(res)  # scenario from the result, path and factor from its corridor section
    assert out["path"] == ["cable"] and out["default_factor_t_per_mwh"] == 0.8
    assert out["default_factor_source"] == "test" and out["warnings"] == []
    assert out["default_embedded_emissions_t"] == approx(288)
    assert hourly_matching(res)["matched_mwh"].sum() == approx(184.5)
    d["corridor"]["cbam_default_factors"] = {"AZ": {"t_per_mwh": 0.5}}
    with pytest.raises(SilkGridError, match="no default CBAM emission factor for origin country 'KZ'"):
        cbam_cost(res, silkgrid.load_scenario(d))
    with pytest.raises(SilkGridError, match="no corridor.export_path"):
        cbam_cost(res, silkgrid.load_scenario(four_hours()))


def test_no_contracted_producers_matches_nothing(solved):
    res, sc = solved
    h = hourly_matching(res, sc, ["cable"], contracted=[])
    assert h["matched_mwh"].sum() == approx(0)
    assert np.all(h["matched_share"] == 0)


def test_matching_producer_in_the_middle_of_the_path():
    """A -> B -> C (efficiencies 0.9, 0.95; 100 MW each); gas at A (100 MW, 10 EUR/MWh),
    contracted wind at B (20 MW, availability 1, 0); market at C at 100 EUR/MWh.

    Hour 1: l2 is the bottleneck: wind 20 + 80 from A -> 100 MW into l2, 95 delivered; the
    wind counts with l2's efficiency only: 20 x 0.95 = 19 matched.  Hour 2: A sends 100, 90
    into l2, 85.5 delivered, nothing matched.  Share 19 / 180.5 = 0.105263.
    """
    d = three_nodes()
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    # default contracted set: renewables at the start node A -> none, nothing matched
    assert hourly_matching(res, sc, ["l1", "l2"])["matched_mwh"].tolist() == approx([0, 0])
    h = hourly_matching(res, sc, ["l1", "l2"], contracted=["wind"])
    assert h["exported_mwh"].tolist() == approx([95, 85.5])
    assert h["matched_mwh"].tolist() == approx([19, 0])
    out = cbam_cost(res, sc, ["l1", "l2"], contracted=["wind"],
                    default_factors={"KZ": {"t_per_mwh": 1.0, "assumption": True}}, ets_price_eur_per_t=100.0)
    assert out["contracted_generators"] == ["wind"]
    assert out["matched_share"] == approx(19 / 180.5)
    assert out["saving_eur"] == approx(19 * 1.0 * 100)


def three_nodes(l2: dict | None = None) -> dict:
    """A -> B -> C (0.9, 0.95; 100 MW each), gas at A (100 MW, 10 EUR/MWh), wind at B (20 MW,
    availability 1, 0), market at C at 100 EUR/MWh (also used by tests/test_cbam_policy.py)."""
    return {
        "name": "mid", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "AZ"}, {"id": "C", "country": "RO"}],
        "carriers": [{"id": "fuel"}, {"id": "wind", "renewable": True}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "onwind", "carrier": "wind"}],
        "generators": [{"id": "gas", "node": "A", "technology": "thermal", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 10},
                       {"id": "wind", "node": "B", "technology": "onwind", "capacity_mw": 20, "availability": [1, 0]}],
        "links": [{"id": "l1", "from_node": "A", "to_node": "B", "capacity_mw": 100, "efficiency": 0.9},
                  l2 or {"id": "l2", "from_node": "B", "to_node": "C", "capacity_mw": 100, "efficiency": 0.95}],
        "markets": [{"id": "C_market", "node": "C", "price_eur_per_mwh": 100, "export_capacity_mw": 1000}],
    }


def border_chain() -> dict:
    """A (wind 50 MW, load 50 MW) -> B (gas 200 MW, 10 EUR/MWh) -> EU (market 100 EUR/MWh, 100 MW),
    2 h, one-way lossless links A->B 10 MW and B->EU 100 MW (used by tests/test_cbam_policy.py)."""
    return {
        "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "AZ"}, {"id": "EU", "country": "RO"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "gas", "fuel_cost_eur_per_mwh_th": 10}],
        "technologies": [{"id": "wt", "carrier": "wind"}, {"id": "gt", "carrier": "gas"}],
        "generators": [{"id": "wA", "node": "A", "technology": "wt", "capacity_mw": 50},
                       {"id": "gB", "node": "B", "technology": "gt", "capacity_mw": 200}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "capacity_mw": 10, "bidirectional": False},
                  {"id": "BE", "from_node": "B", "to_node": "EU", "capacity_mw": 100, "bidirectional": False}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 50}],
        "markets": [{"id": "m", "node": "EU", "price_eur_per_mwh": 100, "export_capacity_mw": 100}],
    }


def test_matching_needs_flow_on_every_border() -> None:
    """Annex IV asks for firm nomination on every border: matched energy must cross each link.

    A (wind 50 MW, load 50 MW) -> B (gas 200 MW at 10 EUR/MWh) -> EU (market 100 EUR/MWh, 100 MW),
    2 h, lossless links A->B 10 MW and B->EU 100 MW. Wind serves A's load, so A->B carries 0;
    B's gas fills the export: exported 100 MWh/h, contracted wind at the border 50 MWh/h, but
    nothing crosses A->B, so the matched share is 0 (it would be 50 % without the border bound).
    """
    sc = silkgrid.load_scenario(border_chain())
    r = silkgrid.solve(sc, options={"method": "simplex"})
    h = hourly_matching(r, sc, ("AB", "BE"))
    assert h["exported_mwh"].sum() == pytest.approx(200.0, rel=1e-9)
    assert h["contracted_at_border_mwh"].sum() == pytest.approx(100.0, rel=1e-9)
    assert h["nominated_at_border_mwh"].sum() == pytest.approx(0.0, abs=1e-9)
    assert h["matched_mwh"].sum() == pytest.approx(0.0, abs=1e-9)


# ----------------------------------------------------------------------------------------
# CBAM from the traced origin
def kz_to_eu() -> dict:
    """A (KZ): wind 100 MW (availability 1, 0.2), gas 100 MW (0.5 t/MWh_th at efficiency 0.5 ->
    1 t/MWh, 20 EUR/MWh), load 20 MW.  B (RO, EU): market at 100 EUR/MWh.  A -> B lossless, 80 MW.

    Hour 1: wind 100 = load 20 + export 80.  Hour 2: wind 20 + gas 80 = load 20 + export 80;
    A's pool is 20 % wind, so 16 of the 80 landed are traced to wind.
    """
    return {
        "name": "kz-eu", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "RO"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "gas", "co2_t_per_mwh_th": 0.5}],
        "technologies": [{"id": "onwind", "carrier": "wind"}, {"id": "ccgt", "carrier": "gas", "efficiency": 0.5}],
        "generators": [{"id": "wind_A", "node": "A", "technology": "onwind", "capacity_mw": 100,
                        "availability": [1.0, 0.2]},
                       {"id": "gas_A", "node": "A", "technology": "ccgt", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 20}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 20}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "capacity_mw": 80}],
        "markets": [{"id": "B_market", "node": "B", "price_eur_per_mwh": 100, "export_capacity_mw": 1000}],
        "corridor": {"eu_nodes": ["B"], "eu_markets": ["B_market"]},
    }


@pytest.fixture(scope="module")
def kz_eu():
    sc = silkgrid.load_scenario(kz_to_eu())
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_traced_cbam_origin_factor_and_matching(kz_eu):
    """Landed 160 MWh; matched: hour 1 all 80 (wind), hour 2 the 16 traced to wind -> 96, 60 %.
    KZ's factor is computed from the fleet: 80 t / 80 MWh of gas = 1 t/MWh.  Default 160 t;
    with matching the 64 MWh of gas keep the default: 64 t; saving 96 t x 80 EUR/t = 7,680 EUR."""
    res, sc = kz_eu
    factors, _ = cbam_origin_factors(res, sc)
    assert factors["KZ"]["t_per_mwh"] == approx(1.0) and factors["KZ"]["method"] == "computed"
    assert factors["KZ"]["assumption"] and "Annex IV 1(d)" in factors["KZ"]["source"]
    h = traced_matching(res, sc)
    assert h["exported_mwh"].tolist() == approx([80, 80])
    assert h["matched_mwh"].tolist() == approx([80, 16])
    assert h["nominated_share"].tolist() == approx([1, 1])
    out = traced_cbam(res, sc, ets_price_eur_per_t=80.0)
    assert out["contracted_generators"] == ["wind_A"]
    assert out["matched_share"] == approx(0.6)
    assert out["origin_countries"]["KZ"]["delivered_mwh"] == approx(160)
    assert out["default_embedded_emissions_t"] == approx(160)
    assert out["matched_embedded_emissions_t"] == approx(64)
    assert out["saving_eur"] == approx(96 * 80)
    assert any("COMPUTED from this result" in w for w in out["warnings"])
    # a given official factor (assumption: false) replaces the computed one
    d = kz_to_eu()
    d["corridor"]["cbam_default_factors"] = {"KZ": {"t_per_mwh": 0.8, "assumption": False, "source": "IR"}}
    res2 = copy.copy(res)
    res2.scenario = silkgrid.load_scenario(d)
    assert traced_cbam(res2)["default_embedded_emissions_t"] == approx(128)
    assert traced_matching(res, sc, contracted=[])["matched_mwh"].sum() == approx(0)
    with pytest.raises(SilkGridError, match="not generators or storage"):
        traced_matching(res, sc, contracted=["nope"])


def test_traced_matching_nomination_bound(kz_eu):
    """A phantom counter-flow of 30 MW in hour 1 (sent A -> B 110, back 30; lossless, so every
    node still balances).  A's pool: wind 100 + 30 back = 130, so 110 x 100/130 = 84.615 MW of
    wind cross the border, but only the net 80 MW can be firmly nominated: nominated share
    80 / 84.615 = 0.945455 and 80 MW matched."""
    res, sc = kz_eu
    hourly = {k: v.copy() for k, v in res.hourly.items()}
    hourly["link_forward_mw"].iloc[0, 0] += 30.0
    hourly["link_backward_mw"].iloc[0, 0] += 30.0
    phantom = copy.copy(res)
    phantom.hourly = hourly
    h = traced_matching(phantom, sc)
    assert h["exported_mwh"].iloc[0] == approx(110)
    assert h["contracted_mwh"].iloc[0] == approx(110 * 100 / 130)
    assert h["nominated_share"].iloc[0] == approx(80 * 130 / (110 * 100))
    assert h["matched_mwh"].iloc[0] == approx(80)
