"""Export of storage: with ``max_hours`` a StorageUnit, sized in energy a Store (with charger
and discharger links where efficiencies or costs apply)."""

from __future__ import annotations

import numpy as np

from silkgrid.interop.pypsa.common import K, unique
from silkgrid.interop.pypsa.exporter.context import ExportContext, capacity_kw, refuse
from silkgrid.scenario.schema import Storage


def add_storage(ex: ExportContext) -> None:
    """One StorageUnit or Store per SilkGrid storage, on the (non-emitting) storage carrier.

    The initial state (MWh) is SilkGrid's times (1 - loss)^hours of the first snapshot:
    PyPSA applies no standing loss to it in the first snapshot.
    """
    sc, a = ex.sc, ex.a
    techs = ex.techs
    d = a.snapshots.duration_h
    for i, s in enumerate(sc.storage):
        cid = techs[s.technology].carrier
        carrier = ex.storage_carrier.get(cid, cid)
        keep0 = (1.0 - s.standing_loss_per_hour) ** d[0]
        init = a.sto_initial[i] * K * keep0
        inflow = a.sto_inflow[i] * K
        if not np.isnan(a.sto_max_hours[i]):
            _storage_unit(ex, i, s, carrier, init, inflow)
        else:
            _store(ex, i, s, carrier, init, inflow)


def _storage_unit(ex: ExportContext, i: int, s: Storage, carrier: str, init: float,
                  inflow: np.ndarray) -> None:
    """A StorageUnit (power-sized, ``max_hours``); inflow in MW, always spillable in PyPSA."""
    a = ex.a
    if not s.spillage and np.any(inflow > 0):
        raise refuse("PyPSA always allows spilling inflow", "storage", s.id, "spillage",
                     "set spillage: true")
    kw = capacity_kw("p_nom", a.sto_power, i)
    ex.n.add("StorageUnit", s.id, bus=s.node, carrier=carrier, max_hours=a.sto_max_hours[i],
             efficiency_store=s.efficiency_charge, efficiency_dispatch=s.efficiency_discharge,
             standing_loss=s.standing_loss_per_hour, cyclic_state_of_charge=bool(s.cyclic),
             state_of_charge_initial=0.0 if s.cyclic else init, inflow=ex.series(inflow),
             marginal_cost=a.sto_marginal[i] * K, p_min_pu=-1.0 if s.can_charge else 0.0, **kw)


def _store(ex: ExportContext, i: int, s: Storage, carrier: str, init: float,
           inflow: np.ndarray) -> None:
    """A Store (energy-sized), at the node when lossless and free, else on its own bus."""
    a = ex.a
    if not s.can_charge:
        raise refuse("a store that cannot charge needs a PyPSA StorageUnit", "storage", s.id, "can_charge",
                     "give the storage a max_hours ratio")
    if np.any(inflow > 0):
        raise refuse("inflow into storage without max_hours cannot be exported", "storage", s.id,
                     "inflow_mw", "give the storage a max_hours ratio (a PyPSA StorageUnit)")
    if a.sto_power.extendable[i] and not s.unlimited_power:
        raise refuse("extendable power with a separately sized energy capacity needs a charger and a "
                     "discharger of equal capacity, which plain PyPSA cannot tie together", "storage",
                     s.id, "extendable_power",
                     "fix the power capacity, give the storage a max_hours ratio, or use unlimited_power")
    store_kw = capacity_kw("e_nom", a.sto_energy, i)
    simple = (s.unlimited_power and s.efficiency_charge == 1 and s.efficiency_discharge == 1
              and a.sto_marginal[i] == 0)
    bus = s.node if simple else _store_bus(ex, i, s, carrier)
    ex.n.add("Store", unique(s.id, ex.store_names), bus=bus, carrier=carrier,
             standing_loss=s.standing_loss_per_hour, e_cyclic=bool(s.cyclic),
             e_initial=0.0 if s.cyclic else init, **store_kw)


def _store_bus(ex: ExportContext, i: int, s: Storage, carrier: str) -> str:
    """The bus ``<id> store`` with a charger and a discharger link to the node; its name.

    Power (MW) and its cost (EUR/MW/yr) are fixed: infinite and free for unlimited power.
    """
    n, a = ex.n, ex.a
    sp = a.sto_power
    bus = unique(f"{s.id} store", ex.buses)
    n.add("Bus", bus, carrier=carrier)
    n.buses.loc[bus, "country"] = n.buses.loc[s.node, "country"]
    power = np.inf if s.unlimited_power else sp.existing[i] * K
    p_cost = 0.0 if s.unlimited_power else sp.cost_existing[i] * K
    n.add("Link", unique(f"{s.id} charger", ex.link_names), bus0=s.node, bus1=bus, carrier=carrier,
          p_nom=power, efficiency=s.efficiency_charge, capital_cost=p_cost)
    # SilkGrid limits and charges the power delivered to the node: the discharger's
    # input is that power / efficiency.
    n.add("Link", unique(f"{s.id} discharger", ex.link_names), bus0=bus, bus1=s.node, carrier=carrier,
          p_nom=power / s.efficiency_discharge, efficiency=s.efficiency_discharge,
          marginal_cost=a.sto_marginal[i] * K * s.efficiency_discharge)
    return bus
