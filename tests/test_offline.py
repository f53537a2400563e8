"""The test suite itself runs offline (conftest.py cuts the network)."""

import socket
import urllib.request

import pytest


def test_outbound_connections_are_refused() -> None:
    with pytest.raises(OSError, match="disabled in SilkGrid tests"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routable
    with pytest.raises(OSError):
        urllib.request.urlopen("https://pypi.org", timeout=1)


def test_loopback_stays_usable() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()
