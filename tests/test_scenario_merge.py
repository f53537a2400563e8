"""``extends:`` inheritance (merge by id, remove), cycles, and helpful validation errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import silkgrid
from silkgrid.core.errors import ScenarioError
from silkgrid.scenario import merge_scenarios

BASE = {
    "name": "base",
    "time": {"hours": 2, "annualise": False},
    "nodes": [{"id": "A", "country": "KZ"}, {"id": "B", "country": "CN"}],
    "carriers": [{"id": "fuel"}, {"id": "sun", "renewable": True}],
    "technologies": [{"id": "thermal", "carrier": "fuel"}, {"id": "pv", "carrier": "sun"}],
    "generators": [
        {"id": "gasA", "node": "A", "technology": "thermal", "capacity_mw": 100,
         "variable_cost_eur_per_mwh": 50},
        {"id": "gasB", "node": "B", "technology": "thermal", "capacity_mw": 100,
         "variable_cost_eur_per_mwh": 70},
        {"id": "solarA", "node": "A", "technology": "pv", "capacity_mw": 30, "availability": "profiles.csv#pv"},
    ],
    "links": [{"id": "ab", "from_node": "A", "to_node": "B", "capacity_mw": 50}],
    "loads": [{"id": "dA", "node": "A", "demand_mw": 40}, {"id": "dB", "node": "B", "demand_mw": 60}],
    "policies": {"co2_price_eur_per_t": 10, "min_renewable_share": {"KZ": 0.1}},
}


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "profiles.csv").write_text("pv,other\n0.5,0\n0.25,1\n", encoding="utf-8")
    write(tmp_path / "data" / "base.yaml", BASE)
    return tmp_path


def test_base_loads_with_csv_relative_to_its_file(base_dir):
    sc = silkgrid.load_scenario(base_dir / "data" / "base.yaml")
    np.testing.assert_array_equal(sc.generators[2].availability, [0.5, 0.25])


def test_extends_merges_by_id(base_dir):
    """Child in another folder: override one field of gasA (others kept), add gasB2, remove
    solarA, change a nested mapping key, append a link; CSV paths in the parent stay relative
    to the parent file."""
    child = {
        "extends": "data/base.yaml",
        "name": "child",
        "generators": [
            {"id": "gasA", "capacity_mw": 250},
            {"id": "gasB2", "node": "B", "technology": "thermal", "capacity_mw": 20},
            {"id": "solarA", "remove": True},
        ],
        "links": [{"id": "ab", "efficiency": 0.9}],
        "policies": {"co2_price_eur_per_t": 25},
    }
    sc = silkgrid.load_scenario(write(base_dir / "child.yaml", child))
    gens = {g.id: g for g in sc.generators}
    assert list(gens) == ["gasA", "gasB", "gasB2"]
    assert gens["gasA"].capacity_mw == 250
    assert gens["gasA"].variable_cost_eur_per_mwh == 50  # kept from the parent
    assert gens["gasA"].node == "A"
    assert gens["gasB2"].capacity_mw == 20
    assert sc.links[0].efficiency == 0.9 and sc.links[0].capacity_mw == 50
    assert sc.policies.co2_price_eur_per_t == 25
    assert sc.policies.min_renewable_share == {"KZ": 0.1}  # merged mapping keeps parent keys
    assert sc.name == "child"
    assert sc.time.hours == 2


def test_extends_from_dict_and_profile_from_parent(base_dir):
    """A dict scenario may extend a file (relative to base_dir); the parent's CSV reference is
    resolved relative to the parent file, not to base_dir."""
    sc = silkgrid.load_scenario({"extends": "data/base.yaml", "loads": [{"id": "dA", "demand_mw": [1, 2]}]},
                                base_dir=base_dir)
    loads = {ld.id: ld for ld in sc.loads}
    np.testing.assert_array_equal(loads["dA"].demand_mw, [1.0, 2.0])
    assert loads["dA"].node == "A"
    np.testing.assert_array_equal(sc.generators[2].availability, [0.5, 0.25])


def test_extends_chain_of_three(base_dir):
    write(base_dir / "mid.yaml", {"extends": "data/base.yaml", "generators": [{"id": "gasA", "capacity_mw": 1}]})
    write(base_dir / "top.yaml", {"extends": "mid.yaml", "generators": [{"id": "gasA", "capacity_mw": 2},
                                                                           {"id": "gasB", "remove": True}]})
    sc = silkgrid.load_scenario(base_dir / "top.yaml")
    assert [g.id for g in sc.generators] == ["gasA", "solarA"]
    assert sc.generators[0].capacity_mw == 2


def test_removing_then_readding_and_reference_check(base_dir):
    """Removing a node that elements still use gives an 'unknown node' error with the field path."""
    child = write(base_dir / "c.yaml", {"extends": "data/base.yaml", "nodes": [{"id": "B", "remove": True}]})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(child)
    err = exc.value
    assert "unknown node 'B'" in err.message
    assert err.field == "generators[1].node"
    assert str(child) in err.message


def test_merge_scenarios_function():
    parent = {"generators": [{"id": "a", "x": 1, "y": 2}, {"id": "b"}], "time": {"hours": 5, "resolution": "1h"}}
    child = {"generators": [{"id": "a", "y": 3}, {"id": "b", "remove": True}, {"id": "c"}],
             "time": {"hours": 7}}
    out = merge_scenarios(parent, child)
    assert out["generators"] == [{"id": "a", "x": 1, "y": 3}, {"id": "c"}]
    assert out["time"] == {"hours": 7, "resolution": "1h"}
    assert parent["generators"][0]["y"] == 2  # inputs untouched


def test_element_without_id_cannot_merge(base_dir):
    child = write(base_dir / "c.yaml", {"extends": "data/base.yaml", "generators": [{"capacity_mw": 5}]})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(child)
    assert exc.value.field == "generators[0]"
    assert str(child) in exc.value.message


def test_extends_cycle_is_detected(tmp_path):
    a = write(tmp_path / "a.yaml", {"extends": "b.yaml", "nodes": [{"id": "A", "country": "KZ"}]})
    write(tmp_path / "b.yaml", {"extends": "a.yaml"})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(a)
    msg = exc.value.message
    assert "cycle" in msg
    assert "a.yaml -> " in msg and "b.yaml" in msg
    assert exc.value.field == "extends"


def test_extends_self_cycle(tmp_path):
    a = write(tmp_path / "a.yaml", {"extends": "a.yaml", "nodes": [{"id": "A", "country": "KZ"}]})
    with pytest.raises(ScenarioError, match="cycle"):
        silkgrid.load_scenario(a)


def test_extends_missing_parent(tmp_path):
    a = write(tmp_path / "a.yaml", {"extends": "nope.yaml", "nodes": [{"id": "A", "country": "KZ"}]})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(a)
    assert "nope.yaml" in exc.value.message
    assert exc.value.field == "extends"
    assert exc.value.file == str(a)


def test_unknown_key_did_you_mean(base_dir):
    child = write(base_dir / "typo.yaml", {"extends": "data/base.yaml",
                                           "generators": [{"id": "gasB", "capacity_mv": 5}]})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(child)
    err = exc.value
    assert err.file == str(child)
    assert err.field == "generators[1].capacity_mv"
    assert "did you mean 'capacity_mw'" in err.message
    assert str(child) in err.message and "generators[1].capacity_mv" in err.message


@pytest.mark.parametrize("raw,field,hint", [
    ({"tme": {"hours": 2}}, "tme", "did you mean 'time'"),
    ({"time": {"hours": 2, "resolutoin": "2h"}}, "time.resolutoin", "did you mean 'resolution'"),
    ({"policies": {"co2_cap": 5}}, "policies.co2_cap", "did you mean 'co2_cap_t'"),
])
def test_unknown_key_in_nested_sections(raw, field, hint):
    d = {"nodes": [{"id": "A", "country": "KZ"}], **raw}
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(d)
    assert exc.value.field == field
    assert hint in exc.value.message
    assert "<dict>" in exc.value.message


def test_bad_value_names_field(base_dir):
    child = write(base_dir / "bad.yaml", {"extends": "data/base.yaml",
                                          "links": [{"id": "ab", "efficiency": 1.5}]})
    with pytest.raises(ScenarioError) as exc:
        silkgrid.load_scenario(child)
    assert exc.value.field == "links[0].efficiency"
    assert "1.5" in exc.value.message


def test_built_data_set_label_loads_again(monkeypatch) -> None:
    """Results record a built data set as '<data set corridor year=2040 weather_year=3>'; that label
    (and the short and mapping forms) reach the builder with the same options."""
    import silkgrid.data.build as build
    from silkgrid.scenario import loader

    calls = []
    monkeypatch.setattr(build, "build_corridor_scenario", lambda **kw: calls.append(kw) or {"nodes": []})
    labels = [loader._built_dataset(ref, "test")[0] for ref in (
        "<data set corridor year=2040 weather_year=3>", "corridor-2040",
        {"dataset": "corridor", "year": 2040, "weather_year": 3}, "corridor")]
    # the mapping form has the label's options, so it is served from the cache of recent builds
    assert calls == [{"year": 2040, "weather_year": 3}, {"year": 2040}, {}]
    assert labels[0] == labels[2] == "<data set corridor year=2040 weather_year=3>"
    assert loader._built_dataset("example", "test") is None  # a file-based data set
