"""Small pure-Python geometry helpers: TopoJSON → GeoJSON, clipping, simplification, point-in-polygon.

No third-party dependency (no shapely, no geopandas).  Used at build time by
:mod:`silkgrid.data.geo.build_countries` and at run time by :mod:`silkgrid.data.geo`
(ray casting only).

Coordinates are ``[lon, lat]`` in degrees (GeoJSON order); rings are closed (first point
repeated at the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Point = tuple[float, float]
Ring = list[Point]


# ----------------------------------------------------------------------------------------
# TopoJSON decoding
# ----------------------------------------------------------------------------------------
def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc of a TopoJSON topology (quantised or not)."""
    transform = topology.get("transform")
    arcs_out: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            pts: list[Point] = []
            for dx, dy, *_ in arc:  # delta-encoded integers
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        arcs_out.append(pts)
    return arcs_out


def _ring(arc_indices: Sequence[int], arcs: list[list[Point]]) -> Ring:
    """Stitch arcs into one ring; a negative index ``~i`` means arc ``i`` reversed."""
    ring: Ring = []
    for k, idx in enumerate(arc_indices):
        pts = arcs[idx] if idx >= 0 else arcs[~idx][::-1]
        ring.extend(pts if k == 0 else pts[1:])
    return ring


def geometry_to_geojson(geometry: dict, arcs: list[list[Point]]) -> dict | None:
    """Convert one TopoJSON (Multi)Polygon geometry object to a GeoJSON geometry dict."""
    gtype = geometry.get("type")
    if gtype == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in geometry["arcs"]]}
    if gtype == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_ring(r, arcs) for r in poly] for poly in geometry["arcs"]]}
    return None  # null geometries and other types are not needed here


# ----------------------------------------------------------------------------------------
# clipping and simplification
# ----------------------------------------------------------------------------------------
def clip_ring(ring: Ring, bbox: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman clip of a closed ring against ``(lon_min, lat_min, lon_max, lat_max)``.

    The result may contain edges along the box boundary; it is closed, or empty when the
    ring lies outside the box.
    """
    xmin, ymin, xmax, ymax = bbox
    pts = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)

    def clip(points: list[Point], inside, cross) -> list[Point]:
        out: list[Point] = []
        if not points:
            return out
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        return out

    def at_x(x0: float):
        return lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))

    def at_y(y0: float):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)

    pts = clip(pts, lambda p: p[0] >= xmin, at_x(xmin))
    pts = clip(pts, lambda p: p[0] <= xmax, at_x(xmax))
    pts = clip(pts, lambda p: p[1] >= ymin, at_y(ymin))
    pts = clip(pts, lambda p: p[1] <= ymax, at_y(ymax))
    if len(pts) < 3:
        return []
    return [*pts, pts[0]]


def _perp_dist(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker simplification (iterative); keeps the first and last point."""
    n = len(points)
    if n < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = _perp_dist(points[k], points[i], points[j])
            if d > best:
                best, idx = d, k
        if best > tolerance:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(points, keep) if k]


def ring_area(ring: Ring) -> float:
    """Signed planar area (shoelace) in square degrees; positive when counter-clockwise."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s / 2.0


# ----------------------------------------------------------------------------------------
# point in polygon (ray casting)
# ----------------------------------------------------------------------------------------
def point_in_ring(lon: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    """Even–odd ray casting: does the horizontal ray from the point cross the ring an odd number of times?"""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, polygon: Sequence[Sequence[Sequence[float]]]) -> bool:
    """Inside the outer ring (``polygon[0]``) and outside every hole (``polygon[1:]``)."""
    if not polygon or not point_in_ring(lon, lat, polygon[0]):
        return False
    return not any(point_in_ring(lon, lat, hole) for hole in polygon[1:])


def point_in_geometry(lon: float, lat: float, geometry: dict) -> bool:
    """Point in a GeoJSON Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return point_in_polygon(lon, lat, geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return any(point_in_polygon(lon, lat, poly) for poly in geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def polygons(geometry: dict) -> Iterable[list]:
    """The polygons of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])
