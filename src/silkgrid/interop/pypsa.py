"""Exchange models with PyPSA (https://pypsa.org): import a network, export a scenario.

``from_network(n)`` turns a :class:`pypsa.Network` into a validated SilkGrid
:class:`~silkgrid.scenario.schema.Scenario` whose optimum is the optimum of PyPSA's own LP:
``silkgrid.solve(from_network(n)).objective`` equals ``n.objective`` after
``n.optimize(include_objective_constant=False)``.

``to_network(scenario)`` builds the inverse for what PyPSA can express: for the exported
network ``n.optimize()`` (PyPSA's default ``include_objective_constant=True``) returns the
same objective as ``silkgrid.solve(scenario).objective``.

Both directions are exact or refuse: whatever cannot be represented exactly raises
:class:`PyPSAConversionError` (a :class:`~silkgrid.core.errors.ScenarioError`) naming the
component, the element and the attribute -- nothing is dropped silently.  The mapping is
documented in ``docs/interop.md``.

PyPSA is an optional dependency; it is imported when a function here is first called.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from silkgrid.core.errors import ScenarioError
from silkgrid.scenario import schema as _schema
from silkgrid.scenario.schema import HOURS_PER_YEAR, Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pypsa

__all__ = ["PyPSAConversionError", "from_network", "to_network", "link_capacity_ties"]

#: Components ``from_network`` maps.
SUPPORTED_COMPONENTS = ("Bus", "Carrier", "Generator", "Load", "Link", "StorageUnit", "Store",
                        "GlobalConstraint")
#: Components that never enter PyPSA's LP on their own (standard types, geometry, outputs).
PASSIVE_COMPONENTS = ("LineType", "TransformerType", "SubNetwork", "Shape")

#: Attributes without influence on PyPSA's single-period linear optimisation (descriptive,
#: reactive power, multi-period or unit-commitment parameters that only act when the
#: checked switch -- investment periods, ``committable``, ``maintainable`` -- is on).
_UC = {"start_up_cost", "shut_down_cost", "stand_by_cost", "min_up_time", "min_down_time",
       "up_time_before", "down_time_before", "ramp_limit_start_up", "ramp_limit_shut_down",
       "maintenance_duration", "maintenance_pu", "maintenance_events"}
_IGNORED: dict[str, set[str]] = {
    "Bus": {"v_nom", "type", "x", "y", "carrier", "unit", "location", "v_mag_pu_set", "v_mag_pu_min",
            "v_mag_pu_max"},
    "Carrier": {"color", "nice_name", "max_growth", "max_relative_growth"},
    "Generator": {"control", "type", "q_set", "build_year", "lifetime", "weight"} | _UC,
    "Load": {"carrier", "type", "q_set"},
    "Link": {"type", "build_year", "lifetime", "length", "terrain_factor", "cyclic_delay"} | _UC,
    "StorageUnit": {"control", "type", "q_set", "build_year", "lifetime",
                    "state_of_charge_initial_per_period", "cyclic_state_of_charge_per_period"},
    "Store": {"type", "q_set", "build_year", "lifetime", "e_initial_per_period", "e_cyclic_per_period"},
    "GlobalConstraint": set(),
}
_COST = {"capital_cost", "overnight_cost", "discount_rate", "fom_cost"}  # via periodized_cost
#: Attributes ``from_network`` reads and checks itself; all other input attributes of a
#: supported component must keep PyPSA's default value.
_HANDLED: dict[str, set[str]] = {
    "Bus": {"name", "country"},
    "Carrier": {"name", "co2_emissions"},
    "Generator": {"name", "bus", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min", "p_nom_max",
                  "p_min_pu", "p_max_pu", "marginal_cost", "efficiency", "ramp_limit_up", "ramp_limit_down"}
    | _COST,
    "Load": {"name", "bus", "active", "p_set"},
    "Link": {"name", "bus0", "bus1", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min",
             "p_nom_max", "p_min_pu", "p_max_pu", "marginal_cost", "efficiency"} | _COST,
    "StorageUnit": {"name", "bus", "carrier", "active", "p_nom", "p_nom_extendable", "p_nom_min",
                    "p_nom_max", "p_min_pu", "p_max_pu", "marginal_cost", "max_hours", "efficiency_store",
                    "efficiency_dispatch", "standing_loss", "inflow", "state_of_charge_initial",
                    "cyclic_state_of_charge"} | _COST,
    "Store": {"name", "bus", "carrier", "active", "e_nom", "e_nom_extendable", "e_nom_min", "e_nom_max",
              "e_initial", "e_cyclic", "standing_loss"} | _COST,
    "GlobalConstraint": {"name", "type", "investment_period", "bus", "carrier_attribute", "sense",
                         "constant"},
}

#: Why a non-default value of an attribute cannot be imported, and what to do instead.
_REFUSAL_HINTS = {
    "committable": "unit commitment is a mixed-integer feature; set committable=False",
    "maintainable": "maintenance scheduling is not modelled; set maintainable=False",
    "marginal_cost_quadratic": "SilkGrid is a linear program; use a linear marginal_cost",
    "p_set": "fixed dispatch is not supported; remove p_set",
    "p_init": "dispatch before the first snapshot is not supported; remove p_init",
    "p_nom_mod": "modular (integer) capacity is not supported; set p_nom_mod=0",
    "e_nom_mod": "modular (integer) capacity is not supported; set e_nom_mod=0",
    "p_nom_set": "fix the capacity with p_nom (non-extendable) instead",
    "e_nom_set": "fix the capacity with e_nom (non-extendable) instead",
    "e_sum_min": "energy sum limits are not supported; remove them",
    "e_sum_max": "energy sum limits are not supported; remove them",
    "sign": "keep the default sign",
    "delay": "delayed links are not supported; set delay=0",
    "ramp_limit_up": "link ramp limits are not supported; remove them",
    "ramp_limit_down": "link ramp limits are not supported; remove them",
    "marginal_cost_storage": "costs on the stored energy are not supported; set it to 0",
    "spill_cost": "spillage costs are not supported; set spill_cost=0",
    "state_of_charge_set": "fixed states of charge are not supported; remove state_of_charge_set",
    "p_dispatch_set": "fixed dispatch is not supported; remove it",
    "p_store_set": "fixed charging is not supported; remove it",
    "e_set": "fixed energy levels are not supported; remove e_set",
    "e_min_pu": "SilkGrid stores may use their whole energy capacity (e_min_pu=0, e_max_pu=1); "
                "scale e_nom instead",
    "e_max_pu": "SilkGrid stores may use their whole energy capacity (e_min_pu=0, e_max_pu=1); "
                "scale e_nom instead",
    "marginal_cost": "a Store's marginal_cost also pays for charging (negative dispatch); "
                     "put the cost on a discharging Link instead",
}

_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")
_MAX_NUMBER = float(getattr(_schema, "MAX_NUMBER", math.inf))


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


def _pypsa():
    try:
        import pypsa
    except ImportError as exc:  # pragma: no cover - pypsa is an optional dependency
        raise ImportError("silkgrid.interop.pypsa needs PyPSA: pip install pypsa") from exc
    return pypsa


class _Ids:
    """SilkGrid ids from PyPSA names: invalid characters become '_', clashes get a suffix."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}
        self.map: dict[tuple[str, str], str] = {}

    def make(self, namespace: str, name: Any, key: tuple[str, str] | None = None) -> str:
        base = _ID_BAD.sub("_", str(name))[:90] or "_"
        used = self.used.setdefault(namespace, set())
        sid, k = base, 1
        while sid in used:
            k += 1
            sid = f"{base}-{k}"
        used.add(sid)
        if key is not None:
            self.map[key] = sid
        return sid


