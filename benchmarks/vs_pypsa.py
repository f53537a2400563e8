"""Benchmark: SilkGrid vs PyPSA on the same synthetic N-node x H-hour problem.

    .venv/bin/python benchmarks/vs_pypsa.py                          # 4x720, 8x2190, 12x8760
    .venv/bin/python benchmarks/vs_pypsa.py --cases 4x720 8x2190 --time-limit 300
    .venv/bin/python benchmarks/vs_pypsa.py --variants silkgrid pypsa   # pick runs by name
    .venv/bin/python benchmarks/vs_pypsa.py --pypsa-io-api direct      # linopy -> highspy in memory

The scenario is the generator of ``benchmarks/build.py`` (``synthetic_scenario``, seed 1),
made expressible in PyPSA: the country CO2 cap and the minimum renewable share (which
``to_network`` refuses) are replaced by one system-wide CO2 cap of the same kind (30 % of an
all-gas supply of total demand).  Both tools solve exactly this scenario.  The links are
extendable, lossy and bidirectional, so the PyPSA network is exported with
``to_network(sc, tie_links=True)`` and optimised with
``extra_functionality=link_capacity_ties`` (see docs/interop.md).

Every run is a separate child process (this script with ``--child``):

* wall time is measured inside the child from the start of the work, after imports and
  after generating the raw scenario dict (numpy, identical for both).  SilkGrid's path:
  ``silkgrid.solve.api.solve(raw_dict, options=...)`` = validate + arrays + LP build + solver
  + results.  PyPSA's path: ``to_network(raw_dict)`` (validates the same dict) + ``n.optimize``
  = linopy model build + hand-off to HiGHS + HiGHS + solution write-back.  Import time is
  reported separately;
* peak memory is the child's ``ru_maxrss`` (from ``os.wait4``, so it is known for killed
  children too), i.e. including the interpreter and imports;
* ``--time-limit`` seconds per run (imports included): the child is killed and the table
  says "time limit".

The ``silkgrid`` baseline is SilkGrid on HiGHS IPX, the solver PyPSA runs;
``silkgrid-clarabel`` is SilkGrid's default LP algorithm and ``silkgrid-decomposed`` its Benders
method.  HiGHS settings for PyPSA are read back from a HiGHS instance configured by SilkGrid's own
``silkgrid.solve.highs.configure(SolverOptions(algorithm="ipm"))``: interior point (IPX), crossover off,
presolve on, the same feasibility / optimality tolerances and thread setting.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

_T_START = time.perf_counter()  # child: import time is measured from here
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

# ----------------------------------------------------------------------------------------
# Runs.  Each SilkGrid variant is (name, options dict passed as
# ``silkgrid.solve.api.solve(scenario, options=<dict>)``).  The dict is the only thing to
# edit, and adding a variant is one line.
#
# SolverOptions: ``method`` is the strategy (auto | monolithic | decomposed | aggregated),
# ``algorithm`` the LP algorithm (HiGHS's ipm | simplex | pdlp | choose, or clarabel).  (Before that
# rename ``method`` was the LP algorithm; with such a schema write {} for the baseline.)
# More variants, e.g.:
#     ("silkgrid-simplex",    {"method": "monolithic", "algorithm": "simplex"}),
#     ("silkgrid-aggregated", {"method": "aggregated"}),
# An option the installed schema does not know is caught in the child (pydantic
# ValidationError or anything else) and its message is printed in the table instead of a
# result; the other runs go on.
# ----------------------------------------------------------------------------------------
SILKGRID_VARIANTS: list[tuple[str, dict]] = [
    ("silkgrid", {"method": "monolithic", "algorithm": "ipm"}),  # one LP, IPX, no crossover: PyPSA's solver
    ("silkgrid-clarabel", {"method": "monolithic", "algorithm": "clarabel"}),  # one LP, SilkGrid's default
    ("silkgrid-decomposed", {"method": "decomposed", "gap": 0.001}),
]
#: The PyPSA run (one); its HiGHS options mirror SilkGrid's defaults (see ``highs_settings``).
PYPSA_VARIANT = "pypsa"
#: SilkGrid variant the PyPSA run is compared with (ratio, objective difference).
BASELINE = "silkgrid"
DEFAULT_CASES = ("4x720", "8x2190", "12x8760")
RESULT_TAG = "@@VS_PYPSA_RESULT@@"


def _load_build_module():
    """benchmarks/build.py as a module (loaded by path: a top-level name 'build' could clash)."""
    spec = importlib.util.spec_from_file_location("silkgrid_bench_build", HERE / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def comparable_scenario(n_nodes: int, hours: int, seed: int = 1) -> dict:
    """The synthetic scenario of benchmarks/build.py with policies PyPSA can express."""
    raw = _load_build_module().synthetic_scenario(n_nodes, hours, seed)
    total_demand_mwh = sum(float(ld["demand_mw"].sum()) for ld in raw["loads"])
    pol = dict(raw["policies"])
    pol.pop("co2_cap_t_by_country", None)
    pol.pop("min_renewable_share", None)
    pol["co2_cap_t"] = 0.3 * 0.2 / 0.55 * total_demand_mwh  # 30 % of an all-gas supply
    raw["policies"] = pol
    raw["name"] = raw["name"] + "-pypsa-comparable"
    return raw


def highs_settings() -> dict:
    """The HiGHS options SilkGrid's SolverOptions(algorithm="ipm") set, read back from HiGHS itself."""
    import highspy

    from silkgrid.scenario.schema import SolverOptions
    from silkgrid.solve.highs import configure, new_highs

    h = new_highs()
    configure(h, SolverOptions(algorithm="ipm"))
    keys = ("solver", "run_crossover", "presolve", "primal_feasibility_tolerance",
            "dual_feasibility_tolerance", "ipm_optimality_tolerance", "simplex_strategy", "threads")
    out = {}
    for k in keys:
        status, value = h.getOptionValue(k)
        if status == highspy.HighsStatus.kOk:
            out[k] = value
    if not out.get("threads"):
        out.pop("threads", None)  # 0 = HiGHS's default; leave it to HiGHS on both sides
    out["output_flag"] = False
    return out


