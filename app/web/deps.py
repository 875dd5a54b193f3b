"""Per-request values as typed dependencies: settings, the data being served, its site, the
session, the page's language and the demo's form. Handlers declare what they need; none reads
app.state, and none reads a query parameter it does not declare (app/web/http_cache.py keys a
response on the declared ones only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from app import urls
from app.data.site import Site
from app.data.store import DataStore
from app.settings import Settings
from app.text.i18n import Lang
from app.web.demo_view import DemoForm
from app.web.templates import Page


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> DataStore:
    store: DataStore = request.app.state.store
    return store


def get_site(store: Annotated[DataStore, Depends(get_store)]) -> Site:
    """The site's name and description, read once per data version."""
    return store.current.site


def get_session(store: Annotated[DataStore, Depends(get_store)]) -> Iterator[Session]:
    """One session per request on the engine of the data being served."""
    with Session(store.current.engine) as session:
        yield session


def page_lang(request: Request) -> Lang:
    """A page's language: the mount its route was matched under (/en/… is English)."""
    return urls.lang_of(request.url.path)


def frame_lang(
    lang: Annotated[str | None, Query(description="en for English, else Japanese")] = None,
) -> Lang:
    """An embedded frame's language: ?lang=en, else Japanese (frames live under /embed/)."""
    return "en" if lang == "en" else "ja"


def page(
    request: Request,
    lang: Annotated[Lang, Depends(page_lang)],
    site: Annotated[Site, Depends(get_site)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Page:
    """A page of the site, in the language of its mount."""
    return Page(request=request, lang=lang, site=site, base_url=settings.base_url)


def frame(
    request: Request,
    lang: Annotated[Lang, Depends(frame_lang)],
    site: Annotated[Site, Depends(get_site)],
    settings: Annotated[Settings, Depends(get_settings)],
    frame: Annotated[str | None, Query(description="the id it sends with its height")] = None,
) -> Page:
    """An embedded frame, in the language its ?lang= asks for. ?frame= is read by the frame's
    script (static/embed-frame.js); it is declared so that a frame's response may carry it (a
    redirect keeps it in page.query) and the response cache keys on it."""
    return Page(request=request, lang=lang, site=site, base_url=settings.base_url)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[DataStore, Depends(get_store)]
SiteDep = Annotated[Site, Depends(get_site)]
SessionDep = Annotated[Session, Depends(get_session)]
LangDep = Annotated[Lang, Depends(page_lang)]
FrameLangDep = Annotated[Lang, Depends(frame_lang)]
PageDep = Annotated[Page, Depends(page)]
FrameDep = Annotated[Page, Depends(frame)]
DemoFormDep = Annotated[DemoForm, Depends()]
