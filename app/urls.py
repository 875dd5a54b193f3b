"""Every site URL in one place, so templates and the API agree."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from app.text.i18n import Lang


def prefix(lang: Lang) -> str:
    return "" if lang == "ja" else "/en"


def home(lang: Lang) -> str:
    return "/" if lang == "ja" else "/en/"


def term(lang: Lang, term_id: str) -> str:
    return f"{prefix(lang)}/terms/{quote(term_id)}"


def tag(lang: Lang, tag_id: str) -> str:
    return f"{prefix(lang)}/tags/{quote(tag_id)}"


def search(lang: Lang, query: str | None = None) -> str:
    path = f"{prefix(lang)}/search"
    return f"{path}?{urlencode({'q': query})}" if query else path


def api_term(term_id: str) -> str:
    return f"/api/v1/terms/{quote(term_id)}"


def counterpart(lang: Lang, path: str) -> str:
    """The same page in the other language: /terms/x ↔ /en/terms/x."""
    if lang == "en":
        rest = path.removeprefix("/en")
        return rest or "/"
    return "/en/" if path == "/" else f"/en{path}"
