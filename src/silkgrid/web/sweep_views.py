"""The dashboard's sweep views: the sweep list, the sweep page, its chart API and its CSV download.

A sweep is a directory written by ``silkgrid sweep`` (``catalog.duckdb``, ``runs/KEY/``); the page
reads the catalog (read-only, on every view: a resumed sweep adds runs) and shows the runs of the
current plan (view ``plan_runs``) and the planned points not run yet.  A finished run's link,
``/sweeps/<id>/runs/<key>``, registers its directory as an ordinary result on first use and
redirects to ``/results/<rid>``.  The chart is ``/api/sweeps/<id>/figure?y=METRIC&x=AXIS&colour=AXIS``
(:func:`silkgrid.report.sweep_charts.sweep_figure`), redrawn by ``app.js`` when the form changes.
"""

from __future__ import annotations

import html
import json
import math
import re
from urllib.parse import urlencode

import pandas as pd
import yaml

from silkgrid.core.errors import SilkGridError
from silkgrid.report.formatting import fmt_emissions, fmt_eur
from silkgrid.report.sweep_charts import SWEEP_METRICS, chart_rows, sweep_figure
from silkgrid.web.views import NotFound
from silkgrid.workflows.catalog import CatalogError, axis_column, query

__all__ = ["sweeps_table", "sweep_json", "sweep_page_body", "sweep_figure_json", "sweep_csv", "sweep_run_result",
           "SweepRequestError"]

_KEY = re.compile(r"[0-9a-f]{8,64}")
#: Metrics shown in the runs table: (column, heading, formatter).
_TABLE = (("system_cost_eur", "system cost /yr", fmt_eur),
          ("delivered_cost_eur_per_mwh", "delivered cost EUR/MWh", lambda v: _num(v, 1)),
          ("emissions_t", "emissions /yr", fmt_emissions),
          ("eu_delivered_twh", "EU deliveries TWh/yr", lambda v: _num(v, 2)),
          ("caspian_mw", "Caspian MW", lambda v: _num(v, 0)),
          ("black_sea_mw", "Black Sea MW", lambda v: _num(v, 0)),
          ("seconds", "time s", lambda v: _num(v, 1)))


class SweepRequestError(SilkGridError):
    """A bad metric or axis name in a figure request (the app answers 400)."""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _num(v, nd: int) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    return f"{v:,.{nd}f}"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _name(entry) -> str:
    """The sweep's ``name`` from its ``sweep.yaml``, else the entry's label."""
    try:
        doc = yaml.safe_load((entry.path / "sweep.yaml").read_text(encoding="utf-8"))
        return str(doc["name"]) if isinstance(doc, dict) and doc.get("name") else entry.label
    except (OSError, yaml.YAMLError):
        return entry.label


