"""All corridor metrics of one result, as tables and headline answers, written next to the result.

:func:`corridor_metrics` gathers the functions of this package; :func:`write_metrics` stores
them as ``DIR/metrics/<name>.csv`` plus ``DIR/metrics.json`` (the headline answers, with the
CO2-avoided figures of ``counterfactual.json`` when the directory has one), so the answers
exist as files as well as in Python and in the CLI.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from silkgrid.analysis._common import corridor_of, scenario_of
from silkgrid.analysis.cbam import matching_shares, traced_cbam, traced_matching
from silkgrid.analysis.costs import cost_by_country, cost_by_node_technology, curtailment, emissions
from silkgrid.analysis.counterfactual import COUNTERFACTUAL_FILE
from silkgrid.analysis.exports import (delivered_cost, delivered_cost_by_source, delivery_duration_curve,
                                       eu_deliveries, link_utilisation)
from silkgrid.analysis.market import capture_prices, congestion_rent, price_statistics
from silkgrid.analysis.tracing import origin_mix, trace_flows, traced_hourly, traced_link_use
from silkgrid.analysis.weather_years import by_year, spread
from silkgrid.core.files import write_text_atomic
from silkgrid.core.errors import SilkGridError
from silkgrid.core.jsonsafe import clean
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario


def corridor_metrics(result: Result, scenario: Scenario | None = None) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Headline answers (JSON-ready dict) and metric tables of an optimal result.

    ``scenario`` defaults to ``result.scenario``.  The EU nodes are the scenario's
    ``corridor.eu_nodes`` present in it.  Delivered cost and CBAM come from flow tracing
    (:mod:`silkgrid.analysis.tracing`) of what lands in the EU; they are skipped with the
    reason in ``answers["notes"]`` when the scenario names no EU nodes or nothing lands.
    """
    scenario = scenario_of(result, scenario)
    tables: dict[str, pd.DataFrame] = {
        "cost_by_node_technology": cost_by_node_technology(result, scenario),
        "cost_by_country": cost_by_country(result, scenario),
        "curtailment": curtailment(result),
        "emissions": emissions(result),
        "link_utilisation": link_utilisation(result, scenario),
        "price_statistics": price_statistics(result),
        "capture_prices": capture_prices(result, scenario),
        "congestion_rent": congestion_rent(result, scenario),
    }
    answers: dict = {"notes": []}
    if scenario.time.years and len(scenario.time.years) > 1:  # one design over several weather years
        per_year = by_year(result, scenario)
        tables["weather_years"] = per_year
        tables["weather_year_spread"] = spread(per_year)
        answers["weather_years"] = clean({"years": list(scenario.time.years),
                                          "by_year": per_year.reset_index().to_dict("records"),
                                          "spread": spread(per_year).reset_index(names="metric").to_dict("records")})
    nodes = {n.id for n in scenario.nodes}
    eu_nodes = corridor_of(scenario).eu_nodes
    eu = tuple(n for n in eu_nodes if n in nodes)
    if eu:
        answers["eu_deliveries"] = {"eu_nodes": list(eu), **eu_deliveries(result, scenario, eu)}
        tables["eu_delivery_duration_curve"] = delivery_duration_curve(result, scenario, eu)
    elif eu_nodes:
        answers["notes"].append(f"EU deliveries not computed: none of the EU nodes {list(eu_nodes)} "
                                "(corridor.eu_nodes) is in the scenario")
    else:
        answers["notes"].append("EU deliveries not computed: the scenario names no EU nodes (no corridor.eu_nodes)")
    if eu:
        _traced(result, scenario, eu, answers, tables)
    else:
        answers["notes"].append("delivered cost / CBAM not computed: no EU nodes to trace deliveries into")
    return clean(answers), tables


def _traced(result: Result, scenario: Scenario, eu: tuple[str, ...], answers: dict,
            tables: dict[str, pd.DataFrame]) -> None:
    """Traced EU deliveries, delivered cost and CBAM into ``answers`` and ``tables``."""
    try:
        trace = trace_flows(result, scenario, eu_nodes=eu)
        if not len(trace.select("eu_border")):
            answers["notes"].append("delivered cost / CBAM not computed: no link enters the EU nodes")
            return
        market_trace = trace_flows(result, scenario, eu_border=False)
        tables["traced_eu_delivery_by_source"] = delivered_cost_by_source(result, scenario, trace=trace)
        tables["traced_eu_delivery_hourly_by_country"] = traced_hourly(trace, "eu_border", "country")
        tables["traced_eu_link_use"] = traced_link_use(trace)
        tables["traced_market_origin_by_country"] = pd.concat(
            [origin_mix(market_trace, [d], "country").assign(market=d.removeprefix("market:"))
             for d in market_trace.destinations.loc[market_trace.destinations["kind"] == "market", "id"]],
            ignore_index=True)
        dc = delivered_cost(result, scenario, trace=trace)
        if not dc["delivered_mwh"] > 0:
            answers["notes"].append("delivered cost / CBAM not computed: nothing lands in the EU")
            return
        answers["delivered_cost"] = dc
        hourly = traced_matching(result, scenario, trace=trace)
        tables["cbam_hourly_matching"] = hourly
        tables["cbam_matching_by_month"] = matching_shares(hourly)
        answers["cbam"] = traced_cbam(result, scenario, trace=trace)
    except SilkGridError as exc:
        answers["notes"].append(f"delivered cost / CBAM not computed: {exc}")


def counterfactual_answers(directory: str | Path) -> dict | None:
    """The CO2-avoided figures of ``DIR/counterfactual.json`` (``silkgrid run --counterfactual``), or None."""
    path = Path(directory) / COUNTERFACTUAL_FILE
    if not path.is_file():
        return None
    cf = json.loads(path.read_text())
    keys = ("links_fixed", "counterfactual", "co2_avoided_in_region_t", "eu_displaced_t", "eu_side_by_country",
            "co2_avoided_t", "co2_avoided_t_is", "cost_difference_eur", "abatement_cost_eur_per_t",
            "abatement_cost_in_region_eur_per_t", "notes")
    return {k: cf.get(k) for k in keys}


def write_metrics(directory: str | Path, result: Result, scenario: Scenario | None = None) -> dict:
    """Write ``metrics.json`` and ``metrics/*.csv`` into a result directory; return the answers.

    The ``metrics`` folder is replaced as a whole (written to a temporary folder, then renamed).
    """
    directory = Path(directory)
    answers, tables = corridor_metrics(result, scenario)
    cf = counterfactual_answers(directory)
    if cf is not None:
        answers["co2_avoided"] = clean(cf)
    tmp = Path(tempfile.mkdtemp(prefix=".metrics.", dir=directory))
    try:
        for name, df in tables.items():
            df.to_csv(tmp / f"{name}.csv", index=not isinstance(df.index, pd.RangeIndex))
        final = directory / "metrics"
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_text_atomic(directory / "metrics.json", json.dumps(answers, indent=2, default=str) + "\n")
    return answers
