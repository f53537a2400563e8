"""Money of the corridor candidates: cost of capital per country and asset class, regional capex.

* :func:`cost_of_capital` — the discount rate (1/yr) of ``cost_of_capital.csv`` for a country,
  asset class and finance case (``low``, ``central``, ``high``); a ``*`` row serves every country.
* :func:`generator_rate` and :func:`link_rate` — the rate of a candidate generator or storage
  (its node's country, the class of its technology) and of a candidate link (the higher of its
  two countries' rates for overland links; the ``subsea_cable`` class for sea cables).
* :func:`capex_calibration` and :func:`regional_capex_factor` — regional project costs (net of
  batteries, at technology-data battery costs) against technology-data's 2030 capex, EUR-2025/kW;
  the factor is the mean of the ``calibrate`` projects of a technology (1 where none).  PPA and
  auction prices are validation only and never enter here (``docs/data.md``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from silkgrid.data.tables import CorridorDataError, _Money, _nodes, _tables, parameters, technology_values

__all__ = ["ASSET_CLASSES", "FINANCE_CASES", "asset_class", "capex_calibration", "cost_of_capital",
           "generator_rate", "link_asset_class", "link_rate", "regional_capex_factor"]

FINANCE_CASES = ("low", "central", "high")
ASSET_CLASSES = ("renewables", "thermal", "storage", "transmission", "subsea_cable")
_CLASS = {"onwind": "renewables", "solar_fixed": "renewables", "solar_tracking": "renewables",
          "offwind": "renewables", "offwind_float": "renewables", "ccgt": "thermal", "ocgt": "thermal",
          "battery": "storage"}
_SEA_KINDS = frozenset({"hvdc_submarine", "offshore_dc"})


def asset_class(technology: str) -> str:
    """Asset class of a candidate generator or storage technology."""
    if technology not in _CLASS:
        raise CorridorDataError(f"no asset class for technology '{technology}' (cost_of_capital.csv)")
    return _CLASS[technology]


def link_asset_class(kind: str) -> str:
    """``subsea_cable`` for sea cables (HVDC submarine, offshore DC export), else ``transmission``."""
    return "subsea_cable" if kind in _SEA_KINDS else "transmission"


def _check_case(case: str) -> str:
    if case not in FINANCE_CASES:
        raise CorridorDataError(f"finance case '{case}' is unknown; choose one of {', '.join(FINANCE_CASES)}")
    return case


def cost_of_capital(country: str, asset: str, case: str = "central", dataset: str | Path = "corridor") -> float:
    """Discount rate of ``asset`` in ``country`` for the finance ``case``, 1/yr (a ``*`` row serves all)."""
    _check_case(case)
    df = _tables(dataset)["cost_of_capital"]
    df = df[(df["asset_class"] == asset) & (df["case"] == case)]
    for key in (country, "*"):
        hit = df[df["country"] == key]
        if len(hit) > 1:
            raise CorridorDataError(f"cost_of_capital.csv: {key} {asset} {case} given twice")
        if len(hit) == 1:
            return float(hit["rate"].iloc[0])
    raise CorridorDataError(f"cost_of_capital.csv: no {case} rate for {asset} in {country} (nor '*')")


def generator_rate(node: str, technology: str, case: str = "central", dataset: str | Path = "corridor") -> float:
    """Rate of a candidate generator or storage: its node's country and its technology's class."""
    return cost_of_capital(str(_nodes(dataset).loc[node, "country"]), asset_class(technology), case, dataset)


def link_rate(from_node: str, to_node: str, kind: str, case: str = "central",
              dataset: str | Path = "corridor") -> float:
    """Rate of a candidate link: the higher rate of its two countries (those with rows) for its class."""
    nodes = _nodes(dataset)
    asset = link_asset_class(kind)
    table = _tables(dataset)["cost_of_capital"]
    rates = [cost_of_capital(str(c), asset, case, dataset)
             for c in {nodes.loc[from_node, "country"], nodes.loc[to_node, "country"]}
             if (table["country"] == c).any() or asset == "subsea_cable"]
    if not rates:
        raise CorridorDataError(f"cost_of_capital.csv: no {asset} rate for a link {from_node}-{to_node}")
    return max(rates)


def capex_calibration(dataset: str | Path = "corridor") -> pd.DataFrame:
    """Regional project costs against technology-data, one row per project of ``capex_calibration.csv``.

    Added columns (EUR of the base currency year): ``cost_eur_per_kw`` (total / capacity),
    ``bess_eur`` (the project's battery at technology-data 2030 battery costs),
    ``net_eur_per_kw`` ((total − battery) / capacity), ``reference_eur_per_kw`` (technology-data
    2030 capex of the technology) and ``factor`` (net / reference).  Money is always brought to
    the base year here (a ratio of two amounts must share one currency year).
    """
    params = parameters(dataset)
    money = _Money(params, True)
    tech = technology_values(2030, dataset)
    inverter, store = tech["battery_inverter"]["investment"], tech["battery_storage"]["investment"]
    reference = {"onwind": tech["onwind"]["investment"], "solar_fixed": tech["solar_fixed"]["investment"],
                 "solar_tracking": tech["solar_tracking"]["investment"]}
    df = _tables(dataset)["capex_calibration"]
    bad = df[~df["use"].isin(["calibrate", "context"]) | ~df["technology"].isin(list(reference))]
    if not bad.empty:
        raise CorridorDataError(f"capex_calibration.csv [{bad['project'].iloc[0]}]: use must be calibrate or "
                                f"context and technology one of {', '.join(reference)}")
    usd = df["cost_unit"].eq("USD").to_numpy()
    to_eur = pd.Series([1.0 / params["usd_per_eur"] if u else 1.0 for u in usd], index=df.index)
    total = df["project_cost"] * to_eur * df["currency_year"].map(money)
    bess = (df["bess_mw"].fillna(0) * inverter + df["bess_mwh"].fillna(0) * store) * 1e3
    out = df.assign(cost_eur_per_kw=total / (df["capacity_mw"] * 1e3), bess_eur=bess,
                    net_eur_per_kw=(total - bess) / (df["capacity_mw"] * 1e3),
                    reference_eur_per_kw=df["technology"].map(reference))
    return out.assign(factor=out["net_eur_per_kw"] / out["reference_eur_per_kw"])


def regional_capex_factor(technology: str, dataset: str | Path = "corridor") -> float:
    """Mean ``factor`` of the ``calibrate`` projects of ``technology``; 1.0 when there are none."""
    cal = capex_calibration(dataset)
    sel = cal[(cal["technology"] == technology) & (cal["use"] == "calibrate")]
    return float(sel["factor"].mean()) if len(sel) else 1.0