def _unique(name: str, taken: set[str]) -> str:
    out, k = name, 1
    while out in taken:
        k += 1
        out = f"{name}-{k}"
    taken.add(out)
    return out


# ========================================================================================
# import
# ========================================================================================
def from_network(n: pypsa.Network, *, name: str | None = None,
                 ids: dict[tuple[str, str], str] | None = None) -> Scenario:
    """Import a PyPSA network as a SilkGrid scenario (exact, or raise).

    Parameters
    ----------
    n:
        A single-period PyPSA network (buses, carriers, generators, loads, links, storage
        units, stores and CO2 ``primary_energy`` global constraints).
    name:
        Scenario name (default: ``n.name`` or ``"pypsa"``).
    ids:
        If given, filled with ``{(component, pypsa_name): silkgrid_id}`` -- PyPSA names may
        contain characters SilkGrid ids do not allow, such names are rewritten.

    Raises
    ------
    PyPSAConversionError
        For every feature of the network that SilkGrid cannot represent exactly.
    """
    _pypsa()
    imp = _Importer(n)
    data = imp.run(name)
    if ids is not None:
        ids.update(imp.ids.map)
    from silkgrid.scenario.loader import load_scenario
    return load_scenario(data)


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{float(v):g}"
    return repr(v)


class _Importer:
    def __init__(self, n: pypsa.Network) -> None:
        self.n = n
        self.ids = _Ids()
        self.noncyclic_storage_carriers: list[tuple[str, Any, str]] = []

    # -- helpers --------------------------------------------------------------------------
    def err(self, problem: str, component: str | None = None, element: Any = None,
            attribute: str | None = None, fix: str | None = None) -> PyPSAConversionError:
        return PyPSAConversionError(problem, component=component,
                                    element=None if element is None else str(element),
                                    attribute=attribute, fix=fix)

    def active(self, comp: str) -> pd.DataFrame:
        static = self.n.components[comp].static
        if "active" in static.columns:
            static = static[static["active"].astype(bool)]
        return static

    def dense(self, comp: str, attr: str, names: pd.Index) -> pd.DataFrame:
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
            if attr in _HANDLED[comp] or attr in _IGNORED[comp]:
                continue
            default = row["default"]
            if attr in frame.columns:
                bad = ~_equals_default(frame[attr], default)
                if bad.any():
                    el = names[np.flatnonzero(bad.to_numpy())[0]]
                    raise self.err(f"the value {_fmt(frame.loc[el, attr])} differs from PyPSA's default "
                                   f"{_fmt(default)} and cannot be represented", comp, el, attr,
                                   _REFUSAL_HINTS.get(attr, "reset it to the default"))
            if bool(row["varying"]):
                dyn = c.dynamic.get(attr)
                if dyn is not None and not dyn.empty:
                    cols = [col for col in dyn.columns if col in names]
                    for col in cols:
                        bad = ~_equals_default(dyn[col], default)
                        if bad.any():
                            raise self.err(f"a time-varying value differs from PyPSA's default {_fmt(default)} "
                                           "and cannot be represented", comp, col, attr,
                                           _REFUSAL_HINTS.get(attr, "remove the time series"))

    # -- main -----------------------------------------------------------------------------
    def run(self, name: str | None) -> dict:
        n = self.n
        self.check_structure()
        time, self.d = self.time_section()
        self.reps = np.asarray(self.d, dtype=int)
        self.carriers: dict[str, dict] = {}
        self.carrier_co2 = self.read_carriers()
        for cname in self.carrier_co2:  # every PyPSA carrier, used or not
            self.carrier_id(cname)
        nodes = self.nodes()
        co2_cap = self.global_constraints()
        gens, gen_techs = self.generators()
        su, su_techs = self.storage_units()
        st, st_techs = self.stores()
        links = self.links()
        loads = self.loads()
        self.check_storage_emissions(co2_cap)
        data = {
            "name": name or (n.name if getattr(n, "name", "") else "pypsa"),
            "description": "imported from a PyPSA network",
            "time": time,
            "nodes": nodes,
            "carriers": list(self.carriers.values()),
            "technologies": gen_techs + su_techs + st_techs,
            "generators": gens,
            "storage": su + st,
            "links": links,
            "loads": loads,
            "policies": {"co2_cap_t": co2_cap} if co2_cap is not None else {},
            "unserved_energy": {"allowed": False},
            "solver": {"algorithm": "ipm", "crossover": True},
        }
        return data

    def check_structure(self) -> None:
        n = self.n
        if getattr(n, "has_scenarios", False):
            raise self.err("stochastic networks (scenarios) are not supported", "Network",
                           fix="import one scenario at a time")
        if isinstance(n.snapshots, pd.MultiIndex) or len(n.investment_periods) > 0:
            raise self.err("multi-period investment (investment_periods) is not supported", "Network",
                           attribute="investment_periods",
                           fix="import one investment period as a single-period network")
        if len(n.snapshots) == 0:
            raise self.err("the network has no snapshots", "Network", attribute="snapshots",
                           fix="set snapshots with n.set_snapshots(...)")
        for c in n.components:
            cname = c.name
            if cname in PASSIVE_COMPONENTS or c.static.empty:
                continue
            if cname not in SUPPORTED_COMPONENTS:
                first = c.static.index[0]
                fix = {
                    "Line": "SilkGrid has no power flow (Kirchhoff) model; represent transmission as Links "
                            "(lossless bidirectional: p_min_pu=-1, efficiency=1) or remove the lines",
                    "Transformer": "SilkGrid has no power flow model; merge the buses or use a Link",
                }.get(cname, f"remove the {cname} components")
                raise self.err(f"the component type {cname} is not supported ({len(c.static)} present)",
                               cname, first, fix=fix)
        for comp in SUPPORTED_COMPONENTS:
            frame = self.active(comp) if comp not in ("Bus", "Carrier", "GlobalConstraint") \
                else n.components[comp].static
            if not frame.empty:
                self.check_defaults(comp, frame)
        links = self.active("Link")
        for col in links.columns:
            m = re.fullmatch(r"bus(\d+)", str(col))
            if m and int(m.group(1)) >= 2:
                used = links[col].fillna("").astype(str) != ""
                if used.any():
                    raise self.err("multi-port links (bus2, bus3, ...) are not supported", "Link",
                                   links.index[np.flatnonzero(used.to_numpy())[0]], str(col),
                                   "split the link into two-port links or remove the extra ports")
        for comp in ("Generator", "Link"):
            frame = self.active(comp)
            if "committable" in frame.columns and frame["committable"].astype(bool).any():
                el = frame.index[frame["committable"].astype(bool).to_numpy()][0]
                raise self.err("committable units are not supported (unit commitment is mixed-integer)",
                               comp, el, "committable", _REFUSAL_HINTS["committable"])

    def time_section(self) -> tuple[dict, np.ndarray]:
        n = self.n
        w = n.snapshot_weightings
        w_obj = w["objective"].to_numpy(dtype=float)
        w_sto = w["stores"].to_numpy(dtype=float)
        w_gen = w["generators"].to_numpy(dtype=float)
        k = w_sto[0]
        fix = ("use uniform whole-hour weightings (e.g. all 1 or all 3); only the last snapshot "
               "may be shorter")
        if not (k >= 1 and float(k).is_integer()):
            raise self.err(f"snapshot weighting 'stores' is {k:g} h; SilkGrid snapshots last a whole "
                           "number of hours", "Network", attribute="snapshot_weightings.stores", fix=fix)
        last = w_sto[-1]
        ok = np.r_[w_sto[:-1] == k, 1 <= last <= k and float(last).is_integer()]
        if not ok.all():
            bad = int(np.flatnonzero(~ok)[0])
            raise self.err(f"snapshot weightings 'stores' are not uniform (snapshot {n.snapshots[bad]!s} "
                           f"has {w_sto[bad]:g} h, the first {k:g} h)", "Network",
                           attribute="snapshot_weightings.stores", fix=fix)
        d = w_sto.copy()
        annualise = False
        if not np.allclose(w_obj, d, rtol=1e-12, atol=0):
            scaled = d * HOURS_PER_YEAR / d.sum()
            if np.allclose(w_obj, scaled, rtol=1e-9, atol=0):
                annualise = True
            else:
                raise self.err("snapshot weightings 'objective' differ from 'stores' in a way SilkGrid "
                               "cannot represent", "Network", attribute="snapshot_weightings.objective",
                               fix="use objective weightings equal to the stores weightings, or all "
                                   "scaled by the same factor so that they sum to 8760 h")
        self.w = scaled if annualise else d
        self.w_gen = w_gen
        start = "2030-01-01 00:00"
        if isinstance(n.snapshots, pd.DatetimeIndex):
            start = str(n.snapshots[0])
        return ({"start": start, "hours": int(d.sum()), "resolution": f"{int(k)}h",
                 "annualise": annualise}, d)

    def profile(self, values: np.ndarray) -> float | np.ndarray:
        """A per-snapshot series as a SilkGrid hourly profile (constant -> float)."""
        values = np.asarray(values, dtype=float)
        if np.all(values == values[0]):
            return float(values[0])
        return np.repeat(values, self.reps)

    # -- components -------------------------------------------------------------------------
    def read_carriers(self) -> dict[str, float]:
        cars = self.n.components["Carrier"].static
        co2: dict[str, float] = {}
        for cname, row in cars.iterrows():
            value = float(row.get("co2_emissions", 0.0))
            if not math.isfinite(value) or value < 0:
                raise self.err(f"co2_emissions {value:g} t/MWh cannot be represented (SilkGrid emission "
                               "factors are non-negative)", "Carrier", cname, "co2_emissions",
                               "use a non-negative emission factor")
            co2[str(cname)] = value
        return co2

    def carrier_id(self, cname: Any, renewable: bool = False) -> str:
        key = "" if cname is None or (isinstance(cname, float) and math.isnan(cname)) else str(cname)
        if key not in self.carriers:
            sid = self.ids.make("carriers", key or "unspecified", ("Carrier", key))
            self.carriers[key] = {"id": sid, "co2_t_per_mwh_th": self.carrier_co2.get(key, 0.0),
                                  "renewable": False, "name": key or None}
        if renewable and self.carrier_co2.get(key, 0.0) == 0:
            self.carriers[key]["renewable"] = True
        return self.carriers[key]["id"]

    def nodes(self) -> list[dict]:
        buses = self.n.components["Bus"].static
        if buses.empty:
            raise self.err("the network has no buses", "Bus", fix="add at least one bus")
        out = []
        self.bus_id: dict[str, str] = {}
        for bname, row in buses.iterrows():
            sid = self.ids.make("nodes", bname, ("Bus", str(bname)))
            self.bus_id[str(bname)] = sid
            country = row.get("country", None)
            country = str(country) if isinstance(country, str) and country.strip() else "XX"
            node = {"id": sid, "name": str(bname), "country": country}
            x, y = float(row.get("x", 0.0) or 0.0), float(row.get("y", 0.0) or 0.0)
            if (x, y) != (0.0, 0.0) and -180 <= x <= 180 and -90 <= y <= 90:
                node["lon"], node["lat"] = x, y
            out.append(node)
        return out

    def node(self, comp: str, el: Any, bus: Any, attr: str = "bus") -> str:
        try:
            return self.bus_id[str(bus)]
        except KeyError:
            raise self.err(f"the bus '{bus}' does not exist", comp, el, attr,
                           "add the bus or correct the reference") from None

    def global_constraints(self) -> float | None:
        gcs = self.n.components["GlobalConstraint"].static
        cap = None
        for gname, row in gcs.iterrows():
            if row["type"] != "primary_energy":
                raise self.err(f"GlobalConstraint type '{row['type']}' is not supported (only "
                               "'primary_energy' on 'co2_emissions')", "GlobalConstraint", gname, "type",
                               "remove the constraint")
            if row["carrier_attribute"] != "co2_emissions":
                raise self.err(f"primary_energy on carrier attribute '{row['carrier_attribute']}' is not "
                               "supported (only 'co2_emissions')", "GlobalConstraint", gname,
                               "carrier_attribute", "remove the constraint")
            if row["sense"] != "<=":
                raise self.err(f"sense '{row['sense']}' is not supported (a CO2 cap is '<=')",
                               "GlobalConstraint", gname, "sense", "use sense '<='")
            ip = row.get("investment_period", np.nan)
            if ip is not None and not (isinstance(ip, float) and math.isnan(ip)):
                raise self.err("investment_period is set", "GlobalConstraint", gname, "investment_period",
                               "leave it empty")
            const = float(row["constant"])
            if not math.isfinite(const) or const < 0:
                raise self.err(f"the cap {const:g} t is negative or not finite", "GlobalConstraint", gname,
                               "constant", "use a non-negative cap")
            cap = const if cap is None else min(cap, const)
        self.has_co2_cap = cap is not None and any(v != 0 for v in self.carrier_co2.values())
        if self.has_co2_cap and not np.allclose(self.w_gen, self.w, rtol=1e-12, atol=0):
            raise self.err("snapshot weightings 'generators' differ from 'objective'; the CO2 cap would "
                           "count emissions with other weights than costs", "Network",
                           attribute="snapshot_weightings.generators",
                           fix="use the same generators and objective weightings")
        return cap

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
        unlimited = math.isinf(hi) or hi * scale > _MAX_NUMBER
        return {"existing": 0.0, "extendable": True, "min": lo * scale,
                "max": None if unlimited else hi * scale}

    def costs(self, comp: str, names: pd.Index) -> pd.Series:
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
        s = self.static_only(comp, attr, names, fix)
        for el, v in s.items():
            if not math.isfinite(v) or v < 0:
                raise self.err(f"{attr} {v:g} is negative or not finite; SilkGrid costs are non-negative",
                               comp, el, attr, "use a non-negative value")
        return s

    def generators(self) -> tuple[list[dict], list[dict]]:
        comp = "Generator"
        g = self.active(comp)
        names = g.index
        if names.empty:
            return [], []
        pmax = self.dense(comp, "p_max_pu", names)
        pmin = self.dense(comp, "p_min_pu", names)
        mc = self.nonneg_static(comp, "marginal_cost", names,
                                "use a constant marginal cost (an hourly price is a SilkGrid market)")
        eff = self.static_only(comp, "efficiency", names, "use a constant efficiency")
        cost = self.costs(comp, names)
        ramp = {d: self.static_only(comp, f"ramp_limit_{d}", names, "use a constant ramp limit")
                for d in ("up", "down")}
        gens, techs = [], []
        for el, row in g.iterrows():
            gid = self.ids.make("generators", el, (comp, str(el)))
            hi = pmax[el].to_numpy(dtype=float)
            lo = pmin[el].to_numpy(dtype=float)
            if not np.all(np.isfinite(hi)) or hi.min() < 0 or hi.max() > 1 + 1e-12:
                raise self.err(f"p_max_pu must lie in [0, 1] (found {np.nanmin(hi):g} .. {np.nanmax(hi):g})",
                               comp, el, "p_max_pu", "scale p_nom so that p_max_pu <= 1")
            if not np.all(np.isfinite(lo)) or lo.min() < 0:
                raise self.err(f"negative p_min_pu ({np.nanmin(lo):g}) is not supported (a generator that "
                               "consumes)", comp, el, "p_min_pu",
                               "model consumption as a Load, a Link or a StorageUnit")
            if np.any(lo > hi + 1e-12):
                raise self.err("p_min_pu exceeds p_max_pu in some snapshot", comp, el, "p_min_pu",
                               "keep p_min_pu <= p_max_pu")
            cid = self.carrier_id(row.get("carrier", ""), renewable=bool(np.any(hi != hi[0])))
            co2 = self.carrier_co2.get(str(row.get("carrier", "")), 0.0)
            e = float(eff[el])
            if not (math.isfinite(e) and e > 0):
                raise self.err(f"efficiency {e:g} is not positive", comp, el, "efficiency",
                               "use a positive efficiency")
            if e > 1:
                if co2 != 0:
                    raise self.err(f"efficiency {e:g} > 1 with an emitting carrier cannot be represented",
                                   comp, el, "efficiency", "use an efficiency <= 1")
                e = 1.0  # only used for emissions, which are zero for this carrier
            cap = self.capacity(comp, el, row, "p_nom")
            r = {}
            for direction in ("up", "down"):
                v = float(ramp[direction][el])
                if math.isnan(v):
                    r[direction] = None
                    continue
                if v < 0:
                    raise self.err(f"ramp_limit_{direction} {v:g} is negative", comp, el,
                                   f"ramp_limit_{direction}", "use a non-negative ramp limit")
                # PyPSA's limit is per snapshot; SilkGrid's per hour times the snapshot's hours.
                per_hour = v / float(self.d[0])
                if len(self.d) > 1 and self.d[-1] != self.d[0] and v < 1:
                    raise self.err("a ramp limit with a shorter last snapshot cannot be represented", comp,
                                   el, f"ramp_limit_{direction}", "use snapshots of equal weighting")
                r[direction] = None if v >= 1 else per_hour
            tid = self.ids.make("technologies", f"gen.{gid}")
            techs.append({"id": tid, "carrier": cid, "annualised_cost_eur_per_mw_yr": float(cost[el]),
                          "efficiency": e, "name": f"PyPSA Generator {el}"})
            gens.append({"id": gid, "node": self.node(comp, el, row["bus"]), "technology": tid,
                         "capacity_mw": cap["existing"], "extendable": cap["extendable"],
                         "min_capacity_mw": cap["min"], "max_capacity_mw": cap["max"],
                         "availability": self.profile(hi), "min_output": self.profile(lo),
                         "ramp_limit_up_per_hour": r["up"], "ramp_limit_down_per_hour": r["down"],
                         "variable_cost_eur_per_mwh": float(mc[el])})
        return gens, techs

    def efficiency(self, comp: str, attr: str, names: pd.Index) -> pd.Series:
        s = self.static_only(comp, attr, names, "use a constant efficiency")
        for el, v in s.items():
            if not (math.isfinite(v) and 0 < v <= 1):
                raise self.err(f"{attr} {v:g} is not in (0, 1]", comp, el, attr,
                               "use an efficiency in (0, 1]")
        return s

    def standing_loss(self, comp: str, names: pd.Index) -> pd.Series:
        s = self.static_only(comp, "standing_loss", names, "use a constant standing loss")
        for el, v in s.items():
            if not (math.isfinite(v) and 0 <= v < 1):
                raise self.err(f"standing_loss {v:g} is not in [0, 1)", comp, el, "standing_loss",
                               "use a standing loss per hour in [0, 1)")
        return s

    def storage_units(self) -> tuple[list[dict], list[dict]]:
        comp = "StorageUnit"
        su = self.active(comp)
        names = su.index
        if names.empty:
            return [], []
        fix = "use constant p_max_pu = -p_min_pu (charging and discharging share the power capacity)"
        pmax = self.static_only(comp, "p_max_pu", names, fix)
        pmin = self.static_only(comp, "p_min_pu", names, fix)
        mc = self.nonneg_static(comp, "marginal_cost", names, "use a constant marginal cost")
        eff_s = self.efficiency(comp, "efficiency_store", names)
        eff_d = self.efficiency(comp, "efficiency_dispatch", names)
        loss = self.standing_loss(comp, names)
        inflow = self.dense(comp, "inflow", names)
        cost = self.costs(comp, names)
        out, techs = [], []
        for el, row in su.iterrows():
            sid = self.ids.make("storage", el, (comp, str(el)))
            c = float(pmax[el])
            can_charge = float(pmin[el]) != 0.0  # p_min_pu = 0: a reservoir that cannot pump
            if not (math.isfinite(c) and c > 0) or float(pmin[el]) not in (-c, 0.0):
                raise self.err(f"p_min_pu {float(pmin[el]):g} / p_max_pu {c:g} cannot be represented; "
                               "SilkGrid storage charges and discharges up to the same power", comp, el,
                               "p_min_pu", fix)
            mh = float(row["max_hours"])
            if not (math.isfinite(mh) and mh > 0):
                raise self.err(f"max_hours {mh:g} is not positive", comp, el, "max_hours",
                               "use a positive max_hours")
            flow = inflow[el].to_numpy(dtype=float)
            if not np.all(np.isfinite(flow)) or flow.min() < 0:
                raise self.err("inflow must be non-negative and finite", comp, el, "inflow",
                               "correct the inflow")
            cap = self.capacity(comp, el, row, "p_nom", scale=c)
            cyclic = bool(row["cyclic_state_of_charge"])
            initial = 0.0
            if not cyclic:
                # PyPSA: soc[0] = soc_initial + ...; SilkGrid applies the first snapshot's standing
                # loss to the initial state: soc[0] = (1 - loss)^d0 initial + ...
                soc0 = float(row["state_of_charge_initial"])
                if not math.isfinite(soc0) or soc0 < 0:
                    raise self.err(f"state_of_charge_initial {soc0:g} is negative", comp, el,
                                   "state_of_charge_initial", "use a non-negative value")
                initial = soc0 / (1.0 - float(loss[el])) ** float(self.d[0])
                self.noncyclic_storage_carriers.append((comp, el, str(row.get("carrier", ""))))
            cid = self.carrier_id(row.get("carrier", ""))
            tid = self.ids.make("technologies", f"su.{sid}")
            techs.append({"id": tid, "carrier": cid,
                          "annualised_cost_eur_per_mw_yr": float(cost[el]) / c,
                          "energy_annualised_cost_eur_per_mwh_yr": 0.0,
                          "name": f"PyPSA StorageUnit {el}"})
            out.append({"id": sid, "node": self.node(comp, el, row["bus"]), "technology": tid,
                        "power_capacity_mw": cap["existing"], "extendable_power": cap["extendable"],
                        "min_power_capacity_mw": cap["min"], "max_power_capacity_mw": cap["max"],
                        "max_hours": mh / c,
                        "efficiency_charge": float(eff_s[el]), "efficiency_discharge": float(eff_d[el]),
                        "standing_loss_per_hour": float(loss[el]), "cyclic": cyclic,
                        "initial_state_mwh": initial, "inflow_mw": self.profile(flow), "spillage": True,
                        "can_charge": can_charge, "variable_cost_eur_per_mwh": float(mc[el])})
        return out, techs

    def stores(self) -> tuple[list[dict], list[dict]]:
        comp = "Store"
        st = self.active(comp)
        names = st.index
        if names.empty:
            return [], []
        loss = self.standing_loss(comp, names)
        cost = self.costs(comp, names)
        out, techs = [], []
        for el, row in st.iterrows():
            sid = self.ids.make("storage", el, (comp, str(el)))
            cap = self.capacity(comp, el, row, "e_nom")
            cyclic = bool(row["e_cyclic"])
            initial = 0.0
            if not cyclic:
                e0 = float(row["e_initial"])
                if not math.isfinite(e0) or e0 < 0:
                    raise self.err(f"e_initial {e0:g} is negative", comp, el, "e_initial",
                                   "use a non-negative value")
                initial = e0 / (1.0 - float(loss[el])) ** float(self.d[0])
                self.noncyclic_storage_carriers.append((comp, el, str(row.get("carrier", ""))))
            cid = self.carrier_id(row.get("carrier", ""))
            tid = self.ids.make("technologies", f"store.{sid}")
            techs.append({"id": tid, "carrier": cid, "annualised_cost_eur_per_mw_yr": 0.0,
                          "energy_annualised_cost_eur_per_mwh_yr": float(cost[el]),
                          "name": f"PyPSA Store {el}"})
            out.append({"id": sid, "node": self.node(comp, el, row["bus"]), "technology": tid,
                        "unlimited_power": True,
                        "energy_capacity_mwh": cap["existing"], "extendable_energy": cap["extendable"],
                        "min_energy_capacity_mwh": cap["min"], "max_energy_capacity_mwh": cap["max"],
                        "standing_loss_per_hour": float(loss[el]), "cyclic": cyclic,
                        "initial_state_mwh": initial})
        return out, techs

    def check_storage_emissions(self, co2_cap: float | None) -> None:
        if co2_cap is None:
            return
        for comp, el, carrier in self.noncyclic_storage_carriers:
            if self.carrier_co2.get(carrier, 0.0) != 0:
                raise self.err(f"PyPSA counts the emissions of non-cyclic storage with carrier '{carrier}' "
                               "(co2_emissions != 0) in the CO2 constraint; SilkGrid storage does not emit",
                               comp, el, "carrier",
                               "make the storage cyclic or give it a carrier without emissions")

    def links(self) -> list[dict]:
        comp = "Link"
        lk = self.active(comp)
        names = lk.index
        if names.empty:
            return []
        fix = "use constant p_max_pu and p_min_pu (0 or -p_max_pu)"
        pmax = self.static_only(comp, "p_max_pu", names, fix)
        pmin = self.static_only(comp, "p_min_pu", names, fix)
        eff = self.static_only(comp, "efficiency", names, "use a constant efficiency")
        mc = self.static_only(comp, "marginal_cost", names, "use a constant marginal cost")
        cost = self.costs(comp, names)
        out = []
        for el, row in lk.iterrows():
            lid = self.ids.make("links", el, (comp, str(el)))
            b0 = self.node(comp, el, row["bus0"], "bus0")
            b1 = self.node(comp, el, row["bus1"], "bus1")
            if b0 == b1:
                raise self.err("bus0 and bus1 are the same bus", comp, el, "bus1",
                               "connect two different buses")
            c, lo = float(pmax[el]), float(pmin[el])
            if not (math.isfinite(c) and 0 < c):
                raise self.err(f"p_max_pu {c:g} is not positive", comp, el, "p_max_pu",
                               "use a positive p_max_pu")
            if lo == 0:
                bidirectional = False
            elif lo == -c:
                bidirectional = True
            else:
                raise self.err(f"p_min_pu {lo:g} cannot be represented (only 0: one direction, or "
                               f"-p_max_pu = {-c:g}: both directions at the same capacity)", comp, el,
                               "p_min_pu", "use p_min_pu 0 or -p_max_pu")
            e, m = float(eff[el]), float(mc[el])
            if not (math.isfinite(e) and 0 < e <= 1):
                raise self.err(f"efficiency {e:g} is not in (0, 1]", comp, el, "efficiency",
                               "use an efficiency in (0, 1]")
            if not (math.isfinite(m) and m >= 0):
                raise self.err(f"marginal_cost {m:g} is negative or not finite", comp, el, "marginal_cost",
                               "use a non-negative marginal cost")
            if bidirectional and e != 1:
                raise self.err(f"a reversible link (p_min_pu < 0) with efficiency {e:g} != 1 gains energy in "
                               "the reverse direction in PyPSA (bus0 receives p/efficiency)", comp, el,
                               "efficiency", "split it into two unidirectional links (p_min_pu=0), one per "
                               "direction, or make it lossless")
            if bidirectional and m != 0:
                raise self.err("a reversible link (p_min_pu < 0) with marginal_cost != 0 earns the cost back "
                               "in the reverse direction in PyPSA", comp, el, "marginal_cost",
                               "split it into two unidirectional links (p_min_pu=0), one per direction")
            cap = self.capacity(comp, el, row, "p_nom", scale=c)
            length = float(row.get("length", 0.0) or 0.0)
            out.append({"id": lid, "from_node": b0, "to_node": b1, "capacity_mw": cap["existing"],
                        "extendable": cap["extendable"], "min_capacity_mw": cap["min"],
                        "max_capacity_mw": cap["max"], "length_km": max(length, 0.0),
                        "annualised_cost_eur_per_mw_yr": float(cost[el]) / c,
                        "efficiency": e, "bidirectional": bidirectional,
                        "variable_cost_eur_per_mwh": m})
        return out

    def loads(self) -> list[dict]:
        comp = "Load"
        ld = self.active(comp)
        names = ld.index
        if names.empty:
            return []
        p = self.dense(comp, "p_set", names)
        out = []
        for el, row in ld.iterrows():
            lid = self.ids.make("loads", el, (comp, str(el)))
            v = p[el].to_numpy(dtype=float)
            if not np.all(np.isfinite(v)) or v.min() < 0:
                raise self.err("p_set must be finite and non-negative (negative demand is generation)",
                               comp, el, "p_set", "model negative demand as a Generator")
            out.append({"id": lid, "node": self.node(comp, el, row["bus"]), "demand_mw": self.profile(v)})
        return out


