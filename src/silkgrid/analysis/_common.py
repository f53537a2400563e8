"""Helpers shared by the analysis modules: corridor paths and directional link flows.

Everything here is a pure function of a :class:`~silkgrid.results.Result` and the
:class:`~silkgrid.scenario.schema.Scenario` it was solved from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.paths import PathStep, resolve_path  # noqa: F401  (re-exported)
from silkgrid.scenario.schema import Scenario

#: Default corridor path of the ``corridor`` data set: Caspian cable (KZ_W -> AZ), the
#: Azerbaijan-Georgia 500 kV transit line (AZ -> GE) and the Black Sea cable (GE -> RO).
CORRIDOR_PATH: tuple[str, ...] = ("caspian_hvdc", "az_ge_500kv", "black_sea_hvdc")
#: Default segment labels of :data:`CORRIDOR_PATH` (used by the delivered-cost split).
CORRIDOR_SEGMENTS: dict[str, str] = {"caspian_hvdc": "caspian_cable", "az_ge_500kv": "transit",
                                     "black_sea_hvdc": "black_sea_cable"}
#: Default EU markets of the ``corridor`` data set.
EU_MARKETS: tuple[str, ...] = ("RO_market", "HU_market")


def require_plan(result: Result) -> None:
    """Raise unless the result holds a plan: optimal, or feasible with a proven gap."""
    if not result.has_plan:
        raise SilkGridError(f"scenario '{result.scenario_name}' has no optimal solution or feasible plan "
                            f"(status {result.status}); nothing to analyse")


def weights(result: Result) -> pd.Series:
    """Snapshot weights (h/yr each snapshot stands for), indexed like the hourly tables."""
    return pd.Series(np.asarray(result.weights, dtype=float), index=result.snapshots, name="weight_h")


def directional_flows(result: Result, scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forward and backward power sent on every link, MW (two wide tables).

    Recovered exactly from the net flow ``F = f - b`` and the losses
    ``L = f (1 - e) + b (1 - e_r)`` of ``link_flow_mw`` / ``link_losses_mw``:
    ``b = (L - F (1 - e)) / ((1 - e) + (1 - e_r))``, ``f = F + b``.  For a lossless link
    (``e = e_r = 1``) the two directions cannot be told apart and ``f = max(F, 0)``,
    ``b = max(-F, 0)``.  Solver round-off below 1e-9 MW is clipped to zero.
    """
    flow = result.hourly["link_flow_mw"]
    losses = result.hourly["link_losses_mw"]
    fwd = pd.DataFrame(0.0, index=flow.index, columns=flow.columns)
    bwd = fwd.copy()
    for ln in scenario.links:
        F = flow[ln.id].to_numpy()
        L = losses[ln.id].to_numpy()
        e = ln.efficiency
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        denom = (1 - e) + (1 - er)
        if denom > 1e-12 and ln.bidirectional:
            b = (L - F * (1 - e)) / denom
            b = np.maximum(b, np.maximum(-F, 0.0))  # b >= -F and b >= 0 (round-off)
        else:
            b = np.maximum(-F, 0.0)
        b = np.where(b < 1e-9, 0.0, b)
        f = np.maximum(F + b, 0.0)
        fwd[ln.id] = np.where(f < 1e-9, 0.0, f)
        bwd[ln.id] = b
    return fwd, bwd


def along_path(step: PathStep, fwd: pd.DataFrame, bwd: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(power sent into the link at the step's sending node, power delivered at its receiving
    node), MW per snapshot, counting only flow in the direction of the path."""
    sent = fwd[step.link] if step.forward else bwd[step.link]
    return sent, sent * step.efficiency


def export_path(scenario: Scenario) -> tuple[tuple[str, ...] | None, str]:
    """The export path for CBAM: the corridor default if present, else the chain of links from
    the node farthest from the first market's node to that node (fewest links)."""
    links = {ln.id: ln for ln in scenario.links}
    if all(lid in links for lid in CORRIDOR_PATH):
        return CORRIDOR_PATH, "the corridor's default path"
    if not scenario.markets:
        return None, "the scenario has no external market, so there is no export landing point"
    land = scenario.markets[0].node
    adj: dict[str, list[tuple[str, str]]] = {}
    for ln in scenario.links:
        adj.setdefault(ln.to_node, []).append((ln.from_node, ln.id))
        if ln.bidirectional:
            adj.setdefault(ln.from_node, []).append((ln.to_node, ln.id))
    prev, frontier = {land: None}, [land]
    while frontier:
        nxt = []
        for n in frontier:
            for m, lid in adj.get(n, []):
                if m not in prev:
                    prev[m] = (n, lid)
                    nxt.append(m)
        if not nxt:
            break
        frontier = nxt
    origin = frontier[0]
    if origin == land:
        return None, f"no link leads into the market node '{land}'"
    path, n = [], origin
    while prev[n] is not None:
        n, lid = prev[n]
        path.append(lid)
    return tuple(path), f"inferred: the longest chain of links into the market node '{land}'"
