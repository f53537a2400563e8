"""Counterfactual without new corridor links: CO2 avoided and implied abatement cost.

The counterfactual is the same scenario with every extendable link held at its existing
capacity (no new transmission is built); everything else (generation and storage
expansion, markets, policies) stays free.  Definitions: ``docs/analysis.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result, solve
from silkgrid.scenario.schema import Scenario

#: Written by ``silkgrid run --counterfactual`` next to ``summary.json``.
COUNTERFACTUAL_FILE = "counterfactual.json"
#: CO2 avoided at or below this (t/yr) counts as none: no abatement cost (solver round-off).
AVOIDED_FLOOR_T = 1e-6


def _fixed_links(scenario: Scenario, links: Sequence[str] | None) -> list[str]:
    """Ids of the extendable links the counterfactual holds at their existing capacity."""
    extendable = [ln.id for ln in scenario.links if ln.extendable]
    if links is None:
        return extendable
    unknown = sorted(set(links) - {ln.id for ln in scenario.links})
    if unknown:
        raise SilkGridError(f"unknown link id(s) {unknown} for the counterfactual; "
                            f"extendable links are {extendable}")
    return [lid for lid in extendable if lid in set(links)]


def counterfactual_scenario(scenario: Scenario, links: Sequence[str] | None = None) -> Scenario:
    """A copy of ``scenario`` in which no new link capacity can be built.

    For every extendable link (or only those named in ``links``) ``max_capacity_mw`` is set
    to its existing ``capacity_mw`` (and ``min_capacity_mw`` lowered to it where it was
    above).  The input is not changed.
    """
    fixed = set(_fixed_links(scenario, links))
    sc = scenario.model_copy(deep=True)
    sc.links = [ln.model_copy(update={"max_capacity_mw": ln.capacity_mw,
                                      "min_capacity_mw": min(ln.min_capacity_mw, ln.capacity_mw)})
                if ln.id in fixed else ln for ln in sc.links]
    sc.name = f"{scenario.name} (no new links)"
    sc.source_file = scenario.source_file
    return sc


def _net_exports_mwh(result: Result, markets: Sequence[str] | None) -> float:
    m = result.tables["markets"]
    if markets is not None:
        unknown = sorted(set(markets) - set(m["id"]))
        if unknown:
            raise SilkGridError(f"unknown market id(s) {unknown}; markets are {sorted(m['id'])}")
        m = m[m["id"].isin(list(markets))]
    return float((m["sold_mwh"] - m["bought_mwh"]).sum())


def co2_avoided(scenario: Scenario | None = None, solve_fn: Callable[[Scenario], Result] | None = None, *,
                result: Result | None = None, eu_displaced_factor_t_per_mwh: float | None = None,
                markets: Sequence[str] | None = None, links: Sequence[str] | None = None) -> dict:
    """CO2 avoided by the new links and the implied abatement cost.

    Solves ``scenario`` (unless its ``result`` is given) and :func:`counterfactual_scenario`
    (all extendable links fixed, or only ``links``) with ``solve_fn`` (default
    :func:`silkgrid.solve`).  ``scenario`` may be left out when ``result`` is given: it is then
    ``result.scenario``.

    * ``emissions_with_t`` / ``emissions_without_t``: emissions of the generators of the
      modelled region (the system boundary of the model), t/yr, with / without new links;
    * ``co2_avoided_in_region_t`` = without - with.  It can be negative: with the corridor,
      renewable output may be exported while domestic demand is served by fossil plants;
    * ``eu_displaced_t`` = (net exports with - net exports without) x
      ``eu_displaced_factor_t_per_mwh`` (emissions the exports displace in the importing
      market); ``None`` when no factor is given: displaced emissions outside the region are
      then **not** counted.  Net exports = sold - bought over ``markets`` (default: all);
    * ``co2_avoided_t`` = in region + displaced (when counted);
    * ``cost_with_eur`` / ``cost_without_eur``: total system cost (market revenue counts
      as negative cost), EUR/yr; ``cost_difference_eur`` = with - without (negative: the
      links lower the system cost);
    * ``abatement_cost_eur_per_t`` = cost difference / CO2 avoided; ``None`` when the CO2
      avoided is <= 0 (``AVOIDED_FLOOR_T``) (a cost per tonne is meaningless then).

    A non-optimal solve leaves the figures ``None``; ``status_with`` / ``status_without``
    and ``notes`` say why.
    """
    if solve_fn is None:
        solve_fn = solve
    if scenario is None:
        if result is None or result.scenario is None:
            raise SilkGridError("co2_avoided needs the scenario, or a result that carries it")
        scenario = result.scenario
    if eu_displaced_factor_t_per_mwh is not None and eu_displaced_factor_t_per_mwh < 0:
        raise SilkGridError("eu_displaced_factor_t_per_mwh must be >= 0")
    fixed = _fixed_links(scenario, links)
    with_ = result if result is not None else solve_fn(scenario)
    cf_sc = counterfactual_scenario(scenario, fixed)
    without = solve_fn(cf_sc)
    out: dict = {
        "definition": ("emissions of the modelled region's generators (system boundary of the model); "
                       "emissions displaced in importing markets are counted only when "
                       "eu_displaced_factor_t_per_mwh is given"),
        "counterfactual": "the links_fixed held at their existing capacity (no new link capacity)",
        "links_fixed": fixed,
        "status_with": with_.status, "status_without": without.status,
        "emissions_with_t": None, "emissions_without_t": None, "co2_avoided_in_region_t": None,
        "net_exports_with_mwh": None, "net_exports_without_mwh": None,
        "eu_displaced_factor_t_per_mwh": eu_displaced_factor_t_per_mwh, "eu_displaced_t": None,
        "co2_avoided_t": None, "cost_with_eur": None, "cost_without_eur": None,
        "cost_difference_eur": None, "abatement_cost_eur_per_t": None, "notes": [],
    }
    if not (with_.optimal and without.optimal):
        for label, r in (("with new links", with_), ("without new links", without)):
            if not r.optimal:
                out["notes"].append(f"the solve {label} is not optimal ({r.status}): {r.message}")
        return out
    e_with = float(with_.tables["generators"]["emissions_t"].sum())
    e_without = float(without.tables["generators"]["emissions_t"].sum())
    x_with, x_without = _net_exports_mwh(with_, markets), _net_exports_mwh(without, markets)
    avoided_region = e_without - e_with
    displaced = (None if eu_displaced_factor_t_per_mwh is None
                 else (x_with - x_without) * eu_displaced_factor_t_per_mwh)
    avoided = avoided_region + (displaced or 0.0)
    diff = with_.total_cost_eur - without.total_cost_eur
    out.update({
        "emissions_with_t": e_with, "emissions_without_t": e_without, "co2_avoided_in_region_t": avoided_region,
        "net_exports_with_mwh": x_with, "net_exports_without_mwh": x_without, "eu_displaced_t": displaced,
        "co2_avoided_t": avoided, "cost_with_eur": with_.total_cost_eur, "cost_without_eur": without.total_cost_eur,
        "cost_difference_eur": diff, "abatement_cost_eur_per_t": diff / avoided if avoided > AVOIDED_FLOOR_T else None,
    })
    if avoided <= AVOIDED_FLOOR_T:
        out["notes"].append("no CO2 is avoided within the counted boundary, so no abatement cost is given")
    return out
