"""Market metrics against hand-computed values (``silkgrid.analysis.market``).

``time.annualise: false`` (weights 1 h), simplex solves (vertex duals, so the nodal prices
are the hand-computed marginal costs).  Tolerance rel 1e-6, abs 1e-6.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import silkgrid
from silkgrid.analysis import (capture_prices, congestion_rent, directional_flows, price_duration_curves,
                               price_statistics)

REL, ABS = 1e-6, 1e-6


def approx(v):
    return pytest.approx(v, rel=REL, abs=ABS)


def run(d: dict):
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def two_nodes(efficiency: float) -> dict:
    """A: 200 MW at 10 EUR/MWh; B: 200 MW at 50 EUR/MWh and a 100 MW load; link A -> B 60 MW.

    The link is full in both hours (sending one more MWh from A saves 50 x e - 10 > 0), so
    price A = 10 (its generator is marginal) and price B = 50.
    """
    return {
        "name": "two", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "AZ"}],
        "carriers": [{"id": "fuel"}], "technologies": [{"id": "thermal", "carrier": "fuel"}],
        "generators": [{"id": "gA", "node": "A", "technology": "thermal", "capacity_mw": 200,
                        "variable_cost_eur_per_mwh": 10},
                       {"id": "gB", "node": "B", "technology": "thermal", "capacity_mw": 200,
                        "variable_cost_eur_per_mwh": 50}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 5}, {"id": "dB", "node": "B", "demand_mw": 100}],
        "links": [{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 60, "efficiency": efficiency}],
    }


def test_congestion_rent_lossless_is_price_difference_times_flow():
    """Lossless: rent = (50 - 10) x 60 MW x 2 h = 4,800 EUR."""
    res, sc = run(two_nodes(1.0))
    r = congestion_rent(res, sc).set_index("id").loc["ab"]
    assert r["net_flow_mwh"] == approx(120)
    assert r["mean_price_spread_eur_per_mwh"] == approx(40)
    assert r["congestion_rent_eur"] == approx(40 * 120)


def test_congestion_rent_with_losses():
    """Efficiency 0.9: per hour 60 MW sent at A (cost 60 x 10 = 600), 54 MW received at B
    (value 54 x 50 = 2,700) -> rent 2,100 per hour, 4,200 EUR in total.  The forward flow is
    recovered from net flow and losses: 60 MW forward, 0 backward."""
    res, sc = run(two_nodes(0.9))
    fwd, bwd = directional_flows(res, sc)
    assert fwd["ab"].tolist() == approx([60, 60])
    assert bwd["ab"].tolist() == approx([0, 0])
    assert congestion_rent(res, sc).set_index("id").loc["ab", "congestion_rent_eur"] == approx(4200)


def test_directional_flows_backward_with_asymmetric_losses():
    """Reverse the link (B -> A, efficiency 0.9, efficiency_reverse 0.8): power goes A -> B
    backwards: 60 MW sent at A, 48 MW received at B; losses 12 MW.  Rent per hour
    48 x 50 - 60 x 10 = 1,800 -> 3,600 EUR."""
    d = two_nodes(0.9)
    d["links"] = [{"id": "ba", "from_node": "B", "to_node": "A", "capacity_mw": 60, "efficiency": 0.9,
                   "efficiency_reverse": 0.8}]
    res, sc = run(d)
    fwd, bwd = directional_flows(res, sc)
    assert bwd["ba"].tolist() == approx([60, 60])
    assert fwd["ba"].tolist() == approx([0, 0])
    assert congestion_rent(res, sc).set_index("id").loc["ba", "congestion_rent_eur"] == approx(3600)


def test_directional_flows_without_direction_tables():
    """Result directories written before link_forward_mw / link_backward_mw existed: the flows are
    recovered from net flow and losses, equal to the tables (asymmetric losses, backward flow)."""
    d = two_nodes(0.9)
    d["links"] = [{"id": "ba", "from_node": "B", "to_node": "A", "capacity_mw": 60, "efficiency": 0.9,
                   "efficiency_reverse": 0.8}]
    res, sc = run(d)
    fwd, bwd = directional_flows(res)  # scenario from the result
    old = copy.copy(res)
    old.hourly = {k: v for k, v in res.hourly.items() if k not in ("link_forward_mw", "link_backward_mw")}
    f_old, b_old = directional_flows(old, sc)
    assert b_old["ba"].tolist() == approx(bwd["ba"].tolist()) and bwd["ba"].tolist() == approx([60, 60])
    assert f_old["ba"].tolist() == approx(fwd["ba"].tolist()) and fwd["ba"].tolist() == approx([0, 0])


def test_price_statistics_capture_price_and_value_factor():
    """One node, load 80 MW, solar 100 MW (availability 1, 0.5), gas 200 MW at 50 EUR/MWh.

    Hour 1: solar 80 (20 curtailed), price 0.  Hour 2: solar 50, gas 30, price 50.
    Mean price 25.  Solar: revenue 50 x 50 = 2,500 on 130 MWh -> capture 19.2308, value factor
    0.769231.  Gas: 30 MWh at 50 -> capture 50, value factor 2.
    """
    d = {
        "name": "one", "time": {"hours": 2, "annualise": False}, "nodes": [{"id": "A", "country": "KZ"}],
        "carriers": [{"id": "fuel"}, {"id": "sun", "renewable": True}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "pv", "carrier": "sun"}],
        "generators": [{"id": "solar", "node": "A", "technology": "pv", "capacity_mw": 100, "availability": [1, 0.5]},
                       {"id": "gas", "node": "A", "technology": "thermal", "capacity_mw": 200,
                        "variable_cost_eur_per_mwh": 50}],
        "loads": [{"id": "d", "node": "A", "demand_mw": 80}],
    }
    res, sc = run(d)
    st = price_statistics(res).set_index("node").loc["A"]
    assert st["mean_eur_per_mwh"] == approx(25)
    assert st["std_eur_per_mwh"] == approx(25)
    assert (st["min_eur_per_mwh"], st["max_eur_per_mwh"]) == (approx(0), approx(50))
    assert st["p50_eur_per_mwh"] == approx(0) and st["p95_eur_per_mwh"] == approx(50)
    assert st["hours_at_or_below_zero_h"] == approx(1)
    curve = price_duration_curves(res)
    assert curve["price_eur_per_mwh"].tolist() == approx([50, 0])
    assert curve["duration_h"].tolist() == approx([1, 2])
    cp = capture_prices(res, sc)
    per_gen = cp[cp["id"] != "*"].set_index("id")
    assert per_gen.loc["solar", "market_revenue_eur"] == approx(2500)
    assert per_gen.loc["solar", "capture_price_eur_per_mwh"] == approx(2500 / 130)
    assert per_gen.loc["solar", "value_factor"] == approx(2500 / 130 / 25)
    assert per_gen.loc["gas", "capture_price_eur_per_mwh"] == approx(50)
    assert per_gen.loc["gas", "value_factor"] == approx(2)
    agg = cp[cp["id"] == "*"].set_index("technology")
    assert agg.loc["pv", "capture_price_eur_per_mwh"] == approx(2500 / 130)
    assert not np.isnan(agg.loc["thermal", "value_factor"])
