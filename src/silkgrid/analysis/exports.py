"""Exports into the EU: deliveries, duration curve, link utilisation, delivered cost.

The delivered cost (:func:`delivered_cost`) is costed from the traced origin of the energy
(:mod:`silkgrid.analysis.tracing`); :func:`path_delivered_cost` costs a nominated path.

Energies are MWh/yr (snapshot power x weight, see ``docs/results.md``), hours are h/yr
(sums of snapshot weights), costs EUR/yr and EUR/MWh.  Formulas: ``docs/analysis.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis._common import (along_path, corridor_of, default_path, directional_flows, require_plan,
                                       resolve_path, scenario_of, weights)
from silkgrid.analysis.costs import cost_components
from silkgrid.analysis.tracing import FlowTrace, origin_mix, trace_flows
from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario

#: A link counts as "at its limit" in a snapshot when the power sent in either direction is
#: at least (1 - AT_LIMIT_TOLERANCE) x its capacity.
AT_LIMIT_TOLERANCE = 1e-4


def _eu_nodes(scenario: Scenario, eu_nodes) -> list[str]:
    if eu_nodes is not None:
        return list(eu_nodes)
    nodes = corridor_of(scenario).eu_nodes
    if not nodes:
        raise SilkGridError(f"no EU nodes given and scenario '{scenario.name}' has no corridor.eu_nodes; "
                            "pass eu_nodes")
    return list(nodes)


def hourly_eu_delivery(result: Result, scenario: Scenario | None = None, eu_nodes=None) -> pd.Series:
    """Net power delivered into the EU node set over links from outside it, MW per snapshot.

    For every link with exactly one end in ``eu_nodes`` (default: the scenario's
    ``corridor.eu_nodes``): power received at the EU end (sent towards the EU x efficiency)
    minus power sent out of the EU end.  Links between two EU nodes and market trades are not
    counted.  Negative values are net imports from the EU.  ``scenario`` defaults to
    ``result.scenario``.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    eu = set(_eu_nodes(scenario, eu_nodes))
    unknown = eu - {n.id for n in scenario.nodes}
    if unknown:
        raise SilkGridError(f"EU nodes {sorted(unknown)} are not nodes of the scenario")
    fwd, bwd = directional_flows(result, scenario)
    out = pd.Series(0.0, index=result.snapshots, name="delivered_mw")
    for ln in scenario.links:
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        if ln.to_node in eu and ln.from_node not in eu:
            out += fwd[ln.id] * ln.efficiency - bwd[ln.id]
        elif ln.from_node in eu and ln.to_node not in eu:
            out += bwd[ln.id] * er - fwd[ln.id]
    out.index.name = "snapshot"
    return out


def eu_deliveries(result: Result, scenario: Scenario | None = None, eu_nodes=None) -> dict:
    """Yearly energy delivered into the EU nodes (default: the scenario's ``corridor.eu_nodes``).

    Returns ``delivered_mwh`` (net, MWh/yr), ``delivered_twh`` (TWh/yr),
    ``gross_delivered_mwh`` (snapshots with net delivery only), ``imported_from_eu_mwh``
    (snapshots with net flow out of the EU, as a positive number), ``peak_delivery_mw`` and
    ``hours_delivering_h`` (h/yr with net delivery above 1e-6 MW).
    """
    d = hourly_eu_delivery(result, scenario, eu_nodes)
    w = weights(result)
    e = d * w
    return {
        "delivered_mwh": float(e.sum()),
        "delivered_twh": float(e.sum()) / 1e6,
        "gross_delivered_mwh": float(e[d > 0].sum()),
        "imported_from_eu_mwh": float(-e[d < 0].sum()) + 0.0,
        "peak_delivery_mw": float(d.max()) if len(d) else 0.0,
        "hours_delivering_h": float(w[d > 1e-6].sum()),
    }


