"""External markets: sales and purchases at an hourly price (EUR/MWh; MEUR/GWh in the LP), with
finite depth as price-quantity steps.

Each market is split into blocks (``Market.depth_steps``; one block when it has none): the k-th
block of sales earns price - offset_k, the k-th block of purchases pays price + offset_k, and the
blocks of one direction add up to the market's export (import) capacity.  LP blocks:
``market_sell`` and ``market_buy`` (GW per block and snapshot, at most the block's size).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import COST, MEUR_TO_EUR, MW
from silkgrid.model.components.base import BuildContext, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Market, Scenario


def _blocks(m: Market, capacity_mw: float) -> list[tuple[float, float]]:
    """(size MW, price offset EUR/MWh) of the blocks of one direction: the steps in order, cut at the
    capacity; capacity beyond the listed steps trades at the last step's offset."""
    if not m.depth_steps:
        return [(capacity_mw, 0.0)]
    out, left = [], capacity_mw
    for st in m.depth_steps:
        size = min(st.mw, left)
        out.append((size, st.price_offset_eur_per_mwh))
        left -= size
    if left > 0:
        out[-1] = (out[-1][0] + left, out[-1][1])
    return out


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``market_*`` fields: price (M, T) in MEUR/GWh, capacities in GW; ``market_block_*``: the market
    of each block, its sale and purchase size (GW) and its price offset (MEUR/GWh)."""
    mk, sell_cap, buy_cap, offset = [], [], [], []
    for i, m in enumerate(sc.markets):
        sells, buys = _blocks(m, m.export_capacity_mw), _blocks(m, m.import_capacity_mw)
        for (s, off), (b, _) in zip(sells, buys):  # the same offsets in both directions
            mk.append(i)
            sell_cap.append(s)
            buy_cap.append(b)
            offset.append(off)
    return dict(
        market_ids=[m.id for m in sc.markets],
        market_node=inp.nodes([m.node for m in sc.markets]),
        market_price=inp.hourly([m.price_eur_per_mwh for m in sc.markets], COST),
        market_export_cap=np.array([m.export_capacity_mw for m in sc.markets]) * MW,
        market_import_cap=np.array([m.import_capacity_mw for m in sc.markets]) * MW,
        market_block_market=np.array(mk, dtype=np.int64),
        market_block_sell_cap=np.array(sell_cap, dtype=float) * MW,
        market_block_buy_cap=np.array(buy_cap, dtype=float) * MW,
        market_block_offset=np.array(offset, dtype=float) * COST,
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Sales to and purchases from external markets, block by block, at the hourly price -/+ offset."""
    a = ctx.arrays
    B, T = len(a.market_block_market), ctx.T
    price = a.market_price[a.market_block_market]
    off = a.market_block_offset[:, None]
    sell = lp.add_variables("market_sell", (B, T), upper=a.market_block_sell_cap[:, None],
                            cost=-(price - off) * ctx.w[None, :], time=ctx.t)
    buy = lp.add_variables("market_buy", (B, T), upper=a.market_block_buy_cap[:, None],
                           cost=(price + off) * ctx.w[None, :], time=ctx.t)
    node = a.market_node[a.market_block_market]
    lp.add_terms(ctx.balance[node], sell, -1.0)
    lp.add_terms(ctx.balance[node], buy, 1.0)


def polish(values: dict[str, np.ndarray], a) -> dict[str, int]:
    """Net sale and purchase of the same block in the same snapshot (an interior point returns both
    where the price makes them equivalent): ``sell - buy`` is kept, so the nodal balance is exactly
    unchanged and revenue changes by 2 x offset x the netted amount (zero for blocks without an
    offset).  In place; the count of snapshots netted."""
    sell, buy = values["market_sell"], values["market_buy"]
    both = np.minimum(sell, buy)
    netted = int((both > 0).sum())
    values["market_sell"], values["market_buy"] = sell - both, buy - both
    return {"market_trades_netted": netted}


def _by_market(a, x: np.ndarray) -> np.ndarray:
    """Block rows (B, ...) summed into market rows (M, ...)."""
    out = np.zeros((len(a.market_ids),) + x.shape[1:])
    np.add.at(out, a.market_block_market, x)
    return out


def extract(view: SolutionView) -> Extracted:
    """Table ``markets`` (MWh/yr, revenue EUR/yr) and hourly ``market_sales_mw`` (sold - bought)."""
    a, v, w = view.arrays, view.values, view.w
    sell_b, buy_b = v["market_sell"], v["market_buy"]
    price = a.market_price[a.market_block_market]
    off = a.market_block_offset[:, None]
    value_b = (sell_b * (price - off) - buy_b * (price + off)) * w[None, :]
    sell, buy = _by_market(a, sell_b), _by_market(a, buy_b)
    table = pd.DataFrame({
        "id": a.market_ids, "node": view.node_names(a.market_node),
        "sold_mwh": view.energy(sell), "bought_mwh": view.energy(buy),
        "revenue_eur": _by_market(a, value_b).sum(axis=1) * MEUR_TO_EUR if len(a.market_ids) else np.zeros(0),
    })
    return Extracted(tables={"markets": table}, hourly={"market_sales_mw": view.wide(sell - buy, a.market_ids)})


#: No rows of its own.
DIAGNOSIS: dict = {}
