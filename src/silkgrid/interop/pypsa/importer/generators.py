"""Import of PyPSA generators: one SilkGrid technology and generator per element."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from silkgrid.interop.pypsa.importer.context import ImportContext

_COMP = "Generator"


def generators(imp: ImportContext) -> tuple[list[dict], list[dict]]:
    """SilkGrid generators and their technologies (costs in EUR/MW/yr, EUR/MWh)."""
    comp = _COMP
    g = imp.active(comp)
    names = g.index
    if names.empty:
        return [], []
    pmax = imp.dense(comp, "p_max_pu", names)
    pmin = imp.dense(comp, "p_min_pu", names)
    mc = imp.nonneg_static(comp, "marginal_cost", names,
                           "use a constant marginal cost (an hourly price is a SilkGrid market)")
    eff = imp.static_only(comp, "efficiency", names, "use a constant efficiency")
    cost = imp.costs(comp, names)
    ramp = {d: imp.static_only(comp, f"ramp_limit_{d}", names, "use a constant ramp limit")
            for d in ("up", "down")}
    gens, techs = [], []
    for el, row in g.iterrows():
        gid = imp.ids.make("generators", el, (comp, str(el)))
        hi = pmax[el].to_numpy(dtype=float)
        lo = pmin[el].to_numpy(dtype=float)
        _check_bounds(imp, el, hi, lo)
        cid = imp.carrier_id(row.get("carrier", ""), renewable=bool(np.any(hi != hi[0])))
        co2 = imp.carrier_co2.get(str(row.get("carrier", "")), 0.0)
        e = _efficiency(imp, el, float(eff[el]), co2)
        cap = imp.capacity(comp, el, row, "p_nom")
        r = {direction: _ramp_per_hour(imp, el, direction, float(ramp[direction][el]))
             for direction in ("up", "down")}
        tid = imp.ids.make("technologies", f"gen.{gid}")
        techs.append({"id": tid, "carrier": cid, "annualised_cost_eur_per_mw_yr": float(cost[el]),
                      "efficiency": e, "name": f"PyPSA Generator {el}"})
        gens.append({"id": gid, "node": imp.node(comp, el, row["bus"]), "technology": tid,
                     "capacity_mw": cap["existing"], "extendable": cap["extendable"],
                     "min_capacity_mw": cap["min"], "max_capacity_mw": cap["max"],
                     "availability": imp.profile(hi), "min_output": imp.profile(lo),
                     "ramp_limit_up_per_hour": r["up"], "ramp_limit_down_per_hour": r["down"],
                     "variable_cost_eur_per_mwh": float(mc[el])})
    return gens, techs


def _check_bounds(imp: ImportContext, el: Any, hi: np.ndarray, lo: np.ndarray) -> None:
    """0 <= p_min_pu <= p_max_pu <= 1 in every snapshot."""
    comp = _COMP
    if not np.all(np.isfinite(hi)) or hi.min() < 0 or hi.max() > 1 + 1e-12:
        raise imp.err(f"p_max_pu must lie in [0, 1] (found {np.nanmin(hi):g} .. {np.nanmax(hi):g})",
                      comp, el, "p_max_pu", "scale p_nom so that p_max_pu <= 1")
    if not np.all(np.isfinite(lo)) or lo.min() < 0:
        raise imp.err(f"negative p_min_pu ({np.nanmin(lo):g}) is not supported (a generator that "
                      "consumes)", comp, el, "p_min_pu",
                      "model consumption as a Load, a Link or a StorageUnit")
    if np.any(lo > hi + 1e-12):
        raise imp.err("p_min_pu exceeds p_max_pu in some snapshot", comp, el, "p_min_pu",
                      "keep p_min_pu <= p_max_pu")


def _efficiency(imp: ImportContext, el: Any, e: float, co2: float) -> float:
    """The technology efficiency; > 1 is allowed (as 1) only on a carrier without emissions."""
    comp = _COMP
    if not (math.isfinite(e) and e > 0):
        raise imp.err(f"efficiency {e:g} is not positive", comp, el, "efficiency",
                      "use a positive efficiency")
    if e > 1:
        if co2 != 0:
            raise imp.err(f"efficiency {e:g} > 1 with an emitting carrier cannot be represented",
                          comp, el, "efficiency", "use an efficiency <= 1")
        e = 1.0  # only used for emissions, which are zero for this carrier
    return e


def _ramp_per_hour(imp: ImportContext, el: Any, direction: str, v: float) -> float | None:
    """SilkGrid's ramp limit (share of capacity per hour) from PyPSA's per-snapshot limit ``v``;
    None for no limit (NaN or >= 1)."""
    comp = _COMP
    if math.isnan(v):
        return None
    if v < 0:
        raise imp.err(f"ramp_limit_{direction} {v:g} is negative", comp, el,
                      f"ramp_limit_{direction}", "use a non-negative ramp limit")
    # PyPSA's limit is per snapshot; SilkGrid's per hour times the snapshot's hours.
    per_hour = v / float(imp.d[0])
    if len(imp.d) > 1 and imp.d[-1] != imp.d[0] and v < 1:
        raise imp.err("a ramp limit with a shorter last snapshot cannot be represented", comp,
                      el, f"ramp_limit_{direction}", "use snapshots of equal weighting")
    return None if v >= 1 else per_hour

