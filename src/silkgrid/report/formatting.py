"""Human-readable numbers with units, shared by the CLI and the HTML report.

One rule for solver noise: a magnitude below the unit's display tolerance
(:data:`silkgrid.analysis.compare.ZERO_BELOW`: 0.05 MW, 0.5 MWh, 0.5 t, 1 EUR, 0.005 EUR/MWh)
prints as zero, and a number that rounds to zero never shows a minus sign ("-0.0").
"""

from __future__ import annotations

import math

from silkgrid.analysis.compare import ZERO_BELOW, relative_change, zero_below

__all__ = ["ZERO_BELOW", "relative_change", "zero_below", "negligible", "fmt_eur_per_yr", "fmt_energy",
           "fmt_emissions", "fmt_mw", "fmt_price", "fmt_seconds", "fmt_eur", "fmt_pct_change", "fmt_fixed",
           "solver_name"]


def negligible(x: float | None, unit: str) -> bool:
    """True where ``x`` (in ``unit``) is below the display tolerance: solver round-off."""
    return x is not None and math.isfinite(x) and abs(x) < zero_below(unit)


def _unsigned_zero(text: str) -> str:
    """``'-0.00'`` -> ``'0.00'``: no sign on a number that rounded to zero."""
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]
    return text


def _num(x: float) -> str:
    """About three significant figures, no exponent."""
    ax = abs(x)
    if ax >= 100:
        return _unsigned_zero(f"{x:,.0f}")
    if ax >= 10:
        return _unsigned_zero(f"{x:.1f}")
    return _unsigned_zero(f"{x:.2f}")


def _scaled(x: float | None, units: list[tuple[float, str]], tol_unit: str) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    if negligible(x, tol_unit):
        return f"0 {units[-1][1]}"
    for factor, unit in units:
        if abs(x) >= factor:
            return f"{_num(x / factor)} {unit}"
    factor, unit = units[-1]
    return f"{_num(x / factor)} {unit}"


def fmt_eur_per_yr(x: float | None) -> str:
    """``1.23e9`` -> ``'1.23 bn EUR/yr'``; below 1 EUR: ``'0 EUR/yr'``."""
    return _scaled(x, [(1e9, "bn EUR/yr"), (1e6, "M EUR/yr"), (1e3, "k EUR/yr"), (1.0, "EUR/yr")], "EUR")


def fmt_energy(mwh: float | None) -> str:
    """MWh in TWh/GWh/MWh; below 0.5 MWh: ``'0 MWh'``."""
    return _scaled(mwh, [(1e6, "TWh"), (1e3, "GWh"), (1.0, "MWh")], "MWh")


def fmt_emissions(t: float | None) -> str:
    """Tonnes CO2 in Mt/kt/t; below 0.5 t: ``'0 t CO2'``."""
    return _scaled(t, [(1e6, "Mt CO2"), (1e3, "kt CO2"), (1.0, "t CO2")], "t")


def fmt_mw(mw: float | None) -> str:
    """MW without unit: ``'1,234'``, ``'5.3'``; below 0.05 MW ``'0'``; infinite ``'unlimited'``."""
    if mw is None or (isinstance(mw, float) and math.isnan(mw)):
        return "n/a"
    if math.isinf(mw):
        return "unlimited"
    if negligible(mw, "MW"):
        return "0"
    return _unsigned_zero(f"{mw:,.0f}" if abs(mw) >= 10 else f"{mw:.1f}")


def fmt_price(x: float | None, unit: str = "EUR/MWh") -> str:
    """``'12.34 EUR/MWh'``; below 0.005 (and ``-0.00``): ``'0.00 EUR/MWh'``."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    if negligible(x, unit):
        x = 0.0
    return f"{_unsigned_zero(f'{x:,.2f}')} {unit}"


def fmt_fixed(x: float | None, decimals: int = 1) -> str:
    """``x`` with ``decimals`` decimals and thousands separators, never ``'-0.0'``; ``'n/a'`` if missing."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return _unsigned_zero(f"{x:,.{decimals}f}")


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    return f"{s:.2f} s" if s < 100 else f"{s:,.0f} s"


def fmt_eur(x: float | None) -> str:
    """``1.23e9`` -> ``'1.23 bn EUR'``; below 1 EUR: ``'0 EUR'``."""
    return _scaled(x, [(1e9, "bn EUR"), (1e6, "M EUR"), (1e3, "k EUR"), (1.0, "EUR")], "EUR")


def fmt_pct_change(pct: float | None) -> str:
    """``'+12.3 %'``; ``'n/a'`` where there is no relative change (missing or near-zero base,
    see :func:`relative_change`); a change that rounds to zero shows no sign (``'0.0 %'``)."""
    if pct is None or (isinstance(pct, float) and not math.isfinite(pct)):
        return "n/a"
    text = f"{pct:+,.1f}"
    return ("0.0" if text in ("+0.0", "-0.0") else text) + " %"


#: summary.json ``solver.algorithm`` -> the solver (library and algorithm) that ran.
_ALGORITHMS = {"clarabel": "Clarabel (interior point)", "ipm": "HiGHS interior point",
               "simplex": "HiGHS simplex", "pdlp": "HiGHS PDLP (first-order)", "choose": "HiGHS (own choice)"}


def solver_name(solver: dict) -> str:
    """The solver that actually ran, from summary.json's ``solver`` entry, e.g.
    ``'Clarabel (interior point), monolithic'`` or ``'decomposed: HiGHS dual simplex windows,
    Clarabel (interior point) warm start'``."""
    method = str(solver.get("method") or "?")
    algo = str(solver.get("algorithm") or "")
    if method == "decomposed":
        text = "decomposed (Benders): HiGHS dual simplex windows"
        warm = (solver.get("decomposition") or {}).get("warm_start")
        if isinstance(warm, dict):
            name = _ALGORITHMS.get(str(warm.get("algorithm")), str(warm.get("algorithm")))
            text += f", {name} warm start on {warm.get('segments')} segments"
        return text
    name = _ALGORITHMS.get(algo, algo or "unknown solver")
    if solver.get("crossover") and algo == "ipm":
        name += " with crossover"
    return f"{name}, {method}"
