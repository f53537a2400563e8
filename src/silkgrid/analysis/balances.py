"""Country energy balances, cross-border exchanges and emissions, MWh/yr and tCO2/yr.

Every energy is a weighted sum over the snapshots (weights in h, so MW x h = MWh over the
modelled year).  A node belongs to the country of the ``nodes`` table; markets and EU-side nodes
count for whatever country their node has.

Link convention (the balance closes with it):

* a link between nodes of **different** countries: ``exports`` of the sending country is the
  energy **sent** into the link (metered at the sending end, losses included); ``imports`` of
  the receiving country is the energy **delivered** (after the link's efficiency).  So
  imports of B from A = exports of A to B - losses; the losses are borne by the sending country
  and shown (for information, already inside ``exports``) as ``export_losses``;
* a link between nodes of the **same** country is internal: no import or export, and its losses
  are ``link_losses`` of that (sending) country, a use in the balance.

Balance per country (all MWh/yr, all columns >= 0 except ``residual``)::

    supply = sum gen_* + storage_discharge + imports + market_purchases + unserved
    use    = demand + storage_charge + exports + link_losses + market_sales
    residual = supply - use        (~0: the nodal balances of the LP summed over the country)

``curtailment`` (MWh/yr of renewable energy not taken) is information only.  Storage losses
(and reservoir inflow, which has no charge) are ``storage_discharge - storage_charge``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis._common import directional_flows, require_plan, scenario_of
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario

__all__ = ["SUPPLY", "USE", "countries", "country_exchanges", "country_balance", "country_emissions"]

#: Columns of :func:`country_balance` on the supply side (besides the ``gen_*`` columns).
SUPPLY = ("storage_discharge", "imports", "market_purchases", "unserved")
#: Columns of :func:`country_balance` on the use side.
USE = ("demand", "storage_charge", "exports", "link_losses", "market_sales")


def _energy(df: pd.DataFrame, w: np.ndarray) -> pd.Series:
    """Weighted sum over snapshots of each column of a (T, n) MW table: MWh/yr per column."""
    return pd.Series(w @ df.to_numpy(dtype=float), index=df.columns, dtype=float)


def countries(result: Result) -> list[str]:
    """Countries in the order of their first node in the ``nodes`` table."""
    return list(dict.fromkeys(result.tables["nodes"]["country"]))


def _node_country(result: Result) -> dict[str, str]:
    n = result.tables["nodes"]
    return dict(zip(n["id"], n["country"]))


def country_exchanges(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """Energy over cross-border links by ordered country pair, MWh/yr.

    One row per (``from_country``, ``to_country``) with flow: ``sent_mwh`` (at the sending
    end), ``delivered_mwh`` (at the receiving end) and ``losses_mwh`` = sent - delivered.  Both
    directions of a bidirectional link count (backward flow as a to -> from row).
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    w = np.asarray(result.weights, dtype=float)
    nc = _node_country(result)
    fwd, bwd = directional_flows(result, scenario)
    f_mwh, b_mwh = _energy(fwd, w), _energy(bwd, w)
    rows = []
    for ln in scenario.links:  # loop over links, not snapshots
        cf, ct = nc[ln.from_node], nc[ln.to_node]
        if cf == ct:
            continue
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        rows.append((cf, ct, f_mwh[ln.id], f_mwh[ln.id] * ln.efficiency))
        rows.append((ct, cf, b_mwh[ln.id], b_mwh[ln.id] * er))
    df = pd.DataFrame(rows, columns=["from_country", "to_country", "sent_mwh", "delivered_mwh"])
    df = df.groupby(["from_country", "to_country"], as_index=False, sort=False).sum()
    df["losses_mwh"] = df["sent_mwh"] - df["delivered_mwh"]
    return df[df["sent_mwh"] > 0].reset_index(drop=True)


def _internal_losses(result: Result, scenario: Scenario) -> pd.Series:
    """Losses of links inside one country, MWh/yr, by country."""
    nc = _node_country(result)
    w = np.asarray(result.weights, dtype=float)
    losses = _energy(result.hourly["link_losses_mw"], w)
    out = pd.Series(0.0, index=countries(result))
    for ln in scenario.links:
        if nc[ln.from_node] == nc[ln.to_node]:
            out[nc[ln.from_node]] += float(losses[ln.id])
    return out


