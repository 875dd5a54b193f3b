"""HTML pages in Japanese (/) and English (/en/): thin, over the shared query functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from app import search, urls
from app.data import queries
from app.data.db import SessionDep, raw_connection
from app.models import Term, TermPublic
from app.seo import jsonld
from app.seo.langtags import foreign
from app.seo.page import PageSeo, og_image_path
from app.text.i18n import Lang, translate
from app.text.kana import GOJUON_ROWS, OTHER_ROW, gojuon_row, latin_initial
from app.text.markdown import render, split_at_first_table
from app.web.templates import (
    jsonld_site,
    lang_of,
    page_head,
    render_error,
    render_page,
    sentence,
    site_name,
    templates,
)

router = APIRouter(include_in_schema=False)

SEARCH_LIMIT = 50
MAX_QUERY = 200
DESCRIPTION_NAMES = 8  # terms named in a list page's meta description

ROW_NAMES = dict((*GOJUON_ROWS, OTHER_ROW))
OTHER_LETTER = "other"  # the slug of titles that start with no letter A–Z ('#')


def _both(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one handler for the Japanese path and its /en twin."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        en_path = "/en/" if path == "/" else f"/en{path}"
        # HEAD too: crawlers and link checkers ask it first.
        options: dict[str, Any] = {"response_class": HTMLResponse, "methods": ["GET", "HEAD"]}
        router.api_route(path, **options)(handler)
        router.api_route(en_path, name=f"{handler.__name__}_en", **options)(handler)
        return handler

    return register


# ── Index groups (the home page, the 五十音 and A–Z pages, the sitemap) ───────────────────────


def letter_slug(initial: str) -> str:
    """The URL slug of an A–Z initial: 'B' → 'b', '#' → 'other'."""
    return OTHER_LETTER if initial == "#" else initial.lower()


def letter_name(slug: str) -> str:
    return "#" if slug == OTHER_LETTER else slug.upper()


def gojuon_groups(terms: Iterable[Term]) -> list[tuple[str, str, list[Term]]]:
    """(slug, name, terms) of each 五十音 row that has terms, in row order."""
    rows: dict[str, list[Term]] = {slug: [] for slug in ROW_NAMES}
    for term in terms:
        rows[gojuon_row(term.reading)[0]].append(term)
    return [(slug, ROW_NAMES[slug], rows[slug]) for slug in ROW_NAMES if rows[slug]]


def letter_groups(terms: Iterable[Term]) -> list[tuple[str, list[Term]]]:
    """(initial, terms) by the first letter of the English title, A–Z then '#'."""
    letters: dict[str, list[Term]] = {}
    for term in sorted(terms, key=lambda t: t.title_en.casefold()):
        letters.setdefault(latin_initial(term.title_en), []).append(term)
    return sorted(letters.items())


def row_path(lang: Lang, slug: str) -> str:
    return f"{urls.prefix(lang)}/index/{slug}"


def letter_path(lang: Lang, slug: str) -> str:
    return f"{urls.prefix(lang)}/index/az/{slug}"


templates.env.globals.update(
    row_path=row_path, letter_path=letter_path, letter_slug=letter_slug, site_name=site_name
)


def _refs(request: Request, lang: Lang, terms: Sequence[Term]) -> list[jsonld.TermRef]:
    base_url = request.app.state.settings.base_url
    return [
        jsonld.TermRef(
            id=term.id,
            name=term.title_ja if lang == "ja" else term.title_en,
            url=base_url + urls.term(lang, term.id),
        )
        for term in terms
    ]


def _list_description(lang: Lang, heading: str, terms: Sequence[Term]) -> str:
    names = [term.title_ja if lang == "ja" else term.title_en for term in terms]
    shown = names[:DESCRIPTION_NAMES] + (["…"] if len(names) > DESCRIPTION_NAMES else [])
    joiner = "、" if lang == "ja" else ", "
    return translate(
        lang, "list_description", heading=heading, n=len(terms), names=joiner.join(shown)
    )


def _list_page(
    request: Request,
    session: SessionDep,
    *,
    lang: Lang,
    heading: str,
    title: str,
    terms: Sequence[Term],
    template: str = "list.html",
    **context: Any,
) -> Response:
    """A page that lists terms (a tag, a 五十音 row, a letter), with its head and JSON-LD."""
    base_url = request.app.state.settings.base_url
    site = queries.site_info(session=session)
    url = base_url + request.url.path
    description = _list_description(lang, title, terms)
    data = jsonld.collection_page(
        site=jsonld_site(request, site, lang),
        url=url,
        name=title,
        description=description,
        terms=_refs(request, lang, terms),
        crumbs=[
            jsonld.Crumb(translate(lang, "home"), base_url + urls.home(lang)),
            jsonld.Crumb(title, url),
        ],
    )
    image = context.pop("image", "_site")
    image_alt = context.pop("image_alt", translate(lang, "og_site_alt", site=site_name(site, lang)))
    return render_page(
        request,
        template,
        lang,
        site=site,
        seo=page_head(request, lang, image=image, image_alt=image_alt, data=data),
        heading=heading,
        page_title=title,
        description=description,
        terms=terms,
        **context,
    )


# ── Pages ──────────────────────────────────────────────────────────────────────────────────


@_both("/")
def index(request: Request, session: SessionDep) -> Response:
    """The index: every term by 五十音 row and by A–Z, and the tags."""
    lang = lang_of(request)
    terms = queries.all_terms(session=session)
    site = queries.site_info(session=session)
    data = jsonld.index_page(
        site=jsonld_site(request, site, lang), terms=_refs(request, lang, terms)
    )
    name = site_name(site, lang)
    return render_page(
        request,
        "index.html",
        lang,
        site=site,
        seo=page_head(
            request,
            lang,
            image="_site",
            image_alt=translate(lang, "og_site_alt", site=name),
            data=data,
        ),
        gojuon=gojuon_groups(terms),
        letters=letter_groups(terms),
        tags=queries.all_tags(session=session),
        tag_counts=_tag_counts(terms),
        count=len(terms),
    )


def _tag_counts(terms: list[Term]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for term in terms:
        for tag in term.tags:
            counts[tag] = counts.get(tag, 0) + 1
    return counts


@_both("/index/{row}")
def row_page(request: Request, row: str, session: SessionDep) -> Response:
    """The terms of one 五十音 row (か行: /index/ka), in 五十音 order."""
    lang = lang_of(request)
    groups = {
        slug: (name, terms)
        for slug, name, terms in gojuon_groups(queries.all_terms(session=session))
    }
    if row not in groups:
        return render_error(request, status=404, detail=f"no 五十音 row {row!r}")
    name, terms = groups[row]
    key = "row_other_heading" if row == OTHER_ROW[0] else "row_heading"
    romaji = row
    return _list_page(
        request,
        session,
        lang=lang,
        heading=sentence(lang, key, row=foreign(name, lang), romaji=romaji),
        title=translate(lang, key, row=name, romaji=romaji),
        terms=terms,
        nav=[(slug, ROW_NAMES[slug], row_path(lang, slug)) for slug in groups],
        nav_label=translate(lang, "gojuon"),
        current=row,
    )


@_both("/index/az/{letter}")
def letter_page(request: Request, letter: str, session: SessionDep) -> Response:
    """The terms whose English name starts with one letter (/index/az/b), A–Z order."""
    lang = lang_of(request)
    groups = {
        letter_slug(initial): terms
        for initial, terms in letter_groups(queries.all_terms(session=session))
    }
    if letter not in groups:
        return render_error(request, status=404, detail=f"no letter {letter!r}")
    key = "letter_other_heading" if letter == OTHER_LETTER else "letter_heading"
    title = translate(lang, key, letter=letter_name(letter))
    return _list_page(
        request,
        session,
        lang=lang,
        heading=Markup(escape(title)),
        title=title,
        terms=groups[letter],
        order="en",
        nav=[(slug, letter_name(slug), letter_path(lang, slug)) for slug in groups],
        nav_label=translate(lang, "alphabetical"),
        current=letter,
    )


@_both("/terms/{term_id}")
def term_page(request: Request, term_id: str, session: SessionDep) -> Response:
    """A term page; a title or alias in the URL redirects to the id."""
    lang = lang_of(request)
    base_url = request.app.state.settings.base_url
    term = queries.get_term(session=session, term_id=term_id, base_url=base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=term_id)
        if found is None:
            return render_error(request, status=404, detail=f"no term {term_id!r}")
        return RedirectResponse(urls.term(lang, found), status_code=301)
    site = queries.site_info(session=session)
    context = _term_context(session, term, lang)
    return render_page(
        request,
        "term.html",
        lang,
        site=site,
        seo=_term_seo(request, lang, term, site, context["tag_names"]),
        **context,
    )


def _term_seo(
    request: Request, lang: Lang, term: TermPublic, site: Any, tag_names: dict[str, Any]
) -> PageSeo:
    base_url = request.app.state.settings.base_url
    url = base_url + urls.term(lang, term.id)
    name = term.title.ja if lang == "ja" else (term.title.en or term.title.ja)
    other = term.title.en if lang == "ja" else term.title.ja
    summary = term.summary.ja if lang == "ja" else (term.summary.en or term.summary.ja)
    crumbs = [jsonld.Crumb(translate(lang, "home"), base_url + urls.home(lang))]
    if term.tags:
        tag = tag_names.get(term.tags[0])
        label = getattr(tag, f"name_{lang}") if tag else term.tags[0]
        crumbs.append(jsonld.Crumb(label, base_url + urls.tag(lang, term.tags[0])))
    crumbs.append(jsonld.Crumb(name, url))
    synonyms = [label for rel in term.synonyms for label in (rel.label, rel.label_en) if label]
    image = og_image_path(lang, term.id)
    data = jsonld.term_page(
        site=jsonld_site(request, site, lang),
        url=url,
        term_id=term.id,
        name=name,
        description=summary,
        alternate_names=[other or "", *term.aliases, *synonyms],
        updated=term.updated,
        crumbs=crumbs,
        image=base_url + image,
    )
    alt = translate(
        lang,
        "og_term_alt",
        title=name,
        reading=term.reading,
        other=other or "",
        site=site_name(site, lang),
    )
    return page_head(request, lang, image=term.id, image_alt=alt, data=data, og_type="article")


LIVE_EXAMPLE_TERM = "backpropagation"


def _term_context(session: SessionDep, term: TermPublic, lang: Lang) -> dict[str, Any]:
    relations = [*term.synonyms, *term.antonyms, *term.collocations, *term.related]
    targets = queries.titles(session=session, ids=[r.ref for r in relations if r.ref])
    body_text = None
    if term.body is not None:
        body_text = term.body.en if lang == "en" and term.body.en else term.body.ja
    article = render(body_text) if body_text else None
    # The backpropagation article's worked example is recomputed by the engine, in place of
    # the article's own table (which API clients still get in the body).
    live_example = None
    if term.id == LIVE_EXAMPLE_TERM and article is not None:
        live_example = split_at_first_table(article.html)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    senses = {sense.id: sense for sense in term.senses}
    groups = []
    for kind in ("synonyms", "antonyms", "collocations", "related"):
        items = getattr(term, kind)
        if items:
            groups.append((kind, _by_sense(items, senses, lang)))
    return {
        "term": term,
        "article": article,
        "live_example": live_example,
        "article_untranslated": lang == "en" and term.body is not None and not term.body.en,
        "groups": groups,
        "targets": targets,
        "tag_names": tags,
        "relation_title": queries.relation_title,
    }


def _by_sense(
    items: list[Any], senses: dict[str, Any], lang: Lang
) -> list[tuple[str | None, list[Any]]]:
    """Relations grouped by sense in the order senses are declared; ungrouped ones first."""
    if not senses or not any(item.sense for item in items):
        return [(None, items)]
    groups: list[tuple[str | None, list[Any]]] = []
    for sense_id, sense in senses.items():
        chosen = [item for item in items if item.sense == sense_id]
        if chosen:
            groups.append((getattr(sense.title, lang) or sense.title.ja, chosen))
    rest = [item for item in items if item.sense not in senses]
    if rest:
        groups.append((translate(lang, "other_sense"), rest))
    return groups


@_both("/tags/{tag_id}")
def tag_page(request: Request, tag_id: str, session: SessionDep) -> Response:
    """Every term with one tag."""
    lang = lang_of(request)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    terms = queries.terms_with_tag(session=session, tag_id=tag_id)
    if tag_id not in tags and not terms:
        return render_error(request, status=404, detail=f"no tag {tag_id!r}")
    tag = tags.get(tag_id)
    name = getattr(tag, f"name_{lang}") if tag else tag_id
    title = translate(lang, "tag_heading", tag=name)
    return _list_page(
        request,
        session,
        lang=lang,
        heading=Markup(escape(title)),
        title=title,
        terms=terms,
        template="tag.html",
        tag=tag,
        tag_id=tag_id,
        tag_name=name,
        image=f"tags/{tag_id}",
        image_alt=translate(lang, "og_tag_alt", tag=name, n=len(terms)),
    )


@_both("/search")
def search_page(request: Request, session: SessionDep, q: str = Query("")) -> Response:
    """Search results that work without JavaScript; any q gets a page, never an error."""
    lang = lang_of(request)
    # Control characters can neither match nor be shown; a long query is cut, and says so.
    typed = "".join(c for c in q if not ("\x00" <= c < " " or "\x7f" <= c <= "\x9f")).strip()
    query = typed[:MAX_QUERY]
    hits = search.search(raw_connection(session), query, limit=SEARCH_LIMIT) if query else []
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])

    def explained(hit: search.Hit) -> dict[str, Any]:
        """The hit worded for people, split around the matched key so it gets its own lang."""
        field = translate(lang, f"field_{hit.field}")
        sentence = translate(lang, f"search_match_{hit.kind}", field=field, text="\x00")
        before, _, after = sentence.partition("\x00")
        if hit.field == "romaji":
            key_lang = "ja-Latn"
        else:
            key_lang = "en" if hit.field == "english" or hit.matched.isascii() else "ja"
        return {"before": before, "after": after, "key": hit.matched, "lang": key_lang}

    results = [(hit, terms[hit.term_id], explained(hit)) for hit in hits if hit.term_id in terms]
    site = queries.site_info(session=session)
    base_url = request.app.state.settings.base_url
    canonical_query = urlencode({"q": query}) if query else ""
    url = base_url + request.url.path + (f"?{canonical_query}" if query else "")
    name = translate(lang, "search_results_for", q=query) if query else translate(lang, "search")
    if query:
        description = f"{name} — {translate(lang, 'search_count', n=len(results))}"
    else:
        description = translate(lang, "search_description", site=site_name(site, lang))
    data = jsonld.web_page(
        site=jsonld_site(request, site, lang),
        url=url,
        name=name,
        description=description,
        kind="SearchResultsPage" if query else "WebPage",
    )
    return render_page(
        request,
        "search.html",
        lang,
        site=site,
        # Result lists are thin and endless: not for the index (robots may still follow them).
        seo=page_head(
            request,
            lang,
            image="_site",
            image_alt=translate(lang, "og_site_alt", site=site_name(site, lang)),
            data=data,
            query=canonical_query,
            indexable=not query,
        ),
        description=description,
        query=query,
        truncated=len(typed) > MAX_QUERY,
        max_query=MAX_QUERY,
        results=results,
    )
