"""Embeds for blog posts: the frames /embed/terms/{id} and /embed/backprop, and /oembed.

Thin: app/web/embeds.py decides what is ours and builds the snippets and the oEmbed answer;
the demo's frame shows app/web/demo_view.py's demo in another template. The frames take
?lang=en (their paths stay under /embed/, which GLOSSARY_EMBED_ORIGINS governs) and
?frame=ID, the id they send with their height (see static/embed-frame.js).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app import urls
from app.data import queries
from app.models import TermPublic
from app.seo.page import PageSeo
from app.text.i18n import translate
from app.web import embeds
from app.web.demo_view import MORE_FIELDS, demo_view
from app.web.deps import DemoFormDep, FrameDep, SessionDep, SettingsDep, SiteDep
from app.web.errors import ProblemError, problem_responses
from app.web.routing import PageRouter
from app.web.schemas import OEmbed
from app.web.templates import Page

frames = PageRouter()
router = APIRouter()


def _frame_head(page: Page, full_path: str) -> PageSeo:
    """noindex, with the canonical link pointing at the full page."""
    return page.head(image="_site", image_alt="", data=None, path=full_path, indexable=False)


@frames.page(f"{urls.EMBED}/terms/{{term_id}}")
def embed_term(page: FrameDep, term_id: str, session: SessionDep) -> Response:
    """A term's card, to frame: title, reading, other name, summary, a link to the page."""
    term = queries.get_term(session=session, term_id=term_id, base_url=page.base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=term_id)
        if found is not None:
            return RedirectResponse(urls.embed_term(found, page.query), 301)
        return embed_not_found(page)
    full_path = urls.term(page.lang, term.id)
    return page.render(
        "embed_term.html", head=_frame_head(page, full_path), term=term, term_url=full_path
    )


@frames.page(urls.embed_demo())
def embed_backprop(page: FrameDep, form: DemoFormDep) -> Response:
    """The backpropagation demo, compact, to frame; the same query parameters as the demo."""
    given = form.given()
    view = demo_view(given, page.lang)
    return page.render(
        "embed_backprop.html",
        head=_frame_head(page, urls.demo(page.lang)),
        status=view.status,
        full_demo_url=urls.demo(page.lang, embeds.demo_query(page.query)),
        more_open=any(name in given for name in MORE_FIELDS),
        **view.context,
    )


@frames.page(f"{urls.EMBED}/{{rest:path}}")
def embed_not_found(page: FrameDep) -> Response:
    """Any other frame: a 404 in the frames' style."""
    return page.render(
        "embed_term.html",
        head=_frame_head(page, urls.home(page.lang)),
        status=404,
        term=None,
        not_found=True,
    )


# ── oEmbed ─────────────────────────────────────────────────────────────────────────────────


def _invalid_url(message: str) -> ProblemError:
    return ProblemError(
        422,
        "invalid value for query.url",
        title="Invalid request",
        errors=[{"field": "query.url", "message": message, "type": "value_error"}],
    )


def _find_term(session: SessionDep, name: str, base_url: str) -> TermPublic | None:
    """The term a URL names, by id, or by a title or alias."""
    term = queries.get_term(session=session, term_id=name, base_url=base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=name)
        if found is not None:
            term = queries.get_term(session=session, term_id=found, base_url=base_url)
    return term


@router.get(
    urls.OEMBED,
    response_model=OEmbed,
    tags=["embed"],
    responses=problem_responses(404, 422, 501),
)
def oembed(
    settings: SettingsDep,
    site: SiteDep,
    session: SessionDep,
    url: Annotated[str, Query(description="a term page or the demo on this site")],
    format_: Annotated[str, Query(alias="format", description="json (the only one)")] = "json",
    maxwidth: Annotated[int | None, Query(gt=0, description="CSS px")] = None,
    maxheight: Annotated[int | None, Query(gt=0, description="CSS px")] = None,
) -> Response:
    """oEmbed 1.0 (type rich) for a term page or the demo: a link and a sandboxed frame."""
    if not url or not url.strip():
        raise _invalid_url("a URL of this site is required")
    if not url.strip().lower().startswith(("http://", "https://")):
        raise _invalid_url("the URL must start with http:// or https://")
    if format_.lower() not in ("json", ""):
        raise ProblemError(501, f"format {format_[:20]!r} is not served; use format=json")
    base_url = settings.base_url
    target = embeds.match_url(url, base_url)
    if target is None:
        raise ProblemError(404, f"not a page of this site that can be embedded: {url[:200]}")
    lang = target.lang
    text = ""
    if target.kind == "term":
        term = _find_term(session, target.term_id, base_url)
        if term is None:
            raise ProblemError(404, f"no term {target.term_id[:100]!r}")
        target = embeds.EmbedTarget("term", lang, term.id)
        title = embeds.term_title(term, lang)
        text = embeds.term_text(term, lang)
    else:
        title = translate(lang, "demo_title")
    body = embeds.oembed_response(
        base_url=base_url,
        target=target,
        title=title,
        provider_name=site.name(lang),
        frame_title=translate(lang, "embed_frame_title", title=title, site=site.name(lang)),
        text=text,
        maxwidth=maxwidth,
        maxheight=maxheight,
    )
    return JSONResponse(body, headers={"Cache-Control": f"public, max-age={embeds.CACHE_AGE}"})
