"""Benders with yearly budget rows (issue #17): the master works around the warm start.

Budget variables are large numbers in LP units (a window's renewable GWh), and an infeasible
window prices them at the elastic penalty, so a cut ``theta >= Q + g (z - z_hat)`` written in
plain ``z`` has a right-hand side ``Q - g z_hat`` that is the difference of two huge numbers.
The master therefore holds ``y = z - origin`` (origin: the warm start); these tests check that
the cuts' right-hand sides are then the windows' own costs, that the shifted master has the same
optimum as the plain one, and that a decomposed pathway with a renewable share in every period
proves the monolithic optimum.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.model.build import build_model
from silkgrid.scenario.loader import load_scenario
from silkgrid.solve.benders import _Master
from silkgrid.solve.decomposed import decomposition_lp
from silkgrid.solve.executor import SerialExecutor
from silkgrid.solve.lp import solve_lp
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.partition import partition, window_ids
from test_decomposition import network


def _budget_case():
    """The decomposition test network with a 100 % renewable share for KZ, 24 h windows, and the
    window results at the monolithic optimum (z0: budgets = each window's renewable GWh)."""
    built = build_model(load_scenario(network(policies={"min_renewable_share": {"KZ": 1.0}})))
    windows = window_ids(built.arrays.snapshots.first_hour, 24)
    lp = decomposition_lp(built, windows)
    part = partition(lp, windows)
    sol = solve_lp(built.lp, SolverOptions(algorithm="simplex"))
    x = np.concatenate([sol.x, np.zeros(lp.n_cols - built.lp.n_cols)])
    z0 = part.z_from_x(x, lp=lp)
    ex = SerialExecutor()
    ex.start(part.windows)
    try:
        results = ex.evaluate(z0)
    finally:
        ex.close()
    theta_lower = np.array([w.cost_lower_bound if np.isfinite(w.cost_lower_bound) else -1e9
                            for w in part.windows])
    return part, z0, results, theta_lower


def test_cuts_at_the_origin_have_the_window_costs_as_right_hand_side():
    part, z0, results, theta_lower = _budget_case()
    assert part.budget_rows.size == 4  # the share row split over the four days
    n_link = part.linking_cols.size
    assert z0[n_link:].min() > 500.0  # GWh (annualised: 650-670 a day): budgets are large numbers in LP units
    plain, centred = _Master(part, theta_lower), _Master(part, theta_lower, origin=z0)
    for m in (plain, centred):
        m.add_cuts(results, part, z0)
    rhs_plain = np.asarray(plain.h.getLp().row_lower_)[plain.n_master_rows:]
    rhs_centred = np.asarray(centred.h.getLp().row_lower_)[centred.n_master_rows:]
    objectives = np.array([r.objective for r in results])
    # at the origin a cut is theta_w >= Q_w exactly; the plain master's right-hand side carries
    # -g_w z_hat, far larger than the window's cost
    np.testing.assert_array_equal(rhs_centred, objectives)
    assert np.abs(rhs_plain - objectives).max() > 10 * np.abs(objectives).max()
    # the same LP in shifted variables: the same optimum (1e-9 relative: simplex round-off)
    z_p, th_p, v_p, _ = plain.solve()
    z_c, th_c, v_c, _ = centred.solve()
    assert v_c == pytest.approx(v_p, rel=1e-9)
    assert float(part.z_cost @ z_c + th_c.sum()) == pytest.approx(v_c, rel=1e-9)
    # a projection onto the level set at the origin's own cost returns a point of that cost or less
    level = float(part.z_cost @ z0 + objectives.sum())
    z_l = centred.project(z0, np.maximum(1.0, np.abs(z0)), level)
    assert z_l is not None and np.allclose(z_l, z0, rtol=1e-7, atol=1e-6)


def test_decomposed_pathway_with_a_renewable_share_in_every_period_proves_the_optimum():
    """Two weeks of the 2035 and 2040 corridor at 6 h with Kazakhstan's minimum renewable share in
    both periods (two budget rows over (period x 3-day window) budgets): the decomposed pathway
    ends optimal within its 0.1 % gap of the monolithic optimum (1.5e-3: gap + tolerances)."""
    d = {"pathway": {"periods": [2035, 2040], "years": [5, 5]},
         "scenario": {"extends": {"dataset": "corridor"},
                      "time": {"resolution": "6h", "subset": {"start": "01-01", "end": "01-14"}}},
         "overrides": {y: {"time": {"subset": {"start": f"{y}-01-01", "end": f"{y}-01-14"}},
                           "policies": {"min_renewable_share": {"KZ": s}}}
                       for y, s in ((2035, 0.25), (2040, 0.35))}}
    mono = silkgrid.solve_pathway(d, options={"method": "monolithic", "algorithm": "simplex"})
    dec = silkgrid.solve_pathway(d, options={"method": "decomposed", "gap": 0.001, "window_hours": 72,
                                             "workers": 1})
    assert mono.optimal and dec.optimal, (mono.message, dec.message)
    assert dec.objective_pv_eur == pytest.approx(mono.objective_pv_eur, rel=1.5e-3)
    assert dec.objective_pv_eur >= mono.objective_pv_eur * (1 - 1e-6)  # a feasible plan costs at least the optimum
