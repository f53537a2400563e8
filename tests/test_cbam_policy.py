"""CBAM hourly matching as an optimiser constraint (``policies.cbam_hourly_matching``).

The 4-hour case of ``test_analysis_cbam.py``: A (KZ) -> B (RO), one 100 MW link at 0.9,
EU market at B at 100 EUR/MWh, solar 150 MW (availability 1, 0.5, 0, 0.2), gas 200 MW at
10 EUR/MWh, load 30 MW at A.  ``time.annualise: false``; simplex; tolerance rel 1e-6.

Without the policy the link carries 100 MW every hour: gas 0 + 55 + 130 + 100 = 285 MWh
(2,850 EUR), revenue 360 MWh x 100 = 36,000 EUR -> objective -33,150 EUR.

With the policy (solar contracted) the power sent is limited to the solar output, hour by
hour: sent 100, 75, 0, 30 -> delivered 90, 67.5, 0, 27 = 184.5 MWh (18,450 EUR); A needs
130, 105, 30, 60 MW: solar 130, 75, 0, 30 and gas 0, 30, 30, 30 = 90 MWh (900 EUR) ->
objective -17,550 EUR.
"""

from __future__ import annotations

import pytest

import silkgrid
from silkgrid.analysis import cbam_cost, hourly_matching, matching_shares
from silkgrid.core.errors import ScenarioError
from silkgrid.model import build_model

from test_analysis_cbam import border_chain, four_hours, three_nodes

REL = 1e-6


def solve(d: dict):
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def with_policy(d: dict, path=("cable",), contracted=None) -> dict:
    d["policies"] = {"cbam_hourly_matching": True, "cbam_path": list(path)}
    if contracted is not None:
        d["policies"]["cbam_contracted_generators"] = contracted
    return d


def year_share(res, sc, path=("cable",), contracted=None) -> float:
    m = matching_shares(hourly_matching(res, sc, list(path), contracted=contracted)).set_index("period")
    return float(m.loc["year", "matched_share"])


def test_policy_binds_when_exports_are_not_matched():
    base, sc0 = solve(four_hours())
    assert base.objective == pytest.approx(-33150, rel=REL)
    assert year_share(base, sc0) == pytest.approx(0.5125, rel=REL)
    res, sc = solve(with_policy(four_hours()))
    assert res.objective == pytest.approx(-17550, rel=REL)
    assert res.objective > base.objective
    h = hourly_matching(res, sc, ["cable"])
    assert h["exported_mwh"].tolist() == pytest.approx([90, 67.5, 0, 27], rel=REL, abs=1e-6)
    assert year_share(res, sc) == pytest.approx(1.0, rel=REL)
    assert cbam_cost(res, sc, ["cable"])["unmatched_mwh"] == pytest.approx(0, abs=1e-6)


def test_policy_changes_nothing_when_exports_are_matched():
    """Contracting the gas plant too: contracted output x 0.9 = 117 >= 90 every hour."""
    base, _ = solve(four_hours())
    res, sc = solve(with_policy(four_hours(), contracted=["solar", "gas"]))
    assert res.objective == pytest.approx(base.objective, rel=REL)
    assert year_share(res, sc, contracted=["solar", "gas"]) == pytest.approx(1.0, rel=REL)


def test_policy_with_a_producer_in_the_middle_of_the_path():
    """Contracted wind at B: delivered into C <= 0.95 x wind = 19 MW in hour 1, nothing in
    hour 2 (without the policy: 95 and 85.5).  The wind alone fills l2 in hour 1, so the gas
    runs in neither hour: objective = -19 x 100 = -1,900 EUR."""
    res, sc = solve(with_policy(three_nodes(), path=("l1", "l2"), contracted=["wind"]))
    assert res.objective == pytest.approx(-1900, rel=REL)
    h = hourly_matching(res, sc, ["l1", "l2"], contracted=["wind"])
    assert h["exported_mwh"].tolist() == pytest.approx([19, 0], abs=1e-6)
    assert year_share(res, sc, ("l1", "l2"), ["wind"]) == pytest.approx(1.0, rel=REL)


