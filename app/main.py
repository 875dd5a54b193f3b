"""create_app(settings) -> FastAPI: middleware, error handlers and routers; the lifespan builds
(if needed) and opens the database.

Page routers are mounted twice, at / (Japanese) and /en/ (English); the rest once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import urls
from app.data.store import DataStore, Watcher
from app.glossary.problems import GlossaryError
from app.settings import Settings, get_settings
from app.web.assets import static_assets
from app.web.cors import Cors
from app.web.errors import install_error_handlers
from app.web.failsafe import CatchAll
from app.web.http_cache import HttpCache
from app.web.routes import api, demo, embed, images, meta, pages, seo, terms
from app.web.routing import include_bilingual
from app.web.security import SecurityHeaders
from app.web.unrouted import AllowedMethods, redirect_slashes

log = logging.getLogger("glossary")

DESCRIPTION = """\
The JSON API of 用語集, a Japanese-first bilingual glossary.

Every term has Japanese and English text; errors are `application/problem+json`
(RFC 9457) and name the field at fault.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for these settings (the environment's by default)."""
    settings = settings or get_settings()

    store = DataStore(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            store.open()
        except GlossaryError as error:
            for problem in error.problems:
                log.error("%s", problem)
            raise
        watcher = Watcher(store, interval=settings.reload_interval)
        if settings.reload_interval > 0:
            watcher.start()
        try:
            yield
        finally:
            if settings.reload_interval > 0:
                watcher.stop()
            store.close()

    app = FastAPI(
        title="用語集 API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    install_error_handlers(app)
    redirect_slashes(app.router)  # to a relative Location, never one built from the Host header
    app.add_middleware(AllowedMethods, router=app.router)
    app.add_middleware(
        HttpCache,
        version=lambda: store.version,
        routes=lambda: app.routes,  # a response is keyed on the query parameters its route declares
        max_bytes=settings.cache_bytes,
    )
    # Outside the cache, so cached answers get CORS headers too.
    app.add_middleware(Cors, applies=urls.is_cross_origin)
    # Just inside the security headers, so an unexpected error's 500 carries them too.
    app.add_middleware(CatchAll)
    app.add_middleware(
        SecurityHeaders,
        is_frame=urls.is_frame,
        is_api=urls.is_api,
        embed_origins=settings.embed_origins,
    )
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path))
    app.mount("/static", static_assets, name="static")
    for router in (api.router, meta.router, embed.router, seo.router, images.router):
        app.include_router(router)
    for router in (pages.router, terms.router, demo.router, seo.bilingual, images.bilingual):
        include_bilingual(app, router)
    app.include_router(embed.frames)
    return app


app = create_app()
