"""Check the default profiles against reported plant yields and national demand statistics.

:func:`validate_plants` puts the modelled annual capacity factor of the reference plants of
:mod:`silkgrid.profiles.plants` (each labelled ``calibration`` or ``validation``) next to the
reported value; :func:`plant_error_statistics` summarises the errors (mean absolute error and
bias, wind and solar, calibration and validation apart); :func:`validate_demand` compares
modelled national demand and peak with the statistics of domain-facts §2. Wind capacity
factors are averaged over several synthetic weather years (single years differ by about ±8 %,
like real ones: Ereymentau made 35.9 % in 2016 and 42.2 % in 2017).

Rules: a plant is modelled with the defaults at its coordinates. Where a sourced site fact
exists (tracker, DC/AC, hub height, mast wind speed) it is used and named. A reported yield
sets a model input only for a ``calibration`` plant; ``validation`` plants are compared and
nothing else, and a miss is reported, not fitted away (see :mod:`silkgrid.profiles.plants`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.profiles import solar as _solar
from silkgrid.profiles import wind as _wind
from silkgrid.profiles.demand import demand_profile
from silkgrid.profiles.plants import CALIBRATION, REFERENCE_PLANTS, VALIDATION, ReferencePlant
from silkgrid.profiles.weather_years import long_run_wind_cf

__all__ = ["CALIBRATION", "DEFAULT_WEATHER_YEARS", "DEMAND_STATISTICS", "REFERENCE_PLANTS", "VALIDATION",
           "ReferencePlant", "plant_error_statistics", "validate_demand", "validate_plants", "validation_markdown"]

DEFAULT_WEATHER_YEARS = (1, 2, 3, 4, 5)


def _wind_site(site: dict[str, Any]) -> _wind.WindSiteClass:
    over = dict(site)
    base = _wind.SITE_CLASSES[over.pop("site_class")] if "site_class" in over else _wind.ONSHORE
    return base.with_overrides(**over)


def _plant_cf(plant: ReferencePlant, site: dict[str, Any], weather_years) -> float:
    if plant.technology.startswith("solar"):
        system = _solar.PVSystem(tracking=plant.technology == "solar_tracking", **site)
        weather = [_solar.site_weather(plant.lat, plant.lon, year=2030, weather_year=y) for y in weather_years]
        return float(np.mean([_solar.pv_ac_capacity_factor(w, system).mean() for w in weather]))
    wsite = _wind_site(site)
    return float(np.mean([_wind.wind_cf(plant.lat, plant.lon, year=2030, weather_year=y, site=wsite).mean()
                          for y in weather_years]))


def validate_plants(weather_years: tuple[int, ...] = DEFAULT_WEATHER_YEARS,
                    plants: tuple[ReferencePlant, ...] = REFERENCE_PLANTS) -> pd.DataFrame:
    """Modelled vs reported annual capacity factor of the reference plants.

    Columns: ``name, country, node, technology, capacity_mw, lat, lon, role`` (``calibration``
    or ``validation``), ``reported_cf, reported_low, reported_high, cf_default`` (defaults at
    the coordinates), ``cf_model`` (with the plant's documented site facts or calibration),
    ``error_pp`` (cf_model − reported, percentage points), ``rel_error`` (cf_model / reported − 1),
    ``cf_long_run`` (the same site's climatological mean,
    :func:`~silkgrid.profiles.weather_years.long_run_wind_cf`; PV: = cf_model),
    ``rel_error_long_run``, ``calibrated``, ``site``, ``coordinates``, ``reported``, ``source_id``,
    ``status``, ``note``. Capacity factors are fractions [-]. Wind: mean of ``weather_years``;
    PV: of the first two (PV months are rescaled to the MERRA-2 means, so PV years differ by < 1 %).
    """
    rows = []
    solar_years = weather_years[:2]
    for p in plants:
        years = solar_years if p.technology.startswith("solar") else weather_years
        default = _plant_cf(p, {}, years)
        model = _plant_cf(p, p.site, years) if p.site else default
        long_run = model if p.technology.startswith("solar") else long_run_wind_cf(p.lat, p.lon, _wind_site(p.site))
        rows.append({
            "name": p.name, "country": p.country, "node": p.node, "technology": p.technology,
            "capacity_mw": p.capacity_mw, "lat": p.lat, "lon": p.lon, "role": p.role,
            "reported_cf": p.reported_cf, "reported_low": p.reported_range[0],
            "reported_high": p.reported_range[1], "cf_default": default, "cf_model": model,
            "error_pp": 100.0 * (model - p.reported_cf), "rel_error": model / p.reported_cf - 1.0,
            "cf_long_run": long_run, "rel_error_long_run": long_run / p.reported_cf - 1.0,
            "calibrated": p.calibrated, "site": ", ".join(f"{k}={v}" for k, v in p.site.items()) or "defaults",
            "coordinates": p.coordinates, "reported": p.reported, "source_id": p.source_id, "status": p.status,
            "note": p.note,
        })
    return pd.DataFrame(rows)


def plant_error_statistics(plants: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute error and bias of modelled vs reported CF, per technology family and role.

    ``plants`` is a :func:`validate_plants` table. One row per (``family``: wind or solar,
    ``role``) that has plants, then ``all`` rows per role. Columns: ``family, role, n``,
    ``mae_pp`` and ``bias_pp`` (mean |cf_model − reported| and mean (cf_model − reported),
    percentage points of CF), ``mae_rel`` and ``bias_rel`` (the same on ``rel_error``, [-]),
    ``mae_long_run_pp`` and ``bias_long_run_pp`` (with the long-run CF instead of the mean of
    the weather years: the like-for-like comparison with announced P50-type yields),
    ``mae_default_pp`` (MAE of the plain defaults, without site facts), ``plants``.
    """
    df = plants.assign(family=np.where(plants["technology"].str.startswith("solar"), "solar", "wind"))
    rows = []
    for family in ("wind", "solar", "all"):
        for role in (VALIDATION, CALIBRATION):
            sel = df[(df["role"] == role) & ((df["family"] == family) | (family == "all"))]
            if sel.empty:
                continue
            err = sel["cf_model"] - sel["reported_cf"]
            err_lr = sel["cf_long_run"] - sel["reported_cf"]
            rows.append({
                "family": family, "role": role, "n": len(sel),
                "mae_pp": 100.0 * float(err.abs().mean()), "bias_pp": 100.0 * float(err.mean()),
                "mae_rel": float(sel["rel_error"].abs().mean()), "bias_rel": float(sel["rel_error"].mean()),
                "mae_long_run_pp": 100.0 * float(err_lr.abs().mean()), "bias_long_run_pp": 100.0 * float(err_lr.mean()),
                "mae_default_pp": 100.0 * float((sel["cf_default"] - sel["reported_cf"]).abs().mean()),
                "plants": ", ".join(sel["name"]),
            })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class DemandStatistic:
    """Reported national demand and peak."""

    country: str
    annual_twh: float
    annual_source: str
    peak_mw: float | None
    peak_source: str
    peak_season: str | None  # "winter" or "summer"
    lat: float
    lon: float
    location: str


DEMAND_STATISTICS: tuple[DemandStatistic, ...] = (
    DemandStatistic("KZ", 119.5, "Ember 2024 (KEGOC/kt.kz: 119.9 TWh)", 16459,
                    "historic peak 7 Dec 2022 (KEGOC via bbabo.net) — year differs from the energy", "winter",
                    51.17, 71.45, "Astana (national temperature proxy; approximate)"),
    DemandStatistic("UZ", 79.18, "Ember 2023", 12300, "26 Jul 2023 (kun.uz)", "summer",
                    41.30, 69.24, "Tashkent"),
    DemandStatistic("AZ", 28.12, "Ember 2024 (ministry domestic demand 24.1 TWh excludes losses)", 4871,
                    "record 6 Aug 2025 (today.az) — year differs from the energy", "summer",
                    40.41, 49.87, "Baku"),
    DemandStatistic("GE", 14.28, "Ember 2024", None, "✖ not found (domain-facts §2.4)", None,
                    41.72, 44.79, "Tbilisi"),
    DemandStatistic("TR", 341.86, "Ember 2024", 55421, "4 Aug, likely 2021 (serbia-energy.eu ⚠️)", "summer",
                    39.93, 32.86, "Ankara"),
    DemandStatistic("RO", 55.92, "Ember 2024", None,
                    "⚠️ conflicting: 7,900-8,000 MW summer 2025 vs 'close to 11,000 MW' winter (2022 report); "
                    "not used for calibration", None, 44.43, 26.10, "Bucharest"),
    DemandStatistic("HU", 49.02, "Ember 2024", 7000, "winter peak '>7,000 MW for the first time' (dteurope.com ⚠️)",
                    "winter", 47.50, 19.04, "Budapest"),
)
#: UZ record daily consumption 283 GWh (24 Jan 2026, uzdaily.uz) against 2025 generation 86.7 TWh:
#: max-day / mean-day = 283 / (86 700 / 365) = 1.19 (🧮, years and bases differ; informative only).
UZ_MAX_DAY_RATIO = 283.0 / (86_700.0 / 365.0)


def _season(month: int) -> str:
    return "winter" if month in (11, 12, 1, 2, 3) else "summer" if month in (6, 7, 8, 9) else "shoulder"


def validate_demand(weather_year: int = 1, year: int = 2030,
                    statistics: tuple[DemandStatistic, ...] = DEMAND_STATISTICS) -> pd.DataFrame:
    """Modelled vs reported national annual demand and peak (and the season of the peak)."""
    rows = []
    for s in statistics:
        annual_mwh = s.annual_twh * 1e6
        d = demand_profile(annual_mwh, s.peak_mw, country=s.country, lat=s.lat, lon=s.lon, year=year,
                           weather_year=weather_year)
        daily = d.resample("D").mean()
        peak_month = int(d.idxmax().month)
        rows.append({
            "country": s.country, "annual_reported_twh": s.annual_twh, "annual_model_twh": d.sum() / 1e6,
            "annual_rel_error": d.sum() / annual_mwh - 1.0, "peak_reported_mw": s.peak_mw,
            "peak_model_mw": float(d.max()),
            "peak_rel_error": (float(d.max()) / s.peak_mw - 1.0) if s.peak_mw else np.nan,
            "peak_calibrated": s.peak_mw is not None, "peak_season_reported": s.peak_season,
            "peak_month_model": peak_month, "peak_season_model": _season(peak_month),
            "max_day_to_mean": float(daily.max() / d.mean()),
            "load_factor_model": float(d.mean() / d.max()),
            "annual_source": s.annual_source, "peak_source": s.peak_source, "temperature_site": s.location,
        })
    return pd.DataFrame(rows)


def validation_markdown(plants: pd.DataFrame | None = None, demand: pd.DataFrame | None = None) -> str:
    """The plant table, its error statistics and the demand table as Markdown (for docs/profiles.md)."""
    plants = validate_plants() if plants is None else plants
    demand = validate_demand() if demand is None else demand
    lines = ["| Plant | Node | Tech | Role | Reported CF | Default model | Model (site facts) | Error | "
             "Long-run model | Error (long run) | Site |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in plants.itertuples():
        rep = (f"{r.reported_cf:.1%}" if r.reported_low == r.reported_high
               else f"{r.reported_cf:.1%} ({r.reported_low:.1%}–{r.reported_high:.1%})")
        lines.append(f"| {r.name} | {r.node} | {r.technology} | {r.role} | {rep} | {r.cf_default:.1%} | "
                     f"{r.cf_model:.1%} | {r.error_pp:+.1f} pp ({r.rel_error:+.1%}) | {r.cf_long_run:.1%} | "
                     f"{r.rel_error_long_run:+.1%} | {r.site} |")
    lines += ["", "| Family | Role | n | MAE (pp) | Bias (pp) | MAE (rel.) | Bias (rel.) | MAE, long run (pp) | "
              "Bias, long run (pp) | MAE, plain defaults (pp) |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in plant_error_statistics(plants).itertuples():
        lines.append(f"| {r.family} | {r.role} | {r.n} | {r.mae_pp:.1f} | {r.bias_pp:+.1f} | {r.mae_rel:.1%} | "
                     f"{r.bias_rel:+.1%} | {r.mae_long_run_pp:.1f} | {r.bias_long_run_pp:+.1f} | "
                     f"{r.mae_default_pp:.1f} |")
    lines += ["", "| Country | Annual reported (TWh) | Annual model (TWh) | Peak reported (MW) | Peak model (MW) | "
              "Peak season reported / model (month) | Max-day / mean | Load factor |",
              "|---|---|---|---|---|---|---|---|"]
    for r in demand.itertuples():
        peak = f"{r.peak_reported_mw:,.0f}" if r.peak_calibrated else "–"
        reported = r.peak_season_reported if isinstance(r.peak_season_reported, str) else "–"
        season = f"{reported} / {r.peak_season_model} ({r.peak_month_model})"
        lines.append(f"| {r.country} | {r.annual_reported_twh:.2f} | {r.annual_model_twh:.2f} | {peak} | "
                     f"{r.peak_model_mw:,.0f} | {season} | {r.max_day_to_mean:.2f} | {r.load_factor_model:.2f} |")
    return "\n".join(lines) + "\n"
