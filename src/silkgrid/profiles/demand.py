"""Hourly electricity demand from an annual energy and a peak, with holidays and temperature.

Model (:func:`demand_profile`)::

    shape_h  = base + (1 − base) · intraday(h_local, daytype) × daytype_level   (mean 1)
    thermal_h = w_heat · HDH_h + w_cool · CDH_h        [K]
    demand_h = E/8760 · norm( shape_h · (1 + λ · thermal_h) )

* ``intraday`` is a generic two-peak working-day / weekend shape in **local** time
  (``zoneinfo`` time zone of the country, daylight saving included) — an assumption, not a
  measured national shape.
* A country's continuous-industry share (:data:`BASELOAD_SHARES`, assumption) has no cycle.
* Day types: Saturday 0.93, Sunday 0.88 of a working day; **national public holidays from
  the ``holidays`` package** (country code) are treated as Sundays. Assumed ratios.
* ``HDH`` = heating degree-hours below 15.5 °C of the 24-h running-mean temperature,
  ``CDH`` = cooling degree-hours above 24 °C of the 6-h running-mean temperature (thresholds
  from offline-data.md §4.1),
  from the synthetic temperature of :mod:`silkgrid.profiles.climate`. The relative per-kelvin
  heating/cooling weights per country are assumptions chosen so the season of the annual peak matches the
  reported one (KZ winter; UZ, AZ and TR summer; see :data:`THERMAL_WEIGHTS`).
* ``λ`` (thermal sensitivity) is solved by bisection so that **peak / mean equals the
  reported ratio** (within 0.1 %); the final normalisation makes the **annual sum equal the
  annual energy exactly** (float rounding). Without a peak, λ = :data:`DEFAULT_THERMAL_SENSITIVITY`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from silkgrid.profiles._common import ProfileError, check_coordinates, hourly_index
from silkgrid.profiles.climate import TemperatureClimate, temperature_climate, temperature_series

#: Time zone per country (IANA; pandas/zoneinfo handle daylight saving).
TIMEZONES = {
    "KZ": "Asia/Almaty", "UZ": "Asia/Tashkent", "AZ": "Asia/Baku", "GE": "Asia/Tbilisi",
    "TR": "Europe/Istanbul", "RO": "Europe/Bucharest", "HU": "Europe/Budapest",
    "TM": "Asia/Ashgabat", "KG": "Asia/Bishkek", "TJ": "Asia/Dushanbe", "AM": "Asia/Yerevan",
    "RU": "Europe/Moscow", "BG": "Europe/Sofia",
}
#: Relative per-kelvin sensitivity (heating, cooling). ASSUMPTIONS, chosen so the modelled annual peak falls in
#: the season of the reported peak (domain-facts §2): KZ 7 Dec 2022; UZ 26 Jul 2023 (with a
#: record *daily* consumption in January 2026, so both seasons matter); AZ 6 Aug 2025;
#: TR 4 Aug; HU "winter peak > 7,000 MW". GE and RO have no reliable peak data.
THERMAL_WEIGHTS = {
    "KZ": (1.0, 1.0), "UZ": (1.0, 3.0), "AZ": (1.0, 4.0), "GE": (1.0, 1.0),
    "TR": (1.0, 4.0), "RO": (1.0, 1.0), "HU": (1.0, 1.0),
}
DEFAULT_THERMAL_WEIGHTS = (1.0, 1.0)
#: Share of demand with no daily or weekly cycle (continuous industry). ASSUMPTIONS: high in
#: Kazakhstan (metallurgy and mining; its reported peak is only 1.21 × the mean, domain-facts
#: §2.1), lower elsewhere. Flattens the intraday shape: ``base + (1 − base) × intraday``.
BASELOAD_SHARES = {"KZ": 0.55, "UZ": 0.35, "AZ": 0.25, "GE": 0.30, "TR": 0.35, "RO": 0.35, "HU": 0.30}
DEFAULT_BASELOAD_SHARE = 0.3
#: λ [1/K] used when no peak is given: +1 % demand per weighted degree.
DEFAULT_THERMAL_SENSITIVITY = 0.01
HEATING_BASE_C = 15.5
COOLING_BASE_C = 24.0
SATURDAY_LEVEL = 0.93
SUNDAY_LEVEL = 0.88

# Generic intraday shapes by local hour (00..23), relative; assumptions (two-peak systems with
# a morning ramp and an evening peak, weekend later and flatter).
_WORKDAY = np.array([0.80, 0.77, 0.75, 0.75, 0.76, 0.80, 0.88, 0.97, 1.04, 1.07, 1.08, 1.08,
                     1.07, 1.07, 1.06, 1.05, 1.05, 1.08, 1.14, 1.18, 1.17, 1.11, 1.00, 0.88])
_WEEKEND = np.array([0.84, 0.80, 0.77, 0.76, 0.76, 0.77, 0.81, 0.86, 0.93, 0.99, 1.03, 1.05,
                     1.05, 1.04, 1.02, 1.01, 1.02, 1.06, 1.13, 1.18, 1.17, 1.11, 1.01, 0.91])


@lru_cache(maxsize=64)
def holiday_dates(country: str, year: int) -> frozenset:
    """National public holidays of ``country`` in ``year`` (and the next, for UTC spill-over)."""
    import holidays

    try:
        cal = holidays.country_holidays(country, years=[year, year + 1])
    except NotImplementedError as exc:
        raise ProfileError(f"the 'holidays' package has no calendar for country '{country}'; use an "
                           "ISO 3166 alpha-2 code it supports or set holidays=False") from exc
    return frozenset(cal.keys())


def base_shape(times: pd.DatetimeIndex, country: str, *, timezone: str | None = None,
               observe_holidays: bool = True, baseload_share: float | None = None) -> np.ndarray:
    """Intraday × day-type shape on the UTC axis, mean 1. [-]"""
    tz = timezone or TIMEZONES.get(country)
    if tz is None:
        raise ProfileError(f"no time zone known for country '{country}'; pass timezone='Area/City'")
    local = times.tz_convert(tz)
    hour = local.hour.to_numpy()
    dow = local.day_of_week.to_numpy()
    is_holiday = np.zeros(len(times), dtype=bool)
    if observe_holidays:
        dates = holiday_dates(country, int(local[0].year))
        is_holiday = np.isin(local.date, np.array(sorted(dates), dtype=object))
    sunday_like = (dow == 6) | is_holiday
    saturday = (dow == 5) & ~is_holiday
    weekend = sunday_like | saturday
    shape = np.where(weekend, _WEEKEND[hour], _WORKDAY[hour])
    level = np.where(sunday_like, SUNDAY_LEVEL, np.where(saturday, SATURDAY_LEVEL, 1.0))
    s = shape * level
    s = s / s.mean()
    base = BASELOAD_SHARES.get(country, DEFAULT_BASELOAD_SHARE) if baseload_share is None else baseload_share
    if not 0 <= base < 1:
        raise ProfileError(f"baseload_share must be in [0, 1), got {base}")
    return base + (1 - base) * s


def degree_hours(temp_air: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heating and cooling degree-hours of an hourly temperature series. [K]

    Heating: below 15.5 °C of the trailing 24-h mean temperature (building inertia).
    Cooling: above 24 °C of the trailing 6-h mean temperature.
    """
    def trailing_mean(x: np.ndarray, n: int) -> np.ndarray:
        padded = np.concatenate([np.full(n - 1, x[0]), x])
        return np.convolve(padded, np.ones(n) / n, mode="valid")

    hdh = np.clip(HEATING_BASE_C - trailing_mean(temp_air, 24), 0, None)
    cdh = np.clip(trailing_mean(temp_air, 6) - COOLING_BASE_C, 0, None)
    return hdh, cdh


