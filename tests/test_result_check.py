"""The result checker (silkgrid.results.check): it passes on solved results and catches violations."""

from __future__ import annotations

import numpy as np
import pytest

import silkgrid
from silkgrid.results.check import check_result
import silkgrid.results.api

ONE_WEEK = {"extends": "example", "time": {"subset": {"start": "2030-07-01", "end": "2030-07-07"}}}


@pytest.fixture(scope="module")
def week():
    return silkgrid.solve(silkgrid.load_scenario(ONE_WEEK))


def test_hook_checks_every_solve():
    """tests/conftest.py routes every solve of the suite through the checker."""
    assert silkgrid.results.api.extract.__name__ == "_checked_extract"


def test_solved_result_is_consistent_and_survives_the_round_trip(week, tmp_path):
    assert week.optimal and check_result(week) == []
    back = silkgrid.Result.from_dir(week.to_dir(tmp_path / "w"))
    assert check_result(back) == []


def _copy(result):
    back = silkgrid.Result(**{**result.__dict__, "hourly": {k: v.copy() for k, v in result.hourly.items()}})
    return back


def test_balance_violation_found(week):
    r = _copy(week)
    r.hourly["demand_mw"].iloc[10, 0] += 2.0  # 2 MW of demand nobody serves
    problems = check_result(r)
    assert len(problems) == 1 and problems[0].startswith("energy balance of 'KZ_W' violated by 2 MW")


def test_capacity_violation_found(week):
    r = _copy(week)
    link = r.tables["links"].iloc[0]
    r.hourly["link_forward_mw"].iloc[5, 0] = link.total_mw + 10.0
    assert any(p.startswith(f"link capacity (forward) of '{link.id}'") for p in check_result(r))


def test_storage_continuity_violation_found(week):
    r = _copy(week)
    sid = r.tables["storage"]["id"].iloc[0]
    soc = r.hourly["storage_energy_mwh"][sid].to_numpy()
    t = int(np.argmax(soc))
    r.hourly["storage_energy_mwh"].iloc[t, 0] = soc[t] * 0.5 if soc[t] > 1 else soc[t] + 50.0
    assert any(p.startswith("storage continuity") and sid in p for p in check_result(r))


def test_round_off_is_tolerated(week):
    """Perturbations far below the tolerance (1 kW + 1e-6 relative) are round-off, not violations."""
    r = _copy(week)
    r.hourly["generation_mw"] = r.hourly["generation_mw"] + 1e-5
    assert check_result(r) == []
