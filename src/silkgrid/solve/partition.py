"""Split an LP into a master part and one operational subproblem per time window.

Pure arrays in, arrays out: works on any :class:`~silkgrid.model.lp.LinearProgram` whose
variables and rows carry time tags (``col_time`` / ``row_time``, -1 = spans the horizon).

* **Linking columns** are the columns more than one window needs: those without a time
  (capacities) and those that rows of another window refer to (the storage state at the
  end of a window, the output before a ramp row at a window start).  They become master
  variables; every subproblem that uses one gets a copy pinned to the master's value.
* **Master rows** are rows that involve linking columns only (e.g. the state of charge at
  a window boundary below the energy capacity).
* **Budget rows** are horizon-wide rows over operational columns (CO2 caps, renewable
  shares, yearly export contracts).  Each is split into one budget variable per window
  (a master variable) and a row per window that keeps that window within its budget;
  the master row makes the budgets add up to the original limit.

A window row that ties one of the window's own columns to one linking column, such as
``p[g, t] - availability[g, t] * new[g] <= availability[g, t] * existing[g]``, becomes a
**column bound** that moves with the master point (``p[g, t] <= availability[g, t] *
(existing[g] + z)``) instead of a row with a pinned copy of ``z``: the window LP keeps only
its balance and storage rows (a third of the rows on the corridor), and a warm re-solve takes
a sixth of the time.  The column's reduced cost gives that bound's share of the gradient.

Each subproblem pins its remaining copies with *fixing rows* ``copy + s_plus - s_minus = z``; the
elastic slacks carry a penalty, so a subproblem is feasible for any master point and its
fixing-row duals are the subgradient of its (penalised) cost with respect to ``z``.  The
penalised cost is never above the true one, so master and Lagrangian bounds stay valid
whatever the penalty; only points with no active slack count as upper bounds.  The penalty
(a few times the largest cost coefficient per unit of the linking column) keeps infeasible
trial points expensive without making their cuts so steep that the master stalls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from silkgrid.model.lp import LinearProgram

#: Penalty on elastic slacks, as a multiple of the largest cost coefficient of the window
#: times the linking column's weight in the window's rows (see the module docstring).
PENALTY_FACTOR = 3.0


@dataclass
class WindowProblem:
    """One operational subproblem (picklable arrays, LP units).

    Columns: the window's own columns, then pinned copies of the first ``n_fixing`` master
    variables it uses, then slack pairs (plus, minus).  Rows: the window's own rows, then one
    fixing row per copy.  The other master variables it uses enter only through column
    bounds: own column ``bound_cols[i]`` has the bound ``bound_const[i] + bound_slope[i] *
    z[master_index[bound_pos[i]]]`` (no z term where ``bound_pos[i]`` is -1), an upper bound
    where ``bound_upper[i]``, else a lower one.  It stands for the full-LP row
    ``bound_rows[i]``, whose coefficient on the column is ``bound_coef[i]``.
    """

    index: int
    matrix: sp.csc_matrix
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    master_index: np.ndarray  #: master variables the window uses (pinned ones first)
    n_fixing: int  #: master variables pinned by a fixing row (the first ones of ``master_index``)
    n_own_cols: int
    n_own_rows: int
    own_cols: np.ndarray  #: full-LP column of each own column
    own_rows: np.ndarray  #: full-LP row of each own row (-1 for a budget row part)
    cost_lower_bound: float  #: a value the window's cost cannot go below (MEUR)
    bound_cols: np.ndarray  #: own column (local index) of each master-dependent bound
    bound_upper: np.ndarray  #: True: the bound is an upper bound
    bound_pos: np.ndarray  #: position in ``master_index`` of the variable each bound moves with (-1: none)
    bound_const: np.ndarray
    bound_slope: np.ndarray
    bound_coef: np.ndarray  #: the column's coefficient in the full-LP row
    bound_rows: np.ndarray  #: full-LP row each bound replaces

    @property
    def fixing_rows(self) -> np.ndarray:
        return np.arange(self.n_own_rows, self.n_own_rows + self.n_fixing)

    @property
    def budget_part_rows(self) -> np.ndarray:
        """Own rows that hold a budget row's part (own terms - budget copy); in the order of
        the budget copies, which are the last of the pinned master variables."""
        return np.flatnonzero(self.own_rows < 0)

    @property
    def slack_cols(self) -> np.ndarray:
        start = self.n_own_cols + self.n_fixing
        return np.arange(start, start + 2 * self.n_fixing)

    def bounds_at(self, pinned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) of the ``bound_cols`` at master values ``pinned`` (= z[master_index])."""
        moving = self.bound_pos >= 0
        value = self.bound_const.copy()
        value[moving] += self.bound_slope[moving] * pinned[self.bound_pos[moving]]
        lower, upper = self.col_lower[self.bound_cols], self.col_upper[self.bound_cols]
        # clamp round-off (a capacity bound of -1e-17): z within its bounds keeps them consistent
        upper = np.where(self.bound_upper, np.maximum(value, lower), upper)
        lower = np.where(self.bound_upper, lower, np.minimum(value, upper))
        return lower, upper

    def bound_duals(self, col_dual: np.ndarray) -> np.ndarray:
        """Each master-dependent bound's dual (d objective / d bound) from the own columns'
        reduced costs: the part of a column's reduced cost that its moving bound carries."""
        d = col_dual[self.bound_cols]
        return np.where(self.bound_upper, np.minimum(d, 0.0), np.maximum(d, 0.0))

    def gradient(self, fixing_dual: np.ndarray, col_dual: np.ndarray) -> np.ndarray:
        """d objective / d z[master_index]: fixing-row duals plus the moving bounds' shares."""
        g = np.zeros(self.master_index.size)
        g[:self.n_fixing] = fixing_dual
        moving = self.bound_pos >= 0
        np.add.at(g, self.bound_pos[moving], (self.bound_slope * self.bound_duals(col_dual))[moving])
        return g