def test_policy_on_a_link_crossed_backwards():
    """l2 defined C -> B: the path crosses it backwards (efficiency_reverse 0.95), so the
    constraint acts on its backward flow with the reverse efficiency."""
    l2 = {"id": "l2", "from_node": "C", "to_node": "B", "capacity_mw": 100, "efficiency": 0.5,
          "efficiency_reverse": 0.95}
    sc = silkgrid.load_scenario(with_policy(three_nodes(l2), path=("l1", "l2"), contracted=["wind"]))
    a = build_model(sc).arrays
    assert a.cbam_link == 1 and not a.cbam_forward and a.cbam_eff == pytest.approx(0.95)
    res, sc = solve(with_policy(three_nodes(l2), path=("l1", "l2"), contracted=["wind"]))
    h = hourly_matching(res, sc, ["l1", "l2"], contracted=["wind"])
    assert h["exported_mwh"].tolist() == pytest.approx([19, 0], abs=1e-6)
    assert year_share(res, sc, ("l1", "l2"), ["wind"]) == pytest.approx(1.0, rel=REL)


def test_policy_rows_and_arrays():
    sc = silkgrid.load_scenario(with_policy(four_hours()))
    built = build_model(sc)
    a = built.arrays
    assert a.cbam_link == 0 and a.cbam_forward and a.cbam_eff == pytest.approx(0.9)
    assert a.cbam_gens.tolist() == [0] and a.cbam_gen_eff.tolist() == pytest.approx([0.9])
    assert built.lp.constraints["cbam_matching"].shape == (4,)
    off = build_model(silkgrid.load_scenario(four_hours()))
    assert "cbam_matching" not in off.lp.constraints and off.arrays.cbam_link == -1


@pytest.mark.parametrize("policies, field, match", [
    ({"cbam_hourly_matching": True}, "policies.cbam_path", "no cbam_path"),
    ({"cbam_hourly_matching": True, "cbam_path": ["cabel"]}, "policies.cbam_path[0]", "unknown link 'cabel'"),
    ({"cbam_path": ["nope"]}, "policies.cbam_path[0]", "unknown link"),
    ({"cbam_hourly_matching": True, "cbam_path": ["cable"], "cbam_contracted_generators": ["sollar"]},
     "policies.cbam_contracted_generators[0]", "unknown generator 'sollar'"),
    ({"cbam_hourly_matching": True, "cbam_path": ["cable"], "cbam_contracted_generators": ["ro_pv"]},
     "policies.cbam_contracted_generators", "not an upstream node"),
])
def test_policy_references_are_checked(policies, field, match):
    d = four_hours()
    d["generators"].append({"id": "ro_pv", "node": "B", "technology": "pv", "capacity_mw": 1})
    d["policies"] = policies
    with pytest.raises(ScenarioError, match=match) as err:
        silkgrid.load_scenario(d)
    assert err.value.field == field


def test_pypsa_export_refuses_the_policy():
    pytest.importorskip("pypsa")
    from silkgrid.interop.pypsa import PyPSAConversionError, to_network

    with pytest.raises(PyPSAConversionError, match="CBAM hourly matching"):
        to_network(with_policy(four_hours()))


def test_policy_requires_flow_on_every_border() -> None:
    """With matching on, power landing in the EU must also cross the first border.

    Same chain as tests/test_analysis_cbam.py::test_matching_needs_flow_on_every_border:
    without the policy gas at B exports 100 MW for 90 EUR/MWh margin: objective
    -2 h x 100 MW x 90 = -18,000 EUR. With the policy nothing may land in the EU that did
    not cross A->B as contracted wind, and A's wind is all needed for A's load (VoLL 10,000
    EUR/MWh makes shedding it worse than not exporting): exports 0, objective 0.
    """
    base = border_chain()
    free = silkgrid.solve(base, options={"method": "simplex"})
    assert free.objective == pytest.approx(-18_000.0, rel=1e-9)
    base["policies"] = {"cbam_hourly_matching": True, "cbam_path": ["AB", "BE"]}
    matched = silkgrid.solve(base, options={"method": "simplex"})
    assert matched.objective == pytest.approx(0.0, abs=1e-6)
    assert matched.tables["markets"]["sold_mwh"].sum() == pytest.approx(0.0, abs=1e-6)


def test_circulating_flow_does_not_count_as_nomination() -> None:
    """Sending power forward and back over a border in the same hour nominates nothing.

    Border chain with a two-way lossless A<->B link: if forward flow alone counted, the optimiser
    could send 50 MW A->B and 50 MW B->A (net 0, A's load still served by its wind) and export
    gas from B as "matched". Counting the net crossing, nothing can be exported: objective 0.
    """
    base = border_chain()
    base["links"][0]["bidirectional"] = True
    base["links"][0]["capacity_mw"] = 50
    base["policies"] = {"cbam_hourly_matching": True, "cbam_path": ["AB", "BE"]}
    r = silkgrid.solve(base, options={"method": "simplex"})
    assert r.objective == pytest.approx(0.0, abs=1e-6)
    assert r.tables["markets"]["sold_mwh"].sum() == pytest.approx(0.0, abs=1e-6)
