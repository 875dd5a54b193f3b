"""Service routes: health, robots.txt, and the self-hosted API docs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel

from app import queries
from app.db import SessionDep

router = APIRouter()


class Health(BaseModel):
    status: str
    terms: int
    data_version: str


@router.get("/healthz", response_model=Health, tags=["service"])
def healthz(session: SessionDep) -> Health:
    """Report that the data is loaded, with its version and size."""
    return Health(
        status="ok",
        terms=queries.count_terms(session=session),
        data_version=queries.data_version(session=session)[:16],
    )


@router.get("/robots.txt", response_class=PlainTextResponse, include_in_schema=False)
def robots(request: Request) -> str:
    """Allow crawling of pages; keep crawlers out of the API."""
    return "User-agent: *\nDisallow: /api/\nAllow: /\n"


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs() -> HTMLResponse:
    """Swagger UI served from this site, not from a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="用語集 API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
