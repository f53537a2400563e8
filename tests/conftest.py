"""Test-wide settings: SilkGrid must run offline, so every test runs with the network cut."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(host):
        raise OSError(f"network access to {address!r} is disabled in SilkGrid tests")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        raise OSError(f"name resolution of {host!r} is disabled in SilkGrid tests")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """Refuse any connection or DNS lookup that leaves this machine (loopback stays allowed)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(autouse=True, scope="session")
def _profile_cache(tmp_path_factory):
    """Profiles are cached in a fresh folder per test session, never in the user's cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SILKGRID_CACHE", str(tmp_path_factory.mktemp("silkgrid-cache")))
    yield
    mp.undo()



# every result any test solves is checked for physical consistency (silkgrid.results.check):
# energy balance per node and snapshot, capacity and storage limits, storage continuity
import silkgrid.results.api as _results_api  # noqa: E402
from silkgrid.results.check import assert_consistent  # noqa: E402

_real_extract = _results_api.extract


def _checked_extract(solved):
    result = _real_extract(solved)
    assert_consistent(result)
    return result


@pytest.fixture(autouse=True)
def _consistent_results(monkeypatch):
    """Run the result checker on every result that ``silkgrid.solve`` (and so the CLI) returns."""
    monkeypatch.setattr(_results_api, "extract", _checked_extract)
