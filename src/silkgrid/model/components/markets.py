"""External markets: sales and purchases at an hourly price (EUR/MWh; MEUR/GWh in the LP).

LP blocks: ``market_sell`` (GW, at most the export capacity; earns price x weight) and
``market_buy`` (GW, at most the import capacity; pays price x weight).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import COST, MEUR_TO_EUR, MW
from silkgrid.model.components.base import BuildContext, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``market_*`` fields: price (M, T) in MEUR/GWh, export and import capacity in GW."""
    return dict(
        market_ids=[m.id for m in sc.markets],
        market_node=inp.nodes([m.node for m in sc.markets]),
        market_price=inp.hourly([m.price_eur_per_mwh for m in sc.markets], COST),
        market_export_cap=np.array([m.export_capacity_mw for m in sc.markets]) * MW,
        market_import_cap=np.array([m.import_capacity_mw for m in sc.markets]) * MW,
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Sales to and purchases from external markets at their hourly price."""
    a = ctx.arrays
    M, T = len(a.market_ids), ctx.T
    value = a.market_price * ctx.w[None, :]
    sell = lp.add_variables("market_sell", (M, T), upper=a.market_export_cap[:, None], cost=-value, time=ctx.t)
    buy = lp.add_variables("market_buy", (M, T), upper=a.market_import_cap[:, None], cost=value, time=ctx.t)
    lp.add_terms(ctx.balance[a.market_node], sell, -1.0)
    lp.add_terms(ctx.balance[a.market_node], buy, 1.0)


def polish(values: dict[str, np.ndarray], a) -> dict[str, int]:
    """Net a market's sale and purchase in the same snapshot (an interior point returns both
    where the price makes them equivalent): ``sell - buy`` is kept, so revenue and the nodal
    balance are exactly unchanged.  In place; the count of snapshots netted."""
    sell, buy = values["market_sell"], values["market_buy"]
    both = np.minimum(sell, buy)
    netted = int((both > 0).sum())
    values["market_sell"], values["market_buy"] = sell - both, buy - both
    return {"market_trades_netted": netted}


def extract(view: SolutionView) -> Extracted:
    """Table ``markets`` (MWh/yr, revenue EUR/yr) and hourly ``market_sales_mw`` (sold - bought)."""
    a, v, w = view.arrays, view.values, view.w
    sell, buy = v["market_sell"], v["market_buy"]
    table = pd.DataFrame({
        "id": a.market_ids, "node": view.node_names(a.market_node),
        "sold_mwh": view.energy(sell), "bought_mwh": view.energy(buy),
        "revenue_eur": ((sell - buy) * a.market_price * w[None, :]).sum(axis=1)
        * MEUR_TO_EUR if len(a.market_ids) else np.zeros(0),
    })
    return Extracted(tables={"markets": table}, hourly={"market_sales_mw": view.wide(sell - buy, a.market_ids)})


#: No rows of its own.
DIAGNOSIS: dict = {}
