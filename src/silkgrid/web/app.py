"""``silkgrid serve``: a local web dashboard (FastAPI + uvicorn, server-rendered HTML).

Figures come from the public panels of :mod:`silkgrid.report.panels` (one source of truth); one small
vanilla script (``static/app.js``) adds map clicks, the node/week selector, the Run form and the
compare view.  Nothing is loaded from the network.  Design and security notes: ``docs/web.md``.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import logging
import math
import re
import secrets
import threading
from importlib import resources
from pathlib import Path

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from silkgrid.core.errors import ScenarioError, SilkGridError
from silkgrid.report import CSS
from silkgrid.report.plotting import plotly_bundle, plotly_version, plots_js, to_json
from silkgrid.report.formatting import fmt_emissions, fmt_eur
from silkgrid.web.jobs import FINAL, JobQueue, Registry
from silkgrid.web.knobs import Knobs, RunRequest
from silkgrid.web.bodies import read_body
from silkgrid.web.upload import MAX_YAML_BYTES, load_upload
from silkgrid.web import views
from silkgrid.web.pathway_views import (pathway_download, pathway_form, pathway_json, pathway_page_body,
                                        pathway_request, pathways_table)
from silkgrid.web.sweep_views import (SweepRequestError, sweep_csv, sweep_figure_json, sweep_json, sweep_page_body,
                                      sweep_run_result, sweeps_table)
from silkgrid.web.views import NotFound

__all__ = ["create_app", "is_loopback", "new_token", "make_server", "parse_host", "json_depth"]

#: Largest request body accepted (the Run form's JSON is a few hundred bytes).
MAX_BODY = 16 * 1024
#: Largest body of ``POST /api/runs/upload``: a scenario YAML upload as JSON (escaping: 4x the text).
MAX_RUN_BODY = 4 * MAX_YAML_BYTES
#: Deepest JSON nesting accepted (the Run request is one flat object: depth 1).
MAX_JSON_DEPTH = 4
TOKEN_COOKIE = "silkgrid_token"
TOKEN_HEADER = "x-silkgrid-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: ``name-or-IPv4[:port]`` or ``[IPv6][:port]``, nothing else (no userinfo ``@``, path or spaces).
_HOST_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::([0-9]{1,5}))?")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_log = logging.getLogger("silkgrid.web")
_STATIC = {"app.js": "application/javascript", "style.css": "text/css", "plots.js": "application/javascript"}
#: Seconds a browser may keep the Plotly bundle (1.4 MB) without asking again: it changes only with
#: the plotly.js version, which is in the URL.
_BUNDLE_MAX_AGE = 7 * 24 * 3600
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, IPv6 possibly in brackets) is the loopback interface."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_host(header: str | None) -> str | None:
    """Host name of a ``Host`` header (``127.0.0.1:8050`` -> ``127.0.0.1``, ``[::1]:8050`` -> ``::1``),
    or None when it is malformed (``127.0.0.1:8050@evil.com``, a port above 65535, spaces, empty)."""
    m = _HOST_RE.fullmatch(header or "")
    if m is None or (m.group(2) is not None and not 0 < int(m.group(2)) < 65536):
        return None
    return m.group(1).strip("[]")


def json_depth(body: bytes) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text, strings skipped (vectorised; no parsing, so no
    RecursionError whatever the depth)."""
    b = np.frombuffer(_JSON_STRING.sub(b'""', body), dtype=np.uint8)
    step = np.isin(b, (ord("["), ord("{"))).astype(np.int64) - np.isin(b, (ord("]"), ord("}")))
    return int(np.cumsum(step).max(initial=0))


def _harden(resp: Response) -> Response:
    """Set the security headers (on every response, errors included)."""
    resp.headers["Content-Security-Policy"] = _CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


def _refuse(status: int, text: str) -> Response:
    return _harden(Response(text, status_code=status, media_type="text/plain"))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def check_serve_options(host: str, port: int, token: str | None, generate: bool, runs_dir: Path) -> str | None:
    """Check ``silkgrid serve``'s options before anything binds; return the token to use.

    Raises ``ValueError(option, problem, fix)``.
    """
    import socket

    if token is not None and len(token) < 16:
        raise ValueError("--token", "the token is shorter than 16 characters",
                         "give a longer secret, or use --generate-token")
    if generate and token is None:
        token = new_token()
    if not is_loopback(host) and token is None:
        raise ValueError("--host", f"'{host}' is not a loopback address: the dashboard (which can start runs) "
                         "would be reachable from other machines without a token; refusing to start",
                         "pass --token SECRET or --generate-token, or keep the default --host 127.0.0.1")
    if Path(runs_dir).exists() and not Path(runs_dir).is_dir():
        raise ValueError("--runs-dir", f"'{runs_dir}' exists and is not a directory", "give a directory path")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        raise ValueError("--port", f"cannot listen on {host}:{port} ({exc.strerror or exc})",
                         "choose another --port (or --host)") from None
    return token


