"""`silkgrid run` writes the corridor answers (metrics.json + metrics/*.csv) next to the result."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import silkgrid
from silkgrid.analysis.metrics import corridor_metrics
from silkgrid.cli import app

WEEK = {"extends": "example", "name": "example-july-week",
        "time": {"subset": {"start": "2030-07-01", "end": "2030-07-07"}}}
REL = 1e-6  # identities between tables hold to solver tolerance


@pytest.fixture(scope="module")
def solved():
    sc = silkgrid.load_scenario(WEEK)
    return sc, silkgrid.solve(sc, options={"method": "simplex"})


def test_answers_agree_with_result_tables(solved) -> None:
    sc, r = solved
    answers, tables = corridor_metrics(r, sc)
    # the only link into RO is the Black Sea cable: EU delivery = its landed energy
    ln = r.tables["links"].set_index("id").loc["black_sea_cable"]
    landed = ln.forward_mwh * 0.954 - ln.backward_mwh
    assert answers["eu_deliveries"]["delivered_mwh"] == pytest.approx(landed, rel=REL)
    # ... and equals what the RO market buys (RO has no load and no generation)
    assert answers["eu_deliveries"]["delivered_mwh"] == pytest.approx(
        r.tables["markets"].set_index("id").loc["RO_market", "sold_mwh"], rel=REL)
    # delivered cost and CBAM follow the traced origin of what the Black Sea cable lands in RO
    dc = answers["delivered_cost"]
    assert dc["destinations"] == ["eu:black_sea_cable"] and dc["landing_nodes"] == ["RO"]
    assert dc["delivered_mwh"] == pytest.approx(ln.forward_mwh * 0.954, rel=REL)
    assert sum(dc["origin_by_country"].values()) == pytest.approx(1.0, rel=1e-12)
    assert sum(dc["segments_eur_per_mwh"].values()) == pytest.approx(dc["delivered_cost_eur_per_mwh"], rel=1e-12)
    by_source = tables["traced_eu_delivery_by_source"]
    assert by_source["delivered_mwh"].sum() == pytest.approx(dc["delivered_mwh"], rel=1e-9)
    cb = answers["cbam"]
    assert 0.0 <= cb["matched_share"] <= 1.0
    assert cb["exported_mwh"] == pytest.approx(dc["delivered_mwh"], rel=1e-12)
    # certificates: the origins' factors on everything; matched renewable energy at 0 t
    assert cb["default_certificate_cost_eur"] == pytest.approx(
        sum(v["delivered_mwh"] * v["factor_t_per_mwh"] for v in cb["origin_countries"].values())
        * cb["ets_price_eur_per_t"], rel=1e-9)
    assert cb["matched_certificate_cost_eur"] <= cb["default_certificate_cost_eur"] + 1e-6
    assert set(tables) >= {"cost_by_node_technology", "link_utilisation", "cbam_hourly_matching"}


def test_run_writes_metrics_files(tmp_path) -> None:
    scenario = tmp_path / "week.yaml"
    scenario.write_text(json.dumps(WEEK))  # JSON is YAML
    out = tmp_path / "out"
    res = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["run", str(scenario), "--out", str(out),
                                                        "--method", "simplex"])
    assert res.exit_code == 0, res.output
    answers = json.loads((out / "metrics.json").read_text())
    assert answers["delivered_cost"]["delivered_cost_eur_per_mwh"] > 0
    assert "Corridor answers" in res.stdout and "CBAM hourly matched share" in res.stdout
    util = pd.read_csv(out / "metrics" / "link_utilisation.csv")
    assert set(util["link"] if "link" in util else util.iloc[:, 0]) >= {"caspian_cable", "black_sea_cable"}
