"""The report's and dashboard's core interactive charts as Plotly figure dicts.

Each function takes a :class:`~silkgrid.results.Result` (or data derived from it) and returns a
figure for :func:`silkgrid.report.plotting.plot_div`.  Time series cover the whole modelled
horizon at full resolution (zoom, pan and hover in the browser); values are rounded to what the
data supports (MW to 0.1, prices to 0.01 EUR/MWh).  Country balances and market views live in
:mod:`silkgrid.report.balance_charts`, the flow map in :mod:`silkgrid.report.flowmap`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis.costs import COMPONENTS
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, colour_map, node_colours, tech_colour
from silkgrid.report.plotting import figure, values
from silkgrid.results import Result

__all__ = ["time_axis", "duration_points", "node_balance", "dispatch_figure", "capacity_figure", "price_duration_figure",
           "curtailment_duration_figure", "cost_figure", "export_figure", "cbam_daily_figure",
           "IMPORT_COLOUR", "EXPORT_COLOUR", "UNSERVED_COLOUR"]

IMPORT_COLOUR = "#8e9aaf"
EXPORT_COLOUR = "#5c6b82"
UNSERVED_COLOUR = "#e73f74"
CHARGE_SUFFIX = " (charge)"
_RANGE_BUTTONS = [{"count": 7, "label": "1 week", "step": "day", "stepmode": "backward"},
                  {"count": 1, "label": "1 month", "step": "month", "stepmode": "backward"},
                  {"step": "all", "label": "year"}]


def time_axis(snaps: pd.DatetimeIndex) -> dict:
    """Trace keys placing values on the time axis: ``x0``/``dx`` (ms) for evenly spaced snapshots
    (the page then carries no timestamps per trace), else ``x`` as ISO strings."""
    if len(snaps) > 1:
        step = np.diff(snaps.to_numpy().astype("datetime64[ms]").astype(np.int64))  # ms, whatever the unit
        if (step == step[0]).all():
            return {"x0": snaps[0].strftime("%Y-%m-%d %H:%M"), "dx": int(step[0])}
    return {"x": [t.strftime("%Y-%m-%d %H:%M") for t in snaps]}


def _sum_by(frame: pd.DataFrame | None, table: pd.DataFrame | None, node: str, key: str = "technology"
            ) -> dict[str, pd.Series]:
    """Hourly columns of ``frame`` summed per ``key`` for the elements of ``table`` at ``node``."""
    if frame is None or table is None or not len(table):
        return {}
    sel = table[table["node"] == node]
    return {k: frame[[i for i in ids if i in frame.columns]].sum(axis=1)
            for k, ids in sel.groupby(key, sort=False)["id"]}


def node_balance(result: Result, node: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series | None]:
    """Hourly balance of ``node`` in MW: supply layers (generation by technology, storage
    discharge, ``imports``, ``unserved``), use layers (storage charge, ``exports``; positive MW) and
    the demand.  Imports and exports are the net exchange over links and markets, taken from the
    node's balance (demand + charge − generation − discharge − unserved), so the layers close
    exactly: supply − use = demand."""
    t, h = result.tables, result.hourly
    idx = result.snapshots
    gen = _sum_by(h.get("generation_mw"), t.get("generators"), node)
    dis = {f"{k} (discharge)": v for k, v in _sum_by(h.get("storage_discharge_mw"), t.get("storage"), node).items()}
    cha = {f"{k}{CHARGE_SUFFIX}": v for k, v in _sum_by(h.get("storage_charge_mw"), t.get("storage"), node).items()}
    zero = pd.Series(0.0, index=idx)
    demand = h["demand_mw"][node] if "demand_mw" in h and node in h["demand_mw"] else None
    unserved = h["unserved_mw"][node] if "unserved_mw" in h and node in h["unserved_mw"] else zero
    supply = pd.DataFrame({**gen, **dis}, index=idx).clip(lower=0.0)
    use = pd.DataFrame(cha, index=idx).clip(lower=0.0)
    net = ((demand if demand is not None else zero) + use.sum(axis=1) - supply.sum(axis=1) - unserved)
    supply["imports"] = net.clip(lower=0.0)
    supply["unserved"] = unserved.clip(lower=0.0)
    use["exports"] = (-net).clip(lower=0.0)
    keep = lambda df: df.loc[:, df.abs().max(axis=0) > 0.05] if len(df.columns) else df  # noqa: E731
    return keep(supply), keep(use), demand


def _decimals(df: pd.DataFrame) -> int:
    """Decimals of MW (MWh) values of a chart: whole MW above a 100 MW peak (1 MW in 100 is below
    what a chart shows; it keeps the hourly year's pages small), 0.1 MW below."""
    return 0 if len(df.columns) and float(df.abs().to_numpy().max()) >= 100.0 else 1


def duration_points(hours: np.ndarray, v: np.ndarray, max_points: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """A duration curve (cumulative hours, values sorted high to low) reduced for drawing: plateaus
    (equal consecutive values) keep only their ends, which is exact for a step curve; a curve still
    longer than ``max_points`` is sampled evenly in hours (each point exact at its own position)."""
    keep = np.ones(len(v), dtype=bool)
    if len(v) > 2:
        same = np.r_[False, np.isclose(v[1:], v[:-1], rtol=0.0, atol=1e-6)]
        keep = ~(same & np.r_[same[1:], False])  # drop interior points of a plateau
        keep[[0, -1]] = True
    h, x = hours[keep], v[keep]
    if len(h) > max_points:
        i = np.unique(np.r_[np.linspace(0, len(h) - 1, max_points).round().astype(int), len(h) - 1])
        h, x = h[i], x[i]
    return h, x


def _layer_colour(name: str) -> str:
    return {"imports": IMPORT_COLOUR, "exports": EXPORT_COLOUR, "unserved": UNSERVED_COLOUR}.get(name) \
        or tech_colour(name.removesuffix(CHARGE_SUFFIX))


def dispatch_figure(result: Result, nodes: list[str], *, height: int = 560) -> dict:
    """Whole-horizon dispatch of each node in ``nodes``: stacked supply above zero, storage charging
    and exports below, demand as a line; the state of charge of the node's stores in a second panel
    on the same time axis.  With several nodes a menu shows one node at a time.  Range buttons
    (week, month, year) and zoom/pan on the shared time axis."""
    axis = time_axis(result.snapshots)
    traces, owner = [], []
    s_tab, soc = result.tables.get("storage"), result.hourly.get("storage_energy_mwh")
    for k, node in enumerate(nodes):
        supply, use, demand = node_balance(result, node)
        vis = k == 0
        nd = _decimals(supply)
        for name in supply.columns:
            traces.append({"type": "scatter", "mode": "lines", "name": name, "stackgroup": "supply",
                           "legendgroup": name.removesuffix(" (discharge)"), "line": {"width": 0},
                           "fillcolor": _layer_colour(name), "marker": {"color": _layer_colour(name)},
                           "y": values(supply[name], nd), "visible": vis,
                           "hovertemplate": f"{node} {name}: %{{y:,.{nd}f}} MW<extra></extra>", **axis})
        for name in use.columns:
            traces.append({"type": "scatter", "mode": "lines", "name": name, "stackgroup": "use",
                           "line": {"width": 0}, "fillcolor": _layer_colour(name),
                           "marker": {"color": _layer_colour(name)}, "y": values(-use[name], 1), "visible": vis,
                           "hovertemplate": f"{node} {name}: %{{customdata:,.1f}} MW<extra></extra>",
                           "customdata": values(use[name], 1), **axis})
        if demand is not None:
            traces.append({"type": "scatter", "mode": "lines", "name": "demand", "line": {"color": DEMAND_COLOUR,
                           "width": 1.2}, "y": values(demand, nd), "visible": vis,
                           "hovertemplate": f"{node} demand: %{{y:,.{nd}f}} MW<extra></extra>", **axis})
        owner += [node] * (len(traces) - len(owner))
        if s_tab is not None and soc is not None:
            for r in s_tab[s_tab["node"] == node].itertuples():  # every store with energy capacity
                if r.id in soc.columns and (float(soc[r.id].max()) > 0.05 or r.energy_total_mwh > 0.05):
                    traces.append({"type": "scatter", "mode": "lines", "name": f"{r.id} state of charge",
                                   "xaxis": "x", "yaxis": "y2", "line": {"color": tech_colour(r.technology),
                                                                         "width": 1.2},
                                   "y": values(soc[r.id], _decimals(soc[[r.id]])), "visible": vis, "showlegend": True,
                                   "hovertemplate": f"{r.id}: %{{y:,.0f}} MWh<extra></extra>", **axis})
            owner += [node] * (len(traces) - len(owner))
    layout = {"xaxis": {"type": "date", "rangeselector": {"buttons": _RANGE_BUTTONS, "x": 0.5, "xanchor": "center",
                                                         "y": 1.1, "yanchor": "bottom"},
                        "anchor": "y2"},
              "yaxis": {"domain": [0.34, 1.0], "title": {"text": "MW"}},
              "yaxis2": {"domain": [0.0, 0.24], "title": {"text": "MWh stored"}, "gridcolor": "#e3e6ea",
                         "rangemode": "tozero"},
              "hovermode": "x unified", "legend": {"orientation": "h", "y": -0.12},
              "margin": {"t": 56}}
    if len(nodes) > 1:
        buttons = [{"label": node, "method": "update",
                    "args": [{"visible": [o == node for o in owner]}, {"title.text": f"Dispatch: {node}"}]}
                   for node in nodes]
        layout["updatemenus"] = [{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.1, "yanchor": "bottom",
                                  "direction": "down", "showactive": True}]
    return figure(traces, layout, title=f"Dispatch: {nodes[0]}" if nodes else "Dispatch", height=height)


def capacity_figure(cap: pd.DataFrame, new: pd.DataFrame | None = None) -> dict:
    """Horizontal stacked bars of capacity (GW) by node and technology; hover gives MW and, with
    ``new`` (same shape, MW of new capacity), the part that is new."""
    colours = colour_map(cap.columns)
    nodes = list(cap.index)
    traces = []
    for tech in cap.columns:
        mw = cap[tech].to_numpy(dtype=float)
        if not (mw > 0.05).any():
            continue
        nw = (new[tech].reindex(cap.index).fillna(0.0).to_numpy(dtype=float) if new is not None
              and tech in new.columns else np.zeros(len(mw)))
        traces.append({"type": "bar", "orientation": "h", "name": tech, "y": nodes, "x": values(mw / 1e3, 3),
                       "marker": {"color": colours[tech]}, "customdata": np.c_[values(mw, 0), values(nw, 0)].tolist(),
                       "hovertemplate": f"%{{y}} {tech}: %{{customdata[0]:,}} MW (new %{{customdata[1]:,}} MW)"
                                        "<extra></extra>"})
    return figure(traces, {"barmode": "stack", "yaxis": {"autorange": "reversed", "type": "category"}},
                  height=80 + 34 * len(nodes), xtitle="GW (generators: capacity; storage: power)")


def price_duration_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], order: list[str]) -> dict:
    """Price duration curves, one line per node (``curves``: node -> (cumulative hours, prices
    sorted high to low)), coloured by the node's position in ``order``."""
    nc = node_colours([*order, *(n for n in curves if n not in order)])
    traces = []
    for node, (x, v) in curves.items():
        h, p = duration_points(np.r_[0.0, x], np.r_[v[0], v])
        traces.append({"type": "scatter", "mode": "lines", "name": node, "line": {"color": nc[node], "width": 1.6,
                                                                                  "shape": "vh"},
                       "x": values(h, 1), "y": values(p, 2),
                       "hovertemplate": f"{node}: %{{y:,.2f}} EUR/MWh or more for %{{x:,.0f}} h<extra></extra>"})
    layout = {}
    top = max((float(v.max()) for _, v in curves.values()), default=0.0)
    # scarcity prices (up to the value of lost load) in a few hours would flatten every other price:
    # the axis opens at the highest price any node sees for more than 0.5 % of the year
    body = max((float(v[min(np.searchsorted(x, 0.005 * x[-1]), len(v) - 1)]) for x, v in curves.values()),
               default=0.0)
    if body > 0 and top > 1.5 * body:
        lo = min(0.0, min(float(v.min()) for _, v in curves.values()))
        hours = max(float(x[np.searchsorted(-v, -1.15 * body)]) if (v > 1.15 * body).any() else 0.0
                    for x, v in curves.values())
        layout = {"yaxis": {"range": [lo, 1.15 * body]}, "annotations": [{
            "text": f"axis cut at {1.15 * body:,.0f} EUR/MWh: up to {hours:,.0f} h/yr above it (max "
                    f"{top:,.0f}); zoom out to see them", "xref": "paper", "yref": "paper", "x": 1, "y": 1,
            "xanchor": "right", "yanchor": "bottom", "showarrow": False, "font": {"size": 11, "color": "#8a4b00"}}]}
    return figure(traces, layout, xtitle="hours per year at or above the price", ytitle="EUR/MWh", height=380)


