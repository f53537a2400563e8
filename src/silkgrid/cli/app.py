"""The ``silkgrid`` Typer app: exit codes, consoles, one-paragraph errors, shared option checks.

Exit codes (documented in ``docs/cli.md``):

* ``0`` - success (``run``: optimal solution written).
* ``1`` - ``run`` finished but the solution is not optimal (infeasible, time limit, ...);
  the plain-language reason is printed and ``summary.json`` is still written.  A decomposed
  solve stopped at its limit also writes the tables of its feasible plan, with the proven gap.
* ``2`` - bad input: an invalid scenario, profile or option, or an unusable ``--out``
  path.  One paragraph on stderr names the file, the field and the fix; nothing is written.
* ``3`` - an unexpected internal error (a bug).  One paragraph on stderr; set
  ``SILKGRID_DEBUG=1`` to see the traceback.
* ``130`` - interrupted (Ctrl-C).

Normal output (tables) goes to stdout; progress, messages and errors go to stderr.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from silkgrid.core.errors import ScenarioError, SilkGridError, SolveError
from silkgrid.scenario.schema import Time
from silkgrid.workflows import OutputPathError

#: Data set used when no scenario is named (a packaged data set name): the corridor in 2035, the
#: first model year in which both sea cables can be in service (Black Sea 2032, Caspian after 2030).
DEFAULT_DATASET = "corridor-2035"

EXIT_OK = 0
EXIT_NOT_OPTIMAL = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

#: Environment variable that makes errors show their traceback.
DEBUG_ENV = "SILKGRID_DEBUG"

app = typer.Typer(
    name="silkgrid",
    help="SilkGrid: capacity expansion co-optimised with hourly dispatch for cross-border "
         "green-electricity corridors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)




class UsageProblem(Exception):
    """A bad command-line value or output path (exit code 2)."""

    def __init__(self, problem: str, *, option: str | None = None, fix: str | None = None) -> None:
        self.problem, self.option, self.fix = problem, option, fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        head = f"Invalid option {self.option}: " if self.option else "Invalid input: "
        text = head + self.problem.rstrip(".") + "."
        if self.fix:
            text += " Fix: " + self.fix.rstrip(".") + "."
        return text


# ----------------------------------------------------------------------------------------
# consoles and error handling
# ----------------------------------------------------------------------------------------
def stdout() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # piped/captured output: do not squeeze tables into 80 columns
    return console


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no", "off")


def error(text: str, label: str = "Error") -> None:
    """One paragraph on stderr; never wrapped by us (the terminal wraps it)."""
    stderr().print(f"[bold red]{label}:[/] {escape(text)}", soft_wrap=True)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Map exceptions to exit codes and one-paragraph messages (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except KeyboardInterrupt:
            error("interrupted; nothing more was written.", label="Aborted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OutputPathError as exc:
            if _debug():
                traceback.print_exc()
            error(UsageProblem(exc.problem, option="--out", fix=exc.fix).message)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (ScenarioError, UsageProblem) as exc:
            if _debug():
                traceback.print_exc()
            error(exc.message)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except SolveError as exc:
            if _debug():
                traceback.print_exc()
            error(str(exc), label="Solve failed")
            raise typer.Exit(EXIT_NOT_OPTIMAL) from None
        except SilkGridError as exc:
            if _debug():
                traceback.print_exc()
            error(str(exc))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if _debug():
                traceback.print_exc()
                hint = ""
            else:
                hint = f" Set {DEBUG_ENV}=1 to see the traceback."
            error(f"{type(exc).__name__}: {exc}. This is a bug in SilkGrid, not a problem with your "
                   f"input; please report it with the scenario that triggers it.{hint}",
                   label="Internal error")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper



def check_resolution(value: str | None) -> str | None:
    """Validate ``--resolution`` before anything is loaded."""
    if value is None:
        return None
    try:
        return Time(resolution=value).resolution
    except ValidationError:
        raise UsageProblem(f"'{value}' is not a time resolution", option="--resolution",
                           fix="give a whole number of hours followed by 'h', e.g. '1h' or '3h'") from None
