"""Import of two-port PyPSA links as SilkGrid links (one- or bidirectional)."""

from __future__ import annotations

import math
from typing import Any

from silkgrid.interop.pypsa.importer.context import ImportContext

_COMP = "Link"


def links(imp: ImportContext) -> list[dict]:
    """SilkGrid links (MW, EUR/MW/yr, EUR/MWh); a constant ``p_max_pu = c`` scales the capacity."""
    comp = _COMP
    lk = imp.active(comp)
    names = lk.index
    if names.empty:
        return []
    fix = "use constant p_max_pu and p_min_pu (0 or -p_max_pu)"
    pmax = imp.static_only(comp, "p_max_pu", names, fix)
    pmin = imp.static_only(comp, "p_min_pu", names, fix)
    eff = imp.static_only(comp, "efficiency", names, "use a constant efficiency")
    mc = imp.static_only(comp, "marginal_cost", names, "use a constant marginal cost")
    cost = imp.costs(comp, names)
    out = []
    for el, row in lk.iterrows():
        lid = imp.ids.make("links", el, (comp, str(el)))
        b0 = imp.node(comp, el, row["bus0"], "bus0")
        b1 = imp.node(comp, el, row["bus1"], "bus1")
        if b0 == b1:
            raise imp.err("bus0 and bus1 are the same bus", comp, el, "bus1",
                          "connect two different buses")
        c = float(pmax[el])
        bidirectional = _direction(imp, el, c, float(pmin[el]))
        e, m = float(eff[el]), float(mc[el])
        _check_flow_terms(imp, el, e, m, bidirectional)
        cap = imp.capacity(comp, el, row, "p_nom", scale=c)
        length = float(row.get("length", 0.0) or 0.0)
        out.append({"id": lid, "from_node": b0, "to_node": b1, "capacity_mw": cap["existing"],
                    "extendable": cap["extendable"], "min_capacity_mw": cap["min"],
                    "max_capacity_mw": cap["max"], "length_km": max(length, 0.0),
                    "annualised_cost_eur_per_mw_yr": float(cost[el]) / c,
                    "efficiency": e, "bidirectional": bidirectional,
                    "variable_cost_eur_per_mwh": m})
    return out


def _direction(imp: ImportContext, el: Any, c: float, lo: float) -> bool:
    """Bidirectional? ``p_min_pu`` ``lo`` must be 0 or ``-p_max_pu`` (``-c``), ``c`` > 0."""
    comp = _COMP
    if not (math.isfinite(c) and 0 < c):
        raise imp.err(f"p_max_pu {c:g} is not positive", comp, el, "p_max_pu",
                      "use a positive p_max_pu")
    if lo == 0:
        return False
    if lo == -c:
        return True
    raise imp.err(f"p_min_pu {lo:g} cannot be represented (only 0: one direction, or "
                  f"-p_max_pu = {-c:g}: both directions at the same capacity)", comp, el,
                  "p_min_pu", "use p_min_pu 0 or -p_max_pu")


def _check_flow_terms(imp: ImportContext, el: Any, e: float, m: float, bidirectional: bool) -> None:
    """Efficiency in (0, 1], marginal cost >= 0 (EUR/MWh); a reversible link is lossless and free."""
    comp = _COMP
    if not (math.isfinite(e) and 0 < e <= 1):
        raise imp.err(f"efficiency {e:g} is not in (0, 1]", comp, el, "efficiency",
                      "use an efficiency in (0, 1]")
    if not (math.isfinite(m) and m >= 0):
        raise imp.err(f"marginal_cost {m:g} is negative or not finite", comp, el, "marginal_cost",
                      "use a non-negative marginal cost")
    if bidirectional and e != 1:
        raise imp.err(f"a reversible link (p_min_pu < 0) with efficiency {e:g} != 1 gains energy in "
                      "the reverse direction in PyPSA (bus0 receives p/efficiency)", comp, el,
                      "efficiency", "split it into two unidirectional links (p_min_pu=0), one per "
                      "direction, or make it lossless")
    if bidirectional and m != 0:
        raise imp.err("a reversible link (p_min_pu < 0) with marginal_cost != 0 earns the cost back "
                      "in the reverse direction in PyPSA", comp, el, "marginal_cost",
                      "split it into two unidirectional links (p_min_pu=0), one per direction")
