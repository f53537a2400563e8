"""Temporal decomposition (Benders over time windows) against the monolithic LP.

The networks here exercise every kind of coupling between windows: capacities, cyclic
batteries and a seasonal reservoir (storage level at window boundaries), ramp limits across
window boundaries, and horizon-wide policies split into per-window budgets (CO2 cap,
minimum renewable share, yearly firm export).  The decomposed optimum must agree with the
monolithic one within the requested gap, and the reported bounds must bracket it.
"""

from __future__ import annotations

import dataclasses

import highspy
import numpy as np
import pytest

import silkgrid
from silkgrid.model.build import build_model
from silkgrid.scenario.loader import load_scenario
from silkgrid.solve.benders import benders, repair_budgets
from silkgrid.solve.decomposed import decomposition_lp, solve_decomposed, warm_start_segments
from silkgrid.solve.executor import ProcessExecutor, SerialExecutor, WindowSolver
from silkgrid.solve.highs import new_highs, pass_arrays
from silkgrid.solve.lp import solve_lp
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.partition import partition, window_ids

SIMPLEX = SolverOptions(algorithm="simplex")


def network(hours: int = 96, *, policies: dict | None = None, seed: int = 3) -> dict:
    """Three nodes, `hours` hourly snapshots (annualised), every coupling kind."""
    rng = np.random.default_rng(seed)
    t = np.arange(hours)
    sun = np.clip(np.sin((t % 24 - 6) / 12 * np.pi), 0, None) * rng.uniform(0.6, 1.0, hours)
    wind = np.clip(0.4 + 0.3 * np.sin(t / 17.0) + rng.normal(0, 0.12, hours), 0, 1)
    demand_a = 300 + 80 * np.sin((t % 24 - 9) / 24 * 2 * np.pi)
    demand_b = 200 + 50 * np.cos(t / 30.0)
    price = 60 + 40 * np.sin((t % 24 - 12) / 24 * 2 * np.pi) + rng.normal(0, 5, hours)
    d = {
        "name": "decomposition test",
        "time": {"hours": hours},
        "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "UZ"}, {"id": "C", "country": "RO"}],
        "carriers": [{"id": "gas", "co2_t_per_mwh_th": 0.2}, {"id": "coal", "co2_t_per_mwh_th": 0.34},
                     {"id": "sun", "renewable": True}, {"id": "wind", "renewable": True},
                     {"id": "water", "renewable": True}, {"id": "elec"}],
        "technologies": [
            {"id": "ccgt", "carrier": "gas", "efficiency": 0.55},
            {"id": "coal", "carrier": "coal", "efficiency": 0.38},
            {"id": "pv", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 45_000},
            {"id": "wind", "carrier": "wind", "annualised_cost_eur_per_mw_yr": 110_000},
            {"id": "battery", "carrier": "elec", "annualised_cost_eur_per_mw_yr": 20_000,
             "energy_annualised_cost_eur_per_mwh_yr": 9_000},
            {"id": "reservoir", "carrier": "water"},
        ],
        "generators": [
            {"id": "ccgt_A", "node": "A", "technology": "ccgt", "capacity_mw": 250,
             "variable_cost_eur_per_mwh": 70, "ramp_limit_up_per_hour": 0.3, "ramp_limit_down_per_hour": 0.3},
            {"id": "coal_B", "node": "B", "technology": "coal", "capacity_mw": 200,
             "variable_cost_eur_per_mwh": 35, "ramp_limit_up_per_hour": 0.1, "ramp_limit_down_per_hour": 0.1},
            {"id": "pv_A", "node": "A", "technology": "pv", "extendable": True, "availability": sun.tolist()},
            {"id": "wind_B", "node": "B", "technology": "wind", "extendable": True, "max_capacity_mw": 1000,
             "availability": wind.tolist()},
        ],
        "storage": [
            {"id": "bat_A", "node": "A", "technology": "battery", "extendable_power": True,
             "extendable_energy": True, "efficiency_charge": 0.95, "efficiency_discharge": 0.95},
            {"id": "dam_B", "node": "B", "technology": "reservoir", "power_capacity_mw": 150,
             "energy_capacity_mwh": 4000, "can_charge": False, "cyclic": True,
             "inflow_mw": (40 + 30 * np.sin(t / hours * np.pi)).tolist()},
        ],
        "links": [
            {"id": "AB", "from_node": "A", "to_node": "B", "capacity_mw": 100, "extendable": True,
             "annualised_cost_eur_per_mw_yr": 30_000, "efficiency": 0.97},
            {"id": "BC", "from_node": "B", "to_node": "C", "extendable": True,
             "annualised_cost_eur_per_mw_yr": 50_000, "efficiency": 0.95, "bidirectional": False},
        ],
        "loads": [{"id": "load_A", "node": "A", "demand_mw": demand_a.tolist()},
                  {"id": "load_B", "node": "B", "demand_mw": demand_b.tolist()}],
        "markets": [{"id": "RO", "node": "C", "price_eur_per_mwh": price.tolist(), "export_capacity_mw": 300,
                     "import_capacity_mw": 50}],
    }
    if policies:
        d["policies"] = policies
    return d


