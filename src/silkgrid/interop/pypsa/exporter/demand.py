"""Export of loads, markets and unserved energy (the last two as PyPSA generators)."""

from __future__ import annotations

import numpy as np

from silkgrid.interop.pypsa.common import K, unique
from silkgrid.interop.pypsa.exporter.context import ExportContext


def add_loads(ex: ExportContext) -> None:
    """One load per SilkGrid load, ``p_set`` in MW per snapshot."""
    a = ex.a
    for i, ld in enumerate(ex.sc.loads):
        ex.n.add("Load", ld.id, bus=ld.node, p_set=ex.series(a.load_demand[i] * K))


def add_markets(ex: ExportContext) -> None:
    """Buying is a generator ``<id> import`` at the price (EUR/MWh); selling a generator
    ``<id> export`` with negative output (p_min_pu=-1, p_max_pu=0) whose cost price x p is the
    revenue.  A market with depth steps gives one pair per block (``<id> import 2``, ...), priced
    at price + offset (import) and price - offset (export)."""
    n, sc, a = ex.n, ex.sc, ex.a
    if not sc.markets:
        return
    mcar = ex.extra_carrier("market")
    blocks = a.market_block_market
    for b, i in enumerate(blocks):
        m = sc.markets[i]
        k = int((blocks[:b] == i).sum())  # block number within its market
        tag = "" if k == 0 else f" {k + 1}"
        off = a.market_block_offset[b]
        if a.market_block_buy_cap[b] > 0:
            n.add("Generator", unique(f"{m.id} import{tag}", ex.gen_names), bus=m.node, carrier=mcar,
                  p_nom=a.market_block_buy_cap[b] * K, marginal_cost=ex.series((a.market_price[i] + off) * K))
        if a.market_block_sell_cap[b] > 0:
            n.add("Generator", unique(f"{m.id} export{tag}", ex.gen_names), bus=m.node, carrier=mcar,
                  p_nom=a.market_block_sell_cap[b] * K, p_min_pu=-1.0, p_max_pu=0.0,
                  marginal_cost=ex.series((a.market_price[i] - off) * K))


def add_load_shedding(ex: ExportContext) -> None:
    """Unserved energy: a generator ``<load> shedding`` per load with a value of lost load, up
    to its demand (p_nom = peak MW, p_max_pu = demand / peak), at the VoLL (EUR/MWh)."""
    n, sc, a = ex.n, ex.sc, ex.a
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    if not shed.size:
        return
    scar = ex.extra_carrier("load-shedding")
    for i in shed:
        demand = a.load_demand[i] * K
        peak = float(demand.max())
        if peak <= 0:
            continue
        ld = sc.loads[i]
        n.add("Generator", unique(f"{ld.id} shedding", ex.gen_names), bus=ld.node, carrier=scar,
              p_nom=peak, p_max_pu=ex.series(demand / peak), marginal_cost=a.load_voll[i] * K)
