"""Serve GET responses from memory, per data version, with ETags and compression.

The data cannot change while a version is being served, so a page rendered once is the
same page for every later request of that version, on every replica built from the same
YAML. This pure ASGI middleware keeps a bounded LRU of finished responses keyed by the data
version and the URL, answers If-None-Match with 304, and compresses text once per entry
(brotli when the client takes it, else gzip).
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
MAX_ENTRIES = 4096
MAX_BODY = 2 * 1024 * 1024
MIN_COMPRESS = 512
CACHEABLE_STATUS = (200, 301, 404)
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
    "application/problem+json",
)
# Headers that describe one representation; they are recomputed for each response.
_PER_RESPONSE = {"content-length", "content-encoding", "etag", "vary"}


@dataclass
class Entry:
    """A finished response and its compressed variants, made on first request."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    compressible: bool
    variants: dict[str, bytes] = field(default_factory=dict)

    def encoded(self, encoding: str) -> bytes:
        if encoding not in self.variants:
            if encoding == "br":
                self.variants[encoding] = brotli.compress(self.body, quality=5)
            else:
                self.variants[encoding] = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self.variants[encoding]


class HttpCache:
    """The middleware; version() names the data being served (it changes on reload)."""

    def __init__(
        self, app: ASGIApp, *, version: Callable[[], str], max_entries: int = MAX_ENTRIES
    ) -> None:
        self.app = app
        self.version = version
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[str, str, bytes], Entry] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        key = (self.version(), scope["path"], scope.get("query_string", b""))
        entry = self.entries.get(key)
        if entry is None:
            entry = await self._render(scope, receive, send)
            if entry is None:
                return  # already sent as it came (streamed, too large, or not cacheable)
            if _is_cacheable(entry):
                self.entries[key] = entry
                if len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        await _send_entry(entry, scope, send)

    async def _render(self, scope: Scope, receive: Receive, send: Send) -> Entry | None:
        """Run the app and collect its response, or pass it through when it cannot be kept.

        HEAD is rendered as GET (routes need not declare it) and its body is dropped on the way
        out, so a HEAD answers with exactly the headers of the GET.
        """
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False
        head = scope["method"] == "HEAD"

        async def collect(message: Message) -> None:
            nonlocal start, passing
            if passing:
                if head and message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                length = Headers(raw=message["headers"]).get("content-length")
                if length is None or int(length) > MAX_BODY:
                    passing = True
                    await send(message)
                return
            chunks.append(message.get("body", b""))

        await self.app({**scope, "method": "GET"} if head else scope, receive, collect)
        if passing or start is None:
            return None
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start["headers"] if k.decode().lower() not in _PER_RESPONSE]
        content_type = Headers(raw=start["headers"]).get("content-type", "")
        digest = hashlib.blake2b(body, digest_size=12, key=self.version().encode()[:64])
        return Entry(
            status=start["status"],
            headers=headers,
            body=body,
            etag=digest.hexdigest(),
            compressible=len(body) >= MIN_COMPRESS and content_type.startswith(COMPRESSIBLE),
        )


def _is_cacheable(entry: Entry) -> bool:
    if entry.status not in CACHEABLE_STATUS or len(entry.body) > MAX_BODY:
        return False
    cache_control = Headers(raw=entry.headers).get("cache-control", "")
    return "no-store" not in cache_control and "private" not in cache_control


def _choose_encoding(scope: Scope) -> str:
    accepted = Headers(scope=scope).get("accept-encoding", "")
    tokens = {part.split(";")[0].strip() for part in accepted.split(",")}
    if "br" in tokens:
        return "br"
    if "gzip" in tokens:
        return "gzip"
    return "identity"


async def _send_entry(entry: Entry, scope: Scope, send: Send) -> None:
    encoding = _choose_encoding(scope) if entry.compressible else "identity"
    body = entry.body if encoding == "identity" else entry.encoded(encoding)
    etag = f'"{entry.etag}"' if encoding == "identity" else f'"{entry.etag}-{encoding}"'
    headers = MutableHeaders(raw=list(entry.headers))
    headers["etag"] = etag
    if entry.compressible:
        headers["vary"] = "Accept-Encoding"
    if encoding != "identity":
        headers["content-encoding"] = encoding
    if "cache-control" not in headers:
        headers["cache-control"] = PAGE_CACHE_CONTROL if _is_cacheable(entry) else "no-cache"
    status = entry.status
    if status == 200 and _matches(Headers(scope=scope).get("if-none-match"), entry.etag):
        status, body = 304, b""
        del headers["content-type"]
    headers["content-length"] = str(len(body))
    await send({"type": "http.response.start", "status": status, "headers": headers.raw})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names any representation of this entry."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    for candidate in if_none_match.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag == etag or tag.startswith(f"{etag}-"):
            return True
    return False
