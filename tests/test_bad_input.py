"""Bad input never crashes the CLI: exit code 2, one clear paragraph, nothing written.

The first half checks hand-written broken scenarios (the message must name the file, the
field path and the problem); the second half mutates a valid scenario at random
(hypothesis) and checks that ``validate`` and ``run`` either succeed (exit 0/1 with a
summary) or fail cleanly (exit 2), never with a traceback.
"""

from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from silkgrid.cli import app

HOURS = 24
SOLAR = [0, 0, 0, 0, 0, 0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.9, 0.85, 0.75, 0.6, 0.4, 0.2, 0.05, 0, 0, 0, 0, 0]


def base() -> dict:
    """A small valid scenario (2 nodes, 24 h) that references profiles.csv."""
    return {
        "name": "bad-input",
        "time": {"start": "2030-01-01 00:00", "hours": HOURS, "resolution": "1h"},
        "nodes": [{"id": "KZ", "country": "KZ"}, {"id": "UZ", "country": "UZ"}],
        "carriers": [{"id": "solar", "renewable": True},
                     {"id": "gas", "co2_t_per_mwh_th": 0.2, "fuel_cost_eur_per_mwh_th": 30},
                     {"id": "electricity"}],
        "technologies": [
            {"id": "solar_pv", "carrier": "solar", "capex_eur_per_kw": 500},
            {"id": "ccgt", "carrier": "gas", "capex_eur_per_kw": 900, "efficiency": 0.55},
            {"id": "battery", "carrier": "electricity", "capex_eur_per_kw": 150, "energy_capex_eur_per_kwh": 200},
        ],
        "generators": [
            {"id": "KZ_solar", "node": "KZ", "technology": "solar_pv", "extendable": True,
             "max_capacity_mw": 2000, "availability": "profiles.csv#solar"},
            {"id": "UZ_gas", "node": "UZ", "technology": "ccgt", "capacity_mw": 500},
        ],
        "storage": [{"id": "KZ_battery", "node": "KZ", "technology": "battery", "extendable_power": True,
                     "max_hours": 4, "efficiency_charge": 0.95, "efficiency_discharge": 0.95}],
        "links": [{"id": "KZ_UZ", "from_node": "KZ", "to_node": "UZ", "capacity_mw": 100, "extendable": True,
                   "length_km": 400, "capex_eur_per_mw_km": 400, "efficiency": 0.97}],
        "loads": [{"id": "KZ_load", "node": "KZ", "demand_mw": 150},
                  {"id": "UZ_load", "node": "UZ", "demand_mw": [300 + 5 * h for h in range(HOURS)]}],
        "markets": [{"id": "UZ_market", "node": "UZ", "price_eur_per_mwh": 45, "export_capacity_mw": 50}],
        "policies": {"co2_price_eur_per_t": 40, "co2_cap_t_by_country": {"UZ": 2.0e6},
                     "min_renewable_share": {"KZ": 0.1}},
    }


def write_profiles(folder: Path, values: list | None = None) -> Path:
    path = folder / "profiles.csv"
    rows = ["hour,solar"] + [f"{h},{'' if v is None else v}" for h, v in enumerate(values or SOLAR)]
    path.write_text("\n".join(rows) + "\n")
    return path


