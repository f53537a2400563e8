"""Scenario schema (pydantic).

Units are part of every field name: ``_mw`` (MW), ``_mwh`` (MWh), ``_eur_per_kw``
(EUR per kW), ``_t`` (tonnes CO2), ``_km``.  A time-varying field (``*_profile`` style
values such as ``availability`` or ``demand_mw``) takes a constant, an inline list, or a
reference to a CSV column (``{file: profiles.csv, column: KZ_S}`` or the short form
``"profiles.csv#KZ_S"``).  After loading, every such field holds a float or a numpy array
of length ``time.hours``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from silkgrid.core.units import HOURS_PER_YEAR  # noqa: F401  (re-exported: scenario.timeseries reads it here)
from silkgrid.scenario.solver_options import LP_ALGORITHMS, Algorithm, SolverOptions  # noqa: F401  (part of the schema)


class ProfileRef(BaseModel):
    """Reference to one column of a CSV file with one row per hour."""

    model_config = ConfigDict(extra="forbid")
    file: str
    column: str


_REF_RE = re.compile(r"^(?P<file>[^#]+\.csv)#(?P<column>.+)$", re.IGNORECASE)


def _coerce_series(value: Any) -> Any:
    """Accept a number, a list/array of numbers, or a CSV column reference."""
    if isinstance(value, bool):
        raise ValueError("expected a number, a list of numbers or a CSV column reference, got a boolean")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            raise ValueError("the number is too large") from None
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError("a profile must be one-dimensional")
        return value.astype(float)
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, bool) for v in value):
            raise ValueError("a profile list must contain numbers only, got a boolean")
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError("a profile list must contain numbers only") from None
        except OverflowError:
            raise ValueError("a profile list holds a number that is too large") from None
        if arr.ndim != 1:
            raise ValueError("a profile must be a flat list of numbers")
        return arr
    if isinstance(value, ProfileRef):
        return value
    if isinstance(value, str):
        m = _REF_RE.match(value.strip())
        if not m:
            raise ValueError(
                f"'{value}' is neither a number nor a CSV column reference of the form 'file.csv#column'")
        return ProfileRef(file=m["file"], column=m["column"])
    if isinstance(value, dict):
        return ProfileRef.model_validate(value)
    raise ValueError(f"expected a number, a list of numbers or a CSV column reference, got {type(value).__name__}")


Series = Annotated[Any, BeforeValidator(_coerce_series)]
"""A constant (float), an hourly array (np.ndarray) or a :class:`ProfileRef` before loading."""

MAX_NUMBER = 1e12
"""Upper limit of amounts (MW, MWh, EUR, t): larger values are meaningless and overflow the
solver's range (HiGHS treats 1e20 in LP units as infinite)."""

NonNeg = Annotated[float, Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Efficiency = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
Id = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")]
Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, use_attribute_docstrings=True)


class Node(_Strict):
    """A bus: a region or substation where energy is balanced every hour."""

    id: Id
    """Unique id, used by every reference to the node."""
    name: str | None = None
    """Display name."""
    country: Annotated[str, Field(min_length=1)]
    """Country code (ISO 3166 alpha-2 recommended); country policies group nodes by it."""
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    """Latitude of the anchor substation or city, degrees."""
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    """Longitude, degrees."""


class Carrier(_Strict):
    """An energy carrier (fuel or resource)."""

    id: Id
    """Unique id."""
    co2_t_per_mwh_th: NonNeg = 0.0
    """Emissions per MWh of primary energy (thermal), tCO2/MWh_th."""
    fuel_cost_eur_per_mwh_th: NonNeg = 0.0
    """Fuel price per MWh of primary energy, EUR/MWh_th (divided by efficiency in marginal cost)."""
    renewable: bool = False
    """Counts towards minimum renewable shares; its curtailment is reported."""
    name: str | None = None
    """Display name."""


