"""Dense-column splitting (benchmarks/dense_split.py, research code outside the package): same optimum, sparse columns, capacities recoverable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import highspy
import numpy as np
import pytest

from silkgrid.model.build import build_model
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.loader import load_scenario
from silkgrid.solve.highs import new_highs, pass_lp

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"silkgrid_bench_{name}", BENCHMARKS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


_dense_split = _bench_module("dense_split")
split_dense_columns, original_solution = _dense_split.split_dense_columns, _dense_split.original_solution


def synthetic(n_nodes: int, hours: int) -> dict:
    return _bench_module("build").synthetic_scenario(n_nodes, hours, 1)


def tiny(hours: int = 6, **kw) -> dict:
    """Formulation-style hand cases: one or two nodes, extendable pv / battery / link."""
    pv = [0.0, 0.5, 1.0, 0.8, 0.2, 0.0, 0.3, 0.9][:hours]
    d = {
        "name": "tiny",
        "time": {"hours": hours, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "UZ"}],
        "carriers": [{"id": "fuel", "co2_t_per_mwh_th": 0.3}, {"id": "sun", "renewable": True},
                     {"id": "elec"}],
        "technologies": [{"id": "thermal", "carrier": "fuel"},
                         {"id": "pv", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 20.0},
                         {"id": "battery", "carrier": "elec", "annualised_cost_eur_per_mw_yr": 15.0}],
        "generators": [
            {"id": "gas", "node": "A", "technology": "thermal", "capacity_mw": 100.0,
             "variable_cost_eur_per_mwh": 80.0},
            {"id": "solar", "node": "B", "technology": "pv", "extendable": True, "availability": pv},
        ],
        "storage": [{"id": "bat", "node": "A", "technology": "battery", "extendable_power": True,
                     "max_hours": 2.0, "efficiency_charge": 0.9, "efficiency_discharge": 0.9}],
        "links": [{"id": "AB", "from_node": "A", "to_node": "B", "extendable": True,
                   "annualised_cost_eur_per_mw_yr": 5.0, "efficiency": 0.97,
                   "variable_cost_eur_per_mwh": 0.5}],
        "loads": [{"id": "la", "node": "A", "demand_mw": [40.0, 50.0, 60.0, 70.0, 55.0, 45.0, 50.0, 60.0][:hours]},
                  {"id": "lb", "node": "B", "demand_mw": 20.0}],
    }
    d.update(kw)
    return d


def solve(lp: LinearProgram, presolve: bool = True) -> tuple[float, np.ndarray]:
    """Simplex (vertex, exact up to round-off) straight through highspy."""
    h = new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("presolve", "on" if presolve else "off")
    pass_lp(h, lp)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)


def check_feasible(lp: LinearProgram, x: np.ndarray, tol: float = 1e-6) -> None:
    cost, clo, cup, rlo, rup = lp.arrays()
    ax = lp.matrix() @ x
    scale = 1.0 + np.abs(ax)
    assert np.all(ax >= rlo - tol * scale) and np.all(ax <= rup + tol * scale)
    assert np.all(x >= clo - tol * (1 + np.abs(x))) and np.all(x <= cup + tol * (1 + np.abs(x)))


CASES = {
    "synthetic-3x168": lambda: synthetic(3, 168),
    "tiny-link-battery-pv": lambda: tiny(6),
    "tiny-co2-cap": lambda: tiny(8, policies={"co2_cap_t": 3000.0}),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    lp = build_model(load_scenario(CASES[request.param]())).lp
    return request.param, lp, solve(lp)


@pytest.mark.parametrize("window", [1, 3, 24])
def test_same_optimum_and_recoverable(case, window):
    name, lp, (obj, x) = case
    split = split_dense_columns(lp, window)
    obj_s, x_s = solve(split)
    assert obj_s == pytest.approx(obj, rel=1e-7, abs=1e-9)
    # every copy equals its original column, and the first n columns solve the original LP
    info = split.dense_split
    np.testing.assert_allclose(x_s[info.copies], x_s[info.origin], rtol=1e-7, atol=1e-7)
    x0 = original_solution(split, x_s)
    check_feasible(lp, x0)
    assert lp.arrays()[0] @ x0 == pytest.approx(obj, rel=1e-7, abs=1e-9)


def test_presolve_off_same_optimum(case):
    name, lp, (obj, x) = case
    obj_s, _ = solve(split_dense_columns(lp, 2), presolve=False)
    assert obj_s == pytest.approx(obj, rel=1e-7, abs=1e-9)


def test_capacities_recoverable_tiny():
    """On the tiny case the optimal capacities are unique: the split LP gives the same ones."""
    lp = build_model(load_scenario(tiny(6))).lp
    _, x = solve(lp)
    split = split_dense_columns(lp, 2)
    _, x_s = solve(split)
    cap = np.flatnonzero(lp.col_time() == -1)
    assert cap.size > 0
    np.testing.assert_allclose(original_solution(split, x_s)[cap], x[cap], rtol=1e-6, atol=1e-7)
    for block in ("gen_new", "link_new"):
        if block in lp.variables:
            np.testing.assert_array_equal(split.variables[block], lp.variables[block])


@pytest.mark.parametrize("window", [1, 5, 24])
def test_nonzeros_per_column_bounded(window):
    lp = build_model(load_scenario(synthetic(3, 168))).lp
    split = split_dense_columns(lp, window)
    a0, a1 = lp.matrix(), split.matrix()
    col_time, row_time = lp.col_time(), lp.row_time()
    dense = np.flatnonzero(col_time == -1)
    # per original dense column: max entries in one snapshot, entries in rows with time -1
    coo = a0.tocoo()
    sel = np.isin(coo.col, dense)
    rows_t = row_time[coo.row[sel]]
    per_col_snap = np.zeros((lp.n_cols, row_time.max() + 2), dtype=int)
    np.add.at(per_col_snap, (coo.col[sel], rows_t + 1), 1)
    per_snapshot = per_col_snap[:, 1:].max(axis=1)
    horizon_rows = per_col_snap[:, 0]
    nnz = a1.getnnz(axis=0)
    # originals: their window-0 rows, the horizon rows and one link entry
    bound = window * per_snapshot[dense] + horizon_rows[dense] + 1
    assert np.all(nnz[dense] <= bound)
    # copies: their window's rows and two link entries
    info = split.dense_split
    assert np.all(nnz[info.copies] <= window * per_snapshot[info.origin] + 2)
    if window < 168:
        assert nnz[dense].max() < a0.getnnz(axis=0)[dense].max()
    # nothing else changed: same nonzeros apart from the links
    assert a1.nnz == a0.nnz + 2 * info.copies.size
    assert split.n_rows == lp.n_rows + info.copies.size


def test_shape_and_purity():
    lp = build_model(load_scenario(tiny(6))).lp
    before = (lp.n_cols, lp.n_rows, lp.matrix().nnz)
    split = split_dense_columns(lp, 2)
    assert (lp.n_cols, lp.n_rows, lp.matrix().nnz) == before  # input untouched
    info = split.dense_split
    # windows of 2 snapshots over 6 -> copies for windows 1 and 2 of every used dense column
    assert set(np.unique(info.window_of_copy)) == {1, 2}
    assert np.all(split.arrays()[0][info.copies] == 0)  # the cost stays on the original
    np.testing.assert_array_equal(split.col_time()[: lp.n_cols], lp.col_time())
    assert np.all(split.row_time()[info.links] == -1)
    # a window covering the horizon changes nothing
    whole = split_dense_columns(lp, 6)
    assert whole.n_cols == lp.n_cols and whole.n_rows == lp.n_rows
    with pytest.raises(ValueError):
        split_dense_columns(lp, 0)
