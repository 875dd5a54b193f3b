"""For search engines and feed readers: robots.txt, the sitemap and the Atom feeds.

robots.txt and the sitemap are one per site (`router`); the feed is bilingual (`bilingual`,
mounted at / and /en/).
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import PlainTextResponse, Response

from app import urls
from app.data import queries
from app.models import Term
from app.seo import feed, sitemap
from app.text.i18n import translate
from app.text.kana import gojuon_groups, letter_groups
from app.web.deps import PageDep, SessionDep, SettingsDep
from app.web.routing import PageRouter

router = PageRouter()
bilingual = PageRouter()

XML_CACHE = "public, max-age=3600"
SITEMAP_FILE = "/sitemap-{n}.xml"


@router.file("/robots.txt", response_class=PlainTextResponse)
def robots(settings: SettingsDep) -> Response:
    """Allow crawling of pages; keep crawlers out of the API; name the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Allow: /",
        "",
        f"Sitemap: {settings.base_url}/sitemap.xml",
    ]
    body = "\n".join(lines) + "\n"
    return PlainTextResponse(body, headers={"Cache-Control": XML_CACHE})


def site_pages(session: SessionDep) -> list[sitemap.Page]:
    """Every indexable page of the site, each in both languages, with its last change."""
    terms = queries.all_terms(session=session)
    newest = max((term.updated for term in terms), default=None)

    def both(ja_path: str, lastmod: Any = None) -> sitemap.Page:
        return sitemap.Page.of(ja_path, urls.counterpart("ja", ja_path), lastmod)

    def latest(group: list[Term]) -> Any:
        return max(term.updated for term in group)

    pages = [both(urls.home("ja"), newest)]
    pages += [both(urls.term("ja", term.id), term.updated) for term in terms]
    for tag in queries.all_tags(session=session):
        tagged = [term for term in terms if tag.id in term.tags]
        if tagged:
            pages.append(both(urls.tag("ja", tag.id), latest(tagged)))
    for slug, _, group in gojuon_groups(terms):
        pages.append(both(urls.row("ja", slug), latest(group)))
    for initial, group in letter_groups(terms):
        pages.append(both(urls.letter("ja", urls.letter_slug(initial)), latest(group)))
    pages.append(both(urls.demo("ja")))
    return pages


def _xml(body: bytes, media_type: str = "application/xml") -> Response:
    return Response(body, media_type=media_type, headers={"Cache-Control": XML_CACHE})


@router.file("/sitemap.xml")
def sitemap_xml(settings: SettingsDep, session: SessionDep) -> Response:
    """Every page in both languages with hreflang alternates (an index past 50,000 URLs)."""
    pages = site_pages(session)
    if sitemap.needs_index(pages):
        return _xml(sitemap.sitemap_index(pages, base_url=settings.base_url, path=SITEMAP_FILE))
    return _xml(sitemap.urlset(pages, base_url=settings.base_url))


@router.file("/sitemap-{number}.xml")
def sitemap_part(page: PageDep, number: int, session: SessionDep) -> Response:
    """One numbered file of a sitemap index."""
    pages = sitemap.chunk(site_pages(session), number)
    if not pages:
        return page.error(404, f"no sitemap {number}")
    return _xml(sitemap.urlset(pages, base_url=page.base_url))


@bilingual.file("/feed.xml")
def atom_feed(page: PageDep, session: SessionDep) -> Response:
    """The Atom feed of recently updated terms, in the language of the path."""
    lang, name = page.lang, page.site_name
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    entries = [
        feed.Entry(
            id=page.absolute(urls.term(lang, term.id)),
            title=term.title_ja if lang == "ja" else term.title_en,
            url=page.absolute(urls.term(lang, term.id)),
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
        subtitle=page.site.description(lang),
        self_url=page.absolute(urls.feed(lang)),
        home_url=page.absolute(urls.home(lang)),
        author=name,
        icon=page.absolute("/apple-touch-icon.png"),
        entries=feed.recent(entries),
    )
    return _xml(feed.atom(document), "application/atom+xml")
