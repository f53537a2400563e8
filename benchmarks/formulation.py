"""Formulation benchmark: does dense-column splitting help HiGHS's interior point (IPX)?

Extendable capacities appear in one capacity row per snapshot, so they are dense columns
for interior-point methods.  ``split_dense_columns(lp, window)`` (benchmarks/dense_split.py)
replaces each by one copy per window of snapshots, chained by equality rows (same optimum).
This script builds each LP once and solves the original and the split versions with IPX,
no crossover (SilkGrid's default HiGHS settings, via ``silkgrid.solve.highs.configure``),
each with presolve on and off (presolve can substitute the copies back), on a fresh HiGHS
instance per solve.

    .venv/bin/python benchmarks/formulation.py                        # all cases, windows 24 168
    .venv/bin/python benchmarks/formulation.py --cases corridor-24h --windows 24 168 720
    .venv/bin/python benchmarks/formulation.py --presolve on --time-limit 120

Cases: ``corridor-24h`` / ``corridor-12h`` (the packaged corridor data set at that
resolution) and ``synthetic-NxH`` (benchmarks/build.py's generator, e.g. synthetic-8x2190).
Wall time is HiGHS's ``run()`` only (the LP is already passed); the split itself and the
hand-off are printed separately.  Timings on a 2-core machine vary by up to ~2x when
anything else runs; compare rows of one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from silkgrid.model.build import build_model  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402
from silkgrid.scenario.schema import SolverOptions  # noqa: E402
from silkgrid.solve.highs import configure, new_highs, pass_arrays  # noqa: E402

from dense_split import split_dense_columns  # noqa: E402

DEFAULT_CASES = ("corridor-24h", "corridor-12h", "synthetic-8x2190")


def load_case(case: str):
    if case.startswith("corridor-"):
        return load_scenario({"extends": "corridor", "time": {"resolution": case.split("-", 1)[1]}})
    if case.startswith("synthetic-"):
        n, h = case.split("-", 1)[1].lower().split("x")
        spec = importlib.util.spec_from_file_location("silkgrid_bench_build", HERE / "build.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return load_scenario(mod.synthetic_scenario(int(n), int(h), 1))
    raise SystemExit(f"unknown case {case!r}: use corridor-<resolution> or synthetic-<N>x<H>")


def solve(lp, presolve: bool, time_limit: float, log: bool) -> dict:
    cost, clo, cup, rlo, rup = lp.arrays()
    a = lp.matrix()
    h = new_highs()
    configure(h, SolverOptions(algorithm="ipm", presolve=presolve, time_limit_s=time_limit, log=log))
    t = time.perf_counter()
    pass_arrays(h, a, cost, clo, cup, rlo, rup)
    handoff = time.perf_counter() - t
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    obj = float(info.objective_function_value) + lp.objective_constant if status == "Optimal" else None
    return {"status": status, "seconds": seconds, "handoff": handoff, "ipm": int(info.ipm_iteration_count),
            "objective": obj, "cols": lp.n_cols, "rows": lp.n_rows, "nnz": int(a.nnz),
            "max_col_nnz": int(a.getnnz(axis=0).max())}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", nargs="+", default=list(DEFAULT_CASES))
    p.add_argument("--windows", nargs="+", type=int, default=[24, 168], help="snapshots per copy")
    p.add_argument("--presolve", nargs="+", choices=["on", "off"], default=["on", "off"])
    p.add_argument("--time-limit", type=float, default=300.0, help="per solve, seconds")
    p.add_argument("--log", action="store_true", help="show the HiGHS logs")
    args = p.parse_args(argv)

    rows = []
    for case in args.cases:
        t = time.perf_counter()
        built = build_model(load_case(case))
        lp = built.lp
        print(f"{case}: load+build {time.perf_counter() - t:.1f} s, {lp.n_cols:,} cols, {lp.n_rows:,} rows, "
              f"{int((lp.col_time() == -1).sum())} horizon-spanning columns", flush=True)
        versions = [("original", lp)]
        for w in args.windows:
            t = time.perf_counter()
            s = split_dense_columns(lp, w)
            print(f"  split window {w}: {time.perf_counter() - t:.2f} s, +{s.dense_split.copies.size:,} copies",
                  flush=True)
            versions.append((f"split {w}", s))
        ref = None
        for pre in args.presolve:
            for name, version in versions:
                r = solve(version, pre == "on", args.time_limit, args.log)
                if ref is None and r["objective"] is not None:
                    ref = r["objective"]
                rel = "" if r["objective"] is None or ref is None else f"{abs(r['objective'] - ref) / abs(ref):.1e}"
                row = (case, name, pre, f"{r['cols']:,}", f"{r['rows']:,}", f"{r['nnz']:,}", f"{r['max_col_nnz']:,}",
                       r["status"], f"{r['seconds']:.1f}", str(r["ipm"]),
                       "" if r["objective"] is None else f"{r['objective']:.6f}", rel)
                rows.append(row)
                print("  " + "  ".join(row[1:]) + f"  (hand-off {r['handoff']:.2f} s)", flush=True)
        del versions, built, lp

    headers = ("case", "LP", "presolve", "columns", "rows", "nonzeros", "max nnz/col", "status",
               "IPX wall s", "IPM iter", "objective MEUR/yr", "rel. diff")
    print()
    print("HiGHS IPX (no crossover), original vs dense columns split per window of snapshots")
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
