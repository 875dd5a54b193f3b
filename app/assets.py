"""Static files under content-hashed names: /static/app.3f2a91c0d4.css is served `immutable`.

Templates call asset("app.css") for the hashed URL; a new deploy with changed CSS gets a new
name, so browsers and CDNs may keep every file forever. Unhashed names still work, with a
short cache lifetime.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.settings import STATIC_DIR

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")


def fingerprint(directory: Path) -> dict[str, str]:
    """Relative path → the first 10 hex digits of its SHA-256, for every file."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


class Assets:
    """Hashed URLs for the files in one directory, mounted at prefix."""

    def __init__(self, directory: Path, prefix: str = "/static") -> None:
        self.directory = directory
        self.prefix = prefix
        self.hashes = fingerprint(directory)

    def url(self, name: str) -> str:
        digest = self.hashes.get(name)
        if digest is None:
            return f"{self.prefix}/{name}"
        stem, dot, suffix = name.rpartition(".")
        return f"{self.prefix}/{stem}.{digest}.{suffix}" if dot else f"{self.prefix}/{name}"

    def files(self) -> StaticFiles:
        return HashedStaticFiles(directory=self.directory, hashes=self.hashes)


class HashedStaticFiles(StaticFiles):
    """StaticFiles that also answers to hashed names, marking those immutable."""

    def __init__(self, *, directory: Path, hashes: dict[str, str]) -> None:
        super().__init__(directory=directory)
        self.hashes = hashes

    async def get_response(self, path: str, scope: Scope) -> Response:
        match = _HASHED.match(path)
        if match:
            name = f"{match['stem']}{match['suffix']}"
            if self.hashes.get(name) == match["hash"]:
                response = await super().get_response(name, scope)
                response.headers["cache-control"] = IMMUTABLE
                return response
        response = await super().get_response(path, scope)
        response.headers.setdefault("cache-control", SHORT)
        return response


static_assets = Assets(STATIC_DIR)
