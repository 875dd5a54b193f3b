"""JSON-LD (schema.org) for each page type, and a serializer that is safe inside <script>."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from app.text.i18n import Lang

CONTEXT = "https://schema.org"

# In a <script> data block, "</script>" or "<!--" in a string would end or confuse the element.
# JSON can spell any character as \uXXXX, so these never reach the HTML parser as markup;
# U+2028/2029 are escaped too, for the benefit of anything that reads the block as JavaScript.
_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def dumps(data: Any) -> Markup:
    """Serialize data for a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default)
    return Markup(text.translate(_ESCAPES))


def _default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value).__name__}")


@dataclass(frozen=True)
class Site:
    """The site as every page names it: its title, description and home URL in one language."""

    name: str
    description: str
    home: str  # absolute
    lang: Lang

    def node(self) -> dict[str, Any]:
        return {
            "@type": "WebSite",
            "@id": f"{self.home}#website",
            "name": self.name,
            "url": self.home,
            "inLanguage": self.lang,
        }

    def term_set(self) -> dict[str, Any]:
        """The glossary as a DefinedTermSet, by reference."""
        return {
            "@type": "DefinedTermSet",
            "@id": f"{self.home}#terms",
            "name": self.name,
            "url": self.home,
        }


@dataclass(frozen=True)
class Crumb:
    name: str
    url: str  # absolute


@dataclass(frozen=True)
class TermRef:
    """A term as a list or a set names it."""

    id: str
    name: str
    url: str  # absolute


def breadcrumbs(page_url: str, crumbs: Sequence[Crumb]) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "@id": f"{page_url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": crumb.name, "item": crumb.url}
            for n, crumb in enumerate(crumbs, start=1)
        ],
    }


def graph(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, "@graph": list(nodes)}


def _unique(names: Iterable[str], *, besides: str) -> list[str]:
    seen = {besides}
    out = []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def term_page(
    *,
    site: Site,
    url: str,
    term_id: str,
    name: str,
    description: str,
    alternate_names: Iterable[str],
    updated: dt.date,
    crumbs: Sequence[Crumb],
    image: str | None = None,
) -> dict[str, Any]:
    """A term page: a WebPage whose mainEntity is the DefinedTerm, and its BreadcrumbList."""
    term: dict[str, Any] = {
        "@type": "DefinedTerm",
        "@id": f"{url}#term",
        "name": name,
        "termCode": term_id,
        "description": description,
        "url": url,
        "inDefinedTermSet": site.term_set(),
    }
    alternates = _unique(alternate_names, besides=name)
    if alternates:
        term["alternateName"] = alternates
    page: dict[str, Any] = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": site.lang,
        "dateModified": updated,
        "isPartOf": site.node(),
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
        "mainEntity": term,
    }
    if image:
        page["primaryImageOfPage"] = {"@type": "ImageObject", "url": image}
    return graph(page, breadcrumbs(url, crumbs))


def index_page(*, site: Site, terms: Sequence[TermRef]) -> dict[str, Any]:
    """The home page: the WebSite, and the glossary as a DefinedTermSet with every term."""
    term_set = {
        **site.term_set(),
        "description": site.description,
        "inLanguage": site.lang,
        "hasDefinedTerm": [
            {
                "@type": "DefinedTerm",
                "@id": f"{term.url}#term",
                "name": term.name,
                "termCode": term.id,
                "url": term.url,
            }
            for term in terms
        ],
    }
    page = {
        "@type": "WebPage",
        "@id": site.home,
        "url": site.home,
        "name": site.name,
        "description": site.description,
        "inLanguage": site.lang,
        "isPartOf": {"@id": f"{site.home}#website"},
        "mainEntity": {"@id": f"{site.home}#terms"},
    }
    return graph({**site.node(), "description": site.description}, page, term_set)


def collection_page(
    *,
    site: Site,
    url: str,
    name: str,
    description: str,
    terms: Sequence[TermRef],
    crumbs: Sequence[Crumb],
) -> dict[str, Any]:
    """A list of terms (a tag, a 五十音 row, a letter): CollectionPage + ItemList + breadcrumbs."""
    page = {
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "inLanguage": site.lang,
        "isPartOf": site.node(),
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(terms),
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": term.name, "url": term.url}
                for n, term in enumerate(terms, start=1)
            ],
        },
    }
    return graph(page, breadcrumbs(url, crumbs))


def web_page(
    *,
    site: Site,
    url: str,
    name: str | None = None,
    description: str | None = None,
    kind: str = "WebPage",
    crumbs: Sequence[Crumb] = (),
    about: str | None = None,
) -> dict[str, Any]:
    """Any other page (search, the demo): what it is and which site it belongs to."""
    page: dict[str, Any] = {
        "@type": kind,
        "@id": url,
        "url": url,
        "inLanguage": site.lang,
        "isPartOf": site.node(),
    }
    if name:
        page["name"] = name
    if description:
        page["description"] = description
    if about:
        page["about"] = {"@id": about}
    if crumbs:
        page["breadcrumb"] = {"@id": f"{url}#breadcrumb"}
        return graph(page, breadcrumbs(url, crumbs))
    return graph(page)