def thermal_index(temp_air: np.ndarray, weights: tuple[float, float]) -> np.ndarray:
    """Weighted degree-hours ``w_heat · HDH + w_cool · CDH``. [K]

    The weights are *relative* per-kelvin sensitivities of demand to heating and cooling
    degrees; their common scale (the thermal sensitivity λ, 1/K) is solved from the peak.
    """
    w_heat, w_cool = weights
    if w_heat < 0 or w_cool < 0 or w_heat + w_cool <= 0:
        raise ProfileError(f"thermal weights must be non-negative and not both zero, got {weights}")
    hdh, cdh = degree_hours(temp_air)
    return w_heat * hdh + w_cool * cdh


def _combine(shape: np.ndarray, thermal: np.ndarray, lam: float) -> np.ndarray:
    d = shape * (1.0 + lam * thermal)
    return d / d.mean()


def solve_thermal_sensitivity(shape: np.ndarray, thermal: np.ndarray, peak_to_mean: float,
                              rtol: float = 1e-3) -> float:
    """λ ≥ 0 [1/K] with ``max(norm(shape (1 + λ thermal))) = peak_to_mean`` (bisection)."""
    def ratio(lam: float) -> float:
        return float(_combine(shape, thermal, lam).max())

    if ratio(0.0) > peak_to_mean * (1 + rtol):
        raise ProfileError(
            f"the reported peak/mean ratio {peak_to_mean:.3f} is below what the daily and weekly cycle "
            f"alone gives ({ratio(0.0):.3f}); check the peak (MW) and annual energy (MWh) figures, or "
            "raise baseload_share")
    lo, hi = 0.0, 1.0
    while ratio(hi) < peak_to_mean and hi < 1e3:
        lo, hi = hi, hi * 4
    if ratio(hi) < peak_to_mean * (1 - rtol):
        raise ProfileError(
            f"the reported peak/mean ratio {peak_to_mean:.3f} cannot be reached (at most {ratio(hi):.3f}); "
            "check the figures, or lower baseload_share")
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if ratio(mid) < peak_to_mean:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-9 * max(hi, 1e-6):
            break
    return 0.5 * (lo + hi)


