"""PyPSA network -> SilkGrid scenario (:func:`from_network`), one module per component family."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from silkgrid.interop.pypsa.common import load_pypsa
from silkgrid.interop.pypsa.importer.checks import check_structure, time_section
from silkgrid.interop.pypsa.importer.context import ImportContext
from silkgrid.interop.pypsa.importer.generators import generators
from silkgrid.interop.pypsa.importer.links import links
from silkgrid.interop.pypsa.importer.loads import loads
from silkgrid.interop.pypsa.importer.network import global_constraints, nodes, read_carriers
from silkgrid.interop.pypsa.importer.storage import check_storage_emissions, storage_units, stores
from silkgrid.scenario.loader import load_scenario
from silkgrid.scenario.schema import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pypsa

__all__ = ["ImportContext", "from_network", "scenario_data"]


def from_network(n: pypsa.Network, *, name: str | None = None,
                 ids: dict[tuple[str, str], str] | None = None) -> Scenario:
    """Import a PyPSA network as a SilkGrid scenario (exact, or raise).

    Parameters
    ----------
    n:
        A single-period PyPSA network (buses, carriers, generators, loads, links, storage
        units, stores and CO2 ``primary_energy`` global constraints).
    name:
        Scenario name (default: ``n.name`` or ``"pypsa"``).
    ids:
        If given, filled with ``{(component, pypsa_name): silkgrid_id}`` -- PyPSA names may
        contain characters SilkGrid ids do not allow, such names are rewritten.

    Raises
    ------
    PyPSAConversionError
        For every feature of the network that SilkGrid cannot represent exactly.
    """
    load_pypsa()
    imp = ImportContext(n)
    data = scenario_data(imp, name)
    if ids is not None:
        ids.update(imp.ids.map)
    return load_scenario(data)


def scenario_data(imp: ImportContext, name: str | None) -> dict:
    """The raw scenario dict of ``imp.n`` (MW, MWh, EUR); the steps run in a fixed order
    because ids and error precedence depend on it."""
    n = imp.n
    check_structure(imp)
    time, imp.d = time_section(imp)
    imp.reps = np.asarray(imp.d, dtype=int)
    imp.carriers = {}
    imp.carrier_co2 = read_carriers(imp)
    for cname in imp.carrier_co2:  # every PyPSA carrier, used or not
        imp.carrier_id(cname)
    node_list = nodes(imp)
    co2_cap = global_constraints(imp)
    gens, gen_techs = generators(imp)
    su, su_techs = storage_units(imp)
    st, st_techs = stores(imp)
    link_list = links(imp)
    load_list = loads(imp)
    check_storage_emissions(imp, co2_cap)
    return {
        "name": name or (n.name if getattr(n, "name", "") else "pypsa"),
        "description": "imported from a PyPSA network",
        "time": time,
        "nodes": node_list,
        "carriers": list(imp.carriers.values()),
        "technologies": gen_techs + su_techs + st_techs,
        "generators": gens,
        "storage": su + st,
        "links": link_list,
        "loads": load_list,
        "policies": {"co2_cap_t": co2_cap} if co2_cap is not None else {},
        "unserved_energy": {"allowed": False},
        "solver": {"algorithm": "ipm", "crossover": True},
    }
