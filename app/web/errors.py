"""One error path, two renderings: problem+json where the path answers JSON (the API,
oEmbed, health; app/urls.py says which), the error page in the site's style elsewhere."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import urls
from app.data.site import Site
from app.data.store import DataStore
from app.settings import Settings
from app.web.templates import Page

log = logging.getLogger("glossary")

PROBLEM_JSON = "application/problem+json"


class ProblemDetails(BaseModel):
    """An RFC 9457 problem, as every API error is answered."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] = Field(
        description='the fields at fault: {"field": "query.limit", "message": …, "type": …}'
    )


PROBLEM_SCHEMA = ProblemDetails.model_json_schema()


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problems a route may answer with, so the description is
    honest: 400 (a body that is not JSON), 413/414 (past the size limits), 404, 422, …"""
    return {
        status: {
            "description": f"{HTTPStatus(status).phrase} (RFC 9457 problem)",
            "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }


class ProblemError(Exception):
    """An RFC 9457 problem to answer with; errors name the fields at fault."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.errors = errors or []


def problem_body(
    status: int, title: str, detail: str, errors: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors,
    }


def _respond(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
) -> Response:
    if urls.answers_json(request.url.path):
        return JSONResponse(
            problem_body(status, title, detail, errors),
            status_code=status,
            media_type=PROBLEM_JSON,
            headers=headers,
        )
    try:
        return error_page(request).error(status, detail, headers=headers)
    except Exception:  # the error page itself failed: answer plainly rather than not at all
        log.exception("the error page could not be rendered")
        return PlainTextResponse(f"{status} {title}\n", status_code=status, headers=headers)


def error_page(request: Request) -> Page:
    """The page an error is shown on: in the language of the path asked for, with the site's
    name when the data is open (a request can fail before it is)."""
    store: DataStore | None = getattr(request.app.state, "store", None)
    site = store.current.site if store is not None and store.is_open else Site()
    settings: Settings = request.app.state.settings
    return Page(
        request=request, lang=urls.lang_of(request.url.path), site=site, base_url=settings.base_url
    )


def _field(loc: tuple[Any, ...]) -> str:
    """A location as a field name: body.layers[0].units (list indexes are ints in a loc; a
    key that merely looks like a number, even "²", stays a name)."""
    head, rest = (str(loc[0]), loc[1:]) if loc else ("", ())
    path = head
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through one place."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> Response:
        return _respond(request, error.status, error.title, error.detail, error.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        errors = [
            {"field": _field(tuple(item["loc"])), "message": item["msg"], "type": item["type"]}
            for item in error.errors()
        ]
        names = ", ".join(e["field"] for e in errors) or "request"
        return _respond(request, 422, "Invalid request", f"invalid value for {names}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        status = error.status_code
        detail = error.detail if isinstance(error.detail, str) else HTTPStatus(status).phrase
        return _respond(
            request,
            status,
            HTTPStatus(status).phrase,
            detail,
            [],
            headers=getattr(error, "headers", None),
        )

    # Only what escapes app/web/failsafe.py reaches this handler (an error in the security
    # middleware itself, or one after the response began, when this answer is not sent).
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return server_error(request)


def server_error(request: Request) -> Response:
    """The answer to an unexpected error: a 500 problem+json or error page, saying nothing of
    the error itself (the log has its traceback)."""
    return _respond(request, 500, "Internal Server Error", "an unexpected error occurred", [])
