"""Command-line interface: ``silkgrid run | validate | info``.

Exit codes (documented in ``docs/cli.md``):

* ``0`` - success (``run``: optimal solution written).
* ``1`` - ``run`` finished but the solution is not optimal (infeasible, time limit, ...);
  the plain-language reason is printed and ``summary.json`` is still written.  A decomposed
  solve stopped at its limit also writes the tables of its feasible plan, with the proven gap.
* ``2`` - bad input: an invalid scenario, profile or option, or an unusable ``--out``
  path.  One paragraph on stderr names the file, the field and the fix; nothing is written.
* ``3`` - an unexpected internal error (a bug).  One paragraph on stderr; set
  ``SILKGRID_DEBUG=1`` to see the traceback.
* ``130`` - interrupted (Ctrl-C).

Normal output (tables) goes to stdout; progress, messages and errors go to stderr.
"""

from __future__ import annotations

import functools
import math
import os
import time
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich import box
from rich.table import Table

from silkgrid.scenario.schema import LP_ALGORITHMS
from silkgrid.report.formatting import (fmt_emissions, fmt_energy, fmt_eur_per_yr, fmt_mw, fmt_price,
                                 fmt_seconds)

#: Data set used when no scenario is named (a packaged data set name).
DEFAULT_DATASET = "corridor"

EXIT_OK = 0
EXIT_NOT_OPTIMAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

#: Environment variable that makes errors show their traceback.
DEBUG_ENV = "SILKGRID_DEBUG"

