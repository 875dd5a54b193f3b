"""The index pages (home, 五十音 rows, A–Z letters, tags) and the search results page.

Bilingual: mounted at / and /en/ (app/web/routing.py). Thin: the queries and the grouping
are app/data and app/text/kana.py; each handler declares its page head.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Query
from fastapi.responses import Response
from markupsafe import Markup, escape

from app import search, urls
from app.data import lookup, queries
from app.models import Term
from app.search import Hit
from app.seo import jsonld
from app.seo.langtags import foreign
from app.text.i18n import Lang, translate
from app.text.kana import OTHER_ROW, ROW_NAMES, gojuon_groups, letter_groups
from app.web.deps import PageDep, SessionDep
from app.web.routing import PageRouter
from app.web.templates import Page, sentence

router = PageRouter()

SEARCH_LIMIT = 50
DESCRIPTION_NAMES = 8  # terms named in a list page's meta description


def _name(term: Term, lang: Lang) -> str:
    return term.title_ja if lang == "ja" else term.title_en


def _refs(page: Page, terms: Sequence[Term]) -> list[jsonld.TermRef]:
    return [
        jsonld.TermRef(
            id=term.id,
            name=_name(term, page.lang),
            url=page.absolute(urls.term(page.lang, term.id)),
        )
        for term in terms
    ]


def _list_description(lang: Lang, heading: str, terms: Sequence[Term]) -> str:
    names = [_name(term, lang) for term in terms]
    shown = names[:DESCRIPTION_NAMES] + (["…"] if len(names) > DESCRIPTION_NAMES else [])
    joiner = "、" if lang == "ja" else ", "
    return translate(
        lang, "list_description", heading=heading, n=len(terms), names=joiner.join(shown)
    )


def _site_alt(page: Page) -> str:
    return translate(page.lang, "og_site_alt", site=page.site_name)


def _list_page(
    page: Page,
    *,
    heading: Markup,
    title: str,
    terms: Sequence[Term],
    template: str = "list.html",
    image: str = "_site",
    image_alt: str | None = None,
    **context: Any,
) -> Response:
    """A page that lists terms (a tag, a 五十音 row, a letter), with its head and JSON-LD."""
    description = _list_description(page.lang, title, terms)
    data = jsonld.collection_page(
        site=page.site_ld(),
        url=page.url,
        name=title,
        description=description,
        terms=_refs(page, terms),
        crumbs=[
            jsonld.Crumb(translate(page.lang, "home"), page.absolute(urls.home(page.lang))),
            jsonld.Crumb(title, page.url),
        ],
    )
    head = page.head(image=image, image_alt=image_alt or _site_alt(page), data=data)
    return page.render(
        template,
        head=head,
        heading=heading,
        page_title=title,
        description=description,
        terms=terms,
        **context,
    )


@router.page("/")
def index(page: PageDep, session: SessionDep) -> Response:
    """The index: every term by 五十音 row and by A–Z, and the tags."""
    terms = queries.all_terms(session=session)
    data = jsonld.index_page(site=page.site_ld(), terms=_refs(page, terms))
    return page.render(
        "index.html",
        head=page.head(image="_site", image_alt=_site_alt(page), data=data),
        gojuon=gojuon_groups(terms),
        letters=letter_groups(terms),
        tags=queries.all_tags(session=session),
        tag_counts=Counter(tag for term in terms for tag in term.tags),
        count=len(terms),
    )


@router.page("/index/{row}")
def row_page(page: PageDep, row: str, session: SessionDep) -> Response:
    """The terms of one 五十音 row (か行: /index/ka), in 五十音 order."""
    groups = {slug: terms for slug, _, terms in gojuon_groups(queries.all_terms(session=session))}
    if row not in groups:
        return page.error(404, f"no 五十音 row {row!r}")
    name = ROW_NAMES[row]
    key = "row_other_heading" if row == OTHER_ROW[0] else "row_heading"
    return _list_page(
        page,
        heading=sentence(page.lang, key, row=foreign(name, page.lang), romaji=row),
        title=translate(page.lang, key, row=name, romaji=row),
        terms=groups[row],
        nav=[(slug, ROW_NAMES[slug], urls.row(page.lang, slug)) for slug in groups],
        nav_label=translate(page.lang, "gojuon"),
        current=row,
    )


@router.page("/index/az/{letter}")
def letter_page(page: PageDep, letter: str, session: SessionDep) -> Response:
    """The terms whose English name starts with one letter (/index/az/b), A–Z order."""
    groups = {
        urls.letter_slug(initial): terms
        for initial, terms in letter_groups(queries.all_terms(session=session))
    }
    if letter not in groups:
        return page.error(404, f"no letter {letter!r}")
    key = "letter_other_heading" if letter == urls.OTHER_LETTER else "letter_heading"
    title = translate(page.lang, key, letter=urls.letter_name(letter))
    return _list_page(
        page,
        heading=Markup(escape(title)),
        title=title,
        terms=groups[letter],
        order="en",
        nav=[(slug, urls.letter_name(slug), urls.letter(page.lang, slug)) for slug in groups],
        nav_label=translate(page.lang, "alphabetical"),
        current=letter,
    )


@router.page("/tags/{tag_id}")
def tag_page(page: PageDep, tag_id: str, session: SessionDep) -> Response:
    """Every term with one tag."""
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    terms = queries.terms_with_tag(session=session, tag_id=tag_id)
    if tag_id not in tags and not terms:
        return page.error(404, f"no tag {tag_id!r}")
    tag = tags.get(tag_id)
    name = getattr(tag, f"name_{page.lang}") if tag else tag_id
    title = translate(page.lang, "tag_heading", tag=name)
    return _list_page(
        page,
        heading=Markup(escape(title)),
        title=title,
        terms=terms,
        template="tag.html",
        image=f"tags/{tag_id}",
        image_alt=translate(page.lang, "og_tag_alt", tag=name, n=len(terms)),
        tag=tag,
        tag_id=tag_id,
        tag_name=name,
    )


def _explained(lang: Lang, hit: Hit) -> dict[str, Any]:
    """A hit worded for people, split around the matched key so the key gets its own lang."""
    field = translate(lang, f"field_{hit.field}")
    text = translate(lang, f"search_match_{hit.kind}", field=field, text="\x00")
    before, _, after = text.partition("\x00")
    if hit.field == "romaji":
        key_lang = "ja-Latn"
    else:
        key_lang = "en" if hit.field == "english" or hit.matched.isascii() else "ja"
    return {"before": before, "after": after, "key": hit.matched, "lang": key_lang}


@router.page("/search")
def search_page(page: PageDep, session: SessionDep, q: str = Query("")) -> Response:
    """Search results that work without JavaScript; any q gets a page, never an error."""
    lang = page.lang
    query = search.clean_query(q)
    found = lookup.find_terms(session=session, query=query.text, limit=SEARCH_LIMIT)
    results = [(hit, term, _explained(lang, hit)) for hit, term in found]
    canonical_query = urlencode({"q": query.text}) if query.text else ""
    if query.text:
        name = translate(lang, "search_results_for", q=query.text)
        description = f"{name} — {translate(lang, 'search_count', n=len(results))}"
    else:
        name = translate(lang, "search")
        description = translate(lang, "search_description", site=page.site_name)
    data = jsonld.web_page(
        site=page.site_ld(),
        url=page.url + (f"?{canonical_query}" if canonical_query else ""),
        name=name,
        description=description,
        kind="SearchResultsPage" if query.text else "WebPage",
    )
    # Result lists are thin and endless: not for the index (robots may still follow them).
    head = page.head(
        image="_site",
        image_alt=_site_alt(page),
        data=data,
        query=canonical_query,
        indexable=not query.text,
    )
    return page.render(
        "search.html",
        head=head,
        description=description,
        query=query.text,
        truncated=query.truncated,
        max_query=search.MAX_QUERY,
        results=results,
    )
