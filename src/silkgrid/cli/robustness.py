"""``silkgrid robustness``: the corridor answer under several weather years and finance cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from silkgrid.cli.app import UsageProblem, app, check_resolution, guarded, stderr, stdout
from silkgrid.core.files import write_text_atomic
from silkgrid.core.jsonsafe import clean
from silkgrid.workflows.robustness import corridor_cases, run_cases, summarise

FINANCE_CASES = ("low", "central", "high")


def _int_list(text: str, option: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageProblem(f"'{text}' is not a comma-separated list of whole numbers", option=option,
                           fix="e.g. 1,2,3") from None
    if not values or min(values) < 1:
        raise UsageProblem(f"'{text}' needs at least one weather year, each >= 1", option=option, fix="e.g. 1,2,3")
    return values


def _finance_list(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    bad = [v for v in values if v not in FINANCE_CASES]
    if not values or bad:
        raise UsageProblem(f"unknown finance case(s) {bad or text!r}", option="--finance",
                           fix=f"choose from {', '.join(FINANCE_CASES)}, comma-separated")
    return values


def print_table(table: pd.DataFrame, summary: dict, console: Console) -> None:
    t = Table(title="Corridor answer by case", title_justify="left")
    for col in ("case", "Caspian MW", "Black Sea MW", "EU TWh/yr", "delivered EUR/MWh", "CBAM matched"):
        t.add_column(col, justify="left" if col == "case" else "right")
    for r in table.to_dict("records"):
        if pd.isna(r.get("caspian_mw")):
            t.add_row(escape(str(r["case"])), "-", "-", "-", "-", escape(str(r["verdict"])))
            continue
        t.add_row(escape(str(r["case"])), f"{r['caspian_mw']:,.0f}", f"{r['black_sea_mw']:,.0f}",
                  f"{r['eu_delivered_twh']:.1f}", f"{r['delivered_cost_eur_per_mwh']:.1f}",
                  "-" if pd.isna(r["cbam_matched_share"]) else f"{r['cbam_matched_share']:.0%}")
    console.print(t)
    if summary.get("solved"):
        nan = {"min": float("nan"), "median": float("nan"), "max": float("nan")}
        size, cost = summary.get("caspian_mw", nan), summary.get("delivered_cost_eur_per_mwh", nan)
        console.print(f"Caspian cable: {size['min']:,.0f}-{size['max']:,.0f} MW (median {size['median']:,.0f}), "
                      f"some capacity in {summary['caspian_built_in']} of {summary['solved']} solved cases; delivered "
                      f"cost {cost['min']:.1f}-{cost['max']:.1f} EUR/MWh (median {cost['median']:.1f}).")


@app.command()
@guarded
def robustness(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Directory for robustness.csv, robustness.json and cases/<case>/ (one result each).",
        show_default=False)],
    year: Annotated[int, typer.Option(help="Model year of the corridor data set (2030-2060).")] = 2035,
    weather_years: Annotated[str, typer.Option("--weather-years", help="Synthetic weather years (seeds).")] = "1,2,3",
    finance: Annotated[str, typer.Option(help="Cost-of-capital / capex cases of the data set.")] = "low,central,high",
    resolution: Annotated[str, typer.Option(
        help="Snapshot length of every case. Hourly by default: 12-hour snapshots average the solar day away "
             "and changed the Caspian decision on the 2035 corridor (docs/cli.md).")] = "1h",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no table.")] = False,
) -> None:
    """Solve the corridor for every weather year x finance case; one row per case, and how robust the answer is."""
    res = check_resolution(resolution)
    cases = corridor_cases(year, _int_list(weather_years, "--weather-years"), _finance_list(finance))
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise UsageProblem(f"'{out}' exists and is not a directory", option="--out", fix="give a directory path")
    err = stderr()

    def progress(done: int, total: int, label: str) -> None:
        if not quiet:
            err.print(f"[{done}/{total}] {escape(label)} solved")

    table = run_cases(cases, resolution=res, progress=progress, out_dir=out / "cases")
    summary = summarise(table)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "robustness.csv", table.to_csv(index=False))
    write_text_atomic(out / "robustness.json", json.dumps(clean({"summary": summary, "cases": table.to_dict("records")}),
                                                      indent=2) + "\n")
    if not quiet:
        print_table(table, summary, stdout())
    stdout().print(f"Written to {escape(str(out))}", soft_wrap=True)
