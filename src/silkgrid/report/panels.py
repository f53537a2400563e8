"""The report's panels, public: each takes a :class:`~silkgrid.results.Result` and returns HTML.

The HTML report (:mod:`silkgrid.report.page`) and the web dashboard (:mod:`silkgrid.web.app`)
show the same panels: interactive Plotly charts (:mod:`silkgrid.report.charts`,
:mod:`silkgrid.report.flowmap`, :mod:`silkgrid.report.balance_charts`) and tables.  A panel whose
data is missing says why instead of failing; :class:`~silkgrid.core.errors.SilkGridError` is raised
only for a bad request (a week outside the horizon).  The money panels (exports, delivered cost,
CBAM, costs) are in :mod:`silkgrid.report.trade_panels`.  The data helpers
(:func:`capacity_by_node`, :func:`week_slice`, :func:`dispatch`, :func:`price_duration`) are plain
pandas, shared with the PNG figures (:mod:`silkgrid.report.figures`).

>>> from silkgrid.results import Result
>>> from silkgrid.report.panels import capacity_panel
>>> html = capacity_panel(Result.from_dir("results/example"))       # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.report.balance_charts import (SANKEY_MIN_MWH, balance_sankey_figure, balance_table_html, capture_price_figure,
                                            congestion_rent_figure, emissions_figure, generation_mix_figure,
                                            market_table_html)
from silkgrid.report.charts import (capacity_figure, curtailment_duration_figure, dispatch_figure,
                                    price_duration_figure)
from silkgrid.report.flowmap import flow_map_figure
from silkgrid.report.formatting import fmt_energy, fmt_fixed, solver_name
from silkgrid.report.html import esc
from silkgrid.report.plotting import plot_div
from silkgrid.report.trade_panels import scenario_note
from silkgrid.results import Result

__all__ = ["map_panel", "capacity_panel", "dispatch_panel", "balance_panel", "price_panel", "curtailment_panel",
           "downloads_panel", "provenance_panel", "capacity_by_node", "new_capacity_by_node", "week_slice",
           "n_weeks", "dispatch", "price_duration", "solver_text", "download_files"]


# ----------------------------------------------------------------------------------------
# data helpers (plain pandas, shared by the HTML and the PNG figures)
# ----------------------------------------------------------------------------------------
def capacity_by_node(result: Result) -> pd.DataFrame:
    """MW by node (rows) and technology (columns): generators' total_mw + storage power."""
    g = result.tables.get("generators")
    s = result.tables.get("storage")
    frames = []
    if g is not None and len(g):
        frames.append(g[["node", "technology", "total_mw"]].rename(columns={"total_mw": "mw"}))
    if s is not None and len(s):
        frames.append(s[["node", "technology", "power_total_mw"]].rename(columns={"power_total_mw": "mw"}))
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames)
    df = df[np.isfinite(df["mw"])]  # unlimited_power stores have no finite capacity
    wide = df.groupby(["node", "technology"], sort=False)["mw"].sum().unstack(fill_value=0.0)
    nodes = [n["id"] for n in result.network.get("nodes", [])] or list(wide.index)
    return wide.reindex([n for n in nodes if n in wide.index])



def new_capacity_by_node(result: Result) -> pd.DataFrame:
    """MW of new capacity by node and technology (generators' new_mw + storage new power), shaped
    like :func:`capacity_by_node`."""
    g, s = result.tables.get("generators"), result.tables.get("storage")
    frames = []
    if g is not None and len(g):
        frames.append(g[["node", "technology", "new_mw"]].rename(columns={"new_mw": "mw"}))
    if s is not None and len(s):
        frames.append(s[["node", "technology", "power_new_mw"]].rename(columns={"power_new_mw": "mw"}))
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames)
    return df[np.isfinite(df["mw"])].groupby(["node", "technology"], sort=False)["mw"].sum().unstack(fill_value=0.0)

