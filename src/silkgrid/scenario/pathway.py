"""A pathway: one scenario per investment period, discounted to a base year (issue #17).

A pathway file (YAML or dict) has three sections::

    pathway:
      periods: [2030, 2040]        # investment periods (years), increasing
      years: [10, 10]              # years each period represents (default: the gap to the next
                                   # period; the last one repeats the previous gap; 1 for one period)
      base_year: 2030              # present values are taken to this year (default: the first period)
      discount_rate: 0.05          # social rate of the period weights (default: the scenario's)
      weights: [8.1, 5.0]          # optional: explicit objective weight of each period (replaces
                                   # the discounted years; e.g. a PyPSA network's own weightings)
      foresight: perfect           # perfect (one LP), myopic (period by period) or limited
      view_periods: 2              # limited foresight: periods each step sees
      end_of_horizon: annuity      # annuity (while alive inside the horizon) or salvage
      build_rates:                 # what a period builds of a group, at most max_mw_per_yr x its years
        - {id: kz_wind, country: KZ, technologies: [onwind], max_mw_per_yr: 1500}
      last_build_year: {ocgt: 2040}  # build windows: no new vintage of it after 2040 (by technology or id)
    scenario: {...}                # the scenario every period starts from (as in a scenario file)
    overrides:                     # per period, merged over it (elements by id, as ``extends``)
      2040: {loads: [{id: L, demand_mw: 120}]}
    sources: {corridor: [kz_re_targets]}   # optional: the data set's source ids the file's numbers cite

Where ``scenario`` extends a data set (``extends: {dataset: corridor}``), each period gets that data
set's year (``year: 2040``) unless its override names one: the corridor data set then brings its
demand growth, cost trajectories, pipeline and policies for that year.  Each period's scenario is
validated as a scenario file would be, so its errors are the loader's.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.loader import load_scenario, merge_scenarios
from silkgrid.scenario.schema import Scenario

__all__ = ["BuildRate", "PathwayOptions", "PathwaySpec", "load_pathway", "is_pathway", "is_pathway_source", "pathway_path",
           "available_pathways", "period_weights"]


class BuildRate(BaseModel):
    """A pathway's build-rate limit: new capacity of a group of technologies in a country (or set of
    nodes) built in one period at most ``max_mw_per_yr`` x the years the period stands for, MW."""

    model_config = ConfigDict(extra="forbid")
    id: str
    country: str | None = None
    """Country whose nodes it covers (or give ``nodes``)."""
    nodes: list[str] = Field(default_factory=list)
    technologies: Annotated[list[str], Field(min_length=1)]
    """Technology ids of the generators and storage (power) it covers."""
    max_mw_per_yr: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    """Capacity that may be built per year, MW/yr."""
    note: str = ""
    """Where the number comes from."""

    @model_validator(mode="after")
    def _where(self) -> "BuildRate":
        if (self.country is None) == (not self.nodes):
            raise ValueError("give exactly one of 'country' and 'nodes'")
        return self


class PathwayOptions(BaseModel):
    """The ``pathway:`` section."""

    model_config = ConfigDict(extra="forbid")
    periods: Annotated[list[int], Field(min_length=1)]
    """Investment periods, years (increasing)."""
    years: list[int] | None = None
    """Years each period represents (>= 1 each); default: the gap to the next period."""
    base_year: int | None = None
    """Year present values are discounted to; default: the first period."""
    discount_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    """Social discount rate of the period weights; default: the first period scenario's ``discount_rate``."""
    weights: list[Annotated[float, Field(gt=0, allow_inf_nan=False)]] | None = None
    """Explicit objective weight of each period (present value of one EUR a year of it, -); replaces
    :func:`period_weights` of ``years``, ``discount_rate`` and ``base_year`` (e.g. a PyPSA network's
    ``investment_period_weightings["objective"]`` that is not of that geometric form)."""
    foresight: Literal["perfect", "myopic", "limited"] = "perfect"
    """``perfect``: one LP over all periods; ``myopic``: period by period, what was built carried on;
    ``limited``: each period decided with a view of ``view_periods`` periods (its own and the next)."""
    view_periods: Annotated[int, Field(ge=1)] | None = None
    """Periods a ``limited`` foresight step sees (its own included)."""
    end_of_horizon: Literal["annuity", "salvage"] = "annuity"
    """How a vintage that outlives the horizon is charged: ``annuity`` (its yearly cost in the periods
    it is alive in, nothing after; PyPSA) or ``salvage`` (its investment in the build year less the
    straight-line value left at the horizon's end; :mod:`silkgrid.model.vintage_costs`)."""
    build_rates: list[BuildRate] = Field(default_factory=list)
    """Build-rate limits: what each period builds of a group, at most MW/yr x its years."""
    last_build_year: dict[str, int] = Field(default_factory=dict)
    """Build windows: technology or element id -> the last year new capacity of it may be built;
    vintages built up to then live on for their lifetime (e.g. ``{coal_new: 2030}``)."""

    @model_validator(mode="after")
    def _check(self) -> "PathwayOptions":
        p = self.periods
        if any(b <= a for a, b in zip(p, p[1:])):
            raise ValueError(f"periods must increase strictly (got {p})")
        if self.years is not None:
            if len(self.years) != len(p) or any(y < 1 for y in self.years):
                raise ValueError(f"years must give one whole number >= 1 per period ({len(p)} periods, "
                                 f"got {self.years})")
        if self.weights is not None and len(self.weights) != len(p):
            raise ValueError(f"weights must give one positive number per period ({len(p)} periods, "
                             f"got {len(self.weights)})")
        if self.foresight == "limited" and self.view_periods is None:
            raise ValueError("foresight 'limited' needs view_periods (how many periods each step sees)")
        if self.base_year is not None and self.base_year > p[0]:
            raise ValueError(f"base_year {self.base_year} is after the first period {p[0]}")
        return self

    def view(self) -> int:
        """Periods each foresight step sees: all (perfect), 1 (myopic) or ``view_periods``."""
        return {"perfect": len(self.periods), "myopic": 1}.get(self.foresight, self.view_periods or 1)

    def period_years(self) -> list[int]:
        """Years each period represents."""
        if self.years is not None:
            return list(self.years)
        gaps = [b - a for a, b in zip(self.periods, self.periods[1:])]
        return gaps + [gaps[-1] if gaps else 1]