def monolithic(d: dict) -> float:
    sol = solve_lp(build_model(load_scenario(d)).lp, SIMPLEX)
    assert sol.optimal
    return sol.objective


def decompose(d: dict, window_hours: int, executor=None, **kw):
    sc = load_scenario(d)
    built = build_model(sc)
    windows = window_ids(built.arrays.snapshots.first_hour, window_hours)
    part = partition(decomposition_lp(built, windows), windows)  # as the decomposed method does
    ex = executor or SerialExecutor()
    ex.start(part.windows)
    try:
        return built, part, benders(part, ex, **kw)
    finally:
        ex.close()


POLICY_CASES = {
    "no policy": None,
    "co2 cap": {"co2_cap_t": 600_000},
    "renewable share": {"min_renewable_share": {"KZ": 1.0}},
    "yearly firm export": {"firm_exports": [{"id": "eu", "node": "C", "min_mwh_per_year": 2_500_000}]},
}


@pytest.mark.parametrize("case", list(POLICY_CASES))
def test_decomposed_matches_monolithic(case):
    d = network(policies=POLICY_CASES[case])
    exact = monolithic(d)
    built, part, res = decompose(d, 24, gap=1e-4)
    assert res.status == "optimal", res.message
    assert res.gap <= 1e-4
    tol = 1e-6 * abs(exact)
    assert res.lower_bound <= exact + tol
    assert res.upper_bound >= exact - tol
    assert res.upper_bound == pytest.approx(exact, rel=1e-4)
    # the assembled full-horizon point is feasible for the monolithic LP and costs the upper bound
    cost, clo, cup, rlo, rup = built.lp.arrays()
    ax = built.lp.matrix() @ res.x
    scale = 1e-6 * max(1.0, np.abs(res.x).max())
    assert (res.x >= clo - scale).all() and (res.x <= cup + scale).all()
    # rows hold to 1e-5 in LP units (GW, GWh, kt): HiGHS's 1e-7 feasibility tolerance applies
    # to its scaled model, and the window rows carry weights up to 8760/96 = 91
    assert (ax >= rlo - 1e-5).all() and (ax <= rup + 1e-5).all()
    # its cost is the upper bound, less the penalty on elastic slack within the tolerances
    assert cost @ res.x <= res.upper_bound + 1e-9 * abs(res.upper_bound)
    assert cost @ res.x == pytest.approx(res.upper_bound, rel=1e-4)
    # every iteration's bounds bracket the optimum
    for h in res.history:
        assert h["lower"] <= exact + tol
        assert h["upper"] >= exact - tol


def test_policy_budgets_are_master_variables():
    d = network(policies={"co2_cap_t": 600_000, "min_renewable_share": {"UZ": 0.5}})
    built = build_model(load_scenario(d))
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    # two horizon-wide rows, each split over four windows
    assert part.budget_rows.size == 8
    assert sorted(np.bincount(part.budget_windows)) == [2, 2, 2, 2]


