"""Aggregation-error benchmark: time segmentation against the hourly optimum.

Solves the packaged corridor scenario on a few weeks of hourly data, then again on
``N`` chronological segments (``silkgrid.model.aggregate.segment_snapshots``) for several
``N``, and prints for each: segmentation and solve seconds, the objective, its relative
error against hourly, and how far the new capacities move (total new GW by carrier for
generators, storage power and links, and the largest single capacity difference).

    .venv/bin/python benchmarks/aggregation_error.py                        # 4 weeks of January
    .venv/bin/python benchmarks/aggregation_error.py --segments 24 96 336 --method ipm
    .venv/bin/python benchmarks/aggregation_error.py --start 2030-07-01 --end 2030-07-28

The default range (28 days = 672 h) solves hourly in about 40 s with primal simplex on a
2-core machine (dual simplex about 70 s, IPM about 77 s).  Timings vary by up to ~2x when
anything else runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402

from silkgrid.model.aggregate import segment_snapshots  # noqa: E402
from silkgrid.model.arrays import build_arrays  # noqa: E402
from silkgrid.model.build import build_model  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402
from silkgrid.scenario.schema import SolverOptions  # noqa: E402
from silkgrid.solve.lp import solve_lp  # noqa: E402

METHODS = {
    "primal": SolverOptions(method="simplex", simplex_strategy="primal"),
    "dual": SolverOptions(method="simplex", simplex_strategy="dual"),
    "ipm": SolverOptions(method="ipm"),
}


def run(sc, snapshots, options: SolverOptions) -> dict:
    """Build and solve on ``snapshots``; new capacities in GW (storage energy GWh) by element."""
    built = build_model(build_arrays(sc, snapshots=snapshots))
    sol = solve_lp(built.lp, options)
    if not sol.optimal:
        raise SystemExit(f"{len(snapshots)} snapshots: solver status {sol.status}")
    a, var = built.arrays, built.lp.variables
    x = sol.x
    caps = {}
    for family, ids, key, carriers in (("gen", a.gen_ids, "gen_new", a.gen_carrier),
                                       ("sto_power", a.sto_ids, "sto_power_new", a.sto_technology),
                                       ("link", a.link_ids, "link_new", ["link"] * len(a.link_ids))):
        values = x[var[key]]
        for i, c, v in zip(ids, carriers, values):
            caps[(family, c, i)] = float(v)
    energy = {i: float(v) for i, v in zip(a.sto_ids, x[var["sto_energy_new"]])}
    return {"objective": sol.objective + built.lp.objective_constant, "lp_objective": sol.objective,
            "seconds": sol.seconds,
            "build_seconds": built.build_seconds, "caps": caps, "energy": energy,
            "cols": built.lp.n_cols}


def by_group(caps: dict) -> dict:
    """Total new GW per (family, carrier or technology)."""
    out: dict = {}
    for (family, group, _), v in caps.items():
        key = f"{family}:{group}" if family != "link" else "links"
        out[key] = out.get(key, 0.0) + v
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--start", default="2030-01-01")
    p.add_argument("--end", default="2030-01-28", help="inclusive end date")
    p.add_argument("--segments", nargs="+", type=int, default=[12, 24, 48, 96, 168, 336])
    p.add_argument("--method", choices=list(METHODS), default="primal")
    p.add_argument("--engine", choices=["ward", "tsam"], default="ward")
    args = p.parse_args(argv)
    options = METHODS[args.method]

    t0 = time.perf_counter()
    sc = load_scenario({"extends": "corridor", "time": {"subset": {"start": args.start, "end": args.end}}})
    hourly_snaps = segment_snapshots(sc, 10**9)
    hours = int(hourly_snaps.duration_h.sum())
    print(f"corridor {args.start}..{args.end}: {hours} h, load {time.perf_counter() - t0:.1f} s, "
          f"HiGHS {args.method}, engine {args.engine}", flush=True)
    ref = run(sc, hourly_snaps, options)
    print(f"  hourly: {ref['cols']:,} columns, solve {ref['seconds']:.1f} s", flush=True)

    rows, groups = [], {"hourly": by_group(ref["caps"])}
    for n in sorted(set(args.segments)):
        t = time.perf_counter()
        snaps = segment_snapshots(sc, n, engine=args.engine)
        seg_s = time.perf_counter() - t
        r = run(sc, snaps, options)
        print(f"  {n} segments: segmentation {seg_s:.2f} s, solve {r['seconds']:.1f} s", flush=True)
        diffs = {k: r["caps"][k] - ref["caps"][k] for k in ref["caps"]}
        worst = max(diffs, key=lambda k: abs(diffs[k]))
        e_diff = {k: r["energy"][k] - ref["energy"][k] for k in ref["energy"]}
        e_worst = max(e_diff, key=lambda k: abs(e_diff[k])) if e_diff else None
        groups[str(n)] = by_group(r["caps"])
        rows.append((str(n), f"{seg_s:.2f}", f"{r['seconds']:.1f}", f"{r['objective']:.2f}",
                     f"{(r['objective'] - ref['objective']) / abs(ref['objective']):+.2%}",
                     f"{(r['lp_objective'] - ref['lp_objective']) / abs(ref['lp_objective']):+.2%}",
                     f"{sum(v for k, v in diffs.items() if k[0] == 'gen'):+.2f}",
                     f"{diffs[worst]:+.2f} {worst[2]}",
                     f"{e_diff[e_worst]:+.2f} {e_worst}" if e_worst and abs(e_diff[e_worst]) > 5e-3 else "0.00"))

    head = ("segments", "segment s", "solve s", "cost MEUR/yr", "rel. err cost", "rel. err opt.",
            "d new gen GW",
            "largest d capacity GW", "largest d storage GWh")
    ref_row = ("hourly", "-", f"{ref['seconds']:.1f}", f"{ref['objective']:.2f}", "ref", "ref", "-", "-", "-")
    print_table(head, [ref_row, *rows])
    print()
    keys = sorted({k for g in groups.values() for k in g})
    print_table(("new GW", *groups), [(k, *(f"{g.get(k, 0.0):.2f}" for g in groups.values())) for k in keys])
    print("\ncost = optimised objective + fixed yearly cost of existing capacity, MEUR/yr (annualised); "
          "'opt.' = the optimised part alone; 'd' = segmented minus hourly.")
    return 0


def print_table(head: tuple, rows: list[tuple]) -> None:
    """Plain-text table, columns right-aligned except the first."""
    widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(len(head))]
    fmt = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                              for i, (c, w) in enumerate(zip(r, widths)))
    print(fmt(head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(fmt(r))


if __name__ == "__main__":
    raise SystemExit(main())
