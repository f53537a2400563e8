"""Explain infeasibility in plain words with an elastic (phase-1) re-solve.

Slack columns are added to the rows of the families a user can act on (energy balance,
CO2 caps, renewable shares, export contracts, storage state); the re-solve minimises
total violation.  The rows whose slack stays positive point at the likely cause, which is
reported with the element (node, country, contract) and the size of the shortfall.
If relaxing those families is not enough, every row is relaxed and the families that
remain violated are named.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from silkgrid.model.build import BuiltModel
from silkgrid.model.components import diagnoses
from silkgrid.model.lp import LinearProgram
from silkgrid.scenario.schema import SolverOptions
from silkgrid.solve.highs import configure, new_highs, pass_arrays
from silkgrid.solve.solution import LPSolution

import highspy

def relaxation_passes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(policy-only families, policy families) of the first two elastic passes, from the components.

    Policy families are the blocks with a relaxation rank, by rank (policy budgets 0, then
    balance, storage state, must-run).  The yearly policy families (rank 0) are relaxed on their
    own first: their rows are yearly totals (kt, GWh/yr) while balance rows are per-snapshot GW,
    so in a joint elastic solve a cap that cannot be met would be blamed on "unmet demand"
    whenever weights are large (annualise).
    """
    found = diagnoses()
    policy = tuple(sorted((n for n, d in found.items() if d.relax is not None), key=lambda n: found[n].relax))
    return tuple(n for n in policy if found[n].relax == 0), policy


def _elastic_solve(lp: LinearProgram, rows: np.ndarray, options: SolverOptions) -> np.ndarray | None:
    """Minimise total violation of ``rows``; return per-row violation (LP units) or None."""
    cost, clo, cup, rlo, rup = lp.arrays()
    a = lp.matrix()
    k = rows.size
    # +s relaxes a lower bound (row too small), -s an upper bound (row too large)
    e = sp.csc_matrix((np.ones(k), (rows, np.arange(k))), shape=(lp.n_rows, k))
    full = sp.hstack([a, e, -e], format="csc")
    n = lp.n_cols
    h = new_highs()
    configure(h, options.model_copy(update={"algorithm": "choose", "crossover": True}))
    pass_arrays(h, full, np.concatenate([np.zeros(n), np.ones(2 * k)]), np.concatenate([clo, np.zeros(2 * k)]),
                np.concatenate([cup, np.full(2 * k, np.inf)]), rlo, rup)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value)
    return x[n:n + k] - x[n + k:]


def _describe(name: str, where: tuple, violation: np.ndarray, built: BuiltModel) -> str:
    """One sentence for the violated rows of one constraint block (its component's words)."""
    diagnosis = diagnoses().get(name)
    if diagnosis is None:
        return f"constraint family '{name}' cannot be satisfied"
    return diagnosis.describe(name, where, violation, built.arrays)


def explain_infeasibility(built: BuiltModel, options: SolverOptions | None = None) -> str:
    """A plain-language explanation of why the LP is infeasible."""
    options = options or SolverOptions()
    lp = built.lp
    policy_only, policy = relaxation_passes()
    for families in (policy_only, policy, tuple(lp.constraints)):
        present = [f for f in families if f in lp.constraints and lp.constraints[f].size]
        if not present:
            continue
        rows = np.concatenate([lp.constraints[f].ravel() for f in present])
        viol = _elastic_solve(lp, rows, options)
        if viol is None:
            continue
        causes = []
        offset = 0
        for f in present:
            block = lp.constraints[f]
            v = viol[offset:offset + block.size].reshape(block.shape)
            offset += block.size
            if block.ndim == 0 or not (np.abs(v) > 1e-7).any():
                continue
            # report per element (first axis), worst first
            per_elem = np.abs(v).reshape(block.shape[0], -1).sum(axis=1) if block.ndim > 1 else np.abs(v)
            for i in np.argsort(-per_elem):
                if per_elem[i] <= 1e-7:
                    break
                vi = v[i] if block.ndim > 1 else np.atleast_1d(v[i])
                where = (int(i), int(np.argmax(np.abs(vi) > 1e-7))) if block.ndim > 1 else (int(i),)
                causes.append(_describe(f, where, vi, built))
        if causes:
            head = "The problem is infeasible. Likely cause: " + causes[0] + "."
            if len(causes) > 1:
                head += " Also: " + "; ".join(causes[1:4]) + "."
            return head
    return ("The problem is infeasible, and relaxing single constraint families did not isolate the cause; "
            "check capacity bounds (min above max) and storage settings.")


def plain_message(sol: LPSolution, built: BuiltModel, options: SolverOptions) -> str:
    """Message for any solver outcome."""
    if sol.status == "optimal":
        return "Optimal solution found."
    if sol.status in ("infeasible", "infeasible_or_unbounded"):
        return explain_infeasibility(built, options)
    if sol.status == "unbounded":
        return ("The problem is unbounded: some element can earn without limit (e.g. a market export "
                "with negative cost and no capacity limit). Give every extendable element a finite "
                "cost or max capacity.")
    if sol.status == "time_limit":
        return (f"The solver stopped at the time limit of {options.time_limit_s:g} s before proving "
                "optimality. Raise solver.time_limit_s, use a coarser time.resolution, or a subset of the year.")
    if sol.status == "iteration_limit":
        return "The solver stopped at its iteration limit before proving optimality."
    return (f"The solver reported '{sol.solver_status}' (numerical trouble). Try solver.algorithm: simplex, "
            "or check for extreme cost or capacity values (very large or very small numbers).")
