"""Hub-height wind speed and wind-farm capacity factors from an offline climatology.

Model chain (one function per step):

1. **Mean wind climate** (:func:`hub_mean_speed`): the GLDAS-NOAH 0.25° RMS near-surface
   wind (``pvcz``, nominally 10 m, 2010–2018, nearest land cell) gives the Weibull scale at
   10 m for an assumed shape ``k`` (``c = v_rms / sqrt(Γ(1 + 2/k))``), carried to hub height
   with a power-law shear exponent ``α``. A planner can instead give the mean speed at hub
   height directly (site-class override, e.g. read off a wind atlas or mast data).
2. **Hourly speeds** (:func:`wind_speed_series`): a stationary AR(1) Gaussian process
   (persistence 0.975 per hour, an e-folding time of ~1.7 days) mapped to the Weibull
   marginal through a Gaussian copula, times an assumed seasonal (±10 %, winter maximum)
   and diurnal (±6 %, night maximum at hub height) modulation. Between nodes the Gaussian
   innovations are shared with correlation ``exp(−d / L)`` (default L = 500 km, an
   assumption; wind-output correlations decay roughly exponentially with distance,
   Olauson & Bergkvist 2016, doi:10.1016/j.energy.2016.08.036).
3. **Farm output** (:func:`power_curve_cf`): density-corrected speed (IEC 61400-12,
   ``v (ρ/1.225)^(1/3)``, ρ from site altitude and mean temperature) through a real turbine
   power curve bundled with ``windpowerlib`` (OEDB snapshot, read offline), smoothed with a
   Gaussian of turbulence intensity 0.10 to represent a farm, less 12 % losses (wakes,
   availability, electrical).

**Offshore (Caspian).** GLDAS is land-only, so it cannot describe the sea north of Absheron.
:data:`OFFSHORE_CASPIAN` therefore fixes the mean hub-height speed from the only sourced
measurement nearby: 7.9–8.1 m/s annual mean at 30–40 m on Absheron masts (domain-facts §3.1,
azpromo.az, ⚠️ single source), i.e. 8.0 m/s at 35 m carried to 120 m hub height with the
open-sea shear α = 0.10 → 9.05 m/s. No reported offshore capacity factor exists to check it
against (domain-facts §3.1 "✖").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import gamma, log_ndtr

from silkgrid.profiles._common import (
    ProfileError,
    ar1_filter,
    check_coordinates,
    hourly_index,
    local_solar_hour,
    rng_for,
    site_key,
)
from silkgrid.profiles.climate import gldas_cell, temperature_climate
from silkgrid.profiles.solar import site_altitude

#: Hourly persistence of the Gaussian wind scores (offline-data.md §2.2 prototype). Assumption.
HOURLY_PERSISTENCE = 0.975
#: e-folding distance of the correlation between nodes' Gaussian wind scores [km]. Assumption.
CORRELATION_LENGTH_KM = 500.0
GLDAS_HEIGHT_M = 10.0


@dataclass(frozen=True)
class WindSiteClass:
    """Site class of a wind node: everything a planner may override to calibrate.

    Attributes
    ----------
    mean_speed_hub : mean wind speed at hub height; None = from GLDAS RMS wind and shear [m/s]
    weibull_k : Weibull shape of hourly hub-height speeds [-]
    shear_alpha : power-law shear exponent from 10 m to hub height [-]
    hub_height : hub height [m]
    turbine_type : a ``windpowerlib`` bundled turbine with a power curve, e.g. ``V126/3300``
    losses : wake, availability and electrical losses [-]
    turbulence_intensity : of the Gaussian power-curve smoothing (farm representation) [-]
    seasonal_amplitude : relative amplitude of the seasonal speed cycle [-]
    seasonal_peak_day : day of year of the windiest season (15 = mid-January)
    diurnal_amplitude : relative amplitude of the daily speed cycle [-]
    diurnal_peak_hour : local solar hour of the daily speed maximum (0 = midnight) [h]
    persistence : hourly AR(1) coefficient of the Gaussian scores [-]
    density_correction : correct speeds for air density from altitude and temperature
    """

    mean_speed_hub: float | None = None
    weibull_k: float = 2.0
    shear_alpha: float = 1 / 7
    hub_height: float = 110.0
    turbine_type: str = "V126/3300"
    losses: float = 0.12
    turbulence_intensity: float = 0.10
    seasonal_amplitude: float = 0.10
    seasonal_peak_day: float = 15.0
    diurnal_amplitude: float = 0.06
    diurnal_peak_hour: float = 0.0
    persistence: float = HOURLY_PERSISTENCE
    density_correction: bool = True

    def __post_init__(self) -> None:
        checks = [(self.mean_speed_hub is None or 0.5 < self.mean_speed_hub < 20,
                   "mean_speed_hub must be 0.5..20 m/s"),
                  (0.8 <= self.weibull_k <= 5, "weibull_k must be 0.8..5"),
                  (-0.1 <= self.shear_alpha <= 0.6, "shear_alpha must be -0.1..0.6"),
                  (10 <= self.hub_height <= 250, "hub_height must be 10..250 m"),
                  (0 <= self.losses < 1, "losses must be in [0, 1)"),
                  (0 <= self.turbulence_intensity <= 0.5, "turbulence_intensity must be 0..0.5"),
                  (0 <= self.seasonal_amplitude < 0.5, "seasonal_amplitude must be in [0, 0.5)"),
                  (0 <= self.diurnal_amplitude < 0.5, "diurnal_amplitude must be in [0, 0.5)"),
                  (0 <= self.persistence < 1, "persistence must be in [0, 1)")]
        bad = [msg for ok, msg in checks if not ok]
        if bad:
            raise ProfileError(f"invalid wind site class: {'; '.join(bad)}")

    def as_dict(self) -> dict:
        return asdict(self)

    def with_overrides(self, **overrides) -> WindSiteClass:
        unknown = set(overrides) - set(asdict(self))
        if unknown:
            raise ProfileError(f"unknown wind site-class field(s) {sorted(unknown)}; "
                               f"known: {sorted(asdict(self))}")
        return replace(self, **overrides)


ONSHORE = WindSiteClass()
#: Offshore Caspian site class (see module docstring for the mean-speed assumption).
OFFSHORE_CASPIAN = WindSiteClass(
    mean_speed_hub=round(8.0 * (120.0 / 35.0) ** 0.10, 2), weibull_k=2.2, shear_alpha=0.10,
    hub_height=120.0, turbine_type="V164/9500", losses=0.15, turbulence_intensity=0.06,
    seasonal_amplitude=0.10, diurnal_amplitude=0.02, density_correction=False)
#: Named site classes a node can pick with ``wind: {site_class: NAME}``. Each says where its
#: numbers come from; see docs/profiles.md (validation) for the reference plants behind them.
SITE_CLASSES: dict[str, WindSiteClass] = {
    "onshore": ONSHORE,
    "caspian_offshore": OFFSHORE_CASPIAN,
    # Absheron masts: 7.9-8.1 m/s annual mean at 30-40 m (domain-facts §3.1, azpromo.az, ⚠️);
    # 8.0 m/s at 35 m, α = 1/7 to 110 m. Measured speed, NOT fitted to a capacity factor.
    # Checked against Khizi-Absheron (47.6 % announced): model 50.0 %.
    "absheron_coast": ONSHORE.with_overrides(mean_speed_hub=round(8.0 * (110.0 / 35.0) ** (1 / 7), 2)),
    # CALIBRATED: mean speed fitted to the announced Kungrad yield (5.2 TWh/yr on 1,500 MW =
    # 39.6 %, domain-facts §3.2) with calibrate_mean_speed at Kungrad town (43.07 N, 58.90 E).
    # GLDAS there gives 6.1 m/s at 110 m and 28.5 % (28 % low); the farm's exact site in the
    # large Kungrad district is not published.
    "kungrad_calibrated": ONSHORE.with_overrides(mean_speed_hub=7.45),
}


def weibull_scale_from_rms(v_rms: float, k: float) -> float:
    """Weibull scale from the RMS speed: ``c = v_rms / sqrt(Γ(1 + 2/k))``. [m/s]"""
    return float(v_rms / np.sqrt(gamma(1 + 2 / k)))


def weibull_scale_from_mean(v_mean: float, k: float) -> float:
    """Weibull scale from the mean speed: ``c = v̄ / Γ(1 + 1/k)``. [m/s]"""
    return float(v_mean / gamma(1 + 1 / k))


def power_law_shear(speed, height_ref: float, height: float, alpha: float):
    """Speed at ``height`` from speed at ``height_ref``: ``v (z / z_ref)^α``. [m/s]"""
    return speed * (height / height_ref) ** alpha


def weibull_from_normal(z: np.ndarray, k: float, c: float) -> np.ndarray:
    """Map standard-normal scores to Weibull(k, c) speeds (Gaussian copula). [m/s]

    ``v = c (−ln(1 − Φ(z)))^(1/k)``, with ``ln(1 − Φ(z)) = ln Φ(−z)`` for accuracy in the tail.
    """
    return c * (-log_ndtr(-np.asarray(z, dtype=float))) ** (1.0 / k)


def air_density(altitude: float, temp_c: float) -> float:
    """Dry-air density from the standard-atmosphere pressure at ``altitude``. [kg/m³]"""
    import pvlib

    return float(pvlib.atmosphere.alt2pres(altitude) / (287.05 * (temp_c + 273.15)))


def hub_mean_speed(lat: float, lon: float, site: WindSiteClass = ONSHORE) -> tuple[float, str]:
    """Mean hub-height speed and a text saying where it came from. [m/s]"""
    if site.mean_speed_hub is not None:
        return float(site.mean_speed_hub), "site-class override (mean speed at hub height)"
    g = gldas_cell(lat, lon)
    if g.distance_km > 50:
        raise ProfileError(
            f"the nearest GLDAS land cell is {g.distance_km:.0f} km from ({lat}, {lon}); GLDAS has no "
            "sea cells. Give this node an explicit mean_speed_hub (offshore site class)")
    c10 = weibull_scale_from_rms(g.wind_speed_rms_10m, site.weibull_k)
    mean10 = c10 * gamma(1 + 1 / site.weibull_k)
    mean_hub = float(power_law_shear(mean10, GLDAS_HEIGHT_M, site.hub_height, site.shear_alpha))
    return mean_hub, (f"GLDAS-NOAH RMS wind {g.wind_speed_rms_10m:.2f} m/s at 10 m "
                      f"(cell {g.lat:.3f}, {g.lon:.3f}), k={site.weibull_k}, α={site.shear_alpha:.3f}")


def wind_modulation(times: pd.DatetimeIndex, lon: float, site: WindSiteClass) -> np.ndarray:
    """Seasonal × diurnal multiplicative modulation of hourly speed (mean ≈ 1). [-]"""
    mid = times + pd.Timedelta(minutes=30)
    doy = mid.day_of_year.to_numpy() + mid.hour.to_numpy() / 24.0
    seasonal = 1 + site.seasonal_amplitude * np.cos(2 * np.pi * (doy - site.seasonal_peak_day) / 365.25)
    hour = local_solar_hour(times, lon)
    diurnal = 1 + site.diurnal_amplitude * np.cos(2 * np.pi * (hour - site.diurnal_peak_hour) / 24)
    return seasonal * diurnal


def wind_scores(n_hours: int, lat: float, lon: float, weather_year: int,
                persistence: float = HOURLY_PERSISTENCE) -> np.ndarray:
    """Standard-normal AR(1) hourly wind scores at one site, seeded from (year, site)."""
    rng = rng_for(weather_year, "wind", site_key(lat, lon))
    return ar1_filter(rng.standard_normal(n_hours), persistence, rng.standard_normal())


def wind_speed_series(lat: float, lon: float, *, year: int = 2030, weather_year: int = 1,
                      site: WindSiteClass = ONSHORE, scores: np.ndarray | None = None) -> pd.Series:
    """Hourly hub-height wind speed (not density-corrected). [m/s]

    Parameters
    ----------
    lat, lon : site [°]
    year : calendar year of the UTC time axis
    weather_year : integer seed of the synthetic weather
    site : site class (mean speed or GLDAS, k, shear, hub height, modulation)
    scores : standard-normal AR(1) hourly scores (shared, spatially correlated draws); drawn
        from ``(weather_year, site)`` when omitted
    """
    check_coordinates(lat, lon)
    times = hourly_index(year)
    mean_hub, _ = hub_mean_speed(lat, lon, site)
    if scores is None:
        scores = wind_scores(len(times), lat, lon, weather_year, site.persistence)
    if len(scores) != len(times):
        raise ProfileError(f"need {len(times)} hourly wind scores, got {len(scores)}")
    c = weibull_scale_from_mean(mean_hub, site.weibull_k)
    speed = weibull_from_normal(scores, site.weibull_k, c) * wind_modulation(times, lon, site)
    return pd.Series(speed, index=times, name="wind_speed_hub")


def smooth_power_curve(speed: np.ndarray, power: np.ndarray, turbulence_intensity: float, *,
                       block_width: float = 0.5, wind_speed_range: float = 15.0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian-smoothed ("farm") power curve, vectorised. [m/s], [same unit as ``power``]

    Same algorithm as ``windpowerlib.power_curves.smooth_power_curve`` with the
    ``turbulence_intensity`` method (Nørgaard & Holttinen 2004; Knorr 2016): the curve is
    extended by ``wind_speed_range`` with zeros, and each point becomes
    ``Σ_b Δ · P(v + b) · N(b; 0, σ = TI · v)`` over offsets ``b`` in ``±wind_speed_range`` with step
    ``Δ = block_width``. windpowerlib loops in Python (~0.3 s per curve); this is one array
    expression (the test checks both agree).
    """
    speed = np.asarray(speed, dtype=float)
    power = np.asarray(power, dtype=float)
    step = speed[5] - speed[4]
    n_extra = 0
    last = speed[-1]
    while last < speed[-1] + wind_speed_range:  # at most a few dozen points, as windpowerlib does
        last += step
        n_extra += 1
    ext = np.concatenate([speed, speed[-1] + step * np.arange(1, n_extra + 1)])
    vals = np.concatenate([power, np.zeros(n_extra)])
    offsets = np.arange(-wind_speed_range, wind_speed_range + block_width, block_width)
    blocks = ext[:, None] + offsets[None, :]
    sigma = ext * turbulence_intensity
    safe = np.where(sigma > 0, sigma, 1.0)[:, None]
    gauss = np.exp(-0.5 * (offsets[None, :] / safe) ** 2) / (safe * np.sqrt(2 * np.pi))
    smoothed = (block_width * np.interp(blocks, ext, vals, left=0.0, right=0.0) * gauss).sum(axis=1)
    return ext, np.where(sigma > 0, smoothed, 0.0)