app = typer.Typer(
    name="silkgrid",
    help="SilkGrid: capacity expansion co-optimised with hourly dispatch for cross-border "
         "green-electricity corridors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


class UsageProblem(Exception):
    """A bad command-line value or output path (exit code 2)."""

    def __init__(self, problem: str, *, option: str | None = None, fix: str | None = None) -> None:
        self.problem, self.option, self.fix = problem, option, fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        head = f"Invalid option {self.option}: " if self.option else "Invalid input: "
        text = head + self.problem.rstrip(".") + "."
        if self.fix:
            text += " Fix: " + self.fix.rstrip(".") + "."
        return text


# ----------------------------------------------------------------------------------------
# consoles and error handling
# ----------------------------------------------------------------------------------------
def _stdout() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # piped/captured output: do not squeeze tables into 80 columns
    return console


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no", "off")


def _error(text: str, label: str = "Error") -> None:
    """One paragraph on stderr; never wrapped by us (the terminal wraps it)."""
    _stderr().print(f"[bold red]{label}:[/] {escape(text)}", soft_wrap=True)


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Map exceptions to exit codes and one-paragraph messages (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from silkgrid.core.errors import ScenarioError, SilkGridError, SolveError

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except KeyboardInterrupt:
            _error("interrupted; nothing more was written.", label="Aborted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (ScenarioError, UsageProblem) as exc:
            if _debug():
                traceback.print_exc()
            _error(exc.message)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except SolveError as exc:
            if _debug():
                traceback.print_exc()
            _error(str(exc), label="Solve failed")
            raise typer.Exit(EXIT_NOT_OPTIMAL) from None
        except SilkGridError as exc:
            if _debug():
                traceback.print_exc()
            _error(str(exc))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if _debug():
                traceback.print_exc()
                hint = ""
            else:
                hint = f" Set {DEBUG_ENV}=1 to see the traceback."
            _error(f"{type(exc).__name__}: {exc}. This is a bug in SilkGrid, not a problem with your "
                   f"input; please report it with the scenario that triggers it.{hint}",
                   label="Internal error")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


# ----------------------------------------------------------------------------------------
# shared steps
# ----------------------------------------------------------------------------------------
def _load(source: str):
    from silkgrid.scenario.loader import load_scenario

    return load_scenario(source)


def _check_resolution(value: str | None) -> str | None:
    """Validate ``--resolution`` before anything is loaded."""
    if value is None:
        return None
    from silkgrid.scenario.schema import Time

    try:
        return Time(resolution=value).resolution
    except ValidationError:
        raise UsageProblem(f"'{value}' is not a time resolution", option="--resolution",
                           fix="give a whole number of hours followed by 'h', e.g. '1h' or '3h'") from None


def _apply_resolution(scenario, resolution: str | None) -> None:
    if resolution is not None:
        scenario.time = scenario.time.model_copy(update={"resolution": resolution})


def _check_out(out: Path, *, force: bool) -> Path:
    """Refuse output paths that cannot or should not be replaced; touches nothing."""
    path = out.expanduser()
    if path.exists() and not path.is_dir():
        raise UsageProblem(f"'{out}' exists and is not a directory", option="--out",
                           fix="give a directory path for the results (it is created if missing)")
    for parent in path.resolve().parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageProblem(f"'{parent}' is not a directory, so '{out}' cannot be created",
                                   option="--out", fix="choose another output path")
            break
    resolved = path.resolve()
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home directory known
        home = None
    if resolved == Path(resolved.anchor) or resolved == home:
        raise UsageProblem(f"'{out}' would replace {resolved}", option="--out",
                           fix="give a dedicated results directory, e.g. 'results/my-run'")
    if path.is_dir() and any(path.iterdir()) and not (path / "summary.json").is_file() and not force:
        raise UsageProblem(
            f"'{out}' is a non-empty directory that does not look like SilkGrid results (no summary.json); "
            "writing results replaces the whole directory", option="--out",
            fix="choose a new or empty directory, or pass --force to replace it")
    return path


def _check_not_inside(out: Path, scenario_file: str | None) -> None:
    """The results directory is replaced as a whole: it must not hold the scenario's input."""
    if not scenario_file:
        return
    src = Path(scenario_file)
    if not src.is_file():
        return
    out_r = out.resolve()
    if out_r == src.resolve().parent or out_r in src.resolve().parents:
        raise UsageProblem(f"the scenario file {src} lies inside the output directory '{out}', which is "
                           "replaced by the results", option="--out",
                           fix="write the results to a separate directory")


class _Stages:
    """Progress of the stages load / build / solve / write on stderr."""

    LABELS = {"load": "load scenario", "build": "build model", "solve": "solve", "write": "write results",
              "metrics": "corridor metrics", "counterfactual": "counterfactual solve"}

    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.live = enabled and console.is_terminal
        self.progress: Progress | None = None
        self.current: tuple[str, Any, float] | None = None
        self.times: dict[str, float] = {}
        self.target_gap: float | None = None
        self._iter_task = None
        self._first_gap: float | None = None
        self._last_line = 0.0

    def __enter__(self) -> "_Stages":
        if self.live:
            self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/]"),
                                     TextColumn("{task.description}"), TimeElapsedColumn(),
                                     console=self.console, transient=False)
            self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self._finish()
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str) -> None:
        stage = {"results": "write"}.get(stage, stage)
        if self.current and self.current[0] == stage:
            return
        self._finish()
        task = None
        if self.progress is not None:
            task = self.progress.add_task(self.LABELS.get(stage, stage), total=1)
        self.current = (stage, task, time.perf_counter())

    def iteration(self, info: dict) -> None:
        """Bounds of a decomposed-solve iteration: a bar that fills as the gap closes (log scale)."""
        gap = info.get("gap")
        lower, upper = info.get("lower"), info.get("upper")
        if gap is None or not math.isfinite(gap):
            text = f"decomposed solve: iteration {info['iteration']}, no bound pair yet"
        else:
            text = (f"decomposed solve: iteration {info['iteration']}, gap {gap:.3%} "
                    f"(lower {fmt_eur_per_yr(lower * 1e6)}, upper {fmt_eur_per_yr(upper * 1e6)})")
        if self.progress is not None:
            if self._iter_task is None:
                self._iter_task = self.progress.add_task(text, total=1.0)
            done = 0.0
            if gap is not None and math.isfinite(gap):
                first = self._first_gap = self._first_gap or max(gap, 1e-12)
                if self.target_gap and first > self.target_gap:
                    done = min(1.0, max(0.0, math.log(first / max(gap, 1e-12)) / math.log(first / self.target_gap)))
            self.progress.update(self._iter_task, description=text, completed=done)
        elif self.enabled and time.perf_counter() - self._last_line >= 5.0:
            self.console.print(f"    {text}")
            self._last_line = time.perf_counter()

    def _finish(self) -> None:
        if not self.current:
            return
        stage, task, t0 = self.current
        self.times[stage] = time.perf_counter() - t0
        if self.progress is not None and task is not None:
            self.progress.update(task, completed=1)
        elif self.enabled:
            self.console.print(f"  [green]✓[/] {self.LABELS.get(stage, stage):<14} "
                               f"{fmt_seconds(self.times[stage])}")
        self.current = None


