"""The LP of a pathway with perfect foresight: the periods' LPs side by side, tied by vintages.

Each period ``q`` has the LP of its own scenario (:func:`~silkgrid.model.build.build_model`),
its costs weighted by the period's objective weight ``W_q`` (present value of one EUR a year over
the years it represents).  A period's new-capacity columns (``gen_new``, ``link_new``,
``sto_power_new``, ``sto_energy_new``: GW or GWh above that period's existing capacity) lose their
cost and become the sum of the **vintages** alive in the period::

    C[e, q] = sum over build periods p with  y_p <= y_q < y_p + lifetime(e, p)  of  B[e, p]

``B[e, p] >= 0`` is the capacity of element ``e`` built in period ``p`` (a column for every period
in which ``e`` is extendable).  A vintage pays its own period's yearly cost (annuity + fixed O&M
of ``p``'s scenario) in every period it is alive:

    cost(B[e, p]) = sum over q alive of W_q * cost_new(e, p)

This is PyPSA's multi-investment-period objective ("type II": annuities while alive, inside the
horizon; nothing after it).  The bounds of ``C[e, q]`` (the period's minimum and maximum new
capacity, e.g. a land potential) hold on the capacity alive in ``q``; build-rate limits of a period
apply to it through its own ``build_limits`` rows.  Existing capacity and its retirements are each
period's own (its scenario's existing fleet), so nothing is counted twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from silkgrid.core.errors import ScenarioError
from silkgrid.model.build import BuiltModel, build_model
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario

__all__ = ["PathwayModel", "build_pathway", "CAPACITY_BLOCKS", "lifetimes"]

#: New-capacity blocks of a period LP: (block, kind of element, ids attribute of the arrays).
CAPACITY_BLOCKS = (("gen_new", "generator", "gen_ids"), ("link_new", "link", "link_ids"),
                   ("sto_power_new", "storage_power", "sto_ids"), ("sto_energy_new", "storage_energy", "sto_ids"))


@dataclass
class PathwayModel:
    """The stacked LP of a pathway (LP units; costs in present MEUR) and how to read it."""

    lp: LinearProgram
    periods: list[int]
    weights: np.ndarray
    """Objective weight of each period (present value of 1 a year over the period), -."""
    blocks: list[BuiltModel]
    """Each period's own LP and arrays (local indices; its costs unweighted)."""
    offsets: list[tuple[int, int]]
    """(column, row) offset of each period's block in :attr:`lp`."""
    vintages: pd.DataFrame
    """One row per vintage column: kind, id, build_period (the period that decides it), build_year
    (the year it is built: the period's, or the element's ``build_year``), lifetime_years, column,
    cost_per_yr (MEUR/GW/yr of the build period), last_period (the last period it is alive in),
    inherited (fixed: built before the periods of this LP)."""
    build_seconds: float


def lifetimes(sc: Scenario) -> dict[str, dict[str, tuple[float, int | None]]]:
    """(lifetime in years, build year or None) of every element of ``sc`` by kind: the element's
    own ``lifetime_years`` where set, else its technology's (generators, stores) or its own (links)."""
    tech = {t.id: t.lifetime_years for t in sc.technologies}

    def own(e) -> tuple[float, int | None]:
        life = getattr(e, "lifetime_years", None)
        return float(life if life is not None else tech.get(getattr(e, "technology", ""), 25.0)), e.build_year
    sto = {s.id: own(s) for s in sc.storage}
    return {"generator": {g.id: own(g) for g in sc.generators}, "link": {ln.id: own(ln) for ln in sc.links},
            "storage_power": sto, "storage_energy": sto}


def build_pathway(scenarios: list[Scenario], periods: list[int], weights: np.ndarray,
                  inherited: pd.DataFrame | None = None, *, blocks: list[BuiltModel] | None = None,
                  lps: list[LinearProgram] | None = None) -> PathwayModel:
    """The LP of ``scenarios`` (one per period of ``periods``, increasing years) with foresight over
    all of them, each period's costs weighted by ``weights``.

    ``inherited`` (myopic and limited foresight) holds vintages built before the first period,
    fixed: columns kind, id, build_period, build_year, lifetime_years, built (GW or GWh) and cost_per_yr
    (MEUR per GW(h) and year); each becomes a fixed column alive in the periods its lifetime reaches.
    ``blocks`` (each period's built model) and ``lps`` (the LPs to stack in their place: the same
    columns, the same rows first, e.g. with the decomposition's implied rows added) default to
    building each scenario.  Each block's snapshots get time tags of their own (period after
    period), so a time partition sees every (period, window) as a subproblem.
    Raises :class:`ScenarioError` where an element that can be built in one period is missing, or
    cannot hold capacity, in a later period its vintage would live in."""
    t0 = time.perf_counter()
    lp = LinearProgram()
    blocks = list(blocks) if blocks is not None else [build_model(sc) for sc in scenarios]
    offsets, t0_tag = [], 0
    for k, (built, w) in enumerate(zip(blocks, weights)):
        part = lps[k] if lps is not None else built.lp
        offsets.append(lp.append(part, prefix=f"p{k}:", cost_scale=float(w), time_offset=t0_tag))
        t0_tag += len(built.arrays.snapshots)
    starts = np.cumsum([0] + [c.size for c in lp.col_cost])  # first column of each cost block
    rows: list[dict] = []
    for block, kind, ids_attr in CAPACITY_BLOCKS:
        old = inherited[inherited["kind"] == kind] if inherited is not None and len(inherited) else None
        _vintages(lp, scenarios, periods, weights, blocks, offsets, block, kind, ids_attr, starts, rows, old)
    vint = pd.DataFrame(rows, columns=["kind", "id", "build_period", "build_year", "lifetime_years", "column",
                                       "cost_per_yr", "last_period", "inherited"])
    return PathwayModel(lp=lp, periods=list(periods), weights=np.asarray(weights, float), blocks=blocks,
                        offsets=offsets, vintages=vint, build_seconds=time.perf_counter() - t0)


