"""Benchmark: a multi-period pathway through SilkGrid and through PyPSA (issue #17).

    .venv/bin/python benchmarks/pathway_vs_pypsa.py                         # 8 nodes x 72 h, 1 2 4 7 periods
    .venv/bin/python benchmarks/pathway_vs_pypsa.py --periods 1 2 4 --nodes 8 --hours 168 --time-limit 600
    .venv/bin/python benchmarks/pathway_vs_pypsa.py --variants silkgrid       # SilkGrid on HiGHS IPX alone
    .venv/bin/python benchmarks/pathway_vs_pypsa.py --variants silkgrid-clarabel pypsa --logs /tmp/pw_logs

The pathway: the synthetic scenario of ``benchmarks/build.py`` (seed 1; N nodes x H hours, the same
H hours in every period) as the scenario of every period, with perfect foresight, annuities while
alive (PyPSA's "type II"), the scenario's 7 % rate weighting the periods, and per-period overrides:
demand +50 % and the CO2 price 20 -> 150 EUR/t from 2030 to 2060, wind capex -25 % and solar
capex -40 % (so each vintage pays its own build period's cost).  Periods: 1 -> 2030; 2 -> 2030,
2045; 4 -> 2030, 2040, 2050, 2060; 7 -> 2030, 2035, ..., 2060; any other count evenly spread.

Made exportable by ``silkgrid.interop.pypsa.pathways.to_pypsa_pathway`` (what it refuses is
dropped or reshaped; both tools then solve exactly this pathway):

* dropped: the country CO2 cap and the minimum renewable share (a per-period CO2 cap, a renewable
  share and build-rate limits are refused by the exporter); the CO2 price stays, rising per period;
* dropped: the wind and solar ``max_capacity_mw`` (20 GW per node, not binding at these sizes;
  bounds on an element built in several periods hold on the sum of its vintages, which PyPSA
  cannot bound);
* links lossless (efficiency 1): an extendable link lossy in both directions needs
  ``tie_links``, which the pathway exporter does not offer;
* each link's existing 500 MW is its own fixed element (``<id>-existing``), the extendable link
  starts at 0 MW: the exporter gives a vintage of an extendable element with existing capacity
  that capacity again as ``p_nom_min`` (counted twice, a bug of the pathway exporter);
* batteries are one vintage each (``build_year`` 2030, 40-year life): storage built in several
  periods is refused (PyPSA keeps each vintage's state of charge apart).

Runs, each in a fresh child process (this script with ``--child``), killed at ``--time-limit``:

* ``silkgrid`` / ``silkgrid-clarabel``: ``silkgrid.solve_pathway(d)`` monolithic on HiGHS IPX
  (PyPSA's solver, settings as ``benchmarks/vs_pypsa.py``) / on Clarabel (SilkGrid's default);
* ``silkgrid-decomposed``: ``method: decomposed``, proven gap 0.1 % (2 worker processes);
* ``pypsa``: ``to_pypsa_pathway(d)`` then ``n.optimize(multi_investment_periods=True,
  solver_name="highs")`` with the HiGHS options of SilkGrid's ``ipm`` (IPX, no crossover, same
  tolerances; read back from HiGHS as in vs_pypsa.py).

Wall time is measured inside the child after imports and after generating the pathway dict
(identical for all runs); "build" is SilkGrid's validation + LP build / PyPSA's export + linopy
model + LP file (optimize minus HiGHS's own run time), "solve" the solver's time.  Peak memory is
the child's ``ru_maxrss`` (from ``os.wait4``: interpreter and imports included; the decomposed
method's workers are reported apart).  Exit code 1 when an objective disagrees with PyPSA's: more
than 1e-6 relative for a monolithic solve, or outside [-1e-6, gap + 1e-6] for the decomposed one
(its objective is the upper bound of a proven gap).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import resource
import sys
import time
import traceback
import warnings
from pathlib import Path

_T_START = time.perf_counter()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

SILKGRID_VARIANTS: list[tuple[str, dict]] = [
    ("silkgrid", {"method": "monolithic", "algorithm": "ipm"}),
    ("silkgrid-clarabel", {"method": "monolithic", "algorithm": "clarabel"}),
    ("silkgrid-decomposed", {"method": "decomposed", "gap": 0.001}),
]
PYPSA_VARIANT = "pypsa"
DEFAULT_VARIANTS = ("silkgrid-clarabel", "silkgrid-decomposed", PYPSA_VARIANT)
REL_TOL = 1e-6
PERIODS = {1: [2030], 2: [2030, 2045], 4: [2030, 2040, 2050, 2060], 7: list(range(2030, 2061, 5))}
RESULT_TAG = "@@PATHWAY_VS_PYPSA_RESULT@@"


def _load(name: str):
    """A sibling benchmark script as a module (by path: ``build`` could clash with another module)."""
    spec = importlib.util.spec_from_file_location(f"silkgrid_bench_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def periods_for(n: int) -> list[int]:
    if n in PERIODS:
        return PERIODS[n]
    return [2030] if n == 1 else [int(round(2030 + 30 * k / (n - 1))) for k in range(n)]


def comparable_pathway(n_nodes: int, hours: int, n_periods: int, seed: int = 1) -> dict:
    """The PyPSA-exportable pathway of the module doc."""
    raw = _load("build").synthetic_scenario(n_nodes, hours, seed)
    raw["policies"] = {"co2_price_eur_per_t": raw["policies"]["co2_price_eur_per_t"]}
    for g in raw["generators"]:
        g.pop("max_capacity_mw", None)
    existing = [dict(ln, id=f"{ln['id']}-existing", extendable=False, efficiency=1.0) for ln in raw["links"]]
    for ln in raw["links"]:
        ln.update(efficiency=1.0, capacity_mw=0.0)
    raw["links"] += existing
    periods = periods_for(n_periods)
    y0 = periods[0]
    for s in raw["storage"]:
        s.update(build_year=y0, lifetime_years=40)
    overrides = {}
    for p in periods[1:]:
        f = (p - 2030) / 30.0
        overrides[p] = {
            "loads": [{"id": ld["id"], "demand_mw": ld["demand_mw"] * (1.0 + 0.5 * f)} for ld in raw["loads"]],
            "policies": {"co2_price_eur_per_t": 20.0 + 130.0 * f},
            "technologies": [{"id": "onwind", "capex_eur_per_kw": 1200.0 * (1.0 - 0.25 * f)},
                             {"id": "solar", "capex_eur_per_kw": 550.0 * (1.0 - 0.40 * f)}],
        }
    name = f"synthetic-{n_nodes}x{hours}-{n_periods}p-pypsa-comparable"
    raw["name"] = name
    return {"name": name, "pathway": {"periods": periods, "foresight": "perfect", "end_of_horizon": "annuity"},
            "scenario": raw, "overrides": overrides}


# ----------------------------------------------------------------------------------------
# child
# ----------------------------------------------------------------------------------------
def _mb(ru_maxrss: float) -> float:
    return ru_maxrss / (1024.0 ** 2 if sys.platform == "darwin" else 1024.0)


def run_child(spec: dict) -> dict:
    import numpy  # noqa: F401

    vs = _load("vs_pypsa")
    if spec["kind"] == "silkgrid":
        import silkgrid
    else:
        import pypsa  # noqa: F401

        from silkgrid.interop.pypsa.pathways import to_pypsa_pathway
        warnings.simplefilter("ignore")
        for name in ("pypsa", "linopy", "highspy"):
            logging.getLogger(name).setLevel(logging.ERROR)
    _load("build")
    out: dict = {"import_s": time.perf_counter() - _T_START}
    t = time.perf_counter()
    d = comparable_pathway(spec["nodes"], spec["hours"], spec["periods"], spec.get("seed", 1))
    out["generate_s"] = time.perf_counter() - t

    if spec["kind"] == "silkgrid":
        t0 = time.perf_counter()
        try:
            res = silkgrid.solve_pathway(d, options=spec["options"])
        except Exception as exc:
            traceback.print_exc()
            out["error"] = f"{type(exc).__name__}: {vs._one_line(exc)}"
            return out
        wall = time.perf_counter() - t0
        s = res.solver or {}
        out.update(wall_s=wall, status=res.status, objective=res.objective_pv_eur,
                   variables=s.get("variables"), constraints=s.get("constraints"),
                   solve_s=s.get("solve_seconds"), build_s=wall - (s.get("solve_seconds") or 0.0),
                   gap=s.get("gap"), iterations=s.get("iterations"))
    else:
        opts = vs.highs_settings()
        t0 = time.perf_counter()
        n = to_pypsa_pathway(d)
        t1 = time.perf_counter()
        status, condition = n.optimize(multi_investment_periods=True, solver_name="highs", solver_options=opts)
        t2 = time.perf_counter()
        h = getattr(n.model, "solver_model", None)
        highs_s = float(h.getRunTime()) if h is not None and hasattr(h, "getRunTime") else None
        out.update(wall_s=t2 - t0, network_s=t1 - t0, optimize_s=t2 - t1, status=f"{status}/{condition}",
                   solve_s=highs_s, build_s=(t2 - t0) - highs_s if highs_s is not None else None,
                   objective=float(n.objective) if status == "ok" else None,
                   variables=int(n.model.nvars), constraints=int(n.model.ncons))
    out["peak_mb"] = _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    out["workers_peak_mb"] = _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return out


def child_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    try:
        out = run_child(spec)
    except Exception as exc:
        traceback.print_exc()
        out = {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"}
    print(RESULT_TAG + json.dumps(out, default=str), flush=True)
    return 0


# ----------------------------------------------------------------------------------------
# parent
# ----------------------------------------------------------------------------------------
def spawn(spec: dict, time_limit: float, log_dir: Path | None) -> dict:
    """One child of this script, run and measured as ``vs_pypsa.spawn`` runs its own."""
    return _load("vs_pypsa").spawn(spec, time_limit, log_dir, script=Path(__file__).resolve(), tag=RESULT_TAG)


def fmt(v, spec: str = ",.0f") -> str:
    return "" if v is None else format(v, spec)


def _optimal(r: dict | None) -> bool:
    return bool(r) and not r.get("killed") and str(r.get("status", "")).startswith(("optimal", "ok/optimal"))


def check(name: str, r: dict, ref: dict | None, gap: float) -> tuple[str, bool]:
    """(relative difference to PyPSA's objective as text, whether it agrees)."""
    if not (_optimal(r) and _optimal(ref)) or r.get("objective") is None or ref.get("objective") is None:
        return "", True
    diff = (r["objective"] - ref["objective"]) / abs(ref["objective"])
    if "decomposed" in name:
        ok = -REL_TOL <= diff <= gap + REL_TOL
    else:
        ok = abs(diff) <= REL_TOL
    return f"{diff:+.1e}", ok


def main(argv: list[str] | None = None) -> int:
    names = [n for n, _ in SILKGRID_VARIANTS] + [PYPSA_VARIANT]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--periods", type=int, nargs="+", default=[1, 2, 4, 7])
    p.add_argument("--nodes", type=int, default=8)
    p.add_argument("--hours", type=int, default=72)
    p.add_argument("--variants", nargs="+", default=list(DEFAULT_VARIANTS), choices=names)
    p.add_argument("--time-limit", type=float, default=600.0, help="per run (child process), seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--logs", type=Path, default=None, help="write each child's output to this folder")
    args = p.parse_args(argv)

    options = dict(SILKGRID_VARIANTS)
    gap = float(options["silkgrid-decomposed"].get("gap", 0.001))
    print(f"pathway {args.nodes} nodes x {args.hours} h per period, seed {args.seed}; "
          f"time limit {args.time_limit:.0f} s per run", flush=True)
    rows, bad = [], []
    for np_ in args.periods:
        case = f"{args.nodes}x{args.hours}x{np_}p"
        runs: dict[str, dict] = {}
        for name in args.variants:
            spec = {"case": case, "name": name, "nodes": args.nodes, "hours": args.hours, "periods": np_,
                    "seed": args.seed}
            if name == PYPSA_VARIANT:
                spec["kind"] = "pypsa"
            else:
                spec.update(kind="silkgrid", options=options[name])
            r = spawn(spec, args.time_limit, args.logs)
            runs[name] = r
            state = ("time limit" if r.get("killed") else r.get("error") or
                     f"{r.get('status')} wall {r['wall_s']:.1f} s (build {fmt(r.get('build_s'), '.1f')}, "
                     f"solve {fmt(r.get('solve_s'), '.1f')}) obj {fmt(r.get('objective'))}")
            print(f"{case:>12} {name:<20} {state}; peak {r['peak_mb']:,.0f} MB; "
                  f"child total {r['child_s']:.1f} s", flush=True)
        ref = runs.get(PYPSA_VARIANT)
        for name in args.variants:
            if name == PYPSA_VARIANT:
                continue
            diff, ok = check(name, runs[name], ref, gap)
            runs[name]["diff"] = diff
            if not ok:
                bad.append(f"{case} {name}: {diff}")
        rows.append((np_, case, runs))
    print_table(rows, args.variants, args.nodes, args.hours)
    if bad:
        print("OBJECTIVES DISAGREE: " + "; ".join(bad))
        return 1
    return 0


def _cell(r: dict | None) -> str:
    if r is None:
        return ""
    if r.get("killed"):
        return f"time limit ({r['peak_mb']:,.0f} MB)"
    if "error" in r:
        return "error: " + r["error"][:70]
    st = str(r.get("status", ""))
    extra = "" if _optimal(r) else f" ({st})"
    if r.get("gap") is not None:
        extra += f", gap {r['gap']:.2%}"
    split = f" ({fmt(r.get('build_s'), '.1f')} + {fmt(r.get('solve_s'), '.1f')})" if r.get("solve_s") is not None else ""
    if "network_s" in r and r.get("solve_s") is not None:  # PyPSA: export + linopy model and LP file + HiGHS
        split = f" ({r['network_s']:.1f} + {r['optimize_s'] - r['solve_s']:.1f} + {r['solve_s']:.1f})"
    workers = (f" / {r['workers_peak_mb']:,.0f}" if r.get("workers_peak_mb", 0) > 50 else "")
    return f"{r['wall_s']:.1f} s{split}, {r['peak_mb']:,.0f}{workers} MB{extra}"


def print_table(rows: list, variants: list[str], nodes: int, hours: int) -> None:
    sg = [v for v in variants if v != PYPSA_VARIANT]
    headers = ["periods", "variables SG / PyPSA"] + [f"{v}: wall (build + solve), peak" for v in sg]
    if PYPSA_VARIANT in variants:
        headers += ["PyPSA: wall (export + linopy + HiGHS), peak"]
    headers += ["objective PV EUR (PyPSA)"] + [f"{v} vs PyPSA" for v in sg] + [f"optimize PyPSA / {v}" for v in sg]
    print(f"\nPathway {nodes} nodes x {hours} h per period: SilkGrid vs PyPSA multi_investment_periods "
          f"(wall after imports, s; peak = child ru_maxrss, MB, / decomposed workers)")
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for np_, _, runs in rows:
        ref = runs.get(PYPSA_VARIANT)
        base = next((runs[v] for v in sg if runs[v].get("variables")), {})
        row = [str(np_), f"{fmt(base.get('variables'))} / {fmt((ref or {}).get('variables'))}"]
        row += [_cell(runs[v]) for v in sg]
        if ref is not None:
            row.append(_cell(ref))
        obj = (ref or {}).get("objective") or base.get("objective")
        row.append(fmt(obj))
        row += [runs[v].get("diff", "") for v in sg]
        for v in sg:
            r = runs[v]
            ok = ref and "wall_s" in ref and "wall_s" in r and not ref.get("killed") and not r.get("killed")
            if ok:
                row.append(f"{ref['optimize_s'] / r['wall_s']:.1f}")
            elif ref and ref.get("killed") and "wall_s" in r:
                row.append("> limit")
            else:
                row.append("")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        raise SystemExit(child_main(sys.argv[2]))
    raise SystemExit(main())