# ----------------------------------------------------------------------------------------
# run
# ----------------------------------------------------------------------------------------
def _capacity_rows(result) -> list[tuple[str, str, float, float, float, str, str]]:
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


def _gap_text(result) -> str:
    gap = result.solver.get("gap")
    return "an unproven amount" if gap is None else f"{gap:.2%}"


def print_headline(result, console: Console) -> None:
    """The short overview printed after ``silkgrid run``."""
    summ = result.summary
    solver = summ.get("solver", {})
    ok = result.has_plan
    if result.optimal:
        status = f"[green]{result.status}[/]"
    elif ok:
        status = f"[yellow]{result.status}[/]: feasible plan, proven within {_gap_text(result)} of the optimum"
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
                 f" ({solver.get('method', '?')}, {solver.get('algorithm', '?')}"
                 f"{', crossover' if solver.get('crossover') else ''})")
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


def _print_new_capacity_by_node(result, console: Console) -> None:
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
    import pandas as pd

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


def _print_flows(result, console: Console) -> None:
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


@app.command()
@_guarded
def run(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Results directory (created, or replaced as a whole).", show_default=False)],
    scenario: Annotated[str, typer.Argument(
        help="Scenario YAML file or packaged data-set name.", show_default=True)] = DEFAULT_DATASET,
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
        "--counterfactual", help="Also solve without new links; write counterfactual.json (CO2 avoided, "
                                 "abatement cost).")] = False,
    eu_displaced_factor: Annotated[float | None, typer.Option(
        "--eu-displaced-factor", min=0,
        help="With --counterfactual: tCO2/MWh that net exports displace in the importing markets "
             "(default: displaced emissions are not counted).")] = None,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write the HTML report (OUT/report.html) and PNG charts (OUT/figures/).")] = False,
) -> None:
    """Build and solve a scenario; write summary.json and Parquet tables to --out."""
    from silkgrid.results import solve

    out_path = _check_out(out, force=force)
    res = _check_resolution(resolution)
    if eu_displaced_factor is not None and not counterfactual:
        raise UsageProblem("--eu-displaced-factor only applies to the counterfactual",
                           option="--eu-displaced-factor", fix="add --counterfactual or drop the option")
    if time_limit is not None and time_limit <= 0:
        raise UsageProblem("the time limit must be positive", option="--time-limit",
                           fix="give a number of seconds above 0")
    if gap is not None and not 0 < gap < 1:
        raise UsageProblem(f"the gap must lie between 0 and 1, got {gap}", option="--gap",
                           fix="give a relative gap such as 0.001 (0.1 %)")
    overrides: dict[str, Any] = {}
    if method is not None and method.value in LP_ALGORITHMS:
        overrides["algorithm"] = method.value
    elif method is not None:
        overrides["method"] = method.value
    for key, value in (("algorithm", algorithm.value if algorithm else None), ("gap", gap),
                       ("window_hours", window_hours), ("workers", workers), ("segments", segments),
                       ("warm_start_segments", segments)):
        if value is not None:
            overrides[key] = value
    if simplex_strategy is not None:
        overrides["simplex_strategy"] = simplex_strategy.value
    if crossover is not None:
        overrides["crossover"] = crossover
    if time_limit is not None:
        overrides["time_limit_s"] = time_limit
    if threads is not None:
        overrides["threads"] = threads

    err = _stderr()
    with _Stages(err, enabled=not quiet) as stages:
        stages("load")
        sc = _load(scenario)
        _check_not_inside(out_path, sc.source_file)
        _apply_resolution(sc, res)
        stages.target_gap = gap if gap is not None else sc.solver.gap
        try:
            result = solve(sc, options=overrides or None, progress=stages, on_iteration=stages.iteration)
        except ValidationError as exc:  # option values the solver schema rejects
            first = exc.errors()[0]
            raise UsageProblem(first["msg"], option="/".join(map(str, first["loc"]))) from None
        cf = None
        if counterfactual and result.optimal:
            stages("counterfactual")
            cf = _solve_counterfactual(sc, result, overrides, eu_displaced_factor)
        stages("write")
        try:
            written = result.to_dir(out_path, csv=csv)
            if cf is not None:
                _write_counterfactual(written, cf)
            answers = None
            if result.has_plan:
                from silkgrid.analysis.metrics import write_metrics

                stages("metrics")
                answers = write_metrics(written, result, sc)
        except OSError as exc:
            raise UsageProblem(f"the results cannot be written to '{out}' ({exc.strerror or exc})",
                               option="--out", fix="check the path and its permissions") from None

    console = _stdout()
    if not quiet:
        print_headline(result, console)
        if answers is not None:
            print_answers(answers, console)
        if cf is not None:
            print_counterfactual(cf, console)
    if result.has_plan:
        if not result.optimal:
            # a decomposed solve stopped at its limit: the plan is feasible, its distance from
            # the optimum is proven and its tables are written; the exit code says "not optimal"
            _error(f"{result.message} The plan is feasible and at most {_gap_text(result)} above the optimum; "
                   "its tables are written. Allow more time (--time-limit) or a larger --gap to finish.",
                   label=f"Not proven optimal ({result.status})")
        what = "Results" if result.optimal else "Feasible plan"
        console.print(f"{what} written to {escape(str(written))}", soft_wrap=True)
        if report:
            from silkgrid.report import write_report

            page = write_report(written, scenario=sc)
            console.print(f"Report written to {escape(str(page))}", soft_wrap=True)
        if result.optimal:
            return
        raise typer.Exit(EXIT_NOT_OPTIMAL)
    _error(result.message, label=f"Not optimal ({result.status})")
    console.print(f"summary.json written to {escape(str(written))}", soft_wrap=True)
    raise typer.Exit(EXIT_NOT_OPTIMAL)


