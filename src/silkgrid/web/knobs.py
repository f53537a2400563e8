"""The Run form's knobs mapped onto a scenario dict (validated by :func:`load_scenario`).

The knobs are applied as an ``extends`` overlay on the server's base scenario, so the validation
messages are exactly those of the CLI (:attr:`ScenarioError.message`).  The links the capacity knobs
set and the CBAM path come from the base scenario's ``corridor:`` section (``capacity_knobs``,
``export_path``) unless the server is given them.  Knobs whose elements do not exist in the base
scenario are skipped, and the run says so.  The data-set knobs (year, finance case, grant share of the
sea cables, announced projects, weather year) are build options of the corridor data set (``extends:
{dataset: corridor, ...}``), so the builder checks their values; other base scenarios skip them.
"""

from __future__ import annotations

import copy
import re
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from silkgrid.core.errors import ScenarioError
from silkgrid.data.finance import FINANCE_CASES
from silkgrid.data.tables import parameters
from silkgrid.profiles.weather_years import DEFAULT_SEEDS
from silkgrid.scenario.loader import load_scenario, merge_scenarios

#: Base scenario of the Run form when the server is given none: the sourced corridor data set.
#: The dashboard's base: the corridor at the settings of ``make run`` (12 h snapshots, one LP
#: solved by Clarabel: 13 s on 2 cores, primal simplex 34 s); the form's resolution knob can refine it.
DEFAULT_BASE = {"extends": {"dataset": "corridor", "year": 2035}, "time": {"resolution": "12h"},
                "solver": {"method": "monolithic", "algorithm": "clarabel"}}
#: The capacity knobs of the form (fields ``<knob>_mw`` of :class:`RunRequest`).
CAPACITY_KNOBS = ("caspian", "black_sea")

Capacity = float | Literal["optimise"]
#: Highest CO2 price the form accepts, EUR/t.  A sanity bound (assumption, not a data value): about ten
#: times the highest carbon prices of published 2050 net-zero pathways (IEA NZE: 250 USD/t); far above
#: it the LP's cost coefficients span so many orders of magnitude that the solver's verdict is unreliable.
MAX_CO2_PRICE = 2500.0
#: Longest snapshot the form accepts, h: one snapshot must not span more than a day, or the model
#: cannot represent the solar day or daily storage cycles.
MAX_RESOLUTION_H = 24
#: Weather years (synthetic seeds) the form offers: those of the data set's weather-year table
#: (:mod:`silkgrid.profiles.weather_years`, ``info --validate``), whose annual CFs are documented.
WEATHER_YEARS = tuple(DEFAULT_SEEDS)
#: The corridor data set's build options the form sets besides ``year`` and ``discount_rate``.
DATASET_KNOBS = ("finance", "grant_share", "include_announced", "weather_year")


class RunRequest(BaseModel):
    """The JSON body of ``POST /api/runs`` (types only; values are checked by the scenario loader)."""

    model_config = ConfigDict(extra="forbid")
    label: str = Field(default="run", max_length=60)
    year: Literal[2030, 2035, 2040, 2045, 2050] | None = None
    caspian_mw: Capacity = "optimise"
    black_sea_mw: Capacity = "optimise"
    co2_price: float | None = None
    discount_rate: float | None = None
    cbam_hourly_matching: bool = False
    resolution: str | None = Field(default=None, max_length=10)
    finance: str | None = Field(default=None, max_length=20)
    grant_share: float | None = None
    include_announced: bool | None = None
    weather_year: int | None = None


def _corridor_options(ext) -> dict:
    """``extends`` of a corridor base as a mapping of build options (``corridor-2035`` -> year 2035)."""
    if isinstance(ext, dict):
        return dict(ext)
    year = ext.split("-")[1] if isinstance(ext, str) and "-" in ext else None
    return {"dataset": "corridor", **({"year": int(year)} if year else {})}


