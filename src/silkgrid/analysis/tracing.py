"""Flow tracing: which producers the power arriving anywhere comes from (proportional sharing).

Average participation / proportional sharing (Bialek 1996), solved per snapshot and batched
over all snapshots (one dense ``N x N`` solve per snapshot, vectorised by numpy).  Every node
is a perfect mixer: each MW leaving it (to a load, a storage unit, a market or a link) carries
the node's inflow mix.  Conventions (``docs/analysis.md``, "Flow tracing"):

* **Gross flows, sending side.** A link's forward and backward power are two arcs; each is
  traced with the power *sent* into it.  Both directions of a link in one snapshot are kept.
* **Losses travel with the energy.** Energy sent into an arc arrives times its efficiency; the
  loss is borne by the (producer, destination) pairs whose energy crosses the arc, in
  proportion to their share of it.  So a producer's output splits over destinations as
  ``generated = delivered + losses on the way``, exactly.
* **Destinations** are every sink (demand per node, storage charging per node, sales per
  market, the balance residual) and, optionally, *absorbing arcs*: the arcs into the EU node
  set, where energy counts as delivered the moment it lands (after that arc's losses).  What
  lands over an absorbing arc re-enters the EU node as a source of kind ``eu_border``.
* **Sources**: generators, storage discharge, market purchases, unserved energy (load
  shedding) and the balance residual (solver round-off, per node, so that every node balances
  exactly and conservation holds to machine precision).

Units: MW per snapshot in the arrays; MWh/yr = MW x snapshot weight in the tables.
Memory: O(T x N^2) for the per-snapshot matrices, O(T x N x D) for the shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from silkgrid.analysis._common import corridor_of, directional_flows, require_plan, scenario_of
from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario

#: Source kinds, in the order they are listed.
SOURCE_KINDS = ("generator", "storage", "market", "unserved", "residual", "eu_border")
#: Node throughflow (MW) below which a node is treated as empty in a snapshot.
EMPTY_NODE_MW = 1e-12


@dataclass(frozen=True)
class Sharing:
    """Proportional-sharing solution for T snapshots, N nodes, D destinations, A arcs.

    ``through_mw`` (T, N): node throughflow (= outflow = inflow).  ``reach`` (T, N, D): MW
    delivered into destination d per MW injected at node n (losses deducted).  ``share``
    (T, N, D): share of node n's throughflow bound for d (gross: losses on the way included;
    rows sum to 1 where the node carries power).  ``arc_use_mw`` (T, D, A): MW sent into arc a
    that is bound for d.  ``transfer`` (T, N, N): ``I - A_e`` with ``A_e[m, n]`` the MW landing
    at n per MW of m's throughflow (transit arcs only); its transpose gives origin mixes.
    """

    through_mw: np.ndarray
    reach: np.ndarray
    share: np.ndarray
    arc_use_mw: np.ndarray
    transfer: np.ndarray

    def origin_mw(self, injection_mw: np.ndarray, injection_node: np.ndarray) -> np.ndarray:
        """(T, N): MW of each node's throughflow that comes from the given injections (T, I)."""
        T, N = self.through_mw.shape
        g = np.zeros((T, N))
        np.add.at(g.T, injection_node, injection_mw.T)
        return np.linalg.solve(np.swapaxes(self.transfer, 1, 2), g[..., None])[..., 0]


def _onehot(cols: np.ndarray, n_cols: int) -> np.ndarray:
    """(len(cols), n_cols) matrix with a 1 in column ``cols[i]`` of row i."""
    e = np.zeros((len(cols), n_cols))
    e[np.arange(len(cols)), cols] = 1.0
    return e


def _solve(m: np.ndarray, rhs: np.ndarray, what: str) -> np.ndarray:
    try:
        return np.linalg.solve(m, rhs)
    except np.linalg.LinAlgError:
        sign, _ = np.linalg.slogdet(m)
        bad = np.flatnonzero(sign == 0)
        raise SilkGridError(f"flow tracing ({what}): power circulates without reaching any sink in "
                            f"snapshot(s) {bad[:5].tolist()} (a loop of flows with no load, market or "
                            "storage on it); clean the result's phantom flows first") from None


