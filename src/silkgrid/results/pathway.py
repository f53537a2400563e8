"""The result of a pathway: one :class:`~silkgrid.results.Result` per period, the vintages and the
pathway's totals (present values), written as one complete-or-absent directory.

``DIR/pathway.json`` (periods, weights, status, present-value cost, per-period headline),
``DIR/vintages.parquet`` (every vintage column: kind, id, build period, lifetime, MW or MWh built,
yearly cost) and ``DIR/capacity_by_period.parquet`` (MW alive by period, kind and element, with a
``period`` column) sit next to one ordinary result directory per period, ``DIR/period-YYYY/``, which
the report, the dashboard and ``silkgrid compare`` read as they read any result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.core.jsonsafe import clean
from silkgrid.core.units import MEUR_TO_EUR
from silkgrid.results.extract import extract
from silkgrid.results.result import Result
from silkgrid.results.staging import staged_dir
from silkgrid.scenario.pathway import PathwaySpec, load_pathway
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.api import SolvedModel, resolve_options
from silkgrid.solve.pathway import SolvedPathway, solve_pathway_lp

__all__ = ["PathwayResult", "extract_pathway", "solve_pathway", "PATHWAY_FILE"]

PATHWAY_FILE = "pathway.json"
#: Capacity scale of each vintage kind: LP GW (GWh) -> MW (MWh).
_TO_MW = 1e3


@dataclass
class PathwayResult:
    """A solved pathway: per-period results (yearly figures of each period) and pathway totals."""

    name: str
    periods: list[int]
    weights: np.ndarray
    status: str
    message: str
    objective_pv_eur: float | None
    """Present value of the optimised costs of all periods (EUR at the base year)."""
    objective_constant_pv_eur: float
    """Present value of the fixed costs of existing capacity (EUR)."""
    results: list[Result]
    vintages: pd.DataFrame
    solver: dict = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    def capacity_by_period(self) -> pd.DataFrame:
        """New capacity alive in each period by vintage kind and element, MW (MWh for storage
        energy), from the vintages: one row per (period, kind, id, build_period)."""
        v = self.vintages
        rows = [v[(v["build_period"] <= p) & (v["last_period"] >= p)].assign(period=p) for p in self.periods]
        out = pd.concat(rows, ignore_index=True) if rows else v.assign(period=[])
        return out[["period", "kind", "id", "build_period", "built_mw"]].rename(columns={"built_mw": "alive_mw"})

    @property
    def summary(self) -> dict:
        """Pathway totals and one headline per period (yearly figures of that period)."""
        per = []
        for year, w, r in zip(self.periods, self.weights, self.results):
            s = r.summary
            per.append({"period": year, "weight": float(w), "status": s.get("status"),
                        "total_cost_eur_per_yr": s.get("total_cost_eur"), "emissions_t": s.get("emissions_t"),
                        "demand_mwh": s.get("demand_mwh"),
                        "new_capacity_built_mw": float(self.vintages.loc[self.vintages["build_period"] == year,
                                                                          "built_mw"].sum())})
        return clean({"name": self.name, "status": self.status, "message": self.message,
                      "periods": self.periods, "period_weights": [float(w) for w in self.weights],
                      "objective_pv_eur": self.objective_pv_eur,
                      "fixed_cost_existing_pv_eur": self.objective_constant_pv_eur,
                      "total_cost_pv_eur": (None if self.objective_pv_eur is None
                                            else self.objective_pv_eur + self.objective_constant_pv_eur),
                      "solver": self.solver, "by_period": per})

    def to_dir(self, path: str | Path) -> Path:
        """Write the pathway directory (see the module doc) in one swap."""
        with staged_dir(path) as tmp:
            (tmp / PATHWAY_FILE).write_text(json.dumps(self.summary, indent=2) + "\n")
            self.vintages.to_parquet(tmp / "vintages.parquet")
            if len(self.vintages):
                self.capacity_by_period().to_parquet(tmp / "capacity_by_period.parquet")
            for year, r in zip(self.periods, self.results):
                folder = tmp / f"period-{year}"
                folder.mkdir()
                r.write_files(folder)
        return Path(path).expanduser().resolve()


def extract_pathway(solved: SolvedPathway, name: str) -> PathwayResult:
    """Per-period results and the vintage table of a solved pathway."""
    m, sol = solved.model, solved.solution
    results = []
    for k, (sc, block) in enumerate(zip(solved.scenarios, m.blocks)):
        info = {**solved.solver, "period": m.periods[k], "period_weight": float(m.weights[k])}
        results.append(extract(SolvedModel(scenario=sc, built=block, solution=solved.period_solution(k),
                                           message=solved.message, solver=info)))
    vint = m.vintages.drop(columns=["column"]).copy()
    vint["built_mw"] = (sol.x[m.vintages["column"].to_numpy()] * _TO_MW if sol.x is not None
                        else np.full(len(vint), np.nan))
    vint["built_mw"] = vint["built_mw"].where(vint["built_mw"].abs() >= 0.05, 0.0)  # solver round-off
    vint["cost_eur_per_mw_yr"] = vint.pop("cost_per_yr") * MEUR_TO_EUR / _TO_MW
    return PathwayResult(name=name, periods=m.periods, weights=m.weights, status=sol.status, message=solved.message,
                         objective_pv_eur=None if sol.objective is None else sol.objective * MEUR_TO_EUR,
                         objective_constant_pv_eur=m.lp.objective_constant * MEUR_TO_EUR, results=results,
                         vintages=vint, solver=solved.solver)


def solve_pathway(source: PathwaySpec | str | Path | dict, *, options: SolverOptions | dict | None = None
                  ) -> PathwayResult:
    """Load (if needed), build and solve a pathway with perfect foresight; a non-optimal outcome
    returns a result whose status and message say what happened."""
    spec = source if isinstance(source, PathwaySpec) else load_pathway(source)
    opts = resolve_options(spec.scenarios[0], options)
    solved = solve_pathway_lp(spec.scenarios, spec.periods, spec.weights(), opts)
    return extract_pathway(solved, spec.name)