def print_answers(answers: dict, console: Console) -> None:
    """Corridor answers from metrics.json: EU deliveries, delivered cost, CBAM matching."""
    t = Table(title="Corridor answers (metrics.json, metrics/)", title_justify="left", show_header=False,
              box=None, pad_edge=False)
    t.add_column("figure", style="bold")
    t.add_column("value")
    eu = answers.get("eu_deliveries")
    if eu:
        t.add_row(f"Delivered into the EU ({', '.join(eu['eu_nodes'])})",
                  f"{fmt_energy(eu.get('delivered_mwh'))} /yr net, peak {fmt_mw(eu.get('peak_delivery_mw'))} MW")
    path = answers.get("export_path", {})
    if path.get("links"):
        t.add_row("Export path", escape(" -> ".join(path["links"]) + f" ({path.get('chosen', '')})"))
    dc = answers.get("delivered_cost")
    if dc:
        segs = ", ".join(f"{k} {v:.1f}" for k, v in (dc.get("segments_eur_per_mwh") or {}).items() if v is not None)
        cost = dc.get("delivered_cost_eur_per_mwh")
        t.add_row("Delivered cost at the landing point",
                  f"{fmt_price(cost)} ({escape(segs)})" if cost is not None else "n/a (nothing delivered over the path)")
    cb = answers.get("cbam")
    if cb:
        share = cb.get("matched_share")
        flag = " [assumed default factor]" if cb.get("default_factor_is_assumption") else ""
        t.add_row("CBAM hourly matched share", "n/a" if share is None else f"{share:.1%}")
        t.add_row("CBAM certificates: default / with matching",
                  f"{fmt_eur_per_yr(cb.get('default_certificate_cost_eur'))} / "
                  f"{fmt_eur_per_yr(cb.get('matched_certificate_cost_eur'))}{escape(flag)}")
    for note in answers.get("notes", []):
        t.add_row("Note", escape(note))
    if t.row_count:
        console.print(t)


# ----------------------------------------------------------------------------------------
# run --counterfactual
# ----------------------------------------------------------------------------------------
def _solve_counterfactual(sc, result, overrides: dict[str, Any], eu_factor: float | None = None) -> dict:
    from silkgrid.analysis.counterfactual import co2_avoided
    from silkgrid.results import solve

    return co2_avoided(sc, lambda s: solve(s, options=overrides or None), result=result,
                       eu_displaced_factor_t_per_mwh=eu_factor)


