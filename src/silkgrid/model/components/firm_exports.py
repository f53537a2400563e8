"""Firm export contracts: net import over links into a node, hourly (MW) or per year (MWh).

LP blocks: ``firm_export_hourly`` (one row per contract and snapshot: power delivered into the
node over links, after losses, >= min GW) and ``firm_export_yearly`` (one row per contract:
the same x weight summed over the horizon >= min GWh/yr).
"""

from __future__ import annotations

import numpy as np

from silkgrid.core.units import MW
from silkgrid.model.components.base import (Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView,
                                            first_snapshot)
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``firm_export_*`` fields: node, minimum GW per snapshot and GWh per year (nan: none)."""
    fe = sc.policies.firm_exports
    return dict(
        firm_export_ids=[f.id for f in fe],
        firm_export_node=inp.nodes([f.node for f in fe]),
        firm_export_min_gw=np.array([np.nan if f.min_mw is None else f.min_mw * MW for f in fe]),
        firm_export_min_gwh=np.array([np.nan if f.min_mwh_per_year is None else f.min_mwh_per_year * MW
                                      for f in fe]),
    )


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


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Hourly rows (GW) for contracts with ``min_mw``, yearly rows (GWh/yr) for ``min_mwh_per_year``."""
    a = ctx.arrays
    hourly = np.flatnonzero(~np.isnan(a.firm_export_min_gw))
    if hourly.size:
        rows = lp.add_constraints("firm_export_hourly", (hourly.size, ctx.T),
                                  lower=a.firm_export_min_gw[hourly, None], time=ctx.t)
        for r, k in zip(rows, hourly):  # per contract; each term covers all hours
            for cols, coef in zip(*link_net_import(lp, ctx, a.firm_export_node[k])):
                lp.add_terms(r[None, :], cols, coef)
    yearly = np.flatnonzero(~np.isnan(a.firm_export_min_gwh))
    if yearly.size:
        rows = lp.add_constraints("firm_export_yearly", yearly.size, lower=a.firm_export_min_gwh[yearly])
        for r, k in zip(rows, yearly):
            for cols, coef in zip(*link_net_import(lp, ctx, a.firm_export_node[k])):
                lp.add_terms(r, cols, coef * ctx.w[None, :])


def extract(view: SolutionView) -> Extracted:
    """Nothing of its own (deliveries are in the link tables)."""
    return Extracted()


def _contract(name: str, where: tuple, a: Arrays) -> str:
    minimum = a.firm_export_min_gw if name.endswith("hourly") else a.firm_export_min_gwh
    return [a.firm_export_ids[i] for i in np.flatnonzero(~np.isnan(minimum))][where[0]]


def _describe_hourly(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    amount = np.abs(violation)
    return (f"the firm export contract '{_contract(name, where, a)}' cannot be delivered in "
            f"{int((amount > 1e-9).sum())} snapshots (first at {first_snapshot(where, a)}); it falls short by "
            f"up to {amount.max() * 1e3:,.1f} MW, so link or generation capacity towards its node is too small")


def _describe_yearly(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    return (f"the yearly firm export contract '{_contract(name, where, a)}' falls short by "
            f"{np.abs(violation).sum() * 1e3:,.0f} MWh; link or generation capacity towards its node is too small")


DIAGNOSIS = {"firm_export_hourly": Diagnosis(_describe_hourly, relax=0),
             "firm_export_yearly": Diagnosis(_describe_yearly, relax=0)}
