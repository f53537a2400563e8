"""Pathway policies with their optimum on paper (issue #17): end of horizon (annuity or salvage), a
CO2 trajectory and its shadow prices, a binding build-rate limit, and the vintage table's invariants.

Same conventions as ``tests/test_pathway.py``: one node, one 1-hour snapshot per year, so a plant of
100 MW running all year makes 100 MWh; periods 2030 and 2040 represent 10 years each.
"""

from __future__ import annotations

import pandas as pd
import pytest

import silkgrid
from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.pathway import load_pathway
from tests.test_pathway import REL, base, built, pathway


def one_period(sc: dict, **opts) -> dict:
    return {"pathway": {"periods": [2030], "years": [10], **opts}, "scenario": sc}


# --- end of horizon ---------------------------------------------------------------------------------

def test_salvage_equals_annuities_without_discounting():
    """Rate 0, lifetime 40, one 10-year period: annuities charge 10 x 1,000 = 10,000 EUR/MW; salvage
    charges the investment 1,000 x 40 = 40,000 EUR/MW less the 30/40 left at 2040 = 10,000 EUR/MW.
    Both: 100 MW x 10,000 + 100 MWh x 10 EUR x 10 yr = 1,010,000 EUR."""
    for mode in ("annuity", "salvage"):
        res = silkgrid.solve_pathway(one_period(base(lifetime=40.0), end_of_horizon=mode))
        assert res.optimal, res.message
        assert res.objective_pv_eur == pytest.approx(1_010_000.0, rel=REL), mode
    v = res.vintages.iloc[0]
    assert v["investment_eur_per_mw"] == pytest.approx(40_000.0, rel=1e-12)
    assert v["salvage_eur_per_mw"] == pytest.approx(30_000.0, rel=1e-12)


def test_salvage_and_annuity_differ_with_discounting():
    """Rate 5 % (social and the plant's), lifetime 40, one 10-year period from 2030.
    Annuity: 1,000 x sum_{t=0..9} 1.05^-t = 1,000 x 8.107822 = 8,107.82 EUR/MW.
    Salvage: I = 1,000 / crf(5 %, 40) = 1,000 x 17.159086 = 17,159.09 EUR/MW in 2030, less
    I x 30/40 = 12,869.31 left in 2040, discounted by 1.05^-10 = 0.613913: 17,159.09 - 7,900.64
    = 9,258.45 EUR/MW.  Straight-line depreciation is faster than the annuity's in the early years,
    so the salvage charge is higher.  Energy: 100 MWh x 10 EUR x 8.107822 = 8,107.82 EUR."""
    w = sum(1.05 ** -t for t in range(10))
    invest = 1000.0 * (1 - 1.05 ** -40) / 0.05
    expect = {"annuity": 100 * 1000.0 * w, "salvage": 100 * (invest - invest * 0.75 * 1.05 ** -10)}
    for mode, capacity in expect.items():
        res = silkgrid.solve_pathway(one_period(base(lifetime=40.0, rate=0.05), end_of_horizon=mode))
        assert res.objective_pv_eur == pytest.approx(capacity + 100 * 10.0 * w, rel=REL), mode
        assert res.vintages.iloc[0]["pv_cost_eur_per_mw"] == pytest.approx(capacity / 100, rel=1e-9)
    assert expect["salvage"] / 100 == pytest.approx(9258.45, abs=0.01)  # the number of the docstring


def test_salvage_charges_a_short_life_once():
    """Lifetime 15, rate 0, periods 2030 and 2040 of 10 years.  The 2030 vintage is alive in both
    periods (2040 < 2045).  Annuities charge it for the 20 years of the two periods (20,000 EUR/MW);
    salvage charges its investment of 15 x 1,000 once, nothing left in 2050 (15,000 EUR/MW).
    Energy 100 MWh x 10 EUR x 20 yr = 20,000 EUR."""
    annuity = silkgrid.solve_pathway(pathway(base(lifetime=15.0)))
    salvage = silkgrid.solve_pathway(pathway(base(lifetime=15.0), end_of_horizon="salvage"))
    assert built(annuity) == built(salvage) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert annuity.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)
    assert salvage.objective_pv_eur == pytest.approx(1_520_000.0, rel=REL)
    assert salvage.vintages.set_index("build_period").loc[2030, "salvage_eur_per_mw"] == 0.0


