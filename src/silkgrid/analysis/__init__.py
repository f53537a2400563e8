"""Ex-post analysis of a :class:`~silkgrid.results.Result`: costs, balances, exports, tracing, market, CBAM.

Every function is pure: ``f(result, scenario, ...)`` -> pandas DataFrame or dict, with
units in the column/key names (``_mwh``, ``_eur``, ``_eur_per_mwh``, ``_t``, ``_h``).
``scenario`` defaults to ``result.scenario`` (the scenario the result was solved from); the
EU nodes and markets, the counterfactual links and the emission factors default to its
``corridor:`` section.  Delivered cost and CBAM follow the traced origin of the energy landed
in the EU (flow tracing by proportional sharing).  Definitions and formulas: ``docs/analysis.md``.
"""

from silkgrid.analysis._common import directional_flows, export_path, resolve_path
from silkgrid.analysis.balances import country_balance, country_emissions, country_exchanges
from silkgrid.analysis.cbam import (ETS_PRICE_EUR_PER_T, MATCHING_RULE, cbam_cost, cbam_default_factors,
                                    cbam_origin_factors, hourly_matching, matching_shares, traced_cbam,
                                    traced_matching)
from silkgrid.analysis.counterfactual import co2_avoided, counterfactual_links, counterfactual_scenario
from silkgrid.analysis.costs import (cost_by_country, cost_by_node_technology, cost_components, curtailment,
                                     emissions, unserved_energy)
from silkgrid.analysis.exports import (delivered_cost, delivered_cost_by_source, delivery_duration_curve,
                                       eu_deliveries, hourly_eu_delivery, link_utilisation, path_delivered_cost)
from silkgrid.analysis.market import (capture_prices, congestion_rent, export_revenue, price_duration_curves,
                                      price_statistics)
from silkgrid.analysis.tracing import (FlowTrace, origin_mix, proportional_sharing, trace_flows, traced_hourly,
                                       traced_link_use, traced_sources)

__all__ = [
    "ETS_PRICE_EUR_PER_T", "FlowTrace", "MATCHING_RULE", "capture_prices", "cbam_cost", "cbam_default_factors",
    "cbam_origin_factors", "co2_avoided", "congestion_rent", "cost_by_country", "cost_by_node_technology",
    "cost_components", "counterfactual_links", "country_balance", "country_emissions", "country_exchanges", "counterfactual_scenario", "curtailment", "delivered_cost",
    "delivered_cost_by_source", "delivery_duration_curve", "directional_flows", "emissions", "eu_deliveries",
    "export_path", "export_revenue", "hourly_eu_delivery", "hourly_matching", "link_utilisation",
    "matching_shares", "origin_mix", "path_delivered_cost", "price_duration_curves", "price_statistics",
    "proportional_sharing", "resolve_path", "trace_flows", "traced_cbam", "traced_hourly", "traced_link_use",
    "traced_matching", "traced_sources", "unserved_energy",
]
