"""Article bodies: CommonMark with tables, no raw HTML, and heading ids for a contents list;
problems() finds what would not render as written, for the glossary's checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


class _SeeEveryLink(MarkdownIt):
    """Parses as if raw HTML were on and every link valid, to find what the renderer would
    escape (and so show as literal text) or refuse; see problems()."""

    def validateLink(self, url: str) -> bool:
        return True


_checker = _SeeEveryLink("commonmark", {"html": True}).enable("table")
ALLOWED_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_BY_BROWSERS = str.maketrans("", "", "\t\n\r")  # "java\tscript:" is "javascript:"
_LEADING_IGNORED = "".join(map(chr, range(33)))  # browsers strip C0 controls and spaces first
SNIPPET = 40  # characters of an offending piece quoted in a problem


@dataclass(frozen=True)
class Heading:
    anchor: str
    text: str


@dataclass(frozen=True)
class Article:
    html: str
    headings: tuple[Heading, ...]


@lru_cache(maxsize=1024)
def render(markdown: str) -> Article:
    """Render Markdown to safe HTML; collect the level-2 headings."""
    tokens = _md.parse(markdown)
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            token.attrSet("tabindex", "0")  # a table that scrolls sideways must take focus
        if token.type == "heading_open" and token.tag == "h2":
            anchor = f"s{len(headings) + 1}"
            token.attrSet("id", anchor)
            headings.append(Heading(anchor, tokens[index + 1].content))
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    if not link_allowed(href):
                        child.attrSet("href", "#")
                    elif href.lower().startswith(("http://", "https://")):
                        child.attrSet("rel", "noopener")
    html = _md.renderer.render(tokens, _md.options, {})
    return Article(html=html, headings=tuple(headings))


def link_allowed(url: str) -> bool:
    """Whether a link may be followed: http(s), mailto, or relative (no scheme at all)."""
    cleaned = url.translate(_IGNORED_BY_BROWSERS).lstrip(_LEADING_IGNORED)
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES


def problems(markdown: str) -> list[str]:
    """What would not render as written: raw HTML (escaped, so shown as literal text) and
    links or images whose scheme is not http, https or mailto (javascript:, data:, …).

    Raw HTML is whatever CommonMark reads as HTML: a tag (`<b>`, `</div>`, `<br/>`), a comment
    (`<!-- -->`), a declaration or processing instruction (`<!DOCTYPE`, `<?php`). Code spans
    and blocks, autolinks (`<https://…>`) and a bare `<` (`a < b`, `i<j`) are not HTML.
    """
    if "<" not in markdown and ":" not in markdown:
        return []
    found: list[str] = []
    line = 1
    for token in _checker.parse(markdown):
        if token.map:
            line = token.map[0] + 1
        if token.type == "html_block":
            found.append(_raw_html(token.content, line))
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(_raw_html(child.content, line))
            elif child.type in ("link_open", "image"):
                url = str(child.attrGet("href") or child.attrGet("src") or "")
                if not link_allowed(url):
                    kind = "an image from" if child.type == "image" else "a link to"
                    found.append(
                        f"{kind} {_snippet(url)} is not allowed (line {line} of the text;"
                        f" only {', '.join(ALLOWED_SCHEMES)} and relative links)"
                    )
    return found


def _raw_html(html: str, line: int) -> str:
    return (
        f"raw HTML is not allowed (found {_snippet(html.strip())} on line {line} of the text;"
        " it would be shown as written: use Markdown, or backticks for code)"
    )


def _snippet(text: str) -> str:
    return repr(text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…")


def split_at_first_table(html: str) -> tuple[str, str] | None:
    """The HTML before and after its first table (the table itself dropped), or None."""
    start = html.find("<table")
    end = html.find("</table>", start)
    if start < 0 or end < 0:
        return None
    return html[:start], html[end + len("</table>") :]
