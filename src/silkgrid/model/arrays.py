"""Scenario -> plain arrays in LP units (pure: no solver, no I/O).

LP units: power GW, energy GWh, money MEUR, emissions kt CO2.  Converting from user
units: MW x 1e-3 = GW; EUR/MWh x 1e-3 = MEUR/GWh; EUR/MW/yr x 1e-3 = MEUR/GW/yr;
tCO2/MWh = ktCO2/GWh; EUR/t x 1e-3 = MEUR/kt.

:class:`NetworkArrays` is the one flat container the LP blocks, the solvers, the
decomposition and the interop code read.  Each model component
(:mod:`silkgrid.model.components`) builds its own fields; :func:`build_arrays` merges them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from silkgrid.model import components
from silkgrid.model.components.base import PER_UNIT_FLOOR, Capacity, Inputs
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.timeseries import Snapshots, make_snapshots

__all__ = ["PER_UNIT_FLOOR", "Capacity", "NetworkArrays", "build_arrays"]


@dataclass
class NetworkArrays:
    """Everything the LP needs, as arrays over elements (and hours where time-varying)."""

    snapshots: Snapshots
    node_ids: list[str]
    node_country: list[str]
    countries: list[str]
    # generators (components/generators.py)
    gen_ids: list[str]
    gen_node: np.ndarray
    gen_carrier: list[str]
    gen_technology: list[str]
    gen_cap: Capacity
    gen_marginal: np.ndarray  #: MEUR/GWh incl. CO2 price
    gen_co2: np.ndarray  #: kt/GWh_el
    gen_renewable: np.ndarray
    gen_avail: np.ndarray  #: (G, T) per unit
    gen_min: np.ndarray  #: (G, T) per unit
    gen_ramp_up: np.ndarray  #: per unit per hour, nan = none
    gen_ramp_down: np.ndarray
    # storage (components/storage.py)
    sto_ids: list[str]
    sto_node: np.ndarray
    sto_technology: list[str]
    sto_carrier: list[str]
    sto_power: Capacity
    sto_energy: Capacity
    sto_max_hours: np.ndarray  #: nan where energy is sized separately
    sto_unlimited_power: np.ndarray
    sto_can_charge: np.ndarray
    sto_eff_charge: np.ndarray
    sto_eff_discharge: np.ndarray
    sto_standing_loss: np.ndarray
    sto_cyclic: np.ndarray
    sto_initial: np.ndarray  #: GWh
    sto_inflow: np.ndarray  #: (S, T) GW
    sto_spill: np.ndarray
    sto_marginal: np.ndarray  #: MEUR/GWh discharged
    # links (components/links.py)
    link_ids: list[str]
    link_from: np.ndarray
    link_to: np.ndarray
    link_cap: Capacity
    link_eff: np.ndarray
    link_eff_rev: np.ndarray
    link_bidirectional: np.ndarray
    link_marginal: np.ndarray
    # loads (components/loads.py)
    load_ids: list[str]
    load_node: np.ndarray
    load_demand: np.ndarray  #: (L, T) GW
    load_voll: np.ndarray  #: MEUR/GWh, nan where shedding is not allowed
    # markets (components/markets.py)
    market_ids: list[str]
    market_node: np.ndarray
    market_price: np.ndarray  #: (M, T) MEUR/GWh
    market_export_cap: np.ndarray  #: GW
    market_import_cap: np.ndarray
    market_block_market: np.ndarray  #: market of each depth block (B,)
    market_block_sell_cap: np.ndarray  #: GW per block
    market_block_buy_cap: np.ndarray
    market_block_offset: np.ndarray  #: MEUR/GWh below (sales) / above (purchases) the price
    # policies (LP units): components/co2.py, renewable_share.py, firm_exports.py
    co2_price: float  #: MEUR/kt
    co2_cap: float | None  #: kt/yr
    co2_cap_by_country: dict[str, float] = field(default_factory=dict)
    min_res_share: dict[str, float] = field(default_factory=dict)
    firm_export_ids: list[str] = field(default_factory=list)
    firm_export_node: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    firm_export_min_gw: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: nan = none
    firm_export_min_gwh: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: per year, nan = none
    # CBAM hourly matching (components/cbam_matching.py); cbam_link = -1: policy off
    cbam_link: int = -1  #: index of the last link of cbam_path (delivers into the EU end)
    cbam_forward: bool = True  #: whether the path crosses that link from_node -> to_node
    cbam_eff: float = 1.0  #: efficiency of that link in the path direction
    cbam_gens: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  #: contracted generators
    cbam_gen_eff: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: path efficiency to the EU end
    cbam_borders: list = field(default_factory=list)
    """Per path link before the last: (link index, forward, efficiency to the EU end, producers
    downstream of it, their efficiencies to the EU end) for the nomination rows."""
    extra: dict = field(default_factory=dict)
    """Fields of components that declare none here (a new component needs no edit of this
    class): read as attributes, ``arrays.my_field``."""

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "extra":
            raise AttributeError(name)
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(f"NetworkArrays has no field '{name}'") from None

    @property
    def n_snapshots(self) -> int:
        return len(self.snapshots)


def build_arrays(sc: Scenario, snapshots: Snapshots | None = None) -> NetworkArrays:
    """Turn a loaded scenario into :class:`NetworkArrays` (aggregated to its snapshots):
    the nodes, then the fields of every component in :data:`~silkgrid.model.components.COMPONENTS`."""
    snaps = snapshots if snapshots is not None else make_snapshots(sc.time)
    inp = Inputs(snapshots=snaps, hours=sc.time.hours, node_index=sc.node_index())
    fields: dict = {}
    for component in components.COMPONENTS:
        fields.update(component.arrays(sc, inp))
    declared = {f.name for f in dataclasses.fields(NetworkArrays)}
    extra = {k: v for k, v in fields.items() if k not in declared}
    return NetworkArrays(snapshots=snaps, node_ids=[n.id for n in sc.nodes],
                         node_country=[n.country for n in sc.nodes], countries=sc.countries(),
                         **{k: v for k, v in fields.items() if k in declared}, extra=extra)
