"""The model components: one module per component or policy, and the one list of them.

Each module in :data:`COMPONENTS` provides ``arrays(sc, inp)`` (its fields of
:class:`~silkgrid.model.arrays.NetworkArrays`), ``add(lp, ctx)`` (its LP blocks),
``extract(view)`` (its result tables) and ``DIAGNOSIS`` (sentences for its violated rows); see
:mod:`silkgrid.model.components.base`.  The order is the LP's assembly order (policies last:
they refer to earlier variables) and must not change without re-checking time tags and the
PyPSA comparison.  Adding a component = one new module + one entry here.
"""

from __future__ import annotations

from silkgrid.model.components import (build_limits, cbam_matching, co2, firm_exports, generators, links, loads,
                                       markets, renewable_share, storage)
from silkgrid.model.components.base import BALANCE_DIAGNOSIS, Diagnosis

COMPONENTS = (generators, storage, links, loads, markets, co2, renewable_share, firm_exports, cbam_matching,
              build_limits)


def diagnoses() -> dict[str, Diagnosis]:
    """Constraint block name -> :class:`~silkgrid.model.components.base.Diagnosis`, all components."""
    out = dict(BALANCE_DIAGNOSIS)
    for component in COMPONENTS:
        out.update(component.DIAGNOSIS)
    return out


__all__ = ["COMPONENTS", "diagnoses"]
