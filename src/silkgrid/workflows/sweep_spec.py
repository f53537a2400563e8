"""A sweep file and the points it stands for: axes over any scenario field, crossed, zipped or sampled.

A sweep file (YAML)::

    name: caspian-capex
    base: corridor-2035              # the scenario every point starts from (file, packaged name or mapping)
    resolution: 12h                  # optional: time.resolution of every point
    solver: {method: monolithic}     # optional: solve options of every point
    seed: 7                          # samples are drawn with it (default 0)
    axes:                            # crossed with each other (Cartesian product)
      - {path: links.caspian_hvdc.capex_eur_per_mw_km, values: [1500, 2500]}
      - {path: discount_rate, values: [0.05, 0.08]}
      - {path: weather_year, values: [1, 2, 3]}        # = extends.weather_year
      - {path: loads.*.demand_mw, factors: [0.9, 1.1]}  # multiplies the base's value (every load)
    zip:                             # groups of axes that vary together, each group crossed with the rest
      - [{path: policies.co2_price_eur_per_t, values: [0, 50]}, {path: year, values: [2030, 2040]}]
    samples:                         # n points (Latin hypercube or Monte Carlo), crossed with the rest
      method: lhs                    # lhs | monte_carlo
      n: 20
      axes:
        - {path: policies.co2_price_eur_per_t, uniform: [0, 150]}
        - {path: links.black_sea_hvdc.capex_eur_per_mw, uniform: [0.8, 1.3], factor: true}
        - {path: technologies.onwind.capex_eur_per_kw, normal: [1200, 150], min: 600}

Paths name a field of the scenario: ``section.ID.field`` for elements (``*`` for every element of the
section), dotted names for the rest (``policies.co2_price_eur_per_t``, ``discount_rate``; a leading
``scenario.`` is ignored), ``extends.OPTION`` (or just ``weather_year``, ``year``, ``finance``,
``grant_share``) for the options of the data set the base extends.  Every point is loaded and
validated (:func:`load_sweep`) before anything runs, so a bad axis gets the loader's message.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.loader import ELEMENT_SECTIONS, load_scenario, merge_scenarios
from silkgrid.scenario.schema import Scenario

__all__ = ["Axis", "SampleAxis", "SweepFile", "SweepPoint", "SweepPlan", "load_sweep", "DATASET_OPTIONS"]

#: Shorthand paths for the options of the data set the base extends.
DATASET_OPTIONS = ("weather_year", "year", "finance", "grant_share", "include_announced", "market_price_year")

_Num = Annotated[float, Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Axis(_Strict):
    """A list axis: the values a field takes (``values``) or factors on the base's value (``factors``)."""

    path: str
    values: list[Any] | None = None
    factors: list[_Num] | None = None

    @model_validator(mode="after")
    def _one(self) -> "Axis":
        if (self.values is None) == (self.factors is None) or not (self.values or self.factors):
            raise ValueError(f"axis '{self.path}' needs exactly one non-empty list: values or factors")
        return self

    def levels(self) -> list[Any]:
        return list(self.values if self.values is not None else self.factors)


class SampleAxis(_Strict):
    """A sampled axis: ``uniform: [low, high]``, ``normal: [mean, sd]`` (clipped to ``min``/``max``) or
    ``choice: [...]``; with ``factor: true`` the number multiplies the base's value."""

    path: str
    uniform: Annotated[list[_Num], Field(min_length=2, max_length=2)] | None = None
    normal: Annotated[list[_Num], Field(min_length=2, max_length=2)] | None = None
    choice: list[Any] | None = None
    min: _Num | None = None
    max: _Num | None = None
    factor: bool = False

    @model_validator(mode="after")
    def _one(self) -> "SampleAxis":
        given = [k for k in ("uniform", "normal", "choice") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"sample axis '{self.path}' needs exactly one of uniform, normal, choice")
        if self.uniform is not None and not self.uniform[0] <= self.uniform[1]:
            raise ValueError(f"sample axis '{self.path}': uniform needs low <= high")
        if self.normal is not None and self.normal[1] < 0:
            raise ValueError(f"sample axis '{self.path}': normal needs a standard deviation >= 0")
        if self.choice is not None and not self.choice:
            raise ValueError(f"sample axis '{self.path}': choice needs at least one value")
        return self

    def draw(self, u: np.ndarray) -> list[Any]:
        """Values at the probabilities ``u`` (in [0, 1)): inverse distribution functions."""
        if self.uniform is not None:
            lo, hi = self.uniform
            out = lo + u * (hi - lo)
        elif self.normal is not None:
            from scipy.stats import norm  # noqa: PLC0415 - only for normal axes

            out = norm.ppf(np.clip(u, 1e-12, 1 - 1e-12), loc=self.normal[0], scale=self.normal[1])
        else:
            return [self.choice[int(i)] for i in np.minimum((u * len(self.choice)).astype(int), len(self.choice) - 1)]
        out = np.clip(out, -np.inf if self.min is None else self.min, np.inf if self.max is None else self.max)
        return [float(v) for v in out]


