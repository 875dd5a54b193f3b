"""Embeds for blog posts: the frames /embed/terms/{id} and /embed/backprop, and /oembed.

Thin: app/web/embeds.py decides what is ours and builds the snippets and the oEmbed answer; the
demo's frame is the demo itself (app/web/routes/demo.py's render_demo) in another template. The
frames take ?lang=en (their paths stay under /embed/, which GLOSSARY_EMBED_ORIGINS governs)
and ?frame=ID, the id they send with their height (see static/embed-frame.js).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from app import urls
from app.data import queries
from app.data.db import SessionDep
from app.models import TermPublic
from app.seo.page import PageSeo, og_image_path, page_seo
from app.text.i18n import Lang, translate
from app.web import embeds
from app.web.errors import ProblemError
from app.web.routes.demo import demo_url, render_demo
from app.web.templates import render_page, site_name, templates

router = APIRouter()

PROBLEM = {"description": "A problem (RFC 9457)", "content": {"application/problem+json": {}}}
DEMO_TERM = "backpropagation"  # the term the demo's script snippet links to


def frame_lang(request: Request) -> Lang:
    """The frame's language: ?lang=en, else Japanese."""
    return "en" if request.query_params.get("lang") == "en" else "ja"


def term_title(term: TermPublic, lang: Lang) -> str:
    """A term's name as its page's title gives it: 誤差伝播(Backpropagation) in Japanese."""
    ja, en = term.title.ja, term.title.en
    if not en or en == ja:
        return ja
    return f"{en} ({ja})" if lang == "en" else f"{ja}({en})"


def _frame_seo(request: Request, lang: Lang, full_path: str) -> PageSeo:
    """noindex, with the canonical link pointing at the full page."""
    return page_seo(
        lang=lang,
        path=full_path,
        base_url=request.app.state.settings.base_url,
        indexable=False,
        image=og_image_path(lang, "_site"),
        image_alt="",
    )


def embed_snippets(
    base_url: str,
    lang: Lang,
    site_title: str,
    *,
    term: TermPublic | None = None,
    query: str = "",
) -> embeds.Snippets:
    """The embed panel's snippets for a term page, or (no term) for the demo with its query."""
    if term is not None:
        target = embeds.EmbedTarget("term", lang, term.id)
        title = term_title(term, lang)
        link_text = (term.title.en if lang == "en" else None) or term.title.ja
        text = (term.summary.en if lang == "en" else None) or term.summary.ja
    else:
        target = embeds.EmbedTarget("demo", lang, query=embeds.demo_query(query))
        title = translate(lang, "demo_title")
        link_text, text = translate(lang, "demo_term"), ""
    return embeds.snippets(
        base_url=base_url,
        target=target,
        title=translate(lang, "embed_frame_title", title=title, site=site_title),
        link_text=link_text,
        link_href=base_url + urls.term(lang, term.id if term else DEMO_TERM),
        text=text,
    )


templates.env.globals.update(embed_snippets=embed_snippets)


# ── The frames ─────────────────────────────────────────────────────────────────────────────


@router.get("/embed/terms/{term_id}", response_class=HTMLResponse, include_in_schema=False)
def embed_term(request: Request, term_id: str, session: SessionDep) -> Response:
    """A term's card, to frame: title, reading, other name, summary, a link to the page."""
    lang = frame_lang(request)
    base_url = request.app.state.settings.base_url
    term = queries.get_term(session=session, term_id=term_id, base_url=base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=term_id)
        if found is not None:
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/embed/terms/{found}{query}", status_code=301)
        return embed_not_found(request, session)
    return render_page(
        request,
        "embed_term.html",
        lang,
        site=queries.site_info(session=session),
        seo=_frame_seo(request, lang, urls.term(lang, term.id)),
        term=term,
        term_url=urls.term(lang, term.id),
    )


@router.get("/embed/backprop", response_class=HTMLResponse, include_in_schema=False)
def embed_backprop(request: Request, session: SessionDep) -> Response:
    """The backpropagation demo, compact, to frame; the same query parameters as the demo."""
    lang = frame_lang(request)
    query = embeds.demo_query(request.url.query)
    return render_demo(
        request,
        session,
        template="embed_backprop.html",
        lang=lang,
        seo=_frame_seo(request, lang, demo_url(lang)),
        full_demo_url=demo_url(lang) + (f"?{query}" if query else ""),
        more_open=any(
            name in request.query_params for name in ("lr", "steps", "hidden", "output", "loss")
        ),
    )


@router.get("/embed/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
def embed_not_found(request: Request, session: SessionDep) -> Response:
    """Any other frame: a 404 in the frames' style."""
    lang = frame_lang(request)
    return render_page(
        request,
        "embed_term.html",
        lang,
        status=404,
        site=queries.site_info(session=session),
        seo=_frame_seo(request, lang, urls.home(lang)),
        term=None,
        not_found=True,
    )


# ── oEmbed ─────────────────────────────────────────────────────────────────────────────────


class OEmbed(BaseModel):
    """An oEmbed 1.0 answer of type rich (for /openapi.json; the route returns app.web.embeds')."""

    type: Literal["rich"]
    version: Literal["1.0"]
    title: str
    provider_name: str
    provider_url: str
    html: str = Field(description="a blockquote with a link, then the sandboxed iframe")
    width: int
    height: int
    cache_age: int


def _invalid_url(message: str) -> ProblemError:
    return ProblemError(
        422,
        "invalid value for query.url",
        title="Invalid request",
        errors=[{"field": "query.url", "message": message, "type": "value_error"}],
    )


@router.get(
    "/oembed",
    response_model=OEmbed,
    tags=["embed"],
    responses={404: PROBLEM, 422: PROBLEM, 501: PROBLEM},
)
def oembed(
    request: Request,
    session: SessionDep,
    url: Annotated[str | None, Query(description="a term page or the demo on this site")] = None,
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
    base_url = request.app.state.settings.base_url
    target = embeds.match_url(url, base_url)
    if target is None:
        raise ProblemError(404, f"not a page of this site that can be embedded: {url[:200]}")
    site = queries.site_info(session=session)
    text = ""
    if target.kind == "term":
        term = queries.get_term(session=session, term_id=target.term_id, base_url=base_url)
        if term is None:
            found = queries.find_term_id(session=session, name=target.term_id)
            if found is not None:
                term = queries.get_term(session=session, term_id=found, base_url=base_url)
        if term is None:
            raise ProblemError(404, f"no term {target.term_id[:100]!r}")
        target = embeds.EmbedTarget("term", target.lang, term.id)
        title = term_title(term, target.lang)
        text = (term.summary.en if target.lang == "en" else None) or term.summary.ja
    else:
        title = translate(target.lang, "demo_title")
    body = embeds.oembed_response(
        base_url=base_url,
        target=target,
        title=title,
        provider_name=site_name(site, target.lang),
        frame_title=translate(
            target.lang, "embed_frame_title", title=title, site=site_name(site, target.lang)
        ),
        text=text,
        maxwidth=maxwidth,
        maxheight=maxheight,
    )
    return JSONResponse(body, headers={"Cache-Control": f"public, max-age={embeds.CACHE_AGE}"})
