"""A SilkGrid dashboard served on a free local port for a test module, and plain GET requests to it."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app):
    """Serve ``app`` (from :func:`silkgrid.web.app.create_app`) on a free loopback port in a thread;
    returns (port, stop function)."""
    from silkgrid.web.app import make_server

    port = free_port()
    srv = make_server(app, "127.0.0.1", port)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started

    def stop():
        srv.should_exit = True
        th.join(timeout=10)
        app.state.jobs.stop()
    return port, stop


@contextlib.contextmanager
def serving(app, **extra):
    """:func:`start` until the block ends; yields url, port, app and ``extra``."""
    port, stop = start(app)
    try:
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "app": app, **extra}
    finally:
        stop()


def get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes, dict]:
    """(status, body, headers with lower-case names) of GET ``path``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body, {k.lower(): v for k, v in r.getheaders()}
