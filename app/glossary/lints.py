"""Content lints: what a valid glossary says that contradicts itself or leaves out.

- own name: a related term or collocation whose label is the term's own title or one of its
  aliases (a ref to the term itself, in any list, is an error of checks.py already; a synonym
  may repeat an alias or the title: the build leaves such a label unlinked);
- antonym and synonym: an antonym whose label is also the term's title, an alias or a
  synonym's label, or that links to the same term as one of its synonyms;
- Latin label: a label in Latin letters only where the term it links to has a Japanese title
  (or, when it links to none, the term itself has one) — Japanese pages show `label`;
- missing link back (always a warning): A relates to B, but B has no relation to A;
- unlinked mention (always a warning): a body mentions another term's title without a link.

The first two look at one term and run as each is read. The others need every term: like
checks.Seen, a Collector keeps what they need of each term as it is read (names and links,
not terms) and they run once the file is read. Build and reload want errors only, so their
Collector keeps nothing unless the Latin-label lint is an error, and then only the names and
labels written in Latin letters; `check` keeps every name and link, and the bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.glossary.mentions import Body, Source, unlinked_mentions
from app.glossary.problems import Problem, Severity
from app.glossary.schema import TermEntry

# Whether the relation lints are errors — check, build and reload then refuse the file — or
# warnings, which check prints and nothing refuses. See docs/glossary-format.md.
STRICT_RELATION_LINTS = True  # own name; antonym and synonym
STRICT_LATIN_LABELS = False  # Latin label

Path = tuple[str | int, ...]
Mark = Callable[[Path], tuple[int, int]]  # a located term's mark: a value's (line, column)
# A relation as the whole-document lints keep it: its term, ref, label and the label's place.
Link = tuple[str, str | None, str, int]

KIND_NAMES = {
    "synonyms": "synonym",
    "antonyms": "antonym",
    "collocations": "collocation",
    "related": "related term",
}
_JAPANESE = re.compile(r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN_ONLY = re.compile(r"(?=.*[A-Za-z\u00c0-\u024f])[\x20-\x7e\u00a0-\u024f\u2010-\u2027]+")


def relation_severity() -> Severity:
    """The severity of the own-name and antonym-and-synonym lints."""
    return "error" if STRICT_RELATION_LINTS else "warning"


def latin_severity() -> Severity:
    """The severity of the Latin-label lint."""
    return "error" if STRICT_LATIN_LABELS else "warning"


def is_latin(text: str) -> bool:
    """Whether text is written in Latin letters only (with digits, spaces and punctuation)."""
    return _LATIN_ONLY.fullmatch(text) is not None


def is_japanese(text: str) -> bool:
    """Whether text has kana or kanji in it."""
    return _JAPANESE.search(text) is not None


def _pack(position: tuple[int, int]) -> int:
    return position[0] << 32 | position[1]


def _problem(filename: str, packed: int, message: str, severity: Severity) -> Problem:
    return Problem(filename, packed >> 32, packed & 0xFFFFFFFF, message, severity)


def own_names(term: TermEntry, at: Path, mark: Mark, filename: str) -> list[Problem]:
    """Related terms and collocations that name the term itself, by its title or an alias."""
    titles, aliases = {term.title.ja, term.title.en}, set(term.aliases)
    found: list[Problem] = []
    for kind, i, relation in term.relations():
        label = relation.label
        if relation.ref == term.id or kind not in ("related", "collocations"):
            continue  # a ref to itself is an error already; antonyms are antonym_conflicts'
        if label in titles:
            what = "this term's own title"
        elif label in aliases:
            what = "an alias of this term"
        else:
            continue
        name = KIND_NAMES[kind]
        message = f"{name} {label!r} is {what}; a term is not its own {name}"
        found.append(
            Problem(filename, *mark((*at, kind, i, "label")), message, relation_severity())
        )
    return found


def antonym_conflicts(term: TermEntry, at: Path, mark: Mark, filename: str) -> list[Problem]:
    """Antonyms that are also the term's title, an alias or a synonym, by label or by ref."""
    names = dict.fromkeys((term.title.ja, term.title.en), "this term's own title")
    for alias in term.aliases:
        names.setdefault(alias, "an alias of this term")
    refs: dict[str, int] = {}
    for i, synonym in enumerate(term.synonyms):
        line = mark((*at, "synonyms", i, "label"))[0]
        names.setdefault(synonym.label, f"a synonym of this term (line {line})")
        if synonym.ref is not None:
            refs.setdefault(synonym.ref, line)
    found: list[Problem] = []
    for i, antonym in enumerate(term.antonyms):
        if antonym.label in names:
            path: Path = (*at, "antonyms", i, "label")
            message = f"antonym {antonym.label!r} is also {names[antonym.label]}"
        elif antonym.ref is not None and antonym.ref in refs:
            path = (*at, "antonyms", i, "ref")
            message = (
                f"antonym {antonym.label!r} links to {antonym.ref!r}, and so does a synonym of"
                f" this term (line {refs[antonym.ref]})"
            )
        else:
            continue
        message += "; a word cannot be both"
        found.append(Problem(filename, *mark(path), message, relation_severity()))
    return found


