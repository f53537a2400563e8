"""``silkgrid info --validate``: the reference-plant and weather-year blocks (profiles side).

:func:`print_plants` shows every reference plant labelled ``calibration`` or ``validation``
(:mod:`silkgrid.profiles.plants`), the error statistics per technology family and role, and
the plants looked for but not compared; :func:`print_weather_years` shows the annual capacity
factor of weather years (seeds) 1-5 per corridor node and technology, their deviation from the
mean and from the long run, and which seed is closest to climatology.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from silkgrid.data.build import node_records
from silkgrid.profiles.plants import NOT_CHECKED
from silkgrid.profiles.validate import plant_error_statistics
from silkgrid.profiles.weather_years import group_deviation, seed_representativeness, weather_year_table

#: Country groups of the wind comparison by seed: the supply of the Caspian route and the Caucasus.
ROUTE_GROUPS = {"KZ + UZ (Caspian route supply)": ["KZ", "UZ"], "AZ (onshore)": ["AZ"], "GE": ["GE"]}


def _complete(plants: pd.DataFrame) -> pd.DataFrame:
    """Fill the columns an older or partial plant table lacks (role from ``calibrated``)."""
    out = plants.copy()
    if "role" not in out:
        out["role"] = np.where(out["calibrated"].astype(bool), "calibration", "validation")
    if "node" not in out:
        out["node"] = "-"
    if "cf_long_run" not in out:
        out["cf_long_run"] = out["cf_model"]
        out["rel_error_long_run"] = out["rel_error"]
    return out


def _dev(x: float) -> str:
    """A deviation as a whole percentage, '0%' when it rounds to zero (no '-0%')."""
    return f"{x:+.0%}" if abs(x) >= 0.005 else "0%"


def print_plants(console: Console, plants: pd.DataFrame) -> None:
    """Plant table (role-labelled), error statistics, and the plants not compared."""
    plants = _complete(plants)
    t = Table(title="Reference plants: modelled vs reported annual capacity factor (synthetic weather). "
                    "calibration = the reported figure set a model input; validation = compared only")
    for col, just in (("plant", "left"), ("node", "left"), ("tech", "left"), ("role", "left"),
                      ("reported", "right"), ("model, defaults", "right"), ("model, site facts (5 yr)", "right"),
                      ("error", "right"), ("long run", "right"), ("error, long run", "right"), ("site", "left")):
        t.add_column(col, justify=just, overflow="fold")
    for r in plants.itertuples():
        rep = (f"{r.reported_cf:.1%}" if r.reported_low == r.reported_high
               else f"{r.reported_cf:.1%} ({r.reported_low:.1%}-{r.reported_high:.1%})")
        t.add_row(r.name, r.node, r.technology, r.role, rep, f"{r.cf_default:.1%}", f"{r.cf_model:.1%}",
                  f"{r.rel_error:+.1%}", f"{r.cf_long_run:.1%}", f"{r.rel_error_long_run:+.1%}", r.site)
    console.print(t)
    s = Table(title="Reference plants: error of modelled vs reported CF (pp = percentage points of CF)")
    for col in ("family", "role", "plants", "MAE pp", "bias pp", "MAE rel.", "bias rel.", "MAE pp, long run",
                "bias pp, long run", "MAE pp, plain defaults"):
        s.add_column(col, justify="left" if col in ("family", "role") else "right")
    for r in plant_error_statistics(plants).itertuples():
        s.add_row(r.family, r.role, str(r.n), f"{r.mae_pp:.1f}", f"{r.bias_pp:+.1f}", f"{r.mae_rel:.1%}",
                  f"{r.bias_rel:+.1%}", f"{r.mae_long_run_pp:.1f}", f"{r.bias_long_run_pp:+.1f}",
                  f"{r.mae_default_pp:.1f}")
    console.print(s)
    console.print("Looked for in the fact sheets but not compared: " + "; ".join(
        f"{escape(name)} ({escape(why)})" for name, why in NOT_CHECKED), highlight=False)


def print_weather_years(console: Console, table: pd.DataFrame, representativeness: pd.DataFrame,
                        groups: pd.DataFrame) -> None:
    """Weather-year (seed) table per node and technology, seed ranking and route groups."""
    seeds = [int(c[3:]) for c in table.columns if c.startswith("cf_")]
    t = Table(title="Weather years (synthetic seeds) of the corridor profiles: annual CF and deviation from the "
                    "mean of the seeds; long run = the climatological mean of the same wind chain")
    for col in ("node", "tech", *(f"seed {s}" for s in seeds), "mean", "long run", "mean vs long run",
                "lowest / highest"):
        t.add_column(col, justify="left" if col in ("node", "tech") else "right")
    for r in table.to_dict("records"):
        cells = [f"{r[f'cf_{s}']:.1%} ({_dev(r[f'dev_{s}'])})" for s in seeds]
        lr = "-" if np.isnan(r["long_run"]) else f"{r['long_run']:.1%}"
        mlr = "-" if np.isnan(r["mean_vs_long_run"]) else f"{r['mean_vs_long_run']:+.1%}"
        t.add_row(r["node"], r["technology"], *cells, f"{r['mean']:.1%}", lr, mlr, f"{r['lowest']} / {r['highest']}")
    console.print(t)
    g = Table(title="Onshore wind by seed relative to the long run (mean CF of the group's nodes)")
    for col in ("group", "nodes", "long run", *(f"seed {s}" for s in seeds)):
        g.add_column(col, justify="left" if col in ("group", "nodes") else "right")
    for r in groups.to_dict("records"):
        g.add_row(r["group"], r["nodes"], f"{r['reference']:.1%}", *(f"{r[f'dev_{s}']:+.1%}" for s in seeds))
    console.print(g)
    best = representativeness.loc[representativeness["mean_abs_dev"].idxmin()]
    console.print("Seed representativeness (wind nodes with long-run CF >= 15 %, mean |CF / long run - 1|): "
                  + ", ".join(f"seed {int(r.seed)} {r.mean_abs_dev:.1%} (worst {r.node} {r.max_abs_dev:.0%})"
                              for r in representativeness.itertuples())
                  + f". Closest to climatology: seed {int(best.seed)}.", highlight=False)


def weather_year_blocks(year: int = 2030, dataset: str = "corridor") -> tuple[pd.DataFrame, ...]:
    """(table, representativeness, groups) for the packaged data set's node list (cached profiles)."""
    table = weather_year_table(node_records(year, dataset))
    return table, seed_representativeness(table), group_deviation(table, ROUTE_GROUPS)
