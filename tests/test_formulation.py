"""Hand-checked optima of every formulation block.

Each test is a tiny scenario whose optimum (objective, capacities, dispatch, nodal prices,
CO2 shadow price) is worked out on paper in the docstring, then asserted.

Conventions
-----------
* ``time: {hours: N, annualise: false}`` so every snapshot weighs 1 h and "per year"
  quantities (investment annuities, CO2 caps, yearly contracts) are simply per model
  horizon.  Annualised costs are then given directly in EUR/MW/yr so the arithmetic stays
  readable; the annuity formula itself is checked in ``test_technology_annuity_*`` and
  ``test_link_extendable_*``.
* Marginal costs are mostly given with ``variable_cost_eur_per_mwh`` (a generator field);
  the derivation "variable O&M + fuel / efficiency + CO2 price x emissions" is exercised by
  the CO2 tests.
* Tolerances: the LP is solved in GW / GWh / MEUR with HiGHS primal and dual feasibility
  tolerances of 1e-7 (and an IPM optimality tolerance of 1e-8).  Values that come out of
  a vertex solution (simplex) are exact up to round-off, but to stay robust to presolve and
  scaling we assert ``rel=1e-6`` on objectives, capacities and prices, with an absolute floor
  ``ABS`` (1e-6 in user units, i.e. micro-MW or micro-EUR/MWh) for quantities that are zero.
* Prices and shadow prices are compared on simplex solutions: interior-point without
  crossover returns an interior dual (an average of the optimal dual face), which differs
  from the hand-computed vertex in degenerate cases.  A few tests run the default IPM to
  prove that path agrees with the hand value within 1e-6 relative on the objective.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid

REL = 1e-6
ABS = 1e-6
SIMPLEX = {"method": "simplex"}


def approx(value, rel=REL, abs=ABS):
    return pytest.approx(value, rel=rel, abs=abs)


# ----------------------------------------------------------------------------------------
# scenario helpers
# ----------------------------------------------------------------------------------------
def scenario(hours: int, *, nodes=(("A", "KZ"),), generators=(), storage=(), links=(), loads=(),
             markets=(), policies=None, unserved=None, discount_rate=0.07, carriers=(),
             technologies=()) -> dict:
    """A scenario dict with generic carriers and technologies:

    carrier ``fuel`` (fossil, no cost or CO2 unless a generator gives a variable cost),
    carrier ``sun`` (renewable); technologies ``thermal`` (fuel), ``pv`` (sun),
    ``battery`` and ``hydro`` (carrier ``elec``).  Extra carriers/technologies are appended.
    """
    d = {
        "name": "hand",
        "discount_rate": discount_rate,
        "time": {"hours": hours, "annualise": False},
        "nodes": [{"id": n, "country": c} for n, c in nodes],
        "carriers": [{"id": "fuel"}, {"id": "sun", "renewable": True}, {"id": "elec"}, *carriers],
        "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "pv", "carrier": "sun"},
                         {"id": "battery", "carrier": "elec"}, {"id": "hydro", "carrier": "elec"},
                         *technologies],
        "generators": list(generators),
        "storage": list(storage),
        "links": list(links),
        "loads": list(loads),
        "markets": list(markets),
    }
    if policies is not None:
        d["policies"] = policies
    if unserved is not None:
        d["unserved_energy"] = unserved
    return d


def thermal(gid: str, node: str, mw: float, cost: float, **kw) -> dict:
    return {"id": gid, "node": node, "technology": "thermal", "capacity_mw": mw,
            "variable_cost_eur_per_mwh": cost, **kw}


def load(lid: str, node: str, mw, **kw) -> dict:
    return {"id": lid, "node": node, "demand_mw": mw, **kw}


def solve(d: dict, **options) -> silkgrid.Result:
    res = silkgrid.solve(d, options=options or SIMPLEX)
    assert res.status == "optimal", res.message
    return res


def prices(res: silkgrid.Result, node: str = "A") -> np.ndarray:
    return res.hourly["price_eur_per_mwh"][node].to_numpy()


def gen_table(res: silkgrid.Result):
    return res.tables["generators"].set_index("id")


def annuity(rate: float, years: float) -> float:
    """Capital recovery factor r / (1 - (1 + r)^-n), written out independently of silkgrid."""
    return rate / (1.0 - (1.0 + rate) ** -years)


# ----------------------------------------------------------------------------------------
# generators: extendable solar against an existing gas plant
# ----------------------------------------------------------------------------------------
def solar_gas(solar_tech: str = "pv", **gas_kw) -> dict:
    return scenario(
        2,
        generators=[thermal("gas", "A", 200, 50, **gas_kw),
                    {"id": "solar", "node": "A", "technology": solar_tech, "extendable": True,
                     "availability": [0.8, 0.2]}],
        loads=[load("d", "A", [80, 80])],
        technologies=[{"id": "pv30", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 30}],
    )


@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_solar_vs_gas_capacity_objective_prices(method):
    """1 node, 2 h, demand 80 MW both hours; gas 200 MW existing at 50 EUR/MWh;
    solar extendable at 30 EUR/MW (per horizon), availability [0.8, 0.2].

    One MW of solar saves (0.8 + 0.2) x 50 = 50 EUR > 30 while its hour-1 output is absorbed,
    i.e. up to S = 80 / 0.8 = 100 MW.  Beyond that it only saves 0.2 x 50 = 10 < 30: S* = 100 MW.
    Dispatch: h1 solar 80, gas 0; h2 solar 20, gas 60.
    Objective = 100 x 30 + 60 x 50 = 6,000 EUR.
    Prices: h2 is set by gas: 50 EUR/MWh.  h1: one more MWh in h1 needs 1/0.8 = 1.25 MW more
    solar (37.5 EUR), which also yields 0.25 MWh in h2 worth 0.25 x 50 = 12.5 EUR:
    price h1 = 37.5 - 12.5 = 25 EUR/MWh (< gas at 50, so gas stays off in h1).
    Dual check: 30 = 0.8 mu1 + 0.2 mu2, mu2 = pi2 = 50 -> mu1 = pi1 = 25.
    """
    d = solar_gas("pv30")
    res = solve(d, method=method)
    g = gen_table(res)
    assert res.objective == approx(6000.0)
    assert g.loc["solar", "new_mw"] == approx(100.0)
    assert g.loc["solar", "generation_mwh"] == approx(100.0)
    assert g.loc["gas", "generation_mwh"] == approx(60.0)
    assert res.hourly["generation_mw"]["gas"].to_numpy() == approx([0.0, 60.0])
    assert g.loc["solar", "curtailment_mwh"] == approx(0.0)
    if method == "simplex":
        assert prices(res) == approx([25.0, 50.0])
    assert res.summary["unserved_energy_mwh"] == approx(0.0)


def test_availability_profile_and_curtailment():
    """Existing solar 100 MW with availability [0.3, 0.7], gas 200 MW at 50, demand [50, 50].

    Solar output is capped by 100 x availability: h1 30 MW, h2 50 of 70 MW available
    (20 MW curtailed).  Gas: 20 + 0 MWh -> objective 20 x 50 = 1,000 EUR.
    Prices: h1 gas is marginal, 50; h2 solar is curtailed so the price is its 0 EUR/MWh.
    """
    d = scenario(2, generators=[thermal("gas", "A", 200, 50),
                                {"id": "solar", "node": "A", "technology": "pv", "capacity_mw": 100,
                                 "availability": [0.3, 0.7]}],
                 loads=[load("d", "A", 50)])
    res = solve(d)
    assert res.objective == approx(1000.0)
    assert res.hourly["generation_mw"]["solar"].to_numpy() == approx([30.0, 50.0])
    assert res.hourly["curtailment_mw"]["solar"].to_numpy() == approx([0.0, 20.0])
    assert gen_table(res).loc["solar", "curtailment_mwh"] == approx(20.0)
    assert prices(res) == approx([50.0, 0.0])


def test_max_and_min_capacity_bounds():
    """Same as the solar/gas case but solar max_capacity_mw 40: S = 40 (binds).
    Dispatch h1 solar 32 gas 48, h2 solar 8 gas 72 -> objective 40 x 30 + 120 x 50 = 7,200.
    With min_capacity_mw 150 (and no max): S = 150, h1 curtailed 40 MW; h2 solar 30, gas 50:
    objective 150 x 30 + 50 x 50 = 7,000."""
    d = solar_gas("pv30")
    d["generators"][1]["max_capacity_mw"] = 40
    res = solve(d)
    assert gen_table(res).loc["solar", "total_mw"] == approx(40.0)
    assert res.objective == approx(7200.0)
    d = solar_gas("pv30")
    d["generators"][1]["min_capacity_mw"] = 150
    res = solve(d)
    assert gen_table(res).loc["solar", "total_mw"] == approx(150.0)
    assert res.objective == approx(7000.0)


# ----------------------------------------------------------------------------------------
# technology costs: annuity, fixed O&M, variable O&M, fuel / efficiency
# ----------------------------------------------------------------------------------------
def test_technology_annuity_fixed_om_and_constant():
    """Solar technology: capex 500 EUR/kW, lifetime 25 yr, discount 7 %, fixed O&M 10 EUR/kW/yr.

    annuity(7 %, 25) = 0.07 / (1 - 1.07^-25) = 0.0858105172...
    yearly cost c = 500,000 x 0.0858105 + 10,000 = 52,905.2586 EUR/MW/yr.
    The scenario is 2 h annualised to a full year (weights 4,380 h each); solar availability
    [0.8, 0.2], gas 50 EUR/MWh, demand 80 MW.  Marginal value of solar: 50 x 4,380 x 1.0 =
    219,000 > c up to S = 100 MW; beyond, 0.2 x 4,380 x 50 = 43,800 < c: S* = 100 MW.
    Objective = 100 c + 60 MW x 4,380 h x 50 = 5,290,525.86 + 13,140,000 EUR/yr.
    Price h1 = (c - 0.2 x 50 x 4,380) / 0.8 / 4,380 = (52,905.2586 - 43,800) / 3,504
            = 2.59853... EUR/MWh; h2 = 50.
    Gas (existing 200 MW) has fixed O&M 5 EUR/kW/yr -> 1,000,000 EUR/yr outside the
    objective (``objective_constant``); total cost adds it.
    Variable O&M and fuel: gas = 10 EUR/MWh O&M + 20 EUR/MWh_th / 0.5 = 50 EUR/MWh.
    """
    d = solar_gas("pv_capex")
    d["time"]["annualise"] = True
    d["carriers"].append({"id": "natgas", "fuel_cost_eur_per_mwh_th": 20})
    d["technologies"] += [
        {"id": "pv_capex", "carrier": "sun", "capex_eur_per_kw": 500, "lifetime_years": 25,
         "fixed_om_eur_per_kw_yr": 10},
        {"id": "ccgt", "carrier": "natgas", "efficiency": 0.5, "variable_om_eur_per_mwh": 10,
         "fixed_om_eur_per_kw_yr": 5, "capex_eur_per_kw": 900}]
    gas = d["generators"][0]
    del gas["variable_cost_eur_per_mwh"]
    gas["technology"] = "ccgt"
    a = 0.07 / (1 - 1.07 ** -25)
    assert a == pytest.approx(0.0858105172, rel=1e-9)
    c = 500e3 * a + 10e3
    res = solve(d)
    assert res.weights == approx([4380.0, 4380.0])
    assert gen_table(res).loc["solar", "new_mw"] == approx(100.0)
    assert res.objective == approx(100 * c + 60 * 4380 * 50)
    assert res.objective_constant == approx(200 * 5e3)
    assert res.total_cost_eur == approx(100 * c + 60 * 4380 * 50 + 1e6)
    assert prices(res) == approx([(c - 0.2 * 50 * 4380) / 0.8 / 4380, 50.0])


def test_technology_annualised_cost_overrides_capex():
    """annualised_cost_eur_per_mw_yr replaces capex/lifetime/O&M: with 30 EUR/MW/yr and a
    huge capex the solar/gas optimum is the hand case above (objective 6,000)."""
    d = solar_gas("pv_ann")
    d["technologies"].append({"id": "pv_ann", "carrier": "sun", "capex_eur_per_kw": 1e6,
                              "fixed_om_eur_per_kw_yr": 1e3, "annualised_cost_eur_per_mw_yr": 30})
    assert solve(d).objective == approx(6000.0)


def test_storage_cost_with_max_hours_in_arrays():
    """Battery: capex 100 EUR/kW + 200 EUR/kWh, lifetime 10 yr, 5 %, max_hours 4:
    power cost per MW/yr = (100,000 + 4 x 200,000) x annuity(5 %, 10)
    = 900,000 x 0.1295045750 = 116,554.12 EUR/MW/yr = 0.11655412 MEUR/GW/yr (LP units)."""
    from silkgrid.model import build_arrays
    d = scenario(1, storage=[{"id": "bat", "node": "A", "technology": "bat_capex", "max_hours": 4,
                              "extendable_power": True}],
                 technologies=[{"id": "bat_capex", "carrier": "elec", "capex_eur_per_kw": 100,
                                "energy_capex_eur_per_kwh": 200, "lifetime_years": 10}],
                 discount_rate=0.05, loads=[load("d", "A", 1)])
    a = build_arrays(silkgrid.load_scenario(d))
    assert annuity(0.05, 10) == pytest.approx(0.1295045750, rel=1e-9)
    assert a.sto_power.cost_new[0] == pytest.approx(900e3 * annuity(0.05, 10) * 1e-3, rel=1e-12)
    assert a.sto_energy.cost_new[0] == 0.0  # rides on power


# ----------------------------------------------------------------------------------------
# must-run, ramps
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("extendable", [False, True])
def test_must_run_min_output(extendable):
    """Nuclear 100 MW at 70 EUR/MWh with min_output 0.6, gas 200 MW at 50, demand [100, 80].

    Gas is cheaper, so nuclear runs only at its must-run level 60 MW in both hours;
    gas 40 and 20.  Objective = 2 x 60 x 70 + 60 x 50 = 11,400; price = 50 (gas) both hours.
    With an hourly min_output [0.6, 0]: nuclear [60, 0] -> 4,200 + 120 x 50 = 10,200.
    The extendable variant (min = max = 100 MW, free) must give the same via the
    capacity-linked gen_min rows.
    """
    nuc = thermal("nuc", "A", 100, 70, min_output=0.6)
    if extendable:
        nuc.update(capacity_mw=0, extendable=True, min_capacity_mw=100, max_capacity_mw=100)
    d = scenario(2, generators=[thermal("gas", "A", 200, 50), nuc], loads=[load("d", "A", [100, 80])])
    res = solve(d)
    assert res.objective == approx(11400.0)
    assert res.hourly["generation_mw"]["nuc"].to_numpy() == approx([60.0, 60.0])
    assert prices(res) == approx([50.0, 50.0])
    d["generators"][1]["min_output"] = [0.6, 0.0]
    res = solve(d)
    assert res.objective == approx(10200.0)
    assert res.hourly["generation_mw"]["nuc"].to_numpy() == approx([60.0, 0.0])


@pytest.mark.parametrize("extendable", [False, True])
def test_ramp_limits(extendable):
    """Cheap base plant 100 MW at 10 EUR/MWh, ramp limits 0.2 per hour (20 MW/h); gas at 50.

    Ramp up, demand [20, 100, 100]: base [20, 40, 60], gas [0, 60, 40].
    Ramp down, demand [100, 100, 20]: base [60, 40, 20], gas [40, 60, 0].
    Both: 120 MWh x 10 + 100 MWh x 50 = 6,200 EUR.  Without limits: 220 x 10 = 2,200.
    Price in the ramp-limited hours is 50 (gas marginal).
    """
    base = thermal("base", "A", 100, 10, ramp_limit_up_per_hour=0.2, ramp_limit_down_per_hour=0.2)
    if extendable:
        base.update(capacity_mw=0, extendable=True, min_capacity_mw=100, max_capacity_mw=100)
    for demand, expect in (([20, 100, 100], [20, 40, 60]), ([100, 100, 20], [60, 40, 20])):
        d = scenario(3, generators=[thermal("gas", "A", 200, 50), dict(base)],
                     loads=[load("d", "A", demand)])
        res = solve(d)
        assert res.objective == approx(6200.0)
        assert res.hourly["generation_mw"]["base"].to_numpy() == approx(expect)
        d["generators"][1] = {k: v for k, v in base.items() if not k.startswith("ramp")}
        assert solve(d).objective == approx(2200.0)


# ----------------------------------------------------------------------------------------
# storage
# ----------------------------------------------------------------------------------------
def arbitrage(cheap_cost: float, **sto_kw) -> dict:
    sto = {"id": "bat", "node": "A", "technology": "battery", "power_capacity_mw": 40,
           "energy_capacity_mwh": 100, "efficiency_charge": 0.9, "efficiency_discharge": 0.9}
    sto.update(sto_kw)
    return scenario(2, generators=[thermal("cheap", "A", 200, cheap_cost, availability=[1, 0]),
                                   thermal("peak", "A", 200, 100)],
                    storage=[sto], loads=[load("d", "A", 50)])


def test_storage_arbitrage_round_trip():
    """Cheap plant at 10 EUR/MWh only in h1, peaker 100 in both, demand 50 MW; battery 40 MW /
    100 MWh, charge and discharge efficiency 0.9 (round trip 0.81), cyclic.

    Charge 40 MW (power limit) in h1; cyclic balance: 0.9 x 40 = x / 0.9 -> discharge
    x = 0.81 x 40 = 32.4 MW in h2.  Objective = 90 x 10 + (50 - 32.4) x 100 = 900 + 1,760
    = 2,660 EUR.  Prices: h1 10 (cheap plant marginal), h2 100 (peaker marginal).
    """
    res = solve(arbitrage(10))
    assert res.objective == approx(2660.0)
    st = res.tables["storage"].set_index("id")
    assert st.loc["bat", "charged_mwh"] == approx(40.0)
    assert st.loc["bat", "discharged_mwh"] == approx(32.4)
    assert res.hourly["storage_discharge_mw"]["bat"].to_numpy() == approx([0.0, 32.4])
    assert prices(res) == approx([10.0, 100.0])


@pytest.mark.parametrize("cheap,expected", [
    # 80 / 0.81 = 98.77 < 100: arbitrage pays -> 90 x 80 + 17.6 x 100
    (80.0, 90 * 80 + 17.6 * 100),
    # 85 / 0.81 = 104.94 > 100: it does not -> 50 x 85 + 50 x 100
    (85.0, 50 * 85 + 50 * 100),
])
def test_storage_round_trip_threshold(cheap, expected):
    """Arbitrage only pays when cheap / (eta_c eta_d) < peak price."""
    assert solve(arbitrage(cheap)).objective == approx(expected)


def test_storage_max_hours_extendable():
    """4 h; cheap plant 10 EUR/MWh available [1, 1, 0, 0], peaker 100, demand 50 MW.
    Battery extendable, max_hours 2, efficiency 1; power 20 EUR/MW + energy 30 EUR/MWh
    (per horizon) -> 20 + 2 x 30 = 80 EUR per MW of power.  One MW shifts 2 MWh from cheap to
    peak hours: saves 2 x 90 = 180 > 80, until discharge covers demand: P = 50 MW,
    E = 2 x 50 = 100 MWh (charged 50 MW in h1, h2).
    Objective = 200 MWh x 10 + 50 x 80 = 6,000 EUR.
    """
    d = scenario(4, generators=[thermal("cheap", "A", 200, 10, availability=[1, 1, 0, 0]),
                                thermal("peak", "A", 200, 100)],
                 storage=[{"id": "bat", "node": "A", "technology": "bat_mh", "extendable_power": True,
                           "max_hours": 2}],
                 technologies=[{"id": "bat_mh", "carrier": "elec", "annualised_cost_eur_per_mw_yr": 20,
                                "energy_annualised_cost_eur_per_mwh_yr": 30}],
                 loads=[load("d", "A", 50)])
    res = solve(d)
    st = res.tables["storage"].set_index("id")
    assert res.objective == approx(6000.0)
    assert st.loc["bat", "power_total_mw"] == approx(50.0)
    assert st.loc["bat", "energy_total_mwh"] == approx(100.0)
    assert res.hourly["storage_energy_mwh"]["bat"].max() <= 100.0 + 1e-6


def test_storage_separate_energy_sizing():
    """Same 4 h case, power and energy sized separately: power 20 EUR/MW, energy 30 EUR/MWh.
    Shifting 50 MW for 2 h needs P = 50, E = 100 (as before) -> 50 x 20 + 100 x 30 = 4,000;
    objective 2,000 + 4,000 = 6,000.  With energy at 100 EUR/MWh one MWh shifted costs
    100 + 20 / 2 > 90 saved: nothing is built, objective 100 MWh x 100 + 100 x 10 = 11,000.
    """
    def case(e_cost):
        return scenario(4, generators=[thermal("cheap", "A", 200, 10, availability=[1, 1, 0, 0]),
                                       thermal("peak", "A", 200, 100)],
                        storage=[{"id": "bat", "node": "A", "technology": "bat_sep", "extendable_power": True,
                                  "extendable_energy": True}],
                        technologies=[{"id": "bat_sep", "carrier": "elec",
                                       "annualised_cost_eur_per_mw_yr": 20,
                                       "energy_annualised_cost_eur_per_mwh_yr": e_cost}],
                        loads=[load("d", "A", 50)])
    res = solve(case(30))
    st = res.tables["storage"].set_index("id")
    assert res.objective == approx(6000.0)
    assert st.loc["bat", "power_total_mw"] == approx(50.0)
    assert st.loc["bat", "energy_total_mwh"] == approx(100.0)
    res = solve(case(100))
    assert res.objective == approx(11000.0)
    assert res.tables["storage"]["energy_total_mwh"].iloc[0] == approx(0.0)


def test_storage_standing_loss_non_cyclic_initial_state():
    """Storage 100 MWh full at the start (initial_state_mwh 100, cyclic false), standing loss
    10 %/h, discharge efficiency 0.9, large power; only a peaker at 100; demand [0, 100].

    soc after h1 = 0.9 x 100 = 90 (nothing discharged: no demand in h1).
    h2: 0.9 x 90 = 81 MWh in store, delivered 0.9 x 81 = 72.9 MW -> peaker 27.1.
    Objective = 27.1 x 100 = 2,710 EUR; state of charge [90, 0].
    """
    d = scenario(2, generators=[thermal("peak", "A", 200, 100)],
                 storage=[{"id": "st", "node": "A", "technology": "battery", "power_capacity_mw": 1000,
                           "energy_capacity_mwh": 100, "standing_loss_per_hour": 0.1,
                           "efficiency_discharge": 0.9, "cyclic": False, "initial_state_mwh": 100}],
                 loads=[load("d", "A", [0, 100])])
    res = solve(d)
    assert res.objective == approx(2710.0)
    assert res.hourly["storage_energy_mwh"]["st"].to_numpy() == approx([90.0, 0.0])
    assert res.hourly["storage_discharge_mw"]["st"].to_numpy() == approx([0.0, 72.9])
    assert prices(res)[1] == approx(100.0)


def test_initial_storage_state_of_a_non_cyclic_store():
    """``cyclic: false`` with ``initial_state_mwh`` gives the store that start: cyclic storage
    with only a peaker is useless (objective 100 x 100 = 10,000 EUR); starting with 50 MWh (no
    losses) saves 50 x 100 -> 5,000 EUR, discharged in the demand hour."""
    sto = {"id": "st", "node": "A", "technology": "battery", "power_capacity_mw": 1000,
           "energy_capacity_mwh": 100}
    cyclic = scenario(2, generators=[thermal("peak", "A", 200, 100)], storage=[sto],
                      loads=[load("d", "A", [0, 100])])
    assert solve(cyclic).objective == approx(10000.0)
    started = scenario(2, generators=[thermal("peak", "A", 200, 100)],
                       storage=[{**sto, "cyclic": False, "initial_state_mwh": 50}],
                       loads=[load("d", "A", [0, 100])])
    res = solve(started)
    assert res.objective == approx(5000.0)
    assert res.hourly["storage_discharge_mw"]["st"].to_numpy() == approx([0.0, 50.0])


def test_reservoir_inflow():
    """Reservoir: inflow 20 MW, 100 MWh, 50 MW, empty at the start (non-cyclic); peaker at 100;
    demand [0, 50].  Stored by h2: 40 MWh -> discharge 40, peaker 10.  Objective 1,000 EUR.
    Water value = 100 EUR/MWh in both hours (a MWh used in h1 is missing in h2)."""
    d = scenario(2, generators=[thermal("peak", "A", 200, 100)],
                 storage=[{"id": "hyd", "node": "A", "technology": "hydro", "power_capacity_mw": 50,
                           "energy_capacity_mwh": 100, "cyclic": False, "inflow_mw": 20}],
                 loads=[load("d", "A", [0, 50])])
    res = solve(d)
    assert res.objective == approx(1000.0)
    assert res.hourly["storage_discharge_mw"]["hyd"].to_numpy() == approx([0.0, 40.0])
    assert prices(res) == approx([100.0, 100.0])


def test_reservoir_spillage():
    """Inflow 80 MW into a 100 MWh / 50 MW reservoir, demand [0, 50]: 160 MWh arrive, 50 are
    used and at most 100 stay -> at least 10 MWh must be spilled.  With spillage the
    optimum costs 0; without it the scenario is infeasible and the message names the
    storage."""
    d = scenario(2, generators=[thermal("peak", "A", 200, 100)],
                 storage=[{"id": "hyd", "node": "A", "technology": "hydro", "power_capacity_mw": 50,
                           "energy_capacity_mwh": 100, "cyclic": False, "inflow_mw": 80}],
                 loads=[load("d", "A", [0, 50])])
    res = solve(d)
    assert res.objective == approx(0.0)
    assert res.hourly["storage_discharge_mw"]["hyd"].to_numpy() == approx([0.0, 50.0])
    d["storage"][0]["spillage"] = False
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "infeasible"
    assert "'hyd'" in res.message


# ----------------------------------------------------------------------------------------
# links
# ----------------------------------------------------------------------------------------
TWO_NODES = (("A", "KZ"), ("B", "CN"))


def two_nodes(link: dict, demand_a=0, demand_b=80, hours=1, **kw) -> dict:
    base = {"id": "ab", "from_node": "A", "to_node": "B"}
    return scenario(hours, nodes=TWO_NODES,
                    generators=[thermal("genA", "A", 1000, 40), thermal("genB", "B", 1000, 100)],
                    links=[{**base, **link}],
                    loads=[load("dA", "A", demand_a), load("dB", "B", demand_b)], **kw)


def test_link_losses_and_price_ratio():
    """A: 40 EUR/MWh, B: 100 EUR/MWh, link A->B 1,000 MW, efficiency 0.8; demand 80 MW at B.
    Delivered = 0.8 x sent: sending 100 MW from A covers B -> cost 100 x 40 = 4,000 EUR
    (< 80 x 100 at B).  Losses 20 MWh.  Prices: A 40; B = 40 / 0.8 = 50 EUR/MWh."""
    res = solve(two_nodes({"capacity_mw": 1000, "efficiency": 0.8}))
    assert res.objective == approx(4000.0)
    assert res.hourly["link_flow_mw"]["ab"].to_numpy() == approx([100.0])
    assert res.tables["links"]["losses_mwh"].iloc[0] == approx(20.0)
    assert res.hourly["link_losses_mw"]["ab"].to_numpy() == approx([20.0])
    assert prices(res, "A") == approx([40.0])
    assert prices(res, "B") == approx([50.0])
    assert res.summary["link_losses_mwh"] == approx(20.0)


def test_link_congestion():
    """Same, link capacity 50 MW: 50 sent, 40 delivered; B's plant makes 40.
    Objective 50 x 40 + 40 x 100 = 6,000.  Prices A 40, B 100: the link is congested (the
    price difference exceeds the loss factor 40 / 0.8 = 50)."""
    res = solve(two_nodes({"capacity_mw": 50, "efficiency": 0.8}))
    assert res.objective == approx(6000.0)
    assert res.hourly["link_flow_mw"]["ab"].to_numpy() == approx([50.0])
    assert prices(res, "A") == approx([40.0])
    assert prices(res, "B") == approx([100.0])


def test_link_reverse_efficiency_and_unidirectional():
    """Demand 30 MW at A, cheap plant moved to B (B 40, A 100); efficiency_reverse 0.5:
    sending 60 MW from B delivers 30 at A -> 60 x 40 = 2,400 < 3,000.  Price A = 40 / 0.5 = 80.
    Flow is reported from->to, so -60 MW.  If the link is not bidirectional, A must use its
    own plant: 3,000 EUR, price 100."""
    d = two_nodes({"capacity_mw": 1000, "efficiency": 0.8, "efficiency_reverse": 0.5},
                  demand_a=30, demand_b=0)
    d["generators"] = [thermal("genA", "A", 1000, 100), thermal("genB", "B", 1000, 40)]
    res = solve(d)
    assert res.objective == approx(2400.0)
    assert res.hourly["link_flow_mw"]["ab"].to_numpy() == approx([-60.0])
    assert prices(res, "A") == approx([80.0])
    d["links"][0]["bidirectional"] = False
    res = solve(d)
    assert res.objective == approx(3000.0)
    assert prices(res, "A") == approx([100.0])


def test_link_extendable_cost_per_mw_km_and_annuity():
    """Extendable link A->B (lossless), 100 km x 1 EUR/(MW km) + 50 EUR/MW converter =
    150 EUR/MW overnight, lifetime 40 yr at 5 %, fixed O&M 2 %/yr:
    annuity(5 %, 40) = 0.05 / (1 - 1.05^-40) = 0.0582781612...
    c = 150 x (0.0582781612 + 0.02) = 11.74172418 EUR/MW/yr.
    2 h, demand at B [80, 60], A 40 EUR/MWh, B 100 EUR/MWh: one MW of link is worth 60 per
    hour it is used (> c) -> capacity 80 MW (peak), B's plant idle.
    Objective = 80 c + (80 + 60) x 40 = 939.3379 + 5,600 EUR.
    Prices: A 40 both hours; B h1 = 40 + c (the extra MW of link is only needed in h1),
    B h2 = 40 (link not binding)."""
    a = 0.05 / (1 - 1.05 ** -40)
    assert a == pytest.approx(0.0582781612, rel=1e-9)
    c = 150 * (a + 0.02)
    d = two_nodes({"extendable": True, "length_km": 100, "capex_eur_per_mw_km": 1.0,
                   "capex_eur_per_mw": 50, "lifetime_years": 40, "fixed_om_pct_per_yr": 2},
                  demand_b=[80, 60], hours=2, discount_rate=0.05)
    res = solve(d)
    assert res.summary["new_link_capacity_mw"]["ab"] == approx(80.0)
    assert res.objective == approx(80 * c + 140 * 40)
    assert prices(res, "A") == approx([40.0, 40.0])
    assert prices(res, "B") == approx([40.0 + c, 40.0])


def test_link_existing_fixed_om_is_constant():
    """An existing 100 MW link of 150 EUR/MW overnight cost with 2 %/yr fixed O&M adds
    100 x 150 x 0.02 = 300 EUR/yr to the constant part of the cost, not to the objective."""
    res = solve(two_nodes({"capacity_mw": 100, "length_km": 100, "capex_eur_per_mw_km": 1.0,
                           "capex_eur_per_mw": 50, "fixed_om_pct_per_yr": 2}))
    assert res.objective_constant == approx(300.0)
    assert res.objective == approx(80 * 40)


# ----------------------------------------------------------------------------------------
# CO2: cap, shadow price, price, country caps
# ----------------------------------------------------------------------------------------
CO2_CARRIERS = [{"id": "coal", "co2_t_per_mwh_th": 0.34, "fuel_cost_eur_per_mwh_th": 10},
                {"id": "natgas", "co2_t_per_mwh_th": 0.2, "fuel_cost_eur_per_mwh_th": 25}]
CO2_TECHS = [{"id": "coal_pp", "carrier": "coal", "efficiency": 0.4},
             {"id": "ccgt", "carrier": "natgas", "efficiency": 0.5}]


def coal_gas(policies: dict | None = None, nodes=(("A", "KZ"),)) -> dict:
    """Per node: coal 25 EUR/MWh_el (10 / 0.4), 0.85 t/MWh_el (0.34 / 0.4);
    gas 50 EUR/MWh_el (25 / 0.5), 0.4 t/MWh_el (0.2 / 0.5); demand 100 MW for 2 h."""
    gens, loads = [], []
    for n, _ in nodes:
        gens += [{"id": f"coal_{n}", "node": n, "technology": "coal_pp", "capacity_mw": 500},
                 {"id": f"gas_{n}", "node": n, "technology": "ccgt", "capacity_mw": 500}]
        loads.append(load(f"d_{n}", n, 100))
    return scenario(2, nodes=nodes, generators=gens, loads=loads, policies=policies,
                    carriers=CO2_CARRIERS, technologies=CO2_TECHS)


@pytest.mark.parametrize("co2_price", [0.0, 20.0])
def test_co2_cap_shadow_price(co2_price):
    """Cap 125 t on 200 MWh of demand.  All coal would emit 170 t.  With x MWh of coal:
    0.85 x + 0.4 (200 - x) = 125 -> x = 100 MWh coal, 100 MWh gas.
    Without a CO2 price: objective = 100 x 25 + 100 x 50 = 7,500 EUR.
    Shadow price = cost difference / emission difference = (50 - 25) / (0.85 - 0.4)
    = 55.5556 EUR/t.  Nodal price = 25 + 0.85 x 55.56 = 50 + 0.4 x 55.56 = 72.2222 EUR/MWh.
    With a CO2 price of 20 EUR/t already paid the cap still binds (all coal would be
    25 + 17 = 42 < 58 = 50 + 8): shadow price = (58 - 42) / 0.45 = 35.5556 = 55.5556 - 20;
    objective = 100 x 42 + 100 x 58 = 10,000 (includes 125 t x 20 EUR/t = 2,500); the nodal
    price is unchanged at 72.2222.
    """
    pol = {"co2_cap_t": 125}
    if co2_price:
        pol["co2_price_eur_per_t"] = co2_price
    res = solve(coal_gas(pol))
    assert res.summary["emissions_t"] == approx(125.0)
    assert res.objective == approx(7500.0 + 125 * co2_price)
    assert res.co2_shadow_price_eur_per_t == approx(25 / 0.45 - co2_price)
    assert prices(res) == approx([25 + 0.85 * 25 / 0.45] * 2)
    g = gen_table(res)
    assert g.loc["coal_A", "generation_mwh"] == approx(100.0)
    assert g.loc["gas_A", "generation_mwh"] == approx(100.0)


@pytest.mark.parametrize("algorithm", [None, "ipm"])
def test_co2_cap_interior_point_objective(algorithm):
    """The interior-point paths on the CO2 cap case, the default (Clarabel) and HiGHS's IPX:
    objective 7,500 within 1e-6 relative, CO2 shadow price 25 / 0.45 EUR/t."""
    res = silkgrid.solve(coal_gas({"co2_cap_t": 125}), options={"algorithm": algorithm} if algorithm else None)
    assert res.status == "optimal"
    assert res.solver["algorithm"] == (algorithm or "clarabel") and res.solver["method"] == "monolithic"
    assert res.objective == pytest.approx(7500.0, rel=1e-6)
    assert res.co2_shadow_price_eur_per_t == pytest.approx(25 / 0.45, rel=1e-4)


@pytest.mark.parametrize("co2_price,coal_mwh,unit_cost", [
    (50.0, 200.0, 25 + 0.85 * 50),  # coal 67.5 < gas 70
    (60.0, 0.0, 50 + 0.4 * 60),  # coal 76 > gas 74: the price switches dispatch
])
def test_co2_price_changes_dispatch(co2_price, coal_mwh, unit_cost):
    """Switching price = (50 - 25) / (0.85 - 0.4) = 55.56 EUR/t: below it coal runs, above it gas.
    Objective = 200 MWh x marginal cost incl. CO2; nodal price = that marginal cost."""
    res = solve(coal_gas({"co2_price_eur_per_t": co2_price}))
    assert gen_table(res).loc["coal_A", "generation_mwh"] == approx(coal_mwh)
    assert res.objective == approx(200 * unit_cost)
    assert prices(res) == approx([unit_cost] * 2)
    assert res.co2_price_eur_per_t == co2_price


def test_country_co2_caps():
    """Two isolated nodes, X in country XX and Y in YY, each the coal/gas case.
    XX capped at 125 t (binding: shadow 55.56 EUR/t, X emits 125 t); YY capped at 1,000 t
    (not binding: shadow 0, Y runs all coal: 170 t).  Objective 7,500 + 5,000 = 12,500."""
    d = coal_gas({"co2_cap_t_by_country": {"XX": 125, "YY": 1000}}, nodes=(("X", "XX"), ("Y", "YY")))
    res = solve(d)
    assert res.objective == approx(12500.0)
    caps = res.tables["co2_caps"].set_index("country")
    assert caps.loc["XX", "shadow_price_eur_per_t"] == approx(25 / 0.45)
    assert caps.loc["YY", "shadow_price_eur_per_t"] == approx(0.0)
    em = res.summary["emissions_t_by_country"]
    assert em["XX"] == approx(125.0)
    assert em["YY"] == approx(170.0)
    assert prices(res, "X") == approx([25 + 0.85 * 25 / 0.45] * 2)
    assert prices(res, "Y") == approx([25.0, 25.0])


# ----------------------------------------------------------------------------------------
# unserved energy
# ----------------------------------------------------------------------------------------
def test_unserved_energy_at_voll():
    """Gas 50 MW at 50 EUR/MWh, demand [40, 70]: 20 MW shed in h2 at the default VoLL of
    10,000 EUR/MWh.  Objective = 90 x 50 + 20 x 10,000 = 204,500; price [50, 10,000]."""
    d = scenario(2, generators=[thermal("gas", "A", 50, 50)], loads=[load("d", "A", [40, 70])])
    res = solve(d)
    assert res.objective == approx(204500.0)
    assert prices(res) == approx([50.0, 10000.0])
    assert res.summary["unserved_energy_mwh"] == approx(20.0)
    assert res.hourly["unserved_mw"]["A"].to_numpy() == approx([0.0, 20.0])
    assert res.tables["nodes"].set_index("id").loc["A", "unserved_mwh"] == approx(20.0)


def test_unserved_energy_per_load_voll_and_scenario_value():
    """Two loads at A: 'base' [40, 40] (scenario VoLL) and 'flex' [0, 30] with its own VoLL
    3,000.  h2 is 20 MW short: 'flex' is shed first -> 4,500 + 20 x 3,000 = 64,500, price
    3,000 in h2.  With the scenario VoLL set to 2,000 (< 3,000 of flex) 'base' is shed:
    4,500 + 20 x 2,000 = 44,500, price 2,000."""
    d = scenario(2, generators=[thermal("gas", "A", 50, 50)],
                 loads=[load("base", "A", 40), load("flex", "A", [0, 30], value_of_lost_load_eur_per_mwh=3000)])
    res = solve(d)
    assert res.objective == approx(64500.0)
    assert prices(res) == approx([50.0, 3000.0])
    d["unserved_energy"] = {"value_of_lost_load_eur_per_mwh": 2000}
    res = solve(d)
    assert res.objective == approx(44500.0)
    assert prices(res) == approx([50.0, 2000.0])


# ----------------------------------------------------------------------------------------
# external markets
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_market_sell_and_buy(method):
    """Gas 100 MW at 50, demand 30 MW; market price [20, 80], import cap 25, export cap 40.
    h1: buying at 20 < 50: buy 25 (cap), gas 5.  h2: selling at 80 > 50: sell 40 (cap), gas 70.
    Objective = 75 x 50 + 25 x 20 - 40 x 80 = 3,750 + 500 - 3,200 = 1,050 EUR.
    Price 50 in both hours (gas marginal); market revenue 3,200 - 500 = 2,700."""
    d = scenario(2, generators=[thermal("gas", "A", 100, 50)], loads=[load("d", "A", 30)],
                 markets=[{"id": "mkt", "node": "A", "price_eur_per_mwh": [20, 80],
                           "export_capacity_mw": 40, "import_capacity_mw": 25}])
    res = solve(d, method=method)
    assert res.objective == approx(1050.0)
    assert res.hourly["market_sales_mw"]["mkt"].to_numpy() == approx([-25.0, 40.0])
    m = res.tables["markets"].set_index("id")
    assert m.loc["mkt", "sold_mwh"] == approx(40.0)
    assert m.loc["mkt", "bought_mwh"] == approx(25.0)
    assert m.loc["mkt", "revenue_eur"] == approx(2700.0)
    if method == "simplex":
        assert prices(res) == approx([50.0, 50.0])


# ----------------------------------------------------------------------------------------
# renewable share, firm exports
# ----------------------------------------------------------------------------------------
def test_min_renewable_share():
    """Gas 200 MW at 50, solar 80 EUR/MW availability [1, 0], demand 100 MW x 2 h.
    Solar saves 50 < 80 per MW: none built without a policy (objective 10,000).
    Share 30 % of 200 MWh = 60 MWh renewable -> 60 MW solar:
    objective = 60 x 80 + 140 x 50 = 11,800 EUR."""
    def case(pol):
        return scenario(2, generators=[thermal("gas", "A", 200, 50),
                                       {"id": "solar", "node": "A", "technology": "pv80", "extendable": True,
                                        "availability": [1, 0]}],
                        technologies=[{"id": "pv80", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 80}],
                        loads=[load("d", "A", 100)], policies=pol)
    assert solve(case(None)).objective == approx(10000.0)
    res = solve(case({"min_renewable_share": {"KZ": 0.3}}))
    assert res.objective == approx(11800.0)
    g = gen_table(res)
    assert g.loc["solar", "new_mw"] == approx(60.0)
    assert g.loc["solar", "generation_mwh"] == approx(60.0)


def firm_export(contract: dict | None) -> dict:
    """A (KZ): gas 60 EUR/MWh; B (CN): plant 40 EUR/MWh, demand 50 MW; link A->B 100 MW,
    efficiency 0.9; 2 h.  Without a contract B serves itself: 2 x 50 x 40 = 4,000 EUR."""
    pol = {"firm_exports": [{"id": "fx", "node": "B", **contract}]} if contract else None
    return scenario(2, nodes=TWO_NODES,
                    generators=[thermal("genA", "A", 200, 60), thermal("genB", "B", 200, 40)],
                    links=[{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 100,
                            "efficiency": 0.9}],
                    loads=[load("dB", "B", 50)], policies=pol)


def test_firm_export_hourly_and_yearly():
    """Hourly min 30 MW into B: send 30 / 0.9 = 33.33 MW from A each hour.
    Per hour 33.33 x 60 + 20 x 40 = 2,000 + 800 -> objective 5,600 EUR.
    Yearly 30 MWh (2 h horizon, weight 1): 30 MWh delivered once -> 33.33 x 60 = 2,000 replaces
    30 x 40 = 1,200 -> 4,000 + 800 = 4,800 EUR."""
    assert solve(firm_export(None)).objective == approx(4000.0)
    res = solve(firm_export({"min_mw": 30}))
    assert res.objective == approx(5600.0)
    assert res.hourly["link_flow_mw"]["ab"].to_numpy() == approx([100 / 3, 100 / 3])
    res = solve(firm_export({"min_mwh_per_year": 30}))
    assert res.objective == approx(4800.0)
    assert res.tables["links"]["forward_mwh"].iloc[0] == approx(100 / 3)


# ----------------------------------------------------------------------------------------
# windows at fixed capacities
# ----------------------------------------------------------------------------------------
def test_windows_at_fixed_capacities_sum_to_full_objective():
    """Two nodes, 6 h, extendable solar, wind and link, existing gas, a market and a CO2 price,
    no storage and no yearly budgets (so hours couple only through capacities).

    Partitioned into windows of 2, 1 and 3 snapshots (silkgrid.solve.partition, as the
    decomposed method does) with the capacities pinned at the full optimum, each window is the
    full dispatch problem restricted to its hours: the window costs plus the investment
    (sum of cost_new x new capacity, the master's part) add up to the full objective.
    """
    from silkgrid.model import build_model
    from silkgrid.scenario.schema import SolverOptions
    from silkgrid.solve import solve_lp
    from silkgrid.solve.executor import WindowSolver
    from silkgrid.solve.partition import partition

    d = scenario(
        6, nodes=TWO_NODES,
        generators=[thermal("gasA", "A", 100, 60), thermal("gasB", "B", 100, 70),
                    {"id": "solarA", "node": "A", "technology": "pv30", "extendable": True,
                     "availability": [0.0, 0.4, 0.9, 1.0, 0.5, 0.0]},
                    {"id": "windB", "node": "B", "technology": "wind45", "extendable": True,
                     "availability": [0.7, 0.2, 0.1, 0.6, 0.9, 0.8], "max_capacity_mw": 80}],
        links=[{"id": "ab", "from_node": "A", "to_node": "B", "extendable": True, "efficiency": 0.95,
                "annualised_cost_eur_per_mw_yr": 5}],
        loads=[load("dA", "A", [50, 60, 70, 80, 60, 50]), load("dB", "B", [40, 40, 60, 70, 50, 40])],
        markets=[{"id": "mkt", "node": "B", "price_eur_per_mwh": [30, 90, 40, 120, 55, 65],
                  "export_capacity_mw": 20, "import_capacity_mw": 10}],
        policies={"co2_price_eur_per_t": 30},
        technologies=[{"id": "pv30", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 30},
                      {"id": "wind45", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 45}])
    sc = silkgrid.load_scenario(d)
    full = build_model(sc)
    sol = solve_lp(full.lp, SolverOptions(method="simplex"))
    assert sol.optimal
    lp = full.lp
    cost = lp.arrays()[0]
    new_cols = np.concatenate([lp.variables[k] for k in ("gen_new", "link_new", "sto_power_new",
                                                         "sto_energy_new")])
    investment = float(cost[new_cols] @ sol.x[new_cols])
    assert investment > 0  # something is built
    part = partition(lp, np.array([0, 0, 1, 2, 2, 2]))
    assert [np.unique(lp.col_time()[w.own_cols]).tolist() for w in part.windows] == [[0, 1], [2], [3, 4, 5]]
    z = part.z_from_x(sol.x, lp=lp)
    assert part.z_cost @ z == pytest.approx(investment, rel=1e-9)  # the master holds the investment
    res = WindowSolver(part.windows).solve(z)
    assert all(r.optimal for r in res) and sum(r.slack for r in res) == pytest.approx(0.0, abs=1e-9)
    total = sum(r.objective for r in res)
    assert total == pytest.approx(sol.objective - investment, rel=1e-6)


def test_lp_units_are_scaled():
    """Sanity check of the unit conversion: a 1 GW load for 1 h at 50 EUR/MWh costs 50,000 EUR
    = 0.05 MEUR in the LP; the nodal price is 50 EUR/MWh."""
    res = solve(scenario(1, generators=[thermal("g", "A", 2000, 50)], loads=[load("d", "A", 1000)]))
    assert res.objective == approx(50000.0)
    assert prices(res) == approx([50.0])
    # columns: gen_new (zero-width bounds), gen_p, unserved; rows: one nodal balance
    assert res.solver["variables"] == 3 and res.solver["constraints"] == 1


def test_reservoir_that_cannot_charge_does_not_pump() -> None:
    """A reservoir with can_charge: false never draws from the grid.

    1 node, 2 h, demand 0 then 10 MW; free solar 20 MW in hour 1 only; reservoir 10 MW with no
    inflow and 10 MWh store, cyclic=false, empty; gas at 50 EUR/MWh. With charging allowed the
    reservoir stores 10 MWh of free solar in hour 1 (efficiency 1) and serves hour 2: cost 0.
    With can_charge false it cannot: gas serves hour 2, cost 10 MWh x 50 = 500 EUR.
    """
    base = {
        "time": {"hours": 2, "annualise": False},
        "nodes": [{"id": "A", "country": "X"}],
        "carriers": [{"id": "sun", "renewable": True}, {"id": "gas", "fuel_cost_eur_per_mwh_th": 50},
                     {"id": "water", "renewable": True}],
        "technologies": [{"id": "pv", "carrier": "sun"}, {"id": "gt", "carrier": "gas"},
                         {"id": "res", "carrier": "water"}],
        "generators": [{"id": "pv", "node": "A", "technology": "pv", "capacity_mw": 20, "availability": [1, 0]},
                       {"id": "gt", "node": "A", "technology": "gt", "capacity_mw": 100}],
        "storage": [{"id": "r", "node": "A", "technology": "res", "power_capacity_mw": 10,
                     "energy_capacity_mwh": 10, "cyclic": False}],
        "loads": [{"id": "d", "node": "A", "demand_mw": [0, 10]}],
    }
    pumping = silkgrid.solve(base, options={"method": "simplex"})
    assert pumping.objective == pytest.approx(0.0, abs=1e-6)
    base["storage"][0]["can_charge"] = False
    no_pump = silkgrid.solve(base, options={"method": "simplex"})
    assert no_pump.objective == pytest.approx(500.0, rel=1e-9)
    assert no_pump.hourly["storage_charge_mw"]["r"].abs().max() == 0.0
