"""The error raised when a network or a scenario cannot be converted exactly."""

from __future__ import annotations

from silkgrid.core.errors import ScenarioError


class PyPSAConversionError(ScenarioError):
    """A PyPSA network (or a SilkGrid scenario) uses a feature the other side cannot express.

    ``component``, ``element`` and ``attribute`` name the offending part, e.g.
    ``Link``, ``'DE-FR'``, ``p_min_pu`` (on import) or ``links``, ``'ab'``,
    ``efficiency`` (on export).
    """

    def __init__(self, problem: str, *, component: str | None = None, element: str | None = None,
                 attribute: str | None = None, fix: str | None = None, export: bool = False) -> None:
        self.component = component
        self.element = element
        self.attribute = attribute
        self.export = export
        where = " ".join(p for p in (component, f"'{element}'" if element is not None else None) if p)
        if attribute:
            where = f"{where}, attribute '{attribute}'" if where else f"attribute '{attribute}'"
        super().__init__(problem, field=where or None, fix=fix)

    @property
    def message(self) -> str:
        head = ("Cannot export the scenario to PyPSA" if self.export
                else "Cannot import the PyPSA network")
        where = f" ({self.field})" if self.field else ""
        text = f"{head}{where}: {self.problem.rstrip('.')}."
        if self.fix:
            text += " Fix: " + self.fix.rstrip(".") + "."
        return text