def country_balance(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """Energy balance of every country, MWh/yr (convention: module docstring).

    Columns: ``country``, ``gen_<technology>`` (one per generator technology), ``storage_discharge``,
    ``storage_charge``, ``imports``, ``exports``, ``export_losses`` (information: the losses of
    the country's exports, part of ``exports``), ``link_losses`` (internal links),
    ``market_sales``, ``market_purchases``, ``demand``, ``unserved``, ``curtailment``
    (information) and ``residual`` = supply - use (~0).
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    w = np.asarray(result.weights, dtype=float)
    h = result.hourly
    nc = _node_country(result)
    names = countries(result)
    out = pd.DataFrame(index=pd.Index(names, name="country"))

    g_tab = result.tables["generators"]
    g_country = g_tab["node"].map(nc).to_numpy()
    gen = _energy(h["generation_mw"][list(g_tab["id"])], w).to_numpy()
    curt = _energy(h["curtailment_mw"][list(g_tab["id"])], w).to_numpy() if "curtailment_mw" in h \
        else np.zeros(len(g_tab))
    by_tech = pd.DataFrame({"country": g_country, "technology": g_tab["technology"].to_numpy(), "mwh": gen})
    wide = by_tech.pivot_table(index="country", columns="technology", values="mwh", aggfunc="sum", sort=False)
    for tech in dict.fromkeys(g_tab["technology"]):
        out[f"gen_{tech}"] = wide[tech].reindex(names).fillna(0.0) if tech in wide else 0.0

    def by_country(values: np.ndarray, nodes) -> pd.Series:
        s = pd.Series(values, index=[nc[n] for n in nodes], dtype=float)
        return s.groupby(level=0).sum().reindex(names).fillna(0.0)

    s_tab = result.tables["storage"]
    if len(s_tab):
        ids = list(s_tab["id"])
        out["storage_discharge"] = by_country(_energy(h["storage_discharge_mw"][ids], w).to_numpy(), s_tab["node"])
        out["storage_charge"] = by_country(_energy(h["storage_charge_mw"][ids], w).to_numpy(), s_tab["node"])
    else:
        out["storage_discharge"] = out["storage_charge"] = 0.0

    ex = country_exchanges(result, scenario)
    out["imports"] = ex.groupby("to_country")["delivered_mwh"].sum().reindex(names).fillna(0.0)
    out["exports"] = ex.groupby("from_country")["sent_mwh"].sum().reindex(names).fillna(0.0)
    out["export_losses"] = ex.groupby("from_country")["losses_mwh"].sum().reindex(names).fillna(0.0)
    out["link_losses"] = _internal_losses(result, scenario)

    m_tab = result.tables["markets"]
    if len(m_tab):
        sales = h["market_sales_mw"][list(m_tab["id"])]
        out["market_sales"] = by_country(_energy(sales.clip(lower=0.0), w).to_numpy(), m_tab["node"])
        out["market_purchases"] = by_country(_energy((-sales).clip(lower=0.0), w).to_numpy(), m_tab["node"])
    else:
        out["market_sales"] = out["market_purchases"] = 0.0

    n_ids = list(result.tables["nodes"]["id"])
    out["demand"] = by_country(_energy(h["demand_mw"][n_ids], w).to_numpy(), n_ids)
    out["unserved"] = by_country(_energy(h["unserved_mw"][n_ids], w).to_numpy(), n_ids)
    out["curtailment"] = by_country(curt, g_tab["node"])
    gen_cols = [c for c in out.columns if c.startswith("gen_")]
    supply = out[gen_cols].sum(axis=1) + out[list(SUPPLY)].sum(axis=1)
    out["residual"] = supply - out[list(USE)].sum(axis=1)
    return out.reset_index()


def country_emissions(result: Result) -> pd.DataFrame:
    """CO2 emissions by country and technology, tCO2/yr, from the ``generators`` table.

    One row per country (every country of the nodes table, zeros included); columns
    ``country``, ``co2_<technology>`` for each generator technology with emissions, and
    ``emissions_t`` (the total).
    """
    require_plan(result)
    g = result.tables["generators"]
    names = countries(result)
    wide = g.pivot_table(index="country", columns="technology", values="emissions_t", aggfunc="sum", sort=False)
    wide = wide.reindex(names).fillna(0.0)
    techs = [t for t in dict.fromkeys(g["technology"]) if t in wide and wide[t].abs().sum() > 0]
    out = pd.DataFrame({"country": names})
    for t in techs:
        out[f"co2_{t}"] = wide[t].to_numpy()
    out["emissions_t"] = out[[f"co2_{t}" for t in techs]].sum(axis=1) if techs else 0.0
    return out
