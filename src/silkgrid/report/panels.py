"""The report's panels, public: each takes a :class:`~silkgrid.results.Result` and returns HTML.

The HTML report (:mod:`silkgrid.report.page`) and the web dashboard (:mod:`silkgrid.web.app`)
draw the same figures from these functions.  A panel whose data is missing says why instead of
failing; :class:`~silkgrid.core.errors.SilkGridError` is raised only for a bad request (a week
outside the horizon).  The data helpers (:func:`capacity_by_node`, :func:`week_slice`,
:func:`dispatch`, :func:`price_duration`, :func:`cost_table`) are plain pandas, shared with the
PNG figures (:mod:`silkgrid.report.figures`).

>>> from silkgrid.results import Result
>>> from silkgrid.report.panels import capacity_panel
>>> html = capacity_panel(Result.from_dir("results/example"))       # doctest: +SKIP
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from silkgrid.analysis import (cost_components, delivered_cost, matching_shares, trace_flows, traced_cbam,
                               traced_matching)
from silkgrid.analysis.costs import COMPONENTS
from silkgrid.core.errors import SilkGridError
from silkgrid.report.formatting import fmt_energy, fmt_eur, fmt_fixed, fmt_mw, fmt_price, solver_name
from silkgrid.report.geomap import map_panel
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, colour_map, node_colours, tech_colour
from silkgrid.report.svg import Frame, esc, legend, nice_ticks, num, tick_label
from silkgrid.results import Result

__all__ = ["map_panel", "capacity_panel", "dispatch_panel", "storage_panel", "price_panel", "export_panel",
           "delivered_cost_html", "cbam_panel",
           "cost_panel", "provenance_panel", "capacity_by_node", "week_slice", "n_weeks", "dispatch",
           "price_duration", "cost_table", "scenario_note", "solver_text", "week_axis", "NEGLIGIBLE_MWH", "WEEK_CHART"]

#: Exports below this (MWh/yr) are solver round-off: no matched share is shown for them.
NEGLIGIBLE_MWH = 1.0
#: (width, height) px of a week chart (dispatch, storage) drawn alone; side by side, dispatch charts are 560 wide.
WEEK_CHART = (900, 230)
#: Why the cost and CBAM panels are missing for a directory written before results carried their scenario.
NO_SCENARIO = ("the result directory holds no scenario.json (written by an older SilkGrid); "
               "run the scenario again to get the cost and CBAM panels")


# ----------------------------------------------------------------------------------------
# data helpers (plain pandas, shared by the HTML and the PNG figures)
# ----------------------------------------------------------------------------------------
def capacity_by_node(result: Result) -> pd.DataFrame:
    """MW by node (rows) and technology (columns): generators' total_mw + storage power."""
    g = result.tables.get("generators")
    s = result.tables.get("storage")
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
    nodes = [n["id"] for n in result.network.get("nodes", [])] or list(wide.index)
    return wide.reindex([n for n in nodes if n in wide.index])


def n_weeks(result: Result) -> int:
    """Weeks of the modelled horizon (the last one possibly partial)."""
    idx = result.snapshots
    return int((idx[-1] - idx[0]) / pd.Timedelta(days=7)) + 1 if len(idx) else 0


def week_slice(result: Result, week: int) -> pd.DatetimeIndex:
    """Snapshots of week ``week`` (1 = the first seven days of the modelled horizon)."""
    idx = result.snapshots
    if week < 1:
        raise SilkGridError(f"week {week}: weeks are numbered from 1")
    start = idx[0] + pd.Timedelta(days=7 * (week - 1))
    sel = idx[(idx >= start) & (idx < start + pd.Timedelta(days=7))]
    if not len(sel):
        raise SilkGridError(f"week {week} is outside the modelled horizon ({idx[0]:%Y-%m-%d} to "
                            f"{idx[-1]:%Y-%m-%d}, {n_weeks(result)} week(s)); choose --week 1 to {n_weeks(result)}")
    return sel


