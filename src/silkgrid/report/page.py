"""The report page: one self-contained HTML file of a result (``silkgrid report DIR``).

The page holds interactive Plotly charts (:mod:`silkgrid.report.panels`,
:mod:`silkgrid.report.trade_panels`): their data as JSON and the Plotly bundle inline, so it opens
offline in any browser, with zoom, hover and a PNG download on every chart.  Static PNG versions of
the key charts are written to ``DIR/figures/`` (:mod:`silkgrid.report.figures`).  Design notes:
``docs/report.md``.

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
from silkgrid.report.html import CSS, esc
from silkgrid.report.panels import (balance_panel, capacity_panel, curtailment_panel, dispatch_panel, download_files,
                                    downloads_panel, map_panel, price_panel, provenance_panel)
from silkgrid.report.plotting import plotly_bundle, plots_js
from silkgrid.report.trade_panels import cbam_panel, cost_panel, export_panel
from silkgrid.results import Result

__all__ = ["build_html", "write_report", "plan_banner", "check_reportable", "section_html", "SECTIONS"]

#: (id, heading) of the report's sections, in order (the dashboard's result page shows the same).
SECTIONS = (("map", "Corridor map"), ("capacity", "Capacity mix by node"), ("dispatch", "Dispatch and storage"),
            ("balances", "Energy balances by country"), ("prices", "Prices, capture prices and congestion rents"),
            ("curtailment", "Curtailment"), ("exports", "Exports: energy into each market"),
            ("cbam", "CBAM: hourly matched share of exports"), ("costs", "Cost breakdown"),
            ("downloads", "Downloads"), ("provenance", "Data provenance"))


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


def section_html(result: Result, sid: str, *, week: int = 1, files=None, href=None, dispatch_src=None) -> str:
    """The content of section ``sid`` of :data:`SECTIONS` (shared with the dashboard).

    ``files``/``href`` feed the downloads list (:func:`~silkgrid.report.panels.downloads_panel`);
    ``dispatch_src`` makes the dispatch chart load from a URL (dashboard) instead of being embedded.
    """
    if sid == "dispatch":
        return dispatch_panel(result, week, src=dispatch_src)
    if sid == "downloads":
        return downloads_panel(files or [], href or (lambda n, f: None))
    fn = {"map": map_panel, "capacity": capacity_panel, "balances": balance_panel, "prices": price_panel,
          "curtailment": curtailment_panel, "exports": export_panel, "cbam": cbam_panel, "costs": cost_panel,
          "provenance": provenance_panel}[sid]
    try:
        return fn(result)
    except SilkGridError as exc:  # a panel that cannot be computed says why; the page still renders
        return f"<p class='warn'>{esc(exc)}</p>"


def build_html(result: Result, *, week: int = 1, directory: str | Path | None = None) -> str:
    """The report of ``result`` as one self-contained HTML string (Plotly inline, no external
    references).  With ``directory`` (the result directory the page is written to), the downloads
    section links the tables next to it.  Raises :class:`SilkGridError` for a week outside the horizon.
    """
    check_reportable(result)
    s = result.summary
    title = f"SilkGrid report: {s.get('scenario')}"
    files, href = [], None
    if directory is not None:
        d = Path(directory)
        files = download_files(d)
        href = lambda n, f: f"{n}.{f}" if (d / f"{n}.{f}").exists() else None  # noqa: E731
    body = "".join(f'<section id="{sid}"><h2>{esc(h)}</h2>'
                   f"{section_html(result, sid, week=week, files=files, href=href)}</section>"
                   for sid, h in SECTIONS)
    desc = result.network.get("scenario", {}).get("description", "")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{esc(title)}</title><style>{CSS}</style>"
            f"<script>{plotly_bundle()}</script></head>"
            f"<body><header><h1>{esc(title)}</h1><p>{esc(desc)}</p><p>Weather: {esc(s.get('weather') or '-')}. "
            f"Total system cost {fmt_eur(s.get('total_cost_eur'))}/yr; demand {fmt_energy(s.get('demand_mwh'))}/yr; "
            f"emissions {s.get('emissions_t', 0) / 1e6:,.2f} Mt CO2/yr.</p>{plan_banner(s)}"
            f"</header><main>{body}</main><script>{plots_js()}</script></body></html>\n")


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
    path = Path(out) if out is not None else directory / "report.html"
    text = build_html(result, week=week, directory=directory if path.parent == directory else None)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    if figures:
        write_figures(result, directory / "figures", week=week)
    return path
