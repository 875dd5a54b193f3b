"""Text in a font face for the OG images: line breaks with 行頭禁則, sizes that fit, cuts with ….

A face of None is Pillow's default font (no Japanese font installed); `drawable` keeps only the
text that font can show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

from PIL import ImageDraw, ImageFont

Font: TypeAlias = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Characters a line must not start with (行頭禁則), so a wrapped title never begins with 、 or ー.
NO_LINE_START = frozenset("、。,.・:;!?)]}）」』】ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々")


@dataclass(frozen=True)
class Face:
    path: str
    index: int


@dataclass(frozen=True)
class Fonts:
    regular: Face
    bold: Face


@lru_cache(maxsize=64)
def font_at(face: Face | None, size: int) -> Font:
    """The face at a size; Pillow's default font when face is None."""
    if face is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(face.path, size, index=face.index)


def drawable(text: str, face: Face | None) -> str:
    """Without a Japanese font, only what the fallback font can draw (no tofu boxes)."""
    text = " ".join(text.split())  # one line, single spaces
    if face is not None:
        return text
    return text if all(ord(ch) < 0x250 or ch in "—–…→" for ch in text) else ""


def text_width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    return float(draw.textlength(text, font=font))


def _tokens(text: str) -> list[str]:
    """Break opportunities: after each space in Latin text, between any two CJK characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            tokens.append(word + " ")
            word = ""
        elif ord(ch) >= 0x2E80:  # CJK, kana, full-width forms
            if word:
                tokens.append(word)
                word = ""
            if ch in NO_LINE_START and tokens:
                tokens[-1] += ch
            else:
                tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: int) -> list[str]:
    """Lines of text no wider than max_width (a word wider than that gets a line of its own)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and text_width(draw, (line + token).rstrip(), font) > max_width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def fit(
    draw: ImageDraw.ImageDraw,
    text: str,
    face: Face | None,
    *,
    sizes: range,
    max_width: int,
    max_lines: int,
) -> tuple[list[str], int]:
    """The largest size in sizes at which text fits in max_lines; cut with … at the smallest."""
    size = sizes.start
    for size in sizes:
        font = font_at(face, size)
        lines = wrap(draw, text, font, max_width)
        if len(lines) <= max_lines and all(text_width(draw, x, font) <= max_width for x in lines):
            return lines, size
    font = font_at(face, size)
    lines = wrap(draw, text, font, max_width)[:max_lines]
    last = lines[-1]
    while last and text_width(draw, last + "…", font) > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return [_cut(draw, line, font, max_width) for line in lines], size


def _cut(draw: ImageDraw.ImageDraw, line: str, font: Font, max_width: int) -> str:
    """A line shortened with … until it fits (one very long word)."""
    if text_width(draw, line, font) <= max_width:
        return line
    while line and text_width(draw, line + "…", font) > max_width:
        line = line[:-1]
    return line + "…"
