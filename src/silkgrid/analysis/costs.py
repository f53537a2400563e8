"""System cost breakdown, curtailment, unserved energy and emissions.

All costs are EUR/yr (EUR over the modelled horizon with ``time.annualise: false``); see
``docs/analysis.md`` for the formulas.  The per-element components are recomputed from the
scenario's cost data and the result's capacities and energies, with the same rules as the
LP (``silkgrid.model.arrays``), so that ``cost_components(...)["total_eur"].sum()`` equals
``result.total_cost_eur``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis._common import require_plan, scenario_of
from silkgrid.results import Result
from silkgrid.core.costs import (element_rate, energy_capex_per_mwh_yr, link_capex_annuity_per_mw_yr, link_capex_per_mw,
                                 power_capex_per_mw_yr)
from silkgrid.scenario.schema import Scenario

COMPONENTS = ("annualised_capex_eur", "fixed_om_eur", "variable_om_eur", "fuel_eur", "co2_eur",
              "unserved_eur", "market_eur")


def _row(kind, eid, node, country, technology, **costs) -> dict:
    row = {"kind": kind, "id": eid, "node": node, "country": country, "technology": technology}
    row.update({c: float(costs.get(c, 0.0)) for c in COMPONENTS})
    return row


def cost_components(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """Annual cost of every element, split into components, EUR/yr.

    One row per generator, storage unit, link, node with load shedding (kind ``unserved``)
    and market.  Columns: ``kind, id, node, country, technology`` and

    * ``annualised_capex_eur``: new capacity x capex x annuity(discount_rate, lifetime), at the
      element's own ``discount_rate`` where set, links net of their ``grant_share``; where
      the technology (link) gives ``annualised_cost_eur_per_mw_yr`` that full yearly cost x
      total capacity (it then also contains the fixed O&M, and existing capacity pays it,
      as in the LP);
    * ``fixed_om_eur``: total (existing + new) capacity x fixed O&M (links: capex x
      ``fixed_om_pct_per_yr``/100);
    * ``variable_om_eur``: output x variable O&M, or x the generator's
      ``variable_cost_eur_per_mwh`` where given (then the whole marginal cost excluding CO2);
      storage: discharged x variable cost; links: (forward + backward) sent x variable cost;
    * ``fuel_eur``: output x fuel price / efficiency;
    * ``co2_eur``: ``emissions_t`` x ``policies.co2_price_eur_per_t``;
    * ``unserved_eur``: unserved energy x value of lost load (node rows; NaN when the loads of
      one node have different values, as the LP's split is not in the result);
    * ``market_eur``: purchases - sales at the market price (= ``-revenue_eur``);
    * ``total_eur``: sum of the components.

    Links are reported with ``node`` = from_node and ``country`` = "FROM-TO" when they
    cross a border (see :func:`cost_by_country` for the split).  ``scenario`` defaults to
    ``result.scenario``.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    rate = scenario.discount_rate
    techs = scenario.technology_map()
    carriers = scenario.carrier_map()
    country = {n.id: n.country for n in scenario.nodes}
    co2_price = scenario.policies.co2_price_eur_per_t
    rows: list[dict] = []

    g_tab = result.tables["generators"].set_index("id")
    for g in scenario.generators:
        r = g_tab.loc[g.id]
        t = techs[g.technology]
        c = carriers[t.carrier]
        if t.annualised_cost_eur_per_mw_yr is not None:
            capex, fom = t.annualised_cost_eur_per_mw_yr * r.total_mw, 0.0
        else:
            capex = power_capex_per_mw_yr(t, element_rate(g, rate)) * r.new_mw
            fom = t.fixed_om_eur_per_kw_yr * 1e3 * r.total_mw
        if g.variable_cost_eur_per_mwh is not None:
            vom, fuel = g.variable_cost_eur_per_mwh * r.generation_mwh, 0.0
        else:
            vom = t.variable_om_eur_per_mwh * r.generation_mwh
            fuel = c.fuel_cost_eur_per_mwh_th / t.efficiency * r.generation_mwh
        rows.append(_row("generator", g.id, g.node, country[g.node], g.technology,
                         annualised_capex_eur=capex, fixed_om_eur=fom, variable_om_eur=vom,
                         fuel_eur=fuel, co2_eur=r.emissions_t * co2_price))

    s_tab = result.tables["storage"].set_index("id")
    for s in scenario.storage:
        r = s_tab.loc[s.id]
        t = techs[s.technology]
        p_total = r.power_existing_mw + r.power_new_mw  # finite also for unlimited_power
        if t.annualised_cost_eur_per_mw_yr is not None:
            capex, fom = t.annualised_cost_eur_per_mw_yr * p_total, 0.0
        else:
            capex = power_capex_per_mw_yr(t, element_rate(s, rate)) * r.power_new_mw
            fom = t.fixed_om_eur_per_kw_yr * 1e3 * p_total
        if t.energy_annualised_cost_eur_per_mwh_yr is not None:
            capex += t.energy_annualised_cost_eur_per_mwh_yr * r.energy_total_mwh
        else:
            capex += energy_capex_per_mwh_yr(t, element_rate(s, rate)) * r.energy_new_mwh
            fom += t.energy_fixed_om_eur_per_kwh_yr * 1e3 * r.energy_total_mwh
        var = s.variable_cost_eur_per_mwh if s.variable_cost_eur_per_mwh is not None else t.variable_om_eur_per_mwh
        rows.append(_row("storage", s.id, s.node, country[s.node], s.technology,
                         annualised_capex_eur=capex, fixed_om_eur=fom, variable_om_eur=var * r.discharged_mwh))

    l_tab = result.tables["links"].set_index("id")
    for ln in scenario.links:
        r = l_tab.loc[ln.id]
        if ln.annualised_cost_eur_per_mw_yr is not None:
            capex, fom = ln.annualised_cost_eur_per_mw_yr * r.total_mw, 0.0
        else:
            invest = link_capex_per_mw(ln)
            capex = link_capex_annuity_per_mw_yr(ln, element_rate(ln, rate)) * r.new_mw
            fom = invest * ln.fixed_om_pct_per_yr / 100.0 * r.total_mw
        cf, ct = country[ln.from_node], country[ln.to_node]
        rows.append(_row("link", ln.id, ln.from_node, cf if cf == ct else f"{cf}-{ct}", "link",
                         annualised_capex_eur=capex, fixed_om_eur=fom,
                         variable_om_eur=ln.variable_cost_eur_per_mwh * (r.forward_mwh + r.backward_mwh)))

    ue = scenario.unserved_energy
    if ue.allowed:
        n_tab = result.tables["nodes"].set_index("id")
        for node in n_tab.index:
            mwh = float(n_tab.loc[node, "unserved_mwh"])
            volls = {ld.value_of_lost_load_eur_per_mwh if ld.value_of_lost_load_eur_per_mwh is not None
                     else ue.value_of_lost_load_eur_per_mwh for ld in scenario.loads if ld.node == node}
            if not volls:
                continue
            voll = volls.pop() if len(volls) == 1 else np.nan
            rows.append(_row("unserved", f"unserved_{node}", node, country[node], "unserved",
                             unserved_eur=mwh * voll if mwh else 0.0))

    m_tab = result.tables["markets"].set_index("id")
    for m in scenario.markets:
        rows.append(_row("market", m.id, m.node, country[m.node], "market",
                         market_eur=-float(m_tab.loc[m.id, "revenue_eur"])))

    df = pd.DataFrame(rows, columns=["kind", "id", "node", "country", "technology", *COMPONENTS])
    df["total_eur"] = df[list(COMPONENTS)].sum(axis=1, min_count=1)
    return df


def cost_by_node_technology(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """:func:`cost_components` summed by (node, technology), EUR/yr."""
    df = cost_components(result, scenario)
    return df.groupby(["node", "technology"], as_index=False)[[*COMPONENTS, "total_eur"]].sum(min_count=1)


def cost_by_country(result: Result, scenario: Scenario | None = None) -> pd.DataFrame:
    """:func:`cost_components` summed by country, EUR/yr.

    A link between two countries is split half and half between its end countries (an
    assumption: no cost-sharing agreement is modelled).
    """
    scenario = scenario_of(result, scenario)
    df = cost_components(result, scenario)
    country = {n.id: n.country for n in scenario.nodes}
    to_country = {ln.id: country[ln.to_node] for ln in scenario.links}
    cross_ids = {ln.id for ln in scenario.links if country[ln.from_node] != country[ln.to_node]}
    cross = (df["kind"] == "link") & df["id"].isin(cross_ids)
    parts = [df[~cross]]
    if cross.any():
        a = df[cross].copy()
        b = df[cross].copy()
        cols = [*COMPONENTS, "total_eur"]
        a[cols] = a[cols] / 2
        b[cols] = b[cols] / 2
        a["country"] = [country[n] for n in a["node"]]
        b["country"] = [to_country[i] for i in b["id"]]
        parts += [a, b]
    out = pd.concat(parts)
    return out.groupby("country", as_index=False)[[*COMPONENTS, "total_eur"]].sum(min_count=1)


# ----------------------------------------------------------------------------------------
def curtailment(result: Result) -> pd.DataFrame:
    """Curtailed renewable energy by node and technology, MWh/yr, and its share of the
    available energy (``curtailment_mwh / (generation_mwh + curtailment_mwh)``, NaN where
    nothing was available)."""
    require_plan(result)
    g = result.tables["generators"].groupby(["node", "technology"], as_index=False)[
        ["generation_mwh", "curtailment_mwh"]].sum()
    avail = g["generation_mwh"] + g["curtailment_mwh"]
    g["curtailment_share"] = np.where(avail > 0, g["curtailment_mwh"] / avail.where(avail > 0, 1), np.nan)
    return g


def unserved_energy(result: Result) -> pd.DataFrame:
    """Unserved energy by node, MWh/yr, its share of demand and the hours with shedding
    (h/yr: sum of the weights of snapshots with more than 1e-6 MW unserved)."""
    require_plan(result)
    n = result.tables["nodes"][["id", "country", "demand_mwh", "unserved_mwh"]].copy()
    n["unserved_share"] = np.where(n["demand_mwh"] > 0, n["unserved_mwh"] / n["demand_mwh"].where(
        n["demand_mwh"] > 0, 1), np.nan)
    u = result.hourly["unserved_mw"]
    w = np.asarray(result.weights, dtype=float)
    n["hours_with_unserved_h"] = [float(w[(u[i].to_numpy() > 1e-6)].sum()) for i in n["id"]]
    return n


def emissions(result: Result) -> pd.DataFrame:
    """CO2 emissions of generators by country and technology, t/yr."""
    require_plan(result)
    return result.tables["generators"].groupby(["country", "technology"], as_index=False)[
        ["generation_mwh", "emissions_t"]].sum()
