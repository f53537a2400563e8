"""Hourly profiles built offline and deterministically (issue #3).

Capacity factors for PV and wind, hourly demand and hydro inflow for any coordinates, from
physics plus open climatologies that ship on PyPI (pvlib, gsee-climate-data MERRA-2 PDFs,
pvcz GLDAS statistics, windpowerlib power curves, holidays). Nothing is downloaded.

**The weather is synthetic and statistically representative, not a historical year.** A
``weather_year`` is an integer seed: the same seed always gives the same numbers, other seeds
give other plausible years. Calendar ``year`` (default 2030) only fixes weekdays, holidays
and the time axis.

Time axis: 8,760 hour-beginning **UTC** stamps from 1 January of ``year``; each value is
the mean over the hour (solar geometry at the hour's midpoint).

Column naming of :func:`corridor_profiles` (``<kind>_<node id>``):

=========================  ====================================================  ======
column                     meaning                                               unit
=========================  ====================================================  ======
``onwind_<id>``            onshore wind-farm capacity factor                      [-]
``offwind_<id>``           offshore wind-farm capacity factor                     [-]
``solar_fixed_<id>``       utility PV, fixed tilt, per unit of AC capacity        [-]
``solar_tracking_<id>``    utility PV, horizontal single-axis tracker, AC basis   [-]
``demand_<id>``            electricity demand                                     MW
``inflow_<id>``            natural hydro inflow (energy equivalent)               MW
=========================  ====================================================  ======

e.g. ``onwind_KZ_N``, ``solar_fixed_UZ_W``, ``solar_tracking_UZ_W``, ``offwind_AZ_OFF``,
``demand_AZ``, ``inflow_GE``. Demand and inflow columns appear only for nodes that give
``annual_demand_mwh`` / ``hydro_inflow_mwh``.

Modules: :mod:`.solar`, :mod:`.wind`, :mod:`.demand`, :mod:`.hydro` (one function per model
step), :mod:`.climate` (data access), :mod:`.corridor`, :mod:`.cache`, :mod:`.validate` and
:mod:`.plants` (reference plants, calibration/validation split), :mod:`.weather_years` (seed representativeness),
:mod:`.era5` (optional reader of ERA5-style netCDF cutouts). Method and validation:
``docs/profiles.md``.
"""

from silkgrid.profiles._common import SYNTHETIC_STATEMENT, ProfileError, hourly_index, rng_for
from silkgrid.profiles.corridor import compute_corridor_profiles, corridor_profiles
from silkgrid.profiles.demand import demand_profile
from silkgrid.profiles.hydro import inflow_profile
from silkgrid.profiles.solar import FIXED, TRACKING, PVSystem, solar_cf
from silkgrid.profiles.wind import OFFSHORE_CASPIAN, ONSHORE, WindSiteClass, wind_cf

__all__ = [
    "FIXED", "OFFSHORE_CASPIAN", "ONSHORE", "SYNTHETIC_STATEMENT", "TRACKING", "PVSystem", "ProfileError",
    "WindSiteClass", "compute_corridor_profiles", "corridor_profiles", "demand_profile", "hourly_index",
    "inflow_profile", "rng_for", "solar_cf", "wind_cf",
]
