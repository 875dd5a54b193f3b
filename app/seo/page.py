"""The links and preview tags every page carries: canonical, hreflang alternates, Open Graph."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from app import urls
from app.text.i18n import LANGS, Lang

OG_LOCALES: dict[Lang, str] = {"ja": "ja_JP", "en": "en_US"}
X_DEFAULT: Lang = "ja"  # a Japanese-first site: readers of neither language get Japanese


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


@dataclass(frozen=True)
class PageSeo:
    """What base.html prints in <head> besides the title and the description."""

    lang: Lang
    canonical: str | None  # absolute; None on pages that are not to be indexed (errors)
    alternates: tuple[Alternate, ...]
    indexable: bool
    og_type: str
    image: str  # absolute URL of the 1200×630 preview
    image_alt: str
    feed: str  # the Atom feed of this language
    structured_data: Markup | None = None

    @property
    def og_locale(self) -> str:
        return OG_LOCALES[self.lang]

    @property
    def og_locale_alternates(self) -> list[str]:
        return [OG_LOCALES[lang] for lang in LANGS if lang != self.lang]


def lang_paths(lang: Lang, path: str) -> dict[Lang, str]:
    """The path of this page in each language: /en/terms/x → {ja: /terms/x, en: /en/terms/x}."""
    other: Lang = "en" if lang == "ja" else "ja"
    return {lang: path, other: urls.counterpart(lang, path)}


def alternates(base_url: str, paths: dict[Lang, str], query: str = "") -> tuple[Alternate, ...]:
    """hreflang ja, en and x-default, absolute, in that order."""
    suffix = f"?{query}" if query else ""
    links = [Alternate(lang, f"{base_url}{_quoted(paths[lang])}{suffix}") for lang in LANGS]
    links.append(Alternate("x-default", f"{base_url}{_quoted(paths[X_DEFAULT])}{suffix}"))
    return tuple(links)


def _quoted(path: str) -> str:
    return quote(path, safe="/%:@!$&'()*+,;=-._~")


def page_seo(
    *,
    lang: Lang,
    path: str,
    base_url: str,
    query: str = "",
    indexable: bool = True,
    og_type: str = "website",
    image: str,
    image_alt: str,
    structured_data: Markup | None = None,
    linked: bool = True,
) -> PageSeo:
    """The head links of the page at path (with its canonical query) in lang.

    linked=False (error pages) prints neither canonical nor alternates: there is no page there
    to point at, in either language.
    """
    paths = lang_paths(lang, path)
    suffix = f"?{query}" if query else ""
    return PageSeo(
        lang=lang,
        canonical=f"{base_url}{_quoted(path)}{suffix}" if linked else None,
        alternates=alternates(base_url, paths, query) if linked else (),
        indexable=indexable,
        og_type=og_type,
        image=base_url + image,
        image_alt=image_alt,
        feed=urls.feed(lang),
        structured_data=structured_data,
    )
