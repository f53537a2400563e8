"""All corridor metrics of one result, as tables and headline answers, written next to the result.

:func:`corridor_metrics` gathers the functions of this package; :func:`write_metrics` stores
them as ``DIR/metrics/<name>.csv`` plus ``DIR/metrics.json`` (the headline answers), so the
answers exist as files as well as in Python and in the CLI.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from silkgrid.analysis._common import corridor_of, export_path, scenario_of
from silkgrid.analysis.cbam import cbam_cost, hourly_matching, matching_shares
from silkgrid.analysis.costs import cost_by_country, cost_by_node_technology, curtailment, emissions
from silkgrid.analysis.exports import delivered_cost, delivery_duration_curve, eu_deliveries, link_utilisation
from silkgrid.analysis.market import capture_prices, congestion_rent, price_statistics
from silkgrid.core.errors import SilkGridError
from silkgrid.core.jsonsafe import clean
from silkgrid.results import Result
from silkgrid.scenario.schema import Scenario


def corridor_metrics(result: Result, scenario: Scenario | None = None) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Headline answers (JSON-ready dict) and metric tables of an optimal result.

    ``scenario`` defaults to ``result.scenario``.  The export path is
    :func:`~silkgrid.analysis.export_path` (the scenario's ``corridor.export_path`` when its
    links exist, else inferred); the EU nodes are the scenario's ``corridor.eu_nodes`` present
    in it.  Metrics that need a path or EU nodes are skipped with the reason in
    ``answers["notes"]`` when the scenario has none.
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
    path, how = export_path(scenario)
    answers["export_path"] = {"links": list(path) if path else None, "chosen": how}
    if path:
        try:
            answers["delivered_cost"] = delivered_cost(result, scenario, path)
            hourly = hourly_matching(result, scenario, path)
            tables["cbam_hourly_matching"] = hourly
            tables["cbam_matching_by_month"] = matching_shares(hourly)
            answers["cbam"] = cbam_cost(result, scenario, path)
        except SilkGridError as exc:
            answers["notes"].append(f"delivered cost / CBAM not computed: {exc}")
    else:
        answers["notes"].append(f"delivered cost / CBAM not computed: {how}")
    return clean(answers), tables


def write_metrics(directory: str | Path, result: Result, scenario: Scenario | None = None) -> dict:
    """Write ``metrics.json`` and ``metrics/*.csv`` into a result directory; return the answers.

    The ``metrics`` folder is replaced as a whole (written to a temporary folder, then renamed).
    """
    directory = Path(directory)
    answers, tables = corridor_metrics(result, scenario)
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
    target = directory / "metrics.json"
    part = directory / ".metrics.json.part"
    part.write_text(json.dumps(answers, indent=2, default=str) + "\n")
    part.replace(target)
    return answers
