"""For search engines and link previews: robots.txt, the sitemap, Atom feeds, OG images, icons.

OG images: /og/{id}.png is a term's card in Japanese and /en/og/{id}.png in English;
/og/_site.png is the site's card (home, index and search pages), /og/_demo.png the demo's,
/og/tags/{tag}.png a tag's. Names starting with "_" can never be term ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.routing import NoMatchFound

from app import urls
from app.data import queries
from app.data.db import SessionDep
from app.models import Term
from app.seo import feed, og, sitemap
from app.seo.page import feed_path
from app.text.i18n import LANGS, Lang, translate
from app.web.routes.pages import gojuon_groups, letter_groups, letter_path, letter_slug, row_path
from app.web.templates import SPECIAL_PAGES, lang_of, render_error, site_name

router = APIRouter(include_in_schema=False)


def get(path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A GET route that answers HEAD too (crawlers and preview fetchers ask HEAD first)."""
    return router.api_route(path, methods=["GET", "HEAD"], **options)


# Look for the Japanese font when the app is built, so a missing one is in the log at start.
og.find_fonts()

IMAGE_CACHE = "public, max-age=86400, stale-while-revalidate=604800"
XML_CACHE = "public, max-age=3600"
SITEMAP_FILE = "/sitemap-{n}.xml"


