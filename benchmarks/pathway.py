"""The corridor pathway: solve time and memory against the number of periods (issue #17).

    .venv/bin/python benchmarks/pathway.py [--resolution 1h] [--periods 1 2 4 7] [--method decomposed]
                                           [--gap 0.001] [--time-limit 1800] [--workers 2]

For each count N, a pathway of N periods between 2030 and 2050 (the corridor data set's years:
1 -> 2035; 2 -> 2030, 2050; 4 -> 2030, 2037, 2043, 2050; 7 -> 2030, 2033, 2037, 2040, 2043, 2047, 2050;
any other N: evenly spread) with perfect foresight is built and solved in a fresh process, which
reports wall time, the solver's own time, the LP size, the proven gap and its peak memory (max
RSS, MB).  Prints one row per N and the time per period.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time

import numpy as np

YEARS = {1: [2035], 2: [2030, 2050], 4: [2030, 2037, 2043, 2050], 7: [2030, 2033, 2037, 2040, 2043, 2047, 2050]}


def periods_for(n: int) -> list[int]:
    return YEARS.get(n) or [int(round(y)) for y in np.linspace(2030, 2050, n)]


def _run(n: int, args: dict, conn) -> None:
    import silkgrid

    periods = periods_for(n)
    years = [b - a for a, b in zip(periods, periods[1:])] + [10]
    d = {"pathway": {"periods": periods, "years": years},
         "scenario": {"extends": {"dataset": "corridor"}, "time": {"resolution": args["resolution"]}}}
    opts = {"method": args["method"], "gap": args["gap"], "time_limit_s": args["time_limit"]}
    if args["method"] == "monolithic":
        opts = {"method": "monolithic", "algorithm": "clarabel", "time_limit_s": args["time_limit"]}
    if args["workers"]:
        opts["workers"] = args["workers"]
    t0 = time.perf_counter()
    res = silkgrid.solve_pathway(d, options=opts)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    links = res.vintages[(res.vintages["kind"] == "link") & (res.vintages["built_mw"] > 0)]
    conn.send({"n": n, "periods": periods, "status": res.status, "wall_s": wall,
               "solve_s": res.solver.get("solve_seconds"), "variables": res.solver.get("variables"),
               "gap": res.solver.get("gap"), "peak_mb": rss, "worker_peak_mb": kids,
               "cost_pv_eur": res.summary.get("total_cost_pv_eur"),
               "black_sea_mw": float(links.loc[links["id"] == "black_sea_hvdc", "built_mw"].sum()),
               "caspian_mw": float(links.loc[links["id"] == "caspian_hvdc", "built_mw"].sum())})
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resolution", default="1h")
    ap.add_argument("--periods", type=int, nargs="+", default=[1, 2, 4, 7])
    ap.add_argument("--method", default="decomposed", choices=["decomposed", "monolithic"])
    ap.add_argument("--gap", type=float, default=0.001)
    ap.add_argument("--time-limit", type=float, default=1800.0)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    args = {"resolution": a.resolution, "method": a.method, "gap": a.gap, "time_limit": a.time_limit,
            "workers": a.workers}
    print(f"corridor pathway, {a.resolution} snapshots, {a.method}" + (f", gap {a.gap:.1%}" if a.method ==
                                                                     "decomposed" else ""))
    print(f"{'N':>2} {'periods':<38} {'status':<10} {'wall s':>8} {'solve s':>8} {'s/period':>9} "
          f"{'variables':>11} {'gap':>8} {'peak MB':>8} {'workers MB':>10} {'BS MW':>7} {'Casp MW':>8}")
    ctx = mp.get_context("spawn")
    rows = []
    for n in a.periods:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_run, args=(n, args, send))
        proc.start()
        send.close()
        try:
            r = recv.recv()
        except EOFError:
            print(f"{n:>2} failed (exit code {proc.join() or proc.exitcode})")
            continue
        proc.join()
        rows.append(r)
        gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
        print(f"{n:>2} {str(r['periods']):<38} {r['status']:<10} {r['wall_s']:8.1f} {r['solve_s'] or 0:8.1f} "
              f"{r['wall_s'] / n:9.1f} {r['variables']:11,} {gap:>8} {r['peak_mb']:8.0f} {r['worker_peak_mb']:10.0f} "
              f"{r['black_sea_mw']:7.0f} {r['caspian_mw']:8.0f}")
    print(json.dumps(rows))
    return 0 if all(r["status"] == "optimal" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