def _factor_paths(entry) -> set[str]:
    """Axis paths of the sweep's ``sweep.yaml`` whose values are factors on the base's value."""
    try:
        doc = yaml.safe_load((entry.path / "sweep.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return set()
    if not isinstance(doc, dict):
        return set()
    axes = list(doc.get("axes") or []) + [a for g in (doc.get("zip") or []) for a in (g or [])]
    axes += list((doc.get("samples") or {}).get("axes") or []) if isinstance(doc.get("samples"), dict) else []
    return {str(a.get("path")) for a in axes if isinstance(a, dict) and (a.get("factors") is not None
                                                                        or a.get("factor") is True)}


def _axis_label(path: str, factors: set[str]) -> str:
    return f"{path} (factor on the base value)" if path in factors else path


def _load(entry, links: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(runs of the current plan, planned points not in the catalog, {axis path: column}); with
    ``links``, plus a column ``link:ID`` (capacity, MW) per link built or expanded in some run."""
    runs = query(entry.path, "SELECT * FROM plan_runs ORDER BY point")
    if links:
        caps = query(entry.path, "SELECT key, link, capacity_mw FROM links WHERE key IN (SELECT key FROM plan_runs) "
                                 "AND link IN (SELECT link FROM links GROUP BY link HAVING max(new_mw) > 0)")
        if len(caps):
            wide = caps.pivot(index="key", columns="link", values="capacity_mw").sort_index(axis=1)
            runs = runs.merge(wide.add_prefix("link:"), left_on="key", right_index=True, how="left")
    planned = query(entry.path, "SELECT * FROM planned ORDER BY point")
    paths: list[str] = []
    for text in planned["axes"]:
        for p in json.loads(text):
            if p not in paths:
                paths.append(p)
    cols = [c for c in runs.columns if c.startswith("axis_")]  # the catalog's order: the sweep file's
    paths.sort(key=lambda p: cols.index(axis_column(p)) if axis_column(p) in cols else len(cols))
    axes = {p: axis_column(p) for p in paths if axis_column(p) in runs.columns}
    return runs, planned[~planned["key"].isin(runs["key"])], axes


def _counts(runs: pd.DataFrame, not_run: pd.DataFrame) -> dict[str, int]:
    failed = int((runs["status"] == "failed").sum())
    return {"points": len(runs) + len(not_run), "done": len(runs) - failed, "failed": failed,
            "not_run": len(not_run)}


def sweep_json(s) -> dict:
    """The list's view of a sweep: id, name, axis paths and counts (None when the catalog is busy)."""
    out = {"id": s.id, "label": s.label, "origin": s.origin, "kind": "sweep", "name": _name(s)}
    try:
        runs, not_run, axes = _load(s)
    except CatalogError as exc:
        return {**out, "axes": [], "error": str(exc), **dict.fromkeys(("points", "done", "failed", "not_run"))}
    return {**out, "axes": list(axes), "error": None, **_counts(runs, not_run)}


def sweeps_table(registry) -> str:
    """The sweep rows of the results list ('' when there are none)."""
    rows = []
    for s in registry.sweeps():
        j = sweep_json(s)
        if j["error"] is None:
            cells = f"<td>{_e(', '.join(j['axes']))}</td>" + "".join(
                f"<td>{_e(j[k])}</td>" for k in ("points", "done", "failed", "not_run"))
        else:
            cells = (f"<td colspan='5' class='note' title='{_e(j['error'])}'>the catalog is busy (a sweep is "
                     "writing it) or unreadable: reload later</td>")
        rows.append(f"<tr data-sweep='{_e(s.id)}'><td><a href='/sweeps/{_e(s.id)}'>{_e(j['name'])}</a></td>"
                    f"<td>{_e(s.origin)}</td>{cells}</tr>")
    if not rows:
        return ""
    return ("<h3>Sweeps</h3><table id='sweeps-table'><tr><th>sweep</th><th>from</th><th>axes</th><th>points</th>"
            "<th>done</th><th>failed</th><th>not run</th></tr>" + "".join(rows) + "</table>")


def _labels(runs: pd.DataFrame) -> dict[str, str]:
    """Chartable columns -> label: :data:`SWEEP_METRICS`, then the link capacities of :func:`_load`."""
    links = {c: f"{c[5:]} capacity, MW" for c in runs.columns if c.startswith("link:")}
    return {m: t for m, t in {**SWEEP_METRICS, **links}.items() if m in runs.columns}


def _metrics(runs: pd.DataFrame) -> list[str]:
    """Chartable metrics with a value in some finished run."""
    return [m for m in _labels(runs) if len(chart_rows(runs, m))]


def _options(values: list[str], chosen: str | None, labels: dict[str, str], none: bool = False) -> str:
    opts = ["<option value=''>(none)</option>"] if none else []
    opts += [f"<option value='{_e(v)}'{' selected' if v == chosen else ''}>{_e(labels.get(v, v))}</option>"
             for v in values]
    return "".join(opts)


def _runs_table(s, runs: pd.DataFrame, not_run: pd.DataFrame, axes: dict[str, str]) -> str:
    """Point, status, result link, axis values and headline metrics of every planned point; a failed
    run's error takes the place of its metrics (another run's error, e.g. infeasible, is its status's title)."""
    head = ("".join(f"<th>{'.<wbr>'.join(_e(part) for part in p.split('.'))}</th>" for p in axes)
            + "".join(f"<th>{_e(h)}</th>" for _, h, _ in _TABLE))
    rows = []
    for r in runs.to_dict("records"):
        failed = r["status"] == "failed"
        cells = "".join(f"<td>{_e(_cell(r.get(c)))}</td>" for c in axes.values())
        err = "" if _missing(r.get("error")) else str(r["error"])
        if failed:
            cells += f"<td class='warn' colspan='{len(_TABLE)}' title='{_e(err)}'>{_e(err[:400])}</td>"
        else:
            cells += "".join(f"<td>{_e(f(None if _missing(r.get(c)) else r.get(c)))}</td>" for c, _, f in _TABLE)
        link = "" if failed else f"<a href='/sweeps/{_e(s.id)}/runs/{_e(r['key'])}'>result</a>"
        status = f"<td title='{_e(err)}'>" if err and not failed else "<td>"
        rows.append(f"<tr data-key='{_e(r['key'])}' class='{'failed' if failed else ''}'><td>{int(r['point'])}</td>"
                    f"{status}{_e(r['status'])}</td><td>{link}</td>{cells}</tr>")
    for r in not_run.to_dict("records"):
        values = json.loads(r["axes"])
        cells = "".join(f"<td>{_e(_cell(values.get(p)))}</td>" for p in axes)
        rows.append(f"<tr data-key='{_e(r['key'])}'><td>{int(r['point'])}</td><td>not run</td><td></td>{cells}"
                    f"{'<td></td>' * len(_TABLE)}</tr>")
    return ("<table id='sweep-runs'><tr><th>point</th><th>status</th><th>result</th>" + head + "</tr>"
            + "".join(rows) + "</table>")


def _cell(v) -> str:
    if _missing(v):
        return "-"
    return f"{v:g}" if isinstance(v, float) else str(v)


def _figure_url(s, y: str, x: str, colour: str | None) -> str:
    return f"/api/sweeps/{s.id}/figure?" + urlencode({"y": y, "x": x, "colour": colour or ""})


def sweep_page_body(s) -> str:
    """The sweep page: counts, the chart (metric against one or two axes), the runs table, the CSV link."""
    name = _name(s)
    try:
        runs, not_run, axes = _load(s, links=True)
    except CatalogError as exc:
        return (f"<section><h2>{_e(name)}</h2><p class='warn'>{_e(exc)}</p><p class='note'>A sweep that is "
                "running holds its catalog: reload this page when it has finished.</p></section>")
    c = _counts(runs, not_run)
    head = (f"<section id='sweep-head' data-sweep='{_e(s.id)}'><h2>{_e(name)}</h2><p>{c['points']} points over "
            f"{_e(', '.join(axes) or 'no axes')}: <b>{c['done']}</b> done, <b>{c['failed']}</b> failed, "
            f"<b>{c['not_run']}</b> not run. <a href='/sweeps/{_e(s.id)}/runs.csv'>Download the runs (CSV)</a>"
            f"</p><p class='note'>{_e(s.path)}</p></section>")
    metrics = _metrics(runs)
    if not metrics or not axes:
        chart = "<p class='note'>No finished run has a metric to chart yet.</p>"
    else:
        drawn = len(runs) - c["failed"]  # the first metric every finished run has, else the first one
        y = next((m for m in metrics if len(chart_rows(runs, m)) == drawn), metrics[0])
        paths = list(axes)
        x, colour = paths[0], (paths[1] if len(paths) > 1 else None)
        left = ("Failed runs are left out of the chart (the table below gives their error); so are "
                "runs without a value of the metric. ") if c["failed"] else "Runs without a value of the metric are left out. "
        more = (f"The sweep has {len(paths)} axes: the runs at the other axes' values are drawn as separate points. "
                if len(paths) > 2 else "")
        chart = (f"<form id='sweep-chart' class='knobs' data-src='/api/sweeps/{_e(s.id)}/figure'>"
                 f"<label>Metric <select name='y'>{_options(metrics, y, _labels(runs))}</select></label>"
                 f"<label>Against <select name='x'>{_options(paths, x, {})}</select></label>"
                 f"<label>One line per <select name='colour'>{_options(paths, colour, {}, none=True)}</select></label>"
                 f"</form><div class='plot' id='fig-sweep' data-src='{_e(_figure_url(s, y, x, colour))}'>"
                 f"<p class='note'>loading the chart…</p></div><p class='note'>{_e(left + more)}</p>")
    return (head + f"<section id='sweep-charts'><h2>Charts</h2>{chart}</section>"
            f"<section id='sweep-table'><h2>Runs</h2><div class='tablewrap'>{_runs_table(s, runs, not_run, axes)}"
            "</div></section>")


def sweep_figure_json(s, y: str, x: str, colour: str | None) -> dict:
    """The chart of metric ``y`` against axis path ``x`` (one line per value of axis ``colour``, if
    given); raises :class:`SweepRequestError` for an unknown metric or axis."""
    runs, _, axes = _load(s, links=True)
    names = _labels(runs)
    if y not in names:
        raise SweepRequestError(f"unknown metric '{y}': choose one of {', '.join(names)}")
    for name, v in (("x", x), ("colour", colour)):
        if v is not None and v not in axes:
            raise SweepRequestError(f"{name}: '{v}' is not an axis of this sweep: choose one of {', '.join(axes)}")
    if colour == x:
        raise SweepRequestError("colour: give a second axis, not the x axis itself (or none)")
    factors = _factor_paths(s)
    labels = {**names, **{c: _axis_label(p, factors) for p, c in axes.items()}}
    return sweep_figure(runs, y, axes[x], axes.get(colour) if colour else None, labels=labels)


def sweep_csv(s) -> tuple[bytes, str]:
    """(CSV of the catalog's runs of the current plan, every column; file name)."""
    runs = query(s.path, "SELECT * FROM plan_runs ORDER BY point")
    return runs.to_csv(index=False).encode(), f"{s.path.name}-runs.csv"


def sweep_run_result(registry, s, key: str) -> str:
    """The result id of the sweep's finished run ``key``, registering its directory on first use."""
    with s.lock:
        rid = s.run_ids.get(key)
        if rid is not None:
            return rid
        if not _KEY.fullmatch(key):
            raise NotFound(f"no run '{key}' in this sweep")
        rows = query(s.path, f"SELECT point, status FROM plan_runs WHERE key = '{key}'")  # key: hex digits only
        run_dir = s.path / "runs" / key
        if not len(rows) or rows["status"].iloc[0] == "failed" or not (run_dir / "summary.json").is_file():
            raise NotFound(f"no finished run '{key}' in this sweep")
        entry = registry.add(run_dir, label=f"{_name(s)} point {int(rows['point'].iloc[0])}", origin="sweep")
        s.run_ids[key] = entry.id
        return entry.id
