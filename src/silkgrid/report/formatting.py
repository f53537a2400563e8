"""Human-readable numbers with units, shared by the CLI and the HTML report."""

from __future__ import annotations

import math


def _num(x: float) -> str:
    """About three significant figures, no exponent."""
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _scaled(x: float | None, units: list[tuple[float, str]]) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    for factor, unit in units:
        if abs(x) >= factor:
            return f"{_num(x / factor)} {unit}"
    factor, unit = units[-1]
    return f"{_num(x / factor)} {unit}"


def fmt_eur_per_yr(x: float | None) -> str:
    """``1.23e9`` -> ``'1.23 bn EUR/yr'``."""
    return _scaled(x, [(1e9, "bn EUR/yr"), (1e6, "M EUR/yr"), (1e3, "k EUR/yr"), (1.0, "EUR/yr")])


def fmt_energy(mwh: float | None) -> str:
    """MWh in TWh/GWh/MWh."""
    return _scaled(mwh, [(1e6, "TWh"), (1e3, "GWh"), (1.0, "MWh")])


def fmt_emissions(t: float | None) -> str:
    """Tonnes CO2 in Mt/kt/t."""
    return _scaled(t, [(1e6, "Mt CO2"), (1e3, "kt CO2"), (1.0, "t CO2")])


def fmt_mw(mw: float | None) -> str:
    if mw is None or (isinstance(mw, float) and math.isnan(mw)):
        return "n/a"
    if math.isinf(mw):
        return "unlimited"
    if abs(mw) < 0.05:
        return "0"
    return f"{mw:,.0f}" if abs(mw) >= 10 else f"{mw:.1f}"


def fmt_price(x: float | None, unit: str = "EUR/MWh") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:,.2f} {unit}"


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    return f"{s:.2f} s" if s < 100 else f"{s:,.0f} s"


def fmt_eur(x: float | None) -> str:
    """``1.23e9`` -> ``'1.23 bn EUR'``."""
    return _scaled(x, [(1e9, "bn EUR"), (1e6, "M EUR"), (1e3, "k EUR"), (1.0, "EUR")])
