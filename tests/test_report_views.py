"""Report views of the corridor: one colour per technology, non-overlapping map labels, and the
same time axis for the dispatch and storage charts of a week (issue #16, item 5)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import silkgrid
from silkgrid.report import build_html
from silkgrid.report.colours import PALETTE, TECH_COLOURS, colour_map, tech_colour
from silkgrid.report.labels import place_labels
from silkgrid.report.panels import dispatch_panel, storage_panel

# two weeks at 6 h: every corridor node, technology and store, solved in seconds
TWO_WEEKS = {"extends": "corridor-2035",
             "time": {"resolution": "6h", "subset": {"start": "2035-01-01", "end": "2035-01-14"}}}


@pytest.fixture(scope="module")
def corridor(tmp_path_factory):
    res = silkgrid.solve(silkgrid.load_scenario(TWO_WEEKS))
    assert res.optimal
    return silkgrid.Result.from_dir(res.to_dir(tmp_path_factory.mktemp("views") / "corridor"))


@pytest.fixture(scope="module")
def page(corridor):
    return build_html(corridor)


def test_unknown_technology_colour_is_stable_and_order_free():
    assert tech_colour("battery (discharge)") == TECH_COLOURS["battery"]
    c = tech_colour("fusion_demo")
    assert c in PALETTE and c == tech_colour("fusion_demo")
    # the colour of a name does not depend on which other names share the chart
    assert colour_map(["zeta", "fusion_demo"])["fusion_demo"] == colour_map(["fusion_demo"])["fusion_demo"] == c


def _pairs(html: str) -> list[tuple[str, str]]:
    """(name, colour) of every legend swatch and every titled bar / area of the page."""
    out = re.findall(r'<span><i style="background:(#[0-9a-f]{6})"></i>([^<]+)</span>', html)
    pairs = [(n, c) for c, n in out]
    # capacity bars: title "NODE tech: x MW"; dispatch areas: title "NODE tech"
    pairs += [(m[1], m[0]) for m in re.findall(r'class="bar"[^>]*fill="(#[0-9a-f]{6})"><title>\S+ (\S+): [\d,.]+ MW',
                                               html)]
    pairs += [(m[1], m[0]) for m in re.findall(r'class="area" fill="(#[0-9a-f]{6})"[^>]*><title>\S+ ([^<]+)</title>',
                                               html)]
    return pairs


def test_every_chart_uses_one_colour_per_technology(page, corridor):
    techs = set(corridor.tables["generators"]["technology"]) | set(corridor.tables["storage"]["technology"])
    seen: dict[str, set[str]] = {}
    for name, colour in _pairs(page):
        base = name.removesuffix(" (discharge)")
        seen.setdefault(base, set()).add(colour)
    shown = techs & set(seen)
    assert len(shown) >= 6, shown  # capacity, dispatch and their legends name most technologies
    for t in shown:
        assert seen[t] == {tech_colour(t)}, (t, seen[t])
    # no two technologies of the corridor share a colour
    assert len({tech_colour(t) for t in techs}) == len(techs)


def test_storage_legend_uses_technology_colours(corridor):
    html = storage_panel(corridor, "KZ_N")
    for colour, name in re.findall(r'<i style="background:(#[0-9a-f]{6})"></i>([^<]+)<', html):
        tech = name.rsplit("(", 1)[1].rstrip(")")
        assert colour == tech_colour(tech)


def _boxes(page: str) -> dict[str, np.ndarray]:
    return {m[0]: np.array(m[1].split(), dtype=float)
            for m in re.findall(r'class="node-label" data-id="([^"]+)" data-box="([^"]+)"', page)}


def test_map_labels_do_not_overlap(page):
    boxes = _boxes(page)
    assert len(boxes) == 11 and {"AZ", "AZ_OFF"} <= set(boxes)
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            A, B = boxes[a], boxes[b]
            ov = min(A[2], B[2]) - max(A[0], B[0]), min(A[3], B[3]) - max(A[1], B[1])
            assert ov[0] <= 0 or ov[1] <= 0, (a, b, A, B)
    # each label is nearer its own node than any other node (AZ is not read as AZ_OFF)
    centres = {m[0]: (float(m[1]), float(m[2])) for m in
               re.findall(r'class="node" data-id="([^"]+)" cx="([^"]+)" cy="([^"]+)"', page)}
    for n, b in boxes.items():
        c = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])
        d = {m: np.hypot(*(c - np.array(p))) for m, p in centres.items()}
        assert min(d, key=d.get) == n, (n, d)


def test_place_labels_separates_two_close_points():
    # two points 10 px apart, labels 40 x 16 px: the default (upper right) would overlap for both
    boxes = place_labels([(100, 100), (100, 110)], [40, 40], 16, bounds=(300, 300))
    (a, b) = boxes
    assert min(a[3], b[3]) - max(a[1], b[1]) <= 0 or min(a[2], b[2]) - max(a[0], b[0]) <= 0
    assert np.array_equal(boxes, place_labels([(100, 100), (100, 110)], [40, 40], 16, bounds=(300, 300)))


def _axis(svg: str) -> tuple[list[str], list[str], float, float]:
    """x positions and labels of the x ticks, and the x range of the plotted data."""
    ticks = re.findall(r'<line x1="([\d.]+)" x2="\1" y1="\d+" y2="\d+" stroke="#888"/><text x="\1" y="\d+" '
                       r'text-anchor="middle">([^<]+)</text>', svg)
    xs = [float(v) for pts in re.findall(r'points="([^"]+)"', svg) for v in re.findall(r"([\d.]+),", pts)]
    return [t[0] for t in ticks], [t[1] for t in ticks], min(xs), max(xs)


def test_dispatch_and_storage_share_the_time_axis(corridor):
    for week in (1, 2):
        d = dispatch_panel(corridor, week, nodes=["KZ_N"])
        s = storage_panel(corridor, "KZ_N", week)
        dsvg, ssvg = re.search(r"<svg.*?</svg>", d).group(0), re.search(r"<svg.*?</svg>", s).group(0)
        assert re.search(r'width="(\d+)"', dsvg).group(1) == re.search(r'width="(\d+)"', ssvg).group(1) == "900"
        dx, dl, d0, d1 = _axis(dsvg)
        sx, sl, s0, s1 = _axis(ssvg)
        assert len(dx) == 7 and dx == sx and dl == sl  # one tick a day, same pixels, same labels
        # the data span the same pixels: first snapshot at the left edge (x = 58 px margin)
        assert d0 == s0 == 58.0 and d1 == pytest.approx(s1, abs=0.05)
