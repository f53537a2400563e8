"""SilkGrid scenario -> PyPSA network (:func:`to_network`), one module per component."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from silkgrid.interop.pypsa.common import load_pypsa
from silkgrid.interop.pypsa.exporter.buses import add_buses, add_carriers
from silkgrid.interop.pypsa.exporter.context import ExportContext
from silkgrid.interop.pypsa.exporter.demand import add_load_shedding, add_loads, add_markets
from silkgrid.interop.pypsa.exporter.generators import add_generators
from silkgrid.interop.pypsa.exporter.links import add_links
from silkgrid.interop.pypsa.exporter.policies import add_co2_cap, check_policies
from silkgrid.interop.pypsa.exporter.storage import add_storage
from silkgrid.model.arrays import build_arrays
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pypsa

__all__ = ["ExportContext", "to_network"]


def to_network(scenario: Scenario | str | Path | dict, *, tie_links: bool = False) -> pypsa.Network:
    """Export a scenario as a PyPSA network with the same optimum.

    ``n.optimize()`` (with PyPSA's default ``include_objective_constant=True``) on the result
    gives ``silkgrid.solve(scenario).objective``; capacities are ``p_nom_opt`` / ``e_nom_opt``
    (total, existing included).

    Mapping: nodes -> buses; carriers -> carriers (CO2); generators -> generators with the
    full marginal cost (variable cost + CO2 price); storage with ``max_hours`` -> storage
    units; pure energy storage -> stores (with charger/discharger links where efficiencies
    or costs apply); links -> one reversible link when lossless and free, else one link per
    direction; markets -> an import generator (price) and an export generator
    (``p_min_pu=-1, p_max_pu=0`` at the price); unserved energy -> a generator per load at
    the value of lost load; the CO2 cap -> a ``primary_energy`` global constraint.

    ``tie_links``: an extendable link that is lossy or costly in both directions needs two
    PyPSA links with one shared capacity, which plain PyPSA cannot express.  By default this
    raises; with ``tie_links=True`` the pair is recorded in ``n.meta["silkgrid_tied_links"]``
    and ``n.optimize(extra_functionality=link_capacity_ties)`` adds the equality.  The same
    holds for storage sized in energy with extendable power (charger and discharger links,
    tied as ``[charger, discharger, efficiency]``).  Reservoirs that cannot charge, with fixed
    power and energy, become StorageUnits (``p_min_pu=0``, inflow, ``max_hours`` = energy /
    power).

    Raises
    ------
    PyPSAConversionError
        For what PyPSA cannot express (country CO2 caps, minimum renewable shares, firm
        exports, extendable power of separately sized storage, ...).
    """
    pypsa_module = load_pypsa()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    check_policies(sc)
    ex = ExportContext.new(pypsa_module, sc, build_arrays(sc))
    add_buses(ex)
    add_carriers(ex)
    add_generators(ex)
    storage_ties = add_storage(ex, tie_links)
    add_links(ex, tie_links)
    if storage_ties:
        ex.n.meta["silkgrid_tied_links"] = list(ex.n.meta.get("silkgrid_tied_links", [])) + storage_ties
    add_loads(ex)
    add_markets(ex)
    add_load_shedding(ex)
    add_co2_cap(ex)
    return ex.n
