"""Assemble the capacity-expansion + dispatch LP from a scenario (pure: arrays in, arrays out).

``build_model(scenario)`` builds the whole horizon: the nodal balance rows (GW), then the
blocks of every component in :data:`~silkgrid.model.components.COMPONENTS`, in that order.
Every variable and row carries the snapshot it belongs to (``LinearProgram.col_time`` /
``row_time``, -1 for capacities and yearly budgets): the decomposed method partitions this
one LP by those tags (:mod:`silkgrid.solve.partition`) instead of building windows itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from silkgrid.model.arrays import NetworkArrays, build_arrays
from silkgrid.model import components
from silkgrid.model.components.base import BuildContext, add_balance
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario


@dataclass
class BuiltModel:
    """A built LP (LP units: GW, GWh, MEUR, kt) and the arrays it was built from."""

    lp: LinearProgram
    arrays: NetworkArrays
    build_seconds: float


def build_model(source: Scenario | NetworkArrays) -> BuiltModel:
    """Build the LP of a loaded scenario, or of arrays made from one by :func:`build_arrays`
    (e.g. on aggregated snapshots)."""
    t0 = time.perf_counter()
    a = source if isinstance(source, NetworkArrays) else build_arrays(source)
    snaps = a.snapshots
    lp = LinearProgram()
    balance = add_balance(lp, a)
    ctx = BuildContext(arrays=a, w=snaps.weight, d=snaps.duration_h, balance=balance)
    for component in components.COMPONENTS:
        component.add(lp, ctx)
    return BuiltModel(lp=lp, arrays=a, build_seconds=time.perf_counter() - t0)
