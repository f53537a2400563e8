"""``silkgrid compare``: headline metrics of result directories side by side, with deltas."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from silkgrid.analysis.compare import ResultDirError, compare_table
from silkgrid.analysis.compare import labels as dir_labels
from silkgrid.cli.app import UsageProblem, app, error, guarded, stdout
from silkgrid.report.formatting import (fmt_emissions, fmt_energy, fmt_eur_per_yr, fmt_mw, fmt_pct_change, fmt_price,
                                        negligible)


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
    return ("+" + out) if signed and x > 0 and not negligible(x, unit) else out


@app.command()
@guarded
def compare(
    dirs: Annotated[list[Path], typer.Argument(
        metavar="DIR_A DIR_B [...]", help="Results directories of 'silkgrid run' (the first is the reference).",
        show_default=False)],
    csv_path: Annotated[Path | None, typer.Option(
        "--csv", help="Write the table here (default: compare.csv next to DIR_A).", show_default=False)] = None,
) -> None:
    """Compare headline metrics of results directories, with deltas vs the first."""
    try:
        table = compare_table(list(dirs))
    except ResultDirError as exc:
        raise UsageProblem(exc.problem, option="DIRS", fix=exc.fix) from None
    labels = dir_labels(list(dirs))
    target = (csv_path.expanduser() if csv_path is not None
              else Path(dirs[0]).expanduser().resolve().parent / "compare.csv")
    if target.is_dir():
        raise UsageProblem(f"'{target}' is a directory", option="--csv", fix="give a file path, e.g. compare.csv")

    console = stdout()
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
                      fmt_pct_change(pct)]
        t.add_row(*cells)
    console.print(t)
    for lab, status in zip(labels, table.iloc[0][labels]):
        if status != "optimal":
            error(f"'{lab}' is not an optimal result (status {status}); its figures are missing (n/a).",
                   label="Warning")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(target, index=False)
    except OSError as exc:
        raise UsageProblem(f"the table cannot be written to '{target}' ({exc.strerror or exc})", option="--csv",
                           fix="check the path and its permissions") from None
    console.print(f"Comparison written to {escape(str(target))}", soft_wrap=True)