def test_salvage_with_myopic_foresight_counts_the_whole_horizon():
    """Myopic steps see one period each; the reported cost is still the whole pathway's: with
    nothing to gain from foresight (flat demand, lifetime 40, rate 0) myopic equals perfect, 100 MW
    x (40,000 - 40,000 x 20/40) + 20,000 = 2,020,000 EUR."""
    res = {f: silkgrid.solve_pathway(pathway(base(lifetime=40.0), end_of_horizon="salvage", foresight=f))
           for f in ("perfect", "myopic")}
    for r in res.values():
        assert r.objective_pv_eur == pytest.approx(2_020_000.0, rel=REL)


# --- a CO2 trajectory -------------------------------------------------------------------------------

def co2_case() -> dict:
    """An existing 200 MW coal plant (10 EUR/MWh, 1 t/MWh) and a clean plant at 1,000 EUR/MW/yr
    (2030) or 500 (2040), lifetime 20, no running cost; KZ caps 50 t/yr in 2030 and 0 in 2040."""
    sc = base(lifetime=20.0)
    sc["carriers"].append({"id": "coal", "co2_t_per_mwh_th": 1.0})
    sc["technologies"].append({"id": "coal_plant", "carrier": "coal", "lifetime_years": 40})
    sc["generators"][0]["variable_cost_eur_per_mwh"] = 0.0
    sc["generators"].append({"id": "coal", "node": "A", "technology": "coal_plant", "capacity_mw": 200.0,
                             "variable_cost_eur_per_mwh": 10.0})
    return pathway(sc, {2030: {"policies": {"co2_cap_t_by_country": {"KZ": 50.0}}},
                        2040: {"policies": {"co2_cap_t_by_country": {"KZ": 0.0}},
                               "technologies": [{"id": "plant", "annualised_cost_eur_per_mw_yr": 500.0}]}})


def test_a_co2_trajectory_and_its_shadow_prices():
    """2030: coal may make 50 MWh, so 50 MW of clean plant are built; 2040: none, 50 MW more (the
    cheaper 2040 vintage) join the 2030 one.  Shadow prices, per t of each period's yearly cap:
    2040: one t more saves 1 MW of the 2040 vintage (500 EUR/yr) for 10 EUR of coal: 490 EUR/t.
    2030: one t more saves 1 MW of the 2030 vintage (1,000 x 20 yr = 20,000 EUR), which 2040 then
    builds (500 x 10 = 5,000 EUR), for 10 EUR x 10 yr of coal: 14,900 EUR over the period's 10 years,
    1,490 EUR/t a year.  Cost: 50 x 20,000 + 50 x 5,000 + 50 MWh x 10 EUR x 10 yr = 1,255,000 EUR."""
    res = silkgrid.solve_pathway(co2_case())
    assert res.optimal, res.message
    assert built(res) == {2030: pytest.approx(50.0, rel=REL), 2040: pytest.approx(50.0, rel=REL)}
    assert res.objective_pv_eur == pytest.approx(1_255_000.0, rel=REL)
    by = {p["period"]: p for p in res.summary["by_period"]}
    assert by[2030]["emissions_t"] == pytest.approx(50.0, rel=REL)
    assert by[2040]["emissions_t"] == pytest.approx(0.0, abs=1e-6)
    price = {y: by[y]["co2_caps"][0]["shadow_price_eur_per_t"] for y in (2030, 2040)}
    assert price == {2030: pytest.approx(1490.0, rel=1e-6), 2040: pytest.approx(490.0, rel=1e-6)}


def test_the_report_states_the_co2_price_of_each_cap(tmp_path):
    from silkgrid.report.pathway_page import write_pathway_report

    out = silkgrid.solve_pathway(co2_case()).to_dir(tmp_path / "pw")
    page = write_pathway_report(out).read_text()
    assert "2030 KZ: 1,490 EUR/t" in page and "2040 KZ: 490 EUR/t" in page


# --- build-rate limits ------------------------------------------------------------------------------

