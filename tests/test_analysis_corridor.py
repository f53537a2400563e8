"""The analysis defaults (corridor path, EU markets, CBAM factors) fit the corridor data set.

A smoke test, not a hand check: two days of 2035 (the sea cables are available from 2031/2032)
at 6-hour resolution with stand-in profiles (the builder-test fixture of
``test_corridor_data.py``); asserts only identities that hold for any optimum, with tolerance
rel 1e-6.
"""

from __future__ import annotations

import pytest

import silkgrid
from silkgrid import analysis as A
from silkgrid.data import build

from test_corridor_data import stand_in_profiles


@pytest.fixture(scope="module")
def solved():
    d = build.build_corridor_scenario(2035, profiles=stand_in_profiles(2035), resolution="6h")
    d["time"] = {**d["time"], "subset": {"start": "2035-07-01", "end": "2035-07-02"}}
    sc = silkgrid.load_scenario(d)
    res = silkgrid.solve(sc, options={"method": "simplex"})
    assert res.status == "optimal", res.message
    return res, sc


def test_corridor_defaults(solved):
    res, sc = solved
    assert A.cost_components(res, sc)["total_eur"].sum() == pytest.approx(res.total_cost_eur, rel=1e-6)
    assert A.cost_by_country(res, sc)["total_eur"].sum() == pytest.approx(res.total_cost_eur, rel=1e-6)
    dc = A.delivered_cost(res, sc)  # traced: what the Black Sea cable lands in RO
    assert dc["destinations"] == ["eu:black_sea_hvdc"] and dc["landing_nodes"] == ["RO"]
    bs = A.link_utilisation(res, sc, ["black_sea_hvdc"]).loc[0]
    eff = {ln.id: ln.efficiency for ln in sc.links}["black_sea_hvdc"]
    assert dc["delivered_mwh"] == pytest.approx(bs["forward_mwh"] * eff, rel=1e-6)
    assert {"generation", "losses"} <= set(dc["segments_eur"])
    if dc["delivered_mwh"] > 0:
        assert "black_sea_cable" in dc["segments_eur"]
        assert sum(dc["origin_by_country"].values()) == pytest.approx(1.0, rel=1e-9)
    rev = A.export_revenue(res, sc)
    assert list(rev["id"]) == ["RO_market", "HU_market"]
    h = A.hourly_matching(res, sc)  # the nominated-path view (as the optimiser's policy) still works
    assert (h["matched_mwh"] <= h["exported_mwh"] + 1e-6).all()
    cb = A.cbam_cost(res, sc)
    assert cb["origin_country"] == "KZ" and cb["default_factor_is_assumption"]
    assert 0 <= cb["saving_eur"] <= cb["default_certificate_cost_eur"] + 1e-6
    factors, _ = A.cbam_origin_factors(res, sc)
    assert factors["KZ"]["method"] == "computed" and factors["TR"]["method"] == "proxy"  # TR: a market, no fleet
    tc = A.traced_cbam(res, sc)
    assert tc["exported_mwh"] == pytest.approx(dc["delivered_mwh"], rel=1e-12)
    assert 0 <= tc["matched_mwh"] <= tc["exported_mwh"] + 1e-6
    # RO and HU are the EU nodes: all deliveries come over the Black Sea cable and ro_hu is internal
    assert A.eu_deliveries(res, sc)["delivered_mwh"] == pytest.approx(
        dc["delivered_mwh"] - bs["backward_mwh"], rel=1e-6, abs=1e-6)
    assert sc.corridor.counterfactual_links == ["caspian_hvdc", "black_sea_hvdc"]
    assert set(sc.corridor.eu_displaced_factors) == {"RO", "HU"}
