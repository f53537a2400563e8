"""Hourly profiles for a set of corridor nodes in one call, with spatially correlated weather.

See :func:`corridor_profiles` and the column naming in :mod:`silkgrid.profiles`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.profiles import demand as _demand
from silkgrid.profiles import hydro as _hydro
from silkgrid.profiles import solar as _solar
from silkgrid.profiles import wind as _wind
from silkgrid.profiles._common import (
    ProfileError,
    ar1_filter,
    check_coordinates,
    correlated_normals,
    hourly_index,
    rng_for,
    solar_day_index,
)
from silkgrid.profiles.cache import load_or_compute
from silkgrid.profiles.climate import temperature_climate

#: e-folding distance of the correlation of daily cloudiness scores between nodes. Assumption.
CLOUD_CORRELATION_KM = 300.0
WIND_KINDS = ("onwind", "offwind")
SOLAR_KINDS = ("solar_fixed", "solar_tracking")
ALL_KINDS = WIND_KINDS + SOLAR_KINDS + ("demand", "inflow")
_NODE_KEYS = {"id", "lat", "lon", "country", "name", "offshore", "technologies", "annual_demand_mwh",
              "peak_demand_mw", "hydro_inflow_mwh", "wind", "solar", "temperature", "demand", "hydro",
              "wind_lat", "wind_lon", "solar_lat", "solar_lon"}


#: Unknown node keys containing one of these look like misspelt settings and are rejected.
_SETTING_TOKENS = ("demand", "peak", "hydro", "inflow", "wind", "solar", "lat", "lon", "temperature",
                   "offshore", "technolog", "mwh", "_mw")


def _site(node: Mapping[str, Any], what: str) -> tuple[float, float]:
    """Resource location of ``what`` ("wind" or "solar"): ``<what>_lat/_lon`` or the node anchor."""
    return (float(node.get(f"{what}_lat", node["lat"])), float(node.get(f"{what}_lon", node["lon"])))


def _is_offshore(node: Mapping[str, Any]) -> bool:
    return bool(node.get("offshore", str(node["id"]).upper().endswith("_OFF")))


def _technologies(node: Mapping[str, Any]) -> list[str]:
    if node.get("technologies") is not None:
        techs = list(node["technologies"])
        bad = set(techs) - set(WIND_KINDS + SOLAR_KINDS)
        if bad:
            raise ProfileError(f"node '{node['id']}': unknown technologies {sorted(bad)}; "
                               f"known: {list(WIND_KINDS + SOLAR_KINDS)}")
        return techs
    return ["offwind"] if _is_offshore(node) else ["onwind", "solar_fixed", "solar_tracking"]


def validate_nodes(nodes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check node records; returns plain-dict copies. Raises :class:`ProfileError` listing all problems.

    Extra descriptive keys (``anchor``, ``scope``, ``notes``...) are allowed and ignored; an unknown
    key that looks like a profile setting (``annual_demand_mw``, ``wind_speed``...) is an error.
    """
    problems: list[str] = []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            problems.append(f"nodes[{i}] is not a mapping")
            continue
        nid = node.get("id")
        where = f"nodes[{i}] ('{nid}')"
        for key in ("id", "lat", "lon", "country"):
            if node.get(key) is None:
                problems.append(f"{where} lacks '{key}'")
        suspicious = sorted(k for k in set(node) - _NODE_KEYS if any(t in str(k).lower() for t in _SETTING_TOKENS))
        for key in suspicious:  # descriptive extra keys (anchor, notes, ...) are ignored; typos are not
            close = difflib.get_close_matches(str(key), sorted(_NODE_KEYS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known: {sorted(_NODE_KEYS)}"
            problems.append(f"{where} has unknown profile setting '{key}'{hint}")
        if nid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(nid)
        for prefix in ("", "wind_", "solar_"):
            if prefix and node.get(prefix + "lat") is None and node.get(prefix + "lon") is None:
                continue
            try:
                check_coordinates(float(node.get(prefix + "lat", node.get("lat", np.nan))),
                                  float(node.get(prefix + "lon", node.get("lon", np.nan))))
            except (ProfileError, TypeError, ValueError) as exc:
                problems.append(f"{where}: {prefix}{exc}")
        out.append(dict(node))
    if problems:
        raise ProfileError("invalid corridor nodes: " + "; ".join(problems))
    return out


def wind_site_class(node: Mapping[str, Any], kind: str | None = None) -> _wind.WindSiteClass:
    """The node's wind site class: onshore or Caspian-offshore defaults plus its ``wind`` overrides.

    ``kind="offwind"`` starts from the offshore class even on a node not flagged offshore.
    """
    over = dict(node.get("wind") or {})
    preset = over.pop("site_class", None)
    if preset is not None:
        if preset not in _wind.SITE_CLASSES:
            raise ProfileError(f"node '{node['id']}': unknown wind site_class '{preset}'; "
                               f"known: {sorted(_wind.SITE_CLASSES)}")
        base = _wind.SITE_CLASSES[preset]
    else:
        offshore = kind == "offwind" if kind is not None else _is_offshore(node)
        base = _wind.OFFSHORE_CASPIAN if offshore else _wind.ONSHORE
    return base.with_overrides(**over)


def pv_systems(node: Mapping[str, Any]) -> dict[str, _solar.PVSystem]:
    over = dict(node.get("solar") or {})
    over.pop("tracking", None)
    try:
        return {"solar_fixed": replace(_solar.FIXED, **over), "solar_tracking": replace(_solar.TRACKING, **over)}
    except TypeError as exc:
        raise ProfileError(f"node '{node['id']}': bad solar override(s) {sorted(over)}: {exc}") from exc


def _wind_columns(nodes: list[dict], weather_year: int, year: int, length_km: float) -> dict[str, pd.Series]:
    sites = [(n, k) for n in nodes for k in _technologies(n) if k in WIND_KINDS]
    if not sites:
        return {}
    sites.sort(key=lambda s: str(s[0]["id"]))
    times = hourly_index(year)
    lats = np.array([_site(n, "wind")[0] for n, _ in sites])
    lons = np.array([_site(n, "wind")[1] for n, _ in sites])
    classes = [wind_site_class(n, k) for n, k in sites]
    rng = rng_for(weather_year, "wind-field", "|".join(str(n["id"]) for n, _ in sites))
    eta, start = correlated_normals(len(times), lats, lons, length_km=length_km, rng=rng)
    out = {}
    for j, ((node, kind), site) in enumerate(zip(sites, classes, strict=False)):
        scores = ar1_filter(eta[:, j], site.persistence, start[j])
        cf = _wind.wind_cf(lats[j], lons[j], year=year, weather_year=weather_year, site=site, scores=scores)
        out[f"{kind}_{node['id']}"] = cf
    return out


def _solar_columns(nodes: list[dict], weather_year: int, year: int, length_km: float) -> dict[str, pd.Series]:
    sites = [n for n in nodes if any(k in SOLAR_KINDS for k in _technologies(n))]
    if not sites:
        return {}
    sites = sorted(sites, key=lambda n: str(n["id"]))
    times = hourly_index(year)
    lats = np.array([_site(n, "solar")[0] for n in sites])
    lons = np.array([_site(n, "solar")[1] for n in sites])
    n_days = max(int(solar_day_index(times, lon).max()) + 1 for lon in lons)
    rng = rng_for(weather_year, "cloud-field", "|".join(str(n["id"]) for n in sites))
    eta, start = correlated_normals(n_days, lats, lons, length_km=length_km, rng=rng)
    scores = ar1_filter(eta, _solar.DAILY_PERSISTENCE, start)
    out = {}
    for j, node in enumerate(sites):
        lat, lon = lats[j], lons[j]
        temp = temperature_climate(lat, lon, **dict(node.get("temperature") or {}))
        weather = _solar.site_weather(lat, lon, year=year, weather_year=weather_year, scores=scores[:, j],
                                      temperature=temp)
        systems = pv_systems(node)
        for kind in SOLAR_KINDS:
            if kind in _technologies(node):
                out[f"{kind}_{node['id']}"] = _solar.pv_ac_capacity_factor(weather, systems[kind])
    return out


def _demand_column(node: dict, weather_year: int, year: int) -> pd.Series | None:
    if node.get("annual_demand_mwh") is None:
        return None
    lat, lon = float(node["lat"]), float(node["lon"])
    kwargs = dict(node.get("demand") or {})
    if "thermal_weights" in kwargs and kwargs["thermal_weights"] is not None:
        kwargs["thermal_weights"] = tuple(kwargs["thermal_weights"])
    try:
        return _demand.demand_profile(
            float(node["annual_demand_mwh"]), node.get("peak_demand_mw"), country=str(node["country"]),
            lat=lat, lon=lon, year=year, weather_year=weather_year,
            temperature=temperature_climate(lat, lon, **dict(node.get("temperature") or {})), **kwargs)
    except TypeError as exc:
        raise ProfileError(f"node '{node['id']}': bad demand override(s) {sorted(kwargs)}: {exc}") from exc


def _inflow_column(node: dict, weather_year: int, year: int) -> pd.Series | None:
    if node.get("hydro_inflow_mwh") is None:
        return None
    kwargs = dict(node.get("hydro") or {})
    try:
        return _hydro.inflow_profile(float(node["hydro_inflow_mwh"]), year=year, weather_year=weather_year,
                                     key=str(node["id"]), **kwargs)
    except TypeError as exc:
        raise ProfileError(f"node '{node['id']}': bad hydro override(s) {sorted(kwargs)}: {exc}") from exc


def compute_corridor_profiles(nodes: Sequence[Mapping[str, Any]], weather_year: int, *, year: int = 2030,
                              wind_correlation_km: float = _wind.CORRELATION_LENGTH_KM,
                              cloud_correlation_km: float = CLOUD_CORRELATION_KM) -> pd.DataFrame:
    """Like :func:`corridor_profiles`, always computed (no cache)."""
    nodes = validate_nodes(nodes)
    cols: dict[str, pd.Series] = {}
    cols.update(_wind_columns(nodes, weather_year, year, wind_correlation_km))
    cols.update(_solar_columns(nodes, weather_year, year, cloud_correlation_km))
    ordered: dict[str, pd.Series] = {}
    for node in nodes:  # columns grouped by node, in the order the nodes were given
        for kind in ALL_KINDS:
            name = f"{kind}_{node['id']}"
            if name in cols:
                ordered[name] = cols[name]
        d = _demand_column(node, weather_year, year)
        if d is not None:
            ordered[f"demand_{node['id']}"] = d
        q = _inflow_column(node, weather_year, year)
        if q is not None:
            ordered[f"inflow_{node['id']}"] = q
    frame = pd.DataFrame(ordered, index=hourly_index(year))
    if not np.isfinite(frame.to_numpy()).all():  # pragma: no cover - guarded by the generators
        raise ProfileError("profile generation produced non-finite values")
    return frame


def corridor_profiles(nodes: Sequence[Mapping[str, Any]], weather_year: int, *, year: int = 2030,
                      wind_correlation_km: float = _wind.CORRELATION_LENGTH_KM,
                      cloud_correlation_km: float = CLOUD_CORRELATION_KM,
                      use_cache: bool = True) -> pd.DataFrame:
    """Hourly profiles (8,760 rows) for corridor nodes from one synthetic weather year.

    Parameters
    ----------
    nodes : list of dicts with ``id``, ``lat``, ``lon``, ``country`` and optionally
        ``offshore`` (default: id ends in ``_OFF``), ``technologies`` (subset of ``onwind``,
        ``offwind``, ``solar_fixed``, ``solar_tracking``; default: land → onwind and both solar,
        offshore → offwind), ``wind_lat``/``wind_lon`` and ``solar_lat``/``solar_lon`` (resource
        location when it differs from the anchor substation), ``annual_demand_mwh`` and
        ``peak_demand_mw`` (adds ``demand_<id>``),
        ``hydro_inflow_mwh`` (adds ``inflow_<id>``), and override dicts ``wind``
        (:class:`~silkgrid.profiles.wind.WindSiteClass` fields, plus ``site_class``: a name in
        :data:`~silkgrid.profiles.wind.SITE_CLASSES`), ``solar``
        (:class:`~silkgrid.profiles.solar.PVSystem` fields), ``temperature``
        (:class:`~silkgrid.profiles.climate.TemperatureClimate` fields), ``demand`` (keyword
        arguments of :func:`~silkgrid.profiles.demand.demand_profile`) and ``hydro`` (of
        :func:`~silkgrid.profiles.hydro.inflow_profile`).
    weather_year : integer seed of the synthetic weather (1, 2, 3, ... give different years)
    year : calendar year of the UTC time axis (weekdays, holidays)
    wind_correlation_km, cloud_correlation_km : e-folding distances of the correlation of the
        shared Gaussian draws between nodes [km]
    use_cache : read/write the on-disk cache (:mod:`silkgrid.profiles.cache`)

    Returns
    -------
    DataFrame indexed by hour-beginning UTC time, columns ``<kind>_<node id>`` (see
    :mod:`silkgrid.profiles`): capacity factors [-] for wind and solar, MW for demand and inflow.

    Notes
    -----
    Wind and cloudiness draws are *joint* over all nodes (shared Gaussian innovations with
    correlation ``exp(−d/L)``), so adding or removing a node changes the draws of the others.
    The same node list and seed always give identical numbers.
    """
    nodes = validate_nodes(nodes)
    params = {"nodes": nodes, "weather_year": int(weather_year), "year": int(year),
              "wind_correlation_km": float(wind_correlation_km),
              "cloud_correlation_km": float(cloud_correlation_km)}
    return load_or_compute(
        "corridor", params,
        lambda: compute_corridor_profiles(nodes, weather_year, year=year,
                                          wind_correlation_km=wind_correlation_km,
                                          cloud_correlation_km=cloud_correlation_km),
        method="silkgrid.profiles.corridor_profiles: pvlib+MERRA-2 PV, GLDAS+Weibull-AR(1) wind "
               "through windpowerlib curves, temperature/holiday demand, snow-melt inflow",
        use_cache=use_cache)
