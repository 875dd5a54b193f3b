"""The glossary's content contract: every entry of the article's source lists stays in the
glossary (synonyms 同意語, antonyms 対義語, collocations 共起語, related terms 関連用語), on the
flagship term or on the hub of its measurement sense, where the glossary now presents them. A
label may have moved to another kind of relation when the source filed it wrongly (逆伝播 is a
name of backpropagation, not its opposite), and English labels became Japanese ones with the
English kept beside them (Sigmoid → シグモイド関数)."""

from __future__ import annotations

import pytest

from app.glossary.loader import load_glossary
from app.glossary.schema import RELATION_KINDS, TermEntry
from tests.conftest import GLOSSARY

FLAGSHIP, MEASUREMENT_HUB = "backpropagation", "error-propagation"

SEED_LISTS: dict[str, tuple[str, ...]] = {
    "synonyms": (
        "バックプロパゲーション",
        "誤差逆伝播法",
        "誤差逆伝播アルゴリズム",
        "逆伝播法",
        "逆伝搬",
        "勾配伝搬法",
        "誤差伝搬",
    ),
    "antonyms": (
        "前向き伝播",
        "順伝播",
        "前方伝播",
        "正向伝播",
        "フォワードパス",
        "逆伝播",
    ),
    "collocations": (
        "誤差",
        "伝搬",
        "誤差伝搬",
        "誤差伝搬の公式",
        "誤差伝搬の法則",
        "誤差伝搬法",
        "不確かさ",
        "不確かさ伝搬",
        "不確かさ分析",
        "感度分析",
        "感度",
        "線形化",
        "線形近似",
        "テイラー展開",
        "近似",
        "丸め誤差",
        "桁落ち",
        "数値誤差",
        "数値安定性",
        "入力誤差",
        "出力誤差",
        "分散",
        "標準偏差",
        "共分散",
        "確率分布",
        "ノイズ",
        "ノイズ伝搬",
        "バックプロパゲーション",
        "誤差逆伝播",
    ),
    "related": (
        "誤差伝播",
        "誤差逆伝播法",
        "順伝播",
        "前向き伝播",
        "連鎖律",
        "自動微分",
        "計算グラフ",
        "微分",
        "偏微分",
        "全微分",
        "勾配",
        "勾配計算",
        "コスト関数",
        "損失関数",
        "重み更新",
        "学習率",
        "ミニバッチ学習",
        "バッチサイズ",
        "SGD(確率的勾配降下法)",
        "バッチ勾配降下法",
        "Adam",
        "モーメンタム",
        "RMSProp",
        "勾配消失",
        "勾配爆発",
        "活性化関数",
        "ReLU",
        "Sigmoid",
        "Tanh",
        "Softmax",
        "バッチ正規化",
        "ドロップアウト",
        "勾配クリッピング",
        "勾配検算",
        "初期化",
        "Xavier(Glorot)初期化",
        "He初期化",
        "ニューラルネットワーク",
    ),
}
# English labels on the Japanese side became Japanese, with the English in label_en.
RELABELLED = {
    "Sigmoid": "シグモイド関数",
    "Tanh": "双曲線正接関数",
    "Softmax": "ソフトマックス関数",
}


@pytest.fixture(scope="module")
def hubs() -> tuple[TermEntry, TermEntry]:
    terms = {term.id: term for term in load_glossary(GLOSSARY).terms}
    return terms[FLAGSHIP], terms[MEASUREMENT_HUB]


def shown(term: TermEntry) -> set[str]:
    """Every name a term's page shows: its titles, aliases and relation labels."""
    names = {term.title.ja, term.title.en, *term.aliases}
    for _, _, relation in term.relations():
        names.update(name for name in (relation.label, relation.label_en) if name)
    return names


@pytest.mark.parametrize("kind", RELATION_KINDS)
def test_every_entry_of_the_source_lists_is_kept(
    hubs: tuple[TermEntry, TermEntry], kind: str
) -> None:
    names = shown(hubs[0]) | shown(hubs[1])
    labels = [RELABELLED.get(label, label) for label in SEED_LISTS[kind]]
    assert [label for label in labels if label not in names] == []


@pytest.mark.parametrize("kind", RELATION_KINDS)
def test_most_entries_keep_their_kind(hubs: tuple[TermEntry, TermEntry], kind: str) -> None:
    """A few entries moved to the right kind; the lists as a whole are still those lists."""
    labels = {
        name
        for term in hubs
        for relation in getattr(term, kind)
        for name in (relation.label, relation.label_en)
        if name
    }
    kept = [label for label in SEED_LISTS[kind] if RELABELLED.get(label, label) in labels]
    assert len(kept) >= 0.8 * len(SEED_LISTS[kind])
