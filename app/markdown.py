"""Article bodies: CommonMark with tables, no raw HTML, and heading ids for a contents list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "./", "../")


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
        if token.type == "heading_open" and token.tag == "h2":
            anchor = f"s{len(headings) + 1}"
            token.attrSet("id", anchor)
            headings.append(Heading(anchor, tokens[index + 1].content))
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    if not href.startswith(_SAFE_SCHEMES):
                        child.attrSet("href", "#")
                    elif href.startswith(("http://", "https://")):
                        child.attrSet("rel", "noopener")
    html = _md.renderer.render(tokens, _md.options, {})
    return Article(html=html, headings=tuple(headings))


def split_at_first_table(html: str) -> tuple[str, str] | None:
    """The HTML before and after its first table (the table itself dropped), or None."""
    start = html.find("<table>")
    end = html.find("</table>", start)
    if start < 0 or end < 0:
        return None
    return html[:start], html[end + len("</table>") :]