def week_axis(snaps: pd.DatetimeIndex) -> tuple[np.ndarray, float, list[float], list[str]]:
    """The time axis shared by the dispatch and storage charts of one week: hours since the week's
    first snapshot, the x maximum (h, at least 1), tick positions (h, one per day) and their labels."""
    hours = np.asarray((snaps - snaps[0]) / pd.Timedelta(hours=1), dtype=float)
    xmax = max(float(hours[-1]), 1.0)
    ticks = [d * 24.0 for d in range(8) if d * 24.0 <= xmax + 1e-9]
    return hours, xmax, ticks, [f"{(snaps[0] + pd.Timedelta(hours=h)):%a %d}" for h in ticks]


def dispatch(result: Result, node: str, snaps: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series | None]:
    """Per technology MW at ``node`` (generation, then storage discharge) and demand MW."""
    t, h = result.tables, result.hourly
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


def price_duration(result: Result) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per node: (cumulative hours, price sorted high to low)."""
    p = result.hourly.get("price_eur_per_mwh")
    if p is None:
        return {}
    w = np.asarray(result.weights, dtype=float)
    if len(w) != len(p):
        w = np.ones(len(p))
    out = {}
    for node in p.columns:
        v = p[node].to_numpy()
        order = np.argsort(-v, kind="stable")
        out[node] = (np.cumsum(w[order]), v[order])
    return out


def cost_table(result: Result) -> pd.DataFrame | None:
    """EUR/yr by technology (rows) and cost component (columns, plus ``total_eur``); None when
    the result carries no scenario (:func:`scenario_note` says why)."""
    if result.scenario is None:
        return None
    df = cost_components(result, result.scenario)
    by = df.groupby("technology", sort=False)[[*COMPONENTS, "total_eur"]].sum(min_count=1).fillna(0.0)
    return by.loc[by[list(COMPONENTS)].abs().sum(axis=1) > 1.0]


def scenario_note(result: Result) -> str:
    """Where the cost data of the cost and CBAM panels comes from, or why there is none."""
    if result.scenario is None:
        return NO_SCENARIO
    return f"cost data from the scenario '{result.scenario.name}' as solved"


def solver_text(solver: dict) -> str:
    """``'Clarabel (interior point), monolithic, 12.3 s'``: the solver that ran
    (:func:`~silkgrid.report.formatting.solver_name`); a decomposed solve adds its proven gap."""
    parts = [solver_name(solver)]
    parts.append(f"{solver.get('solve_seconds') or 0:.1f} s")
    if solver.get("method") == "decomposed" and solver.get("gap") is not None:
        parts.append(f"proven gap {solver['gap'] * 100:.2f} %")
    return ", ".join(parts)


# ----------------------------------------------------------------------------------------
# panels
# ----------------------------------------------------------------------------------------
def capacity_panel(result: Result) -> str:
    """Stacked horizontal bars (``rect.bar``): MW by technology per node, and a legend."""
    cap = capacity_by_node(result)
    if cap.empty:
        return "<p class='note'>No generation or storage capacity.</p>"
    colours = colour_map(cap.columns)
    row_h, W = 30, 900
    H = 40 + row_h * len(cap)
    tot = float(cap.sum(axis=1).max()) or 1.0
    fr = Frame(W, H, 0, tot, 0, 1, xlabel="MW (generators: total capacity; storage: power)")
    fr.parts = fr.parts[:1]  # no y grid: categorical rows
    fr.ml, fr.mr = 80, 60  # room for the total at the end of the longest bar
    ticks = [t for t in nice_ticks(0, tot, 6) if t <= tot * 1.0001]
    for t in ticks:
        x = fr.x(t)
        fr.parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="6" y2="{H - fr.mb}" stroke="#e3e6ea"/>'
                        f'<text x="{num(x)}" y="{H - fr.mb + 14}" text-anchor="middle">{tick_label(t)}</text>')
    fr.parts.append(f'<text x="{(fr.ml + W) / 2}" y="{H - 4}" text-anchor="middle">'
                    'MW (generators: total capacity; storage: power)</text>')
    for i, (node, row) in enumerate(cap.iterrows()):
        y = 8 + i * row_h
        fr.parts.append(f'<text x="{fr.ml - 6}" y="{y + 15}" text-anchor="end" font-weight="bold">{esc(node)}</text>')
        acc = 0.0
        for tech, mw in row.items():
            if mw <= 0:
                continue
            x0, x1 = fr.x(acc), fr.x(acc + mw)
            fr.parts.append(f'<rect class="bar" x="{num(x0)}" y="{y}" width="{num(max(x1 - x0, 0.5))}" height="22" '
                            f'fill="{colours[tech]}"><title>{esc(f"{node} {tech}: {fmt_mw(mw)} MW")}</title></rect>')
            acc += mw
        fr.parts.append(f'<text x="{num(fr.x(acc) + 4)}" y="{y + 15}">{acc:,.0f}</text>')
    return fr.svg() + legend(colours)


def dispatch_panel(result: Result, week: int = 1, *, nodes: list[str] | None = None) -> str:
    """One ``svg.dispatch`` per node (all nodes, or ``nodes``): stacked generation and storage
    discharge (``polygon.area``), demand as a line.  Raises for a week outside the horizon."""
    snaps = week_slice(result, week)
    hours, xmax, xt, xl = week_axis(snaps)
    out = [f"<p class='note'>Week {week}: {snaps[0]:%Y-%m-%d %H:%M} to {snaps[-1]:%Y-%m-%d %H:%M} "
           f"({len(snaps)} snapshots). Stacked: generation by technology and storage discharge; black line: "
           "demand of the node's loads. Export, import and storage charging are the gap between the stack "
           "and the line.</p><div class='grid'>"]
    all_techs = []
    per_node = {}
    ids = [n["id"] for n in result.network.get("nodes", [])] or list(result.tables["nodes"]["id"])
    for node in ids if nodes is None else [i for i in ids if i in nodes]:
        df, demand = dispatch(result, node, snaps)
        per_node[node] = (df, demand)
        all_techs += [c for c in df.columns if c not in all_techs]
    colours = colour_map(all_techs)  # a discharge layer takes its technology's colour
    width, height = WEEK_CHART if len(per_node) == 1 else (560, WEEK_CHART[1])
    for node, (df, demand) in per_node.items():
        top = float(df.sum(axis=1).max()) if len(df.columns) else 0.0
        if demand is not None:
            top = max(top, float(demand.max()))
        fr = Frame(width, height, 0, xmax, 0, max(top, 1.0), ylabel="MW", cls="chart dispatch",
                   title=f"{node}", xticks=xt, xtick_labels=xl)
        acc = np.zeros(len(snaps))
        for tech in df.columns:
            v = df[tech].to_numpy()
            fr.band(hours, acc, acc + v, colours[tech], title=f"{node} {tech}")
            acc = acc + v
        if demand is not None:
            fr.polyline(hours, demand.to_numpy(), DEMAND_COLOUR, 1.6, title=f"{node} demand")
        if not len(df.columns) and (demand is None or float(demand.abs().max()) < 1e-6):
            fr.parts.append(f'<text x="{width / 2:.0f}" y="110" text-anchor="middle">no generation or demand</text>')
        out.append(f"<div>{fr.svg()}</div>")
    out.append("</div>")
    return "".join(out) + legend({**colours, "demand": DEMAND_COLOUR})


def storage_panel(result: Result, node: str, week: int = 1) -> str:
    """``svg.storage``: state of charge of each store at ``node`` over week ``week``, coloured by
    technology (dashed for a second store of the same technology), on the time axis of the dispatch
    chart of the node (:func:`week_axis`, same size :data:`WEEK_CHART`)."""
    s = result.tables.get("storage")
    soc = result.hourly.get("storage_energy_mwh")
    if s is None or soc is None or not len(s[s["node"] == node]):
        return f"<p class='note'>No storage at {esc(node)}.</p>"
    snaps = week_slice(result, week)
    ids = [i for i in s.loc[s["node"] == node, "id"] if i in soc.columns]
    hours, xmax, xt, xl = week_axis(snaps)
    top = max(float(soc.loc[snaps, ids].to_numpy().max()) if ids else 0.0, 1.0)
    fr = Frame(*WEEK_CHART, 0, xmax, 0, top, ylabel="MWh", cls="chart storage",
               title=f"{node}: storage state of charge", xticks=xt, xtick_labels=xl)
    tech = s.set_index("id")["technology"]
    colours, seen = {}, {}
    for sid in ids:
        t = str(tech[sid])
        c = tech_colour(t)
        colours[f"{sid} ({t})"] = c
        seen[t] = seen.get(t, 0) + 1
        fr.polyline(hours, soc.loc[snaps, sid].to_numpy(), c, 1.8, title=f"{sid} ({t})")
        if seen[t] > 1:  # a second store of the same technology: dashed
            fr.parts[-1] = fr.parts[-1].replace("<polyline ", '<polyline stroke-dasharray="6 3" ', 1)
    return fr.svg() + legend(colours)


def price_panel(result: Result) -> str:
    """Price duration curves, one line per node, and a table of max / mean / min."""
    curves = price_duration(result)
    if not curves:
        return "<p class='note'>No prices: the solver returned no duals.</p>"
    lo = min(float(v.min()) for _, v in curves.values())
    hi = max(float(v.max()) for _, v in curves.values())
    xmax = max(float(x[-1]) for x, _ in curves.values())
    fr = Frame(900, 300, 0, xmax, min(lo, 0.0), max(hi, 1.0), xlabel="hours per year at or above the price",
               ylabel="EUR/MWh", cls="chart prices")
    order = [n["id"] for n in result.network.get("nodes", [])]
    colours = node_colours([*order, *(n for n in curves if n not in order)])
    colours = {n: colours[n] for n in curves}
    for node, (x, v) in curves.items():
        c = colours[node]
        xs = np.concatenate([[0.0], x])
        vs = np.concatenate([[v[0]], v])
        fr.polyline(xs, vs, c, 1.8, title=f"{node}")
    stats = "".join(f"<tr><td>{esc(n)}</td><td>{v.max():,.1f}</td><td>{np.average(v, weights=np.diff(np.r_[0, x])):,.1f}"
                    f"</td><td>{v.min():,.1f}</td></tr>" for n, (x, v) in curves.items())
    return (fr.svg() + legend(colours) + "<table><tr><th>node</th><th>max</th><th>time-weighted mean</th>"
            f"<th>min EUR/MWh</th></tr>{stats}</table>")


def export_panel(result: Result) -> str:
    """Energy sold into / bought from each market per year (bars and table)."""
    m = result.tables.get("markets")
    if m is None or not len(m):
        return "<p class='note'>The scenario has no external markets.</p>"
    rows = "".join(f"<tr><td>{esc(r.id)}</td><td>{esc(r.node)}</td><td>{fmt_energy(r.sold_mwh)}</td>"
                   f"<td>{fmt_energy(r.bought_mwh)}</td><td>{fmt_eur(r.revenue_eur)}</td></tr>" for r in m.itertuples())
    W, row_h = 900, 30
    top = max(float(max(m["sold_mwh"].max(), m["bought_mwh"].max())) / 1e3, 1.0)
    H = 46 + row_h * len(m)
    fr = Frame(W, H, 0, top, 0, 1, xlabel="GWh per year")
    fr.parts = fr.parts[:1]
    fr.ml = 110
    for t in [t for t in nice_ticks(0, top, 6) if t <= top * 1.0001]:
        x = fr.x(t)
        fr.parts.append(f'<line x1="{num(x)}" x2="{num(x)}" y1="4" y2="{H - fr.mb}" stroke="#e3e6ea"/>'
                        f'<text x="{num(x)}" y="{H - fr.mb + 14}" text-anchor="middle">{tick_label(t)}</text>')
    fr.parts.append(f'<text x="{(fr.ml + W) / 2}" y="{H - 4}" text-anchor="middle">GWh per year '
                    '(blue: sold into the market; grey: bought from it)</text>')
    for i, r in enumerate(m.itertuples()):
        y = 6 + i * row_h
        fr.parts.append(f'<text x="{fr.ml - 6}" y="{y + 15}" text-anchor="end" font-weight="bold">{esc(r.id)}</text>'
                        f'<rect class="bar" x="{fr.ml}" y="{y}" width="{num(fr.x(r.sold_mwh / 1e3) - fr.ml)}" '
                        f'height="12" fill="#3b8bc2"><title>sold {fmt_energy(r.sold_mwh)}</title></rect>'
                        f'<rect class="bar" x="{fr.ml}" y="{y + 12}" width="{num(fr.x(r.bought_mwh / 1e3) - fr.ml)}" '
                        f'height="8" fill="#9aa3ad"><title>bought {fmt_energy(r.bought_mwh)}</title></rect>')
    return (fr.svg() + "<table><tr><th>market</th><th>node</th><th>sold (export)</th><th>bought (import)</th>"
            f"<th>net revenue per year</th></tr>{rows}</table>" + delivered_cost_html(result))


def _mix(mix: dict) -> str:
    items = sorted(mix.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{esc(k)} {v:.0%}" for k, v in items if v >= 0.005) or "-"


def delivered_cost_html(result: Result) -> str:
    """The traced delivered cost at the EU landing point: figure, segment split and origin mix."""
    scenario = result.scenario
    if scenario is None:
        return f"<p class='warn'>Delivered cost not computed: {esc(scenario_note(result))}.</p>"
    try:
        dc = delivered_cost(result, scenario)
    except SilkGridError as exc:
        return f"<p class='warn'>Delivered cost not computed: {esc(exc)}.</p>"
    if not dc["destinations"] or dc["delivered_mwh"] < NEGLIGIBLE_MWH:
        return "<p class='note'>Delivered cost: nothing lands in the EU nodes (corridor.eu_nodes).</p>"
    segs = "".join(f"<tr><td>{esc(k)}</td><td>{fmt_fixed(v)}</td><td>{fmt_fixed(dc['segments_eur'][k] / 1e6)}</td></tr>"
                   for k, v in dc["segments_eur_per_mwh"].items()
                   if abs(v) >= 0.05 or k in ("generation", "losses"))  # sunk existing links cost 0
    return (f"<p><b>Delivered cost at the landing point ({esc(', '.join(dc['landing_nodes']))}): "
            f"{fmt_price(dc['delivered_cost_eur_per_mwh'])}</b> on {fmt_energy(dc['delivered_mwh'])} per year "
            f"landed, costed from the traced origin of the energy (proportional sharing).</p>"
            f"<p>Origin by country: {_mix(dc['origin_by_country'])}.<br>Origin by technology: "
            f"{_mix(dc['origin_by_technology'])}.</p><table><tr><th>segment</th><th>EUR/MWh</th>"
            f"<th>M EUR per year</th></tr>{segs}</table><p class='note'>generation: the producers' cost per MWh "
            "(capex annuity of new capacity, O&amp;M, fuel, CO2); losses: the energy lost on the way at that "
            "cost; each link: its yearly cost x its share of the link's energy. See docs/analysis.md.</p>")


def _share(x: float, exported: float) -> str:
    return "n/a" if not math.isfinite(x) or exported < NEGLIGIBLE_MWH else f"{x:.1%}"


def cbam_panel(result: Result) -> str:
    """CBAM of the energy landed in the EU, by traced origin: hourly matched share, default factors
    per origin country, certificate cost, monthly shares and a daily chart; a warning saying why
    where it cannot be computed."""
    scenario = result.scenario
    if scenario is None:
        return f"<p class='warn'>CBAM matching not computed: {esc(scenario_note(result))}.</p>"
    try:
        trace = trace_flows(result, scenario)
        if not len(trace.select("eu_border")):
            return "<p class='warn'>CBAM matching not computed: no link enters the EU nodes (corridor.eu_nodes).</p>"
        c = traced_cbam(result, scenario, trace=trace)
        h = traced_matching(result, scenario, trace=trace)
    except SilkGridError as exc:
        return f"<p class='warn'>CBAM matching not computed: {esc(exc)}.</p>"
    shares = matching_shares(h)
    share = c["matched_share"] if c["exported_mwh"] >= NEGLIGIBLE_MWH else float("nan")
    rows = "".join(f"<tr><td>{esc(r.period)}</td><td>{fmt_energy(r.exported_mwh)}</td><td>{fmt_energy(r.matched_mwh)}</td>"
                   f"<td>{_share(r.matched_share, r.exported_mwh)}</td></tr>" for r in shares.itertuples())
    origins = "".join(f"<tr><td>{esc(k)}</td><td>{fmt_energy(v['delivered_mwh'])}</td><td>{v['share']:.1%}</td>"
                      f"<td>{v['factor_t_per_mwh']:.3f}</td><td style='text-align:left'>{esc(v['method'])}"
                      f"{' (assumption)' if v['assumption'] else ''}</td></tr>"
                      for k, v in c["origin_countries"].items())
    ids = c["contracted_generators"]
    named = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more (metrics.json: cbam.contracted_generators)"
                                  if len(ids) > 6 else "")
    head = (f"<p>Origin traced by proportional sharing; contracted producers ({len(ids)}): "
            f"{esc(named or 'none')}.</p>"
            f"<p><b>Hourly matched share: {'n/a (nothing exported)' if not math.isfinite(share) else f'{share:.1%}'}"
            f"</b> of {fmt_energy(c['exported_mwh'])} landed in the EU. Certificate cost at "
            f"{c['ets_price_eur_per_t']:.0f} EUR/t: default {fmt_eur(c['default_certificate_cost_eur'])}, "
            f"with hourly matching {fmt_eur(c['matched_certificate_cost_eur'])} (saving {fmt_eur(c['saving_eur'])}).</p>"
            "<table><tr><th>origin country</th><th>landed</th><th>share</th><th>default factor t/MWh</th>"
            f"<th>factor</th></tr>{origins}</table>")
    warn = "".join(f"<p class='warn'>{esc(w)}</p>" for w in c.get("warnings", []))
    chart = ""  # daily matched share as a small chart
    if h["exported_mwh"].sum() >= NEGLIGIBLE_MWH:
        wk = h[["exported_mwh", "matched_mwh"]].resample("D").sum()
        wk = wk[wk["exported_mwh"] > 0]
        if len(wk) > 1:
            x = np.asarray((wk.index - wk.index[0]) / pd.Timedelta(days=1), dtype=float)
            fr = Frame(900, 200, 0, max(x[-1], 1.0), 0, 100, ylabel="% matched", cls="chart cbam",
                       xlabel=f"days from {wk.index[0]:%Y-%m-%d} (daily matched share of exports)")
            fr.polyline(x, (wk["matched_mwh"] / wk["exported_mwh"] * 100).to_numpy(), "#11a579", 1.8)
            chart = fr.svg()
    return (head + warn + chart + "<table><tr><th>period</th><th>exported</th><th>matched</th>"
            f"<th>matched share</th></tr>{rows}</table><p class='note'>{esc(c['matching_rule'])}. Only the "
            "hourly-matching and nomination conditions of CBAM Annex IV are evaluated (the PPA and congestion "
            "conditions are assumed to hold): an upper bound. See docs/analysis.md.</p>")


def cost_panel(result: Result) -> str:
    """Total system cost, and (with the scenario) the cost components stacked by technology."""
    s = result.summary
    head = (f"<p><b>Total system cost: {fmt_eur(s.get('total_cost_eur'))} per year</b> (optimised "
            f"{fmt_eur(s.get('objective_eur'))} + fixed cost of existing capacity "
            f"{fmt_eur(s.get('fixed_cost_existing_eur'))}).</p>")
    by = cost_table(result)
    why = scenario_note(result)
    if by is None:
        return head + f"<p class='warn'>Cost breakdown not computed: {esc(why)}.</p>"
    comps = [c for c in COMPONENTS if by[c].abs().sum() > 1.0]
    names = {c: c.removesuffix("_eur").replace("_", " ") for c in comps}
    colours = {c: COMPONENT_COLOURS.get(c.removesuffix("_eur"), tech_colour(c)) for c in comps}
    lo = float(by[comps].clip(upper=0).sum(axis=1).min()) / 1e6
    hi = float(by[comps].clip(lower=0).sum(axis=1).max()) / 1e6
    n = len(by)
    W, H = 900, 300
    fr = Frame(W, H, 0, max(n, 1), min(lo, 0.0), max(hi, 1e-6), ylabel="M EUR per year", cls="chart costs",
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
            fr.parts.append(f'<rect class="bar" x="{num(fr.x(i + 0.5) - bw / 2)}" y="{num(fr.y(b))}" width="{num(bw)}" '
                            f'height="{num(max(fr.y(a) - fr.y(b), 0.3))}" fill="{colours[c]}">'
                            f'<title>{esc(f"{tech} {names[c]}: {fmt_fixed(v, 1)} M EUR/yr")}</title></rect>')
    fr.parts.append(f'<line x1="{fr.ml}" x2="{W - fr.mr}" y1="{num(fr.y(0))}" y2="{num(fr.y(0))}" stroke="#333"/>')
    rows = "".join(f"<tr><td>{esc(t)}</td>" + "".join(f"<td>{fmt_fixed(r[c] / 1e6)}</td>" for c in comps)
                   + f"<td><b>{fmt_fixed(r['total_eur'] / 1e6)}</b></td></tr>" for t, r in by.iterrows())
    table = ("<table><tr><th>technology (M EUR/yr)</th>" + "".join(f"<th>{esc(names[c])}</th>" for c in comps)
             + f"<th>total</th></tr>{rows}</table>")
    return (head + fr.svg() + legend({names[c]: colours[c] for c in comps}) + table
            + f"<p class='note'>From silkgrid.analysis.cost_components ({esc(why)}); market: purchases − "
              "sales at the market price (negative: export revenue).</p>")


def provenance_panel(result: Result) -> str:
    """Scenario, weather, source, status, snapshots, solver (method, algorithm, time, gap) and
    where the cost data comes from; pointers to the data sources."""
    s, meta = result.summary, result.network.get("scenario", {})
    snaps = s.get("snapshots", {})
    rows = [("Scenario", s.get("scenario")), ("Description", meta.get("description") or "-"),
            ("Weather", s.get("weather") or "-"), ("Scenario source", meta.get("source") or "-"),
            ("Status", f"{s.get('status')}: {s.get('message', '')}"),
            ("Snapshots", f"{snaps.get('count')} from {snaps.get('first')}, weighted to "
                          f"{snaps.get('hours_per_year_weight', 0):,.0f} h/yr"),
            ("Solver", solver_text(s.get("solver") or {})),
            ("Cost data", scenario_note(result))]
    body = "".join(f"<tr><td>{esc(k)}</td><td style='text-align:left'>{esc(v)}</td></tr>" for k, v in rows)
    return (f"<table>{body}</table><p>Sources of the input data: run <code>silkgrid info corridor --sources</code> "
            "(and <code>--assumptions</code> for the values resting on assumptions). Units and table "
            "definitions: docs/results.md; metric definitions: docs/analysis.md.</p>")
