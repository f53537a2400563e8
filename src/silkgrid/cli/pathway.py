"""``silkgrid run PATHWAY``: a pathway file or packaged pathway, through :func:`silkgrid.workflows.run_pathway`.

``silkgrid run`` hands over here when its argument is a pathway (a ``pathway:`` section); the
options that apply to a pathway are passed on, the others are refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from silkgrid.cli.app import EXIT_BAD_INPUT, EXIT_NOT_OPTIMAL, UsageProblem, error, stderr, stdout
from silkgrid.cli.progress import Stages
from silkgrid.report.formatting import fmt_emissions, fmt_eur, fmt_eur_per_yr, fmt_mw
from silkgrid.results.pathway import PathwayResult
from silkgrid.workflows import OutputWriteError, PathwayRunSpec, run_pathway
from silkgrid.workflows.resolution import resolution_warning

__all__ = ["run_pathway_command", "print_pathway"]


def run_pathway_command(source: str, out: Path, *, resolution: str | None, solver: dict, report: bool, quiet: bool,
                        refused: dict[str, bool]) -> None:
    """Run a pathway for ``silkgrid run``; ``refused``: option name -> whether it was given (options
    of single-year runs that a pathway does not take)."""
    for option, given in refused.items():
        if given:
            raise UsageProblem(f"{option} does not apply to a pathway", option=option,
                               fix="drop it (a pathway takes --resolution, --method monolithic|decomposed, "
                                   "--gap, --window-hours, --workers, --algorithm, --time-limit, --threads, --report)")
    if solver.get("method") == "aggregated":
        raise UsageProblem("a pathway is solved monolithically or decomposed (got --method aggregated)",
                           option="--method", fix="use --method monolithic or decomposed")
    spec = PathwayRunSpec(pathway=source, out=str(out), resolution=resolution, solver=solver, report=report)
    with Stages(stderr(), enabled=not quiet) as stages:
        try:
            outcome = run_pathway(spec, progress=stages)
        except OutputWriteError as exc:
            error(str(exc), label="Another run is busy" if exc.busy else "Cannot write the results")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    result = outcome.result
    warning = resolution_warning(result.results[0].scenario) if result.results else None
    if warning:
        stderr().print(f"[bold yellow]Coarse time resolution:[/] {escape(warning)}", soft_wrap=True)
    console = stdout()
    if not quiet:
        print_pathway(result, console)
    if not result.optimal:
        error(result.message, label=f"Not optimal ({result.status})")
        console.print(f"pathway.json written to {escape(str(outcome.directory))}", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_OPTIMAL)
    console.print(f"Pathway written to {escape(str(outcome.directory))}", soft_wrap=True)
    if outcome.report is not None:
        console.print(f"Report written to {escape(str(outcome.report))}", soft_wrap=True)


def print_pathway(result: PathwayResult, console: Console) -> None:
    """Totals, one row per period, and when each link is built."""
    s = result.summary
    status = f"[green]{result.status}[/]" if result.optimal else f"[bold red]{result.status}[/]"
    head = Table(title=f"SilkGrid pathway: {escape(result.name)}", show_header=False, title_justify="left",
                 box=None, pad_edge=False)
    head.add_column("figure", style="bold")
    head.add_column("value")
    head.add_row("Status", status)
    head.add_row("Periods", ", ".join(str(p) for p in result.periods))
    head.add_row("Solver", escape(str(result.solver.get("method", ""))) + f", {result.solver.get('seconds', 0):.1f} s")
    if result.optimal:
        head.add_row("Total cost, present value", fmt_eur(s.get("total_cost_pv_eur")))
    console.print(head)
    if not result.optimal:
        return
    t = Table(title="By period (yearly figures of each period)", box=box.SIMPLE_HEAD, title_justify="left")
    caps = any(row.get("co2_caps") for row in s["by_period"])
    for c in ("period", "weight", "system cost", "emissions", "built: generation + storage", "links",
              *(("CO2 price of the caps",) if caps else ())):
        t.add_column(c, justify="right")
    for row in s["by_period"]:
        price = "; ".join(f"{c['country']} {c['shadow_price_eur_per_t']:,.0f} EUR/t" for c in row.get("co2_caps") or []
                          if c.get("shadow_price_eur_per_t") is not None)
        t.add_row(str(row["period"]), f"{row['weight']:.2f}", fmt_eur_per_yr(row["total_cost_eur_per_yr"]),
                  fmt_emissions(row["emissions_t"]), f"{fmt_mw(row['new_capacity_built_mw'])} MW",
                  f"{fmt_mw(row['new_link_capacity_built_mw'])} MW", *((price or "-",) if caps else ()))
    console.print(t)
    v = result.vintages
    links = v[(v["kind"] == "link") & (v["built_mw"] > 0)]
    if len(links):
        lt = Table(title="Links built", box=box.SIMPLE_HEAD, title_justify="left")
        for c in ("link", "built in", "MW", "alive until"):
            lt.add_column(c, justify="right" if c != "link" else "left")
        for r in links.sort_values(["build_period", "id"]).itertuples():
            lt.add_row(escape(str(r.id)), str(r.build_period), fmt_mw(r.built_mw), str(r.last_period))
        console.print(lt)