class Samples(_Strict):
    method: Literal["lhs", "monte_carlo"] = "lhs"
    n: Annotated[int, Field(ge=1, le=100_000)]
    axes: Annotated[list[SampleAxis], Field(min_length=1)]


class SweepFile(_Strict):
    """The sweep file (see the module doc)."""

    name: str = "sweep"
    base: str | dict[str, Any]
    resolution: str | None = None
    solver: dict[str, Any] = Field(default_factory=dict)
    seed: int = 0
    axes: list[Axis] = Field(default_factory=list)
    zip: list[Annotated[list[Axis], Field(min_length=1)]] = Field(default_factory=list)
    samples: Samples | None = None

    @model_validator(mode="after")
    def _check(self) -> "SweepFile":
        for group in self.zip:
            sizes = {len(a.levels()) for a in group}
            if len(sizes) != 1:
                raise ValueError(f"zipped axes {[a.path for a in group]} need lists of one length (got {sorted(sizes)})")
        paths = [a.path for a in self.axes] + [a.path for g in self.zip for a in g] + (
            [a.path for a in self.samples.axes] if self.samples else [])
        dup = sorted({p for p in paths if paths.count(p) > 1})
        if dup:
            raise ValueError(f"path(s) {dup} appear on more than one axis")
        return self


@dataclass
class SweepPoint:
    """One run of a sweep: its axis values (path -> value; factors as given) and its scenario (a
    scenario dict over the base, loadable with :func:`~silkgrid.scenario.loader.load_scenario`)."""

    index: int
    values: dict[str, Any]
    scenario: dict[str, Any]
    sampled: bool = False


@dataclass
class SweepPlan:
    """A loaded sweep: its file and every point, each validated."""

    spec: SweepFile
    points: list[SweepPoint]
    scenarios: list[Scenario] = field(default_factory=list, repr=False)
    """The loaded scenario of each point (same order)."""
    source: str = "<dict>"

    @property
    def axis_paths(self) -> list[str]:
        s = self.spec
        return ([a.path for a in s.axes] + [a.path for g in s.zip for a in g]
                + ([a.path for a in s.samples.axes] if s.samples else []))


def _design(spec: SweepFile) -> list[tuple[dict[str, Any], bool]]:
    """(axis values, sampled) of every point: the product of the axes, the zipped groups and the samples."""
    blocks: list[list[dict[str, Any]]] = [[{a.path: v} for v in a.levels()] for a in spec.axes]
    for group in spec.zip:
        blocks.append([{a.path: a.levels()[i] for a in group} for i in range(len(group[0].levels()))])
    if spec.samples is not None:
        blocks.append(_samples(spec.samples, spec.seed))
    out = []
    for combo in itertools.product(*blocks) if blocks else [()]:
        values: dict[str, Any] = {}
        for part in combo:
            values.update(part)
        out.append((values, spec.samples is not None))
    return out


def _samples(s: Samples, seed: int) -> list[dict[str, Any]]:
    """``s.n`` draws of the sample axes: a Latin hypercube (one draw in each of n equal-probability
    strata per axis, scipy.stats.qmc) or plain Monte Carlo, both from ``seed``."""
    d = len(s.axes)
    if s.method == "lhs":
        from scipy.stats import qmc  # noqa: PLC0415

        u = qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(s.n)
    else:
        u = np.random.default_rng(seed).random((s.n, d))
    cols = [a.draw(u[:, j]) for j, a in enumerate(s.axes)]
    return [{a.path: cols[j][i] for j, a in enumerate(s.axes)} for i in range(s.n)]


def _dataset_ref(base: dict) -> dict:
    """``extends`` of ``base`` as a mapping ({dataset: corridor, year: 2035}) so options can be set."""
    ext = base.get("extends")
    if isinstance(ext, dict):
        return dict(ext)
    if isinstance(ext, str) and ext.split("-")[0] == "corridor" and "/" not in ext and not ext.endswith(".yaml"):
        name, _, year = ext.partition("-")
        if year.isdigit():
            return {"dataset": name, "year": int(year)}
        if not year:
            return {"dataset": name}
    raise ScenarioError("an axis over a data-set option needs a base that extends a data set (e.g. "
                        "base: corridor-2035 or base: {extends: {dataset: corridor, year: 2035}})",
                        field="axes", fix="use a packaged corridor scenario as the base")


def _resolved_value(sc: Scenario, parts: list[str]):
    obj: Any = sc
    for p in parts:
        obj = obj.get(p) if isinstance(obj, dict) else getattr(obj, p)
    return obj


