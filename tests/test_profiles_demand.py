"""Demand and hydro inflow: exact annual sums, calibrated peaks, holidays, seasons, validation.

Tolerances: annual sums rel 1e-9 (float rounding of a rescale); peaks 0.1 % (bisection tolerance
of the thermal sensitivity); national validation ±3 % annual (the brief).
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from silkgrid.profiles import ProfileError, demand_profile, inflow_profile
from silkgrid.profiles.demand import holiday_dates
from silkgrid.profiles.validate import validate_demand


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """Each test gets its own profile cache (the network is cut in conftest.py)."""
    monkeypatch.setenv("SILKGRID_CACHE", str(tmp_path / "cache"))


UZ = dict(country="UZ", lat=41.30, lon=69.24)


def test_annual_sum_exact_and_peak_calibrated():
    d = demand_profile(79.18e6, 12300, **UZ, weather_year=1)
    assert len(d) == 8760
    assert d.sum() == pytest.approx(79.18e6, rel=1e-9)
    assert d.max() == pytest.approx(12300, rel=1e-3)
    assert (d > 0).all()


def test_without_peak_the_sum_is_still_exact():
    d = demand_profile(14.28e6, None, country="GE", lat=41.72, lon=44.79, weather_year=2)
    assert d.sum() == pytest.approx(14.28e6, rel=1e-9)
    assert 1.2 < d.max() / d.mean() < 2.0


def test_holidays_lower_demand():
    kw = dict(country="UZ", lat=41.30, lon=69.24, weather_year=1, year=2030)
    with_h = demand_profile(79.18e6, None, observe_holidays=True, **kw)
    without = demand_profile(79.18e6, None, observe_holidays=False, **kw)
    local = with_h.index.tz_convert("Asia/Tashkent")
    nowruz = (local.month == 3) & (local.day == 21)  # Nowruz, a Thursday in 2030
    assert with_h[nowruz].sum() < 0.95 * without[nowruz].sum()
    assert pd.Timestamp("2030-03-21").date() in holiday_dates("UZ", 2030)
    # weekday vs Sunday of the same week
    sunday = (local.month == 3) & (local.day == 24)
    tuesday = (local.month == 3) & (local.day == 19)
    assert without[sunday].sum() < without[tuesday].sum()


def test_daily_cycle_in_local_time():
    d = demand_profile(28.12e6, 4871, country="AZ", lat=40.41, lon=49.87, weather_year=1)
    local_hour = d.index.tz_convert("Asia/Baku").hour
    by_hour = d.groupby(local_hour).mean()
    assert by_hour.idxmin() in (2, 3, 4, 5)
    assert by_hour.idxmax() in (18, 19, 20, 21)


def test_impossible_peak_is_explained():
    with pytest.raises(ProfileError, match="must exceed the mean"):
        demand_profile(79.18e6, 5000, **UZ)
    with pytest.raises(ProfileError, match="below what the daily and weekly cycle"):
        demand_profile(79.18e6, 9100, **UZ)  # peak/mean 1.007
    with pytest.raises(ProfileError, match="no calendar"):
        demand_profile(1e6, None, country="XX", lat=40, lon=60, timezone="UTC")


def test_determinism():
    a = demand_profile(79.18e6, 12300, **UZ, weather_year=5)
    b = demand_profile(79.18e6, 12300, **UZ, weather_year=5)
    c = demand_profile(79.18e6, 12300, **UZ, weather_year=6)
    assert a.to_numpy().tobytes() == b.to_numpy().tobytes()
    assert not np.array_equal(a.to_numpy(), c.to_numpy())


@pytest.mark.parametrize("weather_year", [1, 2])
def test_national_validation(weather_year):
    table = validate_demand(weather_year=weather_year)
    assert (table["annual_rel_error"].abs() <= 0.03).all()
    cal = table[table["peak_calibrated"]]
    assert (cal["peak_rel_error"].abs() <= 0.001).all()
    # the season of the modelled peak matches the reported one (KZ, HU winter; UZ, AZ, TR summer)
    assert (cal["peak_season_model"] == cal["peak_season_reported"]).all()
    assert set(cal["country"]) == {"KZ", "UZ", "AZ", "TR", "HU"}


def test_inflow_sums_and_peaks_in_spring():
    q = inflow_profile(10.8e6, weather_year=1, key="GE")
    assert q.sum() == pytest.approx(10.8e6, rel=1e-9)
    monthly = q.groupby(q.index.month).mean()
    assert monthly.idxmax() in (4, 5, 6)
    assert monthly[[1, 2]].mean() < 0.6 * monthly.max()
    assert (q >= 0).all()
    # constant within each day
    assert q.resample("D").std().max() == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ProfileError):
        inflow_profile(-1.0)
