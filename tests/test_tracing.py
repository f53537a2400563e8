"""Flow tracing by proportional sharing (``silkgrid.analysis.tracing``) on hand-solvable networks.

The hand cases feed the solver exact balanced flows, so the only error is float round-off:
tolerance rel 1e-12.  The solved-LP cases check conservation identities to rel 1e-9 (the
brief's bar; the tracer adds the solver's balance residual as an explicit source or sink, so
the identities hold to round-off whatever the LP tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.analysis import origin_mix, proportional_sharing, trace_flows, traced_link_use, traced_sources
from silkgrid.core.errors import SilkGridError

EXACT = 1e-12  # exact inputs: float round-off only
CONSERVE = 1e-9


def approx(v, rel=EXACT):
    return pytest.approx(v, rel=rel, abs=1e-12)


def test_chain_with_losses_and_a_load_on_the_way():
    """A -> B -> C, efficiencies 0.9 and 0.8; 100 MW at A; 10 MW load at B, the rest to C.

    B receives 90, keeps 10 and sends 80; C receives 64.  A's 100 MW: 10 reach B's load, 64
    C's.  Bound for C (gross, sending side): 100 x 80/90 = 88.889 MW of A's output, of which
    l1 loses 10% = 8.889 and l2 loses 20% of 80 = 16: 88.889 - 64 = 24.889 = 8.889 + 16.
    """
    s = proportional_sharing(3, 2, sink_mw=[[10.0, 64.0]], sink_node=[1, 2], sink_dest=[0, 1],
                             arc_mw=[[100.0, 80.0]], arc_from=[0, 1], arc_to=[1, 2], arc_eff=[0.9, 0.8],
                             injection_mw=[[100.0]], injection_node=[0])
    assert 100 * s.reach[0, 0] == approx([10, 64])            # delivered from A into each load
    assert 100 * s.share[0, 0] == approx([100 / 9, 800 / 9])  # A's output bound for each load
    assert s.arc_use_mw[0, 1] == approx([800 / 9, 80])        # MW sent into l1, l2 bound for C
    losses_c = (s.arc_use_mw[0, 1] * (1 - np.array([0.9, 0.8]))).sum()
    assert 100 * s.share[0, 0, 1] - 64 == approx(losses_c)
    assert s.share[0, 0].sum() == approx(1.0)                 # every MW goes somewhere


def test_node_fed_by_two_sources_in_proportion():
    """A (60 MW) and B (40 MW) feed C losslessly; C consumes 50 and sends 50 to D (efficiency
    0.9, load 45).  D's 45 MW: 60 % from A (27), 40 % from B (18); bound for D: 30 and 20."""
    s = proportional_sharing(4, 2, sink_mw=[[50.0, 45.0]], sink_node=[2, 3], sink_dest=[0, 1],
                             arc_mw=[[60.0, 40.0, 50.0]], arc_from=[0, 1, 2], arc_to=[2, 2, 3],
                             arc_eff=[1.0, 1.0, 0.9], injection_mw=[[60.0, 40.0]], injection_node=[0, 1])
    assert [60 * s.reach[0, 0, 1], 40 * s.reach[0, 1, 1]] == approx([27, 18])
    assert [60 * s.share[0, 0, 1], 40 * s.share[0, 1, 1]] == approx([30, 20])
    assert [60 * s.reach[0, 0, 0], 40 * s.reach[0, 1, 0]] == approx([30, 20])
    origin = s.origin_mw(np.array([[60.0, 0.0]]), np.array([0, 1]))  # A's part of each node's flow
    assert origin[0] == approx([60, 0, 60, 45 * 0.6])


def test_two_parallel_paths():
    """A sends 60 MW straight to B (efficiency 0.9) and 40 MW via C (0.95, 0.95); C adds 10 MW
    of its own.  C's pool: 38 + 10 = 48, sent to B, 45.6 arrive.  B's load 54 + 45.6 = 99.6:
    from A 54 + 38 x 0.95 = 90.1, from C 9.5.  Link use by B's load: 60, 40 and 48 MW sent."""
    s = proportional_sharing(3, 1, sink_mw=[[99.6]], sink_node=[1], sink_dest=[0],
                             arc_mw=[[60.0, 40.0, 48.0]], arc_from=[0, 0, 2], arc_to=[1, 2, 1],
                             arc_eff=[0.9, 0.95, 0.95], injection_mw=[[100.0, 10.0]], injection_node=[0, 2])
    assert [100 * s.reach[0, 0, 0], 10 * s.reach[0, 2, 0]] == approx([90.1, 9.5])
    assert s.arc_use_mw[0, 0] == approx([60, 40, 48])
    assert s.share[0, :, 0] == approx([1, 1, 1])


def test_absorbing_arc_and_reentry():
    """A (100 MW) -> B over an absorbing arc (efficiency 0.9): what lands (90) is delivered the
    moment it lands, and B's load takes it from the re-entry source at B."""
    s = proportional_sharing(2, 2, sink_mw=[[90.0]], sink_node=[1], sink_dest=[1], arc_mw=[[100.0]],
                             arc_from=[0], arc_to=[1], arc_eff=[0.9], arc_dest=[0],
                             injection_mw=[[100.0, 90.0]], injection_node=[0, 1])
    assert 100 * s.reach[0, 0] == approx([90, 0])
    assert 100 * s.share[0, 0] == approx([100, 0])
    assert s.reach[0, 1] == approx([0, 1])                    # B's pool goes to B's load only
    assert s.arc_use_mw[0, 0] == approx([100])


