"""An unexpected error answered like every other error, with the security headers.

Starlette answers an exception that escapes the app from its outermost layer
(ServerErrorMiddleware), outside app/web/security.py, so that answer would carry no CSP,
nosniff or frame headers. CatchAll sits just inside SecurityHeaders: it catches the error, logs
its traceback (once: nothing is re-raised to the server) and answers through the one error
path (app/web/errors.py): problem+json on JSON paths, the error page elsewhere.

An error after the response began cannot be answered any more; it is re-raised, and the server
closes the connection.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import server_error

log = logging.getLogger("glossary")


class CatchAll:
    """Answers an exception from the app with a 500 through the error path, if it still can."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s %r", scope["method"], scope["path"])
            response = server_error(Request(scope, receive))
            await response(scope, receive, send)
