"""An LP solution (LP units) -> a :class:`~silkgrid.results.result.Result` (user units)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import GW_TO_MW, MEUR_TO_EUR
from silkgrid.results.result import Result, network_info
from silkgrid.solve.api import SolvedModel

#: Capacities below 1 kW are interior-point noise: no capacity factor or utilisation is
#: computed for them (it would be the ratio of two round-off errors).
CAPACITY_FLOOR_GW = 1e-6


def extract(solved: SolvedModel) -> Result:
    """Turn a solved LP into a :class:`Result` in user units, carrying its scenario."""
    built, sol, sc = solved.built, solved.solution, solved.scenario
    a = built.arrays
    lp = built.lp
    snaps = a.snapshots
    w = snaps.weight
    const = lp.objective_constant * MEUR_TO_EUR
    res = Result(scenario_name=sc.name, status=sol.status, message=solved.message,
                 objective=None if sol.objective is None else sol.objective * MEUR_TO_EUR,
                 objective_constant=const, snapshots=snaps.index, weights=w,
                 co2_price_eur_per_t=a.co2_price * 1e3, solver=solved.solver, weather=sc.weather,
                 network=network_info(sc), scenario=sc)
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
        "link_forward_mw": wide(fwd, a.link_ids),
        "link_backward_mw": wide(bwd, a.link_ids),
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
