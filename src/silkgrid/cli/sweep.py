"""``silkgrid sweep`` and ``silkgrid catalog``: many runs on Dask into one directory and its DuckDB catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from silkgrid.cli.app import UsageProblem, app, guarded, stderr, stdout
from silkgrid.core.files import write_text_atomic
from silkgrid.workflows.catalog import query
from silkgrid.workflows.sweep_run import SweepProgress, run_sweep, sweep_status
from silkgrid.workflows.sweep_spec import load_sweep


def _eta(s: SweepProgress) -> str:
    eta = s.eta_s()
    if eta is None:
        return "ETA -"
    m, sec = divmod(int(round(eta)), 60)
    return f"ETA {m}:{sec:02d}"


@app.command()
@guarded
def sweep(
    target: Annotated[str, typer.Argument(help="A sweep file (YAML), or 'status' followed by a sweep directory.",
                                          show_default=False)],
    directory: Annotated[Path | None, typer.Argument(help="With 'status': the sweep directory.",
                                                     show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Sweep directory: runs/KEY/ per run, "
                                             "catalog.duckdb. Running again resumes: finished runs are skipped.",
                                             show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes of the local Dask cluster (default: "
                                                "one per core).", min=1, show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler "
                                                  "(tcp://HOST:PORT) instead of a local cluster.",
                                                  show_default=False)] = None,
    retries: Annotated[int, typer.Option(help="Times a run that raises is retried before it is recorded as "
                                         "failed (a lost worker's runs are rerun anyway).", min=0)] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run every point of a sweep file on Dask (resumable), or show a sweep's status."""
    if target == "status":
        if directory is None:
            raise UsageProblem("'silkgrid sweep status' needs the sweep directory", fix="silkgrid sweep status DIR")
        _status(directory)
        return
    if directory is not None:
        raise UsageProblem(f"unexpected argument '{directory}'", fix="give the sweep file and --out DIR")
    if out is None:
        raise UsageProblem("a sweep needs an output directory", option="--out", fix="add --out DIR")
    if workers is not None and scheduler:
        raise UsageProblem("--workers sizes the local cluster; --scheduler uses an existing one", option="--workers",
                           fix="give one of them")
    path = Path(target)
    if not path.is_file():
        raise UsageProblem(f"sweep file '{target}' not found", fix="give a YAML sweep file (docs/sweeps.md), or "
                           "'status DIR'")
    err = stderr()
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise UsageProblem(f"'{out}' exists and is not a directory", option="--out", fix="give a directory path")
    ours = any((out / f).exists() for f in ("catalog.duckdb", "sweep.yaml", "runs"))  # a sweep, maybe cut short
    if out.is_dir() and any(out.iterdir()) and not ours:
        raise UsageProblem(f"'{out}' is a non-empty directory that is not a sweep directory (no catalog.duckdb)",
                           option="--out", fix="choose a new or empty directory, or the directory of this sweep")
    with err.status("validating the sweep's points", spinner="dots") if not quiet else _nothing():
        plan = load_sweep(path)
    if not quiet:
        err.print(f"{len(plan.points)} points, axes: {escape(', '.join(plan.axis_paths) or '(none)')}")
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), TextColumn("{task.fields[eta]}"),
                   console=err, disable=quiet, transient=False)
    with bar:
        task = bar.add_task("sweep", total=len(plan.points), counts="", eta="")

        def progress(s: SweepProgress) -> None:
            bar.update(task, completed=s.finished, eta=_eta(s),
                       counts=f"done {s.done} · running {s.running} · failed {s.failed} · skipped {s.skipped}")

        result = run_sweep(plan, out, workers=workers, scheduler=scheduler, retries=retries,
                           sweep_text=path.read_text(encoding="utf-8"), progress=progress)
    s = result.progress
    stdout().print(f"Sweep {escape(plan.spec.name)}: {s.done} run, {s.skipped} already finished, {s.failed} failed; "
                   f"catalog {escape(str(result.directory / 'catalog.duckdb'))}", soft_wrap=True)
    if s.failed:
        raise typer.Exit(1)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _status(directory: Path) -> None:
    st = sweep_status(directory)
    t = Table(title=f"Sweep {escape(str(directory))}", title_justify="left")
    t.add_column("status")
    t.add_column("runs", justify="right")
    for k, n in st["by_status"].items():
        t.add_row(escape(k), str(n))
    t.add_row("not run yet", str(st["not_run"]))
    t.add_row("[bold]planned[/]", f"[bold]{st['planned']}[/]")
    stdout().print(t)


@app.command()
@guarded
def catalog(
    directory: Annotated[Path, typer.Argument(help="A sweep directory (with catalog.duckdb).", show_default=False)],
    sql: Annotated[str, typer.Option(help="SQL over the tables runs, links and planned and the view plan_runs "
                                     "(the runs of the current plan).")] = (
        "SELECT point, status, objective_eur, gap, system_cost_eur, delivered_cost_eur_per_mwh FROM plan_runs "
        "ORDER BY point"),
    csv: Annotated[Path | None, typer.Option(help="Write the rows to this CSV file instead of printing them.",
                                             show_default=False)] = None,
) -> None:
    """Query a sweep's result catalog with SQL (DuckDB); print the rows or write them as CSV."""
    rows = query(directory, sql)
    if csv is not None:
        write_text_atomic(csv.expanduser(), rows.to_csv(index=False))
        stdout().print(f"{len(rows)} rows written to {escape(str(csv))}", soft_wrap=True)
        return
    t = Table(box=None)
    for c in rows.columns:
        t.add_column(escape(str(c)), justify="right")
    for r in rows.itertuples(index=False):
        t.add_row(*[escape(f"{v:.6g}" if isinstance(v, float) else str(v)) for v in r])
    stdout().print(t)
