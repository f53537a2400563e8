"""Benchmark: build the LP of a synthetic N-node x H-hour scenario.

    .venv/bin/python benchmarks/build.py [--nodes 12] [--hours 8760] [--seed 1] [--solve]

The scenario is generated in memory (vectorised numpy, no loops over hours):

* nodes in 4 countries on a synthetic corridor (longitude spread -> solar time shift);
* per node: extendable wind and solar with capacity-factor profiles that have a diurnal and
  seasonal shape plus seeded weather noise; an existing gas plant; an extendable battery
  (4 h); a load with daily/weekly/seasonal shape;
* links: a chain i -> i+1 plus meshing links i -> i+3, all extendable, priced per MW-km;
* an external market at node 0; a CO2 price, a country CO2 cap and a minimum renewable
  share (so every block, the policy rows included, is exercised).

Measured stages: scenario validation (load_scenario), arrays (build_arrays), LP build
(build_model), matrix assembly (LinearProgram.matrix), conversion to a HiGHS model,
and optionally the solve.  Peak memory is reported as the process high-water mark
(ru_maxrss) and, with --tracemalloc, as the traced Python/numpy allocation peak of the
build stages (a second, traced pass; slower).

Targets: arrays + LP build + matrix < 10 s and < 4 GB for 12 nodes x 8,760 h.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from silkgrid.model.arrays import build_arrays  # noqa: E402
from silkgrid.model.build import build_model  # noqa: E402
from silkgrid.scenario.loader import load_scenario  # noqa: E402
from silkgrid.solve.highs import new_highs, pass_lp  # noqa: E402

COUNTRIES = ("KZ", "UZ", "KG", "CN")


# ----------------------------------------------------------------------------------------
# synthetic profiles (vectorised)
# ----------------------------------------------------------------------------------------
def _daily_noise(rng: np.random.Generator, n_nodes: int, days: int, lo: float, hi: float) -> np.ndarray:
    return rng.uniform(lo, hi, size=(n_nodes, days))


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], hours: float) -> np.ndarray:
    """Zero-mean, unit-variance noise with correlation length ~``hours`` (FFT low-pass)."""
    n = shape[1]
    white = rng.standard_normal(shape)
    f = np.fft.rfftfreq(n)
    spectrum = np.fft.rfft(white, axis=1) * np.exp(-(f * hours) ** 2)[None, :]
    out = np.fft.irfft(spectrum, n=n, axis=1)
    out -= out.mean(axis=1, keepdims=True)
    out /= out.std(axis=1, keepdims=True) + 1e-12
    return out


def synthetic_profiles(n_nodes: int, hours: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(hours, dtype=float)
    lon = np.linspace(60.0, 90.0, n_nodes)  # corridor from west to east
    lat = 42.0 + 4.0 * np.sin(np.linspace(0.0, np.pi, n_nodes))
    local_hour = (t[None, :] + (lon[:, None] / 15.0)) % 24.0  # solar time, UTC start
    day = (t // 24).astype(int)
    doy = day % 365
    days = int(day[-1]) + 1
    season = np.cos(2 * np.pi * (doy - 172) / 365.0)  # +1 midsummer, -1 midwinter

    # solar: clear-sky bell between sunrise and sunset (day length varies with season and
    # latitude), daily cloudiness, peak capacity factor ~0.85 in summer
    half_day = 6.0 + (1.5 + 0.03 * (lat[:, None] - 40.0)) * season[None, :]
    elev = np.clip(np.cos(np.pi * (local_hour - 12.0) / (2.0 * half_day)), 0.0, None)
    clouds = _daily_noise(rng, n_nodes, days, 0.45, 1.0)[:, day]
    solar = np.clip(0.85 * elev ** 1.3 * (0.8 + 0.2 * season[None, :]) * clouds, 0.0, 1.0)

    # wind: weather systems (~30 h correlation) + windier winters + weak diurnal cycle,
    # pushed through a logistic "power curve"; mean capacity factor ~0.3
    weather = _smooth_noise(rng, (n_nodes, hours), 30.0)
    diurnal = 0.15 * np.cos(2 * np.pi * (local_hour - 3.0) / 24.0)
    site = rng.uniform(-0.4, 0.4, size=(n_nodes, 1))
    wind = 1.0 / (1.0 + np.exp(-(1.1 * weather - 0.9 - 0.35 * season[None, :] + diurnal + site)))
    wind = np.clip(wind, 0.0, 1.0)

    # load: daily double hump, weekends lower, winter and summer peaks, noise
    weekday = (day % 7) < 5
    daily = (0.85 + 0.1 * np.exp(-((local_hour - 9.0) ** 2) / 8.0)
             + 0.15 * np.exp(-((local_hour - 19.0) ** 2) / 6.0))
    seasonal = 1.0 + 0.12 * np.abs(season)[None, :]
    peak_mw = rng.uniform(800.0, 3000.0, size=(n_nodes, 1))
    noise = 1.0 + 0.03 * _smooth_noise(rng, (n_nodes, hours), 4.0)
    load = peak_mw * daily * seasonal * np.where(weekday, 1.0, 0.9)[None, :] * noise / 1.3

    # market price: gas-driven with a diurnal shape and noise, EUR/MWh
    price = 70.0 + 15.0 * np.cos(2 * np.pi * (t % 24 - 19.0) / 24.0) + 10.0 * season \
        + 8.0 * _smooth_noise(rng, (1, hours), 12.0)[0]
    return {"solar": solar, "wind": wind, "load": load, "price": price, "lon": lon, "lat": lat}


# ----------------------------------------------------------------------------------------
# scenario
# ----------------------------------------------------------------------------------------
def synthetic_scenario(n_nodes: int = 12, hours: int = 8760, seed: int = 1) -> dict:
    prof = synthetic_profiles(n_nodes, hours, seed)
    nodes, gens, sto, loads = [], [], [], []
    for i in range(n_nodes):  # per element, never per hour
        nid = f"N{i:02d}"
        country = COUNTRIES[min(i * len(COUNTRIES) // n_nodes, len(COUNTRIES) - 1)]
        nodes.append({"id": nid, "country": country, "lon": float(prof["lon"][i]), "lat": float(prof["lat"][i])})
        gens += [
            {"id": f"{nid}_wind", "node": nid, "technology": "onwind", "extendable": True,
             "max_capacity_mw": 20000.0, "availability": prof["wind"][i]},
            {"id": f"{nid}_solar", "node": nid, "technology": "solar", "extendable": True,
             "max_capacity_mw": 20000.0, "availability": prof["solar"][i]},
            {"id": f"{nid}_gas", "node": nid, "technology": "ccgt",
             "capacity_mw": float(np.round(prof["load"][i].max() * 0.9, -1)),
             "ramp_limit_up_per_hour": 0.5, "ramp_limit_down_per_hour": 0.5},
        ]
        sto.append({"id": f"{nid}_battery", "node": nid, "technology": "battery", "extendable_power": True,
                    "max_hours": 4.0, "efficiency_charge": 0.95, "efficiency_discharge": 0.95,
                    "standing_loss_per_hour": 0.0001})
        loads.append({"id": f"{nid}_load", "node": nid, "demand_mw": prof["load"][i]})

    pairs = [(i, i + 1) for i in range(n_nodes - 1)] + [(i, i + 3) for i in range(0, n_nodes - 3, 2)]
    links = []
    for a, b in pairs:
        dist = 111.0 * np.hypot((prof["lon"][b] - prof["lon"][a]) * np.cos(np.radians(45.0)),
                                prof["lat"][b] - prof["lat"][a])
        links.append({"id": f"L{a:02d}-{b:02d}", "from_node": f"N{a:02d}", "to_node": f"N{b:02d}",
                      "capacity_mw": 500.0, "extendable": True, "length_km": float(round(dist * 1.2, 1)),
                      "capex_eur_per_mw": 150_000.0, "capex_eur_per_mw_km": 400.0,
                      "fixed_om_pct_per_yr": 1.5, "efficiency": float(1.0 - 0.03 * dist / 1000.0)})

    total_demand_mwh = float(prof["load"].sum())
    used = list(dict.fromkeys(n["country"] for n in nodes))
    return {
        "name": f"synthetic-{n_nodes}x{hours}",
        "discount_rate": 0.07,
        "time": {"start": "2030-01-01 00:00", "hours": hours},
        "nodes": nodes,
        "carriers": [{"id": "wind", "renewable": True}, {"id": "sun", "renewable": True},
                     {"id": "gas", "co2_t_per_mwh_th": 0.2, "fuel_cost_eur_per_mwh_th": 30.0},
                     {"id": "electricity"}],
        "technologies": [
            {"id": "onwind", "carrier": "wind", "capex_eur_per_kw": 1200, "lifetime_years": 25,
             "fixed_om_eur_per_kw_yr": 30},
            {"id": "solar", "carrier": "sun", "capex_eur_per_kw": 550, "lifetime_years": 25,
             "fixed_om_eur_per_kw_yr": 12},
            {"id": "ccgt", "carrier": "gas", "efficiency": 0.55, "variable_om_eur_per_mwh": 3,
             "fixed_om_eur_per_kw_yr": 20, "capex_eur_per_kw": 900},
            {"id": "battery", "carrier": "electricity", "capex_eur_per_kw": 150, "energy_capex_eur_per_kwh": 180,
             "lifetime_years": 15, "fixed_om_eur_per_kw_yr": 5},
        ],
        "generators": gens,
        "storage": sto,
        "links": links,
        "loads": loads,
        "markets": [{"id": "export", "node": "N00", "price_eur_per_mwh": prof["price"],
                     "export_capacity_mw": 1000.0, "import_capacity_mw": 500.0}],
        "policies": {
            "co2_price_eur_per_t": 20.0,
            # the last country may emit ~30 % of an all-gas supply of its share of demand
            "co2_cap_t_by_country": {used[-1]: 0.3 * 0.2 / 0.55 * total_demand_mwh / len(used)},
            "min_renewable_share": {used[0]: 0.3},
        },
    }


# ----------------------------------------------------------------------------------------
# measurement
# ----------------------------------------------------------------------------------------
def rss_mb() -> float:
    """Process peak resident set size, MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 ** 2 if sys.platform == "darwin" else peak / 1024.0


