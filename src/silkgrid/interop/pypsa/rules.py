"""Which PyPSA components and attributes ``from_network`` maps, ignores or refuses."""

from __future__ import annotations

#: Components ``from_network`` maps.
SUPPORTED_COMPONENTS = ("Bus", "Carrier", "Generator", "Load", "Link", "StorageUnit", "Store",
                        "GlobalConstraint")
#: Components that never enter PyPSA's LP on their own (standard types, geometry, outputs).
PASSIVE_COMPONENTS = ("LineType", "TransformerType", "SubNetwork", "Shape")

#: Attributes without influence on PyPSA's single-period linear optimisation (descriptive,
#: reactive power, multi-period or unit-commitment parameters that only act when the
#: checked switch -- investment periods, ``committable``, ``maintainable`` -- is on).
_UC = {"start_up_cost", "shut_down_cost", "stand_by_cost", "min_up_time", "min_down_time",
       "up_time_before", "down_time_before", "ramp_limit_start_up", "ramp_limit_shut_down",
       "maintenance_duration", "maintenance_pu", "maintenance_events"}
IGNORED: dict[str, set[str]] = {
    "Bus": {"v_nom", "type", "x", "y", "carrier", "unit", "location", "v_mag_pu_set", "v_mag_pu_min",
            "v_mag_pu_max"},
    "Carrier": {"color", "nice_name", "max_growth", "max_relative_growth"},
    "Generator": {"control", "type", "q_set", "build_year", "lifetime", "weight"} | _UC,
    "Load": {"carrier", "type", "q_set"},
    "Link": {"type", "build_year", "lifetime", "length", "terrain_factor", "cyclic_delay"} | _UC,
    "StorageUnit": {"control", "type", "q_set", "build_year", "lifetime",
                    "state_of_charge_initial_per_period", "cyclic_state_of_charge_per_period"},
    "Store": {"type", "q_set", "build_year", "lifetime", "e_initial_per_period", "e_cyclic_per_period"},
    "GlobalConstraint": set(),
}
_COST = {"capital_cost", "overnight_cost", "discount_rate", "fom_cost"}  # via periodized_cost
#: Attributes ``from_network`` reads and checks itself; all other input attributes of a
#: supported component must keep PyPSA's default value.
HANDLED: dict[str, set[str]] = {
    "Bus": {"name", "country"},
    "Carrier": {"name", "co2_emissions"},
    "Generator": {"name", "bus", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min", "p_nom_max",
                  "p_min_pu", "p_max_pu", "marginal_cost", "efficiency", "ramp_limit_up", "ramp_limit_down"}
    | _COST,
    "Load": {"name", "bus", "active", "p_set"},
    "Link": {"name", "bus0", "bus1", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min",
             "p_nom_max", "p_min_pu", "p_max_pu", "marginal_cost", "efficiency"} | _COST,
    "StorageUnit": {"name", "bus", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min",
                    "p_nom_max", "p_min_pu", "p_max_pu", "marginal_cost", "max_hours", "efficiency_store",
                    "efficiency_dispatch", "standing_loss", "inflow", "state_of_charge_initial",
                    "cyclic_state_of_charge"} | _COST,
    "Store": {"name", "bus", "carrier", "active", "e_nom", "e_nom_extendable", "e_nom_min", "e_nom_max",
              "e_initial", "e_cyclic", "standing_loss"} | _COST,
    "GlobalConstraint": {"name", "type", "investment_period", "bus", "carrier_attribute", "sense",
                         "constant"},
}

#: Why a non-default value of an attribute cannot be imported, and what to do instead.
REFUSAL_HINTS = {
    "committable": "unit commitment is a mixed-integer feature; set committable=False",
    "maintainable": "maintenance scheduling is not modelled; set maintainable=False",
    "marginal_cost_quadratic": "SilkGrid is a linear program; use a linear marginal_cost",
    "p_set": "fixed dispatch is not supported; remove p_set",
    "p_init": "dispatch before the first snapshot is not supported; remove p_init",
    "p_nom_mod": "modular (integer) capacity is not supported; set p_nom_mod=0",
    "e_nom_mod": "modular (integer) capacity is not supported; set e_nom_mod=0",
    "p_nom_set": "fix the capacity with p_nom (non-extendable) instead",
    "e_nom_set": "fix the capacity with e_nom (non-extendable) instead",
    "e_sum_min": "energy sum limits are not supported; remove them",
    "e_sum_max": "energy sum limits are not supported; remove them",
    "sign": "keep the default sign",
    "delay": "delayed links are not supported; set delay=0",
    "ramp_limit_up": "link ramp limits are not supported; remove them",
    "ramp_limit_down": "link ramp limits are not supported; remove them",
    "marginal_cost_storage": "costs on the stored energy are not supported; set it to 0",
    "spill_cost": "spillage costs are not supported; set spill_cost=0",
    "state_of_charge_set": "fixed states of charge are not supported; remove state_of_charge_set",
    "p_dispatch_set": "fixed dispatch is not supported; remove it",
    "p_store_set": "fixed charging is not supported; remove it",
    "e_set": "fixed energy levels are not supported; remove e_set",
    "e_min_pu": "SilkGrid stores may use their whole energy capacity (e_min_pu=0, e_max_pu=1); "
                "scale e_nom instead",
    "e_max_pu": "SilkGrid stores may use their whole energy capacity (e_min_pu=0, e_max_pu=1); "
                "scale e_nom instead",
    "marginal_cost": "a Store's marginal_cost also pays for charging (negative dispatch); "
                     "put the cost on a discharging Link instead",
}
