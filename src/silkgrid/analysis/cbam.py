"""CBAM for exported electricity: hourly matching and certificate cost (ex post).

Two views.  :func:`traced_cbam` / :func:`traced_matching` (the corridor answer) take the origin
of the energy landed in the EU from flow tracing (:mod:`silkgrid.analysis.tracing`): each
producer's country gives the default factor of its energy, snapshot by snapshot.
:func:`cbam_cost` / :func:`hourly_matching` evaluate a *nominated* path with contracted
producers at its start (the same definition as the optimiser's ``policies.cbam_hourly_matching``).

Regulation (EU) 2023/956, Annex IV: imported electricity carries the **default** emission
factor of its origin unless all conditions hold (PPA with named producers, no congestion or
a direct connection, <= 550 gCO2/kWh, firm nomination of interconnection capacity on every
border matched to the producers' output in the same hour).  This module computes how much
of the exported energy *could* qualify under the hourly-matching condition, given the
producers' output and the losses of each border, and what that is worth at the EU ETS
price.  It does not check the PPA, congestion or nomination conditions: they are outside
the model (see ``docs/analysis.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.analysis._common import (along_path, corridor_of, default_path, directional_flows, require_plan,
                                       scenario_of, weights)
from silkgrid.analysis.tracing import FlowTrace, trace_flows
from silkgrid.core.errors import SilkGridError
from silkgrid.data.corridor_meta import cbam_default_factors as table_factors
from silkgrid.results import Result
from silkgrid.scenario.paths import border_bounds, contracted_efficiencies, producer_positions, resolve_path
from silkgrid.scenario.schema import Scenario

#: EU ETS allowance price used for CBAM certificates when none is given, EUR/t: the 2024
#: average (domain-facts §5.1, Veyt).  An assumption for any future year.
ETS_PRICE_EUR_PER_T = 67.0

#: Where the CBAM default factors come from when the scenario has no ``corridor.cbam_default_factors``:
#: the sourced table of this packaged data set (``emission_factors.csv`` via its ``meta.yaml``).
FALLBACK_FACTORS_DATASET = "corridor"


def cbam_default_factors(scenario: Scenario) -> tuple[dict[str, dict], str | None]:
    """(CBAM default factor per origin country, a note when they are a fallback).

    The scenario's ``corridor.cbam_default_factors`` when it has any; else the proxy values of the
    sourced table of the ``corridor`` data set (:func:`silkgrid.data.corridor_meta.cbam_default_factors`,
    each with its source id), with a note saying so.  Each entry:
    ``{"t_per_mwh": float, "assumption": bool, "source": str}``.
    """
    own = corridor_of(scenario).cbam_default_factors
    if own:
        return {c: f.model_dump() for c, f in own.items()}, None
    return (table_factors(FALLBACK_FACTORS_DATASET),
            f"scenario '{scenario.name}' has no corridor.cbam_default_factors: the factor is the proxy of the "
            f"'{FALLBACK_FACTORS_DATASET}' data set's sourced table (emission_factors.csv)")


def hourly_matching(result: Result, scenario: Scenario | None = None, path=None, *,
                    contracted=None) -> pd.DataFrame:
    """Per snapshot: exported energy at the EU border and the part matched to contracted producers.

    ``path`` defaults to the scenario's ``corridor.export_path`` (an error when it has none),
    ``scenario`` to ``result.scenario``.

    * ``exported_mwh``: energy delivered into the landing node by the last link of ``path``
      in the path direction, after its losses (MW x snapshot weight);
    * ``contracted_at_border_mwh``: sum over contracted generators of output x product of the
      efficiencies of the links from the generator's node to the landing node;
    * ``nominated_at_border_mwh``: the least, over the path's links before the last, of the
      power flowing through the link in the path direction x the efficiencies from it to the
      landing node, plus contracted output that enters the path after that link (firm
      nomination of interconnection capacity on every border, Annex IV);
    * ``matched_mwh`` = min(exported, contracted at border, nominated at border);
      ``unmatched_mwh`` = the rest;
    * ``matched_share`` = matched / exported (NaN when nothing is exported).

    ``contracted``: generator ids (default: every renewable generator at the path's start
    node, whose country is the origin country of :func:`cbam_cost`).  Producers further
    down the path (e.g. Azerbaijani wind on the default corridor) may be named explicitly;
    they count with the efficiencies of the links from their node on.  Generators must sit
    on a node of the path other than the landing node.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    steps = resolve_path(scenario, default_path(scenario, path))
    eff_to_border = contracted_efficiencies(scenario, steps, contracted)
    fwd, bwd = directional_flows(result, scenario)
    w = weights(result)
    _, exported_mw = along_path(steps[-1], fwd, bwd)
    gen = result.hourly["generation_mw"]
    contracted_mw = pd.Series(0.0, index=gen.index)
    for gid, eff in eff_to_border.items():
        contracted_mw = contracted_mw + gen[gid] * eff
    position = producer_positions(scenario, steps, contracted)
    nominated_mw = pd.Series(np.inf, index=gen.index)
    for k, eff in border_bounds(steps):
        sent, _ = along_path(steps[k], fwd, bwd)
        back = bwd[steps[k].link] if steps[k].forward else fwd[steps[k].link]
        sent = (sent - back).clip(lower=0.0)  # net: flow sent back in the same hour nominates nothing
        later = pd.Series(0.0, index=gen.index)
        for gid, pos in position.items():
            if pos > k:
                later = later + gen[gid] * eff_to_border[gid]
        nominated_mw = np.minimum(nominated_mw, sent * eff + later)
    exported = exported_mw * w
    avail = contracted_mw * w
    nominated = (nominated_mw * w).where(np.isfinite(nominated_mw), exported)
    matched = np.minimum(np.minimum(exported, avail), nominated)
    df = pd.DataFrame({"exported_mwh": exported, "contracted_at_border_mwh": avail,
                       "nominated_at_border_mwh": nominated,
                       "matched_mwh": matched, "unmatched_mwh": exported - matched})
    df["matched_share"] = np.where(exported > 1e-9, matched / exported.where(exported > 1e-9, 1.0), np.nan)
    df.index.name = "snapshot"
    return df


