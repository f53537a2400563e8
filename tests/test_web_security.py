"""``silkgrid serve`` secure by default (issue #16, item 1): per-server token on mutating requests,
Origin and Content-Type checks, strict Host parsing, JSON depth/size limits, security headers on every
response, and Run-form knobs bounded by the data set's own limits.  Each refused request must start
nothing: the job list and the runs directory stay empty."""

from __future__ import annotations

import http.client
import http.server
import json
import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from silkgrid.web import create_app  # noqa: E402
from silkgrid.web.app import json_depth, parse_host  # noqa: E402
from tests.test_web import _start  # noqa: E402  (serve an app on a free loopback port)

JSON = "application/json"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    """The server on the default base scenario (the corridor data set, 2035), no result directories."""
    runs = tmp_path_factory.mktemp("runs")
    app = create_app([], runs_dir=runs)
    app.state.knobs.base_scenario()  # load the corridor now (about 10 s), not inside a request's timeout
    port, stop = _start(app)
    yield {"port": port, "app": app, "runs": runs, "token": app.state.token,
           "origin": f"http://127.0.0.1:{port}"}
    stop()


def _req(srv, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
    """(status, headers, body text) of one request sent verbatim (http.client sets no Origin)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv["port"], timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    text = r.read().decode(errors="replace")
    conn.close()
    return r.status, r, text


def _post(srv, body, *, token=True, ctype=JSON, extra=None):
    headers = {"Content-Type": ctype} if ctype else {}
    if token:
        headers["X-SilkGrid-Token"] = srv["token"]
    headers.update(extra or {})
    return _req(srv, "POST", "/api/runs", body, headers)


def _nothing_started(srv):
    assert srv["app"].state.jobs.all() == []
    assert list(srv["runs"].iterdir()) == []


def _has_security_headers(r):
    for h in SECURITY_HEADERS:
        assert r.getheader(h), h


# ---------------------------------------------------------------------------------------- token, Origin, type
def test_page_embeds_a_random_per_server_token(srv, tmp_path):
    status, r, text = _req(srv, "GET", "/")
    assert status == 200 and f"<meta name='silkgrid-token' content='{srv['token']}'>" in text
    assert len(srv["token"]) >= 32  # secrets.token_urlsafe(24): 24 random bytes, 32 characters
    assert create_app([], runs_dir=tmp_path).state.token != srv["token"]


def test_mutating_requests_need_the_token_header(srv):
    for headers in ({}, {"X-SilkGrid-Token": "wrong"}, {"Cookie": f"silkgrid_token={srv['token']}"}):
        status, r, text = _req(srv, "POST", "/api/runs", "{}", {"Content-Type": JSON, **headers})
        assert status == 403 and "X-SilkGrid-Token" in text, headers
        _has_security_headers(r)
    status, _, _ = _req(srv, "DELETE", "/api/jobs/j1")  # any mutating method, even without a route
    assert status == 403
    _nothing_started(srv)


def test_cross_origin_no_cors_text_post_is_refused(srv):
    """What a page on http://localhost:OTHER can send without CORS: text/plain, an Origin, no token."""
    for origin in ("http://localhost:1234", "http://127.0.0.1:1", "null", srv["origin"] + ".evil.com"):
        status, r, text = _post(srv, "{}", token=False, ctype="text/plain;charset=UTF-8", extra={"Origin": origin})
        assert status == 403 and "cross-origin" in text, origin
    # even with the right token, a foreign Origin or a non-JSON body is refused
    assert _post(srv, "{}", extra={"Origin": "http://localhost:1234"})[0] == 403
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
        status, r, text = _post(srv, "{}", ctype=ctype, extra={"Origin": srv["origin"]})
        assert status == 415 and "application/json" in text, ctype
        _has_security_headers(r)
    _nothing_started(srv)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}@evil.com", "evil.com", "evil.com:{port}", "127.0.0.1.evil.com",
                                  "127.0.0.1:99999", "127.0.0.1:{port}/x", "127.0.0.1 :{port}", "user@127.0.0.1",
                                  "[::1", "", "localhost:{port}:80"])
def test_malformed_or_foreign_host_is_400(srv, host):
    status, r, _ = _req(srv, "GET", "/", headers={"Host": host.format(port=srv["port"])})
    assert status == 400
    _has_security_headers(r)


def test_parse_host():
    assert parse_host("127.0.0.1:8050") == "127.0.0.1" and parse_host("[::1]:8050") == "::1"
    assert parse_host("localhost") == "localhost"
    for bad in ("127.0.0.1:8050@evil.com", "a b", "127.0.0.1:0", "127.0.0.1:", "-x", None):
        assert parse_host(bad) is None, bad