def test_linking_columns_are_capacities_and_boundary_states():
    d = network()
    built = build_model(load_scenario(d))
    lp = built.lp
    part = partition(lp, window_ids(built.arrays.snapshots.first_hour, 24))
    names = {}
    free = part.linking_cols[part.z_upper[:part.linking_cols.size] > part.z_lower[:part.linking_cols.size]]
    for name, idx in lp.variables.items():
        for c in np.intersect1d(idx.ravel(), free):
            names.setdefault(name, []).append(int(c))
    # capacities: pv, wind, battery power and energy, two links
    assert len(names["gen_new"]) == 2 and len(names["link_new"]) == 2
    assert len(names["sto_power_new"]) == 1 and len(names["sto_energy_new"]) == 1
    # storage levels at the end of each of the 4 windows, for both units
    soc = lp.variables["sto_soc"]
    assert sorted(names["sto_soc"]) == sorted(soc[:, [23, 47, 71, 95]].ravel().tolist())
    # output of the two ramp-limited plants in the last hour of each window that a ramp row of
    # the next window refers to (ramps are not cyclic: none after the last hour)
    p = lp.variables["gen_p"]
    assert sorted(names["gen_p"]) == sorted(p[:2, [23, 47, 71]].ravel().tolist())


def test_time_tags_are_consistent():
    """A row at snapshot t only touches columns of t, of t-1 (storage, ramps), of the last
    snapshot (cyclic storage) or columns without time (capacities)."""
    built = build_model(load_scenario(network(policies={"co2_cap_t": 600_000})))
    lp = built.lp
    a = lp.matrix().tocoo()
    rt, ct = lp.row_time()[a.row], lp.col_time()[a.col]
    timed = rt >= 0
    T = built.arrays.n_snapshots
    ok = (ct[timed] == rt[timed]) | (ct[timed] == rt[timed] - 1) | (ct[timed] == -1) | \
         ((rt[timed] == 0) & (ct[timed] == T - 1))
    assert ok.all()
    assert (lp.row_time() == -1).sum() == 1  # the CO2 cap


def test_window_values_add_up_to_the_monolithic_optimum():
    """Windows pinned at the monolithic optimum's linking values cost exactly its objective."""
    d = network(policies={"co2_cap_t": 600_000})
    built = build_model(load_scenario(d))
    sol = solve_lp(built.lp, SIMPLEX)
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    z = part.z_from_x(sol.x, lp=built.lp)
    res = WindowSolver(part.windows).solve(z)
    assert sum(r.slack for r in res) == pytest.approx(0.0, abs=1e-6)
    total = part.z_cost @ z + sum(r.objective for r in res)
    assert total == pytest.approx(sol.objective, rel=1e-7)


def test_capacity_rows_become_moving_bounds():
    """Rows tying one operational column to one capacity (output, charge, discharge, energy
    and flow limits) leave the window LPs and come back as column bounds that move with z."""
    built = build_model(load_scenario(network()))
    lp = built.lp
    part = partition(lp, window_ids(built.arrays.snapshots.first_hour, 24))
    limits = ("gen_max", "sto_charge_max", "sto_discharge_max", "sto_energy_max", "link_forward_max",
              "link_backward_max")
    limit_rows = np.concatenate([lp.constraints[n].ravel() for n in limits])
    converted = np.concatenate([w.bound_rows for w in part.windows])
    # all of them, but the energy limits on the storage levels at window ends (master rows)
    assert np.array_equal(np.sort(converted), np.setdiff1d(limit_rows, part.master_rows))
    assert np.isin(part.master_rows, lp.constraints["sto_energy_max"]).sum() == 4
    for w in part.windows:
        assert not np.isin(w.own_rows, limit_rows).any()
        # capacities only bound columns now: fewer pinned copies than master variables used
        assert w.n_fixing < w.master_index.size
        assert w.bound_upper.all()


