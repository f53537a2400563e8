"""Results of a solve in user units (MW, MWh, EUR, tCO2), serialisable to a directory.

Tables (Parquet; CSV on request) are documented in ``docs/results.md``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from silkgrid.model.build import BuiltModel
    from silkgrid.solve.lp import LPSolution

GW_TO_MW = 1e3
MEUR_TO_EUR = 1e6
#: Capacities below 1 kW are interior-point noise: no capacity factor or utilisation is
#: computed for them (it would be the ratio of two round-off errors).
CAPACITY_FLOOR_GW = 1e-6


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
            return _clean(out)
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
        return _clean(out)

    # ------------------------------------------------------------------------------------
    def to_dir(self, path: str | Path, *, csv: bool = False) -> Path:
        """Write ``summary.json`` and the tables; atomically replaces ``path``."""
        path = Path(path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
        try:
            (tmp / "summary.json").write_text(json.dumps(self.summary, indent=2) + "\n")
            if self.network and self.tables:
                net = {**self.network, "weights_h": [float(x) for x in self.weights]}
                (tmp / "network.json").write_text(json.dumps(_clean(net), indent=1) + "\n")
            for name, df in {**self.tables, **self.hourly}.items():
                df.to_parquet(tmp / f"{name}.parquet")
                if csv:
                    df.to_csv(tmp / f"{name}.csv", index=name in self.hourly)  # no row-number column
            if path.exists():
                old = path.with_name(f".{path.name}.old-{os.getpid()}")
                path.rename(old)
                tmp.rename(path)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path


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


def read_dir(path: str | Path) -> dict:
    """Read a results directory into plain data, without a :class:`Result`.

    Returns ``{"path", "summary": dict, "network": dict (empty if absent), "weights":
    pandas Series (h per snapshot) or None, "tables": {name: DataFrame}, "hourly": {name:
    DataFrame indexed by snapshot}}``.  Element and hourly tables are told apart by their
    index (hourly tables are indexed by ``snapshot``).
    """
    path = Path(path)
    summary_file = path / "summary.json"
    if not summary_file.is_file():
        from silkgrid.errors import SilkGridError
        raise SilkGridError(f"'{path}' is not a SilkGrid results directory (no summary.json); "
                            "write one with 'silkgrid run --out DIR'")
    summary = json.loads(summary_file.read_text())
    net_file = path / "network.json"
    network = json.loads(net_file.read_text()) if net_file.is_file() else {}
    tables: dict[str, pd.DataFrame] = {}
    hourly: dict[str, pd.DataFrame] = {}
    for f in sorted(path.glob("*.parquet")):
        df = pd.read_parquet(f)
        (hourly if df.index.name == "snapshot" else tables)[f.stem] = df
    weights = None
    if "weights_h" in network and hourly:
        idx = next(iter(hourly.values())).index
        weights = pd.Series(network.pop("weights_h"), index=idx, name="weight_h", dtype=float)
    return {"path": path, "summary": summary, "network": network, "weights": weights,
            "tables": tables, "hourly": hourly}


def _clean(obj):
    """JSON-safe: numpy scalars to Python, NaN/inf to None."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return v if math.isfinite(v) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