@lru_cache(maxsize=64)
def farm_power_curve(turbine_type: str, turbulence_intensity: float = 0.10) -> tuple[np.ndarray, np.ndarray]:
    """Power curve per unit of rated power, smoothed for a farm (windpowerlib bundled data).

    Returns ``(wind_speed [m/s], power [-])``. Only curves bundled with windpowerlib are read;
    the OEDB web lookup is never called.
    """
    import warnings

    from windpowerlib import WindTurbine, get_turbine_types

    with warnings.catch_warnings():  # windpowerlib's own pandas deprecation warnings
        warnings.simplefilter("ignore")
        known = get_turbine_types(turbine_library="local", print_out=False)
        known = known.loc[known["has_power_curve"], "turbine_type"].tolist()
        if turbine_type not in known:
            raise ProfileError(f"unknown turbine type '{turbine_type}'; windpowerlib bundles power curves for "
                               f"{len(known)} types, e.g. V126/3300, V112/3450, E-126/4200, V164/9500: "
                               f"{', '.join(sorted(known))}")
        turbine = WindTurbine(turbine_type=turbine_type, hub_height=100.0)
    curve = turbine.power_curve
    speed = curve["wind_speed"].to_numpy(dtype=float)
    power = curve["value"].to_numpy(dtype=float) / float(turbine.nominal_power)
    if turbulence_intensity > 0:
        speed, power = smooth_power_curve(speed, power, turbulence_intensity)
    return speed, np.clip(power, 0.0, 1.0)


