"""The dashboard's pathway views: the pathway list, the pathway page and its table downloads.

The page has the sections and figures of the offline pathway report
(:func:`silkgrid.report.pathway_page.pathway_body`), with figures as JSON drawn by the served
``plots.js`` (no inline script: the app's CSP holds); its period links open each period's ordinary
result page (``/results/<id>``), and its downloads are ``/pathways/<id>/download/<table>.<parquet|csv>``.
"""

from __future__ import annotations

import html
import io
import re

import pandas as pd

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.report.formatting import fmt_eur
from silkgrid.report.pathway_page import (PATHWAY_SECTIONS, PATHWAY_TABLES, PathwayLinks, load_pathway_dir,
                                          pathway_body, pathway_headline)
from silkgrid.scenario.pathway import available_pathways
from silkgrid.web.views import NotFound

__all__ = ["pathways_table", "pathway_json", "pathway_page_body", "pathway_download", "pathway_request",
           "pathway_form"]


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def pathway_json(p) -> dict:
    """The list's view of a pathway entry: id, label, periods, status, present-value cost (EUR)."""
    s = p.summary
    return {"id": p.id, "label": p.label, "origin": p.origin, "kind": "pathway", "name": s.get("name"),
            "periods": s.get("periods", []), "status": s.get("status"),
            "total_cost_pv_eur": s.get("total_cost_pv_eur"),
            "period_results": {str(k): v for k, v in p.period_ids.items()}}


def pathways_table(registry) -> str:
    """The pathway rows of the results list ('' when there are none)."""
    rows = []
    for p in registry.pathways():
        j = pathway_json(p)
        periods = ", ".join(str(y) for y in j["periods"])
        rows.append(f"<tr data-pathway='{_e(p.id)}'><td><a href='/pathways/{_e(p.id)}'>{_e(p.label)}</a></td>"
                    f"<td>{_e(p.origin)}</td><td>{_e(periods)}</td><td>{_e(j['status'])}</td>"
                    f"<td class='cost'>{_e(fmt_eur(j['total_cost_pv_eur']))}</td></tr>")
    if not rows:
        return ""
    return ("<h3>Pathways</h3><table id='pathways-table'><tr><th>pathway</th><th>from</th><th>periods</th>"
            "<th>status</th><th>present-value total cost</th></tr>" + "".join(rows) + "</table>"
            "<p class='note'>Each period of a pathway is also listed as a result (it can be compared).</p>")


def _links(p) -> PathwayLinks:
    def period(year: int) -> str | None:
        rid = p.period_ids.get(int(year))
        return f"/results/{rid}" if rid else None

    def files() -> list[tuple[str, str]]:
        return [(f"{t}.{fmt}", f"/pathways/{p.id}/download/{t}.{fmt}") for t in PATHWAY_TABLES
                if (p.path / f"{t}.parquet").is_file() for fmt in ("parquet", "csv")]
    return PathwayLinks(period, files, period_label="result page")


def pathway_page_body(p) -> str:
    """The pathway page of entry ``p`` (rendered once and kept: a pathway directory does not change)."""
    with p.render_lock:
        if not p.page:
            try:
                data = load_pathway_dir(p.path)
            except SilkGridError as exc:
                return f"<section><p class='warn'>{_e(getattr(exc, 'message', exc))}</p></section>"
            nav = " · ".join(f"<a href='#pw-{sid}'>{_e(h)}</a>" for sid, h in PATHWAY_SECTIONS)
            head = (f"<section id='pathway-head' data-pathway='{_e(p.id)}'><h2>{_e(p.summary.get('name'))}</h2>"
                    f"<p>{pathway_headline(p.summary)}</p><p class='note'>{nav}</p></section>")
            p.page = head + pathway_body(data, _links(p))
        return p.page


def pathway_download(p, name: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a pathway table (:data:`PATHWAY_TABLES`) as Parquet or CSV."""
    path = p.path / f"{name}.parquet"
    if name not in PATHWAY_TABLES or fmt not in ("parquet", "csv") or not path.is_file():
        raise NotFound(f"no table '{name}' as {fmt} in this pathway")
    filename = f"{p.path.name}-{name}.{fmt}"
    if fmt == "parquet":
        return path.read_bytes(), "application/vnd.apache.parquet", filename
    buf = io.StringIO()
    pd.read_parquet(path).to_csv(buf, index=False)
    return buf.getvalue().encode(), "text/csv", filename


_RESOLUTION = re.compile(r"[1-9][0-9]{0,3}h")
_FIELDS = {"pathway", "label", "resolution", "foresight", "time_limit_s"}


def pathway_request(payload) -> tuple[str, dict, str, float | None]:
    """(packaged pathway name, knobs {resolution, foresight}, label, time limit s or None) of a
    ``POST /api/runs/pathway`` JSON object; raises :class:`ScenarioError` for a bad field."""
    def bad(problem: str, field: str | None, fix: str) -> ScenarioError:
        return ScenarioError(problem, file="<request>", field=field, fix=fix)
    if not isinstance(payload, dict):
        raise bad("the request must be a JSON object", None, 'send {"pathway": "corridor-pathway"}')
    extra = sorted(set(payload) - _FIELDS)
    if extra:
        raise bad(f"unknown field '{extra[0]}'", extra[0], f"send only {', '.join(sorted(_FIELDS))}")
    names = available_pathways()
    name = payload.get("pathway")
    if name not in names:
        raise bad(f"'{name}' is not a packaged pathway", "pathway",
                  f"choose one of {', '.join(names)}, or upload a YAML file with a pathway: section")
    res = payload.get("resolution")
    if res is not None and not (isinstance(res, str) and _RESOLUTION.fullmatch(res)):
        raise bad(f"resolution {res!r} is not a number of hours such as '24h'", "resolution", "give e.g. '24h'")
    fs = payload.get("foresight")
    if fs is not None and fs not in ("perfect", "myopic"):
        raise bad(f"foresight {fs!r} is not 'perfect' or 'myopic'", "foresight",
                  "limited foresight needs view_periods in the file: upload it")
    limit = payload.get("time_limit_s")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0):
        raise bad("time_limit_s must be a positive number of seconds", "time_limit_s", "give e.g. 600")
    label = payload.get("label") or name
    if not isinstance(label, str) or len(label) > 60 or re.search(r"[\x00-\x1f\x7f]", label):
        raise bad("the label must be printable text of at most 60 characters", "label", 'e.g. "pathway"')
    return name, {"pathway": name, "resolution": res, "foresight": fs}, label, limit


def pathway_form() -> str:
    """The Run section's pathway form (packaged pathways; a YAML with ``pathway:`` goes through the upload)."""
    opts = "".join(f"<option>{_e(n)}</option>" for n in available_pathways())
    if not opts:
        return ""
    return ("<form id='pathway-form' class='knobs'><label>Or a pathway <select name='pathway'>"
            f"{opts}</select></label><label>Resolution <input name='resolution' value='24h' size='4' "
            "title='hours per snapshot, e.g. 24h'></label><label>Foresight <select name='foresight'>"
            "<option>perfect</option><option>myopic</option></select></label><button type='submit'>"
            "Run pathway</button></form>")
