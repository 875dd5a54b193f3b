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
    # ── The backpropagation demo (app/web/routes/demo.py, templates/demo.html) ──
    "demo_title": {"ja": "誤差伝播デモ", "en": "Backpropagation demo"},
    "demo_description": {
        "ja": (
            "2層のニューラルネットワークで誤差伝播を一歩ずつ計算するデモ。前向きの値、"
            "連鎖律の各因子、勾配、パラメータの更新を、値を変えながら確かめられます。"
        ),
        "en": (
            "Backpropagation computed step by step on a two-layer network: forward values, every "
            "chain-rule factor, the gradients and the parameter updates, for values you choose."
        ),
    },
    "demo_heading": {"ja": "誤差伝播を動かしてみる", "en": "Backpropagation, live"},
    "demo_lede": {
        "ja": (
            "入力 x、重み w1 と w2、バイアス b、正解 t の2層のネットワークで、"
            "誤差伝播の計算を一歩ずつ確かめます。値を変えると、"
            "前向きの値・連鎖律の各因子・勾配・更新後のパラメータがすべて計算し直されます。"
        ),
        "en": (
            "A two-layer network with input x, weights w1 and w2, bias b and target t. Change a "
            "value and every forward value, chain-rule factor, gradient and updated parameter is "
            "computed again."
        ),
    },
    "demo_term": {"ja": "誤差伝播", "en": "Backpropagation"},
    "demo_breadcrumb": {"ja": "デモ", "en": "Demo"},
    "demo_legend_values": {"ja": "入力・重み・正解", "en": "Input, weights and target"},
    "demo_legend_training": {"ja": "学習", "en": "Training"},
    "demo_legend_functions": {"ja": "関数", "en": "Functions"},
    "demo_field_x": {"ja": "入力 x", "en": "Input x"},
    "demo_field_w1": {"ja": "重み w1", "en": "Weight w1"},
    "demo_field_b": {"ja": "バイアス b", "en": "Bias b"},
    "demo_field_w2": {"ja": "重み w2", "en": "Weight w2"},
    "demo_field_t": {"ja": "正解 t", "en": "Target t"},
    "demo_field_lr": {"ja": "学習率 η", "en": "Learning rate η"},
    "demo_field_steps": {"ja": "ステップ数", "en": "Steps"},
    "demo_field_hidden": {"ja": "隠れ層 h の活性化関数", "en": "Activation of h"},
    "demo_field_output": {"ja": "出力 y の活性化関数", "en": "Activation of y"},
    "demo_field_loss": {"ja": "誤差関数 L", "en": "Loss L"},
    "demo_submit": {"ja": "計算する", "en": "Compute"},
    "demo_reset": {"ja": "記事の例に戻す", "en": "Back to the article's example"},
    "demo_errors_heading": {"ja": "入力を確かめてください", "en": "Please check these values"},
    "demo_error_number": {
        "ja": "数値を入力してください(NaN や無限大は使えません)。",
        "en": "Enter a finite number (not NaN or infinity).",
    },
    "demo_error_lr": {
        "ja": "0 より大きく {max} 以下の数値を入力してください。",
        "en": "Enter a number above 0 and at most {max}.",
    },
    "demo_error_steps": {
        "ja": "1 から {steps} までの整数を入力してください。",
        "en": "Enter a whole number from 1 to {steps}.",
    },
    "demo_error_choice": {"ja": "一覧から選んでください。", "en": "Choose one of the options."},
    "demo_error_bce_target": {
        "ja": "二値交差エントロピーでは、正解 t は 0 以上 1 以下にしてください。",
        "en": "With binary cross-entropy the target t must be between 0 and 1.",
    },
    "demo_error_overflow": {
        "ja": (
            "計算の途中で値が大きくなりすぎました(オーバーフロー)。"
            "学習率・入力・重みを小さくしてみてください。"
        ),
        "en": (
            "The computation overflowed. Try a smaller learning rate, smaller inputs or smaller "
            "weights."
        ),
    },
    "demo_results_heading": {"ja": "計算結果", "en": "Results"},
    "demo_summary": {
        "ja": "誤差 L = {loss}(学習前)→ {after}({steps} ステップ後)",
        "en": "Loss L = {loss} before training → {after} after step {steps}",
    },
    "demo_check_ok": {"ja": "勾配チェック OK", "en": "Gradient check passed"},
    "demo_check_ng": {"ja": "勾配チェック 不一致", "en": "Gradient check failed"},
    "demo_check_detail": {
        "ja": "中心差分による数値微分との差は最大 {error}",
        "en": "largest difference from central differences: {error}",
    },
    "demo_diagram_heading": {"ja": "ネットワークの図", "en": "The network"},
    "demo_diagram_title": {
        "ja": (
            "x から隠れ層 z1・h、出力 y を通って誤差 L に至るネットワーク。値は下の表にもあります。"
        ),
        "en": (
            "The network from x through the hidden unit z1, h and the output y to the loss L. The "
            "values are also in the table below."
        ),
    },
    "demo_diagram_caption": {
        "ja": (
            "実線の矢印が前向きの計算で、枠の中がその値。破線の矢印が逆向きに伝わる誤差で、"
            "添えた数が勾配 ∂L/∂(…) です。"
        ),
        "en": (
            "Solid arrows: the forward pass, with its values in the boxes. Dashed arrows: the "
            "error flowing backwards, labelled with the gradients ∂L/∂(…)."
        ),
    },
    "demo_chain_heading": {"ja": "連鎖律を一歩ずつ", "en": "The chain rule, step by step"},
    "demo_col_step": {"ja": "手順", "en": "Step"},
    "demo_col_formula": {"ja": "式", "en": "Formula"},
    "demo_col_value": {"ja": "値", "en": "Value"},
    "demo_updates_heading": {"ja": "パラメータの更新", "en": "Parameter updates"},
    "demo_updates_note": {
        "ja": (
            "勾配降下法 θ ← θ − η·∂L/∂θ(η = {lr})。勾配は1ステップ目のもの、更新後の値は {steps} "
            "ステップ後のものです。"
        ),
        "en": (
            "Gradient descent, θ ← θ − η·∂L/∂θ with η = {lr}. The gradient is the first step's; "
            "the value after is the one after step {steps}."
        ),
    },
    "demo_col_param": {"ja": "パラメータ", "en": "Parameter"},
    "demo_col_before": {"ja": "更新前", "en": "Before"},
    "demo_col_gradient": {"ja": "勾配 ∂L/∂θ", "en": "Gradient ∂L/∂θ"},
    "demo_col_after": {"ja": "更新後", "en": "After"},
    "demo_curve_heading": {"ja": "誤差の推移", "en": "The loss, step by step"},
    "demo_curve_title": {
        "ja": "ステップごとの誤差 L の折れ線グラフ",
        "en": "Line chart of the loss L after each step",
    },
    "demo_curve_caption": {
        "ja": "{steps} ステップで誤差 L は {first} から {last} になりました。",
        "en": "Over {steps} steps the loss L went from {first} to {last}.",
    },
    "demo_axis_step": {"ja": "ステップ", "en": "step"},
    "demo_json": {"ja": "この結果を JSON で見る", "en": "This result as JSON"},
    "demo_table_caption": {
        "ja": "誤差伝播の計算例(1回の更新、エンジンによる計算)",
        "en": "A worked example: one update, computed by the engine",
    },
    "demo_col_quantity": {"ja": "量", "en": "Quantity"},
    "demo_given": {"ja": "(与えられた値)", "en": "(given)"},
    "demo_initial": {"ja": "(初期値)", "en": "(initial value)"},
    "demo_updated_param": {"ja": "更新後の {name}", "en": "{name} after the update"},
    "demo_try_live": {"ja": "この例を動かす →", "en": "Try this example live →"},
    # ── Search results (templates/search.html) and autocomplete (static/search.js) ──
    # {field} is a field_* string; {text} is where the matched key goes, in its own language.
    "search_match_exact": {"ja": "{field}「{text}」に一致", "en": "matched the {field} “{text}”"},
    "search_match_prefix": {
        "ja": "{field}「{text}」の先頭に一致",
        "en": "matched the start of the {field} “{text}”",
    },
    "search_match_substring": {
        "ja": "{field}「{text}」の一部に一致",
        "en": "matched part of the {field} “{text}”",
    },
    "search_match_fuzzy": {
        "ja": "{field}「{text}」に近い綴り(1文字違い)",
        "en": "close to the {field} “{text}” (one letter off)",
    },
    "search_truncated": {
        "ja": "検索語が長すぎるため、先頭の {n} 文字で検索しました。",
        "en": "Your search was too long, so only its first {n} characters were used.",
    },
    "search_hint": {
        "ja": "漢字・ひらがな・カタカナ・ローマ字・英語のどれでも探せます。"
        "別の書き方や短い語で試すか、用語一覧から探してください。",
        "en": "You can search in English, kanji, kana or romaji. Try another spelling or a "
        "shorter word, or browse all terms.",
    },
    "search_browse": {"ja": "用語一覧へ", "en": "Browse all terms"},
    "search_count_one": {"ja": "{n} 件", "en": "{n} result"},
    "suggest_label": {"ja": "検索候補", "en": "Suggestions"},
    "suggest_count": {
        "ja": "候補 {n} 件。上下の矢印キーで選べます。",
        "en": "Suggestions: {n}. Use the up and down arrow keys to choose.",
    },
    "suggest_none": {"ja": "候補はありません。", "en": "No suggestions."},
    # ── Search engines and sharing (app/seo/, app/web/routes/seo.py, the index pages) ──
    "site_title": {"ja": "用語集", "en": "Yōgoshū Glossary"},  # when the YAML names none
    "breadcrumbs": {"ja": "パンくずリスト", "en": "Breadcrumb"},
    "senses_n": {"ja": "{n} つの意味", "en": "{n} senses"},
    "row_heading": {"ja": "{row}の用語", "en": "Terms in the {romaji} row ({row})"},
    "row_other_heading": {"ja": "その他の読みの用語", "en": "Terms with other readings"},
    "letter_heading": {"ja": "{letter} で始まる用語", "en": "Terms starting with {letter}"},
    "letter_other_heading": {
        "ja": "英字以外で始まる用語",
        "en": "Terms starting with other characters",
    },
    "list_description": {"ja": "{heading}({n} 語):{names}", "en": "{heading} ({n}): {names}"},
    "search_description": {
        "ja": "{site}の用語を、漢字・かな・ローマ字・英語で検索できます。",
        "en": "Search the terms of {site} in English, Japanese or romaji.",
    },
    "og_term_alt": {
        "ja": "{title}({reading})— {other}|{site}",
        "en": "{title} — {other} ({reading}) | {site}",
    },
    "og_site_alt": {"ja": "{site}", "en": "{site}"},
    "og_tag_alt": {"ja": "タグ: {tag}({n} 語)", "en": "Tag: {tag} ({n} terms)"},
    "og_demo_alt": {
        "ja": "誤差伝播デモ — x → h → y → L のネットワーク|{site}",
        "en": "Backpropagation demo — the network x → h → y → L | {site}",
    },
    "feed_title": {"ja": "{site} — 更新された用語", "en": "{site} — recently updated terms"},
    "feed": {"ja": "更新情報(Atom)", "en": "Updates (Atom)"},
    # ── Embeds (app/web/routes/embed.py, templates/embed_*.html, templates/_embed_panel.html) ──
    "embed_panel": {"ja": "埋め込む", "en": "Embed"},
    "embed_panel_term": {
        "ja": "この用語をブログ記事に載せるためのコードです。",
        "en": "Code to put this term in a blog post.",
    },
    "embed_panel_demo": {
        "ja": "このデモを今の値のままブログ記事に載せるためのコードです。",
        "en": "Code to put this demo, with these values, in a blog post.",
    },
    "embed_link": {"ja": "リンク", "en": "Link"},
    "embed_iframe": {"ja": "埋め込みコード(iframe)", "en": "Embed code (iframe)"},
    "embed_script": {"ja": "スクリプト(リンクにカード)", "en": "Script (cards on links)"},
    "embed_oembed": {"ja": "oEmbed URL", "en": "oEmbed URL"},
    "embed_copy": {"ja": "コピー", "en": "Copy"},
    "embed_copy_what": {"ja": "{what}をコピー", "en": "Copy: {what}"},
    "embed_copied": {"ja": "コピーしました", "en": "Copied"},
    "embed_copy_failed": {
        "ja": "コピーできませんでした。選択してコピーしてください。",
        "en": "Could not copy; select the text and copy it.",
    },
    "embed_howto_wordpress": {
        "ja": (
            "WordPress: 「埋め込み」ブロックにリンクを貼るか、"
            "「カスタム HTML」ブロックに埋め込みコードを貼ります。"
        ),
        "en": (
            "WordPress: paste the link into an Embed block, "
            "or the embed code into a Custom HTML block."
        ),
    },
    "embed_howto_hatena": {
        "ja": "はてなブログ: 編集画面を「HTML編集」に切り替え、埋め込みコードを貼ります。",
        "en": "Hatena Blog: switch the editor to HTML編集 (HTML editing) and paste the embed code.",
    },
    "embed_frame_title": {"ja": "{title}|{site}", "en": "{title} | {site}"},
    "embed_read_more": {"ja": "続きを読む", "en": "Read more"},
    "embed_read_more_label": {
        "ja": "「{title}」の続きを読む(新しいタブで開きます)",
        "en": "Read more about {title} (opens in a new tab)",
    },
    "embed_new_tab": {"ja": "(新しいタブで開きます)", "en": " (opens in a new tab)"},
    "embed_not_found": {
        "ja": "この用語は見つかりませんでした。",
        "en": "This term could not be found.",
    },
    "embed_full_demo": {"ja": "デモを全画面で開く", "en": "Open the full demo"},
    "embed_more_settings": {"ja": "学習と関数の設定", "en": "Training and functions"},
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
