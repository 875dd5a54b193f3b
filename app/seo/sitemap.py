"""sitemaps.org XML: every page in both languages, with hreflang alternates and lastmod.

One <url> per page and language; each lists the page in every language (xhtml:link, as Google
documents for localized versions). Past 50,000 URLs the site's sitemap becomes a sitemap index
of numbered files, as the protocol requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from app.seo.page import X_DEFAULT
from app.text.i18n import LANGS, Lang

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # per file, from the protocol


@dataclass(frozen=True)
class Page:
    """A page that exists in both languages: its path in each, and when it last changed."""

    paths: tuple[tuple[Lang, str], ...]  # (("ja", "/terms/x"), ("en", "/en/terms/x"))
    lastmod: dt.date | None = None

    @classmethod
    def of(cls, ja: str, en: str, lastmod: dt.date | None = None) -> Page:
        return cls((("ja", ja), ("en", en)), lastmod)


def pages_per_file(max_urls: int = MAX_URLS) -> int:
    return max(1, max_urls // len(LANGS))


def needs_index(pages: Sequence[Page], max_urls: int = MAX_URLS) -> bool:
    return len(pages) > pages_per_file(max_urls)


def urlset(pages: Sequence[Page], *, base_url: str) -> bytes:
    """A <urlset> with one <url> per page and language."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n',
    ]
    for page in pages:
        paths = dict(page.paths)
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base_url + path)}/>'
            for lang, path in page.paths
        )
        if X_DEFAULT in paths:
            href = quoteattr(base_url + paths[X_DEFAULT])
            links += f'<xhtml:link rel="alternate" hreflang="x-default" href={href}/>'
        lastmod = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
        for _, path in page.paths:
            out.append(f"<url><loc>{_escape(base_url + path)}</loc>{lastmod}{links}</url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


def chunk(pages: Sequence[Page], number: int, max_urls: int = MAX_URLS) -> Sequence[Page]:
    """The pages of sitemap file number (1-based); empty past the end."""
    size = pages_per_file(max_urls)
    return pages[(number - 1) * size : number * size] if number >= 1 else []


def sitemap_index(
    pages: Sequence[Page], *, base_url: str, path: str, max_urls: int = MAX_URLS
) -> bytes:
    """A <sitemapindex> of the numbered files (path has a {n} for the number)."""
    size = pages_per_file(max_urls)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n',
    ]
    for number, start in enumerate(range(0, len(pages), size), start=1):
        dates = [p.lastmod for p in pages[start : start + size] if p.lastmod]
        lastmod = f"<lastmod>{max(dates).isoformat()}</lastmod>" if dates else ""
        loc = _escape(base_url + path.format(n=number))
        out.append(f"<sitemap><loc>{loc}</loc>{lastmod}</sitemap>\n")
    out.append("</sitemapindex>\n")
    return "".join(out).encode("utf-8")