def certificates(exported_mwh: float, default_t: float, matched_t: float, ets_price_eur_per_t: float) -> dict:
    """Certificate costs of embedded emissions under the default factor and with hourly matching,
    and the saving: t, EUR/yr and EUR per exported MWh (NaN when nothing is exported)."""
    saving_t = default_t - matched_t
    return {
        "ets_price_eur_per_t": float(ets_price_eur_per_t),
        "default_embedded_emissions_t": default_t,
        "default_certificate_cost_eur": default_t * ets_price_eur_per_t,
        "matched_embedded_emissions_t": matched_t,
        "matched_certificate_cost_eur": matched_t * ets_price_eur_per_t,
        "saving_t": saving_t,
        "saving_eur": saving_t * ets_price_eur_per_t,
        "saving_eur_per_mwh": saving_t * ets_price_eur_per_t / exported_mwh if exported_mwh > 0 else np.nan,
    }


def matching_shares(hourly: pd.DataFrame) -> pd.DataFrame:
    """Monthly and yearly totals of :func:`hourly_matching`.

    One row per calendar month (``period`` "YYYY-MM") and a last row ``period`` = "year";
    columns ``exported_mwh``, ``matched_mwh``, ``unmatched_mwh`` and ``matched_share`` =
    matched / exported of the period (NaN when nothing was exported).
    """
    cols = ["exported_mwh", "matched_mwh", "unmatched_mwh"]
    monthly = hourly[cols].groupby(hourly.index.strftime("%Y-%m")).sum()
    monthly.loc["year"] = hourly[cols].sum()
    monthly.index.name = "period"
    ex = monthly["exported_mwh"]
    monthly["matched_share"] = np.where(ex > 1e-9, monthly["matched_mwh"] / ex.where(ex > 1e-9, 1.0), np.nan)
    return monthly.reset_index()


