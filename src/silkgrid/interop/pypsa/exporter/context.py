"""State shared by the per-component export steps, and the capacity mapping.

Unit convention: SilkGrid's LP arrays are in GW, GWh, MEUR/GWh and MEUR/GW/yr; PyPSA gets
MW, MWh, EUR/MWh and EUR/MW/yr (factor :data:`~silkgrid.interop.pypsa.common.K` = 1e3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from silkgrid.interop.pypsa.common import K, unique
from silkgrid.interop.pypsa.errors import PyPSAConversionError
from silkgrid.model.arrays import Capacity, NetworkArrays
from silkgrid.scenario.schema import Scenario, Technology

if TYPE_CHECKING:  # pragma: no cover
    import pypsa


def refuse(problem: str, section: str, element: str | None, attribute: str | None,
           fix: str) -> PyPSAConversionError:
    """An export error naming the scenario section, element and attribute."""
    return PyPSAConversionError(problem, component=section, element=element, attribute=attribute,
                                fix=fix, export=True)


@dataclass
class ExportContext:
    """The network being built from ``sc`` / its LP arrays ``a``, and the names taken so far."""

    n: pypsa.Network
    sc: Scenario
    a: NetworkArrays
    #: technology id -> technology
    techs: dict[str, Technology] = field(default_factory=dict)
    buses: set[str] = field(default_factory=set)
    carrier_names: set[str] = field(default_factory=set)
    #: emitting carrier id -> its non-emitting copy used by storage
    storage_carrier: dict[str, str] = field(default_factory=dict)
    gen_names: set[str] = field(default_factory=set)
    link_names: set[str] = field(default_factory=set)
    store_names: set[str] = field(default_factory=set)

    @classmethod
    def new(cls, pypsa_module: Any, sc: Scenario, a: NetworkArrays) -> ExportContext:
        """An empty network with ``a``'s snapshots and weightings (objective = generators =
        weight, stores = duration in h)."""
        snaps = a.snapshots
        n = pypsa_module.Network()
        n.name = sc.name
        n.set_snapshots(snaps.index)
        n.snapshot_weightings = pd.DataFrame(
            {"objective": np.asarray(snaps.weight, dtype=float),
             "stores": np.asarray(snaps.duration_h, dtype=float),
             "generators": np.asarray(snaps.weight, dtype=float)}, index=n.snapshots)
        return cls(n=n, sc=sc, a=a, techs=sc.technology_map(),
                   gen_names={g.id for g in sc.generators},
                   link_names={ln.id for ln in sc.links})

    def series(self, values: np.ndarray) -> float | pd.Series:
        """A per-snapshot value for PyPSA: a float when constant, else a Series."""
        values = np.asarray(values, dtype=float)
        if np.all(values == values[0]):
            return float(values[0])
        return pd.Series(values, index=self.n.snapshots)

    def extra_carrier(self, name: str) -> str:
        """Add a non-emitting carrier with a fresh name based on ``name``; return the name."""
        name = unique(name, self.carrier_names)
        self.n.add("Carrier", name, co2_emissions=0.0)
        return name


def capacity_kw(nom: str, cap: Capacity, i: int) -> dict[str, Any]:
    """PyPSA capacity attributes (MW or MWh, EUR/MW/yr) of element ``i`` of a capacity family.

    Extendable: ``nom`` = existing capacity, ``nom_min`` = the binding lower bound on the
    total, capital cost = annualised cost of new capacity (PyPSA's objective constant then
    removes the existing capacity's share, as SilkGrid does).
    """
    existing = cap.existing[i] * K
    if cap.extendable[i]:
        hi = cap.max_total[i] * K
        return {nom: existing, f"{nom}_extendable": True,
                f"{nom}_min": max(cap.min_total[i] * K, existing), f"{nom}_max": hi,
                "capital_cost": cap.cost_new[i] * K}
    return {nom: existing, "capital_cost": cap.cost_existing[i] * K}
