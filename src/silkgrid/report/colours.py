"""The one place where the report and the dashboard get their colours (hex ``#rrggbb`` strings).

A technology (or carrier) has the same colour in every chart, SVG and PNG: :func:`tech_colour`
looks it up in :data:`TECH_COLOURS`; an unknown name is hashed (MD5 of the name, so it does not
depend on the order of a chart's columns or on the Python process) into :data:`PALETTE`.  A storage
layer such as ``"battery (discharge)"`` takes the colour of its technology.  Nodes get
:data:`NODE_COLOURS` by their position in the network (:func:`node_colours`), and cost components
:data:`COMPONENT_COLOURS`.
"""

from __future__ import annotations

import hashlib
import math

__all__ = ["TECH_COLOURS", "PALETTE", "NODE_COLOURS", "COMPONENT_COLOURS", "DEMAND_COLOUR", "base_technology",
           "tech_colour", "colour_map", "node_colours", "util_colour"]

#: Colours of the technologies and carriers of the packaged data sets (families share a hue).
TECH_COLOURS = {
    "onwind": "#3b8bc2", "wind": "#3b8bc2", "offwind": "#1f5f8b", "offwind_float": "#16476a",
    "solar_pv": "#f2b705", "solar": "#f2b705", "solar_fixed": "#f2b705", "solar_tracking": "#e09200",
    "ccgt": "#b55d4c", "ocgt": "#d98a6a", "gas_steam": "#8c4a3c", "gas": "#b55d4c", "gas_existing": "#a0705f",
    "coal": "#4d4d4d", "coal_existing": "#6b6b6b", "nuclear": "#9b59b6",
    "hydro_reservoir": "#2a9d8f", "hydro_ror": "#57c4b5", "ror": "#57c4b5", "hydro": "#2a9d8f",
    "battery": "#e76f9a", "pumped_hydro": "#6a8fd6", "phs": "#6a8fd6",
}
#: Colours of names not in :data:`TECH_COLOURS`, chosen by a hash of the name (see :func:`tech_colour`).
PALETTE = ["#7f3c8d", "#11a579", "#3969ac", "#80ba5a", "#e73f74", "#e68310", "#008695", "#cf1c90",
           "#f97b72", "#4b4b8f", "#a5aa99", "#5f4690"]
#: Colours of per-node (or per-element) lines, in order.
NODE_COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#30638e", "#d36135",
                "#5c415d", "#2e4057", "#99c24d", "#c17817"]
#: Colours of the cost components of :data:`silkgrid.analysis.costs.COMPONENTS` (keys without ``_eur``).
COMPONENT_COLOURS = {"annualised_capex": "#3969ac", "fixed_om": "#7f3c8d", "variable_om": "#f2b701",
                     "fuel": "#e68310", "co2": "#4b4b8f", "unserved": "#e73f74", "market": "#11a579"}
#: Colour of the demand line.
DEMAND_COLOUR = "#111111"

_SUFFIXES = (" (discharge)", " (charge)")


def base_technology(name: str) -> str:
    """``'battery (discharge)'`` -> ``'battery'``; other names unchanged."""
    for s in _SUFFIXES:
        if name.endswith(s):
            return name[: -len(s)]
    return name


def tech_colour(name: str) -> str:
    """Colour of a technology or carrier: :data:`TECH_COLOURS`, else a :data:`PALETTE` entry chosen
    by the MD5 hash of the name (stable across charts, runs and machines)."""
    base = base_technology(str(name))
    if base in TECH_COLOURS:
        return TECH_COLOURS[base]
    h = int.from_bytes(hashlib.md5(base.encode("utf-8")).digest()[:4], "big")
    return PALETTE[h % len(PALETTE)]


def colour_map(names) -> dict[str, str]:
    """``{name: tech_colour(name)}`` for each name (order kept)."""
    return {n: tech_colour(n) for n in names}


def node_colours(nodes) -> dict[str, str]:
    """``{node: colour}``: :data:`NODE_COLOURS` in the order given (pass the network's node order
    so that a node keeps its colour across charts)."""
    return {n: NODE_COLOURS[i % len(NODE_COLOURS)] for i, n in enumerate(nodes)}


def util_colour(u: float) -> str:
    """Light blue (unused) -> orange -> dark red (fully used)."""
    u = min(max(u if math.isfinite(u) else 0.0, 0.0), 1.0)
    stops = [(0.0, (158, 202, 225)), (0.5, (253, 174, 97)), (1.0, (165, 0, 38))]
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if u <= b:
            t = (u - a) / (b - a)
            return "#%02x%02x%02x" % tuple(int(round(x + (y - x) * t)) for x, y in zip(ca, cb))
    return "#a50026"
