"""Ex-post analysis of a :class:`~silkgrid.results.Result`: costs, exports, market, CBAM.

Every function is pure: ``f(result, scenario, ...)`` -> pandas DataFrame or dict, with
units in the column/key names (``_mwh``, ``_eur``, ``_eur_per_mwh``, ``_t``, ``_h``).
``scenario`` defaults to ``result.scenario`` (the scenario the result was solved from); the
export path, EU nodes and markets and CBAM default factors default to its ``corridor:``
section.  Definitions and formulas: ``docs/analysis.md``.
"""

from silkgrid.analysis._common import directional_flows, export_path, resolve_path
from silkgrid.analysis.cbam import (ETS_PRICE_EUR_PER_T, cbam_cost, cbam_default_factors, hourly_matching,
                                   matching_shares)
from silkgrid.analysis.counterfactual import co2_avoided, counterfactual_scenario
from silkgrid.analysis.costs import (cost_by_country, cost_by_node_technology, cost_components, curtailment,
                                     emissions, unserved_energy)
from silkgrid.analysis.exports import (delivered_cost, delivery_duration_curve, eu_deliveries, hourly_eu_delivery,
                                       link_utilisation)
from silkgrid.analysis.market import (capture_prices, congestion_rent, export_revenue, price_duration_curves,
                                      price_statistics)

__all__ = [
    "ETS_PRICE_EUR_PER_T", "capture_prices", "cbam_cost", "cbam_default_factors", "co2_avoided", "congestion_rent",
    "cost_by_country", "cost_by_node_technology", "cost_components", "counterfactual_scenario", "curtailment",
    "delivered_cost", "delivery_duration_curve", "directional_flows", "emissions", "eu_deliveries", "export_path",
    "export_revenue", "hourly_eu_delivery", "hourly_matching", "link_utilisation", "matching_shares",
    "price_duration_curves", "price_statistics", "resolve_path", "unserved_energy",
]
