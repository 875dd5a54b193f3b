"""The backpropagation demo page (/demo/backprop, /en/demo/backprop).

Bilingual: mounted at / and /en/. A GET form whose results are rendered here (so it works
without JavaScript) and updated in place by static/demo.js; a refused field answers 422 with
its message next to the field. The API it calls lives in app/web/routes/api.py.
"""

from __future__ import annotations

from fastapi.responses import Response

from app import urls
from app.seo import jsonld
from app.text.i18n import translate
from app.web import embeds
from app.web.demo_view import DEMO_TERM, demo_view
from app.web.deps import DemoFormDep, PageDep
from app.web.routing import PageRouter

router = PageRouter()


@router.page(urls.DEMO)
def demo_page(page: PageDep, form: DemoFormDep) -> Response:
    """The live demo: a GET form whose results are rendered here, and updated by demo.js."""
    lang = page.lang
    view = demo_view(form.given(), lang)
    title = translate(lang, "demo_title")
    data = jsonld.web_page(
        site=page.site_ld(),
        url=page.url,
        name=title,
        description=translate(lang, "demo_description"),
        crumbs=[
            jsonld.Crumb(translate(lang, "home"), page.absolute(urls.home(lang))),
            jsonld.Crumb(translate(lang, "demo_term"), page.absolute(urls.term(lang, DEMO_TERM))),
            jsonld.Crumb(title, page.url),
        ],
        about=page.absolute(urls.term(lang, DEMO_TERM)) + "#term",
    )
    ok = view.status < 400  # a refused form is no page to index or point at
    head = page.head(
        image="_demo",
        image_alt=translate(lang, "og_demo_alt", site=page.site_name),
        data=data if ok else None,
        indexable=ok,
        linked=ok,
    )
    query = page.query
    return page.render(
        "demo.html",
        head=head,
        status=view.status,
        api_url=urls.api_backprop(query),
        embed=embeds.demo_panel(
            page.base_url, lang, page.site_name, query=query, demo_term=DEMO_TERM
        ),
        **view.context,
    )