def proportional_sharing(n_nodes: int, n_dest: int, *, sink_mw, sink_node, sink_dest, arc_mw, arc_from, arc_to,
                         arc_eff, arc_dest=None, injection_mw=None, injection_node=None,
                         balance_rtol: float = 1e-9) -> Sharing:
    """Solve proportional sharing for a batch of snapshots.

    Sinks: ``sink_mw`` (T, K) >= 0 at ``sink_node`` (K,) belonging to destination ``sink_dest``
    (K,).  Arcs: ``arc_mw`` (T, A) >= 0 sent from ``arc_from`` to ``arc_to`` with efficiency
    ``arc_eff`` (A,); ``arc_dest`` (A,) is the destination of an absorbing arc, -1 for a transit
    arc (default: all transit).  What an absorbing arc lands re-enters its receiving node as an
    injection.  ``injection_mw`` (T, I) at ``injection_node`` (those re-entries included) is
    used only to check the balance: inflow (injections + arriving transit arcs) must equal
    outflow (sinks + sent) at every node to ``balance_rtol``; add residual sources / sinks first.
    """
    sink_mw, arc_mw = np.asarray(sink_mw, float), np.asarray(arc_mw, float)
    sink_node, sink_dest = np.asarray(sink_node, int), np.asarray(sink_dest, int)
    arc_from, arc_to, arc_eff = np.asarray(arc_from, int), np.asarray(arc_to, int), np.asarray(arc_eff, float)
    arc_dest = np.full(len(arc_from), -1) if arc_dest is None else np.asarray(arc_dest, int)
    T, N, D, A = sink_mw.shape[0], n_nodes, n_dest, len(arc_from)
    if (sink_mw < 0).any() or (arc_mw < 0).any():
        raise SilkGridError("flow tracing: sink and arc powers must be >= 0 (split net flows into two arcs)")
    out = np.zeros((T, N))
    np.add.at(out.T, sink_node, sink_mw.T)
    np.add.at(out.T, arc_from, arc_mw.T)
    if injection_mw is not None:
        inflow = np.zeros((T, N))
        np.add.at(inflow.T, np.asarray(injection_node, int), np.asarray(injection_mw, float).T)
        tr = arc_dest < 0
        np.add.at(inflow.T, arc_to[tr], (arc_mw * arc_eff)[:, tr].T)
        gap = np.abs(inflow - out)
        if (gap > balance_rtol * np.maximum(inflow, out) + 1e-12).any():
            t, n = np.unravel_index(int(np.argmax(gap)), gap.shape)
            raise SilkGridError(f"flow tracing: node {n} does not balance in snapshot {t} (inflow {inflow[t, n]:.9g} "
                                f"MW, outflow {out[t, n]:.9g} MW)")
    live = out > EMPTY_NODE_MW
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=live)
    transit = arc_dest < 0
    frac = arc_mw * inv[:, arc_from]  # (T, A): share of the sending node's throughflow
    pair = _onehot(arc_from[transit] * N + arc_to[transit], N * N)  # arc -> (from, to) cell
    eye = np.eye(N)[None]
    gross = eye - (frac[:, transit] @ pair).reshape(T, N, N)
    net = eye - ((frac * arc_eff)[:, transit] @ pair).reshape(T, N, N)
    d_gross = np.zeros((T, N, D))
    np.add.at(d_gross, (slice(None), sink_node, sink_dest), sink_mw * inv[:, sink_node])
    d_net = d_gross.copy()
    ab = np.flatnonzero(~transit)
    np.add.at(d_gross, (slice(None), arc_from[ab], arc_dest[ab]), frac[:, ab])
    np.add.at(d_net, (slice(None), arc_from[ab], arc_dest[ab]), frac[:, ab] * arc_eff[ab])
    share = _solve(gross, d_gross, "destination shares")
    reach = _solve(net, d_net, "delivered shares")
    use = np.zeros((T, D, A))
    tr = np.flatnonzero(transit)
    use[:, :, tr] = np.swapaxes(arc_mw[:, tr, None] * share[:, arc_to[tr], :], 1, 2)
    use[:, arc_dest[ab], ab] = arc_mw[:, ab]
    return Sharing(through_mw=out, reach=reach, share=share, arc_use_mw=use, transfer=net)


