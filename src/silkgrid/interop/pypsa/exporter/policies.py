"""Export of policies: refuse what PyPSA cannot express, map the CO2 cap."""

from __future__ import annotations

from silkgrid.interop.pypsa.exporter.context import ExportContext, refuse
from silkgrid.scenario.schema import Scenario


def check_policies(sc: Scenario) -> None:
    """Refuse country CO2 caps, minimum renewable shares, firm exports, build limits and CBAM hourly matching."""
    pol = sc.policies
    if pol.co2_cap_t_by_country:
        c = next(iter(pol.co2_cap_t_by_country))
        raise refuse("country CO2 caps have no PyPSA equivalent (primary_energy constraints are "
                     "system-wide)", "policies", c, "co2_cap_t_by_country",
                     "use a system-wide co2_cap_t or remove the country caps")
    if pol.min_renewable_share:
        c = next(iter(pol.min_renewable_share))
        raise refuse("minimum renewable shares have no PyPSA global-constraint equivalent", "policies", c,
                     "min_renewable_share", "remove min_renewable_share")
    if pol.firm_exports:
        raise refuse("firm export contracts have no PyPSA equivalent", "policies",
                     pol.firm_exports[0].id, "firm_exports", "remove firm_exports")
    if pol.build_limits:
        raise refuse("build limits on new capacity per country and technology group have no exact PyPSA "
                     "equivalent (tech_capacity_expansion_limit caps total capacity of one carrier)", "policies",
                     pol.build_limits[0].id, "build_limits", "remove policies.build_limits")
    if pol.cbam_hourly_matching:
        raise refuse("CBAM hourly matching has no PyPSA equivalent", "policies", None,
                     "cbam_hourly_matching", "set cbam_hourly_matching to false")


def add_co2_cap(ex: ExportContext) -> None:
    """The system CO2 cap (LP: kt) as a ``primary_energy`` global constraint ``co2_cap`` in t."""
    a = ex.a
    if a.co2_cap is not None:
        ex.n.add("GlobalConstraint", "co2_cap", type="primary_energy", carrier_attribute="co2_emissions",
                 sense="<=", constant=a.co2_cap * 1e3)
