"""lang attributes for mixed-language text: a Japanese name on an English page says lang="ja".

Screen readers switch voices and search engines read the language from these; the bilingual
pages are full of such fragments (titles, aliases, readings, quoted terms in English notes).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from app.text.i18n import Lang

# Kana, kanji, CJK punctuation and full-width forms.
_JAPANESE_CHAR = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_JAPANESE = re.compile(f"[{_JAPANESE_CHAR}]")
_JAPANESE_RUN = re.compile(f"[{_JAPANESE_CHAR}]+(?:[ ・][{_JAPANESE_CHAR}]+)*")
_TAG = re.compile(r"(<[^>]*>)")


def text_lang(text: object) -> Lang:
    """The language a label is written in, as far as its script tells: ja if it has kana/kanji."""
    return "ja" if _JAPANESE.search(str(text)) else "en"


def lang_attr(text: object, page_lang: Lang) -> Markup:
    """` lang="en"` on a fragment in another language than the page's, else nothing."""
    lang = text_lang(text)
    return Markup(f' lang="{lang}"') if lang != page_lang else Markup("")


def foreign(text: str, page_lang: Lang) -> Markup:
    """text, in a <span lang> when it is not in the page's language."""
    attr = lang_attr(text, page_lang)
    return Markup("<span{}>{}</span>").format(attr, text) if attr else Markup(escape(text))


def _wrap_runs(text: str) -> str:
    return _JAPANESE_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', text)


def mark_japanese(text: object, page_lang: Lang) -> Markup:
    """Plain text, escaped, with each run of Japanese in it marked lang="ja" on English pages."""
    escaped = str(escape(text))
    return Markup(_wrap_runs(escaped) if page_lang == "en" else escaped)


def mark_japanese_html(html: str, page_lang: Lang) -> Markup:
    """The same for trusted HTML (the rendered Markdown): only text between tags is touched."""
    if page_lang != "en":
        return Markup(html)
    parts = _TAG.split(html)
    return Markup("".join(p if p.startswith("<") else _wrap_runs(p) for p in parts))
