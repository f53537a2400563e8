"""Solver options of a scenario (``solver:``): the strategy and the options of the LPs it solves.

Part of the scenario schema (:mod:`silkgrid.scenario.schema` re-exports it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, use_attribute_docstrings=True)


#: HiGHS algorithms that ``solver.method`` named before strategies existed.
LP_ALGORITHMS = ("ipm", "simplex", "pdlp", "choose")

Algorithm = Literal["ipm", "simplex", "pdlp", "choose", "clarabel"]


class SolverOptions(_Strict):
    """How to solve: the strategy (``method``) and the HiGHS options of the LPs it solves."""

    method: Literal["auto", "monolithic", "decomposed", "aggregated"] = "auto"
    """monolithic: one LP over the whole horizon; decomposed: Benders decomposition over time windows,
    solved to the proven relative gap ``gap``; aggregated: one LP over ``segments`` time segments
    (fast, approximate, no bound); auto: monolithic up to 100,000 LP variables, decomposed above."""
    algorithm: Algorithm = "clarabel"
    """LP algorithm for monolithic and aggregated LPs: HiGHS's interior point (ipm), simplex, pdlp or
    choose, or Clarabel's interior point with direct factorisation (clarabel)."""
    gap: Annotated[float, Field(gt=0, lt=1)] = 1e-3
    """Relative optimality gap (upper - lower bound) / |upper| at which the decomposed method stops."""
    window_hours: Annotated[int, Field(ge=1)] = 168
    """Length of the decomposed method's time windows, h (one operational subproblem each)."""
    workers: Annotated[int, Field(ge=1)] | None = None
    """Processes for the decomposed method's subproblems (default: the number of CPU cores, at most 8)."""
    dask_scheduler: str | None = None
    """Decomposed method: address of a Dask scheduler (``tcp://HOST:PORT``) whose workers solve the
    window subproblems (one actor per worker, ``workers`` of them at most) instead of local processes."""
    segments: Annotated[int, Field(ge=1)] = 876
    """Time segments of the aggregated method."""
    max_iterations: Annotated[int, Field(ge=0)] = 1000
    """Decomposed: stop after this many Benders iterations (the best feasible plan is returned with its gap)."""
    warm_start: bool = True
    """Decomposed method: start from the aggregated solution (capacities and storage levels)."""
    warm_start_algorithm: Algorithm = "clarabel"
    """Decomposed method: LP algorithm of the warm start (Clarabel: 22 s on the 876-segment corridor year,
    HiGHS ipm 76-131 s)."""
    warm_start_segments: Annotated[int, Field(ge=1)] | None = None
    """Decomposed method: time segments of the warm start (default: one per 10 modelled time steps,
    876 for an hourly year)."""
    clarabel_linear_solver: Literal["faer", "qdldl"] = "faer"
    """Sparse LDL^T back-end of Clarabel (algorithm clarabel and the warm start).  Which one is faster
    depends on the fill of the factorisation: the synthetic 12-node year's warm start took 102 s with
    faer and 179 s with qdldl, the 8-node one 60 s with faer and 27 s with qdldl (docs/performance.md)."""
    crossover: bool = False
    """Run crossover after interior point (vertex solution, exact duals; slower)."""
    simplex_strategy: Literal["dual", "primal"] = "dual"
    """Simplex variant when algorithm is simplex; primal was about 2x faster on corridor LPs (benchmarks/)."""
    time_limit_s: Annotated[float, Field(gt=0)] | None = None
    """Stop after this many seconds (decomposed: 600 s when unset; the best feasible plan so far is
    returned, tables included, with its proven gap)."""
    threads: Annotated[int, Field(ge=0)] = 0
    """Threads (0: HiGHS default)."""
    primal_feasibility_tolerance: Annotated[float, Field(gt=0, lt=1)] = 1e-7
    """HiGHS primal feasibility tolerance."""
    dual_feasibility_tolerance: Annotated[float, Field(gt=0, lt=1)] = 1e-7
    """HiGHS dual feasibility tolerance."""
    ipm_optimality_tolerance: Annotated[float, Field(gt=0, lt=1)] = 1e-8
    """Interior-point relative gap tolerance."""
    presolve: bool = True
    """Run HiGHS presolve."""
    log: bool = False
    """Print the solver log."""

    @model_validator(mode="before")
    @classmethod
    def _legacy_method(cls, data: Any) -> Any:
        """``method: ipm|simplex|pdlp|choose`` (before strategies existed) names the algorithm."""
        if isinstance(data, dict) and data.get("method") in LP_ALGORITHMS:
            data = {**data, "algorithm": data["method"], "method": "auto"}
        return data
