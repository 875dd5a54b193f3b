"""Images: Open Graph cards and the site's icons.

/og/{id}.png is a term's card in Japanese and /en/og/{id}.png in English (`bilingual`,
mounted at / and /en/); /og/_site.png is the site's card (home, index and search pages),
/og/_demo.png the demo's, /og/tags/{tag}.png a tag's. Names starting with "_" can never be
term ids. The icons are one per site (`router`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.responses import Response

from app import urls
from app.data import queries
from app.seo import og
from app.text.i18n import LANGS, Lang, translate
from app.web.deps import PageDep, SessionDep
from app.web.routing import PageRouter
from app.web.templates import Page

router = PageRouter()
bilingual = PageRouter()

IMAGE_CACHE = "public, max-age=86400, stale-while-revalidate=604800"

# Look for the Japanese font when the app is built, so a missing one is in the log at start.
og.find_fonts()


def _png(body: bytes) -> Response:
    return Response(body, media_type="image/png", headers={"Cache-Control": IMAGE_CACHE})


def _where(page: Page, path: str) -> str:
    """Where a page lives, for the foot of its card: host and path."""
    return urlsplit(page.base_url).netloc + path


def _other(lang: Lang) -> Lang:
    return next(other for other in LANGS if other != lang)


@bilingual.file("/og/_site.png")
def og_site(page: PageDep) -> Response:
    """The site's card: its name in both languages and its description."""
    lang = page.lang
    card = og.Card(
        lang=lang,
        site_name=page.site_name,
        title=page.site_name,
        subtitle=page.site.name(_other(lang)),
        note=page.site.description(lang),
        footer=_where(page, urls.home(lang)),
    )
    return _png(og.card_png(card))


@bilingual.file("/og/_demo.png")
def og_demo(page: PageDep) -> Response:
    """The backpropagation demo's card, with its network drawn."""
    lang = page.lang
    card = og.Card(
        lang=lang,
        site_name=page.site_name,
        title=translate(lang, "demo_title"),
        subtitle=translate(_other(lang), "demo_title"),
        footer=_where(page, urls.demo(lang)),
        diagram=True,
    )
    return _png(og.card_png(card))


@bilingual.file("/og/tags/{tag_id}.png")
def og_tag(page: PageDep, tag_id: str, session: SessionDep) -> Response:
    """A tag's card: its name in both languages and how many terms it has."""
    lang = page.lang
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    if tag_id not in tags:
        return page.error(404, f"no tag {tag_id!r}")
    tag = tags[tag_id]
    terms = queries.terms_with_tag(session=session, tag_id=tag_id)
    names = [term.title_ja if lang == "ja" else term.title_en for term in terms[:6]]
    joiner = "・" if lang == "ja" else " · "
    card = og.Card(
        lang=lang,
        site_name=page.site_name,
        title=getattr(tag, f"name_{lang}"),
        subtitle=getattr(tag, f"name_{_other(lang)}"),
        note=translate(lang, "term_count", n=len(terms)) + " — " + joiner.join(names),
        footer=_where(page, urls.tag(lang, tag_id)),
    )
    return _png(og.card_png(card))


@bilingual.file("/og/{term_id}.png")
def og_term(page: PageDep, term_id: str, session: SessionDep) -> Response:
    """A term's card: the term, its reading, its name in the other language, the site."""
    lang = page.lang
    term = queries.titles(session=session, ids=[term_id]).get(term_id)
    if term is None:
        return page.error(404, f"no term {term_id!r}")
    footer = _where(page, urls.term(lang, term.id))
    if lang == "ja":
        card = og.Card(
            lang=lang,
            site_name=page.site_name,
            title=term.title_ja,
            kicker=term.reading,
            subtitle=term.title_en,
            footer=footer,
        )
    else:
        card = og.Card(
            lang=lang,
            site_name=page.site_name,
            title=term.title_en,
            subtitle=term.title_ja,
            subtitle_note=term.reading,
            footer=footer,
        )
    return _png(og.card_png(card))


@router.file("/favicon.ico")
def favicon() -> Response:
    """The site's mark as an ICO (16, 32 and 48 px), for browsers that ask for it."""
    return Response(
        og.favicon_ico(), media_type="image/x-icon", headers={"Cache-Control": IMAGE_CACHE}
    )


@router.file("/apple-touch-icon.png")
def touch_icon() -> Response:
    """The site's mark, 180×180, for home screens."""
    return _png(og.touch_icon_png())
