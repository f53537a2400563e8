"""Export of generators (full marginal cost: variable cost + CO2 price)."""

from __future__ import annotations

import numpy as np

from silkgrid.interop.pypsa.common import K
from silkgrid.interop.pypsa.exporter.context import ExportContext, capacity_kw


def add_generators(ex: ExportContext) -> None:
    """One generator per SilkGrid generator: marginal cost in EUR/MWh, availability and
    minimum output per snapshot, ramp limits per snapshot (per-hour limit x hours)."""
    n, sc, a = ex.n, ex.sc, ex.a
    techs = ex.techs
    d = a.snapshots.duration_h
    for i, g in enumerate(sc.generators):
        tech = techs[g.technology]
        kw = capacity_kw("p_nom", a.gen_cap, i)
        ramp = {}
        for direction, r in (("up", a.gen_ramp_up[i]), ("down", a.gen_ramp_down[i])):
            if not np.isnan(r):
                ramp[f"ramp_limit_{direction}"] = ex.series(r * d)  # PyPSA: per snapshot
        n.add("Generator", g.id, bus=g.node, carrier=tech.carrier, efficiency=tech.efficiency,
              marginal_cost=a.gen_marginal[i] * K, p_max_pu=ex.series(a.gen_avail[i]),
              p_min_pu=ex.series(a.gen_min[i]), **kw, **ramp)
