"""Self-contained HTML report of a results directory (``silkgrid report DIR``).

The report is one HTML file with inline SVG charts and inline CSS, no scripts and no external
references, so it opens offline in any browser.  Static PNG versions of the key charts are
written with matplotlib (Agg backend) to ``DIR/figures/``.  Design notes: ``docs/report.md``.

>>> from silkgrid.report import write_report
>>> write_report("results/example", week=2)          # doctest: +SKIP
PosixPath('results/example/report.html')
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.report.formatting import fmt_energy, fmt_eur
from silkgrid.results import Result

__all__ = ["build_html", "write_report", "TECH_COLOURS"]

#: Colours of common technologies / carriers; others get colours from :data:`_PALETTE`.
TECH_COLOURS = {
    "onwind": "#3b8bc2", "offwind": "#1f5f8b", "wind": "#3b8bc2", "solar_pv": "#f2b705", "solar": "#f2b705",
    "ccgt": "#b55d4c", "ocgt": "#d98a6a", "gas_steam": "#8c4a3c", "gas": "#b55d4c", "coal": "#4d4d4d",
    "hydro_reservoir": "#2a9d8f", "hydro_ror": "#57c4b5", "hydro": "#2a9d8f", "nuclear": "#9b59b6",
    "battery": "#e76f9a", "pumped_hydro": "#6a8fd6",
}
_PALETTE = ["#7f3c8d", "#11a579", "#3969ac", "#f2b701", "#e73f74", "#80ba5a", "#e68310", "#008695",
            "#cf1c90", "#f97b72", "#4b4b8f", "#a5aa99"]
#: PNG files written to ``DIR/figures/`` (plus ``dispatch_weekN.png``).
FIGURES = ("map.png", "capacity_mix.png", "price_duration.png", "costs.png")
#: Exports below this (MWh/yr) are solver round-off: no matched share is shown for them.
NEGLIGIBLE_MWH = 1.0
_NODE_COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#30638e", "#d36135",
                 "#5c415d", "#2e4057", "#99c24d", "#c17817"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#17324d;color:#fff;padding:14px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85;font-size:14px}
main{max-width:1180px;margin:0 auto;padding:12px 20px 40px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:14px 0;padding:12px 18px}
h2{font-size:18px;margin:4px 0 10px;color:#17324d}h3{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{padding:3px 9px;border-bottom:1px solid #e5e8ec;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f0f2f5}
.note{font-size:12.5px;color:#555}.warn{font-size:13px;color:#8a4b00;background:#fff6e5;padding:6px 10px;border-radius:4px}
.grid{display:flex;flex-wrap:wrap;gap:10px}.grid>div{flex:1 1 540px}
svg{max-width:100%;height:auto;font-size:11px}svg text{fill:#333}svg.map{width:100%}
.legend span{display:inline-block;margin:2px 10px 2px 0;font-size:12px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:2px}
code{background:#eef1f4;padding:1px 4px;border-radius:3px}
"""


# ----------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------
def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _f(x: float, nd: int = 1) -> str:
    return f"{x:.{nd}f}"