# ---------------------------------------------------------------------------------------- bodies
def test_json_depth_and_size_limits(srv):
    deep = "[" * 8000 + "]" * 8000  # 16,000 bytes: under the 16 KiB limit, 8x Python's recursion limit
    assert len(deep) < 16 * 1024 and json_depth(deep.encode()) == 8000
    for body in (deep, '{"label": ' + "[" * 5000 + "]" * 5000 + "}", '{"label": {"a": {"b": {"c": {"d": 1}}}}}'):
        status, r, text = _post(srv, body)
        assert status == 400 and "nested deeper" in json.loads(text)["error"]
        _has_security_headers(r)
    assert json_depth(b'{"label": "[[[[[[[[[[ is text"}') == 1  # brackets inside strings do not count
    status, r, _ = _post(srv, "x" * 20_000)
    assert status == 413
    _has_security_headers(r)
    _nothing_started(srv)


def test_empty_body_and_control_characters_are_400(srv):
    for body in ("", "  \n"):
        status, _, text = _post(srv, body)
        assert status == 400 and "empty" in json.loads(text)["error"]
    for label in ("a\u0000b", "line\nbreak", "tab\there", "bell\u0007", "del\u007f"):
        status, r, text = _post(srv, json.dumps({"label": label}))
        assert status == 400 and "control character" in json.loads(text)["error"], label
        _has_security_headers(r)
    _nothing_started(srv)


def test_every_response_has_security_headers(srv, monkeypatch):
    for path, expect in (("/", 200), ("/results/r999", 404), ("/static/nope.js", 404), ("/api/jobs/j999", 404)):
        status, r, _ = _req(srv, "GET", path)
        assert status == expect, path
        _has_security_headers(r)

    def boom():
        raise RuntimeError("a bug")
    monkeypatch.setattr(srv["app"].state.registry, "all", boom)
    status, r, text = _req(srv, "GET", "/api/results")
    assert status == 500 and "RuntimeError" not in text and "a bug" not in text  # no internals leak
    _has_security_headers(r)


# ---------------------------------------------------------------------------------------- knob bounds
def test_capacity_knob_bounded_by_the_data_sets_maximum(srv):
    """The corridor's Caspian link caspian_hvdc has max_capacity_mw 4,000 MW, the Black Sea link 1,300 MW."""
    links = {ln.id: ln.max_capacity_mw for ln in srv["app"].state.knobs.base_scenario().links}
    assert links["caspian_hvdc"] == 4000 and links["black_sea_hvdc"] == 1300
    for body, words in (({"caspian_mw": 1e9}, ["caspian_mw", "caspian_hvdc", "4,000 MW", "max_capacity_mw"]),
                        ({"black_sea_mw": 1300.5}, ["black_sea_mw", "black_sea_hvdc", "1,300 MW"]),
                        ({"co2_price": 1e12}, ["co2_price", "2,500 EUR/t"]),
                        ({"co2_price": -1}, ["co2_price"]),
                        ({"resolution": "8760h"}, ["resolution", "longer than a day", "24h"]),
                        ({"resolution": "25h"}, ["resolution", "24h"])):
        status, _, text = _post(srv, json.dumps(body))
        msg = json.loads(text)["error"]
        assert status == 400 and msg.startswith("Invalid scenario at"), (body, msg)
        for w in words:
            assert w in msg, (body, w, msg)
    _nothing_started(srv)


def test_knobs_at_the_bounds_are_accepted():
    """Exactly the maximum (4,000 MW), 2,500 EUR/t and 24 h pass the bounds (built, not solved)."""
    from silkgrid.web.knobs import Knobs, RunRequest

    knobs = Knobs()
    raw, notes = knobs.scenario_dict(RunRequest(caspian_mw=4000, co2_price=2500, resolution="24h"))
    assert raw["links"] == [{"id": "caspian_hvdc", "extendable": True, "min_capacity_mw": 4000,
                             "max_capacity_mw": 4000}]
    assert raw["policies"]["co2_price_eur_per_t"] == 2500 and raw["time"]["resolution"] == "24h"


# ---------------------------------------------------------------------------------------- browser
def test_other_origin_page_cannot_start_a_run_in_browser(srv):
    """A page served from http://localhost:OTHER fires a no-cors POST at the dashboard: refused, no run."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium): browser check skipped")
    from playwright import sync_api

    target = f"http://127.0.0.1:{srv['port']}/api/runs"
    page_html = ("<!DOCTYPE html><title>evil</title><script>"
                 f"fetch({json.dumps(target)}, {{method: 'POST', mode: 'no-cors', body: '{{}}'}})"
                 ".then(() => { document.title = 'sent'; }, () => { document.title = 'network error'; });"
                 "</script>").encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page_html)))
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            seen: list[int] = []  # status of the POST as chromium's network layer saw it (JS sees opaque 0)
            page.on("response", lambda r: seen.append(r.status) if r.url == target else None)
            page.goto(f"http://localhost:{evil.server_address[1]}/")
            # 'sent': the opaque no-cors request reached the server (a network error would say so)
            page.wait_for_function("document.title !== 'evil'", timeout=10_000)
            assert page.title() == "sent" and seen == [403]
            browser.close()
    finally:
        evil.shutdown()
        evil.server_close()
    time.sleep(0.3)  # a run, had one been accepted, would be queued by now
    status, _, text = _req(srv, "GET", "/api/jobs")
    assert status == 200 and json.loads(text) == []
    _nothing_started(srv)