# ----------------------------------------------------------------------------------------
def extract(name: str, built: BuiltModel, sol: LPSolution, message: str, solver: dict,
            weather: str = "") -> Result:
    """Turn an LP solution into a :class:`Result` in user units."""
    a = built.arrays
    lp = built.lp
    snaps = a.snapshots
    w = snaps.weight
    const = lp.objective_constant * MEUR_TO_EUR
    res = Result(scenario_name=name, status=sol.status, message=message,
                 objective=None if sol.objective is None else sol.objective * MEUR_TO_EUR,
                 objective_constant=const, snapshots=snaps.index, weights=w,
                 co2_price_eur_per_t=a.co2_price * 1e3, solver=solver, weather=weather)
    if not sol.has_plan:
        return res
    x = sol.x
    v = {k: x[idx] for k, idx in lp.variables.items()}
    idx = snaps.index

    def wide(values: np.ndarray, cols: list[str], scale: float = GW_TO_MW) -> pd.DataFrame:
        df = pd.DataFrame(values.T * scale, index=idx, columns=cols)
        df.index.name = "snapshot"
        return df

    def energy(values: np.ndarray) -> np.ndarray:
        """Weighted yearly energy, MWh, per element."""
        return (values * w[None, :]).sum(axis=1) * GW_TO_MW if values.size else np.zeros(len(values))

    # generators
    gc = a.gen_cap
    g_total = gc.existing + v["gen_new"]
    p = v["gen_p"]
    avail = a.gen_avail * g_total[:, None]
    curt = np.where(a.gen_renewable[:, None], np.maximum(avail - p, 0.0), 0.0)
    g_countries = [a.node_country[n] for n in a.gen_node]
    gen_mwh = energy(p)
    gen_tab = pd.DataFrame({
        "id": a.gen_ids, "node": [a.node_ids[n] for n in a.gen_node], "country": g_countries,
        "technology": a.gen_technology, "carrier": a.gen_carrier,
        "existing_mw": gc.existing * GW_TO_MW, "new_mw": v["gen_new"] * GW_TO_MW, "total_mw": g_total * GW_TO_MW,
        "generation_mwh": gen_mwh, "curtailment_mwh": energy(curt),
        "emissions_t": gen_mwh * a.gen_co2,
        "capacity_factor": np.divide(gen_mwh, g_total * GW_TO_MW * w.sum(),
                                     out=np.zeros(len(a.gen_ids)), where=g_total > CAPACITY_FLOOR_GW),
    })

    # storage
    sp, se = a.sto_power, a.sto_energy
    p_total = sp.existing + v["sto_power_new"]
    mh = a.sto_max_hours
    e_total = np.where(np.isnan(mh), se.existing + v["sto_energy_new"], np.nan_to_num(mh) * p_total)
    ch, dis, soc = v["sto_charge"], v["sto_discharge"], v["sto_soc"]
    sto_tab = pd.DataFrame({
        "id": a.sto_ids, "node": [a.node_ids[n] for n in a.sto_node], "technology": a.sto_technology,
        "carrier": a.sto_carrier,
        "power_existing_mw": sp.existing * GW_TO_MW, "power_new_mw": v["sto_power_new"] * GW_TO_MW,
        "power_total_mw": np.where(a.sto_unlimited_power, np.inf, p_total * GW_TO_MW),
        "energy_existing_mwh": np.where(np.isnan(mh), se.existing, np.nan_to_num(mh) * sp.existing) * GW_TO_MW,
        "energy_new_mwh": (e_total - np.where(np.isnan(mh), se.existing,
                                              np.nan_to_num(mh) * sp.existing)) * GW_TO_MW,
        "energy_total_mwh": e_total * GW_TO_MW,
        "charged_mwh": energy(ch), "discharged_mwh": energy(dis),
    })

    # links
    lc = a.link_cap
    bi = np.flatnonzero(a.link_bidirectional)
    fwd = v["link_forward"]
    bwd = np.zeros_like(fwd)
    bwd[bi] = v["link_backward"]
    l_total = lc.existing + v["link_new"]
    losses = fwd * (1 - a.link_eff[:, None]) + bwd * (1 - a.link_eff_rev[:, None])
    sent = np.maximum(fwd, bwd)  # a snapshot uses the link up to its larger direction
    link_tab = pd.DataFrame({
        "id": a.link_ids, "from_node": [a.node_ids[n] for n in a.link_from],
        "to_node": [a.node_ids[n] for n in a.link_to],
        "existing_mw": lc.existing * GW_TO_MW, "new_mw": v["link_new"] * GW_TO_MW, "total_mw": l_total * GW_TO_MW,
        "forward_mwh": energy(fwd), "backward_mwh": energy(bwd), "losses_mwh": energy(losses),
        "utilisation": np.divide(energy(sent), l_total * GW_TO_MW * w.sum(), out=np.zeros(len(a.link_ids)),
                                 where=l_total > CAPACITY_FLOOR_GW),
    })

    # loads, markets, nodes
    N = len(a.node_ids)
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    unserved = np.zeros_like(a.load_demand)
    unserved[shed] = v["unserved"]
    node_demand = np.zeros((N, len(w)))
    node_unserved = np.zeros((N, len(w)))
    np.add.at(node_demand, a.load_node, a.load_demand)
    np.add.at(node_unserved, a.load_node, unserved)
    price = None
    if sol.row_dual is not None:
        price = sol.row_dual[lp.constraints["balance"]] * 1e3 / w[None, :]
    node_tab = pd.DataFrame({
        "id": a.node_ids, "country": a.node_country,
        "demand_mwh": energy(node_demand), "unserved_mwh": energy(node_unserved),
        "mean_price_eur_per_mwh": price.mean(axis=1) if price is not None else np.nan,
        "load_weighted_price_eur_per_mwh": (
            np.divide((price * node_demand * w).sum(axis=1), (node_demand * w).sum(axis=1),
                      out=np.full(N, np.nan), where=(node_demand * w).sum(axis=1) > 0)
            if price is not None else np.nan),
    })
    market_tab = pd.DataFrame({
        "id": a.market_ids, "node": [a.node_ids[n] for n in a.market_node],
        "sold_mwh": energy(v["market_sell"]), "bought_mwh": energy(v["market_buy"]),
        "revenue_eur": ((v["market_sell"] - v["market_buy"]) * a.market_price * w[None, :]).sum(axis=1)
        * MEUR_TO_EUR if len(a.market_ids) else np.zeros(0),
    })
    res.tables = {"generators": gen_tab, "storage": sto_tab, "links": link_tab, "nodes": node_tab,
                  "markets": market_tab}
    res.hourly = {
        "generation_mw": wide(p, a.gen_ids),
        "curtailment_mw": wide(curt, a.gen_ids),
        "storage_charge_mw": wide(ch, a.sto_ids),
        "storage_discharge_mw": wide(dis, a.sto_ids),
        "storage_energy_mwh": wide(soc, a.sto_ids),
        "link_flow_mw": wide(fwd - bwd, a.link_ids),
        "link_losses_mw": wide(losses, a.link_ids),
        "unserved_mw": wide(node_unserved, a.node_ids),
        "demand_mw": wide(node_demand, a.node_ids),
        "market_sales_mw": wide(v["market_sell"] - v["market_buy"], a.market_ids),
    }
    if price is not None:
        res.hourly["price_eur_per_mwh"] = wide(price, a.node_ids, scale=1.0)
    if sol.row_dual is not None:
        if "co2_cap" in lp.constraints:
            res.co2_shadow_price_eur_per_t = float(-sol.row_dual[lp.constraints["co2_cap"][0]] * 1e3)
        if "co2_cap_country" in lp.constraints:
            duals = -sol.row_dual[lp.constraints["co2_cap_country"]] * 1e3
            res.tables["co2_caps"] = pd.DataFrame({
                "country": list(a.co2_cap_by_country), "cap_t": np.array(list(a.co2_cap_by_country.values())) * 1e3,
                "shadow_price_eur_per_t": duals})
    return res