def run_stages(raw: dict, do_solve: bool = False, highs: bool = True) -> tuple[dict[str, float], dict]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    sc = load_scenario(raw)
    times["scenario validation (load_scenario)"] = time.perf_counter() - t
    t = time.perf_counter()
    arrays = build_arrays(sc)
    times["arrays (build_arrays)"] = time.perf_counter() - t
    t = time.perf_counter()
    built = build_model(arrays)
    times["LP build (build_model)"] = time.perf_counter() - t
    t = time.perf_counter()
    a = built.lp.matrix()
    times["matrix assembly (lp.matrix)"] = time.perf_counter() - t
    if highs:  # not part of the build target: handing the arrays to HiGHS
        h = new_highs()
        h.setOptionValue("output_flag", False)
        t = time.perf_counter()
        pass_lp(h, built.lp)
        times["hand-off to HiGHS (pass_lp)"] = time.perf_counter() - t
        del h
    info = {"variables": built.lp.n_cols, "constraints": built.lp.n_rows, "nonzeros": int(a.nnz),
            "terms": built.lp.n_nonzeros, "snapshots": arrays.n_snapshots}
    if do_solve:
        from silkgrid.solve.api import solve
        t = time.perf_counter()
        res = solve(sc)
        times["solve (silkgrid.solve, IPM)"] = time.perf_counter() - t
        info["status"] = res.status
        info["objective_eur"] = res.objective
    return times, info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nodes", type=int, default=12)
    p.add_argument("--hours", type=int, default=8760)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--solve", action="store_true", help="also solve (slow for a full year)")
    p.add_argument("--tracemalloc", action="store_true",
                   help="second, traced pass to report the peak of traced allocations")
    p.add_argument("--profile", action="store_true", help="cProfile the build stages (top 25)")
    args = p.parse_args(argv)

    base_rss = rss_mb()
    t = time.perf_counter()
    raw = synthetic_scenario(args.nodes, args.hours, args.seed)
    t_gen = time.perf_counter() - t

    if args.profile:
        import cProfile
        import pstats
        pr = cProfile.Profile()
        pr.enable()
        run_stages(raw)
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
        return 0

    gc.collect()
    times, info = run_stages(raw, args.solve)
    peak_rss = rss_mb()
    traced_peak = None
    if args.tracemalloc:
        gc.collect()
        tracemalloc.start()
        run_stages(raw, highs=False)  # HiGHS's own allocations are not traced
        traced_peak = tracemalloc.get_traced_memory()[1] / 1024.0 ** 2
        tracemalloc.stop()

    build_total = sum(v for k, v in times.items() if k.startswith(("arrays", "LP build", "matrix")))
    rows = [("scenario generation (numpy)", f"{t_gen:.3f} s", "")]
    rows += [(k, f"{v:.3f} s", "") for k, v in times.items()]
    rows += [
        ("arrays + LP build + matrix", f"{build_total:.3f} s", "target < 10 s"),
        ("snapshots", f"{info['snapshots']:,}", ""),
        ("variables", f"{info['variables']:,}", ""),
        ("constraints", f"{info['constraints']:,}", ""),
        ("nonzeros", f"{info['nonzeros']:,}", "after summing duplicates"),
        ("peak RSS (ru_maxrss)", f"{peak_rss:,.0f} MB", f"target < 4,096 MB; {base_rss:,.0f} MB after imports"),
    ]
    if traced_peak is not None:
        rows.append(("peak traced allocations (tracemalloc)", f"{traced_peak:,.0f} MB", "second, traced pass"))
    if "status" in info:
        obj = info["objective_eur"]
        rows.append(("solve status", info["status"], "" if obj is None else f"objective {obj:,.0f} EUR/yr"))

    title = f"SilkGrid build benchmark: {args.nodes} nodes x {args.hours} h (seed {args.seed})"
    try:
        from rich.console import Console
        from rich.table import Table
        table = Table(title=title)
        table.add_column("stage / figure")
        table.add_column("value", justify="right")
        table.add_column("note")
        for row in rows:
            table.add_row(*row)
        Console(width=max(100, Console().width)).print(table)
    except ImportError:  # pragma: no cover - rich is a dependency, but keep plain text working
        print(title)
        width = max(len(k) for k, _, _ in rows)
        for k, v, note in rows:
            print(f"  {k:<{width}}  {v:>16}  {note}")
    ok = build_total < 10.0 and peak_rss < 4096.0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
