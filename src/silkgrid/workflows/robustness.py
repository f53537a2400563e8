"""Robustness of the corridor answer: the same question under several weather years and finance cases.

:func:`corridor_cases` lists the cases (a Cartesian product of weather years and cost-of-capital /
capex cases of the ``corridor`` data set for one model year); :func:`run_cases` solves each with
:func:`silkgrid.workflows.run` and returns one row per case with the headline answers (Caspian and
Black Sea cable sizes, EU deliveries, delivered cost, CBAM matched share, system cost, emissions);
:func:`summarise` says how often the Caspian cable is built and the spread of the delivered cost.
Every case is an independent design for its own weather year (one design serving several years
together is the sweep engine's job).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.analysis.metrics import corridor_metrics
from silkgrid.results import Result
from silkgrid.workflows.run import RunSpec, plan_verdict, run

#: Called after each case with (cases done, cases in all, label of the case just finished).
CaseHook = Callable[[int, int, str], None]

#: Links whose size is the corridor decision (ids of the ``corridor`` data set).
DECISION_LINKS = {"caspian_mw": "caspian_hvdc", "black_sea_mw": "black_sea_hvdc"}

#: A cable smaller than this counts as "not built" in the summary, MW (below any real cable size).
BUILT_FLOOR_MW = 1.0


@dataclass(frozen=True)
class Case:
    """One robustness case: a label and the built data set it solves."""

    label: str
    year: int
    weather_year: int
    finance: str

    @property
    def slug(self) -> str:
        """The label as a directory name."""
        return "-".join(self.label.split())

    def scenario(self) -> dict:
        """The scenario reference (a built ``corridor`` data set with these options)."""
        return {"extends": {"dataset": "corridor", "year": self.year, "weather_year": self.weather_year,
                            "finance": self.finance}}


def corridor_cases(year: int, weather_years: Sequence[int] = (1, 2, 3),
                   finance: Sequence[str] = ("low", "central", "high")) -> list[Case]:
    """Every combination of ``weather_years`` and ``finance`` cases for the model ``year``."""
    return [Case(f"{year} weather {w} finance {f}", year, w, f) for w, f in itertools.product(weather_years, finance)]


def case_row(case: Case, result: Result, answers: dict | None = None) -> dict:
    """The headline answers of one solved case (NaN where the result has no plan); ``answers``: the
    case's corridor metrics when the run already computed them (else they are computed here)."""
    accepted, verdict = plan_verdict(result)
    row: dict = {"case": case.label, "year": case.year, "weather_year": case.weather_year,
                 "finance": case.finance, "verdict": verdict}
    if not accepted:
        return row
    links = result.tables["links"].set_index("id")["total_mw"]
    for col, lid in DECISION_LINKS.items():
        row[col] = float(links.get(lid, 0.0))
    if answers is None:
        answers, _ = corridor_metrics(result)
    row["system_cost_eur"] = result.total_cost_eur
    row["eu_delivered_twh"] = answers.get("eu_deliveries", {}).get("delivered_twh", np.nan)
    row["delivered_cost_eur_per_mwh"] = answers.get("delivered_cost", {}).get("delivered_cost_eur_per_mwh", np.nan)
    row["cbam_matched_share"] = answers.get("cbam", {}).get("matched_share", np.nan)
    row["emissions_t"] = float(result.tables["generators"]["emissions_t"].sum())
    return row


def run_cases(cases: Sequence[Case], *, resolution: str | None = "1h", solver: dict | None = None,
              progress: CaseHook | None = None, out_dir: str | Path | None = None) -> pd.DataFrame:
    """Solve every case (one after another) and return one row per case (:func:`case_row`).

    ``out_dir``: each case's result directory (tables, metrics) is written to ``out_dir/<slug>``
    (the label with spaces as dashes) and its path is the row's ``directory``.
    """
    rows = []
    for k, case in enumerate(cases, 1):
        out = None if out_dir is None else str(Path(out_dir) / case.slug)
        outcome = run(RunSpec(scenario=case.scenario(), out=out, resolution=resolution, solver=dict(solver or {}),
                              label=case.label, metrics=out is not None))
        rows.append({**case_row(case, outcome.result, outcome.answers), "directory": out})
        if progress is not None:
            progress(k, len(cases), case.label)
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame) -> dict:
    """How robust the answer is: cases solved, Caspian cable built in how many, the range of its
    size and of the delivered cost (EUR/MWh) and EU deliveries (TWh/yr) over the solved cases."""
    ok = table.dropna(subset=["caspian_mw"]) if "caspian_mw" in table else table.iloc[0:0]
    out = {"cases": int(len(table)), "solved": int(len(ok))}
    if not len(ok):
        return out
    out["caspian_built_in"] = int((ok["caspian_mw"] >= BUILT_FLOOR_MW).sum())
    for col in ("caspian_mw", "black_sea_mw", "delivered_cost_eur_per_mwh", "eu_delivered_twh"):
        vals = ok[col].dropna()
        if len(vals):
            out[col] = {"min": float(vals.min()), "median": float(vals.median()), "max": float(vals.max())}
    return out
