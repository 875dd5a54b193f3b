"""The JSON API (v1): terms, search, suggest and the backprop engine; every error is
problem+json naming the field at fault ("query.limit", "body.layers[0].weights")."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from app import search, urls
from app.backprop import (
    BackpropInputError,
    BackpropOverflowError,
    LayerSpec,
    article_example,
    train,
)
from app.data import lookup, queries
from app.data.terms import term_urls
from app.models import LocalizedPublic, TermPublic, TermsPublic
from app.web.backprop_schemas import ArticleOut, ArticleQuery, BackpropIn, BackpropOut
from app.web.compute import ARTICLE_PARAMETERS, ComputeDep, parameters, passes
from app.web.deps import SessionDep, SettingsDep
from app.web.errors import ProblemError, problem_responses
from app.web.schemas import (
    SUGGEST_LIMIT,
    SearchResult,
    SearchResults,
    Suggestion,
    Suggestions,
)

router = APIRouter(prefix=urls.API)

TermId = Annotated[str, Path(max_length=200, examples=["backpropagation"])]
SearchText = Annotated[
    str,
    Query(
        max_length=search.MAX_QUERY_PARAM,
        description=f"kanji, kana, romaji or English; cut to {search.MAX_QUERY} characters",
        examples=["ごさでんぱ"],
    ),
]
BACKPROP_CACHE: Final = "public, max-age=3600"  # a GET's answer depends on its URL alone


# ── Terms ──────────────────────────────────────────────────────────────────────────────────


@router.get("/terms", response_model=TermsPublic, responses=problem_responses(422), tags=["terms"])
def list_terms(
    settings: SettingsDep,
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
    base_url = settings.base_url
    data, next_cursor = queries.page_of_terms(
        session=session, after=after, limit=limit, base_url=base_url
    )
    next_url = None
    if next_cursor is not None:
        next_url = f"{base_url}{urls.API}/terms?limit={limit}&cursor={next_cursor}"
    return TermsPublic(data=data, next=next_url, count=queries.count_terms(session=session))


@router.get(
    "/terms/{term_id}",
    response_model=TermPublic,
    responses=problem_responses(404, 422),
    tags=["terms"],
)
def read_term(settings: SettingsDep, term_id: TermId, session: SessionDep) -> TermPublic:
    """One term with its article, relations and URLs."""
    term = queries.get_term(session=session, term_id=term_id, base_url=settings.base_url)
    if term is None:
        raise ProblemError(
            404,
            f"no term with id {term_id!r}",
            errors=[{"field": "path.term_id", "message": "no such term"}],
        )
    return term


@router.get(
    "/search", response_model=SearchResults, responses=problem_responses(414, 422), tags=["terms"]
)
def search_terms(
    settings: SettingsDep,
    session: SessionDep,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT)] = 20,
) -> SearchResults:
    """Find terms by title, reading, romaji, English name, alias or synonym, best first."""
    query = search.clean_query(q).text
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
            urls=term_urls(term.id, base_url=settings.base_url),
        )
        for hit, term in lookup.find_terms(session=session, query=query, limit=limit)
    ]
    return SearchResults(query=query, data=data, count=len(data))


@router.get(
    "/suggest", response_model=Suggestions, responses=problem_responses(414, 422), tags=["terms"]
)
def suggest_terms(settings: SettingsDep, session: SessionDep, q: SearchText) -> Suggestions:
    """Autocomplete: at most 10 short entries, exact and prefix matches first."""
    query = search.clean_query(q).text
    data = [
        Suggestion(
            id=term.id,
            title=LocalizedPublic(ja=term.title_ja, en=term.title_en),
            reading=term.reading,
            matched=hit.matched,
            kind=hit.kind,
            urls=term_urls(term.id, base_url=settings.base_url),
        )
        for hit, term in lookup.find_terms(session=session, query=query, limit=SUGGEST_LIMIT)
    ]
    return Suggestions(query=query, data=data, count=len(data))


# ── Backprop ───────────────────────────────────────────────────────────────────────────────


def _problem(error: BackpropInputError | BackpropOverflowError, where: str) -> ProblemError:
    """The engine's error as a 422 problem; `where` is "body" or "query"."""
    if isinstance(error, BackpropOverflowError):
        return ProblemError(422, f"the computation overflowed: {error.message}", title="Overflow")
    field = f"{where}.{error.field}"
    return ProblemError(
        422,
        f"invalid value for {field}",
        title="Invalid request",
        errors=[{"field": field, "message": error.message, "type": error.code}],
    )


@router.post(
    "/backprop",
    response_model=BackpropOut,
    responses=problem_responses(400, 413, 422, 503),
    tags=["backprop"],
)
async def backprop(body: BackpropIn, compute: ComputeDep) -> Response:
    """Train a small network and walk through the chain rule, step by step. A large network or
    many steps needs a computation slot: when all are busy, 503 with Retry-After."""
    layers = [LayerSpec(layer.weights, layer.bias, layer.activation) for layer in body.layers]
    trained = partial(
        train,
        x=body.x,
        t=body.t,
        layers=layers,
        loss=body.loss,
        learning_rate=body.learning_rate,
        steps=body.steps,
        update_bias=body.update_bias,
    )
    cost = passes(parameters=parameters([(s.weights, s.bias) for s in layers]), steps=body.steps)
    try:
        # The JSON is encoded where the engine ran: up to 200 kB of numbers, off the event loop.
        return await compute.run(lambda: JSONResponse(trained()), cost=cost)
    except (BackpropInputError, BackpropOverflowError) as error:
        raise _problem(error, "body") from None


@router.get(
    "/backprop",
    response_model=ArticleOut,
    responses=problem_responses(414, 422, 503),
    tags=["backprop"],
)
async def backprop_article(
    query: Annotated[ArticleQuery, Query()], compute: ComputeDep
) -> Response:
    """The article's two-layer example; with no parameters, its default values. Over 100 steps
    it needs a computation slot: when all are busy, 503 with Retry-After."""
    example = partial(article_example, **query.model_dump())
    cost = passes(parameters=ARTICLE_PARAMETERS, steps=query.steps)
    try:
        # Up to 100 steps the engine runs on the event loop (compute.INLINE_PASSES); longer
        # runs take a slot and a thread of their own.
        return await compute.run(
            lambda: JSONResponse(example(), headers={"Cache-Control": BACKPROP_CACHE}), cost=cost
        )
    except (BackpropInputError, BackpropOverflowError) as error:
        raise _problem(error, "query") from None
