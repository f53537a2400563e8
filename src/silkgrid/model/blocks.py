"""Formulation blocks: each adds one component family to the LP.

All quantities are in LP units (GW, GWh, MEUR, kt).  Every block adds its power
injections to the nodal energy-balance rows ``ctx.balance[node, t]`` (equalities with
the nodal demand on the right-hand side), so a block never needs to know the others.

Time: ``w[t]`` is the weight of snapshot t in yearly totals (h/yr), ``d[t]`` the hours it
lasts (storage, ramps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from silkgrid.model.arrays import Capacity, NetworkArrays
from silkgrid.model.lp import LinearProgram


@dataclass
class BuildContext:
    arrays: NetworkArrays
    w: np.ndarray
    d: np.ndarray
    balance: np.ndarray  #: (N, T) row indices
    fixed: dict[str, float] = field(default_factory=dict)  #: "family/id" -> total capacity, GW
    budget_share: float = 1.0  #: share of yearly policy budgets that falls in this window

    @property
    def T(self) -> int:
        return len(self.w)

    @property
    def t(self) -> np.ndarray:
        """Snapshot positions as a (1, T) row, the time tags of (element, T) blocks."""
        return np.arange(self.T)[None, :]


def _new_capacity(lp: LinearProgram, name: str, cap: Capacity, ids: list[str], ctx: BuildContext,
                  family: str) -> tuple[np.ndarray, np.ndarray]:
    """Variables for new capacity (zero-width for non-extendable elements).

    Returns the column indices and a mask of elements whose capacity is a variable or is
    fixed from outside (``ctx.fixed``, total capacity; may lie below the existing one).
    """
    lo, hi = cap.bounds_new()
    ext = cap.extendable.copy()
    for i, eid in enumerate(ids):
        total = ctx.fixed.get(f"{family}/{eid}")
        if total is not None:
            lo[i] = hi[i] = total - cap.existing[i]
            ext[i] = True
    return lp.add_variables(name, len(ids), lower=lo, upper=hi, cost=cap.cost_new), ext


def _limit_by_capacity(lp: LinearProgram, name: str, flow: np.ndarray, new: np.ndarray,
                       existing: np.ndarray, sel: np.ndarray, factor: np.ndarray | float = 1.0,
                       lower: bool = False) -> None:
    """Rows ``flow[i, t] - factor[i, t] * new[i] <= factor[i, t] * existing[i]`` for i in ``sel``.

    With ``lower=True`` the row is ``>=`` instead (must-run output).
    """
    if sel.size == 0:
        return
    f = np.broadcast_to(np.asarray(factor, float), flow.shape)[sel]
    rhs = f * existing[sel, None]
    rows = lp.add_constraints(name, flow[sel].shape, time=np.arange(flow.shape[-1]),
                              **({"lower": rhs} if lower else {"upper": rhs}))
    lp.add_terms(rows, flow[sel], 1.0)
    lp.add_terms(rows, new[sel][:, None], -f)


def add_generators(lp: LinearProgram, ctx: BuildContext) -> None:
    a = ctx.arrays
    G, T = len(a.gen_ids), ctx.T
    cap = a.gen_cap
    new, ext = _new_capacity(lp, "gen_new", cap, a.gen_ids, ctx, "generators")
    exist = cap.existing[:, None]
    lower = np.where(ext[:, None], 0.0, a.gen_min * exist)
    upper = np.where(ext[:, None], np.inf, a.gen_avail * exist)
    p = lp.add_variables("gen_p", (G, T), lower=lower, upper=upper,
                         cost=a.gen_marginal[:, None] * ctx.w[None, :], time=ctx.t)
    e = np.flatnonzero(ext)
    _limit_by_capacity(lp, "gen_max", p, new, cap.existing, e, a.gen_avail)
    must_run = e[(a.gen_min[e] > 0).any(axis=1)] if e.size else e
    _limit_by_capacity(lp, "gen_min", p, new, cap.existing, must_run, a.gen_min, lower=True)
    lp.add_terms(ctx.balance[a.gen_node], p, 1.0)
    if T > 1:
        for direction, limit in (("up", a.gen_ramp_up), ("down", a.gen_ramp_down)):
            g = np.flatnonzero(~np.isnan(limit))
            if g.size == 0:
                continue
            r = limit[g][:, None] * ctx.d[None, 1:]
            rows = lp.add_constraints(f"gen_ramp_{direction}", (g.size, T - 1),
                                      upper=r * cap.existing[g, None], time=ctx.t[:, 1:])
            sign = 1.0 if direction == "up" else -1.0
            lp.add_terms(rows, p[g, 1:], sign)
            lp.add_terms(rows, p[g, :-1], -sign)
            lp.add_terms(rows, new[g][:, None], -r)
    lp.objective_constant += float(cap.existing @ cap.cost_existing)


def add_storage(lp: LinearProgram, ctx: BuildContext) -> None:
    a = ctx.arrays
    S, T = len(a.sto_ids), ctx.T
    P, E = a.sto_power, a.sto_energy
    unl = a.sto_unlimited_power
    has_mh = ~np.isnan(a.sto_max_hours)
    mh = np.nan_to_num(a.sto_max_hours)
    p_new, p_ext = _new_capacity(lp, "sto_power_new", P, a.sto_ids, ctx, "storage_power")
    e_new, e_ext = _new_capacity(lp, "sto_energy_new", E, a.sto_ids, ctx, "storage_energy")
    p_ext &= ~unl
    e_ext &= ~has_mh
    p_hi = np.where(p_ext | unl, np.inf, P.existing)[:, None]
    e_fixed_hi = np.where(has_mh, mh * P.existing, E.existing)
    e_hi = np.where(e_ext | (has_mh & p_ext), np.inf, e_fixed_hi)[:, None]
    ch = lp.add_variables("sto_charge", (S, T), upper=np.where(a.sto_can_charge[:, None], p_hi, 0.0),
                          time=ctx.t)
    dis = lp.add_variables("sto_discharge", (S, T), upper=p_hi,
                           cost=a.sto_marginal[:, None] * ctx.w[None, :], time=ctx.t)
    soc = lp.add_variables("sto_soc", (S, T), upper=e_hi, time=ctx.t)
    sel = np.flatnonzero(p_ext)
    _limit_by_capacity(lp, "sto_charge_max", ch, p_new, P.existing, sel)
    _limit_by_capacity(lp, "sto_discharge_max", dis, p_new, P.existing, sel)
    _limit_by_capacity(lp, "sto_energy_max", soc, e_new, E.existing, np.flatnonzero(e_ext))
    mh_sel = np.flatnonzero(has_mh & p_ext)
    _limit_by_capacity(lp, "sto_energy_max_hours", soc, p_new, P.existing, mh_sel, mh[:, None])

    # state of charge: soc[t] = keep[t] soc[t-1] + d (eta_c ch - dis / eta_d + inflow - spill)
    d = ctx.d[None, :]
    keep = (1.0 - a.sto_standing_loss[:, None]) ** d
    inflow = a.sto_inflow * d
    rhs = inflow.copy()
    rhs[:, 0] += np.where(a.sto_cyclic, 0.0, keep[:, 0] * a.sto_initial)
    rows = lp.add_constraints("sto_soc_balance", (S, T), lower=rhs, upper=rhs, time=ctx.t)
    lp.add_terms(rows, soc, 1.0)
    lp.add_terms(rows[:, 1:], soc[:, :-1], -keep[:, 1:])
    cyc = np.flatnonzero(a.sto_cyclic)
    lp.add_terms(rows[cyc, 0], soc[cyc, -1], -keep[cyc, 0])
    lp.add_terms(rows, ch, -d * a.sto_eff_charge[:, None])
    lp.add_terms(rows, dis, d / a.sto_eff_discharge[:, None])
    spill_sel = np.flatnonzero(a.sto_spill & (a.sto_inflow > 0).any(axis=1)) if S else np.zeros(0, int)
    spill = lp.add_variables("sto_spill", (spill_sel.size, T), upper=a.sto_inflow[spill_sel], time=ctx.t)  # spill <= inflow
    lp.add_terms(rows[spill_sel], spill, d)
    lp.add_terms(ctx.balance[a.sto_node], dis, 1.0)
    lp.add_terms(ctx.balance[a.sto_node], ch, -1.0)
    lp.objective_constant += float(P.existing @ P.cost_existing + E.existing @ E.cost_existing)


def add_links(lp: LinearProgram, ctx: BuildContext) -> None:
    a = ctx.arrays
    L, T = len(a.link_ids), ctx.T
    C = a.link_cap
    new, ext = _new_capacity(lp, "link_new", C, a.link_ids, ctx, "links")
    hi = np.where(ext, np.inf, C.existing)[:, None]
    cost = a.link_marginal[:, None] * ctx.w[None, :]
    fwd = lp.add_variables("link_forward", (L, T), upper=hi, cost=cost, time=ctx.t)
    bi = np.flatnonzero(a.link_bidirectional)
    bwd = lp.add_variables("link_backward", (bi.size, T), upper=hi[bi], cost=cost[bi], time=ctx.t)
    e = np.flatnonzero(ext)
    _limit_by_capacity(lp, "link_forward_max", fwd, new, C.existing, e)
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


def add_loads(lp: LinearProgram, ctx: BuildContext) -> None:
    """Unserved energy (load shedding) at the value of lost load; demand sits in the balance rhs."""
    a = ctx.arrays
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    u = lp.add_variables("unserved", (shed.size, ctx.T), upper=a.load_demand[shed],
                         cost=a.load_voll[shed, None] * ctx.w[None, :], time=ctx.t)
    lp.add_terms(ctx.balance[a.load_node[shed]], u, 1.0)


def add_markets(lp: LinearProgram, ctx: BuildContext) -> None:
    """Sales to and purchases from external markets at their hourly price."""
    a = ctx.arrays
    M, T = len(a.market_ids), ctx.T
    value = a.market_price * ctx.w[None, :]
    sell = lp.add_variables("market_sell", (M, T), upper=a.market_export_cap[:, None], cost=-value, time=ctx.t)
    buy = lp.add_variables("market_buy", (M, T), upper=a.market_import_cap[:, None], cost=value, time=ctx.t)
    lp.add_terms(ctx.balance[a.market_node], sell, -1.0)
    lp.add_terms(ctx.balance[a.market_node], buy, 1.0)


def link_net_import(lp: LinearProgram, ctx: BuildContext, node: int) -> tuple[list, list]:
    """Columns and coefficients of the power delivered into ``node`` over links, GW, per t."""
    a = ctx.arrays
    fwd, bwd = lp.variables["link_forward"], lp.variables["link_backward"]
    bi = np.flatnonzero(a.link_bidirectional)
    cols, coefs = [], []
    for mask, var, coef in (
            (a.link_to == node, fwd, a.link_eff),
            (a.link_from == node, fwd, -np.ones(len(a.link_ids))),
            (a.link_from[bi] == node, bwd, a.link_eff_rev[bi]),
            (a.link_to[bi] == node, bwd, -np.ones(bi.size))):
        k = np.flatnonzero(mask)
        if k.size:
            cols.append(var[k])
            coefs.append(np.broadcast_to(coef[k][:, None], var[k].shape))
    return cols, coefs


def add_policies(lp: LinearProgram, ctx: BuildContext) -> None:
    """CO2 caps (system, country), minimum renewable shares, firm export contracts."""
    a = ctx.arrays
    p = lp.variables["gen_p"]
    emis = a.gen_co2[:, None] * ctx.w[None, :]  # kt per GW of output in each snapshot
    share = ctx.budget_share
    gen_country = np.array([a.node_country[n] for n in a.gen_node], dtype=object)
    if a.co2_cap is not None:
        row = lp.add_constraints("co2_cap", 1, upper=a.co2_cap * share)
        lp.add_terms(row[0], p, emis)
    caps = list(a.co2_cap_by_country.items())
    if caps:
        rows = lp.add_constraints("co2_cap_country", len(caps),
                                  upper=np.array([v for _, v in caps]) * share)
        for r, (country, _) in zip(rows, caps):
            g = np.flatnonzero(gen_country == country)
            lp.add_terms(r, p[g], emis[g])
    res = list(a.min_res_share.items())
    if res:
        load_country = np.array([a.node_country[n] for n in a.load_node], dtype=object)
        demand_gwh = (a.load_demand * ctx.w[None, :]).sum(axis=1)
        lower = np.array([s * demand_gwh[load_country == c].sum() for c, s in res])
        rows = lp.add_constraints("min_renewable_share", len(res), lower=lower)
        for r, (country, _) in zip(rows, res):
            g = np.flatnonzero((gen_country == country) & a.gen_renewable)
            lp.add_terms(r, p[g], np.broadcast_to(ctx.w[None, :], p[g].shape))
    hourly = np.flatnonzero(~np.isnan(a.firm_export_min_gw))
    if hourly.size:
        rows = lp.add_constraints("firm_export_hourly", (hourly.size, ctx.T),
                                  lower=a.firm_export_min_gw[hourly, None], time=ctx.t)
        for r, k in zip(rows, hourly):
            for cols, coef in zip(*link_net_import(lp, ctx, a.firm_export_node[k])):
                lp.add_terms(r[None, :], cols, coef)
    yearly = np.flatnonzero(~np.isnan(a.firm_export_min_gwh))
    if yearly.size:
        rows = lp.add_constraints("firm_export_yearly", yearly.size,
                                  lower=a.firm_export_min_gwh[yearly] * share)
        for r, k in zip(rows, yearly):
            for cols, coef in zip(*link_net_import(lp, ctx, a.firm_export_node[k])):
                lp.add_terms(r, cols, coef * ctx.w[None, :])


def add_cbam_matching(lp: LinearProgram, ctx: BuildContext) -> None:
    """CBAM hourly matching (``policies.cbam_hourly_matching``), one row per snapshot:

    ``e_last * flow_last[t] - sum_g e_g * p[g, t] <= 0``: the power the last link of the CBAM
    path delivers into the EU end (in the path direction, after its losses) is at most the
    contracted producers' output times the path efficiencies from each producer's node to
    the EU end (``e_g``), as in ``silkgrid.analysis.cbam.hourly_matching``.
    """
    a = ctx.arrays
    k = a.cbam_link
    if k < 0:
        return
    bi = np.flatnonzero(a.link_bidirectional)

    def path_flow(link: int, forward: bool) -> np.ndarray:
        if forward:
            return lp.variables["link_forward"][link]
        return lp.variables["link_backward"][int(np.flatnonzero(bi == link)[0])]

    flow = path_flow(k, a.cbam_forward)
    p = lp.variables["gen_p"]
    rows = lp.add_constraints("cbam_matching", ctx.T, upper=0.0, time=ctx.t[0])
    lp.add_terms(rows, flow, a.cbam_eff)
    if a.cbam_gens.size:
        lp.add_terms(rows[None, :], p[a.cbam_gens], -a.cbam_gen_eff[:, None])
    # firm nomination on every border: what lands in the EU must also have crossed each earlier
    # link of the path, unless it entered the path after that link
    for link, forward, eff, gens, gen_eff in a.cbam_borders:
        rows = lp.add_constraints(f"cbam_nomination_{link}", ctx.T, upper=0.0, time=ctx.t[0])
        lp.add_terms(rows, flow, a.cbam_eff)
        lp.add_terms(rows, path_flow(link, forward), -eff)
        if a.link_bidirectional[link]:  # net crossing: flow sent back in the same snapshot does not count
            lp.add_terms(rows, path_flow(link, not forward), eff)
        if gens.size:
            lp.add_terms(rows[None, :], p[gens], -gen_eff[:, None])
