"""Links (transmission): capacity (GW) and flows in each direction (GW), with losses.

LP blocks, in order: ``link_new`` (GW; cost MEUR/GW/yr), ``link_forward`` (from -> to, every
link), ``link_backward`` (to -> from, bidirectional links only), ``link_forward_max`` /
``link_backward_max`` (flows of extendable links within existing + new capacity).  A flow
leaves its sending node in full and arrives times the link's efficiency.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.costs import element_rate, link_cost_per_mw_yr
from silkgrid.core.units import COST, GW_TO_MW, MW
from silkgrid.model.components.base import (CAPACITY_FLOOR_GW, SNAP_GW, BuildContext, Extracted, Inputs, SolutionView,
                                            capacity, limit_by_capacity, new_capacity, retire_idle_capacity,
                                            retire_noise_capacity)
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``link_*`` fields: capacity in GW, efficiencies per direction, marginal cost in MEUR/GWh."""
    links = sc.links
    l_costs = [link_cost_per_mw_yr(ln, element_rate(ln, sc.discount_rate)) for ln in links]
    return dict(
        link_ids=[ln.id for ln in links],
        link_from=inp.nodes([ln.from_node for ln in links]),
        link_to=inp.nodes([ln.to_node for ln in links]),
        link_cap=capacity([ln.capacity_mw for ln in links], [ln.extendable for ln in links],
                          [ln.min_capacity_mw for ln in links], [ln.max_capacity_mw for ln in links],
                          [c[0] for c in l_costs], [c[1] for c in l_costs], MW),
        link_eff=np.array([ln.efficiency for ln in links]),
        link_eff_rev=np.array([ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
                               for ln in links]),
        link_bidirectional=np.array([ln.bidirectional for ln in links], dtype=bool),
        link_marginal=np.array([ln.variable_cost_eur_per_mwh for ln in links]) * COST,
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Capacity and flow blocks; flows enter the balances of both ends."""
    a = ctx.arrays
    L, T = len(a.link_ids), ctx.T
    C = a.link_cap
    new, ext = new_capacity(lp, "link_new", C, a.link_ids)
    hi = np.where(ext, np.inf, C.existing)[:, None]
    cost = a.link_marginal[:, None] * ctx.w[None, :]
    fwd = lp.add_variables("link_forward", (L, T), upper=hi, cost=cost, time=ctx.t)
    bi = np.flatnonzero(a.link_bidirectional)
    bwd = lp.add_variables("link_backward", (bi.size, T), upper=hi[bi], cost=cost[bi], time=ctx.t)
    e = np.flatnonzero(ext)
    limit_by_capacity(lp, "link_forward_max", fwd, new, C.existing, e)
    eb = np.flatnonzero(ext[bi])
    if eb.size:
        rows = lp.add_constraints("link_backward_max", (eb.size, T), upper=C.existing[bi[eb], None],
                                  time=ctx.t)
        lp.add_terms(rows, bwd[eb], 1.0)
        lp.add_terms(rows, new[bi[eb]][:, None], -1.0)
    lp.add_terms(ctx.balance[a.link_from], fwd, -1.0)
    lp.add_terms(ctx.balance[a.link_to], fwd, a.link_eff[:, None])
    lp.add_terms(ctx.balance[a.link_to[bi]], bwd, -1.0)
    lp.add_terms(ctx.balance[a.link_from[bi]], bwd, a.link_eff_rev[bi, None])
    lp.objective_constant += float(C.existing @ C.cost_existing)


def polish(values: dict[str, np.ndarray], a) -> dict[str, int]:
    """Candidate links below 1 kW are not built and carry nothing; opposite flows in one snapshot
    are netted where the energy they dissipate can be curtailed instead; new capacity that carries
    nothing in any snapshot is not built (in place); the counts.

    Sending f forward and b backward at once burns energy in losses.  Netting keeps one end's
    balance exactly and leaves a surplus ``x (1 - e e_r)`` at the other end, which is taken off
    the output of that node's freely curtailable renewable generators (no must-run, no ramp
    limit) in proportion: the plan costs the same (or less, by their variable O&M) and every
    balance holds.  Pairs whose surplus cannot be curtailed are kept (then the opposite flow is
    how the optimum dissipates it) and counted as ``link_opposite_flows``.  Skipped when a policy
    ties renewable output or link flows (renewable shares, CBAM matching, firm exports).
    """
    bi = np.flatnonzero(a.link_bidirectional)
    bwd = np.zeros_like(values["link_forward"])
    bwd[bi] = values["link_backward"]
    dead = retire_noise_capacity(values["link_new"], a.link_cap.existing, values["link_forward"], bwd)
    netted = _net_opposite_flows(values["link_forward"], bwd, values, a)
    idle = retire_idle_capacity(values["link_new"], a.link_cap, values["link_forward"], bwd)
    values["link_backward"] = bwd[bi]
    return {"links_not_built": dead, "idle_links_not_built": idle, "link_opposite_flows_netted": netted,
            "link_opposite_flows": int(((values["link_forward"] >= SNAP_GW) & (bwd >= SNAP_GW)).sum())}


def _curtailable(a) -> np.ndarray:
    """(G, T) mask of renewable generator outputs that may be lowered freely."""
    free = a.gen_renewable[:, None] & (a.gen_min <= 0)
    return free & (np.isnan(a.gen_ramp_up) & np.isnan(a.gen_ramp_down))[:, None]


def _net_opposite_flows(fwd: np.ndarray, bwd: np.ndarray, values: dict[str, np.ndarray], a) -> int:
    """Net same-snapshot opposite flows, absorbing the freed losses by curtailment (in place); the count."""
    if "gen_p" not in values or a.min_res_share or a.cbam_link >= 0 or len(a.firm_export_ids):
        return 0
    p = values["gen_p"]
    free = _curtailable(a)
    count = 0
    for k in np.flatnonzero(((fwd >= SNAP_GW) & (bwd >= SNAP_GW)).any(axis=1)):  # loop over links, not hours
        e, er = a.link_eff[k], a.link_eff_rev[k]
        for side in ("from", "to"):
            f, b = fwd[k], bwd[k]
            both = (f >= SNAP_GW) & (b >= SNAP_GW)
            if side == "from":  # keep the receiving end's balance; surplus at the sending end
                x = np.minimum(f, b / e)
                y, surplus, node = x * e, x * (1 - e * er), a.link_from[k]
            else:  # keep the sending end's balance; surplus at the receiving end
                y = np.minimum(b, f / er)
                x, surplus, node = y * er, y * (1 - e * er), a.link_to[k]
            gens = np.flatnonzero(a.gen_node == node)
            room = (p[gens] * free[gens]).sum(axis=0)
            ok = both & (surplus <= room)
            if not ok.any():
                continue
            share = np.divide(surplus, room, out=np.zeros_like(room), where=ok & (room > 0))
            p[gens] -= p[gens] * free[gens] * share[None, :]
            fwd[k] = np.where(ok, f - x, f)
            bwd[k] = np.where(ok, b - y, b)
            count += int(ok.sum())
    np.maximum(fwd, 0.0, out=fwd)
    np.maximum(bwd, 0.0, out=bwd)
    return count


def extract(view: SolutionView) -> Extracted:
    """Table ``links`` (MW, MWh/yr, utilisation) and hourly ``link_flow_mw`` (forward - backward),
    ``link_forward_mw``, ``link_backward_mw``, ``link_losses_mw``."""
    a, v, w = view.arrays, view.values, view.w
    lc = a.link_cap
    bi = np.flatnonzero(a.link_bidirectional)
    fwd = v["link_forward"]
    bwd = np.zeros_like(fwd)
    bwd[bi] = v["link_backward"]
    l_total = lc.existing + v["link_new"]
    losses = fwd * (1 - a.link_eff[:, None]) + bwd * (1 - a.link_eff_rev[:, None])
    sent = np.maximum(fwd, bwd)  # a snapshot uses the link up to its larger direction
    table = pd.DataFrame({
        "id": a.link_ids, "from_node": view.node_names(a.link_from), "to_node": view.node_names(a.link_to),
        "existing_mw": lc.existing * GW_TO_MW, "new_mw": v["link_new"] * GW_TO_MW, "total_mw": l_total * GW_TO_MW,
        "forward_mwh": view.energy(fwd), "backward_mwh": view.energy(bwd), "losses_mwh": view.energy(losses),
        "utilisation": np.divide(view.energy(sent), l_total * GW_TO_MW * w.sum(), out=np.zeros(len(a.link_ids)),
                                 where=l_total > CAPACITY_FLOOR_GW),
    })
    return Extracted(tables={"links": table}, hourly={
        "link_flow_mw": view.wide(fwd - bwd, a.link_ids),
        "link_forward_mw": view.wide(fwd, a.link_ids),
        "link_backward_mw": view.wide(bwd, a.link_ids),
        "link_losses_mw": view.wide(losses, a.link_ids),
    })


#: No sentence of its own: link limits are column bounds or follow from capacities.
DIAGNOSIS: dict = {}