# ----------------------------------------------------------------------------------------
# child
# ----------------------------------------------------------------------------------------
def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 ** 2 if sys.platform == "darwin" else peak / 1024.0


def run_child(spec: dict) -> dict:
    kind = spec["kind"]
    # imports (timed, reported separately)
    import numpy  # noqa: F401

    if kind == "silkgrid":
        from silkgrid.solve.api import solve
    else:
        import pypsa  # noqa: F401

        from silkgrid.interop.pypsa import link_capacity_ties, to_network
    _load_build_module()
    t_import = time.perf_counter() - _T_START
    out: dict = {"import_s": t_import, "rss_after_imports_mb": _peak_mb()}
    n_nodes, hours = spec["nodes"], spec["hours"]
    t = time.perf_counter()
    raw = comparable_scenario(n_nodes, hours, spec.get("seed", 1))
    out["generate_s"] = time.perf_counter() - t

    if kind == "silkgrid":
        t0 = time.perf_counter()
        try:
            res = solve(raw, options=spec["options"])
        except Exception as exc:  # unknown option (pydantic) or anything else: report, don't crash
            traceback.print_exc()
            out["error"] = f"{type(exc).__name__}: {_one_line(exc)}"
            return out
        out["wall_s"] = time.perf_counter() - t0
        solver = getattr(res, "solver", {}) or {}
        out.update(status=res.status, objective=res.objective,
                   variables=solver.get("variables"), constraints=solver.get("constraints"),
                   build_s=solver.get("build_seconds"), solve_s=solver.get("solve_seconds"),
                   iterations=solver.get("iterations"))
    else:
        opts = highs_settings()
        t0 = time.perf_counter()
        n = to_network(raw, tie_links=True)
        t1 = time.perf_counter()
        kw = {"io_api": spec["io_api"]} if spec.get("io_api") else {}
        status, condition = n.optimize(solver_name="highs", solver_options=opts,
                                       extra_functionality=link_capacity_ties, **kw)
        t2 = time.perf_counter()
        out.update(wall_s=t2 - t0, network_s=t1 - t0, optimize_s=t2 - t1,
                   status=f"{status}/{condition}", highs_options=opts,
                   objective=float(n.objective) if status == "ok" else None,
                   variables=int(n.model.nvars), constraints=int(n.model.ncons))
    out["peak_mb"] = _peak_mb()
    return out


