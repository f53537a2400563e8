"""Generate the synthetic hourly profiles of the bundled ``example`` data set.

The example is illustrative: its profiles are *synthetic* (seeded random weather with
plausible daily and seasonal shapes), not weather observations.  The corridor data set
(issue #3) replaces them with weather-derived profiles.  Re-run to reproduce the CSV
bit for bit:  ``python scripts/make_example_profiles.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HOURS = 8760
SEED = 20241113  # COP29 corridor agreement date
OUT = Path(__file__).resolve().parents[1] / "src" / "silkgrid" / "data" / "example" / "profiles.csv"


def solar_cf(lat_deg: float, rng: np.random.Generator) -> np.ndarray:
    """Fixed-tilt PV capacity factor from solar elevation and a random daily clearness."""
    h = np.arange(HOURS)
    doy = h // 24
    hour = h % 24 + 0.5
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + doy) / 365)
    lat = np.radians(lat_deg)
    ha = np.radians(15 * (hour - 12))
    sin_el = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(ha)
    clear = np.clip(sin_el, 0, None) ** 1.15
    daily = np.clip(rng.beta(5, 1.6, size=HOURS // 24 + 1), 0.15, 1.0)
    cf = 1.0 * clear * np.repeat(daily, 24)[:HOURS]
    return np.round(np.clip(cf, 0, 1), 4)


def wind_cf(mean_speed: float, rng: np.random.Generator) -> np.ndarray:
    """Onshore wind capacity factor: persistent AR(1) speeds through a generic power curve."""
    noise = rng.normal(size=HOURS)
    # AR(1) with ~12 h persistence, computed without a Python loop via lfilter-style recursion
    phi = np.exp(-1 / 12)
    from scipy.signal import lfilter

    z = lfilter([np.sqrt(1 - phi**2)], [1, -phi], noise)
    h = np.arange(HOURS)
    seasonal = 1 + 0.15 * np.cos(2 * np.pi * (h / 24 - 15) / 365)  # windier in winter
    diurnal = 1 + 0.08 * np.cos(2 * np.pi * (h % 24 - 15) / 24)
    speed = mean_speed * seasonal * diurnal * np.exp(0.45 * z - 0.1)
    cut_in, rated, cut_out = 3.0, 12.0, 25.0
    cf = np.clip((speed**3 - cut_in**3) / (rated**3 - cut_in**3), 0, 1)
    cf[(speed < cut_in) | (speed > cut_out)] = 0
    return np.round(cf, 4)


def demand(mean_mw: float, summer_peak: bool, rng: np.random.Generator) -> np.ndarray:
    h = np.arange(HOURS)
    hour = h % 24
    daily = 1 + 0.12 * np.sin(2 * np.pi * (hour - 8) / 24) + 0.06 * np.sin(4 * np.pi * (hour - 4) / 24)
    season = np.cos(2 * np.pi * (h / 24 - (200 if summer_peak else 15)) / 365)
    weekly = np.where((h // 24) % 7 >= 5, 0.93, 1.0)
    noise = 1 + 0.02 * rng.normal(size=HOURS)
    d = daily * (1 + 0.12 * season) * weekly * noise
    return np.round(mean_mw * d / d.mean(), 2)


def main() -> None:
    rng = np.random.default_rng(SEED)
    h = np.arange(HOURS)
    price = 103.41 * (1 + 0.25 * np.sin(2 * np.pi * (h % 24 - 13) / 24)
                      + 0.1 * np.cos(2 * np.pi * h / 8760) + 0.15 * rng.normal(size=HOURS))
    price = np.round(price * 103.41 / price.mean(), 2)
    inflow = 1 + 0.9 * np.sin(2 * np.pi * (h / 24 - 80) / 365)  # snow-melt peak in late spring
    inflow = inflow / inflow.mean()
    df = pd.DataFrame({
        "wind_KZ_W": wind_cf(7.5, rng),
        "solar_AZ": solar_cf(40.4, rng),
        "demand_KZ_W": demand(1200, False, rng),
        "demand_AZ": demand(2750, True, rng),
        "demand_GE": demand(1630, False, rng),
        "inflow_GE_mw": np.round(1230 * inflow, 1),
        "price_RO": price,
    })
    df.to_csv(OUT, index=False)
    print(f"wrote {OUT} ({len(df)} rows); means:\n{df.mean().round(3)}")


if __name__ == "__main__":
    main()
