"""Counterfactual without the new corridor links: CO2 avoided (in region and EU side) and abatement cost.

The counterfactual is the same scenario with the new cross-border corridor links held at their
existing capacity: the scenario's ``corridor.counterfactual_links`` (on the ``corridor`` data
set the two sea cables), or every extendable link when it names none.  Everything else
(generation and storage expansion, domestic reinforcements, markets, policies) stays free.
CO2 avoided in the modelled region and emissions displaced on the EU side are reported
separately; their sum is labelled as such.  Definitions: ``docs/analysis.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from silkgrid.core.errors import SilkGridError
from silkgrid.results import Result, solve
from silkgrid.scenario.schema import Corridor, Scenario

#: Written by ``silkgrid run --counterfactual`` next to ``summary.json``.
COUNTERFACTUAL_FILE = "counterfactual.json"
#: CO2 avoided at or below this (t/yr) counts as none: no abatement cost (solver round-off).
AVOIDED_FLOOR_T = 1e-6


def counterfactual_links(scenario: Scenario) -> tuple[list[str] | None, str]:
    """(links the default counterfactual fixes, or None for every extendable link; how they were chosen).

    Links of ``corridor.counterfactual_links`` that the scenario does not have are left out, and
    the text says so.
    """
    sec = scenario.corridor if scenario.corridor is not None else Corridor()
    if sec.counterfactual_links:
        present = {ln.id for ln in scenario.links}
        links = [lid for lid in sec.counterfactual_links if lid in present]
        absent = [lid for lid in sec.counterfactual_links if lid not in present]
        how = "the scenario's corridor.counterfactual_links"
        if absent:
            how += (f"; {', '.join(absent)} not in this scenario (e.g. not yet available in its year), so "
                    "nothing to remove there")
        return links, how
    return None, ("the scenario names no corridor.counterfactual_links: every extendable link is fixed, "
                  "domestic reinforcements included")


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
    """A copy of ``scenario`` in which the new corridor links cannot be built.

    For every extendable link named in ``links`` (default: :func:`counterfactual_links`, i.e. the
    scenario's ``corridor.counterfactual_links``, or every extendable link when it names none)
    ``max_capacity_mw`` is set to its existing ``capacity_mw`` (and ``min_capacity_mw`` lowered
    to it where it was above).  The input is not changed.
    """
    if links is None:
        links, _ = counterfactual_links(scenario)
    fixed = set(_fixed_links(scenario, links))
    sc = scenario.model_copy(deep=True)
    sc.links = [ln.model_copy(update={"max_capacity_mw": ln.capacity_mw,
                                      "min_capacity_mw": min(ln.min_capacity_mw, ln.capacity_mw)})
                if ln.id in fixed else ln for ln in sc.links]
    sc.name = f"{scenario.name} (no new links)"
    sc.source_file = scenario.source_file
    return sc


def _net_sales_mwh(result: Result, markets: Sequence[str]) -> dict[str, float]:
    m = result.tables["markets"].set_index("id")
    return {mid: float(m.loc[mid, "sold_mwh"] - m.loc[mid, "bought_mwh"]) for mid in markets}


def _eu_side(scenario: Scenario, markets: Sequence[str] | None, factor: float | None) -> tuple[dict, list[str]]:
    """{country: (markets, factor entry or None)} of the EU side, and notes."""
    sec = scenario.corridor if scenario.corridor is not None else Corridor()
    ids = [m.id for m in scenario.markets]
    notes = []
    if markets is None:
        if sec.eu_markets:
            markets = [m for m in sec.eu_markets if m in ids]
        else:
            markets = ids
            if factor is not None and ids:
                notes.append("the scenario names no corridor.eu_markets: every market counts as EU side")
    unknown = sorted(set(markets) - set(ids))
    if unknown:
        raise SilkGridError(f"unknown market id(s) {unknown}; markets are {sorted(ids)}")
    country = {n.id: n.country for n in scenario.nodes}
    node = {m.id: m.node for m in scenario.markets}
    out: dict[str, tuple[list[str], dict | None]] = {}
    for mid in markets:
        c = country[node[mid]]
        if factor is not None:
            fac = {"t_per_mwh": float(factor), "assumption": True, "source": "given (--eu-displaced-factor)"}
        elif c in sec.eu_displaced_factors:
            fac = sec.eu_displaced_factors[c].model_dump()
        else:
            fac = None
        out.setdefault(c, ([], fac))[0].append(mid)
    missing = [c for c, (_, f) in out.items() if f is None]
    if missing:
        notes.append(f"no EU-side displacement factor for {', '.join(missing)} (corridor.eu_displaced_factors): "
                     "its deliveries are not counted")
    return out, notes


def co2_avoided(scenario: Scenario | None = None, solve_fn: Callable[[Scenario], Result] | None = None, *,
                result: Result | None = None, eu_displaced_factor_t_per_mwh: float | None = None,
                markets: Sequence[str] | None = None, links: Sequence[str] | None = None) -> dict:
    """CO2 avoided by the new corridor links, in the region and on the EU side, and the abatement cost.

    Solves ``scenario`` (unless its ``result`` is given) and :func:`counterfactual_scenario`
    with ``links`` fixed (default: :func:`counterfactual_links`) using ``solve_fn`` (default
    :func:`silkgrid.solve`).  ``scenario`` may be left out when ``result`` carries it.

    * ``co2_avoided_in_region_t`` = emissions of the modelled region's generators without -
      with the links, t/yr (``emissions_with_t`` / ``emissions_without_t``);
    * EU side, per EU country (``eu_side_by_country``): additional net deliveries into it =
      net sales (sold - bought) into its EU ``markets`` (default: ``corridor.eu_markets``; a
      scenario without them: every market) with - without the links, MWh/yr, x that country's
      factor (``corridor.eu_displaced_factors``, or ``eu_displaced_factor_t_per_mwh`` for every
      country); ``eu_displaced_t`` their sum (``None`` when no factor applies: not counted);
    * ``co2_avoided_t`` = ``co2_avoided_in_region_t`` + ``eu_displaced_t`` when counted, labelled
      by ``co2_avoided_t_is`` -- the two are never netted without saying so;
    * ``cost_with_eur`` / ``cost_without_eur``: total system cost (market revenue counts as
      negative cost); ``cost_difference_eur`` = with - without;
    * ``abatement_cost_eur_per_t`` = cost difference / ``co2_avoided_t`` and
      ``abatement_cost_in_region_eur_per_t`` = cost difference / in-region CO2 avoided; ``None``
      where the CO2 avoided is <= 0 (``AVOIDED_FLOOR_T``).

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
    notes: list[str] = []
    if links is None:
        links, how = counterfactual_links(scenario)
    else:
        how = "the links given"
    fixed = _fixed_links(scenario, links)
    eu, eu_notes = _eu_side(scenario, markets, eu_displaced_factor_t_per_mwh)
    notes += eu_notes
    with_ = result if result is not None else solve_fn(scenario)
    if fixed:
        without = solve_fn(counterfactual_scenario(scenario, fixed))
    else:  # nothing to remove: the counterfactual is the scenario itself
        without = with_
        notes.append("no extendable link to hold back: the counterfactual is the scenario itself")
    out: dict = {
        "definition": ("in region: emissions of the modelled region's generators; EU side: additional net "
                       "deliveries into each EU country's markets x that country's displacement factor; "
                       "reported separately"),
        "counterfactual": how,
        "links_fixed": fixed,
        "status_with": with_.status, "status_without": without.status,
        "emissions_with_t": None, "emissions_without_t": None, "co2_avoided_in_region_t": None,
        "net_exports_with_mwh": None, "net_exports_without_mwh": None,
        "eu_displaced_factor_t_per_mwh": eu_displaced_factor_t_per_mwh, "eu_side_by_country": {},
        "eu_displaced_t": None, "co2_avoided_t": None, "co2_avoided_t_is": None,
        "cost_with_eur": None, "cost_without_eur": None, "cost_difference_eur": None,
        "abatement_cost_eur_per_t": None, "abatement_cost_in_region_eur_per_t": None, "notes": notes,
    }
    if not (with_.optimal and without.optimal):
        for label, r in (("with new links", with_), ("without new links", without)):
            if not r.optimal:
                notes.append(f"the solve {label} is not optimal ({r.status}): {r.message}")
        return out
    e_with = float(with_.tables["generators"]["emissions_t"].sum())
    e_without = float(without.tables["generators"]["emissions_t"].sum())
    avoided_region = e_without - e_with
    by_country, displaced, x_with, x_without = {}, None, 0.0, 0.0
    for c, (mids, fac) in eu.items():
        sw, so = sum(_net_sales_mwh(with_, mids).values()), sum(_net_sales_mwh(without, mids).values())
        x_with, x_without = x_with + sw, x_without + so
        row = {"markets": mids, "net_delivery_with_mwh": sw, "net_delivery_without_mwh": so,
               "additional_mwh": sw - so, "factor_t_per_mwh": None, "factor_assumption": None,
               "factor_source": None, "displaced_t": None}
        if fac is not None:
            row.update(factor_t_per_mwh=fac["t_per_mwh"], factor_assumption=fac.get("assumption", True),
                       factor_source=fac.get("source", ""), displaced_t=(sw - so) * fac["t_per_mwh"])
            displaced = (displaced or 0.0) + row["displaced_t"]
        by_country[c] = row
    if displaced is None and eu_displaced_factor_t_per_mwh is not None:
        displaced = 0.0
    if displaced is None and eu:
        notes.append("EU-side displaced emissions are not counted (no factor): CO2 avoided is in-region only")
    avoided = avoided_region + (displaced or 0.0)
    diff = with_.total_cost_eur - without.total_cost_eur
    out.update({
        "emissions_with_t": e_with, "emissions_without_t": e_without, "co2_avoided_in_region_t": avoided_region,
        "net_exports_with_mwh": x_with, "net_exports_without_mwh": x_without, "eu_side_by_country": by_country,
        "eu_displaced_t": displaced, "co2_avoided_t": avoided,
        "co2_avoided_t_is": ("sum of co2_avoided_in_region_t and eu_displaced_t" if displaced is not None
                             else "co2_avoided_in_region_t only (EU side not counted)"),
        "cost_with_eur": with_.total_cost_eur, "cost_without_eur": without.total_cost_eur,
        "cost_difference_eur": diff,
        "abatement_cost_eur_per_t": diff / avoided if avoided > AVOIDED_FLOOR_T else None,
        "abatement_cost_in_region_eur_per_t": diff / avoided_region if avoided_region > AVOIDED_FLOOR_T else None,
    })
    if avoided <= AVOIDED_FLOOR_T:
        notes.append("no CO2 is avoided within the counted boundary, so no abatement cost is given")
    return out
