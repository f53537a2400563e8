"""Hand-checked optima of the build-limit, market-depth and per-element money blocks.

Same conventions as ``test_formulation.py``: ``annualise: false`` (one snapshot = 1 h of the
horizon), simplex solutions, ``rel=1e-6`` with a 1e-6 absolute floor (the LP is solved in
GW/GWh/MEUR at feasibility tolerances of 1e-7).
"""

from __future__ import annotations

import pytest

import silkgrid
import silkgrid.analysis
from silkgrid.core.errors import ScenarioError
from tests.test_formulation import annuity, approx, gen_table, load, scenario, solve, thermal


# ----------------------------------------------------------------------------------------
# build limits
# ----------------------------------------------------------------------------------------
def two_node_pv(limit_mw: float | None, technologies=("pv",)) -> dict:
    """Nodes A and B in country KZ (lossless 1 GW link), demand 100 MW at A for 2 h, fuel at 50 EUR/MWh.

    Candidate PV at A costs 10 EUR/MW per horizon, at B 30 EUR/MW (availability 1): without a
    limit PV at A covers everything (100 MW, cost 1,000 EUR).  A build limit of ``limit_mw`` on
    new PV in KZ caps A + B together.
    """
    pol = None
    if limit_mw is not None:
        pol = {"build_limits": [{"id": "kz_pv", "country": "KZ", "technologies": list(technologies),
                                 "max_new_mw": limit_mw, "note": "hand test"}]}
    return scenario(
        2, nodes=(("A", "KZ"), ("B", "KZ")),
        technologies=[{"id": "pv_a", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 10.0},
                      {"id": "pv_b", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 30.0}],
        generators=[thermal("gas", "A", 1000, 50.0),
                    {"id": "pv_a", "node": "A", "technology": "pv", "extendable": True, "max_capacity_mw": 60},
                    {"id": "pv_b", "node": "B", "technology": "pv", "extendable": True}],
        links=[{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 1000}],
        loads=[load("d", "A", 100.0)], policies=pol)


def _pv_costs(d: dict) -> dict:
    # the 'pv' technology of the helper has no cost: give each PV its own annualised cost
    d["technologies"] = [t for t in d["technologies"] if t["id"] != "pv"] + [
        {"id": "pv", "carrier": "sun", "annualised_cost_eur_per_mw_yr": 0.0}]
    for g, tech in (("pv_a", "pv_a"), ("pv_b", "pv_b")):
        next(x for x in d["generators"] if x["id"] == g)["technology"] = tech
    return d


def test_build_limit_binds_across_nodes_of_a_country():
    """PV at A (10 EUR/MW, at most 60 MW) then PV at B (30 EUR/MW) beat gas (2 h x 50 = 100 EUR/MW).

    Without a limit: 60 MW at A + 40 MW at B, cost 600 + 1,200 = 1,800 EUR.  With a country limit of
    80 MW on both PV technologies: 60 at A + 20 at B, the last 20 MW from gas for 2 h = 2,000 EUR;
    cost 600 + 600 + 2,000 = 3,200 EUR.  Shadow price of the limit: gas 100 - PV at B 30 = 70 EUR/MW.
    """
    free = solve(_pv_costs(two_node_pv(None)))
    assert free.objective == approx(1800.0)
    capped = solve(_pv_costs(two_node_pv(80.0, technologies=("pv_a", "pv_b"))))
    g = gen_table(capped)
    assert capped.objective == approx(3200.0)
    assert g.loc["pv_a", "new_mw"] == approx(60.0)
    assert g.loc["pv_b", "new_mw"] == approx(20.0)
    lim = capped.tables["build_limits"].set_index("id").loc["kz_pv"]
    assert lim["max_new_mw"] == approx(80.0) and lim["built_new_mw"] == approx(80.0) and lim["binding"]
    assert lim["shadow_price_eur_per_mw_yr"] == approx(70.0)


def test_build_limit_covers_only_its_technologies_and_nodes():
    """A limit on 'pv_b' at node B only leaves A free: 60 at A, then min(limit, 40) at B."""
    d = _pv_costs(two_node_pv(None))
    d["policies"] = {"build_limits": [{"id": "b", "nodes": ["B"], "technologies": ["pv_b"], "max_new_mw": 10}]}
    res = solve(d)
    g = gen_table(res)
    assert g.loc["pv_a", "new_mw"] == approx(60.0) and g.loc["pv_b", "new_mw"] == approx(10.0)
    assert res.objective == approx(600 + 300 + 30 * 2 * 50)


