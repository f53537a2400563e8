"""Sweep files (silkgrid.workflows.sweep_spec), run keys and the catalog's errors: no cluster here
(tests/test_sweep_dask.py runs sweeps on a real LocalCluster)."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from silkgrid.cli import app
from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.loader import load_scenario
from silkgrid.workflows.catalog import Catalog, CatalogError, axis_column, query
from silkgrid.workflows.sweep_run import run_key
from silkgrid.workflows.sweep_spec import load_sweep

BASE = {"base": "example", "resolution": "24h"}


def sweep(**kw):
    return load_sweep({**BASE, **kw})


@pytest.fixture(scope="module")
def base_sc():
    return load_scenario({"extends": "example", "time": {"resolution": "24h"}})


# ---- point counts and values -------------------------------------------------------------------

def test_product_crosses_axes_in_order():
    plan = sweep(axes=[{"path": "discount_rate", "values": [0.05, 0.08]},
                       {"path": "policies.co2_price_eur_per_t", "values": [0, 50, 100]}])
    assert len(plan.points) == 6  # 2 x 3
    assert [p.values["discount_rate"] for p in plan.points] == [0.05] * 3 + [0.08] * 3
    assert [p.values["policies.co2_price_eur_per_t"] for p in plan.points] == [0, 50, 100] * 2
    assert [sc.discount_rate for sc in plan.scenarios] == [0.05] * 3 + [0.08] * 3
    assert [sc.policies.co2_price_eur_per_t for sc in plan.scenarios] == [0, 50, 100] * 2
    assert all(sc.time.resolution == "24h" for sc in plan.scenarios)
    assert plan.axis_paths == ["discount_rate", "policies.co2_price_eur_per_t"]


def test_zip_varies_together_and_crosses_the_rest():
    plan = sweep(axes=[{"path": "discount_rate", "values": [0.05, 0.08]}],
                 zip=[[{"path": "policies.co2_price_eur_per_t", "values": [10, 20, 30]},
                       {"path": "links.caspian_cable.max_capacity_mw", "values": [1000, 2000, 3000]}]])
    assert len(plan.points) == 6  # 2 x 3 (the zipped group counts once)
    for p, sc in zip(plan.points, plan.scenarios):
        co2 = p.values["policies.co2_price_eur_per_t"]
        assert p.values["links.caspian_cable.max_capacity_mw"] == co2 * 100
        assert sc.policies.co2_price_eur_per_t == co2
        assert {lk.id: lk.max_capacity_mw for lk in sc.links}["caspian_cable"] == co2 * 100


def test_samples_cross_the_list_axes():
    plan = sweep(axes=[{"path": "discount_rate", "values": [0.05, 0.08]}],
                 samples={"method": "monte_carlo", "n": 3,
                          "axes": [{"path": "policies.co2_price_eur_per_t", "uniform": [0, 100]}]})
    assert len(plan.points) == 6  # 2 x 3
    assert all(p.sampled for p in plan.points)
    draws = [p.values["policies.co2_price_eur_per_t"] for p in plan.points]
    assert draws[:3] == draws[3:]  # the same 3 draws with each discount rate


def test_latin_hypercube_one_draw_per_stratum():
    n = 10
    plan = sweep(seed=3, samples={"method": "lhs", "n": n, "axes": [
        {"path": "policies.co2_price_eur_per_t", "uniform": [0, 100]},
        {"path": "discount_rate", "uniform": [0.02, 0.12]}]})
    assert len(plan.points) == n
    for path, lo, hi in (("policies.co2_price_eur_per_t", 0, 100), ("discount_rate", 0.02, 0.12)):
        u = (np.array([p.values[path] for p in plan.points]) - lo) / (hi - lo)
        strata = np.floor(u * n).astype(int)  # n equal-probability strata of a uniform axis
        assert sorted(strata.tolist()) == list(range(n)), path


def test_monte_carlo_draws_are_uniform_in_range():
    plan = sweep(samples={"method": "monte_carlo", "n": 200, "axes": [
        {"path": "policies.co2_price_eur_per_t", "uniform": [20, 40]}]})
    x = np.array([p.values["policies.co2_price_eur_per_t"] for p in plan.points])
    assert x.min() >= 20 and x.max() <= 40
    # mean of 200 uniform draws: sd of the mean 20/sqrt(12*200) = 0.41, so 30 +- 1.6 is 4 sd
    assert abs(x.mean() - 30) < 1.6


@pytest.mark.parametrize("method", ["lhs", "monte_carlo"])
def test_samples_reproducible_with_the_seed(method):
    spec = {"method": method, "n": 4, "axes": [{"path": "policies.co2_price_eur_per_t", "uniform": [0, 100]},
                                               {"path": "discount_rate", "normal": [0.07, 0.01], "min": 0.01}]}

    def draws(seed):
        return [tuple(p.values.values()) for p in sweep(seed=seed, samples=spec).points]

    assert draws(5) == draws(5)
    assert draws(5) != draws(6)


def test_normal_axis_is_clipped_and_choice_picks_listed_values():
    plan = sweep(samples={"method": "monte_carlo", "n": 50, "axes": [
        {"path": "discount_rate", "normal": [0.05, 0.2], "min": 0.01, "max": 0.2},
        {"path": "policies.co2_price_eur_per_t", "choice": [0, 80]}]})
    rates = [p.values["discount_rate"] for p in plan.points]
    assert min(rates) == 0.01 and max(rates) == 0.2  # sd 0.2 around 0.05: both bounds hit in 50 draws
    assert {p.values["policies.co2_price_eur_per_t"] for p in plan.points} == {0, 80}


# ---- factors -----------------------------------------------------------------------------------

def test_factors_multiply_a_scalar_field(base_sc):
    cap = {lk.id: lk.capex_eur_per_mw_km for lk in base_sc.links}["caspian_cable"]
    plan = sweep(axes=[{"path": "links.caspian_cable.capex_eur_per_mw_km", "factors": [0.5, 2]},
                       {"path": "discount_rate", "factors": [2]}])
    got = [{lk.id: lk.capex_eur_per_mw_km for lk in sc.links}["caspian_cable"] for sc in plan.scenarios]
    assert got == pytest.approx([0.5 * cap, 2 * cap], rel=1e-12)  # one multiplication, float rounding only
    assert [p.values["links.caspian_cable.capex_eur_per_mw_km"] for p in plan.points] == [0.5, 2]
    assert all(sc.discount_rate == pytest.approx(2 * base_sc.discount_rate, rel=1e-12) for sc in plan.scenarios)


def test_factors_scale_every_demand_profile(base_sc):
    plan = sweep(axes=[{"path": "loads.*.demand_mw", "factors": [0.9, 1.1]}])
    base_mean = {ld.id: float(np.mean(ld.demand_mw)) for ld in base_sc.loads}
    for f, sc in zip([0.9, 1.1], plan.scenarios):
        assert {ld.id for ld in sc.loads} == set(base_mean)
        for ld in sc.loads:
            # the profile is multiplied hour by hour, so its mean scales exactly (float rounding only)
            assert float(np.mean(ld.demand_mw)) == pytest.approx(f * base_mean[ld.id], rel=1e-9), ld.id


def test_sample_factor_multiplies(base_sc):
    plan = sweep(samples={"method": "lhs", "n": 3, "axes": [
        {"path": "links.black_sea_cable.capex_eur_per_mw", "uniform": [0.8, 1.2], "factor": True}]})
    base = {lk.id: lk.capex_eur_per_mw for lk in base_sc.links}["black_sea_cable"]
    for p, sc in zip(plan.points, plan.scenarios):
        f = p.values["links.black_sea_cable.capex_eur_per_mw"]
        assert 0.8 <= f <= 1.2
        assert {lk.id: lk.capex_eur_per_mw for lk in sc.links}["black_sea_cable"] == pytest.approx(f * base, rel=1e-12)


# ---- data-set options (corridor-2035: ~3 s for the first build) -----------------------------------

def test_weather_year_and_extends_axes_on_a_dataset_base():
    plan = load_sweep({"base": "corridor-2035", "resolution": "24h",
                       "axes": [{"path": "weather_year", "values": [1, 2]},
                                {"path": "extends.finance", "values": ["high"]}]})
    assert len(plan.points) == 2
    exts = [p.scenario["extends"] for p in plan.points]
    assert exts == [{"dataset": "corridor", "year": 2035, "weather_year": 1, "finance": "high"},
                    {"dataset": "corridor", "year": 2035, "weather_year": 2, "finance": "high"}]
    # another weather year is other weather: the wind profiles differ
    a, b = ({g.id: g for g in sc.generators} for sc in plan.scenarios)
    wind = next(i for i, g in a.items() if g.availability is not None and "wind" in i)
    assert not np.allclose(a[wind].availability, b[wind].availability)


# ---- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, where, fix", [
    ({"axes": [{"path": "foo.bar", "values": [1]}]}, "foo", "allowed fields"),
    ({"axes": [{"path": "discount_rat", "values": [0.05]}]}, "discount_rat", "did you mean 'discount_rate'"),
    ({"axes": [{"path": "links.nope.capex_eur_per_mw", "values": [1]}]}, "links.nope", "caspian_cable"),
    ({"axes": [{"path": "links.caspian_cable.capex_eur", "values": [1]}]}, "capex_eur", "capex_eur_per_mw"),
    ({"axes": [{"path": "links.caspian_cable", "values": [1]}]}, "links.caspian_cable", "<field>"),
    ({"zip": [[{"path": "discount_rate", "values": [0.05, 0.06]},
               {"path": "policies.co2_price_eur_per_t", "values": [1]}]]}, "discount_rate", "docs/sweeps.md"),
    ({"axes": [{"path": "discount_rate", "values": [0.05]}, {"path": "discount_rate", "values": [0.06]}]},
     "discount_rate", "docs/sweeps.md"),
    ({"axes": [{"path": "links.caspian_cable.from_node", "factors": [2]}]}, "from_node", "values: [...]"),
    ({"axes": [{"path": "name", "factors": [2]}]}, "name", "values: [...]"),
    ({"axes": [{"path": "discount_rate", "values": [0.1], "factors": [1]}]}, "discount_rate", "docs/sweeps.md"),
    ({"samples": {"n": 3, "axes": [{"path": "discount_rate", "uniform": [0.1, 0.05]}]}}, "low <= high",
     "docs/sweeps.md"),
    ({"samples": {"n": 3, "axes": [{"path": "discount_rate", "normal": [0.1, -1]}]}}, "standard deviation",
     "docs/sweeps.md"),
    ({"samples": {"n": 3, "axes": [{"path": "discount_rate", "uniform": [0, 1], "normal": [0, 1]}]}},
     "exactly one of uniform", "docs/sweeps.md"),
    ({"samples": {"n": 3, "method": "sobol", "axes": [{"path": "discount_rate", "uniform": [0, 1]}]}},
     "method", "docs/sweeps.md"),
    ({"axes": [{"path": "weather_year", "values": [1]}]}, "weather_year", "corridor"),
    ({"axes": [{"path": "discount_rate", "values": [0.05, -3]}]}, "point 2 of 2", "correct the value"),
])
def test_bad_sweeps_name_the_axis_and_a_fix(spec, where, fix):
    with pytest.raises(ScenarioError) as exc:
        sweep(**spec)
    msg = exc.value.message
    assert where in msg and exc.value.fix and fix in msg, msg


def test_bad_base_and_unreadable_file(tmp_path):
    with pytest.raises(ScenarioError, match="base scenario"):
        load_sweep({"base": "no-such-dataset", "axes": [{"path": "discount_rate", "values": [0.05]}]})
    (tmp_path / "s.yaml").write_text("base: [unclosed\n")
    with pytest.raises(ScenarioError, match="cannot read the sweep file") as exc:
        load_sweep(tmp_path / "s.yaml")
    assert exc.value.fix


def test_cli_bad_sweep_exits_2_and_writes_nothing(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("base: example\nresolution: 24h\naxes:\n  - {path: links.nope.capex_eur_per_mw, values: [1]}\n")
    out = tmp_path / "out"
    res = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["sweep", str(f), "--out", str(out), "-q"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert "links.nope" in text and "caspian_cable" in text  # the axis and the ids to use instead
    assert "Traceback" not in res.output
    assert not out.exists()


# ---- run keys ----------------------------------------------------------------------------------

def test_run_key_is_a_content_hash():
    plan = sweep(axes=[{"path": "discount_rate", "values": [0.05, 0.08, 0.05]}])
    a, b, c = plan.scenarios
    solver = {"workers": 1}
    assert run_key(a, solver) == run_key(c, solver)  # same point, same key
    assert run_key(a, solver) != run_key(b, solver)  # another value
    assert run_key(a, solver) != run_key(a, {"workers": 1, "algorithm": "ipm"})  # another solve option
    assert run_key(a, solver) != run_key(a, solver, seed=1)  # a sampled point's seed
    a2 = a.model_copy(update={"name": "another label"})
    assert run_key(a2, solver) == run_key(a, solver)  # the name is a label, not an input


def test_run_key_sees_profiles():
    plan = sweep(axes=[{"path": "loads.KZ_W_load.demand_mw", "factors": [1.0, 1.0 + 1e-9]}])
    assert run_key(plan.scenarios[0], {}) != run_key(plan.scenarios[1], {})


# ---- catalog -----------------------------------------------------------------------------------

def test_axis_column_names():
    assert axis_column("links.*.capex_eur_per_mw") == "axis_links_capex_eur_per_mw"
    assert axis_column("scenario.discount_rate") == "axis_scenario_discount_rate"


def test_catalog_record_replaces_and_query_errors(tmp_path):
    with Catalog(tmp_path, axes={"discount_rate": 0.05}) as cat:
        cat.plan([("k1", 0, {"discount_rate": 0.05}), ("k2", 1, {"discount_rate": 0.08})])
        cat.record({"key": "k1", "point": 0, "values": {"discount_rate": 0.05}, "status": "failed",
                    "error": "boom"})
        cat.record({"key": "k1", "point": 0, "values": {"discount_rate": 0.05}, "status": "optimal",
                    "objective_eur": 12.5, "links": {"caspian_cable": (100.0, 40.0)}})
        assert cat.keys("finished") == {"k1"}
    rows = query(tmp_path, "SELECT key, status, objective_eur, axis_discount_rate FROM plan_runs")
    assert rows.to_dict("records") == [{"key": "k1", "status": "optimal", "objective_eur": 12.5,
                                        "axis_discount_rate": 0.05}]
    assert query(tmp_path, "SELECT capacity_mw, new_mw FROM links").values.tolist() == [[100.0, 40.0]]
    with pytest.raises(CatalogError, match="Fix: the tables are runs"):
        query(tmp_path, "SELECT nope FROM runs")
    with pytest.raises(CatalogError, match="Fix: give the --out directory"):
        query(tmp_path / "elsewhere", "SELECT 1")


def test_cli_catalog_query_error_exits_nonzero(tmp_path):
    with Catalog(tmp_path):
        pass
    res = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["catalog", str(tmp_path), "--sql", "SELEC 1"])
    assert res.exit_code == 2 and "Fix:" in res.output and "Traceback" not in res.output
