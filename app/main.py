"""create_app(settings) -> FastAPI; the lifespan builds (if needed) and opens the database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.db import open_engine
from app.errors import install_error_handlers
from app.glossary.build import ensure_database
from app.glossary.problems import GlossaryError
from app.routes import api, meta, pages
from app.settings import STATIC_DIR, Settings, get_settings

log = logging.getLogger("glossary")

DESCRIPTION = """\
The JSON API of 用語集, a Japanese-first bilingual glossary.

Every term has Japanese and English text; errors are `application/problem+json`
(RFC 9457) and name the field at fault.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for these settings (the environment's by default)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            app.state.data_version = ensure_database(settings.data, settings.db_path)
        except GlossaryError as error:
            for problem in error.problems:
                log.error("%s", problem)
            raise
        app.state.engine = open_engine(settings.db_path)
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="用語集 API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(meta.router)
    app.include_router(pages.router)
    return app


app = create_app()
