"""Presentation of results: the HTML report, its public panels, PNG figures and number formatting.

Modules: :mod:`~silkgrid.report.page` (``build_html``, ``write_report``, the sections),
:mod:`~silkgrid.report.panels` and :mod:`~silkgrid.report.trade_panels` (one function per panel,
each taking a :class:`~silkgrid.results.Result`, plus the data helpers), the Plotly figure builders
:mod:`~silkgrid.report.charts`, :mod:`~silkgrid.report.flowmap`,
:mod:`~silkgrid.report.balance_charts` and :mod:`~silkgrid.report.compare_charts` on
:mod:`~silkgrid.report.plotting`, :mod:`~silkgrid.report.colours` (one colour per technology),
:mod:`~silkgrid.report.html` (CSS, escaping), :mod:`~silkgrid.report.figures` (matplotlib PNGs),
:mod:`~silkgrid.report.formatting` (numbers with units).  See ``docs/report.md``.
"""

from silkgrid.report.colours import TECH_COLOURS
from silkgrid.report.figures import FIGURES, write_figures
from silkgrid.report.html import CSS
from silkgrid.report.page import SECTIONS, build_html, plan_banner, section_html, write_report

__all__ = ["build_html", "write_report", "write_figures", "plan_banner", "section_html", "SECTIONS", "FIGURES",
           "CSS", "TECH_COLOURS"]
