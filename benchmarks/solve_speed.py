"""Solve-speed benchmark: the packaged corridor scenario with several HiGHS methods.

Builds the corridor LP once per time resolution and solves it with each HiGHS variant on a
fresh solver instance (same presolve and tolerances as ``silkgrid.solve``, only the method
changes).  Prints wall seconds, iterations, the objective and its relative difference to a
vertex (simplex) reference of the same resolution.

    .venv/bin/python benchmarks/solve_speed.py                      # 24h and 12h, all variants
    .venv/bin/python benchmarks/solve_speed.py --resolutions 6h --variants ipx simplex-primal
    .venv/bin/python benchmarks/solve_speed.py --log                # HiGHS logs on stderr/stdout

Timings on a 2-core machine vary by up to ~2x when anything else runs; compare variants of
one run, not across runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import highspy  # noqa: E402

from silkgrid.model.build import build_model  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402
from silkgrid.scenario.schema import SolverOptions  # noqa: E402
from silkgrid.solve.highs import configure, new_highs, pass_lp  # noqa: E402

#: name -> (SolverOptions fields, extra raw HiGHS options)
VARIANTS: dict[str, tuple[dict, dict]] = {
    "ipx": ({"method": "ipm"}, {}),  # the silkgrid default: IPX, no crossover
    "ipx+crossover": ({"method": "ipm", "crossover": True}, {}),
    "simplex-dual": ({"method": "simplex"}, {}),  # HiGHS default simplex (serial dual)
    "simplex-pami": ({"method": "simplex"}, {"simplex_strategy": 3}),  # dual, PAMI
    "simplex-primal": ({"method": "simplex"}, {"simplex_strategy": 4}),
    # HiPO (direct-factorisation IPM) needs the highspy-extras package of the same version
    "hipo": ({"method": "ipm"}, {"solver": "hipo"}),
}
#: Variants whose solution is a vertex (used as the reference, in this order of preference).
REFERENCE = ("simplex-primal", "simplex-pami", "simplex-dual", "ipx+crossover")


def solve_variant(lp, name: str, time_limit: float, log: bool) -> dict:
    fields, raw = VARIANTS[name]
    h = new_highs()
    configure(h, SolverOptions(**fields, log=log, time_limit_s=time_limit))
    for key, value in raw.items():
        if h.setOptionValue(key, value) == highspy.HighsStatus.kError:
            return {"status": f"unavailable ({key}={value})"}
    pass_lp(h, lp)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    if status == "Optimal" and name == "hipo" and info.ipm_iteration_count == 0:
        status = "Optimal (HiPO unavailable?)"
    obj = info.objective_function_value if status.startswith("Optimal") else None
    return {"status": status, "seconds": seconds, "objective": obj,
            "iterations": f"ipm {info.ipm_iteration_count}, spx {info.simplex_iteration_count}"
                          + (f", cx {info.crossover_iteration_count}" if info.crossover_iteration_count else "")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--resolutions", nargs="+", default=["24h", "12h"])
    p.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument("--time-limit", type=float, default=300.0, help="per solve, seconds")
    p.add_argument("--log", action="store_true", help="show the HiGHS logs")
    args = p.parse_args(argv)

    rows = []
    for res in args.resolutions:
        t0 = time.perf_counter()
        sc = load_scenario({"extends": "corridor", "time": {"resolution": res}})
        t1 = time.perf_counter()
        built = build_model(sc)
        t2 = time.perf_counter()
        lp = built.lp
        print(f"{res}: load {t1 - t0:.1f} s, build {t2 - t1:.2f} s, {lp.n_cols:,} cols, "
              f"{lp.n_rows:,} rows", flush=True)
        out = {}
        for name in args.variants:
            out[name] = r = solve_variant(lp, name, args.time_limit, args.log)
            print(f"  {name:15s} {r['status']:12s} {r.get('seconds', float('nan')):8.1f} s  "
                  f"{r.get('iterations', '')}", flush=True)
        ref_name = next((n for n in REFERENCE if out.get(n, {}).get("objective") is not None), None)
        ref = out[ref_name]["objective"] if ref_name else None
        for name, r in out.items():
            obj = r.get("objective")
            rel = "" if obj is None or ref is None else f"{abs(obj - ref) / abs(ref):.1e}"
            rows.append((res, name, r["status"], f"{r['seconds']:.1f}" if "seconds" in r else "",
                         r.get("iterations", ""), "" if obj is None else f"{obj + lp.objective_constant:.6f}",
                         rel + (" (ref)" if name == ref_name else "")))

    headers = ("resolution", "variant", "status", "wall s", "iterations", "objective MEUR/yr",
               "rel. diff to ref")
    try:
        from rich.console import Console
        from rich.table import Table
        table = Table(title="SilkGrid corridor: HiGHS solve time by method")
        for i, h in enumerate(headers):
            table.add_column(h, justify="right" if i in (3, 5, 6) else "left")
        for row in rows:
            table.add_row(*row)
        Console(width=140).print(table)
    except ImportError:  # pragma: no cover
        print(" | ".join(headers))
        for row in rows:
            print(" | ".join(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