def power_curve_cf(speed: np.ndarray, curve: tuple[np.ndarray, np.ndarray], losses: float = 0.0) -> np.ndarray:
    """Capacity factor from hub-height speed through a per-unit power curve, less losses. [-]"""
    cf = np.interp(np.asarray(speed, dtype=float), curve[0], curve[1], left=0.0, right=0.0)
    return np.clip(cf, 0.0, 1.0) * (1.0 - losses)


def wind_cf(lat: float, lon: float, *, year: int = 2030, weather_year: int = 1,
            site: WindSiteClass = ONSHORE, scores: np.ndarray | None = None) -> pd.Series:
    """Hourly wind-farm capacity factor of a site, 8,760 UTC hours of ``year``. [-]

    Examples
    --------
    >>> cf = wind_cf(51.596, 73.080, weather_year=1)  # Ereymentau  # doctest: +SKIP
    """
    speed = wind_speed_series(lat, lon, year=year, weather_year=weather_year, site=site, scores=scores)
    v = speed.to_numpy()
    if site.density_correction:
        rho = air_density(site_altitude(lat, lon), temperature_climate(lat, lon).mean_c)
        v = v * (rho / 1.225) ** (1.0 / 3.0)
    curve = farm_power_curve(site.turbine_type, site.turbulence_intensity)
    return pd.Series(power_curve_cf(v, curve, site.losses), index=speed.index, name="wind")


def calibrate_mean_speed(lat: float, lon: float, target_cf: float, *, site: WindSiteClass = ONSHORE,
                         weather_years: tuple[int, ...] = (1, 2, 3, 4, 5), year: int = 2030) -> float:
    """Mean hub-height speed that makes the multi-year mean CF equal ``target_cf``. [m/s]

    A planner's calibration tool: use it with a *reported* yield as the target and record the
    result as a site-class override (``mean_speed_hub``), saying that it was calibrated.
    """
    from scipy.optimize import brentq

    if not 0.05 < target_cf < 0.7:
        raise ProfileError(f"target capacity factor {target_cf} is outside 0.05..0.7")

    def gap(v: float) -> float:
        s = site.with_overrides(mean_speed_hub=v)
        return float(np.mean([wind_cf(lat, lon, year=year, weather_year=y, site=s).mean()
                              for y in weather_years])) - target_cf

    return float(brentq(gap, 2.0, 15.0, xtol=1e-3))
