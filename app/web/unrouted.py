"""What is answered when no route takes a request as it was asked: a path with or without its
trailing slash, OPTIONS, and the Allow header of a 405.

- A trailing slash too many (/terms/relu/) or too few (/en) is redirected (307, the method and
  query kept) to the path a route serves. The Location is relative, built from the path alone:
  Starlette's own redirect_slashes (turned off in app/main.py) takes the host from the request's
  Host header, so a spoofed Host sent the client to another site.
- OPTIONS on a path some route serves answers 204 with `Allow`: every method of every route at
  the path (the API's GET and POST on /api/v1/backprop are two routes; the router alone names
  the first one's). CORS preflights never get here: app/web/cors.py answers them.
- A 405 names the same methods in `Allow`.

Paths under a mount (/static) are left to the mount's app, which says what it allows.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, quote_from_bytes

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.routing import Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The methods a route may take, in the order Allow names them. HEAD is answered wherever GET is
# (app/web/http_cache.py renders a HEAD as a GET).
METHODS: Final = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
PATH_SAFE: Final = "/:@!$&'()*+,;="  # what a path keeps as it is in a Location
QUERY_SAFE: Final = PATH_SAFE + "?%"  # and a query, which arrives percent-encoded already


def allowed_methods(router: Router, scope: Scope) -> list[str] | None:
    """The methods the routes take at scope's path (OPTIONS among them), or None where no route
    serves the path or a mount does."""
    allowed: list[str] = []
    for method in METHODS:
        probe: Scope = {
            "type": "http",
            "method": method,
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": scope.get("headers", []),
            "query_string": b"",
        }
        for route in router.routes:
            match, _ = route.matches(probe)
            if match is not Match.NONE and isinstance(route, Mount):
                return None
            if match is Match.FULL:
                allowed.append(method)
                break
    if not allowed:
        return None
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return [*allowed, "OPTIONS"]


class AllowedMethods:
    """Answers OPTIONS, and completes the Allow header of a 405, from the router's routes."""

    def __init__(self, app: ASGIApp, *, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allowed = allowed_methods(self.router, scope)
            if allowed is not None:
                response = Response(status_code=204, headers={"allow": ", ".join(allowed)})
                await response(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # The path as asked (a mount rewrites the scope on the way in).
        asked = {k: scope[k] for k in ("path", "root_path", "headers") if k in scope}

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = allowed_methods(self.router, asked)
                if allowed is not None:
                    MutableHeaders(scope=message)["allow"] = ", ".join(allowed)
            await send(message)

        await self.app(scope, receive, send_allow)


class SlashRedirect:
    """The router's default app (what answers when no route matched): a redirect to the path
    with or without its trailing slash if a route serves that, else the router's 404."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.not_found = router.not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        location = slash_location(self.router, scope) if scope["type"] == "http" else None
        if location is None:
            await self.not_found(scope, receive, send)
            return
        response = Response(status_code=307, headers={"location": location})
        await response(scope, receive, send)


def slash_location(router: Router, scope: Scope) -> str | None:
    """The relative URL of the path with its trailing slash removed (or added) and the same
    query, if a route serves that path; else None."""
    path: str = scope["path"]
    if path == scope.get("root_path", "") + "/":
        return None
    other = path.rstrip("/") if path.endswith("/") else path + "/"
    if not other.startswith("/") or other.startswith("//"):
        return None  # //host would be a URL on another site; no route serves it anyway
    probe = {**scope, "path": other}
    if all(route.matches(probe)[0] is Match.NONE for route in router.routes):
        return None
    query = scope.get("query_string", b"")
    location = quote(other, safe=PATH_SAFE)
    return location + "?" + quote_from_bytes(query, safe=QUERY_SAFE) if query else location


def redirect_slashes(router: Router) -> None:
    """Turn off the router's own slash redirects and redirect through SlashRedirect instead."""
    router.redirect_slashes = False
    router.default = SlashRedirect(router)
