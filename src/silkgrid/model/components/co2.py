"""CO2: the price (EUR/t, in generators' marginal costs) and yearly caps, system-wide and by country.

LP blocks: ``co2_cap`` (one row: sum of emissions x weight <= cap, kt/yr) and
``co2_cap_country`` (one row per capped country).  The rows span the horizon (no time tag);
their duals are the CO2 shadow prices (MEUR/kt -> EUR/t).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from silkgrid.core.units import COST
from silkgrid.model.components.base import Arrays, BuildContext, Diagnosis, Extracted, Inputs, SolutionView, gen_country
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import Scenario

#: t per kt (and EUR/t per MEUR/kt)
T_PER_KT = 1e3


def arrays(sc: Scenario, inp: Inputs) -> dict:
    """``co2_price`` (MEUR/kt), ``co2_cap`` (kt/yr or None), ``co2_cap_by_country`` (kt/yr)."""
    pol = sc.policies
    return dict(
        co2_price=pol.co2_price_eur_per_t * COST,
        co2_cap=None if pol.co2_cap_t is None else pol.co2_cap_t * 1e-3,
        co2_cap_by_country={c: v * 1e-3 for c, v in pol.co2_cap_t_by_country.items()},
    )


def add(lp: LinearProgram, ctx: BuildContext) -> None:
    """Yearly emission caps over generators' output (kt = kt/GWh x GW x h)."""
    a = ctx.arrays
    p = lp.variables["gen_p"]
    emis = a.gen_co2[:, None] * ctx.w[None, :]  # kt per GW of output in each snapshot
    if a.co2_cap is not None:
        row = lp.add_constraints("co2_cap", 1, upper=a.co2_cap)
        lp.add_terms(row[0], p, emis)
    caps = list(a.co2_cap_by_country.items())
    if caps:
        countries = gen_country(a)
        rows = lp.add_constraints("co2_cap_country", len(caps), upper=np.array([v for _, v in caps]))
        for r, (country, _) in zip(rows, caps):  # one row per country, vectorised over hours
            g = np.flatnonzero(countries == country)
            lp.add_terms(r, p[g], emis[g])


def extract(view: SolutionView) -> Extracted:
    """With duals: ``co2_shadow_price_eur_per_t`` (system cap) and table ``co2_caps``
    (country, cap in t/yr, shadow price in EUR/t)."""
    out = Extracted()
    dual, cons, a = view.row_dual, view.lp.constraints, view.arrays
    if dual is None:
        return out
    if "co2_cap" in cons:
        out.attributes["co2_shadow_price_eur_per_t"] = float(-dual[cons["co2_cap"][0]] * T_PER_KT)
    if "co2_cap_country" in cons:
        out.tables["co2_caps"] = pd.DataFrame({
            "country": list(a.co2_cap_by_country),
            "cap_t": np.array(list(a.co2_cap_by_country.values())) * T_PER_KT,
            "shadow_price_eur_per_t": -dual[cons["co2_cap_country"]] * T_PER_KT})
    return out


def _describe_cap(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    return (f"the system CO2 cap of {a.co2_cap * T_PER_KT:,.0f} t/yr cannot be met even with all candidate "
            f"capacity at its maximum: the lowest reachable emissions exceed it by "
            f"{np.abs(violation).sum() * T_PER_KT:,.0f} t/yr")


def _describe_country(name: str, where: tuple, violation: np.ndarray, a: Arrays) -> str:
    country = list(a.co2_cap_by_country)[where[0]]
    return (f"the CO2 cap for {country} of {a.co2_cap_by_country[country] * T_PER_KT:,.0f} t/yr cannot be met "
            f"even with all candidate capacity at its maximum: the lowest reachable emissions exceed it by "
            f"{np.abs(violation).sum() * T_PER_KT:,.0f} t/yr")


DIAGNOSIS = {"co2_cap": Diagnosis(_describe_cap, relax=0),
             "co2_cap_country": Diagnosis(_describe_country, relax=0)}
