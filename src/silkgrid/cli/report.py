"""``silkgrid report``: the HTML report and PNG charts of a result directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from silkgrid.cli.app import app, guarded, stdout
from silkgrid.report import write_report
from silkgrid.report.pathway_page import write_pathway_report
from silkgrid.results.pathway import PATHWAY_FILE


@app.command("report")
@guarded
def report_cmd(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Results (or pathway) directory written by "
                                                                  "'silkgrid run'.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="HTML file to write (default: DIR/report.html).", show_default=False)] = None,
    week: Annotated[int, typer.Option("--week", min=1, help="Week of the dispatch charts (1 = first 7 days).")] = 1,
) -> None:
    """Write a self-contained HTML report (map, capacity, dispatch, prices, exports, CBAM, costs) and
    PNG charts (DIR/figures/) for a results directory; for a pathway directory, the pathway report
    (capacity, emissions, investment and links by period)."""
    if (directory / PATHWAY_FILE).is_file():
        page = write_pathway_report(directory, out)
    else:
        page = write_report(directory, out, week=week)
    stdout().print(f"Report written to {escape(str(page))}", soft_wrap=True)

