"""The corridor map panel: country outlines, nodes at their lat/lon, links by capacity and utilisation.

Projection: equirectangular with the x axis scaled by cos(mean latitude), over the nodes'
bounding box ± 4° lon / ± 3° lat; country outlines are clipped to the view.  Node labels
(``text.node-label``, box in ``data-box``: x0 y0 x1 y1 px) are placed by
:func:`silkgrid.report.labels.place_labels` so that they do not overlap each other or the nodes.
"""

from __future__ import annotations

import math

from silkgrid.data.geo import load_countries
from silkgrid.report.formatting import fmt_mw, fmt_price
from silkgrid.report.labels import place_labels, text_width
from silkgrid.report.svg import esc
from silkgrid.results import Result

__all__ = ["map_panel", "project", "util_colour", "LABEL_PX"]

#: Font size (px) of the node labels.
LABEL_PX = 13


def project(network: dict):
    """(``proj(lon, lat) -> (x, y)``, width, height) of the map of ``network``'s nodes; None
    when no node has coordinates."""
    pts = [(n["lon"], n["lat"]) for n in network.get("nodes", []) if n.get("lat") is not None
           and n.get("lon") is not None]
    if not pts:
        return None
    lons, lats = zip(*pts)
    lon0, lon1 = min(lons) - 4, max(lons) + 4
    lat0, lat1 = min(lats) - 3, max(lats) + 3
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    W = 900
    scale = W / ((lon1 - lon0) * kx)
    H = max(260, int((lat1 - lat0) * scale))
    lat_mid = (lat0 + lat1) / 2
    # centre vertically when H was raised to its minimum
    off = H / 2 - ((lat1 - lat_mid) * scale)

    def proj(lon, lat):
        return (lon - lon0) * kx * scale, (lat1 - lat) * scale + off
    return proj, W, H


def _ring_path(ring, proj) -> str:
    pts = [proj(x, y) for x, y in ring]
    return "M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in pts) + "Z"


def util_colour(u: float) -> str:
    """Light blue (unused) -> orange -> dark red (fully used)."""
    u = min(max(u if math.isfinite(u) else 0.0, 0.0), 1.0)
    stops = [(0.0, (158, 202, 225)), (0.5, (253, 174, 97)), (1.0, (165, 0, 38))]
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if u <= b:
            t = (u - a) / (b - a)
            return "#%02x%02x%02x" % tuple(int(round(x + (y - x) * t)) for x, y in zip(ca, cb))
    return "#a50026"


def map_panel(result: Result) -> str:
    """``<svg id="map-svg">``: nodes (``circle.node``), links (``path.link``, width ∝ capacity,
    colour = utilisation, dashed where not built) and countries (``path.country``)."""
    net = result.network
    pr = project(net)
    if pr is None:
        return "<p class='note'>No node has coordinates (lat/lon), so no map can be drawn.</p>"
    proj, W, H = pr
    nodes = {n["id"]: n for n in net["nodes"] if n.get("lat") is not None and n.get("lon") is not None}
    parts = [f'<svg id="map-svg" class="map" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
             f'role="img" aria-label="map of the corridor"><defs><clipPath id="mapclip"><rect width="{W}" '
             f'height="{H}"/></clipPath></defs><rect width="{W}" height="{H}" fill="#dceaf5"/>'
             '<g clip-path="url(#mapclip)">']
    countries_used = {n["country"] for n in net["nodes"]}
    for f in load_countries()["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        d = "".join(_ring_path(r, proj) for poly in polys for r in poly)
        fill = "#f3efe2" if f["id"] in countries_used else "#e6e6e0"
        parts.append(f'<path class="country" d="{d}" fill="{fill}" stroke="#9a9a90" stroke-width="0.6" '
                     f'fill-rule="evenodd"><title>{esc(f["properties"].get("name", f["id"]))}</title></path>')
    parts.append("</g>")
    lt = result.tables.get("links")
    max_cap = float(lt["total_mw"].max()) if lt is not None and len(lt) else 1.0
    skipped = []
    if lt is not None:
        for r in lt.itertuples():
            if r.from_node not in nodes or r.to_node not in nodes:
                skipped.append(r.id)
                continue
            (x1, y1), (x2, y2) = (proj(nodes[n]["lon"], nodes[n]["lat"]) for n in (r.from_node, r.to_node))
            width = 1.5 + 10 * (r.total_mw / max_cap if max_cap > 0 else 0)
            dash = ' stroke-dasharray="6 5"' if r.total_mw < 1 else ""  # not built
            tip = (f"{r.id}: {r.from_node} → {r.to_node}, {fmt_mw(r.total_mw)} MW "
                   f"(new {fmt_mw(r.new_mw)}), utilisation {r.utilisation:.0%}")
            parts.append(f'<path class="link" data-id="{esc(r.id)}" d="M{x1:.1f},{y1:.1f}L{x2:.1f},{y2:.1f}" '
                         f'stroke="{util_colour(r.utilisation)}" stroke-width="{width:.1f}" '
                         f'stroke-linecap="round" fill="none" opacity="0.9"{dash}><title>{esc(tip)}</title></path>')
    ntab = result.tables.get("nodes")
    price = ntab.set_index("id")["mean_price_eur_per_mwh"].to_dict() if ntab is not None else {}
    xy = [proj(n["lon"], n["lat"]) for n in nodes.values()]
    boxes = place_labels(xy, [text_width(i, LABEL_PX) + 4 for i in nodes], LABEL_PX * 1.25, radius=8,
                         bounds=(W, H))
    for n, (x, y) in zip(nodes.values(), xy):
        tip = f"{n['id']} ({n.get('name') or n['country']}), mean price {fmt_price(price.get(n['id']))}"
        parts.append(f'<circle class="node" data-id="{esc(n["id"])}" cx="{x:.1f}" cy="{y:.1f}" r="7" '
                     f'fill="#17324d" stroke="#fff" stroke-width="2"><title>{esc(tip)}</title></circle>')
    for n, b in zip(nodes.values(), boxes):  # labels after all circles: no circle covers a label
        box = " ".join(f"{v:.1f}" for v in b)
        parts.append(f'<text class="node-label" data-id="{esc(n["id"])}" data-box="{box}" x="{b[0] + 2:.1f}" '
                     f'y="{b[3] - LABEL_PX * 0.3:.1f}" font-size="{LABEL_PX}" font-weight="bold" '
                     f'stroke="#fff" stroke-width="3" paint-order="stroke">{esc(n["id"])}</text>')
    # utilisation legend
    parts.append(f'<g transform="translate(14,{H - 44})"><rect width="210" height="36" fill="#fff" '
                 'opacity="0.85" rx="4"/><text x="8" y="13">link utilisation (width ∝ capacity)</text>')
    for i in range(11):
        parts.append(f'<rect x="{8 + i * 18}" y="19" width="18" height="9" fill="{util_colour(i / 10)}"/>')
    parts.append('<text x="8" y="40" font-size="9">0 %</text><text x="196" y="40" font-size="9" '
                 'text-anchor="end">100 %</text></g></svg>')
    note = ""
    missing = [n["id"] for n in net["nodes"] if n["id"] not in nodes]
    if missing or skipped:
        note = (f"<p class='note'>Not on the map (no coordinates): nodes {esc(', '.join(missing) or '-')}; "
                f"links {esc(', '.join(skipped) or '-')}.</p>")
    return "".join(parts) + note
