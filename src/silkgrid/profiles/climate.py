"""Offline climatologies that ship on PyPI, and the synthetic air temperature built from them.

Sources (all read from installed packages, nothing is downloaded):

* **MERRA-2 monthly PDFs of daily-mean GHI**, 3° × 3° land-proximate grid, 2011–2015
  (package ``gsee-climate-data``, data NASA GMAO MERRA-2, "no restrictions on use or
  redistribution"). Arrays ``xk`` (bin values [W/m²]) and ``pk`` (probabilities), dims
  (lat 44, lon 120, month 12, bins 128).
* **GLDAS-NOAH 0.25° statistics 2010–2018** (package ``pvcz``): RMS near-surface (10 m)
  wind speed [m/s], mean / min / max 3-hourly air temperature [°C], mean GHI
  [kWh/m²/day]. Land cells only.

The temperature model (:func:`temperature_series`) is a synthetic climatology, not
observed weather. Its seasonal amplitude is **an assumption derived from GLDAS extremes**:
``0.2 × (T_max − T_min)``, diurnal half-range ``0.08 × (T_max − T_min)``, synoptic
anomalies with standard deviation ``0.06 × (T_max − T_min)``. Checked by eye against
typical climate normals (Baku ≈ ±11 K, Tashkent ≈ ±13 K, Astana ≈ ±17 K, for which the
rule gives 10.9, 12.9 and 15.6 K); a node can override mean and amplitude.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from silkgrid.profiles._common import (
    ProfileError,
    ar1_filter,
    check_coordinates,
    great_circle_km,
    local_solar_hour,
    rng_for,
    site_key,
)

GLDAS_COLUMNS = ("lat", "lon", "T_ambient_mean", "T_ambient_min", "T_ambient_max",
                 "wind_speed_rms", "GHI_mean")


@lru_cache(maxsize=1)
def _merra2() -> dict[str, np.ndarray]:
    try:
        import gsee_climate_data
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise ProfileError("package 'gsee-climate-data' is needed for solar profiles; "
                           "pip install gsee-climate-data") from exc
    with gsee_climate_data.load() as data:
        out = {k: np.asarray(data[k]) for k in ("lat", "lon")}
        pk = np.asarray(data["pk"], dtype=float)
        out["xk"] = np.asarray(data["xk"], dtype=float)
    out["valid"] = np.isfinite(pk).all(axis=(2, 3)) & (np.nansum(pk, axis=(2, 3)) > 0)
    out["pk"] = np.nan_to_num(pk)
    return out


@dataclass(frozen=True)
class Merra2Cell:
    """Monthly daily-GHI distributions of one MERRA-2 3° cell."""

    lat: float
    lon: float
    xk: np.ndarray  # (12, bins) daily-mean GHI bin values [W/m²]
    cdf: np.ndarray  # (12, bins) cumulative probability
    monthly_mean: np.ndarray  # (12,) mean daily-mean GHI [W/m²]


@lru_cache(maxsize=256)
def merra2_cell(lat: float, lon: float) -> Merra2Cell:
    """Nearest MERRA-2 cell with data (3° grid, so up to ~230 km away)."""
    check_coordinates(lat, lon)
    m = _merra2()
    dlat = m["lat"][:, None] - lat
    dlon = (m["lon"][None, :] - lon + 180) % 360 - 180
    dist = dlat**2 + (dlon * np.cos(np.radians(lat))) ** 2
    dist = np.where(m["valid"], dist, np.inf)
    i, j = np.unravel_index(np.argmin(dist), dist.shape)
    if not np.isfinite(dist[i, j]):  # pragma: no cover - the grid always has valid cells
        raise ProfileError(f"no MERRA-2 irradiance cell near lat={lat}, lon={lon}")
    pk = m["pk"][i, j]
    pk = pk / pk.sum(axis=1, keepdims=True)
    xk = m["xk"][i, j]
    mean = (pk * np.clip(xk, 0, None)).sum(axis=1)
    return Merra2Cell(float(m["lat"][i]), float(m["lon"][j]), xk, np.cumsum(pk, axis=1), mean)


@lru_cache(maxsize=1)
def _gldas() -> pd.DataFrame:
    try:
        import pvcz
    except ImportError as exc:  # pragma: no cover
        raise ProfileError("package 'pvcz' is needed for wind and temperature climatology; "
                           "pip install pvcz") from exc
    df = pvcz.get_pvcz_data()
    return df.loc[:, list(GLDAS_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class GldasCell:
    """GLDAS-NOAH 0.25° 2010–2018 statistics at the nearest land cell."""

    lat: float
    lon: float
    distance_km: float
    temp_mean_c: float  # [°C]
    temp_min_c: float  # [°C]
    temp_max_c: float  # [°C]
    wind_speed_rms_10m: float  # [m/s]
    ghi_kwh_m2_day: float  # [kWh/m²/day]


@lru_cache(maxsize=1024)
def gldas_cell(lat: float, lon: float) -> GldasCell:
    """Nearest GLDAS land cell (the data set has no sea cells)."""
    check_coordinates(lat, lon)
    df = _gldas()
    la = df["lat"].to_numpy()
    lo = df["lon"].to_numpy()
    near = np.abs(la - lat) < 3
    idx = np.flatnonzero(near) if near.any() else np.arange(len(df))
    d = great_circle_km(lat, lon, la[idx], lo[idx])
    k = idx[np.argmin(d)]
    r = df.iloc[k]
    return GldasCell(float(r.lat), float(r.lon), float(d.min()), float(r.T_ambient_mean),
                     float(r.T_ambient_min), float(r.T_ambient_max), float(r.wind_speed_rms),
                     float(r.GHI_mean))


@dataclass(frozen=True)
class TemperatureClimate:
    """Parameters of the synthetic air temperature at a site.

    Attributes
    ----------
    mean_c : annual mean [°C]
    seasonal_amplitude_k : half the difference between the warmest and coldest month [K]
    diurnal_amplitude_k : half the mean daily range [K]
    synoptic_sd_k : standard deviation of day-to-day anomalies [K]
    warmest_day : day of year of the seasonal maximum (default 200, ~19 July)
    """

    mean_c: float
    seasonal_amplitude_k: float
    diurnal_amplitude_k: float
    synoptic_sd_k: float
    warmest_day: float = 200.0


def temperature_climate(lat: float, lon: float, **overrides: float) -> TemperatureClimate:
    """Temperature climatology of a site from GLDAS, with optional overrides.

    Overrides use the attribute names of :class:`TemperatureClimate`.
    """
    g = gldas_cell(lat, lon)
    rng_k = g.temp_max_c - g.temp_min_c
    base = dict(mean_c=g.temp_mean_c, seasonal_amplitude_k=0.2 * rng_k,
                diurnal_amplitude_k=0.08 * rng_k, synoptic_sd_k=0.06 * rng_k)
    unknown = set(overrides) - set(base) - {"warmest_day"}
    if unknown:
        raise ProfileError(f"unknown temperature override(s) {sorted(unknown)}; "
                           f"known: {sorted(base) + ['warmest_day']}")
    base.update({k: float(v) for k, v in overrides.items() if v is not None})
    return TemperatureClimate(**base)


def temperature_series(times: pd.DatetimeIndex, lat: float, lon: float, weather_year: int,
                       climate: TemperatureClimate | None = None) -> np.ndarray:
    """Synthetic hourly air temperature at 2 m. [°C]

    ``T = mean + A_s cos(2π (doy − warmest_day)/365.25) + A_d cos(2π (h_solar − 15)/24) + a``,
    where ``a`` is a daily AR(1) anomaly (persistence 0.8 per day, linearly interpolated to
    hours). Seeded from ``(weather_year, "temperature", site)``.
    """
    clim = climate or temperature_climate(lat, lon)
    mid = times + pd.Timedelta(minutes=30)
    doy = mid.day_of_year.to_numpy() + mid.hour.to_numpy() / 24.0
    seasonal = clim.seasonal_amplitude_k * np.cos(2 * np.pi * (doy - clim.warmest_day) / 365.25)
    diurnal = clim.diurnal_amplitude_k * np.cos(2 * np.pi * (local_solar_hour(times, lon) - 15) / 24)
    n_days = len(times) // 24 + 2
    rng = rng_for(weather_year, "temperature", site_key(lat, lon))
    daily = ar1_filter(rng.standard_normal(n_days), 0.8, rng.standard_normal())
    hours = np.arange(len(times), dtype=float)
    anomaly = np.interp(hours, np.arange(n_days) * 24.0 + 12.0, daily) * clim.synoptic_sd_k
    return clim.mean_c + seasonal + diurnal + anomaly
