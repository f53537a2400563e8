"""The bundled example data set loads, solves and gives physically consistent answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import silkgrid
from silkgrid.scenario.loader import available_datasets, merge_scenarios

REL = 1e-6  # energy-balance identities hold to solver tolerance


@pytest.fixture(scope="module")
def january() -> silkgrid.Result:
    """The example restricted to January (annualised), solved with simplex for exact duals."""
    sc = silkgrid.load_scenario({"extends": "example", "time": {"subset": {"start": "2030-01-01",
                                                                            "end": "2030-01-31"}}})
    return silkgrid.solve(sc, options={"method": "simplex"})


def test_example_is_packaged() -> None:
    assert "example" in available_datasets()
    sc = silkgrid.load_scenario("example")
    assert [n.id for n in sc.nodes] == ["KZ_W", "AZ", "GE", "RO"]
    # profiles were read from the CSV with one value per hour
    wind = next(g for g in sc.generators if g.id == "KZ_W_wind").availability
    assert isinstance(wind, np.ndarray) and wind.shape == (8760,)
    assert 0.2 < wind.mean() < 0.4


def test_example_january_energy_balance(january: silkgrid.Result) -> None:
    r = january
    assert r.status == "optimal"
    assert len(r.snapshots) == 31 * 8  # 3-hour snapshots
    assert r.weights.sum() == pytest.approx(8760.0, rel=1e-12)  # annualised to a year
    s = r.summary
    gen = s["generation_mwh"]["total"]
    t = r.tables
    discharged = t["storage"]["discharged_mwh"].sum() - t["storage"]["charged_mwh"].sum()
    sold = t["markets"]["sold_mwh"].sum() - t["markets"]["bought_mwh"].sum()
    # generation + net storage output = demand - unserved + exports + link losses
    lhs = gen + discharged
    rhs = s["demand_mwh"] - s["unserved_energy_mwh"] + sold + s["link_losses_mwh"]
    assert lhs == pytest.approx(rhs, rel=REL)
    # reservoir hydro with inflow discharges more than it charges
    assert discharged > 0
    # emissions = gas output / efficiency * 0.198 tCO2/MWh_th
    g = t["generators"].set_index("id")
    expected = (g.loc["AZ_gas", "generation_mwh"] / 0.58
                + (g.loc["KZ_W_gas", "generation_mwh"] + g.loc["GE_gas", "generation_mwh"]) / 0.38) * 0.198
    assert s["emissions_t"] == pytest.approx(expected, rel=REL)


def test_example_prices_are_consistent(january: silkgrid.Result) -> None:
    prices = january.hourly["price_eur_per_mwh"]
    assert list(prices.columns) == ["KZ_W", "AZ", "GE", "RO"]
    # the EU node's price equals the market price whenever the market sale is strictly inside its bounds
    sc = silkgrid.load_scenario("example")
    ro = pd.Series(next(m for m in sc.markets if m.id == "RO_market").price_eur_per_mwh)
    hourly = ro.iloc[: 31 * 24].to_numpy().reshape(-1, 3).mean(axis=1)
    sales = january.hourly["market_sales_mw"]["RO_market"].to_numpy()
    inside = (sales > 1e-3) & (sales < 4000 - 1e-3)
    if inside.any():
        np.testing.assert_allclose(prices["RO"].to_numpy()[inside], hourly[inside], rtol=1e-6)
    # no price above the value of lost load and none below minus it
    assert prices.abs().max().max() <= 10_000 + 1e-6


def test_extends_override_changes_answer(january: silkgrid.Result) -> None:
    raw = {"extends": "example", "time": {"subset": {"start": "2030-01-01", "end": "2030-01-31"}},
           "links": [{"id": "black_sea_cable", "min_capacity_mw": 2000}]}
    r = silkgrid.solve(raw, options={"method": "simplex"})
    assert r.tables["links"].set_index("id").loc["black_sea_cable", "total_mw"] >= 2000 - 1e-6
    # forcing a bigger cable cannot make the optimum cheaper
    assert r.objective >= january.objective * (1 - 1e-9)


def test_merge_keeps_parent_order_and_removes() -> None:
    parent = {"nodes": [{"id": "A", "country": "X"}, {"id": "B", "country": "X"}]}
    child = {"nodes": [{"id": "A", "remove": True}, {"id": "C", "country": "Y"}, {"id": "B", "country": "Z"}]}
    merged = merge_scenarios(parent, child)
    assert merged["nodes"] == [{"id": "B", "country": "Z"}, {"id": "C", "country": "Y"}]
