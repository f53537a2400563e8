"""One display rule for solver noise (``silkgrid.report.formatting``): values below the display
tolerance print as zero, no "-0.0", relative changes from a near-zero base are "n/a", and the
solver that ran is named.  Used by the ``run`` headline, ``compare`` and the HTML report."""

from __future__ import annotations

import pytest

from silkgrid.analysis.compare import relative_change
from silkgrid.report.formatting import (
    fmt_emissions,
    fmt_energy,
    fmt_eur_per_yr,
    fmt_fixed,
    fmt_mw,
    fmt_pct_change,
    fmt_price,
    negligible,
    solver_name,
)


@pytest.mark.parametrize(("text", "expected"), [
    (fmt_mw(2.81e-6), "0"),                    # the "capacity 0.00000281 MW"
    (fmt_mw(-0.04), "0"),                      # below 0.05 MW, either sign
    (fmt_mw(0.06), "0.1"),                     # above: shown at one decimal
    (fmt_mw(-0.06), "-0.1"),
    (fmt_mw(12_345.4), "12,345"),
    (fmt_price(-0.004), "0.00 EUR/MWh"),       # the "-0.0 EUR/MWh"
    (fmt_price(-1e-9, "EUR/t"), "0.00 EUR/t"),
    (fmt_price(-0.0), "0.00 EUR/MWh"),
    (fmt_price(-12.345), "-12.35 EUR/MWh"),    # real negative prices keep their sign
    (fmt_energy(-0.3), "0 MWh"),               # below 0.5 MWh
    (fmt_energy(1.5e6), "1.50 TWh"),
    (fmt_emissions(-1e-7), "0 t CO2"),
    (fmt_eur_per_yr(-0.2), "0 EUR/yr"),        # below 1 EUR
    (fmt_eur_per_yr(-1.234e9), "-1.23 bn EUR/yr"),
    (fmt_fixed(-0.04), "0.0"),
    (fmt_fixed(-0.04, 2), "-0.04"),
    (fmt_fixed(-1234.56, 0), "-1,235"),
    (fmt_price(None), "n/a"),
    (fmt_mw(float("inf")), "unlimited"),
])
def test_values_below_tolerance_print_as_zero_without_sign(text, expected):
    assert text == expected


def test_relative_change_needs_a_base_above_the_tolerance():
    # 2.81e-6 MW -> 2,000 MW would read +71,173,000,000 %: the base is solver round-off
    assert relative_change(2.81e-6, 2000.0, "MW") is None
    assert relative_change(0.3, 100.0, "MWh/yr") is None          # below 0.5 MWh
    assert relative_change(None, 1.0, "MW") is None
    assert relative_change(100.0, 150.0, "MW") == pytest.approx(50.0)
    assert relative_change(-200.0, -100.0, "EUR/yr") == pytest.approx(50.0)  # 100 x delta / |base|
    assert fmt_pct_change(None) == "n/a"
    assert fmt_pct_change(-0.04) == "0.0 %" and fmt_pct_change(12.345) == "+12.3 %"
    assert negligible(0.049, "MW") and not negligible(0.05, "MW") and negligible(0.4, "t/yr")


@pytest.mark.parametrize(("solver", "expected"), [
    ({"method": "monolithic", "algorithm": "clarabel"}, "Clarabel (interior point), monolithic"),
    ({"method": "monolithic", "algorithm": "ipm", "crossover": True},
     "HiGHS interior point with crossover, monolithic"),
    ({"method": "aggregated", "algorithm": "simplex"}, "HiGHS simplex, aggregated"),
    ({"method": "decomposed", "algorithm": "benders (dual simplex windows)",
      "decomposition": {"warm_start": {"algorithm": "clarabel", "segments": 876}}},
     "decomposed (Benders): HiGHS dual simplex windows, Clarabel (interior point) warm start on 876 segments"),
    ({"method": "decomposed", "decomposition": {}}, "decomposed (Benders): HiGHS dual simplex windows"),
])
def test_solver_name(solver, expected):
    assert solver_name(solver) == expected
