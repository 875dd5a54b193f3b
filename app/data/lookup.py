"""Search over the database being served: the one path the search page, /api/v1/search and
/api/v1/suggest share. The ranking itself is app/search's."""

from __future__ import annotations

from sqlmodel import Session

from app import search
from app.data import queries
from app.data.db import raw_connection
from app.models import Term


def find_terms(*, session: Session, query: str, limit: int) -> list[tuple[search.Hit, Term]]:
    """Each hit for an already cleaned query with its term, best first (gone terms dropped)."""
    if not query:
        return []
    hits = search.search(raw_connection(session), query, limit=limit)
    terms = queries.titles(session=session, ids=[hit.term_id for hit in hits])
    return [(hit, terms[hit.term_id]) for hit in hits if hit.term_id in terms]