class Technology(_Strict):
    """Cost and performance of a technology (generator or storage)."""

    id: Id
    """Unique id."""
    carrier: Id
    """Carrier id (fuel cost and CO2 come from it)."""
    capex_eur_per_kw: NonNeg = 0.0
    """Overnight investment cost of power capacity, EUR/kW."""
    lifetime_years: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 25.0
    """Economic lifetime for the annuity, years."""
    fixed_om_eur_per_kw_yr: NonNeg = 0.0
    """Fixed O&M of power capacity, EUR/kW/yr."""
    annualised_cost_eur_per_mw_yr: NonNeg | None = None
    """If set, replaces capex/lifetime/fixed O&M: the full yearly cost of 1 MW, EUR/MW/yr."""
    variable_om_eur_per_mwh: NonNeg = 0.0
    """Variable O&M per MWh of output (storage: per MWh discharged), EUR/MWh."""
    efficiency: Efficiency = 1.0
    """Electric output per unit of primary energy (generators)."""
    energy_capex_eur_per_kwh: NonNeg = 0.0
    """Storage only: investment cost of energy capacity, EUR/kWh."""
    energy_fixed_om_eur_per_kwh_yr: NonNeg = 0.0
    """Storage only: fixed O&M of energy capacity, EUR/kWh/yr."""
    energy_annualised_cost_eur_per_mwh_yr: NonNeg | None = None
    """Storage only: full yearly cost of 1 MWh of energy capacity, EUR/MWh/yr (replaces energy capex/O&M)."""
    name: str | None = None
    """Display name."""


class Generator(_Strict):
    """A generating unit or fleet at a node."""

    id: Id
    """Unique id."""
    node: Id
    """Node id."""
    technology: Id
    """Technology id."""
    capacity_mw: NonNeg = 0.0
    """Existing capacity, MW (no investment cost; fixed O&M is a constant of the objective)."""
    extendable: bool = False
    """Whether new capacity may be built."""
    min_capacity_mw: NonNeg = 0.0
    """Lower bound on total (existing + new) capacity, MW; only meaningful when extendable."""
    max_capacity_mw: NonNeg | None = None
    """Upper bound on total capacity, MW (None: unlimited)."""
    availability: Series = 1.0
    """Available output per unit of capacity (capacity factor 0..1), constant or hourly."""
    min_output: Series = 0.0
    """Must-run output per unit of capacity (0..1), constant or hourly."""
    ramp_limit_up_per_hour: Fraction | None = None
    """Maximum increase of output per hour, per unit of capacity (none if omitted)."""
    ramp_limit_down_per_hour: Fraction | None = None
    """Maximum decrease of output per hour, per unit of capacity."""
    variable_cost_eur_per_mwh: NonNeg | None = None
    """Overrides the marginal cost derived from the technology (O&M + fuel / efficiency)."""
    discount_rate: Rate | None = None
    """Discount rate of this element's investment annuity (e.g. a country's cost of capital); None: the
    scenario's ``discount_rate``."""
    build_year: int | None = None
    """Pathways: the year its new capacity is built, once (a PyPSA ``build_year``); its vintage lives
    in the periods from then for its lifetime.  None: it may be built in every period it is extendable."""
    lifetime_years: Annotated[float, Field(ge=1, allow_inf_nan=False)] | None = None
    """Pathways: years a vintage of it lives; None: its technology's ``lifetime_years``."""

    @model_validator(mode="after")
    def _bounds(self) -> "Generator":
        if self.max_capacity_mw is not None and self.min_capacity_mw > self.max_capacity_mw:
            raise ValueError(f"min_capacity_mw ({self.min_capacity_mw}) exceeds max_capacity_mw "
                             f"({self.max_capacity_mw})")
        if self.max_capacity_mw is not None and self.capacity_mw > self.max_capacity_mw:
            raise ValueError(f"existing capacity_mw ({self.capacity_mw}) exceeds max_capacity_mw "
                             f"({self.max_capacity_mw})")
        return self


