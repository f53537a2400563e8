"""CBAM hourly matching (``policies.cbam_hourly_matching``): EU deliveries backed hour by hour.

LP blocks (per snapshot, GW): ``cbam_matching`` -- ``e_last * flow_last[t] - sum_g e_g * p[g, t]
<= 0``: the power the last link of the CBAM path delivers into the EU end (in the path
direction, after its losses) is at most the contracted producers' output times the path
efficiencies from each producer's node to the EU end (``e_g``), as in
``silkgrid.analysis.cbam.hourly_matching``; and ``cbam_nomination_<link>`` for every earlier
link of the path: what lands in the EU must also have crossed that link (net of flow sent back
in the same snapshot), unless it entered the path after it.
"""

from __future__ import annotations

import numpy as np

from silkgrid.model.components.base import Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.paths import border_bounds, contracted_efficiencies, producer_positions, resolve_path
from silkgrid.scenario.schema import Scenario


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """The ``cbam_*`` fields (empty dict when the policy is off: ``cbam_link`` stays -1).

    Uses the path orientation and producer efficiencies of :mod:`silkgrid.scenario.paths`, as
    the ex-post ``silkgrid.analysis.hourly_matching`` does: one definition for both.  Raises
    :class:`~silkgrid.core.errors.SilkGridError` for a broken path or a producer off the path.
    """
    pol = sc.policies
    if not pol.cbam_hourly_matching:
        return {}
    steps = resolve_path(sc, pol.cbam_path)
    effs = contracted_efficiencies(sc, steps, pol.cbam_contracted_generators)
    position = producer_positions(sc, steps, pol.cbam_contracted_generators)
    gidx = {g.id: i for i, g in enumerate(sc.generators)}
    lidx = [ln.id for ln in sc.links]
    last = steps[-1]
    return {
        "cbam_borders": [(lidx.index(steps[k].link), steps[k].forward, eff,
                          np.array([gidx[g] for g, pos in position.items() if pos > k], dtype=int),
                          np.array([effs[g] for g, pos in position.items() if pos > k], dtype=float))
                         for k, eff in border_bounds(steps)],
        "cbam_link": lidx.index(last.link),
        "cbam_forward": last.forward,
        "cbam_eff": float(last.efficiency),
        "cbam_gens": np.array([gidx[g] for g in effs], dtype=int),
        "cbam_gen_eff": np.array(list(effs.values()), dtype=float),
    }


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """The matching row and the nomination rows, one per snapshot each (nothing when off)."""
    a = ctx.arrays
    k = a.cbam_link
    if k < 0:
        return
    bi = np.flatnonzero(a.link_bidirectional)

    def path_flow(link: int, forward: bool) -> np.ndarray:
        if forward:
            return lp.variables["link_forward"][link]
        return lp.variables["link_backward"][int(np.flatnonzero(bi == link)[0])]

    flow = path_flow(k, a.cbam_forward)
    p = lp.variables["gen_p"]
    rows = lp.add_constraints("cbam_matching", ctx.T, upper=0.0, time=ctx.t[0])
    lp.add_terms(rows, flow, a.cbam_eff)
    if a.cbam_gens.size:
        lp.add_terms(rows[None, :], p[a.cbam_gens], -a.cbam_gen_eff[:, None])
    # firm nomination on every border: what lands in the EU must also have crossed each earlier
    # link of the path, unless it entered the path after that link
    for link, forward, eff, gens, gen_eff in a.cbam_borders:  # per border link, vectorised over hours
        rows = lp.add_constraints(f"cbam_nomination_{link}", ctx.T, upper=0.0, time=ctx.t[0])
        lp.add_terms(rows, flow, a.cbam_eff)
        lp.add_terms(rows, path_flow(link, forward), -eff)
        if a.link_bidirectional[link]:  # net crossing: flow sent back in the same snapshot does not count
            lp.add_terms(rows, path_flow(link, not forward), eff)
        if gens.size:
            lp.add_terms(rows[None, :], p[gens], -gen_eff[:, None])


def extract(view: SolutionView) -> Extracted:
    """Nothing of its own (matching shares come from ``silkgrid.analysis.cbam`` ex post)."""
    return Extracted()


def _describe(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    return (f"CBAM hourly matching cannot be met at {a.snapshots.index[where[0]]}: the EU end of the CBAM "
            f"path would receive {np.abs(violation).max() * 1e3:,.1f} MW more than the contracted producers "
            f"back; check cbam_contracted_generators and the path's link capacities")


#: Relaxed only in the last pass (every row), as the hourly rows carry no user-set amount.
DIAGNOSIS = {"cbam_matching": Diagnosis(_describe)}
