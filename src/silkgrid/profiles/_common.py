"""Shared helpers of the profile generators: time axis, seeding, distances, AR(1) draws.

Everything here is deterministic: random draws come from :func:`rng_for`, which turns a
weather year and a few text keys into a numpy ``Generator`` through SHA-256, so the same
inputs give the same numbers on every machine, Python version and process (Python's own
``hash()`` is salted per process and is never used).
"""

from __future__ import annotations

import hashlib
import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from silkgrid.core.errors import SilkGridError

HOURS_PER_YEAR = 8760
EARTH_RADIUS_KM = 6371.0088
#: Version of the profile methods; part of every cache key and provenance record.
METHOD_VERSION = "1"
SYNTHETIC_STATEMENT = (
    "Synthetic, statistically representative weather: drawn from climatological statistics "
    "(MERRA-2 monthly daily-GHI distributions, GLDAS wind and temperature statistics) with a "
    "seeded random generator. It is NOT a historical year: hours do not match any real date's "
    "weather."
)


class ProfileError(SilkGridError, ValueError):
    """Invalid input to a profile generator (bad coordinate, impossible peak, unknown turbine...)."""


@contextmanager
def quiet_dependency_deprecations():
    """Silence pandas-4 deprecation warnings raised *inside* pvlib/windpowerlib under pandas 3.x.

    Usable as a decorator. Only warnings whose text says "is deprecated and will be removed"
    are hidden; everything else still shows.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed.*")
        warnings.filterwarnings("ignore", message=r".*inplace keyword.*is deprecated.*")
        yield


def hourly_index(year: int, hours: int = HOURS_PER_YEAR) -> pd.DatetimeIndex:
    """Hour-beginning UTC time stamps ``year-01-01 00:00`` onwards.

    Every profile is on this axis: the value at stamp ``t`` is the mean over ``[t, t + 1 h)``.
    A leap year is cut after ``hours`` hours (30 December with the default 8,760).
    """
    if not 1900 <= int(year) <= 2200:
        raise ProfileError(f"calendar year {year} is outside 1900..2200")
    return pd.date_range(f"{int(year)}-01-01", periods=hours, freq="h", tz="UTC", name="time")


def site_key(lat: float, lon: float) -> str:
    """Stable text key of a location (4 decimals, about 10 m)."""
    check_coordinates(lat, lon)
    return f"{float(lat):.4f},{float(lon):.4f}"


def check_coordinates(lat: float, lon: float) -> None:
    if not (np.isfinite(lat) and np.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ProfileError(f"invalid coordinates lat={lat}, lon={lon}: need -90..90 and -180..180 degrees")


def rng_for(weather_year: int, *keys: str) -> np.random.Generator:
    """Random generator seeded from ``(weather_year, *keys)`` in a stable way.

    Parameters
    ----------
    weather_year : int
        The weather-year seed (any integer; 1, 2, 3... give different synthetic years).
    *keys : str
        What is drawn and where, e.g. ``("wind-field", "KZ_N|AZ")`` or ``("cloud", site_key)``.
    """
    if isinstance(weather_year, bool) or int(weather_year) != weather_year:
        raise ProfileError(f"weather_year must be an integer seed, got {weather_year!r}")
    text = "|".join(["silkgrid-profiles", METHOD_VERSION, str(int(weather_year)), *keys])
    entropy = int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "little")
    return np.random.default_rng(np.random.SeedSequence(entropy))


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance between points. [km]"""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def ar1_filter(innovations: np.ndarray, rho: float, start: np.ndarray) -> np.ndarray:
    """Stationary unit-variance AR(1) along axis 0, vectorised (no Python loop over steps).

    ``z[0] = rho * start + sqrt(1 - rho²) e[0]``, ``z[t] = rho z[t-1] + sqrt(1 - rho²) e[t]``,
    with ``start`` and ``e`` standard normal, so every ``z[t]`` is standard normal.
    """
    if not 0 <= rho < 1:
        raise ProfileError(f"AR(1) persistence rho must be in [0, 1), got {rho}")
    e = np.asarray(innovations, dtype=float)
    zi = (rho * np.asarray(start, dtype=float))[np.newaxis, ...]
    z, _ = lfilter([np.sqrt(1 - rho**2)], [1.0, -rho], e, axis=0, zi=zi)
    return z


def distance_correlation(lats, lons, length_km: float) -> np.ndarray:
    """Correlation matrix ``exp(-d_ij / L)`` between sites (positive definite for distinct sites)."""
    if length_km <= 0:
        raise ProfileError(f"correlation length must be positive, got {length_km} km")
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    d = great_circle_km(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    return np.exp(-d / length_km)


def correlated_normals(n_steps: int, lats, lons, *, length_km: float,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Standard-normal innovations shared between sites with correlation ``exp(-d/L)``.

    Returns ``(innovations, start)`` of shapes ``(n_steps, n_sites)`` and ``(n_sites,)``; feed
    each column to :func:`ar1_filter`. Filtering every site with the same AR(1) keeps the spatial
    correlation at every time step. The factor comes from an eigen-decomposition, so co-located
    sites (correlation 1) are fine.
    """
    corr = distance_correlation(np.atleast_1d(lats), np.atleast_1d(lons), length_km)
    w, v = np.linalg.eigh(corr)
    factor = v * np.sqrt(np.clip(w, 0, None))
    n_sites = corr.shape[0]
    return rng.standard_normal((n_steps, n_sites)) @ factor.T, rng.standard_normal(n_sites) @ factor.T


def solar_day_index(times: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Index (0, 1, ...) of the local *solar* day each hour belongs to (UTC + lon/15 h)."""
    hours = (times - times[0]).total_seconds().to_numpy() / 3600.0
    first_local = times[0].hour + times[0].minute / 60 + lon / 15.0
    return np.floor((hours + first_local) / 24.0).astype(int) - int(np.floor(first_local / 24.0))


def local_solar_hour(times: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Mean local solar time of each hour's midpoint, 0..24. [h]"""
    utc = times.hour.to_numpy() + times.minute.to_numpy() / 60 + 0.5
    return np.mod(utc + lon / 15.0, 24.0)
