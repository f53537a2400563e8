"""Paths through the network: a chain of links from an origin node to a landing node.

The CBAM hourly-matching constraint (the model) and the ex-post CBAM and delivered-cost
metrics (the analysis) share these definitions, so the constraint and the metric can never
disagree on how a path is oriented or how much of a producer's output reaches its end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from silkgrid.core.errors import SilkGridError
from silkgrid.scenario.schema import Scenario


@dataclass(frozen=True)
class PathStep:
    """One link of a path, traversed ``forward`` (from_node -> to_node) or backward."""

    link: str
    sending: str
    receiving: str
    forward: bool
    efficiency: float


def resolve_path(scenario: Scenario, path: tuple[str, ...] | list[str]) -> list[PathStep]:
    """Orient the links of ``path`` into a chain of nodes.

    The start is the end of the first link that the second link does not touch (for a
    one-link path: its ``from_node``); each following link must touch the node reached so
    far.  Raises :class:`SilkGridError` for unknown ids or a broken chain.
    """
    links = {ln.id: ln for ln in scenario.links}
    missing = [lid for lid in path if lid not in links]
    if not path or missing:
        raise SilkGridError(f"corridor path {list(path)}: unknown link id(s) {missing}; "
                            f"links are {sorted(links)}")
    if len(set(path)) != len(path):
        raise SilkGridError(f"corridor path {list(path)}: a link appears more than once")
    first = links[path[0]]
    start = first.from_node
    if len(path) > 1:
        nxt = links[path[1]]
        if first.from_node in (nxt.from_node, nxt.to_node) and first.to_node not in (nxt.from_node, nxt.to_node):
            start = first.to_node
    steps: list[PathStep] = []
    here = start
    for lid in path:
        ln = links[lid]
        eff_rev = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        if ln.from_node == here:
            steps.append(PathStep(lid, ln.from_node, ln.to_node, True, ln.efficiency))
        elif ln.to_node == here and ln.bidirectional:
            steps.append(PathStep(lid, ln.to_node, ln.from_node, False, eff_rev))
        else:
            raise SilkGridError(f"corridor path {list(path)}: link '{lid}' ({ln.from_node} -> {ln.to_node}) "
                                f"does not continue the path from node '{here}'")
        here = steps[-1].receiving
    return steps


def producer_positions(scenario: Scenario, steps, contracted) -> dict[str, int]:
    """generator id -> index of its node on the path (0 = the start node)."""
    nodes = [steps[0].sending] + [s.receiving for s in steps]
    gens = {g.id: g for g in scenario.generators}
    return {gid: nodes.index(gens[gid].node) for gid in contracted_efficiencies(scenario, steps, contracted)}


def border_bounds(steps) -> list[tuple[int, float]]:
    """For every path link but the last: (index k, product of efficiencies from link k to the
    landing node).  Power matched at the EU end can use link k only as far as power flows
    through it in the path direction; producers beyond link k do not need it."""
    effs = [s.efficiency for s in steps]
    return [(k, float(np.prod(effs[k:]))) for k in range(len(steps) - 1)]


def contracted_efficiencies(scenario: Scenario, steps, contracted) -> dict[str, float]:
    """generator id -> product of the path efficiencies from its node to the landing node.

    ``contracted`` None: every renewable generator at the path's start node."""
    nodes = [steps[0].sending] + [s.receiving for s in steps]
    effs = np.array([s.efficiency for s in steps])
    carriers = scenario.carrier_map()
    techs = scenario.technology_map()
    gens = {g.id: g for g in scenario.generators}
    if contracted is None:
        contracted = [g.id for g in scenario.generators
                      if g.node == nodes[0] and carriers[techs[g.technology].carrier].renewable]
    out = {}
    for gid in contracted:
        if gid not in gens:
            raise SilkGridError(f"contracted generator '{gid}' is not in the scenario")
        node = gens[gid].node
        if node not in nodes[:-1]:
            raise SilkGridError(f"contracted generator '{gid}' sits at node '{node}', which is not an "
                                f"upstream node of the path {nodes}")
        k = nodes.index(node)
        out[gid] = float(np.prod(effs[k:]))
    return out