def delivery_duration_curve(result: Result, scenario: Scenario | None = None, eu_nodes=None) -> pd.DataFrame:
    """Hourly EU delivery (:func:`hourly_eu_delivery`) sorted from highest to lowest.

    Columns: ``delivered_mw`` and ``duration_h`` (h/yr: cumulative weight up to and including
    the row, i.e. the hours per year with at least that delivery), ``snapshot``.
    """
    d = hourly_eu_delivery(result, scenario, eu_nodes)
    w = weights(result)
    order = np.argsort(-d.to_numpy(), kind="stable")
    return pd.DataFrame({"snapshot": d.index[order], "delivered_mw": d.to_numpy()[order],
                         "duration_h": np.cumsum(w.to_numpy()[order])})


def link_utilisation(result: Result, scenario: Scenario | None = None, links=None) -> pd.DataFrame:
    """Utilisation of links (default: all).

    Per link: ``capacity_mw``; ``forward_mwh``, ``backward_mwh`` (sent, MWh/yr);
    ``delivered_mwh`` (received at the far ends, MWh/yr); ``full_load_hours_h`` = (forward +
    backward) / capacity (h/yr); ``hours_at_limit_h`` = weight sum of snapshots in which the
    power sent in one direction is >= (1 - :data:`AT_LIMIT_TOLERANCE`) x capacity;
    ``share_hours_at_limit`` = hours_at_limit_h / weight sum; ``hours_forward_h``,
    ``hours_backward_h`` (weights of snapshots with net flow in each direction).  Capacity
    below 1 kW gives NaN for the ratios.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    fwd, bwd = directional_flows(result, scenario)
    w = np.asarray(result.weights, dtype=float)
    tab = result.tables["links"].set_index("id")
    ids = list(links) if links is not None else [ln.id for ln in scenario.links]
    by_id = {ln.id: ln for ln in scenario.links}
    rows = []
    for lid in ids:
        ln = by_id[lid]
        cap = float(tab.loc[lid, "total_mw"])
        f, b = fwd[lid].to_numpy(), bwd[lid].to_numpy()
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        ok = cap > 1e-3
        at_limit = np.maximum(f, b) >= cap * (1 - AT_LIMIT_TOLERANCE) if ok else np.zeros(len(w), bool)
        rows.append({
            "id": lid, "from_node": ln.from_node, "to_node": ln.to_node, "capacity_mw": cap,
            "forward_mwh": float(f @ w), "backward_mwh": float(b @ w),
            "delivered_mwh": float(f @ w * ln.efficiency + b @ w * er),
            "full_load_hours_h": float((f + b) @ w / cap) if ok else np.nan,
            "hours_at_limit_h": float(w[at_limit].sum()) if ok else np.nan,
            "share_hours_at_limit": float(w[at_limit].sum() / w.sum()) if ok else np.nan,
            "hours_forward_h": float(w[f - b > 1e-6].sum()), "hours_backward_h": float(w[b - f > 1e-6].sum()),
        })
    return pd.DataFrame(rows)


def path_delivered_cost(result: Result, scenario: Scenario | None = None, path=None, *, origin_nodes=None,
                        segments: dict[str, str] | None = None,
                        generation_cost_eur_per_mwh: float | None = None) -> dict:
    """Delivered cost along a *nominated* path (e.g. a contract path), EUR/MWh.

    Not the corridor's delivered cost: that is :func:`delivered_cost`, from the traced origin of
    the energy.  This one assumes that what the path's last link lands comes from the path's
    start node; it is meaningful only for a path that actually carries the energy from there
    (``warnings`` says when it does not).  ``path`` defaults to the scenario's
    ``corridor.export_path`` (an error when it has none), ``scenario`` to ``result.scenario``.

    * ``delivered_mwh``: energy the last link of the path delivers into the landing node in
      the path's direction, after its losses (MWh/yr).
    * ``generation_required_mwh`` = delivered / (product of the path efficiencies): the
      origin generation needed for it.
    * ``generation_cost_eur_per_mwh``: average cost of generation at ``origin_nodes``
      (default: the path's start node) = total yearly cost of their generators
      (:func:`~silkgrid.analysis.costs.cost_components`: capex annuity, fixed and variable
      O&M, fuel, CO2) / their generation; or the value passed in.
    * segment ``generation`` = generation cost x delivered; segment ``losses`` = generation
      cost x (required - delivered);
    * one segment per link: its yearly cost (annuity + fixed O&M + variable cost) x the
      corridor's share of its use in the path direction, ``min(1, corridor energy sent into
      the link / energy sent into the link in that direction)``, where the corridor energy
      sent into link k is delivered / (product of efficiencies of links k..end).

    Returns a dict with those figures, ``segments_eur`` (EUR/yr by segment),
    ``segments_eur_per_mwh`` (each / delivered) and ``delivered_cost_eur_per_mwh`` (their
    sum), ``first_link_sent_mwh`` (energy entering the first link in the path direction) and
    ``warnings`` (non-empty when that is less than the required generation: energy that
    joins the path downstream is then costed as if it came from the origin).  Segment names
    come from ``segments`` over the scenario's ``corridor.segments``, else the link id.
    With nothing delivered the per-MWh values are NaN.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    steps = resolve_path(scenario, default_path(scenario, path))
    labels = {**corridor_of(scenario).segments, **(segments or {})}
    fwd, bwd = directional_flows(result, scenario)
    w = weights(result)
    origin = set(origin_nodes) if origin_nodes is not None else {steps[0].sending}
    comps = cost_components(result, scenario).set_index("id")

    effs = np.array([s.efficiency for s in steps])
    _, recv_last = along_path(steps[-1], fwd, bwd)
    delivered = float((recv_last * w).sum())
    required = delivered / float(np.prod(effs))

    if generation_cost_eur_per_mwh is None:
        gtab = result.tables["generators"]
        sel = gtab[gtab["node"].isin(origin)]
        gen = float(sel["generation_mwh"].sum())
        cost = float(comps.loc[sel["id"], "total_eur"].sum()) if len(sel) else 0.0
        generation_cost_eur_per_mwh = cost / gen if gen > 0 else np.nan
    gc = float(generation_cost_eur_per_mwh)

    seg: dict[str, float] = {"generation": gc * delivered, "losses": gc * (required - delivered)}
    shares: dict[str, float] = {}
    for k, s in enumerate(steps):
        sent_k, _ = along_path(s, fwd, bwd)
        sent_mwh = float((sent_k * w).sum())
        corridor_sent = delivered / float(np.prod(effs[k:]))
        share = min(1.0, corridor_sent / sent_mwh) if sent_mwh > 0 else 0.0
        shares[s.link] = share
        label = labels.get(s.link, s.link)
        seg[label] = seg.get(label, 0.0) + share * float(comps.loc[s.link, "total_eur"])
    per_mwh = {k: (v / delivered if delivered > 0 else np.nan) for k, v in seg.items()}
    first_sent = float((along_path(steps[0], fwd, bwd)[0] * w).sum())
    warnings = []
    if first_sent < required * (1 - 1e-6):
        warnings.append(
            f"only {first_sent:,.0f} of the {required:,.0f} MWh/yr that the delivery needs at the origin "
            f"enter the path's first link '{steps[0].link}': the rest joins the path downstream, yet it "
            f"is costed at the origin's generation cost and the full path losses")
    return {
        "path": [s.link for s in steps],
        "origin_node": steps[0].sending,
        "landing_node": steps[-1].receiving,
        "path_efficiency": float(np.prod(effs)),
        "delivered_mwh": delivered,
        "generation_required_mwh": required,
        "losses_mwh": required - delivered,
        "generation_cost_eur_per_mwh": gc,
        "link_cost_share": shares,
        "segments_eur": seg,
        "segments_eur_per_mwh": per_mwh,
        "delivered_cost_eur_per_mwh": float(sum(per_mwh.values())) if delivered > 0 else np.nan,
        "first_link_sent_mwh": first_sent,
        "warnings": warnings,
    }


