"""One corridor design across K weather years: time and memory against K and against the workers (issue #18).

    .venv/bin/python benchmarks/weather_years.py [--years 1 5 10 35] [--resolution 1h] [--workers 2]
                                                 [--gap 0.001] [--time-limit 1800] [--scheduler tcp://HOST:PORT]

For each K the corridor 2035 with ``weather_years: [1..K]`` (K x 8,760 hourly snapshots, one plan for
all of them, each year weighing 1/K) is solved by the decomposed method in a fresh process (windows
across all years; ``--scheduler`` puts them on a Dask cluster's workers).  Prints one row per K: wall
time, LP size, proven gap, peak memory of the main process and of the window workers, the plan
(Caspian and Black Sea cable MW) and the spread across years of EU market sales and unserved energy.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time


def _run(k: int, args: dict, conn) -> None:
    import silkgrid
    from silkgrid.analysis.weather_years import by_year
    from silkgrid.scenario.loader import load_scenario

    t0 = time.perf_counter()
    sc = load_scenario({"extends": {"dataset": "corridor", "year": 2035, "weather_years": list(range(1, k + 1))},
                        "time": {"resolution": args["resolution"]}})
    load_s = time.perf_counter() - t0
    opts = {"method": "decomposed", "gap": args["gap"], "time_limit_s": args["time_limit"]}
    if args["workers"]:
        opts["workers"] = args["workers"]
    if args["scheduler"]:
        opts["dask_scheduler"] = args["scheduler"]
    t1 = time.perf_counter()
    res = silkgrid.solve(sc, options=opts)
    wall = time.perf_counter() - t1
    solver = res.summary.get("solver") or {}
    links = res.tables["links"].set_index("id")["total_mw"] if res.has_plan else None
    per = by_year(res, sc) if res.has_plan and k > 1 else None
    conn.send({"k": k, "hours": sc.time.hours, "status": res.status, "load_s": load_s, "wall_s": wall,
               "variables": solver.get("variables"), "gap": solver.get("gap"),
               "iterations": (solver.get("decomposition") or {}).get("iterations"),
               "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
               "caspian_mw": None if links is None else float(links.get("caspian_hvdc", 0.0)),
               "black_sea_mw": None if links is None else float(links.get("black_sea_hvdc", 0.0)),
               "eu_sales_twh_min_max": None if per is None else [float(per["eu_market_sales_twh"].min()),
                                                                  float(per["eu_market_sales_twh"].max())],
               "unserved_mwh_max": None if per is None else float(per["unserved_energy_mwh"].max())})
    conn.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", type=int, nargs="+", default=[1, 5, 10, 35])
    ap.add_argument("--resolution", default="1h")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--gap", type=float, default=0.001)
    ap.add_argument("--time-limit", type=float, default=1800.0)
    ap.add_argument("--scheduler", default=None)
    a = ap.parse_args()
    args = {"resolution": a.resolution, "workers": a.workers, "gap": a.gap, "time_limit": a.time_limit,
            "scheduler": a.scheduler}
    print(f"corridor 2035, one design over K weather years, {a.resolution}, decomposed, gap {a.gap:.1%}"
          + (f", windows on {a.scheduler}" if a.scheduler else f", {a.workers or 'default'} workers"))
    print(f"{'K':>3} {'hours':>8} {'status':<10} {'load s':>7} {'wall s':>8} {'s/year':>7} {'variables':>11} "
          f"{'gap':>7} {'iter':>5} {'peak MB':>8} {'wkr MB':>7} {'Casp MW':>8} {'BS MW':>6} {'EU TWh min-max':>15}")
    ctx = mp.get_context("spawn")
    rows = []
    for k in a.years:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_run, args=(k, args, send))
        proc.start()
        send.close()
        try:
            r = recv.recv()
        except EOFError:
            proc.join()
            print(f"{k:>3} failed (exit code {proc.exitcode}: out of memory or killed)")
            continue
        proc.join()
        rows.append(r)
        eu = "-" if r["eu_sales_twh_min_max"] is None else "{:.2f}-{:.2f}".format(*r["eu_sales_twh_min_max"])
        gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
        print(f"{k:>3} {r['hours']:>8,} {r['status']:<10} {r['load_s']:7.1f} {r['wall_s']:8.1f} {r['wall_s'] / k:7.1f} "
              f"{r['variables'] or 0:11,} {gap:>7} {r['iterations'] or 0:5} {r['peak_mb']:8.0f} "
              f"{r['worker_peak_mb']:7.0f} {r['caspian_mw'] or 0:8.0f} {r['black_sea_mw'] or 0:6.0f} {eu:>15}")
    print(json.dumps(rows))
    return 0 if rows and all(r["status"] == "optimal" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