def cbam_cost(result: Result, scenario: Scenario | None = None, path=None, *, contracted=None,
              default_factors: dict[str, dict] | None = None, origin_country: str | None = None,
              ets_price_eur_per_t: float = ETS_PRICE_EUR_PER_T) -> dict:
    """Embedded emissions and CBAM certificate cost of the exports along ``path``.

    (a) default: ``exported_mwh`` x the origin country's default factor;
    (b) actual for the matched share: ``matched_mwh`` x the contracted producers' actual
    intensity (their emissions_t / generation_mwh; 0 for renewables) + ``unmatched_mwh`` x the
    default factor.  Certificate cost = emissions x ``ets_price_eur_per_t``.  The saving is
    (a) - (b), in t, EUR/yr and EUR per exported MWh.

    ``path`` defaults to the scenario's ``corridor.export_path``, ``scenario`` to
    ``result.scenario``.  ``origin_country`` defaults to the country of the path's start node;
    its factor comes from ``default_factors``, a dict
    ``{country: {"t_per_mwh": float, "assumption": bool, "source": str}}``, by default the
    scenario's ``corridor.cbam_default_factors``, else (with a warning) the proxy values of the
    corridor data set's sourced table (:func:`cbam_default_factors`).  No factor for the origin
    country is an error that says so.  The result carries ``default_factor_is_assumption`` and a
    ``warnings`` list that says so.
    """
    scenario = scenario_of(result, scenario)
    path = default_path(scenario, path)
    fallback_note = None
    if default_factors is None:
        factors, fallback_note = cbam_default_factors(scenario)
    else:
        factors = default_factors
    steps = resolve_path(scenario, path)
    if origin_country is None:
        origin_country = {n.id: n.country for n in scenario.nodes}[steps[0].sending]
    if origin_country not in factors:
        raise SilkGridError(f"no default CBAM emission factor for origin country '{origin_country}' "
                            f"(known: {', '.join(sorted(factors)) or 'none'}); give one in default_factors or "
                            "in the scenario's corridor.cbam_default_factors")
    fac = factors[origin_country]
    default_f = float(fac["t_per_mwh"])
    assumption = bool(fac.get("assumption", True))
    h = hourly_matching(result, scenario, path, contracted=contracted)
    ids = list(contracted_efficiencies(scenario, steps, contracted))
    g = result.tables["generators"].set_index("id").loc[ids] if ids else None
    gen = float(g["generation_mwh"].sum()) if g is not None else 0.0
    actual_f = float(g["emissions_t"].sum()) / gen if gen > 0 else 0.0
    exported = float(h["exported_mwh"].sum())
    matched = float(h["matched_mwh"].sum())
    unmatched = exported - matched
    em_default = exported * default_f
    em_actual = matched * actual_f + unmatched * default_f
    warnings = []
    if assumption:
        warnings.append(f"the default emission factor for {origin_country} ({default_f} t/MWh) is an "
                        f"assumption: {fac.get('source', '')}".rstrip(": "))
    if fallback_note:
        warnings.append(fallback_note)
    return {
        "path": [s.link for s in steps],
        "origin_country": origin_country,
        "contracted_generators": ids,
        "exported_mwh": exported,
        "matched_mwh": matched,
        "unmatched_mwh": unmatched,
        "matched_share": matched / exported if exported > 0 else np.nan,
        "default_factor_t_per_mwh": default_f,
        "default_factor_is_assumption": assumption,
        "default_factor_source": fac.get("source", ""),
        "actual_factor_t_per_mwh": actual_f,
        **certificates(exported, em_default, em_actual, ets_price_eur_per_t),
        "warnings": warnings,
    }


