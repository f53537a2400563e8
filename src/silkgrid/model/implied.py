"""Valid inequalities the formulation implies, for decomposed solves.

:func:`add_storage_reachability` adds, for every storage unit and every time window, two rows
over the storage level at the window's ends and the unit's new power capacity: over a window
the level can rise at most by full charging plus the inflow, and fall at most by full
discharging plus spilling the inflow.  Every hourly solution meets them, so adding them
changes no optimum.  They matter to the temporal decomposition (``silkgrid.solve.partition``):
they involve only master variables, so they become master rows, and the master stops proposing
reservoir levels a window cannot reach.  Without them a reservoir that the master wanted full
at a week's end but whose inflow could not fill it made that window pay an elastic-slack
penalty; on the hourly corridor year 12 of 32 Benders iterations proposed such a point, and
each gave a penalty-sized cut and no upper bound.
"""

from __future__ import annotations

import numpy as np

from silkgrid.model.arrays import NetworkArrays
from silkgrid.model.lp import LinearProgram

#: Name of the row block :func:`add_storage_reachability` adds.
REACHABILITY_BLOCK = "sto_reachable"


def add_storage_reachability(lp: LinearProgram, a: NetworkArrays, snapshot_window: np.ndarray) -> np.ndarray:
    """Rows (2, pairs) bounding each storage unit's level change over each window.

    With ``soc[t] = keep[t] soc[t-1] + d[t] (eff_c ch[t] - dis[t] / eff_d + inflow[t] - spill[t])``
    unrolled over a window of snapshots ``first..last``, ``K = prod keep`` and ``k[t]`` the
    product of ``keep`` after t:

    * gain:  ``soc[last] - K soc[first-1] <= sum k d (eff_c charge_max + inflow)``
    * loss:  ``soc[last] - K soc[first-1] >= sum k d (inflow - spill_max - discharge_max / eff_d)``

    ``charge_max`` and ``discharge_max`` are the power capacity (existing plus the new-capacity
    column where extendable); ``spill_max`` is the inflow where the unit may spill.  The level
    before the first window is the cyclic last level, or the fixed initial level.  Units with
    unlimited power get no gain or loss row on the side that power would make unbounded.

    Rows are added only for the (unit, window) pairs whose end levels other windows refer to,
    so that every row involves master variables only: none with a single window, and none for
    the last window of a non-cyclic unit.  ``snapshot_window``: window of each snapshot
    (consecutive, non-decreasing).  Returns the row indices, shape (2, pairs): gain rows, then
    loss rows (``lp.constraints[REACHABILITY_BLOCK]``).
    """
    soc = lp.variables["sto_soc"]
    S, T = soc.shape
    n_win = int(snapshot_window.max()) + 1 if T else 0
    if S == 0 or n_win < 2:
        return lp.add_constraints(REACHABILITY_BLOCK, (2, 0))
    d = np.broadcast_to(a.snapshots.duration_h.astype(float), (S, T))
    keep = (1.0 - a.sto_standing_loss[:, None]) ** d
    first = np.searchsorted(snapshot_window, np.arange(n_win))
    last = np.append(first[1:], T) - 1
    # k[t] = product of keep after t within t's window, via log sums (keep > 0 is clipped)
    log_keep = np.log(np.clip(keep, 1e-300, None))
    cum = np.cumsum(log_keep, axis=1)
    end_cum = cum[:, last][:, snapshot_window]  # cumulative log at the end of t's window
    k = np.exp(end_cum - cum)
    big_k = np.exp(np.add.reduceat(log_keep, first, axis=1))  # (S, W)

    p_ext = a.sto_power.extendable & ~a.sto_unlimited_power
    power = a.sto_power.existing
    can_charge = a.sto_can_charge
    spill = a.sto_spill & (a.sto_inflow > 0).any(axis=1)
    kd = k * d

    def per_window(x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, first, axis=1)

    inflow_gain = per_window(kd * a.sto_inflow)
    charge_coef = per_window(kd) * (a.sto_eff_charge * can_charge)[:, None]  # per GW of charge power
    discharge_coef = per_window(kd) / a.sto_eff_discharge[:, None]
    spill_loss = per_window(kd * a.sto_inflow) * spill[:, None]
    gain_hi = inflow_gain + charge_coef * power[:, None]
    loss_lo = inflow_gain - spill_loss - discharge_coef * power[:, None]
    unlimited = a.sto_unlimited_power[:, None]
    gain_hi = np.where(unlimited & can_charge[:, None], np.inf, gain_hi)
    loss_lo = np.where(unlimited, -np.inf, loss_lo)

    # the level before each window: the previous window's last one; before the first window the
    # cyclic last level, else the initial level (a constant on the right-hand side)
    cyclic = a.sto_cyclic[:, None]
    constant_start = ~cyclic & (np.arange(n_win) == 0)[None, :]
    start_term = np.where(constant_start, big_k * a.sto_initial[:, None], 0.0)
    end_cols = soc[:, last]
    start_cols = np.concatenate([soc[:, -1:], soc[:, last[:-1]]], axis=1)
    unit, win = np.nonzero(cyclic | (np.arange(n_win) < n_win - 1)[None, :])
    pick = (unit, win)
    n = unit.size
    rows = lp.add_constraints(REACHABILITY_BLOCK, (2, n),
                              lower=np.stack([np.full(n, -np.inf), (loss_lo + start_term)[pick]]),
                              upper=np.stack([(gain_hi + start_term)[pick], np.full(n, np.inf)]))
    start_coef = np.where(constant_start, 0.0, -big_k)[pick]
    p_new = lp.variables["sto_power_new"]
    ext = p_ext[unit]
    for side, power_coef in ((0, -charge_coef[pick]), (1, discharge_coef[pick])):
        lp.add_terms(rows[side], end_cols[pick], 1.0)
        lp.add_terms(rows[side], start_cols[pick], start_coef)
        lp.add_terms(rows[side][ext], p_new[unit[ext]], power_coef[ext])
    return rows