class Storage(_Strict):
    """Storage with separately sized power (MW) and energy (MWh) capacity."""

    id: Id
    """Unique id."""
    node: Id
    """Node id."""
    technology: Id
    """Technology id (power and energy costs)."""
    power_capacity_mw: NonNeg = 0.0
    """Existing charge/discharge power, MW."""
    extendable_power: bool = False
    """Whether power capacity may be built."""
    min_power_capacity_mw: NonNeg = 0.0
    """Lower bound on total power capacity, MW."""
    max_power_capacity_mw: NonNeg | None = None
    """Upper bound on total power capacity, MW (None: unlimited)."""
    unlimited_power: bool = False
    """No limit on charge/discharge power (a pure energy store)."""
    energy_capacity_mwh: NonNeg = 0.0
    """Existing energy capacity, MWh."""
    extendable_energy: bool = False
    """Whether energy capacity may be built."""
    min_energy_capacity_mwh: NonNeg = 0.0
    """Lower bound on total energy capacity, MWh."""
    max_energy_capacity_mwh: NonNeg | None = None
    """Upper bound on total energy capacity, MWh (None: unlimited)."""
    max_hours: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] | None = None
    """Fixed energy/power ratio, h: energy capacity = max_hours x power capacity."""
    can_charge: bool = True
    """Whether the store may take energy from the grid (false: a reservoir filled by inflow only)."""
    efficiency_charge: Efficiency = 1.0
    """Stored / drawn from the grid when charging."""
    efficiency_discharge: Efficiency = 1.0
    """Delivered to the grid / taken from store."""
    standing_loss_per_hour: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.0
    """Share of the state of charge lost per hour."""
    cyclic: bool = True
    """End state equals start state over the horizon."""
    initial_state_mwh: NonNeg = 0.0
    """State of charge before the first snapshot (only used when cyclic is false)."""
    inflow_mw: Series = 0.0
    """Natural inflow (reservoir hydro), MW, constant or hourly."""
    spillage: bool = True
    """Allow spilling inflow that cannot be stored (only with inflow)."""
    variable_cost_eur_per_mwh: NonNeg | None = None
    """Cost per MWh discharged; default: the technology's variable O&M."""
    discount_rate: Rate | None = None
    """Discount rate of this element's investment annuity (e.g. a country's cost of capital); None: the
    scenario's ``discount_rate``."""
    build_year: int | None = None
    """Pathways: the year its new capacity is built, once (a PyPSA ``build_year``); its vintage lives
    in the periods from then for its lifetime.  None: it may be built in every period it is extendable."""
    lifetime_years: Annotated[float, Field(ge=1, allow_inf_nan=False)] | None = None
    """Pathways: years a vintage of it lives; None: its technology's ``lifetime_years``."""

    @model_validator(mode="after")
    def _consistency(self) -> "Storage":
        if self.max_hours is not None and (self.extendable_energy or self.energy_capacity_mwh
                                           or self.max_energy_capacity_mwh is not None
                                           or self.min_energy_capacity_mwh):
            raise ValueError("max_hours fixes energy capacity to max_hours x power capacity; "
                             "remove the energy_capacity/extendable_energy fields or max_hours")
        if self.unlimited_power and (self.extendable_power or self.power_capacity_mw or self.max_hours):
            raise ValueError("unlimited_power storage has no power capacity; remove power_capacity_mw, "
                             "extendable_power and max_hours")
        for lo, hi, name in ((self.min_power_capacity_mw, self.max_power_capacity_mw, "power"),
                             (self.min_energy_capacity_mwh, self.max_energy_capacity_mwh, "energy")):
            if hi is not None and lo > hi:
                raise ValueError(f"min_{name}_capacity exceeds max_{name}_capacity")
        return self


class Link(_Strict):
    """A transmission link (HVDC cable, AC corridor, converter) between two nodes."""

    id: Id
    """Unique id."""
    from_node: Id
    """Sending node of the forward direction."""
    to_node: Id
    """Receiving node of the forward direction."""
    capacity_mw: NonNeg = 0.0
    """Existing capacity, MW (each direction)."""
    extendable: bool = False
    """Whether capacity may be built."""
    min_capacity_mw: NonNeg = 0.0
    """Lower bound on total capacity, MW."""
    max_capacity_mw: NonNeg | None = None
    """Upper bound on total capacity, MW (None: unlimited)."""
    length_km: NonNeg = 0.0
    """Route length, km (multiplies capex_eur_per_mw_km)."""
    capex_eur_per_mw: NonNeg = 0.0
    """Length-independent investment (converter stations), EUR/MW."""
    capex_eur_per_mw_km: NonNeg = 0.0
    """Length-dependent investment (cable/line), EUR/(MW km); multiplied by length_km."""
    fixed_om_pct_per_yr: Annotated[float, Field(ge=0, le=100)] = 0.0
    """Fixed O&M as a percentage of investment per year."""
    lifetime_years: Annotated[float, Field(ge=1, allow_inf_nan=False)] = 40.0
    """Economic lifetime, years."""
    annualised_cost_eur_per_mw_yr: NonNeg | None = None
    """If set, replaces the capex fields: the full yearly cost of 1 MW, EUR/MW/yr."""
    efficiency: Efficiency = 1.0
    """Delivered / sent, from_node -> to_node."""
    efficiency_reverse: Efficiency | None = None
    """Delivered / sent, to_node -> from_node (default: same as efficiency)."""
    bidirectional: bool = True
    """Whether power may also flow to_node -> from_node."""
    variable_cost_eur_per_mwh: NonNeg = 0.0
    """Cost per MWh sent (either direction)."""
    discount_rate: Rate | None = None
    """Discount rate of this element's investment annuity (e.g. a country's cost of capital); None: the
    scenario's ``discount_rate``."""
    build_year: int | None = None
    """Pathways: the year its new capacity is built, once (a PyPSA ``build_year``); its vintage lives
    in the periods from then for its lifetime.  None: it may be built in every period it is extendable."""
    grant_share: Fraction = 0.0
    """Share of the investment paid by grants: the objective and the cost tables charge (1 - grant_share) x
    the capex annuity (fixed O&M in full).  The cost seen by the corridor's investors and users, not by
    society as a whole."""

    @model_validator(mode="after")
    def _check(self) -> "Link":
        if self.from_node == self.to_node:
            raise ValueError("from_node and to_node are the same node")
        if self.max_capacity_mw is not None and self.min_capacity_mw > self.max_capacity_mw:
            raise ValueError("min_capacity_mw exceeds max_capacity_mw")
        return self


