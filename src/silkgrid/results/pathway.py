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
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.core.jsonsafe import clean
from silkgrid.core.units import MEUR_TO_EUR
from silkgrid.model.vintage_costs import Horizon, investment, share_left, vintage_pv
from silkgrid.results.extract import extract
from silkgrid.results.result import Result
from silkgrid.results.staging import staged_dir
from silkgrid.scenario.pathway import PathwaySpec, load_pathway
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.api import SolvedModel, resolve_options
from silkgrid.solve.pathway import SolvedPathway, solve_pathway_lp

__all__ = ["PathwayResult", "extract_pathway", "solve_pathway", "PATHWAY_FILE"]

PATHWAY_FILE = "pathway.json"
RATE_COLUMNS = ["id", "period", "max_mw", "built_mw", "binding", "shadow_price_eur_per_mw"]
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
    build_rates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RATE_COLUMNS))
    """Build-rate limits by period: id, period, max_mw (rate x years), built_mw, binding and
    shadow_price_eur_per_mw (present value at the base year of one more MW built in that period)."""

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

    def fleet_by_period(self) -> pd.DataFrame:
        """Capacity of every element in every period, MW (MWh for storage energy): existing (that
        period's own fleet, after its retirements), new (vintages alive) and total; one row per
        (period, kind, id), from the period results."""
        parts = []
        spec = {"generator": ("generators", "existing_mw", "new_mw", "total_mw"),
                "link": ("links", "existing_mw", "new_mw", "total_mw"),
                "storage_power": ("storage", "power_existing_mw", "power_new_mw", "power_total_mw"),
                "storage_energy": ("storage", "energy_existing_mwh", "energy_new_mwh", "energy_total_mwh")}
        for year, r in zip(self.periods, self.results):
            for kind, (table, e, n, t) in spec.items():
                df = r.tables.get(table)
                if df is None or not len(df):
                    continue
                parts.append(pd.DataFrame({"period": year, "kind": kind, "id": df["id"].to_numpy(),
                                           "existing_mw": df[e].to_numpy(float), "new_mw": df[n].to_numpy(float),
                                           "total_mw": df[t].to_numpy(float)}))
        cols = ["period", "kind", "id", "existing_mw", "new_mw", "total_mw"]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)

    def check_vintages(self, tol_mw: float = 0.1) -> list[str]:
        """Invariants of the vintage table against the period results (empty list: all hold): no
        vintage twice, nothing negative, every period's new capacity equal to the vintages alive in
        it (so existing capacity is never a vintage too), total = existing + new, a vintage alive only
        in [build year, build year + lifetime).  ``tol_mw`` absorbs the tables' rounding."""
        v, out = self.vintages, []
        dup = v[v.duplicated(["kind", "id", "build_period"], keep=False)]
        out += [f"vintage {k} '{i}' of {p} counted twice" for k, i, p in
                dup[["kind", "id", "build_period"]].drop_duplicates().itertuples(index=False)]
        if (v["built_mw"] < 0).any():
            out.append(f"{int((v['built_mw'] < 0).sum())} vintages have negative capacity")
        dead = v[v["last_period"] >= v["build_year"] + v["lifetime_years"]]
        out += [f"vintage {r.kind} '{r.id}' of {r.build_period} alive in {r.last_period}, after its lifetime"
                for r in dead.itertuples()]
        fleet = self.fleet_by_period()
        alive = self.capacity_by_period().groupby(["period", "kind", "id"])["alive_mw"].sum()
        f = fleet.set_index(["period", "kind", "id"])
        new = alive.reindex(f.index, fill_value=0.0)
        bad = f[(f["new_mw"] - new).abs() > tol_mw]
        out += [f"{k} '{i}' in {p}: {r.new_mw:.1f} MW new in the period result, {new.loc[(p, k, i)]:.1f} MW of "
                "vintages alive" for (p, k, i), r in bad.iterrows()]
        if (fleet[["existing_mw", "new_mw", "total_mw"]] < -tol_mw).any().any():
            out.append("negative capacity in a period result")
        off = f[(f["existing_mw"] + f["new_mw"] - f["total_mw"]).abs() > tol_mw]
        out += [f"{k} '{i}' in {p}: existing + new != total" for (p, k, i) in off.index]
        return out

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
            caps = r.tables.get("co2_caps")
            per.append({"period": year, "weight": float(w), "status": s.get("status"),
                        "total_cost_eur_per_yr": s.get("total_cost_eur"), "emissions_t": s.get("emissions_t"),
                        "demand_mwh": s.get("demand_mwh"),
                        "co2_shadow_price_eur_per_t": s.get("co2_shadow_price_eur_per_t"),
                        "co2_caps": [] if caps is None else caps.to_dict("records"),
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
            if len(self.build_rates):
                self.build_rates.to_parquet(tmp / "build_rates.parquet")
            self.fleet_by_period().to_parquet(tmp / "fleet_by_period.parquet")
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
    out = v.drop(columns=["column", "inherited", "pv_cost"]).copy()
    built = x[v["column"].to_numpy()] if x is not None else np.full(len(v), np.nan)
    out["built"] = built  # LP units (GW, GWh), kept for the next foresight step
    out["built_mw"] = np.where(np.abs(built * _TO_MW) >= 0.05, built * _TO_MW, 0.0)  # solver round-off
    end = out["build_year"] + out["lifetime_years"]
    out["last_period"] = [max([p for p in periods if b <= p < e], default=b) for b, e in zip(out["build_year"], end)]
    return out


def _rate_table(solved: SolvedPathway, only_period: int | None = None) -> pd.DataFrame:
    """The build-rate rows of ``solved`` (of ``only_period`` when given): what was built under each, MW,
    and its shadow price (present EUR per MW; NaN without duals)."""
    rr = solved.model.rate_rows
    if rr is None or not len(rr):
        return pd.DataFrame(columns=RATE_COLUMNS)
    rr = rr if only_period is None else rr[rr["period"] == only_period]
    sol = solved.solution
    rows = rr["row"].to_numpy(dtype=np.int64)
    if sol.x is not None:
        built = np.array([sol.x[c].sum() for c in rr["columns"]]) * _TO_MW
    else:
        built = np.full(len(rr), np.nan)
    dual = (np.full(len(rr), np.nan) if sol.row_dual is None
            else np.maximum(-sol.row_dual[rows], 0.0) * MEUR_TO_EUR / _TO_MW)
    return pd.DataFrame({"id": rr["id"].to_numpy(), "period": rr["period"].to_numpy(), "max_mw": rr["max_mw"].to_numpy(),
                         "built_mw": np.where(np.abs(built) >= 0.05, built, 0.0),
                         "binding": built >= rr["max_mw"].to_numpy() * (1 - 1e-6) - 1e-4,
                         "shadow_price_eur_per_mw": dual})


def _period_result(solved: SolvedPathway, k: int) -> Result:
    m = solved.model
    info = {**solved.solver, "period": m.periods[k], "period_weight": float(m.weights[k])}
    return extract(SolvedModel(scenario=solved.scenarios[k], built=m.blocks[k], solution=solved.period_solution(k),
                               message=solved.message, solver=info))


def _finish(name: str, horizon: Horizon, results: list[Result], vint: pd.DataFrame, status: str, message: str,
            constant_pv: float, solver: dict, rates: pd.DataFrame) -> PathwayResult:
    """The pathway result; its present-value cost is each period's yearly cost (operation and the
    yearly cost of every vintage alive in it) times the period's weight, whatever the foresight, with
    each vintage's end-of-horizon term (salvage) over the whole pathway added."""
    weights = np.asarray(horizon.weights, dtype=float)
    yearly = [r.objective for r in results]  # a foresight step that failed leaves later periods unsolved
    vint = vint.reset_index(drop=True)
    args = (vint["build_year"], vint["lifetime_years"], vint["cost_per_yr"], vint["capex_per_yr"],
            vint["capex_years"], vint["capex_rate"])
    pv_unit = vintage_pv(horizon, *args) if len(vint) else np.zeros(0)
    annuity = vintage_pv(replace(horizon, end_of_horizon="annuity"), *args) if len(vint) else pv_unit
    built = np.nan_to_num(vint["built"].to_numpy(dtype=float))
    pv = None if len(yearly) != len(weights) or any(y is None for y in yearly) else float(
        np.dot(weights, yearly) + (built * (pv_unit - annuity)).sum() * MEUR_TO_EUR)
    to_eur = MEUR_TO_EUR / _TO_MW  # LP MEUR per GW -> EUR per MW
    invest = investment(vint["capex_per_yr"].to_numpy(float), vint["capex_years"], vint["capex_rate"])
    left = share_left(horizon, vint["build_year"], vint["lifetime_years"])
    out = vint.drop(columns=["built", "cost_per_yr", "capex_per_yr", "capex_years", "capex_rate"])
    out["cost_eur_per_mw_yr"] = vint["cost_per_yr"] * to_eur
    out["capex_eur_per_mw_yr"] = vint["capex_per_yr"] * to_eur
    out["investment_eur_per_mw"] = invest * to_eur
    out["salvage_eur_per_mw"] = invest * left * to_eur
    out["pv_cost_eur_per_mw"] = pv_unit * to_eur
    return PathwayResult(name=name, periods=list(horizon.periods), weights=weights, status=status, message=message,
                         objective_pv_eur=pv, objective_constant_pv_eur=constant_pv, results=results,
                         vintages=out, solver={**solver, "end_of_horizon": horizon.end_of_horizon},
                         build_rates=rates.reset_index(drop=True))


def extract_pathway(solved: SolvedPathway, name: str) -> PathwayResult:
    """Per-period results and the vintage table of a pathway solved with perfect foresight."""
    m, sol = solved.model, solved.solution
    results = [_period_result(solved, k) for k in range(len(m.periods))]
    return _finish(name, m.horizon, results, _vintage_table(solved, m.periods), sol.status,
                   solved.message, m.lp.objective_constant * MEUR_TO_EUR, solved.solver, _rate_table(solved))


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
    years = spec.options.period_years()
    rules = {"end_of_horizon": spec.options.end_of_horizon, "build_rates": tuple(spec.options.build_rates),
             "last_build_year": dict(spec.options.last_build_year)}
    horizon = Horizon(periods, weights, years, spec.base_year, spec.discount_rate, **rules)
    if view >= len(periods):
        return extract_pathway(solve_pathway_lp(spec.scenarios, periods, weights, opts, horizon=horizon), spec.name)
    results, kept, rates, constant = [], [], [], 0.0
    status, message, solver = "optimal", "Optimal solution found.", {}
    for k in range(len(periods)):
        end = min(k + view, len(periods))
        inherited = pd.concat(kept, ignore_index=True) if kept else None
        view_h = Horizon(periods[k:end], weights[k:end], years[k:end], spec.base_year, spec.discount_rate, **rules)
        step = solve_pathway_lp(spec.scenarios[k:end], periods[k:end], weights[k:end], opts, inherited=inherited,
                                horizon=view_h)
        solver = {**step.solver, "method": f"pathway ({spec.options.foresight} foresight, view of {view} "
                                           f"period{'s' if view > 1 else ''}, monolithic steps)",
                  "periods": periods, "period_weights": [float(w) for w in weights]}
        if step.solution.status != "optimal":
            status, message = step.solution.status, f"Period {periods[k]}: {step.message}"
            break
        results.append(_period_result(step, 0))
        kept.append(_vintage_table(step, periods, only_period=periods[k]))
        rates.append(_rate_table(step, only_period=periods[k]))
        constant += float(weights[k]) * step.model.blocks[0].lp.objective_constant * MEUR_TO_EUR
    vint = pd.concat(kept, ignore_index=True) if kept else _vintage_table(step, periods).iloc[:0]
    rate_table = pd.concat(rates, ignore_index=True) if rates else pd.DataFrame(columns=RATE_COLUMNS)
    return _finish(spec.name, horizon, results, vint, status, message, constant, solver, rate_table)
