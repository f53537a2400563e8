"""The run workflow: load -> solve -> counterfactual -> write -> metrics -> report.

:class:`RunSpec` says what to run (frozen and picklable, so a list of them can go to any
``concurrent.futures``-style executor, Dask's included: ``executor.map(run, specs)``);
:func:`run` does it and returns a :class:`RunOutcome`.  The CLI's ``run`` and the web's job
queue are thin shells over :func:`run`, so both accept the same plans by the same rule
(:func:`plan_verdict`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from silkgrid.analysis.counterfactual import COUNTERFACTUAL_FILE, co2_avoided
from silkgrid.analysis.metrics import write_metrics
from silkgrid.core.errors import SilkGridError
from silkgrid.core.jsonsafe import clean
from silkgrid.report import write_report
from silkgrid.results import Result, solve
from silkgrid.results.staging import output_lock, staged_dir
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import Scenario, Time
from silkgrid.solve.api import resolve_options
from silkgrid.solve.benders import IterationHook
from silkgrid.workflows.output import check_not_inside, write_errors

#: Called with a stage name as each stage starts: "load", "build", "solve", "counterfactual",
#: "write", "metrics", "report", and "commit" just before the complete directory is swapped in.
StageHook = Callable[[str], None]


@dataclass(frozen=True)
class RunSpec:
    """What to run: a scenario reference, overrides, solve options and the outputs wanted."""

    scenario: str | dict[str, Any]
    """A scenario YAML path, a packaged data-set name (``corridor``, ``corridor-2040``) or a
    scenario dict (validated like a file)."""
    out: str | None = None
    """Results directory (replaced as a whole); ``None``: nothing is written."""
    resolution: str | None = None
    """Overrides ``time.resolution``, e.g. ``"3h"``."""
    solver: dict[str, Any] = field(default_factory=dict)
    """Fields of :class:`~silkgrid.scenario.schema.SolverOptions` over the scenario's ``solver``."""
    label: str | None = None
    """Appended to the scenario name in the results: ``"corridor-2030 (LABEL)"``."""
    counterfactual: bool = False
    """Also solve without new links and write ``counterfactual.json`` (CO2 avoided)."""
    eu_displaced_factor_t_per_mwh: float | None = None
    """With ``counterfactual``: tCO2/MWh that net exports displace in the importing markets."""
    metrics: bool = True
    """Write ``metrics.json`` and ``metrics/`` (corridor answers) for a result with a plan."""
    report: bool = False
    """Write ``report.html`` and ``figures/`` for a result with a plan."""
    report_week: int = 1
    csv: bool = False
    """Also write every table as CSV."""
    extra_files: dict[str, str] = field(default_factory=dict)
    """More text files (name -> content) written into the directory before it is swapped in."""


@dataclass
class RunOutcome:
    """What :func:`run` produced; ``result`` always exists, files only where ``spec.out`` was given."""

    spec: RunSpec
    result: Result
    directory: Path | None = None
    answers: dict | None = None
    counterfactual: dict | None = None
    report: Path | None = None

    @property
    def accepted(self) -> bool:
        """Whether the run produced a plan (see :func:`plan_verdict`)."""
        return plan_verdict(self.result)[0]

    @property
    def verdict(self) -> str:
        return plan_verdict(self.result)[1]


def plan_verdict(result: Result) -> tuple[bool, str]:
    """The one plan-acceptance rule: (accepted, label).

    An optimal solution is accepted as "optimal".  A feasible plan whose distance from the
    optimum is proven (a decomposed solve stopped at its time or iteration limit) is accepted
    and labelled with its proven gap.  Anything else (infeasible, unbounded, stopped without a
    feasible plan) is refused, with the solver's plain-language message.
    """
    if result.optimal:
        return True, "optimal"
    if result.has_plan:
        return True, f"feasible plan ({result.status}), proven within {proven_gap_text(result)} of the optimum"
    return False, f"not optimal ({result.status}): {result.message}"


def proven_gap_text(result: Result) -> str:
    """The proven relative gap of a result as text ("0.42%"), or "an unproven amount"."""
    gap = result.solver.get("gap")
    return "an unproven amount" if gap is None else f"{gap:.2%}"


def resolve_scenario(spec: RunSpec) -> Scenario:
    """The scenario ``spec`` names, loaded and validated, with its overrides applied."""
    sc = load_scenario(spec.scenario)
    if spec.resolution is not None:
        sc.time = sc.time.model_copy(update={"resolution": Time(resolution=spec.resolution).resolution})
    if spec.label:
        sc.name = f"{sc.name} ({spec.label})"
    return sc


def run(spec: RunSpec, *, progress: StageHook | None = None, on_iteration: IterationHook | None = None,
        scenario: Scenario | None = None) -> RunOutcome:
    """Run ``spec``: solve, then write what it asks for; return the outcome.

    ``scenario``: the scenario ``spec`` names, already loaded by the caller (the web validates
    it when the run is submitted); otherwise it is loaded here.  A result without a plan is
    returned (and its ``summary.json`` written), not raised: ``outcome.accepted`` says.
    With ``spec.out`` the output path is locked from the start to the end (a second run
    into it fails at once), and everything requested (tables, counterfactual, metrics, report,
    ``spec.extra_files``) is written into a staging folder that replaces ``spec.out`` only when
    complete (:mod:`silkgrid.results.staging`).
    Raises :class:`~silkgrid.core.errors.ScenarioError` for bad input and
    :class:`~silkgrid.workflows.output.OutputPathError` when the output cannot be written
    (:class:`~silkgrid.workflows.output.OutputWriteError`: disk full, no permission, busy).
    """
    step = progress or (lambda stage: None)
    step("load")
    out = Path(spec.out).expanduser() if spec.out is not None else None
    with ExitStack() as stack:
        if out is not None:  # first of all: a second run into a busy path fails at once
            with write_errors():
                stack.enter_context(output_lock(out))
        sc = scenario if scenario is not None else resolve_scenario(spec)
        if out is not None:
            check_not_inside(out, sc.source_file)
        options = resolve_options(sc, spec.solver)
        result = solve(sc, options=options, progress=step, on_iteration=on_iteration)
        outcome = RunOutcome(spec=spec, result=result)
        if spec.counterfactual and result.optimal:
            step("counterfactual")
            outcome.counterfactual = co2_avoided(sc, lambda s: solve(s, options=options), result=result,
                                                 eu_displaced_factor_t_per_mwh=spec.eu_displaced_factor_t_per_mwh)
        if out is not None:
            with write_errors():
                _write(outcome, out, sc, step)
    return outcome


def _write(outcome: RunOutcome, out: Path, sc: Scenario, step: StageHook) -> None:
    """Write every requested file into one staging folder, then swap it in as ``out`` ("commit")."""
    spec, result = outcome.spec, outcome.result
    step("write")
    final = out.resolve()
    with staged_dir(out) as tmp:
        result.write_files(tmp, csv=spec.csv)
        if outcome.counterfactual is not None:
            (tmp / COUNTERFACTUAL_FILE).write_text(json.dumps(clean(outcome.counterfactual), indent=2) + "\n")
        if result.has_plan and spec.metrics:
            step("metrics")
            outcome.answers = write_metrics(tmp, result, sc)
        if result.has_plan and spec.report:
            step("report")
            outcome.report = final / write_report(tmp, week=spec.report_week).relative_to(tmp)
        for name, text in spec.extra_files.items():
            if Path(name).name != name or name.startswith("."):
                raise SilkGridError(f"extra file name {name!r} must be a plain file name (no folders)")
            (tmp / name).write_text(text)
        step("commit")
    outcome.directory = final
