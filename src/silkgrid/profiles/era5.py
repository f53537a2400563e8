"""Capacity factors from an ERA5-style netCDF cutout (optional extra ``silkgrid[era5]``).

For users who have real reanalysis data: a cutout prepared elsewhere (atlite / PyPSA-Eur /
PyPSA-Earth) or raw ERA5 single-level files from the Copernicus CDS. The fields are
converted with **the same PV and wind converters** as the synthetic default
(:func:`silkgrid.profiles.solar.pv_ac_capacity_factor`,
:func:`silkgrid.profiles.wind.power_curve_cf`), so real and synthetic weather go through one
physics path. atlite is not needed.

Accepted variables (either naming):

=====================  ==========================================  =============================
quantity               atlite cutout                               raw ERA5
=====================  ==========================================  =============================
coordinates            ``time``, ``y`` (lat), ``x`` (lon)          ``time`` or ``valid_time``,
                                                                   ``latitude``, ``longitude``
GHI                    ``influx_direct + influx_diffuse`` [W/m²]   ``ssrd`` [J/m² per hour]
direct horizontal      ``influx_direct`` [W/m²]                    ``fdir`` [J/m² per hour]
air temperature        ``temperature`` [K]                         ``t2m`` [K]
100 m wind speed       ``wnd100m`` [m/s]                           ``u100``, ``v100`` [m/s]
surface roughness      ``roughness`` [m] (optional)                ``fsr`` [m] (optional)
=====================  ==========================================  =============================

**Time convention.** ERA5 radiation is accumulated (raw) or averaged (atlite) over the hour
*ending* at the stamp. The reader relabels every hour to its *beginning* (stamp − 1 h), which
is SilkGrid's convention, so solar geometry is evaluated at the true middle of the
accumulation interval (the −30 min shift atlite applies). Instantaneous fields (wind,
temperature) are taken at the original stamp, i.e. at the end of the hour. Without direct
radiation (``fdir``/``influx_direct``) the GHI is split with Erbs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.profiles._common import ProfileError, check_coordinates, quiet_dependency_deprecations
from silkgrid.profiles.solar import FIXED, TRACKING, PVSystem, pv_ac_capacity_factor, site_altitude
from silkgrid.profiles.wind import ONSHORE, WindSiteClass, farm_power_curve, power_curve_cf

_COORDS = {"valid_time": "time", "latitude": "lat", "longitude": "lon", "y": "lat", "x": "lon"}


def _xarray():
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - optional extra
        raise ProfileError("reading ERA5 cutouts needs the optional extra: pip install 'silkgrid[era5]' "
                           "(xarray and h5netcdf)") from exc
    return xr


def read_cutout(path: str | Path, *, engine: str | None = None):
    """Open an ERA5-style netCDF cutout and return canonical fields.

    Returns an ``xarray.Dataset`` on dims ``(time, lat, lon)`` with hour-beginning UTC ``time``
    and variables ``ghi`` [W/m²], optionally ``bhi`` (direct horizontal) [W/m²], ``temp_air``
    [°C], ``wind_speed_100m`` [m/s] and ``roughness`` [m].
    """
    xr = _xarray()
    path = Path(path)
    if not path.exists():
        raise ProfileError(f"ERA5 cutout '{path}' does not exist")
    with xr.open_dataset(path, engine=engine) as raw:
        return canonical_fields(raw.load())


def canonical_fields(raw) -> Any:
    """Rename and convert an ERA5 / atlite dataset to canonical fields (see :func:`read_cutout`)."""
    xr = _xarray()
    ds = raw.rename({k: v for k, v in _COORDS.items() if k in raw.dims or k in raw.coords})
    missing_dims = {"time", "lat", "lon"} - set(ds.dims)
    if missing_dims:
        raise ProfileError(f"cutout lacks dimension(s) {sorted(missing_dims)}; found {sorted(ds.dims)}")
    out = {}
    if "ssrd" in ds:
        out["ghi"] = ds["ssrd"] / 3600.0
        if "fdir" in ds:
            out["bhi"] = ds["fdir"] / 3600.0
    elif "influx_direct" in ds and "influx_diffuse" in ds:
        out["ghi"] = ds["influx_direct"] + ds["influx_diffuse"]
        out["bhi"] = ds["influx_direct"]
    if "t2m" in ds:
        out["temp_air"] = ds["t2m"] - 273.15
    elif "temperature" in ds:
        out["temp_air"] = ds["temperature"] - 273.15
    if "wnd100m" in ds:
        out["wind_speed_100m"] = ds["wnd100m"]
    elif "u100" in ds and "v100" in ds:
        out["wind_speed_100m"] = np.hypot(ds["u100"], ds["v100"])
    for name in ("roughness", "fsr"):
        if name in ds:
            out["roughness"] = ds[name]
            break
    if not out:
        raise ProfileError("cutout has none of the known variables (ssrd/influx_*, t2m/temperature, "
                           "u100+v100/wnd100m)")
    res = xr.Dataset(out)
    times = pd.DatetimeIndex(res["time"].to_numpy())
    times = times.tz_localize("UTC") if times.tz is None else times.tz_convert("UTC")
    # radiation: hour-ending label -> hour-beginning label; instantaneous fields keep their stamp,
    # i.e. they stand for the end of the relabelled hour (documented in the module docstring)
    res = res.assign_coords(time=(times - pd.Timedelta(hours=1)).tz_localize(None))
    return res.transpose("time", "lat", "lon")


def _at_site(ds, lat: float, lon: float, method: str):
    if method == "nearest":
        return ds.sel(lat=lat, lon=lon, method="nearest")
    if method == "linear":
        return ds.interp(lat=lat, lon=lon)
    raise ProfileError(f"unknown spatial method '{method}'; use 'nearest' or 'linear'")


@quiet_dependency_deprecations()
def pv_from_fields(point, lat: float, lon: float, systems: Mapping[str, PVSystem]) -> dict[str, pd.Series]:
    """PV capacity factors at one site from canonical fields (a dataset at one point)."""
    import pvlib

    if "ghi" not in point:
        raise ProfileError("cutout has no solar radiation (ssrd or influx_direct/influx_diffuse)")
    times = pd.DatetimeIndex(point["time"].to_numpy()).tz_localize("UTC")
    mid = times + pd.Timedelta(minutes=30)
    sp = pvlib.solarposition.get_solarposition(mid, lat, lon, altitude=site_altitude(lat, lon),
                                               method="nrel_numpy")
    zen = sp["zenith"].to_numpy()
    app = sp["apparent_zenith"].to_numpy()
    night = app >= 90
    ghi = np.where(night, 0.0, np.clip(point["ghi"].to_numpy(), 0, None))
    if "bhi" in point:
        bhi = np.clip(np.minimum(point["bhi"].to_numpy(), ghi), 0, None)
        cosz = np.maximum(np.cos(np.radians(zen)), 0.065)
        dni = np.where(night, 0.0, bhi / cosz)
        dhi = ghi - np.where(night, 0.0, bhi)
    else:
        parts = pvlib.irradiance.erbs(ghi, zen, mid.day_of_year.to_numpy())
        dni = np.where(night, 0.0, np.nan_to_num(np.asarray(parts["dni"], dtype=float)))
        dhi = np.where(night, 0.0, np.nan_to_num(np.asarray(parts["dhi"], dtype=float)))
    temp = point["temp_air"].to_numpy() if "temp_air" in point else np.full(len(times), 15.0)
    weather = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": temp, "zenith": zen,
                            "apparent_zenith": app, "azimuth": sp["azimuth"].to_numpy(),
                            "dni_extra": pvlib.irradiance.get_extra_radiation(mid).to_numpy()},
                           index=times)
    return {kind: pv_ac_capacity_factor(weather, system) for kind, system in systems.items()}


def wind_from_fields(point, site: WindSiteClass) -> pd.Series:
    """Wind capacity factor at one site from the 100 m speed (log law with roughness, else power law)."""
    if "wind_speed_100m" not in point:
        raise ProfileError("cutout has no 100 m wind (u100/v100 or wnd100m)")
    v100 = np.clip(point["wind_speed_100m"].to_numpy(), 0, None)
    if "roughness" in point:
        z0 = np.clip(point["roughness"].to_numpy(), 1e-4, 5.0)
        v = v100 * np.log(site.hub_height / z0) / np.log(100.0 / z0)
    else:
        v = v100 * (site.hub_height / 100.0) ** site.shear_alpha
    curve = farm_power_curve(site.turbine_type, site.turbulence_intensity)
    times = pd.DatetimeIndex(point["time"].to_numpy()).tz_localize("UTC")
    return pd.Series(power_curve_cf(v, curve, site.losses), index=times)


def era5_profiles(cutout, sites: Sequence[Mapping[str, Any]], *,
                  technologies: Sequence[str] = ("onwind", "solar_fixed", "solar_tracking"),
                  pv_systems: Mapping[str, PVSystem] | None = None, wind_site: WindSiteClass = ONSHORE,
                  method: str = "nearest", engine: str | None = None) -> pd.DataFrame:
    """Hourly capacity factors for sites from an ERA5-style cutout.

    Parameters
    ----------
    cutout : path of a netCDF file, or an ``xarray.Dataset`` (raw or canonical)
    sites : dicts with ``id``, ``lat``, ``lon`` (optional per-site ``wind`` overrides of
        :class:`~silkgrid.profiles.wind.WindSiteClass`)
    technologies : any of ``onwind``, ``solar_fixed``, ``solar_tracking``
    pv_systems : PV system per solar technology (defaults :data:`FIXED`, :data:`TRACKING`)
    wind_site : turbine, hub height, losses (its mean speed, k and modulation are not used:
        the speeds come from the cutout)
    method : ``nearest`` cell or ``linear`` interpolation to the site

    Returns
    -------
    DataFrame indexed by hour-beginning UTC time, columns ``<technology>_<id>`` [-].
    """
    if isinstance(cutout, (str, Path)):
        ds = read_cutout(cutout, engine=engine)
    else:
        ds = cutout if "ghi" in cutout or "wind_speed_100m" in cutout else canonical_fields(cutout)
    bad = set(technologies) - {"onwind", "solar_fixed", "solar_tracking"}
    if bad:
        raise ProfileError(f"unknown technologies {sorted(bad)} for ERA5 profiles")
    systems = dict(pv_systems or {"solar_fixed": FIXED, "solar_tracking": TRACKING})
    lat_rng = (float(ds["lat"].min()), float(ds["lat"].max()))
    lon_rng = (float(ds["lon"].min()), float(ds["lon"].max()))
    cols: dict[str, pd.Series] = {}
    for s in sites:
        lat, lon, sid = float(s["lat"]), float(s["lon"]), s["id"]
        check_coordinates(lat, lon)
        if not (lat_rng[0] - 0.5 <= lat <= lat_rng[1] + 0.5 and lon_rng[0] - 0.5 <= lon <= lon_rng[1] + 0.5):
            raise ProfileError(f"site '{sid}' ({lat}, {lon}) is outside the cutout "
                               f"(lat {lat_rng}, lon {lon_rng})")
        point = _at_site(ds, lat, lon, method)
        solar = [t for t in technologies if t.startswith("solar")]
        if solar:
            pv = pv_from_fields(point, lat, lon, {t: systems[t] for t in solar})
            cols.update({f"{t}_{sid}": pv[t] for t in solar})
        if "onwind" in technologies:
            site = wind_site.with_overrides(**dict(s.get("wind") or {}))
            cols[f"onwind_{sid}"] = wind_from_fields(point, site)
    frame = pd.DataFrame(cols)
    frame.index.name = "time"
    return frame
