"""Exchange models with PyPSA (https://pypsa.org): import a network, export a scenario.

``from_network(n)`` turns a :class:`pypsa.Network` into a validated SilkGrid
:class:`~silkgrid.scenario.schema.Scenario` whose optimum is the optimum of PyPSA's own LP:
``silkgrid.solve(from_network(n)).objective`` equals ``n.objective`` after
``n.optimize(include_objective_constant=False)``.

``to_network(scenario)`` builds the inverse for what PyPSA can express: for the exported
network ``n.optimize()`` (PyPSA's default ``include_objective_constant=True``) returns the
same objective as ``silkgrid.solve(scenario).objective``.

Both directions are exact or refuse: whatever cannot be represented exactly raises
:class:`PyPSAConversionError` (a :class:`~silkgrid.core.errors.ScenarioError`) naming the
component, the element and the attribute -- nothing is dropped silently.  The mapping is
documented in ``docs/interop.md``.

Layout: :mod:`.errors` (the error), :mod:`.rules` (supported components, handled / ignored
attributes, refusal hints), :mod:`.common` (lazy PyPSA import, ids, helpers),
:mod:`.importer` (one module per component family), :mod:`.exporter` (one module per
component), :mod:`.ties` (``link_capacity_ties``).

PyPSA is an optional dependency; it is imported when a function here is first called.
"""

from __future__ import annotations

from silkgrid.interop.pypsa.errors import PyPSAConversionError
from silkgrid.interop.pypsa.exporter import to_network
from silkgrid.interop.pypsa.importer import from_network
from silkgrid.interop.pypsa.rules import PASSIVE_COMPONENTS, SUPPORTED_COMPONENTS
from silkgrid.interop.pypsa.ties import link_capacity_ties

__all__ = ["PyPSAConversionError", "from_network", "to_network", "link_capacity_ties",
           "SUPPORTED_COMPONENTS", "PASSIVE_COMPONENTS"]
