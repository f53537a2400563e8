"""The dashboard's result views: the result page, the dispatch figure, node and link details, the
comparison and the downloads.

The result page shows the report's sections (:func:`silkgrid.report.section_html`), rendered once
per result and kept (result directories do not change); :func:`warm` renders them in a background
thread as soon as a result is registered, so the first view of a finished run is fast.  The
whole-year dispatch figure is fetched per node by the page (``/api/results/ID/figures/dispatch``).
"""

from __future__ import annotations

import html
import io
import logging
import math
import threading

import numpy as np
import pandas as pd

from silkgrid.analysis.compare import ResultDirError, compare_table
from silkgrid.core.jsonsafe import clean
from silkgrid.report import SECTIONS, panels, section_html
from silkgrid.report.charts import dispatch_figure
from silkgrid.report.compare_charts import capacity_compare_figure, headline_figure, link_compare_figure
from silkgrid.report.flowmap import side_by_side_maps
from silkgrid.report.formatting import fmt_emissions, fmt_energy, fmt_eur, negligible
from silkgrid.report.plotting import plot_div
from silkgrid.results import Result

__all__ = ["NotFound", "result_body", "warm", "dispatch_json", "node_details", "link_details", "compare_fragment",
           "download", "MAX_COMPARE"]

_log = logging.getLogger("silkgrid.web")
#: Most results in one comparison (side-by-side maps: the first 4).
MAX_COMPARE = 12


class NotFound(Exception):
    """A result, node, link or table that does not exist (HTTP 404)."""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _num(x, nd: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:,.{nd}f}"


def _sections(entry) -> dict[str, str]:
    """HTML of every section of the result page of ``entry``, rendered once (thread-safe)."""
    with entry.render_lock:
        if not entry.sections:
            result = entry.data()
            rid = entry.id
            files = panels.download_files(entry.path)
            href = lambda n, f: f"/results/{rid}/download/{n}.{f}"  # noqa: E731
            src = f"/api/results/{rid}/figures/dispatch?node="
            entry.sections.update({sid: section_html(result, sid, files=files, href=href, dispatch_src=src)
                                   for sid, _ in SECTIONS})
        return entry.sections


def warm(entry) -> None:
    """Render the result page of ``entry`` in a background thread (errors are logged; the page
    then renders on its first view and shows them)."""
    def work():
        try:
            if entry.data().tables and entry.data().network:
                _sections(entry)
        except Exception:  # noqa: BLE001 - a background convenience: the page view reports the problem
            _log.exception("rendering the result page of %s", entry.path)
    threading.Thread(target=work, name=f"silkgrid-render-{entry.id}", daemon=True).start()


def result_body(entry) -> str:
    """The result page: headline, then the report's sections; the map has a details box and the
    dispatch section a node selector."""
    result = entry.data()
    s = entry.summary()
    if not result.tables or not result.network:
        return (f"<section><p class='warn'>This result has no plan (status {_e(s.get('status'))}: "
                f"{_e(s.get('message', ''))}) or has no network.json: nothing to show.</p></section>")
    sections = _sections(entry)
    nodes = [n["id"] for n in result.network.get("nodes", [])]
    node_opts = "".join(f"<option>{_e(n)}</option>" for n in nodes)
    nav = " · ".join(f"<a href='#{sid}'>{_e(h.split(':')[0])}</a>" for sid, h in SECTIONS)
    head = (f"<section id='headline' data-result='{_e(entry.id)}'><h2>{_e(s.get('scenario'))}</h2><p>"
            f"Total system cost <b>{_e(fmt_eur(s.get('total_cost_eur')))}/yr</b>; demand "
            f"{_e(fmt_energy(s.get('demand_mwh')))}/yr; emissions {_e(fmt_emissions(s.get('emissions_t')))}/yr; "
            f"CO2 price {_num(s.get('co2_price_eur_per_t'), 0)} EUR/t.</p><p class='note'>{nav}</p></section>")
    out = [head]
    for sid, title in SECTIONS:
        content = sections[sid]
        if sid == "map":
            content = (f"<div class='mapgrid'><div>{content}</div><aside id='details'><p class='note'>Click a "
                       "node or a link arrow for details.</p></aside></div>")
        elif sid == "dispatch":
            content = (f"<form id='dispatch-form'><label>Node <select name='node'>{node_opts}</select></label>"
                       f"</form>{content}")
        out.append(f"<section id='{sid}'><h2>{_e(title)}</h2>{content}</section>")
    return "".join(out)


def dispatch_json(entry, node: str) -> dict:
    """The whole-year dispatch figure of ``node`` (404 for an unknown node)."""
    result = entry.data()
    if node not in {n["id"] for n in result.network.get("nodes", [])}:
        raise NotFound(f"no node '{node}' in this result")
    return dispatch_figure(result, [node])


def node_details(result: Result, node: str) -> dict:
    """Details of a node for the map's details box (MW, MWh/yr, EUR/MWh)."""
    t = result.tables
    ntab = t["nodes"].set_index("id")
    if node not in ntab.index:
        raise NotFound(f"no node '{node}' in this result")
    r = ntab.loc[node]
    cap = panels.capacity_by_node(result)
    g = t["generators"]
    gn = g[g["node"] == node]
    links = t["links"]
    conn = links[(links["from_node"] == node) | (links["to_node"] == node)]
    meta = next((n for n in result.network["nodes"] if n["id"] == node), {})
    return clean({
        "kind": "node", "id": node, "name": meta.get("name"), "country": meta.get("country"),
        "capacity_mw": cap.loc[node].to_dict() if node in cap.index else {},
        "generation_mwh": gn.groupby("technology")["generation_mwh"].sum().to_dict(),
        "curtailment_mwh": float(gn["curtailment_mwh"].sum()),
        "demand_mwh": float(r["demand_mwh"]), "unserved_mwh": float(r["unserved_mwh"]),
        "mean_price_eur_per_mwh": float(r["mean_price_eur_per_mwh"]),
        "links": {lr.id: {"to": lr.to_node if lr.from_node == node else lr.from_node,
                          "out_mwh": lr.forward_mwh if lr.from_node == node else lr.backward_mwh,
                          "in_mwh": lr.backward_mwh if lr.from_node == node else lr.forward_mwh}
                  for lr in conn.itertuples()},
    })


