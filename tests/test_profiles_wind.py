"""Wind profiles: persistence, Weibull marginal, spatial correlation, power curves, offshore.

Tolerances: lag-1 h autocorrelation > 0.9 (the brief); the copula alone reproduces Weibull
shape and scale within 1 % on 200,000 independent draws; pooled synthetic years: shape within
6 % and mean within 3 % without modulation (sampling error of a persistent series), shape
within 10 % with the default ±10 % seasonal and ±6 % diurnal modulation (which broadens the
distribution).
"""

from __future__ import annotations


import numpy as np
import pytest
from scipy import stats

from silkgrid.profiles import OFFSHORE_CASPIAN, ONSHORE, ProfileError, compute_corridor_profiles, wind_cf
from silkgrid.profiles.wind import (
    SITE_CLASSES,
    farm_power_curve,
    hub_mean_speed,
    power_curve_cf,
    weibull_from_normal,
    wind_speed_series,
)

EREYMENTAU = (51.596, 73.080)


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """Each test gets its own profile cache (the network is cut in conftest.py)."""
    monkeypatch.setenv("SILKGRID_CACHE", str(tmp_path / "cache"))


def _acf(x: np.ndarray, lag: int) -> float:
    x = x - x.mean()
    return float((x[:-lag] * x[lag:]).sum() / (x * x).sum())


def test_hourly_persistence():
    v = wind_speed_series(*EREYMENTAU, weather_year=1).to_numpy()
    cf = wind_cf(*EREYMENTAU, weather_year=1).to_numpy()
    assert _acf(v, 1) > 0.9
    assert _acf(cf, 1) > 0.9
    assert 0.2 < _acf(v, 48) < 0.7  # synoptic memory of a couple of days, not forever


def test_copula_maps_normals_to_the_weibull_marginal():
    z = np.random.default_rng(0).standard_normal(200_000)
    v = weibull_from_normal(z, 2.2, 8.0)
    shape, _, scale = stats.weibull_min.fit(v, floc=0)
    assert shape == pytest.approx(2.2, rel=0.01)
    assert scale == pytest.approx(8.0, rel=0.01)


@pytest.mark.parametrize("k", [1.8, 2.0, 2.6])
def test_weibull_marginal_matches_target(k):
    # Pool twenty synthetic years: with hourly persistence 0.975 one year holds only ~110 independent
    # values, so the fitted shape of a single year scatters by ~6 %; twenty years by ~1.3 %.
    years = range(1, 21)
    flat = ONSHORE.with_overrides(mean_speed_hub=7.5, weibull_k=k, seasonal_amplitude=0.0,
                                  diurnal_amplitude=0.0)
    v = np.concatenate([wind_speed_series(*EREYMENTAU, weather_year=y, site=flat).to_numpy() for y in years])
    shape, _, _ = stats.weibull_min.fit(v, floc=0)
    assert shape == pytest.approx(k, rel=0.06)
    assert v.mean() == pytest.approx(7.5, rel=0.03)

    modulated = ONSHORE.with_overrides(mean_speed_hub=7.5, weibull_k=k)
    v = np.concatenate([wind_speed_series(*EREYMENTAU, weather_year=y, site=modulated).to_numpy()
                        for y in years])
    shape, _, _ = stats.weibull_min.fit(v, floc=0)
    assert shape == pytest.approx(k, rel=0.10)
    assert v.mean() == pytest.approx(7.5, rel=0.03)


def test_gldas_climatology_and_shear():
    mean_110, how = hub_mean_speed(*EREYMENTAU)
    assert "GLDAS" in how
    assert 6.5 < mean_110 < 7.5  # RMS 5.59 m/s at 10 m (offline-data.md §2.2), k=2, alpha=1/7
    higher, _ = hub_mean_speed(*EREYMENTAU, ONSHORE.with_overrides(hub_height=150))
    assert higher == pytest.approx(mean_110 * (150 / 110) ** (1 / 7), rel=1e-9)


