"""Scenario -> plain arrays in LP units (pure: no solver, no I/O).

LP units: power GW, energy GWh, money MEUR, emissions kt CO2.  Converting from user
units: MW x 1e-3 = GW; EUR/MWh x 1e-3 = MEUR/GWh; EUR/MW/yr x 1e-3 = MEUR/GW/yr;
tCO2/MWh = ktCO2/GWh; EUR/t x 1e-3 = MEUR/kt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from silkgrid.core.costs import energy_cost_per_mwh_yr, link_cost_per_mw_yr, power_cost_per_mw_yr
from silkgrid.core.units import COST, EUR, MW
from silkgrid.scenario.paths import border_bounds, contracted_efficiencies, producer_positions, resolve_path
from silkgrid.scenario.schema import Scenario
from silkgrid.scenario.timeseries import Snapshots, make_snapshots

def _hourly(values: list, hours: int) -> np.ndarray:
    """Stack constants and hourly arrays into a (n, hours) array."""
    out = np.empty((len(values), hours))
    for i, v in enumerate(values):
        out[i] = v
    return out


@dataclass
class Capacity:
    """Sizing data of one family of capacities (LP units)."""

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


@dataclass
class NetworkArrays:
    """Everything the LP needs, as arrays over elements (and hours where time-varying)."""

    snapshots: Snapshots
    node_ids: list[str]
    node_country: list[str]
    countries: list[str]
    # generators
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
    # storage
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
    # links
    link_ids: list[str]
    link_from: np.ndarray
    link_to: np.ndarray
    link_cap: Capacity
    link_eff: np.ndarray
    link_eff_rev: np.ndarray
    link_bidirectional: np.ndarray
    link_marginal: np.ndarray
    # loads
    load_ids: list[str]
    load_node: np.ndarray
    load_demand: np.ndarray  #: (L, T) GW
    load_voll: np.ndarray  #: MEUR/GWh, nan where shedding is not allowed
    # markets
    market_ids: list[str]
    market_node: np.ndarray
    market_price: np.ndarray  #: (M, T) MEUR/GWh
    market_export_cap: np.ndarray  #: GW
    market_import_cap: np.ndarray
    # policies (LP units)
    co2_price: float  #: MEUR/kt
    co2_cap: float | None  #: kt/yr
    co2_cap_by_country: dict[str, float] = field(default_factory=dict)
    min_res_share: dict[str, float] = field(default_factory=dict)
    firm_export_ids: list[str] = field(default_factory=list)
    firm_export_node: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    firm_export_min_gw: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: nan = none
    firm_export_min_gwh: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: per year, nan = none
    # CBAM hourly matching (policies.cbam_hourly_matching); cbam_link = -1: policy off
    cbam_link: int = -1  #: index of the last link of cbam_path (delivers into the EU end)
    cbam_forward: bool = True  #: whether the path crosses that link from_node -> to_node
    cbam_eff: float = 1.0  #: efficiency of that link in the path direction
    cbam_gens: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  #: contracted generators
    cbam_gen_eff: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: path efficiency to the EU end
    cbam_borders: list = field(default_factory=list)
    """Per path link before the last: (link index, forward, efficiency to the EU end, producers
    downstream of it, their efficiencies to the EU end) for the nomination rows."""

    @property
    def n_snapshots(self) -> int:
        return len(self.snapshots)


def cbam_path_arrays(sc: Scenario) -> dict:
    """The CBAM-matching arrays of ``policies`` (empty dict when the policy is off).

    Uses the path orientation and producer efficiencies of :mod:`silkgrid.scenario.paths`, as
    the ex-post ``silkgrid.analysis.hourly_matching`` does: one definition for both.  Raises
    :class:`~silkgrid.core.errors.SilkGridError` for a broken path or a producer off the path.
    """
    pol = sc.policies
    if not pol.cbam_hourly_matching:
        return {}
    steps = resolve_path(sc, pol.cbam_path)
    effs = contracted_efficiencies(sc, steps, pol.cbam_contracted_generators)
    position = producer_positions(sc, steps, pol.cbam_contracted_generators)
    gidx = {g.id: i for i, g in enumerate(sc.generators)}
    lidx = [ln.id for ln in sc.links]
    last = steps[-1]
    return {
        "cbam_borders": [(lidx.index(steps[k].link), steps[k].forward, eff,
                          np.array([gidx[g] for g, pos in position.items() if pos > k], dtype=int),
                          np.array([effs[g] for g, pos in position.items() if pos > k], dtype=float))
                         for k, eff in border_bounds(steps)],
        "cbam_link": [ln.id for ln in sc.links].index(last.link),
        "cbam_forward": last.forward,
        "cbam_eff": float(last.efficiency),
        "cbam_gens": np.array([gidx[g] for g in effs], dtype=int),
        "cbam_gen_eff": np.array(list(effs.values()), dtype=float),
    }


#: Per-unit profile values below this are set to zero: they carry no energy (1e-6 of capacity)
#: but would put coefficients of 1e-90 into the matrix and hurt the interior-point solver.
PER_UNIT_FLOOR = 1e-6


def _clean(per_unit: np.ndarray) -> np.ndarray:
    return np.where(per_unit < PER_UNIT_FLOOR, 0.0, per_unit)


def _capacity(existing, extendable, min_total, max_total, cost_new, cost_existing, scale) -> Capacity:
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


def build_arrays(sc: Scenario, snapshots: Snapshots | None = None) -> NetworkArrays:
    """Turn a loaded scenario into :class:`NetworkArrays` (aggregated to its snapshots)."""
    snaps = snapshots if snapshots is not None else make_snapshots(sc.time)
    H = sc.time.hours
    agg = snaps.aggregate
    nidx = sc.node_index()
    carriers = sc.carrier_map()
    techs = sc.technology_map()
    rate = sc.discount_rate
    co2_price = sc.policies.co2_price_eur_per_t

    # generators
    gens = sc.generators
    g_tech = [techs[g.technology] for g in gens]
    g_car = [carriers[t.carrier] for t in g_tech]
    g_costs = [power_cost_per_mw_yr(t, rate) for t in g_tech]
    co2_el = np.array([c.co2_t_per_mwh_th / t.efficiency for c, t in zip(g_car, g_tech)])
    marg = np.array([
        (g.variable_cost_eur_per_mwh if g.variable_cost_eur_per_mwh is not None else
         t.variable_om_eur_per_mwh + c.fuel_cost_eur_per_mwh_th / t.efficiency)
        for g, t, c in zip(gens, g_tech, g_car)]) + co2_el * co2_price
    gen_cap = _capacity([g.capacity_mw for g in gens], [g.extendable for g in gens],
                        [g.min_capacity_mw for g in gens], [g.max_capacity_mw for g in gens],
                        [c[0] for c in g_costs], [c[1] for c in g_costs], MW)

    # storage
    sto = sc.storage
    s_tech = [techs[s.technology] for s in sto]
    p_costs = [power_cost_per_mw_yr(t, rate) for t in s_tech]
    e_costs = [energy_cost_per_mwh_yr(t, rate) for t in s_tech]
    mh = np.array([np.nan if s.max_hours is None else s.max_hours for s in sto])
    # with a fixed ratio the energy cost rides on power capacity
    p_new = np.array([p[0] + (0 if np.isnan(h) else h * e[0]) for p, e, h in zip(p_costs, e_costs, mh)])
    p_old = np.array([p[1] + (0 if np.isnan(h) else h * e[1]) for p, e, h in zip(p_costs, e_costs, mh)])
    sto_power = _capacity([s.power_capacity_mw for s in sto], [s.extendable_power for s in sto],
                          [s.min_power_capacity_mw for s in sto], [s.max_power_capacity_mw for s in sto],
                          p_new, p_old, MW)
    sto_energy = _capacity([s.energy_capacity_mwh for s in sto], [s.extendable_energy for s in sto],
                           [s.min_energy_capacity_mwh for s in sto], [s.max_energy_capacity_mwh for s in sto],
                           [0.0 if not np.isnan(h) else e[0] for e, h in zip(e_costs, mh)],
                           [0.0 if not np.isnan(h) else e[1] for e, h in zip(e_costs, mh)], MW)

    # links
    links = sc.links

    l_costs = [link_cost_per_mw_yr(ln, rate) for ln in links]
    link_cap = _capacity([ln.capacity_mw for ln in links], [ln.extendable for ln in links],
                         [ln.min_capacity_mw for ln in links], [ln.max_capacity_mw for ln in links],
                         [c[0] for c in l_costs], [c[1] for c in l_costs], MW)

    # loads and markets
    ue = sc.unserved_energy
    voll = np.array([
        (ld.value_of_lost_load_eur_per_mwh if ld.value_of_lost_load_eur_per_mwh is not None
         else ue.value_of_lost_load_eur_per_mwh) * COST if ue.allowed else np.nan
        for ld in sc.loads])

    pol = sc.policies
    fe = pol.firm_exports

    def hourly_agg(values: list, scale: float) -> np.ndarray:
        if not values:
            return np.zeros((0, len(snaps)))
        return np.atleast_2d(agg(_hourly(values, H))) * scale

    return NetworkArrays(
        snapshots=snaps,
        node_ids=[n.id for n in sc.nodes],
        node_country=[n.country for n in sc.nodes],
        countries=sc.countries(),
        gen_ids=[g.id for g in gens],
        gen_node=np.array([nidx[g.node] for g in gens], dtype=int),
        gen_carrier=[t.carrier for t in g_tech],
        gen_technology=[g.technology for g in gens],
        gen_cap=gen_cap,
        gen_marginal=marg * COST,
        gen_co2=co2_el,
        gen_renewable=np.array([c.renewable for c in g_car], dtype=bool),
        gen_avail=_clean(hourly_agg([g.availability for g in gens], 1.0)),
        gen_min=_clean(hourly_agg([g.min_output for g in gens], 1.0)),
        gen_ramp_up=np.array([np.nan if g.ramp_limit_up_per_hour is None else g.ramp_limit_up_per_hour
                              for g in gens]),
        gen_ramp_down=np.array([np.nan if g.ramp_limit_down_per_hour is None else g.ramp_limit_down_per_hour
                                for g in gens]),
        sto_ids=[s.id for s in sto],
        sto_node=np.array([nidx[s.node] for s in sto], dtype=int),
        sto_technology=[s.technology for s in sto],
        sto_carrier=[t.carrier for t in s_tech],
        sto_power=sto_power,
        sto_energy=sto_energy,
        sto_max_hours=mh,
        sto_unlimited_power=np.array([s.unlimited_power for s in sto], dtype=bool),
        sto_can_charge=np.array([s.can_charge for s in sto], dtype=bool),
        sto_eff_charge=np.array([s.efficiency_charge for s in sto]),
        sto_eff_discharge=np.array([s.efficiency_discharge for s in sto]),
        sto_standing_loss=np.array([s.standing_loss_per_hour for s in sto]),
        sto_cyclic=np.array([s.cyclic for s in sto], dtype=bool),
        sto_initial=np.array([s.initial_state_mwh for s in sto]) * MW,
        sto_inflow=hourly_agg([s.inflow_mw for s in sto], MW),
        sto_spill=np.array([s.spillage for s in sto], dtype=bool),
        sto_marginal=np.array([
            (s.variable_cost_eur_per_mwh if s.variable_cost_eur_per_mwh is not None
             else t.variable_om_eur_per_mwh) for s, t in zip(sto, s_tech)]) * COST,
        link_ids=[ln.id for ln in links],
        link_from=np.array([nidx[ln.from_node] for ln in links], dtype=int),
        link_to=np.array([nidx[ln.to_node] for ln in links], dtype=int),
        link_cap=link_cap,
        link_eff=np.array([ln.efficiency for ln in links]),
        link_eff_rev=np.array([ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
                               for ln in links]),
        link_bidirectional=np.array([ln.bidirectional for ln in links], dtype=bool),
        link_marginal=np.array([ln.variable_cost_eur_per_mwh for ln in links]) * COST,
        load_ids=[ld.id for ld in sc.loads],
        load_node=np.array([nidx[ld.node] for ld in sc.loads], dtype=int),
        load_demand=hourly_agg([ld.demand_mw for ld in sc.loads], MW),
        load_voll=voll,
        market_ids=[m.id for m in sc.markets],
        market_node=np.array([nidx[m.node] for m in sc.markets], dtype=int),
        market_price=hourly_agg([m.price_eur_per_mwh for m in sc.markets], COST),
        market_export_cap=np.array([m.export_capacity_mw for m in sc.markets]) * MW,
        market_import_cap=np.array([m.import_capacity_mw for m in sc.markets]) * MW,
        co2_price=co2_price * COST,
        co2_cap=None if pol.co2_cap_t is None else pol.co2_cap_t * 1e-3,
        co2_cap_by_country={c: v * 1e-3 for c, v in pol.co2_cap_t_by_country.items()},
        min_res_share=dict(pol.min_renewable_share),
        firm_export_ids=[f.id for f in fe],
        firm_export_node=np.array([nidx[f.node] for f in fe], dtype=int),
        firm_export_min_gw=np.array([np.nan if f.min_mw is None else f.min_mw * MW for f in fe]),
        firm_export_min_gwh=np.array([np.nan if f.min_mwh_per_year is None else f.min_mwh_per_year * MW
                                      for f in fe]),
        **cbam_path_arrays(sc),
    )
