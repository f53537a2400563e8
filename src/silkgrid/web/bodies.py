"""Request bodies of ``silkgrid serve``: read with a size limit, so an oversized body is never held whole."""

from __future__ import annotations

from fastapi import Request


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it exceeds ``limit`` bytes (the rest is not read)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body
