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

from silkgrid.analysis._common import CORRIDOR_PATH, along_path, directional_flows, require_plan, weights
from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result
from silkgrid.scenario.paths import border_bounds, contracted_efficiencies, producer_positions, resolve_path
from silkgrid.scenario.schema import Scenario

#: EU ETS allowance price used for CBAM certificates when none is given, EUR/t: the 2024
#: average (domain-facts §5.1, Veyt).  An assumption for any future year.
ETS_PRICE_EUR_PER_T = 67.0

_PROXY = ("ASSUMPTION - proxy, not the CBAM default: IFI harmonised grid operating margin 2021 "
          "(data/corridor/emission_factors.csv, ifi_grid_factors); the CBAM default values of "
          "Implementing Regulation (EU) 2025/2621 were not retrieved (domain-facts §5.1)")

#: Default CBAM emission factor per origin country, tCO2/MWh.  ``assumption`` is True for
#: every value here: replace them with the values of IR (EU) 2025/2621 when available.
DEFAULT_EMISSION_FACTORS: dict[str, dict] = {
    "KZ": {"t_per_mwh": 0.797, "assumption": True, "source": _PROXY},
    "UZ": {"t_per_mwh": 0.612, "assumption": True, "source": _PROXY},
    "AZ": {"t_per_mwh": 0.534, "assumption": True, "source": _PROXY},
    "GE": {"t_per_mwh": 0.289, "assumption": True, "source": _PROXY},
    "TR": {"t_per_mwh": 0.376, "assumption": True, "source": _PROXY},
}


def hourly_matching(result: Result, scenario: Scenario, path=CORRIDOR_PATH, *, contracted=None) -> pd.DataFrame:
    """Per snapshot: exported energy at the EU border and the part matched to contracted producers.

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
    steps = resolve_path(scenario, path)
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


def cbam_cost(result: Result, scenario: Scenario, path=CORRIDOR_PATH, *, contracted=None,
              default_factors: dict[str, dict] | None = None, origin_country: str | None = None,
              ets_price_eur_per_t: float = ETS_PRICE_EUR_PER_T) -> dict:
    """Embedded emissions and CBAM certificate cost of the exports along ``path``.

    (a) default: ``exported_mwh`` x the origin country's default factor;
    (b) actual for the matched share: ``matched_mwh`` x the contracted producers' actual
    intensity (their emissions_t / generation_mwh; 0 for renewables) + ``unmatched_mwh`` x the
    default factor.  Certificate cost = emissions x ``ets_price_eur_per_t``.  The saving is
    (a) - (b), in t, EUR/yr and EUR per exported MWh.

    ``origin_country`` defaults to the country of the path's start node; its factor comes
    from ``default_factors`` (default :data:`DEFAULT_EMISSION_FACTORS`), a dict
    ``{country: {"t_per_mwh": float, "assumption": bool, "source": str}}``.  The result
    carries ``default_factor_is_assumption`` and a ``warnings`` list that says so.
    """
    factors = DEFAULT_EMISSION_FACTORS if default_factors is None else default_factors
    steps = resolve_path(scenario, path)
    if origin_country is None:
        origin_country = {n.id: n.country for n in scenario.nodes}[steps[0].sending]
    if origin_country not in factors:
        raise SilkGridError(f"no default CBAM emission factor for origin country '{origin_country}'; "
                            f"give one in default_factors (known: {sorted(factors)})")
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
