"""Rendering shared by every HTML page: the templates, the page head (SEO), the error page.

Pages, the demo and the embeds call render_page(); the head of a page whose route says nothing
about it comes from its path (SPECIAL_PAGES) or is a plain WebPage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from app import urls
from app.seo import jsonld
from app.seo.langtags import foreign, lang_attr, mark_japanese, mark_japanese_html
from app.seo.page import PageSeo, og_image_path, page_seo
from app.settings import TEMPLATES_DIR
from app.text.i18n import Lang, date_label, translate
from app.web.assets import static_assets

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


_SLASHES = re.compile(r"[/\\]{2,}")


def sentence(lang: Lang, key: str, **values: object) -> Markup:
    """A UI string whose {placeholders} are filled with (escaped or marked-up) values."""
    return Markup(escape(translate(lang, key))).format(**values)


templates.env.globals.update(
    urls=urls,
    t=translate,
    date_label=date_label,
    asset=static_assets.url,
    sentence=sentence,
    foreign=foreign,
)
templates.env.filters.update(
    lang_attr=lang_attr, mark_japanese=mark_japanese, mark_japanese_html=mark_japanese_html
)


def site_name(site: dict[str, dict[str, str]] | None, lang: Lang) -> str:
    """The site's title in lang (the YAML's, or a default)."""
    title = (site or {}).get("title", {}).get(lang)
    return title or translate(lang, "site_title")


def jsonld_site(
    request: Request, site: dict[str, dict[str, str]] | None, lang: Lang
) -> jsonld.Site:
    base_url = request.app.state.settings.base_url
    return jsonld.Site(
        name=site_name(site, lang),
        description=(site or {}).get("description", {}).get(lang, ""),
        home=base_url + urls.home(lang),
        lang=lang,
    )


@dataclass(frozen=True)
class SpecialPage:
    """A page another module renders (the demo) and what its head should say about it."""

    route: str  # the name of its route, to tell whether this build has it
    title: str  # i18n keys
    description: str
    image: str  # the OG card's name: /og/{image}.png
    crumbs: tuple[tuple[str, str], ...]  # (i18n key, Japanese path) before the page itself
    about: str | None = None  # the term the page is about


SPECIAL_PAGES: dict[str, SpecialPage] = {
    "/demo/backprop": SpecialPage(
        route="demo_page",
        title="demo_title",
        description="demo_description",
        image="_demo",
        crumbs=(("home", "/"), ("demo_term", "/terms/backpropagation")),
        about="backpropagation",
    ),
}


def default_head(request: Request, lang: Lang, status: int, site: Any) -> PageSeo:
    """The head of a page whose route said nothing about it: by its path, or a plain WebPage."""
    base_url = request.app.state.settings.base_url
    path = request.url.path
    ja_path = urls.counterpart(lang, path) if lang == "en" else path
    special = SPECIAL_PAGES.get(ja_path)
    name = site_name(site, lang)
    url = base_url + path
    data = None
    if status < 400:
        info = jsonld_site(request, site, lang)
        if special is not None:
            title = translate(lang, special.title)
            data = jsonld.web_page(
                site=info,
                url=url,
                name=title,
                description=translate(lang, special.description),
                crumbs=[
                    *(
                        jsonld.Crumb(translate(lang, key), base_url + in_lang(lang, crumb_path))
                        for key, crumb_path in special.crumbs
                    ),
                    jsonld.Crumb(title, url),
                ],
                about=(
                    base_url + urls.term(lang, special.about) + "#term" if special.about else None
                ),
            )
        else:
            data = jsonld.web_page(site=info, url=url)
    image = special.image if special else "_site"
    alt_key = "og_demo_alt" if special else "og_site_alt"
    return page_seo(
        lang=lang,
        path=path,
        base_url=base_url,
        indexable=status < 400,
        linked=status < 400,
        image=og_image_path(lang, image),
        image_alt=translate(lang, alt_key, site=name),
        structured_data=jsonld.dumps(data) if data else None,
    )


def local_path(path: str) -> str:
    """The request path, safe to link to: runs of slashes (and backslashes, which browsers
    read as slashes) collapsed, so /en//evil.example's language link is not //evil.example."""
    return _SLASHES.sub("/", path)


def in_lang(lang: Lang, ja_path: str) -> str:
    return ja_path if lang == "ja" else urls.counterpart("ja", ja_path)


def render_page(
    request: Request,
    name: str,
    lang: Lang,
    status: int = 200,
    *,
    seo: PageSeo | None = None,
    **context: Any,
) -> HTMLResponse:
    session_site = context.pop("site", None)
    context.update(
        lang=lang,
        site=session_site,
        site_title=site_name(session_site, lang),
        path=local_path(request.url.path),
        query_string=request.url.query,
        base_url=request.app.state.settings.base_url,
        seo=seo or default_head(request, lang, status, session_site),
    )
    return templates.TemplateResponse(request, name, context, status_code=status)


def page_head(
    request: Request,
    lang: Lang,
    *,
    image: str,
    image_alt: str,
    data: dict[str, Any] | None,
    query: str = "",
    indexable: bool = True,
    og_type: str = "website",
) -> PageSeo:
    return page_seo(
        lang=lang,
        path=request.url.path,
        base_url=request.app.state.settings.base_url,
        query=query,
        indexable=indexable,
        og_type=og_type,
        image=og_image_path(lang, image),
        image_alt=image_alt,
        structured_data=jsonld.dumps(data) if data else None,
    )


def render_error(
    request: Request, *, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """The error page in the site's style, in the language of the path asked for."""
    lang: Lang = "en" if request.url.path.startswith("/en/") else "ja"
    response = render_page(
        request, "error.html", lang, status=status, status_code=status, detail=detail
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def lang_of(request: Request) -> Lang:
    return "en" if request.url.path.startswith("/en/") else "ja"
