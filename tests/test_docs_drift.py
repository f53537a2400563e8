"""Docs and ``silkgrid info`` say what the code does: the default data set and solver
(docs/cli.md), the web base year and the absent ``web`` extra (docs/web.md), project-internal fact
sheets named as such (``info --sources``), calibration not shown as validation (``info --validate``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from silkgrid import cli
from silkgrid.cli import app
from silkgrid.scenario.solver_options import SolverOptions

ROOT = Path(__file__).resolve().parents[1]
WIDE = {"COLUMNS": "250"}


def test_cli_docs_name_the_default_data_set_and_solver():
    text = (ROOT / "docs" / "cli.md").read_text()
    assert f"currently `{cli.DEFAULT_DATASET}`" in text
    assert (SolverOptions().method, SolverOptions().algorithm) == ("auto", "clarabel")
    assert "`solver.method: auto`, `solver.algorithm: clarabel`" in text
    assert "solves it with HiGHS" not in text


def test_web_docs_base_year_and_no_web_extra():
    text = (ROOT / "docs" / "web.md").read_text()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("optional-dependencies", {})
    assert "web" not in extras
    assert "silkgrid[web]" not in text
    assert "year: 2035}" in text and "year:\n2040}" not in text


def test_info_sources_marks_internal_fact_sheets_as_not_shipped():
    r = CliRunner(env=WIDE).invoke(app, ["info", "corridor", "--sources"])
    assert r.exit_code == 0, r.output
    out = r.output.replace("\n", " ")
    assert "shared/domain-facts.md (project steering repository)" not in out
    assert re.search(r"project-internal fact sheet \(shared/domain-facts\.md.*not shipped with SilkGrid", out)
    assert "those are not shipped with SilkGrid" in out


def test_info_validate_shows_demand_as_calibration_not_a_zero_error():
    r = CliRunner(env=WIDE).invoke(app, ["info", "--validate"])
    assert r.exit_code == 0, r.output
    start = r.output.index("National demand")
    table = r.output[start:r.output.index("Thermal fleet", start)]
    assert "reproduced by construction and validate nothing" in " ".join(table.split())
    assert "+0.00%" not in table and "reproduced (input)" in table
    assert table.count("(agrees)") >= 1  # the peak season: the one validation in the table
