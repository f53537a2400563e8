"""Packaged data sets and their provenance.

* ``example/`` — the illustrative 4-node scenario (``silkgrid.load_scenario("example")``).
* ``corridor/`` — the sourced Central Asia – Caspian – Black Sea corridor tables (CSV + YAML)
  and ``meta.yaml`` (export path, EU nodes and markets, web knobs, CBAM factor pointer);
  :func:`silkgrid.data.build.build_corridor_scenario` turns them into a scenario for 2030,
  2040 or 2050 (with its ``corridor:`` section, :mod:`silkgrid.data.corridor_meta`), and
  :mod:`silkgrid.data.provenance` checks that every value is cited.
* ``geo/`` — Natural Earth country outlines around the corridor
  (:func:`silkgrid.data.geo.load_countries`).

Nothing here is imported eagerly: ``import silkgrid.data`` stays cheap.
"""
