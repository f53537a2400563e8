"""Load scenario files: YAML, ``extends:`` inheritance, profile CSVs, validation.

Errors are raised as :class:`~silkgrid.core.errors.ScenarioError` naming the file, the field
path and the fix, never as a traceback.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.scenario.built_datasets import BUILT_DATASETS, _built_dataset
from silkgrid.scenario.paths import contracted_efficiencies, resolve_path
from silkgrid.scenario.schema import MAX_NUMBER, ProfileRef, Scenario

#: Sections that are lists of elements with an ``id``; ``extends`` merges them by id.
ELEMENT_SECTIONS = ("nodes", "carriers", "technologies", "generators", "storage", "links", "loads",
                    "markets")

#: (section, field) pairs that hold time series, with their allowed range.
SERIES_FIELDS: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("generators", "availability"): (0.0, 1.0),
    ("generators", "min_output"): (0.0, 1.0),
    ("storage", "inflow_mw"): (0.0, None),
    ("loads", "demand_mw"): (0.0, None),
    ("markets", "price_eur_per_mwh"): (None, None),
}


# ----------------------------------------------------------------------------------------
# public API
# ----------------------------------------------------------------------------------------
def dataset_path(name: str) -> Path:
    """Path of the scenario file of a packaged data set (``extends: example``)."""
    root = resources.files("silkgrid") / "data" / name / "scenario.yaml"
    return Path(str(root))


def available_datasets() -> list[str]:
    root = Path(str(resources.files("silkgrid") / "data"))
    files = [p.name for p in root.iterdir() if (p / "scenario.yaml").is_file()]
    return sorted(files + list(BUILT_DATASETS))


def load_scenario(source: str | Path | dict, *, base_dir: str | Path | None = None) -> Scenario:
    """Load, merge, validate and resolve a scenario.

    ``source`` is a YAML path, the name of a packaged data set (``"example"``), or a dict
    (as it would be read from YAML).  Profiles referenced by CSV are read and checked;
    the returned scenario holds floats or numpy arrays in every series field.
    """
    if isinstance(source, dict):
        base = Path(base_dir) if base_dir else Path.cwd()
        label = "<dict>"
        raw = _resolve_refs_checked(copy.deepcopy(source), base, label)
        raw = _apply_extends(raw, label, base, stack=[])
    elif isinstance(source, str) and not Path(source).is_file() and (built := _built_dataset(source, source)):
        label, raw = built
    else:
        path = _locate(source)
        label = str(path)
        raw = _read_with_extends(path, stack=[])
    raw.pop("extends", None)
    scenario = _validate(raw, label)
    scenario.source_file = label
    check_references(scenario)
    _load_series(scenario)
    return scenario


# ----------------------------------------------------------------------------------------
# reading and extends
# ----------------------------------------------------------------------------------------
def _locate(source: str | Path) -> Path:
    path = Path(source)
    if path.is_file():
        return path.resolve()
    if isinstance(source, str) and "/" not in source and not source.endswith((".yaml", ".yml")):
        candidate = dataset_path(source)
        if candidate.is_file():
            return candidate
        raise ScenarioError(
            f"'{source}' is neither a scenario file nor a packaged data set",
            file=str(source),
            fix=f"give a path to a YAML file or one of the data sets: {', '.join(available_datasets())}")
    raise ScenarioError("the file does not exist or cannot be read", file=str(source),
                        fix="check the path")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"the file cannot be read ({exc.__class__.__name__}: {exc})", file=str(path),
                            fix="check the path and that it is a UTF-8 text file") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"the file is not valid YAML{where}: {problem}", file=str(path),
                            fix="correct the YAML syntax (indentation, colons, quotes)") from None
    if not isinstance(data, dict):
        raise ScenarioError("the file does not hold a YAML mapping of scenario fields", file=str(path),
                            fix="start the file with fields such as 'name:', 'nodes:' and 'generators:'")
    return data


def _read_with_extends(path: Path, stack: list[Path]) -> dict:
    if path in stack:
        chain = " -> ".join(str(p) for p in [*stack, path])
        raise ScenarioError(f"'extends' forms a cycle: {chain}", file=str(stack[-1]), field="extends",
                            fix="remove one of the 'extends' entries so that the chain ends")
    raw = _resolve_refs_checked(_read_yaml(path), path.parent, str(path))
    return _apply_extends(raw, str(path), path.parent, [*stack, path])


def _apply_extends(raw: dict, label: str, base: Path, stack: list[Path]) -> dict:
    parent_name = raw.get("extends")
    if parent_name is None:
        return raw
    if isinstance(parent_name, dict) or (isinstance(parent_name, str) and not (base / parent_name).is_file()):
        built = _built_dataset(parent_name, label)
        if built is not None:
            return merge_scenarios(built[1], raw, label)
    if not isinstance(parent_name, str):
        raise ScenarioError("'extends' must be a file path or a data-set name", file=label,
                            field="extends", fix="write e.g. 'extends: example' or 'extends: base.yaml'")
    candidate = (base / parent_name)
    if candidate.is_file():
        parent_path = candidate.resolve()
    else:
        try:
            parent_path = _locate(parent_name)
        except ScenarioError as exc:
            raise ScenarioError(f"'extends: {parent_name}' names no file or data set", file=label,
                                field="extends", fix=exc.fix) from None
    parent = _read_with_extends(parent_path, stack)
    parent.pop("extends", None)
    return merge_scenarios(parent, raw, label)


def merge_scenarios(parent: dict, child: dict, label: str = "<dict>") -> dict:
    """Overlay ``child`` on ``parent``: element lists merge by id, mappings merge recursively.

    A child element ``{id: X, remove: true}`` deletes element X of the parent.
    """
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if key == "extends":
            continue
        if key in ELEMENT_SECTIONS and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = _merge_elements(out[key], value, key, label)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_scenarios(out[key], value, label)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merge_elements(base: list, override: list, section: str, label: str) -> list:
    merged = {(e.get("id") if isinstance(e, dict) else None): copy.deepcopy(e) for e in base}
    order = list(merged)
    for i, elem in enumerate(override):
        if not isinstance(elem, dict) or "id" not in elem:
            raise ScenarioError("an element without an 'id' cannot be merged with the extended scenario",
                                file=label, field=f"{section}[{i}]", fix="give the element an 'id'")
        eid = elem["id"]
        if elem.get("remove") is True:
            merged.pop(eid, None)
            continue
        if eid in merged and isinstance(merged[eid], dict):
            merged[eid] = merge_scenarios(merged[eid], elem, label)
        else:
            merged[eid] = copy.deepcopy(elem)
            order.append(eid)
    return [merged[k] for k in order if k in merged]


def _resolve_refs_checked(raw: Any, base: Path, label: str) -> Any:
    try:
        return _resolve_refs(raw, base)
    except RecursionError:
        raise ScenarioError("the data refers to itself (a YAML anchor used inside its own definition, "
                            "or nesting too deep)", file=label,
                            fix="replace the self-referencing '*alias' by the actual values") from None


def _absolute(base: Path, file: str) -> str:
    try:
        return str((base / file).resolve())
    except (OSError, ValueError):  # e.g. a NUL byte in the name; reading it reports the problem
        return str(base / file)


def _resolve_refs(raw: Any, base: Path) -> Any:
    """Make CSV references absolute relative to the file that names them.

    Also turns dates that YAML read as date objects (unquoted ``2030-01-31``) back into text.
    """
    if isinstance(raw, dict):
        if set(raw) == {"file", "column"} and isinstance(raw.get("file"), str):
            return {"file": _absolute(base, raw["file"]), "column": raw["column"]}
        return {k: _resolve_refs(v, base) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_resolve_refs(v, base) for v in raw]
    if isinstance(raw, str) and "#" in raw and raw.lower().split("#", 1)[0].endswith(".csv"):
        file, column = raw.split("#", 1)
        return {"file": _absolute(base, file), "column": column}
    if isinstance(raw, datetime.datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return raw


# ----------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------
def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith("function-") or part in ("float", "list[float]", "str", "int"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """Walk the schema along ``loc`` to find the model that owns the last key."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        ann = field.annotation
        for cand in _candidate_models(ann):
            model = cand
            break
        else:
            return None
    return model if hasattr(model, "model_fields") else None