def _static(name: str) -> bytes:
    if name == "report.css":
        return CSS.encode()
    if name == "plotly.min.js":
        return plotly_bundle().encode()
    if name == "plots.js":
        return plots_js().encode()
    return (resources.files("silkgrid.web") / "static" / name).read_bytes()


def _num(x, nd: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:,.{nd}f}"


def _page(title: str, body: str, *, token: str = "", token_note: str = "") -> HTMLResponse:
    """A full page; ``token`` (the server's) goes into ``<meta name='silkgrid-token'>`` for app.js."""
    return HTMLResponse(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
        f"content='width=device-width,initial-scale=1'><meta name='silkgrid-token' content='{_e(token)}'>"
        f"<title>{_e(title)}</title>"
        "<link rel='icon' href='data:,'><link rel='stylesheet' href='/static/report.css'><link rel='stylesheet' href='/static/style.css'>"
        f"<script src='/static/plotly.min.js?v={_e(plotly_version())}' defer></script>"
        "<script src='/static/plots.js' defer></script><script src='/static/app.js' defer></script></head><body>"
        f"<header><h1><a href='/'>SilkGrid</a> · {_e(title)}</h1>{token_note}</header><main>{body}</main>"
        "</body></html>")


def create_app(result_dirs=(), *, runs_dir: str | Path = "results/web-runs", base_scenario: dict | None = None,
               links: dict | None = None, cbam_path: list[str] | None = None, token: str | None = None,
               loopback_only: bool = True, run_time_limit_s: float = 900.0, run_grace_s: float = 30.0,
               run_memory_gib: float | None = 8.0) -> FastAPI:
    """The dashboard app.

    ``result_dirs``: results directories to show (each gets an id); ``runs_dir``: where runs from
    the form are written; ``base_scenario``: scenario dict the Run form's knobs are applied to
    (default: the corridor data set, 2035); ``token``: required on every request when set (else a
    random one is made; either way mutating requests must carry it in ``X-SilkGrid-Token``, which
    only the server's own pages hold); ``loopback_only``: refuse requests whose Host header is not a
    loopback name (DNS rebinding); ``run_time_limit_s`` (s, a request may ask for less),
    ``run_grace_s`` (s a run may outlive it before it is killed) and ``run_memory_gib`` (GiB of
    address space per run process, None: no cap): the limits of each run (:class:`JobQueue`).
    """
    api_token = token or new_token()
    registry = Registry(on_add=views.warm)
    for d in result_dirs:
        registry.add_any(Path(d))
    knobs = Knobs(base_scenario, links=links, cbam_path=cbam_path)
    jobs = JobQueue(registry, Path(runs_dir), time_limit_s=run_time_limit_s, grace_s=run_grace_s,
                    memory_gib=run_memory_gib)
    _add_root_pathways(registry, jobs.runs_dir)
    _add_root_sweeps(registry, jobs.runs_dir)
    app = FastAPI(title="SilkGrid", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.registry, app.state.jobs, app.state.knobs = registry, jobs, knobs
    app.state.token = api_token  # for programs and tests that drive the API directly

    def warm():  # load the base scenario now, not on the first page view (the corridor takes seconds)
        try:
            knobs.base_scenario()
        except Exception:  # noqa: BLE001 - the Run form says so when the page asks
            pass
    threading.Thread(target=warm, name="silkgrid-web-warm", daemon=True).start()

    def matches(given: str | None) -> bool:
        return hmac.compare_digest((given or "").encode(), api_token.encode())

    @app.middleware("http")
    async def guard(request: Request, call_next):
        host_header = request.headers.get("host")
        host = parse_host(host_header)
        if host is None or (loopback_only and not is_loopback(host)):
            return _refuse(400, "bad Host header")
        origin = request.headers.get("origin")
        if origin is not None and origin.lower() != f"{request.url.scheme}://{host_header}".lower():
            return _refuse(403, f"cross-origin request refused (Origin {origin!r} is not this server)")
        cl = request.headers.get("content-length")
        # a scenario upload may be larger, but only from a holder of the token
        big = request.url.path == "/api/runs/upload" and matches(request.headers.get(TOKEN_HEADER))
        limit = MAX_RUN_BODY if big else MAX_BODY
        if cl is not None and (not cl.isdigit() or int(cl) > limit):
            return _refuse(413, "request body too large")
        set_cookie = False
        if token is not None:
            if not matches(request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE)
                           or request.query_params.get("token")):
                return _refuse(401, "a valid token is required (open the address printed by 'silkgrid serve')")
            set_cookie = request.query_params.get("token") is not None
        if request.method not in _SAFE_METHODS:
            if not matches(request.headers.get(TOKEN_HEADER)):  # a cookie is not enough: the header is
                return _refuse(403, "this request changes state and needs the server's X-SilkGrid-Token "
                                    "header (sent by the dashboard page itself)")
            has_body = (cl not in (None, "0")) or "transfer-encoding" in request.headers
            ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            if has_body and ctype != "application/json":
                return _refuse(415, "the request body must be JSON (Content-Type: application/json)")
        try:
            resp = await call_next(request)
        except Exception:  # noqa: BLE001 - a bug: log it, answer a plain 500 that keeps the headers
            _log.exception("unhandled error in %s %s", request.method, request.url.path)
            return _refuse(500, "internal server error (details are in the server's log)")
        if set_cookie:
            resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return _harden(resp)

    def pathway_or_404(pid: str):
        entry = registry.get_pathway(pid)
        if entry is None:
            raise NotFound(f"no pathway with id '{pid}'")
        return entry

    def sweep_or_404(sid: str):
        entry = registry.get_sweep(sid)
        if entry is None:
            raise NotFound(f"no sweep with id '{sid}'")
        return entry

    def entry_or_404(rid: str):
        entry = registry.get(rid)
        if entry is None:
            raise NotFound(f"no result with id '{rid}'")
        return entry

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return Response(str(exc), status_code=404, media_type="text/plain")

    @app.exception_handler(SilkGridError)
    async def bad(request: Request, exc: SilkGridError):
        return Response(getattr(exc, "message", str(exc)), status_code=400, media_type="text/plain")

    # ------------------------------------------------------------------ static files
    @app.get("/static/{name}")
    def static(name: str):
        if name == "report.css":
            return Response(_static(name), media_type="text/css")
        if name == "plotly.min.js":
            return Response(_static(name), media_type="application/javascript",
                            headers={"Cache-Control": f"public, max-age={_BUNDLE_MAX_AGE}, immutable"})
        if name not in _STATIC:
            raise NotFound("no such file")
        return Response(_static(name), media_type=_STATIC[name])

    # ------------------------------------------------------------------ pages
    @app.get("/", response_class=HTMLResponse)
    def index():
        return _page("dashboard", _index_body(registry, jobs, knobs), token=api_token)

    @app.get("/fragments/results", response_class=HTMLResponse)
    def results_fragment():
        return HTMLResponse(_results_table(registry))

    @app.get("/results/{rid}", response_class=HTMLResponse)
    async def result_page(rid: str):
        entry = entry_or_404(rid)
        body = await asyncio.to_thread(views.result_body, entry)  # rendering may take a second: off the loop
        return _page(entry.label, body, token=api_token)

    @app.get("/pathways/{pid}", response_class=HTMLResponse)
    async def pathway_page(pid: str):
        entry = pathway_or_404(pid)
        body = await asyncio.to_thread(pathway_page_body, entry)
        return _page(f"pathway {entry.label}", body, token=api_token)

    @app.get("/pathways/{pid}/download/{name}")
    def pathway_file(pid: str, name: str):
        stem, _, fmt = name.rpartition(".")
        content, media, filename = pathway_download(pathway_or_404(pid), stem, fmt)
        return Response(content, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.get("/sweeps/{sid}", response_class=HTMLResponse)
    async def sweep_page(sid: str):
        entry = sweep_or_404(sid)
        body = await asyncio.to_thread(sweep_page_body, entry)
        return _page(f"sweep {entry.label}", body, token=api_token)

    @app.get("/sweeps/{sid}/runs.csv")
    def sweep_runs_csv(sid: str):
        content, filename = sweep_csv(sweep_or_404(sid))
        return Response(content, media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.get("/sweeps/{sid}/runs/{key}")
    def sweep_run(sid: str, key: str):
        rid = sweep_run_result(registry, sweep_or_404(sid), key)
        return RedirectResponse(f"/results/{rid}", status_code=303)

    @app.get("/api/sweeps")
    def api_sweeps():
        return [sweep_json(s) for s in registry.sweeps()]

    @app.get("/api/sweeps/{sid}/figure")
    def sweep_figure(sid: str, y: str = "", x: str = "", colour: str = ""):
        entry = sweep_or_404(sid)
        try:
            fig = sweep_figure_json(entry, y, x, colour or None)
        except SweepRequestError as exc:
            return Response(str(exc), status_code=400, media_type="text/plain")
        return Response(to_json(fig), media_type="application/json")

    @app.get("/api/pathways")
    def api_pathways():
        return [pathway_json(p) for p in registry.pathways()]

    @app.get("/api/results/{rid}/figures/dispatch")
    def dispatch_figure(rid: str, node: str):
        return Response(to_json(views.dispatch_json(entry_or_404(rid), node)), media_type="application/json")

    @app.get("/results/{rid}/download/{name:path}")
    def download(rid: str, name: str):
        stem, _, fmt = name.rpartition(".")
        content, media, filename = views.download(entry_or_404(rid), stem, fmt)
        return Response(content, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.get("/compare", response_class=HTMLResponse)
    def compare(ids: str = ""):
        return HTMLResponse(views.compare_fragment(registry, ids))

    # ------------------------------------------------------------------ JSON API
    @app.get("/api/results")
    def api_results():
        return [_entry_json(e) for e in registry.all()]

    @app.get("/api/results/{rid}/node/{node}")
    def api_node(rid: str, node: str):
        return views.node_details(entry_or_404(rid).data(), node)

    @app.get("/api/results/{rid}/link/{link}")
    def api_link(rid: str, link: str):
        return views.link_details(entry_or_404(rid).data(), link)

    @app.get("/api/runs")
    @app.get("/api/jobs")
    def api_jobs():
        return [j.as_json() for j in jobs.all()]

    @app.get("/api/runs/{jid}")
    @app.get("/api/jobs/{jid}")
    def api_job(jid: str):
        job = jobs.get(jid)
        if job is None:
            raise NotFound(f"no job '{jid}'")
        return job.as_json()

    @app.post("/api/runs")
    async def api_run(request: Request):
        body = await read_body(request, MAX_BODY)
        if body is None:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        if not body.strip():
            return JSONResponse({"error": "Invalid input: the request body is empty; send a JSON object of "
                                          "Run-form knobs ({} runs the defaults)."}, status_code=400)
        if json_depth(body) > MAX_JSON_DEPTH:
            return JSONResponse({"error": f"Invalid input: the JSON is nested deeper than {MAX_JSON_DEPTH} "
                                          "levels; the Run request is one flat object."}, status_code=400)
        try:
            payload = json.loads(body)
            limit = payload.pop("time_limit_s", None) if isinstance(payload, dict) else None
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float))
                                      or not limit > 0):
                return JSONResponse({"error": "Invalid input: time_limit_s must be a positive number of "
                                              "seconds (the server's limit applies when it is larger)."},
                                    status_code=400)
            req = RunRequest.model_validate(payload)
        except (ValueError, RecursionError) as exc:  # JSON or type errors (ValidationError is a ValueError)
            return JSONResponse({"error": _type_message(exc)}, status_code=400)
        if req.label and _CONTROL.search(req.label):
            return JSONResponse({"error": "Invalid input: label contains a control character (NUL, newline, "
                                          "tab, ...); use printable text."}, status_code=400)
        try:
            sc, spec, notes = knobs.build(req)
        except ScenarioError as exc:
            return JSONResponse({"error": exc.message}, status_code=400)
        try:
            job = jobs.submit(sc, req.model_dump(), req.label or "run", spec, time_limit_s=limit)
        except OverflowError as exc:
            return JSONResponse({"error": str(exc)}, status_code=429)
        return JSONResponse({**job.as_json(), "notes": notes}, status_code=202)

    @app.post("/api/runs/upload")
    async def api_upload(request: Request):
        """Queue a scenario YAML upload, JSON ``{"yaml": text, "label": ..., "time_limit_s": ...}`` (docs/web.md)."""
        body = await read_body(request, MAX_RUN_BODY)
        if body is None:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        try:  # validating may build a data set (seconds): off the event loop
            sc, spec, label, limit = await asyncio.to_thread(load_upload, body)
            if sc is None:  # a pathway: validated, run through run_pathway
                job = jobs.submit(None, {"upload": "yaml"}, label, spec, time_limit_s=limit, pathway=spec)
            else:
                job = jobs.submit(sc, {"upload": "yaml"}, label, spec, time_limit_s=limit)
        except ScenarioError as exc:
            return JSONResponse({"error": exc.message}, status_code=400)
        except OverflowError as exc:
            return JSONResponse({"error": str(exc)}, status_code=429)
        return JSONResponse({**job.as_json(), "notes": []}, status_code=202)

    @app.post("/api/runs/pathway")
    async def api_run_pathway(request: Request):
        """Queue a packaged pathway, JSON ``{"pathway": name, "label", "resolution", "foresight", "time_limit_s"}``."""
        body = await read_body(request, MAX_BODY)
        if body is None:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        try:
            name, knobs_, label, limit = pathway_request(json.loads(body or b"null"))
            job = jobs.submit(None, knobs_, label, time_limit_s=limit, pathway=name)
        except (ValueError, RecursionError) as exc:
            return JSONResponse({"error": _type_message(exc)}, status_code=400)
        except ScenarioError as exc:
            return JSONResponse({"error": exc.message}, status_code=400)
        except OverflowError as exc:
            return JSONResponse({"error": str(exc)}, status_code=429)
        return JSONResponse({**job.as_json(), "notes": []}, status_code=202)

    @app.delete("/api/runs/{jid}")
    @app.post("/api/runs/{jid}/cancel")
    def api_cancel(jid: str):
        """Cancel a queued or running run (its process is killed): 200 with the job, 409 if it had ended."""
        before = jobs.get(jid)
        ended = before is not None and before.state in FINAL
        job = jobs.cancel(jid)
        if job is None:
            raise NotFound(f"no job '{jid}'")
        if ended:
            return JSONResponse({**job.as_json(), "error": f"run {jid} already ended ({job.state})"},
                                status_code=409)
        return job.as_json()

    return app


