"""What every model component shares: input helpers, the build and extraction contexts.

A component module (``generators``, ``storage``, ...; registry in
:mod:`silkgrid.model.components`) provides four things:

* ``arrays(sc, inp) -> dict``: its fields of :class:`~silkgrid.model.arrays.NetworkArrays`,
  in LP units (power GW, energy GWh, money MEUR, emissions kt CO2);
* ``add(lp, ctx)``: its LP block(s); power injections go into the nodal balance rows
  ``ctx.balance[node, t]`` (equalities with the nodal demand on the right-hand side);
* ``extract(view) -> Extracted``: its element and hourly tables in user units (MW, MWh, EUR, t);
* ``DIAGNOSIS``: block name -> :class:`Diagnosis`, the sentence an infeasibility report gives
  for violated rows of that block (``silkgrid.solve.diagnose``).

This module cannot import :mod:`silkgrid.model.arrays` (that module merges the components), so
the arrays are typed here as :data:`Arrays`.  Time: ``w[t]`` is the weight of snapshot t in
yearly totals (h/yr), ``d[t]`` the hours it lasts (storage, ramps).  No loop over hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from silkgrid.core.units import COST, GW_TO_MW
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.timeseries import Snapshots

#: The flat container :class:`silkgrid.model.arrays.NetworkArrays` (not importable here).
Arrays = Any

#: Per-unit profile values below this are set to zero: they carry no energy (1e-6 of capacity)
#: but would put coefficients of 1e-90 into the matrix and hurt the interior-point solver.
PER_UNIT_FLOOR = 1e-6

#: Dispatch values below 0.1 kW (1e-7 GW, GWh for storage) are solver round-off: the interior
#: point stops about 1e-8 relative from its bounds, and simplex tolerances are 1e-7.  Results
#: show them as exactly zero (:func:`snap`).
SNAP_GW = 1e-7

#: Capacities below 1 kW (1e-6 GW) are interior-point noise: no capacity factor or utilisation
#: is computed for them (it would be the ratio of two round-off errors).
CAPACITY_FLOOR_GW = 1e-6


# ----------------------------------------------------------------------------------------
# inputs
# ----------------------------------------------------------------------------------------
@dataclass
class Capacity:
    """Sizing data of one family of capacities (LP units: GW, or GWh for storage energy)."""

    existing: np.ndarray
    extendable: np.ndarray
    min_total: np.ndarray
    max_total: np.ndarray  #: np.inf where unlimited
    cost_new: np.ndarray  #: MEUR/GW/yr (or MEUR/GWh/yr)
    cost_existing: np.ndarray  #: MEUR/GW/yr, constant part of the objective

    def bounds_new(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.maximum(self.min_total - self.existing, 0.0)
        hi = np.where(self.extendable, self.max_total - self.existing, 0.0)
        return np.where(self.extendable, lo, 0.0), np.maximum(hi, 0.0)


def capacity(existing, extendable, min_total, max_total, cost_new, cost_existing, scale) -> Capacity:
    """A :class:`Capacity` from user units: MW (MWh) x ``scale`` -> GW (GWh); EUR/MW/yr -> MEUR/GW/yr."""
    existing = np.asarray(existing, dtype=float) * scale
    max_total = np.array([np.inf if m is None else m * scale for m in max_total], dtype=float)
    return Capacity(
        existing=existing,
        extendable=np.asarray(extendable, dtype=bool),
        min_total=np.asarray(min_total, dtype=float) * scale,
        max_total=max_total,
        cost_new=np.asarray(cost_new, dtype=float) * COST,
        cost_existing=np.asarray(cost_existing, dtype=float) * COST,
    )


def clean(per_unit: np.ndarray) -> np.ndarray:
    """Per-unit profile with values below :data:`PER_UNIT_FLOOR` set to zero."""
    return np.where(per_unit < PER_UNIT_FLOOR, 0.0, per_unit)


@dataclass
class Inputs:
    """What a component's ``arrays(sc, inp)`` needs besides the scenario."""

    snapshots: Snapshots
    hours: int  #: modelled hours before aggregation
    node_index: dict[str, int]

    def hourly(self, values: list, scale: float) -> np.ndarray:
        """Constants and hourly arrays -> (n, T) averaged over the snapshots, times ``scale``."""
        if not values:
            return np.zeros((0, len(self.snapshots)))
        out = np.empty((len(values), self.hours))
        for i, v in enumerate(values):  # one row per element; hours stay vectorised
            out[i] = v
        return np.atleast_2d(self.snapshots.aggregate(out)) * scale

    def nodes(self, ids: list[str]) -> np.ndarray:
        """Node positions of node ids."""
        return np.array([self.node_index[n] for n in ids], dtype=int)


# ----------------------------------------------------------------------------------------
# building
# ----------------------------------------------------------------------------------------
@dataclass
class BuildContext:
    arrays: Arrays
    w: np.ndarray  #: weight of each snapshot in yearly totals, h/yr
    d: np.ndarray  #: duration of each snapshot, h
    balance: np.ndarray  #: (N, T) row indices of the nodal energy balance, GW

    @property
    def T(self) -> int:
        return len(self.w)

    @property
    def t(self) -> np.ndarray:
        """Snapshot positions as a (1, T) row, the time tags of (element, T) blocks."""
        return np.arange(self.T)[None, :]


def add_balance(lp: LinearProgram, a: Arrays) -> np.ndarray:
    """The nodal balance rows ``sum of injections = demand`` (GW), block ``balance``, (N, T)."""
    snaps = a.snapshots
    node_demand = np.zeros((len(a.node_ids), len(snaps)))
    np.add.at(node_demand, a.load_node, a.load_demand)
    return lp.add_constraints("balance", node_demand.shape, lower=node_demand, upper=node_demand,
                              time=np.arange(len(snaps))[None, :])


