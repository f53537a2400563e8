"""A sweep of the 12-hour corridor on a local Dask cluster: wall time and per-run overhead (issue #18).

    .venv/bin/python benchmarks/sweep.py [--points 100] [--workers 2] [--resolution 12h] [--out DIR]

The sweep crosses the Caspian cable's capex (factors 0.6-1.5) with the CO2 price (0-135 EUR/t) on
``corridor-2035`` at 12-hour snapshots (``--points`` 100 = 10 x 10).  It first times one plain run of
the first point (``silkgrid.workflows.run`` in this process, the same outputs), then the whole sweep
(``run_sweep``: validation, keys, the cluster's start, every run and the catalog), then the same
sweep again (everything finished: the resume path).  Overhead per run = sweep wall time x workers /
points - the plain run's time: what the engine adds to each run (cluster, task transfer, records,
catalog) when the workers are busy all the time.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--resolution", default="12h")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    import numpy as np

    from silkgrid.workflows import RunSpec, run
    from silkgrid.workflows.catalog import query
    from silkgrid.workflows.sweep_run import run_sweep
    from silkgrid.workflows.sweep_spec import load_sweep

    n1 = max(1, int(math.isqrt(a.points)))
    n2 = max(1, a.points // n1)
    sweep = {"name": "bench-caspian-capex-co2", "base": "corridor-2035", "resolution": a.resolution,
             "axes": [{"path": "links.caspian_hvdc.capex_eur_per_mw_km", "factors": np.round(
                          np.linspace(0.6, 1.5, n1), 3).tolist()},
                      {"path": "policies.co2_price_eur_per_t", "values": np.round(np.linspace(0, 135, n2), 1).tolist()}]}
    out = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="silkgrid-sweep-bench-"))
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    plan = load_sweep(sweep)
    validate_s = time.perf_counter() - t0
    p0 = plan.points[0]
    t0 = time.perf_counter()
    run(RunSpec(scenario=p0.scenario, out=str(out.parent / (out.name + "-plain")), solver={"workers": 1}))
    plain_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = run_sweep(plan, out, workers=a.workers)
    wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = run_sweep(plan, out, workers=a.workers)
    resume_s = time.perf_counter() - t0
    runs = query(out, "SELECT status, seconds FROM plan_runs")
    n = len(plan.points)
    per_run = wall * a.workers / n
    print(f"{n} points ({n1} Caspian capex factors x {n2} CO2 prices), corridor-2035 at {a.resolution}, "
          f"{a.workers} local workers")
    print(f"validate all points      {validate_s:8.1f} s  ({validate_s / n * 1000:.0f} ms a point)")
    print(f"plain run of one point   {plain_s:8.1f} s")
    print(f"sweep wall time          {wall:8.1f} s  ({n / wall * 60:.1f} runs/min); done {res.progress.done}, "
          f"failed {res.progress.failed}")
    print(f"run time inside workers  {runs['seconds'].mean():8.1f} s mean, {runs['seconds'].median():.1f} median")
    print(f"wall x workers / points  {per_run:8.1f} s  -> overhead per run {per_run - plain_s:+.1f} s "
          f"({(per_run / plain_s - 1):+.0%} of a plain run)")
    print(f"resume (all finished)    {resume_s:8.1f} s; ran {len(again.ran)}, skipped {again.progress.skipped}")
    print(f"statuses: {runs['status'].value_counts().to_dict()}; catalog {out / 'catalog.duckdb'}")
    return 0 if res.progress.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
