"""Cost breakdown, curtailment, unserved energy and emissions (``silkgrid.analysis.costs``).

``time.annualise: false`` (weights 1 h, "per year" = per 2-hour horizon), simplex solves.
Tolerance rel 1e-6, abs 1e-6 (costs in EUR).
"""

from __future__ import annotations

import pytest

import silkgrid
from silkgrid.analysis import (cost_by_country, cost_by_node_technology, cost_components, curtailment, emissions,
                               unserved_energy)

REL, ABS = 1e-6, 1e-6
AF = 0.07 / (1 - 1.07 ** -25)  # annuity factor, 7 %, 25 years, written out


def approx(v):
    return pytest.approx(v, rel=REL, abs=ABS)


def system() -> dict:
    """Two nodes, 2 hours.

    A (KZ): load 50 MW.  ``gas``: 100 MW existing, technology ``ccgt`` (efficiency 0.5,
    variable O&M 2 EUR/MWh, fixed O&M 10 EUR/kW/yr), carrier ``gas`` (fuel 20 EUR/MWh_th,
    0.2 t/MWh_th) and a CO2 price of 50 EUR/t -> marginal 2 + 40 + 0.4 x 50 = 62 EUR/MWh.
    ``solar``: extendable, capex 0.1 EUR/kW (100 EUR/MW x AF = 8.58 EUR/MW/yr), availability
    (1, 0).  ``bat``: 10 MW existing, max_hours 2, fixed O&M 1 EUR/kW/yr and energy fixed O&M
    0.5 EUR/kWh/yr (10,000 + 10,000 EUR), lossless.
    B (UZ): load 20 MW; link A -> B 10 MW existing, 100 km x 1,000 EUR/MW/km, fixed O&M 2 %/yr
    (1e5 x 0.02 x 10 = 20,000 EUR); a market at B sells 5 MW at 500 EUR/MWh; the remaining
    5 MW are shed at 1,000 EUR/MWh.

    Optimum: solar is cheaper per MW than 62 EUR/MWh of gas, so it covers hour 1 (50 + 10 to
    B) and charges the battery (10 MW) for hour 2: solar 70 MW new, generation 70 MWh.  Hour 2:
    battery 10, gas 50 MW.  Costs: solar capex 70 x 100 x AF; gas fixed O&M 1e6, variable O&M
    100, fuel 2,000, CO2 20 t x 50 = 1,000; market 2 x 5 x 500 = 5,000; unserved 10 MWh x 1,000.
    """
    return {
        "name": "costs", "discount_rate": 0.07, "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "UZ"}],
        "carriers": [{"id": "gas", "fuel_cost_eur_per_mwh_th": 20, "co2_t_per_mwh_th": 0.2},
                     {"id": "sun", "renewable": True}, {"id": "elec"}],
        "technologies": [
            {"id": "ccgt", "carrier": "gas", "efficiency": 0.5, "variable_om_eur_per_mwh": 2,
             "fixed_om_eur_per_kw_yr": 10},
            {"id": "pv", "carrier": "sun", "capex_eur_per_kw": 0.1, "lifetime_years": 25},
            {"id": "bat", "carrier": "elec", "fixed_om_eur_per_kw_yr": 1, "energy_fixed_om_eur_per_kwh_yr": 0.5}],
        "generators": [{"id": "gas", "node": "A", "technology": "ccgt", "capacity_mw": 100},
                       {"id": "solar", "node": "A", "technology": "pv", "extendable": True, "availability": [1, 0]}],
        "storage": [{"id": "bat", "node": "A", "technology": "bat", "power_capacity_mw": 10, "max_hours": 2}],
        "links": [{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 10, "length_km": 100,
                   "capex_eur_per_mw_km": 1000, "fixed_om_pct_per_yr": 2}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 50}, {"id": "dB", "node": "B", "demand_mw": 20}],
        "markets": [{"id": "mB", "node": "B", "price_eur_per_mwh": 500, "import_capacity_mw": 5}],
        "policies": {"co2_price_eur_per_t": 50},
        "unserved_energy": {"value_of_lost_load_eur_per_mwh": 1000},
    }


@pytest.fixture(scope="module")
def solved():
    sc = silkgrid.load_scenario(system())
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_components_by_element(solved):
    res, sc = solved
    c = cost_components(res, sc).set_index("id")
    assert c.loc["solar", "annualised_capex_eur"] == approx(70 * 100 * AF)
    gas = c.loc["gas"]
    assert (gas.fixed_om_eur, gas.variable_om_eur, gas.fuel_eur, gas.co2_eur) == (
        approx(1e6), approx(100), approx(2000), approx(1000))
    assert c.loc["bat", "fixed_om_eur"] == approx(20000)
    assert c.loc["ab", "fixed_om_eur"] == approx(20000)
    assert c.loc["ab", "country"] == "KZ-UZ"
    assert c.loc["unserved_B", "unserved_eur"] == approx(10000)
    assert c.loc["mB", "market_eur"] == approx(5000)


def test_components_add_up_to_total_system_cost(solved):
    res, sc = solved
    total = 70 * 100 * AF + 1e6 + 100 + 2000 + 1000 + 20000 + 20000 + 10000 + 5000
    assert res.total_cost_eur == approx(total)
    assert cost_components(res, sc)["total_eur"].sum() == approx(res.total_cost_eur)
    by_nt = cost_by_node_technology(res, sc)
    assert by_nt["total_eur"].sum() == approx(total)
    by_c = cost_by_country(res, sc).set_index("country")
    # the KZ-UZ link is split half and half
    assert by_c.loc["UZ", "total_eur"] == approx(10000 + 5000 + 10000)
    assert by_c.loc["KZ", "total_eur"] == approx(total - 25000)


def test_curtailment_unserved_emissions(solved):
    res, sc = solved
    cu = curtailment(res).set_index(["node", "technology"])
    assert cu.loc[("A", "pv"), "curtailment_mwh"] == approx(0)
    assert cu.loc[("A", "pv"), "curtailment_share"] == approx(0)
    un = unserved_energy(res).set_index("id")
    assert un.loc["B", "unserved_mwh"] == approx(10)
    assert un.loc["B", "unserved_share"] == approx(0.25)
    assert un.loc["B", "hours_with_unserved_h"] == approx(2)
    em = emissions(res).set_index(["country", "technology"])
    assert em.loc[("KZ", "ccgt"), "emissions_t"] == approx(20)
