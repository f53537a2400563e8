"""Pathways with perfect foresight (issue #17): hand-solvable cases whose optimum is known on paper.

Every case is one node, one snapshot of 1 h per year (``time: {hours: 1, annualise: false}``), so a
"year" of operation is that hour and the numbers stay small: a generator of 100 MW running all year
makes 100 MWh.  Periods 2030 and 2040 represent 10 years each.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.pathway import load_pathway, period_weights

#: Tolerance: the LP is solved by simplex (a vertex), so only round-off of ~1e-9 relative remains.
REL = 1e-7


def base(load_mw: float = 100.0, *, lifetime: float = 20.0, cost: float = 1000.0, gens=(), rate: float = 0.0) -> dict:
    """A one-node scenario: an extendable plant ``new`` (annualised cost ``cost`` EUR/MW/yr, 10 EUR/MWh,
    economic lifetime ``lifetime``) and a flat load."""
    return {
        "name": "hand-pathway", "discount_rate": rate,
        "time": {"hours": 1, "annualise": False},
        "nodes": [{"id": "A", "country": "KZ"}],
        "carriers": [{"id": "fuel"}],
        "technologies": [{"id": "plant", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": cost,
                          "lifetime_years": lifetime},
                         {"id": "old", "carrier": "fuel", "lifetime_years": 40}],
        "generators": [{"id": "new", "node": "A", "technology": "plant", "extendable": True,
                        "variable_cost_eur_per_mwh": 10.0}, *gens],
        "loads": [{"id": "d", "node": "A", "demand_mw": load_mw}],
        "solver": {"method": "monolithic", "algorithm": "simplex"},
    }


def pathway(scenario: dict, overrides: dict | None = None, **opts) -> dict:
    return {"pathway": {"periods": [2030, 2040], "years": [10, 10], **opts}, "scenario": scenario,
            "overrides": overrides or {}}


def built(res, gid: str = "new") -> dict[int, float]:
    v = res.vintages[res.vintages["id"] == gid]
    return dict(zip(v["build_period"], v["built_mw"]))


def test_a_plant_built_once_serves_both_periods():
    """Lifetime 20 years: the 2030 vintage lives through 2040 (2040 < 2030 + 20).  Build 100 MW once.
    Present cost (no discounting): 100 MW x 1,000 EUR/MW/yr x 20 yr + 100 MWh/yr x 10 EUR x 20 yr
    = 2,000,000 + 20,000 = 2,020,000 EUR."""
    res = silkgrid.solve_pathway(pathway(base()))
    assert res.optimal, res.message
    assert list(res.weights) == [10.0, 10.0]
    assert built(res) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert res.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)
    # each period's own result: 100 MW of new capacity alive, yearly cost 100 x 1,000 + 1,000
    for r in res.results:
        assert r.tables["generators"].set_index("id").loc["new", "new_mw"] == pytest.approx(100.0, rel=REL)
        assert r.objective == pytest.approx(101_000.0, rel=REL)


def test_a_short_lifetime_forces_a_rebuild():
    """Lifetime 10 years: the 2030 vintage is gone in 2040 (2040 < 2030 + 10 is false): build
    100 MW twice.  Same cost as above (each vintage paid for its 10 years): 2,020,000 EUR."""
    res = silkgrid.solve_pathway(pathway(base(lifetime=10.0)))
    assert built(res) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(100.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)


def test_growing_demand_adds_a_second_vintage():
    """Demand 100 MW in 2030, 150 MW in 2040: 100 MW in 2030 and 50 MW more in 2040.
    Cost: 100 x 1,000 x 20 + 50 x 1,000 x 10 + (100 x 10 + 150 x 10) x 10 = 2,525,000 EUR."""
    res = silkgrid.solve_pathway(pathway(base(), {2040: {"loads": [{"id": "d", "demand_mw": 150.0}]}}))
    assert built(res) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(50.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(2_525_000.0, rel=REL)
    alive = res.capacity_by_period().groupby("period")["alive_mw"].sum()
    assert alive.to_dict() == {2030: pytest.approx(100.0), 2040: pytest.approx(150.0)}


def test_a_retirement_forces_a_build():
    """An existing 100 MW plant (5 EUR/MWh, no capacity cost) covers 2030; it retires before 2040
    (the 2040 scenario has it at 0 MW): nothing is built in 2030, 100 MW in 2040.
    Cost: 2030: 100 MWh x 5 x 10 = 5,000; 2040: 100 x 1,000 x 10 + 100 x 10 x 10 = 1,010,000."""
    old = {"id": "old_plant", "node": "A", "technology": "old", "capacity_mw": 100.0,
           "variable_cost_eur_per_mwh": 5.0}
    res = silkgrid.solve_pathway(pathway(base(gens=[old]), {2040: {"generators": [{"id": "old_plant",
                                                                                     "capacity_mw": 0.0}]}}))
    assert built(res) == {2030: pytest.approx(0.0, abs=1e-6), 2040: pytest.approx(100.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(1_015_000.0, rel=REL)


def test_a_binding_capacity_limit_splits_the_build():
    """At most 60 MW of the plant may stand in 2030 (max_capacity_mw); an existing peaker at
    2,000 EUR/MWh (dearer than a new MW's 1,010 EUR for its one hour a year) covers the rest.  In
    2040 the limit is 200 MW: 60 MW in 2030 (lives on), 40 MW more in 2040.  Cost: 60 x 1,000 x 20
    + 40 x 1,000 x 10 + (60 x 10 + 40 x 2,000) x 10 + 100 x 10 x 10
    = 1,200,000 + 400,000 + 806,000 + 10,000 = 2,416,000 EUR."""
    peaker = {"id": "peaker", "node": "A", "technology": "old", "capacity_mw": 100.0,
              "variable_cost_eur_per_mwh": 2000.0}
    sc = base(gens=[peaker])
    sc["generators"][0]["max_capacity_mw"] = 60.0
    res = silkgrid.solve_pathway(pathway(sc, {2040: {"generators": [{"id": "new", "max_capacity_mw": 200.0}]}}))
    assert built(res) == {2030: pytest.approx(60.0, rel=REL), 2040: pytest.approx(40.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(2_416_000.0, rel=REL)


def test_discounting_weights_each_period_by_its_years():
    """Rate 5 %, base year 2030: weight of 2030 = sum over k = 0..9 of 1.05^-k = 8.10782, of 2040 =
    sum over k = 10..19 = 4.97750 (written out here, not by silkgrid).  The objective is the two
    periods' yearly costs times their weights (lifetime 20: one vintage of 100 MW)."""
    w1 = sum(1.05 ** -k for k in range(10))
    w2 = sum(1.05 ** -k for k in range(10, 20))
    assert period_weights([2030, 2040], [10, 10], 0.05, 2030) == pytest.approx([w1, w2], rel=1e-12)
    res = silkgrid.solve_pathway(pathway(base(), discount_rate=0.05))
    assert res.weights == pytest.approx([w1, w2], rel=1e-12)
    assert res.objective_pv_eur == pytest.approx((w1 + w2) * 101_000.0, rel=REL)


def test_prices_are_per_year_of_their_period():
    """Duals of a period's balance are divided by its weight: the price is that period's own
    EUR/MWh.  Lifetime 10 (each vintage serves its own period only, so the prices are unique; a
    vintage serving both periods splits its cost between them in any proportion the duals allow),
    one snapshot a year: the marginal MW costs 1,000 EUR/yr + 10 EUR/MWh, so the price is
    1,010 EUR/MWh in both periods whatever their weights."""
    res = silkgrid.solve_pathway(pathway(base(lifetime=10.0), discount_rate=0.05))
    for r in res.results:
        assert r.hourly["price_eur_per_mwh"]["A"].iloc[0] == pytest.approx(1010.0, rel=1e-6)


def test_pathway_directory(tmp_path):
    res = silkgrid.solve_pathway(pathway(base()))
    out = res.to_dir(tmp_path / "pw")
    assert sorted(p.name for p in out.iterdir()) == ["capacity_by_period.parquet", "fleet_by_period.parquet",
                                                     "pathway.json", "period-2030", "period-2040", "vintages.parquet"]
    back = silkgrid.Result.from_dir(out / "period-2040")
    assert back.tables["generators"].set_index("id").loc["new", "new_mw"] == pytest.approx(100.0, rel=REL)


def test_bad_pathways_get_the_loaders_message():
    with pytest.raises(ScenarioError, match="periods must increase"):
        load_pathway({"pathway": {"periods": [2040, 2030]}, "scenario": base()})
    with pytest.raises(ScenarioError, match="unknown periods: \\[2050\\]"):
        load_pathway(pathway(base(), {2050: {}}))
    with pytest.raises(ScenarioError, match="period 2040: .*demand_mw"):
        load_pathway(pathway(base(), {2040: {"loads": [{"id": "d", "demand_mw": -5}]}}))


def test_an_element_that_vanishes_while_alive_is_refused():
    """The plant can be built in 2030 (lifetime 20) but the 2040 scenario makes it not extendable:
    its 2030 vintage would have nowhere to live."""
    with pytest.raises(ScenarioError, match="generator 'new' can be built in 2030 and would still be alive in 2040"):
        silkgrid.solve_pathway(pathway(base(), {2040: {"generators": [{"id": "new", "extendable": False}]}}))


def test_one_period_pathway_equals_the_plain_solve():
    """A one-period pathway (years 1, rate 0: weight 1) is the single-year problem."""
    d = {"pathway": {"periods": [2030], "years": [1]}, "scenario": base()}
    res = silkgrid.solve_pathway(d)
    plain = silkgrid.solve(base())
    assert res.objective_pv_eur == pytest.approx(plain.objective, rel=REL)
    assert np.isclose(built(res)[2030], plain.tables["generators"].set_index("id").loc["new", "new_mw"])


def test_myopic_equals_perfect_when_the_future_changes_nothing():
    """The plant of the first case (lifetime 20): a myopic 2030 step sees only 2030 but still must
    build 100 MW; 2040 inherits it and builds nothing.  Same plan and the same 2,020,000 EUR (the
    vintage's yearly cost counted in both periods it lives in)."""
    res = silkgrid.solve_pathway(pathway(base(), foresight="myopic"))
    assert res.optimal, res.message
    assert built(res) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert res.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)


