"""``silkgrid validate``: load and check a scenario without solving it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from silkgrid.cli.app import app, check_resolution, guarded, stdout
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.timeseries import make_snapshots
from silkgrid.workflows import RunSpec, resolve_scenario


def counts(sc: Scenario) -> dict[str, int]:
    return {
        "nodes": len(sc.nodes), "countries": len(sc.countries()), "carriers": len(sc.carriers),
        "technologies": len(sc.technologies), "generators": len(sc.generators),
        "storage": len(sc.storage), "links": len(sc.links), "loads": len(sc.loads),
        "markets": len(sc.markets), "snapshots": len(make_snapshots(sc.time)),
    }


@app.command()
@guarded
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file or packaged data-set name.")],
    resolution: Annotated[str | None, typer.Option(help="Check with this time.resolution, e.g. '3h'.")] = None,
) -> None:
    """Load and check a scenario (files, profiles, references) without solving it."""
    res = check_resolution(resolution)
    sc = resolve_scenario(RunSpec(scenario, resolution=res))
    n = counts(sc)
    console = stdout()
    console.print(f"[bold green]OK[/]: scenario '{escape(sc.name)}' ({escape(str(sc.source_file))}) is valid.",
                  soft_wrap=True)
    parts = [f"{n[k]} {k}" for k in ("nodes", "countries", "generators", "storage", "links", "loads",
                                          "markets")]
    console.print(", ".join(parts) + ".", soft_wrap=True)
    console.print(f"{n['snapshots']:,} snapshots at {sc.time.resolution} resolution "
                  f"({sc.time.hours:,} hours of data from {sc.time.start}"
                  f"{', subset ' + sc.time.subset.start + ' .. ' + sc.time.subset.end if sc.time.subset else ''}).",
                  soft_wrap=True)