def test_moving_bounds_give_the_windows_cost_at_any_point():
    """At a point with more capacity than the optimum's, the windows' costs add up to the
    monolithic LP with its linking columns fixed there."""
    d = network(policies={"co2_cap_t": 600_000})
    built = build_model(load_scenario(d))
    sol = solve_lp(built.lp, SIMPLEX)
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    z = part.z_from_x(sol.x, lp=built.lp)
    lp = built.lp
    capacity = np.isin(part.linking_cols, np.concatenate(
        [lp.variables[n].ravel() for n in ("gen_new", "sto_power_new", "sto_energy_new", "link_new")]))
    z[:part.linking_cols.size][capacity] = np.minimum(1.1 * z[:part.linking_cols.size][capacity] + 0.01,
                                                      part.z_upper[:part.linking_cols.size][capacity])
    res = WindowSolver(part.windows).solve(z)
    assert sum(r.slack for r in res) == pytest.approx(0.0, abs=1e-7)
    cost, clo, cup, rlo, rup = lp.arrays()
    n_link = part.linking_cols.size
    clo, cup = clo.copy(), cup.copy()
    clo[part.linking_cols] = cup[part.linking_cols] = z[:n_link]
    h = new_highs()
    h.setOptionValue("output_flag", False)
    pass_arrays(h, lp.matrix(), cost, clo, cup, rlo, rup)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    total = part.z_cost @ z + sum(r.objective for r in res)
    assert total == pytest.approx(h.getInfo().objective_function_value, rel=1e-7)


def test_assembled_duals_price_every_operational_column():
    """The full-LP duals assembled from the windows (own rows and the rows moving bounds
    replace) leave every operational column with a reduced cost of the right sign."""
    d = network()
    built, part, res = decompose(d, 24, gap=1e-6)
    assert res.status == "optimal"
    cost, clo, cup, _, _ = built.lp.arrays()
    # the reachability rows decomposition adds involve master variables only: no operational column
    reduced = cost - built.lp.matrix().T @ res.row_dual[:built.lp.n_rows]
    operational = np.ones(cost.size, dtype=bool)
    operational[part.linking_cols] = False
    x, d_op = res.x[operational], reduced[operational]
    tol = 1e-6 * np.abs(cost).max()
    at_lower = x <= clo[operational] + 1e-7
    at_upper = x >= cup[operational] - 1e-7
    assert (d_op[at_lower & ~at_upper] >= -tol).all()
    assert (d_op[at_upper & ~at_lower] <= tol).all()
    assert (np.abs(d_op[~at_lower & ~at_upper]) <= tol).all()


def test_cut_gradient_is_the_derivative():
    """The fixing-row duals are the derivative of a window's cost in its master variables."""
    d = network()
    built = build_model(load_scenario(d))
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    w = part.windows[1]
    z = np.clip(np.full(part.n_z, 0.2), part.z_lower, part.z_upper)
    base = WindowSolver([w]).solve(z)[0]
    checked = 0
    for j, k in enumerate(w.master_index):
        step = 1e-4
        z2 = z.copy()
        z2[k] += step
        moved = WindowSolver([w]).solve(z2)[0]
        slope = (moved.objective - base.objective) / step
        # one-sided difference: equal to the dual unless the point is a kink of Q
        if abs(slope - base.gradient[j]) <= 1e-6 * max(1.0, abs(slope)):
            checked += 1
    assert checked >= 0.8 * w.master_index.size


def test_process_pool_gives_the_same_answer():
    d = network(policies={"co2_cap_t": 600_000})
    _, _, serial = decompose(d, 24, gap=1e-4)
    _, _, pooled = decompose(d, 24, executor=ProcessExecutor(2), gap=1e-4)
    assert pooled.status == "optimal"
    # each run is within its 1e-4 gap of the same optimum, so they differ by at most twice that
    assert pooled.upper_bound == pytest.approx(serial.upper_bound, rel=2e-4)


def test_time_limit_returns_best_point_with_its_gap():
    d = network()
    _, _, res = decompose(d, 24, gap=1e-9, max_iterations=2)
    assert res.status == "iteration_limit"
    assert res.x is not None and res.gap is not None and res.gap > 0