def _colour_map(names) -> dict[str, str]:
    out, k = {}, 0
    for n in names:
        if n in TECH_COLOURS:
            out[n] = TECH_COLOURS[n]
        else:
            out[n] = _PALETTE[k % len(_PALETTE)]
            k += 1
    return out


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.ceil(lo / step - 1e-9) * step
    ticks, t = [], start
    while t <= hi + 1e-9 * step:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _tick_label(v: float) -> str:
    av = abs(v)
    if av >= 1e6:
        return f"{v / 1e6:g}M"
    if av >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def _legend(colours: dict[str, str]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{c}"></i>{_e(n)}</span>' for n, c in colours.items()) + "</div>"


class _Frame:
    """An SVG chart area with linear x/y scales and axes."""

    def __init__(self, width, height, x0, x1, y0, y1, *, xlabel="", ylabel="", cls="chart", title="",
                 xticks=None, xtick_labels=None):
        self.w, self.h = width, height
        self.ml, self.mr, self.mt, self.mb = 58, 12, 22 if title else 10, 38
        self.x0, self.x1 = x0, (x1 if x1 > x0 else x0 + 1)
        ticks = _nice_ticks(y0, y1)
        self.y0, self.y1 = min(y0, ticks[0]), max(y1, ticks[-1])
        self.parts = [f'<svg class="{cls}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                      f'role="img">']
        if title:
            self.parts.append(f'<text x="{self.ml}" y="14" font-weight="bold" font-size="12">{_e(title)}</text>')
        for t in ticks:
            y = self.y(t)
            self.parts.append(f'<line x1="{self.ml}" x2="{width - self.mr}" y1="{_f(y)}" y2="{_f(y)}" '
                              f'stroke="#e3e6ea"/><text x="{self.ml - 5}" y="{_f(y + 3.5)}" '
                              f'text-anchor="end">{_tick_label(t)}</text>')
        if xticks is None:
            xticks = _nice_ticks(self.x0, self.x1, 6)
            xticks = [t for t in xticks if self.x0 <= t <= self.x1]
        labels = xtick_labels or [_tick_label(t) for t in xticks]
        for t, lab in zip(xticks, labels):
            x = self.x(t)
            self.parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{height - self.mb}" '
                              f'y2="{height - self.mb + 4}" stroke="#888"/><text x="{_f(x)}" '
                              f'y="{height - self.mb + 15}" text-anchor="middle">{_e(lab)}</text>')
        self.parts.append(f'<line x1="{self.ml}" x2="{width - self.mr}" y1="{height - self.mb}" '
                          f'y2="{height - self.mb}" stroke="#888"/>')
        if xlabel:
            self.parts.append(f'<text x="{(self.ml + width - self.mr) / 2}" y="{height - 4}" '
                              f'text-anchor="middle">{_e(xlabel)}</text>')
        if ylabel:
            cy = (self.mt + height - self.mb) / 2
            self.parts.append(f'<text transform="translate(12,{cy}) rotate(-90)" '
                              f'text-anchor="middle">{_e(ylabel)}</text>')

    def x(self, v):
        return self.ml + (v - self.x0) / (self.x1 - self.x0) * (self.w - self.ml - self.mr)

    def y(self, v):
        return self.h - self.mb - (v - self.y0) / (self.y1 - self.y0) * (self.h - self.mb - self.mt)

    def polyline(self, xs, ys, colour, width=1.5, cls="line", title=""):
        pts = " ".join(f"{_f(self.x(a))},{_f(self.y(b))}" for a, b in zip(xs, ys))
        t = f"<title>{_e(title)}</title>" if title else ""
        self.parts.append(f'<polyline class="{cls}" fill="none" stroke="{colour}" stroke-width="{width}" '
                          f'points="{pts}">{t}</polyline>')

    def band(self, xs, lo, hi, colour, title=""):
        up = [f"{_f(self.x(a))},{_f(self.y(b))}" for a, b in zip(xs, hi)]
        down = [f"{_f(self.x(a))},{_f(self.y(b))}" for a, b in zip(xs[::-1], lo[::-1])]
        self.parts.append(f'<polygon class="area" fill="{colour}" stroke="none" points="{" ".join(up + down)}">'
                          f'<title>{_e(title)}</title></polygon>')

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"


# ----------------------------------------------------------------------------------------
# data preparation (plain pandas, shared by the HTML and the PNG figures)
# ----------------------------------------------------------------------------------------
def capacity_by_node(data: dict) -> pd.DataFrame:
    """MW by node (rows) and technology (columns): generators' total_mw + storage power."""
    g = data["tables"].get("generators")
    s = data["tables"].get("storage")
    frames = []
    if g is not None and len(g):
        frames.append(g[["node", "technology", "total_mw"]].rename(columns={"total_mw": "mw"}))
    if s is not None and len(s):
        frames.append(s[["node", "technology", "power_total_mw"]].rename(columns={"power_total_mw": "mw"}))
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames)
    df = df[np.isfinite(df["mw"])]  # unlimited_power stores have no finite capacity
    wide = df.groupby(["node", "technology"], sort=False)["mw"].sum().unstack(fill_value=0.0)
    nodes = [n["id"] for n in data["network"].get("nodes", [])] or list(wide.index)
    return wide.reindex([n for n in nodes if n in wide.index])


def week_slice(data: dict, week: int) -> pd.DatetimeIndex:
    """Snapshots of week ``week`` (1 = the first seven days of the modelled horizon)."""
    idx = next(iter(data["hourly"].values())).index
    if week < 1:
        raise SilkGridError(f"week {week}: weeks are numbered from 1")
    start = idx[0] + pd.Timedelta(days=7 * (week - 1))
    sel = idx[(idx >= start) & (idx < start + pd.Timedelta(days=7))]
    if not len(sel):
        n_weeks = int((idx[-1] - idx[0]) / pd.Timedelta(days=7)) + 1
        raise SilkGridError(f"week {week} is outside the modelled horizon ({idx[0]:%Y-%m-%d} to "
                            f"{idx[-1]:%Y-%m-%d}, {n_weeks} week(s)); choose --week 1 to {n_weeks}")
    return sel


def dispatch(data: dict, node: str, snaps: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series | None]:
    """Per technology MW at ``node`` (generation, then storage discharge) and demand MW."""
    t, h = data["tables"], data["hourly"]
    layers = {}
    g = t.get("generators")
    if g is not None and len(g) and "generation_mw" in h:
        for tech, ids in g[g["node"] == node].groupby("technology", sort=False)["id"]:
            layers[tech] = h["generation_mw"].loc[snaps, list(ids)].sum(axis=1)
    s = t.get("storage")
    if s is not None and len(s) and "storage_discharge_mw" in h:
        for tech, ids in s[s["node"] == node].groupby("technology", sort=False)["id"]:
            layers[f"{tech} (discharge)"] = h["storage_discharge_mw"].loc[snaps, list(ids)].sum(axis=1)
    df = pd.DataFrame(layers, index=snaps).clip(lower=0.0)
    df = df.loc[:, df.max(axis=0) > 1e-3] if len(df.columns) else df
    demand = h["demand_mw"].loc[snaps, node] if "demand_mw" in h and node in h["demand_mw"] else None
    return df, demand


