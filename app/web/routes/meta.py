"""Service routes: health and the self-hosted API docs (robots.txt is in seo.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from app.data import queries
from app.data.db import SessionDep
from app.web.assets import static_assets

router = APIRouter()


class Health(BaseModel):
    status: str
    terms: int
    data_version: str
    reload_problems: list[str]


@router.get("/healthz", response_model=Health, tags=["service"])
def healthz(request: Request, response: Response, session: SessionDep) -> Health:
    """Report the data being served; a refused reload's problems are listed, file:line:col."""
    response.headers["cache-control"] = "no-store"
    problems = request.app.state.store.problems
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
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="{js}"></script>
<script src="{init}"></script>
</body>
</html>
"""