def gen_country(a: Arrays) -> np.ndarray:
    """Country of each generator (object array, for masks)."""
    return np.array([a.node_country[n] for n in a.gen_node], dtype=object)


def new_capacity(lp: LinearProgram, name: str, cap: Capacity, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Variables for new capacity, GW (zero-width for non-extendable elements).

    Returns the column indices and a mask of the elements whose capacity is a variable.
    """
    lo, hi = cap.bounds_new()
    return lp.add_variables(name, len(ids), lower=lo, upper=hi, cost=cap.cost_new), cap.extendable.copy()


def limit_by_capacity(lp: LinearProgram, name: str, flow: np.ndarray, new: np.ndarray,
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


# ----------------------------------------------------------------------------------------
# extraction
# ----------------------------------------------------------------------------------------
@dataclass
class SolutionView:
    """A solved LP seen by the components' ``extract``: values per variable block (LP units)."""

    arrays: Arrays
    lp: LinearProgram
    values: dict[str, np.ndarray]  #: variable block name -> values, shape of the block
    row_dual: np.ndarray | None  #: duals of every row (None when the solver gave none)

    @property
    def w(self) -> np.ndarray:
        return self.arrays.snapshots.weight

    def wide(self, values: np.ndarray, cols: list[str], scale: float = GW_TO_MW) -> pd.DataFrame:
        """An (element, T) array as an hourly table indexed by snapshot (GW -> MW by default)."""
        df = pd.DataFrame(values.T * scale, index=self.arrays.snapshots.index, columns=cols)
        df.index.name = "snapshot"
        return df

    def energy(self, values: np.ndarray) -> np.ndarray:
        """Weighted yearly energy, MWh, per element of an (element, T) array in GW."""
        w = self.w
        return (values * w[None, :]).sum(axis=1) * GW_TO_MW if values.size else np.zeros(len(values))

    def node_names(self, positions: np.ndarray) -> list[str]:
        return [self.arrays.node_ids[n] for n in positions]

    @cached_property
    def node_demand(self) -> np.ndarray:
        """Demand per node and snapshot, GW (N, T)."""
        a = self.arrays
        out = np.zeros((len(a.node_ids), len(self.w)))
        np.add.at(out, a.load_node, a.load_demand)
        return out


def snap(values: dict[str, np.ndarray]) -> int:
    """Set every value with magnitude below :data:`SNAP_GW` to zero, in place; the count."""
    count = 0
    for name, x in values.items():
        tiny = (np.abs(x) < SNAP_GW) & (x != 0)
        count += int(tiny.sum())
        x[tiny] = 0.0
    return count


def retire_noise_capacity(new: np.ndarray, existing: np.ndarray, *dispatch: np.ndarray) -> int:
    """Candidates whose total capacity is below :data:`CAPACITY_FLOOR_GW` are not built: their
    new capacity and the rows of ``dispatch`` (element, T) become zero, in place; the count."""
    dead = (existing + new < CAPACITY_FLOOR_GW) & (existing == 0) & (new != 0)
    new[dead] = 0.0
    for x in dispatch:
        x[dead] = 0.0
    return int(dead.sum())


def retire_idle_capacity(new: np.ndarray, cap: Capacity, *dispatch: np.ndarray) -> int:
    """New capacity of elements that carry nothing (every ``dispatch`` row below
    :data:`SNAP_GW` in every snapshot) goes back to its lower bound, in place; the count.

    An interior point or a stabilised Benders point can leave an idle candidate at a few MW: it
    serves no snapshot, so removing it keeps every balance and lowers the cost.
    """
    lo, _ = cap.bounds_new()
    idle = new > lo + CAPACITY_FLOOR_GW
    for x in dispatch:
        idle &= (np.abs(x) < SNAP_GW).all(axis=1)
    new[idle] = lo[idle]
    return int(idle.sum())


@dataclass
class Extracted:
    """What one component adds to a result (user units)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  #: element tables
    hourly: dict[str, pd.DataFrame] = field(default_factory=dict)  #: tables indexed by snapshot
    node_columns: dict[str, np.ndarray] = field(default_factory=dict)  #: columns of the nodes table
    attributes: dict[str, float] = field(default_factory=dict)  #: scalar result fields, e.g. a shadow price


# ----------------------------------------------------------------------------------------
# diagnosis
# ----------------------------------------------------------------------------------------
Describe = Callable[[str, tuple, np.ndarray, Arrays], str]


@dataclass(frozen=True)
class Diagnosis:
    """How infeasibility diagnosis treats one constraint block.

    ``describe(name, where, violation, arrays)``: one sentence for the violated rows of one
    element (``where``: element position, then the first violated snapshot for (element, T)
    blocks; ``violation`` in LP units).  ``relax``: None -- relaxed only in the last pass
    (every row); 0 -- a policy budget, relaxed on its own first; higher -- relaxed in the
    second pass with the policies, in that order.
    """

    describe: Describe
    relax: int | None = None


def first_snapshot(where: tuple, arrays: Arrays):
    """Timestamp of the first violated snapshot of an (element, T) block, else None."""
    return arrays.snapshots.index[where[-1]] if len(where) > 1 else None


def _describe_balance(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    amount = np.abs(violation)
    return (f"demand at node {a.node_ids[where[0]]} cannot be met in {int((amount > 1e-9).sum())} snapshots "
            f"(first at {first_snapshot(where, a)}); short by up to {amount.max() * 1e3:,.1f} MW while "
            f"unserved energy is not allowed: add capacity, links or allow unserved energy")


#: The nodal balance rows (built by :func:`add_balance`, shared by every component).
BALANCE_DIAGNOSIS = {"balance": Diagnosis(_describe_balance, relax=1)}
