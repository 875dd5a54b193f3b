"""Static files, minified once and served from memory under content-hashed names.

Templates call asset("app.css") for /static/app.3f2a91c0d4.css, served `immutable`: a deploy
with changed CSS gets a new name, so browsers and CDNs may keep every file forever. CSS and
JavaScript are minified with rcssmin and rjsmin at start-up. Unhashed names still work, with a
short cache lifetime; anything not in static/ is a 404, so no path can reach another file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.settings import STATIC_DIR

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")
_MINIFIERS: dict[str, Callable[[str], str]] = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


@dataclass(frozen=True)
class Asset:
    body: bytes
    digest: str
    media_type: str


def load(path: Path) -> Asset:
    """A file's served bytes (minified when it is CSS or JavaScript) and their hash."""
    body = path.read_bytes()
    minify = _MINIFIERS.get(path.suffix)
    if minify is not None:
        body = minify(body.decode("utf-8")).encode("utf-8")
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
        media_type += "; charset=utf-8"
    return Asset(body, hashlib.sha256(body).hexdigest()[:10], media_type)


class Assets:
    """The files of one directory, mounted at prefix, as an ASGI app."""

    def __init__(self, directory: Path, prefix: str = "/static") -> None:
        self.prefix = prefix
        self.files = {
            path.relative_to(directory).as_posix(): load(path)
            for path in sorted(directory.rglob("*"))
            if path.is_file()
        }

    def url(self, name: str) -> str:
        asset = self.files.get(name)
        stem, dot, suffix = name.rpartition(".")
        if asset is None or not dot:
            return f"{self.prefix}/{name}"
        return f"{self.prefix}/{stem}.{asset.digest}.{suffix}"

    def find(self, name: str) -> tuple[Asset, str] | None:
        """The asset a request names and its Cache-Control, or None."""
        match = _HASHED.match(name)
        if match:
            asset = self.files.get(f"{match['stem']}{match['suffix']}")
            if asset is not None and asset.digest == match["hash"]:
                return asset, IMMUTABLE
        asset = self.files.get(name)
        return (asset, SHORT) if asset is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve an asset; errors go to the app's handlers, as StaticFiles' do."""
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"allow": "GET, HEAD"})
        name = scope["path"].removeprefix(scope.get("root_path", "")).lstrip("/")
        found = self.find(name)
        if found is None:
            raise HTTPException(404)
        asset, cache_control = found
        response = Response(
            asset.body, media_type=asset.media_type, headers={"cache-control": cache_control}
        )
        await response(scope, receive, send)


static_assets = Assets(STATIC_DIR)
