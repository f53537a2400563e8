"""Results in user units: the self-contained :class:`Result`, its directory format, ``solve``."""

from silkgrid.results.api import solve
from silkgrid.results.extract import extract
from silkgrid.results.result import Result, network_info
from silkgrid.results.staging import OutputBusyError, ResultWriteError

__all__ = ["OutputBusyError", "Result", "ResultWriteError", "extract", "network_info", "solve"]