def test_level_projection_is_the_nearest_point_of_the_level_set():
    from silkgrid.solve.benders import _Master, _trust_scale

    d = network(policies=POLICY_CASES["co2 cap"])
    _, part, res = decompose(d, 24, gap=1e-2)
    ex = SerialExecutor()
    ex.start(part.windows)
    theta_lower = np.array([w.cost_lower_bound if np.isfinite(w.cost_lower_bound) else -1e9 for w in part.windows])
    master = _Master(part, theta_lower)
    z = res.z
    points = []
    for _ in range(4):  # a few cutting-plane steps from the best point
        master.add_cuts(ex.evaluate(z), part, z)
        z, _, lower, _ = master.solve(None)
        points.append(z)
    # the centre: a master point (it meets the master's own rows exactly), not the last one
    z_best, z_low = points[0], points[-1]

    def model(z):  # the cut model's cost at z
        return master.solve((z, z))[2]

    at_best = model(z_best)
    assert lower < at_best
    scale = np.maximum(_trust_scale(part), np.abs(z_best))
    # a centre inside the level set is its own projection
    assert np.allclose(master.project(z_best, scale, at_best + 1.0), z_best, atol=1e-7)
    # below it: the projection meets the level and is no farther than the master's minimiser
    level = lower + 0.5 * (at_best - lower)
    z_p = master.project(z_best, scale, level)
    assert model(z_p) <= level + 1e-6 * abs(level)
    dist = lambda z: float(np.sum(np.abs(z - z_best) / scale))  # noqa: E731
    assert 0 < dist(z_p) <= dist(z_low) + 1e-9


def test_stopped_decomposed_solve_returns_a_feasible_plan_with_tables():
    d = network(policies={"co2_cap_t": 600_000})
    d["solver"] = {"method": "decomposed", "gap": 1e-9, "window_hours": 24, "workers": 1, "max_iterations": 2,
                   "warm_start": False}
    res = silkgrid.solve(d)
    s = res.summary
    assert res.status == "iteration_limit" and not res.optimal and res.has_plan
    assert 0 < s["solver"]["gap"] < 10
    # the plan is written out in full and its cost is the proven upper bound
    assert {"generators", "storage", "links", "nodes"} <= set(res.tables)
    assert len(res.hourly["generation_mw"]) == 96
    assert s["objective_eur"] == pytest.approx(s["solver"]["upper_bound"], rel=1e-9)
    exact = monolithic({k: v for k, v in d.items() if k != "solver"}) * 1e6
    assert s["solver"]["lower_bound"] <= exact * (1 + 1e-6) <= s["objective_eur"] * (1 + 2e-6)
    # and it is feasible for the hourly LP: every row within its bounds, every column too
    sc = load_scenario({k: v for k, v in d.items() if k != "solver"})
    built = build_model(sc)
    opts = sc.solver.model_copy(update={"gap": 1e-9, "window_hours": 24, "workers": 1, "max_iterations": 2,
                                        "warm_start": False})
    sol, _ = solve_decomposed(sc, built, opts)
    assert sol.feasible and sol.has_plan
    _, clo, cup, rlo, rup = built.lp.arrays()
    ax = built.lp.matrix() @ sol.x
    assert np.all(sol.x >= clo - 1e-6) and np.all(sol.x <= cup + 1e-6)
    assert np.all(ax >= rlo - 1e-5) and np.all(ax <= rup + 1e-5)


@pytest.mark.parametrize("method", ["decomposed", "monolithic", "aggregated"])
def test_summary_reports_method_and_bounds(method):
    d = network(policies={"co2_cap_t": 600_000})
    d["solver"] = {"method": method, "algorithm": "simplex", "gap": 1e-3, "window_hours": 24, "workers": 1,
                   "segments": 24}
    res = silkgrid.solve(d)
    s = res.summary["solver"]
    assert res.status == "optimal"
    assert s["method"] == method and s["seconds"] > 0
    if method == "aggregated":
        assert s["gap"] is None and s["lower_bound"] is None and s["upper_bound"] is None
        assert len(res.snapshots) == 24
        return
    exact = monolithic({k: v for k, v in d.items() if k != "solver"}) * 1e6
    assert s["lower_bound"] <= exact * (1 + 1e-6) and s["upper_bound"] >= exact * (1 - 1e-6)
    assert s["gap"] <= 1e-3
    assert res.objective == pytest.approx(exact, rel=1e-3)
    # results come out in full hourly detail either way
    assert len(res.hourly["price_eur_per_mwh"]) == 96
    assert len(res.hourly["generation_mw"]) == 96
    if method == "decomposed":
        # the warm start scales with the horizon (one segment per 10 steps), not with `segments`
        assert s["decomposition"]["warm_start"]["segments"] == 10