def _equals_default(values: pd.Series, default: Any) -> pd.Series:
    """Element-wise: does the value equal PyPSA's default (NaN == NaN, '' == NaN)?"""
    if isinstance(default, str):
        v = values.astype(object)
        return v.isna() | (v.astype(str) == default)
    if isinstance(default, (bool, np.bool_)):
        return values.fillna(default).astype(bool) == bool(default)
    try:
        d = float(default)
    except (TypeError, ValueError):
        return values.isna() | (values == default)
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if math.isnan(d):
        return v.isna()
    return v == d


# ========================================================================================
# export
# ========================================================================================
def to_network(scenario: Scenario | str | Path | dict, *, tie_links: bool = False) -> pypsa.Network:
    """Export a scenario as a PyPSA network with the same optimum.

    ``n.optimize()`` (with PyPSA's default ``include_objective_constant=True``) on the result
    gives ``silkgrid.solve(scenario).objective``; capacities are ``p_nom_opt`` / ``e_nom_opt``
    (total, existing included).

    Mapping: nodes -> buses; carriers -> carriers (CO2); generators -> generators with the
    full marginal cost (variable cost + CO2 price); storage with ``max_hours`` -> storage
    units; pure energy storage -> stores (with charger/discharger links where efficiencies
    or costs apply); links -> one reversible link when lossless and free, else one link per
    direction; markets -> an import generator (price) and an export generator
    (``p_min_pu=-1, p_max_pu=0`` at the price); unserved energy -> a generator per load at
    the value of lost load; the CO2 cap -> a ``primary_energy`` global constraint.

    ``tie_links``: an extendable link that is lossy or costly in both directions needs two
    PyPSA links with one shared capacity, which plain PyPSA cannot express.  By default this
    raises; with ``tie_links=True`` the pair is recorded in ``n.meta["silkgrid_tied_links"]``
    and ``n.optimize(extra_functionality=link_capacity_ties)`` adds the equality.

    Raises
    ------
    PyPSAConversionError
        For what PyPSA cannot express (country CO2 caps, minimum renewable shares, firm
        exports, extendable power of separately sized storage, ...).
    """
    pypsa = _pypsa()
    from silkgrid.model.arrays import build_arrays
    from silkgrid.scenario.loader import load_scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    pol = sc.policies

    def refuse(problem: str, section: str, element: str | None, attribute: str | None, fix: str):
        return PyPSAConversionError(problem, component=section, element=element, attribute=attribute,
                                    fix=fix, export=True)

    if pol.co2_cap_t_by_country:
        c = next(iter(pol.co2_cap_t_by_country))
        raise refuse("country CO2 caps have no PyPSA equivalent (primary_energy constraints are "
                     "system-wide)", "policies", c, "co2_cap_t_by_country",
                     "use a system-wide co2_cap_t or remove the country caps")
    if pol.min_renewable_share:
        c = next(iter(pol.min_renewable_share))
        raise refuse("minimum renewable shares have no PyPSA global-constraint equivalent", "policies", c,
                     "min_renewable_share", "remove min_renewable_share")
    if pol.firm_exports:
        raise refuse("firm export contracts have no PyPSA equivalent", "policies",
                     pol.firm_exports[0].id, "firm_exports", "remove firm_exports")
    if pol.cbam_hourly_matching:
        raise refuse("CBAM hourly matching has no PyPSA equivalent", "policies", None,
                     "cbam_hourly_matching", "set cbam_hourly_matching to false")

    a = build_arrays(sc)
    snaps = a.snapshots
    K = 1e3  # LP units (GW, MEUR/GWh, MEUR/GW/yr) -> MW, EUR/MWh, EUR/MW/yr

    n = pypsa.Network()
    n.name = sc.name
    n.set_snapshots(snaps.index)
    n.snapshot_weightings = pd.DataFrame(
        {"objective": np.asarray(snaps.weight, dtype=float), "stores": np.asarray(snaps.duration_h, dtype=float),
         "generators": np.asarray(snaps.weight, dtype=float)}, index=n.snapshots)
    idx = n.snapshots

    def series(values: np.ndarray) -> float | pd.Series:
        values = np.asarray(values, dtype=float)
        if np.all(values == values[0]):
            return float(values[0])
        return pd.Series(values, index=idx)

    # buses
    buses = set()
    for node in sc.nodes:
        kw = {}
        if node.lon is not None and node.lat is not None:
            kw = {"x": node.lon, "y": node.lat}
        n.add("Bus", node.id, **kw)
        buses.add(node.id)
    n.buses["country"] = pd.Series({node.id: node.country for node in sc.nodes}).reindex(n.buses.index)

    # carriers: storage must not emit in PyPSA's primary_energy constraint
    carriers = {c.id: c for c in sc.carriers}
    techs = sc.technology_map()
    carrier_names = set(carriers)
    for c in sc.carriers:
        n.add("Carrier", c.id, co2_emissions=c.co2_t_per_mwh_th)
    storage_carrier: dict[str, str] = {}
    for s in sc.storage:
        cid = techs[s.technology].carrier
        if carriers[cid].co2_t_per_mwh_th != 0 and cid not in storage_carrier:
            storage_carrier[cid] = _unique(f"{cid}-storage", carrier_names)
            n.add("Carrier", storage_carrier[cid], co2_emissions=0.0)

    def extra_carrier(name: str) -> str:
        name = _unique(name, carrier_names)
        n.add("Carrier", name, co2_emissions=0.0)
        return name

    # generators
    gen_names: set[str] = {g.id for g in sc.generators}
    gc = a.gen_cap
    d = snaps.duration_h
    for i, g in enumerate(sc.generators):
        tech = techs[g.technology]
        kw = _capacity_kw("p_nom", gc, i)
        ramp = {}
        for direction, r in (("up", a.gen_ramp_up[i]), ("down", a.gen_ramp_down[i])):
            if not np.isnan(r):
                ramp[f"ramp_limit_{direction}"] = series(r * d)  # PyPSA: per snapshot
        n.add("Generator", g.id, bus=g.node, carrier=tech.carrier, efficiency=tech.efficiency,
              marginal_cost=a.gen_marginal[i] * K, p_max_pu=series(a.gen_avail[i]),
              p_min_pu=series(a.gen_min[i]), **kw, **ramp)

    # storage
    sp, se = a.sto_power, a.sto_energy
    link_names: set[str] = {ln.id for ln in sc.links}
    store_names: set[str] = set()
    for i, s in enumerate(sc.storage):
        cid = techs[s.technology].carrier
        carrier = storage_carrier.get(cid, cid)
        keep0 = (1.0 - s.standing_loss_per_hour) ** d[0]
        init = a.sto_initial[i] * K * keep0
        inflow = a.sto_inflow[i] * K
        if not np.isnan(a.sto_max_hours[i]):
            if not s.spillage and np.any(inflow > 0):
                raise refuse("PyPSA always allows spilling inflow", "storage", s.id, "spillage",
                             "set spillage: true")
            kw = _capacity_kw("p_nom", sp, i)
            n.add("StorageUnit", s.id, bus=s.node, carrier=carrier, max_hours=a.sto_max_hours[i],
                  efficiency_store=s.efficiency_charge, efficiency_dispatch=s.efficiency_discharge,
                  standing_loss=s.standing_loss_per_hour, cyclic_state_of_charge=bool(s.cyclic),
                  state_of_charge_initial=0.0 if s.cyclic else init, inflow=series(inflow),
                  marginal_cost=a.sto_marginal[i] * K, p_min_pu=-1.0 if s.can_charge else 0.0, **kw)
            continue
        if not s.can_charge:
            raise refuse("a store that cannot charge needs a PyPSA StorageUnit", "storage", s.id, "can_charge",
                         "give the storage a max_hours ratio")
        if np.any(inflow > 0):
            raise refuse("inflow into storage without max_hours cannot be exported", "storage", s.id,
                         "inflow_mw", "give the storage a max_hours ratio (a PyPSA StorageUnit)")
        if sp.extendable[i] and not s.unlimited_power:
            raise refuse("extendable power with a separately sized energy capacity needs a charger and a "
                         "discharger of equal capacity, which plain PyPSA cannot tie together", "storage",
                         s.id, "extendable_power",
                         "fix the power capacity, give the storage a max_hours ratio, or use unlimited_power")
        store_kw = _capacity_kw("e_nom", se, i)
        simple = (s.unlimited_power and s.efficiency_charge == 1 and s.efficiency_discharge == 1
                  and a.sto_marginal[i] == 0)
        bus = s.node
        if not simple:
            bus = _unique(f"{s.id} store", buses)
            n.add("Bus", bus, carrier=carrier)
            n.buses.loc[bus, "country"] = n.buses.loc[s.node, "country"]
            power = np.inf if s.unlimited_power else sp.existing[i] * K
            p_cost = 0.0 if s.unlimited_power else sp.cost_existing[i] * K
            n.add("Link", _unique(f"{s.id} charger", link_names), bus0=s.node, bus1=bus, carrier=carrier,
                  p_nom=power, efficiency=s.efficiency_charge, capital_cost=p_cost)
            # SilkGrid limits and charges the power delivered to the node: the discharger's
            # input is that power / efficiency.
            n.add("Link", _unique(f"{s.id} discharger", link_names), bus0=bus, bus1=s.node, carrier=carrier,
                  p_nom=power / s.efficiency_discharge, efficiency=s.efficiency_discharge,
                  marginal_cost=a.sto_marginal[i] * K * s.efficiency_discharge)
        n.add("Store", _unique(s.id, store_names), bus=bus, carrier=carrier,
              standing_loss=s.standing_loss_per_hour, e_cyclic=bool(s.cyclic),
              e_initial=0.0 if s.cyclic else init, **store_kw)

    # links
    lc = a.link_cap
    ties: list[list[str]] = []
    for i, ln in enumerate(sc.links):
        kw = _capacity_kw("p_nom", lc, i)
        eff, eff_rev, mc = a.link_eff[i], a.link_eff_rev[i], a.link_marginal[i] * K
        if not ln.bidirectional:
            n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, efficiency=eff, marginal_cost=mc,
                  length=ln.length_km, **kw)
            continue
        if eff == 1 and eff_rev == 1 and mc == 0:
            n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, p_min_pu=-1.0,
                  length=ln.length_km, **kw)
            continue
        if lc.extendable[i] and not tie_links:
            raise refuse("an extendable link that is lossy or costly in both directions needs one PyPSA "
                         "link per direction with a shared capacity, which plain PyPSA cannot express",
                         "links", ln.id, "extendable",
                         "fix its capacity, make it lossless and free (one reversible PyPSA link), or call "
                         "to_network(..., tie_links=True) and optimise with "
                         "extra_functionality=link_capacity_ties")
        rev = _unique(f"{ln.id} reverse", link_names)
        n.add("Link", ln.id, bus0=ln.from_node, bus1=ln.to_node, efficiency=eff, marginal_cost=mc,
              length=ln.length_km, **kw)
        kw_rev = dict(kw)
        kw_rev["capital_cost"] = 0.0  # the capacity is paid once, on the forward link
        n.add("Link", rev, bus0=ln.to_node, bus1=ln.from_node, efficiency=eff_rev, marginal_cost=mc,
              length=ln.length_km, **kw_rev)
        if lc.extendable[i]:
            ties.append([ln.id, rev])
    if ties:
        n.meta["silkgrid_tied_links"] = ties

    # loads
    for i, ld in enumerate(sc.loads):
        n.add("Load", ld.id, bus=ld.node, p_set=series(a.load_demand[i] * K))

    # markets: buying is a generator at the price; selling a generator with negative output
    # (p_min_pu=-1, p_max_pu=0) whose cost price x p is the revenue.
    if sc.markets:
        mcar = extra_carrier("market")
    for i, m in enumerate(sc.markets):
        price = series(a.market_price[i] * K)
        if a.market_import_cap[i] > 0:
            n.add("Generator", _unique(f"{m.id} import", gen_names), bus=m.node, carrier=mcar,
                  p_nom=a.market_import_cap[i] * K, marginal_cost=price)
        if a.market_export_cap[i] > 0:
            n.add("Generator", _unique(f"{m.id} export", gen_names), bus=m.node, carrier=mcar,
                  p_nom=a.market_export_cap[i] * K, p_min_pu=-1.0, p_max_pu=0.0, marginal_cost=price)

    # unserved energy: a generator per load up to its demand, at the value of lost load
    shed = np.flatnonzero(~np.isnan(a.load_voll))
    if shed.size:
        scar = extra_carrier("load-shedding")
        for i in shed:
            demand = a.load_demand[i] * K
            peak = float(demand.max())
            if peak <= 0:
                continue
            ld = sc.loads[i]
            n.add("Generator", _unique(f"{ld.id} shedding", gen_names), bus=ld.node, carrier=scar,
                  p_nom=peak, p_max_pu=series(demand / peak), marginal_cost=a.load_voll[i] * K)

    if a.co2_cap is not None:
        n.add("GlobalConstraint", "co2_cap", type="primary_energy", carrier_attribute="co2_emissions",
              sense="<=", constant=a.co2_cap * 1e3)
    return n


