"""Physical consistency of a result: what any plan must satisfy, checked from its tables.

:func:`check_result` recomputes, from the result's hourly tables and the scenario it carries,

* the **energy balance** of every node and snapshot: generation + storage discharge - charge
  + link imports after losses - link exports + unserved - net market sales = demand;
* **capacity limits**: generation <= availability x capacity, storage charge and discharge
  <= power capacity, state of charge <= energy capacity, link flows <= link capacity;
* **storage continuity**: ``soc[t] = keep soc[t-1] + d (eta_c charge - discharge / eta_d +
  inflow - spill)`` with ``0 <= spill <= inflow`` (spill is not a result table, so stores that
  may spill are checked against both ends of that range).

It returns the violations as sentences (empty: consistent).  Tolerance: ``atol_mw`` (default
1 kW) plus :data:`SYSTEM_RTOL` (1e-8) of the largest power anywhere in the result, plus ``rtol``
(default 1e-6) of the largest power involved at that node or element; the
interior-point and decomposed solves meet their constraints to about 1e-8 relative in LP units,
so anything larger is a modelling or extraction error, not round-off.  Results of the
aggregated method (time segments) are checked for balance only: their profiles are segment
means the scenario alone does not give back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import GW_TO_MW
from silkgrid.model.arrays import NetworkArrays, build_arrays
from silkgrid.results.result import Result


#: Share of the largest power of the system (MW) added to the absolute tolerance: the interior-point
#: solvers' relative feasibility in LP units.
SYSTEM_RTOL = 1e-8


def check_result(result: Result, *, atol_mw: float = 1e-3, rtol: float = 1e-6) -> list[str]:
    """Violations of balance, limits and storage continuity (empty list: consistent)."""
    if not result.has_plan or result.scenario is None:
        return []
    sc = result.scenario
    arrays = build_arrays(sc)
    same_snapshots = len(arrays.snapshots) == len(result.snapshots) and \
        (arrays.snapshots.index == result.snapshots).all()
    # the solvers meet their rows to ~1e-8 of the LP's largest values: a 1e9 MW load makes that 10 MW
    # everywhere, so the absolute tolerance grows with the largest power of the system
    scale = max((float(np.nanmax(np.abs(df.to_numpy()))) for name, df in result.hourly.items()
                 if name.endswith("_mw") and df.size), default=0.0)
    atol_mw = atol_mw + SYSTEM_RTOL * scale
    problems = _balance(result, arrays, atol_mw, rtol)
    if same_snapshots:
        problems += _limits(result, arrays, atol_mw, rtol)
        problems += _continuity(result, arrays, atol_mw, rtol)
    return problems


def assert_consistent(result: Result, **tolerances: float) -> None:
    """Raise ``AssertionError`` listing the violations of :func:`check_result`."""
    problems = check_result(result, **tolerances)
    assert not problems, f"result '{result.scenario_name}' is inconsistent:\n" + "\n".join(problems[:20])


def _report(name: str, violation: np.ndarray, tol: np.ndarray, labels: list[str], index: pd.Index,
            unit: str) -> list[str]:
    """One sentence per element whose ``violation`` (T, E) exceeds ``tol`` somewhere (the worst one)."""
    out = []
    excess = violation - tol
    for j in np.flatnonzero((excess > 0).any(axis=0)):
        t = int(np.argmax(excess[:, j]))
        out.append(f"{name} of '{labels[j]}' violated by {violation[t, j]:.6g} {unit} at {index[t]}")
    return out


def _balance(result: Result, a: NetworkArrays, atol: float, rtol: float) -> list[str]:
    h = result.hourly
    T, N = len(result.snapshots), len(a.node_ids)
    inflow = np.zeros((T, N))
    scale = np.zeros((T, N))

    def add(values: np.ndarray, nodes: np.ndarray, sign: float) -> None:
        np.add.at(inflow.T, nodes, sign * values.T)
        np.add.at(scale.T, nodes, np.abs(values.T))

    add(h["generation_mw"][a.gen_ids].to_numpy(), a.gen_node, 1.0)
    add(h["storage_discharge_mw"][a.sto_ids].to_numpy(), a.sto_node, 1.0)
    add(h["storage_charge_mw"][a.sto_ids].to_numpy(), a.sto_node, -1.0)
    fwd, bwd = h["link_forward_mw"][a.link_ids].to_numpy(), h["link_backward_mw"][a.link_ids].to_numpy()
    add(fwd, a.link_from, -1.0)
    add(fwd * a.link_eff[None, :], a.link_to, 1.0)
    add(bwd, a.link_to, -1.0)
    add(bwd * a.link_eff_rev[None, :], a.link_from, 1.0)
    add(h["market_sales_mw"][a.market_ids].to_numpy(), a.market_node, -1.0)
    unserved = h["unserved_mw"][a.node_ids].to_numpy()
    demand = h["demand_mw"][a.node_ids].to_numpy()
    residual = np.abs(inflow + unserved - demand)
    return _report("energy balance", residual, atol + rtol * (scale + np.abs(demand)), a.node_ids,
                   result.snapshots, "MW")


def _limits(result: Result, a: NetworkArrays, atol: float, rtol: float) -> list[str]:
    h, tab = result.hourly, result.tables
    out: list[str] = []

    def over(name: str, values: np.ndarray, limit: np.ndarray, labels: list[str], unit: str = "MW") -> None:
        tol = atol + rtol * np.maximum(np.abs(limit), np.abs(values))
        out.extend(_report(name, values - limit, tol, labels, result.snapshots, unit))
        out.extend(_report(f"{name} (non-negativity)", -values, tol, labels, result.snapshots, unit))

    g = tab["generators"].set_index("id").loc[a.gen_ids]
    over("generator capacity", h["generation_mw"][a.gen_ids].to_numpy(),
         a.gen_avail.T * g["total_mw"].to_numpy()[None, :], a.gen_ids)
    s = tab["storage"].set_index("id").loc[a.sto_ids]
    power = np.where(a.sto_unlimited_power, np.inf, s["power_total_mw"].to_numpy())[None, :]
    over("storage charge limit", h["storage_charge_mw"][a.sto_ids].to_numpy(), power, a.sto_ids)
    over("storage discharge limit", h["storage_discharge_mw"][a.sto_ids].to_numpy(), power, a.sto_ids)
    over("storage energy limit", h["storage_energy_mwh"][a.sto_ids].to_numpy(),
         s["energy_total_mwh"].to_numpy()[None, :], a.sto_ids, "MWh")
    links = tab["links"].set_index("id").loc[a.link_ids]["total_mw"].to_numpy()[None, :]
    over("link capacity (forward)", h["link_forward_mw"][a.link_ids].to_numpy(), links, a.link_ids)
    over("link capacity (backward)", h["link_backward_mw"][a.link_ids].to_numpy(), links, a.link_ids)
    return out


def _continuity(result: Result, a: NetworkArrays, atol: float, rtol: float) -> list[str]:
    h = result.hourly
    if not a.sto_ids:
        return []
    d = a.snapshots.duration_h[:, None]
    soc = h["storage_energy_mwh"][a.sto_ids].to_numpy()
    ch = h["storage_charge_mw"][a.sto_ids].to_numpy()
    dis = h["storage_discharge_mw"][a.sto_ids].to_numpy()
    inflow = a.sto_inflow.T * GW_TO_MW
    keep = (1.0 - a.sto_standing_loss[None, :]) ** d
    before = np.vstack([np.where(a.sto_cyclic, soc[-1], a.sto_initial * GW_TO_MW)[None, :], soc[:-1]])
    expected = keep * before + d * (a.sto_eff_charge[None, :] * ch - dis / a.sto_eff_discharge[None, :] + inflow)
    spill = np.where(a.sto_spill[None, :], d * inflow, 0.0)  # the range spilling may take away
    tol = atol * d + rtol * (np.abs(expected) + np.abs(soc) + d * (ch + dis))
    return (_report("storage continuity (state of charge above its balance)", soc - expected, tol, a.sto_ids,
                    result.snapshots, "MWh")
            + _report("storage continuity (state of charge below its balance)", expected - spill - soc, tol,
                      a.sto_ids, result.snapshots, "MWh"))