def rate_case(mw_per_yr: float = 10.0) -> dict:
    """Load 150 MW in both periods; the plant (1,000 EUR/MW/yr, lifetime 20, 10 EUR/MWh) may be built
    at most ``mw_per_yr`` a year in KZ; a peaker (2,000 EUR/MW/yr, lifetime 10, 10 EUR/MWh) is free to build."""
    sc = base(load_mw=150.0)
    sc["technologies"].append({"id": "peak", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 2000.0,
                               "lifetime_years": 10})
    sc["generators"].append({"id": "peaker", "node": "A", "technology": "peak", "extendable": True,
                             "variable_cost_eur_per_mwh": 10.0})
    return pathway(sc, build_rates=[{"id": "kz_plant", "country": "KZ", "technologies": ["plant"],
                                     "max_mw_per_yr": mw_per_yr}])


def test_a_binding_build_rate_limit():
    """10 MW/yr x 10 years: at most 100 MW of the plant per period.  2030: 100 MW and 50 MW of
    peaker; 2040: 50 MW more of the plant.  Cost: 100 x 1,000 x 20 + 50 x 1,000 x 10 + 50 x 2,000
    x 10 + 150 MWh x 10 EUR x 20 yr = 3,530,000 EUR.  Shadow price of the 2030 row (present EUR per
    MW built): one MW more in 2030 costs 20,000, saves a peaker MW (20,000) and a 2040 MW (10,000):
    10,000 EUR/MW; the 2040 row does not bind (50 of 100 MW)."""
    res = silkgrid.solve_pathway(rate_case())
    assert res.optimal, res.message
    assert built(res) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(50.0, rel=REL)}
    assert built(res, "peaker") == {2030: pytest.approx(50.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert res.objective_pv_eur == pytest.approx(3_530_000.0, rel=REL)
    t = res.build_rates.set_index("period")
    assert t["max_mw"].to_dict() == {2030: 100.0, 2040: 100.0}
    assert t["built_mw"].to_dict() == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(50.0, rel=REL)}
    assert list(t["binding"]) == [True, False]
    assert t.loc[2030, "shadow_price_eur_per_mw"] == pytest.approx(10_000.0, rel=1e-6)
    assert t.loc[2040, "shadow_price_eur_per_mw"] == pytest.approx(0.0, abs=1e-6)


def test_a_loose_build_rate_changes_nothing():
    """At 20 MW/yr (200 MW a period) the plant covers all 150 MW in 2030: 150 x 1,000 x 20 + 30,000."""
    res = silkgrid.solve_pathway(rate_case(20.0))
    assert built(res) == {2030: pytest.approx(150.0, rel=REL), 2040: pytest.approx(0.0, abs=1e-6)}
    assert res.objective_pv_eur == pytest.approx(3_030_000.0, rel=REL)
    assert not res.build_rates["binding"].any()


def test_a_build_rate_needs_a_place():
    bad = rate_case()
    bad["pathway"]["build_rates"][0]["nodes"] = ["A"]
    with pytest.raises(ScenarioError, match="exactly one of 'country' and 'nodes'"):
        load_pathway(bad)


def test_a_build_window_closes_after_its_last_year():
    """The plant may be built up to 2030 only (``last_build_year``); demand grows from 100 to 150 MW;
    the peaker costs 1,500 EUR/MW/yr here (lifetime 10).  Without the window 2040 would build 50 MW of
    plant (1,000 x 10 = 10,000 EUR/MW).  With it, building those 50 MW early in 2030 would cost
    1,000 x 20 = 20,000 EUR/MW, the peaker 15,000: the 2030 vintage (100 MW) lives on and the peaker
    adds 50 MW in 2040.  Cost: 100 x 1,000 x 20 + 50 x 1,500 x 10 + (100 + 150) MWh x 10 EUR x 10 yr
    = 2,000,000 + 750,000 + 25,000 = 2,775,000 EUR.  Keyed by the element's id it closes the same."""
    def case(window: dict | None) -> dict:
        c = rate_case(1e6)
        c["pathway"].pop("build_rates")
        c["scenario"]["technologies"][-1]["annualised_cost_eur_per_mw_yr"] = 1500.0
        c["overrides"] = {2030: {"loads": [{"id": "d", "demand_mw": 100.0}]}}
        if window:
            c["pathway"]["last_build_year"] = window
        return c

    open_ = silkgrid.solve_pathway(case(None))
    assert built(open_) == {2030: pytest.approx(100.0, rel=REL), 2040: pytest.approx(50.0, rel=REL)}
    for window in ({"plant": 2030}, {"new": 2030}):
        res = silkgrid.solve_pathway(case(window))
        assert res.optimal, res.message
        assert built(res) == {2030: pytest.approx(100.0, rel=REL)}  # no 2040 vintage exists at all
        assert built(res, "peaker") == {2030: pytest.approx(0.0, abs=1e-6), 2040: pytest.approx(50.0, rel=REL)}
        assert res.objective_pv_eur == pytest.approx(2_775_000.0, rel=REL)
        assert res.check_vintages() == []


# --- the vintage table's invariants -----------------------------------------------------------------

def test_vintage_table_invariants_on_a_retiring_fleet():
    """An existing 100 MW plant retires before 2040 and demand grows: every period's capacity is its
    existing fleet plus the vintages alive in it, nothing is counted twice or negative, and the
    retired plant holds nothing in 2040."""
    old = {"id": "old_plant", "node": "A", "technology": "old", "capacity_mw": 100.0,
           "variable_cost_eur_per_mwh": 5.0}
    res = silkgrid.solve_pathway(pathway(base(load_mw=120.0, lifetime=15.0, gens=[old]), {2040: {
        "generators": [{"id": "old_plant", "capacity_mw": 0.0}], "loads": [{"id": "d", "demand_mw": 180.0}]}}))
    assert res.optimal, res.message
    fleet = res.fleet_by_period()
    assert res.check_vintages() == []
    by = fleet.set_index(["period", "id"])
    assert by.loc[(2040, "old_plant"), "total_mw"] == 0.0  # retirement honoured
    assert by.loc[(2030, "new"), "new_mw"] == pytest.approx(20.0, rel=REL)
    assert by.loc[(2040, "new"), "total_mw"] == pytest.approx(180.0, rel=REL)
    assert (fleet[["existing_mw", "new_mw", "total_mw"]] >= 0).all().all()
    assert not res.vintages.duplicated(["kind", "id", "build_period"]).any()
    # a corrupted table is caught: a vintage counted twice
    res.vintages = pd.concat([res.vintages, res.vintages.iloc[:1]], ignore_index=True)
    assert any("twice" in p for p in res.check_vintages())


# --- the packaged corridor pathways -----------------------------------------------------------------

def test_packaged_corridor_pathways_reach_2060():
    """Both packaged pathways run 2030-2060 in seven 5-year periods on the corridor data set of each
    year (technology values held at 2050 after it); Kazakhstan's renewable shares follow the sourced
    targets (15 % 2030, 50 % 2050, 80 % 2060, linear between); the coal fleet is gone from 2050;
    only the neutral variant caps Kazakh CO2 in 2060 (at zero) and lifts the heat-led CHP must-run then."""
    from silkgrid.scenario.pathway import available_pathways

    assert {"corridor-pathway", "corridor-pathway-neutral"} <= set(available_pathways())
    spec = load_pathway("corridor-pathway-neutral")
    assert spec.periods == [2030, 2035, 2040, 2045, 2050, 2055, 2060]
    assert spec.options.period_years() == [5] * 7
    shares = [sc.policies.min_renewable_share.get("KZ") for sc in spec.scenarios]
    assert shares == pytest.approx([0.15, 0.2375, 0.325, 0.4125, 0.50, 0.65, 0.80])
    assert [sc.policies.co2_cap_t_by_country for sc in spec.scenarios] == [{}] * 6 + [{"KZ": 0.0}]
    coal = [sum(g.capacity_mw for g in sc.generators if g.technology == "coal_existing") for sc in spec.scenarios]
    assert coal[0] > 10_000 and coal[4:] == [0.0, 0.0, 0.0]
    chp = {g.id: g.min_output for g in spec.scenarios[-1].generators if g.id == "KZ_S_gas_almaty_chp"}
    assert chp == {"KZ_S_gas_almaty_chp": 0.0}


def test_cli_prints_the_co2_price_and_reruns_into_its_directory(tmp_path):
    """The per-period table has the caps' CO2 prices; running again into the same pathway directory
    replaces it (it is recognised by its pathway.json), as for a single result."""
    import yaml
    from typer.testing import CliRunner

    from silkgrid.cli import app

    f = tmp_path / "co2.yaml"
    f.write_text(yaml.safe_dump(co2_case()))
    out = tmp_path / "out"
    for _ in range(2):
        r = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["run", str(f), "--out", str(out)])
        assert r.exit_code == 0, r.output
    assert "CO2 price of the caps" in r.output and "KZ 1,490 EUR/t" in r.output and "KZ 490 EUR/t" in r.output