# ----------------------------------------------------------------------------------------
# tracing a result
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FlowTrace:
    """Proportional sharing of one result: sources, destinations, arcs and the solution.

    ``sources`` (one row per source; columns ``id, kind, node, country, technology, carrier,
    renewable, fossil``) and ``source_mw`` (T, S); ``destinations`` (``id, kind, node, link``);
    ``links`` (``id, from_node, to_node, from_country, to_country``); arcs: ``arc_link`` (index
    into ``links``), ``arc_forward``, ``arc_mw`` (T, A), ``arc_from``/``arc_to`` (node index),
    ``arc_eff``.  ``weights_h`` (T,): snapshot weights.  Methods return MW per snapshot; the
    module functions turn them into MWh/yr tables.
    """

    snapshots: pd.DatetimeIndex
    weights_h: np.ndarray
    nodes: list[str]
    sources: pd.DataFrame
    source_mw: np.ndarray
    source_node: np.ndarray
    destinations: pd.DataFrame
    links: pd.DataFrame
    arc_link: np.ndarray
    arc_forward: np.ndarray
    arc_mw: np.ndarray
    arc_from: np.ndarray
    arc_to: np.ndarray
    arc_eff: np.ndarray
    sharing: Sharing

    def select(self, destinations) -> np.ndarray:
        """Indices of ``destinations``: a destination kind (``eu_border``, ``market``, ``demand``,
        ``storage``, ``residual``) or a list of destination ids."""
        dest = self.destinations
        if isinstance(destinations, str):
            if destinations not in DEST_KINDS:
                raise SilkGridError(f"unknown destination kind '{destinations}' (kinds: {', '.join(DEST_KINDS)})")
            return np.flatnonzero(dest["kind"].to_numpy() == destinations)
        ids = list(destinations)
        unknown = sorted(set(ids) - set(dest["id"]))
        if unknown:
            raise SilkGridError(f"unknown destination(s) {unknown}; destinations are {list(dest['id'])}")
        return np.flatnonzero(dest["id"].isin(ids).to_numpy())

    def _frame(self, values: np.ndarray, columns) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.snapshots.rename("snapshot"), columns=list(columns))

    def delivered_mw(self, destinations) -> pd.DataFrame:
        """MW delivered into ``destinations`` (after losses) per snapshot (rows) and source (columns)."""
        d = self.select(destinations)
        reach = self.sharing.reach[:, :, d].sum(axis=2)[:, self.source_node]
        return self._frame(self.source_mw * reach, self.sources["id"])

    def generated_mw(self, destinations) -> pd.DataFrame:
        """MW of each source's output bound for ``destinations`` (losses on the way included)."""
        d = self.select(destinations)
        share = self.sharing.share[:, :, d].sum(axis=2)[:, self.source_node]
        return self._frame(self.source_mw * share, self.sources["id"])

    def _arc_use(self, destinations, sources=None) -> np.ndarray:
        """(T, A): MW sent into each arc bound for ``destinations`` (from ``sources`` only, a
        boolean mask over :attr:`sources`: the arc's flow x that origin's share at its sending node)."""
        use = self.sharing.arc_use_mw[:, self.select(destinations), :].sum(axis=1)
        if sources is None:
            return use
        mask = np.asarray(sources, bool)
        through = self.sharing.through_mw
        origin = self.sharing.origin_mw(self.source_mw[:, mask], self.source_node[mask])
        frac = np.divide(origin, through, out=np.zeros_like(origin), where=through > EMPTY_NODE_MW)
        return use * np.clip(frac[:, self.arc_from], 0.0, 1.0)

    def link_sent_mw(self, destinations, sources=None) -> pd.DataFrame:
        """MW sent into each link (both directions) bound for ``destinations``; with ``sources`` (a
        boolean mask over :attr:`sources`) only the part that comes from those sources."""
        return self._frame(self._arc_use(destinations, sources) @ _onehot(self.arc_link, len(self.links)),
                           self.links["id"])

    def link_losses_mw(self, destinations, sources=None) -> pd.DataFrame:
        """MW lost on each link by the energy bound for ``destinations`` (and from ``sources``)."""
        lost = self._arc_use(destinations, sources) * (1.0 - self.arc_eff)
        return self._frame(lost @ _onehot(self.arc_link, len(self.links)), self.links["id"])

    def destination_mw(self, destinations) -> pd.Series:
        """MW delivered into ``destinations`` per snapshot (sinks, or what absorbing arcs land)."""
        return self.delivered_mw(destinations).sum(axis=1).rename("delivered_mw")


