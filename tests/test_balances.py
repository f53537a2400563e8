"""Country energy balances (silkgrid.analysis.balances) and their Plotly figures and tables
(silkgrid.report.balance_charts): the balance closes, cross-border energy is counted once,
capture prices match a hand computation, the Sankey is clean, and every figure is valid JSON."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import pandas as pd
import pytest

import silkgrid
from silkgrid.analysis.balances import SUPPLY, USE, country_balance, country_emissions, country_exchanges
from silkgrid.analysis.market import congestion_rent
from silkgrid.report import balance_charts as bc
from silkgrid.report.colours import tech_colour
from silkgrid.report.plotting import to_json
from silkgrid.results import Result

# two weeks at 6 h (weights annualised to 8760 h): every corridor country, internal and
# cross-border links, batteries, reservoirs and markets, solved in seconds
TWO_WEEKS = {"extends": "corridor-2035",
             "time": {"resolution": "6h", "subset": {"start": "2035-01-01", "end": "2035-01-14"}}}
FIGURES = ("balance_sankey_figure", "generation_mix_figure", "emissions_figure", "capture_price_figure",
           "congestion_rent_figure")


@pytest.fixture(scope="module")
def corridor(tmp_path_factory):
    res = silkgrid.solve(silkgrid.load_scenario(TWO_WEEKS))
    assert res.optimal
    return Result.from_dir(res.to_dir(tmp_path_factory.mktemp("balances") / "corridor"))


@pytest.fixture(scope="module")
def balance(corridor):
    return country_balance(corridor).set_index("country")


def _tolerance(result: Result, bal: pd.DataFrame) -> pd.Series:
    """Largest residual solver round-off allows, MWh/yr per country: the LP meets each nodal
    balance to 1 kW (silkgrid.results.check's atol) in every snapshot, so at most
    1e-3 MW x 8760 h x nodes of the country, plus 1e-6 of the energy through the country."""
    nodes = result.tables["nodes"].groupby("country").size().reindex(bal.index)
    through = bal[[c for c in bal.columns if c.startswith("gen_")] + list(SUPPLY) + list(USE)].abs().sum(axis=1)
    return 1e-3 * float(np.sum(result.weights)) * nodes + 1e-6 * through


def test_balance_closes_for_every_country(corridor, balance):
    tol = _tolerance(corridor, balance)
    assert (balance["residual"].abs() <= tol).all(), balance["residual"]
    # the check has teeth: leaving out KZ's internal link losses or UZ's battery charging would break it
    assert balance.loc["KZ", "link_losses"] > 100 * tol["KZ"]
    assert balance.loc["UZ", "storage_charge"] > 100 * tol["UZ"]
    # columns are energies >= 0 and the countries those of the nodes table, in order
    assert list(balance.index) == list(dict.fromkeys(corridor.tables["nodes"]["country"]))
    assert (balance.drop(columns="residual") >= 0).all().all()
    # generation by technology matches the generators table (MWh/yr, relative 1e-9: same sums)
    g = corridor.tables["generators"].groupby(["country", "technology"])["generation_mwh"].sum()
    for (c, tech), mwh in g.items():
        assert balance.loc[c, f"gen_{tech}"] == pytest.approx(mwh, rel=1e-9, abs=1e-6)


def test_imports_equal_exports_minus_losses_for_a_country_pair(corridor, balance):
    """UZ borders only KZ: UZ's imports are KZ's deliveries, computed here by hand from the
    hourly link flows (kz_s_uz_e_caps KZ_S -> UZ_E, uz_kz_feeder UZ_W -> KZ_W)."""
    sc, w = corridor.scenario, np.asarray(corridor.weights)
    links = {ln.id: ln for ln in sc.links}
    f, b = corridor.hourly["link_forward_mw"], corridor.hourly["link_backward_mw"]
    caps, feeder = links["kz_s_uz_e_caps"], links["uz_kz_feeder"]
    sent_kz = w @ f[caps.id] + w @ b[feeder.id]
    losses_kz = w @ f[caps.id] * (1 - caps.efficiency) + w @ b[feeder.id] * (1 - feeder.efficiency)
    assert sent_kz > 1e6  # a real flow (> 1 TWh/yr), so the comparison means something
    assert balance.loc["UZ", "imports"] == pytest.approx(sent_kz - losses_kz, rel=1e-9)
    assert balance.loc["UZ", "exports"] == pytest.approx(w @ b[caps.id] + w @ f[feeder.id], rel=1e-9)
    ex = country_exchanges(corridor).set_index(["from_country", "to_country"])
    row = ex.loc[("KZ", "UZ")]
    assert row["sent_mwh"] == pytest.approx(sent_kz, rel=1e-9)
    assert row["losses_mwh"] == pytest.approx(losses_kz, rel=1e-9)
    assert row["delivered_mwh"] == pytest.approx(row["sent_mwh"] - row["losses_mwh"], rel=1e-12)
    # every delivered MWh is someone's import, every sent MWh someone's export
    assert ex["delivered_mwh"].sum() == pytest.approx(balance["imports"].sum(), rel=1e-12)
    assert ex["sent_mwh"].sum() == pytest.approx(balance["exports"].sum(), rel=1e-12)
    assert (balance["exports"] - balance["export_losses"]).sum() == pytest.approx(balance["imports"].sum(), rel=1e-12)


def test_country_emissions_sum_the_generators_table(corridor):
    em = country_emissions(corridor).set_index("country")
    g = corridor.tables["generators"]
    assert em["emissions_t"].sum() == pytest.approx(g["emissions_t"].sum(), rel=1e-12)
    kz_coal = g[(g["country"] == "KZ") & (g["technology"] == "coal_existing")]["emissions_t"].sum()
    assert kz_coal > 0 and em.loc["KZ", "co2_coal_existing"] == pytest.approx(kz_coal, rel=1e-12)
    assert not any(c == "co2_onwind" for c in em.columns)  # technologies without emissions are left out


def test_sankey_is_clean_and_balances_each_country(corridor, balance):
    fig = bc.balance_sankey_figure(corridor)
    tr = fig["data"][0]
    assert tr["type"] == "sankey"
    vals = np.array(tr["link"]["value"], dtype=float)
    assert (vals >= bc.SANKEY_MIN_MWH / 1e6).all()  # no negative flow and none under 0.5 GWh/yr
    labels = tr["node"]["label"]
    assert len(labels) == len(set(labels)) and len(tr["node"]["color"]) == len(labels)
    src, dst = np.array(tr["link"]["source"]), np.array(tr["link"]["target"])
    assert not (src == dst).any()
    pairs = {(labels[s], labels[t]) for s, t in zip(src, dst)}
    countries = list(balance.index)
    for a in countries:  # net exchange between two countries: one direction only
        for b in countries:
            assert not ((a, b) in pairs and (b, a) in pairs)
    assert ("onwind · KZ", "KZ") in pairs and ("KZ", "demand") in pairs and ("KZ", "UZ") in pairs
    assert tr["node"]["color"][labels.index("onwind · KZ")] == tech_colour("onwind")
    # flow into a country = flow out of it, up to the dropped flows (each < 0.5 GWh/yr, at most one
    # per technology, store, other country, market side and the four sinks/sources) and 4-decimal rounding
    n_flows = sum(c.startswith("gen_") for c in balance.columns) + len(corridor.tables["storage"]) + \
        len(countries) + 2 * len(corridor.tables["markets"]) + 4
    for c in countries:
        if c not in labels:
            continue
        i = labels.index(c)
        net = vals[dst == i].sum() - vals[src == i].sum()
        assert abs(net) <= n_flows * (bc.SANKEY_MIN_MWH / 1e6 + 1e-4), (c, net)
    # the sink "demand" receives all demand (TWh/yr, no demand flow is below the threshold here)
    d = labels.index("demand")
    assert vals[dst == d].sum() == pytest.approx(balance["demand"].sum() / 1e6, abs=1e-3)


def _tiny() -> Result:
    """One node, two snapshots of weight 1 h and 3 h; 'wind' makes 1000 then 2000 MW, 'gas' only
    100 and 200 MW (700 MWh/yr: under the 1 GWh/yr threshold); prices 50 then 10 EUR/MWh."""
    snaps = pd.date_range("2035-01-01", periods=2, freq="h")
    gens = pd.DataFrame({"id": ["w", "g"], "node": ["N"] * 2, "country": ["XX"] * 2, "technology": ["wind", "gas"],
                         "generation_mwh": [7000.0, 700.0], "emissions_t": [0.0, 300.0]})
    return Result(scenario_name="tiny", status="optimal", message="", objective=0.0, objective_constant=0.0,
                  snapshots=snaps, weights=np.array([1.0, 3.0]),
                  tables={"generators": gens, "nodes": pd.DataFrame({"id": ["N"], "country": ["XX"]})},
                  hourly={"generation_mw": pd.DataFrame({"w": [1000.0, 2000.0], "g": [100.0, 200.0]}, index=snaps),
                          "price_eur_per_mwh": pd.DataFrame({"N": [50.0, 10.0]}, index=snaps)})


def test_capture_price_matches_a_hand_computation():
    # revenue = 1000*50*1 + 2000*10*3 = 110,000 EUR; output = 1000 + 6000 = 7000 MWh
    # capture price = 15.714 EUR/MWh; mean price = (50*1 + 10*3) / 4 = 20 EUR/MWh; value factor 0.786
    fig = bc.capture_price_figure(_tiny())
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["wind"]  # gas (0.7 GWh/yr) is under the threshold
    assert bars[0]["y"] == [["N"], ["wind"]] and bars[0]["orientation"] == "h"
    assert bars[0]["x"] == [pytest.approx(110000 / 7000, abs=0.005)]
    vf, twh, mean = bars[0]["customdata"][0]
    assert vf == pytest.approx(110000 / 7000 / 20, abs=5e-4) and mean == 20.0 and twh == 0.007
    mark = [t for t in fig["data"] if t["type"] == "scatter"][0]
    assert mark["x"] == [20.0]
    assert "range" not in fig["layout"]["xaxis"]  # no outlier: the axis is not cut
    em = bc.emissions_figure(_tiny())
    assert [(t["name"], t["y"]) for t in em["data"]] == [("gas", [0.0])]  # 300 t = 0.0003 Mt -> rounds to 0.0


def test_congestion_rent_figure_skips_noise(corridor):
    fig = bc.congestion_rent_figure(corridor)
    bar = fig["data"][0]
    cr = congestion_rent(corridor).set_index("id")
    shown = [y.split(" ")[0] for y in bar["y"]]
    assert shown, "the corridor has congested links"
    for lid, x in zip(shown, bar["x"]):
        assert x == pytest.approx(cr.loc[lid, "congestion_rent_eur"] / 1e6, abs=0.005)
        assert abs(cr.loc[lid, "congestion_rent_eur"]) >= 1e4
    unused = corridor.tables["links"].query("forward_mwh + backward_mwh == 0")["id"]
    assert not set(unused) & set(shown)
    assert bar["x"] == sorted(bar["x"])


def test_figures_are_json_and_valid_plotly(corridor):
    go = pytest.importorskip("plotly.graph_objects")
    for name in FIGURES:
        fig = getattr(bc, name)(corridor)
        text = to_json(fig)  # allow_nan=False: no NaN or infinity slipped through
        assert json.loads(text)["data"]
        assert "-0.0," not in text and "-0.0]" not in text
        go.Figure(fig)  # raises on an attribute name plotly.js does not know
        assert all(t["type"] in ("sankey", "bar", "scatter") for t in fig["data"])


def test_tables_escape_and_show_no_negative_zero(corridor):
    res = copy.copy(corridor)
    res.tables = dict(corridor.tables)
    nodes = corridor.tables["nodes"].copy()
    nodes["country"] = nodes["country"].replace({"GE": "G<E>&"})
    res.tables["nodes"] = nodes
    table = bc.balance_table_html(res)
    assert "G&lt;E&gt;&amp;" in table and "G<E>" not in table
    assert table.count("<tr>") == 1 + nodes["country"].nunique()
    assert not re.search(r">-0\.00<", table)
    market = bc.market_table_html(corridor)
    assert market.count("<table") == 2 and "kz_s_uz_e_caps" in market
    assert not re.search(r">-0\.0+<", market)
