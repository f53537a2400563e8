"""Storage reachability rows (``silkgrid.model.implied``): the level change a window allows.

Hand-computed coefficients on a tiny network; validity (every hourly optimum meets them);
that they are master rows of the decomposition; and that a master point they exclude is one
a window could only meet with elastic slack.
"""

from __future__ import annotations

import numpy as np
import pytest

from silkgrid.model.build import build_model
from silkgrid.model.implied import REACHABILITY_BLOCK, add_storage_reachability
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.decomposed import decomposition_lp
from silkgrid.solve.executor import WindowSolver
from silkgrid.solve.lp import solve_lp
from silkgrid.solve.partition import partition, window_ids

from test_decomposition import network


def tiny(loss: float = 0.0) -> dict:
    """One node, 4 hours: a reservoir (no pumping) and an extendable battery."""
    return {
        "name": "reachability",
        "time": {"hours": 4},
        "nodes": [{"id": "A", "country": "KZ"}],
        "carriers": [{"id": "gas", "co2_t_per_mwh_th": 0.2}, {"id": "water", "renewable": True},
                     {"id": "elec"}],
        "technologies": [{"id": "ccgt", "carrier": "gas", "efficiency": 0.5},
                         {"id": "reservoir", "carrier": "water"},
                         {"id": "battery", "carrier": "elec", "annualised_cost_eur_per_mw_yr": 20_000,
                          "energy_annualised_cost_eur_per_mwh_yr": 9_000}],
        "generators": [{"id": "ccgt", "node": "A", "technology": "ccgt", "capacity_mw": 500,
                        "variable_cost_eur_per_mwh": 70}],
        "storage": [
            {"id": "dam", "node": "A", "technology": "reservoir", "power_capacity_mw": 50,
             "energy_capacity_mwh": 1000, "can_charge": False, "cyclic": True, "efficiency_discharge": 0.8,
             "inflow_mw": [10, 20, 30, 40]},
            {"id": "bat", "node": "A", "technology": "battery", "power_capacity_mw": 5, "extendable_power": True,
             "extendable_energy": True, "efficiency_charge": 0.9, "efficiency_discharge": 0.95,
             "standing_loss_per_hour": loss, "cyclic": False, "initial_state_mwh": 2},
        ],
        "loads": [{"id": "load", "node": "A", "demand_mw": [100, 120, 90, 80]}],
    }


def test_rows_by_hand():
    built = build_model(load_scenario(tiny(loss=0.01)))
    lp = built.lp.copy()
    windows = np.array([0, 0, 1, 1])
    rows = add_storage_reachability(lp, built.arrays, windows)
    a = lp.matrix().tocsr()
    _, _, _, rlo, rup = lp.arrays()
    soc, p_new = lp.variables["sto_soc"], lp.variables["sto_power_new"]
    # pairs: dam (cyclic) in both windows, battery (not cyclic) in the first window only
    assert rows.shape == (2, 3)
    gain, loss = rows
    # dam, window 0: starts at the cyclic last level; gains at most its inflow (GWh), loses at
    # most 2 h of full discharge / 0.8 (it may spill, so the inflow need not stay)
    assert rup[gain[0]] == pytest.approx((10 + 20) * 1e-3)
    assert rlo[loss[0]] == pytest.approx(-2 * 0.05 / 0.8)
    assert a[gain[0], soc[0, 1]] == 1.0 and a[gain[0], soc[0, 3]] == -1.0
    # dam, window 1: starts at the end of window 0
    assert rup[gain[1]] == pytest.approx((30 + 40) * 1e-3)
    assert a[gain[1], soc[0, 3]] == 1.0 and a[gain[1], soc[0, 1]] == -1.0
    # battery, window 0: fixed initial level 2 MWh kept at 0.99^2; charge at 0.9 with
    # keep factors 0.99 (hour 0) and 1 (hour 1) on existing 5 MW plus new power
    k = np.array([0.99, 1.0])
    assert a[gain[2], soc[1, 1]] == 1.0 and a[gain[2], soc[1, 3]] == 0.0
    assert rup[gain[2]] == pytest.approx(0.99 ** 2 * 2e-3 + 0.9 * k.sum() * 5e-3)
    assert a[gain[2], p_new[1]] == pytest.approx(-0.9 * k.sum())
    assert rlo[loss[2]] == pytest.approx(0.99 ** 2 * 2e-3 - k.sum() / 0.95 * 5e-3)
    assert a[loss[2], p_new[1]] == pytest.approx(k.sum() / 0.95)
    assert np.isinf(rlo[gain]).all() and np.isinf(rup[loss]).all()
    assert lp.row_time()[rows.ravel()].tolist() == [-1] * 6  # horizon-wide rows
    assert built.lp.n_rows < lp.n_rows and REACHABILITY_BLOCK not in built.lp.constraints  # a copy


@pytest.mark.parametrize("window_hours", [12, 24, 48])
def test_every_optimum_meets_them(window_hours):
    built = build_model(load_scenario(network(policies={"co2_cap_t": 600_000})))
    sol = solve_lp(built.lp, SolverOptions(algorithm="simplex"))
    lp = decomposition_lp(built, window_ids(built.arrays.snapshots.first_hour, window_hours))
    rows = lp.constraints[REACHABILITY_BLOCK].ravel()
    _, _, _, rlo, rup = lp.arrays()
    ax = lp.matrix().tocsr()[rows] @ sol.x
    assert rows.size > 0
    assert (ax >= rlo[rows] - 1e-7).all() and (ax <= rup[rows] + 1e-7).all()


def test_they_are_master_rows_and_exclude_points_a_window_cannot_meet():
    built = build_model(load_scenario(network()))
    windows = window_ids(built.arrays.snapshots.first_hour, 24)
    plain = partition(built.lp, windows)
    lp = decomposition_lp(built, windows)
    part = partition(lp, windows)
    rows = lp.constraints[REACHABILITY_BLOCK].ravel()
    assert np.isin(rows, part.master_rows).all()
    assert part.budget_rows.size == plain.budget_rows.size and part.n_z == plain.n_z
    # the reservoir full at the end of the second day after ending the first one empty: more
    # than a day of its inflow, so that window needs slack, and the master row excludes it
    sol = solve_lp(built.lp, SolverOptions(algorithm="simplex"))
    z = part.z_from_x(sol.x, lp=lp)
    soc = lp.variables["sto_soc"]
    dam = built.arrays.sto_ids.index("dam_B")
    start, end = (int(np.flatnonzero(part.linking_cols == soc[dam, t])[0]) for t in (23, 47))
    z[start], z[end] = 0.0, part.z_upper[end]
    m = part.master_matrix @ z
    assert ((m < part.master_row_lower - 1e-9) | (m > part.master_row_upper + 1e-9)).any()
    res = WindowSolver(part.windows).solve(z)
    assert res[1].slack > 1e-3