@dataclass
class PathwaySpec:
    """A loaded pathway: its options and one validated scenario per period."""

    options: PathwayOptions
    scenarios: list[Scenario]
    name: str

    @property
    def periods(self) -> list[int]:
        return list(self.options.periods)

    @property
    def discount_rate(self) -> float:
        r = self.options.discount_rate
        return float(r if r is not None else self.scenarios[0].discount_rate)

    def weights(self) -> np.ndarray:
        """Objective weight of each period: the present value of one EUR a year over the years
        the period represents (:func:`period_weights`), or the explicit ``weights``."""
        if self.options.weights is not None:
            return np.array(self.options.weights, dtype=float)
        return period_weights(self.periods, self.options.period_years(), self.discount_rate, self.base_year)

    @property
    def base_year(self) -> int:
        """Year present values are taken to."""
        return int(self.options.base_year if self.options.base_year is not None else self.periods[0])


def period_weights(periods: list[int], years: list[int], rate: float, base_year: int) -> np.ndarray:
    """sum over the years y of each period of (1 + rate)^-(y - base_year): one EUR a year in each
    year the period represents, discounted to ``base_year`` (PyPSA's investment-period objective
    weighting)."""
    out = []
    for start, n in zip(periods, years):
        y = start + np.arange(n) - base_year
        out.append(float(np.sum((1.0 + rate) ** -y.astype(float))))
    return np.array(out)


def is_pathway(data: dict) -> bool:
    """True for a dict with a ``pathway:`` section."""
    return isinstance(data, dict) and "pathway" in data


def pathway_path(name: str) -> Path:
    """Path of a packaged pathway (``corridor-pathway`` -> ``data/corridor_pathway/pathway.yaml``)."""
    return Path(str(resources.files("silkgrid") / "data" / name.replace("-", "_") / "pathway.yaml"))


def available_pathways() -> list[str]:
    """Names of the packaged pathways."""
    root = Path(str(resources.files("silkgrid") / "data"))
    return sorted(p.name.replace("_", "-") for p in root.iterdir() if (p / "pathway.yaml").is_file())


def is_pathway_source(source) -> bool:
    """True for a pathway dict, a packaged pathway name or a YAML file with a ``pathway:`` section."""
    if isinstance(source, dict):
        return is_pathway(source)
    if isinstance(source, str) and pathway_path(source).is_file():
        return True
    path = Path(str(source))
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        try:
            return is_pathway(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, yaml.YAMLError):  # unreadable, not UTF-8, not YAML: the loader says why
            return False
    return False


