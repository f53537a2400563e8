"""The packaged `corridor` data set: provenance, sourced numbers, and the scenario builder."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import silkgrid
from silkgrid.data import build
from silkgrid.data.provenance import (
    ASSUMPTION,
    check_provenance,
    dataset_dir,
    format_sources,
    list_assumptions,
    load_sources,
    load_tables,
    source_usage,
)


# ----------------------------------------------------------------------------------------
# TEST FIXTURE ONLY: a stand-in for silkgrid.profiles.corridor_profiles, so that the builder
# tests run in milliseconds and do not depend on the profile generators. The shapes are
# arbitrary smooth functions, not weather.
# ----------------------------------------------------------------------------------------
def stand_in_profiles(year: int = 2030) -> pd.DataFrame:
    cols = build.required_profile_columns(year)
    index = pd.date_range(f"{year}-01-01", periods=8760, freq="h", tz="UTC")
    h = np.arange(8760.0)
    day = np.clip(np.sin(2 * np.pi * ((h % 24) - 6) / 24), 0, None)
    data = {}
    for k, c in enumerate(cols):
        if c.startswith("solar"):
            data[c] = 0.85 * day
        elif c.startswith(("onwind", "offwind")):
            data[c] = 0.4 + 0.3 * np.sin(2 * np.pi * h / (90.0 + k))
        elif c.startswith("demand"):
            data[c] = 1000.0 * (1 + 0.15 * np.sin(2 * np.pi * (h % 24) / 24) + 0.1 * np.cos(2 * np.pi * h / 8760))
        else:  # inflow
            data[c] = 50.0 * (1.5 + np.sin(2 * np.pi * (h - 2000) / 8760))
    return pd.DataFrame(data, index=index)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load_tables("corridor")


@pytest.fixture(scope="module")
def scenario_2030() -> dict:
    return build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030), resolution="3h")


def _one(df: pd.DataFrame, **match) -> pd.Series:
    sel = df
    for k, v in match.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, match
    return sel.iloc[0]


# ----------------------------------------------------------------------------------------
# provenance
# ----------------------------------------------------------------------------------------
def test_every_value_has_a_resolving_source() -> None:
    assert check_provenance("corridor") == []


def test_sources_have_citations() -> None:
    sources = load_sources("corridor")
    assert ASSUMPTION in sources
    for sid, src in sources.items():
        if sid == ASSUMPTION:
            continue
        assert src.title and (src.url or src.repository) and src.accessed, sid
        # a URL, a repository at a commit, or a project-internal note that says it is not shipped
        assert src.location.startswith(("http", "shared/", "project-internal")) or "@" in src.location, sid


def test_all_defined_sources_are_used_except_geo() -> None:
    from silkgrid.profiles.plants import REFERENCE_PLANTS  # the reference plants cite the data set's sources

    from silkgrid.scenario.pathway import available_pathways, pathway_path

    used = set(source_usage("corridor")) | {ids for p in REFERENCE_PLANTS for ids in p.source_id.split(";")}
    for name in available_pathways():  # packaged pathways cite the sources of their own numbers
        used |= set((yaml.safe_load(pathway_path(name).read_text()).get("sources") or {}).get("corridor", []))
    unused = set(load_sources("corridor")) - used
    assert unused == {"natural_earth_world_atlas"}  # cited by src/silkgrid/data/geo/README.md


def _copy_dataset(tmp_path: Path) -> Path:
    dst = tmp_path / "corridor"
    shutil.copytree(dataset_dir("corridor"), dst)
    return dst


def test_check_flags_missing_unknown_and_unexplained_sources(tmp_path: Path) -> None:
    folder = _copy_dataset(tmp_path)
    links = pd.read_csv(folder / "links.csv", keep_default_na=False, na_values=[""])
    links.loc[links["id"] == "az_ge_500kv", "capacity_source_id"] = np.nan        # value without source
    links.loc[links["id"] == "ge_tr_b2b", "capacity_source_id"] = "no_such_source"  # unknown id
    links.loc[links["id"] == "ro_hu_ac", "reason"] = np.nan                       # assumption, no reason
    links.loc[links["id"] == "kz_ns_hvdc", "source_id"] = "energo_cis_2023;typo"    # unknown row-level id
    links.to_csv(folder / "links.csv", index=False)
    problems = check_provenance(folder)
    assert any("az_ge_500kv" in p and "capacity_mw=700 has no source id" in p for p in problems)
    assert any("ge_tr_b2b" in p and "'no_such_source'" in p for p in problems)
    assert any("ro_hu_ac" in p and "no reason" in p for p in problems)
    assert any("kz_ns_hvdc" in p and "'typo'" in p for p in problems)
    assert len(problems) == 4


def test_check_flags_tables_without_source_column_and_bad_sources(tmp_path: Path) -> None:
    folder = _copy_dataset(tmp_path)
    pd.DataFrame({"x": [1.0]}).to_csv(folder / "extra.csv", index=False)
    lines = (folder / "sources.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    kegoc_url = next(i for i, line in enumerate(lines) if "kegoc-completed-largest" in line)
    del lines[kegoc_url]  # the url line of kegoc_ns_2018
    (folder / "sources.yaml").write_text("".join(lines), encoding="utf-8")
    problems = check_provenance(folder)
    assert any(p.startswith("extra.csv: no 'source_id' column") for p in problems)
    assert any("extra.csv" in p and "x=1 has no source id" in p for p in problems)
    assert any("'kegoc_ns_2018' has neither url nor repository" in p for p in problems)


def test_assumption_list_is_complete_and_explained(tables) -> None:
    df = list_assumptions("corridor")
    assert list(df.columns) == ["table", "key", "fields", "values", "reason"]
    assert (df["reason"].str.len() > 10).all()
    keys = set(zip(df["table"], df["key"]))
    for expected in [("demand", "KZ_N/zone_share"), ("nodes", "AZ_OFF"), ("links", "ro_hu_ac"),
                     ("parameters", "inflation_rate"), ("technologies", "gas_existing/efficiency/2030"),
                     ("potentials", "KZ_N/onwind"), ("potentials", "*/ccgt"),
                     ("generators_existing", "KZ_N_coal_other")]:
        assert expected in keys, expected
    # every row citing 'assumption' anywhere is listed
    for name, t in tables.items():
        scols = [c for c in t.columns if c.endswith("source_id")]
        n_rows = sum(any(ASSUMPTION in str(r[c]).split(";") for c in scols) for _, r in t.iterrows())
        assert (df["table"] == name).sum() == n_rows, name


def test_format_sources_lists_citations() -> None:
    text = format_sources("corridor")
    assert text.startswith("Sources of data set 'corridor'")
    assert "kegoc_ns_2018 [ok]" in text
    assert "https://sakrusenergo.ge/en/mukhrani-valley-500kv/" in text
    assert "PyPSA/technology-data:outputs/costs_2030.csv" in text
    assert "values rest on assumptions" in text


# ----------------------------------------------------------------------------------------
# sourced numbers match shared/domain-facts.md
# ----------------------------------------------------------------------------------------
def test_link_facts(tables) -> None:
    links = tables["links"].set_index("id")
    assert links.loc["kz_ns_ac", "capacity_mw"] == 2100
    assert links.loc["kz_ns_ac", "capacity_source_id"] == "kegoc_ns_2018"
    assert links.loc["az_ge_500kv", ["capacity_mw", "length_km"]].tolist() == [700, 182.3]
    assert links.loc["ge_tr_b2b", "capacity_mw"] == 700
    assert links.loc["black_sea_hvdc", ["length_km", "project_capacity_mw", "project_cost_eur"]].tolist() == \
        [1155, 1300, 3.5e9]
    assert links.loc["caspian_hvdc", "length_km"] == 400
    assert links.loc["black_sea_hvdc", "earliest_year"] == 2032


def test_black_sea_cable_is_calibrated_to_eur_3_5_bn() -> None:
    lt = build.link_table(2030, harmonise_currency=False).set_index("id")
    bs = lt.loc["black_sea_hvdc"]
    per_mw = bs["capex_eur_per_mw"] + bs["capex_eur_per_mw_km"] * bs["length_km"]
    assert per_mw * 1300 == pytest.approx(3.5e9, rel=1e-12)
    assert bs["capex_eur_per_mw"] == pytest.approx(640_000)                 # DEA inverter pair 2030
    assert bs["capex_eur_per_mw_km"] == pytest.approx((3.5e9 / 1300 - 640_000) / 1155)  # ≈ 1,777 EUR/MW/km
    assert bs["capex_eur_per_mw_km"] == pytest.approx(1776.9, abs=0.1)
    # losses from length: 0.98 x 0.977^(L/1000)
    assert bs["efficiency"] == pytest.approx(0.98 * 0.977 ** 1.155) and round(bs["efficiency"], 3) == 0.954
    assert round(lt.loc["caspian_hvdc", "efficiency"], 3) == 0.971
    # the Caspian cable is priced generically: 400 km x 3,220 + 640 EUR/kW ≈ EUR 1.9 bn per GW
    cas = lt.loc["caspian_hvdc"]
    assert (cas["capex_eur_per_mw"] + cas["capex_eur_per_mw_km"] * 400) * 1000 == pytest.approx(1.928e9)
    # later years follow the DEA learning rate of the submarine cable
    bs40 = build.link_table(2040, harmonise_currency=False).set_index("id").loc["black_sea_hvdc"]
    assert bs40["capex_eur_per_mw_km"] / bs["capex_eur_per_mw_km"] == pytest.approx(2950 / 3220)


def test_market_price_facts(tables) -> None:
    m = tables["market_prices_monthly"]
    means = m.groupby(["node", "year"])["price_eur_per_mwh"].mean().round(2)
    assert means[("RO", 2024)] == 103.41 and means[("HU", 2024)] == 100.71
    assert means[("RO", 2023)] == 103.98 and means[("HU", 2023)] == 107.08
    assert means[("RO", 2025)] == 109.10 and means[("HU", 2025)] == 109.36
    assert _one(m, node="HU", year=2024, month=6)["price_eur_per_mwh"] == pytest.approx(91.74)  # HUPX 91.72


def test_hourly_market_prices_match_sourced_annual_means() -> None:
    index = pd.date_range("2030-01-01", periods=8760, freq="h")
    p = build.market_prices(index, harmonise_currency=False)
    assert p["RO"].mean() == pytest.approx(103.41, abs=0.01)
    assert p["HU"].mean() == pytest.approx(100.71, abs=0.01)
    assert p["TR"].mean() == pytest.approx(70 / 1.08)  # 2024 EPIAS samples (~60-80 USD/MWh), flagged
    assert p["RO"].min() > 0 and p["RO"].std() > 10  # hourly shape, not a constant
    p23 = build.market_prices(index, price_year=2023, harmonise_currency=False)
    assert p23["HU"].mean() == pytest.approx(107.08, abs=0.01)
    inflated = build.market_prices(index)  # EUR-2024 -> EUR-2025 at 2 %/yr
    assert inflated["RO"].mean() == pytest.approx(103.41 * 1.02, abs=0.02)


def test_demand_facts(tables) -> None:
    d = tables["demand"]
    assert _one(d, area="AZ", parameter="annual_demand", year=2024)["value"] == 24.1
    assert _one(d, area="GE", parameter="annual_demand", year=2024)["value"] == 14.28
    assert _one(d, area="KZ", parameter="annual_demand", year=2024)["value"] == 119.9
    assert _one(d, area="AZ", parameter="peak", year=2025)["value"] == 4871
    shares = d[d["parameter"] == "zone_share"].set_index("area")["value"]
    assert shares[["KZ_N", "KZ_S", "KZ_W"]].sum() == pytest.approx(1.0)
    assert shares[["UZ_W", "UZ_E"]].sum() == pytest.approx(1.0)
    # projections: KZ 146 TWh in 2030 (sourced), AZ grows 2 %/yr from 2024 (assumption)
    assert build.annual_demand_twh("KZ", 2030) == pytest.approx(146)
    assert build.annual_demand_twh("AZ", 2030) == pytest.approx(24.1 * 1.02**6)
    assert build.annual_demand_twh("GE", 2030) == pytest.approx(14.28 + (19 - 14.28) * 0.6)


def test_technology_and_economic_facts(tables) -> None:
    t = tables["technologies"]

    def v(tech, param, year=2030):
        return _one(t, technology=tech, parameter=param, year=year)["value"]

    assert v("gas", "CO2 intensity") == 0.198 and v("coal", "CO2 intensity") == 0.3361
    assert (v("gas", "fuel"), v("gas", "fuel", 2040), v("gas", "fuel", 2050)) == (28.42, 25.59, 22.76)
    assert v("onwind", "investment") == 1383 and _one(t, technology="onwind", parameter="investment",
                                                      year=2030)["currency_year"] == 2015
    assert v("hvdc_submarine", "investment") == 3220 and v("hvdc_inverter_pair", "investment") == 640
    assert v("battery_storage", "investment", 2050) == 100.3 and v("ccgt", "efficiency") == 0.58
    params = build.parameters()
    assert params["discount_rate"] == 0.071
    assert (params["discount_rate_sensitivity_low"], params["discount_rate_sensitivity_high"]) == (0.086, 0.111)
    assert params["eu_ets_price"] == 67
    assert (params["hvdc_efficiency_static"], params["hvdc_efficiency_per_1000km"]) == (0.98, 0.977)
    pot = tables["potentials"].set_index(["node", "technology"])["max_capacity_mw"]
    assert pot[("AZ_OFF", "offwind")] + pot[("AZ_OFF", "offwind_float")] == 157_000
    assert pot[("AZ", "solar")] == 23_040 and pot[("GE", "solar")] == 87_000  # split fixed/tracking by the builder


def test_existing_fleet_adds_up_to_national_totals(tables) -> None:
    g = tables["generators_existing"]
    op = g[g["status"] == "operating"]
    kz = op[op["node"].str.startswith("KZ")]

    def total(df, tech, ids=None):
        sel = df[df["technology"] == tech]
        return sel["capacity_mw"].sum() if ids is None else sel[sel["id"].isin(ids)]["capacity_mw"].sum()

    almaty = float(_one(g, id="KZ_S_gas_almaty_chp")["capacity_mw"])
    assert total(kz, "coal_existing") + almaty == pytest.approx(13_410)       # KEGOC 2020
    assert total(kz, "gas_existing") - almaty == pytest.approx(6_010)
    assert total(kz, "hydro_reservoir") + total(kz, "ror") == pytest.approx(2_950)
    assert total(kz, "onwind") == pytest.approx(1_409.55) and total(kz, "solar_fixed") == pytest.approx(1_222.61)
    uz = op[op["node"].str.startswith("UZ")]
    assert total(uz, "gas_existing") == pytest.approx(17_551 + 223)             # thermal + block stations
    assert total(uz, "hydro_reservoir") + total(uz, "ror") == pytest.approx(2_441)
    assert (total(uz, "onwind"), total(uz, "solar_fixed")) == (1_652, 3_930)
    az = op[op["node"] == "AZ"]
    assert total(az, "ccgt") + total(az, "gas_existing") == 7_903
    assert total(az, "hydro_reservoir") + total(az, "ror") == pytest.approx(1_443.5)
    ge = op[op["node"] == "GE"]
    assert ge["capacity_mw"].sum() == pytest.approx(4_634.3 * (0.255 + 0.733 + 0.012))
    assert _one(g, id="KZ_N_coal_ekibastuz1")["capacity_mw"] == 3500


def test_node_anchors(tables) -> None:
    nodes = tables["nodes"].set_index("id")
    assert set(nodes.index) == {"KZ_N", "KZ_S", "KZ_W", "UZ_W", "UZ_E", "AZ", "AZ_OFF", "GE", "TR", "RO", "HU"}
    assert nodes.loc["AZ_OFF", "source_id"] == ASSUMPTION  # approximate, flagged
    assert (nodes.drop(index="AZ_OFF")["source_id"] == "geonames_rg").all()
    assert nodes.loc["KZ_W", ["lat", "lon"]].tolist() == pytest.approx([43.648, 51.172], abs=1e-3)  # Aktau


# ----------------------------------------------------------------------------------------
# the builder
def test_meta_yaml_points_only_at_table_rows(tmp_path: Path) -> None:
    folder = _copy_dataset(tmp_path)
    text = (folder / "meta.yaml").read_text(encoding="utf-8")
    text = text.replace("{link: black_sea_hvdc,", "{link: black_sea_typo,").replace(
        "metric: ifi_operating_margin", "metric: no_such_metric").replace("eu_nodes: [RO, HU]", "eu_nodes: [RO, XX]")
    (folder / "meta.yaml").write_text(text, encoding="utf-8")
    problems = check_provenance(folder)
    assert any("'black_sea_typo' is not a row of links.csv" in p for p in problems)
    assert any("'XX' is not a row of nodes.csv" in p for p in problems)
    assert any("no rows with metric 'no_such_metric'" in p for p in problems)
    assert len(problems) == 3


def test_corridor_section_comes_from_meta_and_the_factor_table(scenario_2030: dict, tables) -> None:
    """The scenario's corridor section: ids from meta.yaml, CBAM factors read from emission_factors.csv
    (the IFI operating margin of every non-EU country, with its source id) -- the values that were
    hard-coded in the analysis before, unchanged."""
    meta = yaml.safe_load((dataset_dir("corridor") / "meta.yaml").read_text(encoding="utf-8"))
    sec = scenario_2030["corridor"]
    assert sec["export_path"] == [s["link"] for s in meta["export_path"]] == [
        "caspian_hvdc", "az_ge_500kv", "black_sea_hvdc"]
    assert sec["segments"] == {"caspian_hvdc": "caspian_cable", "az_ge_500kv": "transit",
                               "black_sea_hvdc": "black_sea_cable"}
    assert sec["eu_nodes"] == ["RO", "HU"] and sec["eu_markets"] == ["RO_market", "HU_market"]
    assert set(sec["eu_markets"]) <= {m["id"] for m in scenario_2030["markets"]}
    assert sec["capacity_knobs"] == {"caspian": "caspian_hvdc", "black_sea": "black_sea_hvdc"}
    ef = tables["emission_factors"]
    rows = ef[(ef["metric"] == "ifi_operating_margin") & ~ef["country"].isin(["RO", "HU"])]
    factors = sec["cbam_default_factors"]
    assert {c: f["t_per_mwh"] for c, f in factors.items()} == {r.country: r.value / 1000 for r in rows.itertuples()}
    assert {c: f["t_per_mwh"] for c, f in factors.items()} == {"KZ": 0.797, "UZ": 0.612, "AZ": 0.534,
                                                              "GE": 0.289, "TR": 0.376}
    assert all(f["assumption"] and "ifi_grid_factors" in f["source"] and "emission_factors.csv" in f["source"]
               for f in factors.values())
    sc = silkgrid.load_scenario(scenario_2030)
    assert sc.corridor.export_path == sec["export_path"] and sc.corridor.cbam_default_factors["KZ"].t_per_mwh == 0.797


def test_extending_the_corridor_inherits_the_section(scenario_2030: dict) -> None:
    """``extends`` merges the section as a mapping: a child overrides single fields (lists replace,
    mappings merge) and ``corridor: null`` removes it."""
    from silkgrid.scenario.loader import merge_scenarios

    child = {"corridor": {"eu_markets": ["RO_market"], "segments": {"az_ge_500kv": "az_ge"}}}
    sc = silkgrid.load_scenario(merge_scenarios(scenario_2030, child))
    assert sc.corridor.eu_markets == ["RO_market"] and sc.corridor.eu_nodes == ["RO", "HU"]
    assert sc.corridor.segments == {"caspian_hvdc": "caspian_cable", "az_ge_500kv": "az_ge",
                                    "black_sea_hvdc": "black_sea_cable"}
    assert sc.corridor.export_path == ["caspian_hvdc", "az_ge_500kv", "black_sea_hvdc"]
    assert sc.corridor.cbam_default_factors["KZ"].t_per_mwh == 0.797
    assert silkgrid.load_scenario(merge_scenarios(scenario_2030, {"corridor": None})).corridor is None


# ----------------------------------------------------------------------------------------
def test_scenario_validates_and_has_expected_elements(scenario_2030: dict) -> None:
    sc = silkgrid.load_scenario(scenario_2030)
    assert [n.id for n in sc.nodes] == ["KZ_N", "KZ_S", "KZ_W", "UZ_W", "UZ_E", "AZ", "AZ_OFF", "GE", "TR", "RO", "HU"]
    assert sc.discount_rate == 0.071 and sc.time.hours == 8760 and sc.time.resolution == "3h"
    assert sc.time.start == "2030-01-01 00:00"
    links = {ln.id: ln for ln in sc.links}
    assert links["kz_ns_ac"].capacity_mw == 2100 and not links["kz_ns_ac"].extendable
    # earliest years are respected by default: neither sea cable exists in 2030 (Caspian 2031, Black Sea 2032)
    assert "caspian_hvdc" not in links and "black_sea_hvdc" not in links
    assert links["az_ge_500kv_2"].extendable and links["az_ge_500kv_2"].max_capacity_mw == 700
    assert links["az_ge_500kv"].efficiency == pytest.approx(0.977 ** 0.1823)
    assert {m.node for m in sc.markets} == {"RO", "HU", "TR"}
    assert {ld.node for ld in sc.loads} == {"KZ_N", "KZ_S", "KZ_W", "UZ_W", "UZ_E", "AZ", "GE"}
    gens = {g.id: g for g in sc.generators}
    assert gens["AZ_onwind_new"].max_capacity_mw == pytest.approx(3000 - 63.5 - 240)
    assert gens["AZ_OFF_offwind_new"].max_capacity_mw == 35_000
    assert gens["KZ_N_coal_ekibastuz1"].variable_cost_eur_per_mwh == pytest.approx(16)  # KZ, EUR-2025
    assert "KZ_S_wind_mirny" in gens and "UZ_W_wind_kungrad" in gens                   # committed by 2030
    assert gens["AZ_solar_fixed_new"].max_capacity_mw == pytest.approx(11_520 - 278.2 - 445 - 315 - 240)
    # land rule: 1,276,700 km2 x 4 % x 3 MW/km2 = 153,204 MW in total, less what stands at KZ_N in 2030
    kz_n_wind = sum(g.capacity_mw for g in sc.generators if g.node == "KZ_N" and g.technology == "onwind"
                    and not g.extendable)
    assert gens["KZ_N_onwind_new"].max_capacity_mw == pytest.approx(153_204 - kz_n_wind)
    assert all(g.max_capacity_mw is not None for g in sc.generators if g.extendable)
    assert all(isinstance(g.availability, float) or g.availability.max() <= 1 for g in sc.generators)


def test_demand_and_inflow_energies(scenario_2030: dict) -> None:
    demand = build.node_demand_mwh(2030)
    for load in scenario_2030["loads"]:
        assert load["demand_mw"].sum() == pytest.approx(demand[load["node"]], rel=1e-9)
    assert demand["AZ"] == pytest.approx(24.1 * 1.02**6 * 1e6)
    assert sum(v for k, v in demand.items() if k.startswith("KZ")) == pytest.approx(146e6)
    res = {s["id"]: s for s in scenario_2030["storage"] if s["technology"] == "hydro_reservoir"}
    enguri = res["GE_hydro_enguri"]
    ge_hydro_mwh = 14_247 * 0.756 * 1e3
    assert enguri["energy_capacity_mwh"] == pytest.approx(0.10 * ge_hydro_mwh)    # only ~10 % storable
    assert enguri["inflow_mw"].sum() == pytest.approx(ge_hydro_mwh * 1300 / (4_634.3 * 0.733))
    ror = next(g for g in scenario_2030["generators"] if g["id"] == "GE_ror_other")
    assert ror["availability"].max() <= 1.0 and 0.2 < ror["availability"].mean() < 0.5


def test_years_and_options() -> None:
    prof = stand_in_profiles(2050)
    sc = build.build_corridor_scenario(2050, profiles=prof, discount_rate=0.111, co2_price=67)
    assert sc["discount_rate"] == 0.111 and sc["policies"]["co2_price_eur_per_t"] == 67
    tech = {t["id"]: t for t in sc["technologies"]}
    # EUR-2015 -> EUR-2025, times the regional factor of onshore wind (capex_calibration.csv, ~0.81)
    factor = build.regional_capex_factor("onwind")
    assert tech["onwind"]["capex_eur_per_kw"] == pytest.approx(1286 * 1.02**10 * factor)
    assert tech["solar_fixed"]["capex_eur_per_kw"] == pytest.approx(367.9 * 1.02**5)  # no PV factor: context only
    raw = build.build_corridor_scenario(2050, profiles=prof, harmonise_currency=False)
    assert {t["id"]: t for t in raw["technologies"]}["onwind"]["capex_eur_per_kw"] == pytest.approx(1286 * factor)
    early = build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030))
    assert "black_sea_hvdc" not in {ln["id"] for ln in early["links"]}  # target 2032, respected by default
    every = build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030), respect_earliest_year=False)
    assert "black_sea_hvdc" in {ln["id"] for ln in every["links"]}
    for bad in (2029, 2061, 2035.5):
        with pytest.raises(build.CorridorDataError, match="from 2030 to 2060"):
            build.build_corridor_scenario(bad, profiles=prof)


def test_missing_profile_columns_are_reported() -> None:
    prof = stand_in_profiles(2030).drop(columns=["onwind_KZ_N", "inflow_GE"])
    with pytest.raises(build.CorridorDataError, match="lack 2 column.*onwind_KZ_N"):
        build.build_corridor_scenario(2030, profiles=prof)


def test_node_records_fit_the_profile_interface() -> None:
    corridor = pytest.importorskip("silkgrid.profiles.corridor")
    records = corridor.validate_nodes(build.node_records(2030))
    by_id = {r["id"]: r for r in records}
    assert by_id["AZ_OFF"]["offshore"] is True and by_id["AZ_OFF"]["technologies"] == ["offwind"]
    assert by_id["RO"]["technologies"] == [] and "annual_demand_mwh" not in by_id["RO"]
    assert by_id["KZ_S"]["peak_demand_mw"] == pytest.approx(4500 * 146 / 119.9)
    assert by_id["KZ_N"]["wind_lat"] == 51.596  # Ereymentau wind farm as the resource site


def test_one_week_solves(scenario_2030: dict) -> None:
    sc = dict(scenario_2030)
    sc["time"] = {**sc["time"], "resolution": "6h", "subset": {"start": "2030-07-01", "end": "2030-07-07"}}
    result = silkgrid.solve(silkgrid.load_scenario(sc))
    assert result.status == "optimal"
    assert result.summary["unserved_energy_mwh"] == pytest.approx(0, abs=1e-3 * result.summary["demand_mwh"])


def test_write_corridor_scenario_round_trips(tmp_path: Path) -> None:
    path = build.write_corridor_scenario(tmp_path / "c", year=2030, profiles=stand_in_profiles(2030))
    sc = silkgrid.load_scenario(path)
    direct = silkgrid.load_scenario(build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030)))
    assert len(sc.generators) == len(direct.generators) and len(sc.links) == len(direct.links)
    a = next(m for m in sc.markets if m.id == "RO_market").price_eur_per_mwh
    b = next(m for m in direct.markets if m.id == "RO_market").price_eur_per_mwh
    assert np.allclose(a, b, rtol=1e-5)
    assert math.isclose(sc.links[0].capacity_mw, 2100)
    assert sc.corridor == direct.corridor and sc.corridor.export_path
