"""Every URL of the site in one place, so templates, routes, the API and middleware agree.

Pages exist in Japanese at / and in English under /en/ (the same routers, mounted twice);
paths here are site-relative and quoted. The prefixes at the end are what the middleware
needs to know about the site's layout (which paths answer JSON, which may be framed).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, urlencode

from app.text.i18n import Lang

EN_PREFIX: Final = "/en"
DEMO: Final = "/demo/backprop"
API: Final = "/api/v1"
OEMBED: Final = "/oembed"
HEALTH: Final = "/healthz"
OPENAPI: Final = "/openapi.json"
EMBED: Final = "/embed"
OTHER_LETTER: Final = "other"  # the slug of English titles that start with no letter A–Z


def prefix(lang: Lang) -> str:
    return "" if lang == "ja" else EN_PREFIX


def home(lang: Lang) -> str:
    return "/" if lang == "ja" else f"{EN_PREFIX}/"


def term(lang: Lang, term_id: str) -> str:
    return f"{prefix(lang)}/terms/{quote(term_id)}"


def tag(lang: Lang, tag_id: str) -> str:
    return f"{prefix(lang)}/tags/{quote(tag_id)}"


def row(lang: Lang, slug: str) -> str:
    """A 五十音 row's page: /index/ka."""
    return f"{prefix(lang)}/index/{quote(slug)}"


def letter(lang: Lang, slug: str) -> str:
    """An English initial's page: /index/az/b (or /index/az/other)."""
    return f"{prefix(lang)}/index/az/{quote(slug)}"


def letter_slug(initial: str) -> str:
    """The URL slug of an A–Z initial: 'B' → 'b', '#' → 'other'."""
    return OTHER_LETTER if initial == "#" else initial.lower()


def letter_name(slug: str) -> str:
    """The initial a letter slug stands for: 'b' → 'B', 'other' → '#'."""
    return "#" if slug == OTHER_LETTER else slug.upper()


def search(lang: Lang, query: str | None = None) -> str:
    path = f"{prefix(lang)}/search"
    return f"{path}?{urlencode({'q': query})}" if query else path


def demo(lang: Lang, query: str = "") -> str:
    """The backpropagation demo, with its parameters (urlencoded) if any."""
    return f"{prefix(lang)}{DEMO}" + (f"?{query}" if query else "")


def feed(lang: Lang) -> str:
    return f"{prefix(lang)}/feed.xml"


def og_image(lang: Lang, name: str) -> str:
    """/og/{name}.png (Japanese) or /en/og/{name}.png (English)."""
    return f"{prefix(lang)}/og/{quote(name, safe='/')}.png"


def api_term(term_id: str) -> str:
    return f"{API}/terms/{quote(term_id)}"


def api_backprop(query: str = "") -> str:
    return f"{API}/backprop" + (f"?{query}" if query else "")


def embed_term(term_id: str, query: str = "") -> str:
    return f"{EMBED}/terms/{quote(term_id)}" + (f"?{query}" if query else "")


def embed_demo(query: str = "") -> str:
    return f"{EMBED}/backprop" + (f"?{query}" if query else "")


def counterpart(lang: Lang, path: str) -> str:
    """The same page in the other language: /terms/x ↔ /en/terms/x."""
    if lang == "en":
        rest = path.removeprefix(EN_PREFIX)
        return rest or "/"
    return home("en") if path == "/" else f"{EN_PREFIX}{path}"


def in_lang(lang: Lang, ja_path: str) -> str:
    """A Japanese page's path in lang."""
    return ja_path if lang == "ja" else counterpart("ja", ja_path)


def lang_of(path: str) -> Lang:
    """The language of a page by its path: English under /en/."""
    return "en" if path == EN_PREFIX or path.startswith(f"{EN_PREFIX}/") else "ja"


# ── What the middleware needs to know about paths ─────────────────────────────────────────


def is_api(path: str) -> bool:
    """The JSON API."""
    return path.startswith("/api/")


def answers_json(path: str) -> bool:
    """Paths whose errors are problem+json (the rest get the error page)."""
    return is_api(path) or path in (OEMBED, HEALTH, OPENAPI)


def is_cross_origin(path: str) -> bool:
    """Paths any site's script may read (CORS): the API and oEmbed."""
    return path == OEMBED or path.startswith(f"{API}/")


def is_frame(path: str) -> bool:
    """Paths other sites may frame (GLOSSARY_EMBED_ORIGINS)."""
    return path.startswith(f"{EMBED}/")
