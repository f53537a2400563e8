"""Results in user units: the self-contained :class:`Result`, its directory format, ``solve``."""

from silkgrid.results.api import solve
from silkgrid.results.extract import extract
from silkgrid.results.result import Result, network_info

__all__ = ["Result", "extract", "network_info", "solve"]