def _one_line(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def child_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    try:
        out = run_child(spec)
    except Exception as exc:
        traceback.print_exc()
        out = {"error": f"{type(exc).__name__}: {_one_line(exc)}"}
    print(RESULT_TAG + json.dumps(out, default=str), flush=True)
    return 0


# ----------------------------------------------------------------------------------------
# parent
# ----------------------------------------------------------------------------------------
def spawn(spec: dict, time_limit: float, log_dir: Path | None, *, script: Path | None = None,
          tag: str = RESULT_TAG) -> dict:
    """Run one child (``script --child SPEC``, default this file); kill it after ``time_limit`` s.
    Its result is the line after ``tag``; peak RSS comes from ``os.wait4``."""
    with tempfile.TemporaryFile("w+") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script or Path(__file__).resolve()), "--child", json.dumps(spec)],
                                stdout=log, stderr=subprocess.STDOUT, cwd=str(HERE.parent))
        killed = False
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > time_limit:
                proc.kill()
                _, status, ru = os.wait4(proc.pid, 0)
                killed = True
                break
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped
        elapsed = time.perf_counter() - t0
        log.seek(0)
        text = log.read()
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / f"{spec['case']}-{spec['name']}.log").write_text(text)
    peak = ru.ru_maxrss / (1024.0 ** 2 if sys.platform == "darwin" else 1024.0)
    out: dict = {}
    for line in text.splitlines():
        if line.startswith(tag):
            out = json.loads(line[len(tag):])
    out["child_s"] = elapsed
    out["peak_mb"] = peak  # the child's high-water mark, from the kernel
    if killed:
        out["killed"] = True
    elif not out or ("wall_s" not in out and "error" not in out):
        tail = " | ".join(text.strip().splitlines()[-2:])
        out["error"] = f"child exit {proc.returncode}: {tail[-160:]}"
    return out


def parse_case(case: str) -> tuple[int, int]:
    n, h = case.lower().split("x")
    return int(n), int(h.replace(",", "").replace("_", ""))


def fmt_num(v, spec: str = ",.0f") -> str:
    return "" if v is None else format(v, spec)


