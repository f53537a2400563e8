"""Exchange with other energy-system modelling tools.

* :mod:`silkgrid.interop.pypsa` -- ``from_network`` (PyPSA network -> scenario) and
  ``to_network`` (scenario -> PyPSA network), exact or refusing; see ``docs/interop.md``.

Submodules import their third-party tool lazily, so ``import silkgrid`` never needs them.
"""