def _type_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        if not first["loc"]:
            return "Invalid input: the request must be a JSON object of Run-form knobs."
        field = str(first["loc"][0])
        if field in ("caspian_mw", "black_sea_mw"):
            return f"Invalid input: {field} must be a number of MW or 'optimise'."
        return f"Invalid input: {field}: {first['msg']}."
    return f"Invalid input: the request is not valid JSON ({exc})."


# ---------------------------------------------------------------------------------------- rendering
def _entry_json(e) -> dict:
    s = e.summary()
    return {"id": e.id, "label": e.label, "origin": e.origin, "scenario": s.get("scenario"),
            "status": s.get("status"), "total_cost_eur": s.get("total_cost_eur"),
            "emissions_t": s.get("emissions_t"), "co2_price_eur_per_t": s.get("co2_price_eur_per_t")}


def _results_table(registry: Registry) -> str:
    rows = []
    for e in registry.all():
        j = _entry_json(e)
        rows.append(f"<tr data-result='{_e(e.id)}'><td><input type='checkbox' name='ids' value='{_e(e.id)}' "
                    f"aria-label='compare {_e(e.label)}'></td><td><a href='/results/{_e(e.id)}'>{_e(e.label)}</a></td>"
                    f"<td>{_e(j['origin'])}</td><td>{_e(j['status'])}</td>"
                    f"<td class='cost'>{_e(fmt_eur(j['total_cost_eur']))}</td>"
                    f"<td class='emissions'>{_e(fmt_emissions(j['emissions_t']))}</td>"
                    f"<td>{_num(j['co2_price_eur_per_t'], 0)}</td></tr>")
    pathways = pathways_table(registry) + sweeps_table(registry)
    if not rows:
        return pathways or "<p class='note'>No results yet: start a run below.</p>"
    return (pathways + "<table id='results-table'><tr><th></th><th>result</th><th>from</th><th>status</th>"
            "<th>total cost /yr</th><th>emissions /yr</th><th>CO2 price EUR/t</th></tr>" + "".join(rows) + "</table>")


