"""Helpers shared by the analysis modules: the scenario of a result, corridor facts, paths and
directional link flows.

Everything here is a pure function of a :class:`~silkgrid.results.Result` and the
:class:`~silkgrid.scenario.schema.Scenario` it was solved from (``result.scenario`` unless
given).  Corridor facts (export path, segment labels, EU nodes and markets) come from the
scenario's ``corridor:`` section (``docs/scenario.md``), never from constants here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.paths import PathStep, resolve_path  # noqa: F401  (re-exported)
from silkgrid.scenario.schema import Corridor, Scenario


def scenario_of(result: Result, scenario: Scenario | None = None) -> Scenario:
    """``scenario`` if given, else the scenario the result carries (``result.scenario``)."""
    sc = scenario if scenario is not None else result.scenario
    if sc is None:
        raise SilkGridError(f"the result of '{result.scenario_name}' carries no scenario (a directory written "
                            "before results stored scenario.json); pass the scenario explicitly")
    return sc


def corridor_of(scenario: Scenario) -> Corridor:
    """The scenario's ``corridor:`` section, or an empty one (no path, no EU nodes or markets)."""
    return scenario.corridor if scenario.corridor is not None else Corridor()


def default_path(scenario: Scenario, path=None) -> tuple[str, ...]:
    """``path`` if given, else the scenario's ``corridor.export_path``; an error naming the fix if neither."""
    if path is not None:
        return tuple(path)
    sec = corridor_of(scenario)
    if not sec.export_path:
        raise SilkGridError(f"no export path given and scenario '{scenario.name}' has no corridor.export_path; "
                            "pass the link ids of the path (silkgrid.analysis.export_path infers one)")
    return tuple(sec.export_path)


def require_plan(result: Result) -> None:
    """Raise unless the result holds a plan: optimal, or feasible with a proven gap."""
    if not result.has_plan:
        raise SilkGridError(f"scenario '{result.scenario_name}' has no optimal solution or feasible plan "
                            f"(status {result.status}); nothing to analyse")


def weights(result: Result) -> pd.Series:
    """Snapshot weights (h/yr each snapshot stands for), indexed like the hourly tables."""
    return pd.Series(np.asarray(result.weights, dtype=float), index=result.snapshots, name="weight_h")


def directional_flows(result: Result, scenario: Scenario | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forward and backward power sent on every link, MW (two wide tables).

    Read from the result's hourly tables ``link_forward_mw`` / ``link_backward_mw`` where it
    has them.  Results without them (directories written by older versions) are recovered
    exactly from the net flow ``F = f - b`` and the losses ``L = f (1 - e) + b (1 - e_r)`` of
    ``link_flow_mw`` / ``link_losses_mw``: ``b = (L - F (1 - e)) / ((1 - e) + (1 - e_r))``,
    ``f = F + b``.  For a lossless link (``e = e_r = 1``) the two directions cannot be told
    apart there and ``f = max(F, 0)``, ``b = max(-F, 0)``.  Solver round-off below 1e-9 MW is
    clipped to zero in both cases.
    """
    hourly = result.hourly
    if "link_forward_mw" in hourly and "link_backward_mw" in hourly:
        fwd = hourly["link_forward_mw"].astype(float)
        bwd = hourly["link_backward_mw"].astype(float)
        return fwd.where(fwd >= 1e-9, 0.0), bwd.where(bwd >= 1e-9, 0.0)
    scenario = scenario_of(result, scenario)
    flow = hourly["link_flow_mw"]
    losses = hourly["link_losses_mw"]
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
    """The export path for CBAM and the delivered cost, and how it was chosen.

    The scenario's ``corridor.export_path`` when it has one whose links all exist; else the
    chain of links from the node farthest from the first market's node to that node (fewest
    links).
    """
    links = {ln.id: ln for ln in scenario.links}
    sec = corridor_of(scenario)
    note = ""
    if sec.export_path:
        missing = [lid for lid in sec.export_path if lid not in links]
        if not missing:
            return tuple(sec.export_path), "the scenario's corridor.export_path"
        note = f"corridor.export_path names links that are not in the scenario ({', '.join(missing)}); "
    if not scenario.markets:
        return None, note + "the scenario has no external market, so there is no export landing point"
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
        return None, note + f"no link leads into the market node '{land}'"
    path, n = [], origin
    while prev[n] is not None:
        n, lid = prev[n]
        path.append(lid)
    return tuple(path), note + f"inferred: the longest chain of links into the market node '{land}'"
