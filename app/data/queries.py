"""Data functions shared by pages and the API: each takes a session; rows become public
shapes in app/data/terms.py."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.data import terms
from app.data.terms import term_urls as term_urls  # re-exported: callers use queries.term_urls
from app.models import Meta, Relation, RelationPublic, Tag, Term, TermPublic, TermSummary
from app.text.i18n import Lang


def get_term(*, session: Session, term_id: str, base_url: str) -> TermPublic | None:
    """The whole term with its relations, or None."""
    term = session.get(Term, term_id)
    if term is None:
        return None
    relations = session.exec(
        select(Relation).where(Relation.term_id == term_id).order_by(col(Relation.pk))
    ).all()
    return terms.term_public(term, relations, base_url=base_url)


def find_term_id(*, session: Session, name: str) -> str | None:
    """The id of the term whose title (or, failing that, alias) is exactly name."""
    by_title = session.exec(
        select(Term.id).where(or_(col(Term.title_ja) == name, col(Term.title_en) == name)).limit(1)
    ).first()
    if by_title is not None:
        return by_title
    # Aliases are few per term; a JSON scan is fine for a redirect that happens once per link.
    for term_id, aliases in session.exec(select(Term.id, Term.aliases)).all():
        if name in aliases:
            return term_id
    return None


def titles(*, session: Session, ids: Sequence[str]) -> dict[str, Term]:
    """The terms named by ids, for labelling links."""
    if not ids:
        return {}
    rows = session.exec(select(Term).where(col(Term.id).in_(set(ids)))).all()
    return {term.id: term for term in rows}


def all_terms(*, session: Session) -> list[Term]:
    """Every term in 五十音 order of its reading."""
    return list(session.exec(select(Term).order_by(col(Term.sort_key))).all())


def terms_with_tag(*, session: Session, tag_id: str) -> list[Term]:
    return [term for term in all_terms(session=session) if tag_id in term.tags]


def all_tags(*, session: Session) -> list[Tag]:
    return list(session.exec(select(Tag).order_by(col(Tag.position))).all())


def data_version(*, session: Session) -> str:
    row = session.get(Meta, "data_hash")
    return row.value if row else ""


def count_terms(*, session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Term)).one())


def page_of_terms(
    *, session: Session, after: str | None, limit: int, base_url: str
) -> tuple[list[TermSummary], str | None]:
    """Terms in id order after the cursor's id; the next cursor or None at the end."""
    query = select(Term).order_by(col(Term.id)).limit(limit + 1)
    if after is not None:
        query = query.where(col(Term.id) > after)
    rows = list(session.exec(query).all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].id) if more and rows else None
    return [terms.term_summary(term, base_url=base_url) for term in rows], next_cursor


def encode_cursor(term_id: str) -> str:
    return base64.urlsafe_b64encode(term_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    """The id a cursor stands for, or None when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        term_id = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        return term_id.decode("utf-8") or None
    except (ValueError, binascii.Error, UnicodeError):
        return None


def relation_title(relation: RelationPublic, target: Term | None, lang: Lang) -> str:
    """The label a relation shows in lang: its own, its English one, or its target's title."""
    if lang == "ja":
        return relation.label
    if relation.label_en:
        return relation.label_en
    return target.title_en if target else relation.label
