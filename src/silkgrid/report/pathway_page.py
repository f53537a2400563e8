"""The report of a pathway directory (``DIR/pathway.json`` + one result per period): one offline HTML page.

Sections: the headline (periods, present-value cost, status, solver, foresight) with one row per
period; capacity by period (GW by technology) and what each period builds; CO2 emissions by period,
country and technology (Mt CO2/yr) with the countries' caps; the yearly cost of what each period
builds and each period's total system cost (M EUR/yr); when each link is built; the renewable share
per country; links to each period's own report and the pathway's tables.  Charts are Plotly figure
dicts (:mod:`silkgrid.report.plotting`) inlined with the Plotly bundle, so the page opens offline.

Only the tables a chart needs are read (``generators``, ``storage``, ``links``, ``nodes`` and the
period's ``scenario.json`` for policies and carriers), never the hourly series.  Units follow the
magnitude: a small pathway shows MW, t CO2 and EUR where the corridor shows GW, Mt and M EUR.

>>> from silkgrid.report.pathway_page import write_pathway_report
>>> write_pathway_report("results/pathway")          # doctest: +SKIP
PosixPath('results/pathway/report.html')
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from silkgrid.core.errors import SilkGridError
from silkgrid.core.files import write_text_atomic
from silkgrid.report.colours import COMPONENT_COLOURS, DEMAND_COLOUR, node_colours, tech_colour
from silkgrid.report.formatting import fmt_emissions, fmt_energy, fmt_eur, fmt_fixed, fmt_mw, solver_name
from silkgrid.report.html import CSS, esc
from silkgrid.report.plotting import figure, plot_div, plotly_bundle, plots_js, values
from silkgrid.results.pathway import PATHWAY_FILE

__all__ = ["PathwayData", "load_pathway_dir", "capacity_by_period", "built_by_period", "built_by_kind",
           "emissions_by_period", "co2_caps", "investment_by_period", "system_cost_by_period", "link_vintages",
           "renewable_share", "capacity_figure", "built_figure", "emissions_figure", "investment_figure",
           "system_cost_figure", "link_figure", "renewable_figure", "build_pathway_html", "write_pathway_report",
           "PathwayLinks", "pathway_body", "pathway_headline", "PATHWAY_SECTIONS", "PATHWAY_TABLES", "KIND_LABELS"]

#: (id, heading) of the page's sections, in order.
PATHWAY_SECTIONS = (("headline", "Pathway at a glance"), ("capacity", "Capacity by period"),
                    ("emissions", "Emissions by period and country"), ("investment", "Investment and cost per period"),
                    ("links", "When each link is built"), ("renewables", "Renewable share by country"),
                    ("files", "Period reports and downloads"))
#: Vintage kinds (vintages.parquet ``kind``) as shown.
KIND_LABELS = {"generator": "generation", "storage_power": "storage power", "storage_energy": "storage energy",
               "link": "transmission"}
_TABLES = ("generators", "storage", "links", "nodes")
#: The pathway's own tables (beside ``pathway.json``), offered as downloads.
PATHWAY_TABLES = ("vintages", "capacity_by_period")
_MW_UNITS = [(1e3, "GW"), (1.0, "MW")]
_T_UNITS = [(1e6, "Mt CO2/yr"), (1e3, "kt CO2/yr"), (1.0, "t CO2/yr")]
_EUR_UNITS = [(1e6, "M EUR/yr"), (1e3, "k EUR/yr"), (1.0, "EUR/yr")]  # no bn: M EUR/yr reads across reports
#: Below these a value is solver round-off and shows as 0 (MW, t, EUR, MWh).
_TOL = {"MW": 0.05, "t": 0.5, "EUR": 1.0, "MWh": 0.5}
_CATEGORY = {"type": "category"}  # periods are labels: "2030" must not become a numeric axis
_TICKS = {"tickformat": ",~g"}  # 10,000 M EUR/yr, not Plotly's SI "10k M EUR/yr"


# ----------------------------------------------------------------------------------------
# reading the directory
# ----------------------------------------------------------------------------------------
@dataclass
class PathwayData:
    """What the pathway report reads: the summary (``pathway.json``), the vintages and per period
    the element tables and the plain scenario (``scenario.json``; ``{}`` when absent)."""

    directory: Path
    summary: dict
    vintages: pd.DataFrame
    periods: list[int]
    tables: dict[int, dict[str, pd.DataFrame]]
    scenarios: dict[int, dict]

    def period_dir(self, year: int) -> Path:
        return self.directory / f"period-{year}"

    def element_map(self, table: str, column: str) -> dict[str, str]:
        """``{id: column}`` over all periods' ``table`` (the first period naming an id wins)."""
        out: dict[str, str] = {}
        for year in self.tables:
            t = self.tables[year].get(table)
            if t is not None and column in t:
                for k, v in zip(t["id"], t[column]):
                    out.setdefault(k, v)
        return out


