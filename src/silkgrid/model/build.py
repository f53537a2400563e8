"""Assemble the capacity-expansion + dispatch LP from a scenario (pure: arrays in, arrays out).

``build_model(scenario)`` builds the whole horizon.  ``window=`` builds a contiguous range
of snapshots on its own, and ``fixed_capacities=`` turns capacities into constants: the
two together give the per-window operational subproblems a temporal decomposition needs.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from silkgrid.model import blocks
from silkgrid.core.units import MW
from silkgrid.model.arrays import NetworkArrays, build_arrays
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario

#: Blocks in assembly order.  Policies come last: they refer to earlier variables.
BLOCKS = (blocks.add_generators, blocks.add_storage, blocks.add_links, blocks.add_loads,
          blocks.add_markets, blocks.add_policies, blocks.add_cbam_matching)

#: Families of capacity that ``fixed_capacities`` keys may name ("family/element_id").
CAPACITY_FAMILIES = ("generators", "storage_power", "storage_energy", "links")

_TIME_FIELDS = ("gen_avail", "gen_min", "sto_inflow", "load_demand", "market_price")


@dataclass
class BuiltModel:
    """A built LP and the (windowed) arrays it was built from."""

    lp: LinearProgram
    arrays: NetworkArrays
    build_seconds: float


def window_arrays(a: NetworkArrays, window: slice) -> NetworkArrays:
    """The same network restricted to snapshots ``window`` (weights unchanged)."""
    start, stop, step = window.indices(a.n_snapshots)
    if step != 1 or stop <= start:
        raise ValueError(f"window must be a non-empty contiguous slice, got {window}")
    sliced = {f: getattr(a, f)[:, start:stop] for f in _TIME_FIELDS}
    return dataclasses.replace(a, snapshots=a.snapshots.window(start, stop), **sliced)


def build_model(source: Scenario | NetworkArrays, *, window: slice | None = None,
                fixed_capacities: Mapping[str, float] | None = None,
                initial_storage_mwh: Mapping[str, float] | None = None) -> BuiltModel:
    """Build the LP.

    Parameters
    ----------
    source:
        A loaded scenario, or arrays made from one by :func:`build_arrays`.
    window:
        Build only these snapshots (storage is cyclic within the window unless
        ``initial_storage_mwh`` names a start state).  Yearly policy budgets (CO2 caps,
        yearly export contracts) are scaled to the window's share of the year's weight.
    fixed_capacities:
        Total capacities to hold fixed, MW (MWh for storage energy), keyed
        ``"generators/ID"``, ``"storage_power/ID"``, ``"storage_energy/ID"``, ``"links/ID"``.
    initial_storage_mwh:
        State of charge before the first snapshot, MWh, by storage id (makes it non-cyclic).
    """
    t0 = time.perf_counter()
    full = source if isinstance(source, NetworkArrays) else build_arrays(source)
    a = full if window is None else window_arrays(full, window)
    fixed = {}
    for key, value in (fixed_capacities or {}).items():
        family = key.split("/", 1)[0]
        if family not in CAPACITY_FAMILIES or "/" not in key:
            raise KeyError(f"fixed capacity key '{key}' is not of the form FAMILY/ID with FAMILY in "
                           f"{CAPACITY_FAMILIES}")
        fixed[key] = float(value) * MW
    if initial_storage_mwh:
        idx = {s: i for i, s in enumerate(a.sto_ids)}
        cyclic, init = a.sto_cyclic.copy(), a.sto_initial.copy()
        for sid, value in initial_storage_mwh.items():
            cyclic[idx[sid]] = False
            init[idx[sid]] = float(value) * MW
        a = dataclasses.replace(a, sto_cyclic=cyclic, sto_initial=init)

    snaps = a.snapshots
    lp = LinearProgram()
    node_demand = np.zeros((len(a.node_ids), len(snaps)))
    np.add.at(node_demand, a.load_node, a.load_demand)
    balance = lp.add_constraints("balance", node_demand.shape, lower=node_demand, upper=node_demand,
                                 time=np.arange(len(snaps))[None, :])
    share = float(snaps.weight.sum() / full.snapshots.weight.sum())
    ctx = blocks.BuildContext(arrays=a, w=snaps.weight, d=snaps.duration_h, balance=balance,
                              fixed=fixed, budget_share=share)
    for block in BLOCKS:
        block(lp, ctx)
    return BuiltModel(lp=lp, arrays=a, build_seconds=time.perf_counter() - t0)