def _capacity_kw(nom: str, cap, i: int) -> dict[str, Any]:
    """PyPSA capacity attributes of element ``i`` of a SilkGrid capacity family.

    Extendable: ``nom`` = existing capacity, ``nom_min`` = the binding lower bound on the
    total, capital cost = annualised cost of new capacity (PyPSA's objective constant then
    removes the existing capacity's share, as SilkGrid does).
    """
    K = 1e3
    existing = cap.existing[i] * K
    if cap.extendable[i]:
        hi = cap.max_total[i] * K
        return {nom: existing, f"{nom}_extendable": True,
                f"{nom}_min": max(cap.min_total[i] * K, existing), f"{nom}_max": hi,
                "capital_cost": cap.cost_new[i] * K}
    return {nom: existing, "capital_cost": cap.cost_existing[i] * K}


def link_capacity_ties(n: pypsa.Network, snapshots: Iterable) -> None:
    """``extra_functionality`` for :func:`to_network` with ``tie_links=True``: give each
    pair of direction links one shared capacity (``p_nom_opt`` equal)."""
    pairs = n.meta.get("silkgrid_tied_links", []) if isinstance(n.meta, dict) else []
    if not pairs:
        return
    m = n.model
    p_nom = m["Link-p_nom"]
    for k, (fwd, rev) in enumerate(pairs):
        m.add_constraints(p_nom.sel(name=fwd) - p_nom.sel(name=rev) == 0, name=f"silkgrid-link-tie-{k}")
