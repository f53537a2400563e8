"""``extra_functionality`` that ties the capacities of exported direction-link pairs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pypsa


def link_capacity_ties(n: pypsa.Network, snapshots: Iterable) -> None:
    """``extra_functionality`` for :func:`to_network` with ``tie_links=True``: give each
    pair of direction links one shared capacity (``p_nom_opt`` equal); an entry
    ``[charger, discharger, ratio]`` of storage sets charger p_nom = ratio x discharger p_nom."""
    pairs = n.meta.get("silkgrid_tied_links", []) if isinstance(n.meta, dict) else []
    if not pairs:
        return
    m = n.model
    p_nom = m["Link-p_nom"]
    for k, (fwd, rev, *ratio) in enumerate(pairs):
        r = float(ratio[0]) if ratio else 1.0
        m.add_constraints(p_nom.sel(name=fwd) - r * p_nom.sel(name=rev) == 0, name=f"silkgrid-link-tie-{k}")
