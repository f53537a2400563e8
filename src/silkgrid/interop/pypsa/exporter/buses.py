"""Export of nodes (buses) and carriers."""

from __future__ import annotations

import pandas as pd

from silkgrid.interop.pypsa.common import unique
from silkgrid.interop.pypsa.exporter.context import ExportContext


def add_buses(ex: ExportContext) -> None:
    """One bus per node (``x``/``y`` = lon/lat when known) and a ``country`` column."""
    n, sc = ex.n, ex.sc
    for node in sc.nodes:
        kw = {}
        if node.lon is not None and node.lat is not None:
            kw = {"x": node.lon, "y": node.lat}
        n.add("Bus", node.id, **kw)
        ex.buses.add(node.id)
    n.buses["country"] = pd.Series({node.id: node.country for node in sc.nodes}).reindex(n.buses.index)


def add_carriers(ex: ExportContext) -> None:
    """One carrier per SilkGrid carrier (``co2_emissions`` in t/MWh_th), plus a non-emitting
    ``<carrier>-storage`` copy for storage on an emitting carrier: storage must not emit in
    PyPSA's primary_energy constraint."""
    n, sc = ex.n, ex.sc
    carriers = {c.id: c for c in sc.carriers}
    techs = ex.techs
    ex.carrier_names = set(carriers)
    for c in sc.carriers:
        n.add("Carrier", c.id, co2_emissions=c.co2_t_per_mwh_th)
    for s in sc.storage:
        cid = techs[s.technology].carrier
        if carriers[cid].co2_t_per_mwh_th != 0 and cid not in ex.storage_carrier:
            ex.storage_carrier[cid] = unique(f"{cid}-storage", ex.carrier_names)
            n.add("Carrier", ex.storage_carrier[cid], co2_emissions=0.0)
