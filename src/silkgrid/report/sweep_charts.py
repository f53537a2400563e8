"""Charts of a sweep: one metric (y) against one axis (x), optionally one line per value of a second axis.

Input is a plain DataFrame of the sweep's runs (one row per run, as the catalog's ``runs`` table:
``status``, the metric columns and one column per axis); the caller names the columns.  Failed runs
(``status == "failed"``) and runs without a value of the metric are left out, and the figure says
how many.  Values are drawn in the catalog's own units (EUR, t, TWh, MW ...), unrounded, so the
figure's numbers are the catalog's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from silkgrid.report.colours import node_colours
from silkgrid.report.plotting import figure

__all__ = ["SWEEP_METRICS", "sweep_figure", "chart_rows"]

#: Metric columns of a sweep's runs that can be charted: column -> label with its unit.
SWEEP_METRICS = {
    "delivered_cost_eur_per_mwh": "Delivered cost of EU exports, EUR/MWh",
    "system_cost_eur": "System cost, EUR/yr",
    "objective_eur": "Objective, EUR/yr",
    "emissions_t": "Emissions, t CO2/yr",
    "eu_delivered_twh": "EU deliveries, TWh/yr",
    "cbam_matched_share": "CBAM hourly-matched share (0-1)",
    "unserved_energy_mwh": "Unserved energy, MWh/yr",
    "caspian_mw": "Caspian cable, MW",
    "black_sea_mw": "Black Sea cable, MW",
    "gap": "Proven optimality gap (fraction)",
    "seconds": "Run time, s",
}


def _finite(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and math.isfinite(float(v))


def chart_rows(runs: pd.DataFrame, y: str) -> pd.DataFrame:
    """The runs a chart of metric ``y`` draws: not failed, with a finite value of ``y``."""
    ok = runs["status"].astype(str) != "failed"
    vals = pd.to_numeric(runs[y], errors="coerce")
    return runs[ok & vals.notna() & np.isfinite(vals.fillna(0.0))]


def _sorted_xy(rows: pd.DataFrame, x: str, y: str) -> tuple[list, list]:
    xs = rows[x].tolist()
    if all(_finite(v) for v in xs):
        rows = rows.assign(_x=pd.to_numeric(rows[x])).sort_values("_x", kind="stable")
    return [_plain(v) for v in rows[x].tolist()], [float(v) for v in rows[y].tolist()]


def _plain(v):
    """A JSON value of an axis value (numpy scalars to Python; anything else as text)."""
    if isinstance(v, (np.integer, np.floating)):
        return v.item()
    return v if isinstance(v, (int, float, str)) else str(v)


def _shown(v) -> str:
    """An axis value as text (``80`` not ``80.0``)."""
    v = _plain(v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def sweep_figure(runs: pd.DataFrame, y: str, x: str, colour: str | None = None, *,
                 labels: dict[str, str] | None = None, title: str | None = None) -> dict:
    """Plotly figure (a dict) of metric column ``y`` against axis column ``x`` over ``runs``.

    With ``colour`` (another axis column), one line per value of it, else one line.  ``labels``:
    column -> display name (default :data:`SWEEP_METRICS`, else the column).  A numeric x is drawn
    in increasing order; text values (e.g. weather years given as names) as categories.
    """
    names = {**SWEEP_METRICS, **(labels or {})}
    rows = chart_rows(runs, y)
    traces = []
    groups = [(None, rows)] if colour is None else list(rows.groupby(colour, sort=True, dropna=False))
    colours = node_colours([str(g) for g, _ in groups])
    for g, sub in groups:
        xs, ys = _sorted_xy(sub, x, y)
        name = names.get(y, y) if g is None else f"{names.get(colour, colour)} = {_shown(g)}"
        mode = "lines+markers" if len(set(map(str, xs))) == len(xs) else "markers"  # other axes vary: no line
        tr = {"type": "scatter", "mode": mode, "name": name, "x": xs, "y": ys,
              "hovertemplate": f"{names.get(x, x)} %{{x}}<br>{names.get(y, y)} %{{y:,.4~g}}<extra>%{{fullData.name}}</extra>"}
        if g is not None:
            c = colours[str(g)]
            tr["line"], tr["marker"] = {"color": c}, {"color": c, "size": 8}
        traces.append(tr)
    failed = int((runs["status"].astype(str) == "failed").sum())
    missing = len(runs) - failed - len(rows)
    note = f"{len(rows)} of {len(runs)} runs drawn"
    if failed or missing:
        parts = ([f"{failed} failed"] if failed else []) + ([f"{missing} without this metric"] if missing else [])
        note += " (left out: " + ", ".join(parts) + ")"
    layout = {"showlegend": colour is not None,
              "annotations": [{"text": note, "showarrow": False, "xref": "paper", "yref": "paper", "x": 1, "y": 1.0,
                               "xanchor": "right", "yanchor": "bottom", "font": {"size": 11, "color": "#555"}}],
              "margin": {"t": 40}}
    return figure(traces, layout, title=title or f"{names.get(y, y)} against {names.get(x, x)}", height=420,
                  xtitle=names.get(x, x), ytitle=names.get(y, y))
