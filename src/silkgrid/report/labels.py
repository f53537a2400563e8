"""Deterministic placement of point labels (map node names) so that they do not overlap.

Each label tries :data:`OFFSETS` (eight positions around its point, in order of preference) and
takes the one with the least cost (px²): overlap with the labels already placed, with every
point's marker and with the outside of the view, plus a penalty for a label nearer another point
than its own (it would read as that point's); labels are placed most crowded point first.  Per label
the candidates are scored against all boxes at once with numpy (n labels: n small array steps).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["OFFSETS", "text_width", "place_labels", "project"]

#: Directions (x right, y down) tried for a label, in order of preference: upper right first.
OFFSETS = np.array([(1, -1), (1, 0), (1, 1), (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1)], dtype=float)


def text_width(text: str, font_px: float, bold: bool = True) -> float:
    """Estimated width (px) of ``text`` in a sans-serif font of ``font_px`` px: 0.72 (bold) or
    0.64 em per character, an upper estimate for the capitals and digits of node ids (bold 13 px
    ``UZ_W`` renders 40.9 px wide in Chromium; the estimate is 37.4 + 4 px margin)."""
    return len(text) * font_px * (0.72 if bold else 0.64)


def _overlap(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Summed overlap area of each of ``boxes`` (k, 4: x0, y0, x1, y1) with all ``others`` (m, 4)."""
    if not len(others):
        return np.zeros(len(boxes))
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0], others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1], others[None, :, 1])
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


def place_labels(xy, widths, height: float, *, radius: float = 7.0, gap: float = 3.0,
                 bounds: tuple[float, float] | None = None) -> np.ndarray:
    """Boxes (n, 4: x0, y0, x1, y1, px) for labels of ``widths`` (px) and ``height`` (px) at points
    ``xy`` (n, 2, px, y down) whose markers have ``radius`` (px), ``gap`` px away from the marker.

    ``bounds`` (width, height) of the view penalises boxes outside it.  Deterministic: the same
    input gives the same boxes.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    widths = np.asarray(widths, dtype=float).reshape(-1)
    n = len(xy)
    markers = np.c_[xy - radius, xy + radius]
    d = radius + gap
    # crowding: number of other points within 80 px; most crowded placed first, ties by input order
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    order = np.lexsort((np.arange(n), -(dist < 80).sum(axis=1)))
    placed = np.full((n, 4), np.nan)
    pref = np.arange(len(OFFSETS)) * 1e-3  # tie-break: earlier offsets preferred
    for i in order:
        half = np.array([widths[i] / 2, height / 2])
        centre = xy[i] + OFFSETS * (d + half)
        cand = np.c_[centre - half, centre + half]
        done = placed[~np.isnan(placed[:, 0])]
        cost = _overlap(cand, done) + _overlap(cand, markers)
        # a label nearer another point than its own reads as that point's: penalise by the distance gap
        own = np.hypot(*(centre - xy[i]).T)
        near = np.hypot(*(centre[:, None, :] - np.delete(xy, i, axis=0)[None, :, :]).transpose(2, 0, 1))
        if near.size:
            cost = cost + height * np.clip(own[:, None] - near, 0, None).sum(axis=1)
        if bounds is not None:
            inside_w = np.clip(np.minimum(cand[:, 2], bounds[0]) - np.maximum(cand[:, 0], 0), 0, None)
            inside_h = np.clip(np.minimum(cand[:, 3], bounds[1]) - np.maximum(cand[:, 1], 0), 0, None)
            cost = cost + 10 * (widths[i] * height - inside_w * inside_h)
        placed[i] = cand[int(np.argmin(cost + pref))]
    return placed


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
