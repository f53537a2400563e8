"""CBAM for exported electricity: hourly matching and certificate cost (ex post).

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
        "ets_price_eur_per_t": float(ets_price_eur_per_t),
        "default_embedded_emissions_t": em_default,
        "default_certificate_cost_eur": em_default * ets_price_eur_per_t,
        "matched_embedded_emissions_t": em_actual,
        "matched_certificate_cost_eur": em_actual * ets_price_eur_per_t,
        "saving_t": em_default - em_actual,
        "saving_eur": (em_default - em_actual) * ets_price_eur_per_t,
        "saving_eur_per_mwh": (em_default - em_actual) * ets_price_eur_per_t / exported if exported > 0 else np.nan,
        "warnings": warnings,
    }
