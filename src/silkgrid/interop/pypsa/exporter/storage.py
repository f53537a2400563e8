"""Export of storage: with ``max_hours`` a StorageUnit, sized in energy a Store (with charger
and discharger links where efficiencies or costs apply); a fixed-size reservoir that cannot
charge a StorageUnit (``p_min_pu=0``, inflow)."""

from __future__ import annotations

import numpy as np

from silkgrid.interop.pypsa.common import K, unique
from silkgrid.interop.pypsa.exporter.context import ExportContext, capacity_kw, refuse
from silkgrid.scenario.schema import Storage


def add_storage(ex: ExportContext, tie_links: bool = False) -> list[list]:
    """One StorageUnit or Store per SilkGrid storage, on the (non-emitting) storage carrier.

    The initial state (MWh) is SilkGrid's times (1 - loss)^hours of the first snapshot:
    PyPSA applies no standing loss to it in the first snapshot.  Returns the charger /
    discharger ties ``[charger, discharger, efficiency]`` of energy-sized storage with
    extendable power (only with ``tie_links``).
    """
    sc, a = ex.sc, ex.a
    techs = ex.techs
    d = a.snapshots.duration_h
    ties: list[list] = []
    for i, s in enumerate(sc.storage):
        cid = techs[s.technology].carrier
        carrier = ex.storage_carrier.get(cid, cid)
        keep0 = (1.0 - s.standing_loss_per_hour) ** d[0]
        init = a.sto_initial[i] * K * keep0
        inflow = a.sto_inflow[i] * K
        if not np.isnan(a.sto_max_hours[i]):
            _storage_unit(ex, i, s, carrier, init, inflow)
        elif _fixed_reservoir(ex, i, s):
            _storage_unit(ex, i, s, carrier, init, inflow,
                          max_hours=a.sto_energy.existing[i] / a.sto_power.existing[i])
        else:
            ties += _store(ex, i, s, carrier, init, inflow, tie_links)
    return ties


def _fixed_reservoir(ex: ExportContext, i: int, s: Storage) -> bool:
    """Sized in energy, but power and energy both fixed and positive, and it cannot charge
    (a hydro reservoir): exactly a StorageUnit with ``max_hours`` = energy / power."""
    a = ex.a
    return (not s.can_charge and not s.unlimited_power and not a.sto_power.extendable[i]
            and not a.sto_energy.extendable[i] and a.sto_power.existing[i] > 0
            and a.sto_energy.existing[i] > 0)


def _storage_unit(ex: ExportContext, i: int, s: Storage, carrier: str, init: float,
                  inflow: np.ndarray, max_hours: float | None = None) -> None:
    """A StorageUnit (power-sized, ``max_hours`` in h: the storage's own unless given);
    inflow in MW, always spillable in PyPSA."""
    a = ex.a
    if not s.spillage and np.any(inflow > 0):
        raise refuse("PyPSA always allows spilling inflow", "storage", s.id, "spillage",
                     "set spillage: true")
    kw = capacity_kw("p_nom", a.sto_power, i)
    hours = a.sto_max_hours[i] if max_hours is None else max_hours
    ex.n.add("StorageUnit", s.id, bus=s.node, carrier=carrier, max_hours=hours,
             efficiency_store=s.efficiency_charge, efficiency_dispatch=s.efficiency_discharge,
             standing_loss=s.standing_loss_per_hour, cyclic_state_of_charge=bool(s.cyclic),
             state_of_charge_initial=0.0 if s.cyclic else init, inflow=ex.series(inflow),
             marginal_cost=a.sto_marginal[i] * K, p_min_pu=-1.0 if s.can_charge else 0.0, **kw)


def _store(ex: ExportContext, i: int, s: Storage, carrier: str, init: float,
           inflow: np.ndarray, tie_links: bool) -> list[list]:
    """A Store (energy-sized), at the node when lossless and free, else on its own bus; the
    charger / discharger ties of extendable power (see :func:`add_storage`)."""
    a = ex.a
    if not s.can_charge:
        raise refuse("a store that cannot charge needs a PyPSA StorageUnit (fixed power and energy)",
                     "storage", s.id, "can_charge",
                     "give the storage a max_hours ratio or fixed, positive power and energy capacities")
    if np.any(inflow > 0):
        raise refuse("inflow into storage without max_hours cannot be exported", "storage", s.id,
                     "inflow_mw", "give the storage a max_hours ratio (a PyPSA StorageUnit)")
    tied = bool(a.sto_power.extendable[i] and not s.unlimited_power)
    if tied and not tie_links:
        raise refuse("extendable power with a separately sized energy capacity needs a charger and a "
                     "discharger of equal capacity, which plain PyPSA cannot tie together", "storage",
                     s.id, "extendable_power",
                     "fix the power capacity, give the storage a max_hours ratio, use unlimited_power, or "
                     "call to_network(..., tie_links=True) and optimise with "
                     "extra_functionality=link_capacity_ties")
    store_kw = capacity_kw("e_nom", a.sto_energy, i)
    simple = (s.unlimited_power and s.efficiency_charge == 1 and s.efficiency_discharge == 1
              and a.sto_marginal[i] == 0)
    bus, ties = (s.node, []) if simple else _store_bus(ex, i, s, carrier)
    ex.n.add("Store", unique(s.id, ex.store_names), bus=bus, carrier=carrier,
             standing_loss=s.standing_loss_per_hour, e_cyclic=bool(s.cyclic),
             e_initial=0.0 if s.cyclic else init, **store_kw)
    return ties


def _store_bus(ex: ExportContext, i: int, s: Storage, carrier: str) -> tuple[str, list[list]]:
    """The bus ``<id> store`` with a charger and a discharger link to the node; its name and,
    for extendable power, the tie ``[charger, discharger, efficiency_discharge]`` (charger
    p_nom = efficiency x discharger p_nom: both carry the storage's power P at the node).

    Power (MW) and its cost (EUR/MW/yr, paid on the charger): infinite and free for unlimited
    power, else fixed or extendable as the storage's power capacity.
    """
    n, a = ex.n, ex.a
    sp = a.sto_power
    bus = unique(f"{s.id} store", ex.buses)
    n.add("Bus", bus, carrier=carrier)
    n.buses.loc[bus, "country"] = n.buses.loc[s.node, "country"]
    eff_d = s.efficiency_discharge
    if s.unlimited_power:
        kw = {"p_nom": np.inf, "capital_cost": 0.0}
    else:
        kw = capacity_kw("p_nom", sp, i)
    # SilkGrid limits and charges the power delivered to the node: the discharger's
    # input is that power / efficiency, its capacity free (paid on the charger).
    kw_dis = {k: (v / eff_d if k.startswith("p_nom") and k != "p_nom_extendable" else v) for k, v in kw.items()}
    kw_dis["capital_cost"] = 0.0
    charger = unique(f"{s.id} charger", ex.link_names)
    discharger = unique(f"{s.id} discharger", ex.link_names)
    n.add("Link", charger, bus0=s.node, bus1=bus, carrier=carrier, efficiency=s.efficiency_charge, **kw)
    n.add("Link", discharger, bus0=bus, bus1=s.node, carrier=carrier, efficiency=eff_d,
          marginal_cost=a.sto_marginal[i] * K * eff_d, **kw_dis)
    extendable = bool(kw.get("p_nom_extendable"))
    return bus, ([[charger, discharger, eff_d]] if extendable else [])
