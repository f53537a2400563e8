"""One design over several weather years (issue #18, item 4): ``time.years`` and the per-year spread.

Hand case: one node, two "years" of 24 hours each (``time.hours: 48, years: [1, 2]``); the load is
100 MW through year 1 and 200 MW through year 2; an extendable plant (1,000 EUR/MW/yr, 10 EUR/MWh)
serves both.  One design must cover the peak of the worse year (200 MW).  Annualised, each hour
weighs 8,760 / 48 and each year half the objective; per year, each block is scaled to a full year.
"""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.analysis.weather_years import by_year, spread
from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.loader import load_scenario


def two_years(**time) -> dict:
    demand = np.r_[np.full(24, 100.0), np.full(24, 200.0)]
    return {"name": "two-years", "time": {"hours": 48, "years": [1, 2], **time},
            "nodes": [{"id": "A", "country": "KZ"}], "carriers": [{"id": "fuel", "co2_t_per_mwh_th": 0.5}],
            "technologies": [{"id": "plant", "carrier": "fuel", "annualised_cost_eur_per_mw_yr": 1000.0}],
            "generators": [{"id": "g", "node": "A", "technology": "plant", "extendable": True,
                            "variable_cost_eur_per_mwh": 10.0}],
            "loads": [{"id": "d", "node": "A", "demand_mw": demand}],
            "solver": {"method": "monolithic", "algorithm": "simplex"}}


def test_one_design_serves_the_worse_year():
    """Capacity 200 MW (year 2's load).  Cost: 200 x 1,000 + the mean year's energy (150 MW x 8,760 h
    x 10 EUR) = 200,000 + 13,140,000 = 13,340,000 EUR/yr."""
    sc = load_scenario(two_years())
    res = silkgrid.solve(sc)
    assert res.optimal
    assert res.tables["generators"].set_index("id").loc["g", "new_mw"] == pytest.approx(200.0, rel=1e-9)
    assert res.objective == pytest.approx(13_340_000.0, rel=1e-9)
    t = by_year(res, sc)
    assert list(t.index) == [1, 2]
    # each year as a full year of its own: 100 MW and 200 MW all year
    assert t["demand_twh"].tolist() == pytest.approx([0.876, 1.752], rel=1e-12)
    assert t["emissions_mt"].tolist() == pytest.approx([0.876 * 0.5, 1.752 * 0.5], rel=1e-9)
    assert t["unserved_energy_mwh"].tolist() == [0.0, 0.0]
    assert t["mean_price_eur_per_mwh"].notna().all()
    s = spread(t)
    assert s.loc["demand_twh", "min"] == pytest.approx(0.876) and s.loc["demand_twh", "max"] == pytest.approx(1.752)
    assert s.loc["demand_twh", "mean"] == pytest.approx(1.314) and s.loc["demand_twh", "year_of_max"] == 2
    assert s.loc["demand_twh", "std"] == pytest.approx(0.438)  # population std of two values: half their distance


def test_years_split_with_coarser_snapshots():
    """At 12-hour snapshots the blocks still split at hour 24: the same per-year demand."""
    sc = load_scenario(two_years(resolution="12h"))
    t = by_year(silkgrid.solve(sc), sc)
    assert t["demand_twh"].tolist() == pytest.approx([0.876, 1.752], rel=1e-12)


@pytest.mark.parametrize("time, match", [({"years": [1, 1]}, "distinct labels"),
                                         ({"years": [1, 2, 3, 4, 5]}, "do not split into 5 equal blocks"),
                                         ({"resolution": "5h"}, "do not split into 2 equal blocks")])
def test_bad_years_are_refused(time, match):
    with pytest.raises(ScenarioError, match=match):
        load_scenario(two_years(**time))


def test_the_metrics_report_each_year_and_the_spread(tmp_path):
    from silkgrid.workflows import RunSpec, run

    out = run(RunSpec(scenario=two_years(), out=str(tmp_path / "r"))).directory
    import json

    m = json.loads((out / "metrics.json").read_text())["weather_years"]
    assert m["years"] == [1, 2]
    assert [r["demand_twh"] for r in m["by_year"]] == pytest.approx([0.876, 1.752])
    assert (out / "metrics" / "weather_years.csv").is_file() and (out / "metrics" / "weather_year_spread.csv").is_file()


def test_corridor_weather_years_option():
    """The corridor data set with weather_years: K x 8,760 h, labelled; the label of a result names the
    years and loads again."""
    from silkgrid.scenario.loader import _built_dataset

    label, raw = _built_dataset({"dataset": "corridor", "year": 2035, "weather_years": [2, 3]}, "t")
    assert label == "<data set corridor year=2035 weather_years=2,3>"
    assert raw["time"]["hours"] == 2 * 8760 and raw["time"]["years"] == [2, 3]
    again = _built_dataset(label, "t")
    assert again[0] == label
    with pytest.raises(ScenarioError, match="list of whole numbers"):
        _built_dataset({"dataset": "corridor", "weather_years": [0, 1]}, "t")
