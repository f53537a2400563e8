"""Country outlines (Natural Earth via world-atlas) and the pure-Python geometry helpers."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from silkgrid.data import geo
from silkgrid.data.geo import build_countries
from silkgrid.data.geo.topojson import (
    clip_ring,
    decode_arcs,
    geometry_to_geojson,
    point_in_geometry,
    point_in_polygon,
    point_in_ring,
    ring_area,
    simplify,
)
from silkgrid.data.provenance import load_tables

CORRIDOR = ["KZ", "UZ", "AZ", "GE", "TR", "RO", "HU"]


def test_outlines_exist_for_corridor_and_neighbours() -> None:
    fc = geo.load_countries()
    assert fc["type"] == "FeatureCollection"
    codes = geo.country_codes()
    for code in [*CORRIDOR, "TM", "KG", "TJ", "AM", "BG", "MD", "UA", "RU"]:
        assert code in codes
    for f in fc["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert f["properties"]["iso_a2"] == f["id"]
    assert "Natural Earth" in fc["metadata"]["source"] and "public domain" in fc["metadata"]["licence"]


def test_file_is_compact_and_clipped() -> None:
    path = resources.files("silkgrid") / "data" / "geo" / "countries.geojson"
    text = path.read_text(encoding="utf-8")
    assert len(text) < 300_000
    lon0, lat0, lon1, lat1 = json.loads(text)["metadata"]["bbox"]
    for f in geo.load_countries()["features"]:
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for poly in polys:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in ring)


def test_node_anchors_lie_in_their_country() -> None:
    nodes = load_tables("corridor")["nodes"]
    for n in nodes.itertuples():
        if n.role == "offshore":
            assert geo.country_at(lat=n.lat, lon=n.lon) is None, n.id  # at sea
            continue
        assert geo.contains(n.country, lat=n.lat, lon=n.lon), n.id
        assert geo.country_at(lat=n.lat, lon=n.lon) == n.country, n.id


def test_points_outside_are_rejected() -> None:
    assert not geo.contains("KZ", lat=41.264, lon=69.216)   # Tashkent is in UZ
    assert not geo.contains("AZ", lat=41.694, lon=44.834)   # Tbilisi is in GE
    assert not geo.contains("RO", lat=43.5, lon=34.0)        # Black Sea
    assert geo.country_at(lat=43.0, lon=34.0) is None        # Black Sea
    with pytest.raises(KeyError, match="no outline"):
        geo.contains("FR", lat=48.85, lon=2.35)


# ----------------------------------------------------------------------------------------
# geometry helpers
# ----------------------------------------------------------------------------------------
SQUARE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
HOLE = [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)]


def test_ray_casting() -> None:
    assert point_in_ring(5, 5, SQUARE) and not point_in_ring(11, 5, SQUARE) and not point_in_ring(5, -1, SQUARE)
    assert point_in_polygon(2, 2, [SQUARE, HOLE]) and not point_in_polygon(5, 5, [SQUARE, HOLE])
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [[(20, 0), (30, 0), (25, 10), (20, 0)]]]}
    assert point_in_geometry(25, 3, multi) and not point_in_geometry(15, 3, multi)
    concave = [(0, 0), (10, 0), (10, 10), (5, 2), (0, 10), (0, 0)]  # notch from the top
    assert point_in_ring(1, 1, concave) and not point_in_ring(5, 8, concave)


def test_clip_and_simplify() -> None:
    clipped = clip_ring(SQUARE, (5.0, -5.0, 20.0, 5.0))
    assert clipped[0] == clipped[-1]
    assert abs(ring_area(clipped)) == pytest.approx(25.0)
    assert clip_ring(SQUARE, (20.0, 20.0, 30.0, 30.0)) == []
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 5.0)]
    assert simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0)]
    assert ring_area(SQUARE) == pytest.approx(100.0)  # counter-clockwise positive


def test_topojson_decoding_with_quantisation_and_reversed_arcs() -> None:
    # two triangles sharing the edge (1,0)-(1,1): arc 0 = shared edge, arcs 1 and 2 the rest
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [40.0, 40.0]},
        "arcs": [[[2, 0], [0, 2]],            # (41,40) -> (41,41)
                 [[2, 2], [-2, -2], [2, 0]],  # (41,41) -> (40,40) -> (41,40)
                 [[2, 0], [2, 0], [-2, 2]]],   # (41,40) -> (42,40) -> (41,41)
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "268", "arcs": [[0, 1]], "properties": {"name": "West"}},
            {"type": "MultiPolygon", "id": "031", "arcs": [[[~0, 2]]], "properties": {"name": "East"}},
            {"type": None, "id": "999"},
        ]}},
    }
    arcs = decode_arcs(topology)
    assert arcs[0] == [(41.0, 40.0), (41.0, 41.0)]
    west = geometry_to_geojson(topology["objects"]["countries"]["geometries"][0], arcs)
    assert west["coordinates"][0] == [(41.0, 40.0), (41.0, 41.0), (40.0, 40.0), (41.0, 40.0)]
    east = geometry_to_geojson(topology["objects"]["countries"]["geometries"][1], arcs)
    assert east["coordinates"][0][0] == [(41.0, 41.0), (41.0, 40.0), (42.0, 40.0), (41.0, 41.0)]
    assert point_in_geometry(41.5, 40.2, east) and not point_in_geometry(40.5, 40.2, east)
    fc = build_countries.build(topology)
    assert [f["id"] for f in fc["features"]] == ["AZ", "GE"]  # ISO numeric -> alpha-2, null geometry skipped
    assert fc["features"][1]["properties"]["name"] == "West"