# ----------------------------------------------------------------------------------------
# CBAM from the traced origin
# ----------------------------------------------------------------------------------------
#: The rule of :func:`traced_matching`, as the results state it.
MATCHING_RULE = (
    "energy landed in the EU in a snapshot counts as matched when flow tracing attributes it to a contracted "
    "renewable producer, and only up to the capacity that can be firmly nominated on every border it crosses: on "
    "each cross-border link, the net flow in the direction of use (a counter-flow in the same snapshot cannot be "
    "nominated); the matched part of the snapshot is scaled by the tightest border")


def cbam_origin_factors(result: Result, scenario: Scenario | None = None,
                        default_factors: dict[str, dict] | None = None) -> tuple[dict[str, dict], list[str]]:
    """Default emission factor per origin country for CBAM, and notes on where they come from.

    ``default_factors`` given: those.  Otherwise per country, in this order:

    1. ``given``: the scenario's ``corridor.cbam_default_factors`` entry marked ``assumption: false``
       (the official default of Implementing Regulation (EU) 2025/2621, once entered);
    2. ``computed``: the fossil-only intensity of the country's fleet in this result, emissions of
       its generators / generation of its fossil generators (carriers with CO2), the basis of the
       CBAM default in Regulation (EU) 2023/956 Annex IV 1(d); flagged as an assumption;
    3. ``proxy``: the scenario's assumed entry (e.g. the IFI operating margin), or without any
       entries the proxies of the ``corridor`` data set's table, for a country with no fossil
       generation in the result (e.g. a market node).

    Each entry: ``{"t_per_mwh", "assumption", "method", "source"}``.
    """
    scenario = scenario_of(result, scenario)
    if default_factors is not None:
        return ({c: {"method": "given", "assumption": True, "source": "", **f} for c, f in default_factors.items()},
                [])
    own = {c: f.model_dump() for c, f in corridor_of(scenario).cbam_default_factors.items()}
    notes = []
    proxies = own
    if not own:
        proxies, note = cbam_default_factors(scenario)
        notes.append(note)
    out = {c: {**f, "method": "proxy"} for c, f in proxies.items()}
    g = result.tables["generators"]
    co2 = {c.id: c.co2_t_per_mwh_th for c in scenario.carriers}
    fossil = g[g["carrier"].map(co2).fillna(0.0) > 0]
    by = fossil.groupby("country")[["emissions_t", "generation_mwh"]].sum()
    for c, r in by.iterrows():
        if r.generation_mwh > 0:
            out[str(c)] = {"t_per_mwh": float(r.emissions_t / r.generation_mwh), "assumption": True,
                           "method": "computed",
                           "source": (f"COMPUTED from this result, not the CBAM default: {c} fossil-only intensity = "
                                      f"{r.emissions_t:,.0f} t / {r.generation_mwh:,.0f} MWh of fossil generation "
                                      "(definition of Regulation (EU) 2023/956 Annex IV 1(d)); the electricity "
                                      "defaults of Implementing Regulation (EU) 2025/2621 were not retrieved")}
    for c, f in own.items():
        if not f.get("assumption", True):
            out[c] = {**f, "method": "given"}
    return out, notes


def _contracted_mask(trace: FlowTrace, contracted, destinations) -> np.ndarray:
    src = trace.sources
    if contracted is None:
        delivered = trace.weights_h @ trace.delivered_mw(destinations).to_numpy()
        return (src["renewable"] & src["kind"].isin(["generator", "storage"])).to_numpy() & (delivered > 0)
    ids = list(contracted)
    known = set(src.loc[src["kind"].isin(["generator", "storage"]), "id"])
    unknown = sorted(set(ids) - known)
    if unknown:
        raise SilkGridError(f"contracted producer(s) {unknown} are not generators or storage units of the result")
    return (src["id"].isin(ids) & src["kind"].isin(["generator", "storage"])).to_numpy()


