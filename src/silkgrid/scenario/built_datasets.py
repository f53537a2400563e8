"""Data sets built by code from their tables (``extends: corridor-2040`` or ``extends: {dataset: corridor,
...}``): their options, how results label them, and a small cache of recent builds."""

from __future__ import annotations

import copy
import difflib
import re

from silkgrid.core.errors import ScenarioError

__all__ = ["BUILT_DATASETS", "built_dataset"]

#: Data sets built by code from their tables: name -> options accepted in ``extends``.
BUILT_DATASETS = {"corridor": ("year", "weather_year", "weather_years", "discount_rate", "market_price_year",
                              "finance", "grant_share", "include_announced")}
#: Options of built data sets that are text (e.g. ``finance: high``), fractions or yes/no; the others are integers.
_TEXT_OPTIONS = frozenset({"finance"})
_FLOAT_OPTIONS = frozenset({"discount_rate", "grant_share"})
_BOOL_OPTIONS = frozenset({"include_announced"})
#: Options that are lists of whole numbers (``weather_years: [1, 2, 3]``; ``1,2,3`` in a result's label).
_LIST_OPTIONS = frozenset({"weather_years"})


#: ``<data set corridor year=2040 weather_year=3>``: how results name a built data set; loadable again.
_BUILT_LABEL = re.compile(r"^<data set (?P<name>[A-Za-z_]+)(?P<options>(?: [a-z_]+=[A-Za-z0-9.,]+)*)>$")


_BUILT_CACHE: dict[tuple, dict] = {}  # (builder, options) -> scenario dict
_BUILT_CACHE_SIZE = 4


def _build_cached(kwargs: tuple) -> dict:
    """The corridor data set built with ``kwargs`` (a deep copy: callers may change it).  The build
    is deterministic (sourced tables, seeded weather), so the last few builds are kept: a sweep or a
    pathway that loads many scenarios over one data set builds it once (about 2-3 s each time)."""
    from silkgrid.data import build  # heavy imports only when used

    fn = build.build_corridor_scenario  # part of the key: a replaced builder (a test's) is never served stale
    key = (fn, kwargs)
    if key not in _BUILT_CACHE:
        if len(_BUILT_CACHE) >= _BUILT_CACHE_SIZE:
            _BUILT_CACHE.pop(next(iter(_BUILT_CACHE)))
        _BUILT_CACHE[key] = fn(**dict(kwargs))
    return copy.deepcopy(_BUILT_CACHE[key])


def _built_dataset(ref: str | dict, label: str) -> tuple[str, dict] | None:
    """Build a code-built data set (``corridor``, ``corridor-2040``, or a mapping with options).

    Returns ``(label, scenario dict)``, or None when ``ref`` names no such data set.
    """
    if isinstance(ref, dict):
        options = dict(ref)
        name = options.pop("dataset", None)
        if not isinstance(name, str) or name not in BUILT_DATASETS:
            raise ScenarioError(
                f"'extends' as a mapping needs 'dataset' set to one of: {', '.join(BUILT_DATASETS)}",
                file=label, field="extends", fix="write e.g. 'extends: {dataset: corridor, year: 2040}'")
    elif (m := _BUILT_LABEL.match(ref)) is not None:  # the label a built data set carries in results
        name = m["name"]
        options = dict(kv.split("=", 1) for kv in m["options"].split())
    else:
        name, _, year = ref.partition("-")
        if name not in BUILT_DATASETS:
            return None
        options = {"year": year} if year else {}
    allowed = BUILT_DATASETS[name]
    for key, value in options.items():
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            raise ScenarioError(f"unknown option '{key}' of data set '{name}'", file=label,
                                field=f"extends.{key}",
                                fix=f"did you mean '{hint[0]}'?" if hint else f"use: {', '.join(allowed)}")
        if key in _TEXT_OPTIONS:
            if not isinstance(value, str):
                raise ScenarioError(f"option '{key}' must be a word", file=label, field=f"extends.{key}",
                                    fix="e.g. finance: high (low, central or high)")
        elif key in _BOOL_OPTIONS:  # True/False, or the text of a result's data-set label
            if not isinstance(value, bool) and str(value).lower() not in ("true", "false"):
                raise ScenarioError(f"option '{key}' must be true or false", file=label, field=f"extends.{key}",
                                    fix=f"e.g. {key}: true")
            options[key] = value if isinstance(value, bool) else str(value).lower() == "true"
        elif key in _LIST_OPTIONS:
            items = value.split(",") if isinstance(value, str) else value
            try:
                ok = isinstance(items, list) and len(items) >= 1 and all(
                    not isinstance(v, bool) and float(v) == int(float(v)) and int(float(v)) >= 1 for v in items)
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ScenarioError(f"option '{key}' must be a list of whole numbers >= 1", file=label,
                                    field=f"extends.{key}", fix=f"e.g. {key}: [1, 2, 3]")
            options[key] = tuple(int(float(v)) for v in items)
        elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ScenarioError(f"option '{key}' must be a number", file=label, field=f"extends.{key}",
                                fix="give a number, e.g. year: 2040")
    try:
        kwargs = {k: (v if k in _TEXT_OPTIONS | _BOOL_OPTIONS | _LIST_OPTIONS else float(v) if k in _FLOAT_OPTIONS
                      else int(v))
                  for k, v in options.items()}
    except ValueError:
        raise ScenarioError(f"the options of data set '{name}' must be numbers", file=label,
                            field="extends", fix="e.g. 'extends: corridor-2040' or "
                            "'extends: {dataset: corridor, year: 2040, weather_year: 3}'") from None
    try:
        raw = _build_cached(tuple(sorted(kwargs.items())))
    except (ValueError, KeyError) as exc:
        raise ScenarioError(f"data set '{name}' cannot be built with {kwargs}: {exc}", file=label,
                            field="extends", fix="choose a year from 2030 to 2060, a weather_year >= 1, "
                            "finance low, central or high and a grant_share from 0 to 1") from None
    text = {k: ",".join(map(str, v)) if k in _LIST_OPTIONS else v for k, v in kwargs.items()}
    return f"<data set {name}{''.join(f' {k}={v}' for k, v in text.items())}>", raw


built_dataset = _built_dataset