def curtailment_duration_figure(result: Result) -> dict | None:
    """Curtailment duration curve per country (MW sorted high to low against cumulative hours);
    None when nothing is curtailed (less than 1 MWh/yr)."""
    c = result.hourly.get("curtailment_mw")
    g = result.tables.get("generators")
    if c is None or g is None or not len(g):
        return None
    w = np.asarray(result.weights, dtype=float)
    country = g.set_index("id")["country"].reindex(c.columns)
    by = c.T.groupby(country.to_numpy()).sum().T
    nc = node_colours(list(by.columns))
    traces = []
    for ctry in by.columns:
        v = by[ctry].to_numpy(dtype=float)
        if float((v * w).sum()) < 1.0:
            continue
        o = np.argsort(-v, kind="stable")
        h, y = duration_points(np.r_[0.0, np.cumsum(w[o])], np.r_[v[o][0], v[o]])
        traces.append({"type": "scatter", "mode": "lines", "name": ctry, "line": {"color": nc[ctry], "shape": "vh"},
                       "x": values(h, 1), "y": values(y, 1),
                       "hovertemplate": f"{ctry}: %{{y:,.0f}} MW or more curtailed for %{{x:,.0f}} h<extra></extra>"})
    if not traces:
        return None
    return figure(traces, xtitle="hours per year with at least this curtailment", ytitle="MW curtailed", height=340)