def traced_matching(result: Result, scenario: Scenario | None = None, *, trace: FlowTrace | None = None,
                    contracted=None, destinations="eu_border") -> pd.DataFrame:
    """Per snapshot: energy landed in the EU and the part that is hourly matched (:data:`MATCHING_RULE`).

    * ``exported_mwh``: energy landed into ``destinations`` (default: the EU border arcs of
      :func:`~silkgrid.analysis.tracing.trace_flows`), after losses;
    * ``contracted_mwh``: the part traced to contracted producers (``contracted``: generator or
      storage ids; default: every renewable generator, and reservoir that cannot charge from the
      grid, that the tracing finds delivering into the EU over the horizon);
    * ``nominated_share``: min over the cross-border links the contracted energy crosses of
      min(1, net flow of the link in that direction / contracted energy sent into it); 1 when
      it crosses none;
    * ``matched_mwh`` = contracted x nominated share; ``unmatched_mwh`` = the rest;
      ``matched_share`` = matched / exported (NaN when nothing is landed).
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    trace = trace if trace is not None else trace_flows(result, scenario)
    mask = _contracted_mask(trace, contracted, destinations)
    w = trace.weights_h
    delivered = trace.delivered_mw(destinations).to_numpy()
    exported = delivered.sum(axis=1) * w
    contracted_mwh = delivered[:, mask].sum(axis=1) * w
    ratio = _nominated_share(trace, destinations, mask)
    matched = contracted_mwh * ratio
    df = pd.DataFrame({"exported_mwh": exported, "contracted_mwh": contracted_mwh, "nominated_share": ratio,
                       "matched_mwh": matched, "unmatched_mwh": exported - matched},
                      index=trace.snapshots.rename("snapshot"))
    df["matched_share"] = np.where(exported > 1e-9, matched / np.where(exported > 1e-9, exported, 1.0), np.nan)
    return df


def _nominated_share(trace: FlowTrace, destinations, mask: np.ndarray) -> np.ndarray:
    """(T,): the nomination bound of :func:`traced_matching` per snapshot."""
    T = len(trace.snapshots)
    if not mask.any():
        return np.ones(T)
    use = trace._arc_use(destinations, mask)  # (T, A) contracted MW sent into each arc
    links = trace.links
    border = (links["from_country"] != links["to_country"]).to_numpy()[trace.arc_link]
    # the arc of the same link in the other direction: arcs come in (forward, backward) pairs
    other = np.arange(len(trace.arc_link)) ^ 1
    net = np.clip(trace.arc_mw - trace.arc_mw[:, other], 0.0, None)
    used = (use > 1e-9) & border[None, :]
    ratio = np.where(used, np.minimum(1.0, np.divide(net, use, out=np.ones_like(use), where=used)), 1.0)
    return ratio.min(axis=1) if ratio.shape[1] else np.ones(T)


def traced_cbam(result: Result, scenario: Scenario | None = None, *, trace: FlowTrace | None = None,
                contracted=None, default_factors: dict[str, dict] | None = None,
                ets_price_eur_per_t: float = ETS_PRICE_EUR_PER_T, destinations="eu_border") -> dict:
    """Embedded emissions and CBAM certificate cost of the energy landed in the EU, by traced origin.

    Per snapshot and source: delivered energy (:func:`traced_matching`'s tracing) x the default
    factor of the source's country (:func:`cbam_origin_factors`); energy of EU origin (a source
    in an EU country, e.g. re-entering EU energy) carries none.  (a) default: all energy at its
    origin's default; (b) with matching: matched energy at the contracted producer's actual
    intensity (its emissions_t / generation_mwh; 0 for renewables) + the rest at the default.
    Certificates = emissions x ``ets_price_eur_per_t``; saving = (a) - (b).

    Returns ``exported_mwh``, ``matched_mwh``, ``unmatched_mwh``, ``matched_share``,
    ``origin_countries`` (country -> delivered_mwh, share, factor, method, assumption, source),
    ``default_factor_t_per_mwh`` (the energy-weighted mean of the origins' factors),
    ``default_factor_is_assumption`` (any factor used is one), the emissions and certificate
    costs, ``contracted_generators``, ``matching_rule`` and ``warnings``.
    """
    require_plan(result)
    scenario = scenario_of(result, scenario)
    trace = trace if trace is not None else trace_flows(result, scenario)
    factors, notes = cbam_origin_factors(result, scenario, default_factors)
    mask = _contracted_mask(trace, contracted, destinations)
    h = traced_matching(result, scenario, trace=trace, contracted=list(trace.sources["id"][mask]),
                        destinations=destinations)
    w = trace.weights_h[:, None]
    dl = trace.delivered_mw(destinations).to_numpy() * w  # (T, S) MWh
    src = trace.sources
    eu = {n.country for n in scenario.nodes if n.id in set(corridor_of(scenario).eu_nodes)}
    eu_src = (src["country"].isin(eu) | (src["kind"] == "eu_border")).to_numpy()
    by_src = dl.sum(axis=0)
    missing = sorted({c for c, e, x in zip(src["country"], eu_src, by_src) if x > 0 and not e and c not in factors})
    if missing:
        raise SilkGridError(f"no default CBAM emission factor for origin country/countries {missing} (known: "
                            f"{', '.join(sorted(factors)) or 'none'}); give one in default_factors or in the "
                            "scenario's corridor.cbam_default_factors")
    f = np.array([0.0 if e else factors.get(c, {"t_per_mwh": 0.0})["t_per_mwh"]
                  for c, e in zip(src["country"], eu_src)])
    gtab = result.tables["generators"].set_index("id")
    actual = np.array([float(gtab.loc[i, "emissions_t"] / gtab.loc[i, "generation_mwh"])
                       if k == "generator" and m and gtab.loc[i, "generation_mwh"] > 0 else 0.0
                       for i, k, m in zip(src["id"], src["kind"], mask)])
    matched_src = dl * mask[None, :] * h["nominated_share"].to_numpy()[:, None]
    em_default = float((dl @ f).sum())
    em_matched = float((matched_src @ actual).sum() + ((dl - matched_src) @ f).sum())
    exported, matched = float(h["exported_mwh"].sum()), float(h["matched_mwh"].sum())
    countries = {}
    for c in sorted(set(src["country"][by_src > 0])):
        sel = (src["country"] == c).to_numpy()
        x = float(by_src[sel].sum())
        fac = factors.get(c) if not eu_src[sel].all() else None
        countries[c] = {"delivered_mwh": x, "share": x / exported if exported > 0 else np.nan,
                        "factor_t_per_mwh": fac["t_per_mwh"] if fac else 0.0,
                        "method": fac["method"] if fac else "EU origin (no CBAM)",
                        "assumption": bool(fac["assumption"]) if fac else False,
                        "source": fac.get("source", "") if fac else ""}
    used = [v for v in countries.values() if v["delivered_mwh"] > 0 and v["method"] != "EU origin (no CBAM)"]
    warnings = list(notes)
    for c, v in countries.items():
        if v["assumption"]:
            warnings.append(f"the CBAM default factor for {c} ({v['factor_t_per_mwh']:.3f} t/MWh) is an assumption: "
                            f"{v['source']}")
    if len(trace.snapshots) and float(np.median(trace.weights_h)) > 1:
        warnings.append("matching is per snapshot, coarser than the hourly condition of Annex IV: it overstates "
                        "the matched share")
    return {
        "origin": "traced (proportional sharing)",
        "destinations": list(trace.destinations["id"].iloc[trace.select(destinations)]),
        "contracted_generators": list(src["id"][mask]),
        "matching_rule": MATCHING_RULE,
        "exported_mwh": exported,
        "matched_mwh": matched,
        "unmatched_mwh": exported - matched,
        "matched_share": matched / exported if exported > 0 else np.nan,
        "origin_countries": countries,
        "default_factor_t_per_mwh": em_default / exported if exported > 0 else np.nan,
        "default_factor_is_assumption": any(v["assumption"] for v in used),
        **certificates(exported, em_default, em_matched, ets_price_eur_per_t),
        "warnings": warnings,
    }
