"""Service routes: health and the self-hosted API docs (robots.txt is in seo.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from app import urls
from app.data.store import DataStore
from app.glossary.build import built_hash, built_terms
from app.web.assets import static_assets
from app.web.schemas import Health

router = APIRouter()


async def _store(request: Request) -> DataStore:
    """The data being served; async, unlike deps.StoreDep, so /healthz needs no thread."""
    store: DataStore = request.app.state.store
    return store


@router.get(urls.HEALTH, response_model=Health, tags=["service"])
async def healthz(response: Response, store: Annotated[DataStore, Depends(_store)]) -> Health:
    """Report the data being served; a refused reload's problems are listed, file:line:col.

    Answered on the event loop, with no thread and no database session, so that it never waits
    behind busy worker threads or computations."""
    response.headers["cache-control"] = "no-store"
    problems = store.problems
    version = store.current.version  # the content hash, also the database's meta.data_hash
    return Health(
        status="ok" if not problems else "stale",
        terms=_term_count(version, store.settings.db_path),
        data_version=version[:16],
        reload_problems=problems,
    )


_TERM_COUNTS: dict[str, int] = {}  # data version → terms: a version's database never changes


def _term_count(version: str, db_path: Path) -> int:
    """The version's term count, read once (one COUNT on the local read-only file)."""
    count = _TERM_COUNTS.get(version)
    if count is None:
        count = built_terms(db_path)
        # Kept only if the file still holds this version: a reload renames the new database
        # into place just before it swaps the new version in.
        if built_hash(db_path) == version:
            if len(_TERM_COUNTS) >= 16:
                _TERM_COUNTS.clear()
            _TERM_COUNTS[version] = count
    return count


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs() -> HTMLResponse:
    """Swagger UI served from this site, with no inline script (the CSP allows none)."""
    return HTMLResponse(
        DOCS_PAGE.format(
            css="/static/swagger/swagger-ui.css",
            js="/static/swagger/swagger-ui-bundle.js",
            init=static_assets.url("swagger-init.js"),
            icon=static_assets.url("favicon.svg"),
            openapi=urls.OPENAPI,
        )
    )


DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>用語集 API</title>
<link rel="icon" href="{icon}" type="image/svg+xml">
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{js}"></script>
<script src="{init}"></script>
</body>
</html>
"""
