"""Interactive corridor flow map (Plotly dict): capacities, net-flow arrows and a daily time slider.

Plain cartesian axes in degrees (x = lon, y = lat) with an equirectangular projection:
``yaxis.scaleanchor = "x"`` and ``scaleratio = 1 / cos(mean latitude)``, so that a degree of
longitude is as long on screen as on the ground at the map's centre.  The view is the nodes'
bounding box ± 4° lon / ± 3° lat ; zoom and pan stay inside it.

Links are lines of width ∝ total capacity (MW): grey for the whole capacity, overlaid by the new
capacity in the investment colour (width ∝ new MW); a link of 0 MW (candidate not built) is thin
and dotted.  One arrow per link at its midpoint points along the time-weighted mean net flow
(``from_node → to_node`` when positive), grows with |net flow| / capacity and is coloured by
utilisation (mean of the larger direction's flow / capacity, as the ``links`` table).  Frames give
the year's mean and each day's mean (only the arrow trace changes).  Node markers and arrows carry
``customdata = ["node", id]`` / ``["link", id]`` for the dashboard's click handler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from silkgrid.data.geo import load_countries
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, NODE_COLOURS, util_colour
from silkgrid.report.formatting import fmt_energy, fmt_mw, fmt_price, negligible
from silkgrid.report.labels import place_labels, project, text_width
from silkgrid.report.plotting import figure, values
from silkgrid.results import Result

__all__ = ["flow_map_figure", "side_by_side_maps", "period_flows", "arrow_angle", "link_width",
           "MAX_PANELS", "MAX_WIDTH_PX", "MIN_WIDTH_PX"]

#: Line width (px) of the link with the largest capacity; others scale linearly (MW).
MAX_WIDTH_PX = 14.0
#: Thinnest line (px): built links below it, and unbuilt candidates (dotted).
MIN_WIDTH_PX = 1.5
#: Arrow marker size (px) at zero and at full net flow / capacity.
ARROW_PX = (9.0, 24.0)
#: Perpendicular spacing (projected degrees) between parallel links of the same node pair.
PARALLEL_GAP_DEG = 0.35
#: At most this many panels in :func:`side_by_side_maps`.
MAX_PANELS = 4
_LABEL_PX = 12


def _tint(colour: str, share: float) -> str:
    """``colour`` (``#rrggbb``) mixed with white: ``share`` of the colour, the rest white."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return "#%02x%02x%02x" % tuple(int(round(v)) for v in 255 - share * (255 - rgb))


#: Map colours, all derived from :mod:`silkgrid.report.colours` (tints of its entries).
EXISTING_COLOUR = _tint(DEMAND_COLOUR, 0.62)  # dark grey
NEW_COLOUR = COMPONENT_COLOURS["annualised_capex"]  # new capacity = investment
CANDIDATE_COLOUR = _tint(DEMAND_COLOUR, 0.45)
LAND_COLOUR = _tint(DEMAND_COLOUR, 0.06)
BORDER_COLOUR = _tint(DEMAND_COLOUR, 0.42)
SEA_COLOUR = _tint(NODE_COLOURS[0], 0.12)
#: Utilisation colour scale, (:func:`silkgrid.report.colours.util_colour`).
UTIL_SCALE = [[u, util_colour(u)] for u in (0.0, 0.25, 0.5, 0.75, 1.0)]


@dataclass
class _View:
    lon: tuple[float, float]
    lat: tuple[float, float]
    kx: float  # cos(mean latitude): screen length of a degree of longitude / one of latitude


def _coords(result: Result) -> dict[str, tuple[float, float]]:
    """``{node id: (lon, lat)}`` of the nodes that have coordinates."""
    return {n["id"]: (float(n["lon"]), float(n["lat"])) for n in result.network.get("nodes", [])
            if n.get("lat") is not None and n.get("lon") is not None}


def _view(points: list[tuple[float, float]]) -> _View:
    lons, lats = zip(*points)
    lat = (min(lats) - 3.0, max(lats) + 3.0)
    return _View((min(lons) - 4.0, max(lons) + 4.0), lat, math.cos(math.radians(sum(lat) / 2)))


def arrow_angle(lon0: float, lat0: float, lon1: float, lat1: float, kx: float) -> float:
    """Screen angle (degrees clockwise from up, Plotly's ``marker.angle``) of the direction from
    (lon0, lat0) to (lon1, lat1) on a map whose longitude degrees are ``kx`` times as long as
    latitude degrees.  East is 90, south 180, west 270."""
    return math.degrees(math.atan2((lon1 - lon0) * kx, lat1 - lat0)) % 360.0


def link_width(mw: float, max_mw: float) -> float:
    """Line width (px) of ``mw`` on a map whose largest capacity is ``max_mw`` (MW)."""
    if negligible(mw, "MW") or max_mw <= 0:
        return MIN_WIDTH_PX
    return max(MIN_WIDTH_PX, MAX_WIDTH_PX * mw / max_mw)


def period_flows(result: Result) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """(labels, net MW, sent MW) per period: row 0 the whole horizon ("year (mean)"), then one
    row per day that has snapshots ("Jan 01"), columns = link ids.

    Net = time-weighted mean of ``link_flow_mw`` (forward - backward, MW); sent = time-weighted
    mean of the larger direction (MW), which over capacity is the utilisation of the ``links``
    table.  Weights are the snapshot weights (h), so a 6 h snapshot counts six times an hour.
    """
    flow = result.hourly.get("link_flow_mw")
    if flow is None or flow.empty:
        return [], pd.DataFrame(), pd.DataFrame()
    fwd, bwd = result.hourly.get("link_forward_mw"), result.hourly.get("link_backward_mw")
    sent = np.maximum(fwd, bwd) if fwd is not None and bwd is not None else flow.abs()
    w = np.asarray(result.weights, dtype=float).reshape(-1)
    w = pd.Series(w if len(w) == len(flow) and w.sum() > 0 else 1.0, index=flow.index)
    day_w = w.resample("D").sum()
    keep = day_w > 0  # days without snapshots (gaps between representative periods) have no step

    def means(df: pd.DataFrame) -> pd.DataFrame:
        weighted = df.mul(w, axis=0)
        year = (weighted.sum() / w.sum()).to_frame().T
        days = weighted.resample("D").sum().div(day_w, axis=0)[keep]
        return pd.concat([year, days], ignore_index=True)

    labels = ["year (mean)"] + [d.strftime("%b %d") for d in day_w.index[keep]]
    return labels, means(flow), means(sent)


def _country_trace(view: _View, axes: dict) -> dict:
    """All country outlines in one filled scatter trace (outer rings, None between rings), at
    0.01° (~1 km), only the rings that reach into the view."""
    xs: list = []
    ys: list = []
    for f in load_countries()["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            ring = np.round(np.asarray(poly[0], dtype=float), 2)
            if (ring[:, 0].max() < view.lon[0] or ring[:, 0].min() > view.lon[1]
                    or ring[:, 1].max() < view.lat[0] or ring[:, 1].min() > view.lat[1]):
                continue
            ring = ring[np.r_[True, np.any(np.diff(ring, axis=0) != 0, axis=1)]]
            xs += ring[:, 0].tolist() + [None]
            ys += ring[:, 1].tolist() + [None]
    return {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "fill": "toself", "fillcolor": LAND_COLOUR,
            "line": {"color": BORDER_COLOUR, "width": 0.6}, "hoverinfo": "skip", "showlegend": False,
            "name": "countries", **axes}


def _geometry(links: pd.DataFrame, coords: dict, kx: float) -> pd.DataFrame:
    """Drawn end points (lon/lat) of each mappable link, parallel links of a node pair spread
    :data:`PARALLEL_GAP_DEG` apart, and the screen angle from ``from_node`` to ``to_node``."""
    rows = []
    ok = links[links["from_node"].isin(coords) & links["to_node"].isin(coords)]
    pair = ["\t".join(sorted(p)) for p in zip(ok["from_node"], ok["to_node"])]
    for key, grp in ok.groupby(pair, sort=False):
        a, b = key.split("\t")
        (ax_, ay), (bx, by) = coords[a], coords[b]
        d = np.array([(bx - ax_) * kx, by - ay])
        n = np.array([-d[1], d[0]]) / (np.hypot(*d) or 1.0)  # unit normal, projected space
        for k, r in enumerate(grp.itertuples()):
            s = (k - (len(grp) - 1) / 2) * PARALLEL_GAP_DEG
            dx, dy = n[0] * s / kx, n[1] * s
            (x0, y0), (x1, y1) = coords[r.from_node], coords[r.to_node]
            rows.append({"id": r.id, "x0": x0 + dx, "y0": y0 + dy, "x1": x1 + dx, "y1": y1 + dy,
                         "angle": arrow_angle(x0, y0, x1, y1, kx)})
    geo = pd.DataFrame(rows, columns=["id", "x0", "y0", "x1", "y1", "angle"]).set_index("id")
    return geo.reindex([i for i in links["id"] if i in geo.index])


def _link_traces(links: pd.DataFrame, geo: pd.DataFrame, max_mw: float, axes: dict, shown: set) -> list[dict]:
    """Line traces: total capacity (grey), new capacity overlaid (accent), unbuilt candidates dotted;
    a legend entry for each kind not yet in ``shown`` (updated)."""
    out: list[dict] = []
    tab = links.set_index("id")
    for lid, g in geo.iterrows():
        r = tab.loc[lid]
        xy = {"x": values([g.x0, g.x1], 3), "y": values([g.y0, g.y1], 3)}
        common = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", **xy, **axes}
        if negligible(float(r.total_mw), "MW"):
            kind, line = "candidate", {"color": CANDIDATE_COLOUR, "width": MIN_WIDTH_PX, "dash": "dot"}
            name = "candidate, not built"
        else:
            kind, name = "existing", "existing capacity"
            line = {"color": EXISTING_COLOUR, "width": round(link_width(float(r.total_mw), max_mw), 2)}
        out.append({**common, "name": name, "legendgroup": kind, "showlegend": kind not in shown,
                    "line": line, "meta": ["link", lid]})
        shown.add(kind)
        if not negligible(float(r.new_mw), "MW"):
            out.append({**common, "name": "new capacity", "legendgroup": "new",
                        "showlegend": "new" not in shown, "meta": ["link", lid],
                        "line": {"color": NEW_COLOUR, "width": round(link_width(float(r.new_mw), max_mw), 2)}})
            shown.add("new")
    return out


def _arrow_state(net: pd.Series, sent: pd.Series, links: pd.DataFrame, geo: pd.DataFrame) -> dict:
    """The arrow trace's per-period fields, one entry per link of ``geo``: positions (None where
    no flow), size, angle, colour = utilisation (%) and hover text ("1,234 MW KZ_W → AZ")."""
    tab = links.set_index("id").loc[geo.index]
    cap = tab["total_mw"].to_numpy(float)
    f = net.reindex(geo.index).fillna(0.0).to_numpy(float)
    s = sent.reindex(geo.index).fillna(0.0).to_numpy(float)
    usable = cap > 0.05  # MW: below the display tolerance the link is not built
    ratio = np.divide(np.abs(f), cap, out=np.zeros_like(f), where=usable).clip(0, 1)
    util = np.divide(s, cap, out=np.zeros_like(s), where=usable).clip(0, 1)
    moving = np.abs(f) >= 0.05  # MW, formatting's zero tolerance: a flow that prints as 0 has no arrow
    mx = np.where(moving, (geo["x0"] + geo["x1"]).to_numpy() / 2, np.nan)
    my = np.where(moving, (geo["y0"] + geo["y1"]).to_numpy() / 2, np.nan)
    angle = np.where(f >= 0, geo["angle"].to_numpy(), geo["angle"].to_numpy() + 180.0) % 360.0
    text = []
    for a, b, fl, m in zip(tab["from_node"], tab["to_node"], f, moving):
        src, dst = (a, b) if fl >= 0 else (b, a)
        text.append(f"{fmt_mw(abs(fl))} MW {src} → {dst}" if m else "")
    return {"x": values(mx, 3), "y": values(my, 3), "hovertext": text,
            "marker": {"size": values(np.where(moving, ARROW_PX[0] + (ARROW_PX[1] - ARROW_PX[0]) * ratio, 0), 1),
                       "angle": values(angle, 0), "color": values(100 * util, 0)}}


def _arrow_trace(state: dict, links: pd.DataFrame, geo: pd.DataFrame, axes: dict, colorbar: bool) -> dict:
    tab = links.set_index("id").loc[geo.index]
    # the per-period parts (flow, direction, utilisation) come from hovertext and marker.color
    tips = [f"{r.Index}: %{{hovertext}} (utilisation %{{marker.color}} %)<br>capacity {fmt_mw(r.total_mw)} MW "
            f"(existing {fmt_mw(r.existing_mw)}, new {fmt_mw(r.new_mw)})<extra></extra>" for r in tab.itertuples()]
    marker = {**state["marker"], "symbol": "triangle-up", "angleref": "up", "colorscale": UTIL_SCALE,
              "cmin": 0, "cmax": 100, "showscale": colorbar, "line": {"color": "#ffffff", "width": 1}}
    if colorbar:
        marker["colorbar"] = {"title": {"text": "utilisation", "side": "right"}, "ticksuffix": " %", "len": 0.6,
                              "thickness": 12, "x": 1.0, "xpad": 4}
    return {"type": "scatter", "mode": "markers", "name": "net flow", "showlegend": False,
            "x": state["x"], "y": state["y"], "hovertext": state["hovertext"], "hovertemplate": tips,
            "marker": marker, "customdata": [["link", i] for i in geo.index], **axes}


def _node_trace(result: Result, coords: dict, axes: dict) -> dict:
    """Node markers with labels placed by :func:`place_labels` (as Plotly ``textposition``)."""
    net = {**result.network, "nodes": [n for n in result.network.get("nodes", []) if n["id"] in coords]}
    proj, W, H = project(net)
    ids = list(coords)
    xy = [proj(*coords[i]) for i in ids]
    boxes = place_labels(xy, [text_width(i, _LABEL_PX) + 4 for i in ids], _LABEL_PX * 1.25, radius=7,
                         bounds=(W, H))
    dx = (boxes[:, 0] + boxes[:, 2]) / 2 - np.asarray(xy)[:, 0]
    dy = (boxes[:, 1] + boxes[:, 3]) / 2 - np.asarray(xy)[:, 1]
    horiz = np.where(dx > 1, "right", np.where(dx < -1, "left", "center"))
    vert = np.where(dy < -1, "top", np.where(dy > 1, "bottom", "middle"))
    nt = result.tables.get("nodes")
    info = nt.set_index("id").to_dict("index") if nt is not None and "id" in nt else {}
    meta = {n["id"]: n for n in net["nodes"]}
    tips = []
    for i in ids:
        price, demand = (info.get(i, {}).get(k) for k in ("mean_price_eur_per_mwh", "demand_mwh"))
        price = float(price) if price is not None and math.isfinite(price) else None
        tips.append(f"<b>{i}</b> {meta[i].get('name') or ''}<br>country {meta[i].get('country', '')}"
                    f"<br>mean price {fmt_price(price)}<br>demand {fmt_energy(demand)}/yr<extra></extra>")
    return {"type": "scatter", "mode": "markers+text", "name": "nodes", "showlegend": False,
            "x": [coords[i][0] for i in ids], "y": [coords[i][1] for i in ids], "text": ids,
            "textposition": [f"{v} {h}" for v, h in zip(vert, horiz)], "cliponaxis": False,
            "textfont": {"size": _LABEL_PX, "weight": "bold", "color": DEMAND_COLOUR},
            "marker": {"size": 11, "color": DEMAND_COLOUR, "line": {"color": "#ffffff", "width": 2}},
            "hovertemplate": tips, "customdata": [["node", i] for i in ids], **axes}


def _axes(view: _View, n: int = 1, domain: tuple[float, float] = (0.0, 1.0)) -> tuple[dict, dict, dict]:
    """(trace axis refs, xaxis layout, yaxis layout) of panel ``n`` (1-based)."""
    sfx = "" if n == 1 else str(n)
    x = {"visible": False, "range": list(view.lon), "minallowed": view.lon[0], "maxallowed": view.lon[1],
         "constrain": "domain", "domain": list(domain), "anchor": f"y{sfx}", "showgrid": False, "zeroline": False}
    y = {"visible": False, "range": list(view.lat), "minallowed": view.lat[0], "maxallowed": view.lat[1],
         "constrain": "domain", "constraintoward": "top", "scaleanchor": f"x{sfx}",
         "scaleratio": round(1 / view.kx, 6),
         "anchor": f"x{sfx}", "showgrid": False, "zeroline": False}
    return {"xaxis": f"x{sfx}", "yaxis": f"y{sfx}"}, x, y


def _panel(result: Result, view: _View, max_mw: float, axes: dict, *, shown: set, colorbar: bool):
    """Traces of one map (countries, links, arrows at the annual mean, nodes), the arrow trace's
    index among them, and what the frames need."""
    coords = _coords(result)
    links = result.tables.get("links")
    if links is None:
        links = pd.DataFrame(columns=["id", "from_node", "to_node", "existing_mw", "new_mw", "total_mw"])
    geo = _geometry(links, coords, view.kx)
    labels, net, sent = period_flows(result)
    if not labels:
        net = sent = pd.DataFrame([np.zeros(len(geo))], columns=geo.index)
    state = _arrow_state(net.iloc[0], sent.iloc[0], links, geo)
    traces = [_country_trace(view, axes), *_link_traces(links, geo, max_mw, axes, shown)]
    arrow = len(traces)
    traces.append(_arrow_trace(state, links, geo, axes, colorbar))
    if coords:
        traces.append(_node_trace(result, coords, axes))
    return traces, arrow, (labels, net, sent, links, geo)


def _max_mw(results: list[Result]) -> float:
    caps = [float(r.tables["links"]["total_mw"].max()) for r in results
            if r.tables.get("links") is not None and len(r.tables["links"])]
    return max(caps, default=0.0)


def _empty(height: int, title: str | None = None) -> dict:
    return figure([], {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": [
        {"text": "No node has coordinates (lat/lon), so no map can be drawn.", "showarrow": False,
         "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}]}, title=title, height=height)


def flow_map_figure(result: Result, *, height: int = 440) -> dict:
    """The corridor map with link capacities (MW) and net-flow arrows; ``frames`` hold the arrows of
    the year's mean and of each day's mean flow (``{"name", "label", "traces": [arrow trace], "data"}``),
    which the pages' renderer (``report/static/plots.js``) turns into a time slider with a play button."""
    coords = _coords(result)
    if not coords:
        return _empty(height)
    view = _view(list(coords.values()))
    axes, xaxis, yaxis = _axes(view)
    traces, arrow, (labels, net, sent, links, geo) = _panel(result, view, _max_mw([result]), axes, shown=set(),
                                                               colorbar=True)
    layout = {"xaxis": xaxis, "yaxis": yaxis, "plot_bgcolor": SEA_COLOUR, "dragmode": "pan",
              "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
              "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}}
    fig = figure(traces, layout, height=height)
    if len(labels) > 1:
        frames = []
        for i, name in enumerate(labels):
            st = _arrow_state(net.iloc[i], sent.iloc[i], links, geo)
            frames.append({"name": name, "label": f"mean net flow, {name}", "traces": [arrow], "data": [st]})
        fig["frames"] = frames
    return fig


def side_by_side_maps(results: list, labels: list[str], *, height: int | None = None, width_px: int = 1100) -> dict:
    """One map per result (at most :data:`MAX_PANELS`) side by side, same view and the same
    link-width scale (the largest capacity of all results, MW), arrows at the annual mean flow.
    ``height`` (px) defaults to what ``width_px`` of page width gives maps of the view's shape."""
    if not results or len(results) > MAX_PANELS:
        raise ValueError(f"side_by_side_maps shows 1 to {MAX_PANELS} results, got {len(results)}")
    if len(labels) != len(results):
        raise ValueError(f"{len(results)} results but {len(labels)} labels")
    points = [p for r in results for p in _coords(r).values()]
    if not points:
        return _empty(height or 420)
    view = _view(points)
    max_mw = _max_mw(results)
    n, gap = len(results), 0.02
    if height is None:  # each panel keeps the map's true shape: height = panel width x lat span / lon span
        shape = (view.lat[1] - view.lat[0]) / ((view.lon[1] - view.lon[0]) * view.kx)
        height = max(240, int(width_px / n * (1 - gap) * shape) + 40)
    traces: list[dict] = []
    layout: dict = {"plot_bgcolor": SEA_COLOUR, "dragmode": "pan", "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
                    "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}, "annotations": []}
    shown: set[str] = set()
    for k, (res, label) in enumerate(zip(results, labels), start=1):
        dom = ((k - 1) / n + gap / 2, k / n - gap / 2)
        axes, xaxis, yaxis = _axes(view, k, dom)
        panel, _, _ = _panel(res, view, max_mw, axes, shown=shown, colorbar=k == 1)
        traces += panel
        sfx = "" if k == 1 else str(k)
        layout[f"xaxis{sfx}"], layout[f"yaxis{sfx}"] = xaxis, yaxis
        # the title in the map's top-left corner (axis-domain coordinates follow the constrained map)
        layout["annotations"].append({"text": f"<b>{label}</b>", "showarrow": False, "xref": f"x{sfx} domain",
                                      "yref": f"y{sfx} domain", "x": 0.01, "y": 0.99, "xanchor": "left",
                                      "yanchor": "top", "font": {"size": 13}, "bgcolor": "#ffffff",
                                      "opacity": 0.9, "borderpad": 3})
    return figure(traces, layout, height=height)
