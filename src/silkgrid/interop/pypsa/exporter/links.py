"""Export of links: one PyPSA link per direction unless lossless and free."""

from __future__ import annotations

from silkgrid.interop.pypsa.common import K, unique
from silkgrid.interop.pypsa.exporter.context import ExportContext, capacity_kw, refuse

_TIE_FIX = ("fix its capacity, make it lossless and free (one reversible PyPSA link), or call "
            "to_network(..., tie_links=True) and optimise with "
            "extra_functionality=link_capacity_ties")


def add_links(ex: ExportContext, tie_links: bool) -> None:
    """Unidirectional: one link.  Bidirectional, lossless and free: one reversible link
    (``p_min_pu=-1``).  Otherwise ``<id>`` and ``<id> reverse``, the capacity paid on the
    forward link; extendable pairs need ``tie_links`` and are recorded in
    ``n.meta["silkgrid_tied_links"]``."""
    n, sc, a = ex.n, ex.sc, ex.a
    lc = a.link_cap
    ties: list[list[str]] = []
    for i, ln in enumerate(sc.links):
        kw = capacity_kw("p_nom", lc, i)
        eff, eff_rev, mc = a.link_eff[i], a.link_eff_rev[i], a.link_marginal[i] * K
        if not ln.bidirectional:
            n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, efficiency=eff, marginal_cost=mc,
                  length=ln.length_km, **kw)
            continue
        if eff == 1 and eff_rev == 1 and mc == 0:
            n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, p_min_pu=-1.0,
                  length=ln.length_km, **kw)
            continue
        if lc.extendable[i] and not tie_links:
            raise refuse("an extendable link that is lossy or costly in both directions needs one PyPSA "
                         "link per direction with a shared capacity, which plain PyPSA cannot express",
                         "links", ln.id, "extendable", _TIE_FIX)
        rev = unique(f"{ln.id} reverse", ex.link_names)
        n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, efficiency=eff, marginal_cost=mc,
              length=ln.length_km, **kw)
        kw_rev = dict(kw)
        kw_rev["capital_cost"] = 0.0  # the capacity is paid once, on the forward link
        n.add("Link", rev, bus0=ln.to_node, bus1=ln.from_node, efficiency=eff_rev, marginal_cost=mc,
              length=ln.length_km, **kw_rev)
        if lc.extendable[i]:
            ties.append([ln.id, rev])
    if ties:
        n.meta["silkgrid_tied_links"] = ties
