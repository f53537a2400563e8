"""A loaded scenario as plain data and back: what a result directory stores of the scenario it solved.

:func:`to_plain` gives a JSON-ready dict with every hourly array replaced by a reference
``{"$profile": "SECTION/ID/FIELD"}`` and the arrays themselves in a separate mapping (written
as one Parquet table next to the JSON); :func:`from_plain` puts them back and validates.  The
round trip reproduces the scenario exactly (``extends`` is already resolved, so the stored
scenario stands on its own).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from silkgrid.core.errors import SilkGridError
from silkgrid.scenario.schema import Scenario

PROFILE_KEY = "$profile"


def to_plain(sc: Scenario) -> tuple[dict, dict[str, np.ndarray]]:
    """(JSON-ready dict, hourly arrays by reference key) of a loaded scenario."""
    profiles: dict[str, np.ndarray] = {}

    def walk(obj: Any, path: tuple[str, ...]) -> Any:
        if isinstance(obj, np.ndarray):
            key = "/".join(path)
            profiles[key] = np.asarray(obj, dtype=float)
            return {PROFILE_KEY: key}
        if isinstance(obj, dict):
            return {k: walk(v, (*path, str(k))) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [walk(v, (*path, str(v.get("id", i)) if isinstance(v, dict) else str(i)))
                    for i, v in enumerate(obj)]
        if isinstance(obj, np.generic):
            return obj.item()
        return obj

    plain = walk(sc.model_dump(mode="python"), ())
    plain["extends"] = None
    return plain, profiles


def from_plain(plain: dict, profiles: dict[str, np.ndarray], *, source: str = "<stored scenario>") -> Scenario:
    """The scenario :func:`to_plain` stored; raises :class:`SilkGridError` if it does not validate."""

    def walk(obj: Any) -> Any:
        if isinstance(obj, dict):
            if set(obj) == {PROFILE_KEY}:
                try:
                    return np.asarray(profiles[obj[PROFILE_KEY]], dtype=float)
                except KeyError:
                    raise SilkGridError(f"{source}: the profile '{obj[PROFILE_KEY]}' is missing") from None
            return {k: walk(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [walk(v) for v in obj]
        return obj

    try:
        sc = Scenario.model_validate(walk(plain))
    except ValueError as exc:
        raise SilkGridError(f"{source} does not hold a valid scenario ({exc})") from None
    sc.source_file = source
    return sc
