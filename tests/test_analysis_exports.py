"""Export metrics against hand-computed values (``silkgrid.analysis.exports``).

Conventions as in ``test_formulation.py``: ``time.annualise: false`` so every snapshot
weighs 1 h and "per year" means per modelled horizon; costs given as annualised EUR/MW/yr;
simplex solves.  Tolerance: rel 1e-6 (abs 1e-6) on every asserted value — the solutions are
vertices, so the only error is LP round-off at HiGHS's 1e-7 feasibility tolerance in
GW/MEUR units.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.analysis import (delivered_cost, delivered_cost_by_source, delivery_duration_curve, eu_deliveries,
                               export_revenue, hourly_eu_delivery, link_utilisation, path_delivered_cost)
from silkgrid.core.errors import SilkGridError

REL, ABS = 1e-6, 1e-6


def approx(v):
    return pytest.approx(v, rel=REL, abs=ABS)


def chain(n_links: int) -> dict:
    """A -> B (-> C): one 100 MW generator at A, a market at the last node, 2 hours.

    Generator ``g`` at A: technology ``t_g`` with annualised cost 200 EUR/MW/yr on 100 MW
    existing (20,000 EUR/yr) and a variable cost of 10 EUR/MWh.  Link ``l1`` A -> B: 100 MW,
    efficiency 0.9, 50 EUR/MW/yr (5,000 EUR/yr).  Link ``l2`` B -> C: 100 MW, efficiency
    0.95, 20 EUR/MW/yr (2,000 EUR/yr).  Market at the last node at 60 EUR/MWh: every MWh
    sent earns >= 60 x 0.855 = 51.3 > 10, so g runs at 100 MW and the links carry all of it.
    """
    nodes = [{"id": "A", "country": "KZ"}, {"id": "B", "country": "AZ"}, {"id": "C", "country": "RO"}][:n_links + 1]
    links = [{"id": "l1", "from_node": "A", "to_node": "B", "capacity_mw": 100, "efficiency": 0.9,
              "annualised_cost_eur_per_mw_yr": 50},
             {"id": "l2", "from_node": "B", "to_node": "C", "capacity_mw": 100, "efficiency": 0.95,
              "annualised_cost_eur_per_mw_yr": 20}][:n_links]
    last = nodes[-1]["id"]
    return {
        "name": "chain", "time": {"hours": 2, "annualise": False}, "nodes": nodes,
        "carriers": [{"id": "fuel"}],
        "technologies": [{"id": "t_g", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 200}],
        "generators": [{"id": "g", "node": "A", "technology": "t_g", "capacity_mw": 100,
                        "variable_cost_eur_per_mwh": 10}],
        "links": links,
        "markets": [{"id": f"{last}_market", "node": last, "price_eur_per_mwh": 60, "export_capacity_mw": 1000}],
    }


def run(d: dict):
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_path_delivered_cost_two_node_chain():
    """A -> B, efficiency 0.9, 2 h at 100 MW.

    delivered = 2 x 90 = 180 MWh; generation = 200 MWh costing 20,000 + 10 x 200 = 22,000 EUR
    -> 110 EUR/MWh.  Segments: generation 110 x 180 = 19,800; losses 110 x 20 = 2,200;
    link 5,000 (share 1).  Delivered cost = (22,000 + 5,000) / 180 = 150 EUR/MWh; split
    110 + 12.2222 + 27.7778.
    """
    res, sc = run(chain(1))
    out = path_delivered_cost(res, sc, ["l1"], segments={"l1": "cable"})
    assert out["origin_node"] == "A" and out["landing_node"] == "B"
    assert out["delivered_mwh"] == approx(180)
    assert out["generation_required_mwh"] == approx(200)
    assert out["generation_cost_eur_per_mwh"] == approx(110)
    assert out["segments_eur"] == {"generation": approx(19800), "losses": approx(2200), "cable": approx(5000)}
    assert out["segments_eur_per_mwh"]["losses"] == approx(2200 / 180)
    assert out["segments_eur_per_mwh"]["cable"] == approx(5000 / 180)
    assert out["delivered_cost_eur_per_mwh"] == approx(150)


def test_path_delivered_cost_three_node_chain_segment_split():
    """A -> B -> C, efficiencies 0.9 and 0.95.

    Per hour: 100 sent into l1, 90 into l2, 85.5 delivered at C -> delivered 171 MWh,
    required 171 / 0.855 = 200 MWh at 110 EUR/MWh.  generation 110 x 171 = 18,810;
    losses 110 x 29 = 3,190; l1 5,000 and l2 2,000 (both used only by the corridor: share 1).
    Total (22,000 + 7,000) / 171 = 169.5906 EUR/MWh.
    """
    res, sc = run(chain(2))
    out = path_delivered_cost(res, sc, ["l1", "l2"], segments={"l1": "caspian_cable", "l2": "black_sea_cable"})
    assert out["path_efficiency"] == approx(0.855)
    assert out["delivered_mwh"] == approx(171)
    assert out["segments_eur"] == {"generation": approx(18810), "losses": approx(3190),
                                   "caspian_cable": approx(5000), "black_sea_cable": approx(2000)}
    assert out["link_cost_share"] == {"l1": approx(1), "l2": approx(1)}
    assert out["delivered_cost_eur_per_mwh"] == approx(29000 / 171)
    assert sum(out["segments_eur_per_mwh"].values()) == approx(29000 / 171)
    # a fixed generation cost replaces the origin average
    fixed = path_delivered_cost(res, sc, ["l1", "l2"], generation_cost_eur_per_mwh=0.0)
    assert fixed["delivered_cost_eur_per_mwh"] == approx(7000 / 171)


def test_eu_deliveries_duration_curve_and_utilisation():
    """Same chain as above, EU = {C}.  Delivery 85.5 MW both hours -> 171 MWh.

    l1: 100 MW sent of 100 MW -> full-load hours 200 / 100 = 2 h, at limit both hours (share 1).
    l2: 90 MW sent of 100 MW -> 1.8 full-load hours, never at limit; delivered 171 MWh.
    Export revenue at C: 171 MWh x 60 = 10,260 EUR.
    """
    res, sc = run(chain(2))
    d = eu_deliveries(res, sc, eu_nodes=["C"])
    assert d["delivered_mwh"] == approx(171)
    assert d["delivered_twh"] == approx(171e-6)
    assert d["imported_from_eu_mwh"] == approx(0)
    assert d["hours_delivering_h"] == approx(2)
    assert np.allclose(hourly_eu_delivery(res, sc, eu_nodes=["C"]).to_numpy(), 85.5, rtol=REL)
    curve = delivery_duration_curve(res, sc, eu_nodes=["C"])
    assert curve["duration_h"].tolist() == approx([1, 2])
    u = link_utilisation(res, sc).set_index("id")
    assert u.loc["l1", "full_load_hours_h"] == approx(2)
    assert u.loc["l1", "share_hours_at_limit"] == approx(1)
    assert u.loc["l2", "full_load_hours_h"] == approx(1.8)
    assert u.loc["l2", "hours_at_limit_h"] == approx(0)
    assert u.loc["l2", "delivered_mwh"] == approx(171)
    rev = export_revenue(res, sc, markets=["C_market"]).set_index("id")
    assert rev.loc["C_market", "revenue_eur"] == approx(10260)
    assert rev.loc["C_market", "average_sale_price_eur_per_mwh"] == approx(60)


def test_path_errors():
    res, sc = run(chain(2))
    with pytest.raises(SilkGridError, match="no corridor.export_path"):
        path_delivered_cost(res, sc)  # no path given and no corridor section
    with pytest.raises(SilkGridError, match="unknown link"):
        path_delivered_cost(res, sc, ["caspian_hvdc", "az_ge_500kv", "black_sea_hvdc"])  # corridor ids, not here
    with pytest.raises(SilkGridError, match="more than once"):
        path_delivered_cost(res, sc, ["l1", "l1"])
    # l2 traversed backwards (C -> B) then l1 backwards (B -> A): a valid path, but nothing
    # flows that way, so nothing is delivered at A
    back = path_delivered_cost(res, sc, ["l2", "l1"])
    assert back["origin_node"] == "C" and back["landing_node"] == "A"
    assert back["delivered_mwh"] == approx(0)
    assert np.isnan(back["delivered_cost_eur_per_mwh"])


def test_path_delivered_cost_shared_transit_link():
    """Chain A -> B -> C with a 20 MW load at B that the first link also serves.

    Per hour: 100 MW into l1, 90 at B, 20 consumed there, 70 into l2, 66.5 delivered at C ->
    delivered 133 MWh; required 133 / 0.855 = 155.556 MWh.  The corridor's share of l1 is
    155.556 / 200 = 0.777778 (3,888.89 of its 5,000 EUR); of l2: (133 / 0.95) / 140 = 1.
    Total = 110 x 155.556 + 3,888.89 + 2,000 = 23,000 EUR -> 172.932 EUR/MWh.
    """
    d = chain(2)
    d["loads"] = [{"id": "dB", "node": "B", "demand_mw": 20}]
    res, sc = run(d)
    out = path_delivered_cost(res, sc, ["l1", "l2"], segments={"l1": "caspian_cable", "l2": "black_sea_cable"})
    assert out["delivered_mwh"] == approx(133)
    assert out["link_cost_share"] == {"l1": approx(133 / 0.855 / 200), "l2": approx(1)}
    assert out["segments_eur"]["caspian_cable"] == approx(5000 * 133 / 0.855 / 200)
    assert out["delivered_cost_eur_per_mwh"] == approx(23000 / 133)


def test_traced_delivered_cost_with_a_producer_on_the_way():
    """Chain A -> B -> C with the EU at C, plus a producer gB at B (50 MW, annualised 100 EUR/MW/yr
    = 5,000 EUR, 5 EUR/MWh: 5,500 EUR for 100 MWh -> 55 EUR/MWh); l2 200 MW (4,000 EUR).

    Per hour: 100 into l1, 90 at B + 50 from gB = 140 into l2, 133 landed -> 266 MWh.  B's pool
    is 90/140 from A, 50/140 from gB: landed from A 171 MWh (generated 200, cost 110 EUR/MWh),
    from gB 95 (generated 100, 55 EUR/MWh).  generation 110 x 171 + 55 x 95 = 24,035; losses
    110 x 29 + 55 x 5 = 3,465; l1 5,000 and l2 4,000 (the EU's energy is all they carry).
    Delivered cost 36,500 / 266 = 137.218 EUR/MWh (the nominated path A -> C would cost all of
    it at A's 110 EUR/MWh).
    """
    d = chain(2)
    d["technologies"].append({"id": "t_b", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 100})
    d["generators"].append({"id": "gB", "node": "B", "technology": "t_b", "capacity_mw": 50,
                            "variable_cost_eur_per_mwh": 5})
    d["links"][1]["capacity_mw"] = 200
    d["corridor"] = {"eu_nodes": ["C"], "segments": {"l2": "cable"}}
    res, sc = run(d)
    out = delivered_cost(res, sc)
    assert out["destinations"] == ["eu:l2"] and out["landing_nodes"] == ["C"]
    assert out["delivered_mwh"] == approx(266) and out["generated_mwh"] == approx(300)
    assert out["segments_eur"] == {"generation": approx(24035), "losses": approx(3465), "l1": approx(5000),
                                   "cable": approx(4000)}
    assert out["link_cost_share"] == {"l1": approx(1), "l2": approx(1)}
    assert out["delivered_cost_eur_per_mwh"] == approx(36500 / 266)
    assert out["origin_by_country"] == {"KZ": approx(171 / 266), "AZ": approx(95 / 266)}
    by = delivered_cost_by_source(res, sc).set_index("id")
    assert by.loc["gB", "cost_eur_per_mwh"] == approx(55) and by.loc["g", "losses_eur"] == approx(3190)


def test_traced_delivered_cost_shares_a_link_with_a_local_load():
    """The shared-transit case below, traced: 20 of B's 90 MW stay at B, so 70/90 of l1's use is
    the EU's (3,888.89 EUR) -- the same 23,000 EUR / 133 MWh as the nominated path, since
    here the path is where the energy comes from."""
    d = chain(2)
    d["loads"] = [{"id": "dB", "node": "B", "demand_mw": 20}]
    d["corridor"] = {"eu_nodes": ["C"]}
    res, sc = run(d)
    out = delivered_cost(res, sc)
    assert out["link_cost_share"] == {"l1": approx(7 / 9), "l2": approx(1)}
    assert out["delivered_cost_eur_per_mwh"] == approx(23000 / 133)
