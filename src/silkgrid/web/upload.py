"""Scenario YAML uploaded from the dashboard: ``POST /api/runs/upload``, JSON ``{"yaml": "<text>", "label": ...}``.

The text is parsed safely (``yaml.SafeLoader``; a key given twice, anchors/aliases and more than
one document are refused) and validated by :func:`silkgrid.scenario.loader.load_scenario`, so the
error messages are the CLI's.  No files travel with an upload, so it may only extend a packaged
data set (``extends: example``, ``extends: corridor-2035`` or ``extends: {dataset: corridor, ...}``)
and may not reference profile CSVs (``profiles.csv#col`` or ``{file: ..., column: ...}``).
"""

from __future__ import annotations

import copy
import json
import re
import tempfile

import yaml

from silkgrid.core.errors import ScenarioError
from silkgrid.scenario.loader import BUILT_DATASETS, available_datasets, load_scenario
from silkgrid.scenario.pathway import is_pathway, load_pathway

__all__ = ["MAX_YAML_BYTES", "UPLOAD", "parse_upload", "load_upload"]

#: Largest YAML text accepted, bytes of UTF-8 (a hand-written scenario is a few KiB).
MAX_YAML_BYTES = 256 * 1024
#: The name an upload goes by in error messages (it has no file name).
UPLOAD = "<upload>"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CSV_REF = re.compile(r"^[^#]+\.csv#", re.IGNORECASE)


def _refuse(problem: str, field: str | None, fix: str) -> ScenarioError:
    return ScenarioError(problem, file=UPLOAD, field=field, fix=fix)


def _read(text: str):
    """The YAML document of ``text`` as Python data (safe constructors only)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise _refuse("YAML aliases ('*name') are not accepted in an upload", None,
                              "write the values out instead of '&anchor'/'*alias'")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _refuse(f"the text is not valid YAML{where}: {problem}", None,
                      "correct the YAML syntax (indentation, colons, quotes)") from None
    except RecursionError:
        raise _refuse("the YAML is nested too deeply", None, "flatten the structure") from None
    stack = [node] if node is not None else []
    while stack:  # a key given twice in one mapping: YAML would silently keep the last one
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            keys = [k for k, _ in n.value if isinstance(k, yaml.ScalarNode)]
            dup = next((k for i, k in enumerate(keys) if k.value in [j.value for j in keys[:i]]), None)
            if dup is not None:
                raise _refuse(f"the key '{dup.value}' appears twice in the same mapping "
                              f"(line {dup.start_mark.line + 1})", None, "keep one of the two entries")
            stack.extend(v for pair in n.value for v in pair)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return yaml.SafeLoader("").construct_document(node) if node is not None else None


def _check_extends(ext) -> None:
    if ext is None or isinstance(ext, dict):  # a mapping names a built data set; the loader checks it
        return
    names = available_datasets()
    if isinstance(ext, str) and (ext in names or ext.partition("-")[0] in BUILT_DATASETS):
        return
    raise _refuse(f"'extends: {ext}' is not a packaged data set; an upload carries no other files", "extends",
                  f"extend one of the data sets ({', '.join(names)}, or e.g. corridor-2035), "
                  "or run the file with 'silkgrid run' instead")


def _check_no_files(data) -> None:
    """Refuse profile CSV references anywhere in ``data`` (walked without recursion)."""
    stack = [(data, "")]
    while stack:
        value, path = stack.pop()
        is_ref = (isinstance(value, dict) and set(value) == {"file", "column"}) or (
            isinstance(value, str) and _CSV_REF.match(value))
        if is_ref:
            raise _refuse("this refers to a CSV file, but an upload carries no files", path or None,
                          "give the profile as a number or a list of numbers, or run the scenario "
                          "with 'silkgrid run' next to its CSV files")
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(value))


def parse_upload(text) -> dict:
    """The scenario dict of an uploaded YAML ``text``; raises :class:`ScenarioError` (field and fix)."""
    if not isinstance(text, str):
        raise _refuse("'yaml' must be the text of a scenario file (a JSON string)", "yaml",
                      "send {\"yaml\": \"<file contents>\", \"label\": \"...\"}")
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_YAML_BYTES:
        raise _refuse(f"the scenario text is {size / 1024:,.0f} KiB, more than the limit of "
                      f"{MAX_YAML_BYTES // 1024} KiB", "yaml",
                      "extend a packaged data set and upload only the changes, or use 'silkgrid run'")
    data = _read(text)
    if not isinstance(data, dict):
        raise _refuse("the text does not hold a YAML mapping of scenario fields", None,
                      "start with fields such as 'extends: example' or 'name:', 'nodes:'")
    _check_extends(data.get("extends"))
    _check_no_files(data)
    return data


def load_upload(body: bytes):
    """(validated Scenario, scenario dict, label, time limit in s or None) of an upload request body,
    JSON ``{"yaml": text, "label": ..., "time_limit_s": ...}``; raises :class:`ScenarioError`.  A text
    with a ``pathway:`` section is validated as a pathway (every period loads) and comes back with
    Scenario None and the pathway dict."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested beyond the recursion limit
        raise _refuse(f"the request is not valid JSON ({str(exc)[:80]})", None,
                      "send {\"yaml\": \"<file contents>\", \"label\": \"...\"}") from None
    if not isinstance(payload, dict):
        raise _refuse("the request must be a JSON object", None, "send {\"yaml\": \"<file contents>\"}")
    extra = sorted(set(payload) - {"yaml", "label", "time_limit_s"})
    if extra:
        raise _refuse(f"unknown field '{extra[0]}' in an upload request", extra[0],
                      "send only 'yaml', 'label' and optionally 'time_limit_s'")
    limit = payload.get("time_limit_s")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0):
        raise _refuse("time_limit_s must be a positive number of seconds", "time_limit_s",
                      "give e.g. 300 (the server's limit applies when it is lower)")
    label = payload.get("label") or "upload"
    if not isinstance(label, str) or len(label) > 60 or _CONTROL.search(label):
        raise _refuse("the label must be printable text of at most 60 characters", "label",
                      "e.g. \"my scenario\"")
    raw = parse_upload(payload.get("yaml"))
    if is_pathway(raw):
        _check_extends((raw.get("scenario") or {}).get("extends") if isinstance(raw.get("scenario"), dict) else None)
        load_pathway(copy.deepcopy(raw))  # the CLI's messages (the pathway is named '<dict>')
        return None, raw, label, limit
    with tempfile.TemporaryDirectory(prefix="silkgrid-upload-") as empty:  # nothing relative resolves
        try:
            sc = load_scenario(copy.deepcopy(raw), base_dir=empty)
        except ScenarioError as exc:
            if exc.file == "<dict>":  # the loader's name for a scenario given as data
                exc.file = UPLOAD
            raise
    sc.source_file = UPLOAD
    sc.name = f"{sc.name} ({label})"
    return sc, raw, label, limit