def price_duration(data: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per node: (cumulative hours, price sorted high to low)."""
    p = data["hourly"].get("price_eur_per_mwh")
    if p is None:
        return {}
    w = data["weights"].to_numpy() if data["weights"] is not None else np.ones(len(p))
    out = {}
    for node in p.columns:
        v = p[node].to_numpy()
        order = np.argsort(-v, kind="stable")
        out[node] = (np.cumsum(w[order]), v[order])
    return out


def read_dir(path: str | Path) -> dict:
    """A result directory as the plain data the panels draw from (``result`` holds the Result)."""
    res = Result.from_dir(path)
    summary = json.loads((Path(path) / "summary.json").read_text())
    weights = pd.Series(res.weights, index=res.snapshots, name="weight_h", dtype=float) if len(res.snapshots) else None
    return {"path": Path(path), "summary": summary, "network": res.network, "weights": weights,
            "tables": res.tables, "hourly": res.hourly, "result": res}


def as_result(data: dict) -> Result:
    """The :class:`Result` behind :func:`read_dir` data."""
    return data["result"]


def reload_scenario(data: dict):
    """(the scenario the result solved, or None, and why) from the result directory itself."""
    sc = data["result"].scenario
    if sc is None:
        return None, ("the result directory holds no scenario.json (written by an older SilkGrid); "
                      "run the scenario again to get the cost and CBAM panels")
    return sc, f"cost data from the scenario '{sc.name}' as solved"


def cbam_path(scenario) -> tuple[tuple[str, ...] | None, str]:
    """The export path for the CBAM panel (see :func:`silkgrid.analysis.export_path`)."""
    from silkgrid.analysis import export_path

    return export_path(scenario)


# ----------------------------------------------------------------------------------------
# panels
# ----------------------------------------------------------------------------------------
def _project(network: dict):
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


def _util_colour(u: float) -> str:
    """Light blue (unused) -> orange -> dark red (fully used)."""
    u = min(max(u if math.isfinite(u) else 0.0, 0.0), 1.0)
    stops = [(0.0, (158, 202, 225)), (0.5, (253, 174, 97)), (1.0, (165, 0, 38))]
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if u <= b:
            t = (u - a) / (b - a)
            return "#%02x%02x%02x" % tuple(int(round(x + (y - x) * t)) for x, y in zip(ca, cb))
    return "#a50026"


def _map_panel(data: dict) -> str:
    from silkgrid.data.geo import load_countries

    net = data["network"]
    pr = _project(net)
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
                     f'fill-rule="evenodd"><title>{_e(f["properties"].get("name", f["id"]))}</title></path>')
    parts.append("</g>")
    lt = data["tables"].get("links")
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
            tip = (f"{r.id}: {r.from_node} → {r.to_node}, {r.total_mw:,.0f} MW "
                   f"(new {r.new_mw:,.0f}), utilisation {r.utilisation:.0%}")
            parts.append(f'<path class="link" data-id="{_e(r.id)}" d="M{x1:.1f},{y1:.1f}L{x2:.1f},{y2:.1f}" '
                         f'stroke="{_util_colour(r.utilisation)}" stroke-width="{width:.1f}" '
                         f'stroke-linecap="round" fill="none" opacity="0.9"{dash}><title>{_e(tip)}</title></path>')
    ntab = data["tables"].get("nodes")
    price = ntab.set_index("id")["mean_price_eur_per_mwh"].to_dict() if ntab is not None else {}
    for n in nodes.values():
        x, y = proj(n["lon"], n["lat"])
        tip = f"{n['id']} ({n.get('name') or n['country']}), mean price {price.get(n['id'], float('nan')):.1f} EUR/MWh"
        parts.append(f'<circle class="node" data-id="{_e(n["id"])}" cx="{x:.1f}" cy="{y:.1f}" r="7" '
                     f'fill="#17324d" stroke="#fff" stroke-width="2"><title>{_e(tip)}</title></circle>'
                     f'<text x="{x + 10:.1f}" y="{y - 8:.1f}" font-size="13" font-weight="bold" '
                     f'stroke="#fff" stroke-width="3" paint-order="stroke">{_e(n["id"])}</text>')
    # utilisation legend
    parts.append(f'<g transform="translate(14,{H - 44})"><rect width="210" height="36" fill="#fff" '
                 'opacity="0.85" rx="4"/><text x="8" y="13">link utilisation (width ∝ capacity)</text>')
    for i in range(11):
        parts.append(f'<rect x="{8 + i * 18}" y="19" width="18" height="9" fill="{_util_colour(i / 10)}"/>')
    parts.append('<text x="8" y="40" font-size="9">0 %</text><text x="196" y="40" font-size="9" '
                 'text-anchor="end">100 %</text></g></svg>')
    note = ""
    missing = [n["id"] for n in net["nodes"] if n["id"] not in nodes]
    if missing or skipped:
        note = (f"<p class='note'>Not on the map (no coordinates): nodes {_e(', '.join(missing) or '-')}; "
                f"links {_e(', '.join(skipped) or '-')}.</p>")
    return "".join(parts) + note


def _capacity_panel(data: dict) -> str:
    cap = capacity_by_node(data)
    if cap.empty:
        return "<p class='note'>No generation or storage capacity.</p>"
    colours = _colour_map(cap.columns)
    row_h, W = 30, 900
    H = 40 + row_h * len(cap)
    tot = float(cap.sum(axis=1).max()) or 1.0
    fr = _Frame(W, H, 0, tot, 0, 1, xlabel="MW (generators: total capacity; storage: power)")
    fr.parts = fr.parts[:1]  # no y grid: categorical rows
    fr.ml, fr.mr = 80, 60  # room for the total at the end of the longest bar
    ticks = [t for t in _nice_ticks(0, tot, 6) if t <= tot * 1.0001]
    for t in ticks:
        x = fr.x(t)
        fr.parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="6" y2="{H - fr.mb}" stroke="#e3e6ea"/>'
                        f'<text x="{_f(x)}" y="{H - fr.mb + 14}" text-anchor="middle">{_tick_label(t)}</text>')
    fr.parts.append(f'<text x="{(fr.ml + W) / 2}" y="{H - 4}" text-anchor="middle">'
                    'MW (generators: total capacity; storage: power)</text>')
    for i, (node, row) in enumerate(cap.iterrows()):
        y = 8 + i * row_h
        fr.parts.append(f'<text x="{fr.ml - 6}" y="{y + 15}" text-anchor="end" font-weight="bold">{_e(node)}</text>')
        acc = 0.0
        for tech, mw in row.items():
            if mw <= 0:
                continue
            x0, x1 = fr.x(acc), fr.x(acc + mw)
            fr.parts.append(f'<rect class="bar" x="{_f(x0)}" y="{y}" width="{_f(max(x1 - x0, 0.5))}" height="22" '
                            f'fill="{colours[tech]}"><title>{_e(f"{node} {tech}: {mw:,.0f} MW")}</title></rect>')
            acc += mw
        fr.parts.append(f'<text x="{_f(fr.x(acc) + 4)}" y="{y + 15}">{acc:,.0f}</text>')
    return fr.svg() + _legend(colours)


def _dispatch_panel(data: dict, week: int) -> str:
    snaps = week_slice(data, week)
    hours = np.asarray((snaps - snaps[0]) / pd.Timedelta(hours=1), dtype=float)
    out = [f"<p class='note'>Week {week}: {snaps[0]:%Y-%m-%d %H:%M} to {snaps[-1]:%Y-%m-%d %H:%M} "
           f"({len(snaps)} snapshots). Stacked: generation by technology and storage discharge; black line: "
           "demand of the node's loads. Export, import and storage charging are the gap between the stack "
           "and the line.</p><div class='grid'>"]
    all_techs = []
    per_node = {}
    for n in data["network"].get("nodes", []) or [{"id": i} for i in data["tables"]["nodes"]["id"]]:
        df, demand = dispatch(data, n["id"], snaps)
        per_node[n["id"]] = (df, demand)
        all_techs += [c for c in df.columns if c not in all_techs]
    colours = _colour_map([t.replace(" (discharge)", "") for t in all_techs])
    colours = {t: colours[t.replace(" (discharge)", "")] for t in all_techs}
    xt = [d * 24.0 for d in range(8) if d * 24.0 <= hours[-1] + 1e-9]
    xl = [f"{(snaps[0] + pd.Timedelta(hours=h)):%a %d}" for h in xt]
    for node, (df, demand) in per_node.items():
        top = float(df.sum(axis=1).max()) if len(df.columns) else 0.0
        if demand is not None:
            top = max(top, float(demand.max()))
        fr = _Frame(560, 230, 0, max(hours[-1], 1.0), 0, max(top, 1.0), ylabel="MW", cls="chart dispatch",
                    title=f"{node}", xticks=xt, xtick_labels=xl)
        acc = np.zeros(len(snaps))
        for tech in df.columns:
            v = df[tech].to_numpy()
            fr.band(hours, acc, acc + v, colours[tech], title=f"{node} {tech}")
            acc = acc + v
        if demand is not None:
            fr.polyline(hours, demand.to_numpy(), "#111", 1.6, title=f"{node} demand")
        if not len(df.columns) and (demand is None or float(demand.abs().max()) < 1e-6):
            fr.parts.append(f'<text x="280" y="110" text-anchor="middle">no generation or demand</text>')
        out.append(f"<div>{fr.svg()}</div>")
    out.append("</div>")
    return "".join(out) + _legend({**colours, "demand": "#111"})


def _price_panel(data: dict) -> str:
    curves = price_duration(data)
    if not curves:
        return "<p class='note'>No prices: the solver returned no duals.</p>"
    lo = min(float(v.min()) for _, v in curves.values())
    hi = max(float(v.max()) for _, v in curves.values())
    xmax = max(float(x[-1]) for x, _ in curves.values())
    fr = _Frame(900, 300, 0, xmax, min(lo, 0.0), max(hi, 1.0), xlabel="hours per year at or above the price",
                ylabel="EUR/MWh", cls="chart prices")
    colours = {}
    for i, (node, (x, v)) in enumerate(curves.items()):
        c = _NODE_COLOURS[i % len(_NODE_COLOURS)]
        colours[node] = c
        xs = np.concatenate([[0.0], x])
        vs = np.concatenate([[v[0]], v])
        fr.polyline(xs, vs, c, 1.8, title=f"{node}")
    stats = "".join(f"<tr><td>{_e(n)}</td><td>{v.max():,.1f}</td><td>{np.average(v, weights=np.diff(np.r_[0, x])):,.1f}"
                    f"</td><td>{v.min():,.1f}</td></tr>" for n, (x, v) in curves.items())
    return (fr.svg() + _legend(colours) + "<table><tr><th>node</th><th>max</th><th>time-weighted mean</th>"
            f"<th>min EUR/MWh</th></tr>{stats}</table>")


def _export_panel(data: dict) -> str:
    m = data["tables"].get("markets")
    if m is None or not len(m):
        return "<p class='note'>The scenario has no external markets.</p>"
    rows = "".join(f"<tr><td>{_e(r.id)}</td><td>{_e(r.node)}</td><td>{fmt_energy(r.sold_mwh)}</td>"
                   f"<td>{fmt_energy(r.bought_mwh)}</td><td>{fmt_eur(r.revenue_eur)}</td></tr>" for r in m.itertuples())
    W, row_h = 900, 30
    top = max(float(max(m["sold_mwh"].max(), m["bought_mwh"].max())) / 1e3, 1.0)
    H = 46 + row_h * len(m)
    fr = _Frame(W, H, 0, top, 0, 1, xlabel="GWh per year")
    fr.parts = fr.parts[:1]
    fr.ml = 110
    for t in [t for t in _nice_ticks(0, top, 6) if t <= top * 1.0001]:
        x = fr.x(t)
        fr.parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="4" y2="{H - fr.mb}" stroke="#e3e6ea"/>'
                        f'<text x="{_f(x)}" y="{H - fr.mb + 14}" text-anchor="middle">{_tick_label(t)}</text>')
    fr.parts.append(f'<text x="{(fr.ml + W) / 2}" y="{H - 4}" text-anchor="middle">GWh per year '
                    '(blue: sold into the market; grey: bought from it)</text>')
    for i, r in enumerate(m.itertuples()):
        y = 6 + i * row_h
        fr.parts.append(f'<text x="{fr.ml - 6}" y="{y + 15}" text-anchor="end" font-weight="bold">{_e(r.id)}</text>'
                        f'<rect class="bar" x="{fr.ml}" y="{y}" width="{_f(fr.x(r.sold_mwh / 1e3) - fr.ml)}" '
                        f'height="12" fill="#3b8bc2"><title>sold {fmt_energy(r.sold_mwh)}</title></rect>'
                        f'<rect class="bar" x="{fr.ml}" y="{y + 12}" width="{_f(fr.x(r.bought_mwh / 1e3) - fr.ml)}" '
                        f'height="8" fill="#9aa3ad"><title>bought {fmt_energy(r.bought_mwh)}</title></rect>')
    return (fr.svg() + "<table><tr><th>market</th><th>node</th><th>sold (export)</th><th>bought (import)</th>"
            f"<th>net revenue per year</th></tr>{rows}</table>")


def _cbam_panel(data: dict, scenario, why: str) -> str:
    if scenario is None:
        return f"<p class='warn'>CBAM matching not computed: {_e(why)}.</p>"
    from silkgrid.analysis import cbam_cost, hourly_matching, matching_shares

    path, how = cbam_path(scenario)
    if path is None:
        return f"<p class='warn'>CBAM matching not computed: {_e(how)}.</p>"
    res = as_result(data)
    try:
        c = cbam_cost(res, scenario, path)
        h = hourly_matching(res, scenario, path)
    except SilkGridError as exc:
        return f"<p class='warn'>CBAM matching not computed for path {_e(' → '.join(path))}: {_e(exc)}.</p>"
    shares = matching_shares(h)
    share = c["matched_share"] if c["exported_mwh"] >= NEGLIGIBLE_MWH else float("nan")
    rows = "".join(f"<tr><td>{_e(r.period)}</td><td>{fmt_energy(r.exported_mwh)}</td><td>{fmt_energy(r.matched_mwh)}</td>"
                   f"<td>{'n/a' if not math.isfinite(r.matched_share) or r.exported_mwh < NEGLIGIBLE_MWH else f'{r.matched_share:.1%}'}</td></tr>"
                   for r in shares.itertuples())
    head = (f"<p>Path {_e(' → '.join(c['path']))} ({_e(how)}); contracted producers: "
            f"{_e(', '.join(c['contracted_generators']) or 'none')}.</p>"
            f"<p><b>Hourly matched share: {'n/a (nothing exported)' if not math.isfinite(share) else f'{share:.1%}'}"
            f"</b> of {fmt_energy(c['exported_mwh'])} exported. Certificate cost at "
            f"{c['ets_price_eur_per_t']:.0f} EUR/t: default {fmt_eur(c['default_certificate_cost_eur'])}, "
            f"with hourly matching {fmt_eur(c['matched_certificate_cost_eur'])} (saving {fmt_eur(c['saving_eur'])}).</p>")
    warn = "".join(f"<p class='warn'>{_e(w)}</p>" for w in c.get("warnings", []))
    # hourly matched share over time (weekly means) as a small chart
    ex = h["exported_mwh"]
    chart = ""
    if ex.sum() >= NEGLIGIBLE_MWH:
        wk = h[["exported_mwh", "matched_mwh"]].resample("D").sum()
        wk = wk[wk["exported_mwh"] > 0]
        if len(wk) > 1:
            x = np.asarray((wk.index - wk.index[0]) / pd.Timedelta(days=1), dtype=float)
            fr = _Frame(900, 200, 0, max(x[-1], 1.0), 0, 100, ylabel="% matched", cls="chart cbam",
                        xlabel=f"days from {wk.index[0]:%Y-%m-%d} (daily matched share of exports)")
            fr.polyline(x, (wk["matched_mwh"] / wk["exported_mwh"] * 100).to_numpy(), "#11a579", 1.8)
            chart = fr.svg()
    return (head + warn + chart + "<table><tr><th>period</th><th>exported</th><th>matched</th>"
            f"<th>matched share</th></tr>{rows}</table><p class='note'>Only the hourly-matching condition of "
            "CBAM Annex IV is evaluated (PPA, congestion and nomination conditions are assumed to hold): an "
            "upper bound. See docs/analysis.md.</p>")


def cost_table(data: dict, scenario) -> pd.DataFrame | None:
    if scenario is None:
        return None
    from silkgrid.analysis import cost_components
    from silkgrid.analysis.costs import COMPONENTS

    df = cost_components(as_result(data), scenario)
    by = df.groupby("technology", sort=False)[[*COMPONENTS, "total_eur"]].sum(min_count=1).fillna(0.0)
    return by.loc[by[list(COMPONENTS)].abs().sum(axis=1) > 1.0]


def _cost_panel(data: dict, scenario, why: str) -> str:
    s = data["summary"]
    head = (f"<p><b>Total system cost: {fmt_eur(s.get('total_cost_eur'))} per year</b> (optimised "
            f"{fmt_eur(s.get('objective_eur'))} + fixed cost of existing capacity "
            f"{fmt_eur(s.get('fixed_cost_existing_eur'))}).</p>")
    by = cost_table(data, scenario)
    if by is None:
        return head + f"<p class='warn'>Cost breakdown not computed: {_e(why)}.</p>"
    from silkgrid.analysis.costs import COMPONENTS

    comps = [c for c in COMPONENTS if by[c].abs().sum() > 1.0]
    names = {c: c.removesuffix("_eur").replace("_", " ") for c in comps}
    colours = dict(zip(comps, ["#3969ac", "#7f3c8d", "#f2b701", "#e68310", "#4b4b8f", "#e73f74", "#11a579"]))
    lo = float(by[comps].clip(upper=0).sum(axis=1).min()) / 1e6
    hi = float(by[comps].clip(lower=0).sum(axis=1).max()) / 1e6
    n = len(by)
    W, H = 900, 300
    fr = _Frame(W, H, 0, max(n, 1), min(lo, 0.0), max(hi, 1e-6), ylabel="M EUR per year", cls="chart costs",
                xticks=[i + 0.5 for i in range(n)], xtick_labels=list(by.index))
    bw = (fr.x(1) - fr.x(0)) * 0.6
    for i, (tech, row) in enumerate(by.iterrows()):
        pos = neg = 0.0
        for c in comps:
            v = float(row[c]) / 1e6
            if abs(v) < 1e-9:
                continue
            a, b = (pos, pos + v) if v > 0 else (neg + v, neg)
            if v > 0:
                pos += v
            else:
                neg += v
            fr.parts.append(f'<rect class="bar" x="{_f(fr.x(i + 0.5) - bw / 2)}" y="{_f(fr.y(b))}" width="{_f(bw)}" '
                            f'height="{_f(max(fr.y(a) - fr.y(b), 0.3))}" fill="{colours[c]}">'
                            f'<title>{_e(f"{tech} {names[c]}: {v:,.1f} M EUR/yr")}</title></rect>')
    fr.parts.append(f'<line x1="{fr.ml}" x2="{W - fr.mr}" y1="{_f(fr.y(0))}" y2="{_f(fr.y(0))}" stroke="#333"/>')
    rows = "".join(f"<tr><td>{_e(t)}</td>" + "".join(f"<td>{r[c] / 1e6:,.1f}</td>" for c in comps)
                   + f"<td><b>{r['total_eur'] / 1e6:,.1f}</b></td></tr>" for t, r in by.iterrows())
    table = ("<table><tr><th>technology (M EUR/yr)</th>" + "".join(f"<th>{_e(names[c])}</th>" for c in comps)
             + f"<th>total</th></tr>{rows}</table>")
    return (head + fr.svg() + _legend({names[c]: colours[c] for c in comps}) + table
            + f"<p class='note'>From silkgrid.analysis.cost_components ({_e(why)}); market: purchases − "
              "sales at the market price (negative: export revenue).</p>")


def _provenance_panel(data: dict, why: str) -> str:
    s, meta = data["summary"], data["network"].get("scenario", {})
    snaps = s.get("snapshots", {})
    solver = s.get("solver", {})
    rows = [("Scenario", s.get("scenario")), ("Description", meta.get("description") or "-"),
            ("Weather", s.get("weather") or "-"), ("Scenario source", meta.get("source") or "-"),
            ("Status", f"{s.get('status')}: {s.get('message', '')}"),
            ("Snapshots", f"{snaps.get('count')} from {snaps.get('first')}, weighted to "
                          f"{snaps.get('hours_per_year_weight', 0):,.0f} h/yr"),
            ("Solver", f"HiGHS {solver.get('method', '?')}, {solver.get('solve_seconds', 0):.1f} s"),
            ("Cost data", why)]
    body = "".join(f"<tr><td>{_e(k)}</td><td style='text-align:left'>{_e(v)}</td></tr>" for k, v in rows)
    return (f"<table>{body}</table><p>Sources of the input data: run <code>silkgrid info corridor --sources</code> "
            "(and <code>--assumptions</code> for the values resting on assumptions). Units and table "
            "definitions: docs/results.md; metric definitions: docs/analysis.md.</p>")


# ----------------------------------------------------------------------------------------
def build_html(data: dict, *, week: int = 1, scenario=None, why: str = "") -> str:
    """The report as one HTML string (no scripts, no external references)."""
    s = data["summary"]
    # tables are written only for an optimal solution or a feasible plan with a proven gap
    # (Result.has_plan); the latter gets a banner
    plan = s.get("status") != "optimal"
    if not data["tables"]:
        raise SilkGridError(f"results in '{data['path']}' are not optimal (status {s.get('status')}); "
                            "there is nothing to report")
    if not data["network"]:
        raise SilkGridError(f"'{data['path']}' has no network.json (written by SilkGrid 0.1 since the report "
                            "was added); run the scenario again to write it")
    title = f"SilkGrid report: {s.get('scenario')}"
    sections = [
        ("map", "Corridor map", _map_panel(data)),
        ("capacity", "Capacity mix by node", _capacity_panel(data)),
        ("dispatch", f"Dispatch, week {week}", _dispatch_panel(data, week)),
        ("prices", "Price duration curves", _price_panel(data)),
        ("exports", "Exports: energy into each market", _export_panel(data)),
        ("cbam", "CBAM: hourly matched share of exports", _cbam_panel(data, scenario, why)),
        ("costs", "Cost breakdown", _cost_panel(data, scenario, why)),
        ("provenance", "Data provenance", _provenance_panel(data, why)),
    ]
    body = "".join(f'<section id="{sid}"><h2>{_e(h)}</h2>{content}</section>' for sid, h, content in sections)
    desc = data["network"].get("scenario", {}).get("description", "")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{_e(title)}</title><style>{_CSS}</style></head>"
            f"<body><header><h1>{_e(title)}</h1><p>{_e(desc)}</p><p>Weather: {_e(s.get('weather') or '-')}. "
            f"Total system cost {fmt_eur(s.get('total_cost_eur'))}/yr; demand {fmt_energy(s.get('demand_mwh'))}/yr; "
            f"emissions {s.get('emissions_t', 0) / 1e6:,.2f} Mt CO2/yr.</p>{_plan_warning(s) if plan else ''}"
            f"</header><main>{body}</main></body></html>\n")


def _plan_warning(s: dict) -> str:
    """The banner of a feasible plan whose optimality is proven only to a gap."""
    solver = s.get("solver") or {}
    return (f"<p class='warn' id='plan-warning'>Feasible plan, not proven optimal: the decomposed solve "
            f"stopped at its {_e(str(s.get('status')).replace('_', ' '))} with a proven gap of "
            f"{solver.get('gap', 0):.2%} (the optimum costs at least {fmt_eur(solver.get('lower_bound'))}/yr "
            f"before fixed costs of existing capacity; this plan {fmt_eur(solver.get('upper_bound'))}/yr).</p>")


def write_figures(data: dict, directory: Path, *, week: int = 1, scenario=None) -> list[Path]:
    """PNG versions of the key charts in ``directory`` (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    for old in [*directory.glob("dispatch_week*.png"), *(directory / n for n in FIGURES)]:
        old.unlink(missing_ok=True)  # no stale charts from an earlier report
    written = []

    def save(fig, name):
        p = directory / name
        fig.tight_layout()
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)

    # map
    net = data["network"]
    pos = {n["id"]: (n["lon"], n["lat"]) for n in net.get("nodes", []) if n.get("lat") is not None
           and n.get("lon") is not None}
    if pos:
        from silkgrid.data.geo import load_countries

        fig, ax = plt.subplots(figsize=(9, 4.5))
        for f in load_countries()["features"]:
            g = f["geometry"]
            for poly in (g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]):
                xy = np.asarray(poly[0])
                ax.fill(xy[:, 0], xy[:, 1], color="#eeeae0", ec="#999", lw=0.5)
        lt = data["tables"]["links"]
        mx = float(lt["total_mw"].max()) if len(lt) else 1.0
        cmap = plt.get_cmap("RdYlBu_r")
        for r in lt.itertuples():
            if r.from_node in pos and r.to_node in pos:
                (x1, y1), (x2, y2) = pos[r.from_node], pos[r.to_node]
                ax.plot([x1, x2], [y1, y2], lw=1 + 7 * r.total_mw / (mx or 1), color=cmap(r.utilisation),
                        solid_capstyle="round")
        for nid, (x, y) in pos.items():
            ax.plot(x, y, "o", color="#17324d", ms=7)
            ax.annotate(nid, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=9, weight="bold")
        xs, ys = zip(*pos.values())
        ax.set_xlim(min(xs) - 4, max(xs) + 4)
        ax.set_ylim(min(ys) - 3, max(ys) + 3)
        ax.set_aspect(1 / math.cos(math.radians(np.mean(ys))))
        ax.set_title("Corridor: link width ∝ capacity, colour = utilisation")
        save(fig, "map.png")
    cap = capacity_by_node(data)
    if not cap.empty:
        fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * len(cap)))
        colours = _colour_map(cap.columns)
        (cap / 1e3).plot.barh(stacked=True, ax=ax, color=[colours[c] for c in cap.columns])
        ax.invert_yaxis()
        ax.set_xlabel("GW")
        ax.set_title("Capacity mix by node")
        save(fig, "capacity_mix.png")
    snaps = week_slice(data, week)
    per_node = {n["id"]: dispatch(data, n["id"], snaps) for n in net.get("nodes", [])}
    per_node = {k: v for k, v in per_node.items()  # leave out nodes with neither generation nor demand
                if len(v[0].columns) or (v[1] is not None and float(v[1].abs().max()) > 1e-6)} or per_node
    fig, axes = plt.subplots(len(per_node), 1, figsize=(9, 2.2 * len(per_node)), sharex=True, squeeze=False)
    for ax, (node, (df, demand)) in zip(axes[:, 0], per_node.items()):
        if len(df.columns):
            cm = _colour_map([c.replace(" (discharge)", "") for c in df.columns])
            ax.stackplot(df.index, *(df[c].to_numpy() for c in df.columns), labels=list(df.columns),
                         colors=[cm[c.replace(" (discharge)", "")] for c in df.columns])
        if demand is not None:
            ax.plot(demand.index, demand.to_numpy(), color="k", lw=1.2, label="demand")
        ax.set_ylabel(f"{node}\nMW")
        ax.legend(fontsize=7, loc="upper right", ncol=3)
    axes[0, 0].set_title(f"Dispatch, week {week}")
    save(fig, f"dispatch_week{week}.png")
    curves = price_duration(data)
    if curves:
        fig, ax = plt.subplots(figsize=(8, 4))
        for node, (x, v) in curves.items():
            ax.step(np.r_[0, x], np.r_[v[0], v], where="pre", label=node)
        ax.set_xlabel("hours per year at or above the price")
        ax.set_ylabel("EUR/MWh")
        ax.legend()
        ax.set_title("Price duration curves")
        save(fig, "price_duration.png")
    by = cost_table(data, scenario)
    if by is not None and len(by):
        from silkgrid.analysis.costs import COMPONENTS

        comps = [c for c in COMPONENTS if by[c].abs().sum() > 1.0]
        fig, ax = plt.subplots(figsize=(8, 4))
        (by[comps] / 1e6).rename(columns=lambda c: c.removesuffix("_eur")).plot.bar(stacked=True, ax=ax)
        ax.set_ylabel("M EUR per year")
        ax.set_title("Cost breakdown by technology")
        save(fig, "costs.png")
    return written


def write_report(directory: str | Path, out: str | Path | None = None, *, week: int = 1, scenario=None,
                 figures: bool = True) -> Path:
    """Write ``report.html`` (or ``out``) for a results directory, and PNGs to ``DIR/figures/``.

    ``scenario`` (the :class:`~silkgrid.scenario.schema.Scenario` that was solved) is needed for
    the cost breakdown and the CBAM panel; without it the scenario is reloaded from the source
    recorded in ``network.json``, and where that is impossible the panels say why.
    """
    directory = Path(directory)
    data = read_dir(directory)
    if scenario is not None:
        why = f"cost data from the scenario '{scenario.name}' as solved"
    elif data["network"]:
        scenario, why = reload_scenario(data)
    else:
        why = "no network.json"
    text = build_html(data, week=week, scenario=scenario, why=why)
    path = Path(out) if out is not None else directory / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if figures:
        write_figures(data, directory / "figures", week=week, scenario=scenario)
    return path
