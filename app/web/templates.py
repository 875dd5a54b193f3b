"""The one Jinja environment, and rendering for every HTML page, frame and error page.

Every global and filter a template may use is registered here, in build_environment(), and
nowhere else. Templates format what handlers give them; they compute nothing (the demo's
numbers, the embed snippets and the page head all arrive in the context).

A handler gets a Page (see app/web/deps.py): the request's language, the site, the base URL,
and page.render(template, head=…, **context) / page.error(status, detail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from app import urls
from app.backprop.display import format_number
from app.data.site import Site
from app.seo import jsonld
from app.seo.langtags import foreign, lang_attr, mark_japanese, mark_japanese_html
from app.seo.page import PageSeo, page_seo
from app.settings import TEMPLATES_DIR
from app.text.i18n import Lang, date_label, translate
from app.web.assets import static_assets
from app.web.http_cache import declared_query, query_names

_SLASHES = re.compile(r"[/\\]{2,}")


def sentence(lang: Lang, key: str, **values: object) -> Markup:
    """A UI string whose {placeholders} are filled with (escaped or marked-up) values."""
    return Markup(escape(translate(lang, key))).format(**values)


def build_environment() -> Jinja2Templates:
    """The templates, with every global and filter they may use."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    env = templates.env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.globals.update(
        urls=urls,  # every link goes through app/urls.py
        t=translate,
        sentence=sentence,
        date_label=date_label,
        asset=static_assets.url,
        foreign=foreign,
    )
    env.filters.update(
        lang_attr=lang_attr,
        mark_japanese=mark_japanese,
        mark_japanese_html=mark_japanese_html,
        demo_num=format_number,
    )
    return templates


templates = build_environment()


def local_path(path: str) -> str:
    """The request path, safe to link to: runs of slashes (and backslashes, which browsers
    read as slashes) collapsed, so /en//evil.example's language link is not //evil.example."""
    return _SLASHES.sub("/", path)


@dataclass(frozen=True)
class Page:
    """What every page handler renders with: the request, its language, the site."""

    request: Request
    lang: Lang
    site: Site
    base_url: str

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def url(self) -> str:
        """This page's absolute URL, without its query."""
        return self.base_url + self.path

    @property
    def query(self) -> str:
        """The query parameters this page's route declares, as the response cache keys them: a
        page may show or link these and nothing else of the query string (?utm_source=… must
        not reach a page that is kept and served for every such URL)."""
        scope = self.request.scope
        return declared_query(scope, query_names(scope.get("route")))

    @property
    def site_name(self) -> str:
        return self.site.name(self.lang)

    def absolute(self, path: str) -> str:
        return self.base_url + path

    def site_ld(self) -> jsonld.Site:
        """The site as this page's JSON-LD names it."""
        return jsonld.Site(
            name=self.site_name,
            description=self.site.description(self.lang),
            home=self.absolute(urls.home(self.lang)),
            lang=self.lang,
        )

    def head(
        self,
        *,
        image: str,
        image_alt: str,
        data: dict[str, Any] | None,
        path: str | None = None,
        query: str = "",
        indexable: bool = True,
        linked: bool = True,
        og_type: str = "website",
    ) -> PageSeo:
        """The head of this page (or, for frames, of the page at path): canonical, hreflang,
        Open Graph (image: the card's name, /og/{image}.png) and JSON-LD."""
        return page_seo(
            lang=self.lang,
            path=path or self.path,
            base_url=self.base_url,
            query=query,
            indexable=indexable,
            linked=linked,
            og_type=og_type,
            image=urls.og_image(self.lang, image),
            image_alt=image_alt,
            structured_data=jsonld.dumps(data) if data else None,
        )

    def render(
        self, name: str, *, head: PageSeo, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """templates/{name} with what every page needs and this handler's context."""
        context.update(
            lang=self.lang,
            site=self.site,
            site_title=self.site_name,
            path=local_path(self.path),
            query_string=self.query,
            base_url=self.base_url,
            seo=head,
        )
        return templates.TemplateResponse(self.request, name, context, status_code=status)

    def error(
        self, status: int, detail: str, *, headers: dict[str, str] | None = None
    ) -> HTMLResponse:
        """The error page in the site's style: noindex, with no canonical or alternates."""
        head = page_seo(
            lang=self.lang,
            path=self.path,
            base_url=self.base_url,
            indexable=False,
            linked=False,
            image=urls.og_image(self.lang, "_site"),
            image_alt=translate(self.lang, "og_site_alt", site=self.site_name),
        )
        response = self.render(
            "error.html", head=head, status=status, status_code=status, detail=detail
        )
        response.headers.update(headers or {})
        return response
