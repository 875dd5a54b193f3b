"""The JSON API (v1): terms, search, suggest; every error is problem+json."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from app import queries, search
from app.db import SessionDep, raw_connection
from app.errors import ProblemError
from app.models import LocalizedPublic, TermPublic, TermsPublic

router = APIRouter(prefix="/api/v1", tags=["terms"])

MAX_QUERY = 200
TermId = Annotated[str, Path(max_length=200, examples=["backpropagation"])]


class SearchResult(BaseModel):
    id: str
    title: LocalizedPublic
    reading: str
    summary: LocalizedPublic
    score: float
    matched: str
    field: str
    kind: str
    url: str


class SearchResults(BaseModel):
    query: str
    data: list[SearchResult]
    count: int


class Suggestion(BaseModel):
    id: str
    title: LocalizedPublic
    reading: str
    url: str
    matched: str


class Suggestions(BaseModel):
    query: str
    data: list[Suggestion]


PROBLEM = {"description": "A problem (RFC 9457)", "content": {"application/problem+json": {}}}


@router.get("/terms", response_model=TermsPublic, responses={422: PROBLEM})
def list_terms(
    request: Request,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200, description="terms per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=400, description="from `next`")] = None,
) -> TermsPublic:
    """List terms in id order, a page at a time; follow `next` for the rest."""
    after = None
    if cursor is not None:
        after = queries.decode_cursor(cursor)
        if after is None:
            raise ProblemError(
                422,
                "cursor is not one this API returned",
                errors=[{"field": "query.cursor", "message": "invalid cursor"}],
            )
    base_url = request.app.state.settings.base_url
    data, next_cursor = queries.page_of_terms(
        session=session, after=after, limit=limit, base_url=base_url
    )
    next_url = None
    if next_cursor is not None:
        next_url = f"{base_url}/api/v1/terms?limit={limit}&cursor={next_cursor}"
    return TermsPublic(data=data, next=next_url, count=queries.count_terms(session=session))


@router.get("/terms/{term_id}", response_model=TermPublic, responses={404: PROBLEM})
def read_term(request: Request, term_id: TermId, session: SessionDep) -> TermPublic:
    """One term with its article, relations and URLs."""
    term = queries.get_term(
        session=session, term_id=term_id, base_url=request.app.state.settings.base_url
    )
    if term is None:
        raise ProblemError(
            404,
            f"no term with id {term_id!r}",
            errors=[{"field": "path.term_id", "message": "no such term"}],
        )
    return term


@router.get("/search", response_model=SearchResults, responses={422: PROBLEM})
def search_terms(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=10_000, description="any script", examples=["ごさでんぱ"])],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    """Find terms by title, reading, romaji, English name, alias or synonym."""
    query = q.strip()[:MAX_QUERY]
    hits = search.search(raw_connection(session), query, limit=limit) if query else []
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])
    base_url = request.app.state.settings.base_url
    data = [
        SearchResult(
            id=hit.term_id,
            title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
            reading=term.reading,
            summary=LocalizedPublic(ja=term.summary_ja, en=term.summary_en),
            score=hit.score,
            matched=hit.matched,
            field=hit.field,
            kind=hit.kind,
            url=queries.term_urls(term.id, base_url=base_url).ja,
        )
        for hit in hits
        if (term := terms.get(hit.term_id)) is not None
    ]
    return SearchResults(query=query, data=data, count=len(data))


@router.get("/suggest", response_model=Suggestions, responses={422: PROBLEM})
def suggest_terms(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=10_000, examples=["ご"])],
) -> Suggestions:
    """Autocomplete: at most 10 short entries, prefix matches first."""
    query = q.strip()[:MAX_QUERY]
    hits = search.suggest(raw_connection(session), query, limit=10) if query else []
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])
    base_url = request.app.state.settings.base_url
    data = [
        Suggestion(
            id=hit.term_id,
            title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
            reading=term.reading,
            url=queries.term_urls(term.id, base_url=base_url).ja,
            matched=hit.matched,
        )
        for hit in hits
        if (term := terms.get(hit.term_id)) is not None
    ]
    return Suggestions(query=query, data=data)