# ----------------------------------------------------------------------------------------
# delivered cost from the traced origin
# ----------------------------------------------------------------------------------------
def _unit_costs(result: Result, scenario: Scenario, trace: FlowTrace) -> tuple[np.ndarray, list[str]]:
    """(T, S) cost of one MWh of each traced source, EUR/MWh, and notes on the conventions used."""
    comps = cost_components(result, scenario).set_index(["kind", "id"])["total_eur"]
    src = trace.sources
    T, S = trace.source_mw.shape
    unit = np.zeros((T, S))
    notes = []
    gen = result.tables["generators"].set_index("id")["generation_mwh"]
    sto = result.tables["storage"].set_index("id")["discharged_mwh"] if "storage" in result.tables else None
    price = result.hourly.get("price_eur_per_mwh")
    voll = scenario.unserved_energy.value_of_lost_load_eur_per_mwh
    for j, r in enumerate(src.itertuples()):
        if r.kind in ("generator", "storage"):
            energy = float(gen[r.id] if r.kind == "generator" else sto[r.id])
            unit[:, j] = float(comps[(r.kind, r.id)]) / energy if energy > 0 else 0.0
        elif r.kind == "market":
            if price is None or r.node not in price:
                unit[:, j] = np.nan
                notes.append(f"no nodal price at {r.node}: purchases from {r.id} are not costed")
            else:
                unit[:, j] = price[r.node].to_numpy()
        elif r.kind == "unserved":
            unit[:, j] = voll
    return unit, notes


