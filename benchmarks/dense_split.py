"""Dense-column splitting of a :class:`~silkgrid.model.lp.LinearProgram` (research, not in the package).

:func:`split_dense_columns` -- an equivalent reformulation for interior-point methods, measured by
``benchmarks/formulation.py`` (docs/performance.md); tested by ``tests/test_transform.py``.

A horizon-spanning column (an extendable capacity) appears in one capacity row per
snapshot, so it is a dense column: in the normal equations ``A D A'`` of an interior-point
method it couples every row it touches.  Splitting replaces such a column by one copy per
window of ``window`` snapshots; the rows of window *k* use copy *k*, and equality rows
``copy_k - copy_{k+1} = 0`` chain the copies together, so every copy equals the original
and the optimum is unchanged.  Each column then has about ``window`` (times the entries per
snapshot) nonzeros plus two link entries, at the price of more columns and rows.

Layout of the returned LP (so solutions map back trivially):

* columns ``0 .. n-1`` are the original columns, unchanged (bounds, cost, time tag); a
  split column's original is its *first* copy: it keeps the rows of window 0, the rows
  with time -1 (sums over the horizon, e.g. CO2 caps) and all of the cost;
* columns ``n ..`` are the copies (cost 0, the original's bounds, time tag -1), grouped by
  original column and ordered by window; only windows in which the column has entries get
  a copy;
* rows ``0 .. m-1`` are the original rows (same bounds, time tags); rows ``m ..`` are the
  link rows, one per copy: ``predecessor - copy = 0`` (time tag -1).

``variables`` / ``constraints`` keep every original block (same indices) and add
``"dense_copy"`` / ``"dense_copy_link"``.  The new LP also carries a :class:`DenseSplit`
as ``.dense_split``.  ``x_split[:lp.n_cols]`` is an optimal solution of the original LP
(:func:`original_solution`), and the original rows' duals are ``row_dual[:lp.n_rows]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from silkgrid.model.lp import LinearProgram


@dataclass(frozen=True)
class DenseSplit:
    """How a split LP relates to its original."""

    window: int
    n_cols: int
    """Columns of the original LP (they come first in the split LP)."""
    n_rows: int
    """Rows of the original LP (they come first in the split LP)."""
    copies: np.ndarray
    """Column index of each copy (in the split LP)."""
    origin: np.ndarray
    """Original column of each copy."""
    window_of_copy: np.ndarray
    """Window index (>= 1) each copy serves."""
    links: np.ndarray
    """Link row of each copy: ``predecessor - copy = 0``."""


def split_dense_columns(lp: LinearProgram, window: int) -> LinearProgram:
    """A new LP in which each horizon-spanning column is split into one copy per window.

    ``window``: snapshots per copy (>= 1).  Columns with ``lp.col_time() == -1`` are split;
    rows with time ``t >= 0`` use the copy of window ``t // window``, rows with time -1 the
    original.  The input is not modified.  See the module docstring for the layout.
    """
    window = int(window)
    if window < 1:
        raise ValueError(f"window must be >= 1 snapshot, got {window}")
    n, m = lp.n_cols, lp.n_rows
    a = lp.matrix().tocoo()
    r = a.row.astype(np.int64)
    c = a.col.astype(np.int64)
    v = a.data
    col_time, row_time = lp.col_time(), lp.row_time()
    cost, col_lo, col_hi, row_lo, row_hi = lp.arrays()
    if col_time.size != n or row_time.size != m:
        raise ValueError("the LP's time tags do not cover every column and row")

    t = row_time[r]
    move = (col_time[c] < 0) & (t >= window)  # entries of split columns in windows >= 1
    n_windows = int(row_time.max()) // window + 1 if m and row_time.max() >= 0 else 1
    key = c[move] * n_windows + t[move] // window
    uniq, inv = np.unique(key, return_inverse=True)  # sorted by (column, window)
    k = uniq.size
    origin = uniq // n_windows
    win = uniq % n_windows
    copies = n + np.arange(k, dtype=np.int64)
    c_new = c.copy()
    c_new[move] = copies[inv]

    # predecessor in the chain: the previous copy of the same column, else the original
    pred = origin.copy()
    same = np.zeros(k, dtype=bool)
    same[1:] = origin[1:] == origin[:-1]
    pred[same] = copies[:-1][same[1:]]
    links = m + np.arange(k, dtype=np.int64)

    out = LinearProgram()
    minus_one = np.full(k, -1, dtype=np.int64)
    out.add_variables("columns", n + k, lower=np.concatenate([col_lo, col_lo[origin]]),
                      upper=np.concatenate([col_hi, col_hi[origin]]),
                      cost=np.concatenate([cost, np.zeros(k)]),
                      time=np.concatenate([col_time, minus_one]))
    out.add_constraints("rows", m + k, lower=np.concatenate([row_lo, np.zeros(k)]),
                        upper=np.concatenate([row_hi, np.zeros(k)]),
                        time=np.concatenate([row_time, minus_one]))
    out.add_terms(np.concatenate([r, links, links]), np.concatenate([c_new, pred, copies]),
                  np.concatenate([v, np.ones(k), -np.ones(k)]))
    out.variables = {**lp.variables, "dense_copy": copies}
    out.constraints = {**lp.constraints, "dense_copy_link": links}
    out.objective_constant = lp.objective_constant
    out.dense_split = DenseSplit(window=window, n_cols=n, n_rows=m, copies=copies, origin=origin,
                                 window_of_copy=win, links=links)
    return out


def original_solution(split: LinearProgram, x: np.ndarray) -> np.ndarray:
    """The original LP's column values from a solution ``x`` of ``split_dense_columns(lp, w)``."""
    return np.asarray(x)[: split.dense_split.n_cols]
