"""The tables ``silkgrid run`` prints: headline, capacities, flows, prices, corridor answers."""

from __future__ import annotations

import pandas as pd
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from silkgrid.report.formatting import (fmt_emissions, fmt_energy, fmt_eur_per_yr, fmt_fixed, fmt_mw, fmt_price,
                                        fmt_seconds, solver_name)
from silkgrid.results import Result
from silkgrid.workflows import proven_gap_text


def _capacity_rows(result: Result) -> list[tuple[str, str, float, float, float, str, str]]:
    rows = []
    g = result.tables.get("generators")
    if g is not None and len(g):
        agg = g.groupby("technology", sort=False)[
            ["existing_mw", "new_mw", "total_mw", "generation_mwh", "curtailment_mwh"]].sum()
        for tech, r in agg.iterrows():
            rows.append((str(tech), "generator", r.existing_mw, r.new_mw, r.total_mw,
                         fmt_energy(r.generation_mwh), fmt_energy(r.curtailment_mwh)))
    s = result.tables.get("storage")
    if s is not None and len(s):
        agg = s.groupby("technology", sort=False)[
            ["power_existing_mw", "power_new_mw", "power_total_mw", "discharged_mwh"]].sum()
        for tech, r in agg.iterrows():
            rows.append((str(tech), "storage", r.power_existing_mw, r.power_new_mw, r.power_total_mw,
                         fmt_energy(r.discharged_mwh), "-"))
    return rows


def print_headline(result: Result, console: Console) -> None:
    """The short overview printed after ``silkgrid run``."""
    summ = result.summary
    solver = summ.get("solver", {})
    ok = result.has_plan
    if result.optimal:
        status = f"[green]{result.status}[/]"
    elif ok:
        status = f"[yellow]{result.status}[/]: feasible plan, proven within {proven_gap_text(result)} of the optimum"
    else:
        status = f"[bold red]{result.status}[/]"

    head = Table(title=f"SilkGrid results: {escape(result.scenario_name)}", show_header=False,
                 title_justify="left", box=None, pad_edge=False)
    head.add_column("figure", style="bold")
    head.add_column("value")
    head.add_row("Status", status)
    if result.weather:
        head.add_row("Weather", escape(result.weather))
    if ok:
        head.add_row("Total system cost", fmt_eur_per_yr(summ.get("total_cost_eur")))
        if summ.get("fixed_cost_existing_eur"):
            head.add_row("  of which fixed cost of existing capacity",
                         fmt_eur_per_yr(summ.get("fixed_cost_existing_eur")))
        gen = summ.get("generation_mwh", {})
        cur = summ.get("curtailment_mwh", {})
        head.add_row("Demand", fmt_energy(summ.get("demand_mwh")))
        head.add_row("Generation", fmt_energy(gen.get("total")))
        head.add_row("Curtailment", fmt_energy(cur.get("total")))
        head.add_row("Unserved energy", fmt_energy(summ.get("unserved_energy_mwh")))
        head.add_row("Link losses", fmt_energy(summ.get("link_losses_mwh")))
        head.add_row("Emissions", fmt_emissions(summ.get("emissions_t")) + " /yr")
        head.add_row("CO2 price", fmt_price(summ.get("co2_price_eur_per_t"), "EUR/t"))
        shadow = summ.get("co2_shadow_price_eur_per_t")
        head.add_row("CO2 cap shadow price", fmt_price(shadow, "EUR/t") if shadow is not None else "no cap")
        caps = result.tables.get("co2_caps")
        if caps is not None:
            for _, r in caps.iterrows():
                head.add_row(f"  CO2 cap {escape(str(r.country))}",
                             f"{fmt_emissions(r.cap_t)}, shadow price {fmt_price(r.shadow_price_eur_per_t, 'EUR/t')}")
    snaps = summ.get("snapshots", {})
    head.add_row("Snapshots", f"{snaps.get('count', 0):,} (weighted to {snaps.get('hours_per_year_weight', 0):,.0f} h/yr)")
    head.add_row("Build / solve time",
                 f"{fmt_seconds(solver.get('build_seconds'))} / {fmt_seconds(solver.get('solve_seconds'))}"
                 f" ({escape(solver_name(solver))})")
    if solver.get("method") == "decomposed":
        dec = solver.get("decomposition", {})
        bound = (f"proven gap {solver['gap']:.3%}" if solver.get("gap") is not None else "no proven gap")
        head.add_row("Decomposition", f"{bound} after {dec.get('iterations', 0)} iterations; "
                                      f"{dec.get('windows', 0)} windows of {dec.get('window_hours', 0)} h "
                                      f"on {dec.get('workers', 1)} worker(s)")
        if solver.get("lower_bound") is not None and solver.get("upper_bound") is not None:
            head.add_row("  objective bounds", f"{fmt_eur_per_yr(solver['lower_bound'])} to "
                                               f"{fmt_eur_per_yr(solver['upper_bound'])}")
    elif solver.get("method") == "aggregated":
        head.add_row("Aggregated", f"[yellow]approximate[/]: {solver.get('segments')} time segments, no bound "
                                   "on the hourly optimum (docs/aggregation.md)")
    head.add_row("Problem size", f"{solver.get('variables', 0):,} variables, "
                                 f"{solver.get('constraints', 0):,} constraints, "
                                 f"{solver.get('nonzeros', 0):,} non-zeros")
    console.print(head)
    if not ok:
        return

    caps = Table(title="Capacity by technology", title_justify="left", box=box.SIMPLE_HEAD)
    caps.add_column("Technology", overflow="fold")
    caps.add_column("Kind")
    for col in ("Existing MW", "New MW", "Total MW", "Output", "Curtailment"):
        caps.add_column(col, justify="right")
    for tech, kind, ex, new, tot, gen, cur in _capacity_rows(result):
        caps.add_row(escape(tech), kind, fmt_mw(ex), fmt_mw(new), fmt_mw(tot), gen, cur)
    links = result.tables.get("links")
    if links is not None and len(links):
        for _, r in links.iterrows():
            caps.add_row(escape(f"{r.id} ({r.from_node}->{r.to_node})"), "link", fmt_mw(r.existing_mw),
                         fmt_mw(r.new_mw), fmt_mw(r.total_mw), "-", "-")
    if caps.row_count:
        console.print(caps)

    _print_new_capacity_by_node(result, console)
    _print_build_limits(result, console)
    _print_flows(result, console)

    nodes = result.tables.get("nodes")
    if nodes is not None and len(nodes):
        prices = Table(title="Nodal prices (marginal cost of demand)", title_justify="left", box=box.SIMPLE_HEAD)
        prices.add_column("Node", overflow="fold")
        prices.add_column("Country")
        prices.add_column("Average", justify="right")
        prices.add_column("Load-weighted", justify="right")
        prices.add_column("Unserved", justify="right")
        for _, r in nodes.iterrows():
            prices.add_row(escape(str(r.id)), escape(str(r.country)), fmt_price(r.mean_price_eur_per_mwh),
                           fmt_price(r.load_weighted_price_eur_per_mwh), fmt_energy(r.unserved_mwh))
        console.print(prices)