def test_build_limit_decomposed_equals_monolithic():
    """The limit is a master row of the decomposed method: same optimum as the monolithic LP."""
    d = _pv_costs(two_node_pv(80.0, technologies=("pv_a", "pv_b")))
    d["time"] = {"hours": 48, "annualise": False}
    mono = silkgrid.solve(d, options={"method": "monolithic", "algorithm": "simplex"})
    dec = silkgrid.solve(d, options={"method": "decomposed", "window_hours": 12, "gap": 1e-6,
                                     "warm_start": False})
    assert mono.optimal and dec.has_plan
    assert dec.objective == pytest.approx(mono.objective, rel=1e-5)  # the decomposed gap is 1e-6
    assert dec.tables["build_limits"]["built_new_mw"].iloc[0] == pytest.approx(80.0, rel=1e-5)


@pytest.mark.parametrize("limit, field", [
    ({"id": "x", "country": "XX", "technologies": ["pv"], "max_new_mw": 1}, "country"),
    ({"id": "x", "nodes": ["Q"], "technologies": ["pv"], "max_new_mw": 1}, "nodes[0]"),
    ({"id": "x", "country": "KZ", "technologies": ["nuclear"], "max_new_mw": 1}, "technologies[0]"),
])
def test_build_limit_bad_reference_names_the_field(limit, field):
    d = two_node_pv(None)
    d["policies"] = {"build_limits": [limit]}
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(d)
    assert f"policies.build_limits[0].{field}" in str(exc.value)


def test_build_limit_needs_exactly_one_of_country_and_nodes():
    d = two_node_pv(None)
    d["policies"] = {"build_limits": [{"id": "x", "country": "KZ", "nodes": ["A"], "technologies": ["pv"],
                                       "max_new_mw": 1}]}
    with pytest.raises(ScenarioError, match="exactly one of 'country' and 'nodes'"):
        silkgrid.load_scenario(d)


# ----------------------------------------------------------------------------------------
# market depth
# ----------------------------------------------------------------------------------------
def depth_market(steps, export_mw=300.0, import_mw=300.0) -> dict:
    """One node, gas 1,000 MW at 10 EUR/MWh, no demand, a market at 50 EUR/MWh for 1 h."""
    return scenario(1, generators=[thermal("gas", "A", 1000, 10.0)],
                    markets=[{"id": "m", "node": "A", "price_eur_per_mwh": 50.0, "export_capacity_mw": export_mw,
                              "import_capacity_mw": import_mw, "depth_steps": steps}])


def test_market_depth_steps_price_sales_block_by_block():
    """Steps 100 MW at -0, 100 MW at -20, then the rest of the 300 MW at -35 (last step's offset
    beyond the listed steps: capacity 300 > 100 + 100 + 50 listed).

    Selling earns 50, 30, 15 EUR/MWh per block against a fuel cost of 10: all 300 MW sell.
    Revenue 100 x 50 + 100 x 30 + 100 x 15 = 9,500 EUR; objective = 3,000 - 9,500 = -6,500 EUR.
    """
    res = solve(depth_market([{"mw": 100, "price_offset_eur_per_mwh": 0},
                              {"mw": 100, "price_offset_eur_per_mwh": 20},
                              {"mw": 50, "price_offset_eur_per_mwh": 35}]))
    m = res.tables["markets"].set_index("id").loc["m"]
    assert m["sold_mwh"] == approx(300.0)
    assert m["revenue_eur"] == approx(9500.0)
    assert res.objective == approx(-6500.0)


def test_market_depth_stops_selling_below_marginal_cost():
    """A third block at -45 (5 EUR/MWh) is below the 10 EUR/MWh fuel cost: only 200 MW sell."""
    res = solve(depth_market([{"mw": 100, "price_offset_eur_per_mwh": 0},
                              {"mw": 100, "price_offset_eur_per_mwh": 20},
                              {"mw": 100, "price_offset_eur_per_mwh": 45}]))
    m = res.tables["markets"].set_index("id").loc["m"]
    assert m["sold_mwh"] == approx(200.0)
    assert res.objective == approx(2000.0 - 8000.0)