def _candidate_models(ann: Any) -> list[type[BaseModel]]:
    args = getattr(ann, "__args__", None)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return [ann]
    out = []
    for a in args or ():
        out.extend(_candidate_models(a))
    return out


def _validate(raw: dict, label: str) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = _format_loc(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            model = _model_at(loc)
            known = sorted(model.model_fields) if model else []
            known = [k for k in known if k != "source_file"]
            hint = difflib.get_close_matches(key, known, n=1)
            fix = (f"did you mean '{hint[0]}'?" if hint else
                   f"remove it; allowed fields here are: {', '.join(known)}" if known else "remove it")
            raise ScenarioError(f"unknown field '{key}'", file=label, field=field, fix=fix) from None
        if kind == "missing":
            raise ScenarioError("a required field is missing", file=label, field=field,
                                fix=f"add '{loc[-1]}'") from None
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        value = err.get("input")
        shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
        if len(shown) > 80:
            shown = shown[:75] + "...)"
        fix = "correct the value as described"
        if kind == "string_type" and isinstance(value, (bool, int, float)):
            fix = ("put the value in quotes, e.g. 'NO' or '1' (unquoted, YAML reads yes/no/on/off/NO "
                   "as true/false and digits as numbers)")
        raise ScenarioError(f"{msg}{shown}", file=label, field=field, fix=fix) from None


def check_references(sc: Scenario) -> None:
    """Check ids are unique and every reference points to an existing element."""
    label = sc.source_file
    for section in ELEMENT_SECTIONS:
        seen: set[str] = set()
        for i, elem in enumerate(getattr(sc, section)):
            if elem.id in seen:
                raise ScenarioError(f"duplicate id '{elem.id}' in {section}", file=label,
                                    field=f"{section}[{i}].id", fix="give every element a unique id")
            seen.add(elem.id)
    if not sc.nodes:
        raise ScenarioError("the scenario has no nodes", file=label, field="nodes",
                            fix="add at least one node")
    nodes = {n.id for n in sc.nodes}
    carriers = {c.id for c in sc.carriers}
    techs = {t.id for t in sc.technologies}
    countries = {n.country for n in sc.nodes}

    def need(value: str, known: set[str], what: str, field: str) -> None:
        if value not in known:
            hint = difflib.get_close_matches(value, sorted(known), n=1)
            fix = f"did you mean '{hint[0]}'?" if hint else (
                f"use one of: {', '.join(sorted(known))}" if known else f"define the {what} first")
            raise ScenarioError(f"unknown {what} '{value}'", file=label, field=field, fix=fix)

    for i, t in enumerate(sc.technologies):
        need(t.carrier, carriers, "carrier", f"technologies[{i}].carrier")
    for i, g in enumerate(sc.generators):
        need(g.node, nodes, "node", f"generators[{i}].node")
        need(g.technology, techs, "technology", f"generators[{i}].technology")
    for i, s in enumerate(sc.storage):
        need(s.node, nodes, "node", f"storage[{i}].node")
        need(s.technology, techs, "technology", f"storage[{i}].technology")
    for i, ln in enumerate(sc.links):
        need(ln.from_node, nodes, "node", f"links[{i}].from_node")
        need(ln.to_node, nodes, "node", f"links[{i}].to_node")
    for i, ld in enumerate(sc.loads):
        need(ld.node, nodes, "node", f"loads[{i}].node")
    for i, m in enumerate(sc.markets):
        need(m.node, nodes, "node", f"markets[{i}].node")
    pol = sc.policies
    for c in pol.co2_cap_t_by_country:
        need(c, countries, "country", f"policies.co2_cap_t_by_country.{c}")
    for c in pol.min_renewable_share:
        need(c, countries, "country", f"policies.min_renewable_share.{c}")
    for i, fe in enumerate(pol.firm_exports):
        need(fe.node, nodes, "node", f"policies.firm_exports[{i}].node")
    seen_limits: set[str] = set()
    for i, lim in enumerate(pol.build_limits):
        if lim.id in seen_limits:
            raise ScenarioError(f"duplicate id '{lim.id}' in policies.build_limits", file=label,
                                field=f"policies.build_limits[{i}].id", fix="give every build limit a unique id")
        seen_limits.add(lim.id)
        if lim.country is not None:
            need(lim.country, countries, "country", f"policies.build_limits[{i}].country")
        for j, n in enumerate(lim.nodes):
            need(n, nodes, "node", f"policies.build_limits[{i}].nodes[{j}]")
        for j, t in enumerate(lim.technologies):
            need(t, techs, "technology", f"policies.build_limits[{i}].technologies[{j}]")
    _check_cbam_policy(sc, need)
    _check_time(sc)


def _check_cbam_policy(sc: Scenario, need) -> None:
    """``policies.cbam_*``: known ids, a connected path, contracted producers upstream on it."""
    pol, label = sc.policies, sc.source_file
    link_ids = {ln.id for ln in sc.links}
    gen_ids = {g.id for g in sc.generators}
    for i, lid in enumerate(pol.cbam_path):
        need(lid, link_ids, "link", f"policies.cbam_path[{i}]")
    for i, gid in enumerate(pol.cbam_contracted_generators or []):
        need(gid, gen_ids, "generator", f"policies.cbam_contracted_generators[{i}]")
    if not pol.cbam_hourly_matching:
        return
    if not pol.cbam_path:
        raise ScenarioError("cbam_hourly_matching is on but no cbam_path is given", file=label,
                            field="policies.cbam_path",
                            fix="list the link ids from the origin node to the EU landing node, "
                                "e.g. [caspian_hvdc, az_ge_500kv, black_sea_hvdc]")
    try:
        contracted_efficiencies(sc, resolve_path(sc, pol.cbam_path), pol.cbam_contracted_generators)
    except SilkGridError as exc:
        field = ("policies.cbam_contracted_generators" if "contracted generator" in str(exc)
                 else "policies.cbam_path")
        raise ScenarioError(str(exc), file=label, field=field,
                            fix="give links that form a chain from the origin to the EU landing node, "
                                "and producers on a node of that chain before the landing node") from None


def _timestamp(text: str, label: str | None, field: str, fix: str) -> pd.Timestamp:
    """Parse a date/time; NaT, time-zone offsets and unparsable text are ScenarioErrors."""
    try:
        ts = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        ts = None
    if ts is None or pd.isna(ts):
        raise ScenarioError(f"'{text}' is not a date/time", file=label, field=field, fix=fix)
    if ts.tzinfo is not None:
        raise ScenarioError(f"'{text}' has a time-zone offset, which is not supported", file=label,
                            field=field, fix="give the time without an offset; all times of a scenario "
                            "are in the same (unstated) time zone")
    return ts


def _check_time(sc: Scenario) -> None:
    label = sc.source_file
    start = _timestamp(sc.time.start, label, "time.start", "write it as 'YYYY-MM-DD HH:MM'")
    try:
        end_all = start + pd.Timedelta(hours=sc.time.hours)
    except (ValueError, OverflowError):  # pandas' OutOfBoundsDatetime is a ValueError
        raise ScenarioError(f"the data period starting {start} with {sc.time.hours} hours lies outside the "
                            "dates that can be represented", file=label, field="time.start",
                            fix="use a realistic start date") from None
    if sc.time.subset is not None:
        for part in ("start", "end"):
            ts = _timestamp(getattr(sc.time.subset, part), label, f"time.subset.{part}",
                            "write it as 'YYYY-MM-DD'")
            if not (start <= ts < end_all):
                raise ScenarioError(f"{ts} lies outside the data period {start} .. {end_all}", file=label,
                                    field=f"time.subset.{part}",
                                    fix="choose dates within the period covered by the profiles")
        if pd.Timestamp(sc.time.subset.end) < pd.Timestamp(sc.time.subset.start):
            raise ScenarioError("subset end lies before its start", file=label, field="time.subset",
                                fix="swap the dates")


# ----------------------------------------------------------------------------------------
# time series
# ----------------------------------------------------------------------------------------
def _read_csv(path: str, cache: dict[str, pd.DataFrame], label: str | None, field: str) -> pd.DataFrame:
    if path not in cache:
        try:
            cache[path] = pd.read_csv(path, comment=None)
        except FileNotFoundError:
            raise ScenarioError(f"profile file '{path}' does not exist", file=label, field=field,
                                fix="check the file name; paths are relative to the scenario file") from None
        except Exception as exc:  # pandas raises many parser errors
            raise ScenarioError(f"profile file '{path}' cannot be read as CSV ({exc})", file=label,
                                field=field, fix="save it as comma-separated text with a header row") from None
    return cache[path]


def _load_series(sc: Scenario) -> None:
    """Replace CSV references by arrays; check length, NaN and range of every series."""
    cache: dict[str, pd.DataFrame] = {}
    n = sc.time.hours
    for (section, name), (lo, hi) in SERIES_FIELDS.items():
        for i, elem in enumerate(getattr(sc, section)):
            field = f"{section}[{i}].{name}"
            value = getattr(elem, name)
            where = sc.source_file
            if isinstance(value, ProfileRef):
                df = _read_csv(value.file, cache, sc.source_file, field)
                if value.column not in df.columns:
                    hint = difflib.get_close_matches(value.column, [str(c) for c in df.columns], n=1)
                    raise ScenarioError(
                        f"column '{value.column}' is not in {value.file}", file=sc.source_file, field=field,
                        fix=f"did you mean '{hint[0]}'?" if hint else
                        f"use one of the columns: {', '.join(map(str, df.columns[:20]))}")
                try:
                    arr = pd.to_numeric(df[value.column], errors="raise").to_numpy(dtype=float)
                except (ValueError, TypeError):
                    raise ScenarioError(f"column '{value.column}' of {value.file} holds non-numeric values",
                                        file=sc.source_file, field=field,
                                        fix="make every row a number") from None
                where = value.file
                value = arr
            if isinstance(value, np.ndarray):
                if value.shape[0] != n:
                    raise ScenarioError(
                        f"the profile has {value.shape[0]} values but time.hours is {n}", file=where,
                        field=field, fix=f"give exactly {n} hourly values (or change time.hours)")
                bad = ~np.isfinite(value)
                if bad.any():
                    k = int(np.argmax(bad))
                    raise ScenarioError(f"the profile has a missing or non-finite value (NaN/inf) at hour {k}",
                                        file=where, field=field, fix="fill the gap with a number")
                vmin, vmax = float(value.min()), float(value.max())
            else:
                if not np.isfinite(value):
                    raise ScenarioError("the value is not finite", file=where, field=field,
                                        fix="give a finite number")
                vmin = vmax = float(value)
            if max(abs(vmin), abs(vmax)) > MAX_NUMBER:
                raise ScenarioError(f"values must lie within +-{MAX_NUMBER:g}, found {max(vmin, vmax, key=abs):g}",
                                    file=where, field=field, fix="correct the value (check its unit)")
            if lo is not None and vmin < lo - 1e-12:
                raise ScenarioError(f"values must be >= {lo}, found {vmin:g}", file=where, field=field,
                                    fix="correct the profile")
            if hi is not None and vmax > hi + 1e-12:
                raise ScenarioError(f"values must be <= {hi}, found {vmax:g}", file=where, field=field,
                                    fix="correct the profile (capacity factors are per unit, 0..1)")
            setattr(elem, name, value)
    for i, g in enumerate(sc.generators):
        if np.any(np.asarray(g.min_output) > np.asarray(g.availability) + 1e-9):
            raise ScenarioError("min_output exceeds availability in some hour", file=sc.source_file,
                                field=f"generators[{i}].min_output",
                                fix="keep the must-run share at or below the availability")