class Knobs:
    """Applies :class:`RunRequest` values to the base scenario."""

    def __init__(self, base: dict | None = None, *, links: dict | None = None,
                 cbam_path: list[str] | None = None) -> None:
        """``links`` (knob -> link id) and ``cbam_path`` override the base scenario's ``corridor:`` section."""
        self.base = copy.deepcopy(base if base is not None else DEFAULT_BASE)
        self._links = dict(links) if links is not None else None
        self._cbam_path = list(cbam_path) if cbam_path is not None else None
        self._loaded = None
        self._lock = threading.Lock()

    @property
    def links(self) -> dict[str, str | None]:
        """Knob -> link id it sets (None: the base scenario names none): given, else ``corridor.capacity_knobs``."""
        if self._links is not None:
            return self._links
        sec = self.base_scenario().corridor
        knobs = sec.capacity_knobs if sec is not None else {}
        return {k: knobs.get(k) for k in CAPACITY_KNOBS}

    @property
    def cbam_path(self) -> list[str]:
        """Link ids of the CBAM path: given, else the base scenario's ``corridor.export_path`` (may be empty)."""
        if self._cbam_path is not None:
            return self._cbam_path
        sec = self.base_scenario().corridor
        return list(sec.export_path) if sec is not None else []

    def base_scenario(self):
        """The base scenario, loaded once (its link ids and defaults fill the form)."""
        with self._lock:
            if self._loaded is None:
                self._loaded = load_scenario(copy.deepcopy(self.base))
            return self._loaded

    def year_knob(self) -> bool:
        ext = self.base.get("extends")
        return (isinstance(ext, dict) and ext.get("dataset") == "corridor") or (
            isinstance(ext, str) and ext.split("-")[0] == "corridor")

    def defaults(self) -> dict:
        sc = self.base_scenario()
        ext = self.base.get("extends")
        year = None
        if self.year_knob():
            year = ext.get("year", 2030) if isinstance(ext, dict) else int((ext.split("-") + ["2030"])[1])
        ids = {ln.id for ln in sc.links}
        path = self.cbam_path
        return {"year": year, **self.dataset_defaults(), "co2_price": sc.policies.co2_price_eur_per_t,
                "discount_rate": sc.discount_rate, "resolution": sc.time.resolution,
                "cbam_hourly_matching": sc.policies.cbam_hourly_matching,
                "links": {k: (v if v in ids else None) for k, v in self.links.items()},
                "cbam_available": bool(path) and all(p in ids for p in path)}

    def dataset_defaults(self) -> dict:
        """The data-set knobs' values in the base (None when it is not the corridor data set).

        ``weather_years`` lists the seeds the form offers (:data:`WEATHER_YEARS`, plus the base's own),
        ``finance_cases`` the cost-of-capital cases of ``cost_of_capital.csv``.
        """
        if not self.year_knob():
            return {"finance": None, "grant_share": None, "include_announced": None, "weather_year": None,
                    "weather_years": [], "finance_cases": []}
        ext = _corridor_options(self.base.get("extends"))
        share = ext.get("grant_share")
        weather = int(ext.get("weather_year", 1))
        return {"finance": str(ext.get("finance", "central")),
                "grant_share": float(share if share is not None else parameters()["sea_cable_grant_share"]),
                "include_announced": bool(ext.get("include_announced", False)), "weather_year": weather,
                "weather_years": sorted({*WEATHER_YEARS, weather}), "finance_cases": list(FINANCE_CASES)}

    def _dataset_knobs(self, req: RunRequest, raw: dict, notes: list[str]) -> None:
        """Set the finance, grant-share, announced-projects and weather knobs in ``raw['extends']``."""
        given = {k: getattr(req, k) for k in DATASET_KNOBS if getattr(req, k) is not None}
        if not given:
            return
        if not self.year_knob():
            notes.extend(f"{k} skipped: the base scenario is not the corridor data set" for k in given)
            return
        seeds = self.dataset_defaults()["weather_years"]
        if "weather_year" in given and given["weather_year"] not in seeds:
            raise ScenarioError(
                f"weather year {given['weather_year']} is not one the corridor data set offers "
                f"(synthetic seeds {', '.join(map(str, seeds))}: those of its weather-year table)",
                field="weather_year", fix=f"choose one of {', '.join(map(str, seeds))}")
        if "finance" in given and req.discount_rate is not None:
            notes.append(f"finance '{given['finance']}' sets no candidate's rate: the discount rate "
                         f"{req.discount_rate:g} replaces the cost-of-capital table (leave it empty to use it)")
        raw["extends"] = {**_corridor_options(raw.get("extends")), **given}

    def scenario_dict(self, req: RunRequest) -> tuple[dict, list[str]]:
        """(scenario dict, notes on skipped knobs)."""
        ids = {ln.id for ln in self.base_scenario().links}
        raw = copy.deepcopy(self.base)
        notes: list[str] = []
        if req.year is not None:
            if self.year_knob():
                raw["extends"] = {**_corridor_options(raw.get("extends")), "year": req.year}
            else:
                notes.append("year skipped: the base scenario is not the corridor data set")
        self._dataset_knobs(req, raw, notes)
        overlay: dict = {}
        links = []
        knob_links = self.links
        base_links = {ln.id: ln for ln in self.base_scenario().links}
        for knob, value in (("caspian", req.caspian_mw), ("black_sea", req.black_sea_mw)):
            lid = knob_links.get(knob)
            if value == "optimise":
                continue
            if lid is None:
                notes.append(f"{knob} cable capacity skipped: the base scenario names no link for it "
                             "(corridor.capacity_knobs)")
                continue
            if lid not in ids:
                notes.append(f"{knob} cable capacity skipped: the base scenario has no link '{lid}'")
                continue
            cap_max = base_links[lid].max_capacity_mw
            if cap_max is not None and not value <= cap_max:
                raise ScenarioError(
                    f"{value:g} MW is above the maximum of link '{lid}' in the base scenario, "
                    f"{cap_max:,.0f} MW (its max_capacity_mw in the data set's links table, where its source "
                    "and reason are given)", field=f"{knob}_mw",
                    fix=f"give at most {cap_max:,.0f} MW, or 'optimise'")
            links.append({"id": lid, "extendable": True, "min_capacity_mw": value, "max_capacity_mw": value})
        if links:
            overlay["links"] = links
        policies: dict = {}
        if req.co2_price is not None:
            if not 0 <= req.co2_price <= MAX_CO2_PRICE:
                raise ScenarioError(
                    f"{req.co2_price:g} EUR/t is outside 0 to {MAX_CO2_PRICE:,.0f} EUR/t (the form's sanity "
                    "bound: about ten times the highest published 2050 net-zero carbon prices; beyond it the "
                    "LP is too badly scaled for a reliable answer)", field="co2_price",
                    fix=f"give a CO2 price between 0 and {MAX_CO2_PRICE:,.0f} EUR/t")
            policies["co2_price_eur_per_t"] = req.co2_price
        if req.cbam_hourly_matching:
            path = self.cbam_path
            missing = [p for p in path if p not in ids]
            if not path:
                notes.append("CBAM hourly matching skipped: the base scenario names no export path "
                             "(corridor.export_path)")
            elif missing:
                notes.append(f"CBAM hourly matching skipped: the base scenario has no link {', '.join(missing)}")
            else:
                policies.update(cbam_hourly_matching=True, cbam_path=list(path))
        if policies:
            overlay["policies"] = policies
        if req.discount_rate is not None:
            if self.year_knob():  # the corridor data set: one rate for every candidate (replaces its table)
                raw["extends"] = {**_corridor_options(raw.get("extends")), "discount_rate": req.discount_rate}
            else:  # elements with a discount_rate of their own keep it
                overlay["discount_rate"] = req.discount_rate
        if req.resolution:
            m = re.fullmatch(r"\s*([0-9]+)\s*h\s*", req.resolution)
            if m and int(m.group(1)) > MAX_RESOLUTION_H:
                raise ScenarioError(
                    f"resolution '{req.resolution.strip()}' makes snapshots longer than a day, so the model "
                    "cannot represent the solar day or daily storage cycles", field="resolution",
                    fix=f"give at most '{MAX_RESOLUTION_H}h' (e.g. '1h', '3h', '12h')")
            overlay["time"] = {"resolution": req.resolution}
        raw = merge_scenarios(raw, overlay)
        raw["extends"] = copy.deepcopy(self.base.get("extends")) if "extends" not in raw else raw["extends"]
        if raw.get("extends") is None:
            raw.pop("extends", None)
        return raw, notes

    def build(self, req: RunRequest):
        """(validated Scenario, scenario dict, notes); raises ScenarioError with the CLI's message."""
        raw, notes = self.scenario_dict(req)
        sc = load_scenario(copy.deepcopy(raw))
        if req.label:
            sc.name = f"{sc.name} ({req.label})"
        return sc, raw, notes