@dataclass
class Partition:
    """Master data and window subproblems of one LP."""

    n_cols: int
    n_rows: int
    windows: list[WindowProblem]
    linking_cols: np.ndarray  #: full-LP columns that are master variables (first in z)
    budget_rows: np.ndarray  #: full-LP row of each budget variable (after the linking columns in z)
    budget_windows: np.ndarray  #: window of each budget variable
    z_cost: np.ndarray
    z_lower: np.ndarray
    z_upper: np.ndarray
    master_matrix: sp.csr_matrix  #: rows over z
    master_row_lower: np.ndarray
    master_row_upper: np.ndarray
    master_rows: np.ndarray  #: full-LP row of each master row
    col_window: np.ndarray  #: window of each full-LP column (-1: spans the horizon)

    @property
    def n_z(self) -> int:
        return self.z_cost.size

    def z_from_x(self, x: np.ndarray, lp: LinearProgram) -> np.ndarray:
        """Master point that a point ``x`` of ``lp`` (the partitioned LP) implies; budgets are
        what each window uses."""
        z = np.empty(self.n_z)
        n_link = self.linking_cols.size
        z[:n_link] = x[self.linking_cols]
        if self.budget_rows.size:
            a = lp.matrix().tocsr()
            col_w = self.col_window
            operational = np.ones(self.n_cols, dtype=bool)
            operational[self.linking_cols] = False
            for k, (r, w) in enumerate(zip(self.budget_rows, self.budget_windows)):
                lo, hi = a.indptr[r], a.indptr[r + 1]
                cols, vals = a.indices[lo:hi], a.data[lo:hi]
                sel = (col_w[cols] == w) & operational[cols]
                z[n_link + k] = vals[sel] @ x[cols[sel]]
        return np.clip(z, self.z_lower, self.z_upper)


