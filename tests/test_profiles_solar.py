"""PV profiles: physical sanity, the MERRA-2 cloudiness climatology, determinism, validation.

Tolerances: exact for night zeros and bounds; 1 % for the annual GHI against the MERRA-2 PDF means
(the monthly rescale makes it exact up to night-time and edge-day effects); ±15 % relative for
plant capacity factors (the brief's tolerance; see docs/profiles.md).
"""

from __future__ import annotations


import numpy as np
import pytest

from silkgrid.profiles import FIXED, TRACKING, ProfileError, PVSystem, solar_cf
from silkgrid.profiles.climate import merra2_cell
from silkgrid.profiles.solar import site_weather

NAVOI = (40.1, 65.4)
ASTANA = (51.17, 71.45)


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """Each test gets its own profile cache (the network is cut in conftest.py)."""
    monkeypatch.setenv("SILKGRID_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def navoi_weather():
    return site_weather(*NAVOI, year=2030, weather_year=1)


def test_zero_at_night_and_bounded(navoi_weather):
    from silkgrid.profiles.solar import pv_ac_capacity_factor

    for system in (FIXED, TRACKING):
        cf = pv_ac_capacity_factor(navoi_weather, system)
        assert len(cf) == 8760
        assert cf.between(0.0, 1.0).all()
        night = navoi_weather["apparent_zenith"] >= 90
        assert (cf[night] == 0).all()
        assert cf[~night].max() > 0.8  # clear noon with DC/AC 1.25 reaches the inverter limit
    # local midnight in Navoi (UTC+5) is 19:00 UTC
    assert (navoi_weather["ghi"][navoi_weather.index.hour == 19] == 0).all()


def test_summer_above_winter_and_tracking_above_fixed(navoi_weather):
    from silkgrid.profiles.solar import pv_ac_capacity_factor

    fixed = pv_ac_capacity_factor(navoi_weather, FIXED)
    tracking = pv_ac_capacity_factor(navoi_weather, TRACKING)
    monthly = fixed.groupby(fixed.index.month).mean()
    assert monthly[[6, 7]].mean() > 1.4 * monthly[[12, 1]].mean()
    assert tracking.mean() > fixed.mean() * 1.05


def test_annual_ghi_matches_merra2_climatology(navoi_weather):
    cell = merra2_cell(*NAVOI)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    expected = (cell.monthly_mean * days * 24).sum() / 1000  # kWh/m2/yr
    got = navoi_weather["ghi"].sum() / 1000
    assert got == pytest.approx(expected, rel=0.01)
    assert 1850 < got < 1960  # offline-data.md §1.3: Navoi cell ~1,905 kWh/m2/yr
    # clear sky is an upper envelope for the daily sums only loosely (kc clip 1.15, see docstring)
    assert got < 1.05 * navoi_weather["ghi_clear"].sum() / 1000


def test_north_is_cloudier_and_less_productive():
    navoi = solar_cf(*NAVOI, weather_year=1).mean()
    astana = solar_cf(*ASTANA, weather_year=1).mean()
    assert astana < navoi - 0.03


def test_day_to_day_variability_is_present(navoi_weather):
    daily = navoi_weather["ghi"].resample("D").mean()
    clear = navoi_weather["ghi_clear"].resample("D").mean()
    kc = (daily / clear)[daily.index.month.isin([1, 2, 12])]
    assert kc.std() > 0.1  # winter days differ: not a clear-sky-only profile


def test_determinism_same_seed_identical_bytes_other_seed_differs():
    a = solar_cf(*NAVOI, weather_year=7, system=TRACKING)
    b = solar_cf(*NAVOI, weather_year=7, system=TRACKING)
    c = solar_cf(*NAVOI, weather_year=8, system=TRACKING)
    assert a.to_numpy().tobytes() == b.to_numpy().tobytes()
    assert not np.array_equal(a.to_numpy(), c.to_numpy())
    assert abs(a.mean() - c.mean()) < 0.01  # same climate: the monthly means are pinned to MERRA-2


def test_invalid_inputs_raise():
    with pytest.raises(ProfileError, match="dc_ac_ratio"):
        PVSystem(dc_ac_ratio=0)
    with pytest.raises(ProfileError, match="coordinates"):
        solar_cf(95.0, 10.0)
    with pytest.raises(ProfileError, match="integer seed"):
        solar_cf(*NAVOI, weather_year=1.5)
