"""Workflows: what the CLI and the web run, as plain functions over picklable specs.

``run(RunSpec(...)) -> RunOutcome``: solve a scenario and write its result directory, corridor
metrics, counterfactual and report.  Sweeps, reliability runs and pathways build on it.
"""

from silkgrid.workflows.output import OutputPathError, OutputWriteError, check_not_inside, check_out
from silkgrid.workflows.run import (RunOutcome, RunSpec, StageHook, plan_verdict, proven_gap_text, resolve_scenario,
                                    run)

__all__ = ["OutputPathError", "OutputWriteError", "RunOutcome", "RunSpec", "StageHook", "check_not_inside",
           "check_out", "plan_verdict", "proven_gap_text", "resolve_scenario", "run"]
