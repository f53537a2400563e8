"""SilkGrid: capacity expansion co-optimised with hourly dispatch for cross-border corridors.

Python API::

    import silkgrid
    sc = silkgrid.load_scenario("example")
    result = silkgrid.solve(sc)
    result.objective, result.summary
    result.to_dir("results/example")
"""

from silkgrid.errors import ScenarioError, SilkGridError
from silkgrid.results import Result
from silkgrid.scenario import Scenario, load_scenario
from silkgrid.solve import solve

__all__ = ["Result", "Scenario", "ScenarioError", "SilkGridError", "load_scenario", "solve"]
__version__ = "0.1.0"
