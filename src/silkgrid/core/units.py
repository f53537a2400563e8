"""Unit conversions between user units and the LP's scaled units.

User units: MW, MWh, EUR, tCO2 (and EUR/MWh, EUR/MW/yr, EUR/t).  LP units: power GW, energy
GWh, money MEUR, emissions ktCO2.  Scaling keeps the LP's coefficients near 1 (interior-point
solvers and simplex tolerances are relative to them).
"""

#: MW -> GW (also MWh -> GWh)
MW = 1e-3
#: EUR -> MEUR
EUR = 1e-6
#: EUR/MWh -> MEUR/GWh, EUR/MW/yr -> MEUR/GW/yr, EUR/t -> MEUR/kt
COST = 1e-3
#: GW -> MW (GWh -> MWh)
GW_TO_MW = 1e3
#: MEUR -> EUR
MEUR_TO_EUR = 1e6
#: Hours of a (non-leap) year: the weight a full year of snapshots sums to.
HOURS_PER_YEAR = 8760.0
