"""Snapshots: resolution aggregation, subsets, weights and annualisation (hand-checked).

Tolerances as in test_formulation.py: rel=1e-6 on solved quantities (HiGHS feasibility
tolerances are 1e-7 in LP units), exact or 1e-12 on pure array arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import silkgrid
from silkgrid.model import build_arrays
from silkgrid.scenario import make_snapshots
from silkgrid.scenario.schema import Time

REL = 1e-6
SIMPLEX = {"method": "simplex"}


def approx(v, rel=REL, abs=1e-6):
    return pytest.approx(v, rel=rel, abs=abs)


def base(time: dict, demand, *, gens=None, storage=(), avail=1.0) -> dict:
    return {
        "name": "time",
        "time": time,
        "nodes": [{"id": "A", "country": "KZ"}],
        "carriers": [{"id": "fuel"}, {"id": "sun", "renewable": True}, {"id": "elec"}],
        "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "pv", "carrier": "sun"},
                         {"id": "battery", "carrier": "elec"}],
        "generators": gens if gens is not None else [
            {"id": "gas", "node": "A", "technology": "thermal", "capacity_mw": 1000,
             "variable_cost_eur_per_mwh": 50, "availability": avail}],
        "storage": list(storage),
        "loads": [{"id": "d", "node": "A", "demand_mw": demand}],
    }


def solve(d):
    res = silkgrid.solve(d, options=SIMPLEX)
    assert res.status == "optimal", res.message
    return res


# ----------------------------------------------------------------------------------------
def test_resolution_3h_means_and_weights():
    """6 hourly values 10..60 MW at '3h': two snapshots, demand means 20 and 50 MW, duration
    and weight 3 h each.  Availability [1,1,1, 0.5,0.5,0.2] -> means [1, 0.4].
    Objective = 50 EUR/MWh x (3 x 20 + 3 x 50) MWh = 50 x 210 = 10,500 EUR (= hourly total);
    price 50 EUR/MWh in both snapshots (the dual is divided by the 3 h weight)."""
    demand = [10, 20, 30, 40, 50, 60]
    d = base({"hours": 6, "resolution": "3h", "annualise": False}, demand,
             avail=[1, 1, 1, 0.5, 0.5, 0.2])
    sc = silkgrid.load_scenario(d)
    a = build_arrays(sc)
    assert a.n_snapshots == 2
    assert a.snapshots.duration_h.tolist() == [3.0, 3.0]
    assert a.snapshots.weight.tolist() == [3.0, 3.0]
    assert a.snapshots.first_hour.tolist() == [0, 3]
    assert list(a.snapshots.index) == [pd.Timestamp("2030-01-01 00:00"), pd.Timestamp("2030-01-01 03:00")]
    np.testing.assert_allclose(a.load_demand, [[0.020, 0.050]], rtol=1e-12)  # GW
    np.testing.assert_allclose(a.gen_avail, [[1.0, 0.4]], rtol=1e-12)
    res = solve(d)
    assert res.objective == approx(10500.0)
    assert res.hourly["price_eur_per_mwh"]["A"].to_numpy() == approx([50.0, 50.0])
    assert res.tables["nodes"]["demand_mwh"].iloc[0] == approx(210.0)
    assert res.summary["generation_mwh"]["total"] == approx(210.0)


def test_resolution_with_partial_last_snapshot():
    """7 h at '3h': snapshots of 3, 3 and 1 h; the last one is the mean of a single hour."""
    snaps = make_snapshots(Time(hours=7, resolution="3h", annualise=False))
    assert snaps.duration_h.tolist() == [3.0, 3.0, 1.0]
    assert snaps.weight.tolist() == [3.0, 3.0, 1.0]
    np.testing.assert_allclose(snaps.aggregate(np.arange(7.0)), [1.0, 4.0, 6.0])
    assert snaps.aggregate(2.5) == 2.5
    # annualised: weights scale to 8,760 h/yr in proportion to duration
    snaps = make_snapshots(Time(hours=7, resolution="3h"))
    np.testing.assert_allclose(snaps.weight, np.array([3, 3, 1]) * 8760 / 7, rtol=1e-12)
    assert snaps.weight.sum() == pytest.approx(8760.0, rel=1e-12)


def test_subset_of_the_year():
    """Data for 3 days (72 h) from 2030-01-01; subset 2030-01-02 .. 2030-01-02 (a bare end
    date includes the whole day): 24 snapshots, first hour 24.  Demand = hour index, so the
    subset's demand is 24..47 MW (sum 852 MWh) -> objective 50 x 852 = 42,600 EUR.
    Annualised the weight of each hour is 8,760 / 24 = 365 -> objective 42,600 x 365."""
    demand = list(range(72))
    time = {"hours": 72, "subset": {"start": "2030-01-02", "end": "2030-01-02"}, "annualise": False}
    d = base(time, demand)
    a = build_arrays(silkgrid.load_scenario(d))
    assert a.n_snapshots == 24
    assert a.snapshots.first_hour[0] == 24 and a.snapshots.first_hour[-1] == 47
    assert a.snapshots.index[0] == pd.Timestamp("2030-01-02 00:00")
    np.testing.assert_allclose(a.load_demand[0] * 1e3, np.arange(24, 48), rtol=1e-12)
    assert solve(d).objective == approx(50.0 * sum(range(24, 48)))
    time["annualise"] = True
    res = solve(base(time, demand))
    assert res.weights == approx([365.0] * 24)
    assert res.objective == approx(50.0 * sum(range(24, 48)) * 365)
    assert res.summary["snapshots"]["hours_per_year_weight"] == approx(8760.0)


def test_subset_with_times_and_resolution():
    """Subset 2030-01-01 06:00 .. 2030-01-01 11:00 (end with a time is inclusive of that hour)
    at '2h': hours 6..11 -> snapshots at 6, 8, 10."""
    time = {"hours": 48, "resolution": "2h", "annualise": False,
            "subset": {"start": "2030-01-01 06:00", "end": "2030-01-01 11:00"}}
    snaps = make_snapshots(Time.model_validate(time))
    assert snaps.first_hour.tolist() == [6, 8, 10]
    assert snaps.duration_h.tolist() == [2.0, 2.0, 2.0]


def test_annualise_scales_operation_not_investment():
    """2 h annualised: each hour weighs 4,380 h.  Gas 50 EUR/MWh, demand 100 MW:
    objective = 100 x 8,760 x 50 = 43,800,000 EUR/yr; price 50 EUR/MWh (dual / weight).
    An extendable plant with 1,000 EUR/MW/yr annualised cost at 40 EUR/MWh replaces gas
    (saves 10 x 8,760 = 87,600 per MW-yr > 1,000): objective = 100 x 1,000 + 100 x 8,760 x 40."""
    d = base({"hours": 2}, 100)
    res = solve(d)
    assert res.weights == approx([4380.0, 4380.0])
    assert res.objective == approx(100 * 8760 * 50.0)
    assert res.hourly["price_eur_per_mwh"]["A"].to_numpy() == approx([50.0, 50.0])
    assert res.summary["demand_mwh"] == approx(100 * 8760.0)
    d["technologies"].append({"id": "new", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 1000})
    d["generators"].append({"id": "cheap", "node": "A", "technology": "new", "extendable": True,
                            "variable_cost_eur_per_mwh": 40})
    res = solve(d)
    assert res.objective == approx(100 * 1000 + 100 * 8760 * 40.0)


@pytest.mark.parametrize("annualise", [False, True])
def test_storage_uses_duration_not_weight(annualise):
    """6 h at '3h' (2 snapshots of 3 h); cheap plant 10 EUR/MWh available only in the first
    snapshot, peaker 100; demand 10 MW; battery 20 MW / 20 MWh, lossless, cyclic.
    Energy per snapshot = power x 3 h: the 20 MWh store can only carry 20 MWh, i.e. a
    discharge of 20 / 3 = 6.667 MW over the second snapshot, the peaker makes 3.333 MW.
    Per modelled 6 h: cheap 3 h x (10 + 6.667) x 10 = 500, peaker 3 h x 3.333 x 100 = 1,000:
    1,500 EUR.  Annualised, the same dispatch is weighted by 8,760 / 6 = 1,460 per hour:
    1,500 x 1,460 (storage physics still uses the 3 h duration, not the 4,380 h weight)."""
    gens = [{"id": "cheap", "node": "A", "technology": "thermal", "capacity_mw": 100,
             "variable_cost_eur_per_mwh": 10, "availability": [1, 1, 1, 0, 0, 0]},
            {"id": "peak", "node": "A", "technology": "thermal", "capacity_mw": 100,
             "variable_cost_eur_per_mwh": 100}]
    sto = [{"id": "bat", "node": "A", "technology": "battery", "power_capacity_mw": 20,
            "energy_capacity_mwh": 20}]
    d = base({"hours": 6, "resolution": "3h", "annualise": annualise}, 10, gens=gens, storage=sto)
    res = solve(d)
    scale = 8760 / 6 if annualise else 1.0
    assert res.objective == approx(1500.0 * scale)
    assert res.hourly["storage_discharge_mw"]["bat"].to_numpy() == approx([0.0, 20 / 3])
    assert res.hourly["storage_energy_mwh"]["bat"].to_numpy() == approx([20.0, 0.0])


def test_windows_keep_weights_and_split_yearly_budgets():
    """Windows of the decomposed method (silkgrid.solve.partition on the full LP) keep each
    snapshot's weight: 6 annualised hours weigh 8,760 / 6 = 1,460 h each, so the emissions of
    the window of hours 2-3 enter its part of the 300 t CO2 cap at gen_co2 x 1,460 kt per GW;
    the cap becomes one budget per window, and the master row makes the three budgets add up
    to the whole cap, 0.3 kt."""
    from silkgrid.model import build_model
    from silkgrid.solve.partition import partition, window_ids
    d = base({"hours": 6}, 10)
    d["carriers"][0]["co2_t_per_mwh_th"] = 0.5
    d["policies"] = {"co2_cap_t": 300}
    built = build_model(silkgrid.load_scenario(d))
    snaps, lp = built.arrays.snapshots, built.lp
    windows = window_ids(snaps.first_hour, 2)
    assert windows.tolist() == [0, 0, 1, 1, 2, 2]
    assert snaps.first_hour[windows == 1].tolist() == [2, 3]
    part = partition(lp, windows)
    cap = lp.constraints["co2_cap"][0]
    assert part.budget_rows.tolist() == [cap] * 3 and part.budget_windows.tolist() == [0, 1, 2]
    m = int(np.flatnonzero(part.master_rows == cap)[0])
    assert part.master_row_upper[m] == pytest.approx(0.3, rel=1e-12)  # kt
    assert part.master_matrix.toarray()[m, -3:].tolist() == [1.0, 1.0, 1.0]
    w = part.windows[1]
    row = w.matrix.tocsr()[w.budget_part_rows[0]].toarray().ravel()[:w.n_own_cols]
    p = lp.variables["gen_p"][0]
    coef = {int(c): row[i] for i, c in enumerate(w.own_cols) if row[i] != 0}
    assert sorted(coef) == p[2:4].tolist()
    assert list(coef.values()) == pytest.approx([built.arrays.gen_co2[0] * 1460.0] * 2, rel=1e-12)
    with pytest.raises(ValueError):
        window_ids(snaps.first_hour, 0)