def _zero_cost(cost: list[np.ndarray], starts: np.ndarray, col: int) -> None:
    """Set the cost of global column ``col`` to 0 in the LP's list of cost blocks."""
    b = int(np.searchsorted(starts, col, side="right") - 1)
    cost[b][col - starts[b]] = 0.0


def _check_alive(kind: str, eid: str, built_in: int, later: int, life: float, j, hi_q) -> None:
    if j is None or not hi_q[j] > 0:
        raise ScenarioError(
            f"Invalid pathway: {kind} '{eid}' can be built in {built_in} and would still be alive in {later} "
            f"(lifetime {life:g} years), but the {later} scenario "
            f"{'lacks it' if j is None else 'gives it no room for new capacity'}. Fix: keep it in every "
            "period it may live in, with a maximum at least what may be built before.")


def _vintages(lp: LinearProgram, scenarios, periods, weights, blocks, offsets, block: str, kind: str,
              ids_attr: str, starts: np.ndarray, rows: list[dict], inherited: pd.DataFrame | None) -> None:
    """Vintage columns and linking rows of one capacity block (see the module doc)."""
    P = len(periods)
    ids = [list(getattr(b.arrays, ids_attr)) for b in blocks]
    pos = [{eid: i for i, eid in enumerate(x)} for x in ids]
    local = [b.lp.variables[block] for b in blocks]
    cols = [loc + off[0] for loc, off in zip(local, offsets)]
    hi = [b.lp._cat(b.lp.col_upper)[loc] for b, loc in zip(blocks, local)]
    unit_cost = [b.lp._cat(b.lp.col_cost)[loc] for b, loc in zip(blocks, local)]
    life = [lifetimes(sc)[kind] for sc in scenarios]
    alive_in: dict[tuple[str, int], list[int]] = {}  # (id, q) -> vintage columns alive in q
    for v in (inherited.itertuples() if inherited is not None else ()):
        alive = [q for q in range(P) if v.build_year <= periods[q] < v.build_year + v.lifetime_years]
        if not alive or not v.built > 0:
            continue
        for q in alive:
            _check_alive(kind, v.id, v.build_period, periods[q], v.lifetime_years, pos[q].get(v.id), hi[q])
        col = int(lp.add_variables(f"vintage:{block}:{v.id}:{v.build_period}", 1, lower=v.built, upper=v.built,
                                   cost=v.cost_per_yr * float(sum(weights[q] for q in alive)))[0])
        rows.append({"kind": kind, "id": v.id, "build_period": v.build_period, "build_year": v.build_year,
                     "lifetime_years": v.lifetime_years, "column": col, "cost_per_yr": v.cost_per_yr,
                     "last_period": periods[alive[-1]], "inherited": True})
        for q in alive:
            alive_in.setdefault((v.id, q), []).append(col)
    for p in range(P):
        for i, eid in enumerate(ids[p]):
            if not hi[p][i] > 0:  # not extendable in p: nothing can be built then
                continue
            L, by = life[p].get(eid, (25.0, None))
            year = periods[p] if by is None else by
            alive = [q for q in range(P) if year <= periods[q] < year + L]
            if by is None:
                alive = [q for q in alive if q >= p]
            elif not alive or alive[0] != p:  # built once: decided in the first period it lives in
                continue
            for q in alive:
                _check_alive(kind, eid, periods[p], periods[q], L, pos[q].get(eid), hi[q])
            c = float(unit_cost[p][i])
            col = int(lp.add_variables(f"vintage:{block}:{eid}:{periods[p]}", 1,
                                       cost=c * float(sum(weights[q] for q in alive)))[0])
            rows.append({"kind": kind, "id": eid, "build_period": periods[p], "build_year": year, "lifetime_years": L,
                         "column": col, "cost_per_yr": c, "last_period": periods[alive[-1]], "inherited": False})
            for q in alive:
                alive_in.setdefault((eid, q), []).append(col)
    for q in range(P):
        for i, eid in enumerate(ids[q]):
            if not hi[q][i] > 0:
                continue
            cap_col = int(cols[q][i])
            _zero_cost(lp.col_cost, starts, cap_col)  # its cost is paid by the vintages
            vint = alive_in.get((eid, q), [])
            row = int(lp.add_constraints(f"vintage_link:{block}:{eid}:{periods[q]}", 1, lower=0.0, upper=0.0)[0])
            lp.add_terms(np.full(1 + len(vint), row), np.array([cap_col, *vint]),
                         np.array([1.0] + [-1.0] * len(vint)))
