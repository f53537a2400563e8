"""No phantom trades in results (issue #15, item 9): what a user reads is physically meaningful.

Interior-point solves stop inside the optimal face: a market buys and sells in the same
snapshot at the same price, candidates are "built" at 1e-9 MW and carry 1e-6 MW.  Extraction
polishes the solution (``silkgrid.results.extract.polish``): same-snapshot trades are netted
(revenue and balance exactly unchanged), candidates below 1 kW are not built and carry nothing,
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
    """The `make run` settings: corridor 2030, 12-hour snapshots, Clarabel (about 20 s).

    Before polishing, RO_market both sold 102 TWh and bought 72.6 TWh and three unbuilt links
    carried 0.01 MWh each."""
    sc = silkgrid.load_scenario("corridor")
    sc.time = sc.time.model_copy(update={"resolution": "12h"})
    res = silkgrid.solve(sc, options={"method": "monolithic", "algorithm": "clarabel"})
    assert_no_phantoms(res)
    polished = res.solver["polished"]
    assert polished["market_trades_netted"] > 0 and polished["links_not_built"] > 0
    bought = res.tables["markets"].set_index("id").loc["RO_market", "bought_mwh"]
    assert bought < 1e6  # under 1 TWh: imports only in hours without exports (72.6 TWh before)
