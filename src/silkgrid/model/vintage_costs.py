"""What a vintage costs over a pathway's horizon: annuities while alive, or investment less salvage.

A vintage of element ``e`` built in year ``b`` with lifetime ``L`` has a yearly cost ``c`` (its build
period's annuity ``a`` plus fixed O&M ``f``, LP units: MEUR per GW(h) and year).  Its present cost per
unit built, over a horizon of periods ``q`` with objective weights ``W_q`` (present value of one EUR a
year over the years ``q`` stands for) ending in year ``H`` (the last period plus its years), is

- ``annuity`` (PyPSA's "type II", the default): ``c x sum of W_q over the periods it is alive in``;
  nothing is charged after the horizon.
- ``salvage`` (OSeMOSYS's style): the overnight investment ``I = a / crf(r_e, L_econ)`` (``r_e`` the
  element's rate, ``L_econ`` the lifetime its annuity is taken over) is charged in the build year,
  discounted to the base year; fixed O&M ``f`` while alive inside the horizon; the straight-line value
  left at the horizon's end, ``I x max(0, b + L - H) / L``, is credited, discounted from ``H``:

      I x D(b) + f x sum of W_q alive - I x max(0, b + L - H) / L x D(H),    D(y) = (1 + r)^-(y - base)

With no discounting and a vintage that outlives the horizon the two agree (``I = a L``); otherwise a
short-lived vintage, a long horizon or a rate above zero tells them apart (``tests/test_pathway.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from silkgrid.core.costs import (annuity_factor, element_rate, energy_capex_per_mwh_yr, link_capex_annuity_per_mw_yr,
                                 power_capex_per_mw_yr)
from silkgrid.scenario.schema import Scenario

__all__ = ["Horizon", "capex_share", "investment", "share_left", "vintage_pv"]

EndOfHorizon = Literal["annuity", "salvage"]


@dataclass(frozen=True)
class Horizon:
    """The periods a pathway LP charges costs over and how it discounts them."""

    periods: list[int]
    weights: np.ndarray
    """Objective weight of each period (present value of 1 a year over it), -."""
    years: list[int]
    """Years each period stands for."""
    base_year: int
    rate: float
    """Social discount rate of the weights (and of the salvage terms), 1/yr."""
    end_of_horizon: EndOfHorizon = "annuity"
    build_rates: tuple = ()
    """Build-rate limits (objects with id, country, nodes, technologies, max_mw_per_yr): what a
    period builds of the group is at most max_mw_per_yr x its years (:mod:`silkgrid.model.pathway`)."""
    last_build_year: dict = field(default_factory=dict)
    """Build windows: technology or element id -> last year a vintage of it may be built."""

    @property
    def end(self) -> int:
        """First year after the horizon."""
        return int(self.periods[-1] + self.years[-1])

    def discount(self, year) -> np.ndarray:
        """Present value in the base year of one EUR in ``year``."""
        return (1.0 + self.rate) ** -(np.asarray(year, dtype=float) - self.base_year)

    def alive_weight(self, build_year, lifetime) -> np.ndarray:
        """Sum of the weights of the periods a vintage (``build_year``, ``lifetime``) is alive in."""
        by = np.asarray(build_year, dtype=float)[:, None]
        life = np.asarray(lifetime, dtype=float)[:, None]
        p = np.asarray(self.periods, dtype=float)[None, :]
        return ((by <= p) & (p < by + life)) @ np.asarray(self.weights, dtype=float)


def vintage_pv(horizon: Horizon, build_year, lifetime, cost_per_yr, capex_per_yr, capex_years, rate) -> np.ndarray:
    """Present cost over ``horizon`` of one unit of each vintage (LP units: present MEUR per GW(h)).

    ``cost_per_yr``: yearly cost (annuity + fixed O&M); ``capex_per_yr``: its annuity part;
    ``capex_years`` and ``rate``: the lifetime and the rate that annuity is taken over (see the module doc)."""
    cost = np.asarray(cost_per_yr, dtype=float)
    alive = horizon.alive_weight(build_year, lifetime)
    if horizon.end_of_horizon == "annuity":
        return cost * alive
    capex = np.asarray(capex_per_yr, dtype=float)
    invest = investment(capex, capex_years, rate)
    left = share_left(horizon, build_year, lifetime)
    return (invest * horizon.discount(np.asarray(build_year, dtype=float)) + (cost - capex) * alive
            - invest * left * horizon.discount(horizon.end))


def investment(capex_per_yr, capex_years, rate) -> np.ndarray:
    """Overnight investment whose annuity at ``rate`` over ``capex_years`` is ``capex_per_yr``
    (same units per unit of capacity, without the /yr)."""
    capex = np.asarray(capex_per_yr, dtype=float)
    crf = np.array([annuity_factor(r, n) for r, n in zip(np.atleast_1d(rate), np.atleast_1d(capex_years))])
    return np.divide(capex, crf, out=np.zeros_like(capex), where=crf > 0)


def share_left(horizon: Horizon, build_year, lifetime) -> np.ndarray:
    """Straight-line share of a vintage's value left at the horizon's end, -."""
    by, life = np.asarray(build_year, dtype=float), np.asarray(lifetime, dtype=float)
    return np.clip(by + life - horizon.end, 0.0, None) / life


def capex_share(sc: Scenario, kind: str) -> dict[str, tuple[float, float, float]]:
    """(share of the new yearly cost that is capex annuity, rate of that annuity, lifetime it is taken
    over in years) of every element of ``kind`` (generator, link, storage_power, storage_energy).  A cost
    given as ``annualised_cost_*`` counts as annuity in full (it replaces capex and O&M)."""
    out: dict[str, tuple[float, float, float]] = {}
    techs = sc.technology_map()
    if kind == "generator":
        for g in sc.generators:
            t = techs[g.technology]
            r = element_rate(g, sc.discount_rate)
            out[g.id] = (_share(t.annualised_cost_eur_per_mw_yr, power_capex_per_mw_yr(t, r),
                                t.fixed_om_eur_per_kw_yr * 1e3), r, t.lifetime_years)
    elif kind == "link":
        for ln in sc.links:
            r = element_rate(ln, sc.discount_rate)
            capex = link_capex_annuity_per_mw_yr(ln, r)
            fom = (ln.capex_eur_per_mw + ln.capex_eur_per_mw_km * ln.length_km) * ln.fixed_om_pct_per_yr / 100.0
            out[ln.id] = (_share(ln.annualised_cost_eur_per_mw_yr, capex, fom), r, ln.lifetime_years)
    else:
        for s in sc.storage:
            t = techs[s.technology]
            r = element_rate(s, sc.discount_rate)
            e_cap = energy_capex_per_mwh_yr(t, r)
            e_fom = t.energy_fixed_om_eur_per_kwh_yr * 1e3
            if kind == "storage_energy":
                out[s.id] = (_share(t.energy_annualised_cost_eur_per_mwh_yr, e_cap, e_fom), r, t.lifetime_years)
                continue
            h = s.max_hours or 0.0  # a fixed ratio rides the energy cost on power
            given = t.annualised_cost_eur_per_mw_yr
            if given is not None or (h and t.energy_annualised_cost_eur_per_mwh_yr is not None):
                out[s.id] = (1.0, r, t.lifetime_years)
                continue
            out[s.id] = (_share(None, power_capex_per_mw_yr(t, r) + h * e_cap,
                                t.fixed_om_eur_per_kw_yr * 1e3 + h * e_fom), r, t.lifetime_years)
    return out


def _share(given: float | None, capex: float, fixed: float) -> float:
    if given is not None:
        return 1.0
    total = capex + fixed
    return capex / total if total > 0 else 0.0