def link_details(result: Result, link: str) -> dict:
    """Details of a link for the map's details box (MW, MWh/yr, EUR/MWh)."""
    lt = result.tables["links"].set_index("id")
    if link not in lt.index:
        raise NotFound(f"no link '{link}' in this result")
    r = lt.loc[link]
    price = result.tables["nodes"].set_index("id")["mean_price_eur_per_mwh"]
    return clean({
        "kind": "link", "id": link, "from_node": r["from_node"], "to_node": r["to_node"],
        "existing_mw": r["existing_mw"], "new_mw": r["new_mw"], "total_mw": r["total_mw"],
        "forward_mwh": r["forward_mwh"], "backward_mwh": r["backward_mwh"], "losses_mwh": r["losses_mwh"],
        "utilisation": r["utilisation"],
        "mean_price_from_eur_per_mwh": price.get(r["from_node"]), "mean_price_to_eur_per_mwh": price.get(r["to_node"]),
    })


def _fmt(v, unit: str = "") -> str:
    """A table cell: '' when missing, 0 below the unit's display tolerance (solver round-off)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, (int, float, np.floating)):
        if negligible(float(v), unit):
            return "0"
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}"
    return _e(v)


def compare_fragment(registry, ids: str) -> str:
    """The comparison of results ``ids`` (comma-separated): headline charts, capacity and link
    charts, side-by-side maps (first 4) and the table of every metric with deltas against the first."""
    wanted = [i for i in ids.replace(" ", "").split(",") if i][:MAX_COMPARE]
    entries = [registry.get(i) for i in wanted]
    if any(e is None for e in entries):
        raise NotFound("unknown result id in the comparison")
    if len(entries) < 2:
        return "<p class='warn'>Tick two or more results to compare them.</p>"
    try:
        df = compare_table([e.path for e in entries])
    except ResultDirError as exc:
        return f"<p class='warn'>{_e(exc.message)}</p>"
    value_cols = [c for c in df.columns if c not in ("metric", "description", "unit") and not c.startswith("delta_")]
    delta_cols = [c for c in df.columns if c.startswith("delta_") and not c.startswith("delta_pct_")]
    labels = [e.label for e in entries]
    names = dict(zip(value_cols, labels))
    charts = [plot_div(headline_figure(df, value_cols, labels), "fig-cmp-headline")]
    for fid, fig in (("fig-cmp-capacity", capacity_compare_figure(df, value_cols, labels)),
                     ("fig-cmp-links", link_compare_figure(df, value_cols, labels))):
        if fig is not None:
            charts.append(plot_div(fig, fid))
    with_plan = [(e.data(), e.label) for e in entries[:4] if e.data().tables and e.data().network]
    if len(with_plan) >= 2:
        charts.append(plot_div(side_by_side_maps([r for r, _ in with_plan], [lab for _, lab in with_plan]),
                               "fig-cmp-maps"))
    head = ("<tr><th>metric</th><th>unit</th>" + "".join(f"<th>{_e(names[c])}</th>" for c in value_cols)
            + "".join(f"<th>Δ {_e(names[value_cols[k + 1]])}</th>" for k, c in enumerate(delta_cols)) + "</tr>")
    rows = []
    for _, r in df.iterrows():
        unit = r["unit"] or ""
        cells = "".join(f"<td>{_fmt(r[c], unit)}</td>" for c in value_cols)
        deltas = ""
        for c in delta_cols:
            v = r[c]
            pct = r.get("delta_pct_" + c[len("delta_"):])
            text = _fmt(v, unit)
            cls = "" if text in ("", "0") or not isinstance(v, (int, float)) else (
                " class='up'" if v > 0 else " class='down'")
            pct_s = f" ({pct:+.1f} %)" if isinstance(pct, (int, float)) and math.isfinite(pct) else ""
            deltas += f"<td{cls}>{text}{pct_s if text else ''}</td>"
        rows.append(f"<tr><td>{_e(r['description'])}</td><td>{_e(r['unit'])}</td>{cells}{deltas}</tr>")
    return (f"<h3>Comparison (deltas against {_e(labels[0])})</h3>" + "".join(charts)
            + f"<table id='compare-table'>{head}" + "".join(rows) + "</table>")


def download(entry, name: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of table ``name`` of a result as Parquet or CSV.  Only the
    tables listed by :func:`silkgrid.report.panels.download_files` are served (no other path)."""
    known = {n for n, _, _ in panels.download_files(entry.path)}
    if name not in known or fmt not in ("parquet", "csv"):
        raise NotFound(f"no table '{name}' as {fmt} in this result")
    path = entry.path / f"{name}.parquet"
    filename = f"{entry.path.name}-{name.replace('/', '-')}.{fmt}"
    if fmt == "parquet":
        return path.read_bytes(), "application/vnd.apache.parquet", filename
    df = pd.read_parquet(path)
    buf = io.StringIO()
    df.to_csv(buf, index=isinstance(df.index, pd.DatetimeIndex))  # hourly tables keep their timestamps
    return buf.getvalue().encode(), "text/csv", filename