def _check_sources(sources, where: str) -> None:
    """``sources:`` maps a data set to the ids of its sources.yaml that the file's own numbers cite."""
    if sources is None:
        return
    from silkgrid.data.provenance import load_sources  # noqa: PLC0415 - only files that cite sources

    if not isinstance(sources, dict):
        raise ScenarioError(f"Invalid pathway in {where}: 'sources' must map a data set to source ids. Fix: "
                            "e.g. sources: {corridor: [kz_re_targets]}.")
    for dataset, ids in sources.items():
        try:
            known = load_sources(str(dataset))
        except Exception:  # noqa: BLE001 - any failure to read it means the data set has no sources file
            raise ScenarioError(f"Invalid pathway in {where}: sources names the data set '{dataset}', which has "
                                "no sources.yaml. Fix: name a packaged data set (corridor).") from None
        missing = [i for i in (ids or []) if i not in known]
        if missing:
            raise ScenarioError(f"Invalid pathway in {where}: sources.{dataset} cites {missing}, not in that data "
                                f"set's sources.yaml. Fix: cite ids that `silkgrid info {dataset} --sources` lists.")


def _period_dict(base: dict, year: int, override: dict | None) -> dict:
    sc = copy.deepcopy(base)
    ext = sc.get("extends")
    if isinstance(ext, dict) and "dataset" in ext and not (override or {}).get("extends"):
        sc["extends"] = {**ext, "year": year}
    return merge_scenarios(sc, override or {}, label=f"overrides.{year}") if override else sc


def load_pathway(source: str | Path | dict, *, patch: dict | None = None, foresight: str | None = None
                 ) -> PathwaySpec:
    """Load a pathway file, a packaged pathway (``corridor-pathway``) or a dict (see the module doc);
    ``patch`` is merged over its ``scenario:`` (e.g. ``{"time": {"resolution": "12h"}}``) and
    ``foresight`` replaces ``pathway.foresight``.  Raises :class:`ScenarioError` naming the section,
    the period and the field for bad input."""
    where = str(source) if not isinstance(source, dict) else "<dict>"
    if isinstance(source, dict):
        data, base_dir = source, None
    else:
        path = Path(source)
        if isinstance(source, str) and not path.is_file() and pathway_path(source).is_file():
            path = pathway_path(source)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ScenarioError(f"Cannot read the pathway file {where}: {exc}. Fix: give a readable YAML "
                                "file with pathway:, scenario: and (optionally) overrides: sections.") from None
        base_dir = path.parent
    if is_pathway(data) and (patch or foresight):
        data = copy.deepcopy(data)
        if patch:
            data["scenario"] = merge_scenarios(data.get("scenario") or {}, patch, label="options")
        if foresight:
            data["pathway"] = {**data["pathway"], "foresight": foresight}
    if not is_pathway(data):
        raise ScenarioError(f"Invalid pathway in {where}: no 'pathway:' section. Fix: add pathway: "
                            "{periods: [...]} and the scenario: every period starts from.")
    unknown = set(data) - {"pathway", "scenario", "overrides", "name", "sources"}
    if unknown:
        raise ScenarioError(f"Invalid pathway in {where}: unknown section(s) {sorted(unknown)}. Fix: use "
                            "pathway:, scenario:, overrides:, sources: and name: only.")
    _check_sources(data.get("sources"), where)
    try:
        opts = PathwayOptions.model_validate(data["pathway"])
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ScenarioError(f"Invalid pathway in {where}, at 'pathway{'.' + loc if loc else ''}': "
                            f"{err['msg']}. Fix: see docs/pathways.md for the pathway section.") from None
    base = data.get("scenario")
    if not isinstance(base, dict):
        raise ScenarioError(f"Invalid pathway in {where}: 'scenario:' must be a scenario mapping (it can "
                            "extend a file or a data set). Fix: add the scenario every period starts from.")
    overrides = data.get("overrides") or {}
    extra = sorted(set(int(k) for k in overrides) - set(opts.periods)) if isinstance(overrides, dict) else None
    if extra is None or extra:
        raise ScenarioError(f"Invalid pathway in {where}: 'overrides' must map periods of pathway.periods "
                            f"to scenario patches (unknown periods: {extra}). Fix: key each patch by one of "
                            f"{opts.periods}.")
    scenarios = []
    for year in opts.periods:
        patch = overrides.get(year, overrides.get(str(year)))
        try:
            sc = load_scenario(_period_dict(base, year, patch), base_dir=base_dir)
        except ScenarioError as exc:
            raise ScenarioError(f"Invalid pathway in {where}, period {year}: {exc.message}") from None
        scenarios.append(sc)
    return PathwaySpec(options=opts, scenarios=scenarios, name=str(data.get("name") or scenarios[0].name))
