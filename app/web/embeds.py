"""Embeds for blog posts, as pure functions: which URLs are ours, the frame and its snippets,
and the oEmbed answer. No web framework here; app/web/routes/embed.py is the thin layer on top.

A page of this site (a term, in either language, or the demo with its query) is an
EmbedTarget; from it come the frame's URL (/embed/…), the HTML a blogger pastes and the oEmbed
JSON. Every value interpolated into HTML goes through html.escape.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape
from typing import Any, Final, Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from pydantic import TypeAdapter, ValidationError

from app import urls
from app.backprop import ARTICLE_DEFAULTS
from app.models import TermPublic
from app.text.i18n import Lang, translate

Kind = Literal["term", "demo"]

DEMO_PARAMS: Final = frozenset(ARTICLE_DEFAULTS)  # the demo's query parameters (x, w1, …)
SANDBOX: Final = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
CACHE_AGE: Final = 3600  # seconds: the data can change with a deploy, not within a request
MAX_URL: Final = 2048  # a longer url= is no page of ours

# Default frame sizes (CSS px). Widths are what a blog column usually has; heights are
# estimates that the resize protocol corrects once the frame has loaded.
TERM_WIDTH: Final = 560
DEMO_WIDTH: Final = 640
MIN_TERM_HEIGHT: Final = 180

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_TERM_PATH: Final = re.compile(r"/(?:(?P<en>en)/)?terms/(?P<id>[^/]+)")
_EMBED_TERM_PATH: Final = re.compile(r"/embed/terms/(?P<id>[^/]+)")
_DEMO_PATH: Final = re.compile(r"/(?:(?P<en>en)/)?demo/backprop")
# The demo's integer fields as its form reads them (app/web/backprop_schemas.py): ASCII digits,
# not the "²" or "①" that str.isdigit() accepts and int() refuses, nor 4,300 digits or more.
_FORM_INT: Final = TypeAdapter(int)


@dataclass(frozen=True)
class EmbedTarget:
    """A page of this site that can be embedded: a term (by id or name) or the demo."""

    kind: Kind
    lang: Lang
    term_id: str = ""  # as written in the URL (decoded); the route resolves titles to ids
    query: str = ""  # the demo's parameters, urlencoded, in the order given


# ── Which URLs are ours ───────────────────────────────────────────────────────────────────


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else _DEFAULT_PORTS.get(scheme, 0)


def _same_site(url: str, base_url: str) -> tuple[bool, str]:
    """Whether url is on base_url's host (either scheme), and its path below base_url's path."""
    try:
        given, base = urlsplit(url), urlsplit(base_url)
        given_port, base_port = _port(given.scheme, given.port), _port(base.scheme, base.port)
    except ValueError:  # a port that is not a number, a bad IPv6 literal
        return False, ""
    if given.scheme not in _DEFAULT_PORTS or not given.hostname or given.username is not None:
        return False, ""
    if given.hostname != base.hostname:
        return False, ""
    # http://host and https://host are one site; otherwise the ports must agree.
    both_default = given_port == _DEFAULT_PORTS[given.scheme] and base_port == _DEFAULT_PORTS.get(
        base.scheme
    )
    if given_port != base_port and not both_default:
        return False, ""
    prefix = base.path.rstrip("/")
    path = given.path or "/"
    if prefix:
        if not path.startswith(prefix + "/"):
            return False, ""
        path = path[len(prefix) :]
    return True, path


def demo_query(query: str) -> str:
    """The demo's own parameters from a query string (others, such as lang, are dropped)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(name, value) for name, value in pairs if name in DEMO_PARAMS])


def match_url(url: str, base_url: str) -> EmbedTarget | None:
    """The embeddable page url names on the site at base_url, or None if it names none.

    Term pages (/terms/{id}, /en/terms/{id}), the demo (/demo/backprop, /en/demo/backprop, with
    its query) and the frames themselves (/embed/…, ?lang=en) are ours; anything else is not.
    """
    if len(url) > MAX_URL:
        return None
    ours, path = _same_site(url.strip(), base_url)
    if not ours:
        return None
    query = urlsplit(url.strip()).query
    frame_lang: Lang = "en" if dict(parse_qsl(query)).get("lang") == "en" else "ja"
    if match := _TERM_PATH.fullmatch(path):
        term_id = unquote(match["id"])
        return EmbedTarget("term", "en" if match["en"] else "ja", term_id) if term_id else None
    if match := _EMBED_TERM_PATH.fullmatch(path):
        term_id = unquote(match["id"])
        return EmbedTarget("term", frame_lang, term_id) if term_id else None
    if match := _DEMO_PATH.fullmatch(path):
        return EmbedTarget("demo", "en" if match["en"] else "ja", query=demo_query(query))
    if path == urls.embed_demo():
        return EmbedTarget("demo", frame_lang, query=demo_query(query))
    return None


