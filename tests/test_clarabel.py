"""The Clarabel back-end (``algorithm: clarabel``): conic form, duals, statuses, and agreement
with HiGHS on the same LPs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import silkgrid
from silkgrid.model.build import build_model
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.clarabel_lp import conic_form
from silkgrid.solve.lp import solve_lp

from test_decomposition import network

CLARABEL = SolverOptions(algorithm="clarabel")


def small_lp() -> LinearProgram:
    """min x + y  s.t.  x + 2y + w >= 5 (row 0),  6 <= 3x + y <= 100 (row 1),  x + z = 10 (row 2),
    0 <= x <= 10, y >= 0, 0 <= z <= 20, w = 1 (fixed).

    By hand: rows 0 and 1 bind at x = 1.6, y = 1.2 (cost 2.8), z = 8.4 lies inside its bounds;
    the duals solve [1, 1] = y0 [1, 2] + y1 [3, 1]: y0 = 0.4, y1 = 0.2, and row 2's is 0.
    """
    lp = LinearProgram()
    x = lp.add_variables("x", 1, upper=10.0, cost=1.0)
    y = lp.add_variables("y", 1, cost=1.0)
    z = lp.add_variables("z", 1, upper=20.0)
    w = lp.add_variables("w", 1, lower=1.0, upper=1.0)
    r0 = lp.add_constraints("r0", 1, lower=5.0)
    lp.add_terms(r0, x, 1.0)
    lp.add_terms(r0, y, 2.0)
    lp.add_terms(r0, w, 1.0)
    r1 = lp.add_constraints("r1", 1, lower=6.0, upper=100.0)
    lp.add_terms(r1, x, 3.0)
    lp.add_terms(r1, y, 1.0)
    r2 = lp.add_constraints("r2", 1, lower=10.0, upper=10.0)
    lp.add_terms(r2, x, 1.0)
    lp.add_terms(r2, z, 1.0)
    return lp


def test_conic_form_by_hand():
    lp = small_lp()
    cost, clo, cup, rlo, rup = lp.arrays()
    c = conic_form(lp.matrix(), cost, clo, cup, rlo, rup)
    # zero cone: row 2, the fixed column w; nonnegative cone: row 1's upper side, the lower
    # sides of rows 0 and 1, the upper bounds of x and z, the lower bounds of x, y and z
    assert (c.n_zero, c.n_nonneg) == (2, 8)
    expected = np.array([[1, 0, 1, 0], [0, 0, 0, 1], [3, 1, 0, 0], [-1, -2, 0, -1], [-3, -1, 0, 0],
                         [1, 0, 0, 0], [0, 0, 1, 0], [-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, -1, 0]], dtype=float)
    assert np.array_equal(c.matrix.toarray(), expected)
    assert np.array_equal(c.rhs, [10, 1, 100, -5, -6, 10, 20, 0, 0, 0])
    assert c.row_of.tolist() == [2, -1, 1, 0, 1, -1, -1, -1, -1, -1]
    assert c.dual_sign.tolist() == [-1, 0, -1, 1, 1, 0, 0, 0, 0, 0]


def test_small_lp_optimum_and_duals():
    sol = solve_lp(small_lp(), CLARABEL)
    assert sol.status == "optimal" and sol.solver_status == "Clarabel: Solved"
    assert sol.objective == pytest.approx(2.8, abs=1e-7)
    assert sol.x == pytest.approx([1.6, 1.2, 8.4, 1.0], abs=1e-6)
    assert sol.row_dual == pytest.approx([0.4, 0.2, 0.0], abs=1e-6)  # HiGHS's convention
    assert solve_lp(small_lp(), SolverOptions(algorithm="simplex")).row_dual == pytest.approx(sol.row_dual, abs=1e-6)


def _lagrangian(lp: LinearProgram, y: np.ndarray) -> float:
    """min over the column box of c'x - y'(Ax - b), with rows priced on their binding side."""
    cost, clo, cup, rlo, rup = lp.arrays()
    d = cost - lp.matrix().T @ y
    d[np.abs(d) < 1e-7] = 0.0
    row_side = np.where(y > 0, rlo, np.where(y < 0, rup, 0.0))
    col_side = np.where(d > 0, clo, np.where(d < 0, cup, 0.0))
    return float(y @ row_side + d @ col_side)


@pytest.mark.parametrize("linear_solver", ["faer", "qdldl"])
@pytest.mark.parametrize("case", [None, {"co2_cap_t": 600_000}])
def test_agrees_with_highs_and_its_duals_are_optimal(case, linear_solver):
    lp = build_model(load_scenario(network(policies=case))).lp
    ref = solve_lp(lp, SolverOptions(algorithm="simplex"))
    sol = solve_lp(lp, CLARABEL.model_copy(update={"clarabel_linear_solver": linear_solver}))
    assert sol.status == "optimal" and sol.iterations["ipm"] > 0
    assert sol.objective == pytest.approx(ref.objective, rel=1e-7)
    # the row duals are dual optimal: their Lagrangian bound equals the optimum
    assert _lagrangian(lp, sol.row_dual) == pytest.approx(ref.objective, rel=1e-6)
    _, clo, cup, rlo, rup = lp.arrays()
    ax = lp.matrix() @ sol.x
    assert (sol.x >= clo - 1e-6).all() and (sol.x <= cup + 1e-6).all()
    assert (ax >= rlo - 1e-6).all() and (ax <= rup + 1e-6).all()


def test_infeasible_and_unbounded():
    lp = LinearProgram()
    x = lp.add_variables("x", 1, upper=1.0, cost=1.0)
    r = lp.add_constraints("r", 1, lower=2.0)
    lp.add_terms(r, x, 1.0)
    assert solve_lp(lp, CLARABEL).status == "infeasible"
    lp = LinearProgram()
    x = lp.add_variables("x", 1, lower=-np.inf, cost=1.0)
    r = lp.add_constraints("r", 1, upper=5.0)
    lp.add_terms(r, x, 1.0)
    sol = solve_lp(lp, CLARABEL)
    assert sol.status == "unbounded" and sol.x is None


def test_solve_reports_clarabel():
    d = network()
    d["solver"] = {"method": "monolithic", "algorithm": "clarabel"}
    res = silkgrid.solve(d)
    s = res.summary["solver"]
    assert res.status == "optimal"
    assert s["algorithm"] == "clarabel" and s["crossover"] is None
    assert s["gap"] == pytest.approx(SolverOptions().ipm_optimality_tolerance)
    ref = silkgrid.solve({**network(), "solver": {"method": "monolithic", "algorithm": "simplex"}})
    assert res.objective == pytest.approx(ref.objective, rel=1e-7)
    prices = res.hourly["price_eur_per_mwh"]
    assert len(prices) == 96 and np.isfinite(np.asarray(prices, dtype=float)).all()
