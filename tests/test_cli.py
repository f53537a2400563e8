"""The ``silkgrid`` command line: run / validate / info, outputs and exit codes."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from silkgrid import cli
from silkgrid.report import formatting
from silkgrid.cli import app
from silkgrid.scenario.loader import available_datasets

HOURS = 24
SOLAR = [0, 0, 0, 0, 0, 0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.9, 0.85, 0.75, 0.6, 0.4, 0.2, 0.05, 0, 0, 0, 0, 0]
DEMAND_B = [300 + 10 * (h % 12) for h in range(HOURS)]

TABLES = ("generators", "storage", "links", "nodes", "markets", "co2_caps")
HOURLY = ("generation_mw", "curtailment_mw", "storage_charge_mw", "storage_discharge_mw",
          "storage_energy_mwh", "link_flow_mw", "link_losses_mw", "unserved_mw", "market_sales_mw",
          "price_eur_per_mwh")


def scenario_dict() -> dict:
    """Two nodes, solar + gas + battery + a link + a market; solves in well under a second."""
    return {
        "name": "cli-test",
        "time": {"start": "2030-06-01 00:00", "hours": HOURS},
        "nodes": [{"id": "KZ", "country": "KZ"}, {"id": "UZ", "country": "UZ"}],
        "carriers": [{"id": "solar", "renewable": True},
                     {"id": "gas", "co2_t_per_mwh_th": 0.2, "fuel_cost_eur_per_mwh_th": 30},
                     {"id": "electricity"}],
        "technologies": [
            {"id": "solar_pv", "carrier": "solar", "capex_eur_per_kw": 500, "lifetime_years": 25},
            {"id": "ccgt", "carrier": "gas", "capex_eur_per_kw": 900, "efficiency": 0.55},
            {"id": "battery", "carrier": "electricity", "capex_eur_per_kw": 150,
             "energy_capex_eur_per_kwh": 200, "lifetime_years": 15},
        ],
        "generators": [
            {"id": "KZ_solar", "node": "KZ", "technology": "solar_pv", "capacity_mw": 100, "extendable": True,
             "max_capacity_mw": 3000, "availability": "profiles.csv#solar_KZ"},
            {"id": "UZ_gas", "node": "UZ", "technology": "ccgt", "capacity_mw": 600},
        ],
        "storage": [{"id": "KZ_battery", "node": "KZ", "technology": "battery", "extendable_power": True,
                     "max_hours": 4, "efficiency_charge": 0.95, "efficiency_discharge": 0.95}],
        "links": [{"id": "KZ_UZ", "from_node": "KZ", "to_node": "UZ", "capacity_mw": 200, "extendable": True,
                   "length_km": 500, "capex_eur_per_mw_km": 400, "efficiency": 0.97}],
        "loads": [{"id": "KZ_load", "node": "KZ", "demand_mw": 250},
                  {"id": "UZ_load", "node": "UZ", "demand_mw": DEMAND_B}],
        "markets": [{"id": "UZ_export", "node": "UZ", "price_eur_per_mwh": 40, "export_capacity_mw": 100}],
        "policies": {"co2_price_eur_per_t": 50, "co2_cap_t_by_country": {"UZ": 5.0e6}},
    }


def write_scenario(folder: Path, data: dict | None = None, name: str = "scenario.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"solar_KZ": SOLAR}).to_csv(folder / "profiles.csv", index=False)
    path = folder / name
    path.write_text(yaml.safe_dump(data if data is not None else scenario_dict(), sort_keys=False))
    return path


#: Wide enough that no table column is abbreviated (pytest-xdist workers set COLUMNS=80).
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env=WIDE)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    return write_scenario(tmp_path / "in")


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, object]:
    """One run shared by the output checks."""
    root = tmp_path_factory.mktemp("solved")
    path = write_scenario(root / "in")
    out = root / "results" / "run1"
    result = CliRunner(env=WIDE).invoke(app, ["run", str(path), "--out", str(out)])
    return out, result


# ----------------------------------------------------------------------------------------
# run: outputs
# ----------------------------------------------------------------------------------------
def test_run_exit_code_and_headline(solved):
    out, result = solved
    assert result.exit_code == 0, result.output
    text = result.stdout
    for needle in ("Status", "optimal", "Total system cost", "EUR/yr", "Generation", "Curtailment",
                   "Unserved energy", "Emissions", "CO2 price", "Problem size", "variables",
                   "solar_pv", "ccgt", "battery", "KZ_UZ", "Existing MW", "New MW", "Total MW",
                   "Nodal prices", "EUR/MWh", "Results written to"):
        assert needle in text, needle
    # progress of the stages goes to stderr
    for stage in ("load scenario", "build model", "solve", "write results"):
        assert stage in result.stderr
    assert "Traceback" not in result.output


def test_run_summary_json(solved):
    out, result = solved
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "optimal"
    assert summary["objective_eur"] > 0
    assert summary["total_cost_eur"] >= summary["objective_eur"]
    caps = summary["capacity_mw"]
    assert set(caps["by_technology"]) == {"solar_pv", "ccgt", "battery"}
    assert caps["by_technology"]["ccgt"] == pytest.approx(600)
    assert caps["by_technology"]["solar_pv"] >= 100
    assert set(caps["by_node"]) == {"KZ", "UZ"}
    assert caps["by_node"]["UZ"]["ccgt"] == pytest.approx(600)
    new = summary["new_capacity_mw"]["by_technology"]
    assert set(new) == {"solar_pv", "ccgt", "battery"}  # storage power included, as in capacity_mw
    assert new["ccgt"] == pytest.approx(0, abs=1e-6)
    assert new["battery"] == pytest.approx(caps["by_technology"]["battery"])
    assert "link_capacity_mw" in summary and "new_link_capacity_mw" in summary
    assert summary["generation_mwh"]["total"] > 0
    assert set(summary["generation_mwh"]["by_technology"]) == {"solar_pv", "ccgt"}
    assert summary["curtailment_mwh"]["total"] >= 0
    assert summary["unserved_energy_mwh"] == pytest.approx(0, abs=1e-3)
    assert summary["emissions_t"] > 0
    assert summary["co2_price_eur_per_t"] == 50
    assert "co2_shadow_price_eur_per_t" in summary
    assert set(summary["average_price_eur_per_mwh"]) == {"KZ", "UZ"}
    solver = summary["solver"]
    for key in ("build_seconds", "solve_seconds", "variables", "constraints"):
        assert isinstance(solver[key], (int, float)), key
    assert solver["variables"] > 0 and solver["constraints"] > 0
    assert summary["snapshots"]["count"] == HOURS


def test_run_parquet_tables_readable(solved):
    out, _ = solved
    gen = pd.read_parquet(out / "generators.parquet")
    assert list(gen["id"]) == ["KZ_solar", "UZ_gas"]
    for col in ("node", "country", "technology", "carrier", "existing_mw", "new_mw", "total_mw",
                "generation_mwh", "curtailment_mwh", "emissions_t", "capacity_factor"):
        assert col in gen.columns
    for name in TABLES:
        assert (out / f"{name}.parquet").is_file(), name
        pd.read_parquet(out / f"{name}.parquet")
    for name in HOURLY:
        df = pd.read_parquet(out / f"{name}.parquet")
        assert len(df) == HOURS, name
        assert df.index.name == "snapshot"
    assert list(pd.read_parquet(out / "generation_mw.parquet").columns) == ["KZ_solar", "UZ_gas"]
    assert not list(out.glob("*.csv"))  # CSV only on request
    # nothing else left next to the results (temporary directories are cleaned up)
    assert sorted(p.name for p in out.parent.iterdir()) == ["run1"]


def test_run_csv(runner, scenario_file, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "--csv", "--quiet"])
    assert result.exit_code == 0, result.output
    parquet = {p.stem for p in out.glob("*.parquet")} - {"scenario_profiles"}  # the solved scenario's inputs
    csvs = {p.stem for p in out.glob("*.csv")}
    assert parquet and csvs == parquet
    gen = pd.read_csv(out / "generators.csv")
    assert list(gen.columns) == list(pd.read_parquet(out / "generators.parquet").columns)  # no index column
    hourly = pd.read_csv(out / "generation_mw.csv", index_col="snapshot", parse_dates=True)
    assert list(hourly.columns) == ["KZ_solar", "UZ_gas"] and len(hourly) == HOURS
    assert "Total system cost" not in result.stdout  # --quiet: no tables


def test_run_solver_and_resolution_options(runner, scenario_file, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "--method", "simplex",
                                 "--crossover", "--threads", "1", "--time-limit", "60",
                                 "--resolution", "3h"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["solver"]["algorithm"] == "simplex"  # legacy --method value names the algorithm
    assert summary["solver"]["method"] == "monolithic"
    assert summary["solver"]["gap"] == 0.0
    assert summary["solver"]["crossover"] is True
    assert summary["snapshots"]["count"] == HOURS // 3
    assert len(pd.read_parquet(out / "generation_mw.parquet")) == HOURS // 3


def test_run_replaces_previous_results(runner, scenario_file, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "-q"]).exit_code == 0
    (out / "stale.parquet").write_text("old")
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "-q", "--resolution", "2h"])
    assert result.exit_code == 0, result.output
    assert not (out / "stale.parquet").exists()
    assert json.loads((out / "summary.json").read_text())["snapshots"]["count"] == HOURS // 2


def test_run_refuses_to_replace_foreign_directory(runner, scenario_file, tmp_path):
    out = tmp_path / "mydocs"
    out.mkdir()
    (out / "thesis.txt").write_text("precious")
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "--force", "-q"])
    assert result.exit_code == 0, result.output
    assert (out / "summary.json").is_file() and not (out / "thesis.txt").exists()


def test_run_out_is_a_file(runner, scenario_file, tmp_path):
    target = tmp_path / "results.txt"
    target.write_text("keep me")
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(target)])
    assert result.exit_code == 2
    assert "--out" in result.stderr and "not a directory" in result.stderr
    assert target.read_text() == "keep me"
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(target / "sub")])
    assert result.exit_code == 2
    assert target.read_text() == "keep me"


def test_run_out_must_not_contain_the_scenario(runner, tmp_path):
    path = write_scenario(tmp_path / "proj")
    (tmp_path / "proj" / "summary.json").write_text("{}")
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "proj")])
    assert result.exit_code == 2
    assert "inside the output directory" in result.stderr
    assert path.is_file()


def test_run_bad_options(runner, scenario_file, tmp_path):
    out = tmp_path / "out"
    for args in (["--resolution", "3x"], ["--resolution", "0h"], ["--method", "magic"],
                 ["--threads", "-1"], ["--time-limit", "0"]):
        result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert not out.exists()


def test_run_infeasible_writes_summary_and_exits_1(runner, tmp_path):
    data = scenario_dict()
    data["unserved_energy"] = {"allowed": False}
    data["generators"][0]["extendable"] = False
    data["storage"] = []
    data["links"][0]["extendable"] = False
    data["markets"] = []
    path = write_scenario(tmp_path / "in", data)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "infeasible" in result.stderr.lower()
    assert "Traceback" not in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert "infeasible" in summary["message"].lower()
    assert summary["objective_eur"] is None
    assert summary["solver"]["variables"] > 0


def test_run_unexpected_error_exit_3(runner, scenario_file, tmp_path, monkeypatch):
    api = importlib.import_module("silkgrid.results.api")

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(api, "solve_scenario", boom)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out)])
    assert result.exit_code == 3
    assert "kaboom" in result.stderr and "Traceback" not in result.output
    assert cli.DEBUG_ENV in result.stderr
    assert not out.exists()
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out)])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr


# ----------------------------------------------------------------------------------------
# validate and info
# ----------------------------------------------------------------------------------------
def test_validate_ok(runner, scenario_file):
    result = runner.invoke(app, ["validate", str(scenario_file)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "OK" in text
    for needle in ("2 nodes", "2 generators", "1 storage", "1 links", "2 loads", "1 markets",
                   f"{HOURS} snapshots"):
        assert needle in text, needle
    result = runner.invoke(app, ["validate", str(scenario_file), "--resolution", "4h"])
    assert result.exit_code == 0
    assert f"{HOURS // 4} snapshots at 4h" in result.stdout


def test_validate_resolution_from_file_counts(runner, tmp_path):
    data = scenario_dict()
    data["time"]["resolution"] = "6h"
    path = write_scenario(tmp_path / "in", data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"{HOURS // 6} snapshots at 6h" in result.stdout


def test_validate_accepts_unquoted_dates(runner, tmp_path):
    """YAML reads an unquoted 2030-06-01 as a date object; the loader takes it as text."""
    path = write_scenario(tmp_path / "in")
    text = path.read_text().replace("start: 2030-06-01 00:00", "start: 2030-06-01")
    text += "\n".join(["", "unserved_energy: {allowed: true}"])
    path.write_text(text.replace("hours: 24", "hours: 24\n  subset: {start: 2030-06-01, end: 2030-06-01}"))
    assert yaml.safe_load(path.read_text())["time"]["subset"]["start"].__class__.__name__ == "date"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{HOURS} snapshots" in result.stdout


def test_info(runner, scenario_file):
    result = runner.invoke(app, ["info", str(scenario_file)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for needle in ("cli-test", "KZ", "UZ", "solar_pv", "ccgt", "battery", "generator", "storage",
                   "KZ_UZ", "2030-06-01 00:00", f"{HOURS} h", "Existing MW", "600", "UZ_export"):
        assert needle in text, needle


def test_info_bad_input(runner, tmp_path):
    result = runner.invoke(app, ["info", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr and "Traceback" not in result.output


def test_default_dataset(runner, tmp_path):
    assert cli.DEFAULT_DATASET.partition("-")[0] in available_datasets()  # corridor-2035: the corridor data set
    result = runner.invoke(app, ["validate", cli.DEFAULT_DATASET])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "Nodes" in result.stdout
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--out", str(out), "--resolution", "24h", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["status"] == "optimal"


def test_version_and_help(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("silkgrid ")
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for opt in ("--out", "--csv", "--method", "--algorithm", "--gap", "--window-hours", "--workers", "--segments",
                "--crossover", "--time-limit", "--threads", "--resolution"):
        assert opt in result.stdout


@pytest.mark.parametrize(("func", "value", "text"), [
    (formatting.fmt_eur_per_yr, 1.234e9, "1.23 bn EUR/yr"),
    (formatting.fmt_eur_per_yr, 456.7e6, "457 M EUR/yr"),
    (formatting.fmt_eur_per_yr, 12.5e3, "12.5 k EUR/yr"),
    (formatting.fmt_eur_per_yr, None, "n/a"),
    (formatting.fmt_energy, 8.712e6, "8.71 TWh"),
    (formatting.fmt_energy, 77_106.0, "77.1 GWh"),
    (formatting.fmt_energy, 5.0, "5.00 MWh"),
    (formatting.fmt_emissions, 1.17e6, "1.17 Mt CO2"),
    (formatting.fmt_emissions, 3_400.0, "3.40 kt CO2"),
    (formatting.fmt_mw, float("inf"), "unlimited"),
    (formatting.fmt_mw, 2078.35, "2,078"),
])
def test_formatting(func, value, text):
    assert func(value) == text


# ----------------------------------------------------------------------------------------
# the installed entry points, in a real subprocess
# ----------------------------------------------------------------------------------------
def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != cli.DEBUG_ENV}
    src = str(Path(cli.__file__).resolve().parents[2])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_subprocess_python_m(scenario_file, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "silkgrid", "run", str(scenario_file), "--out", str(out)],
                          capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Total system cost" in proc.stdout
    assert json.loads((out / "summary.json").read_text())["status"] == "optimal"

    bad = scenario_file.with_name("bad.yaml")
    data = scenario_dict()
    data["links"][0]["to_node"] = "TM"
    bad.write_text(yaml.safe_dump(data))
    proc = subprocess.run([sys.executable, "-m", "silkgrid", "run", str(bad), "--out", str(out)],
                          capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.returncode == 2
    assert "links[0].to_node" in proc.stderr and "unknown node 'TM'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_subprocess_console_script(scenario_file):
    script = Path(sys.executable).with_name("silkgrid")
    if not script.is_file():
        pytest.skip("console script not installed (pip install -e .)")
    proc = subprocess.run([str(script), "validate", str(scenario_file)], capture_output=True, text=True,
                          env=_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "OK" in proc.stdout


def test_run_decomposed_reports_bounds(runner, scenario_file, tmp_path):
    out = tmp_path / "dec"
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(out), "--method", "decomposed",
                                 "--gap", "0.001", "--window-hours", "24", "--workers", "1"])
    assert result.exit_code == 0, result.output
    solver = json.loads((out / "summary.json").read_text())["solver"]
    assert solver["method"] == "decomposed"
    assert solver["gap"] <= 0.001
    assert solver["lower_bound"] <= solver["upper_bound"]
    assert solver["decomposition"]["window_hours"] == 24
    assert "proven gap" in result.stdout
    mono = tmp_path / "mono"
    assert runner.invoke(app, ["run", str(scenario_file), "--out", str(mono), "--method", "monolithic",
                               "--algorithm", "simplex"]).exit_code == 0
    exact = json.loads((mono / "summary.json").read_text())["objective_eur"]
    assert solver["lower_bound"] <= exact * (1 + 1e-6) + 1e-3
    assert solver["upper_bound"] >= exact * (1 - 1e-6) - 1e-3
    assert json.loads((out / "summary.json").read_text())["objective_eur"] == pytest.approx(exact, rel=1e-3)


def test_run_stopped_decomposed_writes_feasible_plan(runner, scenario_file, tmp_path):
    import yaml

    raw = yaml.safe_load(scenario_file.read_text())
    raw["solver"] = {**raw.get("solver", {}), "max_iterations": 1, "warm_start": False}
    f = scenario_file.with_name("capped.yaml")  # profile paths are relative to the scenario
    f.write_text(yaml.safe_dump(raw))
    out = tmp_path / "dec"
    result = runner.invoke(app, ["run", str(f), "--out", str(out), "--method", "decomposed",
                                 "--gap", "0.000001", "--window-hours", "24", "--workers", "1", "--report"])
    assert result.exit_code == 1, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "iteration_limit"
    # the report says what the plan is: feasible, with its proven gap
    page = (out / "report.html").read_text()
    assert "plan-warning" in page and "not proven optimal" in page and f"{summary['solver']['gap']:.2%}" in page
    gap = summary["solver"]["gap"]
    assert 1e-6 < gap < 10
    # the plan's tables, network and metrics are written and the headline shows them
    assert (out / "generators.parquet").is_file() and (out / "network.json").is_file()
    assert summary["capacity_mw"]["by_technology"]
    assert "feasible plan" in result.output and f"{gap:.2%}" in result.output
    assert "Feasible plan written to" in result.output
    assert "Capacity by technology" in result.output


def test_run_rejects_bad_gap(runner, scenario_file, tmp_path):
    result = runner.invoke(app, ["run", str(scenario_file), "--out", str(tmp_path / "o"), "--method",
                                 "decomposed", "--gap", "2"])
    assert result.exit_code == 2
    assert "--gap" in result.output
