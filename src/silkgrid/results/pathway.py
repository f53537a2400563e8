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

    def _built_in(self, year: int) -> dict:
        """MW built in period ``year``: generation and storage power, links (storage energy apart, MWh)."""
        v = self.vintages[self.vintages["build_period"] == year]
        of = lambda *kinds: float(v.loc[v["kind"].isin(kinds), "built_mw"].sum())  # noqa: E731
        return {"new_capacity_built_mw": of("generator", "storage_power"), "new_link_capacity_built_mw": of("link"),
                "new_storage_energy_built_mwh": of("storage_energy")}

    @property
    def summary(self) -> dict:
        """Pathway totals and one headline per period (yearly figures of that period)."""
        per = []
        for year, w, r in zip(self.periods, self.weights, self.results):
            s = r.summary
            per.append({"period": year, "weight": float(w), "status": s.get("status"),
                        "total_cost_eur_per_yr": s.get("total_cost_eur"), "emissions_t": s.get("emissions_t"),
                        "demand_mwh": s.get("demand_mwh"),
                        **self._built_in(year)})
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


def _vintage_table(solved: SolvedPathway, periods: list[int], only_period: int | None = None) -> pd.DataFrame:
    """Vintages of ``solved`` (those built in ``only_period`` when given) with what was built (MW or
    MWh) and their last period alive in the whole pathway ``periods``."""
    m, x = solved.model, solved.solution.x
    v = m.vintages if only_period is None else m.vintages[(m.vintages["build_period"] == only_period)
                                                          & ~m.vintages["inherited"]]
    out = v.drop(columns=["column", "inherited"]).copy()
    built = x[v["column"].to_numpy()] if x is not None else np.full(len(v), np.nan)
    out["built"] = built  # LP units (GW, GWh), kept for the next foresight step
    out["built_mw"] = np.where(np.abs(built * _TO_MW) >= 0.05, built * _TO_MW, 0.0)  # solver round-off
    end = out["build_year"] + out["lifetime_years"]
    out["last_period"] = [max([p for p in periods if b <= p < e], default=b) for b, e in zip(out["build_year"], end)]
    return out


def _period_result(solved: SolvedPathway, k: int) -> Result:
    m = solved.model
    info = {**solved.solver, "period": m.periods[k], "period_weight": float(m.weights[k])}
    return extract(SolvedModel(scenario=solved.scenarios[k], built=m.blocks[k], solution=solved.period_solution(k),
                               message=solved.message, solver=info))


def _finish(name: str, spec_periods: list[int], weights: np.ndarray, results: list[Result], vint: pd.DataFrame,
            status: str, message: str, constant_pv: float, solver: dict) -> PathwayResult:
    """The pathway result; its present-value cost is each period's yearly cost (operation and the
    yearly cost of every vintage alive in it) times the period's weight, whatever the foresight."""
    yearly = [r.objective for r in results]  # a foresight step that failed leaves later periods unsolved
    pv = None if len(yearly) != len(weights) or any(y is None for y in yearly) else float(np.dot(weights, yearly))
    vint = vint.drop(columns=["built"]).reset_index(drop=True)
    vint["cost_eur_per_mw_yr"] = vint.pop("cost_per_yr") * MEUR_TO_EUR / _TO_MW
    return PathwayResult(name=name, periods=spec_periods, weights=weights, status=status, message=message,
                         objective_pv_eur=pv, objective_constant_pv_eur=constant_pv, results=results,
                         vintages=vint, solver=solver)


def extract_pathway(solved: SolvedPathway, name: str) -> PathwayResult:
    """Per-period results and the vintage table of a pathway solved with perfect foresight."""
    m, sol = solved.model, solved.solution
    results = [_period_result(solved, k) for k in range(len(m.periods))]
    return _finish(name, m.periods, m.weights, results, _vintage_table(solved, m.periods), sol.status,
                   solved.message, m.lp.objective_constant * MEUR_TO_EUR, solved.solver)


def solve_pathway(source: PathwaySpec | str | Path | dict, *, options: SolverOptions | dict | None = None
                  ) -> PathwayResult:
    """Load (if needed), build and solve a pathway with its foresight (``pathway.foresight``); a
    non-optimal outcome returns a result whose status and message say what happened.

    Perfect foresight solves one LP over all periods.  Myopic and limited foresight decide one
    period at a time with a view of 1 (myopic) or ``view_periods`` periods: the vintages built in the
    period are kept, fixed, for the next steps, which see only their own view's costs (the bias of
    myopia); the pathway's cost is then counted in full (every vintage's yearly cost in every period
    it is alive), so the foresight modes compare on one basis.
    """
    spec = source if isinstance(source, PathwaySpec) else load_pathway(source)
    opts = resolve_options(spec.scenarios[0], options)
    periods, weights, view = spec.periods, spec.weights(), spec.options.view()
    if view >= len(periods):
        return extract_pathway(solve_pathway_lp(spec.scenarios, periods, weights, opts), spec.name)
    results, kept, constant = [], [], 0.0
    status, message, solver = "optimal", "Optimal solution found.", {}
    for k in range(len(periods)):
        end = min(k + view, len(periods))
        inherited = pd.concat(kept, ignore_index=True) if kept else None
        step = solve_pathway_lp(spec.scenarios[k:end], periods[k:end], weights[k:end], opts, inherited=inherited)
        solver = {**step.solver, "method": f"pathway ({spec.options.foresight} foresight, view of {view} "
                                           f"period{'s' if view > 1 else ''}, monolithic steps)",
                  "periods": periods, "period_weights": [float(w) for w in weights]}
        if step.solution.status != "optimal":
            status, message = step.solution.status, f"Period {periods[k]}: {step.message}"
            break
        results.append(_period_result(step, 0))
        kept.append(_vintage_table(step, periods, only_period=periods[k]))
        constant += float(weights[k]) * step.model.blocks[0].lp.objective_constant * MEUR_TO_EUR
    vint = pd.concat(kept, ignore_index=True) if kept else _vintage_table(step, periods).iloc[:0]
    return _finish(spec.name, periods, weights, results, vint, status, message, constant, solver)
