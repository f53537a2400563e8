"""ERA5-style cutout reader, on tiny synthetic netCDF files written here (no network, no atlite).

The fields are built from pvlib clear sky on a 2 × 2-cell, 48-hour grid, labelled the ERA5 way
(radiation accumulated over the hour *ending* at the stamp), so the tests can check the time
convention exactly, and a constant 100 m wind so the wind path can be checked against the power
curve by hand. Tolerances: 1e-9 relative on those hand checks.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

xr = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")

from silkgrid.profiles import ONSHORE, ProfileError  # noqa: E402
from silkgrid.profiles.era5 import era5_profiles, read_cutout  # noqa: E402
from silkgrid.profiles.wind import farm_power_curve, power_curve_cf  # noqa: E402

LATS = np.array([40.0, 40.25])
LONS = np.array([65.25, 65.5])
STAMPS = pd.date_range("2030-06-01 01:00", periods=48, freq="h")  # hour-ending labels, UTC


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """Each test gets its own profile cache (the network is cut in conftest.py)."""
    monkeypatch.setenv("SILKGRID_CACHE", str(tmp_path / "cache"))


@functools.lru_cache(maxsize=1)
def _clear_sky_fields():
    """GHI and direct horizontal [W/m2] per (time, lat, lon), mean of the hour ending at the stamp."""
    import warnings

    import pvlib

    warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed.*")  # pvlib on pandas 3
    ghi = np.zeros((len(STAMPS), len(LATS), len(LONS)))
    bhi = np.zeros_like(ghi)
    mid = STAMPS.tz_localize("UTC") - pd.Timedelta(minutes=30)
    for i, la in enumerate(LATS):
        for j, lo in enumerate(LONS):
            cs = pvlib.location.Location(la, lo).get_clearsky(mid)
            sp = pvlib.solarposition.get_solarposition(mid, la, lo)
            ghi[:, i, j] = cs["ghi"].to_numpy()
            bhi[:, i, j] = (cs["dni"] * np.cos(np.radians(sp["zenith"])).clip(0)).to_numpy()
    return ghi, bhi


def _write_atlite_style(path):
    ghi, bhi = _clear_sky_fields()
    shape = ghi.shape
    ds = xr.Dataset(
        {"influx_direct": (("time", "y", "x"), bhi.astype("float32")),
         "influx_diffuse": (("time", "y", "x"), (ghi - bhi).astype("float32")),
         "temperature": (("time", "y", "x"), np.full(shape, 298.15, dtype="float32")),
         "wnd100m": (("time", "y", "x"), np.full(shape, 8.0, dtype="float32")),
         "roughness": (("time", "y", "x"), np.full(shape, 0.03, dtype="float32"))},
        coords={"time": STAMPS, "y": LATS, "x": LONS})
    ds.to_netcdf(path, engine="h5netcdf")
    return ghi


def _write_raw_era5(path):
    ghi, bhi = _clear_sky_fields()
    ghi, bhi = ghi[:, ::-1, :].copy(), bhi[:, ::-1, :].copy()  # ERA5 stores latitude descending
    shape = ghi.shape
    ds = xr.Dataset(
        {"ssrd": (("valid_time", "latitude", "longitude"), (ghi * 3600).astype("float32")),
         "fdir": (("valid_time", "latitude", "longitude"), (bhi * 3600).astype("float32")),
         "t2m": (("valid_time", "latitude", "longitude"), np.full(shape, 298.15, dtype="float32")),
         "u100": (("valid_time", "latitude", "longitude"), np.full(shape, 6.0, dtype="float32")),
         "v100": (("valid_time", "latitude", "longitude"), np.full(shape, 8.0, dtype="float32"))},
        coords={"valid_time": STAMPS, "latitude": LATS[::-1], "longitude": LONS})
    ds.to_netcdf(path, engine="h5netcdf")
    return ghi


def test_reader_relabels_to_hour_beginning(tmp_path):
    path = tmp_path / "cutout.nc"
    ghi = _write_atlite_style(path)
    ds = read_cutout(path, engine="h5netcdf")
    assert set(ds.data_vars) >= {"ghi", "bhi", "temp_air", "wind_speed_100m", "roughness"}
    assert pd.Timestamp(ds["time"].values[0]) == STAMPS[0] - pd.Timedelta(hours=1)
    np.testing.assert_allclose(ds["ghi"].values, ghi, rtol=1e-5, atol=1e-3)
    assert float(ds["temp_air"].max()) == pytest.approx(25.0, abs=1e-4)


def test_pv_and_wind_from_atlite_style_cutout(tmp_path):
    path = tmp_path / "cutout.nc"
    _write_atlite_style(path)
    sites = [{"id": "NAV", "lat": 40.1, "lon": 65.4}]
    df = era5_profiles(path, sites, engine="h5netcdf")
    assert list(df.columns) == ["solar_fixed_NAV", "solar_tracking_NAV", "onwind_NAV"]
    assert len(df) == 48
    pv = df["solar_tracking_NAV"]
    assert pv.between(0, 1).all()
    local_night = df.index.hour == 20  # 01:30 local solar time at 65.4 E
    assert (pv[local_night] == 0).all()
    assert pv.max() > 0.8  # clear June noon through a 1.25 DC/AC tracker reaches the inverter limit
    assert df["solar_fixed_NAV"].sum() < pv.sum()
    # wind: log law with z0 = 0.03 m from 100 m to hub height, then the farm power curve
    v_hub = 8.0 * np.log(ONSHORE.hub_height / 0.03) / np.log(100 / 0.03)
    expected = power_curve_cf(np.array([v_hub]), farm_power_curve(ONSHORE.turbine_type, 0.1), ONSHORE.losses)
    np.testing.assert_allclose(df["onwind_NAV"].to_numpy(), expected[0], rtol=1e-6)


def test_raw_era5_names_give_the_same_pv(tmp_path):
    a, b = tmp_path / "a.nc", tmp_path / "b.nc"
    _write_atlite_style(a)
    _write_raw_era5(b)
    sites = [{"id": "S", "lat": 40.0, "lon": 65.25}]  # a grid point: nearest is exact in both
    da = era5_profiles(a, sites, technologies=["solar_fixed"], engine="h5netcdf")
    db = era5_profiles(b, sites, engine="h5netcdf")
    np.testing.assert_allclose(da["solar_fixed_S"], db["solar_fixed_S"], rtol=1e-4, atol=1e-6)
    # u100 = 6, v100 = 8 -> 10 m/s at 100 m, power law alpha = 1/7 without roughness
    v_hub = 10.0 * (ONSHORE.hub_height / 100) ** ONSHORE.shear_alpha
    expected = power_curve_cf(np.array([v_hub]), farm_power_curve(ONSHORE.turbine_type, 0.1), ONSHORE.losses)
    np.testing.assert_allclose(db["onwind_S"].to_numpy(), expected[0], rtol=1e-6)


def test_errors(tmp_path):
    path = tmp_path / "cutout.nc"
    _write_atlite_style(path)
    with pytest.raises(ProfileError, match="outside the cutout"):
        era5_profiles(path, [{"id": "FAR", "lat": 51.0, "lon": 71.0}], engine="h5netcdf")
    with pytest.raises(ProfileError, match="does not exist"):
        read_cutout(tmp_path / "missing.nc")
    with pytest.raises(ProfileError, match="unknown technologies"):
        era5_profiles(path, [{"id": "A", "lat": 40.1, "lon": 65.4}], technologies=["hydro"], engine="h5netcdf")
