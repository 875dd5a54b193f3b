"""An Atom feed (RFC 4287) of recently updated terms, one feed per language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from app.text.i18n import Lang

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 20


@dataclass(frozen=True)
class Entry:
    id: str  # the term's permanent URL in this language
    title: str
    url: str
    updated: dt.date
    summary: str
    categories: tuple[tuple[str, str], ...] = field(default=())  # (term, label)


@dataclass(frozen=True)
class Feed:
    lang: Lang
    title: str
    subtitle: str
    self_url: str
    home_url: str
    author: str
    icon: str
    entries: Sequence[Entry]


def timestamp(day: dt.date) -> str:
    """A date as an RFC 3339 timestamp: midnight UTC of that day."""
    return f"{day.isoformat()}T00:00:00Z"


def recent(entries: Sequence[Entry], size: int = FEED_SIZE) -> list[Entry]:
    """The most recently updated entries first (ties in the order given)."""
    return sorted(entries, key=lambda e: e.updated, reverse=True)[:size]


def atom(feed: Feed) -> bytes:
    """The feed as Atom XML."""
    updated = max((e.updated for e in feed.entries), default=dt.date(2000, 1, 1))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<feed xmlns="{ATOM_NS}" xml:lang="{feed.lang}">\n',
        f"<title>{escape(feed.title)}</title>\n",
        f"<subtitle>{escape(feed.subtitle)}</subtitle>\n",
        f"<id>{escape(feed.self_url)}</id>\n",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(feed.self_url)}/>\n',
        f'<link rel="alternate" type="text/html" href={quoteattr(feed.home_url)}/>\n',
        f"<updated>{timestamp(updated)}</updated>\n",
        f"<author><name>{escape(feed.author)}</name><uri>{escape(feed.home_url)}</uri></author>\n",
        f"<icon>{escape(feed.icon)}</icon>\n",
    ]
    for entry in feed.entries:
        categories = "".join(
            f"<category term={quoteattr(term)} label={quoteattr(label)}/>"
            for term, label in entry.categories
        )
        out.append(
            "<entry>"
            f"<title>{escape(entry.title)}</title>"
            f"<id>{escape(entry.id)}</id>"
            f'<link rel="alternate" type="text/html" href={quoteattr(entry.url)}/>'
            f"<updated>{timestamp(entry.updated)}</updated>"
            f'<summary type="text">{escape(entry.summary)}</summary>'
            f"{categories}"
            "</entry>\n"
        )
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")
