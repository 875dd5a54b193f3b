"""How routes are declared: HTML pages answer GET and HEAD (crawlers and link checkers ask
HEAD first), and the bilingual ones are one router mounted twice, at / and at /en/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from app import urls

Handler = TypeVar("Handler", bound=Callable[..., Any])


class PageRouter(APIRouter):
    """Routes that are pages or files, not API operations: kept out of /openapi.json."""

    def __init__(self) -> None:
        super().__init__(include_in_schema=False)

    def page(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """An HTML page at path: GET and HEAD."""
        return self.api_route(path, methods=["GET", "HEAD"], response_class=HTMLResponse, **options)

    def file(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Any other resource at path (XML, PNG, text): GET and HEAD."""
        return self.api_route(path, methods=["GET", "HEAD"], **options)


def include_bilingual(app: FastAPI, router: APIRouter) -> None:
    """Serve router's routes in Japanese at / and in English under /en/ (see deps.page_lang)."""
    app.include_router(router)
    app.include_router(router, prefix=urls.EN_PREFIX)
