"""Country outlines in and around the corridor (Natural Earth, public domain).

``countries.geojson`` holds the admin-0 polygons of 27 countries (corridor countries and their
neighbours) from Natural Earth 4.1.0 at 1:50m, taken from the npm package ``world-atlas``
2.0.2, clipped to lon 15–90°E, lat 30–58°N, simplified to ~1 km and rounded to 0.001°.
See ``README.md`` in this folder and :mod:`silkgrid.data.geo.build_countries`.

>>> from silkgrid.data import geo
>>> geo.contains("AZ", lat=40.378, lon=49.892)   # Baku
True
>>> geo.country_at(lat=41.694, lon=44.834)       # Tbilisi
'GE'
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

from silkgrid.data.geo.topojson import point_in_geometry

__all__ = ["contains", "country_at", "country_codes", "load_countries"]


@lru_cache(maxsize=1)
def _collection() -> dict:
    text = (resources.files("silkgrid") / "data" / "geo" / "countries.geojson").read_text(encoding="utf-8")
    return json.loads(text)


def load_countries() -> dict:
    """The GeoJSON FeatureCollection (a fresh copy; features have ``id`` = ISO alpha-2 code).

    Each feature's ``properties`` hold ``iso_a2``, ``iso_n3``, ``name`` and
    ``clipped_to_bbox``; the collection's ``metadata`` names the source, licence and
    processing.
    """
    return copy.deepcopy(_collection())


def country_codes() -> list[str]:
    """ISO alpha-2 codes of the countries in the file, sorted."""
    return [f["id"] for f in _collection()["features"]]


def _feature(code: str) -> dict:
    for f in _collection()["features"]:
        if f["id"] == code:
            return f
    raise KeyError(f"no outline for country '{code}'; available: {', '.join(country_codes())}")


def contains(code: str, *, lat: float, lon: float) -> bool:
    """Whether the point lies inside the country's outline (ray casting; holes respected)."""
    return point_in_geometry(float(lon), float(lat), _feature(code)["geometry"])


def country_at(*, lat: float, lon: float) -> str | None:
    """ISO alpha-2 code of the country containing the point, or None (sea, or outside the file)."""
    for f in _collection()["features"]:
        if point_in_geometry(float(lon), float(lat), f["geometry"]):
            return f["id"]
    return None