def _print_new_capacity_by_node(result: Result, console: Console) -> None:
    """New capacity (MW) by node and technology; storage power included."""
    g = result.tables.get("generators")
    s = result.tables.get("storage")
    frames = []
    if g is not None and len(g):
        frames.append(g[["node", "technology", "new_mw"]])
    if s is not None and len(s):
        frames.append(s[["node", "technology", "power_new_mw"]].rename(columns={"power_new_mw": "new_mw"}))
    if not frames:
        return
    new = pd.concat(frames).groupby(["node", "technology"], sort=False)["new_mw"].sum()
    new = new[new > 0.5]  # below 0.5 MW is solver noise at interior-point tolerances
    if new.empty:
        console.print("No new generation or storage capacity is built.")
        return
    wide = new.unstack(fill_value=0.0)
    t = Table(title="New capacity by node (MW)", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Node")
    for tech in wide.columns:
        t.add_column(escape(str(tech)), justify="right")
    for node, row in wide.iterrows():
        t.add_row(escape(str(node)), *(fmt_mw(v) if v > 0.5 else "-" for v in row))
    console.print(t)


def _print_build_limits(result: Result, console: Console) -> None:
    """The build limits that bind (what stops more capacity), with their shadow prices."""
    b = result.tables.get("build_limits")
    if b is None or not len(b):
        return
    bind = b[b["binding"]]
    if bind.empty:
        console.print(f"No build limit binds ({len(b)} limits).")
        return
    t = Table(title=f"Build limits that bind ({len(bind)} of {len(b)})", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Limit", "New MW allowed", "Value of 1 MW more"):
        t.add_column(col, justify="left" if col == "Limit" else "right")
    for _, r in bind.iterrows():
        value = r.shadow_price_eur_per_mw_yr
        t.add_row(escape(str(r.id)), fmt_mw(r.max_new_mw), "n/a" if pd.isna(value) else f"{fmt_fixed(value, 0)} EUR/MW/yr")
    console.print(t)


def _print_flows(result: Result, console: Console) -> None:
    """Exports into external markets and the energy carried by every link."""
    m = result.tables.get("markets")
    if m is not None and len(m):
        t = Table(title="Exports to external markets", title_justify="left", box=box.SIMPLE_HEAD)
        for col, just in (("Market", "left"), ("Node", "left"), ("Sold", "right"), ("Bought", "right"),
                          ("Net revenue", "right")):
            t.add_column(col, justify=just)
        for _, r in m.iterrows():
            t.add_row(escape(str(r.id)), escape(str(r.node)), fmt_energy(r.sold_mwh), fmt_energy(r.bought_mwh),
                      fmt_eur_per_yr(r.revenue_eur))
        console.print(t)
    links = result.tables.get("links")
    if links is not None and len(links):
        t = Table(title="Link flows (sending end, per year)", title_justify="left", box=box.SIMPLE_HEAD)
        for col, just in (("Link", "left"), ("Capacity", "right"), ("Forward", "right"), ("Backward", "right"),
                          ("Losses", "right"), ("Utilisation", "right")):
            t.add_column(col, justify=just)
        for _, r in links.iterrows():
            t.add_row(escape(f"{r.id} ({r.from_node}->{r.to_node})"), fmt_mw(r.total_mw), fmt_energy(r.forward_mwh),
                      fmt_energy(r.backward_mwh), fmt_energy(r.losses_mwh), f"{r.utilisation:.0%}")
        console.print(t)



def _shares(mix: dict | None, n: int = 4) -> str:
    """``'GE 85 %, TR 8 %, AZ 7 %'``: the largest shares of a {label: share} mapping."""
    items = sorted((mix or {}).items(), key=lambda kv: -(kv[1] or 0.0))
    text = ", ".join(f"{k} {v:.0%}" for k, v in items[:n] if v is not None and v >= 0.005)
    rest = sum(v for _, v in items[n:] if v is not None)
    return text + (f", other {rest:.0%}" if rest >= 0.005 else "")


def print_answers(answers: dict, console: Console) -> None:
    """Corridor answers from metrics.json: EU deliveries, traced delivered cost and origin, CBAM, CO2 avoided."""
    t = Table(title="Corridor answers (metrics.json, metrics/)", title_justify="left", show_header=False,
              box=None, pad_edge=False)
    t.add_column("figure", style="bold")
    t.add_column("value")
    eu = answers.get("eu_deliveries")
    if eu:
        t.add_row(f"Delivered into the EU ({', '.join(eu['eu_nodes'])})",
                  f"{fmt_energy(eu.get('delivered_mwh'))} /yr net, peak {fmt_mw(eu.get('peak_delivery_mw'))} MW")
    dc = answers.get("delivered_cost")
    if dc:
        items = [(k, v) for k, v in (dc.get("segments_eur_per_mwh") or {}).items() if v is not None]
        shown = [(k, v) for k, v in items if abs(v) >= 0.05 or k in ("generation", "losses")]
        segs = ", ".join(f"{k} {fmt_fixed(v, 1)}" for k, v in shown)
        if len(shown) < len(items):  # existing links carry no investment in the data: sunk, 0 EUR/MWh
            segs += f", {len(items) - len(shown)} more link(s) < 0.05"
        cost = dc.get("delivered_cost_eur_per_mwh")
        where = ", ".join(dc.get("landing_nodes") or [])
        t.add_row(f"Delivered cost at the landing point ({escape(where)}), traced origin",
                  f"{fmt_price(cost)} ({escape(segs)})" if cost is not None else "n/a (nothing delivered)")
        t.add_row("  origin by country", escape(_shares(dc.get("origin_by_country"))))
        t.add_row("  origin by technology", escape(_shares(dc.get("origin_by_technology"))))
    cb = answers.get("cbam")
    if cb:
        share = cb.get("matched_share")
        factors = ", ".join(f"{c} {v['factor_t_per_mwh']:.3f} ({v['method']})"
                            for c, v in (cb.get("origin_countries") or {}).items() if v.get("factor_t_per_mwh"))
        flag = " [assumed default factors]" if cb.get("default_factor_is_assumption") else ""
        t.add_row("CBAM hourly matched share (traced)", "n/a" if share is None else f"{share:.1%}")
        t.add_row("  default factors, t/MWh", escape(factors + flag) or "-")
        t.add_row("CBAM certificates: default / with matching",
                  f"{fmt_eur_per_yr(cb.get('default_certificate_cost_eur'))} / "
                  f"{fmt_eur_per_yr(cb.get('matched_certificate_cost_eur'))}")
    wy = answers.get("weather_years")
    if wy:  # one design over several weather years: each year's own figures, the worst named
        sp = {r["metric"]: r for r in wy.get("spread", [])}
        t.add_row(f"One design over weather years {', '.join(map(str, wy['years']))}", "min / mean / max across years")
        for key, label, fmt in (("unserved_energy_mwh", "  unserved energy, MWh/yr", "{:,.0f}"),
                                ("eu_market_sales_twh", "  EU market sales, TWh/yr", "{:,.2f}"),
                                ("emissions_mt", "  emissions, Mt CO2/yr", "{:,.2f}"),
                                ("mean_price_eur_per_mwh", "  mean price, EUR/MWh", "{:,.1f}")):
            r = sp.get(key)
            if r:
                worst = r["year_of_max" if key != "eu_market_sales_twh" else "year_of_min"]
                t.add_row(label, " / ".join(fmt.format(r[c]) for c in ("min", "mean", "max"))
                          + (f" (worst: year {worst})" if r["max"] > r["min"] else ""))
    co2 = answers.get("co2_avoided")
    if co2:
        t.add_row("CO2 avoided in the modelled region", fmt_emissions(co2.get("co2_avoided_in_region_t")) + " /yr")
        eu_t = co2.get("eu_displaced_t")
        t.add_row("CO2 displaced on the EU side",
                  fmt_emissions(eu_t) + " /yr" if eu_t is not None else "not counted (no factor)")
    for note in answers.get("notes", []):
        t.add_row("Note", escape(note))
    if t.row_count:
        console.print(t)



def print_counterfactual(cf: dict, console: Console) -> None:
    """CO2 avoided by the new corridor links, in region and on the EU side, and the abatement cost
    (``run --counterfactual``)."""
    t = Table(title="Counterfactual: no new corridor links", show_header=False, title_justify="left", box=None,
              pad_edge=False)
    t.add_column("figure", style="bold")
    t.add_column("value")
    t.add_row("Links held at existing capacity", escape(", ".join(cf.get("links_fixed") or []) or "none"))
    if cf.get("counterfactual"):
        t.add_row("  chosen as", escape(str(cf["counterfactual"])))
    t.add_row("Emissions with / without new links",
              f"{fmt_emissions(cf.get('emissions_with_t'))} / {fmt_emissions(cf.get('emissions_without_t'))} per yr")
    t.add_row("CO2 avoided in the modelled region", fmt_emissions(cf.get("co2_avoided_in_region_t")) + " /yr")
    by_country = cf.get("eu_side_by_country") or {}
    for c, r in by_country.items():
        if r.get("displaced_t") is None:
            t.add_row(f"  EU side {escape(c)}", f"{fmt_energy(r.get('additional_mwh'))} /yr more delivered; "
                                                "not counted (no factor)")
        else:
            t.add_row(f"  EU side {escape(c)}",
                      f"{fmt_energy(r.get('additional_mwh'))} /yr more delivered x {r['factor_t_per_mwh']:.3f} t/MWh "
                      f"= {fmt_emissions(r['displaced_t'])} ({escape(str(r.get('factor_source') or ''))})")
    displaced = cf.get("eu_displaced_t")
    t.add_row("CO2 displaced on the EU side",
              fmt_emissions(displaced) + " /yr" if displaced is not None else "not counted (no factor given)")
    if displaced is not None:
        t.add_row("Sum of in-region and EU side", fmt_emissions(cf.get("co2_avoided_t")) + " /yr")
    t.add_row("System cost difference (with - without)", fmt_eur_per_yr(cf.get("cost_difference_eur")))
    abate = cf.get("abatement_cost_eur_per_t")
    label = "Implied abatement cost" + (" (on the sum)" if displaced is not None else "")
    t.add_row(label, fmt_price(abate, "EUR/t") if abate is not None else "n/a (no CO2 avoided)")
    if displaced is not None:
        own = cf.get("abatement_cost_in_region_eur_per_t")
        t.add_row("  on in-region CO2 only", fmt_price(own, "EUR/t") if own is not None else "n/a (none avoided)")
    console.print(t)
    for note in cf.get("notes", []):
        console.print(f"Note: {escape(note)}", soft_wrap=True)
