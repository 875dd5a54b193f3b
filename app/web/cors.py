"""CORS for the public, read-only API: any site's script may GET the paths the app names
(the API and oEmbed: app/urls.py's is_cross_origin).

A pure ASGI middleware placed outside the response cache, so cached answers and 304s carry
the headers too. The API has no cookies and no state to protect: every origin gets
`Access-Control-Allow-Origin: *` and credentials are never allowed (a wildcard cannot carry
them). Nothing is echoed from the request, so no `Vary: Origin` is needed. Preflights for
GET and HEAD are answered here with 204; other methods get no CORS headers, so a browser
keeps other sites' scripts from POSTing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS: Final = "GET, HEAD, OPTIONS"
MAX_AGE: Final = "86400"  # browsers cap it lower (Chromium: 2 hours), which is fine
EXPOSED: Final = "ETag, Link, Retry-After"


class Cors:
    """Adds CORS headers to GET/HEAD answers on the paths `applies` accepts; answers their
    preflights."""

    def __init__(self, app: ASGIApp, *, applies: Callable[[str], bool]) -> None:
        self.app = app
        self.applies = applies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.applies(scope["path"]):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        headers = Headers(scope=scope)
        if method == "OPTIONS" and "access-control-request-method" in headers:
            await _preflight(send)
            return
        if method not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(scope=message)
                response["access-control-allow-origin"] = "*"
                response["access-control-expose-headers"] = EXPOSED
            await send(message)

        await self.app(scope, receive, send_with_cors)


async def _preflight(send: Send) -> None:
    """204 with what any origin may do: GET or HEAD, with any safelisted or custom header."""
    await send(
        {
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", b"*"),
                (b"access-control-allow-methods", METHODS.encode()),
                (b"access-control-allow-headers", b"*"),
                (b"access-control-max-age", MAX_AGE.encode()),
                (b"cache-control", b"public, max-age=86400"),
                (b"content-length", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
