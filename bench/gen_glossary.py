"""Write a synthetic glossary of N realistic Japanese technical terms: `gen_glossary.py N OUT.yaml`.

Titles are compounds of kanji and katakana word parts (確率的 + 勾配 + 降下法), each part
carrying its hiragana reading and English word, so every term has a true reading, an English
title, aliases (abbreviations, 〜法 / 〜問題 forms, 伝播/伝搬-style variants) and some synonyms.
The output is deterministic for a given N (fixed seed) and valid against schema version 1.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SEED = 20261127
UPDATED = "2026-11-27"

# (surface, hiragana reading, English) — kanji words, katakana loanwords and a few Latin names.
_PARTS_TEXT = """
確率的|かくりつてき|stochastic
勾配|こうばい|gradient
降下法|こうかほう|descent
誤差|ごさ|error
伝播|でんぱ|propagation
逆伝播|ぎゃくでんぱ|backpropagation
順伝播|じゅんでんぱ|forward propagation
関数|かんすう|function
損失|そんしつ|loss
正規化|せいきか|normalization
学習|がくしゅう|learning
学習率|がくしゅうりつ|learning rate
重み|おもみ|weight
初期化|しょきか|initialization
更新|こうしん|update
微分|びぶん|derivative
偏微分|へんびぶん|partial derivative
積分|せきぶん|integral
行列|ぎょうれつ|matrix
固有値|こゆうち|eigenvalue
分解|ぶんかい|decomposition
特異値|とくいち|singular value
確率|かくりつ|probability
分布|ぶんぷ|distribution
分散|ぶんさん|variance
標準偏差|ひょうじゅんへんさ|standard deviation
共分散|きょうぶんさん|covariance
推定|すいてい|estimation
最尤|さいゆう|maximum likelihood
事後|じご|posterior
事前|じぜん|prior
近似|きんじ|approximation
線形|せんけい|linear
非線形|ひせんけい|nonlinear
回帰|かいき|regression
分類|ぶんるい|classification
識別|しきべつ|discrimination
生成|せいせい|generative
モデル|もでる|model
畳み込み|たたみこみ|convolution
再帰型|さいきがた|recurrent
注意|ちゅうい|attention
機構|きこう|mechanism
埋め込み|うめこみ|embedding
表現|ひょうげん|representation
特徴量|とくちょうりょう|feature
抽出|ちゅうしゅつ|extraction
次元|じげん|dimension
削減|さくげん|reduction
主成分|しゅせいぶん|principal component
分析|ぶんせき|analysis
感度|かんど|sensitivity
不確かさ|ふたしかさ|uncertainty
計測|けいそく|measurement
丸め|まるめ|rounding
桁落ち|けたおち|cancellation
数値|すうち|numerical
安定性|あんていせい|stability
収束|しゅうそく|convergence
発散|はっさん|divergence
爆発|ばくはつ|explosion
消失|しょうしつ|vanishing
正則化|せいそくか|regularization
過学習|かがくしゅう|overfitting
汎化|はんか|generalization
性能|せいのう|performance
評価|ひょうか|evaluation
指標|しひょう|metric
交差|こうさ|cross
検証|けんしょう|validation
探索|たんさく|search
最適化|さいてきか|optimization
制約|せいやく|constraint
条件|じょうけん|condition
境界|きょうかい|boundary
空間|くうかん|space
距離|きょり|distance
類似度|るいじど|similarity
集合|しゅうごう|set
写像|しゃぞう|mapping
連鎖律|れんさりつ|chain rule
計算|けいさん|computation
グラフ|ぐらふ|graph
ノード|のーど|node
エッジ|えっじ|edge
ネットワーク|ねっとわーく|network
ニューラル|にゅーらる|neural
レイヤー|れいやー|layer
バッチ|ばっち|batch
ミニバッチ|みにばっち|mini-batch
エポック|えぽっく|epoch
ドロップアウト|どろっぷあうと|dropout
モーメンタム|もーめんたむ|momentum
スケジューラ|すけじゅーら|scheduler
オプティマイザ|おぷてぃまいざ|optimizer
エンコーダ|えんこーだ|encoder
デコーダ|でこーだ|decoder
トランスフォーマー|とらんすふぉーまー|transformer
トークン|とーくん|token
ベクトル|べくとる|vector
テンソル|てんそる|tensor
カーネル|かーねる|kernel
フィルタ|ふぃるた|filter
プーリング|ぷーりんぐ|pooling
シグモイド|しぐもいど|sigmoid
ソフトマックス|そふとまっくす|softmax
エントロピー|えんとろぴー|entropy
ダイバージェンス|だいばーじぇんす|divergence
サンプリング|さんぷりんぐ|sampling
ブートストラップ|ぶーとすとらっぷ|bootstrap
アンサンブル|あんさんぶる|ensemble
ヒストグラム|ひすとぐらむ|histogram
ノイズ|のいず|noise
シミュレーション|しみゅれーしょん|simulation
ベイズ|べいず|Bayesian
ガウス|がうす|Gaussian
マルコフ|まるこふ|Markov
モンテカルロ|もんてかるろ|Monte Carlo
ラプラス|らぷらす|Laplace
テイラー|ていらー|Taylor
ヤコビ|やこび|Jacobian
ヘッセ|へっせ|Hessian
ニュートン|にゅーとん|Newton
展開|てんかい|expansion
法|ほう|method
問題|もんだい|problem
定理|ていり|theorem
公式|こうしき|formula
法則|ほうそく|law
手法|しゅほう|technique
"""


def _parts(text: str) -> tuple[tuple[str, str, str], ...]:
    rows = []
    for line in text.strip().splitlines():
        surface, reading, english = line.split("|")
        rows.append((surface, reading, english))
    return tuple(rows)


PARTS = _parts(_PARTS_TEXT)
HEADS = [p for p in PARTS if p[0] not in ("法", "問題", "定理", "公式", "法則", "手法", "展開")]
TAILS = [p for p in PARTS if p[0] in ("法", "問題", "定理", "公式", "法則", "手法", "展開")]
TAGS = {
    "machine-learning": ("機械学習", "Machine learning"),
    "deep-learning": ("深層学習", "Deep learning"),
    "optimization": ("最適化", "Optimization"),
    "statistics": ("統計", "Statistics"),
    "numerical-analysis": ("数値解析", "Numerical analysis"),
}
VARIANTS = (
    ("伝播", "伝搬"),
    ("関数", "函数"),
    ("フィルタ", "フィルター"),
    ("オプティマイザ", "オプティマイザー"),
)


def _english(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def generate(n: int, *, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """n term mappings (schema version 1) with unique ids and unique Japanese titles."""
    rng = random.Random(seed)
    seen_titles: set[str] = set()
    seen_ids: set[str] = set()
    made = 0
    while made < n:
        size = rng.choices((1, 2, 3, 4), weights=(4, 50, 38, 8))[0]
        parts = rng.sample(HEADS, size)
        if size >= 2 and rng.random() < 0.25:
            parts[-1] = rng.choice(TAILS)
        title_ja = "".join(p[0] for p in parts)
        if title_ja in seen_titles or len({p[2] for p in parts}) < size:
            continue
        seen_titles.add(title_ja)
        words = [p[2] for p in parts]
        title_en = _english(words)
        reading = "".join(p[1] for p in parts)
        term_id = _slug(title_en)
        if term_id in seen_ids:
            term_id = f"{term_id}-{made}"
        seen_ids.add(term_id)

        aliases: list[str] = []
        if size >= 2 and rng.random() < 0.5:
            aliases.append("".join(w[0] for w in " ".join(words).split()).upper())
        for plain, variant in VARIANTS:
            if plain in title_ja and rng.random() < 0.7:
                aliases.append(title_ja.replace(plain, variant))
        if rng.random() < 0.3:
            aliases.append(title_ja + rng.choice(("法", "問題", "手法")))
        if rng.random() < 0.2:
            aliases.append(title_en.lower() + rng.choice((" method", " problem")))
        synonyms = []
        if rng.random() < 0.25:
            other = rng.sample(HEADS, 2)
            synonyms.append(
                {
                    "label": "".join(p[0] for p in other),
                    "label_en": _english([p[2] for p in other]),
                    "ref": None,
                    "note": {"ja": "近い意味で使われる。", "en": "Used in a similar sense."},
                }
            )
        term: dict[str, Any] = {
            "id": term_id,
            "title": {"ja": title_ja, "en": title_en},
            "reading": reading,
            "aliases": list(dict.fromkeys(a for a in aliases if a and a != title_ja)),
            "tags": rng.sample(sorted(TAGS), rng.choice((1, 1, 2))),
            "summary": {
                "ja": f"{title_ja}に関する用語。",
                "en": f"A term about {title_en.lower()}.",
            },
        }
        if synonyms:
            term["synonyms"] = synonyms
        term["updated"] = UPDATED
        made += 1
        yield term


def document(terms: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole glossary mapping around the given terms."""
    return {
        "version": 1,
        "site": {
            "title": {"ja": "合成用語集", "en": "Synthetic glossary"},
            "description": {
                "ja": "ベンチマーク用の合成データ。",
                "en": "Synthetic benchmark data.",
            },
        },
        "tags": {tag: {"ja": ja, "en": en} for tag, (ja, en) in TAGS.items()},
        "terms": terms,
    }


def _scalar(value: Any) -> str:
    # A JSON string or literal is a valid YAML flow scalar; json.dumps quotes and escapes it.
    return json.dumps(value, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def to_yaml(glossary: dict[str, Any]) -> str:
    """Block-style YAML with one flow value per field, compact enough for 100,000 terms."""
    lines = ["version: 1", f"site: {_flow(glossary['site'])}", "tags:"]
    lines += [f"  {tag}: {_flow(name)}" for tag, name in glossary["tags"].items()]
    lines.append("terms:")
    for term in glossary["terms"]:
        first = True
        for key, value in term.items():
            text = value if key == "updated" else _flow(value)
            lines.append(f"{'  - ' if first else '    '}{key}: {text}")
            first = False
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit():
        print("usage: gen_glossary.py N OUT.yaml", file=sys.stderr)
        return 2
    terms = list(generate(int(argv[1])))
    Path(argv[2]).write_text(to_yaml(document(terms)), encoding="utf-8")
    print(f"{argv[2]}: {len(terms)} terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
