"""``silkgrid info``: what a data set or scenario holds, its sources and assumptions, validation."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from silkgrid.cli.app import DEFAULT_DATASET, UsageProblem, app, guarded, stdout
from silkgrid.cli.validate import counts
from silkgrid.cli.weather_validation import print_plants, print_weather_years, weather_year_blocks
from silkgrid.data import provenance
from silkgrid.data.comparisons import demand_geography, thermal_fleet_checks
from silkgrid.profiles.validate import validate_demand, validate_plants
from silkgrid.report.formatting import fmt_emissions, fmt_energy, fmt_mw, fmt_price
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.timeseries import make_snapshots


def _time_span(sc) -> str:
    snaps = make_snapshots(sc.time)
    if not len(snaps):
        return "no snapshots"
    first = snaps.index[0]
    end = first + pd.Timedelta(hours=snaps.hour_stop - snaps.hour_start)
    return (f"{first:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} ({snaps.hour_stop - snaps.hour_start:,} h), "
            f"{len(snaps):,} snapshots at {sc.time.resolution}"
            f"{', annualised to 8,760 h' if sc.time.annualise else ''}")


def _info_overview(sc, console: Console) -> None:
    t = Table(show_header=False, box=None, pad_edge=False,
              title=f"Scenario {escape(sc.name)}", title_justify="left")
    t.add_column("k", style="bold")
    t.add_column("v")
    t.add_row("File", escape(str(sc.source_file)))
    if sc.description:
        t.add_row("Description", escape(sc.description.strip()))
    t.add_row("Time", _time_span(sc))
    t.add_row("Countries", escape(", ".join(sc.countries())))
    t.add_row("Elements", ", ".join(f"{v} {k}" for k, v in counts(sc).items()
                                    if k not in ("countries", "snapshots")))
    t.add_row("Discount rate", f"{sc.discount_rate:.1%}")
    pol = sc.policies
    pols = []
    if pol.co2_price_eur_per_t:
        pols.append(f"CO2 price {pol.co2_price_eur_per_t:g} EUR/t")
    if pol.co2_cap_t is not None:
        pols.append(f"CO2 cap {fmt_emissions(pol.co2_cap_t)}/yr")
    for c, v in pol.co2_cap_t_by_country.items():
        pols.append(f"CO2 cap {c} {fmt_emissions(v)}/yr")
    for c, v in pol.min_renewable_share.items():
        pols.append(f"renewable share {c} >= {v:.0%}")
    for fe in pol.firm_exports:
        pols.append(f"firm export {fe.id} to {fe.node}")
    t.add_row("Policies", escape("; ".join(pols) or "none"))
    ue = sc.unserved_energy
    t.add_row("Unserved energy", f"allowed at {ue.value_of_lost_load_eur_per_mwh:,.0f} EUR/MWh"
              if ue.allowed else "not allowed")
    console.print(t)


def _info_nodes(sc, console: Console) -> None:
    t = Table(title="Nodes", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Node", "Name", "Country"):
        t.add_column(col, overflow="fold")
    for col in ("Generators", "Storage", "Links", "Peak demand MW", f"Demand in {sc.time.hours:,} h"):
        t.add_column(col, justify="right")
    hours = sc.time.hours
    for n in sc.nodes:
        demand = [ld.demand_mw for ld in sc.loads if ld.node == n.id]
        peak = sum(float(np.max(d)) for d in demand) if demand else 0.0
        energy = sum(float(np.sum(d)) if np.ndim(d) else float(d) * hours for d in demand)
        t.add_row(escape(n.id), escape(n.name or ""), escape(n.country),
                  str(sum(g.node == n.id for g in sc.generators)),
                  str(sum(s.node == n.id for s in sc.storage)),
                  str(sum(n.id in (ln.from_node, ln.to_node) for ln in sc.links)),
                  fmt_mw(peak), fmt_energy(energy))
    console.print(t)


def _info_technologies(sc, console: Console) -> None:
    carriers = sc.carrier_map()
    t = Table(title="Technologies and capacities", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Technology", "Carrier", "Kind"):
        t.add_column(col, overflow="fold")
    for col in ("Units", "Existing MW", "Extendable", "Max total MW", "Capex EUR/kW", "Efficiency"):
        t.add_column(col, justify="right")
    for tech in sc.technologies:
        gens = [g for g in sc.generators if g.technology == tech.id]
        stos = [s for s in sc.storage if s.technology == tech.id]
        car = carriers.get(tech.carrier)
        kind = "storage" if stos and not gens else ("generator" if gens else "-")
        units = gens or stos
        existing = (sum(g.capacity_mw for g in gens) + sum(s.power_capacity_mw for s in stos))
        ext = sum(g.extendable for g in gens) + sum(s.extendable_power for s in stos)
        maxes = [g.max_capacity_mw if g.extendable else g.capacity_mw for g in gens]
        maxes += [s.max_power_capacity_mw if s.extendable_power else s.power_capacity_mw for s in stos]
        max_total = math.inf if any(m is None for m in maxes) else sum(maxes)
        capex = ("annualised" if tech.annualised_cost_eur_per_mw_yr is not None
                 else f"{tech.capex_eur_per_kw:,.0f}")
        t.add_row(escape(tech.id), escape(tech.carrier) + (" (RE)" if car is not None and car.renewable else ""),
                  kind, str(len(units)), fmt_mw(existing), f"{ext} of {len(units)}",
                  fmt_mw(max_total) if units else "-", capex,
                  f"{tech.efficiency:.0%}" if kind != "storage" else "-")
    console.print(t)


def _info_links(sc, console: Console) -> None:
    if not sc.links:
        return
    t = Table(title="Links", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Link", "From", "To"):
        t.add_column(col, overflow="fold")
    for col in ("Existing MW", "Max total MW", "Length km", "Efficiency"):
        t.add_column(col, justify="right")
    for ln in sc.links:
        mx = (math.inf if ln.max_capacity_mw is None else ln.max_capacity_mw) if ln.extendable else ln.capacity_mw
        t.add_row(escape(ln.id), escape(ln.from_node), escape(ln.to_node), fmt_mw(ln.capacity_mw),
                  fmt_mw(mx), f"{ln.length_km:,.0f}", f"{ln.efficiency:.1%}")
    console.print(t)


def _info_markets(sc, console: Console) -> None:
    if not sc.markets:
        return
    t = Table(title="External markets", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Market", overflow="fold")
    t.add_column("Node", overflow="fold")
    for col in ("Export MW", "Import MW", "Mean price"):
        t.add_column(col, justify="right")
    for m in sc.markets:
        t.add_row(escape(m.id), escape(m.node), fmt_mw(m.export_capacity_mw), fmt_mw(m.import_capacity_mw),
                  fmt_price(float(np.mean(m.price_eur_per_mwh))))
    console.print(t)


#: Sections of ``silkgrid info`` in order; later flags (sources, assumptions) add their own.
INFO_SECTIONS: list[Callable[[Any, Console], None]] = [
    _info_overview, _info_nodes, _info_technologies, _info_links, _info_markets]


@app.command()
@guarded
def info(
    dataset: Annotated[str, typer.Argument(
        metavar="[DATASET_OR_FILE]", help="Packaged data-set name or scenario YAML file.")] = DEFAULT_DATASET,
    sources: Annotated[bool, typer.Option("--sources", help="List the citations behind the data set.")] = False,
    assumptions: Annotated[bool, typer.Option(
        "--assumptions", help="List every value that rests on an assumption, with the reason.")] = False,
    validate: Annotated[bool, typer.Option(
        "--validate", help="Calibration and validation comparisons: reference plants, national demand, "
        "the Kazakh thermal fleet and demand geography.")] = False,
) -> None:
    """Show what a data set or scenario holds: nodes, technologies, capacities, time span."""
    console = stdout()
    if sources or assumptions:
        _print_provenance(dataset, console, sources=sources, assumptions=assumptions)
    if validate:
        _print_validation(console)
    if sources or assumptions or validate:
        return
    sc = load_scenario(dataset)
    for section in INFO_SECTIONS:
        section(sc, console)


def _print_provenance(dataset: str, console: Console, *, sources: bool, assumptions: bool) -> None:
    name = dataset.partition("-")[0]
    try:
        provenance.dataset_dir(name)
        if not (provenance.dataset_dir(name) / "sources.yaml").is_file():
            raise FileNotFoundError
    except (FileNotFoundError, ValueError, KeyError):
        raise UsageProblem(f"data set '{dataset}' has no provenance tables", option="DATASET",
                           fix="use a data set with sources, e.g. 'silkgrid info corridor --sources'") from None
    if sources:
        console.print(provenance.format_sources(name), markup=False, highlight=False)
    if assumptions:
        table = provenance.list_assumptions(name)
        out = Table(title=f"Values resting on assumptions in data set '{name}' ({len(table)} rows)",
                    show_lines=False)
        for col in ("table", "key", "fields", "values", "reason"):
            out.add_column(col, overflow="fold")
        for row in table.itertuples(index=False):
            out.add_row(*(str(v) for v in row))
        console.print(out)


def _progress_status(message: str):
    """A spinner on stderr while a long step runs (stdout stays clean for the tables)."""
    return Console(stderr=True).status(message)


def _print_validation(console: Console) -> None:
    with _progress_status("computing reference-plant profiles and corridor weather years 1-5 (cached)"):
        plants = validate_plants()
        demand = validate_demand()
        weather = weather_year_blocks()
    console.print("Every comparison is labelled: [bold]calibration[/bold] = the published figure is a model input "
                  "(reproduced by construction); [bold]validation[/bold] = a published outcome no input was fitted to.")
    print_plants(console, plants)
    print_weather_years(console, *weather)
    d = Table(title="National demand: annual energy and reported peak are calibration (model inputs: the profile "
                    "is scaled to them, so they are reproduced by construction and validate nothing); the peak "
                    "season is validation")
    for col in ("country", "annual TWh (input)", "annual model TWh", "calibration", "peak MW (input)",
                "peak model MW", "validation: peak season reported / model"):
        d.add_column(col, justify="left" if col == "country" else "right")
    for r in demand.itertuples():
        peak = f"{r.peak_reported_mw:,.0f}" if r.peak_calibrated else "-"
        reported = r.peak_season_reported if isinstance(r.peak_season_reported, str) else None
        verdict = "" if reported is None else (" (agrees)" if reported == r.peak_season_model else " (differs)")
        season = f"{reported or 'not reported'} / {r.peak_season_model}{verdict}"
        # an input reproduced within 0.01 % is reported as reproduced, not as a 0.00 % error
        calib = ("reproduced (input)" if abs(r.annual_rel_error) < 1e-4
                 else f"input missed by {r.annual_rel_error:+.2%}")
        d.add_row(r.country, f"{r.annual_reported_twh:.2f}", f"{r.annual_model_twh:.2f}",
                  calib, peak, f"{r.peak_model_mw:,.0f}", season)
    console.print(d)
    _print_fleet_and_geography(console)


def _print_fleet_and_geography(console: Console, year: int = 2030) -> None:
    """The Kazakh thermal fleet and demand geography of the corridor data set (no solve needed)."""
    f = Table(title=f"Thermal fleet (Kazakhstan, data set 'corridor', {year}): published figures vs the data set")
    for col, just in (("item", "left"), ("kind", "left"), ("published", "right"), ("data set / model", "right"),
                      ("source", "left"), ("note", "left")):
        f.add_column(col, justify=just, overflow="fold")
    for r in thermal_fleet_checks(year).itertuples():
        model = (f"{r.model:.1%}" if not math.isnan(r.model)
                 else f"between {r.model_low:.1%} (CHP must-run) and {r.model_high:.1%} (availability)")
        f.add_row(r.item, r.kind, f"{r.published:.1%}", model, r.source, escape(r.note))
    console.print(f)
    g = Table(title=f"Kazakh demand geography ({year}): oblast consumption statistics vs the zone shares of demand.csv")
    for col, just in (("zone", "left"), ("kind", "left"), ("published share", "right"), ("demand.csv share", "right"),
                      (f"model demand {year}", "right"), ("source", "left")):
        g.add_column(col, justify=just)
    for r in demand_geography(year).itertuples():
        g.add_row(r.zone, r.kind, f"{r.published:.1%}", f"{r.input:.1%}", f"{r.model_twh:.1f} TWh", r.source)
    console.print(g)

