"""The robustness workflow and ``silkgrid robustness``: cases, rows, summary, bad options."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from silkgrid.cli import app
from silkgrid.workflows.robustness import Case, corridor_cases, run_cases, summarise

runner = CliRunner()


def test_cases_are_the_product_of_weather_years_and_finance():
    cases = corridor_cases(2035, (1, 4), ("low", "high"))
    assert [(c.weather_year, c.finance) for c in cases] == [(1, "low"), (1, "high"), (4, "low"), (4, "high")]
    assert cases[0].scenario() == {"extends": {"dataset": "corridor", "year": 2035, "weather_year": 1,
                                               "finance": "low"}}


def test_summary_counts_built_cables_and_spreads():
    table = pd.DataFrame({"case": list("abcd"), "caspian_mw": [0.0, 500.0, 0.4, np.nan],
                          "black_sea_mw": [1300.0] * 4, "delivered_cost_eur_per_mwh": [70.0, 80.0, 75.0, np.nan],
                          "eu_delivered_twh": [8.0, 9.0, 8.5, np.nan]})
    s = summarise(table)
    assert s["cases"] == 4 and s["solved"] == 3
    assert s["caspian_built_in"] == 1  # 0.4 MW is below BUILT_FLOOR_MW (1 MW): not a cable
    assert s["delivered_cost_eur_per_mwh"] == {"min": 70.0, "median": 75.0, "max": 80.0}


def test_one_corridor_case_row_matches_its_result():
    """One 2035 case at daily snapshots (a few seconds): the row repeats the result's link sizes."""
    case = Case("t", 2035, 2, "high")
    table = run_cases([case], resolution="24h", solver={"method": "monolithic", "algorithm": "clarabel"})
    row = table.iloc[0]
    assert row["verdict"] == "optimal"
    assert row["black_sea_mw"] <= 1300.0 + 1e-6  # the feasibility-study size caps the cable
    assert row["caspian_mw"] >= 0.0 and row["system_cost_eur"] > 0
    assert row["eu_delivered_twh"] > 0 and np.isfinite(row["delivered_cost_eur_per_mwh"])
    assert 0 <= row["cbam_matched_share"] <= 1


@pytest.mark.parametrize("args, field", [
    (["--weather-years", "0,1"], "--weather-years"),
    (["--weather-years", "one"], "--weather-years"),
    (["--finance", "cheap"], "--finance"),
    (["--resolution", "12"], "resolution"),
])
def test_bad_options_exit_2_with_one_paragraph(tmp_path, args, field):
    out = tmp_path / "r"
    result = runner.invoke(app, ["robustness", "--out", str(out), *args])
    assert result.exit_code == 2, result.output
    assert field in result.output and "Traceback" not in result.output
    assert not out.exists()  # nothing written


def test_cli_writes_csv_and_json(tmp_path):
    out = tmp_path / "r"
    result = runner.invoke(app, ["robustness", "--out", str(out), "--weather-years", "1", "--finance", "central",
                                 "--resolution", "24h", "--quiet"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "robustness.csv")
    data = json.loads((out / "robustness.json").read_text())
    assert len(table) == 1 and data["summary"]["cases"] == 1
    assert (out / "cases" / "2035-weather-1-finance-central" / "metrics.json").is_file()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_coarse_corridor_runs_are_warned_with_the_measured_error():
    """12-hour snapshots of a corridor scenario: the measured cost and Caspian-cable error is named."""
    import silkgrid
    from silkgrid.workflows.resolution import MEASURED, resolution_warning

    sc = silkgrid.load_scenario({"extends": "example"})
    assert resolution_warning(sc) is None  # no corridor section: no measured figure applies
    corridor = silkgrid.load_scenario({"extends": "corridor-2035", "time": {"resolution": "12h"}})
    text = resolution_warning(corridor)
    assert "5.0% below" in text and "582 MW smaller" in text and "--resolution 1h" in text
    hourly = corridor.model_copy(update={"time": corridor.time.model_copy(update={"resolution": "1h"})})
    assert resolution_warning(hourly) is None
    assert sorted(MEASURED) == [3, 6, 12, 24]
