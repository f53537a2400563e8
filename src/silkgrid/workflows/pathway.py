"""The pathway workflow: load -> solve (with the pathway's foresight) -> write -> report.

:class:`PathwayRunSpec` says what to run (frozen and picklable, like :class:`~silkgrid.workflows.RunSpec`);
:func:`run_pathway` does it.  The directory is written complete or not at all, under the per-path
lock (:meth:`silkgrid.results.pathway.PathwayResult.to_dir`); the pathway report, where asked for,
is written into it afterwards (``report.html``, :mod:`silkgrid.report.pathway_page`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkgrid.report.pathway_page import write_pathway_report
from silkgrid.results.pathway import PathwayResult, solve_pathway
from silkgrid.results.staging import output_lock
from silkgrid.scenario.pathway import load_pathway
from silkgrid.workflows.output import check_not_inside, write_errors

__all__ = ["PathwayRunSpec", "PathwayOutcome", "run_pathway"]


@dataclass(frozen=True)
class PathwayRunSpec:
    """What to run: a pathway reference and the options over it."""

    pathway: str | dict[str, Any]
    """A pathway YAML path, a packaged pathway (``corridor-pathway``) or a pathway dict."""
    out: str | None = None
    """Pathway directory (replaced as a whole); ``None``: nothing is written."""
    resolution: str | None = None
    """Overrides every period's ``time.resolution``."""
    foresight: str | None = None
    """Overrides ``pathway.foresight`` (perfect, myopic; limited needs ``view_periods`` in the file)."""
    solver: dict[str, Any] = field(default_factory=dict)
    """Fields of :class:`~silkgrid.scenario.schema.SolverOptions` over the first period's ``solver``."""
    report: bool = False
    """Write ``report.html`` (the pathway report) into the directory."""


@dataclass
class PathwayOutcome:
    spec: PathwayRunSpec
    result: PathwayResult
    directory: Path | None = None
    report: Path | None = None


def run_pathway(spec: PathwayRunSpec, progress: Callable[[str], None] | None = None) -> PathwayOutcome:
    """Run ``spec``: stages "load", "solve", "write" and "report" are announced to ``progress``.
    Raises :class:`~silkgrid.core.errors.ScenarioError` for a bad pathway, and
    :class:`~silkgrid.workflows.output.OutputWriteError` when the directory cannot be written."""
    step = progress or (lambda stage: None)
    step("load")
    patch = {"time": {"resolution": spec.resolution}} if spec.resolution else None
    pathway = load_pathway(spec.pathway, patch=patch, foresight=spec.foresight)
    if spec.out is None:
        step("solve")
        return PathwayOutcome(spec, solve_pathway(pathway, options=spec.solver or None))
    out = Path(spec.out).expanduser().resolve()
    check_not_inside(out, spec.pathway if isinstance(spec.pathway, str) else None)
    with write_errors(), output_lock(out):
        step("solve")
        result = solve_pathway(pathway, options=spec.solver or None)
        step("write")
        directory = result.to_dir(out)
    report = None
    if spec.report and result.optimal:
        step("report")
        report = write_pathway_report(directory)
    return PathwayOutcome(spec, result, directory, report)
