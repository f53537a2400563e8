"""Reference wind and PV plants with a reported annual yield, split into calibration and validation sets.

Each plant is either

* ``calibration``: its reported figure was used to set a model input (Kungrad: the mean wind
  speed of site class ``kungrad_calibrated``, see :data:`CALIBRATED_SITE_CLASSES`), or
* ``validation``: its reported figure is used for nothing but the comparison in
  :func:`silkgrid.profiles.validate.validate_plants`.

The rule: a plant's role is fixed before its figure is compared; a validation plant that the
model misses stays a validation plant (the miss is reported). Moving a plant into the
calibration set means using its figure to set an input, taking it out of the validation
statistics and saying so in ``docs/profiles.md``. No module that builds profiles or scenarios
imports this table (``tests/test_profiles_validation.py`` checks the imports, the constants of
those modules and that the calibrated class is reproduced from the calibration plant alone).

Figures and sources: ``/work/shared/domain-facts.md`` §3.2 (offline-data.md §2.2 for
Ereymentau's measured output); ``source_id`` names entries of
``src/silkgrid/data/corridor/sources.yaml``. Capacity factors are annual energy /
(MW × 8,760 h), on the MW basis the source gives (probably AC for PV).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from silkgrid.profiles._common import ProfileError

CALIBRATION = "calibration"
VALIDATION = "validation"
ROLES = (CALIBRATION, VALIDATION)


@dataclass(frozen=True)
class ReferencePlant:
    """A plant with a reported annual yield.

    ``reported_cf`` is the central figure [-], ``reported_range`` the (low, high) figures
    where the sources differ or years vary [-]. ``site`` holds
    :class:`~silkgrid.profiles.solar.PVSystem` fields (PV) or a wind ``site_class`` name plus
    :class:`~silkgrid.profiles.wind.WindSiteClass` fields (wind): published site facts, never
    fitted to a validation figure. ``node`` is the corridor node whose region holds the plant.
    """

    name: str
    country: str
    node: str
    technology: str  # "solar_fixed", "solar_tracking" or "onwind"
    capacity_mw: float
    lat: float
    lon: float
    coordinates: str
    reported_cf: float
    reported_range: tuple[float, float]
    reported: str
    source_id: str
    status: str
    role: str
    site: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ProfileError(f"plant '{self.name}': role must be one of {ROLES}, not '{self.role}'")
        low, high = self.reported_range
        if not 0 < low <= self.reported_cf <= high < 1:
            raise ProfileError(f"plant '{self.name}': need 0 < low <= reported_cf <= high < 1")

    @property
    def calibrated(self) -> bool:
        """True for a calibration plant (its figure set a model input)."""
        return self.role == CALIBRATION


REFERENCE_PLANTS: tuple[ReferencePlant, ...] = (
    ReferencePlant(
        "Nur Navoi PV", "UZ", "UZ_W", "solar_tracking", 100, 40.14, 65.36,
        "Karmana district centre (plant coordinates not published); approximate",
        0.297, (0.288, 0.297), "252-260 GWh/yr announced (260: trend.az 3404242; offline-data.md §1.2: 252-260) ⚠️",
        "trend_az_3404242", "operating 2021", VALIDATION,
        note="Mounting not published: single-axis tracker ASSUMED (Masdar's 2023 Samarkand/Jizzakh plants "
             "use TrinaTracker single-axis trackers, ippjournal.com); fixed tilt would give ~24 %. MW basis "
             "probably AC with DC oversizing (DC/AC 1.25 default)."),
    ReferencePlant(
        "Garadagh PV", "AZ", "AZ", "solar_tracking", 230, 40.01, 49.33,
        "9 km north-west of Alat (focustechnica.com, 2022); approximate",
        0.248, (0.248, 0.248), "500 GWh/yr; 1 TWh in ~2 years of operation confirmed",
        "timesca_az_re;thenational_garadagh", "operating 2023", VALIDATION,
        site={"dc_ac_ratio": 1.2},
        note="Single-axis trackers and >500,000 bifacial 545-550 W panels (trend.az 3748943) -> >=273 MWp "
             "on 230 MW, DC/AC 1.2. Modelled monofacial (bifacial rear gain ignored, conservative)."),
    ReferencePlant(
        "Ereymentau WPP-1", "KZ", "KZ_N", "onwind", 45, 51.596, 73.080,
        "pypsa-earth custom_powerplants.KZ.csv@082b56e (exact)",
        0.390, (0.359, 0.422), "141.6 / 166.4 GWh measured in 2016 / 2017 (Kazinform)",
        "offline_data_ereymentau", "operating (measured output)", VALIDATION,
        note="The only measured wind output. Its site is the KZ_N node's wind resource location (a site "
             "fact; the yield is not used)."),
    ReferencePlant(
        "Zhanatas wind", "KZ", "KZ_S", "onwind", 100, 43.57, 69.75,
        "Zhanatas town, Zhambyl (plant coordinates not published); approximate",
        0.382, (0.364, 0.400), "319-350 GWh/yr (people.cn 2020; powerchina.cn 2019)",
        "people_cn_zhanatas", "operating 2021", VALIDATION,
        note="Its town is the KZ_S node's wind resource location (a site fact; the yield is not used)."),
    ReferencePlant(
        "Khizi-Absheron wind", "AZ", "AZ", "onwind", 240, 40.85, 49.35,
        "between the Khizi coast and Absheron (162.5 + 78 MW); approximate",
        0.476, (0.476, 0.476), "~1.0 TWh/yr (caspiannews.com 2024)",
        "caspiannews_khizi", "operating 2026", VALIDATION,
        site={"site_class": "absheron_coast"},
        note="GLDAS cells here are mountainous (4.2 m/s RMS): default 37 %. Site class 'absheron_coast' uses "
             "the Absheron mast means (7.9-8.1 m/s at 30-40 m, azpromo.az, domain-facts §3.1 ⚠️), not the CF."),
    ReferencePlant(
        "Bash wind", "UZ", "UZ_W", "onwind", 500, 40.70, 64.45,
        "east/north-east of Lake Ayakagitma, ~30 km west of Kokcha, Gijduvan district (nsenergybusiness.com); "
        "approximate",
        0.377, (0.377, 0.377), ">1,650 GWh/yr (astanatimes.com 2023)",
        "astanatimes_2023_bash", "operating 2025", VALIDATION,
        site={"hub_height": 100.0},
        note="Envision 6.5 MW turbines on 100 m towers (evwind.es 2024): hub height 100 m. A second figure, "
             "1.8 TWh/yr (41.1 %, qazinform 66e9a5), is attributed to Dzhankeldy by domain-facts (⚠️) but may "
             "describe Bash; not used."),
    ReferencePlant(
        "Kungrad wind", "UZ", "UZ_W", "onwind", 1500, 43.07, 58.90,
        "Kungrad town (the farm's site in the district is not published); approximate",
        0.396, (0.396, 0.396), "5.2 TWh/yr announced (famagusta-gazette.com 2023)",
        "famagusta_2023_kungrad", "announced (COD 2026-27)", CALIBRATION,
        site={"site_class": "kungrad_calibrated"},
        note="Default (GLDAS at the town) gives 28.5 %, 28 % low: CALIBRATED mean speed 7.45 m/s at 110 m, "
             "target = the announced 39.6 %."),
    ReferencePlant(
        "Abai-1 wind (Ayagoz)", "KZ", "KZ_N", "onwind", 100, 47.96, 80.44,
        "Ayagoz town (plant coordinates not published); approximate",
        0.342, (0.342, 0.342), "~300 GWh/yr (inform.kz 2024)",
        "inform_kz_abai", "operating 2024", VALIDATION),
    ReferencePlant(
        "Arshaly wind", "KZ", "KZ_N", "onwind", 100, 50.83, 72.17,
        "Arshaly village, Akmola (plant coordinates not published); approximate",
        0.342, (0.342, 0.342), "300 GWh/yr (kazakh-tv.kz)",
        "kazakh_tv_wind", "operating", VALIDATION),
)

#: Calibrated site classes of :data:`silkgrid.profiles.wind.SITE_CLASSES` -> the calibration
#: plant whose reported figure set them. Every other class is set from resource data only.
CALIBRATED_SITE_CLASSES: dict[str, str] = {"kungrad_calibrated": "Kungrad wind"}

#: Plants looked for in domain-facts.md / credibility.md but not compared, with the reason.
NOT_CHECKED: tuple[tuple[str, str], ...] = (
    ("Dzhankeldy wind (UZ, 500 MW, operating 2025)",
     "site not published (Peshku district, Bukhara); the only figure, 1.8 TWh/yr (qazinform), is attributed to it "
     "'probably' (domain-facts ⚠️) and may be Bash's"),
    ("Mirny wind and Masdar wind (KZ, Zhambyl, 1 GW each)",
     "planned (COD 2028 / construction from 2026), region only; announced 43.4-45.7 % and 38.8 % — compare the "
     "KZ_S node's long-run CF in the weather-year table"),
    ("Burnoye PV (KZ, 100 MW)", "coordinates sourced (KZ_S solar site) but no output figure"),
    ("Sherabad 457 MW, Kattakurgan 220 MW, Gallaorol 220 MW, Nur Kashkadarya 300 MW PV (UZ)",
     "sizes and PPA prices only, no output figure"),
    ("Georgian wind and PV plants", "no plant-level output figure (wind 0.6 % of 2022 generation only)"),
    ("KZ-China package, Hyrasia One, ACWA Dzungar Gate", "planned; mixed wind + PV or region-only figures"),
    ("Tebinbuloq 1 MW PV (UZ)", "a RETScreen study (19.2 %), not a plant"),
    ("Fleet figures (KZ 2020, UZ 2025, AZ 2024)",
     "country fleets, not plants; KZ/UZ are lower bounds (capacity grew during the year) — see docs/profiles.md"),
)


def plants_with_role(role: str, plants: tuple[ReferencePlant, ...] = REFERENCE_PLANTS) -> tuple[ReferencePlant, ...]:
    """The plants of one role (``calibration`` or ``validation``)."""
    if role not in ROLES:
        raise ProfileError(f"role must be one of {ROLES}, not '{role}'")
    return tuple(p for p in plants if p.role == role)


def calibration_plant(name: str) -> ReferencePlant:
    """The calibration plant called ``name``; a validation (or unknown) plant raises :class:`ProfileError`."""
    for p in plants_with_role(CALIBRATION):
        if p.name == name:
            return p
    raise ProfileError(f"'{name}' is not a calibration plant; calibration plants: "
                   f"{[p.name for p in plants_with_role(CALIBRATION)]}")
