"""Photovoltaic capacity factors from physics and an offline cloudiness climatology.

Model chain (one function per step, all vectorised over hours):

1. :func:`solar_position` — pvlib NREL SPA (numpy) at each hour's midpoint.
2. :func:`clear_sky` — Ineichen–Perez clear sky with pvlib's bundled monthly Linke-turbidity
   climatology and altitude grid.
3. :func:`cloudy_ghi` — each local solar day gets a daily-mean GHI drawn from that month's
   MERRA-2 distribution (``gsee-climate-data``) through a Gaussian copula with AR(1)
   day-to-day persistence; the day's clear-sky index ``kc = GHI_day / GHI_clear,day`` is
   clipped loosely at 1.15 and the hourly clear-sky shape is scaled by it; finally every
   calendar month is rescaled so its mean GHI equals the MERRA-2 mean of that month
   (clipping harder loses ~4.5 % of the annual GHI in Central Asia, where the bundled
   Linke turbidity is high in summer; see ``/work/shared/offline-data.md`` §1.3).
4. :func:`pv_ac_capacity_factor` — Erbs decomposition, Perez transposition (fixed tilt or a
   horizontal single-axis tracker with backtracking), physical IAM on the beam, Faiman cell
   temperature, PVWatts DC (γ, system losses) and PVWatts inverter. Output per unit of
   **AC** nameplate, with a DC/AC ratio.

The weather is synthetic and statistically representative, not a historical year.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr

from silkgrid.profiles._common import (
    ProfileError,
    ar1_filter,
    check_coordinates,
    hourly_index,
    quiet_dependency_deprecations,
    rng_for,
    site_key,
    solar_day_index,
)
from silkgrid.profiles.climate import (
    Merra2Cell,
    TemperatureClimate,
    merra2_cell,
    temperature_climate,
    temperature_series,
)

#: Default day-to-day persistence of the daily clear-sky index (Gaussian scores), as tested in
#: offline-data.md §1.2. Assumption.
DAILY_PERSISTENCE = 0.5
#: Loose upper clip of the daily clear-sky index before the monthly rescale (offline-data.md §1.3).
KC_CLIP = 1.15


@dataclass(frozen=True)
class PVSystem:
    """A utility PV plant, per unit of AC nameplate.

    Attributes
    ----------
    tracking : horizontal single-axis tracker (N–S axis) instead of fixed tilt
    surface_tilt : fixed-tilt module tilt [°]
    surface_azimuth : fixed-tilt azimuth, 180 = south [°]
    axis_azimuth : tracker axis azimuth, 180 = N–S axis [°]
    max_angle : tracker rotation limit [°]
    backtrack : tracker backtracking
    gcr : ground coverage ratio (tracker backtracking) [-]
    dc_ac_ratio : DC nameplate / AC nameplate [-]
    losses : DC-side system losses (soiling, mismatch, wiring, LID, availability...),
        PVWatts default 14.08 % [-]
    gamma_pdc : power temperature coefficient [1/K]
    inverter_efficiency : nominal inverter efficiency [-]
    albedo : ground albedo (0.25; bright desert ground is often 0.3) [-]
    bifacial_gain : extra yield of bifacial modules as a fraction of the front-side
        effective irradiance (0 = monofacial) [-]
    wind_speed : wind at module height for the Faiman model [m/s]
    """

    tracking: bool = False
    surface_tilt: float = 30.0
    surface_azimuth: float = 180.0
    axis_azimuth: float = 180.0
    max_angle: float = 60.0
    backtrack: bool = True
    gcr: float = 0.35
    dc_ac_ratio: float = 1.25
    losses: float = 0.1408
    gamma_pdc: float = -0.0035
    inverter_efficiency: float = 0.96
    albedo: float = 0.25
    bifacial_gain: float = 0.0
    wind_speed: float = 2.0

    def __post_init__(self) -> None:
        checks = [(0 <= self.surface_tilt <= 90, "surface_tilt must be 0..90°"),
                  (0 < self.dc_ac_ratio <= 3, "dc_ac_ratio must be in (0, 3]"),
                  (0 <= self.losses < 1, "losses must be in [0, 1)"),
                  (0 < self.inverter_efficiency <= 1, "inverter_efficiency must be in (0, 1]"),
                  (0 <= self.albedo <= 1, "albedo must be in [0, 1]"),
                  (0 <= self.bifacial_gain < 0.5, "bifacial_gain must be in [0, 0.5)"),
                  (0 < self.gcr < 1, "gcr must be in (0, 1)"),
                  (0 < self.max_angle <= 90, "max_angle must be in (0, 90]")]
        bad = [msg for ok, msg in checks if not ok]
        if bad:
            raise ProfileError(f"invalid PV system {self}: " + "; ".join(bad))

    def as_dict(self) -> dict:
        return asdict(self)


FIXED = PVSystem(tracking=False)
TRACKING = PVSystem(tracking=True)


def site_altitude(lat: float, lon: float) -> float:
    """Ground altitude from pvlib's bundled global grid. [m]"""
    import pvlib

    return float(pvlib.location.lookup_altitude(lat, lon))


