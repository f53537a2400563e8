"""Local web dashboard (``silkgrid serve``); see ``docs/web.md``."""

from silkgrid.web.app import create_app, is_loopback, make_server, new_token

__all__ = ["create_app", "is_loopback", "make_server", "new_token"]