def _both(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one handler for the Japanese path and its /en twin."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        get(path)(handler)
        get(f"/en{path}", name=f"{handler.__name__}_en")(handler)
        return handler

    return register


def _base_url(request: Request) -> str:
    return str(request.app.state.settings.base_url)


# ── robots.txt, sitemap, feed ──────────────────────────────────────────────────────────────


@get("/robots.txt", response_class=PlainTextResponse)
def robots(request: Request) -> Response:
    """Allow crawling of pages; keep crawlers out of the API; name the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Allow: /",
        "",
        f"Sitemap: {_base_url(request)}/sitemap.xml",
    ]
    body = "\n".join(lines) + "\n"
    return PlainTextResponse(body, headers={"Cache-Control": XML_CACHE})


def _has_route(request: Request, name: str) -> bool:
    try:
        request.app.url_path_for(name)
    except NoMatchFound:
        return False
    return True


def site_pages(request: Request, session: SessionDep) -> list[sitemap.Page]:
    """Every indexable page of the site, each in both languages, with its last change."""
    terms = queries.all_terms(session=session)
    newest = max((term.updated for term in terms), default=None)

    def both(ja_path: str, lastmod: Any = None) -> sitemap.Page:
        return sitemap.Page.of(ja_path, urls.counterpart("ja", ja_path), lastmod)

    def latest(group: list[Term]) -> Any:
        return max(term.updated for term in group)

    pages = [both("/", newest)]
    pages += [both(urls.term("ja", term.id), term.updated) for term in terms]
    for tag in queries.all_tags(session=session):
        tagged = [term for term in terms if tag.id in term.tags]
        if tagged:
            pages.append(both(urls.tag("ja", tag.id), latest(tagged)))
    for slug, _, group in gojuon_groups(terms):
        pages.append(both(row_path("ja", slug), latest(group)))
    for initial, group in letter_groups(terms):
        pages.append(both(letter_path("ja", letter_slug(initial)), latest(group)))
    pages += [both(path) for path, page in SPECIAL_PAGES.items() if _has_route(request, page.route)]
    return pages


def _xml(body: bytes, media_type: str = "application/xml") -> Response:
    return Response(body, media_type=media_type, headers={"Cache-Control": XML_CACHE})


@get("/sitemap.xml")
def sitemap_xml(request: Request, session: SessionDep) -> Response:
    """Every page in both languages with hreflang alternates (an index past 50,000 URLs)."""
    pages = site_pages(request, session)
    if sitemap.needs_index(pages):
        return _xml(sitemap.sitemap_index(pages, base_url=_base_url(request), path=SITEMAP_FILE))
    return _xml(sitemap.urlset(pages, base_url=_base_url(request)))


@get("/sitemap-{number}.xml")
def sitemap_part(request: Request, number: int, session: SessionDep) -> Response:
    """One numbered file of a sitemap index."""
    pages = sitemap.chunk(site_pages(request, session), number)
    if not pages:
        return render_error(request, status=404, detail=f"no sitemap {number}")
    return _xml(sitemap.urlset(pages, base_url=_base_url(request)))


@_both("/feed.xml")
def atom_feed(request: Request, session: SessionDep) -> Response:
    """The Atom feed of recently updated terms, in the language of the path."""
    lang = lang_of(request)
    base_url = _base_url(request)
    site = queries.site_info(session=session)
    name = site_name(site, lang)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    entries = [
        feed.Entry(
            id=base_url + urls.term(lang, term.id),
            title=term.title_ja if lang == "ja" else term.title_en,
            url=base_url + urls.term(lang, term.id),
            updated=term.updated,
            summary=term.summary_ja if lang == "ja" else term.summary_en,
            categories=tuple(
                (tag_id, getattr(tags[tag_id], f"name_{lang}") if tag_id in tags else tag_id)
                for tag_id in term.tags
            ),
        )
        for term in queries.all_terms(session=session)
    ]
    document = feed.Feed(
        lang=lang,
        title=translate(lang, "feed_title", site=name),
        subtitle=site.get("description", {}).get(lang, ""),
        self_url=base_url + feed_path(lang),
        home_url=base_url + urls.home(lang),
        author=name,
        icon=base_url + "/apple-touch-icon.png",
        entries=feed.recent(entries),
    )
    return _xml(feed.atom(document), "application/atom+xml")


# ── Images ─────────────────────────────────────────────────────────────────────────────────


def _png(body: bytes) -> Response:
    return Response(body, media_type="image/png", headers={"Cache-Control": IMAGE_CACHE})


def _where(request: Request, path: str) -> str:
    """Where a page lives, for the foot of its card: host and path."""
    return urlsplit(_base_url(request)).netloc + path


def _other(lang: Lang) -> Lang:
    return next(other for other in LANGS if other != lang)


@_both("/og/_site.png")
def og_site(request: Request, session: SessionDep) -> Response:
    """The site's card: its name in both languages and its description."""
    lang = lang_of(request)
    site = queries.site_info(session=session)
    card = og.Card(
        lang=lang,
        site_name=site_name(site, lang),
        title=site_name(site, lang),
        subtitle=site_name(site, _other(lang)),
        note=site.get("description", {}).get(lang, ""),
        footer=_where(request, urls.home(lang)),
    )
    return _png(og.card_png(card))


@_both("/og/_demo.png")
def og_demo(request: Request, session: SessionDep) -> Response:
    """The backpropagation demo's card, with its network drawn."""
    lang = lang_of(request)
    site = queries.site_info(session=session)
    card = og.Card(
        lang=lang,
        site_name=site_name(site, lang),
        title=translate(lang, "demo_title"),
        subtitle=translate(_other(lang), "demo_title"),
        footer=_where(request, f"{urls.prefix(lang)}/demo/backprop"),
        diagram=True,
    )
    return _png(og.card_png(card))


@_both("/og/tags/{tag_id}.png")
def og_tag(request: Request, tag_id: str, session: SessionDep) -> Response:
    """A tag's card: its name in both languages and how many terms it has."""
    lang = lang_of(request)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    if tag_id not in tags:
        return render_error(request, status=404, detail=f"no tag {tag_id!r}")
    tag = tags[tag_id]
    terms = queries.terms_with_tag(session=session, tag_id=tag_id)
    names = [term.title_ja if lang == "ja" else term.title_en for term in terms[:6]]
    joiner = "・" if lang == "ja" else " · "
    card = og.Card(
        lang=lang,
        site_name=site_name(queries.site_info(session=session), lang),
        title=getattr(tag, f"name_{lang}"),
        subtitle=getattr(tag, f"name_{_other(lang)}"),
        note=translate(lang, "term_count", n=len(terms)) + " — " + joiner.join(names),
        footer=_where(request, urls.tag(lang, tag_id)),
    )
    return _png(og.card_png(card))


@_both("/og/{term_id}.png")
def og_term(request: Request, term_id: str, session: SessionDep) -> Response:
    """A term's card: the term, its reading, its name in the other language, the site."""
    lang = lang_of(request)
    term = queries.titles(session=session, ids=[term_id]).get(term_id)
    if term is None:
        return render_error(request, status=404, detail=f"no term {term_id!r}")
    site = site_name(queries.site_info(session=session), lang)
    footer = _where(request, urls.term(lang, term.id))
    if lang == "ja":
        card = og.Card(
            lang=lang,
            site_name=site,
            title=term.title_ja,
            kicker=term.reading,
            subtitle=term.title_en,
            footer=footer,
        )
    else:
        card = og.Card(
            lang=lang,
            site_name=site,
            title=term.title_en,
            subtitle=term.title_ja,
            subtitle_note=term.reading,
            footer=footer,
        )
    return _png(og.card_png(card))


@get("/favicon.ico")
def favicon() -> Response:
    """The site's mark as an ICO (16, 32 and 48 px), for browsers that ask for it."""
    return Response(
        og.favicon_ico(), media_type="image/x-icon", headers={"Cache-Control": IMAGE_CACHE}
    )


@get("/apple-touch-icon.png")
def touch_icon() -> Response:
    """The site's mark, 180×180, for home screens."""
    return _png(og.touch_icon_png())