def _apply(base: dict, resolved: Scenario, path: str, value: Any, factor: bool) -> dict:
    """``base`` with the field at ``path`` set to ``value`` (or multiplied by it)."""
    parts = path.removeprefix("scenario.").split(".")
    if parts[0] in DATASET_OPTIONS and len(parts) == 1:
        parts = ["extends", parts[0]]
    if parts[0] == "extends":
        if factor or len(parts) != 2:
            raise ScenarioError(f"axis '{path}': a data-set option is set, not multiplied, and has no sub-fields",
                                field="axes", fix="use values: [...] with a path like extends.weather_year")
        out = copy.deepcopy(base)
        out["extends"] = {**_dataset_ref(base), parts[1]: value}
        return out
    if parts[0] in ELEMENT_SECTIONS:
        if len(parts) < 3:
            raise ScenarioError(f"axis '{path}': an element field is SECTION.ID.FIELD", field="axes",
                                fix=f"e.g. {parts[0]}.<id>.<field>, or {parts[0]}.*.<field> for every element")
        ids = [e.id for e in getattr(resolved, parts[0])]
        chosen = ids if parts[1] == "*" else [parts[1]]
        if parts[1] != "*" and parts[1] not in ids:
            raise ScenarioError(f"axis '{path}': the base has no {parts[0]} element '{parts[1]}'", field="axes",
                                fix=f"use one of its ids ({', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''})")
        elems = []
        by_id = {e.id: e for e in getattr(resolved, parts[0])}
        for eid in chosen:
            v = value
            if factor:
                v = _scaled(by_id[eid], parts[2:], value, f"axis '{path}': {parts[0]} '{eid}'")
            elems.append(_nest({"id": eid}, parts[2:], v))
        return merge_scenarios(base, {parts[0]: elems}, label="sweep point")
    v = _scaled(resolved, parts, value, f"axis '{path}': the base") if factor else value
    return merge_scenarios(base, _nest({}, parts, v), label="sweep point")


def _scaled(obj: Any, parts: list[str], factor: float, what: str) -> Any:
    """The number (or profile) at ``parts`` of ``obj`` times ``factor``; a ScenarioError when it is none."""
    try:
        old = _resolved_value(obj, parts)
    except (AttributeError, TypeError):
        old = None
    if isinstance(old, np.ndarray) and old.dtype.kind in "fiu":
        return old.astype(float) * factor
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        return old * factor
    raise ScenarioError(f"{what} has no number at '{'.'.join(parts)}' to multiply", field="axes",
                        fix="give values: [...] instead of factors, or name a numeric field")


def _nest(into: dict, parts: list[str], value: Any) -> dict:
    d = into
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = value
    return into


def _base_dict(base: str | dict, base_dir: Path | None) -> dict:
    if isinstance(base, dict):
        return copy.deepcopy(base)
    path = Path(base)
    if not path.is_absolute() and base_dir is not None and (base_dir / path).is_file():
        path = base_dir / path
    return {"extends": str(path) if path.is_file() else base}


def load_sweep(source: str | Path | dict, *, progress=None) -> SweepPlan:
    """Read a sweep file (or dict), expand its points and load every point's scenario (bad input
    raises :class:`ScenarioError` naming the file, the axis or point and the fix).  ``progress``
    (called with points done, points in all) reports the validation of large sweeps."""
    where = "<dict>" if isinstance(source, dict) else str(source)
    base_dir = None
    if isinstance(source, dict):
        data = source
    else:
        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ScenarioError(f"cannot read the sweep file: {exc}", file=where,
                                fix="give a readable YAML file with base: and axes:, zip: or samples: "
                                    "(docs/sweeps.md)") from None
        base_dir = Path(source).parent
    if not isinstance(data, dict):
        raise ScenarioError("a sweep file is a mapping with base: and axes:, zip: or samples:", file=where,
                            fix="see docs/sweeps.md for the sweep file format")
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ScenarioError(f"invalid sweep file: {err['msg'].removeprefix('Value error, ')}", file=where,
                            field=loc or None, fix="see docs/sweeps.md for the sweep file format") from None
    base = _base_dict(spec.base, base_dir)
    if spec.resolution:
        base = merge_scenarios(base, {"time": {"resolution": spec.resolution}}, label=where)
    try:
        resolved = load_scenario(base, base_dir=base_dir)
    except ScenarioError as exc:
        raise ScenarioError(f"the sweep's base scenario: {exc.problem}", file=exc.file or where, field=exc.field,
                            fix=exc.fix) from None
    factors = {a.path for a in spec.axes if a.factors is not None} | {
        a.path for g in spec.zip for a in g if a.factors is not None} | (
        {a.path for a in spec.samples.axes if a.factor} if spec.samples else set())
    points, scenarios = [], []
    design = _design(spec)
    for i, (values, sampled) in enumerate(design):
        sc_dict = base
        try:
            for path, v in values.items():
                sc_dict = _apply(sc_dict, resolved, path, v, path in factors)
            sc = load_scenario(sc_dict, base_dir=base_dir)
        except ScenarioError as exc:
            raise ScenarioError(f"sweep point {i + 1} of {len(design)} ({_describe(values)}): {exc.problem}",
                                file=where, field=exc.field, fix=exc.fix) from None
        points.append(SweepPoint(index=i, values=values, scenario=sc_dict, sampled=sampled))
        scenarios.append(sc)
        if progress is not None:
            progress(i + 1, len(design))
    return SweepPlan(spec=spec, points=points, scenarios=scenarios, source=where)


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()) or "the base"
