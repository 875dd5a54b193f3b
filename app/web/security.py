"""Security headers on every response, and limits on what one request may send.

A pure ASGI middleware placed outermost, so that cached responses, 304s and error pages
carry the same headers. Pages may be framed only by the site itself; the frames (the paths
`is_frame` accepts: /embed/*) by GLOSSARY_EMBED_ORIGINS. Refusals are problem+json on the
paths `is_api` accepts and a small page elsewhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024
MAX_URL_BYTES = 8 * 1024
MAX_HEADER_BYTES = 32 * 1024  # all header lines together, as nginx's default buffers allow
LIMIT_TEXT = f"64 KiB ({MAX_BODY_BYTES:,} bytes)"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
STATIC_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}


# A Content-Length as HTTP writes it: ASCII digits only (str.isdigit() also takes "²", which int()
# refuses, and int() refuses more than 4,300 digits, which a run of zeros may have).
CONTENT_LENGTH = re.compile(r"[0-9]+")

TITLES = {413: "Content Too Large", 414: "URI Too Long", 431: "Request Header Fields Too Large"}

REFUSAL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>{status} {title}</h1><p>{detail}.</p><p><a href="/">用語集</a></p></body></html>
"""


def frame_ancestors(embed_origins: str) -> str:
    """The CSP frame-ancestors value for /embed/*: '*' or a space-separated origin list."""
    origins = embed_origins.replace(",", " ").split()
    return "*" if not origins or "*" in origins else " ".join(origins)


class SecurityHeaders:
    """Adds the headers; answers 413/414/431 problem+json past the size limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        is_frame: Callable[[str], bool],
        is_api: Callable[[str], bool],
        embed_origins: str = "*",
    ) -> None:
        self.app = app
        self.is_frame = is_frame
        self.is_api = is_api
        self.page_policy = CONTENT_SECURITY_POLICY.format(ancestors="'self'")
        self.embed_policy = CONTENT_SECURITY_POLICY.format(ancestors=frame_ancestors(embed_origins))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        embed = self.is_frame(scope["path"])
        policy = self.embed_policy if embed else self.page_policy

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in STATIC_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", policy)
                if not embed:
                    headers.setdefault("x-frame-options", "SAMEORIGIN")
            await send(message)

        too_large = _over_limit(scope)
        if too_large is not None:
            await _refuse(send_with_headers, *too_large, as_json=self.is_api(scope["path"]))
            return
        await self.app(scope, _limited(receive, send_with_headers), send_with_headers)


def _over_limit(scope: Scope) -> tuple[int, str] | None:
    url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(
        scope.get("query_string", b"")
    )
    if url_bytes > MAX_URL_BYTES:
        return 414, f"the URL is longer than 8 KiB ({MAX_URL_BYTES:,} bytes)"
    header_bytes = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
    if header_bytes > MAX_HEADER_BYTES:
        return 431, f"the request headers are larger than 32 KiB ({MAX_HEADER_BYTES:,} bytes)"
    length = Headers(scope=scope).get("content-length")
    if length is not None and _announces_too_much(length):
        return 413, f"the request body is larger than {LIMIT_TEXT}"
    return None


def _announces_too_much(length: str) -> bool:
    """Whether a Content-Length is over the limit, or no number at all."""
    if not CONTENT_LENGTH.fullmatch(length):
        return True
    digits = length.lstrip("0")
    return len(digits) > len(str(MAX_BODY_BYTES)) or int(digits or "0") > MAX_BODY_BYTES


def _limited(receive: Receive, send: Send) -> Receive:
    """A receive that stops a chunked body once it passes the limit."""
    received = 0

    async def limited() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge()
        return message

    return limited


class BodyTooLarge(HTTPException):
    """Raised inside the app when a streamed body passes the limit; answered with 413.

    An HTTPException, so that the framework's body parsing lets it through unchanged.
    """

    def __init__(self) -> None:
        super().__init__(413, detail=f"the request body is larger than {LIMIT_TEXT}")


async def _refuse(send: Send, status: int, detail: str, *, as_json: bool) -> None:
    """A problem+json for the API, a small plain page for people."""
    title = TITLES[status]
    if as_json:
        problem = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "errors": [],
        }
        body, content_type = json.dumps(problem).encode(), b"application/problem+json"
    else:
        body = REFUSAL_PAGE.format(status=status, title=title, detail=detail).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
