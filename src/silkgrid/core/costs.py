"""Cost rules: the one annuity and the yearly costs of capacity, EUR (user units).

Every layer that turns an investment into a yearly cost (the LP's objective, the ex-post cost
breakdown, the corridor data builder) uses these functions, so the three can never disagree.
Arguments are duck-typed (any object with the named attributes): the scenario schema's
``Technology`` and ``Link`` are the usual ones.
"""

from __future__ import annotations


def annuity_factor(rate: float, years: float) -> float:
    """Capital recovery factor: the yearly payment per unit of investment, 1/yr.

    ``rate`` is the discount rate (0.07 = 7 %), ``years`` the economic lifetime.
    """
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** (-years))


def element_rate(element, default: float) -> float:
    """The discount rate of one element's investment: its own ``discount_rate`` when set, else ``default``."""
    own = getattr(element, "discount_rate", None)
    return default if own is None else own


def power_capex_per_mw_yr(tech, rate: float) -> float:
    """Capex of one MW of new power capacity as a yearly annuity, EUR/MW/yr (no O&M)."""
    return tech.capex_eur_per_kw * 1e3 * annuity_factor(rate, tech.lifetime_years)


def energy_capex_per_mwh_yr(tech, rate: float) -> float:
    """Capex of one MWh of new storage energy capacity as a yearly annuity, EUR/MWh/yr."""
    return tech.energy_capex_eur_per_kwh * 1e3 * annuity_factor(rate, tech.lifetime_years)


def power_cost_per_mw_yr(tech, rate: float) -> tuple[float, float]:
    """(annualised cost of new capacity, yearly cost of existing capacity), EUR/MW/yr.

    New capacity pays capex as an annuity plus fixed O&M; existing capacity pays fixed O&M
    only.  An ``annualised_cost_eur_per_mw_yr`` given directly applies to both.
    """
    if tech.annualised_cost_eur_per_mw_yr is not None:
        return tech.annualised_cost_eur_per_mw_yr, tech.annualised_cost_eur_per_mw_yr
    fixed = tech.fixed_om_eur_per_kw_yr * 1e3
    return power_capex_per_mw_yr(tech, rate) + fixed, fixed


def energy_cost_per_mwh_yr(tech, rate: float) -> tuple[float, float]:
    """(annualised cost of new storage energy capacity, yearly cost of existing), EUR/MWh/yr."""
    if tech.energy_annualised_cost_eur_per_mwh_yr is not None:
        return tech.energy_annualised_cost_eur_per_mwh_yr, tech.energy_annualised_cost_eur_per_mwh_yr
    fixed = tech.energy_fixed_om_eur_per_kwh_yr * 1e3
    return energy_capex_per_mwh_yr(tech, rate) + fixed, fixed


def link_capex_per_mw(link) -> float:
    """Investment of a link per MW of capacity, EUR/MW (per-MW part plus per-MW-km part)."""
    return link.capex_eur_per_mw + link.capex_eur_per_mw_km * link.length_km


def link_cost_per_mw_yr(link, rate: float) -> tuple[float, float]:
    """(annualised cost of new link capacity, yearly cost of existing), EUR/MW/yr.

    Fixed O&M is a percentage of the investment per year; the capex annuity is net of grants
    (:func:`link_capex_annuity_per_mw_yr`); an ``annualised_cost_eur_per_mw_yr`` given directly
    applies to both.
    """
    if link.annualised_cost_eur_per_mw_yr is not None:
        return link.annualised_cost_eur_per_mw_yr, link.annualised_cost_eur_per_mw_yr
    capex = link_capex_per_mw(link)
    return (link_capex_annuity_per_mw_yr(link, rate) + capex * link.fixed_om_pct_per_yr / 100.0,
            capex * link.fixed_om_pct_per_yr / 100)


def link_capex_annuity_per_mw_yr(link, rate: float) -> float:
    """Capex annuity of one MW of new link capacity net of grants, EUR/MW/yr (no O&M).

    ``(1 - grant_share) x investment x annuity(rate, lifetime)``: grants pay their share of the
    investment (``grant_share``, 0 when the object has none); fixed O&M is not covered by them.
    """
    grant = getattr(link, "grant_share", 0.0) or 0.0
    return (1.0 - grant) * link_capex_per_mw(link) * annuity_factor(rate, link.lifetime_years)