def delivered_cost(result: Result, scenario: Scenario | None = None, *, trace: FlowTrace | None = None,
                   destinations="eu_border", segments: dict[str, str] | None = None) -> dict:
    """Delivered cost at the EU landing point from the traced origin of the energy, EUR/MWh.

    The energy delivered into ``destinations`` (default: what lands in the EU over the border
    arcs of :func:`~silkgrid.analysis.tracing.trace_flows`) is attributed to its producers by
    proportional sharing; then, in EUR/yr:

    * ``generation`` = sum over sources of c_s x delivered_s, where c_s is the source's cost per
      MWh: generators and storage their yearly cost (:func:`cost_components`: capex annuity of
      new capacity, fixed and variable O&M, fuel, CO2) / their output; market purchases the nodal
      price of the market node in the snapshot; unserved energy the value of lost load;
    * ``losses`` = sum over sources of c_s x (generated_s - delivered_s): the output lost on
      the way, at the cost of the energy lost;
    * one segment per link the traced energy uses (label: ``segments`` over the scenario's
      ``corridor.segments``, else the link id): the link's yearly cost (annuity + fixed O&M +
      variable cost) x ``share_of_link`` = energy sent into it bound for the destinations /
      all energy sent into it (both directions).  A link the energy does not use is not costed.

    ``delivered_cost_eur_per_mwh`` = sum of the segments / delivered.  Also returned:
    ``delivered_mwh``, ``generated_mwh``, ``losses_mwh``, ``generation_cost_eur_per_mwh``
    (generation segment / delivered), ``segments_eur``, ``segments_eur_per_mwh``,
    ``link_cost_share`` (link -> share_of_link), ``origin_by_country`` and
    ``origin_by_technology`` (share of delivered energy), ``landing_nodes`` and ``notes``.
    With nothing delivered the per-MWh values are NaN.  ``trace`` reuses a trace of the result.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    trace = trace if trace is not None else trace_flows(result, scenario)
    sel = trace.select(destinations)
    w = trace.weights_h[:, None]
    dl = trace.delivered_mw(destinations).to_numpy() * w
    gn = trace.generated_mw(destinations).to_numpy() * w
    unit, notes = _unit_costs(result, scenario, trace)
    delivered, generated = float(dl.sum()), float(gn.sum())
    seg: dict[str, float] = {"generation": float(np.nansum(unit * dl)), "losses": float(np.nansum(unit * (gn - dl)))}
    labels = {**corridor_of(scenario).segments, **(segments or {})}
    comps = cost_components(result, scenario).set_index(["kind", "id"])["total_eur"]
    sent = trace.weights_h @ trace.link_sent_mw(destinations).to_numpy()
    total = trace.weights_h @ (trace.arc_mw @ np.eye(len(trace.links))[trace.arc_link])
    shares: dict[str, float] = {}
    for k, lid in enumerate(trace.links["id"]):
        if sent[k] <= 0:
            continue
        shares[lid] = float(sent[k] / total[k])
        label = labels.get(lid, lid)
        seg[label] = seg.get(label, 0.0) + shares[lid] * float(comps[("link", lid)])
    per_mwh = {k: (v / delivered if delivered > 0 else np.nan) for k, v in seg.items()}
    if (trace.sources["kind"] == "storage").any():
        notes.append("storage is costed at its own yearly cost per MWh discharged; the energy it stored is "
                     "counted where it was charged (a destination of its own)")
    mix = {by: {str(r[by]): float(r.delivered_share) for _, r in origin_mix(trace, destinations, by).iterrows()}
           for by in ("country", "technology")} if delivered > 0 else {"country": {}, "technology": {}}
    return {
        "definition": "traced origin (proportional sharing): producers' cost per MWh + losses on the way + "
                      "each used link's yearly cost x its share of the link's energy",
        "destinations": list(trace.destinations["id"].iloc[sel]),
        "landing_nodes": sorted(set(trace.destinations["node"].iloc[sel])),
        "delivered_mwh": delivered,
        "generated_mwh": generated,
        "losses_mwh": generated - delivered,
        "generation_cost_eur_per_mwh": per_mwh["generation"],
        "link_cost_share": shares,
        "segments_eur": seg,
        "segments_eur_per_mwh": per_mwh,
        "delivered_cost_eur_per_mwh": float(sum(per_mwh.values())) if delivered > 0 else np.nan,
        "origin_by_country": mix["country"],
        "origin_by_technology": mix["technology"],
        "notes": notes,
    }


def delivered_cost_by_source(result: Result, scenario: Scenario | None = None, *, trace: FlowTrace | None = None,
                             destinations="eu_border") -> pd.DataFrame:
    """The generation and losses segments of :func:`delivered_cost` per source: the traced
    sources' ``delivered_mwh``, ``generated_mwh``, ``generation_eur``, ``losses_eur`` (EUR/yr) and
    ``cost_eur_per_mwh`` (= generation_eur / delivered_mwh, the source's average cost)."""
    require_plan(result)
    scenario = scenario_of(result, scenario)
    trace = trace if trace is not None else trace_flows(result, scenario)
    w = trace.weights_h[:, None]
    dl = trace.delivered_mw(destinations).to_numpy() * w
    gn = trace.generated_mw(destinations).to_numpy() * w
    unit, _ = _unit_costs(result, scenario, trace)
    out = trace.sources.copy()
    out["delivered_mwh"], out["generated_mwh"] = dl.sum(axis=0), gn.sum(axis=0)
    out["generation_eur"] = np.nansum(unit * dl, axis=0)
    out["losses_eur"] = np.nansum(unit * (gn - dl), axis=0)
    d = out["delivered_mwh"].to_numpy()
    out["cost_eur_per_mwh"] = np.divide(out["generation_eur"].to_numpy(), d, out=np.full(len(d), np.nan), where=d > 0)
    return out[out["generated_mwh"] > 0].sort_values("delivered_mwh", ascending=False).reset_index(drop=True)