@quiet_dependency_deprecations()
def solar_position(times: pd.DatetimeIndex, lat: float, lon: float, altitude: float) -> pd.DataFrame:
    """Sun position at the midpoint of each hour (pvlib ``nrel_numpy``), indexed by ``times``."""
    import pvlib

    mid = times + pd.Timedelta(minutes=30)
    sp = pvlib.solarposition.get_solarposition(mid, lat, lon, altitude=altitude, method="nrel_numpy")
    sp.index = times
    return sp


@quiet_dependency_deprecations()
def clear_sky(times: pd.DatetimeIndex, solpos: pd.DataFrame, lat: float, lon: float,
              altitude: float) -> pd.DataFrame:
    """Ineichen clear-sky GHI, DNI, DHI with the Linke-turbidity climatology. [W/m²]"""
    import pvlib

    mid = times + pd.Timedelta(minutes=30)
    linke = pvlib.clearsky.lookup_linke_turbidity(mid, lat, lon).to_numpy()
    am_rel = pvlib.atmosphere.get_relative_airmass(solpos["apparent_zenith"].to_numpy())
    am_abs = pvlib.atmosphere.get_absolute_airmass(am_rel, pvlib.atmosphere.alt2pres(altitude))
    dni_extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):  # night hours: airmass is NaN
        cs = pvlib.clearsky.ineichen(solpos["apparent_zenith"].to_numpy(), am_abs, linke,
                                     altitude=altitude, dni_extra=dni_extra)
    out = pd.DataFrame({k: np.nan_to_num(np.asarray(cs[k], dtype=float)) for k in ("ghi", "dni", "dhi")},
                       index=times)
    return out.clip(lower=0.0)


def daily_scores(n_days: int, lat: float, lon: float, weather_year: int,
                 rho: float = DAILY_PERSISTENCE) -> np.ndarray:
    """Standard-normal AR(1) daily scores of cloudiness at one site, seeded from (year, site)."""
    rng = rng_for(weather_year, "cloud", site_key(lat, lon))
    return ar1_filter(rng.standard_normal(n_days), rho, rng.standard_normal())