def window_ids(first_hour: np.ndarray, window_hours: int) -> np.ndarray:
    """Window of each snapshot: consecutive blocks of ``window_hours`` hours."""
    if window_hours < 1:
        raise ValueError("window_hours must be at least 1")
    return ((first_hour - first_hour[0]) // int(window_hours)).astype(np.int64)


def partition(lp: LinearProgram, snapshot_window: np.ndarray) -> Partition:
    """Partition ``lp`` given the window of each snapshot (see :func:`window_ids`)."""
    a = lp.matrix()
    cost, clo, cup, rlo, rup = lp.arrays()
    n_rows, n_cols = a.shape
    col_t, row_t = lp.col_time(), lp.row_time()
    n_win = int(snapshot_window.max()) + 1 if snapshot_window.size else 1
    col_w = np.where(col_t >= 0, snapshot_window[np.maximum(col_t, 0)], -1)
    row_w = np.where(row_t >= 0, snapshot_window[np.maximum(row_t, 0)], -1)

    coo = a.tocoo()
    r, c, v = coo.row, coo.col, coo.data
    timed = row_w[r] >= 0
    linking = col_w < 0
    linking[c[timed & (col_w[c] >= 0) & (row_w[r] != col_w[c])]] = True

    operational_nnz = np.bincount(r[~linking[c]], minlength=n_rows)
    has_nnz = np.bincount(r, minlength=n_rows) > 0
    master_row = has_nnz & (operational_nnz == 0)
    budget_row = (row_w < 0) & (operational_nnz > 0)
    sub_row = (row_w >= 0) & ~master_row

    linking_cols = np.flatnonzero(linking)
    z_of_col = np.full(n_cols, -1, dtype=np.int64)
    z_of_col[linking_cols] = np.arange(linking_cols.size)

    # budget variables: one per (budget row, window with operational terms in it)
    bsel = budget_row[r] & ~linking[c]
    pairs = np.unique(np.stack([r[bsel], col_w[c[bsel]]], axis=1), axis=0) if bsel.any() \
        else np.zeros((0, 2), dtype=np.int64)
    budget_rows, budget_windows = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    n_link, n_bud = linking_cols.size, budget_rows.size
    b_lo, b_hi = _budget_bounds(r[bsel], c[bsel], v[bsel], col_w[c[bsel]], pairs, clo, cup)

    z_cost = np.concatenate([cost[linking_cols], np.zeros(n_bud)])
    z_lower = np.concatenate([clo[linking_cols], b_lo])
    z_upper = np.concatenate([cup[linking_cols], b_hi])

    # master rows: the LP's rows over linking columns, and one row per budget row
    mrows = np.flatnonzero(master_row | budget_row)
    msel = (master_row | budget_row)[r] & linking[c]
    m_of_row = np.full(n_rows, -1, dtype=np.int64)
    m_of_row[mrows] = np.arange(mrows.size)
    mr = [m_of_row[r[msel]]]
    mc = [z_of_col[c[msel]]]
    mv = [v[msel]]
    if n_bud:
        mr.append(m_of_row[budget_rows])
        mc.append(n_link + np.arange(n_bud))
        mv.append(np.ones(n_bud))
    master = sp.csr_matrix((np.concatenate(mv), (np.concatenate(mr), np.concatenate(mc))),
                           shape=(mrows.size, n_link + n_bud))

    # per-window subproblems
    a_csr = a.tocsr()
    windows = []
    sub_rows_by_w = _group(np.flatnonzero(sub_row), row_w[sub_row], n_win)
    own_cols_by_w = _group(np.flatnonzero(~linking), col_w[~linking], n_win)
    budget_by_w = _group(np.arange(n_bud), budget_windows, n_win)
    for w in range(n_win):
        windows.append(_window_problem(
            w, a_csr, sub_rows_by_w[w], own_cols_by_w[w], budget_by_w[w], budget_rows, linking_cols,
            z_of_col, linking, col_w, cost, clo, cup, rlo, rup))

    part = Partition(n_cols=n_cols, n_rows=n_rows, windows=windows, linking_cols=linking_cols,
                     budget_rows=budget_rows, budget_windows=budget_windows, z_cost=z_cost,
                     z_lower=z_lower, z_upper=z_upper, master_matrix=master,
                     master_row_lower=rlo[mrows], master_row_upper=rup[mrows],
                     master_rows=mrows, col_window=col_w)
    return part


def _group(items: np.ndarray, keys: np.ndarray, n: int) -> list[np.ndarray]:
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n + 1))
    return [items[order[bounds[k]:bounds[k + 1]]] for k in range(n)]


