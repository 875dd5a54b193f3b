"""The ja/en UI strings in one place."""

from __future__ import annotations

from typing import Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")

STRINGS: dict[str, dict[Lang, str]] = {
    "search": {"ja": "検索", "en": "Search"},
    "search_placeholder": {
        "ja": "用語を検索(漢字・かな・ローマ字・英語)",
        "en": "Search terms (English, Japanese, romaji)",
    },
    "search_results_for": {"ja": "「{q}」の検索結果", "en": "Results for “{q}”"},
    "search_count": {"ja": "{n} 件", "en": "{n} results"},
    "search_none": {
        "ja": "「{q}」に一致する用語は見つかりませんでした。",
        "en": "No term matches “{q}”.",
    },
    "search_empty": {"ja": "調べたい用語を入力してください。", "en": "Type a term to look it up."},
    "matched_by": {"ja": "一致", "en": "matched"},
    "field_title": {"ja": "見出し", "en": "title"},
    "field_english": {"ja": "英語名", "en": "English name"},
    "field_reading": {"ja": "読み", "en": "reading"},
    "field_romaji": {"ja": "ローマ字", "en": "romaji"},
    "field_alias": {"ja": "別名", "en": "alias"},
    "field_synonym": {"ja": "同意語", "en": "synonym"},
    "index_heading": {"ja": "用語一覧", "en": "All terms"},
    "gojuon": {"ja": "五十音順", "en": "By reading (gojūon)"},
    "alphabetical": {"ja": "アルファベット順", "en": "A–Z"},
    "tags": {"ja": "タグ", "en": "Tags"},
    "term_count": {"ja": "{n} 語", "en": "{n} terms"},
    "reading": {"ja": "読み", "en": "Reading"},
    "english_name": {"ja": "英語", "en": "Japanese"},
    "aliases": {"ja": "別名・表記ゆれ", "en": "Also written"},
    "senses": {"ja": "二つの意味", "en": "Two senses"},
    "synonyms": {"ja": "同意語", "en": "Synonyms"},
    "antonyms": {"ja": "対義語・反対語", "en": "Antonyms"},
    "collocations": {"ja": "共起語", "en": "Collocations"},
    "related": {"ja": "関連用語", "en": "Related terms"},
    "sources": {"ja": "参考", "en": "Sources"},
    "updated": {"ja": "最終更新", "en": "Last updated"},
    "json": {"ja": "JSON で見る", "en": "View as JSON"},
    "contents": {"ja": "目次", "en": "Contents"},
    "other_sense": {"ja": "その他", "en": "Other"},
    "no_english": {
        "ja": "",
        "en": "This article has not been translated into English yet; the Japanese text is shown.",
    },
    "home": {"ja": "トップ", "en": "Home"},
    "not_found_title": {"ja": "ページが見つかりません", "en": "Page not found"},
    "not_found_text": {
        "ja": "お探しのページは見つかりませんでした。用語を検索するか、一覧から探してください。",
        "en": "We could not find that page. Search for a term or browse the list.",
    },
    "error_title": {"ja": "エラー", "en": "Error"},
    "switch_language": {"ja": "English", "en": "日本語"},
    "skip_to_content": {"ja": "本文へ移動", "en": "Skip to content"},
    "tag_heading": {"ja": "タグ: {tag}", "en": "Tag: {tag}"},
    "api": {"ja": "API", "en": "API"},
}


def translate(lang: Lang, key: str, **values: object) -> str:
    """The UI string for key in lang, with {placeholders} filled in."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def date_label(lang: Lang, value: object) -> str:
    """A date the way each language writes it: 2026年11月27日 / 27 November 2026."""
    import datetime as dt

    if not isinstance(value, dt.date):
        return str(value)
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B')} {value.year}"