def _write_counterfactual(directory: Path, cf: dict) -> Path:
    import json

    from silkgrid.analysis.counterfactual import COUNTERFACTUAL_FILE
    from silkgrid.core.jsonsafe import clean as _clean

    path = Path(directory) / COUNTERFACTUAL_FILE
    path.write_text(json.dumps(_clean(cf), indent=2) + "\n")
    return path


def print_counterfactual(cf: dict, console: Console) -> None:
    """CO2 avoided by the new links and the implied abatement cost (``run --counterfactual``)."""
    t = Table(title="Counterfactual: no new links", show_header=False, title_justify="left", box=None,
              pad_edge=False)
    t.add_column("figure", style="bold")
    t.add_column("value")
    t.add_row("Emissions with / without new links",
              f"{fmt_emissions(cf.get('emissions_with_t'))} / {fmt_emissions(cf.get('emissions_without_t'))} per yr")
    t.add_row("CO2 avoided in the modelled region", fmt_emissions(cf.get("co2_avoided_in_region_t")) + " /yr")
    displaced = cf.get("eu_displaced_t")
    t.add_row("Displaced in importing markets",
              fmt_emissions(displaced) + " /yr" if displaced is not None else "not counted (no factor given)")
    t.add_row("CO2 avoided", fmt_emissions(cf.get("co2_avoided_t")) + " /yr")
    t.add_row("System cost difference (with - without)", fmt_eur_per_yr(cf.get("cost_difference_eur")))
    abate = cf.get("abatement_cost_eur_per_t")
    t.add_row("Implied abatement cost", fmt_price(abate, "EUR/t") if abate is not None else "n/a (no CO2 avoided)")
    console.print(t)
    for note in cf.get("notes", []):
        console.print(f"Note: {escape(note)}", soft_wrap=True)


# ----------------------------------------------------------------------------------------
# compare
# ----------------------------------------------------------------------------------------
def _fmt_metric(x: Any, unit: str, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a" if not signed else "-"
    if isinstance(x, str):
        return x
    text = {"EUR/yr": fmt_eur_per_yr, "MWh/yr": fmt_energy, "t/yr": fmt_emissions}.get(unit, None)
    if text is not None:
        out = text(x)
    elif unit == "MW":
        out = f"{fmt_mw(x)} MW"
    elif unit:
        out = fmt_price(x, unit)
    else:
        out = f"{x:,.4g}"
    return ("+" + out) if signed and x > 0 else out


@app.command()
@_guarded
def compare(
    dirs: Annotated[list[Path], typer.Argument(
        metavar="DIR_A DIR_B [...]", help="Results directories of 'silkgrid run' (the first is the reference).",
        show_default=False)],
    csv_path: Annotated[Path | None, typer.Option(
        "--csv", help="Write the table here (default: compare.csv next to DIR_A).", show_default=False)] = None,
) -> None:
    """Compare headline metrics of results directories, with deltas vs the first."""
    from silkgrid.analysis.compare import ResultDirError, compare_table
    from silkgrid.analysis.compare import labels as dir_labels

    try:
        table = compare_table(list(dirs))
    except ResultDirError as exc:
        raise UsageProblem(exc.problem, option="DIRS", fix=exc.fix) from None
    labels = dir_labels(list(dirs))
    target = (csv_path.expanduser() if csv_path is not None
              else Path(dirs[0]).expanduser().resolve().parent / "compare.csv")
    if target.is_dir():
        raise UsageProblem(f"'{target}' is a directory", option="--csv", fix="give a file path, e.g. compare.csv")

    console = _stdout()
    t = Table(title=f"Comparison (deltas vs {escape(labels[0])})", title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("Metric", overflow="fold")
    t.add_column(escape(labels[0]), justify="right")
    for lab in labels[1:]:
        t.add_column(escape(lab), justify="right")
        t.add_column("Δ", justify="right")
        t.add_column("Δ %", justify="right")
    for rec in table.to_dict("records"):
        unit = rec["unit"]
        cells = [escape(rec["description"]), escape(_fmt_metric(rec[labels[0]], unit))]
        for lab in labels[1:]:
            pct = rec[f"delta_pct_{lab}"]
            cells += [escape(_fmt_metric(rec[lab], unit)), escape(_fmt_metric(rec[f"delta_{lab}"], unit, signed=True)),
                      "-" if pct is None or (isinstance(pct, float) and math.isnan(pct)) else f"{pct:+.1f} %"]
        t.add_row(*cells)
    console.print(t)
    for lab, status in zip(labels, table.iloc[0][labels]):
        if status != "optimal":
            _error(f"'{lab}' is not an optimal result (status {status}); its figures are missing (n/a).",
                   label="Warning")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(target, index=False)
    except OSError as exc:
        raise UsageProblem(f"the table cannot be written to '{target}' ({exc.strerror or exc})", option="--csv",
                           fix="check the path and its permissions") from None
    console.print(f"Comparison written to {escape(str(target))}", soft_wrap=True)


# ----------------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------------
@app.command("report")
@_guarded
def report_cmd(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Results directory written by 'silkgrid run'.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="HTML file to write (default: DIR/report.html).", show_default=False)] = None,
    week: Annotated[int, typer.Option("--week", min=1, help="Week of the dispatch charts (1 = first 7 days).")] = 1,
) -> None:
    """Write a self-contained HTML report (map, capacity, dispatch, prices, exports, CBAM, costs) and
    PNG charts (DIR/figures/) for a results directory."""
    from silkgrid.report import write_report

    page = write_report(directory, out, week=week)
    _stdout().print(f"Report written to {escape(str(page))}", soft_wrap=True)