class Load(_Strict):
    """Electricity demand at a node."""

    id: Id
    """Unique id."""
    node: Id
    """Node id."""
    demand_mw: Series
    """Demand, MW, constant or hourly."""
    value_of_lost_load_eur_per_mwh: NonNeg | None = None
    """Overrides the scenario's unserved-energy value for this load."""


class MarketStep(_Strict):
    """One price-quantity step of a market's depth (``Market.depth_steps``)."""

    mw: NonNeg
    """Size of the block, MW (sales and purchases alike)."""
    price_offset_eur_per_mwh: NonNeg = 0.0
    """How far below the price a sale (above it a purchase) in this block settles, EUR/MWh."""


class Market(_Strict):
    """An external market at a node: energy can be sold (exported) or bought at an hourly price."""

    id: Id
    """Unique id."""
    node: Id
    """Node id."""
    price_eur_per_mwh: Series
    """Price for sales and purchases, EUR/MWh, constant or hourly."""
    export_capacity_mw: NonNeg = 0.0
    """Maximum sale from the node into the market, MW."""
    import_capacity_mw: NonNeg = 0.0
    """Maximum purchase from the market into the node, MW."""
    depth_steps: list[MarketStep] = Field(default_factory=list)
    """Finite market depth as price-quantity steps: sales and purchases are split into consecutive blocks
    of ``mw``; the k-th block of sales earns price - offset_k, the k-th block of purchases pays price +
    offset_k.  The totals stay within export/import capacity (the last block is what capacity remains).
    Empty: one block at the price (an infinitely deep market up to the capacities)."""

    @field_validator("depth_steps")
    @classmethod
    def _rising(cls, steps: list["MarketStep"]) -> list["MarketStep"]:
        offsets = [st.price_offset_eur_per_mwh for st in steps]
        if any(b < a for a, b in zip(offsets, offsets[1:])):
            raise ValueError(f"price offsets must not decrease from one step to the next, got {offsets}")
        return steps


class Subset(_Strict):
    start: str
    """First day (or date/time) modelled."""
    end: str
    """Inclusive end date/time (e.g. ``2030-01-31`` includes the whole of 31 January)."""


