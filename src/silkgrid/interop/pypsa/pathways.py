"""PyPSA multi-investment-period networks <-> SilkGrid pathways (docs/pathways.md).

``from_pypsa_pathway(n)`` turns a network with ``n.investment_periods`` (snapshots indexed by
(period, timestep)) into a pathway dict: ``silkgrid.solve_pathway(d).objective_pv_eur`` equals
``n.objective`` after ``n.optimize(multi_investment_periods=True, include_objective_constant=False)``.
Each period's scenario is the single-period import (:func:`~silkgrid.interop.pypsa.from_network`)
of the period's snapshots, with the components PyPSA deems inactive there (``build_year <= period <
build_year + lifetime``) at 0 MW; an extendable component becomes one vintage (``build_year``,
``lifetime_years``), paid in every period it is active, as in PyPSA.

``to_pypsa_pathway(pathway)`` is the inverse for the same subset: each period is exported with
:func:`~silkgrid.interop.pypsa.to_network` and the periods are merged into one network.  An element
with ``build_year`` is one PyPSA component; one without gets one component per period it may be
built in (``<id> <year>``), and its existing capacity one more (``<id>``).  Fixed capacity that
changes between periods scales ``p_max_pu`` / ``p_min_pu`` (generators, links) or sets the
activity (storage).  Whatever cannot be represented raises :class:`PyPSAConversionError`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from silkgrid.interop.pypsa.common import equals_default, fmt, load_pypsa, unique
from silkgrid.interop.pypsa.errors import PyPSAConversionError
from silkgrid.interop.pypsa.exporter import to_network
from silkgrid.interop.pypsa.importer import ImportContext, scenario_data
from silkgrid.model.pathway import lifetimes
from silkgrid.scenario.loader import ELEMENT_SECTIONS
from silkgrid.scenario.pathway import PathwaySpec, load_pathway, period_weights

if TYPE_CHECKING:  # pragma: no cover
    import pypsa

__all__ = ["from_pypsa_pathway", "to_pypsa_pathway", "fit_discount_rate"]

#: Capacity attribute of each component with a build year.
NOM = {"Generator": "p_nom", "Link": "p_nom", "StorageUnit": "p_nom", "Store": "e_nom"}
#: SilkGrid section and vintage kind of each.
_SECTION = {"Generator": "generators", "Link": "links", "StorageUnit": "storage", "Store": "storage"}
_KIND = {"Generator": "generator", "Link": "link", "StorageUnit": "storage_power", "Store": "storage_energy"}
#: (cyclic flag, cyclic per period, initial per period) of storage components.
_PER_PERIOD = {"StorageUnit": ("cyclic_state_of_charge", "cyclic_state_of_charge_per_period",
                               "state_of_charge_initial_per_period"),
               "Store": ("e_cyclic", "e_cyclic_per_period", "e_initial_per_period")}
#: Relative tolerance of a fitted discount rate reproducing PyPSA's objective weightings.
WEIGHT_RTOL = 1e-10


def _err(problem: str, component: str | None = None, element: Any = None, attribute: str | None = None,
         fix: str | None = None, export: bool = False) -> PyPSAConversionError:
    return PyPSAConversionError(problem, component=component, element=None if element is None else str(element),
                                attribute=attribute, fix=fix, export=export)


def _in_period(exc: PyPSAConversionError, year: int) -> PyPSAConversionError:
    """``exc`` with the period named."""
    return _err(f"period {year}: {exc.problem}", exc.component, exc.element, exc.attribute, exc.fix, exc.export)


# ------------------------------------------------------------------------------------------
# weights
# ------------------------------------------------------------------------------------------
def fit_discount_rate(periods: list[int], years: list[int], weights) -> float | None:
    """The rate r in [0, 1] with ``period_weights(periods, years, r, periods[0]) == weights``
    (relative :data:`WEIGHT_RTOL`), or None where no rate reproduces them (bisection on the
    total weight, which falls with r)."""
    w = np.asarray(weights, dtype=float)

    def total(r: float) -> float:
        return float(period_weights(periods, years, r, periods[0]).sum())

    lo, hi = 0.0, 1.0
    if not total(hi) <= w.sum() <= total(lo):
        return None
    for _ in range(200):  # bisection to round-off (interval 2^-200)
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if total(mid) > w.sum() else (lo, mid)
        if hi - lo < 1e-16:
            break
    for r in (0.0, round(lo, 12), lo, hi):  # the round number a user wrote, where it fits
        if np.allclose(period_weights(periods, years, r, periods[0]), w, rtol=WEIGHT_RTOL, atol=0):
            return r
    return None


# ------------------------------------------------------------------------------------------
# import
# ------------------------------------------------------------------------------------------
def from_pypsa_pathway(n: pypsa.Network, *, name: str | None = None) -> dict:
    """A SilkGrid pathway dict (``pathway``, ``scenario``, ``overrides``) from a PyPSA network with
    investment periods (exact, or raise :class:`PyPSAConversionError`); see the module doc."""
    load_pypsa()
    periods, years, weights = _periods(n)
    _check_multi(n)
    options: dict[str, Any] = {"periods": periods, "years": years, "foresight": "perfect"}
    rate = fit_discount_rate(periods, years, weights)
    if rate is None:
        options["weights"] = [float(w) for w in weights]
    else:
        options.update(discount_rate=rate, base_year=periods[0])
    vintages = _vintage_attrs(n, periods, years)
    try:
        template = n.copy(snapshots=[], ignore_standard_types=True)  # statics only: copied once per period
    except ValueError as exc:  # PyPSA refuses to copy a network with a live solver model
        raise _err(str(exc), "Network", fix="import before optimising, or set n.model.solver_model = None") from None
    scenarios = []
    for p in periods:
        imp = ImportContext(_period_network(n, template, p))
        try:
            data = scenario_data(imp, name)
        except PyPSAConversionError as exc:
            raise _in_period(exc, p) from None
        _set_vintages(data, imp.ids.map, vintages)
        scenarios.append(data)
    base = scenarios[0]
    overrides = {p: d for p, d in ((p, _diff(base, sc)) for p, sc in zip(periods[1:], scenarios[1:])) if d}
    return {"name": base["name"], "pathway": options, "scenario": base, "overrides": overrides}


def _periods(n) -> tuple[list[int], list[int], np.ndarray]:
    """Periods, years each and objective weights of ``n``."""
    if not isinstance(n.snapshots, pd.MultiIndex) or len(n.investment_periods) == 0:
        raise _err("the network has no investment periods", "Network", attribute="investment_periods",
                   fix="use from_network for a single-period network")
    ipw = n.investment_period_weightings.reindex(n.investment_periods)
    periods = [int(p) for p in n.investment_periods]
    y = ipw["years"].to_numpy(dtype=float)
    if not np.all(np.isfinite(y) & (y >= 1) & (y == np.round(y))):
        raise _err(f"investment_period_weightings 'years' {list(y)} are not whole numbers >= 1", "Network",
                   attribute="investment_period_weightings.years", fix="give each period a whole number of years")
    w = ipw["objective"].to_numpy(dtype=float)
    if not np.all(np.isfinite(w) & (w > 0)):
        raise _err(f"investment_period_weightings 'objective' {list(w)} are not positive", "Network",
                   attribute="investment_period_weightings.objective", fix="give positive weights")
    return periods, [int(v) for v in y], w


def _check_multi(n) -> None:
    """Refuse what the period-by-period import cannot express: global constraints, ramp limits
    (they couple the periods' boundary snapshots) and storage that carries energy between periods."""
    gc = n.components["GlobalConstraint"].static
    if not gc.empty:
        raise _err("global constraints of a multi-period network (horizon-wide or per period) are not "
                   "supported", "GlobalConstraint", gc.index[0], "type", "remove the global constraints")
    for comp in ("Generator", "Link"):
        c = n.components[comp]
        st = c.static[c.static["active"].astype(bool)] if not c.static.empty else c.static
        for attr in ("ramp_limit_up", "ramp_limit_down"):
            bad = [el for el, v in st[attr].items() if not pd.isna(v)] if attr in st else []
            dyn = c.dynamic.get(attr)
            bad += [] if dyn is None else [x for x in dyn.columns if x in st.index and dyn[x].notna().any()]
            if bad:
                raise _err("ramp limits are not supported in multi-period networks", comp, bad[0], attr,
                           "remove the ramp limits")
    for comp, (cyc, cyc_pp, init_pp) in _PER_PERIOD.items():
        st = n.components[comp].static
        for el, row in st[st["active"].astype(bool)].iterrows() if not st.empty else ():
            if bool(row[cyc]) and not bool(row[cyc_pp]):
                raise _err("a state of charge cyclic over the whole horizon links the periods", comp, el, cyc_pp,
                           f"set {cyc_pp}=True (cyclic within each period)")
            if not bool(row[cyc]) and not bool(row[init_pp]):
                raise _err("a non-cyclic state of charge carried from one period to the next links the "
                           "periods", comp, el, init_pp, f"set {init_pp}=True (each period starts from the "
                           "initial state) or make it cyclic")


def _period_network(n, template, period: int):
    """A single-period copy of ``n`` (from ``template``, its static data): the period's snapshots,
    weightings and time series, with the components inactive in the period fixed at 0 MW (MWh)."""
    m = template.copy()
    sel = n.snapshots.get_level_values(0) == period
    m.set_snapshots(n.snapshots[sel].droplevel(0).rename("snapshot"))
    for c in n.components:
        for attr, df in c.dynamic.items():
            if not df.empty:
                m.components[c.name].dynamic[attr] = df.loc[period].rename_axis("snapshot").copy()
    m.snapshot_weightings = n.snapshot_weightings.loc[period].rename_axis("snapshot")
    for comp, nom in NOM.items():
        c = n.components[comp]
        if c.static.empty:
            continue
        off = c.static.index[~c.get_active_assets(period).to_numpy() & c.static["active"].astype(bool).to_numpy()]
        st = m.components[comp].static
        st.loc[off, f"{nom}_extendable"] = False
        st.loc[off, nom] = 0.0
    return m


def _vintage_attrs(n, periods: list[int], years: list[int]) -> dict[tuple[str, str], tuple[int, float]]:
    """(build year, lifetime in years) of every extendable component active in some period; an
    infinite lifetime becomes one reaching the end of the horizon (the same active periods)."""
    out = {}
    end = periods[-1] + years[-1]
    for comp, nom in NOM.items():
        st = n.components[comp].static
        if st.empty:
            continue
        for el, row in st[st["active"].astype(bool) & st[f"{nom}_extendable"].astype(bool)].iterrows():
            by, life = int(row["build_year"]), float(row["lifetime"])
            if not any(by <= p < by + life for p in periods):
                continue  # never active: a 0 MW element in every period
            out[(comp, str(el))] = (by, float(end - by) if math.isinf(life) else max(life, 1.0))
    return out


def _set_vintages(data: dict, ids: dict, vintages: dict) -> None:
    for (comp, el), (by, life) in vintages.items():
        sid = ids[(comp, el)]
        for elem in data[_SECTION[comp]]:
            if elem["id"] == sid:
                elem["build_year"], elem["lifetime_years"] = by, life


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and bool(np.array_equal(np.asarray(a), np.asarray(b)))
    return a == b


def _diff(base: dict, new: dict) -> dict:
    """The override that turns ``base`` into ``new`` (elements by id, as ``merge_scenarios``)."""
    out: dict[str, Any] = {}
    for key, value in new.items():
        old = base.get(key)
        if key in ELEMENT_SECTIONS and isinstance(value, list) and isinstance(old, list):
            prev = {e["id"]: e for e in old}
            changes = []
            for e in value:
                p = prev.get(e["id"])
                delta = e if p is None else {f: v for f, v in e.items() if f not in p or not _same(p[f], v)}
                if delta:
                    changes.append({"id": e["id"], **delta})
            gone = set(prev) - {e["id"] for e in value}
            changes += [{"id": eid, "remove": True} for eid in prev if eid in gone]
            if changes:
                out[key] = changes
        elif isinstance(value, dict) and isinstance(old, dict):
            sub = _diff(old, value)
            if sub:
                out[key] = sub
        elif not _same(old, value):
            out[key] = value
    return out


# ------------------------------------------------------------------------------------------
# export
# ------------------------------------------------------------------------------------------
def to_pypsa_pathway(source: PathwaySpec | str | Path | dict) -> pypsa.Network:
    """A PyPSA network with investment periods whose ``n.optimize(multi_investment_periods=True)``
    (PyPSA's default ``include_objective_constant=True``) gives ``solve_pathway(source).objective_pv_eur``;
    see the module doc for the mapping and docs/pathways.md for what is refused."""
    pypsa_module = load_pypsa()
    spec = source if isinstance(source, PathwaySpec) else load_pathway(source)
    if spec.options.foresight != "perfect":
        raise _err(f"foresight '{spec.options.foresight}' has no PyPSA equivalent (its multi-period "
                   "optimisation has perfect foresight)", "pathway", None, "foresight",
                   "export with foresight: perfect", export=True)
    if spec.options.end_of_horizon != "annuity":
        raise _err("end_of_horizon 'salvage' has no PyPSA equivalent (PyPSA charges annuities while alive "
                   "inside the horizon)", "pathway", None, "end_of_horizon", "export with end_of_horizon: annuity",
                   export=True)
    if spec.options.build_rates:
        raise _err("build-rate limits per period are not exported (PyPSA has no per-period build constraint "
                   "on vintages)", "pathway", None, "build_rates", "remove pathway.build_rates", export=True)
    nets = []
    for year, sc in zip(spec.periods, spec.scenarios):
        try:
            net = to_network(sc)
        except PyPSAConversionError as exc:
            raise _in_period(exc, year) from None
        if not net.components["GlobalConstraint"].static.empty:
            raise _err(f"period {year}: a CO2 cap per period is not exported (PyPSA's multi-period "
                       "primary_energy constraint differs)", "policies", None, "co2_cap_t",
                       "remove policies.co2_cap_t", export=True)
        nets.append(net)
    out = pypsa_module.Network()
    out.name = spec.name
    _set_time(out, spec, nets)
    merger = _Merger(out, spec, nets)
    for comp in ("Bus", "Carrier"):
        merger.plain(comp)
    for comp in ("Generator", "Link", "StorageUnit", "Store"):
        merger.capacity_component(comp)
    merger.plain("Load")
    return out


def _set_time(out, spec: PathwaySpec, nets: list) -> None:
    lens = [len(net.snapshots) for net in nets]
    idx = pd.MultiIndex.from_arrays([np.repeat(spec.periods, lens),
                                     np.concatenate([net.snapshots.to_numpy() for net in nets])],
                                    names=["period", "timestep"])
    out.set_snapshots(idx)
    w = pd.concat([net.snapshot_weightings for net in nets])
    out.snapshot_weightings = pd.DataFrame(w.to_numpy(), index=out.snapshots, columns=w.columns)
    out.investment_period_weightings = pd.DataFrame(
        {"objective": spec.weights(), "years": np.asarray(spec.options.period_years(), dtype=float)},
        index=pd.Index(spec.periods, name="period"))


class _Merger:
    """Merges the per-period networks ``nets`` into ``out`` component by component."""

    def __init__(self, out, spec: PathwaySpec, nets: list) -> None:
        self.out, self.spec, self.nets = out, spec, nets
        self.periods = spec.periods
        self.lens = [len(net.snapshots) for net in nets]

    # -- values per period ----------------------------------------------------------------------
    def _rows(self, comp: str, name: str) -> list[pd.Series | None]:
        return [net.components[comp].static.loc[name] if name in net.components[comp].static.index else None
                for net in self.nets]

    def _inputs(self, comp: str) -> pd.DataFrame:
        d = self.out.components[comp].defaults
        return d[d["status"].astype(str).str.startswith("Input")]

    def _values(self, comp: str, name: str, attr: str, rows, fill: Any) -> list[Any]:
        """Per period: the time series (array) or static value of ``attr``; ``fill`` (None: the
        first present period's value) where the component is absent."""
        vals: list[Any] = []
        for net, row in zip(self.nets, rows):
            if row is None:
                vals.append(None)
                continue
            dyn = net.components[comp].dynamic.get(attr)
            vals.append(dyn[name].to_numpy(dtype=float) if dyn is not None and name in dyn.columns else row[attr])
        first = next(v for v in vals if v is not None)
        return [(first if fill is None else fill) if v is None else v for v in vals]

    def _attrs(self, comp: str, name: str, rows, skip: set, fill_default: bool = False,
               scale: list[float] | None = None) -> dict[str, Any]:
        """Static and time-varying attributes of ``name`` over all periods (``scale``: factor of
        p_max_pu and p_min_pu in each period)."""
        kw: dict[str, Any] = {}
        for attr, d in self._inputs(comp).iterrows():
            if attr in skip or attr == "name":
                continue
            vals = self._values(comp, name, attr, rows, d["default"] if fill_default else None)
            if scale is not None and attr in ("p_max_pu", "p_min_pu"):
                vals = [np.asarray(v, dtype=float) * f for v, f in zip(vals, scale)]
            if all(np.ndim(v) == 0 for v in vals) and all(_same_scalar(v, vals[0]) for v in vals):
                if not bool(equals_default(pd.Series([vals[0]]), d["default"]).iloc[0]):
                    kw[attr] = vals[0]
                continue
            if not bool(d["varying"]):
                raise _err(f"the value changes between periods ({', '.join(fmt(v) for v in vals)}) and PyPSA "
                           "keeps it constant over the horizon", comp, name, attr,
                           "keep it equal in every period", export=True)
            kw[attr] = pd.Series(np.concatenate([np.broadcast_to(np.asarray(v, dtype=float), (k,))
                                                 for v, k in zip(vals, self.lens)]), index=self.out.snapshots)
        return kw

    def _names(self, comp: str) -> list[str]:
        names: list[str] = []
        for net in self.nets:
            names += [str(x) for x in net.components[comp].static.index if str(x) not in names]
        return names

    # -- components -----------------------------------------------------------------------------
    def plain(self, comp: str) -> None:
        """Buses, carriers and loads (absent: default, i.e. no demand)."""
        for name in self._names(comp):
            self.out.add(comp, name, **self._attrs(comp, name, self._rows(comp, name), set(),
                                                   fill_default=comp == "Load"))
        if comp == "Bus":
            country = pd.concat([net.buses["country"] for net in self.nets if "country" in net.buses])
            self.out.buses["country"] = country[~country.index.duplicated()].reindex(self.out.buses.index)

    def capacity_component(self, comp: str) -> None:
        nom = NOM[comp]
        cap_attrs = {nom, f"{nom}_extendable", f"{nom}_min", f"{nom}_max", "capital_cost", "build_year",
                     "lifetime", "active"}
        taken = set(self._names(comp))
        for name in self._names(comp):
            rows = self._rows(comp, name)
            ext = [r is not None and bool(r[f"{nom}_extendable"]) for r in rows]
            caps = [0.0 if r is None else float(r[nom]) for r in rows]
            elems = [self._element(comp, name, k) for k in range(len(rows))]
            if not any(ext):
                self._fixed(comp, name, name, rows, caps, cap_attrs)
                continue
            by = next((e.build_year for e in elems if e is not None and e.build_year is not None), None)
            if by is not None or sum(ext) == 1 and not any(c > 0 for c in caps):
                if any(c > 0 for c in caps):
                    raise _err("an element with build_year cannot also hold existing capacity (PyPSA's "
                               "component is one vintage)", _SECTION[comp], name, "build_year",
                               "give the existing capacity its own element", export=True)
                self._vintage(comp, name, name, rows, ext, by, cap_attrs)
                continue
            if comp in _PER_PERIOD:
                raise _err("storage that may be built in several periods (or on top of existing capacity) "
                           "needs one PyPSA component per vintage, whose states of charge PyPSA keeps apart",
                           "storage", name, "build_year",
                           "give the storage a build_year, or make it extendable in one period only", export=True)
            if any(c > 0 for c in caps):
                self._fixed(comp, name, name, rows, caps, cap_attrs)
            for k in np.flatnonzero(ext):
                self._check_unbounded(comp, name, rows[k], self.periods[k])
                vname = unique(f"{name} {self.periods[k]}", taken)
                self._vintage(comp, name, vname, rows, [j == k for j in range(len(rows))], None, cap_attrs)

    def _element(self, comp: str, name: str, k: int):
        sc = self.spec.scenarios[k]
        pool = {"Generator": sc.generators, "Link": sc.links}.get(comp, sc.storage)
        return next((e for e in pool if e.id == name), None)

    def _lifetime(self, comp: str, name: str, k: int) -> float:
        return lifetimes(self.spec.scenarios[k])[_KIND[comp]][name][0]

    def _check_unbounded(self, comp: str, name: str, row: pd.Series, year: int) -> None:
        nom = NOM[comp]
        if float(row[f"{nom}_min"]) > float(row[nom]) or math.isfinite(float(row[f"{nom}_max"])):
            raise _err(f"capacity bounds in {year} hold on the sum of several vintages, which PyPSA cannot "
                       "bound together", _SECTION[comp], name, "max_capacity_mw",
                       "give the element a build_year (one vintage), or remove its bounds", export=True)

    def _vintage(self, comp: str, name: str, out_name: str, rows, ext: list[bool], by: int | None,
                 cap_attrs: set) -> None:
        """One extendable component built in ``by`` (None: the one period it is extendable in),
        bounded by the bounds of every period it is active in, at the cost of its build period."""
        nom = NOM[comp]
        cand = [k for k, e in enumerate(ext) if e]
        k0 = cand[0]
        year = self.periods[k0] if by is None else by
        for k in cand:  # SilkGrid: the vintage is decided in the first period it is alive in
            life = self._lifetime(comp, name, k)
            alive = [q for q, p in enumerate(self.periods) if year <= p < year + life]
            if alive and alive[0] == k:
                k0 = k
                break
        life = self._lifetime(comp, name, k0)
        alive = [q for q, p in enumerate(self.periods) if year <= p < year + life and ext[q]] or [k0]
        kw = self._attrs(comp, name, rows, cap_attrs)
        # a period's bounds hold on existing + new capacity; the existing part is its own fixed
        # component (see _fixed), so the vintage's bounds are net of it (else it is counted twice)
        kw.update({nom: 0.0, f"{nom}_extendable": True, "build_year": int(year), "lifetime": float(life),
                   f"{nom}_min": max(max(float(rows[q][f"{nom}_min"]) - float(rows[q][nom]), 0.0) for q in alive),
                   f"{nom}_max": min(float(rows[q][f"{nom}_max"]) - float(rows[q][nom]) for q in alive),
                   "capital_cost": float(rows[k0]["capital_cost"])})
        self.out.add(comp, out_name, **self._per_period(comp, kw))

    def _fixed(self, comp: str, name: str, out_name: str, rows, caps: list[float], cap_attrs: set) -> None:
        """A component of fixed capacity ``caps`` (per period, MW or MWh)."""
        nom = NOM[comp]
        top = max(caps)
        cost = next((float(r["capital_cost"]) for r in rows if r is not None and not bool(r[f"{nom}_extendable"])), 0.0)
        if all(c == caps[0] for c in caps) or top == 0:
            kw = self._attrs(comp, name, rows, cap_attrs)
        elif comp in ("Generator", "Link"):
            scale = [c / top if math.isfinite(top) else float(c == top) for c in caps]
            kw = self._attrs(comp, name, rows, cap_attrs, scale=scale)
        else:
            on = [k for k, c in enumerate(caps) if c > 0]
            if any(caps[k] != caps[on[0]] for k in on) or on != list(range(on[0], on[-1] + 1)):
                raise _err(f"its fixed capacity ({', '.join(fmt(c) for c in caps)}) is not one constant value "
                           "over consecutive periods (PyPSA storage is active from its build year for its "
                           "lifetime)", "storage", name, nom, "keep its capacity constant while it exists",
                           export=True)
            end = on[-1] + 1
            kw = self._attrs(comp, name, rows, cap_attrs)
            kw.update(build_year=self.periods[on[0]],
                      lifetime=float(self.periods[end] - self.periods[on[0]]) if end < len(caps) else math.inf)
        kw.update({nom: top, "capital_cost": cost})
        self.out.add(comp, out_name, **self._per_period(comp, kw))

    @staticmethod
    def _per_period(comp: str, kw: dict) -> dict:
        """Storage: cyclic within each period, or starting from its initial state in each."""
        if comp in _PER_PERIOD:
            _, cyc_pp, init_pp = _PER_PERIOD[comp]
            kw.update({cyc_pp: True, init_pp: True})
        return kw


def _same_scalar(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)
