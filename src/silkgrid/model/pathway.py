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
horizon; nothing after it); a :class:`~silkgrid.model.vintage_costs.Horizon` with
``end_of_horizon="salvage"`` charges the investment in the build year less its straight-line value
left at the horizon's end instead (:mod:`silkgrid.model.vintage_costs`).  The bounds of ``C[e, q]`` (the period's minimum and maximum new
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
from silkgrid.core.units import MW
from silkgrid.model.build import BuiltModel, build_model
from silkgrid.model.lp import LinearProgram
from silkgrid.model.vintage_costs import Horizon, capex_share, vintage_pv
from silkgrid.scenario.schema import Scenario

__all__ = ["PathwayModel", "build_pathway", "CAPACITY_BLOCKS", "lifetimes", "VINTAGE_COLUMNS"]

VINTAGE_COLUMNS = ["kind", "id", "build_period", "build_year", "lifetime_years", "column", "cost_per_yr",
                   "capex_per_yr", "capex_years", "capex_rate", "pv_cost", "last_period", "inherited"]

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
    cost_per_yr (MEUR/GW/yr of the build period), capex_per_yr (its annuity part), capex_years and
    capex_rate (the lifetime and rate of that annuity), pv_cost (what the LP charges per GW: present
    MEUR), last_period (the last period it is alive in), inherited (fixed: built before the periods
    of this LP)."""
    horizon: Horizon
    build_seconds: float
    rate_rows: pd.DataFrame | None = None
    """One row per (build-rate limit, period): id, period, row (of :attr:`lp`), max_mw (rate x years),
    columns (the vintage columns it sums)."""


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
                  lps: list[LinearProgram] | None = None, horizon: Horizon | None = None) -> PathwayModel:
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
    gaps = [b - a for a, b in zip(periods, periods[1:])]
    horizon = horizon or Horizon(list(periods), np.asarray(weights, float), gaps + [gaps[-1] if gaps else 1],
                                 int(periods[0]), 0.0)
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
        _vintages(lp, scenarios, periods, horizon, blocks, offsets, block, kind, ids_attr, starts, rows, old)
    vint = pd.DataFrame(rows, columns=VINTAGE_COLUMNS)
    rate_rows = _build_rates(lp, scenarios, horizon, vint)
    return PathwayModel(lp=lp, periods=list(periods), weights=np.asarray(weights, float), blocks=blocks,
                        offsets=offsets, vintages=vint, horizon=horizon, build_seconds=time.perf_counter() - t0,
                        rate_rows=rate_rows)


def _technologies(sc: Scenario, kind: str) -> dict[str, str]:
    """Technology of every element of ``kind`` (links have none)."""
    if kind == "generator":
        return {g.id: g.technology for g in sc.generators}
    return {} if kind == "link" else {s.id: s.technology for s in sc.storage}


def _build_rates(lp: LinearProgram, scenarios: list[Scenario], horizon: Horizon, vint: pd.DataFrame) -> pd.DataFrame:
    """One row per (build-rate limit, period): the generator and storage-power vintages that the
    period builds of the limit's technologies at its nodes, at most max_mw_per_yr x the period's
    years (GW in the LP).  Inherited vintages were built before and are not counted again."""
    out = []
    for rate in horizon.build_rates:
        for k, (year, sc) in enumerate(zip(horizon.periods, scenarios)):
            nodes = set(rate.nodes) if rate.nodes else {n.id for n in sc.nodes if n.country == rate.country}
            techs = set(rate.technologies)
            covered = ({g.id for g in sc.generators if g.node in nodes and g.technology in techs},
                       {s.id for s in sc.storage if s.node in nodes and s.technology in techs})
            sel = (vint["build_period"] == year) & ~vint["inherited"].astype(bool) & (
                ((vint["kind"] == "generator") & vint["id"].isin(covered[0]))
                | ((vint["kind"] == "storage_power") & vint["id"].isin(covered[1])))
            cap_mw = float(rate.max_mw_per_yr) * float(horizon.years[k])
            row = int(lp.add_constraints(f"build_rate:{rate.id}:{year}", 1, upper=cap_mw * MW)[0])
            cols = vint.loc[sel, "column"].to_numpy(dtype=np.int64)
            if cols.size:
                lp.add_terms(np.full(cols.size, row), cols, np.ones(cols.size))
            out.append({"id": rate.id, "period": year, "row": row, "max_mw": cap_mw, "columns": cols})
    return pd.DataFrame(out, columns=["id", "period", "row", "max_mw", "columns"])


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


def _vintages(lp: LinearProgram, scenarios, periods, horizon: Horizon, blocks, offsets, block: str, kind: str,
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
    new: list[dict] = []
    last_build = horizon.last_build_year
    techs = [_technologies(sc, kind) for sc in scenarios]
    for v in (inherited.itertuples() if inherited is not None else ()):
        alive = [q for q in range(P) if v.build_year <= periods[q] < v.build_year + v.lifetime_years]
        if not alive or not v.built > 0:
            continue
        for q in alive:
            _check_alive(kind, v.id, v.build_period, periods[q], v.lifetime_years, pos[q].get(v.id), hi[q])
        new.append({"kind": kind, "id": v.id, "build_period": v.build_period, "build_year": v.build_year,
                    "lifetime_years": v.lifetime_years, "cost_per_yr": v.cost_per_yr, "capex_per_yr": v.capex_per_yr,
                    "capex_years": v.capex_years, "capex_rate": v.capex_rate, "last_period": periods[alive[-1]],
                    "inherited": True, "built": v.built, "alive": alive})
    for p in range(P):
        share = capex_share(scenarios[p], kind)
        for i, eid in enumerate(ids[p]):
            if not hi[p][i] > 0:  # not extendable in p: nothing can be built then
                continue
            L, by = life[p].get(eid, (25.0, None))
            year = periods[p] if by is None else by
            if year > last_build.get(eid, last_build.get(techs[p].get(eid), year)):
                continue  # outside its build window: earlier vintages live on, no new one
            alive = [q for q in range(P) if year <= periods[q] < year + L]
            if by is None:
                alive = [q for q in alive if q >= p]
            elif not alive or alive[0] != p:  # built once: decided in the first period it lives in
                continue
            for q in alive:
                _check_alive(kind, eid, periods[p], periods[q], L, pos[q].get(eid), hi[q])
            c = float(unit_cost[p][i])
            s, rate, years = share.get(eid, (1.0, scenarios[p].discount_rate, L))
            new.append({"kind": kind, "id": eid, "build_period": periods[p], "build_year": year, "lifetime_years": L,
                        "cost_per_yr": c, "capex_per_yr": s * c, "capex_years": years, "capex_rate": rate,
                        "last_period": periods[alive[-1]], "inherited": False, "built": None, "alive": alive})
    if new:
        pv = vintage_pv(horizon, [r["build_year"] for r in new], [r["lifetime_years"] for r in new],
                        [r["cost_per_yr"] for r in new], [r["capex_per_yr"] for r in new],
                        [r["capex_years"] for r in new], [r["capex_rate"] for r in new])
    for r, cost in zip(new, pv if new else ()):
        fixed = r.pop("built")
        alive = r.pop("alive")
        name = f"vintage:{block}:{r['id']}:{r['build_period']}"
        col = int(lp.add_variables(name, 1, cost=float(cost), **({} if fixed is None else
                                                                 {"lower": fixed, "upper": fixed}))[0])
        rows.append({**r, "column": col, "pv_cost": float(cost)})
        for q in alive:
            alive_in.setdefault((r["id"], q), []).append(col)
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