def write_yaml(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


# ----------------------------------------------------------------------------------------
# hand-written cases
# ----------------------------------------------------------------------------------------
@dataclass
class Case:
    make: Callable[[Path], Path]
    """Writes the files into a folder, returns the scenario path to pass on the command line."""
    file: str
    """Name of the file the message must name."""
    field: str | None
    """Field path the message must name (None where there is no field, e.g. a missing file)."""
    problem: str
    """A piece of the problem description."""


def mutated(change: Callable[[dict], None], profiles: list | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        data = base()
        change(data)
        write_profiles(folder, profiles)
        return write_yaml(folder / "scenario.yaml", data)
    return make


def text_file(text: str | bytes, name: str = "scenario.yaml") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return path
    return make


def extends_cycle(folder: Path) -> Path:
    write_profiles(folder)
    data = base()
    data["extends"] = "b.yaml"
    write_yaml(folder / "a.yaml", data)
    write_yaml(folder / "b.yaml", {"extends": "a.yaml", "name": "b"})
    return folder / "a.yaml"


def unreadable(folder: Path) -> Path:
    path = mutated(lambda d: None)(folder)
    path.chmod(0)
    return path


def setitem(path: str, value) -> Callable[[dict], None]:
    """``setitem("links.0.to_node", "TM")`` sets data["links"][0]["to_node"]."""
    def change(data: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        obj = data
        for p in parents:
            obj = obj[p]
        obj[int(last) if isinstance(obj, list) else last] = value
    return change


def rename(path: str, new: str) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        obj = data
        for p in parents:
            obj = obj[p]
        obj[new] = obj.pop(last)
    return change


CASES = {
    "wrong type": Case(mutated(setitem("generators.1.capacity_mw", "lots")), "scenario.yaml",
                       "generators[1].capacity_mw", "valid number"),
    "wrong type of section": Case(mutated(setitem("nodes", "KZ")), "scenario.yaml", "nodes", "valid list"),
    "negative capacity": Case(mutated(setitem("links.0.capacity_mw", -100)), "scenario.yaml",
                              "links[0].capacity_mw", "greater than or equal to 0"),
    "efficiency above 1": Case(mutated(setitem("technologies.1.efficiency", 1.2)), "scenario.yaml",
                               "technologies[1].efficiency", "less than or equal to 1"),
    "storage efficiency above 1": Case(mutated(setitem("storage.0.efficiency_charge", 1.5)), "scenario.yaml",
                                       "storage[0].efficiency_charge", "less than or equal to 1"),
    "CSV profile of the wrong length": Case(mutated(lambda d: None, profiles=SOLAR[:-1]), "profiles.csv",
                                            "generators[0].availability", "23 values but time.hours is 24"),
    "inline profile of the wrong length": Case(
        mutated(setitem("loads.1.demand_mw", [300.0] * 20)), "scenario.yaml", "loads[1].demand_mw",
        "20 values but time.hours is 24"),
    "NaN in a CSV profile": Case(mutated(lambda d: None, profiles=SOLAR[:5] + [None] + SOLAR[6:]),
                                 "profiles.csv", "generators[0].availability", "non-finite value (NaN/inf) at hour 5"),
    "NaN in an inline profile": Case(
        mutated(setitem("loads.1.demand_mw", [300.0] * 7 + [math.nan] + [300.0] * 16)), "scenario.yaml",
        "loads[1].demand_mw", "non-finite value (NaN/inf) at hour 7"),
    "NaN as a number": Case(mutated(setitem("generators.1.capacity_mw", math.nan)), "scenario.yaml",
                            "generators[1].capacity_mw", "finite number"),
    "profile out of range": Case(mutated(setitem("generators.0.availability", 1.5)), "scenario.yaml",
                                 "generators[0].availability", "<= 1.0"),
    "link to an unknown node": Case(mutated(setitem("links.0.to_node", "TM")), "scenario.yaml",
                                    "links[0].to_node", "unknown node 'TM'"),
    "unknown technology with hint": Case(mutated(setitem("generators.1.technology", "cggt")), "scenario.yaml",
                                         "generators[1].technology", "unknown technology 'cggt'"),
    "duplicate id": Case(mutated(setitem("generators.1.id", "KZ_solar")), "scenario.yaml",
                         "generators[1].id", "duplicate id 'KZ_solar'"),
    "missing required field": Case(mutated(lambda d: d["loads"][0].pop("demand_mw")), "scenario.yaml",
                                   "loads[0].demand_mw", "required field is missing"),
    "cycle in extends": Case(extends_cycle, ".yaml", "extends", "'extends' forms a cycle"),
    "unknown key with hint": Case(mutated(rename("generators.1.capacity_mw", "capacty_mw")), "scenario.yaml",
                                  "generators[1].capacty_mw", "did you mean 'capacity_mw'?"),
    "unknown top-level key with hint": Case(mutated(rename("time", "tmie")), "scenario.yaml", "tmie",
                                            "did you mean 'time'?"),
    "unknown CSV column": Case(mutated(setitem("generators.0.availability", "profiles.csv#solr")),
                               "scenario.yaml", "generators[0].availability", "column 'solr' is not in"),
    "missing profile CSV": Case(mutated(setitem("generators.0.availability", "weather.csv#solar")),
                                "scenario.yaml", "generators[0].availability", "weather.csv' does not exist"),
    "time zone in time.start": Case(mutated(setitem("time.start", "2030-01-01T00:00+05:00")), "scenario.yaml",
                                    "time.start", "time-zone offset"),
    "time zone in time.subset": Case(
        mutated(setitem("time.subset", {"start": "2030-01-01T05:00+01:00", "end": "2030-01-01"})),
        "scenario.yaml", "time.subset.start", "time-zone offset"),
    "empty time.start": Case(mutated(setitem("time.start", "")), "scenario.yaml", "time.start",
                             "'' is not a date/time"),
    "integer too large for a float": Case(mutated(setitem("loads.0.demand_mw", 10**400)), "scenario.yaml",
                                          "loads[0].demand_mw", "too large"),
    "huge profile value": Case(mutated(setitem("loads.1.demand_mw", [300.0] * 23 + [1e300])), "scenario.yaml",
                               "loads[1].demand_mw", "values must lie within"),
    "huge amount": Case(mutated(setitem("generators.1.capacity_mw", 1e300)), "scenario.yaml",
                        "generators[1].capacity_mw", "less than or equal to"),
    "lifetime below one year": Case(mutated(setitem("technologies.0.lifetime_years", 1e-300)), "scenario.yaml",
                                    "technologies[0].lifetime_years", "greater than or equal to 1"),
    "NUL byte in a profile path": Case(mutated(setitem("generators.0.availability", "pro\0files.csv#solar")),
                                       "scenario.yaml", "generators[0].availability", "cannot be read as CSV"),
    "self-referencing YAML alias": Case(text_file("name: &a [*a]\nnodes: [{id: KZ, country: KZ}]\n"),
                                        "scenario.yaml", None, "refers to itself"),
    "unquoted NO read as a boolean": Case(mutated(setitem("nodes.1.country", False)), "scenario.yaml",
                                          "nodes[1].country", "put the value in quotes"),
    "non-UTF-8 file": Case(text_file(b"\xff\xfe\x00\x81 binary junk"), "scenario.yaml", None,
                           "cannot be read"),
    "non-YAML file": Case(text_file("nodes: [\n  {id: KZ, country: KZ\n  generators: : :\n"), "scenario.yaml",
                          None, "not valid YAML"),
    "CSV given as scenario": Case(text_file("hour,solar\n0,0.1\n", name="profiles.csv"), "profiles.csv", None,
                                  "does not hold a YAML mapping"),
    "missing file": Case(lambda folder: folder / "no-such-scenario.yaml", "no-such-scenario.yaml", None,
                         "does not exist"),
    "unreadable file": Case(unreadable, "scenario.yaml", None, "cannot be read"),
    "directory given as scenario": Case(lambda folder: (folder / "scenario.yaml").mkdir() or folder / "scenario.yaml",
                                        "scenario.yaml", None, "cannot be read"),
    "duplicate key": Case(text_file("nodes: [{id: KZ, country: KZ}]\ngenerators: []\ngenerators: []\n"),
                          "scenario.yaml", None, "appears twice"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def check_clean_failure(result, case: Case) -> None:
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert "Traceback" not in result.output
    assert err.startswith("Error: "), err
    assert err.strip().count("\n") == 0, f"not one paragraph: {err!r}"
    assert case.file in err, err
    if case.field is not None:
        assert f"at '{case.field}'" in err, err
    assert case.problem in err, err
    assert "Fix: " in err


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exit_2_and_nothing_written(name, tmp_path):
    if name == "unreadable file" and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can read any file")
    case = CASES[name]
    work = tmp_path / "in"
    work.mkdir()
    scenario = case.make(work)
    runner = CliRunner()

    check_clean_failure(runner.invoke(app, ["validate", str(scenario)]), case)

    results = tmp_path / "results"
    existing = results / "old-run"
    existing.mkdir(parents=True)
    (existing / "summary.json").write_text('{"status": "optimal"}')
    (existing / "sentinel.txt").write_text("do not touch")
    before = snapshot(results)
    check_clean_failure(runner.invoke(app, ["run", str(scenario), "--out", str(existing)]), case)
    check_clean_failure(runner.invoke(app, ["run", str(scenario), "--out", str(results / "new-run")]), case)
    assert snapshot(results) == before  # neither modified, nor created, nor temporary leftovers

    check_clean_failure(runner.invoke(app, ["info", str(scenario)]), case)


# ----------------------------------------------------------------------------------------
# property-based: random mutations of a valid scenario
# ----------------------------------------------------------------------------------------
def _paths(obj, prefix=()):
    if prefix:
        yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _parent(data, path):
    for p in path[:-1]:
        data = data[p]
    return data


ID_REFS = ["KZ", "UZ", "TM", "solar", "gas", "solar_pv", "ccgt", "battery", "KZ_solar", "", "bad id!"]

weird_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**6, max_value=10**6),
    st.sampled_from([-1, 0, 1, 2, 10**9, 10**30, 10**400, -10**12]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 1e-12, 0.5, 1.5, -0.5, 1e12, 1e13,
                     1e16, -1e12]),
    st.text(max_size=12),
    st.sampled_from(["", "3h", "0h", "2030-02-30", "2030-01-01T00:00+01:00", "profiles.csv#solar",
                     "profiles.csv#nope", "nope.csv#solar", "scenario.yaml", "example", "NaN", "1e3"]),
    st.sampled_from(ID_REFS),
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=30),
    st.lists(st.floats(min_value=0, max_value=1), min_size=HOURS, max_size=HOURS),
    st.just([]),
    st.just({}),
    st.dictionaries(st.text(max_size=6), st.integers(-5, 5), max_size=3),
    st.fixed_dictionaries({"file": st.sampled_from(["profiles.csv", "x.csv"]),
                           "column": st.sampled_from(["solar", "hour", "x"])}),
)


@st.composite
def mutated_scenarios(draw) -> dict:
    data = base()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "replace", "rename", "shuffle", "duplicate",
                                   "reference", "swap_ids"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(weird_values)
        elif op == "rename" and isinstance(parent, dict):
            new = draw(st.one_of(st.text(min_size=1, max_size=10),
                                 st.sampled_from([f"{key}s", str(key)[:-1] or "x", str(key).upper(), "remove",
                                                  "extends", "id"])))
            parent[new] = parent.pop(key)
        elif op == "shuffle" and isinstance(parent[key], list):
            items = parent[key]
            order = draw(st.permutations(range(len(items))))
            parent[key] = [items[i] for i in order]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "reference" and isinstance(parent, dict):
            parent[key] = draw(st.sampled_from(ID_REFS))
        elif op == "swap_ids" and isinstance(parent, list) and len(parent) > 1:
            j = draw(st.integers(0, len(parent) - 1))
            a, b = parent[key], parent[j]
            if isinstance(a, dict) and isinstance(b, dict) and "id" in a and "id" in b:
                a["id"], b["id"] = b["id"], a["id"]
    return data


def _dump(data) -> str | None:
    try:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return None


def _hours(data) -> int:
    time = data.get("time") if isinstance(data, dict) else None
    hours = time.get("hours") if isinstance(time, dict) else None
    return hours if isinstance(hours, int) and not isinstance(hours, bool) else HOURS


def _check_outcome(result, out: Path | None) -> None:
    event(f"exit code {result.exit_code}")
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    if result.exit_code == 2:
        assert result.stderr.startswith(("Error: ", "Usage: ")), result.stderr
        if out is not None:
            assert not out.exists()
    elif out is not None:
        summary = json.loads((out / "summary.json").read_text())
        assert summary["status"] == ("optimal" if result.exit_code == 0 else summary["status"])
        assert (summary["status"] == "optimal") == (result.exit_code == 0)


#: Multiplies the number of random examples (e.g. SILKGRID_FUZZ_SCALE=20 for a long hunt).
FUZZ_SCALE = max(1, int(os.environ.get("SILKGRID_FUZZ_SCALE", "1") or 1))


def property_settings(max_examples: int) -> settings:
    return settings(max_examples=max_examples * FUZZ_SCALE, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@property_settings(100)
@given(mutated_scenarios())
def test_validate_never_crashes(data):
    text = _dump(data)
    if text is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_profiles(folder)
        path = folder / "scenario.yaml"
        path.write_text(text)
        _check_outcome(CliRunner().invoke(app, ["validate", str(path)]), None)


@property_settings(60)
@given(mutated_scenarios())
def test_run_never_crashes(data):
    text = _dump(data)
    if text is None:
        return
    args = ["--time-limit", "20", "--quiet"]
    if _hours(data) > 2000:  # a valid but large model is a performance question, not robustness
        args += ["--resolution", "168h"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_profiles(folder)
        path = folder / "scenario.yaml"
        path.write_text(text)
        out = folder / "results" / "run"
        _check_outcome(CliRunner().invoke(app, ["run", str(path), "--out", str(out), *args]), out)
