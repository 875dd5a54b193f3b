"""Serve GET responses from memory, per data version, with ETags and compression.

The data cannot change while a version is being served, so a page rendered once is the
same page for every later request of that version, on every replica built from the same
YAML. This pure ASGI middleware keeps finished responses, answers If-None-Match with 304, and
compresses text once per entry (brotli when the client takes it, else gzip).

What a response may depend on is its key: the data version, the path, and the query
parameters its route declares (query_names()) — nothing else of the query string. A parameter
no route declares (?utm_source=…, ?r=123) makes no new entry and reaches no page: handlers
read declared parameters only, and templates get the declared query (Page.query, built with
declared_query()). An unknown path keys on the path alone.

Memory is bounded in bytes, not entries: each entry counts its body, its compressed variants
(counted when made) and ENTRY_OVERHEAD plus its key and headers; the least recently used
entries go once the total passes the budget (GLOSSARY_CACHE_BYTES, 0 keeps nothing). The
version is read once per request: the response is stored under the version it was looked up
with, and not at all if the data changed while it was being rendered.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, Final, Union, get_args, get_origin
from urllib.parse import urlencode

import brotli
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
DEFAULT_BYTES: Final = 64 * 1024 * 1024  # per process (GLOSSARY_CACHE_BYTES)
MAX_BODY: Final = 2 * 1024 * 1024  # a larger response is passed through, never kept
MAX_SHARE: Final = 8  # one entry may take at most an eighth of the budget
# What an entry costs besides the bytes of its body, variants, key and headers: the Entry,
# its dict of variants, its ETag and key, the LRU's node (ENTRY_OVERHEAD), and the tuple and
# two bytes objects of each header (HEADER_OVERHEAD). Measured with tracemalloc through the
# app: the entries of 800 small pages and API answers took 3% less than these count.
ENTRY_OVERHEAD: Final = 1024
HEADER_OVERHEAD: Final = 160
ROUTE_MEMO: Final = 1024  # paths whose route's query names are remembered (LRU)
ROUTE_MEMO_PATH: Final = 256  # longer paths are resolved each time: paths are the client's
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

Key = tuple[str, str, str]  # data version, path, declared query (declared_query())


@dataclass
class Entry:
    """A finished response and its compressed variants, made on first request."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    compressible: bool
    variants: dict[str, bytes] = field(default_factory=dict)
    overhead: int = ENTRY_OVERHEAD

    @property
    def size(self) -> int:
        """The bytes this entry counts against the budget."""
        return self.overhead + len(self.body) + sum(map(len, self.variants.values()))

    def encoded(self, encoding: str) -> bytes:
        if encoding not in self.variants:
            if encoding == "br":
                self.variants[encoding] = brotli.compress(self.body, quality=5)
            else:
                self.variants[encoding] = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self.variants[encoding]


# ── What a response is keyed on ─────────────────────────────────────────────────────────────


def query_names(route: object) -> tuple[str, ...]:
    """The query parameters a route declares, by the name a request uses (the alias): its
    dependencies' first, in the order they are declared; a parameter that is a model (the
    backprop API's ArticleQuery) stands for its fields. A route that is not FastAPI's (a
    mount, /openapi.json) declares none."""
    dependant = getattr(route, "dependant", None)
    names: dict[str, None] = {}
    if isinstance(dependant, Dependant):
        _collect(dependant, names)
    return tuple(names)


def _collect(dependant: Dependant, names: dict[str, None]) -> None:
    for sub in dependant.dependencies:
        _collect(sub, names)
    for param in dependant.query_params:
        model = _model(param.field_info.annotation)
        if model is None:
            names[param.alias] = None
            continue
        for name, info in model.model_fields.items():
            alias = info.validation_alias if isinstance(info.validation_alias, str) else None
            names[alias or info.alias or name] = None


