"""PyPSA multi-investment-period networks <-> SilkGrid pathways, objectives cross-checked.

Contract
--------
* Import: ``silkgrid.solve_pathway(from_pypsa_pathway(n)).objective_pv_eur`` equals ``n.objective``
  after ``n.optimize(multi_investment_periods=True, include_objective_constant=False)`` within
  1e-6 relative.  Why without the constant: PyPSA subtracts ``capital_cost x p_nom x (weights of
  the active periods)`` of *extendable* components (their p_nom counts as already built), while
  SilkGrid imports an extendable component as wholly new capacity (p_nom only a starting value);
  without the constant both count the full optimal capacity.  Capital costs of non-extendable
  components are in neither objective (SilkGrid keeps them in ``objective_constant_pv_eur``).
  ``test_existing_extendable_capacity_is_the_objective_constant`` checks that offset by hand.
* Export: ``to_pypsa_pathway(d)`` with ``n.optimize(multi_investment_periods=True)`` (PyPSA's
  default constant, which is 0 there: exported extendable components start at p_nom = 0) gives
  ``solve_pathway(d).objective_pv_eur``.
* Round trips in both directions keep the objective.

Both sides solve to a vertex by simplex, so agreement is at round-off level.
"""

from __future__ import annotations

import logging
import math
import warnings

import numpy as np
import pandas as pd
import pytest

pypsa = pytest.importorskip("pypsa")

import silkgrid  # noqa: E402
from silkgrid.core.errors import ScenarioError  # noqa: E402
from silkgrid.interop.pypsa import PyPSAConversionError  # noqa: E402
from silkgrid.interop.pypsa.pathways import fit_discount_rate, from_pypsa_pathway, to_pypsa_pathway  # noqa: E402
from silkgrid.scenario.pathway import load_pathway, period_weights  # noqa: E402

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]

REL_OBJ = 1e-6
SIMPLEX = {"algorithm": "simplex"}

