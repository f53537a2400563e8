"""State and checked readers shared by the per-component import steps.

An :class:`ImportContext` wraps one PyPSA network.  The steps in the sibling modules fill
its state in a fixed order (time section, carriers, buses, ...) and read attributes through
its helpers, which refuse -- with a :class:`PyPSAConversionError` -- what SilkGrid cannot
represent.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from silkgrid.interop.pypsa.common import Ids, equals_default, fmt
from silkgrid.interop.pypsa.errors import PyPSAConversionError
from silkgrid.interop.pypsa.rules import HANDLED, IGNORED, REFUSAL_HINTS
from silkgrid.scenario.schema import MAX_NUMBER

if TYPE_CHECKING:  # pragma: no cover
    import pypsa


class ImportContext:
    """One PyPSA network being imported, with the state the import steps share.

    State (set by the steps): ``d`` snapshot durations in h, ``reps`` hours per snapshot,
    ``w`` / ``w_gen`` objective / generator weightings in h, ``carrier_co2`` t CO2/MWh_th
    by PyPSA carrier, ``carriers`` SilkGrid carrier dicts, ``bus_id`` SilkGrid node ids.
    """

    def __init__(self, n: pypsa.Network) -> None:
        self.n = n
        self.ids = Ids()
        self.noncyclic_storage_carriers: list[tuple[str, Any, str]] = []
        self.carriers: dict[str, dict] = {}
        self.carrier_co2: dict[str, float] = {}
        self.bus_id: dict[str, str] = {}
        self.has_co2_cap = False

    # -- errors and frames ------------------------------------------------------------------
    def err(self, problem: str, component: str | None = None, element: Any = None,
            attribute: str | None = None, fix: str | None = None) -> PyPSAConversionError:
        """An import error naming component, element and attribute."""
        return PyPSAConversionError(problem, component=component,
                                    element=None if element is None else str(element),
                                    attribute=attribute, fix=fix)

    def active(self, comp: str) -> pd.DataFrame:
        """The static frame of ``comp`` without inactive elements."""
        static = self.n.components[comp].static
        if "active" in static.columns:
            static = static[static["active"].astype(bool)]
        return static

    def dense(self, comp: str, attr: str, names: pd.Index) -> pd.DataFrame:
        """``attr`` per snapshot (rows) and element (columns), static values broadcast."""
        return self.n.get_switchable_as_dense(comp, attr, inds=names).reindex(columns=names)

    def static_only(self, comp: str, attr: str, names: pd.Index, fix: str) -> pd.Series:
        """The value of a (possibly time-varying) attribute that must be constant in time."""
        df = self.dense(comp, attr, names)
        if df.empty:
            return pd.Series(dtype=float)
        values = df.to_numpy(dtype=float)
        varying = ~np.all((values == values[:1]) | (np.isnan(values) & np.isnan(values[:1])), axis=0)
        if varying.any():
            el = names[int(np.argmax(varying))]
            raise self.err("a time-varying value is not supported here", comp, el, attr, fix)
        return pd.Series(values[0], index=names)

    def check_defaults(self, comp: str, frame: pd.DataFrame) -> None:
        """Every input attribute that is neither handled nor irrelevant must keep its default."""
        c = self.n.components[comp]
        defaults = c.defaults
        inputs = defaults[defaults["status"].astype(str).str.startswith("Input")]
        names = frame.index
        for attr, row in inputs.iterrows():
            if attr in HANDLED[comp] or attr in IGNORED[comp]:
                continue
            default = row["default"]
            if attr in frame.columns:
                bad = ~equals_default(frame[attr], default)
                if bad.any():
                    el = names[np.flatnonzero(bad.to_numpy())[0]]
                    raise self.err(f"the value {fmt(frame.loc[el, attr])} differs from PyPSA's default "
                                   f"{fmt(default)} and cannot be represented", comp, el, attr,
                                   REFUSAL_HINTS.get(attr, "reset it to the default"))
            if bool(row["varying"]):
                dyn = c.dynamic.get(attr)
                if dyn is not None and not dyn.empty:
                    cols = [col for col in dyn.columns if col in names]
                    for col in cols:
                        bad = ~equals_default(dyn[col], default)
                        if bad.any():
                            raise self.err(f"a time-varying value differs from PyPSA's default {fmt(default)} "
                                           "and cannot be represented", comp, col, attr,
                                           REFUSAL_HINTS.get(attr, "remove the time series"))

    def profile(self, values: np.ndarray) -> float | np.ndarray:
        """A per-snapshot series as a SilkGrid hourly profile (constant -> float)."""
        values = np.asarray(values, dtype=float)
        if np.all(values == values[0]):
            return float(values[0])
        return np.repeat(values, self.reps)

    # -- references -------------------------------------------------------------------------
    def carrier_id(self, cname: Any, renewable: bool = False) -> str:
        """The SilkGrid carrier id of a PyPSA carrier name (created on first use)."""
        key = "" if cname is None or (isinstance(cname, float) and math.isnan(cname)) else str(cname)
        if key not in self.carriers:
            sid = self.ids.make("carriers", key or "unspecified", ("Carrier", key))
            self.carriers[key] = {"id": sid, "co2_t_per_mwh_th": self.carrier_co2.get(key, 0.0),
                                  "renewable": False, "name": key or None}
        if renewable and self.carrier_co2.get(key, 0.0) == 0:
            self.carriers[key]["renewable"] = True
        return self.carriers[key]["id"]

    def node(self, comp: str, el: Any, bus: Any, attr: str = "bus") -> str:
        """The SilkGrid node id of bus ``bus`` referenced by element ``el``."""
        try:
            return self.bus_id[str(bus)]
        except KeyError:
            raise self.err(f"the bus '{bus}' does not exist", comp, el, attr,
                           "add the bus or correct the reference") from None

    # -- checked values ---------------------------------------------------------------------
    def capacity(self, comp: str, el: Any, row: pd.Series, nom: str, scale: float = 1.0
                 ) -> dict[str, Any]:
        """Existing capacity, extendable flag and bounds, in SilkGrid terms (MW or MWh)."""
        ext = bool(row[f"{nom}_extendable"])
        if not ext:
            value = float(row[nom])
            if not math.isfinite(value) or value < 0:
                raise self.err(f"{nom} {value:g} is negative or not finite", comp, el, nom,
                               "give a finite, non-negative capacity")
            return {"existing": value * scale, "extendable": False, "min": 0.0, "max": None}
        lo, hi = float(row[f"{nom}_min"]), float(row[f"{nom}_max"])
        if not math.isfinite(lo) or lo < 0:
            raise self.err(f"{nom}_min {lo:g} is negative or not finite", comp, el, f"{nom}_min",
                           "give a non-negative lower bound")
        if math.isnan(hi) or hi < lo:
            raise self.err(f"{nom}_max {hi:g} lies below {nom}_min {lo:g}", comp, el, f"{nom}_max",
                           "correct the bounds")
        # bounds beyond the schema's largest number (1e12 MW) are PyPSA's "no limit" in practice
        unlimited = math.isinf(hi) or hi * scale > MAX_NUMBER
        return {"existing": 0.0, "extendable": True, "min": lo * scale,
                "max": None if unlimited else hi * scale}

    def costs(self, comp: str, names: pd.Index) -> pd.Series:
        """PyPSA's periodised capital cost per element (EUR per MW or MWh and year)."""
        if len(names) == 0:
            return pd.Series(dtype=float)
        cost = self.n.components[comp].periodized_cost
        s = pd.Series(np.asarray(cost.values, dtype=float), index=[str(x) for x in cost.coords["name"].values])
        s = s.reindex([str(x) for x in names])
        s.index = names
        for el, v in s.items():
            if not math.isfinite(v) or v < 0:
                raise self.err(f"the periodised capital cost {v:g} is negative or not finite", comp, el,
                               "capital_cost", "give a non-negative capital cost")
        return s

    def nonneg_static(self, comp: str, attr: str, names: pd.Index, fix: str) -> pd.Series:
        """A constant-in-time, finite, non-negative attribute (e.g. marginal_cost, EUR/MWh)."""
        s = self.static_only(comp, attr, names, fix)
        for el, v in s.items():
            if not math.isfinite(v) or v < 0:
                raise self.err(f"{attr} {v:g} is negative or not finite; SilkGrid costs are non-negative",
                               comp, el, attr, "use a non-negative value")
        return s

    def efficiency(self, comp: str, attr: str, names: pd.Index) -> pd.Series:
        """A constant-in-time efficiency in (0, 1]."""
        s = self.static_only(comp, attr, names, "use a constant efficiency")
        for el, v in s.items():
            if not (math.isfinite(v) and 0 < v <= 1):
                raise self.err(f"{attr} {v:g} is not in (0, 1]", comp, el, attr,
                               "use an efficiency in (0, 1]")
        return s

    def standing_loss(self, comp: str, names: pd.Index) -> pd.Series:
        """A constant-in-time standing loss per hour in [0, 1)."""
        s = self.static_only(comp, "standing_loss", names, "use a constant standing loss")
        for el, v in s.items():
            if not (math.isfinite(v) and 0 <= v < 1):
                raise self.err(f"standing_loss {v:g} is not in [0, 1)", comp, el, "standing_loss",
                               "use a standing loss per hour in [0, 1)")
        return s