def cost_figure(by: pd.DataFrame) -> dict:
    """Cost components (M EUR/yr) stacked per technology (``by``: rows technology, columns
    :data:`~silkgrid.analysis.costs.COMPONENTS`); negative components (export revenue) below zero."""
    traces = []
    for c in COMPONENTS:
        if c not in by or by[c].abs().sum() <= 1.0:
            continue
        name = c.removesuffix("_eur")
        traces.append({"type": "bar", "name": name.replace("_", " "), "x": list(by.index),
                       "y": values(by[c] / 1e6, 2), "marker": {"color": COMPONENT_COLOURS.get(name, tech_colour(name))},
                       "hovertemplate": f"%{{x}} {name.replace('_', ' ')}: %{{y:,.1f}} M EUR/yr<extra></extra>"})
    return figure(traces, {"barmode": "relative"}, ytitle="M EUR per year", height=380)


def export_figure(markets: pd.DataFrame) -> dict:
    """Energy sold into and bought from each market (GWh/yr), grouped bars."""
    ids = list(markets["id"])
    traces = [{"type": "bar", "orientation": "h", "name": "sold (export)", "y": ids,
               "x": values(markets["sold_mwh"] / 1e3, 1), "marker": {"color": "#3b8bc2"},
               "hovertemplate": "%{y}: sold %{x:,.1f} GWh/yr<extra></extra>"},
              {"type": "bar", "orientation": "h", "name": "bought (import)", "y": ids,
               "x": values(markets["bought_mwh"] / 1e3, 1), "marker": {"color": "#9aa3ad"},
               "hovertemplate": "%{y}: bought %{x:,.1f} GWh/yr<extra></extra>"}]
    return figure(traces, {"barmode": "group", "yaxis": {"autorange": "reversed", "type": "category"}},
                  height=90 + 44 * len(ids), xtitle="GWh per year")