def demand_profile(annual_mwh: float, peak_mw: float | None = None, *, country: str, lat: float,
                   lon: float, year: int = 2030, weather_year: int = 1,
                   thermal_weights: tuple[float, float] | None = None,
                   thermal_sensitivity: float | None = None, baseload_share: float | None = None,
                   timezone: str | None = None, observe_holidays: bool = True,
                   temperature: TemperatureClimate | None = None) -> pd.Series:
    """Hourly demand, 8,760 UTC hours of ``year``. [MW]

    Parameters
    ----------
    annual_mwh : energy over the 8,760 hours; the result sums to it exactly [MWh]
    peak_mw : reported annual peak; matched within 0.1 % by solving the thermal sensitivity.
        None: use ``thermal_sensitivity`` (default 0.01/K) and let the peak follow [MW]
    country : ISO alpha-2 code (holidays, time zone, default thermal weights)
    lat, lon : a representative location for the temperature (capital / load centre) [°]
    year : calendar year (weekdays and holidays)
    weather_year : integer seed of the synthetic temperature
    thermal_weights : (heating, cooling) weights; default :data:`THERMAL_WEIGHTS`
    thermal_sensitivity : λ [1/K], only when ``peak_mw`` is None
    baseload_share : flat share of demand; default :data:`BASELOAD_SHARES`
    timezone : IANA zone, default from :data:`TIMEZONES`
    observe_holidays : treat national holidays as Sundays
    temperature : override of the temperature climatology
    """
    check_coordinates(lat, lon)
    if not np.isfinite(annual_mwh) or annual_mwh <= 0:
        raise ProfileError(f"annual demand must be a positive number of MWh, got {annual_mwh}")
    times = hourly_index(year)
    mean_mw = annual_mwh / len(times)
    shape = base_shape(times, country, timezone=timezone, observe_holidays=observe_holidays,
                       baseload_share=baseload_share)
    temp = temperature_series(times, lat, lon, weather_year, temperature or temperature_climate(lat, lon))
    thermal = thermal_index(temp, thermal_weights or THERMAL_WEIGHTS.get(country, DEFAULT_THERMAL_WEIGHTS))
    if peak_mw is not None:
        if not np.isfinite(peak_mw) or peak_mw <= mean_mw:
            raise ProfileError(f"peak {peak_mw} MW must exceed the mean demand {mean_mw:.1f} MW "
                               f"(= {annual_mwh:,.0f} MWh / {len(times)} h)")
        lam = solve_thermal_sensitivity(shape, thermal, peak_mw / mean_mw)
    else:
        lam = DEFAULT_THERMAL_SENSITIVITY if thermal_sensitivity is None else float(thermal_sensitivity)
    d = _combine(shape, thermal, lam)
    demand = d * (annual_mwh / d.sum())
    return pd.Series(demand, index=times, name="demand_mw")