def _model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) in (Union, UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = args[0] if len(args) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def declared_query(scope: Scope, names: Sequence[str]) -> str:
    """The part of a request's query string its response may depend on: the parameters named
    (those its route declares) as the app reads them (starlette's QueryParams), in the order of
    names, repeated values in their order, percent-encoded one way. Query strings that differ
    in anything else give the same string."""
    query_string: bytes = scope.get("query_string", b"")
    if not names or not query_string:
        return ""
    order = {name: index for index, name in enumerate(names)}
    pairs = [pair for pair in QueryParams(query_string).multi_items() if pair[0] in order]
    pairs.sort(key=lambda pair: order[pair[0]])
    return urlencode(pairs)


class RouteQueries:
    """The query names of the route a path leads to, found as the router finds it (the first
    full match, else the first partial one) and remembered for the most recent paths."""

    def __init__(self, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        self.routes = routes
        self.memo: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def __call__(self, scope: Scope) -> tuple[str, ...]:
        path: str = scope["path"]
        names = self.memo.get(path)
        if names is not None:
            self.memo.move_to_end(path)
            return names
        names = query_names(self.route(scope))
        if len(path) <= ROUTE_MEMO_PATH:
            self.memo[path] = names
            if len(self.memo) > ROUTE_MEMO:
                self.memo.popitem(last=False)
        return names

    def route(self, scope: Scope) -> BaseRoute | None:
        """The route a GET of scope's path is handled by, or None (a 404 or a redirect)."""
        probe: Scope = {
            "type": "http",
            "method": "GET",  # a HEAD is rendered as a GET
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "headers": [],
            "query_string": b"",
        }
        partial: BaseRoute | None = None
        for context in iter_route_contexts(self.routes()):
            match, _ = context.matches(probe)
            if match is Match.FULL:
                return context.original_route
            if match is Match.PARTIAL and partial is None:
                partial = context.original_route
        return partial


# ── The middleware ──────────────────────────────────────────────────────────────────────────


class HttpCache:
    """The middleware; version() names the data being served (it changes on reload), routes()
    are the app's routes (what a response is keyed on), max_bytes the budget."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        version: Callable[[], str],
        routes: Callable[[], Sequence[BaseRoute]],
        max_bytes: int = DEFAULT_BYTES,
    ) -> None:
        self.app = app
        self.version = version
        self.query_names = RouteQueries(routes)
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self._size = 0

    @property
    def size_bytes(self) -> int:
        """What the entries count against the budget, now."""
        return self._size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        version = self.version()
        query = declared_query(scope, self.query_names(scope))
        key = (version, scope["path"], query)
        entry = self.entries.get(key)
        if entry is None:
            entry = await self._render(scope, receive, send, key)
            if entry is None:
                return  # already sent as it came (streamed, too large, or not cacheable)
            # Rendered from the data of another version if it changed meanwhile: not kept.
            if _is_cacheable(entry) and self.version() == version:
                self._store(key, entry)
        else:
            self.entries.move_to_end(key)
        await _send_entry(entry, scope, send, self._body(key, entry, scope))

    def _store(self, key: Key, entry: Entry) -> None:
        if entry.size > self.max_bytes // MAX_SHARE:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self._size -= old.size
        self.entries[key] = entry
        self._size += entry.size
        self._evict()

    def _body(self, key: Key, entry: Entry, scope: Scope) -> tuple[str, bytes]:
        """The encoding to send and its bytes; a variant made for a kept entry is counted."""
        encoding = _choose_encoding(scope) if entry.compressible else "identity"
        if encoding == "identity":
            return encoding, entry.body
        made = encoding not in entry.variants
        body = entry.encoded(encoding)
        if made and self.entries.get(key) is entry:
            self._size += len(body)
            self._evict()
        return encoding, body

    def _evict(self) -> None:
        while self._size > self.max_bytes and self.entries:
            _, oldest = self.entries.popitem(last=False)
            self._size -= oldest.size

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: Key) -> Entry | None:
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
        digest = hashlib.blake2b(body, digest_size=12, key=key[0].encode()[:64])
        return Entry(
            status=start["status"],
            headers=headers,
            body=body,
            etag=digest.hexdigest(),
            compressible=len(body) >= MIN_COMPRESS and content_type.startswith(COMPRESSIBLE),
            overhead=_overhead(key, headers),
        )


def _overhead(key: Key, headers: list[tuple[bytes, bytes]]) -> int:
    """What an entry counts besides its body and variants (the version is shared by all)."""
    header_bytes = sum(len(name) + len(value) for name, value in headers)
    return (
        ENTRY_OVERHEAD + len(key[1]) + len(key[2]) + HEADER_OVERHEAD * len(headers) + header_bytes
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


async def _send_entry(entry: Entry, scope: Scope, send: Send, encoded: tuple[str, bytes]) -> None:
    encoding, body = encoded
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
