"""Corridor knowledge of a data set (``<data set>/meta.yaml``) as a scenario's ``corridor:`` section.

``meta.yaml`` names the export path (link ids with their segment labels), the EU nodes and EU
markets, the links the web Run form's capacity knobs set, the table row that gives each origin
country's CBAM default emission factor, the new cross-border links the CO2-avoided counterfactual
removes, and the table row that gives the emissions displaced per MWh delivered into each EU
country.  It holds ids, labels and pointers only: the factors are read from the table
(``emission_factors.csv``) with their data year and source id, so there is one copy of every
number.  :func:`corridor_section` returns the section that
:func:`silkgrid.data.build.build_corridor_scenario` puts into every corridor scenario
(``docs/scenario.md``, section ``corridor``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from silkgrid.data.provenance import dataset_dir
from silkgrid.data.tables import CorridorDataError, _nodes, _tables

__all__ = ["META_FILE", "cbam_default_factors", "corridor_section", "eu_displaced_factors", "load_meta"]

#: The file of a data set folder that holds its corridor knowledge.
META_FILE = "meta.yaml"
_KEYS = ("export_path", "eu_nodes", "eu_markets", "capacity_knobs", "cbam_default_factors")


def load_meta(dataset: str | Path = "corridor") -> dict[str, Any]:
    """``meta.yaml`` of the data set as a dict (:class:`CorridorDataError` when missing or malformed)."""
    path = dataset_dir(dataset) / META_FILE
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorridorDataError(f"{path} cannot be read ({exc})") from None
    if not isinstance(meta, dict):
        raise CorridorDataError(f"{path} does not hold a mapping")
    missing = [k for k in _KEYS if k not in meta]
    if missing:
        raise CorridorDataError(f"{path} lacks {', '.join(missing)}")
    for i, step in enumerate(meta["export_path"] or []):
        if not isinstance(step, dict) or not isinstance(step.get("link"), str):
            raise CorridorDataError(f"{path}: export_path[{i}] must be a mapping with a 'link' id")
    if not isinstance(meta.get("counterfactual_links") or [], list):
        raise CorridorDataError(f"{path}: counterfactual_links must be a list of link ids")
    return meta


def _country_factors(dataset: str | Path, meta: dict, key: str, *, eu: bool) -> dict[str, dict]:
    """Factor per country from the table row ``meta[key]`` points at: the countries of the EU nodes
    (``eu=True``) or every other country of the table (``eu=False``)."""
    spec = meta[key]
    stem = Path(str(spec["table"])).stem
    tables = _tables(dataset)
    if stem not in tables:
        raise CorridorDataError(f"{META_FILE}: {key}.table '{spec['table']}' is not a table of "
                                f"data set '{Path(str(dataset)).name}'")
    df = tables[stem]
    rows = df[df["metric"] == spec["metric"]]
    if rows.empty:
        raise CorridorDataError(f"{META_FILE}: {spec['table']} has no rows with metric '{spec['metric']}'")
    nodes = _nodes(dataset)
    unknown = [n for n in meta["eu_nodes"] if n not in nodes.index]
    if unknown:
        raise CorridorDataError(f"{META_FILE}: eu_nodes {unknown} are not nodes of the data set")
    eu_countries = {str(nodes.loc[n, "country"]) for n in meta["eu_nodes"]}
    out: dict[str, dict] = {}
    for r in rows.itertuples():
        country = str(r.country)
        if (country in eu_countries) != eu:
            continue
        unit = str(r.unit)
        if not unit.startswith("gCO2"):
            raise CorridorDataError(f"{spec['table']} [{country}/{spec['metric']}]: unit '{unit}' is not gCO2/kWh")
        value = float(r.value)
        data_year = "" if pd.isna(r.data_year) else f"{int(r.data_year)}"
        source = str(spec.get("source") or "{table} {country} {metric}, source {source_id}").format(
            country=country, metric=spec["metric"], value=f"{value:g}", unit=unit, data_year=data_year,
            source_id=r.source_id, table=spec["table"], dataset=Path(str(dataset)).name)
        out[country] = {"t_per_mwh": value / 1000.0, "assumption": bool(spec.get("assumption", True)),
                        "source": " ".join(source.split())}
    return out


def cbam_default_factors(dataset: str | Path = "corridor", meta: dict | None = None) -> dict[str, dict]:
    """CBAM default emission factor per origin country, read from the table ``meta.yaml`` names.

    One entry per country of the table's ``metric`` rows that is not the country of an EU node:
    ``{"t_per_mwh": value / 1000 (the table holds gCO2/kWh), "assumption": bool, "source": text}``
    where the text names the table, the row, its data year and its source id.
    """
    meta = load_meta(dataset) if meta is None else meta
    return _country_factors(dataset, meta, "cbam_default_factors", eu=False)


def eu_displaced_factors(dataset: str | Path = "corridor", meta: dict | None = None) -> dict[str, dict]:
    """tCO2/MWh that additional net deliveries into each EU country displace (CO2 avoided, EU side).

    One entry per country of an EU node, read like :func:`cbam_default_factors` from the row
    ``meta.yaml``'s ``eu_displaced_factors`` points at; ``{}`` when ``meta.yaml`` names none.
    """
    meta = load_meta(dataset) if meta is None else meta
    if not meta.get("eu_displaced_factors"):
        return {}
    return _country_factors(dataset, meta, "eu_displaced_factors", eu=True)


def corridor_section(dataset: str | Path = "corridor") -> dict[str, Any]:
    """The scenario's ``corridor:`` section (plain dict) from ``meta.yaml`` and the factor table."""
    meta = load_meta(dataset)
    steps = meta["export_path"] or []
    return {
        "export_path": [str(s["link"]) for s in steps],
        "segments": {str(s["link"]): str(s["segment"]) for s in steps if s.get("segment")},
        "eu_nodes": [str(n) for n in meta["eu_nodes"] or []],
        "eu_markets": [str(m) for m in meta["eu_markets"] or []],
        "capacity_knobs": {str(k): str(v) for k, v in (meta["capacity_knobs"] or {}).items()},
        "cbam_default_factors": cbam_default_factors(dataset, meta),
        "counterfactual_links": [str(lid) for lid in meta.get("counterfactual_links") or []],
        "eu_displaced_factors": eu_displaced_factors(dataset, meta),
    }