#: Destination kinds.
DEST_KINDS = ("demand", "storage", "market", "residual", "eu_border")


def _eu_arcs(scenario: Scenario, eu: set[str]) -> dict[str, bool]:
    """Link id -> True when its forward arc enters the EU, False when its backward arc does."""
    out = {}
    for ln in scenario.links:
        if (ln.to_node in eu) != (ln.from_node in eu):
            out[ln.id] = ln.to_node in eu
    return out


def trace_flows(result: Result, scenario: Scenario | None = None, *, eu_border: bool = True,
                eu_nodes=None) -> FlowTrace:
    """Trace every snapshot of ``result`` by proportional sharing (module docstring).

    With ``eu_border`` (default) the arcs into the EU nodes (``eu_nodes``, default the scenario's
    ``corridor.eu_nodes``; none: no EU destinations) are absorbing destinations ``eu:<link>`` of
    kind ``eu_border``: energy counts as delivered into the EU when it lands there.  With
    ``eu_border=False`` every link is transit and the EU markets are destinations like any other
    (to trace what each market buys back to the producers).
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    h = result.hourly
    nodes = [n.id for n in scenario.nodes]
    country = {n.id: n.country for n in scenario.nodes}
    at = {n: i for i, n in enumerate(nodes)}
    T = len(result.snapshots)
    carriers = {c.id: c for c in scenario.carriers}
    src_rows: list[dict] = []
    src_cols: list[np.ndarray] = []

    def add_source(sid, kind, node, mw, technology="", carrier="", renewable=False, fossil=False):
        src_rows.append({"id": sid, "kind": kind, "node": node, "country": country[node], "technology": technology,
                         "carrier": carrier, "renewable": bool(renewable), "fossil": bool(fossil)})
        src_cols.append(np.clip(np.asarray(mw, float), 0.0, None))

    gtab = result.tables["generators"]
    for r in gtab.itertuples():
        c = carriers.get(r.carrier)
        add_source(r.id, "generator", r.node, h["generation_mw"][r.id].to_numpy(), r.technology, r.carrier,
                   c is not None and c.renewable, c is not None and c.co2_t_per_mwh_th > 0)
    storage = {s.id: s for s in scenario.storage}
    stab = result.tables.get("storage")
    sinks: list[tuple[str, str, str, np.ndarray]] = []  # (destination id, kind, node, MW)
    if stab is not None:
        for r in stab.itertuples():
            c = carriers.get(r.carrier)
            natural = c is not None and c.renewable and not storage[r.id].can_charge  # e.g. a reservoir
            add_source(r.id, "storage", r.node, h["storage_discharge_mw"][r.id].to_numpy(), r.technology, r.carrier,
                       natural, False)
            sinks.append((f"storage:{r.node}", "storage", r.node, h["storage_charge_mw"][r.id].to_numpy()))
    for r in result.tables["markets"].itertuples():
        net = h["market_sales_mw"][r.id].to_numpy()
        add_source(r.id, "market", r.node, -np.minimum(net, 0.0), "market", "market")
        sinks.append((f"market:{r.id}", "market", r.node, np.maximum(net, 0.0)))
    for n in nodes:
        if n in h["unserved_mw"] and (h["unserved_mw"][n].to_numpy() > 0).any():
            add_source(f"unserved:{n}", "unserved", n, h["unserved_mw"][n].to_numpy(), "unserved")
        if n in h["demand_mw"] and (h["demand_mw"][n].to_numpy() > 0).any():
            sinks.append((f"demand:{n}", "demand", n, h["demand_mw"][n].to_numpy()))

    fwd, bwd = directional_flows(result, scenario)
    eu = set(eu_nodes if eu_nodes is not None else corridor_of(scenario).eu_nodes) if eu_border else set()
    into_eu = _eu_arcs(scenario, eu)
    link_rows, arcs = [], []  # arcs: (link index, forward, from, to, eff, MW)
    for k, ln in enumerate(scenario.links):
        er = ln.efficiency if ln.efficiency_reverse is None else ln.efficiency_reverse
        link_rows.append({"id": ln.id, "from_node": ln.from_node, "to_node": ln.to_node,
                          "from_country": country[ln.from_node], "to_country": country[ln.to_node]})
        arcs.append((k, True, at[ln.from_node], at[ln.to_node], ln.efficiency, fwd[ln.id].to_numpy()))
        arcs.append((k, False, at[ln.to_node], at[ln.from_node], er, bwd[ln.id].to_numpy()))
    arc_link = np.array([a[0] for a in arcs], int)
    arc_forward = np.array([a[1] for a in arcs], bool)
    arc_from = np.array([a[2] for a in arcs], int)
    arc_to = np.array([a[3] for a in arcs], int)
    arc_eff = np.array([a[4] for a in arcs], float)
    arc_mw = np.column_stack([a[5] for a in arcs]) if arcs else np.zeros((T, 0))

    dest_rows = []
    for did, kind, node, _ in sinks:
        if did not in {r["id"] for r in dest_rows}:
            dest_rows.append({"id": did, "kind": kind, "node": node, "link": ""})
    arc_dest = np.full(len(arcs), -1)
    for a, (k, forward, _, to, eff, mw) in enumerate(arcs):
        lid = link_rows[k]["id"]
        if lid in into_eu and into_eu[lid] == forward:
            arc_dest[a] = len(dest_rows)
            dest_rows.append({"id": f"eu:{lid}", "kind": "eu_border", "node": nodes[to], "link": lid})
            add_source(f"eu:{lid}", "eu_border", nodes[to], mw * eff, "eu_border")

    # the balance residual (solver round-off) as a source or a sink per node, so that nodes balance exactly
    src_node = np.array([at[r["node"]] for r in src_rows], int)
    src = np.column_stack(src_cols) if src_cols else np.zeros((T, 0))
    inflow, outflow = np.zeros((T, len(nodes))), np.zeros((T, len(nodes)))
    np.add.at(inflow.T, src_node, src.T)
    transit = arc_dest < 0
    np.add.at(inflow.T, arc_to[transit], (arc_mw * arc_eff)[:, transit].T)
    np.add.at(outflow.T, arc_from, arc_mw.T)
    for _, _, node, mw in sinks:
        outflow[:, at[node]] += np.clip(mw, 0.0, None)
    gap = inflow - outflow
    dest_rows.append({"id": "residual", "kind": "residual", "node": "", "link": ""})
    for i, n in enumerate(nodes):
        if (gap[:, i] > 0).any():
            sinks.append(("residual", "residual", n, np.maximum(gap[:, i], 0.0)))
        if (gap[:, i] < 0).any():
            add_source(f"residual:{n}", "residual", n, np.maximum(-gap[:, i], 0.0), "residual")
    src_node = np.array([at[r["node"]] for r in src_rows], int)
    src = np.column_stack(src_cols)
    dest_index = {r["id"]: i for i, r in enumerate(dest_rows)}
    sink_mw = np.column_stack([np.clip(s[3], 0.0, None) for s in sinks]) if sinks else np.zeros((T, 0))
    sharing = proportional_sharing(
        len(nodes), len(dest_rows), sink_mw=sink_mw, sink_node=[at[s[2]] for s in sinks],
        sink_dest=[dest_index[s[0]] for s in sinks], arc_mw=arc_mw, arc_from=arc_from, arc_to=arc_to,
        arc_eff=arc_eff, arc_dest=arc_dest)
    return FlowTrace(snapshots=result.snapshots, weights_h=np.asarray(result.weights, float), nodes=nodes,
                     sources=pd.DataFrame(src_rows), source_mw=src, source_node=src_node,
                     destinations=pd.DataFrame(dest_rows), links=pd.DataFrame(link_rows), arc_link=arc_link,
                     arc_forward=arc_forward, arc_mw=arc_mw, arc_from=arc_from, arc_to=arc_to, arc_eff=arc_eff,
                     sharing=sharing)


# ----------------------------------------------------------------------------------------
# tables (MWh/yr)
# ----------------------------------------------------------------------------------------
GROUPS = ("id", "kind", "node", "country", "technology")


def traced_sources(trace: FlowTrace, destinations="eu_border") -> pd.DataFrame:
    """Per source: ``delivered_mwh`` into ``destinations`` (after losses), ``generated_mwh`` (its
    output bound for them) and ``losses_mwh`` (the difference), MWh/yr, with the source's
    attributes and ``delivered_share`` of the total delivered.  Sources with nothing bound for
    the destinations are left out."""
    w = trace.weights_h
    out = trace.sources.copy()
    out["delivered_mwh"] = w @ trace.delivered_mw(destinations).to_numpy()
    out["generated_mwh"] = w @ trace.generated_mw(destinations).to_numpy()
    out["losses_mwh"] = out["generated_mwh"] - out["delivered_mwh"]
    out = out[out["generated_mwh"] > 0].reset_index(drop=True)
    total = float(out["delivered_mwh"].sum())
    out["delivered_share"] = out["delivered_mwh"] / total if total > 0 else np.nan
    return out


def origin_mix(trace: FlowTrace, destinations="eu_border", by: str = "country") -> pd.DataFrame:
    """:func:`traced_sources` summed by ``by`` (``id``, ``kind``, ``node``, ``country`` or
    ``technology``), sorted by delivered energy."""
    if by not in GROUPS:
        raise SilkGridError(f"origin_mix: by must be one of {', '.join(GROUPS)}, not '{by}'")
    s = traced_sources(trace, destinations)
    g = s.groupby(by, as_index=False)[["delivered_mwh", "generated_mwh", "losses_mwh"]].sum()
    total = float(g["delivered_mwh"].sum())
    g["delivered_share"] = g["delivered_mwh"] / total if total > 0 else np.nan
    return g.sort_values("delivered_mwh", ascending=False, kind="stable").reset_index(drop=True)


def traced_hourly(trace: FlowTrace, destinations="eu_border", by: str = "country",
                  per_destination: bool = True) -> pd.DataFrame:
    """Long table per snapshot: ``snapshot, destination, <by>, delivered_mwh, generated_mwh``
    (MW x weight); with ``per_destination`` one row set per destination, else summed over
    them (``destination`` = "all").  Rows where both are zero are left out."""
    if by not in GROUPS:
        raise SilkGridError(f"traced_hourly: by must be one of {', '.join(GROUPS)}, not '{by}'")
    idx = trace.select(destinations)
    dests = [[i] for i in idx] if per_destination else [list(idx)]
    frames = []
    w = trace.weights_h[:, None]
    groups = trace.sources[by].to_numpy()
    labels, inverse = np.unique(groups.astype(str), return_inverse=True)
    onehot = _onehot(inverse, len(labels))
    for sel in dests:
        ids = list(trace.destinations["id"].iloc[sel])
        dl = (trace.delivered_mw(ids).to_numpy() * w) @ onehot
        gn = (trace.generated_mw(ids).to_numpy() * w) @ onehot
        df = pd.DataFrame({"snapshot": np.repeat(trace.snapshots, len(labels)),
                           "destination": ids[0] if per_destination else "all",
                           by: np.tile(labels, len(trace.snapshots)),
                           "delivered_mwh": dl.ravel(), "generated_mwh": gn.ravel()})
        frames.append(df[(df["delivered_mwh"] != 0) | (df["generated_mwh"] != 0)])
    cols = ["snapshot", "destination", by, "delivered_mwh", "generated_mwh"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def traced_link_use(trace: FlowTrace, destinations="eu_border") -> pd.DataFrame:
    """Per link: energy sent into it bound for ``destinations`` (``sent_mwh``, both directions,
    gross) and lost on it (``losses_mwh``), the link's total ``link_sent_mwh``, ``share_of_link``
    = sent / link_sent and ``mwh_per_delivered_mwh`` = sent / energy delivered (the
    energy-weighted use of the link per MWh delivered), MWh/yr.  Links the energy does not use
    are left out."""
    w = trace.weights_h
    sent = w @ trace.link_sent_mw(destinations).to_numpy()
    lost = w @ trace.link_losses_mw(destinations).to_numpy()
    total = w @ (trace.arc_mw @ _onehot(trace.arc_link, len(trace.links)))
    delivered = float(w @ trace.destination_mw(destinations).to_numpy())
    out = trace.links.copy()
    out["sent_mwh"], out["losses_mwh"], out["link_sent_mwh"] = sent, lost, total
    out["share_of_link"] = np.divide(sent, total, out=np.zeros_like(sent), where=total > 0)
    out["mwh_per_delivered_mwh"] = sent / delivered if delivered > 0 else np.nan
    return out[out["sent_mwh"] > 0].reset_index(drop=True)