def cloudy_ghi(times: pd.DatetimeIndex, ghi_clear: np.ndarray, lon: float, cell: Merra2Cell,
               scores: np.ndarray, kc_clip: float = KC_CLIP, rescale_monthly: bool = True) -> np.ndarray:
    """All-sky hourly GHI from clear sky and daily draws from the MERRA-2 PDFs. [W/m²]

    Parameters
    ----------
    times : hour-beginning UTC stamps
    ghi_clear : clear-sky GHI per hour [W/m²]
    lon : longitude, defines the local solar day [°]
    cell : MERRA-2 distributions of the site's cell
    scores : standard-normal daily scores (one per local solar day, at least as many as days)
    kc_clip : upper clip of the daily clear-sky index (loose: 1.15)
    rescale_monthly : rescale each calendar month to the MERRA-2 monthly mean GHI
    """
    day = solar_day_index(times, lon)
    n_days = int(day.max()) + 1
    if len(scores) < n_days:
        raise ProfileError(f"need {n_days} daily scores, got {len(scores)}")
    counts = np.bincount(day, minlength=n_days)
    clear_day = np.bincount(day, weights=ghi_clear, minlength=n_days) / np.maximum(counts, 1)
    # month of each solar day: the month of its first hour (mid-day would differ by < 1 day)
    first_hour = np.searchsorted(day, np.arange(n_days))
    month = times.month.to_numpy()[np.minimum(first_hour, len(times) - 1)] - 1
    u = ndtr(np.asarray(scores[:n_days], dtype=float))
    ghi_day = np.empty(n_days)
    for m in range(12):  # 12 vectorised inversions, not a loop over hours
        sel = month == m
        if sel.any():
            ghi_day[sel] = np.interp(u[sel], cell.cdf[m], cell.xk[m])
    ghi_day = np.clip(ghi_day, 0.0, None)
    kc = np.divide(ghi_day, clear_day, out=np.zeros(n_days), where=clear_day > 1.0)
    kc = np.clip(kc, 0.0, kc_clip)
    ghi = kc[day] * ghi_clear
    if rescale_monthly:
        hmonth = times.month.to_numpy() - 1
        n_h = np.bincount(hmonth, minlength=12)
        total = np.bincount(hmonth, weights=ghi, minlength=12)
        factor = np.divide(cell.monthly_mean * n_h, total, out=np.ones(12), where=total > 0)
        ghi = ghi * factor[hmonth]
    return ghi


@quiet_dependency_deprecations()
def site_weather(lat: float, lon: float, *, year: int, weather_year: int,
                 scores: np.ndarray | None = None, rho: float = DAILY_PERSISTENCE,
                 kc_clip: float = KC_CLIP, temperature: TemperatureClimate | None = None,
                 hours: int = 8760) -> pd.DataFrame:
    """Hourly synthetic solar weather at a site.

    Returns a frame indexed by UTC hour with columns ``ghi``, ``dni``, ``dhi`` [W/m²],
    ``ghi_clear`` [W/m²], ``temp_air`` [°C], ``zenith``, ``apparent_zenith``, ``azimuth`` [°],
    ``dni_extra`` [W/m²].
    """
    import pvlib

    check_coordinates(lat, lon)
    times = hourly_index(year, hours)
    altitude = site_altitude(lat, lon)
    sp = solar_position(times, lat, lon, altitude)
    cs = clear_sky(times, sp, lat, lon, altitude)
    cell = merra2_cell(lat, lon)
    n_days = int(solar_day_index(times, lon).max()) + 1
    if scores is None:
        scores = daily_scores(n_days, lat, lon, weather_year, rho)
    ghi = cloudy_ghi(times, cs["ghi"].to_numpy(), lon, cell, scores, kc_clip)
    zenith = sp["zenith"].to_numpy()
    mid = times + pd.Timedelta(minutes=30)
    parts = pvlib.irradiance.erbs(ghi, zenith, mid.day_of_year.to_numpy())
    night = sp["apparent_zenith"].to_numpy() >= 90
    dni = np.where(night, 0.0, np.nan_to_num(np.asarray(parts["dni"], dtype=float)))
    dhi = np.where(night, 0.0, np.nan_to_num(np.asarray(parts["dhi"], dtype=float)))
    ghi = np.where(night, 0.0, ghi)
    temp = temperature_series(times, lat, lon, weather_year,
                              temperature or temperature_climate(lat, lon))
    return pd.DataFrame({
        "ghi": ghi, "dni": dni, "dhi": dhi, "ghi_clear": cs["ghi"].to_numpy(), "temp_air": temp,
        "zenith": zenith, "apparent_zenith": sp["apparent_zenith"].to_numpy(),
        "azimuth": sp["azimuth"].to_numpy(),
        "dni_extra": pvlib.irradiance.get_extra_radiation(mid).to_numpy(),
    }, index=times)


