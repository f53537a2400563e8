"""``silkgrid run``: options in, :func:`silkgrid.workflows.run` underneath, tables out."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from silkgrid.cli.app import (DEFAULT_DATASET, EXIT_BAD_INPUT, EXIT_NOT_OPTIMAL, UsageProblem, app, check_resolution,
                              error, guarded, stderr, stdout)
from silkgrid.cli.headline import print_answers, print_counterfactual, print_headline
from silkgrid.cli.pathway import run_pathway_command
from silkgrid.cli.progress import Stages
from silkgrid.scenario.pathway import is_pathway_source
from silkgrid.scenario.schema import LP_ALGORITHMS
from silkgrid.workflows import OutputPathError, OutputWriteError, RunOutcome, RunSpec, check_out, plan_verdict
from silkgrid.workflows import run as run_workflow
from silkgrid.workflows.resolution import resolution_warning


class Method(str, Enum):
    auto = "auto"
    monolithic = "monolithic"
    decomposed = "decomposed"
    aggregated = "aggregated"
    # before strategies existed --method named the LP algorithm; these still set --algorithm
    ipm = "ipm"
    simplex = "simplex"
    pdlp = "pdlp"
    choose = "choose"


class Algorithm(str, Enum):
    ipm = "ipm"
    simplex = "simplex"
    pdlp = "pdlp"
    choose = "choose"
    clarabel = "clarabel"


class SimplexStrategy(str, Enum):
    dual = "dual"
    primal = "primal"



@app.command()
@guarded
def run(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Results directory (created, or replaced as a whole).", show_default=False)],
    scenario: Annotated[str, typer.Argument(
        help="Scenario YAML file or packaged data-set name; or a pathway (a YAML file with a pathway: "
             "section, or corridor-pathway).", show_default=True)] = DEFAULT_DATASET,
    csv: Annotated[bool, typer.Option("--csv", help="Also write every table as CSV.")] = False,
    method: Annotated[Method | None, typer.Option(
        help="How to solve: monolithic (one LP), decomposed (Benders over time windows, to a proven --gap), "
             "aggregated (LP over time segments: fast, approximate) or auto (by problem size). "
             "Default: the scenario's solver.method, normally auto. (ipm/simplex/pdlp/choose still work "
             "and set --algorithm.)", case_sensitive=False)] = None,
    algorithm: Annotated[Algorithm | None, typer.Option(
        help="LP algorithm for monolithic and aggregated LPs: HiGHS's ipm, simplex, pdlp or choose, or "
             "clarabel (Clarabel's interior point, direct factorisation). Default: scenario, normally clarabel.",
        case_sensitive=False)] = None,
    gap: Annotated[float | None, typer.Option(
        help="Relative optimality gap the decomposed method proves before it stops, e.g. 0.001.")] = None,
    window_hours: Annotated[int | None, typer.Option(
        "--window-hours", help="Decomposed: hours per window subproblem (default 168).", min=1)] = None,
    workers: Annotated[int | None, typer.Option(
        help="Decomposed: worker processes for the window subproblems (default: CPU cores).", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Decomposed: solve the window subproblems on the workers of this Dask scheduler "
                            "(tcp://HOST:PORT) instead of local processes (docs/sweeps.md).",
        show_default=False)] = None,
    segments: Annotated[int | None, typer.Option(
        help="Number of time segments: of the aggregated LP (default 876), and of the decomposed "
             "method's warm start (default: one per 10 time steps).", min=1)] = None,
    simplex_strategy: Annotated[SimplexStrategy | None, typer.Option(
        "--simplex-strategy", help="Simplex variant with --algorithm simplex (default: scenario, normally dual).",
        case_sensitive=False)] = None,
    crossover: Annotated[bool | None, typer.Option(
        "--crossover/--no-crossover", help="Run crossover after interior point (default: scenario).",
        show_default=False)] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="Solver time limit, seconds.", min=0)] = None,
    threads: Annotated[int | None, typer.Option(help="Solver threads (0: the solver decides).", min=0)] = None,
    resolution: Annotated[str | None, typer.Option(
        help="Override time.resolution, e.g. '3h' (averages hourly data over 3-hour snapshots).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace --out even if it is a non-empty directory without summary.json.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no tables.")] = False,
    counterfactual: Annotated[bool, typer.Option(
        "--counterfactual", help="Also solve without the new cross-border corridor links (corridor."
                                 "counterfactual_links; none named: every extendable link); write counterfactual."
                                 "json (CO2 avoided in region and displaced on the EU side, separately; abatement "
                                 "cost).")] = False,
    eu_displaced_factor: Annotated[float | None, typer.Option(
        "--eu-displaced-factor", min=0,
        help="With --counterfactual: tCO2/MWh that additional net deliveries into every EU market displace, "
             "overriding the scenario's corridor.eu_displaced_factors (corridor data set: the IFI operating "
             "margin of each EU country; a scenario without them does not count the EU side).")] = None,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write the HTML report (OUT/report.html) and PNG charts (OUT/figures/).")] = False,
) -> None:
    """Build and solve a scenario (or a pathway of periods); write summary.json and Parquet tables to --out."""
    out_path = check_out_option(out, force=force)
    res = check_resolution(resolution)
    if eu_displaced_factor is not None and not counterfactual:
        raise UsageProblem("--eu-displaced-factor only applies to the counterfactual",
                           option="--eu-displaced-factor", fix="add --counterfactual or drop the option")
    if time_limit is not None and time_limit <= 0:
        raise UsageProblem("the time limit must be positive", option="--time-limit",
                           fix="give a number of seconds above 0")
    if gap is not None and not 0 < gap < 1:
        raise UsageProblem(f"the gap must lie between 0 and 1, got {gap}", option="--gap",
                           fix="give a relative gap such as 0.001 (0.1 %)")
    options = solver_options(method, algorithm, gap, window_hours, workers, segments, simplex_strategy, crossover,
                             time_limit, threads)
    if scheduler:
        options["dask_scheduler"] = scheduler
    if is_pathway_source(scenario):  # a pathway file or packaged pathway: periods, vintages, foresight
        run_pathway_command(scenario, out_path, resolution=res, solver=options, report=report, quiet=quiet,
                            refused={"--csv": csv, "--counterfactual": counterfactual,
                                     "--eu-displaced-factor": eu_displaced_factor is not None,
                                     "--segments": segments is not None})
        return
    spec = RunSpec(scenario=scenario, out=str(out_path), resolution=res, solver=options, csv=csv,
                   counterfactual=counterfactual, eu_displaced_factor_t_per_mwh=eu_displaced_factor, report=report)
    with Stages(stderr(), enabled=not quiet) as stages:
        stages.target_gap = gap
        try:
            outcome = run_workflow(spec, progress=stages, on_iteration=stages.iteration)
        except ValidationError as exc:  # option values the solver schema rejects
            first = exc.errors()[0]
            raise UsageProblem(first["msg"], option="/".join(map(str, first["loc"]))) from None
        except OutputWriteError as exc:  # disk full, no permission, another run busy: name the cause
            error(str(exc), label="Another run is busy" if exc.busy else "Cannot write the results")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    report_outcome(outcome, stdout(), quiet=quiet)


def solver_options(method, algorithm, gap, window_hours, workers, segments, simplex_strategy, crossover,
                   time_limit, threads) -> dict[str, Any]:
    """The solver fields the command-line options set (``None`` leaves the scenario's value)."""
    overrides: dict[str, Any] = {}
    if method is not None and method.value in LP_ALGORITHMS:
        overrides["algorithm"] = method.value
    elif method is not None:
        overrides["method"] = method.value
    for key, value in (("algorithm", algorithm.value if algorithm else None), ("gap", gap),
                       ("window_hours", window_hours), ("workers", workers), ("segments", segments),
                       ("warm_start_segments", segments),
                       ("simplex_strategy", simplex_strategy.value if simplex_strategy else None),
                       ("crossover", crossover), ("time_limit_s", time_limit), ("threads", threads)):
        if value is not None:
            overrides[key] = value
    return overrides


def check_out_option(out: Path, *, force: bool) -> Path:
    try:
        return check_out(out, force=force)
    except OutputPathError as exc:
        raise UsageProblem(exc.problem, option="--out", fix=exc.fix) from None


def report_outcome(outcome: RunOutcome, console: Console, *, quiet: bool) -> None:
    """Print the tables, say what was written, and exit 1 unless the plan is optimal."""
    result = outcome.result
    warning = resolution_warning(result.scenario) if result.scenario is not None else None
    if warning:
        stderr().print(f"[bold yellow]Coarse time resolution:[/] {escape(warning)}", soft_wrap=True)
    if not quiet:
        print_headline(result, console)
        if outcome.answers is not None:
            print_answers(outcome.answers, console)
        if outcome.counterfactual is not None:
            print_counterfactual(outcome.counterfactual, console)
    written = outcome.directory
    accepted, verdict = plan_verdict(result)
    if not accepted:
        error(result.message, label=f"Not optimal ({result.status})")
        console.print(f"summary.json written to {escape(str(written))}", soft_wrap=True)
        raise typer.Exit(EXIT_NOT_OPTIMAL)
    if not result.optimal:
        # a decomposed solve stopped at its limit: the plan is feasible, its distance from the
        # optimum is proven and its tables are written; the exit code says "not optimal"
        error(f"{result.message} The {verdict}; its tables are written. Allow more time (--time-limit) or a "
              "larger --gap to finish.", label=f"Not proven optimal ({result.status})")
    what = "Results" if result.optimal else "Feasible plan"
    console.print(f"{what} written to {escape(str(written))}", soft_wrap=True)
    if outcome.report is not None:
        console.print(f"Report written to {escape(str(outcome.report))}", soft_wrap=True)
    if not result.optimal:
        raise typer.Exit(EXIT_NOT_OPTIMAL)