def main(argv: list[str] | None = None) -> int:
    names = [n for n, _ in SILKGRID_VARIANTS] + [PYPSA_VARIANT]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", nargs="+", default=list(DEFAULT_CASES), help="NODESxHOURS, e.g. 4x720")
    p.add_argument("--variants", nargs="+", default=names, choices=names)
    p.add_argument("--time-limit", type=float, default=600.0, help="per run (child process), seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pypsa-io-api", default=None, choices=["lp", "mps", "direct"],
                   help="linopy -> HiGHS transfer (default: linopy's default, an LP file)")
    p.add_argument("--logs", type=Path, default=None, help="write each child's output to this folder")
    args = p.parse_args(argv)

    print(f"HiGHS settings (SilkGrid's ipm baseline, used for PyPSA too): {highs_settings()}", flush=True)
    options = dict(SILKGRID_VARIANTS)
    table = []
    for case in args.cases:
        n_nodes, hours = parse_case(case)
        runs: dict[str, dict] = {}
        for name in args.variants:
            spec = {"case": case, "name": name, "nodes": n_nodes, "hours": hours, "seed": args.seed}
            if name == PYPSA_VARIANT:
                spec.update(kind="pypsa", io_api=args.pypsa_io_api)
            else:
                spec.update(kind="silkgrid", options=options[name])
            r = spawn(spec, args.time_limit, args.logs)
            runs[name] = r
            state = ("time limit" if r.get("killed") else r.get("error") or
                     f"{r.get('status')} {r.get('wall_s', 0):.1f} s obj {fmt_num(r.get('objective'))}")
            extra = ""
            if "network_s" in r:
                extra = f" (to_network {r['network_s']:.1f} s, optimize {r['optimize_s']:.1f} s)"
            elif r.get("build_s") is not None:
                extra = f" (build {r['build_s']:.1f} s, solve {r['solve_s']:.1f} s, {r.get('iterations')})"
            print(f"{case:>8} {name:<22} {state}{extra}; peak {r['peak_mb']:,.0f} MB; "
                  f"imports {r.get('import_s', float('nan')):.1f} s; child total {r['child_s']:.1f} s",
                  flush=True)
        table.append((case, runs))

    print_table(table, args.variants, args.time_limit)
    return 0


def _cell(r: dict | None) -> tuple[str, str, str]:
    if r is None:
        return ("", "", "")
    if r.get("killed"):
        return ("time limit", f"{r['peak_mb']:,.0f}", "")
    if "error" in r:  # e.g. an option the installed SolverOptions does not know
        return ("error: " + _one_line(r["error"], 70), "", "")
    obj = r.get("objective")
    status = str(r.get("status", ""))
    wall = f"{r['wall_s']:.1f}" + ("" if status.startswith(("optimal", "ok")) else f" ({status})")
    return (wall, f"{r['peak_mb']:,.0f}", fmt_num(obj))


def print_table(table: list, variants: list[str], time_limit: float) -> None:
    sg_names = [v for v in variants if v != PYPSA_VARIANT]
    headers = ["case", "variables SG / PyPSA", "constraints SG / PyPSA"]
    for v in sg_names:
        headers += [f"{v} wall s", f"{v} peak MB", f"{v} objective EUR"]
    headers += ["PyPSA wall s", "PyPSA peak MB", "PyPSA objective EUR",
                f"wall PyPSA / {BASELINE}", f"|obj diff| / |{BASELINE}|"]
    rows = []
    for case, runs in table:
        base, pyp = runs.get(BASELINE), runs.get(PYPSA_VARIANT)
        sg_ref = next((r for r in runs.values() if r.get("variables")), {}) if base is None else base
        vars_ = f"{fmt_num(sg_ref.get('variables'))} / {fmt_num((pyp or {}).get('variables'))}"
        cons = f"{fmt_num(sg_ref.get('constraints'))} / {fmt_num((pyp or {}).get('constraints'))}"
        row = [case, vars_, cons]
        for v in sg_names:
            row += list(_cell(runs.get(v)))
        row += list(_cell(pyp))
        ratio = diff = ""
        ok = (base and pyp and "wall_s" in base and "wall_s" in pyp
              and not base.get("killed") and not pyp.get("killed"))
        if ok:
            ratio = f"{pyp['wall_s'] / base['wall_s']:.2f}"
            if base.get("objective") is not None and pyp.get("objective") is not None:
                diff = f"{abs(pyp['objective'] - base['objective']) / abs(base['objective']):.1e}"
        elif base and pyp and (base.get("killed") or pyp.get("killed")):
            ratio = f"> {time_limit:.0f} s limit" if pyp.get("killed") and not base.get("killed") else "n/a"
        row += [ratio, diff]
        rows.append(row)

    title = ("SilkGrid vs PyPSA (same scenario; PyPSA and silkgrid on HiGHS IPX, no crossover; wall = whole path after "
             "imports; peak = child ru_maxrss)")
    print()
    print(title)
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        raise SystemExit(child_main(sys.argv[2]))
    raise SystemExit(main())
