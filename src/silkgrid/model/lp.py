"""A small vectorised LP container: blocks of variables and constraints as index arrays.

Formulation blocks ask for a block of variables (any shape) and get back an array of
column indices of that shape; they ask for a block of rows and get row indices; they
add coefficients as broadcastable (rows, cols, values) arrays.  Nothing loops over
hours or matrix entries.  :meth:`LinearProgram.matrix` assembles one CSC matrix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


def _time_tags(time, shape: tuple[int, ...]) -> np.ndarray:
    if time is None:
        return np.full(int(np.prod(shape)) if shape else 1, -1, dtype=np.int64)
    return np.broadcast_to(np.asarray(time, dtype=np.int64), shape).ravel().copy()


@dataclass
class LinearProgram:
    """min c'x  s.t.  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper."""

    col_cost: list[np.ndarray] = field(default_factory=list)
    col_lower: list[np.ndarray] = field(default_factory=list)
    col_upper: list[np.ndarray] = field(default_factory=list)
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    _rows: list[np.ndarray] = field(default_factory=list)
    _cols: list[np.ndarray] = field(default_factory=list)
    _vals: list[np.ndarray] = field(default_factory=list)
    _col_time: list[np.ndarray] = field(default_factory=list)
    _row_time: list[np.ndarray] = field(default_factory=list)
    variables: dict[str, np.ndarray] = field(default_factory=dict)
    constraints: dict[str, np.ndarray] = field(default_factory=dict)
    n_cols: int = 0
    n_rows: int = 0
    objective_constant: float = 0.0

    # -- variables ----------------------------------------------------------------------
    def add_variables(self, name: str, shape: tuple[int, ...] | int, *, lower=0.0, upper=np.inf,
                      cost=0.0, time=None) -> np.ndarray:
        """Add a block of variables; return their column indices with the given shape.

        ``time`` (broadcastable to ``shape``) is the snapshot each variable belongs to;
        ``None`` marks variables that span the horizon (capacities).  Decomposition uses it.
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        n = int(np.prod(shape)) if shape else 1
        idx = np.arange(self.n_cols, self.n_cols + n).reshape(shape)
        self.n_cols += n
        self.col_lower.append(np.broadcast_to(np.asarray(lower, float), shape).ravel().copy())
        self.col_upper.append(np.broadcast_to(np.asarray(upper, float), shape).ravel().copy())
        self.col_cost.append(np.broadcast_to(np.asarray(cost, float), shape).ravel().copy())
        self._col_time.append(_time_tags(time, shape))
        if name in self.variables:
            raise ValueError(f"variable block '{name}' added twice")
        self.variables[name] = idx
        return idx

    # -- constraints --------------------------------------------------------------------
    def add_constraints(self, name: str, shape: tuple[int, ...] | int, *, lower=-np.inf,
                        upper=np.inf, time=None) -> np.ndarray:
        """Add a block of rows ``lower <= (terms) <= upper``; terms come via :meth:`add_terms`.

        ``time`` as in :meth:`add_variables`; ``None`` for rows that sum over the horizon.
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        n = int(np.prod(shape)) if shape else 1
        idx = np.arange(self.n_rows, self.n_rows + n).reshape(shape)
        self.n_rows += n
        self.row_lower.append(np.broadcast_to(np.asarray(lower, float), shape).ravel().copy())
        self.row_upper.append(np.broadcast_to(np.asarray(upper, float), shape).ravel().copy())
        self._row_time.append(_time_tags(time, shape))
        if name in self.constraints:
            raise ValueError(f"constraint block '{name}' added twice")
        self.constraints[name] = idx
        return idx

    def add_terms(self, rows, cols, values=1.0) -> None:
        """Add coefficients ``A[rows, cols] += values`` (arrays broadcast together)."""
        r, c, v = np.broadcast_arrays(np.asarray(rows), np.asarray(cols), np.asarray(values, float))
        if r.size == 0:
            return
        keep = v != 0
        self._rows.append(r[keep].ravel())
        self._cols.append(c[keep].ravel())
        self._vals.append(v[keep].ravel())


    def copy(self) -> "LinearProgram":
        """A copy that blocks can be added to without changing this LP (arrays are shared:
        blocks are never modified once added)."""
        return dataclasses.replace(self, **{f.name: list(getattr(self, f.name)) for f in dataclasses.fields(self)
                                            if isinstance(getattr(self, f.name), list)},
                                   variables=dict(self.variables), constraints=dict(self.constraints))

    def append(self, other: "LinearProgram", *, prefix: str, cost_scale: float = 1.0,
               time_offset: int = 0) -> tuple[int, int]:
        """Add all of ``other`` as a separate block (no shared rows or columns), its costs and
        objective constant times ``cost_scale``, its time tags shifted by ``time_offset`` (so that
        the blocks' snapshots stay distinct); its named blocks become ``prefix + name``.
        Returns the (column, row) offsets of the block.  A pathway stacks its periods' LPs so."""
        c0, r0 = self.n_cols, self.n_rows
        self.col_cost += [c * cost_scale for c in other.col_cost]
        self.col_lower += list(other.col_lower)
        self.col_upper += list(other.col_upper)
        self.row_lower += list(other.row_lower)
        self.row_upper += list(other.row_upper)
        self._rows += [r + r0 for r in other._rows]
        self._cols += [c + c0 for c in other._cols]
        self._vals += list(other._vals)
        self._col_time += [np.where(t >= 0, t + time_offset, t) for t in other._col_time]
        self._row_time += [np.where(t >= 0, t + time_offset, t) for t in other._row_time]
        self.variables.update({prefix + k: v + c0 for k, v in other.variables.items()})
        self.constraints.update({prefix + k: v + r0 for k, v in other.constraints.items()})
        self.n_cols += other.n_cols
        self.n_rows += other.n_rows
        self.objective_constant += cost_scale * other.objective_constant
        return c0, r0

    # -- assembly -----------------------------------------------------------------------
    @staticmethod
    def _cat(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0)

    def upper_bounds_rows(self) -> np.ndarray:
        return self._cat(self.row_upper)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(cost, col_lower, col_upper, row_lower, row_upper) as flat arrays."""
        return (self._cat(self.col_cost), self._cat(self.col_lower), self._cat(self.col_upper),
                self._cat(self.row_lower), self._cat(self.row_upper))

    def matrix(self) -> sp.csc_matrix:
        """The constraint matrix (duplicates summed), CSC."""
        rows = self._cat(self._rows).astype(np.int64)
        cols = self._cat(self._cols).astype(np.int64)
        vals = self._cat(self._vals)
        a = sp.csc_matrix((vals, (rows, cols)), shape=(self.n_rows, self.n_cols))
        a.sum_duplicates()
        return a

    def col_time(self) -> np.ndarray:
        """Snapshot of each column, -1 for columns that span the horizon."""
        return self._cat(self._col_time).astype(np.int64)

    def row_time(self) -> np.ndarray:
        """Snapshot of each row, -1 for rows that sum over the horizon."""
        return self._cat(self._row_time).astype(np.int64)

    @property
    def n_nonzeros(self) -> int:
        return int(sum(v.size for v in self._vals))
