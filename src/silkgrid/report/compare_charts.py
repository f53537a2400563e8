"""Charts of a comparison of results (the dashboard's compare view), from
:func:`silkgrid.analysis.compare.compare_table`.

``table`` is that frame; ``columns`` its value columns in the order of the results and ``labels``
their display names.  Results are coloured by position (:func:`~silkgrid.report.colours.node_colours`),
technologies by :func:`~silkgrid.report.colours.tech_colour`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from silkgrid.analysis.compare import ZERO_BELOW
from silkgrid.report.colours import node_colours, tech_colour
from silkgrid.report.plotting import figure, values

__all__ = ["HEADLINES", "headline_figure", "capacity_compare_figure", "link_compare_figure"]

#: Headline small multiples: (metric row of the compare table, or a prefix summed over its rows;
#: title; divisor; unit shown).
HEADLINES = (("total_cost_eur", "Total system cost", 1e9, "bn EUR/yr"),
             ("emissions_t", "Emissions", 1e6, "Mt CO2/yr"),
             ("market_sales_mwh.", "Exports to markets", 1e6, "TWh/yr"),
             ("curtailment_mwh.total", "Curtailment", 1e6, "TWh/yr"),
             ("unserved_energy_mwh", "Unserved energy", 1e3, "GWh/yr"),
             ("link_losses_mwh", "Link losses", 1e6, "TWh/yr"))


#: Base unit of each headline (for the display tolerance :data:`ZERO_BELOW`: solver round-off is 0).
unit_of = {"total_cost_eur": "EUR", "emissions_t": "t", "market_sales_mwh.": "MWh", "curtailment_mwh.total": "MWh",
           "unserved_energy_mwh": "MWh", "link_losses_mwh": "MWh"}


def _numbers(table: pd.DataFrame, key: str, columns: list[str]) -> np.ndarray | None:
    rows = table[table["metric"].str.startswith(key)] if key.endswith(".") else table[table["metric"] == key]
    if not len(rows):
        return None
    vals = rows[columns].apply(pd.to_numeric, errors="coerce")
    return vals.sum(axis=0, min_count=1).to_numpy(dtype=float)


def headline_figure(table: pd.DataFrame, columns: list[str], labels: list[str]) -> dict:
    """Small multiples (3 x 2): one bar per result for each of :data:`HEADLINES`."""
    colours = list(node_colours(labels).values())
    traces, layout, shown = [], {}, 0
    for key, title, div, unit in HEADLINES:
        v = _numbers(table, key, columns)
        if v is None:
            continue
        k = shown + 1
        row, col = divmod(shown, 3)
        x0, y1 = col / 3 + 0.02, 1 - row * 0.52
        ax = "" if k == 1 else str(k)
        layout[f"xaxis{ax}"] = {"domain": [x0, x0 + 0.27], "anchor": f"y{ax}", "showticklabels": False}
        layout[f"yaxis{ax}"] = {"domain": [y1 - 0.36, y1], "anchor": f"x{ax}", "title": {"text": unit},
                                "gridcolor": "#e3e6ea", "zerolinecolor": "#888", "rangemode": "tozero"}
        layout.setdefault("annotations", []).append(
            {"text": f"<b>{title}</b>", "xref": "paper", "yref": "paper", "x": x0, "y": y1 + 0.06,
             "xanchor": "left", "showarrow": False})
        nd = 3 if np.nanmax(np.abs(v / div), initial=0.0) < 10 else 1
        if not (np.abs(np.nan_to_num(v)) >= ZERO_BELOW.get(unit_of[key], 0.0)).any():
            layout["annotations"].append({"text": "0 in every result", "xref": f"x{ax} domain",
                                          "yref": f"y{ax} domain", "x": 0.5, "y": 0.5, "showarrow": False,
                                          "font": {"color": "#666"}})
            v = np.zeros_like(v)
        traces.append({"type": "bar", "x": labels, "y": values(v / div, nd), "xaxis": f"x{ax}", "yaxis": f"y{ax}",
                       "marker": {"color": colours}, "showlegend": False,
                       "hovertemplate": f"%{{x}}: %{{y:,.{nd}f}} {unit}<extra>{title}</extra>"})
        shown += 1
    legend = [{"type": "bar", "x": [None], "y": [None], "name": lab, "marker": {"color": c}, "hoverinfo": "skip",
               "xaxis": "x", "yaxis": "y"} for lab, c in zip(labels, colours)]
    layout["margin"] = {"t": 36}
    return figure(traces + legend, layout, height=520)


def capacity_compare_figure(table: pd.DataFrame, columns: list[str], labels: list[str]) -> dict | None:
    """Stacked bars of capacity by technology (GW), one bar per result; None without capacity rows."""
    rows = table[table["metric"].str.startswith("capacity_mw.by_technology.")]
    if not len(rows):
        return None
    traces = []
    for _, r in rows.iterrows():
        tech = r["metric"].rsplit(".", 1)[1]
        mw = pd.to_numeric(r[columns], errors="coerce").to_numpy(dtype=float)
        if not (np.nan_to_num(mw) > 0.05).any():
            continue
        traces.append({"type": "bar", "name": tech, "x": labels, "y": values(mw / 1e3, 3),
                       "marker": {"color": tech_colour(tech)},
                       "hovertemplate": f"%{{x}} {tech}: %{{y:,.2f}} GW<extra></extra>"})
    return figure(traces, {"barmode": "stack"}, ytitle="GW", height=400, title="Capacity by technology")


def link_compare_figure(table: pd.DataFrame, columns: list[str], labels: list[str]) -> dict | None:
    """Grouped bars of link capacity (MW) per link, one bar per result; only links with capacity in
    some result.  None when there is none."""
    rows = table[table["metric"].str.startswith("link_capacity_mw.")]
    keep = []
    for _, r in rows.iterrows():
        mw = pd.to_numeric(r[columns], errors="coerce").to_numpy(dtype=float)
        if (np.nan_to_num(mw) > 0.05).any():
            keep.append((r["metric"].split(".", 1)[1], mw))
    if not keep:
        return None
    colours = list(node_colours(labels).values())
    links = [k for k, _ in keep]
    traces = [{"type": "bar", "orientation": "h", "name": lab, "y": links,
               "x": values([mw[i] if math.isfinite(mw[i]) else float("nan") for _, mw in keep], 0),
               "marker": {"color": colours[i]}, "hovertemplate": f"%{{y}}: %{{x:,}} MW<extra>{lab}</extra>"}
              for i, lab in enumerate(labels)]
    return figure(traces, {"barmode": "group", "yaxis": {"autorange": "reversed", "type": "category"}},
                  xtitle="MW", height=110 + 16 * len(links) * max(len(labels), 2),
                  title="Link capacity")
