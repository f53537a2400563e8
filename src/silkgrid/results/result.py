"""A solve's result in user units (MW, MWh, EUR, tCO2): self-contained and serialisable.

A :class:`Result` carries the scenario it solved, so analysis needs nothing else;
:meth:`Result.to_dir` and :meth:`Result.from_dir` write and read a result directory
symmetrically (files documented in ``docs/results.md``).  It pickles, so it can come back from
a worker process or a Dask worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.core.jsonsafe import clean
from silkgrid.results.staging import staged_dir
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.serialise import from_plain, to_plain

#: Files of a result directory besides the tables (``docs/results.md``).
SUMMARY_FILE = "summary.json"
NETWORK_FILE = "network.json"
SCENARIO_FILE = "scenario.json"
PROFILES_FILE = "scenario_profiles.parquet"


@dataclass
class Result:
    """A solved (or failed) scenario.

    ``objective`` is the optimised annual system cost, EUR/yr, without constants;
    ``total_cost_eur`` adds the fixed yearly costs of existing (non-extendable) capacity.
    """

    scenario_name: str
    status: str
    message: str
    objective: float | None
    objective_constant: float
    snapshots: pd.DatetimeIndex
    weights: np.ndarray
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    hourly: dict[str, pd.DataFrame] = field(default_factory=dict)
    co2_shadow_price_eur_per_t: float | None = None
    co2_price_eur_per_t: float = 0.0
    solver: dict = field(default_factory=dict)
    weather: str = ""
    """How the weather profiles behind the result were made (from the scenario)."""
    network: dict = field(default_factory=dict)
    """Element metadata for reports (:func:`network_info`); written as ``network.json``."""
    scenario: Scenario | None = field(default=None, repr=False)
    """The scenario as solved (``extends`` resolved, command-line overrides applied); written as
    ``scenario.json`` + ``scenario_profiles.parquet``.  ``None`` only for directories written
    before results carried their scenario."""

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def has_plan(self) -> bool:
        """Tables exist: the solution is optimal, or feasible with a proven gap (a decomposed
        solve stopped at its time or iteration limit; ``solver.gap`` says how far from optimal)."""
        return bool(self.tables)

    @property
    def total_cost_eur(self) -> float | None:
        return None if self.objective is None else self.objective + self.objective_constant

    # ------------------------------------------------------------------------------------
    @property
    def summary(self) -> dict:
        """Headline figures as plain JSON-serialisable data."""
        out: dict = {
            "scenario": self.scenario_name,
            "weather": self.weather,
            "status": self.status,
            "message": self.message,
            "objective_eur": self.objective,
            "total_cost_eur": self.total_cost_eur,
            "fixed_cost_existing_eur": self.objective_constant,
            "snapshots": {"count": int(len(self.snapshots)),
                          "first": str(self.snapshots[0]) if len(self.snapshots) else None,
                          "hours_per_year_weight": float(self.weights.sum())},
            "co2_price_eur_per_t": self.co2_price_eur_per_t,
            "co2_shadow_price_eur_per_t": self.co2_shadow_price_eur_per_t,
            "solver": self.solver,
        }
        if not self.tables:
            return clean(out)
        g, s, ln, nodes = (self.tables[k] for k in ("generators", "storage", "links", "nodes"))
        cap_tech = g.groupby("technology")["total_mw"].sum().to_dict()
        for tech, mw in s.groupby("technology")["power_total_mw"].sum().items():
            cap_tech[tech] = cap_tech.get(tech, 0.0) + mw
        by_node: dict[str, dict[str, float]] = {}
        for (node, tech), mw in g.groupby(["node", "technology"])["total_mw"].sum().items():
            by_node.setdefault(node, {})[tech] = mw
        for (node, tech), mw in s.groupby(["node", "technology"])["power_total_mw"].sum().items():
            by_node.setdefault(node, {})[tech] = by_node.get(node, {}).get(tech, 0.0) + mw
        new_tech = g.groupby("technology")["new_mw"].sum().to_dict()
        for tech, mw in s.groupby("technology")["power_new_mw"].sum().items():  # as capacity_mw: incl. storage
            new_tech[tech] = new_tech.get(tech, 0.0) + mw
        out.update({
            "capacity_mw": {"by_technology": cap_tech, "by_node": by_node},
            "new_capacity_mw": {"by_technology": new_tech},
            "storage_energy_mwh": s.set_index("id")["energy_total_mwh"].to_dict(),
            "link_capacity_mw": ln.set_index("id")["total_mw"].to_dict(),
            "new_link_capacity_mw": ln.set_index("id")["new_mw"].to_dict(),
            "generation_mwh": {"total": float(g["generation_mwh"].sum()),
                               "by_technology": g.groupby("technology")["generation_mwh"].sum().to_dict()},
            "curtailment_mwh": {"total": float(g["curtailment_mwh"].sum()),
                                "by_technology": g.groupby("technology")["curtailment_mwh"].sum().to_dict()},
            "demand_mwh": float(nodes["demand_mwh"].sum()),
            "unserved_energy_mwh": float(nodes["unserved_mwh"].sum()),
            "emissions_t": float(g["emissions_t"].sum()),
            "emissions_t_by_country": g.groupby("country")["emissions_t"].sum().to_dict(),
            "link_losses_mwh": float(ln["losses_mwh"].sum()),
            "link_flows_mwh": {r.id: {"forward": r.forward_mwh, "backward": r.backward_mwh, "losses": r.losses_mwh}
                               for r in ln.itertuples()},
            "market_sales_mwh": self.tables["markets"].set_index("id")["sold_mwh"].to_dict(),
            "market_purchases_mwh": self.tables["markets"].set_index("id")["bought_mwh"].to_dict(),
            "average_price_eur_per_mwh": nodes.set_index("id")["mean_price_eur_per_mwh"].to_dict(),
        })
        return clean(out)

    # ------------------------------------------------------------------------------------
    def to_dir(self, path: str | Path, *, csv: bool = False) -> Path:
        """Write the result directory (summary, network, scenario, tables); atomically replaces ``path``.

        Everything is written into a hidden staging folder next to ``path``, which then replaces
        ``path`` in one swap, under the per-path lock (:mod:`silkgrid.results.staging`): a reader
        sees the old directory or the new one, never a mix.  ``csv`` also writes every table as
        CSV.  Raises :class:`~silkgrid.results.staging.ResultWriteError` (disk full, no
        permission, another writer busy with ``path``); nothing is then written.
        """
        with staged_dir(path) as tmp:
            self.write_files(tmp, csv=csv)
        return Path(path).expanduser().resolve()

    def write_files(self, folder: Path, *, csv: bool = False) -> None:
        """Write the files of :meth:`to_dir` into the existing ``folder`` (no swap, no lock)."""
        (folder / SUMMARY_FILE).write_text(json.dumps(self.summary, indent=2) + "\n")
        if self.network and self.tables:
            net = {**self.network, "weights_h": [float(x) for x in self.weights]}
            (folder / NETWORK_FILE).write_text(json.dumps(clean(net), indent=1) + "\n")
        if self.scenario is not None:
            plain, profiles = to_plain(self.scenario)
            (folder / SCENARIO_FILE).write_text(json.dumps(plain, indent=1) + "\n")
            if profiles:
                pd.DataFrame(profiles).to_parquet(folder / PROFILES_FILE)
        for name, df in {**self.tables, **self.hourly}.items():
            df.to_parquet(folder / f"{name}.parquet")
            if csv:
                df.to_csv(folder / f"{name}.csv", index=name in self.hourly)  # no row-number column

    @classmethod
    def from_dir(cls, path: str | Path) -> "Result":
        """Read a result directory written by :meth:`to_dir` (the inverse of it).

        Element and hourly tables are told apart by their index (hourly tables are indexed by
        ``snapshot``).  Raises :class:`~silkgrid.core.errors.SilkGridError` for a folder that
        is not a result directory.
        """
        path = Path(path)
        summary_file = path / SUMMARY_FILE
        if not summary_file.is_file():
            raise SilkGridError(f"'{path}' is not a SilkGrid results directory (no {SUMMARY_FILE}); "
                                "write one with 'silkgrid run --out DIR'")
        s = json.loads(summary_file.read_text())
        net_file = path / NETWORK_FILE
        network = json.loads(net_file.read_text()) if net_file.is_file() else {}
        tables: dict[str, pd.DataFrame] = {}
        hourly: dict[str, pd.DataFrame] = {}
        for f in sorted(path.glob("*.parquet")):
            if f.name == PROFILES_FILE:
                continue
            df = pd.read_parquet(f)
            (hourly if df.index.name == "snapshot" else tables)[f.stem] = df
        index = next(iter(hourly.values())).index if hourly else pd.DatetimeIndex([], name="snapshot")
        weights = np.asarray(network.pop("weights_h", []), dtype=float)
        if len(weights) != len(index):
            count = max(len(index), 1)
            weights = np.full(len(index), (s.get("snapshots") or {}).get("hours_per_year_weight", 0.0) / count)
        scenario = None
        if (path / SCENARIO_FILE).is_file():
            profiles_file = path / PROFILES_FILE
            profiles = ({k: v.to_numpy() for k, v in pd.read_parquet(profiles_file).items()}
                        if profiles_file.is_file() else {})
            scenario = from_plain(json.loads((path / SCENARIO_FILE).read_text()), profiles,
                                  source=(network.get("scenario") or {}).get("source") or str(path / SCENARIO_FILE))
        return cls(scenario_name=s["scenario"], status=s["status"], message=s.get("message", ""),
                   objective=s.get("objective_eur"), objective_constant=s.get("fixed_cost_existing_eur") or 0.0,
                   snapshots=pd.DatetimeIndex(index), weights=weights, tables=tables, hourly=hourly,
                   co2_shadow_price_eur_per_t=s.get("co2_shadow_price_eur_per_t"),
                   co2_price_eur_per_t=s.get("co2_price_eur_per_t") or 0.0, solver=s.get("solver") or {},
                   weather=s.get("weather", ""), network=network, scenario=scenario)


def network_info(scenario) -> dict:
    """What a report needs beyond the tables: scenario identity, node coordinates, link ends.

    Plain JSON-serialisable data (``network.json``, see ``docs/results.md``).
    """
    return {
        "scenario": {"name": scenario.name, "description": (scenario.description or "").strip(),
                     "weather": scenario.weather, "source": scenario.source_file,
                     "time": scenario.time.model_dump(mode="json")},
        "nodes": [{"id": n.id, "name": n.name, "country": n.country, "lat": n.lat, "lon": n.lon}
                  for n in scenario.nodes],
        "links": [{"id": ln.id, "from_node": ln.from_node, "to_node": ln.to_node, "length_km": ln.length_km,
                   "bidirectional": ln.bidirectional} for ln in scenario.links],
        "markets": [{"id": m.id, "node": m.node} for m in scenario.markets],
    }