def n_weeks(result: Result) -> int:
    """Weeks of the modelled horizon (the last one possibly partial)."""
    idx = result.snapshots
    return int((idx[-1] - idx[0]) / pd.Timedelta(days=7)) + 1 if len(idx) else 0


def week_slice(result: Result, week: int) -> pd.DatetimeIndex:
    """Snapshots of week ``week`` (1 = the first seven days of the modelled horizon)."""
    idx = result.snapshots
    if week < 1:
        raise SilkGridError(f"week {week}: weeks are numbered from 1")
    start = idx[0] + pd.Timedelta(days=7 * (week - 1))
    sel = idx[(idx >= start) & (idx < start + pd.Timedelta(days=7))]
    if not len(sel):
        raise SilkGridError(f"week {week} is outside the modelled horizon ({idx[0]:%Y-%m-%d} to "
                            f"{idx[-1]:%Y-%m-%d}, {n_weeks(result)} week(s)); choose --week 1 to {n_weeks(result)}")
    return sel


def dispatch(result: Result, node: str, snaps: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series | None]:
    """Per technology MW at ``node`` (generation, then storage discharge) and demand MW."""
    t, h = result.tables, result.hourly
    layers = {}
    g = t.get("generators")
    if g is not None and len(g) and "generation_mw" in h:
        for tech, ids in g[g["node"] == node].groupby("technology", sort=False)["id"]:
            layers[tech] = h["generation_mw"].loc[snaps, list(ids)].sum(axis=1)
    s = t.get("storage")
    if s is not None and len(s) and "storage_discharge_mw" in h:
        for tech, ids in s[s["node"] == node].groupby("technology", sort=False)["id"]:
            layers[f"{tech} (discharge)"] = h["storage_discharge_mw"].loc[snaps, list(ids)].sum(axis=1)
    df = pd.DataFrame(layers, index=snaps).clip(lower=0.0)
    df = df.loc[:, df.max(axis=0) > 1e-3] if len(df.columns) else df
    demand = h["demand_mw"].loc[snaps, node] if "demand_mw" in h and node in h["demand_mw"] else None
    return df, demand


