"""Network-wide import checks: supported structure and snapshot weightings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from silkgrid.core.units import HOURS_PER_YEAR
from silkgrid.interop.pypsa.importer.context import ImportContext
from silkgrid.interop.pypsa.rules import PASSIVE_COMPONENTS, REFUSAL_HINTS, SUPPORTED_COMPONENTS

_UNSUPPORTED_FIX = {
    "Line": "SilkGrid has no power flow (Kirchhoff) model; represent transmission as Links "
            "(lossless bidirectional: p_min_pu=-1, efficiency=1) or remove the lines",
    "Transformer": "SilkGrid has no power flow model; merge the buses or use a Link",
}


def check_structure(imp: ImportContext) -> None:
    """Refuse stochastic, multi-period or empty networks, unsupported components, non-default
    attributes, multi-port links and committable units."""
    n = imp.n
    if getattr(n, "has_scenarios", False):
        raise imp.err("stochastic networks (scenarios) are not supported", "Network",
                      fix="import one scenario at a time")
    if isinstance(n.snapshots, pd.MultiIndex) or len(n.investment_periods) > 0:
        raise imp.err("multi-period investment (investment_periods) is not supported", "Network",
                      attribute="investment_periods",
                      fix="import one investment period as a single-period network")
    if len(n.snapshots) == 0:
        raise imp.err("the network has no snapshots", "Network", attribute="snapshots",
                      fix="set snapshots with n.set_snapshots(...)")
    _check_component_types(imp)
    for comp in SUPPORTED_COMPONENTS:
        frame = imp.active(comp) if comp not in ("Bus", "Carrier", "GlobalConstraint") \
            else n.components[comp].static
        if not frame.empty:
            imp.check_defaults(comp, frame)
    _check_link_ports(imp)
    for comp in ("Generator", "Link"):
        frame = imp.active(comp)
        if "committable" in frame.columns and frame["committable"].astype(bool).any():
            el = frame.index[frame["committable"].astype(bool).to_numpy()][0]
            raise imp.err("committable units are not supported (unit commitment is mixed-integer)",
                          comp, el, "committable", REFUSAL_HINTS["committable"])


def _check_component_types(imp: ImportContext) -> None:
    """Every non-empty component type must be supported or passive."""
    for c in imp.n.components:
        cname = c.name
        if cname in PASSIVE_COMPONENTS or c.static.empty:
            continue
        if cname not in SUPPORTED_COMPONENTS:
            first = c.static.index[0]
            fix = _UNSUPPORTED_FIX.get(cname, f"remove the {cname} components")
            raise imp.err(f"the component type {cname} is not supported ({len(c.static)} present)",
                          cname, first, fix=fix)


def _check_link_ports(imp: ImportContext) -> None:
    """Active links may use bus0 and bus1 only."""
    links = imp.active("Link")
    for col in links.columns:
        m = re.fullmatch(r"bus(\d+)", str(col))
        if m and int(m.group(1)) >= 2:
            used = links[col].fillna("").astype(str) != ""
            if used.any():
                raise imp.err("multi-port links (bus2, bus3, ...) are not supported", "Link",
                              links.index[np.flatnonzero(used.to_numpy())[0]], str(col),
                              "split the link into two-port links or remove the extra ports")


def time_section(imp: ImportContext) -> tuple[dict, np.ndarray]:
    """The scenario's ``time`` section and the snapshot durations in h.

    Sets ``imp.w`` (objective weightings, h) and ``imp.w_gen`` (generator weightings, h).
    """
    n = imp.n
    w = n.snapshot_weightings
    w_obj = w["objective"].to_numpy(dtype=float)
    w_sto = w["stores"].to_numpy(dtype=float)
    w_gen = w["generators"].to_numpy(dtype=float)
    k = w_sto[0]
    fix = ("use uniform whole-hour weightings (e.g. all 1 or all 3); only the last snapshot "
           "may be shorter")
    if not (k >= 1 and float(k).is_integer()):
        raise imp.err(f"snapshot weighting 'stores' is {k:g} h; SilkGrid snapshots last a whole "
                      "number of hours", "Network", attribute="snapshot_weightings.stores", fix=fix)
    last = w_sto[-1]
    ok = np.r_[w_sto[:-1] == k, 1 <= last <= k and float(last).is_integer()]
    if not ok.all():
        bad = int(np.flatnonzero(~ok)[0])
        raise imp.err(f"snapshot weightings 'stores' are not uniform (snapshot {n.snapshots[bad]!s} "
                      f"has {w_sto[bad]:g} h, the first {k:g} h)", "Network",
                      attribute="snapshot_weightings.stores", fix=fix)
    d = w_sto.copy()
    annualise = False
    if not np.allclose(w_obj, d, rtol=1e-12, atol=0):
        scaled = d * HOURS_PER_YEAR / d.sum()
        if np.allclose(w_obj, scaled, rtol=1e-9, atol=0):
            annualise = True
        else:
            raise imp.err("snapshot weightings 'objective' differ from 'stores' in a way SilkGrid "
                          "cannot represent", "Network", attribute="snapshot_weightings.objective",
                          fix="use objective weightings equal to the stores weightings, or all "
                              "scaled by the same factor so that they sum to 8760 h")
    imp.w = scaled if annualise else d
    imp.w_gen = w_gen
    start = "2030-01-01 00:00"
    if isinstance(n.snapshots, pd.DatetimeIndex):
        start = str(n.snapshots[0])
    return ({"start": start, "hours": int(d.sum()), "resolution": f"{int(k)}h",
             "annualise": annualise}, d)
