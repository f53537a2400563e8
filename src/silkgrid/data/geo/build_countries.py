"""Rebuild ``countries.geojson`` from Natural Earth TopoJSON (maintenance script, not used at run time).

Source: the npm package ``world-atlas`` 2.0.2 (Natural Earth 4.1.0 admin-0 countries, public
domain), fetched with the ordinary npm client::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m silkgrid.data.geo.build_countries package/countries-50m.json

The script keeps the countries in and around the corridor (:data:`COUNTRIES`), clips them
to :data:`BBOX`, simplifies rings with Douglas–Peucker (:data:`TOLERANCE_DEG`), rounds to
:data:`DECIMALS` decimals and writes a compact GeoJSON FeatureCollection next to this file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from silkgrid.data.geo.topojson import clip_ring, decode_arcs, geometry_to_geojson, ring_area, simplify

#: ISO 3166-1 numeric code (the ``id`` in world-atlas) -> alpha-2 code.
COUNTRIES: dict[str, str] = {
    # corridor
    "398": "KZ", "860": "UZ", "031": "AZ", "268": "GE", "792": "TR", "642": "RO", "348": "HU",
    # Central Asia and Caucasus neighbours
    "795": "TM", "417": "KG", "762": "TJ", "051": "AM", "364": "IR", "004": "AF", "156": "CN",
    "643": "RU",
    # Black Sea and Danube neighbours
    "100": "BG", "498": "MD", "804": "UA", "688": "RS", "300": "GR", "040": "AT", "703": "SK",
    "191": "HR", "705": "SI", "196": "CY", "760": "SY", "368": "IQ",
}
#: Clip box (lon_min, lat_min, lon_max, lat_max), degrees.
BBOX = (15.0, 30.0, 90.0, 58.0)
#: Douglas–Peucker tolerance, degrees (~1 km).
TOLERANCE_DEG = 0.01
DECIMALS = 3
SOURCE = "Natural Earth 4.1.0 admin-0 countries 1:50m via npm world-atlas 2.0.2 (countries-50m.json)"


def _clean_ring(ring: list, bbox) -> list:
    ring = clip_ring(ring, bbox)
    if not ring:
        return []
    ring = simplify(ring, TOLERANCE_DEG)
    out: list[list[float]] = []
    for x, y in ring:
        pt = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or pt != out[-1]:
            out.append(pt)
    if len(out) < 4 or abs(ring_area([tuple(p) for p in out])) < 1e-6:
        return []
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def build(topology: dict, *, source_sha256: str = "") -> dict:
    """GeoJSON FeatureCollection of :data:`COUNTRIES` from a world-atlas topology."""
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        code = COUNTRIES.get(str(geom.get("id")))
        if code is None:
            continue
        gj = geometry_to_geojson(geom, arcs)
        if gj is None:
            continue
        polys = [gj["coordinates"]] if gj["type"] == "Polygon" else gj["coordinates"]
        kept = []
        for poly in polys:
            outer = _clean_ring(poly[0], BBOX)
            if not outer:
                continue
            holes = [h for h in (_clean_ring(r, BBOX) for r in poly[1:]) if h]
            kept.append([outer, *holes])
        if not kept:
            continue
        geometry = ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
                    else {"type": "MultiPolygon", "coordinates": kept})
        features.append({"type": "Feature", "id": code,
                         "properties": {"iso_a2": code, "iso_n3": str(geom["id"]),
                                        "name": geom.get("properties", {}).get("name", code),
                                        "clipped_to_bbox": list(BBOX)},
                         "geometry": geometry})
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection",
            "metadata": {"source": SOURCE, "licence": "public domain (Natural Earth); TopoJSON wrapper ISC",
                         "source_sha256": source_sha256, "bbox": list(BBOX),
                         "simplification_tolerance_deg": TOLERANCE_DEG, "decimals": DECIMALS,
                         "generator": "silkgrid.data.geo.build_countries"},
            "features": features}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("countries.geojson"))
    args = parser.parse_args(argv)
    raw = args.topojson.read_bytes()
    collection = build(json.loads(raw), source_sha256=hashlib.sha256(raw).hexdigest())
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) / 1024:.0f} kB, {len(collection['features'])} countries)")


if __name__ == "__main__":
    main()
