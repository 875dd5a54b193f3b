"""The term page (/terms/{id}, /en/terms/{id}): the article, its relations, its head.

Bilingual: mounted at / and /en/. A title or alias in the URL redirects to the id. The
backpropagation article's worked example is the engine's, passed in as `example`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import RedirectResponse, Response

from app import urls
from app.data import queries
from app.glossary.schema import RELATION_KINDS
from app.models import RelationPublic, TermPublic
from app.seo import jsonld
from app.seo.page import PageSeo
from app.text.i18n import Lang, translate
from app.text.markdown import render, split_at_first_table
from app.web import embeds
from app.web.demo_view import DEMO_TERM, article_table
from app.web.deps import PageDep, SessionDep
from app.web.routing import PageRouter
from app.web.templates import Page

router = PageRouter()


@router.page("/terms/{term_id}")
def term_page(page: PageDep, term_id: str, session: SessionDep) -> Response:
    """A term page; a title or alias in the URL redirects to the id."""
    term = queries.get_term(session=session, term_id=term_id, base_url=page.base_url)
    if term is None:
        found = queries.find_term_id(session=session, name=term_id)
        if found is None:
            return page.error(404, f"no term {term_id!r}")
        return RedirectResponse(urls.term(page.lang, found), status_code=301)
    tags = {tag.id: tag for tag in queries.all_tags(session=session)}
    body = None
    if term.body is not None:
        body = term.body.en if page.lang == "en" and term.body.en else term.body.ja
    article = render(body) if body else None
    live = term.id == DEMO_TERM and article is not None
    relations = [rel for kind in RELATION_KINDS for rel in getattr(term, kind)]
    return page.render(
        "term.html",
        head=_head(page, term, tags),
        term=term,
        article=article,
        # The article's own table is replaced by the engine's (API clients still get it).
        live_example=split_at_first_table(article.html) if live and article else None,
        example=article_table() if live else None,
        article_untranslated=page.lang == "en" and term.body is not None and not term.body.en,
        groups=[
            (kind, _by_sense(getattr(term, kind), term, page.lang))
            for kind in RELATION_KINDS
            if getattr(term, kind)
        ],
        targets=queries.titles(session=session, ids=[rel.ref for rel in relations if rel.ref]),
        tag_names=tags,
        relation_title=queries.relation_title,
        embed=embeds.term_panel(page.base_url, page.lang, page.site_name, term),
    )


def _head(page: Page, term: TermPublic, tags: dict[str, Any]) -> PageSeo:
    lang = page.lang
    url = page.absolute(urls.term(lang, term.id))
    name = term.title.ja if lang == "ja" else (term.title.en or term.title.ja)
    other = term.title.en if lang == "ja" else term.title.ja
    summary = term.summary.ja if lang == "ja" else (term.summary.en or term.summary.ja)
    crumbs = [jsonld.Crumb(translate(lang, "home"), page.absolute(urls.home(lang)))]
    if term.tags:
        tag = tags.get(term.tags[0])
        label = getattr(tag, f"name_{lang}") if tag else term.tags[0]
        crumbs.append(jsonld.Crumb(label, page.absolute(urls.tag(lang, term.tags[0]))))
    crumbs.append(jsonld.Crumb(name, url))
    synonyms = [label for rel in term.synonyms for label in (rel.label, rel.label_en) if label]
    data = jsonld.term_page(
        site=page.site_ld(),
        url=url,
        term_id=term.id,
        name=name,
        description=summary,
        alternate_names=[other or "", *term.aliases, *synonyms],
        updated=term.updated,
        crumbs=crumbs,
        image=page.absolute(urls.og_image(lang, term.id)),
    )
    alt = translate(
        lang,
        "og_term_alt",
        title=name,
        reading=term.reading,
        other=other or "",
        site=page.site_name,
    )
    return page.head(image=term.id, image_alt=alt, data=data, og_type="article")


def _by_sense(
    items: list[RelationPublic], term: TermPublic, lang: Lang
) -> list[tuple[str | None, list[RelationPublic]]]:
    """Relations grouped by sense in the order senses are declared; ungrouped ones first."""
    senses = {sense.id: sense for sense in term.senses}
    if not senses or not any(item.sense for item in items):
        return [(None, items)]
    groups: list[tuple[str | None, list[RelationPublic]]] = []
    for sense_id, sense in senses.items():
        chosen = [item for item in items if item.sense == sense_id]
        if chosen:
            groups.append((getattr(sense.title, lang) or sense.title.ja, chosen))
    rest = [item for item in items if item.sense not in senses]
    if rest:
        groups.append((translate(lang, "other_sense"), rest))
    return groups
