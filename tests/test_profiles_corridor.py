"""corridor_profiles: columns, determinism, cache with provenance, runtime, plant validation."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from silkgrid.profiles import ProfileError, compute_corridor_profiles, corridor_profiles
from silkgrid.profiles.cache import cache_dir, read_provenance
from silkgrid.profiles.validate import validate_plants

NODES = [
    {"id": "KZ_N", "lat": 51.72, "lon": 75.32, "country": "KZ", "wind_lat": 51.596, "wind_lon": 73.080,
     "annual_demand_mwh": 70e6, "peak_demand_mw": 9800},
    {"id": "KZ_S", "lat": 43.24, "lon": 76.90, "country": "KZ", "wind_lat": 43.57, "wind_lon": 69.75,
     "annual_demand_mwh": 35e6},
    {"id": "KZ_W", "lat": 43.65, "lon": 51.17, "country": "KZ", "annual_demand_mwh": 15e6},
    {"id": "UZ_W", "lat": 42.46, "lon": 59.60, "country": "UZ", "wind": {"site_class": "kungrad_calibrated"}},
    {"id": "UZ_E", "lat": 41.30, "lon": 69.24, "country": "UZ", "annual_demand_mwh": 64e6,
     "peak_demand_mw": 10000},
    {"id": "AZ", "lat": 40.41, "lon": 49.87, "country": "AZ", "wind": {"site_class": "absheron_coast"},
     "annual_demand_mwh": 28.12e6, "peak_demand_mw": 4871},
    {"id": "AZ_OFF", "lat": 40.80, "lon": 50.30, "country": "AZ"},
    {"id": "GE", "lat": 41.72, "lon": 44.79, "country": "GE", "annual_demand_mwh": 14.28e6,
     "hydro_inflow_mwh": 10.8e6},
    {"id": "TR", "lat": 39.93, "lon": 32.86, "country": "TR", "annual_demand_mwh": 341.86e6,
     "peak_demand_mw": 55421},
    {"id": "RO", "lat": 44.17, "lon": 28.63, "country": "RO", "annual_demand_mwh": 55.92e6},
    {"id": "HU", "lat": 47.50, "lon": 19.04, "country": "HU", "annual_demand_mwh": 49.02e6,
     "peak_demand_mw": 7000},
    {"id": "AZ_NAX", "lat": 39.21, "lon": 45.41, "country": "AZ", "technologies": ["solar_fixed"]},
]


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """Each test gets its own profile cache (the network is cut in conftest.py)."""
    monkeypatch.setenv("SILKGRID_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def frame():
    t0 = time.perf_counter()
    df = compute_corridor_profiles(NODES, 1)
    df.attrs["seconds"] = time.perf_counter() - t0
    return df


def test_columns_and_units(frame):
    assert frame.shape[0] == 8760
    assert str(frame.index.tz) == "UTC" and frame.index[0].hour == 0
    for name in ("onwind_KZ_N", "solar_fixed_UZ_W", "solar_tracking_UZ_W", "offwind_AZ_OFF", "demand_AZ",
                 "inflow_GE", "solar_fixed_AZ_NAX"):
        assert name in frame.columns
    assert "onwind_AZ_OFF" not in frame.columns and "solar_tracking_AZ_NAX" not in frame.columns
    assert "demand_UZ_W" not in frame.columns  # no annual demand given
    cf = frame.filter(regex="^(onwind|offwind|solar)")
    assert ((cf >= 0) & (cf <= 1)).all().all()
    assert frame["demand_AZ"].sum() == pytest.approx(28.12e6, rel=1e-9)
    assert frame["demand_KZ_N"].max() == pytest.approx(9800, rel=1e-3)
    assert np.isfinite(frame.to_numpy()).all()


def test_runtime_of_twelve_nodes(frame):
    assert frame.attrs["seconds"] < 20  # a few seconds on a laptop; generous for CI machines


def test_wind_resource_site_and_site_class_are_used(frame):
    # KZ_N wind at Ereymentau: ~0.35; AZ with the Absheron mast class: windy
    assert 0.28 < frame["onwind_KZ_N"].mean() < 0.45
    assert frame["onwind_AZ"].mean() > 0.4


def test_determinism_identical_bytes_and_seeds_differ(frame):
    again = compute_corridor_profiles(NODES, 1)
    assert again.to_numpy().tobytes() == frame.to_numpy().tobytes()
    other = compute_corridor_profiles(NODES[:3], 2)
    assert not np.array_equal(other["onwind_KZ_N"].to_numpy(), frame["onwind_KZ_N"].to_numpy())


def test_cache_round_trip_with_provenance(tmp_path):
    nodes = NODES[:2]
    first = corridor_profiles(nodes, 3)
    files = list(cache_dir().glob("corridor-*.parquet"))
    assert len(files) == 1
    record = read_provenance(files[0])
    assert "not a historical year" in record["weather"].lower()
    assert record["parameters"]["weather_year"] == 3
    assert record["packages"]["pvlib"] != "not installed"
    assert len(record["code_sha256"]) == 64
    assert any("MERRA-2" in s for s in record["data_sources"])
    json.dumps(record)
    second = corridor_profiles(nodes, 3)  # served from the cache
    assert second.to_numpy().tobytes() == first.to_numpy().tobytes()
    assert list(second.columns) == list(first.columns) and second.index.equals(first.index)
    assert not list(cache_dir().glob("*.tmp"))  # atomic write leaves no temporary file


def test_cache_can_be_disabled(monkeypatch):
    monkeypatch.setenv("SILKGRID_CACHE", "off")
    assert cache_dir() is None
    corridor_profiles(NODES[:1], 1)


def test_node_errors_are_listed_together():
    with pytest.raises(ProfileError) as err:
        compute_corridor_profiles([{"id": "A", "lat": 100, "lon": 0, "country": "KZ"},
                                   {"id": "A", "lat": 40, "lon": 60, "country": "UZ", "annual_demand_mw": 5}], 1)
    text = str(err.value)
    assert "coordinates" in text and "duplicate id" in text and "did you mean 'annual_demand_mwh'" in text
    # descriptive keys pass through untouched
    df = compute_corridor_profiles([{"id": "A", "lat": 40.1, "lon": 65.4, "country": "UZ", "anchor": "Navoi",
                                     "technologies": ["solar_fixed"]}], 1, year=2031)
    assert list(df.columns) == ["solar_fixed_A"] and df.index[0].year == 2031


@pytest.fixture(scope="module")
def plants():
    return validate_plants()


def test_reference_plant_capacity_factors_within_15_percent(plants):
    bad = plants[plants["rel_error"].abs() > 0.15]
    assert bad.empty, bad[["name", "reported_cf", "cf_model", "rel_error"]].to_string()


def test_calibrations_are_declared(plants):
    # only rows flagged calibrated may sit far from their defaults through a fitted parameter
    for _, row in plants.iterrows():
        if abs(row["cf_default"] / row["reported_cf"] - 1) > 0.15:
            assert row["calibrated"] or row["site"] != "defaults", row["name"]
    assert plants.loc[plants["calibrated"], "name"].tolist() == ["Kungrad wind"]
    assert {"Nur Navoi PV", "Garadagh PV", "Zhanatas wind", "Ereymentau WPP-1",
            "Khizi-Absheron wind"} <= set(plants["name"])