@quiet_dependency_deprecations()
def pv_ac_capacity_factor(weather: pd.DataFrame, system: PVSystem = FIXED) -> pd.Series:
    """AC output per unit of AC nameplate from hourly irradiance and temperature. [-]

    Parameters
    ----------
    weather : frame with ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``zenith``,
        ``apparent_zenith``, ``azimuth`` [°] and ``dni_extra`` [W/m²] (see :func:`site_weather`)
    system : plant description

    Notes
    -----
    ``P_dc = dc_ac · E_eff/1000 · (1 + γ (T_cell − 25)) · (1 − losses)``; the PVWatts inverter
    with ``pdc0 = 1/η`` caps AC output at 1 (clipping of an oversized DC array).
    """
    import pvlib

    zen = weather["zenith"].to_numpy()
    app = weather["apparent_zenith"].to_numpy()
    azi = weather["azimuth"].to_numpy()
    day = app < 90
    if system.tracking:
        tr = pvlib.tracking.singleaxis(app, azi, axis_tilt=0, axis_azimuth=system.axis_azimuth,
                                       max_angle=system.max_angle, backtrack=system.backtrack,
                                       gcr=system.gcr)
        tilt = np.nan_to_num(np.asarray(tr["surface_tilt"], dtype=float))
        surf_az = np.nan_to_num(np.asarray(tr["surface_azimuth"], dtype=float), nan=180.0)
    else:
        tilt = np.full(len(zen), system.surface_tilt)
        surf_az = np.full(len(zen), system.surface_azimuth)
    airmass = pvlib.atmosphere.get_relative_airmass(np.where(day, zen, 89.9))
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, surf_az, zen, azi, weather["dni"].to_numpy(), weather["ghi"].to_numpy(),
        weather["dhi"].to_numpy(), dni_extra=weather["dni_extra"].to_numpy(), airmass=airmass,
        albedo=system.albedo, model="perez")
    aoi = pvlib.irradiance.aoi(tilt, surf_az, zen, azi)
    iam = np.nan_to_num(np.asarray(pvlib.iam.physical(aoi), dtype=float))
    direct = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float))
    diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float))
    poa_global = np.where(day, np.clip(direct + diffuse, 0, None), 0.0)
    effective = np.where(day, np.clip(direct * iam + diffuse, 0, None), 0.0) * (1 + system.bifacial_gain)
    temp_cell = pvlib.temperature.faiman(poa_global, weather["temp_air"].to_numpy(),
                                         wind_speed=system.wind_speed)
    pdc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, system.dc_ac_ratio, system.gamma_pdc)
    pdc = np.clip(np.asarray(pdc, dtype=float), 0, None) * (1 - system.losses)
    pac = pvlib.inverter.pvwatts(pdc, 1.0 / system.inverter_efficiency,
                                 eta_inv_nom=system.inverter_efficiency)
    cf = np.clip(np.nan_to_num(np.asarray(pac, dtype=float)), 0.0, 1.0)
    return pd.Series(cf, index=weather.index, name="solar_tracking" if system.tracking else "solar_fixed")


def solar_cf(lat: float, lon: float, *, year: int = 2030, weather_year: int = 1,
             system: PVSystem = FIXED, scores: np.ndarray | None = None,
             rho: float = DAILY_PERSISTENCE, kc_clip: float = KC_CLIP,
             temperature: TemperatureClimate | None = None) -> pd.Series:
    """Hourly PV capacity factor of a site (AC basis), 8,760 UTC hours of ``year``. [-]

    Parameters
    ----------
    lat, lon : site coordinates [°]
    year : calendar year of the time axis (weekdays, leap days)
    weather_year : integer seed of the synthetic weather
    system : fixed tilt (default) or :data:`TRACKING`, or any :class:`PVSystem`
    scores : optional daily standard-normal cloudiness scores (shared draws for spatially
        correlated sites); drawn from ``(weather_year, site)`` when omitted
    rho : day-to-day persistence of the cloudiness scores [-]
    kc_clip : loose clip of the daily clear-sky index [-]
    temperature : override of the temperature climatology

    Examples
    --------
    >>> cf = solar_cf(40.1, 65.4, weather_year=1, system=TRACKING)  # Navoi  # doctest: +SKIP
    >>> round(cf.mean(), 2)  # doctest: +SKIP
    0.27
    """
    weather = site_weather(lat, lon, year=year, weather_year=weather_year, scores=scores, rho=rho,
                           kc_clip=kc_clip, temperature=temperature)
    return pv_ac_capacity_factor(weather, system)
