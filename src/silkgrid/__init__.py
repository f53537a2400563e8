"""SilkGrid: capacity expansion co-optimised with hourly dispatch for cross-border corridors.

Python API::

    import silkgrid
    sc = silkgrid.load_scenario("example")
    result = silkgrid.solve(sc)
    result.objective, result.summary
    result.to_dir("results/example")
    silkgrid.Result.from_dir("results/example")

The package root is the public facade; the layers underneath are described in
``docs/architecture.md``.
"""

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.results import Result, solve
from silkgrid.scenario import Scenario, load_scenario

__all__ = ["Result", "Scenario", "ScenarioError", "SilkGridError", "load_scenario", "solve"]
__version__ = "0.1.0"
