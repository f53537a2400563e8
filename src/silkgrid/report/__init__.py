"""Presentation of results: the HTML report, its public panels, PNG figures and number formatting.

Modules: :mod:`~silkgrid.report.page` (``build_html``, ``write_report``),
:mod:`~silkgrid.report.panels` (one function per panel, each taking a
:class:`~silkgrid.results.Result`, plus the data helpers), :mod:`~silkgrid.report.geomap` (the
map panel), :mod:`~silkgrid.report.svg` (chart frame, ticks, legend, colours, CSS),
:mod:`~silkgrid.report.figures` (matplotlib PNGs), :mod:`~silkgrid.report.formatting`
(numbers with units).  See ``docs/report.md``.
"""

from silkgrid.report.figures import FIGURES, write_figures
from silkgrid.report.page import build_html, plan_banner, write_report
from silkgrid.report.svg import CSS, TECH_COLOURS

__all__ = ["build_html", "write_report", "write_figures", "plan_banner", "FIGURES", "CSS", "TECH_COLOURS"]
