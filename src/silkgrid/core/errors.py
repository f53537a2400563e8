"""User-facing errors.

Every problem a user can fix (a bad scenario file, an unknown id, a profile of the
wrong length) is raised as a :class:`ScenarioError`.  The CLI turns it into one
plain paragraph and exit code 2, without a traceback.
"""

from __future__ import annotations


class SilkGridError(Exception):
    """Base class of all errors SilkGrid raises on purpose."""


class ScenarioError(SilkGridError):
    """A scenario (or an input file it names) is invalid.

    Parameters
    ----------
    problem:
        What is wrong, in plain words.
    file:
        The file the problem is in (scenario YAML or profile CSV), if known.
    field:
        Dotted/indexed path to the offending field, e.g. ``links[2].to_node``.
    fix:
        What the user should do about it.
    """

    def __init__(self, problem: str, *, file: str | None = None, field: str | None = None,
                 fix: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.field = field
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        where = []
        if self.file:
            where.append(f"in {self.file}")
        if self.field:
            where.append(f"at '{self.field}'")
        head = "Invalid scenario" + (" " + ", ".join(where) if where else "") + ": "
        parts.append(head + _sentence(self.problem))
        if self.fix:
            parts.append("Fix: " + _sentence(self.fix))
        return " ".join(parts)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


def _sentence(text: str) -> str:
    """End ``text`` with one full stop, unless it already ends with '?' or '!'."""
    text = text.rstrip().rstrip(".")
    return text if text.endswith(("?", "!")) else text + "."


class SolveError(SilkGridError):
    """The optimisation did not produce a usable solution (infeasible, time limit, ...)."""
