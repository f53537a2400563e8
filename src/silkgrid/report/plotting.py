"""Plotly figures as plain JSON-able dicts, and how pages embed them (offline).

Every interactive chart of the report and the dashboard is a ``{"data": [...], "layout": {...}}``
dict built by a function of :mod:`silkgrid.report` (no ``plotly.graph_objects`` at run time: the
dicts are small, fast to build and serialisable).  A page embeds a figure as an empty
``<div class="plot">`` followed by its JSON in ``<script type="application/json">`` (data, not code,
so the dashboard's script-src 'self' policy allows it); ``static/plots.js`` (:func:`plots_js`) draws
each with Plotly (config there: no logo, PNG download at twice the screen resolution) and gives a
figure with ``frames`` (``{"name", "traces", "data"}`` restyles, e.g. the map's days) a time slider.
The Plotly bundle is a partial plotly.js build shipped in this package (:data:`BUNDLE`): the report
inlines it, the dashboard serves it from ``/static/plotly.min.js``.  Nothing is fetched from the
network.  Colours come from :mod:`silkgrid.report.colours` only.
"""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources

import numpy as np

__all__ = ["FONT", "BUNDLE", "values", "figure", "to_json", "plot_div", "plotly_bundle",
           "plotly_version", "plots_js"]

#: Font of every chart (the pages' CSS font).
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12, "color": "#222"}
_ID = re.compile(r"[^A-Za-z0-9_-]")


def values(x, decimals: int = 1) -> list:
    """A numeric array as a JSON list rounded to ``decimals`` (NaN and infinities become ``None``:
    Plotly leaves a gap).  Rounding keeps the pages small and removes solver round-off
    (``-0.0`` prints as ``0``)."""
    a = np.round(np.asarray(x, dtype=float), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    if decimals <= 0:
        return [None if not math.isfinite(v) else int(v) for v in a.tolist()]
    return [v if math.isfinite(v) else None for v in a.tolist()]


def figure(traces: list[dict], layout: dict | None = None, *, title: str | None = None, height: int = 360,
           xtitle: str | None = None, ytitle: str | None = None) -> dict:
    """A figure dict with the common layout (font, margins, white background, horizontal legend
    below the plot); ``layout`` entries override it."""
    base = {"height": height, "font": FONT, "margin": {"l": 64, "r": 24, "t": 40 if title else 16, "b": 48},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest",
            "legend": {"orientation": "h", "y": -0.18, "x": 0, "yanchor": "top"},
            "xaxis": {"gridcolor": "#e3e6ea", "zerolinecolor": "#888", "automargin": True},
            "yaxis": {"gridcolor": "#e3e6ea", "zerolinecolor": "#888", "automargin": True}}
    if title:
        base["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 14}}
    if xtitle:
        base["xaxis"]["title"] = {"text": xtitle}
    if ytitle:
        base["yaxis"]["title"] = {"text": ytitle}
    for k, v in (layout or {}).items():
        base[k] = {**base[k], **v} if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return {"data": traces, "layout": base}


def to_json(fig: dict) -> str:
    """Compact JSON of a figure, safe inside ``<script>`` (``</`` and ``<!--`` escaped)."""
    text = json.dumps(fig, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def plot_div(fig: dict | None, fid: str, *, cls: str = "", src: str | None = None, note: str = "") -> str:
    """HTML of one chart: ``<div class="plot" id=fid>`` and its JSON in ``<script id=fid-json>``.

    With ``src`` (a same-origin URL returning the figure JSON) and no ``fig``, the dashboard's
    script fetches the figure when the chart scrolls into view.  ``note`` is shown while loading.
    """
    fid = _ID.sub("-", fid)
    klass = f"plot {cls}".strip()
    attrs = f' data-src="{src}"' if src else ""
    div = f'<div class="{klass}" id="{fid}"{attrs}>{note}</div>'
    if fig is None:
        return div
    return div + f'<script type="application/json" id="{fid}-json">{to_json(fig)}</script>'


#: The Plotly bundle shipped in this package: plotly.js with the trace types SilkGrid draws
#: (scatter, bar, sankey), built by ``scripts/plotly_bundle/build.sh`` (1.4 MB; evaluated in 0.4 s
#: where the full 4.8 MB bundle takes 1.8 s on 2 cores).
BUNDLE = "plotly-silkgrid.min.js"
_VERSION = re.compile(r"plotly\.js v(\d+\.\d+\.\d+)")


@functools.lru_cache(maxsize=1)
def plotly_bundle() -> str:
    """The text of the Plotly bundle (:data:`BUNDLE`)."""
    return (resources.files("silkgrid.report") / "static" / BUNDLE).read_text(encoding="utf-8")


def plotly_version() -> str:
    """Version of plotly.js in the bundle (from its header)."""
    m = _VERSION.search(plotly_bundle()[:300])
    return m.group(1) if m else "unknown"


@functools.lru_cache(maxsize=1)
def plots_js() -> str:
    """The chart renderer shared by the report (inline) and the dashboard (``/static/plots.js``):
    draws every ``div.plot`` from its JSON or its ``data-src``, in view first, and gives figures with
    ``frames`` a time slider (``static/plots.js``)."""
    return (resources.files("silkgrid.report") / "static" / "plots.js").read_text(encoding="utf-8")
