"""The unlinked-mention lint: a body that mentions another term's title without linking it.

Only whole titles are looked for — in the body's language, 2 to 40 characters long, at a word's
edge where a title begins or ends with a Latin letter or digit, Latin letters in any case —
and only in running text: code, links, images, headings and link definitions are skipped.
Each body gets one warning per term, at its first mention, with the link to write:
`[勾配](gradient)`, a relative link, which the term page resolves to the term's page.

The work is bounded: titles are kept by their first two characters with the lengths to try,
so at each character of a body the scan makes at most one look-up per distinct length of
the titles that begin there (at most 39), whatever the number of terms; the whole scan is
linear in the bodies' length. It runs in `check` only, which keeps the bodies' text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.glossary.problems import Problem

MIN_TITLE_CHARS = 2
MAX_TITLE_CHARS = 40


@dataclass
class Body:
    """An article body, kept for the mention lint with its term's own names and its place.

    A literal block (`ja: |`) has its text's line n at the file's line first_line + n - 1,
    indented by indent columns; for other styles first_line is 0 and the problem is
    reported at the body's value, with the line of the text.
    """

    term_id: str
    index: int
    lang: str
    text: str
    own: tuple[str, ...]
    line: int
    col: int
    first_line: int = 0
    indent: int = 0


class Source:
    """The file's text while it is read, to find where a literal block's lines stand.

    Terms arrive in file order, so a cursor walks the lines forward (and, within a term,
    back) instead of indexing every line of the file.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.line, self.offset = 1, 0

    def _line(self, line: int) -> str:
        text = self.text
        while self.line < line and self.offset < len(text):
            self.offset = text.find("\n", self.offset) + 1 or len(text)
            self.line += 1
        while self.line > line:
            self.offset = text.rfind("\n", 0, self.offset - 1) + 1
            self.line -= 1
        end = text.find("\n", self.offset)
        return text[self.offset : end if end >= 0 else len(text)]

    def literal_block(self, line: int, col: int) -> tuple[int, int] | None:
        """Where the value at (line, col) has its text — the line of its first line that is
        not blank, and its indentation — when it is a literal block without an explicit
        indentation; None otherwise."""
        header = self._line(line)[col - 1 :].split("#")[0].rstrip()
        if not header.startswith("|") or any(char.isdigit() for char in header):
            return None
        for number in range(line + 1, line + 10_000):
            content = self._line(number)
            if content.strip():  # the body's text is stripped: its first line is this one
                return number, len(content) - len(content.lstrip(" "))
            if self.offset >= len(self.text):
                break
        return None


class Titles:
    """Titles to look for, by their first two characters, with the lengths to try."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.ids: dict[str, str] = {}
        lengths: dict[str, set[int]] = {}
        for title, term_id in titles.items():
            key = _lower(title)
            if MIN_TITLE_CHARS <= len(key) <= MAX_TITLE_CHARS:
                self.ids[key] = term_id
                lengths.setdefault(key[:2], set()).add(len(key))
        self.lengths = {key: sorted(found, reverse=True) for key, found in lengths.items()}

    def matches(self, text: str, own: Titles) -> Iterator[tuple[int, int, str | None]]:
        """The titles in text, left to right, the longest at each place, not overlapping:
        (where, length, term), the term None for one of own's names (the body's term's)."""
        lengths, ids, own_lengths, own_ids = self.lengths, self.ids, own.lengths, own.ids
        at, end = 0, len(text)
        while at < end:
            key = text[at : at + 2]
            tried = lengths.get(key)
            mine = own_lengths.get(key)
            if mine is not None:
                tried = sorted({*(tried or ()), *mine}, reverse=True)
            elif tried is None:
                at += 1
                continue
            for length in tried:
                if length > end - at:
                    continue
                piece = text[at : at + length]
                target = None if piece in own_ids else ids.get(piece, "")
                if target != "" and _bounded(text, at, length):
                    yield at, length, target
                    at += length
                    break
            else:
                at += 1


def _lower(text: str) -> str:
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _bounded(text: str, at: int, length: int) -> bool:
    """A title that begins or ends with a Latin letter or digit must do so at a word's edge."""
    end = at + length
    if _word(text[at]) and at > 0 and _word(text[at - 1]):
        return False
    return not (_word(text[end - 1]) and end < len(text) and _word(text[end]))


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)")
_NOT_TEXT = re.compile(
    r"(`+).*?\1"  # code spans
    r"|!?\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"  # links and images, inline or by reference
    r"|<[^>\s]+>|https?://\S+"  # autolinks and bare addresses
)
_HREF = re.compile(r"\]\(\s*<?([^)\s>]+)")


def plain_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """Each line of a body (numbered from 1) that holds running text, with code spans, links
    and addresses blanked out; code blocks, headings and link definitions are left out."""
    lines = markdown.split("\n")
    fence = ""
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence:
            closing = opening and opening.group(1)[0] == fence[0]
            if closing and opening and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        underlined = number < len(lines) and line.strip() and _UNDERLINE.match(lines[number])
        if _HEADING.match(line) or _DEFINITION.match(line) or underlined:
            continue
        yield number, _NOT_TEXT.sub(lambda found: "\0" * len(found.group(0)), line)


def linked_ids(markdown: str) -> set[str]:
    """The terms a body links to already: relative links `term-id` or `…/terms/term-id`."""
    hrefs = _HREF.findall(markdown)
    hrefs += [found.group(1) for line in markdown.split("\n") if (found := _DEFINITION.match(line))]
    ids: set[str] = set()
    for href in hrefs:
        path = href.split("#")[0].split("?")[0].rstrip("/")
        if "/" not in path:
            ids.add(path)
        elif "/terms/" in f"/{path}":
            ids.add(path.rsplit("/", 1)[1])
    return ids


def unlinked_mentions(
    bodies: list[Body], titles: dict[str, dict[str, str]], filename: str
) -> list[Problem]:
    """A warning for the first unlinked mention of each other term in each body.

    titles maps a language to the titles in it, each to the (last) term with that title.
    """
    matchers = {lang: Titles(names) for lang, names in titles.items()}
    found: list[Problem] = []
    for body in bodies:
        own = Titles(dict.fromkeys(body.own, body.term_id))
        done = linked_ids(body.text) | {body.term_id}
        for number, line in plain_lines(body.text):
            for at, length, target in matchers[body.lang].matches(_lower(line), own):
                if target is not None and target not in done:
                    done.add(target)
                    shown = line[at : at + length]
                    found.append(_mention(filename, body, number, at, shown, target))
    return found


def _mention(filename: str, body: Body, number: int, at: int, shown: str, target: str) -> Problem:
    message = f"terms[{body.index}].body.{body.lang}: body mentions {shown} ({target})"
    link = f"; link it as [{shown}]({target})"
    if body.first_line:
        place = (body.first_line + number - 1, body.indent + at + 1)
        return Problem(filename, *place, message + link, "warning")
    return Problem(
        filename, body.line, body.col, f"{message} on line {number} of the text{link}", "warning"
    )
