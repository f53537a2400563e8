"""No phantom trades in results (issue #15, item 9): what a user reads is physically meaningful.

Interior-point solves stop inside the optimal face: a market buys and sells in the same
snapshot at the same price, candidates are "built" at 1e-9 MW and carry 1e-6 MW.  Extraction
polishes the solution (``silkgrid.results.extract.polish``): same-snapshot trades are netted
(revenue and balance exactly unchanged), opposite flows on a link are netted where the losses
they burn can be curtailed instead, candidates below 1 kW are not built and carry nothing,
values below 0.1 kW are zero.  Checked on the default corridor run and on every method.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.model.components import markets

SNAP_MW = 0.1e-3  #: 0.1 kW: the smallest non-zero value a result may show
WEEKS = {"extends": "example", "time": {"subset": {"start": "2030-07-01", "end": "2030-07-21"}}}


def assert_no_phantoms(res: silkgrid.Result) -> None:
    assert res.has_plan and "polished" in res.solver
    w = res.weights[:, None]
    m = res.tables["markets"].set_index("id")
    net = res.hourly["market_sales_mw"]
    gross = (net.abs() * w).sum()  # equals sold + bought only when no snapshot both buys and sells
    # the same weighted sums taken two ways: equal up to floating-point summation order
    np.testing.assert_allclose(m["sold_mwh"] + m["bought_mwh"], gross[m.index], rtol=1e-9, atol=1e-6)
    links = res.tables["links"].set_index("id")
    for lid in links.index[links["total_mw"] == 0]:
        assert (res.hourly["link_forward_mw"][lid] == 0).all() and (res.hourly["link_backward_mw"][lid] == 0).all()
    both = (res.hourly["link_forward_mw"] > 0) & (res.hourly["link_backward_mw"] > 0)
    assert int(both.to_numpy().sum()) == res.solver["polished"].get("link_opposite_flows", 0)  # only those kept
    gens = res.tables["generators"]
    assert not ((gens["new_mw"] > 0) & (gens["new_mw"] < 1e-3)).any(), "capacity noise below 1 kW reported"
    for lid in gens.loc[gens["total_mw"] == 0, "id"]:
        assert (res.hourly["generation_mw"][lid] == 0).all()
    for name in ("generation_mw", "link_forward_mw", "link_backward_mw", "storage_charge_mw",
                 "storage_discharge_mw", "market_sales_mw", "unserved_mw"):
        x = res.hourly[name].to_numpy()
        assert not ((x != 0) & (np.abs(x) < SNAP_MW)).any(), f"{name} holds values below 0.1 kW"


def test_market_netting_keeps_revenue_and_balance():
    """Sell 5 and buy 3 GW in one snapshot -> sell 2, buy 0; a clean snapshot is left alone."""
    values = {"market_sell": np.array([[5.0, 0.0]]), "market_buy": np.array([[3.0, 4.0]])}
    facts = markets.polish(values, None)
    assert facts == {"market_trades_netted": 1}
    np.testing.assert_array_equal(values["market_sell"], [[2.0, 0.0]])
    np.testing.assert_array_equal(values["market_buy"], [[0.0, 4.0]])


@pytest.mark.parametrize("options", [
    {"method": "monolithic", "algorithm": "clarabel"},
    {"method": "monolithic", "algorithm": "ipm", "crossover": False},
    {"method": "decomposed", "window_hours": 168, "workers": 1},
    {"method": "aggregated", "segments": 60},
], ids=["clarabel", "ipm-no-crossover", "decomposed", "aggregated"])
def test_every_method_reports_no_phantoms(options):
    assert_no_phantoms(silkgrid.solve(silkgrid.load_scenario(WEEKS), options=options))


def test_default_corridor_run_has_no_phantom_trades():
    """The `corridor` data set (2030), 12-hour snapshots, Clarabel (about 20 s).

    Before polishing, RO_market both sold 102 TWh and bought 72.6 TWh and three unbuilt links
    carried 0.01 MWh each."""
    sc = silkgrid.load_scenario("corridor")
    sc.time = sc.time.model_copy(update={"resolution": "12h"})
    res = silkgrid.solve(sc, options={"method": "monolithic", "algorithm": "clarabel"})
    assert_no_phantoms(res)
    polished = res.solver["polished"]
    assert polished["market_trades_netted"] > 0 and polished["links_not_built"] > 0
    # 130 opposite-flow pairs (83 GWh) before netting; each one's surplus was curtailable
    assert polished["link_opposite_flows_netted"] > 0 and polished["link_opposite_flows"] == 0
    # RO_market still buys (about 1.3 TWh/yr, resold to HU over ro_hu_ac when HU's price is higher):
    # a real trade, never in a snapshot where it also sells (assert_no_phantoms checks that)
    m = res.tables["markets"].set_index("id")
    assert (m["sold_mwh"] + m["bought_mwh"]).sum() < 20e6  # 11 TWh now; 174 TWh of gross trade before netting


def _two_node_arrays(**kw):
    """Link 0 from node 0 to node 1 (e = 0.9 forward, 0.8 backward); one PV (curtailable) at each node."""
    from types import SimpleNamespace

    from silkgrid.model.components.base import Capacity
    base = dict(link_bidirectional=np.array([True]), link_eff=np.array([0.9]), link_eff_rev=np.array([0.8]),
                link_from=np.array([0]), link_to=np.array([1]), link_cap=Capacity(existing=np.array([1.0]), extendable=np.array([False]), min_total=np.zeros(1),
                                  max_total=np.ones(1), cost_new=np.zeros(1), cost_existing=np.zeros(1)),
                gen_node=np.array([0, 1]), gen_renewable=np.array([True, True]), gen_min=np.zeros((2, 2)),
                gen_ramp_up=np.full(2, np.nan), gen_ramp_down=np.full(2, np.nan),
                min_res_share={}, cbam_link=-1, firm_export_ids=[])
    base.update(kw)
    return SimpleNamespace(**base)


def test_opposite_flows_netted_into_curtailment_keep_every_balance():
    """f = 0.5, b = 0.3 GW at once.  Sending side: x = min(0.5, 0.3 / 0.9) = 0.3333, y = 0.3, so
    f' = 0.1667, b' = 0; the receiving end gets 0.1667 x 0.9 = 0.15 as before (0.45 - 0.3), and the
    sending end saves x (1 - 0.72) = 0.09333 GW, curtailed from its PV (1.0 -> 0.90667)."""
    from silkgrid.model.components import links
    a = _two_node_arrays()
    values = {"link_forward": np.array([[0.5, 0.2]]), "link_backward": np.array([[0.3, 0.0]]),
              "link_new": np.zeros(1), "gen_p": np.array([[1.0, 1.0], [0.5, 0.5]])}
    before_to = values["link_forward"] * 0.9 - values["link_backward"]
    before_from = -values["link_forward"] + values["link_backward"] * 0.8 + values["gen_p"][0]
    facts = links.polish(values, a)
    assert facts["link_opposite_flows_netted"] == 1 and facts["link_opposite_flows"] == 0
    f, b = values["link_forward"], values["link_backward"]
    np.testing.assert_allclose(f, [[1 / 6, 0.2]], rtol=1e-12)
    np.testing.assert_allclose(b, [[0.0, 0.0]], atol=1e-15)
    np.testing.assert_allclose(f * 0.9 - b, before_to, rtol=1e-12)  # receiving end unchanged
    np.testing.assert_allclose(-f + b * 0.8 + values["gen_p"][0], before_from, rtol=1e-12)  # sending end too
    np.testing.assert_allclose(values["gen_p"][0], [1.0 - 0.28 / 3, 1.0], rtol=1e-12)


def test_opposite_flows_kept_where_the_surplus_cannot_be_curtailed():
    """No renewable output at either end (must-run everywhere): the pair stays and is counted."""
    from silkgrid.model.components import links
    a = _two_node_arrays(gen_min=np.full((2, 2), 0.5))
    values = {"link_forward": np.array([[0.5, 0.0]]), "link_backward": np.array([[0.3, 0.0]]),
              "link_new": np.zeros(1), "gen_p": np.array([[1.0, 1.0], [0.5, 0.5]])}
    facts = links.polish(values, a)
    assert facts["link_opposite_flows_netted"] == 0 and facts["link_opposite_flows"] == 1
    np.testing.assert_array_equal(values["link_forward"], [[0.5, 0.0]])


def test_idle_new_capacity_goes_back_to_its_lower_bound():
    """New capacity that carries nothing in any snapshot is not built; a used one, and one held up by
    its min_capacity, stay."""
    from silkgrid.model.components.base import Capacity, retire_idle_capacity
    cap = Capacity(existing=np.zeros(3), extendable=np.ones(3, dtype=bool), min_total=np.array([0.0, 0.0, 0.5]),
                   max_total=np.full(3, np.inf), cost_new=np.ones(3), cost_existing=np.zeros(3))
    new = np.array([0.0013, 0.0013, 0.8])
    dispatch = np.array([[0.0, 1e-9], [0.0, 0.001], [0.0, 0.0]])
    assert retire_idle_capacity(new, cap, dispatch) == 2
    np.testing.assert_array_equal(new, [0.0, 0.0013, 0.5])