def test_warm_start_segments_follow_the_horizon_unless_set():
    assert warm_start_segments(SolverOptions(), 8760) == 876
    assert warm_start_segments(SolverOptions(), 2190) == 219
    assert warm_start_segments(SolverOptions(), 5) == 1
    assert warm_start_segments(SolverOptions(warm_start_segments=300), 8760) == 300


def test_auto_picks_by_size():
    from silkgrid.solve.api import AUTO_MONOLITHIC_MAX_VARIABLES, choose_method

    opts = SolverOptions()
    assert choose_method(opts, 1000) == "monolithic"
    assert choose_method(opts, AUTO_MONOLITHIC_MAX_VARIABLES + 1) == "decomposed"
    assert choose_method(SolverOptions(method="aggregated"), 10) == "aggregated"


def test_legacy_method_names_the_algorithm():
    opts = SolverOptions.model_validate({"method": "simplex"})
    assert opts.algorithm == "simplex" and opts.method == "auto"


@pytest.mark.parametrize("make", [SerialExecutor, lambda: ProcessExecutor(2)], ids=["serial", "processes"])
def test_executor_prepares_and_keeps_the_best_point(make):
    """``start(prepare=...)`` solves the windows once without changing later answers; ``kept``
    returns the solutions of the evaluation ``keep`` marked, not of later ones."""
    built = build_model(load_scenario(network()))
    windows = window_ids(built.arrays.snapshots.first_hour, 24)
    part = partition(decomposition_lp(built, windows), windows)
    sol = solve_lp(built.lp, SIMPLEX)
    z1 = part.z_from_x(sol.x, lp=built.lp)
    z2 = np.clip(1.3 * z1 + 0.01, part.z_lower, part.z_upper)
    fresh = WindowSolver(part.windows).solve(z1)
    ex = make()
    try:
        ex.start(part.windows, prepare=np.clip(np.zeros(part.n_z), part.z_lower, part.z_upper))
        first = ex.evaluate(z1)
        ex.keep()
        ex.evaluate(z2)
        kept = ex.kept()
    finally:
        ex.close()
    assert [r.objective for r in first] == pytest.approx([r.objective for r in fresh], rel=1e-9)
    assert all(r.x is None for r in first)  # evaluations carry no solution arrays
    for k, r in zip(kept, first):
        w = part.windows[r.index]
        assert k.index == r.index and k.cost == pytest.approx(r.cost, rel=1e-12)
        assert k.x.shape == (w.n_own_cols,) and k.row_dual.shape == (w.n_own_rows,)
        assert k.bound_dual.shape == w.bound_cols.shape
    x = np.zeros(built.lp.n_cols)
    for k in kept:
        x[part.windows[k.index].own_cols] = k.x
    operational = np.ones(built.lp.n_cols, dtype=bool)
    operational[part.linking_cols] = False
    cost = built.lp.arrays()[0]
    assert cost[operational] @ x[operational] == pytest.approx(sum(k.cost for k in kept), rel=1e-9)


def test_worker_processes_run_single_threaded_blas():
    from silkgrid.solve.executor import WORKER_THREAD_ENV, _worker_env

    env = _worker_env()
    assert all(env[k] == "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"))
    assert set(WORKER_THREAD_ENV) <= set(env)


def _budget_network(cap_t: float) -> dict:
    """The test network without storage and ramp limits: budgets are its only pinned values."""
    d = network(policies={"co2_cap_t": cap_t})
    d["storage"] = []
    for g in d["generators"]:
        g.pop("ramp_limit_up_per_hour", None)
        g.pop("ramp_limit_down_per_hour", None)
    return d


