"""Scenario schema and loading."""

from silkgrid.scenario.loader import load_scenario, merge_scenarios
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.timeseries import Snapshots, make_snapshots

__all__ = ["Scenario", "Snapshots", "load_scenario", "make_snapshots", "merge_scenarios"]