def load_pathway_dir(directory: str | Path) -> PathwayData:
    """Read a pathway directory (:meth:`silkgrid.PathwayResult.to_dir`).  Raises
    :class:`SilkGridError` for a directory that is not one, or one where no period has a plan."""
    d = Path(directory)
    if not (d / PATHWAY_FILE).is_file():
        hint = " (it is a single result: use 'silkgrid report DIR')" if (d / "summary.json").is_file() else ""
        raise SilkGridError(f"'{d}' is not a SilkGrid pathway directory (no {PATHWAY_FILE}){hint}; write one with "
                            "silkgrid.solve_pathway(...).to_dir(DIR)")
    try:
        summary = json.loads((d / PATHWAY_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise SilkGridError(f"'{d / PATHWAY_FILE}' cannot be read: {exc}") from None
    vfile = d / "vintages.parquet"
    vint = pd.read_parquet(vfile) if vfile.is_file() else pd.DataFrame(
        columns=["kind", "id", "build_period", "build_year", "lifetime_years", "last_period", "built_mw",
                 "cost_eur_per_mw_yr"])
    tables: dict[int, dict[str, pd.DataFrame]] = {}
    scenarios: dict[int, dict] = {}
    for year in [int(p) for p in summary.get("periods", [])]:
        pdir = d / f"period-{year}"
        if not (pdir / "generators.parquet").is_file():  # not solved (a myopic step failed) or no plan
            continue
        tables[year] = {t: pd.read_parquet(pdir / f"{t}.parquet") for t in _TABLES if (pdir / f"{t}.parquet").is_file()}
        sfile = pdir / "scenario.json"
        scenarios[year] = json.loads(sfile.read_text()) if sfile.is_file() else {}
    if not tables:
        raise SilkGridError(f"no period of the pathway in '{d}' has a plan (status {summary.get('status')}: "
                            f"{summary.get('message', '')}); there is nothing to report")
    return PathwayData(d, summary, vint, list(tables), tables, scenarios)


# ----------------------------------------------------------------------------------------
# data helpers (plain pandas; the tests compare them with the tables)
# ----------------------------------------------------------------------------------------
def _zeroed(df: pd.DataFrame, tol: float) -> pd.DataFrame:
    """``df`` with |values| below ``tol`` set to 0 and all-zero columns dropped."""
    df = df.where(df.abs() >= tol, 0.0)
    return df.loc[:, (df != 0).any(axis=0)] if len(df.columns) else df


def capacity_by_period(data: PathwayData) -> pd.DataFrame:
    """Total capacity (MW) alive in each period (rows) by technology (columns): generators'
    ``total_mw`` plus storage power (stores of unlimited power are left out)."""
    rows = {}
    for year, t in data.tables.items():
        parts = [t["generators"].groupby("technology", sort=False)["total_mw"].sum()]
        s = t.get("storage")
        if s is not None and len(s):
            s = s[np.isfinite(s["power_total_mw"])]
            parts.append(s.groupby("technology", sort=False)["power_total_mw"].sum())
        rows[year] = pd.concat(parts).groupby(level=0, sort=False).sum()
    return _zeroed(pd.DataFrame(rows).T.fillna(0.0), _TOL["MW"])


def built_by_period(data: PathwayData) -> pd.DataFrame:
    """New generation and storage power (MW) built in each period (rows, every period) by
    technology (columns), from the vintages (``built_mw`` by ``build_period``)."""
    v = data.vintages
    tech = {**data.element_map("storage", "technology"), **data.element_map("generators", "technology")}
    sel = v[v["kind"].isin(["generator", "storage_power"])].assign(technology=lambda x: x["id"].map(tech))
    wide = sel.pivot_table(index="build_period", columns="technology", values="built_mw", aggfunc="sum", sort=False)
    return _zeroed(wide.reindex(data.periods).fillna(0.0), _TOL["MW"])


def built_by_kind(data: PathwayData) -> pd.DataFrame:
    """Built in each period (rows) by vintage kind (columns: MW; MWh for storage energy)."""
    v = data.vintages
    wide = v.pivot_table(index="build_period", columns="kind", values="built_mw", aggfunc="sum")
    return wide.reindex(index=data.periods, columns=[k for k in KIND_LABELS if k in wide.columns]).fillna(0.0)


def emissions_by_period(data: PathwayData) -> pd.DataFrame:
    """CO2 emissions (t/yr) by period, country and technology: columns period, country,
    technology, emissions_t (technologies below 0.5 t/yr left out)."""
    rows = [t["generators"].groupby(["country", "technology"], sort=False)["emissions_t"].sum().reset_index()
            .assign(period=year) for year, t in data.tables.items()]
    df = pd.concat(rows, ignore_index=True)[["period", "country", "technology", "emissions_t"]]
    return df[df["emissions_t"].abs() >= _TOL["t"]].reset_index(drop=True)


def co2_caps(data: PathwayData) -> pd.DataFrame:
    """Country CO2 caps (t/yr) of the period scenarios: columns period, country, cap_t."""
    rows = [(year, c, float(cap)) for year, sc in data.scenarios.items()
            for c, cap in ((sc.get("policies") or {}).get("co2_cap_t_by_country") or {}).items()]
    return pd.DataFrame(rows, columns=["period", "country", "cap_t"])


def investment_by_period(data: PathwayData) -> pd.DataFrame:
    """Yearly cost (EUR/yr) of the capacity built in each period (rows), by vintage kind: built
    MW (MWh) x its yearly cost per MW (MWh), an overnight-equivalent annuity paid in every period
    the vintage is alive."""
    v = data.vintages.assign(cost=lambda x: x["built_mw"] * x["cost_eur_per_mw_yr"])
    wide = v.pivot_table(index="build_period", columns="kind", values="cost", aggfunc="sum")
    wide = wide.reindex(index=data.periods, columns=[k for k in KIND_LABELS if k in wide.columns]).fillna(0.0)
    return wide.where(wide.abs() >= _TOL["EUR"], 0.0)


def system_cost_by_period(data: PathwayData) -> pd.DataFrame:
    """Per period (rows): ``total_eur`` (the period's yearly system cost, pathway.json),
    ``new_capacity_eur`` (yearly cost of every vintage alive in it) and ``other_eur`` (the rest:
    operation and existing capacity), EUR/yr."""
    total = {int(p["period"]): p.get("total_cost_eur_per_yr") for p in data.summary.get("by_period", [])}
    v = data.vintages
    cost = v["built_mw"] * v["cost_eur_per_mw_yr"]
    alive = {p: float(cost[(v["build_period"] <= p) & (v["last_period"] >= p)].sum()) for p in data.periods}
    df = pd.DataFrame({"total_eur": [total.get(p, np.nan) for p in data.periods],
                       "new_capacity_eur": [alive[p] for p in data.periods]}, index=data.periods, dtype=float)
    df["other_eur"] = df["total_eur"] - df["new_capacity_eur"]
    return df.where(df.abs() >= _TOL["EUR"], 0.0)


def link_vintages(data: PathwayData) -> pd.DataFrame:
    """Link vintages with built_mw >= 0.05 MW: id, from_node, to_node, build_period, built_mw,
    last_period (the last period it is alive in) and end_year (build year + lifetime)."""
    v = data.vintages
    v = v[(v["kind"] == "link") & (v["built_mw"] >= _TOL["MW"])]
    out = v[["id", "build_period", "built_mw", "last_period"]].copy()
    out.insert(1, "from_node", v["id"].map(data.element_map("links", "from_node")))
    out.insert(2, "to_node", v["id"].map(data.element_map("links", "to_node")))
    out["end_year"] = (v["build_year"] + v["lifetime_years"]).round().astype(int)
    return out.sort_values(["build_period", "id"], kind="stable").reset_index(drop=True)


def renewable_share(data: PathwayData) -> pd.DataFrame:
    """Per period and country with demand: renewable_mwh (generation of generators on renewable
    carriers, as the ``min_renewable_share`` policy counts it: reservoirs and other storage not
    included), demand_mwh, share (renewable / demand; above 1 for a net exporter) and target (the
    period's ``min_renewable_share``, NaN if none)."""
    rows = []
    for year, t in data.tables.items():
        sc = data.scenarios.get(year) or {}
        renewable = {c["id"] for c in sc.get("carriers", []) if c.get("renewable")}
        targets = (sc.get("policies") or {}).get("min_renewable_share") or {}
        g = t["generators"]
        ren = g[g["carrier"].isin(renewable)].groupby("country")["generation_mwh"].sum() if "carrier" in g else {}
        dem = t["nodes"].groupby("country", sort=False)["demand_mwh"].sum()
        for c, d in dem.items():
            if d >= _TOL["MWh"]:
                r = float(ren.get(c, 0.0))
                rows.append((year, c, r, float(d), r / d, float(targets.get(c, np.nan))))
    return pd.DataFrame(rows, columns=["period", "country", "renewable_mwh", "demand_mwh", "share", "target"])


# ----------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------
def _unit(values_, units: list[tuple[float, str]]) -> tuple[float, str]:
    """(factor, unit) of ``units`` (largest first) in which the largest |value| is at least 1."""
    a = np.abs(np.asarray(values_, dtype=float))
    top = float(np.nanmax(a)) if a.size and np.isfinite(a).any() else 0.0
    return next(((f, u) for f, u in units if top >= f), units[-1])


def _labels(periods) -> list[str]:
    return [str(p) for p in periods]


def _stack(wide: pd.DataFrame, units, title: str, what: str, *, height: int = 380) -> dict:
    """Stacked bars: one trace per column of ``wide`` (rows: periods), values in the unit of ``units``
    that fits the largest stack."""
    factor, unit = _unit(wide.clip(lower=0).sum(axis=1), units)
    x = _labels(wide.index)
    traces = [{"type": "bar", "name": str(c), "x": x, "y": values(wide[c] / factor, 3),
               "marker": {"color": tech_colour(str(c))},
               "hovertemplate": f"%{{x}} {html.escape(str(c))}: %{{y:,.3~f}} {unit}<extra>{what}</extra>"}
              for c in wide.columns]
    return figure(traces, {"barmode": "relative", "bargap": 0.45, "xaxis": _CATEGORY, "yaxis": _TICKS}, title=title,
                  ytitle=unit, height=height)


def capacity_figure(data: PathwayData) -> dict:
    """Total capacity by period and technology, stacked bars (GW; MW for a small system)."""
    return _stack(capacity_by_period(data), _MW_UNITS, "Total capacity by period and technology", "capacity")


def built_figure(data: PathwayData) -> dict:
    """New generation and storage power built in each period by technology, stacked bars."""
    return _stack(built_by_period(data), _MW_UNITS, "New capacity built in each period", "built")


def emissions_figure(data: PathwayData) -> dict:
    """CO2 emissions (Mt CO2/yr) on a two-level axis (period, country), stacked by technology,
    with each country's cap as a black tick where the period's scenario has one."""
    em, caps = emissions_by_period(data), co2_caps(data)
    countries = list(dict.fromkeys(c for t in data.tables.values() for c in t["generators"]["country"]))
    keys = [(p, c) for p in data.periods for c in countries]
    stacks = em.groupby(["period", "country"])["emissions_t"].sum()
    factor, unit = _unit(np.r_[stacks.to_numpy(), caps["cap_t"].to_numpy()], _T_UNITS)
    x = [[str(p) for p, _ in keys], [c for _, c in keys]]
    traces = []
    for tech in dict.fromkeys(em["technology"]):
        s = em[em["technology"] == tech].set_index(["period", "country"])["emissions_t"]
        traces.append({"type": "bar", "name": tech, "x": x, "y": values(s.reindex(keys).fillna(0.0) / factor, 3),
                       "marker": {"color": tech_colour(tech)},
                       "hovertemplate": f"%{{x}} {html.escape(tech)}: %{{y:,.3~f}} {unit}<extra></extra>"})
    if len(caps):
        cap = caps.set_index(["period", "country"])["cap_t"]
        at = [k for k in keys if k in cap.index]
        traces.append({"type": "scatter", "mode": "markers", "name": "CO2 cap",
                       "x": [[str(p) for p, _ in at], [c for _, c in at]], "y": values(cap.loc[at] / factor, 3),
                       "marker": {"symbol": "line-ew", "size": 30, "line": {"width": 3, "color": DEMAND_COLOUR}},
                       "hovertemplate": f"%{{x}} cap: %{{y:,.3~f}} {unit}<extra></extra>"})
    return figure(traces, {"barmode": "relative", "bargap": 0.3, "xaxis": {"type": "multicategory"},
                           "yaxis": _TICKS},
                  title="CO2 emissions by period, country and technology", ytitle=unit, height=400)


def investment_figure(data: PathwayData) -> dict:
    """Yearly cost of the capacity built in each period, by kind (stacked bars, M EUR/yr)."""
    inv = investment_by_period(data).rename(columns=KIND_LABELS)
    inv = inv.loc[:, (inv != 0).any(axis=0)]
    return _stack(inv, _EUR_UNITS, "Yearly cost of the capacity built in each period", "added")


def system_cost_figure(data: PathwayData) -> dict:
    """Each period's total yearly system cost, split into the yearly cost of the new capacity alive
    in it and the rest (operation, existing capacity), with the total as a marker."""
    sc = system_cost_by_period(data)
    factor, unit = _unit(sc["total_eur"], _EUR_UNITS)
    x = _labels(sc.index)
    parts = [("new capacity alive (annuities)", "new_capacity_eur", COMPONENT_COLOURS["annualised_capex"]),
             ("operation and existing capacity", "other_eur", COMPONENT_COLOURS["fuel"])]
    traces = [{"type": "bar", "name": name, "x": x, "y": values(sc[col] / factor, 3), "marker": {"color": colour},
               "hovertemplate": f"%{{x}} {name}: %{{y:,.3~f}} {unit}<extra></extra>"} for name, col, colour in parts]
    traces.append({"type": "scatter", "mode": "markers", "name": "total", "x": x,
                   "y": values(sc["total_eur"] / factor, 3),
                   "marker": {"symbol": "line-ew", "size": 34, "line": {"width": 3, "color": DEMAND_COLOUR}},
                   "hovertemplate": f"%{{x}} total: %{{y:,.3~f}} {unit}<extra></extra>"})
    return figure(traces, {"barmode": "relative", "bargap": 0.45, "xaxis": _CATEGORY, "yaxis": _TICKS},
                  title="Total system cost per period", ytitle=unit, height=380)


def link_figure(data: PathwayData, lv: pd.DataFrame) -> dict:
    """MW of link capacity built in each period, stacked by link."""
    factor, unit = _unit(lv.groupby("build_period")["built_mw"].sum(), _MW_UNITS)
    ids = list(dict.fromkeys(lv["id"]))
    colours = node_colours(ids)
    x = _labels(data.periods)
    traces = []
    for lid in ids:
        one = lv[lv["id"] == lid]
        s = one.set_index("build_period")["built_mw"].reindex(data.periods).fillna(0.0)
        ends = f"{one['from_node'].iloc[0]} → {one['to_node'].iloc[0]}"
        traces.append({"type": "bar", "name": lid, "x": x, "y": values(s / factor, 3),
                       "marker": {"color": colours[lid]},
                       "hovertemplate": f"%{{x}} {html.escape(lid)} ({html.escape(ends)}): %{{y:,.3~f}} {unit}"
                                        "<extra></extra>"})
    return figure(traces, {"barmode": "relative", "bargap": 0.45, "xaxis": _CATEGORY, "yaxis": _TICKS},
                  title="Link capacity built in each period", ytitle=unit, height=340)


def renewable_figure(data: PathwayData, rs: pd.DataFrame) -> dict:
    """Renewable share (% of demand) per country over the periods, targets dotted."""
    countries = list(dict.fromkeys(rs["country"]))
    colours = node_colours(countries)
    x = _labels(data.periods)
    traces = []
    for c in countries:
        one = rs[rs["country"] == c].set_index("period").reindex(data.periods)
        traces.append({"type": "scatter", "mode": "lines+markers", "name": c, "x": x,
                       "y": values(one["share"] * 100, 1),
                       "line": {"color": colours[c], "width": 2},
                       "hovertemplate": f"%{{x}} {html.escape(c)}: %{{y:.1f}} % of demand<extra></extra>"})
        if one["target"].notna().any():
            traces.append({"type": "scatter", "mode": "lines+markers", "name": f"{c} target", "x": x,
                           "y": values(one["target"] * 100, 1), "connectgaps": False,
                           "line": {"color": colours[c], "width": 1.5, "dash": "dot"},
                           "marker": {"symbol": "diamond-open", "size": 9, "color": colours[c]},
                           "hovertemplate": f"%{{x}} {html.escape(c)} target: %{{y:.1f}} %<extra></extra>"})
    return figure(traces, {"xaxis": _CATEGORY, "yaxis": {"rangemode": "tozero"}},
                  title="Renewable generation as a share of demand", ytitle="% of demand", height=360)


# ----------------------------------------------------------------------------------------
# sections
# ----------------------------------------------------------------------------------------
def _chart(fig: dict, fid: str, empty: str) -> str:
    return plot_div(fig, fid) if fig["data"] else f"<p class='note'>{esc(empty)}</p>"


def _foresight(summary: dict) -> str:
    if summary.get("foresight"):
        return str(summary["foresight"])
    m = re.search(r"(\w+) foresight", str((summary.get("solver") or {}).get("method") or ""))
    return m.group(1) if m else "perfect"


def _href(target: Path, base: Path) -> str:
    """URL of ``target`` relative to the folder ``base`` the page sits in."""
    return quote(Path(os.path.relpath(target, base)).as_posix())


@dataclass
class PathwayLinks:
    """Where the page's links point: ``period(year)`` -> URL of that period's page (None: no page
    yet); ``files()`` -> [(label, URL)] of the pathway's downloads; ``period_label`` names the page."""

    period: Callable[[int], str | None]
    files: Callable[[], list[tuple[str, str]]]
    period_label: str = "report"

    @classmethod
    def relative(cls, data: PathwayData, base: Path) -> "PathwayLinks":
        """Links of the offline report: files relative to the folder ``base`` the page is written to."""
        def period(year: int) -> str | None:
            rep = data.period_dir(year) / "report.html"
            return _href(rep, base) if rep.is_file() else None

        def files() -> list[tuple[str, str]]:
            names = [PATHWAY_FILE] + [f"{t}.parquet" for t in PATHWAY_TABLES]
            return [(f, _href(data.directory / f, base)) for f in names if (data.directory / f).is_file()]
        return cls(period, files)


def _headline(data: PathwayData, links: PathwayLinks) -> str:
    s = data.summary
    solver = s.get("solver") or {}
    by = {int(p["period"]): p for p in s.get("by_period", [])}
    kinds = built_by_kind(data)

    def new_mw(year: int, ks: list[str]) -> float | None:  # MW built in ``year`` of the vintage kinds ``ks``
        return float(kinds.loc[year, [k for k in ks if k in kinds.columns]].sum()) if year in kinds.index else None

    rows = []
    for year in [int(p) for p in s.get("periods", [])]:
        p = by.get(year, {})
        href = links.period(year)
        link = f"<a href='{esc(href)}' style='white-space:nowrap'>{esc(links.period_label)}</a>" if href else "-"
        rows.append(f"<tr><td>{year}</td><td>{fmt_fixed(p.get('weight'), 2)}</td>"
                    f"<td>{esc(p.get('status', 'not solved'))}</td>"
                    f"<td>{fmt_eur(p.get('total_cost_eur_per_yr'))}</td><td>{fmt_emissions(p.get('emissions_t'))}</td>"
                    f"<td>{fmt_energy(p.get('demand_mwh'))}</td>"
                    f"<td>{fmt_mw(new_mw(year, ['generator', 'storage_power']))}</td>"
                    f"<td>{fmt_mw(new_mw(year, ['link']))}</td><td>{link}</td></tr>")
    warn = ("" if s.get("status") == "optimal" else
            f"<p class='warn' id='pathway-warning'>The pathway is not optimal (status {esc(s.get('status'))}: "
            f"{esc(s.get('message', ''))}); the charts show the periods that were solved.</p>")
    facts = [("Periods", ", ".join(str(p) for p in s.get("periods", []))),
             ("Present-value total cost", f"{fmt_eur(s.get('total_cost_pv_eur'))} (optimised "
                                          f"{fmt_eur(s.get('objective_pv_eur'))} + fixed costs of existing capacity "
                                          f"{fmt_eur(s.get('fixed_cost_existing_pv_eur'))})"),
             ("Status", f"{s.get('status')}: {s.get('message', '')}"), ("Foresight", _foresight(s)),
             ("Solver", f"{solver_name(solver)}, {solver.get('solve_seconds') or 0:.1f} s")]
    facts_html = "".join(f"<tr><th>{esc(k)}</th><td style='text-align:left'>{esc(v)}</td></tr>" for k, v in facts)
    return (f"{warn}<table id='pathway-facts'>{facts_html}</table>"
            "<table id='periods'><tr><th>period</th><th>weight (discounted years)</th><th>status</th>"
            "<th>total system cost /yr</th><th>emissions /yr</th><th>demand /yr</th>"
            "<th>new generation and storage MW</th><th>new links MW</th><th>own page</th></tr>"
            f"{''.join(rows)}</table>"
            "<p class='note'>Each period's figures are for one year of that period; its weight is the number of "
            "(discounted) years it stands for in the present-value total.</p>")


def _capacity(data: PathwayData) -> str:
    kinds = built_by_kind(data)
    unit = {"storage_energy": "MWh"}
    head = "".join(f"<th>{esc(KIND_LABELS[k])} {unit.get(k, 'MW')}</th>" for k in kinds.columns)
    rows = "".join(f"<tr><td>{p}</td>" + "".join(f"<td>{fmt_mw(v)}</td>" for v in kinds.loc[p]) + "</tr>"
                   for p in kinds.index)
    table = f"<table id='built-by-kind'><tr><th>built in</th>{head}</tr>{rows}</table>" if len(kinds.columns) else ""
    return ("<div class='grid'><div>" + plot_div(capacity_figure(data), "fig-pw-capacity") + "</div><div>"
            + _chart(built_figure(data), "fig-pw-built", "No generation or storage is built in any period.")
            + f"</div></div>{table}<p class='note'>Total capacity: generators and storage power of each period "
              "(existing and every vintage alive). Built: new capacity decided in that period (vintages.parquet).</p>")


def _emissions(data: PathwayData) -> str:
    system = [(y, (sc.get("policies") or {}).get("co2_cap_t")) for y, sc in data.scenarios.items()]
    system = [(y, c) for y, c in system if c is not None]
    note = ("" if not system else "<p class='note'>System-wide CO2 caps: " + ", ".join(
        f"{y}: {fmt_fixed(c / 1e6, 3)} Mt CO2/yr" for y, c in system) + ".</p>")
    prices = [(p["period"], c["country"], c.get("shadow_price_eur_per_t")) for p in data.summary.get("by_period", [])
              for c in p.get("co2_caps") or [] if c.get("shadow_price_eur_per_t") is not None]
    caps = ("<p class='note'>Black ticks: a country's CO2 cap in that period (policies.co2_cap_t_by_country)."
            + ("" if not prices else " The CO2 price each cap implies (its shadow price, EUR per t of that period's "
               "yearly cap): " + "; ".join(f"{y} {html.escape(str(c))}: {fmt_fixed(v, 0)} EUR/t" for y, c, v in prices)
               + ".") + "</p>" if len(co2_caps(data)) else "")
    return _chart(emissions_figure(data), "fig-pw-emissions", "No period emits CO2.") + caps + note


def _investment(data: PathwayData) -> str:
    return ("<div class='grid'><div>" + _chart(investment_figure(data), "fig-pw-investment", "Nothing is built.")
            + "</div><div>" + plot_div(system_cost_figure(data), "fig-pw-system-cost") + "</div></div>"
            "<p class='note'>Added: built MW (MWh) x the vintage's yearly cost per MW (overnight cost as an annuity "
            "plus fixed O&amp;M), paid in every period the vintage is alive. Total: each period's yearly system cost "
            "(pathway.json), of which the annuities of all new capacity alive in it.</p>")


def _links(data: PathwayData) -> str:
    lv = link_vintages(data)
    if not len(lv):
        return "<p class='note'>No link capacity is built in any period.</p>"
    rows = "".join(f"<tr><td>{esc(r.id)}</td><td>{esc(r.from_node)} → {esc(r.to_node)}</td><td>{r.build_period}</td>"
                   f"<td>{fmt_mw(r.built_mw)}</td><td>{r.last_period}</td><td>{r.end_year}</td></tr>"
                   for r in lv.itertuples())
    return (plot_div(link_figure(data, lv), "fig-pw-links")
            + "<table id='link-vintages'><tr><th>link</th><th>from → to</th><th>built in</th><th>MW</th>"
              f"<th>alive until (period)</th><th>end of lifetime (year)</th></tr>{rows}</table>")


def _renewables(data: PathwayData) -> str:
    rs = renewable_share(data)
    if not len(rs):
        return "<p class='note'>No country has demand.</p>"
    return (plot_div(renewable_figure(data, rs), "fig-pw-renewables")
            + "<p class='note'>Generation of generators on renewable carriers divided by the country's demand, as the "
              "minimum renewable share policy counts it (storage such as hydro reservoirs not included); above "
              "100 % a country exports renewable energy. Dotted: the period's minimum renewable share.</p>")


def _files(data: PathwayData, links: PathwayLinks) -> str:
    items = []
    for year in [int(p) for p in data.summary.get("periods", [])]:
        pdir = data.period_dir(year)
        href = links.period(year)
        if href:
            items.append(f"<li>{year}: <a href='{esc(href)}'>{esc(links.period_label)}</a></li>")
        elif pdir.is_dir():
            items.append(f"<li>{year}: no report yet (<code>silkgrid report {esc(pdir)}</code>)</li>")
        else:
            items.append(f"<li>{year}: not solved</li>")
    rows = "".join(f"<tr><td><a href='{esc(href)}' download>{esc(label)}</a></td></tr>" for label, href in links.files())
    return (f"<h3>Period reports</h3><ul id='period-reports'>{''.join(items)}</ul>"
            f"<h3>Pathway tables</h3><table id='pathway-downloads'><tr><th>file</th></tr>{rows}</table>"
            "<p class='note'>Each period's folder is an ordinary result directory (its tables, hourly series and "
            "scenario).</p>")


def pathway_body(data: PathwayData, links: PathwayLinks) -> str:
    """The page's sections (``<section id="pw-...">``), figures as JSON for ``plots.js``: no Plotly
    bundle, no inline script (the dashboard serves both as files, under its CSP)."""
    fn = {"headline": lambda: _headline(data, links), "capacity": lambda: _capacity(data),
          "emissions": lambda: _emissions(data), "investment": lambda: _investment(data),
          "links": lambda: _links(data), "renewables": lambda: _renewables(data), "files": lambda: _files(data, links)}
    return "".join(f'<section id="pw-{sid}"><h2>{esc(h)}</h2>{fn[sid]()}</section>' for sid, h in PATHWAY_SECTIONS)


def pathway_headline(summary: dict) -> str:
    """One line: periods, span, present-value total cost, foresight, status."""
    periods = summary.get("periods", [])
    span = f"{periods[0]}-{periods[-1]}" if periods else "-"
    return (f"{len(periods)} periods, {esc(span)}; present-value total cost {fmt_eur(summary.get('total_cost_pv_eur'))}; "
            f"{esc(_foresight(summary))} foresight; status {esc(summary.get('status'))}.")


def build_pathway_html(directory: str | Path, *, base: str | Path | None = None) -> str:
    """The report of a pathway directory as one self-contained HTML string (Plotly inline).  Links
    to the period reports and tables are relative to ``base``, the folder the page is written to
    (default: ``directory``).  Raises :class:`SilkGridError` for a directory that is not a pathway's."""
    data = load_pathway_dir(directory)
    base = Path(base) if base is not None else data.directory
    body = pathway_body(data, PathwayLinks.relative(data, base))
    title = f"SilkGrid pathway report: {data.summary.get('name')}"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{esc(title)}</title><style>{CSS}</style>"
            f"<script>{plotly_bundle()}</script></head>"
            f"<body><header><h1>{esc(title)}</h1><p>{pathway_headline(data.summary)}</p>"
            f"</header><main>{body}</main><script>{plots_js()}</script></body></html>\n")


def write_pathway_report(directory: str | Path, out: str | Path | None = None) -> Path:
    """Write the pathway report to ``out`` (default ``DIR/report.html``) atomically: a reader never
    sees half a page.  Raises :class:`SilkGridError` for a directory that is not a pathway's."""
    directory = Path(directory)
    path = Path(out) if out is not None else directory / "report.html"
    text = build_pathway_html(directory, base=path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path
