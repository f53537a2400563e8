"""Market view: nodal price statistics, capture prices, congestion rent, export revenue.

Prices are the nodal prices of the result (``price_eur_per_mwh``: duals of the energy
balance), so these functions need a solve that returned duals; use the simplex method for
vertex (unambiguous) prices.  Statistics are weighted by the snapshot weights (h/yr).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis._common import corridor_of, directional_flows, require_plan, scenario_of, weights
from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario


def _prices(result: Result) -> pd.DataFrame:
    require_plan(result)
    if "price_eur_per_mwh" not in result.hourly:
        raise SilkGridError("the result holds no nodal prices (the solver returned no duals)")
    return result.hourly["price_eur_per_mwh"]


def _wquantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """Weighted quantile: the smallest x whose cumulative weight share reaches q."""
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order]) / w.sum()
    return float(x[order][min(np.searchsorted(cw, q - 1e-12), len(x) - 1)])


def price_statistics(result: Result) -> pd.DataFrame:
    """Per node: time-weighted ``mean_eur_per_mwh``, ``std_eur_per_mwh``, ``min/max``,
    weighted percentiles ``p05/p50/p95_eur_per_mwh``, and ``hours_at_or_below_zero_h``
    (h/yr with a price <= 0.01 EUR/MWh)."""
    p = _prices(result)
    w = np.asarray(result.weights, dtype=float)
    rows = []
    for node in p.columns:
        x = p[node].to_numpy()
        mean = float(x @ w / w.sum())
        rows.append({"node": node, "mean_eur_per_mwh": mean,
                     "std_eur_per_mwh": float(np.sqrt(((x - mean) ** 2) @ w / w.sum())),
                     "min_eur_per_mwh": float(x.min()), "max_eur_per_mwh": float(x.max()),
                     "p05_eur_per_mwh": _wquantile(x, w, 0.05), "p50_eur_per_mwh": _wquantile(x, w, 0.5),
                     "p95_eur_per_mwh": _wquantile(x, w, 0.95),
                     "hours_at_or_below_zero_h": float(w[x <= 0.01].sum())})
    return pd.DataFrame(rows)


def price_duration_curves(result: Result) -> pd.DataFrame:
    """Nodal prices sorted from highest to lowest, per node (long table).

    Columns: ``node``, ``price_eur_per_mwh``, ``duration_h`` (cumulative weight, h/yr: hours
    per year with at least that price).
    """
    p = _prices(result)
    w = np.asarray(result.weights, dtype=float)
    parts = []
    for node in p.columns:
        x = p[node].to_numpy()
        o = np.argsort(-x, kind="stable")
        parts.append(pd.DataFrame({"node": node, "price_eur_per_mwh": x[o], "duration_h": np.cumsum(w[o])}))
    return pd.concat(parts, ignore_index=True)


def capture_prices(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """Capture price and market value per generator and per (node, technology).

    ``market_revenue_eur`` = sum_t price_node,t x output_t x w_t (EUR/yr);
    ``capture_price_eur_per_mwh`` = revenue / generation; ``mean_price_eur_per_mwh`` = the
    node's time-weighted mean price; ``value_factor`` = capture / mean price (NaN where either
    is undefined).  Rows with ``id`` = "*" are the (node, technology) aggregates.
    """
    p = _prices(result)
    w = weights(result)
    gen = result.hourly["generation_mw"]
    g_tab = result.tables["generators"]
    rows = []
    for r in g_tab.itertuples():
        price = p[r.node]
        rows.append({"id": r.id, "node": r.node, "technology": r.technology,
                     "generation_mwh": float((gen[r.id] * w).sum()),
                     "market_revenue_eur": float((gen[r.id] * price * w).sum()),
                     "mean_price_eur_per_mwh": float((price * w).sum() / w.sum())})
    df = pd.DataFrame(rows, columns=["id", "node", "technology", "generation_mwh", "market_revenue_eur",
                                     "mean_price_eur_per_mwh"])
    agg = df.groupby(["node", "technology"], as_index=False).agg(
        generation_mwh=("generation_mwh", "sum"), market_revenue_eur=("market_revenue_eur", "sum"),
        mean_price_eur_per_mwh=("mean_price_eur_per_mwh", "first"))
    agg.insert(0, "id", "*")
    out = pd.concat([df, agg], ignore_index=True)
    gen_ok = out["generation_mwh"] > 1e-6
    out["capture_price_eur_per_mwh"] = np.where(gen_ok, out["market_revenue_eur"] / out["generation_mwh"].where(
        gen_ok, 1.0), np.nan)
    mean_ok = out["mean_price_eur_per_mwh"].abs() > 1e-9
    out["value_factor"] = np.where(mean_ok, out["capture_price_eur_per_mwh"] / out["mean_price_eur_per_mwh"].where(
        mean_ok, 1.0), np.nan)
    return out


def congestion_rent(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """Congestion rent per link, EUR/yr.

    ``congestion_rent_eur`` = sum_t w_t [ f_t (e p_to,t - p_from,t) + b_t (e_r p_from,t - p_to,t) ]
    with f, b the power sent forward/backward (MW): the value of the energy at the receiving
    node minus its value at the sending node.  For a lossless link this is
    (p_to - p_from) x net flow.  Also ``net_flow_mwh`` (forward - backward sent, MWh/yr) and
    ``mean_price_spread_eur_per_mwh`` (time-weighted mean of p_to - p_from).
    """
    p = _prices(result)
    w = weights(result)
    scenario = scenario_of(result, scenario)
    fwd, bwd = directional_flows(result, scenario)
    rows = []
    for ln in scenario.links:
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        pf, pt = p[ln.from_node], p[ln.to_node]
        f, b = fwd[ln.id], bwd[ln.id]
        rent = (f * (ln.efficiency * pt - pf) + b * (er * pf - pt)) * w
        rows.append({"id": ln.id, "from_node": ln.from_node, "to_node": ln.to_node,
                     "net_flow_mwh": float(((f - b) * w).sum()),
                     "mean_price_spread_eur_per_mwh": float(((pt - pf) * w).sum() / w.sum()),
                     "congestion_rent_eur": float(rent.sum())})
    return pd.DataFrame(rows)


def export_revenue(result: Result, scenario: Scenario | None = None, markets=None) -> pd.DataFrame:
    """Revenue of sales into (net of purchases from) the given markets at their prices.

    Per market (those of ``markets`` present in the scenario; default: the scenario's
    ``corridor.eu_markets``, none when it has no such section): ``sold_mwh``, ``bought_mwh``
    (MWh/yr), ``revenue_eur`` (EUR/yr, net: sum_t (sales - purchases) x market price x w)
    and ``average_sale_price_eur_per_mwh`` = revenue / (sold - bought) (NaN when the net
    volume is zero).  Markets not in the scenario are skipped.
    """
    require_plan(result)
    if markets is None:
        markets = corridor_of(scenario_of(result, scenario)).eu_markets
    tab = result.tables["markets"]
    sel = tab[tab["id"].isin(list(markets))][["id", "node", "sold_mwh", "bought_mwh", "revenue_eur"]].copy()
    net = sel["sold_mwh"] - sel["bought_mwh"]
    sel["average_sale_price_eur_per_mwh"] = np.where(net.abs() > 1e-6, sel["revenue_eur"] / net.where(
        net.abs() > 1e-6, 1.0), np.nan)
    return sel.reset_index(drop=True)
