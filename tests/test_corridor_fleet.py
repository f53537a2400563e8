"""The corridor's existing fleet: thermal availability, CHP must-run, retirements, the named pipeline,
the Kazakh demand geography and the calibration / validation comparisons of ``info --validate``."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_corridor_data import stand_in_profiles

from silkgrid.data import build, fleet
from silkgrid.data.comparisons import demand_geography, thermal_fleet_checks
from silkgrid.data.provenance import check_provenance, dataset_dir, load_tables
from silkgrid.data.tables import CorridorDataError

KZ_RATIO = 20_428.4 / 24_641.9  # available / installed MW, 1 Jan 2024 (Samruk-Energy AR 2023)
YEAR_2030 = pd.date_range("2030-01-01", "2031-01-01", freq="h", inclusive="left")  # 8,760 h


@pytest.fixture(scope="module")
def profiles_2030() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return fleet.thermal_profiles(fleet.existing_units(2030), YEAR_2030)


@pytest.fixture(scope="module")
def scenario_2030() -> dict:
    return build.build_corridor_scenario(2030, profiles=stand_in_profiles(2030), resolution="3h")


def _copy(tmp_path: Path, name: str = "corridor") -> Path:
    """A copy of the data set (the tables are cached per folder: one folder per variant)."""
    dst = tmp_path / name
    shutil.copytree(dataset_dir("corridor"), dst)
    return dst


def _at(index: pd.DatetimeIndex, stamp: str) -> int:
    return int(index.get_loc(pd.Timestamp(stamp)))


# ----------------------------------------------------------------------------------------
# availability
# ----------------------------------------------------------------------------------------
def test_kz_thermal_fleet_yearly_availability_is_the_sourced_ratio(profiles_2030) -> None:
    """Capacity-weighted yearly mean of availability = 20,428.4 / 24,641.9 = 82.90 %; tolerance 1e-4
    because thermal_fleet.csv stores the ratio to three decimals (0.829)."""
    units = fleet.existing_units(2030).set_index("id")
    kz = [i for i in profiles_2030 if units.loc[i, "node"].startswith("KZ")]
    assert {units.loc[i, "technology"] for i in kz} == {"coal_existing", "gas_existing", "ccgt"}
    cap = units.loc[kz, "capacity_mw"]
    mean = sum(profiles_2030[i][0].mean() * cap[i] for i in kz) / cap.sum()
    assert mean == pytest.approx(KZ_RATIO, abs=1e-4)
    for i in kz:  # every unit: exactly the table's 0.829 over a whole calendar year
        assert profiles_2030[i][0].mean() == pytest.approx(0.829, abs=1e-12)


def test_planned_maintenance_lowers_summer_availability(profiles_2030) -> None:
    """KZ: F = 1 - 0.829 - 0.04 = 0.131 flat; the 4 % planned maintenance falls in May-September
    (153 of 365 days): winter 0.869, summer 0.869 - 0.04 x 365 / 153 = 0.77358."""
    a = profiles_2030["KZ_N_coal_ekibastuz1"][0]
    assert a[_at(YEAR_2030, "2030-01-15 12:00")] == pytest.approx(0.869)
    assert a[_at(YEAR_2030, "2030-04-30 23:00")] == pytest.approx(0.869)
    assert a[_at(YEAR_2030, "2030-05-01 00:00")] == pytest.approx(0.869 - 0.04 * 365 / 153)
    assert a[_at(YEAR_2030, "2030-07-15 12:00")] == pytest.approx(0.77358, abs=1e-5)
    assert a[_at(YEAR_2030, "2030-10-01 00:00")] == pytest.approx(0.869)
    # Uzbek gas: maintenance in April-May (61 days), 0.869 - 0.04 x 365 / 61 = 0.62966
    uz = profiles_2030["UZ_E_gas_thermal"][0]
    assert uz[_at(YEAR_2030, "2030-04-10 00:00")] == pytest.approx(0.869 - 0.04 * 365 / 61)
    assert uz.mean() == pytest.approx(0.829, abs=1e-12)


def test_coarser_index_keeps_the_yearly_mean() -> None:
    index = pd.date_range("2030-01-01", periods=730, freq="12h")
    prof = fleet.thermal_profiles(fleet.existing_units(2030), index)
    assert prof["KZ_N_coal_aksu"][0].mean() == pytest.approx(0.829, abs=1e-12)


# ----------------------------------------------------------------------------------------
# CHP must-run
# ----------------------------------------------------------------------------------------
def test_must_run_is_zero_outside_the_heating_season_and_the_level_inside(profiles_2030) -> None:
    """Level = chp_share x 0.5 (thermal_fleet.csv chp_min_output). Almaty CHPs (KZ_S, chp_share 1):
    0.5 from 15 Oct to 15 Apr inclusive; KZ_N_coal_other (0.872 x 0.5 = 0.436) from 1 Oct."""
    m = profiles_2030["KZ_S_gas_almaty_chp"][1]
    heating = fleet.season_mask(YEAR_2030, "10-15", "04-15")
    assert np.all(m[heating] == 0.5) and np.all(m[~heating] == 0.0)
    assert m[_at(YEAR_2030, "2030-04-15 23:00")] == 0.5 and m[_at(YEAR_2030, "2030-04-16 00:00")] == 0.0
    assert m[_at(YEAR_2030, "2030-10-14 23:00")] == 0.0 and m[_at(YEAR_2030, "2030-10-15 00:00")] == 0.5
    north = profiles_2030["KZ_N_coal_other"][1]
    assert north[_at(YEAR_2030, "2030-10-01 00:00")] == pytest.approx(0.436)
    assert north[_at(YEAR_2030, "2030-09-30 23:00")] == 0.0 and north[_at(YEAR_2030, "2030-07-01 00:00")] == 0.0
    assert north.mean() == pytest.approx(0.436 * 197 / 365)  # 1 Oct - 15 Apr = 92 + 105 days
    for condensing in ("KZ_N_coal_ekibastuz1", "KZ_N_coal_aksu", "KZ_S_gas_zhambyl", "UZ_E_gas_thermal",
                       "AZ_ccgt_mingachevir", "GE_gas_thermal"):
        assert not profiles_2030[condensing][1].any(), condensing


def test_min_output_never_exceeds_availability(scenario_2030) -> None:
    thermal = [g for g in scenario_2030["generators"] if g["technology"] in fleet.THERMAL_TECHNOLOGIES
               and not g.get("extendable")]
    assert len(thermal) >= 15
    for g in thermal:
        assert isinstance(g["availability"], np.ndarray) and len(g["availability"]) == 8760, g["id"]
        assert np.all(g["min_output"] <= g["availability"]), g["id"]
    assert any(g["min_output"].max() > 0 for g in thermal)


def test_kz_coal_chp_share_follows_the_plant_list() -> None:
    """pypsa-kz-data: coal CHP 6,354 MW vs condensing 6,613 MW (49.0 %). The residual row
    KZ_N_coal_other carries 4,526 / 5,189 MW = 0.8722 (stored to 3 decimals)."""
    g = load_tables("corridor")["generators_existing"].set_index("id")
    assert g.loc["KZ_N_coal_other", "chp_share"] == pytest.approx(4526 / 5189, abs=5e-4)
    assert g.loc["KZ_W_gas_maec", "chp_share"] == pytest.approx(630 / 1255, abs=5e-4)
    coal = g[(g["technology"] == "coal_existing") & g["node"].str.startswith("KZ")]
    chp_mw = (coal["chp_share"] * coal["capacity_mw"]).sum()
    assert chp_mw == pytest.approx(1000 + 5460 * 0.872)  # GRES-2 (listed as CHP) + the residual CHPs
    # against the plant list without the Almaty CHPs (828 MW, now gas): within 5 % (the residual row
    # is sized from KEGOC's 13,410 MW, 271 MW more than the list)
    assert chp_mw / (6354 - 828) == pytest.approx(1.0, abs=0.05)


# ----------------------------------------------------------------------------------------
# retirements and the pipeline
# ----------------------------------------------------------------------------------------
def test_kazakh_coal_retires_by_2050() -> None:
    ids = lambda y: set(fleet.existing_units(y)["id"])  # noqa: E731
    assert "KZ_N_coal_ekibastuz1" in ids(2040) and "KZ_N_coal_ekibastuz1" not in ids(2050)
    assert not any(i.startswith("KZ_N_coal") for i in ids(2050))
    assert "UZ_E_gas_thermal" in ids(2050)  # no published retirement date


def test_a_unit_retired_in_2035_is_present_in_2030_and_absent_in_2040(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    g = pd.read_csv(folder / "generators_existing.csv", keep_default_na=False, na_values=[""])
    g.loc[g["id"] == "AZ_gas_other", ["retirement_year", "retirement_source_id"]] = [2035, "caliber_az_2025"]
    g.to_csv(folder / "generators_existing.csv", index=False)
    assert "AZ_gas_other" in set(fleet.existing_units(2030, folder)["id"])
    assert "AZ_gas_other" in set(fleet.existing_units(2034, folder)["id"])
    assert "AZ_gas_other" not in set(fleet.existing_units(2035, folder)["id"])
    assert "AZ_gas_other" not in set(fleet.existing_units(2040, folder)["id"])


def test_announced_projects_enter_only_on_request_and_from_their_year() -> None:
    table = load_tables("corridor")["generators_existing"]
    announced = set(table.loc[table["status"] == "announced", "id"])
    assert {"KZ_W_wind_hyrasia", "UZ_W_wind_acwa_karakalpakstan", "AZ_solar_alat", "GE_wind_gse_plan"} <= announced
    for year in (2030, 2040, 2050):
        assert not announced & set(fleet.existing_units(year)["id"])
    on = lambda y: set(fleet.existing_units(y, include_announced=True)["id"])  # noqa: E731
    assert {"UZ_W_wind_masdar_uchkuduk", "AZ_solar_alat"} <= on(2030)          # online 2029 / 2027
    assert "KZ_W_wind_hyrasia" not in on(2030) and "KZ_W_wind_hyrasia" in on(2032)  # full output 2032
    assert "GE_wind_gse_plan" not in on(2033) and "GE_wind_gse_plan" in on(2034)
    firm = set(fleet.existing_units(2030, include_committed=False, include_announced=True)["id"])
    assert "KZ_S_wind_mirny" not in firm and "AZ_solar_alat" in firm


def test_announced_projects_reach_the_scenario_with_the_option() -> None:
    prof = stand_in_profiles(2030)
    default = {g["id"] for g in build.build_corridor_scenario(2030, profiles=prof)["generators"]}
    with_pipeline = {g["id"]: g for g in build.build_corridor_scenario(2030, profiles=prof,
                                                                       include_announced=True)["generators"]}
    assert "AZ_solar_alat" not in default and with_pipeline["AZ_solar_alat"]["capacity_mw"] == 400
    assert with_pipeline["UZ_W_wind_acwa_karakalpakstan"]["capacity_mw"] == 5000


def test_every_pending_unit_has_a_sourced_or_flagged_online_year() -> None:
    g = load_tables("corridor")["generators_existing"]
    pending = g[g["status"] != "operating"]
    assert pending["online_year"].notna().all()
    assert set(g["status"]) <= set(fleet.STATUSES)


def test_bad_fleet_rows_are_errors(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "generators_existing.csv"
    g = pd.read_csv(path, keep_default_na=False, na_values=[""])
    g.loc[g["id"] == "AZ_solar_alat", "online_year"] = np.nan
    g.to_csv(path, index=False)
    with pytest.raises(CorridorDataError, match="AZ_solar_alat are not operating but have no online_year"):
        fleet.existing_units(2030, folder)
    folder = _copy(tmp_path, "unknown_status")
    g.loc[g["id"] == "AZ_solar_alat", ["online_year", "status"]] = [2027, "rumoured"]
    g.to_csv(folder / "generators_existing.csv", index=False)
    with pytest.raises(CorridorDataError, match="unknown status rumoured"):
        fleet.existing_units(2030, folder)


def test_bad_thermal_parameters_are_errors(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "thermal_fleet.csv"
    t = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"maintenance_from": str})
    t.loc[t["area"] == "GE", "maintenance_share"] = 0.2  # more than 1 - 0.829
    t.to_csv(path, index=False)
    units = fleet.existing_units(2030, folder)
    with pytest.raises(CorridorDataError, match=r"\[GE\].*maintenance_share"):
        fleet.thermal_profiles(units, YEAR_2030, folder)
    folder = _copy(tmp_path, "bad_day")
    t.loc[t["area"] == "GE", ["maintenance_share", "maintenance_from"]] = [0.04, "13-01"]
    t.to_csv(folder / "thermal_fleet.csv", index=False)
    with pytest.raises(CorridorDataError, match="'13-01', expected a day 'MM-DD'"):
        fleet.thermal_profiles(units, YEAR_2030, folder)


# ----------------------------------------------------------------------------------------
# demand geography and the comparisons of `info --validate`
# ----------------------------------------------------------------------------------------
def test_kz_zone_shares_are_the_oblast_split() -> None:
    """N 59.5 / S 21.7 / W 18.8 % of 107,338 GWh (Aktobe in the West); demand.csv stores 5 decimals."""
    geo = demand_geography(2030).set_index("zone")
    assert geo["published"].round(3).to_dict() == {"KZ_N": 0.595, "KZ_S": 0.217, "KZ_W": 0.188}
    assert np.allclose(geo["input"], geo["published"], atol=1e-5)
    assert geo["input"].sum() == pytest.approx(1.0, abs=1e-12)
    assert geo["model_twh"].sum() == pytest.approx(146.0)  # the ministry's 2030 national demand
    assert (geo["kind"] == "calibration").all()


def test_thermal_checks_label_calibration_and_validation() -> None:
    c = thermal_fleet_checks(2030).set_index("kind", append=True)
    cal = c.xs("calibration", level="kind")
    assert cal["published"].iloc[0] == pytest.approx(KZ_RATIO) and cal["model"].iloc[0] == pytest.approx(0.829)
    assert cal["published"].iloc[1] == pytest.approx(6354 / 12967)
    val = c.xs("validation", level="kind").iloc[0]
    assert val["published"] == pytest.approx(74_498 / (13.41 * 8760), abs=1e-9)  # 63.4 %, KEGOC 2020
    assert np.isnan(val["model"]) and val["model_low"] < val["published"] < val["model_high"] == pytest.approx(0.829)


def test_info_validate_prints_the_fleet_and_geography_blocks() -> None:
    """The blocks ``silkgrid info --validate`` adds after the plant and demand tables."""
    from rich.console import Console

    from silkgrid.cli import info as info_mod

    console = Console(record=True, width=240)
    info_mod._print_fleet_and_geography(console)
    out = console.export_text()
    assert "Thermal fleet (Kazakhstan" in out and "Kazakh demand geography" in out
    assert out.count("calibration") >= 5 and out.count("validation") >= 1
    assert "63.4%" in out and "82.9%" in out and "12.5% (CHP must-run)" in out
    assert "59.5%" in out and "21.7%" in out and "18.8%" in out


def test_provenance_of_the_new_tables() -> None:
    assert check_provenance("corridor") == []
    stats = load_tables("corridor")["fleet_statistics"]
    assert set(stats["role"]) == {"calibration", "validation"}
    assert stats.loc[stats["metric"] == "coal_generation", "role"].item() == "validation"
