"""PyPSA interoperability: ``from_network`` / ``to_network`` reproduce PyPSA's optimum exactly.

Contract tested here
--------------------
* Import: for a PyPSA network ``n``, ``silkgrid.solve(from_network(n)).objective`` equals
  ``n.objective`` after ``n.optimize(solver_name="highs", include_objective_constant=False)``
  within 1e-6 relative; capacities (``p_nom_opt`` / ``e_nom_opt``) agree within 1e-3
  relative where the optimum is unique (hand-built networks with distinct costs).
* Export: ``n = to_network(scenario)``; ``n.optimize()`` (PyPSA's default
  ``include_objective_constant=True``) gives ``silkgrid.solve(scenario).objective``.
* Whatever cannot be represented raises ``ScenarioError`` naming the element.

Both sides are solved to a vertex (SilkGrid: simplex; PyPSA: HiGHS' default simplex), so
the agreement is at round-off level; the worst relative objective error seen is printed at
the end of the module (``pytest -s``).
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest

pypsa = pytest.importorskip("pypsa")

import silkgrid  # noqa: E402
from silkgrid.core.errors import ScenarioError  # noqa: E402
from silkgrid.interop.pypsa import (  # noqa: E402
    PyPSAConversionError,
    from_network,
    link_capacity_ties,
    to_network,
)

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]

REL_OBJ = 1e-6
REL_CAP = 1e-3
SIMPLEX = {"method": "simplex"}
ERRORS: list[tuple[str, float]] = []

for _name in ("pypsa", "linopy", "highspy"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@pytest.fixture(scope="module", autouse=True)
def _report_worst_error():
    yield
    if ERRORS:
        name, worst = max(ERRORS, key=lambda e: e[1])
        print(f"\n[interop] {len(ERRORS)} objective comparisons, worst relative error {worst:.2e} ({name})")


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------
def optimize(n, *, constant: bool = False, **kw) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status, condition = n.optimize(solver_name="highs", include_objective_constant=constant,
                                       log_to_console=False, **kw)
    assert status == "ok" and condition == "optimal", (status, condition)
    return float(n.objective)


def rel_err(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1.0)


def record(label: str, silk: float, ref: float) -> None:
    err = rel_err(silk, ref)
    ERRORS.append((label, err))
    assert err <= REL_OBJ, f"{label}: SilkGrid {silk!r} vs PyPSA {ref!r} (rel {err:.2e})"


def silk_capacities(res, ids) -> dict[tuple[str, str], float]:
    """Total capacities keyed like ``ids`` (PyPSA component, PyPSA name)."""
    g = res.tables["generators"].set_index("id")["total_mw"]
    s = res.tables["storage"].set_index("id")
    ln = res.tables["links"].set_index("id")["total_mw"]
    out = {}
    for (comp, name), sid in ids.items():
        if comp == "Generator":
            out[(comp, name)] = g[sid]
        elif comp == "StorageUnit":
            out[(comp, name)] = s.loc[sid, "power_total_mw"]
        elif comp == "Store":
            out[(comp, name)] = s.loc[sid, "energy_total_mwh"]
        elif comp == "Link":
            out[(comp, name)] = ln[sid]
    return out


def pypsa_capacity(n, comp: str, name: str) -> float:
    if comp == "Generator":
        return float(n.generators.p_nom_opt[name])
    if comp == "StorageUnit":
        return float(n.storage_units.p_nom_opt[name] * n.storage_units.p_max_pu[name])
    if comp == "Store":
        return float(n.stores.e_nom_opt[name])
    return float(n.links.p_nom_opt[name] * n.links.p_max_pu[name])  # SilkGrid capacity = usable MW


def check_import(n, label: str, *, capacities=True):
    """Import ``n``, solve both, compare objectives (and all capacities if unique)."""
    ids: dict = {}
    sc = from_network(n, ids=ids)
    res = silkgrid.solve(sc, options=SIMPLEX)
    assert res.optimal, res.message
    ref = optimize(n)
    record(label, res.objective, ref)
    if capacities:
        caps = silk_capacities(res, ids)
        for (comp, name), value in caps.items():
            expected = pypsa_capacity(n, comp, name)
            assert value == pytest.approx(expected, rel=REL_CAP, abs=1e-3), (label, comp, name)
    return sc, res, ids


def network(hours: int = 24, weight: float = 1.0, start="2030-01-01") -> "pypsa.Network":
    n = pypsa.Network()
    n.set_snapshots(pd.date_range(start, periods=hours, freq=f"{int(max(weight, 1))}h"))
    set_weights(n, weight)
    return n


def set_weights(n, values, columns=("objective", "stores", "generators")) -> None:
    for col in columns:
        n.snapshot_weightings[col] = np.broadcast_to(np.asarray(values, dtype=float),
                                                     len(n.snapshots)).copy()


def profile(rng, hours, kind="solar"):
    t = np.arange(hours)
    if kind == "solar":
        return np.clip(np.sin((t % 24 - 6) / 12 * np.pi), 0, None) * rng.uniform(0.6, 1.0, hours)
    return np.clip(0.45 + 0.3 * np.sin(t / 17.0 + rng.uniform(0, 6)) + rng.normal(0, 0.1, hours), 0, 1)


def demand(rng, hours, base=100.0):
    t = np.arange(hours)
    return base * (1 + 0.25 * np.sin((t % 24 - 9) / 24 * 2 * np.pi)) + rng.uniform(0, 5, hours)


# ----------------------------------------------------------------------------------------
# hand-built networks (capacities unique: distinct costs, binding bounds)
# ----------------------------------------------------------------------------------------
def test_single_bus_gas_and_solar():
    rng = np.random.default_rng(1)
    n = network(24)
    n.add("Bus", "DE", country="DE", x=10.0, y=51.0)
    n.add("Carrier", "gas", co2_emissions=0.2)
    n.add("Carrier", "solar")
    n.add("Generator", "gas", bus="DE", carrier="gas", p_nom_extendable=True, capital_cost=60_000,
          marginal_cost=70.0, efficiency=0.55)
    n.add("Generator", "pv", bus="DE", carrier="solar", p_nom_extendable=True, capital_cost=3_000,
          marginal_cost=0.01, p_max_pu=profile(rng, 24))
    n.add("Load", "load", bus="DE", p_set=demand(rng, 24))
    sc, res, ids = check_import(n, "single bus gas+solar")
    node = sc.nodes[0]
    assert (node.country, node.lon, node.lat) == ("DE", 10.0, 51.0)
    assert sc.carrier_map()["gas"].co2_t_per_mwh_th == 0.2
    assert sc.unserved_energy.allowed is False
    assert res.tables["generators"].set_index("id").loc["pv", "total_mw"] > 1.0


def test_two_buses_lossless_bidirectional_link():
    rng = np.random.default_rng(2)
    n = network(24)
    for b in ("A", "B"):
        n.add("Bus", b)
    n.add("Generator", "cheapA", bus="A", p_nom_extendable=True, capital_cost=20_000, marginal_cost=20)
    n.add("Generator", "dearB", bus="B", p_nom_extendable=True, capital_cost=25_000, marginal_cost=90)
    n.add("Generator", "pvB", bus="B", p_nom_extendable=True, capital_cost=2_500, p_max_pu=profile(rng, 24))
    n.add("Load", "dA", bus="A", p_set=demand(rng, 24, 50))
    n.add("Load", "dB", bus="B", p_set=demand(rng, 24, 120))
    n.add("Link", "AB", bus0="A", bus1="B", p_nom_extendable=True, p_min_pu=-1, capital_cost=3_000,
          length=300)
    sc, res, _ = check_import(n, "lossless bidirectional link")
    link = sc.links[0]
    assert link.bidirectional and link.efficiency == 1.0 and link.length_km == 300


def test_unidirectional_lossy_links():
    rng = np.random.default_rng(3)
    n = network(24)
    for b in ("A", "B", "C"):
        n.add("Bus", b)
    n.add("Generator", "hydroA", bus="A", p_nom=300, marginal_cost=5)
    n.add("Generator", "peakB", bus="B", p_nom_extendable=True, capital_cost=30_000, marginal_cost=150)
    n.add("Generator", "peakC", bus="C", p_nom_extendable=True, capital_cost=31_000, marginal_cost=160)
    n.add("Load", "dB", bus="B", p_set=demand(rng, 24, 150))
    n.add("Load", "dC", bus="C", p_set=demand(rng, 24, 80))
    n.add("Link", "A-B", bus0="A", bus1="B", p_nom=120, efficiency=0.95, marginal_cost=1.5)
    n.add("Link", "A-C", bus0="A", bus1="C", p_nom_extendable=True, efficiency=0.9, marginal_cost=2.0,
          capital_cost=8_000, p_nom_max=60)
    sc, res, ids = check_import(n, "unidirectional lossy links")
    assert not any(ln.bidirectional for ln in sc.links)
    assert res.tables["links"].set_index("id").loc["A-C", "total_mw"] == pytest.approx(60.0, rel=1e-6)


def test_storage_unit_max_hours_inflow_spill_and_initial_state():
    """A reservoir with more inflow than it can use (spills), non-cyclic with a standing loss
    and an initial state (PyPSA does not apply the first snapshot's loss to it), plus an
    extendable cyclic battery."""
    rng = np.random.default_rng(4)
    n = network(36)
    n.add("Bus", "X")
    n.add("Generator", "gas", bus="X", p_nom_extendable=True, capital_cost=40_000, marginal_cost=80)
    n.add("Generator", "pv", bus="X", p_nom_extendable=True, capital_cost=4_000, p_max_pu=profile(rng, 36))
    n.add("Load", "d", bus="X", p_set=demand(rng, 36, 100))
    inflow = np.r_[np.full(12, 150.0), np.zeros(24)]
    n.add("StorageUnit", "reservoir", bus="X", p_nom=40, max_hours=5, inflow=inflow, standing_loss=0.01,
          efficiency_dispatch=0.9, state_of_charge_initial=150, cyclic_state_of_charge=False,
          marginal_cost=0.5)
    n.add("StorageUnit", "battery", bus="X", p_nom_extendable=True, capital_cost=9_000, max_hours=3,
          efficiency_store=0.95, efficiency_dispatch=0.95, cyclic_state_of_charge=True)
    sc, res, _ = check_import(n, "storage unit inflow/spill")
    spilled = n.storage_units_t.spill["reservoir"].sum()
    assert spilled > 1.0  # the spill path is exercised
    sto = {s.id: s for s in sc.storage}
    assert sto["reservoir"].initial_state_mwh == pytest.approx(150 / 0.99)


def test_dispatch_only_reservoir_maps_to_can_charge_false():
    """A StorageUnit with p_min_pu = 0 (a reservoir that cannot pump) imports as can_charge: false;
    cheap PV in the middle hours would otherwise be stored in it."""
    rng = np.random.default_rng(6)
    n = network(24)
    n.add("Bus", "X")
    n.add("Generator", "gas", bus="X", p_nom=200, marginal_cost=90)
    n.add("Generator", "pv", bus="X", p_nom_extendable=True, capital_cost=3_000, p_max_pu=profile(rng, 24))
    n.add("Load", "d", bus="X", p_set=demand(rng, 24, 100))
    n.add("StorageUnit", "dam", bus="X", p_nom=30, max_hours=10, p_min_pu=0.0, inflow=np.full(24, 5.0),
          cyclic_state_of_charge=True)
    sc, res, _ = check_import(n, "dispatch-only reservoir")
    assert not next(s for s in sc.storage if s.id == "dam").can_charge
    assert res.hourly["storage_charge_mw"]["dam"].abs().max() == 0.0


def test_store_with_charger_and_discharger_links():
    rng = np.random.default_rng(5)
    n = network(48)
    n.add("Bus", "el")
    n.add("Bus", "h2")
    n.add("Carrier", "H2")
    n.add("Generator", "wind", bus="el", p_nom_extendable=True, capital_cost=5_000,
          p_max_pu=profile(rng, 48, "wind"))
    n.add("Generator", "peak", bus="el", p_nom_extendable=True, capital_cost=45_000, marginal_cost=120)
    n.add("Load", "d", bus="el", p_set=demand(rng, 48))
    n.add("Link", "electrolyser", bus0="el", bus1="h2", p_nom_extendable=True, efficiency=0.7,
          capital_cost=6_000)
    n.add("Link", "fuel cell", bus0="h2", bus1="el", p_nom_extendable=True, efficiency=0.5,
          capital_cost=7_000, marginal_cost=1.0)
    n.add("Store", "tank", bus="h2", carrier="H2", e_nom_extendable=True, e_cyclic=True, capital_cost=30,
          standing_loss=0.001)
    n.add("Store", "cavern", bus="h2", carrier="H2", e_nom=200, e_initial=150, standing_loss=0.002)
    sc, res, ids = check_import(n, "store + links")
    assert ids[("Link", "fuel cell")] == "fuel_cell"
    tank = next(s for s in sc.storage if s.id == "tank")
    assert tank.unlimited_power and tank.extendable_energy


def test_co2_primary_energy_constraint_binding():
    rng = np.random.default_rng(6)
    n = network(24)
    n.add("Bus", "A")
    n.add("Carrier", "coal", co2_emissions=0.34)
    n.add("Carrier", "gas", co2_emissions=0.2)
    n.add("Carrier", "wind")
    n.add("Generator", "coal", bus="A", carrier="coal", p_nom=80, marginal_cost=25, efficiency=0.4)
    n.add("Generator", "ccgt", bus="A", carrier="gas", p_nom_extendable=True, capital_cost=50_000,
          marginal_cost=60, efficiency=0.6)
    n.add("Generator", "wind", bus="A", carrier="wind", p_nom_extendable=True, capital_cost=6_000,
          p_max_pu=profile(rng, 24, "wind"))
    n.add("Load", "d", bus="A", p_set=demand(rng, 24))
    n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions",
          sense="<=", constant=800.0)
    sc, res, _ = check_import(n, "CO2 cap binding")
    assert sc.policies.co2_cap_t == 800.0
    assert res.summary["emissions_t"] == pytest.approx(800.0, rel=1e-6)  # binding
    assert res.co2_shadow_price_eur_per_t == pytest.approx(abs(float(n.global_constraints.mu["co2"])),
                                                          rel=1e-4)


@pytest.mark.parametrize("case", ["3h", "annualised", "short-last"])
def test_snapshot_weightings(case):
    """3-hourly weightings (storage durations and costs x3), objective weights scaled to a
    year (time.annualise), and a shorter last snapshot."""
    rng = np.random.default_rng(7)
    T = 16
    n = network(T, weight=3.0)
    if case == "annualised":
        set_weights(n, 8760 / T, ("objective", "generators"))
    if case == "short-last":
        w = np.full(T, 3.0)
        w[-1] = 2.0
        set_weights(n, w)
    n.add("Bus", "A")
    n.add("Carrier", "gas", co2_emissions=0.2)
    # annualised: n.nyears = 1 and the gas plant is costed by PyPSA 1.x's overnight cost,
    # annuity and fixed O&M (PyPSA's periodised cost is what SilkGrid imports)
    cost = ({"overnight_cost": 600_000, "discount_rate": 0.07, "lifetime": 25, "fom_cost": 12_000}
            if case == "annualised" else {"capital_cost": 60_000})
    n.add("Generator", "gas", bus="A", carrier="gas", p_nom_extendable=True, marginal_cost=70,
          efficiency=0.5, **cost)
    n.add("Generator", "pv", bus="A", p_nom_extendable=True, capital_cost=3_000 * (365 if case == "annualised"
                                                                                   else 1),
          p_max_pu=profile(rng, T * 3)[::3])
    n.add("StorageUnit", "bat", bus="A", p_nom_extendable=True, capital_cost=2_000, max_hours=4,
          efficiency_store=0.9, efficiency_dispatch=0.9, standing_loss=0.01, cyclic_state_of_charge=True)
    n.add("Load", "d", bus="A", p_set=demand(rng, T))
    n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions",
          sense="<=", constant=2_000.0 * (8760 / (3 * T) if case == "annualised" else 1))
    sc, res, _ = check_import(n, f"weightings {case}")
    assert sc.time.resolution == "3h"
    assert sc.time.annualise is (case == "annualised")
    assert sc.time.hours == (3 * T - 1 if case == "short-last" else 3 * T)
    if case == "annualised":
        gas = next(t for t in sc.technologies if t.id == "gen.gas")
        assert gas.annualised_cost_eur_per_mw_yr == pytest.approx(
            600_000 * 0.07 / (1 - 1.07 ** -25) + 12_000, rel=1e-9)


def test_extendable_bounds_binding():
    rng = np.random.default_rng(8)
    n = network(24)
    n.add("Bus", "A")
    n.add("Generator", "pv", bus="A", p_nom_extendable=True, capital_cost=100, p_nom_max=70,
          p_max_pu=profile(rng, 24))
    n.add("Generator", "nuclear", bus="A", p_nom_extendable=True, capital_cost=200_000, marginal_cost=10,
          p_nom_min=30, p_nom_max=200)
    n.add("Generator", "peaker", bus="A", p_nom_extendable=True, capital_cost=30_000, marginal_cost=150,
          p_nom=50, p_nom_max=1e15)  # p_nom of an extendable generator is ignored by PyPSA's LP
    n.add("Load", "d", bus="A", p_set=demand(rng, 24))
    sc, res, _ = check_import(n, "p_nom_min/max binding")
    g = res.tables["generators"].set_index("id")["total_mw"]
    assert g["pv"] == pytest.approx(70.0, rel=1e-6)
    assert g["nuclear"] == pytest.approx(30.0, rel=1e-6)
    peaker = next(x for x in sc.generators if x.id == "peaker")
    assert (peaker.capacity_mw, peaker.max_capacity_mw) == (0.0, None)  # 1e15 MW: no limit


def test_ramp_limits_existing_capacity_and_scaled_links():
    """Ramp limits (per snapshot in PyPSA -> per hour in SilkGrid), must-run output,
    capital costs of existing capacity (a constant, outside both objectives), link and
    storage p_max_pu < 1 (capacity scaled), inactive components and awkward names."""
    rng = np.random.default_rng(9)
    n = network(24, weight=2.0)
    n.add("Bus", "north bus")
    n.add("Bus", "south/bus")
    n.add("Generator", "coal #1", bus="north bus", p_nom=120, p_min_pu=0.3, marginal_cost=30,
          capital_cost=90_000, ramp_limit_up=0.2, ramp_limit_down=0.25)
    n.add("Generator", "gas", bus="south/bus", p_nom_extendable=True, capital_cost=40_000,
          marginal_cost=90, ramp_limit_up=0.5)
    n.add("Generator", "pv", bus="south/bus", p_nom_extendable=True, capital_cost=2_000,
          p_max_pu=profile(rng, 48)[::2])
    n.add("Generator", "mothballed", bus="south/bus", p_nom=500, marginal_cost=0.0, active=False)
    n.add("Load", "north", bus="north bus", p_set=demand(rng, 24, 60))
    n.add("Load", "south", bus="south/bus", p_set=demand(rng, 24, 90))
    n.add("Link", "n-s", bus0="north bus", bus1="south/bus", p_nom_extendable=True, p_max_pu=0.8,
          p_min_pu=-0.8, capital_cost=4_000)
    n.add("StorageUnit", "bat", bus="south/bus", p_nom_extendable=True, capital_cost=3_000, max_hours=2,
          p_max_pu=0.5, p_min_pu=-0.5, cyclic_state_of_charge=True)
    sc, res, ids = check_import(n, "ramps/scaled/inactive")
    assert ("Generator", "mothballed") not in ids
    coal = next(g for g in sc.generators if g.id == ids[("Generator", "coal #1")])
    assert coal.ramp_limit_up_per_hour == pytest.approx(0.1)
    assert res.objective_constant == pytest.approx(120 * 90_000)


# ----------------------------------------------------------------------------------------
# random networks
# ----------------------------------------------------------------------------------------
def random_network(seed: int) -> "pypsa.Network":
    """2-6 buses, 24-168 snapshots, every supported component; a zero-emission expensive
    slack generator at every bus keeps it feasible."""
    rng = np.random.default_rng(seed)
    nb = int(rng.integers(2, 7))
    T = int(rng.integers(24, 169))
    k = int(rng.choice([1, 1, 2, 3]))
    n = network(T, weight=float(k))
    hours = T * k
    n.add("Carrier", "gas", co2_emissions=0.2)
    n.add("Carrier", "coal", co2_emissions=0.34)
    n.add("Carrier", "solar")
    n.add("Carrier", "wind")
    n.add("Carrier", "H2")
    buses = [f"bus {i}" for i in range(nb)]
    must_run_emissions = energy = 0.0
    for i, b in enumerate(buses):
        n.add("Bus", b, x=float(rng.uniform(-10, 40)), y=float(rng.uniform(35, 60)), country=f"C{i % 3}")
        load = demand(rng, hours, rng.uniform(50, 200))[::k]
        n.add("Load", f"load {i}", bus=b, p_set=load)
        energy += load.sum() * k
        n.add("Generator", f"slack {i}", bus=b, p_nom=2 * load.max(), marginal_cost=1000 + 10 * i)
        kinds = rng.permutation(["gas", "solar", "wind"])[: int(rng.integers(1, 3))]
        if i == 0 or "gas" in kinds:
            n.add("Generator", f"gas {i}", bus=b, carrier="gas", p_nom_extendable=True,
                  capital_cost=rng.uniform(40_000, 80_000), marginal_cost=rng.uniform(40, 90),
                  efficiency=rng.uniform(0.35, 0.6), ramp_limit_up=rng.choice([np.nan, 0.6]) * k / 3,
                  p_nom_max=rng.choice([np.inf, 300.0]))
        if i == 0 or "solar" in kinds:
            n.add("Generator", f"solar {i}", bus=b, carrier="solar", p_nom_extendable=True,
                  capital_cost=rng.uniform(2_000, 6_000), marginal_cost=rng.uniform(0, 0.1),
                  p_max_pu=profile(rng, hours)[::k], p_nom_max=rng.uniform(50, 400))
        if i == 0 or "wind" in kinds:
            n.add("Generator", f"wind {i}", bus=b, carrier="wind", p_nom_extendable=True,
                  capital_cost=rng.uniform(4_000, 9_000), marginal_cost=rng.uniform(0, 0.1),
                  p_max_pu=profile(rng, hours, "wind")[::k])
        if rng.random() < 0.4:
            p_nom, pmin, eff = 0.3 * load.min(), 0.4, 0.38
            n.add("Generator", f"coal {i}", bus=b, carrier="coal", p_nom=p_nom, p_min_pu=pmin,
                  marginal_cost=rng.uniform(20, 35), efficiency=eff, capital_cost=100_000)
            must_run_emissions += p_nom * pmin * k * T / eff * 0.34
        if i == 0 or rng.random() < 0.5:
            n.add("StorageUnit", f"battery {i}", bus=b, p_nom_extendable=True,
                  capital_cost=rng.uniform(5e3, 2e4), max_hours=float(rng.integers(2, 7)),
                  efficiency_store=0.95, efficiency_dispatch=0.95, standing_loss=rng.choice([0.0, 0.001]),
                  cyclic_state_of_charge=True)
        if i == 1 or rng.random() < 0.3:
            n.add("StorageUnit", f"hydro {i}", bus=b, p_nom=rng.uniform(20, 80), max_hours=10,
                  inflow=rng.uniform(0, 60, T), cyclic_state_of_charge=False,
                  state_of_charge_initial=rng.uniform(0, 100), efficiency_dispatch=0.9,
                  standing_loss=rng.choice([0.0, 0.002]))
    h2 = buses[int(rng.integers(nb))]
    n.add("Bus", "H2 store")
    n.add("Link", "electrolysis", bus0=h2, bus1="H2 store", p_nom_extendable=True, efficiency=0.7,
          capital_cost=rng.uniform(5e3, 1e4))
    n.add("Link", "fuel cell", bus0="H2 store", bus1=h2, p_nom_extendable=True, efficiency=0.5,
          capital_cost=rng.uniform(5e3, 1e4))
    cyclic = bool(rng.random() < 0.5)
    n.add("Store", "H2 tank", bus="H2 store", carrier="H2", e_nom_extendable=True,
          capital_cost=rng.uniform(5, 50), e_cyclic=cyclic, e_initial=0.0 if cyclic else rng.uniform(0, 50),
          e_nom_min=0.0 if cyclic else 50.0, standing_loss=rng.choice([0.0, 0.0005]))
    for i in range(1, nb):  # a tree of reversible lossless links plus a few lossy one-way links
        j = int(rng.integers(i))
        n.add("Link", f"line {j}-{i}", bus0=buses[j], bus1=buses[i], p_min_pu=-1,
              p_nom=rng.choice([0.0, 50.0]), p_nom_extendable=bool(rng.random() < 0.7),
              capital_cost=rng.uniform(1e3, 5e3))
        if rng.random() < 0.5:
            n.add("Link", f"hvdc {i}-{j}", bus0=buses[i], bus1=buses[j], p_nom=rng.uniform(10, 100),
                  efficiency=rng.uniform(0.9, 0.99), marginal_cost=rng.uniform(0, 2),
                  p_max_pu=rng.choice([1.0, 0.9]))
    if rng.random() < 0.7:
        n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions",
              sense="<=", constant=must_run_emissions + rng.uniform(0.002, 0.015) * energy)
    return n


@pytest.mark.parametrize("seed", range(5))
def test_random_networks(seed):
    n = random_network(seed)
    check_import(n, f"random seed {seed}", capacities=False)


# ----------------------------------------------------------------------------------------
# export: scenario -> PyPSA -> same optimum
# ----------------------------------------------------------------------------------------
def base_scenario(hours=48, **kw) -> dict:
    rng = np.random.default_rng(11)
    d = {
        "name": "export",
        "discount_rate": 0.06,
        "time": {"hours": hours, "annualise": True},
        "nodes": [{"id": "KZ", "country": "KZ", "lat": 48.0, "lon": 67.0},
                  {"id": "UZ", "country": "UZ"}, {"id": "CN", "country": "CN"}],
        "carriers": [{"id": "gas", "co2_t_per_mwh_th": 0.2, "fuel_cost_eur_per_mwh_th": 25},
                     {"id": "coal", "co2_t_per_mwh_th": 0.34, "fuel_cost_eur_per_mwh_th": 10},
                     {"id": "sun", "renewable": True}, {"id": "water", "renewable": True},
                     {"id": "elec"}],
        "technologies": [
            {"id": "ccgt", "carrier": "gas", "capex_eur_per_kw": 900, "lifetime_years": 30,
             "fixed_om_eur_per_kw_yr": 20, "efficiency": 0.58, "variable_om_eur_per_mwh": 3},
            {"id": "coal", "carrier": "coal", "capex_eur_per_kw": 1800, "efficiency": 0.38,
             "fixed_om_eur_per_kw_yr": 40},
            {"id": "pv", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 45_000},
            {"id": "battery", "carrier": "elec", "capex_eur_per_kw": 150, "energy_capex_eur_per_kwh": 200,
             "lifetime_years": 15, "variable_om_eur_per_mwh": 0.5},
            {"id": "hydro", "carrier": "water", "annualised_cost_eur_per_mw_yr": 0, "variable_om_eur_per_mwh": 1},
        ],
        "generators": [
            {"id": "kz_coal", "node": "KZ", "technology": "coal", "capacity_mw": 300, "min_output": 0.3,
             "ramp_limit_up_per_hour": 0.2, "ramp_limit_down_per_hour": 0.3},
            {"id": "kz_pv", "node": "KZ", "technology": "pv", "extendable": True, "max_capacity_mw": 800,
             "availability": profile(rng, hours).tolist()},
            {"id": "uz_ccgt", "node": "UZ", "technology": "ccgt", "capacity_mw": 100, "extendable": True,
             "min_capacity_mw": 50},
            {"id": "cn_ccgt", "node": "CN", "technology": "ccgt", "extendable": True},
            {"id": "cn_pv", "node": "CN", "technology": "pv", "capacity_mw": 50, "extendable": True,
             "availability": profile(rng, hours).tolist()},
        ],
        "storage": [
            {"id": "bat", "node": "CN", "technology": "battery", "extendable_power": True, "max_hours": 4,
             "efficiency_charge": 0.95, "efficiency_discharge": 0.95, "standing_loss_per_hour": 0.001},
            {"id": "dam", "node": "UZ", "technology": "hydro", "power_capacity_mw": 60, "max_hours": 8,
             "inflow_mw": np.r_[np.full(hours // 2, 80.0), np.zeros(hours - hours // 2)].tolist(),
             "cyclic": False, "initial_state_mwh": 200, "standing_loss_per_hour": 0.002},
        ],
        "links": [
            {"id": "kz-cn", "from_node": "KZ", "to_node": "CN", "capacity_mw": 150, "efficiency": 0.93,
             "efficiency_reverse": 0.95, "variable_cost_eur_per_mwh": 0.5},
            {"id": "kz-uz", "from_node": "KZ", "to_node": "UZ", "extendable": True, "capex_eur_per_mw": 90_000,
             "capex_eur_per_mw_km": 400, "length_km": 800, "fixed_om_pct_per_yr": 1.5},
            {"id": "uz-cn", "from_node": "UZ", "to_node": "CN", "extendable": True, "bidirectional": False,
             "efficiency": 0.9, "annualised_cost_eur_per_mw_yr": 500, "max_capacity_mw": 120},
        ],
        "loads": [{"id": "d_kz", "node": "KZ", "demand_mw": demand(rng, hours, 250).tolist()},
                  {"id": "d_uz", "node": "UZ", "demand_mw": demand(rng, hours, 120).tolist()},
                  {"id": "d_cn", "node": "CN", "demand_mw": demand(rng, hours, 300).tolist(),
                   "value_of_lost_load_eur_per_mwh": 75}],
        "markets": [{"id": "ru", "node": "KZ", "price_eur_per_mwh": (40 + 30 * rng.random(hours)).tolist(),
                     "export_capacity_mw": 80, "import_capacity_mw": 40}],
        "policies": {"co2_price_eur_per_t": 15, "co2_cap_t": 1.5e6},
        "unserved_energy": {"allowed": True, "value_of_lost_load_eur_per_mwh": 2_000},
    }
    d.update(kw)
    return d


def check_export(d, label, **kw):
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options=SIMPLEX)
    assert res.optimal, res.message
    n = to_network(sc, **kw.pop("export", {}))
    ref = optimize(n, constant=True, **kw)
    record(label, res.objective, ref)
    return sc, res, n


def test_export_full_scenario():
    sc, res, n = check_export(base_scenario(), "export: full scenario")
    # lossy bidirectional link -> one PyPSA link per direction
    assert {"kz-cn", "kz-cn reverse"} <= set(n.links.index)
    assert n.links.loc["kz-uz", "p_min_pu"] == -1.0  # lossless and free: one reversible link
    # the market sells through a generator with negative output
    assert n.generators.loc["ru export", "p_min_pu"] == -1.0
    # total capacities agree where the optimum is unique
    g = res.tables["generators"].set_index("id")["total_mw"]
    assert float(n.generators.p_nom_opt["kz_pv"]) == pytest.approx(g["kz_pv"], rel=REL_CAP, abs=1e-3)


def test_export_annualised_3h_and_energy_storage():
    """3-hourly, annualised weights; storage sized in energy with fixed power (Store plus
    charger/discharger links) and a pure energy store with losses (Store behind
    unlimited links)."""
    d = base_scenario(hours=72, time={"hours": 72, "resolution": "3h", "annualise": True})
    d["policies"] = {"co2_price_eur_per_t": 30}
    d["technologies"] += [{"id": "h2", "carrier": "elec", "energy_annualised_cost_eur_per_mwh_yr": 800,
                           "annualised_cost_eur_per_mw_yr": 10_000, "variable_om_eur_per_mwh": 2},
                          {"id": "cavern", "carrier": "elec", "energy_annualised_cost_eur_per_mwh_yr": 300}]
    d["storage"] = [
        {"id": "h2", "node": "CN", "technology": "h2", "power_capacity_mw": 40, "extendable_energy": True,
         "efficiency_charge": 0.7, "efficiency_discharge": 0.55, "cyclic": True},
        {"id": "tank", "node": "KZ", "technology": "h2", "unlimited_power": True, "energy_capacity_mwh": 300,
         "efficiency_charge": 0.9, "cyclic": False, "initial_state_mwh": 100, "standing_loss_per_hour": 0.01},
        {"id": "pile", "node": "UZ", "technology": "h2", "unlimited_power": True, "extendable_energy": True,
         "max_energy_capacity_mwh": 500, "cyclic": True},
        {"id": "cavern", "node": "CN", "technology": "cavern", "unlimited_power": True,
         "extendable_energy": True, "cyclic": True},
    ]
    sc, res, n = check_export(d, "export: 3h annualised, stores")
    assert n.snapshot_weightings["objective"].sum() == pytest.approx(8760)
    assert {"h2 charger", "h2 discharger", "tank charger"} <= set(n.links.index)
    assert n.stores.loc["cavern", "bus"] == "CN"  # lossless and free: a Store at the node itself


def test_export_market_depth_element_rates_and_grants():
    """Market depth steps (one PyPSA generator pair per block, price -/+ offset), a discount rate of
    its own on a generator and a link, and a grant share on the link: the objective matches."""
    d = base_scenario()
    d["markets"][0]["export_capacity_mw"] = 120
    d["markets"][0]["depth_steps"] = [{"mw": 30, "price_offset_eur_per_mwh": 0},
                                      {"mw": 40, "price_offset_eur_per_mwh": 8}]
    gens = {g["id"]: g for g in d["generators"]}
    gens["uz_ccgt"]["discount_rate"] = 0.12
    links = {ln["id"]: ln for ln in d["links"]}
    links["kz-uz"].update(discount_rate=0.09, grant_share=0.4)
    sc, res, n = check_export(d, "export: market depth, element rates, grants")
    assert {"ru export", "ru export 2", "ru import", "ru import 2"} <= set(n.generators.index)
    assert n.generators.loc["ru export 2", "p_nom"] == pytest.approx(90.0)  # 120 - 30: the last block


def test_export_tied_links_and_reimport():
    d = base_scenario(hours=24)
    d["links"][0].update({"extendable": True, "capacity_mw": 0, "annualised_cost_eur_per_mw_yr": 30_000})
    with pytest.raises(ScenarioError, match="kz-cn"):
        to_network(silkgrid.load_scenario(d))
    check_export(d, "export: tied link capacities", export={"tie_links": True},
                 extra_functionality=link_capacity_ties)

    # import(export(scenario)) solves to the same optimum when no extendable element has
    # existing capacity (PyPSA ignores p_nom of extendables; SilkGrid does not)
    d2 = base_scenario(hours=24)
    for g in d2["generators"]:
        if g.get("extendable"):
            g["capacity_mw"] = 0
    d2["unserved_energy"] = {"allowed": False}
    d2["markets"] = []
    sc = silkgrid.load_scenario(d2)
    res = silkgrid.solve(sc, options=SIMPLEX)
    back = silkgrid.solve(from_network(to_network(sc)), options=SIMPLEX)
    record("export+import round trip", back.objective, res.objective)


# ----------------------------------------------------------------------------------------
# refusals
# ----------------------------------------------------------------------------------------
def small() -> "pypsa.Network":
    n = network(4)
    n.add("Bus", "A")
    n.add("Bus", "B")
    n.add("Generator", "g", bus="A", p_nom=100, marginal_cost=10)
    n.add("Load", "d", bus="B", p_set=10)
    return n


def _line(n):
    n.add("Line", "ac-line", bus0="A", bus1="B", x=0.1, s_nom=100)


def _transformer(n):
    n.add("Transformer", "tr-1", bus0="A", bus1="B", x=0.1, s_nom=100)


def _lossy_reversible(n):
    n.add("Link", "rev-lossy", bus0="A", bus1="B", p_nom=50, p_min_pu=-1, efficiency=0.9)


def _costly_reversible(n):
    n.add("Link", "rev-costly", bus0="A", bus1="B", p_nom=50, p_min_pu=-1, marginal_cost=2)


def _multiport(n):
    n.add("Bus", "C")
    n.add("Link", "chp", bus0="A", bus1="B", bus2="C", efficiency2=0.3, p_nom=10)


def _store_cost(n):
    n.add("Store", "tank-mc", bus="B", e_nom=10, marginal_cost=1.0)


def _committable(n):
    n.add("Generator", "uc-unit", bus="B", p_nom=10, committable=True)


def _link_varying_pmax(n):
    n.add("Link", "var-link", bus0="A", bus1="B", p_nom=50, p_max_pu=[1, 0.5, 1, 1])


def _negative_pmin(n):
    n.add("Generator", "neg-gen", bus="B", p_nom=10, p_min_pu=-1)


def _other_global(n):
    n.add("GlobalConstraint", "volume-limit", type="transmission_volume_expansion_limit",
          carrier_attribute="AC", sense="<=", constant=1e3)


def _equal_sense(n):
    n.add("GlobalConstraint", "co2-eq", type="primary_energy", carrier_attribute="co2_emissions",
          sense="==", constant=10)


def _e_min_pu(n):
    n.add("Store", "cushion", bus="B", e_nom=10, e_min_pu=0.2)


def _quadratic(n):
    n.add("Generator", "quad-gen", bus="B", p_nom=10, marginal_cost_quadratic=0.1)


def _gen_varying_cost(n):
    n.add("Generator", "spot-gen", bus="B", p_nom=10, marginal_cost=[1, 2, 3, 4])


def _half_hour(n):
    set_weights(n, 0.5)


def _uneven_weights(n):
    set_weights(n, [1.0, 2.0, 1.0, 1.0], ("stores",))


def _multi_period(n):
    n.set_investment_periods([2030, 2040])


def _storage_half_charge(n):
    n.add("StorageUnit", "half-charge", bus="B", p_nom=10, p_min_pu=-0.5)


def _link_ramp(n):
    n.add("Link", "ramped-link", bus0="A", bus1="B", p_nom=10, ramp_limit_up=0.1)


def _emitting_store(n):
    n.add("Carrier", "gas", co2_emissions=0.2)
    n.add("Store", "gas-tank", bus="B", carrier="gas", e_nom=100, e_initial=50, e_cyclic=False)
    n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions",
          sense="<=", constant=10)


@pytest.mark.parametrize("modify, element", [
    (_line, "ac-line"), (_transformer, "tr-1"), (_lossy_reversible, "rev-lossy"),
    (_costly_reversible, "rev-costly"), (_multiport, "chp"), (_store_cost, "tank-mc"),
    (_committable, "uc-unit"), (_link_varying_pmax, "var-link"), (_negative_pmin, "neg-gen"),
    (_other_global, "volume-limit"), (_equal_sense, "co2-eq"), (_e_min_pu, "cushion"),
    (_quadratic, "quad-gen"), (_gen_varying_cost, "spot-gen"), (_half_hour, "snapshot_weightings"),
    (_uneven_weights, "snapshot_weightings"), (_multi_period, "investment_periods"),
    (_storage_half_charge, "half-charge"), (_link_ramp, "ramped-link"), (_emitting_store, "gas-tank"),
])
def test_unsupported_features_raise(modify, element):
    n = small()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modify(n)
    with pytest.raises(ScenarioError) as info:
        from_network(n)
    assert isinstance(info.value, PyPSAConversionError)
    assert element in str(info.value)
    assert "Fix:" in str(info.value)


def test_lossy_reversible_link_message_says_how_to_fix():
    n = small()
    _lossy_reversible(n)
    with pytest.raises(ScenarioError, match=r"Link 'rev-lossy'.*efficiency.*split it into two unidirectional"):
        from_network(n)


@pytest.mark.parametrize("policy, element", [
    ({"co2_cap_t_by_country": {"KZ": 1000}}, "co2_cap_t_by_country"),
    ({"min_renewable_share": {"CN": 0.3}}, "min_renewable_share"),
    ({"firm_exports": [{"id": "ppa", "node": "CN", "min_mw": 10}]}, "ppa"),
])
def test_export_refuses_policies_pypsa_lacks(policy, element):
    d = base_scenario(hours=4)
    d["policies"] = policy
    with pytest.raises(ScenarioError, match=element):
        to_network(silkgrid.load_scenario(d))


def test_export_refuses_extendable_power_with_separate_energy():
    d = base_scenario(hours=4)
    d["storage"] = [{"id": "flow-bat", "node": "CN", "technology": "battery", "extendable_power": True,
                     "extendable_energy": True}]
    with pytest.raises(ScenarioError, match="flow-bat"):
        to_network(silkgrid.load_scenario(d))


def test_export_packaged_corridor_12h_matches_pypsa():
    """The packaged corridor (2035) exports and PyPSA's optimum equals SilkGrid's within 1e-6.

    Build limits are removed first (PyPSA has no per-country, per-technology-group limit on new
    capacity, so the exporter refuses them); eight weeks at 12 h keep the test at about 20 s.
    Hydro reservoirs that cannot charge become StorageUnits with ``p_min_pu=0`` and inflow;
    batteries (power and energy sized separately) become a Store with charger and discharger
    links whose capacities are tied (charger = efficiency x discharger) by ``link_capacity_ties``.
    Measured: relative objective error about 1e-16 (both sides solved to a vertex).
    """
    from silkgrid.scenario.schema import Subset

    sc = silkgrid.load_scenario("corridor-2035")
    sc.time = sc.time.model_copy(update={"resolution": "12h",
                                         "subset": Subset(start="2035-01-01", end="2035-02-25")})
    sc.policies = sc.policies.model_copy(update={"build_limits": []})
    with pytest.raises(ScenarioError, match="battery"):  # tied capacities need tie_links
        to_network(sc)
    n = to_network(sc, tie_links=True)
    hydro = n.storage_units.loc["GE_hydro_enguri"]
    assert hydro.p_min_pu == 0.0 and hydro.p_nom == pytest.approx(1300.0)
    assert hydro.max_hours * hydro.p_nom == pytest.approx(1_077_073.2)  # energy capacity, MWh
    assert ["KZ_N_battery charger", "KZ_N_battery discharger", 0.96] in n.meta["silkgrid_tied_links"]
    res = silkgrid.solve(sc, options=SIMPLEX)
    assert res.optimal, res.message
    ref = optimize(n, constant=True, extra_functionality=link_capacity_ties)
    record("export: packaged corridor-2035, 12h, 8 weeks", res.objective, ref)
    cap = float(n.links.p_nom_opt["KZ_N_battery charger"])
    assert cap == pytest.approx(0.96 * float(n.links.p_nom_opt["KZ_N_battery discharger"]), rel=1e-9, abs=1e-6)