# ----------------------------------------------------------------------------------------
# serve
# ----------------------------------------------------------------------------------------
@app.command("serve")
@_guarded
def serve_cmd(
    dirs: Annotated[list[Path] | None, typer.Argument(
        metavar="RESULT_DIR", help="Results directories to show (written by 'silkgrid run').",
        show_default=False)] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8050,
    host: Annotated[str, typer.Option(
        "--host", help="Address to bind; anything but loopback needs --token or --generate-token.")] = "127.0.0.1",
    token: Annotated[str | None, typer.Option(
        "--token", help="Secret required on every request (at least 16 characters).", show_default=False)] = None,
    generate_token: Annotated[bool, typer.Option(
        "--generate-token", help="Generate a random token and print the address that carries it.")] = False,
    runs_dir: Annotated[Path, typer.Option(
        "--runs-dir", help="Where runs started from the web page are written.")] = Path("results/web-runs"),
) -> None:
    """Start the local web dashboard (map, result views, compare, Run form); see docs/web.md."""
    try:
        from silkgrid.web.app import check_serve_options, create_app, is_loopback, make_server
    except ImportError as exc:
        raise UsageProblem(f"the web dashboard needs FastAPI and uvicorn ({exc})",
                           fix="pip install 'silkgrid[web]'") from None

    try:
        token = check_serve_options(host, port, token, generate_token, runs_dir)
    except ValueError as exc:
        option, problem, fix = exc.args
        raise UsageProblem(problem, option=option, fix=fix) from None
    web = create_app(dirs or [], runs_dir=runs_dir, token=token, loopback_only=is_loopback(host))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    _stderr().print(f"SilkGrid dashboard on {escape(url)} (Ctrl-C to stop)", soft_wrap=True)
    make_server(web, host, port).run()


# ----------------------------------------------------------------------------------------
# validate
# ----------------------------------------------------------------------------------------
def _counts(sc) -> dict[str, int]:
    from silkgrid.scenario.timeseries import make_snapshots

    return {
        "nodes": len(sc.nodes), "countries": len(sc.countries()), "carriers": len(sc.carriers),
        "technologies": len(sc.technologies), "generators": len(sc.generators),
        "storage": len(sc.storage), "links": len(sc.links), "loads": len(sc.loads),
        "markets": len(sc.markets), "snapshots": len(make_snapshots(sc.time)),
    }


@app.command()
@_guarded
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file or packaged data-set name.")],
    resolution: Annotated[str | None, typer.Option(help="Check with this time.resolution, e.g. '3h'.")] = None,
) -> None:
    """Load and check a scenario (files, profiles, references) without solving it."""
    res = _check_resolution(resolution)
    sc = _load(scenario)
    _apply_resolution(sc, res)
    counts = _counts(sc)
    console = _stdout()
    console.print(f"[bold green]OK[/]: scenario '{escape(sc.name)}' ({escape(str(sc.source_file))}) is valid.",
                  soft_wrap=True)
    parts = [f"{counts[k]} {k}" for k in ("nodes", "countries", "generators", "storage", "links", "loads",
                                          "markets")]
    console.print(", ".join(parts) + ".", soft_wrap=True)
    console.print(f"{counts['snapshots']:,} snapshots at {sc.time.resolution} resolution "
                  f"({sc.time.hours:,} hours of data from {sc.time.start}"
                  f"{', subset ' + sc.time.subset.start + ' .. ' + sc.time.subset.end if sc.time.subset else ''}).",
                  soft_wrap=True)