# ── URLs of a target ──────────────────────────────────────────────────────────────────────


def page_path(target: EmbedTarget) -> str:
    """The full page's path (and query), relative to the site."""
    if target.kind == "term":
        return urls.term(target.lang, target.term_id)
    return urls.demo(target.lang, target.query)


def frame_path(target: EmbedTarget) -> str:
    """The frame's path (and query): /embed/terms/{id} or /embed/backprop, ?lang=en in English."""
    lang = [("lang", "en")] if target.lang == "en" else []
    if target.kind == "term":
        return urls.embed_term(target.term_id, urlencode(lang))
    pairs = [*parse_qsl(target.query, keep_blank_values=True), *lang]
    return urls.embed_demo(urlencode(pairs))


def oembed_url(base_url: str, page_url: str) -> str:
    """The oEmbed endpoint's URL for one page (JSON; the only format served)."""
    return f"{base_url}{urls.OEMBED}?{urlencode({'url': page_url, 'format': 'json'})}"


# ── Sizes ─────────────────────────────────────────────────────────────────────────────────


def default_height(
    kind: Kind, width: int, *, text: str = "", lang: Lang = "ja", curve: bool = False
) -> int:
    """A frame's likely height at width (CSS px), before the frame reports its own.

    Measured in chromium: a term card is about 140 px plus a 27 px line per about 16 px of
    width for each Japanese character of the summary (7.5 px for Latin text); the demo is about
    1,000 px (more below 400 px, where its fields stack), plus 430 px for the loss curve
    (steps ≥ 2).
    """
    if kind == "term":
        inner = max(width - 48, 120)
        per_line = max(int(inner / (16 if lang == "ja" else 7.5)), 1)
        lines = max(math.ceil(len(text) / per_line), 1)
        return max(MIN_TERM_HEIGHT, 140 + lines * 27)
    return (1180 if width < 400 else 1010) + (430 if curve else 0)


def clamp_size(
    width: int, height: int, *, maxwidth: int | None = None, maxheight: int | None = None
) -> tuple[int, int]:
    """(width, height) no larger than maxwidth and maxheight, as oEmbed requires."""
    if maxwidth is not None:
        width = min(width, maxwidth)
    if maxheight is not None:
        height = min(height, maxheight)
    return max(width, 1), max(height, 1)


def frame_size(
    target: EmbedTarget,
    *,
    text: str = "",
    maxwidth: int | None = None,
    maxheight: int | None = None,
) -> tuple[int, int]:
    """The width and height to give a target's frame, within maxwidth and maxheight."""
    width = TERM_WIDTH if target.kind == "term" else DEMO_WIDTH
    if maxwidth is not None:
        width = min(width, maxwidth)
    steps = _form_int(dict(parse_qsl(target.query)).get("steps", "1"))
    curve = steps is not None and steps >= 2
    height = default_height(target.kind, width, text=text, lang=target.lang, curve=curve)
    return clamp_size(width, height, maxwidth=maxwidth, maxheight=maxheight)


def _form_int(text: str) -> int | None:
    """text as the demo reads an integer field, or None where the demo refuses it."""
    try:
        return _FORM_INT.validate_python(text)
    except ValidationError:
        return None


# ── HTML ──────────────────────────────────────────────────────────────────────────────────


