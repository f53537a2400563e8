"""Presentation of result directories: the HTML report, PNG figures and number formatting."""

from silkgrid.report.html import TECH_COLOURS, build_html, write_report

__all__ = ["TECH_COLOURS", "build_html", "write_report"]
