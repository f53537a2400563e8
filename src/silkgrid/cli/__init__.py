"""Command-line interface ``silkgrid``: one module per command, all thin shells over the layers below.

``run`` calls :func:`silkgrid.workflows.run`; ``report``, ``compare``, ``serve``, ``validate``
and ``info`` call the report, analysis, web, scenario and data layers.  Exit codes:
:mod:`silkgrid.cli.app`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from silkgrid import __version__
from silkgrid.cli import run, robustness, sweep, validate, info, compare, report, serve  # noqa: F401,I001  (registers the commands, in help order)
from silkgrid.cli.app import DEBUG_ENV, DEFAULT_DATASET, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_OPTIMAL, app
from silkgrid.cli.info import INFO_SECTIONS

__all__ = ["DEBUG_ENV", "DEFAULT_DATASET", "EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_NOT_OPTIMAL", "INFO_SECTIONS",
           "app", "main"]


def _version(value: bool) -> None:
    if value:
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