for _name in ("pypsa", "linopy", "highspy"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def optimize(n, *, constant: bool = True) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status, condition = n.optimize(multi_investment_periods=True, solver_name="highs",
                                       include_objective_constant=constant, log_to_console=False)
    assert (status, condition) == ("ok", "optimal")
    return float(n.objective)


def silk(d) -> float:
    res = silkgrid.solve_pathway(d, options=SIMPLEX)
    assert res.optimal, res.message
    return res.objective_pv_eur


def close(a: float, b: float, label: str = "") -> None:
    assert abs(a - b) <= REL_OBJ * max(abs(b), 1.0), f"{label}: {a!r} vs {b!r}"


def check(n, label: str, export: bool = True) -> tuple[dict, float]:
    """Import, solve both, compare; export the import again and solve it with PyPSA (``export``; a
    multi-period PyPSA solve costs ~2-5 s of linopy overhead, so the random cases do it once).
    Returns the pathway dict and SilkGrid's objective (EUR)."""
    d = from_pypsa_pathway(n)
    ref = optimize(n.copy(), constant=False)
    obj = silk(d)
    close(obj, ref, f"{label} import")
    if export:
        close(optimize(to_pypsa_pathway(d)), ref, f"{label} export of the import")
    return d, obj


def two_periods(hours: int = 3) -> "pypsa.Network":
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2030-01-01", periods=hours, freq="h"))
    n.add("Bus", "A")
    return n


def set_periods(n, periods, years, weights) -> None:
    n.investment_periods = list(periods)
    n.investment_period_weightings["years"] = list(map(float, years))
    n.investment_period_weightings["objective"] = list(map(float, weights))


# ----------------------------------------------------------------------------------------------
# hand-solvable networks
# ----------------------------------------------------------------------------------------------
def hand_network(weights=(10.0, 10.0)):
    """``g`` (1,000 EUR/MW/yr, built 2030, lifetime 15: alive in 2030 and 2040 since 2040 < 2045)
    and ``h`` (1,200, built 2040); load 50/60/70 MW in 2030, 80/90/100 MW in 2040, g's availability
    0.5/1/0.8.  g = max(50/0.5, 60, 70/0.8) = 100 MW; in 2040 h fills 100 - 70 = 30 MW (first hour:
    80 - 50) and 100 - 80 = 20: h = 30 MW.  Without discounting (weights 10, 10):
    100 x 1,000 x 20 + 30 x 1,200 x 10 + 10 EUR/MWh x (180 + 270) MWh x 10 = 2,405,000 EUR."""
    n = two_periods()
    n.add("Generator", "g", bus="A", p_nom_extendable=True, capital_cost=1000, marginal_cost=10,
          build_year=2030, lifetime=15, p_max_pu=[0.5, 1, 0.8])
    n.add("Generator", "h", bus="A", p_nom_extendable=True, capital_cost=1200, marginal_cost=10,
          build_year=2040, lifetime=20)
    n.add("Load", "d", bus="A", p_set=[50, 60, 70])
    set_periods(n, [2030, 2040], [10, 10], weights)
    n.loads_t.p_set.loc[2040, "d"] = [80.0, 90.0, 100.0]
    return n


def test_hand_network_objective_and_vintages():
    n = hand_network()
    d, _ = check(n, "hand")
    assert optimize(n) == pytest.approx(2_405_000.0, rel=1e-9)
    assert d["pathway"]["discount_rate"] == 0.0 and d["pathway"]["years"] == [10, 10]
    gens = {g["id"]: g for g in d["scenario"]["generators"]}
    assert (gens["g"]["build_year"], gens["g"]["lifetime_years"]) == (2030, 15.0)
    assert gens["h"]["extendable"] is False  # not active in 2030: 0 MW there ...
    assert d["overrides"][2040]["generators"] == [{"id": "h", "extendable": True}]  # ... and buildable in 2040
    res = silkgrid.solve_pathway(d, options=SIMPLEX)
    v = res.vintages.set_index("id")
    assert v.loc["g", "built_mw"] == pytest.approx(100.0) and v.loc["h", "built_mw"] == pytest.approx(30.0)


def test_discounted_weights_give_a_rate():
    """Weights of 5 % from 2030: sum over k = 0..9 of 1.05^-k and k = 10..19, written out here."""
    w = [sum(1.05 ** -k for k in range(10)), sum(1.05 ** -k for k in range(10, 20))]
    d, _ = check(hand_network(w), "discounted")
    assert d["pathway"]["discount_rate"] == pytest.approx(0.05, abs=1e-12)
    assert d["pathway"]["base_year"] == 2030 and "weights" not in d["pathway"]


def test_other_weights_are_given_explicitly():
    """Weights 7 and 3 fit no (rate, base year 2030) with 10 years each: kept as ``weights``."""
    d, _ = check(hand_network((7.0, 3.0)), "explicit weights")
    assert d["pathway"]["weights"] == [7.0, 3.0]
    assert fit_discount_rate([2030, 2040], [10, 10], [7.0, 3.0]) is None


def test_existing_extendable_capacity_is_the_objective_constant():
    """g starts at p_nom = 40 MW: PyPSA's constant is 40 x 1,000 x (10 + 10) = 800,000 EUR, the
    only difference between its two objectives; SilkGrid matches the one without it."""
    n = hand_network()
    n.generators.loc["g", "p_nom"] = 40.0
    check(n, "existing extendable")
    with_const = optimize(n.copy(), constant=True)
    assert optimize(n.copy(), constant=False) - with_const == pytest.approx(800_000.0, rel=1e-9)


def test_a_fixed_plant_retires_inside_the_horizon():
    """``old`` (100 MW, 5 EUR/MWh, built 2015, lifetime 20: active in 2030 only) and an extendable
    ``new`` (1,000 EUR/MW/yr, 10 EUR/MWh, PyPSA's default build year 0 and infinite lifetime: one
    variable paid in every period), flat load 100 MW, one hour, weights 10 and 10.  2040 needs
    100 MW of ``new``, paid in both periods; ``old`` runs in 2030 (5 < 10 EUR/MWh):
    100 x 1,000 x 20 + 100 x 5 x 10 + 100 x 10 x 10 = 2,015,000 EUR."""
    n = two_periods(hours=1)
    n.add("Generator", "old", bus="A", p_nom=100, marginal_cost=5, build_year=2015, lifetime=20)
    n.add("Generator", "new", bus="A", p_nom_extendable=True, capital_cost=1000, marginal_cost=10)
    n.add("Load", "d", bus="A", p_set=100)
    set_periods(n, [2030, 2040], [10, 10], [10, 10])
    d, _ = check(n, "retirement")
    assert optimize(n) == pytest.approx(2_015_000.0, rel=1e-9)
    gens = {g["id"]: g for g in d["scenario"]["generators"]}
    assert gens["old"]["capacity_mw"] == 100.0 and "build_year" not in gens["old"]
    assert d["overrides"][2040]["generators"] == [{"id": "old", "capacity_mw": 0.0}]
    assert gens["new"]["build_year"] == 0 and gens["new"]["lifetime_years"] == 2050.0  # reaches the horizon's end


def test_a_store_shifts_energy_within_each_period():
    """A cyclic store (per period) with build year 2030 and solar that only shines in the first of two
    hours: load 10 MW flat; solar 20 MW at 50 EUR/MW/yr covers both hours through a store of 10 MWh
    at 30 EUR/MWh/yr; its alternative, gas at 1,000 EUR/MW/yr, is dearer.  Weights 1 and 1:
    (20 x 50 + 10 x 30) x 2 = 2,600 EUR."""
    n = two_periods(hours=2)
    n.add("Generator", "pv", bus="A", p_nom_extendable=True, capital_cost=50, p_max_pu=[1.0, 0.0],
          build_year=2030, lifetime=30)
    n.add("Generator", "gas", bus="A", p_nom_extendable=True, capital_cost=1000, marginal_cost=1)
    n.add("Store", "st", bus="A", e_nom_extendable=True, capital_cost=30, e_cyclic=True, e_cyclic_per_period=True,
          build_year=2030, lifetime=30)
    n.add("Load", "d", bus="A", p_set=10)
    set_periods(n, [2030, 2040], [1, 1], [1, 1])
    check(n, "store")
    assert optimize(n) == pytest.approx(2_600.0, rel=1e-9)


# ----------------------------------------------------------------------------------------------
# random networks
# ----------------------------------------------------------------------------------------------
def random_network(seed: int) -> "pypsa.Network":
    """2-3 buses, 3 periods of 6 h, extendable generators built in different periods with lifetimes
    ending inside the horizon, a fixed plant that retires, loads growing by period, links (one lossy
    one way, one lossless both ways), a store, and either discounted or arbitrary weights."""
    rng = np.random.default_rng(seed)
    periods, hours = [2030, 2035, 2045], 6
    buses = ["A", "B", "C"][: 2 + seed % 2]
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2030-06-01", periods=hours, freq="4h"))
    n.snapshot_weightings.loc[:, :] = 4.0
    for b in buses:
        n.add("Bus", b)
        n.add("Generator", f"backstop {b}", bus=b, p_nom_extendable=True, capital_cost=rng.uniform(8e4, 9e4),
              marginal_cost=rng.uniform(200, 300))
        for k in range(3):
            by = int(rng.choice([2025, *periods]))
            life = float(rng.choice([10.0, 15.0, 25.0, math.inf]))
            n.add("Generator", f"g{k} {b}", bus=b, p_nom_extendable=True, build_year=by, lifetime=life,
                  capital_cost=rng.uniform(2e3, 6e4), marginal_cost=rng.uniform(0, 80),
                  p_max_pu=rng.uniform(0.1, 1.0, hours), p_nom_max=rng.choice([np.inf, rng.uniform(20, 80)]))
        n.add("Load", f"load {b}", bus=b, p_set=rng.uniform(40, 100, hours))
    n.add("Generator", "old", bus="A", p_nom=60.0, marginal_cost=3.0, build_year=2010, lifetime=28)  # to 2038
    n.add("Link", "A-B", bus0="A", bus1="B", p_nom_extendable=True, efficiency=0.95, marginal_cost=0.5,
          capital_cost=rng.uniform(500, 3000), build_year=2035, lifetime=40)
    n.add("Link", "B-A both", bus0="B", bus1="A", p_nom_extendable=True, p_min_pu=-1,
          capital_cost=rng.uniform(500, 3000), build_year=2030, lifetime=10)
    n.add("Store", "store A", bus="A", e_nom_extendable=True, capital_cost=rng.uniform(50, 500),
          e_cyclic=True, e_cyclic_per_period=True, build_year=2030, lifetime=20)
    years = [5, 10, 10]
    if seed % 3 == 2:
        weights = list(rng.uniform(2, 8, 3))
    else:
        weights = list(period_weights(periods, years, float(rng.uniform(0, 0.08)), periods[0]))
    set_periods(n, periods, years, weights)
    growth = np.repeat([1.0, 1.0 + rng.uniform(0, 0.3), 1.0 + rng.uniform(0.3, 0.6)], hours)
    n.loads_t.p_set = n.loads_t.p_set.mul(growth, axis=0)
    return n


@pytest.mark.parametrize("seed", range(4))
def test_random_networks(seed):
    n = random_network(seed)
    d, obj = check(n, f"random {seed}", export=seed == 0)
    back = from_pypsa_pathway(to_pypsa_pathway(d))  # SilkGrid -> PyPSA -> SilkGrid
    close(silk(back), obj, f"random {seed} round trip")
    assert ("weights" in d["pathway"]) == (seed % 3 == 2)


# ----------------------------------------------------------------------------------------------
# SilkGrid pathways -> PyPSA (the hand cases of tests/test_pathway.py)
# ----------------------------------------------------------------------------------------------
def base(load_mw: float = 100.0, *, lifetime: float = 20.0, gens=()) -> dict:
    return {"name": "hand-pathway", "discount_rate": 0.0, "time": {"hours": 1, "annualise": False},
            "nodes": [{"id": "A", "country": "KZ"}], "carriers": [{"id": "fuel"}],
            "technologies": [{"id": "plant", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 1000.0,
                              "lifetime_years": lifetime},
                             {"id": "old", "carrier": "fuel", "lifetime_years": 40}],
            "generators": [{"id": "new", "node": "A", "technology": "plant", "extendable": True,
                            "variable_cost_eur_per_mwh": 10.0}, *gens],
            "loads": [{"id": "d", "node": "A", "demand_mw": load_mw}],
            "unserved_energy": {"allowed": False}, "solver": {"algorithm": "simplex"}}


def pathway(scenario: dict, overrides: dict | None = None, **opts) -> dict:
    return {"pathway": {"periods": [2030, 2040], "years": [10, 10], **opts}, "scenario": scenario,
            "overrides": overrides or {}}


def test_export_growing_demand_one_component_per_vintage():
    """100 MW in 2030 (lifetime 20) and 50 MW more in 2040: 2,525,000 EUR (tests/test_pathway.py);
    PyPSA gets ``new 2030`` and ``new 2040``."""
    d = pathway(base(), {2040: {"loads": [{"id": "d", "demand_mw": 150.0}]}})
    n = to_pypsa_pathway(d)
    assert list(n.generators.index) == ["new 2030", "new 2040"]
    assert list(n.generators.build_year) == [2030, 2040] and list(n.generators.lifetime) == [20.0, 20.0]
    back = from_pypsa_pathway(n)
    assert optimize(n) == pytest.approx(2_525_000.0, rel=1e-9)
    close(silk(d), 2_525_000.0)
    close(silk(back), 2_525_000.0, "export then import")


def test_export_existing_capacity_of_an_extendable_element_is_not_built_again():
    """40 MW of the plant exist (paying the same 1,000 EUR/MW/yr, a constant: 40 x 1,000 x 20 =
    800,000 EUR); 60 MW are built in 2030 and 50 in 2040: 2,525,000 EUR in all as without the existing
    part, 1,725,000 of it optimised, which both objectives count.  PyPSA gets the 40 MW as the fixed
    ``new`` and two vintages whose minimum is net of it (a minimum of 40 MW on each vintage would
    build the existing capacity again: 2.2-2.7 % too dear on the benchmark's networks)."""
    sc = base()
    sc["generators"][0]["capacity_mw"] = 40.0
    d = pathway(sc, {2040: {"loads": [{"id": "d", "demand_mw": 150.0}]}})
    n = to_pypsa_pathway(d)
    assert n.generators.loc["new", "p_nom"] == 40.0 and not n.generators.loc["new", "p_nom_extendable"]
    assert list(n.generators.loc[["new 2030", "new 2040"], "p_nom_min"]) == [0.0, 0.0]
    close(silk(d), 1_725_000.0)
    assert optimize(n) == pytest.approx(1_725_000.0, rel=1e-9)


def test_export_retirement_scales_the_fixed_capacity():
    """The existing 100 MW plant is 0 MW in 2040: one PyPSA generator of 100 MW with p_max_pu 1 in
    2030 and 0 in 2040.  1,015,000 EUR (tests/test_pathway.py)."""
    old = {"id": "old_plant", "node": "A", "technology": "old", "capacity_mw": 100.0,
           "variable_cost_eur_per_mwh": 5.0}
    d = pathway(base(gens=[old]), {2040: {"generators": [{"id": "old_plant", "capacity_mw": 0.0}]}})
    n = to_pypsa_pathway(d)
    assert n.generators.loc["old_plant", "p_nom"] == 100.0
    assert list(n.generators_t.p_max_pu["old_plant"]) == [1.0, 0.0]
    back = from_pypsa_pathway(n)
    assert optimize(n) == pytest.approx(1_015_000.0, rel=1e-9)
    close(silk(back), 1_015_000.0, "export then import")


def test_export_build_year_and_discounting():
    """build_year 2030 (one component ``new``), rate 5 %: objective (w1 + w2) x 101,000 EUR."""
    sc = base()
    sc["generators"][0]["build_year"] = 2030
    d = pathway(sc, discount_rate=0.05)
    n = to_pypsa_pathway(d)
    assert list(n.generators.index) == ["new"]
    w = sum(1.05 ** -k for k in range(20))
    assert list(n.investment_period_weightings["objective"]) == pytest.approx(
        [sum(1.05 ** -k for k in range(10)), sum(1.05 ** -k for k in range(10, 20))], rel=1e-12)
    assert optimize(n) == pytest.approx(w * 101_000.0, rel=1e-9)
    close(silk(d), w * 101_000.0)


# ----------------------------------------------------------------------------------------------
# refusals and the weights field
# ----------------------------------------------------------------------------------------------
def test_refusals_on_import():
    n = hand_network()
    single = pypsa.Network()
    single.add("Bus", "A")
    with pytest.raises(PyPSAConversionError, match="no investment periods"):
        from_pypsa_pathway(single)
    n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions", constant=1.0)
    with pytest.raises(PyPSAConversionError, match=r"GlobalConstraint 'co2'.*global constraints"):
        from_pypsa_pathway(n)
    n = hand_network()
    n.generators.loc["g", "ramp_limit_up"] = 0.5
    with pytest.raises(PyPSAConversionError, match=r"Generator 'g', attribute 'ramp_limit_up'"):
        from_pypsa_pathway(n)
    n = hand_network()
    n.add("Store", "s", bus="A", e_nom=10, e_cyclic=False, e_initial_per_period=False)
    with pytest.raises(PyPSAConversionError, match="e_initial_per_period"):
        from_pypsa_pathway(n)
    n = hand_network()
    n.investment_period_weightings["years"] = [10.0, 2.5]
    with pytest.raises(PyPSAConversionError, match="whole numbers"):
        from_pypsa_pathway(n)


def test_refusals_on_export():
    with pytest.raises(PyPSAConversionError, match="foresight 'myopic'"):
        to_pypsa_pathway(pathway(base(), foresight="myopic"))
    sc = base()
    sc["generators"][0]["max_capacity_mw"] = 500.0
    with pytest.raises(PyPSAConversionError, match="sum of several vintages"):
        to_pypsa_pathway(pathway(sc))
    sc = base()
    sc["policies"] = {"co2_cap_t": 1e6}
    with pytest.raises(PyPSAConversionError, match="CO2 cap per period"):
        to_pypsa_pathway(pathway(sc))
    with pytest.raises(PyPSAConversionError, match="end_of_horizon 'salvage'"):
        to_pypsa_pathway(pathway(base(), end_of_horizon="salvage"))
    rate = [{"id": "r", "country": "KZ", "technologies": ["plant"], "max_mw_per_yr": 1.0}]
    with pytest.raises(PyPSAConversionError, match="build-rate limits"):
        to_pypsa_pathway(pathway(base(), build_rates=rate))


def test_explicit_weights_field():
    d = pathway(base(), weights=[7.0, 3.0])
    assert list(load_pathway(d).weights()) == [7.0, 3.0]
    close(silk(d), 101_000.0 * 10.0)  # one vintage of 100 MW alive in both: (7 + 3) x 101,000
    with pytest.raises(ScenarioError, match="weights must give one positive number per period"):
        load_pathway(pathway(base(), weights=[1.0]))