def price_duration(result: Result) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per node: (cumulative hours, price sorted high to low)."""
    p = result.hourly.get("price_eur_per_mwh")
    if p is None:
        return {}
    w = np.asarray(result.weights, dtype=float)
    if len(w) != len(p):
        w = np.ones(len(p))
    out = {}
    for node in p.columns:
        v = p[node].to_numpy()
        order = np.argsort(-v, kind="stable")
        out[node] = (np.cumsum(w[order]), v[order])
    return out


def solver_text(solver: dict) -> str:
    """``'Clarabel (interior point), monolithic, 12.3 s'``: the solver that ran
    (:func:`~silkgrid.report.formatting.solver_name`); a decomposed solve adds its proven gap."""
    parts = [solver_name(solver)]
    parts.append(f"{solver.get('solve_seconds') or 0:.1f} s")
    if solver.get("method") == "decomposed" and solver.get("gap") is not None:
        parts.append(f"proven gap {solver['gap'] * 100:.2f} %")
    return ", ".join(parts)



def download_files(result_dir) -> list[tuple[str, str, int]]:
    """(table name, kind ``'table'`` or ``'hourly'``, file size in bytes) of the Parquet files of a
    result directory, in name order (``metrics/`` tables included as ``metrics/NAME``)."""
    d = Path(result_dir)
    out = []
    for p in sorted([*d.glob("*.parquet"), *d.glob("metrics/*.parquet")]):
        name = p.relative_to(d).with_suffix("").as_posix()
        out.append((name, "hourly" if name.endswith(("_mw", "_mwh", "_per_mwh")) else "table", p.stat().st_size))
    return out


# ----------------------------------------------------------------------------------------
# panels
# ----------------------------------------------------------------------------------------
def map_panel(result: Result) -> str:
    """The corridor map: link width ∝ capacity (new capacity highlighted), arrows in the direction
    of the net flow (size ∝ flow / capacity, colour = utilisation) and a slider over the days."""
    if not any(n.get("lat") is not None and n.get("lon") is not None for n in result.network.get("nodes", [])):
        return "<p class='note'>No node has coordinates (lat/lon), so no map can be drawn.</p>"
    return (plot_div(flow_map_figure(result), "fig-map", cls="map")
            + "<p class='note'>Line width: link capacity (grey: existing, blue: new; dotted: a candidate not built). Arrows: direction of the "
              "net flow, larger as the flow nears capacity, coloured by utilisation; the slider shows the "
              "yearly mean or one day's mean flow.</p>")


def capacity_panel(result: Result) -> str:
    """Stacked bars of capacity by node and technology (hover: MW and the new part)."""
    cap = capacity_by_node(result)
    if cap.empty:
        return "<p class='note'>No generation or storage capacity.</p>"
    return plot_div(capacity_figure(cap, new_capacity_by_node(result)), "fig-capacity")


def dispatch_panel(result: Result, week: int = 1, *, nodes: list[str] | None = None, src: str | None = None) -> str:
    """Whole-year dispatch with storage state of charge, zoomed at first to week ``week`` (drag to
    zoom, double-click for the year).  With ``src`` (the dashboard) the figure is fetched from that
    URL instead of being embedded.  Raises :class:`SilkGridError` for a week outside the horizon."""
    snaps = week_slice(result, week)
    note = (f"<p class='note'>Whole horizon ({result.snapshots[0]:%Y-%m-%d} to {result.snapshots[-1]:%Y-%m-%d}, "
            f"{len(result.snapshots)} snapshots), opened at week {week}. Above zero: generation by technology, "
            "storage discharge, net imports, unserved energy; below zero: storage charging and net exports "
            "(links and markets); black line: the node's demand. Lower panel: energy stored.</p>")
    if src is not None:
        return note + plot_div(None, "fig-dispatch", src=src, note="<p class='note'>loading the year …</p>")
    ids = [n["id"] for n in result.network.get("nodes", [])] or list(result.tables["nodes"]["id"])
    fig = dispatch_figure(result, [i for i in ids if nodes is None or i in nodes])
    fig["layout"]["xaxis"]["range"] = [f"{snaps[0]:%Y-%m-%d %H:%M}", f"{snaps[-1]:%Y-%m-%d %H:%M}"]
    return note + plot_div(fig, "fig-dispatch")


def balance_panel(result: Result) -> str:
    """Country energy balances: a Sankey of where energy comes from and goes, generation mix and
    emissions by country, and the balance table."""
    sankey = balance_sankey_figure(result)
    flows = (plot_div(sankey, "fig-sankey") if sankey["data"][0]["link"]["value"] else
             f"<p class='note'>No energy flow reaches {SANKEY_MIN_MWH / 1e3:g} GWh/yr: the Sankey is left out.</p>")
    return (flows
            + "<div class='grid'><div>" + plot_div(generation_mix_figure(result), "fig-mix") + "</div><div>"
            + plot_div(emissions_figure(result), "fig-emissions") + "</div></div>" + balance_table_html(result))


def price_panel(result: Result) -> str:
    """Price duration curves and a table of max / mean / min per node; capture prices by technology
    and congestion rents of the links."""
    curves = price_duration(result)
    if not curves:
        return "<p class='note'>No prices: the solver returned no duals.</p>"
    order = [n["id"] for n in result.network.get("nodes", [])]
    stats = "".join(f"<tr><td>{esc(n)}</td><td>{fmt_fixed(v.max())}</td>"
                    f"<td>{fmt_fixed(np.average(v, weights=np.diff(np.r_[0, x])))}</td><td>{fmt_fixed(v.min())}</td></tr>"
                    for n, (x, v) in curves.items())
    return (plot_div(price_duration_figure(curves, order), "fig-prices")
            + "<table><tr><th>node</th><th>max</th><th>time-weighted mean</th>"
            f"<th>min EUR/MWh</th></tr>{stats}</table><h3>Capture prices and congestion rents</h3>"
            + "<div class='grid'><div>" + plot_div(capture_price_figure(result), "fig-capture") + "</div><div>"
            + plot_div(congestion_rent_figure(result), "fig-rents") + "</div></div>" + market_table_html(result))


def curtailment_panel(result: Result) -> str:
    """Curtailment duration curves by country and the curtailed energy per technology."""
    g = result.tables.get("generators")
    fig = curtailment_duration_figure(result)
    if fig is None or g is None:
        return "<p class='note'>Nothing is curtailed (less than 1 MWh per year).</p>"
    by = g.groupby(["country", "technology"], sort=False)[["curtailment_mwh", "generation_mwh"]].sum()
    by = by[by["curtailment_mwh"] >= 1.0]
    rows = "".join(f"<tr><td>{esc(c)}</td><td>{esc(t)}</td><td>{fmt_energy(r.curtailment_mwh)}</td>"
                   f"<td>{r.curtailment_mwh / (r.curtailment_mwh + r.generation_mwh):.1%}</td></tr>"
                   for (c, t), r in by.iterrows())
    return (plot_div(fig, "fig-curtailment") + "<table><tr><th>country</th><th>technology</th><th>curtailed</th>"
            f"<th>share of available energy</th></tr>{rows}</table>")


def downloads_panel(files: list[tuple[str, str, int]], href: Callable[[str, str], str | None]) -> str:
    """Links to every table of the result as Parquet and CSV (``href(name, 'parquet' | 'csv')`` gives
    the URL, or None where that format is not available), and a note on chart images (the camera button of each chart saves a PNG)."""
    if not files:
        return "<p class='note'>No tables to download.</p>"
    def link(name: str, fmt: str, text: str) -> str:
        url = href(name, fmt)
        return f"<a href='{esc(url)}' download>{text}</a>" if url else "-"

    rows = "".join(f"<tr><td>{esc(n)}</td><td>{esc(k)}</td><td>{size / 1e3:,.0f} kB</td>"
                   f"<td>{link(n, 'parquet', 'Parquet')}</td><td>{link(n, 'csv', 'CSV')}</td></tr>"
                   for n, k, size in files)
    return ("<table id='downloads'><tr><th>table</th><th>kind</th><th>Parquet size</th><th></th><th></th></tr>"
            f"{rows}</table><p class='note'>Hourly tables have one row per snapshot and one column per element; "
            "units in the column names (docs/results.md). Every chart saves itself as a PNG with the camera "
            "button of its toolbar.</p>")


def provenance_panel(result: Result) -> str:
    """Scenario, weather, source, status, snapshots, solver (method, algorithm, time, gap) and
    where the cost data comes from; pointers to the data sources."""
    s, meta = result.summary, result.network.get("scenario", {})
    snaps = s.get("snapshots", {})
    rows = [("Scenario", s.get("scenario")), ("Description", meta.get("description") or "-"),
            ("Weather", s.get("weather") or "-"), ("Scenario source", meta.get("source") or "-"),
            ("Status", f"{s.get('status')}: {s.get('message', '')}"),
            ("Snapshots", f"{snaps.get('count')} from {snaps.get('first')}, weighted to "
                          f"{snaps.get('hours_per_year_weight', 0):,.0f} h/yr"),
            ("Solver", solver_text(s.get("solver") or {})),
            ("Cost data", scenario_note(result))]
    body = "".join(f"<tr><td>{esc(k)}</td><td style='text-align:left'>{esc(v)}</td></tr>" for k, v in rows)
    return (f"<table>{body}</table><p>Sources of the input data: run <code>silkgrid info corridor --sources</code> "
            "(and <code>--assumptions</code> for the values resting on assumptions). Units and table "
            "definitions: docs/results.md; metric definitions: docs/analysis.md.</p>")
