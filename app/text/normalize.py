"""Text normalization and romaji for search keys; pure functions, no database.

normalize() is applied to every key at build time and to every query, so two spellings of
one word meet on one string: NFKC (full-width letters and half-width kana become ordinary),
case folding, katakana → hiragana, accents dropped from Latin letters (jidō → jido), every
long-vowel or dash variant after kana becomes ー and elsewhere disappears, and spaces,
punctuation and control characters are removed.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# Dash-like characters (after NFKC): a long-vowel mark after kana, a hyphen elsewhere.
_DASHES = frozenset("-‐‑‒–—―−ー〜~⁓")
_LONG_VOWEL = "ー"
_MAX_PASSES = 4


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" or "\u31f0" <= char <= "\u31ff"


def _is_latin(char: str) -> bool:
    return char.isascii() or "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff"


def _strip_latin_marks(text: str) -> str:
    """Drop combining marks that sit on Latin letters (ō → o) and keep kana voicing marks."""
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base_is_latin:
                continue
        else:
            base_is_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


# Strings of only these characters (any ー following kana) are already normalized.
_PLAIN = re.compile(r"[0-9a-z\u3041-\u3096\u309d\u309e\u30fc\u3400-\u4dbf\u4e00-\u9fff]*")
_STRAY_LONG_VOWEL = re.compile(r"(?<![\u3041-\u3096\u309d\u309e\u30fc])\u30fc")


def _is_plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None and _STRAY_LONG_VOWEL.search(text) is None


def _normalize_once(text: str) -> str:
    folded = jaconv.kata2hira(unicodedata.normalize("NFKC", text).casefold()).replace(" ", "")
    if _is_plain(folded):  # the common case, without a loop over characters
        return folded
    if not folded.isascii():
        folded = _strip_latin_marks(folded)
    out: list[str] = []
    for char in folded:
        if char in _DASHES:
            if out and _is_kana(out[-1]):
                out.append(_LONG_VOWEL)
            continue
        # Z: separators (spaces), P: punctuation, C: controls, NUL, format, surrogates, unassigned.
        if unicodedata.category(char)[0] in "ZPC":
            continue
        out.append(char)
    return "".join(out)


def normalize(text: str) -> str:
    """The search form of text: NFKC, case-folded, hiragana, no spaces or punctuation."""
    text = _normalize_once(text)
    # NFKC and case folding do not commute for a few characters; repeating until the text
    # stops changing makes the whole function idempotent.
    for _ in range(_MAX_PASSES):
        if _is_plain(text):
            break
        normalized = _normalize_once(text)
        if normalized == text:
            break
        text = normalized
    return text


# Spellings of one word: 伝搬/伝播, 函数/関数, ヴァ/バ, コンピュータ/コンピューター.
_VARIANT_PAIRS = (
    ("ゔぁ", "ば"),
    ("ゔぃ", "び"),
    ("ゔぇ", "べ"),
    ("ゔぉ", "ぼ"),
    ("ゔ", "ぶ"),
    ("ぢ", "じ"),
    ("づ", "ず"),
    ("搬", "播"),
    ("函", "関"),
    ("聯", "連"),
    (_LONG_VOWEL, ""),
)


def fold_variants(key: str) -> str:
    """A normalized key with variant spellings folded: 搬 → 播, ゔぁ → ば, ぢ → じ, ー dropped."""
    if key.isascii():
        return key
    for variant, canonical in _VARIANT_PAIRS:
        key = key.replace(variant, canonical)
    return key


# Hepburn romaji of single hiragana.
_MORA = dict(
    zip(
        "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでど"
        "なにぬねのはひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをんゔゕゖゎ",
        (
            "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo "
            "ta chi tsu te to da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo "
            "pa pi pu pe po ma mi mu me mo ya yu yo ra ri ru re ro wa i e o n vu ka ke wa"
        ).split(),
        strict=True,
    )
)
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}
_MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}
_SEPARATORS = frozenset(" 　・")
_SOKUON = "っ"
_SPACE = " "


def _with_small_y(previous: str, vowel: str) -> str:
    """きゃ → kya, しゃ → sha, ちょ → cho, ふゅ → fyu, でゅ → dyu."""
    base = previous[:-1]
    if previous.endswith("i") and base in ("sh", "ch", "j"):
        return base + vowel
    return base + "y" + vowel


def _with_small_vowel(previous: str, vowel: str) -> str | None:
    """ふぁ → fa, てぃ → ti, うぃ → wi, しぇ → she, つぁ → tsa; None when it stands alone."""
    if previous == "u" and vowel in "ieo":
        return "w" + vowel
    if previous == "i" and vowel == "e":
        return "ye"
    if previous in ("te", "de") and vowel == "i":
        return previous[0] + "i"
    if previous in ("to", "do") and vowel == "u":
        return previous[0] + "u"
    if previous in ("shi", "chi", "ji") and vowel == "e":
        return previous[:-1] + "e"
    if previous in ("ku", "gu") and vowel == "a":
        return previous[0] + "wa"
    if len(previous) > 1 and previous.endswith("u"):
        return previous[:-1] + vowel
    return None


def _syllables(reading: str) -> list[str]:
    """A reading as Hepburn syllables, with っ, ー and a space kept as markers."""
    tokens: list[str] = []
    for char in reading:
        previous = tokens[-1] if tokens and tokens[-1].isascii() and tokens[-1] != _SPACE else ""
        if char in _SMALL_Y and len(previous) > 1:
            tokens[-1] = _with_small_y(previous, _SMALL_Y[char])
        elif char in _SMALL_VOWEL and previous:
            combined = _with_small_vowel(previous, _SMALL_VOWEL[char])
            if combined is None:
                tokens.append(_SMALL_VOWEL[char])
            else:
                tokens[-1] = combined
        elif char in _SMALL_Y:
            tokens.append("y" + _SMALL_Y[char])
        elif char in _MORA:
            tokens.append(_MORA[char])
        elif char in "ゝゞ" and previous:
            tokens.append(previous)
        elif char in _SEPARATORS:
            tokens.append(_SPACE)
        elif char in (_SOKUON, _LONG_VOWEL):
            tokens.append(char)
        elif char in "ぁぃぅぇぉ":
            tokens.append(_SMALL_VOWEL[char])
    return tokens


def _render(tokens: list[str], *, long_vowels: bool) -> str:
    """Join syllables: wāpuro keeps long vowels as typed (jidou), Hepburn marks them (jidō)."""
    out: list[str] = []
    doubled = False
    last_vowel = ""
    for token in tokens:
        if token == _SOKUON:
            doubled = True
            continue
        if token == _SPACE:
            out.append(_SPACE)
            doubled, last_vowel = False, ""
            continue
        is_long = token == _LONG_VOWEL or (
            token in ("a", "u", "e", "o")
            and (token == last_vowel or (token == "u" and last_vowel == "o"))
        )
        if is_long and last_vowel:
            if long_vowels:
                out.append(last_vowel if token == _LONG_VOWEL else token)
            else:
                out[-1] = out[-1][:-1] + _MACRON[last_vowel]
            last_vowel = ""
            continue
        if token == _LONG_VOWEL:
            continue
        if doubled and token[0] not in "aiueon":
            token = token[0] + token
        doubled = False
        out.append(token)
        last_vowel = token[-1] if token[-1] in "aiueo" else ""
    return "".join(out).strip()


def romaji_variants(reading: str) -> list[str]:
    """Romaji spellings of a hiragana reading: wāpuro (jidou bibun) and Hepburn (jidō bibun)."""
    tokens = _syllables(reading)
    variants = [_render(tokens, long_vowels=True), _render(tokens, long_vowels=False)]
    return [v for i, v in enumerate(variants) if v and v not in variants[:i]]


_PLAIN_ROMAJI = str.maketrans({**{m: v for v, m in _MACRON.items()}, " ": None})


def romaji_key(romaji: str) -> str:
    """normalize() of a romaji_variants() spelling, without the general machinery."""
    return romaji.translate(_PLAIN_ROMAJI)


# Romaji syllables in any common style (Hepburn, kunrei, wāpuro): a query made only of these
# may be a reading typed in Latin letters; momentum, rmsprop and adam are not.
_ROMAJI = re.compile(
    r"(?:(?:sh|ch|ts|[kgszjtdnhbpmyrwfv])?y?[aiueo]|nn|n(?![aiueoy])|([kgsztdhbpmrfvc])(?=\1|ch))+"
)


def kana_from_romaji(key: str) -> str | None:
    """Hiragana for a normalized all-letter romaji query (zidoubibun → じどうびぶん), else None."""
    if not _ROMAJI.fullmatch(key):
        return None
    kana: str = jaconv.alphabet2kana(key)
    if all("\u3041" <= char <= "\u309f" or char == _LONG_VOWEL for char in kana):
        return kana
    return None
