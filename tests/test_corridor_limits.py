"""What can be built, how fast, where, and at what cost of capital: the corridor data of issue #15.

Hand-checkable numbers from the tables (``potentials.csv``, ``build_rates.csv``, ``links.csv``,
``cost_of_capital.csv``, ``capex_calibration.csv``, ``market_depth.csv``).  Tolerances are float
round-off (rel 1e-9) unless a comment says otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import silkgrid
from silkgrid.data import build, finance, limits
from silkgrid.data.fleet import existing_units
from silkgrid.data.provenance import ASSUMPTION, dataset_dir, load_tables, split_ids
from silkgrid.data.tables import technology_values
from silkgrid.scenario import loader

from test_corridor_data import stand_in_profiles

REL = 1e-9  # float round-off of sums and products of table values


@pytest.fixture(scope="module")
def scenarios() -> dict[int, dict]:
    return {y: build.build_corridor_scenario(y, profiles=stand_in_profiles(y), resolution="12h")
            for y in (2030, 2035)}


def _rows_explained(row: pd.Series, source_cols: list[str]) -> bool:
    """A row is explained when it cites a real source, or cites 'assumption' with a reason."""
    ids = [i for c in source_cols for i in split_ids(row.get(c))]
    if any(i != ASSUMPTION for i in ids) and ASSUMPTION not in ids:
        return True
    return ASSUMPTION in ids and isinstance(row.get("reason"), str) and len(row["reason"].strip()) > 10


# ----------------------------------------------------------------------------------------
# every candidate has a finite limit with a source or a flagged reason
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("year", [2030, 2035])
def test_every_candidate_is_finite_and_explained(scenarios, year) -> None:
    sc = scenarios[year]
    pot = limits.potential_table().set_index(["node", "technology"])
    tables = load_tables("corridor")
    prow = tables["potentials"]
    links = tables["links"].set_index("id")
    n_checked = 0
    for g in sc["generators"]:
        if not g.get("extendable"):
            continue
        assert np.isfinite(g["max_capacity_mw"]) and g["max_capacity_mw"] > 0, g["id"]
        entry = pot.loc[(g["node"], g["technology"])]
        tech = "solar" if g["technology"].startswith("solar") and entry["row"] != "*" else g["technology"]
        row = prow[(prow["node"] == entry["row"]) & (prow["technology"] == tech)].iloc[0]
        assert _rows_explained(row, [c for c in prow.columns if c.endswith("source_id")]), g["id"]
        n_checked += 1
    for s in sc["storage"]:
        if not s.get("extendable_power"):
            continue
        assert np.isfinite(s["max_power_capacity_mw"]), s["id"]
        entry = pot.loc[(s["node"], "battery")]
        row = prow[(prow["node"] == entry["row"]) & (prow["technology"] == "battery")].iloc[0]
        assert _rows_explained(row, ["source_id"]), s["id"]
        n_checked += 1
    for ln in sc["links"]:
        if not ln.get("extendable"):
            continue
        assert np.isfinite(ln["max_capacity_mw"]) and ln["max_capacity_mw"] > 0, ln["id"]
        assert _rows_explained(links.loc[ln["id"]], ["max_capacity_source_id", "source_id"]), ln["id"]
        n_checked += 1
    assert n_checked > 40  # 7 domestic nodes x 5 technologies + batteries + links


def _copy(tmp_path: Path, name: str) -> Path:
    """A copy of the data set (one folder per variant: tables are cached by folder)."""
    dst = tmp_path / name
    shutil.copytree(dataset_dir("corridor"), dst)
    return dst


def _edit(folder: Path, table: str, edit) -> Path:
    df = pd.read_csv(folder / f"{table}.csv", keep_default_na=False, na_values=[""])
    edit(df).to_csv(folder / f"{table}.csv", index=False)
    return folder


def test_a_missing_or_blank_potential_is_an_error(tmp_path) -> None:
    def blank(df):
        df.loc[(df["node"] == "GE") & (df["technology"] == "onwind"), "max_capacity_mw"] = np.nan
        return df

    with pytest.raises(build.CorridorDataError, match="GE/onwind.*no candidate is unbounded"):
        limits.potential_table(_edit(_copy(tmp_path, "blank"), "potentials", blank))
    no_ocgt = _edit(_copy(tmp_path, "missing"), "potentials",
                    lambda df: df[~((df["node"] == "*") & (df["technology"] == "ocgt"))])
    with pytest.raises(build.CorridorDataError, match="no row for node KZ_N, technology ocgt"):
        limits.potential_table(no_ocgt)

    def open_link(df):
        df.loc[df["id"] == "kz_ns_hvdc", "max_capacity_mw"] = np.nan
        return df

    folder = _edit(_copy(tmp_path, "link"), "links", open_link)
    with pytest.raises(build.CorridorDataError, match="kz_ns_hvdc.*finite max_capacity_mw"):
        build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030), dataset=folder)


def test_potentials_by_land_rule_and_published_figures() -> None:
    pot = limits.potential_table().set_index(["node", "technology"])["max_capacity_mw"]
    assert pot[("KZ_W", "onwind")] == pytest.approx(736_100 * 0.04 * 3, rel=REL)          # 88,332 MW
    assert pot[("UZ_E", "solar_fixed")] == pytest.approx(125_735 * 0.04 * 4.6 / 2, rel=REL)  # half fixed
    kz_wind = sum(pot[(n, "onwind")] for n in ("KZ_N", "KZ_S", "KZ_W"))
    # cross-check of the 4 % share: ~920 TWh/yr (UNDP) at a 32 % capacity factor; 5 % band = rounding of areas
    assert kz_wind * 8760 * 0.32 / 1e6 == pytest.approx(920, rel=0.05)
    assert pot[("GE", "solar_fixed")] + pot[("GE", "solar_tracking")] == 87_000          # IRENA zoning
    assert pot[("GE", "onwind")] == 1_500 and pot[("UZ_W", "battery")] == 4_200
    assert pot[("AZ", "ccgt")] == 10_000                                                 # '*' bound, flagged
    assert np.isfinite(pot.to_numpy()).all()


# ----------------------------------------------------------------------------------------
# build-rate room
# ----------------------------------------------------------------------------------------
def test_cumulative_rate_follows_the_ramp() -> None:
    rows = pd.DataFrame({"from_year": [2026, 2031], "rate_mw_per_yr": [1000.0, 1500.0]})
    assert limits.cumulative_rate_mw(rows, 2025, 2025) == 0.0
    assert limits.cumulative_rate_mw(rows, 2025, 2030) == 5 * 1000
    assert limits.cumulative_rate_mw(rows, 2025, 2035) == 5 * 1000 + 5 * 1500
    late = pd.DataFrame({"from_year": [2028], "rate_mw_per_yr": [100.0]})
    assert limits.cumulative_rate_mw(late, 2025, 2030) == 3 * 100  # nothing before the first from_year


def test_build_room_of_kazakh_wind_by_hand() -> None:
    """KZ wind: 1,000 MW/yr in 2026-30, 1,500 MW/yr from 2031 (build_rates.csv); base year 2025.

    Synthetic fleet: an operating farm (not pipeline), 1,000 MW online 2027 and 1,500 MW online
    2029 (pipeline), 2,000 MW of PV online 2028 (another group), and 300 MW under construction
    without a date (pipeline)."""
    units = pd.DataFrame({
        "node": ["KZ_N", "KZ_S", "KZ_N", "KZ_S", "KZ_W"],
        "technology": ["onwind", "onwind", "onwind", "solar_fixed", "onwind"],
        "capacity_mw": [563.82, 1000.0, 1500.0, 2000.0, 300.0],
        "status": ["operating", "committed", "committed", "committed", "under_construction"],
        "online_year": [np.nan, 2027, 2029, 2028, np.nan]})
    room = limits.build_room(2030, units).set_index(["country", "group"])
    kz = room.loc[("KZ", "wind")]
    assert kz["cumulative_mw"] == 5_000 and kz["pipeline_mw"] == 1_000 + 1_500 + 300
    assert kz["max_new_mw"] == 5_000 - 2_800                                     # 2,200 MW
    assert room.loc[("KZ", "solar"), "max_new_mw"] == 0.0                         # 1,500 - 2,000 < 0 -> 0
    assert room.loc[("KZ", "wind"), "technologies"] == ("onwind", "offwind", "offwind_float")
    r35 = limits.build_room(2035, units).set_index(["country", "group"])
    assert r35.loc[("KZ", "wind"), "max_new_mw"] == 5_000 + 5 * 1_500 - 2_800   # 9,700 MW
    assert r35.loc[("GE", "solar"), "max_new_mw"] == 10 * 150                    # no Georgian pipeline


@pytest.mark.parametrize("year", [2030, 2035])
def test_scenario_build_limits_follow_the_rule(scenarios, year) -> None:
    sc = scenarios[year]
    units = existing_units(year)
    expected = limits.build_room(year, units).set_index(["country", "group"])
    lims = {lim["id"]: lim for lim in sc["policies"]["build_limits"]}
    assert len(lims) == 16  # 4 countries x wind, solar, battery, gas
    kz = lims["build_rate_KZ_wind"]
    assert kz["country"] == "KZ" and kz["technologies"] == ["onwind", "offwind", "offwind_float"]
    assert kz["max_new_mw"] == pytest.approx(expected.loc[("KZ", "wind"), "max_new_mw"], abs=1e-3)
    assert expected.loc[("KZ", "wind"), "cumulative_mw"] == {2030: 5_000, 2035: 12_500}[year]
    assert lims["build_rate_UZ_gas"]["technologies"] == ["ccgt", "ocgt"]  # gas_existing counts only as pipeline
    loaded = silkgrid.load_scenario(sc)
    assert {lim.id for lim in loaded.policies.build_limits} == set(lims)


def test_rates_imply_the_published_plan_caps() -> None:
    """The per-country plans of credibility B3 need no extra cap: the rates stay inside them."""
    rates = load_tables("corridor")["build_rates"]

    def cum(country, group, year):
        return limits.cumulative_rate_mw(rates[(rates["country"] == country) & (rates["group"] == group)], 2025, year)

    assert 500 <= cum("GE", "solar", 2030) <= 1_000                       # GE solar ~0.5-1 GW by 2030
    az_re_2025 = 278.2 + 63.5                                             # AZ wind + PV at end-2025
    assert az_re_2025 + cum("AZ", "wind", 2030) + cum("AZ", "solar", 2030) <= 6_500   # 6-6.5 GW by 2030
    assert az_re_2025 + cum("AZ", "wind", 2032) + cum("AZ", "solar", 2032) <= 8_000   # 8 GW by 2032
    uz = cum("UZ", "wind", 2030) + cum("UZ", "solar", 2030)
    assert 5 * 2_500 <= uz <= 5 * 3_500                                   # UZ plan 2.5-3.5 GW/yr
    assert 1_245 + cum("UZ", "battery", 2030) == pytest.approx(4_245)     # ~ the 4.2 GW storage plan


# ----------------------------------------------------------------------------------------
# years between the data points
# ----------------------------------------------------------------------------------------
def test_2035_is_interpolated(scenarios) -> None:
    t30, t35, t40 = technology_values(2030), technology_values(2035), technology_values(2040)
    assert t35["onwind"]["investment"] == pytest.approx((1383 + 1306) / 2 * 1.02**10, rel=REL)
    assert t35["battery_storage"]["lifetime"] == pytest.approx(27.5)      # 25 (2030) and 30 (2040)
    assert t35["gas"]["fuel"] == pytest.approx((t30["gas"]["fuel"] + t40["gas"]["fuel"]) / 2, rel=REL)
    sc = scenarios[2035]
    tech = {t["id"]: t for t in sc["technologies"]}
    assert tech["onwind"]["capex_eur_per_kw"] == pytest.approx(
        t35["onwind"]["investment"] * finance.regional_capex_factor("onwind"), rel=REL)
    assert build.annual_demand_twh("KZ", 2035) == pytest.approx(146 * 1.02**5, rel=REL)
    kz = sum(ld["demand_mw"].sum() for ld in sc["loads"] if ld["node"].startswith("KZ"))  # hourly series, MWh
    assert kz == pytest.approx(146e6 * 1.02**5, rel=1e-6)
    assert sc["time"]["start"].startswith("2035-01-01")


def test_loader_accepts_any_year_and_the_finance_options(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(build, "build_corridor_scenario", lambda **kw: calls.append(kw) or {"nodes": []})
    loader._built_dataset("corridor-2035", "x")
    loader._built_dataset({"dataset": "corridor", "year": 2035, "finance": "high", "grant_share": 0.5}, "x")
    label, _ = loader._built_dataset("<data set corridor year=2035 finance=low>", "x")
    assert calls == [{"year": 2035}, {"year": 2035, "finance": "high", "grant_share": 0.5},
                     {"year": 2035, "finance": "low"}]
    assert label == "<data set corridor year=2035 finance=low>"
    with pytest.raises(silkgrid.ScenarioError, match="must be a word"):
        loader._built_dataset({"dataset": "corridor", "finance": 3}, "x")


def test_loader_reports_a_bad_year_with_the_range() -> None:
    with pytest.raises(silkgrid.ScenarioError) as err:
        loader._built_dataset("corridor-2061", "x")
    assert "from 2030 to 2060" in str(err.value)


# ----------------------------------------------------------------------------------------
# topology
# ----------------------------------------------------------------------------------------
def test_topology_defaults(scenarios) -> None:
    l30 = {ln["id"]: ln for ln in scenarios[2030]["links"]}
    l35 = {ln["id"]: ln for ln in scenarios[2035]["links"]}
    assert "black_sea_hvdc" not in l30 and "caspian_hvdc" not in l30      # 2032 and 2031
    assert l35["black_sea_hvdc"]["max_capacity_mw"] == 1_300               # JV, Jan 2026
    assert l35["caspian_hvdc"]["max_capacity_mw"] == 4_000
    for links in (l30, l35):                                               # AZ-GE reinforcements
        assert links["az_ge_500kv_2"]["max_capacity_mw"] == 700 and links["az_ge_500kv_2"]["length_km"] == 182.3
        assert links["az_ge_330kv_gardabani"]["max_capacity_mw"] == 300
    # AC cost from technology-data: 750 EUR/MW/km (EUR-2025) in 2030, x 64 km for the Gardabani line
    assert l30["az_ge_330kv_gardabani"]["capex_eur_per_mw_km"] == pytest.approx(750)
    assert l30["az_ge_330kv_gardabani"]["capex_eur_per_mw"] == 0.0
    everything = build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030), respect_earliest_year=False)
    assert {ln["id"]: ln for ln in everything["links"]}["black_sea_hvdc"]["max_capacity_mw"] == 1_300


def test_named_scenarios_extend_the_corridor(monkeypatch, scenarios) -> None:
    monkeypatch.setattr(build, "build_corridor_scenario", lambda **kw: scenarios[2035])
    for name, cap in (("corridor_blacksea_4gw", 4_000), ("corridor_blacksea_6gw", 6_000)):
        sc = silkgrid.load_scenario(name)
        assert {ln.id: ln for ln in sc.links}["black_sea_hvdc"].max_capacity_mw == cap
        assert "political" in sc.description or "study" in sc.description
    free = silkgrid.load_scenario("corridor_unpaced")
    assert free.policies.build_limits == [] and "build-rate" in free.description
    assert set(loader.available_datasets()) >= {"corridor_blacksea_4gw", "corridor_blacksea_6gw", "corridor_unpaced"}


# ----------------------------------------------------------------------------------------
# money
# ----------------------------------------------------------------------------------------
def test_cost_of_capital_per_country_class_and_case() -> None:
    assert finance.cost_of_capital("KZ", "renewables") == 0.15                 # Agora fill value
    assert finance.cost_of_capital("KZ", "thermal", "low") == 0.10
    assert finance.cost_of_capital("UZ", "renewables") == 0.082                # IRENA MEA
    assert finance.cost_of_capital("GE", "storage", "high") == 0.111
    assert finance.cost_of_capital("GE", "subsea_cable") == 0.0694             # '*' row: ANRE regulated rate
    assert finance.link_rate("UZ_W", "KZ_W", "hvdc_overhead") == 0.15          # the higher of UZ and KZ
    assert finance.link_rate("GE", "RO", "hvdc_submarine", "low") == 0.0639
    with pytest.raises(build.CorridorDataError, match="finance case 'medium'"):
        finance.cost_of_capital("KZ", "renewables", "medium")


def test_finance_cases_and_grants_reach_the_scenario(scenarios) -> None:
    central = scenarios[2035]
    gens = {g["id"]: g for g in central["generators"]}
    assert gens["KZ_S_onwind_new"]["discount_rate"] == 0.15 and gens["UZ_W_solar_fixed_new"]["discount_rate"] == 0.082
    assert all(g.get("discount_rate") is not None for g in central["generators"] if g.get("extendable"))
    assert all(s.get("discount_rate") is not None for s in central["storage"] if s.get("extendable_power"))
    links = {ln["id"]: ln for ln in central["links"]}
    assert links["black_sea_hvdc"]["discount_rate"] == 0.0694 and "grant_share" not in links["black_sea_hvdc"]
    assert central["discount_rate"] == 0.071                                   # the fallback is unchanged
    high = build.build_corridor_scenario(2035, profiles=stand_in_profiles(2035), resolution="12h",
                                         finance="high", grant_share=0.4)
    hg = {g["id"]: g for g in high["generators"]}
    hl = {ln["id"]: ln for ln in high["links"]}
    assert hg["KZ_S_onwind_new"]["discount_rate"] == 0.20 and hg["GE_solar_fixed_new"]["discount_rate"] == 0.111
    assert hl["black_sea_hvdc"]["grant_share"] == 0.4 and hl["caspian_hvdc"]["grant_share"] == 0.4
    assert "grant_share" not in hl["az_ge_500kv_2"]                            # grants only for sea cables
    sc = silkgrid.load_scenario(high)
    assert {ln.id: ln for ln in sc.links}["black_sea_hvdc"].grant_share == 0.4
    with pytest.raises(build.CorridorDataError, match="finance case"):
        build.build_corridor_scenario(2035, profiles=stand_in_profiles(2035), finance="optimistic")
    with pytest.raises(build.CorridorDataError, match="grant_share"):
        build.build_corridor_scenario(2035, profiles=stand_in_profiles(2035), grant_share=1.5)


def test_regional_capex_calibration_by_hand() -> None:
    """Khizi-Absheron: USD 340 m (2024) / 240 MW; USD/EUR 1.08; 2 %/yr to EUR-2025; vs DEA 2030
    onshore wind 1,383 EUR-2015/kW x 1.02^10.  Mirny nets out 300 MW / 600 MWh of battery at
    technology-data 2030 costs (213.9 EUR/kW, 189.9 EUR/kWh, EUR-2020)."""
    cal = finance.capex_calibration().set_index("project")
    dea = 1383 * 1.02**10
    khizi = 340e6 / 1.08 * 1.02 / 240e3
    assert cal.loc["khizi_absheron", "factor"] == pytest.approx(khizi / dea, rel=REL)   # 0.794
    bess = (300e3 * 213.9 + 600e3 * 189.9) * 1.02**5
    mirny = (1.4e9 / 1.08 * 1.02 - bess) / 1e6
    assert cal.loc["mirny", "factor"] == pytest.approx(mirny / dea, rel=REL)            # 0.668
    factors = cal[cal["use"] == "calibrate"]["factor"]
    assert finance.regional_capex_factor("onwind") == pytest.approx(factors.mean(), rel=REL)
    assert 0.78 < factors.mean() < 0.83
    assert finance.regional_capex_factor("solar_fixed") == 1.0   # PV projects are context only (pre-2023 costs)
    assert set(cal[cal["use"] == "context"].index) == {"garadagh", "nur_navoi"}


# ----------------------------------------------------------------------------------------
# markets
# ----------------------------------------------------------------------------------------
def test_market_depth_and_turkish_price(scenarios) -> None:
    markets = {m["id"]: m for m in scenarios[2035]["markets"]}
    ro = markets["RO_market"]
    avg = 55.92e6 / 8760                                             # RO average load 2024, MW
    assert [s["mw"] for s in ro["depth_steps"]] == pytest.approx([0.1 * avg, 0.1 * avg, 0.2 * avg, 0.2 * avg])
    assert [s["price_offset_eur_per_mwh"] for s in ro["depth_steps"]] == [0, 5, 15, 30]
    assert ro["export_capacity_mw"] == pytest.approx(0.6 * avg, abs=0.5)   # table rounded to the MW
    tr = markets["TR_market"]
    assert tr["price_eur_per_mwh"].mean() == pytest.approx(70 / 1.08 * 1.02, rel=1e-9)  # EUR-2024 -> 2025
    sc = silkgrid.load_scenario(scenarios[2035])
    assert len({m.id: m for m in sc.markets}["HU_market"].depth_steps) == 4
