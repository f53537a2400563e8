"""Decomposed (Benders over time windows) against monolithic solves of the corridor.

For each case the packaged corridor scenario is solved hourly with ``method: decomposed``
and, where it is small enough, ``method: monolithic`` (HiGHS simplex, the reference), and
the script prints wall time, iterations, the proven bounds and gap, and the relative
difference of the objectives.  The iteration history of every decomposed run (seconds,
lower and upper bound, gap) is written as JSON next to the table with ``--history``.

    .venv/bin/python benchmarks/decomposition.py                       # 2-week and 4-week cases
    .venv/bin/python benchmarks/decomposition.py --cases year --time-limit 1800
    .venv/bin/python benchmarks/decomposition.py --cases 8w --window-hours 336 --workers 2

Cases: ``2w`` (1-14 March), ``4w`` (1-28 March), ``8w`` (1 March - 25 April), ``13w`` and
``26w`` (from 1 January; decomposed only, for the scaling with hours), ``year``
(8,760 h; no monolithic reference: the hourly year LP does not solve in reasonable time on
2 cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import silkgrid  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402

CASES = {
    "2w": ({"start": "2030-03-01", "end": "2030-03-14"}, True),
    "4w": ({"start": "2030-03-01", "end": "2030-03-28"}, True),
    "8w": ({"start": "2030-03-01", "end": "2030-04-25"}, True),
    "13w": ({"start": "2030-01-01", "end": "2030-04-01"}, False),
    "26w": ({"start": "2030-01-01", "end": "2030-07-01"}, False),
    "year": (None, False),
}


def run_case(name: str, args) -> dict:
    subset, with_reference = CASES[name]
    raw = {"extends": "corridor"}
    if subset:
        raw["time"] = {"subset": subset}
    sc = load_scenario(raw)
    row = {"case": name}
    opts = {"method": "decomposed", "gap": args.gap, "window_hours": args.window_hours,
            "warm_start": args.warm_start, "warm_start_segments": args.segments}
    if args.workers:
        opts["workers"] = args.workers
    if args.time_limit:
        opts["time_limit_s"] = args.time_limit
    last = [0.0]

    def show(h: dict) -> None:
        if h["seconds"] - last[0] >= 10 or h["gap"] <= args.gap:
            last[0] = h["seconds"]
            print(f"  [{name}] iteration {h['iteration']:4d}  {h['seconds']:7.1f} s  lower {h['lower']:12.3f}  "
                  f"upper {h['upper']:12.3f}  gap {h['gap']:.3%}", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    dec = silkgrid.solve(sc, options=opts, on_iteration=show)
    row["decomposed_s"] = time.perf_counter() - t0
    s = dec.summary["solver"]
    d = s.get("decomposition", {})
    row.update(status=dec.status, objective=dec.objective, gap=s["gap"], lower=s["lower_bound"],
               upper=s["upper_bound"], iterations=d.get("iterations"), windows=d.get("windows"),
               workers=d.get("workers"), variables=s["variables"], subproblem_s=d.get("subproblem_seconds"),
               master_s=d.get("master_seconds"), warm_start_s=(d.get("warm_start") or {}).get("seconds"),
               history=d.get("history"))
    if with_reference and not args.no_reference:
        t0 = time.perf_counter()
        mono = silkgrid.solve(sc, options={"method": "monolithic", "algorithm": "simplex",
                                           "simplex_strategy": "primal"})
        row["monolithic_s"] = time.perf_counter() - t0
        row["monolithic_objective"] = mono.objective
        if mono.objective and dec.objective:
            row["difference"] = (dec.objective - mono.objective) / abs(mono.objective)
            row["bounds_hold"] = bool(s["lower_bound"] <= mono.objective * (1 + 1e-6)
                                      and s["upper_bound"] >= mono.objective * (1 - 1e-6))
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", nargs="+", default=["2w", "4w"], choices=list(CASES))
    p.add_argument("--gap", type=float, default=1e-3)
    p.add_argument("--window-hours", type=int, default=168)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--segments", type=int, default=None,
                   help="warm-start segments (default: one per 10 modelled hours)")
    p.add_argument("--warm-start", action="store_true", help="start from the aggregated solution")
    p.add_argument("--time-limit", type=float, default=None, help="decomposed solve limit, seconds")
    p.add_argument("--no-reference", action="store_true", help="skip the monolithic reference solves")
    p.add_argument("--history", type=Path, default=None, help="write rows incl. iteration history as JSON")
    args = p.parse_args(argv)

    rows = [run_case(c, args) for c in args.cases]
    head = (f"{'case':<5} {'LP vars':>10} {'windows':>7} {'status':<15} {'decomposed s':>12} {'iter':>5} "
            f"{'gap':>8} {'lower EUR/yr':>16} {'upper EUR/yr':>16} {'monolithic s':>12} {'rel. diff':>10}")
    print(head)
    print("-" * len(head))
    for r in rows:
        mono_s = f"{r['monolithic_s']:12.1f}" if "monolithic_s" in r else f"{'-':>12}"
        diff = f"{r['difference']:+10.2e}" if "difference" in r else f"{'-':>10}"
        gap = f"{r['gap']:8.3%}" if r["gap"] is not None else f"{'-':>8}"
        lo = f"{r['lower']:16,.0f}" if r["lower"] is not None else f"{'-':>16}"
        up = f"{r['upper']:16,.0f}" if r["upper"] is not None else f"{'-':>16}"
        print(f"{r['case']:<5} {r['variables']:>10,} {r['windows']:>7} {r['status']:<15} {r['decomposed_s']:12.1f} "
              f"{r['iterations']:>5} {gap} {lo} {up} {mono_s} {diff}")
    for r in rows:
        extra = ", ".join(f"{k} {r[k]:.1f} s" for k in ("warm_start_s", "subproblem_s", "master_s")
                          if r.get(k) is not None)
        print(f"  {r['case']}: {r['workers']} workers; {extra}"
              + (f"; bounds bracket the monolithic optimum: {r['bounds_hold']}" if "bounds_hold" in r else ""))
    if args.history:
        args.history.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
