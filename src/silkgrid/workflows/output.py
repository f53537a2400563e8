"""Where a run may write: checks on a results directory before anything is solved or written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from silkgrid.core.errors import SilkGridError
from silkgrid.results.staging import OutputBusyError, ResultWriteError, write_error


class OutputPathError(SilkGridError):
    """A results directory that cannot or should not be written (bad input, exit code 2)."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem.rstrip('.')}. Fix: {fix.rstrip('.')}.")


class OutputWriteError(OutputPathError):
    """Writing the results failed (disk full, no permission, another run busy with the path);
    nothing was written.  ``busy``: another live process holds the path's lock."""

    def __init__(self, problem: str, fix: str, *, busy: bool = False) -> None:
        super().__init__(problem, fix)
        self.busy = busy


@contextmanager
def write_errors() -> Iterator[None]:
    """Turn write failures of the block into :class:`OutputWriteError` naming their cause."""
    try:
        yield
    except ResultWriteError as exc:
        raise OutputWriteError(exc.problem, exc.fix, busy=isinstance(exc, OutputBusyError)) from None
    except OSError as exc:  # outside a staging folder (e.g. creating the parent)
        err = write_error(exc, exc.filename or "the output directory")
        raise OutputWriteError(err.problem, err.fix) from None


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """Refuse output paths that cannot or should not be replaced; touches nothing.

    A results directory is replaced as a whole, so it must be a directory (or not exist), must
    not be the file-system root or the home directory, and a non-empty folder that does not
    look like SilkGrid results (no ``summary.json``) is replaced only with ``force``.
    """
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"'{out}' exists and is not a directory",
                              "give a directory path for the results (it is created if missing)")
    for parent in path.resolve().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputPathError(f"'{parent}' is not a directory, so '{out}' cannot be created",
                                      "choose another output path")
            break
    resolved = path.resolve()
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home directory known
        home = None
    if resolved == Path(resolved.anchor) or resolved == home:
        raise OutputPathError(f"'{out}' would replace {resolved}",
                              "give a dedicated results directory, e.g. 'results/my-run'")
    ours = (path / "summary.json").is_file() or (path / "pathway.json").is_file()  # a result or a pathway
    if path.is_dir() and any(path.iterdir()) and not ours and not force:
        raise OutputPathError(
            f"'{out}' is a non-empty directory that does not look like SilkGrid results (no summary.json or "
            "pathway.json); "
            "writing results replaces the whole directory",
            "choose a new or empty directory, or pass --force to replace it")
    return path


def check_not_inside(out: Path, scenario_file: str | None) -> None:
    """The results directory is replaced as a whole: it must not hold the scenario's input."""
    if not scenario_file:
        return
    src = Path(scenario_file)
    if not src.is_file():
        return
    out_r = out.resolve()
    if out_r == src.resolve().parent or out_r in src.resolve().parents:
        raise OutputPathError(f"the scenario file {src} lies inside the output directory '{out}', which is "
                              "replaced by the results", "write the results to a separate directory")