def cbam_daily_figure(hourly: pd.DataFrame) -> dict | None:
    """Daily hourly-matched share of the energy landed in the EU (%), with the daily landed energy
    (GWh) as bars; None with fewer than two days of exports."""
    day = hourly[["exported_mwh", "matched_mwh"]].resample("D").sum()
    day = day[day["exported_mwh"] > 0]
    if len(day) < 2:
        return None
    x = [d.strftime("%Y-%m-%d") for d in day.index]
    share = day["matched_mwh"] / day["exported_mwh"] * 100.0
    traces = [{"type": "bar", "name": "landed in the EU", "x": x, "y": values(day["exported_mwh"] / 1e3, 2),
               "marker": {"color": "#c9d6e3"}, "yaxis": "y2",
               "hovertemplate": "%{x}: %{y:,.2f} GWh landed<extra></extra>"},
              {"type": "scatter", "mode": "lines", "name": "matched share", "x": x, "y": values(share, 1),
               "line": {"color": "#11a579", "width": 1.6},
               "hovertemplate": "%{x}: %{y:.1f} % matched<extra></extra>"}]
    layout = {"xaxis": {"type": "date"}, "yaxis": {"title": {"text": "% matched"}, "range": [0, 100]},
              "margin": {"r": 72},
              "yaxis2": {"title": {"text": "GWh landed per day"}, "overlaying": "y", "side": "right",
                         "showgrid": False, "rangemode": "tozero"}}
    return figure(traces, layout, height=320)
