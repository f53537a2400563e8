"""Money and trade panels of the report and the dashboard: exports and delivered cost, CBAM, costs.

Each panel takes a :class:`~silkgrid.results.Result` and returns HTML with its interactive charts
(:mod:`silkgrid.report.charts`) and tables.  The cost, delivered-cost and CBAM figures need the
scenario the result was solved with (``result.scenario``); without it the panel says why.
"""

from __future__ import annotations

import math

import pandas as pd

from silkgrid.analysis import delivered_cost, matching_shares, trace_flows, traced_cbam, traced_matching
from silkgrid.analysis.costs import COMPONENTS, cost_components
from silkgrid.core.errors import SilkGridError
from silkgrid.report.charts import cbam_daily_figure, cost_figure, export_figure
from silkgrid.report.formatting import fmt_energy, fmt_eur, fmt_fixed, fmt_price
from silkgrid.report.html import esc
from silkgrid.report.plotting import plot_div
from silkgrid.results import Result

__all__ = ["export_panel", "delivered_cost_html", "cbam_panel", "cost_panel", "cost_table", "scenario_note",
           "NEGLIGIBLE_MWH", "NO_SCENARIO"]

#: Exports below this (MWh/yr) are solver round-off: no matched share is shown for them.
NEGLIGIBLE_MWH = 1.0
#: Why the cost and CBAM panels are missing for a directory written before results carried their scenario.
NO_SCENARIO = ("the result directory holds no scenario.json (written by an older SilkGrid); "
               "run the scenario again to get the cost and CBAM panels")


def scenario_note(result: Result) -> str:
    """Where the cost data of the cost and CBAM panels comes from, or why there is none."""
    if result.scenario is None:
        return NO_SCENARIO
    return f"cost data from the scenario '{result.scenario.name}' as solved"


def cost_table(result: Result) -> pd.DataFrame | None:
    """EUR/yr by technology (rows) and cost component (columns, plus ``total_eur``); None when
    the result carries no scenario (:func:`scenario_note` says why)."""
    if result.scenario is None:
        return None
    df = cost_components(result, result.scenario)
    by = df.groupby("technology", sort=False)[[*COMPONENTS, "total_eur"]].sum(min_count=1).fillna(0.0)
    return by.loc[by[list(COMPONENTS)].abs().sum(axis=1) > 1.0]


def export_panel(result: Result) -> str:
    """Energy sold into / bought from each market per year (chart and table), and the delivered cost."""
    m = result.tables.get("markets")
    if m is None or not len(m):
        return "<p class='note'>The scenario has no external markets.</p>"
    rows = "".join(f"<tr><td>{esc(r.id)}</td><td>{esc(r.node)}</td><td>{fmt_energy(r.sold_mwh)}</td>"
                   f"<td>{fmt_energy(r.bought_mwh)}</td><td>{fmt_eur(r.revenue_eur)}</td></tr>" for r in m.itertuples())
    return (plot_div(export_figure(m), "fig-exports")
            + "<table><tr><th>market</th><th>node</th><th>sold (export)</th><th>bought (import)</th>"
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
    return (f"<p id='delivered-cost'><b>Delivered cost at the landing point ({esc(', '.join(dc['landing_nodes']))}): "
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
    fig = cbam_daily_figure(h) if h["exported_mwh"].sum() >= NEGLIGIBLE_MWH else None
    chart = plot_div(fig, "fig-cbam") if fig is not None else ""
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
    rows = "".join(f"<tr><td>{esc(t)}</td>" + "".join(f"<td>{fmt_fixed(r[c] / 1e6)}</td>" for c in comps)
                   + f"<td><b>{fmt_fixed(r['total_eur'] / 1e6)}</b></td></tr>" for t, r in by.iterrows())
    table = ("<table><tr><th>technology (M EUR/yr)</th>" + "".join(f"<th>{esc(names[c])}</th>" for c in comps)
             + f"<th>total</th></tr>{rows}</table>")
    return (head + plot_div(cost_figure(by), "fig-costs") + table
            + f"<p class='note'>From silkgrid.analysis.cost_components ({esc(why)}); market: purchases − "
              "sales at the market price (negative: export revenue).</p>")