class Time(_Strict):
    """Snapshots: hourly data from ``start`` for ``hours`` hours, optionally subset and aggregated."""

    start: str = "2030-01-01 00:00"
    """Time stamp of the first hour of the profile data."""
    hours: Annotated[int, Field(ge=1, le=8784 * 60)] = 8760
    """Number of hourly values in every profile."""
    resolution: str = "1h"
    """Snapshot length, e.g. '1h' or '3h'; profiles are averaged over each snapshot."""
    subset: Subset | None = None
    """Model only this part of the data period."""
    annualise: bool = True
    """Scale operating costs and emissions of the modelled hours to a full year (8,760 h)."""
    years: list[int] | None = None
    """Labels of K equal consecutive blocks of the hours (e.g. weather years): one design serves all, each
    weighs 1/K; results report each and their spread (:mod:`silkgrid.analysis.weather_years`)."""

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        if not re.fullmatch(r"\s*[1-9][0-9]*\s*h\s*", value):
            raise ValueError(f"resolution '{value}' is not of the form '<hours>h' (e.g. '1h', '3h')")
        return value.strip()

    @model_validator(mode="after")
    def _years(self) -> "Time":
        k = len(self.years or [])
        if self.years is not None and (k == 0 or len(set(self.years)) != k):
            raise ValueError("time.years needs distinct labels, one per block of hours")
        if k and (self.hours % k or (self.hours // k) % self.resolution_hours):
            raise ValueError(f"time.years: {self.hours} hours do not split into {k} equal blocks of snapshots")
        return self

    @property
    def resolution_hours(self) -> int:
        return int(self.resolution.rstrip("h"))


class FirmExport(_Strict):
    """A firm export contract: deliver power into ``node`` over the corridor links."""

    id: Id
    """Unique id."""
    node: Id
    """Node the contract delivers into."""
    min_mw: NonNeg | None = None
    """Net import into the node over links, at least this in every snapshot, MW."""
    min_mwh_per_year: NonNeg | None = None
    """Net import into the node over links, at least this per year, MWh."""

    @model_validator(mode="after")
    def _one(self) -> "FirmExport":
        if self.min_mw is None and self.min_mwh_per_year is None:
            raise ValueError("give min_mw or min_mwh_per_year")
        return self


class BuildLimit(_Strict):
    """A cap on new capacity of a group of technologies in a country or set of nodes (build rate x years)."""

    id: Id
    """Unique id."""
    country: str | None = None
    """Country whose nodes the limit covers (or give ``nodes``)."""
    nodes: list[Id] = Field(default_factory=list)
    """Nodes the limit covers (or give ``country``)."""
    technologies: Annotated[list[Id], Field(min_length=1)]
    """Technology ids of the generators and storage (power) it covers."""
    max_new_mw: NonNeg
    """Sum of new capacity (beyond existing) of the covered extendable elements, at most this, MW."""
    note: str = ""
    """Where the number comes from (e.g. achieved build rate x years, minus the named pipeline)."""

    @model_validator(mode="after")
    def _where(self) -> "BuildLimit":
        if (self.country is None) == (not self.nodes):
            raise ValueError("give exactly one of 'country' and 'nodes'")
        return self


class Policies(_Strict):
    co2_price_eur_per_t: NonNeg = 0.0
    """Price on emissions, EUR/t, added to marginal costs."""
    co2_cap_t: NonNeg | None = None
    """System-wide emissions cap, tCO2 per year."""
    co2_cap_t_by_country: dict[str, NonNeg] = Field(default_factory=dict)
    """Emission caps by country, t/yr."""
    min_renewable_share: dict[str, Fraction] = Field(default_factory=dict)
    """Per country: renewable generation in the country >= share x its demand."""
    firm_exports: list[FirmExport] = Field(default_factory=list)
    """Firm export contracts into nodes (hourly MW or yearly MWh)."""
    cbam_hourly_matching: bool = False
    """CBAM hourly matching as a constraint: in every snapshot the power delivered into the EU end of
    ``cbam_path`` by its last link <= contracted output x the path efficiencies from each producer's
    node to the EU end (the definition of ``analysis.hourly_matching``)."""
    cbam_path: list[Id] = Field(default_factory=list)
    """Link ids from the origin node to the EU landing node (required when cbam_hourly_matching is on)."""
    build_limits: list[BuildLimit] = Field(default_factory=list)
    """Caps on new capacity per country (or nodes) and technology group, MW (e.g. achieved build rates)."""
    cbam_contracted_generators: list[Id] | None = None
    """Generators whose output may back CBAM exports (default: renewable generators at the path's origin node)."""


class CbamDefaultFactor(_Strict):
    """CBAM default emission factor of one origin country (``corridor.cbam_default_factors``)."""

    t_per_mwh: NonNeg
    """Default emission factor of electricity imported from the country, tCO2/MWh."""
    assumption: bool = True
    """True when the value is not the official CBAM default (e.g. a proxy): results then carry a warning."""
    source: str = ""
    """Where the value comes from (table, row, data year, source id)."""


class Corridor(_Strict):
    """Export-corridor facts for the analysis: export path, EU nodes and markets, CBAM default factors.

    Optional.  The ``corridor`` data set fills it from ``data/corridor/meta.yaml`` and
    ``emission_factors.csv``; scenarios that extend it inherit it (a mapping: a child's fields
    override the parent's, ``corridor: null`` removes it).  Without it the analysis infers the export
    path, skips the EU-deliveries metric and takes CBAM factors from the corridor data set's table
    (``docs/analysis.md``).  Ids are not checked at load time, so an inherited section may name
    elements a child removed: the analysis then says so and falls back.
    """

    export_path: list[Id] = Field(default_factory=list)
    """Link ids from the origin node to the EU landing node, in order (default path of delivered cost and CBAM;
    empty: inferred)."""
    segments: dict[Id, str] = Field(default_factory=dict)
    """Link id -> label of its segment in the delivered-cost split (default: the link id)."""
    eu_nodes: list[Id] = Field(default_factory=list)
    """Nodes inside the EU: power delivered into them over links from outside counts as EU deliveries."""
    eu_markets: list[Id] = Field(default_factory=list)
    """Market ids of EU markets (default markets of the export revenue)."""
    cbam_default_factors: dict[str, CbamDefaultFactor] = Field(default_factory=dict)
    """Origin country -> CBAM default emission factor {t_per_mwh, assumption, source}."""
    capacity_knobs: dict[str, Id] = Field(default_factory=dict)
    """Web Run form: capacity knob (``caspian``, ``black_sea``) -> the id of the link it sets."""
    counterfactual_links: list[Id] = Field(default_factory=list)
    """New cross-border corridor links the CO2-avoided counterfactual holds at their existing capacity (empty:
    every extendable link)."""
    eu_displaced_factors: dict[str, CbamDefaultFactor] = Field(default_factory=dict)
    """EU country -> tCO2/MWh that additional net deliveries into it displace {t_per_mwh, assumption, source}
    (empty: EU-side emissions are not counted)."""

    @field_validator("export_path")
    @classmethod
    def _no_repeat(cls, value: list[str]) -> list[str]:
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise ValueError(f"export_path names link(s) {repeated} more than once")
        return value


class UnservedEnergy(_Strict):
    allowed: bool = True
    """Allow load shedding (if false, unmet demand is infeasible)."""
    value_of_lost_load_eur_per_mwh: NonNeg = 10_000.0
    """Cost of unserved energy, EUR/MWh."""


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = "scenario"
    """Scenario name (used in results)."""
    description: str = ""
    """Free text."""
    weather: str = ""
    """How the hourly weather profiles were made (e.g. synthetic, seed 1); shown with every result."""
    extends: str | dict[str, Any] | None = None
    """A scenario file or packaged data set to start from."""
    discount_rate: Annotated[float, Field(ge=0, le=1)] = 0.07
    """Discount rate for annuities (e.g. 0.071)."""
    time: Time = Field(default_factory=Time)
    """Snapshots."""
    nodes: list[Node]
    """Nodes (at least one)."""
    carriers: list[Carrier] = Field(default_factory=list)
    """Carriers."""
    technologies: list[Technology] = Field(default_factory=list)
    """Technologies."""
    generators: list[Generator] = Field(default_factory=list)
    """Generators."""
    storage: list[Storage] = Field(default_factory=list)
    """Storage units."""
    links: list[Link] = Field(default_factory=list)
    """Transmission links."""
    loads: list[Load] = Field(default_factory=list)
    """Demand."""
    markets: list[Market] = Field(default_factory=list)
    """External markets."""
    policies: Policies = Field(default_factory=Policies)
    """Policies."""
    corridor: Corridor | None = None
    """Export-corridor facts for the analysis (export path, EU nodes and markets, CBAM default factors)."""
    unserved_energy: UnservedEnergy = Field(default_factory=UnservedEnergy)
    """Load shedding."""
    solver: SolverOptions = Field(default_factory=SolverOptions)
    """Solver options."""
    source_file: str | None = Field(default=None, exclude=True)
    """The file the scenario was loaded from (set by the loader; used in messages)."""

    # --- lookups -----------------------------------------------------------------------
    def node_index(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.nodes)}

    def carrier_map(self) -> dict[str, Carrier]:
        return {c.id: c for c in self.carriers}

    def technology_map(self) -> dict[str, Technology]:
        return {t.id: t for t in self.technologies}

    def countries(self) -> list[str]:
        seen: dict[str, None] = {}
        for n in self.nodes:
            seen.setdefault(n.country, None)
        return list(seen)