def _budget_bounds(r, c, v, w, pairs, clo, cup) -> tuple[np.ndarray, np.ndarray]:
    """Range each window's share of a budget row can take, from the column bounds."""
    if pairs.size == 0:
        return np.zeros(0), np.zeros(0)
    lo_term = np.where(v > 0, v * clo[c], v * cup[c])
    hi_term = np.where(v > 0, v * cup[c], v * clo[c])
    key = np.searchsorted(pairs[:, 0] * (w.max() + 1) + pairs[:, 1], r * (w.max() + 1) + w)
    # terms are finite or infinite (coefficients are non-zero): sum the finite ones, and a
    # single infinite term makes the share unbounded on that side
    lo = np.bincount(key, weights=np.where(np.isfinite(lo_term), lo_term, 0.0), minlength=len(pairs))
    hi = np.bincount(key, weights=np.where(np.isfinite(hi_term), hi_term, 0.0), minlength=len(pairs))
    lo[np.bincount(key, weights=np.isneginf(lo_term), minlength=len(pairs)) > 0] = -np.inf
    hi[np.bincount(key, weights=np.isposinf(hi_term), minlength=len(pairs)) > 0] = np.inf
    return lo, hi


def _bounds_from_rows(sub: sp.coo_matrix, own_mask: np.ndarray, rlo: np.ndarray, rup: np.ndarray,
                      clo: np.ndarray, cup: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows of ``sub`` (the window's rows) that are ``a x + b z`` with one own column ``x``,
    at most one linking column ``z`` and one finite side, on a side of ``x`` that has no
    natural bound (at most one per column).  Returns (row, own column, linking column or -1,
    a, b, upper?, rhs), columns as full-LP indices."""
    n = sub.shape[0]
    own_nz = np.bincount(sub.row, weights=own_mask, minlength=n)
    link_nz = np.bincount(sub.row, weights=~own_mask, minlength=n)
    one_side = np.isfinite(rlo) ^ np.isfinite(rup)
    cand = (own_nz == 1) & (link_nz <= 1) & one_side
    sel = cand[sub.row]
    r_own, c_own, a = sub.row[sel & own_mask], sub.col[sel & own_mask], sub.data[sel & own_mask]
    o = np.argsort(r_own, kind="stable")
    r, x, a = r_own[o], c_own[o], a[o]
    z, b = np.full(r.size, -1, dtype=np.int64), np.zeros(r.size)
    link = sel & ~own_mask  # a limit whose availability is zero has no capacity term
    at = np.searchsorted(r, sub.row[link])
    z[at], b[at] = sub.col[link], sub.data[link]
    upper = (a > 0) == np.isfinite(rup[r])
    rhs = np.where(np.isfinite(rup[r]), rup[r], rlo[r])
    free_side = np.where(upper, np.isposinf(cup[x]), np.isneginf(clo[x]))
    r, x, a, z, b, upper, rhs = (v[free_side] for v in (r, x, a, z, b, upper, rhs))
    _, first = np.unique(x, return_index=True)  # one moving bound per column
    return tuple(v[first] for v in (r, x, a, z, b, upper, rhs))


def _window_problem(w, a_csr, rows, own, budgets, budget_rows, linking_cols, z_of_col, linking, col_w,
                    cost, clo, cup, rlo, rup) -> WindowProblem:
    sub_all = a_csr[rows].tocoo()
    b_row, b_x, b_a, b_z, b_b, b_upper, b_rhs = _bounds_from_rows(
        sub_all, ~linking[sub_all.col], rlo[rows], rup[rows], clo, cup)
    keep = np.ones(rows.size, dtype=bool)
    keep[b_row] = False
    bound_rows = rows[b_row]
    rows = rows[keep]
    sub = a_csr[rows].tocoo()
    # budget row parts: the row's operational terms that fall in this window
    brows = a_csr[budget_rows[budgets]].tocoo() if budgets.size else None
    if brows is not None:
        sel = (col_w[brows.col] == w) & ~linking[brows.col]
        b_r, b_c, b_v = brows.row[sel] + rows.size, brows.col[sel], brows.data[sel]
    else:
        b_r = b_c = np.zeros(0, dtype=np.int64)
        b_v = np.zeros(0)
    used_link = np.unique(sub.col[linking[sub.col]])
    n_own, n_copy_link = own.size, used_link.size
    col_local = np.full(a_csr.shape[1], -1, dtype=np.int64)
    col_local[own] = np.arange(n_own)
    col_local[used_link] = n_own + np.arange(n_copy_link)
    n_rows_own = rows.size + budgets.size
    n_link = linking_cols.size
    pinned = np.concatenate([z_of_col[used_link], n_link + budgets])
    moving = b_z >= 0
    bound_only = np.setdiff1d(z_of_col[b_z[moving]], pinned)
    master_index = np.concatenate([pinned, bound_only]).astype(np.int64)
    where = np.full(int(master_index.max()) + 1 if master_index.size else 0, -1, dtype=np.int64)
    where[master_index] = np.arange(master_index.size)
    bound_pos = np.full(b_z.size, -1, dtype=np.int64)  # -1: a fixed bound (no capacity term)
    bound_pos[moving] = where[z_of_col[b_z[moving]]]
    n_fix = pinned.size
    copies = n_own + np.arange(n_fix)
    rr = [sub.row, b_r,
          np.arange(budgets.size) + rows.size,  # - budget copy in its row part
          n_rows_own + np.arange(n_fix), n_rows_own + np.arange(n_fix), n_rows_own + np.arange(n_fix)]
    cc = [col_local[sub.col], col_local[b_c],
          n_own + n_copy_link + np.arange(budgets.size),
          copies, n_own + n_fix + np.arange(n_fix), n_own + 2 * n_fix + np.arange(n_fix)]
    vv = [sub.data, b_v, -np.ones(budgets.size), np.ones(n_fix), np.ones(n_fix), -np.ones(n_fix)]
    n_c = n_own + 3 * n_fix
    mat = sp.csc_matrix((np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))),
                        shape=(n_rows_own + n_fix, n_c))

    # budget row parts: one-sided where the original row is one-sided, else equal to the budget
    b_lo_orig, b_hi_orig = rlo[budget_rows[budgets]], rup[budget_rows[budgets]]
    part_lo = np.where(np.isfinite(b_lo_orig), 0.0, -np.inf)
    part_hi = np.where(np.isfinite(b_hi_orig), 0.0, np.inf)

    own_cost = cost[own]
    max_cost = float(np.abs(own_cost).max()) if own_cost.size else 1.0
    weight = np.asarray(abs(mat[:n_rows_own, copies]).sum(axis=0)).ravel()
    penalty = PENALTY_FACTOR * max(max_cost, 1e-3) * np.maximum(weight, 1.0)
    # copies keep their natural bounds (budget copies: free; the master bounds them)
    copy_lo = np.concatenate([clo[used_link], np.full(budgets.size, -np.inf)])
    copy_hi = np.concatenate([cup[used_link], np.full(budgets.size, np.inf)])
    col_lower = np.concatenate([clo[own], copy_lo, np.zeros(2 * n_fix)])
    col_upper = np.concatenate([cup[own], copy_hi, np.full(2 * n_fix, np.inf)])
    sub_cost = np.concatenate([own_cost, np.zeros(n_fix), penalty, penalty])
    row_lower = np.concatenate([rlo[rows], part_lo, np.zeros(n_fix)])
    row_upper = np.concatenate([rup[rows], part_hi, np.zeros(n_fix)])

    with np.errstate(invalid="ignore"):
        lo_terms = np.where(own_cost > 0, own_cost * clo[own], own_cost * cup[own])
    lo_terms[own_cost == 0] = 0.0
    bound = float(lo_terms.sum()) if np.isfinite(lo_terms).all() else -np.inf
    return WindowProblem(index=w, matrix=mat, cost=sub_cost, col_lower=col_lower, col_upper=col_upper,
                         row_lower=row_lower, row_upper=row_upper, master_index=master_index,
                         n_fixing=n_fix, n_own_cols=n_own, n_own_rows=n_rows_own, own_cols=own,
                         own_rows=np.concatenate([rows, np.full(budgets.size, -1)]),
                         cost_lower_bound=bound, bound_cols=col_local[b_x], bound_upper=b_upper,
                         bound_pos=bound_pos, bound_const=b_rhs / b_a, bound_slope=-b_b / b_a,
                         bound_coef=b_a, bound_rows=bound_rows)
