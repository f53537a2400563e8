"""Import of PyPSA loads (``p_set``, MW) as SilkGrid loads."""

from __future__ import annotations

import numpy as np

from silkgrid.interop.pypsa.importer.context import ImportContext


def loads(imp: ImportContext) -> list[dict]:
    """SilkGrid loads with ``demand_mw`` (finite, non-negative, constant or hourly)."""
    comp = "Load"
    ld = imp.active(comp)
    names = ld.index
    if names.empty:
        return []
    p = imp.dense(comp, "p_set", names)
    out = []
    for el, row in ld.iterrows():
        lid = imp.ids.make("loads", el, (comp, str(el)))
        v = p[el].to_numpy(dtype=float)
        if not np.all(np.isfinite(v)) or v.min() < 0:
            raise imp.err("p_set must be finite and non-negative (negative demand is generation)",
                          comp, el, "p_set", "model negative demand as a Generator")
        out.append({"id": lid, "node": imp.node(comp, el, row["bus"]), "demand_mw": imp.profile(v)})
    return out
