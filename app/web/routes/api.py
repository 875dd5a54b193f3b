"""The JSON API (v1): terms, search, suggest; every error is problem+json."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field
from sqlmodel import Session

from app import search
from app.data import queries
from app.data.db import SessionDep, raw_connection
from app.models import LocalizedPublic, Term, TermPublic, TermsPublic
from app.web.errors import ProblemError, problem_responses

router = APIRouter(prefix="/api/v1", tags=["terms"])

MAX_QUERY = 200  # characters searched; the rest of a longer q is ignored
MAX_QUERY_PARAM = 10_000  # longer q is refused with a 422 naming query.q
SUGGEST_LIMIT = 10
TermId = Annotated[str, Path(max_length=200, examples=["backpropagation"])]


class SearchResult(BaseModel):
    id: str
    title: LocalizedPublic
    reading: str
    summary: LocalizedPublic
    score: float = Field(description="higher is better; exact > prefix > substring > fuzzy")
    matched: str = Field(description="the key that matched, as the glossary writes it")
    field: str = Field(description="title, english, reading, romaji, alias or synonym")
    kind: str = Field(description="exact, prefix, substring or fuzzy (one typo)")
    urls: LocalizedPublic


class SearchResults(BaseModel):
    query: str
    data: list[SearchResult]
    count: int


class Suggestion(BaseModel):
    id: str
    title: LocalizedPublic
    reading: str
    matched: str
    kind: str
    urls: LocalizedPublic


class Suggestions(BaseModel):
    query: str
    data: list[Suggestion] = Field(max_length=SUGGEST_LIMIT)
    count: int


@router.get("/terms", response_model=TermsPublic, responses=problem_responses(422))
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


@router.get("/terms/{term_id}", response_model=TermPublic, responses=problem_responses(404, 422))
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


SearchText = Annotated[
    str,
    Query(
        max_length=MAX_QUERY_PARAM,
        description="any script: kanji, kana, romaji, English; cut to 200 characters",
        examples=["ごさでんぱ"],
    ),
]


def _query(q: str) -> str:
    """The part of q that is searched: trimmed and cut to MAX_QUERY characters."""
    return q.strip()[:MAX_QUERY]


def _found(session: Session, hits: list[search.Hit]) -> list[tuple[search.Hit, Term]]:
    """Each hit with its term, in rank order (a hit whose term is gone is dropped)."""
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])
    return [(hit, terms[hit.term_id]) for hit in hits if hit.term_id in terms]


@router.get("/search", response_model=SearchResults, responses=problem_responses(414, 422))
def search_terms(
    request: Request,
    session: SessionDep,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT)] = 20,
) -> SearchResults:
    """Find terms by title, reading, romaji, English name, alias or synonym, best first."""
    query = _query(q)
    hits = search.search(raw_connection(session), query, limit=limit) if query else []
    base_url = request.app.state.settings.base_url
    data = [
        SearchResult(
            id=term.id,
            title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
            reading=term.reading,
            summary=LocalizedPublic(ja=term.summary_ja, en=term.summary_en),
            score=hit.score,
            matched=hit.matched,
            field=hit.field,
            kind=hit.kind,
            urls=queries.term_urls(term.id, base_url=base_url),
        )
        for hit, term in _found(session, hits)
    ]
    return SearchResults(query=query, data=data, count=len(data))


@router.get("/suggest", response_model=Suggestions, responses=problem_responses(414, 422))
def suggest_terms(request: Request, session: SessionDep, q: SearchText) -> Suggestions:
    """Autocomplete: at most 10 short entries, exact and prefix matches first."""
    query = _query(q)
    hits = search.suggest(raw_connection(session), query, limit=SUGGEST_LIMIT) if query else []
    base_url = request.app.state.settings.base_url
    data = [
        Suggestion(
            id=term.id,
            title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
            reading=term.reading,
            matched=hit.matched,
            kind=hit.kind,
            urls=queries.term_urls(term.id, base_url=base_url),
        )
        for hit, term in _found(session, hits)
    ]
    return Suggestions(query=query, data=data, count=len(data))