# ----------------------------------------------------------------------------------------
# info
# ----------------------------------------------------------------------------------------
def _time_span(sc) -> str:
    from silkgrid.scenario.timeseries import make_snapshots

    snaps = make_snapshots(sc.time)
    if not len(snaps):
        return "no snapshots"
    import pandas as pd

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
    t.add_row("Elements", ", ".join(f"{v} {k}" for k, v in _counts(sc).items()
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
    import numpy as np

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
    import numpy as np

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
@_guarded
def info(
    dataset: Annotated[str, typer.Argument(
        metavar="[DATASET_OR_FILE]", help="Packaged data-set name or scenario YAML file.")] = DEFAULT_DATASET,
    sources: Annotated[bool, typer.Option("--sources", help="List the citations behind the data set.")] = False,
    assumptions: Annotated[bool, typer.Option(
        "--assumptions", help="List every value that rests on an assumption, with the reason.")] = False,
    validate: Annotated[bool, typer.Option(
        "--validate", help="Modelled vs reported capacity factors of reference plants and national demand.")] = False,
) -> None:
    """Show what a data set or scenario holds: nodes, technologies, capacities, time span."""
    console = _stdout()
    if sources or assumptions:
        _print_provenance(dataset, console, sources=sources, assumptions=assumptions)
    if validate:
        _print_validation(console)
    if sources or assumptions or validate:
        return
    sc = _load(dataset)
    for section in INFO_SECTIONS:
        section(sc, console)


def _print_provenance(dataset: str, console: Console, *, sources: bool, assumptions: bool) -> None:
    from silkgrid.data import provenance

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
    from silkgrid.profiles.validate import validate_demand, validate_plants

    with _progress_status("computing reference-plant profiles (5 synthetic weather years)"):
        plants = validate_plants()
        demand = validate_demand()
    t = Table(title="Reference plants: modelled vs reported annual capacity factor (synthetic weather)")
    for col, just in (("plant", "left"), ("tech", "left"), ("reported", "right"), ("model, defaults", "right"),
                      ("model, site facts", "right"), ("error", "right"), ("calibrated", "left"), ("site", "left")):
        t.add_column(col, justify=just)
    for r in plants.itertuples():
        rep = (f"{r.reported_cf:.1%}" if r.reported_low == r.reported_high
               else f"{r.reported_cf:.1%} ({r.reported_low:.1%}-{r.reported_high:.1%})")
        t.add_row(r.name, r.technology, rep, f"{r.cf_default:.1%}", f"{r.cf_model:.1%}", f"{r.rel_error:+.1%}",
                  "yes" if r.calibrated else "no", r.site)
    console.print(t)
    d = Table(title="National demand: modelled vs statistics")
    for col in ("country", "annual reported TWh", "annual model TWh", "error", "peak reported MW",
                "peak model MW", "peak season reported / model"):
        d.add_column(col, justify="left" if col == "country" else "right")
    for r in demand.itertuples():
        peak = f"{r.peak_reported_mw:,.0f}" if r.peak_calibrated else "-"
        season = f"{r.peak_season_reported if isinstance(r.peak_season_reported, str) else '-'} / {r.peak_season_model}"
        d.add_row(r.country, f"{r.annual_reported_twh:.2f}", f"{r.annual_model_twh:.2f}",
                  f"{r.annual_rel_error:+.2%}", peak, f"{r.peak_model_mw:,.0f}", season)
    console.print(d)


def _version(value: bool) -> None:
    if value:
        from silkgrid import __version__

        typer.echo(f"silkgrid {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.",
                                          callback=_version, is_eager=True)] = False,
) -> None:
    """SilkGrid: capacity expansion co-optimised with hourly dispatch."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``silkgrid``)."""
    app(args=argv, prog_name="silkgrid")


if __name__ == "__main__":  # pragma: no cover
    main()
