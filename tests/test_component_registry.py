"""Adding a model component = one new module + one line in the registry (docs/architecture.md).

The toy module tests/components/gas_budget.py (a yearly output budget per technology) is added
to ``silkgrid.model.components.COMPONENTS`` and nothing else is touched: the LP, the result
tables, the infeasibility sentence and the result checker all pick it up.
"""

from __future__ import annotations

import pytest

import silkgrid
import silkgrid.model.components as components
from tests.components import gas_budget
from tests.test_formulation import load, scenario, thermal


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(components, "COMPONENTS", (*components.COMPONENTS, gas_budget))
    monkeypatch.setattr(gas_budget, "BUDGETS_MWH", {})
    return gas_budget


def two_plants() -> dict:
    """24 h of 100 MW demand; plant 'cheap' (20 EUR/MWh) and 'dear' (50 EUR/MWh), 100 MW each."""
    d = scenario(24, generators=[thermal("cheap", "A", 100, 20.0), thermal("dear", "A", 100, 50.0)],
                 loads=[load("d", "A", 100.0)], technologies=[{"id": "dear_tech", "carrier": "fuel"}])
    d["generators"][1]["technology"] = "dear_tech"
    return d


def test_new_component_binds_with_the_hand_optimum(registered):
    """Budget 1,000 MWh on 'thermal' (the cheap plant): cheap 1,000 MWh x 20 + dear 1,400 MWh x 50
    = 90,000 EUR; the budget's shadow price is the saving of one more cheap MWh, 50 - 20 = 30 EUR/MWh."""
    registered.BUDGETS_MWH["thermal"] = 1000.0
    res = silkgrid.solve(two_plants(), options={"method": "simplex"})
    assert res.optimal  # a simplex vertex: exact up to round-off, hence rel=1e-9 below
    assert res.objective == pytest.approx(90_000.0, rel=1e-9)
    gen = res.tables["generators"].set_index("id")["generation_mwh"]
    assert gen["cheap"] == pytest.approx(1000.0, rel=1e-9) and gen["dear"] == pytest.approx(1400.0, rel=1e-9)
    row = res.tables["output_budgets"].iloc[0]
    assert row.technology == "thermal" and row.shadow_price_eur_per_mwh == pytest.approx(30.0, rel=1e-9)


def test_new_component_explains_its_infeasibility(registered):
    """Budget 1,000 MWh on both technologies: 2,400 MWh of demand cannot be met (no shedding)."""
    registered.BUDGETS_MWH.update(thermal=1000.0, dear_tech=1000.0)
    res = silkgrid.solve({**two_plants(), "unserved_energy": {"allowed": False}}, options={"method": "simplex"})
    assert res.status == "infeasible"
    assert "output budget of" in res.message and "exceeded by" in res.message


def test_without_the_line_the_component_is_absent(registered, monkeypatch):
    monkeypatch.setattr(components, "COMPONENTS", tuple(c for c in components.COMPONENTS if c is not gas_budget))
    registered.BUDGETS_MWH["thermal"] = 1000.0
    res = silkgrid.solve(two_plants(), options={"method": "simplex"})
    assert res.objective == pytest.approx(24 * 100 * 20.0, rel=1e-9) and "output_budgets" not in res.tables
