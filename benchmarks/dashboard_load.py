"""Dashboard page load with a run in progress (issue #16: "the result page of the hourly corridor
year loads in under 2 s with a run in progress").

    .venv/bin/python benchmarks/dashboard_load.py [RESULT_DIR] [--repeat 3] [--no-run]

Serves RESULT_DIR (default ``results/default``, written by ``make run``: the hourly 2035 corridor)
with ``silkgrid serve``'s app, starts a corridor run from the Run form's API (its own process,
solving while we measure; ``--no-run`` to measure an idle server), waits until it is solving, then
opens the result page in Debian chromium ``--repeat`` times, each in a fresh browser context
(nothing cached).  Prints, per view and as medians: the server's page time, and on the page's
own clock (from the start of the navigation) the ``load`` event, the map drawn, and every chart
drawn (the whole-year dispatch included, fetched after the page is shown).  Exit code 1 if the median ``load`` or map time is 2 s or more.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from silkgrid.web import create_app, make_server

TARGET_S = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: dict | None = None, token: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "X-SilkGrid-Token": token} if body is not None else {}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("result", nargs="?", default="results/default")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-run", action="store_true", help="measure without a run in progress")
    args = ap.parse_args()
    result = Path(args.result)
    if not (result / "summary.json").is_file():
        print(f"{result} is not a result directory: run 'make run' first (it writes results/default)")
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Debian chromium is not installed (apt-get install -y chromium)")
        return 2
    from playwright.sync_api import sync_playwright

    runs = Path(tempfile.mkdtemp(prefix="silkgrid-bench-runs-"))
    app = create_app([result], runs_dir=runs)
    port = _free_port()
    srv = make_server(app, "127.0.0.1", port)
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    token = app.state.token
    entry = app.state.registry.get("r1")
    t0 = time.perf_counter()
    while not entry.sections:  # the server renders a registered result's page in the background
        time.sleep(0.05)
    print(f"result page rendered in the background in {time.perf_counter() - t0:.2f} s after start")
    job = None
    if not args.no_run:
        status, body = _request(port, "POST", "/api/runs", {"label": "bench", "year": 2035, "resolution": "1h"},
                                token)
        assert status == 202, body
        job = json.loads(body)["id"]
        while True:
            j = json.loads(_request(port, "GET", f"/api/runs/{job}")[1])
            if j["state"] == "running" and (j.get("stage") or "").startswith(("solv", "decomp", "warm")):
                break
            if j["state"] not in ("queued", "running"):
                print(f"the background run ended early ({j['state']}: {j.get('error')})")
                break
            time.sleep(0.5)
        print(f"background run {job}: {j['state']} ({j.get('stage')}) while measuring")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for k in range(args.repeat):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            t = time.perf_counter()
            status, html = _request(port, "GET", "/results/r1")
            server_s = time.perf_counter() - t
            page.goto(f"http://127.0.0.1:{port}/results/r1", wait_until="load")
            page.wait_for_selector("div.plot:not(.js-plotly-plot)", state="detached", timeout=120_000)
            page.wait_for_timeout(200)  # the last chart's drawn time is set when its Promise resolves
            # in-page clock (ms from the start of the navigation): no polling latency of the driver
            nav = page.evaluate("() => [performance.getEntriesByType('navigation')[0].loadEventStart, "
                                "SilkGridPlots.drawn]")
            load_s, drawn = nav[0] / 1e3, {k: v / 1e3 for k, v in nav[1].items()}
            map_s, all_s = drawn.get("fig-map", float("nan")), max(drawn.values())
            rows.append((server_s, load_s, map_s, all_s, len(html)))
            print(f"view {k + 1}: server {server_s:.3f} s, load event {load_s:.2f} s, map drawn {map_s:.2f} s, "
                  f"all {len(drawn)} charts drawn {all_s:.2f} s (page {len(html) / 1e6:.2f} MB "
                  "+ Plotly bundle 1.4 MB, not cached)")
            ctx.close()
        browser.close()
    if job is not None:
        _request(port, "DELETE", f"/api/runs/{job}", {}, token)
    srv.should_exit = True
    app.state.jobs.stop()
    med = [statistics.median(r[i] for r in rows) for i in range(4)]
    print(f"median: server {med[0]:.3f} s, load event {med[1]:.2f} s, map drawn {med[2]:.2f} s, "
          f"all charts {med[3]:.2f} s; target: load and map under {TARGET_S:.0f} s "
          f"{'met' if max(med[1], med[2]) < TARGET_S else 'MISSED'}")
    shutil.rmtree(runs, ignore_errors=True)
    return 0 if max(med[1], med[2]) < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
