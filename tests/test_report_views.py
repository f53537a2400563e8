"""Report views of the corridor: one colour per technology across every chart, map labels that do
not overlap (measured in the real browser), and the whole-year dispatch on one time axis
(issue #16, item 5)."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest

import silkgrid
from silkgrid.report import build_html
from silkgrid.report.colours import PALETTE, TECH_COLOURS, base_technology, colour_map, tech_colour
from silkgrid.report.labels import place_labels

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


def _figures(html: str) -> dict[str, dict]:
    return {m[0]: json.loads(m[1].replace("<\\/", "</")) for m in
            re.findall(r'<script type="application/json" id="([^"]+)-json">(.*?)</script>', html, re.S)}


def test_unknown_technology_colour_is_stable_and_order_free():
    assert tech_colour("battery (discharge)") == TECH_COLOURS["battery"]
    c = tech_colour("fusion_demo")
    assert c in PALETTE and c == tech_colour("fusion_demo")
    # the colour of a name does not depend on which other names share the chart
    assert colour_map(["zeta", "fusion_demo"])["fusion_demo"] == colour_map(["fusion_demo"])["fusion_demo"] == c


def _trace_colour(t: dict) -> str | None:
    for c in (t.get("fillcolor"), (t.get("marker") or {}).get("color"), (t.get("line") or {}).get("color")):
        if isinstance(c, str):
            return c
    return None


def test_every_chart_uses_one_colour_per_technology(page, corridor):
    """Every trace named after a technology (capacity, dispatch, generation mix, emissions, capture
    prices) and every Sankey node of a technology has that technology's one colour."""
    techs = set(corridor.tables["generators"]["technology"]) | set(corridor.tables["storage"]["technology"])
    seen: dict[str, set[str]] = {}
    charts: dict[str, set[str]] = {}
    for fid, fig in _figures(page).items():
        for t in fig["data"]:
            if t.get("type") == "sankey":
                for label, colour in zip(t["node"]["label"], t["node"]["color"]):
                    base = base_technology(label.split(" · ")[0])
                    if base in techs:
                        seen.setdefault(base, set()).add(colour)
                        charts.setdefault(base, set()).add(fid)
                continue
            base = base_technology(str(t.get("name", "")))
            colour = _trace_colour(t)
            if base in techs and colour is not None:
                seen.setdefault(base, set()).add(colour)
                charts.setdefault(base, set()).add(fid)
    assert len(seen) >= 8, seen  # the charts name most technologies
    assert max(len(c) for c in charts.values()) >= 4  # ... each in several charts
    for t, colours in seen.items():
        assert colours == {tech_colour(t)}, (t, colours, charts[t])
    # no two technologies of the corridor share a colour
    assert len({tech_colour(t) for t in techs}) == len(techs)


def test_dispatch_of_every_node_on_one_time_axis(page, corridor):
    """The report's dispatch holds every node (a menu shows one at a time); the stores' state of
    charge is on the lower panel of the same x axis; the view opens at week 1."""
    fig = _figures(page)["fig-dispatch"]
    nodes = [n["id"] for n in corridor.network["nodes"]]
    menu = fig["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in menu] == nodes
    assert all(t.get("xaxis", "x") == "x" for t in fig["data"])
    assert {t.get("yaxis", "y") for t in fig["data"]} == {"y", "y2"}
    visible = [t for t in fig["data"] if t["visible"]]
    assert visible and all(t["hovertemplate"].startswith(nodes[0]) or "state of charge" in t["name"]
                           for t in visible)
    assert fig["layout"]["xaxis"]["range"] == ["2035-01-01 00:00", "2035-01-07 18:00"]


def test_place_labels_separates_two_close_points():
    # two points 10 px apart, labels 40 x 16 px: the default (upper right) would overlap for both
    boxes = place_labels([(100, 100), (100, 110)], [40, 40], 16, bounds=(300, 300))
    (a, b) = boxes
    assert min(a[3], b[3]) - max(a[1], b[1]) <= 0 or min(a[2], b[2]) - max(a[0], b[0]) <= 0
    assert np.array_equal(boxes, place_labels([(100, 100), (100, 110)], [40, 40], 16, bounds=(300, 300)))


def test_map_labels_do_not_overlap_in_the_browser(page, tmp_path):
    """Measured on the drawn page: no two node labels overlap, and each label is nearer its own node
    marker than any other (AZ is not read as AZ_OFF)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from playwright import sync_api

    path = tmp_path / "report.html"
    path.write_text(page)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.goto(path.as_uri())
        pg.wait_for_selector("#fig-map .textpoint text")
        boxes = pg.evaluate("""() => {
          const out = {};
          document.querySelectorAll('#fig-map .textpoint text').forEach((t) => {
            const r = t.getBoundingClientRect(); out[t.textContent] = [r.left, r.top, r.right, r.bottom]; });
          return out; }""")
        marks = pg.evaluate("""() => {
          const gd = document.getElementById('fig-map'), out = {};
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
          for (const t of gd.data) {
            (t.customdata || []).forEach((c, k) => { if (c[0] === 'node')
              out[c[1]] = [r.left + xa._offset + xa.l2p(t.x[k]), r.top + ya._offset + ya.l2p(t.y[k])]; }); }
          return out; }""")
        browser.close()
    assert len(boxes) == 11 and {"AZ", "AZ_OFF"} <= set(boxes) and set(marks) == set(boxes)
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            A, B = boxes[a], boxes[b]
            ov = min(A[2], B[2]) - max(A[0], B[0]), min(A[3], B[3]) - max(A[1], B[1])
            assert ov[0] <= 0.5 or ov[1] <= 0.5, (a, b, A, B)  # half a pixel: anti-aliasing
    for n, b in boxes.items():
        c = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])
        d = {m: float(np.hypot(*(c - np.array(p)))) for m, p in marks.items()}
        assert min(d, key=d.get) == n, (n, d)


def test_every_view_drawn_in_the_browser(page, tmp_path):
    """Each section of the corridor report is drawn by Plotly without a console error; a screenshot
    of each goes to test-artifacts/report_<section>.png (looked at for issue #16)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from pathlib import Path

    from playwright import sync_api

    from silkgrid.report import SECTIONS

    art = Path(__file__).resolve().parents[1] / "test-artifacts"
    art.mkdir(exist_ok=True)
    path = tmp_path / "report.html"
    path.write_text(page)
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(path.as_uri())
        for sid, _ in SECTIONS:
            sec = pg.locator(f"section#{sid}")
            for k in range(sec.locator("div.plot").count()):
                sec.locator("div.plot").nth(k).locator(".main-svg").first.wait_for()
            sec.screenshot(path=str(art / f"report_{sid}.png"))
        browser.close()
    assert errors == []
