"""Japanese ordering: 五十音 rows, a sort key for readings, and the index groups (rows, A–Z)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar

# The first kana of each 五十音 row, in order; a reading belongs to the last row it is past.
_ROWS = (
    ("あ", "あ行", "a"),
    ("か", "か行", "ka"),
    ("さ", "さ行", "sa"),
    ("た", "た行", "ta"),
    ("な", "な行", "na"),
    ("は", "は行", "ha"),
    ("ま", "ま行", "ma"),
    ("や", "や行", "ya"),
    ("ら", "ら行", "ra"),
    ("わ", "わ行", "wa"),
)
GOJUON_ROWS: tuple[tuple[str, str], ...] = tuple((slug, name) for _, name, slug in _ROWS)
OTHER_ROW = ("other", "その他")

_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


def _plain(kana: str) -> str:
    """Drop dakuten and handakuten and enlarge small kana: が → か, ぱ → は, ゃ → や."""
    decomposed = unicodedata.normalize("NFD", kana)
    stripped = "".join(ch for ch in decomposed if ch not in "\u3099\u309a")
    return unicodedata.normalize("NFC", stripped).translate(_SMALL_TO_LARGE)


def reading_sort_key(reading: str) -> str:
    """Dictionary order: plain kana first (か before が), then the exact reading as tiebreak."""
    reading = reading.replace(" ", "").replace("　", "")
    return f"{_plain(reading)}\x00{reading}"


def gojuon_row(reading: str) -> tuple[str, str]:
    """The (slug, name) of the 五十音 row a reading is filed under: ("ka", "か行")."""
    first = _plain(reading.strip()[:1])
    if not first or not "あ" <= first <= "ん":
        return OTHER_ROW
    row = _ROWS[0]
    for candidate in _ROWS:
        if first >= candidate[0]:
            row = candidate
    return (row[2], row[1])


def latin_initial(title_en: str) -> str:
    """The A–Z letter an English title is filed under, or '#' for anything else."""
    folded = unicodedata.normalize("NFKD", title_en.strip()).upper()
    return folded[0] if folded and "A" <= folded[0] <= "Z" else "#"


class Entry(Protocol):
    """What the index groups need of a term."""

    reading: str
    title_en: str


E = TypeVar("E", bound=Entry)
ROW_NAMES: dict[str, str] = dict((*GOJUON_ROWS, OTHER_ROW))


def gojuon_groups(entries: Iterable[E]) -> list[tuple[str, str, list[E]]]:
    """(slug, name, entries) of each 五十音 row that has entries, in row order (entries keep
    their order: pass them sorted by reading_sort_key)."""
    rows: dict[str, list[E]] = {slug: [] for slug in ROW_NAMES}
    for entry in entries:
        rows[gojuon_row(entry.reading)[0]].append(entry)
    return [(slug, ROW_NAMES[slug], rows[slug]) for slug in ROW_NAMES if rows[slug]]


def letter_groups(entries: Iterable[E]) -> list[tuple[str, list[E]]]:
    """(initial, entries) by the first letter of the English title, A–Z then '#'."""
    letters: dict[str, list[E]] = {}
    for entry in sorted(entries, key=lambda e: e.title_en.casefold()):
        letters.setdefault(latin_initial(entry.title_en), []).append(entry)
    return sorted(letters.items())