def test_close_sites_correlate_more_than_far_sites():
    nodes = [
        {"id": "A", "lat": 51.6, "lon": 73.1, "country": "KZ", "technologies": ["onwind"]},
        {"id": "B", "lat": 51.2, "lon": 72.0, "country": "KZ", "technologies": ["onwind"]},  # ~90 km
        {"id": "C", "lat": 40.4, "lon": 49.9, "country": "AZ", "technologies": ["onwind"],
         "wind": {"site_class": "absheron_coast"}},  # ~2,000 km
    ]
    close, far = [], []
    for y in (1, 2, 3):
        df = compute_corridor_profiles(nodes, y)
        c = df.corr()
        close.append(c.loc["onwind_A", "onwind_B"])
        far.append(c.loc["onwind_A", "onwind_C"])
    assert np.mean(close) > 0.6
    assert abs(np.mean(far)) < 0.2
    assert min(close) > max(far)


def test_power_curve_is_bundled_and_smoothed():
    speed, power = farm_power_curve("V126/3300", 0.10)
    assert power.max() <= 1.0 and power.max() > 0.95
    assert power_curve_cf(np.array([0.0, 2.0]), (speed, power)).max() < 0.01
    raw = farm_power_curve("V126/3300", 0.0)
    # smoothing spreads the knee: less output just below rated, some beyond the raw cut-out
    assert np.interp(11.0, speed, power) < np.interp(11.0, *raw)
    with pytest.raises(ProfileError, match="unknown turbine"):
        farm_power_curve("NoSuchTurbine/1", 0.1)


def test_vectorised_smoothing_equals_windpowerlib():
    import warnings

    import pandas as pd
    from windpowerlib import WindTurbine
    from windpowerlib.power_curves import smooth_power_curve as wpl_smooth

    from silkgrid.profiles.wind import smooth_power_curve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        curve = WindTurbine(turbine_type="V112/3450", hub_height=100).power_curve
        ref = wpl_smooth(curve["wind_speed"], curve["value"], standard_deviation_method="turbulence_intensity",
                         turbulence_intensity=0.08)
    speed, power = smooth_power_curve(curve["wind_speed"].to_numpy(), curve["value"].to_numpy(), 0.08)
    np.testing.assert_allclose(speed, ref["wind_speed"].to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(power, ref["value"].to_numpy(), rtol=1e-9, atol=1e-6)
    assert isinstance(ref, pd.DataFrame)


def test_cf_bounds_losses_and_density():
    cf = wind_cf(*EREYMENTAU, weather_year=1)
    assert cf.between(0, 1 - ONSHORE.losses + 1e-12).all()
    no_loss = wind_cf(*EREYMENTAU, weather_year=1, site=ONSHORE.with_overrides(losses=0.0))
    assert cf.mean() == pytest.approx(no_loss.mean() * (1 - ONSHORE.losses), rel=1e-9)


def test_offshore_needs_explicit_speed():
    with pytest.raises(ProfileError, match="no sea cells"):
        wind_cf(41.5, 51.0, weather_year=1)  # mid-Caspian
    off = wind_cf(40.8, 50.3, weather_year=1, site=OFFSHORE_CASPIAN)
    assert 0.3 < off.mean() < 0.6
    assert SITE_CLASSES["caspian_offshore"] is OFFSHORE_CASPIAN


def test_determinism():
    a = wind_cf(*EREYMENTAU, weather_year=3)
    b = wind_cf(*EREYMENTAU, weather_year=3)
    c = wind_cf(*EREYMENTAU, weather_year=4)
    assert a.to_numpy().tobytes() == b.to_numpy().tobytes()
    assert not np.array_equal(a.to_numpy(), c.to_numpy())


def test_invalid_site_class():
    with pytest.raises(ProfileError, match="weibull_k"):
        ONSHORE.with_overrides(weibull_k=9)
    with pytest.raises(ProfileError, match="unknown wind site-class field"):
        ONSHORE.with_overrides(speed=7)
