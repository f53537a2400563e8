"""The existing fleet of the corridor data set: which units serve in a year, how available the thermal ones are.

* :func:`existing_units` — rows of ``generators_existing.csv`` in service in a year: operating
  units; under-construction and committed projects from their ``online_year``; announced
  projects (not firm) only on request; minus units whose ``retirement_year`` is not later than
  the year.
* :func:`thermal_profiles` — ``availability`` and ``min_output`` (per unit of capacity, -) of
  the existing thermal units (``coal_existing``, ``gas_existing``, ``ccgt``) on a time index,
  from ``thermal_fleet.csv`` (one row per country; a node row overrides single fields):

  - availability(t) = 1 − F − (P / f_M) · [t in M], with A = ``available_share`` (the yearly
    mean available / installed ratio, a published statistic), P = ``maintenance_share`` (the
    yearly mean of planned maintenance, part of 1 − A), F = 1 − A − P (forced outages and
    deratings, flat), M = the maintenance window (``maintenance_from`` .. ``maintenance_to``,
    ``MM-DD``, inclusive, the low-demand season) and f_M its share of the calendar year's days.
    The mean over a whole calendar year is exactly A.
  - min_output(t) = min(chp_share · L · [t in H], availability(t)): the heat-led must-run of
    the unit's CHP share (``chp_share`` of ``generators_existing.csv``) at L =
    ``chp_min_output`` during the heating season H (``heating_from`` .. ``heating_to``).

Dates are calendar days of the time index (UTC); everything is vectorised over the index.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.data.tables import CorridorDataError, _nodes, _tables

__all__ = ["STATUSES", "THERMAL_TECHNOLOGIES", "existing_units", "season_mask", "thermal_parameters",
           "thermal_profiles"]

#: Technologies of existing thermal units that get availability and must-run profiles.
THERMAL_TECHNOLOGIES = ("coal_existing", "gas_existing", "ccgt")
#: Project statuses of ``generators_existing.csv``; ``announced`` projects are not firm.
STATUSES = ("operating", "under_construction", "committed", "announced")
_FIELDS = ("available_share", "maintenance_share", "maintenance_from", "maintenance_to", "heating_from",
           "heating_to", "chp_min_output")


def existing_units(year: int = 2030, dataset: str | Path = "corridor", *, include_committed: bool = True,
                   include_announced: bool = False) -> pd.DataFrame:
    """Rows of ``generators_existing.csv`` in service in ``year``.

    Operating units always; under-construction and committed units when ``include_committed``
    and announced projects when ``include_announced``, each from its ``online_year``. Units
    whose ``retirement_year`` is not later than ``year`` are dropped (Kazakh coal: 2050, the
    draft doctrine; units without a published date stay, ``parameters.csv``:
    ``retirements_modelled``). A non-operating row without ``online_year`` is an error.
    """
    df = _tables(dataset)["generators_existing"]
    status = df["status"]
    unknown = sorted(set(status) - set(STATUSES))
    if unknown:
        raise CorridorDataError(f"generators_existing.csv: unknown status {', '.join(map(str, unknown))}; "
                                f"use one of {', '.join(STATUSES)}")
    pending = status != "operating"
    undated = df.loc[pending & df["online_year"].isna(), "id"].tolist()
    if undated:
        raise CorridorDataError(f"generators_existing.csv: {', '.join(undated)} are not operating but have no "
                                "online_year (give the published year, or an assumed one flagged 'assumption')")
    online = df["online_year"].isna() | (df["online_year"] <= year)
    firm = status.isin(["under_construction", "committed"])
    keep = ~pending | (firm & include_committed & online) | ((status == "announced") & include_announced & online)
    if "retirement_year" in df.columns:
        keep &= ~(df["retirement_year"].notna() & (df["retirement_year"] <= year))
    return df[keep].reset_index(drop=True)


def _month_day(text: object, where: str) -> int:
    try:
        month, day = (int(p) for p in str(text).split("-"))
        pd.Timestamp(year=2000, month=month, day=day)  # a leap year accepts 02-29
    except (ValueError, TypeError):
        raise CorridorDataError(f"thermal_fleet.csv: {where} is '{text}', expected a day 'MM-DD'") from None
    return month * 100 + day


def season_mask(index: pd.DatetimeIndex, start: str, end: str) -> np.ndarray:
    """Whether each timestamp falls on a day from ``start`` to ``end`` (``MM-DD``, inclusive; may wrap the year)."""
    md = np.asarray(index.month * 100 + index.day)
    a, b = _month_day(start, "a season start"), _month_day(end, "a season end")
    return (md >= a) & (md <= b) if a <= b else (md >= a) | (md <= b)


def thermal_parameters(area: str, country: str, dataset: str | Path = "corridor") -> dict[str, object]:
    """The ``thermal_fleet.csv`` fields of a node: its country's row, overridden by the node's own row."""
    table = _tables(dataset)["thermal_fleet"].set_index("area")
    if country not in table.index:
        raise CorridorDataError(f"thermal_fleet.csv has no row for country {country} (thermal units at {area})")
    out = {f: table.loc[country, f] for f in _FIELDS}
    if area in table.index:
        out.update({f: table.loc[area, f] for f in _FIELDS if not pd.isna(table.loc[area, f])})
    return out


def _availability(index: pd.DatetimeIndex, p: dict, where: str) -> np.ndarray:
    a, m = float(p["available_share"]), float(p["maintenance_share"])
    if not (0.0 < a <= 1.0 and 0.0 <= m <= 1.0 - a):
        raise CorridorDataError(f"thermal_fleet.csv [{where}]: need 0 < available_share <= 1 and "
                                f"0 <= maintenance_share <= 1 - available_share (got {a}, {m})")
    days = pd.date_range(f"{index[0].year}-01-01", f"{index[0].year}-12-31", freq="D")
    share = season_mask(days, p["maintenance_from"], p["maintenance_to"]).mean()  # f_M
    depth = m / share  # planned-maintenance derating inside the window
    if 1.0 - (1.0 - a - m) - depth < 0:
        raise CorridorDataError(f"thermal_fleet.csv [{where}]: the maintenance window is too short for "
                                f"maintenance_share {m} (availability would fall below 0)")
    return (a + m) - depth * season_mask(index, p["maintenance_from"], p["maintenance_to"])


def thermal_profiles(units: pd.DataFrame, index: pd.DatetimeIndex,
                     dataset: str | Path = "corridor") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Unit id → (availability, min_output) per unit of capacity on ``index``, for the thermal rows of ``units``."""
    nodes = _nodes(dataset)
    thermal = units[units["technology"].isin(THERMAL_TECHNOLOGIES)]
    chp = (thermal["chp_share"] if "chp_share" in thermal.columns
           else pd.Series(0.0, index=thermal.index)).fillna(0.0)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for node, grp in thermal.groupby("node"):
        p = thermal_parameters(str(node), str(nodes.loc[node, "country"]), dataset)
        avail = _availability(index, p, str(node))
        heat = None
        for u in grp.itertuples():
            share = float(chp[u.Index])
            if not 0.0 <= share <= 1.0:
                raise CorridorDataError(f"generators_existing.csv [{u.id}]: chp_share {share} is not in [0, 1]")
            if share > 0 and heat is None:
                if any(pd.isna(p[f]) for f in ("heating_from", "heating_to", "chp_min_output")):
                    raise CorridorDataError(f"{u.id} has a CHP share but thermal_fleet.csv gives {node} no "
                                            "heating season or chp_min_output")
                heat = float(p["chp_min_output"]) * season_mask(index, p["heating_from"], p["heating_to"])
            must = np.minimum(share * heat, avail) if share > 0 else np.zeros(len(index))
            out[str(u.id)] = (avail.copy(), must)
    return out