def _short_or_long() -> dict:
    """Two plants: ``short`` (900 EUR/MW/yr, lifetime 10) and ``long`` (1,000, lifetime 20) in 2030;
    in 2040 new ones cost 1,500 (short) and 1,300 (long)."""
    sc = base()
    sc["technologies"] = [{"id": "short", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 900, "lifetime_years": 10},
                          {"id": "long", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 1000,
                           "lifetime_years": 20}]
    sc["generators"] = [{"id": g, "node": "A", "technology": g, "extendable": True, "variable_cost_eur_per_mwh": 10.0}
                        for g in ("short", "long")]
    later = {"technologies": [{"id": "short", "annualised_cost_eur_per_mw_yr": 1500},
                              {"id": "long", "annualised_cost_eur_per_mw_yr": 1300}]}
    return pathway(sc, {2040: later})


def test_perfect_foresight_builds_for_the_future_myopia_does_not():
    """Perfect foresight: ``long`` in 2030 serves both periods: 100 x 1,000 x 20 = 2,000,000
    (against short then long: 100 x (900 + 1,300) x 10 = 2,200,000), + fuel 20,000 = 2,020,000 EUR.
    Myopic: 2030 sees only its own 10 years and takes ``short`` (900 < 1,000); 2040 must rebuild and
    takes ``long`` at 1,300: 2,220,000 EUR.  The cost of myopia: 200,000 EUR.  A limited foresight
    of 2 periods sees the whole pathway: the perfect plan."""
    perfect = silkgrid.solve_pathway(_short_or_long())
    assert built(perfect, "long") == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert perfect.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)
    d = _short_or_long()
    d["pathway"]["foresight"] = "myopic"
    myopic = silkgrid.solve_pathway(d)
    assert built(myopic, "short") == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert built(myopic, "long") == {2030: pytest.approx(0.0, abs=1e-6), 2040: pytest.approx(100.0, rel=REL)}
    assert myopic.objective_pv_eur == pytest.approx(2_220_000.0, rel=REL)
    d["pathway"].update(foresight="limited", view_periods=2)
    assert silkgrid.solve_pathway(d).objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)