def test_bad_input():
    with pytest.raises(SilkGridError, match="does not balance"):
        proportional_sharing(2, 1, sink_mw=[[50.0]], sink_node=[1], sink_dest=[0], arc_mw=[[100.0]], arc_from=[0],
                             arc_to=[1], arc_eff=[1.0], injection_mw=[[100.0]], injection_node=[0])
    with pytest.raises(SilkGridError, match="circulates"):  # a lossless loop with no sink on it
        proportional_sharing(2, 1, sink_mw=[[0.0]], sink_node=[0], sink_dest=[0], arc_mw=[[10.0, 10.0]],
                             arc_from=[0, 1], arc_to=[1, 0], arc_eff=[1.0, 1.0])
    with pytest.raises(SilkGridError, match=">= 0"):
        proportional_sharing(2, 1, sink_mw=[[-1.0]], sink_node=[0], sink_dest=[0], arc_mw=[[0.0]], arc_from=[0],
                             arc_to=[1], arc_eff=[1.0])


# ----------------------------------------------------------------------------------------
# a solved result
def three_nodes() -> dict:
    """KZ node A (free wind 100 MW, load 20), AZ node B (gas 50 MW at 30 EUR/MWh, 0.4 t/MWh,
    load 30), EU node C with a market at 80 EUR/MWh.  A -> B efficiency 0.9, B -> C 0.95; 2 h.

    Both plants run flat out (the market pays more than either costs): A sends 80, B's pool is
    72 + 50 = 122, of which 30 is consumed and 92 sent; C receives 87.4.  Origin of C's
    87.4 MW: 72/122 from A (51.580) and 50/122 from B (35.820)."""
    return {
        "name": "three", "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "AZ"}, {"id": "C", "country": "RO"}],
        "carriers": [{"id": "wind", "renewable": True}, {"id": "gas", "co2_t_per_mwh_th": 0.4}],
        "technologies": [{"id": "onwind", "carrier": "wind"}, {"id": "ccgt", "carrier": "gas"}],
        "generators": [{"id": "wind_A", "node": "A", "technology": "onwind", "capacity_mw": 100},
                       {"id": "gas_B", "node": "B", "technology": "ccgt", "capacity_mw": 50,
                        "variable_cost_eur_per_mwh": 30}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 20}, {"id": "dB", "node": "B", "demand_mw": 30}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "capacity_mw": 200, "efficiency": 0.9},
                  {"id": "BC", "from_node": "B", "to_node": "C", "capacity_mw": 200, "efficiency": 0.95}],
        "markets": [{"id": "C_market", "node": "C", "price_eur_per_mwh": 80, "export_capacity_mw": 1000}],
        "corridor": {"eu_nodes": ["C"], "eu_markets": ["C_market"]},
    }


@pytest.fixture(scope="module")
def solved():
    sc = silkgrid.load_scenario(three_nodes())
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_trace_of_a_result(solved):
    res, sc = solved
    tr = trace_flows(res, sc)
    assert list(tr.destinations.loc[tr.destinations["kind"] == "eu_border", "id"]) == ["eu:BC"]
    src = traced_sources(tr).set_index("id")
    rel = 1e-6  # the LP's flows are exact to its 1e-7 feasibility tolerance (GW units)
    assert src.loc["wind_A", "delivered_mwh"] == pytest.approx(2 * 87.4 * 72 / 122, rel=rel)
    assert src.loc["gas_B", "delivered_mwh"] == pytest.approx(2 * 87.4 * 50 / 122, rel=rel)
    assert src.loc["gas_B", "generated_mwh"] == pytest.approx(2 * 50 * 92 / 122, rel=rel)
    mix = origin_mix(tr, by="country").set_index("country")["delivered_share"]
    assert mix.to_dict() == {"KZ": pytest.approx(72 / 122, rel=rel), "AZ": pytest.approx(50 / 122, rel=rel)}
    use = traced_link_use(tr).set_index("id")
    assert use.loc["BC", "share_of_link"] == pytest.approx(1, rel=rel)
    assert use.loc["AB", "sent_mwh"] == pytest.approx(2 * 80 * 92 / 122, rel=rel)  # A's flow bound for the EU
    assert use.loc["AB", "share_of_link"] == pytest.approx(92 / 122, rel=rel)


def test_conservation_on_a_result(solved):
    """Every source's output splits over all destinations; per destination, output bound for it
    minus what it receives equals the losses on the links, to rel 1e-9."""
    res, sc = solved
    for eu in (True, False):
        tr = trace_flows(res, sc, eu_border=eu)
        everything = list(tr.destinations["id"])
        assert np.allclose(tr.generated_mw(everything).to_numpy(), tr.source_mw, rtol=CONSERVE, atol=1e-9)
        for d in everything:
            gen = tr.generated_mw([d]).to_numpy().sum()
            got = tr.delivered_mw([d]).to_numpy().sum()
            lost = tr.link_losses_mw([d]).to_numpy().sum()
            assert gen - got == pytest.approx(lost, rel=CONSERVE, abs=1e-9)
        sinks = res.hourly["demand_mw"].to_numpy().sum() + res.hourly["market_sales_mw"].clip(lower=0).to_numpy().sum()
        if not eu:
            assert tr.delivered_mw(everything).to_numpy().sum() == pytest.approx(sinks, rel=CONSERVE)
    with pytest.raises(SilkGridError, match="unknown destination"):
        tr.delivered_mw(["nope"])
