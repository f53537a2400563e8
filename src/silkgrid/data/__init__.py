"""Packaged data sets and their provenance.

* ``example/`` — the illustrative 4-node scenario (``silkgrid.load_scenario("example")``).
* ``corridor/`` — the sourced Central Asia – Caspian – Black Sea corridor tables (CSV + YAML)
  and ``meta.yaml`` (export path, EU nodes and markets, web knobs, CBAM factor pointer);
  :func:`silkgrid.data.build.build_corridor_scenario` turns them into a scenario for any year
  2030..2060 (with its ``corridor:`` section, :mod:`silkgrid.data.corridor_meta`; limits from
  :mod:`silkgrid.data.limits`, cost of capital from :mod:`silkgrid.data.finance`), and
  :mod:`silkgrid.data.provenance` checks that every value is cited.
* ``corridor_blacksea_4gw/``, ``corridor_blacksea_6gw/``, ``corridor_unpaced/`` — named
  scenarios that ``extends`` the corridor in 2035 (larger Black Sea cables, no build-rate limits).
* ``geo/`` — Natural Earth country outlines around the corridor
  (:func:`silkgrid.data.geo.load_countries`).

Nothing here is imported eagerly: ``import silkgrid.data`` stays cheap.
"""
