"""Workflows: what the CLI and the web run, as plain functions over picklable specs.

``run(RunSpec(...)) -> RunOutcome``: solve a scenario and write its result directory, corridor
metrics, counterfactual and report.  ``run_pathway(PathwayRunSpec(...))``: a pathway (periods,
vintages, foresight) into one directory.  Sweeps and reliability runs build on them.
"""

from silkgrid.workflows.output import OutputPathError, OutputWriteError, check_not_inside, check_out
from silkgrid.workflows.pathway import PathwayOutcome, PathwayRunSpec, run_pathway
from silkgrid.workflows.run import (RunOutcome, RunSpec, StageHook, plan_verdict, proven_gap_text, resolve_scenario,
                                    run)

__all__ = ["OutputPathError", "OutputWriteError", "PathwayOutcome", "PathwayRunSpec", "RunOutcome", "RunSpec",
           "StageHook", "check_not_inside", "check_out", "plan_verdict", "proven_gap_text", "resolve_scenario", "run",
           "run_pathway"]
