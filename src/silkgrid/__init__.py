"""SilkGrid: capacity expansion co-optimised with hourly dispatch for cross-border corridors.

Python API::

    import silkgrid
    sc = silkgrid.load_scenario("example")
    result = silkgrid.solve(sc)
    result.objective, result.summary
    result.to_dir("results/example")
    silkgrid.Result.from_dir("results/example")
    pathway = silkgrid.solve_pathway("my_pathway.yaml")    # periods 2030 ... 2060, perfect foresight

The package root is the public facade; the layers underneath are described in
``docs/architecture.md``.
"""

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.results import Result, solve
from silkgrid.results.pathway import PathwayResult, solve_pathway
from silkgrid.scenario import Scenario, load_scenario

__all__ = ["PathwayResult", "Result", "Scenario", "ScenarioError", "SilkGridError", "load_scenario", "solve",
           "solve_pathway"]
__version__ = "0.1.0"
