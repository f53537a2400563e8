"""The report page: one self-contained HTML file of a result (``silkgrid report DIR``).

The page has inline SVG charts (:mod:`silkgrid.report.panels`) and inline CSS, no scripts and no
external references, so it opens offline in any browser.  Static PNG versions of the key charts
are written to ``DIR/figures/`` (:mod:`silkgrid.report.figures`).  Design notes: ``docs/report.md``.

>>> from silkgrid.report import write_report
>>> write_report("results/example", week=2)          # doctest: +SKIP
PosixPath('results/example/report.html')
"""

from __future__ import annotations

from pathlib import Path

from silkgrid.core.errors import SilkGridError
from silkgrid.core.files import write_text_atomic
from silkgrid.report.figures import write_figures
from silkgrid.report.formatting import fmt_energy, fmt_eur
from silkgrid.report.panels import (capacity_panel, cbam_panel, cost_panel, dispatch_panel, export_panel, map_panel,
                                    price_panel, provenance_panel)
from silkgrid.report.svg import CSS, esc
from silkgrid.results import Result

__all__ = ["build_html", "write_report", "plan_banner", "check_reportable"]


def check_reportable(result: Result, where: str = "") -> None:
    """Raise :class:`SilkGridError` unless ``result`` has a plan and ``network.json`` data.

    Tables exist only for an optimal solution or a feasible plan with a proven gap
    (:attr:`Result.has_plan`).  ``where`` names the result in the message (a directory).
    """
    where = where or f"the result of '{result.scenario_name}'"
    if not result.tables:
        raise SilkGridError(f"results in {where} are not optimal (status {result.status}); "
                            "there is nothing to report")
    if not result.network:
        raise SilkGridError(f"{where} has no network.json (written by SilkGrid 0.1 since the report "
                            "was added); run the scenario again to write it")


def plan_banner(summary: dict) -> str:
    """The banner of a feasible plan whose optimality is proven only to a gap (``#plan-warning``);
    empty for an optimal result."""
    if summary.get("status") == "optimal":
        return ""
    solver = summary.get("solver") or {}
    return (f"<p class='warn' id='plan-warning'>Feasible plan, not proven optimal: the decomposed solve "
            f"stopped at its {esc(str(summary.get('status')).replace('_', ' '))} with a proven gap of "
            f"{solver.get('gap', 0):.2%} (the optimum costs at least {fmt_eur(solver.get('lower_bound'))}/yr "
            f"before fixed costs of existing capacity; this plan {fmt_eur(solver.get('upper_bound'))}/yr).</p>")


def build_html(result: Result, *, week: int = 1) -> str:
    """The report of ``result`` as one HTML string (no scripts, no external references).

    The cost and CBAM panels use ``result.scenario``; without it they say why.
    """
    check_reportable(result)
    s = result.summary
    title = f"SilkGrid report: {s.get('scenario')}"
    sections = [
        ("map", "Corridor map", map_panel(result)),
        ("capacity", "Capacity mix by node", capacity_panel(result)),
        ("dispatch", f"Dispatch, week {week}", dispatch_panel(result, week)),
        ("prices", "Price duration curves", price_panel(result)),
        ("exports", "Exports: energy into each market", export_panel(result)),
        ("cbam", "CBAM: hourly matched share of exports", cbam_panel(result)),
        ("costs", "Cost breakdown", cost_panel(result)),
        ("provenance", "Data provenance", provenance_panel(result)),
    ]
    body = "".join(f'<section id="{sid}"><h2>{esc(h)}</h2>{content}</section>' for sid, h, content in sections)
    desc = result.network.get("scenario", {}).get("description", "")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{esc(title)}</title><style>{CSS}</style></head>"
            f"<body><header><h1>{esc(title)}</h1><p>{esc(desc)}</p><p>Weather: {esc(s.get('weather') or '-')}. "
            f"Total system cost {fmt_eur(s.get('total_cost_eur'))}/yr; demand {fmt_energy(s.get('demand_mwh'))}/yr; "
            f"emissions {s.get('emissions_t', 0) / 1e6:,.2f} Mt CO2/yr.</p>{plan_banner(s)}"
            f"</header><main>{body}</main></body></html>\n")


def write_report(directory: str | Path, out: str | Path | None = None, *, week: int = 1,
                 figures: bool = True) -> Path:
    """Write ``report.html`` (or ``out``) for a results directory, and PNGs to ``DIR/figures/``.

    The directory is read with :meth:`Result.from_dir`; it carries the scenario it solved, which
    the cost breakdown and the CBAM panel use (directories of older versions lack it: the panels
    say so).  The page is written to a temporary file and renamed: a reader never sees half a page.
    Raises :class:`SilkGridError` for a result without a plan or without ``network.json``, and
    for a ``week`` outside the horizon.
    """
    directory = Path(directory)
    result = Result.from_dir(directory)
    check_reportable(result, f"'{directory}'")
    text = build_html(result, week=week)
    path = Path(out) if out is not None else directory / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    if figures:
        write_figures(result, directory / "figures", week=week)
    return path
