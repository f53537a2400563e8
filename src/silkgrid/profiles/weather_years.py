"""How representative is each synthetic weather year (seed)? Annual CF per node, seed and technology.

:func:`weather_year_table` builds the corridor profiles of several seeds with
:func:`~silkgrid.profiles.corridor.corridor_profiles` (the same joint draws and the same on-disk
cache as a model run, so a later run or ``info --validate`` reads them back in ~0.1 s) and
reports each seed's annual capacity factor, the mean over the seeds, each seed's deviation from
that mean and, for wind, the long-run expectation of the same site class
(:func:`long_run_wind_cf`), so a user sees which seed is windy or calm where and whether the
mean of a few seeds is itself representative.

Long-run expectation: the wind chain maps standard-normal scores through the Weibull copula,
so the climatological mean CF is the mean over many independent scores. Feeding
``wind_cf`` stratified scores (the 8,760 normal quantiles ``Φ⁻¹((i + ½)/8,760)``, in a fixed
pseudo-random order so that they are independent of the seasonal and diurnal modulation)
gives it to ±0.1 pp of CF; 60 synthetic years at Ereymentau give 35.6 ± 0.4 % vs 35.7 %.
PV months are rescaled to the MERRA-2 monthly means, so PV years differ by < 1 % and their
mean is the long-run value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from silkgrid.profiles import wind as _wind
from silkgrid.profiles._common import ProfileError, hourly_index, rng_for
from silkgrid.profiles.corridor import WIND_KINDS, corridor_profiles, validate_nodes, wind_site_class

DEFAULT_SEEDS = (1, 2, 3, 4, 5)
KINDS = ("onwind", "offwind", "solar_fixed", "solar_tracking")
#: Independent orderings of the stratified scores averaged by :func:`long_run_wind_cf`.
LONG_RUN_DRAWS = 8


def long_run_wind_cf(lat: float, lon: float, site: _wind.WindSiteClass = _wind.ONSHORE, *,
                     year: int = 2030, draws: int = LONG_RUN_DRAWS) -> float:
    """Climatological mean capacity factor of a wind site class at ``(lat, lon)``. [-]

    The mean of :func:`~silkgrid.profiles.wind.wind_cf` over ``draws`` orderings of the 8,760
    stratified standard-normal quantiles (independent hours, no persistence): the expectation
    over weather years of the synthetic chain, not of any one seed.
    """
    n = len(hourly_index(year))
    quantiles = norm.ppf((np.arange(n) + 0.5) / n)
    orders = [rng_for(0, "long-run-wind", f"order-{k}").permutation(n) for k in range(draws)]
    return float(np.mean([_wind.wind_cf(lat, lon, year=year, site=site, scores=quantiles[o]).mean()
                          for o in orders]))


def weather_year_table(nodes: Sequence[Mapping[str, Any]], seeds: Sequence[int] = DEFAULT_SEEDS, *,
                       year: int = 2030, kinds: Sequence[str] = KINDS) -> pd.DataFrame:
    """Annual capacity factor of each weather year (seed) per node and technology.

    Parameters
    ----------
    nodes : the node list of :func:`~silkgrid.profiles.corridor.corridor_profiles` (e.g.
        ``silkgrid.data.build.node_records()`` for the packaged corridor). The draws are joint
        over the nodes, so the table belongs to this node list.
    seeds : weather years to compare (at least two)
    year : calendar year of the time axis
    kinds : profile kinds to report (``onwind``, ``offwind``, ``solar_fixed``, ``solar_tracking``)

    Returns
    -------
    One row per (node, technology) present in the profiles, columns ``node, country,
    technology``, ``cf_<seed>`` for each seed, ``mean`` (over the seeds), ``long_run`` (wind:
    :func:`long_run_wind_cf`; PV: NaN, see the module note), ``dev_<seed>`` (cf / mean − 1),
    ``mean_vs_long_run`` (mean / long_run − 1), ``lowest`` and ``highest`` (the seeds with the
    lowest and highest CF). Capacity factors are fractions [-].
    """
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ProfileError(f"need at least two distinct weather years, got {seeds}")
    bad = sorted(set(kinds) - set(KINDS))
    if bad:
        raise ProfileError(f"unknown profile kinds {bad}; known: {list(KINDS)}")
    nodes = validate_nodes(nodes)
    frames = {s: corridor_profiles(nodes, s, year=year) for s in seeds}
    means = pd.DataFrame({s: f.mean() for s, f in frames.items()})  # columns x seeds, one vectorised pass
    by_id = {str(n["id"]): n for n in nodes}
    rows = []
    for node_id, node in by_id.items():
        for kind in kinds:
            col = f"{kind}_{node_id}"
            if col not in means.index:
                continue
            cf = means.loc[col, seeds].to_numpy(dtype=float)
            mean = float(cf.mean())
            long_run = np.nan
            if kind in WIND_KINDS:
                lat = float(node.get("wind_lat", node["lat"]))
                lon = float(node.get("wind_lon", node["lon"]))
                long_run = long_run_wind_cf(lat, lon, wind_site_class(node, kind), year=year)
            row = {"node": node_id, "country": str(node["country"]), "technology": kind}
            row.update({f"cf_{s}": v for s, v in zip(seeds, cf, strict=True)})
            row.update({"mean": mean, "long_run": long_run})
            row.update({f"dev_{s}": v / mean - 1.0 for s, v in zip(seeds, cf, strict=True)})
            row.update({"mean_vs_long_run": mean / long_run - 1.0 if np.isfinite(long_run) else np.nan,
                        "lowest": seeds[int(np.argmin(cf))], "highest": seeds[int(np.argmax(cf))]})
            rows.append(row)
    return pd.DataFrame(rows)


def group_deviation(table: pd.DataFrame, groups: Mapping[str, Sequence[str]] | None = None,
                    technology: str = "onwind") -> pd.DataFrame:
    """Per group of countries: the nodes' mean ``technology`` CF in each seed, relative to the long run.

    ``table`` is a :func:`weather_year_table`; ``groups`` maps a label to country codes (default:
    each country alone), e.g. ``{"KZ + UZ": ["KZ", "UZ"], "AZ": ["AZ"]}``. Returns one row per
    group with ``nodes``, ``reference`` (mean of the nodes' long-run CF; for PV, which has no
    long-run column, the mean over the seeds) [-] and ``dev_<seed>`` = (mean CF of the nodes in
    that seed) / reference − 1 [-]. Nodes count equally (not weighted by capacity), so a node
    with a low CF moves the group little.
    """
    sub = table[table["technology"] == technology]
    if groups is None:
        groups = {c: [c] for c in dict.fromkeys(sub["country"])}
    seeds = [int(c[3:]) for c in table.columns if c.startswith("cf_")]
    rows = []
    for label, countries in groups.items():
        grp = sub[sub["country"].isin(list(countries))]
        if grp.empty:
            continue
        ref = grp["long_run"].mean() if grp["long_run"].notna().all() else grp["mean"].mean()
        row = {"group": label, "nodes": ", ".join(grp["node"]), "reference": float(ref)}
        row.update({f"dev_{s}": float(grp[f"cf_{s}"].mean() / ref - 1.0) for s in seeds})
        rows.append(row)
    return pd.DataFrame(rows)


def seed_representativeness(table: pd.DataFrame, min_long_run: float = 0.15) -> pd.DataFrame:
    """How far each seed's wind CF sits from the long run, over the wind rows of ``table``.

    Rows whose long-run CF is below ``min_long_run`` [-] (no usable wind resource, e.g. an
    anchor city far from any wind site) are left out: their relative swings are large and
    irrelevant. Returns one row per seed: ``seed``, ``mean_abs_dev`` (mean over the rows of
    |cf / long_run − 1|), ``mean_dev`` (signed mean) and ``max_abs_dev`` with its ``node`` [-].
    A small ``mean_abs_dev`` marks a seed whose wind year is close to climatology everywhere.
    """
    wind = table[table["long_run"].notna() & (table["long_run"] >= min_long_run)]
    seeds = [int(c[3:]) for c in table.columns if c.startswith("cf_")]
    rel = pd.DataFrame({s: wind[f"cf_{s}"].to_numpy() / wind["long_run"].to_numpy() - 1.0 for s in seeds},
                       index=wind["node"].to_numpy())
    worst = rel.abs().idxmax()
    return pd.DataFrame({"seed": seeds, "mean_abs_dev": rel.abs().mean().to_numpy(),
                         "mean_dev": rel.mean().to_numpy(), "max_abs_dev": rel.abs().max().to_numpy(),
                         "node": worst.to_numpy()})
