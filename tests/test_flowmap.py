"""The interactive corridor flow map (silkgrid.report.flowmap): arrow direction, frames, hidden
arrows, new-capacity overlay, one width scale across side-by-side maps, JSON size."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import silkgrid
from silkgrid.report.flowmap import (MAX_WIDTH_PX, arrow_angle, flow_map_figure, period_flows,
                                     side_by_side_maps)
from silkgrid.report.plotting import to_json
from silkgrid.results import Result

DEFAULT = Path(__file__).resolve().parents[1] / "results" / "default"

# Three nodes: B is 2° east of A, C is 3° north of A.
NODES = [{"id": "A", "name": "Alpha", "country": "KZ", "lon": 50.0, "lat": 40.0},
         {"id": "B", "name": "Beta", "country": "KZ", "lon": 52.0, "lat": 40.0},
         {"id": "C", "name": "Gamma", "country": "AZ", "lon": 50.0, "lat": 43.0}]


def _result(ab_mw: float = 100.0, ab_new: float = 0.0) -> Result:
    """Two days, hourly.  ab (A→B, existing): -60 MW all the time, i.e. B exports to A (westward).
    ac (A→C, all new, 200 MW): +80 MW on day 1, 0 on day 2 (northward, then idle).
    bc: a candidate that was not built (0 MW), no flow."""
    idx = pd.date_range("2035-01-01", periods=48, freq="h", name="snapshot")
    day1 = np.arange(48) < 24
    flow = pd.DataFrame({"ab": -60.0, "ac": np.where(day1, 80.0, 0.0), "bc": 0.0}, index=idx)
    links = pd.DataFrame({"id": ["ab", "ac", "bc"], "from_node": ["A", "A", "B"], "to_node": ["B", "C", "C"],
                          "existing_mw": [ab_mw - ab_new, 0.0, 0.0], "new_mw": [ab_new, 200.0, 0.0],
                          "total_mw": [ab_mw, 200.0, 0.0]})
    nodes = pd.DataFrame({"id": ["A", "B", "C"], "country": ["KZ", "KZ", "AZ"],
                          "demand_mwh": [2.5e6, 0.0, 1e6], "mean_price_eur_per_mwh": [50.0, 40.0, np.nan]})
    return Result(scenario_name="toy", status="optimal", message="", objective=0.0, objective_constant=0.0,
                  snapshots=idx, weights=np.ones(48), tables={"links": links, "nodes": nodes},
                  hourly={"link_flow_mw": flow, "link_forward_mw": flow.clip(lower=0),
                          "link_backward_mw": (-flow).clip(lower=0)},
                  network={"nodes": NODES, "links": [], "markets": []})


def _arrows(fig: dict, panel: str = "x") -> tuple[int, dict]:
    i = next(i for i, t in enumerate(fig["data"]) if t["name"] == "net flow" and t["xaxis"] == panel)
    return i, fig["data"][i]


def _col(trace: dict, link: str) -> int:
    return [c[1] for c in trace["customdata"]].index(link)


@pytest.fixture(scope="module")
def toy():
    return flow_map_figure(_result())


def test_arrow_points_from_exporter_to_importer(toy):
    # on paper: B lies due east of A, so the link A→B points east (90°); its net flow is negative,
    # so B exports to A and the arrow must point west, 270° clockwise from up.
    _, arr = _arrows(toy)
    k = _col(arr, "ab")
    assert arr["marker"]["angle"][k] == 270
    assert arr["hovertext"][k] == "60 MW B → A"
    assert arr["marker"]["color"][k] == 60  # utilisation, %: 60 of 100 MW all the time
    assert arr["marker"]["size"][k] == pytest.approx(9 + 15 * 0.6)  # grows with |flow| / capacity
    assert arr["hovertemplate"][k].startswith("ab: %{hovertext} (utilisation %{marker.color} %)")
    # C is due north of A, flow A→C positive: 0° (up)
    assert arr["marker"]["angle"][_col(arr, "ac")] == 0
    # arrow at the link's midpoint
    assert (arr["x"][k], arr["y"][k]) == (51.0, 40.0)


def test_angle_uses_the_equirectangular_scale():
    # 1° east and 1° north at 60°N: the east leg is half as long on screen -> atan(0.5) from north
    assert arrow_angle(0, 60, 1, 61, math.cos(math.radians(60))) == pytest.approx(26.565, abs=1e-3)
    assert arrow_angle(0, 0, 0, -1, 1.0) == pytest.approx(180.0)


def test_axes_are_equirectangular_and_bounded(toy):
    x, y = toy["layout"]["xaxis"], toy["layout"]["yaxis"]
    assert y["scaleanchor"] == "x"
    # view: lat 37..46 -> mean 41.5°
    assert y["scaleratio"] == pytest.approx(1 / math.cos(math.radians(41.5)), rel=1e-6)
    assert (x["minallowed"], x["maxallowed"]) == (46.0, 56.0)  # lon 50..52 ± 4
    assert (y["minallowed"], y["maxallowed"]) == (37.0, 46.0)  # lat 40..43 ± 3
    assert not x["visible"] and not y["visible"]
    assert all(t["type"] in ("scatter", "bar", "sankey", "heatmap") for t in toy["data"])


def test_frames_are_year_then_days_and_touch_only_the_arrows(toy):
    ai, _ = _arrows(toy)
    frames = toy["frames"]
    assert [f["name"] for f in frames] == ["year (mean)", "Jan 01", "Jan 02"]  # 1 + 2 days
    assert all(f["traces"] == [ai] and len(f["data"]) == 1 for f in frames)
    assert [f["label"] for f in frames] == ["mean net flow, year (mean)", "mean net flow, Jan 01",
                                            "mean net flow, Jan 02"]
    # the pages' renderer draws the slider (plots.js): no Plotly animation slider to set up
    assert "sliders" not in toy["layout"] and "updatemenus" not in toy["layout"]
    k = _col(_arrows(toy)[1], "ac")
    year, d1, d2 = (f["data"][0] for f in frames)
    assert year["hovertext"][k] == "40 MW A → C"  # time-weighted mean: (24 h x 80 + 24 h x 0) / 48 h
    assert year["marker"]["color"][k] == 20  # 40 of 200 MW
    assert d1["hovertext"][k] == "80 MW A → C" and d1["marker"]["angle"][k] == 0
    # day 2: ac carries nothing -> no arrow, no hover
    assert d2["x"][k] is None and d2["y"][k] is None and d2["marker"]["size"][k] == 0 and d2["hovertext"][k] == ""


def test_no_arrow_for_a_link_without_flow(toy):
    _, arr = _arrows(toy)
    k = _col(arr, "bc")
    for st in [arr] + [f["data"][0] for f in toy["frames"]]:
        assert st["x"][k] is None and st["marker"]["size"][k] == 0 and st["hovertext"][k] == ""


def test_new_capacity_overlay_exactly_where_built(toy):
    lines = [t for t in toy["data"] if t.get("meta", [None])[0] == "link"]
    assert {t["meta"][1] for t in lines if t["name"] == "new capacity"} == {"ac"}
    total = {t["meta"][1]: t["line"] for t in lines if t["name"] != "new capacity"}
    # width ∝ total MW: ac (200 MW) is the largest, ab half of it
    assert total["ac"]["width"] == MAX_WIDTH_PX and total["ab"]["width"] == MAX_WIDTH_PX / 2
    assert total["bc"].get("dash") == "dot"  # candidate, not built
    names = {t["name"] for t in lines if t["showlegend"]}
    assert {"existing capacity", "new capacity"} <= names


def test_nodes_carry_customdata_and_hover(toy):
    nodes = next(t for t in toy["data"] if t["name"] == "nodes")
    assert nodes["customdata"] == [["node", "A"], ["node", "B"], ["node", "C"]]
    assert "mean price 50.00 EUR/MWh" in nodes["hovertemplate"][0]
    assert "2.50 TWh/yr" in nodes["hovertemplate"][0]
    assert "n/a" in nodes["hovertemplate"][2]  # no price at C
    ok = {f"{v} {h}" for v in ("top", "middle", "bottom") for h in ("left", "center", "right")}
    assert set(nodes["textposition"]) <= ok
    _, arr = _arrows(toy)
    assert arr["customdata"] == [["link", "ab"], ["link", "ac"], ["link", "bc"]]


def test_period_flows_are_time_weighted():
    r = _result()
    r.weights = np.r_[np.full(24, 1.0), np.full(24, 3.0)]  # day 2 snapshots stand for 3 h each
    labels, net, sent = period_flows(r)
    assert labels == ["year (mean)", "Jan 01", "Jan 02"]
    # ac: (24 x 1 h x 80 MW + 24 x 3 h x 0) / 96 h = 20 MW; day means 80 and 0
    assert net["ac"].tolist() == pytest.approx([20.0, 80.0, 0.0])
    assert net["ab"].tolist() == pytest.approx([-60.0] * 3) and sent["ab"].tolist() == pytest.approx([60.0] * 3)


def test_side_by_side_uses_one_width_scale():
    small, big = _result(), _result(ab_mw=400.0, ab_new=300.0)
    fig = side_by_side_maps([small, big], ["base", "bigger ab"])
    widths = {(t["xaxis"], t["meta"][1]): t["line"]["width"] for t in fig["data"]
              if t.get("meta", [None])[0] == "link" and t["name"] != "new capacity"}
    # the largest capacity of all results (ab in panel 2, 400 MW) sets the scale for both panels
    assert widths[("x2", "ab")] == MAX_WIDTH_PX
    assert widths[("x", "ac")] == widths[("x2", "ac")] == MAX_WIDTH_PX / 2
    assert widths[("x", "ab")] == MAX_WIDTH_PX / 4
    assert fig["layout"]["yaxis2"]["scaleanchor"] == "x2"
    assert fig["layout"]["xaxis"]["domain"][1] < fig["layout"]["xaxis2"]["domain"][0]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["<b>base</b>", "<b>bigger ab</b>"]
    assert "frames" not in fig
    # the legend names each kind once although both panels draw it
    assert sum(t["showlegend"] for t in fig["data"] if t["name"] == "new capacity") == 1
    with pytest.raises(ValueError):
        side_by_side_maps([small] * 5, list("abcde"))


@pytest.fixture(scope="module")
def example():
    res = silkgrid.solve(silkgrid.load_scenario("example"))
    assert res.optimal
    return res


def test_solved_example_arrows_follow_the_net_flow(example):
    fig = flow_map_figure(example)
    _, arr = _arrows(fig)
    coords = {n["id"]: (n["lon"], n["lat"]) for n in example.network["nodes"]}
    kx = 1 / fig["layout"]["yaxis"]["scaleratio"]
    flow = example.hourly["link_flow_mw"]
    mean = (flow.mul(example.weights, axis=0).sum() / example.weights.sum())
    for r in example.tables["links"].itertuples():
        k = _col(arr, r.id)
        src, dst = (r.from_node, r.to_node) if mean[r.id] > 0 else (r.to_node, r.from_node)
        assert arr["hovertext"][k].endswith(f"MW {src} → {dst}")
        expect = arrow_angle(*coords[src], *coords[dst], kx)
        assert abs((arr["marker"]["angle"][k] - expect + 180) % 360 - 180) <= 0.5  # rounded to 1°
    days = example.snapshots.normalize().nunique()
    assert len(fig["frames"]) == 1 + days == 366
    json.loads(to_json(fig))  # serialisable, no NaN


@pytest.mark.skipif(not (DEFAULT / "summary.json").is_file(), reason="no results/default here")
def test_hourly_corridor_map_is_small():
    fig = flow_map_figure(Result.from_dir(DEFAULT))
    size = len(to_json(fig))
    assert len(fig["frames"]) == 366
    # measured 416 kB (366 frames x 14 links + 92 kB of outlines); 1 MB is the budget
    assert size < 600_000, size
