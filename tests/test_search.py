"""The search contract (issue 3), pinned against the real glossary built into a real file.

A reader types a term however their keyboard gives it — kanji, hiragana, katakana, romaji in
any common style, English in any case, full- or half-width, a variant spelling, an alias, a
synonym, a prefix from one character, a substring from two, or with one typo — and the term
comes back, one hit per term, ranked exact title, exact alias or reading, prefix, substring,
typo, ties by shorter title. No query string makes search() or suggest() raise.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.glossary.build import build_from_yaml
from app.glossary.loader import load_glossary
from app.glossary.schema import Glossary
from app.search import MAX_LIMIT, MAX_QUERY, Hit, clean_query, normalize, search, suggest
from app.text.normalize import fold_variants, kana_from_romaji, romaji_variants

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "data" / "glossary.yaml"
TIERS = ("exact", "prefix", "substring", "fuzzy")


def _open(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "glossary.sqlite"
    build_from_yaml(GLOSSARY, path)
    return path


@pytest.fixture(scope="module")
def db(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = _open(db_path)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(GLOSSARY)


def ids(hits: list[Hit]) -> list[str]:
    return [hit.term_id for hit in hits]


def first(connection: sqlite3.Connection, query: str) -> Hit:
    hits = search(connection, query)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


# --- what must match -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("偏微分", "partial-derivative"),
        ("RMSProp", "rmsprop"),
        ("バッチ正規化", "batch-normalization"),
    ],
)
def test_exact_title_in_any_script(db: sqlite3.Connection, query: str, term_id: str) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.field, hit.matched) == (term_id, "exact", "title", query)


@pytest.mark.parametrize("query", ["へんびぶん", "ヘンビブン"])
def test_reading_in_hiragana_or_katakana(db: sqlite3.Connection, query: str) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.field, hit.matched) == (
        "partial-derivative",
        "exact",
        "reading",
        "へんびぶん",
    )


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("hen bibun", "partial-derivative"),
        ("henbibun", "partial-derivative"),
        ("HenBibun", "partial-derivative"),
        ("jidou bibun", "automatic-differentiation"),  # wāpuro
        ("jido bibun", "automatic-differentiation"),  # Hepburn without the long vowel
        ("jidōbibun", "automatic-differentiation"),  # Hepburn with a macron
        ("zidoubibun", "automatic-differentiation"),  # kunrei, read back as kana
    ],
)
def test_romaji_of_the_reading(db: sqlite3.Connection, query: str, term_id: str) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.field) == (term_id, "exact", "romaji")


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("Momentum", "momentum"),
        ("momentum", "momentum"),
        ("MOMENTUM", "momentum"),
        ("rmsprop", "rmsprop"),
        ("RmsProp", "rmsprop"),
        ("learning rate", "learning-rate"),
    ],
)
def test_english_names_ignore_case(db: sqlite3.Connection, query: str, term_id: str) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind) == (term_id, "exact")


@pytest.mark.parametrize(
    ("query", "term_id", "matched"),
    [("ＲＭＳＰＲＯＰ", "rmsprop", "RMSProp"), ("ﾓｰﾒﾝﾀﾑ", "momentum", "モーメンタム")],
)
def test_full_and_half_width_forms(
    db: sqlite3.Connection, query: str, term_id: str, matched: str
) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.matched) == (term_id, "exact", matched)


@pytest.mark.parametrize(
    ("query", "term_id", "field"),
    [
        ("伝搬", "propagation", "title"),
        ("伝播", "propagation", "alias"),  # 伝播 is an alias of 伝搬
        ("誤差逆伝播法", "backpropagation", "alias"),
        ("誤差逆伝搬法", "backpropagation", "alias"),  # 搬 for 播: the alias's variant spelling
        ("バックプロパゲーション", "backpropagation", "alias"),
        ("ﾊﾞｯｸﾌﾟﾛﾊﾟｹﾞｰｼｮﾝ", "backpropagation", "alias"),
        ("モメンタム", "momentum", "title"),  # without the long-vowel mark
        ("backprop", "backpropagation", "alias"),
    ],
)
def test_variant_spellings_and_aliases(
    db: sqlite3.Connection, query: str, term_id: str, field: str
) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.field) == (term_id, "exact", field)


def test_a_variant_spelling_ranks_below_the_spelling_itself(db: sqlite3.Connection) -> None:
    # 誤差伝搬 is its own term; 誤差伝播 (backpropagation) is only its variant spelling.
    hits = search(db, "誤差伝搬")
    assert ids(hits)[:2] == ["error-propagation", "backpropagation"]
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize(
    ("label", "term_id"),
    [("スキップ接続", "residual-connection"), ("勾配伝搬法", "backpropagation")],
)
def test_a_synonym_finds_its_term(db: sqlite3.Connection, label: str, term_id: str) -> None:
    hit = first(db, label)
    assert (hit.term_id, hit.kind, hit.field, hit.matched) == (term_id, "exact", "synonym", label)


def test_every_synonym_label_finds_the_term_it_belongs_to(
    db: sqlite3.Connection, glossary: Glossary
) -> None:
    for term in glossary.terms:
        for relation in term.synonyms:
            for label in filter(None, (relation.label, relation.label_en)):
                assert term.id in ids(search(db, label, limit=MAX_LIMIT)), (term.id, label)


def test_every_term_is_found_by_its_own_names(db: sqlite3.Connection, glossary: Glossary) -> None:
    for term in glossary.terms:
        names = [term.title.ja, term.title.en, term.reading, *term.aliases]
        names += romaji_variants(term.reading)
        for name in names:
            hits = {hit.term_id: hit for hit in search(db, name, limit=MAX_LIMIT)}
            assert term.id in hits, (term.id, name)
            assert hits[term.id].kind == "exact", (term.id, name, hits[term.id])


@pytest.mark.parametrize(("query", "expected"), [("ば", "batch-size"), ("r", "rmsprop")])
def test_one_character_prefix_autocompletes(
    db: sqlite3.Connection, query: str, expected: str
) -> None:
    hits = suggest(db, query)
    assert expected in ids(hits)
    assert 1 < len(hits) <= 10
    assert all(hit.kind == "prefix" for hit in hits)


def test_two_character_substring_inside_a_compound(db: sqlite3.Connection) -> None:
    hit = first(db, "爆発")
    assert (hit.term_id, hit.kind, hit.field, hit.matched) == (
        "exploding-gradient",
        "substring",
        "title",
        "勾配爆発",
    )
    assert "exploding-gradient" in ids(suggest(db, "爆発"))


def test_three_character_substring(db: sqlite3.Connection) -> None:
    found = {hit.term_id: hit for hit in search(db, "伝播法")}
    assert found["backpropagation"].kind == "substring"


@pytest.mark.parametrize("query", ["momentun", "Momentun", "momnetum", "momentm", "moomentum"])
def test_one_typo_in_a_long_word(db: sqlite3.Connection, query: str) -> None:
    hit = first(db, query)
    assert (hit.term_id, hit.kind, hit.matched) == ("momentum", "fuzzy", "Momentum")
    assert ids(suggest(db, query))[:1] == ["momentum"]


@pytest.mark.parametrize("query", ["adan", "momantun", "xomentuq"])
def test_no_typo_forgiven_in_short_words_or_twice(db: sqlite3.Connection, query: str) -> None:
    assert all(hit.kind != "fuzzy" for hit in search(db, query))
    assert "momentum" not in ids(search(db, query))


def test_a_typo_is_not_guessed_when_the_query_is_a_key(db: sqlite3.Connection) -> None:
    # ぜんびぶん (全微分) is one edit from へんびぶん (偏微分) but a word of its own.
    assert ids(search(db, "へんびぶん")) == ["partial-derivative"]


# --- ranking ----------------------------------------------------------------------------

RANKING_YAML = """\
version: 1
site: {title: {ja: 順位, en: Ranking}, description: {ja: 試験用。, en: For tests.}}
terms:
  - {id: substring, title: {ja: 単体テスト, en: Unit test}, reading: たんたいてすと,
     summary: {ja: 中に含む。, en: Contains it.}, updated: 2026-11-27}
  - {id: prefix-long, title: {ja: テストケース生成, en: Test case generation},
     reading: てすとけーすせいせい, summary: {ja: 前方一致。, en: Prefix.}, updated: 2026-11-27}
  - {id: reading, title: {ja: 手簀徒, en: Odd}, reading: てすと,
     summary: {ja: 読み。, en: Reading.}, updated: 2026-11-27}
  - {id: prefix, title: {ja: テストケース, en: Test case}, reading: てすとけーす,
     summary: {ja: 前方一致。, en: Prefix.}, updated: 2026-11-27}
  - {id: alias, title: {ja: 試験, en: Exam}, reading: しけん, aliases: [テスト],
     summary: {ja: 別名。, en: Alias.}, updated: 2026-11-27}
  - {id: title, title: {ja: テスト, en: Test}, reading: てすと,
     summary: {ja: 題名。, en: Title.}, updated: 2026-11-27}
  - {id: synonym, title: {ja: 検査, en: Check}, reading: けんさ,
     synonyms: [{label: テスト, ref: null, note: {ja: 近い。, en: Close.}}],
     summary: {ja: 同義語。, en: Synonym.}, updated: 2026-11-27}
  - {id: typo, title: {ja: テスター, en: Testers}, reading: てすたー,
     summary: {ja: 誤字。, en: Typo.}, updated: 2026-11-27}
