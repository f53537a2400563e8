"""What can be built and how fast: technical potentials per node and build-rate room per country.

* :func:`potential_table` — the finite potential (total capacity incl. existing, MW) of every
  node and candidate technology from ``potentials.csv``: a published figure, or
  ``area_km2 × eligible_share × density_mw_per_km2`` (land-eligibility rule); a ``solar`` row is
  split between fixed and tracking PV by ``pv_tracking_share_of_potential``; node ``*`` rows fill
  every domestic node without its own row.
* :func:`build_room` — new capacity a country may add by a scenario year per technology group,
  from ``build_rates.csv``: the cumulative rate from the year after ``build_rate_base_year`` to
  the scenario year, minus the named pipeline (units of the scenario's existing fleet that enter
  after the base year), never below zero.
* :func:`build_limit_policies` — the same as ``policies.build_limits`` entries of a scenario.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.data.tables import CorridorDataError, _check_year, _nodes, _tables, parameters

__all__ = ["DOMESTIC_TECHS", "OFFSHORE_TECHS", "build_limit_policies", "build_room", "cumulative_rate_mw",
           "pipeline_mw", "potential_table"]

#: Candidate technologies of a domestic node and of an offshore node.
DOMESTIC_TECHS = ("onwind", "solar_fixed", "solar_tracking", "ccgt", "ocgt", "battery")
OFFSHORE_TECHS = ("offwind", "offwind_float")
_SOLAR = {"solar_fixed": False, "solar_tracking": True}  # technology -> is the tracking share


def potential_table(dataset: str | Path = "corridor") -> pd.DataFrame:
    """Potential of every (node, candidate technology), MW (total incl. existing).

    Columns: ``node``, ``technology``, ``max_capacity_mw``, ``method`` (``published``,
    ``land rule`` or ``bound``), ``row`` (the node of the table row used: the node or ``*``),
    ``source_id``, ``reason``.  A blank potential is an error: no candidate is unbounded.
    """
    pot = _tables(dataset)["potentials"]
    nodes = _nodes(dataset)
    share = parameters(dataset)["pv_tracking_share_of_potential"]
    out = []
    for n in nodes.itertuples():
        techs = DOMESTIC_TECHS if n.role == "domestic" else OFFSHORE_TECHS if n.role == "offshore" else ()
        own = pot[pot["node"] == n.id]
        rows = {r.technology: r for r in pot[pot["node"] == "*"].itertuples()} if n.role == "domestic" else {}
        rows.update({r.technology: r for r in own.itertuples()})
        for t in techs:
            key = "solar" if t in _SOLAR and t not in rows else t
            if key not in rows:
                raise CorridorDataError(f"potentials.csv: no row for node {n.id}, technology {t} (nor '*'): "
                                        "every candidate needs a finite potential")
            r = rows[key]
            if not pd.isna(r.max_capacity_mw):
                value, method = float(r.max_capacity_mw), ("bound" if r.node == "*" else "published")
            elif not (pd.isna(r.area_km2) or pd.isna(r.eligible_share) or pd.isna(r.density_mw_per_km2)):
                value, method = float(r.area_km2 * r.eligible_share * r.density_mw_per_km2), "land rule"
            else:
                raise CorridorDataError(f"potentials.csv [{r.node}/{r.technology}]: neither max_capacity_mw nor "
                                        "area_km2 x eligible_share x density_mw_per_km2: no candidate is unbounded")
            if key == "solar":
                value *= share if _SOLAR[t] else 1.0 - share
            out.append({"node": n.id, "technology": t, "max_capacity_mw": value, "method": method, "row": r.node,
                        "source_id": r.source_id, "reason": "" if pd.isna(r.reason) else str(r.reason)})
    return pd.DataFrame(out)


def _rates(dataset: str | Path) -> pd.DataFrame:
    df = _tables(dataset)["build_rates"]
    bad = df[df.duplicated(["country", "group", "from_year"])]
    if not bad.empty:
        r = bad.iloc[0]
        raise CorridorDataError(f"build_rates.csv: {r['country']} {r['group']} from {r['from_year']} given twice")
    df["techs"] = df["technologies"].map(lambda s: tuple(t.strip() for t in str(s).split(";") if t.strip()))
    return df


def cumulative_rate_mw(rows: pd.DataFrame, base_year: int, year: int) -> float:
    """Sum of the yearly rate over the years ``base_year + 1 .. year`` (0 when ``year <= base_year``).

    ``rows``: one country and group of ``build_rates.csv``; each rate holds from its
    ``from_year`` until the next row's.  Years before the first ``from_year`` add nothing.
    """
    years = np.arange(base_year + 1, year + 1)
    if years.size == 0:
        return 0.0
    rows = rows.sort_values("from_year")
    starts = rows["from_year"].to_numpy(dtype=float)
    idx = np.searchsorted(starts, years, side="right") - 1  # the row in force in each year
    rates = np.where(idx >= 0, rows["rate_mw_per_yr"].to_numpy(dtype=float)[np.maximum(idx, 0)], 0.0)
    return float(rates.sum())


def pipeline_mw(units: pd.DataFrame, base_year: int, dataset: str | Path = "corridor") -> pd.DataFrame:
    """Capacity of the named pipeline per country and technology, MW.

    Pipeline = units of ``units`` (the scenario's existing fleet) that enter after the base
    year: ``online_year`` later than ``base_year``, or not operating and without an
    ``online_year``.  Columns: ``country``, ``technology``, ``capacity_mw``.
    """
    country = units["node"].map(_nodes(dataset)["country"])
    later = units["online_year"].gt(base_year) | (units["online_year"].isna() & (units["status"] != "operating"))
    sel = units[later.to_numpy()].assign(country=country[later.to_numpy()])
    return sel.groupby(["country", "technology"], as_index=False)["capacity_mw"].sum()


def build_room(year: int, units: pd.DataFrame, dataset: str | Path = "corridor") -> pd.DataFrame:
    """New capacity each country may add by ``year`` per technology group, MW.

    ``max_new_mw = max(0, cumulative rate from the base year to year − pipeline MW after the base
    year)``.  Columns: ``country``, ``group``, ``technologies`` (tuple), ``cumulative_mw``,
    ``pipeline_mw``, ``max_new_mw``.
    """
    year = _check_year(year)
    base = int(parameters(dataset)["build_rate_base_year"])
    rates = _rates(dataset)
    pipe = pipeline_mw(units, base, dataset)
    out = []
    for (country, group), rows in rates.groupby(["country", "group"], sort=False):
        techs = rows["techs"].iloc[0]
        if any(r != techs for r in rows["techs"]):
            raise CorridorDataError(f"build_rates.csv: {country} {group} lists different technologies by year")
        cum = cumulative_rate_mw(rows, base, year)
        used = float(pipe[(pipe["country"] == country) & pipe["technology"].isin(techs)]["capacity_mw"].sum())
        out.append({"country": country, "group": group, "technologies": techs, "cumulative_mw": cum,
                    "pipeline_mw": used, "max_new_mw": max(0.0, cum - used)})
    return pd.DataFrame(out)


def build_limit_policies(year: int, units: pd.DataFrame, candidate_technologies: set[str],
                         dataset: str | Path = "corridor") -> list[dict]:
    """``policies.build_limits`` entries (one per country and group with a candidate technology).

    Only technologies that candidates of the scenario use are listed (``gas_existing`` counts in
    the pipeline but has no candidate); the note carries the arithmetic.
    """
    base = int(parameters(dataset)["build_rate_base_year"])
    out = []
    for r in build_room(year, units, dataset).itertuples():
        techs = [t for t in r.technologies if t in candidate_technologies]
        if not techs:
            continue
        out.append({"id": f"build_rate_{r.country}_{r.group}", "country": r.country, "technologies": techs,
                    "max_new_mw": round(r.max_new_mw, 3),
                    "note": (f"build_rates.csv: {r.cumulative_mw:,.0f} MW of {r.group} in {base + 1}-{year} "
                             f"minus {r.pipeline_mw:,.0f} MW of named pipeline after {base}")})
    return out
