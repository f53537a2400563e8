"""``silkgrid compare``: headline metrics of results directories side by side, deltas vs the first.

The results come from the 2-node cases of ``test_counterfactual.py`` solved with
``silkgrid.solve(...).to_dir(tmp)``:

* ``base``: the ``domestic`` case (link built: cost 625 EUR, 0 t, link 62.5 MW);
* ``nolink``: the same without new links (cost 5,000 EUR, 100 t of coal, link 0 MW).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import silkgrid
from silkgrid.analysis import counterfactual_scenario
from silkgrid.analysis.compare import compare_table
from silkgrid.cli import app

from test_counterfactual import domestic, exporting

WIDE = {"COLUMNS": "250"}


def approx(v):
    return pytest.approx(v, rel=1e-6, abs=1e-6)


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    sc = silkgrid.load_scenario(domestic())
    opts = {"method": "simplex"}
    silkgrid.solve(sc, options=opts).to_dir(root / "base")
    silkgrid.solve(counterfactual_scenario(sc), options=opts).to_dir(root / "nolink")
    silkgrid.solve(exporting(), options=opts).to_dir(root / "export")
    return root


def invoke(*args):
    return CliRunner(env=WIDE).invoke(app, ["compare", *map(str, args)])


def test_compare_two_dirs_table_and_csv(dirs):
    r = invoke(dirs / "base", dirs / "nolink")
    assert r.exit_code == 0, r.output
    for text in ("Comparison (deltas vs base)", "Total system cost", "Emissions", "Link capacity AB",
                 "Average price B", "Δ %", "+4.38 k EUR/yr", "+700.0 %", "+100 t CO2"):
        assert text in r.output, text
    csv = dirs / "compare.csv"
    assert f"Comparison written to {csv}" in r.output.replace("\n", "")
    t = pd.read_csv(csv).set_index("metric")
    assert list(t.columns) == ["description", "unit", "base", "nolink", "delta_nolink", "delta_pct_nolink"]
    assert t.loc["status", "base"] == "optimal"
    assert float(t.loc["total_cost_eur", "base"]) == approx(625)
    assert float(t.loc["total_cost_eur", "nolink"]) == approx(5000)
    assert float(t.loc["total_cost_eur", "delta_nolink"]) == approx(4375)
    assert float(t.loc["total_cost_eur", "delta_pct_nolink"]) == approx(700)
    assert float(t.loc["emissions_t", "delta_nolink"]) == approx(100)
    assert pd.isna(t.loc["emissions_t", "delta_pct_nolink"])  # base is 0: no percentage
    assert float(t.loc["link_capacity_mw.AB", "base"]) == approx(62.5)
    assert float(t.loc["link_capacity_mw.AB", "delta_nolink"]) == approx(-62.5)
    assert t.loc["total_cost_eur", "unit"] == "EUR/yr"


def test_compare_three_dirs_union_of_elements_and_csv_option(dirs, tmp_path):
    target = tmp_path / "sub" / "cmp.csv"
    r = invoke(dirs / "base", dirs / "nolink", dirs / "export", "--csv", target)
    assert r.exit_code == 0, r.output
    t = pd.read_csv(target).set_index("metric")
    assert {"delta_export", "delta_pct_export", "delta_nolink"} <= set(t.columns)
    # the market only exists in 'export': n/a in the others, no delta
    assert float(t.loc["market_sales_mwh.RO_market", "export"]) == approx(200)
    assert pd.isna(t.loc["market_sales_mwh.RO_market", "base"])
    assert pd.isna(t.loc["market_sales_mwh.RO_market", "delta_export"])
    assert "Exports to RO_market" in r.output


def test_compare_table_function_and_counterfactual_rows(dirs, tmp_path):
    cf_dir = tmp_path / "withcf"
    silkgrid.solve(domestic(), options={"method": "simplex"}).to_dir(cf_dir)
    (cf_dir / "counterfactual.json").write_text(json.dumps(
        {"co2_avoided_t": 100.0, "cost_difference_eur": -4375.0, "abatement_cost_eur_per_t": -43.75}))
    t = compare_table([dirs / "base", cf_dir]).set_index("metric")
    assert t.loc["counterfactual.co2_avoided_t", "withcf"] == approx(100)
    assert pd.isna(t.loc["counterfactual.co2_avoided_t", "base"])
    assert t.loc["total_cost_eur", "delta_withcf"] == approx(0)
    assert t.loc["total_cost_eur", "delta_pct_withcf"] == approx(0)


def test_compare_non_optimal_result_is_shown_as_missing(dirs, tmp_path):
    d = domestic()
    d["generators"] = d["generators"][:1]
    d["links"][0]["max_capacity_mw"] = 1
    d["unserved_energy"] = {"allowed": False}
    res = silkgrid.solve(d, options={"method": "simplex"})
    assert not res.optimal
    res.to_dir(tmp_path / "bad")
    r = invoke(dirs / "base", tmp_path / "bad", "--csv", tmp_path / "c.csv")
    assert r.exit_code == 0, r.output
    assert "'bad' is not an optimal result" in r.output
    t = pd.read_csv(tmp_path / "c.csv").set_index("metric")
    assert t.loc["status", "bad"] != "optimal" and pd.isna(t.loc["total_cost_eur", "bad"])


def test_compare_bad_input_exit_2(dirs, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "summary.json").write_text("{not json")
    (tmp_path / "adir").mkdir()
    cases = [
        ((dirs / "base",), "at least two results directories"),
        ((dirs / "base", tmp_path / "missing"), "does not exist"),
        ((dirs / "base", tmp_path / "empty"), "holds no summary.json"),
        ((dirs / "base", tmp_path / "broken"), "cannot be read as JSON"),
        ((dirs / "base", dirs / "nolink", "--csv", tmp_path / "adir"), "is a directory"),
    ]
    for args, message in cases:
        r = invoke(*args)
        assert r.exit_code == 2, (args, r.output)
        assert message in r.output.replace("\n", ""), (args, r.output)
        assert "Traceback" not in r.output
    assert invoke().exit_code == 2  # no directory at all: the option parser says so


def test_compare_near_zero_base_and_solver_noise(tmp_path):
    """Solver round-off in summary.json prints as zero, and a relative change from a base below the
    display tolerance (0.05 MW, 0.005 EUR/MWh) is "n/a", not "+71,173,000,000 %"."""
    base = {"status": "optimal", "total_cost_eur": 1000.0, "capacity_mw": {"by_technology": {"solar": 2.81e-6}},
            "average_price_eur_per_mwh": {"A": -0.004}}
    other = {"status": "optimal", "total_cost_eur": 1100.0, "capacity_mw": {"by_technology": {"solar": 2000.0}},
             "average_price_eur_per_mwh": {"A": 0.0}}
    for name, summary in (("a", base), ("b", other)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps(summary))
    t = compare_table([tmp_path / "a", tmp_path / "b"]).set_index("metric")
    assert pd.isna(t.loc["capacity_mw.by_technology.solar", "delta_pct_b"])
    assert t.loc["total_cost_eur", "delta_pct_b"] == approx(10.0)
    r = invoke(tmp_path / "a", tmp_path / "b")
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "Capacity solar" in line)
    assert row.split()[2:] == ["0", "MW", "2,000", "MW", "+2,000", "MW", "n/a"], row
    price = next(line for line in r.output.splitlines() if "Average price A" in line)
    assert "-0.0" not in price and price.split()[3:] == ["0.00", "EUR/MWh", "0.00", "EUR/MWh", "0.00", "EUR/MWh",
                                                          "n/a"], price
    assert "+10.0 %" in r.output