def _add_root_pathways(registry: Registry, root: Path) -> None:
    """Register the pathway directories (``pathway.json``) directly inside the results root that no
    run record registered already (e.g. written by ``silkgrid run corridor-pathway --out``)."""
    known = {p.path for p in registry.pathways()}
    for d in sorted(root.glob("*/pathway.json")) if root.is_dir() else []:
        if d.parent.resolve() not in known:
            try:
                registry.add_pathway(d.parent)
            except SilkGridError as exc:
                _log.warning("skipping %s: %s", d.parent, exc)


def _add_root_sweeps(registry: Registry, root: Path) -> None:
    """Register the sweep directories (``catalog.duckdb``) directly inside the results root not given already."""
    known = {s.path for s in registry.sweeps()}
    for d in sorted(root.glob("*/catalog.duckdb")) if root.is_dir() else []:
        if d.parent.resolve() not in known:
            registry.add_sweep(d.parent)


def _index_body(registry: Registry, jobs: JobQueue, knobs: Knobs) -> str:
    try:
        d = knobs.defaults()
        form = _run_form(d)
    except SilkGridError as exc:
        form = f"<p class='warn'>The Run form is unavailable: the base scenario does not load ({_e(exc)}).</p>"
    return (
        "<section id='results'><h2>Results</h2><form id='compare-form' action='/compare' method='get'>"
        f"<div id='results-list'>{_results_table(registry)}</div>"
        "<button type='submit'>Compare selected</button> <span class='note'>(tick two or more)</span></form>"
        "<div id='compare-out'></div></section>"
        f"<section id='run'><h2>Run a scenario</h2>{form}<form id='upload-form' class='knobs'><label>Or a "
        "scenario YAML file <input type='file' name='yaml' accept='.yaml,.yml'></label><button type='submit'>"
        f"Run file</button></form>{pathway_form()}<div id='run-error' class='warn' hidden></div>"
        "<div id='run-notes' class='note'></div><h3>Runs</h3><ul id='jobs'></ul></section>")


