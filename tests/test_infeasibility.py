"""Infeasible scenarios get a plain-language message naming the element at fault."""

from __future__ import annotations

import pytest

import silkgrid

SIMPLEX = {"method": "simplex"}


def coal_only(annualise: bool, co2_t_per_mwh_th: float = 0.34) -> dict:
    """Two countries with only coal (0.34 / 0.4 = 0.85 t/MWh_el), 100 MW demand each, no
    unserved energy; a 10 t cap on XX cannot be met (XX needs 0.85 x 200 = 170 t over 2 h)."""
    return {
        "time": {"hours": 2, "annualise": annualise},
        "nodes": [{"id": "X", "country": "XX"}, {"id": "Y", "country": "YY"}],
        "carriers": [{"id": "coal", "co2_t_per_mwh_th": co2_t_per_mwh_th, "fuel_cost_eur_per_mwh_th": 10}],
        "technologies": [{"id": "coal_pp", "carrier": "coal", "efficiency": 0.4}],
        "generators": [{"id": "coalX", "node": "X", "technology": "coal_pp", "capacity_mw": 500},
                       {"id": "coalY", "node": "Y", "technology": "coal_pp", "capacity_mw": 500}],
        "loads": [{"id": "dX", "node": "X", "demand_mw": 100}, {"id": "dY", "node": "Y", "demand_mw": 100}],
        "policies": {"co2_cap_t_by_country": {"XX": 10}},
        "unserved_energy": {"allowed": False},
    }


@pytest.mark.parametrize("annualise,excess", [(False, 160), (True, 744_590)])
def test_country_co2_cap_names_country_and_cap(annualise, excess):
    """Excess = lowest reachable emissions - cap: 0.85 x 100 x 2 - 10 = 160 t; annualised
    0.85 x 100 x 8,760 - 10 = 744,590 t/yr.  (Regression: with annualised weights the
    elastic re-solve used to blame 'demand at node X' instead of the cap.)"""
    res = silkgrid.solve(coal_only(annualise), options=SIMPLEX)
    assert res.status == "infeasible"
    msg = res.message
    assert "CO2 cap for XX" in msg
    assert "10 t/yr" in msg
    assert f"{excess:,} t/yr" in msg
    assert "demand at node" not in msg


def test_country_co2_cap_high_emission_factor():
    """A fuel above 1 t/MWh_el (0.5 / 0.4 = 1.25) must still point at the cap, not the demand."""
    res = silkgrid.solve(coal_only(False, 0.5), options=SIMPLEX)
    assert res.status == "infeasible"
    assert "CO2 cap for XX" in res.message


def test_system_co2_cap_message():
    d = coal_only(False)
    d["policies"] = {"co2_cap_t": 100}
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "infeasible"
    assert "system CO2 cap of 100 t/yr" in res.message


def test_unmet_demand_names_node():
    """Node B has 50 MW for 80 MW of demand and no links; shedding is not allowed."""
    d = {
        "time": {"hours": 3, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "CN"}],
        "carriers": [{"id": "fuel"}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}],
        "generators": [{"id": "gA", "node": "A", "technology": "thermal", "capacity_mw": 500},
                       {"id": "gB", "node": "B", "technology": "thermal", "capacity_mw": 50}],
        "loads": [{"id": "dA", "node": "A", "demand_mw": 10},
                  {"id": "dB", "node": "B", "demand_mw": [40, 80, 80]}],
        "unserved_energy": {"allowed": False},
    }
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "infeasible"
    msg = res.message
    assert "demand at node B" in msg
    assert "2 snapshots" in msg
    assert "30.0 MW" in msg
    assert "node A" not in msg
    # allowing unserved energy makes it feasible
    d["unserved_energy"] = {"allowed": True}
    assert silkgrid.solve(d, options=SIMPLEX).status == "optimal"


def test_firm_export_too_large_names_contract():
    """Contract 'kz-cn' asks 200 MW into B every hour over a 100 MW link."""
    d = {
        "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "CN"}],
        "carriers": [{"id": "fuel"}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}],
        "generators": [{"id": "gA", "node": "A", "technology": "thermal", "capacity_mw": 500,
                        "variable_cost_eur_per_mwh": 30}],
        "links": [{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 100}],
        "loads": [{"id": "dB", "node": "B", "demand_mw": 50}],
        "markets": [{"id": "m", "node": "B", "price_eur_per_mwh": 10, "export_capacity_mw": 1000}],
        "policies": {"firm_exports": [{"id": "kz-cn", "node": "B", "min_mw": 200}]},
    }
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "infeasible"
    assert "firm export contract 'kz-cn'" in res.message
    assert "100.0 MW" in res.message  # short by 200 - 100
    d["policies"]["firm_exports"][0] = {"id": "kz-cn-yr", "node": "B", "min_mwh_per_year": 1000}
    res = silkgrid.solve(d, options=SIMPLEX)  # 2 h x 100 MW = 200 MWh at most
    assert res.status == "infeasible"
    assert "'kz-cn-yr'" in res.message
    assert "800 MWh" in res.message


def test_min_renewable_share_unreachable():
    d = coal_only(False)
    d["policies"] = {"min_renewable_share": {"YY": 0.5}}
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "infeasible"
    assert "renewable share for YY of 50%" in res.message
    assert "100 MWh/yr" in res.message  # 0.5 x 200 MWh, nothing renewable exists


def test_ipm_default_reports_infeasible_too():
    res = silkgrid.solve(coal_only(True))
    assert res.status in ("infeasible", "infeasible_or_unbounded")
    assert "CO2 cap for XX" in res.message