def test_limited_foresight_needs_its_view():
    with pytest.raises(ScenarioError, match="view_periods"):
        load_pathway(pathway(base(), foresight="limited"))


def test_build_year_allows_one_vintage_only():
    """``new`` has build_year 2030 (as a PyPSA component): built once, in 2030.  Demand grows to
    150 MW in 2040, so the extra 50 MW come from ``later`` (1,200 EUR/MW/yr, buildable in any period).
    Cost: 100 x 1,000 x 20 + 50 x 1,200 x 10 + (100 + 150) x 10 x 10 = 2,625,000 EUR."""
    sc = base(gens=[{"id": "later", "node": "A", "technology": "later_tech", "extendable": True,
                     "variable_cost_eur_per_mwh": 10.0}])
    sc["technologies"].append({"id": "later_tech", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 1200,
                               "lifetime_years": 20})
    sc["generators"][0]["build_year"] = 2030
    res = silkgrid.solve_pathway(pathway(sc, {2040: {"loads": [{"id": "d", "demand_mw": 150.0}]}}))
    assert built(res, "new") == {2030: pytest.approx(100.0, rel=REL)}
    assert built(res, "later") == {2030: pytest.approx(0.0, abs=1e-6), 2040: pytest.approx(50.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(2_625_000.0, rel=REL)


def test_cli_runs_a_pathway_file(tmp_path):
    """``silkgrid run FILE`` with a pathway: per-period table, pathway directory, exit 0; options of
    single-year runs that do not apply are refused (exit 2, nothing written)."""
    import yaml
    from typer.testing import CliRunner

    from silkgrid.cli import app

    f = tmp_path / "pw.yaml"
    f.write_text(yaml.safe_dump(pathway(base(), {2040: {"loads": [{"id": "d", "demand_mw": 150.0}]}})))
    out = tmp_path / "out"
    r = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["run", str(f), "--out", str(out), "--report"])
    assert r.exit_code == 0, r.output
    assert (out / "report.html").is_file() and "Report written to" in r.output
    (out / "report.html").unlink()
    r2 = CliRunner().invoke(app, ["report", str(out)])  # the pathway report of an existing directory
    assert r2.exit_code == 0 and (out / "report.html").is_file(), r2.output
    assert "By period" in r.output and "Total cost, present value" in r.output
    assert "2.52 M EUR" in r.output  # 2,525,000 EUR, as computed on paper in test_growing_demand_adds_a_second_vintage
    assert (out / "pathway.json").is_file() and (out / "period-2040" / "summary.json").is_file()
    for extra in (["--counterfactual"], ["--method", "aggregated"], ["--segments", "10"]):
        bad = tmp_path / f"bad{len(extra)}{extra[0][2:5]}"
        r = CliRunner().invoke(app, ["run", str(f), "--out", str(bad), *extra])
        assert r.exit_code == 2 and "pathway" in r.output, r.output
        assert not bad.exists()


@pytest.mark.parametrize("foresight", ["perfect", "myopic"])
def test_decomposed_pathway_matches_the_monolithic_one(foresight):
    """Two weeks of the 2035 and 2040 corridor at 6 h, solved as one LP (simplex) and by Benders over
    (period x 3-day window) subproblems with a proven gap of 0.1 %: the decomposed cost lies within
    that gap of the monolithic optimum, and both build the same kinds of vintages."""
    d = {"pathway": {"periods": [2035, 2040], "years": [5, 5], "foresight": foresight},
         "scenario": {"extends": {"dataset": "corridor"},
                      "time": {"resolution": "6h", "subset": {"start": "01-01", "end": "01-14"}}}}
    for sc_year in (2035, 2040):
        d.setdefault("overrides", {})[sc_year] = {"time": {"subset": {"start": f"{sc_year}-01-01",
                                                                      "end": f"{sc_year}-01-14"}}}
    mono = silkgrid.solve_pathway(d, options={"method": "monolithic", "algorithm": "simplex"})
    dec = silkgrid.solve_pathway(d, options={"method": "decomposed", "gap": 0.001, "window_hours": 72,
                                             "workers": 1})
    assert mono.optimal and dec.optimal, (mono.message, dec.message)
    assert dec.objective_pv_eur == pytest.approx(mono.objective_pv_eur, rel=1.5e-3)  # gap 0.1 % + tolerances
    assert dec.objective_pv_eur >= mono.objective_pv_eur * (1 - 1e-6)  # a feasible plan costs at least the optimum


def test_cited_sources_must_exist():
    """A pathway file's ``sources:`` names ids of the data set's sources.yaml; an unknown id is refused."""
    ok = {**pathway(base()), "sources": {"corridor": ["kz_re_targets"]}}
    assert load_pathway(ok).periods == [2030, 2040]
    with pytest.raises(ScenarioError, match="cites \\['no_such_source'\\]"):
        load_pathway({**pathway(base()), "sources": {"corridor": ["no_such_source"]}})