def _run_form(d: dict) -> str:
    def cap(name, knob, label):
        lid = d["links"].get(knob)
        if lid is None:
            return f"<p class='note'>{_e(label)}: not available (the base scenario has no such link).</p>"
        return (f"<label>{_e(label)} <code>{_e(lid)}</code>, MW <input name='{name}' value='optimise' size='9' "
                "title=\"a number of MW, or 'optimise'\"></label>")

    def sel(label, name, options, chosen):
        opts = "".join(f"<option{' selected' if o == chosen else ''}>{_e(o)}</option>" for o in options)
        return f"<label>{label} <select name='{name}'>{opts}</select></label>"
    fixed = "<p class='note'>{}: fixed by the base scenario (not the corridor data set).</p>"
    year = sel("Year", "year", range(2030, 2051, 5), d["year"]) if d["year"] is not None else fixed.format("Year")
    cbam = ("<label><input type='checkbox' name='cbam_hourly_matching'> CBAM hourly matching</label>"
            if d["cbam_available"] else "<p class='note'>CBAM hourly matching: the base scenario lacks the path.</p>")
    corridor = d.get("finance") is not None  # the corridor's build options; its discount rate empty: per finance
    data_knobs = (
        sel("Finance (cost of capital)", "finance", d["finance_cases"], d["finance"])
        + "<label>Grant share of the sea cables <input name='grant_share' type='number' min='0' max='1' step='any' "
        f"value='{d['grant_share']:g}' title='share of their investment paid by grants, 0 to 1'></label><label><input "
        f"type='checkbox' name='include_announced'{' checked' if d['include_announced'] else ''}> Include announced "
        "projects</label>" + sel("Weather year (synthetic seed)", "weather_year", d["weather_years"], d["weather_year"])
    ) if corridor else fixed.format("Finance, grant share, announced projects and weather year")
    rate = ("value='' placeholder='per finance case' title='empty: the cost-of-capital table of the finance case; "
            "a number: one rate for every candidate'" if corridor else f"value='{d['discount_rate']:g}'")
    return (
        "<form id='run-form' class='knobs'>"
        "<label>Label <input name='label' value='run' maxlength='60' size='12'></label>"
        f"{year}{cap('caspian_mw', 'caspian', 'Caspian cable')}{cap('black_sea_mw', 'black_sea', 'Black Sea cable')}"
        f"<label>CO2 price, EUR/t <input name='co2_price' type='number' step='any' value='{d['co2_price']:g}'></label>"
        f"<label>Discount rate <input name='discount_rate' type='number' step='any' {rate}></label>{data_knobs}{cbam}"
        f"<label>Resolution <input name='resolution' value='{_e(d['resolution'])}' size='4'></label>"
        "<button type='submit'>Run</button></form>")


# ---------------------------------------------------------------------------------------- serving
def make_server(app: FastAPI, host: str, port: int):
    """A ``uvicorn.Server`` (call ``.run()``; tests run it in a thread)."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            limit_concurrency=64, timeout_keep_alive=5)
    return uvicorn.Server(config)