def iframe_html(*, src: str, title: str, width: int, height: int) -> str:
    """The frame: sandboxed (scripts, and links that open in a new tab), lazy, titled."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{int(width)}" '
        f'height="{int(height)}" loading="lazy" sandbox="{SANDBOX}" frameborder="0" '
        "data-glossary-embed></iframe>"
    )


def oembed_html(
    *, page_url: str, src: str, title: str, width: int, height: int, frame_title: str = ""
) -> str:
    """A blockquote with a link (what readers see where frames are stripped), then the frame."""
    link = f'<a href="{escape(page_url)}">{escape(title)}</a>'
    quote_html = f'<blockquote class="yogoshu-embed" cite="{escape(page_url)}">{link}</blockquote>'
    frame = iframe_html(src=src, title=frame_title or title, width=width, height=height)
    return quote_html + frame


def script_tag(base_url: str) -> str:
    """The one script tag a blogger adds (hover cards for links, frames that resize)."""
    return f'<script src="{escape(base_url)}/static/embed.js" async></script>'


def link_html(*, href: str, text: str) -> str:
    """A link that embed.js turns into a hover card."""
    return f'<a href="{escape(href)}" data-glossary>{escape(text)}</a>'


@dataclass(frozen=True)
class Snippets:
    """What the embed panel offers to copy, for one page."""

    page_url: str  # the link
    frame_url: str
    iframe: str  # the frame and the script that resizes it (one line: it goes in an <input>)
    script: str  # the script and a link it turns into a card (one line too)
    oembed: str  # the oEmbed URL of the page
    title: str


def snippets(
    *,
    base_url: str,
    target: EmbedTarget,
    title: str,
    link_text: str,
    link_href: str,
    text: str = "",
) -> Snippets:
    """The panel's snippets for target; link_href/link_text name the term the script links."""
    page_url = base_url + page_path(target)
    frame_url = base_url + frame_path(target)
    width, height = frame_size(target, text=text)
    script = script_tag(base_url)
    return Snippets(
        page_url=page_url,
        frame_url=frame_url,
        iframe=iframe_html(src=frame_url, title=title, width=width, height=height) + script,
        script=script + link_html(href=link_href, text=link_text),
        oembed=oembed_url(base_url, page_url),
        title=title,
    )


def oembed_response(
    *,
    base_url: str,
    target: EmbedTarget,
    title: str,
    provider_name: str,
    frame_title: str = "",
    text: str = "",
    maxwidth: int | None = None,
    maxheight: int | None = None,
) -> dict[str, Any]:
    """The oEmbed 1.0 answer (type rich) for target, its frame within maxwidth × maxheight.

    title names the page (the link's text); frame_title, if given, the iframe (for screen
    readers, which announce it: it may add the site's name).
    """
    width, height = frame_size(target, text=text, maxwidth=maxwidth, maxheight=maxheight)
    page_url = base_url + page_path(target)
    html = oembed_html(
        page_url=page_url,
        src=base_url + frame_path(target),
        title=title,
        frame_title=frame_title or title,
        width=width,
        height=height,
    )
    return {
        "type": "rich",
        "version": "1.0",
        "title": title,
        "provider_name": provider_name,
        "provider_url": base_url + urls.home(target.lang),
        "html": html,
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }


# ── The embed panel of a page ─────────────────────────────────────────────────────────────


def term_title(term: TermPublic, lang: Lang) -> str:
    """A term's name as its page's title gives it: 誤差伝播(Backpropagation) in Japanese."""
    ja, en = term.title.ja, term.title.en
    if not en or en == ja:
        return ja
    return f"{en} ({ja})" if lang == "en" else f"{ja}({en})"


def term_text(term: TermPublic, lang: Lang) -> str:
    """The summary a term's card shows."""
    return (term.summary.en if lang == "en" else None) or term.summary.ja


def term_panel(base_url: str, lang: Lang, site_name: str, term: TermPublic) -> Snippets:
    """What a term page's embed panel offers: its card, and a link that becomes a hover card."""
    title = term_title(term, lang)
    return snippets(
        base_url=base_url,
        target=EmbedTarget("term", lang, term.id),
        title=translate(lang, "embed_frame_title", title=title, site=site_name),
        link_text=(term.title.en if lang == "en" else None) or term.title.ja,
        link_href=base_url + urls.term(lang, term.id),
        text=term_text(term, lang),
    )


def demo_panel(
    base_url: str, lang: Lang, site_name: str, *, query: str, demo_term: str
) -> Snippets:
    """What the demo's embed panel offers: the demo with its query; the script links the term
    the demo belongs to."""
    title = translate(lang, "demo_title")
    return snippets(
        base_url=base_url,
        target=EmbedTarget("demo", lang, query=demo_query(query)),
        title=translate(lang, "embed_frame_title", title=title, site=site_name),
        link_text=translate(lang, "demo_term"),
        link_href=base_url + urls.term(lang, demo_term),
    )
