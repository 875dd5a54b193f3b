"""HTML pages in Japanese (/) and English (/en/): thin, over the shared query functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from app import queries, search, urls
from app.db import SessionDep, raw_connection
from app.i18n import Lang, date_label, translate
from app.kana import GOJUON_ROWS, OTHER_ROW, gojuon_row, latin_initial
from app.markdown import render
from app.models import Term, TermPublic
from app.settings import TEMPLATES_DIR

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals.update(urls=urls, t=translate, date_label=date_label)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

router = APIRouter(include_in_schema=False)

SEARCH_LIMIT = 50
MAX_QUERY = 200


def _page(
    request: Request, name: str, lang: Lang, status: int = 200, **context: Any
) -> HTMLResponse:
    session_site = context.pop("site", None)
    context.update(
        lang=lang,
        site=session_site,
        path=request.url.path,
        query_string=request.url.query,
        base_url=request.app.state.settings.base_url,
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error(
    request: Request, *, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """The error page in the site's style, in the language of the path asked for."""
    lang: Lang = "en" if request.url.path.startswith("/en/") else "ja"
    response = _page(request, "error.html", lang, status=status, status_code=status, detail=detail)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _both(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one handler for the Japanese path and its /en twin."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        en_path = "/en/" if path == "/" else f"/en{path}"
        router.get(path, response_class=HTMLResponse)(handler)
        router.get(en_path, response_class=HTMLResponse, name=f"{handler.__name__}_en")(handler)
        return handler

    return register


def _lang(request: Request) -> Lang:
    return "en" if request.url.path.startswith("/en/") else "ja"


@_both("/")
def index(request: Request, session: SessionDep) -> Response:
    """The index: every term by 五十音 row and by A–Z, and the tags."""
    lang = _lang(request)
    terms = queries.all_terms(session=session)
    rows: dict[str, list[Term]] = {slug: [] for slug, _ in (*GOJUON_ROWS, OTHER_ROW)}
    for term in terms:
        rows[gojuon_row(term.reading)[0]].append(term)
    letters: dict[str, list[Term]] = {}
    for term in sorted(terms, key=lambda t: t.title_en.casefold()):
        letters.setdefault(latin_initial(term.title_en), []).append(term)
    names = dict((*GOJUON_ROWS, OTHER_ROW))
    return _page(
        request,
        "index.html",
        lang,
        site=queries.site_info(session=session),
        gojuon=[(slug, names[slug], rows[slug]) for slug in names if rows[slug]],
        letters=sorted(letters.items()),
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


@_both("/terms/{term_id}")
def term_page(request: Request, term_id: str, session: SessionDep) -> Response:
    """A term page; a title or alias in the URL redirects to the id."""
    lang = _lang(request)
    base_url = request.app.state.settings.base_url
    term = queries.get_term(session=session, term_id=term_id, base_url=base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=term_id)
        if found is None:
            return render_error(request, status=404, detail=f"no term {term_id!r}")
        return RedirectResponse(urls.term(lang, found), status_code=301)
    return _page(
        request,
        "term.html",
        lang,
        site=queries.site_info(session=session),
        **_term_context(session, term, lang),
    )


def _term_context(session: SessionDep, term: TermPublic, lang: Lang) -> dict[str, Any]:
    relations = [*term.synonyms, *term.antonyms, *term.collocations, *term.related]
    targets = queries.titles(session=session, ids=[r.ref for r in relations if r.ref])
    body_text = None
    if term.body is not None:
        body_text = term.body.en if lang == "en" and term.body.en else term.body.ja
    article = render(body_text) if body_text else None
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
    lang = _lang(request)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    terms = queries.terms_with_tag(session=session, tag_id=tag_id)
    if tag_id not in tags and not terms:
        return render_error(request, status=404, detail=f"no tag {tag_id!r}")
    return _page(
        request,
        "tag.html",
        lang,
        site=queries.site_info(session=session),
        tag=tags.get(tag_id),
        tag_id=tag_id,
        terms=terms,
    )


@_both("/search")
def search_page(
    request: Request, session: SessionDep, q: str = Query("", max_length=10_000)
) -> Response:
    """Search results that work without JavaScript."""
    lang = _lang(request)
    query = q.strip()[:MAX_QUERY]
    hits = search.search(raw_connection(session), query, limit=SEARCH_LIMIT) if query else []
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])
    results = [(hit, terms[hit.term_id]) for hit in hits if hit.term_id in terms]
    return _page(
        request,
        "search.html",
        lang,
        site=queries.site_info(session=session),
        query=query,
        results=results,
    )