@dataclass
class Collector:
    """What the whole-document lints need of every valid term, kept as the terms are read."""

    everything: bool  # check: every name, link and body; build and reload: what errors need
    titles: dict[str, str] = field(default_factory=dict)  # a title → the last term with it
    aliases: dict[str, str] = field(default_factory=dict)  # an alias → the first term with it
    latin_titled: set[str] = field(default_factory=set)  # Japanese title without kana or kanji
    ids: set[str] = field(default_factory=set)  # every valid term (everything only)
    links: list[Link] = field(default_factory=list)
    mention_titles: dict[str, dict[str, str]] = field(default_factory=lambda: {"ja": {}, "en": {}})
    bodies: list[Body] = field(default_factory=list)
    source: Source | None = None  # the file's text while it is read (everything only)
    summary: list[str] = field(default_factory=list)  # filled by finish()

    def add(self, term: TermEntry, at: Path, mark: Mark) -> None:
        """Keep what the lints need of one valid term."""
        if not (self.everything or STRICT_LATIN_LABELS):
            return  # build and reload with Latin labels as warnings: nothing to look for
        keep: Callable[[str], bool] = _always if self.everything else is_latin
        if not is_japanese(term.title.ja):
            self.latin_titled.add(term.id)
        for title in (term.title.ja, term.title.en):
            if keep(title):
                self.titles[title] = term.id
        for alias in term.aliases:
            if keep(alias):
                self.aliases.setdefault(alias, term.id)
        for kind, i, relation in term.relations():
            if keep(relation.label):
                position = _pack(mark((*at, kind, i, "label")))
                self.links.append((term.id, relation.ref, relation.label, position))
        if not self.everything:
            return
        self.ids.add(term.id)
        self.mention_titles["ja"][term.title.ja] = term.id
        self.mention_titles["en"][term.title.en] = term.id
        own = (term.title.ja, term.title.en, *term.aliases)
        index = at[1] if isinstance(at[1], int) else 0
        for lang, text in (("ja", term.body.ja), ("en", term.body.en)) if term.body else ():
            if text:
                line, col = mark((*at, "body", lang))
                body = Body(term.id, index, lang, text, own, line, col)
                block = self.source.literal_block(line, col) if self.source else None
                if block:
                    body.first_line, body.indent = block
                self.bodies.append(body)

    def finish(self, filename: str) -> list[Problem]:
        """Run the whole-document lints; the reciprocation rate goes to summary."""
        found: list[Problem] = []
        if self.everything or STRICT_LATIN_LABELS:
            found += latin_labels(self, filename)
        if self.everything:
            problems, rate = missing_links(self, filename)
            found += problems
            found += unlinked_mentions(self.bodies, self.mention_titles, filename)
            self.summary.append(str(rate))
        return found

    def target(self, link: Link) -> str | None:
        """The term a relation links to, as the build decides it; None for none or itself."""
        source, ref, label, _ = link
        if ref is not None:
            known = ref in self.ids or not self.everything  # a wrong ref is an error already
            return ref if known and ref != source else None
        found = self.titles.get(label) or self.aliases.get(label)
        return None if found == source else found


def _always(_: str) -> bool:
    return True


def latin_labels(collected: Collector, filename: str) -> list[Problem]:
    """Labels in Latin letters only where Japanese pages should show a Japanese word."""
    found: list[Problem] = []
    for link in collected.links:
        source, ref, label, position = link
        if not is_latin(label):
            continue
        target = collected.target(link)
        if ref is not None and target is None and ref != source:
            continue  # a ref to a term outside a --part file: its title is not known
        if (target or source) in collected.latin_titled:
            continue
        whose = f"{target!r} has a Japanese title" if target else "this term has a Japanese title"
        message = (
            f"label {label!r} is in Latin letters, but {whose}: the label shown on Japanese"
            " pages must be Japanese; put the English in label_en"
        )
        found.append(_problem(filename, position, message, latin_severity()))
    return found


@dataclass(frozen=True)
class Reciprocation:
    """How many of the links between terms have one back: A relates to B and B to A."""

    linked: int
    reciprocated: int

    def __str__(self) -> str:
        if not self.linked:
            return "relations reciprocated: 0/0"
        percent = round(100 * self.reciprocated / self.linked)
        if percent == 100 and self.reciprocated < self.linked:
            percent = 99
        return f"relations reciprocated: {self.reciprocated}/{self.linked} ({percent}%)"


def missing_links(collected: Collector, filename: str) -> tuple[list[Problem], Reciprocation]:
    """A warning for each term that relates to another which relates to nothing back.

    Counted once per pair of terms, at the first relation from the one to the other.
    """
    first: dict[tuple[str, str], int] = {}
    for link in collected.links:
        target = collected.target(link)
        if target is not None:
            first.setdefault((link[0], target), link[3])
    found: list[Problem] = []
    for (source, target), position in first.items():
        if (target, source) not in first:
            message = f"{target!r} has no relation back to {source!r}; add one there"
            found.append(_problem(filename, position, message, "warning"))
    return found, Reciprocation(len(first), len(first) - len(found))