def test_market_depth_purchases_pay_price_plus_offset():
    """Demand 250 MW, no generator: buys 100 at 50, 100 at 60, 50 at 80 EUR/MWh = 15,000 EUR."""
    d = scenario(1, loads=[load("d", "A", 250.0)],
                 markets=[{"id": "m", "node": "A", "price_eur_per_mwh": 50.0, "import_capacity_mw": 400,
                           "depth_steps": [{"mw": 100, "price_offset_eur_per_mwh": 0},
                                           {"mw": 100, "price_offset_eur_per_mwh": 10},
                                           {"mw": 200, "price_offset_eur_per_mwh": 30}]}])
    res = solve(d)
    assert res.objective == approx(15000.0)
    assert res.tables["markets"].set_index("id").loc["m", "revenue_eur"] == approx(-15000.0)
    assert res.hourly["price_eur_per_mwh"]["A"].iloc[0] == approx(80.0)


def test_market_depth_offsets_must_not_fall():
    with pytest.raises(ScenarioError, match="must not decrease"):
        silkgrid.load_scenario(depth_market([{"mw": 100, "price_offset_eur_per_mwh": 20},
                                             {"mw": 100, "price_offset_eur_per_mwh": 5}]))


# ----------------------------------------------------------------------------------------
# cost of capital per element, grants
# ----------------------------------------------------------------------------------------
def test_element_discount_rate_and_grant_share():
    """Two nodes, demand 100 MW at B for 1 h; gas at A (10 EUR/MWh) reaches B only over an
    extendable link (capex 1,000 EUR/MW, 10 yr, no O&M) with the link's own rate 10 % and a
    30 % grant: cost per MW = 0.7 x 1,000 x annuity(0.10, 10) = 113.92 EUR/MW per horizon (the
    scenario rate 5 % would give 129.50 x 0.7).  Objective = 100 x 113.92 + 100 x 10."""
    d = scenario(1, nodes=(("A", "KZ"), ("B", "AZ")), discount_rate=0.05,
                 generators=[thermal("gas", "A", 1000, 10.0)],
                 links=[{"id": "ab", "from_node": "A", "to_node": "B", "extendable": True,
                         "capex_eur_per_mw": 1000.0, "lifetime_years": 10, "discount_rate": 0.10,
                         "grant_share": 0.3}],
                 loads=[load("d", "B", 100.0)])
    res = solve(d)
    per_mw = 0.7 * 1000.0 * annuity(0.10, 10)
    assert res.objective == approx(100 * per_mw + 1000.0)
    costs = silkgrid.analysis.cost_components(res)
    link = costs.set_index("id").loc["ab"]
    assert link["annualised_capex_eur"] == approx(100 * per_mw)
    assert costs["total_eur"].sum() == approx(res.total_cost_eur)


def test_generator_discount_rate_overrides_scenario_rate():
    """Extendable gas (capex 1 EUR/kW, 20 yr) with its own rate 15 % serves 50 MW for 1 h:
    objective = 50 MW x 1,000 EUR/MW x annuity(0.15, 20) + 50 x 5 (the scenario's 3 % would give
    50 x 1,000 x 0.0672 + 250)."""
    d = scenario(1, discount_rate=0.03,
                 technologies=[{"id": "gt", "carrier": "fuel", "capex_eur_per_kw": 1.0, "lifetime_years": 20}],
                 generators=[{"id": "g", "node": "A", "technology": "gt", "extendable": True,
                              "variable_cost_eur_per_mwh": 5.0, "discount_rate": 0.15}],
                 loads=[load("d", "A", 50.0)])
    res = solve(d)
    assert res.objective == approx(50 * 1_000 * annuity(0.15, 20) + 250.0)


def test_cli_headline_names_the_binding_build_limit(tmp_path):
    """`silkgrid run` prints the limits that bind with their value (70 EUR/MW, see above)."""
    import yaml
    from typer.testing import CliRunner

    from silkgrid.cli import app
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_pv_costs(two_node_pv(80.0, technologies=("pv_a", "pv_b")))))
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["run", str(path), "--out", str(tmp_path / "out"),
                                                            "--algorithm", "simplex"])
    assert result.exit_code == 0, result.output
    assert "Build limits that bind (1 of 1)" in result.stdout
    assert "kz_pv" in result.stdout and "70 EUR/MW/yr" in result.stdout
