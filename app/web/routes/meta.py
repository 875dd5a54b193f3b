"""Service routes: health and the self-hosted API docs (robots.txt is in seo.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse

from app import urls
from app.data import queries
from app.web.assets import static_assets
from app.web.deps import SessionDep, StoreDep
from app.web.schemas import Health

router = APIRouter()


@router.get(urls.HEALTH, response_model=Health, tags=["service"])
def healthz(response: Response, store: StoreDep, session: SessionDep) -> Health:
    """Report the data being served; a refused reload's problems are listed, file:line:col."""
    response.headers["cache-control"] = "no-store"
    problems = store.problems
    return Health(
        status="ok" if not problems else "stale",
        terms=queries.count_terms(session=session),
        data_version=queries.data_version(session=session)[:16],
        reload_problems=problems,
    )


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