"""


@pytest.fixture(scope="module")
def ranking_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    directory = tmp_path_factory.mktemp("ranking")
    yaml_path = directory / "glossary.yaml"
    yaml_path.write_text(RANKING_YAML, encoding="utf-8")
    build_from_yaml(yaml_path, directory / "glossary.sqlite")
    connection = _open(directory / "glossary.sqlite")
    yield connection
    connection.close()


def test_ranking_exact_title_alias_reading_synonym_prefix_substring(
    ranking_db: sqlite3.Connection,
) -> None:
    hits = search(ranking_db, "テスト")
    assert [(hit.term_id, hit.kind, hit.field) for hit in hits] == [
        ("title", "exact", "title"),
        ("alias", "exact", "alias"),  # alias and reading tie; 試験 is the shorter title
        ("reading", "exact", "reading"),
        ("synonym", "exact", "synonym"),
        ("prefix", "prefix", "title"),  # テストケース before テストケース生成: shorter title
        ("prefix-long", "prefix", "title"),
        ("substring", "substring", "title"),
    ]
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_ranking_typo_comes_last(ranking_db: sqlite3.Connection) -> None:
    hits = search(ranking_db, "testerz")
    assert [(hit.term_id, hit.kind) for hit in hits] == [("typo", "fuzzy")]
    assert search(ranking_db, "testers")[0].kind == "exact"


def test_ranking_on_the_real_glossary_is_by_tier_then_shorter_title(
    db: sqlite3.Connection,
) -> None:
    titles = dict(db.execute("SELECT id, title_ja FROM term").fetchall())
    for query in ["微分", "勾配", "gradient", "伝搬", "ご", "error", "関数", "かんすう", "b"]:
        hits = search(db, query)
        assert len(set(ids(hits))) == len(hits), query  # one hit per term
        assert [TIERS.index(h.kind) for h in hits] == sorted(TIERS.index(h.kind) for h in hits)
        for before, after in pairwise(hits):
            assert before.score >= after.score, query
            if before.score == after.score:
                assert len(titles[before.term_id]) <= len(titles[after.term_id]), query


def test_limit_is_respected_and_capped(db: sqlite3.Connection) -> None:
    assert search(db, "の", limit=0) == []
    assert search(db, "の", limit=-5) == []
    assert len(search(db, "ご", limit=2)) == 2
    assert len(search(db, "a", limit=10_000)) <= MAX_LIMIT
    assert len(suggest(db, "ご")) <= 10


# --- bad input ------------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\u3000",
    '"',
    '""',
    "'",
    "AND",
    "OR",
    "NOT",
    "NEAR(a b)",
    '"a" AND "b"',
    "*",
    "a*",
    "^x",
    "keys:abc",
    "%",
    "_",
    "%_%",
    "\\",
    "\\%",
    "\x00",
    "a\x00b",
    "😀",
    "👨‍👩‍👧",
    "\ufeff",
    "\U0010ffff",
    "'; DROP TABLE term; --",
    "ア" * 10_000,
    "x" * 10_000,
    "ー",
    "ーー",
    "〜",
    "㍿",
    "ｶﾞ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_results_or_nothing(db: sqlite3.Connection, query: str) -> None:
    for find in (search, suggest):
        hits = find(db, query)
        assert isinstance(hits, list)
        assert all(isinstance(hit, Hit) for hit in hits)
    assert db.execute("SELECT count(*) FROM term").fetchone()[0] > 0


def test_long_queries_are_truncated_not_refused(db: sqlite3.Connection) -> None:
    assert first(db, "偏微分" + " " * 10_000).term_id == "partial-derivative"
    assert search(db, "偏微分" * 5_000) == []


def test_non_string_queries_give_nothing(db: sqlite3.Connection) -> None:
    assert search(db, None) == []  # type: ignore[arg-type]
    assert suggest(db, b"RMSProp") == []  # type: ignore[arg-type]


@settings(deadline=None, max_examples=300)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet='"*()%_\\^:-+ ANDORNEAR\x00あアｱ亜ーｰ〜搬播ゔ😀'),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=4),
    )
)
def test_no_string_makes_search_or_suggest_raise(db: sqlite3.Connection, query: str) -> None:
    for find in (search, suggest):
        hits = find(db, query)
        assert len({hit.term_id for hit in hits}) == len(hits)


def test_concurrent_searches_share_the_typo_index(db_path: Path) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        connection = _open(db_path)
        try:
            for _ in range(20):
                results.append(ids(search(connection, "momentun")))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(result[:1] == ["momentum"] for result in results)


# --- cleaning ------------------------------------------------------------------------------


def test_clean_query_removes_control_characters() -> None:
    cleaned = clean_query("\x00勾配\t\x1b降下\x7f法\x85\x9f")
    assert cleaned.text == "勾配降下法"
    assert not cleaned.truncated


def test_clean_query_strips_whitespace() -> None:
    assert clean_query("  \u3000 momentum \n ").text == "momentum"
    assert clean_query(" \x00 ").text == ""


def test_clean_query_cuts_a_long_query_and_says_so() -> None:
    assert MAX_QUERY == 200
    cleaned = clean_query("あ" * 201)
    assert cleaned.text == "あ" * 200
    assert cleaned.truncated


def test_clean_query_leaves_a_normal_query_alone() -> None:
    for text in ("誤差逆伝播法", "backpropagation", "あ" * 200, " " + "a" * 200 + " "):
        cleaned = clean_query(text)
        assert cleaned.text == text.strip()
        assert not cleaned.truncated


# --- normalization --------------------------------------------------------------------------


@settings(deadline=None, max_examples=1_000)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert fold_variants(fold_variants(once)) == fold_variants(once)


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096)))
def test_katakana_and_hiragana_normalize_alike(text: str) -> None:
    katakana = "".join(chr(ord(char) + 0x60) for char in text)
    assert normalize(katakana) == normalize(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＲＭＳＰＲＯＰ", "rmsprop"),
        ("ﾓｰﾒﾝﾀﾑ", "もーめんたむ"),
        ("モ—メンタム", "もーめんたむ"),  # an em dash after kana is a long-vowel mark
        ("コンピュ〜タ", "こんぴゅーた"),
        ("Hen Bibun", "henbibun"),
        ("jidōbibun", "jidobibun"),
        ("t-SNE", "tsne"),
        ("Xavier (Glorot) 初期化", "xavierglorot初期化"),
        ("ソフトマックス・関数", "そふとまっくす関数"),
        ("a\x00b\u200bc", "abc"),
        ("ー伝播", "伝播"),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("じどうびぶん", ["jidoubibun", "jidōbibun"]),
        ("へん びぶん", ["hen bibun"]),
        ("もーめんたむ", ["moomentamu", "mōmentamu"]),
        ("ばっちせいきか", ["bacchiseikika"]),
        ("てぃーちゃー", ["tiichaa", "tīchā"]),
        ("しゃふぁ", ["shafa"]),
    ],
)
def test_romaji_variants(reading: str, expected: list[str]) -> None:
    assert romaji_variants(reading) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zidoubibun", "じどうびぶん"),
        ("kicchin", "きっちん"),
        ("momentum", None),
        ("rmsprop", None),
    ],
)
def test_kana_from_romaji(query: str, expected: str | None) -> None:
    assert kana_from_romaji(query) == expected
