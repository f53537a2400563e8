"""Natural inflow to hydro plants: a seasonal shape scaled to an annual energy.

**Assumption (flagged).** No sourced monthly inflow or hydro-generation series for the
corridor countries exists in ``/work/shared/domain-facts.md`` (§7.3: "inflow profiles ✖") or
among the offline packages (``offline-data.md``). The default shape is therefore a
**snow-melt regime**, typical of Caucasus and Tien Shan rivers: a winter base flow plus a
Gaussian melt peak centred on mid-May (day 135) with a 45-day standard deviation, on
which a day-to-day AR(1) log-normal variation (σ = 0.15, persistence 0.9 per day) is laid.
Every parameter can be overridden per node. The result is scaled so that the inflow over
the 8,760 hours equals the given annual energy exactly (energy units, i.e. MWh of
electricity the inflow could generate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.profiles._common import ProfileError, ar1_filter, hourly_index, rng_for

PEAK_DAY = 135.0
PEAK_WIDTH_DAYS = 45.0
BASE_FRACTION = 0.35
DAILY_SIGMA = 0.15
DAILY_PERSISTENCE = 0.9


def seasonal_inflow_shape(day_of_year: np.ndarray, *, peak_day: float = PEAK_DAY,
                          width_days: float = PEAK_WIDTH_DAYS,
                          base_fraction: float = BASE_FRACTION) -> np.ndarray:
    """Relative inflow by day of year: base flow + Gaussian melt peak (peak value 1). [-]"""
    if not 0 <= base_fraction < 1 or width_days <= 0:
        raise ProfileError("base_fraction must be in [0, 1) and width_days positive")
    d = (np.asarray(day_of_year, dtype=float) - peak_day + 182.625) % 365.25 - 182.625
    return base_fraction + (1 - base_fraction) * np.exp(-0.5 * (d / width_days) ** 2)


def inflow_profile(annual_mwh: float, *, year: int = 2030, weather_year: int = 1, key: str = "",
                   peak_day: float = PEAK_DAY, width_days: float = PEAK_WIDTH_DAYS,
                   base_fraction: float = BASE_FRACTION, daily_sigma: float = DAILY_SIGMA,
                   daily_persistence: float = DAILY_PERSISTENCE) -> pd.Series:
    """Hourly inflow (constant within each UTC day), summing to ``annual_mwh``. [MW]

    ``key`` names the basin or node in the seed ``(weather_year, "hydro", key)``.
    """
    if not np.isfinite(annual_mwh) or annual_mwh < 0:
        raise ProfileError(f"annual inflow energy must be a non-negative number of MWh, got {annual_mwh}")
    times = hourly_index(year)
    day = (times - times[0]).days.to_numpy()
    n_days = int(day.max()) + 1
    doy = np.arange(n_days) + 1.5
    shape = seasonal_inflow_shape(doy, peak_day=peak_day, width_days=width_days,
                                  base_fraction=base_fraction)
    rng = rng_for(weather_year, "hydro", key)
    z = ar1_filter(rng.standard_normal(n_days), daily_persistence, rng.standard_normal())
    daily = shape * np.exp(daily_sigma * z - 0.5 * daily_sigma**2)
    hourly = daily[day]
    total = hourly.sum()
    return pd.Series(hourly * (annual_mwh / total) if total > 0 else hourly * 0.0, index=times,
                     name="inflow_mw")