def test_budget_repair_by_hand():
    """repair_budgets replaces each budget by the share its window really used and accepts
    the point only while those shares fit the cap and no other pinned value moved."""
    built = build_model(load_scenario(network(policies={"co2_cap_t": 600_000})))
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    sol = solve_lp(built.lp, SIMPLEX)
    z = part.z_from_x(sol.x, lp=built.lp)
    n_link = part.linking_cols.size
    res = WindowSolver(part.windows).solve(z)
    z_rep, value = repair_budgets(part, z, res)
    # at the optimum z_from_x sets each budget to its window's share: nothing changes
    assert np.allclose(z_rep, z, atol=1e-6)
    assert value == pytest.approx(sol.objective, rel=1e-7)
    cap_row = np.flatnonzero(np.asarray(part.master_matrix[:, n_link:].sum(axis=1)).ravel())
    assert cap_row.size == 1  # the CO2 cap: the budgets add up within it
    room = part.master_row_upper[cap_row[0]] - (part.master_matrix @ z_rep)[cap_row[0]]
    assert room >= -1e-9
    # a window that used 1 kt more than the cap leaves room for: refused
    over = [dataclasses.replace(r, used=r.used.copy()) for r in res]
    over[2].used[-1] += room + 1.0  # [-1]: the window's one budget, the last pinned variable
    assert repair_budgets(part, z, over) is None
    over[2].used[-1] -= 2.0  # 1 kt within the cap: accepted, with that share
    assert repair_budgets(part, z, over)[0][n_link + 2] == pytest.approx(over[2].used[-1], rel=1e-12)
    # a window whose storage level (a linking variable) moved by 1 MWh: refused
    moved = [dataclasses.replace(r, used=r.used.copy()) for r in res]
    w = part.windows[0]
    link = np.flatnonzero(w.master_index[:w.n_fixing] < n_link)
    assert link.size
    moved[0].used[link[0]] += 1e-3
    assert repair_budgets(part, z, moved) is None


def test_budget_slack_within_the_cap_is_a_feasible_plan():
    """A window pinned to a budget it cannot meet (-10 kt: it emits nothing and still falls
    short) buys slack on it; the shares the windows used fit the cap, so the assembled
    solution is feasible for the full LP and costs the repaired value."""
    built = build_model(load_scenario(_budget_network(6_000_000)))
    part = partition(built.lp, window_ids(built.arrays.snapshots.first_hour, 24))
    sol = solve_lp(built.lp, SIMPLEX)
    z = part.z_from_x(sol.x, lp=built.lp)
    n_link = part.linking_cols.size
    assert part.budget_rows.size == 4 and z[n_link:].sum() < 6000.0 - 100.0  # the cap is slack
    z[n_link] = -10.0  # kt; window 0 can at best emit nothing
    ex = SerialExecutor()
    ex.start(part.windows)
    try:
        res = ex.evaluate(z)
        ex.keep()
        kept = ex.kept()
    finally:
        ex.close()
    assert res[0].slack == pytest.approx(10.0, rel=1e-9)
    assert sum(r.slack for r in res[1:]) < 1e-9
    z_rep, value = repair_budgets(part, z, res)
    assert z_rep[n_link] == pytest.approx(res[0].used[-1], abs=1e-9)
    assert z_rep[n_link] == pytest.approx(0.0, abs=1e-7)
    assert value < part.z_cost @ z + sum(r.cost for r in res)  # no penalty in the plan's cost
    x = np.zeros(built.lp.n_cols)
    x[part.linking_cols] = z_rep[:n_link]
    for k in kept:
        x[part.windows[k.index].own_cols] = k.x
    cost, clo, cup, rlo, rup = built.lp.arrays()
    ax = built.lp.matrix() @ x
    assert (x >= clo - 1e-7).all() and (x <= cup + 1e-7).all()
    assert (ax >= rlo - 1e-5).all() and (ax <= rup + 1e-5).all()
    assert cost @ x == pytest.approx(value, rel=1e-9)
    assert value >= sol.objective - 1e-9 * abs(sol.objective)  # an upper bound
